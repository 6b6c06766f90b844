/* test_record.c - every kind of record: create, load, update, tombstone;
 * the validation that refuses a record leaves nothing written; the demo. */
#include "config.h"

#include <ctype.h>
#include <uuid/uuid.h>

#include "coretest.h"

#include "guanqing/auth.h"
#include "guanqing/demo.h"
#include "guanqing/dump.h"
#include "guanqing/record.h"
#include "guanqing/tables.h"
#include "guanqing/uid.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* Expect GQ_OK, or fail with the message in err. */
#define OK(call) do { if ((call) != GQ_OK) fail_msg("%s", err.msg); } while (0)

/* A GB 11643 number of Shangcheng County. */
static void idnum(const char *birth, int seq, char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0;

	snprintf(out, 19, "411524%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, seq % 1000);
	for (i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static enum gq_status create(struct gq_db *db, const char *table,
			     const struct rec_value *v, size_t n, char *id,
			     struct gq_err *err)
{
	gq_err_clear(err);
	return record_create(db, table_find(table), v, n, NULL, id, err);
}

/* Rows of every synced table plus change-log rows. */
static long long snapshot(struct gq_db *db)
{
	char sql[128];
	long long n = q_int(db, "SELECT count(*) FROM change_log", NULL);
	size_t i;

	for (i = 0; i < tables_count; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables_all[i]->name);
		n += q_int(db, sql, NULL);
	}
	return n;
}

static void add_person(struct gq_db *db, const char *name, const char *birth,
		       int seq, char *id)
{
	char idn[19];
	struct gq_err err;
	struct rec_value v[] = { { "name", name }, { "id_number", idn } };

	idnum(birth, seq, idn);
	assert_int_equal(create(db, "person", v, N(v), id, &err), GQ_OK);
}

static void test_person_lifecycle(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	struct record *r = NULL;
	char id[UID_LEN + 1], idn[19];
	struct rec_value v[] = {
		{ "name", "王桂英" }, { "id_number", idn }, { "phone", "138-3761-2345" },
	};
	struct rec_value up[] = { { "phone", "13912345678" }, { "notes", "独居，耳背，需大声说话" } };

	idnum("1944-03-08", 122, idn);
	assert_int_equal(create(fx->db, "person", v, N(v), id, &err), GQ_OK);
	assert_true(uid_valid(id));
	assert_int_equal(record_load(fx->db, table_find("person"), id, &r, &err), GQ_OK);
	assert_string_equal(record_get(r, "name"), "王桂英");
	/* Sex and birth date derived from the ID number. */
	assert_string_equal(record_get(r, "sex"), "F");
	assert_string_equal(record_get(r, "birth_date"), "1944-03-08");
	assert_string_equal(record_get(r, "phone"), "13837612345");
	assert_string_equal(record_get(r, "status"), "active");
	assert_string_equal(r->village, TEST_VILLAGE);
	record_free(&r);
	assert_null(r);
	assert_int_equal(record_update(fx->db, table_find("person"), id, up, N(up), &err), GQ_OK);
	assert_int_equal(record_load(fx->db, table_find("person"), id, &r, &err), GQ_OK);
	assert_string_equal(record_get(r, "phone"), "13912345678");
	assert_string_equal(record_get(r, "notes"), "独居，耳背，需大声说话");
	assert_int_equal(r->deleted, 0);
	record_free(&r);
	assert_int_equal(record_delete(fx->db, table_find("person"), id, &err), GQ_OK);
	assert_int_equal(record_load(fx->db, table_find("person"), id, &r, &err), GQ_OK);
	assert_int_equal(r->deleted, 1);
	record_free(&r);
	/* A tombstoned row cannot be changed. */
	assert_int_not_equal(record_update(fx->db, table_find("person"), id, up, 1, &err), GQ_OK);
}

struct kind_case {
	const char *table;
	struct rec_value v[8];
	size_t n;
	const char *up_field, *up_value;
};

/* Every kind: create from text, read back, change one field, tombstone. */
static void test_every_kind(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char user[UID_LEN + 1], grid[UID_LEN + 1], hh[UID_LEN + 1];
	char child[UID_LEN + 1], elder[UID_LEN + 1], gma[UID_LEN + 1];
	char fac[UID_LEN + 1], id[UID_LEN + 1];
	struct rec_value uv[] = { { "name", "李建军" }, { "role", "grid_worker" }, { "phone", "13603761234" } };
	struct rec_value gv[] = { { "name", "第二网格" }, { "worker_id", user } };
	struct rec_value hv[] = { { "address", "宋岗村王湾组12号" }, { "grid_id", grid } };
	struct rec_value fv[] = { { "kind", "canteen" }, { "name", "宋岗村老年食堂" }, { "delivers_meals", "1" } };
	size_t i;

	assert_int_equal(create(fx->db, "users", uv, N(uv), user, &err), GQ_OK);
	assert_int_equal(create(fx->db, "grid", gv, N(gv), grid, &err), GQ_OK);
	assert_int_equal(create(fx->db, "household", hv, N(hv), hh, &err), GQ_OK);
	add_person(fx->db, "张子涵", "2014-06-01", 22, child);
	add_person(fx->db, "汪德明", "1938-01-20", 13, elder);
	add_person(fx->db, "张秀珍", "1956-09-09", 42, gma);
	assert_int_equal(create(fx->db, "facility", fv, N(fv), fac, &err), GQ_OK);
	{
		struct kind_case cases[] = {
			{ "users", { { "name", "余晓燕" }, { "role", "station_admin" } }, 2, "phone", "15037612345" },
			{ "grid", { { "name", "第三网格" } }, 1, "worker_id", user },
			{ "household", { { "address", "宋岗村李岗组3号" } }, 1, "head_id", elder },
			{ "person", { { "name", "解雨桐" }, { "sex", "F" }, { "birth_date", "2016-02-29" } }, 3, "household_id", hh },
			{ "person_category", { { "person_id", child }, { "category", "left_behind_child" } }, 2, "end_date", "2026-12-31" },
			{ "guardian", { { "person_id", child }, { "kind", "father" }, { "name", "张伟" }, { "working_away", "1" }, { "away_place", "广东东莞" } }, 5, "phone", "13712345678" },
			{ "visit", { { "person_id", elder }, { "form_id", "elderly_visit" }, { "visit_date", "2026-11-20" },
				     { "answers", "{\"visit_kind\":\"phone\",\"elder_seen\":\"no\",\"elder_not_seen_reason\":\"在女儿家\",\"meals\":\"family\",\"delivery_needed\":\"no\",\"daily_check\":\"child\",\"check_frequency\":\"daily\",\"emergency_contact_reached\":\"yes\",\"next_visit\":\"2026-12-20\"}" } }, 4, "notes", "下周入户" },
			{ "application", { { "person_id", elder }, { "kind", "meal_subsidy" }, { "amount_asked", "150" } }, 3, "notes", "高龄独居" },
			{ "facility", { { "kind", "meal_site" }, { "name", "宋岗村幸福院助餐点" } }, 2, "capacity", "30" },
			{ "meal_service", { { "facility_id", fac }, { "person_id", elder }, { "meals", "2" }, { "delivered", "1" } }, 4, "meals", "3" },
			{ "activity", { { "kind", "civilised_memorial" }, { "title", "清明文明祭扫宣传" }, { "leaflets", "300" }, { "banners", "4" } }, 4, "participants", "45" },
			{ "referral", { { "person_id", child }, { "reason", "监护人重病住院，儿童无人照料" } }, 2, "status", "accepted" },
			{ "death_report", { { "person_id", elder }, { "death_date", "2026-11-01" }, { "burial_kind", "tree" } }, 3, "fee_waiver", "1" },
		};

		for (i = 0; i < N(cases); i++) {
			const struct table_def *t = table_find(cases[i].table);
			struct record *r = NULL;
			struct rec_value up = { cases[i].up_field, cases[i].up_value };

			assert_non_null(t);
			gq_err_clear(&err);
			if (record_create(fx->db, t, cases[i].v, cases[i].n, NULL, id, &err) != GQ_OK)
				fail_msg("%s: %s", cases[i].table, err.msg);
			assert_int_equal(record_load(fx->db, t, id, &r, &err), GQ_OK);
			assert_string_equal(record_get(r, cases[i].v[0].field) ? "set" : "", "set");
			assert_int_equal(r->deleted, 0);
			record_free(&r);
			if (record_update(fx->db, t, id, &up, 1, &err) != GQ_OK)
				fail_msg("%s update: %s", cases[i].table, err.msg);
			assert_int_equal(record_load(fx->db, t, id, &r, &err), GQ_OK);
			if (strcmp(cases[i].up_field, "amount_asked"))
				assert_string_equal(record_get(r, cases[i].up_field), cases[i].up_value);
			record_free(&r);
			if (record_delete(fx->db, t, id, &err) != GQ_OK)
				fail_msg("%s delete: %s", cases[i].table, err.msg);
			assert_int_equal(record_load(fx->db, t, id, &r, &err), GQ_OK);
			assert_int_equal(r->deleted, 1);
			record_free(&r);
		}
	}
	/* Withdrawing the death report made the old man active again. */
	{
		char buf[32];

		assert_string_equal(q_text(fx->db, "SELECT status FROM person WHERE id = ?1", elder,
					   buf, sizeof(buf)), "active");
	}
}

/* A refusal: the status, a piece of the message, and nothing written. */
static void refused(struct fixture *fx, const char *table,
		    const struct rec_value *v, size_t n, enum gq_status want,
		    const char *msg_part)
{
	struct gq_err err;
	char id[UID_LEN + 1];
	long long before = snapshot(fx->db);
	enum gq_status rc = create(fx->db, table, v, n, id, &err);

	if (rc != want)
		fail_msg("%s: expected status %d, got %d (%s)", table, want, rc, err.msg);
	if (msg_part && !strstr(err.msg, msg_part))
		fail_msg("message \"%s\" does not contain \"%s\"", err.msg, msg_part);
	assert_int_equal(snapshot(fx->db), before);
	assert_int_equal(fx->db->depth, 0);
}

static void test_person_refusals(void **state)
{
	struct fixture *fx = *state;
	char id[UID_LEN + 1], idn[19], bad[19], name31[31 * 3 + 1];
	size_t i;

	add_person(fx->db, "仇玉兰", "1950-05-05", 124, id);
	idnum("1950-05-05", 124, idn);
	snprintf(bad, sizeof(bad), "%s", idn);
	bad[17] = bad[17] == '0' ? '1' : '0';
	{
		struct rec_value v[] = { { "name", "单国强" }, { "id_number", bad } };

		refused(fx, "person", v, N(v), GQ_EINVAL, NULL);
	}
	{
		struct rec_value v[] = { { "name", "单国强" }, { "id_number", idn } };

		refused(fx, "person", v, N(v), GQ_EEXIST, "仇玉兰");
	}
	{
		/* The 17th digit 4 is even: a woman; and born 1950-05-05. */
		struct rec_value v[] = { { "name", "曾春生" }, { "id_number", "" }, { "sex", "M" } };
		char other[19];

		idnum("1961-07-07", 124, other);
		v[1].text = other;
		refused(fx, "person", v, N(v), GQ_EINVAL, NULL);
		v[2].field = "birth_date";
		v[2].text = "1961-07-08";
		refused(fx, "person", v, N(v), GQ_EINVAL, NULL);
	}
	name31[0] = '\0';
	for (i = 0; i < 31; i++)
		strcat(name31, "王");
	{
		struct rec_value v[] = { { "name", name31 } };

		refused(fx, "person", v, N(v), GQ_EINVAL, "31");
		name31[30 * 3] = '\0';
		assert_int_equal(create(fx->db, "person", v, 1, id, &(struct gq_err){ 0 }), GQ_OK);
	}
	{
		struct rec_value v[] = { { "name", "王\xff李" } };

		refused(fx, "person", v, N(v), GQ_EINVAL, NULL);
	}
	{
		struct rec_value v[] = { { "name", "李明" }, { "phone", "12345" } };

		refused(fx, "person", v, N(v), GQ_EINVAL, NULL);
	}
}

static void test_scope_and_county_fields(void **state)
{
	struct fixture *fx = *state;
	char pid[UID_LEN + 1], foreign[UID_LEN + 1];
	sqlite3_stmt *st;

	add_person(fx->db, "黄梓轩", "2012-10-10", 31, pid);
	/* A household of another village (written behind the record layer,
	 * as a merge from the county would). */
	uid_new(foreign);
	assert_int_equal(sqlite3_prepare_v2(fx->db->h,
		"INSERT INTO household (id, origin, village, created_at, updated_at, deleted, address)"
		" VALUES (?1, 'county', '411524103201', '2026-01-01', '2026-01-01', 0, '别村1号')",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, foreign, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	{
		struct rec_value v[] = { { "name", "黄浩宇" }, { "household_id", foreign } };

		refused(fx, "person", v, N(v), GQ_EINVAL, "411524103201");
	}
	{
		struct rec_value v[] = {
			{ "person_id", pid }, { "kind", "school_aid" }, { "status", "approved" },
		};

		refused(fx, "application", v, N(v), GQ_EPERM, NULL);
		v[2].field = "amount_granted";
		v[2].text = "800";
		refused(fx, "application", v, N(v), GQ_EPERM, NULL);
	}
	{
		struct rec_value v[] = { { "person_id", pid }, { "form_id", "child_visit" }, { "risk_level", "low" } };

		refused(fx, "visit", v, N(v), GQ_EINVAL, NULL);
	}
}

static void test_death_report(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char pid[UID_LEN + 1], id[UID_LEN + 1], buf[32];
	struct rec_value d[] = {
		{ "person_id", pid }, { "death_date", "2026-10-15" }, { "burial_kind", "tree" },
		{ "fee_waiver", "1" }, { "informant", "曾国庆" },
	};
	struct rec_value v[] = {
		{ "person_id", pid }, { "form_id", "elderly_visit" },
		{ "answers", "{\"visit_kind\":\"phone\",\"elder_seen\":\"no\",\"elder_not_seen_reason\":\"住院\",\"meals\":\"family\",\"delivery_needed\":\"no\",\"daily_check\":\"child\",\"check_frequency\":\"daily\",\"emergency_contact_reached\":\"yes\",\"next_visit\":\"2026-12-20\"}" },
	};

	add_person(fx->db, "曾秀英", "1936-03-12", 222, pid);
	OK(create(fx->db, "visit", v, N(v), id, &err));
	OK(create(fx->db, "death_report", d, N(d), id, &err));
	assert_string_equal(q_text(fx->db, "SELECT status FROM person WHERE id = ?1", pid, buf, sizeof(buf)),
			    "deceased");
	assert_string_equal(q_text(fx->db, "SELECT status_date FROM person WHERE id = ?1", pid, buf, sizeof(buf)),
			    "2026-10-15");
	refused(fx, "visit", v, N(v), GQ_EINVAL, "曾秀英");
	refused(fx, "death_report", d, N(d), GQ_EEXIST, NULL);
	{
		struct rec_value a[] = { { "person_id", pid }, { "kind", "dibao" } };

		refused(fx, "application", a, N(a), GQ_EINVAL, "曾秀英");
	}
	{
		/* Dying before being born. */
		char p2[UID_LEN + 1];
		struct rec_value e[] = { { "person_id", p2 }, { "death_date", "1930-01-01" }, { "burial_kind", "lawn" } };

		add_person(fx->db, "徐长海", "1940-02-02", 11, p2);
		refused(fx, "death_report", e, N(e), GQ_EINVAL, NULL);
	}
}

static void test_visit_form_rules(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	struct record *r = NULL;
	char pid[UID_LEN + 1], id[UID_LEN + 1];
	const char *base =
		"{\"visit_kind\":\"home\",\"child_seen\":\"yes\",\"guardian_present\":\"yes\",\"guardian_relation\":\"grandparent\","
		"\"guardian_health\":\"healthy\",\"guardian_care\":\"good\",\"parents_contact\":\"weekly\","
		"\"school_status\":\"in_school\",\"grade\":\"primary_6\",\"health\":\"healthy\","
		"\"psych_state\":\"good\",\"next_visit\":\"2026-12-20\"}";
	const char *high =
		"{\"visit_kind\":\"home\",\"child_seen\":\"yes\",\"guardian_present\":\"no\",\"guardian_absent_reason\":\"住院\","
		"\"guardian_relation\":\"grandparent\",\"guardian_health\":\"serious\",\"guardian_care\":\"unable\","
		"\"parents_contact\":\"monthly\",\"school_status\":\"in_school\",\"grade\":\"primary_6\","
		"\"health\":\"healthy\",\"psych_state\":\"good\",\"next_visit\":\"2026-12-20\"}";
	/* guardian_absent_reason hidden (guardian present): dropped. */
	const char *hidden =
		"{\"visit_kind\":\"home\",\"child_seen\":\"yes\",\"guardian_present\":\"yes\",\"guardian_absent_reason\":\"外出\","
		"\"guardian_relation\":\"grandparent\",\"guardian_health\":\"healthy\",\"guardian_care\":\"good\","
		"\"parents_contact\":\"weekly\",\"school_status\":\"in_school\",\"grade\":\"primary_6\","
		"\"health\":\"healthy\",\"psych_state\":\"good\",\"next_visit\":\"2026-12-20\"}";
	/* grade is required when in school. */
	const char *missing =
		"{\"visit_kind\":\"home\",\"child_seen\":\"yes\",\"guardian_present\":\"yes\",\"guardian_relation\":\"grandparent\","
		"\"guardian_health\":\"healthy\",\"guardian_care\":\"good\",\"parents_contact\":\"weekly\","
		"\"school_status\":\"in_school\",\"health\":\"healthy\",\"psych_state\":\"good\",\"next_visit\":\"2026-12-20\"}";
	struct rec_value v[] = {
		{ "person_id", pid }, { "form_id", "child_visit" }, { "visit_date", "2026-11-20" },
		{ "answers", base }, { "visit_kind", NULL },
	};

	add_person(fx->db, "余一诺", "2014-04-04", 62, pid);
	OK(create(fx->db, "visit", v, 4, id, &err));
	assert_int_equal(record_load(fx->db, table_find("visit"), id, &r, &err), GQ_OK);
	assert_string_equal(record_get(r, "risk_level"), "low");
	assert_string_equal(record_get(r, "followup_due"), "2026-12-20");	/* agreed date, before +90 */
	assert_string_equal(record_get(r, "form_version"), "1");
	record_free(&r);

	v[3].text = high;
	OK(create(fx->db, "visit", v, 4, id, &err));
	assert_int_equal(record_load(fx->db, table_find("visit"), id, &r, &err), GQ_OK);
	assert_string_equal(record_get(r, "risk_level"), "high");
	assert_string_equal(record_get(r, "followup_due"), "2026-11-27");	/* +7 */
	record_free(&r);

	v[3].text = hidden;
	OK(create(fx->db, "visit", v, 4, id, &err));
	assert_int_equal(record_load(fx->db, table_find("visit"), id, &r, &err), GQ_OK);
	assert_null(strstr(record_get(r, "answers"), "guardian_absent_reason"));
	record_free(&r);

	v[3].text = missing;
	refused(fx, "visit", v, 4, GQ_EINVAL, NULL);
	v[3].text = "{\"child_seen\":\"maybe\"}";
	refused(fx, "visit", v, 4, GQ_EINVAL, NULL);
	v[3].text = "{not json";
	refused(fx, "visit", v, 4, GQ_ECORRUPT, NULL);
	v[3].text = base;
	v[1].text = "no_such_form";
	refused(fx, "visit", v, 4, GQ_ENOTFOUND, NULL);
	/* A follow-up before the visit is refused. */
	v[1].text = "child_visit";
	v[4].field = "followup_due";
	v[4].text = "2026-11-01";
	refused(fx, "visit", v, 5, GQ_EINVAL, NULL);
}

static void count_rows(struct gq_db *db, long long *counts)
{
	char sql[128];
	size_t i;

	for (i = 0; i < tables_count; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables_all[i]->name);
		counts[i] = q_int(db, sql, NULL);
	}
}

static void test_demo(void **state)
{
	struct fixture *fx = *state;
	struct fixture *fx2;
	struct gq_err err;
	long long c1[32], c2[32];
	long long persons, n;
	int problems = -1;
	FILE *null = fopen("/dev/null", "w");

	gq_err_clear(&err);
	if (demo_populate(fx->db, 7, 0, &err) != GQ_OK)
		fail_msg("demo: %s", err.msg);
	assert_int_equal(fx->db->depth, 0);
	assert_int_equal(dump_check(fx->db, stderr, &problems, &err), GQ_OK);
	assert_int_equal(problems, 0);
	persons = q_int(fx->db, "SELECT count(*) FROM person", NULL);
	assert_in_range(persons, 140, 170);
	assert_in_range(q_int(fx->db, "SELECT count(*) FROM household", NULL), 35, 60);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM grid", NULL), 3);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM users WHERE role = 'grid_worker'", NULL), 3);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM person WHERE status = 'deceased'", NULL), 1);
	assert_int_equal(q_int(fx->db, "SELECT count(DISTINCT form_id) FROM visit", NULL), 4);
	assert_true(q_int(fx->db, "SELECT count(*) FROM visit WHERE risk_level = 'high'", NULL) > 0);
	assert_true(q_int(fx->db, "SELECT count(*) FROM visit WHERE followup_due < '2026-11-28'", NULL) > 0);
	assert_true(q_int(fx->db, "SELECT count(*) FROM visit WHERE followup_due BETWEEN '2026-11-28' AND '2026-12-05'", NULL) > 0);
	assert_true(q_int(fx->db, "SELECT count(*) FROM visit WHERE visit_date >= '2026-11-01'", NULL) > 0);
	assert_int_equal(q_int(fx->db, "SELECT count(DISTINCT kind) FROM application WHERE status = 'submitted'", NULL), 6);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM facility WHERE kind = 'canteen' AND delivers_meals = 1", NULL), 1);
	assert_true(q_int(fx->db, "SELECT count(*) FROM meal_service WHERE delivered = 1", NULL) > 0);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM activity WHERE kind = 'civilised_memorial' AND leaflets > 0 AND banners > 0", NULL), 1);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM referral", NULL), 1);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM death_report WHERE burial_kind IN ('tree','flower','lawn','scattering','wall')", NULL), 1);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM person_category WHERE category = 'orphan'", NULL), 1);
	n = q_int(fx->db, "SELECT count(*) FROM guardian WHERE working_away = 1 AND away_place IS NOT NULL", NULL);
	assert_true(n > 5);
	/* Every ID number is of this county. */
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM person WHERE id_number NOT LIKE '411524%'", NULL), 0);

	/* The same seed gives the same records (ids aside). */
	count_rows(fx->db, c1);
	fx2 = fixture_dir();
	assert_int_equal(db_open(fx2->path, 1, &fx2->db, &err), GQ_OK);
	assert_int_equal(station_init_village(fx2->db, TEST_VILLAGE, &err), GQ_OK);
	assert_int_equal(demo_populate(fx2->db, 7, 0, &err), GQ_OK);
	count_rows(fx2->db, c2);
	assert_memory_equal(c1, c2, tables_count * sizeof(c1[0]));
	assert_int_equal(q_int(fx2->db, "SELECT count(*) FROM change_log", NULL),
			 q_int(fx->db, "SELECT count(*) FROM change_log", NULL));
	{
		char a[4096] = "", b[4096] = "";

		q_text(fx->db, "SELECT group_concat(name || id_number || coalesce(phone, ''), ',') FROM"
		       " (SELECT * FROM person ORDER BY id_number)", NULL, a, sizeof(a));
		q_text(fx2->db, "SELECT group_concat(name || id_number || coalesce(phone, ''), ',') FROM"
		       " (SELECT * FROM person ORDER BY id_number)", NULL, b, sizeof(b));
		assert_string_equal(a, b);
	}
	fixture_teardown((void **)&fx2);
	/* A small demo. */
	fx2 = fixture_dir();
	assert_int_equal(db_open(fx2->path, 1, &fx2->db, &err), GQ_OK);
	assert_int_equal(station_init_village(fx2->db, TEST_VILLAGE, &err), GQ_OK);
	assert_int_equal(demo_populate(fx2->db, 3, 20, &err), GQ_OK);
	assert_in_range(q_int(fx2->db, "SELECT count(*) FROM person", NULL), 18, 30);
	fixture_teardown((void **)&fx2);
	fclose(null);
}

