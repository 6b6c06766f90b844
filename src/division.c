/* division.c - loading and naming the county's towns and villages. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/division.h"
#include "guanqing/i18n.h"
#include "guanqing/paths.h"
#include "guanqing/validate.h"

/* Split a CSV line without quoted fields (the file has none) in place. */
static int split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static int all_digits(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789") == len;
}

enum gq_status division_load(struct gq_db *db, const char *path,
			     const char *county, const char *county_name,
			     struct gq_err *err)
{
	FILE *fp = fopen(path, "r");
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	char line[1024];
	long lineno = 0;
	int rows = 0;

	if (!fp)
		return gq_err_set(err, GQ_EIO, _("Cannot read the divisions file %s: %s."),
				  path, strerror(errno));
	rc = db_begin(db, err);
	if (rc == GQ_OK)
		rc = db_exec(db, "DELETE FROM division", err);
	if (rc == GQ_OK)
		rc = db_prepare(db, "INSERT INTO division (code, name, level, parent_code, urban,"
				" urban_rural_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, err);
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, county_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, "county", -1, SQLITE_STATIC);
		sqlite3_bind_null(st, 4);
		sqlite3_bind_int(st, 5, 0);
		sqlite3_bind_null(st, 6);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("loading divisions"), err);
	}
	while (rc == GQ_OK && fgets(line, sizeof(line), fp)) {
		char *f[10];
		int n, village;
		size_t len = strlen(line);

		lineno++;
		if (len && line[len - 1] != '\n' && !feof(fp)) {
			rc = gq_err_set(err, GQ_EINVAL, _("%s:%ld: the line is too long."), path, lineno);
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1 || !line[0])
			continue;	/* header */
		n = split(line, f, 10);
		if (n < 5) {
			rc = gq_err_set(err, GQ_EINVAL, _("%s:%ld: expected at least 5 columns, found %d."),
					path, lineno, n);
			break;
		}
		village = !strcmp(f[2], "village");
		if ((!village && strcmp(f[2], "town")) ||
		    !all_digits(f[0], village ? 12 : 9) ||
		    validate_utf8(NULL, f[1], strlen(f[1]), 0, NULL) != GQ_OK || !f[1][0]) {
			rc = gq_err_set(err, GQ_EINVAL, _("%s:%ld: \"%s\" is not a valid town or village line."),
					path, lineno, f[0]);
			break;
		}
		if (strncmp(f[0], county, strlen(county)))
			continue;	/* another county */
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, f[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, f[1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, f[2], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, f[3], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 5, village && strstr(f[1], "居民委员会") != NULL);
		if (f[4][0])
			sqlite3_bind_text(st, 6, f[4], -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 6);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("loading divisions"), err);
		rows++;
	}
	if (rc == GQ_OK && ferror(fp))
		rc = gq_err_set(err, GQ_EIO, _("Cannot read the divisions file %s: %s."),
				path, strerror(errno));
	if (rc == GQ_OK && rows == 0)
		rc = gq_err_set(err, GQ_EINVAL, _("%s has no town or village of county %s."),
				path, county);
	sqlite3_finalize(st);
	fclose(fp);
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	return rc;
}

void division_name(struct gq_db *db, const char *code, char *buf, size_t size)
{
	sqlite3_stmt *st;

	buf[0] = '\0';
	if (!code || sqlite3_prepare_v2(db->h, "SELECT name FROM division WHERE code = ?1",
					-1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* A town matches by its code or its name. */
static int town_is(const char *want, const char *code, const char *name)
{
	return !want || !strcmp(want, code) || !strcmp(want, name);
}

static enum gq_status villages_of_file(const char *town, division_village_fn fn, void *arg,
				       struct gq_err *err)
{
	char path[4096], line[1024], towns[64][2][128];
	int ntowns = 0, found = !town, pass;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/shangcheng_divisions.csv", paths_data_dir());
	fp = fopen(path, "r");
	if (!fp)
		return gq_err_set(err, GQ_EIO, _("Cannot read the divisions file %s: %s."),
				  path, strerror(errno));
	/* The towns come first in the file, but do not rely on it. */
	for (pass = 0; pass < 2; pass++) {
		rewind(fp);
		while (fgets(line, sizeof(line), fp)) {
			char *f[10];
			struct division_village v;
			int i, n;

			line[strcspn(line, "\r\n")] = '\0';
			n = split(line, f, 10);
			if (n < 5 || strncmp(f[0], "411524", 6))
				continue;
			if (pass == 0) {
				if (!strcmp(f[2], "town") && ntowns < 64) {
					snprintf(towns[ntowns][0], sizeof(towns[0][0]), "%s", f[0]);
					snprintf(towns[ntowns][1], sizeof(towns[0][1]), "%s", f[1]);
					found |= town_is(town, f[0], f[1]);
					ntowns++;
				}
				continue;
			}
			if (strcmp(f[2], "village"))
				continue;
			for (i = 0; i < ntowns && strcmp(towns[i][0], f[3]); i++)
				;
			v.code = f[0];
			v.name = f[1];
			v.town_code = f[3];
			v.town = i < ntowns ? towns[i][1] : "";
			v.urban = strstr(f[1], "居民委员会") != NULL;
			if (!town_is(town, v.town_code, v.town))
				continue;
			if (fn(arg, &v))
				break;
		}
		if (!found)
			break;
	}
	fclose(fp);
	if (!found)
		return gq_err_set(err, GQ_ENOTFOUND, _("There is no town \"%s\" in the county."), town);
	return GQ_OK;
}

enum gq_status division_villages(struct gq_db *db, const char *town, division_village_fn fn,
				 void *arg, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int rows = 0, step;

	if (!db)
		return villages_of_file(town, fn, arg, err);
	rc = db_prepare(db, "SELECT v.code, v.name, t.code, t.name, v.urban FROM division v"
			" JOIN division t ON t.code = v.parent_code WHERE v.level = 'village'"
			" AND (?1 IS NULL OR t.code = ?1 OR t.name = ?1) ORDER BY v.code", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, town, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct division_village v;

		v.code = (const char *)sqlite3_column_text(st, 0);
		v.name = (const char *)sqlite3_column_text(st, 1);
		v.town_code = (const char *)sqlite3_column_text(st, 2);
		v.town = (const char *)sqlite3_column_text(st, 3);
		v.urban = sqlite3_column_int(st, 4);
		rows++;
		if (fn(arg, &v))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading the villages"), err);
	sqlite3_finalize(st);
	if (rc == GQ_OK && !rows && town)
		rc = gq_err_set(err, GQ_ENOTFOUND, _("There is no town \"%s\" in the county."), town);
	return rc;
}
