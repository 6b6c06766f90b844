/* screen.c - the frame of the screens: the stack, the key bar, help, the
 * idle lock and the loop (draw.c draws, dialog.c asks). */
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
#include "guanqing/xalloc.h"

struct ui_state ui;

static int screen_depth;
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
	/* Nobody signed in: the sign-in screen's own keys (Enter, F10). */
	if (ui.role == AUTH_NONE && k->need == AUTH_READ && k->where == KH_ANY)
		return ui.db != NULL;
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

/* ---- the key bar ---- */

/* The help of every screen: first in every key bar. */
static const struct key_help help_key_line = { "F1", N_("Help"), NULL, AUTH_READ, KH_ANY };

/* Is key a single ASCII letter? */
static int letter_key(const char *key)
{
	return key && isalpha((unsigned char)key[0]) && !key[1];
}

/* Does the table list the single-letter key c? */
static int table_has_letter(const struct key_help *k, int c)
{
	for (; k && k->key; k++)
		if (letter_key(k->key) && k->key[0] == c)
			return 1;
	return 0;
}

/* A letter key is shown in capitals, as on the keyboard, and the screens
 * take it in either case; only where a screen gives the two cases two
 * meanings is the capital shown as Shift+H. */
static void bar_key_name(const struct key_help *all, const char *key, struct strbuf *out)
{
	if (!letter_key(key)) {
		strbuf_addstr(out, key);
		return;
	}
	if (isupper((unsigned char)key[0]) && table_has_letter(all, tolower((unsigned char)key[0])))
		strbuf_addstr(out, _("Shift+"));
	strbuf_addch(out, (char)toupper((unsigned char)key[0]));
}

/* A letter typed in the other case than the screen's table lists it, and
 * the other case means nothing there: the letter of the table. */
static int fold_letter(const struct key_help *all, int k)
{
	int other;

	if (k < 'A' || (k > 'Z' && k < 'a') || k > 'z')
		return k;
	other = isupper(k) ? tolower(k) : toupper(k);
	if (!table_has_letter(all, k) && table_has_letter(all, other))
		return other;
	return k;
}

#define BAR_MAX 40

struct bar_item {
	struct strbuf key, label;
	int kw, lw, letter;
};

/* The items of the bar for the table: F1 help first, then the keys
 * offered with a word for the bar. */
static size_t bar_items(const struct key_help *all, struct bar_item *it)
{
	const struct key_help *k = all;
	size_t n = 0;
	int first = 1;

	for (;;) {
		const struct key_help *line = first ? &help_key_line : k;

		if (!first && (!k || !k->key))
			break;
		if (!first)
			k++;
		first = 0;
		if (!all || !line->bar || (line != &help_key_line && !ui_key_offered(line)) || n >= BAR_MAX)
			continue;
		strbuf_init(&it[n].key, 0);
		strbuf_init(&it[n].label, 0);
		bar_key_name(all, line->key, &it[n].key);
		ui_text(&it[n].label, _(line->bar));
		it[n].kw = (int)text_width(it[n].key.buf);
		it[n].lw = (int)text_width(it[n].label.buf);
		it[n].letter = letter_key(line->key);
		n++;
	}
	return n;
}

static void bar_release(struct bar_item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		strbuf_release(&it[i].key);
		strbuf_release(&it[i].label);
	}
}

/* The separator between a key and its word ("：" in Chinese). */
static const char *bar_sep(void)
{
	return ui.ascii ? ":" : _(":");
}

/* The width of item i: with the separator (full), or without it after an
 * F-key or a named key (compact: the key's colour sets it apart). */
static int item_width(const struct bar_item *it, int full)
{
	return it->kw + it->lw + (full || it->letter ? (int)text_width(bar_sep()) : 0);
}

/* How the bar is laid out: lines (1 or 2), full separators or compact,
 * and how many items are left out before the last (0 but on a tiny
 * terminal). Tried in order: one line full, one line compact, two lines
 * full, two lines compact. */
struct bar_layout {
	int lines, full;
	size_t drop;
};

/* Lines of width cols that items from..n take when broken between
 * items; more than 2 is too many. */
static int bar_fit(const struct bar_item *it, size_t n, int full, int cols)
{
	int lines = 1, x = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int w = item_width(&it[i], full);

		if (x && x + 1 + w > cols) {
			lines++;
			x = 0;
		}
		x += (x ? 1 : 0) + w;
	}
	return n ? lines : 1;
}

static struct bar_layout bar_plan(struct bar_item *it, size_t n, int cols)
{
	struct bar_layout l = { 1, 1, 0 };

