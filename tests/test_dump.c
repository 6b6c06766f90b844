/* test_dump.c - the canonical dump is deterministic and complete. */
#include "config.h"

#include "coretest.h"

#include "guanqing/demo.h"
#include "guanqing/dump.h"
#include "guanqing/record.h"
#include "guanqing/tables.h"
#include "guanqing/uid.h"

#define OK(call) do { if ((call) != GQ_OK) fail_msg("%s", err.msg); } while (0)

/* The dump as a malloc'ed string. */
static char *dump_text(struct gq_db *db)
{
	struct gq_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	OK(dump_canonical(db, f, &err));
	fclose(f);
	return buf;
}

static void test_dump_twice_same(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char *a, *b;

	OK(demo_populate(fx->db, 11, 40, &err));
	a = dump_text(fx->db);
	b = dump_text(fx->db);
	assert_true(strlen(a) > 1000);
	assert_string_equal(a, b);
	free(b);
	/* Reopening the file changes nothing either. */
	db_close(&fx->db);
	OK(db_open(fx->path, 0, &fx->db, &err));
	b = dump_text(fx->db);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_dump_escapes_and_tombstones(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char id[UID_LEN + 1], line[512];
	struct rec_value v[] = { { "name", "胡玉珍" }, { "notes", "第一行\n第二行\t制表\\反斜杠" } };
	char *d;

	OK(record_create(fx->db, table_find("person"), v, 2, NULL, id, &err));
	OK(record_delete(fx->db, table_find("person"), id, &err));
	d = dump_text(fx->db);
	/* One line for the row, tombstone included, values escaped. */
	assert_non_null(strstr(d, "第一行\\n第二行\\t制表\\\\反斜杠"));
	snprintf(line, sizeof(line), "person\t%s\t%s\t%s\t", id, fx->db->station_id, TEST_VILLAGE);
	assert_non_null(strstr(d, line));
	assert_non_null(strstr(d, "\tname=胡玉珍\t"));
	assert_non_null(strstr(d, "\\N"));
	free(d);
}

static void test_dump_empty(void **state)
{
	struct fixture *fx = *state;
	char *d = dump_text(fx->db);

	/* Only this station's own row. */
	assert_non_null(strstr(d, "station\t"));
	assert_null(strstr(d, "person\t"));
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dump_twice_same, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dump_escapes_and_tombstones, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dump_empty, fixture_setup, fixture_teardown),
	};

	fixture_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
