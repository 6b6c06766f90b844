/* cli_install.h - the commands of installing and keeping a station:
 * `kit`, `backup`, `restore`, `doctor` (src/cli_install.c).
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

#endif
