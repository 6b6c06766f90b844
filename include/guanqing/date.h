/* date.h - the program's one calendar: civil dates as day numbers.
 *
 * A date is held as a day number, days since 1970-01-01, in an int64_t, so
 * that no arithmetic goes through time_t or long (both 32 bits on an old
 * station PC: 2040 must work there). The calendar is the proleptic
 * Gregorian one: a year is a leap year when divisible by 4, except
 * centuries, which are leap years only when divisible by 400 (2000-02-29
 * exists, 1900-02-29 and 2100-02-29 do not).
 *
 * Dates as text are written exactly YYYY-MM-DD, four-digit year 0001 to
 * 9999 (DATE_YEAR_MIN..DATE_YEAR_MAX). No time zone is involved anywhere
 * except in date_today(), which asks the program's clock (clock.h) for the
 * local date.
 *
 * Everything here is pure (no allocation, no global state) except
 * date_today(). A calendar built on top of this one (the lunar calendar)
 * should convert through day numbers: date_days_from_civil() and
 * date_civil_from_days().
 */
#ifndef GUANQING_DATE_H
#define GUANQING_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes for a YYYY-MM-DD date with its NUL. */
#define DATE_SIZE 11

/* The years a date written YYYY-MM-DD can have. */
#define DATE_YEAR_MIN 1
#define DATE_YEAR_MAX 9999
/* Day numbers of 0001-01-01 and 9999-12-31. */
#define DATE_DAYS_MIN INT64_C(-719162)
#define DATE_DAYS_MAX INT64_C(2932896)

/* What date_parse() found. */
enum date_status {
	DATE_OK = 0,		/* a real calendar date */
	DATE_EFORMAT,		/* not written YYYY-MM-DD (NULL and "" too) */
	DATE_ENOTREAL,		/* the form is right, the date does not exist */
};

/* A date split into its parts: y as written, m 1-12, d 1-31. */
struct date_ymd {
	int y;
	int m;
	int d;
};

/* True when year y of the Gregorian calendar is a leap year. Any year,
 * 0 and negative ones included (astronomical numbering). */
bool date_is_leap(int64_t y);

/* Number of days of month m (1-12) of year y: 28 to 31, or 0 when m is not
 * a month. */
int date_month_days(int64_t y, int m);

/* Day number (days since 1970-01-01, negative before it) of the date y-m-d.
 * m must be 1-12 and d 1-31; a day past the month's end counts on into the
 * next month (2026-02-30 is 2026-03-02), so check the date first with
 * date_ymd_valid() when it comes from outside. Any year (Howard Hinnant's
 * days_from_civil: no time zone, no time_t). */
int64_t date_days_from_civil(int64_t y, int m, int d);

/* The date of day number z: *y, *m (1-12), *d (1-31). Any z. None of the
 * pointers may be NULL. */
void date_civil_from_days(int64_t z, int64_t *y, int *m, int *d);

/* True when y-m-d exists in the calendar and y is within
 * DATE_YEAR_MIN..DATE_YEAR_MAX. */
bool date_ymd_valid(int64_t y, int m, int d);

/* Parse s, a date written exactly YYYY-MM-DD: ten bytes, ASCII digits and
 * two hyphens, no white space, no sign, nothing after it.
 * ymd: if not NULL, receives the parts on DATE_OK (untouched otherwise).
 * days: if not NULL, receives the day number on DATE_OK.
 * Returns DATE_OK, DATE_EFORMAT (NULL, "", wrong form) or DATE_ENOTREAL
 * (year 0000, month 13, 2026-02-30, 2100-02-29). */
enum date_status date_parse(const char *s, struct date_ymd *ymd,
			    int64_t *days);

/* True when s is a real date written YYYY-MM-DD (date_parse() gives
 * DATE_OK). NULL and "" are not. */
bool date_valid(const char *s);

/* Write day number z as YYYY-MM-DD into buf (DATE_SIZE bytes, always
 * NUL-terminated). Returns 0, or -1 when z is outside DATE_DAYS_MIN..
 * DATE_DAYS_MAX (a year that does not have four digits): then buf holds "". */
int date_format(int64_t z, char buf[DATE_SIZE]);

/* Add n days (may be negative) to the date s (YYYY-MM-DD) and write the
 * result into out (DATE_SIZE bytes). Returns 0, or -1 when s is not a real
 * date or the result falls outside years 1 to 9999; out is then untouched. */
int date_add_days(const char *s, int64_t n, char out[DATE_SIZE]);

/* Whole days from a to b (b - a: negative when b is before a) into *days
 * (may be NULL). Returns 0, or -1 when either is not a real date. */
int date_diff(const char *a, const char *b, int64_t *days);

/* Age in whole years on day on of someone born on day birth (day numbers).
 * One is a year older on the birthday itself; someone born on 29 February
 * becomes a year older on 1 March in a common year. Returns the age, or -1
 * when on is before birth. */
int date_age(int64_t birth, int64_t on);

/* The local date of the program's clock (clock_today()) as a day number. */
int64_t date_today(void);

#endif
