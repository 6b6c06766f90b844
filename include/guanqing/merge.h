/* merge.h - applying changes from other places: the merge engine.
 *
 * A change is one field of one row set to one value by one place, named
 * everywhere by (origin, oseq) and carrying the versions it replaced (its
 * parents). The merge keeps every change it is given in the change log and
 * derives from the whole set, never from the order of arrival, what each
 * row shows and which conflicts are open: for every field, the heads are
 * the changes no other change of that field names as a same-field parent;
 * the winner is the head with the greatest (hlc, origin, oseq); every
 * other head is an open concurrent_edit conflict; a winning tombstone that
 * did not see a head of another field of its row makes a delete_edit
 * conflict. The exact rule, with an example, is in doc/merge.md.
 *
 * Everything here runs inside the caller's transaction (db_begin()), so
 * that a bundle is applied whole or not at all. The local table `conflict`
 * is created by merge_ensure_schema().
 */
#ifndef GUANQING_MERGE_H
#define GUANQING_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/change.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/hlc.h"
#include "guanqing/strbuf.h"

/* Counters of one or more merge_apply() calls; zero it before the first. */
struct merge_stats {
	int64_t applied;	/* new changes taken into the log */
	int64_t duplicates;	/* changes already there (no-ops) */
	int64_t clamped;	/* changes stamped more than 24 h ahead of us */
	int64_t opened;		/* conflicts opened (or reopened) */
	int64_t resolved;	/* conflicts closed */
	hlc_t max_hlc;		/* the greatest hlc received */
	hlc_t hlc_pending;	/* the greatest hlc logged since the last
				 * merge_settle(), which the HLC observes
				 * then, once (0: none) */
};

/* Create the local tables of the merge (the conflict table) when missing.
 * Idempotent; to become a schema migration. */
enum gq_status merge_ensure_schema(struct gq_db *db, struct gq_err *err);

/* Free what c owns and zero it. NULL is allowed. */
void merge_change_release(struct change *c);

/* Load change_log row seq into *c (release it after). GQ_ENOTFOUND when
 * there is no such row. */
enum gq_status merge_change_load(struct gq_db *db, int64_t seq,
				 struct change *c, struct gq_err *err);

/* Append the encoded record of c to out (see doc/merge.md, "Record"). */
void merge_change_write(const struct change *c, struct strbuf *out);
/* Append the encoded record of change_log row seq to out. */
enum gq_status merge_change_encode(struct gq_db *db, int64_t seq,
				   struct strbuf *out, struct gq_err *err);
/* Decode one record from buf[0..len) into *c (release it after, also on
 * failure). With used non-NULL the record may be followed by more bytes and
 * *used receives its length; with used NULL the record must fill len
 * exactly. Anything malformed (truncated, overlong, a bad byte, a name or
 * id out of its alphabet, a length beyond the limits above) is GQ_ECORRUPT
 * with a message saying what. */
enum gq_status merge_change_decode(const void *buf, size_t len,
				   struct change *c, size_t *used,
				   struct gq_err *err);

/* Apply one change received from elsewhere, inside the caller's
 * transaction. A change already in the log is a no-op (a different change
 * under the same (origin, oseq) is GQ_ECORRUPT). An unknown table or field,
 * or a value of the wrong type for the column, is GQ_EINVAL. Otherwise the
 * change is logged with its parents, the HLC observes its time (clamped
 * 24 h ahead of our clock, counted in st->clamped), and the field, the row
 * and its conflicts are recomputed. st may be NULL. */
enum gq_status merge_apply(struct gq_db *db, const struct change *c,
			   struct merge_stats *st, struct gq_err *err);

/* As merge_apply(), but the field, the row and its conflicts are only
 * marked to be recomputed by merge_settle(): an import logs all the
 * changes of a bundle, then settles each field touched once, so that its
 * cost grows as N log N in the number of changes whatever their shape.
 * Until merge_settle() the rows do not show the new changes. */
enum gq_status merge_apply_deferred(struct gq_db *db, const struct change *c,
				    struct merge_stats *st, struct gq_err *err);
/* Recompute every field marked by merge_apply_deferred() (rows appear
 * with their creation), then their rows' tombstone conflicts. */
enum gq_status merge_settle(struct gq_db *db, struct merge_stats *st,
			    struct gq_err *err);

/* May the station sender_id of sender_village send c? Only rows of its own
 * village (the row's village here; for a row whose village has not arrived,
 * the village of its creation; for a row not here yet, the change's
 * village), never a row of no village (the county's users and station,
 * published forms), only its own station row, users only as grid workers
 * or station admins, the acting user one of its own users (or none), and
 * never a county field (F_COUNTY) but the initial "submitted" status of an
 * application it created; a decided application only its notes. GQ_EPERM
 * with the reason when not, GQ_EINVAL for an unknown table or field. */
enum gq_status merge_change_allowed(struct gq_db *db, const char *sender_id,
				    const char *sender_village,
				    const struct change *c, struct gq_err *err);

