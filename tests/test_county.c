/* test_county.c - the county's reads (src/county.c) on a fresh database:
 * village folders by town and village, the village list, the waiting
 * applications with their household and check visit, and the empty
 * cases (no station, no conflict, no stick). */
#include "config.h"

#include "coretest.h"

#include "guanqing/county.h"
#include "guanqing/county_stick.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

static void test_village_folder(void **state)
{
	struct fixture *fx = *state;
	char out[128];

	assert_int_equal(county_village_folder(fx->db, "411524103205", out, sizeof(out)), 0);
	assert_string_equal(out, "双椿铺镇-宋岗村");
	/* An urban community keeps 社区 and loses 居民委员会. */
	assert_int_equal(county_village_folder(fx->db, "411524001001", out, sizeof(out)), 0);
	assert_string_equal(out, "赤城街道-东街社区");
	assert_int_equal(county_village_folder(fx->db, "411524999999", out, sizeof(out)), -1);
	assert_string_equal(out, "");
	assert_int_equal(county_village_folder(fx->db, NULL, out, sizeof(out)), -1);
}

struct vcount {
	int n;
	int found;
};

static int count_village(void *arg, const char *code, const char *name, const char *town)
{
	struct vcount *v = arg;

	v->n++;
	if (!strcmp(code, "411524103206")) {
		assert_string_equal(name, "王店村");
		assert_string_equal(town, "双椿铺镇");
		v->found = 1;
	}
	return 0;
}

static void test_villages(void **state)
{
	struct fixture *fx = *state;
	struct vcount v = { 0, 0 };
	struct gq_err e;

	gq_err_clear(&e);
	assert_int_equal(county_villages(fx->db, count_village, &v, &e), GQ_OK);
	assert_int_equal(v.n, 378);
	assert_true(v.found);
}

static int never(void *arg, const void *row)
{
	(void)row;
	(*(int *)arg)++;
	return 0;
}

static int station_row(void *arg, const struct county_station *s)
{
	return never(arg, s);
}

static int conflict_row(void *arg, const struct county_conflict *c)
{
	return never(arg, c);
}

static void test_empty(void **state)
{
	struct fixture *fx = *state;
	struct county_home h;
	struct strbuf name = STRBUF_INIT;
	struct gq_err e;
	char origin[37];
	int64_t n = -1;
	int rows = 0;

	gq_err_clear(&e);
	assert_int_equal(county_conflicts(fx->db, conflict_row, &rows, &e), GQ_OK);
	assert_int_equal(rows, 0);
	assert_int_equal(county_conflict_side(fx->db, 1, "宋岗村", origin, &e), GQ_ENOTFOUND);
	assert_non_null(strstr(e.msg, "1"));
	assert_int_equal(county_bundles_waiting(fx->db, fx->dir, &n, &e), GQ_OK);
	assert_int_equal(n, 0);
	assert_int_equal(county_home_figures(fx->db, &h, &e), GQ_OK);
	assert_int_equal(h.conflicts, 0);
	assert_int_equal(h.waiting, 0);
	assert_string_equal(h.last_import, "");
	/* An unknown place is named by the start of its id. */
	county_origin_name(fx->db, "0123456789abcdef", &name);
	assert_string_equal(name.buf, "01234567");
	strbuf_reset(&name);
	county_origin_name(fx->db, NULL, &name);
	assert_string_equal(name.buf, "");
	strbuf_release(&name);
	assert_int_equal(county_station_revoke(fx->db, "0123", &e), GQ_ENOTFOUND);
	/* A station database's only peer would be the county: none here. */
	assert_int_equal(county_stations(fx->db, station_row, &rows, &e), GQ_OK);
	assert_int_equal(rows, 0);
}

struct apps {
	int n;
	char applicant[64], village[64], town[64], check[16];
	int members;
};

static int app_row(void *arg, const struct county_application *a)
{
	struct apps *x = arg;

	x->n++;
	snprintf(x->applicant, sizeof(x->applicant), "%s", a->applicant);
	snprintf(x->village, sizeof(x->village), "%s", a->village_name);
	snprintf(x->town, sizeof(x->town), "%s", a->town_name);
	snprintf(x->check, sizeof(x->check), "%s", a->check_date ? a->check_date : "");
	x->members = a->members;
	return 0;
}

static void test_applications(void **state)
{
	struct fixture *fx = *state;
	char hh[40], p1[40], p2[40], app[40];
	struct rec_value hv[] = { { "address", "宋岗村王湾组1号" } };
	struct rec_value pv[3] = { { "name", "周秀英" }, { "household_id", hh }, { "sex", "F" } };
	struct rec_value pv2[2] = { { "name", "李建国" }, { "household_id", hh } };
	struct rec_value av[] = { { "person_id", p1 }, { "kind", "dibao" }, { "amount_asked", "480" } };
	struct rec_value dv[] = { { "status", "approved" }, { "amount_granted", "450" } };
	struct apps x;
	struct gq_err e;

	gq_err_clear(&e);
	assert_int_equal(record_create(fx->db, table_find("household"), hv, 1, NULL, hh, &e), GQ_OK);
	assert_int_equal(record_create(fx->db, table_find("person"), pv, 3, NULL, p1, &e), GQ_OK);
	assert_int_equal(record_create(fx->db, table_find("person"), pv2, 2, NULL, p2, &e), GQ_OK);
	assert_int_equal(record_create(fx->db, table_find("application"), av, 3, NULL, app, &e), GQ_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(county_applications(fx->db, 1, app_row, &x, &e), GQ_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.applicant, "周秀英");
	assert_string_equal(x.village, "宋岗村");
	assert_string_equal(x.town, "双椿铺镇");
	assert_int_equal(x.members, 2);
	assert_string_equal(x.check, "");
	/* Decided: no longer waiting, still in the whole list. */
	fx->db->role = DB_ROLE_COUNTY;
	assert_int_equal(record_update(fx->db, table_find("application"), app, dv, 2, &e), GQ_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(county_applications(fx->db, 1, app_row, &x, &e), GQ_OK);
	assert_int_equal(x.n, 0);
	assert_int_equal(county_applications(fx->db, 0, app_row, &x, &e), GQ_OK);
	assert_int_equal(x.n, 1);
	fx->db->role = DB_ROLE_STATION;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_village_folder, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_villages, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_empty, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_applications, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
