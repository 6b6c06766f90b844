/* report.c - the reports and their runner. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "guanqing/clock.h"
#include "guanqing/county.h"
#include "guanqing/date.h"
#include "guanqing/db.h"
#include "guanqing/field.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/report.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/validate.h"
#include "guanqing/xalloc.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- followups: the follow-ups due, by grid ---- */

static const struct report_col followup_cols[] = {
	{ "person_id", N_("id"), RT_ID, 8, NULL },
	{ "grid", N_("Grid"), RT_TEXT, 10, NULL },
	{ "due", N_("Follow-up due"), RT_DATE, 10, NULL },
	{ "days", N_("Days"), RT_INT, 5, NULL },
	{ "name", N_("Name"), RT_TEXT, 12, NULL },
	{ "form", N_("Form"), RT_TEXT, 16, NULL },
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
	followup_cols, N(followup_cols), followup_params, AUTH_READ, run_followups, 0, NULL,
};

/* ---- the bureau's reports by place ----
 *
 * Each runs a few grouped queries (one pass over its table, by the
 * indexes) into sums per village, adds the villages up into their towns
 * and the county in memory, and derives the shares and averages from the
 * sums at the end. Never a query per row. */

enum gq_status report_period(const struct report_args *a, char from[16], char to[16],
			     struct gq_err *err)
{
	char today[16];

	clock_today(today, sizeof(today));
	snprintf(to, 16, "%s", a && a->to ? a->to : a && a->today ? a->today : today);
	if (!date_valid(to))
		return gq_err_set(err, GQ_EINVAL, _("Option --to: \"%s\" is not a date (YYYY-MM-DD)."), to);
	if (a && a->from)
		snprintf(from, 16, "%s", a->from);
	else
		snprintf(from, 16, "%.4s-01-01", to);
	if (!date_valid(from))
		return gq_err_set(err, GQ_EINVAL, _("Option --from: \"%s\" is not a date (YYYY-MM-DD)."), from);
	if (strcmp(from, to) > 0)
		return gq_err_set(err, GQ_EINVAL, _("The period from %s to %s ends before it begins."), from, to);
	return GQ_OK;
}

void report_share(char *buf, size_t size, double part, double whole)
{
	if (whole <= 0)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%.1f", 100.0 * part / whole);
}

long report_sites_needed(long n, long covered, int target)
{
	long want = (n * target + 99) / 100;

	return want > covered ? want - covered : 0;
}

