/* cli_report.c - the command "report": the reports of src/report.c on
 * the command line. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/cli_out.h"
#include "guanqing/cli_report.h"
#include "guanqing/cli_util.h"
#include "guanqing/i18n.h"
#include "guanqing/report.h"

/* ---- reports ---- */

struct report_out {
	const struct report_def *d;
	struct table_out out;
	enum fmt f;
};

static int report_cell_row(void *arg, const char *const *cells)
{
	struct report_out *r = arg;
	char *row[24], id8[9];
	size_t i;

	for (i = 0; i < r->d->ncols && i < 24; i++)
		row[i] = (char *)cells[i];
	/* A table shows a prefix of an id: enough to type back. */
	if (r->f == FMT_TABLE && r->d->cols[0].type == RT_ID && cells[0]) {
		snprintf(id8, sizeof(id8), "%s", cells[0]);
		row[0] = id8;
	}
	tout_add_row(&r->out, row);
	return 0;
}

int cli_report(int argc, char **argv, int at)
{
	const struct report_def *d;
	struct report_args a = { NULL, -1, NULL };
	struct report_out r;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	size_t i;
	int status, j;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	if (o.npos == 0 || !strcmp(o.pos[0], "list")) {
		/* What exists: every report with its parameters. */
		for (i = 0; i < reports_count; i++) {
			const struct report_def *x = reports_all[i];

			printf("%-12s %s", x->id, _(x->title));
			for (j = 0; x->params[j]; j++)
				printf(" [--%s]", x->params[j]);
			printf("\n             %s\n", _(x->help));
		}
		return 0;
	}
	d = report_find(o.pos[0]);
	if (!d) {
		cli_usage(_("there is no report \"%s\" (see \"guanqing report list\")."), o.pos[0]);
		return 2;
	}
	if (o.npos > 1) {
		cli_usage(_("report %s takes no argument \"%s\"."), d->id, o.pos[1]);
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.d = d;
	if (cli_parse_format(&o, &r.f))
		return 2;
	for (j = 0; j < o.n; j++) {
		const char *name = o.name[j];
		int known = !strcmp(name, "format");

		for (i = 0; !known && d->params[i]; i++)
			known = !strcmp(d->params[i], name);
		if (!known) {
			cli_usage(_("report %s has no option --%s (see \"guanqing report list\")."),
				    d->id, name);
			return 2;
		}
	}
	if (cli_opt(&o, "within")) {
		char *end;

		errno = 0;
		a.within = strtol(cli_opt(&o, "within"), &end, 10);
		if (errno || *end || end == cli_opt(&o, "within") || a.within < 0) {
			cli_usage(_("--within needs a number of days, not \"%s\"."), cli_opt(&o, "within"));
			return 2;
		}
	}
	a.grid = cli_opt(&o, "grid");
	status = cli_open_db_for(d->action, &db);
	if (status)
		return status;
	for (i = 0; i < d->ncols && i < 24; i++)
		r.out.head[r.out.ncols++] = r.f == FMT_TABLE ? _(d->cols[i].label) : d->cols[i].name;
	if (report_run(db, d, &a, report_cell_row, &r, &e) != GQ_OK) {
		db_close(&db);
		tout_release(&r.out);
		return cli_fail(&e);
	}
	tout_print(&r.out, r.f);
	db_close(&db);
	return 0;
}
