/* summary.c - counts and follow-ups for Home and `guanqing summary`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/division.h"
#include "guanqing/i18n.h"
#include "guanqing/summary.h"
#include "guanqing/tables.h"

/* Rows of this place: at a station its village's (not a person who moved
 * away), at the county all. */
#define MINE(a) " AND (" a ".village = (SELECT value FROM meta WHERE key = 'village')" \
	" OR (SELECT value FROM meta WHERE key = 'role') = 'county')"

static long count(struct gq_db *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long n = 0;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

void summary_write(struct gq_db *db, struct strbuf *out)
{
	char name[128], today[16], month[16];
	const struct choice *c;
	sqlite3_stmt *st;
	char *last;

	clock_today(today, sizeof(today));
	snprintf(month, sizeof(month), "%.7s", today);
	division_name(db, db->role == DB_ROLE_COUNTY ? db->division : db->village, name, sizeof(name));
	strbuf_addf(out, _("%s %s (%s), %s\n"), db->role == DB_ROLE_COUNTY ? _("County office") : _("Station"),
		    name, db->role == DB_ROLE_COUNTY ? db->division : db->village, today);
	strbuf_addf(out, _("People: %ld active, %ld households\n"),
		    count(db, "SELECT count(*) FROM person p WHERE deleted = 0 AND status = 'active'" MINE("p"), NULL),
		    count(db, "SELECT count(*) FROM household h WHERE deleted = 0" MINE("h"), NULL));
	strbuf_addstr(out, _("Followed people by category:\n"));
	for (c = choices_category; c->code; c++) {
		long n = count(db, "SELECT count(DISTINCT c.person_id) FROM person_category c JOIN person p"
			       " ON p.id = c.person_id WHERE c.deleted = 0 AND p.deleted = 0"
			       " AND p.status = 'active' AND c.category = ?1 AND c.end_date IS NULL" MINE("p"), c->code);

		if (n)
			strbuf_addf(out, "  %-6ld %s\n", n, _(c->label));
	}
	strbuf_addf(out, _("Visits this month: %ld\n"),
		    count(db, "SELECT count(*) FROM visit v WHERE deleted = 0 AND substr(visit_date, 1, 7) = ?1" MINE("v"), month));
	strbuf_addf(out, _("Follow-ups overdue: %ld; due in the next 7 days: %ld\n"),
		    count(db, "SELECT count(*) FROM visit v JOIN person p ON p.id = v.person_id"
			  " WHERE v.deleted = 0 AND p.deleted = 0 AND p.status = 'active' AND v.followup_due < ?1" MINE("p")
			  " AND NOT EXISTS (SELECT 1 FROM visit w WHERE w.person_id = v.person_id AND w.deleted = 0"
			  " AND w.visit_date > v.visit_date)", today),
		    count(db, "SELECT count(*) FROM visit v JOIN person p ON p.id = v.person_id"
			  " WHERE v.deleted = 0 AND p.deleted = 0 AND p.status = 'active'" MINE("p")
			  " AND v.followup_due >= ?1 AND v.followup_due <= date(?1, '+7 days')"
			  " AND NOT EXISTS (SELECT 1 FROM visit w WHERE w.person_id = v.person_id AND w.deleted = 0"
			  " AND w.visit_date > v.visit_date)", today));
	/* The nearest follow-ups, overdue first. */
	if (sqlite3_prepare_v2(db->h, "SELECT v.followup_due, p.name, v.form_id FROM visit v JOIN person p"
			       " ON p.id = v.person_id WHERE v.deleted = 0 AND p.deleted = 0 AND p.status = 'active'"
			       MINE("p")
			       " AND v.followup_due IS NOT NULL AND NOT EXISTS (SELECT 1 FROM visit w"
			       " WHERE w.person_id = v.person_id AND w.deleted = 0 AND w.visit_date > v.visit_date)"
			       " ORDER BY v.followup_due, p.name LIMIT 5", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			strbuf_addf(out, "  %s  %s  %s\n", sqlite3_column_text(st, 0),
				    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
		sqlite3_finalize(st);
	}
	strbuf_addf(out, _("Changes recorded here: %lld\n"), (long long)change_local_count(db));
	last = db_meta_get(db, "last_exchange");
	strbuf_addf(out, _("Last USB exchange: %s\n"), last ? last : _("never"));
	free(last);
}
