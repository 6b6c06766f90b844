/* test_text.c - UTF-8 decoding, display width, trimming and padding. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guanqing/strbuf.h"
#include "guanqing/text.h"

#define FFFD "\xef\xbf\xbd"

static void test_decode_valid(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(text_decode("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(text_decode("é", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(text_decode("张三", 6, &cp), 3);
	assert_int_equal(cp, 0x5F20);
	assert_int_equal(text_decode("𠀀", 4, &cp), 4);	/* U+20000 */
	assert_int_equal(cp, 0x20000);
	assert_int_equal(text_decode("\xef\xbf\xbd", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("x", 1, NULL), 1);
}

static void test_decode_empty_and_null(void **state)
{
	uint32_t cp = 99;

	(void)state;
	assert_int_equal(text_decode("", 0, &cp), 0);
	assert_int_equal(cp, 0);
	cp = 99;
	assert_int_equal(text_decode(NULL, 5, &cp), 0);
	assert_int_equal(cp, 0);
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_length(NULL), 0);
	assert_int_equal(text_length(""), 0);
	assert_true(text_valid(NULL, 0));
	assert_true(text_valid("", 0));
}

static void test_decode_invalid(void **state)
{
	uint32_t cp;
	/* 张 is E5 BC A0: cut after two bytes. */
	const char cut[] = "\xe5\xbc";

	(void)state;
	/* Never past the end: a sequence cut by len is invalid, byte by
	 * byte. */
	assert_int_equal(text_decode("张", 2, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode(cut, 2, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode(cut + 1, 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	/* Lone continuation, bad lead bytes, overlong, surrogate, too big. */
	assert_int_equal(text_decode("\x80", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("\xff", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("\xc0\xaf", 2, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("\xe0\x80\xaf", 3, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("\xed\xa0\x80", 3, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("\xf4\x90\x80\x80", 4, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	/* One U+FFFD per bad byte. */
	assert_int_equal(text_length("\xe5\xbc"), 2);
	assert_int_equal(text_length("a\xff\xfe" "b"), 4);
	assert_int_equal(text_width("\xed\xa0\x80"), 3);
	assert_false(text_valid(cut, 2));
	assert_false(text_valid("\xed\xa0\x80", 3));
	assert_false(text_valid("a\0b", 3));
	assert_true(text_valid("张三abc", strlen("张三abc")));
	assert_true(text_valid(FFFD, 3));
}

/* The strict face of the same decoder, used by the checks that refuse
 * bad input (validate, form files, err): 0 where text_decode shows U+FFFD. */
static void test_decode_strict(void **state)
{
	uint32_t cp = 7;

	(void)state;
	assert_int_equal(text_decode_strict("张三", 6, &cp), 3);
	assert_int_equal(cp, 0x5F20);
	assert_int_equal(text_decode_strict("𠀀", 4, &cp), 4);
	assert_int_equal(cp, 0x20000);
	/* A real U+FFFD is a character, not an error. */
	assert_int_equal(text_decode_strict(FFFD, 3, &cp), 3);
	assert_int_equal(cp, 0xFFFD);
	/* Bad bytes: 0, with U+FFFD. */
	assert_int_equal(text_decode_strict("张", 2, &cp), 0);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode_strict("\xc0\xaf", 2, &cp), 0);
	assert_int_equal(text_decode_strict("\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(text_decode_strict("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(text_decode_strict("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(text_decode_strict("\x80", 1, NULL), 0);
	/* A NUL-terminated string with a length beyond it: the NUL ends a
	 * cut sequence, nothing after it is read. */
	assert_int_equal(text_decode_strict("\xe5\xbc", SIZE_MAX, &cp), 0);
	assert_int_equal(text_decode_strict("单", SIZE_MAX, &cp), 3);
	assert_int_equal(cp, 0x5355);
	/* Empty and NULL. */
	assert_int_equal(text_decode_strict("", 0, &cp), 0);
	assert_int_equal(cp, 0);
	assert_int_equal(text_decode_strict(NULL, 4, &cp), 0);
}

static void test_encode(void **state)
{
	char buf[4];
	const uint32_t cps[] = { 'A', 0xE9, 0x5355, 0xFFFD, 0x20000, 0x10FFFF };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		uint32_t back;
		size_t n = text_encode(cps[i], buf);

		assert_int_equal(text_decode(buf, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	assert_int_equal(text_encode(0x5355, buf), 3);
	assert_memory_equal(buf, "单", 3);
	assert_int_equal(text_encode(0xD800, buf), 3);
	assert_memory_equal(buf, FFFD, 3);
	assert_int_equal(text_encode(0x110000, buf), 3);
	assert_memory_equal(buf, FFFD, 3);
}

static void test_cp_width(void **state)
{
	(void)state;
	assert_int_equal(text_cp_width('a'), 1);
	assert_int_equal(text_cp_width(0x5F20), 2);	/* 张 */
	assert_int_equal(text_cp_width(0x3400), 2);	/* ext A */
	assert_int_equal(text_cp_width(0x20000), 2);	/* ext B */
	assert_int_equal(text_cp_width(0x31350), 2);	/* ext H */
	assert_int_equal(text_cp_width(0x3000), 2);	/* ideographic space */
	assert_int_equal(text_cp_width(0xFF0C), 2);	/* ， */
	assert_int_equal(text_cp_width(0xFF21), 2);	/* Ａ */
	assert_int_equal(text_cp_width(0xAC00), 2);	/* 가 */
	assert_int_equal(text_cp_width(0x3042), 2);	/* あ */
	assert_int_equal(text_cp_width(0x1F600), 2);	/* 😀 */
	assert_int_equal(text_cp_width(0x0301), 0);	/* combining acute */
	assert_int_equal(text_cp_width(0x200B), 0);
	assert_int_equal(text_cp_width(0x200D), 0);
	assert_int_equal(text_cp_width(0xFE0F), 0);
	assert_int_equal(text_cp_width(0x00B7), 1);	/* · */
	assert_int_equal(text_cp_width(0x2026), 1);	/* … */
	assert_int_equal(text_cp_width(0x00E9), 1);
	assert_int_equal(text_cp_width(0x0416), 1);	/* Ж */
	/* As glibc counts them, so that ncurses agrees. */
	assert_int_equal(text_cp_width(0x0600), 1);
	assert_int_equal(text_cp_width(0x4DC0), 2);	/* ䷀ */
	assert_int_equal(text_cp_width(0x3248), 2);
	/* Controls show as U+FFFD: one column. */
	assert_int_equal(text_cp_width(0), 1);
	assert_int_equal(text_cp_width('\t'), 1);
	assert_int_equal(text_cp_width(0x7F), 1);
	assert_int_equal(text_cp_width(0x85), 1);
	assert_int_equal(text_cp_width(0xD800), 1);
	assert_true(text_is_control('\n'));
	assert_true(text_is_control(0x9B));
	assert_true(text_is_control(0x2028));
	assert_false(text_is_control(' '));
	assert_false(text_is_control(0x5F20));
	assert_true(text_is_zero_width(0x0301));
	assert_false(text_is_zero_width('a'));
	assert_false(text_is_zero_width(0));
}

static void test_width_strings(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("张三abc"), 7);
	assert_int_equal(text_width("欧阳·娜娜"), 9);
	assert_int_equal(text_width("e\xcc\x81"), 1);	/* e + U+0301 */
	assert_int_equal(text_width("a\tb"), 3);
	assert_int_equal(text_width("\xff张"), 3);
	assert_int_equal(text_width("商城县赤城街道"), 14);
	assert_int_equal(text_width_n("张三abc", 3), 2);
	assert_int_equal(text_width_n("张三abc", 4), 3);	/* 张 + 1 bad */
	assert_int_equal(text_length("张三abc"), 5);
	assert_int_equal(text_length("e\xcc\x81"), 2);
}

static void test_prefix(void **state)
{
	size_t w;

	(void)state;
	assert_int_equal(text_prefix("张三abc", 3, &w), 3);
	assert_int_equal(w, 2);
	assert_int_equal(text_prefix("张三abc", 4, &w), 6);
	assert_int_equal(w, 4);
	assert_int_equal(text_prefix("张三abc", 100, &w), strlen("张三abc"));
	assert_int_equal(w, 7);
	assert_int_equal(text_prefix("张三abc", 1, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(text_prefix("张三abc", 0, &w), 0);
	/* A combining mark stays with its base. */
	assert_int_equal(text_prefix("e\xcc\x81x", 1, &w), 3);
	assert_int_equal(w, 1);
	assert_int_equal(text_prefix(NULL, 5, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(text_prefix("", 5, NULL), 0);
}

static void check_trim(const char *s, size_t cols, unsigned flags,
		       const char *want, size_t want_w)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w = text_trim(&sb, s, cols, flags);

	assert_string_equal(sb.buf, want);
	assert_int_equal(w, want_w);
	assert_int_equal(text_width(sb.buf), want_w);
	assert_true(w <= cols);
	strbuf_release(&sb);
}

static void test_trim(void **state)
{
	(void)state;
	check_trim("张三李四", 8, 0, "张三李四", 8);
	check_trim("张三李四", 5, 0, "张三", 4);
	check_trim("张三李四", 5, TEXT_ELLIPSIS_CUT, "张三…", 5);
	check_trim("张三李四", 4, TEXT_ELLIPSIS_CUT, "张…", 3);
	check_trim("张三", 4, TEXT_ELLIPSIS_CUT, "张三", 4);
	check_trim("张三", 1, TEXT_ELLIPSIS_CUT, "…", 1);
	check_trim("张三", 1, 0, "", 0);
	check_trim("张三", 0, TEXT_ELLIPSIS_CUT, "", 0);
	check_trim("张三abc", 5, 0, "张三a", 5);
	check_trim("张三abc", 6, TEXT_ELLIPSIS_CUT, "张三a…", 6);
	check_trim("欧阳·娜娜", 6, TEXT_ELLIPSIS_CUT, "欧阳·…", 6);
	check_trim("e\xcc\x81" "abc", 2, TEXT_ELLIPSIS_CUT,
		   "e\xcc\x81…", 2);
	/* Controls and bad bytes come out as U+FFFD, one column. */
	check_trim("a\tb", 10, 0, "a" FFFD "b", 3);
	check_trim("\xff张", 10, 0, FFFD "张", 3);
	check_trim("\x1b[2J", 10, 0, FFFD "[2J", 4);
	check_trim(NULL, 5, 0, "", 0);
	check_trim("", 5, TEXT_ELLIPSIS_CUT, "", 0);
}

static void test_pad_lines_up_columns(void **state)
{
	const char *names[] = { "张三", "Li Si", "欧阳·娜娜", "单于", "",
				"尉迟恭敬德", "e\xcc\x81mile", NULL };
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	text_pad(&sb, "张三", 6, 0);
	assert_string_equal(sb.buf, "张三  ");
	strbuf_reset(&sb);
	text_pad(&sb, "张三", 6, TEXT_ALIGN_RIGHT);
	assert_string_equal(sb.buf, "  张三");
	strbuf_reset(&sb);
	text_pad(&sb, "张三李四", 7, 0);
	assert_string_equal(sb.buf, "张三李 ");
	strbuf_reset(&sb);
	text_pad(&sb, "张三李四", 7, TEXT_ELLIPSIS_CUT | TEXT_ALIGN_RIGHT);
	assert_string_equal(sb.buf, "张三李…");
	strbuf_reset(&sb);
	/* A table: every row as wide, the bar always in the same column. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t bar;

		strbuf_reset(&sb);
		assert_int_equal(text_pad(&sb, names[i], 8,
					  TEXT_ELLIPSIS_CUT), 8);
		strbuf_addstr(&sb, "|");
		text_pad(&sb, "411524", 7, TEXT_ALIGN_RIGHT);
		assert_int_equal(text_width(sb.buf), 16);
		bar = (size_t)(strchr(sb.buf, '|') - sb.buf);
		assert_int_equal(text_width_n(sb.buf, bar), 8);
	}
	strbuf_release(&sb);
}

/* A JSON escape as the stored answers and the log's runs hold them. */
/* text_copy() gives what snprintf("%s") gives: cut to the size, ended
 * by a NUL, NULL as empty. */
static void test_copy(void **state)
{
	char buf[8], ref[8];
	static const char *const in[] = { "", "王秀英", "411524", "商城县赤城街道", "abcdefg", "abcdefgh" };
	size_t i, size;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (size = 1; size <= sizeof(buf); size++) {
			memset(buf, 'x', sizeof(buf));
			memset(ref, 'x', sizeof(ref));
			text_copy(buf, size, in[i]);
			snprintf(ref, size, "%s", in[i]);
			assert_memory_equal(buf, ref, sizeof(buf));
		}
	text_copy(buf, sizeof(buf), NULL);
	assert_string_equal(buf, "");
	memset(buf, 'x', sizeof(buf));
	text_copy(buf, 0, "王");
	assert_int_equal(buf[0], 'x');
}

static void test_json_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	enum text_json_bad bad = 0;
	uint32_t unit;
	static const struct { const char *in; size_t used; const char *out; } good[] = {
		{ "\\\"x", 2, "\"" }, { "\\\\", 2, "\\" }, { "\\/", 2, "/" }, { "\\n", 2, "\n" },
		{ "\\t", 2, "\t" }, { "\\u4e2d", 6, "中" }, { "\\u00E9", 6, "é" },
		{ "\\ud83d\\ude00", 12, "\xf0\x9f\x98\x80" },
	};
	static const struct { const char *in; enum text_json_bad bad; uint32_t unit; } wrong[] = {
		{ "\\x", TEXT_JSON_ESCAPE, 'x' }, { "\\", TEXT_JSON_ESCAPE, 0 },
		{ "\\u12", TEXT_JSON_HEX, 'u' }, { "\\u12g4", TEXT_JSON_HEX, 'u' },
		{ "\\u0000", TEXT_JSON_NUL, 0 }, { "\\udc00", TEXT_JSON_LOW, 0xDC00 },
		{ "\\ud83dx", TEXT_JSON_HIGH, 0xD83D }, { "\\ud83d\\u0041", TEXT_JSON_HIGH, 0xD83D },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		strbuf_reset(&sb);
		assert_int_equal(text_json_escape(good[i].in, good[i].in + strlen(good[i].in), &sb,
						  &bad, &unit), good[i].used);
		assert_string_equal(sb.buf, good[i].out);
	}
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		strbuf_reset(&sb);
		assert_int_equal(text_json_escape(wrong[i].in, wrong[i].in + strlen(wrong[i].in), &sb,
						  &bad, &unit), 0);
		assert_int_equal(bad, wrong[i].bad);
		assert_int_equal(unit, wrong[i].unit);
		assert_int_equal(sb.len, 0);
	}
	/* what lies past end is not read: a pair cut off is refused */
	assert_int_equal(text_json_escape("\\ud83d\\ude00", "\\ud83d\\ude00" + 11, &sb, &bad, &unit), 0);
	assert_int_equal(bad, TEXT_JSON_HIGH);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_empty_and_null),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_decode_strict),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_cp_width),
		cmocka_unit_test(test_width_strings),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_pad_lines_up_columns),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_copy),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
