/* history.h - the audit trail of a record: who changed which field, from
 * what to what, when and at which station.
 *
 * The trail is the change log itself (change.h): every edit records the
 * acting user, the place and the HLC time, and names the version it
 * replaced, so the old value is the replaced version's value. The log
 * travels to the county in bundles, and no command edits or deletes it.
 */
#ifndef GUANQING_HISTORY_H
#define GUANQING_HISTORY_H

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/hlc.h"

struct history_entry {
	hlc_t hlc;
	const char *origin;	/* station id */
	const char *station;	/* its name, or NULL when unknown here */
	const char *user_id;	/* NULL: the program itself */
	const char *user;	/* the user's name, or NULL */
	const char *field;
	const char *old_value;	/* NULL: empty before */
	const char *new_value;	/* NULL: emptied */
	/* The same for people to read, in the user's language: */
	const char *label;	/* the field's label ("Name", "姓名") */
	const char *old_text;	/* values as field_display() shows them */
	const char *new_text;
	char when[24];		/* local time, YYYY-MM-DD HH:MM */
};

/* Called for each change of the record, oldest first; the place is named
 * by its station's name, else its village's. The strings are
 * valid during the call only. Return non-zero to stop. */
typedef int (*history_fn)(void *ctx, const struct history_entry *e);

/* Walk the history of row id of table tbl (an SQL table name). */
enum gq_status history_each(struct gq_db *db, const char *tbl, const char *id,
			    history_fn fn, void *ctx, struct gq_err *err);

#endif
