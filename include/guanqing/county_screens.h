/* county_screens.h - the county office's screens reached from Home:
 * marriage ceremonies (screens/ceremony.c) and the duplicates across
 * villages (screens/duplicates.c). */
#ifndef GUANQING_COUNTY_SCREENS_H
#define GUANQING_COUNTY_SCREENS_H

/* The coming peak days, the coming ceremonies; add a ceremony, book a
 * couple, the day's list of a ceremony. */
void ceremony_open(void);
/* The duplicates across villages, a list to act on (Enter: the person). */
void duplicates_open(void);
/* Home's keys for these screens on a county database: 'c' ceremonies, 'd'
 * duplicates. 1 when k was one of them (and the database is the
 * county's), else 0. */
int county_office_key(int k);

#endif
