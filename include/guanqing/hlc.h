/* hlc.h - hybrid logical clock.
 *
 * An HLC time is one int64: the wall-clock milliseconds in the upper 48
 * bits and a counter in the lower 16. It never goes backwards at one place,
 * and a place that has seen a change always stamps its later changes
 * higher, so it orders changes for tie-breaks and display even when a
 * village PC's clock is wrong. Causality is never decided by it (see
 * change.h). The last value is persisted in meta ("hlc") in the same
 * transaction as the change that used it.
 */
#ifndef GUANQING_HLC_H
#define GUANQING_HLC_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/db.h"
#include "guanqing/err.h"

typedef int64_t hlc_t;

#define HLC_COUNTER_BITS 16
#define HLC_MS(h) ((int64_t)(h) >> HLC_COUNTER_BITS)
#define HLC_COUNTER(h) ((unsigned)((h) & 0xFFFF))
/* How far ahead of our clock a received time may be before it is clamped. */
#define HLC_MAX_AHEAD_MS (24LL * 3600 * 1000)

hlc_t hlc_make(int64_t ms, unsigned counter);
/* The pure rule for a local event: later than last, and at least now. */
hlc_t hlc_next(hlc_t last, int64_t now_ms);
/* The pure rule for receiving remote: the result is later than both last
 * and remote, except that a remote more than max_ahead_ms ahead of now is
 * first clamped to now + max_ahead_ms; *clamped (may be NULL) says so. */
hlc_t hlc_merge(hlc_t last, hlc_t remote, int64_t now_ms, int64_t max_ahead_ms,
		int *clamped);

/* Stamp a local event in db: read, advance and persist the clock. */
enum gq_status hlc_tick(struct gq_db *db, hlc_t *out, struct gq_err *err);
/* Take a received time into db's clock (bounded as hlc_merge says). */
enum gq_status hlc_observe(struct gq_db *db, hlc_t remote, int *clamped,
			   struct gq_err *err);
/* The current persisted value (0 when never used). */
hlc_t hlc_current(struct gq_db *db);

/* "2026-11-28T08:00:00.000Z+0003" (at least 32 bytes). */
void hlc_format(hlc_t h, char *buf, size_t size);

#endif
