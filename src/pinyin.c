/* pinyin.c - pinyin readings table, name keys, matching and romanisation.
 *
 * Layout in memory: every distinct toneless syllable (about 420 of them)
 * is stored once in syl[]; each code point of the data file has an entry
 * {cp, first} in a sorted array, and its readings are the syllable numbers
 * ids[first .. next entry's first). For 41,923 characters that is about
 * 335 KB of entries and 100 KB of numbers, found by binary search, and
 * those of the common CJK block (most of every name) through an index of
 * 84 KB.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/paths.h"
#include "guanqing/pinyin.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"
#include "guanqing/xalloc.h"


#define SYL_MAX 7		/* longest syllable kept: "zhuang" is 6 */
#define SYL_LIMIT 2000		/* distinct syllables allowed in a file */
#define HASH_SIZE 4096		/* open addressing, power of two */

struct entry {
	uint32_t cp;
	uint32_t first;		/* index of its first reading in ids */
};

static struct {
	int state;		/* 0 not tried, 1 loaded, -1 failed */
	struct gq_err err;
	struct entry *entries;	/* n + 1: the last one ends the ids */
	size_t n, entries_alloc;
	uint16_t *ids;
	size_t nids, ids_alloc;
	char (*syl)[SYL_MAX + 1];
	size_t nsyl;
	uint16_t *hash;		/* during loading: syllable number + 1 */
	/* The common CJK block, where nearly every name's characters are:
	 * for U+4E00 + i, cjk[i] is its entry's index + 1 (0: none), so that
	 * a name's characters are found without a search of the table. */
	uint32_t *cjk;
} table;

#define CJK_FIRST 0x4E00
#define CJK_LAST 0x9FFF

static void table_free(void)
{
	free(table.entries);
	free(table.ids);
	free(table.syl);
	free(table.hash);
	free(table.cjk);
	table.entries = NULL;
	table.ids = NULL;
	table.syl = NULL;
	table.hash = NULL;
	table.cjk = NULL;
	table.n = table.entries_alloc = 0;
	table.nids = table.ids_alloc = 0;
	table.nsyl = 0;
}

void pinyin_unload(void)
{
	table_free();
	table.state = 0;
	gq_err_clear(&table.err);
}

/* The toneless letter for one code point of a written reading: 'a'..'z',
 * 0 for a mark to drop (a combining tone mark), -1 for anything else. */
static int plain_letter(uint32_t cp)
{
	static const struct {
		uint16_t cp;
		char letter;
	} map[] = {
		{ 0x00E0, 'a' }, { 0x00E1, 'a' }, { 0x00E2, 'a' },
		{ 0x00E8, 'e' }, { 0x00E9, 'e' }, { 0x00EA, 'e' },
		{ 0x00EC, 'i' }, { 0x00ED, 'i' }, { 0x00F2, 'o' },
		{ 0x00F3, 'o' }, { 0x00F9, 'u' }, { 0x00FA, 'u' },
		{ 0x00FC, 'v' }, { 0x0101, 'a' }, { 0x0113, 'e' },
		{ 0x011B, 'e' }, { 0x012B, 'i' }, { 0x0144, 'n' },
		{ 0x0148, 'n' }, { 0x014D, 'o' }, { 0x016B, 'u' },
		{ 0x01CE, 'a' }, { 0x01D0, 'i' }, { 0x01D2, 'o' },
		{ 0x01D4, 'u' }, { 0x01D6, 'v' }, { 0x01D8, 'v' },
		{ 0x01DA, 'v' }, { 0x01DC, 'v' }, { 0x01F9, 'n' },
		{ 0x1E3F, 'm' }, { 0x1EBF, 'e' }, { 0x1EC1, 'e' },
	};
	size_t i;

	if (cp >= 'a' && cp <= 'z')
		return (int)cp;
	if (cp >= 'A' && cp <= 'Z')
		return (int)(cp - 'A' + 'a');
	if (cp >= 0x300 && cp <= 0x36F)
		return 0;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].cp == cp)
			return map[i].letter;
	return -1;
}

