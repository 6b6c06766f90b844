/* test_pinyin.c - readings table, search keys, matching, romanised names. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "guanqing/err.h"
#include "guanqing/pinyin.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void data_path(struct strbuf *sb)
{
	const char *dir = getenv("GUANQING_DATA_DIR");

	strbuf_addf(sb, "%s/pinyin.txt", dir && *dir ? dir : "data");
}

/* Write text to a new temporary file; its name goes into path. */
static void write_temp(char *path, size_t size, const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, size, "/tmp/test_pinyin_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_real_table(void **state)
{
	struct strbuf path = STRBUF_INIT;
	struct gq_err err;
	double t0, ms;
	const char *r[PINYIN_READINGS_MAX];

	(void)state;
	data_path(&path);
	t0 = now_ms();
	assert_int_equal(pinyin_load_file(path.buf, &err), GQ_OK);
	ms = now_ms() - t0;
	print_message("# loaded %s in %.1f ms\n", path.buf, ms);
	/* Well under 100 ms on a slow PC; leave room for a loaded CI. */
	assert_true(ms < 1000.0);
	assert_int_equal(pinyin_load(&err), GQ_OK);

	assert_int_equal(pinyin_readings(0x5355, r, PINYIN_READINGS_MAX), 3);
	assert_string_equal(r[0], "dan");	/* 单 */
	assert_string_equal(r[1], "chan");
	assert_string_equal(r[2], "shan");
	assert_int_equal(pinyin_readings(0x4E2D, r, PINYIN_READINGS_MAX), 1);
	assert_string_equal(r[0], "zhong");	/* zhōng, zhòng: one */
	assert_int_equal(pinyin_readings(0x5415, r, 1), 1);
	assert_string_equal(r[0], "lv");	/* 吕 lǚ */
	assert_int_equal(pinyin_readings(0x3007, r, 1), 3);
	assert_string_equal(r[0], "ling");	/* 〇: only one stored */
	assert_int_equal(pinyin_readings(0x20000, r, 1), 1);	/* ext B */
	assert_int_equal(pinyin_readings('A', r, 1), 0);
	assert_int_equal(pinyin_readings(0x1F600, r, 1), 0);
	/* 欸 has ê̄ and ế among its readings: tones and marks dropped. */
	assert_true(pinyin_readings(0x6B38, r, PINYIN_READINGS_MAX) >= 2);
	strbuf_release(&path);
}

static void test_load_missing_and_corrupt(void **state)
{
	struct gq_err err;
	char path[64];
	const char *r[4];

	(void)state;
	assert_int_equal(pinyin_load_file("/nonexistent/pinyin.txt", &err),
			 GQ_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/pinyin.txt"));
	/* The failure sticks: one try, the same answer. */
	gq_err_clear(&err);
	assert_int_equal(pinyin_load(&err), GQ_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/pinyin.txt"));
	assert_int_equal(pinyin_readings(0x5F20, r, 4), 0);
	/* Without readings a name still matches its own characters. */
	assert_false(pinyin_match("张三", "zs"));
	assert_true(pinyin_match("张三", "张"));
	assert_true(pinyin_match("Anna", "ann"));

	write_temp(path, sizeof(path),
		   "# version: test\nU+5F20: zhāng  # 张\nU+4E09 san\n");
	assert_int_equal(pinyin_load_file(path, &err), GQ_ECORRUPT);
	assert_non_null(strstr(err.msg, "Line 3"));
	assert_non_null(strstr(err.msg, path));
	unlink(path);

	write_temp(path, sizeof(path), "U+5F20: zh?ng  # 张\n");
	assert_int_equal(pinyin_load_file(path, &err), GQ_ECORRUPT);
	unlink(path);

	write_temp(path, sizeof(path), "# nothing\n\n");
	assert_int_equal(pinyin_load_file(path, &err), GQ_ECORRUPT);
	unlink(path);

	/* pinyin_unload() forgets the failure: the data directory again. */
	pinyin_unload();
	assert_int_equal(pinyin_load(&err), GQ_OK);
	assert_int_equal(pinyin_readings(0x5F20, r, 4), 1);
	assert_string_equal(r[0], "zhang");
}

static void test_load_unsorted_file(void **state)
{
	struct gq_err err;
	char path[64];
	const char *r[4];
	struct strbuf real = STRBUF_INIT;

	(void)state;
	write_temp(path, sizeof(path),
		   "U+4E09: sān  # 三\n"
		   "U+5355: dān,chán,shàn  # 单\n"
		   "U+5F20: zhāng,zhàng  # 张\n"
		   "U+4E09: sà  # 三 again: the first line wins\n"
		   "U+3400: qiū  # 㐀\n"
		   "u+5415: lǚ,lü  # 吕\n");
	assert_int_equal(pinyin_load_file(path, &err), GQ_OK);
	unlink(path);
	assert_int_equal(pinyin_readings(0x3400, r, 4), 1);
	assert_string_equal(r[0], "qiu");
	assert_int_equal(pinyin_readings(0x4E09, r, 4), 1);
	assert_string_equal(r[0], "san");
	assert_int_equal(pinyin_readings(0x5355, r, 4), 3);
	assert_string_equal(r[2], "shan");
	assert_int_equal(pinyin_readings(0x5F20, r, 4), 1);
	assert_int_equal(pinyin_readings(0x5415, r, 4), 1);
	assert_string_equal(r[0], "lv");
	assert_int_equal(pinyin_readings(0x674E, r, 4), 0);	/* 李: absent */
	assert_true(pinyin_match("单三", "ss"));
	data_path(&real);
	assert_int_equal(pinyin_load_file(real.buf, &err), GQ_OK);
	strbuf_release(&real);
}

static void test_match_basic(void **state)
{
	static const char *yes[] = {
		"zs", "ZS", "z s", "zhangsan", "ZhangSan", "zhang san",
		"zhang'san", "zhangs", "zsan", "zhan", "zh", "z", "zha", "s",
		"san", "张", "三", "张三", "张s", "zhang三", "", "  ",
		"\xef\xbd\x9a\xef\xbd\x93",	/* fullwidth ｚｓ */
	};
	static const char *no[] = {
		"sz", "zhangsanfeng", "zx", "x", "zsa3", "zhangsa n1",
		"hang", "ang", "李", "张四", "zsan s",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!pinyin_match("张三", yes[i]))
			fail_msg("\"%s\" should find 张三", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (pinyin_match("张三", no[i]))
			fail_msg("\"%s\" should not find 张三", no[i]);
	assert_true(pinyin_match("张三abc", "zsabc"));
	assert_true(pinyin_match("张三abc", "sanA"));
	assert_true(pinyin_match("张三abc", "bc"));
	assert_false(pinyin_match("张三abc", "zsb"));
}

static void test_match_empty_and_null(void **state)
{
	struct pinyin_key key = PINYIN_KEY_INIT;
	struct pinyin_query q;

	(void)state;
	assert_true(pinyin_match(NULL, NULL));
	assert_true(pinyin_match("", ""));
	assert_true(pinyin_match(NULL, ""));
	assert_false(pinyin_match(NULL, "a"));
	assert_false(pinyin_match("", "zs"));
	assert_true(pinyin_match("张三", NULL));
	pinyin_query_set(&q, " ' ");
	assert_true(pinyin_query_empty(&q));
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "zs");
	assert_false(pinyin_query_empty(&q));
	assert_int_equal(pinyin_key_match(&key, &q), -1);
	pinyin_key_set(&key, NULL);
	assert_int_equal(pinyin_key_match(&key, &q), -1);
	pinyin_key_release(&key);
	pinyin_key_release(&key);	/* twice is harmless */
	/* Invalid bytes in a name do not hide the rest of it. */
	assert_true(pinyin_match("\xff张三", "zs"));
	assert_true(pinyin_match("\xe5\xbc", ""));
	assert_false(pinyin_match("\xe5\xbc", "zhang"));
}

static void test_match_polyphonic_surnames(void **state)
{
	(void)state;
	/* 单 as a surname is shàn; dān and chán still match too. */
	assert_true(pinyin_match("单三", "ss"));
	assert_true(pinyin_match("单三", "shans"));
	assert_true(pinyin_match("单三", "shansan"));
	assert_true(pinyin_match("单三", "ds"));
	assert_true(pinyin_match("单三", "cs"));
	assert_false(pinyin_match("单三", "zs"));
	assert_true(pinyin_match("曾志伟", "zzw"));
	assert_true(pinyin_match("曾志伟", "zengzhiwei"));
	assert_true(pinyin_match("曾志伟", "czw"));
	assert_true(pinyin_match("解小东", "xxd"));
	assert_true(pinyin_match("解小东", "jiexiaodong"));
	assert_true(pinyin_match("仇英", "qiuy"));
	assert_true(pinyin_match("朴槿惠", "piaojh"));
	assert_true(pinyin_match("查良镛", "zly"));
	assert_true(pinyin_match("区家麟", "oujl"));
	assert_true(pinyin_match("盖聂", "gen"));
	assert_true(pinyin_match("乐嘉", "yuej"));
	assert_true(pinyin_match("翟天临", "zhaitl"));
	assert_true(pinyin_match("覃海", "qinh"));
	assert_true(pinyin_match("尉迟恭", "ycg"));
	assert_true(pinyin_match("尉迟恭", "yuchigong"));
	assert_true(pinyin_match("尉迟恭", "weichigong"));
	assert_true(pinyin_match("万俟卨", "moqixie"));
	assert_true(pinyin_match("万俟卨", "mqx"));
	assert_true(pinyin_match("单于飞", "chanyufei"));
	assert_true(pinyin_match("繁漪", "poyi"));
	assert_true(pinyin_match("种师道", "chongsd"));
	assert_true(pinyin_match("长孙无忌", "zhangsunwj"));
	/* ü typed as v, or as u. */
	assert_true(pinyin_match("吕布", "lvbu"));
	assert_true(pinyin_match("吕布", "lubu"));
	assert_true(pinyin_match("吕布", "lb"));
	assert_true(pinyin_match("女娲", "nvwa"));
}

static void test_match_position_and_separators(void **state)
{
	struct pinyin_key key = PINYIN_KEY_INIT;
	struct pinyin_query q;

	(void)state;
	pinyin_key_set(&key, "单志强");
	pinyin_query_set(&q, "szq");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "zq");
	assert_int_equal(pinyin_key_match(&key, &q), 1);
	pinyin_query_set(&q, "zhiqiang");
	assert_int_equal(pinyin_key_match(&key, &q), 1);
	pinyin_query_set(&q, "强");
	assert_int_equal(pinyin_key_match(&key, &q), 2);
	pinyin_query_set(&q, "qz");
	assert_int_equal(pinyin_key_match(&key, &q), -1);

	pinyin_key_set(&key, "欧阳·娜娜");
	pinyin_query_set(&q, "oynn");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "ouyangnana");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "欧阳娜娜");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "欧阳·娜娜");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "ouyang nana");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "nana");
	assert_int_equal(pinyin_key_match(&key, &q), 3);
	pinyin_query_set(&q, "·");
	assert_true(pinyin_query_empty(&q));
	pinyin_key_set(&key, "欧阳娜娜");
	pinyin_query_set(&q, "欧阳·娜娜");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_key_set(&key, "欧阳·娜娜");
	pinyin_query_set(&q, "yn");
	assert_int_equal(pinyin_key_match(&key, &q), 1);

	pinyin_key_set(&key, "Anna 李");
	pinyin_query_set(&q, "ANNA l");
	assert_int_equal(pinyin_key_match(&key, &q), 0);
	pinyin_query_set(&q, "nal");
	assert_int_equal(pinyin_key_match(&key, &q), 2);

	/* Longer than PINYIN_QUERY_MAX: nothing. */
	{
		char big[PINYIN_QUERY_MAX + 2];

		memset(big, 'z', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		pinyin_query_set(&q, big);
		assert_false(pinyin_query_empty(&q));
		pinyin_key_set(&key, "张张张");
		assert_int_equal(pinyin_key_match(&key, &q), -1);
	}
	pinyin_key_release(&key);
}

