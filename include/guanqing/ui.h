/* ui.h - the screens' entry point (screens/). */
#ifndef GUANQING_UI_H
#define GUANQING_UI_H

#include "guanqing/db.h"

/* Run the station screens on db until the user quits; ascii forces the
 * pinyin and English fallback. Returns the exit status. */
int ui_run(struct gq_db *db, int ascii);

#endif