static uint32_t hash_syl(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The number of syllable s, added to the table when new; -1 when the
 * table is full. */
static int syl_intern(const char *s)
{
	uint32_t h = hash_syl(s) & (HASH_SIZE - 1);

	while (table.hash[h]) {
		int id = table.hash[h] - 1;

		if (!strcmp(table.syl[id], s))
			return id;
		h = (h + 1) & (HASH_SIZE - 1);
	}
	if (table.nsyl >= SYL_LIMIT)
		return -1;
	strcpy(table.syl[table.nsyl], s);
	table.hash[h] = (uint16_t)(table.nsyl + 1);
	return (int)table.nsyl++;
}

static void ids_push(uint16_t id)
{
	if (table.nids == table.ids_alloc) {
		table.ids_alloc = table.ids_alloc ? 2 * table.ids_alloc : 65536;
		table.ids = xrealloc(table.ids,
				     table.ids_alloc * sizeof(*table.ids));
	}
	table.ids[table.nids++] = id;
}

static void entries_push(uint32_t cp, uint32_t first)
{
	if (table.n + 1 >= table.entries_alloc) {
		table.entries_alloc = table.entries_alloc ?
			2 * table.entries_alloc : 32768;
		table.entries = xrealloc(table.entries, table.entries_alloc *
					 sizeof(*table.entries));
	}
	table.entries[table.n].cp = cp;
	table.entries[table.n].first = first;
	table.n++;
}

/* Parse one line "U+5355: dān,chán,shàn  # 单" into the table. Returns 1
 * for a reading, 0 for a blank or comment line, -1 when malformed. */
static int parse_line(const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	uint32_t cp = 0;
	int digits = 0;
	uint32_t first = (uint32_t)table.nids;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#' || *p == '\n' || *p == '\r')
		return 0;
	if (end - p < 2 || (p[0] != 'U' && p[0] != 'u') || p[1] != '+')
		return -1;
	for (p += 2; p < end && digits < 7; p++, digits++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else
			break;
		cp = cp * 16 + (uint32_t)d;
	}
	if (digits < 4 || digits > 6 || cp > 0x10FFFF || p == end || *p != ':')
		return -1;
	p++;
	while (p < end && *p != '#' && *p != '\n' && *p != '\r') {
		char syl[SYL_MAX + 1];
		size_t n = 0, k, dup = 0;
		int id;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (p < end && *p != ',' && *p != '#' && *p != ' ' &&
		       *p != '\t' && *p != '\n' && *p != '\r') {
			uint32_t c;
			size_t used = text_decode(p, (size_t)(end - p), &c);
			int letter = plain_letter(c);

			if (letter < 0 || (letter > 0 && n == SYL_MAX))
				goto bad;
			if (letter > 0)
				syl[n++] = (char)letter;
			p += used;
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == ',')
			p++;
		if (n == 0)
			continue;
		syl[n] = '\0';
		id = syl_intern(syl);
		if (id < 0)
			goto bad;
		/* Tones gone, dān and dàn are one reading: keep the first. */
		for (k = first; k < table.nids; k++)
			if (table.ids[k] == id)
				dup = 1;
		if (!dup && table.nids - first < PINYIN_READINGS_MAX)
			ids_push((uint16_t)id);
	}
	if (table.nids == first)
		goto bad;
	entries_push(cp, first);
	return 1;
bad:
	table.nids = first;
	return -1;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->cp != y->cp)
		return x->cp < y->cp ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Entries out of order in the file: sort them, and give each its own run
 * of ids again, since "the next entry's first" no longer ends a run. */
static void table_sort(void)
{
	struct entry *e = xrealloc(NULL, (table.n + 1) * sizeof(*e));
	uint16_t *ids = xrealloc(NULL, table.nids * sizeof(*ids));
	uint32_t *ends = xrealloc(NULL, table.n * sizeof(*ends));
	size_t i, out = 0, nids = 0;

	/* Remember where each run ends before reordering. */
	for (i = 0; i < table.n; i++)
		ends[i] = i + 1 < table.n ? table.entries[i + 1].first :
			(uint32_t)table.nids;
	for (i = 0; i < table.n; i++) {
		e[i] = table.entries[i];
		e[i].first = (uint32_t)i;	/* index into ends/entries */
	}
	{
		/* Sort by code point, stable by file order through .first. */
		qsort(e, table.n, sizeof(*e), entry_cmp);
	}
	for (i = 0; i < table.n; i++) {
		uint32_t orig = e[i].first;
		uint32_t from = table.entries[orig].first, to = ends[orig];

		if (out > 0 && e[out - 1].cp == e[i].cp)
			continue;	/* a repeated code point: first wins */
		e[out].cp = e[i].cp;
		e[out].first = (uint32_t)nids;
		memcpy(ids + nids, table.ids + from, (to - from) * sizeof(*ids));
		nids += to - from;
		out++;
	}
	free(ends);
	free(table.entries);
	free(table.ids);
	table.entries = e;
	table.entries_alloc = table.n + 1;
	table.n = out;
	table.ids = ids;
	table.ids_alloc = table.nids;
	table.nids = nids;
}

static void table_index_cjk(void)
{
	size_t i;

	table.cjk = xrealloc(NULL, (CJK_LAST - CJK_FIRST + 1) * sizeof(*table.cjk));
	memset(table.cjk, 0, (CJK_LAST - CJK_FIRST + 1) * sizeof(*table.cjk));
	for (i = 0; i < table.n; i++)
		if (table.entries[i].cp >= CJK_FIRST && table.entries[i].cp <= CJK_LAST)
			table.cjk[table.entries[i].cp - CJK_FIRST] = (uint32_t)i + 1;
}

enum gq_status pinyin_load_file(const char *path, struct gq_err *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	uint32_t last = 0;
	int sorted = 1;
	enum gq_status rc = GQ_OK;

	table_free();
	gq_err_clear(&table.err);
	table.state = -1;
	if (!path || !*path) {
		rc = gq_err_set(&table.err, GQ_ENOTFOUND,
				_("No pinyin table was given; searching by pinyin is not available."));
		goto out;
	}
	f = fopen(path, "r");
	if (!f) {
		rc = gq_err_set(&table.err,
				errno == ENOENT ? GQ_ENOTFOUND : GQ_EIO,
				_("The pinyin table %s cannot be opened (%s); searching by pinyin is not available."),
				path, strerror(errno));
		goto out;
	}
	table.syl = xrealloc(NULL, SYL_LIMIT * sizeof(*table.syl));
	table.hash = xrealloc(NULL, HASH_SIZE * sizeof(*table.hash));
	memset(table.hash, 0, HASH_SIZE * sizeof(*table.hash));
	while ((len = getline(&line, &cap, f)) >= 0) {
		int got;

		lineno++;
		got = parse_line(line, (size_t)len);
		if (got < 0) {
			rc = gq_err_set(&table.err, GQ_ECORRUPT,
					_("Line %zu of the pinyin table %s is not of the form \"U+4E2D: zhong,...\"."),
					lineno, path);
			break;
		}
		if (got > 0) {
			uint32_t cp = table.entries[table.n - 1].cp;

			if (table.n > 1 && cp <= last)
				sorted = 0;
			last = cp;
		}
	}
	if (rc == GQ_OK && ferror(f))
		rc = gq_err_set(&table.err, GQ_EIO,
				_("The pinyin table %s could not be read (%s)."),
				path, strerror(errno));
	fclose(f);
	free(line);
	if (rc == GQ_OK && table.n == 0)
		rc = gq_err_set(&table.err, GQ_ECORRUPT,
				_("The pinyin table %s holds no readings."),
				path);
	if (rc == GQ_OK) {
		if (!sorted)
			table_sort();
		/* The sentinel ends the last run of ids. */
		entries_push(0, (uint32_t)table.nids);
		table.n--;
		free(table.hash);
		table.hash = NULL;
		table.syl = xrealloc(table.syl,
				     table.nsyl * sizeof(*table.syl));
		table_index_cjk();
		table.state = 1;
	}
out:
	if (rc != GQ_OK) {
		table_free();
		table.state = -1;
	}
	if (err && rc != GQ_OK)
		*err = table.err;
	return rc;
}

enum gq_status pinyin_load(struct gq_err *err)
{
	if (table.state == 0) {
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/pinyin.txt", paths_data_dir());
		pinyin_load_file(path.buf, NULL);
		strbuf_release(&path);
	}
	if (table.state > 0)
		return GQ_OK;
	if (err)
		*err = table.err;
	return table.err.code;
}

/* Readings of cp as syllable numbers: returns the count, *ids the first. */
static size_t lookup(uint32_t cp, const uint16_t **ids)
{
	size_t lo = 0, hi;

	if (pinyin_load(NULL) != GQ_OK)
		return 0;
	if (cp >= CJK_FIRST && cp <= CJK_LAST) {
		size_t i = table.cjk[cp - CJK_FIRST];

		if (!i--)
			return 0;
		*ids = table.ids + table.entries[i].first;
		return table.entries[i + 1].first - table.entries[i].first;
	}
	hi = table.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (table.entries[mid].cp < cp) {
			lo = mid + 1;
		} else if (table.entries[mid].cp > cp) {
			hi = mid;
		} else {
			*ids = table.ids + table.entries[mid].first;
			return table.entries[mid + 1].first -
				table.entries[mid].first;
		}
	}
	return 0;
}

