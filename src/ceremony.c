/* ceremony.c - peak days, the rules of ceremonies and bookings, and their
 * reads. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/ceremony.h"
#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/lunar.h"
#include "guanqing/record.h"
#include "guanqing/validate.h"

/* ---- peak days ---- */

size_t ceremony_peak_days(int y, struct ceremony_peak out[CEREMONY_PEAKS])
{
	struct lunar_date qixi = { y, 7, 7, false };
	struct ceremony_peak p[CEREMONY_PEAKS];
	int64_t z;
	size_t i, j;

	if (y < LUNAR_YEAR_MIN || y > LUNAR_YEAR_MAX || lunar_to_days(&qixi, &z) != 0)
		return 0;
	date_format(date_days_from_civil(y, 2, 14), p[0].date);
	p[0].code = "valentine";
	p[0].name = _("Valentine's Day");
	date_format(date_days_from_civil(y, 5, 20), p[1].date);
	p[1].code = "520";
	p[1].name = _("520 (20 May)");
	date_format(z, p[2].date);
	p[2].code = "qixi";
	p[2].name = _("Qixi");
	/* 七夕 falls between late July and late August, but sort anyway: the
	 * order is the promise, not the calendar's habit. */
	for (i = 1; i < CEREMONY_PEAKS; i++)
		for (j = i; j > 0 && strcmp(p[j - 1].date, p[j].date) > 0; j--) {
			struct ceremony_peak t = p[j];

			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	memcpy(out, p, sizeof(p));
	return CEREMONY_PEAKS;
}

const char *ceremony_peak_name(const char *date)
{
	struct date_ymd ymd;
	struct ceremony_peak p[CEREMONY_PEAKS];
	size_t i, n;

	if (date_parse(date, &ymd, NULL) != DATE_OK)
		return NULL;
	n = ceremony_peak_days(ymd.y, p);
	for (i = 0; i < n; i++)
		if (!strcmp(p[i].date, date))
			return p[i].name;
	return NULL;
}

size_t ceremony_peaks_from(const char *from, struct ceremony_peak *out, size_t n)
{
	struct date_ymd ymd;
	struct ceremony_peak p[CEREMONY_PEAKS];
	size_t got = 0, i, k;
	int y;

	if (date_parse(from, &ymd, NULL) != DATE_OK)
		return 0;
	for (y = ymd.y; got < n && y <= LUNAR_YEAR_MAX; y++) {
		k = ceremony_peak_days(y, p);
		for (i = 0; i < k && got < n; i++)
			if (strcmp(p[i].date, from) >= 0)
				out[got++] = p[i];
	}
	return got;
}

/* ---- rules ---- */

static enum gq_status county_only(struct gq_db *db, const struct rec_ctx *c, struct gq_err *err)
{
	if (db->role != DB_ROLE_COUNTY)
		return gq_err_set(err, GQ_EPERM,
				  _("A %s is kept at the county's registration centre, not at a station."),
				  _(c->t->label));
	return GQ_OK;
}

/* Keep the row at the county: its village is the county's code. */
static void keep_at_county(struct gq_db *db, struct rec_ctx *c)
{
	if (c->is_new)
		snprintf(c->village, sizeof(c->village), "%s", db->division);
}

/* A time of day written HH:MM (H:MM accepted), normalised into out (6). */
static enum gq_status check_time(const char *label, const char *s, char out[6],
				 struct gq_err *err)
{
	unsigned h = 0, m = 0;
	size_t i = 0;
	int nd = 0;

	while (s[i] >= '0' && s[i] <= '9' && nd < 2) {
		h = h * 10 + (unsigned)(s[i++] - '0');
		nd++;
	}
	if (nd == 0 || s[i] != ':' || !(s[i + 1] >= '0' && s[i + 1] <= '9') ||
	    !(s[i + 2] >= '0' && s[i + 2] <= '9') || s[i + 3] != '\0')
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": \"%s\" is not a time written HH:MM, such as 09:30."),
				  label, s);
	m = (unsigned)(s[i + 1] - '0') * 10 + (unsigned)(s[i + 2] - '0');
	if (h > 23 || m > 59)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": %s is not a time of day (00:00 to 23:59)."),
				  label, s);
	snprintf(out, 6, "%02u:%02u", h % 100, m % 100);
	return GQ_OK;
}

static enum gq_status normalise_time(struct rec_ctx *c, const char *field, struct gq_err *err)
{
	const char *v = rec_ctx_get(c, field);
	char t[6];
	enum gq_status rc;

