/* fuzz.h - what the libFuzzer targets in tests/fuzz/ share: a private
 * temporary folder, writing the input to a file there, and a station
 * database made once per run. make fuzz builds each target with clang
 * (-fsanitize=fuzzer,address,undefined) and runs it on its seed corpus. */
#ifndef GUANQING_FUZZ_H
#define GUANQING_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/station.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];

/* The run's temporary folder (removed by make fuzz's wrapper). */
static inline const char *fuzz_tmp(void)
{
	if (!fuzz_dir[0]) {
		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/gqfuzz.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(fuzz_dir))
			abort();
	}
	return fuzz_dir;
}

/* Write data to the file name in the folder; returns its path (static). */
static inline const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_tmp(), name);
	f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
	return path;
}

/* A station database of 宋岗村, made on the first call. */
static inline struct gq_db *fuzz_station(void)
{
	static struct gq_db *db;
	char path[128];
	struct gq_err e;

	if (db)
		return db;
	setenv("TZ", "UTC", 1);
	setenv("GUANQING_NOW", "2026-11-28T08:00:00Z", 0);
	snprintf(path, sizeof(path), "%s/station.db", fuzz_tmp());
	if (db_open(path, 1, &db, &e) != GQ_OK ||
	    station_init_village(db, "411524103205", &e) != GQ_OK) {
		fprintf(stderr, "fuzz: cannot make the station database: %s\n", e.msg);
		abort();
	}
	return db;
}

#endif
