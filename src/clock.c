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
#include "guanqing/date.h"

static int fixed_set;		/* 0: unknown, 1: fixed, -1: real clock */
static int64_t fixed_ms;

int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	return date_days_from_civil(y, (int)m, (int)d);
}

void clock_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int mm, dd;

	date_civil_from_days(z, y, &mm, &dd);
	*m = (unsigned)mm;
	*d = (unsigned)dd;
}

int clock_parse(const char *s, int64_t *ms)
{
	char day[DATE_SIZE];
	int64_t z;
	int h = 0, mi = 0, sec = 0, frac = 0, n = 10;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		*ms = strtoll(s, NULL, 10) * 1000;
		return 0;
	}
	/* The date part is a real date, read by the one calendar. */
	if (strnlen(s, DATE_SIZE) < 10)
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, NULL, &z) != DATE_OK)
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
	*ms = ((z * 86400) + h * 3600 + mi * 60 + sec) * 1000 + frac;
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
	/* In 64-bit day numbers, not gmtime(): no time_t on the way, and
	 * floor division keeps instants before 1970 right. */
	int64_t sec = ms / 1000 - (ms % 1000 < 0);
	int64_t z = sec / 86400 - (sec % 86400 < 0);
	int64_t rest = sec - z * 86400, y;
	int m, d;

	date_civil_from_days(z, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 (long long)y, m, d, (int)(rest / 3600), (int)(rest / 60 % 60),
		 (int)(rest % 60), (int)((ms % 1000 + 1000) % 1000));
}

void clock_local(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!size)
		return;
	/* The local time zone: TZ, else the system's (Beijing time in Henan). */
	if (!localtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M", &tm))
		buf[0] = '\0';
}