size_t pinyin_readings(uint32_t cp, const char **out, size_t max)
{
	const uint16_t *ids = NULL;
	size_t n = lookup(cp, &ids), i;

	for (i = 0; i < n && i < max; i++)
		out[i] = table.syl[ids[i]];
	return n;
}

/* Surnames read otherwise than their character's most common reading
 * (and a few listed for certainty), then compound surnames, which the
 * romanised form keeps together as one word. Readings are toneless. */
static const struct surname {
	const char *name;
	const char *readings[2];
} surnames[] = {
	{ "单", { "shan" } },	/* shàn */
	{ "曾", { "zeng" } },	/* zēng */
	{ "解", { "xie" } },	/* xiè */
	{ "仇", { "qiu" } },	/* qiú */
	{ "朴", { "piao" } },	/* piáo */
	{ "查", { "zha" } },	/* zhā */
	{ "区", { "ou" } },	/* ōu */
	{ "盖", { "ge" } },	/* gě */
	{ "乐", { "yue" } },	/* yuè */
	{ "缪", { "miao" } },	/* miào */
	{ "翟", { "zhai" } },	/* zhái */
	{ "覃", { "qin" } },	/* qín */
	{ "召", { "shao" } },	/* shào */
	{ "员", { "yun" } },	/* yùn */
	{ "繁", { "po" } },	/* pó */
	{ "折", { "she" } },	/* shé */
	{ "种", { "chong" } },	/* chóng */
	{ "秘", { "bi" } },	/* bì */
	{ "句", { "gou" } },	/* gōu */
	{ "纪", { "ji" } },	/* jǐ */
	{ "华", { "hua" } },	/* huà */
	{ "任", { "ren" } },	/* rén */
	{ "那", { "na" } },	/* nā */
	{ "冼", { "xian" } },	/* xiǎn */
	{ "长", { "chang" } },	/* cháng */
	{ "阚", { "kan" } },	/* kàn */
	{ "祭", { "zhai" } },	/* zhài */
	{ "能", { "nai" } },	/* nài */
	{ "都", { "du" } },	/* dū */
	{ "重", { "chong" } },	/* chóng */
	{ "薄", { "bo" } },	/* bó */
	{ "角", { "jue" } },	/* jué */
	{ "粘", { "nian" } },	/* nián */
	{ "洗", { "xian" } },	/* xiǎn */
	{ "颉", { "xie" } },	/* xié */
	{ "卜", { "bu" } },	/* bǔ */
	{ "乜", { "nie" } },	/* niè */
	{ "佴", { "nai" } },	/* nài */
	{ "蕃", { "pi" } },	/* pí */
	{ "澹", { "tan" } },	/* tán */
	{ "尉", { "wei" } },	/* wèi */
	/* Compound surnames. */
	{ "尉迟", { "yu", "chi" } },	/* yù chí */
	{ "万俟", { "mo", "qi" } },	/* mò qí */
	{ "单于", { "chan", "yu" } },	/* chán yú */
	{ "长孙", { "zhang", "sun" } },	/* zhǎng sūn */
	{ "令狐", { "ling", "hu" } },
	{ "澹台", { "tan", "tai" } },	/* tán tái */
	{ "亓官", { "qi", "guan" } },
	{ "欧阳", { "ou", "yang" } },
	{ "司马", { "si", "ma" } },
	{ "诸葛", { "zhu", "ge" } },
	{ "上官", { "shang", "guan" } },
	{ "东方", { "dong", "fang" } },
	{ "皇甫", { "huang", "fu" } },
	{ "公孙", { "gong", "sun" } },
	{ "慕容", { "mu", "rong" } },
	{ "宇文", { "yu", "wen" } },
	{ "夏侯", { "xia", "hou" } },
	{ "司徒", { "si", "tu" } },
	{ "司空", { "si", "kong" } },
	{ "呼延", { "hu", "yan" } },
	{ "端木", { "duan", "mu" } },
	{ "独孤", { "du", "gu" } },
	{ "闻人", { "wen", "ren" } },
	{ "赫连", { "he", "lian" } },
	{ "轩辕", { "xuan", "yuan" } },
	{ "申屠", { "shen", "tu" } },
	{ "太叔", { "tai", "shu" } },
	{ "公冶", { "gong", "ye" } },
	{ "濮阳", { "pu", "yang" } },
	{ "淳于", { "chun", "yu" } },
	{ "钟离", { "zhong", "li" } },
	{ "宗政", { "zong", "zheng" } },
	{ "拓跋", { "tuo", "ba" } },
	{ "羊舌", { "yang", "she" } },
	{ "司寇", { "si", "kou" } },
	{ "左丘", { "zuo", "qiu" } },
	{ "鲜于", { "xian", "yu" } },
	{ "公羊", { "gong", "yang" } },
	{ "南宫", { "nan", "gong" } },
	{ "西门", { "xi", "men" } },
	{ "百里", { "bai", "li" } },
	{ "东郭", { "dong", "guo" } },
	{ "第五", { "di", "wu" } },
};

