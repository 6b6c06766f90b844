/* county_screens.h - the county office's screens (screens/county_home.c,
 * stations.c, conflicts.c, applications.c, import.c, ceremony.c,
 * duplicates.c): a county database opens county_home_open() instead of
 * the station's Home.
 */
#ifndef GUANQING_COUNTY_SCREENS_H
#define GUANQING_COUNTY_SCREENS_H

#include <stddef.h>

/* County Home: what waits for the office, and the way to its screens. */
void county_home_open(void);
/* Every enrolled station by town and village; enrol, re-enrol, revoke. */
void stations_open(void);
/* The open conflicts, one at a time. */
void conflicts_open(void);
/* The applications waiting for a decision, by town and kind. */
void applications_open(void);
/* Import from the stick with a progress bar, then the report per station. */
void import_open(void);


/* Choose a village by town and village name (pinyin too); its code into
 * out (16 bytes). 1 chosen, 0 Esc or no village. */
int county_choose_village(const char *title, char *out);

/* Write the return bundles for every station (or the one of village, when
 * not NULL) into folders named by town and village on the stick; the
 * report goes to the status line and report. */
struct strbuf;
void county_write_returns(const char *village, struct strbuf *report);

/* The coming peak days, the coming ceremonies; add a ceremony, book a
 * couple, the day's list of a ceremony. */
void ceremony_open(void);
/* The duplicates across villages, a list to act on (Enter: the person). */
void duplicates_open(void);

#endif
