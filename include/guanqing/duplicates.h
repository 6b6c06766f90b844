/* duplicates.h - at the county, the same person in two villages:
 *
 * - DUP_ID_NUMBER: one resident ID number on live person records of two or
 *   more villages;
 * - DUP_BENEFIT: that person receiving the same benefit in two or more of
 *   those villages;
 * - DUP_DECEASED: that person recorded deceased in one village and
 *   receiving a benefit in another (a funeral-fee waiver there is not
 *   counted: it is a second death report, found as DUP_BENEFIT).
 *
 * "Receiving a benefit" (the benefits of the programme that are paid or
 * given over time, or once per death):
 * - 低保 (dibao), 特困 (tekun) and the meal subsidy: an application of that
 *   kind approved or paid (tables.c: application.kind, status), not
 *   deleted;
 * - the funeral-fee waiver: an application "funeral_waiver" approved or
 *   paid, or a death report with the waiver asked (death_report.fee_waiver);
 * - meals: meal services recorded for the person (meal_service.person_id)
 *   in the DUP_MEAL_DAYS days up to today; counted as the meal subsidy.
 * A deceased record is a person whose status is "deceased" or who has a
 * live death report.
 *
 * The county refuses, at import, an ID number that another person there
 * already holds (merge.c: one person per ID number), so the second
 * village's record arrives without it. The refused number is kept as a
 * claim (duplicates_note_refused(), table id_claim) and counts as that
 * record's ID number here while the record has none.
 *
 * One read, duplicates_each(): the ID numbers found in two villages first
 * (the person index on id_number), then only their records' benefits
 * (indexes on person_id), so 60,000 people cost one pass over the index.
 * Rows come in the order kind, ID number, benefit.
 */
#ifndef GUANQING_DUPLICATES_H
#define GUANQING_DUPLICATES_H

#include "guanqing/db.h"
#include "guanqing/err.h"

/* Meal services in these many days up to today count as receiving meals. */
#define DUP_MEAL_DAYS 90

enum dup_kind { DUP_ID_NUMBER = 1, DUP_BENEFIT, DUP_DECEASED };

/* One finding. Strings live until the callback returns. */
struct dup_row {
	enum dup_kind kind;
	const char *kind_label;	/* translated */
	const char *id_number;
	const char *benefit;	/* code ("dibao", ...) for DUP_BENEFIT/DUP_DECEASED, else NULL */
	const char *benefit_label;	/* translated, or NULL */
	const char *names;	/* the names on the records, "、"-separated */
	const char *villages;	/* town and village names, "、"-separated */
	const char *person_id;	/* a record to open: the first (DUP_DECEASED: the one receiving) */
	const char *detail;	/* translated sentence saying what to look at */
};
typedef int (*dup_fn)(void *arg, const struct dup_row *r);

struct change;

/* The import refused change c: when it is a person's ID number refused
 * because another person holds it (GQ_EEXIST), keep the claim of the
 * person's village (c->village, else village) so that duplicates_each()
 * finds both records. Any other change is left alone. A claim that cannot
 * be written is not an error: the import's report names the refusal. */
void duplicates_note_refused(struct gq_db *db, const struct change *c, const char *village);

/* Every finding at this database (the county's: a station has one
 * village and finds none), with today (YYYY-MM-DD; NULL: the clock's). */
enum gq_status duplicates_each(struct gq_db *db, const char *today, dup_fn fn, void *arg,
			       struct gq_err *err);

#endif
