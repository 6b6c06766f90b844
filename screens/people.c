/* people.c - the people list: thousands of rows, filtered as one types by
 * name, pinyin initials or full pinyin, ID number digits or phone, and by
 * category, grid and status (F4). Everything a filter needs is read and
 * built once when the list loads (the pinyin keys, a bit per category);
 * filtering walks the rows without allocating. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "guanqing/auth.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/pinyin.h"
#include "guanqing/query.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

struct pp {
	char id[40];
	char *name, *idnum, *phone, *status, *birth;
	char masked[24];	/* idnum as lists show it (auth_mask_id) */
	unsigned cats;		/* bit i: current category choices_category[i] */
	int grid;		/* index into people.grid_id, -1 none */
	struct pinyin_key key;
	char *sort;		/* the name in pinyin: the list's order */
};

#define MAX_GRIDS 64

struct people {
	struct pp *p;
	size_t n;
	size_t *shown;		/* indexes into p, in display order */
	size_t nshown;
	struct list_view list;	/* draws d->shown through people_row() */
	struct lineedit q;
	/* Filters: -1 for none. */
	int f_cat, f_grid, f_status;
	char grid_id[MAX_GRIDS][40];
	char *grid_name[MAX_GRIDS];
	int ngrid;
	long long loaded_changes;	/* db_changes() when loaded */
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

static void people_free_rows(struct people *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->p[i].name);
		free(d->p[i].idnum);
		free(d->p[i].phone);
		free(d->p[i].status);
		free(d->p[i].birth);
		free(d->p[i].sort);
		pinyin_key_release(&d->p[i].key);
	}
	free(d->p);
	free(d->shown);
	for (i = 0; i < (size_t)d->ngrid; i++)
		free(d->grid_name[i]);
	d->ngrid = 0;
	person_sieve_reset(&d->sieve);
	d->p = NULL;
	d->shown = NULL;
	d->n = d->nshown = 0;
}

static int passes(const struct people *d, const struct pp *r)
{
	if (d->f_cat >= 0 && !(r->cats & (1u << d->f_cat)))
		return 0;
	if (d->f_grid >= 0 && r->grid != d->f_grid)
		return 0;
	if (d->f_status >= 0 && strcmp(r->status, choices_person_status[d->f_status].code))
		return 0;
	return 1;
}

/* A row of the list: the n-th person shown. */
static const char *people_row(void *arg, size_t n, const char **cells)
{
	struct people *d = arg;
	const struct pp *r = &d->p[d->shown[n]];

	cells[0] = r->name;
	/* Masked: the whole number is only on the card. */
	cells[1] = r->masked;
	cells[2] = r->phone;
	cells[3] = choice_label(choices_person_status, r->status);
	return r->id;
}

static void people_key_of(void *arg, size_t i, const struct pinyin_key **key,
			  const char **id_number, const char **phone)
{
	const struct people *d = arg;

	*key = &d->p[i].key;
	*id_number = d->p[i].idnum;
	*phone = d->p[i].phone;
}

