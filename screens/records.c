/* records.c - list screens for applications, facilities (with their meal
 * services), activities and referrals, generic from tables.h: the
 * table's list fields in columns; Enter edits, F3 adds. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/county.h"
#include "guanqing/county_screens.h"
#include "guanqing/field.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

#define MAX_COLS 8

struct rlist {
	const struct table_def *t;
	const char *field;	/* only rows where field = value */
	char value[40];
	const struct field_def *cols[MAX_COLS];
	size_t ncols;
	struct list_view list;
};

static const struct key_help rlist_keys[] = {
	{ "Enter", N_("Edit"), N_("Edit the chosen record."), AUTH_READ, KH_ANY },
	{ "F3", N_("Add"), N_("Add a record."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the screen before."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

/* Facilities have their meal services besides (F5); no other list. */
static const struct key_help facility_keys[] = {
	{ "Enter", N_("Edit"), N_("Edit the chosen record."), AUTH_READ, KH_ANY },
	{ "F3", N_("Add"), N_("Add a record."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F5", N_("Meals"), N_("On a facility: its meal services."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the screen before."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

struct rl_fill {
	struct rlist *d;
	struct strbuf val[MAX_COLS];
};

static int rl_add(void *arg, const struct record *r)
{
	struct rl_fill *fl = arg;
	struct rlist *d = fl->d;
	const char *cells[MAX_COLS];
	size_t c;

	for (c = 0; c < d->ncols; c++) {
		strbuf_reset(&fl->val[c]);
		field_display(ui.db, d->cols[c], record_get(r, d->cols[c]->name), &fl->val[c]);
		cells[c] = fl->val[c].buf;
	}
	list_add_row(&d->list, r->id, cells);
	return 0;
}

static void rl_load(struct rlist *d)
{
	struct rl_fill fl;
	struct query_filter flt = { .field = d->field, .value = d->field ? d->value : NULL };
	size_t c;

	fl.d = d;
	for (c = 0; c < MAX_COLS; c++)
		strbuf_init(&fl.val[c], 0);
	list_clear(&d->list);
	query_rows(ui.db, d->t, &flt, rl_add, &fl, NULL);
	for (c = 0; c < MAX_COLS; c++)
		strbuf_release(&fl.val[c]);
}

static void rl_draw(struct screen *s)
{
	struct rlist *d = s->data;

	ui_putf(1, 1, ui_cols() - 2, UA_HEADER, "%s (%zu)", _(d->t->label), d->list.rows);
	list_draw(&d->list, 3, 1, ui_lines() - 5, ui_cols() - 2);
	if (d->list.rows == 0)
		ui_put(4, 2, _("Nothing recorded yet. F3 adds one."), ui_cols() - 3, UA_DIM);
}

static int rl_key(struct screen *s, int k)
{
	struct rlist *d = s->data;

	const char *id = list_current(&d->list);

	if (list_key(&d->list, k))
		return SK_DONE;
	switch (k) {
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (!id)
			break;
		if (ui_can(AUTH_EDIT_RECORDS))
			recform_open(d->t, id, NULL, NULL);
		else
			recform_view(d->t, id, NULL);
		break;
	case KF(KEY_F(3)):
	case KF(KEY_IC):
		if (!ui_allow(AUTH_EDIT_RECORDS))
			break;
		if (table_field(d->t, "person_id") && !d->field) {
			ui_msg(1, "%s", _("Open the person's card (People) to add this record for them."));
		} else if (ui.db->role == DB_ROLE_COUNTY && d->t->village_scoped && !d->field) {
			/* At the county a facility or an activity is of a
			 * village: chosen by town and village, pinyin too. */
			char village[16], name[256];

			if (county_choose_village(_("Of which village?"), village)) {
				recform_open_village(d->t, village);
				if (county_village_folder(ui.db, village, name, sizeof(name)) == 0)
					ui_msg(0, _("Village: %s"), name);
			}
		} else {
			recform_open(d->t, NULL, d->field, d->field ? d->value : NULL);
		}
		break;
	case KF(KEY_F(5)):
		if (!strcmp(d->t->name, "facility") && id)
			records_open(table_find("meal_service"), "facility_id", id);
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
	struct rlist *d = s->data;

	list_release(&d->list);
	free(d);
}

static const struct screen_ops rl_ops = {
	.name = "records", .title = N_("Records"), .keys = rlist_keys,
	.draw = rl_draw, .key = rl_key, .resume = rl_resume, .close = rl_close,
};

static const struct screen_ops facility_ops = {
	.name = "records", .title = N_("Records"), .keys = facility_keys,
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
	list_init(&d->list);
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
		d->cols[d->ncols++] = f;
		list_cols_fields(&d->list, t, f->name);
	}
	rl_load(d);
	screen_push(!strcmp(t->name, "facility") ? &facility_ops : &rl_ops, d);
}