/* A character that separates parts of a name: may be skipped when
 * matching, starts a new word when romanising. */
static bool is_separator(uint32_t cp)
{
	switch (cp) {
	case ' ': case '\t': case 0x00B7: case 0x2022: case 0x2027:
	case 0x3000: case 0x30FB: case 0xFF65:
		return true;
	default:
		return false;
	}
}

/* Fold for comparison: fullwidth ASCII to ASCII, then lower case. */
static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

/* The surnames decoded once into code points, for quick comparison. */
static uint32_t surname_cps[sizeof(surnames) / sizeof(surnames[0])][2];
static unsigned char surname_len[sizeof(surnames) / sizeof(surnames[0])];
/* Bit (cp mod 1024) set for the first character of every surname: most
 * names begin with none of them, and are told so without the walk. */
static uint64_t surname_first[16];

static void surnames_decode(void)
{
	static bool done;
	size_t i;

	if (done)
		return;
	for (i = 0; i < sizeof(surnames) / sizeof(surnames[0]); i++) {
		const char *s = surnames[i].name;
		size_t len = strlen(s), off = 0, k = 0, used;
		uint32_t cp;

		while (k < 2 && (used = text_decode(s + off, len - off, &cp))) {
			surname_cps[i][k++] = cp;
			off += used;
		}
		surname_len[i] = (unsigned char)k;
		if (k)
			surname_first[(surname_cps[i][0] >> 6) & 15] |= 1ull << (surname_cps[i][0] & 63);
	}
	done = true;
}

