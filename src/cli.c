/* cli.c - the command line. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "guanqing/auth.h"
#include "guanqing/cli.h"
#include "guanqing/cli_out.h"
#include "guanqing/cli_install.h"
#include "guanqing/cli_report.h"
#include "guanqing/cli_ceremony.h"
#include "guanqing/cli_sync.h"
#include "guanqing/cli_records.h"
#include "guanqing/cli_setup.h"
#include "guanqing/cli_util.h"
#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/demo.h"
#include "guanqing/division.h"
#include "guanqing/dump.h"
#include "guanqing/field.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/history.h"
#include "guanqing/i18n.h"
#include "guanqing/pinyin.h"
#include "guanqing/publish.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/report.h"
#include "guanqing/station.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/text.h"
#include "guanqing/summary.h"
#include "guanqing/sync.h"
#include "guanqing/keys.h"
#include "guanqing/merge.h"
#include "guanqing/move.h"
#include "guanqing/ui.h"

/* ---- help ---- */

static void print_help(void)
{
	printf(_("Usage: guanqing [--db FILE] [--user NAME [--pin-file F]] [--lang zh|en] [--ascii] COMMAND [ARGS]\n"
		 "Offline register of civil-affairs visits and cases for village stations and the county.\n\n"
		 "Setting up:\n"
		 "  county init --division 411524        make a county database\n"
		 "  station init --village CODE          make a station database for one village\n"
		 "  villages [--town CODE]               list the county's towns and villages\n"
		 "  demo                                 make a demo station database\n\n"
		 "Records (NOUN is person, household, grid, user, category, guardian, visit,\n"
		 "application, facility, meal, activity, referral or death):\n"
		 "  NOUN add --FIELD VALUE ...           add a record; prints its id\n"
		 "  NOUN list [--format table|csv|json]  list the records\n"
		 "  NOUN show ID                         show one record\n"
		 "  NOUN edit ID --set FIELD=VALUE ...   change fields\n"
		 "  NOUN delete ID                       delete (a tombstone is kept)\n"
		 "  NOUN fields                          the fields of NOUN and their options\n"
		 "  person search TEXT                   find people by name, pinyin, ID or phone\n"
		 "  person move ID --village CODE        county: a person moved to another village\n"
		 "  visit add --person ID --form FORM [--date D] [--set FIELD=VALUE]...\n"
		 "  application decide ID --status approved|rejected|paid [--amount-granted X] [--reason R]\n"
		 "  form list | form show FORM           the visit forms\n"
		 "  form publish FILE                    county: send a new form version to every station\n"
		 "  history NOUN ID                      who changed which field, from what to what\n"
		 "  user pin NAME [--pin-file F]         set a PIN; user unlock NAME\n\n"
		 "USB exchange:\n"
		 "  county enroll --village CODE --out DIR [--passphrase-file F]\n"
		 "                                       enrol a station: its sealed setup file\n"
		 "  station init --setup FILE [--passphrase-file F]\n"
		 "                                       make a station database from a setup file\n"
		 "  export [--to DIR] [--station ID]     write bundles to the stick\n"
		 "  import [PATH...]                     read bundles from the stick, files or folders\n"
		 "  conflicts [--format ...]             open conflicts; conflicts resolve ID --value V|--keep ORIGIN\n"
		 "  stations [--format ...]              enrolled stations, bundles, gaps, clock warnings\n"
		 "  config media [DIR]                   the stick's folder when none is found under /media\n"
		 "  config lock [MINUTES]                the screens lock after so many idle minutes (10)\n\n"
		 "County office:\n"
		 "  report list | report NAME [--town T] [--format table|csv|xlsx|text]\n"
		 "                                       the bureau's reports by town and village\n"
		 "  duplicates                           the same person or benefit in two villages\n"
		 "  ceremony peak-days|add|book|list|show  marriage registration ceremonies\n\n"
		 "Checking:\n"
		 "  summary                              counts and follow-ups due\n"
		 "  check                                integrity and foreign-key check\n"
		 "  dump --canonical                     every synced row in a fixed format\n"
		 "  ui                                   the screens (the default)\n\n"
		 "The database is --db FILE, else $GUANQING_DB, else\n"
		 "$XDG_DATA_HOME/guanqing/guanqing.db. Exit status: 0 success, 1 refused, 2 usage.\n"));
}