	if (!v || !rec_ctx_changed(c, field))
		return GQ_OK;
	rc = check_time(_(table_field(c->t, field)->label), v, t, err);
	if (rc != GQ_OK)
		return gq_err_field(err, field);
	rec_ctx_set(c, field, t);
	return GQ_OK;
}

/* Live bookings of ceremony id other than the row except. */
static enum gq_status booked_count(struct gq_db *db, const char *id, const char *except,
				   long *n, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_prepare(db, "SELECT COUNT(*) FROM ceremony_booking"
				       " WHERE ceremony_id = ?1 AND deleted = 0 AND id <> ?2", &st, err);

	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, except ? except : "", -1, SQLITE_STATIC);
	*n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return GQ_OK;
}

static enum gq_status ceremony_check(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	enum gq_status rc = county_only(db, c, err);
	long booked = 0;

	if (rc != GQ_OK)
		return rc;
	keep_at_county(db, c);
	rc = normalise_time(c, "start_time", err);
	if (rc != GQ_OK)
		return rc;
	if (!rec_ctx_get(c, "title") && rec_ctx_get(c, "ceremony_date")) {
		const char *peak = ceremony_peak_name(rec_ctx_get(c, "ceremony_date"));
		char title[200];

		snprintf(title, sizeof(title), _("%s collective certificate ceremony"), peak ? peak : "");
		rec_ctx_set(c, "title", peak ? title : _("Collective certificate ceremony"));
	}
	if (c->is_new || !rec_ctx_changed(c, "capacity") || !rec_ctx_get(c, "capacity"))
		return GQ_OK;
	rc = booked_count(db, c->id, NULL, &booked, err);
	if (rc == GQ_OK && booked > atol(rec_ctx_get(c, "capacity"))) {
		rc = gq_err_set(err, GQ_EINVAL,
				_("Field \"%s\": %ld couples are already booked for the ceremony of %s; the capacity cannot be %s."),
				_("Capacity (couples)"), booked, rec_ctx_get(c, "ceremony_date"),
				rec_ctx_get(c, "capacity"));
		gq_err_field(err, "capacity");
	}
	return rc;
}

static enum gq_status ceremony_del(struct gq_db *db, const struct record *r, struct gq_err *err)
{
	long booked = 0;
	enum gq_status rc = booked_count(db, r->id, NULL, &booked, err);

	if (rc == GQ_OK && booked > 0)
		rc = gq_err_set(err, GQ_EINVAL,
				_("The ceremony of %s has %ld booked couples: cancel their bookings first."),
				record_get(r, "ceremony_date"), booked);
	return rc;
}

/* The ceremony a booking is for. */
struct cer {
	char date[DATE_SIZE];
	char place[256];
	long capacity;
	int found, deleted;
};

