/* dialog.c - the modal dialogs over the screens: confirm, choose one or
 * several, choose from a list that filters as one types, the PIN box. */
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


/* A box in the middle of the screen, w columns wide and h lines high;
 * returns its top line and left column. */
static void draw_box(int h, int w, int *top, int *left, const char *title)
{
	int y, x;

	if (w > COLS)
		w = COLS;
	if (h > LINES)
		h = LINES;
	*top = (LINES - h) / 2;
	*left = (COLS - w) / 2;
	ui_dialog_covers(*top, h);
	for (y = 0; y < h; y++)
		ui_put(*top + y, *left, "", w, UA_NORMAL);
	attrset(ui_attr_of(UA_HEADER));
	for (x = 0; x < w; x++) {
		mvaddch(*top, *left + x, ACS_HLINE);
		mvaddch(*top + h - 1, *left + x, ACS_HLINE);
	}
	for (y = 0; y < h; y++) {
		mvaddch(*top + y, *left, y == 0 ? ACS_ULCORNER : y == h - 1 ? ACS_LLCORNER : ACS_VLINE);
		mvaddch(*top + y, *left + w - 1, y == 0 ? ACS_URCORNER : y == h - 1 ? ACS_LRCORNER : ACS_VLINE);
	}
	attrset(A_NORMAL);
	if (title && w > 6)
		ui_putf(*top, *left + 2, (int)text_width(title) + 2 < w - 4 ? (int)text_width(title) + 2 : w - 4,
			UA_HEADER, " %s ", title);
}

int ui_confirm(const char *question)
{
	for (;;) {
		int top, left, w = (int)text_width(question) + 6, k;

		if (w < 30)
			w = 30;
		screen_draw_all();
		draw_box(5, w, &top, &left, NULL);
		ui_put(top + 1, left + 2, question, w - 4, UA_NORMAL);
		ui_putf(top + 3, left + 2, w - 4, UA_DIM, "%s", _("y: yes   n/Esc: no"));
		ui.cur_y = -1;
		screen_place_cursor();
		k = ui_getkey();
		if (k == 'y' || k == 'Y')
			return 1;
		if (k == 'n' || k == 'N' || k == KEY_ESC || k == KF(KEY_F(10)))
			return 0;
	}
}

static int choose(const char *title, const char *const *labels, size_t n,
		  int current, unsigned char *sel)
{
	int cur = current >= 0 && (size_t)current < n ? current : 0, first = 0;

	if (n == 0)
		return -1;
	for (;;) {
		int top, left, h, w = 40, rows, i, k;
		size_t j;

		for (j = 0; j < n; j++)
			if ((int)text_width(labels[j]) + 10 > w)
				w = (int)text_width(labels[j]) + 10;
		if (w > COLS - 2)
			w = COLS - 2;
		h = (int)n + 2 < LINES - 4 ? (int)n + 2 : LINES - 4;
		if (h < 3)
			h = 3;
		rows = h - 2;
		ui_list_scroll(&first, cur, rows);
		screen_draw_all();
		draw_box(h, w, &top, &left, title);
		for (i = 0; i < rows && (size_t)(first + i) < n; i++) {
			int idx = first + i;

			if (sel)
				ui_putf(top + 1 + i, left + 1, w - 2, idx == cur ? UA_SELECT : UA_NORMAL,
					" [%c] %s", sel[idx] ? 'x' : ' ', labels[idx]);
			else
				ui_putf(top + 1 + i, left + 1, w - 2, idx == cur ? UA_SELECT : UA_NORMAL,
					" %s", labels[idx]);
		}
		ui.cur_y = -1;
		screen_place_cursor();
		k = ui_getkey();
		if (ui_list_move(k == '\t' ? KF(KEY_DOWN) : k, &cur, n, rows))
			continue;
		switch (k) {
		case ' ':
			if (sel) {
				sel[cur] = !sel[cur];
				break;
			}
			return cur;
		case '\n':
		case '\r':
		case KF(KEY_ENTER):
			return sel ? 1 : cur;
		case KEY_ESC:
		case KF(KEY_F(10)):
			return sel ? 0 : -1;
		default:
			if (k >= '1' && k <= '9' && (size_t)(k - '1') < n) {
				cur = k - '1';
				if (!sel)
					return cur;
			}
			break;
		}
	}
}

