/* demo.c - demo records. */
#include "config.h"

#include "guanqing/demo.h"

enum gq_status demo_populate(struct gq_db *db, unsigned seed, int people,
			     struct gq_err *err)
{
	(void)db; (void)seed; (void)people; (void)err;
	return GQ_OK;
}
