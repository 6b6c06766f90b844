/* fuzz_divisions.c - the divisions loader: any bytes as the divisions CSV,
 * loaded into a station database inside a transaction rolled back. */
#include "config.h"

#include "fuzz.h"
#include "guanqing/division.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("divisions.csv", data, size);
	struct gq_db *db = fuzz_station();
	struct gq_err e;

	if (db_begin(db, &e) != GQ_OK)
		abort();
	division_load(db, path, "411524", "商城县", &e);
	db_rollback(db);
	return 0;
}
