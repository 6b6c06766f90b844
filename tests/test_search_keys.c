/* test_search_keys.c - person search with its prebuilt keys (query.c)
 * finds what the database holds now: after an edit on the same
 * connection, a write by another connection, a delete, and on a new
 * connection. */
#include "config.h"

#include "coretest.h"

#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/tables.h"

static int collect(void *arg, const struct record *r)
{
	struct strbuf *names = arg;

	strbuf_addf(names, "%s;", record_get(r, "name"));
	return 0;
}

/* The names found for text, in list order, each followed by ";". */
static const char *found(struct gq_db *db, const char *text, struct strbuf *names)
{
	struct query_filter flt = { .search = text };
	struct gq_err err;

	strbuf_reset(names);
	strbuf_addstr(names, "");
	assert_int_equal(query_rows(db, table_find("person"), &flt, collect, names, &err), GQ_OK);
	return names->buf;
}

static void add_person(struct gq_db *db, const char *name, const char *idn, char *id)
{
	struct rec_value v[] = { { "name", name }, { "sex", "F" }, { "birth_date", "2015-03-02" },
		{ "id_number", idn } };
	struct gq_err err;

	if (record_create(db, table_find("person"), v, 4, NULL, id, &err) != GQ_OK)
		fail_msg("%s", err.msg);
}

static void test_keys_follow_the_database(void **state)
{
	struct fixture *fx = *state;
	struct strbuf names = STRBUF_INIT;
	struct gq_db *other = NULL;
	struct gq_err err;
	char id1[UID_LEN + 1], id2[UID_LEN + 1], id3[UID_LEN + 1];
	struct rec_value rename[] = { { "name", "李秀英" } };

	add_person(fx->db, "张三", "411524201503020027", id1);
	add_person(fx->db, "单丽", "411524201503020043", id2);
	assert_string_equal(found(fx->db, "zs", &names), "张三;");
	assert_string_equal(found(fx->db, "shanl", &names), "单丽;");
	assert_string_equal(found(fx->db, "0043", &names), "单丽;");
	assert_string_equal(found(fx->db, "zx", &names), "");

	/* An edit on the same connection. */
	assert_int_equal(record_update(fx->db, table_find("person"), id1, rename, 1, &err), GQ_OK);
	assert_string_equal(found(fx->db, "zs", &names), "");
	assert_string_equal(found(fx->db, "lxy", &names), "李秀英;");

	/* A write by another connection to the same database. */
	assert_int_equal(db_open(fx->path, 0, &other, &err), GQ_OK);
	add_person(other, "张秀兰", "41152420150302006X", id3);
	assert_string_equal(found(fx->db, "zx", &names), "张秀兰;");
	assert_string_equal(found(fx->db, "xiu", &names), "张秀兰;李秀英;");

	/* A delete by the other connection. */
	assert_int_equal(record_delete(other, table_find("person"), id2, &err), GQ_OK);
	assert_string_equal(found(fx->db, "shanl", &names), "");
	db_close(&other);

	/* A new connection. */
	db_close(&fx->db);
	assert_int_equal(db_open(fx->path, 0, &fx->db, &err), GQ_OK);
	assert_string_equal(found(fx->db, "zxl", &names), "张秀兰;");
	assert_string_equal(found(fx->db, "张", &names), "张秀兰;");
	strbuf_release(&names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keys_follow_the_database, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
