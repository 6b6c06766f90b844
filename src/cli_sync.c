/* cli_sync.c - the commands of the exchange with the stations: `export`,
 * `import`, `conflicts`, `stations` (the table entries are in cli.c). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "guanqing/auth.h"
#include "guanqing/cli_out.h"
#include "guanqing/cli_sync.h"
#include "guanqing/cli_util.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/hlc.h"
#include "guanqing/i18n.h"
#include "guanqing/merge.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"
#include "guanqing/tables.h"

static void print_progress(void *ctx, const char *recipient, uint64_t done, uint64_t total)
{
	(void)ctx;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r%s: %llu/%llu", recipient, (unsigned long long)done,
			(unsigned long long)total);
	if (done == total && isatty(STDERR_FILENO))
		fputc('\n', stderr);
}

int cli_export(int argc, char **argv, int at)
{
	static const char *const known[] = { "to", "station", NULL };
	struct strbuf report = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o) || !cli_opt_only(&o, known))
		return 2;
	status = cli_open_db_for(AUTH_EXCHANGE, &db);
	if (status)
		return status;
	if (sync_export(db, cli_opt(&o, "to"), cli_opt(&o, "station"), &report, print_progress, NULL,
			&e) != GQ_OK)
		status = cli_fail(&e);
	fputs(report.buf, stdout);
	strbuf_release(&report);
	db_close(&db);
	return status;
}

int cli_import(int argc, char **argv, int at)
{
	struct strbuf report = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	char medium[4096];
	const char *one[1];
	int status, refused = 0;
	enum gq_status rc;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	if (o.n) {
		cli_usage(_("unknown option --%s."), o.name[0]);
		return 2;
	}
	status = cli_open_db_for(AUTH_EXCHANGE, &db);
	if (status)
		return status;
	if (o.npos == 0) {
		if (sync_find_medium(db, medium, sizeof(medium), &e) != GQ_OK) {
			db_close(&db);
			return cli_fail(&e);
		}
		one[0] = medium;
		rc = sync_import(db, one, 1, &report, &refused, &e);
	} else {
		rc = sync_import(db, o.pos, (size_t)o.npos, &report, &refused, &e);
	}
	fputs(report.buf, stdout);
	if (rc != GQ_OK)
		status = cli_fail(&e);
	strbuf_release(&report);
	db_close(&db);
	return status;
}

/* A name for row id of table tbl: its own name or title, or the name of
 * the person it is about. */
