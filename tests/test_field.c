/* test_field.c - one check and one display of every field value: the
 * checks a save, a screen and a received change share, and how stored
 * values read (choices, yes/no, referenced rows). */
#include "config.h"

#include "coretest.h"

#include "guanqing/field.h"
#include "guanqing/record.h"
#include "guanqing/tables.h"
#include "guanqing/uid.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct field_def *fld(const char *table, const char *name)
{
	const struct field_def *f = table_field(table_find(table), name);

	assert_non_null(f);
	return f;
}

/* field_check on f, expecting GQ_OK and the stored form want (NULL: empty). */
static void check_ok(struct gq_db *db, const struct field_def *f, const char *text,
		     const char *want)
{
	struct gq_err err;
	char *out = (char *)"unset";

	gq_err_clear(&err);
	if (field_check(db, f, text, &out, &err) != GQ_OK)
		fail_msg("%s: \"%s\" refused: %s", f->name, text ? text : "(null)", err.msg);
	if (!want)
		assert_null(out);
	else
		assert_string_equal(out, want);
	free(out);
}

/* field_check on f, expecting a refusal whose message names the field. */
static void check_refused(struct gq_db *db, const struct field_def *f, const char *text)
{
	struct gq_err err;
	char *out = (char *)"unset";

	gq_err_clear(&err);
	assert_int_not_equal(field_check(db, f, text, &out, &err), GQ_OK);
	assert_null(out);
	if (!strstr(err.msg, f->label))
		fail_msg("the refusal of \"%s\" does not name %s: %s", text, f->label, err.msg);
	/* And says which field, for a form to put the cursor there. */
	assert_string_equal(err.field, f->name);
}

static void test_check_text_and_names(void **state)
{
	(void)state;
	check_ok(NULL, fld("person", "name"), "王春梅", "王春梅");
	check_ok(NULL, fld("person", "name"), "阿依古丽·买买提", "阿依古丽·买买提");
	check_refused(NULL, fld("person", "name"), "王2梅");
	check_ok(NULL, fld("person", "address"), "双椿铺镇宋岗村王湾组1号", "双椿铺镇宋岗村王湾组1号");
	check_refused(NULL, fld("person", "address"), "双椿铺镇\n宋岗村");
	/* A limit counts characters, not bytes: 100 汉字 fit, 101 do not. */
	{
		char buf[400] = "";
		int i;

		for (i = 0; i < 100; i++)
			strcat(buf, "村");
		check_ok(NULL, fld("person", "address"), buf, buf);
		strcat(buf, "村");
		check_refused(NULL, fld("person", "address"), buf);
	}
}

static void test_check_empty_is_null(void **state)
{
	(void)state;
	check_ok(NULL, fld("person", "name"), NULL, NULL);
	check_ok(NULL, fld("person", "name"), "", NULL);
	check_ok(NULL, fld("person", "phone"), "   ", NULL);
}

static void test_check_typed_values(void **state)
{
	(void)state;
	/* The check digit x is stored upper-case. */
	check_ok(NULL, fld("person", "id_number"), "41152420100301005x", "41152420100301005X");
	check_refused(NULL, fld("person", "id_number"), "411524201003010061");
	check_ok(NULL, fld("person", "sex"), "F", "F");
	check_ok(NULL, fld("person", "sex"), "female", "F");
	check_refused(NULL, fld("person", "sex"), "X");
	check_ok(NULL, fld("guardian", "working_away"), "是", "1");
	check_ok(NULL, fld("guardian", "working_away"), "否", "0");
	check_ok(NULL, fld("guardian", "working_away"), "yes", "1");
	check_refused(NULL, fld("guardian", "working_away"), "也许");
	check_ok(NULL, fld("application", "amount_asked"), "480", "480.00");
	check_refused(NULL, fld("application", "amount_asked"), "四百八十");
	check_ok(NULL, fld("facility", "capacity"), "040", "40");
	check_refused(NULL, fld("facility", "capacity"), "100001");
	check_ok(NULL, fld("person", "birth_date"), "2010-03-01", "2010-03-01");
	check_refused(NULL, fld("person", "birth_date"), "2099-13-45");
	/* A birth date may not lie ahead of today (2026-11-28). */
	check_refused(NULL, fld("person", "birth_date"), "2027-01-01");
}

static void test_check_references(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char id[UID_LEN + 1], prefix[UID_LEN + 1];
	struct rec_value v[] = { { "name", "李秀英" } };

	gq_err_clear(&err);
	assert_int_equal(record_create(fx->db, table_find("person"), v, N(v), NULL, id, &err), GQ_OK);
	snprintf(prefix, sizeof(prefix), "%.8s", id);
	/* A prefix is resolved to the whole id in a database. */
	check_ok(fx->db, fld("visit", "person_id"), prefix, id);
	check_ok(NULL, fld("visit", "person_id"), id, id);
	/* Without a database only a whole id passes. */
	check_refused(NULL, fld("visit", "person_id"), prefix);
	check_refused(fx->db, fld("visit", "person_id"), "00000000-0000-0000-0000-000000000000");
}

