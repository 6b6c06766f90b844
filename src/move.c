/* move.c - moving a person to another village (county only). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/division.h"
#include "guanqing/i18n.h"
#include "guanqing/move.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/xalloc.h"

/* Tables whose rows are about a person, by their person_id. */
static const char *const about_person[] = {
	"person_category", "guardian", "visit", "application", "referral",
	"death_report", "meal_service", NULL
};

static enum gq_status mark_resend(struct gq_db *db, const char *village, const char *tbl,
				  const char *id, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_prepare(db, "INSERT OR IGNORE INTO resend (village, tbl, row_id)"
				       " VALUES (?1, ?2, ?3)", &st, err);

	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("marking a record to send"), err);
	sqlite3_finalize(st);
	return rc;
}

/* Set the village of one row, log it, and mark it to send whole. The
 * change is logged under the old village, so the old station learns of
 * the move too. */
static enum gq_status move_row(struct gq_db *db, const char *tbl, const char *id,
			       const char *from, const char *to, struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct val v = { VAL_TEXT, 0, to };
	sqlite3_stmt *st;
	char now[32];
	enum gq_status rc;

	clock_iso(clock_now_ms(), now, sizeof(now));
	strbuf_addf(&sql, "UPDATE %s SET village = ?1, updated_at = ?2 WHERE id = ?3", tbl);
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("moving a record"), err);
	sqlite3_finalize(st);
	if (rc == GQ_OK)
		rc = change_log_local(db, tbl, id, "village", &v, from, err);
	if (rc == GQ_OK)
		rc = mark_resend(db, to, tbl, id, err);
	return rc;
}

/* Every live row of tbl about the person: move it, and send the users
 * who recorded it along. */
