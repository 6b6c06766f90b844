/* test_validate.c - every rule of the validation module, each with a
 * passing Chinese case and failing cases that check the code and the words
 * of the message. The clock is fixed at 2026-11-28T08:00:00Z (UTC). */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "guanqing/clock.h"
#include "guanqing/err.h"
#include "guanqing/validate.h"

static struct gq_err e;

/* The call must succeed; on failure show its message. */
#define OK(call)							\
	do {								\
		enum gq_status rc_;					\
		gq_err_clear(&e);					\
		rc_ = (call);						\
		if (rc_ != GQ_OK)					\
			fail_msg("%s failed: %s", #call, e.msg);	\
		assert_int_equal(e.code, GQ_OK);			\
	} while (0)

/* The call must be refused with GQ_EINVAL and a message holding piece. */
#define REFUSED(call, piece)						\
	do {								\
		enum gq_status rc_;					\
		gq_err_clear(&e);					\
		rc_ = (call);						\
		assert_int_equal(rc_, GQ_EINVAL);			\
		assert_int_equal(e.code, GQ_EINVAL);			\
		if (!strstr(e.msg, (piece)))				\
			fail_msg("%s: message \"%s\" lacks \"%s\"",	\
				 #call, e.msg, (piece));		\
	} while (0)

static int setup(void **state)
{
	int64_t ms;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	if (clock_parse("2026-11-28T08:00:00Z", &ms) != 0)
		return -1;
	clock_set_fixed(ms);
	return 0;
}

/* ---- UTF-8 and text ----------------------------------------------------- */

static enum gq_status u8(const char *s, unsigned flags)
{
	return validate_utf8("备注", s, strlen(s), flags, &e);
}

static void test_utf8_valid(void **state)
{
	const char nul[] = "ab\0cd";

	(void)state;
	OK(u8("一枝一叶总关情", 0));
	OK(u8("商城县 411524, Shangcheng", 0));
	OK(u8("\xF0\xA0\x80\x80", 0));		/* U+20000, Extension B */
	OK(u8("\xF4\x8F\xBF\xBF", 0));		/* U+10FFFF, the last */
	OK(u8("", 0));
	OK(validate_utf8("备注", NULL, 0, 0, &e));
	REFUSED(validate_utf8("备注", NULL, 3, 0, &e), "备注");
	/* The length is honoured: a NUL inside it is a control character,
	 * bytes after it are not read. */
	REFUSED(validate_utf8("备注", nul, 5, 0, &e), "U+0000");
	OK(validate_utf8("备注", nul, 2, 0, &e));
	OK(validate_utf8("备注", "张三\xFF", strlen("张三"), 0, &e));
	/* err may be NULL. */
	assert_int_equal(validate_utf8("x", "\xFF", 1, 0, NULL), GQ_EINVAL);
}

static void test_utf8_malformed(void **state)
{
	(void)state;
	REFUSED(u8("\xC0\xAF", 0), "not valid UTF-8 at byte 1");	/* overlong / */
	REFUSED(u8("a\xE0\x80\xAF", 0), "at byte 2");		/* overlong */
	REFUSED(u8("\xF0\x80\x80\xAF", 0), "byte 1");		/* overlong */
	REFUSED(u8("\xED\xA0\x80", 0), "byte 1");		/* surrogate */
	REFUSED(u8("\xF4\x90\x80\x80", 0), "byte 1");		/* > U+10FFFF */
	REFUSED(u8("\xF5\x80\x80\x80", 0), "byte 1");
	REFUSED(u8("张\xE4\xB8", 0), "at byte 4");		/* truncated */
	REFUSED(u8("\x80", 0), "byte 1");			/* stray */
	/* 中文 in GBK, as pasted from an old Windows file. */
	REFUSED(u8("\xD6\xD0\xCE\xC4", 0), "GBK");
	REFUSED(u8("\xD6\xD0\xCE\xC4", 0), "\"备注\"");
}

static void test_utf8_controls(void **state)
{
	(void)state;
	REFUSED(u8("张三\a", 0), "character 3 is a control character (U+0007)");
	REFUSED(u8("张三\x7F", 0), "U+007F");
	REFUSED(u8("张\xC2\x85三", 0), "U+0085");	/* C1 next line */
	REFUSED(u8("第一行\n第二行", 0), "single line");
	REFUSED(u8("第一行\n第二行", 0), "character 4 is a line break");
	REFUSED(u8("a\tb", 0), "U+0009");
	OK(u8("第一行\n第二行\t完", VALIDATE_MULTILINE));
	REFUSED(u8("第一行\r\n第二行", VALIDATE_MULTILINE), "line break");
	REFUSED(u8("\x1B[31m红", VALIDATE_MULTILINE), "U+001B");
}

static void test_utf8_count_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_count_chars("张三"), 2);
	assert_int_equal(utf8_count_chars("阿卜杜拉·买买提"), 8);
	assert_int_equal(utf8_count_chars("a中\xF0\xA0\x80\x80"), 3);
	assert_int_equal(utf8_count_chars(""), 0);
	assert_int_equal(utf8_count_chars(NULL), 0);
	/* Invalid bytes count one each, as U+FFFD would be shown. */
	assert_int_equal(utf8_count_chars("\xFF\xFE张"), 3);
	assert_int_equal(utf8_count_chars("\xE4\xB8"), 2);
}

static void test_length_and_text(void **state)
{
	(void)state;
	OK(validate_length("姓名", "阿卜杜拉·买买提", 1, 8, &e));
	REFUSED(validate_length("姓名", "阿卜杜拉·买买提", 1, 7, &e),
		"Field \"姓名\" must have at most 7 characters; it has 8.");
	REFUSED(validate_length("姓名", "张", 2, 10, &e),
		"must have at least 2 characters; it has 1.");
	REFUSED(validate_length("姓名", "", 1, 10, &e), "is required");
	REFUSED(validate_length("姓名", NULL, 1, 10, &e), "is required");
	OK(validate_length("备注", NULL, 0, 10, &e));
	OK(validate_length("备注", "", 0, (size_t)-1, &e));
	REFUSED(validate_length("备注", "\xFF", 0, 10, &e), "UTF-8");
	/* Characters, not bytes: 30 Chinese characters are 90 bytes. */
	OK(validate_length("备注", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
			   0, 30, &e));

	OK(validate_text("备注", "孩子在学校表现良好。\n需要冬衣。",
			 0, 500, VALIDATE_MULTILINE, &e));
	REFUSED(validate_text("地址", "商城县\n赤城街道", 0, 100, 0, &e),
		"single line");
	REFUSED(validate_text("地址", "商城县赤城街道", 0, 5, 0, &e),
		"at most 5 characters; it has 7");
	OK(validate_text("地址", NULL, 0, 5, 0, &e));
	/* A NULL label still gives a whole message. */
	REFUSED(validate_text(NULL, "长长长长长长", 0, 5, 0, &e),
		"at most 5 characters");
}

