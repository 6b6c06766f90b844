/* test_db.c - the database file, migrations, transactions, the HLC and the
 * change log. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "coretest.h"

#include "guanqing/change.h"
#include "guanqing/hlc.h"
#include "guanqing/record.h"
#include "guanqing/schema.h"
#include "guanqing/tables.h"
#include "guanqing/uid.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define OK(call) do { if ((call) != GQ_OK) fail_msg("%s", err.msg); } while (0)

static int dir_setup(void **state)
{
	*state = fixture_dir();
	return 0;
}

static void test_fresh_db(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	struct stat sb;

	OK(db_open(fx->path, 1, &fx->db, &err));
	assert_int_equal(db_schema_version(fx->db), DB_SCHEMA_VERSION);
	assert_int_equal(db_schema_version(fx->db), DB_SCHEMA_VERSION);
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	db_close(&fx->db);
	assert_null(fx->db);
	db_close(&fx->db);	/* NULL is allowed */
	/* Opened again: nothing to migrate. */
	OK(db_open(fx->path, 0, &fx->db, &err));
	assert_int_equal(db_schema_version(fx->db), DB_SCHEMA_VERSION);
}

/* A database of an older schema (3: made by an older guanqing, with a
 * row in it) is copied beside itself, mode 0600, before it is migrated. */
