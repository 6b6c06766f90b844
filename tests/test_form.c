/* test_form.c - visit form definitions: loading, rules, risk, JSON. */
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

#include "guanqing/clock.h"
#include "guanqing/err.h"
#include "guanqing/form.h"
#include "guanqing/strbuf.h"

static char tmpdir[256];

/* Write text to tmpdir/name and return the path (static buffer). */
static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static struct form *load_text(const char *name, const char *text)
{
	struct form *f = NULL;
	struct gq_err e = { 0 };
	enum gq_status rc = form_load(write_file(name, text), &f, &e);

	if (rc != GQ_OK)
		fail_msg("%s", e.msg);
	assert_non_null(f);
	return f;
}

static struct form *find(const char *id)
{
	struct form *f = NULL;
	struct gq_err e = { 0 };

	if (form_find(NULL, id, &f, &e) != GQ_OK)
		fail_msg("%s", e.msg);
	return f;
}

static int idx(const struct form *f, const char *id)
{
	int i = form_field_index(f, id);

	if (i < 0)
		fail_msg("no field %s", id);
	return i;
}

/* Whether field id is shown, and every field shown as form_field_visible()
 * says: form_fields_visible() agrees with it for each. */
static int visible(const struct form *f, const struct form_answers *a,
		   const char *id)
{
	char vis[256];
	size_t i;

	assert_true(form_field_count(f) <= sizeof(vis));
	memset(vis, 2, sizeof(vis));
	form_fields_visible(f, a, vis);
	for (i = 0; i < form_field_count(f); i++)
		assert_int_equal(vis[i], form_field_visible(f, a, i));
	assert_int_equal(vis[form_field_count(f)], 2);
	return form_field_visible(f, a, (size_t)idx(f, id));
}

/* Check a single value; returns the message (static) or NULL when ok. */
static const char *check_val(const struct form *f, const char *id,
			     const char *v, int english)
{
	static struct gq_err e;

	gq_err_clear(&e);
	if (form_check_value(f, (size_t)idx(f, id), v, english, &e) == GQ_OK)
		return NULL;
	assert_int_equal(e.code, GQ_EINVAL);
	return e.msg;
}

#define assert_contains(hay, needle) do { \
	const char *h_ = (hay); \
	if (!h_ || !strstr(h_, (needle))) \
		fail_msg("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", \
			 (needle)); \
} while (0)

/* ---- the shipped forms ---- */

static void test_list_shipped(void **state)
{
	struct form_list list = FORM_LIST_INIT;
	struct gq_err e = { 0 };

	(void)state;
	assert_int_equal(form_list_dir(NULL, &list, &e), GQ_OK);
	assert_int_equal(list.nr, 4);
	assert_string_equal(list.ids[0], "assistance_check");
	assert_string_equal(list.ids[1], "child_visit");
	assert_string_equal(list.ids[2], "death_report");
	assert_string_equal(list.ids[3], "elderly_visit");
	form_list_release(&list);
	assert_null(list.ids);
	assert_int_equal(list.nr, 0);
}

static void test_shipped_forms_complete(void **state)
{
	static const char *const ids[] = {
		"child_visit", "elderly_visit", "assistance_check", "death_report"
	};
	size_t k, i, c;

	(void)state;
	for (k = 0; k < 4; k++) {
		struct form *f = find(ids[k]);

		assert_string_equal(form_id(f), ids[k]);
		assert_int_equal(form_version(f), 1);
		assert_true(form_field_count(f) >= 10);
		/* Every text has a Chinese and an English spelling, so that
		 * the English interface on the Linux console shows no CJK. */
		assert_string_not_equal(form_title(f, 0), form_title(f, 1));
		for (i = 0; i < form_field_count(f); i++) {
			assert_non_null(form_field_attr(f, i, "label.en"));
			assert_string_not_equal(form_field_label(f, i, 0),
						form_field_label(f, i, 1));
			for (c = 0; c < form_field_choice_count(f, i); c++)
				assert_string_not_equal(
					form_field_choice_label(f, i, c, 0),
					form_field_choice_label(f, i, c, 1));
		}
		form_free(&f);
		assert_null(f);
	}
}

static void test_child_visit_fields(void **state)
{
	struct form *f = find("child_visit");
	int i;

	(void)state;
	assert_string_equal(form_title(f, 0), "留守儿童、困境儿童走访记录");
	assert_true(form_applies_count(f) >= 2);
	assert_string_equal(form_applies_to(f, 0), "left_behind_child");
	assert_null(form_applies_to(f, 99));

	i = idx(f, "guardian_present");
	assert_int_equal(form_field_type(f, i), FORM_YESNO);
	assert_string_equal(form_field_label(f, i, 0), "监护人是否在家");
	assert_string_equal(form_field_label(f, i, 1), "Guardian at home");
	assert_true(form_field_required(f, i));

	i = idx(f, "school_status");
	assert_int_equal(form_field_type(f, i), FORM_CHOICE);
	assert_int_equal(form_field_choice_count(f, i), 4);
	assert_string_equal(form_field_choice_code(f, i, 1), "dropped_out");
	assert_string_equal(form_field_choice_label(f, i, 1, 0), "辍学");
	assert_string_equal(form_field_choice_label(f, i, 1, 1), "Dropped out");
	assert_int_equal(form_field_choice_index(f, i, "preschool"), 3);
	assert_int_equal(form_field_choice_index(f, i, "nope"), -1);
	assert_null(form_field_choice_code(f, i, 4));

	i = idx(f, "safety_risks");
	assert_int_equal(form_field_type(f, i), FORM_MULTI);
	assert_string_equal(form_field_choice_code(f, i, 0), "drowning");
	assert_non_null(form_field_help(f, i, 0));
	assert_false(form_field_required(f, i));

	i = idx(f, "parents_contact_times");
	assert_string_equal(form_field_min(f, i), "1");
	assert_string_equal(form_field_max(f, i), "100");
	assert_string_equal(form_field_unit(f, i, 0), "次");
	assert_string_equal(form_field_unit(f, i, 1), "times");

	i = idx(f, "notes");
	assert_int_equal(form_field_max_length(f, i), 500);
	assert_int_equal(form_field_min_length(f, i), 0);
	assert_null(form_field_help(f, i, 1));
	assert_null(form_field_min(f, i));

	i = idx(f, "next_visit");
	assert_string_equal(form_field_min(f, i), "today");
	assert_string_equal(form_field_attr(f, i, "default"), "followup");
	assert_null(form_field_attr(f, i, "no_such_key"));
	assert_null(form_field_attr(f, i, NULL));

	assert_int_equal(form_field_index(f, "nope"), -1);
	assert_int_equal(form_field_index(f, NULL), -1);
	assert_string_equal(form_type_name(FORM_MULTI), "multi");
	assert_string_equal(form_type_name(FORM_TYPE_MAX), "?");
	assert_string_equal(form_field_attr(f, 0, "label"), "走访方式");
	form_free(&f);
}

