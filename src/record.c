/* record.c - the generic save path of every synced table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/field.h"
#include "guanqing/i18n.h"
#include "guanqing/merge.h"
#include "guanqing/record.h"
#include "guanqing/rules.h"
#include "guanqing/strbuf.h"
#include "guanqing/xalloc.h"

static int is_int_type(enum ftype t)
{
	return t == FT_INT || t == FT_BOOL;
}

const char *rec_ctx_get(const struct rec_ctx *c, const char *field)
{
	int i = table_field_index(c->t, field);

	return i < 0 ? NULL : c->cur[i];
}

const char *rec_ctx_old(const struct rec_ctx *c, const char *field)
{
	int i = table_field_index(c->t, field);

	return i < 0 || !c->old ? NULL : c->old[i];
}

void rec_ctx_set(struct rec_ctx *c, const char *field, const char *text)
{
	int i = table_field_index(c->t, field);

	if (i < 0)
		return;
	free(c->cur[i]);
	c->cur[i] = text && *text ? xstrdup(text) : NULL;
}

static int same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

int rec_ctx_changed(const struct rec_ctx *c, const char *field)
{
	int i = table_field_index(c->t, field);

	if (i < 0)
		return 0;
	return !same(c->cur[i], c->old ? c->old[i] : NULL);
}

static void free_values(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void record_free(struct record **pr)
{
	struct record *r = pr ? *pr : NULL;

	if (!r)
		return;
	free_values(r->values, r->t->nfields);
	free(r);
	*pr = NULL;
}

const char *record_get(const struct record *r, const char *field)
{
	int i = table_field_index(r->t, field);

	return i < 0 ? NULL : r->values[i];
}

/* "SELECT id, origin, village, created_at, updated_at, deleted, f1, ..." */
static void select_list(const struct table_def *t, struct strbuf *sb)
{
	size_t i;

	strbuf_addstr(sb, "SELECT id, origin, village, created_at, updated_at, deleted");
	for (i = 0; i < t->nfields; i++)
		strbuf_addf(sb, ", %s", t->fields[i].name);
	strbuf_addf(sb, " FROM %s", t->name);
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", s ? (const char *)s : "");
}

enum gq_status record_load(struct gq_db *db, const struct table_def *t,
			   const char *id, struct record **out,
			   struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	struct record *r;
	enum gq_status rc;
	size_t i;
	int step;

	*out = NULL;
	select_list(t, &sql);
	strbuf_addstr(&sql, " WHERE id = ?1");
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			return db_error(db, _("reading a record"), err);
		return gq_err_set(err, GQ_ENOTFOUND, _("There is no %s with the id %s."),
				  _(t->label), id);
	}
	r = calloc(1, sizeof(*r));
	if (r)
		r->values = calloc(t->nfields ? t->nfields : 1, sizeof(char *));
	if (!r || !r->values) {
		free(r);
		sqlite3_finalize(st);
		return gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	}
	r->t = t;
	copy_col(st, 0, r->id, sizeof(r->id));
	copy_col(st, 1, r->origin, sizeof(r->origin));
	copy_col(st, 2, r->village, sizeof(r->village));
	copy_col(st, 3, r->created_at, sizeof(r->created_at));
	copy_col(st, 4, r->updated_at, sizeof(r->updated_at));
	r->deleted = sqlite3_column_int(st, 5);
	for (i = 0; i < t->nfields; i++) {
		const unsigned char *s = sqlite3_column_text(st, 6 + (int)i);

		r->values[i] = s ? xstrdup((const char *)s) : NULL;
	}
	sqlite3_finalize(st);
	*out = r;
	return GQ_OK;
}

