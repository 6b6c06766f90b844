/* sync.c - the place of the USB exchange. Export and import come with the
 * sync work; until then it shows the last exchange and the unsent
 * changes. */
#include "config.h"

#include <stdlib.h>

#include "guanqing/change.h"
#include "guanqing/i18n.h"
#include "guanqing/screen.h"

static const struct key_help sync_keys[] = {
	{ "F10", N_("Back"), N_("Back to Home.") },
	{ NULL, NULL, NULL }
};

static void sync_draw(struct screen *s)
{
	char *last = db_meta_get(ui.db, "last_exchange");

	(void)s;
	ui_putf(2, 2, ui_cols() - 4, UA_NORMAL, _("Last USB exchange: %s"), last ? last : _("never"));
	ui_putf(3, 2, ui_cols() - 4, UA_NORMAL, _("Changes recorded here: %lld"),
		(long long)change_local_count(ui.db));
	ui_put(5, 2, _("Export to and import from the USB stick will be here."), ui_cols() - 4, UA_DIM);
	free(last);
}

static int sync_key(struct screen *s, int k)
{
	(void)s;
	(void)k;
	return SK_UNHANDLED;
}

static const struct screen_ops sync_ops = {
	.name = "sync", .title = N_("Sync"), .keys = sync_keys,
	.draw = sync_draw, .key = sync_key,
};

void sync_open(void)
{
	screen_push(&sync_ops, NULL);
}
