/* county_stick.h - the county office's side of the stick
 * (sync/county_stick.c): the bundles waiting on it and the return bundles
 * written into folders by village. The exchange layer: it calls the
 * core's county reads (county.h) and sync_export().
 */
#ifndef GUANQING_COUNTY_STICK_H
#define GUANQING_COUNTY_STICK_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/county.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"

/* The bundles under dir (a stick or a folder, as sync_import finds them)
 * not yet imported here: how many into *n. */
enum gq_status county_bundles_waiting(struct gq_db *db, const char *dir, int64_t *n,
				      struct gq_err *err);

/* The stick's figures of Home: the mounted stick into h->medium and the
 * bundles waiting on it into h->bundles_waiting (-1: no stick). */
void county_stick_figures(struct gq_db *db, struct county_home *h);

/* Write the return bundles of every active station (or of those whose
 * village is in villages[0..n), n > 0) into dir/TOWN-VILLAGE/ (the folder
 * made, mode 0700), each as sync_export() writes it, so that a clerk can
 * copy each village's folder to its stick. The lines of every export are
 * appended to report. Stops at the first failure. */
enum gq_status county_export_returns(struct gq_db *db, const char *dir,
				     const char *const *villages, size_t n,
				     struct strbuf *report, sync_progress_fn progress,
				     void *ctx, struct gq_err *err);

#endif