/* Is c, from the station of sender_village, a change of a row that has
 * moved from that village to another (made there before the station
 * learned of the move)? 1 and the row's village now in to (size bytes),
 * else 0. merge_change_allowed() lets such changes through, so that
 * nothing a grid worker saved is lost; the caller sends the row again to
 * its new village. */
int merge_change_moved(struct gq_db *db, const char *sender_village,
		       const struct change *c, char *to, size_t size);

/* Are all the parents of c here, each a change of the same row (and, for
 * a same-field parent, of the same field)? A change comes after the
 * changes it replaced: one naming a change not here yet (a future number
 * of ours, a change never made) is refused with GQ_EPERM and the reason,
 * so that what a place shows stays a function of the set of changes it
 * holds. */
enum gq_status merge_change_parents_known(struct gq_db *db, const struct change *c,
					  struct gq_err *err);

/* Does c pass the field checks of a local save? Text must be UTF-8 from
 * anyone; from a station (from_station) the value must also pass the
 * check of its field's type (field_check(): choices, limits,
 * names, ID numbers, phones, money), be in the form a save stores, and an
 * ID number may not be another person's. A date may be a day ahead of
 * our clock (a station's clock may run ahead); a reference is checked to
 * be a record id (the record may come later in the bundle). GQ_EINVAL or
 * GQ_EEXIST with a message naming the field. */
enum gq_status merge_change_valid(struct gq_db *db, const struct change *c, int from_station,
				  struct gq_err *err);

/* What the rules across fields say of a run of changes (merge_check_run()).
 * Zero it before the first use; it keeps the forms it read between runs
 * (release it with merge_verdict_release()). */
#define MERGE_VERDICT_MAX 8
struct rules_forms;
struct merge_verdict {
	unsigned char *refused;	/* per change of the run: 0 passes, else it is
				 * refused with why[refused - 1] */
	size_t alloc;
	struct gq_err why[MERGE_VERDICT_MAX];
	size_t nwhy;
	struct rules_forms *forms;
};
void merge_verdict_release(struct merge_verdict *v);

/* The checks across the fields of a row that a local save makes (sex and
 * birth date against the ID number, dates in order, a visit's answers
 * against its form: rules_check_row()), for run[0..n), consecutive changes
 * of one row received from a station, of which those with use[i] non-zero
 * are taken (the others are refused for reasons of their own). The row is
 * judged once as it would be after them all: as this place shows it, with
 * the changes of the import logged earlier and then the run laid over it.
 * A change of the run that a broken rule reads is refused (v->refused),
 * and the row is judged again without it; a rule the row broke before the
 * run is not held against it, and a tombstone is always taken. */
enum gq_status merge_check_run(struct gq_db *db, const struct change *run, size_t n,
			       const unsigned char *use, struct merge_verdict *v,
			       struct gq_err *err);

/* Is c in the log already? 1 yes, the same change; -1 yes, but with other
 * content; 0 no. */
int merge_change_known(struct gq_db *db, const struct change *c);

/* Write a local change of tbl.row_id.field to v whose parents are given
 * explicitly, then recompute the field like a merged change. Must run
 * inside db_begin(). *oseq_out (may be NULL) receives its oseq. */
enum gq_status merge_log_local(struct gq_db *db, const char *tbl,
			       const char *row_id, const char *field,
			       const struct val *v, const char *village,
			       const struct merge_parent *parents,
			       size_t nparents, int64_t *oseq_out,
			       struct gq_err *err);

/* Settle open conflict conflict_id (its own transaction). For a
 * concurrent_edit give the new value (value, NULL or "" to clear) or the
 * origin whose value to keep (keep_origin), not both; a new local change
 * of the field whose parents are all its current heads is written. For a
 * delete_edit, value "1" or keep_origin = the tombstone's origin keeps the
 * row deleted (a new tombstone that saw every head of the row), value "0"
 * or keep_origin = the editor's origin restores it. */
enum gq_status merge_resolve(struct gq_db *db, int64_t conflict_id,
			     const char *value, const char *keep_origin,
			     struct gq_err *err);

/* Called by merge_collect() for each change; a non-GQ_OK return stops the
 * walk and is returned. c is valid during the call only. */
typedef enum gq_status (*merge_collect_fn)(void *ctx, int64_t seq,
					   const struct change *c,
					   struct gq_err *err);

/* Stream the change_log rows with seq > after_seq in seq order, only those
 * of village (NULL: all) and of origin (NULL: all), to fn. Memory does not
 * grow with the log. */
enum gq_status merge_collect(struct gq_db *db, int64_t after_seq,
			     const char *village, const char *origin,
			     merge_collect_fn fn, void *ctx, struct gq_err *err);

/* Recompute every field and the conflicts of row tbl.row_id from the log
 * (after local edits made through change_log_local(), which do not look
 * at conflicts). */
enum gq_status merge_refresh_row(struct gq_db *db, const char *tbl,
				 const char *row_id, struct gq_err *err);

#endif
