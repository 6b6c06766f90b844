/* people.c - the people list: thousands of rows, filtered as one types by
 * name, pinyin initials or full pinyin, ID number digits or phone, and by
 * category, grid and status (F4). The rows are the core's roster
 * (roster.h), which holds everything a filter needs (the pinyin keys, a
 * bit per category) and is kept between visits: opening the list again,
 * or coming back to it, reads only what changed; filtering walks the rows
 * without allocating. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/pinyin.h"
#include "guanqing/query.h"
#include "guanqing/roster.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

#define MAX_GRIDS 64

/* The rows, kept from one visit of the list to the next (people_forget()
 * at the end); the generation counts their changes, so that a list knows
 * its matches are of rows no longer there. */
static struct roster roster = ROSTER_INIT;
static unsigned long roster_generation = 1;

struct people {
	size_t *shown;		/* positions in the roster's list, in display order */
	size_t nshown;
	struct list_view list;	/* draws d->shown through people_row() */
	struct lineedit q;
	/* Filters: -1 for none. */
	int f_cat, f_grid, f_status;
	char grid_id[MAX_GRIDS][40];
	char *grid_name[MAX_GRIDS];
	int ngrid;
	char masked[24];	/* the ID number of the row drawn, as lists show it */
	unsigned long generation;	/* of the roster shown[] was made from */
	struct person_sieve sieve;	/* the matches of what is typed */
};

