/* cli_install.c - the commands kit, backup, restore and doctor. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guanqing/backup.h"
#include "guanqing/cli_install.h"
#include "guanqing/cli_util.h"
#include "guanqing/division.h"
#include "guanqing/doctor.h"
#include "guanqing/i18n.h"
#include "guanqing/kit.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"

/* ---- kit ---- */

static int kit_verify_cmd(int argc, char **argv, int at)
{
	static const char *const known[] = { "key", NULL }, *const flags[] = { NULL };
	unsigned char key[KEYS_SIGN_PUBLIC_BYTES];
	struct strbuf report = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct opts w;
	struct gq_err e;
	int status;

	gq_err_clear(&e);
	if ((status = cli_parse_words(argc, argv, at, known, flags, &w)) != 0)
		return status;
	if (w.npos != 1)
		return cli_usage("%s", _("kit verify needs the kit's folder: guanqing kit verify DIR."));
	/* Only the county's public key is read: no sign-in, so that the
	 * install script can verify before it installs. */
	if (cli_opt(&w, "key")) {
		if (kit_read_key(cli_opt(&w, "key"), key, &e) != GQ_OK)
			return cli_fail(&e);
	} else {
		status = cli_open_db(0, &db);
		if (status)
			return status;
		if (sync_county_sign_key(db, key, &e) != GQ_OK) {
			db_close(&db);
			return cli_fail(&e);
		}
		db_close(&db);
	}
	if (kit_verify(w.pos[0], key, &report, &e) != GQ_OK) {
		strbuf_release(&report);
		return cli_fail(&e);
	}
	fputs(report.buf, stdout);
	strbuf_release(&report);
	return 0;
}

int cli_kit(int argc, char **argv, int at)
{
	static const char *const known[] = { "out", "debs", "arch", "script", NULL };
	static const char *const flags[] = { "no-download", NULL };
	struct strbuf report = STRBUF_INIT;
	struct kit_options opt;
	struct gq_db *db = NULL;
	struct opts w;
	struct gq_err e;
	int status;

	if (at < argc && !strcmp(argv[at], "verify"))
		return kit_verify_cmd(argc, argv, at + 1);
	gq_err_clear(&e);
	if ((status = cli_parse_words(argc, argv, at, known, flags, &w)) != 0)
		return status;
	if (w.npos)
		return cli_usage(_("unknown word \"%s\": use \"kit --out DIR\" or \"kit verify DIR\"."), w.pos[0]);
	if (!cli_opt(&w, "out"))
		return cli_usage("%s", _("kit needs --out DIR, the folder on the stick for the kit."));
	memset(&opt, 0, sizeof(opt));
	opt.out = cli_opt(&w, "out");
	opt.debs = cli_opt(&w, "debs");
	opt.archs = cli_opt(&w, "arch");
	opt.script = cli_opt(&w, "script");
	opt.no_download = cli_opt(&w, "no-download") != NULL;
	status = cli_open_db_for(AUTH_ENROL, &db);
	if (status)
		return status;
	if (kit_write(db, &opt, &report, &e) != GQ_OK)
		status = cli_fail(&e);
	fputs(report.buf, stdout);
	strbuf_release(&report);
	db_close(&db);
	return status;
}

/* ---- backup and restore ---- */

int cli_backup(int argc, char **argv, int at)
{
	static const char *const known[] = { "to", NULL }, *const flags[] = { NULL };
	char path[4300], medium[4096];
	struct gq_db *db = NULL;
	const char *to;
	struct opts w;
	struct gq_err e;
	int status;

	gq_err_clear(&e);
	if ((status = cli_parse_words(argc, argv, at, known, flags, &w)) != 0)
		return status;
	if (w.npos)
		return cli_usage(_("unknown word \"%s\": use \"backup --to DIR\"."), w.pos[0]);
	status = cli_open_db_for(AUTH_EXCHANGE, &db);
	if (status)
		return status;
	to = cli_opt(&w, "to");
	if (!to) {
		/* The stick, in its guanqing/backup folder. */
		if (sync_find_medium(db, medium, sizeof(medium) - 16, &e) != GQ_OK) {
			db_close(&db);
			return cli_fail(&e);
		}
		strcat(medium, "/guanqing/backup");
		to = medium;
	}
	if (backup_write(db, to, path, sizeof(path), &e) != GQ_OK)
		status = cli_fail(&e);
	else
		printf(_("Backup %s written and checked.\n"), path);
	db_close(&db);
	return status;
}

