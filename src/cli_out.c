/* cli_out.c - the command line's output: a table lined up by display
 * width, CSV or JSON. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "guanqing/cli_out.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"
#include "guanqing/xalloc.h"

int out_parse_format(const char *v, enum fmt *f)
{
	*f = FMT_TABLE;
	if (!v || !strcmp(v, "table"))
		return 0;
	if (!strcmp(v, "csv")) {
		*f = FMT_CSV;
		return 0;
	}
	if (!strcmp(v, "json")) {
		*f = FMT_JSON;
		return 0;
	}
	if (!strcmp(v, "xlsx")) {
		*f = FMT_XLSX;
		return 0;
	}
	return -1;
}

void tout_add_row(struct table_out *t, char **cells)
{
	int i;

	if (t->rows == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 64;
		t->cells = xreallocarray(t->cells, t->alloc * t->ncols,
					 sizeof(char *));
	}
	for (i = 0; i < t->ncols; i++) {
		size_t w = text_width(cells[i] ? cells[i] : "");

		t->cells[t->rows * t->ncols + i] = xstrdup(cells[i]);
		if (w > t->width[i])
			t->width[i] = w > 40 ? 40 : w;
	}
	t->rows++;
}

/* A CSV cell; an ID or phone number as ="..." so that Excel keeps its
 * digits (no 4.11524E+17), unless the table is raw. */
static void csv_cell(struct strbuf *sb, const struct table_out *t, int i, const char *c)
{
	struct strbuf q = STRBUF_INIT;

	if (!c || !*c || t->raw || t->kind[i] != OUT_CODE) {
		strbuf_add_csv_field(sb, c ? c : "");
		return;
	}
	strbuf_addstr(&q, "=\"");
	strbuf_addstr(&q, c);
	strbuf_addch(&q, '"');
	strbuf_add_csv_field(sb, q.buf);
	strbuf_release(&q);
}

