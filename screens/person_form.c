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
	/* Filled from the ID number: Tab and Down pass it by until the
	 * user goes back to it. */
	int autofill;
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
	char person[128];	/* whom a record about a person is about, or "" */
	/* Shown, not changed: why (a refusal), or "" when it may be saved. */
	int readonly;
	char reason[GQ_ERR_MSG_MAX];
	/* A new household chosen in the household list: made on save, in
	 * the same transaction, with this address and grid, and the person
	 * as its head. */
	int new_hh;
	char hh_address[512];
	char hh_grid[40];
};

/* The last record a form added, for the list it was added from. */
static char created_table[32], created_id[40];

static const struct key_help form_keys[] = {
	{ "F2", N_("Save"), N_("Save the record (checked first; nothing is saved when a field is wrong)."), AUTH_READ, KH_ANY },
	{ "Tab", NULL, N_("Next field; Shift-Tab or Up: the field before."), AUTH_READ, KH_ANY },
	{ "Enter", N_("Choose"), N_("On a list field: choose from the list; elsewhere: next field."), AUTH_READ, KH_ANY },
	{ "Space", NULL, N_("On a yes/no field: switch it."), AUTH_READ, KH_ANY },
	{ "1-9", NULL, N_("On a list field: its first, second ... choice, and on to the next field; in a list: that choice."), AUTH_READ, KH_ANY },
	{ "a-z", NULL, N_("In a list: type to keep only the choices that match (pinyin initials too)."), AUTH_READ, KH_ANY },
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

/* A value the program computes from the others, shown, never typed. */
static int is_derived(const struct field_def *f)
{
	return (f->flags & (F_SYSTEM | F_SHOWN)) == (F_SYSTEM | F_SHOWN);
}

static int is_list(const struct field_def *f)
{
	return f->type == FT_ENUM || f->type == FT_BOOL || f->type == FT_REF;
}

static struct frow *find_row(struct recform *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->rows[i].f->name, name))
			return &d->rows[i];
	return NULL;
}

/* On to the next field, past those filled from the ID number. */
static void rf_next(struct recform *d)
{
	int i = d->cur + 1;

	while ((size_t)i < d->n && d->rows[i].autofill)
		i++;
	if ((size_t)i < d->n)
		d->cur = i;
	else if ((size_t)d->cur + 1 < d->n)
		d->cur = (int)d->n - 1;
}

/* Back to the field before; one filled from the ID number is then
 * passed by no more. */
static void rf_prev(struct recform *d)
{
	if (d->cur > 0) {
		d->cur--;
		d->rows[d->cur].autofill = 0;
	}
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
	if (is_multi(f) || is_derived(f))
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

				const char *fill = !strcmp(d->rows[i].f->name, "sex") ? sx
					: !strcmp(d->rows[i].f->name, "birth_date") ? id.birth : NULL;

				/* A field newly filled is passed by (until the
				 * user goes back to it). */
				if (fill && strcmp(lineedit_text(&d->rows[i].le), fill)) {
					lineedit_set_text(&d->rows[i].le, fill, NULL);
					d->rows[i].autofill = (int)i > d->cur;
				}
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

	if (d->new_hh)
		return 1;
	for (i = 0; i < d->n; i++)
		if (strcmp(lineedit_text(&d->rows[i].le), d->rows[i].orig ? d->rows[i].orig : ""))
			return 1;
	return 0;
}

/* The text of field name on the form (a preset value too), NULL when
 * empty: what the kind's derive and confirm read. */
static const char *rf_get(void *arg, const char *name)
{
	struct recform *d = arg;
	size_t i;

	if (d->preset_field && !strcmp(d->preset_field, name))
		return d->preset_value[0] ? d->preset_value : NULL;
	for (i = 0; i < d->n; i++)
		if (!strcmp(d->rows[i].f->name, name))
			return validate_is_blank(lineedit_text(&d->rows[i].le)) ? NULL :
			       lineedit_text(&d->rows[i].le);
	return NULL;
}

