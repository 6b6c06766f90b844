/* stations.c - the county's enrolled stations by town and village: the
 * last bundle, days since, changes not acknowledged, missing bundles,
 * clock warnings, silent ones marked; enrol, re-enrol and revoke. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/county.h"
#include "guanqing/county_screens.h"
#include "guanqing/draw.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/list.h"
#include "guanqing/screen.h"
#include "guanqing/sync.h"

struct stations {
	struct list_view list;
	char villages[512][16];	/* of the rows, by row */
	unsigned char silent[512];	/* by row */
	char msg[512];
};

static const struct key_help stations_keys[] = {
	{ "e", N_("Enrol"), N_("Enrol a station for a village: a setup file on the stick and its passphrase."),
	  AUTH_ENROL, KH_ANY },
	{ "n", N_("Re-enrol"), N_("Enrol the chosen station's village again (a new PC); the old one is revoked."),
	  AUTH_ENROL, KH_ANY },
	{ "v", N_("Revoke"), N_("Revoke the chosen station: its bundles are refused from now on."), AUTH_ENROL, KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static int stations_add(void *arg, const struct county_station *s)
{
	struct stations *d = arg;
	char last[24] = "", days[24], unacked[24], date[16] = "";
	struct strbuf status = STRBUF_INIT;
	const char *cells[9];

	if (!s->village)
		return 0;	/* a station's own county row */
	if (s->last_number)
		snprintf(last, sizeof(last), "%lld", (long long)s->last_number);
	snprintf(days, sizeof(days), "%ld", s->days_since);
	snprintf(unacked, sizeof(unacked), "%lld", (long long)s->unacked);
	if (s->last_date)
		snprintf(date, sizeof(date), "%.10s", s->last_date);
	if (strcmp(s->status, "active"))
		strbuf_addstr(&status, _("revoked"));
	else if (s->silent)
		strbuf_addf(&status, "!! %s", _("silent"));
	else
		strbuf_addstr(&status, _("active"));
	cells[0] = s->town_name;
	cells[1] = s->village_name;
	cells[2] = status.buf;
	cells[3] = last;
	cells[4] = date;
	cells[5] = days;
	cells[6] = unacked;
	cells[7] = s->gaps;
	cells[8] = s->clock_warning;
	if (d->list.rows < 512) {
		snprintf(d->villages[d->list.rows], 16, "%s", s->village);
		d->silent[d->list.rows] = (unsigned char)s->silent;
	}
	list_add_row(&d->list, s->id, cells);
	strbuf_release(&status);
	return 0;
}

static void stations_load(struct stations *d)
{
	struct gq_err e;

	gq_err_clear(&e);
	list_clear(&d->list);
	county_stations(ui.db, stations_add, d, &e);
}

static void stations_draw(struct screen *s)
{
	struct stations *d = s->data;
	int y = 1;

	if (d->msg[0])
		ui_put(y++, 1, d->msg, ui_cols() - 2, UA_HIGH);
	if (!d->list.rows) {
		ui_put(y, 2, _("No station is enrolled yet; e enrols one."), ui_cols() - 4, UA_DIM);
		return;
	}
	list_draw(&d->list, y, 1, ui_lines() - 2 - y, ui_cols() - 2);
	/* Silent stations stand out (besides the "!!" of their status, for
	 * a monochrome screen): the widget draws a row on line y + 1 + its
	 * place below the first row shown. */
	{
		int r, h = ui_lines() - 2 - y - 2;
		attr_t a = ui_attr_of(UA_HIGH);

		for (r = d->list.first; r < d->list.first + h && (size_t)r < d->list.rows && r < 512; r++)
			if (d->silent[r] && r != d->list.cur)
				mvchgat(y + 1 + (r - d->list.first), 1, ui_cols() - 2, a & ~A_COLOR,
					(short)PAIR_NUMBER(a), NULL);
	}
}

static void enrol(struct stations *d, const char *village)
{
	char medium[1024], pass[KEYS_PASSPHRASE_SIZE], path[4096];
	struct gq_err e;

	gq_err_clear(&e);
	if (!ui_choose_medium(medium, sizeof(medium), 0))
		return;
	if (sync_enroll(ui.db, village, medium, pass, path, sizeof(path), &e) != GQ_OK) {
		ui_msg(1, "%s", e.msg);
		return;
	}
	snprintf(d->msg, sizeof(d->msg), _("Setup file %s; passphrase (give it separately): %s"), path, pass);
	keys_wipe(pass, sizeof(pass));
	stations_load(d);
}

static int stations_key(struct screen *s, int k)
{
	struct stations *d = s->data;
	char village[16];
	struct gq_err e;

	gq_err_clear(&e);
	if (list_key(&d->list, k))
		return SK_DONE;
	switch (k) {
	case 'e':
		if (ui_allow(AUTH_ENROL) && county_choose_village(_("Enrol a station for which village?"), village))
			enrol(d, village);
		return SK_DONE;
	case 'n':
		if (ui_allow(AUTH_ENROL) && list_current(&d->list) && d->list.cur < 512 &&
		    ui_confirm(_("Enrol this village again? Its present station is then refused.")))
			enrol(d, d->villages[d->list.cur]);
		return SK_DONE;
	case 'v':
		if (ui_allow(AUTH_ENROL) && list_current(&d->list) &&
		    ui_confirm(_("Revoke this station? Its bundles are refused from now on."))) {
			if (county_station_revoke(ui.db, list_current(&d->list), &e) != GQ_OK)
				ui_msg(1, "%s", e.msg);
			else
				ui_msg(0, "%s", _("The station is revoked."));
			stations_load(d);
		}
		return SK_DONE;
	default:
		return SK_UNHANDLED;
	}
}

static void stations_close(struct screen *s)
{
	struct stations *d = s->data;

	keys_wipe(d->msg, sizeof(d->msg));
	list_release(&d->list);
	free(d);
}

static const struct screen_ops stations_ops = {
	.name = "stations", .title = N_("Stations"), .keys = stations_keys,
	.draw = stations_draw, .key = stations_key, .close = stations_close,
};

void stations_open(void)
{
	struct stations *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	list_init(&d->list);
	list_add_col(&d->list, _("Town"), 10, 0);
	list_add_col(&d->list, _("Village"), 10, 0);
	list_add_col(&d->list, _("Status"), 9, 0);
	list_add_col(&d->list, _("Last bundle"), 6, 1);
	list_add_col(&d->list, _("Date"), 10, 0);
	list_add_col(&d->list, _("Days"), 5, 1);
	list_add_col(&d->list, _("Not acknowledged"), 8, 1);
	list_add_col(&d->list, _("Missing bundles"), 10, 0);
	list_add_col(&d->list, _("Clock"), 20, 0);
	stations_load(d);
	screen_push(&stations_ops, d);
}
