/* duplicates.c - the duplicates across villages as a list to act on: the
 * rows of duplicates_each() in the list widget; Enter opens the person's
 * record (for a deceased person receiving a benefit, the record that
 * receives it). */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "guanqing/county_screens.h"
#include "guanqing/duplicates.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/screen.h"

struct dup_screen {
	struct list_view list;	/* row ids: persons */
	char err[GQ_ERR_MSG_MAX];
};

static const struct key_help dup_keys[] = {
	{ "Enter", N_("Open"), N_("Open the person of the chosen finding."), AUTH_READ, KH_ANY },
	{ "Up/Down", NULL, N_("Move in the list; PgUp/PgDn by a page; Left/Right show more columns."),
	  AUTH_READ, KH_ANY },
	{ "F5", N_("Again"), N_("Look for the duplicates again."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the screen before."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static int dup_add(void *arg, const struct dup_row *r)
{
	struct dup_screen *d = arg;
	const char *cells[6];

	cells[0] = r->kind_label;
	cells[1] = r->names;
	cells[2] = r->id_number;
	cells[3] = r->benefit_label;
	cells[4] = r->villages;
	cells[5] = r->detail;
	list_add_row(&d->list, r->person_id, cells);
	return 0;
}

static void dup_load(struct dup_screen *d)
{
	struct gq_err e;

	gq_err_clear(&e);
	d->err[0] = '\0';
	list_clear(&d->list);
	if (duplicates_each(ui.db, NULL, dup_add, d, &e) != GQ_OK)
		snprintf(d->err, sizeof(d->err), "%s", e.msg);
}

static void dup_draw(struct screen *s)
{
	struct dup_screen *d = s->data;
	int cols = ui_cols();

	ui_putf(1, 1, cols - 2, UA_HEADER, _("Duplicates across villages: %zu findings"), d->list.rows);
	if (d->err[0])
		ui_put(3, 2, d->err, cols - 3, UA_ERROR);
	else if (d->list.rows == 0)
		ui_put(3, 2, _("No person is registered in two villages."), cols - 3, UA_DIM);
	else
		list_draw(&d->list, 3, 1, ui_lines() - 5, cols - 2);
}

static int dup_key(struct screen *s, int k)
{
	struct dup_screen *d = s->data;

	if (list_key(&d->list, k))
		return SK_DONE;
	switch (k) {
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (list_current(&d->list))
			person_open(list_current(&d->list));
		break;
	case KF(KEY_F(5)):
		dup_load(d);
		break;
	default:
		return SK_UNHANDLED;
	}
	return SK_DONE;
}

static void dup_resume(struct screen *s)
{
	dup_load(s->data);
}

static void dup_close(struct screen *s)
{
	struct dup_screen *d = s->data;

	list_release(&d->list);
	free(d);
}

static const struct screen_ops dup_ops = {
	.name = "duplicates", .title = N_("Duplicates across villages"), .keys = dup_keys,
	.draw = dup_draw, .key = dup_key, .resume = dup_resume, .close = dup_close,
};

void duplicates_open(void)
{
	struct dup_screen *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	list_init(&d->list);
	list_add_col(&d->list, _("Finding"), 16, 0);
	list_add_col(&d->list, _("Names"), 14, 0);
	list_add_col(&d->list, _("ID number"), 18, 0);
	list_add_col(&d->list, _("Benefit"), 12, 0);
	list_add_col(&d->list, _("Villages"), 30, 0);
	list_add_col(&d->list, _("What to check"), 40, 0);
	dup_load(d);
	screen_push(&dup_ops, d);
}
