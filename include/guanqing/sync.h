/* sync.h - the USB exchange between stations and the county: enrolment,
 * export of bundles to a stick, import of bundles from it.
 *
 * Star topology: a station exchanges bundles only with its county; the
 * county with every enrolled station. Bundles are numbered per sender and
 * recipient without gaps, and each carries every change the recipient has
 * not yet acknowledged, so a lost stick costs a trip, not data. The file
 * format, the folder layout on a stick and the bookkeeping are in
 * doc/bundle-format.md (section "Payload records"); the merge rule in
 * doc/merge.md.
 *
 * Stick layout: DIR/guanqing/to-county/ holds the stations' bundles,
 * DIR/guanqing/to-<station id>/ the county's return bundles for a station.
 */
#ifndef GUANQING_SYNC_H
#define GUANQING_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/keys.h"
#include "guanqing/strbuf.h"

/* Called as an export goes: done of total changes written to the bundle
 * for recipient (a name for people). May be NULL. */
typedef void (*sync_progress_fn)(void *ctx, const char *recipient,
				 uint64_t done, uint64_t total);

/* This place's own key pairs from its database into *k (release it with
 * keys_release()). GQ_EINVAL when the database has none. */
enum gq_status sync_load_own_keys(struct gq_db *db, struct keys_own *k,
				  struct gq_err *err);

/* Give a county database its key pairs (at `county init`). */
enum gq_status sync_county_keys(struct gq_db *db, struct gq_err *err);

/* County: enrol a station for village: a new station id and key pairs, the
 * station registered as a peer (a station already enrolled for the village
 * is replaced: a re-enrolment after a lost PC), and a setup file written
 * into out_dir (mode 0600) sealed under a new passphrase. The passphrase
 * (KEYS_PASSPHRASE_SIZE bytes) and the file's path (path_size bytes) are
 * returned to be shown once. */
enum gq_status sync_enroll(struct gq_db *db, const char *village,
			   const char *out_dir, char *passphrase,
			   char *path_out, size_t path_size,
			   struct gq_err *err);

/* Station: initialise an empty database from a setup file and its
 * passphrase. */
enum gq_status sync_station_init(struct gq_db *db, const char *setup_path,
				 const char *passphrase, struct gq_err *err);

/* Export: write a bundle for each recipient with something to send into
 * dir's guanqing/ folder (dir NULL: the one mounted removable medium, or
 * the path set with `guanqing config media`). A station writes one for
 * the county; the county one for every station with changes or
 * acknowledgements to send, or only for station_id when given. A summary,
 * one line per bundle, is appended to report. A failure (stick full,
 * read-only, removed) writes no bundle and marks nothing as sent. */
enum gq_status sync_export(struct gq_db *db, const char *dir,
			   const char *station_id, struct strbuf *report,
			   sync_progress_fn progress, void *ctx,
			   struct gq_err *err);

/* Import the bundles at paths (files, or folders searched for the
 * bundles addressed to this database). Each bundle is checked whole, then
 * applied in one transaction with the record of its import; one that is
 * refused is named with its reason in report, set aside (renamed with
 * ".refused" added, where the medium allows) and changes nothing.
 * *refused (may be NULL) counts the refused bundles. Returns GQ_OK when
 * every bundle was imported or skipped, GQ_ECORRUPT when any was refused,
 * or another status for a failure that stopped the import. */
enum gq_status sync_import(struct gq_db *db, const char *const *paths,
			   size_t npaths, struct strbuf *report, int *refused,
			   struct gq_err *err);

/* What an import tells as it goes (sync_import_observed). */
enum sync_bundle_outcome {
	SYNC_B_IMPORTED,	/* applied */
	SYNC_B_ALREADY,		/* imported before: nothing to do */
	SYNC_B_SKIPPED,		/* addressed to another database */
	SYNC_B_REFUSED,		/* damaged, forged, not enrolled: set aside */
	SYNC_B_UNREADABLE	/* left on the stick for the next import */
};

struct sync_bundle_result {
	const char *path;
	enum sync_bundle_outcome outcome;
	char sender[37];	/* "" when the header could not be read */
	uint64_t number;
	int64_t changes, applied, duplicates, conflicts, refused_changes;
	int clock_warning;	/* the sender's clock was wrong */
	char gaps[128];		/* bundle numbers still missing from it, "" none */
	const char *text;	/* the report's lines about this bundle */
	const char *refusals;	/* the lines naming refused changes, "" none */
	const char *notes;	/* the lines about people who moved, "" none */
};

struct sync_import_observer {
	/* Before bundle i (from 0) of n. */
	void (*bundle)(void *ctx, size_t i, size_t n, const char *path);
	/* done of total records of the current bundle read. */
	void (*records)(void *ctx, uint64_t done, uint64_t total);
	/* A bundle's outcome; r and its strings live during the call. */
	void (*result)(void *ctx, const struct sync_bundle_result *r);
	void *ctx;
};

/* sync_import, telling obs (may be NULL; any member may be NULL) about
 * each bundle as it goes. */
enum gq_status sync_import_observed(struct gq_db *db, const char *const *paths,
				    size_t npaths, struct strbuf *report, int *refused,
				    const struct sync_import_observer *obs, struct gq_err *err);

/* Whether an import into db is running now (in this or another process):
 * sync_import holds a lock on the file DB-import.lock beside the
 * database while it runs, and a second import at the same time is
 * refused with a message saying so. Each bundle is one transaction, and
 * the write lock is let go between bundles so that a waiting save gets
 * in. */
int sync_import_running(struct gq_db *db);

/* Where an export would go: the medium found, into out. */
enum gq_status sync_find_medium(struct gq_db *db, char *out, size_t size,
				struct gq_err *err);

/* The count of records (rows) changed here whose changes are not yet
 * all acknowledged by the county (station) or by every station (county):
 * what an admin counts, not the field changes. */
int64_t sync_unsent_count(struct gq_db *db);

/* The county's public signing key as this database holds it: a county's
 * own, a station's from the setup file it was made from. GQ_ENOTFOUND
 * when there is none. */
enum gq_status sync_county_sign_key(struct gq_db *db, unsigned char key[KEYS_SIGN_PUBLIC_BYTES],
				    struct gq_err *err);

#endif
