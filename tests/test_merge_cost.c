/* test_merge_cost.c - the merge's cost grows as N log N or better in the
 * number of changes, whatever their shape. The work is counted, not timed:
 * SQLite's progress handler counts the virtual-machine instructions that
 * the merge runs (the handler is called for every one). Shapes: a
 * chain of edits of one field (each naming the previous one), the same
 * chain arriving newest first, and N concurrent heads of one field. For
 * each shape, doubling N must at most a little more than double the work.
 * MERGE_COST_PRINT=1 prints the counts (the figures quoted in the
 * architecture notes). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/hlc.h"
#include "guanqing/merge.h"
#include "guanqing/station.h"

#define MERGE_COST_TICK 1
#define ORIGIN_A "00000000-0000-4000-8000-00000000000a"
#define ROW "00000000-0000-4000-8000-0000000000b1"
#define V1 "411524103205"

static char dir[64];
static int dbno;
static uint64_t ticks;

static int count_tick(void *ctx)
{
	(void)ctx;
	ticks++;
	return 0;
}

enum shape { CHAIN, CHAIN_REVERSED, HEADS };

static void make(struct change *c, const char *origin, int64_t oseq, hlc_t hlc,
		 const char *field, const char *text)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->origin, sizeof(c->origin), "%s", origin);
	c->oseq = oseq;
	c->hlc = hlc;
	snprintf(c->tbl, sizeof(c->tbl), "person");
	snprintf(c->row_id, sizeof(c->row_id), ROW);
	snprintf(c->field, sizeof(c->field), "%s", field);
	snprintf(c->village, sizeof(c->village), V1);
	c->value.type = VAL_TEXT;
	c->value.s = text;
}

/* The work of merging n changes of one shape into a fresh database, in
 * one transaction as an import does. */
static uint64_t cost(enum shape shape, int n)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	struct merge_stats st;
	struct merge_parent parent;
	struct change c;
	char path[128], origin[40], text[32];
	hlc_t base = hlc_make(1795852800000LL, 0);
	int i;

	gq_err_clear(&e);
	snprintf(path, sizeof(path), "%s/m%d.db", dir, ++dbno);
	assert_int_equal(db_open(path, 1, &db, &e), GQ_OK);
	assert_int_equal(station_init_county(db, "411524", &e), GQ_OK);
	memset(&st, 0, sizeof(st));
	assert_int_equal(db_begin(db, &e), GQ_OK);
	/* The row itself first (not counted). */
	make(&c, ORIGIN_A, 1, base, "created_at", "2026-11-28T08:00:00.000Z");
	assert_int_equal(merge_apply(db, &c, &st, &e), GQ_OK);
	make(&c, ORIGIN_A, 2, base + 1, "village", V1);
	assert_int_equal(merge_apply(db, &c, &st, &e), GQ_OK);
	ticks = 0;
	sqlite3_progress_handler(db->h, MERGE_COST_TICK, count_tick, NULL);
	for (i = 0; i < n; i++) {
		int k = shape == CHAIN_REVERSED ? n - 1 - i : i;

		snprintf(text, sizeof(text), "备注%d", k);
		if (shape == HEADS) {
			/* n places edit the field concurrently: no parents. */
			snprintf(origin, sizeof(origin), "00000000-0000-4000-8000-%012d", k + 100);
			make(&c, origin, 1, base + 10 + k, "notes", text);
		} else {
			make(&c, ORIGIN_A, 3 + k, base + 10 + k, "notes", text);
			if (k > 0) {
				snprintf(parent.origin, sizeof(parent.origin), ORIGIN_A);
				parent.oseq = 3 + k - 1;
				parent.same_field = 1;
				c.parents = &parent;
				c.nparents = 1;
			}
		}
		assert_int_equal(merge_apply_deferred(db, &c, &st, &e), GQ_OK);
	}
	assert_int_equal(merge_settle(db, &st, &e), GQ_OK);
	sqlite3_progress_handler(db->h, 0, NULL, NULL);
	assert_int_equal(db_commit(db, &e), GQ_OK);
	assert_int_equal(st.applied, n + 2);
	db_close(&db);
	unlink(path);
	return ticks;
}

static void check_shape(enum shape shape, const char *name)
{
	static const int ns[] = { 250, 500, 1000, 2000 };
	uint64_t w[4];
	size_t i;

	for (i = 0; i < 4; i++) {
		w[i] = cost(shape, ns[i]);
		if (getenv("MERGE_COST_PRINT"))
			printf("# %s: %d changes: %llu VM instructions\n", name, ns[i],
			       (unsigned long long)w[i]);
	}
	/* Doubling N at most a little more than doubles the work: 2.4 allows
	 * for log N and for SQLite's own page cache. */
	for (i = 1; i < 4; i++) {
		if (w[i] * 10 > w[i - 1] * 24)
			fail_msg("%s: %d changes cost %llu, %d cost %llu: more than 2.4 times",
				 name, ns[i], (unsigned long long)w[i], ns[i - 1],
				 (unsigned long long)w[i - 1]);
	}
}

static void test_chain(void **state)
{
	(void)state;
	check_shape(CHAIN, "chain");
}

static void test_chain_reversed(void **state)
{
	(void)state;
	check_shape(CHAIN_REVERSED, "chain, newest first");
}

static void test_heads(void **state)
{
	(void)state;
	check_shape(HEADS, "concurrent heads");
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	clock_set_fixed(1795852800000LL);
	snprintf(dir, sizeof(dir), "/tmp/test_merge_cost.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_chain_reversed),
		cmocka_unit_test(test_heads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
