/* draw.c - the drawing helpers every screen uses: text put at a place
 * and fitted to columns, colours, the status line, fields, list moves. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "guanqing/draw.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/pinyin.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"


int ui_lines(void)
{
	/* A key bar of two lines takes one from the screen. */
	return LINES - (ui_keybar_lines() - 1);
}

int ui_cols(void)
{
	return COLS;
}

attr_t ui_attr_of(enum ui_attr a)
{
	switch (a) {
	case UA_TITLE:
		return ui.colour ? COLOR_PAIR(1) | A_BOLD : A_REVERSE | A_BOLD;
	case UA_BAR_KEY:
		return ui.colour ? COLOR_PAIR(2) : A_NORMAL;
	case UA_BAR_TEXT:
		return ui.colour ? COLOR_PAIR(1) : A_REVERSE;
	case UA_SELECT:
		return ui.colour ? COLOR_PAIR(3) : A_REVERSE;
	case UA_ERROR:
		return ui.colour ? COLOR_PAIR(4) | A_BOLD : A_BOLD;
	case UA_DIM:
		return A_DIM;
	case UA_FIELD:
		return A_UNDERLINE;
	case UA_HIGH:
		return ui.colour ? COLOR_PAIR(4) | A_BOLD : A_BOLD | A_UNDERLINE;
	case UA_HEADER:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

/* In ascii mode Chinese is written in pinyin (addresses word by word),
 * full-width punctuation as ASCII; what is left without a reading
 * becomes '?'. */
void ui_text(struct strbuf *out, const char *text)
{
	struct strbuf rom = STRBUF_INIT;
	size_t i;

	if (!ui.ascii) {
		strbuf_addstr(out, text ? text : "");
		return;
	}
	pinyin_romanise_text(text ? text : "", &rom, NULL);
	for (i = 0; i < rom.len; i++)
		strbuf_addch(out, (unsigned char)rom.buf[i] >= 0x20 && (unsigned char)rom.buf[i] < 0x7f
				  ? rom.buf[i] : '?');
	strbuf_release(&rom);
}

/* Form titles by id, loaded once: the lists show "留守儿童、困境儿童
 * 走访记录" rather than "child_visit". */
#define FORM_TITLES_MAX 32
static struct {
	char id[64];
	char *title;
} form_titles[FORM_TITLES_MAX];
static int nform_titles;

const char *ui_form_title(const char *id)
{
	struct form *f = NULL;
	int i;

	if (!id || !*id)
		return "";
	for (i = 0; i < nform_titles; i++)
		if (!strcmp(form_titles[i].id, id))
			return form_titles[i].title ? form_titles[i].title : id;
	if (nform_titles == FORM_TITLES_MAX || strlen(id) >= sizeof(form_titles[0].id))
		return id;
	snprintf(form_titles[nform_titles].id, sizeof(form_titles[0].id), "%s", id);
	if (formdb_find(ui.db, id, &f, NULL) == GQ_OK && form_title(f, ui.english))
		form_titles[nform_titles].title = strdup(form_title(f, ui.english));
	form_free(&f);
	return form_titles[nform_titles].title ? form_titles[nform_titles++].title : form_titles[nform_titles++].id;
}

void ui_put(int y, int x, const char *text, int cols, enum ui_attr a)
{
	struct strbuf t = STRBUF_INIT, sb = STRBUF_INIT;

	if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + cols > COLS)
		cols = COLS - x;
	ui_text(&t, text);
	text_pad(&sb, t.buf, (size_t)cols, TEXT_ELLIPSIS_CUT);
	attrset(ui_attr_of(a));
	mvaddstr(y, x, sb.buf);
	attrset(A_NORMAL);
	strbuf_release(&t);
	strbuf_release(&sb);
}

void ui_putf(int y, int x, int cols, enum ui_attr a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ui_put(y, x, sb.buf, cols, a);
	strbuf_release(&sb);
}

void ui_msg(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui.status, sizeof(ui.status), fmt, ap);
	va_end(ap);
	/* vsnprintf may cut inside a character: drop a broken tail. */
	while (!text_valid(ui.status, strlen(ui.status)))
		ui.status[strlen(ui.status) - 1] = '\0';
	ui.status_err = err;
}


