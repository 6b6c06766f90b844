/* fuzz_change.c - the change-record decoder and the merge: any bytes as
 * one encoded change; one that decodes is applied to a station database
 * inside a transaction that is rolled back. With GQ_FUZZ_SEEDS=DIR the
 * first run writes the encoded changes of a real person there. */
#include "config.h"

#include "fuzz.h"
#include "guanqing/merge.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

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
	for (seq = 1; seq <= 12; seq++) {
		struct strbuf sb = STRBUF_INIT;
		char path[512];
		FILE *f;

		if (merge_change_encode(db, seq, &sb, &e) == GQ_OK && sb.len) {
			snprintf(path, sizeof(path), "%s/change-%lld", seeds, (long long)seq);
			f = fopen(path, "wb");
			if (f) {
				fwrite(sb.buf, 1, sb.len, f);
				fclose(f);
			}
		}
		strbuf_release(&sb);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gq_db *db = fuzz_station();
	struct change c;
	struct merge_stats st;
	struct gq_err e;
	size_t used;

	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	merge_change_decode(data, size, &c, &used, &e);
	merge_change_release(&c);
	memset(&c, 0, sizeof(c));
	if (merge_change_decode(data, size, &c, NULL, &e) == GQ_OK) {
		if (db_begin(db, &e) != GQ_OK)
			abort();
		merge_apply(db, &c, &st, &e);
		db_rollback(db);
	}
	merge_change_release(&c);
	return 0;
}
