/* rules.h - the rules of each kind of record beyond its field types:
 * derived values (sex and birth date from the ID number, a visit's risk
 * level and follow-up date from its form), checks across fields and
 * records (a duplicate ID number, a reference into another village, a
 * death report for a living person), and effects on other records (a death
 * report marks the person deceased). Called by record.c inside the saving
 * transaction.
 */
#ifndef GUANQING_RULES_H
#define GUANQING_RULES_H

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/record.h"

/* The hooks of each kind of record (tables.h's struct table_hooks). */
extern const struct table_hooks rules_users, rules_person, rules_category, rules_guardian,
	rules_visit, rules_application, rules_facility, rules_meal, rules_activity,
	rules_referral, rules_death;

/* Check and complete the row in c before it is written: references in the
 * same village, then the kind's own check (t->hooks->check). */
enum gq_status rules_check(struct gq_db *db, struct rec_ctx *c,
			   struct gq_err *err);
/* Effects on other rows after the row in c was written (t->hooks->after). */
enum gq_status rules_after(struct gq_db *db, struct rec_ctx *c,
			   struct gq_err *err);
/* Before a tombstone: refuse or allow (t->hooks->del). */
enum gq_status rules_delete(struct gq_db *db, const struct record *r,
			    struct gq_err *err);

#endif
