/* move.h - a person moving to another village of the county.
 *
 * At the county, moving a person sets the village of the person and of
 * every record about them (categories, guardians, visits, applications,
 * referrals, death report, meals) to the new village, clears what belongs
 * to the old village (household, grid, a guardian who is a resident
 * there, whose name and phone are kept), and marks all those rows, with
 * the users who recorded their visits, to be sent whole to the new
 * village's station: its next return bundle carries their entire history.
 * The old station receives the move and no longer lists the person.
 */
#ifndef GUANQING_MOVE_H
#define GUANQING_MOVE_H

#include "guanqing/db.h"
#include "guanqing/err.h"

/* Move person_id to village (a 12-digit code of this county). One
 * transaction; county only. *moved (may be NULL) counts the rows moved. */
enum gq_status move_person(struct gq_db *db, const char *person_id,
			   const char *village, int *moved, struct gq_err *err);

/* Move one record about a person (tbl one of those listed above) to the
 * person's village, as move_person() moves it: at the county, for a
 * record that the old village's station made before it learned of the
 * move. Inside the caller's transaction; a record already there is left
 * alone. */
enum gq_status move_record_to_person(struct gq_db *db, const char *tbl,
				     const char *id, struct gq_err *err);

#endif
