/* main.c - entry point. */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "guanqing/i18n.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "");
	i18n_init();
	puts(PACKAGE_STRING);
	return 0;
}