static void test_required(void **state)
{
	(void)state;
	OK(validate_required("姓名", "张三", &e));
	OK(validate_required("姓名", " 张 ", &e));
	REFUSED(validate_required("姓名", "", &e),
		"Field \"姓名\" is required and is empty.");
	REFUSED(validate_required("姓名", NULL, &e), "\"姓名\"");
	REFUSED(validate_required("姓名", " \t\n", &e), "required");
	REFUSED(validate_required("姓名", "\xE3\x80\x80", &e), "required");	/* U+3000 */
	REFUSED(validate_required("姓名", "\xC2\xA0", &e), "required");		/* NBSP */
	REFUSED(validate_required("Name", "", &e), "Field \"Name\"");
	assert_true(validate_is_blank(NULL));
	assert_true(validate_is_blank(""));
	assert_true(validate_is_blank(" \xE3\x80\x80 "));
	assert_false(validate_is_blank("\xFF"));
	assert_false(validate_is_blank(" 张 "));
	assert_int_equal(validate_required("x", "", NULL), GQ_EINVAL);
}

/* ---- Person name -------------------------------------------------------- */

static void test_name_valid(void **state)
{
	char out[VALIDATE_NAME_SIZE];

	(void)state;
	OK(validate_person_name("姓名", "张三", out, sizeof(out), &e));
	assert_string_equal(out, "张三");
	OK(validate_person_name("姓名", "  王小明\xE3\x80\x80", out, sizeof(out), &e));
	assert_string_equal(out, "王小明");
	OK(validate_person_name("姓名", "阿卜杜拉·买买提", out, sizeof(out), &e));
	assert_string_equal(out, "阿卜杜拉·买买提");
	/* Look-alike dots become U+00B7. */
	OK(validate_person_name("姓名", "阿卜杜拉\xE2\x80\xA2买买提", out, sizeof(out), &e));
	assert_string_equal(out, "阿卜杜拉\xC2\xB7买买提");
	OK(validate_person_name("姓名", "爱新觉罗\xE3\x83\xBB溥仪", out, sizeof(out), &e));
	assert_string_equal(out, "爱新觉罗\xC2\xB7溥仪");
	OK(validate_person_name("姓名", "穆罕默德\xEF\xBD\xA5阿里", out, sizeof(out), &e));
	assert_string_equal(out, "穆罕默德\xC2\xB7阿里");
	/* Extension A (㐀), Extension B (𠀀), compatibility (豈), 〇. */
	OK(validate_person_name("姓名", "李\xE3\x90\x80\xF0\xA0\x80\x80", out, sizeof(out), &e));
	OK(validate_person_name("姓名", "金\xEF\xA4\x80", out, sizeof(out), &e));
	OK(validate_person_name("姓名", "李〇", out, sizeof(out), &e));
	/* Ext G (U+30000) and Ext C (U+2A700). */
	OK(validate_person_name("姓名", "\xF0\xB0\x80\x80\xF0\xAA\x9C\x80", out, sizeof(out), &e));
	/* Latin names, with a single space between words. */
	OK(validate_person_name("姓名", " Mary Smith ", out, sizeof(out), &e));
	assert_string_equal(out, "Mary Smith");
	OK(validate_person_name("姓名", "Mary\xE3\x80\x80Smith", out, sizeof(out), &e));
	assert_string_equal(out, "Mary Smith");
	OK(validate_person_name("姓名", "Jean·Paul", NULL, 0, &e));
	/* Exactly 30 characters. */
	OK(validate_person_name("姓名", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
				out, sizeof(out), &e));
	assert_int_equal(utf8_count_chars(out), 30);
}

static void test_name_refused(void **state)
{
	char out[VALIDATE_NAME_SIZE], small[4];

	(void)state;
	REFUSED(validate_person_name("姓名", "", out, sizeof(out), &e),
		"Field \"姓名\" is required");
	REFUSED(validate_person_name("姓名", NULL, out, sizeof(out), &e), "required");
	REFUSED(validate_person_name("姓名", "　 ", out, sizeof(out), &e), "required");
	REFUSED(validate_person_name("姓名", "张三2", out, sizeof(out), &e),
		"a name cannot contain digits (character 3 is \"2\")");
	REFUSED(validate_person_name("姓名", "张\xEF\xBC\x93", out, sizeof(out), &e),
		"digits");	/* full-width ３ */
	REFUSED(validate_person_name("姓名", "·买买提", out, sizeof(out), &e),
		"cannot begin or end with the middle dot");
	REFUSED(validate_person_name("姓名", "买买提•", out, sizeof(out), &e),
		"cannot begin or end");
	REFUSED(validate_person_name("姓名", "阿卜杜拉··买买提", out, sizeof(out), &e),
		"cannot be doubled");
	REFUSED(validate_person_name("姓名", "阿卜杜拉·・买买提", out, sizeof(out), &e),
		"cannot be doubled");
	REFUSED(validate_person_name("姓名", "张 三", out, sizeof(out), &e),
		"space only between two Latin letters");
	REFUSED(validate_person_name("姓名", "张 三", out, sizeof(out), &e),
		"character 2");
	REFUSED(validate_person_name("姓名", "Mary  Smith", out, sizeof(out), &e),
		"space");
	REFUSED(validate_person_name("姓名", "Mary 张", out, sizeof(out), &e),
		"space");
	REFUSED(validate_person_name("姓名", "张三！", out, sizeof(out), &e),
		"the character \"！\" (U+FF01) cannot be in a name");
	REFUSED(validate_person_name("姓名", "José", out, sizeof(out), &e),
		"U+00E9");
	REFUSED(validate_person_name("姓名", "김철수", out, sizeof(out), &e),
		"cannot be in a name");
	REFUSED(validate_person_name("姓名", "张三\t", out, sizeof(out), &e),
		"U+0009");
	REFUSED(validate_person_name("姓名", "张\xFF", out, sizeof(out), &e),
		"UTF-8");
	REFUSED(validate_person_name("姓名",
		"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
		out, sizeof(out), &e),
		"Field \"姓名\" must have at most 30 characters; it has 31.");
	REFUSED(validate_person_name("姓名", "欧阳修", small, sizeof(small), &e),
		"does not fit");
	/* Nothing is written on a refusal. */
	strcpy(out, "unchanged");
	REFUSED(validate_person_name("姓名", "张3", out, sizeof(out), &e), "digits");
	assert_string_equal(out, "unchanged");
}