	if (bar_fit(it, n, 1, cols) == 1)
		return l;
	l.full = 0;
	if (bar_fit(it, n, 0, cols) == 1)
		return l;
	l.lines = 2;
	l.full = 1;
	if (bar_fit(it, n, 1, cols) <= 2)
		return l;
	l.full = 0;
	/* Too narrow even so: leave out keys before the last (F10 stays). */
	while (l.drop + 1 < n && bar_fit(it, n - l.drop, 0, cols) > 2) {
		struct bar_item last = it[n - 1 - l.drop];

		/* it[n-1-drop] is the last kept: move it over the dropped one */
		it[n - 1 - l.drop] = it[n - 2 - l.drop];
		it[n - 2 - l.drop] = last;
		l.drop++;
	}
	return l;
}

/* Lines the key bar of the top screen takes at this width (1 or 2). */
static int keybar_lines = 1;

static void draw_keybar(const struct key_help *all)
{
	struct bar_item it[BAR_MAX + 1];
	size_t n = bar_items(all, it), i, shown;
	struct bar_layout l = bar_plan(it, n, COLS);
	int y = LINES - l.lines, x = 0;

	keybar_lines = l.lines;
	shown = n - l.drop;
	for (i = 0; i < (size_t)l.lines; i++) {
		move(LINES - 1 - (int)i, 0);
		attrset(ui_attr_of(UA_BAR_TEXT));
		clrtoeol();
		ui_put(LINES - 1 - (int)i, 0, "", COLS, UA_BAR_TEXT);
	}
	for (i = 0; i < shown; i++) {
		int w = item_width(&it[i], l.full);

		if (x && x + 1 + w > COLS) {
			y++;
			x = 0;
		}
		if (x)
			x++;
		ui_put(y, x, it[i].key.buf, it[i].kw, UA_BAR_KEY);
		x += it[i].kw;
		if (l.full || it[i].letter) {
			int sw = (int)text_width(bar_sep());

			ui_put(y, x, bar_sep(), sw, UA_BAR_TEXT);
			x += sw;
		}
		ui_put(y, x, it[i].label.buf, it[i].lw, UA_BAR_TEXT);
		x += it[i].lw;
	}
	bar_release(it, n);
}

/* The lines of the bar for keys at this width, without drawing it. */
static int keybar_measure(const struct key_help *all)
{
	struct bar_item it[BAR_MAX + 1];
	size_t n = bar_items(all, it);
	struct bar_layout l = bar_plan(it, n, COLS);

	bar_release(it, n);
	return l.lines;
}

int ui_keybar_lines(void)
{
	return keybar_lines;
}

void screen_draw_all(void)
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
	/* The screen lays itself out above the bar (ui_lines()). */
	keybar_lines = keybar_measure(s->ops->keys);
	/* Locked: nothing of the records shows; the screens keep their
	 * typed text underneath. */
	if (ui.locked)
		return;
	s->ops->draw(s);
	draw_keybar(s->ops->keys);
	if (ui.status[0])
		ui_put(ui_lines() - 2, 0, ui.status, COLS, ui.status_err ? UA_ERROR : UA_HIGH);
}

/* The lines under dialog boxes in the frame being drawn and in the one
 * on the terminal (first line, count; count 0: none). */
static int cover_top, cover_n, shown_top, shown_n;

void ui_dialog_covers(int top, int h)
{
	int end = top + h;

	if (cover_n) {
		if (cover_top + cover_n > end)
			end = cover_top + cover_n;
		if (cover_top < top)
			top = cover_top;
	}
	cover_top = top;
	cover_n = end - top;
}

void screen_place_cursor(void)
{
	/* The lines a box covered on the terminal, when it has gone or
	 * moved: thrown away and written again whole. */
	if (shown_n && (shown_top != cover_top || shown_n != cover_n)) {
		int n = shown_top + shown_n <= LINES ? shown_n : LINES - shown_top;

		if (shown_top >= 0 && n > 0)
			wredrawln(stdscr, shown_top, n);
	}
	shown_top = cover_top;
	shown_n = cover_n;
	cover_n = 0;
	if (ui.cur_y >= 0 && ui.cur_y < LINES && ui.cur_x < COLS) {
		move(ui.cur_y, ui.cur_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
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
		if (!ui_pin_box(_("Locked after a time without keys"), prompt, msg,
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

		screen_draw_all();
		screen_place_cursor();
		k = ui_getkey();
		if (k < 0 || k == KF(KEY_RESIZE))
			continue;
		ui.status[0] = '\0';
		k = fold_letter(s->ops->keys, k);
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