int ui_choose(const char *title, const char *const *labels, size_t n, int current)
{
	return choose(title, labels, n, current, NULL);
}

int ui_choose_multi(const char *title, const char *const *labels, size_t n,
		    unsigned char *sel)
{
	return choose(title, labels, n, 0, sel);
}

/* Does text contain q, ignoring ASCII case? */
static int contains(const char *text, const char *q)
{
	size_t n = strlen(q), i;

	for (; *text; text++) {
		for (i = 0; i < n && text[i]; i++)
			if (tolower((unsigned char)text[i]) != tolower((unsigned char)q[i]))
				break;
		if (i == n)
			return 1;
	}
	return n == 0;
}

/* The rows of a search list that match the query, matches from the
 * start of the name (pinyin) first; into shown, allocated by the caller
 * for n rows. */
static size_t search_filter(const char *q, const struct pinyin_key *keys,
			    const char *const *labels, size_t n, size_t *shown)
{
	struct pinyin_query pq;
	size_t i, m = 0;
	int pass;

	pinyin_query_set(&pq, q);
	if (!*q) {
		for (i = 0; i < n; i++)
			shown[m++] = i;
		return m;
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			int r = pinyin_query_empty(&pq) ? -1 : pinyin_key_match(&keys[i], &pq);

			if (r < 0 && pass == 1 && contains(labels[i], q))
				shown[m++] = i;
			else if (r >= 0 && (pass == 0) == (r == 0))
				shown[m++] = i;
		}
	return m;
}

int ui_choose_search(const char *title, const char *const *labels,
		     const char *const *names, size_t n, int current)
{
	struct pinyin_key *keys = calloc(n ? n : 1, sizeof(*keys));
	size_t *shown = malloc((n ? n : 1) * sizeof(*shown)), nshown = n, i;
	struct lineedit q;
	int cur = 0, first = 0, result = -2;

	if (!keys || !shown) {
		free(keys);
		free(shown);
		return -1;
	}
	lineedit_init(&q, PINYIN_QUERY_MAX);
	/* The pinyin keys are built once; each key typed only compares. */
	for (i = 0; i < n; i++) {
		pinyin_key_init(&keys[i]);
		pinyin_key_set(&keys[i], names && names[i] ? names[i] : labels[i]);
		shown[i] = i;
		if ((int)i == current)
			cur = (int)i;
	}
	while (result == -2) {
		int top, left, h = LINES - 4, w = 50, rows, k, j;
		struct strbuf cnt = STRBUF_INIT;

		if (w > COLS - 2)
			w = COLS - 2;
		if (h > (int)n + 4)
			h = (int)n + 4;
		if (h < 5)
			h = 5;
		rows = h - 4;
		if (cur >= (int)nshown)
			cur = nshown ? (int)nshown - 1 : 0;
		ui_list_scroll(&first, cur, rows);
		screen_draw_all();
		draw_box(h, w, &top, &left, title);
		ui_put(top + 1, left + 2, _("Find:"), 8, UA_HEADER);
		strbuf_addf(&cnt, _("%zu of %zu"), nshown, n);
		ui_put(top + 2, left + 2, cnt.buf, w - 4, UA_DIM);
		strbuf_release(&cnt);
		for (j = 0; j < rows && (size_t)(first + j) < nshown; j++)
			ui_putf(top + 3 + j, left + 1, w - 2, first + j == cur ? UA_SELECT : UA_NORMAL,
				" %s", labels[shown[first + j]]);
		ui_draw_field(&q, top + 1, left + 10, w - 12, 1);
		screen_place_cursor();
		k = ui_getkey();
		/* Home and End move in the search field, not the list. */
		if (k != KF(KEY_HOME) && k != KF(KEY_END) &&
		    ui_list_move(k == '\t' ? KF(KEY_DOWN) : k, &cur, nshown, rows))
			continue;
		switch (k) {
		case '\n':
		case '\r':
		case KF(KEY_ENTER):
			if (nshown)
				result = (int)shown[cur];
			break;
		case KEY_ESC:
		case KF(KEY_F(10)):
			result = -1;
			break;
		case -1:
		case KF(KEY_RESIZE):
			break;
		default:
			if (ui_edit_key(&q, k)) {
				nshown = search_filter(lineedit_text(&q), keys, labels, n, shown);
				cur = first = 0;
			}
			break;
		}
	}
	for (i = 0; i < n; i++)
		pinyin_key_release(&keys[i]);
	free(keys);
	free(shown);
	lineedit_release(&q);
	return result;
}
/* The PIN box: prompt, masked field and a message (a refusal) under it;
 * esc_label names what Esc does. */
