/* doctor.c - the technician's report (doctor.h). */
#include "config.h"

/* wcwidth() */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <wchar.h>

#include "guanqing/division.h"
#include "guanqing/doctor.h"
#include "guanqing/i18n.h"
#include "guanqing/paths.h"

/* The folder of path ("." when it has none), into buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

static const char *yes_no(int v)
{
	return v ? _("yes") : _("no");
}

int doctor_report(const char *path, struct gq_db *db, const char *open_error,
		  struct strbuf *out)
{
	const char *term = getenv("TERM");
	const char *codeset = nl_langinfo(CODESET);
	const char *lc = setlocale(LC_CTYPE, NULL);
	const char *lang = getenv("LANG");
	const char *lc_all = getenv("LC_ALL");
	const char *language = getenv("LANGUAGE");
	char dir[4096], name[256], town[256];
	struct statvfs vfs;
	int problems = 0, utf8, wide, chinese;

	strbuf_addf(out, _("Version: %s\n"), PACKAGE_STRING);
	strbuf_addf(out, _("Database: %s\n"), path);
	if (!db) {
		strbuf_addf(out, _("  PROBLEM: %s\n"), open_error ? open_error : "?");
		problems++;
	} else {
		char *last = db_meta_get(db, "last_exchange");

		strbuf_addf(out, _("Schema version: %d (this program writes %d)\n"), db_schema_version(db),
			    DB_SCHEMA_VERSION);
		if (db->role == DB_ROLE_STATION) {
			char town_code[16];

			division_name(db, db->village, name, sizeof(name));
			snprintf(town_code, sizeof(town_code), "%.9s", db->village);
			division_name(db, town_code, town, sizeof(town));
			strbuf_addf(out, _("Place: station of %s, %s (village %s), station id %s\n"),
				    name[0] ? name : "?", town[0] ? town : "?", db->village, db->station_id);
		} else if (db->role == DB_ROLE_COUNTY) {
			division_name(db, db->division, name, sizeof(name));
			strbuf_addf(out, _("Place: the county %s (%s), id %s\n"), name[0] ? name : "?",
				    db->division, db->station_id);
		} else {
			strbuf_addf(out, "%s\n", _("Place: the database is not initialised."));
			strbuf_addf(out, "%s\n", _("  PROBLEM: make it with \"station init --setup FILE\" or restore a backup."));
			problems++;
		}
		strbuf_addf(out, _("Last USB exchange: %s\n"), last ? last : _("never"));
		free(last);
	}
	dir_of(path, dir, sizeof(dir));
	if (statvfs(dir, &vfs) == 0) {
		unsigned long long mib = (unsigned long long)vfs.f_bavail * vfs.f_frsize / (1024 * 1024);

		strbuf_addf(out, _("Free disk space: %llu MiB in %s\n"), mib, dir);
		if (mib < DOCTOR_MIN_FREE_MIB) {
			strbuf_addf(out, _("  PROBLEM: less than %d MiB free: the database and its backups need room.\n"),
				    DOCTOR_MIN_FREE_MIB);
			problems++;
		}
	} else {
		strbuf_addf(out, _("Free disk space: unknown (%s: %s)\n"), dir, strerror(errno));
	}
	/* Chinese needs a UTF-8 locale that knows the characters are two
	 * columns wide, and a terminal with the glyphs: the Linux console
	 * has none (the screens then show pinyin). */
	utf8 = codeset && !strcmp(codeset, "UTF-8");
	wide = wcwidth(0x4E2D) == 2;	/* 中 */
	chinese = utf8 && wide && !(term && !strcmp(term, "linux"));
	strbuf_addf(out, _("Terminal: TERM=%s; UTF-8: %s; can draw Chinese: %s\n"), term ? term : "",
		    yes_no(utf8), yes_no(chinese));
	if (!chinese) {
		strbuf_addf(out, "%s\n", _("  NOTE: the screens will show names in pinyin; use a graphical terminal with a UTF-8 locale for Chinese."));
	}
	strbuf_addf(out, _("Locale: %s (LANG=%s, LC_ALL=%s, LANGUAGE=%s); messages in %s\n"), lc ? lc : "",
		    lang ? lang : "", lc_all ? lc_all : "", language ? language : "",
		    i18n_english() ? _("English") : _("Chinese"));
	strbuf_addf(out, _("Data: %s; forms: %s\n"), paths_data_dir(), paths_forms_dir());
	if (problems)
		strbuf_addf(out, _("%d problems found.\n"), problems);
	else
		strbuf_addf(out, "%s\n", _("All is well."));
	return problems;
}