/* The 7-day rule for one's own visits is kept by the save path itself,
 * from the role kept on the database at sign-in: no screen or command can
 * forget it. */
static void test_visit_edit_policy(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char pid[UID_LEN + 1], vid[UID_LEN + 1], w1[UID_LEN + 1], w2[UID_LEN + 1];
	const char *answers =
		"{\"visit_kind\":\"home\",\"child_seen\":\"yes\",\"guardian_present\":\"yes\",\"guardian_relation\":\"grandparent\","
		"\"guardian_health\":\"healthy\",\"guardian_care\":\"good\",\"parents_contact\":\"weekly\","
		"\"school_status\":\"in_school\",\"grade\":\"primary_6\",\"health\":\"healthy\","
		"\"psych_state\":\"good\"}";
	struct rec_value u1[] = { { "name", "王春梅" }, { "role", "grid_worker" } };
	struct rec_value u2[] = { { "name", "李建军" }, { "role", "grid_worker" } };
	struct rec_value v[] = { { "person_id", pid }, { "form_id", "child_visit" }, { "answers", answers } };
	struct rec_value notes[] = { { "notes", "孩子在家写作业" } };

	OK(create(fx->db, "users", u1, N(u1), w1, &err));
	OK(create(fx->db, "users", u2, N(u2), w2, &err));
	add_person(fx->db, "余一诺", "2014-04-04", 62, pid);
	snprintf(fx->db->user_id, sizeof(fx->db->user_id), "%s", w1);
	auth_act_as(fx->db, AUTH_GRID_WORKER);
	OK(create(fx->db, "visit", v, N(v), vid, &err));
	/* Its author may change it. */
	gq_err_clear(&err);
	OK(record_update(fx->db, table_find("visit"), vid, notes, 1, &err));
	/* Another grid worker may not, neither change nor delete it. */
	snprintf(fx->db->user_id, sizeof(fx->db->user_id), "%s", w2);
	gq_err_clear(&err);
	assert_int_equal(record_update(fx->db, table_find("visit"), vid, notes, 1, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "Only the grid worker who recorded this visit"));
	gq_err_clear(&err);
	assert_int_equal(record_delete(fx->db, table_find("visit"), vid, &err), GQ_EPERM);
	/* Eight days later not even its author. */
	snprintf(fx->db->user_id, sizeof(fx->db->user_id), "%s", w1);
	clock_set_fixed(TEST_NOW_MS + 8LL * 86400000);
	gq_err_clear(&err);
	assert_int_equal(record_update(fx->db, table_find("visit"), vid, notes, 1, &err), GQ_EPERM);
	assert_non_null(strstr(err.msg, "more than 7 days"));
	/* A station admin may. */
	auth_act_as(fx->db, AUTH_STATION_ADMIN);
	gq_err_clear(&err);
	OK(record_update(fx->db, table_find("visit"), vid, notes, 1, &err));
	clock_set_fixed(TEST_NOW_MS);
}

