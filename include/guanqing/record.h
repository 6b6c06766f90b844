/* record.h - create, change, tombstone and read the rows of synced tables.
 *
 * One code path for the command line, the screens and the demo: values
 * arrive as text (what a person typed), are checked and normalised by type
 * (validate.h) and by the table's rules (rules.h), written, and logged in
 * the change log (change.h), all in one transaction: a refused value
 * leaves nothing behind. Rows are never deleted: record_delete() sets the
 * tombstone.
 */
#ifndef GUANQING_RECORD_H
#define GUANQING_RECORD_H

#include <stddef.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/tables.h"
#include "guanqing/uid.h"

/* One value typed for a field (column or option name); text NULL or ""
 * clears the field. */
struct rec_value {
	const char *field;
	const char *text;
};

/* A row read back: every field as text (NULL when empty). */
struct record {
	const struct table_def *t;
	char id[UID_LEN + 1];
	char origin[UID_LEN + 1];
	char village[16];
	char created_at[32];
	char updated_at[32];
	int deleted;
	char **values;		/* t->nfields entries, owned */
};

/* The state of a row while it is being saved, for the table rules. */
struct rec_ctx {
	const struct table_def *t;
	const char *id;
	int is_new;
	char village[16];	/* the row's village ("" for county-wide) */
	char **cur;		/* new values by field index, owned by record.c */
	char **old;		/* values before (NULL when new) */
	unsigned char *given;	/* 1 where the caller gave the field */
};

/* Create a row of t from vals; on success the new id is written to id_out
 * (UID_LEN + 1 bytes). village may be NULL: a station's own village, or
 * the person's village for records about a person. */
enum gq_status record_create(struct gq_db *db, const struct table_def *t,
			     const struct rec_value *vals, size_t n,
			     const char *village, char *id_out,
			     struct gq_err *err);
/* Change the given fields of row id; unchanged values are not logged. */
enum gq_status record_update(struct gq_db *db, const struct table_def *t,
			     const char *id, const struct rec_value *vals,
			     size_t n, struct gq_err *err);
/* Tombstone row id. */
enum gq_status record_delete(struct gq_db *db, const struct table_def *t,
			     const char *id, struct gq_err *err);
/* Read row id (tombstoned rows too). *out is freed with record_free. */
enum gq_status record_load(struct gq_db *db, const struct table_def *t,
			   const char *id, struct record **out,
			   struct gq_err *err);
void record_free(struct record **r);
/* The value of a field of r by name, or NULL. */
const char *record_get(const struct record *r, const char *field);
/* Resolve a full id or a unique prefix of at least 6 characters of a live
 * row of t into out (UID_LEN + 1 bytes). */
/* The check of one typed value of field f that a local save makes (its
 * type, choices, limits, UTF-8; a reference is resolved in db): GQ_OK and
 * the stored form in *out (malloc'ed, NULL for empty), or a refusal whose
 * message names the field. The merge calls it for received changes. */
enum gq_status record_check_value(struct gq_db *db, const struct field_def *f,
				  const char *text, char **out, struct gq_err *err);

enum gq_status record_resolve_id(struct gq_db *db, const struct table_def *t,
				 const char *text, char *out,
				 struct gq_err *err);

/* For the rules: read and replace a value of the row being saved. */
const char *rec_ctx_get(const struct rec_ctx *c, const char *field);
const char *rec_ctx_old(const struct rec_ctx *c, const char *field);
void rec_ctx_set(struct rec_ctx *c, const char *field, const char *text);
int rec_ctx_changed(const struct rec_ctx *c, const char *field);

#endif
