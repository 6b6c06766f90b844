/* formdb.c - installed and published visit forms. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/xalloc.h"

#define FORM_TEXT_MAX 200000

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

enum gq_status formdb_publish(struct gq_db *db, const char *path,
			      char *id_out, size_t id_size, int *version_out,
			      struct gq_err *err)
{
	struct strbuf text = STRBUF_INIT, sbuf = STRBUF_INIT;
	struct form *f = NULL;
	char buf[8192], vtext[16], existing[UID_LEN + 1] = "";
	const char *p;
	size_t n;
	FILE *fp;
	enum gq_status rc;
	int old_version = 0;
	sqlite3_stmt *st;

	if (db->role != DB_ROLE_COUNTY)
		return gq_err_set(err, GQ_EPERM, _("Forms are published by the county, not at a station."));
	fp = fopen(path, "r");
	if (!fp)
		return gq_err_set(err, errno == ENOENT ? GQ_ENOTFOUND : GQ_EIO,
				  _("The form file %s cannot be read: %s."), path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0 && text.len <= FORM_TEXT_MAX)
		strbuf_add(&text, buf, n);
	fclose(fp);
	if (text.len > FORM_TEXT_MAX) {
		strbuf_release(&text);
		return gq_err_set(err, GQ_EINVAL, _("The form file %s is larger than %d bytes."),
				  path, FORM_TEXT_MAX);
	}
	/* Stored as plain lines: no byte-order mark, no carriage returns. */
	p = text.buf;
	if (!strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	for (; *p; p++)
		if (*p != '\r')
			strbuf_addch(&sbuf, *p);
	strbuf_release(&text);
	rc = form_load_text(path, sbuf.buf, sbuf.len, &f, err);
	if (rc != GQ_OK) {
		strbuf_release(&sbuf);
		return rc;
	}
	rc = db_prepare(db, "SELECT id, version FROM form_def WHERE form_id = ?1 AND deleted = 0"
			" ORDER BY version DESC LIMIT 1", &st, err);
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, form_id(f), -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(existing, sizeof(existing), "%s", (const char *)sqlite3_column_text(st, 0));
			old_version = sqlite3_column_int(st, 1);
		}
		sqlite3_finalize(st);
	}
	if (rc == GQ_OK && existing[0] && form_version(f) <= old_version)
		rc = gq_err_set(err, GQ_EINVAL,
				_("Form %s version %d is published already; give the file a higher version than %d."),
				form_id(f), old_version, old_version);
	if (rc == GQ_OK) {
		struct rec_value v[] = {
			{ "form_id", form_id(f) }, { "version", vtext },
			{ "title", form_title(f, 0) }, { "body", sbuf.buf },
		};

		snprintf(vtext, sizeof(vtext), "%d", form_version(f));
		if (existing[0])
			rc = record_update(db, table_find("form_def"), existing, v + 1, 3, err);
		else
			rc = record_create(db, table_find("form_def"), v, 4, NULL, NULL, err);
	}
	if (rc == GQ_OK && id_out)
		snprintf(id_out, id_size, "%s", form_id(f));
	if (rc == GQ_OK && version_out)
		*version_out = form_version(f);
	form_free(&f);
	strbuf_release(&sbuf);
	return rc;
}
