/* i18n.c - text domain binding. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"

void i18n_init(void)
{
	const char *dir = getenv("GUANQING_LOCALEDIR");

	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

int i18n_english(void)
{
	/* The catalogue translates this marker to its language code. */
	const char *code = _("LANGUAGE-CODE:en");

	return strncmp(code, "zh", 2) != 0;
}
