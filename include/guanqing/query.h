/* query.h - the read model: every list, count and search that the screens
 * and the command line show is computed here, once, and handed out row by
 * row to a callback (in the shape of history_each()); the edges only
 * format. Three rules are defined here and nowhere else:
 *
 * - the rows of this place: at a station the rows of its own village (not
 *   a person who moved away), at the county every row;
 * - the latest visit of a person: the one of the latest visit date, and of
 *   two on one day the one recorded last (then the greater id), among the
 *   visits not deleted; its follow-up is the person's follow-up;
 * - matching a person to what was typed: Chinese characters or pinyin of
 *   the name (full, initials or mixed, 多音字 too), digits of the resident
 *   ID number (x or X) or of the phone.
 *
 * A callback returns 0 to go on and anything else to stop; the walk then
 * returns GQ_OK. Strings handed to a callback live until it returns.
 */
#ifndef GUANQING_QUERY_H
#define GUANQING_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/pinyin.h"
#include "guanqing/record.h"
#include "guanqing/tables.h"

/* ---- matching a person ---- */

/* What was typed, prepared once per keystroke or query. */
struct person_query {
	char digits[40];	/* the query when it is ID or phone digits, x as X; else "" */
	char text[PINYIN_QUERY_MAX * 4 + 1];	/* the query as typed */
	struct pinyin_query pq;
	bool empty;		/* nothing to match: every person matches */
};

/* Prepare text (UTF-8; NULL counts as empty). */
void person_query_set(struct person_query *q, const char *text);

/* Does the person match? -1: no; 0: the name matches from its start (the
 * surname), or an ID number or phone; 1: the name matches further in. key
 * is the person's name prepared with pinyin_key_set() (a list keeps its
 * keys); id_number and phone may be NULL. */
int person_query_match(const struct person_query *q, const struct pinyin_key *key,
		       const char *id_number, const char *phone);

/* Whether every person matching q also matches prev: q is prev typed
 * further (more letters of the name, more digits). A list can then look
 * for q's matches among prev's only. */
bool person_query_narrows(const struct person_query *prev, const struct person_query *q);

/* The matches of a query typed one keystroke at a time over a list of
 * prepared persons (the People screen's, the command line's keys): each
 * query is matched against the previous one's matches when it narrows it
 * (person_query_narrows), else against the persons whose names may begin
 * a match with its first letter, else against the whole list. The list must not
 * change between runs without person_sieve_reset(). */
struct person_sieve {
	struct person_query q;	/* the query hit[] answers, when valid */
	bool valid;
	size_t *hit;		/* indexes into the list, in its order */
	signed char *at;	/* person_query_match() of each hit: 0 or 1 */
	size_t n, cap;
	/* The list's persons by the letters a match may begin with
	 * (pinyin_key_initials): those of letter c are
	 * by_letter[from[c - 'a'] .. from[c - 'a' + 1]), in the list's
	 * order. Built on the first query that begins with a letter. */
	bool indexed;
	size_t *by_letter;
	size_t from[27];
};

/* The i-th person of a list: its key, ID number and phone (may be NULL). */
typedef void (*person_sieve_get)(void *arg, size_t i, const struct pinyin_key **key,
				 const char **id_number, const char **phone);

void person_sieve_init(struct person_sieve *s);
void person_sieve_release(struct person_sieve *s);
/* Forget the matches (the list changed). */
void person_sieve_reset(struct person_sieve *s);

/* Match text against the n persons of get's list; the matches are then
 * s->hit[0 .. s->n) with s->at. GQ_ENOMEM (s is then reset) or GQ_OK. */
enum gq_status person_sieve_run(struct person_sieve *s, const char *text, size_t n,
				person_sieve_get get, void *arg);

/* ---- rows of a table ---- */

/* What to list; every member may be NULL or 0. */
struct query_filter {
	const char *field;	/* a column that must equal value ("person_id") */
	const char *value;
	const char *category;	/* person: has this open category (code or label) */
	const char *status;	/* person: this status */
	const char *grid;	/* person: in this grid (id) */
	const char *search;	/* person: matches this (person_query) */
	bool deleted;		/* also rows that were deleted */
	bool everywhere;	/* not only the rows of this place */
	size_t limit;		/* hand out at most this many rows; 0: all */
	size_t *total;		/* when set: receives how many rows pass flt */
};

