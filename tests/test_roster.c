/* test_roster.c - the People list's rows (roster.h): the list's order by
 * the names in pinyin, and the rows kept between reads following every
 * change of the database (an add, a rename, a delete, an edit that keeps
 * the order, another connection's write, a new connection, a rolled-back
 * transaction, a person of another village), the categories read when
 * asked, and an empty place. */
#include "config.h"

#include <ctype.h>

#include "coretest.h"

#include "guanqing/pinyin.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/roster.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

static void add_named(struct gq_db *db, const char *name, const char *phone, char *id)
{
	struct rec_value v[] = { { "name", name }, { "phone", phone } };
	struct gq_err err;

	if (record_create(db, table_find("person"), v, phone ? 2 : 1, NULL, id, &err) != GQ_OK)
		fail_msg("%s", err.msg);
}

/* The names of r in the list's order, each followed by ";". */
static const char *names_of(const struct roster *r, struct strbuf *sb)
{
	size_t i;

	strbuf_reset(sb);
	strbuf_addstr(sb, "");
	for (i = 0; i < r->n; i++)
		strbuf_addf(sb, "%s;", roster_str(roster_at(r, i), ROSTER_NAME));
	return sb->buf;
}

/* Read r from db; whether it changed. */
static bool reread(struct gq_db *db, struct roster *r)
{
	struct gq_err err;
	bool changed = false;

	gq_err_clear(&err);
	if (roster_read(db, r, &changed, &err) != GQ_OK)
		fail_msg("%s", err.msg);
	return changed;
}

static size_t find_at(const struct roster *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(roster_str(roster_at(r, i), ROSTER_NAME), name))
			return i;
	fail_msg("%s is not in the roster", name);
	return 0;
}

static const struct roster_person *find(const struct roster *r, const char *name)
{
	return roster_at(r, find_at(r, name));
}

static void test_empty_place(void **state)
{
	struct fixture *fx = *state;
	struct roster r = ROSTER_INIT;
	struct gq_err err;

	assert_true(reread(fx->db, &r));
	assert_int_equal(r.n, 0);
	assert_false(reread(fx->db, &r));
	assert_int_equal(roster_read_categories(fx->db, &r, &err), GQ_OK);
	roster_release(&r);
	/* Released twice is harmless; NULL changed is allowed. */
	roster_release(&r);
	assert_int_equal(roster_read(fx->db, &r, NULL, &err), GQ_OK);
	roster_release(&r);
}