static void check_roman(const char *name, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct gq_err err;

	assert_int_equal(pinyin_romanise(name, &sb, &err), GQ_OK);
	if (strcmp(sb.buf, want))
		fail_msg("%s: \"%s\", want \"%s\"", name ? name : "(null)",
			 sb.buf, want);
	strbuf_release(&sb);
}

static void check_text(const char *text, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct gq_err err;

	assert_int_equal(pinyin_romanise_text(text, &sb, &err), GQ_OK);
	if (strcmp(sb.buf, want))
		fail_msg("%s: \"%s\", want \"%s\"", text, sb.buf, want);
	strbuf_release(&sb);
}

/* Addresses and grid names word by word, punctuation as ASCII: what a
 * TERM=linux console shows. */
static void test_romanise_text(void **state)
{
	(void)state;
	check_text("宋岗村王湾组1号", "Songgang Cun Wangwan Zu 1 Hao");
	check_text("双椿铺镇宋岗村", "Shuangchunpu Zhen Songgang Cun");
	check_text("赤城街道东街社区居民委员会", "Chicheng Jiedao Dong Jie Shequ Jumin Weiyuanhui");
	check_text("宋岗村3组", "Songgang Cun 3 Zu");
	check_text("王湾网格", "Wangwan Wangge");
	check_text("商城县城关镇人民路12号3单元", "Shangcheng Xian Chengguan Zhen Renmin Lu 12 Hao 3 Danyuan");
	/* Names keep the name rule; ASCII stays. */
	check_text("欧阳娜娜", "Ouyang Nana");
	check_text("PIN 码", "PIN Ma");
	/* Full-width punctuation, digits and letters become ASCII, never '?'. */
	check_text("备注：已转介（县未成年人保护中心）。", "Bei Zhu: Yi Zhuanjie (Xian Wei Cheng Nian Ren Bao Hu Zhong Xin).");
	check_text("１２３ＡＢ", "123AB");
	check_text("是、否", "Shi, Fou");
	check_text("“张三”", "\"Zhang San\"");
	check_text("", "");
}

