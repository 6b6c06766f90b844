/* ceremony.c - the county's marriage registration ceremonies: the coming
 * peak days (七夕 with its lunar date), the coming ceremonies with their
 * places booked, and from a ceremony its day's list of couples. Adding a
 * ceremony or a couple is the generic record form (tables.c), whose save
 * runs the booking rules (ceremony.h) and shows a refusal's reason. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/ceremony.h"
#include "guanqing/clock.h"
#include "guanqing/county_screens.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/lunar.h"
#include "guanqing/screen.h"
#include "guanqing/strbuf.h"

#define PEAKS_SHOWN 6

struct cer_screen {
	struct ceremony_peak peaks[PEAKS_SHOWN];
	size_t npeaks;
	struct list_view list;	/* row ids: the ceremonies */
	char err[GQ_ERR_MSG_MAX];
};

static const struct key_help cer_keys[] = {
	{ "Enter", N_("Couples"), N_("The day's list: the couples booked for the chosen ceremony; F3 there books a couple."),
	  AUTH_READ, KH_ANY },
	{ "b", N_("Book"), N_("Book a couple for the chosen ceremony."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F3", N_("Add"), N_("Add a ceremony (date, place, capacity)."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "e", NULL, N_("Change the chosen ceremony."), AUTH_EDIT_RECORDS, KH_ANY },
	{ "F10", N_("Back"), N_("Back to the screen before."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static int cer_add(void *arg, const struct ceremony_row *c)
{
	struct cer_screen *d = arg;
	char booked[48];
	const char *cells[6];

	snprintf(booked, sizeof(booked), "%ld/%ld", c->booked, c->capacity);
	cells[0] = c->date;
	cells[1] = c->start_time;
	cells[2] = c->peak;
	cells[3] = c->place;
	cells[4] = booked;
	cells[5] = c->title;
	list_add_row(&d->list, c->id, cells);
	return 0;
}

static void cer_load(struct cer_screen *d)
{
	char today[DATE_SIZE];
	struct gq_err e;

	clock_today(today, sizeof(today));
	d->npeaks = ceremony_peaks_from(today, d->peaks, PEAKS_SHOWN);
	d->err[0] = '\0';
	list_clear(&d->list);
	gq_err_clear(&e);
	if (ceremony_each(ui.db, today, cer_add, d, &e) != GQ_OK)
		snprintf(d->err, sizeof(d->err), "%s", e.msg);
}

/* "2027-08-08 七夕 (2027年七月初七)" */
static void peak_text(const struct ceremony_peak *p, struct strbuf *out)
{
	struct lunar_date ld;
	int64_t z;
	char lunar[LUNAR_TEXT_SIZE];

	strbuf_addf(out, "%s %s", p->date, p->name);
	if (!strcmp(p->code, "qixi") && date_parse(p->date, NULL, &z) == DATE_OK &&
	    lunar_from_days(z, &ld) == 0 && lunar_format(&ld, lunar, sizeof(lunar)) == 0)
		strbuf_addf(out, " (%s)", lunar);
}

static void cer_draw(struct screen *s)
{
	struct cer_screen *d = s->data;
	struct strbuf line = STRBUF_INIT;
	int y = 1, cols = ui_cols();
	size_t i;

	ui_put(y++, 1, _("Coming peak days:"), cols - 2, UA_HEADER);
	for (i = 0; i < d->npeaks && i < 3; i++) {
		strbuf_reset(&line);
		strbuf_addstr(&line, "  ");
		peak_text(&d->peaks[i], &line);
		ui_put(y++, 1, line.buf, cols - 2, UA_NORMAL);
	}
	strbuf_release(&line);
	y++;
	ui_putf(y++, 1, cols - 2, UA_HEADER, _("Coming ceremonies (%zu):"), d->list.rows);
	if (d->err[0])
		ui_put(y, 2, d->err, cols - 3, UA_ERROR);
	else if (d->list.rows == 0)
		ui_put(y, 2, _("No ceremony is planned. F3 adds one."), cols - 3, UA_DIM);
	else
		list_draw(&d->list, y, 1, ui_lines() - 2 - y, cols - 2);
}

static int cer_key(struct screen *s, int k)
{
	struct cer_screen *d = s->data;
	const char *id = list_current(&d->list);

	if (list_key(&d->list, k))
		return SK_DONE;
	switch (k) {
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (id)
			records_open(table_find("ceremony_booking"), "ceremony_id", id);
		break;
	case 'b':
	case 'B':
		if (id && ui_allow(AUTH_EDIT_RECORDS))
			recform_open(table_find("ceremony_booking"), NULL, "ceremony_id", id);
		break;
	case 'e':
	case 'E':
		if (id && ui_allow(AUTH_EDIT_RECORDS))
			recform_open(table_find("ceremony"), id, NULL, NULL);
		break;
	case KF(KEY_F(3)):
	case KF(KEY_IC):
		if (ui_allow(AUTH_EDIT_RECORDS))
			recform_open(table_find("ceremony"), NULL, NULL, NULL);
		break;
	default:
		return SK_UNHANDLED;
	}
	return SK_DONE;
}

static void cer_resume(struct screen *s)
{
	cer_load(s->data);
}

static void cer_close(struct screen *s)
{
	struct cer_screen *d = s->data;

	list_release(&d->list);
	free(d);
}

static const struct screen_ops cer_ops = {
	.name = "ceremony", .title = N_("Marriage ceremonies"), .keys = cer_keys,
	.draw = cer_draw, .key = cer_key, .resume = cer_resume, .close = cer_close,
};

void ceremony_open(void)
{
	struct cer_screen *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	list_init(&d->list);
	list_add_col(&d->list, _("Date"), 10, 0);
	list_add_col(&d->list, _("Time"), 5, 0);
	list_add_col(&d->list, _("Peak day"), 8, 0);
	list_add_col(&d->list, _("Place"), 20, 0);
	list_add_col(&d->list, _("Booked"), 7, 1);
	list_add_col(&d->list, _("Title"), 24, 0);
	cer_load(d);
	screen_push(&cer_ops, d);
}
