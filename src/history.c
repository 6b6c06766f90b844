/* history.c - the audit trail of a record, from the change log. */
#include "config.h"

#include "guanqing/history.h"
#include "guanqing/i18n.h"

enum gq_status history_each(struct gq_db *db, const char *tbl, const char *id,
			    history_fn fn, void *ctx, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	rc = db_prepare(db, "SELECT c.hlc, c.origin, s.name, c.user_id, u.name, c.field,"
			" (SELECT p.value FROM change_parent cp JOIN change_log p"
			"  ON p.origin = cp.parent_origin AND p.oseq = cp.parent_oseq"
			"  WHERE cp.child_seq = c.seq AND cp.same_field = 1"
			"  ORDER BY p.hlc DESC LIMIT 1),"
			" c.value FROM change_log c"
			" LEFT JOIN station s ON s.id = c.origin"
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
		if (fn(ctx, &e))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading the history"), err);
	sqlite3_finalize(st);
	return rc;
}
