/* county_stick.c - the county office's side of the stick: the bundles
 * waiting on it, and the return bundles written by village. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "guanqing/bundle.h"
#include "guanqing/county.h"
#include "guanqing/county_stick.h"
#include "guanqing/i18n.h"
#include "guanqing/media.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"
#include "guanqing/xalloc.h"

enum gq_status county_bundles_waiting(struct gq_db *db, const char *dir, int64_t *n,
				      struct gq_err *err)
{
	struct media_list names = MEDIA_LIST_INIT;
	struct strbuf sub = STRBUF_INIT;
	struct stat sb;
	enum gq_status rc;
	sqlite3_stmt *st = NULL;
	size_t i;

	*n = 0;
	strbuf_addf(&sub, "%s/guanqing/to-county", dir);
	if (stat(sub.buf, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		strbuf_reset(&sub);
		strbuf_addstr(&sub, dir);
	}
	rc = media_list_files(sub.buf, BUNDLE_FILE_SUFFIX, &names, err);
	if (rc == GQ_ENOTFOUND)
		rc = GQ_OK;
	if (rc == GQ_OK)
		rc = db_prepare(db, "SELECT 1 FROM bundle_in WHERE peer_id = ?1 AND number = ?2", &st, err);
	for (i = 0; rc == GQ_OK && i < names.nr; i++) {
		struct bundle_header h;
		enum bundle_reason why;
		struct gq_err ignored;
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/%s", sub.buf, names.items[i]);
		bundle_header_init(&h);
		if (bundle_peek_header(path.buf, &h, &why, &ignored) == GQ_OK &&
		    !strcmp(h.recipient, db->station_id)) {
			sqlite3_bind_text(st, 1, h.sender, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, (int64_t)h.number);
			if (sqlite3_step(st) != SQLITE_ROW)
				(*n)++;
			sqlite3_reset(st);
		}
		bundle_header_release(&h);
		strbuf_release(&path);
	}
	sqlite3_finalize(st);
	media_list_release(&names);
	strbuf_release(&sub);
	return rc;
}

void county_stick_figures(struct gq_db *db, struct county_home *h)
{
	struct gq_err ignored;

	h->bundles_waiting = -1;
	gq_err_clear(&ignored);
	if (sync_find_medium(db, h->medium, sizeof(h->medium), &ignored) == GQ_OK &&
	    county_bundles_waiting(db, h->medium, &h->bundles_waiting, &ignored) != GQ_OK)
		h->bundles_waiting = -1;
}

struct return_walk {
	const char *const *villages;
	size_t n;
	struct media_list ids, folders;
	struct gq_db *db;
};

static void list_push(struct media_list *l, const char *s)
{
	if (l->nr == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 16;
		l->items = xreallocarray(l->items, l->alloc, sizeof(char *));
	}
	l->items[l->nr++] = xstrdup(s);
}

static int return_pick(void *arg, const struct county_station *s)
{
	struct return_walk *w = arg;
	char folder[256];
	size_t i;

	if (strcmp(s->status, "active") || !s->village)
		return 0;
	for (i = 0; i < w->n && strcmp(w->villages[i], s->village); i++)
		;
	if (w->n && i == w->n)
		return 0;
	if (county_village_folder(w->db, s->village, folder, sizeof(folder)) != 0)
		snprintf(folder, sizeof(folder), "%s", s->village);
	list_push(&w->ids, s->id);
	list_push(&w->folders, folder);
	return 0;
}

enum gq_status county_export_returns(struct gq_db *db, const char *dir,
				     const char *const *villages, size_t n,
				     struct strbuf *report, sync_progress_fn progress,
				     void *ctx, struct gq_err *err)
{
	struct return_walk w;
	enum gq_status rc;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.villages = villages;
	w.n = n;
	w.db = db;
	rc = county_stations(db, return_pick, &w, err);
	if (rc == GQ_OK && w.ids.nr == 0)
		rc = gq_err_set(err, GQ_ENOTFOUND, "%s", _("No active station was chosen; nothing was written."));
	for (i = 0; rc == GQ_OK && i < w.ids.nr; i++) {
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/%s", dir, w.folders.items[i]);
		if (mkdir(path.buf, 0700) != 0 && errno != EEXIST)
			rc = gq_err_set(err, GQ_EIO, _("Cannot make the folder %s: %s."), path.buf,
					strerror(errno));
		if (rc == GQ_OK) {
			strbuf_addf(report, "%s:\n", w.folders.items[i]);
			rc = sync_export(db, path.buf, w.ids.items[i], report, progress, ctx, err);
		}
		strbuf_release(&path);
	}
	media_list_release(&w.ids);
	media_list_release(&w.folders);
	return rc;
}
