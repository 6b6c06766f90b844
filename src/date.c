/* date.c - civil dates as day numbers, the program's one calendar. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/date.h"

bool date_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_month_days(int64_t y, int m)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
					       31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": the year
 * is counted from March, so that the leap day is the last of the year, in
 * eras of 400 years (146097 days). */
int64_t date_days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe, um = (unsigned)m;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (um > 2 ? um - 3 : um + 9) + 2) / 5 + (unsigned)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void date_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

bool date_ymd_valid(int64_t y, int m, int d)
{
	return y >= DATE_YEAR_MIN && y <= DATE_YEAR_MAX && d >= 1 &&
	       d <= date_month_days(y, m);
}

/* The n ASCII digits at s as a number, or -1 when one is not a digit. */
static int digits_at(const char *s, size_t n)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

enum date_status date_parse(const char *s, struct date_ymd *ymd,
			    int64_t *days)
{
	struct date_ymd t;

	/* strnlen: a long pasted text is not measured to its end. */
	if (!s || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
		return DATE_EFORMAT;
	t.y = digits_at(s, 4);
	t.m = digits_at(s + 5, 2);
	t.d = digits_at(s + 8, 2);
	if (t.y < 0 || t.m < 0 || t.d < 0)
		return DATE_EFORMAT;
	if (!date_ymd_valid(t.y, t.m, t.d))
		return DATE_ENOTREAL;
	if (ymd)
		*ymd = t;
	if (days)
		*days = date_days_from_civil(t.y, t.m, t.d);
	return DATE_OK;
}

bool date_valid(const char *s)
{
	return date_parse(s, NULL, NULL) == DATE_OK;
}

int date_format(int64_t z, char buf[DATE_SIZE])
{
	int64_t y;
	int m, d;

	if (z < DATE_DAYS_MIN || z > DATE_DAYS_MAX) {
		buf[0] = '\0';
		return -1;
	}
	date_civil_from_days(z, &y, &m, &d);
	/* The ranges are known; the casts and remainders tell the compiler
	 * that the text fits. */
	snprintf(buf, DATE_SIZE, "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u);
	return 0;
}

int date_add_days(const char *s, int64_t n, char out[DATE_SIZE])
{
	int64_t z;

	if (date_parse(s, NULL, &z) != DATE_OK)
		return -1;
	/* Compared before adding, so that no n overflows. */
	if ((n > 0 && z > DATE_DAYS_MAX - n) ||
	    (n < 0 && z < DATE_DAYS_MIN - n))
		return -1;
	return date_format(z + n, out);
}

int date_diff(const char *a, const char *b, int64_t *days)
{
	int64_t x, y;

	if (date_parse(a, NULL, &x) != DATE_OK ||
	    date_parse(b, NULL, &y) != DATE_OK)
		return -1;
	if (days)
		*days = y - x;
	return 0;
}

int date_age(int64_t birth, int64_t on)
{
	int64_t by, oy;
	int bm, bd, om, od, age;

	if (on < birth)
		return -1;
	date_civil_from_days(birth, &by, &bm, &bd);
	date_civil_from_days(on, &oy, &om, &od);
	age = (int)(oy - by);
	if (om < bm || (om == bm && od < bd))
		age--;
	return age;
}

int64_t date_today(void)
{
	char buf[32];
	int64_t z;

	clock_today(buf, sizeof(buf));
	if (date_parse(buf, NULL, &z) != DATE_OK)
		return 0;
	return z;
}