/* Ask on the terminal (or read standard input) whether to go on. */
static int confirmed(const char *question)
{
	char line[64];

	fflush(stdout);
	fprintf(stderr, "%s ", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return !strcmp(line, "yes") || !strcmp(line, _("yes"));
}

int cli_restore(int argc, char **argv, int at)
{
	static const char *const known[] = { NULL }, *const flags[] = { "yes", NULL };
	char dest[4200], aside[4200], question[2048], name[300], town[256];
	struct backup_info info;
	struct gq_db *db = NULL;
	const char *path;
	struct opts w;
	struct gq_err e;
	int status;

	gq_err_clear(&e);
	if ((status = cli_parse_words(argc, argv, at, known, flags, &w)) != 0)
		return status;
	if (w.npos != 1)
		return cli_usage("%s", _("restore needs the backup file: guanqing restore FILE."));
	status = cli_open_db_for(AUTH_MANAGE_USERS, &db);
	if (status)
		return status;
	path = cli_db_path();
	snprintf(dest, sizeof(dest), "%s.restore-%ld.tmp", path, (long)getpid());
	unlink(dest);
	if (backup_open(db, w.pos[0], dest, &info, &e) != GQ_OK) {
		db_close(&db);
		return cli_fail(&e);
	}
	division_name(db, info.role[0] == 'c' ? info.division : info.village, town, sizeof(town));
	snprintf(name, sizeof(name), "%s %s", info.role[0] == 'c' ? info.division : info.village, town);
	printf(_("The backup %s holds the database of %s made at %s (schema version %d, %llu bytes); it verified.\n"),
	       w.pos[0], name, info.created, info.schema, (unsigned long long)info.size);
	snprintf(question, sizeof(question),
		 _("Replace the database %s with it? Everything recorded here since the backup is then only in the copy kept aside. Type \"yes\" to go on:"),
		 path);
	if (!cli_opt(&w, "yes") && !confirmed(question)) {
		unlink(dest);
		db_close(&db);
		printf("%s\n", _("Nothing was changed."));
		return 1;
	}
	/* Fold the write-ahead log into the file so that what is kept aside
	 * is whole on its own. */
	sqlite3_exec(db->h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	db_close(&db);
	if (backup_swap_in(path, dest, aside, sizeof(aside), &e) != GQ_OK) {
		unlink(dest);
		return cli_fail(&e);
	}
	/* Open it once: an older backup is migrated forward now. */
	if (db_open(path, 0, &db, &e) != GQ_OK)
		return cli_fail(&e);
	printf(_("Restored %s from %s. The database as it was is kept in %s.\n"), path, w.pos[0], aside);
	db_close(&db);
	return 0;
}

/* ---- doctor ---- */

int cli_doctor(int argc, char **argv, int at)
{
	static const char *const known[] = { NULL }, *const flags[] = { NULL };
	struct strbuf out = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct opts w;
	struct gq_err e;
	int status, problems;

	gq_err_clear(&e);
	if ((status = cli_parse_words(argc, argv, at, known, flags, &w)) != 0)
		return status;
	if (w.npos)
		return cli_usage(_("unknown word \"%s\": doctor takes no arguments."), w.pos[0]);
	/* No sign-in: the report holds nothing personal, and a technician
	 * may need it when nobody remembers a PIN or the database is gone. */
	db_open(cli_db_path(), 0, &db, &e);
	problems = doctor_report(cli_db_path(), db, e.msg, &out);
	fputs(out.buf, stdout);
	strbuf_release(&out);
	db_close(&db);
	return problems ? 1 : 0;
}
