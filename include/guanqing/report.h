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

enum report_type { RT_TEXT, RT_INT, RT_DATE, RT_ID };

struct report_col {
	const char *name;	/* code: CSV and JSON heads, --codes */
	const char *label;	/* English, translated with _() */
	enum report_type type;	/* RT_ID: a record id, the first column */
	unsigned width;		/* columns a screen gives it */
};

/* The parameters of a run; every member may be NULL (or -1). */
struct report_args {
	const char *today;	/* YYYY-MM-DD; NULL: the clock's today */
	long within;		/* days ahead (followups); -1: the report's default */
	const char *grid;	/* a grid's id, id prefix or name */
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
};

extern const struct report_def *const reports_all[];
extern const size_t reports_count;

/* The report called id, or NULL. */
const struct report_def *report_find(const char *id);

/* Run d with a over db, handing each row to fn. */
enum gq_status report_run(struct gq_db *db, const struct report_def *d,
			  const struct report_args *a, report_row_fn fn, void *arg,
			  struct gq_err *err);

#endif
