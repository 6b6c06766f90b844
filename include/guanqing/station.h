/* station.h - what a database is: a village station or the county.
 *
 * Initialising writes the identity (a new station id, the role, the
 * village or county code) into meta, loads the county's towns and villages
 * and adds this place's row to the synced station table, in one
 * transaction. A database is initialised once.
 */
#ifndef GUANQING_STATION_H
#define GUANQING_STATION_H

#include "guanqing/db.h"
#include "guanqing/err.h"

/* Make db the county office of division (a 6-digit county code). */
enum gq_status station_init_county(struct gq_db *db, const char *division,
				   struct gq_err *err);
/* Make db the station of village (a 12-digit village code). */
enum gq_status station_init_village(struct gq_db *db, const char *village,
				    struct gq_err *err);

/* Make db the station of village with the station id the county gave it
 * at enrolment (sync.h). Must run inside the caller's transaction when the
 * keys are stored in the same one. */
enum gq_status station_init_enrolled(struct gq_db *db, const char *village,
				     const char *station_id, struct gq_err *err);

#endif
