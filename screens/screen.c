/* screen.c - the screen stack, key bar, help, status line, dialogs and
 * the drawing helpers every screen uses. */
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

#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/pinyin.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"
#include "guanqing/xalloc.h"

struct ui_state ui;

static int screen_depth;

int ui_lines(void)
{
	return LINES;
}

int ui_cols(void)
{
	return COLS;
}

static attr_t attr_of(enum ui_attr a)
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

/* In ascii mode every run of non-ASCII characters is written in pinyin;
 * characters without a reading become '?'. */
void ui_text(struct strbuf *out, const char *text)
{
	const char *p = text ? text : "";

	if (!ui.ascii) {
		strbuf_addstr(out, p);
		return;
	}
	while (*p) {
		if ((unsigned char)*p < 0x80) {
			strbuf_addch(out, *p >= 0x20 && *p < 0x7f ? *p : '?');
			p++;
		} else {
			struct strbuf run = STRBUF_INIT, rom = STRBUF_INIT;
			size_t i;

			while (*p && (unsigned char)*p >= 0x80)
				strbuf_addch(&run, *p++);
			pinyin_romanise(run.buf, &rom, NULL);
			for (i = 0; i < rom.len; i++)
				strbuf_addch(out, (unsigned char)rom.buf[i] < 0x80 ? rom.buf[i] : '?');
			strbuf_release(&run);
			strbuf_release(&rom);
		}
	}
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
	attrset(attr_of(a));
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

int ui_can(enum auth_action action)
{
	return ui.db && auth_can(ui.role, ui.db->role, action);
}

int ui_allow(enum auth_action action)
{
	struct gq_err e;

	if (ui_can(action))
		return 1;
	gq_err_clear(&e);
	auth_refuse(ui.role, action, &e);
	ui_msg(1, "%s", e.msg);
	return 0;
}

int ui_key_offered(const struct key_help *k)
{
	if (!ui_can(k->need))
		return 0;
	if (k->where == KH_STATION)
		return ui.db->role == DB_ROLE_STATION;
	if (k->where == KH_COUNTY)
		return ui.db->role == DB_ROLE_COUNTY;
	return 1;
}

/* Idle time is measured on the monotonic clock: the wall clock may be
 * fixed (tests) or set back, and neither may keep the screens open. */
static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long last_key_ms;

static void lock_screens(void);

int ui_getkey(void)
{
	wint_t ch;
	int r;

	/* Quitting from the lock screen: every open dialog goes back. */
	if (ui.quit)
		return KEY_ESC;
	if (!last_key_ms)
		last_key_ms = mono_ms();
	r = get_wch(&ch);
	if (r == ERR) {
		if (ui.lock_ms > 0 && !ui.locked && ui.role != AUTH_NONE &&
		    mono_ms() - last_key_ms >= ui.lock_ms) {
			lock_screens();
			last_key_ms = mono_ms();
		}
		return ui.quit ? KEY_ESC : -1;
	}
	last_key_ms = mono_ms();
	if (r == KEY_CODE_YES)
		return KF((int)ch);
	return (int)ch;
}

void screen_push(const struct screen_ops *ops, void *data)
{
	struct screen *s = calloc(1, sizeof(*s));

	if (!s) {
		ui_msg(1, "%s", _("Out of memory."));
		return;
	}
	s->ops = ops;
	s->data = data;
	s->below = ui.top;
	ui.top = s;
	screen_depth++;
}

void screen_pop(void)
{
	struct screen *s = ui.top;

	if (!s)
		return;
	ui.top = s->below;
	screen_depth--;
	if (s->ops->close)
		s->ops->close(s);
	free(s);
	if (ui.top && ui.top->ops->resume)
		ui.top->ops->resume(ui.top);
}

static void draw_keybar(const struct key_help *k)
{
	int x = 0, y = LINES - 1;

	move(y, 0);
	attrset(attr_of(UA_BAR_TEXT));
	clrtoeol();
	for (; k && k->key && x < COLS; k++) {
		struct strbuf t = STRBUF_INIT;
		int kw, w;

		if (!k->bar || !ui_key_offered(k))
			continue;
		/* Measure what is drawn (romanised in ascii mode) and leave
		 * out a key that does not fit whole rather than cut it. */
		ui_text(&t, _(k->bar));
		kw = (int)text_width(k->key);
		w = (int)text_width(t.buf) + 1;
		strbuf_release(&t);
		if (x + kw + w - 1 > COLS)
			break;
		ui_put(y, x, k->key, kw, UA_BAR_KEY);
		x += kw;
		ui_put(y, x, _(k->bar), w, UA_BAR_TEXT);
		x += w;
	}
	if (x < COLS)
		ui_put(y, x, "", COLS - x, UA_BAR_TEXT);
}

static void draw_all(void)
{
	struct screen *s = ui.top;
	const char *title;

	erase();
	if (LINES < 8 || COLS < 30) {
		ui_put(0, 0, _("The terminal is too small."), COLS, UA_ERROR);
		ui.cur_y = -1;
		return;
	}
	if (!s)
		return;
	title = s->ops->title ? _(s->ops->title) : "";
	ui_putf(0, 0, COLS, UA_TITLE, " %s  %s", _("Guanqing"), title);
	ui.cur_y = -1;
	/* Locked: nothing of the records shows; the screens keep their
	 * typed text underneath. */
	if (ui.locked)
		return;
	s->ops->draw(s);
	draw_keybar(s->ops->keys);
	if (ui.status[0])
		ui_put(LINES - 2, 0, ui.status, COLS, ui.status_err ? UA_ERROR : UA_HIGH);
}

static void place_cursor(void)
{
	if (ui.cur_y >= 0 && ui.cur_y < LINES && ui.cur_x < COLS) {
		move(ui.cur_y, ui.cur_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

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
	for (y = 0; y < h; y++)
		ui_put(*top + y, *left, "", w, UA_NORMAL);
	attrset(attr_of(UA_HEADER));
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
		draw_all();
		draw_box(5, w, &top, &left, NULL);
		ui_put(top + 1, left + 2, question, w - 4, UA_NORMAL);
		ui_putf(top + 3, left + 2, w - 4, UA_DIM, "%s", _("y: yes   n/Esc: no"));
		ui.cur_y = -1;
		place_cursor();
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
		draw_all();
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
		place_cursor();
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
		draw_all();
		draw_box(h, w, &top, &left, title);
		ui_put(top + 1, left + 2, _("Find:"), 8, UA_HEADER);
		strbuf_addf(&cnt, _("%zu of %zu"), nshown, n);
		ui_put(top + 2, left + 2, cnt.buf, w - 4, UA_DIM);
		strbuf_release(&cnt);
		for (j = 0; j < rows && (size_t)(first + j) < nshown; j++)
			ui_putf(top + 3 + j, left + 1, w - 2, first + j == cur ? UA_SELECT : UA_NORMAL,
				" %s", labels[shown[first + j]]);
		ui_draw_field(&q, top + 1, left + 10, w - 12, 1);
		place_cursor();
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
	attrset(attr_of(focus ? UA_FIELD : UA_NORMAL));
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

/* The PIN box: prompt, masked field and a message (a refusal) under it;
 * esc_label names what Esc does. */
static int pin_box(const char *title, const char *prompt, const char *msg,
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
		draw_all();
		draw_box(8, w, &top, &left, title);
		ui_put(top + 2, left + 2, prompt, pw < w - 24 ? pw : w - 24, UA_NORMAL);
		if (msg && *msg)
			ui_put(top + 4, left + 2, msg, w - 4, UA_ERROR);
		ui_put(top + 6, left + 2, esc_label, w - 4, UA_DIM);
		ui_draw_masked(&le, top + 2, left + 3 + (pw < w - 24 ? pw : w - 24), 20, 1);
		place_cursor();
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
	return pin_box(title, prompt, msg, _("Enter: go on   Esc: back"), out, size);
}

/* The lock screen over whatever is open: the signed-in user's PIN again,
 * or quit. What the screens underneath hold stays as it was. */
static void lock_screens(void)
{
	char msg[GQ_ERR_MSG_MAX] = "", prompt[256], pin[AUTH_PIN_MAX + 2];
	struct strbuf name = STRBUF_INIT;

	ui.locked = 1;
	ui_text(&name, ui.user_name);
	snprintf(prompt, sizeof(prompt), _("PIN of %s:"), name.buf);
	strbuf_release(&name);
	while (!ui.quit) {
		struct gq_err e;
		enum auth_role role;

		gq_err_clear(&e);
		if (!pin_box(_("Locked after a time without keys"), prompt, msg,
			     _("Enter: unlock   Esc: quit (what is not saved is lost)"), pin, sizeof(pin))) {
			if (ui_confirm(_("Quit the program? What is not saved is lost.")))
				ui.quit = 1;
			continue;
		}
		if (auth_sign_in(ui.db, ui.db->user_id, pin, &role, &e) == GQ_OK) {
			memset(pin, 0, sizeof(pin));
			ui.role = role;
			break;
		}
		memset(pin, 0, sizeof(pin));
		snprintf(msg, sizeof(msg), "%s", e.msg);
	}
	ui.locked = 0;
}

/* ---- help ---- */

static void help_draw(struct screen *s)
{
	const struct key_help *k = s->data;
	int y = 2;

	ui_put(1, 1, _("Keys of this screen (any key to close):"), COLS - 2, UA_HEADER);
	for (; k && k->key && y < LINES - 2; k++) {
		if (!ui_key_offered(k))
			continue;
		ui_put(y, 2, k->key, 12, UA_HIGH);
		y++;
		ui_put(y - 1, 15, _(k->help), COLS - 16, UA_NORMAL);
	}
	if (y < LINES - 2)
		ui_put(y + 1, 2, _("F1 help, Esc or F10 back, Tab and arrows move between fields."),
		       COLS - 3, UA_DIM);
}

static int help_key(struct screen *s, int key)
{
	(void)s;
	(void)key;
	screen_pop();
	return SK_DONE;
}

static const struct screen_ops help_ops = {
	.name = "help", .title = N_("Help"), .keys = NULL,
	.draw = help_draw, .key = help_key,
};

/* ---- the loop ---- */

void screen_run(void)
{
	while (!ui.quit && ui.top) {
		struct screen *s = ui.top;
		int k;

		draw_all();
		place_cursor();
		k = ui_getkey();
		if (k < 0 || k == KF(KEY_RESIZE))
			continue;
		ui.status[0] = '\0';
		if (k == KF(KEY_F(1))) {
			if (s->ops != &help_ops)
				screen_push(&help_ops, (void *)s->ops->keys);
			continue;
		}
		if (s->ops->key(s, k) == SK_UNHANDLED &&
		    (k == KEY_ESC || k == KF(KEY_F(10)))) {
			if (s->ops->leave && !s->ops->leave(s))
				continue;
			screen_pop();
		}
	}
	while (ui.top)
		screen_pop();
}

/* Called by the allocator before it ends the program: give the terminal
 * back first, so that "out of memory" can be read and the shell works. */
static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

/* Start curses; colours only where the terminal has them. */
void screen_init(void)
{
	xalloc_set_failure_hook(restore_terminal);
	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	/* get_wch returns every second without a key: the idle lock. */
	timeout(1000);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		ui.colour = 1;
		init_pair(1, COLOR_BLACK, COLOR_CYAN);
		init_pair(2, COLOR_WHITE, COLOR_BLACK);
		init_pair(3, COLOR_BLACK, COLOR_YELLOW);
		init_pair(4, COLOR_RED, -1);
	}
}

void screen_end(void)
{
	endwin();
	xalloc_set_failure_hook(NULL);
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
