/* cli_sync.c - the commands of the exchange with the stations: `export`,
 * `import`, `conflicts`, `stations` (the table entries are in cli.c). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guanqing/auth.h"
#include "guanqing/cli_out.h"
#include "guanqing/cli_sync.h"
#include "guanqing/cli_util.h"
#include "guanqing/county.h"
#include "guanqing/county_stick.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/merge.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"

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
	static const char *const known[] = { "to", "station", "village", NULL };
	static const char *const flags[] = { "by-village", NULL };
	struct strbuf report = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;

	gq_err_clear(&e);
	if (cli_parse_words(argc, argv, at, known, flags, &o))
		return 2;
	status = cli_open_db_for(AUTH_EXCHANGE, &db);
	if (status)
		return status;
	if (cli_opt(&o, "by-village") || cli_opt(&o, "village")) {
		/* The county's return bundles in one folder per village. */
		const char *villages[CLI_MAX_OPTS];
		char medium[4096];
		const char *dir = cli_opt(&o, "to");
		size_t n = 0;
		int i;

		for (i = 0; i < o.n; i++)
			if (!strcmp(o.name[i], "village"))
				villages[n++] = o.value[i];
		if (db->role != DB_ROLE_COUNTY) {
			fprintf(stderr, "guanqing: %s\n", _("Return bundles by village are written at the county."));
			db_close(&db);
			return 1;
		}
		if (!dir && sync_find_medium(db, medium, sizeof(medium), &e) == GQ_OK)
			dir = medium;
		if (!dir || county_export_returns(db, dir, villages, n, &report, print_progress, NULL,
						  &e) != GQ_OK)
			status = cli_fail(&e);
	} else if (sync_export(db, cli_opt(&o, "to"), cli_opt(&o, "station"), &report, print_progress,
			       NULL, &e) != GQ_OK) {
		status = cli_fail(&e);
	}
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

/* The columns of `conflicts`: the first twelve are the ones scripts
 * already read (their order and, outside Chinese, their names are kept);
 * the rest say the same as people read it. */
static const char *const conflict_heads[] = {
	N_("id"), N_("record"), N_("row"), N_("field"), N_("kind"), N_("winner"), N_("winner_origin"),
	N_("winner_time"), N_("loser"), N_("loser_origin"), N_("loser_time"), N_("about"),
	N_("village"), N_("field_label"), N_("winner_place"), N_("winner_user"), N_("loser_place"),
	N_("loser_user")
};
#define CONFLICT_COLS 18

/* What people read in a table: whom, where, which field, each value with
 * its place, user and time. */
static const char *const conflict_table_heads[] = {
	N_("No."), N_("About"), N_("Village"), N_("Record"), N_("Field"),
	N_("Value now"), N_("From"), N_("By"), N_("At"),
	N_("Other value"), N_("From"), N_("By"), N_("At")
};
#define CONFLICT_TABLE_COLS 13

struct conflicts_out {
	struct table_out out;
	enum fmt f;
};

static int conflict_row(void *arg, const struct county_conflict *c)
{
	struct conflicts_out *co = arg;
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	if (co->f == FMT_TABLE) {
		char *cells[CONFLICT_TABLE_COLS] = {
			id, (char *)c->about, (char *)c->village_name, (char *)c->table_label,
			(char *)c->field_label,
			(char *)c->side[0].value, (char *)c->side[0].place, (char *)c->side[0].user,
			(char *)c->side[0].when,
			(char *)c->side[1].value, (char *)c->side[1].place, (char *)c->side[1].user,
			(char *)c->side[1].when
		};

		tout_add_row(&co->out, cells);
	} else {
		char *cells[CONFLICT_COLS] = {
			id, (char *)c->tbl, (char *)c->row_id, (char *)c->field, (char *)c->kind,
			(char *)c->side[0].raw, (char *)c->side[0].origin, (char *)c->side[0].stamp,
			(char *)c->side[1].raw, (char *)c->side[1].origin, (char *)c->side[1].stamp,
			(char *)c->about, (char *)c->village_name, (char *)c->field_label,
			(char *)c->side[0].place, (char *)c->side[0].user,
			(char *)c->side[1].place, (char *)c->side[1].user
		};

		tout_add_row(&co->out, cells);
	}
	return 0;
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
		char *end, origin[37];
		const char *keep;
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
		/* --keep takes the place's id, its village's code or name, or
		 * the county's name. */
		keep = cli_opt(&o, "keep");
		if (keep && county_conflict_side(db, id, keep, origin, &e) != GQ_OK) {
			status = cli_fail(&e);
			db_close(&db);
			return status;
		}
		if (merge_resolve(db, id, cli_opt(&o, "value"), keep ? origin : NULL, &e) != GQ_OK)
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
		struct conflicts_out co;
		int i;

		memset(&co, 0, sizeof(co));
		co.f = f;
		if (f == FMT_TABLE) {
			co.out.ncols = CONFLICT_TABLE_COLS;
			for (i = 0; i < CONFLICT_TABLE_COLS; i++)
				co.out.head[i] = _(conflict_table_heads[i]);
		} else {
			co.out.ncols = CONFLICT_COLS;
			/* JSON keys stay as they are for programs; CSV heads
			 * are read by people in a spreadsheet. */
			for (i = 0; i < CONFLICT_COLS; i++)
				co.out.head[i] = f == FMT_CSV ? _(conflict_heads[i]) : conflict_heads[i];
		}
		if (county_conflicts(db, conflict_row, &co, &e) != GQ_OK) {
			tout_release(&co.out);
			status = cli_fail(&e);
		} else {
			tout_print(&co.out, f);
		}
	}
	db_close(&db);
	return status;
}

