/* rules.c - per-table rules run inside the saving transaction. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/clock.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/rules.h"
#include "guanqing/strbuf.h"
#include "guanqing/validate.h"
#include "guanqing/xalloc.h"

/* One text column of one row: *out malloc'ed or NULL. */
static char *column_of(struct gq_db *db, const char *table, const char *column,
		       const char *id)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	char *res = NULL;

	strbuf_addf(&sql, "SELECT %s FROM %s WHERE id = ?1", column, table);
	if (sqlite3_prepare_v2(db->h, sql.buf, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			res = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	strbuf_release(&sql);
	return res;
}

/* Rows pointed to must belong to the same village (users and county-wide
 * rows excepted). */
static enum gq_status check_refs(struct gq_db *db, struct rec_ctx *c,
				 struct gq_err *err)
{
	size_t i;

	for (i = 0; i < c->t->nfields; i++) {
		const struct field_def *f = &c->t->fields[i];
		const struct table_def *rt;
		char *v;
		int bad;

		if (f->type != FT_REF || !c->cur[i] || !c->village[0])
			continue;
		if (c->old && c->old[i] && !strcmp(c->old[i], c->cur[i]))
			continue;
		rt = table_find(f->ref);
		if (!rt || !rt->village_scoped || !strcmp(rt->name, "users"))
			continue;
		v = column_of(db, rt->name, "village", c->cur[i]);
		bad = v && strcmp(v, c->village);
		if (bad) {
			enum gq_status rc = gq_err_set(err, GQ_EINVAL,
				_("Field \"%s\": the %s %s belongs to village %s, not to %s."),
				_(f->label), _(rt->label), c->cur[i], v, c->village);
			free(v);
			return rc;
		}
		free(v);
	}
	return GQ_OK;
}

static void today(char *buf)
{
	clock_today(buf, VALIDATE_DATE_SIZE);
}

/* ---- Rules across fields, shared with the merge ---------------------- */

/* Dates of a row that may not come before another of its dates. */
static const struct date_order {
	const char *table, *later, *earlier;
} date_orders[] = {
	{ "person", "status_date", "birth_date" },
	{ "person_category", "end_date", "start_date" },
	{ "visit", "followup_due", "visit_date" },
	{ "application", "decision_date", "apply_date" },
	{ "facility", "closed_date", "opened_date" },
};
#define N_DATE_ORDERS (sizeof(date_orders) / sizeof(date_orders[0]))

/* Rule numbers of struct rules_breach. */
enum { RULE_ID = 1, RULE_GUARDIAN, RULE_FORM, RULE_DATES };

static enum gq_status date_order_rule(const struct table_def *t, const struct date_order *d,
				      const char *later, const char *earlier,
				      struct gq_err *err)
{
	const char *label = _(table_field(t, d->later)->label);

	if (!later || !earlier || validate_date_cmp(later, earlier) >= 0)
		return GQ_OK;
	if (!strcmp(d->earlier, "birth_date"))
		return gq_err_set(err, GQ_EINVAL, _("Field \"%s\": %s is before the birth date %s."),
				  label, later, earlier);
	if (!strcmp(d->earlier, "start_date"))
		return gq_err_set(err, GQ_EINVAL, _("Field \"%s\": %s is before the start date %s."),
				  label, later, earlier);
	if (!strcmp(d->earlier, "visit_date"))
		return gq_err_set(err, GQ_EINVAL, _("Field \"%s\": %s is before the visit date %s."),
				  label, later, earlier);
	if (!strcmp(d->earlier, "apply_date"))
		return gq_err_set(err, GQ_EINVAL, _("Field \"%s\": %s is before the application date %s."),
				  label, later, earlier);
	return gq_err_set(err, GQ_EINVAL, _("Field \"%s\": %s is before the opening date %s."),
			  label, later, earlier);
}

/* The date orders of the row being saved. */
static enum gq_status dates_in_order(struct rec_ctx *c, struct gq_err *err)
{
	enum gq_status rc = GQ_OK;
	size_t i;

	for (i = 0; rc == GQ_OK && i < N_DATE_ORDERS; i++)
		if (!strcmp(date_orders[i].table, c->t->name))
			rc = date_order_rule(c->t, &date_orders[i], rec_ctx_get(c, date_orders[i].later),
					     rec_ctx_get(c, date_orders[i].earlier), err);
	return rc;
}

/* The ID number idn, and the sex and birth date beside it (either may be
 * NULL: not given) agree; *id receives what the number says. */
static enum gq_status id_rule(const struct table_def *t, const char *idn, const char *sex,
			      const char *birth, struct validate_id *id, struct gq_err *err)
{
	enum gq_status rc = validate_id_number(_("ID number"), idn, id, err);

	if (rc == GQ_OK)
		rc = validate_id_agrees(id, sex ? sex[0] : 0, birth,
					_(table_field(t, "sex")->label),
					_(table_field(t, "birth_date")->label), err);
	return rc;
}

static enum gq_status guardian_rule(const char *person, const char *guardian, struct gq_err *err)
{
	if (guardian && person && !strcmp(guardian, person))
		return gq_err_set(err, GQ_EINVAL, _("A person cannot be their own guardian."));
	return GQ_OK;
}

void rules_forms_release(struct rules_forms *fc)
{
	size_t i;

	if (!fc)
		return;
	for (i = 0; i < fc->n; i++)
		form_free(&fc->v[i].f);
	fc->n = 0;
}

/* The form id, from the cache or loaded into it; NULL when there is none.
 * *owned is set when the cache was full (free it after). */
static struct form *cached_form(struct gq_db *db, struct rules_forms *fc, const char *id,
				struct form **owned)
{
	struct form *f = NULL;
	struct gq_err ignored;
	size_t i;

	*owned = NULL;
	for (i = 0; i < fc->n; i++)
		if (!strcmp(fc->v[i].id, id))
			return fc->v[i].f;
	if (formdb_find(db, id, &f, &ignored) != GQ_OK)
		f = NULL;
	if (fc->n < sizeof(fc->v) / sizeof(fc->v[0]) && strlen(id) < sizeof(fc->v[0].id)) {
		snprintf(fc->v[fc->n].id, sizeof(fc->v[0].id), "%s", id);
		fc->v[fc->n++].f = f;
	} else {
		*owned = f;
	}
	return f;
}

/* A visit's answers (JSON as stored; NULL: none) against its form, as a
 * save on visit_date leaves them: every answer a field of the form,
 * required answers given, each value of its type, choices and range
 * (form_check()); no answer to a field the form hides for these answers
 * (a save drops it); and the risk level the form's rules give them. */
static enum gq_status form_rule(const struct form *f, const char *answers, const char *visit_date,
				const char *risk, struct gq_err *err)
{
	struct form_answers a;
	enum gq_status rc = GQ_OK;
	const char *want;
	char *vis = NULL;
	size_t i;

	form_answers_init(&a);
	if (answers)
		rc = form_answers_from_json(answers, &a, err);
	if (rc == GQ_OK) {
		form_answers_set_day(&a, visit_date);
		rc = form_check(f, &a, i18n_english(), err);
	}
	if (rc == GQ_OK) {
		vis = xmalloc(form_field_count(f) + 1);
		form_fields_visible(f, &a, vis);
	}
	for (i = 0; rc == GQ_OK && i < a.nr; i++) {
		int k = form_field_index(f, a.items[i].id);

		if (k >= 0 && a.items[i].value && a.items[i].value[0] && !vis[k])
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\" of form %s is answered, but the form hides it for these answers (it is shown only if %s)."),
					form_field_label(f, (size_t)k, i18n_english()), form_id(f),
					form_field_attr(f, (size_t)k, "show_if") ?
					form_field_attr(f, (size_t)k, "show_if") : "?");
	}
	if (rc == GQ_OK) {
		want = form_risk(f, &a);
		if ((want != NULL) != (risk != NULL) || (want && strcmp(want, risk)))
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\": the risk level is \"%s\", but form %s gives \"%s\" for these answers."),
					_("Risk level"), risk ? risk : "", form_id(f), want ? want : "");
	}
	free(vis);
	form_answers_release(&a);
	return rc;
}

