/* screen.h - the screen stack shared by the files in screens/.
 *
 * A screen is a table of operations (struct screen_ops), one static
 * instance per file, pushed on a stack with its own data. The loop in
 * screen.c draws the top screen, the title line, the key bar and the
 * status line, reads one key with get_wch() and hands it to the top
 * screen; F1 (help), Esc/F10 (back) and KEY_RESIZE are handled for every
 * screen. Only the files in screens/ include curses.
 */
#ifndef GUANQING_SCREEN_H
#define GUANQING_SCREEN_H

#include <stddef.h>

#include "guanqing/auth.h"
#include "guanqing/db.h"
#include "guanqing/lineedit.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

/* A key: a character (its code point) or a curses key code + KEY_BASE. */
#define KEY_BASE 0x200000
#define KF(code) (KEY_BASE + (code))
#define KEY_ESC 27
#define IS_ENTER(k) ((k) == '\r' || (k) == '\n' || (k) == KF(0527))

/* What a key handler returns. */
enum {
	SK_DONE = 0,	/* handled */
	SK_UNHANDLED,	/* let the loop handle it (Esc/F10 go back) */
};

/* Where a key is offered: anywhere, or only at one kind of place. */
enum { KH_ANY = 0, KH_STATION, KH_COUNTY };

/* One line of the key bar and of the help. A key the signed-in role may
 * not use (need, see auth_can) or that is not for this place (where) is
 * neither in the bar nor in the help; its handler refuses it too. */
struct key_help {
	const char *key;	/* "F2", "Enter" */
	const char *bar;	/* short word for the key bar, N_(), or NULL */
	const char *help;	/* sentence for F1, N_() */
	enum auth_action need;	/* AUTH_READ (0): everyone signed in */
	int where;		/* KH_ANY, KH_STATION or KH_COUNTY */
};

struct screen;

struct screen_ops {
	const char *name;
	const char *title;			/* N_() */
	const struct key_help *keys;		/* NULL-key terminated */
	void (*draw)(struct screen *s);
	int (*key)(struct screen *s, int key);
	/* May the screen be left? (asks about unsaved changes) 1 yes. */
	int (*leave)(struct screen *s);
	/* The screen above was closed: reload what may have changed. */
	void (*resume)(struct screen *s);
	/* Free data. */
	void (*close)(struct screen *s);
};

struct screen {
	const struct screen_ops *ops;
	void *data;
	struct screen *below;
};

/* The state of the screens. */
struct ui_state {
	struct gq_db *db;
	int ascii;		/* pinyin names, English, no CJK on screen */
	int english;		/* labels of forms in English */
	int quit;
	int colour;
	int cur_y, cur_x;	/* where the cursor goes; cur_y < 0: hidden */
	char status[512];
	int status_err;
	struct screen *top;
	/* Who works: with auth_required() a signed-in user and their role;
	 * without PINs (a test or demo database) the place's admin. */
	int auth_on;
	enum auth_role role;
	char user_name[128];
	/* Idle lock after lock_ms without a key (0: never); locked while
	 * the lock screen is up. */
	long long lock_ms;
	int locked;
};

extern struct ui_state ui;

/* Colour/attribute roles. */
enum ui_attr { UA_NORMAL, UA_TITLE, UA_BAR_KEY, UA_BAR_TEXT, UA_SELECT,
	       UA_ERROR, UA_DIM, UA_FIELD, UA_HIGH, UA_HEADER };

void screen_push(const struct screen_ops *ops, void *data);
/* Close the top screen (without asking) and resume the one below. */
void screen_pop(void);
/* Run the loop until ui.quit or the stack is empty. */
void screen_run(void);
/* Draw the whole stack again (a dialog over it after a resize), and put
 * the cursor where the top screen wants it. */
void screen_draw_all(void);
void screen_place_cursor(void);
/* The PIN box under every PIN question: prompt, a masked field, msg (a
 * refusal) and esc_label saying what Esc does. 1 with the PIN in out, 0 on
 * Esc/F10. */
int ui_pin_box(const char *title, const char *prompt, const char *msg,
	       const char *esc_label, char *out, size_t size);
/* Start and end curses. */
void screen_init(void);
void screen_end(void);

int ui_lines(void);
int ui_cols(void);
/* Draw text at y,x padded/cut to cols columns (ascii: Chinese romanised). */
void ui_put(int y, int x, const char *text, int cols, enum ui_attr a);
/* Same with printf formatting. */
void ui_putf(int y, int x, int cols, enum ui_attr a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The title of the visit form id in the interface's language (the id
 * itself when the form cannot be read). Owned by the screens. */
