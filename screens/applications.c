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
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/record.h"
#include "guanqing/screen.h"

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

static void apps_draw(struct screen *s)
{
	struct apps *d = s->data;

	if (!d->list.rows) {
		ui_put(2, 2, _("No application is waiting for a decision."), ui_cols() - 4, UA_DIM);
		return;
	}
	list_draw(&d->list, 1, 1, ui_lines() - 3, ui_cols() - 2);
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
	if (!county_ask_text(approve ? _("Approve") : _("Reject"),
			     approve ? _("Amount granted (yuan):") : _("Reason:"), text, sizeof(text)))
		return;
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
