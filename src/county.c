/* county.c - the county office's reads: stations, conflicts, applications,
 * the bundles waiting on a stick and Home's figures. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/county.h"
#include "guanqing/date.h"
#include "guanqing/field.h"
#include "guanqing/hlc.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/xalloc.h"

const char *county_place_name(void)
{
	return _("county civil affairs bureau");
}

/* A village as people say it: 宋岗村 for 宋岗村民委员会, 东街社区 for
 * 东街社区居民委员会 (SQLite's length and substr count characters). */
#define SHORT(x) "(CASE WHEN " x " LIKE '%村民委员会' THEN substr(" x ", 1, length(" x ") - 4)" \
	" WHEN " x " LIKE '%居民委员会' THEN substr(" x ", 1, length(" x ") - 5) ELSE " x " END)"

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int county_village_folder(struct gq_db *db, const char *village, char *out, size_t size)
{
	sqlite3_stmt *st;
	int rc = -1;

	out[0] = '\0';
	if (!village || db_cached(db, "SELECT " SHORT("v.name") ", t.name FROM division v"
				  " LEFT JOIN division t ON t.code = v.parent_code WHERE v.code = ?1",
				  &st, NULL) != GQ_OK)
		return -1;
	sqlite3_bind_text(st, 1, village, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (col(st, 1))
			snprintf(out, size, "%s-%s", col(st, 1), col(st, 0));
		else
			snprintf(out, size, "%s", col(st, 0));
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

void county_origin_name(struct gq_db *db, const char *origin, struct strbuf *out)
{
	sqlite3_stmt *st;
	char name[256];

	if (!origin || !*origin)
		return;
	if (!strcmp(origin, db->station_id) && db->role == DB_ROLE_COUNTY) {
		strbuf_addstr(out, county_place_name());
		return;
	}
	if (db_cached(db, "SELECT role, village FROM peer WHERE id = ?1", &st, NULL) != GQ_OK)
		return;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_TRANSIENT);
	name[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (!strcmp(col(st, 0), "county")) {
			snprintf(name, sizeof(name), "%s", county_place_name());
		} else {
			char *village = col(st, 1) ? strdup(col(st, 1)) : NULL;

			sqlite3_reset(st);
			if (village && county_village_folder(db, village, name, sizeof(name)) != 0)
				snprintf(name, sizeof(name), "%s", village);
			free(village);
		}
	}
	sqlite3_reset(st);
	if (name[0])
		strbuf_addstr(out, name);
	else
		strbuf_add(out, origin, strlen(origin) < 8 ? strlen(origin) : 8);
}

/* ---- stations ---- */

static long days_between(const char *from_iso, const char *today)
{
	char d[DATE_SIZE];
	int64_t n = 0;

	if (!from_iso || strlen(from_iso) < 10)
		return -1;
	memcpy(d, from_iso, 10);
	d[10] = '\0';
	if (date_diff(d, today, &n) != 0)
		return -1;
	return (long)n;
}

/* The numbers missing below the highest bundle received from peer. */
static void station_gaps(struct gq_db *db, const char *peer, struct strbuf *gaps)
{
	sqlite3_stmt *g;
	int64_t expect = 1;

	if (db_cached(db, "SELECT number FROM bundle_in WHERE peer_id = ?1 ORDER BY number", &g, NULL) != GQ_OK)
		return;
	sqlite3_bind_text(g, 1, peer, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(g) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(g, 0);

		if (n > expect)
			strbuf_addf(gaps, n - 1 == expect ? "%s%lld" : "%s%lld-%lld", gaps->len ? " " : "",
				    (long long)expect, (long long)(n - 1));
		expect = n + 1;
	}
	sqlite3_reset(g);
}

enum gq_status county_stations(struct gq_db *db, county_station_fn fn, void *arg,
			       struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	char today[DATE_SIZE];

	clock_today(today, sizeof(today));
	rc = db_prepare(db, "SELECT p.id, p.village, " SHORT("v.name") ", t.code, t.name, p.status, p.enrolled_at,"
			" p.recv_number, (SELECT b.imported_at FROM bundle_in b WHERE b.peer_id = p.id"
			"   ORDER BY b.number DESC LIMIT 1),"
			" p.sent_number, p.acked_number, p.clock_warning, p.last_import_at,"
			/* a run's members after the acknowledged seq */
			" (SELECT coalesce(sum(max(0, min(" LOG_WIDTH("c") ","
			"   c.seq + " LOG_WIDTH("c") " - 1 - p.acked_seq))), 0)"
			"   FROM log_entry c WHERE c.village_n = kv.n"
			"   AND c.seq > p.acked_seq - " LOG_RUN_MAX_S " AND c.origin_n IS NOT ko.n)"
			" FROM peer p LEFT JOIN log_key kv ON kv.key = p.village"
			" LEFT JOIN log_key ko ON ko.key = p.id"
			" LEFT JOIN division v ON v.code = p.village"
			" LEFT JOIN division t ON t.code = v.parent_code"
			" ORDER BY p.role = 'station', t.code, p.village, p.status, p.enrolled_at", &st, err);
	if (rc != GQ_OK)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct county_station s;
		struct strbuf gaps = STRBUF_INIT;
		int stop;

		memset(&s, 0, sizeof(s));
		s.id = col(st, 0);
		s.village = col(st, 1);
		s.village_name = col(st, 2) ? col(st, 2) : s.village ? s.village : county_place_name();
		s.town = col(st, 3);
		s.town_name = col(st, 4) ? col(st, 4) : "";
		s.status = col(st, 5);
		s.enrolled_at = col(st, 6);
		s.last_number = sqlite3_column_int64(st, 7);
		s.last_date = col(st, 8);
		s.sent_number = sqlite3_column_int64(st, 9);
		s.acked_number = sqlite3_column_int64(st, 10);
		s.clock_warning = col(st, 11);
		s.last_import_at = col(st, 12);
		s.unacked = sqlite3_column_int64(st, 13);
		s.days_since = days_between(s.last_date ? s.last_date : s.enrolled_at, today);
		s.silent = !strcmp(s.status, "active") && s.days_since >= COUNTY_SILENT_DAYS;
		station_gaps(db, s.id, &gaps);
		s.gaps = gaps.buf;
		stop = fn(arg, &s);
		strbuf_release(&gaps);
		if (stop)
			break;
	}
	sqlite3_finalize(st);
	return GQ_OK;
}

