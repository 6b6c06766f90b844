/* lineedit.c - the one-line text field editor, without a terminal.
 *
 * The character table is rebuilt from the text after every change: fields
 * hold a few dozen characters, and one simple rebuild cannot drift out of
 * step with the bytes the way piecewise updates can.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/lineedit.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"
#include "guanqing/xalloc.h"

/* The end entry of every empty field that has not allocated yet, so that
 * an empty or released field holds no memory. Never written. */
static struct lineedit_char empty_end;

static void reindex(struct lineedit *le)
{
	const char *s = le->text.buf;
	size_t len = le->text.len, off = 0, col = 0, n = 0, used;
	uint32_t cp;

	if (len == 0 && le->alloc == 0) {
		le->chars = &empty_end;
		le->nchars = 0;
		le->cursor = 0;
		return;
	}
	/* At most one character per byte, plus the end entry. */
	if (le->alloc < len + 1) {
		size_t want = len + 1 < 16 ? 16 : 2 * (len + 1);
		void *p = xreallocarray(le->alloc ? le->chars : NULL, want,
					sizeof(*le->chars));

		le->chars = p;
		le->alloc = want;
	}
	while ((used = text_decode(s + off, len - off, &cp)) > 0) {
		struct lineedit_char *c = &le->chars[n++];

		c->off = off;
		c->col = col;
		c->cp = cp;
		c->len = (unsigned char)used;
		c->width = (unsigned char)text_cp_width(cp);
		col += c->width;
		off += used;
	}
	le->chars[n].off = off;
	le->chars[n].col = col;
	le->chars[n].cp = 0;
	le->chars[n].len = 0;
	le->chars[n].width = 0;
	le->nchars = n;
	if (le->cursor > n)
		le->cursor = n;
}

/* A cluster starts at i unless i is a zero-width character that can
 * belong to the character before it. */
static bool is_boundary(const struct lineedit *le, size_t i)
{
	return i == 0 || i >= le->nchars || le->chars[i].width != 0;
}

static size_t next_boundary(const struct lineedit *le, size_t i)
{
	if (i >= le->nchars)
		return le->nchars;
	for (i++; !is_boundary(le, i); i++)
		;
	return i;
}

static size_t prev_boundary(const struct lineedit *le, size_t i)
{
	if (i == 0)
		return 0;
	for (i--; !is_boundary(le, i); i--)
		;
	return i;
}

/* Keep the cursor at the start of a cluster, moving forward. */
static void cursor_forward_to_boundary(struct lineedit *le)
{
	while (!is_boundary(le, le->cursor))
		le->cursor++;
}

void lineedit_init(struct lineedit *le, size_t max_chars)
{
	strbuf_init(&le->text, 0);
	le->chars = NULL;
	le->alloc = 0;
	le->nchars = 0;
	le->cursor = 0;
	le->first = 0;
	le->max_chars = max_chars;
	reindex(le);
}

void lineedit_release(struct lineedit *le)
{
	size_t max = le->max_chars;

	strbuf_release(&le->text);
	if (le->alloc)
		free(le->chars);
	lineedit_init(le, max);
}

void lineedit_set_max(struct lineedit *le, size_t max_chars)
{
	le->max_chars = max_chars;
}

/* Check s against the input rules and write what is to be inserted into
 * out, counting its characters into *count. */
static enum gq_status clean_input(const char *s, struct strbuf *out,
				  size_t *count, struct gq_err *err)
{
	size_t len = s ? strlen(s) : 0, used;
	uint32_t cp;

	*count = 0;
	if (!text_valid(s, len))
		return gq_err_set(err, GQ_EINVAL,
				  _("The text is not valid UTF-8, so it was not entered."));
	/* A pasted line usually ends with its line end: drop it. */
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	while ((used = text_decode(s, len, &cp)) > 0) {
		if (cp == '\r' && len > 1 && s[1] == '\n')
			used = 2;	/* CR LF is one line end */
		if (cp == '\t' || cp == '\r' || cp == '\n') {
			strbuf_addch(out, ' ');
		} else if (text_is_control(cp)) {
			return gq_err_set(err, GQ_EINVAL,
					  _("The text holds a control character (U+%04X), so it was not entered."),
					  (unsigned)cp);
		} else {
			strbuf_add(out, s, used);
		}
		(*count)++;
		s += used;
		len -= used;
	}
	return GQ_OK;
}