static const struct key_help people_keys[] = {
	{ "Enter", N_("Open"), N_("Open the card of the chosen person."), AUTH_READ, KH_ANY },
	{ "F3", N_("Add"), N_("Add a new person."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F4", N_("Filter"), N_("Show only one category, grid or status; again to change or clear."), AUTH_READ, KH_ANY },
	{ "/", N_("Search"), N_("Search: type a name, pinyin initials (zs) or full pinyin, ID digits or a phone."), AUTH_READ, KH_ANY },
	{ "Up/Down", NULL, N_("Move in the list; PgUp/PgDn by a page."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static char *dup0(const char *v)
{
	return strdup(v ? v : "");
}

static void people_free_grids(struct people *d)
{
	int i;

	for (i = 0; i < d->ngrid; i++)
		free(d->grid_name[i]);
	d->ngrid = 0;
}

static int passes(const struct people *d, const struct roster_person *r)
{
	if (d->f_cat >= 0 && !(r->categories & (1u << d->f_cat)))
		return 0;
	if (d->f_grid >= 0 && strcmp(roster_str(r, ROSTER_GRID_ID), d->grid_id[d->f_grid]))
		return 0;
	if (d->f_status >= 0 && strcmp(roster_str(r, ROSTER_STATUS), choices_person_status[d->f_status].code))
		return 0;
	return 1;
}

/* A row of the list: the n-th person shown. */
static const char *people_row(void *arg, size_t n, const char **cells)
{
	struct people *d = arg;
	const struct roster_person *r = roster_at(&roster, d->shown[n]);

	cells[0] = roster_str(r, ROSTER_NAME);
	/* Masked: the whole number is only on the card. */
	auth_mask_id(roster_str(r, ROSTER_ID_NUMBER), d->masked, sizeof(d->masked));
	cells[1] = d->masked;
	cells[2] = roster_str(r, ROSTER_PHONE);
	cells[3] = choice_label(choices_person_status, roster_str(r, ROSTER_STATUS));
	return roster_str(r, ROSTER_ID);
}

static void people_key_of(void *arg, size_t i, const struct pinyin_key **key,
			  const char **id_number, const char **phone)
{
	const struct roster_key *k = roster_key_at(&roster, i);

	(void)arg;
	*key = &k->key;
	*id_number = k->id_number;
	*phone = k->phone;
}

static void people_filter(struct people *d)
{
	size_t i, n = 0, pass;

	if (!d->shown) {
		/* No memory for the list: it shows nobody. */
		d->nshown = 0;
		list_set_source(&d->list, people_row, d, 0);
		return;
	}
	if (d->f_cat >= 0) {
		struct gq_err err;

		gq_err_clear(&err);
		if (roster_read_categories(ui.db, &roster, &err) != GQ_OK)
			ui_msg(1, "%s", err.msg);
	}

	/* The one matcher of the command line and the screens, narrowing the
	 * previous keystroke's matches; matches from the surname (and ID
	 * numbers and phones) first, then the others. */
	if (person_sieve_run(&d->sieve, lineedit_text(&d->q), roster.n, people_key_of, d) == GQ_OK) {
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < d->sieve.n; i++) {
				size_t k = d->sieve.hit[i];

				if ((pass == 0) == (d->sieve.at[i] == 0) && passes(d, roster_at(&roster, k)))
					d->shown[n++] = k;
			}
	} else {
		/* No memory for the matches: match every person, twice. */
		struct person_query pq;

		person_query_set(&pq, lineedit_text(&d->q));
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < roster.n; i++) {
				const struct roster_key *k = roster_key_at(&roster, i);
				int m = passes(d, roster_at(&roster, i)) ?
					person_query_match(&pq, &k->key, k->id_number, k->phone) : -1;

				if (m >= 0 && (pass == 0) == (m == 0))
					d->shown[n++] = i;
			}
	}
	d->nshown = n;
	list_set_source(&d->list, people_row, d, n);
}

static int add_grid(void *arg, const struct record *r)
{
	struct people *d = arg;

	if (d->ngrid >= MAX_GRIDS)
		return 1;
	snprintf(d->grid_id[d->ngrid], sizeof(d->grid_id[0]), "%s", r->id);
	d->grid_name[d->ngrid++] = dup0(record_get(r, "name"));
	return 0;
}

static void load_grids(struct people *d)
{
	query_rows(ui.db, table_find("grid"), NULL, add_grid, d, NULL);
}

/* The list as the database is now: the roster read again only when
 * something was written since (by this program or another), and the
 * matches made again only when the roster changed. */
static void people_load(struct people *d)
{
	struct gq_err err;
	bool changed = true;
	size_t *shown;

	gq_err_clear(&err);
	if (roster_read(ui.db, &roster, &changed, &err) != GQ_OK)
		ui_msg(1, "%s", err.msg);
	if (changed)
		roster_generation++;
	if (d->generation == roster_generation)
		return;
	d->generation = roster_generation;
	person_sieve_reset(&d->sieve);
	shown = realloc(d->shown, (roster.n ? roster.n : 1) * sizeof(*shown));
	if (!shown)
		free(d->shown);
	d->shown = shown;
	people_filter(d);
}

static void people_draw(struct screen *s)
{
	struct people *d = s->data;
	int cols = ui_cols();

	if (d->f_cat >= 0 || d->f_grid >= 0 || d->f_status >= 0) {
		struct strbuf sb = STRBUF_INIT;
		int x;

		strbuf_addf(&sb, " %s  %s", _("Guanqing"), _("People"));
		x = (int)text_width(sb.buf);
		strbuf_reset(&sb);
		if (d->f_cat >= 0)
			strbuf_addf(&sb, " · %s", _(choices_category[d->f_cat].label));
		if (d->f_grid >= 0)
			strbuf_addf(&sb, " · %s", d->grid_name[d->f_grid]);
		if (d->f_status >= 0)
			strbuf_addf(&sb, " · %s", _(choices_person_status[d->f_status].label));
		ui_put(0, x, sb.buf, cols - x, UA_TITLE);
		strbuf_release(&sb);
	}
	ui_put(1, 1, _("Search:"), 10, UA_HEADER);
	ui_draw_field(&d->q, 1, 11, cols - 12 > 40 ? 40 : cols - 12, 1);
	ui_putf(2, 1, cols - 2, UA_DIM, _("%zu of %zu people"), d->nshown, roster.n);
	list_draw(&d->list, 3, 1, ui_lines() - 5, cols - 2);
}

/* F4: which filter, then its value; "all" clears that filter. */
static void people_choose_filter(struct people *d)
{
	const char *kinds[] = { _("Category"), _("Grid"), _("Status"), _("Clear the filters") };
	const char *labels[MAX_GRIDS + 1];
	size_t n = 0;
	int kind, pick, cur;

	kind = ui_choose(_("Filter the list by"), kinds, 4, 0);
	if (kind < 0)
		return;
	if (kind == 3) {
		d->f_cat = d->f_grid = d->f_status = -1;
		return;
	}
	labels[n++] = _("(all)");
	if (kind == 0) {
		for (; choices_category[n - 1].code && n < MAX_GRIDS + 1; n++)
			labels[n] = _(choices_category[n - 1].label);
		cur = d->f_cat;
	} else if (kind == 1) {
		for (; (int)n - 1 < d->ngrid; n++)
			labels[n] = d->grid_name[n - 1];
		cur = d->f_grid;
	} else {
		for (; choices_person_status[n - 1].code && n < MAX_GRIDS + 1; n++)
			labels[n] = _(choices_person_status[n - 1].label);
		cur = d->f_status;
	}
	pick = ui_choose(kinds[kind], labels, n, cur + 1);
	if (pick < 0)
		return;
	if (kind == 0)
		d->f_cat = pick - 1;
	else if (kind == 1)
		d->f_grid = pick - 1;
	else
		d->f_status = pick - 1;
}

static int people_key(struct screen *s, int k)
{
	struct people *d = s->data;

	switch (k) {
	case KF(KEY_UP):
	case KF(KEY_DOWN):
	case KF(KEY_PPAGE):
	case KF(KEY_NPAGE):
		/* Left, Right, Home and End edit the search. */
		list_key(&d->list, k);
		return SK_DONE;
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (list_current(&d->list))
			person_open(list_current(&d->list));
		return SK_DONE;
	case KF(KEY_F(3)):
	case KF(KEY_IC):
		if (ui_allow(AUTH_EDIT_RECORDS))
			recform_open(table_find("person"), NULL, NULL, NULL);
		return SK_DONE;
	case KF(KEY_F(4)):
		people_choose_filter(d);
		d->list.cur = d->list.first = 0;
		people_filter(d);
		return SK_DONE;
	case '/':
		lineedit_set_text(&d->q, "", NULL);
		people_filter(d);
		return SK_DONE;
	case KEY_ESC:
		if (lineedit_length(&d->q)) {
			lineedit_set_text(&d->q, "", NULL);
			people_filter(d);
			return SK_DONE;
		}
		return SK_UNHANDLED;
	default:
		if (ui_edit_key(&d->q, k)) {
			d->list.cur = d->list.first = 0;
			people_filter(d);
			return SK_DONE;
		}
		return SK_UNHANDLED;
	}
}

/* Coming back from a card or a form: only what was written since is read
 * again (roster.h). */
static void people_resume(struct screen *s)
{
	struct people *d = s->data;
	char id[40];
	size_t i;

	people_load(d);
	/* A person just added is shown and chosen: the search and the
	 * filters that might hide them are cleared. */
	if (recform_take_created("person", id, sizeof(id))) {
		lineedit_set_text(&d->q, "", NULL);
		d->f_cat = d->f_grid = d->f_status = -1;
		people_filter(d);
		for (i = 0; i < d->nshown; i++)
			if (!strcmp(roster_str(roster_at(&roster, d->shown[i]), ROSTER_ID), id)) {
				d->list.cur = (int)i;
				d->list.first = (int)i > 5 ? (int)i - 5 : 0;
				break;
			}
	}
}

static void people_close(struct screen *s)
{
	struct people *d = s->data;

	free(d->shown);
	people_free_grids(d);
	person_sieve_release(&d->sieve);
	list_release(&d->list);
	lineedit_release(&d->q);
	free(d);
}

static const struct screen_ops people_ops = {
	.name = "people", .title = N_("People"), .keys = people_keys,
	.draw = people_draw, .key = people_key, .resume = people_resume, .close = people_close,
};

void people_open(void)
{
	struct people *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	lineedit_init(&d->q, PINYIN_QUERY_MAX);
	person_sieve_init(&d->sieve);
	list_init(&d->list);
	list_add_col(&d->list, _("Name"), ui.ascii ? 18 : 12, 0);
	list_add_col(&d->list, _("ID number"), 18, 0);
	list_add_col(&d->list, _("Phone"), 12, 0);
	list_add_col(&d->list, _("Status"), 8, 0);
	d->f_cat = d->f_grid = d->f_status = -1;
	load_grids(d);
	people_load(d);
	screen_push(&people_ops, d);
}

void people_forget(void)
{
	roster_release(&roster);
	roster_generation++;
}