static void test_romanise(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	check_roman("单志强", "Shan Zhiqiang");
	check_roman("张三", "Zhang San");
	check_roman("曾国藩", "Zeng Guofan");
	check_roman("解缙", "Xie Jin");
	check_roman("朴正熙", "Piao Zhengxi");
	check_roman("尉迟恭", "Yuchi Gong");
	check_roman("万俟卨", "Moqi Xie");
	check_roman("长孙无忌", "Zhangsun Wuji");
	check_roman("长江", "Chang Jiang");
	check_roman("欧阳娜娜", "Ouyang Nana");
	check_roman("欧阳·娜娜", "Ouyang Nana");
	check_roman("司马相如", "Sima Xiangru");
	check_roman("欧阳", "Ou Yang");
	check_roman("买买提·艾力", "Maimaiti Aili");
	check_roman("张西安", "Zhang Xi'an");
	check_roman("刘皓月", "Liu Haoyue");
	check_roman("李恩", "Li En");
	check_roman("吕布", "Lv Bu");
	check_roman("单", "Shan");
	check_roman("张三abc", "Zhang Sanabc");
	check_roman("张😀", "Zhang ?");
	check_roman("Anna 李", "Anna Li");
	check_roman(" 张三 ", "Zhang San");
	check_roman("\xff", "?");
	check_roman("", "");
	check_roman(NULL, "");
	/* It appends. */
	strbuf_addstr(&sb, "1. ");
	pinyin_romanise("覃海", &sb, NULL);
	assert_string_equal(sb.buf, "1. Qin Hai");
	strbuf_release(&sb);
}

