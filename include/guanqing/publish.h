/* publish.h - the county publishes visit forms (table form_def); they
 * reach every station in its next bundle, and formdb.h reads them. */
#ifndef GUANQING_PUBLISH_H
#define GUANQING_PUBLISH_H

#include <stddef.h>

#include "guanqing/db.h"
#include "guanqing/err.h"

/* County: publish the form file at path, checked by loading it, so that
 * every station gets it with its next bundle. Its version must be higher
 * than any published before for the same form. *id_out (may be NULL)
 * gets the form's id, *version_out its version. */
enum gq_status publish_form(struct gq_db *db, const char *path,
			    char *id_out, size_t id_size, int *version_out,
			    struct gq_err *err);

#endif
