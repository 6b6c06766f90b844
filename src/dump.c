/* dump.c - canonical dump and integrity check. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "guanqing/change.h"
#include "guanqing/dump.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

static void put_escaped(FILE *out, const unsigned char *s)
{
	if (!s) {
		fputs("\\N", out);
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\\\", out); break;
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		default: fputc(*s, out);
		}
	}
}

enum gq_status dump_canonical(struct gq_db *db, FILE *out, struct gq_err *err)
{
	enum gq_status rc = GQ_OK;
	size_t t, i;

	/* One read transaction, so the dump is one consistent state. */
	rc = db_exec(db, "BEGIN", err);
	for (t = 0; rc == GQ_OK && t < tables_count; t++) {
		const struct table_def *td = tables_all[t];
		struct strbuf sql = STRBUF_INIT;
		sqlite3_stmt *st;
		int step;

		strbuf_addstr(&sql, "SELECT id, origin, village, created_at, deleted");
		for (i = 0; i < td->nfields; i++)
			strbuf_addf(&sql, ", %s", td->fields[i].name);
		strbuf_addf(&sql, " FROM %s ORDER BY id", td->name);
		rc = db_prepare(db, sql.buf, &st, err);
		strbuf_release(&sql);
		if (rc != GQ_OK)
			break;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			fputs(td->name, out);
			for (i = 0; i < 5; i++) {
				fputc('\t', out);
				put_escaped(out, sqlite3_column_text(st, (int)i));
			}
			for (i = 0; i < td->nfields; i++) {
				fprintf(out, "\t%s=", td->fields[i].name);
				put_escaped(out, sqlite3_column_text(st, 5 + (int)i));
			}
			fputc('\n', out);
		}
		if (step != SQLITE_DONE)
			rc = db_error(db, _("reading records"), err);
		sqlite3_finalize(st);
	}
	sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	if (rc == GQ_OK && (fflush(out) != 0 || ferror(out)))
		rc = gq_err_set(err, GQ_EIO, _("Writing the dump failed."));
	return rc;
}

/* One column of table t compared with its winner in the change log, as
 * an SQL query whose rows "table, id, column, row's value, log's value"
 * are the rows that differ: a column with a winner holds the winner's
 * value; one without holds nothing ("" for a NOT NULL column, 0 for
 * deleted). Names come from tables_all[] only. */
static void add_winner_check(struct strbuf *sql, const char *tbl, const char *col)
{
	struct strbuf none = STRBUF_INIT;

	if (!strcmp(col, "deleted"))
		strbuf_addstr(&none, "x.v <> 0");
	else	/* NULL, or '' in a NOT NULL column whose change has not arrived */
		strbuf_addstr(&none, "x.v IS NOT NULL AND x.v <> ''");
	if (sql->len)
		strbuf_addstr(sql, " UNION ALL ");
	/* The winner: the field's first head in the merge's order. */
	strbuf_addf(sql, "SELECT '%s', x.id, '%s', x.v, x.w FROM (SELECT r.id AS id, r.%s AS v,"
		    " (SELECT count(*) FROM " LOG_HEADS("k.n", "= f.n") ") AS heads,"
		    " (SELECT " HEAD_VALUE HEADS_FROM("k.n", "= f.n")
		    " CROSS JOIN log_key o ON o.n = c.origin_n"
		    " ORDER BY " HEAD_HLC " DESC, o.key DESC, " HEAD_OSEQ " DESC LIMIT 1) AS w"
		    " FROM %s r LEFT JOIN log_key k ON k.key = r.id"
		    " LEFT JOIN log_field f ON f.tbl = '%s' AND f.field = '%s') x"
		    " WHERE CASE WHEN x.heads = 0 THEN %s ELSE x.v IS NOT x.w END",
		    tbl, col, col, tbl, tbl, col, none.buf);
	strbuf_release(&none);
}

static void winner_checks(const struct table_def *t, struct strbuf *sql)
{
	size_t i;

	add_winner_check(sql, t->name, "village");
	add_winner_check(sql, t->name, "deleted");
	for (i = 0; i < t->nfields; i++)
		add_winner_check(sql, t->name, t->fields[i].name);
}