/* ---- Resident ID number ------------------------------------------------- */

/* Build a valid 18-character number from 17 digits, independently of the
 * module, with the GB 11643-1999 weights. */
static void make_id(char out[19], const char *first17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
				  7, 9, 10, 5, 8, 4, 2};
	int i, s = 0;

	assert_int_equal(strlen(first17), 17);
	for (i = 0; i < 17; i++)
		s += (first17[i] - '0') * w[i];
	memcpy(out, first17, 17);
	out[17] = "10X98765432"[s % 11];
	out[18] = '\0';
}

static void test_id_public_vectors(void **state)
{
	struct validate_id id;

	(void)state;
	OK(validate_id_number("身份证号", "11010519491231002X", &id, &e));
	assert_string_equal(id.number, "11010519491231002X");
	assert_int_equal(id.sex, 'F');
	assert_string_equal(id.birth, "1949-12-31");
	assert_string_equal(id.address, "110105");

	OK(validate_id_number("身份证号", "360426199101010071", &id, &e));
	assert_int_equal(id.sex, 'M');
	assert_string_equal(id.birth, "1991-01-01");

	OK(validate_id_number("身份证号", "412723199010050012", &id, &e));
	assert_int_equal(id.sex, 'M');
	assert_string_equal(id.birth, "1990-10-05");
	assert_string_equal(id.address, "412723");

	REFUSED(validate_id_number("身份证号", "36042619910102009X", &id, &e),
		"Field \"身份证号\": the check character should be 3, not X.");
	OK(validate_id_number("身份证号", "360426199101020093", &id, &e));
}

static void test_id_shangcheng(void **state)
{
	struct validate_id id;
	char num[19], low[19], first[18];
	int seq, found_x = 0;

	(void)state;
	/* A man of Shangcheng born on 1980-01-01. */
	make_id(num, "41152419800101001");
	OK(validate_id_number("身份证号", num, &id, &e));
	assert_string_equal(id.number, num);
	assert_int_equal(id.sex, 'M');
	assert_string_equal(id.birth, "1980-01-01");
	assert_string_equal(id.address, "411524");

	/* A girl born today (the fixed clock): not in the future. */
	make_id(num, "41152420261128002");
	OK(validate_id_number("身份证号", num, &id, &e));
	assert_int_equal(id.sex, 'F');
	assert_string_equal(id.birth, "2026-11-28");

	/* Boundaries: 1900-01-01 and a leap day. */
	make_id(num, "41152419000101003");
	OK(validate_id_number("身份证号", num, &id, &e));
	make_id(num, "41152420000229004");
	OK(validate_id_number("身份证号", num, &id, &e));
	assert_string_equal(id.birth, "2000-02-29");

	/* A number whose check character is X, typed with a lower-case x. */
	for (seq = 0; seq < 1000 && !found_x; seq++) {
		snprintf(first, sizeof(first), "41152420120606%03d", seq);
		make_id(num, first);
		if (num[17] == 'X')
			found_x = 1;
	}
	assert_true(found_x);
	strcpy(low, num);
	low[17] = 'x';
	OK(validate_id_number("身份证号", low, &id, &e));
	assert_string_equal(id.number, num);

	/* White space around it and full-width digits from an input method. */
	OK(validate_id_number("身份证号", "  360426199101010071 ", &id, &e));
	assert_string_equal(id.number, "360426199101010071");
	OK(validate_id_number("身份证号",
			      "１１０１０５１９４９１２３１００２Ｘ", &id, &e));
	assert_string_equal(id.number, "11010519491231002X");
	OK(validate_id_number("身份证号", "11010519491231002ｘ", &id, &e));
	assert_string_equal(id.number, "11010519491231002X");

	/* Hong Kong, Macao and Taiwan residence permits. */
	make_id(num, "81000019800101001");
	OK(validate_id_number("身份证号", num, NULL, &e));
	make_id(num, "83000019800101002");
	OK(validate_id_number("身份证号", num, NULL, &e));
}