static enum gq_status move_about(struct gq_db *db, const char *tbl, const char *person,
				 const char *from, const char *to, int *moved,
				 struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	enum gq_status rc;
	char **ids = NULL;
	size_t n = 0, i;

	strbuf_addf(&sql, "SELECT id FROM %s WHERE person_id = ?1 AND village = ?2", tbl);
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(char *));
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	for (i = 0; rc == GQ_OK && i < n; i++) {
		if (!strcmp(tbl, "guardian")) {
			/* A guardian who lives in the old village stays there:
			 * keep their name and phone on the link. */
			struct rec_value v[3] = { { "guardian_person_id", NULL }, { "name", NULL },
						  { "phone", NULL } };
			struct record *g = NULL;

			rc = record_load(db, table_find("guardian"), ids[i], &g, err);
			if (rc == GQ_OK && record_get(g, "guardian_person_id")) {
				struct record *gp = NULL;

				if (record_load(db, table_find("person"), record_get(g, "guardian_person_id"),
						&gp, NULL) == GQ_OK) {
					v[1].text = record_get(g, "name") ? record_get(g, "name") : record_get(gp, "name");
					v[2].text = record_get(g, "phone") ? record_get(g, "phone") : record_get(gp, "phone");
					if (!g->deleted)
						rc = record_update(db, table_find("guardian"), ids[i], v, 3, err);
					record_free(&gp);
				}
			}
			record_free(&g);
		}
		if (rc == GQ_OK)
			rc = move_row(db, tbl, ids[i], from, to, err);
		if (rc == GQ_OK && !strcmp(tbl, "visit")) {
			/* The worker who made the visit, so the reference holds. */
			char *user = NULL;

			if (sqlite3_prepare_v2(db->h, "SELECT visitor_id FROM visit WHERE id = ?1", -1, &st,
					       NULL) == SQLITE_OK) {
				sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
				if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
					user = strdup((const char *)sqlite3_column_text(st, 0));
				sqlite3_finalize(st);
			}
			if (user)
				rc = mark_resend(db, to, "users", user, err);
			free(user);
		}
		if (rc == GQ_OK && moved)
			(*moved)++;
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

/* The stations and users who made the moved rows' changes go along, so
 * that their history names them at the new station. */
static enum gq_status send_authors(struct gq_db *db, const char *village, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	struct strbuf ids = STRBUF_INIT;
	char *p, *save = NULL;

	/* Who made the rows' changes: each log entry (a run's members share
	 * theirs) from the row's index. */
	rc = db_prepare(db, "SELECT DISTINCT 'station', o.key FROM resend r"
			" CROSS JOIN log_key k ON k.key = r.row_id CROSS JOIN log_entry e ON e.row_n = k.n"
			" CROSS JOIN log_field f ON f.n = e.field_n AND f.tbl = r.tbl"
			" CROSS JOIN log_key o ON o.n = e.origin_n WHERE r.village = ?1"
			" UNION SELECT DISTINCT 'users', u.key FROM resend r"
			" CROSS JOIN log_key k ON k.key = r.row_id CROSS JOIN log_entry e ON e.row_n = k.n"
			" CROSS JOIN log_field f ON f.n = e.field_n AND f.tbl = r.tbl"
			" CROSS JOIN log_key u ON u.n = e.user_n WHERE r.village = ?1",
			&st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(&ids, "%s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	for (p = strtok_r(ids.buf, "\n", &save); rc == GQ_OK && p; p = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(p, ' ');

		*sp = '\0';
		rc = mark_resend(db, village, p, sp + 1, err);
	}
	strbuf_release(&ids);
	return rc;
}

enum gq_status move_record_to_person(struct gq_db *db, const char *tbl,
				     const char *id, struct gq_err *err)
{
	const struct table_def *t = table_find(tbl);
	struct record *r = NULL, *p = NULL;
	enum gq_status rc;
	size_t i;
	int about = 0;

	for (i = 0; about_person[i]; i++)
		about |= t && !strcmp(about_person[i], t->name);
	if (!about || db->role != DB_ROLE_COUNTY)
		return GQ_OK;
	rc = record_load(db, t, id, &r, err);
	if (rc == GQ_OK && record_get(r, "person_id"))
		rc = record_load(db, table_find("person"), record_get(r, "person_id"), &p, err);
	if (rc == GQ_OK && p && p->village[0] && strcmp(p->village, r->village)) {
		rc = move_row(db, t->name, id, r->village, p->village, err);
		if (rc == GQ_OK && !strcmp(t->name, "visit") && record_get(r, "visitor_id"))
			rc = mark_resend(db, p->village, "users", record_get(r, "visitor_id"), err);
		if (rc == GQ_OK)
			rc = send_authors(db, p->village, err);
	}
	record_free(&r);
	record_free(&p);
	return rc;
}

enum gq_status move_person(struct gq_db *db, const char *person_id,
			   const char *village, int *moved, struct gq_err *err)
{
	struct record *p = NULL;
	char id[UID_LEN + 1], from[16], name[128];
	enum gq_status rc;
	size_t i;

	if (moved)
		*moved = 0;
	if (db->role != DB_ROLE_COUNTY)
		return gq_err_set(err, GQ_EPERM,
				  _("A person is moved to another village at the county, which tells both stations."));
	division_name(db, village, name, sizeof(name));
	if (!village || strlen(village) != 12 || !name[0])
		return gq_err_set(err, GQ_EINVAL, _("Village code %s is not a village of this county."),
				  village ? village : "");
	rc = record_resolve_id(db, table_find("person"), person_id, id, err);
	if (rc == GQ_OK)
		rc = record_load(db, table_find("person"), id, &p, err);
	if (rc != GQ_OK)
		return rc;
	snprintf(from, sizeof(from), "%s", p->village);
	if (!strcmp(from, village)) {
		rc = gq_err_set(err, GQ_EINVAL, _("%s already belongs to village %s."),
				record_get(p, "name"), village);
		record_free(&p);
		return rc;
	}
	rc = db_begin(db, err);
	if (rc == GQ_OK && (record_get(p, "household_id") || record_get(p, "grid_id"))) {
		/* The household and grid are the old village's. */
		struct rec_value v[] = { { "household_id", NULL }, { "grid_id", NULL },
					 { "relation", NULL } };

		rc = record_update(db, table_find("person"), id, v, 3, err);
	}
	for (i = 0; rc == GQ_OK && about_person[i]; i++)
		rc = move_about(db, about_person[i], id, from, village, moved, err);
	if (rc == GQ_OK)
		rc = move_row(db, "person", id, from, village, err);
	if (rc == GQ_OK && moved)
		(*moved)++;
	if (rc == GQ_OK)
		rc = send_authors(db, village, err);
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	record_free(&p);
	return rc;
}