enum gq_status lineedit_set_text(struct lineedit *le, const char *s,
				 struct gq_err *err)
{
	struct strbuf clean = STRBUF_INIT;
	size_t count;
	enum gq_status rc = clean_input(s, &clean, &count, err);

	if (rc == GQ_OK) {
		strbuf_release(&le->text);
		le->text = clean;
		strbuf_init(&clean, 0);
		reindex(le);
		le->cursor = le->nchars;
		le->first = 0;
	}
	strbuf_release(&clean);
	return rc;
}

const char *lineedit_text(const struct lineedit *le)
{
	return le->text.buf;
}

size_t lineedit_bytes(const struct lineedit *le)
{
	return le->text.len;
}

size_t lineedit_length(const struct lineedit *le)
{
	return le->nchars;
}

size_t lineedit_width(const struct lineedit *le)
{
	return le->chars[le->nchars].col;
}

bool lineedit_full(const struct lineedit *le)
{
	return le->max_chars && le->nchars >= le->max_chars;
}

size_t lineedit_cursor(const struct lineedit *le)
{
	return le->cursor;
}

size_t lineedit_cursor_col(const struct lineedit *le)
{
	return le->chars[le->cursor].col;
}

void lineedit_set_cursor(struct lineedit *le, size_t pos)
{
	if (pos > le->nchars)
		pos = le->nchars;
	while (!is_boundary(le, pos))
		pos--;
	le->cursor = pos;
}

/* Insert len bytes holding count characters at the cursor. */
static void insert_bytes(struct lineedit *le, const char *s, size_t len,
			 size_t count)
{
	size_t at = le->chars[le->cursor].off;

	strbuf_grow(&le->text, len);
	memmove(le->text.buf + at + len, le->text.buf + at,
		le->text.len - at + 1);
	memcpy(le->text.buf + at, s, len);
	le->text.len += len;
	reindex(le);
	le->cursor += count;
	cursor_forward_to_boundary(le);
}

static enum gq_status refuse_full(const struct lineedit *le,
				  struct gq_err *err)
{
	return gq_err_set(err, GQ_EINVAL,
			  _("The field is full: it holds at most %zu characters."),
			  le->max_chars);
}

enum gq_status lineedit_insert(struct lineedit *le, uint32_t cp,
			       struct gq_err *err)
{
	char buf[4];

	if (text_is_control(cp))
		return gq_err_set(err, GQ_EINVAL,
				  _("A control character (U+%04X) cannot be typed into a field."),
				  (unsigned)cp);
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return gq_err_set(err, GQ_EINVAL,
				  _("The key sent U+%04X, which is not a character, so it was not entered."),
				  (unsigned)cp);
	if (lineedit_full(le))
		return refuse_full(le, err);
	insert_bytes(le, buf, text_encode(cp, buf), 1);
	return GQ_OK;
}

enum gq_status lineedit_insert_str(struct lineedit *le, const char *s,
				   struct gq_err *err)
{
	struct strbuf clean = STRBUF_INIT;
	size_t count;
	enum gq_status rc = clean_input(s, &clean, &count, err);

	if (rc == GQ_OK && le->max_chars &&
	    (le->nchars + count > le->max_chars)) {
		size_t room = le->nchars < le->max_chars ?
			le->max_chars - le->nchars : 0;

		if (room == 0)
			rc = refuse_full(le, err);
		else
			rc = gq_err_set(err, GQ_EINVAL,
					_("The text has %zu characters but the field has room for only %zu more (it holds at most %zu), so it was not entered."),
					count, room, le->max_chars);
	}
	if (rc == GQ_OK && count > 0)
		insert_bytes(le, clean.buf, clean.len, count);
	strbuf_release(&clean);
	return rc;
}

