/* home.c - the station at a glance: the summary numbers, the follow-ups
 * due and overdue (nearest first) and the way to every other screen. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/screen.h"
#include "guanqing/summary.h"
#include "guanqing/text.h"

struct followup {
	char person[40];
	char *line;
};

struct home {
	struct strbuf summary;
	struct followup *fu;
	size_t nfu;
	int cur, first;
};

static const struct key_help home_keys[] = {
	{ "F3", N_("People"), N_("The people list, to find someone (also key 1)."), AUTH_READ, KH_ANY },
	{ "F4", N_("Apply"), N_("Applications for assistance (also key 2)."), AUTH_READ, KH_ANY },
	{ "F5", N_("Facility"), N_("Facilities and their meal services (also key 3)."), AUTH_READ, KH_ANY },
	{ "F6", N_("Activity"), N_("Community activities (also key 4)."), AUTH_READ, KH_ANY },
	{ "F7", N_("Referral"), N_("Referrals to the protection centre (also key 5)."), AUTH_READ, KH_ANY },
	{ "F8", N_("Sync"), N_("The USB exchange (also key 6)."), AUTH_READ, KH_ANY },
	{ "F9", N_("Users"), N_("The users of this place, their PINs and locks (also key 7)."),
	  AUTH_MANAGE_USERS, KH_ANY },
	{ "p", N_("PIN"), N_("Change your own PIN (the current one first)."), AUTH_READ, KH_ANY },
	{ "r", N_("Reports"), N_("The reports, such as the follow-ups due by grid (also key 8)."), AUTH_READ, KH_ANY },
	{ "Enter", NULL, N_("Open the person of the chosen follow-up."), AUTH_READ, KH_ANY },
	{ "F10", N_("Quit"), N_("Leave the program."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void home_free_fu(struct home *d)
{
	size_t i;

	for (i = 0; i < d->nfu; i++)
		free(d->fu[i].line);
	free(d->fu);
	d->fu = NULL;
	d->nfu = 0;
}

struct home_fill {
	struct home *d;
	size_t alloc;
	struct strbuf nm;
};

static int home_add(void *arg, const struct query_followup *f)
{
	struct home_fill *h = arg;
	struct home *d = h->d;
	struct strbuf sb = STRBUF_INIT;

	if (d->nfu == h->alloc) {
		void *p = realloc(d->fu, (h->alloc ? h->alloc * 2 : 16) * sizeof(*d->fu));

		if (!p)
			return 1;
		d->fu = p;
		h->alloc = h->alloc ? h->alloc * 2 : 16;
	}
	strbuf_addf(&sb, "%s  ", f->due);
	/* Romanise before padding: a pinyin name is wider. */
	strbuf_reset(&h->nm);
	ui_text(&h->nm, f->name);
	text_pad(&sb, h->nm.buf, ui.ascii ? 18 : 12, TEXT_ELLIPSIS_CUT);
	if (f->days < 0)
		strbuf_addf(&sb, "  %s", _("overdue"));
	else if (f->days == 0)
		strbuf_addf(&sb, "  %s", _("due today"));
	else
		strbuf_addf(&sb, "  %s", _("due"));
	strbuf_addf(&sb, " (%+ld)  %s", f->days, ui_form_title(f->form_id));
	snprintf(d->fu[d->nfu].person, sizeof(d->fu[d->nfu].person), "%s", f->person_id);
	d->fu[d->nfu++].line = strbuf_detach(&sb, NULL);
	return 0;
}

static void home_load(struct home *d)
{
	struct home_fill h = { d, 0, STRBUF_INIT };
	char today[16];

	strbuf_reset(&d->summary);
	summary_write(ui.db, &d->summary);
	home_free_fu(d);
	clock_today(today, sizeof(today));
	/* The follow-ups of the next 30 days: the "followups" report's. */
	query_followups(ui.db, today, 30, 500, home_add, &h, NULL);
	strbuf_release(&h.nm);
	if (d->cur >= (int)d->nfu)
		d->cur = d->nfu ? (int)d->nfu - 1 : 0;
}

