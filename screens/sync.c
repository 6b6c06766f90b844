/* sync.c - the USB exchange: export to the stick with a progress bar,
 * import from it, the last exchange and the report of the last run.
 * Everything is done by sync.h; this screen only calls it and shows what
 * it reports. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/backup.h"
#include "guanqing/i18n.h"
#include "guanqing/screen.h"
#include "guanqing/sync.h"
#include "guanqing/text.h"

/* The report of the last export or import in this session. */
static struct strbuf last_report = STRBUF_INIT;

static const struct key_help sync_keys[] = {
	{ "F3", N_("Export"), N_("Write the changes made here to the USB stick for the county."),
	  AUTH_EXCHANGE, KH_ANY },
	{ "F4", N_("Import"), N_("Read the county's bundles from the USB stick."), AUTH_EXCHANGE, KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void sync_draw(struct screen *s)
{
	char *last = db_meta_get(ui.db, "last_exchange");
	char medium[1024];
	struct gq_err e;
	int y = 2, cols = ui_cols();
	const char *p;

	(void)s;
	gq_err_clear(&e);
	ui_putf(y++, 2, cols - 4, UA_NORMAL, _("Last USB exchange: %s"), last ? last : _("never"));
	ui_putf(y++, 2, cols - 4, UA_NORMAL, _("Changes not yet acknowledged by the county: %lld"),
		(long long)sync_unsent_count(ui.db));
	if (sync_find_medium(ui.db, medium, sizeof(medium), &e) == GQ_OK)
		ui_putf(y++, 2, cols - 4, UA_NORMAL, _("USB stick: %s"), medium);
	else
		ui_put(y++, 2, e.msg, cols - 4, UA_DIM);
	free(last);
	y++;
	if (!last_report.len) {
		if (ui_can(AUTH_EXCHANGE))
			ui_put(y, 2, _("F3 writes the changes to the stick; F4 reads the county's bundles."),
			       cols - 4, UA_DIM);
		else
			ui_put(y, 2, _("The admin exports and imports; you can see the state of the exchange here."),
			       cols - 4, UA_DIM);
		return;
	}
	ui_put(y++, 2, _("The last run:"), cols - 4, UA_HEADER);
	/* The report wrapped at the screen's width (paths are long). */
	for (p = last_report.buf; *p && y < ui_lines() - 2; y++) {
		size_t len = strcspn(p, "\n"), w;
		char *line = strndup(p, len), *q = line;

		while (q && *q && y < ui_lines() - 2) {
			size_t cut = text_prefix(q, (size_t)(cols - 5), &w);
			char keep;

			if (!cut)
				break;
			keep = q[cut];
			q[cut] = '\0';
			ui_put(y, 3, q, cols - 5, UA_NORMAL);
			q[cut] = keep;
			q += cut;
			if (*q)
				y++;
		}
		free(line);
		p += len + (p[len] == '\n');
	}
}

/* Draw the bar straight away: the export runs before the loop draws. */
static void sync_progress(void *ctx, const char *recipient, uint64_t done, uint64_t total)
{
	int cols = ui_cols() - 8, fill, y = ui_lines() - 3;
	struct strbuf bar = STRBUF_INIT;
	int i;

	(void)ctx;
	if (cols < 10)
		return;
	fill = total ? (int)((double)done / (double)total * cols) : cols;
	for (i = 0; i < cols; i++)
		strbuf_addch(&bar, i < fill ? '#' : '.');
	ui_putf(y - 1, 2, cols + 4, UA_NORMAL, _("Writing for %s: %llu of %llu changes"),
		recipient ? recipient : "", (unsigned long long)done, (unsigned long long)total);
	ui_putf(y, 2, cols + 4, UA_HIGH, "[%s]", bar.buf);
	refresh();
	strbuf_release(&bar);
}

/* After an export: a backup of the whole database to the same stick, so
 * that the village's records survive the station's disk. */
static void offer_backup(void)
{
	char medium[1024], dir[1100], path[1300];
	struct gq_err e;

	gq_err_clear(&e);
	if (!ui_confirm(_("Also write a backup of the whole database to the stick?")))
		return;
	if (sync_find_medium(ui.db, medium, sizeof(medium), &e) == GQ_OK) {
		snprintf(dir, sizeof(dir), "%s/guanqing/backup", medium);
		if (backup_write(ui.db, dir, path, sizeof(path), &e) == GQ_OK) {
			strbuf_addf(&last_report, _("Backup %s written and checked.\n"), path);
			return;
		}
	}
	strbuf_addf(&last_report, _("No backup was written: %s\n"), e.msg);
}

static void sync_run(int export)
{
	struct gq_err e;
	enum gq_status rc;
	int refused = 0;

	gq_err_clear(&e);
	strbuf_reset(&last_report);
	if (export) {
		rc = sync_export(ui.db, NULL, NULL, &last_report, sync_progress, NULL, &e);
	} else {
		char medium[1024];
		const char *paths[1] = { medium };

		rc = sync_find_medium(ui.db, medium, sizeof(medium), &e);
		if (rc == GQ_OK)
			rc = sync_import(ui.db, paths, 1, &last_report, &refused, &e);
	}
	if (rc == GQ_OK && export)
		offer_backup();
	if (rc == GQ_OK)
		ui_msg(0, "%s", export ? _("Export finished; see the report.") : _("Import finished; see the report."));
	else if (rc == GQ_ECORRUPT && !export)
		ui_msg(1, _("%d bundles were refused; see the report."), refused);
	else
		ui_msg(1, "%s", e.msg);
	if (!last_report.len && rc != GQ_OK)
		strbuf_addstr(&last_report, e.msg);
}

static int sync_key(struct screen *s, int k)
{
	(void)s;
	switch (k) {
	case KF(KEY_F(3)):
		if (ui_allow(AUTH_EXCHANGE))
			sync_run(1);
		return SK_DONE;
	case KF(KEY_F(4)):
		if (ui_allow(AUTH_EXCHANGE))
			sync_run(0);
		return SK_DONE;
	default:
		return SK_UNHANDLED;
	}
}

static const struct screen_ops sync_ops = {
	.name = "sync", .title = N_("Sync"), .keys = sync_keys,
	.draw = sync_draw, .key = sync_key,
};

void sync_open(void)
{
	screen_push(&sync_ops, NULL);
}
