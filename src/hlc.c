/* hlc.c - hybrid logical clock. */
#include "config.h"

#include <stdio.h>

#include "guanqing/clock.h"
#include "guanqing/hlc.h"

hlc_t hlc_make(int64_t ms, unsigned counter)
{
	if (ms < 0)
		ms = 0;
	return (hlc_t)((ms << HLC_COUNTER_BITS) | (counter & 0xFFFF));
}

hlc_t hlc_next(hlc_t last, int64_t now_ms)
{
	hlc_t wall = hlc_make(now_ms, 0);

	/* When the counter overflows the carry moves the ms part on by one:
	 * still strictly increasing. */
	return wall > last ? wall : last + 1;
}

hlc_t hlc_merge(hlc_t last, hlc_t remote, int64_t now_ms, int64_t max_ahead_ms,
		int *clamped)
{
	hlc_t bound = hlc_make(now_ms + max_ahead_ms, 0);
	hlc_t top = last;

	if (clamped)
		*clamped = 0;
	if (remote > bound) {
		remote = bound;
		if (clamped)
			*clamped = 1;
	}
	if (remote > top)
		top = remote;
	return hlc_next(top, now_ms);
}

hlc_t hlc_current(struct gq_db *db)
{
	return db_meta_get_int(db, "hlc", 0);
}

enum gq_status hlc_tick(struct gq_db *db, hlc_t *out, struct gq_err *err)
{
	hlc_t h = hlc_next(hlc_current(db), clock_now_ms());

	*out = h;
	return db_meta_set_int(db, "hlc", h, err);
}

enum gq_status hlc_observe(struct gq_db *db, hlc_t remote, int *clamped,
			   struct gq_err *err)
{
	hlc_t h = hlc_merge(hlc_current(db), remote, clock_now_ms(),
			    HLC_MAX_AHEAD_MS, clamped);

	return db_meta_set_int(db, "hlc", h, err);
}

void hlc_format(hlc_t h, char *buf, size_t size)
{
	char iso[32];

	clock_iso(HLC_MS(h), iso, sizeof(iso));
	snprintf(buf, size, "%s+%04x", iso, HLC_COUNTER(h));
}
