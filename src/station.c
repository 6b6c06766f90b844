/* station.c - initialising a county or station database. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/division.h"
#include "guanqing/i18n.h"
#include "guanqing/paths.h"
#include "guanqing/station.h"
#include "guanqing/uid.h"

static const char county_names[][2][32] = {
	{ "411524", "商城县" },
};

static const char *county_name(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(county_names) / sizeof(county_names[0]); i++)
		if (!strcmp(county_names[i][0], code))
			return county_names[i][1];
	return NULL;
}

static enum gq_status log_field(struct gq_db *db, const char *field, const char *text,
				struct gq_err *err)
{
	struct val v = VAL_NULL_INIT;

	if (text) {
		v.type = VAL_TEXT;
		v.s = text;
	}
	return change_log_local(db, "station", db->station_id, field, &v,
				db->village[0] ? db->village : NULL, err);
}

static enum gq_status init(struct gq_db *db, const char *role, const char *county,
			   const char *village, const char *id, struct gq_err *err)
{
	char path[4096], name[128], now[32];
	const char *cname = county_name(county);
	sqlite3_stmt *st = NULL;
	enum gq_status rc;

	if (db->role != DB_ROLE_NONE)
		return gq_err_set(err, GQ_EEXIST,
				  _("Database %s is already initialised (as a %s); it cannot be initialised again."),
				  db->path, db->role == DB_ROLE_COUNTY ? _("county") : _("station"));
	if (!cname)
		return gq_err_set(err, GQ_EINVAL,
				  _("County code %s is not known: this program carries the divisions of 411524 (Shangcheng County)."),
				  county);
	rc = db_begin(db, err);
	if (rc != GQ_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/shangcheng_divisions.csv", paths_data_dir());
	rc = division_load(db, path, county, cname, err);
	if (rc == GQ_OK && village) {
		division_name(db, village, name, sizeof(name));
		if (!name[0] || strlen(village) != 12)
			rc = gq_err_set(err, GQ_EINVAL,
					_("Village code %s is not a village of %s (see \"guanqing villages\")."),
					village, cname);
	} else {
		/* A proper name, the same in every language. */
		snprintf(name, sizeof(name), "%s民政局", cname);
	}
	if (id)
		snprintf(db->station_id, sizeof(db->station_id), "%s", id);
	else
		uid_new(db->station_id);
	if (rc == GQ_OK)
		rc = db_meta_set(db, "station_id", db->station_id, err);
	if (rc == GQ_OK)
		rc = db_meta_set(db, "role", role, err);
	if (rc == GQ_OK)
		rc = db_meta_set(db, "division", county, err);
	if (rc == GQ_OK && village)
		rc = db_meta_set(db, "village", village, err);
	if (rc == GQ_OK) {
		db_load_identity(db);
		clock_iso(clock_now_ms(), now, sizeof(now));
		rc = db_prepare(db, "INSERT INTO station (id, origin, village, created_at, updated_at,"
				" role, name) VALUES (?1, ?1, ?2, ?3, ?3, ?4, ?5)", &st, err);
	}
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, db->station_id, -1, SQLITE_STATIC);
		if (village)
			sqlite3_bind_text(st, 2, village, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, role, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("saving the station"), err);
	}
	sqlite3_finalize(st);
	if (rc == GQ_OK)
		rc = log_field(db, "created_at", now, err);
	if (rc == GQ_OK)
		rc = log_field(db, "village", village, err);
	if (rc == GQ_OK)
		rc = log_field(db, "role", role, err);
	if (rc == GQ_OK)
		rc = log_field(db, "name", name, err);
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	if (rc != GQ_OK) {
		db_rollback(db);
		db->role = DB_ROLE_NONE;
		db->station_id[0] = db->village[0] = db->division[0] = '\0';
	}
	return rc;
}

enum gq_status station_init_county(struct gq_db *db, const char *division,
				   struct gq_err *err)
{
	if (!division || strlen(division) != 6 || strspn(division, "0123456789") != 6)
		return gq_err_set(err, GQ_EINVAL,
				  _("Option --division: \"%s\" is not a 6-digit county code such as 411524."),
				  division ? division : "");
	return init(db, "county", division, NULL, NULL, err);
}

enum gq_status station_init_village(struct gq_db *db, const char *village,
				    struct gq_err *err)
{
	char county[8];

	if (!village || strlen(village) != 12 || strspn(village, "0123456789") != 12)
		return gq_err_set(err, GQ_EINVAL,
				  _("Option --village: \"%s\" is not a 12-digit village code such as 411524100201."),
				  village ? village : "");
	snprintf(county, sizeof(county), "%.6s", village);
	return init(db, "station", county, village, NULL, err);
}

enum gq_status station_init_enrolled(struct gq_db *db, const char *village,
				     const char *station_id, struct gq_err *err)
{
	char county[8];

	if (!village || strlen(village) != 12 || strspn(village, "0123456789") != 12)
		return gq_err_set(err, GQ_EINVAL,
				  _("The setup file names \"%s\", which is not a 12-digit village code."),
				  village ? village : "");
	if (!uid_valid(station_id))
		return gq_err_set(err, GQ_EINVAL, _("The setup file names \"%s\", which is not a station id."),
				  station_id ? station_id : "");
	snprintf(county, sizeof(county), "%.6s", village);
	return init(db, "station", county, village, station_id, err);
}
