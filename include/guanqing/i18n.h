/* i18n.h - gettext wrappers for every string a user can see.
 *
 * Messages are written in English in the source and translated through
 * po/zh_CN.po. Wrap every user-visible literal in _() (translated where it is
 * used) or N_() (a table entry translated later with _()).
 */
#ifndef GUANQING_I18N_H
#define GUANQING_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Bind the text domain to the installed locale directory, or to
 * $GUANQING_LOCALEDIR when set (the uninstalled build tree sets it). */
void i18n_init(void);

/* 1 when messages are shown in English (no Chinese catalogue in use), 0
 * when in Chinese; forms and screens pick their labels by it. */
int i18n_english(void);

#endif