static void test_backup_before_migration(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	struct stat sb;
	sqlite3 *h;
	char bak[256];
	int i, v = -1;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(fx->path, &h), SQLITE_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(sqlite3_exec(h, schema_migrations[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 3;"
				      " INSERT INTO meta (key, value) VALUES ('village', '宋岗村')",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(fx->path, 0600);
	OK(db_open(fx->path, 0, &fx->db, &err));
	assert_int_equal(db_schema_version(fx->db), DB_SCHEMA_VERSION);
	db_close(&fx->db);
	snprintf(bak, sizeof(bak), "%s.schema3-20261128T080000Z.bak", fx->path);
	assert_int_equal(stat(bak, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* The copy is the database as it was: schema 3, its row kept. */
	assert_int_equal(sqlite3_open_v2(bak, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(v, 3);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = 'village'", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "宋岗村");
	sqlite3_finalize(st);
	sqlite3_close(h);
	/* Opened again: nothing to migrate, no second copy. */
	OK(db_open(fx->path, 0, &fx->db, &err));
	snprintf(bak, sizeof(bak), "%s.schema4-20261128T080000Z.bak", fx->path);
	assert_int_not_equal(access(bak, F_OK), 0);
	unlink(bak);
	snprintf(bak, sizeof(bak), "%s.schema3-20261128T080000Z.bak", fx->path);
	unlink(bak);
}

static void test_missing_db_not_created(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;

	gq_err_clear(&err);
	assert_int_not_equal(db_open(fx->path, 0, &fx->db, &err), GQ_OK);
	assert_null(fx->db);
	assert_int_not_equal(access(fx->path, F_OK), 0);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	sqlite3 *h;

	assert_int_equal(sqlite3_open(fx->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	gq_err_clear(&err);
	assert_int_not_equal(db_open(fx->path, 0, &fx->db, &err), GQ_OK);
	assert_null(fx->db);
	assert_non_null(strstr(err.msg, fx->path));
	assert_non_null(strstr(err.msg, "99"));
	/* The file was left as it was. */
	assert_int_equal(sqlite3_open(fx->path, &h), SQLITE_OK);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 99);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
}

static void test_not_sqlite_refused(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	FILE *f = fopen(fx->path, "w");

	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("这不是数据库。This is not a database.\n", f);
	fclose(f);
	gq_err_clear(&err);
	assert_int_not_equal(db_open(fx->path, 0, &fx->db, &err), GQ_OK);
	assert_null(fx->db);
	assert_non_null(strstr(err.msg, fx->path));
}

static void test_meta(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char *v;

	OK(db_open(fx->path, 1, &fx->db, &err));
	assert_null(db_meta_get(fx->db, "说明"));
	assert_int_equal(db_meta_get_int(fx->db, "counter", 42), 42);
	OK(db_meta_set(fx->db, "说明", "宋岗村民政服务站", &err));
	OK(db_meta_set_int(fx->db, "counter", -7, &err));
	v = db_meta_get(fx->db, "说明");
	assert_string_equal(v, "宋岗村民政服务站");
	free(v);
	OK(db_meta_set(fx->db, "说明", "", &err));
	v = db_meta_get(fx->db, "说明");
	assert_non_null(v);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(db_meta_get_int(fx->db, "counter", 0), -7);
	/* Kept across opening again. */
	db_close(&fx->db);
	OK(db_open(fx->path, 0, &fx->db, &err));
	assert_int_equal(db_meta_get_int(fx->db, "counter", 0), -7);
}

static void test_nested_rollback(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char id[UID_LEN + 1];
	struct rec_value v[] = { { "name", "刘桂兰" } };
	long long persons, changes;
	char *m;

	persons = q_int(fx->db, "SELECT count(*) FROM person", NULL);
	changes = q_int(fx->db, "SELECT count(*) FROM change_log", NULL);
	OK(db_begin(fx->db, &err));
	OK(db_begin(fx->db, &err));
	OK(record_create(fx->db, table_find("person"), v, 1, NULL, id, &err));
	OK(db_meta_set(fx->db, "tmp", "1", &err));
	OK(db_commit(fx->db, &err));	/* inner level only */
	assert_int_equal(fx->db->depth, 1);
	db_rollback(fx->db);
	assert_int_equal(fx->db->depth, 0);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM person", NULL), persons);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_log", NULL), changes);
	m = db_meta_get(fx->db, "tmp");
	assert_null(m);
	/* An inner rollback keeps what the outer level did. */
	OK(db_begin(fx->db, &err));
	OK(record_create(fx->db, table_find("person"), v, 1, NULL, id, &err));
	OK(db_begin(fx->db, &err));
	v[0].text = "刘秀珍";
	OK(record_create(fx->db, table_find("person"), v, 1, NULL, id, &err));
	db_rollback(fx->db);
	OK(db_commit(fx->db, &err));
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM person", NULL), persons + 1);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM person WHERE name = '刘秀珍'", NULL), 0);
}

/* ---- HLC ------------------------------------------------------------ */

static void test_hlc_pure(void **state)
{
	int64_t now = TEST_NOW_MS;
	hlc_t a, b, c;
	int clamped = -1;

	(void)state;
	a = hlc_next(0, now);
	assert_int_equal(HLC_MS(a), now);
	assert_int_equal(HLC_COUNTER(a), 0);
	/* Same millisecond: the counter increments. */
	b = hlc_next(a, now);
	assert_true(b > a);
	assert_int_equal(HLC_MS(b), now);
	assert_int_equal(HLC_COUNTER(b), 1);
	/* The clock goes back an hour: still increasing. */
	c = hlc_next(b, now - 3600 * 1000);
	assert_true(c > b);
	assert_int_equal(HLC_MS(c), now);
	assert_int_equal(HLC_COUNTER(c), 2);
	/* A later clock resets the counter. */
	c = hlc_next(c, now + 5);
	assert_int_equal(HLC_MS(c), now + 5);
	assert_int_equal(HLC_COUNTER(c), 0);
	/* A station whose CMOS battery died: 2000-01-01. */
	a = hlc_next(0, 946684800000LL);
	assert_int_equal(HLC_MS(a), 946684800000LL);
	b = hlc_merge(a, hlc_make(now, 3), 946684800000LL, HLC_MAX_AHEAD_MS, &clamped);
	assert_int_equal(clamped, 1);	/* 2026 is far ahead of its 2000 */
	/* A remote clock in 2099 is clamped to now + 24 h. */
	a = hlc_next(0, now);
	b = hlc_merge(a, hlc_make(4102444800000LL, 0), now, HLC_MAX_AHEAD_MS, &clamped);
	assert_int_equal(clamped, 1);
	assert_true(b > a);
	assert_true(HLC_MS(b) >= now + HLC_MAX_AHEAD_MS);
	assert_true(HLC_MS(b) <= now + HLC_MAX_AHEAD_MS + 1);
	/* A remote a little ahead is taken as it is. */
	b = hlc_merge(a, hlc_make(now + 1000, 7), now, HLC_MAX_AHEAD_MS, &clamped);
	assert_int_equal(clamped, 0);
	assert_int_equal(HLC_MS(b), now + 1000);
	assert_int_equal(HLC_COUNTER(b), 8);
	/* NULL clamped is allowed. */
	b = hlc_merge(a, a, now, HLC_MAX_AHEAD_MS, NULL);
	assert_true(b > a);
}

static void test_hlc_persisted(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	hlc_t a, b, c;
	int clamped;
	char buf[40];

	OK(db_begin(fx->db, &err));
	OK(hlc_tick(fx->db, &a, &err));
	clock_set_fixed(TEST_NOW_MS - 86400000LL);	/* the clock goes back a day */
	OK(hlc_tick(fx->db, &b, &err));
	assert_true(b > a);
	OK(hlc_observe(fx->db, hlc_make(4102444800000LL, 0), &clamped, &err));
	assert_int_equal(clamped, 1);
	OK(db_commit(fx->db, &err));
	clock_set_fixed(TEST_NOW_MS);
	c = hlc_current(fx->db);
	assert_true(c > b);
	assert_true(HLC_MS(c) <= TEST_NOW_MS + HLC_MAX_AHEAD_MS + 1);
	hlc_format(hlc_make(TEST_NOW_MS, 3), buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-28T08:00:00.000Z+0003");
}

/* ---- change log ----------------------------------------------------- */

static void test_change_log_create(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char id[UID_LEN + 1], buf[64];
	struct rec_value v[] = {
		{ "name", "杨红霞" }, { "id_number", "411524198507150027" },
		{ "phone", "13903761234" }, { "notes", "" },
	};
	sqlite3_stmt *st;
	long long first = q_int(fx->db, "SELECT coalesce(max(oseq), 0) FROM change_log", NULL);
	long long n, prev_oseq, prev_hlc;

	/* Check character of 41152419850715002: computed by GB 11643. */
	OK(record_create(fx->db, table_find("person"), v, N(v), NULL, id, &err));
	/* name, id_number, phone, sex, birth_date, status (derived), and
	 * created_at and village; not the empty notes. */
	n = q_int(fx->db, "SELECT count(*) FROM change_log WHERE row_id = ?1", id);
	assert_int_equal(n, 8);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_log WHERE row_id = ?1 AND field = 'notes'", id), 0);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_log WHERE row_id = ?1 AND field IN"
			       " ('created_at', 'village', 'name', 'sex', 'birth_date')", id), 5);
	assert_string_equal(q_text(fx->db, "SELECT value FROM change_log WHERE row_id = ?1 AND field = 'village'",
				   id, buf, sizeof(buf)), TEST_VILLAGE);
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_log WHERE row_id = ?1 AND origin <> "
			       "(SELECT value FROM meta WHERE key = 'station_id')", id), 0);
	assert_string_equal(q_text(fx->db, "SELECT origin FROM change_log WHERE row_id = ?1", id, buf, sizeof(buf)),
			    fx->db->station_id);
	/* oseq without gaps from 1, hlc increasing. */
	assert_int_equal(q_int(fx->db, "SELECT min(oseq) FROM change_log", NULL), 1);
	assert_int_equal(q_int(fx->db, "SELECT max(oseq) - min(oseq) + 1 - count(*) FROM change_log", NULL), 0);
	assert_int_equal(q_int(fx->db, "SELECT min(oseq) FROM change_log WHERE row_id = ?1", id), first + 1);
	assert_int_equal(sqlite3_prepare_v2(fx->db->h, "SELECT oseq, hlc FROM change_log ORDER BY oseq",
					    -1, &st, NULL), SQLITE_OK);
	prev_oseq = 0;
	prev_hlc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_int_equal(sqlite3_column_int64(st, 0), prev_oseq + 1);
		assert_true(sqlite3_column_int64(st, 1) > prev_hlc);
		prev_oseq = sqlite3_column_int64(st, 0);
		prev_hlc = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	/* A new row has no parents. */
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_log WHERE row_id = ?1 AND parents <> ''", id), 0);
	/* field_clock has every field's version. */
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM field_clock WHERE row_id = ?1", id), 8);
}

static void test_change_log_update_and_tombstone(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char id[UID_LEN + 1], want[128], buf[128];
	struct rec_value v[] = { { "name", "周建国" }, { "phone", "13812345678" } };
	struct rec_value up[] = { { "name", "周建国" }, { "phone", "13912345678" } };
	long long old_phone, before, tomb_seq, nfields;

	OK(record_create(fx->db, table_find("person"), v, N(v), NULL, id, &err));
	old_phone = q_int(fx->db, "SELECT oseq FROM change_log WHERE row_id = ?1 AND field = 'phone'", id);
	before = q_int(fx->db, "SELECT count(*) FROM change_log", NULL);
	/* The name is given again unchanged: only the phone is logged. */
	OK(record_update(fx->db, table_find("person"), id, up, N(up), &err));
	assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_log", NULL), before + 1);
	snprintf(want, sizeof(want), "%s:%lld", fx->db->station_id, old_phone);
	assert_string_equal(q_text(fx->db, "SELECT parents FROM change_log WHERE row_id = ?1 AND field = 'phone'"
				   " ORDER BY oseq DESC LIMIT 1", id, buf, sizeof(buf)), want);
	assert_int_equal(q_int(fx->db, "SELECT same_field FROM change_parent p JOIN change_log c"
			       " ON c.seq = p.child_seq WHERE c.row_id = ?1 AND c.field = 'phone'", id), 1);
	/* field_clock points at the latest version. */
	assert_int_equal(q_int(fx->db, "SELECT oseq FROM field_clock WHERE row_id = ?1 AND field = 'phone'", id),
			 old_phone + (before + 1 - old_phone));
	assert_int_equal(q_int(fx->db, "SELECT oseq FROM field_clock WHERE row_id = ?1 AND field = 'phone'", id),
			 q_int(fx->db, "SELECT max(oseq) FROM change_log WHERE row_id = ?1 AND field = 'phone'", id));

	/* Tombstone: field deleted = 1, naming every other field's version. */
	nfields = q_int(fx->db, "SELECT count(*) FROM field_clock WHERE row_id = ?1", id);
	OK(record_delete(fx->db, table_find("person"), id, &err));
	assert_int_equal(q_int(fx->db, "SELECT value FROM change_log WHERE row_id = ?1 AND field = 'deleted'", id), 1);
	tomb_seq = q_int(fx->db, "SELECT seq FROM change_log WHERE row_id = ?1 AND field = 'deleted'", id);
	{
		char s[32];

		snprintf(s, sizeof(s), "%lld", tomb_seq);
		assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_parent WHERE child_seq = ?1"
				       " AND same_field = 0", s), nfields);
		assert_int_equal(q_int(fx->db, "SELECT count(*) FROM change_parent p JOIN field_clock f"
				       " ON f.origin = p.parent_origin AND f.oseq = p.parent_oseq"
				       " WHERE p.child_seq = ?1", s), nfields);
	}
	assert_int_equal(q_int(fx->db, "SELECT oseq FROM field_clock WHERE row_id = ?1 AND field = 'deleted'", id),
			 q_int(fx->db, "SELECT max(oseq) FROM change_log", NULL));
	assert_int_equal(q_int(fx->db, "SELECT deleted FROM person WHERE id = ?1", id), 1);
	assert_int_equal(q_int(fx->db, "SELECT max(oseq) - count(*) FROM change_log", NULL), 0);
	assert_int_equal(change_local_count(fx->db), q_int(fx->db, "SELECT count(*) FROM change_log", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_db, dir_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_missing_db_not_created, dir_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_backup_before_migration, dir_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, dir_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_not_sqlite_refused, dir_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_meta, dir_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_nested_rollback, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_hlc_pure),
		cmocka_unit_test_setup_teardown(test_hlc_persisted, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_change_log_create, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_change_log_update_and_tombstone, fixture_setup, fixture_teardown),
	};

	fixture_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
