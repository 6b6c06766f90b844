/* cli_report.c - the command "report": the reports of src/report.c as a
 * table, CSV (with a byte-order mark), JSON, an xlsx workbook with one
 * sheet per level, or a printable page for lp. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guanqing/cli_out.h"
#include "guanqing/cli_report.h"
#include "guanqing/cli_util.h"
#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/report.h"
#include "guanqing/strbuf.h"

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
		row[i] = (char *)(r->out.raw || r->f == FMT_JSON ? cells[i]
				  : report_cell_text(&r->d->cols[i], cells[i]));
	/* A table shows a prefix of an id: enough to type back. */
	if ((r->f == FMT_TABLE || r->f == FMT_TEXT) && r->d->cols[0].type == RT_ID && cells[0]) {
		snprintf(id8, sizeof(id8), "%s", cells[0]);
		row[0] = id8;
	}
	tout_add_row(&r->out, row);
	return 0;
}

static void report_list(void)
{
	size_t i;
	int j;

	/* What exists: every report with its parameters. */
	for (i = 0; i < reports_count; i++) {
		const struct report_def *x = reports_all[i];

		printf("%-14s %s", x->id, _(x->title));
		for (j = 0; x->params[j]; j++)
			printf(" [--%s]", x->params[j]);
		printf("\n               %s\n", _(x->help));
	}
}

/* The heads and kinds of the columns of d into r->out. */
static void report_heads(struct report_out *r, int codes)
{
	size_t i;

	memset(&r->out, 0, sizeof(r->out));
	r->out.raw = codes;
	for (i = 0; i < r->d->ncols && i < 24; i++) {
		const struct report_col *c = &r->d->cols[i];

		r->out.head[r->out.ncols] = codes || r->f == FMT_JSON ? c->name : _(c->label);
		r->out.kind[r->out.ncols] = c->type == RT_INT || c->type == RT_NUM ? OUT_NUM
					  : c->type == RT_DATE ? OUT_DATE
					  : c->type == RT_DIV ? OUT_CODE : OUT_TEXT;
		r->out.ncols++;
	}
}

/* Run d at one level into r->out. */
static int report_level(struct gq_db *db, struct report_out *r, struct report_args *a,
			enum report_level level, int codes)
{
	struct gq_err e;

	gq_err_clear(&e);
	report_heads(r, codes);
	a->level = level;
	if (report_run(db, r->d, a, report_cell_row, r, &e) != GQ_OK) {
		tout_release(&r->out);
		return cli_fail(&e);
	}
	return 0;
}

/* The lines at the top of a printed page. */
static void page_top(struct gq_db *db, const struct report_def *d, const struct report_args *a,
		     const char *town, struct strbuf *top, const char *lines[4])
{
	char county[128], from[16], to[16], made[32];
	size_t at[4], i;

	report_county_name(db, county, sizeof(county));
	if (report_period(a, from, to, NULL) != GQ_OK)
		from[0] = to[0] = '\0';
	clock_local(clock_now_ms(), made, sizeof(made));
	strbuf_reset(top);
	at[0] = top->len;
	strbuf_addf(top, "%s%c", _(d->title), 0);
	at[1] = top->len;
	if (town)
		strbuf_addf(top, _("%s, %s"), county, town);
	else
		strbuf_addstr(top, county);
	strbuf_addch(top, 0);
	at[2] = top->len;
	if (d->flags & RF_PLACES)
		strbuf_addf(top, _("Period: %s to %s"), from, to);
	else
		strbuf_addf(top, _("As of %s"), to);
	strbuf_addch(top, 0);
	at[3] = top->len;
	strbuf_addf(top, _("Made %s"), made);
	strbuf_addch(top, 0);
	for (i = 0; i < 4; i++)
		lines[i] = top->buf + at[i];
}

/* The xlsx workbook: one sheet per level (towns, then villages). */
static int report_xlsx(struct gq_db *db, struct report_out *r, struct report_args *a, int codes)
{
	struct xlsx_out *x = xout_begin();
	int status;

	if (!x)
		return 1;
	if (r->d->flags & RF_PLACES) {
		status = report_level(db, r, a, RL_TOWNS, codes);
		if (!status)
			xout_sheet(x, _("By town"), &r->out);
		if (!status)
			status = report_level(db, r, a, RL_VILLAGES, codes);
		if (!status)
			xout_sheet(x, _("By village"), &r->out);
	} else {
		status = report_level(db, r, a, RL_TOWNS, codes);
		if (!status)
			xout_sheet(x, _(r->d->title), &r->out);
	}
	if (status) {
		xout_end(x);
		return status;
	}
	return xout_end(x);
}

