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

/* Column i of the columns of t that the winner check compares: village,
 * deleted, then t's fields. */
static const char *check_column(const struct table_def *t, size_t i)
{
	return i == 0 ? "village" : i == 1 ? "deleted" : t->fields[i - 2].name;
}

/* Every row of table t compared with its change log's winners, as one
 * SQL query whose rows "table, id, column, row's value, log's value" are
 * the columns that differ: a column with a winner holds the winner's
 * value (a run its row holds is the row's own values); one without holds
 * nothing ("" for a NOT NULL column, 0 for deleted). The heads of all
 * the rows are read at once, by index from the rows' numbers, and ranked
 * in the merge's order (doc/merge.md) rather than looked up for each row
 * and column apart. rows names the rows checked, after SELECT * FROM:
 * t's name, or with a WHERE. Names come from tables_all[] only. */
static void winner_check_sql(const struct table_def *t, const char *rows, struct strbuf *sql)
{
	size_t i, ncols = 2 + t->nfields;

	strbuf_addf(sql, "WITH r AS (SELECT * FROM %s),"
		    " k AS (SELECT r.id AS id, k.n AS n FROM r CROSS JOIN log_key k ON k.key = r.id),"
		    " f AS (SELECT n, field FROM log_field WHERE tbl = '%s'),"
		    " h AS " LOG_HEADS_OF("IN (SELECT n FROM k)", "IN (SELECT n FROM f)") ","
		    " w AS (SELECT row_n, field_n, heads, held, w FROM (SELECT h.row_n AS row_n,"
		    " h.field_n AS field_n, count(*) OVER p AS heads,"
		    " row_number() OVER (p ORDER BY " HEAD_HLC " DESC, o.key DESC, " HEAD_OSEQ " DESC) AS rank,"
		    " s.i IS NOT NULL AND c.value IS NULL AS held,"
		    " CASE WHEN s.i IS NULL THEN c.value ELSE json_extract(c.value, s.path) END AS w"
		    " FROM h CROSS JOIN log_entry c ON c.seq = h.at"
		    " LEFT JOIN log_shape_field s ON s.shape_n = c.shape_n AND s.field_n = h.field_n"
		    " CROSS JOIN log_key o ON o.n = c.origin_n WINDOW p AS (PARTITION BY h.row_n, h.field_n))"
		    " WHERE rank = 1),"
		    " c (i, name) AS (VALUES",
		    rows, t->name);
	for (i = 0; i < ncols; i++)
		strbuf_addf(sql, "%s (%zu, '%s')", i ? "," : "", i, check_column(t, i));
	strbuf_addf(sql, ") SELECT '%s', r.id, c.name, CASE c.i", t->name);
	for (i = 0; i < ncols; i++)
		strbuf_addf(sql, " WHEN %zu THEN r.%s", i, check_column(t, i));
	/* Each column is compared as itself, its type's affinity applied to
	 * the log's value as when the row was written. */
	strbuf_addstr(sql, " END, w.w FROM r CROSS JOIN c LEFT JOIN k ON k.id = r.id"
		      " LEFT JOIN f ON f.field = c.name"
		      " LEFT JOIN w ON w.row_n = k.n AND w.field_n = f.n WHERE CASE c.i");
	for (i = 0; i < ncols; i++) {
		const char *col = check_column(t, i);

		if (i == 1)
			strbuf_addf(sql, " WHEN 1 THEN CASE WHEN w.heads IS NULL THEN r.%s <> 0", col);
		else	/* NULL, or '' in a NOT NULL column whose change has not arrived */
			strbuf_addf(sql, " WHEN %zu THEN CASE WHEN w.heads IS NULL"
				    " THEN r.%s IS NOT NULL AND r.%s <> ''", i, col, col);
		strbuf_addf(sql, " WHEN w.held THEN 0 ELSE r.%s IS NOT w.w END", col);
	}
	strbuf_addstr(sql, " END");
}

enum gq_status dump_check_users(struct gq_db *db, struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	enum gq_status rc;

	/* At the county, the users who may sign in there: its own (no
	 * village) and any row whose role is the county's. The county also
	 * holds every station's users, two thousand rows spread through its
	 * log, whose check would be most of the time any command takes; an
	 * edit that turns one into the county's is caught by its role, and
	 * check reads them all. */
	winner_check_sql(table_find("users"), db->role == DB_ROLE_COUNTY
			 ? "users WHERE village IS NULL OR role IN ('county_staff', 'county_admin')"
			 : "users", &sql);
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

		winner_check_sql(tables_all[t], tables_all[t]->name, &sql);
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
