/* division.h - towns and villages of the county (reference data).
 *
 * Loaded at init from data/shangcheng_divisions.csv (NBS codes, 2023):
 * 20 towns and 378 village and community committees of Shangcheng County.
 * A 居民委员会 is an urban community, a 村民委员会 a rural village.
 */
#ifndef GUANQING_DIVISION_H
#define GUANQING_DIVISION_H

#include <stddef.h>

#include "guanqing/db.h"
#include "guanqing/err.h"

/* Load the CSV at path (streamed) into the division table, replacing what
 * is there, for the county whose code is county (e.g. "411524") named
 * county_name. A malformed line is refused with its line number. */
enum gq_status division_load(struct gq_db *db, const char *path,
			     const char *county, const char *county_name,
			     struct gq_err *err);

/* A village with its town, as division_villages() hands it over. */
struct division_village {
	const char *code, *name, *town_code, *town;
	int urban;		/* a 居民委员会 */
};
typedef int (*division_village_fn)(void *arg, const struct division_village *v);

/* The county's villages in code order, of the town town (its code or its
 * name) when not NULL; from db's divisions, or without a database (db
 * NULL) from the divisions file of the installed data. An unknown town is
 * refused with its name. fn returning non-zero stops the walk. */
enum gq_status division_villages(struct gq_db *db, const char *town, division_village_fn fn,
				 void *arg, struct gq_err *err);

/* Name of a division code into buf ("" when unknown). */
void division_name(struct gq_db *db, const char *code, char *buf, size_t size);

#endif