/* ---- conflicts ---- */

/* Whom or what row id of table tbl is about: the person it concerns, or
 * its own name. */
static void record_about(struct gq_db *db, const char *tbl, const char *id, struct strbuf *out)
{
	const struct table_def *t = table_find(tbl);
	const struct field_def *pf = t ? table_field(t, "person_id") : NULL;

	if (!t)
		return;
	if (pf) {
		struct strbuf sql = STRBUF_INIT;
		sqlite3_stmt *st;

		/* Table names come from the definitions, never from text. */
		strbuf_addf(&sql, "SELECT person_id FROM %s WHERE id = ?1", t->name);
		if (sqlite3_prepare_v2(db->h, sql.buf, -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW && col(st, 0))
				record_label(db, table_find("person"), col(st, 0), out);
			sqlite3_finalize(st);
		}
		strbuf_release(&sql);
		return;
	}
	record_label(db, t, id, out);
}

static void side_value(struct gq_db *db, const struct table_def *t, const char *field,
		       const char *kind, int tombstone, const char *raw, struct strbuf *out)
{
	const struct field_def *f = t ? table_field(t, field) : NULL;

	if (!strcmp(kind, "delete_edit") && tombstone) {
		strbuf_addstr(out, _("(the record deleted)"));
		return;
	}
	if (!strcmp(field, "deleted")) {
		strbuf_addstr(out, raw && !strcmp(raw, "1") ? _("(the record deleted)") : _("(the record kept)"));
		return;
	}
	if (!raw) {
		strbuf_addstr(out, _("(empty)"));
		return;
	}
	if (f)
		field_display(db, f, raw, out);
	else
		strbuf_addstr(out, raw);
	if (!out->len)
		strbuf_addstr(out, _("(empty)"));
}

static void user_name(struct gq_db *db, const char *user_id, struct strbuf *out)
{
	if (user_id && *user_id)
		record_label(db, table_find("users"), user_id, out);
}

