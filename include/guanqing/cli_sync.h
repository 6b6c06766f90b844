/* cli_sync.h - the commands of the exchange with the stations: `export`,
 * `import`, `conflicts`, `stations` (src/cli_sync.c).
 */
#ifndef GUANQING_CLI_SYNC_H
#define GUANQING_CLI_SYNC_H

/* Commands, as in cli.c's table: argv[at..argc) are the command's words.
 * Each returns the exit status (0, 1 refused, 2 usage). */
int cli_export(int argc, char **argv, int at);
int cli_import(int argc, char **argv, int at);
int cli_conflicts(int argc, char **argv, int at);
int cli_stations(int argc, char **argv, int at);

#endif
