/* report.c - the reports and their runner. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/field.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/report.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- followups: the follow-ups due, by grid ---- */

static const struct report_col followup_cols[] = {
	{ "person_id", N_("id"), RT_ID, 8 },
	{ "grid", N_("Grid"), RT_TEXT, 10 },
	{ "due", N_("Follow-up due"), RT_DATE, 10 },
	{ "days", N_("Days"), RT_INT, 5 },
	{ "name", N_("Name"), RT_TEXT, 12 },
	{ "form", N_("Form"), RT_TEXT, 16 },
};
static const char *const followup_params[] = { "within", "grid", NULL };

/* The titles of the forms met so far (a report names few forms). */
struct form_titles {
	char id[8][64];
	char *title[8];
	size_t n;
};

static const char *form_title_of(struct gq_db *db, struct form_titles *ft, const char *id)
{
	struct form *f = NULL;
	size_t i;

	if (!id)
		return "";
	for (i = 0; i < ft->n; i++)
		if (!strcmp(ft->id[i], id))
			return ft->title[i] ? ft->title[i] : id;
	if (ft->n == N(ft->id) || strlen(id) >= sizeof(ft->id[0]))
		return id;
	snprintf(ft->id[ft->n], sizeof(ft->id[0]), "%s", id);
	if (formdb_find(db, id, &f, NULL) == GQ_OK && form_title(f, i18n_english()))
		ft->title[ft->n] = strdup(form_title(f, i18n_english()));
	form_free(&f);
	return ft->title[ft->n] ? ft->title[ft->n++] : ft->id[ft->n++];
}

struct followup_run {
	struct gq_db *db;
	const char *grid;	/* the grid asked for (whole id), or NULL */
	struct form_titles ft;
	struct strbuf grid_name;
	report_row_fn fn;
	void *arg;
};

static int followup_row(void *arg, const struct query_followup *f)
{
	struct followup_run *r = arg;
	char days[24];
	const char *cells[6];

	if (r->grid && (!f->grid_id || strcmp(f->grid_id, r->grid)))
		return 0;
	strbuf_reset(&r->grid_name);
	if (f->grid_id)
		record_label(r->db, table_find("grid"), f->grid_id, &r->grid_name);
	snprintf(days, sizeof(days), "%ld", f->days);
	cells[0] = f->person_id;
	cells[1] = r->grid_name.len ? r->grid_name.buf : NULL;
	cells[2] = f->due;
	cells[3] = days;
	cells[4] = f->name;
	cells[5] = form_title_of(r->db, &r->ft, f->form_id);
	return r->fn(r->arg, cells);
}

static enum gq_status run_followups(struct gq_db *db, const struct report_def *d,
				    const struct report_args *a, report_row_fn fn, void *arg,
				    struct gq_err *err)
{
	struct followup_run r;
	char grid[UID_LEN + 1];
	enum gq_status rc = GQ_OK;
	size_t i;

	(void)d;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.fn = fn;
	r.arg = arg;
	strbuf_init(&r.grid_name, 0);
	if (a->grid) {
		rc = record_resolve_id(db, table_find("grid"), a->grid, grid, NULL);
		if (rc != GQ_OK)
			rc = query_grid_by_name(db, a->grid, grid, err);
		r.grid = grid;
	}
	if (rc == GQ_OK)
		rc = query_followups(db, a->today, a->within < 0 ? 30 : a->within, 0,
				     followup_row, &r, err);
	for (i = 0; i < r.ft.n; i++)
		free(r.ft.title[i]);
	strbuf_release(&r.grid_name);
	return rc;
}

static const struct report_def report_followups = {
	"followups", N_("Follow-ups due"),
	N_("The follow-ups of this place's people due within the next days (30 unless --within), overdue first, with their grid."),
	followup_cols, N(followup_cols), followup_params, AUTH_READ, run_followups,
};

const struct report_def *const reports_all[] = { &report_followups };
const size_t reports_count = N(reports_all);

const struct report_def *report_find(const char *id)
{
	size_t i;

	for (i = 0; id && i < reports_count; i++)
		if (!strcmp(reports_all[i]->id, id))
			return reports_all[i];
	return NULL;
}

enum gq_status report_run(struct gq_db *db, const struct report_def *d,
			  const struct report_args *a, report_row_fn fn, void *arg,
			  struct gq_err *err)
{
	struct report_args args = { NULL, -1, NULL };
	char today[16];

	if (a)
		args = *a;
	if (!args.today) {
		clock_today(today, sizeof(today));
		args.today = today;
	}
	if (args.within > 36600)
		return gq_err_set(err, GQ_EINVAL,
				  _("Option --within: %ld days is more than a hundred years."), args.within);
	return d->run(db, d, &args, fn, arg, err);
}