static void people_filter(struct people *d)
{
	size_t i, n = 0, pass;

	/* The one matcher of the command line and the screens, narrowing the
	 * previous keystroke's matches; matches from the surname (and ID
	 * numbers and phones) first, then the others. */
	if (person_sieve_run(&d->sieve, lineedit_text(&d->q), d->n, people_key_of, d) == GQ_OK) {
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < d->sieve.n; i++) {
				size_t k = d->sieve.hit[i];

				if ((pass == 0) == (d->sieve.at[i] == 0) && passes(d, &d->p[k]))
					d->shown[n++] = k;
			}
	} else {
		/* No memory for the matches: match every person, twice. */
		struct person_query pq;

		person_query_set(&pq, lineedit_text(&d->q));
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < d->n; i++) {
				int m = passes(d, &d->p[i]) ?
					person_query_match(&pq, &d->p[i].key, d->p[i].idnum, d->p[i].phone) : -1;

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

static int grid_index(const struct people *d, const char *id)
{
	int i;

	for (i = 0; id && i < d->ngrid; i++)
		if (!strcmp(d->grid_id[i], id))
			return i;
	return -1;
}

/* The bits of the comma-separated category codes. */
static unsigned cat_bits(const char *list)
{
	unsigned bits = 0;

	while (list && *list) {
		size_t l = strcspn(list, ","), i;

		for (i = 0; choices_category[i].code && i < 32; i++)
			if (strlen(choices_category[i].code) == l && !strncmp(choices_category[i].code, list, l))
				bits |= 1u << i;
		list += l + (list[l] == ',');
	}
	return bits;
}

/* People are listed in the order of their names in pinyin, as a Chinese
 * reader looks a name up (张 under Z), not in code-point order. */
static int pp_cmp(const void *a, const void *b)
{
	const struct pp *x = a, *y = b;
	int c = strcasecmp(x->sort ? x->sort : "", y->sort ? y->sort : "");

	if (!c)
		c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
	return c ? c : strcmp(x->id, y->id);
}

struct people_fill {
	struct people *d;
	size_t alloc;
};

static int add_person(void *arg, const struct query_person *q)
{
	struct people_fill *f = arg;
	struct people *d = f->d;
	struct strbuf sb = STRBUF_INIT;
	struct pp *r;

	if (d->n == f->alloc) {
		void *p = realloc(d->p, (f->alloc ? f->alloc * 2 : 256) * sizeof(*d->p));

		if (!p)
			return 1;
		d->p = p;
		f->alloc = f->alloc ? f->alloc * 2 : 256;
	}
	r = &d->p[d->n++];
	snprintf(r->id, sizeof(r->id), "%s", q->id);
	r->name = dup0(q->name);
	r->idnum = dup0(q->id_number);
	auth_mask_id(r->idnum, r->masked, sizeof(r->masked));
	r->phone = dup0(q->phone);
	r->status = dup0(q->status);
	r->birth = dup0(q->birth_date);
	r->grid = grid_index(d, q->grid_id);
	r->cats = cat_bits(q->categories);
	pinyin_key_init(&r->key);
	pinyin_key_set(&r->key, r->name);
	r->sort = NULL;
	if (pinyin_romanise(r->name, &sb, NULL) == GQ_OK)
		r->sort = strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
	return 0;
}

static void people_load(struct people *d)
{
	struct people_fill f = { d, 0 };

	people_free_rows(d);
	d->loaded_changes = db_changes(ui.db);
	load_grids(d);
	query_people(ui.db, add_person, &f, NULL);
	if (d->n)
		qsort(d->p, d->n, sizeof(*d->p), pp_cmp);
	d->shown = malloc((d->n ? d->n : 1) * sizeof(*d->shown));
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
	ui_putf(2, 1, cols - 2, UA_DIM, _("%zu of %zu people"), d->nshown, d->n);
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

/* Coming back from a card or a form: read the list again only when
 * something was written (50,000 rows take a noticeable moment). */
static void people_resume(struct screen *s)
{
	struct people *d = s->data;
	char id[40];
	size_t i;

	if (db_changes(ui.db) != d->loaded_changes)
		people_load(d);
	/* A person just added is shown and chosen: the search and the
	 * filters that might hide them are cleared. */
	if (recform_take_created("person", id, sizeof(id))) {
		lineedit_set_text(&d->q, "", NULL);
		d->f_cat = d->f_grid = d->f_status = -1;
		people_filter(d);
		for (i = 0; i < d->nshown; i++)
			if (!strcmp(d->p[d->shown[i]].id, id)) {
				d->list.cur = (int)i;
				d->list.first = (int)i > 5 ? (int)i - 5 : 0;
				break;
			}
	}
}

static void people_close(struct screen *s)
{
	struct people *d = s->data;

	people_free_rows(d);
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
	people_load(d);
	screen_push(&people_ops, d);
}
