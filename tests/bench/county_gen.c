/* county_gen.c - one station of the benchmark county: a year of records.
 *
 *	county_gen DB SEED [PEOPLE [YEARS]]
 *
 * DB is an enrolled station database (made by `guanqing station init
 * --setup`). Its village gets the demo's mix of households, people (common
 * surnames, valid Shangcheng ID numbers), categories, facilities, meal
 * services, activities, cases and applications (demo_populate, PEOPLE
 * persons, 150 by default), and then a year of visits: each person the
 * demo visits is visited again about every month of the year before the
 * program's clock (YEARS years: 1 by default), on the person's form, with answers that vary from visit
 * to visit, each saved at a time of its day (the program's clock, a test
 * hook, set to it: its id, created_at and clock are of that time, as a
 * grid worker's save of that day would make them). Everything goes through
 * record_create(), so every record passes the validation and the change
 * log of typed ones. The same seed and clock
 * give the same records (but for their random ids). Prints the counts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/demo.h"
#include "guanqing/form.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/uid.h"
#include "guanqing/validate.h"

static unsigned long long rng_s;
static int years = 1;

static unsigned rnd(void)
{
	unsigned long long z = (rng_s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (unsigned)((z ^ (z >> 31)) >> 32);
}

struct tmpl {
	char person[UID_LEN + 1], visitor[UID_LEN + 1], form[64];
	char *answers;
	char first[VALIDATE_DATE_SIZE];
};

static const char *const notes[] = {
	NULL, NULL, NULL, NULL, NULL, NULL,
	"天冷了，提醒添衣保暖，检查了取暖设施。",
	"老人说最近腿脚不便，已告知村医上门看看。",
	"孩子期中考试成绩有进步，祖父母很高兴。",
	"家中存粮充足，水电正常。",
	"与在外务工的父母通了视频电话。",
	"提醒雨季注意防溺水，已在门口张贴告示。",
	"低保金已按时到账，生活基本稳定。",
	"邻居每天帮忙看一眼，有事会打电话给网格员。",
};

/* Vary the template's answers: each choice answer is, one time in five,
 * another of its field's choices. Answers the form refuses are put back. */
static void vary(struct form *f, struct form_answers *a)
{
	size_t i;

	for (i = 0; i < form_field_count(f); i++) {
		const char *id = form_field_id(f, i), *v = form_answers_get(a, id);
		size_t n = form_field_choice_count(f, i);

		if (form_field_type(f, i) != FORM_CHOICE || !v || !n || rnd() % 5)
			continue;
		form_answers_set(a, id, form_field_choice_code(f, i, rnd() % n));
	}
}

static int visit_year(struct gq_db *db, const struct tmpl *t, const char *today,
		      long *made, long *refused, struct gq_err *err)
{
	struct form *f = NULL;
	int k;
	int64_t now = clock_now_ms(), at;

	if (form_find(NULL, t->form, &f, err) != GQ_OK)
		return -1;
	/* Monthly, from a year back to the month before the demo's visits. */
	for (k = 12 * years; k >= 1; k--) {
		char day[VALIDATE_DATE_SIZE], next[VALIDATE_DATE_SIZE];
		struct form_answers a = FORM_ANSWERS_INIT;
		struct strbuf json = STRBUF_INIT;
		struct rec_value v[6];
		char id[UID_LEN + 1];
		size_t n = 0;
		int tries;

		if (validate_date_add_days(today, -(k * 30 + (int)(rnd() % 9)), day, NULL) != GQ_OK ||
		    strcmp(day, t->first) >= 0)
			continue;
		validate_date_add_days(day, 30, next, NULL);
		for (tries = 0; tries < 2; tries++) {
			form_answers_release(&a);
			if (form_answers_from_json(t->answers, &a, err) != GQ_OK)
				break;
			form_answers_set_day(&a, day);
			if (tries == 0)
				vary(f, &a);
			if (form_answers_get(&a, "next_visit"))
				form_answers_set(&a, "next_visit", next);
			form_answers_prune(f, &a);
			if (form_check(f, &a, 0, err) == GQ_OK)
				break;
		}
		if (tries == 2) {
			(*refused)++;
			form_answers_release(&a);
			continue;
		}
		form_answers_to_json(f, &a, &json);
		v[n++] = (struct rec_value){ "person_id", t->person };
		v[n++] = (struct rec_value){ "form_id", t->form };
		v[n++] = (struct rec_value){ "visit_date", day };
		v[n++] = (struct rec_value){ "visitor_id", t->visitor };
		v[n++] = (struct rec_value){ "answers", json.buf };
		if (notes[rnd() % (sizeof(notes) / sizeof(notes[0]))])
			v[n++] = (struct rec_value){ "notes", notes[rnd() % 6 + 6] };
		/* Saved on its day, in working hours, as a grid worker saves
		 * it: its id, created_at and clock are of that time. */
		if (clock_parse(day, &at) == 0)
			clock_set_fixed(at + (8 * 60 + (int64_t)(rnd() % 540)) * 60000 + rnd() % 60000);
		if (record_create(db, table_find("visit"), v, n, NULL, id, err) == GQ_OK)
			(*made)++;
		else
			(*refused)++;
		clock_set_fixed(now);
		strbuf_release(&json);
		form_answers_release(&a);
	}
	form_free(&f);
	return 0;
}