const char *ui_form_title(const char *id);
/* Status line message (copied). */
void ui_msg(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append text for display: in ascii mode non-ASCII runs are romanised. */
void ui_text(struct strbuf *out, const char *text);

/* Modal dialogs (they redraw the stack under them on resize). */
int ui_confirm(const char *question);
/* Choose one of n labels; returns the index or -1 (Esc). */
int ui_choose(const char *title, const char *const *labels, size_t n,
	      int current);
/* Multiple choice: sel[] toggled in place; returns 1 on Enter, 0 Esc. */
int ui_choose_multi(const char *title, const char *const *labels, size_t n,
		    unsigned char *sel);

/* Choose one of n labels from a list that filters as one types: by the
 * pinyin of names[i] (labels[i] when names is NULL) or by any part of the
 * label. Returns the index chosen or -1 (Esc). The arrays stay the
 * caller's. */
int ui_choose_search(const char *title, const char *const *labels,
		     const char *const *names, size_t n, int current);

/* A line of text in a box over the screens (initial may be NULL; at most
 * max_chars characters); msg a refusal to show or NULL. 1 with the text in
 * out, 0 on Esc/F10. */
int ui_ask_text(const char *title, const char *prompt, const char *msg, const char *initial,
		size_t max_chars, char *out, size_t size);
/* The USB stick (or folder) to export to or import from, into out: the one
 * chosen earlier in this session, else the only one mounted; when none or
 * several are, the admin chooses among the mounted media or types a
 * folder. ask 1: always ask. 1 with a folder in out, 0 when the admin went
 * back (a message is on the status line). */
int ui_choose_medium(char *out, size_t size, int ask);
/* Append to out the key that orders text as a Chinese reader looks it
 * up: by its pinyin, without case or spaces, numbers in their order (2号
 * before 10号; with numerals, 第二 before 第三 before 第十). Compare keys
 * with strcmp. */
void ui_sort_key(const char *text, int numerals, struct strbuf *out);

/* May the signed-in role do action here? (auth_can, the one table.) */
int ui_can(enum auth_action action);
/* ui_can, and when not: a short refusal on the status line. 1 allowed. */
int ui_allow(enum auth_action action);
/* Is the key line k offered to this role at this place? */
int ui_key_offered(const struct key_help *k);

/* Read one key (get_wch) as a KF()/code point int; -1 on error or when
 * the screens were locked and unlocked meanwhile (redraw and read again).
 * Waits with a timeout so that the idle lock comes without a key. */
int ui_getkey(void);
/* Ask for a PIN in a box over the screens: prompt, a field showing '*'
 * and msg (a refusal to show, or NULL). Returns 1 with the PIN in out
 * (size bytes; the caller wipes it after use), 0 on Esc/F10. */
int ui_ask_pin(const char *title, const char *prompt, const char *msg, char *out,
	       size_t size);
/* Draw a masked field: one '*' per character typed. */
void ui_draw_masked(struct lineedit *le, int y, int x, int cols, int focus);
/* Apply an editing key to a field; 1 when used. Refusals go to status. */
int ui_edit_key(struct lineedit *le, int key);
/* Draw a field at y,x, cols wide; with focus, set the cursor. */
void ui_draw_field(struct lineedit *le, int y, int x, int cols, int focus);

/* Screens. */
void signin_open(void);
/* Sign out on a shared PC: every screen closes, the user and role are
 * forgotten, and the sign-in screen asks who is working. */
void signin_sign_out(void);
/* The keys both Homes have (users, own PIN, sign out, reports, quit):
 * 1 when k was one of them and was done (screens/home.c). */
int home_shared_key(int k);
void home_open(void);
void people_open(void);
/* Free the People list's rows, which it keeps from one visit to the next
 * (at sign-out and at the end). */
void people_forget(void);
void person_open(const char *id);
/* Generic record form: id NULL adds; preset field=value pairs (n) fixed. */
void recform_open(const struct table_def *t, const char *id,
		  const char *preset_field, const char *preset_value);
/* Form adding a t record of village (the county chose it). */
void recform_open_village(const struct table_def *t, const char *village);
/* Form adding a t record that, when saved, becomes link_field of link_t's
 * row link_id in the same transaction (a new household for a person). */
void recform_open_linked(const struct table_def *t, const struct table_def *link_t,
			 const char *link_id, const char *link_field);
/* Form adding a person to household (its grid and address filled in). */
void recform_open_member(const char *household);
/* The id of the record a form of table added last, once: 1 with it in
 * out, 0 when none was added since (the list then selects it). */
int recform_take_created(const char *table, char *out, size_t size);
void visit_open(const char *person_id);
/* Generic list of a table's rows, optionally only where field = value. */
void records_open(const struct table_def *t, const char *field,
		  const char *value);
void sync_open(void);
/* Choose a report the role may read and show it (report.h). */
void report_open(void);
/* The users of this place (admins). */
void users_open(void);
/* Change the signed-in user's own PIN (the current PIN first). */
void users_change_own_pin(void);
/* The audit trail of row id of table tbl: who changed what. */
void history_open(const char *tbl, const char *id, const char *title);
/* A record form that shows a record and cannot save it, saying why. */
void recform_view(const struct table_def *t, const char *id, const char *reason);

/* Lists: keep the current row cur visible in a window of rows lines
 * beginning at *first. */
void ui_list_scroll(int *first, int cur, int rows);
/* Move cur in a list of n rows for key (Up, Down, PgUp, PgDn, Home,
 * End; a page is rows lines). Returns 1 when key was one of them. */
int ui_list_move(int key, int *cur, size_t n, int rows);

#endif
