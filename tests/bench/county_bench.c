/* county_bench.c - the in-process figures of `make bench`.
 *
 *	county_bench run CMD ARGS...     run CMD; print its CPU seconds (user +
 *	                                 system), wall seconds and peak RSS (KiB)
 *	county_bench home DB RUNS [USER PINFILE]
 *	                                 sign-in to Home and back to Home,
 *	                                 summary, the People list (opened
 *	                                 first, again, after an add): medians
 *	                                 of RUNS, in seconds
 *	county_bench search DB QUERIES   person search per keystroke (query_rows,
 *	                                 as `person search`; the People
 *	                                 screen's sieve) and the baseline, a
 *	                                 filter over keys built beforehand
 *	county_bench tables x            the synced tables, one a line
 *	county_bench insert DB           the baseline of the merge: every row
 *	                                 of DB inserted with prepared
 *	                                 statements into a new database of the
 *	                                 same tables and indexes, one transaction
 *	county_bench insert DB INTO      the same rows into the database INTO
 *	                                 (a scratch copy of the county; its
 *	                                 triggers are dropped first)
 *	county_bench open DB             open DB (its migrations run) and close
 *	                                 it: the seconds and the schema version
 *	county_bench merge DB USER PINFILE PATH
 *	                                 open DB, sign in, then sync_import of
 *	                                 PATH: the CPU seconds (user + system)
 *	                                 and wall seconds of sync_import alone
 *
 * Each prints "name=value" lines for tests/bench/county.sh. The Home read
 * is what screens/home.c's home_load() reads: summary_write() and the
 * follow-ups of the next 30 days (at most 500).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guanqing/auth.h"
#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/pinyin.h"
#include "guanqing/query.h"
#include "guanqing/roster.h"
#include "guanqing/strbuf.h"
#include "guanqing/summary.h"
#include "guanqing/sync.h"
#include "guanqing/tables.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of n values, sorted in place. */
static double quantile(double *v, size_t n, double q)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static int die(const char *what, const struct gq_err *e)
{
	fprintf(stderr, "county_bench: %s: %s\n", what, e ? e->msg : "failed");
	return 1;
}

/* ---- run: CPU and memory of a command ---- */

