/* cli_util.c - the words after a command, failures, secrets, and opening
 * the database with the sign-in: what every command shares. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "guanqing/auth.h"
#include "guanqing/cli_util.h"
#include "guanqing/dump.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/sync.h"
#include "guanqing/uid.h"

struct cli_global cli_global;

static char *db_path_owned;

/* Options that take no value, for every command. */
static const char *const common_flags[] = { "help", "canonical", "all", "deleted", "ascii", NULL };

static int in_list(const char *const *list, const char *name)
{
	int i;

	for (i = 0; list && list[i]; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("guanqing: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fprintf(stderr, _("Try \"guanqing --help\"."));
	fputs("\n", stderr);
	return 2;
}

int cli_parse_opts(int argc, char **argv, int at, const char *const *flags, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = at; i < argc; i++) {
		char *a = argv[i];

		if (!strcmp(a, "--")) {
			for (i++; i < argc && o->npos < CLI_MAX_OPTS; i++)
				o->pos[o->npos++] = argv[i];
			break;
		}
		if (!strncmp(a, "--", 2) && a[2]) {
			char *eq = strchr(a, '=');

			if (o->n >= CLI_MAX_OPTS)
				return cli_usage(_("too many options (at most %s)."), "128");
			if (eq) {
				size_t len = (size_t)(eq - a - 2);

				if (len >= sizeof(o->buf[0]))
					return cli_usage(_("unknown option --%.*s."), (int)len, a + 2);
				memcpy(o->buf[o->n], a + 2, len);
				o->buf[o->n][len] = '\0';
				o->name[o->n] = o->buf[o->n];
				o->value[o->n++] = eq + 1;
			} else if (in_list(common_flags, a + 2) || in_list(flags, a + 2)) {
				o->name[o->n] = a + 2;
				o->value[o->n++] = "1";
			} else if (i + 1 < argc) {
				o->name[o->n] = a + 2;
				o->value[o->n++] = argv[++i];
			} else {
				return cli_usage(_("option --%s needs a value."), a + 2);
			}
			if (!strcmp(o->name[o->n - 1], "help"))
				o->help = 1;
		} else if (!strcmp(a, "-h")) {
			o->help = 1;
		} else if (o->npos < CLI_MAX_OPTS) {
			o->pos[o->npos++] = a;
		} else {
			return cli_usage(_("too many words after the command (at most %s)."), "128");
		}
	}
	return 0;
}

int cli_parse_words(int argc, char **argv, int at, const char *const *known,
		    const char *const *flags, struct opts *o)
{
	int i, status = cli_parse_opts(argc, argv, at, flags, o);

	if (status)
		return status;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->name[i], "help") && !in_list(known, o->name[i]) &&
		    !in_list(flags, o->name[i]))
			return cli_usage(_("unknown option --%s."), o->name[i]);
	return 0;
}

const char *cli_opt(const struct opts *o, const char *name)
{
	int i;
	const char *v = NULL;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->name[i], name))
			v = o->value[i];
	return v;
}

int cli_opt_only(const struct opts *o, const char *const *allowed)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->name[i], "help") && !in_list(allowed, o->name[i])) {
			cli_usage(_("unknown option --%s."), o->name[i]);
			return 0;
		}
	return 1;
}

int cli_fail(const struct gq_err *e)
{
	fprintf(stderr, "guanqing: %s\n", e->msg[0] ? e->msg : gq_status_str(e->code));
	return gq_status_exit(e->code);
}

int cli_parse_format(const struct opts *o, enum fmt *f)
{
	const char *v = cli_opt(o, "format");

	if (out_parse_format(v, f) == 0)
		return 0;
	return cli_usage(_("--format must be table, csv or json, not \"%s\"."), v);
}

enum gq_status cli_read_secret(const char *prompt, const char *file, char *out,
			       size_t size, struct gq_err *e)
{
	FILE *f = stdin;
	struct termios old, quiet;
	int tty = 0;

	out[0] = '\0';
	if (file) {
		f = fopen(file, "r");
		if (!f)
			return gq_err_set(e, GQ_EIO, _("Cannot read the file %s."), file);
	} else if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0) {
		tty = 1;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fputs(prompt, stderr);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(out, (int)size, f))
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (file)
		fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	if (!out[0])
		return gq_err_set(e, GQ_EINVAL, _("Nothing was given for: %s"), prompt);
	return GQ_OK;
}

const char *cli_db_path(void)
{
	if (!cli_global.db_path)
		cli_global.db_path = db_path_owned = db_default_path();
	return cli_global.db_path;
}

/* ---- signing in ---- */

static enum auth_role cur_role;
static int signed_in;

enum auth_role cli_role(void)
{
	return cur_role;
}

/* A database where no user has a PIN yet (made for tests or a demo with
 * "station init --village") asks for nothing: its user acts as the
 * place's admin. */
