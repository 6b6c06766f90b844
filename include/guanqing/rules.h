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

#include <stdint.h>

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

/* ---- Rules across the fields of one row -------------------------------
 *
 * The checks of a local save that read more than one field of a row: sex
 * and birth date against the ID number, a date that may not come before
 * another of the row (a status date before the birth date, an end before
 * the start, a follow-up before the visit), a visit's answers against its
 * form (required answers, choices, ranges, show-if rules, and the risk
 * level the form gives them), a person who is their own guardian. The
 * save path (the hooks above) and the merge of received changes
 * (merge_check_run()) both call them, so that a rule is written once.
 */

struct form;

/* One rule that a row breaks. */
struct rules_breach {
	int rule;		/* which rule: equal numbers, the same rule */
	uint64_t fields;	/* the fields it reads: bit i for t->fields[i] */
	struct gq_err why;	/* the refusal, worded as a local save words it */
};

#define RULES_BREACH_MAX 8

/* The forms read while checking rows, kept between calls (a bundle's
 * visits share a few forms). Zero it before the first use; release it
 * with rules_forms_release(). */
struct rules_forms {
	struct rules_form_slot {
		char id[65];
		struct form *f;	/* NULL: no such form */
	} v[16];
	size_t n;
};
void rules_forms_release(struct rules_forms *fc);

/* The fields of t that a rule across fields reads (bit i for
 * t->fields[i]); 0 when t has no such rule. */
uint64_t rules_row_fields(const struct table_def *t);

/* Check the row of t whose values are vals (t->nfields texts as stored,
 * NULL when empty) against the rules across its fields, only those rules
 * that read a field in touched. Every broken rule is written to out (at
 * most RULES_BREACH_MAX); returns how many. forms may not be NULL. */
size_t rules_check_row(struct gq_db *db, const struct table_def *t, char *const *vals,
		       uint64_t touched, struct rules_forms *forms,
		       struct rules_breach *out);

#endif
