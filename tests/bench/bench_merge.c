/* bench_merge.c - what a merge costs and what a bundle weighs, each next to
 * its baseline measured in the same run.
 *
 * A station with demo people and a year of their visits (the real forms,
 * demo_populate()) exports its changes to the county; the county imports
 * the bundle through sync_import(), the real import path (verify, decrypt,
 * decode, check, merge). Figures:
 *
 *   import CPU per change   process CPU time of sync_import() over the
 *                           bundle's changes (median of the runs), next to
 *                           prepared INSERTs of the same rows and of their
 *                           change-log rows (log_entry, log_parent, and the
 *                           ids and fields they name: log_key, log_field) into
 *                           a fresh database with the project's schema and
 *                           indexes, in one transaction: what any import of
 *                           these changes must at least write;
 *   bundle bytes per visit  the bundle file over the number of visits, next
 *                           to gzip -6 of a CSV of the same rows (every
 *                           column of every synced row the bundle carries).
 *
 * Usage: bench_merge [PEOPLE [RUNS]] (default 300 people, 3 runs). The
 * numbers depend on the machine: compare them on the same machine. Run
 * under valgrind --tool=callgrind with RUNS 1 to see where the
 * instructions go.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "guanqing/auth.h"
#include "guanqing/change.h"
#include "guanqing/db.h"
#include "guanqing/demo.h"
#include "guanqing/keys.h"
#include "guanqing/record.h"
#include "guanqing/station.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"
#include "guanqing/tables.h"

#define MAX_RUNS 9

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const struct gq_err *e)
{
	fprintf(stderr, "bench_merge: %s: %s\n", what, e ? e->msg : "");
	exit(1);
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), dcmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	char buf[65536];
	size_t n;
	int ok = a && b;

	while (ok && (n = fread(buf, 1, sizeof(buf), a)) > 0)
		ok = fwrite(buf, 1, n, b) == n;
	if (a)
		fclose(a);
	if (b && fclose(b) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* The one bundle file under dir/guanqing/to-county. */
static int find_bundle(const char *dir, char *out, size_t size)
{
	char sub[256];
	struct dirent *de;
	DIR *d;
	int found = 0;

	snprintf(sub, sizeof(sub), "%s/guanqing/to-county", dir);
	d = opendir(sub);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strstr(de->d_name, ".gqb")) {
			snprintf(out, size, "%s/%s", sub, de->d_name);
			found = 1;
		}
	closedir(d);
	return found ? 0 : -1;
}

/* One CSV field, quoted when it needs to be. */
static void csv_field(struct strbuf *sb, const char *s)
{
	if (strpbrk(s, ",\"\n\r")) {
		strbuf_addch(sb, '"');
		for (; *s; s++) {
			if (*s == '"')
				strbuf_addch(sb, '"');
			strbuf_addch(sb, *s);
		}
		strbuf_addch(sb, '"');
	} else {
		strbuf_addstr(sb, s);
	}
}

/* The rows of every synced table of db: as CSV into csv (a header line per
 * table, then its rows), and as prepared INSERTs into the fresh database
 * base, timed, with the change-log rows that carry them (log_entry,
 * log_parent, and the log_key and log_field rows they point at): what any
 * import of these changes must at least write.
 * Returns the CPU seconds of the inserts; *nrows gets the number of synced
 * rows, *nlog of change-log rows. */
static const char *const log_tables[] = { "log_key", "log_field", "log_entry", "log_parent" };
#define NLOG_TABLES (sizeof(log_tables) / sizeof(log_tables[0]))

static const char *table_name(size_t i)
{
	return i < tables_count ? tables_all[i]->name : log_tables[i - tables_count];
}