void report_bar(char *buf, size_t size, double value, double max, int width, int ascii)
{
	static const char *const eighth[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	size_t len = 0;
	long units, i;

	if (!size)
		return;
	buf[0] = '\0';
	if (max <= 0 || value <= 0 || width <= 0)
		return;
	if (value > max)
		value = max;
	units = (long)(value / max * width * 8 + 0.5);
	if (units == 0)
		units = 1;	/* something is not nothing */
	for (i = 0; i < units / 8; i++) {
		const char *b = ascii ? "#" : "█";
		size_t bl = strlen(b);

		if (len + bl + 1 > size)
			break;
		memcpy(buf + len, b, bl);
		len += bl;
	}
	if (units % 8) {
		const char *b = ascii ? (units % 8 >= 4 ? "+" : "") : eighth[units % 8];
		size_t bl = strlen(b);

		if (len + bl + 1 <= size) {
			memcpy(buf + len, b, bl);
			len += bl;
		}
	}
	buf[len] = '\0';
}

/* The towns and villages of the county, in code order. */
struct place {
	char code[16];
	char *name;
	int urban;		/* a village: 1 for 居民委员会 */
	int street;		/* a town: 1 for a 街道 */
	size_t town;		/* a village: its town's index */
};

struct places {
	struct place *town, *vil;
	size_t ntown, nvil;
};

static void places_free(struct places *p)
{
	size_t i;

	for (i = 0; i < p->ntown; i++)
		free(p->town[i].name);
	for (i = 0; i < p->nvil; i++)
		free(p->vil[i].name);
	free(p->town);
	free(p->vil);
	memset(p, 0, sizeof(*p));
}

static int place_cmp(const void *a, const void *b)
{
	return strcmp(((const struct place *)a)->code, ((const struct place *)b)->code);
}

static long place_find(const struct place *v, size_t n, const char *code)
{
	struct place key;
	const struct place *f;

	if (!code || strlen(code) >= sizeof(key.code))
		return -1;
	snprintf(key.code, sizeof(key.code), "%s", code);
	f = bsearch(&key, v, n, sizeof(*v), place_cmp);
	return f ? (long)(f - v) : -1;
}

static int ends_with(const char *s, const char *end)
{
	size_t a = strlen(s), b = strlen(end);

	return a >= b && !strcmp(s + a - b, end);
}

static enum gq_status places_load(struct gq_db *db, struct places *p, struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	size_t at = 0, av = 0, i;
	int step;

	memset(p, 0, sizeof(*p));
	rc = db_prepare(db, "SELECT code, name, level, parent_code, urban FROM division"
			" WHERE level IN ('town', 'village') ORDER BY code", &st, err);
	if (rc != GQ_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		int town = !strcmp((const char *)sqlite3_column_text(st, 2), "town");
		struct place *x;

		if (!code || strlen(code) >= sizeof(x->code))
			continue;
		if (town && p->ntown == at) {
			at = at ? 2 * at : 32;
			p->town = xreallocarray(p->town, at, sizeof(*p->town));
		} else if (!town && p->nvil == av) {
			av = av ? 2 * av : 512;
			p->vil = xreallocarray(p->vil, av, sizeof(*p->vil));
		}
		x = town ? &p->town[p->ntown++] : &p->vil[p->nvil++];
		memset(x, 0, sizeof(*x));
		snprintf(x->code, sizeof(x->code), "%s", code);
		x->name = xstrdup(name ? name : code);
		x->urban = sqlite3_column_int(st, 4);
		x->street = town && ends_with(x->name, "街道");
		if (!town) {
			long t = place_find(p->town, p->ntown,
					    (const char *)sqlite3_column_text(st, 3));

			x->town = t < 0 ? (size_t)-1 : (size_t)t;
		}
	}
	if (step != SQLITE_DONE)
		rc = db_error(db, _("reading the towns and villages"), err);
	sqlite3_finalize(st);
	/* Villages whose town is unknown count nowhere. */
	for (i = 0; rc == GQ_OK && i < p->nvil; i++)
		if (p->vil[i].town == (size_t)-1)
			p->vil[i].town = 0;
	if (rc == GQ_OK && !p->ntown)
		rc = gq_err_set(err, GQ_ENOTFOUND, _("The database holds no towns and villages (the division table is empty)."));
	if (rc != GQ_OK)
		places_free(p);
	return rc;
}

enum gq_status report_find_town(struct gq_db *db, const char *town, char *code,
				struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc;

	rc = db_prepare(db, "SELECT code FROM division WHERE level = 'town'"
			" AND (code = ?1 OR name = ?1) ORDER BY code LIMIT 1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, town, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(code, 16, "%s", (const char *)sqlite3_column_text(st, 0));
	else
		rc = gq_err_set(err, GQ_ENOTFOUND,
				_("Option --town: there is no town \"%s\" (give its code or its name, e.g. 双椿铺镇; see \"guanqing villages\")."),
				town);
	sqlite3_finalize(st);
	return rc;
}

void report_county_name(struct gq_db *db, char *buf, size_t size)
{
	sqlite3_stmt *st = NULL;

	snprintf(buf, size, "%s", "");
	if (db_prepare(db, "SELECT name FROM division WHERE level = 'county' ORDER BY code LIMIT 1",
		       &st, NULL) != GQ_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* A run by place: the places, the sums per village (nstat each), the
 * period and where the rows go. */
struct place_run {
	struct gq_db *db;
	const struct report_def *d;
	const struct report_args *a;
	struct places pl;
	size_t nstat;
	double *sum;		/* nvil * nstat */
	char from[16], to[16], since[16];
	char town[16];		/* the town asked for, or "" */
	report_row_fn fn;
	void *arg;
	/* The rows of one place: code and name, its sums, whether it is a
	 * street (towns only). Returns what fn returned. */
	int (*emit)(struct place_run *r, const char *code, const char *name,
		    const double *sum, int street);
};

static enum gq_status place_run_start(struct place_run *r, struct gq_db *db,
				      const struct report_def *d, const struct report_args *a,
				      size_t nstat, report_row_fn fn, void *arg, struct gq_err *err)
{
	enum gq_status rc;

	memset(r, 0, sizeof(*r));
	r->db = db;
	r->d = d;
	r->a = a;
	r->nstat = nstat;
	r->fn = fn;
	r->arg = arg;
	rc = report_period(a, r->from, r->to, err);
	if (rc == GQ_OK && date_add_days(r->to, -89, r->since) != 0)
		rc = gq_err_set(err, GQ_EINVAL, _("Option --to: \"%s\" is not a date (YYYY-MM-DD)."), r->to);
	if (rc == GQ_OK && a->town)
		rc = report_find_town(db, a->town, r->town, err);
	if (rc == GQ_OK)
		rc = places_load(db, &r->pl, err);
	if (rc == GQ_OK)
		r->sum = xcalloc(r->pl.nvil * nstat + 1, sizeof(double));
	return rc;
}

static void place_run_end(struct place_run *r)
{
	places_free(&r->pl);
	free(r->sum);
	r->sum = NULL;
}

static void bind_period(struct place_run *r, sqlite3_stmt *st)
{
	int i;

	if ((i = sqlite3_bind_parameter_index(st, ":from")) > 0)
		sqlite3_bind_text(st, i, r->from, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":to")) > 0)
		sqlite3_bind_text(st, i, r->to, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":since")) > 0)
		sqlite3_bind_text(st, i, r->since, -1, SQLITE_STATIC);
}

/* Add the rows of sql (village, then values) into the sums from stat at:
 * each value to sum[at + i]; with kinds (NULL-terminated), the second
 * column is a kind and the values go to at + kind * per + i. */
static enum gq_status place_sum(struct place_run *r, const char *sql, size_t at,
				const struct choice *kinds, size_t per, struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	int step;

	rc = db_prepare(r->db, sql, &st, err);
	if (rc != GQ_OK)
		return rc;
	bind_period(r, st);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long v = place_find(r->pl.vil, r->pl.nvil, (const char *)sqlite3_column_text(st, 0));
		int first = 1, i, n = sqlite3_column_count(st);
		size_t base = at;

		if (v < 0)
			continue;	/* a row of no village of this county */
		if (kinds) {
			const char *k = (const char *)sqlite3_column_text(st, 1);
			size_t j;

			for (j = 0; kinds[j].code && (!k || strcmp(kinds[j].code, k)); j++)
				;
			if (!kinds[j].code)
				continue;
			base += j * per;
			first = 2;
		}
		for (i = first; i < n; i++)
			r->sum[(size_t)v * r->nstat + base + (size_t)(i - first)] += sqlite3_column_double(st, i);
	}
	if (step != SQLITE_DONE)
		rc = db_error(r->db, _("reading a report"), err);
	sqlite3_finalize(st);
	return rc;
}

