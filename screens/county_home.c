/* county_home.c - the county office at a glance: bundles waiting on the
 * stick, silent stations, open conflicts, applications waiting by town,
 * the last import; and the way to the county's screens. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/ceremony.h"
#include "guanqing/county.h"
#include "guanqing/county_stick.h"
#include "guanqing/county_screens.h"
#include "guanqing/date.h"
#include "guanqing/draw.h"
#include "guanqing/i18n.h"
#include "guanqing/lineedit.h"
#include "guanqing/screen.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"
#include "guanqing/text.h"

struct chome {
	struct county_home h;
	struct strbuf towns;	/* "TOWN N\n" */
	struct strbuf report;	/* of the last return bundles written */
};

static const struct key_help chome_keys[] = {
	{ "F3", N_("People"), N_("The people of the county (also key 1)."), AUTH_READ, KH_ANY },
	{ "F4", N_("Apply"), N_("The applications waiting for a decision (also key 2)."), AUTH_READ, KH_ANY },
	{ "F5", N_("Facility"), N_("Facilities and their meal services (also key 3)."), AUTH_READ, KH_ANY },
	{ "F6", N_("Import"), N_("Import the stations' bundles from the stick (also key 6)."), AUTH_EXCHANGE, KH_ANY },
	{ "F7", N_("Return"), N_("Write the return bundles of every station into folders by town and village."),
	  AUTH_EXCHANGE, KH_ANY },
	{ "F8", N_("Stations"), N_("The enrolled stations: last bundle, silence, gaps (also key 4)."), AUTH_READ, KH_ANY },
	{ "c", N_("Conflicts"), N_("The open conflicts, one at a time (also key 5)."), AUTH_READ, KH_ANY },
	{ "F9", N_("Users"), N_("The users of this place, their PINs and locks (also key 7)."),
	  AUTH_MANAGE_USERS, KH_ANY },
	{ "p", NULL, N_("Change your own PIN (the current one first)."), AUTH_READ, KH_ANY },
	{ "o", N_("Sign out"), N_("Sign out, so that someone else can sign in on this PC."), AUTH_READ, KH_ANY },
	{ "r", NULL, N_("The reports (also key 8)."), AUTH_READ, KH_ANY },
	{ "m", N_("Ceremonies"), N_("Marriage registration ceremonies: the coming peak days, booking couples, the day's list."),
	  AUTH_READ, KH_ANY },
	{ "d", N_("Duplicates"), N_("The same person or benefit registered in two villages."), AUTH_REPORTS, KH_ANY },
	{ "F10", N_("Quit"), N_("Leave the program."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static int add_town(void *arg, const char *name, int64_t n)
{
	struct chome *d = arg;

	strbuf_addf(&d->towns, "%s %lld\n", name, (long long)n);
	return 0;
}

static void chome_load(struct chome *d)
{
	struct gq_err e;

	gq_err_clear(&e);
	county_home_figures(ui.db, &d->h, &e);
	county_stick_figures(ui.db, &d->h);
	strbuf_reset(&d->towns);
	county_waiting_by_town(ui.db, add_town, d, &e);
}

static void chome_draw(struct screen *s)
{
	struct chome *d = s->data;
	int y = 1, cols = ui_cols();
	const char *p;

	if (!ui.auth_on)
		ui_put(y++, 1, _("Warning: no PIN is set, so anyone at this PC works as the admin. Set PINs on the Users screen (F9)."),
		       cols - 2, UA_ERROR);
	else
		ui_putf(y++, 1, cols - 2, UA_DIM, _("Signed in: %s (%s)"), ui.user_name,
			choice_label(choices_role, auth_role_code(ui.role)));
	ui_put(y++, 1, _("The county office"), cols - 2, UA_HEADER);
	if (d->h.bundles_waiting < 0)
		ui_put(y++, 2, _("No USB stick is mounted."), cols - 4, UA_DIM);
	else
		ui_putf(y++, 2, cols - 4, d->h.bundles_waiting ? UA_HIGH : UA_NORMAL,
			_("Bundles waiting on the stick: %lld (F6 imports them)"), (long long)d->h.bundles_waiting);
	ui_putf(y++, 2, cols - 4, d->h.silent ? UA_HIGH : UA_NORMAL,
		_("Stations silent for %d days or more: %lld of %lld"), COUNTY_SILENT_DAYS,
		(long long)d->h.silent, (long long)d->h.stations);
	ui_putf(y++, 2, cols - 4, d->h.conflicts ? UA_HIGH : UA_NORMAL, _("Open conflicts: %lld"),
		(long long)d->h.conflicts);
	if (d->h.last_import[0])
		ui_putf(y++, 2, cols - 4, UA_NORMAL, _("Last import: %s, from %s"), d->h.last_import,
			d->h.last_import_from);
	else
		ui_put(y++, 2, _("Last import: never"), cols - 4, UA_NORMAL);
	{
		/* The coming peak days of the registration centre. */
		struct ceremony_peak peaks[3];
		char today[DATE_SIZE];
		struct strbuf sb = STRBUF_INIT;
		size_t i, n;

		date_format(date_today(), today);
		n = ceremony_peaks_from(today, peaks, 3);
		for (i = 0; i < n; i++)
			strbuf_addf(&sb, "%s%s %s", i ? "   " : "", peaks[i].date, peaks[i].name);
		if (n)
			ui_putf(y++, 2, cols - 4, UA_NORMAL, _("Coming ceremony days: %s (m: ceremonies)"), sb.buf);
		strbuf_release(&sb);
	}
	ui_putf(y++, 2, cols - 4, UA_NORMAL, _("Applications waiting for a decision: %lld"), (long long)d->h.waiting);
	for (p = d->towns.buf; *p && y < ui_lines() - 4; y++) {
		size_t len = strcspn(p, "\n");

		ui_putf(y, 4, cols - 6, UA_NORMAL, "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
	}
	if (d->report.len) {
		y++;
		for (p = d->report.buf; *p && y < ui_lines() - 2; y++) {
			size_t len = strcspn(p, "\n");

			ui_putf(y, 2, cols - 4, UA_DIM, "%.*s", (int)len, p);
			p += len + (p[len] == '\n');
		}
	}
}

void county_write_returns(const char *village, struct strbuf *report)
{
	char medium[1024];
	const char *one[1] = { village };
	struct gq_err e;

	gq_err_clear(&e);
	strbuf_reset(report);
	if (!ui_choose_medium(medium, sizeof(medium), 0))
		return;
	if (county_export_returns(ui.db, medium, one, village ? 1 : 0, report, NULL, NULL, &e) != GQ_OK) {
		ui_msg(1, "%s", e.msg);
		return;
	}
	ui_msg(0, _("The return bundles are written on %s, one folder per village."), medium);
}

static int chome_key(struct screen *s, int k)
{
	struct chome *d = s->data;

	switch (k) {
	case KF(KEY_F(3)):
	case '1':
	case '/':
		people_open();
		break;
	case KF(KEY_F(4)):
	case '2':
		applications_open();
		break;
	case KF(KEY_F(5)):
	case '3':
		records_open(table_find("facility"), NULL, NULL);
		break;
	case KF(KEY_F(6)):
	case '6':
		if (ui_allow(AUTH_EXCHANGE))
			import_open();
		break;
	case KF(KEY_F(7)):
		if (ui_allow(AUTH_EXCHANGE)) {
			county_write_returns(NULL, &d->report);
			chome_load(d);
		}
		break;
	case KF(KEY_F(8)):
	case '4':
		stations_open();
		break;
	case 'c':
	case 'C':
	case '5':
		conflicts_open();
		break;
	case 'm':
	case 'M':
		ceremony_open();
		break;
	case 'd':
	case 'D':
		if (ui_allow(AUTH_REPORTS))
			duplicates_open();
		break;
	default:
		return home_shared_key(k) ? SK_DONE : SK_UNHANDLED;
	}
	return SK_DONE;
}

static void chome_resume(struct screen *s)
{
	chome_load(s->data);
}

static void chome_close(struct screen *s)
{
	struct chome *d = s->data;

	strbuf_release(&d->towns);
	strbuf_release(&d->report);
	free(d);
}

static const struct screen_ops chome_ops = {
	.name = "county_home", .title = N_("County Home"), .keys = chome_keys,
	.draw = chome_draw, .key = chome_key, .resume = chome_resume, .close = chome_close,
};

void county_home_open(void)
{
	struct chome *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	strbuf_init(&d->towns, 0);
	strbuf_init(&d->report, 0);
	chome_load(d);
	screen_push(&chome_ops, d);
}

/* ---- dialogs the county's screens share ---- */

struct vlist {
	char **labels, **names, **codes;
	size_t n, alloc;
};

static int vlist_add(void *arg, const char *code, const char *name, const char *town)
{
	struct vlist *v = arg;
	struct strbuf l = STRBUF_INIT;

	if (v->n == v->alloc) {
		v->alloc = v->alloc ? 2 * v->alloc : 512;
		v->labels = realloc(v->labels, v->alloc * sizeof(char *));
		v->names = realloc(v->names, v->alloc * sizeof(char *));
		v->codes = realloc(v->codes, v->alloc * sizeof(char *));
		if (!v->labels || !v->names || !v->codes)
			abort();
	}
	strbuf_addf(&l, "%s %s  %s", town, name, code);
	v->labels[v->n] = strbuf_detach(&l, NULL);
	v->names[v->n] = strdup(name);
	v->codes[v->n] = strdup(code);
	v->n++;
	return 0;
}

int county_choose_village(const char *title, char *out)
{
	struct vlist v = { NULL, NULL, NULL, 0, 0 };
	struct gq_err e;
	size_t i;
	int pick = -1;

	gq_err_clear(&e);
	county_villages(ui.db, vlist_add, &v, &e);
	if (v.n)
		pick = ui_choose_search(title, (const char *const *)v.labels, (const char *const *)v.names,
					v.n, 0);
	if (pick >= 0)
		snprintf(out, 16, "%s", v.codes[pick]);
	for (i = 0; i < v.n; i++) {
		free(v.labels[i]);
		free(v.names[i]);
		free(v.codes[i]);
	}
	free(v.labels);
	free(v.names);
	free(v.codes);
	return pick >= 0;
}
