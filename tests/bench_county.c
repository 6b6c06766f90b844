/* bench_county.c - speed of the county office's reads at the programme's
 * scale: the duplicates across villages over 60,000 people (378 villages)
 * with their applications, meal services and death reports, and the lunar
 * calendar. Printed as a table like tests/bench.c; `make bench` runs it.
 * Rows are written with plain SQL (the bench measures the read, not the
 * saving path) into a fresh county database. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "guanqing/ceremony.h"
#include "guanqing/db.h"
#include "guanqing/duplicates.h"
#include "guanqing/lunar.h"
#include "guanqing/station.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void row(const char *what, long n, double secs)
{
	printf("| %-58s | %8ld | %10.3f | %12.1f |\n", what, n, secs * 1e3 / (double)n,
	       (double)n / secs);
}

static int count_row(void *arg, const struct dup_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/guanqing-bench.XXXXXX", path[96], cmd[128];
	long people = argc > 1 ? atol(argv[1]) : 60000, i, found = 0, dups = people / 100;
	struct gq_db *db = NULL;
	struct gq_err e;
	sqlite3_stmt *vil, *per, *app, *meal, *death;
	char **villages = NULL;
	long nvil = 0;
	struct rusage ru;
	double t0;
	int k;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/county.db", dir);
	if (db_open(path, 1, &db, &e) != GQ_OK || station_init_county(db, "411524", &e) != GQ_OK)
		return fprintf(stderr, "bench: %s\n", e.msg), 1;
	sqlite3_prepare_v2(db->h, "SELECT code FROM division WHERE level = 'village' ORDER BY code", -1,
			   &vil, NULL);
	while (sqlite3_step(vil) == SQLITE_ROW) {
		villages = realloc(villages, (size_t)(nvil + 1) * sizeof(*villages));
		villages[nvil++] = strdup((const char *)sqlite3_column_text(vil, 0));
	}
	sqlite3_finalize(vil);
	if (nvil == 0)
		return fprintf(stderr, "bench: no villages\n"), 1;

	/* people persons spread over the villages; 1 % of the ID numbers a
	 * second time in the next village (half of them as refused claims);
	 * a third receive 低保, a quarter meals, 1 % have died. */
	db_begin(db, &e);
	sqlite3_prepare_v2(db->h, "INSERT INTO person (id, origin, village, created_at, updated_at, name,"
			   " id_number, status) VALUES (?1, 'bench', ?2, '2026-01-01', '2026-01-01', '王秀英', ?3, ?4)",
			   -1, &per, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO application (id, origin, village, created_at, updated_at,"
			   " person_id, kind, status) VALUES (?1 || 'a', 'bench', ?2, '2026-01-01', '2026-01-01', ?1,"
			   " 'dibao', 'approved')", -1, &app, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO meal_service (id, origin, village, created_at, updated_at,"
			   " person_id, service_date, meals) VALUES (?1 || 'm' || ?3, 'bench', ?2, '2026-01-01',"
			   " '2026-01-01', ?1, '2026-11-' || printf('%02d', ?3), 1)", -1, &meal, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO death_report (id, origin, village, created_at, updated_at,"
			   " person_id, death_date, fee_waiver) VALUES (?1 || 'd', 'bench', ?2, '2026-01-01',"
			   " '2026-01-01', ?1, '2026-06-01', 1)", -1, &death, NULL);
	t0 = now_s();
	for (i = 0; i < people + dups; i++) {
		long who = i < people ? i : (i - people) * 100;
		const char *v = villages[(i < people ? who : who + 1) % nvil];
		char id[40], idn[24];
		int dead = who % 100 == 50 && i >= people;

		snprintf(id, sizeof(id), "p%09ld", i);
		snprintf(idn, sizeof(idn), "411524%012ld", who);
		sqlite3_bind_text(per, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(per, 2, v, -1, SQLITE_STATIC);
		if (i >= people && i % 2)
			sqlite3_bind_null(per, 3);	/* refused at import: a claim */
		else
			sqlite3_bind_text(per, 3, idn, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(per, 4, dead ? "deceased" : "active", -1, SQLITE_STATIC);
		sqlite3_step(per);
		sqlite3_reset(per);
		if (i >= people && i % 2) {
			char sql[200];

			snprintf(sql, sizeof(sql), "INSERT INTO id_claim VALUES ('%s', '%s', NULL, 'bench', '2026-01-01')",
				 id, idn);
			sqlite3_exec(db->h, sql, NULL, NULL, NULL);
		}
		if (who % 3 == 0) {
			sqlite3_bind_text(app, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(app, 2, v, -1, SQLITE_STATIC);
			sqlite3_step(app);
			sqlite3_reset(app);
		}
		for (k = 1; who % 4 == 1 && k <= 20; k++) {
			sqlite3_bind_text(meal, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(meal, 2, v, -1, SQLITE_STATIC);
			sqlite3_bind_int(meal, 3, k);
			sqlite3_step(meal);
			sqlite3_reset(meal);
		}
		if (dead || who % 100 == 99) {
			sqlite3_bind_text(death, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(death, 2, v, -1, SQLITE_STATIC);
			sqlite3_step(death);
			sqlite3_reset(death);
		}
	}
	sqlite3_finalize(per);
	sqlite3_finalize(app);
	sqlite3_finalize(meal);
	sqlite3_finalize(death);
	if (db_commit(db, &e) != GQ_OK)
		return fprintf(stderr, "bench: %s\n", e.msg), 1;
	sqlite3_exec(db->h, "ANALYZE", NULL, NULL, NULL);
	printf("guanqing county benchmark: %ld people in %ld villages, %ld ID numbers in two villages;"
	       " mean time per operation and rate\n\n", people + dups, nvil, dups);
	printf("| %-58s | %8s | %10s | %12s |\n", "operation", "N", "ms/op", "ops/s");
	printf("|%s|%s|%s|%s|\n", "------------------------------------------------------------",
	       "----------", "------------", "--------------");
	row("(setup: rows written, per person)", people + dups, now_s() - t0);

	t0 = now_s();
	for (k = 0; k < 5; k++) {
		found = 0;
		if (duplicates_each(db, "2026-11-28", count_row, &found, &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n", e.msg), 1;
	}
	row("duplicates across villages, whole county", 5, now_s() - t0);

	t0 = now_s();
	for (i = LUNAR_FIRST_DAY; i <= LUNAR_LAST_DAY; i++) {
		struct lunar_date ld;
		int64_t back;

		if (lunar_from_days(i, &ld) != 0 || lunar_to_days(&ld, &back) != 0 || back != i)
			return fprintf(stderr, "bench: lunar %ld\n", i), 1;
	}
	row("lunar date there and back, per day of 1900-2100", LUNAR_LAST_DAY - LUNAR_FIRST_DAY + 1,
	    now_s() - t0);

	t0 = now_s();
	for (k = 1900; k <= 2100; k++) {
		struct ceremony_peak p[CEREMONY_PEAKS];

		ceremony_peak_days(k, p);
	}
	row("peak days of a year", 201, now_s() - t0);

	getrusage(RUSAGE_SELF, &ru);
	printf("\nfindings: %ld; peak resident memory: %ld KiB\n", found, ru.ru_maxrss);
	for (i = 0; i < nvil; i++)
		free(villages[i]);
	free(villages);
	db_close(&db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) != 0;
}
