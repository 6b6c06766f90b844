/* lineedit.h - the one-line text field editor, without a terminal.
 *
 * The screens read keys with get_wch() and call these operations; this
 * module never draws. The text is always valid UTF-8 without control
 * characters. For every character (code point) it keeps the byte offset
 * and the display column where it starts (struct lineedit_char, after
 * calcurse's getstr_charinfo), so the cursor moves, deletes and scrolls by
 * whole characters and columns, never by bytes.
 *
 * Characters and clusters: a zero-width character (a combining mark such
 * as U+0301, a variation selector, U+200D) belongs with the character
 * before it. The cursor only ever stands at the start of such a cluster:
 * left, right, backspace and delete move over or remove a base character
 * together with its marks. The limit, like every length in the program,
 * counts characters (code points), as text_length() does.
 *
 * Input rules (the same for typing, pasting and lineedit_set_text()):
 *   - invalid UTF-8 is refused whole, nothing is inserted;
 *   - control characters are refused, except that in a string TAB, CR and
 *     LF become one space each, and line ends at the very end of a pasted
 *     string are dropped (a copied line usually ends with one);
 *   - a string is inserted whole or not at all: when it would take the
 *     field past its limit nothing is inserted.
 * Refusals return GQ_EINVAL with a sentence for the status line; the field
 * is then unchanged. lineedit_set_text() does not apply the limit, so that
 * a stored value longer than a new limit can still be shown and shortened.
 */
#ifndef GUANQING_LINEEDIT_H
#define GUANQING_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guanqing/err.h"
#include "guanqing/strbuf.h"

/* One character of the field. */
struct lineedit_char {
	size_t off;		/* byte offset in the text */
	size_t col;		/* display column where it starts */
	uint32_t cp;		/* the code point */
	unsigned char len;	/* bytes, 1..4 */
	unsigned char width;	/* columns, 0..2 */
};

/* The field. Read the fields through the functions below; the layout is
 * public only so that a field can live inside a screen's struct. */
struct lineedit {
	struct strbuf text;		/* owned, valid UTF-8 */
	struct lineedit_char *chars;	/* owned, nchars + 1 entries: the
					 * last is the end (off = text.len,
					 * col = width of the text) */
	size_t nchars;
	size_t alloc;
	size_t cursor;			/* 0..nchars, a cluster start */
	size_t first;			/* first visible character */
	size_t max_chars;		/* 0: no limit */
};

/* What lineedit_view() decided for a field of a given width. */
struct lineedit_view {
	size_t first;		/* first visible character */
	size_t end;		/* one past the last visible character */
	size_t cols;		/* columns the visible text takes */
	size_t cursor_col;	/* cursor column from the field's left edge */
	bool more_left;		/* text hidden before first */
	bool more_right;	/* text hidden after end */
};

/* Initialise an empty field holding at most max_chars characters (0 for
 * no limit). Release it with lineedit_release(). */
void lineedit_init(struct lineedit *le, size_t max_chars);

/* Free what the field holds and leave it empty (the limit stays). */
void lineedit_release(struct lineedit *le);

/* Change the limit; text already longer is kept (only inserts are
 * refused). */
void lineedit_set_max(struct lineedit *le, size_t max_chars);

/* Replace the text with s (NULL or "" empties the field) and put the
 * cursor at its end. Refuses, leaving the field unchanged, invalid UTF-8
 * and control characters other than TAB, CR and LF (see above). */
enum gq_status lineedit_set_text(struct lineedit *le, const char *s,
				 struct gq_err *err);

/* The text, NUL-terminated, owned by the field and valid until its next
 * change. Never NULL. */
const char *lineedit_text(const struct lineedit *le);

/* Length of the text in bytes, in characters, and in columns. */
size_t lineedit_bytes(const struct lineedit *le);
size_t lineedit_length(const struct lineedit *le);
size_t lineedit_width(const struct lineedit *le);

/* True when no character can be added. */
bool lineedit_full(const struct lineedit *le);

/* The cursor as a character index (0..length) and as a column from the
 * start of the text. */
size_t lineedit_cursor(const struct lineedit *le);
size_t lineedit_cursor_col(const struct lineedit *le);

/* Put the cursor at character index pos (clamped to the length, moved back
 * to the start of its cluster). */
void lineedit_set_cursor(struct lineedit *le, size_t pos);

/* Insert the character cp at the cursor, which moves after it. Refused
 * with GQ_EINVAL for a control character, a value that is not a Unicode
 * scalar value, or when the field is full. */
enum gq_status lineedit_insert(struct lineedit *le, uint32_t cp,
			       struct gq_err *err);

/* Insert a whole UTF-8 string (a paste, or what an input method sent) at
 * the cursor, which moves after it. Inserted whole or refused whole (see
 * the rules above). NULL or "" inserts nothing and succeeds. */
enum gq_status lineedit_insert_str(struct lineedit *le, const char *s,
				   struct gq_err *err);

/* Editing keys. Each returns true when it changed the text or the cursor,
 * false when there was nothing to do (the screen may beep). */
bool lineedit_delete(struct lineedit *le);	/* Delete: at the cursor */
bool lineedit_backspace(struct lineedit *le);	/* Backspace: before it */
bool lineedit_left(struct lineedit *le);
bool lineedit_right(struct lineedit *le);
bool lineedit_home(struct lineedit *le);	/* Home, Ctrl-A */
bool lineedit_end(struct lineedit *le);		/* End, Ctrl-E */
bool lineedit_kill_end(struct lineedit *le);	/* Ctrl-K: to the end */
bool lineedit_kill_start(struct lineedit *le);	/* Ctrl-U: to the start */

/* Scroll for a field width columns wide and describe what to draw: the
 * visible characters first..end, whole characters only (a wide character
 * that would be cut at either edge is left out), with the cursor always
 * inside the field (a cursor at the end of the text needs one free
 * column). The scroll position is kept between calls, so the text does
 * not jump while the cursor moves inside the field; when the text gets
 * shorter the field scrolls back so that it stays filled. */
void lineedit_view(struct lineedit *le, size_t width,
		   struct lineedit_view *view);

/* lineedit_view(), then append the visible text to out, padded with spaces
 * to exactly width columns: what the screen draws at the field's left
 * edge before it moves the cursor to view->cursor_col. view may be NULL. */
void lineedit_render(struct lineedit *le, size_t width, struct strbuf *out,
		     struct lineedit_view *view);

#endif
