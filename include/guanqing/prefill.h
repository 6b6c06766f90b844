/* prefill.h - what a visit form can be given before the worker answers,
 * from what is already recorded about the person: the guardian's relation
 * to the child (the guardian records, table guardian). The worker may
 * change every prefilled answer.
 */
#ifndef GUANQING_PREFILL_H
#define GUANQING_PREFILL_H

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/form.h"

/* Fill the answers of form f that are known about person_id and not yet
 * answered in a: the "guardian_relation" question from the person's
 * guardian (kind guardian first, then any other with a relation), when
 * the form offers the matching choice. Returns the number of answers
 * filled; 0 when nothing is known or on a database error. */
int prefill_visit(struct gq_db *db, const char *person_id, const struct form *f,
		  struct form_answers *a);

#endif
