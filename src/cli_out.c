/* cli_out.c - the command line's output: a table lined up by display
 * width, CSV or JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/cli_out.h"
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

void tout_print(struct table_out *t, enum fmt f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t r;
	int i;

	if (f == FMT_JSON)
		strbuf_addch(&sb, '[');
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
				strbuf_add_csv_field(&sb, c ? c : "");
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