static void test_id_refused(void **state)
{
	struct validate_id id;
	char num[19];

	(void)state;
	REFUSED(validate_id_number("身份证号", "", &id, &e),
		"Field \"身份证号\" is required");
	REFUSED(validate_id_number("身份证号", NULL, &id, &e), "required");
	REFUSED(validate_id_number("身份证号", "   ", &id, &e), "required");

	/* Length. */
	REFUSED(validate_id_number("身份证号", "41152419800101001", &id, &e),
		"an ID number has 18 characters; this one has 17.");
	REFUSED(validate_id_number("身份证号", "4115241980010100131", &id, &e),
		"this one has 19.");
	REFUSED(validate_id_number("身份证号", "411524800101001", &id, &e),
		"old 15-digit ID number");
	REFUSED(validate_id_number("身份证号", "张三", &id, &e), "has 2");

	/* Characters. */
	REFUSED(validate_id_number("身份证号", "4115241980O101001X", &id, &e),
		"character 11 of the ID number is \"O\"; the first 17 characters must be digits");
	REFUSED(validate_id_number("身份证号", "41152419800101001张", &id, &e),
		"the last character of the ID number is \"张\"; it must be a digit or X");
	REFUSED(validate_id_number("身份证号", "411524 9800101001X", &id, &e),
		"character 7");
	REFUSED(validate_id_number("身份证号", "41152419800101001\a", &id, &e),
		"U+0007");

	/* Address code. */
	make_id(num, "00000019800101001");
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"the address code 000000");
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"00 is not a province code");
	make_id(num, "99152419800101001");
	REFUSED(validate_id_number("身份证号", num, &id, &e), "99 is not a province");
	make_id(num, "16152419800101001");
	REFUSED(validate_id_number("身份证号", num, &id, &e), "16 is not a province");
	make_id(num, "41000019800101001");
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"address code 410000 at the start of the ID number is unknown");

	/* Birth date. */
	make_id(num, "41152419800230001");
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"the birth date 1980-02-30 in the ID number (characters 7 to 14) is not a real calendar date");
	make_id(num, "41152419001301001");
	REFUSED(validate_id_number("身份证号", num, &id, &e), "1900-13-01");
	make_id(num, "41152419000229001");
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"1900-02-29 in the ID number (characters 7 to 14) is not a real");
	make_id(num, "41152418991231001");
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"the birth date 1899-12-31 in the ID number is before 1900");
	make_id(num, "41152420261129001");
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"the birth date 2026-11-29 in the ID number is in the future (today is 2026-11-28)");

	/* Check character, with the expected one named. */
	make_id(num, "41152419800101001");
	num[17] = num[17] == '0' ? '1' : '0';
	REFUSED(validate_id_number("身份证号", num, &id, &e),
		"the check character should be ");
	{
		char good[19], want[64];

		make_id(good, "41152419800101001");
		snprintf(want, sizeof(want),
			 "the check character should be %c, not %c.",
			 good[17], num[17]);
		REFUSED(validate_id_number("ID number", num, &id, &e), want);
		REFUSED(validate_id_number("ID number", num, &id, &e),
			"Field \"ID number\"");
	}
	/* A swapped pair of digits is caught by the check character. */
	make_id(num, "41152419800101023");
	num[15] = '3';
	num[16] = '2';
	REFUSED(validate_id_number("身份证号", num, &id, &e), "check character");

	/* The output is untouched on a refusal. */
	memset(&id, 0, sizeof(id));
	REFUSED(validate_id_number("身份证号", "36042619910102009X", &id, &e),
		"should be 3");
	assert_int_equal(id.sex, 0);
	assert_string_equal(id.number, "");
}

static void test_id_agrees(void **state)
{
	struct validate_id id;

	(void)state;
	OK(validate_id_number("身份证号", "11010519491231002X", &id, &e));
	OK(validate_id_agrees(&id, 'F', "1949-12-31", "性别", "出生日期", &e));
	OK(validate_id_agrees(&id, 'f', NULL, "性别", "出生日期", &e));
	OK(validate_id_agrees(&id, 0, "", "性别", "出生日期", &e));
	OK(validate_id_agrees(NULL, 'M', "2000-01-01", "性别", "出生日期", &e));
	REFUSED(validate_id_agrees(&id, 'M', NULL, "性别", "出生日期", &e),
		"Field \"性别\": the sex given (male) does not agree with the ID number, which says female.");
	REFUSED(validate_id_agrees(&id, '?', NULL, "性别", "出生日期", &e),
		"M (male) or F (female)");
	REFUSED(validate_id_agrees(&id, 'F', "1949-12-30", "性别", "出生日期", &e),
		"Field \"出生日期\": the birth date 1949-12-30 does not agree with the ID number, which says 1949-12-31.");
}

/* ---- Phone numbers ------------------------------------------------------ */

static void phone_ok(const char *in, unsigned kinds, const char *want,
		     unsigned want_kind)
{
	char out[VALIDATE_PHONE_SIZE];
	unsigned kind = 0;

	gq_err_clear(&e);
	if (validate_phone("电话", in, kinds, out, sizeof(out), &kind, &e) != GQ_OK)
		fail_msg("\"%s\" refused: %s", in, e.msg);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" gave \"%s\", not \"%s\"", in, out, want);
	assert_int_equal(kind, want_kind);
}

static void test_phone_valid(void **state)
{
	const unsigned M = VALIDATE_PHONE_MOBILE, L = VALIDATE_PHONE_LANDLINE;

	(void)state;
	phone_ok("13812345678", 0, "13812345678", M);
	phone_ok("138 1234 5678", VALIDATE_PHONE_ANY, "13812345678", M);
	phone_ok("138-1234-5678", M, "13812345678", M);
	phone_ok("+86 138 1234 5678", 0, "13812345678", M);
	phone_ok("+8619912345678", 0, "19912345678", M);
	phone_ok("0086-15912345678", 0, "15912345678", M);
	phone_ok(" 17712345678 ", 0, "17712345678", M);
	phone_ok("１３８１２３４５６７８", 0, "13812345678", M);	/* full-width */

	phone_ok("0376-2345678", 0, "0376-2345678", L);		/* Shangcheng */
	phone_ok("03762345678", L, "0376-2345678", L);
	phone_ok("0376 7654321", 0, "0376-7654321", L);
	phone_ok("(0376)2345678", 0, "0376-2345678", L);
	phone_ok("（0376）2345678", 0, "0376-2345678", L);
	phone_ok("0376-2345678-123", 0, "0376-2345678-123", L);
	phone_ok("0376-2345678转123", 0, "0376-2345678-123", L);
	phone_ok("0376-2345678 转 8", 0, "0376-2345678-8", L);
	phone_ok("010-62345678", 0, "010-62345678", L);		/* Beijing */
	phone_ok("01062345678", 0, "010-62345678", L);
	phone_ok("021-23456789", 0, "021-23456789", L);		/* Shanghai */
	phone_ok("+86 376 2345678", 0, "0376-2345678", L);
	phone_ok("0376-23456789", 0, "0376-23456789", L);
	/* A 7-digit local number followed by a one-digit extension. */
	phone_ok("0376-2345678-1", 0, "0376-2345678-1", L);
	/* Output and kind pointers may be NULL. */
	OK(validate_phone("电话", "13812345678", 0, NULL, 0, NULL, &e));
}