/* The surname at the start of cps[0..n): its length in characters (0 when
 * none) and its readings. A compound is taken only when something
 * follows it (more parts, or characters after it), so that a
 * two-character name is not read as a surname alone. */
static size_t surname_at(const uint32_t *cps, size_t n, bool more_parts,
			 const char **readings)
{
	size_t i, best = 0;

	if (n == 0 || cps[0] < 0x3400)
		return 0;
	surnames_decode();
	if (!(surname_first[(cps[0] >> 6) & 15] & 1ull << (cps[0] & 63)))
		return 0;
	for (i = 0; i < sizeof(surnames) / sizeof(surnames[0]); i++) {
		size_t k = surname_len[i];

		if (k <= best || k > n || surname_cps[i][0] != cps[0] ||
		    (k == 2 && surname_cps[i][1] != cps[1]))
			continue;
		if (k > 1 && n <= k && !more_parts)
			continue;
		best = k;
		readings[0] = surnames[i].readings[0];
		readings[1] = surnames[i].readings[1];
	}
	return best;
}

/* Decode s into a new array of code points; *n receives the count. */
static uint32_t *decode_all(const char *s, size_t *n)
{
	size_t len = s ? strlen(s) : 0, used, count = 0;
	uint32_t *cps = xrealloc(NULL, (len + 1) * sizeof(*cps));

	while ((used = text_decode(s, len, &cps[count])) > 0) {
		s += used;
		len -= used;
		count++;
	}
	*n = count;
	return cps;
}

/* Key data, one unit per name character:
 *   byte 0: readings count (low 4 bits), KEY_SKIP when it is a separator
 *   bytes 1..3: the folded code point, big-endian
 *   then for each reading: its length in one byte, then its letters. */
#define KEY_SKIP 0x10
#define KEY_COUNT 0x0F

static uint32_t letters_of(const char *s)
{
	uint32_t m = 0;

	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			m |= 1u << (*s - 'a');
	return m;
}

static void key_add_reading(struct strbuf *sb, const char *r,
			    const char **done, size_t *ndone, uint32_t *letters,
			    uint32_t *initials)
{
	size_t i, len = strlen(r);

	for (i = 0; i < *ndone; i++)
		if (!strcmp(done[i], r))
			return;
	if (*ndone >= PINYIN_READINGS_MAX || len == 0 || len > 255)
		return;
	done[(*ndone)++] = r;
	strbuf_addch(sb, (int)len);
	strbuf_add(sb, r, len);
	*letters |= letters_of(r);
	if (r[0] >= 'a' && r[0] <= 'z')
		*initials |= 1u << (r[0] - 'a');
}

void pinyin_key_init(struct pinyin_key *key)
{
	key->letters = 0;
	key->initials = 0;
	key->len = 0;
	key->data = NULL;
}

void pinyin_key_release(struct pinyin_key *key)
{
	free(key->data);
	pinyin_key_init(key);
}

/* True when separators divide the name into parts (leading and trailing
 * ones do not count). */
static bool name_has_parts(const uint32_t *cps, size_t n)
{
	size_t i;
	bool seen = false, gap = false;

	for (i = 0; i < n; i++) {
		if (is_separator(cps[i])) {
			gap = seen;
		} else {
			if (gap)
				return true;
			seen = true;
		}
	}
	return false;
}

void pinyin_key_set(struct pinyin_key *key, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n, i, nsur, start = 0, first_len = 0;
	uint32_t *cps = decode_all(name, &n);
	const char *sur[2] = { NULL, NULL };
	uint32_t letters = 0, initials = 0;

	while (start < n && is_separator(cps[start]))
		start++;
	while (start + first_len < n && !is_separator(cps[start + first_len]))
		first_len++;
	nsur = surname_at(cps + start, first_len, name_has_parts(cps, n), sur);
	for (i = 0; i < n; i++) {
		const char *done[PINYIN_READINGS_MAX];
		const char *r[PINYIN_READINGS_MAX];
		size_t ndone = 0, nr, k, at = sb.len;
		uint32_t cp = fold(cps[i]);

		strbuf_addch(&sb, 0);
		strbuf_addch(&sb, (int)((cp >> 16) & 0xFF));
		strbuf_addch(&sb, (int)((cp >> 8) & 0xFF));
		strbuf_addch(&sb, (int)(cp & 0xFF));
		if (cp < 0x80) {
			if (cp >= 'a' && cp <= 'z') {
				letters |= 1u << (cp - 'a');
				initials |= 1u << (cp - 'a');
			}
			if (is_separator(cp) ||
			    (cp > ' ' && cp < 0x7F && !(cp >= 'a' && cp <= 'z') &&
			     !(cp >= '0' && cp <= '9')))
				sb.buf[at] = KEY_SKIP;
			continue;
		}
		if (is_separator(cp)) {
			sb.buf[at] = KEY_SKIP;
			continue;
		}
		if (i >= start && i - start < nsur)
			key_add_reading(&sb, sur[i - start], done, &ndone,
					&letters, &initials);
		nr = pinyin_readings(cps[i], r, PINYIN_READINGS_MAX);
		for (k = 0; k < nr && k < PINYIN_READINGS_MAX; k++)
			key_add_reading(&sb, r[k], done, &ndone, &letters, &initials);
		sb.buf[at] = (char)(sb.buf[at] | (char)ndone);
	}
	free(cps);
	/* "u" in a query also stands for ü, written v. */
	if (letters & (1u << ('v' - 'a')))
		letters |= 1u << ('u' - 'a');
	if (initials & (1u << ('v' - 'a')))
		initials |= 1u << ('u' - 'a');
	pinyin_key_release(key);
	key->letters = letters;
	key->initials = initials;
	key->len = (uint32_t)sb.len;
	if (sb.len) {
		/* Exactly as long as needed: a list keeps thousands. */
		key->data = xrealloc(NULL, sb.len);
		memcpy(key->data, sb.buf, sb.len);
	}
	strbuf_release(&sb);
}

