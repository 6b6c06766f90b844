/* report.h - reports as data plus one runner. A report is a struct
 * report_def (like a table_def): its id, title, columns, the parameters it
 * takes and the action its reader needs; report_run() hands its rows to a
 * callback, cell by cell as text in the stored spelling (dates YYYY-MM-DD,
 * whole numbers in digits), so that the screens, the table, CSV and the
 * other formats only format them.
 */
#ifndef GUANQING_REPORT_H
#define GUANQING_REPORT_H

#include <stddef.h>

#include "guanqing/auth.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/tables.h"

/* RT_NUM: a decimal (a share in per cent, an average, an amount);
 * RT_DIV: a division code, the row's id for drilling down town ->
 * village. */
enum report_type { RT_TEXT, RT_INT, RT_DATE, RT_ID, RT_NUM, RT_DIV };

/* The levels of a report by place (RF_PLACES). */
enum report_level { RL_TOWNS, RL_VILLAGES };

struct report_col {
	const char *name;	/* code: CSV and JSON heads, --codes */
	const char *label;	/* English, translated with _() */
	enum report_type type;	/* RT_ID: a record id, the first column */
	unsigned width;		/* columns a screen gives it */
	const struct choice *choices;	/* cells are codes of these, or NULL */
};

/* A cell for people: the label of its code when col has choices. */
const char *report_cell_text(const struct report_col *col, const char *cell);

/* The parameters of a run; every member may be NULL (or -1). */
struct report_args {
	const char *today;	/* YYYY-MM-DD; NULL: the clock's today */
	long within;		/* days ahead (followups); -1: the report's default */
	const char *grid;	/* a grid's id, id prefix or name */
	const char *town;	/* a town's code or name; NULL: the county */
	const char *from, *to;	/* the period, YYYY-MM-DD; NULL: the year to today */
	enum report_level level;	/* towns (with the county's total) or villages */
};

/* One row: ncols cells, NULL for an empty one; valid until the callback
 * returns. Return 0 to go on. */
typedef int (*report_row_fn)(void *arg, const char *const *cells);

struct report_def {
	const char *id;		/* "followups" */
	const char *title;	/* English, translated with _() */
	const char *help;	/* one sentence, English, translated */
	const struct report_col *cols;
	size_t ncols;
	const char *const *params;	/* the options it takes, NULL-terminated */
	enum auth_action action;	/* what its reader must be allowed */
	enum gq_status (*run)(struct gq_db *db, const struct report_def *d,
			      const struct report_args *a, report_row_fn fn, void *arg,
			      struct gq_err *err);
	unsigned flags;		/* RF_ */
	const char *bar;	/* the column charted on the screen, or NULL */
};

/* The report counts by place: one row per town and a total for the
 * county (RL_TOWNS), or one per village of a town (RL_VILLAGES); its
 * first column is RT_DIV. */
#define RF_PLACES 1u

extern const struct report_def *const reports_all[];
extern const size_t reports_count;

/* The report called id, or NULL. */
const struct report_def *report_find(const char *id);

/* Run d with a over db, handing each row to fn. */
enum gq_status report_run(struct gq_db *db, const struct report_def *d,
			  const struct report_args *a, report_row_fn fn, void *arg,
			  struct gq_err *err);

/* The period of a: from and to filled in (the year of to up to to when
 * from is missing); an error for a bad date or from after to. */
enum gq_status report_period(const struct report_args *a, char from[16], char to[16],
			     struct gq_err *err);

/* A share in per cent of part in whole, one decimal, into buf ("" when
 * whole is 0). */
void report_share(char *buf, size_t size, double part, double whole);

/* The sites still needed to reach target per cent of n places when
 * covered have one: ceil(target * n / 100) - covered, at least 0. */
long report_sites_needed(long n, long covered, int target);

/* A bar of width columns for value out of max: block characters with
 * eighths, or '#' when ascii. */
void report_bar(char *buf, size_t size, double value, double max, int width, int ascii);

/* The town called code or name (a 9-digit code, or its name as in the
 * division table, 双椿铺镇) into code (16 bytes). */
enum gq_status report_find_town(struct gq_db *db, const char *town, char *code,
				struct gq_err *err);

/* The county's name (商城县) from the division table, or "". */
void report_county_name(struct gq_db *db, char *buf, size_t size);

#endif