static enum gq_status load_cer(struct gq_db *db, const char *id, struct cer *out,
			       struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_prepare(db, "SELECT ceremony_date, place, capacity, deleted"
				       " FROM ceremony WHERE id = ?1", &st, err);

	memset(out, 0, sizeof(*out));
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->found = 1;
		snprintf(out->date, sizeof(out->date), "%s",
			 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		snprintf(out->place, sizeof(out->place), "%s",
			 sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
		out->capacity = (long)sqlite3_column_int64(st, 2);
		out->deleted = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	return GQ_OK;
}

/* The person of name and ID number idn is of marriageable age on day. */
static enum gq_status check_age(const char *name, const char *idn, const char *day,
				const char *field, struct gq_err *err)
{
	struct validate_id id;
	int age = 0;
	enum gq_status rc = validate_id_number(_("ID number"), idn, &id, err);

	if (rc == GQ_OK)
		rc = validate_age_on(id.birth, day, &age, err);
	if (rc != GQ_OK)
		return gq_err_field(err, field);
	if (age < (id.sex == 'M' ? 22 : 20)) {
		gq_err_set(err, GQ_EINVAL,
			   _("%s (ID number %s) is %d on %s: the legal age to marry is 22 for a man and 20 for a woman."),
			   name ? name : "", idn, age, day);
		return gq_err_field(err, field);
	}
	return GQ_OK;
}

/* Refuse idn when it is booked for a coming ceremony by a booking other
 * than self. */
static enum gq_status check_not_booked(struct gq_db *db, const char *idn, const char *name,
				       const char *self, const char *field, struct gq_err *err)
{
	char today[DATE_SIZE];
	sqlite3_stmt *st;
	enum gq_status rc;

	clock_today(today, sizeof(today));
	rc = db_prepare(db, "SELECT c.ceremony_date, c.place, b.name_a, b.name_b, b.appointment"
			" FROM ceremony_booking b JOIN ceremony c ON c.id = b.ceremony_id"
			" WHERE (b.id_number_a = ?1 OR b.id_number_b = ?1) AND b.deleted = 0"
			" AND c.deleted = 0 AND c.ceremony_date >= ?2 AND b.id <> ?3"
			" ORDER BY c.ceremony_date LIMIT 1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, idn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, self, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = gq_err_set(err, GQ_EEXIST,
				_("%s (ID number %s) is already booked for the ceremony of %s at %s, %s, as the couple %s and %s."),
				name ? name : "", idn, (const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 4),
				(const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2),
				(const char *)sqlite3_column_text(st, 3));
		gq_err_field(err, field);
	}
	sqlite3_finalize(st);
	return rc;
}

static enum gq_status booking_check(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	enum gq_status rc = county_only(db, c, err);
	const char *cid = rec_ctx_get(c, "ceremony_id");
	const char *ia = rec_ctx_get(c, "id_number_a"), *ib = rec_ctx_get(c, "id_number_b");
	const char *na = rec_ctx_get(c, "name_a"), *nb = rec_ctx_get(c, "name_b");
	char today[DATE_SIZE];
	struct cer cer;
	long booked = 0;

	if (rc != GQ_OK)
		return rc;
	keep_at_county(db, c);
	rc = normalise_time(c, "appointment", err);
	if (rc != GQ_OK || !cid || !ia || !ib)
		return rc;	/* the required fields are refused by the caller */
	rc = load_cer(db, cid, &cer, err);
	if (rc != GQ_OK)
		return rc;
	if (!cer.found || cer.deleted)
		return gq_err_set(err, GQ_ENOTFOUND, _("There is no ceremony %s."), cid);
	clock_today(today, sizeof(today));
	if (c->is_new && strcmp(cer.date, today) < 0)
		return gq_err_set(err, GQ_EINVAL,
				  _("The ceremony of %s at %s has already taken place: no couple can be booked for it."),
				  cer.date, cer.place);
	if (!strcmp(ia, ib))
		return gq_err_set(err, GQ_EINVAL,
				  _("Both people have the ID number %s: a couple is two people."), ia);
	if (c->is_new || rec_ctx_changed(c, "id_number_a"))
		rc = check_age(na, ia, cer.date, "id_number_a", err);
	if (rc == GQ_OK && (c->is_new || rec_ctx_changed(c, "id_number_b")))
		rc = check_age(nb, ib, cer.date, "id_number_b", err);
	if (rc == GQ_OK && (c->is_new || rec_ctx_changed(c, "id_number_a")))
		rc = check_not_booked(db, ia, na, c->id, "id_number_a", err);
	if (rc == GQ_OK && (c->is_new || rec_ctx_changed(c, "id_number_b")))
		rc = check_not_booked(db, ib, nb, c->id, "id_number_b", err);
	if (rc == GQ_OK && c->is_new)
		rc = booked_count(db, cid, c->id, &booked, err);
	if (rc == GQ_OK && c->is_new && booked >= cer.capacity)
		rc = gq_err_set(err, GQ_EINVAL,
				_("The ceremony of %s at %s is full: all %ld places are booked."),
				cer.date, cer.place, cer.capacity);
	return rc;
}

const struct table_hooks rules_ceremony = { ceremony_check, NULL, ceremony_del, NULL, NULL, NULL };
const struct table_hooks rules_ceremony_booking = { booking_check, NULL, NULL, NULL, NULL, NULL };

/* ---- reads ---- */

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

#define CEREMONY_SELECT \
	"SELECT c.id, c.ceremony_date, c.start_time, c.title, c.place, c.notes, c.capacity," \
	" (SELECT COUNT(*) FROM ceremony_booking b WHERE b.ceremony_id = c.id AND b.deleted = 0)" \
	" FROM ceremony c WHERE c.deleted = 0 "

static enum gq_status ceremony_walk(struct gq_db *db, sqlite3_stmt *st, ceremony_fn fn, void *arg,
				    size_t *n, struct gq_err *err)
{
	int step;

	*n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct ceremony_row r;

		r.id = col(st, 0);
		r.date = col(st, 1);
		r.start_time = col(st, 2);
		r.title = col(st, 3);
		r.place = col(st, 4);
		r.notes = col(st, 5);
		r.capacity = (long)sqlite3_column_int64(st, 6);
		r.booked = (long)sqlite3_column_int64(st, 7);
		r.peak = ceremony_peak_name(r.date);
		(*n)++;
		if (fn && fn(arg, &r))
			return GQ_OK;
	}
	return step == SQLITE_DONE ? GQ_OK : db_error(db, _("reading the ceremonies"), err);
}