static uint64_t fbit(const struct table_def *t, const char *field)
{
	int i = table_field_index(t, field);

	return i < 0 || i >= 64 ? 0 : (uint64_t)1 << i;
}

static const char *fval(const struct table_def *t, char *const *vals, const char *field)
{
	int i = table_field_index(t, field);

	return i < 0 ? NULL : vals[i];
}

uint64_t rules_row_fields(const struct table_def *t)
{
	uint64_t m = 0;
	size_t i;

	if (!strcmp(t->name, "person"))
		m |= fbit(t, "id_number") | fbit(t, "sex") | fbit(t, "birth_date");
	if (!strcmp(t->name, "guardian"))
		m |= fbit(t, "person_id") | fbit(t, "guardian_person_id");
	if (!strcmp(t->name, "visit"))
		m |= fbit(t, "form_id") | fbit(t, "form_version") | fbit(t, "visit_date") |
		     fbit(t, "answers") | fbit(t, "risk_level");
	for (i = 0; i < N_DATE_ORDERS; i++)
		if (!strcmp(date_orders[i].table, t->name))
			m |= fbit(t, date_orders[i].later) | fbit(t, date_orders[i].earlier);
	return m;
}

size_t rules_check_row(struct gq_db *db, const struct table_def *t, char *const *vals,
		       uint64_t touched, struct rules_forms *forms,
		       struct rules_breach *out)
{
	size_t n = 0, i;
	struct rules_breach *b = out;