/* Send standard output to a new file of mode 0600 until out_restore(). */
static int out_to_file(const char *path)
{
	int fd, saved;

	fflush(stdout);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0) {
		fprintf(stderr, _("guanqing: cannot write %s: %s.\n"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	saved = dup(STDOUT_FILENO);
	if (saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		fprintf(stderr, _("guanqing: cannot write %s: %s.\n"), path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return saved;
}

static int out_restore(int saved)
{
	int ok = fflush(stdout) == 0;

	dup2(saved, STDOUT_FILENO);
	close(saved);
	return ok ? 0 : -1;
}

static int report_body(struct gq_db *db, struct report_out *r, struct report_args *a, int codes,
		       int villages)
{
	const struct report_def *d = r->d;
	int status;

	if (r->f == FMT_XLSX)
		return report_xlsx(db, r, a, codes);
	if (!(d->flags & RF_PLACES) || (!a->town && !villages)) {
		status = report_level(db, r, a, RL_TOWNS, codes);
	} else {
		/* The villages, then the town's total (or the county's). */
		struct report_out t = *r;

		status = report_level(db, r, a, RL_VILLAGES, codes);
		if (!status)
			status = report_level(db, &t, a, RL_TOWNS, codes);
		if (!status) {
			size_t i;
			int j;

			for (i = 0; i < t.out.rows; i++) {
				char *row[24];

				for (j = 0; j < t.out.ncols; j++)
					row[j] = t.out.cells[i * t.out.ncols + j];
				if (!a->town && row[0])
					continue;	/* all villages: the county's total only */
				tout_add_row(&r->out, row);
			}
			tout_release(&t.out);
		}
	}
	if (status)
		return status;
	if (r->f == FMT_TEXT) {
		struct strbuf top = STRBUF_INIT;
		const char *lines[4];

		page_top(db, d, a, a->town, &top, lines);
		tout_print_pages(&r->out, lines, 4, 60);
		strbuf_release(&top);
	} else {
		tout_print(&r->out, r->f);
	}
	return 0;
}

int cli_report(int argc, char **argv, int at)
{
	static const char *const flags[] = { "codes", "villages", NULL };
	const struct report_def *d;
	struct report_args a = { NULL, -1, NULL, NULL, NULL, NULL, RL_TOWNS };
	struct report_out r;
	struct gq_db *db = NULL;
	const char *format, *path;
	struct opts o;
	size_t i;
	int status, j, saved = -1;

	if (cli_parse_opts(argc, argv, at, flags, &o))
		return 2;
	if (o.npos == 0 || !strcmp(o.pos[0], "list")) {
		report_list();
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
	format = cli_opt(&o, "format");
	if (format && !strcmp(format, "text"))
		r.f = FMT_TEXT;
	else if (out_parse_format(format, &r.f) != 0) {
		cli_usage(_("--format takes table, csv, json, xlsx or text, not \"%s\"."), format);
		return 2;
	}
	for (j = 0; j < o.n; j++) {
		const char *name = o.name[j];
		int known = !strcmp(name, "format") || !strcmp(name, "out") || !strcmp(name, "codes") ||
			    (!strcmp(name, "villages") && (d->flags & RF_PLACES));

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
	a.town = cli_opt(&o, "town");
	a.from = cli_opt(&o, "from");
	a.to = cli_opt(&o, "to");
	path = cli_opt(&o, "out");
	if (r.f == FMT_XLSX && !path && isatty(STDOUT_FILENO)) {
		cli_usage("%s", _("an xlsx workbook is not for the terminal: give --out FILE.xlsx or redirect the output."));
		return 2;
	}
	status = cli_open_db_for(d->action, &db);
	if (status)
		return status;
	if (path && (saved = out_to_file(path)) < 0) {
		db_close(&db);
		return 1;
	}
	status = report_body(db, &r, &a, cli_opt(&o, "codes") != NULL, cli_opt(&o, "villages") != NULL);
	if (saved >= 0) {
		if (out_restore(saved) != 0) {
			fprintf(stderr, _("guanqing: writing %s failed.\n"), path);
			status = 1;
		} else if (status == 0) {
			printf(_("Written to %s (mode 0600).\n"), path);
		}
		if (status)
			unlink(path);
	}
	db_close(&db);
	return status;
}