static const char conflict_sql[] =
	"SELECT c.id, c.tbl, c.row_id, c.field, c.kind,"
	" c.winner_origin, c.winner_value, c.winner_hlc,"
	" c.loser_origin, c.loser_value, c.loser_hlc, c.detected_at,"
	" " LOG_USER_OSEQ("c.winner_origin", "c.winner_oseq") ","
	" " LOG_USER_OSEQ("c.loser_origin", "c.loser_oseq") ","
	/* the village of the row's first entry, its creation */
	" (SELECT v.key FROM log_key k CROSS JOIN log_entry e ON e.row_n = k.n"
	"   CROSS JOIN log_key v ON v.n = e.village_n WHERE k.key = c.row_id ORDER BY e.seq LIMIT 1)"
	" FROM conflict c WHERE c.status = 'open' AND (?1 = 0 OR c.id = ?1) ORDER BY c.id";

static enum gq_status conflicts_walk(struct gq_db *db, int64_t only, county_conflict_fn fn,
				     void *arg, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_prepare(db, conflict_sql, &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, only);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct county_conflict c;
		struct strbuf about = STRBUF_INIT, village = STRBUF_INIT;
		struct strbuf place[2] = { STRBUF_INIT, STRBUF_INIT }, user[2] = { STRBUF_INIT, STRBUF_INIT };
		struct strbuf value[2] = { STRBUF_INIT, STRBUF_INIT };
		const struct table_def *t;
		const struct field_def *f;
		char when[2][40], stamp[2][48], vname[256];
		int i, stop;

		memset(&c, 0, sizeof(c));
		c.id = sqlite3_column_int64(st, 0);
		c.tbl = col(st, 1);
		c.row_id = col(st, 2);
		c.field = col(st, 3);
		c.kind = col(st, 4);
		c.detected_at = col(st, 11);
		t = table_find(c.tbl);
		f = t ? table_field(t, c.field) : NULL;
		c.table_label = t ? _(t->label) : c.tbl;
		c.field_label = f ? _(f->label) : !strcmp(c.field, "deleted") ? _("Deleted") : c.field;
		record_about(db, c.tbl, c.row_id, &about);
		c.about = about.buf;
		if (col(st, 14) && county_village_folder(db, col(st, 14), vname, sizeof(vname)) == 0)
			strbuf_addstr(&village, vname);
		c.village_name = village.buf;
		for (i = 0; i < 2; i++) {
			int o = i ? 8 : 5;

			c.side[i].origin = col(st, o);
			c.side[i].raw = col(st, o + 1);
			county_origin_name(db, c.side[i].origin, &place[i]);
			c.side[i].place = place[i].buf;
			user_name(db, col(st, 12 + i), &user[i]);
			c.side[i].user = user[i].buf;
			clock_local(HLC_MS(sqlite3_column_int64(st, o + 2)), when[i], sizeof(when[i]));
			c.side[i].when = when[i];
			hlc_format(sqlite3_column_int64(st, o + 2), stamp[i], sizeof(stamp[i]));
			c.side[i].stamp = stamp[i];
			side_value(db, t, c.field, c.kind, i == 0, c.side[i].raw, &value[i]);
			c.side[i].value = value[i].buf;
			c.side[i].winner = i == 0;
		}
		stop = fn(arg, &c);
		strbuf_release(&about);
		strbuf_release(&village);
		for (i = 0; i < 2; i++) {
			strbuf_release(&place[i]);
			strbuf_release(&user[i]);
			strbuf_release(&value[i]);
		}
		if (stop)
			break;
	}
	sqlite3_finalize(st);
	return GQ_OK;
}

enum gq_status county_conflicts(struct gq_db *db, county_conflict_fn fn, void *arg,
				struct gq_err *err)
{
	return conflicts_walk(db, 0, fn, arg, err);
}

struct side_find {
	struct gq_db *db;
	const char *text;
	char *out;
	int found;
};

/* Does text name the place of side s: its id, its village's code or name,
 * "TOWN-VILLAGE", or (for the county) its name or "county"? */