static void test_find_and_dirs(void **state)
{
	struct form *f = (struct form *)1;
	struct form_list list = FORM_LIST_INIT;
	struct gq_err e = { 0 };
	char *saved = getenv("GUANQING_FORMS_DIR") ?
		      strdup(getenv("GUANQING_FORMS_DIR")) : NULL;

	(void)state;
	assert_int_equal(form_find(NULL, "no_such_form", &f, &e), GQ_ENOTFOUND);
	assert_null(f);
	assert_contains(e.msg, "no_such_form");
	assert_int_equal(form_find(NULL, "../etc/passwd", &f, &e), GQ_ENOTFOUND);
	assert_int_equal(form_find(NULL, "", &f, &e), GQ_ENOTFOUND);
	assert_int_equal(form_find(NULL, NULL, &f, &e), GQ_ENOTFOUND);
	assert_int_equal(form_load(NULL, &f, &e), GQ_EINVAL);
	assert_int_equal(form_load("/nonexistent/x.form", &f, &e), GQ_ENOTFOUND);
	assert_int_equal(form_list_dir("/nonexistent/forms", &list, &e),
			 GQ_ENOTFOUND);
	assert_contains(e.msg, "/nonexistent/forms");

	/* Only ID.form files count: not backups, hidden or other files. */
	write_file("zz_other.txt", "x");
	write_file("x.form~", "x");
	write_file(".hidden.form", "x");
	write_file("Bad-Name.form", "x");
	assert_int_equal(form_list_dir(tmpdir, &list, &e), GQ_OK);
	{
		size_t i;

		for (i = 0; i < list.nr; i++) {
			assert_string_not_equal(list.ids[i], "x");
			assert_string_not_equal(list.ids[i], ".hidden");
			assert_string_not_equal(list.ids[i], "Bad-Name");
		}
	}
	form_list_release(&list);
	form_list_release(NULL);

	/* Without the variable: the installed folder, or where there is
	 * none, the forms of the tree the program was built in. */
	setenv("GUANQING_FORMS_DIR", "", 1);
	assert_true(!strcmp(form_default_dir(), PKGDATADIR "/forms") ||
		    !strcmp(form_default_dir(), BUILD_SRCDIR "/screens/forms"));
	setenv("GUANQING_FORMS_DIR", "/srv/村/forms", 1);
	assert_string_equal(form_default_dir(), "/srv/村/forms");
	if (saved) {
		setenv("GUANQING_FORMS_DIR", saved, 1);
		free(saved);
	} else {
		unsetenv("GUANQING_FORMS_DIR");
	}
}

/* ---- show_if and required ---- */

static void test_show_if_child_visit(void **state)
{
	struct form *f = find("child_visit");
	struct form_answers a = FORM_ANSWERS_INIT;
	struct gq_err e = { 0 };

	(void)state;
	/* Nothing answered: conditional fields are hidden. */
	assert_false(visible(f, &a, "guardian_absent_reason"));
	assert_true(visible(f, &a, "guardian_present"));
	assert_false(visible(f, &a, "grade"));
	/* != on an empty answer holds. */
	assert_true(visible(f, &a, "guardian_care"));

	form_answers_set(&a, "guardian_present", "no");
	assert_true(visible(f, &a, "guardian_absent_reason"));
	assert_int_equal(form_check_field(f, &a, (size_t)idx(f, "guardian_absent_reason"),
					  0, &e), GQ_EINVAL);
	assert_string_equal(e.msg, "Field \"监护人不在家的原因\" is required.");
	assert_int_equal(form_check_field(f, &a, (size_t)idx(f, "guardian_absent_reason"),
					  1, &e), GQ_EINVAL);
	assert_string_equal(e.msg, "Field \"Why the guardian is away\" is required.");
	form_answers_set(&a, "guardian_absent_reason", "外出务工，春节回家");
	assert_int_equal(form_check_field(f, &a, (size_t)idx(f, "guardian_absent_reason"),
					  0, &e), GQ_OK);

	/* Hidden again: not required, and the answer is dropped. */
	form_answers_set(&a, "guardian_present", "yes");
	assert_false(visible(f, &a, "guardian_absent_reason"));
	assert_int_equal(form_check_field(f, &a, (size_t)idx(f, "guardian_absent_reason"),
					  0, &e), GQ_OK);
	form_answers_prune(f, &a);
	assert_null(form_answers_get(&a, "guardian_absent_reason"));
	assert_string_equal(form_answers_get(&a, "guardian_present"), "yes");

	/* and with != */
	form_answers_set(&a, "guardian_relation", "institution");
	assert_false(visible(f, &a, "guardian_care"));
	form_answers_set(&a, "guardian_relation", "grandparent");
	assert_true(visible(f, &a, "guardian_care"));

	/* or */
	form_answers_set(&a, "school_status", "in_school");
	assert_true(visible(f, &a, "grade"));
	assert_false(visible(f, &a, "out_of_school_reason"));
	form_answers_set(&a, "school_status", "not_enrolled");
	assert_false(visible(f, &a, "grade"));
	assert_true(visible(f, &a, "out_of_school_reason"));
	form_answers_set(&a, "school_status", "dropped_out");
	assert_true(visible(f, &a, "out_of_school_reason"));

	/* has */
	form_answers_set(&a, "safety_risks", "drowning,traffic");
	assert_false(visible(f, &a, "safety_other"));
	form_answers_set(&a, "safety_risks", "drowning,other");
	assert_true(visible(f, &a, "safety_other"));

	assert_false(form_field_visible(f, &a, 999));
	assert_false(form_field_visible(NULL, &a, 0));
	form_answers_release(&a);
	form_free(&f);
}

static void test_show_if_chain(void **state)
{
	struct form *f = find("elderly_visit");
	struct form_answers a = FORM_ANSWERS_INIT;

	(void)state;
	form_answers_set(&a, "elder_seen", "yes");
	form_answers_set(&a, "chronic_diseases", "diabetes");
	assert_true(visible(f, &a, "takes_medicine"));
	/* chronic_diseases becomes hidden, so its answer counts as empty
	 * for the fields after it: takes_medicine hides too. */
	form_answers_set(&a, "elder_seen", "no");
	assert_false(visible(f, &a, "chronic_diseases"));
	assert_false(visible(f, &a, "takes_medicine"));
	/* = "" means "nothing chosen". */
	assert_false(visible(f, &a, "hazard_handled"));
	form_answers_set(&a, "home_safety", "falls");
	assert_true(visible(f, &a, "hazard_handled"));
	form_answers_release(&a);
	form_free(&f);
}

static void test_operators(void **state)
{
	struct form *f = load_text("ops.form",
		"form = ops\nversion = 2\ntitle = 运算\n"
		"[field age]\ntype = integer\nlabel = 年龄\n"
		"[field adult_q]\ntype = text\nlabel = a\nshow_if = age >= 18\n"
		"[field school_q]\ntype = text\nlabel = s\n"
		"show_if = age < 18 and not (age < 6)\n"
		"[field not_five]\ntype = text\nlabel = n\nshow_if = age != 5\n"
		"[field le]\ntype = text\nlabel = le\nshow_if = age <= 3\n"
		"[field gt]\ntype = text\nlabel = gt\nshow_if = age > 3\n"
		"[field amount]\ntype = decimal\nlabel = 金额\n"
		"[field big]\ntype = yesno\nlabel = b\nshow_if = amount > 1000.5\n"
		"[field eq_num]\ntype = yesno\nlabel = e\nshow_if = amount = 7\n"
		"[field when]\ntype = date\nlabel = 日期\n"
		"[field recent]\ntype = yesno\nlabel = r\nshow_if = when >= today-30\n"
		"[field old]\ntype = yesno\nlabel = o\nshow_if = when < 2000-01-01\n"
		"[field picks]\ntype = multi\nlabel = 多选\n[choices]\n"
		"a = 甲 | A\nb = 乙 | B\nc = 丙 | C\n"
		"[field prec]\ntype = yesno\nlabel = p\n"
		"show_if = picks has a or picks has b and picks has c\n"
		"[field exact]\ntype = yesno\nlabel = x\nshow_if = picks = \"c,a\"\n"
		"[field words]\ntype = text\nlabel = 文字\n"
		"[field quoted]\ntype = yesno\nlabel = q\n"
		"show_if = words = \"你好 世界\" or words = \"say \\\"hi\\\"\"\n");
	struct form_answers a = FORM_ANSWERS_INIT;

	(void)state;
	assert_string_equal(form_id(f), "ops");
	assert_int_equal(form_version(f), 2);
	assert_false(visible(f, &a, "adult_q"));	/* empty: no compare */
	assert_true(visible(f, &a, "not_five"));
	form_answers_set(&a, "age", "18");
	assert_true(visible(f, &a, "adult_q"));
	assert_false(visible(f, &a, "school_q"));
	form_answers_set(&a, "age", "17");
	assert_false(visible(f, &a, "adult_q"));
	assert_true(visible(f, &a, "school_q"));
	form_answers_set(&a, "age", "5");
	assert_false(visible(f, &a, "school_q"));
	assert_false(visible(f, &a, "not_five"));
	form_answers_set(&a, "age", "6");
	assert_true(visible(f, &a, "school_q"));
	form_answers_set(&a, "age", "3");
	assert_true(visible(f, &a, "le"));
	assert_false(visible(f, &a, "gt"));
	form_answers_set(&a, "age", "4");
	assert_false(visible(f, &a, "le"));
	assert_true(visible(f, &a, "gt"));
	form_answers_set(&a, "age", "abc");	/* not a number: no compare */
	assert_false(visible(f, &a, "gt"));

	form_answers_set(&a, "amount", "1000.5");
	assert_false(visible(f, &a, "big"));
	form_answers_set(&a, "amount", "1000.51");
	assert_true(visible(f, &a, "big"));
	form_answers_set(&a, "amount", "7.00");
	assert_true(visible(f, &a, "eq_num"));	/* = compares numbers */

	form_answers_set(&a, "when", "2026-10-29");	/* today-30 */
	assert_true(visible(f, &a, "recent"));
	form_answers_set(&a, "when", "2026-10-28");
	assert_false(visible(f, &a, "recent"));
	assert_false(visible(f, &a, "old"));
	form_answers_set(&a, "when", "1999-12-31");
	assert_true(visible(f, &a, "old"));

	/* and binds tighter than or */
	form_answers_set(&a, "picks", "a");
	assert_true(visible(f, &a, "prec"));
	form_answers_set(&a, "picks", "b");
	assert_false(visible(f, &a, "prec"));
	form_answers_set(&a, "picks", "b,c");
	assert_true(visible(f, &a, "prec"));
	/* = on a multi compares the set, in any order */
	assert_false(visible(f, &a, "exact"));
	form_answers_set(&a, "picks", "a,c");
	assert_true(visible(f, &a, "exact"));

	form_answers_set(&a, "words", "你好 世界");
	assert_true(visible(f, &a, "quoted"));
	form_answers_set(&a, "words", "say \"hi\"");
	assert_true(visible(f, &a, "quoted"));
	form_answers_set(&a, "words", "你好");
	assert_false(visible(f, &a, "quoted"));
	form_answers_release(&a);
	form_free(&f);
}

