/* test_lunar.c - the lunar calendar against published conversions, both
 * ways, over 1900-2100, leap months included.
 *
 * Sources of the expected dates:
 * - [HKO] Hong Kong Observatory, 公历与农历日期对照表 (Gregorian-Lunar
 *   Calendar Conversion Table), 1901-2100: the first days of years and
 *   of leap months, and 七夕;
 * - [XH] Xinhua News Agency, 2022-09-09, "今年中秋节来得有点早" (中秋 of
 *   the 21st century on 9月7日, 8日, 9日 and 10月6日, and of 1976 and
 *   1995 on 9月8日 and 9日, quoting the Tianjin Astronomical Society);
 * - 1900: the Purple Mountain Observatory's table as reproduced by the HKO
 *   for 1900 (庚子年正月初一 = 1900-01-31, 闰八月). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guanqing/date.h"
#include "guanqing/lunar.h"

struct conv {
	const char *civil;
	int y, m, d;
	bool leap;
	const char *src;
};

static const struct conv published[] = {
	/* New year (正月初一) */
	{ "1900-01-31", 1900, 1, 1, false, "PMO" },
	{ "1901-02-19", 1901, 1, 1, false, "HKO" },
	{ "1949-01-29", 1949, 1, 1, false, "HKO" },
	{ "1950-02-17", 1950, 1, 1, false, "HKO" },
	{ "1976-01-31", 1976, 1, 1, false, "HKO" },
	{ "1984-02-02", 1984, 1, 1, false, "HKO" },
	{ "2000-02-05", 2000, 1, 1, false, "HKO" },
	{ "2001-01-24", 2001, 1, 1, false, "HKO" },
	{ "2008-02-07", 2008, 1, 1, false, "HKO" },
	{ "2020-01-25", 2020, 1, 1, false, "HKO" },
	{ "2023-01-22", 2023, 1, 1, false, "HKO" },
	{ "2024-02-10", 2024, 1, 1, false, "HKO" },
	{ "2025-01-29", 2025, 1, 1, false, "HKO" },
	{ "2026-02-17", 2026, 1, 1, false, "HKO" },
	{ "2100-02-09", 2100, 1, 1, false, "HKO" },
	/* Leap months (闰月初一) */
	{ "1900-09-24", 1900, 8, 1, true, "PMO" },
	{ "2006-08-24", 2006, 7, 1, true, "HKO" },
	{ "2009-06-23", 2009, 5, 1, true, "HKO" },
	{ "2012-05-21", 2012, 4, 1, true, "HKO" },
	{ "2014-10-24", 2014, 9, 1, true, "HKO" },
	{ "2017-07-23", 2017, 6, 1, true, "HKO" },
	{ "2020-05-23", 2020, 4, 1, true, "HKO" },
	{ "2023-03-22", 2023, 2, 1, true, "HKO" },
	{ "2025-07-25", 2025, 6, 1, true, "HKO" },
	{ "2033-12-22", 2033, 11, 1, true, "HKO" },
	/* 七夕 (七月初七) */
	{ "2017-08-28", 2017, 7, 7, false, "HKO" },
	{ "2020-08-25", 2020, 7, 7, false, "HKO" },
	{ "2023-08-22", 2023, 7, 7, false, "HKO" },
	{ "2024-08-10", 2024, 7, 7, false, "HKO" },
	{ "2025-08-29", 2025, 7, 7, false, "HKO" },
	{ "2026-08-19", 2026, 7, 7, false, "HKO" },
	/* 中秋 (八月十五) */
	{ "1976-09-08", 1976, 8, 15, false, "XH" },
	{ "1995-09-09", 1995, 8, 15, false, "XH" },
	{ "2006-10-06", 2006, 8, 15, false, "XH" },
	{ "2014-09-08", 2014, 8, 15, false, "XH" },
	{ "2025-10-06", 2025, 8, 15, false, "XH" },
	{ "2033-09-08", 2033, 8, 15, false, "XH" },
	{ "2052-09-07", 2052, 8, 15, false, "XH" },
	{ "2060-09-09", 2060, 8, 15, false, "XH" },
	{ "2063-10-06", 2063, 8, 15, false, "XH" },
	{ "2071-09-08", 2071, 8, 15, false, "XH" },
	{ "2082-10-06", 2082, 8, 15, false, "XH" },
	{ "2090-09-08", 2090, 8, 15, false, "XH" },
	{ "2098-09-09", 2098, 8, 15, false, "XH" },
};

static int64_t day(const char *s)
{
	int64_t z = INT64_MIN;

	assert_int_equal(date_parse(s, NULL, &z), DATE_OK);
	return z;
}

/* Civil to lunar, for every published conversion. */
static void test_from_civil(void **state)
{
	size_t i;

	(void)state;
	assert_true(sizeof(published) / sizeof(published[0]) >= 30);
	for (i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
		const struct conv *c = &published[i];
		struct lunar_date ld = { 0, 0, 0, false };

		print_message("# %s (%s)\n", c->civil, c->src);
		assert_int_equal(lunar_from_days(day(c->civil), &ld), 0);
		assert_int_equal(ld.year, c->y);
		assert_int_equal(ld.month, c->m);
		assert_int_equal(ld.day, c->d);
		assert_int_equal(ld.leap, c->leap);
	}
}

/* Lunar to civil, for every published conversion. */
static void test_to_civil(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
		const struct conv *c = &published[i];
		struct lunar_date ld = { c->y, c->m, c->d, c->leap };
		int64_t z = 0;
		char buf[DATE_SIZE];

		assert_int_equal(lunar_to_days(&ld, &z), 0);
		assert_int_equal(date_format(z, buf), 0);
		assert_string_equal(buf, c->civil);
	}
}