void tout_print(struct table_out *t, enum fmt f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t r;
	int i;

	if (f == FMT_XLSX) {
		struct xlsx_out *x = isatty(STDOUT_FILENO) ? NULL : xout_begin();

		if (isatty(STDOUT_FILENO))
			fprintf(stderr, "guanqing: %s\n",
				_("an xlsx workbook is not for the terminal: give --out FILE.xlsx or redirect the output."));
		if (!x) {
			tout_release(t);
			return;
		}
		xout_sheet(x, "Sheet1", t);
		xout_end(x);
		return;
	}
	if (f == FMT_TEXT) {
		tout_print_pages(t, NULL, 0, 0);
		return;
	}
	if (f == FMT_JSON)
		strbuf_addch(&sb, '[');
	/* Excel and WPS read a CSV as UTF-8 only after a byte-order mark;
	 * a raw one (--codes) is for programs and stays as it was. */
	if (f == FMT_CSV && !t->raw)
		strbuf_addstr(&sb, "\xEF\xBB\xBF");
	for (i = 0; i < t->ncols; i++) {
		size_t w = text_width(t->head[i]);

		if (w > t->width[i])
			t->width[i] = w;
	}
	if (f != FMT_JSON) {
		for (i = 0; i < t->ncols; i++) {
			if (f == FMT_CSV) {
				if (i)
					strbuf_addch(&sb, ',');
				strbuf_add_csv_field(&sb, t->head[i]);
			} else {
				text_pad(&sb, t->head[i], t->width[i], 0);
				if (i + 1 < t->ncols)
					strbuf_addstr(&sb, "  ");
			}
		}
		while (f == FMT_TABLE && sb.len && sb.buf[sb.len - 1] == ' ')
			strbuf_setlen(&sb, sb.len - 1);
		strbuf_addch(&sb, '\n');
	}
	for (r = 0; r < t->rows; r++) {
		if (f == FMT_JSON)
			strbuf_addstr(&sb, r ? ",\n {" : "\n {");
		for (i = 0; i < t->ncols; i++) {
			const char *c = t->cells[r * t->ncols + i];

			if (f == FMT_JSON) {
				if (i)
					strbuf_addstr(&sb, ", ");
				strbuf_add_json_str(&sb, t->head[i]);
				strbuf_addstr(&sb, ": ");
				if (c)
					strbuf_add_json_str(&sb, c);
				else
					strbuf_addstr(&sb, "null");
			} else if (f == FMT_CSV) {
				if (i)
					strbuf_addch(&sb, ',');
				csv_cell(&sb, t, i, c);
			} else {
				text_pad(&sb, c ? c : "", t->width[i], TEXT_ELLIPSIS_CUT);
				if (i + 1 < t->ncols)
					strbuf_addstr(&sb, "  ");
			}
		}
		if (f == FMT_JSON) {
			strbuf_addch(&sb, '}');
		} else {
			while (f == FMT_TABLE && sb.len && sb.buf[sb.len - 1] == ' ')
				strbuf_setlen(&sb, sb.len - 1);
			strbuf_addch(&sb, '\n');
		}
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_reset(&sb);
	}
	if (f == FMT_JSON)
		strbuf_addstr(&sb, t->rows ? "\n]\n" : "]\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	tout_release(t);
}

void tout_release(struct table_out *t)
{
	size_t r;

	for (r = 0; r < t->rows * (size_t)t->ncols; r++)
		free(t->cells[r]);
	free(t->cells);
	t->cells = NULL;
	t->rows = t->alloc = 0;
}


/* ---- xlsx ---- */

struct xlsx_out {
	lxw_workbook *wb;
	lxw_format *head, *text, *date, *num;
	char path[4096];
	int sheets;
	int failed;
};

struct xlsx_out *xout_begin(void)
{
	struct xlsx_out *x = xcalloc(1, sizeof(*x));
	const char *dir = getenv("TMPDIR");
	lxw_workbook_options opt;
	int fd;

	snprintf(x->path, sizeof(x->path), "%s/guanqing-xlsx.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(x->path);
	if (fd < 0) {
		fprintf(stderr, _("guanqing: cannot make a temporary file in %s for the xlsx workbook: %s.\n"),
			dir && *dir ? dir : "/tmp", strerror(errno));
		free(x);
		return NULL;
	}
	close(fd);
	memset(&opt, 0, sizeof(opt));
	opt.tmpdir = dir && *dir ? (char *)dir : NULL;
	x->wb = workbook_new_opt(x->path, &opt);
	if (!x->wb) {
		fprintf(stderr, _("guanqing: cannot begin the xlsx workbook %s.\n"), x->path);
		unlink(x->path);
		free(x);
		return NULL;
	}
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	x->text = workbook_add_format(x->wb);
	format_set_num_format(x->text, "@");
	x->date = workbook_add_format(x->wb);
	format_set_num_format(x->date, "yyyy-mm-dd");
	x->num = workbook_add_format(x->wb);
	return x;
}

/* A sheet's name: at most 31 characters, none of []:*?/\ . */
static void sheet_name(const char *name, char *out, size_t size)
{
	size_t n = 0, chars = 0;
	const unsigned char *p = (const unsigned char *)name;

	while (*p && chars < 31 && n + 5 < size) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		if (len == 1 && strchr("[]:*?/\\", *p)) {
			out[n++] = '-';
			p++;
		} else {
			while (len-- && *p)
				out[n++] = (char)*p++;
		}
		chars++;
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, size, "Sheet");
}

void xout_sheet(struct xlsx_out *x, const char *name, struct table_out *t)
{
	lxw_worksheet *ws;
	char nm[160];
	size_t r;
	int i;

	sheet_name(name, nm, sizeof(nm));
	ws = workbook_add_worksheet(x->wb, nm);
	if (!ws) {
		x->failed = 1;
		tout_release(t);
		return;
	}
	x->sheets++;
	for (i = 0; i < t->ncols; i++) {
		size_t w = text_width(t->head[i]);
		size_t mw = w;

		for (r = 0; r < t->rows; r++) {
			const char *c = t->cells[r * t->ncols + i];
			size_t cw = c ? text_width(c) : 0;

			if (cw > mw)
				mw = cw;
		}
		if (t->kind[i] == OUT_DATE && mw < 10)
			mw = 10;
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, (double)(mw > 60 ? 60 : mw) + 2,
				     t->kind[i] == OUT_CODE ? x->text : NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)i, t->head[i], x->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (r = 0; r < t->rows; r++) {
		for (i = 0; i < t->ncols; i++) {
			const char *c = t->cells[r * t->ncols + i];
			lxw_row_t row = (lxw_row_t)(r + 1);
			lxw_col_t col = (lxw_col_t)i;
			char *end;

			if (!c || !*c)
				continue;
			if (t->kind[i] == OUT_NUM) {
				double v = strtod(c, &end);

				if (*end == '\0') {
					worksheet_write_number(ws, row, col, v, x->num);
					continue;
				}
			} else if (t->kind[i] == OUT_DATE && strlen(c) >= 10 && c[4] == '-' && c[7] == '-') {
				lxw_datetime d;

				memset(&d, 0, sizeof(d));
				d.year = atoi(c);
				d.month = atoi(c + 5);
				d.day = atoi(c + 8);
				if (d.year > 1900 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31) {
					worksheet_write_datetime(ws, row, col, &d, x->date);
					continue;
				}
			}
			worksheet_write_string(ws, row, col, c, t->kind[i] == OUT_CODE ? x->text : NULL);
		}
	}
	tout_release(t);
}

int xout_end(struct xlsx_out *x)
{
	lxw_error e;
	FILE *in;
	char buf[65536];
	size_t n;
	int status = 0;

	if (!x->sheets)
		workbook_add_worksheet(x->wb, NULL);
	e = workbook_close(x->wb);
	if (e != LXW_NO_ERROR || x->failed) {
		fprintf(stderr, _("guanqing: writing the xlsx workbook failed: %s.\n"), lxw_strerror(e));
		status = 1;
	}
	in = status ? NULL : fopen(x->path, "rb");
	if (!status && !in) {
		fprintf(stderr, _("guanqing: cannot read %s: %s.\n"), x->path, strerror(errno));
		status = 1;
	}
	while (in && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, stdout) != n) {
			status = 1;
			break;
		}
	if (in)
		fclose(in);
	unlink(x->path);
	free(x);
	return status;
}