static void home_draw(struct screen *s)
{
	struct home *d = s->data;
	const char *p = d->summary.buf;
	int y = 1, rows, i, cols = ui_cols();

	/* Nobody has a PIN: anyone at this PC acts as the admin. */
	if (!ui.auth_on)
		ui_put(y++, 1, _("Warning: no PIN is set, so anyone at this PC works as the admin. Set PINs on the Users screen (F9)."),
		       cols - 2, UA_ERROR);
	else
		ui_putf(y++, 1, cols - 2, UA_DIM, _("Signed in: %s (%s)"), ui.user_name,
			choice_label(choices_role, auth_role_code(ui.role)));
	/* The summary, one line per line, as far as half of the screen. */
	while (*p && y < ui_lines() / 2) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);

		/* Skip the summary's own short follow-up list (indented dates). */
		if (!(line[0] == ' ' && line[1] == ' ' && line[2] >= '0' && line[2] <= '9' && strlen(line) > 12
		      && line[6] == '-'))
		{
			ui_put(y, 1, line, cols - 2, y == 2 ? UA_HEADER : UA_NORMAL);
			y++;
		}
		free(line);
		p += len + (nl ? 1 : 0);
	}
	y++;
	ui_putf(y++, 1, cols - 2, UA_HEADER, "%s", _("Follow-ups due and overdue, nearest first:"));
	rows = ui_lines() - 3 - y;
	if (d->nfu == 0) {
		ui_put(y, 3, _("No follow-up is due."), cols - 4, UA_DIM);
		return;
	}
	ui_list_scroll(&d->first, d->cur, rows);
	for (i = 0; i < rows && (size_t)(d->first + i) < d->nfu; i++)
		ui_put(y + i, 2, d->fu[d->first + i].line, cols - 3,
		       d->first + i == d->cur ? UA_SELECT : UA_NORMAL);
}

static int home_key(struct screen *s, int k)
{
	struct home *d = s->data;

	if (ui_list_move(k, &d->cur, d->nfu, ui_lines() - 8))
		return SK_DONE;
	switch (k) {
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (d->nfu)
			person_open(d->fu[d->cur].person);
		break;
	case KF(KEY_F(3)):
	case '1':
	case '/':
		people_open();
		break;
	case KF(KEY_F(4)):
	case '2':
		records_open(table_find("application"), NULL, NULL);
		break;
	case KF(KEY_F(5)):
	case '3':
		records_open(table_find("facility"), NULL, NULL);
		break;
	case KF(KEY_F(6)):
	case '4':
		records_open(table_find("activity"), NULL, NULL);
		break;
	case KF(KEY_F(7)):
	case '5':
		records_open(table_find("referral"), NULL, NULL);
		break;
	case KF(KEY_F(8)):
	case '6':
		sync_open();
		break;
	case KF(KEY_F(9)):
	case '7':
		if (ui_allow(AUTH_MANAGE_USERS))
			users_open();
		break;
	case 'p':
	case 'P':
		users_change_own_pin();
		break;
	case '8':
	case 'r':
	case 'R':
		report_open();
		break;
	case KEY_ESC:
	case KF(KEY_F(10)):
		if (ui_confirm(_("Quit the program?")))
			ui.quit = 1;
		break;
	default:
		return SK_UNHANDLED;
	}
	return SK_DONE;
}

static void home_resume(struct screen *s)
{
	home_load(s->data);
}

static void home_close(struct screen *s)
{
	struct home *d = s->data;

	home_free_fu(d);
	strbuf_release(&d->summary);
	free(d);
}

static const struct screen_ops home_ops = {
	.name = "home", .title = N_("Home"), .keys = home_keys,
	.draw = home_draw, .key = home_key, .resume = home_resume, .close = home_close,
};

void home_open(void)
{
	struct home *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	strbuf_init(&d->summary, 0);
	home_load(d);
	screen_push(&home_ops, d);
}