void pinyin_query_set(struct pinyin_query *q, const char *text)
{
	size_t len = text ? strlen(text) : 0, used;
	uint32_t cp;

	q->letters = 0;
	q->len = 0;
	q->too_long = false;
	while ((used = text_decode(text, len, &cp)) > 0) {
		text += used;
		len -= used;
		cp = fold(cp);
		if (is_separator(cp) || cp == '\'' || cp == 0x2019)
			continue;
		if (q->len == PINYIN_QUERY_MAX) {
			q->too_long = true;
			break;
		}
		if (cp >= 'a' && cp <= 'z')
			q->letters |= 1u << (cp - 'a');
		q->cp[q->len++] = cp;
	}
}

bool pinyin_query_empty(const struct pinyin_query *q)
{
	return q->len == 0 && !q->too_long;
}

#define UNREACHED 0xFFFFu

static void reach(uint16_t *set, size_t j, uint16_t start)
{
	if (start < set[j])
		set[j] = start;
}

int pinyin_key_match(const struct pinyin_key *key,
		     const struct pinyin_query *q)
{
	uint16_t a[PINYIN_QUERY_MAX + 1], b[PINYIN_QUERY_MAX + 1];
	uint16_t *cur = a, *next = b, *tmp;
	const unsigned char *p, *end;
	size_t qlen = q->len, j;
	unsigned idx = 0;
	int best = -1;

	if (q->too_long)
		return -1;
	if (qlen == 0)
		return 0;
	if (q->letters & ~key->letters)
		return -1;
	/* A match begins by consuming the query's first character: a letter
	 * must begin a reading of some character (or be one). */
	if (q->cp[0] >= 'a' && q->cp[0] <= 'z' && !(key->initials & (1u << (q->cp[0] - 'a'))))
		return -1;
	if (!key->data)
		return -1;
	p = key->data;
	end = p + key->len;
	if (qlen == 1) {
		/* One character (the first keystroke): the first unit that is
		 * it or has a reading beginning with it. */
		uint32_t c = q->cp[0];

		for (; p + 4 <= end; idx++) {
			unsigned nread = p[0] & KEY_COUNT, r;
			uint32_t cp = ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];

			p += 4;
			if (cp == c)
				return (int)idx;
			for (r = 0; r < nread; r++) {
				if (*p && (p[1] == c || (c == 'u' && p[1] == 'v')))
					return (int)idx;
				p += 1 + *p;
			}
		}
		return -1;
	}
	for (j = 0; j <= qlen; j++)
		cur[j] = UNREACHED;
	for (; p + 4 <= end && best != 0; idx++) {
		unsigned flags = p[0], nread = flags & KEY_COUNT, r;
		uint32_t cp = ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
			p[3];
		const unsigned char *readings = p + 4;

		/* A match may begin at this character. */
		reach(cur, 0, idx < UNREACHED ? (uint16_t)idx : UNREACHED - 1);
		/* A separator may be skipped: what reached it reaches past
		 * it (but a match does not begin on it). */
		for (j = 0; j <= qlen; j++)
			next[j] = (flags & KEY_SKIP) ? cur[j] : UNREACHED;
		next[0] = UNREACHED;
		for (j = 0; j < qlen; j++) {
			const unsigned char *rp = readings;

			if (cur[j] == UNREACHED)
				continue;
			if (q->cp[j] == cp)
				reach(next, j + 1, cur[j]);
			for (r = 0; r < nread; r++) {
				size_t rlen = *rp++, t;

				for (t = 0; t < rlen && j + t < qlen; t++) {
					uint32_t c = q->cp[j + t];

					if (c != rp[t] &&
					    !(c == 'u' && rp[t] == 'v'))
						break;
					reach(next, j + t + 1, cur[j]);
				}
				rp += rlen;
			}
		}
		/* Step past this unit's readings. */
		p = readings;
		for (r = 0; r < nread; r++)
			p += 1 + *p;
		if (next[qlen] != UNREACHED &&
		    (best < 0 || next[qlen] < (unsigned)best))
			best = next[qlen];
		next[qlen] = UNREACHED;
		tmp = cur;
		cur = next;
		next = tmp;
	}
	return best;
}