/* A computed row shows what the others give now. */
static void derive_rows(struct recform *d)
{
	char out[64];
	size_t i;

	for (i = 0; d->t->hooks && d->t->hooks->derive && i < d->n; i++)
		if (is_derived(d->rows[i].f)) {
			d->t->hooks->derive(d->rows[i].f, rf_get, d, out, sizeof(out));
			lineedit_set_text(&d->rows[i].le, out, NULL);
		}
}

/* "New: death report", or "New: death report for 刘德胜". */
static void rf_title(const struct recform *d, const char *verb, struct strbuf *out)
{
	if (d->person[0])
		/* TRANSLATORS: "New: death report for 刘德胜"; %3$s the person. */
		strbuf_addf(out, _("%1$s: %2$s for %3$s"), verb, _(d->t->label), d->person);
	else
		strbuf_addf(out, _("%s: %s"), verb, _(d->t->label));
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

	{
		struct strbuf title = STRBUF_INIT;

		rf_title(d, d->readonly ? _("View") : d->id[0] ? _("Edit") : _("New"), &title);
		ui_put(1, 1, title.buf, cols - 2, UA_HEADER);
		strbuf_release(&title);
	}
	if (d->readonly)
		ui_putf(2, 1, cols - 2, UA_ERROR, _("Read-only: %s"), d->reason);
	derive_rows(d);
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

			if (d->new_hh && !strcmp(r->f->name, "household_id"))
				strbuf_addf(&sb, _("New household: %s"), d->hh_address);
			else
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
struct ref_entry {
	char *code, *label, *name, *sort;
};

struct ref_fill {
	struct ref_entry *e;
	size_t n, alloc;
	int is_person, is_household;
};

static int add_ref_choice(void *arg, const char *id, const char *label, const char *detail)
{
	struct ref_fill *rf = arg;
	struct strbuf sb = STRBUF_INIT, key = STRBUF_INIT;
	struct ref_entry *e;

	if (rf->n == rf->alloc) {
		size_t na = rf->alloc ? rf->alloc * 2 : 64;
		void *a = realloc(rf->e, na * sizeof(*rf->e));

		if (!a)
			return 1;
		rf->e = a;
		rf->alloc = na;
	}
	e = &rf->e[rf->n++];
	strbuf_addstr(&sb, label);
	if (*detail)
		strbuf_addf(&sb, "  %s", detail);
	e->label = strbuf_detach(&sb, NULL);
	e->code = strdup(id);
	/* Searched by the pinyin of the name; a household by its head's
	 * name as well as by its address. */
	if (rf->is_household && *detail) {
		strbuf_addf(&sb, "%s %s", detail, label);
		e->name = strbuf_detach(&sb, NULL);
	} else {
		e->name = strdup(label);
	}
	/* Listed in pinyin order: a person by name, a place by its words
	 * and numbers (第二网格 before 第三网格, 2号 before 10号). */
	ui_sort_key(label, !rf->is_person, &key);
	if (rf->is_person && *detail)
		strbuf_addf(&key, " %s", detail);
	e->sort = strbuf_detach(&key, NULL);
	return 0;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct ref_entry *x = a, *y = b;
	int c = strcmp(x->sort ? x->sort : "", y->sort ? y->sort : "");

	if (!c)
		c = strcmp(x->label ? x->label : "", y->label ? y->label : "");
	return c ? c : strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

enum { REF_NONE = 0, REF_PICKED, REF_NEW_HOUSEHOLD };

/* Choose a row of the table ref in a list searched as one types, sorted
 * by pinyin; "(none)" first, then, when offer_new, "New household...".
 * REF_PICKED with its id in out (size bytes; "" for none). */
static int choose_ref(const char *title, const char *ref, const char *current,
		      int offer_new, char *out, size_t size)
{
	struct ref_fill rf = { NULL, 0, 0, 0, 0 };
	const char **labels = NULL, **names = NULL;
	size_t i, top, n;
	int cur = -1, pick, result = REF_NONE;

	rf.is_person = !strcmp(ref, "person");
	rf.is_household = !strcmp(ref, "household");
	query_choices(ui.db, table_find(ref), add_ref_choice, &rf, NULL);
	if (rf.n)
		qsort(rf.e, rf.n, sizeof(*rf.e), ref_cmp);
	top = offer_new ? 2 : 1;
	n = rf.n + top;
	labels = calloc(n + 1, sizeof(*labels));
	names = calloc(n + 1, sizeof(*names));
	if (!labels || !names)
		goto out;
	labels[0] = _("(none)");
	names[0] = labels[0];
	if (offer_new) {
		labels[1] = _("New household (type its address)...");
		names[1] = _("New household");
	}
	for (i = 0; i < rf.n; i++) {
		labels[top + i] = rf.e[i].label;
		names[top + i] = rf.e[i].name;
		if (current && rf.e[i].code && !strcmp(rf.e[i].code, current))
			cur = (int)(top + i);
	}
	if (current && !*current)
		cur = 0;
	pick = ui_choose_search(title, labels, names, n, cur);
	if (pick == 0) {
		snprintf(out, size, "%s", "");
		result = REF_PICKED;
	} else if (offer_new && pick == 1) {
		result = REF_NEW_HOUSEHOLD;
	} else if (pick >= (int)top && rf.e[pick - (int)top].code) {
		snprintf(out, size, "%s", rf.e[pick - (int)top].code);
		result = REF_PICKED;
	}
out:
	for (i = 0; i < rf.n; i++) {
		free(rf.e[i].code);
		free(rf.e[i].label);
		free(rf.e[i].name);
		free(rf.e[i].sort);
	}
	free(rf.e);
	free(labels);
	free(names);
	return result;
}

/* A household was chosen: the person's grid and address are the
 * household's. */
static void fill_from_household(struct recform *d, const char *hh)
{
	const struct table_def *ht = table_find("household");
	struct frow *grid = find_row(d, "grid_id"), *addr = find_row(d, "address");
	struct record *r = NULL;
	const char *v;

	if (!*hh || !ht || record_load(ui.db, ht, hh, &r, NULL) != GQ_OK)
		return;
	if (grid && (v = record_get(r, "grid_id")) && *v)
		lineedit_set_text(&grid->le, v, NULL);
	if (addr && (v = record_get(r, "address")) && *v)
		lineedit_set_text(&addr->le, v, NULL);
	record_free(&r);
}

/* "New household" in the household list: its address and grid, asked
 * now; the household is made on save with the person as its head. */
static void ask_new_household(struct recform *d, struct frow *r)
{
	char addr[512], grid[40] = "";
	struct frow *row;

	snprintf(addr, sizeof(addr), "%s", d->new_hh ? d->hh_address : "");
	if ((row = find_row(d, "address")) && !addr[0])
		snprintf(addr, sizeof(addr), "%s", lineedit_text(&row->le));
	for (;;) {
		if (!ui_ask_text(_("New household"), _("Address of the household:"), NULL, addr, 100, addr, sizeof(addr)))
			return;
		if (!validate_is_blank(addr))
			break;
		ui_msg(1, "%s", _("A new household needs its address."));
	}
	if ((row = find_row(d, "grid_id")))
		snprintf(grid, sizeof(grid), "%s", lineedit_text(&row->le));
	if (choose_ref(_("Grid of the new household"), "grid", grid, 0, grid, sizeof(grid)) == REF_NONE)
		return;
	d->new_hh = 1;
	snprintf(d->hh_address, sizeof(d->hh_address), "%s", addr);
	snprintf(d->hh_grid, sizeof(d->hh_grid), "%s", grid);
	lineedit_set_text(&r->le, "", NULL);
	if ((row = find_row(d, "grid_id")))
		lineedit_set_text(&row->le, grid, NULL);
	if ((row = find_row(d, "address")))
		lineedit_set_text(&row->le, addr, NULL);
	/* The one who starts a household is its head. */
	if ((row = find_row(d, "relation")) && !lineedit_text(&row->le)[0])
		lineedit_set_text(&row->le, "self", NULL);
}

/* The choices of an enum field this place offers, and their codes. */
static size_t enum_choices(struct recform *d, const struct field_def *f,
			   const char **labels, const char **codes)
{
	const struct choice *c;
	size_t i = 0;

	for (c = f->choices; c->code; c++) {
		if (!table_offers(ui.db, d->t, f, c->code))
			continue;
		labels[i] = _(c->label);
		codes[i++] = c->code;
	}
	return i;
}

static size_t count_choices(const struct field_def *f)
{
	const struct choice *c;
	size_t n = 0;

	for (c = f->choices; c->code; c++)
		n++;
	return n;
}

static void rf_choose(struct recform *d, struct frow *r)
{
	const struct field_def *f = r->f;
	const char **labels, **codes;
	size_t n, i;
	int cur = -1, pick;

	if (is_multi(f)) {
		rf_choose_multi(r);
		return;
	}
	if (f->type == FT_REF) {
		char code[40];
		int hh = !strcmp(f->ref, "household") && !strcmp(d->t->name, "person");
		int got = choose_ref(_(f->label), f->ref, d->new_hh ? NULL : lineedit_text(&r->le),
				     hh, code, sizeof(code));

		if (got == REF_NEW_HOUSEHOLD) {
			ask_new_household(d, r);
		} else if (got == REF_PICKED) {
			if (hh)
				d->new_hh = 0;
			lineedit_set_text(&r->le, code, NULL);
			if (hh)
				fill_from_household(d, code);
			row_check(d, r);
		}
		return;
	}
	n = f->type == FT_BOOL ? 2 : count_choices(f);
	labels = calloc(n + 1, sizeof(*labels));
	codes = calloc(n + 1, sizeof(*codes));
	if (labels && codes) {
		if (f->type == FT_BOOL) {
			labels[0] = _("yes");
			labels[1] = _("no");
			codes[0] = "1";
			codes[1] = "0";
		} else {
			/* Only the choices that fit this place (no county role
			 * at a station). */
			n = enum_choices(d, f, labels, codes);
		}
		for (i = 0; i < n; i++)
			if (!strcmp(codes[i], lineedit_text(&r->le)))
				cur = (int)i;
		pick = ui_choose(_(f->label), labels, n, cur);
		if (pick >= 0) {
			lineedit_set_text(&r->le, codes[pick], NULL);
			row_check(d, r);
		}
	}
	free(codes);
	free(labels);
}

/* A digit on a list field: its n-th choice (1 yes, 2 no), and on to the
 * next field. 0 when the field has no such choice. */
static int rf_digit(struct recform *d, struct frow *r, int k)
{
	const struct field_def *f = r->f;
	size_t c = (size_t)(k - '1'), n;
	const char **labels, **codes;
	int done = 0;

	if (f->type == FT_BOOL) {
		if (c >= 2)
			return 0;
		lineedit_set_text(&r->le, c == 0 ? "1" : "0", NULL);
		rf_next(d);
		return 1;
	}
	if (f->type != FT_ENUM || is_multi(f))
		return 0;
	n = count_choices(f);
	labels = calloc(n + 1, sizeof(*labels));
	codes = calloc(n + 1, sizeof(*codes));
	if (labels && codes && c < enum_choices(d, f, labels, codes)) {
		lineedit_set_text(&r->le, codes[c], NULL);
		if (row_check(d, r))
			rf_next(d);
		done = 1;
	}
	free(labels);
	free(codes);
	return done;
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
	struct rec_value *vals = calloc(d->n + 2, sizeof(*vals));
	char id[UID_LEN + 1], hh[UID_LEN + 1] = "";
	const char *who;
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

		if (is_multi(d->rows[i].f) || is_derived(d->rows[i].f))
			continue;
		if (d->new_hh && !strcmp(d->rows[i].f->name, "household_id"))
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
	/* A record with grave effects (a death report) is confirmed first,
	 * naming whom it is about. */
	if (!d->id[0] && d->t->hooks && d->t->hooks->confirm) {
		struct strbuf q = STRBUF_INIT;
		int yes;

		d->t->hooks->confirm(ui.db, rf_get, d, &q);
		yes = !q.len || ui_confirm(q.buf);
		strbuf_release(&q);
		if (!yes) {
			free(vals);
			ui_msg(0, "%s", _("Not saved: the form is still open."));
			return;
		}
	}
	/* The record, its new household, its categories and its link: all
	 * or nothing. */
	rc = db_begin(ui.db, &e);
	if (rc == GQ_OK && d->new_hh) {
		struct rec_value hv[2] = { { "address", d->hh_address }, { "grid_id", d->hh_grid } };

		rc = record_create(ui.db, table_find("household"), hv, d->hh_grid[0] ? 2 : 1,
				   d->village[0] ? d->village : NULL, hh, &e);
		vals[n].field = "household_id";
		vals[n++].text = hh;
	}
	if (d->id[0]) {
		if (rc == GQ_OK && n)
			rc = record_update(ui.db, d->t, d->id, vals, n, &e);
		who = d->id;
	} else {
		if (rc == GQ_OK)
			rc = record_create(ui.db, d->t, vals, n, d->village[0] ? d->village : NULL, id, &e);
		for (i = 0; rc == GQ_OK && i < d->n; i++)
			if (is_multi(d->rows[i].f))
				rc = save_categories(id, lineedit_text(&d->rows[i].le), &e);
		if (rc == GQ_OK && d->link_t) {
			struct rec_value lv = { d->link_field, id };

			rc = record_update(ui.db, d->link_t, d->link_id, &lv, 1, &e);
		}
		who = id;
	}
	if (rc == GQ_OK && d->new_hh) {
		struct rec_value hv = { "head_id", who };

		rc = record_update(ui.db, table_find("household"), hh, &hv, 1, &e);
	}
	if (rc == GQ_OK)
		rc = db_commit(ui.db, &e);
	else
		db_rollback(ui.db);
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
	if (!d->id[0]) {
		snprintf(created_table, sizeof(created_table), "%s", d->t->name);
		snprintf(created_id, sizeof(created_id), "%s", id);
	}
	ui_msg(0, "%s", d->new_hh ? _("Saved, with the new household.") : _("Saved."));
	screen_pop();
}

int recform_take_created(const char *table, char *out, size_t size)
{
	if (!created_id[0] || strcmp(created_table, table))
		return 0;
	snprintf(out, size, "%s", created_id);
	created_id[0] = '\0';
	return 1;
}

static int rf_key(struct screen *s, int k)
{
	struct recform *d = s->data;
	struct frow *r = d->n ? &d->rows[d->cur] : NULL;

	if (!r)
		return SK_UNHANDLED;
	if (d->readonly || (is_derived(r->f) && k != KF(KEY_F(2)))) {
		/* Move between fields; nothing else changes the record. */
		if ((k == '\t' || k == KF(KEY_DOWN)) && (size_t)d->cur + 1 < d->n)
			d->cur++;
		else if ((k == KF(KEY_BTAB) || k == KF(KEY_UP)) && d->cur > 0)
			d->cur--;
		else if (k == KEY_ESC || k == KF(KEY_F(10)))
			return SK_UNHANDLED;
		else if (IS_ENTER(k) && !d->readonly && (size_t)d->cur + 1 < d->n)
			d->cur++;
		else if (!d->readonly && (k >= 0x20 && k < KEY_BASE))
			ui_msg(1, _("Field \"%s\" is computed by the program."), _(r->f->label));
		else if (d->readonly && (k == KF(KEY_F(2)) || (k >= 0x20 && k < KEY_BASE) || IS_ENTER(k)))
			ui_msg(1, _("Read-only: %s"), d->reason);
		return SK_DONE;
	}
	switch (k) {
	case KF(KEY_F(2)):
		rf_save(d);
		return SK_DONE;
	case KF(KEY_F(3)):
		/* On a household's form: a new person in this household. */
		if (!strcmp(d->t->name, "household") && d->id[0]) {
			if (ui_allow(AUTH_EDIT_RECORDS))
				recform_open_member(d->id);
			return SK_DONE;
		}
		break;
	case '\t':
	case KF(KEY_DOWN):
		/* A wrong value keeps the cursor on its field. */
		if (!row_check(d, r) && !validate_is_blank(lineedit_text(&r->le)))
			return SK_DONE;
		rf_next(d);
		return SK_DONE;
	case KF(KEY_BTAB):
	case KF(KEY_UP):
		row_check(d, r);
		rf_prev(d);
		return SK_DONE;
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (is_list(r->f)) {
			rf_choose(d, r);
		} else if (row_check(d, r) || validate_is_blank(lineedit_text(&r->le))) {
			rf_next(d);
		}
		return SK_DONE;
	}
	if (is_list(r->f)) {
		if (k >= '1' && k <= '9') {
			rf_digit(d, r, k);
			return SK_DONE;
		}
		if (k == ' ' && r->f->type == FT_BOOL) {
			lineedit_set_text(&r->le, !strcmp(lineedit_text(&r->le), "1") ? "0" : "1", NULL);
			return SK_DONE;
		}
		if (k == KF(KEY_DC) || k == KF(KEY_BACKSPACE) || k == 127) {
			lineedit_set_text(&r->le, "", NULL);
			if (!strcmp(r->f->name, "household_id"))
				d->new_hh = 0;
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

/* A household's form also adds a member. */
static const struct key_help household_keys[] = {
	{ "F2", N_("Save"), N_("Save the record (checked first; nothing is saved when a field is wrong)."), AUTH_READ, KH_ANY },
	{ "F3", N_("Add member"), N_("Add a new person to this household (its grid and address filled in)."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "Tab", NULL, N_("Next field; Shift-Tab or Up: the field before."), AUTH_READ, KH_ANY },
	{ "Enter", N_("Choose"), N_("On a list field: choose from the list; elsewhere: next field."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back; asks before it throws changes away."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static const struct screen_ops household_ops = {
	.name = "household", .title = N_("Form"), .keys = household_keys,
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

		if (((f->flags & F_SYSTEM) && !is_derived(f)) || f->type == FT_JSON)
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
		/* A new person is on the register (在册) until told otherwise. */
		if (!id && !strcmp(t->name, "person") && !strcmp(f->name, "status"))
			lineedit_set_text(&row->le, "active", NULL);
		row->orig = strdup(lineedit_text(&row->le));
	}
	if (!id && !strcmp(t->name, "person")) {
		struct frow *row = &d->rows[d->n++];

		row->f = &categories_field;
		lineedit_init(&row->le, 1000);
		row->orig = strdup("");
	}
	/* Whom the record is about, for the title. */
	{
		const char *pid = preset_field && !strcmp(preset_field, "person_id") ? preset_value :
				  r && table_field(t, "person_id") && strcmp(t->name, "person") ?
				  record_get(r, "person_id") : NULL;
		struct strbuf nm = STRBUF_INIT;

		if (pid && *pid)
			record_label(ui.db, table_find("person"), pid, &nm);
		snprintf(d->person, sizeof(d->person), "%s", nm.len ? nm.buf : "");
		strbuf_release(&nm);
	}
	record_free(&r);
	derive_rows(d);
	for (i = 0; i < d->n; i++)
		if (is_derived(d->rows[i].f)) {
			free(d->rows[i].orig);
			d->rows[i].orig = strdup(lineedit_text(&d->rows[i].le));
		}
	screen_push(id && !strcmp(t->name, "household") ? &household_ops : &rf_ops, d);
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

void recform_open_member(const char *household)
{
	struct recform *d = rf_open(table_find("person"), NULL, NULL, NULL);
	struct frow *r;

	if (!d || !household || !*household)
		return;
	if ((r = find_row(d, "household_id"))) {
		lineedit_set_text(&r->le, household, NULL);
		fill_from_household(d, household);
	}
}
