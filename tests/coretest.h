/* coretest.h - fixtures shared by the core unit tests: a fresh station
 * database in its own temporary folder, and row counting. */
#ifndef GUANQING_CORETEST_H
#define GUANQING_CORETEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/station.h"

#define TEST_VILLAGE "411524103205"
/* Another village of Shangcheng County (双椿铺镇), for scope tests. */
#define TEST_NOW_MS 1795852800000LL	/* 2026-11-28T08:00:00Z */

struct fixture {
	char dir[64];
	char path[128];
	struct gq_db *db;
};

static inline void fixture_env(void)
{
	setenv("TZ", "UTC", 1);
	if (!getenv("GUANQING_FORMS_DIR"))
		setenv("GUANQING_FORMS_DIR", "../screens/forms", 1);
	if (!getenv("GUANQING_DATA_DIR"))
		setenv("GUANQING_DATA_DIR", "../data", 1);
	clock_set_fixed(TEST_NOW_MS);
}

/* A fresh temporary folder; no database yet. */
static inline struct fixture *fixture_dir(void)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fixture_env();
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/gqtest.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/guanqing.db", fx->dir);
	return fx;
}

static int fixture_setup(void **state)
{
	struct fixture *fx = fixture_dir();
	struct gq_err err;

	gq_err_clear(&err);
	if (db_open(fx->path, 1, &fx->db, &err) != GQ_OK ||
	    station_init_village(fx->db, TEST_VILLAGE, &err) != GQ_OK) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	*state = fx;
	return 0;
}

static int fixture_teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	if (!fx)
		return 0;
	db_close(&fx->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* The first column of the first row of sql with an optional text
 * parameter, as an integer. */
static inline long long q_int(struct gq_db *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long long n = -1;

	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The same for a text result, copied into buf ("" when none). */
static inline const char *q_text(struct gq_db *db, const char *sql,
				 const char *arg, char *buf, size_t size)
{
	sqlite3_stmt *st;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, size, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

#endif