static int cmd_run(int argc, char **argv)
{
	struct rusage ru;
	double t0 = now_s();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	(void)argc;
	if (wait4(pid, &status, 0, &ru) < 0)
		return 1;
	printf("cpu=%.6f\nwall=%.6f\nrss_kb=%ld\nstatus=%d\n",
	       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
	       now_s() - t0, ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* ---- home ---- */

static int count_followup(void *arg, const struct query_followup *f)
{
	(void)f;
	(*(long *)arg)++;
	return 0;
}

/* What home_load() reads. */
static long home_read(struct gq_db *db)
{
	struct strbuf s = STRBUF_INIT;
	char today[16];
	long n = 0;

	summary_write(db, &s);
	clock_today(today, sizeof(today));
	query_followups(db, today, 30, 500, count_followup, &n, NULL);
	strbuf_release(&s);
	return n;
}

/* The People screen's list (screens/people.c, roster.h): its first
 * opening in a program (every person read, keyed and sorted), opening it
 * again with nothing changed, and coming back to it after a person was
 * added on the same connection (the insert is rolled back: the county is
 * left as it was). */
static int people_read(struct gq_db *db, double *first, double *again, double *added, long *n)
{
	struct roster r = ROSTER_INIT;
	struct gq_err e;
	bool changed;
	double t0 = now_s();

	gq_err_clear(&e);
	if (roster_read(db, &r, &changed, &e) != GQ_OK)
		return die("roster", &e);
	*first = now_s() - t0;
	*n = (long)r.n;
	t0 = now_s();
	if (roster_read(db, &r, &changed, &e) != GQ_OK || changed)
		return die("roster again", &e);
	*again = now_s() - t0;
	if (db_exec(db, "BEGIN; INSERT INTO person (id, origin, village, created_at, updated_at, name,"
		    " status) SELECT 'bench-roster-added', origin, village, created_at, updated_at,"
		    " '张三丰', 'active' FROM person WHERE deleted = 0 LIMIT 1", &e) != GQ_OK)
		return die("insert", &e);
	t0 = now_s();
	if (roster_read(db, &r, &changed, &e) != GQ_OK || !changed || r.n != (size_t)*n + 1)
		return die("roster after the insert", &e);
	*added = now_s() - t0;
	db_exec(db, "ROLLBACK", NULL);
	roster_release(&r);
	return 0;
}

static int read_pin(const char *path, char *pin, size_t size)
{
	FILE *f = fopen(path, "r");

	if (!f || !fgets(pin, (int)size, f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	pin[strcspn(pin, "\r\n")] = '\0';
	return 0;
}

static int cmd_home(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 3, r;
	const char *user = argc > 3 ? argv[2] : NULL;
	double *in, *back, *sum, *signin, *people, *people_again, *people_added;
	char pin[64] = "", uid[UID_LEN + 1] = "";
	long followups = 0, npeople = 0;
	struct gq_err e;

	if (runs < 1)
		runs = 1;
	in = calloc((size_t)runs, sizeof(double));
	back = calloc((size_t)runs, sizeof(double));
	sum = calloc((size_t)runs, sizeof(double));
	signin = calloc((size_t)runs, sizeof(double));
	people = calloc((size_t)runs, sizeof(double));
	people_again = calloc((size_t)runs, sizeof(double));
	people_added = calloc((size_t)runs, sizeof(double));
	if (!in || !back || !sum || !signin || !people || !people_again || !people_added)
		return 1;
	if (user && read_pin(argv[3], pin, sizeof(pin)))
		return die(argv[3], NULL);
	for (r = 0; r < runs; r++) {
		struct gq_db *db = NULL;
		struct strbuf s = STRBUF_INIT;
		enum auth_role role;
		double t0 = now_s(), t1;

		gq_err_clear(&e);
		if (db_open(argv[0], 0, &db, &e) != GQ_OK)
			return die(argv[0], &e);
		if (user) {
			if (auth_find_user(db, user, uid, &role, &e) != GQ_OK ||
			    auth_sign_in(db, uid, pin, &role, &e) != GQ_OK)
				return die(user, &e);
		}
		t1 = now_s();
		signin[r] = t1 - t0;
		followups = home_read(db);
		in[r] = now_s() - t0;
		t0 = now_s();
		home_read(db);
		back[r] = now_s() - t0;
		t0 = now_s();
		summary_write(db, &s);
		sum[r] = now_s() - t0;
		strbuf_release(&s);
		if (people_read(db, &people[r], &people_again[r], &people_added[r], &npeople))
			return 1;
		db_close(&db);
	}
	printf("signin_s=%.6f\nsignin_to_home_s=%.6f\nback_to_home_s=%.6f\nsummary_s=%.6f\nhome_followups=%ld\n",
	       quantile(signin, (size_t)runs, 0.5), quantile(in, (size_t)runs, 0.5),
	       quantile(back, (size_t)runs, 0.5), quantile(sum, (size_t)runs, 0.5), followups);
	printf("people_list_s=%.6f\npeople_again_s=%.9f\npeople_added_s=%.6f\npeople_listed=%ld\n",
	       quantile(people, (size_t)runs, 0.5), quantile(people_again, (size_t)runs, 0.5),
	       quantile(people_added, (size_t)runs, 0.5), npeople);
	free(people_again);
	free(people_added);
	free(in);
	free(back);
	free(sum);
	free(signin);
	free(people);
	return 0;
}

/* ---- search ---- */

struct cand {
	char *name, *idn, *phone;
	struct pinyin_key key;
};

static int count_row(void *arg, const struct record *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

/* The keystrokes of typing each sample person's name in pinyin: "w", "wa",
 * ..., "wangxiuying", and of the initials ("w", "wx", "wxy"). */
static size_t keystrokes(struct cand *c, size_t n, size_t want, char ***out)
{
	size_t cap = want + 64, k = 0, i;
	char **q = calloc(cap, sizeof(char *));

	for (i = 0; q && k < want && n; i++) {
		struct strbuf roman = STRBUF_INIT, ini = STRBUF_INIT;
		const char *name = c[(i * 7919) % n].name;
		size_t j, len;

		if (pinyin_romanise(name, &roman, NULL) != GQ_OK || !roman.buf) {
			strbuf_release(&roman);
			continue;
		}
		for (j = 0; roman.buf[j]; j++)
			if (roman.buf[j] != ' ' && (j == 0 || roman.buf[j - 1] == ' '))
				strbuf_addf(&ini, "%c", roman.buf[j] | 0x20);
		/* the full reading without blanks */
		for (j = 0, len = 0; roman.buf[j]; j++)
			if (roman.buf[j] != ' ')
				roman.buf[len++] = (char)(roman.buf[j] | 0x20);
		roman.buf[len] = '\0';
		for (j = 1; j <= len && k < want; j++)
			q[k++] = strndup(roman.buf, j);
		for (j = 2; ini.buf && j <= ini.len && k < want; j++)
			q[k++] = strndup(ini.buf, j);
		strbuf_release(&roman);
		strbuf_release(&ini);
	}
	*out = q;
	return k;
}

static void roster_key(void *arg, size_t i, const struct pinyin_key **key, const char **idn,
		       const char **phone)
{
	const struct roster_key *k = roster_key_at(arg, i);

	*key = &k->key;
	*idn = k->id_number;
	*phone = k->phone;
}

static int cmd_search(int argc, char **argv)
{
	size_t want = argc > 1 ? (size_t)atol(argv[1]) : 500, n = 0, cap = 0, nq, i, j;
	const struct table_def *person = table_find("person");
	struct gq_db *db = NULL;
	struct cand *c = NULL;
	sqlite3_stmt *st;
	struct gq_err e;
	double *tq, *tc, *tb, *ts, *tsc, t0, build;
	char **q;
	long matches = 0, base_matches = 0, shown = 0, screen_matches = 0;

	gq_err_clear(&e);
	if (db_open(argv[0], 0, &db, &e) != GQ_OK || pinyin_load(&e) != GQ_OK)
		return die(argv[0], &e);
	if (db_prepare(db, "SELECT name, id_number, phone FROM person WHERE deleted = 0 ORDER BY name, id",
		       &st, &e) != GQ_OK)
		return die("person", &e);
	t0 = now_s();
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			c = realloc(c, cap * sizeof(*c));
			if (!c)
				return 1;
		}
		c[n].name = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		c[n].idn = strdup(sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
		c[n].phone = strdup(sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
		pinyin_key_init(&c[n].key);
		pinyin_key_set(&c[n].key, c[n].name);
		n++;
	}
	sqlite3_finalize(st);
	build = now_s() - t0;
	nq = keystrokes(c, n, want, &q);
	tq = calloc(nq + 1, sizeof(double));
	tb = calloc(nq + 1, sizeof(double));
	tc = calloc(nq + 1, sizeof(double));
	ts = calloc(nq + 1, sizeof(double));
	tsc = calloc(nq + 1, sizeof(double));
	if (!tq || !tb || !tc || !ts || !tsc)
		return 1;
	/* The baseline: the filter over keys built beforehand. */
	for (i = 0; i < nq; i++) {
		struct person_query pq;

		t0 = now_s();
		person_query_set(&pq, q[i]);
		for (j = 0; j < n; j++)
			if (person_query_match(&pq, &c[j].key, c[j].idn, c[j].phone) >= 0)
				base_matches++;
		tb[i] = now_s() - t0;
	}
	/* The People screen's filter: its own keys (the roster's) through
	 * the sieve it uses (screens/people.c), keystroke after keystroke. */
	{
		struct person_sieve sv;
		struct roster ro = ROSTER_INIT;

		if (roster_read(db, &ro, NULL, &e) != GQ_OK)
			return die("roster", &e);
		person_sieve_init(&sv);
		for (i = 0; i < nq; i++) {
			double c0 = cpu_s();

			t0 = now_s();
			if (person_sieve_run(&sv, q[i], ro.n, roster_key, &ro) != GQ_OK)
				return 1;
			ts[i] = now_s() - t0;
			tsc[i] = cpu_s() - c0;
			screen_matches += (long)sv.n;
		}
		person_sieve_release(&sv);
		roster_release(&ro);
	}
	/* The command line's search, in-process: query_rows per query, as
	 * `person search` asks it (the first QUERY_SEARCH_ROWS rows and the
	 * count of every match). */
	for (i = 0; i < nq; i++) {
		size_t total = 0;
		struct query_filter flt = { .search = q[i], .limit = QUERY_SEARCH_ROWS, .total = &total };

		double c0 = cpu_s();

		t0 = now_s();
		if (query_rows(db, person, &flt, count_row, &shown, &e) != GQ_OK)
			return die(q[i], &e);
		tq[i] = now_s() - t0;
		tc[i] = cpu_s() - c0;
		matches += (long)total;
	}
	printf("people=%zu\nqueries=%zu\nkey_build_s=%.6f\n", n, nq, build);
	printf("search_p50_s=%.6f\nsearch_p99_s=%.6f\nsearch_first_s=%.6f\n", quantile(tq, nq, 0.5),
	       quantile(tq, nq, 0.99), nq ? tq[0] : 0);
	printf("screen_p50_s=%.6f\nscreen_p99_s=%.6f\nscreen_cpu_p99_s=%.6f\nscreen_matches=%ld\n",
	       quantile(ts, nq, 0.5), quantile(ts, nq, 0.99), quantile(tsc, nq, 0.99), screen_matches);
	printf("search_cpu_p50_s=%.6f\nsearch_cpu_p99_s=%.6f\n", quantile(tc, nq, 0.5), quantile(tc, nq, 0.99));
	printf("prebuilt_p50_s=%.6f\nprebuilt_p99_s=%.6f\nmatches=%ld\nprebuilt_matches=%ld\nshown=%ld\n",
	       quantile(tb, nq, 0.5), quantile(tb, nq, 0.99), matches, base_matches, shown);
	for (i = 0; i < nq; i++)
		free(q[i]);
	free(q);
	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].idn);
		free(c[i].phone);
		pinyin_key_release(&c[i].key);
	}
	free(c);
	free(tq);
	free(tc);
	free(ts);
	free(tsc);
	free(tb);
	db_close(&db);
	return 0;
}

/* ---- insert: the merge's baseline ---- */

/* The column of table that is its INTEGER PRIMARY KEY, or -1. */
static int int_key_column(sqlite3 *h, const char *table)
{
	sqlite3_stmt *st = NULL;
	int col = -1, n = 0, pks = 0;

	if (sqlite3_prepare_v2(h, "SELECT type, pk FROM pragma_table_info(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	for (; sqlite3_step(st) == SQLITE_ROW; n++)
		if (sqlite3_column_int(st, 1)) {
			pks++;
			if (!sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "INTEGER"))
				col = n;
		}
	sqlite3_finalize(st);
	return pks == 1 ? col : -1;
}

static int cmd_insert(int argc, char **argv)
{
	char path[4096];
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_stmt *st = NULL;
	double t0, cpu = 0;
	long rows = 0;
	char *tabs[256];
	size_t i, ntab = 0;
	const char *into;
	int ipk;

	/* With INTO, the rows go into that database (a copy of the county)
	 * rather than a new one: the same inserts into a database of the
	 * county's size. */
	into = argc > 1 ? argv[1] : NULL;
	if (into) {
		snprintf(path, sizeof(path), "%s", into);
	} else {
		snprintf(path, sizeof(path), "%s.baseline", argv[0]);
		unlink(path);
	}
	if (sqlite3_open_v2(argv[0], &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_open(path, &dst) != SQLITE_OK)
		return die(argv[0], NULL);
	sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-16384",
		     NULL, NULL, NULL);
	/* Every table of DB with its indexes, as the project makes them: the
	 * rows the merge leaves (records, change log, clocks), inserted as
	 * fast as SQLite can. The triggers are left out: they are the
	 * merge's work. */
	if (sqlite3_prepare_v2(src, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"
			       " AND name NOT LIKE 'sqlite_%' AND type IN ('table', 'index')"
			       " ORDER BY type = 'index', name", -1, &st, NULL) != SQLITE_OK)
		return die("schema", NULL);
	while (!into && sqlite3_step(st) == SQLITE_ROW)
		if (sqlite3_exec(dst, (const char *)sqlite3_column_text(st, 0), NULL, NULL, NULL) != SQLITE_OK)
			fprintf(stderr, "county_bench: %s\n", sqlite3_errmsg(dst));
	sqlite3_finalize(st);
	/* The county's copy holds the project's triggers: dropped, as the
	 * new database has none. */
	while (into) {
		char drop[300];
		const char *name;

		if (sqlite3_prepare_v2(dst, "SELECT name FROM sqlite_master WHERE type = 'trigger' LIMIT 1",
				       -1, &st, NULL) != SQLITE_OK)
			return die(into, NULL);
		name = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		if (name)
			snprintf(drop, sizeof(drop), "DROP TRIGGER \"%s\"", name);
		sqlite3_finalize(st);
		if (!name)
			break;
		if (sqlite3_exec(dst, drop, NULL, NULL, NULL) != SQLITE_OK)
			return die(sqlite3_errmsg(dst), NULL);
	}
	if (sqlite3_prepare_v2(src, "SELECT name FROM sqlite_master WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return die("schema", NULL);
	while (sqlite3_step(st) == SQLITE_ROW && ntab < sizeof(tabs) / sizeof(tabs[0]))
		tabs[ntab++] = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_exec(dst, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < ntab; i++) {
		struct strbuf sql = STRBUF_INIT;
		sqlite3_stmt *ins = NULL;
		int ncol, k;

		strbuf_addf(&sql, "SELECT * FROM \"%s\"", tabs[i]);
		if (sqlite3_prepare_v2(src, sql.buf, -1, &st, NULL) != SQLITE_OK) {
			strbuf_release(&sql);
			continue;
		}
		ncol = sqlite3_column_count(st);
		/* Into the county, a table's integer key is the county's next
		 * (the merge numbers its rows so), and a row the county has
		 * already (a key, a field, the station's enrolment) is left as
		 * it is. */
		ipk = into ? int_key_column(src, tabs[i]) : -1;
		strbuf_reset(&sql);
		strbuf_addf(&sql, "INSERT %sINTO \"%s\" VALUES (", into ? "OR IGNORE " : "", tabs[i]);
		for (k = 0; k < ncol; k++)
			strbuf_addstr(&sql, k ? ",?" : "?");
		strbuf_addstr(&sql, ")");
		if (sqlite3_prepare_v2(dst, sql.buf, -1, &ins, NULL) != SQLITE_OK)
			return die(sqlite3_errmsg(dst), NULL);
		while (sqlite3_step(st) == SQLITE_ROW) {
			double r0 = cpu_s();

			for (k = 0; k < ncol; k++)
				if (k == ipk)
					sqlite3_bind_null(ins, k + 1);
				else
					sqlite3_bind_value(ins, k + 1, sqlite3_column_value(st, k));
			if (sqlite3_step(ins) != SQLITE_DONE)
				return die(sqlite3_errmsg(dst), NULL);
			sqlite3_reset(ins);
			rows++;
			/* The reading of the source is not the baseline's. */
			cpu += cpu_s() - r0;
		}
		sqlite3_finalize(ins);
		sqlite3_finalize(st);
		strbuf_release(&sql);
		free(tabs[i]);
	}
	t0 = cpu_s();
	sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL);
	cpu += cpu_s() - t0;
	sqlite3_close(dst);
	sqlite3_close(src);
	if (!into) {
		unlink(path);
		snprintf(path, sizeof(path), "%s.baseline-wal", argv[0]);
		unlink(path);
		snprintf(path, sizeof(path), "%s.baseline-shm", argv[0]);
		unlink(path);
	}
	printf("insert_rows=%ld\ninsert_cpu_s=%.6f\n", rows, cpu);
	return 0;
}

/* Open a database, which brings it to this schema version. */
static int cmd_open(char **argv)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	double t0 = now_s(), t;
	sqlite3_stmt *st = NULL;
	long version = -1;

	gq_err_clear(&e);
	if (db_open(argv[0], 0, &db, &e) != GQ_OK)
		return die(argv[0], &e);
	t = now_s() - t0;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	db_close(&db);
	printf("open_s=%.6f\nuser_version=%ld\n", t, version);
	return 0;
}

/* ---- merge: sync_import alone, without the start and the sign-in ---- */

static int cmd_merge(char **argv)
{
	struct strbuf report = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct gq_err e;
	char pin[64], uid[UID_LEN + 1];
	const char *paths[1] = { argv[3] };
	enum auth_role role;
	enum gq_status rc;
	double c0, w0, cpu, wall;
	struct rusage u0, u1;
	int refused = 0;

	gq_err_clear(&e);
	if (read_pin(argv[2], pin, sizeof(pin)))
		return die(argv[2], NULL);
	if (db_open(argv[0], 0, &db, &e) != GQ_OK)
		return die(argv[0], &e);
	if (auth_find_user(db, argv[1], uid, &role, &e) != GQ_OK ||
	    auth_sign_in(db, uid, pin, &role, &e) != GQ_OK)
		return die(argv[1], &e);
	getrusage(RUSAGE_SELF, &u0);
	c0 = cpu_s();
	w0 = now_s();
	rc = sync_import(db, paths, 1, &report, &refused, &e);
	cpu = cpu_s() - c0;
	wall = now_s() - w0;
	getrusage(RUSAGE_SELF, &u1);
	db_close(&db);
	fputs(report.buf, stdout);
	strbuf_release(&report);
	if (rc != GQ_OK)
		return die(argv[3], &e);
	printf("merge_cpu_s=%.6f\nmerge_wall_s=%.6f\nmerge_user_s=%.6f\nmerge_sys_s=%.6f\nrefused=%d\n",
	       cpu, wall, tv_s(&u1.ru_utime) - tv_s(&u0.ru_utime),
	       tv_s(&u1.ru_stime) - tv_s(&u0.ru_stime), refused);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: county_bench run CMD... | home DB RUNS [USER PINFILE] |"
			" search DB QUERIES | insert DB | open DB | merge DB USER PINFILE PATH\n");
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "home"))
		return cmd_home(argc - 2, argv + 2);
	if (!strcmp(argv[1], "search"))
		return cmd_search(argc - 2, argv + 2);
	if (!strcmp(argv[1], "tables")) {
		size_t i;

		/* The synced tables, for the CSV of the same rows. */
		for (i = 0; tables_all[i]; i++)
			printf("%s\n", tables_all[i]->name);
		return 0;
	}
	if (!strcmp(argv[1], "insert"))
		return cmd_insert(argc - 2, argv + 2);
	if (!strcmp(argv[1], "open"))
		return cmd_open(argv + 2);
	if (!strcmp(argv[1], "merge")) {
		if (argc < 6) {
			fprintf(stderr, "usage: county_bench merge DB USER PINFILE PATH\n");
			return 2;
		}
		return cmd_merge(argv + 2);
	}
	fprintf(stderr, "county_bench: unknown command %s\n", argv[1]);
	return 2;
}
