/* err.h - status codes and the error record every fallible function fills.
 *
 * Functions that can fail return an enum gq_status and, when given a
 * struct gq_err, write one whole sentence in the user's language that names
 * the file, field or record and what is wrong. GQ_OK is 0, so callers chain
 * `if (rc == GQ_OK)` and leave through one cleanup label.
 */
#ifndef GUANQING_ERR_H
#define GUANQING_ERR_H

#include <stddef.h>

enum gq_status {
	GQ_OK = 0,
	GQ_EINVAL,	/* refused input: a field, file or record is wrong */
	GQ_EUSAGE,	/* the command line is wrong */
	GQ_ENOTFOUND,	/* no such record, file or form */
	GQ_EEXIST,	/* already there (duplicate ID number, second init) */
	GQ_EDB,		/* the database failed or is unusable */
	GQ_EIO,		/* reading or writing a file failed */
	GQ_ENOMEM,	/* out of memory */
	GQ_EPERM,	/* the role may not do this */
	GQ_ECORRUPT,	/* damaged or forged data (bundle, database) */
	GQ_ESTATUS_MAX
};

#define GQ_ERR_MSG_MAX 1024

struct gq_err {
	enum gq_status code;
	char msg[GQ_ERR_MSG_MAX];
	char field[64];		/* the column of the field refused, or "" */
};

/* Reset to GQ_OK with an empty message. NULL is allowed. */
void gq_err_clear(struct gq_err *e);
/* Say which field (its column name) the refusal in e is about, so that a
 * form can put the cursor there. NULL e is allowed. Returns e's code. */
enum gq_status gq_err_field(struct gq_err *e, const char *field);

/* Set the code and a printf-style message (already translated by the
 * caller); returns code so that `return gq_err_set(e, GQ_EINVAL, ...)` reads
 * naturally. e may be NULL: then only the code is returned. Messages longer
 * than GQ_ERR_MSG_MAX are cut at a character boundary. */
enum gq_status gq_err_set(struct gq_err *e, enum gq_status code,
			  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A generic one-line description of a status code, translated. */
const char *gq_status_str(enum gq_status code);

/* Process exit status for a code: 0 ok, 2 usage, 1 otherwise. */
int gq_status_exit(enum gq_status code);

#endif