/* The time in an id of uid_new_of(), read back from its bytes. */
static long long id_ms(const char *id)
{
	uuid_t u;

	assert_int_equal(uuid_parse(id, u), 0);
	return (long long)u[4] << 40 | (long long)u[5] << 32 | (long long)(u[6] & 0x0f) << 28 |
	       (long long)u[7] << 20 | (long long)(u[8] & 0x3f) << 14 | (long long)u[9] << 6 |
	       u[10] >> 2;
}

/* A station's ids start with the station's own and then the time, so
 * that they sort together and in the order they were made. */
static void test_ids_of_a_station(void **state)
{
	struct fixture *fx = *state;
	char a[UID_LEN + 1], b[UID_LEN + 1], c[UID_LEN + 1], many[200][UID_LEN + 1];
	const char *origin = "b40d6844-756e-4295-a5c1-749e46c579f6";
	size_t i, j;

	uid_new_of(origin, a);
	assert_true(uid_valid(a));
	assert_memory_equal(a, "b40d6844-", 9);
	assert_int_equal(a[14], '8');	/* version 8 */
	assert_non_null(strchr("89ab", a[19]));	/* the variant 10 */
	assert_int_equal(id_ms(a), TEST_NOW_MS);
	clock_set_fixed(TEST_NOW_MS + 1);
	uid_new_of(origin, b);
	clock_set_fixed(TEST_NOW_MS + 86400000LL * 365);
	uid_new_of(origin, c);
	clock_set_fixed(TEST_NOW_MS);
	assert_int_equal(id_ms(b), TEST_NOW_MS + 1);
	assert_int_equal(id_ms(c), TEST_NOW_MS + 86400000LL * 365);
	assert_true(strcmp(a, b) < 0);
	assert_true(strcmp(b, c) < 0);
	/* In one millisecond the random part tells them apart. */
	for (i = 0; i < N(many); i++) {
		uid_new_of(origin, many[i]);
		assert_memory_equal(many[i], a, 24);
		for (j = 0; j < i; j++)
			assert_string_not_equal(many[i], many[j]);
	}
	/* Without an origin (a database not yet initialised) the start is
	 * random, the rest as above. */
	uid_new_of("", b);
	assert_true(uid_valid(b));
	assert_int_equal(b[14], '8');
	/* Every record the station saves has such an id. */
	add_person(fx->db, "陈思远", "2013-05-06", 41, c);
	assert_memory_equal(c, fx->db->station_id, 8);
	assert_int_equal(c[14], '8');
	assert_int_equal(id_ms(c), TEST_NOW_MS);
}

