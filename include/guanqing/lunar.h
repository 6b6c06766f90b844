/* lunar.h - the Chinese lunisolar calendar (农历) for 1900 to 2100, both
 * ways, on the day numbers of date.h.
 *
 * A lunar year begins on 正月初一 and has 12 months, or 13 when one of
 * them is followed by a leap month (闰月) of the same number; a month has
 * 29 or 30 days. The months' lengths come from a table in lunar.c (one
 * entry per lunar year 1900 to 2100, its source in data/README.md); the
 * first day of lunar 1900 is 1900-01-31. So the calendar covers the civil
 * dates LUNAR_FIRST_DAY (1900-01-31, 1900 正月初一) to LUNAR_LAST_DAY
 * (2101-01-28, 2100 十二月廿九); outside them every function says so.
 *
 * Everything here is pure: no allocation, no global state.
 */
#ifndef GUANQING_LUNAR_H
#define GUANQING_LUNAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LUNAR_YEAR_MIN 1900
#define LUNAR_YEAR_MAX 2100
/* Day numbers (date.h) of 1900-01-31 and 2101-01-28. */
#define LUNAR_FIRST_DAY INT64_C(-25537)
#define LUNAR_LAST_DAY INT64_C(47874)

/* Bytes for lunar_format()'s longest text ("2100年闰十二月三十" and NUL). */
#define LUNAR_TEXT_SIZE 40

/* A lunar date: year 1900-2100 (the civil year in which its 正月 begins),
 * month 1-12, day 1-30, leap set for the leap month after month. */
struct lunar_date {
	int year;
	int month;
	int day;
	bool leap;
};

/* The lunar date of civil day number z into *out (not NULL). Returns 0, or
 * -1 when z is outside LUNAR_FIRST_DAY..LUNAR_LAST_DAY (*out untouched). */
int lunar_from_days(int64_t z, struct lunar_date *out);

/* The civil day number of lunar date *ld into *z (may be NULL). Returns 0,
 * or -1 when there is no such date: year outside 1900-2100, a leap month
 * the year does not have, day 30 of a month of 29 days, ld NULL. */
int lunar_to_days(const struct lunar_date *ld, int64_t *z);

/* The leap month of lunar year y (1-12), 0 when it has none, -1 when y is
 * outside 1900-2100. */
int lunar_leap_month(int y);

/* Days (29 or 30) of month m of lunar year y, the leap month m when leap;
 * 0 when there is no such month. */
int lunar_month_days(int y, int m, bool leap);

/* Days of lunar year y (353-385), 0 outside 1900-2100. */
int lunar_year_days(int y);

/* Write *ld in Chinese, "2025年闰六月初七", into buf (size bytes, at least
 * LUNAR_TEXT_SIZE; always NUL-terminated). Returns 0, or -1 when *ld is not
 * a date of the calendar (buf then holds ""). */
int lunar_format(const struct lunar_date *ld, char *buf, size_t size);

#endif
