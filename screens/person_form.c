/* person_form.c - add and edit forms driven by the field definitions of
 * tables.h: the person form and, with the same code, categories,
 * guardians, applications, referrals, death reports, facilities, meal
 * services and activities. Each field is checked when it is left (the
 * same validate.h checks as the record layer); F2 saves with one
 * record_create() or record_update(), one transaction. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/field.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"
#include "guanqing/validate.h"

struct frow {
	const struct field_def *f;
	struct lineedit le;	/* the typed text, or a choice/ref code */
	char *orig;		/* value when the form opened */
	char err[GQ_ERR_MSG_MAX];
};

struct recform {
	const struct table_def *t;
	char id[40];		/* "" when adding */
	const char *preset_field;
	char preset_value[40];
	char village[16];	/* at the county: the village of a new record */
	/* After adding: set link_field of link_t's row link_id to the new
	 * id, in the same transaction (a household made from a card). */
	const struct table_def *link_t;
	const char *link_field;
	char link_id[40];
	struct frow *rows;
	size_t n;
	int cur, first;
	/* Shown, not changed: why (a refusal), or "" when it may be saved. */
	int readonly;
	char reason[GQ_ERR_MSG_MAX];
};

static const struct key_help form_keys[] = {
	{ "F2", N_("Save"), N_("Save the record (checked first; nothing is saved when a field is wrong)."), AUTH_READ, KH_ANY },
	{ "Tab", NULL, N_("Next field; Shift-Tab or Up: the field before."), AUTH_READ, KH_ANY },
	{ "Enter", N_("Choose"), N_("On a list field: choose from the list; elsewhere: next field."), AUTH_READ, KH_ANY },
	{ "Space", NULL, N_("On a yes/no field: switch it."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back; asks before it throws changes away."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

/* A new person's categories: a form row of its own whose text is the
 * chosen codes joined by commas, saved as person_category rows with the
 * person in one transaction. */
static const struct field_def categories_field = {
	.name = "category", .opt = "category", .type = FT_ENUM,
	.label = N_("Categories"), .choices = choices_category,
};

static int is_multi(const struct field_def *f)
{
	return f == &categories_field;
}

static int is_list(const struct field_def *f)
{
	return f->type == FT_ENUM || f->type == FT_BOOL || f->type == FT_REF;
}

/* Is code one of the comma-separated codes in list? */
static int in_list(const char *list, const char *code)
{
	size_t len = strlen(code);

	while (*list) {
		size_t l = strcspn(list, ",");

		if (l == len && !strncmp(list, code, len))
			return 1;
		list += l + (list[l] == ',');
	}
	return 0;
}

/* The readable text of a stored value. */
static void value_text(const struct field_def *f, const char *v, struct strbuf *out)
{
	field_display(ui.db, f, v, out);
}

static int row_check(struct recform *d, struct frow *r)
{
	const struct field_def *f = r->f;
	const char *v = lineedit_text(&r->le), *label = _(f->label);
	struct gq_err e;
	enum gq_status rc = GQ_OK;

	gq_err_clear(&e);
	r->err[0] = '\0';
	if (is_multi(f))
		return 1;
	if (validate_is_blank(v)) {
		if (f->flags & F_REQUIRED)
			rc = validate_required(label, v, &e);
	} else if (f->type != FT_ENUM && f->type != FT_BOOL && f->type != FT_REF) {
		/* Choices come from a list; everything typed is checked as a
		 * save would check it. */
		char *norm = NULL;

		rc = field_check(NULL, f, v, &norm, &e);
		free(norm);
		if (rc == GQ_OK && f->type == FT_IDNUM) {
			struct validate_id id;
			size_t i;

			/* The ID number says the sex and the birth date. */
			validate_id_number(label, v, &id, NULL);
			for (i = 0; i < d->n; i++) {
				char sx[2] = { id.sex, 0 };

				if (!strcmp(d->rows[i].f->name, "sex"))
					lineedit_set_text(&d->rows[i].le, sx, NULL);
				else if (!strcmp(d->rows[i].f->name, "birth_date"))
					lineedit_set_text(&d->rows[i].le, id.birth, NULL);
			}
		}
	}
	if (rc != GQ_OK) {
		snprintf(r->err, sizeof(r->err), "%s", e.msg);
		ui_msg(1, "%s", e.msg);
		return 0;
	}
	return 1;
}

static int form_changed(const struct recform *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(lineedit_text(&d->rows[i].le), d->rows[i].orig ? d->rows[i].orig : ""))
			return 1;
	return 0;
}

static void rf_draw(struct screen *s)
{
	struct recform *d = s->data;
	int cols = ui_cols(), rows = ui_lines() - 5, i, lw = 12, fw;
	size_t j;

	/* The label column is as wide as this form's widest label ("Amount
	 * granted (yuan) *"), within reason on a narrow screen. */
	for (j = 0; j < d->n; j++) {
		int w = (int)text_width(_(d->rows[j].f->label)) + 2;

		if (w > lw)
			lw = w;
	}
	if (lw > cols / 3)
		lw = cols / 3;
	fw = cols - lw - 4 > 32 ? 32 : cols - lw - 4;

	if (d->readonly) {
		ui_putf(1, 1, cols - 2, UA_HEADER, _("%s: %s"), _("View"), _(d->t->label));
		ui_putf(2, 1, cols - 2, UA_ERROR, _("Read-only: %s"), d->reason);
	} else {
		ui_putf(1, 1, cols - 2, UA_HEADER, _("%s: %s"), d->id[0] ? _("Edit") : _("New"), _(d->t->label));
	}
	if (d->cur < d->first)
		d->first = d->cur;
	if (rows > 0 && d->cur >= d->first + rows)
		d->first = d->cur - rows + 1;
	for (i = 0; i < rows && (size_t)(d->first + i) < d->n; i++) {
		struct frow *r = &d->rows[d->first + i];
		int y = 3 + i, focus = d->first + i == d->cur;

		ui_putf(y, 1, lw, focus ? UA_HEADER : UA_NORMAL, "%s%s", _(r->f->label),
			(r->f->flags & F_REQUIRED) ? " *" : "");
		if (is_list(r->f)) {
			struct strbuf sb = STRBUF_INIT;

			value_text(r->f, lineedit_text(&r->le), &sb);
			strbuf_addstr(&sb, " ");
			ui_putf(y, lw + 2, fw, focus ? UA_SELECT : UA_FIELD, "%s%s", sb.buf,
				focus ? _("[Enter]") : "");
			if (focus) {
				ui.cur_y = y;
				ui.cur_x = lw + 2;
			}
			strbuf_release(&sb);
		} else {
			ui_draw_field(&r->le, y, lw + 2, fw, focus);
		}
		if (r->err[0])
			ui_put(y, lw + 3 + fw, r->err, cols - lw - 3 - fw, UA_ERROR);
	}
}

static void rf_choose_multi(struct frow *r)
{
	const struct choice *c;
	const char **labels;
	unsigned char *sel;
	size_t n = 0, i;

	for (c = r->f->choices; c->code; c++)
		n++;
	labels = calloc(n + 1, sizeof(*labels));
	sel = calloc(n + 1, 1);
	if (labels && sel) {
		for (i = 0; i < n; i++) {
			labels[i] = _(r->f->choices[i].label);
			sel[i] = (unsigned char)in_list(lineedit_text(&r->le), r->f->choices[i].code);
		}
		if (ui_choose_multi(_("Categories (Space marks, Enter takes)"), labels, n, sel)) {
			struct strbuf sb = STRBUF_INIT;

			for (i = 0; i < n; i++)
				if (sel[i])
					strbuf_addf(&sb, "%s%s", sb.len ? "," : "", r->f->choices[i].code);
			lineedit_set_text(&r->le, sb.buf, NULL);
			strbuf_release(&sb);
		}
	}
	free(labels);
	free(sel);
}

/* The candidates of a reference chooser, growing as they come. */
struct ref_fill {
	const char **labels;
	char **codes, **names;
	size_t n, alloc;
};

static int add_ref_choice(void *arg, const char *id, const char *label, const char *detail)
{
	struct ref_fill *rf = arg;
	struct strbuf sb = STRBUF_INIT;

	if (rf->n == rf->alloc) {
		size_t na = rf->alloc * 2;
		void *a = realloc(rf->labels, (na + 1) * sizeof(*rf->labels));

		if (!a)
			return 1;
		rf->labels = a;
		a = realloc(rf->codes, (na + 1) * sizeof(*rf->codes));
		if (!a)
			return 1;
		rf->codes = a;
		a = realloc(rf->names, (na + 1) * sizeof(*rf->names));
		if (!a)
			return 1;
		rf->names = a;
		rf->alloc = na;
	}
	strbuf_addstr(&sb, label);
	if (*detail)
		strbuf_addf(&sb, "  %s", detail);
	rf->codes[rf->n] = strdup(id);
	rf->names[rf->n] = strdup(label);
	rf->labels[rf->n++] = strbuf_detach(&sb, NULL);
	return 0;
}

static void rf_choose(struct recform *d, struct frow *r)
{
	const struct field_def *f = r->f;
	const char **labels = NULL;
	char **codes = NULL, **names = NULL;
	size_t n = 0, i;
	int cur = -1, pick;

	if (is_multi(f)) {
		rf_choose_multi(r);
		return;
	}
	if (f->type == FT_ENUM) {
		const struct choice *c;

		for (c = f->choices; c->code; c++)
			n++;
		labels = calloc(n + 1, sizeof(*labels));
		codes = calloc(n + 1, sizeof(*codes));
		/* Only the choices that fit this place (no county role at a
		 * station). */
		for (i = 0, c = f->choices; labels && codes && c->code; c++) {
			if (!table_offers(ui.db, d->t, f, c->code))
				continue;
			labels[i] = _(c->label);
			codes[i++] = strdup(c->code);
		}
		n = i;
	} else if (f->type == FT_BOOL) {
		n = 2;
		labels = calloc(3, sizeof(*labels));
		codes = calloc(3, sizeof(*codes));
		if (labels && codes) {
			labels[0] = _("yes");
			labels[1] = _("no");
			codes[0] = strdup("1");
			codes[1] = strdup("0");
		}
	} else {
		struct ref_fill rf = { NULL, NULL, NULL, 0, 16 };

		rf.labels = calloc(rf.alloc + 1, sizeof(*rf.labels));
		rf.codes = calloc(rf.alloc + 1, sizeof(*rf.codes));
		rf.names = calloc(rf.alloc + 1, sizeof(*rf.names));
		if (rf.labels && rf.codes && rf.names) {
			rf.labels[0] = _("(none)");
			rf.codes[0] = strdup("");
			rf.names[0] = NULL;
			rf.n = 1;
			/* Every row of this place: the list is searched as one
			 * types. A person's birth date tells namesakes apart. */
			query_choices(ui.db, table_find(f->ref), add_ref_choice, &rf, NULL);
		}
		labels = rf.labels;
		codes = rf.codes;
		names = rf.names;
		n = rf.n;
		if (!labels || !codes || !names)
			goto out;
	}
	if (!labels || !codes)
		goto out;
	for (i = 0; i < n; i++)
		if (codes[i] && !strcmp(codes[i], lineedit_text(&r->le)))
			cur = (int)i;
	if (f->type == FT_REF)
		pick = ui_choose_search(_(f->label), labels, (const char *const *)names, n, cur);
	else
		pick = ui_choose(_(f->label), labels, n, cur);
	if (pick >= 0 && codes[pick]) {
		lineedit_set_text(&r->le, codes[pick], NULL);
		row_check(d, r);
	}
out:
	for (i = 0; codes && i < n; i++) {
		free(codes[i]);
		if (f->type == FT_REF && i > 0 && labels)
			free((char *)labels[i]);
		if (names)
			free(names[i]);
	}
	free(codes);
	free(labels);
	free(names);
}

/* One person_category row per code in the comma-separated list. */
static enum gq_status save_categories(const char *person, const char *list,
				      struct gq_err *err)
{
	const struct table_def *ct = table_find("person_category");
	enum gq_status rc = GQ_OK;

	while (rc == GQ_OK && *list) {
		size_t l = strcspn(list, ",");
		char code[64], id[UID_LEN + 1];
		struct rec_value v[2] = { { "person_id", person }, { "category", code } };

		snprintf(code, sizeof(code), "%.*s", (int)l, list);
		list += l + (list[l] == ',');
		if (code[0])
			rc = record_create(ui.db, ct, v, 2, NULL, id, err);
	}
	return rc;
}

static void rf_save(struct recform *d)
{
	struct rec_value *vals = calloc(d->n + 1, sizeof(*vals));
	char id[UID_LEN + 1];
	size_t i, n = 0;
	struct gq_err e;
	enum gq_status rc;

	gq_err_clear(&e);
	if (!vals)
		return;
	for (i = 0; i < d->n; i++)
		if (!row_check(d, &d->rows[i])) {
			d->cur = (int)i;
			free(vals);
			return;
		}
	for (i = 0; i < d->n; i++) {
		const char *v = lineedit_text(&d->rows[i].le);

		if (is_multi(d->rows[i].f))
			continue;
		if (d->id[0] ? !strcmp(v, d->rows[i].orig ? d->rows[i].orig : "") : !*v)
			continue;
		vals[n].field = d->rows[i].f->name;
		vals[n++].text = v;
	}
	if (d->preset_field && !d->id[0]) {
		vals[n].field = d->preset_field;
		vals[n++].text = d->preset_value;
	}
	if (d->id[0]) {
		rc = n ? record_update(ui.db, d->t, d->id, vals, n, &e) : GQ_OK;
	} else {
		/* The record, its categories and its link: all or nothing. */
		rc = db_begin(ui.db, &e);
		if (rc == GQ_OK)
			rc = record_create(ui.db, d->t, vals, n, d->village[0] ? d->village : NULL, id, &e);
		for (i = 0; rc == GQ_OK && i < d->n; i++)
			if (is_multi(d->rows[i].f))
				rc = save_categories(id, lineedit_text(&d->rows[i].le), &e);
		if (rc == GQ_OK && d->link_t) {
			struct rec_value lv = { d->link_field, id };

			rc = record_update(ui.db, d->link_t, d->link_id, &lv, 1, &e);
		}
		if (rc == GQ_OK)
			rc = db_commit(ui.db, &e);
		else
			db_rollback(ui.db);
	}
	free(vals);
	if (rc != GQ_OK) {
		/* Put the cursor on the field refused. */
		for (i = 0; e.field[0] && i < d->n; i++) {
			if (!strcmp(e.field, d->rows[i].f->name)) {
				snprintf(d->rows[i].err, sizeof(d->rows[i].err), "%s", e.msg);
				d->cur = (int)i;
				break;
			}
		}
		ui_msg(1, "%s", e.msg);
		return;
	}
	ui_msg(0, "%s", _("Saved."));
	screen_pop();
}

static int rf_key(struct screen *s, int k)
{
	struct recform *d = s->data;
	struct frow *r = d->n ? &d->rows[d->cur] : NULL;

	if (!r)
		return SK_UNHANDLED;
	if (d->readonly) {
		/* Move between fields; nothing else changes the record. */
		if ((k == '\t' || k == KF(KEY_DOWN)) && (size_t)d->cur + 1 < d->n)
			d->cur++;
		else if ((k == KF(KEY_BTAB) || k == KF(KEY_UP)) && d->cur > 0)
			d->cur--;
		else if (k == KEY_ESC || k == KF(KEY_F(10)))
			return SK_UNHANDLED;
		else if (k == KF(KEY_F(2)) || (k >= 0x20 && k < KEY_BASE) || IS_ENTER(k))
			ui_msg(1, _("Read-only: %s"), d->reason);
		return SK_DONE;
	}
	switch (k) {
	case KF(KEY_F(2)):
		rf_save(d);
		return SK_DONE;
	case '\t':
	case KF(KEY_DOWN):
		/* A wrong value keeps the cursor on its field. */
		if (!row_check(d, r) && !validate_is_blank(lineedit_text(&r->le)))
			return SK_DONE;
		if ((size_t)d->cur + 1 < d->n)
			d->cur++;
		return SK_DONE;
	case KF(KEY_BTAB):
	case KF(KEY_UP):
		row_check(d, r);
		if (d->cur > 0)
			d->cur--;
		return SK_DONE;
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (is_list(r->f)) {
			rf_choose(d, r);
		} else if (row_check(d, r) || validate_is_blank(lineedit_text(&r->le))) {
			if ((size_t)d->cur + 1 < d->n)
				d->cur++;
		}
		return SK_DONE;
	}
	if (is_list(r->f)) {
		if (k == ' ' && r->f->type == FT_BOOL) {
			lineedit_set_text(&r->le, !strcmp(lineedit_text(&r->le), "1") ? "0" : "1", NULL);
			return SK_DONE;
		}
		if (k == KF(KEY_DC) || k == KF(KEY_BACKSPACE) || k == 127) {
			lineedit_set_text(&r->le, "", NULL);
			return SK_DONE;
		}
		if (k == ' ')
			rf_choose(d, r);
		return k == KEY_ESC || k == KF(KEY_F(10)) ? SK_UNHANDLED : SK_DONE;
	}
	if (ui_edit_key(&r->le, k)) {
		r->err[0] = '\0';
		return SK_DONE;
	}
	return SK_UNHANDLED;
}

static int rf_leave(struct screen *s)
{
	struct recform *d = s->data;

	if (d->readonly || !form_changed(d))
		return 1;
	return ui_confirm(_("Throw away the changes to this form?"));
}

static void rf_close(struct screen *s)
{
	struct recform *d = s->data;
	size_t i;

	for (i = 0; i < d->n; i++) {
		lineedit_release(&d->rows[i].le);
		free(d->rows[i].orig);
	}
	free(d->rows);
	free(d);
}

static const struct screen_ops rf_ops = {
	.name = "form", .title = N_("Form"), .keys = form_keys,
	.draw = rf_draw, .key = rf_key, .leave = rf_leave, .close = rf_close,
};

static struct recform *rf_open(const struct table_def *t, const char *id,
				const char *preset_field, const char *preset_value)
{
	struct recform *d;
	struct record *r = NULL;
	struct gq_err e;
	size_t i;

	gq_err_clear(&e);
	if (!t)
		return NULL;
	if (id && record_load(ui.db, t, id, &r, &e) != GQ_OK) {
		ui_msg(1, "%s", e.msg);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d || !(d->rows = calloc(t->nfields + 1, sizeof(*d->rows)))) {
		free(d);
		record_free(&r);
		return NULL;
	}
	d->t = t;
	if (id)
		snprintf(d->id, sizeof(d->id), "%s", id);
	d->preset_field = preset_field;
	if (preset_value)
		snprintf(d->preset_value, sizeof(d->preset_value), "%s", preset_value);
	for (i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		struct frow *row;

		if ((f->flags & F_SYSTEM) || f->type == FT_JSON)
			continue;
		/* Decisions (application status, amount granted ...) are
		 * made at the county by those who may decide. */
		if ((f->flags & F_COUNTY) && !(ui.db->role == DB_ROLE_COUNTY && ui_can(AUTH_DECIDE)))
			continue;
		if (preset_field && !strcmp(f->name, preset_field))
			continue;
		if (id && (f->flags & F_FIXED))
			continue;
		row = &d->rows[d->n++];
		row->f = f;
		lineedit_init(&row->le, f->type == FT_TEXT || f->type == FT_NAME || f->type == FT_NOTES
			      ? (size_t)f->max : 64);
		if (r && r->values[i])
			lineedit_set_text(&row->le, r->values[i], NULL);
		row->orig = strdup(lineedit_text(&row->le));
	}
	if (!id && !strcmp(t->name, "person")) {
		struct frow *row = &d->rows[d->n++];

		row->f = &categories_field;
		lineedit_init(&row->le, 1000);
		row->orig = strdup("");
	}
	record_free(&r);
	screen_push(&rf_ops, d);
	return d;
}

void recform_open(const struct table_def *t, const char *id,
		  const char *preset_field, const char *preset_value)
{
	rf_open(t, id, preset_field, preset_value);
}

void recform_open_village(const struct table_def *t, const char *village)
{
	struct recform *d = rf_open(t, NULL, NULL, NULL);

	if (d)
		snprintf(d->village, sizeof(d->village), "%s", village);
}

void recform_view(const struct table_def *t, const char *id, const char *reason)
{
	struct recform *d = rf_open(t, id, NULL, NULL);

	if (!d)
		return;
	d->readonly = 1;
	snprintf(d->reason, sizeof(d->reason), "%s", reason && *reason ? reason : _("you may not change it."));
}

void recform_open_linked(const struct table_def *t, const struct table_def *link_t,
			 const char *link_id, const char *link_field)
{
	struct recform *d;

	if (!link_t || !link_id)
		return;
	d = rf_open(t, NULL, NULL, NULL);
	if (!d)
		return;
	d->link_t = link_t;
	d->link_field = link_field;
	snprintf(d->link_id, sizeof(d->link_id), "%s", link_id);
}