static void record_about(struct gq_db *db, const char *tbl, const char *id, struct strbuf *out)
{
	const struct table_def *t = table_find(tbl);
	const char *col = NULL;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;

	if (!t)
		return;
	if (table_field(t, "person_id"))
		col = "(SELECT name FROM person p WHERE p.id = x.person_id)";
	else if (table_field(t, "name"))
		col = "x.name";
	else if (table_field(t, "title"))
		col = "x.title";
	else if (table_field(t, "address"))
		col = "x.address";
	if (!col)
		return;
	/* Table and column names come from the definitions, never from text. */
	strbuf_addf(&sql, "SELECT %s FROM %s x WHERE x.id = ?1", col, t->name);
	if (sqlite3_prepare_v2(db->h, sql.buf, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			strbuf_addstr(out, (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	strbuf_release(&sql);
}

int cli_conflicts(int argc, char **argv, int at)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	enum fmt f;
	int status;

	gq_err_clear(&e);
	if (at < argc && !strcmp(argv[at], "resolve")) {
		static const char *const known[] = { "value", "keep", NULL };
		char *end;
		long long id;

		if (cli_parse_opts(argc, argv, at + 1, NULL, &o) || !cli_opt_only(&o, known))
			return 2;
		if (o.npos != 1 || (!cli_opt(&o, "value") == !cli_opt(&o, "keep"))) {
			cli_usage("%s", _("conflicts resolve needs an ID and either --value V or --keep ORIGIN."));
			return 2;
		}
		id = strtoll(o.pos[0], &end, 10);
		if (*end || id <= 0) {
			cli_usage(_("\"%s\" is not a conflict number."), o.pos[0]);
			return 2;
		}
		status = cli_open_db_for(AUTH_CONFLICTS, &db);
		if (status)
			return status;
		if (merge_resolve(db, id, cli_opt(&o, "value"), cli_opt(&o, "keep"), &e) != GQ_OK)
			status = cli_fail(&e);
		else
			printf(_("Conflict %lld is resolved; the decision travels to the station in its next bundle.\n"), id);
		db_close(&db);
		return status;
	}
	if (cli_parse_opts(argc, argv, at, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	status = cli_open_db_for(AUTH_READ, &db);
	if (status)
		return status;
	{
		static const char *const heads[] = { "id", "record", "row", "field", "kind", "winner",
			"winner_origin", "winner_time", "loser", "loser_origin", "loser_time", "about" };
		struct table_out out;
		sqlite3_stmt *st;
		int i;

		memset(&out, 0, sizeof(out));
		out.ncols = 12;
		for (i = 0; i < 12; i++)
			out.head[i] = heads[i];
		if (sqlite3_prepare_v2(db->h, "SELECT id, tbl, row_id, field, kind, winner_value, winner_origin,"
				       " winner_hlc, loser_value, loser_origin, loser_hlc FROM conflict"
				       " WHERE status = 'open' ORDER BY id", -1, &st, NULL) == SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW) {
				char *cells[12], t1[40], t2[40];
				struct strbuf about = STRBUF_INIT;

				for (i = 0; i < 11; i++)
					cells[i] = (char *)sqlite3_column_text(st, i);
				hlc_format(sqlite3_column_int64(st, 7), t1, sizeof(t1));
				hlc_format(sqlite3_column_int64(st, 10), t2, sizeof(t2));
				cells[7] = t1;
				cells[10] = t2;
				/* Whom the record is about, so staff know it at once. */
				record_about(db, (const char *)sqlite3_column_text(st, 1),
					     (const char *)sqlite3_column_text(st, 2), &about);
				cells[11] = about.buf;
				tout_add_row(&out, cells);
				strbuf_release(&about);
			}
			sqlite3_finalize(st);
		}
		tout_print(&out, f);
	}
	db_close(&db);
	return 0;
}

int cli_stations(int argc, char **argv, int at)
{
	static const char *const heads[] = { "station", "village", "name", "status", "enrolled",
		"last_bundle_in", "last_import", "gaps", "bundles_out", "acked", "clock_warning" };
	struct table_out out;
	struct gq_db *db = NULL;
	struct opts o;
	sqlite3_stmt *st;
	enum fmt f;
	int status, i;

	if (cli_parse_opts(argc, argv, at, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	status = cli_open_db_for(AUTH_READ, &db);
	if (status)
		return status;
	memset(&out, 0, sizeof(out));
	out.ncols = 11;
	for (i = 0; i < 11; i++)
		out.head[i] = heads[i];
	if (sqlite3_prepare_v2(db->h, "SELECT p.id, p.village, d.name, p.status, p.enrolled_at, p.recv_number,"
			       " p.last_import_at, p.sent_number, p.acked_number, p.clock_warning"
			       " FROM peer p LEFT JOIN division d ON d.code = p.village"
			       " ORDER BY p.village, p.status, p.enrolled_at", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			char *cells[11];
			struct strbuf gaps = STRBUF_INIT;
			sqlite3_stmt *g;
			int64_t expect = 1;

			/* The numbers missing below the highest received. */
			if (sqlite3_prepare_v2(db->h, "SELECT number FROM bundle_in WHERE peer_id = ?1 ORDER BY number",
					       -1, &g, NULL) == SQLITE_OK) {
				sqlite3_bind_text(g, 1, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_STATIC);
				while (sqlite3_step(g) == SQLITE_ROW) {
					int64_t n = sqlite3_column_int64(g, 0);

					if (n > expect)
						strbuf_addf(&gaps, n - 1 == expect ? "%s%lld" : "%s%lld-%lld",
							    gaps.len ? " " : "", (long long)expect, (long long)(n - 1));
					expect = n + 1;
				}
				sqlite3_finalize(g);
			}
			cells[0] = (char *)sqlite3_column_text(st, 0);
			cells[1] = (char *)sqlite3_column_text(st, 1);
			cells[2] = (char *)sqlite3_column_text(st, 2);
			cells[3] = (char *)sqlite3_column_text(st, 3);
			cells[4] = (char *)sqlite3_column_text(st, 4);
			cells[5] = (char *)sqlite3_column_text(st, 5);
			cells[6] = (char *)sqlite3_column_text(st, 6);
			cells[7] = gaps.buf;
			cells[8] = (char *)sqlite3_column_text(st, 7);
			cells[9] = (char *)sqlite3_column_text(st, 8);
			cells[10] = (char *)sqlite3_column_text(st, 9);
			tout_add_row(&out, cells);
			strbuf_release(&gaps);
		}
		sqlite3_finalize(st);
	}
	tout_print(&out, f);
	db_close(&db);
	return 0;
}
