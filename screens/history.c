/* history.c - the audit trail of one record (history_each): when, at
 * which station, by whom, which field, from what to what; oldest first,
 * scrolling. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/history.h"
#include "guanqing/i18n.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

struct hist {
	char title[256];
	char **line;
	size_t n, alloc;
	int first;
};

static const struct key_help hist_keys[] = {
	{ "Up/Down", NULL, N_("Scroll the history; PgUp/PgDn by a page."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the card."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void col(struct strbuf *sb, const char *text, size_t w)
{
	struct strbuf t = STRBUF_INIT;

	ui_text(&t, text ? text : "");
	text_pad(sb, t.buf, w, TEXT_ELLIPSIS_CUT);
	strbuf_addch(sb, ' ');
	strbuf_release(&t);
}

static int hist_add(void *ctx, const struct history_entry *e)
{
	struct hist *d = ctx;
	struct strbuf sb = STRBUF_INIT;
	if (d->n == d->alloc) {
		size_t na = d->alloc ? d->alloc * 2 : 64;
		void *p = realloc(d->line, na * sizeof(*d->line));

		if (!p)
			return 1;
		d->line = p;
		d->alloc = na;
	}
	/* Local time, labels and the values as they read. */
	col(&sb, e->when, 16);
	col(&sb, e->station ? e->station : e->origin, 10);
	col(&sb, e->user ? e->user : e->user_id ? e->user_id : _("(program)"), 8);
	col(&sb, e->label, 14);
	col(&sb, e->old_text ? e->old_text : "", 12);
	strbuf_addstr(&sb, "-> ");
	strbuf_addstr(&sb, e->new_text ? e->new_text : _("(emptied)"));
	d->line[d->n++] = strbuf_detach(&sb, NULL);
	return 0;
}

static void hist_draw(struct screen *s)
{
	struct hist *d = s->data;
	int rows = ui_lines() - 6, i, cols = ui_cols();
	struct strbuf h = STRBUF_INIT;

	ui_putf(1, 1, cols - 2, UA_HEADER, _("History of %s: who changed what (%zu changes)"), d->title, d->n);
	col(&h, _("Time"), 16);
	col(&h, _("Station"), 10);
	col(&h, _("User"), 8);
	col(&h, _("Field"), 14);
	col(&h, _("From"), 12);
	strbuf_addstr(&h, _("To"));
	ui_put(3, 1, h.buf, cols - 2, UA_HEADER);
	strbuf_release(&h);
	if (d->first > (int)d->n - rows)
		d->first = (int)d->n - rows;
	if (d->first < 0)
		d->first = 0;
	if (!d->n)
		ui_put(4, 2, _("No change is recorded."), cols - 3, UA_DIM);
	for (i = 0; i < rows && (size_t)(d->first + i) < d->n; i++)
		ui_put(4 + i, 1, d->line[d->first + i], cols - 2, UA_NORMAL);
}

static int hist_key(struct screen *s, int k)
{
	struct hist *d = s->data;

	switch (k) {
	case KF(KEY_UP):
		d->first--;
		break;
	case KF(KEY_DOWN):
		d->first++;
		break;
	case KF(KEY_PPAGE):
		d->first -= ui_lines() - 7;
		break;
	case KF(KEY_NPAGE):
		d->first += ui_lines() - 7;
		break;
	case KF(KEY_HOME):
		d->first = 0;
		break;
	case KF(KEY_END):
		d->first = (int)d->n;
		break;
	default:
		return SK_UNHANDLED;
	}
	return SK_DONE;
}

static void hist_close(struct screen *s)
{
	struct hist *d = s->data;
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->line[i]);
	free(d->line);
	free(d);
}

static const struct screen_ops hist_ops = {
	.name = "history", .title = N_("History"), .keys = hist_keys,
	.draw = hist_draw, .key = hist_key, .close = hist_close,
};

void history_open(const char *tbl, const char *id, const char *title)
{
	struct hist *d = calloc(1, sizeof(*d));
	struct gq_err e;

	if (!d)
		return;
	gq_err_clear(&e);
	snprintf(d->title, sizeof(d->title), "%s", title ? title : "");
	if (history_each(ui.db, tbl, id, hist_add, d, &e) != GQ_OK)
		ui_msg(1, "%s", e.msg);
	/* Newest at the bottom, shown first. */
	d->first = (int)d->n;
	screen_push(&hist_ops, d);
}
