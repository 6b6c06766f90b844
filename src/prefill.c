/* prefill.c - a visit form's answers from what is already recorded. */
#include "config.h"

#include <string.h>

#include "guanqing/prefill.h"

/* A guardian record's relation (tables.c) as the visit forms' choice:
 * where the form has a choice of the same code it is taken as it is. */
static const struct {
	const char *relation, *choice;
} relation_choice[] = {
	{ "sibling", "other_relative" },
	{ "relative", "other_relative" },
	{ NULL, NULL }
};

/* The relation of the person's guardian: one of kind "guardian" first,
 * then of any kind (a parent, a contact), the first recorded. */
static const char guardian_sql[] =
	"SELECT relation FROM guardian WHERE person_id = ?1 AND deleted = 0"
	" AND relation IS NOT NULL AND relation <> ''"
	" ORDER BY kind <> 'guardian', created_at, id LIMIT 1";

int prefill_visit(struct gq_db *db, const char *person_id, const struct form *f,
		  struct form_answers *a)
{
	int i = form_field_index(f, "guardian_relation"), filled = 0;
	const char *rel, *choice;
	sqlite3_stmt *st;
	size_t k;

	if (!db || !person_id || i < 0 || form_answers_get(a, "guardian_relation") ||
	    db_prepare(db, guardian_sql, &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, person_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && (rel = (const char *)sqlite3_column_text(st, 0))) {
		choice = form_field_choice_index(f, (size_t)i, rel) >= 0 ? rel : NULL;
		for (k = 0; !choice && relation_choice[k].relation; k++)
			if (!strcmp(relation_choice[k].relation, rel) &&
			    form_field_choice_index(f, (size_t)i, relation_choice[k].choice) >= 0)
				choice = relation_choice[k].choice;
		if (choice) {
			form_answers_set(a, "guardian_relation", choice);
			filled = 1;
		}
	}
	sqlite3_finalize(st);
	return filled;
}
