/* cli_export.h - the record lists as exports for Excel and WPS
 * (NOUN list --format csv|xlsx, src/cli_export.c): heads and values in
 * the user's language, persons by name, the person's village, household,
 * grid, categories and address added after the list's columns, ID and
 * phone numbers kept as text, dates as dates; --codes keeps the stored
 * spelling and the list's columns exactly as before, --mask-id masks the
 * ID numbers (an export a grid worker may make). The record id is always
 * the first column.
 */
#ifndef GUANQING_CLI_EXPORT_H
#define GUANQING_CLI_EXPORT_H

#include "guanqing/cli_util.h"
#include "guanqing/record.h"
#include "guanqing/tables.h"

struct list_export;

/* For a CSV, xlsx or JSON (always as --codes) list of t with columns cols[0..ncols) (after the id),
 * set out's heads and kinds and return the export in *x; *x is NULL for
 * the other formats (nothing changes). Returns 0, or the exit status
 * after a message. */
int list_export_begin(struct gq_db *db, const struct table_def *t, const struct opts *o,
		      enum fmt f, struct table_out *out, const struct field_def *const *cols,
		      int ncols, struct list_export **x);
/* Add the row of r to the export's table. Returns 0. */
int list_export_row(struct list_export *x, const struct record *r);
/* Free x (not its table). */
void list_export_end(struct list_export *x);

#endif
