/* list.c - the list widget of the screens (list.h). */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

void list_init(struct list_view *l)
{
	memset(l, 0, sizeof(*l));
}

void list_clear(struct list_view *l)
{
	size_t i;

	if (l->source) {
		l->rows = 0;
		return;
	}
	for (i = 0; i < l->rows * l->ncols; i++)
		free(l->cells[i]);
	for (i = 0; i < l->rows; i++)
		free(l->ids[i]);
	free(l->cells);
	free(l->ids);
	l->cells = NULL;
	l->ids = NULL;
	l->rows = l->alloc = 0;
	if (l->cur < 0)
		l->cur = 0;
}

void list_release(struct list_view *l)
{
	list_clear(l);
	list_init(l);
}

void list_add_col(struct list_view *l, const char *head, unsigned width, int right)
{
	size_t w = text_width(head ? head : "");

	if (l->ncols == LIST_COLS_MAX || l->rows)
		return;
	l->cols[l->ncols].head = head;
	/* A head is never cut: the column is at least as wide. */
	l->cols[l->ncols].width = width > w ? width : (unsigned)w;
	l->cols[l->ncols++].right = right;
}

static unsigned type_width(const struct field_def *f)
{
	switch (f->type) {
	case FT_DATE:
		return 10;
	case FT_INT:
	case FT_BOOL:
		return 6;
	case FT_MONEY:
		return 9;
	case FT_NAME:
		return 12;
	case FT_IDNUM:
		return 18;
	case FT_PHONE:
		return 13;
	default:
		return 14;
	}
}

void list_cols_fields(struct list_view *l, const struct table_def *t, const char *fields)
{
	const char *p = fields;

	while (p && *p) {
		char name[64];
		size_t len = strcspn(p, ",");
		const struct field_def *f;

		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += len + (p[len] == ',');
		f = table_field(t, name);
		if (f)
			list_add_col(l, _(f->label), type_width(f),
				     f->type == FT_INT || f->type == FT_MONEY);
	}
}

void list_cols_report(struct list_view *l, const struct report_def *d)
{
	size_t i;

	for (i = 0; i < d->ncols; i++)
		if (d->cols[i].type != RT_ID)
			list_add_col(l, _(d->cols[i].label), d->cols[i].width,
				     d->cols[i].type == RT_INT);
}

static char *dup_cell(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

void list_add_row(struct list_view *l, const char *id, const char *const *cells)
{
	size_t i;

	if (l->rows == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 64;
		void *a = realloc(l->cells, na * (l->ncols ? l->ncols : 1) * sizeof(*l->cells));

		if (!a)
			return;
		l->cells = a;
		a = realloc(l->ids, na * sizeof(*l->ids));
		if (!a)
			return;
		l->ids = a;
		l->alloc = na;
	}
	for (i = 0; i < l->ncols; i++)
		l->cells[l->rows * l->ncols + i] = dup_cell(cells[i]);
	l->ids[l->rows++] = id ? strdup(id) : NULL;
}

void list_set_source(struct list_view *l, list_row_fn fn, void *arg, size_t n)
{
	l->source = fn;
	l->source_arg = arg;
	l->rows = n;
	if (l->cur >= (int)n)
		l->cur = n ? (int)n - 1 : 0;
}

const char *list_current(const struct list_view *l)
{
	const char *cells[LIST_COLS_MAX];

	if (!l->rows || l->cur < 0 || (size_t)l->cur >= l->rows)
		return NULL;
	if (l->source)
		return l->source(l->source_arg, (size_t)l->cur, cells);
	return l->ids[l->cur];
}

/* Append cell fitted to width columns: romanised first on a terminal
 * without Chinese, cut with "…", padded (on the left for numbers). */
static void fit(struct strbuf *sb, const char *cell, unsigned width, int right)
{
	struct strbuf t = STRBUF_INIT, fitted = STRBUF_INIT;
	size_t w;

	ui_text(&t, cell ? cell : "");
	text_trim(&fitted, t.buf, width, TEXT_ELLIPSIS_CUT);
	w = text_width(fitted.buf);
	if (right)
		for (; w < width; w++)
			strbuf_addch(sb, ' ');
	strbuf_addstr(sb, fitted.buf);
	if (!right)
		for (; w < width; w++)
			strbuf_addch(sb, ' ');
	strbuf_release(&t);
	strbuf_release(&fitted);
}

/* The line of row r (r < 0: the heads) from column hfirst, and whether
 * columns were left out on the right. */
static int line_of(const struct list_view *l, long r, int w, struct strbuf *sb)
{
	const char *from[LIST_COLS_MAX];
	const char *const *cells = NULL;
	size_t c;
	int used = l->hfirst ? 2 : 0;

	if (r >= 0 && l->source) {
		memset(from, 0, sizeof(from));
		l->source(l->source_arg, (size_t)r, from);
		cells = from;
	} else if (r >= 0) {
		cells = (const char *const *)&l->cells[r * l->ncols];
	}
	if (l->hfirst)
		strbuf_addstr(sb, r < 0 ? (ui.ascii ? "< " : "\xe2\x97\x80 ") : "  ");
	for (c = l->hfirst; c < l->ncols; c++) {
		unsigned cw = l->cols[c].width;

		/* A column that does not fit whole is left for scrolling,
		 * unless it is the only one. */
		if (used + (int)cw > w - 2 && c > l->hfirst)
			return 1;
		/* The last column takes the room that is left. */
		if (c + 1 == l->ncols && w - 2 - used > (int)cw)
			cw = (unsigned)(w - 2 - used);
		fit(sb, r < 0 ? l->cols[c].head : cells[c], cw, l->cols[c].right);
		if (c + 1 < l->ncols)
			strbuf_addstr(sb, "  ");
		used += (int)cw + 2;
	}
	return 0;
}

void list_draw(struct list_view *l, int y, int x, int h, int w)
{
	struct strbuf sb = STRBUF_INIT;
	int rows = h - 2, i, more_right;

	if (h < 2 || w < 4)
		return;
	if (rows < 1)
		rows = 1;
	l->page = rows;
	if (l->rows && (size_t)l->cur >= l->rows)
		l->cur = (int)l->rows - 1;
	ui_list_scroll(&l->first, l->cur, rows);
	more_right = line_of(l, -1, w, &sb);
	ui_put(y, x, sb.buf, w - 2, UA_HEADER);
	if (more_right)
		ui_put(y, x + w - 2, ui.ascii ? ">" : "\xe2\x96\xb6", 2, UA_HEADER);
	for (i = 0; i < rows && (size_t)(l->first + i) < l->rows; i++) {
		strbuf_reset(&sb);
		line_of(l, l->first + i, w, &sb);
		ui_put(y + 1 + i, x, sb.buf, w, l->first + i == l->cur ? UA_SELECT : UA_NORMAL);
	}
	if ((size_t)(l->first + rows) < l->rows)
		ui_putf(y + h - 1, x, w, UA_DIM, "%s %s", ui.ascii ? "v" : "\xe2\x96\xbc",
			_("more below"));
	strbuf_release(&sb);
}

int list_key(struct list_view *l, int key)
{
	if (key == KF(KEY_LEFT)) {
		if (l->hfirst > 0)
			l->hfirst--;
		return 1;
	}
	if (key == KF(KEY_RIGHT)) {
		if (l->hfirst + 1 < l->ncols)
			l->hfirst++;
		return 1;
	}
	return ui_list_move(key, &l->cur, l->rows, l->page > 0 ? l->page : 10);
}