static void test_required_and_check_all(void **state)
{
	struct form *f = find("child_visit");
	struct form_answers a = FORM_ANSWERS_INIT;
	struct gq_err e = { 0 };

	(void)state;
	/* Every missing required answer is named at once, in form order. */
	assert_int_equal(form_check(f, &a, 0, &e), GQ_EINVAL);
	assert_string_equal(e.msg, "12 required answers are missing: 走访方式、是否见到儿童本人、"
			    "监护人是否在家、实际监护人与儿童的关系、监护人健康状况、监护人照料能力、"
			    "近一个月父母与儿童联系情况、就学状况、儿童健康状况、疾病或残疾情况、心理状况、"
			    "下次走访日期.");
	assert_string_equal(e.field, "visit_kind");
	assert_int_equal(form_check(f, &a, 1, &e), GQ_EINVAL);
	assert_true(strstr(e.msg, ": Kind of visit, Child seen in person, Guardian at home, ") != NULL);
	/* One missing answer is said as before. */
	form_answers_set(&a, "visit_kind", "home");
	form_answers_set(&a, "child_seen", "yes");
	form_answers_set(&a, "guardian_present", "yes");
	form_answers_set(&a, "guardian_relation", "grandparent");
	form_answers_set(&a, "guardian_health", "old");
	form_answers_set(&a, "guardian_care", "fair");
	form_answers_set(&a, "parents_contact", "weekly");
	form_answers_set(&a, "school_status", "in_school");
	form_answers_set(&a, "grade", "primary_4");
	form_answers_set(&a, "health", "healthy");
	form_answers_set(&a, "psych_state", "good");
	assert_int_equal(form_check(f, &a, 0, &e), GQ_EINVAL);
	assert_string_equal(e.msg, "Field \"下次走访日期\" is required.");
	assert_string_equal(e.field, "next_visit");
	form_answers_release(&a);
	form_answers_init(&a);

	form_answers_set(&a, "visit_kind", "home");
	form_answers_set(&a, "child_seen", "yes");
	form_answers_set(&a, "guardian_present", "yes");
	form_answers_set(&a, "guardian_relation", "grandparent");
	form_answers_set(&a, "guardian_health", "old");
	form_answers_set(&a, "guardian_care", "fair");
	form_answers_set(&a, "parents_contact", "weekly");
	form_answers_set(&a, "parents_contact_times", "6");
	form_answers_set(&a, "school_status", "in_school");
	form_answers_set(&a, "grade", "primary_4");
	form_answers_set(&a, "school_name", "商城县赤城街道中心小学");
	form_answers_set(&a, "health", "healthy");
	form_answers_set(&a, "safety_risks", "drowning");
	form_answers_set(&a, "psych_state", "good");
	form_answers_set(&a, "needs", "study_aid,counselling");
	form_answers_set(&a, "next_visit", "2026-12-28");
	if (form_check(f, &a, 0, &e) != GQ_OK)
		fail_msg("%s", e.msg);

	/* A field of another form is refused by its id. */
	form_answers_set(&a, "self_care", "self");
	assert_int_equal(form_check(f, &a, 0, &e), GQ_EINVAL);
	assert_string_equal(e.msg, "The form \"child_visit\" has no field \"self_care\".");
	form_answers_set(&a, "self_care", NULL);

	/* A wrong value is refused with the field's label. */
	form_answers_set(&a, "grade", "primary_9");
	assert_int_equal(form_check(f, &a, 0, &e), GQ_EINVAL);
	assert_string_equal(e.msg, "Field \"年级\": \"primary_9\" is not one of its choices.");
	/* ... unless the field is hidden: its answer does not count. */
	form_answers_set(&a, "school_status", "preschool");
	assert_int_equal(form_check(f, &a, 0, &e), GQ_OK);

	assert_int_equal(form_check_field(f, &a, 999, 0, &e), GQ_EINVAL);
	assert_int_equal(form_check(NULL, &a, 0, &e), GQ_EINVAL);
	form_answers_release(&a);
	form_free(&f);
}

/* ---- value rules ---- */

static void test_numbers(void **state)
{
	struct form *f = find("assistance_check");

	(void)state;
	assert_null(check_val(f, "members_registered", "3", 0));
	assert_null(check_val(f, "members_registered", "20", 0));
	assert_null(check_val(f, "members_registered", "", 0));
	assert_null(check_val(f, "members_registered", NULL, 0));
	assert_string_equal(check_val(f, "members_registered", "0", 0),
			    "Field \"在册家庭人口\": 0 is less than the smallest allowed value, 1.");
	assert_string_equal(check_val(f, "members_registered", "21", 1),
			    "Field \"Household members on record\": 21 is more than the largest allowed value, 20.");
	assert_contains(check_val(f, "members_registered", "三", 0), "is not a whole number");
	assert_contains(check_val(f, "members_registered", "1.5", 0), "is not a whole number");
	assert_contains(check_val(f, "members_registered", "+3", 0), "is not a whole number");
	assert_contains(check_val(f, "members_registered", " 3", 0), "is not a whole number");
	assert_contains(check_val(f, "members_registered", "-1", 0), "less than");
	assert_contains(check_val(f, "members_registered", "99999999999999999999", 0),
			"is not a whole number");

	assert_null(check_val(f, "monthly_income", "1250.50", 0));
	assert_null(check_val(f, "monthly_income", "0", 0));
	assert_null(check_val(f, "monthly_income", "100000", 0));
	assert_string_equal(check_val(f, "monthly_income", "1250.505", 0),
			    "Field \"家庭月收入\": 1250.505 has more than 2 digits after the decimal point.");
	assert_contains(check_val(f, "monthly_income", "-0.01", 0), "less than");
	assert_contains(check_val(f, "monthly_income", "100000.01", 0), "more than");
	assert_contains(check_val(f, "monthly_income", "12,5", 0), "is not a number");
	assert_contains(check_val(f, "monthly_income", ".5", 0), "is not a number");
	assert_contains(check_val(f, "monthly_income", "5.", 0), "is not a number");
	assert_int_equal(form_field_decimals(f, (size_t)idx(f, "monthly_income")), 2);
	assert_int_equal(form_field_decimals(f, (size_t)idx(f, "members_present")), -1);
	form_free(&f);
}