/* Every day of the range goes there and back, days follow each other
 * without a gap, and the years end where the next begins. */
static void test_round_trip(void **state)
{
	int64_t z, back;
	struct lunar_date ld, prev = { 0, 0, 0, false };
	int years = 0;

	(void)state;
	for (z = LUNAR_FIRST_DAY; z <= LUNAR_LAST_DAY; z++) {
		assert_int_equal(lunar_from_days(z, &ld), 0);
		assert_int_equal(lunar_to_days(&ld, &back), 0);
		assert_true(back == z);
		if (z > LUNAR_FIRST_DAY && ld.day != prev.day + 1) {
			/* A new month: the last one ended on its last day. */
			assert_int_equal(ld.day, 1);
			assert_int_equal(prev.day, lunar_month_days(prev.year, prev.month, prev.leap));
		}
		if (ld.month == 1 && ld.day == 1 && !ld.leap)
			years++;
		prev = ld;
	}
	assert_int_equal(years, LUNAR_YEAR_MAX - LUNAR_YEAR_MIN + 1);
	/* The last day is 2100 十二月廿九; the next is the start of 2101. */
	assert_int_equal(lunar_from_days(LUNAR_LAST_DAY, &ld), 0);
	assert_int_equal(ld.year, 2100);
	assert_int_equal(ld.month, 12);
	assert_int_equal(ld.day, lunar_month_days(2100, 12, false));
}

static void test_leap_months(void **state)
{
	(void)state;
	assert_int_equal(lunar_leap_month(2023), 2);
	assert_int_equal(lunar_leap_month(2025), 6);
	assert_int_equal(lunar_leap_month(2033), 11);
	assert_int_equal(lunar_leap_month(2024), 0);
	assert_int_equal(lunar_leap_month(1899), -1);
	assert_int_equal(lunar_leap_month(2101), -1);
	/* 13 months of 29 or 30 days in a leap year, 12 otherwise. */
	assert_true(lunar_year_days(2025) >= 383 && lunar_year_days(2025) <= 385);
	assert_true(lunar_year_days(2024) >= 353 && lunar_year_days(2024) <= 355);
	assert_int_equal(lunar_month_days(2024, 6, true), 0);
	assert_int_equal(lunar_month_days(2025, 0, false), 0);
	assert_int_equal(lunar_month_days(2025, 13, false), 0);
}

static void test_refusals(void **state)
{
	struct lunar_date ld = { 2026, 5, 5, false }, bad;
	int64_t z = 12345;

	(void)state;
	assert_int_equal(lunar_from_days(LUNAR_FIRST_DAY - 1, &ld), -1);
	assert_int_equal(lunar_from_days(LUNAR_LAST_DAY + 1, &ld), -1);
	assert_int_equal(ld.year, 2026);	/* untouched */
	assert_int_equal(lunar_to_days(NULL, &z), -1);
	bad = (struct lunar_date){ 2024, 6, 1, true };	/* 2024 has no leap month */
	assert_int_equal(lunar_to_days(&bad, &z), -1);
	bad = (struct lunar_date){ 1899, 12, 1, false };
	assert_int_equal(lunar_to_days(&bad, &z), -1);
	bad = (struct lunar_date){ 2101, 1, 1, false };
	assert_int_equal(lunar_to_days(&bad, &z), -1);
	bad = (struct lunar_date){ 2026, 1, 0, false };
	assert_int_equal(lunar_to_days(&bad, &z), -1);
	bad = (struct lunar_date){ 2026, 1, 31, false };
	assert_int_equal(lunar_to_days(&bad, &z), -1);
	assert_true(z == 12345);
	/* Day 30 only in a month of 30 days. */
	bad = (struct lunar_date){ 2025, 6, 30, true };
	assert_int_equal(lunar_to_days(&bad, &z),
			 lunar_month_days(2025, 6, true) == 30 ? 0 : -1);
}

static void test_format(void **state)
{
	char buf[LUNAR_TEXT_SIZE];
	struct lunar_date ld = { 2025, 6, 7, true };

	(void)state;
	assert_int_equal(lunar_format(&ld, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2025年闰六月初七");
	ld = (struct lunar_date){ 2026, 7, 7, false };
	assert_int_equal(lunar_format(&ld, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026年七月初七");
	ld = (struct lunar_date){ 2026, 1, 10, false };
	lunar_format(&ld, buf, sizeof(buf));
	assert_string_equal(buf, "2026年正月初十");
	ld = (struct lunar_date){ 2026, 8, 15, false };
	lunar_format(&ld, buf, sizeof(buf));
	assert_string_equal(buf, "2026年八月十五");
	ld = (struct lunar_date){ 2026, 12, 20, false };
	lunar_format(&ld, buf, sizeof(buf));
	assert_string_equal(buf, "2026年十二月二十");
	ld = (struct lunar_date){ 2026, 11, 21, false };
	lunar_format(&ld, buf, sizeof(buf));
	assert_string_equal(buf, "2026年十一月廿一");
	ld = (struct lunar_date){ 2033, 11, 30, true };
	if (lunar_month_days(2033, 11, true) == 30) {
		lunar_format(&ld, buf, sizeof(buf));
		assert_string_equal(buf, "2033年闰十一月三十");
	}
	/* Not a date, or no room: "". */
	ld = (struct lunar_date){ 2024, 6, 1, true };
	assert_int_equal(lunar_format(&ld, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	ld = (struct lunar_date){ 2026, 7, 7, false };
	assert_int_equal(lunar_format(&ld, buf, 8), -1);
	assert_string_equal(buf, "");
	assert_int_equal(lunar_format(NULL, buf, sizeof(buf)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_civil),
		cmocka_unit_test(test_to_civil),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_leap_months),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
