/* change.c - writing the change log for local edits. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "guanqing/change.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"

void val_bind(sqlite3_stmt *st, int idx, const struct val *v)
{
	switch (v ? v->type : VAL_NULL) {
	case VAL_INT:
		sqlite3_bind_int64(st, idx, v->i);
		break;
	case VAL_TEXT:
		sqlite3_bind_text(st, idx, v->s, -1, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_bind_null(st, idx);
	}
}

/* It is a head unless a change of its field that arrived before it
 * already names it. */
static enum gq_status head_insert(struct gq_db *db, int64_t seq, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_cached(db, "INSERT OR IGNORE INTO log_head (row_n, field_n, seq)"
		       " SELECT c.row_n, c.field_n, c.seq FROM log_entry c WHERE c.seq = ?1"
		       " AND NOT EXISTS (SELECT 1 FROM log_parent p CROSS JOIN log_entry k"
		       " ON k.seq = p.child_seq WHERE p.origin_n = c.origin_n"
		       " AND p.oseq = c.oseq AND p.same_field = 1 AND k.row_n = c.row_n"
		       " AND k.field_n = c.field_n)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	return rc;
}

/* The heads as change c (log_entry row seq) arrives: each same-field
 * parent it names is a head of its field no more (one index lookup per
 * parent), and c is one unless named before. */
static enum gq_status heads_of(struct gq_db *db, const struct change *c, int64_t seq,
			       struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc = GQ_OK;
	size_t i;

	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		if (!c->parents[i].same_field)
			continue;
		rc = db_cached(db, "DELETE FROM log_head WHERE (row_n, field_n, seq) ="
			       " (SELECT c.row_n, c.field_n, p.seq FROM log_entry c, log_entry p"
			       " WHERE c.seq = ?1 AND p.origin_n = (SELECT n FROM log_key"
			       " WHERE key = ?2) AND p.oseq = ?3)", &st, err);
		if (rc != GQ_OK)
			break;
		sqlite3_bind_int64(st, 1, seq);
		sqlite3_bind_text(st, 2, c->parents[i].origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, c->parents[i].oseq);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
	}
	return rc == GQ_OK ? head_insert(db, seq, err) : rc;
}

/* The number of every id the change names, given once in log_key. */
static enum gq_status keys_add(struct gq_db *db, const struct change *c, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	size_t i;

	rc = db_cached(db, "INSERT OR IGNORE INTO log_key (key) VALUES (?1), (?2), (?3), (?4)",
		       &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->row_id, -1, SQLITE_STATIC);
	if (c->user_id[0])
		sqlite3_bind_text(st, 3, c->user_id, -1, SQLITE_STATIC);
	if (c->village[0])
		sqlite3_bind_text(st, 4, c->village, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		sqlite3_bind_text(st, 1, c->parents[i].origin, -1, SQLITE_STATIC);
		sqlite3_bind_null(st, 2);
		sqlite3_bind_null(st, 3);
		sqlite3_bind_null(st, 4);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
	}
	sqlite3_clear_bindings(st);
	if (rc != GQ_OK)
		return rc;
	rc = db_cached(db, "INSERT OR IGNORE INTO log_field (tbl, field) VALUES (?1, ?2)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	return rc;
}

enum gq_status change_log_append(struct gq_db *db, struct change *c, int64_t *seq_out,
				 struct gq_err *err)
{
	struct strbuf ptext = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	enum gq_status rc = GQ_OK;
	int64_t seq;
	size_t i;

	if (c->oseq == 0) {
		if (!db->station_id[0])
			return gq_err_set(err, GQ_EDB,
					  _("Database %s has no station identity: initialise it first."),
					  db->path);
		snprintf(c->origin, sizeof(c->origin), "%s", db->station_id);
		c->oseq = db_meta_get_int(db, "next_oseq", 1);
		rc = db_meta_set_int(db, "next_oseq", c->oseq + 1, err);
		if (rc == GQ_OK)
			rc = hlc_tick(db, &c->hlc, err);
		if (rc != GQ_OK)
			return rc;
	}
	for (i = 0; i < c->nparents; i++)
		strbuf_addf(&ptext, "%s%s:%lld", i ? " " : "", c->parents[i].origin,
			    (long long)c->parents[i].oseq);
	rc = keys_add(db, c, err);
	if (rc == GQ_OK)
		rc = db_cached(db, "INSERT INTO log_entry (origin_n, oseq, hlc, row_n, field_n,"
			       " value, parents, user_n, village_n) VALUES"
			       " ((SELECT n FROM log_key WHERE key = ?1), ?2, ?3,"
			       " (SELECT n FROM log_key WHERE key = ?5),"
			       " (SELECT n FROM log_field WHERE tbl = ?4 AND field = ?6), ?7, ?8,"
			       " (SELECT n FROM log_key WHERE key = ?9),"
			       " (SELECT n FROM log_key WHERE key = ?10))", &st, err);
	if (rc != GQ_OK)
		goto out;
	sqlite3_bind_text(st, 1, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, c->oseq);
	sqlite3_bind_int64(st, 3, c->hlc);
	sqlite3_bind_text(st, 4, c->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->field, -1, SQLITE_STATIC);
	val_bind(st, 7, &c->value);
	sqlite3_bind_text(st, 8, ptext.len ? ptext.buf : "", -1, SQLITE_STATIC);
	if (c->user_id[0])
		sqlite3_bind_text(st, 9, c->user_id, -1, SQLITE_STATIC);
	if (c->village[0])
		sqlite3_bind_text(st, 10, c->village, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
		goto out;
	}
	sqlite3_reset(st);
	seq = sqlite3_last_insert_rowid(db->h);
	if (c->nparents)
		rc = db_cached(db, "INSERT OR IGNORE INTO log_parent (origin_n, oseq,"
			       " child_seq, same_field) VALUES ((SELECT n FROM log_key"
			       " WHERE key = ?1), ?2, ?3, ?4)", &st, err);
	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, c->parents[i].origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c->parents[i].oseq);
		sqlite3_bind_int64(st, 3, seq);
		sqlite3_bind_int(st, 4, c->parents[i].same_field ? 1 : 0);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
	}
	if (c->nparents && st)
		sqlite3_reset(st);
	if (rc == GQ_OK)
		rc = heads_of(db, c, seq, err);
	if (rc == GQ_OK && seq_out)
		*seq_out = seq;
