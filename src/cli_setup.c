/* cli_setup.c - the commands of setting a place up and looking after it:
 * county and station init, county enroll, villages, form, check, dump,
 * demo, config, summary and ui. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guanqing/auth.h"
#include "guanqing/cli_out.h"
#include "guanqing/cli_setup.h"
#include "guanqing/cli_util.h"
#include "guanqing/db.h"
#include "guanqing/demo.h"
#include "guanqing/division.h"
#include "guanqing/dump.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/publish.h"
#include "guanqing/record.h"
#include "guanqing/station.h"
#include "guanqing/strbuf.h"
#include "guanqing/summary.h"
#include "guanqing/sync.h"
#include "guanqing/tables.h"
#include "guanqing/ui.h"
#include "guanqing/uid.h"

/* county enroll --village CODE --out DIR: a station's sealed setup file. */
static int cmd_enroll(int argc, char **argv, int at)
{
	static const char *const known[] = { "village", "out", "passphrase-file", NULL };
	char pass[KEYS_PASSPHRASE_SIZE], path[4096];
	struct gq_db *db = cli_db();
	struct gq_err e;
	struct opts o;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	if (!cli_opt_only(&o, known))
		return 2;
	if (!cli_opt(&o, "village") || !cli_opt(&o, "out")) {
		cli_usage("%s", _("county enroll needs --village CODE and --out DIR."));
		return 2;
	}
	if (sync_enroll(db, cli_opt(&o, "village"), cli_opt(&o, "out"), pass, path, sizeof(path), &e) != GQ_OK)
		return cli_fail(&e);
	{
		char name[128];

		division_name(db, cli_opt(&o, "village"), name, sizeof(name));
		printf(_("Station enrolled for %s %s; its setup file is %s.\n"), cli_opt(&o, "village"),
		       name, path);
	}
	if (cli_opt(&o, "passphrase-file")) {
		const char *pf = cli_opt(&o, "passphrase-file");
		int fd = open(pf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		size_t len = strlen(pass);

		if (fd < 0 || write(fd, pass, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
		    fchmod(fd, 0600) != 0 || close(fd) != 0) {
			fprintf(stderr, _("guanqing: cannot write the passphrase file %s; the passphrase is %s\n"),
				pf, pass);
			keys_wipe(pass, sizeof(pass));
			return 1;
		}
		printf(_("The passphrase was written to %s (mode 0600).\n"), pf);
	} else {
		printf(_("Passphrase (shown once; give it to the station separately from the file): %s\n"), pass);
	}
	keys_wipe(pass, sizeof(pass));
	return 0;
}

/* Remove a database file this run created and could not initialise. */
static void remove_db_files(const char *path)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", path, side[i]);
		unlink(buf);
	}
}

