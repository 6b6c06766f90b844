/* test_date.c - the one calendar: day numbers, parsing, formatting, adding,
 * differences and ages. The clock is fixed at 2026-11-28T08:00:00Z (UTC). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guanqing/clock.h"
#include "guanqing/date.h"

static int setup(void **state)
{
	int64_t ms;

	(void)state;
	setenv("TZ", "UTC", 1);
	if (clock_parse("2026-11-28T08:00:00Z", &ms) != 0)
		return -1;
	clock_set_fixed(ms);
	return 0;
}

/* The day number of s, which must be a real date. */
static int64_t day(const char *s)
{
	int64_t z = INT64_MIN;

	assert_int_equal(date_parse(s, NULL, &z), DATE_OK);
	return z;
}

/* date_add_days into a buffer, asserting success. */
static const char *plus(const char *s, int64_t n)
{
	static char out[DATE_SIZE];

	assert_int_equal(date_add_days(s, n, out), 0);
	return out;
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(date_is_leap(2000));
	assert_true(date_is_leap(2024));
	assert_true(date_is_leap(2028));
	assert_false(date_is_leap(1900));
	assert_false(date_is_leap(2100));
	assert_false(date_is_leap(2026));
	assert_true(date_is_leap(1600));
	assert_true(date_is_leap(0));
	assert_true(date_is_leap(-4));
	assert_false(date_is_leap(-100));
	assert_int_equal(date_month_days(2000, 2), 29);
	assert_int_equal(date_month_days(1900, 2), 28);
	assert_int_equal(date_month_days(2100, 2), 28);
	assert_int_equal(date_month_days(2026, 2), 28);
	assert_int_equal(date_month_days(2028, 2), 29);
	assert_int_equal(date_month_days(2026, 13), 0);
	assert_int_equal(date_month_days(2026, 0), 0);
}

static void test_century_days(void **state)
{
	(void)state;
	/* 1900 is no leap year: 02-28 is followed by 03-01. */
	assert_false(date_valid("1900-02-29"));
	assert_int_equal(day("1900-03-01") - day("1900-02-28"), 1);
	assert_string_equal(plus("1900-02-28", 1), "1900-03-01");
	assert_string_equal(plus("1900-03-01", -1), "1900-02-28");
	/* 2000 is one. */
	assert_true(date_valid("2000-02-29"));
	assert_string_equal(plus("2000-02-28", 1), "2000-02-29");
	assert_string_equal(plus("2000-02-29", 1), "2000-03-01");
	assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2);
	/* 2100 is not. */
	assert_true(date_valid("2100-02-28"));
	assert_false(date_valid("2100-02-29"));
	assert_int_equal(date_parse("2100-02-29", NULL, NULL), DATE_ENOTREAL);
	assert_string_equal(plus("2100-02-28", 1), "2100-03-01");
}

static void test_month_ends(void **state)
{
	static const char *const last[] = {
		"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
		"2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31",
		"2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31",
	};
	static const char *const past[] = {
		"2026-01-32", "2026-02-29", "2026-03-32", "2026-04-31",
		"2026-05-32", "2026-06-31", "2026-07-32", "2026-08-32",
		"2026-09-31", "2026-10-32", "2026-11-31", "2026-12-32",
	};
	char next[DATE_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < 12; i++) {
		assert_true(date_valid(last[i]));
		assert_int_equal(date_parse(past[i], NULL, NULL),
				 DATE_ENOTREAL);
		/* The day after a month's end is the 1st of the next. */
		assert_int_equal(date_add_days(last[i], 1, next), 0);
		assert_string_equal(next + 8, "01");
	}
	assert_string_equal(plus("2026-12-31", 1), "2027-01-01");
}