enum gq_status record_resolve_id(struct gq_db *db, const struct table_def *t,
				 const char *text, char *out,
				 struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	size_t len = text ? strlen(text) : 0;
	int found = 0;

	if (!t)
		return gq_err_set(err, GQ_EINVAL, _("Unknown kind of record."));
	if (len < 6 || len > UID_LEN || strspn(text, "0123456789abcdefABCDEF-") != len)
		return gq_err_set(err, GQ_EINVAL,
				  _("\"%s\" is not a %s id (give the id, or at least 6 characters of its start or of its end)."),
				  text ? text : "", _(t->label));
	/* A whole id names a row even after its deletion (to show it). A
	 * part of one finds live rows whose id starts or ends with it: the
	 * ids a station makes all start with the station's (uid_new_of()),
	 * and end in their random part. The start is matched with a range,
	 * not LIKE, so that no character of the text is ever read as a
	 * pattern; the end is read from the id index, the whole of it. */
	if (len == UID_LEN)
		strbuf_addf(&sql, "SELECT id FROM %s WHERE id = lower(?1)", t->name);
	else
		strbuf_addf(&sql, "SELECT id FROM %s WHERE deleted = 0 AND (id >= lower(?1)"
			    " AND id < lower(?1) || 'g' OR id IN (SELECT id FROM %s"
			    " WHERE substr(id, -length(?1)) = lower(?1))) LIMIT 2", t->name, t->name);
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (found++ == 0)
			copy_col(st, 0, out, UID_LEN + 1);
	}
	sqlite3_finalize(st);
	if (found == 0)
		return gq_err_set(err, GQ_ENOTFOUND, _("There is no %s with the id %s."),
				  _(t->label), text);
	if (found > 1)
		return gq_err_set(err, GQ_EINVAL,
				  _("The id %s matches more than one %s: give more of it."),
				  text, _(t->label));
	return GQ_OK;
}

/* The village of a person (for records about a person). */
static int person_village(struct gq_db *db, const char *person_id, char *out, size_t size)
{
	sqlite3_stmt *st;
	int ok = 0;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db->h, "SELECT village FROM person WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, person_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		copy_col(st, 0, out, size);
		ok = 1;
	}
	sqlite3_finalize(st);
	return ok;
}

static enum gq_status village_known(struct gq_db *db, const char *code, struct gq_err *err)
{
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM division WHERE code = ?1 AND level = 'village'",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db, _("reading divisions"), err);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!ok)
		return gq_err_set(err, GQ_EINVAL,
				  _("Village code %s is not a village of this county."), code);
	return GQ_OK;
}

/* Bind the text value of field f as the column's type. */
static void bind_field(sqlite3_stmt *st, int idx, const struct field_def *f, const char *v)
{
	if (!v)
		sqlite3_bind_null(st, idx);
	else if (is_int_type(f->type))
		sqlite3_bind_int64(st, idx, strtoll(v, NULL, 10));
	else
		sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
}

static void val_of(const struct field_def *f, const char *v, struct val *out)
{
	if (!v) {
		out->type = VAL_NULL;
	} else if (is_int_type(f->type)) {
		out->type = VAL_INT;
		out->i = strtoll(v, NULL, 10);
	} else {
		out->type = VAL_TEXT;
		out->s = v;
	}
}

static enum gq_status log_text(struct gq_db *db, const struct rec_ctx *c,
			       const char *field, const char *text,
			       struct gq_err *err)
{
	struct val v = VAL_NULL_INIT;

	if (text) {
		v.type = VAL_TEXT;
		v.s = text;
	}
	return change_log_local(db, c->t->name, c->id, field, &v, c->village, err);
}