static int side_named(struct gq_db *db, const struct county_side *s, const char *text)
{
	sqlite3_stmt *st;
	int yes = 0;

	if (!strcmp(text, s->origin) || !strcmp(text, s->place))
		return 1;
	if (!strcmp(s->origin, db->station_id))
		return !strcmp(text, "county") || !strcmp(text, "县民政局") ||
		       !strcmp(text, county_place_name());
	if (db_cached(db, "SELECT p.village, " SHORT("v.name") " FROM peer p LEFT JOIN division v ON v.code = p.village"
		      " WHERE p.id = ?1", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, s->origin, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		yes = (col(st, 0) && !strcmp(text, col(st, 0))) || (col(st, 1) && !strcmp(text, col(st, 1)));
	sqlite3_reset(st);
	return yes;
}

static int side_find_one(void *arg, const struct county_conflict *c)
{
	struct side_find *sf = arg;
	int i;

	sf->found = -1;
	for (i = 0; i < 2; i++)
		if (side_named(sf->db, &c->side[i], sf->text)) {
			snprintf(sf->out, 37, "%s", c->side[i].origin);
			sf->found = 1;
			return 1;
		}
	return 1;
}

enum gq_status county_conflict_side(struct gq_db *db, int64_t conflict_id, const char *text,
				    char out[37], struct gq_err *err)
{
	struct side_find sf = { db, text, out, 0 };
	enum gq_status rc;

	out[0] = '\0';
	rc = conflicts_walk(db, conflict_id, side_find_one, &sf, err);
	if (rc != GQ_OK)
		return rc;
	if (sf.found == 0)
		return gq_err_set(err, GQ_ENOTFOUND, _("There is no open conflict %lld."),
				  (long long)conflict_id);
	if (sf.found < 0)
		return gq_err_set(err, GQ_EINVAL,
				  _("Conflict %lld has no value from %s: give a village code or name of one of its sides, or %s."),
				  (long long)conflict_id, text, county_place_name());
	return GQ_OK;
}

enum gq_status county_conflict_get(struct gq_db *db, int64_t conflict_id, county_conflict_fn fn,
				   void *arg, struct gq_err *err)
{
	return conflicts_walk(db, conflict_id, fn, arg, err);
}

/* ---- applications ---- */

enum gq_status county_applications(struct gq_db *db, int waiting, county_application_fn fn,
				   void *arg, struct gq_err *err)
{
	const struct table_def *t = table_find("application");
	const struct field_def *fk = table_field(t, "kind"), *fs = table_field(t, "status");
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_prepare(db, "SELECT a.id, a.kind, coalesce(a.status, 'submitted'), a.person_id, p.name,"
			" p.id_number, " SHORT("v.name") ", t.name, a.apply_date, a.amount_asked,"
			" (SELECT count(*) FROM person m WHERE m.household_id = p.household_id AND m.deleted = 0),"
			" w.visit_date, w.id, a.decision_date, a.amount_granted, a.decision_reason"
			" FROM application a LEFT JOIN person p ON p.id = a.person_id"
			" LEFT JOIN division v ON v.code = a.village"
			" LEFT JOIN division t ON t.code = v.parent_code"
			" LEFT JOIN visit w ON w.id = (SELECT x.id FROM visit x WHERE x.deleted = 0"
			"   AND x.form_id = 'assistance_check' AND (x.person_id = a.person_id OR x.person_id IN"
			"   (SELECT m.id FROM person m WHERE m.household_id = p.household_id))"
			"   ORDER BY x.visit_date DESC, x.id LIMIT 1)"
			" WHERE a.deleted = 0 AND (?1 = 0 OR coalesce(a.status, 'submitted') = 'submitted')"
			" ORDER BY t.code, a.kind, a.apply_date, a.id", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int(st, 1, waiting);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct county_application a;
		struct strbuf kind = STRBUF_INIT, status = STRBUF_INIT;
		int stop;

		memset(&a, 0, sizeof(a));
		a.id = col(st, 0);
		a.kind = col(st, 1);
		field_display(db, fk, a.kind, &kind);
		a.kind_label = kind.buf;
		a.status = col(st, 2);
		field_display(db, fs, a.status, &status);
		a.status_label = status.buf;
		a.person_id = col(st, 3);
		a.applicant = col(st, 4) ? col(st, 4) : "";
		a.id_number = col(st, 5);
		a.village_name = col(st, 6) ? col(st, 6) : "";
		a.town_name = col(st, 7) ? col(st, 7) : "";
		a.apply_date = col(st, 8);
		a.amount_asked = col(st, 9);
		a.members = sqlite3_column_int(st, 10);
		a.check_date = col(st, 11);
		a.check_id = col(st, 12);
		a.decision_date = col(st, 13);
		a.amount_granted = col(st, 14);
		a.decision_reason = col(st, 15);
		stop = fn(arg, &a);
		strbuf_release(&kind);
		strbuf_release(&status);
		if (stop)
			break;
	}
	sqlite3_finalize(st);
	return GQ_OK;
}

enum gq_status county_waiting_by_town(struct gq_db *db, county_count_fn fn, void *arg,
				      struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_prepare(db, "SELECT coalesce(t.name, a.village), count(*) FROM application a"
			" LEFT JOIN division v ON v.code = a.village"
			" LEFT JOIN division t ON t.code = v.parent_code"
			" WHERE a.deleted = 0 AND coalesce(a.status, 'submitted') = 'submitted'"
			" GROUP BY t.code ORDER BY t.code", &st, err);
	if (rc != GQ_OK)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (fn(arg, col(st, 0) ? col(st, 0) : "", sqlite3_column_int64(st, 1)))
			break;
	sqlite3_finalize(st);
	return GQ_OK;
}

/* ---- Home ---- */

static int count_silent(void *arg, const struct county_station *s)
{
	struct county_home *h = arg;

	if (!strcmp(s->status, "active")) {
		h->stations++;
		if (s->silent)
			h->silent++;
	}
	return 0;
}

static int64_t count_of(struct gq_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (db_prepare(db, sql, &st, NULL) != GQ_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

enum gq_status county_home_figures(struct gq_db *db, struct county_home *h, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	memset(h, 0, sizeof(*h));
	rc = county_stations(db, count_silent, h, err);
	if (rc != GQ_OK)
		return rc;
	h->conflicts = count_of(db, "SELECT count(*) FROM conflict WHERE status = 'open'");
	h->waiting = count_of(db, "SELECT count(*) FROM application WHERE deleted = 0"
			      " AND coalesce(status, 'submitted') = 'submitted'");
	/* The stick is the exchange's (county_stick_figures). */
	h->bundles_waiting = -1;
	if (db_prepare(db, "SELECT imported_at, peer_id FROM bundle_in ORDER BY imported_at DESC LIMIT 1",
		       &st, err) == GQ_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			int64_t ms;
			struct strbuf who = STRBUF_INIT;

			if (clock_parse(col(st, 0), &ms) == 0)
				clock_local(ms, h->last_import, sizeof(h->last_import));
			else
				snprintf(h->last_import, sizeof(h->last_import), "%s", col(st, 0));
			county_origin_name(db, col(st, 1), &who);
			snprintf(h->last_import_from, sizeof(h->last_import_from), "%s", who.buf);
			strbuf_release(&who);
		}
		sqlite3_finalize(st);
	}
	return GQ_OK;
}

/* ---- villages, revocation, return bundles ---- */

enum gq_status county_villages(struct gq_db *db, county_village_fn fn, void *arg,
			       struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_prepare(db, "SELECT v.code, " SHORT("v.name") ", coalesce(t.name, '') FROM division v"
			" LEFT JOIN division t ON t.code = v.parent_code"
			" WHERE v.level = 'village' ORDER BY v.code", &st, err);
	if (rc != GQ_OK)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (fn(arg, col(st, 0), col(st, 1), col(st, 2)))
			break;
	sqlite3_finalize(st);
	return GQ_OK;
}

enum gq_status county_station_revoke(struct gq_db *db, const char *station_id,
				     struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int n;

	rc = db_prepare(db, "UPDATE peer SET status = 'revoked' WHERE id = ?1 AND role = 'station'"
			" AND status = 'active'", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, station_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? GQ_OK : db_error(db, "revoke", err);
	sqlite3_finalize(st);
	n = sqlite3_changes(db->h);
	if (rc == GQ_OK && n == 0)
		rc = gq_err_set(err, GQ_ENOTFOUND, _("No active station has the id %s."), station_id);
	return rc;
}

