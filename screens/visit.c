/* visit.c - record a visit: pick a form, fill it field by field as the
 * form definition says (show_if fields appear and disappear as answers
 * change, the risk level is shown live, a follow-up date is proposed),
 * and save it with one record_create() of table "visit". */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/date.h"
#include "guanqing/field.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/prefill.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/screen.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/text.h"
#include "guanqing/validate.h"

struct visit {
	char person[40];
	struct form *f;
	struct form_answers a;
	struct lineedit *le;	/* one per form field, then date, follow-up */
	size_t nf;
	char err[GQ_ERR_MSG_MAX];
	int err_row;
	int cur, first;
	int followup_typed;
	long next_field;	/* the form's "next visit" question, or -1 */
	int next_typed;		/* the worker typed it: no more proposals */
	int changed;
};

static const struct key_help visit_keys[] = {
	{ "F2", N_("Save"), N_("Save the visit (all answers are checked first)."), AUTH_READ, KH_ANY },
	{ "Tab", NULL, N_("Next question; Shift-Tab or Up: the one before."), AUTH_READ, KH_ANY },
	{ "Enter", N_("Choose"), N_("On a choice: pick from the list; elsewhere: next question."), AUTH_READ, KH_ANY },
	{ "Space", NULL, N_("Yes/no: switch; multiple choice: open the list (Space ticks, Enter ends)."), AUTH_READ, KH_ANY },
	{ "y / n", NULL, N_("On a yes/no question: answer yes or no."), AUTH_READ, KH_ANY },
	{ "1-9", NULL, N_("On a choice or yes/no question: its first, second ... answer, and on to the next question."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back; asks before it throws the answers away."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

#define ROW_DATE(d) ((d)->nf)
#define ROW_FOLLOWUP(d) ((d)->nf + 1)

/* Is the form's own "next visit" question shown? Then it is the visit's
 * one follow-up date and the separate follow-up row is not. */
static int next_shown(struct visit *d)
{
	return d->next_field >= 0 && form_field_visible(d->f, &d->a, (size_t)d->next_field);
}

static int row_visible(struct visit *d, size_t i)
{
	if (i == ROW_FOLLOWUP(d))
		return !next_shown(d);
	return i >= d->nf || form_field_visible(d->f, &d->a, i);
}

static int is_choice(struct visit *d, size_t i)
{
	enum form_type t;

	if (i >= d->nf)
		return 0;
	t = form_field_type(d->f, i);
	return t == FORM_YESNO || t == FORM_CHOICE || t == FORM_MULTI;
}

/* The follow-up proposed from the risk level, counting from the visit
 * date (the rule of the save path, form_followup_date()), into the
 * follow-up row and the form's next-visit question unless typed. */
static void propose_followup(struct visit *d)
{
	char buf[16];

	if (form_followup_date(d->f, form_risk(d->f, &d->a),
			       lineedit_text(&d->le[ROW_DATE(d)]), buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	if (!d->followup_typed)
		lineedit_set_text(&d->le[ROW_FOLLOWUP(d)], buf, NULL);
	if (d->next_field >= 0 && !d->next_typed && buf[0]) {
		form_answers_set(&d->a, form_field_id(d->f, (size_t)d->next_field), buf);
		lineedit_set_text(&d->le[d->next_field], buf, NULL);
	}
}

static void set_answer(struct visit *d, size_t i, const char *v)
{
	form_answers_set(&d->a, form_field_id(d->f, i), v && *v ? v : NULL);
	d->changed = 1;
	propose_followup(d);
}

/* The text shown for answer of field i. */
static void answer_text(struct visit *d, size_t i, struct strbuf *out)
{
	const char *v = form_answers_get(&d->a, form_field_id(d->f, i));
	enum form_type t = form_field_type(d->f, i);

	if (!v || !*v)
		return;
	if (t == FORM_YESNO) {
		strbuf_addstr(out, !strcmp(v, "yes") ? _("yes") : _("no"));
	} else if (t == FORM_CHOICE || t == FORM_MULTI) {
		const char *p = v;

		while (*p) {
			char code[128];
			size_t len = strcspn(p, ",");
			int c;

			snprintf(code, sizeof(code), "%.*s", (int)len, p);
			c = form_field_choice_index(d->f, i, code);
			if (out->len)
				strbuf_addstr(out, field_list_separator());
			strbuf_addstr(out, c >= 0 ? form_field_choice_label(d->f, i, (size_t)c, ui.english) : code);
			p += len + (p[len] == ',');
		}
	} else {
		strbuf_addstr(out, v);
	}
}

/* Check row i's answer; 1 when it may stand. A required question left
 * empty is refused only on saving: moving past it says "请填写…". */
static int check_row_as(struct visit *d, size_t i, int saving)
{
	struct gq_err e;
	enum gq_status rc = GQ_OK;
	const char *label = i == ROW_DATE(d) ? _("Visit date") : _("Follow-up due");

	gq_err_clear(&e);
	if (i < d->nf)
		rc = form_check_field(d->f, &d->a, i, ui.english, &e);
	else if (!validate_is_blank(lineedit_text(&d->le[i])))
		rc = validate_date(label, lineedit_text(&d->le[i]), "1900-01-01", NULL,
				   i == ROW_DATE(d) ? VALIDATE_DATE_NOT_FUTURE : 0, &e);
	if (rc != GQ_OK && !saving && i < d->nf && form_field_required(d->f, i)) {
		const char *v = form_answers_get(&d->a, form_field_id(d->f, i));
		int blank = is_choice(d, i) ? !v || !*v : validate_is_blank(lineedit_text(&d->le[i]));

		if (blank) {
			if (d->err_row == (int)i)
				d->err_row = -1;
			ui_msg(0, _("Please fill in \"%s\"."), form_field_label(d->f, i, ui.english));
			return 0;
		}
	}
	if (rc != GQ_OK) {
		snprintf(d->err, sizeof(d->err), "%s", e.msg);
		d->err_row = (int)i;
		ui_msg(1, "%s", e.msg);
		return 0;
	}
	if (d->err_row == (int)i)
		d->err_row = -1;
	return 1;
}

static int check_row(struct visit *d, size_t i)
{
	return check_row_as(d, i, 0);
}

static void move_to(struct visit *d, int dir)
{
	int i = d->cur;

	for (;;) {
		i += dir;
		if (i < 0 || (size_t)i > ROW_FOLLOWUP(d))
			return;
		if (row_visible(d, (size_t)i)) {
			d->cur = i;
			return;
		}
	}
}

static void visit_draw(struct screen *s)
{
	struct visit *d = s->data;
	int cols = ui_cols(), y = 3, lw = cols >= 100 ? 36 : 30, fw, rows = ui_lines() - 6;
	const char *risk = form_risk(d->f, &d->a);
	size_t i;
	int nvis = 0, curvis = 0;

	fw = cols - lw - 3 > 40 ? 40 : cols - lw - 3;
	ui_putf(1, 1, cols - 2, UA_HEADER, "%s", form_title(d->f, ui.english));
	if (risk)
		ui_putf(2, 1, cols - 2, !strcmp(risk, "high") ? UA_ERROR : UA_HIGH, _("%s: %s"),
			_("Risk level"), choice_label(choices_risk, risk));
	if (!row_visible(d, (size_t)d->cur))
		move_to(d, -1), move_to(d, 1);
	for (i = 0; i <= ROW_FOLLOWUP(d); i++)
		if (row_visible(d, i)) {
			if ((int)i == d->cur)
				curvis = nvis;
			nvis++;
		}
	if (curvis < d->first)
		d->first = curvis;
	if (rows > 0 && curvis >= d->first + rows)
		d->first = curvis - rows + 1;
	nvis = 0;
	for (i = 0; i <= ROW_FOLLOWUP(d) && y < 3 + rows; i++) {
		int focus = (int)i == d->cur;
		const char *label;

		if (!row_visible(d, i))
			continue;
		if (nvis++ < d->first)
			continue;
		if (i < d->nf)
			label = form_field_label(d->f, i, ui.english);
		else
			label = i == ROW_DATE(d) ? _("Visit date") : _("Follow-up due");
		ui_putf(y, 1, lw, focus ? UA_HEADER : UA_NORMAL, "%s%s", label,
			i < d->nf && form_field_required(d->f, i) ? " *" : "");
		if (is_choice(d, i)) {
			struct strbuf sb = STRBUF_INIT;

			answer_text(d, i, &sb);
			ui_putf(y, lw + 2, fw, focus ? UA_SELECT : UA_FIELD, "%s %s", sb.buf,
				focus ? _("[Enter]") : "");
			if (focus) {
				ui.cur_y = y;
				ui.cur_x = lw + 2;
			}
			strbuf_release(&sb);
		} else {
			ui_draw_field(&d->le[i], y, lw + 2, fw, focus);
		}
		if (d->err_row == (int)i && lw + 3 + fw < cols)
			ui_put(y, lw + 3 + fw, d->err, cols - lw - 3 - fw, UA_ERROR);
		y++;
	}
	if (d->cur < (int)d->nf && form_field_help(d->f, (size_t)d->cur, ui.english) && !ui.status[0])
		ui_put(ui_lines() - 2, 1, form_field_help(d->f, (size_t)d->cur, ui.english), cols - 2, UA_DIM);
}

static void choose_answer(struct visit *d, size_t i)
{
	enum form_type t = form_field_type(d->f, i);
	size_t n = form_field_choice_count(d->f, i), c;
	const char *cur = form_answers_get(&d->a, form_field_id(d->f, i));

	if (t == FORM_YESNO) {
		const char *labels[2] = { _("yes"), _("no") };
		int pick = ui_choose(form_field_label(d->f, i, ui.english), labels, 2,
				     cur && !strcmp(cur, "no") ? 1 : 0);

		if (pick >= 0)
			set_answer(d, i, pick == 0 ? "yes" : "no");
	} else if (n) {
		const char **labels = calloc(n, sizeof(*labels));
		unsigned char *sel = calloc(n, 1);

		if (!labels || !sel) {
			free(labels);
			free(sel);
			return;
		}
		for (c = 0; c < n; c++) {
			const char *code = form_field_choice_code(d->f, i, c);
			size_t len = strlen(code);
			const char *p = cur;

			labels[c] = form_field_choice_label(d->f, i, c, ui.english);
			while (p && *p) {
				size_t l = strcspn(p, ",");

				if (l == len && !strncmp(p, code, len))
					sel[c] = 1;
				p += l + (p[l] == ',');
			}
		}
		if (t == FORM_CHOICE) {
			int at = -1, pick;

			for (c = 0; c < n; c++)
				if (sel[c])
					at = (int)c;
			pick = ui_choose(form_field_label(d->f, i, ui.english), labels, n, at);
			if (pick >= 0)
				set_answer(d, i, form_field_choice_code(d->f, i, (size_t)pick));
		} else if (ui_choose_multi(form_field_label(d->f, i, ui.english), labels, n, sel)) {
			struct strbuf sb = STRBUF_INIT;

			for (c = 0; c < n; c++)
				if (sel[c])
					strbuf_addf(&sb, "%s%s", sb.len ? "," : "", form_field_choice_code(d->f, i, c));
			set_answer(d, i, sb.buf);
			strbuf_release(&sb);
		}
		free(labels);
		free(sel);
	}
	check_row(d, i);
}

static void visit_save(struct visit *d)
{
	const struct table_def *t = table_find("visit");
	struct strbuf json = STRBUF_INIT;
	struct rec_value vals[6];
	char id[UID_LEN + 1];
	struct gq_err e;
	size_t i, n = 0;

	gq_err_clear(&e);
	for (i = 0; i <= ROW_FOLLOWUP(d); i++)
		if (row_visible(d, i) && !check_row_as(d, i, 1)) {
			d->cur = (int)i;
			return;
		}
	form_answers_prune(d->f, &d->a);
	form_answers_to_json(d->f, &d->a, &json);
	vals[n].field = "person_id"; vals[n++].text = d->person;
	vals[n].field = "form_id"; vals[n++].text = form_id(d->f);
	vals[n].field = "answers"; vals[n++].text = json.buf;
	vals[n].field = "visit_date"; vals[n++].text = lineedit_text(&d->le[ROW_DATE(d)]);
	if (row_visible(d, ROW_FOLLOWUP(d))) {
		vals[n].field = "followup_due";
		vals[n++].text = lineedit_text(&d->le[ROW_FOLLOWUP(d)]);
	}
	if (record_create(ui.db, t, vals, n, NULL, id, &e) != GQ_OK) {
		ui_msg(1, "%s", e.msg);
		strbuf_release(&json);
		return;
	}
	strbuf_release(&json);
	ui_msg(0, "%s", _("The visit is saved."));
	screen_pop();
}

static int visit_key(struct screen *s, int k)
{
	struct visit *d = s->data;
	size_t i = (size_t)d->cur;

	switch (k) {
	case KF(KEY_F(2)):
		visit_save(d);
		return SK_DONE;
	case '\t':
	case KF(KEY_DOWN):
		/* A wrong value keeps the cursor on its question. */
		if (check_row(d, i) || is_choice(d, i) || validate_is_blank(lineedit_text(&d->le[i])))
			move_to(d, 1);
		return SK_DONE;
	case KF(KEY_BTAB):
	case KF(KEY_UP):
		check_row(d, i);
		move_to(d, -1);
		return SK_DONE;
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (is_choice(d, i)) {
			choose_answer(d, i);
		} else if (check_row(d, i) || validate_is_blank(lineedit_text(&d->le[i]))) {
			move_to(d, 1);
		}
		return SK_DONE;
	}
	if (is_choice(d, i)) {
		enum form_type t = form_field_type(d->f, i);

		/* A digit on the question: its n-th answer (1 yes, 2 no), and
		 * on to the next question. */
		if (k >= '1' && k <= '9' && t != FORM_MULTI) {
			size_t c = (size_t)(k - '1');

			if (t == FORM_YESNO && c < 2)
				set_answer(d, i, c == 0 ? "yes" : "no");
			else if (t == FORM_CHOICE && c < form_field_choice_count(d->f, i))
				set_answer(d, i, form_field_choice_code(d->f, i, c));
			else
				return SK_DONE;
			if (check_row(d, i))
				move_to(d, 1);
			return SK_DONE;
		}
		if (t == FORM_YESNO) {
			const char *cur = form_answers_get(&d->a, form_field_id(d->f, i));

			if (k == 'y' || k == 'Y')
				set_answer(d, i, "yes");
			else if (k == 'n' || k == 'N')
				set_answer(d, i, "no");
			else if (k == ' ')
				set_answer(d, i, cur && !strcmp(cur, "yes") ? "no" : "yes");
		} else if (k == ' ') {
			choose_answer(d, i);
		}
		if (k == KF(KEY_DC) || k == KF(KEY_BACKSPACE) || k == 127)
			set_answer(d, i, NULL);
		return k == KEY_ESC || k == KF(KEY_F(10)) ? SK_UNHANDLED : SK_DONE;
	}
	if (ui_edit_key(&d->le[i], k)) {
		if ((long)i == d->next_field)
			d->next_typed = 1;
		if (i < d->nf) {
			set_answer(d, i, lineedit_text(&d->le[i]));
		} else {
			d->changed = 1;
			if (i == ROW_FOLLOWUP(d))
				d->followup_typed = 1;
			if (i == ROW_DATE(d)) {
				/* A back-dated visit: its follow-up and the form's
				 * relative dates count from its date. */
				form_answers_set_day(&d->a, lineedit_text(&d->le[i]));
				propose_followup(d);
			}
		}
		return SK_DONE;
	}
	return SK_UNHANDLED;
}

static int visit_leave(struct screen *s)
{
	struct visit *d = s->data;

	return !d->changed || ui_confirm(_("Throw away the answers of this visit?"));
}

static void visit_close(struct screen *s)
{
	struct visit *d = s->data;
	size_t i;

	for (i = 0; i <= ROW_FOLLOWUP(d); i++)
		lineedit_release(&d->le[i]);
	free(d->le);
	form_answers_release(&d->a);
	form_free(&d->f);
	free(d);
}

static const struct screen_ops visit_ops = {
	.name = "visit", .title = N_("Visit"), .keys = visit_keys,
	.draw = visit_draw, .key = visit_key, .leave = visit_leave, .close = visit_close,
};

/* The open categories of the person, comma-separated, for ordering the
 * forms. */
struct open_cats {
	struct strbuf codes;
	char today[16];
};

static int add_open_cat(void *arg, const struct record *r)
{
	struct open_cats *c = arg;
	const char *code = record_get(r, "category"), *end = record_get(r, "end_date");

	if (code && (!end || !*end || strcmp(end, c->today) >= 0))
		strbuf_addf(&c->codes, ",%s,", code);
	return 0;
}

/* Whether form f is meant for one of the categories in cats (",a,,b,"). */
static int form_fits(const struct form *f, const char *cats)
{
	size_t i;

	for (i = 0; f && i < form_applies_count(f); i++) {
		char want[80];

		snprintf(want, sizeof(want), ",%s,", form_applies_to(f, i));
		if (strstr(cats, want))
			return 1;
	}
	return 0;
}

/* Choose a form; the forms meant for the person's categories come first
 * (the child form for a 留守儿童, the elderly form for an 独居老人), then
 * the others. NULL when none is chosen. */
static struct form *pick_form(const char *person_id)
{
	struct open_cats cats = { STRBUF_INIT, "" };
	struct query_filter flt = { .field = "person_id", .value = person_id };
	struct form **sorted = NULL;
	size_t nforms = 0, pass;
	struct form_list list = FORM_LIST_INIT;
	struct form **forms;
	const char **labels;
	struct form *chosen = NULL;
	struct gq_err e;
	size_t i;
	int pick;

	gq_err_clear(&e);
	if (formdb_list(ui.db, &list, &e) != GQ_OK) {
		ui_msg(1, "%s", e.msg);
		return NULL;
	}
	date_format(date_today(), cats.today);
	query_rows(ui.db, table_find("person_category"), &flt, add_open_cat, &cats, NULL);
	forms = calloc(list.nr + 1, sizeof(*forms));
	sorted = calloc(list.nr + 1, sizeof(*sorted));
	labels = calloc(list.nr + 1, sizeof(*labels));
	/* The death report is F9's, not a visit form. */
	for (i = 0; forms && sorted && labels && i < list.nr; i++)
		if (!formdb_new_visit_ok(list.ids[i]) ||
		    formdb_find(ui.db, list.ids[i], &sorted[i], &e) != GQ_OK)
			sorted[i] = NULL;
	/* The fitting forms first, each group in the list's order; a form
	 * that cannot be read is left out (its reason shown). */
	for (pass = 0; forms && sorted && labels && pass < 2; pass++)
		for (i = 0; i < list.nr; i++)
			if (sorted[i] && form_fits(sorted[i], cats.codes.len ? cats.codes.buf : "") == !pass) {
				forms[nforms] = sorted[i];
				labels[nforms++] = form_title(sorted[i], ui.english);
			}
	if (nforms < list.nr && e.msg[0])
		ui_msg(1, "%s", e.msg);
	strbuf_release(&cats.codes);
	free(sorted);
	if (forms && labels && nforms) {
		pick = ui_choose(_("Choose the visit form"), labels, nforms, 0);
		if (pick >= 0 && forms[pick]) {
			chosen = forms[pick];
			forms[pick] = NULL;
		}
	}
	for (i = 0; forms && i < list.nr; i++)
		form_free(&forms[i]);
	free(forms);
	free(labels);
	form_list_release(&list);
	return chosen;
}

void visit_open(const char *person_id)
{
	struct form *f = pick_form(person_id);
	struct visit *d;
	char today[16];
	size_t i;

	if (!f)
		return;
	d = calloc(1, sizeof(*d));
	if (d)
		d->le = calloc(form_field_count(f) + 2, sizeof(*d->le));
	if (!d || !d->le) {
		free(d);
		form_free(&f);
		return;
	}
	snprintf(d->person, sizeof(d->person), "%s", person_id);
	d->f = f;
	d->nf = form_field_count(f);
	d->err_row = -1;
	d->next_field = form_followup_field(f);
	form_answers_init(&d->a);
	form_apply_defaults(f, &d->a);
	/* What is known already (the guardian's relation) is filled in. */
	prefill_visit(ui.db, person_id, f, &d->a);
	for (i = 0; i < d->nf + 2; i++) {
		size_t max = i < d->nf ? form_field_max_length(f, i) : 10;

		lineedit_init(&d->le[i], max ? max : 200);
		if (i < d->nf && !is_choice(d, i))
			lineedit_set_text(&d->le[i], form_answers_get(&d->a, form_field_id(f, i)), NULL);
	}
	clock_today(today, sizeof(today));
	lineedit_set_text(&d->le[ROW_DATE(d)], today, NULL);
	propose_followup(d);
	screen_push(&visit_ops, d);
}
