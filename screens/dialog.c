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

static size_t search_filter(const char *q, const struct pinyin_key *keys,
			    const char *const *labels, size_t n, size_t *shown);

/* Choose one (sel NULL) or several (sel[] toggled) of n labels. A digit
 * takes the n-th choice shown (ticks it with sel); typing other characters
 * keeps only the choices that match them (pinyin initials or full pinyin,
 * or part of the label), as in a long list of grades; Backspace takes the
 * last one back. */
static int choose(const char *title, const char *const *labels, size_t n,
		  int current, unsigned char *sel)
{
	int cur = current >= 0 && (size_t)current < n ? current : 0, first = 0, result = -2;
	struct pinyin_key *keys = NULL;
	size_t *shown, nshown = n, j;
	struct lineedit q;

	if (n == 0)
		return -1;
	shown = malloc(n * sizeof(*shown));
	if (!shown)
		return -1;
	for (j = 0; j < n; j++)
		shown[j] = j;
	lineedit_init(&q, PINYIN_QUERY_MAX);
	while (result == -2) {
		int top, left, h, w = 40, rows, i, k, fw = 8, head = lineedit_text(&q)[0] ? 1 : 0;

		for (j = 0; j < n; j++)
			if ((int)text_width(labels[j]) + 12 > w)
				w = (int)text_width(labels[j]) + 12;
		if (w > COLS - 2)
			w = COLS - 2;
		h = (int)n + 2 + head < LINES - 4 ? (int)n + 2 + head : LINES - 4;
		if (h < 3 + head)
			h = 3 + head;
		rows = h - 2 - head;
		if (cur >= (int)nshown)
			cur = nshown ? (int)nshown - 1 : 0;
		ui_list_scroll(&first, cur, rows);
		screen_draw_all();
		draw_box(h, w, &top, &left, title);
		if (head) {
			struct strbuf cnt = STRBUF_INIT;
			int cw;

			strbuf_addf(&cnt, _("%zu of %zu"), nshown, n);
			cw = (int)text_width(cnt.buf);
			ui_put(top + 1, left + 2, _("Find:"), 8, UA_HEADER);
			if (w - 12 - cw - 2 >= 8)
				ui_put(top + 1, left + w - 2 - cw, cnt.buf, cw, UA_DIM);
			fw = w - 12 - cw - 2 >= 8 ? w - 12 - cw - 2 : w - 12;
			strbuf_release(&cnt);
		}
		for (i = 0; i < rows && (size_t)(first + i) < nshown; i++) {
			int at = first + i;
			size_t idx = shown[at];
			char num[12] = "  ";

			/* The first nine shown carry the digit that takes them. */
			if (at < 9)
				snprintf(num, sizeof(num), "%d", at + 1);
			if (sel)
				ui_putf(top + 1 + head + i, left + 1, w - 2, at == cur ? UA_SELECT : UA_NORMAL,
					" %s [%c] %s", num, sel[idx] ? 'x' : ' ', labels[idx]);
			else
				ui_putf(top + 1 + head + i, left + 1, w - 2, at == cur ? UA_SELECT : UA_NORMAL,
					" %s %s", num, labels[idx]);
		}
		if (head) {
			ui_draw_field(&q, top + 1, left + 10, fw, 1);
		} else {
			ui.cur_y = -1;
		}
		screen_place_cursor();
		k = ui_getkey();
		if (k != KF(KEY_HOME) && k != KF(KEY_END) &&
		    ui_list_move(k == '\t' ? KF(KEY_DOWN) : k, &cur, nshown, rows))
			continue;
		switch (k) {
		case ' ':
			if (!nshown)
				break;
			if (sel) {
				sel[shown[cur]] = !sel[shown[cur]];
				break;
			}
			result = (int)shown[cur];
			break;
		case '\n':
		case '\r':
		case KF(KEY_ENTER):
			if (sel)
				result = 1;
			else if (nshown)
				result = (int)shown[cur];
			break;
		case KEY_ESC:
		case KF(KEY_F(10)):
			result = sel ? 0 : -1;
			break;
		case -1:
		case KF(KEY_RESIZE):
			break;
		default:
			if (k >= '1' && k <= '9') {
				if ((size_t)(k - '1') < nshown && k - '1' >= 0) {
					cur = k - '1';
					if (sel)
						sel[shown[cur]] = !sel[shown[cur]];
					else
						result = (int)shown[cur];
				}
				break;
			}
			if ((k > ' ' && k < KEY_BASE) || k == KF(KEY_BACKSPACE) || k == 127 ||
			    k == 8 || k == KF(KEY_DC)) {
				if (!keys) {
					keys = calloc(n, sizeof(*keys));
					if (!keys)
						break;
					for (j = 0; j < n; j++) {
						pinyin_key_init(&keys[j]);
						pinyin_key_set(&keys[j], labels[j]);
					}
				}
				if (ui_edit_key(&q, k)) {
					nshown = search_filter(lineedit_text(&q), keys, labels, n, shown);
					cur = first = 0;
				}
			}
			break;
		}
	}
	for (j = 0; keys && j < n; j++)
		pinyin_key_release(&keys[j]);
	free(keys);
	free(shown);
	lineedit_release(&q);
	return result;
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

/* Key k in a one-line box's field: 1 on Enter (the text into out), 0 on
 * Esc/F10, -1 (edited, or nothing) otherwise. */
static int box_key(struct lineedit *le, int k, char *out, size_t size)
{
	if (IS_ENTER(k)) {
		snprintf(out, size, "%s", lineedit_text(le));
		return 1;
	}
	if (k == KEY_ESC || k == KF(KEY_F(10)))
		return 0;
	if (k >= 0 && k != KF(KEY_RESIZE))
		ui_edit_key(le, k);
	return -1;
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
		int top, left, w = 64, pw = (int)text_width(prompt);

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
		/* Only editing keys; moving in a masked field is pointless
		 * but harmless. */
		result = box_key(&le, ui_getkey(), out, size);
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
		int top, left, w = COLS - 4 < 76 ? COLS - 4 : 76;

		screen_draw_all();
		draw_box(8, w, &top, &left, title);
		ui_put(top + 1, left + 2, prompt, w - 4, UA_NORMAL);
		if (msg && *msg)
			ui_put(top + 4, left + 2, msg, w - 4, UA_ERROR);
		ui_put(top + 6, left + 2, _("Enter: go on   Esc: back"), w - 4, UA_DIM);
		ui_draw_field(&le, top + 2, left + 2, w - 4, 1);
		screen_place_cursor();
		result = box_key(&le, ui_getkey(), out, size);
	}
	lineedit_release(&le);
	return result;
}