static int cmd_init(int argc, char **argv, int at, int county)
{
	static const char *const init_flags[] = { "remove-setup", NULL };
	char pin[AUTH_PIN_MAX + 2] = "";
	const char *admin;
	int existed;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;
	enum gq_status rc;

	gq_err_clear(&e);
	if (at >= argc || strcmp(argv[at], "init")) {
		cli_usage(_("expected \"%s init\"."), county ? "county" : "station");
		return 2;
	}
	if (cli_parse_opts(argc, argv, at + 1, init_flags, &o))
		return 2;
	if (!cli_opt(&o, county ? "division" : "village") && (county || !cli_opt(&o, "setup"))) {
		cli_usage(_("missing --%s."), county ? "division" : "village (or --setup FILE)");
		return 2;
	}
	/* A real county or station starts with its admin and the admin's PIN:
	 * no database made for use is ever open to whoever sits down. Only
	 * "station init --village", for tests and demos, may go without. */
	admin = cli_opt(&o, "admin");
	if ((county || cli_opt(&o, "setup")) && !admin) {
		cli_usage("%s", _("missing --admin NAME: the first admin, whose PIN is asked for (or read from --pin-file FILE)."));
		return 2;
	}
	if (admin) {
		char prompt[160];

		snprintf(prompt, sizeof(prompt), _("PIN for the admin %s: "), admin);
		if (cli_read_secret(prompt, cli_opt(&o, "pin-file"), pin, sizeof(pin), &e) != GQ_OK ||
		    auth_pin_acceptable(pin, &e) != GQ_OK) {
			keys_wipe(pin, sizeof(pin));
			return cli_fail(&e);
		}
		/* Typed at the terminal: twice, so that a slip does not lock
		 * the admin out of a new database. */
		if (!cli_opt(&o, "pin-file") && isatty(STDIN_FILENO)) {
			char again[AUTH_PIN_MAX + 2];
			int same = cli_read_secret(_("The same PIN again: "), NULL, again, sizeof(again), &e) == GQ_OK &&
				   !strcmp(pin, again);

			keys_wipe(again, sizeof(again));
			if (!same) {
				keys_wipe(pin, sizeof(pin));
				fprintf(stderr, "guanqing: %s\n", _("The two PINs differ; nothing was made."));
				return 1;
			}
		}
	}
	const char *db_path = cli_db_path();
	existed = access(db_path, F_OK) == 0;
	status = cli_open_db(1, &db);
	if (status)
		return status;
	rc = db_begin(db, &e);
	if (rc != GQ_OK) {
		/* reported below */
	} else if (county) {
		rc = station_init_county(db, cli_opt(&o, "division"), &e);
		if (rc == GQ_OK)
			rc = sync_county_keys(db, &e);
	} else if (cli_opt(&o, "setup")) {
		char pass[256];
		/* A passphrase typed wrong at the terminal may be typed again. */
		int tries = !cli_opt(&o, "passphrase-file") && isatty(STDIN_FILENO) ? 3 : 1;

		while (tries-- > 0) {
			rc = cli_read_secret(_("Passphrase of the setup file: "), cli_opt(&o, "passphrase-file"),
					     pass, sizeof(pass), &e);
			if (rc == GQ_OK)
				rc = sync_station_init(db, cli_opt(&o, "setup"), pass, &e);
			keys_wipe(pass, sizeof(pass));
			if (rc != GQ_EINVAL || !tries)
				break;
			fprintf(stderr, "guanqing: %s\n", e.msg);
			gq_err_clear(&e);
		}
	} else {
		rc = station_init_village(db, cli_opt(&o, "village"), &e);
	}
	if (rc == GQ_OK && admin) {
		struct rec_value v[] = { { "name", admin },
			{ "role", county ? "county_admin" : "station_admin" } };
		char uid[UID_LEN + 1];

		rc = record_create(db, table_find("users"), v, 2, NULL, uid, &e);
		if (rc == GQ_OK)
			rc = auth_set_pin(db, uid, pin, &e);
	}
	keys_wipe(pin, sizeof(pin));
	if (rc == GQ_OK)
		rc = db_commit(db, &e);
	else if (db->depth)
		db_rollback(db);
	if (rc != GQ_OK) {
		db_close(&db);
		if (!existed)
			remove_db_files(db_path);
		return cli_fail(&e);
	}
	{
		char name[128];

		division_name(db, county ? db->division : db->village, name, sizeof(name));
		printf(_("Initialised %s as the %s of %s %s; station id %s.\n"), db_path,
		       county ? _("county office") : _("station"),
		       county ? db->division : db->village, name, db->station_id);
	}
	if (cli_opt(&o, "setup")) {
		/* The keys are in the database now; the file is a sealed copy
		 * of them that should not stay on a stick that travels. */
		if (cli_opt(&o, "remove-setup") && unlink(cli_opt(&o, "setup")) == 0)
			printf(_("The setup file %s was removed.\n"), cli_opt(&o, "setup"));
		else
			printf(_("The setup file %s is no longer needed: remove it from the stick (or give --remove-setup next time).\n"),
			       cli_opt(&o, "setup"));
	}
	db_close(&db);
	return 0;
}

static int village_row(void *arg, const struct division_village *v)
{
	char *cells[4];

	cells[0] = (char *)v->code;
	cells[1] = (char *)v->name;
	cells[2] = (char *)v->town;
	cells[3] = v->urban ? _("urban community") : _("rural village");
	tout_add_row(arg, cells);
	return 0;
}

