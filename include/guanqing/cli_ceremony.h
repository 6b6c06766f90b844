/* cli_ceremony.h - the county office's commands: `ceremony` (peak days,
 * ceremonies and bookings) and `duplicates` (src/cli_ceremony.c). */
#ifndef GUANQING_CLI_CEREMONY_H
#define GUANQING_CLI_CEREMONY_H

int cmd_ceremony(int argc, char **argv, int at);
int cmd_duplicates(int argc, char **argv, int at);

#endif
