/* history.c - the audit trail of a record, from the change log. */
#include "config.h"

#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/division.h"
#include "guanqing/field.h"
#include "guanqing/change.h"
#include "guanqing/history.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

/* The common columns every synced row has, which tables.h does not list. */
static const struct field_def common_fields[] = {
	{ "created_at", "created", FT_TEXT, 0, N_("Created"), 0, 0, NULL, NULL },
	{ "village", "village", FT_TEXT, 0, N_("Village"), 0, 0, NULL, NULL },
	{ "deleted", "deleted", FT_BOOL, 0, N_("Deleted"), 0, 1, NULL, NULL },
};

static const struct field_def *field_of(const struct table_def *t, const char *name)
{
	const struct field_def *f = table_field(t, name);
	size_t i;

	for (i = 0; !f && name && i < sizeof(common_fields) / sizeof(common_fields[0]); i++)
		if (!strcmp(common_fields[i].name, name))
			f = &common_fields[i];
	return f;
}

/* How a stored value of field f reads: a village by its name, a creation
 * time in local time, else field_display(). */
static void value_text(struct gq_db *db, const struct field_def *f, const char *v,
		       struct strbuf *out)
{
	strbuf_reset(out);
	if (!v)
		return;
	if (f && !strcmp(f->name, "village")) {
		char name[128];

		division_name(db, v, name, sizeof(name));
		strbuf_addstr(out, name[0] ? name : v);
	} else if (f && !strcmp(f->name, "created_at")) {
		int64_t ms;
		char when[24];

		if (clock_parse(v, &ms) == 0) {
			clock_local(ms, when, sizeof(when));
			strbuf_addstr(out, when);
		} else {
			strbuf_addstr(out, v);
		}
	} else if (f) {
		field_display(db, f, v, out);
	} else {
		strbuf_addstr(out, v);
	}
}

enum gq_status history_each(struct gq_db *db, const char *tbl, const char *id,
			    history_fn fn, void *ctx, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	const struct table_def *t = table_find(tbl);
	struct strbuf old_text = STRBUF_INIT, new_text = STRBUF_INIT;

	rc = db_prepare(db, "SELECT c.hlc, c.origin, coalesce(s.name, d.name), c.user_id, u.name, c.field,"
			/* the version it replaced: of its same-field parents
			 * the newest */
			" (SELECT " LOG_VALUE_OSEQ("p.origin_n", "p.oseq") " FROM log_parent p"
			"  WHERE p.child_seq = c.seq AND p.same_field = 1"
			"  ORDER BY " LOG_HLC_OSEQ("p.origin_n", "p.oseq") " DESC LIMIT 1),"
			" c.value FROM change_log c"
			" LEFT JOIN station s ON s.id = c.origin"
			" LEFT JOIN division d ON d.code = s.village"
			" LEFT JOIN users u ON u.id = c.user_id"
			" WHERE c.tbl = ?1 AND c.row_id = ?2"
			" ORDER BY c.hlc, c.origin, c.oseq", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_entry e;

		e.hlc = sqlite3_column_int64(st, 0);
		e.origin = (const char *)sqlite3_column_text(st, 1);
		e.station = (const char *)sqlite3_column_text(st, 2);
		e.user_id = (const char *)sqlite3_column_text(st, 3);
		e.user = (const char *)sqlite3_column_text(st, 4);
		e.field = (const char *)sqlite3_column_text(st, 5);
		e.old_value = (const char *)sqlite3_column_text(st, 6);
		e.new_value = (const char *)sqlite3_column_text(st, 7);
		{
			const struct field_def *f = field_of(t, e.field);

			e.label = f ? _(f->label) : e.field;
			value_text(db, f, e.old_value, &old_text);
			value_text(db, f, e.new_value, &new_text);
			e.old_text = e.old_value ? old_text.buf : NULL;
			e.new_text = e.new_value ? new_text.buf : NULL;
			clock_local(HLC_MS(e.hlc), e.when, sizeof(e.when));
		}
		if (fn(ctx, &e))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading the history"), err);
	sqlite3_finalize(st);
	strbuf_release(&old_text);
	strbuf_release(&new_text);
	return rc;
}
