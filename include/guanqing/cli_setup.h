/* cli_setup.h - the commands of setting a place up and looking after it
 * (src/cli_setup.c). Each runs on cli_db(), opened by cli_main as its
 * line in the command table says; the *_need functions tell cli_main
 * what a command needs when that depends on its words.
 */
#ifndef GUANQING_CLI_SETUP_H
#define GUANQING_CLI_SETUP_H

#include "guanqing/cli_util.h"

int cli_county(int argc, char **argv, int at);
int cli_station(int argc, char **argv, int at);
int cli_villages(int argc, char **argv, int at);
int cli_form(int argc, char **argv, int at);
int cli_check(int argc, char **argv, int at);
int cli_dump(int argc, char **argv, int at);
int cli_demo(int argc, char **argv, int at);
int cli_config(int argc, char **argv, int at);
int cli_summary(int argc, char **argv, int at);
int cli_ui(int argc, char **argv, int at);

int cli_county_need(int argc, char **argv, int at, struct cli_need *need);
int cli_config_need(int argc, char **argv, int at, struct cli_need *need);
int cli_form_need(int argc, char **argv, int at, struct cli_need *need);

#endif
