/* bench.c - speed and memory of the core operations, printed as a table.
 *
 * Method: each row times one operation repeated N times on a fresh
 * temporary database (WAL, synchronous=FULL, as in use) with the monotonic
 * clock and reports the mean per operation and the rate; memory is the
 * process's peak resident set (getrusage). Run with `make bench`; the
 * numbers depend on the machine, so compare them on the same machine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guanqing/db.h"
#include "guanqing/auth.h"
#include "guanqing/dump.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"
#include "guanqing/pinyin.h"
#include "guanqing/record.h"
#include "guanqing/station.h"
#include "guanqing/change.h"
#include "guanqing/keys.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void row(const char *what, long n, double secs)
{
	printf("| %-50s | %8ld | %10.3f | %12.1f |\n", what, n, secs * 1e3 / (double)n,
	       (double)n / secs);
}

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "周", "吴", "徐",
	"胡", "余", "汪", "单", "曾", "欧阳" };
static const char *const given[] = { "志强", "秀英", "建国", "桂兰", "明", "婷", "子涵", "浩然",
	"一诺", "梓萱", "国华", "玉珍", "三", "小红", "德胜", "春梅" };

/* A valid GB 11643 number for the i-th person born in 1950-2019. */
static void make_id(long i, char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int s = 0, k;

	snprintf(out, 19, "411524%04ld%02ld%02ld%03ld", 1950 + i % 70, 1 + i % 12, 1 + i % 28,
		 i / 420 % 1000);
	for (k = 0; k < 17; k++)
		s += (out[k] - '0') * w[k];
	out[17] = "10X98765432"[s % 11];
	out[18] = '\0';
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/guanqing-bench.XXXXXX", path[64], id[UID_LEN + 1], idn[19], name[32];
	long persons = argc > 1 ? atol(argv[1]) : 2000, i, matches = 0;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct rusage ru;
	double t0;
	FILE *devnull;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	if (db_open(path, 1, &db, &e) != GQ_OK || station_init_village(db, "411524103205", &e) != GQ_OK) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	printf("guanqing benchmark: %ld persons; mean time per operation and rate\n\n", persons);
	printf("| %-50s | %8s | %10s | %12s |\n", "operation", "N", "ms/op", "ops/s");
	printf("|%s|%s|%s|%s|\n", "----------------------------------------------------", "----------",
	       "------------", "--------------");

	t0 = now_s();
	for (i = 0; i < 200; i++) {
		struct rec_value v[] = { { "name", "张三" }, { "phone", "13812345678" } };

		if (record_create(db, table_find("person"), v, 2, NULL, id, &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n", e.msg), 1;
	}
	row("person add, one transaction each (fsync)", 200, now_s() - t0);

	t0 = now_s();
	db_begin(db, &e);
	for (i = 0; i < persons; i++) {
		struct rec_value v[] = { { "name", name }, { "id_number", idn } };

		snprintf(name, sizeof(name), "%s%s", surnames[i % 16], given[(i / 16) % 16]);
		make_id(i, idn);
		if (record_create(db, table_find("person"), v, 2, NULL, id, &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n", e.msg), 1;
	}
	db_commit(db, &e);
	row("person add with ID check, batched", persons, now_s() - t0);

	t0 = now_s();
	for (i = 0; i < 200; i++) {
		struct rec_value v[] = { { "phone", i % 2 ? "13912345678" : "13812345678" } };

		if (record_update(db, table_find("person"), id, v, 1, &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n", e.msg), 1;
	}
	row("person edit of one field (fsync)", 200, now_s() - t0);

	{
		struct pinyin_key *keys = calloc(50000, sizeof(*keys));
		struct pinyin_query q;

		t0 = now_s();
		for (i = 0; i < 50000; i++) {
			snprintf(name, sizeof(name), "%s%s", surnames[i % 16], given[(i / 16) % 16]);
			pinyin_key_init(&keys[i]);
			pinyin_key_set(&keys[i], name);
		}
		row("pinyin key build (incl. table load), per name", 50000, now_s() - t0);
		t0 = now_s();
		pinyin_query_set(&q, "zzq");
		for (i = 0; i < 50000; i++)
			matches += pinyin_key_match(&keys[i], &q) >= 0;
		row("pinyin match \"zzq\" over 50,000 names, per name", 50000, now_s() - t0);
		for (i = 0; i < 50000; i++)
			pinyin_key_release(&keys[i]);
		free(keys);
	}

	/* Signing in: Argon2id with libsodium's interactive limits. */
	{
		struct rec_value u[] = { { "name", "王春梅" }, { "role", "grid_worker" } };
		char uid[UID_LEN + 1];
		enum auth_role role;

		record_create(db, table_find("users"), u, 2, NULL, uid, &e);
		t0 = now_s();
		for (i = 0; i < 3; i++)
			auth_set_pin(db, uid, "731904", &e);
		row("PIN set (Argon2id hash, 64 MiB)", 3, now_s() - t0);
		t0 = now_s();
		for (i = 0; i < 3; i++)
			if (auth_sign_in(db, uid, "731904", &role, &e) != GQ_OK)
				return fprintf(stderr, "bench: %s\n", e.msg), 1;
		row("sign in (Argon2id verify)", 3, now_s() - t0);
	}

	/* The exchange: the station's whole log to the county and back. */
	{
		char cpath[96], stick[96], setup[96], pass[KEYS_PASSPHRASE_SIZE], file[4096];
		struct gq_db *county = NULL, *st2 = NULL;
		struct strbuf rep = STRBUF_INIT;
		const char *paths[1];
		int64_t nchanges;
		int refused;

		snprintf(cpath, sizeof(cpath), "%s/county.db", dir);
		snprintf(stick, sizeof(stick), "%s/stick", dir);
		snprintf(setup, sizeof(setup), "%s/setup", dir);
		mkdir(stick, 0700);
		mkdir(setup, 0700);
		if (db_open(cpath, 1, &county, &e) != GQ_OK || station_init_county(county, "411524", &e) != GQ_OK ||
		    sync_county_keys(county, &e) != GQ_OK ||
		    sync_enroll(county, "411524103205", setup, pass, file, sizeof(file), &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n", e.msg), 1;
		snprintf(path, sizeof(path), "%s/station2.db", dir);
		if (db_open(path, 1, &st2, &e) != GQ_OK || sync_station_init(st2, file, pass, &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n", e.msg), 1;
		db_begin(st2, &e);
		for (i = 0; i < persons; i++) {
			struct rec_value v[] = { { "name", name }, { "id_number", idn }, { "phone", "13812345678" } };

			snprintf(name, sizeof(name), "%s%s", surnames[i % 16], given[(i / 16) % 16]);
			make_id(i, idn);
			record_create(st2, table_find("person"), v, 3, NULL, id, &e);
		}
		db_commit(st2, &e);
		nchanges = change_local_count(st2);
		t0 = now_s();
		if (sync_export(st2, stick, NULL, &rep, NULL, NULL, &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n", e.msg), 1;
		row("export: bundle written and read back, per change", nchanges, now_s() - t0);
		paths[0] = stick;
		t0 = now_s();
		if (sync_import(county, paths, 1, &rep, &refused, &e) != GQ_OK)
			return fprintf(stderr, "bench: %s\n%s", e.msg, rep.buf), 1;
		row("import at the county: verify and merge, per change", nchanges, now_s() - t0);
		strbuf_release(&rep);
		db_close(&st2);
		db_close(&county);
	}

	devnull = fopen("/dev/null", "w");
	t0 = now_s();
	dump_canonical(db, devnull, &e);
	row("dump --canonical, per person", persons + 200, now_s() - t0);
	fclose(devnull);

	{
		sqlite3_stmt *st;
		long long bytes = 0, rows = 0;

		if (sqlite3_prepare_v2(db->h, "SELECT (SELECT page_count FROM pragma_page_count) *"
				       " (SELECT page_size FROM pragma_page_size),"
				       " (SELECT count(*) FROM change_log)", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW) {
				bytes = sqlite3_column_int64(st, 0);
				rows = sqlite3_column_int64(st, 1);
			}
			sqlite3_finalize(st);
		}
		printf("\nstation database: %lld KiB for %ld persons (%.1f KiB each), %lld change-log rows"
		       " (%.0f bytes each, rows and indexes included)\n", bytes / 1024, persons + 200,
		       (double)bytes / 1024 / (double)(persons + 200), rows,
		       rows ? (double)bytes / (double)rows : 0.0);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("peak resident memory: %ld KiB; pinyin matches: %ld\n", ru.ru_maxrss, matches);
	db_close(&db);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return 0;
}
