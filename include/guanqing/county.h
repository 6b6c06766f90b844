/* county.h - the county office's reads: the enrolled stations with the
 * state of their exchange, the open conflicts as staff read them, the
 * applications waiting for a decision, the bundles waiting on a stick
 * and Home's figures (src/county.c).
 *
 * Rows are handed to a callback one by one; every string in a row lives
 * until the callback returns (copy what you keep). Villages and towns are
 * named by their names, never by an id; the county itself by
 * county_place_name(). A callback returning non-zero stops the walk.
 */
#ifndef GUANQING_COUNTY_H
#define GUANQING_COUNTY_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/strbuf.h"

/* A station not heard from for this many days is silent. */
#define COUNTY_SILENT_DAYS 30

/* The name the county office goes by where a place is named ("县民政局"
 * in Chinese). Static, translated. */
const char *county_place_name(void);

/* Append to out the name of place origin: "TOWN-VILLAGE" for a station
 * (by its village), the county's own name for the county, the first 8
 * characters of the id otherwise. */
struct strbuf;
void county_origin_name(struct gq_db *db, const char *origin, struct strbuf *out);


struct county_station {
	const char *id;
	const char *village, *village_name;
	const char *town, *town_name;
	const char *status;		/* active | revoked */
	const char *enrolled_at;
	int64_t last_number;		/* its highest bundle imported, 0 none */
	const char *last_date;		/* date of its last bundle imported, or NULL */
	long days_since;		/* since the last bundle (or the enrolment) */
	int silent;			/* active and days_since >= COUNTY_SILENT_DAYS */
	int64_t unacked;		/* our changes for its village it has not acknowledged */
	const char *gaps;		/* "3 5-7": bundle numbers missing, "" none */
	const char *clock_warning;	/* or NULL */
	int64_t sent_number, acked_number;
	const char *last_import_at;	/* ISO time or NULL */
};
typedef int (*county_station_fn)(void *arg, const struct county_station *s);

/* Every enrolled station (active first within a village) by town and
 * village name. */
enum gq_status county_stations(struct gq_db *db, county_station_fn fn, void *arg,
			       struct gq_err *err);

/* One side of a conflict. */
struct county_side {
	const char *origin;	/* the place's id */
	const char *place;	/* its name: "TOWN-VILLAGE" or the county's */
	const char *user;	/* who made the change, or "" */
	const char *when;	/* local time "YYYY-MM-DD HH:MM" */
	const char *stamp;	/* its HLC as an ISO time (hlc_format) */
	const char *value;	/* as it reads (field_display) */
	const char *raw;	/* as stored, NULL for none */
	int winner;		/* the value the record shows now */
};

struct county_conflict {
	int64_t id;
	const char *tbl, *row_id, *field, *kind;
	const char *table_label;	/* translated */
	const char *field_label;	/* translated */
	const char *about;		/* whom or what it is about */
	const char *village_name;	/* the record's "TOWN-VILLAGE" */
	struct county_side side[2];	/* [0] the winner now, [1] the other */
	const char *detected_at;
};
typedef int (*county_conflict_fn)(void *arg, const struct county_conflict *c);

/* The open conflicts in the order they were found. */
enum gq_status county_conflicts(struct gq_db *db, county_conflict_fn fn, void *arg,
				struct gq_err *err);

/* The one open conflict conflict_id, to fn (not called when there is none). */
enum gq_status county_conflict_get(struct gq_db *db, int64_t conflict_id, county_conflict_fn fn,
				   void *arg, struct gq_err *err);

/* The origin of the side of open conflict conflict_id that text names: a
 * place id, the code or name of a station's village, "TOWN-VILLAGE", or
 * for the county "county", 县民政局 or county_place_name(). Into out.
 * GQ_ENOTFOUND when the conflict is not open, GQ_EINVAL when no side is
 * named so (err says which names there are). */
enum gq_status county_conflict_side(struct gq_db *db, int64_t conflict_id, const char *text,
				    char out[37], struct gq_err *err);

struct county_application {
	const char *id;
	const char *kind, *kind_label;
	const char *status, *status_label;
	const char *person_id, *applicant, *id_number;
	const char *village_name, *town_name;
	const char *apply_date, *amount_asked;
	int members;			/* people in the applicant's household */
	const char *check_date;		/* the latest household-check visit, or NULL */
	const char *check_id;
	const char *decision_date, *amount_granted, *decision_reason;
};
typedef int (*county_application_fn)(void *arg, const struct county_application *a);

/* Applications, by town, kind and date: only those waiting for a
 * decision (submitted) when waiting is set, else all. */
enum gq_status county_applications(struct gq_db *db, int waiting, county_application_fn fn,
				   void *arg, struct gq_err *err);

/* Home's figures. */
struct county_home {
	int64_t stations, silent, conflicts, waiting;
	int64_t bundles_waiting;	/* on the stick, not imported yet; -1: no stick */
	char medium[1024];		/* the stick, when found */
	char last_import[40];		/* local time of the last import, "" never */
	char last_import_from[160];	/* its place */
};

/* Fill h; the stick's figures are county_stick_figures()'s. */
enum gq_status county_home_figures(struct gq_db *db, struct county_home *h, struct gq_err *err);

/* The applications waiting, per town: fn(arg, town name, count). */
typedef int (*county_count_fn)(void *arg, const char *name, int64_t n);
enum gq_status county_waiting_by_town(struct gq_db *db, county_count_fn fn, void *arg,
				      struct gq_err *err);

/* The folder name of a village's return bundles: "TOWN-VILLAGE" (the names
 * of the divisions), into out. 0, or -1 when the village is unknown. */
int county_village_folder(struct gq_db *db, const char *village, char *out, size_t size);

/* Every village of the county by town: fn(arg, code, village name, town
 * name). */
typedef int (*county_village_fn)(void *arg, const char *code, const char *name,
				 const char *town_name);
enum gq_status county_villages(struct gq_db *db, county_village_fn fn, void *arg,
			       struct gq_err *err);

/* Revoke the enrolment of station station_id: its bundles are refused from
 * now on (re-enrol the village for a new PC). GQ_ENOTFOUND when no active
 * station has that id. */
enum gq_status county_station_revoke(struct gq_db *db, const char *station_id,
				     struct gq_err *err);


#endif