/* ---- other commands ---- */

static int run_help(int argc, char **argv, int at)
{
	(void)argc;
	(void)argv;
	(void)at;
	print_help();
	return 0;
}

/* A command that opens what it needs itself. */
#define SELF CLI_SELF, AUTH_READ, NULL

/* The commands other than the record nouns (tables.h, served by
 * cli_records.c), and what each needs opened before it runs: the
 * database, and the action the signed-in user must be allowed. need_of,
 * when set, decides from the command's words instead. */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv, int at);
	const char *usage;
	enum cli_db_need db;
	enum auth_action action;
	int (*need_of)(int argc, char **argv, int at, struct cli_need *need);
	const char *help;	/* what it does, its options, an example */
} commands[] = {
	{ "county", cli_county, N_("guanqing county init --division CODE --admin NAME [--pin-file FILE]\n"
				   "guanqing county enroll --village CODE --out DIR [--passphrase-file F]"),
	  CLI_SELF, AUTH_READ, cli_county_need,
	  N_("Makes the county office's database (init), or enrols a village station (enroll):\n"
		"the station's setup file goes to DIR on the stick, its passphrase is shown once\n"
		"(or written to --passphrase-file) and must reach the station separately.\n"
		"  --division CODE     the county's code (411524, 商城县)\n"
		"  --admin NAME        the first county admin; the PIN is asked twice (or --pin-file)\n"
		"  --village CODE      the village of the station to enrol (see \"guanqing villages\")\n"
		"  --out DIR           where the setup file goes\n"
		"Example: guanqing county enroll --village 411524103205 --out /media/usb") },
	{ "station", cli_station, N_("guanqing station init --setup FILE --admin NAME [--passphrase-file F] [--pin-file FILE]\n"
				     "guanqing station init --village CODE   (a database for tests and demos, without PINs)"),
	  CLI_SELF, AUTH_READ, NULL,
	  N_("Makes a village station's database from the setup file the county wrote for it;\n"
		"the passphrase is asked for (or read from --passphrase-file).\n"
		"  --setup FILE        the setup file from the county's stick\n"
		"  --admin NAME        the station's first admin; the PIN is asked for (or --pin-file)\n"
		"Example: guanqing station init --setup /media/usb/411524103205.setup --admin 刘志强") },
	{ "villages", cli_villages, N_("guanqing villages [--town CODE] [--format table|csv|json]"),
	  CLI_DB_IF_ANY, AUTH_READ, NULL,
	  N_("Lists the county's villages and communities with their towns; works without a database.\n"
		"  --town CODE|NAME    only the villages of one town (its code or its name)\n"
		"Example: guanqing villages --town 双椿铺镇") },
	{ "form", cli_form, N_("guanqing form list | form show FORM|FILE | form publish FILE"),
	  CLI_DB_IF_ANY, AUTH_READ, cli_form_need,
	  N_("Lists the visit forms, shows one form's questions, or (county) publishes a new\n"
		"version of a form to every station with their next bundles.\n"
		"Example: guanqing form show child_visit") },
	{ "check", cli_check, N_("guanqing check: SQLite's integrity and foreign-key checks and the change log's consistency; exit 1 on a problem."),
	  CLI_DB_CHECKING, AUTH_READ, NULL,
	  N_("Checks the database: SQLite's integrity and foreign keys, and every synced value\n"
		"against the change log. Exit status 1 when something is wrong.\n"
		"Example: guanqing check") },
	{ "dump", cli_dump, N_("guanqing dump --canonical: every synced row in a fixed order and format."),
	  CLI_SIGNED, AUTH_REPORTS, NULL,
	  N_("Prints every synced row in a fixed order and format, for comparing two databases.\n"
		"Example: guanqing dump --canonical > station.txt") },
	{ "demo", cli_demo, N_("guanqing demo [--village CODE] [--seed N] [--people N]: a new demo station database."),
	  CLI_SELF, AUTH_READ, NULL,
	  N_("Makes a new demo station database (宋岗村) with made-up people, visits and users,\n"
		"and beside it a demo county database (NAME-county.db, admin 张主任) in which the\n"
		"station is enrolled, both exchanging through the folder NAME-stick as their stick.\n"
		"  --village CODE      another village\n"
		"  --seed N            another set of made-up people\n"
		"  --people N          how many people\n"
		"Example: guanqing --db /tmp/demo.db demo") },
	{ "config", cli_config, N_("guanqing config media [DIR] | config lock [MINUTES]"),
	  CLI_SIGNED, AUTH_READ, cli_config_need,
	  N_("Shows or sets the stick's folder used when none is found under /media (media),\n"
		"or the minutes after which idle screens lock (lock; 1 to 240, 10 when not set).\n"
		"Example: guanqing config lock 15") },
	{ "history", cli_history, N_("guanqing history NOUN ID [--format table|csv|json]"),
	  CLI_SIGNED, AUTH_READ, NULL,
	  N_("Shows who changed which field of a record, from what to what, when and at which station.\n"
		"Example: guanqing history person 3f2a") },
	{ "export", cli_export, N_("guanqing export [--to DIR] [--station ID] [--by-village [--village CODE]...]"), SELF,
	  N_("Writes a bundle for each place this one trades with (the county, or at the county\n"
		"every station) to the stick: the changes they have not acknowledged, compressed,\n"
		"signed and encrypted to them.\n"
		"  --to DIR            the folder (else the mounted stick, or \"config media\")\n"
		"  --station ID        at the county: only this station\n"
		"  --by-village        at the county: each station's bundle in a folder named by\n"
		"                      town and village (双椿铺镇-宋岗村), to hand each village its stick\n"
		"  --village CODE      with --by-village: only these villages (repeatable)\n"
		"Example: guanqing export --to /media/usb") },
	{ "import", cli_import, N_("guanqing import [PATH...]"), SELF,
	  N_("Reads the bundles on the stick (or the files and folders named) addressed to this\n"
		"place, checks each whole, and merges its changes; a bundle already read is skipped.\n"
		"Example: guanqing import /media/usb") },
	{ "conflicts", cli_conflicts, N_("guanqing conflicts [--format table|csv|json]\n"
					 "guanqing conflicts resolve ID --value V | --keep ORIGIN"), SELF,
	  N_("At the county: lists the fields two stations changed differently, and settles one\n"
		"with the right value (--value) or the value of one station (--keep); the decision\n"
		"reaches the stations with their next bundles.\n"
		"Example: guanqing conflicts resolve 12 --value 13800138000") },
	{ "stations", cli_stations, N_("guanqing stations [--format table|csv|json]"), SELF,
	  N_("At the county: every enrolled station, its last bundle, what it has not\n"
		"acknowledged, missing bundles and clock warnings.\n"
		"Example: guanqing stations --format csv") },
	{ "summary", cli_summary, N_("guanqing summary: counts, visits this month and follow-ups due."),
	  CLI_SIGNED, AUTH_READ, NULL,
	  N_("Prints the counts of people by category, the visits of this month and the follow-ups due.\n"
		"Example: guanqing summary") },
	{ "report", cli_report, N_("guanqing report list: the reports there are\n"
				   "guanqing report NAME [--town CODE|NAME] [--from D --to D] [--villages] [--codes] [--format table|csv|json|xlsx|text] [--out FILE]"), SELF,
	  N_("Lists the reports, or runs one; a report's options are listed by \"report list\".\n"
		"Example: guanqing report followups --format csv") },
	{ "ceremony", cmd_ceremony, N_("guanqing ceremony peak-days|add|book|edit|delete|list|show ... (the county's marriage registration ceremonies)"), SELF,
	  NULL },
	{ "duplicates", cmd_duplicates, N_("guanqing duplicates [--format table|csv|json]: the same person in two villages (county)."), SELF,
	  NULL },
	{ "ui", cli_ui, N_("guanqing [ui]: the screens."), CLI_DB, AUTH_READ, NULL,
	  N_("Starts the screens (the default when no command is given).\n"
		"Example: guanqing --db /srv/guanqing/station.db") },
	{ "help", run_help, N_("guanqing help"), CLI_NO_DB, AUTH_READ, NULL,
	  N_("Lists the commands.") },
	{ "kit", cli_kit, N_("guanqing kit --out DIR [--debs DIR] [--arch amd64,i386] [--no-download]   (county)\n"
			     "guanqing kit verify DIR [--key FILE]"), SELF,
	  N_("At the county: writes the install kit for village PCs (the .deb files, their\n"
		"dependencies, an install script and a signed manifest) to DIR; \"kit verify\" checks one.\n"
		"Example: guanqing kit --out /media/usb/kit") },
	{ "backup", cli_backup, N_("guanqing backup --to DIR: a sealed copy of the whole database."), SELF,
	  N_("Writes a sealed copy of the whole database to DIR; \"restore\" puts it back.\n"
		"Example: guanqing backup --to /media/usb") },
	{ "restore", cli_restore, N_("guanqing restore FILE [--yes]: put a backup in the place of the database (the current one is kept aside)."), SELF,
	  N_("Checks a backup whole, asks, keeps the current database aside and puts the backup\n"
		"in its place.\n"
		"Example: guanqing restore /media/usb/guanqing-backup-20261201.gqb") },
	{ "doctor", cli_doctor, N_("guanqing doctor: version, database, place, last exchange, disk, terminal and locale."), SELF,
	  N_("Prints what is needed to help on the telephone: version, database, place, last\n"
		"exchange, free disk, terminal and locale; nothing personal.\n"
		"Example: guanqing doctor") },
	{ NULL, NULL, NULL, CLI_SELF, AUTH_READ, NULL, NULL }
};