static void test_parse_invalid(void **state)
{
	struct date_ymd t = { 7, 7, 7 };
	int64_t z = 42;

	(void)state;
	/* Not real. */
	assert_int_equal(date_parse("2026-02-30", &t, &z), DATE_ENOTREAL);
	assert_int_equal(date_parse("2099-13-45", &t, &z), DATE_ENOTREAL);
	assert_int_equal(date_parse("2026-00-10", &t, &z), DATE_ENOTREAL);
	assert_int_equal(date_parse("2026-11-00", &t, &z), DATE_ENOTREAL);
	assert_int_equal(date_parse("0000-01-01", &t, &z), DATE_ENOTREAL);
	/* Not the form. */
	assert_int_equal(date_parse("2026-1-01", &t, &z), DATE_EFORMAT);
	assert_int_equal(date_parse("2026/11/28", &t, &z), DATE_EFORMAT);
	assert_int_equal(date_parse(" 2026-11-28", &t, &z), DATE_EFORMAT);
	assert_int_equal(date_parse("2026-11-28 ", &t, &z), DATE_EFORMAT);
	assert_int_equal(date_parse("2026-11-28T08:00:00Z", &t, &z),
			 DATE_EFORMAT);
	assert_int_equal(date_parse("+026-11-28", &t, &z), DATE_EFORMAT);
	assert_int_equal(date_parse("20261128", &t, &z), DATE_EFORMAT);
	/* Chinese input: full-width digits and a date in characters. */
	assert_int_equal(date_parse("\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96-11-28", &t, &z),
			 DATE_EFORMAT);
	assert_int_equal(date_parse("二〇二六年十一月二十八日", &t, &z),
			 DATE_EFORMAT);
	assert_int_equal(date_parse("2026年11月28日", &t, &z), DATE_EFORMAT);
	/* Empty and NULL. */
	assert_int_equal(date_parse("", &t, &z), DATE_EFORMAT);
	assert_int_equal(date_parse(NULL, &t, &z), DATE_EFORMAT);
	assert_false(date_valid(NULL));
	assert_false(date_valid(""));
	/* Nothing was written on any refusal. */
	assert_int_equal(t.y, 7);
	assert_int_equal(z, 42);
}

static void test_parse_parts(void **state)
{
	struct date_ymd t;
	int64_t z;

	(void)state;
	assert_int_equal(date_parse("2026-11-28", &t, &z), DATE_OK);
	assert_int_equal(t.y, 2026);
	assert_int_equal(t.m, 11);
	assert_int_equal(t.d, 28);
	assert_int_equal(z, 20785);
	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("1969-12-31"), -1);
	assert_int_equal(day("1900-01-01"), -25567);
	assert_int_equal(day("0001-01-01"), DATE_DAYS_MIN);
	assert_int_equal(day("9999-12-31"), DATE_DAYS_MAX);
}

static void test_round_trip(void **state)
{
	char buf[DATE_SIZE], again[DATE_SIZE];
	int64_t z, y;
	int m, d;

	(void)state;
	/* Every day from 1899 to 2101 formats to a date that parses back
	 * to it, and each day follows the one before. */
	for (z = day("1899-01-01"); z <= day("2101-12-31"); z++) {
		assert_int_equal(date_format(z, buf), 0);
		assert_int_equal(day(buf), z);
		date_civil_from_days(z, &y, &m, &d);
		assert_int_equal(date_days_from_civil(y, m, d), z);
		assert_int_equal(date_add_days(buf, -1, again), 0);
		assert_int_equal(day(again), z - 1);
	}
	assert_int_equal(date_format(DATE_DAYS_MIN, buf), 0);
	assert_string_equal(buf, "0001-01-01");
	assert_int_equal(date_format(DATE_DAYS_MAX, buf), 0);
	assert_string_equal(buf, "9999-12-31");
	assert_int_equal(date_format(DATE_DAYS_MAX + 1, buf), -1);
	assert_string_equal(buf, "");
	assert_int_equal(date_format(DATE_DAYS_MIN - 1, buf), -1);
}

static void test_add_days(void **state)
{
	char out[DATE_SIZE] = "untouched";

	(void)state;
	assert_string_equal(plus("2026-11-28", 90), "2027-02-26");
	assert_string_equal(plus("2026-11-28", -90), "2026-08-30");
	assert_string_equal(plus("2026-11-28", 0), "2026-11-28");
	assert_string_equal(plus("2024-02-28", 366), "2025-02-28");
	/* Out of the years 1 to 9999, and numbers that would overflow. */
	assert_int_equal(date_add_days("9999-12-31", 1, out), -1);
	assert_int_equal(date_add_days("0001-01-01", -1, out), -1);
	assert_int_equal(date_add_days("2026-11-28", INT64_MAX, out), -1);
	assert_int_equal(date_add_days("2026-11-28", INT64_MIN, out), -1);
	assert_int_equal(date_add_days("2026-02-30", 1, out), -1);
	assert_int_equal(date_add_days("", 1, out), -1);
	assert_int_equal(date_add_days(NULL, 1, out), -1);
	assert_string_equal(out, "untouched");
}

