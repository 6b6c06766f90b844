/* ui.c - entry point of the screens: start curses, sign in, run the stack. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/screen.h"
#include "guanqing/ui.h"

int ui_run(struct gq_db *db, int ascii)
{
	const char *term = getenv("TERM");

	/* The Linux console cannot draw Chinese: pinyin names, English. */
	if (term && !strcmp(term, "linux"))
		ascii = 1;
	if (ascii)
		setenv("LANGUAGE", "en", 1);
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