enum gq_status ceremony_each(struct gq_db *db, const char *from, ceremony_fn fn, void *arg,
			     struct gq_err *err)
{
	sqlite3_stmt *st;
	size_t n;
	enum gq_status rc = db_prepare(db, CEREMONY_SELECT
				       "AND (?1 IS NULL OR c.ceremony_date >= ?1)"
				       " ORDER BY c.ceremony_date, c.start_time, c.id", &st, err);

	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	rc = ceremony_walk(db, st, fn, arg, &n, err);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status ceremony_get(struct gq_db *db, const char *id, ceremony_fn fn, void *arg,
			    struct gq_err *err)
{
	char full[UID_LEN + 1];
	sqlite3_stmt *st;
	size_t n = 0;
	enum gq_status rc;

	if (id && date_valid(id)) {
		rc = db_prepare(db, CEREMONY_SELECT "AND c.ceremony_date = ?1", &st, err);
		if (rc != GQ_OK)
			return rc;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		rc = ceremony_walk(db, st, NULL, NULL, &n, err);
		sqlite3_reset(st);
		if (rc == GQ_OK && n == 0)
			rc = gq_err_set(err, GQ_ENOTFOUND, _("There is no ceremony on %s."), id);
		else if (rc == GQ_OK && n > 1)
			rc = gq_err_set(err, GQ_EINVAL,
					_("There are %zu ceremonies on %s: give the ceremony's id (ceremony list)."),
					n, id);
		if (rc == GQ_OK)
			rc = ceremony_walk(db, st, fn, arg, &n, err);
		sqlite3_finalize(st);
		return rc;
	}
	rc = record_resolve_id(db, table_find("ceremony"), id, full, err);
	if (rc != GQ_OK)
		return rc;
	rc = db_prepare(db, CEREMONY_SELECT "AND c.id = ?1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, full, -1, SQLITE_STATIC);
	rc = ceremony_walk(db, st, fn, arg, &n, err);
	sqlite3_finalize(st);
	if (rc == GQ_OK && n == 0)
		rc = gq_err_set(err, GQ_ENOTFOUND, _("There is no ceremony %s."), id);
	return rc;
}

static enum gq_status couple_walk(struct gq_db *db, sqlite3_stmt *st, ceremony_couple_fn fn,
				  void *arg, struct gq_err *err)
{
	int step;

	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct ceremony_couple r;

		r.id = col(st, 0);
		r.ceremony_id = col(st, 1);
		r.date = col(st, 2);
		r.place = col(st, 3);
		r.appointment = col(st, 4);
		r.name_a = col(st, 5);
		r.id_number_a = col(st, 6);
		r.name_b = col(st, 7);
		r.id_number_b = col(st, 8);
		r.phone = col(st, 9);
		if (fn(arg, &r))
			return GQ_OK;
	}
	return step == SQLITE_DONE ? GQ_OK : db_error(db, _("reading the bookings"), err);
}

#define COUPLE_SELECT \
	"SELECT b.id, b.ceremony_id, c.ceremony_date, c.place, b.appointment, b.name_a," \
	" b.id_number_a, b.name_b, b.id_number_b, b.phone" \
	" FROM ceremony_booking b JOIN ceremony c ON c.id = b.ceremony_id" \
	" WHERE b.deleted = 0 AND c.deleted = 0 "

enum gq_status ceremony_couples(struct gq_db *db, const char *ceremony_id,
				ceremony_couple_fn fn, void *arg, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_prepare(db, COUPLE_SELECT "AND b.ceremony_id = ?1"
				       " ORDER BY b.appointment, b.created_at, b.id", &st, err);

	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, ceremony_id, -1, SQLITE_STATIC);
	rc = couple_walk(db, st, fn, arg, err);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status ceremony_day(struct gq_db *db, const char *date, ceremony_couple_fn fn,
			    void *arg, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_prepare(db, COUPLE_SELECT "AND c.ceremony_date = ?1"
				       " ORDER BY b.appointment, c.place, b.created_at, b.id", &st, err);

	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	rc = couple_walk(db, st, fn, arg, err);
	sqlite3_finalize(st);
	return rc;
}