/* The columns of `stations`: the first eleven as before, then the town and
 * village names, days since the last bundle, the changes it has not
 * acknowledged and whether it is silent. */
static const char *const station_heads[] = {
	N_("station"), N_("village"), N_("name"), N_("status"), N_("enrolled"),
	N_("last_bundle_in"), N_("last_import"), N_("gaps"), N_("bundles_out"), N_("acked"),
	N_("clock_warning"), N_("town"), N_("days_since"), N_("unacknowledged"), N_("silent")
};
#define STATION_COLS 15

static const char *const station_table_heads[] = {
	N_("Town"), N_("Village"), N_("Status"), N_("Last bundle"), N_("Date"), N_("Days"),
	N_("Not acknowledged"), N_("Missing bundles"), N_("Clock"), N_("Station")
};
#define STATION_TABLE_COLS 10

struct stations_out {
	struct table_out out;
	enum fmt f;
};

static int station_row(void *arg, const struct county_station *s)
{
	struct stations_out *so = arg;
	char last[24], days[24], unacked[24], sent[24], acked[24], date[16] = "";
	const char *status = !strcmp(s->status, "active") ? (s->silent ? _("silent") : _("active")) :
			     _("revoked");

	snprintf(last, sizeof(last), "%lld", (long long)s->last_number);
	snprintf(days, sizeof(days), "%ld", s->days_since);
	snprintf(unacked, sizeof(unacked), "%lld", (long long)s->unacked);
	snprintf(sent, sizeof(sent), "%lld", (long long)s->sent_number);
	snprintf(acked, sizeof(acked), "%lld", (long long)s->acked_number);
	if (s->last_date)
		snprintf(date, sizeof(date), "%.10s", s->last_date);
	if (so->f == FMT_TABLE) {
		char *cells[STATION_TABLE_COLS] = {
			(char *)s->town_name, (char *)s->village_name, (char *)status,
			s->last_number ? last : NULL, date, days, unacked, (char *)s->gaps,
			(char *)s->clock_warning, (char *)s->id
		};

		tout_add_row(&so->out, cells);
	} else {
		char *cells[STATION_COLS] = {
			(char *)s->id, (char *)s->village, (char *)s->village_name, (char *)s->status,
			(char *)s->enrolled_at, last, (char *)s->last_import_at, (char *)s->gaps, sent,
			acked, (char *)s->clock_warning, (char *)s->town_name, days, unacked,
			s->silent ? "1" : "0"
		};

		tout_add_row(&so->out, cells);
	}
	return 0;
}

int cli_stations(int argc, char **argv, int at)
{
	struct stations_out so;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	enum fmt f;
	int status, i;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	status = cli_open_db_for(AUTH_READ, &db);
	if (status)
		return status;
	memset(&so, 0, sizeof(so));
	so.f = f;
	if (f == FMT_TABLE) {
		so.out.ncols = STATION_TABLE_COLS;
		for (i = 0; i < STATION_TABLE_COLS; i++)
			so.out.head[i] = _(station_table_heads[i]);
	} else {
		so.out.ncols = STATION_COLS;
		for (i = 0; i < STATION_COLS; i++)
			so.out.head[i] = f == FMT_CSV ? _(station_heads[i]) : station_heads[i];
	}
	if (county_stations(db, station_row, &so, &e) != GQ_OK) {
		tout_release(&so.out);
		status = cli_fail(&e);
	} else {
		tout_print(&so.out, f);
	}
	db_close(&db);
	return status;
}
