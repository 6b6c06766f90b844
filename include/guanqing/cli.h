/* cli.h - the command line: `guanqing [--db FILE] COMMAND ...`.
 *
 * The spellings are a contract (scripts rely on them); see the man page
 * doc/guanqing.1 and `guanqing --help`. Every command calls the same core
 * functions as the screens.
 */
#ifndef GUANQING_CLI_H
#define GUANQING_CLI_H

/* Run the command line; returns the process exit status: 0 success, 1 a
 * refused input or failed operation (one line on stderr naming what is
 * wrong), 2 a usage error. */
int cli_main(int argc, char **argv);

#endif