/* Hand the rows out: per town and the county, or per village of the town. */
static enum gq_status place_emit(struct place_run *r, struct gq_err *err)
{
	double *acc;
	size_t i, j, k;
	int stop = 0;

	(void)err;
	if (r->a->level == RL_VILLAGES) {
		for (i = 0; i < r->pl.nvil && !stop; i++) {
			struct place *v = &r->pl.vil[i];

			if (r->town[0] && strcmp(r->pl.town[v->town].code, r->town))
				continue;
			stop = r->emit(r, v->code, v->name, r->sum + i * r->nstat, 0);
		}
		return GQ_OK;
	}
	acc = xcalloc((r->pl.ntown + 1) * r->nstat, sizeof(double));
	for (i = 0; i < r->pl.nvil; i++)
		for (k = 0; k < r->nstat; k++) {
			acc[r->pl.vil[i].town * r->nstat + k] += r->sum[i * r->nstat + k];
			if (!r->town[0] || !strcmp(r->pl.town[r->pl.vil[i].town].code, r->town))
				acc[r->pl.ntown * r->nstat + k] += r->sum[i * r->nstat + k];
		}
	for (j = 0; j < r->pl.ntown && !stop; j++) {
		if (r->town[0] && strcmp(r->pl.town[j].code, r->town))
			continue;
		stop = r->emit(r, r->pl.town[j].code, r->pl.town[j].name, acc + j * r->nstat,
			       r->pl.town[j].street);
	}
	if (!stop && !r->town[0])
		r->emit(r, NULL, _("County total"), acc + r->pl.ntown * r->nstat, -1);
	free(acc);
	return GQ_OK;
}

/* Cells of numbers: a small pool of buffers for one row. */
struct cellbuf {
	char b[24][32];
	const char *c[24];
	size_t n;
};

static void cb_start(struct cellbuf *c, const char *code, const char *name)
{
	c->n = 0;
	c->c[c->n++] = code;
	c->c[c->n++] = name;
}

static void cb_int(struct cellbuf *c, double v)
{
	snprintf(c->b[c->n], sizeof(c->b[0]), "%.0f", v);
	c->c[c->n] = c->b[c->n];
	c->n++;
}

static void cb_num(struct cellbuf *c, double v, int decimals)
{
	snprintf(c->b[c->n], sizeof(c->b[0]), "%.*f", decimals, v);
	c->c[c->n] = c->b[c->n];
	c->n++;
}

static void cb_share(struct cellbuf *c, double part, double whole)
{
	report_share(c->b[c->n], sizeof(c->b[0]), part, whole);
	c->c[c->n] = c->b[c->n][0] ? c->b[c->n] : NULL;
	c->n++;
}

static void cb_text(struct cellbuf *c, const char *s)
{
	c->c[c->n++] = s;
}

static const char *const place_params[] = { "town", "from", "to", NULL };

#define PLACE_COLS { "code", N_("Code"), RT_DIV, 12, NULL }, { "place", N_("Town or village"), RT_TEXT, 14, NULL }

/* The people of these categories, active on :to, with their latest visit
 * up to :to: the FROM of children and elderly. When no visit is later
 * than :to (a report up to today), the latest visit of each person is the
 * one visit_latest keeps (the same rule: date, then recording, then id),
 * read one row per person. Otherwise it is found in one grouped pass over
 * the visits up to :to (SQLite takes the other columns from the row of
 * the max()). Of the two parts of v, the constant condition leaves one
 * that runs. Materialised, so that it is not computed again for each
 * person. */
#define LAST_VISIT_SQL "coalesce((SELECT max(visit_date) FROM visit WHERE deleted = 0), '')"
#define FOLLOWED_SQL(cats, extra) \
	"WITH k AS MATERIALIZED (SELECT p.id AS pid, p.village AS village" extra \
	" FROM person p JOIN person_category c ON c.person_id = p.id" \
	" WHERE p.deleted = 0 AND coalesce(p.status, 'active') = 'active' AND c.deleted = 0" \
	" AND c.category IN (" cats ") AND (c.start_date IS NULL OR c.start_date <= :to)" \
	" AND (c.end_date IS NULL OR c.end_date > :to) GROUP BY p.id)," \
	" v AS MATERIALIZED (SELECT l.person_id AS person_id, x.visit_date AS visit_date," \
	" x.followup_due AS followup_due, x.risk_level AS risk_level, NULL AS latest" \
	" FROM visit_latest l JOIN visit x ON x.id = l.visit_id" \
	" WHERE " LAST_VISIT_SQL " <= :to" \
	" UNION ALL SELECT person_id, visit_date, followup_due, risk_level," \
	" max(visit_date || '|' || created_at || '|' || id)" \
	" FROM visit WHERE deleted = 0 AND visit_date <= :to" \
	" AND " LAST_VISIT_SQL " > :to GROUP BY person_id)"

/* ---- children ---- */

enum { CH_N, CH_LB, CH_DIF, CH_UNS, CH_ORP, CH_SEEN, CH_OVER, CH_HIGH, CH_MED, CH_LOW, CH_REF, CH_MAX };

