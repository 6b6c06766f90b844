/* fuzz_change.c - the change-record decoder (sync/wire.c) and the merge:
 * any bytes as the records of a bundle, one after the other (each record's
 * length taken from the decoder), through one set of string tables; each
 * change that decodes is applied to a station database inside a
 * transaction that is rolled back. With GQ_FUZZ_SEEDS=DIR the first run
 * writes the records of a real person there (one file of all of them, and
 * one of each record alone). */
#include "config.h"

#include "fuzz.h"
#include "guanqing/merge.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/wire.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("GQ_FUZZ_SEEDS");
	struct gq_db *db = fuzz_station();
	struct rec_value v[] = {
		{ "name", "欧阳·娜娜" }, { "sex", "F" }, { "phone", "13812345678" },
		{ "address", "宋岗村第3组12号，门前有一棵老槐树" },
	};
	char id[64];
	struct gq_err e;
	int64_t seq;

	(void)argc;
	(void)argv;
	if (!seeds || !*seeds)
		return 0;
	if (record_create(db, table_find("person"), v, 4, NULL, id, &e) != GQ_OK) {
		fprintf(stderr, "fuzz: %s\n", e.msg);
		return 0;
	}
	{
		struct wire *all = wire_new();
		struct strbuf sa = STRBUF_INIT;
		char path[512];
		FILE *f;

		for (seq = 1; seq <= 12; seq++) {
			struct strbuf sb = STRBUF_INIT;
			struct wire *one = wire_new();

			wire_change_encode(all, db, seq, &sa, &e);
			if (wire_change_encode(one, db, seq, &sb, &e) == GQ_OK && sb.len) {
				snprintf(path, sizeof(path), "%s/change-%lld", seeds, (long long)seq);
				f = fopen(path, "wb");
				if (f) {
					fwrite(sb.buf, 1, sb.len, f);
					fclose(f);
				}
			}
			wire_free(&one);
			strbuf_release(&sb);
		}
		snprintf(path, sizeof(path), "%s/changes-all", seeds);
		f = fopen(path, "wb");
		if (f) {
			fwrite(sa.buf, 1, sa.len, f);
			fclose(f);
		}
		wire_free(&all);
		strbuf_release(&sa);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gq_db *db = fuzz_station();
	struct wire *w = wire_new(), *whole = wire_new();
	struct change c;
	struct merge_stats st;
	struct gq_err e;
	size_t used = 0, at = 0;

	memset(&st, 0, sizeof(st));
	/* The whole input as one record. */
	wire_change_decode(whole, data, size, &c, NULL, &e);
	merge_change_release(&c);
	wire_free(&whole);
	/* The input as a run of records of one bundle. */
	if (db_begin(db, &e) != GQ_OK)
		abort();
	while (at < size && wire_change_decode(w, data + at, size - at, &c, &used, &e) == GQ_OK) {
		if (used == 0 || used > size - at)
			abort();	/* the decoder must move on, within its input */
		at += used;
		merge_apply(db, &c, &st, &e);
		merge_change_release(&c);
	}
	merge_change_release(&c);
	db_rollback(db);
	wire_free(&w);
	return 0;
}