/* ---- a printable page ---- */

void tout_print_pages(struct table_out *t, const char *const *top, size_t ntop,
		      int page_lines)
{
	struct strbuf head = STRBUF_INIT, line = STRBUF_INIT;
	int used = 0, page = 1;
	size_t r, k;
	int i;

	if (page_lines <= 0)
		page_lines = 60;
	for (i = 0; i < t->ncols; i++) {
		size_t w = text_width(t->head[i]);

		if (w > t->width[i])
			t->width[i] = w;
		text_pad(&head, t->head[i], t->width[i], 0);
		if (i + 1 < t->ncols)
			strbuf_addstr(&head, "  ");
	}
	while (head.len && head.buf[head.len - 1] == ' ')
		strbuf_setlen(&head, head.len - 1);
	for (r = 0; r <= t->rows; r++) {
		if (used == 0) {
			for (k = 0; k < ntop; k++)
				printf("%s\n", top[k]);
			printf("\n%s\n", head.buf);
			for (k = 0; k < text_width(head.buf); k++)
				putchar('-');
			putchar('\n');
			used = (int)ntop + 3;
		}
		if (r == t->rows)
			break;
		strbuf_reset(&line);
		for (i = 0; i < t->ncols; i++) {
			const char *c = t->cells[r * t->ncols + i];

			text_pad(&line, c ? c : "", t->width[i], TEXT_ELLIPSIS_CUT);
			if (i + 1 < t->ncols)
				strbuf_addstr(&line, "  ");
		}
		while (line.len && line.buf[line.len - 1] == ' ')
			strbuf_setlen(&line, line.len - 1);
		printf("%s\n", line.buf);
		if (++used >= page_lines - 2 && r + 1 < t->rows) {
			printf("\n");
			printf(_("Page %d"), page++);
			printf("\n\f");
			used = 0;
		}
	}
	printf("\n");
	printf(_("Page %d, the last"), page);
	printf("\n");
	strbuf_release(&head);
	strbuf_release(&line);
	tout_release(t);
}