static const struct report_col children_cols[] = {
	PLACE_COLS,
	{ "children", N_("Children"), RT_INT, 6, NULL },
	{ "left_behind", N_("Left-behind"), RT_INT, 6, NULL },
	{ "in_difficulty", N_("In difficulty"), RT_INT, 6, NULL },
	{ "unsupported", N_("Unsupported"), RT_INT, 6, NULL },
	{ "orphans", N_("Orphans"), RT_INT, 6, NULL },
	{ "visited_90d", N_("Visited in 90 days"), RT_INT, 6, NULL },
	{ "visited_share", N_("Visited %"), RT_NUM, 6, NULL },
	{ "overdue", N_("Overdue follow-ups"), RT_INT, 6, NULL },
	{ "risk_high", N_("High risk"), RT_INT, 5, NULL },
	{ "risk_medium", N_("Medium risk"), RT_INT, 5, NULL },
	{ "risk_low", N_("Low risk"), RT_INT, 5, NULL },
	{ "referrals", N_("Referrals"), RT_INT, 5, NULL },
};

static int children_emit(struct place_run *r, const char *code, const char *name,
			 const double *s, int street)
{
	struct cellbuf c;
	int i;

	(void)street;
	cb_start(&c, code, name);
	for (i = CH_N; i <= CH_SEEN; i++)
		cb_int(&c, s[i]);
	cb_share(&c, s[CH_SEEN], s[CH_N]);
	for (i = CH_OVER; i < CH_MAX; i++)
		cb_int(&c, s[i]);
	return r->fn(r->arg, c.c);
}

static enum gq_status run_children(struct gq_db *db, const struct report_def *d,
				   const struct report_args *a, report_row_fn fn, void *arg,
				   struct gq_err *err)
{
	struct place_run r;
	enum gq_status rc;

	rc = place_run_start(&r, db, d, a, CH_MAX, fn, arg, err);
	r.emit = children_emit;
	if (rc == GQ_OK)
		rc = place_sum(&r, FOLLOWED_SQL("'left_behind_child', 'child_in_difficulty', 'unsupported_child', 'orphan'",
				", max(c.category = 'left_behind_child') AS lb, max(c.category = 'child_in_difficulty') AS dif,"
				" max(c.category = 'unsupported_child') AS uns, max(c.category = 'orphan') AS orp")
			       " SELECT k.village, count(*), sum(lb), sum(dif), sum(uns), sum(orp),"
			       " coalesce(sum(v.visit_date >= :since), 0), coalesce(sum(v.followup_due < :to), 0),"
			       " coalesce(sum(v.risk_level = 'high'), 0), coalesce(sum(v.risk_level = 'medium'), 0),"
			       " coalesce(sum(v.risk_level = 'low'), 0)"
			       " FROM k LEFT JOIN v ON v.person_id = k.pid GROUP BY k.village",
			       CH_N, NULL, 0, err);
	if (rc == GQ_OK)
		rc = place_sum(&r, "SELECT village, count(*) FROM referral WHERE deleted = 0"
			       " AND referral_date >= :from AND referral_date <= :to GROUP BY village",
			       CH_REF, NULL, 0, err);
	if (rc == GQ_OK)
		rc = place_emit(&r, err);
	place_run_end(&r);
	return rc;
}

static const struct report_def report_children = {
	"children", N_("Children"),
	N_("Left-behind, in-difficulty, unsupported children and orphans by town and village: visited in the 90 days up to --to, overdue follow-ups, risk levels of the latest visit, referrals to the protection centre in the period."),
	children_cols, N(children_cols), place_params, AUTH_READ, run_children,
	RF_PLACES, "visited_share",
};

/* Months from from to to, both counted. */
static long months_of(const char *from, const char *to)
{
	long fy = atol(from), ty = atol(to), fm = atol(from + 5), tm = atol(to + 5);

	return (ty * 12 + tm) - (fy * 12 + fm) + 1;
}

/* ---- elderly ---- */

enum { EL_N, EL_ALONE, EL_EMPTY, EL_AGED, EL_CARE, EL_LB, EL_SEEN, EL_OVER, EL_MEALS, EL_SERV, EL_MAX };

static const struct report_col elderly_cols[] = {
	PLACE_COLS,
	{ "elderly", N_("Followed elderly"), RT_INT, 6, NULL },
	{ "living_alone", N_("Living alone"), RT_INT, 6, NULL },
	{ "empty_nest", N_("Empty-nest"), RT_INT, 6, NULL },
	{ "advanced_age", N_("Aged 80+"), RT_INT, 6, NULL },
	{ "self_care_loss", N_("Losing self-care"), RT_INT, 6, NULL },
	{ "left_behind", N_("Left-behind elderly"), RT_INT, 6, NULL },
	{ "visited_90d", N_("Visited in 90 days"), RT_INT, 6, NULL },
	{ "visited_share", N_("Visited %"), RT_NUM, 6, NULL },
	{ "overdue", N_("Overdue follow-ups"), RT_INT, 6, NULL },
	{ "meals", N_("Meals served"), RT_INT, 7, NULL },
	{ "meals_per_month", N_("Meals a month"), RT_NUM, 7, NULL },
};

static int elderly_emit(struct place_run *r, const char *code, const char *name,
			const double *s, int street)
{
	struct cellbuf c;
	int i;

	(void)street;
	cb_start(&c, code, name);
	for (i = EL_N; i <= EL_SEEN; i++)
		cb_int(&c, s[i]);
	cb_share(&c, s[EL_SEEN], s[EL_N]);
	cb_int(&c, s[EL_OVER]);
	cb_int(&c, s[EL_MEALS]);
	cb_num(&c, s[EL_MEALS] / (double)months_of(r->from, r->to), 1);
	return r->fn(r->arg, c.c);
}

