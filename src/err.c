/* err.c - status table and error record. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/text.h"

static const char *const status_text[GQ_ESTATUS_MAX] = {
	[GQ_OK] = N_("success"),
	[GQ_EINVAL] = N_("invalid input"),
	[GQ_EUSAGE] = N_("wrong use of the command line"),
	[GQ_ENOTFOUND] = N_("not found"),
	[GQ_EEXIST] = N_("already exists"),
	[GQ_EDB] = N_("database error"),
	[GQ_EIO] = N_("input/output error"),
	[GQ_ENOMEM] = N_("out of memory"),
	[GQ_EPERM] = N_("not permitted for this role"),
	[GQ_ECORRUPT] = N_("damaged or forged data"),
};

void gq_err_clear(struct gq_err *e)
{
	if (!e)
		return;
	e->code = GQ_OK;
	e->msg[0] = '\0';
	e->field[0] = '\0';
}

enum gq_status gq_err_field(struct gq_err *e, const char *field)
{
	if (!e)
		return GQ_OK;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	return e->code;
}

/* Cut s back to the last complete UTF-8 character: vsnprintf() stops at a
 * byte count, which may fall inside a character. Only the last character
 * can be cut, and a character has at most four bytes, so the last lead
 * byte among the final four is found and what starts there is decoded;
 * when it is not a whole character, it goes. */
static void trim_utf8_tail(char *s)
{
	size_t n = strlen(s), i;

	for (i = n; i > 0 && n - i < 4; i--) {
		if (((unsigned char)s[i - 1] & 0xC0) != 0x80) {
			if (!text_decode_strict(s + i - 1, n - i + 1, NULL))
				s[i - 1] = '\0';
			return;
		}
	}
}

enum gq_status gq_err_set(struct gq_err *e, enum gq_status code,
			  const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(e->msg))
		trim_utf8_tail(e->msg);
	return code;
}

const char *gq_status_str(enum gq_status code)
{
	if ((int)code < 0 || code >= GQ_ESTATUS_MAX)
		return _("unknown error");
	return _(status_text[code]);
}

int gq_status_exit(enum gq_status code)
{
	switch (code) {
	case GQ_OK:
		return 0;
	case GQ_EUSAGE:
		return 2;
	default:
		return 1;
	}
}