/* Remove characters [from, to). */
static void remove_chars(struct lineedit *le, size_t from, size_t to)
{
	size_t a = le->chars[from].off, b = le->chars[to].off;

	memmove(le->text.buf + a, le->text.buf + b, le->text.len - b + 1);
	le->text.len -= b - a;
	if (le->cursor >= to)
		le->cursor -= to - from;
	else if (le->cursor > from)
		le->cursor = from;
	reindex(le);
}

bool lineedit_delete(struct lineedit *le)
{
	if (le->cursor >= le->nchars)
		return false;
	remove_chars(le, le->cursor, next_boundary(le, le->cursor));
	return true;
}

bool lineedit_backspace(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	remove_chars(le, prev_boundary(le, le->cursor), le->cursor);
	return true;
}

bool lineedit_left(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	le->cursor = prev_boundary(le, le->cursor);
	return true;
}

bool lineedit_right(struct lineedit *le)
{
	if (le->cursor >= le->nchars)
		return false;
	le->cursor = next_boundary(le, le->cursor);
	return true;
}

bool lineedit_home(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	le->cursor = 0;
	return true;
}

bool lineedit_end(struct lineedit *le)
{
	if (le->cursor == le->nchars)
		return false;
	le->cursor = le->nchars;
	return true;
}

bool lineedit_kill_end(struct lineedit *le)
{
	if (le->cursor >= le->nchars)
		return false;
	remove_chars(le, le->cursor, le->nchars);
	return true;
}

bool lineedit_kill_start(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	remove_chars(le, 0, le->cursor);
	le->first = 0;
	return true;
}

void lineedit_view(struct lineedit *le, size_t width,
		   struct lineedit_view *v)
{
	const struct lineedit_char *c = le->chars;
	size_t n = le->nchars, cur = le->cursor, first = le->first;
	size_t cur_w, end;

	if (first > n)
		first = n;
	while (!is_boundary(le, first))
		first--;
	if (width == 0) {
		le->first = cur;
		v->first = v->end = cur;
		v->cols = v->cursor_col = 0;
		v->more_left = cur > 0;
		v->more_right = cur < n;
		return;
	}
	/* The cursor's cell: its cluster, or one free column at the end. */
	cur_w = cur < n ? c[next_boundary(le, cur)].col - c[cur].col : 1;
	if (cur_w == 0)
		cur_w = 1;
	if (cur < first)
		first = cur;
	while (first < cur && c[cur].col + cur_w - c[first].col > width)
		first = next_boundary(le, first);
	/* Scroll back while everything from there to the end still fits. */
	while (first > 0) {
		size_t p = prev_boundary(le, first);

		if (c[n].col - c[p].col + 1 > width)
			break;
		first = p;
	}
	for (end = first; end < n;) {
		size_t e = next_boundary(le, end);

		if (c[e].col - c[first].col > width)
			break;
		end = e;
	}
	le->first = first;
	v->first = first;
	v->end = end;
	v->cols = c[end].col - c[first].col;
	v->cursor_col = c[cur].col - c[first].col;
	v->more_left = first > 0;
	v->more_right = end < n;
}

void lineedit_render(struct lineedit *le, size_t width, struct strbuf *out,
		     struct lineedit_view *view)
{
	struct lineedit_view v;
	size_t a, b, w;

	lineedit_view(le, width, &v);
	a = le->chars[v.first].off;
	b = le->chars[v.end].off;
	strbuf_add(out, le->text.buf + a, b - a);
	for (w = v.cols; w < width; w++)
		strbuf_addch(out, ' ');
	if (view)
		*view = v;
}
