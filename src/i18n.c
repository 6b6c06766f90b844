/* i18n.c - text domain binding. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/paths.h"

void i18n_init(void)
{
	bindtextdomain(PACKAGE, paths_locale_dir());
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

int i18n_english(void)
{
	/* The catalogue translates this marker to its language code. */
	const char *code = _("LANGUAGE-CODE:en");

	return strncmp(code, "zh", 2) != 0;
}