/* The value of a Chinese numeral digit, 10 for 十, -1 for none. */
static int numeral_digit(uint32_t c)
{
	static const uint32_t d[] = { 0x3007, 0x4e00, 0x4e8c, 0x4e09, 0x56db, 0x4e94,
				      0x516d, 0x4e03, 0x516b, 0x4e5d, 0x5341 };
	int i;

	if (c == 0x96f6)	/* 零 */
		return 0;
	for (i = 0; i < 11; i++)
		if (d[i] == c)
			return i;
	return -1;
}

/* Chinese numerals as a number: 十 10, 二十三 23, 一〇五 105. */
static unsigned long numeral_value(const uint32_t *cp, size_t n)
{
	unsigned long v = 0, part = 0;
	size_t i;
	int positional = 1;

	for (i = 0; i < n; i++)
		if (numeral_digit(cp[i]) == 10)
			positional = 0;
	for (i = 0; i < n; i++) {
		int d = numeral_digit(cp[i]);

		if (d == 10) {
			v += (part ? part : 1) * 10;
			part = 0;
		} else if (positional) {
			v = v * 10 + (unsigned long)d;
		} else {
			part = (unsigned long)d;
		}
	}
	return v + part;
}

void ui_sort_key(const char *text, int numerals, struct strbuf *out)
{
	struct strbuf plain = STRBUF_INIT, rom = STRBUF_INIT;
	const char *p = text ? text : "";
	size_t i;

	/* Numbers in Chinese numerals as digits (第二网格 before 第三网格),
	 * then the text in pinyin, then digit runs padded so that 2号 comes
	 * before 10号. */
	while (*p) {
		uint32_t run[32], c;
		size_t n = 0, l;
		const char *q = p;

		while (numerals && *q && n < 32) {
			l = text_decode(q, strlen(q), &c);
			if (!l || numeral_digit(c) < 0)
				break;
			run[n++] = c;
			q += l;
		}
		if (n) {
			strbuf_addf(&plain, "%lu", numeral_value(run, n));
			p = q;
			continue;
		}
		l = text_decode(p, strlen(p), &c);
		if (!l)
			l = 1;
		strbuf_add(&plain, p, l);
		p += l;
	}
	if (pinyin_romanise_text(plain.buf ? plain.buf : "", &rom, NULL) != GQ_OK || !rom.buf)
		strbuf_addstr(&rom, plain.buf ? plain.buf : "");
	for (i = 0; rom.buf && rom.buf[i];) {
		if (isdigit((unsigned char)rom.buf[i])) {
			size_t j = i;

			while (isdigit((unsigned char)rom.buf[j]))
				j++;
			if (j - i < 10)
				strbuf_addf(out, "%.*s", (int)(10 - (j - i)), "0000000000");
			strbuf_add(out, rom.buf + i, j - i);
			i = j;
		} else {
			if (rom.buf[i] != ' ')
				strbuf_addch(out, tolower((unsigned char)rom.buf[i]));
			i++;
		}
	}
	strbuf_release(&plain);
	strbuf_release(&rom);
}
