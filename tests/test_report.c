/* test_report.c - the reports' core: shares, sites still needed, bars,
 * the period, towns by Chinese name, and a report by place run over a
 * station's records (the scenario tests check every report's figures). */
#include "config.h"

#include "coretest.h"

#include <sqlite3.h>

#include "guanqing/report.h"

static void test_share(void **state)
{
	char b[16];

	(void)state;
	report_share(b, sizeof(b), 3, 5);
	assert_string_equal(b, "60.0");
	report_share(b, sizeof(b), 1, 3);
	assert_string_equal(b, "33.3");
	report_share(b, sizeof(b), 2, 28);
	assert_string_equal(b, "7.1");
	report_share(b, sizeof(b), 0, 0);
	assert_string_equal(b, "");
}

static void test_sites_needed(void **state)
{
	(void)state;
	/* 双椿铺镇: 28 villages, 2 with a site, 10 %: ceil(2.8) = 3, one more. */
	assert_int_equal(report_sites_needed(28, 2, 10), 1);
	/* 赤城街道: 14 communities, 2 with a site, 40 %: ceil(5.6) = 6, four more. */
	assert_int_equal(report_sites_needed(14, 2, 40), 4);
	assert_int_equal(report_sites_needed(5, 2, 40), 0);	/* exactly 40 % */
	assert_int_equal(report_sites_needed(5, 3, 40), 0);	/* above the target */
	assert_int_equal(report_sites_needed(10, 0, 10), 1);
	assert_int_equal(report_sites_needed(0, 0, 40), 0);
}

static void test_bar(void **state)
{
	char b[64];

	(void)state;
	report_bar(b, sizeof(b), 100, 100, 4, 0);
	assert_string_equal(b, "████");
	report_bar(b, sizeof(b), 60, 100, 12, 0);	/* 7.2 columns */
	assert_string_equal(b, "███████▎");
	report_bar(b, sizeof(b), 60, 100, 12, 1);
	assert_string_equal(b, "#######");
	report_bar(b, sizeof(b), 65, 100, 12, 1);	/* 7.8: a half or more is '+' */
	assert_string_equal(b, "#######+");
	report_bar(b, sizeof(b), 0.1, 100, 12, 0);	/* something is not nothing */
	assert_string_equal(b, "▏");
	report_bar(b, sizeof(b), 0, 100, 12, 0);
	assert_string_equal(b, "");
	report_bar(b, sizeof(b), 250, 100, 3, 0);	/* capped at the scale */
	assert_string_equal(b, "███");
	report_bar(b, 4, 100, 100, 12, 0);		/* never past the buffer */
	assert_string_equal(b, "█");
}

static void test_period(void **state)
{
	struct report_args a = { NULL, -1, NULL, NULL, NULL, NULL, RL_TOWNS };
	char from[16], to[16];
	struct gq_err e;

	(void)state;
	fixture_env();
	gq_err_clear(&e);
	assert_int_equal(report_period(&a, from, to, &e), GQ_OK);
	assert_string_equal(from, "2026-01-01");
	assert_string_equal(to, "2026-11-28");
	a.from = "2026-02-30";
	assert_int_equal(report_period(&a, from, to, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "--from"));
	assert_non_null(strstr(e.msg, "2026-02-30"));
	a.from = "2026-12-01";
	a.to = "2026-11-01";
	assert_int_equal(report_period(&a, from, to, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "2026-12-01"));
	a.from = NULL;
	a.to = "2025-06-30";
	assert_int_equal(report_period(&a, from, to, &e), GQ_OK);
	assert_string_equal(from, "2025-01-01");
}

