/* ui.c - entry point of the screens: start curses, sign in, run the stack. */
#include "config.h"

#include <curses.h>

#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/i18n.h"
#include "guanqing/screen.h"
#include "guanqing/sync.h"
#include "guanqing/ui.h"

/* A save waiting for another writer says so on the bottom line, at once:
 * the loop draws only after the save returns. */
static void ui_waiting(void *ctx, struct gq_db *db)
{
	(void)ctx;
	ui_putf(ui_lines() - 2, 0, ui_cols(), UA_HIGH, "%s",
		sync_import_running(db) ? _("An import is running; please wait...")
					: _("The database is in use by another program; please wait..."));
	refresh();
}

int ui_run(struct gq_db *db, int ascii)
{
	const char *term = getenv("TERM");
#ifdef GUANQING_TEST_HOOKS
	/* A short idle lock for the screen tests; a test hook only. */
	const char *lock = getenv("GUANQING_LOCK_SECONDS");
#else
	const char *lock = NULL;
#endif

	/* The Linux console cannot draw Chinese: pinyin names, English. */
	if (term && !strcmp(term, "linux") && !ascii)
		ascii = 2;
	if (ascii)
		setenv("LANGUAGE", "en", 1);
	memset(&ui, 0, sizeof(ui));
	ui.db = db;
	ui.ascii = ascii;
	ui.english = ascii || i18n_english();
	/* The screens sign in themselves: GUANQING_USER and
	 * GUANQING_PIN_FILE are for the command line only. Without any PIN
	 * (a test or demo database) whoever sits here is the place's admin,
	 * and Home says so. */
	ui.auth_on = auth_required(db);
	if (!ui.auth_on) {
		ui.role = db->role == DB_ROLE_COUNTY ? AUTH_COUNTY_ADMIN : AUTH_STATION_ADMIN;
		auth_act_as(db, ui.role);
	} else {
		ui.lock_ms = db_meta_get_int(db, "lock_minutes", 10) * 60000LL;
		if (lock && *lock)
			ui.lock_ms = atoll(lock) * 1000LL;
	}
	screen_init();
	db_set_busy_notify(db, ui_waiting, NULL);
	signin_open();
	/* The first screen says why it is in English. */
	if (ascii == 2)
		ui_msg(0, "%s", _("This console (TERM=linux) cannot show Chinese, so the screens are in English and names in pinyin. For Chinese, start guanqing in a terminal window of the desktop."));
	else if (ascii)
		ui_msg(0, "%s", _("Started with --ascii: the screens are in English and names in pinyin."));
	screen_run();
	people_forget();
	screen_end();
	return 0;
}