static void test_diff(void **state)
{
	int64_t d = 99;

	(void)state;
	assert_int_equal(date_diff("2026-11-18", "2026-11-28", &d), 0);
	assert_int_equal(d, 10);
	/* b before a: negative. */
	assert_int_equal(date_diff("2026-11-28", "2026-11-18", &d), 0);
	assert_int_equal(d, -10);
	assert_int_equal(date_diff("2026-11-28", "2026-11-28", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_diff("2026-11-28", "2025-11-28", &d), 0);
	assert_int_equal(d, -365);
	assert_int_equal(date_diff("1900-01-01", "2100-12-31", &d), 0);
	assert_int_equal(d, 73413);
	assert_int_equal(date_diff("2026-11-28", "2026-11-29", NULL), 0);
	d = 99;
	assert_int_equal(date_diff("2026-11-28", "2026-13-01", &d), -1);
	assert_int_equal(date_diff(NULL, "2026-11-28", &d), -1);
	assert_int_equal(date_diff("2026-11-28", "", &d), -1);
	assert_int_equal(d, 99);
}

static void test_age(void **state)
{
	(void)state;
	/* The day before the birthday and on it. */
	assert_int_equal(date_age(day("2015-06-01"), day("2026-05-31")), 10);
	assert_int_equal(date_age(day("2015-06-01"), day("2026-06-01")), 11);
	assert_int_equal(date_age(day("2015-06-01"), day("2015-06-01")), 0);
	assert_int_equal(date_age(day("2015-06-01"), day("2016-05-31")), 0);
	/* Born on 29 February: a year older on 1 March in a common year,
	 * on 29 February in a leap year. */
	assert_int_equal(date_age(day("2008-02-29"), day("2026-02-28")), 17);
	assert_int_equal(date_age(day("2008-02-29"), day("2026-03-01")), 18);
	assert_int_equal(date_age(day("2008-02-29"), day("2028-02-28")), 19);
	assert_int_equal(date_age(day("2008-02-29"), day("2028-02-29")), 20);
	/* An old person of a village, and the day before birth. */
	assert_int_equal(date_age(day("1926-11-28"), day("2026-11-28")), 100);
	assert_int_equal(date_age(day("2015-06-01"), day("2015-05-31")), -1);
}

static void test_2040(void **state)
{
	char buf[32];
	int64_t ms, z;
	struct date_ymd t;

	(void)state;
	/* Past 2038-01-19, where a 32-bit time_t ends. */
	assert_int_equal(date_parse("2040-02-29", &t, &z), DATE_OK);
	assert_int_equal(z, 25567 + 31 + 28);
	assert_string_equal(plus("2038-01-19", 1), "2038-01-20");
	assert_string_equal(plus("2026-11-28", 36500), "2126-11-04");
	assert_int_equal(date_age(day("2026-11-28"), day("2040-11-27")), 13);
	assert_int_equal(date_age(day("2026-11-28"), day("2040-11-28")), 14);
	/* The clock's instants in 64 bits. */
	assert_int_equal(clock_parse("2040-02-29T12:34:56.789Z", &ms), 0);
	assert_true(ms > (int64_t)INT32_MAX * 1000);
	clock_iso(ms, buf, sizeof(buf));
	assert_string_equal(buf, "2040-02-29T12:34:56.789Z");
	clock_date(ms, buf, sizeof(buf));
	assert_string_equal(buf, "2040-02-29");
	/* The clock refuses a date that does not exist. */
	assert_int_equal(clock_parse("2026-02-30T00:00:00Z", &ms), -1);
	assert_int_equal(clock_parse("2026-11-2", &ms), -1);
	assert_int_equal(clock_parse("", &ms), -1);
	assert_int_equal(clock_parse(NULL, &ms), -1);
}

static void test_today(void **state)
{
	char buf[DATE_SIZE];

	(void)state;
	assert_int_equal(date_today(), day("2026-11-28"));
	assert_int_equal(date_format(date_today(), buf), 0);
	assert_string_equal(buf, "2026-11-28");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_century_days),
		cmocka_unit_test(test_month_ends),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_parse_parts),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_2040),
		cmocka_unit_test(test_today),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
