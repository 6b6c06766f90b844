/* cli_util.h - what every command of the command line shares: the words
 * after the command, usage errors, failures, secrets, and opening the
 * database with the sign-in (src/cli_util.c).
 *
 * Each function that can fail prints one line on stderr naming what is
 * wrong and returns the exit status (1 refused, 2 usage); 0 is success.
 */
#ifndef GUANQING_CLI_UTIL_H
#define GUANQING_CLI_UTIL_H

#include <stddef.h>

#include "guanqing/auth.h"
#include "guanqing/cli_out.h"
#include "guanqing/db.h"
#include "guanqing/err.h"

#define CLI_MAX_OPTS 128

/* The words after the command: options (--name value, --name=value) and
 * positional arguments, in order. */
struct opts {
	const char *name[CLI_MAX_OPTS];
	char buf[CLI_MAX_OPTS][64];	/* names given as --name=value */
	const char *value[CLI_MAX_OPTS];
	int n;
	const char *pos[CLI_MAX_OPTS];
	int npos;
	int help;
};

/* What a command needs before it runs, as git's RUN_SETUP: cli_main
 * opens the database (and signs in) once, and the command finds it with
 * cli_db(). */
enum cli_db_need {
	CLI_SELF,	/* the command opens or makes what it needs itself */
	CLI_NO_DB,	/* no database */
	CLI_DB_IF_ANY,	/* the database when there is one (no sign-in) */
	CLI_DB,		/* an initialised database, no sign-in (the screens sign in) */
	CLI_DB_CHECKING,/* opened even when its users fail the check (`check`) */
	CLI_SIGNED,	/* an initialised database and a user allowed to do action */
};

struct cli_need {
	enum cli_db_need db;
	enum auth_action action;	/* with CLI_SIGNED */
};

/* Open what need asks for into *db (NULL when nothing or none exists). */
int cli_open_need(const struct cli_need *need, struct gq_db **db);

/* The database opened for the running command, or NULL. */
struct gq_db *cli_db(void);

/* The options before the command, set once by cli_main. */
struct cli_global {
	const char *db_path;	/* --db, else $GUANQING_DB, else the default */
	const char *user;	/* --user */
	const char *pin_file;	/* --pin-file */
	int ascii;		/* --ascii */
	struct gq_db *db;	/* what cli_main opened for the command */
};
extern struct cli_global cli_global;

/* Parse argv[at..argc) into o (argv is not changed: the words may be
 * parsed again). The options that take no value are the
 * common flags (help, canonical, all, deleted, ascii) and those in
 * flags (NULL-terminated, or NULL). Returns 0 or 2 (usage). */
int cli_parse_opts(int argc, char **argv, int at, const char *const *flags, struct opts *o);

/* cli_parse_opts, then refuse any option that is neither in known nor in
 * flags (both NULL-terminated). Returns 0 or 2. */
int cli_parse_words(int argc, char **argv, int at, const char *const *known,
		    const char *const *flags, struct opts *o);

/* The last value of --name, or NULL. */
const char *cli_opt(const struct opts *o, const char *name);

/* 1 when every option is in allowed (NULL-terminated) or is --help;
 * else 0 after saying which one is not. */
int cli_opt_only(const struct opts *o, const char *const *allowed);

/* "guanqing: MESSAGE" and the hint to --help on stderr; returns 2. */
__attribute__((format(printf, 1, 2)))
int cli_usage(const char *fmt, ...);

/* Print e and return its exit status. */
int cli_fail(const struct gq_err *e);

/* --format table|csv|json into f; 0 or 2 (usage printed). */
int cli_parse_format(const struct opts *o, enum fmt *f);

/* Read a secret (passphrase, PIN) from file (its first line), or from the
 * terminal without echo after prompt, or from standard input when it is
 * not a terminal. Never from the command line. */
enum gq_status cli_read_secret(const char *prompt, const char *file, char *out,
			       size_t size, struct gq_err *e);

/* The database path of this run; never NULL. */
const char *cli_db_path(void);

/* Open the database (an initialised one unless create). With check set,
 * a database whose users fail the change-log check still opens (for
 * `check`, which reports on it). */
int cli_open_db(int create, struct gq_db **db);
int cli_open_db_checking(struct gq_db **db);

/* Sign in once per run (when the database asks for it) and check that the
 * role may do action. */
int cli_authorize(struct gq_db *db, enum auth_action action);

/* The role signed in by cli_authorize. */
enum auth_role cli_role(void);

/* cli_open_db, then cli_authorize. */
int cli_open_db_for(enum auth_action action, struct gq_db **db);

/* The end of a run: what cli_util keeps is freed. */
void cli_util_end(void);

#endif
