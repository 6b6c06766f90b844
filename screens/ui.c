/* ui.c - entry point of the screens: start curses, sign in, run the stack. */
#include "config.h"

#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/screen.h"
#include "guanqing/ui.h"

int ui_run(struct gq_db *db, int ascii)
{
	memset(&ui, 0, sizeof(ui));
	ui.db = db;
	ui.ascii = ascii;
	ui.english = ascii || i18n_english();
	screen_init();
	signin_open();
	screen_run();
	screen_end();
	return 0;
}
