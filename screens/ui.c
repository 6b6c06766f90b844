/* ui.c - entry point of the screens. */
#include "config.h"

#include <stdio.h>

#include "guanqing/strbuf.h"
#include "guanqing/summary.h"
#include "guanqing/ui.h"

int ui_run(struct gq_db *db, int ascii)
{
	struct strbuf sb = STRBUF_INIT;

	(void)ascii;
	summary_write(db, &sb);
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
	return 0;
}
