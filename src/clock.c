/* clock.c - wall clock with a fixed mode for tests. */
#include "config.h"

/* The fixed clock is a test hook: only a test build (./configure
 * --enable-test-hooks) has it. A station PC's build ignores GUANQING_NOW,
 * so that nobody shifts the clock past a PIN lockout or the 7-day rule.
 * GUANQING_NO_TEST_HOOKS builds this file as the product's even in a
 * test build (tests/test_clock_product). */
#if defined(GUANQING_TEST_HOOKS) && !defined(GUANQING_NO_TEST_HOOKS)
#define CLOCK_HOOKS 1
#else
#define CLOCK_HOOKS 0
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guanqing/clock.h"

static int fixed_set;		/* 0: unknown, 1: fixed, -1: real clock */
static int64_t fixed_ms;

int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void clock_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int clock_parse(const char *s, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, n = 0;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		*ms = strtoll(s, NULL, 10) * 1000;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if (s[10] == 'T' || s[10] == ' ') {
		int m2 = 0;

		if (sscanf(s + 11, "%2d:%2d:%2d%n", &h, &mi, &sec, &m2) != 3)
			return -1;
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		n = 11 + m2;
		if (s[n] == '.') {
			int digits = 0;

			n++;
			while (isdigit((unsigned char)s[n]) && digits < 3) {
				frac = frac * 10 + (s[n++] - '0');
				digits++;
			}
			while (digits++ < 3)
				frac *= 10;
			while (isdigit((unsigned char)s[n]))
				n++;
		}
		if (s[n] == 'Z')
			n++;
		if (s[n])
			return -1;
	} else if (s[10]) {
		return -1;
	}
	*ms = ((clock_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400) +
	       h * 3600 + mi * 60 + sec) * 1000 + frac;
	return 0;
}

void clock_set_fixed(int64_t ms)
{
	if (!CLOCK_HOOKS)
		return;
	if (ms < 0) {
		fixed_set = -1;
		return;
	}
	fixed_set = 1;
	fixed_ms = ms;
}

int64_t clock_now_ms(void)
{
	struct timespec ts;

	if (fixed_set == 0) {
		const char *env = CLOCK_HOOKS ? getenv("GUANQING_NOW") : NULL;

		fixed_set = -1;
		if (env && *env && clock_parse(env, &fixed_ms) == 0)
			fixed_set = 1;
	}
	if (fixed_set == 1)
		return fixed_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_date(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d", &tm);
}

void clock_today(char *buf, size_t size)
{
	clock_date(clock_now_ms(), buf, size);
}

void clock_iso(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char tmp[32];

	gmtime_r(&t, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03dZ", tmp, (int)(ms % 1000 + 1000) % 1000);
}
