/* cli_install.h - the commands of installing and keeping a station:
 * `kit`, `backup`, `restore`, `doctor` (src/cli_install.c), and the few
 * things of the command line (src/cli.c) they use.
 */
#ifndef GUANQING_CLI_INSTALL_H
#define GUANQING_CLI_INSTALL_H

#include "guanqing/auth.h"
#include "guanqing/db.h"

/* Commands, as in cli.c's table: argv[at..argc) are the command's words. */
int cli_kit(int argc, char **argv, int at);
int cli_backup(int argc, char **argv, int at);
int cli_restore(int argc, char **argv, int at);
int cli_doctor(int argc, char **argv, int at);

/* From cli.c: the database path of this run (--db, $GUANQING_DB or the
 * default; never NULL), opening it (an initialised one unless create),
 * and opening it with the sign-in and role check for action. Each
 * returns 0, or the exit status after printing why. */
const char *cli_db_path(void);
int cli_open_db(int create, struct gq_db **db);
int cli_open_db_for(enum auth_action action, struct gq_db **db);

#endif