static void test_find_town(void **state)
{
	struct fixture *fx = *state;
	char code[16];
	struct gq_err e;

	gq_err_clear(&e);
	assert_int_equal(report_find_town(fx->db, "双椿铺镇", code, &e), GQ_OK);
	assert_string_equal(code, "411524103");
	assert_int_equal(report_find_town(fx->db, "411524103", code, &e), GQ_OK);
	assert_string_equal(code, "411524103");
	assert_int_equal(report_find_town(fx->db, "赤城街道", code, &e), GQ_OK);
	assert_string_equal(code, "411524001");
	assert_int_equal(report_find_town(fx->db, "宋岗村民委员会", code, &e), GQ_ENOTFOUND);
	assert_int_equal(report_find_town(fx->db, "不存在镇", code, &e), GQ_ENOTFOUND);
	assert_non_null(strstr(e.msg, "不存在镇"));
	report_county_name(fx->db, code, sizeof(code));
	assert_string_equal(code, "商城县");
}

struct rows {
	char village[8][64];
	char children[8][8], seen[8][8], share[8][8], overdue[8][8];
	size_t n;
};

static int keep_row(void *arg, const char *const *c)
{
	struct rows *r = arg;

	if (r->n < 8 && c[0] && !strcmp(c[0], TEST_VILLAGE)) {
		snprintf(r->village[r->n], sizeof(r->village[0]), "%s", c[1]);
		snprintf(r->children[r->n], 8, "%s", c[2]);
		snprintf(r->seen[r->n], 8, "%s", c[7]);
		snprintf(r->share[r->n], 8, "%s", c[8] ? c[8] : "");
		snprintf(r->overdue[r->n], 8, "%s", c[9]);
		r->n++;
	}
	return 0;
}

static void exec(struct gq_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

#define ROW "'o', '" TEST_VILLAGE "', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'"

static void test_children_by_village(void **state)
{
	struct fixture *fx = *state;
	struct report_args a = { NULL, -1, NULL, "双椿铺镇", NULL, NULL, RL_VILLAGES };
	const struct report_def *d = report_find("children");
	struct rows r;
	struct gq_err e;

	memset(&r, 0, sizeof(r));
	gq_err_clear(&e);
	exec(fx->db,
	     "INSERT INTO person (id, origin, village, created_at, updated_at, name, status) VALUES"
	     " ('p1', " ROW ", '王小明', 'active'), ('p2', " ROW ", '欧阳·娜娜', 'active'),"
	     " ('p3', " ROW ", '李秀英', 'deceased');"
	     "INSERT INTO person_category (id, origin, village, created_at, updated_at, person_id, category)"
	     " VALUES ('c1', " ROW ", 'p1', 'left_behind_child'), ('c2', " ROW ", 'p2', 'orphan'),"
	     " ('c3', " ROW ", 'p2', 'left_behind_child'), ('c4', " ROW ", 'p3', 'orphan');"
	     "INSERT INTO visit (id, origin, village, created_at, updated_at, person_id, visit_date, followup_due)"
	     " VALUES ('v1', " ROW ", 'p1', '2026-11-01', '2026-11-15'),"
	     " ('v2', " ROW ", 'p2', '2026-05-01', '2026-12-31');");
	assert_non_null(d);
	assert_int_equal(report_run(fx->db, d, &a, keep_row, &r, &e), GQ_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.village[0], "宋岗村民委员会");
	assert_string_equal(r.children[0], "2");	/* 李秀英 has died */
	assert_string_equal(r.seen[0], "1");		/* 王小明 in November */
	assert_string_equal(r.share[0], "50.0");
	assert_string_equal(r.overdue[0], "1");		/* due 2026-11-15 */
}

static void test_cell_text(void **state)
{
	const struct report_def *d = report_find("assistance");
	size_t i;

	(void)state;
	assert_non_null(d);
	for (i = 0; i < d->ncols && strcmp(d->cols[i].name, "kind"); i++)
		;
	assert_true(i < d->ncols);
	assert_string_equal(report_cell_text(&d->cols[i], "dibao"), "minimum living allowance");
	assert_null(report_cell_text(&d->cols[i], NULL));
	assert_string_equal(report_cell_text(&d->cols[0], "411524103"), "411524103");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_sites_needed),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_period),
		cmocka_unit_test_setup_teardown(test_find_town, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_children_by_village, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_cell_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
