/* conflicts.c - the county's open conflicts, one at a time: whom it is
 * about, the field, each value beside its station, user and local time;
 * keep one or type the right value. The decision travels back to the
 * stations as a change that supersedes both values. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/county.h"
#include "guanqing/county_screens.h"
#include "guanqing/i18n.h"
#include "guanqing/merge.h"
#include "guanqing/screen.h"
#include "guanqing/strbuf.h"

#define CONFLICTS_MAX 1000

struct conflicts {
	int64_t ids[CONFLICTS_MAX];
	size_t n;
	size_t at;
	struct strbuf shown;	/* the lines of the current one */
	char origin[2][37];
	char kind[20];
};

static const struct key_help conflicts_keys[] = {
	{ "1", N_("Keep 1"), N_("Keep the first value (the one the record shows now)."), AUTH_CONFLICTS, KH_ANY },
	{ "2", N_("Keep 2"), N_("Keep the second value."), AUTH_CONFLICTS, KH_ANY },
	{ "t", N_("Type"), N_("Type the right value."), AUTH_CONFLICTS, KH_ANY },
	{ "PgDn", N_("Next"), N_("The next conflict (PgUp: the one before)."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static int collect(void *arg, const struct county_conflict *c)
{
	struct conflicts *d = arg;

	if (d->n < CONFLICTS_MAX)
		d->ids[d->n++] = c->id;
	return 0;
}

static int show_one(void *arg, const struct county_conflict *c)
{
	struct conflicts *d = arg;
	int i;

	strbuf_reset(&d->shown);
	strbuf_addf(&d->shown, _("About: %s (%s)\n"), c->about, c->village_name);
	strbuf_addf(&d->shown, _("Record: %s   Field: %s\n"), c->table_label, c->field_label);
	strbuf_addch(&d->shown, '\n');
	for (i = 0; i < 2; i++) {
		strbuf_addf(&d->shown, "%d  %s\n", i + 1, c->side[i].value);
		strbuf_addf(&d->shown, _("   from %s, by %s, at %s%s\n"), c->side[i].place,
			    c->side[i].user[0] ? c->side[i].user : "-", c->side[i].when,
			    c->side[i].winner ? _(" (shown now)") : "");
		snprintf(d->origin[i], sizeof(d->origin[i]), "%s", c->side[i].origin);
	}
	snprintf(d->kind, sizeof(d->kind), "%s", c->kind);
	return 1;
}

static void conflicts_load(struct conflicts *d)
{
	struct gq_err e;

	gq_err_clear(&e);
	d->n = 0;
	county_conflicts(ui.db, collect, d, &e);
	if (d->at >= d->n)
		d->at = d->n ? d->n - 1 : 0;
	strbuf_reset(&d->shown);
	if (d->n)
		county_conflict_get(ui.db, d->ids[d->at], show_one, d, &e);
}

static void conflicts_draw(struct screen *s)
{
	struct conflicts *d = s->data;
	const char *p;
	int y = 2;

	if (!d->n) {
		ui_put(y, 2, _("No conflict is open."), ui_cols() - 4, UA_DIM);
		return;
	}
	ui_putf(y++, 2, ui_cols() - 4, UA_HEADER, _("Conflict %zu of %zu"), d->at + 1, d->n);
	y++;
	for (p = d->shown.buf; *p && y < ui_lines() - 2; y++) {
		size_t len = strcspn(p, "\n");

		ui_putf(y, 2, ui_cols() - 4, UA_NORMAL, "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static void settle(struct conflicts *d, const char *value, const char *origin)
{
	struct gq_err e;

	gq_err_clear(&e);
	if (merge_resolve(ui.db, d->ids[d->at], value, origin, &e) != GQ_OK) {
		ui_msg(1, "%s", e.msg);
		return;
	}
	ui_msg(0, "%s", _("Settled; the decision travels to the stations in their next bundles."));
	conflicts_load(d);
}

static int conflicts_key(struct screen *s, int k)
{
	struct conflicts *d = s->data;
	char value[256] = "";

	switch (k) {
	case '1':
	case '2':
		if (d->n && ui_allow(AUTH_CONFLICTS))
			settle(d, NULL, d->origin[k - '1']);
		return SK_DONE;
	case 't':
		if (d->n && ui_allow(AUTH_CONFLICTS)) {
			if (!strcmp(d->kind, "delete_edit"))
				ui_msg(1, "%s", _("A deletion is settled by keeping one side (1 or 2)."));
			else if (ui_ask_text(_("The right value"), _("Value:"), NULL, value, 200, value, sizeof(value)))
				settle(d, value, NULL);
		}
		return SK_DONE;
	case KF(KEY_NPAGE):
	case KF(KEY_DOWN):
		if (d->at + 1 < d->n) {
			d->at++;
			conflicts_load(d);
		}
		return SK_DONE;
	case KF(KEY_PPAGE):
	case KF(KEY_UP):
		if (d->at > 0) {
			d->at--;
			conflicts_load(d);
		}
		return SK_DONE;
	default:
		return SK_UNHANDLED;
	}
}

static void conflicts_close(struct screen *s)
{
	struct conflicts *d = s->data;

	strbuf_release(&d->shown);
	free(d);
}

static const struct screen_ops conflicts_ops = {
	.name = "conflicts", .title = N_("Conflicts"), .keys = conflicts_keys,
	.draw = conflicts_draw, .key = conflicts_key, .close = conflicts_close,
};

void conflicts_open(void)
{
	struct conflicts *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	strbuf_init(&d->shown, 0);
	conflicts_load(d);
	screen_push(&conflicts_ops, d);
}