static void test_dates(void **state)
{
	struct form *f = find("death_report");
	struct form *c = find("child_visit");

	(void)state;
	/* The tests' clock says 2026-11-28. */
	assert_null(check_val(f, "death_date", "2026-11-28", 0));
	assert_null(check_val(f, "death_date", "2024-02-29", 0));
	assert_string_equal(check_val(f, "death_date", "2026-11-29", 1),
			    "Field \"Date of death\": the date 2026-11-29 is after 2026-11-28, the latest allowed.");
	assert_string_equal(check_val(f, "death_date", "2023-02-29", 0),
			    "Field \"死亡日期\": 2023-02-29 is not a real calendar date written YYYY-MM-DD.");
	assert_contains(check_val(f, "death_date", "2026-04-31", 0), "not a real calendar date");
	assert_contains(check_val(f, "death_date", "2026-13-01", 0), "not a real calendar date");
	assert_contains(check_val(f, "death_date", "2026-1-5", 0), "not a real calendar date");
	assert_contains(check_val(f, "death_date", "2026年11月1日", 0), "not a real calendar date");
	assert_contains(check_val(f, "death_date", "today", 0), "not a real calendar date");
	assert_string_equal(check_val(f, "death_date", "1899-12-31", 0),
			    "Field \"死亡日期\": the date 1899-12-31 is before 1900-01-01, the earliest allowed.");
	assert_null(check_val(f, "death_date", "2000-02-29", 0));
	assert_contains(check_val(f, "death_date", "1900-02-29", 0), "not a real calendar date");
	/* min = today, max = today+365 */
	assert_contains(check_val(c, "next_visit", "2026-11-27", 0),
			"before 2026-11-28");
	assert_null(check_val(c, "next_visit", "2026-11-28", 0));
	assert_null(check_val(c, "next_visit", "2027-11-28", 0));
	assert_contains(check_val(c, "next_visit", "2027-11-29", 0),
			"after 2027-11-28");
	form_free(&f);
	form_free(&c);
}

static void test_text_length_chinese(void **state)
{
	struct form *f = load_text("lengths.form",
		"form = lengths\nversion = 1\ntitle = 长度\n"
		"[field name]\ntype = text\nlabel = 姓名\nlabel.en = Name\n"
		"min_length = 2\nmax_length = 5\n");
	struct form *d = find("death_report");
	char thirty[128] = "", more[160];
	int i;

	(void)state;
	assert_null(check_val(f, "name", "张三", 0));		/* 6 bytes */
	assert_null(check_val(f, "name", "中a文b字", 0));	/* 5 chars */
	assert_null(check_val(f, "name", "李·娜", 0));
	assert_string_equal(check_val(f, "name", "欧阳娜娜娜娜", 0),
			    "Field \"姓名\" may be at most 5 characters long; it has 6.");
	assert_string_equal(check_val(f, "name", "王", 1),
			    "Field \"Name\" must be at least 2 characters long; it has 1.");
	assert_contains(check_val(f, "name", "ab\xff", 0), "not valid UTF-8");
	assert_contains(check_val(f, "name", "\xe4\xb8", 0), "not valid UTF-8");
	assert_contains(check_val(f, "name", "\xc0\xaf\x41", 0), "not valid UTF-8");
	assert_contains(check_val(f, "name", "\xed\xa0\x80\x41", 0), "not valid UTF-8");
	assert_contains(check_val(f, "name", "a\x01" "b", 0), "control character");
	assert_null(check_val(f, "name", "第一\n二", 0));
	assert_null(check_val(f, "name", "😀😀", 0));	/* 4-byte characters */

	/* The shipped informant name: at most 30 characters. */
	for (i = 0; i < 30; i++)
		strcat(thirty, "陈");
	assert_null(check_val(d, "informant_name", thirty, 0));
	snprintf(more, sizeof(more), "%s陈", thirty);
	assert_contains(check_val(d, "informant_name", more, 0), "at most 30 characters");
	form_free(&f);
	form_free(&d);
}

static void test_pattern(void **state)
{
	struct form *d = find("death_report");
	struct form *f = load_text("pat.form",
		"form = pat\nversion = 1\ntitle = 模式\n"
		"[field code]\ntype = text\nlabel = 编码\npattern = [A-Z]{2}[0-9]+\n");

	(void)state;
	assert_null(check_val(d, "informant_phone", "13812345678", 0));
	assert_null(check_val(d, "informant_phone", "0376-7981234", 0));
	assert_null(check_val(d, "informant_phone", "03767981234", 0));
	assert_string_equal(check_val(d, "informant_phone", "12345", 0),
			    "Field \"报告人电话\": 请填写 11 位手机号或带区号的固定电话，如 13812345678 或 0376-7981234。");
	assert_contains(check_val(d, "informant_phone", "12345", 1),
			"Field \"Informant's phone\": Write an 11-digit mobile number");
	/* The whole answer must match, not a part of it. */
	assert_non_null(check_val(d, "informant_phone", "138123456789", 0));
	assert_non_null(check_val(d, "informant_phone", "x13812345678", 0));
	assert_non_null(check_val(d, "informant_phone", "电话13812345678", 0));

	assert_null(check_val(f, "code", "AB12", 0));
	assert_string_equal(check_val(f, "code", "ab12", 0),
			    "Field \"编码\": \"ab12\" is not in the expected form.");
	form_free(&d);
	form_free(&f);
}

static void test_yesno_choice_multi(void **state)
{
	struct form *f = find("child_visit");

	(void)state;
	assert_null(check_val(f, "guardian_present", "yes", 0));
	assert_null(check_val(f, "guardian_present", "no", 0));
	assert_string_equal(check_val(f, "guardian_present", "是", 0),
			    "Field \"监护人是否在家\": the answer must be yes or no, not \"是\".");
	assert_non_null(check_val(f, "guardian_present", "YES", 0));
	assert_non_null(check_val(f, "school_status", "在校", 0));
	assert_null(check_val(f, "school_status", "in_school", 0));
	assert_null(check_val(f, "safety_risks", "drowning", 0));
	assert_null(check_val(f, "safety_risks", "traffic,drowning,online", 0));
	assert_string_equal(check_val(f, "safety_risks", "drowning,drowning", 0),
			    "Field \"安全风险\": \"drowning\" is chosen twice.");
	assert_contains(check_val(f, "safety_risks", "drowning,,traffic", 0), "empty item");
	assert_contains(check_val(f, "safety_risks", "drowning,", 0), "empty item");
	assert_string_equal(check_val(f, "safety_risks", "swimming", 1),
			    "Field \"Safety risks\": \"swimming\" is not one of its choices.");
	assert_non_null(check_val(f, "safety_risks", "drowning, traffic", 0));
	form_free(&f);
}

static void test_normalize_prune(void **state)
{
	struct form *f = find("child_visit");
	struct form_answers a = FORM_ANSWERS_INIT;

	(void)state;
	form_answers_set(&a, "safety_risks", " online , drowning,online,, ghost ");
	form_answers_set(&a, "notes", "  孩子很懂事  ");
	form_answers_set(&a, "not_in_form", " x ");
	form_answers_normalize(f, &a);
	assert_string_equal(form_answers_get(&a, "safety_risks"), "drowning,online,ghost");
	assert_string_equal(form_answers_get(&a, "notes"), "孩子很懂事");
	assert_string_equal(form_answers_get(&a, "not_in_form"), "x");

	form_answers_set(&a, "grade", "primary_1");	/* hidden */
	form_answers_set(&a, "measures", "");		/* empty */
	form_answers_prune(f, &a);
	assert_null(form_answers_get(&a, "grade"));
	assert_null(form_answers_get(&a, "measures"));
	assert_non_null(form_answers_get(&a, "not_in_form"));
	assert_non_null(form_answers_get(&a, "notes"));
	form_answers_release(&a);
	form_free(&f);
}

/* ---- risk, follow-up, defaults ---- */

