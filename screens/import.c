/* import.c - the county's import from the stick: every bundle found, a
 * progress bar over the bundles and the records of the one being read,
 * then the report per station (its town and village, never an id); the
 * bundles imported before are one line. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/county.h"
#include "guanqing/county_screens.h"
#include "guanqing/i18n.h"
#include "guanqing/screen.h"
#include "guanqing/sync.h"
#include "guanqing/text.h"

struct import {
	struct strbuf report;	/* what the screen shows */
	size_t bundle, bundles;
	int already, skipped;
	int first;		/* first line shown */
};

static const struct key_help import_keys[] = {
	{ "PgDn", NULL, N_("Scroll the report (PgUp: back)."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void bar(int y, const char *label, uint64_t done, uint64_t total)
{
	int cols = ui_cols() - 8, fill, i;
	struct strbuf b = STRBUF_INIT;

	if (cols < 10)
		return;
	fill = total ? (int)((double)done / (double)total * cols) : cols;
	if (fill > cols)
		fill = cols;
	for (i = 0; i < cols; i++)
		strbuf_addch(&b, i < fill ? '#' : '.');
	ui_put(y - 1, 2, label, cols + 4, UA_NORMAL);
	ui_putf(y, 2, cols + 4, UA_HIGH, "[%s]", b.buf);
	strbuf_release(&b);
}

static void on_bundle(void *ctx, size_t i, size_t n, const char *path)
{
	struct import *d = ctx;
	char label[256];

	(void)path;
	d->bundle = i;
	d->bundles = n;
	snprintf(label, sizeof(label), _("Bundle %zu of %zu"), i + 1, n);
	bar(ui_lines() / 2 - 1, label, i, n);
	refresh();
}

static void on_records(void *ctx, uint64_t done, uint64_t total)
{
	char label[256];

	(void)ctx;
	snprintf(label, sizeof(label), _("Records: %llu of %llu"), (unsigned long long)done,
		 (unsigned long long)total);
	bar(ui_lines() / 2 + 2, label, done, total);
	refresh();
}

static void on_result(void *ctx, const struct sync_bundle_result *r)
{
	struct import *d = ctx;
	struct strbuf who = STRBUF_INIT;

	if (r->outcome == SYNC_B_ALREADY) {
		d->already++;
		return;
	}
	if (r->outcome == SYNC_B_SKIPPED) {
		d->skipped++;
		return;
	}
	if (r->sender[0])
		county_origin_name(ui.db, r->sender, &who);
	if (r->outcome == SYNC_B_IMPORTED) {
		strbuf_addf(&d->report, _("%s: bundle %llu: %lld records, %lld new or changed, %lld already here, %lld conflicts\n"),
			    who.buf, (unsigned long long)r->number, (long long)r->changes, (long long)r->applied,
			    (long long)r->duplicates, (long long)r->conflicts);
		if (r->gaps[0])
			strbuf_addf(&d->report, _("  missing bundles: %s\n"), r->gaps);
		if (r->clock_warning)
			strbuf_addstr(&d->report, _("  warning: the station's clock is wrong\n"));
		if (r->refused_changes) {
			strbuf_addf(&d->report, _("  %lld changes refused:\n"), (long long)r->refused_changes);
			strbuf_addstr(&d->report, r->refusals ? r->refusals : "");
		}
		strbuf_addstr(&d->report, r->notes ? r->notes : "");
	} else {
		strbuf_addf(&d->report, "%s%s", who.len ? who.buf : "", who.len ? ": " : "");
		strbuf_addstr(&d->report, r->text);
	}
	strbuf_release(&who);
}

static void import_run(struct import *d)
{
	struct sync_import_observer obs = { on_bundle, on_records, on_result, d };
	char medium[1024];
	const char *paths[1] = { medium };
	struct strbuf raw = STRBUF_INIT;
	struct gq_err e;
	enum gq_status rc;
	int refused = 0;

	gq_err_clear(&e);
	screen_draw_all();
	if (!ui_choose_medium(medium, sizeof(medium), 0))
		return;
	rc = sync_import_observed(ui.db, paths, 1, &raw, &refused, &obs, &e);
	if (d->already)
		strbuf_addf(&d->report, _("%d bundles were imported before: nothing to do.\n"), d->already);
	if (d->skipped)
		strbuf_addf(&d->report, _("%d bundles are addressed to another database and were left.\n"), d->skipped);
	if (rc == GQ_OK && !d->bundles)
		strbuf_addstr(&d->report, _("No bundle was found.\n"));
	if (rc == GQ_OK)
		ui_msg(0, _("Import finished: %zu bundles."), d->bundles);
	else if (rc == GQ_ECORRUPT)
		ui_msg(1, _("%d bundles were refused; see the report."), refused);
	else {
		ui_msg(1, "%s", e.msg);
		strbuf_addf(&d->report, "%s\n", e.msg);
	}
	strbuf_release(&raw);
}

static void import_draw(struct screen *s)
{
	struct import *d = s->data;
	const char *p = d->report.buf;
	int y = 2, skip = d->first, cols = ui_cols() - 5;

	ui_put(1, 2, _("The report per station:"), ui_cols() - 4, UA_HEADER);
	/* Each line wrapped at the screen's width; continuations indented. */
	while (*p && y < ui_lines() - 2 && cols > 10) {
		size_t len = strcspn(p, "\n"), off = 0, w, cut;
		int indent = 0;

		while (off < len && y < ui_lines() - 2) {
			cut = text_prefix(p + off, (size_t)(cols - indent), &w);
			if (cut > len - off)
				cut = len - off;
			if (!cut)
				break;
			if (skip > 0)
				skip--;
			else
				ui_putf(y++, 2 + indent, cols - indent, UA_NORMAL, "%.*s", (int)cut, p + off);
			off += cut;
			indent = 4;
		}
		p += len + (p[len] == '\n');
	}
}

static int import_key(struct screen *s, int k)
{
	struct import *d = s->data;

	if (k == KF(KEY_NPAGE) || k == KF(KEY_DOWN)) {
		d->first += k == KF(KEY_DOWN) ? 1 : ui_lines() - 4;
		return SK_DONE;
	}
	if (k == KF(KEY_PPAGE) || k == KF(KEY_UP)) {
		d->first -= k == KF(KEY_UP) ? 1 : ui_lines() - 4;
		if (d->first < 0)
			d->first = 0;
		return SK_DONE;
	}
	return SK_UNHANDLED;
}

static void import_close(struct screen *s)
{
	struct import *d = s->data;

	strbuf_release(&d->report);
	free(d);
}

static const struct screen_ops import_ops = {
	.name = "import", .title = N_("Import"), .keys = import_keys,
	.draw = import_draw, .key = import_key, .close = import_close,
};

void import_open(void)
{
	struct import *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	strbuf_init(&d->report, 0);
	screen_push(&import_ops, d);
	import_run(d);
}