uint32_t pinyin_key_initials(const struct pinyin_key *key)
{
	return key->initials;
}

bool pinyin_match(const char *name, const char *query)
{
	struct pinyin_key key = PINYIN_KEY_INIT;
	struct pinyin_query q;
	int at;

	pinyin_query_set(&q, query);
	if (pinyin_query_empty(&q))
		return true;
	pinyin_key_set(&key, name);
	at = pinyin_key_match(&key, &q);
	pinyin_key_release(&key);
	return at >= 0;
}

/* Append one syllable to a word, with the apostrophe that keeps xi'an
 * from reading as xian. */
static void add_syllable(struct strbuf *out, const char *syl,
			 size_t word_start)
{
	if (out->len > word_start &&
	    (syl[0] == 'a' || syl[0] == 'o' || syl[0] == 'e')) {
		char prev = out->buf[out->len - 1];

		if ((prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z'))
			strbuf_addch(out, '\'');
	}
	strbuf_addstr(out, syl);
}

static void capitalise(struct strbuf *out, size_t word_start)
{
	if (word_start < out->len && out->buf[word_start] >= 'a' &&
	    out->buf[word_start] <= 'z')
		out->buf[word_start] = (char)(out->buf[word_start] - 'a' + 'A');
}

enum gq_status pinyin_romanise(const char *name, struct strbuf *out,
			       struct gq_err *err)
{
	enum gq_status rc = pinyin_load(err);
	size_t n, i, start, nsur = 0, first_len = 0, word = out->len;
	uint32_t *cps = decode_all(name, &n);
	const char *sur[2] = { NULL, NULL };
	const char *r[1];
	bool parts = name_has_parts(cps, n), in_word = false, any = false;

	/* The first part (after leading separators) may start with a
	 * surname. */
	for (start = 0; start < n && is_separator(cps[start]);)
		start++;
	while (start + first_len < n && !is_separator(cps[start + first_len]))
		first_len++;
	nsur = surname_at(cps + start, first_len, parts, sur);
	/* Otherwise the usual one-character surname, if it is Chinese. */
	if (!nsur && first_len > 0 && !parts &&
	    pinyin_readings(cps[start], r, 1) > 0)
		nsur = 1;
	for (i = start; i < n; i++) {
		uint32_t cp = cps[i];

		if (is_separator(cp)) {
			if (in_word)
				capitalise(out, word);
			in_word = false;
			continue;
		}
		/* A one-part name: surname, then the given name as a word. */
		if (!parts && i == start + nsur && i > start) {
			capitalise(out, word);
			in_word = false;
		}
		if (!in_word) {
			if (any)
				strbuf_addch(out, ' ');
			word = out->len;
			in_word = any = true;
		}
		if (i - start < nsur && sur[i - start]) {
			add_syllable(out, sur[i - start], word);
		} else if (pinyin_readings(cp, r, 1) > 0) {
			add_syllable(out, r[0], word);
		} else if (cp < 0x7F && cp > ' ') {
			strbuf_addch(out, (int)cp);
		} else {
			strbuf_addch(out, '?');
		}
	}
	if (in_word)
		capitalise(out, word);
	free(cps);
	return rc;
}

/* ---- romanising other text: addresses, grid names, notes ---- */

/* Words that end a place name in an address: written as words of their
 * own ("宋岗村王湾组1号" -> "Songgang Cun Wangwan Zu 1 Hao"). The longer
 * first. */
static const char *const place_words[] = {
	"居委会", "村委会", "委员会", "居民", "村民", "街道", "社区", "网格",
	"小区", "单元", "省", "市", "县", "区", "镇", "乡", "村", "组", "路", "街", "巷",
	"号", "楼", "栋", "层", "室", "队", NULL
};

/* Full-width punctuation as ASCII, with the space that follows it in
 * English; NULL when cp is not one. */
static const char *ascii_punct(uint32_t cp)
{
	switch (cp) {
	case 0xFF0C: case 0x3001: return ", ";	/* ， 、 */
	case 0x3002: return ". ";		/* 。 */
	case 0xFF1A: return ": ";		/* ： */
	case 0xFF1B: return "; ";		/* ； */
	case 0xFF01: return "! ";		/* ！ */
	case 0xFF1F: return "? ";		/* ？ */
	case 0xFF08: return " (";		/* （ */
	case 0xFF09: return ") ";		/* ） */
	case 0x3010: return " [";		/* 【 */
	case 0x3011: return "] ";		/* 】 */
	case 0x201C: case 0x201D: case 0x300C: case 0x300D: case 0x300A: case 0x300B:
	case 0xFF02: return "\"";		/* “ ” 「 」 《 》 */
	case 0x2018: case 0x2019: return "'";
	case 0x2014: case 0x2013: case 0xFF0D: return "-";
	case 0x2026: return "...";
	case 0xFF5E: return "~";
	case 0xFF05: return "%";
	case 0xFF0F: return "/";
	case 0x00B7: case 0x2022: case 0x30FB: case 0xFF65: case 0x3000: return " ";
	default: return NULL;
	}
}

/* The length in code points of the place word at cps[i], or 0. */
static size_t place_word_at(const uint32_t *cps, size_t n, size_t i)
{
	size_t k, j;

	for (k = 0; place_words[k]; k++) {
		const char *w = place_words[k];
		size_t wn, used, len = strlen(w);
		uint32_t cp;

		for (wn = 0, j = i; len && j < n; wn++, j++) {
			used = text_decode(w, len, &cp);
			if (!used || cp != cps[j])
				break;
			w += used;
			len -= used;
		}
		if (!len)
			return wn;
	}
	return 0;
}

/* Start a word: a space unless at the start or after one. */
static void word_start(struct strbuf *out)
{
	if (out->len && out->buf[out->len - 1] != ' ' && out->buf[out->len - 1] != '(' &&
	    out->buf[out->len - 1] != '[' && out->buf[out->len - 1] != '"')
		strbuf_addch(out, ' ');
}

/* Append a run of Chinese characters as one capitalised word; a run
 * longer than a place name (four characters) is not one word that can be
 * told, so each syllable is a word then. */
static void add_word(struct strbuf *out, const uint32_t *cps, size_t n)
{
	size_t i, start = 0;
	const char *r[1];

	for (i = 0; i < n; i++) {
		if (i == 0 || n > 4) {
			capitalise(out, start);
			word_start(out);
			start = out->len;
		}
		if (pinyin_readings(cps[i], r, 1) > 0)
			add_syllable(out, r[0], start);
		else
			strbuf_addch(out, '?');
	}
	if (n)
		capitalise(out, start);
}

enum gq_status pinyin_romanise_text(const char *text, struct strbuf *out, struct gq_err *err)
{
	enum gq_status rc = pinyin_load(err);
	size_t n, i = 0, from = out->len;
	uint32_t *cps = decode_all(text, &n);

	while (i < n) {
		const char *p = ascii_punct(cps[i]);
		size_t run, j, w, chunk;
		bool places = false;

		if (cps[i] < 0x80) {
			/* ASCII as it is; a word after a romanised one. */
			if (cps[i] > ' ' && cps[i] < 0x7F && out->len > from &&
			    ((out->buf[out->len - 1] >= 'a' && out->buf[out->len - 1] <= 'z') ||
			     (out->buf[out->len - 1] >= 'A' && out->buf[out->len - 1] <= 'Z')) &&
			    i > 0 && cps[i - 1] >= 0x80 && !ascii_punct(cps[i - 1]))
				strbuf_addch(out, ' ');
			strbuf_addch(out, cps[i] >= ' ' && cps[i] < 0x7F ? (int)cps[i] : '?');
			i++;
			continue;
		}
		if (p) {
			strbuf_addstr(out, p);
			i++;
			continue;
		}
		if (cps[i] >= 0xFF10 && cps[i] <= 0xFF5A) {
			/* full-width digits and letters */
			strbuf_addch(out, (int)(cps[i] - 0xFF10 + '0'));
			i++;
			continue;
		}
		/* A run of characters that are neither ASCII nor punctuation. */
		for (run = i; run < n && cps[run] >= 0x80 && !ascii_punct(cps[run]) &&
			      !(cps[run] >= 0xFF10 && cps[run] <= 0xFF5A); run++)
			places |= place_word_at(cps, n, run) > 0;
		if (!places) {
			/* A name, or text without place words: as a name is. */
			struct strbuf sb = STRBUF_INIT;
			char *s;

			for (j = i; j < run; j++) {
				char u[4];

				strbuf_add(&sb, u, text_encode(cps[j], u));
			}
			word_start(out);
			s = strbuf_detach(&sb, NULL);
			pinyin_romanise(s, out, NULL);
			free(s);
			i = run;
			continue;
		}
		/* An address: each place name, then its place word. */
		for (chunk = i; i < run;) {
			w = place_word_at(cps, run, i);
			if (!w || i == chunk) {
				if (w && i == chunk) {
					add_word(out, cps + i, w);
					i += w;
					chunk = i;
				} else {
					i++;
				}
				continue;
			}
			add_word(out, cps + chunk, i - chunk);
			add_word(out, cps + i, w);
			i += w;
			chunk = i;
		}
		add_word(out, cps + chunk, run - chunk);
	}
	free(cps);
	/* No space at the end, nor two in a row. */
	for (i = from; i < out->len; i++)
		if (out->buf[i] == ' ' && (i + 1 == out->len || out->buf[i + 1] == ' ' ||
					   out->buf[i + 1] == ')' || out->buf[i + 1] == ',' ||
					   out->buf[i + 1] == '.' || out->buf[i + 1] == ']' ||
					   (i == from))) {
			memmove(out->buf + i, out->buf + i + 1, out->len - i);
			out->len--;
			i--;
		}
	return rc;
}
