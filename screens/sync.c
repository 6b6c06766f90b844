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
#include <sys/stat.h>

#include "guanqing/backup.h"
#include "guanqing/i18n.h"
#include "guanqing/media.h"
#include "guanqing/screen.h"
#include "guanqing/sync.h"
#include "guanqing/text.h"

/* The report of the last export or import in this session. */
static struct strbuf last_report = STRBUF_INIT;

/* The stick or folder the admin chose in this session ("" none). */
static char chosen_medium[1024];

/* The mounted media (and the folder set with "config media"), as
 * sync_find_medium() looks for them. */
static void media_mounted(struct media_list *l)
{
	char *configured = db_meta_get(ui.db, "media_path");
	const char *env = getenv("GUANQING_MEDIA");
	struct gq_err e;

	gq_err_clear(&e);
	media_find_removable(env && *env ? env : configured, l, &e);
	free(configured);
}

static int is_folder(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The folder typed by the admin; 1 with an existing folder in out. */
static int type_folder(char *out, size_t size)
{
	char msg[1200] = "", typed[1024];
	const char *initial = chosen_medium[0] ? chosen_medium : NULL;

	for (;;) {
		if (!ui_ask_text(_("The folder of the USB stick"),
				 _("Type the folder to export to and import from, e.g. /media/usb:"), msg,
				 initial, sizeof(typed) - 1, typed, sizeof(typed)))
			return 0;
		if (typed[0] && is_folder(typed)) {
			snprintf(out, size, "%s", typed);
			return 1;
		}
		if (!typed[0])
			snprintf(msg, sizeof(msg), "%s", _("Type the path of a folder."));
		else
			snprintf(msg, sizeof(msg), _("%s is not a folder."), typed);
		initial = typed;
	}
}

int ui_choose_medium(char *out, size_t size, int ask)
{
	struct media_list l = MEDIA_LIST_INIT;
	const char **labels;
	size_t i;
	int got = 0, c;

	if (!ask && chosen_medium[0] && is_folder(chosen_medium)) {
		snprintf(out, size, "%s", chosen_medium);
		return 1;
	}
	media_mounted(&l);
	if (!ask && l.nr == 1) {
		snprintf(out, size, "%s", l.items[0]);
		media_list_release(&l);
		return 1;
	}
	labels = calloc(l.nr + 1, sizeof(*labels));
	if (!labels) {
		media_list_release(&l);
		ui_msg(1, "%s", _("Out of memory."));
		return 0;
	}
	for (i = 0; i < l.nr; i++)
		labels[i] = l.items[i];
	labels[l.nr] = _("Another folder: type it");
	c = ui_choose(l.nr ? _("Which USB stick?") : _("No USB stick is plugged in: type its folder"),
		      labels, l.nr + 1, 0);
	if (c >= 0 && (size_t)c < l.nr) {
		snprintf(out, size, "%s", l.items[c]);
		got = 1;
	} else if (c >= 0) {
		got = type_folder(out, size);
	}
	free(labels);
	media_list_release(&l);
	if (got)
		snprintf(chosen_medium, sizeof(chosen_medium), "%s", out);
	else
		ui_msg(1, "%s", _("No USB stick was chosen; nothing was written or read."));
	return got;
}

static const struct key_help sync_keys[] = {
	{ "F3", N_("Export"), N_("Write the changes made here to the USB stick for the county."),
	  AUTH_EXCHANGE, KH_ANY },
	{ "F4", N_("Import"), N_("Read the county's bundles from the USB stick."), AUTH_EXCHANGE, KH_ANY },
	{ "F5", N_("Stick"), N_("Choose the USB stick, or type the folder to use instead."), AUTH_EXCHANGE,
	  KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void sync_draw(struct screen *s)
{
	char *last = db_meta_get(ui.db, "last_exchange");
	struct media_list l = MEDIA_LIST_INIT;
	int y = 2, cols = ui_cols();
	const char *p;

	(void)s;
	ui_putf(y++, 2, cols - 4, UA_NORMAL, _("Last USB exchange: %s"), last ? last : _("never"));
	ui_putf(y++, 2, cols - 4, UA_NORMAL,
		ui.db->role == DB_ROLE_COUNTY ? _("Records changed here not yet acknowledged by the stations: %lld")
					      : _("Records changed here not yet acknowledged by the county: %lld"),
		(long long)sync_unsent_count(ui.db));
	if (chosen_medium[0] && is_folder(chosen_medium)) {
		ui_putf(y++, 2, cols - 4, UA_NORMAL, _("USB stick: %s"), chosen_medium);
	} else {
		media_mounted(&l);
		if (l.nr == 1)
			ui_putf(y++, 2, cols - 4, UA_NORMAL, _("USB stick: %s"), l.items[0]);
		else if (l.nr == 0)
			ui_put(y++, 2, _("No USB stick is plugged in: plug one in, or press F5 to type a folder."),
			       cols - 4, UA_DIM);
		else
			ui_putf(y++, 2, cols - 4, UA_DIM,
				_("%zu USB sticks are plugged in: press F5 to choose one (or choose at F3/F4)."), l.nr);
		media_list_release(&l);
	}
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
static void offer_backup(const char *medium)
{
	char dir[1100], path[1300];
	struct gq_err e;

	gq_err_clear(&e);
	if (!ui_confirm(_("Also write a backup of the whole database to the stick?")))
		return;
	snprintf(dir, sizeof(dir), "%s/guanqing/backup", medium);
	if (backup_write(ui.db, dir, path, sizeof(path), &e) == GQ_OK) {
		strbuf_addf(&last_report, _("Backup %s written and checked.\n"), path);
		return;
	}
	strbuf_addf(&last_report, _("No backup was written: %s\n"), e.msg);
}

static void sync_run(int export)
{
	char medium[1024];
	const char *paths[1] = { medium };
	struct gq_err e;
	enum gq_status rc;
	int refused = 0;

	gq_err_clear(&e);
	if (!ui_choose_medium(medium, sizeof(medium), 0))
		return;
	strbuf_reset(&last_report);
	if (export)
		rc = sync_export(ui.db, medium, NULL, &last_report, sync_progress, NULL, &e);
	else
		rc = sync_import(ui.db, paths, 1, &last_report, &refused, &e);
	if (rc == GQ_OK && export)
		offer_backup(medium);
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
	case KF(KEY_F(5)): {
		char medium[1024];

		if (ui_allow(AUTH_EXCHANGE) && ui_choose_medium(medium, sizeof(medium), 1))
			ui_msg(0, _("Export and import use %s in this session."), medium);
		return SK_DONE;
	}
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
