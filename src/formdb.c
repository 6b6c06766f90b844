/* formdb.c - installed and published visit forms. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"
#include "guanqing/xalloc.h"

/* The newest published body of form id: *version and a malloc'ed copy of
 * its text, or NULL when none is published. */
static char *published(struct gq_db *db, const char *id, int *version)
{
	sqlite3_stmt *st;
	char *body = NULL;

	*version = 0;
	if (sqlite3_prepare_v2(db->h, "SELECT version, body FROM form_def WHERE form_id = ?1"
			       " AND deleted = 0 AND body IS NOT NULL ORDER BY version DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		body = strdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return body;
}

enum gq_status formdb_find(struct gq_db *db, const char *id, struct form **out,
			   struct gq_err *err)
{
	struct form *file = NULL, *pub = NULL;
	struct gq_err ferr;
	enum gq_status rc;
	int version;
	char *body;
	char name[128];

	*out = NULL;
	gq_err_clear(&ferr);
	rc = form_find(form_default_dir(), id, &file, &ferr);
	body = db ? published(db, id, &version) : NULL;
	if (body && (!file || version > form_version(file))) {
		snprintf(name, sizeof(name), _("published form %s v%d"), id, version);
		rc = form_load_text(name, body, strlen(body), &pub, err);
		free(body);
		if (rc != GQ_OK) {
			form_free(&file);
			return rc;
		}
		form_free(&file);
		*out = pub;
		return GQ_OK;
	}
	free(body);
	if (rc != GQ_OK) {
		if (err)
			*err = ferr;
		return rc;
	}
	*out = file;
	return GQ_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int formdb_new_visit_ok(const char *id)
{
	return id && strcmp(id, "death_report") != 0;
}

enum gq_status formdb_list(struct gq_db *db, struct form_list *out,
			   struct gq_err *err)
{
	enum gq_status rc = form_list_dir(form_default_dir(), out, err);
	sqlite3_stmt *st;
	size_t i, j;

	if (rc == GQ_ENOTFOUND) {
		out->ids = NULL;
		out->nr = 0;
		rc = GQ_OK;
	}
	if (rc != GQ_OK || !db)
		return rc;
	if (sqlite3_prepare_v2(db->h, "SELECT DISTINCT form_id FROM form_def WHERE deleted = 0"
			       " AND form_id IS NOT NULL", -1, &st, NULL) != SQLITE_OK)
		return db_error(db, _("reading forms"), err);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		for (i = 0; i < out->nr && strcmp(out->ids[i], id); i++)
			;
		if (i < out->nr)
			continue;
		out->ids = xreallocarray(out->ids, out->nr + 1, sizeof(char *));
		out->ids[out->nr] = xstrdup(id);
		out->nr++;
	}
	sqlite3_finalize(st);
	qsort(out->ids, out->nr, sizeof(char *), cmp_str);
	/* Sorted, so a repeat would stand next to its twin. */
	for (i = j = 0; i < out->nr; i++) {
		if (j && !strcmp(out->ids[j - 1], out->ids[i]))
			free(out->ids[i]);
		else
			out->ids[j++] = out->ids[i];
	}
	out->nr = j;
	return GQ_OK;
}