static void test_order_follows_the_database(void **state)
{
	struct fixture *fx = *state;
	struct roster r = ROSTER_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct gq_db *other = NULL;
	struct person_query pq;
	struct gq_err err;
	char id[10][UID_LEN + 1];
	struct rec_value rename[] = { { "name", "艾三" } }, phone[] = { { "phone", "13912345678" } };

	add_named(fx->db, "张三", NULL, id[0]);
	add_named(fx->db, "单丽", "13812345678", id[1]);
	add_named(fx->db, "阿明", NULL, id[2]);
	add_named(fx->db, "Anna Li", NULL, id[3]);
	add_named(fx->db, "欧阳娜娜", NULL, id[4]);
	add_named(fx->db, "安然", NULL, id[5]);
	add_named(fx->db, "曾德明", NULL, id[6]);
	assert_true(reread(fx->db, &r));
	/* a ming, an ran, anna li, ouyang nana, shan li (the surname's
	 * reading), zeng deming, zhang san: without case, a word's end
	 * before its letters. */
	assert_string_equal(names_of(&r, &sb), "阿明;安然;Anna Li;欧阳娜娜;单丽;曾德明;张三;");
	assert_string_equal(roster_str(find(&r, "单丽"), ROSTER_PHONE), "13812345678");
	assert_string_equal(roster_str(find(&r, "张三"), ROSTER_PHONE), "");
	assert_string_equal(roster_str(find(&r, "张三"), ROSTER_ID), id[0]);
	assert_false(reread(fx->db, &r));

	/* A rename moves the person; an edit of the phone keeps the order
	 * and shows the new number; a delete takes the person away. */
	assert_int_equal(record_update(fx->db, table_find("person"), id[0], rename, 1, &err), GQ_OK);
	assert_true(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;欧阳娜娜;单丽;曾德明;");
	/* Its key is of the new name, the others' are kept with them. */
	person_query_set(&pq, "as");
	assert_int_equal(person_query_match(&pq, &roster_key_at(&r, find_at(&r, "艾三"))->key, NULL, NULL), 0);
	person_query_set(&pq, "ouyang");
	assert_int_equal(person_query_match(&pq, &roster_key_at(&r, find_at(&r, "欧阳娜娜"))->key, NULL, NULL), 0);
	assert_int_equal(person_query_match(&pq, &roster_key_at(&r, find_at(&r, "安然"))->key, NULL, NULL), -1);
	person_query_set(&pq, "138123");
	assert_int_equal(person_query_match(&pq, &roster_key_at(&r, find_at(&r, "单丽"))->key,
					    roster_key_at(&r, find_at(&r, "单丽"))->id_number,
					    roster_key_at(&r, find_at(&r, "单丽"))->phone), 0);
	assert_int_equal(record_update(fx->db, table_find("person"), id[1], phone, 1, &err), GQ_OK);
	assert_true(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;欧阳娜娜;单丽;曾德明;");
	assert_string_equal(roster_str(find(&r, "单丽"), ROSTER_PHONE), "13912345678");
	assert_string_equal(roster_key_at(&r, find_at(&r, "单丽"))->phone, "13912345678");
	assert_int_equal(record_delete(fx->db, table_find("person"), id[1], &err), GQ_OK);
	add_named(fx->db, "白雪", NULL, id[7]);
	assert_true(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;白雪;欧阳娜娜;曾德明;");

	/* Another connection's write. */
	assert_int_equal(db_open(fx->path, 0, &other, &err), GQ_OK);
	add_named(other, "钱七", NULL, id[8]);
	assert_true(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;白雪;欧阳娜娜;钱七;曾德明;");
	db_close(&other);

	/* What a transaction showed is not kept past its rollback. */
	assert_int_equal(db_begin(fx->db, &err), GQ_OK);
	add_named(fx->db, "孙八", NULL, id[9]);
	assert_true(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;白雪;欧阳娜娜;钱七;孙八;曾德明;");
	db_rollback(fx->db);
	assert_true(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;白雪;欧阳娜娜;钱七;曾德明;");

	/* At a station, a person of another village is not listed. */
	assert_int_equal(db_exec(fx->db, "UPDATE person SET village = '411524103206' WHERE name = '白雪'", &err),
			 GQ_OK);
	assert_true(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;欧阳娜娜;钱七;曾德明;");

	/* A new connection reads again. */
	db_close(&fx->db);
	assert_int_equal(db_open(fx->path, 0, &fx->db, &err), GQ_OK);
	assert_true(reread(fx->db, &r));
	assert_false(reread(fx->db, &r));
	assert_string_equal(names_of(&r, &sb), "阿明;艾三;安然;Anna Li;欧阳娜娜;钱七;曾德明;");
	roster_release(&r);
	strbuf_release(&sb);
}

static void test_categories_when_asked(void **state)
{
	struct fixture *fx = *state;
	struct roster r = ROSTER_INIT;
	struct gq_err err;
	char id[2][UID_LEN + 1], cid[UID_LEN + 1], cid2[UID_LEN + 1];
	struct rec_value cat[] = { { "person_id", NULL }, { "category", "orphan" }, { "start_date", "2026-01-02" } };
	struct rec_value ended[] = { { "person_id", NULL }, { "category", "elderly_alone" },
		{ "start_date", "2025-01-02" }, { "end_date", "2026-01-02" } };
	unsigned orphan = 0, alone = 0;
	size_t i;

	for (i = 0; choices_category[i].code; i++) {
		if (!strcmp(choices_category[i].code, "orphan"))
			orphan = 1u << i;
		if (!strcmp(choices_category[i].code, "elderly_alone"))
			alone = 1u << i;
	}
	add_named(fx->db, "张小花", NULL, id[0]);
	add_named(fx->db, "李大山", NULL, id[1]);
	cat[0].text = id[0];
	ended[0].text = id[1];
	assert_int_equal(record_create(fx->db, table_find("person_category"), cat, 3, NULL, cid, &err), GQ_OK);
	assert_int_equal(record_create(fx->db, table_find("person_category"), ended, 4, NULL, cid2, &err), GQ_OK);
	assert_true(reread(fx->db, &r));
	assert_int_equal(roster_read_categories(fx->db, &r, &err), GQ_OK);
	assert_int_equal(find(&r, "张小花")->categories, orphan);
	/* An ended category is not open. */
	assert_int_equal(find(&r, "李大山")->categories & alone, 0);
	assert_int_equal(find(&r, "李大山")->categories, 0);
	/* Read again after the persons are. */
	assert_int_equal(record_delete(fx->db, table_find("person_category"), cid, &err), GQ_OK);
	assert_true(reread(fx->db, &r));
	assert_int_equal(roster_read_categories(fx->db, &r, &err), GQ_OK);
	assert_int_equal(find(&r, "张小花")->categories, 0);
	roster_release(&r);
}

/* The list's order by a plain reckoning: the name in pinyin without
 * case, then the name, then the id. */
static int ref_cmp(const struct roster_person *x, const struct roster_person *y)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int c;
	size_t i;

	assert_int_equal(pinyin_romanise(roster_str(x, ROSTER_NAME), &a, NULL), GQ_OK);
	assert_int_equal(pinyin_romanise(roster_str(y, ROSTER_NAME), &b, NULL), GQ_OK);
	for (i = 0; i < a.len; i++)
		a.buf[i] = (char)tolower((unsigned char)a.buf[i]);
	for (i = 0; i < b.len; i++)
		b.buf[i] = (char)tolower((unsigned char)b.buf[i]);
	c = strcmp(a.buf, b.buf);
	if (!c)
		c = strcmp(roster_str(x, ROSTER_NAME), roster_str(y, ROSTER_NAME));
	if (!c)
		c = strcmp(roster_str(x, ROSTER_ID), roster_str(y, ROSTER_ID));
	strbuf_release(&a);
	strbuf_release(&b);
	return c;
}

#define MANY 300

/* Person i's name (some alike) and phone. */
static void many_name(int i, int round, char *name, size_t size)
{
	static const char *const sur[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵",
					   "吴", "周", "徐", "孙", "胡", "朱", "高", "林" };
	static const char *const given[] = { "秀英", "桂兰", "建国", "志强", "丽", "伟",
					     "明", "玉珍", "德华", "小红", "金凤" };

	snprintf(name, size, "%s%s", sur[(i * 7 + round) % 16], given[(i * 5 + round * 3) % 11]);
}

/* Every person of the list once, in the list's order, with the fields
 * and the search key of their own row (by the phone each was given). */
static void check_many(const struct roster *r, size_t n, char name[][32], const bool *gone)
{
	size_t i, seen = 0;
	struct person_query pq;

	assert_int_equal(r->n, n);
	for (i = 0; i < r->n; i++) {
		const struct roster_person *p = roster_at(r, i);
		const struct roster_key *k = roster_key_at(r, i);
		int at = atoi(roster_str(p, ROSTER_PHONE) + 3);

		assert_true(at >= 0 && at < 2 * MANY);
		assert_false(gone[at]);
		assert_string_equal(roster_str(p, ROSTER_NAME), name[at]);
		assert_string_equal(roster_str(p, ROSTER_STATUS), "active");
		assert_ptr_equal(k->phone, roster_str(p, ROSTER_PHONE));
		assert_ptr_equal(k->id_number, roster_str(p, ROSTER_ID_NUMBER));
		person_query_set(&pq, name[at]);
		assert_true(person_query_match(&pq, &k->key, NULL, NULL) >= 0);
		if (i)
			assert_true(ref_cmp(roster_at(r, i - 1), p) < 0);
		seen++;
	}
	assert_int_equal(seen, n);
}

/* Add persons from .. to - 1, named for round, each's phone its number. */
static size_t add_many(struct gq_db *db, int from, int to, int round, char name[][32],
		       char id[][UID_LEN + 1])
{
	char phone[16];
	int i;

	for (i = from; i < to; i++) {
		many_name(i, round, name[i], sizeof(name[i]));
		snprintf(phone, sizeof(phone), "139%08d", i);
		add_named(db, name[i], phone, id[i]);
	}
	return (size_t)(to - from);
}

/* Hundreds of persons, many of one name, added out of order; then some
 * renamed, some deleted, some added: the list is the plain reckoning's
 * order each time and every person keeps their own fields. */
static void test_many_in_order(void **state)
{
	struct fixture *fx = *state;
	struct roster r = ROSTER_INIT;
	static char name[2 * MANY][32], id[2 * MANY][UID_LEN + 1];
	bool gone[2 * MANY] = { false };
	struct gq_err err;
	size_t n = 0;
	int i;

	assert_int_equal(db_begin(fx->db, &err), GQ_OK);
	n += add_many(fx->db, 0, MANY, 0, name, id);
	assert_int_equal(db_commit(fx->db, &err), GQ_OK);
	assert_true(reread(fx->db, &r));
	check_many(&r, n, name, gone);

	assert_int_equal(db_begin(fx->db, &err), GQ_OK);
	for (i = 0; i < MANY; i += 6) {
		struct rec_value v[] = { { "name", NULL } };

		many_name(i, 1, name[i], sizeof(name[i]));
		v[0].text = name[i];
		assert_int_equal(record_update(fx->db, table_find("person"), id[i], v, 1, &err), GQ_OK);
	}
	for (i = 1; i < MANY; i += 15) {
		assert_int_equal(record_delete(fx->db, table_find("person"), id[i], &err), GQ_OK);
		gone[i] = true;
		n--;
	}
	n += add_many(fx->db, MANY, MANY + 30, 2, name, id);
	assert_int_equal(db_commit(fx->db, &err), GQ_OK);
	assert_true(reread(fx->db, &r));
	check_many(&r, n, name, gone);
	assert_false(reread(fx->db, &r));
	roster_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_place, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_order_follows_the_database, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_categories_when_asked, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_many_in_order, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