enum gq_status dump_check_users(struct gq_db *db, struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	enum gq_status rc;

	winner_checks(table_find("users"), &sql);
	strbuf_addstr(&sql, " LIMIT 1");
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *have = sqlite3_column_text(st, 3), *want = sqlite3_column_text(st, 4);

		rc = gq_err_set(err, GQ_ECORRUPT,
				_("Database %s: the user %s was changed outside the program: its field \"%s\" holds \"%s\", but its change log says \"%s\". Nothing is started; run \"guanqing check\" and restore the database from a backup."),
				db->path, (const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2),
				have ? (const char *)have : "", want ? (const char *)want : "");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Run a query whose rows are problems; print each with fmt. */
static enum gq_status report(struct gq_db *db, const char *sql, FILE *out,
			     const char *what, int *problems, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_prepare(db, sql, &st, err);
	int step, cols, i;

	if (rc != GQ_OK)
		return rc;
	cols = sqlite3_column_count(st);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (cols == 1 && sqlite3_column_text(st, 0) &&
		    !strcmp((const char *)sqlite3_column_text(st, 0), "ok"))
			continue;
		fprintf(out, "%s:", what);
		for (i = 0; i < cols; i++) {
			const unsigned char *s = sqlite3_column_text(st, i);

			fprintf(out, " %s", s ? (const char *)s : "-");
		}
		fputc('\n', out);
		(*problems)++;
	}
	if (step != SQLITE_DONE)
		rc = db_error(db, what, err);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status dump_check(struct gq_db *db, FILE *out, int *problems,
			  struct gq_err *err)
{
	enum gq_status rc;
	size_t t;

	*problems = 0;
	/* The files hold residents' personal data: only their owner reads
	 * them. */
	{
		static const char *const side[] = { "", "-wal", "-shm" };
		char path[4096];
		struct stat sb;
		size_t i;

		for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
			snprintf(path, sizeof(path), "%s%s", db->path, side[i]);
			if (stat(path, &sb) == 0 && (sb.st_mode & 077)) {
				fprintf(out, _("file mode: %s can be read by others (mode %03o); it holds personal data: chmod 600 it.\n"),
					path, (unsigned)(sb.st_mode & 0777));
				(*problems)++;
			}
		}
	}
	rc = report(db, "PRAGMA integrity_check", out, _("integrity"), problems, err);
	if (rc == GQ_OK)
		rc = report(db, "PRAGMA foreign_key_check", out, _("foreign key"), problems, err);
	/* Every number the log holds names an id, a field or a change, and
	 * every head (whose first is a field's winning version) a change of
	 * its row and field. */
	if (rc == GQ_OK)
		rc = report(db, "SELECT 'log_entry', e.seq FROM log_entry e"
			    " WHERE NOT EXISTS (SELECT 1 FROM log_key WHERE n = e.origin_n)"
			    " OR NOT EXISTS (SELECT 1 FROM log_key WHERE n = e.row_n)"
			    " OR NOT EXISTS (SELECT 1 FROM log_field WHERE n = e.field_n)"
			    " OR (e.user_n IS NOT NULL AND NOT EXISTS (SELECT 1 FROM log_key WHERE n = e.user_n))"
			    " OR (e.village_n IS NOT NULL"
			    " AND NOT EXISTS (SELECT 1 FROM log_key WHERE n = e.village_n))"
			    " UNION ALL SELECT 'log_parent', p.child_seq FROM log_parent p"
			    " WHERE NOT EXISTS (SELECT 1 FROM log_entry WHERE seq = p.child_seq)"
			    " OR NOT EXISTS (SELECT 1 FROM log_key WHERE n = p.origin_n)"
			    " UNION ALL SELECT 'log_head', h.seq FROM log_head h"
			    " LEFT JOIN log_entry e ON e.seq = h.seq"
			    " WHERE e.seq IS NULL OR e.row_n <> h.row_n"
			    " OR (e.shape_n IS NULL AND e.field_n <> h.field_n)"
			    " OR (e.shape_n IS NOT NULL AND h.field_n <> 0 AND NOT EXISTS"
			    " (SELECT 1 FROM log_shape_field s WHERE s.shape_n = e.shape_n"
			    " AND s.field_n = h.field_n))",
			    out, _("change log"), problems, err);
	/* A run: a known shape that starts with its field, as many values as
	 * members, no parents, a row-level head, and no other entry in the
	 * seqs or numbers it covers. */
	if (rc == GQ_OK)
		rc = report(db, "SELECT 'log_entry run', e.seq FROM log_entry e"
			    " LEFT JOIN log_shape sh ON sh.n = e.shape_n WHERE e.shape_n IS NOT NULL"
			    " AND (sh.n IS NULL OR sh.width < 2 OR sh.width > " LOG_RUN_MAX_S
			    " OR (e.value IS NOT NULL AND (json_valid(e.value) = 0"
			    " OR json_array_length(e.value) <> sh.width))"
			    " OR e.parents <> '' OR e.field_n IS NOT (SELECT field_n FROM log_shape_field"
			    " WHERE shape_n = e.shape_n AND i = 0)"
			    " OR (SELECT count(*) FROM log_shape_field WHERE shape_n = e.shape_n) <> sh.width"
			    " OR NOT EXISTS (SELECT 1 FROM log_head h WHERE h.row_n = e.row_n"
			    " AND h.field_n = 0 AND h.seq = e.seq))"
			    " UNION ALL SELECT 'log_entry overlaps', seq FROM (SELECT seq, shape_n,"
			    " lead(seq) OVER (ORDER BY seq) AS next FROM log_entry) e"
			    " WHERE e.next < e.seq + " LOG_WIDTH("e")
			    " UNION ALL SELECT 'log_entry overlaps', seq FROM (SELECT seq, oseq, shape_n,"
			    " lead(oseq) OVER (PARTITION BY origin_n ORDER BY oseq) AS next FROM log_entry) e"
			    " WHERE e.next < e.oseq + " LOG_WIDTH("e")
			    " UNION ALL SELECT 'log_head', h.seq FROM log_head h"
			    " JOIN log_entry e ON e.seq = h.seq WHERE h.field_n = 0 AND e.shape_n IS NULL",
			    out, _("change log"), problems, err);
	/* A run its row holds has its row. */
	if (rc == GQ_OK) {
		struct strbuf sql = STRBUF_INIT;

		change_log_held_check_sql(&sql);
		rc = report(db, sql.buf, out, _("change log"), problems, err);
		strbuf_release(&sql);
	}
	/* Our own sequence numbers have no gap and end where meta says. */
	if (rc == GQ_OK)
		rc = report(db, "SELECT 'own changes', count(*), max(oseq),"
			    " (SELECT value FROM meta WHERE key = 'next_oseq')"
			    " FROM change_log WHERE origin = (SELECT value FROM meta WHERE key = 'station_id')"
			    " HAVING count(*) <> coalesce(max(oseq), 0)"
			    " OR coalesce(max(oseq), 0) + 1 <> coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_oseq'), 1)",
			    out, _("sequence"), problems, err);
	/* Every synced row shows what its change log's winners say: an edit
	 * behind the program's back (sqlite3) is named here. */
	for (t = 0; rc == GQ_OK && t < tables_count; t++) {
		struct strbuf sql = STRBUF_INIT;

		winner_checks(tables_all[t], &sql);
		rc = report(db, sql.buf, out, _("differs from its change log"), problems, err);
		strbuf_release(&sql);
	}
	/* Every synced row has its creation in the log. */
	for (t = 0; rc == GQ_OK && t < tables_count; t++) {
		struct strbuf sql = STRBUF_INIT;

		strbuf_addf(&sql, "SELECT '%s', id FROM %s r LEFT JOIN log_key k ON k.key = r.id"
			    " WHERE NOT EXISTS (SELECT 1 FROM " LOG_HEADS("k.n", "= (SELECT n FROM log_field"
			    " WHERE tbl = '%s' AND field = 'created_at')") ")",
			    tables_all[t]->name, tables_all[t]->name, tables_all[t]->name, tables_all[t]->name);
		rc = report(db, sql.buf, out, _("row without history"), problems, err);
		strbuf_release(&sql);
	}
	return rc;
}