	gq_err_clear(&b->why);
	if (!strcmp(t->name, "person") && fval(t, vals, "id_number")) {
		struct validate_id id;

		b->fields = fbit(t, "id_number") | fbit(t, "sex") | fbit(t, "birth_date");
		if ((touched & b->fields) &&
		    id_rule(t, fval(t, vals, "id_number"), fval(t, vals, "sex"),
			    fval(t, vals, "birth_date"), &id, &b->why) != GQ_OK) {
			b->rule = RULE_ID;
			b = &out[++n];
			gq_err_clear(&b->why);
		}
	}
	if (!strcmp(t->name, "guardian")) {
		b->fields = fbit(t, "person_id") | fbit(t, "guardian_person_id");
		if ((touched & b->fields) &&
		    guardian_rule(fval(t, vals, "person_id"), fval(t, vals, "guardian_person_id"),
				  &b->why) != GQ_OK) {
			b->rule = RULE_GUARDIAN;
			b = &out[++n];
			gq_err_clear(&b->why);
		}
	}
	if (!strcmp(t->name, "visit") && fval(t, vals, "form_id")) {
		struct form *owned, *f;
		const char *ver = fval(t, vals, "form_version");

		b->fields = rules_row_fields(t) & ~(fbit(t, "followup_due"));
		if (touched & b->fields) {
			f = cached_form(db, forms, fval(t, vals, "form_id"), &owned);
			/* A form this place does not know: the save's message. */
			if (!f) {
				struct form *none = NULL;

				if (formdb_find(db, fval(t, vals, "form_id"), &none, &b->why) == GQ_OK)
					gq_err_set(&b->why, GQ_EINVAL, "%s", gq_status_str(GQ_ENOTFOUND));
				form_free(&none);
				b->rule = RULE_FORM;
				b = &out[++n];
				gq_err_clear(&b->why);
			}
			/* This place holds the newest version of each form only:
			 * answers given on another version are not judged by it. */
			else if ((!ver || atoi(ver) == form_version(f)) &&
			    form_rule(f, fval(t, vals, "answers"), fval(t, vals, "visit_date"),
				      fval(t, vals, "risk_level"), &b->why) != GQ_OK) {
				b->rule = RULE_FORM;
				b = &out[++n];
				gq_err_clear(&b->why);
			}
			/* On another version: a JSON object of strings still. */
			else if (ver && atoi(ver) != form_version(f) && fval(t, vals, "answers")) {
				struct form_answers a;

				form_answers_init(&a);
				if (form_answers_from_json(fval(t, vals, "answers"), &a, &b->why) != GQ_OK) {
					b->rule = RULE_FORM;
					b = &out[++n];
					gq_err_clear(&b->why);
				}
				form_answers_release(&a);
			}
			form_free(&owned);
		}
	}
	for (i = 0; i < N_DATE_ORDERS && n < RULES_BREACH_MAX; i++) {
		const struct date_order *d = &date_orders[i];

		if (strcmp(d->table, t->name))
			continue;
		b->fields = fbit(t, d->later) | fbit(t, d->earlier);
		if ((touched & b->fields) &&
		    date_order_rule(t, d, fval(t, vals, d->later), fval(t, vals, d->earlier),
				    &b->why) != GQ_OK) {
			b->rule = RULE_DATES + (int)i;
			if (++n < RULES_BREACH_MAX) {
				b = &out[n];
				gq_err_clear(&b->why);
			}
		}
	}
	return n;
}

static enum gq_status person_check(struct gq_db *db, struct rec_ctx *c,
				   struct gq_err *err)
{
	const char *idn = rec_ctx_get(c, "id_number");
	char day[VALIDATE_DATE_SIZE];
	enum gq_status rc;
	int si = table_field_index(c->t, "sex");
	int bi = table_field_index(c->t, "birth_date");

