/* people.c - the people list: thousands of rows, filtered as one types by
 * name, pinyin initials or full pinyin, ID number digits or phone. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/pinyin.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

struct pp {
	char id[40];
	char *name, *idnum, *phone, *status, *birth;
	struct pinyin_key key;
};

struct people {
	struct pp *p;
	size_t n;
	size_t *shown;		/* indexes into p, in display order */
	size_t nshown;
	int cur, first;
	struct lineedit q;
};

static const struct key_help people_keys[] = {
	{ "Enter", N_("Open"), N_("Open the card of the chosen person.") },
	{ "F3", N_("Add"), N_("Add a new person.") },
	{ "/", N_("Search"), N_("Search: type a name, pinyin initials (zs) or full pinyin, ID digits or a phone.") },
	{ "Up/Down", NULL, N_("Move in the list; PgUp/PgDn by a page.") },
	{ "F10", N_("Back"), N_("Back to Home.") },
	{ NULL, NULL, NULL }
};

static char *col_dup(sqlite3_stmt *st, int c)
{
	const char *v = (const char *)sqlite3_column_text(st, c);

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
		pinyin_key_release(&d->p[i].key);
	}
	free(d->p);
	free(d->shown);
	d->p = NULL;
	d->shown = NULL;
	d->n = d->nshown = 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == 'x' || *s == 'X' || *s == '-' || *s == ' '))
			return 0;
	return 1;
}

static void people_filter(struct people *d)
{
	const char *q = lineedit_text(&d->q);
	struct pinyin_query pq;
	size_t i, n = 0, pass;

	char uq[PINYIN_QUERY_MAX * 4 + 1];

	pinyin_query_set(&pq, q);
	for (i = 0; q[i] && i + 1 < sizeof(uq); i++)
		uq[i] = q[i] == 'x' ? 'X' : q[i];
	uq[i] = '\0';
	if (all_digits(q)) {
		for (i = 0; i < d->n; i++)
			if (strstr(d->p[i].idnum, uq) || strstr(d->p[i].phone, q))
				d->shown[n++] = i;
	} else if (pinyin_query_empty(&pq)) {
		for (i = 0; i < d->n; i++)
			d->shown[n++] = i;
	} else {
		/* Matches from the surname first, then the others. */
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < d->n; i++) {
				int m = pinyin_key_match(&d->p[i].key, &pq);

				if (m >= 0 && (pass == 0) == (m == 0))
					d->shown[n++] = i;
			}
	}
	d->nshown = n;
	if (d->cur >= (int)n)
		d->cur = n ? (int)n - 1 : 0;
	if (d->cur < 0)
		d->cur = 0;
}

static void people_load(struct people *d)
{
	sqlite3_stmt *st;
	size_t alloc = 0;

	people_free_rows(d);
	if (sqlite3_prepare_v2(ui.db->h, "SELECT id, name, id_number, phone, status, birth_date FROM person"
			       " WHERE deleted = 0 ORDER BY name, id", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct pp *r;

		if (d->n == alloc) {
			void *p = realloc(d->p, (alloc ? alloc * 2 : 256) * sizeof(*d->p));

			if (!p)
				break;
			d->p = p;
			alloc = alloc ? alloc * 2 : 256;
		}
		r = &d->p[d->n++];
		snprintf(r->id, sizeof(r->id), "%s", (const char *)sqlite3_column_text(st, 0));
		r->name = col_dup(st, 1);
		r->idnum = col_dup(st, 2);
		r->phone = col_dup(st, 3);
		r->status = col_dup(st, 4);
		r->birth = col_dup(st, 5);
		pinyin_key_init(&r->key);
		pinyin_key_set(&r->key, r->name);
	}
	sqlite3_finalize(st);
	d->shown = malloc((d->n ? d->n : 1) * sizeof(*d->shown));
	people_filter(d);
}

static void people_draw(struct screen *s)
{
	struct people *d = s->data;
	int cols = ui_cols(), rows = ui_lines() - 6, i, y = 4;
	int namew = ui.ascii ? 18 : 12;

	ui_put(1, 1, _("Search:"), 10, UA_HEADER);
	ui_draw_field(&d->q, 1, 11, cols - 12 > 40 ? 40 : cols - 12, 1);
	ui_putf(2, 1, cols - 2, UA_DIM, _("%zu of %zu people"), d->nshown, d->n);
	ui_putf(3, 1, cols - 2, UA_HEADER, "%-*s", 1, "");
	ui_put(3, 1, _("Name"), namew, UA_HEADER);
	ui_put(3, 2 + namew, _("ID number"), 19, UA_HEADER);
	ui_put(3, 22 + namew, _("Phone"), 12, UA_HEADER);
	ui_put(3, 35 + namew, _("Status"), cols - 36 - namew, UA_HEADER);
	if (d->cur < d->first)
		d->first = d->cur;
	if (rows > 0 && d->cur >= d->first + rows)
		d->first = d->cur - rows + 1;
	for (i = 0; i < rows && (size_t)(d->first + i) < d->nshown; i++, y++) {
		const struct pp *r = &d->p[d->shown[d->first + i]];
		enum ui_attr a = d->first + i == d->cur ? UA_SELECT : UA_NORMAL;

		ui_put(y, 0, "", cols, a);
		ui_put(y, 1, r->name, namew, a);
		ui_put(y, 2 + namew, r->idnum, 19, a);
		ui_put(y, 22 + namew, r->phone, 12, a);
		ui_put(y, 35 + namew, choice_label(choices_person_status, r->status), cols - 36 - namew, a);
	}
}

static int people_key(struct screen *s, int k)
{
	struct people *d = s->data;
	int rows = ui_lines() - 6 > 1 ? ui_lines() - 6 : 1;

	switch (k) {
	case KF(KEY_UP):
		if (d->cur > 0)
			d->cur--;
		return SK_DONE;
	case KF(KEY_DOWN):
		if ((size_t)d->cur + 1 < d->nshown)
			d->cur++;
		return SK_DONE;
	case KF(KEY_PPAGE):
		d->cur = d->cur > rows ? d->cur - rows : 0;
		return SK_DONE;
	case KF(KEY_NPAGE):
		d->cur = (size_t)(d->cur + rows) < d->nshown ? d->cur + rows : (int)d->nshown - 1;
		if (d->cur < 0)
			d->cur = 0;
		return SK_DONE;
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (d->nshown)
			person_open(d->p[d->shown[d->cur]].id);
		return SK_DONE;
	case KF(KEY_F(3)):
	case KF(KEY_IC):
		recform_open(table_find("person"), NULL, NULL, NULL);
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
			d->cur = 0;
			d->first = 0;
			people_filter(d);
			return SK_DONE;
		}
		return SK_UNHANDLED;
	}
}

static void people_resume(struct screen *s)
{
	people_load(s->data);
}

static void people_close(struct screen *s)
{
	struct people *d = s->data;

	people_free_rows(d);
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
	people_load(d);
	screen_push(&people_ops, d);
}