static enum gq_status write_row(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	const struct table_def *t = c->t;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	char now[32];
	enum gq_status rc;
	size_t i;
	int idx = 1;

	clock_iso(clock_now_ms(), now, sizeof(now));
	if (c->is_new) {
		strbuf_addf(&sql, "INSERT INTO %s (id, origin, village, created_at, updated_at, deleted",
			    t->name);
		for (i = 0; i < t->nfields; i++)
			strbuf_addf(&sql, ", %s", t->fields[i].name);
		strbuf_addstr(&sql, ") VALUES (?, ?, ?, ?, ?, 0");
		for (i = 0; i < t->nfields; i++)
			strbuf_addstr(&sql, ", ?");
		strbuf_addch(&sql, ')');
	} else {
		strbuf_addf(&sql, "UPDATE %s SET updated_at = ?", t->name);
		for (i = 0; i < t->nfields; i++)
			if (!same(c->cur[i], c->old[i]))
				strbuf_addf(&sql, ", %s = ?", t->fields[i].name);
		strbuf_addstr(&sql, " WHERE id = ?");
	}
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	if (c->is_new) {
		sqlite3_bind_text(st, idx++, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, idx++, db->station_id, -1, SQLITE_STATIC);
		if (c->village[0])
			sqlite3_bind_text(st, idx, c->village, -1, SQLITE_STATIC);
		idx++;
		sqlite3_bind_text(st, idx++, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, idx++, now, -1, SQLITE_TRANSIENT);
		for (i = 0; i < t->nfields; i++)
			bind_field(st, idx++, &t->fields[i], c->cur[i]);
	} else {
		sqlite3_bind_text(st, idx++, now, -1, SQLITE_TRANSIENT);
		for (i = 0; i < t->nfields; i++)
			if (!same(c->cur[i], c->old[i]))
				bind_field(st, idx++, &t->fields[i], c->cur[i]);
		sqlite3_bind_text(st, idx++, c->id, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("saving a record"), err);
	sqlite3_finalize(st);
	if (rc != GQ_OK)
		return rc;

	/* The change log: the row's fixed facts at creation, then each
	 * changed field. */
	if (c->is_new) {
		rc = log_text(db, c, "created_at", now, err);
		if (rc == GQ_OK)
			rc = log_text(db, c, "village", c->village[0] ? c->village : NULL, err);
	}
	for (i = 0; rc == GQ_OK && i < t->nfields; i++) {
		struct val v = VAL_NULL_INIT;

		if (same(c->cur[i], c->old ? c->old[i] : NULL))
			continue;
		val_of(&t->fields[i], c->cur[i], &v);
		rc = change_log_local(db, t->name, c->id, t->fields[i].name, &v,
				      c->village, err);
	}
	return rc;
}

/* After a local edit of a row with open conflicts, recompute its winners
 * and conflicts by the merge rule, so that this place and every other
 * agree (doc/merge.md). */
static enum gq_status refresh_conflicts(struct gq_db *db, const char *tbl, const char *id,
					struct gq_err *err)
{
	sqlite3_stmt *st;
	int open = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM conflict WHERE tbl = ?1 AND row_id = ?2"
			       " AND status = 'open' LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return db_error(db, _("reading conflicts"), err);
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	open = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return open ? merge_refresh_row(db, tbl, id, err) : GQ_OK;
}

/* May this database change a row of that village? A station only its
 * own village's rows. */
static enum gq_status check_scope(struct gq_db *db, const struct table_def *t,
				  const char *village, struct gq_err *err)
{
	if (db->role == DB_ROLE_STATION && strcmp(village ? village : "", db->village))
		return gq_err_set(err, GQ_EPERM,
				  _("This station keeps the records of village %s only; the %s belongs to village %s."),
				  db->village, _(t->label), village && *village ? village : "-");
	return GQ_OK;
}

static enum gq_status save(struct gq_db *db, const struct table_def *t,
			   const char *id, const struct rec_value *vals,
			   size_t n, const char *village, char *id_out,
			   struct gq_err *err)
{
	struct rec_ctx c;
	struct record *old = NULL;
	char new_id[UID_LEN + 1];
	enum gq_status rc;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.is_new = id == NULL;
	if (db->role == DB_ROLE_NONE)
		return gq_err_set(err, GQ_EDB,
				  _("Database %s has no station identity: initialise it first."),
				  db->path);
	rc = db_begin(db, err);
	if (rc != GQ_OK)
		return rc;
	c.cur = calloc(t->nfields + 1, sizeof(char *));
	c.given = calloc(t->nfields + 1, 1);
	if (!c.cur || !c.given) {
		rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
		goto out;
	}
	if (c.is_new) {
		uid_new_of(db->station_id, new_id);
		c.id = new_id;
		/* At a station every row is the village's. */
		snprintf(c.village, sizeof(c.village), "%s",
			 village && *village ? village :
			 t->village_scoped || db->role == DB_ROLE_STATION ? db->village : "");
	} else {
		rc = record_load(db, t, id, &old, err);
		if (rc != GQ_OK)
			goto out;
		if (old->deleted) {
			rc = gq_err_set(err, GQ_EINVAL, _("The %s %s was deleted and cannot be changed."),
					_(t->label), id);
			goto out;
		}
		c.id = old->id;
		c.old = old->values;
		snprintf(c.village, sizeof(c.village), "%s", old->village);
		for (i = 0; i < t->nfields; i++)
			c.cur[i] = xstrdup(old->values[i]);
	}
	for (i = 0; i < n; i++) {
		int fi = table_field_index(t, vals[i].field);
		const struct field_def *f;
		char *v = NULL;

		if (fi < 0) {
			rc = gq_err_set(err, GQ_EINVAL, _("A %s has no field \"%s\"."),
					_(t->label), vals[i].field ? vals[i].field : "");
			goto out;
		}
		f = &t->fields[fi];
		if (f->flags & F_SYSTEM) {
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\" is set by the program and cannot be typed."),
					_(f->label));
			gq_err_field(err, f->name);
			goto out;
		}
		if ((f->flags & F_COUNTY) && db->role != DB_ROLE_COUNTY) {
			rc = gq_err_set(err, GQ_EPERM,
					_("Field \"%s\" is decided by the county and cannot be set at a station."),
					_(f->label));
			gq_err_field(err, f->name);
			goto out;
		}
		if ((f->flags & F_FIXED) && !c.is_new) {
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\" cannot be changed after the %s is created."),
					_(f->label), _(t->label));
			gq_err_field(err, f->name);
			goto out;
		}
		rc = field_check(db, f, vals[i].text, &v, err);
		if (rc != GQ_OK)
			goto out;
		free(c.cur[fi]);
		c.cur[fi] = v;
		c.given[fi] = 1;
	}
	/* Records about a person belong to the person's village. */
	if (c.is_new && t->village_scoped && rec_ctx_get(&c, "person_id") &&
	    table_field(t, "person_id")->ref && !strcmp(table_field(t, "person_id")->ref, "person") &&
	    strcmp(t->name, "person"))
		person_village(db, rec_ctx_get(&c, "person_id"), c.village, sizeof(c.village));
	if (c.is_new && t->village_scoped) {
		if (!c.village[0]) {
			rc = gq_err_set(err, GQ_EINVAL,
					_("A %s at the county needs a village (--village CODE)."),
					_(t->label));
			goto out;
		}
		rc = village_known(db, c.village, err);
		if (rc != GQ_OK)
			goto out;
	}
	rc = check_scope(db, t, c.village, err);
	if (rc != GQ_OK)
		goto out;
	rc = rules_check(db, &c, err);
	if (rc != GQ_OK)
		goto out;
	for (i = 0; i < t->nfields; i++) {
		if ((t->fields[i].flags & F_REQUIRED) && !c.cur[i]) {
			rc = gq_err_set(err, GQ_EINVAL, _("Field \"%s\" is required and is empty."),
					_(t->fields[i].label));
			gq_err_field(err, t->fields[i].name);
			goto out;
		}
	}
	rc = write_row(db, &c, err);
	if (rc == GQ_OK && !c.is_new)
		rc = refresh_conflicts(db, t->name, c.id, err);
	if (rc == GQ_OK)
		rc = rules_after(db, &c, err);
	if (rc == GQ_OK && id_out)
		snprintf(id_out, UID_LEN + 1, "%s", c.id);