static void test_phone_refused(void **state)
{
	char out[VALIDATE_PHONE_SIZE], tiny[5];

	(void)state;
	REFUSED(validate_phone("电话", "", 0, out, sizeof(out), NULL, &e),
		"Field \"电话\" is required");
	REFUSED(validate_phone("电话", NULL, 0, out, sizeof(out), NULL, &e), "required");
	REFUSED(validate_phone("电话", "1381234567", 0, out, sizeof(out), NULL, &e),
		"a mobile number has 11 digits; 1381234567 has 10.");
	REFUSED(validate_phone("电话", "138123456789", 0, out, sizeof(out), NULL, &e),
		"has 12");
	REFUSED(validate_phone("电话", "12812345678", 0, out, sizeof(out), NULL, &e),
		"12812345678 is not a mobile number: its second digit must be 3 to 9");
	REFUSED(validate_phone("电话", "13812345678转12", 0, out, sizeof(out), NULL, &e),
		"no extension");
	REFUSED(validate_phone("电话", "2345678", 0, out, sizeof(out), NULL, &e),
		"the landline number 2345678 needs its area code first, such as 0376-2345678");
	REFUSED(validate_phone("电话", "0376-234567", 0, out, sizeof(out), NULL, &e),
		"the local number after the area code 0376 must have 7 or 8 digits, not 6");
	REFUSED(validate_phone("电话", "0376-123456789", 0, out, sizeof(out), NULL, &e),
		"not 9");
	REFUSED(validate_phone("电话", "0376-1234567", 0, out, sizeof(out), NULL, &e),
		"cannot begin with 0 or 1");
	REFUSED(validate_phone("电话", "037-62345678", 0, out, sizeof(out), NULL, &e),
		"does not begin with a valid area code");
	REFUSED(validate_phone("电话", "011-2345678", 0, out, sizeof(out), NULL, &e),
		"valid area code");
	REFUSED(validate_phone("电话", "00442071234567", 0, out, sizeof(out), NULL, &e),
		"valid area code");
	REFUSED(validate_phone("电话", "+44 20 7123 4567", 0, out, sizeof(out), NULL, &e),
		"not a mainland China number");
	REFUSED(validate_phone("电话", "0376-2345678转", 0, out, sizeof(out), NULL, &e),
		"must be 1 to 6 digits");
	REFUSED(validate_phone("电话", "0376-2345678转1234567", 0, out, sizeof(out), NULL, &e),
		"1 to 6 digits");
	REFUSED(validate_phone("电话", "0376-2345678-1234567", 0, out, sizeof(out), NULL, &e),
		"1 to 6 digits");
	REFUSED(validate_phone("电话", "138一二三四五六七八", 0, out, sizeof(out), NULL, &e),
		"contains \"一\", which cannot be part of a phone number");
	REFUSED(validate_phone("电话", "138.1234.5678", 0, out, sizeof(out), NULL, &e),
		"\".\"");
	REFUSED(validate_phone("电话", "---", 0, out, sizeof(out), NULL, &e),
		"is not a phone number");
	REFUSED(validate_phone("电话", "12345", 0, out, sizeof(out), NULL, &e),
		"has 5");
	REFUSED(validate_phone("电话", "9999", 0, out, sizeof(out), NULL, &e),
		"is not a phone number");
	REFUSED(validate_phone("手机", "0376-2345678", VALIDATE_PHONE_MOBILE,
			       out, sizeof(out), NULL, &e),
		"Field \"手机\": 0376-2345678 is a landline number; a mobile number is needed here.");
	REFUSED(validate_phone("座机", "13812345678", VALIDATE_PHONE_LANDLINE,
			       out, sizeof(out), NULL, &e),
		"is a mobile number; a landline number is needed here");
	REFUSED(validate_phone("电话", "0376-2345678", 0, tiny, sizeof(tiny), NULL, &e),
		"does not fit");
	REFUSED(validate_phone("电话", "138\xFF", 0, out, sizeof(out), NULL, &e),
		"UTF-8");
	{
		char big[600];

		memset(big, '1', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		REFUSED(validate_phone("电话", big, 0, out, sizeof(out), NULL, &e),
			"\xE2\x80\xA6");	/* quoted, cut with … */
		assert_true(strlen(e.msg) < 400);
	}
}

/* ---- Dates -------------------------------------------------------------- */

static void test_date_rules(void **state)
{
	(void)state;
	OK(validate_date("走访日期", "2026-11-28", NULL, NULL, 0, &e));
	OK(validate_date("走访日期", "2000-02-29", NULL, NULL, 0, &e));
	OK(validate_date("走访日期", "2024-02-29", NULL, NULL, 0, &e));
	OK(validate_date("走访日期", "0001-01-01", NULL, NULL, 0, &e));
	OK(validate_date("走访日期", "9999-12-31", NULL, NULL, 0, &e));
	REFUSED(validate_date("走访日期", "1900-02-29", NULL, NULL, 0, &e),
		"Field \"走访日期\": the date 1900-02-29 is not a real calendar date: 1900 is not a leap year.");
	REFUSED(validate_date("走访日期", "2025-02-29", NULL, NULL, 0, &e),
		"2025 is not a leap year");
	REFUSED(validate_date("走访日期", "2026-04-31", NULL, NULL, 0, &e),
		"the date 2026-04-31 is not a real calendar date.");
	REFUSED(validate_date("走访日期", "2026-13-01", NULL, NULL, 0, &e),
		"not a real calendar date");
	REFUSED(validate_date("走访日期", "2026-00-10", NULL, NULL, 0, &e), "not a real");
	REFUSED(validate_date("走访日期", "2026-01-00", NULL, NULL, 0, &e), "not a real");
	REFUSED(validate_date("走访日期", "0000-01-01", NULL, NULL, 0, &e), "not a real");
	REFUSED(validate_date("走访日期", "2026/11/28", NULL, NULL, 0, &e),
		"\"2026/11/28\" is not a date written as YYYY-MM-DD");
	REFUSED(validate_date("走访日期", "2026-1-5", NULL, NULL, 0, &e), "YYYY-MM-DD");
	REFUSED(validate_date("走访日期", "2026-11-28 ", NULL, NULL, 0, &e), "YYYY-MM-DD");
	REFUSED(validate_date("走访日期", "二〇二六年", NULL, NULL, 0, &e), "YYYY-MM-DD");
	REFUSED(validate_date("走访日期", "", NULL, NULL, 0, &e), "required");
	REFUSED(validate_date("走访日期", NULL, NULL, NULL, 0, &e), "required");

	/* Today is 2026-11-28 by the fixed clock. */
	OK(validate_date("走访日期", "2026-11-28", NULL, NULL,
			 VALIDATE_DATE_NOT_FUTURE, &e));
	REFUSED(validate_date("走访日期", "2026-11-29", NULL, NULL,
			      VALIDATE_DATE_NOT_FUTURE, &e),
		"the date 2026-11-29 is in the future (today is 2026-11-28).");
	OK(validate_date("随访日期", "2026-11-29", NULL, NULL, 0, &e));

	/* Bounds. */
	OK(validate_date("死亡日期", "1949-12-31", "1949-12-31", "2026-11-28", 0, &e));
	REFUSED(validate_date("死亡日期", "1949-12-30", "1949-12-31", NULL, 0, &e),
		"the date 1949-12-30 is before 1949-12-31, the earliest allowed.");
	REFUSED(validate_date("开业日期", "2027-01-01", NULL, "2026-12-31", 0, &e),
		"the date 2027-01-01 is after 2026-12-31, the latest allowed.");
	assert_true(validate_date_ok("2000-02-29"));
	assert_false(validate_date_ok("1900-02-29"));
	assert_false(validate_date_ok(NULL));
	assert_false(validate_date_ok(""));
}

static void test_date_helpers(void **state)
{
	char out[VALIDATE_DATE_SIZE];
	long d;
	int age;

	(void)state;
	assert_true(validate_date_cmp("2026-11-28", "2026-11-29") < 0);
	assert_true(validate_date_cmp("2026-11-29", "2026-11-28") > 0);
	assert_int_equal(validate_date_cmp("2000-02-29", "2000-02-29"), 0);
	assert_true(validate_date_cmp("1999-12-31", "2000-01-01") < 0);
	assert_true(validate_date_cmp(NULL, "2000-01-01") < 0);
	assert_true(validate_date_cmp("2000-01-01", NULL) > 0);
	assert_int_equal(validate_date_cmp(NULL, NULL), 0);
	assert_true(validate_date_cmp("2000-01-01", "张三") < 0);
	assert_true(validate_date_cmp("张三", "2000-01-01") > 0);

	/* Follow-up due dates. */
	OK(validate_date_add_days("2026-11-28", 30, out, &e));
	assert_string_equal(out, "2026-12-28");
	OK(validate_date_add_days("2026-11-28", 34, out, &e));
	assert_string_equal(out, "2027-01-01");
	OK(validate_date_add_days("2000-02-28", 1, out, &e));
	assert_string_equal(out, "2000-02-29");
	OK(validate_date_add_days("1900-02-28", 1, out, &e));
	assert_string_equal(out, "1900-03-01");
	OK(validate_date_add_days("2024-03-01", -1, out, &e));
	assert_string_equal(out, "2024-02-29");
	OK(validate_date_add_days("2026-11-28", 0, out, &e));
	assert_string_equal(out, "2026-11-28");
	OK(validate_date_add_days("1970-01-01", -1, out, &e));
	assert_string_equal(out, "1969-12-31");
	OK(validate_date_add_days("2026-11-28", 365 * 3 + 1, out, &e));
	assert_string_equal(out, "2029-11-28");
	REFUSED(validate_date_add_days("9999-12-31", 1, out, &e), "outside the years 1 to 9999");
	REFUSED(validate_date_add_days("0001-01-01", -1, out, &e), "outside");
	REFUSED(validate_date_add_days("2026-02-30", 1, out, &e),
		"\"2026-02-30\" is not a real date");
	REFUSED(validate_date_add_days(NULL, 1, out, &e), "not a real date");
	REFUSED(validate_date_add_days("2026-11-28", LONG_MAX, out, &e), "outside");
	REFUSED(validate_date_add_days("2026-11-28", LONG_MIN, out, &e), "outside");

	OK(validate_date_diff("2026-11-01", "2026-11-28", &d, &e));
	assert_int_equal(d, 27);
	OK(validate_date_diff("2026-11-28", "2026-11-01", &d, &e));
	assert_int_equal(d, -27);
	OK(validate_date_diff("2000-01-01", "2001-01-01", &d, &e));
	assert_int_equal(d, 366);
	REFUSED(validate_date_diff("2026-11-28", "明天", &d, &e), "\"明天\" is not a real date");

	/* Age in whole years. */
	OK(validate_age_on("1949-12-31", "2026-11-28", &age, &e));
	assert_int_equal(age, 76);
	OK(validate_age_on("1946-11-28", "2026-11-28", &age, &e));
	assert_int_equal(age, 80);	/* advanced age from the birthday */
	OK(validate_age_on("1946-11-29", "2026-11-28", &age, &e));
	assert_int_equal(age, 79);
	OK(validate_age_on("2026-11-28", "2026-11-28", &age, &e));
	assert_int_equal(age, 0);
	OK(validate_age_on("2008-02-29", "2026-02-28", &age, &e));
	assert_int_equal(age, 17);
	OK(validate_age_on("2008-02-29", "2026-03-01", &age, &e));
	assert_int_equal(age, 18);
	OK(validate_age_on("2008-02-29", "2024-02-29", &age, &e));
	assert_int_equal(age, 16);
	REFUSED(validate_age_on("2026-11-29", "2026-11-28", &age, &e),
		"The date 2026-11-28 is before the birth date 2026-11-29");
	REFUSED(validate_age_on("", "2026-11-28", &age, &e), "not a real date");
	REFUSED(validate_age_on("2000-01-01", NULL, &age, &e), "not a real date");
}

/* ---- Numbers ------------------------------------------------------------ */

static void test_int(void **state)
{
	long long v;

	(void)state;
	OK(validate_int("家庭人口", "4", 1, 20, &v, &e));
	assert_int_equal(v, 4);
	OK(validate_int("家庭人口", "20", 1, 20, &v, &e));
	assert_int_equal(v, 20);
	OK(validate_int("温度", "-5", -50, 50, &v, &e));
	assert_int_equal(v, -5);
	OK(validate_int("x", "007", 0, 10, &v, &e));
	assert_int_equal(v, 7);
	OK(validate_int("x", "9223372036854775807", LLONG_MIN, LLONG_MAX, &v, &e));
	assert_true(v == LLONG_MAX);
	OK(validate_int("x", "-9223372036854775808", LLONG_MIN, LLONG_MAX, &v, &e));
	assert_true(v == LLONG_MIN);
	REFUSED(validate_int("家庭人口", "9223372036854775808", 0, LLONG_MAX, &v, &e),
		"Field \"家庭人口\": the number 9223372036854775808 is too large.");
	REFUSED(validate_int("家庭人口", "99999999999999999999999", 0, 10, &v, &e),
		"too large");
	REFUSED(validate_int("家庭人口", "0", 1, 20, &v, &e),
		"0 is less than 1, the smallest allowed.");
	REFUSED(validate_int("家庭人口", "21", 1, 20, &v, &e),
		"21 is more than 20, the largest allowed.");
	REFUSED(validate_int("家庭人口", "", 1, 20, &v, &e), "required");
	REFUSED(validate_int("家庭人口", NULL, 1, 20, &v, &e), "required");
	REFUSED(validate_int("家庭人口", " 12", 1, 20, &v, &e),
		"\" 12\" is not a whole number");
	REFUSED(validate_int("家庭人口", "12 ", 1, 20, &v, &e), "not a whole number");
	REFUSED(validate_int("家庭人口", "12abc", 1, 20, &v, &e), "\"12abc\"");
	REFUSED(validate_int("家庭人口", "1e3", 0, 10000, &v, &e), "not a whole number");
	REFUSED(validate_int("家庭人口", "+3", 0, 10, &v, &e), "not a whole number");
	REFUSED(validate_int("家庭人口", "-", 0, 10, &v, &e), "not a whole number");
	REFUSED(validate_int("家庭人口", "3.5", 0, 10, &v, &e), "not a whole number");
	REFUSED(validate_int("家庭人口", "五", 0, 10, &v, &e), "\"五\" is not a whole number");
	REFUSED(validate_int("家庭人口", "1,000", 0, 10000, &v, &e), "not a whole number");
	/* The value is left alone on a refusal. */
	v = 42;
	REFUSED(validate_int("家庭人口", "x", 0, 10, &v, &e), "whole number");
	assert_int_equal(v, 42);
}

static void test_decimal(void **state)
{
	long long v;
	char buf[32];

	(void)state;
	OK(validate_decimal("申请金额", "1200.50", 2, 0, 10000000, &v, &e));
	assert_int_equal(v, 120050);
	OK(validate_decimal("申请金额", "1200.5", 2, 0, 10000000, &v, &e));
	assert_int_equal(v, 120050);
	OK(validate_decimal("申请金额", "1200", 2, 0, 10000000, &v, &e));
	assert_int_equal(v, 120000);
	OK(validate_decimal("申请金额", "0.01", 2, 1, 10000000, &v, &e));
	assert_int_equal(v, 1);
	OK(validate_decimal("余额", "-3.25", 2, -100000, 100000, &v, &e));
	assert_int_equal(v, -325);
	OK(validate_decimal("身高", "1.7", 1, 0, 300, &v, &e));
	assert_int_equal(v, 17);
	OK(validate_decimal("人数", "12", 0, 0, 300, &v, &e));
	assert_int_equal(v, 12);

	REFUSED(validate_decimal("申请金额", "1200.505", 2, 0, 10000000, &v, &e),
		"Field \"申请金额\": 1200.505 has more than 2 digits after the decimal point.");
	REFUSED(validate_decimal("身高", "1.75", 1, 0, 300, &v, &e),
		"more than 1 digit after");
	REFUSED(validate_decimal("申请金额", "1e3", 2, 0, 10000000, &v, &e),
		"\"1e3\" is not a number; write digits with an optional decimal point, such as 12.50.");
	REFUSED(validate_decimal("申请金额", "", 2, 0, 10000000, &v, &e), "required");
	REFUSED(validate_decimal("申请金额", NULL, 2, 0, 10000000, &v, &e), "required");
	REFUSED(validate_decimal("申请金额", " 12", 2, 0, 10000000, &v, &e), "not a number");
	REFUSED(validate_decimal("申请金额", "12abc", 2, 0, 10000000, &v, &e), "not a number");
	REFUSED(validate_decimal("申请金额", ".5", 2, 0, 10000000, &v, &e), "not a number");
	REFUSED(validate_decimal("申请金额", "5.", 2, 0, 10000000, &v, &e), "not a number");
	REFUSED(validate_decimal("申请金额", "1.2.3", 2, 0, 10000000, &v, &e), "not a number");
	REFUSED(validate_decimal("申请金额", "１２", 2, 0, 10000000, &v, &e), "not a number");
	REFUSED(validate_decimal("申请金额", "100000.01", 2, 0, 10000000, &v, &e),
		"100000.01 is more than 100000.00, the largest allowed.");
	REFUSED(validate_decimal("申请金额", "-0.01", 2, 0, 10000000, &v, &e),
		"-0.01 is less than 0.00, the smallest allowed.");
	REFUSED(validate_decimal("申请金额", "92233720368547758.08", 2, 0, LLONG_MAX, &v, &e),
		"too large");
	OK(validate_decimal("申请金额", "92233720368547758.07", 2, 0, LLONG_MAX, &v, &e));
	assert_true(v == LLONG_MAX);
	REFUSED(validate_decimal("申请金额", "1", 7, 0, 10, &v, &e), "decimal places");

	validate_decimal_format(120050, 2, buf, sizeof(buf));
	assert_string_equal(buf, "1200.50");
	validate_decimal_format(-5, 2, buf, sizeof(buf));
	assert_string_equal(buf, "-0.05");
	validate_decimal_format(0, 2, buf, sizeof(buf));
	assert_string_equal(buf, "0.00");
	validate_decimal_format(-42, 0, buf, sizeof(buf));
	assert_string_equal(buf, "-42");
	validate_decimal_format(LLONG_MIN, 2, buf, sizeof(buf));
	assert_string_equal(buf, "-92233720368547758.08");
}

/* ---- Choices ------------------------------------------------------------ */

static void test_choice(void **state)
{
	static const char *const burial[] = {
		"cremation", "tree", "flower", "lawn", "scatter", NULL
	};
	static const char *const risk[] = {"低", "中", "高", NULL};
	static const char *const none[] = {NULL};
	size_t i = 99;

	(void)state;
	OK(validate_choice("安葬方式", "lawn", burial, &i, &e));
	assert_int_equal(i, 3);
	OK(validate_choice("风险等级", "高", risk, &i, &e));
	assert_int_equal(i, 2);
	OK(validate_choice("风险等级", "低", risk, NULL, &e));
	REFUSED(validate_choice("安葬方式", "sea", burial, &i, &e),
		"Field \"安葬方式\": \"sea\" is not one of the allowed values: cremation, tree, flower, lawn, scatter.");
	REFUSED(validate_choice("风险等级", "很高", risk, &i, &e),
		"\"很高\" is not one of the allowed values: 低, 中, 高.");
	REFUSED(validate_choice("安葬方式", "Lawn", burial, &i, &e), "not one of");
	REFUSED(validate_choice("安葬方式", "lawn ", burial, &i, &e), "not one of");
	REFUSED(validate_choice("安葬方式", "", burial, &i, &e), "required");
	REFUSED(validate_choice("安葬方式", NULL, burial, &i, &e), "required");
	REFUSED(validate_choice("安葬方式", "lawn", none, &i, &e), "no allowed values");
	REFUSED(validate_choice("安葬方式", "lawn", NULL, &i, &e), "no allowed values");
	REFUSED(validate_choice("安葬方式", "\xFF", burial, &i, &e), "UTF-8");
}

/* ---- Any input ---------------------------------------------------------- */

/* Every message must be whole, valid UTF-8 text, whatever was typed. */
static void check_outcome(enum gq_status rc, const char *what, const char *in)
{
	if (rc == GQ_OK)
		return;
	if (rc != GQ_EINVAL)
		fail_msg("%s: status %d for \"%s\"", what, (int)rc, in);
	assert_int_equal(e.code, GQ_EINVAL);
	assert_true(e.msg[0] != '\0');
	if (validate_utf8(NULL, e.msg, strlen(e.msg), 0, NULL) != GQ_OK)
		fail_msg("%s: the message is not clean UTF-8", what);
}

static void test_random_input(void **state)
{
	/* Pieces typed at a station, pasted from elsewhere, or broken. */
	static const char *const pieces[] = {
		"0", "1", "3", "7", "9", "X", "x", "-", " ", "+86", "0086",
		"转", "(", ")", ".", "e", "张", "·", "•", "　", "１", "Ｘ",
		"\xFF", "\xE4\xB8", "\xC0\xAF", "\xED\xA0\x80", "\n", "\t",
		"\a", "2026-", "02-29", "0376", "411524", "a", "Z", "〇",
	};
	static const char *const codes[] = {"低", "中", "高", NULL};
	const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
	char in[200], out[VALIDATE_NAME_SIZE], date[VALIDATE_DATE_SIZE];
	struct validate_id id;
	uint64_t seed = 20261128;
	long long v;
	long d;
	int i, j, n, age;

	(void)state;
	for (i = 0; i < 3000; i++) {
		in[0] = '\0';
		seed = seed * UINT64_C(6364136223846793005) +
		       UINT64_C(1442695040888963407);
		n = (int)((seed >> 33) % 24);
		for (j = 0; j < n; j++) {
			seed = seed * UINT64_C(6364136223846793005) +
			       UINT64_C(1442695040888963407);
			strcat(in, pieces[(seed >> 33) % npieces]);
		}
		gq_err_clear(&e);
		check_outcome(validate_utf8("x", in, strlen(in),
					    VALIDATE_MULTILINE, &e), "utf8", in);
		gq_err_clear(&e);
		check_outcome(validate_text("x", in, 0, 10, 0, &e), "text", in);
		gq_err_clear(&e);
		check_outcome(validate_person_name("x", in, out, sizeof(out), &e),
			      "name", in);
		gq_err_clear(&e);
		check_outcome(validate_id_number("x", in, &id, &e), "id", in);
		gq_err_clear(&e);
		check_outcome(validate_phone("x", in, 0, out, sizeof(out), NULL,
					     &e), "phone", in);
		gq_err_clear(&e);
		check_outcome(validate_date("x", in, "1900-01-01", NULL,
					    VALIDATE_DATE_NOT_FUTURE, &e),
			      "date", in);
		gq_err_clear(&e);
		check_outcome(validate_date_add_days(in, 30, date, &e),
			      "add_days", in);
		gq_err_clear(&e);
		check_outcome(validate_date_diff(in, "2026-11-28", &d, &e),
			      "diff", in);
		gq_err_clear(&e);
		check_outcome(validate_age_on(in, "2026-11-28", &age, &e),
			      "age", in);
		gq_err_clear(&e);
		check_outcome(validate_int("x", in, -100, 100, &v, &e), "int", in);
		gq_err_clear(&e);
		check_outcome(validate_decimal("x", in, 2, 0, 100000, &v, &e),
			      "decimal", in);
		gq_err_clear(&e);
		check_outcome(validate_choice("x", in, codes, NULL, &e),
			      "choice", in);
		(void)utf8_count_chars(in);
		(void)validate_date_cmp(in, "2026-11-28");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_malformed),
		cmocka_unit_test(test_utf8_controls),
		cmocka_unit_test(test_utf8_count_chars),
		cmocka_unit_test(test_length_and_text),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_name_refused),
		cmocka_unit_test(test_id_public_vectors),
		cmocka_unit_test(test_id_shangcheng),
		cmocka_unit_test(test_id_refused),
		cmocka_unit_test(test_id_agrees),
		cmocka_unit_test(test_phone_valid),
		cmocka_unit_test(test_phone_refused),
		cmocka_unit_test(test_date_rules),
		cmocka_unit_test(test_date_helpers),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_random_input),
	};

	return cmocka_run_group_tests_name("validate", tests, setup, NULL);
}