out:
	strbuf_release(&ptext);
	return rc;
}

enum gq_status change_head_add(struct gq_db *db, int64_t seq, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	/* The same-field parents it names are heads no more. */
	rc = db_cached(db, "DELETE FROM log_head WHERE (row_n, field_n) ="
		       " (SELECT row_n, field_n FROM log_entry WHERE seq = ?1)"
		       " AND seq IN (SELECT k.seq FROM log_parent p CROSS JOIN log_entry k"
		       " ON k.origin_n = p.origin_n AND k.oseq = p.oseq"
		       " WHERE p.child_seq = ?1 AND p.same_field = 1)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	return rc == GQ_OK ? head_insert(db, seq, err) : rc;
}

int64_t change_local_count(struct gq_db *db)
{
	return db_meta_get_int(db, "next_oseq", 1) - 1;
}

/* The parents of a new change: the field's winning version, and for a
 * tombstone every other field's winning version too (same-field first). */
#define MAX_PARENTS 64

static enum gq_status find_parents(struct gq_db *db, const char *tbl,
				   const char *row_id, const char *field,
				   int tombstone, struct merge_parent *out, size_t *n,
				   struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	*n = 0;
	rc = db_cached(db, "SELECT origin, oseq, field = ?3 FROM field_clock"
		       " WHERE tbl = ?1 AND row_id = ?2 AND (field = ?3 OR ?4)"
		       " ORDER BY field = ?3 DESC, field", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, tombstone);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < MAX_PARENTS) {
		snprintf(out[*n].origin, sizeof(out[*n].origin), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		out[*n].oseq = sqlite3_column_int64(st, 1);
		out[*n].same_field = sqlite3_column_int(st, 2);
		(*n)++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading field versions"), err);
	sqlite3_reset(st);
	return rc;
}

enum gq_status change_log_local(struct gq_db *db, const char *tbl,
				const char *row_id, const char *field,
				const struct val *v, const char *village,
				struct gq_err *err)
{
	struct merge_parent parents[MAX_PARENTS];
	struct change c;
	enum gq_status rc;
	int tombstone = !strcmp(field, "deleted") && v && v->type == VAL_INT && v->i;

	if (!db->station_id[0])
		return gq_err_set(err, GQ_EDB,
				  _("Database %s has no station identity: initialise it first."),
				  db->path);
	memset(&c, 0, sizeof(c));
	rc = find_parents(db, tbl, row_id, field, tombstone, parents, &c.nparents, err);
	if (rc != GQ_OK)
		return rc;
	c.parents = parents;
	snprintf(c.tbl, sizeof(c.tbl), "%s", tbl);
	snprintf(c.row_id, sizeof(c.row_id), "%s", row_id);
	snprintf(c.field, sizeof(c.field), "%s", field);
	snprintf(c.user_id, sizeof(c.user_id), "%s", db->user_id);
	snprintf(c.village, sizeof(c.village), "%s", village ? village : "");
	if (v)
		c.value = *v;
	/* Its field's heads now name it: it is the winner, its clock being
	 * newer than any the field has seen. */
	return change_log_append(db, &c, NULL, err);
}
