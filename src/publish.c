/* publish.c - the county publishes a visit form: a county write, kept
 * out of formdb (which only reads forms) so that reading a form never
 * depends on the save path. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/form.h"
#include "guanqing/i18n.h"
#include "guanqing/publish.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"

#define FORM_TEXT_MAX 200000

enum gq_status publish_form(struct gq_db *db, const char *path,
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
