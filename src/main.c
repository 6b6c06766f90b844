/* main.c - entry point: locale, language, then the command line. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/cli.h"
#include "guanqing/i18n.h"

/* --lang zh|en before the command chooses the interface language whatever
 * the locale says. */
static void choose_language(int argc, char **argv)
{
	const char *lang = NULL;
	int i;

	/* Only the global options, before the command; the ones that take a
	 * value skip it. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lang") && i + 1 < argc)
			lang = argv[++i];
		else if (!strncmp(argv[i], "--lang=", 7))
			lang = argv[i] + 7;
		else if ((!strcmp(argv[i], "--db") || !strcmp(argv[i], "--user") ||
			  !strcmp(argv[i], "--pin-file")) && i + 1 < argc)
			i++;
		else if (argv[i][0] != '-')
			break;
	}
	if (!lang)
		return;
	if (!strncmp(lang, "zh", 2)) {
		setenv("LANGUAGE", "zh_CN", 1);
		/* gettext ignores LANGUAGE under the C locale. */
		if (!setlocale(LC_MESSAGES, "zh_CN.UTF-8"))
			setlocale(LC_MESSAGES, "C.UTF-8");
	} else {
		setenv("LANGUAGE", "en", 1);
	}
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	choose_language(argc, argv);
	i18n_init();
	return cli_main(argc, argv);
}
