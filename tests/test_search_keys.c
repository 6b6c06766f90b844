/* test_search_keys.c - person search with its prebuilt keys (query.c)
 * finds what the database holds now: after an edit on the same
 * connection, a write by another connection, a delete, and on a new
 * connection. Narrowing the previous keystroke's matches (person_sieve)
 * finds exactly what matching every person finds, and a search with a
 * limit hands out the first rows and counts all. */
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

static const char *const sieve_names[] = {
	"张三", "张秀兰", "单丽", "吕秀英", "欧阳·娜娜", "曾德明", "王春梅", "李建军", "余晓燕", "陈志强",
	"胡子涵", "汪桂兰", "刘忠", "张国庆", "杨玉明", "黄光辉", "Anna 李", "吴", "许小雨", "尉迟敬德",
};
static const char *const sieve_idn[] = {
	"411524201503020027", NULL, "411524201503020043", "41152420150302006X", NULL, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};
#define NSIEVE (sizeof(sieve_names) / sizeof(sieve_names[0]))
static struct pinyin_key sieve_keys[NSIEVE];

static void sieve_get(void *arg, size_t i, const struct pinyin_key **key, const char **idn,
		      const char **phone)
{
	(void)arg;
	*key = &sieve_keys[i];
	*idn = sieve_idn[i];
	*phone = i == 4 ? "138-1234-5678" : NULL;
}

/* Typing, deleting and retyping: each step's matches through the sieve
 * are those of matching every name, in the list's order. */
static void test_narrowing_finds_what_matching_all_finds(void **state)
{
	static const char *const steps[] = {
		"z", "zh", "zha", "zhan", "zhang", "zhangx", "zhangxl", "zhang", "zhangs", "zs", "z", "",
		"l", "lu", "lv", "lvx", "LVXY", "lu xiu", "lü", "w", "wu", "吴", "张", "张x", "张秀",
		"4", "41", "411524", "41152420150302006", "41152420150302006x", "1", "1a", "13812", "138 1234",
		"y", "yc", "ycj", "ycjd", "s", "sh", "shan", "shanl", "a", "an", "ann", "anna l", "oy", "oynn",
		"zzzzzzzz", "zzzzzzzzz",
	};
	struct person_sieve sv;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < NSIEVE; i++) {
		pinyin_key_init(&sieve_keys[i]);
		pinyin_key_set(&sieve_keys[i], sieve_names[i]);
	}
	person_sieve_init(&sv);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct person_query q;

		assert_int_equal(person_sieve_run(&sv, steps[i], NSIEVE, sieve_get, NULL), GQ_OK);
		person_query_set(&q, steps[i]);
		for (j = 0, k = 0; j < NSIEVE; j++) {
			const struct pinyin_key *key;
			const char *idn, *phone;
			int at;

			sieve_get(NULL, j, &key, &idn, &phone);
			at = person_query_match(&q, key, idn, phone);
			if (at < 0)
				continue;
			if (k >= sv.n || sv.hit[k] != j || sv.at[k] != at)
				fail_msg("\"%s\": %s (%d) is not the sieve's match %zu", steps[i], sieve_names[j], at, k);
			k++;
		}
		if (k != sv.n)
			fail_msg("\"%s\": the sieve has %zu matches, matching all %zu", steps[i], sv.n, k);
	}
	/* A few that must be found (so the comparison is not of two empty lists). */
	assert_int_equal(person_sieve_run(&sv, "lu", NSIEVE, sieve_get, NULL), GQ_OK);
	assert_int_equal(sv.n, 1);	/* 吕 lǚ (not 刘 liu) */
	assert_string_equal(sieve_names[sv.hit[0]], "吕秀英");
	assert_int_equal(person_sieve_run(&sv, "x", NSIEVE, sieve_get, NULL), GQ_OK);
	/* "x" alone is the ID number's check character, "xi" pinyin. */
	assert_int_equal(sv.n, 1);
	assert_string_equal(sieve_names[sv.hit[0]], "吕秀英");
	assert_int_equal(person_sieve_run(&sv, "xi", NSIEVE, sieve_get, NULL), GQ_OK);
	assert_int_equal(sv.n, 4);	/* 张秀兰, 吕秀英, 余晓燕, 许小雨 */
	assert_int_equal(person_sieve_run(&sv, "lux", NSIEVE, sieve_get, NULL), GQ_OK);
	assert_int_equal(sv.n, 1);
	assert_string_equal(sieve_names[sv.hit[0]], "吕秀英");
	assert_int_equal(person_sieve_run(&sv, "ycjd", NSIEVE, sieve_get, NULL), GQ_OK);
	assert_int_equal(sv.n, 1);
	assert_string_equal(sieve_names[sv.hit[0]], "尉迟敬德");
	person_sieve_release(&sv);
	for (i = 0; i < NSIEVE; i++)
		pinyin_key_release(&sieve_keys[i]);
}

static void add_named(struct gq_db *db, const char *name, const char *status, char *id)
{
	struct rec_value v[] = { { "name", name }, { "status", status } };
	struct gq_err err;

	if (record_create(db, table_find("person"), v, 2, NULL, id, &err) != GQ_OK)
		fail_msg("%s", err.msg);
}

/* A search with a limit hands out the first rows in the list's order and
 * counts every match: deleted ones not, other conditions applied. */
static void test_limit_and_count(void **state)
{
	struct fixture *fx = *state;
	struct strbuf names = STRBUF_INIT;
	char id[6][UID_LEN + 1];
	size_t total = 99;
	struct query_filter flt = { .search = "zh", .limit = 2, .total = &total };
	struct gq_err err;

	add_named(fx->db, "张五", "active", id[0]);
	add_named(fx->db, "张一", "active", id[1]);
	add_named(fx->db, "赵四", "moved_out", id[2]);
	add_named(fx->db, "周三", "active", id[3]);
	add_named(fx->db, "张二", "active", id[4]);
	add_named(fx->db, "李明", "active", id[5]);
	assert_int_equal(record_delete(fx->db, table_find("person"), id[4], &err), GQ_OK);
	assert_int_equal(query_rows(fx->db, table_find("person"), &flt, collect, &names, &err), GQ_OK);
	/* 周三 张一 张五 赵四 in name (UTF-8) order; 张二 deleted. */
	assert_string_equal(names.buf, "周三;张一;");
	assert_int_equal(total, 4);

	strbuf_reset(&names);
	flt.status = "active";
	assert_int_equal(query_rows(fx->db, table_find("person"), &flt, collect, &names, &err), GQ_OK);
	assert_string_equal(names.buf, "周三;张一;");
	assert_int_equal(total, 3);

	strbuf_reset(&names);
	flt.status = NULL;
	flt.limit = 0;
	flt.deleted = true;
	assert_int_equal(query_rows(fx->db, table_find("person"), &flt, collect, &names, &err), GQ_OK);
	assert_string_equal(names.buf, "周三;张一;张二;张五;赵四;");
	assert_int_equal(total, 5);
	strbuf_release(&names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keys_follow_the_database, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_narrowing_finds_what_matching_all_finds),
		cmocka_unit_test_setup_teardown(test_limit_and_count, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
