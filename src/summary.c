/* summary.c - counts and follow-ups for Home and `guanqing summary`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/division.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/summary.h"
#include "guanqing/tables.h"

static int add_followup(void *arg, const struct query_followup *f)
{
	strbuf_addf(arg, "  %s  %s  %s\n", f->due, f->name, f->form_id);
	return 0;
}

void summary_write(struct gq_db *db, struct strbuf *out)
{
	struct query_counts n;
	long overdue = 0, week = 0;
	size_t i;
	char name[128], today[16], month[16];
	char *last;

	clock_today(today, sizeof(today));
	snprintf(month, sizeof(month), "%.7s", today);
	division_name(db, db->role == DB_ROLE_COUNTY ? db->division : db->village, name, sizeof(name));
	strbuf_addf(out, _("%s %s (%s), %s\n"), db->role == DB_ROLE_COUNTY ? _("County office") : _("Station"),
		    name, db->role == DB_ROLE_COUNTY ? db->division : db->village, today);
	query_counts(db, month, &n, NULL);
	strbuf_addf(out, _("People: %ld active, %ld households\n"), n.people, n.households);
	strbuf_addstr(out, _("Followed people by category:\n"));
	for (i = 0; choices_category[i].code && i < QUERY_CATEGORIES_MAX; i++)
		if (n.category[i])
			strbuf_addf(out, "  %-6ld %s\n", n.category[i], _(choices_category[i].label));
	strbuf_addf(out, _("Visits this month: %ld\n"), n.visits_month);
	if (query_followup_counts(db, today, &overdue, &week, NULL) == GQ_OK)
		strbuf_addf(out, _("Follow-ups overdue: %ld; due in the next 7 days: %ld\n"),
			    overdue, week);
	/* The nearest follow-ups, overdue first. */
	query_followups(db, today, -1, 5, add_followup, out, NULL);
	strbuf_addf(out, _("Changes recorded here: %lld\n"), (long long)change_local_count(db));
	last = db_meta_get(db, "last_exchange");
	strbuf_addf(out, _("Last USB exchange: %s\n"), last ? last : _("never"));
	free(last);
}