static double rows_csv_and_insert(struct gq_db *db, struct gq_db *base, struct strbuf *csv,
				  long *nrows, long *nlog)
{
	struct rows { sqlite3_stmt *ins; int ncol; char **cells; int *types; long n, alloc; } r[64];
	struct strbuf ignored = STRBUF_INIT;
	size_t ntables = tables_count + NLOG_TABLES, ti;
	struct gq_err e;
	double t0, spent;
	long i;
	int c;

	*nrows = *nlog = 0;
	if (ntables > 64)
		die("too many tables", NULL);
	memset(r, 0, sizeof(r));
	for (ti = 0; ti < ntables; ti++) {
		struct strbuf sql = STRBUF_INIT, ins = STRBUF_INIT;
		struct strbuf *out = ti < tables_count ? csv : &ignored;
		sqlite3_stmt *st;

		strbuf_addf(&sql, "SELECT * FROM %s", table_name(ti));
		if (sqlite3_prepare_v2(db->h, sql.buf, -1, &st, NULL) != SQLITE_OK)
			die(sqlite3_errmsg(db->h), NULL);
		r[ti].ncol = sqlite3_column_count(st);
		strbuf_addf(&ins, "INSERT INTO %s VALUES (", table_name(ti));
		for (c = 0; c < r[ti].ncol; c++) {
			strbuf_addf(&ins, "%s?%d", c ? ", " : "", c + 1);
			strbuf_addstr(out, c ? "," : "");
			csv_field(out, sqlite3_column_name(st, c));
		}
		strbuf_addstr(&ins, ")");
		strbuf_addch(out, '\n');
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (r[ti].n == r[ti].alloc) {
				r[ti].alloc = r[ti].alloc ? 2 * r[ti].alloc : 64;
				r[ti].cells = realloc(r[ti].cells, (size_t)(r[ti].alloc * r[ti].ncol) * sizeof(char *));
				r[ti].types = realloc(r[ti].types, (size_t)(r[ti].alloc * r[ti].ncol) * sizeof(int));
			}
			for (c = 0; c < r[ti].ncol; c++) {
				const unsigned char *v = sqlite3_column_text(st, c);
				long k = r[ti].n * r[ti].ncol + c;

				r[ti].types[k] = sqlite3_column_type(st, c);
				r[ti].cells[k] = v ? strdup((const char *)v) : NULL;
				strbuf_addstr(out, c ? "," : "");
				if (v)
					csv_field(out, (const char *)v);
			}
			strbuf_addch(out, '\n');
			r[ti].n++;
		}
		sqlite3_finalize(st);
		if (sqlite3_prepare_v2(base->h, ins.buf, -1, &r[ti].ins, NULL) != SQLITE_OK)
			die(sqlite3_errmsg(base->h), NULL);
		strbuf_release(&sql);
		strbuf_release(&ins);
	}
	/* References are checked at commit: the tables go in any order. */
	t0 = cpu_s();
	if (db_begin(base, &e) != GQ_OK)
		die("begin", &e);
	for (ti = 0; ti < ntables; ti++) {
		if (ti < tables_count)
			*nrows += r[ti].n;
		else if (!strcmp(table_name(ti), "log_entry"))
			*nlog += r[ti].n;
		for (i = 0; i < r[ti].n; i++) {
			sqlite3_stmt *st = r[ti].ins;

			sqlite3_reset(st);
			for (c = 0; c < r[ti].ncol; c++) {
				long k = i * r[ti].ncol + c;

				if (!r[ti].cells[k])
					sqlite3_bind_null(st, c + 1);
				else if (r[ti].types[k] == SQLITE_INTEGER)
					sqlite3_bind_int64(st, c + 1, strtoll(r[ti].cells[k], NULL, 10));
				else
					sqlite3_bind_text(st, c + 1, r[ti].cells[k], -1, SQLITE_STATIC);
			}
			if (sqlite3_step(st) != SQLITE_DONE)
				die(sqlite3_errmsg(base->h), NULL);
		}
	}
	if (db_commit(base, &e) != GQ_OK)
		die("commit", &e);
	spent = cpu_s() - t0;
	strbuf_release(&ignored);
	for (ti = 0; ti < ntables; ti++) {
		for (i = 0; i < r[ti].n * r[ti].ncol; i++)
			free(r[ti].cells[i]);
		free(r[ti].cells);
		free(r[ti].types);
		sqlite3_finalize(r[ti].ins);
	}
	return spent;
}

