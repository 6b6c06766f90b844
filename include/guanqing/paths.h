/* paths.h - the folders the program reads its data, forms and message
 * catalogue from.
 *
 * Each is, in order: the environment variable (GUANQING_DATA_DIR,
 * GUANQING_FORMS_DIR, GUANQING_LOCALEDIR), the installed folder
 * ($(pkgdatadir), $(pkgdatadir)/forms, $(localedir)) when it exists, and
 * else the source and build tree the binary was built in, so that
 * ./guanqing works straight after ./quickstart.sh without make install.
 * The strings are static.
 */
#ifndef GUANQING_PATHS_H
#define GUANQING_PATHS_H

const char *paths_data_dir(void);
const char *paths_forms_dir(void);
const char *paths_locale_dir(void);

#endif