out:
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	free_values(c.cur, t->nfields);
	free(c.given);
	record_free(&old);
	return rc;
}

enum gq_status record_create(struct gq_db *db, const struct table_def *t,
			     const struct rec_value *vals, size_t n,
			     const char *village, char *id_out,
			     struct gq_err *err)
{
	return save(db, t, NULL, vals, n, village, id_out, err);
}

enum gq_status record_update(struct gq_db *db, const struct table_def *t,
			     const char *id, const struct rec_value *vals,
			     size_t n, struct gq_err *err)
{
	char full[UID_LEN + 1];
	enum gq_status rc = record_resolve_id(db, t, id, full, err);

	if (rc != GQ_OK)
		return rc;
	return save(db, t, full, vals, n, NULL, NULL, err);
}

enum gq_status record_delete(struct gq_db *db, const struct table_def *t,
			     const char *id, struct gq_err *err)
{
	struct record *r = NULL;
	char full[UID_LEN + 1];
	char now[32];
	struct val one = { VAL_INT, 1, NULL };
	sqlite3_stmt *st = NULL;
	struct strbuf sql = STRBUF_INIT;
	enum gq_status rc;

	rc = record_resolve_id(db, t, id, full, err);
	if (rc != GQ_OK)
		return rc;
	rc = db_begin(db, err);
	if (rc != GQ_OK)
		return rc;
	rc = record_load(db, t, full, &r, err);
	if (rc == GQ_OK && r->deleted)
		rc = gq_err_set(err, GQ_EINVAL, _("The %s %s is already deleted."), _(t->label), full);
	if (rc == GQ_OK)
		rc = check_scope(db, t, r->village, err);
	if (rc == GQ_OK)
		rc = rules_delete(db, r, err);
	if (rc == GQ_OK) {
		clock_iso(clock_now_ms(), now, sizeof(now));
		strbuf_addf(&sql, "UPDATE %s SET deleted = 1, updated_at = ?1 WHERE id = ?2", t->name);
		rc = db_prepare(db, sql.buf, &st, err);
	}
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, full, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("deleting a record"), err);
	}
	sqlite3_finalize(st);
	strbuf_release(&sql);
	if (rc == GQ_OK)
		rc = change_log_local(db, t->name, full, "deleted", &one, r->village, err);
	if (rc == GQ_OK)
		rc = refresh_conflicts(db, t->name, full, err);
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	record_free(&r);
	return rc;
}
