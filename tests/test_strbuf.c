/* test_strbuf.c - strbuf, err and clock. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guanqing/clock.h"
#include "guanqing/err.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"

static void test_strbuf_chinese(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	size_t len;

	(void)state;
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "义勇军");
	strbuf_addf(&sb, "%s%d", "进行曲", 1935);
	assert_string_equal(sb.buf, "义勇军进行曲1935");
	assert_int_equal(sb.len, strlen("义勇军进行曲1935"));
	p = strbuf_detach(&sb, &len);
	assert_int_equal(len, strlen(p));
	assert_string_equal(sb.buf, "");
	free(p);
}

static void test_strbuf_empty_and_null(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, NULL);
	strbuf_add(&sb, "x", 0);
	assert_int_equal(sb.len, 0);
	strbuf_setlen(&sb, 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
	assert_int_equal(sb.alloc, 0);
}

static void test_strbuf_growth(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 10000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	assert_int_equal(sb.len, 10000);
	assert_int_equal(sb.buf[10000], '\0');
	assert_int_equal(sb.buf[27], 'b');
	strbuf_release(&sb);
}

static void test_strbuf_json_csv(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_add_json_str(&sb, "张\"三\n");
	assert_string_equal(sb.buf, "\"张\\\"三\\n\"");
	strbuf_reset(&sb);
	strbuf_add_csv_field(&sb, "商城县,\"赤城\"");
	assert_string_equal(sb.buf, "\"商城县,\"\"赤城\"\"\"");
	strbuf_reset(&sb);
	strbuf_add_csv_field(&sb, "李四");
	assert_string_equal(sb.buf, "李四");
	strbuf_release(&sb);
}

static void test_err_cut_at_character(void **state)
{
	struct gq_err e;
	char big[3000];
	size_t i;

	(void)state;
	for (i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "中", 3);
	big[i] = '\0';
	assert_int_equal(gq_err_set(&e, GQ_EINVAL, "%s", big), GQ_EINVAL);
	assert_true(strlen(e.msg) < GQ_ERR_MSG_MAX);
	assert_int_equal(strlen(e.msg) % 3, 0);
	assert_int_equal(gq_err_set(NULL, GQ_EIO, "x"), GQ_EIO);
	assert_int_equal(gq_status_exit(GQ_EUSAGE), 2);
	assert_int_equal(gq_status_exit(GQ_EINVAL), 1);
	assert_int_equal(gq_status_exit(GQ_OK), 0);
}

/* A message cut by its size keeps every whole character and no part of
 * one, wherever the cut falls inside a 2-, 3- or 4-byte character. */
static void test_err_cut_every_offset(void **state)
{
	static const char *const chars[] = { "é", "中", "𠀀" };
	struct gq_err e;
	char big[GQ_ERR_MSG_MAX + 16];
	size_t c, lead, i, n, len;

	(void)state;
	for (c = 0; c < 3; c++) {
		n = strlen(chars[c]);
		for (lead = 0; lead < 4; lead++) {
			memset(big, 'a', lead);
			for (i = lead; i + n < sizeof(big); i += n)
				memcpy(big + i, chars[c], n);
			big[i] = '\0';
			gq_err_set(&e, GQ_EINVAL, "%s", big);
			len = strlen(e.msg);
			assert_true(text_valid(e.msg, len));
			/* Only the cut character went. */
			assert_true(len + n > GQ_ERR_MSG_MAX - 1);
			assert_int_equal((len - lead) % n, 0);
			assert_memory_equal(e.msg, big, len);
		}
	}
	/* A message that fits is kept whole, bad bytes and all. */
	gq_err_set(&e, GQ_EINVAL, "文件 %s 不是 UTF-8", "\xff\xfe");
	assert_string_equal(e.msg, "文件 \xff\xfe 不是 UTF-8");
}

static void test_clock_parse(void **state)
{
	int64_t ms;
	char buf[32];

	(void)state;
	assert_int_equal(clock_parse("2026-11-28T08:00:00Z", &ms), 0);
	assert_int_equal(ms, INT64_C(1795852800000));
	clock_iso(ms, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-28T08:00:00.000Z");
	assert_int_equal(clock_parse("2000-01-01", &ms), 0);
	assert_int_equal(ms, INT64_C(946684800000));
	assert_int_equal(clock_parse("2026-13-01", &ms), -1);
	assert_int_equal(clock_parse("", &ms), -1);
	assert_int_equal(clock_parse(NULL, &ms), -1);
	assert_int_equal(clock_parse("2026-11-28x", &ms), -1);
	clock_set_fixed(INT64_C(946684800000));
	assert_int_equal(clock_now_ms(), INT64_C(946684800000));
	clock_today(buf, sizeof(buf));
	assert_string_equal(buf, "2000-01-01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_chinese),
		cmocka_unit_test(test_strbuf_empty_and_null),
		cmocka_unit_test(test_strbuf_growth),
		cmocka_unit_test(test_strbuf_json_csv),
		cmocka_unit_test(test_err_cut_at_character),
		cmocka_unit_test(test_err_cut_every_offset),
		cmocka_unit_test(test_clock_parse),
	};

	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