static enum gq_status run_elderly(struct gq_db *db, const struct report_def *d,
				  const struct report_args *a, report_row_fn fn, void *arg,
				  struct gq_err *err)
{
	struct place_run r;
	enum gq_status rc;

	rc = place_run_start(&r, db, d, a, EL_MAX, fn, arg, err);
	r.emit = elderly_emit;
	if (rc == GQ_OK)
		rc = place_sum(&r, FOLLOWED_SQL("'elderly_alone', 'elderly_empty_nest', 'elderly_advanced_age', 'elderly_self_care_loss', 'left_behind_elderly'",
				", max(c.category = 'elderly_alone') AS a, max(c.category = 'elderly_empty_nest') AS e,"
				" max(c.category = 'elderly_advanced_age') AS g, max(c.category = 'elderly_self_care_loss') AS s,"
				" max(c.category = 'left_behind_elderly') AS l")
			       " SELECT k.village, count(*), sum(a), sum(e), sum(g), sum(s), sum(l),"
			       " coalesce(sum(v.visit_date >= :since), 0), coalesce(sum(v.followup_due < :to), 0)"
			       " FROM k LEFT JOIN v ON v.person_id = k.pid GROUP BY k.village",
			       EL_N, NULL, 0, err);
	if (rc == GQ_OK)
		rc = place_sum(&r, "SELECT village, coalesce(sum(meals), 0), count(*) FROM meal_service"
			       " WHERE deleted = 0 AND service_date >= :from AND service_date <= :to GROUP BY village",
			       EL_MEALS, NULL, 0, err);
	if (rc == GQ_OK)
		rc = place_emit(&r, err);
	place_run_end(&r);
	return rc;
}

static const struct report_def report_elderly = {
	"elderly", N_("Elderly"),
	N_("Followed old people by category and by town and village: visited in the 90 days up to --to, overdue follow-ups, meals served in the period and per month."),
	elderly_cols, N(elderly_cols), place_params, AUTH_READ, run_elderly,
	RF_PLACES, "visited_share",
};

/* ---- meal-coverage ---- */

enum { MC_UN, MC_UC, MC_RN, MC_RC, MC_SITES, MC_CANTEEN, MC_MAX };

static const struct choice street_marks[] = {
	{ "yes", N_("yes: none delivers") }, { NULL, NULL }
};

static const struct report_col meal_cols[] = {
	PLACE_COLS,
	{ "urban", N_("Communities"), RT_INT, 5, NULL },
	{ "urban_covered", N_("With a site"), RT_INT, 5, NULL },
	{ "urban_share", N_("Urban % (target 40)"), RT_NUM, 6, NULL },
	{ "urban_needed", N_("Urban sites needed"), RT_INT, 5, NULL },
	{ "rural", N_("Villages"), RT_INT, 5, NULL },
	{ "rural_covered", N_("With a site"), RT_INT, 5, NULL },
	{ "rural_share", N_("Rural % (target 10)"), RT_NUM, 6, NULL },
	{ "rural_needed", N_("Rural sites needed"), RT_INT, 5, NULL },
	{ "sites", N_("Open sites"), RT_INT, 5, NULL },
	{ "delivering_canteens", N_("Delivering canteens"), RT_INT, 5, NULL },
	{ "street_without_canteen", N_("Street without a delivering canteen"), RT_TEXT, 8, street_marks },
};

static int meal_emit(struct place_run *r, const char *code, const char *name,
		     const double *s, int street)
{
	struct cellbuf c;

	cb_start(&c, code, name);
	cb_int(&c, s[MC_UN]);
	cb_int(&c, s[MC_UC]);
	cb_share(&c, s[MC_UC], s[MC_UN]);
	cb_int(&c, (double)report_sites_needed((long)s[MC_UN], (long)s[MC_UC], 40));
	cb_int(&c, s[MC_RN]);
	cb_int(&c, s[MC_RC]);
	cb_share(&c, s[MC_RC], s[MC_RN]);
	cb_int(&c, (double)report_sites_needed((long)s[MC_RN], (long)s[MC_RC], 10));
	cb_int(&c, s[MC_SITES]);
	cb_int(&c, s[MC_CANTEEN]);
	if (street == 1 && s[MC_CANTEEN] == 0)
		cb_text(&c, "yes");
	else
		cb_text(&c, NULL);
	return r->fn(r->arg, c.c);
}

static enum gq_status run_meal_coverage(struct gq_db *db, const struct report_def *d,
					const struct report_args *a, report_row_fn fn, void *arg,
					struct gq_err *err)
{
	struct place_run r;
	enum gq_status rc;
	size_t i;

	rc = place_run_start(&r, db, d, a, MC_MAX, fn, arg, err);
	r.emit = meal_emit;
	/* Sites open on :to: meal-assistance sites and elderly canteens. */
	if (rc == GQ_OK)
		rc = place_sum(&r, "SELECT village, count(*), coalesce(sum(kind = 'canteen' AND delivers_meals = 1), 0)"
			       " FROM facility WHERE deleted = 0 AND kind IN ('meal_site', 'canteen')"
			       " AND (opened_date IS NULL OR opened_date <= :to)"
			       " AND (closed_date IS NULL OR closed_date > :to) GROUP BY village",
			       MC_SITES, NULL, 0, err);
	for (i = 0; rc == GQ_OK && i < r.pl.nvil; i++) {
		double *s = r.sum + i * r.nstat;
		int covered = s[MC_SITES] > 0;

		if (r.pl.vil[i].urban) {
			s[MC_UN] = 1;
			s[MC_UC] = covered;
		} else {
			s[MC_RN] = 1;
			s[MC_RC] = covered;
		}
	}
	if (rc == GQ_OK)
		rc = place_emit(&r, err);
	place_run_end(&r);
	return rc;
}

