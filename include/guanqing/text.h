/* text.h - UTF-8 decoding and display width, measured the same everywhere.
 *
 * The screens line up Chinese and Latin text in columns, so the width of a
 * character must not depend on the locale or on the C library: an old
 * station PC may run under C.UTF-8, where glibc's wcwidth() is fine but
 * other libcs are not. This module keeps its own small tables:
 *   - East Asian Wide and Fullwidth characters (CJK ideographs, kana,
 *     Hangul syllables, fullwidth forms, wide emoji) take 2 columns;
 *   - combining marks and format characters (Unicode Mn, Me, Cf, Hangul
 *     medial and final jamo, zero width space) take 0 columns;
 *   - control characters (C0, DEL, C1, U+2028, U+2029) and invalid bytes
 *     are shown as U+FFFD and take 1 column;
 *   - everything else, East Asian Ambiguous included ("·", "…"), takes 1.
 *
 * Decoding never reads past the given length. An invalid byte decodes to
 * U+FFFD and consumes exactly one byte, so a string with n bad bytes shows
 * n replacement characters and every byte is accounted for. Overlong forms,
 * surrogates (U+D800..U+DFFF) and values above U+10FFFF are invalid.
 *
 * Strings are NUL-terminated unless a function takes a length; NULL is
 * treated as the empty string everywhere.
 */
#ifndef GUANQING_TEXT_H
#define GUANQING_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guanqing/strbuf.h"

#define TEXT_REPLACEMENT 0xFFFDu	/* shown for invalid bytes and controls */
#define TEXT_ELLIPSIS "\xe2\x80\xa6"	/* U+2026 "…", one column wide */

/* Flags for text_trim() and text_pad(). */
enum text_flags {
	TEXT_ELLIPSIS_CUT = 1 << 0,	/* end a cut string with "…" */
	TEXT_ALIGN_RIGHT = 1 << 1,	/* text_pad: put the spaces first */
};

/* Decode one character from s, of which len bytes may be read.
 * Stores the code point in *cp (may be NULL) and returns the number of
 * bytes it used: 1 to 4, or 0 only when len is 0 (then *cp is 0). An
 * invalid or truncated sequence yields U+FFFD and uses one byte. */
size_t text_decode(const char *s, size_t len, uint32_t *cp);

/* text_decode() for the checks that refuse bad input rather than show it:
 * the same rules, but an invalid or truncated sequence returns 0 (and sets
 * *cp to U+FFFD), so that a real U+FFFD in the text (3 bytes) is told from
 * a bad byte. Returns 0 also when len is 0. With a NUL-terminated s, len
 * may be larger than the string (SIZE_MAX): decoding stops at the first
 * byte that does not continue the sequence, the NUL included. */
size_t text_decode_strict(const char *s, size_t len, uint32_t *cp);

/* Encode cp as UTF-8 into out (at least 4 bytes, not NUL-terminated) and
 * return its length. A value that is not a Unicode scalar value (a
 * surrogate or above U+10FFFF) is encoded as U+FFFD. */
size_t text_encode(uint32_t cp, char *out);

/* Append cp to sb as UTF-8 (U+FFFD for a non-scalar value). */
void text_add_cp(struct strbuf *sb, uint32_t cp);

/* The four hexadecimal digits at p (as after "\\u" in JSON) into *out:
 * 0, or -1 when one of them is not a hexadecimal digit (a NUL is not, so a
 * NUL-terminated p is not read past its end). */
int text_hex4(const char *p, uint32_t *out);

/* src (NULL: "") into dst of size bytes, cut to size - 1 bytes and ended
 * by a NUL, as snprintf(dst, size, "%s", src) but without its cost. */
void text_copy(char *dst, size_t size, const char *src);

/* What is wrong with a JSON escape (text_json_escape()). */
enum text_json_bad {
	TEXT_JSON_ESCAPE = 1,	/* not an escape of JSON */
	TEXT_JSON_HEX,		/* \u without four hexadecimal digits */
	TEXT_JSON_NUL,		/* \u0000 */
	TEXT_JSON_LOW,		/* a low surrogate without a high one before it */
	TEXT_JSON_HIGH,		/* a high surrogate without a low one after it */
};

/* The JSON escape at p (its backslash) appended to sb as UTF-8, reading
 * no further than end: the bytes it used, or 0 when it is not one that
 * text may hold (*bad says why; *unit is the character after the
 * backslash, or the surrogate's code unit). */
size_t text_json_escape(const char *p, const char *end, struct strbuf *sb,
			enum text_json_bad *bad, uint32_t *unit);

/* True when cp is a control character: C0 (U+0000..U+001F), DEL, C1
 * (U+0080..U+009F), LINE and PARAGRAPH SEPARATOR. The screens show these
 * as U+FFFD; the field editor refuses them. */
bool text_is_control(uint32_t cp);

/* True when cp takes no column of its own (a combining mark, a format
 * character such as U+200B, U+200D or U+FEFF, a variation selector): it
 * belongs with the character before it. Controls are not zero width. */
bool text_is_zero_width(uint32_t cp);

/* Display width of one code point: 0, 1 or 2 (see the top of this file).
 * Controls and values that are not scalar values count 1, as their
 * U+FFFD does. */
int text_cp_width(uint32_t cp);

/* Display width in columns of the first len bytes of s. */
size_t text_width_n(const char *s, size_t len);

/* Display width in columns of the string s (0 for NULL). */
size_t text_width(const char *s);

/* Number of characters in s (code points, each invalid byte counting as
 * one), as limits "in characters" count them. 0 for NULL. */
size_t text_length(const char *s);

/* True when the len bytes at s are well-formed UTF-8 (an empty or NULL
 * string is valid). NUL bytes inside len make it invalid. */
bool text_valid(const char *s, size_t len);

/* Length in bytes of the longest prefix of s (NUL-terminated) that fits in
 * cols columns without splitting a character; zero-width characters after
 * the last whole character that fits are kept with it. When width is not
 * NULL it receives the prefix's width (at most cols). */
size_t text_prefix(const char *s, size_t cols, size_t *width);

/* Append s to sb, cut to at most cols columns, never splitting a
 * character (a wide character that would need a column too many is left
 * out). Invalid bytes and controls are written as U+FFFD, so what is
 * appended is valid UTF-8 exactly as wide as returned. With
 * TEXT_ELLIPSIS_CUT a string that does not fit ends in "…", which itself
 * counts one column. Returns the width appended (<= cols). */
size_t text_trim(struct strbuf *sb, const char *s, size_t cols,
		 unsigned flags);

/* Like text_trim(), then pad with spaces to exactly cols columns: after
 * the text, or before it with TEXT_ALIGN_RIGHT. This is what lines up a
 * column of mixed Chinese and Latin names. Returns cols. */
size_t text_pad(struct strbuf *sb, const char *s, size_t cols,
		unsigned flags);

#endif