static void test_display(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb = STRBUF_INIT;
	struct gq_err err;
	char pid[UID_LEN + 1], hid[UID_LEN + 1];
	struct rec_value p[] = { { "name", "张桂兰" } };
	struct rec_value h[] = { { "address", "宋岗村王湾组3号" } };

	gq_err_clear(&err);
	assert_int_equal(record_create(fx->db, table_find("person"), p, N(p), NULL, pid, &err), GQ_OK);
	assert_int_equal(record_create(fx->db, table_find("household"), h, N(h), NULL, hid, &err), GQ_OK);

	field_display(fx->db, fld("person", "sex"), "F", &sb);
	assert_string_equal(sb.buf, "female");
	strbuf_reset(&sb);
	field_display(fx->db, fld("guardian", "working_away"), "1", &sb);
	assert_string_equal(sb.buf, "yes");
	strbuf_reset(&sb);
	field_display(fx->db, fld("guardian", "working_away"), "0", &sb);
	assert_string_equal(sb.buf, "no");
	strbuf_reset(&sb);
	field_display(fx->db, fld("visit", "person_id"), pid, &sb);
	assert_string_equal(sb.buf, "张桂兰");
	strbuf_reset(&sb);
	field_display(fx->db, fld("person", "household_id"), hid, &sb);
	assert_string_equal(sb.buf, "宋岗村王湾组3号");
	strbuf_reset(&sb);
	/* A row that is not there shows the start of its id. */
	field_display(fx->db, fld("visit", "person_id"), "0123456789-abcdef", &sb);
	assert_string_equal(sb.buf, "01234567");
	strbuf_reset(&sb);
	/* Several choices read as their labels. */
	field_display(fx->db, fld("person_category", "category"), "orphan,elderly_alone", &sb);
	assert_string_equal(sb.buf, "orphan, elderly living alone");
	strbuf_reset(&sb);
	/* Nothing for nothing; other values as stored. */
	field_display(fx->db, fld("person", "name"), NULL, &sb);
	field_display(fx->db, fld("person", "name"), "", &sb);
	assert_int_equal(sb.len, 0);
	field_display(NULL, fld("application", "amount_asked"), "480.00", &sb);
	assert_string_equal(sb.buf, "480.00");
	strbuf_release(&sb);
}

static void test_record_label(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb = STRBUF_INIT;
	struct gq_err err;
	char aid[UID_LEN + 1];
	struct rec_value a[] = { { "kind", "civilised_memorial" }, { "title", "清明文明祭扫宣传" } };

	gq_err_clear(&err);
	assert_int_equal(record_create(fx->db, table_find("activity"), a, N(a), NULL, aid, &err), GQ_OK);
	record_label(fx->db, table_find("activity"), aid, &sb);
	assert_string_equal(sb.buf, "清明文明祭扫宣传");
	strbuf_reset(&sb);
	/* The same statement serves again (cached on the connection). */
	record_label(fx->db, table_find("activity"), aid, &sb);
	assert_string_equal(sb.buf, "清明文明祭扫宣传");
	strbuf_reset(&sb);
	record_label(fx->db, table_find("activity"), NULL, &sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(table_label_column(table_find("household")), "address");
	assert_string_equal(table_label_column(table_find("person")), "name");
	strbuf_release(&sb);
}

/* A refusal of the save path names the field refused in err.field. */
static void test_refusal_names_field(void **state)
{
	struct fixture *fx = *state;
	struct gq_err err;
	char id[UID_LEN + 1];
	struct rec_value bad[] = { { "name", "张三" }, { "phone", "12345" } };
	struct rec_value none[] = { { "address", "" } };
	struct rec_value dup1[] = { { "name", "张三" }, { "id_number", "41152420100301005X" } };
	struct rec_value dup2[] = { { "name", "李四" }, { "id_number", "41152420100301005x" } };

	gq_err_clear(&err);
	assert_int_not_equal(record_create(fx->db, table_find("person"), bad, N(bad), NULL, id, &err), GQ_OK);
	assert_string_equal(err.field, "phone");
	gq_err_clear(&err);
	assert_int_not_equal(record_create(fx->db, table_find("household"), none, N(none), NULL, id, &err), GQ_OK);
	assert_string_equal(err.field, "address");
	gq_err_clear(&err);
	assert_int_equal(record_create(fx->db, table_find("person"), dup1, N(dup1), NULL, id, &err), GQ_OK);
	assert_int_equal(record_create(fx->db, table_find("person"), dup2, N(dup2), NULL, id, &err), GQ_EEXIST);
	assert_string_equal(err.field, "id_number");
	assert_non_null(strstr(err.msg, "张三"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_text_and_names, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_empty_is_null, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_typed_values, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_references, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_display, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_record_label, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refusal_names_field, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