static const struct report_def report_meal_coverage = {
	"meal-coverage", N_("Meal-assistance coverage"),
	N_("Urban communities (居民委员会) and rural villages (村民委员会) with at least one open meal-assistance site or elderly canteen on --to, against the targets of 40 % and 10 %, the sites still needed, and every street (街道) without an elderly canteen that delivers meals."),
	meal_cols, N(meal_cols), place_params, AUTH_READ, run_meal_coverage,
	RF_PLACES, "rural_share",
};

/* ---- assistance ---- */

enum { AS_N, AS_SUB, AS_APP, AS_REJ, AS_PAID, AS_DECIDED, AS_DAYS, AS_AMOUNT, AS_PER };

static const struct choice assistance_kinds[] = {
	{ "dibao", N_("minimum living allowance") },
	{ "tekun", N_("extreme-poverty support") },
	{ "temporary", N_("temporary assistance") },
	{ "funeral_waiver", N_("funeral-fee waiver") },
	{ "school_aid", N_("charity school aid") },
	{ "meal_subsidy", N_("meal subsidy") },
	{ NULL, NULL }
};
#define AS_KINDS (N(assistance_kinds) - 1)

static const struct report_col assistance_cols[] = {
	PLACE_COLS,
	{ "kind", N_("Kind"), RT_TEXT, 12, assistance_kinds },
	{ "applications", N_("Applications"), RT_INT, 5, NULL },
	{ "submitted", N_("Waiting"), RT_INT, 5, NULL },
	{ "approved", N_("Approved"), RT_INT, 5, NULL },
	{ "rejected", N_("Rejected"), RT_INT, 5, NULL },
	{ "paid", N_("Paid"), RT_INT, 5, NULL },
	{ "days_to_decision", N_("Days to decision"), RT_NUM, 6, NULL },
	{ "amount_approved", N_("Amount approved (yuan)"), RT_NUM, 10, NULL },
};

static int assistance_emit(struct place_run *r, const char *code, const char *name,
			   const double *s, int street)
{
	size_t k;
	int stop = 0;

	(void)street;
	for (k = 0; k < AS_KINDS && !stop; k++) {
		const double *x = s + k * AS_PER;
		struct cellbuf c;

		if (x[AS_N] == 0)
			continue;
		cb_start(&c, code, name);
		cb_text(&c, assistance_kinds[k].code);
		cb_int(&c, x[AS_N]);
		cb_int(&c, x[AS_SUB]);
		cb_int(&c, x[AS_APP]);
		cb_int(&c, x[AS_REJ]);
		cb_int(&c, x[AS_PAID]);
		if (x[AS_DECIDED] > 0)
			cb_num(&c, x[AS_DAYS] / x[AS_DECIDED], 1);
		else
			cb_text(&c, NULL);
		cb_num(&c, x[AS_AMOUNT], 2);
		stop = r->fn(r->arg, c.c);
	}
	return stop;
}

static enum gq_status run_assistance(struct gq_db *db, const struct report_def *d,
				     const struct report_args *a, report_row_fn fn, void *arg,
				     struct gq_err *err)
{
	struct place_run r;
	enum gq_status rc;

	rc = place_run_start(&r, db, d, a, AS_KINDS * AS_PER, fn, arg, err);
	r.emit = assistance_emit;
	if (rc == GQ_OK)
		rc = place_sum(&r, "SELECT village, kind, count(*),"
			       " coalesce(sum(coalesce(status, 'submitted') = 'submitted'), 0),"
			       " coalesce(sum(status = 'approved'), 0), coalesce(sum(status = 'rejected'), 0),"
			       " coalesce(sum(status = 'paid'), 0),"
			       " coalesce(sum(decision_date IS NOT NULL AND apply_date IS NOT NULL), 0),"
			       " coalesce(sum(julianday(decision_date) - julianday(apply_date)), 0),"
			       " coalesce(sum(CASE WHEN status IN ('approved', 'paid') THEN CAST(amount_granted AS REAL) END), 0)"
			       " FROM application WHERE deleted = 0 AND apply_date >= :from AND apply_date <= :to"
			       " GROUP BY village, kind",
			       0, assistance_kinds, AS_PER, err);
	if (rc == GQ_OK)
		rc = place_emit(&r, err);
	place_run_end(&r);
	return rc;
}

static const struct report_def report_assistance = {
	"assistance", N_("Assistance applications"),
	N_("Applications made in the period by town, village and kind: by status, the average days from submission to decision, and the amounts approved."),
	assistance_cols, N(assistance_cols), place_params, AUTH_READ, run_assistance,
	RF_PLACES, "applications",
};

/* ---- funerals ---- */

enum { FU_N, FU_TREE, FU_FLOWER, FU_LAWN, FU_SCATTER, FU_WALL, FU_CREM, FU_TRAD, FU_ASKED, FU_GRANTED, FU_MAX };

