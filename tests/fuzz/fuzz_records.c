/* fuzz_records.c - the bundle reader after decryption, and the merge: the
 * input, cut into records (a length byte, then that many bytes), is
 * written as a real signed and encrypted bundle to the station, read back
 * with the record reader, and every record is decoded and applied to a
 * station database inside a transaction that is rolled back. */
#include "config.h"

#include "fuzz.h"
#include "fuzz_keys_fixed.h"
#include "guanqing/merge.h"
#include "guanqing/wire.h"

static struct keys_own county, station;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *recs[256];
	size_t lens[256], n = 0, off = 0;
	struct bundle_reader *r = NULL;
	struct gq_db *db = fuzz_station();
	struct gq_err e;
	char path[128];
	static int init;

	if (!init) {
		fuzz_keys(&county, 2);
		fuzz_keys(&station, 1);
		init = 1;
	}
	while (off < size && n < 256) {
		size_t len = data[off++];

		if (len > size - off)
			len = size - off;
		recs[n] = data + off;
		lens[n++] = len;
		off += len;
	}
	snprintf(path, sizeof(path), "%s/records.gqb", fuzz_tmp());
	/* From the county to the station: the header says who. */
	{
		struct bundle_header h;
		struct bundle_writer *w = NULL;
		FILE *f = fopen(path, "w+b");
		size_t i;
		int bad;

		if (!f)
			abort();
		fuzz_header(&h);
		strcpy(h.sender, FUZZ_COUNTY_ID);
		snprintf(h.recipient, sizeof(h.recipient), "%s", db->station_id);
		bad = bundle_writer_open(&w, f, &h, &county, &station.pub, path, &e) != GQ_OK;
		for (i = 0; !bad && i < n; i++)
			bad = bundle_writer_add(w, recs[i], lens[i], &e) != GQ_OK;
		if (!bad)
			bad = bundle_writer_finish(w, &e) != GQ_OK;
		bundle_writer_free(&w);
		bundle_header_release(&h);
		fclose(f);
		if (bad)
			return 0;
	}
	if (db_begin(db, &e) != GQ_OK)
		abort();
	if (bundle_reader_open(&r, path, db->station_id, &station, &county.pub, NULL, &e) == GQ_OK) {
		const unsigned char *rec;
		size_t len;

		struct wire *w = wire_new();

		while (bundle_reader_next(r, &rec, &len, &e) == GQ_OK && rec) {
			struct change c;
			struct merge_stats st;

			memset(&c, 0, sizeof(c));
			memset(&st, 0, sizeof(st));
			if (wire_change_decode(w, rec, len, &c, NULL, &e) == GQ_OK)
				merge_apply(db, &c, &st, &e);
			merge_change_release(&c);
		}
		wire_free(&w);
	}
	bundle_reader_free(&r);
	db_rollback(db);
	return 0;
}
