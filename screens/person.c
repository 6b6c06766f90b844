/* person.c - the person card: details, categories, guardians, visits
 * (newest first), applications, referrals and the death report. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/date.h"
#include "guanqing/field.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

struct card {
	char id[40];
	char household[40];	/* the person's household id, or "" */
	char name[128];		/* the person's name, for titles */
	int deceased;		/* no new visit, application or referral */
	char death[40];		/* the live death report's id, or "" */
	char **line;
	unsigned char *head;
	size_t n, alloc;
	int first;
};

/* Visits are recorded where the grid worker is: at a station. */
static const struct key_help card_keys[] = {
	{ "F3", N_("Visit"), N_("Record a new visit to this person."), AUTH_EDIT_RECORDS, KH_STATION },
	{ "F4", N_("Edit"), N_("Edit the person's details."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F5", N_("Category"), N_("Add a category (left-behind child, elderly living alone, ...)."),
	  AUTH_EDIT_RECORDS, KH_ANY },
	{ "F6", N_("Guardian"), N_("Add a guardian, parent or contact."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F7", N_("Apply"), N_("Add an application for assistance."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F8", N_("Referral"), N_("Refer the child to the protection centre."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F9", N_("Death"), N_("Report the death of this person."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "h", NULL, N_("The household form: address, grid, head, phone (a new household when there is none)."),
	  AUTH_EDIT_RECORDS, KH_ANY },
	{ "m", N_("Member"), N_("Add a new member to this person's household (its grid and address filled in)."),
	  AUTH_EDIT_RECORDS, KH_ANY },
	{ "H", N_("History"), N_("The history of this person's record: who changed which field, from what to what."), AUTH_READ, KH_ANY },
	{ "v", N_("Visits"), N_("Open one of the recorded visits (read-only when you may not change it)."), AUTH_READ, KH_ANY },
	{ "Up/Down", NULL, N_("Scroll the card."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the list."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

/* What a deceased person's card no longer offers: new visits,
 * applications and referrals. */
static const char *const dead_refuse[] = { "F3", "F7", "F8", NULL };

static int refused_when_dead(const char *key)
{
	size_t i;

	for (i = 0; dead_refuse[i]; i++)
		if (!strcmp(dead_refuse[i], key))
			return 1;
	return 0;
}

/* The card's keys for a deceased person: card_keys without those. */
static const struct key_help *dead_keys(void)
{
	static struct key_help keys[sizeof(card_keys) / sizeof(card_keys[0])];
	size_t i, n = 0;

	if (!keys[0].key)
		for (i = 0; card_keys[i].key; i++)
			if (!refused_when_dead(card_keys[i].key))
				keys[n++] = card_keys[i];
	return keys;
}

/* Which key needs which right: the same table as the key bar. */
static int card_allow(const struct card *d, int k)
{
	const struct key_help *h;
	char name[8];

	if (k >= KF(KEY_F(1)) && k <= KF(KEY_F(12)))
		snprintf(name, sizeof(name), "F%d", k - KF(KEY_F(0)));
	else if (k > 0 && k < 0x80)
		snprintf(name, sizeof(name), "%c", k);
	else
		return 1;
	for (h = card_keys; h->key; h++)
		if (!strcmp(h->key, name)) {
			if (d->deceased && refused_when_dead(name)) {
				ui_msg(1, _("%s is recorded as deceased: no new visits, applications or referrals."),
				       d->name);
				return 0;
			}
			if (h->where == KH_STATION && ui.db->role != DB_ROLE_STATION) {
				ui_msg(1, "%s", _("Visits are recorded at the station."));
				return 0;
			}
			return ui_allow(h->need);
		}
	return 1;
}

/* v: choose one of the person's visits and open it; a grid worker who may
 * not change it (not theirs, or older than 7 days) sees it read-only with
 * the reason. */
struct visit_pick {
	char (*ids)[40];
	char **labels;
	size_t n, alloc;
};

static int add_visit_choice(void *arg, const struct record *r)
{
	struct visit_pick *v = arg;
	struct strbuf sb = STRBUF_INIT;
	const char *date = record_get(r, "visit_date");

	if (v->n == v->alloc) {
		size_t na = v->alloc ? v->alloc * 2 : 16;
		void *a = realloc(v->ids, na * sizeof(*v->ids)), *b;

		if (!a)
			return 1;
		v->ids = a;
		b = realloc(v->labels, na * sizeof(*v->labels));
		if (!b)
			return 1;
		v->labels = b;
		v->alloc = na;
	}
	snprintf(v->ids[v->n], sizeof(v->ids[v->n]), "%s", r->id);
	strbuf_addf(&sb, "%s  %s", date ? date : "", ui_form_title(record_get(r, "form_id")));
	v->labels[v->n++] = strbuf_detach(&sb, NULL);
	return 0;
}

static void card_open_visit(const char *person)
{
	struct visit_pick v = { NULL, NULL, 0, 0 };
	struct query_filter flt = { .field = "person_id", .value = person };
	size_t i;
	int pick;

	query_rows(ui.db, table_find("visit"), &flt, add_visit_choice, &v, NULL);
	if (!v.n) {
		ui_msg(1, "%s", _("No visit is recorded for this person."));
	} else if ((pick = ui_choose(_("Open which visit?"), (const char *const *)v.labels, v.n, 0)) >= 0) {
		struct gq_err e;

		gq_err_clear(&e);
		if (!ui_can(AUTH_EDIT_RECORDS)) {
			auth_refuse(ui.role, AUTH_EDIT_RECORDS, &e);
			recform_view(table_find("visit"), v.ids[pick], e.msg);
		} else if (auth_may_edit_visit(ui.db, ui.role, v.ids[pick], &e) != GQ_OK) {
			recform_view(table_find("visit"), v.ids[pick], e.msg);
		} else {
			recform_open(table_find("visit"), v.ids[pick], NULL, NULL);
		}
	}
	for (i = 0; i < v.n; i++)
		free(v.labels[i]);
	free(v.labels);
	free(v.ids);
}

static void add_line(struct card *d, int head, const char *s)
{
	if (d->n == d->alloc) {
		size_t na = d->alloc ? d->alloc * 2 : 64;
		void *a = realloc(d->line, na * sizeof(*d->line));
		void *b;

		if (!a)
			return;
		d->line = a;
		b = realloc(d->head, na);
		if (!b)
			return;
		d->head = b;
		d->alloc = na;
	}
	d->line[d->n] = strdup(s ? s : "");
	d->head[d->n++] = (unsigned char)head;
}

static void card_clear(struct card *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->line[i]);
	d->n = 0;
}

/* The records of one kind about the person, as columns under their
 * labels, lined up by display width. */
#define REL_COLS 8
struct related {
	struct card *d;
	const struct field_def *col[REL_COLS];
	int ncols;
	char **cells;		/* rows * ncols */
	size_t rows, alloc;
};

static int add_related_row(void *arg, const struct record *r)
{
	struct related *rel = arg;
	int i;

	if (rel->rows == rel->alloc) {
		size_t na = rel->alloc ? rel->alloc * 2 : 16;
		void *p = realloc(rel->cells, na * (size_t)rel->ncols * sizeof(*rel->cells));

		if (!p)
			return 1;
		rel->cells = p;
		rel->alloc = na;
	}
	for (i = 0; i < rel->ncols; i++) {
		const struct field_def *f = rel->col[i];
		const char *v = record_get(r, f->name);
		struct strbuf sb = STRBUF_INIT;

		if (v && !strcmp(f->name, "form_id"))
			strbuf_addstr(&sb, ui_form_title(v));
		else if (v)
			field_display(ui.db, f, v, &sb);
		rel->cells[rel->rows * (size_t)rel->ncols + (size_t)i] = strbuf_detach(&sb, NULL);
	}
	rel->rows++;
	return 0;
}

/* Rows of table t about this person, in the table's order (newest first
 * for dated records), under a line of the listed fields' labels. */
static void add_related(struct card *d, const char *table, const char *title,
			const char *fields)
{
	const struct table_def *t = table_find(table);
	struct related rel;
	struct query_filter flt = { .field = "person_id", .value = d->id };
	size_t width[REL_COLS], i;
	const char *p = fields;
	struct strbuf sb = STRBUF_INIT, cell = STRBUF_INIT;
	int c;

	memset(&rel, 0, sizeof(rel));
	rel.d = d;
	while (*p && rel.ncols < REL_COLS) {
		char name[64];
		size_t len = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += len + (p[len] == ',');
		if (table_field(t, name))
			rel.col[rel.ncols++] = table_field(t, name);
	}
	add_line(d, 0, "");
	add_line(d, 1, title);
	query_rows(ui.db, t, &flt, add_related_row, &rel, NULL);
	if (!rel.rows) {
		add_line(d, 0, _("  (none)"));
		return;
	}
	for (c = 0; c < rel.ncols; c++) {
		strbuf_reset(&cell);
		ui_text(&cell, _(rel.col[c]->label));
		width[c] = text_width(cell.buf);
		for (i = 0; i < rel.rows; i++) {
			strbuf_reset(&cell);
			ui_text(&cell, rel.cells[i * (size_t)rel.ncols + (size_t)c]);
			if (text_width(cell.buf) > width[c])
				width[c] = text_width(cell.buf);
		}
	}
	/* Fit the screen: the widest column gives way first. */
	for (;;) {
		size_t total = 2, widest = 0;

		for (c = 0; c < rel.ncols; c++) {
			total += width[c] + 2;
			if (width[c] > width[widest])
				widest = (size_t)c;
		}
		if (total <= (size_t)(ui_cols() > 4 ? ui_cols() - 4 : 1) || width[widest] <= 8)
			break;
		width[widest]--;
	}
	/* The heads, then the rows; the screen romanises what it draws, so
	 * the widths are taken of what will be drawn. */
	for (i = 0; i <= rel.rows; i++) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		for (c = 0; c < rel.ncols; c++) {
			const char *v = i ? rel.cells[(i - 1) * (size_t)rel.ncols + (size_t)c]
					  : _(rel.col[c]->label);

			strbuf_reset(&cell);
			ui_text(&cell, v);
			text_pad(&sb, cell.buf, width[c], TEXT_ELLIPSIS_CUT);
			strbuf_addstr(&sb, "  ");
		}
		add_line(d, i ? 0 : 2, sb.buf);
	}
	for (i = 0; i < rel.rows * (size_t)rel.ncols; i++)
		free(rel.cells[i]);
	free(rel.cells);
	strbuf_release(&sb);
	strbuf_release(&cell);
}

struct members {
	struct card *d;
	int rows;
};

static int add_member(void *arg, const struct record *r)
{
	struct members *m = arg;
	const struct field_def *relf = table_field(r->t, "relation");
	const char *rel = record_get(r, "relation"), *birth = record_get(r, "birth_date");
	struct strbuf sb = STRBUF_INIT, nm = STRBUF_INIT;

	if (!strcmp(r->id, m->d->id))
		return 0;
	strbuf_addstr(&sb, "    ");
	/* Romanise before padding: a pinyin name is wider. */
	ui_text(&nm, record_get(r, "name"));
	text_pad(&sb, nm.buf, ui.ascii ? 18 : 12, TEXT_ELLIPSIS_CUT);
	strbuf_release(&nm);
	if (rel) {
		strbuf_addstr(&sb, "  ");
		field_display(ui.db, relf, rel, &sb);
	}
	if (birth)
		strbuf_addf(&sb, "  %s", birth);
	if (record_get(r, "status")) {
		strbuf_addstr(&sb, "  ");
		field_display(ui.db, table_field(r->t, "status"), record_get(r, "status"), &sb);
	}
	add_line(m->d, 0, sb.buf);
	strbuf_release(&sb);
	m->rows++;
	return 0;
}

/* The household: its address, head, phone and grid, then the other
 * members with their relation to the head. */
static void add_household(struct card *d)
{
	static const char *const fields[] = { "address", "head_id", "phone", "grid_id" };
	const struct table_def *ht = table_find("household");
	struct query_filter flt = { .field = "household_id", .value = d->household };
	struct members m = { d, 0 };
	struct record *h = NULL;
	size_t i;

	add_line(d, 0, "");
	add_line(d, 1, _("Household (h: the household form)"));
	if (!d->household[0]) {
		add_line(d, 0, _("  (none)"));
		return;
	}
	if (record_load(ui.db, ht, d->household, &h, NULL) == GQ_OK) {
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			const struct field_def *f = table_field(ht, fields[i]);
			const char *val = record_get(h, fields[i]);
			struct strbuf sb = STRBUF_INIT;

			if (!val || !*val)
				continue;
			strbuf_addstr(&sb, "  ");
			text_pad(&sb, _(f->label), 18, 0);
			strbuf_addch(&sb, ' ');
			field_display(ui.db, f, val, &sb);
			add_line(d, 0, sb.buf);
			strbuf_release(&sb);
		}
		record_free(&h);
	}
	add_line(d, 0, _("  Members:"));
	query_rows(ui.db, table_find("person"), &flt, add_member, &m, NULL);
	if (!m.rows)
		add_line(d, 0, _("    (no other members)"));
}

static int note_death(void *arg, const struct record *r)
{
	struct card *d = arg;

	snprintf(d->death, sizeof(d->death), "%s", r->id);
	return 1;
}

static void card_load(struct card *d)
{
	const struct table_def *t = table_find("person");
	struct record *r = NULL;
	const char *hh;
	size_t i;

	card_clear(d);
	if (record_load(ui.db, t, d->id, &r, NULL) != GQ_OK) {
		add_line(d, 1, _("This person cannot be read."));
		return;
	}
	for (i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		const char *v = r->values[i];
		struct strbuf sb = STRBUF_INIT;

		if (!v || f->type == FT_REF)
			continue;
		strbuf_addstr(&sb, "  ");
		text_pad(&sb, _(f->label), 18, 0);
		strbuf_addch(&sb, ' ');
		field_display(ui.db, f, v, &sb);
		if (!strcmp(f->name, "birth_date")) {
			int64_t born;

			/* The age today, beside the date. */
			if (date_parse(v, NULL, &born) == DATE_OK && date_age(born, date_today()) >= 0)
				strbuf_addf(&sb, _("  (age %d)"), date_age(born, date_today()));
		}
		add_line(d, 0, sb.buf);
		strbuf_release(&sb);
	}
	hh = record_get(r, "name");
	snprintf(d->name, sizeof(d->name), "%s", hh ? hh : "");
	hh = record_get(r, "status");
	d->deceased = hh && !strcmp(hh, "deceased");
	hh = record_get(r, "household_id");
	snprintf(d->household, sizeof(d->household), "%s", hh ? hh : "");
	record_free(&r);
	add_household(d);
	add_related(d, "person_category", _("Categories"), "category,start_date,end_date");
	add_related(d, "guardian", _("Guardians, parents and contacts"),
		    "kind,name,relation,phone,working_away,away_place");
	add_related(d, "visit", _("Visits, newest first"), "visit_date,form_id,risk_level,followup_due");
	add_related(d, "application", _("Applications"), "apply_date,kind,amount_asked,status");
	add_related(d, "referral", _("Referrals"), "referral_date,reason,centre,status");
	add_related(d, "death_report", _("Death report"), "death_date,place,cause,burial_kind,fee_waiver");
	d->death[0] = '\0';
	{
		struct query_filter flt = { .field = "person_id", .value = d->id };

		query_rows(ui.db, table_find("death_report"), &flt, note_death, d, NULL);
	}
}

static void card_draw(struct screen *s)
{
	struct card *d = s->data;
	int rows = ui_lines() - 4, i;

	if (d->first > (int)d->n - rows)
		d->first = (int)d->n - rows;
	if (d->first < 0)
		d->first = 0;
	for (i = 0; i < rows && (size_t)(d->first + i) < d->n; i++)
		ui_put(1 + i, 1, d->line[d->first + i], ui_cols() - 2,
		       d->head[d->first + i] == 1 ? UA_HEADER :
		       d->head[d->first + i] == 2 ? UA_DIM : UA_NORMAL);
	/* Signs that the card goes on above or below. */
	if (d->first > 0)
		ui_put(1, ui_cols() - 12, ui.ascii ? _("^ more") : _("\xe2\x96\xb2 more"), 11, UA_HEADER);
	if ((size_t)(d->first + rows) < d->n)
		ui_putf(rows, ui_cols() - 24, 23, UA_HEADER, "%s", ui.ascii ? _("v more: PgDn") : _("\xe2\x96\xbc more: PgDn"));
}

static int card_key(struct screen *s, int k)
{
	struct card *d = s->data;

	if (!card_allow(d, k))
		return SK_DONE;
	switch (k) {
	case KF(KEY_UP):
		d->first--;
		break;
	case KF(KEY_DOWN):
		d->first++;
		break;
	case KF(KEY_PPAGE):
		d->first -= ui_lines() - 5;
		break;
	case KF(KEY_NPAGE):
		d->first += ui_lines() - 5;
		break;
	case KF(KEY_F(3)):
		visit_open(d->id);
		break;
	case KF(KEY_F(4)):
		recform_open(table_find("person"), d->id, NULL, NULL);
		break;
	case KF(KEY_F(5)):
		recform_open(table_find("person_category"), NULL, "person_id", d->id);
		break;
	case KF(KEY_F(6)):
		recform_open(table_find("guardian"), NULL, "person_id", d->id);
		break;
	case KF(KEY_F(7)):
		recform_open(table_find("application"), NULL, "person_id", d->id);
		break;
	case KF(KEY_F(8)):
		recform_open(table_find("referral"), NULL, "person_id", d->id);
		break;
	case KF(KEY_F(9)):
		/* One death report a person: F9 completes the one there is
		 * (the burial kind, decided later). */
		if (d->death[0])
			recform_open(table_find("death_report"), d->death, NULL, NULL);
		else
			recform_open(table_find("death_report"), NULL, "person_id", d->id);
		break;
	case 'm':
		if (d->household[0])
			recform_open_member(d->household);
		else
			ui_msg(1, _("%s has no household yet: h makes one."), d->name);
		break;
	case 'H':
		history_open("person", d->id, d->name);
		break;
	case 'v':
	case 'V':
		card_open_visit(d->id);
		break;
	case 'h':
		if (d->household[0])
			recform_open(table_find("household"), d->household, NULL, NULL);
		else
			recform_open_linked(table_find("household"), table_find("person"), d->id,
					    "household_id");
		break;
	default:
		return SK_UNHANDLED;
	}
	return SK_DONE;
}

static const struct screen_ops card_ops;
static struct screen_ops card_dead_ops;

/* A deceased person's card has the keys of one. */
static void card_ops_for(struct screen *s)
{
	struct card *d = s->data;

	card_dead_ops.keys = dead_keys();
	s->ops = d->deceased ? &card_dead_ops : &card_ops;
}

static void card_resume(struct screen *s)
{
	char id[40];

	/* A member added here is on the card; the list below need not
	 * choose them. */
	recform_take_created("person", id, sizeof(id));
	card_load(s->data);
	card_ops_for(s);
}

static void card_close(struct screen *s)
{
	struct card *d = s->data;

	card_clear(d);
	free(d->line);
	free(d->head);
	free(d);
}

static const struct screen_ops card_ops = {
	.name = "person", .title = N_("Person"), .keys = card_keys,
	.draw = card_draw, .key = card_key, .resume = card_resume, .close = card_close,
};

static struct screen_ops card_dead_ops = {
	.name = "person", .title = N_("Person"), .keys = NULL,
	.draw = card_draw, .key = card_key, .resume = card_resume, .close = card_close,
};

void person_open(const char *id)
{
	struct card *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	snprintf(d->id, sizeof(d->id), "%s", id);
	card_load(d);
	screen_push(&card_ops, d);
	if (ui.top && ui.top->data == d)
		card_ops_for(ui.top);
}