int ui_edit_key(struct lineedit *le, int key)
{
	struct gq_err e;

	gq_err_clear(&e);
	switch (key) {
	case KF(KEY_LEFT):
		lineedit_left(le);
		return 1;
	case KF(KEY_RIGHT):
		lineedit_right(le);
		return 1;
	case KF(KEY_HOME):
	case 1:
		lineedit_home(le);
		return 1;
	case KF(KEY_END):
	case 5:
		lineedit_end(le);
		return 1;
	case KF(KEY_BACKSPACE):
	case 127:
	case 8:
		if (!lineedit_backspace(le))
			beep();
		return 1;
	case KF(KEY_DC):
	case 4:
		lineedit_delete(le);
		return 1;
	case 11:
		lineedit_kill_end(le);
		return 1;
	case 21:
		lineedit_kill_start(le);
		return 1;
	default:
		if (key >= 0x20 && key < KEY_BASE && key != 0x7f) {
			if (lineedit_insert(le, (uint32_t)key, &e) != GQ_OK)
				ui_msg(1, "%s", e.msg);
			return 1;
		}
		return 0;
	}
}

void ui_draw_field(struct lineedit *le, int y, int x, int cols, int focus)
{
	struct strbuf sb = STRBUF_INIT;
	struct lineedit_view v;

	if (cols <= 1 || y < 0 || y >= LINES)
		return;
	if (ui.ascii) {
		/* Romanised text has other widths: the cursor goes after the
		 * romanised characters before it, and the text scrolls so the
		 * cursor stays in the field (all ASCII: a byte is a column). */
		const char *text = lineedit_text(le), *p = text;
		struct strbuf t = STRBUF_INIT, pre = STRBUF_INIT, head = STRBUF_INIT;
		size_t i, w, skip = 0;

		for (i = 0; *p && i < lineedit_cursor(le); i++)
			do
				p++;
			while (((unsigned char)*p & 0xc0) == 0x80);
		strbuf_add(&head, text, (size_t)(p - text));
		ui_text(&t, text);
		ui_text(&pre, head.buf);
		w = pre.len;
		if (w >= (size_t)cols)
			skip = w - (size_t)cols + 1;
		ui_put(y, x, skip < t.len ? t.buf + skip : "", cols, focus ? UA_FIELD : UA_NORMAL);
		if (focus) {
			ui.cur_y = y;
			ui.cur_x = x + (int)(w - skip);
		}
		strbuf_release(&t);
		strbuf_release(&pre);
		strbuf_release(&head);
		return;
	}
	lineedit_render(le, (size_t)cols, &sb, &v);
	attrset(ui_attr_of(focus ? UA_FIELD : UA_NORMAL));
	mvaddstr(y, x, sb.buf);
	attrset(A_NORMAL);
	if (focus) {
		ui.cur_y = y;
		ui.cur_x = x + (int)v.cursor_col;
	}
	strbuf_release(&sb);
}

void ui_draw_masked(struct lineedit *le, int y, int x, int cols, int focus)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = lineedit_length(le);

	if (cols <= 1)
		return;
	for (i = 0; i < n && i + 1 < (size_t)cols; i++)
		strbuf_addch(&sb, '*');
	ui_put(y, x, sb.buf, cols, focus ? UA_FIELD : UA_NORMAL);
	if (focus) {
		ui.cur_y = y;
		ui.cur_x = x + (int)sb.len;
	}
	strbuf_release(&sb);
}


void ui_list_scroll(int *first, int cur, int rows)
{
	if (cur < *first)
		*first = cur;
	if (rows > 0 && cur >= *first + rows)
		*first = cur - rows + 1;
	if (*first < 0)
		*first = 0;
}

int ui_list_move(int key, int *cur, size_t n, int rows)
{
	int last = n ? (int)n - 1 : 0;

	if (rows < 1)
		rows = 1;
	switch (key) {
	case KF(KEY_UP):
		if (*cur > 0)
			(*cur)--;
		return 1;
	case KF(KEY_DOWN):
		if (*cur < last)
			(*cur)++;
		return 1;
	case KF(KEY_PPAGE):
		*cur = *cur > rows ? *cur - rows : 0;
		return 1;
	case KF(KEY_NPAGE):
		*cur = *cur + rows < last ? *cur + rows : last;
		return 1;
	case KF(KEY_HOME):
		*cur = 0;
		return 1;
	case KF(KEY_END):
		*cur = last;
		return 1;
	default:
		return 0;
	}
}