/* The rows `person search` prints unless --limit says otherwise (a screen
 * or two); it says how many more match. Its --help names the number. */
#define QUERY_SEARCH_ROWS 100

/* Called with each row; r and its values live until the callback returns. */
typedef int (*query_row_fn)(void *arg, const struct record *r);

/* The rows of t of this place that pass flt, in t->order_by order. A
 * person search (flt->search) matches prebuilt keys of every person, kept
 * while the database does not change, and narrows the previous query's
 * matches when the new one types it further; with a limit it reads only
 * the rows it hands out (and counts the others without reading them when
 * no field, category, status or grid is asked). */
enum gq_status query_rows(struct gq_db *db, const struct table_def *t,
			  const struct query_filter *flt, query_row_fn fn, void *arg,
			  struct gq_err *err);

/* The candidates of a reference chooser for a field pointing to t: the
 * live rows of this place, each with its label (record_label) and, for a
 * person, "birth date  ID number" as detail, for a household its head's
 * name ("" else). */
typedef int (*query_choice_fn)(void *arg, const char *id, const char *label,
			       const char *detail);
enum gq_status query_choices(struct gq_db *db, const struct table_def *t,
			     query_choice_fn fn, void *arg, struct gq_err *err);

/* The grid of this place called name exactly, into out (UID_LEN + 1). */
enum gq_status query_grid_by_name(struct gq_db *db, const char *name, char *out,
				  struct gq_err *err);

/* ---- counts ---- */

#define QUERY_CATEGORIES_MAX 32

/* The numbers of this place at a glance. */
struct query_counts {
	long people;		/* active people */
	long households;
	long visits_month;	/* visits in the month given */
	long category[QUERY_CATEGORIES_MAX];	/* active people with each open
						 * category, as choices_category */
};

/* Count the rows of this place; month is YYYY-MM. */
enum gq_status query_counts(struct gq_db *db, const char *month, struct query_counts *c,
			    struct gq_err *err);

/* ---- a visit's answers ---- */

/* Called for each answered question of a visit, in the form's order:
 * the question's label and the answer as it reads (a choice by its label,
 * several joined by field_list_separator(), yes/no), in the user's
 * language. */
typedef int (*query_answer_fn)(void *arg, const char *label, const char *answer);

/* The answers of visit (a loaded visit record), read with its form. */
enum gq_status query_visit_answers(struct gq_db *db, const struct record *visit,
				   query_answer_fn fn, void *arg, struct gq_err *err);

/* ---- follow-ups ---- */

/* The follow-up of a person: their latest visit's. */
struct query_followup {
	const char *person_id, *name, *visit_id, *form_id, *due;
	const char *grid_id;	/* the person's grid, or NULL */
	long days;		/* from today to due: negative when overdue */
};
typedef int (*query_followup_fn)(void *arg, const struct query_followup *f);

/* The follow-ups of the active people of this place, due on or before
 * today + horizon days (horizon < 0: all), overdue first then nearest,
 * at most limit (0: no limit). today is YYYY-MM-DD. */
enum gq_status query_followups(struct gq_db *db, const char *today, long horizon,
			       size_t limit, query_followup_fn fn, void *arg,
			       struct gq_err *err);

/* How many of those follow-ups are overdue (due before today) and how many
 * fall due in the next 7 days (today included). */
enum gq_status query_followup_counts(struct gq_db *db, const char *today,
				     long *overdue, long *week, struct gq_err *err);

/* Where each person of this place lives, in id order, for exports: the
 * village (code and name), the household's address, the grid (the
 * person's, else the household's), the address (the person's, else the
 * household's) and the current categories as a comma list of codes. One
 * query for everyone. */
struct query_place {
	const char *id, *name, *village, *village_name, *household, *grid, *address,
		   *categories;
};
typedef int (*query_place_fn)(void *arg, const struct query_place *p);
enum gq_status query_person_places(struct gq_db *db, query_place_fn fn, void *arg,
				   struct gq_err *err);

#endif