static void test_risk_child(void **state)
{
	struct form *f = find("child_visit");
	struct form_answers a = FORM_ANSWERS_INIT;

	(void)state;
	assert_string_equal(form_risk(f, &a), "low");
	form_answers_set(&a, "safety_risks", "drowning");
	assert_string_equal(form_risk(f, &a), "medium");
	form_answers_set(&a, "safety_risks", "left_alone,drowning");
	assert_string_equal(form_risk(f, &a), "high");
	form_answers_set(&a, "safety_risks", "traffic");
	assert_string_equal(form_risk(f, &a), "low");
	form_answers_set(&a, "school_status", "dropped_out");
	assert_string_equal(form_risk(f, &a), "medium");
	form_answers_set(&a, "psych_state", "crisis");
	assert_string_equal(form_risk(f, &a), "high");
	form_answers_set(&a, "psych_state", "good");
	form_answers_set(&a, "school_status", "in_school");
	/* A hidden answer does not count: guardian_care is hidden when the
	 * child lives in an institution. */
	form_answers_set(&a, "guardian_relation", "grandparent");
	form_answers_set(&a, "guardian_care", "unable");
	assert_string_equal(form_risk(f, &a), "high");
	form_answers_set(&a, "guardian_relation", "institution");
	assert_string_equal(form_risk(f, &a), "low");
	/* A parenthesised or */
	form_answers_set(&a, "guardian_relation", "parent");
	form_answers_set(&a, "guardian_care", "poor");
	form_answers_set(&a, "health", "serious");
	assert_string_equal(form_risk(f, &a), "high");
	form_answers_set(&a, "guardian_care", "good");
	assert_string_equal(form_risk(f, &a), "medium");
	form_answers_set(&a, "parents_contact", "unreachable");
	assert_string_equal(form_risk(f, &a), "high");
	form_answers_release(&a);
	form_free(&f);
}

static void test_risk_elderly_and_assistance(void **state)
{
	struct form *f = find("elderly_visit");
	struct form *g = find("assistance_check");
	struct form_answers a = FORM_ANSWERS_INIT;

	(void)state;
	form_answers_set(&a, "elder_seen", "yes");
	form_answers_set(&a, "self_care", "self");
	form_answers_set(&a, "daily_check", "child");
	form_answers_set(&a, "check_frequency", "daily");
	form_answers_set(&a, "emergency_contact_reached", "yes");
	assert_string_equal(form_risk(f, &a), "low");
	form_answers_set(&a, "self_care", "none");
	assert_string_equal(form_risk(f, &a), "medium");
	form_answers_set(&a, "daily_check", "nobody");
	assert_string_equal(form_risk(f, &a), "high");
	form_answers_release(&a);

	/* != holds for an empty answer: answer what the rules look at. */
	form_answers_set(&a, "housing", "own_safe");
	assert_string_equal(form_risk(g, &a), "medium");
	form_answers_set(&a, "members_change", "none");
	form_answers_set(&a, "suggestion", "keep");
	assert_string_equal(form_risk(g, &a), "low");
	form_answers_set(&a, "income_change", "decreased");
	assert_string_equal(form_risk(g, &a), "medium");
	form_answers_set(&a, "housing", "own_unsafe");
	assert_string_equal(form_risk(g, &a), "high");
	form_answers_release(&a);
	form_free(&f);
	form_free(&g);
}

