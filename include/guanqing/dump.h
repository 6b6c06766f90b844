/* dump.h - the canonical dump and the integrity check.
 *
 * dump_canonical() prints every synced row, tombstones included, in a fixed
 * order (tables in dependency order, rows by id) and a fixed format, without
 * local-only data (updated_at, the change log, settings): two databases
 * holding the same records print the same bytes. One line per row:
 *   TABLE \t id \t origin \t village \t created_at \t deleted \t f1=v1 \t f2=v2 ...
 * with every field of the table in definition order, NULL written as "\N",
 * and backslash, tab, CR and LF in values escaped as \\ \t \r \n.
 */
#ifndef GUANQING_DUMP_H
#define GUANQING_DUMP_H

#include <stdio.h>

#include "guanqing/db.h"
#include "guanqing/err.h"

enum gq_status dump_canonical(struct gq_db *db, FILE *out, struct gq_err *err);

/* Check the database: SQLite's integrity and foreign-key checks, and that
 * the change log agrees with the rows (every field's winning version is in
 * the log, every synced column shows its winner's value; the local
 * sequence has no gap). Each problem is printed to out
 * as one line; *problems receives their number. */
enum gq_status dump_check(struct gq_db *db, FILE *out, int *problems,
			  struct gq_err *err);

/* Check only the users rows against their change log's winners (who may
 * sign in, with which role; at the county, its own users and any row
 * with a county role, not the stations'). GQ_ECORRUPT with a message naming the first
 * row and field that differ; the command line and the screens refuse to
 * start on it. */
enum gq_status dump_check_users(struct gq_db *db, struct gq_err *err);

#endif
