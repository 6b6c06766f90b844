/* pinyin.h - Hanyu Pinyin readings, search-as-you-type and romanised names.
 *
 * The readings come from data/pinyin.txt (lines "U+5355: dān,chán,shàn  #
 * 单", most common reading first), read once, on first use, from
 * $GUANQING_DATA_DIR/pinyin.txt or else PKGDATADIR/pinyin.txt. Readings are
 * kept without tone marks, in lower case, with ü written "v" (lü -> lv),
 * as people type them on a keyboard. The table is a sorted array of code
 * points pointing into a list of syllable numbers, about 430 KB in all.
 *
 * Surnames: some characters are read differently as a surname (单 shàn,
 * not dān; 曾 zēng, not céng; 尉迟 yù chí). When a name starts with such a
 * surname, that reading is put first for its character(s): romanised names
 * use it, and search finds it. Every other reading of a polyphonic
 * character still matches too, so a search never misses a person because
 * the program guessed the wrong reading.
 *
 * Matching (pinyin_key_match): the query is a run of characters; spaces,
 * apostrophes and the separators of names ("·") in it are ignored, ASCII
 * and fullwidth letters compare without case, "u" also matches "v" (lu
 * finds 吕 lǚ). Walking along the name from
 * some character onwards, each character of the name consumes from the
 * query either
 *   - itself (a Chinese character, a letter, any character typed as is),
 *   - one of its readings in full ("zhang"), or
 *   - a non-empty beginning of one of its readings ("z", "zh", "zha"),
 * and the name matches when the whole query is consumed. So for 张三
 * (zhang san) all of "zs", "zhangsan", "zhangs", "zsan", "zhan", "z", "张",
 * "三", "张s" and "san" match, and "ss" or "shans" find 单三 through the
 * surname reading shan. Separators in a name (space, "·") may be skipped
 * or typed. The match may begin at any character, so a given name alone
 * finds the person; pinyin_key_match() says where it began so the screens
 * can list matches from the surname first.
 *
 * Nothing here is thread-safe: the table is loaded lazily into static
 * storage by whichever thread asks first.
 */
#ifndef GUANQING_PINYIN_H
#define GUANQING_PINYIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guanqing/err.h"
#include "guanqing/strbuf.h"

/* The longest query, in characters; a longer one matches nothing. */
#define PINYIN_QUERY_MAX 128

/* Most readings kept for one character. */
#define PINYIN_READINGS_MAX 15

/* A name prepared for matching: build it once per name (when a list is
 * loaded) and keep it next to the name. It holds a copy of what it needs,
 * so it stays valid after pinyin_unload(). Fields are private. */
struct pinyin_key {
	uint32_t letters;	/* bit n: letter 'a'+n can be consumed */
	uint32_t initials;	/* bit n: a match can begin with letter 'a'+n */
	uint32_t len;		/* bytes used in data */
	unsigned char *data;	/* per character: kind, code point, readings */
};

#define PINYIN_KEY_INIT { 0, 0, 0, NULL }

/* A query prepared for matching: set it once per keystroke. Fields are
 * private; it needs no release. */
struct pinyin_query {
	uint32_t letters;	/* letters the query needs */
	size_t len;		/* query characters in cp */
	bool too_long;		/* more than PINYIN_QUERY_MAX characters */
	uint32_t cp[PINYIN_QUERY_MAX];
};

/* Load the readings now, if they are not loaded yet, from the data
 * directory. The first attempt is the only one: its status (GQ_OK, or
 * GQ_ENOTFOUND, GQ_EIO, GQ_ECORRUPT with a message naming the file and the
 * line) is returned again, with its message, on every later call, so a
 * missing file costs one try. Every other function loads lazily through
 * this one, so calling it is needed only to report the error. */
enum gq_status pinyin_load(struct gq_err *err);

/* Load the readings from path, replacing any table already loaded (keys
 * built before stay valid). Streams the file line by line. On failure the
 * previous table is dropped and the status is kept as for pinyin_load(). */
enum gq_status pinyin_load_file(const char *path, struct gq_err *err);

/* Free the table; the next use loads it again. */
void pinyin_unload(void);

/* Readings of the code point cp, without tones, most common first: stores
 * up to max pointers to static NUL-terminated strings (valid until
 * pinyin_unload()) in out and returns how many readings there are (0 for a
 * character without a reading, or when the table cannot be loaded). */
size_t pinyin_readings(uint32_t cp, const char **out, size_t max);

/* Initialise an empty key (matches only the empty query). */
void pinyin_key_init(struct pinyin_key *key);

/* Build key for name (UTF-8; NULL counts as empty; invalid bytes become
 * U+FFFD), replacing what it held. The key owns a copy of what it needs.
 * When the table cannot be loaded the key matches the name's own
 * characters only; pinyin_load() says why. */
void pinyin_key_set(struct pinyin_key *key, const char *name);

/* Free what the key holds and leave it empty (as pinyin_key_init). */
void pinyin_key_release(struct pinyin_key *key);

/* Prepare query text (UTF-8, NULL counts as empty) for matching. */
void pinyin_query_set(struct pinyin_query *q, const char *text);

/* True when q is empty once spaces, apostrophes and separators are
 * dropped: the screens then show the whole list. */
bool pinyin_query_empty(const struct pinyin_query *q);

/* Match a prepared name against a prepared query. Returns -1 when it does
 * not match, else the index of the name character (counting code points)
 * where the earliest match begins: 0 for a match from the start of the
 * name. An empty query matches every name at 0. Cheap: no allocation, and
 * a quick test of the letters rules most names out at once. */
int pinyin_key_match(const struct pinyin_key *key,
		     const struct pinyin_query *q);

/* The letters a query may begin with to match key: bit n for 'a'+n (a
 * query beginning with another letter never matches). Lists index their
 * keys by it. */
uint32_t pinyin_key_initials(const struct pinyin_key *key);

/* Convenience for a single test: true when name matches query (as
 * pinyin_key_match() >= 0). Builds a key and a query each time, so a
 * list should keep keys instead. */
bool pinyin_match(const char *name, const char *query);

/* Append to out the name written in pinyin for a terminal that cannot show
 * Chinese, in plain ASCII without tones: the surname capitalised and
 * separated from the given name, the given name joined ("单志强" ->
 * "Shan Zhiqiang", "欧阳娜娜" -> "Ouyang Nana", "西安" -> "Xi'an"), using
 * the surname reading and otherwise the most common one. Parts separated
 * by "·" or spaces become words of their own ("欧阳·娜娜" -> "Ouyang
 * Nana"). ASCII letters and digits are kept; any other character without
 * a reading becomes "?". NULL or "" appends nothing. Returns GQ_OK, or
 * the status of a failed table load, with err filled (then every Chinese
 * character but a known surname is "?"). */
enum gq_status pinyin_romanise(const char *name, struct strbuf *out,
			       struct gq_err *err);

/* Append to out any other text (an address, a grid's name, a note) for
 * a terminal that cannot show Chinese: an address word by word, each
 * place name and its place word apart ("宋岗村王湾组1号" -> "Songgang Cun
 * Wangwan Zu 1 Hao"); a run without place words as pinyin_romanise()
 * writes a name; full-width punctuation, digits and letters as ASCII
 * ("（" -> "(", "，" -> ", "); ASCII kept. Returns as pinyin_romanise(). */
enum gq_status pinyin_romanise_text(const char *text, struct strbuf *out,
				    struct gq_err *err);

#endif
