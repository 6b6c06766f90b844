/* list.h - the one list widget of the screens: columns with heads, rows
 * of text cells, a cursor and scrolling both ways, and a sign when rows or
 * columns continue off the screen. A screen supplies the columns (from a
 * table's fields or a report's columns) and the rows; the widget draws
 * and moves. Cells are shown as given: the caller renders stored values
 * with field_display() first. Chinese counts two columns per character,
 * and on a terminal without Chinese each cell is romanised before it is
 * fitted, so columns stay lined up.
 */
#ifndef GUANQING_LIST_H
#define GUANQING_LIST_H

#include <stddef.h>

#include "guanqing/report.h"
#include "guanqing/tables.h"

#define LIST_COLS_MAX 16

struct list_col {
	const char *head;	/* translated, owned by the caller */
	unsigned width;		/* display columns */
	int right;		/* numbers: aligned to the right */
};

/* A source of rows kept by the screen (a long list filtered as one types):
 * fill cells[0 .. ncols-1] for row r (strings that live until the next
 * call), and return the row's id or NULL. Only the rows shown are asked. */
typedef const char *(*list_row_fn)(void *arg, size_t r, const char **cells);

/* Owns its cells and ids. */
struct list_view {
	struct list_col cols[LIST_COLS_MAX];
	size_t ncols;
	char **cells;		/* rows * ncols, NULL for empty */
	char **ids;		/* one per row, may be NULL */
	size_t rows, alloc;
	int cur, first;		/* cursor row, first row shown */
	size_t hfirst;		/* first column shown */
	int page;		/* rows shown at the last draw */
	list_row_fn source;	/* rows from the screen instead of cells */
	void *source_arg;
};

void list_init(struct list_view *l);
/* Free rows and ids (columns stay). */
void list_clear(struct list_view *l);
/* Free everything; l can be initialised again. */
void list_release(struct list_view *l);

/* Add a column. */
void list_add_col(struct list_view *l, const char *head, unsigned width, int right);
/* Columns for the comma list of fields of t: heads are their labels,
 * widths by their type (a date 10, a number 6, a name 12, ...). */
void list_cols_fields(struct list_view *l, const struct table_def *t, const char *fields);
/* Columns for a report's columns, except the id column (kept as the row
 * id instead). */
void list_cols_report(struct list_view *l, const struct report_def *d);

/* Append a row: id (copied, may be NULL) and l->ncols cells (copied). */
void list_add_row(struct list_view *l, const char *id, const char *const *cells);

/* Take rows from fn instead of stored cells: n rows now (call again when
 * the screen's rows change). */
void list_set_source(struct list_view *l, list_row_fn fn, void *arg, size_t n);

/* The id of the row under the cursor, or NULL when there is none. */
const char *list_current(const struct list_view *l);

/* Draw at y, x in h lines and w columns: the head line, then the rows; the
 * last line says "▼ more" when rows continue below and the head ends in
 * "▶" when columns continue to the right ("◀" on the left). */
void list_draw(struct list_view *l, int y, int x, int h, int w);

/* Handle a moving key: Up, Down, PgUp, PgDn, Home, End, Left, Right (by a
 * column). 1 when the key was used. */
int list_key(struct list_view *l, int key);

#endif