static const struct report_col funeral_cols[] = {
	PLACE_COLS,
	{ "deaths", N_("Deaths reported"), RT_INT, 5, NULL },
	{ "eco", N_("Eco burials"), RT_INT, 5, NULL },
	{ "eco_share", N_("Eco %"), RT_NUM, 6, NULL },
	{ "tree", N_("Tree"), RT_INT, 4, NULL },
	{ "flower", N_("Flower"), RT_INT, 4, NULL },
	{ "lawn", N_("Lawn"), RT_INT, 4, NULL },
	{ "scattering", N_("Scattering"), RT_INT, 4, NULL },
	{ "wall", N_("Wall niche"), RT_INT, 4, NULL },
	{ "cremation", N_("Cremation, cemetery"), RT_INT, 4, NULL },
	{ "traditional", N_("Traditional"), RT_INT, 4, NULL },
	{ "waivers_asked", N_("Fee waivers asked"), RT_INT, 5, NULL },
	{ "waivers_granted", N_("Fee waivers granted"), RT_INT, 5, NULL },
};

static int funeral_emit(struct place_run *r, const char *code, const char *name,
			const double *s, int street)
{
	struct cellbuf c;
	double eco = s[FU_TREE] + s[FU_FLOWER] + s[FU_LAWN] + s[FU_SCATTER] + s[FU_WALL];
	int i;

	(void)street;
	cb_start(&c, code, name);
	cb_int(&c, s[FU_N]);
	cb_int(&c, eco);
	cb_share(&c, eco, s[FU_N]);
	for (i = FU_TREE; i < FU_MAX; i++)
		cb_int(&c, s[i]);
	return r->fn(r->arg, c.c);
}

static enum gq_status run_funerals(struct gq_db *db, const struct report_def *d,
				   const struct report_args *a, report_row_fn fn, void *arg,
				   struct gq_err *err)
{
	struct place_run r;
	enum gq_status rc;

	rc = place_run_start(&r, db, d, a, FU_MAX, fn, arg, err);
	r.emit = funeral_emit;
	if (rc == GQ_OK)
		rc = place_sum(&r, "SELECT village, count(*),"
			       " coalesce(sum(burial_kind = 'tree'), 0), coalesce(sum(burial_kind = 'flower'), 0),"
			       " coalesce(sum(burial_kind = 'lawn'), 0), coalesce(sum(burial_kind = 'scattering'), 0),"
			       " coalesce(sum(burial_kind = 'wall'), 0), coalesce(sum(burial_kind = 'cremation'), 0),"
			       " coalesce(sum(burial_kind = 'traditional'), 0), coalesce(sum(fee_waiver = 1), 0)"
			       " FROM death_report WHERE deleted = 0 AND death_date >= :from AND death_date <= :to"
			       " GROUP BY village",
			       FU_N, NULL, 0, err);
	if (rc == GQ_OK)
		rc = place_sum(&r, "SELECT village, count(*) FROM application WHERE deleted = 0"
			       " AND kind = 'funeral_waiver' AND status IN ('approved', 'paid')"
			       " AND decision_date >= :from AND decision_date <= :to GROUP BY village",
			       FU_GRANTED, NULL, 0, err);
	if (rc == GQ_OK)
		rc = place_emit(&r, err);
	place_run_end(&r);
	return rc;
}

static const struct report_def report_funerals = {
	"funerals", N_("Funerals"),
	N_("Deaths reported in the period by town and village, the share of eco burials and their kinds, funeral-fee waivers asked and granted."),
	funeral_cols, N(funeral_cols), place_params, AUTH_READ, run_funerals,
	RF_PLACES, "eco_share",
};

/* ---- activities ---- */

enum { AC_N, AC_PART, AC_LEAF, AC_BANNER, AC_PER };

static const struct choice activity_kinds[] = {
	{ "community", N_("community activity") },
	{ "outreach", N_("outreach campaign") },
	{ "civilised_memorial", N_("civilised memorial campaign") },
	{ "volunteer", N_("volunteer service") },
	{ "policy", N_("policy publicity") },
	{ "other", N_("other activity") },
	{ NULL, NULL }
};
#define AC_KINDS (N(activity_kinds) - 1)

static const struct report_col activity_cols[] = {
	PLACE_COLS,
	{ "kind", N_("Kind"), RT_TEXT, 12, activity_kinds },
	{ "activities", N_("Activities"), RT_INT, 5, NULL },
	{ "participants", N_("Participants"), RT_INT, 6, NULL },
	{ "leaflets", N_("Leaflets"), RT_INT, 6, NULL },
	{ "banners", N_("Banners"), RT_INT, 5, NULL },
};

static int activity_emit(struct place_run *r, const char *code, const char *name,
			 const double *s, int street)
{
	size_t k;
	int stop = 0, i;

	(void)street;
	for (k = 0; k < AC_KINDS && !stop; k++) {
		const double *x = s + k * AC_PER;
		struct cellbuf c;

		if (x[AC_N] == 0)
			continue;
		cb_start(&c, code, name);
		cb_text(&c, activity_kinds[k].code);
		for (i = 0; i < AC_PER; i++)
			cb_int(&c, x[i]);
		stop = r->fn(r->arg, c.c);
	}
	return stop;
}

static enum gq_status run_activities(struct gq_db *db, const struct report_def *d,
				     const struct report_args *a, report_row_fn fn, void *arg,
				     struct gq_err *err)
{
	struct place_run r;
	enum gq_status rc;