static void test_risk_rules_custom(void **state)
{
	/* The highest level whose rule holds wins, whatever the order; a
	 * low rule can lower a medium default. */
	struct form *f = load_text("rk.form",
		"form = rk\nversion = 1\ntitle = 风险\n"
		"[field n]\ntype = integer\nlabel = 次数\n"
		"[risk]\nlow = n = 0\nhigh = n > 10\nmedium = n > 5\n"
		"default = medium\n"
		"[followup]\nhigh = 3\ndefault = 60\n");
	struct form_answers a = FORM_ANSWERS_INIT;
	char buf[16];

	(void)state;
	assert_string_equal(form_risk(f, &a), "medium");
	form_answers_set(&a, "n", "0");
	assert_string_equal(form_risk(f, &a), "low");
	form_answers_set(&a, "n", "6");
	assert_string_equal(form_risk(f, &a), "medium");
	form_answers_set(&a, "n", "11");
	assert_string_equal(form_risk(f, &a), "high");
	assert_int_equal(form_followup_days(f, "high"), 3);
	assert_int_equal(form_followup_days(f, "low"), 60);
	assert_int_equal(form_followup_days(f, NULL), 60);
	assert_int_equal(form_followup_date(f, "high", NULL, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "2026-12-01");
	form_answers_release(&a);
	form_free(&f);
}

static void test_followup(void **state)
{
	struct form *c = find("child_visit");
	struct form *s = find("assistance_check");
	struct form *d = find("death_report");
	char buf[16];

	(void)state;
	assert_int_equal(form_followup_days(c, "high"), 7);
	assert_int_equal(form_followup_days(c, "medium"), 30);
	assert_int_equal(form_followup_days(c, "low"), 90);
	assert_int_equal(form_followup_days(c, "bogus"), -1);
	assert_int_equal(form_followup_days(c, NULL), -1);
	assert_int_equal(form_followup_date(c, "high", NULL, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "2026-12-05");
	assert_int_equal(form_followup_date(c, "low", NULL, buf, sizeof(buf)), 90);
	assert_string_equal(buf, "2027-02-26");
	assert_int_equal(form_followup_date(s, "low", NULL, buf, sizeof(buf)), 180);
	assert_string_equal(buf, "2027-05-27");
	/* The death report has neither risk nor follow-up. */
	assert_null(form_risk(d, NULL));
	assert_int_equal(form_followup_days(d, "high"), -1);
	assert_int_equal(form_followup_date(d, NULL, NULL, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	assert_null(form_risk(NULL, NULL));
	assert_int_equal(form_followup_days(NULL, "low"), -1);
	form_free(&c);
	form_free(&s);
	form_free(&d);
}

static void test_defaults(void **state)
{
	struct form *c = find("child_visit");
	struct form *f = load_text("dflt.form",
		"form = dflt\nversion = 1\ntitle = 默认\n"
		"[field visited]\ntype = date\nlabel = 日期\ndefault = today\n"
		"[field due]\ntype = date\nlabel = 期限\ndefault = today+7\n"
		"max = today+30\n"
		"[field phone_call]\ntype = yesno\nlabel = 电话\ndefault = no\n"
		"[field caller]\ntype = text\nlabel = 来电人\ndefault = 村委会\n"
		"show_if = phone_call = yes\n"
		"[field picks]\ntype = multi\nlabel = 多选\ndefault = b,a\n"
		"[choices]\na = 甲\nb = 乙\n");
	struct form_answers a = FORM_ANSWERS_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(form_apply_defaults(f, &a), 4);
	assert_string_equal(form_answers_get(&a, "visited"), "2026-11-28");
	assert_string_equal(form_answers_get(&a, "due"), "2026-12-05");
	assert_string_equal(form_answers_get(&a, "phone_call"), "no");
	assert_null(form_answers_get(&a, "caller"));	/* hidden */
	assert_string_equal(form_answers_get(&a, "picks"), "b,a");
	form_answers_set(&a, "phone_call", "yes");
	assert_int_equal(form_apply_defaults(f, &a), 1);
	assert_string_equal(form_answers_get(&a, "caller"), "村委会");
	assert_int_equal(form_apply_defaults(f, &a), 0);	/* kept */
	assert_int_equal(form_field_default(f, &a, 0, &sb), 1);
	assert_string_equal(sb.buf, "2026-11-28");
	form_answers_release(&a);

	/* default = followup proposes the next visit from the risk. */
	assert_int_equal(form_apply_defaults(c, &a), 2);
	assert_string_equal(form_answers_get(&a, "visit_kind"), "home");
	assert_string_equal(form_answers_get(&a, "next_visit"), "2027-02-26");
	form_answers_set(&a, "safety_risks", "drowning,left_alone");
	assert_int_equal(form_field_default(c, &a, (size_t)idx(c, "next_visit"), &sb), 1);
	assert_string_equal(sb.buf, "2026-12-05");
	assert_int_equal(form_field_default(c, &a, (size_t)idx(c, "notes"), &sb), 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(form_field_default(c, &a, 999, &sb), 0);
	strbuf_release(&sb);
	form_answers_release(&a);
	form_free(&c);
	form_free(&f);
}

/* ---- JSON ---- */

static void test_json_canonical(void **state)
{
	struct form *f = find("child_visit");
	struct form_answers a = FORM_ANSWERS_INIT, b = FORM_ANSWERS_INIT;
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT;
	struct gq_err e = { 0 };
	size_t i;

	(void)state;
	/* Set out of form order, with a hidden answer and an empty one. */
	form_answers_set(&a, "notes", "她说：\"妈妈\\爸爸在广州\"\n下次带书\t来");
	form_answers_set(&a, "safety_risks", "online,drowning");
	form_answers_set(&a, "guardian_present", "yes");
	form_answers_set(&a, "guardian_absent_reason", "赶集");	/* hidden */
	form_answers_set(&a, "measures", "");
	form_answers_set(&a, "ghost", "unknown field");
	form_answers_to_json(f, &a, &sb);
	assert_string_equal(sb.buf,
		"{\"guardian_present\":\"yes\","
		"\"safety_risks\":\"drowning,online\","
		"\"notes\":\"她说：\\\"妈妈\\\\爸爸在广州\\\"\\n下次带书\\t来\"}");

	assert_int_equal(form_answers_from_json(sb.buf, &b, &e), GQ_OK);
	assert_int_equal(b.nr, 3);
	assert_string_equal(b.items[0].id, "guardian_present");
	assert_string_equal(form_answers_get(&b, "notes"),
			    "她说：\"妈妈\\爸爸在广州\"\n下次带书\t来");
	assert_string_equal(form_answers_get(&b, "safety_risks"), "drowning,online");
	/* Serialising the parsed answers gives the same bytes. */
	form_answers_to_json(f, &b, &sb2);
	assert_string_equal(sb.buf, sb2.buf);

	/* Without a form: every non-empty answer, in stored order. */
	strbuf_reset(&sb);
	form_answers_to_json(NULL, &a, &sb);
	assert_contains(sb.buf, "\"guardian_absent_reason\":\"赶集\"");
	assert_contains(sb.buf, "\"ghost\":\"unknown field\"");
	assert_null(strstr(sb.buf, "measures"));

	/* Control characters and every escape. */
	form_answers_release(&a);
	form_answers_set(&a, "notes", "\x01\x1f/é");
	strbuf_reset(&sb);
	form_answers_to_json(f, &a, &sb);
	assert_string_equal(sb.buf, "{\"notes\":\"\\u0001\\u001f/é\"}");
	assert_int_equal(form_answers_from_json(sb.buf, &b, &e), GQ_OK);
	assert_string_equal(form_answers_get(&b, "notes"), "\x01\x1f/é");

	assert_int_equal(form_answers_from_json(
		" {\n \"a\" : \"\\u4e2d\\u6587\\/\\b\\f\\r\" ,\"b\":\"\\ud83d\\ude00\",\"c\":\"\"}\n",
		&b, &e), GQ_OK);
	assert_string_equal(form_answers_get(&b, "a"), "中文/\b\f\r");
	assert_string_equal(form_answers_get(&b, "b"), "😀");
	assert_string_equal(form_answers_get(&b, "c"), "");

	assert_int_equal(form_answers_from_json("{}", &b, &e), GQ_OK);
	assert_int_equal(b.nr, 0);
	form_answers_release(&a);
	strbuf_reset(&sb);
	form_answers_to_json(f, &a, &sb);
	assert_string_equal(sb.buf, "{}");
	for (i = 0; i < 3; i++)
		form_answers_set(&a, i == 0 ? "x" : i == 1 ? "y" : "z", "1");
	strbuf_reset(&sb);
	form_answers_to_json(NULL, &a, &sb);
	assert_string_equal(sb.buf, "{\"x\":\"1\",\"y\":\"1\",\"z\":\"1\"}");
	strbuf_release(&sb);
	strbuf_release(&sb2);
	form_answers_release(&a);
	form_answers_release(&b);
	form_free(&f);
}

static void test_json_malformed(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
		{ "", "an object starting with" },
		{ "[]", "an object starting with" },
		{ "{", "a string in double quotes" },
		{ "{\"a\"}", "\":\" is expected" },
		{ "{\"a\":1}", "must be a string" },
		{ "{\"a\":null}", "must be a string" },
		{ "{\"a\":{\"b\":\"c\"}}", "must be a string" },
		{ "{\"a\":\"b\",}", "a string in double quotes" },
		{ "{\"a\":\"b\"} x", "more text after" },
		{ "{\"a\":\"b\" \"c\":\"d\"}", "\",\" or \"}\"" },
		{ "{\"a\":\"b\",\"a\":\"c\"}", "appears twice" },
		{ "{'a':'b'}", "a string in double quotes" },
		{ "{\"a\":\"\\x\"}", "is not a JSON escape" },
		{ "{\"a\":\"\\u12\"}", "four hexadecimal digits" },
		{ "{\"a\":\"\\ud800\"}", "no low surrogate" },
		{ "{\"a\":\"\\ud800\\u0041\"}", "no low surrogate" },
		{ "{\"a\":\"\\udc00\"}", "no high surrogate" },
		{ "{\"a\":\"\\u0000\"}", "\\u0000 is not allowed" },
		{ "{\"a\":\"x\ny\"}", "control character" },
		{ "{\"a\":\"\xc3\x28\"}", "not valid UTF-8" },
		{ "{\"a\":\"\xe4\xb8\"}", "not valid UTF-8" },
		{ "{\"a\":\"abc", "ends inside a string" },
	};
	struct form_answers a = FORM_ANSWERS_INIT;
	struct gq_err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		form_answers_set(&a, "left", "over");
		if (form_answers_from_json(bad[i].text, &a, &e) != GQ_ECORRUPT)
			fail_msg("accepted: %s", bad[i].text);
		assert_contains(e.msg, "The stored answers are not valid JSON: at byte ");
		assert_contains(e.msg, bad[i].why);
		assert_int_equal(a.nr, 0);
	}
	assert_int_equal(form_answers_from_json("{\"a\":1}", &a, &e), GQ_ECORRUPT);
	assert_string_equal(e.msg, "The stored answers are not valid JSON: at byte 5, the value of \"a\" must be a string.");
	assert_int_equal(form_answers_from_json(NULL, &a, &e), GQ_ECORRUPT);
	form_answers_release(&a);
}

/* ---- answers container, empty and NULL ---- */

static void test_answers_empty_null(void **state)
{
	struct form_answers a;
	struct form *none = NULL;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	form_answers_init(&a);
	assert_null(form_answers_get(&a, "x"));
	assert_null(form_answers_get(NULL, "x"));
	assert_null(form_answers_get(&a, NULL));
	form_answers_set(&a, "x", NULL);	/* removing nothing */
	form_answers_set(&a, NULL, "v");
	form_answers_set(NULL, "x", "v");
	assert_int_equal(a.nr, 0);
	form_answers_set(&a, "名字", "张三");
	form_answers_set(&a, "b", "");
	form_answers_set(&a, "名字", "李四");	/* replaced in place */
	assert_int_equal(a.nr, 2);
	assert_string_equal(a.items[0].value, "李四");
	assert_string_equal(form_answers_get(&a, "b"), "");
	form_answers_set(&a, "名字", NULL);
	assert_int_equal(a.nr, 1);
	assert_string_equal(a.items[0].id, "b");
	form_answers_release(&a);
	form_answers_release(&a);
	form_answers_release(NULL);
	form_free(&none);
	form_free(NULL);
	assert_int_equal(form_field_count(NULL), 0);
	assert_int_equal(form_apply_defaults(NULL, &a), 0);
	form_answers_prune(NULL, &a);
	form_answers_normalize(NULL, NULL);
	form_describe(NULL, 0, &sb);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_describe(void **state)
{
	struct form *f = find("child_visit");
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	form_describe(f, 0, &sb);
	assert_contains(sb.buf, "child_visit (version 1): 留守儿童、困境儿童走访记录");
	assert_contains(sb.buf, "guardian_present  监护人是否在家 [yesno, required]");
	assert_contains(sb.buf, "shown if guardian_present = no");
	assert_contains(sb.buf, "high if psych_state = crisis");
	assert_contains(sb.buf, "high 7 medium 30 low 90");
	strbuf_reset(&sb);
	form_describe(f, 1, &sb);
	assert_contains(sb.buf, "Guardian at home");
	assert_contains(sb.buf, "drowning = Drowning");
	strbuf_release(&sb);
	form_free(&f);
}

/* ---- files a clerk might get wrong ---- */

static void test_notepad_file(void **state)
{
	/* A byte-order mark, CRLF line ends, blank lines, comments. */
	struct form *f = load_text("np.form",
		"\xEF\xBB\xBF# 记事本保存的文件\r\nform = np\r\nversion = 1\r\n"
		"title = 记事本\r\n\r\n  [field a]  \r\n\ttype = yesno\r\n"
		"label =  是否  \r\n");

	(void)state;
	assert_string_equal(form_id(f), "np");
	assert_string_equal(form_field_label(f, 0, 0), "是否");
	assert_string_equal(form_field_label(f, 0, 1), "是否");	/* fallback */
	assert_string_equal(form_title(f, 1), "记事本");
	form_free(&f);
}

/* The example in doc/forms.md loads and behaves as the text says. */
static void test_doc_example(void **state)
{
	const char *forms = getenv("GUANQING_FORMS_DIR");
	struct strbuf path = STRBUF_INIT, form = STRBUF_INIT;
	struct form_answers a = FORM_ANSWERS_INIT;
	struct form *f;
	char *line = NULL;
	size_t cap = 0;
	int in = 0;
	FILE *fp;

	(void)state;
	/* The tests read the forms of the source tree, screens/forms. */
	assert_non_null(forms);
	strbuf_addf(&path, "%s/../../doc/forms.md", forms);
	fp = fopen(path.buf, "r");
	assert_non_null(fp);
	while (getline(&line, &cap, fp) >= 0) {
		if (!strncmp(line, "## ", 3))
			in = !strncmp(line, "## A complete example", 21);
		else if (in && !strncmp(line, "    ", 4))
			strbuf_addstr(&form, line + 4);
	}
	free(line);
	fclose(fp);
	assert_true(form.len > 100);
	f = load_text("drowning_check.form", form.buf);
	assert_string_equal(form_id(f), "drowning_check");
	assert_string_equal(form_risk(f, &a), "low");
	form_answers_set(&a, "water_nearby", "yes");
	form_answers_set(&a, "warning_signs", "no");
	assert_string_equal(form_risk(f, &a), "medium");
	form_answers_set(&a, "adults_at_home", "0");
	assert_string_equal(form_risk(f, &a), "high");
	form_answers_set(&a, "water_nearby", "no");
	assert_false(visible(f, &a, "warning_signs"));
	assert_string_equal(form_risk(f, &a), "low");
	form_answers_release(&a);
	form_free(&f);
	strbuf_release(&path);
	strbuf_release(&form);
}

struct broken {
	const char *what;
	unsigned line;
	const char *why;
	const char *body;	/* after the 3-line header */
};

#define HEAD "form = broken\nversion = 1\ntitle = 坏表\n"
#define YN "[field a]\ntype = yesno\nlabel = 甲\n"	/* lines 4-6 */

static const struct broken broken_forms[] = {
	{ "unknown field key", 6, "Field \"a\": \"lable\" is not a field key",
	  "[field a]\ntype = yesno\nlable = 甲\n" },
	{ "unknown type", 5, "\"number\" is not a field type",
	  "[field a]\ntype = number\nlabel = 甲\n" },
	{ "duplicate field id", 7, "The field \"a\" is defined twice (first on line 4)",
	  YN "[field a]\ntype = text\nlabel = 乙\n" },
	{ "choice list missing", 4, "Field \"a\" is a choice field but has no choices",
	  "[field a]\ntype = choice\nlabel = 甲\n" },
	{ "show_if names an unknown field", 10, "there is no field \"c\" in this form",
	  YN "[field b]\ntype = text\nlabel = 乙\nshow_if = c = yes\n" },
	{ "show_if names a later field", 6,
	  "the field \"b\" comes later in the form",
	  "[field a]\ntype = text\nshow_if = b = yes\nlabel = 甲\n"
	  "[field b]\ntype = yesno\nlabel = 乙\n" },
	{ "show_if on itself", 6, "a field cannot depend on its own answer",
	  "[field a]\ntype = yesno\nshow_if = a = yes\nlabel = 甲\n" },
	{ "bad regex", 7, "the pattern is not a valid regular expression",
	  "[field a]\ntype = text\nlabel = 甲\npattern = [0-9\n" },
	{ "min greater than max", 8, "min (10) is greater than max (5)",
	  "[field a]\ntype = integer\nlabel = 甲\nmin = 10\nmax = 5\n" },
	{ "date min after max", 8, "min (today+10) is greater than max (today)",
	  "[field a]\ntype = date\nlabel = 甲\nmin = today+10\nmax = today\n" },
	{ "default not a choice", 7, "the default \"maybe\" is not a valid answer",
	  "[field a]\ntype = choice\nlabel = 甲\ndefault = maybe\n[choices]\n"
	  "yes_ = 是\nno_ = 否\n" },
	{ "default not a date", 7, "the default \"2026-02-30\" is not a valid answer",
	  "[field a]\ntype = date\nlabel = 甲\ndefault = 2026-02-30\n" },
	{ "default too long", 8, "the default \"abcdef\" is not a valid answer",
	  "[field a]\ntype = text\nlabel = 甲\nmax_length = 3\ndefault = abcdef\n" },
	{ "unknown field in a risk rule", 8, "there is no field \"b\" in this form",
	  YN "[risk]\nhigh = b = yes\n" },
	{ "unknown risk level", 8, "\"severe\" is not a risk level",
	  YN "[risk]\nsevere = a = yes\n" },
	{ "type missing", 4, "Field \"a\" has no type",
	  "[field a]\nlabel = 甲\n" },
	{ "label missing", 4, "Field \"a\" has no label",
	  "[field a]\ntype = text\n" },
	{ "choices on a text field", 7, "Field \"a\" is a text field and cannot have choices",
	  "[field a]\ntype = text\nlabel = 甲\n[choices]\nx = 一\n" },
	{ "field key after [choices]", 9, "\"required\" looks like a field key",
	  "[field a]\ntype = choice\nlabel = 甲\n[choices]\nx = 一\nrequired = yes\n" },
	{ "duplicate choice code", 9, "The choice \"x\" of field \"a\" is listed twice",
	  "[field a]\ntype = multi\nlabel = 甲\n[choices]\nx = 一\nx = 二\n" },
	{ "choice without a label", 8, "The choice \"x\" has no label",
	  "[field a]\ntype = choice\nlabel = 甲\n[choices]\nx = | X\n" },
	{ "unknown header key", 2, "The key \"titel\" is not known before the first section",
	  NULL },
	{ "unknown section", 4, "[feild a] is not a known section",
	  "[feild a]\ntype = text\n" },
	{ "line without =", 6, "neither a section such as [field ID] nor a \"key = value\" line",
	  "[field a]\ntype = text\nlabel 甲\n" },
	{ "not UTF-8", 6, "The line is not valid UTF-8 text",
	  "[field a]\ntype = text\nlabel = \xd7\xe3\xcc\xbd\xb7\xc3\n" },
	{ "has on a single choice", 13, "\"has\" works only with multiple-choice fields",
	  "[field a]\ntype = choice\nlabel = 甲\n[choices]\nx = 一\ny = 二\n"
	  "[field b]\ntype = text\nlabel = 乙\nshow_if = a has x\n" },
	{ "< on a yes/no field", 10, "only numbers and dates can be compared with <",
	  YN "[field b]\ntype = text\nlabel = 乙\nshow_if = a < 3\n" },
	{ "value not a choice in show_if", 13, "\"elsewhere\" is not one of the choices of field \"a\"",
	  "[field a]\ntype = choice\nlabel = 甲\n[choices]\nx = 一\ny = 二\n"
	  "[field b]\ntype = text\nlabel = 乙\nshow_if = a = elsewhere\n" },
	{ "== instead of =", 10, "an operator (=, !=, <, >, <=, >= or has) is expected",
	  YN "[field b]\ntype = text\nlabel = 乙\nshow_if = a == yes\n" },
	{ "missing parenthesis", 10, "a closing parenthesis \")\" is missing",
	  YN "[field b]\ntype = text\nlabel = 乙\nshow_if = (a = yes or a = no\n" },
	{ "dangling and", 10, "a field name is missing at the end",
	  YN "[field b]\ntype = text\nlabel = 乙\nshow_if = a = yes and\n" },
	{ "missing value", 10, "a value is expected after \"a =\"",
	  YN "[field b]\ntype = text\nlabel = 乙\nshow_if = a = and a = no\n" },
	{ "min on a text field", 6, "the key \"min\" does not apply to a text field",
	  "[field a]\ntype = text\nmin = 3\nlabel = 甲\n" },
	{ "min_length above max_length", 8, "min_length (9) is greater than max_length (3)",
	  "[field a]\ntype = text\nlabel = 甲\nmin_length = 9\nmax_length = 3\n" },
	{ "repeated key", 6, "the key \"label\" is given twice (first on line 5)",
	  "[field a]\nlabel = 甲\nlabel = 乙\ntype = text\n" },
	{ "required not yes or no", 7, "required must be yes or no, not \"是\"",
	  "[field a]\ntype = text\nlabel = 甲\nrequired = 是\n" },
	{ "followup days not a number", 8, "In [followup], low = 三十 is not a number of days",
	  YN "[followup]\nlow = 三十\n" },
	{ "followup by level without risk", 8, "but the form has no [risk] section",
	  YN "[followup]\nhigh = 7\n" },
	{ "default followup without [followup]", 7,
	  "default = followup needs a [followup] section",
	  "[field a]\ntype = date\nlabel = 甲\ndefault = followup\n" },
	{ "bad field id", 4, "\"Guardian-Present\" is not a valid field id",
	  "[field Guardian-Present]\ntype = text\nlabel = 甲\n" },
	{ "no fields", 3, "The form has no fields", "" },
	{ "pattern message without pattern", 7, "has a pattern message but no pattern",
	  "[field a]\ntype = text\nlabel = 甲\npattern_message = 不对\n" },
	{ "decimals out of range", 7, "decimals = 12 is not a number of digits",
	  "[field a]\ntype = decimal\nlabel = 甲\ndecimals = 12\n" },
	{ "bad date bound", 7, "max = 2026-13-01 is not a date",
	  "[field a]\ntype = date\nlabel = 甲\nmax = 2026-13-01\n" },
	{ "empty risk section", 7, "The [risk] section has no rules",
	  YN "[risk]\ndefault = low\n" },
};

static void test_broken(void **state)
{
	const struct broken *b = *state;
	struct form *f = (struct form *)1;
	struct gq_err e = { 0 };
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
	const char *path;

	if (b->body) {
		strbuf_addstr(&text, HEAD);
		strbuf_addstr(&text, b->body);
	} else {
		strbuf_addstr(&text, "form = broken\ntitel = 坏表\nversion = 1\n");
	}
	path = write_file("broken.form", text.buf);
	assert_int_equal(form_load(path, &f, &e), GQ_EINVAL);
	assert_null(f);
	strbuf_addf(&want, "%s:%u: ", path, b->line);
	if (strncmp(e.msg, want.buf, want.len))
		fail_msg("%s: wanted \"%s...\", got \"%s\"", b->what, want.buf, e.msg);
	assert_contains(e.msg, b->why);
	strbuf_release(&text);
	strbuf_release(&want);
}

static void test_broken_header(void **state)
{
	static const struct {
		const char *name, *text, *why;
		unsigned line;
	} cases[] = {
		{ "hdr.form", "version = 1\ntitle = t\n[field a]\ntype = text\nlabel = 甲\n",
		  "has no \"form = ID\" line", 1 },
		{ "hdr.form", "form = hdr\ntitle = t\n[field a]\ntype = text\nlabel = 甲\n",
		  "has no \"version = N\" line", 1 },
		{ "hdr.form", "form = hdr\nversion = 0\ntitle = t\n[field a]\ntype = text\nlabel = 甲\n",
		  "version = 0 is not a whole number", 2 },
		{ "hdr.form", "form = hdr\nversion = 1\n[field a]\ntype = text\nlabel = 甲\n",
		  "has no \"title = ...\" line", 1 },
		{ "hdr.form", "\n\nform = other\nversion = 1\ntitle = t\n[field a]\ntype = text\nlabel = 甲\n",
		  "The form is called \"other\" but its file is named hdr.form", 3 },
		{ "hdr.form", "form = hdr\nversion = 1\ntitle = t\napplies_to = 留守儿童\n"
		  "[field a]\ntype = text\nlabel = 甲\n", "in applies_to is not a category code", 4 },
		{ "hdr.form", "form = hdr\nform = hdr\n", "given twice (first on line 1)", 2 },
		{ "hdr.form", "form = hdr\nversion = 1\ntitle = t\n[field a]\ntype = text\n"
		  "label = 甲\n[risk]\nhigh = a = x\n[risk]\n", "There is already a [risk] section (line 7)", 9 },
	};
	struct form *f = NULL;
	struct gq_err e = { 0 };
	size_t i;
	char want[600];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = write_file(cases[i].name, cases[i].text);

		assert_int_equal(form_load(path, &f, &e), GQ_EINVAL);
		snprintf(want, sizeof(want), "%s:%u: ", path, cases[i].line);
		if (strncmp(e.msg, want, strlen(want)))
			fail_msg("case %zu: wanted \"%s\", got \"%s\"", i, want, e.msg);
		assert_contains(e.msg, cases[i].why);
	}
}

static int setup_tmp(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_form.XXXXXX",
		 base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	static const char *const names[] = {
		"ops.form", "lengths.form", "pat.form", "rk.form", "dflt.form",
		"np.form", "drowning_check.form", "broken.form", "hdr.form", "zz_other.txt", "x.form~",
		".hidden.form", "Bad-Name.form",
	};
	char path[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_list_shipped),
		cmocka_unit_test(test_shipped_forms_complete),
		cmocka_unit_test(test_child_visit_fields),
		cmocka_unit_test(test_find_and_dirs),
		cmocka_unit_test(test_show_if_child_visit),
		cmocka_unit_test(test_show_if_chain),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_required_and_check_all),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_text_length_chinese),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_yesno_choice_multi),
		cmocka_unit_test(test_normalize_prune),
		cmocka_unit_test(test_risk_child),
		cmocka_unit_test(test_risk_elderly_and_assistance),
		cmocka_unit_test(test_risk_rules_custom),
		cmocka_unit_test(test_followup),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_json_canonical),
		cmocka_unit_test(test_json_malformed),
		cmocka_unit_test(test_answers_empty_null),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_notepad_file),
		cmocka_unit_test(test_doc_example),
		cmocka_unit_test(test_broken_header),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	size_t nbroken = sizeof(broken_forms) / sizeof(broken_forms[0]);
	struct CMUnitTest *tests = calloc(nfixed + nbroken, sizeof(*tests));
	char (*names)[96] = calloc(nbroken, sizeof(*names));
	int64_t now;
	size_t i;
	int rc;

	/* The same fixed world as `make check`, also when run by hand. */
	setenv("TZ", "UTC", 1);
	tzset();
	if (clock_parse("2026-11-28T08:00:00Z", &now) == 0)
		clock_set_fixed(now);
	if (!getenv("GUANQING_FORMS_DIR")) {
		const char *top = getenv("top_srcdir");
		static char dir[512];

		snprintf(dir, sizeof(dir), "%s/screens/forms", top ? top : ".");
		setenv("GUANQING_FORMS_DIR", dir, 1);
	}
	if (!tests || !names)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	/* One case per broken form file, each named after its mistake. */
	for (i = 0; i < nbroken; i++) {
		snprintf(names[i], sizeof(names[i]), "broken form: %s",
			 broken_forms[i].what);
		tests[nfixed + i].name = names[i];
		tests[nfixed + i].test_func = test_broken;
		tests[nfixed + i].initial_state = (void *)&broken_forms[i];
	}
	rc = _cmocka_run_group_tests("form", tests, nfixed + nbroken,
				     setup_tmp, teardown_tmp);
	free(tests);
	free(names);
	return rc;
}