/* The reference matcher for the big test: the rule of pinyin.h written
 * the slow, obvious way, from the readings table. */
struct ref_name {
	uint32_t cp[8];
	size_t n;
};

static int ref_eq(char q, char r)
{
	return q == r || (q == 'u' && r == 'v');
}

static int ref_from(const struct ref_name *nm, size_t i, const char *q)
{
	const char *r[PINYIN_READINGS_MAX];
	size_t nr, k, t;

	if (!*q)
		return 1;
	if (i == nm->n)
		return 0;
	nr = pinyin_readings(nm->cp[i], r, PINYIN_READINGS_MAX);
	for (k = 0; k < nr; k++)
		for (t = 0; r[k][t] && q[t] && ref_eq(q[t], r[k][t]); t++)
			if (ref_from(nm, i + 1, q + t + 1))
				return 1;
	return 0;
}

static int ref_match(const struct ref_name *nm, const char *q)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		if (ref_from(nm, i, q))
			return (int)i;
	return -1;
}

#define NAMES 50000

static void test_fifty_thousand_names(void **state)
{
	static const char *surnames[] = {
		"张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴",
		"徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
		"单", "曾", "解", "查", "乐", "翟", "吕", "欧阳", "尉迟",
		"司马", "长孙", "区", "朴", "仇",
	};
	static const char *given =
		"三四五伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
		"志国建文玉兰红梅长乐重行和朝单曾解女绿略小东西安恩";
	static const char *queries[] = {
		"zs", "ss", "shans", "zhangs", "wxm", "ouy", "lv", "lu",
		"zhongl", "chen", "yc", "zhangsun", "xian", "an", "zsan",
		"hongm", "a", "jiexi", "qiu",
	};
	uint32_t given_cp[128];
	size_t ngiven = 0, i, qi, used, len = strlen(given);
	struct pinyin_key *keys = calloc(NAMES, sizeof(*keys));
	struct ref_name *ref = calloc(NAMES, sizeof(*ref));
	char **names = calloc(NAMES, sizeof(*names));
	uint32_t seed = 20261128;
	double t0, build_ms, match_ms = 0;
	size_t zhangsan = 0, shansan = 0;

	(void)state;
	assert_non_null(keys);
	assert_non_null(ref);
	assert_non_null(names);
	while ((used = text_decode(given, len, &given_cp[ngiven])) > 0) {
		given += used;
		len -= used;
		ngiven++;
	}
	for (i = 0; i < NAMES; i++) {
		struct strbuf sb = STRBUF_INIT;
		size_t g, ng, off = 0;

		seed = seed * 1103515245u + 12345u;
		strbuf_addstr(&sb, surnames[(seed >> 8) %
				(sizeof(surnames) / sizeof(surnames[0]))]);
		ng = 1 + ((seed >> 20) & 1);
		for (g = 0; g < ng; g++) {
			seed = seed * 1103515245u + 12345u;
			text_add_cp(&sb, given_cp[(seed >> 8) % ngiven]);
		}
		names[i] = strbuf_detach(&sb, NULL);
		if (i == 12345) {
			free(names[i]);
			names[i] = strdup("张三");
		}
		if (i == 43210) {
			free(names[i]);
			names[i] = strdup("单三");
		}
		while ((used = text_decode(names[i] + off,
					   strlen(names[i] + off),
					   &ref[i].cp[ref[i].n])) > 0) {
			off += used;
			ref[i].n++;
		}
	}
	t0 = now_ms();
	for (i = 0; i < NAMES; i++)
		pinyin_key_set(&keys[i], names[i]);
	build_ms = now_ms() - t0;
	for (qi = 0; qi < sizeof(queries) / sizeof(queries[0]); qi++) {
		struct pinyin_query q;
		size_t hits = 0;
		double t1;
		int *got = malloc(NAMES * sizeof(*got));

		assert_non_null(got);
		pinyin_query_set(&q, queries[qi]);
		t1 = now_ms();
		for (i = 0; i < NAMES; i++)
			got[i] = pinyin_key_match(&keys[i], &q);
		match_ms += now_ms() - t1;
		for (i = 0; i < NAMES; i++) {
			int want = ref_match(&ref[i], queries[qi]);

			if (got[i] != want)
				fail_msg("%s ~ %s: %d, reference %d", names[i],
					 queries[qi], got[i], want);
			hits += got[i] >= 0;
		}
		if (!strcmp(queries[qi], "zs"))
			zhangsan = got[12345] == 0;
		if (!strcmp(queries[qi], "ss"))
			shansan = got[43210] == 0;
		print_message("# %-10s %6zu of %d\n", queries[qi], hits, NAMES);
		assert_true(hits > 0);
		assert_true(hits < NAMES);
		free(got);
	}
	assert_true(zhangsan);
	assert_true(shansan);
	print_message("# keys for %d names in %.1f ms; %zu searches in %.1f ms\n",
		      NAMES, build_ms,
		      sizeof(queries) / sizeof(queries[0]), match_ms);
	/* Per keystroke: cheap. Generous bound for a busy build machine. */
	assert_true(match_ms / (double)(sizeof(queries) / sizeof(queries[0]))
		    < 250.0);
	for (i = 0; i < NAMES; i++) {
		pinyin_key_release(&keys[i]);
		free(names[i]);
	}
	free(keys);
	free(ref);
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_real_table),
		cmocka_unit_test(test_load_missing_and_corrupt),
		cmocka_unit_test(test_load_unsorted_file),
		cmocka_unit_test(test_match_basic),
		cmocka_unit_test(test_match_empty_and_null),
		cmocka_unit_test(test_match_polyphonic_surnames),
		cmocka_unit_test(test_match_position_and_separators),
		cmocka_unit_test(test_romanise),
		cmocka_unit_test(test_romanise_text),
		cmocka_unit_test(test_fifty_thousand_names),
	};

	return cmocka_run_group_tests_name("pinyin", tests, NULL, NULL);
}