/* villages [--town CODE]: the county's villages with their towns. */
int cli_villages(int argc, char **argv, int at)
{
	struct opts o;
	struct table_out out;
	struct gq_err e;
	enum fmt f;

	if (cli_parse_opts(argc, argv, at, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	memset(&out, 0, sizeof(out));
	out.ncols = 4;
	out.head[0] = _("code");
	out.head[1] = _("name");
	out.head[2] = _("town");
	out.head[3] = _("kind");
	gq_err_clear(&e);
	if (division_villages(cli_db(), cli_opt(&o, "town"), village_row, &out, &e) != GQ_OK) {
		tout_release(&out);
		return cli_fail(&e);
	}
	tout_print(&out, f);
	return 0;
}

/* form list | form show FORM|FILE | form publish FILE. Without a
 * database the installed forms; with one, what the county published too. */
int cli_form(int argc, char **argv, int at)
{
	const char *verb = at < argc ? argv[at] : NULL;
	struct gq_db *db = cli_db();
	struct gq_err e;
	int status = 0;

	gq_err_clear(&e);
	if (verb && !strcmp(verb, "publish") && at + 1 < argc) {
		char id[80];
		int version;

		if (publish_form(db, argv[at + 1], id, sizeof(id), &version, &e) != GQ_OK)
			status = cli_fail(&e);
		else
			printf(_("Form %s version %d is published: every station gets it with its next bundle.\n"),
			       id, version);
		return status;
	}
	if (verb && !strcmp(verb, "list")) {
		struct form_list list = FORM_LIST_INIT;
		size_t i;

		if (formdb_list(db, &list, &e) != GQ_OK)
			return cli_fail(&e);
		for (i = 0; i < list.nr; i++) {
			struct form *f = NULL;

			if (formdb_find(db, list.ids[i], &f, &e) != GQ_OK) {
				status = cli_fail(&e);
				continue;
			}
			printf("%-18s v%-3d %s\n", form_id(f), form_version(f),
			       form_title(f, i18n_english()));
			form_free(&f);
		}
		form_list_release(&list);
		return status;
	}
	if (verb && !strcmp(verb, "show") && at + 1 < argc) {
		struct form *f = NULL;
		struct strbuf sb = STRBUF_INIT;
		enum gq_status rc;

		/* A path to a form file, or the id of a form. */
		if (strchr(argv[at + 1], '/') || strstr(argv[at + 1], ".form")) {
			rc = form_load(argv[at + 1], &f, &e);
		} else {
			rc = formdb_find(db, argv[at + 1], &f, &e);
		}
		if (rc != GQ_OK)
			return cli_fail(&e);
		form_describe(f, i18n_english(), &sb);
		fputs(sb.buf, stdout);
		strbuf_release(&sb);
		form_free(&f);
		return 0;
	}
	cli_usage("%s", _("use \"form list\", \"form show FORM\" or \"form publish FILE\" (county)."));
	return 2;
}

/* check: SQLite's checks and the change log's consistency. */
int cli_check(int argc, char **argv, int at)
{
	const char *db_path = cli_db_path();
	struct gq_err e;
	int problems = 0;

	(void)argc;
	(void)argv;
	(void)at;
	gq_err_clear(&e);
	if (dump_check(cli_db(), stdout, &problems, &e) != GQ_OK)
		return cli_fail(&e);
	if (problems)
		printf(_("%d problems found in %s.\n"), problems, db_path);
	else
		printf(_("%s: no problems found.\n"), db_path);
	return problems ? 1 : 0;
}

/* dump --canonical: every synced row in a fixed order and format. */
int cli_dump(int argc, char **argv, int at)
{
	struct gq_err e;
	struct opts o;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	if (!cli_opt(&o, "canonical")) {
		cli_usage("%s", _("dump needs --canonical."));
		return 2;
	}
	if (dump_canonical(cli_db(), stdout, &e) != GQ_OK)
		return cli_fail(&e);
	return 0;
}

/* The demo's county database and stick folder beside the station's
 * database: demo.db gives demo-county.db and demo-stick/. */
static void demo_beside(const char *db_path, const char *suffix, char *out, size_t size)
{
	size_t n = strlen(db_path);

	if (n > 3 && !strcmp(db_path + n - 3, ".db"))
		n -= 3;
	snprintf(out, size, "%.*s%s", (int)n, db_path, suffix);
}

/* The demo's county: 商城县 with its admin (the demo PIN), the station
 * enrolled in it through a real setup file (written to the stick folder,
 * read and removed), and both set to exchange through that folder. The
 * station database db is new and not yet initialised. */
static enum gq_status demo_county(struct gq_db *db, const char *county_path, const char *stick,
				  const char *village, struct gq_err *err)
{
	char pass[KEYS_PASSPHRASE_SIZE], setup[4096], uid[UID_LEN + 1];
	struct gq_db *county = NULL;
	struct rec_value v[] = { { "name", DEMO_COUNTY_ADMIN }, { "role", "county_admin" } };
	enum gq_status rc;

	setup[0] = '\0';
	if (mkdir(stick, 0700) != 0 && errno != EEXIST)
		return gq_err_set(err, GQ_EIO, _("Cannot make the folder %s: %s."), stick, strerror(errno));
	rc = db_open(county_path, 1, &county, err);
	if (rc == GQ_OK)
		rc = db_begin(county, err);
	if (rc == GQ_OK) {
		rc = station_init_county(county, DEMO_DIVISION, err);
		if (rc == GQ_OK)
			rc = sync_county_keys(county, err);
		if (rc == GQ_OK)
			rc = record_create(county, table_find("users"), v, 2, NULL, uid, err);
		if (rc == GQ_OK)
			rc = auth_set_pin(county, uid, DEMO_PIN, err);
		if (rc == GQ_OK)
			rc = db_meta_set(county, "media_path", stick, err);
		if (rc == GQ_OK)
			rc = db_commit(county, err);
		else
			db_rollback(county);
	}
	if (rc == GQ_OK)
		rc = sync_enroll(county, village, stick, pass, setup, sizeof(setup), err);
	db_close(&county);
	if (rc == GQ_OK)
		rc = sync_station_init(db, setup, pass, err);
	keys_wipe(pass, sizeof(pass));
	if (setup[0])
		unlink(setup);
	if (rc == GQ_OK)
		rc = db_meta_set(db, "media_path", stick, err);
	return rc;
}

/* demo [--village CODE] [--seed N] [--people N]: a new demo station,
 * enrolled in a demo county database beside it. */
int cli_demo(int argc, char **argv, int at)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;
	const char *village;
	char county_path[4096], stick[4096];

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	village = cli_opt(&o, "village") ? cli_opt(&o, "village") : DEMO_VILLAGE;
	const char *db_path = cli_db_path();
	demo_beside(db_path, "-county.db", county_path, sizeof(county_path));
	demo_beside(db_path, "-stick", stick, sizeof(stick));
	if (access(db_path, F_OK) == 0 || access(county_path, F_OK) == 0) {
		fprintf(stderr, _("guanqing: %s already exists; the demo makes a new database."),
			access(db_path, F_OK) == 0 ? db_path : county_path);
		fputc('\n', stderr);
		return 1;
	}
	status = cli_open_db(1, &db);
	if (status)
		return status;
	if (demo_county(db, county_path, stick, village, &e) != GQ_OK ||
	    demo_populate(db, cli_opt(&o, "seed") ? (unsigned)strtoul(cli_opt(&o, "seed"), NULL, 10) : 1,
			  cli_opt(&o, "people") ? atoi(cli_opt(&o, "people")) : 0, &e) != GQ_OK) {
		db_close(&db);
		remove_db_files(db_path);
		remove_db_files(county_path);
		return cli_fail(&e);
	}
	printf(_("Demo station database %s is ready.\n"), db_path);
	printf(_("Its users: %s (station admin), 王春梅, 李建军 and 余晓燕 (grid workers); the demo PIN of each is %s.\n"),
	       DEMO_ADMIN, DEMO_PIN);
	printf(_("The station is enrolled in the demo county database %s (its admin %s, the same PIN); both exchange through the folder %s as their USB stick.\n"),
	       county_path, DEMO_COUNTY_ADMIN, stick);
	printf(_("Open the county: guanqing --db %s ui\n"), county_path);
	db_close(&db);
	return 0;
}

/* config media [DIR]: the folder export and import use when no --to or
 * PATH is given and no stick is found under /media or /run/media. */
int cli_config(int argc, char **argv, int at)
{
	struct gq_db *db = cli_db();
	struct gq_err e;
	int status = 0;

	gq_err_clear(&e);
	if (at < argc && !strcmp(argv[at], "lock") && at + 2 >= argc) {
		/* config lock [MINUTES]: the screens lock after so many idle
		 * minutes (1 to 240; 10 when not set). */
		if (at + 1 < argc) {
			char *end;
			long m = strtol(argv[at + 1], &end, 10);

			if (*end || m < 1 || m > 240) {
				fprintf(stderr, _("guanqing: the idle lock takes 1 to 240 minutes, not \"%s\".\n"),
					argv[at + 1]);
				status = 1;
			} else if (db_meta_set_int(db, "lock_minutes", m, &e) != GQ_OK) {
				status = cli_fail(&e);
			} else {
				printf(_("The screens lock after %ld idle minutes.\n"), m);
			}
		} else {
			printf(_("The screens lock after %lld idle minutes.\n"),
			       (long long)db_meta_get_int(db, "lock_minutes", 10));
		}
		return status;
	}
	if (at + 1 < argc) {
		struct stat sb;
		const char *dir = argv[at + 1];

		if (*dir && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
			fprintf(stderr, _("guanqing: %s is not a folder.\n"), dir);
			return 1;
		}
		if (db_meta_set(db, "media_path", *dir ? dir : NULL, &e) != GQ_OK)
			status = cli_fail(&e);
		else if (*dir)
			printf(_("Export and import use %s when no stick is named.\n"), dir);
		else
			printf("%s\n", _("Export and import look for a stick under /media and /run/media."));
	} else {
		char *dir = db_meta_get(db, "media_path");

		printf("%s\n", dir ? dir : _("(not set: a stick is looked for under /media and /run/media)"));
		free(dir);
	}
	return status;
}

/* summary: counts, visits this month and follow-ups due. */
int cli_summary(int argc, char **argv, int at)
{
	struct strbuf sb = STRBUF_INIT;

	(void)argc;
	(void)argv;
	(void)at;
	summary_write(cli_db(), &sb);
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
	return 0;
}

/* ui: the screens, which sign in themselves. */
int cli_ui(int argc, char **argv, int at)
{
	(void)argc;
	(void)argv;
	(void)at;
	return ui_run(cli_db(), cli_global.ascii);
}

/* What county and config need: it depends on the words. */
int cli_county_need(int argc, char **argv, int at, struct cli_need *need)
{
	if (at < argc && !strcmp(argv[at], "enroll")) {
		need->db = CLI_SIGNED;
		need->action = AUTH_ENROL;
	}
	return 0;
}

int cli_config_need(int argc, char **argv, int at, struct cli_need *need)
{
	need->db = CLI_SIGNED;
	if (at < argc && !strcmp(argv[at], "lock") && at + 2 >= argc) {
		/* Reading the idle lock is for everyone; setting it an admin's. */
		need->action = at + 1 < argc ? AUTH_MANAGE_USERS : AUTH_READ;
		return 0;
	}
	if (at >= argc || strcmp(argv[at], "media") || at + 2 < argc)
		return cli_usage("%s", _("use \"config media [DIR]\" for the stick's folder, or \"config lock [MINUTES]\" for the idle lock."));
	need->action = AUTH_EXCHANGE;
	return 0;
}

int cli_form_need(int argc, char **argv, int at, struct cli_need *need)
{
	if (at + 1 < argc && !strcmp(argv[at], "publish")) {
		need->db = CLI_SIGNED;
		need->action = AUTH_PUBLISH;
	}
	return 0;
}

/* county init ... | county enroll ...; station init ... */
int cli_county(int argc, char **argv, int at)
{
	if (at < argc && !strcmp(argv[at], "enroll"))
		return cmd_enroll(argc, argv, at + 1);
	return cmd_init(argc, argv, at, 1);
}

int cli_station(int argc, char **argv, int at)
{
	return cmd_init(argc, argv, at, 0);
}

