/* cli_out.h - the command line's output of rows: a table lined up by
 * display width (CJK counts two columns), CSV or JSON. The command
 * families (records, reports, sync, county) all print through it. */
#ifndef GUANQING_CLI_OUT_H
#define GUANQING_CLI_OUT_H

#include <stddef.h>

enum fmt { FMT_TABLE, FMT_CSV, FMT_JSON };

/* "table" (or NULL), "csv" or "json" into *f; 0, or -1 for anything else. */
int out_parse_format(const char *v, enum fmt *f);

/* A table: set ncols and head[] (strings that outlive the table), add
 * rows, print once. Cells are copied; the table owns its copies until
 * tout_print() frees them. */
struct table_out {
	int ncols;
	const char *head[24];
	size_t width[24];
	char **cells;		/* rows * ncols */
	size_t rows, alloc;
};

/* Append a row of t->ncols cells (NULL for an empty cell). */
void tout_add_row(struct table_out *t, char **cells);
/* Print t to standard output in format f and free its rows. */
void tout_print(struct table_out *t, enum fmt f);
/* Free t's rows without printing them. */
void tout_release(struct table_out *t);

#endif
