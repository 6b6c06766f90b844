/* applications.c - the applications waiting for a decision at the county,
 * by town and kind: the applicant, village, household and the latest
 * household-check visit; approve with an amount or reject with a reason;
 * the history of each. The decision is saved through the record path and
 * travels to the station in its next bundle. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/county.h"
#include "guanqing/county_screens.h"
#include "guanqing/division.h"
#include "guanqing/field.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/record.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

struct apps {
	struct list_view list;
	int all;	/* every application, not only the waiting ones */
};

static const struct key_help apps_keys[] = {
	{ "a", N_("Approve"), N_("Approve the chosen application, with the amount granted."), AUTH_DECIDE, KH_ANY },
	{ "j", N_("Reject"), N_("Reject the chosen application, with the reason."), AUTH_DECIDE, KH_ANY },
	{ "h", N_("History"), N_("The history of the chosen application."), AUTH_READ, KH_ANY },
	{ "Enter", N_("Open"), N_("The chosen application's record."), AUTH_READ, KH_ANY },
	{ "w", N_("All"), N_("Show every application, or only the waiting ones."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static int apps_add(void *arg, const struct county_application *a)
{
	struct apps *d = arg;
	char members[16] = "";
	const char *cells[9];

	if (a->members)
		snprintf(members, sizeof(members), "%d", a->members);
	cells[0] = a->town_name;
	cells[1] = a->kind_label;
	cells[2] = a->applicant;
	cells[3] = a->village_name;
	cells[4] = a->apply_date;
	cells[5] = a->amount_asked;
	cells[6] = members;
	cells[7] = a->check_date ? a->check_date : _("no check visit");
	cells[8] = a->status_label;
	list_add_row(&d->list, a->id, cells);
	return 0;
}

static void apps_load(struct apps *d)
{
	struct gq_err e;

	gq_err_clear(&e);
	list_clear(&d->list);
	county_applications(ui.db, !d->all, apps_add, d, &e);
}

/* What the county decides on, under the list: the applicant, village
 * and the household's figures as the station recorded them, two to a
 * line ("village" is the record's village; a lone field takes the line). */
static const char *const case_cells[][2] = {
	{ "person_id", "village" },
	{ "kind", "apply_date" },
	{ "amount_asked", "household_size" },
	{ "income_month", "income_per_person" },
	{ "houses", "vehicles" },
	{ "savings", NULL },
	{ "apply_reason", NULL },
	{ "bank_name", "bank_account" },
};
#define CASE_LINES (sizeof(case_cells) / sizeof(case_cells[0]))
#define CASE_ROWS ((int)CASE_LINES + 2)

static void case_cell(const struct record *r, const char *name, struct strbuf *out)
{
	const struct field_def *f = table_field(r->t, name);
	struct strbuf val = STRBUF_INIT;
	char vname[128] = "";
	const char *v;

	if (!strcmp(name, "village")) {
		division_name(ui.db, r->village, vname, sizeof(vname));
		strbuf_addf(out, _("%s: %s"), _("Village"), vname[0] ? vname : r->village);
		return;
	}
	if (!f)
		return;
	v = record_get(r, f->name);
	if (v)
		field_display(ui.db, f, v, &val);
	else
		strbuf_addstr(&val, _("(not given)"));
	strbuf_addf(out, _("%s: %s"), !strcmp(f->name, "person_id") ? _("Applicant") : _(f->label), val.buf);
	strbuf_release(&val);
}

static int draw_case(const char *id, int y, int w)
{
	struct record *r = NULL;
	struct strbuf line = STRBUF_INIT, cell = STRBUF_INIT;
	size_t i, half = (size_t)(w - 2) / 2;

	if (!id || record_load(ui.db, table_find("application"), id, &r, NULL) != GQ_OK)
		return 0;
	ui_put(y++, 1, _("The case"), w, UA_HEADER);
	for (i = 0; i < CASE_LINES; i++) {
		strbuf_reset(&line);
		strbuf_reset(&cell);
		case_cell(r, case_cells[i][0], &cell);
		if (case_cells[i][1]) {
			text_pad(&line, cell.buf, half - 1, TEXT_ELLIPSIS_CUT);
			strbuf_addstr(&line, "  ");
			strbuf_reset(&cell);
			case_cell(r, case_cells[i][1], &cell);
		}
		strbuf_addstr(&line, cell.buf);
		ui_put(y++, 2, line.buf, w - 1, UA_NORMAL);
	}
	strbuf_release(&line);
	strbuf_release(&cell);
	record_free(&r);
	return 1;
}

static void apps_draw(struct screen *s)
{
	struct apps *d = s->data;
	int h = ui_lines() - 3, case_h = h >= 16 ? CASE_ROWS : 0;

	if (!d->list.rows) {
		ui_put(2, 2, _("No application is waiting for a decision."), ui_cols() - 4, UA_DIM);
		return;
	}
	list_draw(&d->list, 1, 1, h - case_h, ui_cols() - 2);
	if (case_h)
		draw_case(list_current(&d->list), 1 + h - case_h + 1, ui_cols() - 2);
}

static void decide(struct apps *d, int approve)
{
	const char *id = list_current(&d->list);
	char text[256] = "", today[16];
	struct rec_value v[4];
	struct gq_err e;
	size_t n = 0;

	if (!id)
		return;
	/* The dialog names whose application it is. */
	{
		struct record *r = NULL;
		struct strbuf who = STRBUF_INIT, title = STRBUF_INIT;
		int asked;

		if (record_load(ui.db, table_find("application"), id, &r, NULL) == GQ_OK)
			record_label(ui.db, table_find("person"), record_get(r, "person_id"), &who);
		record_free(&r);
		if (who.len)
			strbuf_addf(&title, approve ? _("Approve the application of %s") :
				    _("Reject the application of %s"), who.buf);
		else
			strbuf_addstr(&title, approve ? _("Approve") : _("Reject"));
		asked = ui_ask_text(title.buf, approve ? _("Amount granted (yuan):") : _("Reason:"), NULL, text,
				    200, text, sizeof(text));
		strbuf_release(&who);
		strbuf_release(&title);
		if (!asked)
			return;
	}
	gq_err_clear(&e);
	clock_today(today, sizeof(today));
	v[n].field = "status";
	v[n++].text = approve ? "approved" : "rejected";
	v[n].field = approve ? "amount_granted" : "decision_reason";
	v[n++].text = text;
	v[n].field = "decision_date";
	v[n++].text = today;
	if (record_update(ui.db, table_find("application"), id, v, n, &e) != GQ_OK) {
		ui_msg(1, "%s", e.msg);
		return;
	}
	ui_msg(0, "%s", approve ? _("Approved; the decision travels to the station in its next bundle.") :
		   _("Rejected; the decision travels to the station in its next bundle."));
	apps_load(d);
}

static int apps_key(struct screen *s, int k)
{
	struct apps *d = s->data;

	if (list_key(&d->list, k))
		return SK_DONE;
	switch (k) {
	case 'a':
		if (ui_allow(AUTH_DECIDE))
			decide(d, 1);
		return SK_DONE;
	case 'j':
		if (ui_allow(AUTH_DECIDE))
			decide(d, 0);
		return SK_DONE;
	case 'h':
		if (list_current(&d->list))
			history_open("application", list_current(&d->list), _("Application"));
		return SK_DONE;
	case 'w':
		d->all = !d->all;
		apps_load(d);
		return SK_DONE;
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (list_current(&d->list))
			recform_open(table_find("application"), list_current(&d->list), NULL, NULL);
		return SK_DONE;
	default:
		return SK_UNHANDLED;
	}
}

static void apps_resume(struct screen *s)
{
	apps_load(s->data);
}

static void apps_close(struct screen *s)
{
	struct apps *d = s->data;

	list_release(&d->list);
	free(d);
}

static const struct screen_ops apps_ops = {
	.name = "applications", .title = N_("Applications"), .keys = apps_keys,
	.draw = apps_draw, .key = apps_key, .resume = apps_resume, .close = apps_close,
};

void applications_open(void)
{
	struct apps *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	list_init(&d->list);
	list_add_col(&d->list, _("Town"), 10, 0);
	list_add_col(&d->list, _("Kind"), 12, 0);
	list_add_col(&d->list, _("Applicant"), 8, 0);
	list_add_col(&d->list, _("Village"), 8, 0);
	list_add_col(&d->list, _("Applied"), 10, 0);
	list_add_col(&d->list, _("Asked"), 7, 1);
	list_add_col(&d->list, _("Household"), 4, 1);
	list_add_col(&d->list, _("Check visit"), 10, 0);
	list_add_col(&d->list, _("Status"), 6, 0);
	apps_load(d);
	screen_push(&apps_ops, d);
}
