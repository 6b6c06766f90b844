/* clock.h - the wall clock, which tests can fix.
 *
 * Every part of the program that needs "now" asks this module. When the
 * environment variable GUANQING_NOW is set (an ISO date-time such as
 * 2026-11-28T08:00:00Z or a count of seconds since the epoch), the clock is
 * fixed at that instant; clock_set_fixed() does the same from code. Both
 * are test hooks: they work only in a test build (./configure
 * --enable-test-hooks, which make check uses); elsewhere the clock is the
 * system's and clock_set_fixed() does nothing.
 */
#ifndef GUANQING_CLOCK_H
#define GUANQING_CLOCK_H

#include <stdint.h>
#include <stddef.h>

/* Milliseconds since 1970-01-01 UTC. */
int64_t clock_now_ms(void);
/* Fix the clock at ms (or unfix it with ms < 0); test builds only. */
void clock_set_fixed(int64_t ms);
/* Parse "YYYY-MM-DDTHH:MM:SS[.mmm]Z", "YYYY-MM-DD" or digits (seconds).
 * The date part must be a real date (date_parse()). Returns 0 and sets
 * *ms, or -1. */
int clock_parse(const char *s, int64_t *ms);
/* Today's local date as YYYY-MM-DD into buf (at least 11 bytes). */
void clock_today(char *buf, size_t size);
/* The local date of ms as YYYY-MM-DD. */
void clock_date(int64_t ms, char *buf, size_t size);
/* ms as a local time "YYYY-MM-DD HH:MM" (17 bytes), for people to read:
 * the time zone is TZ's, else the system's. */
void clock_local(int64_t ms, char *buf, size_t size);
/* ms as an ISO UTC timestamp "YYYY-MM-DDTHH:MM:SS.mmmZ" (25 bytes). */
void clock_iso(int64_t ms, char *buf, size_t size);

/* Thin wrappers of date_days_from_civil() and date_civil_from_days()
 * (date.h, the program's one calendar), kept for their callers; new code
 * uses date.h. */
int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d);
void clock_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
