/* cli_records.h - the record commands (src/cli_records.c): NOUN VERB ...
 * for the kinds of tables.h, and `history NOUN ID`.
 */
#ifndef GUANQING_CLI_RECORDS_H
#define GUANQING_CLI_RECORDS_H

#include "guanqing/cli_util.h"
#include "guanqing/tables.h"

/* What `NOUN VERB ...` (argv[at] the verb) needs opened before it runs:
 * 0 with *need set, or the exit status of a usage error (printed). */
int cli_record_need(const struct table_def *t, int argc, char **argv, int at,
		    struct cli_need *need);

/* Run it on cli_db(). */
int cli_record(const struct table_def *t, int argc, char **argv, int at);

/* history NOUN ID [--format ...], on cli_db() (CLI_SIGNED, AUTH_READ). */
int cli_history(int argc, char **argv, int at);

#endif
