/* paths.c - where data, forms and catalogues are found. */
#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "guanqing/paths.h"

#ifndef BUILD_SRCDIR
#define BUILD_SRCDIR "."
#endif
#ifndef BUILD_BUILDDIR
#define BUILD_BUILDDIR "."
#endif

static int is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static const char *pick(const char *env, const char *installed, const char *built)
{
	const char *e = getenv(env);

	if (e && *e)
		return e;
	if (is_dir(installed) || !is_dir(built))
		return installed;
	return built;
}

const char *paths_data_dir(void)
{
	return pick("GUANQING_DATA_DIR", PKGDATADIR, BUILD_SRCDIR "/data");
}

const char *paths_forms_dir(void)
{
	return pick("GUANQING_FORMS_DIR", PKGDATADIR "/forms", BUILD_SRCDIR "/screens/forms");
}

const char *paths_locale_dir(void)
{
	const char *e = getenv("GUANQING_LOCALEDIR");
	struct stat sb;

	if (e && *e)
		return e;
	/* The locale folder exists anyway: look for our catalogue. */
	if (stat(LOCALEDIR "/zh_CN/LC_MESSAGES/" PACKAGE ".mo", &sb) == 0 ||
	    stat(BUILD_BUILDDIR "/po/locale/zh_CN/LC_MESSAGES/" PACKAGE ".mo", &sb) != 0)
		return LOCALEDIR;
	return BUILD_BUILDDIR "/po/locale";
}
