/* bench_report.c - the bureau's reports over a county's year: 378
 * villages, 60,000 followed people, 700,000 visits (the programme's
 * figures, DESIGN.md), with applications, deaths, activities, meal sites
 * and meal services in proportion. Each report runs at both levels (towns
 * and the county; every village) and its time and the peak resident set
 * are printed as a table. Run with `make bench`; compare on one machine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "guanqing/db.h"
#include "guanqing/report.h"
#include "guanqing/station.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_row(void *arg, const char *const *cells)
{
	(void)cells;
	(*(long *)arg)++;
	return 0;
}

static void must(struct gq_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench_report: %s\n", msg);
		exit(1);
	}
}

#define COMMON "'o', ?2, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'"

int main(int argc, char **argv)
{
	static const char *const child[] = { "left_behind_child", "child_in_difficulty",
		"unsupported_child", "orphan" };
	static const char *const old[] = { "elderly_alone", "elderly_empty_nest",
		"elderly_advanced_age", "elderly_self_care_loss", "left_behind_elderly" };
	static const char *const risk[] = { "low", "medium", "high" };
	char dir[] = "/tmp/guanqing-bench.XXXXXX", path[64], **vil = NULL;
	long persons = argc > 1 ? atol(argv[1]) : 60000, visits = persons * 35 / 3, i, nvil = 0;
	sqlite3_stmt *st, *p, *c, *v, *a, *d, *f, *m, *ac;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct rusage ru;
	size_t r;
	double t0;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	if (db_open(path, 1, &db, &e) != GQ_OK || station_init_village(db, "411524103205", &e) != GQ_OK) {
		fprintf(stderr, "bench_report: %s\n", e.msg);
		return 1;
	}
	if (sqlite3_prepare_v2(db->h, "SELECT code FROM division WHERE level = 'village' ORDER BY code",
			       -1, &st, NULL) != SQLITE_OK)
		return 1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		vil = realloc(vil, (size_t)(nvil + 1) * sizeof(*vil));
		vil[nvil++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	t0 = now_s();
	/* Planted rows, not records: no change log, no key checks. */
	must(db, "PRAGMA foreign_keys = OFF");
	must(db, "BEGIN");
	sqlite3_prepare_v2(db->h, "INSERT INTO person (id, origin, village, created_at, updated_at, name, status)"
			   " VALUES (?1, " COMMON ", '王小明', 'active')", -1, &p, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO person_category (id, origin, village, created_at, updated_at,"
			   " person_id, category) VALUES ('c' || ?1, " COMMON ", ?1, ?3)", -1, &c, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO visit (id, origin, village, created_at, updated_at, person_id,"
			   " visit_date, followup_due, risk_level) VALUES (?1, " COMMON ", ?3, ?4, ?5, ?6)", -1, &v, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO application (id, origin, village, created_at, updated_at, kind,"
			   " apply_date, status, decision_date, amount_granted) VALUES (?1, " COMMON
			   ", 'dibao', '2026-03-01', 'approved', '2026-03-15', '600.00')", -1, &a, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO death_report (id, origin, village, created_at, updated_at,"
			   " death_date, burial_kind, fee_waiver) VALUES (?1, " COMMON ", '2026-05-01', 'tree', 1)",
			   -1, &d, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO facility (id, origin, village, created_at, updated_at, kind,"
			   " name, delivers_meals, opened_date) VALUES (?1, " COMMON ", 'canteen', '食堂', 1, '2025-01-01')",
			   -1, &f, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO meal_service (id, origin, village, created_at, updated_at,"
			   " facility_id, service_date, meals) VALUES (?1, " COMMON ", 'f1', '2026-06-01', 20)", -1, &m, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO activity (id, origin, village, created_at, updated_at, kind,"
			   " title, activity_date, participants, leaflets) VALUES (?1, " COMMON
			   ", 'outreach', '宣传', '2026-04-01', 30, 100)", -1, &ac, NULL);
	for (i = 0; i < persons; i++) {
		char id[32];
		const char *village = vil[i % nvil];

		snprintf(id, sizeof(id), "p%07ld", i);
		sqlite3_bind_text(p, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(p, 2, village, -1, SQLITE_STATIC);
		sqlite3_step(p);
		sqlite3_reset(p);
		sqlite3_bind_text(c, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(c, 2, village, -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 3, i % 2 ? child[i % 4] : old[i % 5], -1, SQLITE_STATIC);
		sqlite3_step(c);
		sqlite3_reset(c);
	}
	for (i = 0; i < visits; i++) {
		char id[32], pid[32], date[16], due[16];
		long who = i % persons;

		snprintf(id, sizeof(id), "v%08ld", i);
		snprintf(pid, sizeof(pid), "p%07ld", who);
		snprintf(date, sizeof(date), "2026-%02ld-%02ld", 1 + (i / persons) % 11, 1 + i % 28);
		snprintf(due, sizeof(due), "2026-%02ld-%02ld", 2 + (i / persons) % 11, 1 + i % 28);
		sqlite3_bind_text(v, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(v, 2, vil[who % nvil], -1, SQLITE_STATIC);
		sqlite3_bind_text(v, 3, pid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(v, 4, date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(v, 5, due, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(v, 6, risk[i % 3], -1, SQLITE_STATIC);
		sqlite3_step(v);
		sqlite3_reset(v);
	}
	for (i = 0; i < persons / 6; i++) {
		sqlite3_stmt *const each[] = { a, d, f, m, ac };
		size_t k;

		for (k = 0; k < 5; k++) {
			char id[32];

			if (k == 2 && i >= nvil * 2)
				continue;	/* up to two sites a village */
			snprintf(id, sizeof(id), "%zu-%07ld", k, i);
			sqlite3_bind_text(each[k], 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(each[k], 2, vil[i % nvil], -1, SQLITE_STATIC);
			sqlite3_step(each[k]);
			sqlite3_reset(each[k]);
		}
	}
	sqlite3_finalize(p);
	sqlite3_finalize(c);
	sqlite3_finalize(v);
	sqlite3_finalize(a);
	sqlite3_finalize(d);
	sqlite3_finalize(f);
	sqlite3_finalize(m);
	sqlite3_finalize(ac);
	must(db, "COMMIT");
	must(db, "ANALYZE");
	printf("guanqing report benchmark: %ld villages, %ld followed people, %ld visits (planted in %.1f s)\n\n",
	       nvil, persons, visits, now_s() - t0);
	printf("| %-36s | %8s | %10s |\n", "report, level", "rows", "seconds");
	printf("|%s|%s|%s|\n", "--------------------------------------", "----------", "------------");
	for (r = 0; r < reports_count; r++) {
		int lv;

		for (lv = 0; lv < 2; lv++) {
			struct report_args args = { "2026-11-28", -1, NULL, NULL, NULL, NULL,
						    lv ? RL_VILLAGES : RL_TOWNS };
			char what[64];
			long rows = 0;

			if (lv && !(reports_all[r]->flags & RF_PLACES))
				continue;
			t0 = now_s();
			if (report_run(db, reports_all[r], &args, count_row, &rows, &e) != GQ_OK) {
				fprintf(stderr, "bench_report: %s: %s\n", reports_all[r]->id, e.msg);
				return 1;
			}
			snprintf(what, sizeof(what), "%s, %s", reports_all[r]->id,
				 lv ? "villages" : "towns and county");
			printf("| %-36s | %8ld | %10.3f |\n", what, rows, now_s() - t0);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("\npeak resident set: %ld KiB\n", ru.ru_maxrss);
	db_close(&db);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	return system(path) == 0 ? 0 : 1;
}
