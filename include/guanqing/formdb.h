/* formdb.h - visit forms from both places they come from: the files
 * installed with the program (form.h's folder) and the versions the county
 * published, which travel to every station in bundles (table form_def).
 * Where both have a form, the higher version wins.
 */
#ifndef GUANQING_FORMDB_H
#define GUANQING_FORMDB_H

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/form.h"

/* Load the form id: the newest of the installed file and the published
 * versions. *out is freed with form_free(). */
enum gq_status formdb_find(struct gq_db *db, const char *id, struct form **out,
			   struct gq_err *err);

/* The ids of every form, installed or published, sorted, each once. Free
 * with form_list_release(). */
enum gq_status formdb_list(struct gq_db *db, struct form_list *out,
			   struct gq_err *err);

/* Whether a new visit may be recorded with form id. The death and funeral
 * report is not a visit: a death is reported once, from the person (F9 on
 * the card, "death add"), as the death report record; visits kept with
 * that form stay readable. */
int formdb_new_visit_ok(const char *id);

#endif
