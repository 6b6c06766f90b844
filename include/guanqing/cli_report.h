/* cli_report.h - the command "report" (src/cli_report.c): the reports of
 * src/report.c as a table, CSV, xlsx or a printable page.
 */
#ifndef GUANQING_CLI_REPORT_H
#define GUANQING_CLI_REPORT_H

/* As in cli.c's table: argv[at..argc) are the command's words. */
int cli_report(int argc, char **argv, int at);

#endif
