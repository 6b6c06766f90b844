/* records.c - list screens for applications, facilities (with their meal
 * services), activities and referrals, generic from tables.h: the
 * table's list fields in columns; Enter edits, F3 adds. */
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

#define MAX_COLS 8

struct rlist {
	const struct table_def *t;
	const char *field;	/* only rows where field = value */
	char value[40];
	char (*id)[40];
	char **line;
	size_t n;
	int cur, first;
	const struct field_def *cols[MAX_COLS];
	int widths[MAX_COLS];
	size_t ncols;
};

static const struct key_help rlist_keys[] = {
	{ "Enter", N_("Edit"), N_("Edit the chosen record."), AUTH_READ, KH_ANY },
	{ "F3", N_("Add"), N_("Add a record."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F5", N_("Meals"), N_("On a facility: its meal services."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the screen before."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void rl_free(struct rlist *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->line[i]);
	free(d->line);
	free(d->id);
	d->line = NULL;
	d->id = NULL;
	d->n = 0;
}

struct rl_fill {
	struct rlist *d;
	size_t alloc;
};

static int rl_add(void *arg, const struct record *r)
{
	struct rl_fill *fl = arg;
	struct rlist *d = fl->d;
	struct strbuf sb = STRBUF_INIT, val = STRBUF_INIT;
	size_t c;

	if (d->n == fl->alloc) {
		size_t na = fl->alloc ? fl->alloc * 2 : 64;
		void *a = realloc(d->id, na * sizeof(*d->id)), *b;

		if (!a)
			return 1;
		d->id = a;
		b = realloc(d->line, na * sizeof(*d->line));
		if (!b)
			return 1;
		d->line = b;
		fl->alloc = na;
	}
	for (c = 0; c < d->ncols; c++) {
		strbuf_reset(&val);
		field_display(ui.db, d->cols[c], record_get(r, d->cols[c]->name), &val);
		text_pad(&sb, val.buf, (size_t)d->widths[c], TEXT_ELLIPSIS_CUT);
		strbuf_addch(&sb, ' ');
	}
	strbuf_release(&val);
	snprintf(d->id[d->n], sizeof(d->id[d->n]), "%s", r->id);
	d->line[d->n++] = strbuf_detach(&sb, NULL);
	return 0;
}

static void rl_load(struct rlist *d)
{
	struct rl_fill fl = { d, 0 };
	struct query_filter flt = { .field = d->field, .value = d->field ? d->value : NULL };

	rl_free(d);
	query_rows(ui.db, d->t, &flt, rl_add, &fl, NULL);
	if (d->cur >= (int)d->n)
		d->cur = d->n ? (int)d->n - 1 : 0;
}

static void rl_draw(struct screen *s)
{
	struct rlist *d = s->data;
	int rows = ui_lines() - 6, i, x = 1;
	size_t c;

	ui_putf(1, 1, ui_cols() - 2, UA_HEADER, "%s (%zu)", _(d->t->label), d->n);
	for (c = 0; c < d->ncols; c++) {
		ui_put(3, x, _(d->cols[c]->label), d->widths[c], UA_HEADER);
		x += d->widths[c] + 1;
	}
	if (d->n == 0)
		ui_put(4, 2, _("Nothing recorded yet. F3 adds one."), ui_cols() - 3, UA_DIM);
	ui_list_scroll(&d->first, d->cur, rows);
	for (i = 0; i < rows && (size_t)(d->first + i) < d->n; i++)
		ui_put(4 + i, 1, d->line[d->first + i], ui_cols() - 2,
		       d->first + i == d->cur ? UA_SELECT : UA_NORMAL);
}

static int rl_key(struct screen *s, int k)
{
	struct rlist *d = s->data;

	if (ui_list_move(k, &d->cur, d->n, ui_lines() - 8))
		return SK_DONE;
	switch (k) {
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (!d->n)
			break;
		if (ui_can(AUTH_EDIT_RECORDS))
			recform_open(d->t, d->id[d->cur], NULL, NULL);
		else
			recform_view(d->t, d->id[d->cur], NULL);
		break;
	case KF(KEY_F(3)):
	case KF(KEY_IC):
		if (!ui_allow(AUTH_EDIT_RECORDS))
			break;
		if (table_field(d->t, "person_id") && !d->field)
			ui_msg(1, "%s", _("Open the person's card (People) to add this record for them."));
		else
			recform_open(d->t, NULL, d->field, d->field ? d->value : NULL);
		break;
	case KF(KEY_F(5)):
		if (!strcmp(d->t->name, "facility") && d->n)
			records_open(table_find("meal_service"), "facility_id", d->id[d->cur]);
		break;
	default:
		return SK_UNHANDLED;
	}
	return SK_DONE;
}

static void rl_resume(struct screen *s)
{
	rl_load(s->data);
}

static void rl_close(struct screen *s)
{
	rl_free(s->data);
	free(s->data);
}

static const struct screen_ops rl_ops = {
	.name = "records", .title = N_("Records"), .keys = rlist_keys,
	.draw = rl_draw, .key = rl_key, .resume = rl_resume, .close = rl_close,
};

void records_open(const struct table_def *t, const char *field, const char *value)
{
	struct rlist *d;
	const char *p;

	if (!t)
		return;
	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	d->t = t;
	d->field = field;
	if (value)
		snprintf(d->value, sizeof(d->value), "%s", value);
	for (p = t->list_fields; *p && d->ncols < MAX_COLS;) {
		char name[64];
		size_t len = strcspn(p, ",");
		const struct field_def *f;

		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += len + (p[len] == ',');
		f = table_field(t, name);
		if (!f || (field && !strcmp(f->name, field)))
			continue;
		d->cols[d->ncols] = f;
		d->widths[d->ncols++] = f->type == FT_DATE ? 10 : f->type == FT_INT || f->type == FT_BOOL ? 6
			: f->type == FT_MONEY ? 9 : 14;
	}
	rl_load(d);
	screen_push(&rl_ops, d);
}