	/* A sex or birth date typed beside an ID number agrees with it, and
	 * a new ID number gives them. */
	if (idn && (rec_ctx_changed(c, "id_number") || c->given[si] || c->given[bi])) {
		struct validate_id id;
		const char *sex = c->given[si] ? rec_ctx_get(c, "sex") : NULL;
		const char *birth = c->given[bi] ? rec_ctx_get(c, "birth_date") : NULL;
		sqlite3_stmt *st;
		char sx[2];

		rc = id_rule(c->t, idn, sex, birth, &id, err);
		if (rc != GQ_OK)
			return gq_err_field(err, "id_number");
		sx[0] = id.sex;
		sx[1] = '\0';
		rec_ctx_set(c, "sex", sx);
		rec_ctx_set(c, "birth_date", id.birth);
		/* One person per ID number in a database. */
		rc = db_prepare(db, "SELECT name, id FROM person WHERE id_number = ?1"
				" AND id <> ?2 AND deleted = 0 LIMIT 1", &st, err);
		if (rc != GQ_OK)
			return rc;
		sqlite3_bind_text(st, 1, idn, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = gq_err_set(err, GQ_EEXIST,
					_("The ID number %s is already recorded for %s (%s)."),
					idn, (const char *)sqlite3_column_text(st, 0),
					(const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		if (rc != GQ_OK)
			return gq_err_field(err, "id_number");
	}
	if (!rec_ctx_get(c, "status"))
		rec_ctx_set(c, "status", "active");
	if (rec_ctx_changed(c, "status") && !c->is_new &&
	    !c->given[table_field_index(c->t, "status_date")]) {
		today(day);
		rec_ctx_set(c, "status_date", day);
	}
	return dates_in_order(c, err);
}

/* The person a record is about must be alive for new records other than
 * the death report. */
static enum gq_status person_alive(struct gq_db *db, struct rec_ctx *c,
				   const char *what, struct gq_err *err)
{
	const char *pid = rec_ctx_get(c, "person_id");
	char *status, *name;
	enum gq_status rc = GQ_OK;

	if (!pid || !c->is_new)
		return GQ_OK;
	status = column_of(db, "person", "status", pid);
	if (status && !strcmp(status, "deceased")) {
		name = column_of(db, "person", "name", pid);
		rc = gq_err_set(err, GQ_EINVAL, _("%s is recorded as deceased: no new %s can be added."),
				name ? name : pid, what);
		free(name);
	}
	free(status);
	return rc;
}

static enum gq_status category_check(struct gq_db *db, struct rec_ctx *c,
				     struct gq_err *err)
{
	char day[VALIDATE_DATE_SIZE];
	const char *e;
	sqlite3_stmt *st;
	enum gq_status rc = GQ_OK;

	if (!rec_ctx_get(c, "start_date")) {
		today(day);
		rec_ctx_set(c, "start_date", day);
	}
	e = rec_ctx_get(c, "end_date");
	rc = dates_in_order(c, err);
	if (rc != GQ_OK || !c->is_new || e)
		return GQ_OK;
	rc = db_prepare(db, "SELECT 1 FROM person_category WHERE person_id = ?1 AND category = ?2"
			" AND deleted = 0 AND end_date IS NULL AND id <> ?3", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, rec_ctx_get(c, "person_id"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rec_ctx_get(c, "category"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = gq_err_set(err, GQ_EEXIST, _("The person already has the open category \"%s\"."),
				choice_label(choices_category, rec_ctx_get(c, "category")));
	sqlite3_finalize(st);
	return rc;
}

static enum gq_status guardian_check(struct gq_db *db, struct rec_ctx *c,
				     struct gq_err *err)
{
	(void)db;
	if (!rec_ctx_get(c, "guardian_person_id") && !rec_ctx_get(c, "name"))
		return gq_err_set(err, GQ_EINVAL,
				  _("A guardian or contact needs a name or a person (--name or --guardian-person)."));
	return guardian_rule(rec_ctx_get(c, "person_id"), rec_ctx_get(c, "guardian_person_id"), err);
}


/* Has the answer id changed from the stored answers old (JSON)? */
static int answer_changed(const char *old_json, const struct form_answers *a, const char *id)
{
	struct form_answers o;
	const char *x, *y;
	int changed;

	form_answers_init(&o);
	if (!old_json || form_answers_from_json(old_json, &o, NULL) != GQ_OK) {
		form_answers_release(&o);
		return 1;
	}
	x = form_answers_get(&o, id);
	y = form_answers_get(a, id);
	changed = !x || !y ? x != y : strcmp(x, y) != 0;
	form_answers_release(&o);
	return changed;
}

/* A visit has one follow-up date (followup_due), and the form's "next
 * visit" question, when it has one, holds the same date:
 * - a follow-up given with the visit (--followup) is the date;
 * - else, for a new visit or one whose date or answers changed, the form
 *   proposes one from the risk level counting from the visit date
 *   (form_followup_date(), the rule the visit screen shows too), and a
 *   next visit the worker agreed on is the date unless the rule for this
 *   risk level asks for an earlier one;
 * and the next-visit answer is set to that date. */
static enum gq_status visit_followup(struct rec_ctx *c, const struct form *f,
				     struct form_answers *a)
{
	long nf = form_followup_field(f);
	const char *nid = nf >= 0 ? form_field_id(f, (size_t)nf) : NULL;
	const char *next = nid ? form_answers_get(a, nid) : NULL;
	char day[VALIDATE_DATE_SIZE] = "";

	if (!c->given[table_field_index(c->t, "followup_due")]) {
		if (!c->is_new && !rec_ctx_changed(c, "answers") && !rec_ctx_changed(c, "visit_date"))
			return GQ_OK;
		form_followup_date(f, form_risk(f, a), rec_ctx_get(c, "visit_date"), day, sizeof(day));
		/* On an edit, an unchanged answer was the earlier proposal. */
		if (next && *next && validate_date_ok(next) &&
		    (c->is_new || answer_changed(rec_ctx_old(c, "answers"), a, nid)) &&
		    (!day[0] || validate_date_cmp(next, day) < 0))
			snprintf(day, sizeof(day), "%s", next);
		if (day[0])
			rec_ctx_set(c, "followup_due", day);
	}
	if (nid && rec_ctx_get(c, "followup_due") && form_field_visible(f, a, (size_t)nf))
		form_answers_set(a, nid, rec_ctx_get(c, "followup_due"));
	return GQ_OK;
}

static enum gq_status visit_check(struct gq_db *db, struct rec_ctx *c,
				  struct gq_err *err)
{
	struct form *f = NULL;
	struct form_answers a;
	struct strbuf json = STRBUF_INIT;
	char day[VALIDATE_DATE_SIZE], buf[16];
	enum gq_status rc;

	form_answers_init(&a);
	/* A grid worker changes only their own visits, for 7 days: the save
	 * path says so, whichever screen or command asks. */
	if (!c->is_new && db->user_role) {
		rc = auth_may_edit_visit(db, (enum auth_role)db->user_role, c->id, err);
		if (rc != GQ_OK)
			return rc;
	}
	rc = person_alive(db, c, _("visit"), err);
	if (rc != GQ_OK && strcmp(rec_ctx_get(c, "form_id"), "death_report"))
		return rc;
	gq_err_clear(err);
	rc = formdb_find(db, rec_ctx_get(c, "form_id"), &f, err);
	if (rc != GQ_OK)
		return rc;
	if (!rec_ctx_get(c, "visit_date")) {
		today(day);
		rec_ctx_set(c, "visit_date", day);
	}
	if (!rec_ctx_get(c, "visitor_id") && db->user_id[0] && c->is_new)
		rec_ctx_set(c, "visitor_id", db->user_id);
	if (rec_ctx_get(c, "answers"))
		rc = form_answers_from_json(rec_ctx_get(c, "answers"), &a, err);
	if (rc == GQ_OK) {
		/* Relative dates of the form count from the visit's date. */
		form_answers_set_day(&a, rec_ctx_get(c, "visit_date"));
		form_answers_normalize(f, &a);
		rc = visit_followup(c, f, &a);
	}
	if (rc == GQ_OK) {
		if (c->is_new)
			form_apply_defaults(f, &a);
		rc = form_check(f, &a, i18n_english(), err);
	}
	if (rc == GQ_OK) {
		form_answers_to_json(f, &a, &json);
		rec_ctx_set(c, "answers", json.buf);
		snprintf(buf, sizeof(buf), "%d", form_version(f));
		if (c->is_new)
			rec_ctx_set(c, "form_version", buf);
		rec_ctx_set(c, "risk_level", form_risk(f, &a));
	}
	if (rc == GQ_OK)
		rc = dates_in_order(c, err);
	strbuf_release(&json);
	form_answers_release(&a);
	form_free(&f);
	return rc;
}

/* The income a person a month: the household's income divided by its
 * size, to the fen (half up). */
static void application_derive(const struct field_def *f,
			       const char *(*get)(void *arg, const char *name), void *arg,
			       char *out, size_t size)
{
	const char *income = get(arg, "income_month"), *people = get(arg, "household_size");
	long long fen, n;

	out[0] = '\0';
	if (strcmp(f->name, "income_per_person") || !income || !people ||
	    validate_decimal("", income, 2, 0, 100000000000LL, &fen, NULL) != GQ_OK ||
	    validate_int("", people, 1, 50, &n, NULL) != GQ_OK)
		return;
	validate_decimal_format((fen + n / 2) / n, 2, out, size);
}

static const char *ctx_get(void *arg, const char *name)
{
	return rec_ctx_get(arg, name);
}

static enum gq_status application_check(struct gq_db *db, struct rec_ctx *c,
					struct gq_err *err)
{
	char per[32];
	char day[VALIDATE_DATE_SIZE];
	const char *st;
	int si = table_field_index(c->t, "status");
	size_t i;

	/* Once decided, an application is the county's: a station may add a
	 * note, not change the amount or anything else. */
	if (!c->is_new && c->old && db->role == DB_ROLE_STATION && c->old[si] &&
	    strcmp(c->old[si], "submitted")) {
		for (i = 0; i < c->t->nfields; i++)
			if (strcmp(c->t->fields[i].name, "notes") &&
			    rec_ctx_changed(c, c->t->fields[i].name))
				return gq_err_set(err, GQ_EPERM,
						  _("The application was decided by the county (%s): a station may add a note, not change its field \"%s\"."),
						  choice_label(choices_application_status, c->old[si]),
						  _(c->t->fields[i].label));
	}
	if (!rec_ctx_get(c, "apply_date")) {
		today(day);
		rec_ctx_set(c, "apply_date", day);
	}
	application_derive(table_field(c->t, "income_per_person"), ctx_get, c, per, sizeof(per));
	rec_ctx_set(c, "income_per_person", per[0] ? per : NULL);
	if (!rec_ctx_get(c, "status"))
		rec_ctx_set(c, "status", "submitted");
	st = rec_ctx_get(c, "status");
	if (strcmp(st, "submitted") && rec_ctx_changed(c, "status")) {
		if (!rec_ctx_get(c, "decision_date") || !c->given[table_field_index(c->t, "decision_date")]) {
			today(day);
			rec_ctx_set(c, "decision_date", day);
		}
		if (!strcmp(st, "rejected") && !rec_ctx_get(c, "decision_reason"))
			return gq_err_set(err, GQ_EINVAL,
					  _("A rejected application needs a reason (--reason)."));
		if ((!strcmp(st, "approved") || !strcmp(st, "paid")) && !rec_ctx_get(c, "amount_granted") &&
		    strcmp(rec_ctx_get(c, "kind"), "funeral_waiver"))
			return gq_err_set(err, GQ_EINVAL,
					  _("An approved application needs the amount granted (--amount-granted)."));
		if (!strcmp(st, "paid") && c->old && c->old[table_field_index(c->t, "status")] &&
		    strcmp(c->old[table_field_index(c->t, "status")], "approved") &&
		    strcmp(c->old[table_field_index(c->t, "status")], "paid"))
			return gq_err_set(err, GQ_EINVAL,
					  _("Only an approved application can be marked paid."));
	}
	if (dates_in_order(c, err) != GQ_OK)
		return GQ_EINVAL;
	return person_alive(db, c, _("application"), err);
}

static enum gq_status dated(struct rec_ctx *c, const char *field)
{
	char day[VALIDATE_DATE_SIZE];

	if (!rec_ctx_get(c, field)) {
		today(day);
		rec_ctx_set(c, field, day);
	}
	return GQ_OK;
}

static enum gq_status facility_check(struct rec_ctx *c, struct gq_err *err)
{
	if (dates_in_order(c, err) != GQ_OK)
		return GQ_EINVAL;
	if (!rec_ctx_get(c, "delivers_meals"))
		rec_ctx_set(c, "delivers_meals", "0");
	return GQ_OK;
}

static enum gq_status referral_check(struct gq_db *db, struct rec_ctx *c,
				     struct gq_err *err)
{
	char *birth;
	int age = 0;
	enum gq_status rc = GQ_OK;

	dated(c, "referral_date");
	if (!rec_ctx_get(c, "status"))
		rec_ctx_set(c, "status", "referred");
	if (!rec_ctx_get(c, "centre"))
		rec_ctx_set(c, "centre", _("Shangcheng County Minors Protection Centre"));
	if (rec_ctx_changed(c, "status") && !c->given[table_field_index(c->t, "status_date")])
		dated(c, "status_date");
	if (!c->is_new)
		return GQ_OK;
	birth = column_of(db, "person", "birth_date", rec_ctx_get(c, "person_id"));
	if (birth && validate_age_on(birth, rec_ctx_get(c, "referral_date"), &age, NULL) == GQ_OK &&
	    age >= 18)
		rc = gq_err_set(err, GQ_EINVAL,
				_("Only a minor can be referred to the protection centre; this person was %d on %s."),
				age, rec_ctx_get(c, "referral_date"));
	free(birth);
	if (rc == GQ_OK)
		rc = person_alive(db, c, _("referral"), err);
	return rc;
}

static enum gq_status death_check(struct gq_db *db, struct rec_ctx *c,
				  struct gq_err *err)
{
	char *birth;
	sqlite3_stmt *st;
	enum gq_status rc = GQ_OK;

	birth = column_of(db, "person", "birth_date", rec_ctx_get(c, "person_id"));
	if (birth && validate_date_cmp(rec_ctx_get(c, "death_date"), birth) < 0)
		rc = gq_err_set(err, GQ_EINVAL, _("Field \"%s\": %s is before the birth date %s."),
				_("Date of death"), rec_ctx_get(c, "death_date"), birth);
	free(birth);
	if (!rec_ctx_get(c, "fee_waiver"))
		rec_ctx_set(c, "fee_waiver", "0");
	if (rc != GQ_OK || !c->is_new)
		return rc;
	rc = db_prepare(db, "SELECT 1 FROM death_report WHERE person_id = ?1 AND deleted = 0", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, rec_ctx_get(c, "person_id"), -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = gq_err_set(err, GQ_EEXIST, _("A death report for this person already exists."));
	sqlite3_finalize(st);
	return rc;
}

static enum gq_status meal_check(struct rec_ctx *c)
{
	dated(c, "service_date");
	if (!rec_ctx_get(c, "people"))
		rec_ctx_set(c, "people", "1");
	if (!rec_ctx_get(c, "delivered"))
		rec_ctx_set(c, "delivered", "0");
	return GQ_OK;
}

static enum gq_status facility_hook(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	(void)db;
	return facility_check(c, err);
}

static enum gq_status meal_hook(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	(void)db;
	(void)err;
	return meal_check(c);
}

static enum gq_status activity_check(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	(void)db;
	(void)err;
	return dated(c, "activity_date");
}

static enum gq_status users_check(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	const char *role = rec_ctx_get(c, "role");
	int county_role = role && (!strcmp(role, "county_staff") || !strcmp(role, "county_admin"));

	if (!rec_ctx_get(c, "active"))
		rec_ctx_set(c, "active", "1");
	/* A user works at one kind of place: a county role could never
	 * sign in at a station, nor a station role at the county. */
	if (role && rec_ctx_changed(c, "role") && county_role != (db->role == DB_ROLE_COUNTY))
		return gq_err_set(err, GQ_EINVAL,
				  db->role == DB_ROLE_COUNTY ?
				  _("Field \"%s\": a user of the county is county staff or a county admin, not \"%s\".") :
				  _("Field \"%s\": a user of a station is a grid worker or a station admin, not \"%s\"."),
				  _("Role"), choice_label(choices_role, role));
	return GQ_OK;
}

/* Before a death report is saved on the screens: the person is named
 * and the effects said. */
static void death_confirm(struct gq_db *db, const char *(*get)(void *arg, const char *name),
			  void *arg, struct strbuf *q)
{
	const char *pid = get(arg, "person_id"), *day = get(arg, "death_date");
	char *name = pid ? column_of(db, "person", "name", pid) : NULL;

	strbuf_addf(q, _("Record %s as deceased (died %s)?"), name ? name : pid ? pid : "?",
		    day ? day : "?");
	free(name);
}

/* A death report marks the person deceased on the date of death. */
static enum gq_status death_after(struct gq_db *db, struct rec_ctx *c, struct gq_err *err)
{
	struct rec_value v[] = {
		{ "status", "deceased" },
		{ "status_date", rec_ctx_get(c, "death_date") },
	};

	const char *person = rec_ctx_get(c, "person_id"), *day = rec_ctx_get(c, "death_date");
	struct strbuf ids = STRBUF_INIT;
	sqlite3_stmt *st;
	enum gq_status rc;
	const char *p;

	if (!c->is_new && !rec_ctx_changed(c, "death_date"))
		return GQ_OK;
	rc = record_update(db, table_find("person"), person, v, 2, err);
	/* The categories still open end on the day of death, through the
	 * save path, so that they travel like any change. */
	if (rc == GQ_OK)
		/* One recorded after the death (registered late) ends the day
		 * it starts. */
		rc = db_prepare(db, "SELECT id, max(?2, coalesce(start_date, ?2)) FROM person_category"
				" WHERE person_id = ?1 AND deleted = 0 AND (end_date IS NULL OR end_date > ?2)"
				" ORDER BY id", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(&ids, "%s %s\n", (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	for (p = ids.buf; rc == GQ_OK && *p; p = strchr(p, '\n') + 1) {
		char id[UID_LEN + 1], end_day[VALIDATE_DATE_SIZE];
		struct rec_value end[] = { { "end_date", end_day } };
		size_t n = strcspn(p, " ");

		snprintf(id, sizeof(id), "%.*s", (int)n, p);
		snprintf(end_day, sizeof(end_day), "%.*s", (int)strcspn(p + n + 1, "\n"), p + n + 1);
		rc = record_update(db, table_find("person_category"), id, end, 1, err);
	}
	strbuf_release(&ids);
	return rc;
}

/* Withdrawing a death report (entered by mistake) makes the person
 * active again. */
static enum gq_status death_delete(struct gq_db *db, const struct record *r, struct gq_err *err)
{
	struct rec_value v[] = { { "status", "active" }, { "status_date", NULL } };
	char *status = column_of(db, "person", "status", record_get(r, "person_id"));
	enum gq_status rc = GQ_OK;

	if (status && !strcmp(status, "deceased"))
		rc = record_update(db, table_find("person"), record_get(r, "person_id"), v, 2, err);
	free(status);
	return rc;
}

/* A grid worker withdraws only their own visits, for 7 days. */
static enum gq_status visit_delete(struct gq_db *db, const struct record *r, struct gq_err *err)
{
	if (!db->user_role)
		return GQ_OK;
	return auth_may_edit_visit(db, (enum auth_role)db->user_role, r->id, err);
}

/* The rules of each kind, which tables.c gives its table_def. */
/* A station's users have station roles, the county's county roles. */
static int users_offers(struct gq_db *db, const struct field_def *f, const char *code)
{
	int county_role = !strcmp(code, "county_staff") || !strcmp(code, "county_admin");

	return strcmp(f->name, "role") || county_role == (db->role == DB_ROLE_COUNTY);
}

const struct table_hooks rules_users = { users_check, NULL, NULL, users_offers, NULL, NULL };
const struct table_hooks rules_person = { person_check, NULL, NULL, NULL, NULL, NULL };
const struct table_hooks rules_category = { category_check, NULL, NULL, NULL, NULL, NULL };
const struct table_hooks rules_guardian = { guardian_check, NULL, NULL, NULL, NULL, NULL };
const struct table_hooks rules_visit = { visit_check, NULL, visit_delete, NULL, NULL, NULL };
const struct table_hooks rules_application = { application_check, NULL, NULL, NULL, application_derive, NULL };
const struct table_hooks rules_facility = { facility_hook, NULL, NULL, NULL, NULL, NULL };
const struct table_hooks rules_meal = { meal_hook, NULL, NULL, NULL, NULL, NULL };
const struct table_hooks rules_activity = { activity_check, NULL, NULL, NULL, NULL, NULL };
const struct table_hooks rules_referral = { referral_check, NULL, NULL, NULL, NULL, NULL };
const struct table_hooks rules_death = { death_check, death_after, death_delete, NULL, NULL, death_confirm };

enum gq_status rules_check(struct gq_db *db, struct rec_ctx *c,
			   struct gq_err *err)
{
	enum gq_status rc = check_refs(db, c, err);

	if (rc == GQ_OK && c->t->hooks && c->t->hooks->check)
		rc = c->t->hooks->check(db, c, err);
	return rc;
}

enum gq_status rules_after(struct gq_db *db, struct rec_ctx *c,
			   struct gq_err *err)
{
	if (c->t->hooks && c->t->hooks->after)
		return c->t->hooks->after(db, c, err);
	return GQ_OK;
}

enum gq_status rules_delete(struct gq_db *db, const struct record *r,
			    struct gq_err *err)
{
	if (r->t->hooks && r->t->hooks->del)
		return r->t->hooks->del(db, r, err);
	return GQ_OK;
}