	rc = place_run_start(&r, db, d, a, AC_KINDS * AC_PER, fn, arg, err);
	r.emit = activity_emit;
	if (rc == GQ_OK)
		rc = place_sum(&r, "SELECT village, kind, count(*), coalesce(sum(participants), 0),"
			       " coalesce(sum(leaflets), 0), coalesce(sum(banners), 0)"
			       " FROM activity WHERE deleted = 0 AND activity_date >= :from AND activity_date <= :to"
			       " GROUP BY village, kind",
			       0, activity_kinds, AC_PER, err);
	if (rc == GQ_OK)
		rc = place_emit(&r, err);
	place_run_end(&r);
	return rc;
}

static const struct report_def report_activities = {
	"activities", N_("Activities and outreach"),
	N_("Activities and outreach campaigns in the period by town, village and kind: how many, participants, leaflets and banners."),
	activity_cols, N(activity_cols), place_params, AUTH_READ, run_activities,
	RF_PLACES, "participants",
};

/* ---- sync: the stations ---- */

static const struct choice station_statuses[] = {
	{ "active", N_("station in service") }, { "revoked", N_("revoked") }, { NULL, NULL }
};

static const struct report_col sync_cols[] = {
	{ "code", N_("Code"), RT_DIV, 12, NULL },
	{ "village", N_("Village"), RT_TEXT, 14, NULL },
	{ "town", N_("Town"), RT_TEXT, 10, NULL },
	{ "station", N_("Station"), RT_TEXT, 8, NULL },
	{ "status", N_("Status"), RT_TEXT, 6, station_statuses },
	{ "enrolled", N_("Enrolled"), RT_DATE, 10, NULL },
	{ "last_bundle", N_("Last bundle"), RT_INT, 5, NULL },
	{ "last_import", N_("Last import"), RT_DATE, 10, NULL },
	{ "days_since", N_("Days since"), RT_INT, 5, NULL },
	{ "unacknowledged", N_("Changes not acknowledged"), RT_INT, 5, NULL },
	{ "gaps", N_("Missing bundles"), RT_TEXT, 10, NULL },
	{ "clock_warning", N_("Clock warning"), RT_TEXT, 12, NULL },
};
static const char *const sync_params[] = { "town", "to", NULL };

/* The rows of the Stations screen (county_stations), so that the report
 * and the screen never disagree; days since count up to --to. */
struct sync_walk {
	struct place_run *r;
	int stop;
};

static int sync_row(void *arg, const struct county_station *s)
{
	struct sync_walk *w = arg;
	struct place_run *r = w->r;
	char id8[9], last[24], since[24], unack[24], day[16] = "", enrolled[16] = "";
	const char *cells[12], *from = s->last_date ? s->last_date : s->enrolled_at;
	long days;

	if (r->town[0] && (!s->town || strcmp(s->town, r->town)))
		return 0;
	snprintf(id8, sizeof(id8), "%s", s->id);
	snprintf(last, sizeof(last), "%lld", (long long)s->last_number);
	snprintf(unack, sizeof(unack), "%lld", (long long)s->unacked);
	if (s->enrolled_at)
		snprintf(enrolled, sizeof(enrolled), "%.10s", s->enrolled_at);
	if (s->last_date)
		snprintf(day, sizeof(day), "%.10s", s->last_date);
	since[0] = '\0';
	if (from && strlen(from) >= 10) {
		char d[16];

		snprintf(d, sizeof(d), "%.10s", from);
		if (validate_date_diff(d, r->to, &days, NULL) == GQ_OK)
			snprintf(since, sizeof(since), "%ld", days);
	}
	cells[0] = s->village;
	cells[1] = s->village_name;
	cells[2] = s->town_name;
	cells[3] = id8;
	cells[4] = s->status;
	cells[5] = enrolled[0] ? enrolled : NULL;
	cells[6] = last;
	cells[7] = day[0] ? day : NULL;
	cells[8] = since[0] ? since : NULL;
	cells[9] = unack;
	cells[10] = s->gaps && *s->gaps ? s->gaps : NULL;
	cells[11] = s->clock_warning;
	w->stop = r->fn(r->arg, cells);
	return w->stop;
}

static enum gq_status run_sync(struct gq_db *db, const struct report_def *d,
			       const struct report_args *a, report_row_fn fn, void *arg,
			       struct gq_err *err)
{
	struct place_run r;
	struct sync_walk w = { &r, 0 };
	enum gq_status rc;

	rc = place_run_start(&r, db, d, a, 1, fn, arg, err);
	if (rc == GQ_OK)
		rc = county_stations(db, sync_row, &w, err);
	place_run_end(&r);
	return rc;
}

static const struct report_def report_sync = {
	"sync", N_("Stations"),
	N_("Every enrolled station by village and town: its last bundle and import, days since (up to --to), changes not yet acknowledged, missing bundle numbers and clock warnings: the Stations screen as a table."),
	sync_cols, N(sync_cols), sync_params, AUTH_READ, run_sync,
	0, "days_since",
};

const struct report_def *const reports_all[] = {
	&report_followups, &report_children, &report_elderly, &report_meal_coverage,
	&report_assistance, &report_funerals, &report_activities, &report_sync,
};
const size_t reports_count = N(reports_all);

const char *report_cell_text(const struct report_col *col, const char *cell)
{
	if (!cell || !col->choices)
		return cell;
	return choice_label(col->choices, cell);
}

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
	struct report_args args = { NULL, -1, NULL, NULL, NULL, NULL, RL_TOWNS };
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
