/* cli_out.h - the command line's output of rows: a table lined up by
 * display width (CJK counts two columns), CSV (UTF-8 with a byte-order
 * mark, for Excel and WPS), JSON, an xlsx workbook or a printable page. The command
 * families (records, reports, sync, county) all print through it. */
#ifndef GUANQING_CLI_OUT_H
#define GUANQING_CLI_OUT_H

#include <stddef.h>

enum fmt { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_XLSX, FMT_TEXT };

/* What a column holds, for CSV and xlsx: OUT_TEXT (the default), a number
 * (written as a number in xlsx), a date (YYYY-MM-DD; a date in xlsx), or
 * a code that must stay text (an ID or phone number: text in xlsx, and in
 * CSV ="..." unless the table is raw). */
enum out_kind { OUT_TEXT, OUT_NUM, OUT_DATE, OUT_CODE };

/* "table" (or NULL), "csv", "json" or "xlsx" into *f; 0, or -1 for
 * anything else. */
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
	unsigned char kind[24];	/* enum out_kind per column */
	int raw;		/* --codes: CSV cells exactly as stored */
};

/* Append a row of t->ncols cells (NULL for an empty cell). */
void tout_add_row(struct table_out *t, char **cells);
/* Print t to standard output in format f and free its rows. */
void tout_print(struct table_out *t, enum fmt f);
/* An xlsx workbook written to standard output when it ends (through a
 * temporary file of mode 0600). */
struct xlsx_out;
/* Begin one; NULL after a message on stderr. */
struct xlsx_out *xout_begin(void);
/* Add t as a sheet called name (cut to 31 characters): a bold header row
 * frozen at the top, widths that fit its Chinese, numbers as numbers,
 * dates as dates, codes as text. t's rows are freed. */
void xout_sheet(struct xlsx_out *x, const char *name, struct table_out *t);
/* Write the workbook out and free x; 0, or 1 after a message. */
int xout_end(struct xlsx_out *x);

/* t as a printable page for lp: each page starts with the lines of top
 * (title, place, period, time made) and the head; pages of page_lines
 * lines end in a form feed and a page number. t's rows are freed. */
void tout_print_pages(struct table_out *t, const char *const *top, size_t ntop,
		      int page_lines);

/* Free t's rows without printing them. */
void tout_release(struct table_out *t);

#endif