/* COMMAND --help (anywhere after the command): its usage. */
static int wants_help(int argc, char **argv, int at)
{
	for (; at < argc; at++)
		if (!strcmp(argv[at], "--help") || !strcmp(argv[at], "-h"))
			return 1;
	return 0;
}

/* Open what the command needs, run it, close. */
static int run_command(const struct command *c, const struct table_def *t, int argc,
		       char **argv, int at)
{
	struct cli_need need = { CLI_SELF, AUTH_READ };
	int status;

	if (c) {
		need.db = c->db;
		need.action = c->action;
		status = c->need_of ? c->need_of(argc, argv, at, &need) : 0;
	} else {
		status = cli_record_need(t, argc, argv, at, &need);
	}
	if (status)
		return status;
	status = cli_open_need(&need, &cli_global.db);
	if (status)
		return status;
	status = c ? c->run(argc, argv, at) : cli_record(t, argc, argv, at);
	db_close(&cli_global.db);
	return status;
}

int cli_main(int argc, char **argv)
{
	int i = 1, status;
	const char *cmd;
	const struct table_def *t;
	const struct command *c;

	/* Global options come before the command. */
	while (i < argc && !strncmp(argv[i], "-", 1)) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			cli_global.db_path = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			cli_global.db_path = argv[i++] + 5;
		} else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			i += 2;	/* handled in main before gettext starts */
		} else if (!strncmp(argv[i], "--lang=", 7)) {
			i++;
		} else if (!strcmp(argv[i], "--user") && i + 1 < argc) {
			cli_global.user = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--user=", 7)) {
			cli_global.user = argv[i++] + 7;
		} else if (!strcmp(argv[i], "--pin-file") && i + 1 < argc) {
			cli_global.pin_file = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--pin-file=", 11)) {
			cli_global.pin_file = argv[i++] + 11;
		} else if (!strcmp(argv[i], "--ascii")) {
			cli_global.ascii = 1;
			i++;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help();
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("%s\n", PACKAGE_STRING);
			return 0;
		} else {
			cli_usage(_("unknown option %s."), argv[i]);
			return 2;
		}
	}
	cmd = i < argc ? argv[i] : "ui";
	i++;
	for (c = commands; c->name && strcmp(c->name, cmd); c++)
		;
	if (c->name && wants_help(argc, argv, i)) {
		printf("%s\n", _(c->usage));
		if (c->help)
			printf("\n%s\n", _(c->help));
		status = 0;
	} else if (c->name)
		status = run_command(c, NULL, argc, argv, i);
	else if ((t = table_find(cmd)) != NULL)
		status = run_command(NULL, t, argc, argv, i);
	else {
		cli_usage(_("unknown command \"%s\"."), cmd);
		status = 2;
	}
	if (fflush(stdout) != 0 && status == 0) {
		fprintf(stderr, "guanqing: %s\n", _("writing the output failed."));
		status = 1;
	}
	cli_util_end();
	return status;
}
