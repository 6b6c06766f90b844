/* ceremony.h - the marriage registration centre's collective certificate
 * ceremonies (集体颁证仪式) at the county: the peak days, the ceremonies
 * (date, place, capacity) and the couples booked for them.
 *
 * Ceremonies and bookings are records of the tables "ceremony" and
 * "ceremony_booking" (tables.c): created, changed and tombstoned through
 * record.h, so they are checked, logged and kept like every record. Their
 * rules are here (rules_ceremony, rules_ceremony_booking):
 * - only the county keeps them; their rows carry the county's code as
 *   their village, so that the exchange (which sends a station the rows of
 *   its village and the county-wide ones) never sends the couples' ID
 *   numbers to a village;
 * - a booking names two people by name and resident ID number (validated
 *   as everywhere, validate.h), each of marriageable age on the day (22
 *   for a man, 20 for a woman: Civil Code art. 1047), and an appointment
 *   time HH:MM;
 * - it is refused when either ID number is already booked for a ceremony
 *   that has not yet taken place (today or later), when the ceremony is
 *   full, or when the ceremony is past; the message says which and why;
 * - a ceremony's capacity cannot go below the couples already booked, and
 *   a ceremony with bookings cannot be deleted.
 *
 * The reads hand rows to callbacks (like query.h); strings live until the
 * callback returns, which returns 0 to go on.
 */
#ifndef GUANQING_CEREMONY_H
#define GUANQING_CEREMONY_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/date.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/tables.h"

/* The peak days of a year: 14 February, 20 May and 七夕. */
#define CEREMONY_PEAKS 3

struct ceremony_peak {
	char date[DATE_SIZE];	/* YYYY-MM-DD */
	const char *code;	/* "valentine", "520", "qixi" */
	const char *name;	/* translated: 情人节, 520, 七夕 */
};

/* The peak days of civil year y into out, in date order. Returns the number
 * written (CEREMONY_PEAKS), or 0 when y is outside 1900-2100 (the lunar
 * calendar's years, lunar.h). */
size_t ceremony_peak_days(int y, struct ceremony_peak out[CEREMONY_PEAKS]);

/* The translated name of the peak day date (YYYY-MM-DD), or NULL. */
const char *ceremony_peak_name(const char *date);

/* The peak days from date from (YYYY-MM-DD) on, at most n, in date order
 * (this year's and the next years'). Returns how many were written. */
size_t ceremony_peaks_from(const char *from, struct ceremony_peak *out, size_t n);

extern const struct table_hooks rules_ceremony, rules_ceremony_booking;

/* A ceremony as the lists show it. */
struct ceremony_row {
	const char *id, *date, *start_time, *title, *place, *notes;
	long capacity;
	long booked;		/* live bookings */
	const char *peak;	/* translated peak-day name of its date, or NULL */
};
typedef int (*ceremony_fn)(void *arg, const struct ceremony_row *c);

/* The live ceremonies on or after from (NULL: all), by date and time. */
enum gq_status ceremony_each(struct gq_db *db, const char *from, ceremony_fn fn, void *arg,
			     struct gq_err *err);

/* The live ceremony id (a full id or a prefix of 6 or more), or the only
 * live ceremony on the date id (YYYY-MM-DD), to fn once. GQ_ENOTFOUND or
 * GQ_EINVAL (several that day) with a message otherwise. */
enum gq_status ceremony_get(struct gq_db *db, const char *id, ceremony_fn fn, void *arg,
			    struct gq_err *err);

/* A booked couple. */
struct ceremony_couple {
	const char *id, *ceremony_id, *date, *place, *appointment;
	const char *name_a, *id_number_a, *name_b, *id_number_b, *phone;
};
typedef int (*ceremony_couple_fn)(void *arg, const struct ceremony_couple *c);

/* The live couples of ceremony ceremony_id (a full id), by appointment. */
enum gq_status ceremony_couples(struct gq_db *db, const char *ceremony_id,
				ceremony_couple_fn fn, void *arg, struct gq_err *err);

/* The day's list: the live couples of every live ceremony on date, by
 * appointment time, then place. */
enum gq_status ceremony_day(struct gq_db *db, const char *date, ceremony_couple_fn fn,
			    void *arg, struct gq_err *err);

#endif
