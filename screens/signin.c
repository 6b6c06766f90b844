/* signin.c - choose the user who works at the station.
 *
 * The PIN is checked by a later change; a station without users goes
 * straight on as the system user. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/screen.h"

struct signin {
	char (*id)[40];
	char **label;
	size_t n;
	int cur;
};

static const struct key_help signin_keys[] = {
	{ "Enter", N_("Sign in"), N_("Sign in as the chosen user.") },
	{ "Up/Down", NULL, N_("Choose a user.") },
	{ "F10", N_("Quit"), N_("Leave the program.") },
	{ NULL, NULL, NULL }
};

static void signin_draw(struct screen *s)
{
	struct signin *d = s->data;
	size_t i;

	ui_put(2, 2, _("Who is working? Choose your name and press Enter."), ui_cols() - 4, UA_HEADER);
	for (i = 0; i < d->n && (int)i + 4 < ui_lines() - 2; i++)
		ui_put(4 + (int)i, 4, d->label[i], ui_cols() - 8, (int)i == d->cur ? UA_SELECT : UA_NORMAL);
}

static int signin_key(struct screen *s, int k)
{
	struct signin *d = s->data;

	if (k == KF(KEY_UP) && d->cur > 0)
		d->cur--;
	else if (k == KF(KEY_DOWN) && (size_t)d->cur + 1 < d->n)
		d->cur++;
	else if (IS_ENTER(k) && d->n) {
		strncpy(ui.db->user_id, d->id[d->cur], sizeof(ui.db->user_id) - 1);
		screen_pop();
		home_open();
	} else
		return SK_UNHANDLED;
	return SK_DONE;
}

static void signin_close(struct screen *s)
{
	struct signin *d = s->data;
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->label[i]);
	free(d->label);
	free(d->id);
	free(d);
}

static const struct screen_ops signin_ops = {
	.name = "signin", .title = N_("Sign in"), .keys = signin_keys,
	.draw = signin_draw, .key = signin_key, .close = signin_close,
};

void signin_open(void)
{
	struct signin *d = calloc(1, sizeof(*d));
	sqlite3_stmt *st;
	size_t alloc = 0;

	if (d && sqlite3_prepare_v2(ui.db->h, "SELECT id, name, role FROM users WHERE deleted = 0"
				    " AND active = 1 ORDER BY name, id", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct strbuf sb = STRBUF_INIT;
			const char *role = (const char *)sqlite3_column_text(st, 2);

			if (d->n == alloc) {
				void *a, *b;

				alloc = alloc ? alloc * 2 : 8;
				a = realloc(d->id, alloc * sizeof(*d->id));
				if (a)
					d->id = a;
				b = realloc(d->label, alloc * sizeof(*d->label));
				if (b)
					d->label = b;
				if (!a || !b)
					break;
			}
			snprintf(d->id[d->n], sizeof(d->id[d->n]), "%s", (const char *)sqlite3_column_text(st, 0));
			strbuf_addf(&sb, "%s  (%s)", (const char *)sqlite3_column_text(st, 1),
				    choice_label(choices_role, role));
			d->label[d->n++] = strbuf_detach(&sb, NULL);
		}
		sqlite3_finalize(st);
	}
	if (!d || d->n == 0) {
		if (d)
			free(d);
		home_open();
		return;
	}
	screen_push(&signin_ops, d);
}