/* gzip -6 of len bytes: the length of the gzip file. */
static unsigned long gzip6_len(const char *buf, size_t len)
{
	z_stream z;
	unsigned char out[65536];
	unsigned long total = 0;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)buf;
	z.avail_in = (uInt)len;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = deflate(&z, Z_FINISH);
		total += sizeof(out) - z.avail_out;
	} while (rc == Z_OK);
	deflateEnd(&z);
	return total;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/guanqing-bench-merge.XXXXXX";
	char cpath[128], pristine[128], spath[128], bpath[128], stick[128], setup[128], bundle[600];
	char pass[KEYS_PASSPHRASE_SIZE], file[4096], cmd[160], admin[64];
	enum auth_role role;
	int people = argc > 1 ? atoi(argv[1]) : 300;
	int runs = argc > 2 ? atoi(argv[2]) : 3, i, refused;
	struct gq_db *county = NULL, *st = NULL, *base = NULL;
	struct strbuf rep = STRBUF_INIT, csv = STRBUF_INIT;
	double cpu[MAX_RUNS], import_s, base_s;
	long nrows, nlog;
	int64_t nchanges, nvisits = 0;
	unsigned long gz;
	struct stat sb;
	struct gq_err e;
	const char *paths[1];
	sqlite3_stmt *q;

	if (runs < 1)
		runs = 1;
	if (runs > MAX_RUNS)
		runs = MAX_RUNS;
	setenv("TZ", "UTC", 1);
	if (!mkdtemp(dir))
		return 1;
	snprintf(cpath, sizeof(cpath), "%s/county.db", dir);
	snprintf(pristine, sizeof(pristine), "%s/county-pristine.db", dir);
	snprintf(spath, sizeof(spath), "%s/station.db", dir);
	snprintf(bpath, sizeof(bpath), "%s/baseline.db", dir);
	snprintf(stick, sizeof(stick), "%s/stick", dir);
	snprintf(setup, sizeof(setup), "%s/setup", dir);
	mkdir(stick, 0700);
	mkdir(setup, 0700);

	/* The county, one enrolled station, its people and visits. */
	if (db_open(pristine, 1, &county, &e) != GQ_OK ||
	    station_init_county(county, "411524", &e) != GQ_OK || sync_county_keys(county, &e) != GQ_OK ||
	    sync_enroll(county, DEMO_VILLAGE, setup, pass, file, sizeof(file), &e) != GQ_OK)
		die("county", &e);
	{
		struct rec_value u[] = { { "name", "刘建华" }, { "role", "county_admin" } };

		if (record_create(county, table_find("users"), u, 2, NULL, admin, &e) != GQ_OK ||
		    auth_set_pin(county, admin, "731904", &e) != GQ_OK)
			die("county admin", &e);
	}
	db_close(&county);
	if (db_open(spath, 1, &st, &e) != GQ_OK || sync_station_init(st, file, pass, &e) != GQ_OK ||
	    demo_populate(st, 20261201, people, &e) != GQ_OK)
		die("station", &e);
	nchanges = change_local_count(st);
	if (sqlite3_prepare_v2(st->h, "SELECT count(*) FROM visit", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		nvisits = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (sync_export(st, stick, NULL, &rep, NULL, NULL, &e) != GQ_OK)
		die("export", &e);
	if (find_bundle(stick, bundle, sizeof(bundle)) != 0 || stat(bundle, &sb) != 0)
		die("no bundle written", NULL);

	/* The import, on a fresh copy of the county each run. */
	paths[0] = stick;
	for (i = 0; i < runs; i++) {
		unlink(cpath);
		if (copy_file(pristine, cpath) != 0 || db_open(cpath, 0, &county, &e) != GQ_OK ||
		    auth_sign_in(county, admin, "731904", &role, &e) != GQ_OK)
			die("county copy", &e);
		strbuf_reset(&rep);
		import_s = cpu_s();
		if (sync_import(county, paths, 1, &rep, &refused, &e) != GQ_OK || refused)
			die(rep.buf, &e);
		cpu[i] = cpu_s() - import_s;
		db_close(&county);
		snprintf(cmd, sizeof(cmd), "%s-wal", cpath);
		unlink(cmd);
		snprintf(cmd, sizeof(cmd), "%s-shm", cpath);
		unlink(cmd);
	}
	import_s = median(cpu, runs);

	/* The baseline: the same rows, prepared inserts, one transaction. */
	for (i = 0; i < runs; i++) {
		unlink(bpath);
		strbuf_reset(&csv);
		if (db_open(bpath, 1, &base, &e) != GQ_OK)
			die("baseline", &e);
		cpu[i] = rows_csv_and_insert(st, base, &csv, &nrows, &nlog);
		db_close(&base);
		snprintf(cmd, sizeof(cmd), "%s-wal", bpath);
		unlink(cmd);
	}
	base_s = median(cpu, runs);
	gz = gzip6_len(csv.buf, csv.len);

	printf("guanqing merge benchmark: %d people, %lld visits, %lld changes, %ld rows (%ld change-log rows);"
	       " median of %d runs\n\n", people, (long long)nvisits, (long long)nchanges, nrows, nlog, runs);
	printf("| %-24s | %14s | %-42s | %14s | %7s |\n", "figure", "measured", "baseline",
	       "baseline value", "ratio");
	printf("|%s|%s|%s|%s|%s|\n", "--------------------------", "----------------",
	       "--------------------------------------------", "----------------", "---------");
	printf("| %-24s | %11.1f us | %-42s | %11.1f us | %6.1fx |\n", "import CPU per change",
	       import_s * 1e6 / (double)nchanges, "prepared inserts of the rows and log rows",
	       base_s * 1e6 / (double)nchanges, import_s / base_s);
	printf("| %-24s | %12.1f B | %-42s | %12.1f B | %6.2fx |\n", "bundle bytes per visit",
	       (double)sb.st_size / (double)(nvisits ? nvisits : 1), "gzip -6 of a CSV of the same rows",
	       (double)gz / (double)(nvisits ? nvisits : 1), (double)sb.st_size / (double)gz);
	printf("\nbundle %lld bytes (%.1f B per change); CSV %zu bytes, gzip -6 %lu bytes\n",
	       (long long)sb.st_size, (double)sb.st_size / (double)nchanges, csv.len, gz);
	db_close(&st);
	strbuf_release(&rep);
	strbuf_release(&csv);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) != 0;
}
