/* doctor.h - `guanqing doctor`: where things are and whether they are
 * well, for a technician on the phone with the county.
 *
 * One line per item, in the user's language: the program's version, the
 * database's path and schema version, the place's identity and last
 * exchange, free disk space, whether the terminal can draw Chinese, the
 * locale; then a last line that says all is well or how many problems
 * there are. Nothing personal is shown.
 */
#ifndef GUANQING_DOCTOR_H
#define GUANQING_DOCTOR_H

#include "guanqing/db.h"
#include "guanqing/strbuf.h"

/* Less free space than this (MiB) beside the database is a problem. */
#define DOCTOR_MIN_FREE_MIB 100

/* Write the report for the database at path into out; db is the open
 * database, or NULL when it could not be opened (open_error then says
 * why). Returns the number of problems found. */
int doctor_report(const char *path, struct gq_db *db, const char *open_error,
		  struct strbuf *out);

#endif
