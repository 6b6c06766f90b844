/* report.c - a report on the screen: choose one of the reports the role
 * may read, see its rows in the list widget, open the person of a row.
 * A report by place (RF_PLACES) shows the towns and the county first,
 * with a bar chart of its chosen column (block characters; '#' in ASCII
 * on TERM=linux), and Enter on a town drills down to its villages; Esc or
 * F10 goes back up. The rows come from report_run(), the runner the
 * command line's "guanqing report" uses. */
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
	struct report_args args;
	char town[16];		/* the town drilled into, or "" */
	char town_name[128];
	int bar;		/* the charted column, or -1 */
	int bar_share;		/* it is a share in per cent (0..100) */
	/* The rows of a run, kept until the chart's scale is known. */
	char **held;		/* nheld * ncols */
	size_t nheld, aheld;
};

#define BAR_WIDTH 12

static const struct key_help report_keys[] = {
	{ "Enter", N_("Open"), N_("Open the person of the chosen row, or the villages of the chosen town."), AUTH_READ, KH_ANY },
	{ "Up/Down", NULL, N_("Move in the list; PgUp/PgDn by a page; Left/Right show more columns."),
	  AUTH_READ, KH_ANY },
	{ "F5", N_("Again"), N_("Run the report again."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the towns from a town's villages, else to the screen before."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

/* A row of the report, held until the run ends. */
static int hold_row(void *arg, const char *const *cells)
{
	struct report_screen *r = arg;
	size_t i, n = r->d->ncols;

	if (r->nheld == r->aheld) {
		size_t na = r->aheld ? 2 * r->aheld : 64;
		char **a = realloc(r->held, na * n * sizeof(*a));

		if (!a)
			return 1;
		r->held = a;
		r->aheld = na;
	}
	for (i = 0; i < n; i++)
		r->held[r->nheld * n + i] = cells[i] ? strdup(cells[i]) : NULL;
	r->nheld++;
	return 0;
}

static void held_free(struct report_screen *r)
{
	size_t i;

	for (i = 0; i < r->nheld * r->d->ncols; i++)
		free(r->held[i]);
	free(r->held);
	r->held = NULL;
	r->nheld = r->aheld = 0;
}

/* The columns: all but the id (the row's id instead), with the chart
 * after the place's name. */
static void report_cols(struct report_screen *r)
{
	size_t i;

	for (i = 0; i < r->d->ncols && r->list.ncols < LIST_COLS_MAX; i++) {
		const struct report_col *c = &r->d->cols[i];

		if (c->type == RT_ID || c->type == RT_DIV)
			continue;
		list_add_col(&r->list, _(c->label), c->width, c->type == RT_INT || c->type == RT_NUM);
		if (r->bar >= 0 && r->list.ncols == 1 && r->list.ncols < LIST_COLS_MAX)
			list_add_col(&r->list, _(r->d->cols[r->bar].label), BAR_WIDTH, 0);
	}
}

/* Hand the held rows to the list, with their bars. */
static void add_rows(struct report_screen *r)
{
	size_t n = r->d->ncols, i, j;
	double max = r->bar_share ? 100.0 : 0.0;

	for (i = 0; r->bar >= 0 && !r->bar_share && i < r->nheld; i++) {
		const char *v = r->held[i * n + (size_t)r->bar];
		const char *code = r->held[i * n];

		/* The county's total would dwarf the towns. */
		if (v && !(r->d->flags & RF_PLACES && !code) && atof(v) > max)
			max = atof(v);
	}
	for (i = 0; i < r->nheld; i++) {
		char **row = r->held + i * n;
		const char *shown[LIST_COLS_MAX];
		char bar[BAR_WIDTH * 4 + 1];
		const char *id = NULL;
		size_t k = 0;

		bar[0] = '\0';
		if (r->bar >= 0 && row[r->bar] && !(r->d->flags & RF_PLACES && !row[0]))
			report_bar(bar, sizeof(bar), atof(row[r->bar]), max, BAR_WIDTH, ui.ascii);
		for (j = 0; j < n && k < LIST_COLS_MAX; j++) {
			const struct report_col *c = &r->d->cols[j];

			if (c->type == RT_ID || c->type == RT_DIV) {
				id = row[j];
				continue;
			}
			shown[k++] = report_cell_text(c, row[j]);
			if (r->bar >= 0 && k == 1 && k < LIST_COLS_MAX)
				shown[k++] = bar;
		}
		list_add_row(&r->list, id, shown);
	}
	held_free(r);
}

static void report_load(struct report_screen *r)
{
	struct gq_err e;

	gq_err_clear(&e);
	r->err[0] = '\0';
	list_clear(&r->list);
	r->args.town = r->town[0] ? r->town : NULL;
	r->args.level = r->town[0] ? RL_VILLAGES : RL_TOWNS;
	if (report_run(ui.db, r->d, &r->args, hold_row, r, &e) != GQ_OK)
		snprintf(r->err, sizeof(r->err), "%s", e.msg);
	add_rows(r);
}

static void report_draw(struct screen *s)
{
	struct report_screen *r = s->data;

	if (r->town[0])
		ui_putf(1, 1, ui_cols() - 2, UA_HEADER, _("%s, villages of %s: %zu rows"),
			_(r->d->title), r->town_name, r->list.rows);
	else
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
		const char *id = list_current(&r->list);

		if (id && (r->d->flags & RF_PLACES)) {
			if (!r->town[0]) {
				/* Down to the town's villages. */
				snprintf(r->town, sizeof(r->town), "%s", id);
				snprintf(r->town_name, sizeof(r->town_name), "%s",
					 r->list.cells[(size_t)r->list.cur * r->list.ncols]
					 ? r->list.cells[(size_t)r->list.cur * r->list.ncols] : id);
				report_load(r);
			}
		} else if (id && r->d->cols[0].type == RT_ID) {
			person_open(id);
		}
		return SK_DONE;
	}
	if ((k == KEY_ESC || k == KF(KEY_F(10))) && r->town[0]) {
		r->town[0] = '\0';
		report_load(r);
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
	held_free(r);
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
	r->args.within = -1;
	r->bar = -1;
	for (i = 0; r->d->bar && i < r->d->ncols; i++)
		if (!strcmp(r->d->cols[i].name, r->d->bar))
			r->bar = (int)i;
	r->bar_share = r->d->bar && strstr(r->d->bar, "share") != NULL;
	list_init(&r->list);
	report_cols(r);
	report_load(r);
	screen_push(&report_ops, r);
}