/* An id may be given by 6 or more characters of its start or of its
 * end, when they name one live record. */
static void test_id_by_its_start_or_end(void **state)
{
	struct fixture *fx = *state;
	const struct table_def *t = table_find("person");
	char p1[UID_LEN + 1], p2[UID_LEN + 1], got[UID_LEN + 1];
	struct gq_err err;

	add_person(fx->db, "刘欣怡", "2011-02-03", 51, p1);
	add_person(fx->db, "刘子涵", "2012-03-04", 52, p2);
	/* The end of each names it. */
	gq_err_clear(&err);
	OK(record_resolve_id(fx->db, t, p1 + UID_LEN - 8, got, &err));
	assert_string_equal(got, p1);
	OK(record_resolve_id(fx->db, t, p2 + UID_LEN - 12, got, &err));
	assert_string_equal(got, p2);
	/* In capitals too, and the whole id. */
	{
		char up[UID_LEN + 1];
		size_t i;

		for (i = 0; i <= UID_LEN; i++)
			up[i] = (char)toupper((unsigned char)p2[i]);
		OK(record_resolve_id(fx->db, t, up + UID_LEN - 10, got, &err));
		assert_string_equal(got, p2);
		OK(record_resolve_id(fx->db, t, up, got, &err));
		assert_string_equal(got, p2);
	}
	/* The start they share, the station's, names both: refused. */
	{
		char start[9];

		snprintf(start, sizeof(start), "%.8s", p1);
		gq_err_clear(&err);
		assert_int_equal(record_resolve_id(fx->db, t, start, got, &err), GQ_EINVAL);
		assert_non_null(strstr(err.msg, "matches more than one"));
	}
	/* Five characters are too few; a character that is not hex is
	 * refused, not read as a pattern. */
	gq_err_clear(&err);
	assert_int_equal(record_resolve_id(fx->db, t, p1 + UID_LEN - 5, got, &err), GQ_EINVAL);
	assert_non_null(strstr(err.msg, "at least 6 characters of its start or of its end"));
	gq_err_clear(&err);
	assert_int_equal(record_resolve_id(fx->db, t, "%%%%%%", got, &err), GQ_EINVAL);
	gq_err_clear(&err);
	assert_int_equal(record_resolve_id(fx->db, t, "ffffffffff", got, &err), GQ_ENOTFOUND);
	/* A deleted record: its whole id still names it, its end no more. */
	OK(record_delete(fx->db, t, p1, &err));
	gq_err_clear(&err);
	assert_int_equal(record_resolve_id(fx->db, t, p1 + UID_LEN - 8, got, &err), GQ_ENOTFOUND);
	OK(record_resolve_id(fx->db, t, p1, got, &err));
	assert_string_equal(got, p1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_person_lifecycle, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ids_of_a_station, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_id_by_its_start_or_end, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_every_kind, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_person_refusals, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_scope_and_county_fields, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_death_report, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_visit_form_rules, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_demo, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_visit_edit_policy, fixture_setup, fixture_teardown),
	};

	fixture_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
