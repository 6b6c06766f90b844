/* report.c - a report on the screen: choose one of the reports the role
 * may read, see its rows in the list widget, open the person of a row.
 * The rows come from report_run(), the runner the command line's
 * "guanqing report" uses. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/report.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

struct report_screen {
	const struct report_def *d;
	struct list_view list;
	char err[GQ_ERR_MSG_MAX];
};

static const struct key_help report_keys[] = {
	{ "Enter", N_("Open"), N_("Open the person of the chosen row."), AUTH_READ, KH_ANY },
	{ "Up/Down", NULL, N_("Move in the list; PgUp/PgDn by a page; Left/Right show more columns."),
	  AUTH_READ, KH_ANY },
	{ "F5", N_("Again"), N_("Run the report again."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the screen before."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

/* A row of the report: the id column, if any, is the row's id. */
static int add_row(void *arg, const char *const *cells)
{
	struct report_screen *r = arg;
	const char *shown[LIST_COLS_MAX];
	const char *id = NULL;
	size_t i, n = 0;

	for (i = 0; i < r->d->ncols && n < LIST_COLS_MAX; i++) {
		if (r->d->cols[i].type == RT_ID)
			id = cells[i];
		else
			shown[n++] = cells[i];
	}
	list_add_row(&r->list, id, shown);
	return 0;
}

static void report_load(struct report_screen *r)
{
	struct gq_err e;

	gq_err_clear(&e);
	r->err[0] = '\0';
	list_clear(&r->list);
	if (report_run(ui.db, r->d, NULL, add_row, r, &e) != GQ_OK)
		snprintf(r->err, sizeof(r->err), "%s", e.msg);
}

static void report_draw(struct screen *s)
{
	struct report_screen *r = s->data;

	ui_putf(1, 1, ui_cols() - 2, UA_HEADER, _("%s: %zu rows"), _(r->d->title), r->list.rows);
	ui_put(2, 1, _(r->d->help), ui_cols() - 2, UA_DIM);
	list_draw(&r->list, 3, 1, ui_lines() - 5, ui_cols() - 2);
	if (r->err[0])
		ui_put(5, 2, r->err, ui_cols() - 3, UA_ERROR);
	else if (!r->list.rows)
		ui_put(4, 2, _("Nothing to report."), ui_cols() - 3, UA_DIM);
}

static int report_key(struct screen *s, int k)
{
	struct report_screen *r = s->data;

	if (list_key(&r->list, k))
		return SK_DONE;
	if (IS_ENTER(k)) {
		if (list_current(&r->list))
			person_open(list_current(&r->list));
		return SK_DONE;
	}
	if (k == KF(KEY_F(5))) {
		report_load(r);
		return SK_DONE;
	}
	return SK_UNHANDLED;
}

static void report_resume(struct screen *s)
{
	report_load(s->data);
}

static void report_close(struct screen *s)
{
	struct report_screen *r = s->data;

	list_release(&r->list);
	free(r);
}

static const struct screen_ops report_ops = {
	.name = "report", .title = N_("Report"), .keys = report_keys,
	.draw = report_draw, .key = report_key, .resume = report_resume, .close = report_close,
};

void report_open(void)
{
	const struct report_def *allowed[32];
	const char *labels[32];
	struct report_screen *r;
	size_t i, n = 0;
	int pick;

	for (i = 0; i < reports_count && n < 32; i++)
		if (ui_can(reports_all[i]->action)) {
			allowed[n] = reports_all[i];
			labels[n++] = _(reports_all[i]->title);
		}
	if (!n) {
		ui_msg(1, "%s", _("There is no report you may read here."));
		return;
	}
	pick = n == 1 ? 0 : ui_choose(_("Which report?"), labels, n, 0);
	if (pick < 0)
		return;
	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	r->d = allowed[pick];
	list_init(&r->list);
	list_cols_report(&r->list, r->d);
	report_load(r);
	screen_push(&report_ops, r);
}
