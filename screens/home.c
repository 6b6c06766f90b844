/* home.c - the station at a glance: the summary numbers, the follow-ups
 * due and overdue (nearest first) and the way to every other screen. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/county_screens.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/query.h"
#include "guanqing/screen.h"
#include "guanqing/summary.h"
#include "guanqing/text.h"

struct home {
	struct strbuf summary;
	struct list_view fu;	/* the follow-ups; row ids are the persons */
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
	{ "o", N_("Sign out"), N_("Sign out, so that someone else can sign in on this PC."), AUTH_READ, KH_ANY },
	{ "r", NULL, N_("The reports, such as the follow-ups due by grid (also key 8)."), AUTH_READ, KH_ANY },
	{ "Enter", NULL, N_("Open the person of the chosen follow-up."), AUTH_READ, KH_ANY },
	{ "F10", N_("Quit"), N_("Leave the program."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static int home_add(void *arg, const struct query_followup *f)
{
	struct home *d = arg;
	struct strbuf when = STRBUF_INIT;
	const char *cells[4];

	if (f->days < 0)
		strbuf_addf(&when, "%s (%+ld)", _("overdue"), f->days);
	else if (f->days == 0)
		strbuf_addstr(&when, _("due today"));
	else
		strbuf_addf(&when, "%s (%+ld)", _("due"), f->days);
	cells[0] = f->due;
	cells[1] = f->name;
	cells[2] = when.buf;
	cells[3] = ui_form_title(f->form_id);
	list_add_row(&d->fu, f->person_id, cells);
	strbuf_release(&when);
	return 0;
}

static void home_load(struct home *d)
{
	char today[16];

	strbuf_reset(&d->summary);
	summary_write(ui.db, &d->summary);
	list_clear(&d->fu);
	clock_today(today, sizeof(today));
	/* The follow-ups of the next 30 days: the "followups" report's. */
	query_followups(ui.db, today, 30, 500, home_add, d, NULL);
}

static void home_draw(struct screen *s)
{
	struct home *d = s->data;
	const char *p = d->summary.buf;
	int y = 1, rows, cols = ui_cols();

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
	rows = ui_lines() - 2 - y;
	if (d->fu.rows == 0) {
		ui_put(y, 3, _("No follow-up is due."), cols - 4, UA_DIM);
		return;
	}
	list_draw(&d->fu, y, 2, rows, cols - 3);
}

/* The keys both Homes have (the station's and the county's): users,
 * one's own PIN, sign out, reports, quit. 1 when k was one of them. */
int home_shared_key(int k)
{
	switch (k) {
	case KF(KEY_F(9)):
	case '7':
		if (ui_allow(AUTH_MANAGE_USERS))
			users_open();
		break;
	case 'p':
	case 'P':
		users_change_own_pin();
		break;
	case 'o':
	case 'O':
		signin_sign_out();
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
		return 0;
	}
	return 1;
}

static int home_key(struct screen *s, int k)
{
	struct home *d = s->data;

	if (list_key(&d->fu, k))
		return SK_DONE;
	switch (k) {
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (list_current(&d->fu))
			person_open(list_current(&d->fu));
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
	default:
		return home_shared_key(k) ? SK_DONE : SK_UNHANDLED;
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

	list_release(&d->fu);
	strbuf_release(&d->summary);
	free(d);
}

static const struct screen_ops home_ops = {
	.name = "home", .title = N_("Home"), .keys = home_keys,
	.draw = home_draw, .key = home_key, .resume = home_resume, .close = home_close,
};

void home_open(void)
{
	struct home *d;

	/* The county office has a Home of its own. */
	if (ui.db->role == DB_ROLE_COUNTY) {
		county_home_open();
		return;
	}
	d = calloc(1, sizeof(*d));

	if (!d)
		return;
	strbuf_init(&d->summary, 0);
	list_init(&d->fu);
	list_add_col(&d->fu, _("Follow-up due"), 10, 0);
	list_add_col(&d->fu, _("Name"), ui.ascii ? 18 : 12, 0);
	list_add_col(&d->fu, _("When"), 14, 0);
	list_add_col(&d->fu, _("Form"), 16, 0);
	home_load(d);
	screen_push(&home_ops, d);
}