int main(int argc, char **argv)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	sqlite3_stmt *st;
	struct tmpl *t = NULL;
	size_t nt = 0, cap = 0, i;
	long made = 0, refused = 0;
	char today[16];
	unsigned seed;

	if (argc < 3) {
		fprintf(stderr, "usage: county_gen DB SEED [PEOPLE [YEARS]]\n");
		return 2;
	}
	seed = (unsigned)strtoul(argv[2], NULL, 10);
	rng_s = seed * 2654435761ULL + 1;
	if (argc > 4)
		years = atoi(argv[4]) > 0 ? atoi(argv[4]) : 1;
	gq_err_clear(&e);
	if (db_open(argv[1], 0, &db, &e) != GQ_OK ||
	    demo_populate(db, seed, argc > 3 ? atoi(argv[3]) : 0, &e) != GQ_OK) {
		fprintf(stderr, "county_gen: %s: %s\n", argv[1], e.msg);
		return 1;
	}
	clock_today(today, sizeof(today));
	/* Each visited person's earliest visit of the child or elderly form. */
	if (db_prepare(db, "SELECT v.person_id, v.visitor_id, v.form_id, v.answers, min(v.visit_date)"
		       " FROM visit v JOIN person p ON p.id = v.person_id WHERE v.deleted = 0"
		       " AND p.status = 'active' AND v.form_id IN ('child_visit', 'elderly_visit')"
		       " GROUP BY v.person_id ORDER BY v.person_id", &st, &e) != GQ_OK) {
		fprintf(stderr, "county_gen: %s\n", e.msg);
		return 1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (nt == cap) {
			cap = cap ? cap * 2 : 256;
			t = realloc(t, cap * sizeof(*t));
			if (!t)
				return 1;
		}
		snprintf(t[nt].person, sizeof(t[nt].person), "%s", sqlite3_column_text(st, 0));
		snprintf(t[nt].visitor, sizeof(t[nt].visitor), "%s", sqlite3_column_text(st, 1));
		snprintf(t[nt].form, sizeof(t[nt].form), "%s", sqlite3_column_text(st, 2));
		t[nt].answers = strdup((const char *)sqlite3_column_text(st, 3));
		snprintf(t[nt].first, sizeof(t[nt].first), "%s", sqlite3_column_text(st, 4));
		nt++;
	}
	sqlite3_finalize(st);
	if (db_begin(db, &e) != GQ_OK)
		return 1;
	for (i = 0; i < nt; i++)
		if (visit_year(db, &t[i], today, &made, &refused, &e))
			break;
	if (i < nt || db_commit(db, &e) != GQ_OK) {
		fprintf(stderr, "county_gen: %s\n", e.msg);
		db_rollback(db);
		return 1;
	}
	for (i = 0; i < nt; i++)
		free(t[i].answers);
	free(t);
	printf("visited_people=%zu year_visits=%ld refused=%ld\n", nt, made, refused);
	db_close(&db);
	return 0;
}
