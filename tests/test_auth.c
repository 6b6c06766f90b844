/* test_auth.c - PINs, the growing delay, lockout, roles, masking. */
#include "config.h"

#include "coretest.h"

#include "guanqing/auth.h"
#include "guanqing/record.h"

#define OK(x) assert_int_equal((x), GQ_OK)

/* A user of the test station with a PIN; its id into id. */
static void add_user(struct gq_db *db, const char *name, const char *role, const char *pin,
		     char *id)
{
	struct rec_value v[] = { { "name", name }, { "role", role } };
	struct gq_err err;

	OK(record_create(db, table_find("users"), v, 2, NULL, id, &err));
	if (pin)
		OK(auth_set_pin(db, id, pin, &err));
}

static void test_pin_form(void **state)
{
	struct gq_err err;

	(void)state;
	assert_int_equal(auth_pin_acceptable("12345", &err), GQ_EINVAL);
	assert_non_null(strstr(err.msg, "6"));
	assert_int_equal(auth_pin_acceptable("111111", &err), GQ_EINVAL);
	assert_int_equal(auth_pin_acceptable("123456", &err), GQ_EINVAL);
	assert_int_equal(auth_pin_acceptable("987654", &err), GQ_EINVAL);
	assert_int_equal(auth_pin_acceptable(NULL, &err), GQ_EINVAL);
	assert_int_equal(auth_pin_acceptable("", &err), GQ_EINVAL);
	OK(auth_pin_acceptable("480215", &err));
	OK(auth_pin_acceptable("关情口令2026", &err));
}

static void test_no_default_pin(void **state)
{
	struct fixture *fx = *state;
	char id[UID_LEN + 1];
	struct gq_err err;
	enum auth_role role;

	/* A fresh station has no PIN at all: nothing signs in. */
	assert_int_equal(auth_required(fx->db), 0);
	add_user(fx->db, "王春梅", "grid_worker", NULL, id);
	assert_int_equal(auth_sign_in(fx->db, id, "000000", &role, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "王春梅"));
	assert_int_equal(auth_sign_in(fx->db, id, "", &role, &err), GQ_EPERM);
	assert_int_equal(auth_required(fx->db), 0);
	OK(auth_set_pin(fx->db, id, "480215", &err));
	assert_int_equal(auth_required(fx->db), 1);
	/* The hash is Argon2id, never the PIN itself. */
	{
		char buf[64];

		assert_string_equal(q_text(fx->db, "SELECT substr(pin_hash, 1, 10) FROM user_secret", NULL,
					   buf, sizeof(buf)), "$argon2id$");
	}
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM user_secret WHERE pin_hash LIKE '%480215%'",
			       NULL), 0);
	/* PINs never travel: not in the change log. */
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_log WHERE value LIKE '%argon%'", NULL), 0);
}

static void test_sign_in_and_delays(void **state)
{
	struct fixture *fx = *state;
	char id[UID_LEN + 1];
	struct gq_err err;
	enum auth_role role = AUTH_NONE;
	int64_t t = TEST_NOW_MS;

	add_user(fx->db, "李建军", "station_admin", "480215", id);
	OK(auth_sign_in(fx->db, id, "480215", &role, &err));
	assert_int_equal(role, AUTH_STATION_ADMIN);
	assert_string_equal(fx->db->user_id, id);

	/* First wrong PIN: 4 tries left, and a 1-second wait. */
	assert_int_equal(auth_sign_in(fx->db, id, "999999", &role, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "4"));
	assert_int_equal(auth_sign_in(fx->db, id, "480215", &role, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "Wait 1 seconds"));
	/* The delay grows: 1, 2, 4, 8 seconds. */
	t += 1000;
	clock_set_fixed(t);
	assert_int_equal(auth_sign_in(fx->db, id, "999999", &role, &err), GQ_EPERM);
	assert_int_equal(auth_sign_in(fx->db, id, "999999", &role, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "Wait 2 seconds"));
	t += 2000;
	clock_set_fixed(t);
	assert_int_equal(auth_sign_in(fx->db, id, "999999", &role, &err), GQ_EPERM);
	t += 4000;
	clock_set_fixed(t);
	assert_int_equal(auth_sign_in(fx->db, id, "999999", &role, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "1 tries left"));
	t += 8000;
	clock_set_fixed(t);
	/* The fifth locks the account for 15 minutes, the right PIN too. */
	assert_int_equal(auth_sign_in(fx->db, id, "999999", &role, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "locked"));
	t += 60000;
	clock_set_fixed(t);
	assert_int_equal(auth_sign_in(fx->db, id, "480215", &role, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "locked"));
	assert_int_equal(q_int(fx->db, "SELECT failures FROM user_secret", NULL), 5);
	/* The lock runs out. */
	t += AUTH_LOCK_MS;
	clock_set_fixed(t);
	OK(auth_sign_in(fx->db, id, "480215", &role, &err));
	assert_int_equal(q_int(fx->db, "SELECT failures FROM user_secret", NULL), 0);
	clock_set_fixed(TEST_NOW_MS);
}