int cli_authorize(struct gq_db *db, enum auth_action action)
{
	struct gq_err e;
	char id[UID_LEN + 1], pin[AUTH_PIN_MAX + 2], prompt[160];
	const char *user = cli_global.user ? cli_global.user : getenv("GUANQING_USER");
	const char *pin_file = cli_global.pin_file ? cli_global.pin_file : getenv("GUANQING_PIN_FILE");

	gq_err_clear(&e);
	if (!signed_in && !auth_required(db)) {
		cur_role = db->role == DB_ROLE_COUNTY ? AUTH_COUNTY_ADMIN : AUTH_STATION_ADMIN;
		auth_act_as(db, cur_role);
		signed_in = 1;
	}
	if (!signed_in) {
		if (!user || !*user) {
			fprintf(stderr, _("guanqing: %s is protected by PINs: sign in with --user NAME (the PIN is asked for, or read from --pin-file FILE)."),
				db->path);
			fputc('\n', stderr);
			return 1;
		}
		if (auth_find_user(db, user, id, NULL, &e) != GQ_OK)
			return cli_fail(&e);
		snprintf(prompt, sizeof(prompt), _("PIN for %s: "), user);
		if (cli_read_secret(prompt, pin_file, pin, sizeof(pin), &e) != GQ_OK)
			return cli_fail(&e);
		if (auth_sign_in(db, id, pin, &cur_role, &e) != GQ_OK) {
			keys_wipe(pin, sizeof(pin));
			return cli_fail(&e);
		}
		keys_wipe(pin, sizeof(pin));
		signed_in = 1;
	}
	if (db->role == DB_ROLE_STATION &&
	    (action == AUTH_DECIDE || action == AUTH_CONFLICTS || action == AUTH_ENROL ||
	     action == AUTH_PUBLISH)) {
		fprintf(stderr, "guanqing: %s\n",
			_("That is done at the county, not at a station: the county's decisions reach the station in its next bundle."));
		return 1;
	}
	if (!auth_can(cur_role, db->role, action)) {
		auth_refuse(cur_role, action, &e);
		return cli_fail(&e);
	}
	return 0;
}

/* ---- opening ---- */

/* Said once when a write waits for another writer. */
static void say_waiting(void *ctx, struct gq_db *db)
{
	(void)ctx;
	if (sync_import_running(db))
		fprintf(stderr, _("guanqing: an import into %s is running; waiting for it to let us in...\n"),
			db->path);
	else
		fprintf(stderr, _("guanqing: another program is writing to %s; waiting...\n"), db->path);
}

static int open_db(int create, int checking, struct gq_db **db)
{
	struct gq_err e;
	const char *path = cli_db_path();

	gq_err_clear(&e);
	if (db_open(path, create, db, &e) != GQ_OK)
		return cli_fail(&e);
	db_set_busy_notify(*db, say_waiting, NULL);
	if (!create && (*db)->role == DB_ROLE_NONE) {
		fprintf(stderr, _("guanqing: database %s is not initialised: run \"guanqing station init --village CODE\" or \"guanqing county init --division CODE\"."),
			path);
		fputc('\n', stderr);
		db_close(db);
		return 1;
	}
	/* Who may sign in, with which role, must be what the change log
	 * says: a users row edited behind the program's back stops here. */
	if (!create && !checking && dump_check_users(*db, &e) != GQ_OK) {
		db_close(db);
		return cli_fail(&e);
	}
	return 0;
}

int cli_open_db(int create, struct gq_db **db)
{
	return open_db(create, 0, db);
}

int cli_open_db_checking(struct gq_db **db)
{
	return open_db(0, 1, db);
}

int cli_open_db_for(enum auth_action action, struct gq_db **db)
{
	int status = open_db(0, 0, db);

	if (status)
		return status;
	status = cli_authorize(*db, action);
	if (status)
		db_close(db);
	return status;
}

struct gq_db *cli_db(void)
{
	return cli_global.db;
}

int cli_open_need(const struct cli_need *need, struct gq_db **db)
{
	struct gq_err e;

	*db = NULL;
	switch (need->db) {
	case CLI_SELF:
	case CLI_NO_DB:
		return 0;
	case CLI_DB_IF_ANY:
		/* Read-only uses that work without a database (the county's
		 * villages, the installed forms). */
		gq_err_clear(&e);
		if (access(cli_db_path(), F_OK) != 0 || db_open(cli_db_path(), 0, db, &e) != GQ_OK)
			*db = NULL;
		return 0;
	case CLI_DB:
		return cli_open_db(0, db);
	case CLI_DB_CHECKING:
		return cli_open_db_checking(db);
	case CLI_SIGNED:
		return cli_open_db_for(need->action, db);
	}
	return 0;
}

void cli_util_end(void)
{
	free(db_path_owned);
	db_path_owned = NULL;
}