int ui_pin_box(const char *title, const char *prompt, const char *msg,
	       const char *esc_label, char *out, size_t size)
{
	struct lineedit le;
	int result = -1;

	lineedit_init(&le, AUTH_PIN_MAX);
	while (result < 0) {
		int top, left, w = 64, k, pw = (int)text_width(prompt);

		if (msg && (int)text_width(msg) + 4 > w)
			w = (int)text_width(msg) + 4;
		if (w > COLS - 2)
			w = COLS - 2;
		screen_draw_all();
		draw_box(8, w, &top, &left, title);
		ui_put(top + 2, left + 2, prompt, pw < w - 24 ? pw : w - 24, UA_NORMAL);
		if (msg && *msg)
			ui_put(top + 4, left + 2, msg, w - 4, UA_ERROR);
		ui_put(top + 6, left + 2, esc_label, w - 4, UA_DIM);
		ui_draw_masked(&le, top + 2, left + 3 + (pw < w - 24 ? pw : w - 24), 20, 1);
		screen_place_cursor();
		k = ui_getkey();
		if (IS_ENTER(k)) {
			snprintf(out, size, "%s", lineedit_text(&le));
			result = 1;
		} else if (k == KEY_ESC || k == KF(KEY_F(10))) {
			result = 0;
		} else if (k >= 0 && k != KF(KEY_RESIZE)) {
			/* Only editing keys; moving in a masked field is
			 * pointless but harmless. */
			ui_edit_key(&le, k);
		}
	}
	/* Wipe the typed PIN: the field's buffer is freed next. */
	lineedit_set_text(&le, "", NULL);
	lineedit_release(&le);
	return result;
}

int ui_ask_pin(const char *title, const char *prompt, const char *msg, char *out,
	       size_t size)
{
	return ui_pin_box(title, prompt, msg, _("Enter: go on   Esc: back"), out, size);
}


/* A line of text typed in a box: prompt, a field of max_chars, msg (a
 * refusal) under it. 1 with the text in out, 0 on Esc/F10. */
int ui_ask_text(const char *title, const char *prompt, const char *msg, const char *initial,
		size_t max_chars, char *out, size_t size)
{
	struct lineedit le;
	int result = -1;

	lineedit_init(&le, max_chars);
	if (initial)
		lineedit_set_text(&le, initial, NULL);
	while (result < 0) {
		int top, left, w = COLS - 4 < 76 ? COLS - 4 : 76, k;

		screen_draw_all();
		draw_box(8, w, &top, &left, title);
		ui_put(top + 1, left + 2, prompt, w - 4, UA_NORMAL);
		if (msg && *msg)
			ui_put(top + 4, left + 2, msg, w - 4, UA_ERROR);
		ui_put(top + 6, left + 2, _("Enter: go on   Esc: back"), w - 4, UA_DIM);
		ui_draw_field(&le, top + 2, left + 2, w - 4, 1);
		screen_place_cursor();
		k = ui_getkey();
		if (IS_ENTER(k)) {
			snprintf(out, size, "%s", lineedit_text(&le));
			result = 1;
		} else if (k == KEY_ESC || k == KF(KEY_F(10))) {
			result = 0;
		} else if (k >= 0 && k != KF(KEY_RESIZE)) {
			ui_edit_key(&le, k);
		}
	}
	lineedit_release(&le);
	return result;
}
