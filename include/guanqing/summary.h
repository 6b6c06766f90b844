/* summary.h - the station's situation at a glance (the Home screen and
 * `guanqing summary`): follow-ups due and overdue, people followed by
 * category, visits this month, unsent changes, the last USB exchange. */
#ifndef GUANQING_SUMMARY_H
#define GUANQING_SUMMARY_H

#include "guanqing/db.h"
#include "guanqing/strbuf.h"

/* Append a readable summary of db to out. */
void summary_write(struct gq_db *db, struct strbuf *out);

#endif