static void test_unlock(void **state)
{
	struct fixture *fx = *state;
	char id[UID_LEN + 1];
	struct gq_err err;
	enum auth_role role;
	int i;
	int64_t t = TEST_NOW_MS;

	add_user(fx->db, "余晓燕", "grid_worker", "480215", id);
	for (i = 0; i < AUTH_MAX_FAILURES; i++) {
		assert_int_equal(auth_sign_in(fx->db, id, "135790", &role, &err), GQ_EPERM);
		t += 60000;
		clock_set_fixed(t);
	}
	assert_int_equal(auth_sign_in(fx->db, id, "480215", &role, &err), GQ_EPERM);
	OK(auth_unlock(fx->db, id, &err));
	OK(auth_sign_in(fx->db, id, "480215", &role, &err));
	assert_int_equal(role, AUTH_GRID_WORKER);
	/* A new PIN replaces the old one. */
	OK(auth_set_pin(fx->db, id, "602714", &err));
	assert_int_equal(auth_sign_in(fx->db, id, "480215", &role, &err), GQ_EPERM);
	t += 60000;
	clock_set_fixed(t);
	OK(auth_sign_in(fx->db, id, "602714", &role, &err));
	clock_set_fixed(TEST_NOW_MS);
}

static void test_roles(void **state)
{
	struct gq_err err;

	(void)state;
	assert_true(auth_can(AUTH_GRID_WORKER, DB_ROLE_STATION, AUTH_EDIT_RECORDS));
	assert_false(auth_can(AUTH_GRID_WORKER, DB_ROLE_STATION, AUTH_EXCHANGE));
	assert_false(auth_can(AUTH_GRID_WORKER, DB_ROLE_STATION, AUTH_MANAGE_USERS));
	assert_false(auth_can(AUTH_GRID_WORKER, DB_ROLE_STATION, AUTH_EDIT_ANY_VISIT));
	assert_true(auth_can(AUTH_STATION_ADMIN, DB_ROLE_STATION, AUTH_EXCHANGE));
	assert_false(auth_can(AUTH_STATION_ADMIN, DB_ROLE_STATION, AUTH_DECIDE));
	assert_true(auth_can(AUTH_COUNTY_STAFF, DB_ROLE_COUNTY, AUTH_DECIDE));
	assert_true(auth_can(AUTH_COUNTY_STAFF, DB_ROLE_COUNTY, AUTH_CONFLICTS));
	assert_false(auth_can(AUTH_COUNTY_STAFF, DB_ROLE_COUNTY, AUTH_ENROL));
	assert_false(auth_can(AUTH_COUNTY_STAFF, DB_ROLE_COUNTY, AUTH_MANAGE_USERS));
	assert_true(auth_can(AUTH_COUNTY_ADMIN, DB_ROLE_COUNTY, AUTH_ENROL));
	/* A county role has no rights at a station, nor a station role at the county. */
	assert_false(auth_can(AUTH_COUNTY_ADMIN, DB_ROLE_STATION, AUTH_READ));
	assert_false(auth_can(AUTH_STATION_ADMIN, DB_ROLE_COUNTY, AUTH_READ));
	assert_false(auth_can(AUTH_NONE, DB_ROLE_STATION, AUTH_READ));
	assert_int_equal(auth_role_from_code("county_staff"), AUTH_COUNTY_STAFF);
	assert_int_equal(auth_role_from_code("网格员"), AUTH_NONE);
	assert_int_equal(auth_role_from_code(NULL), AUTH_NONE);
	assert_int_equal(auth_refuse(AUTH_GRID_WORKER, AUTH_EXCHANGE, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "grid worker"));
}

static void test_own_visit_window(void **state)
{
	struct fixture *fx = *state;
	char worker[UID_LEN + 1], other[UID_LEN + 1], pid[UID_LEN + 1], vid[UID_LEN + 1];
	struct rec_value p[] = { { "name", "张小雨" }, { "birth_date", "2016-05-01" } };
	struct rec_value v[] = { { "person_id", pid }, { "form_id", "death_report" }, { "answers", NULL } };
	struct gq_err err;
	enum auth_role role;

	add_user(fx->db, "王春梅", "grid_worker", "480215", worker);
	add_user(fx->db, "李建军", "grid_worker", "602714", other);
	OK(record_create(fx->db, table_find("person"), p, 2, NULL, pid, &err));
	OK(auth_sign_in(fx->db, worker, "480215", &role, &err));
	v[2].text = "{\"death_date\":\"2026-11-20\",\"death_place\":\"home\",\"cause\":\"illness\","
		    "\"certificate\":\"medical\",\"burial_kind\":\"tree\",\"family_poor\":\"no\","
		    "\"informant_name\":\"张强\",\"informant_relation\":\"spouse\","
		    "\"informant_phone\":\"13812345678\"}";
	if (record_create(fx->db, table_find("visit"), v, 3, NULL, vid, &err) != GQ_OK)
		fail_msg("the test visit was not saved: %s", err.msg);
	/* The creator, within 7 days. */
	OK(auth_may_edit_visit(fx->db, role, vid, &err));
	/* Past 7 days only an admin. */
	clock_set_fixed(TEST_NOW_MS + AUTH_OWN_VISIT_MS + 1000);
	assert_int_equal(auth_may_edit_visit(fx->db, role, vid, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "7 days"));
	assert_int_equal(auth_may_edit_visit(fx->db, AUTH_STATION_ADMIN, vid, &err), GQ_OK);
	clock_set_fixed(TEST_NOW_MS);
	/* Another grid worker never. */
	OK(auth_sign_in(fx->db, other, "602714", &role, &err));
	assert_int_equal(auth_may_edit_visit(fx->db, role, vid, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "recorded this visit"));
}

static void test_mask(void **state)
{
	char out[32];

	(void)state;
	auth_mask_id("41152420150101001X", out, sizeof(out));
	assert_string_equal(out, "4115**********001X");
	auth_mask_id("", out, sizeof(out));
	assert_string_equal(out, "");
	auth_mask_id(NULL, out, sizeof(out));
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_form),
		cmocka_unit_test_setup_teardown(test_no_default_pin, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sign_in_and_delays, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unlock, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_own_visit_window, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_mask),
	};

	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
