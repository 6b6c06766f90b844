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
	{ "p", N_("Change PIN"), N_("Change your own PIN (the current one first)."), AUTH_READ, KH_ANY },
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
		strbuf_addf(&when, -f->days == 1 ? _("%ld day overdue") : _("%ld days overdue"), -f->days);
	else if (f->days == 0)
		strbuf_addstr(&when, _("due today"));
	else
		strbuf_addf(&when, f->days == 1 ? _("due in %ld day") : _("due in %ld days"), f->days);
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

/* A line of the summary's category counts ("  22     留守儿童"): the
 * count and where the label starts; 0 for any other line. */
static int category_line(const char *line, long *count, const char **label)
{
	char *end;

	if (line[0] != ' ' || line[1] != ' ' || line[2] < '0' || line[2] > '9')
		return 0;
	*count = strtol(line + 2, &end, 10);
	if (*end != ' ')
		return 0;	/* a date, of the summary's own follow-up list */
	while (*end == ' ')
		end++;
	*label = end;
	return *end != '\0';
}

#define SUMMARY_ROWS 64

/* Lay the categories out side by side into out[], three spaces apart,
 * as many to a line as fit cols; returns the rows added. */
static size_t flush_cells(struct strbuf *cells, size_t ncell, int cols,
			  struct strbuf *out, size_t nout)
{
	size_t c, added = 0;
	int x = 0;

	for (c = 0; c < ncell; c++) {
		int w = (int)text_width(cells[c].buf);

		if (nout + added < SUMMARY_ROWS && (!added || x + 3 + w > cols - 4)) {
			strbuf_init(&out[nout + added++], 0);
			strbuf_addstr(&out[nout + added - 1], "  ");
			x = 0;
		} else if (nout + added >= SUMMARY_ROWS && x + 3 + w > cols - 4) {
			break;
		} else {
			strbuf_addstr(&out[nout + added - 1], "   ");
			x += 3;
		}
		strbuf_addstr(&out[nout + added - 1], cells[c].buf);
		x += w;
	}
	for (c = 0; c < ncell; c++)
		strbuf_release(&cells[c]);
	return added;
}

/* The summary from line y up to line limit: the category counts side by
 * side, as many to a line as fit ("留守儿童 22"); the summary's own short
 * follow-up list (indented dates) left out, as the list below has them.
 * When the lines do not all fit, the last says how many are left. Returns
 * the line after. */
static int draw_summary(const char *text, int y, int limit, int cols)
{
	struct strbuf cells[SUMMARY_ROWS], rows[SUMMARY_ROWS];
	char *copy = strdup(text ? text : ""), *save = NULL, *line;
	size_t ncell = 0, nrow = 0, i, fit;

	if (!copy)
		return y;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long count;
		const char *label;

		if (category_line(line, &count, &label)) {
			if (ncell < SUMMARY_ROWS) {
				strbuf_init(&cells[ncell], 0);
				strbuf_addf(&cells[ncell], "%s %ld", label, count);
				ncell++;
			}
			continue;
		}
		if (line[0] == ' ' && line[1] == ' ' && line[2] >= '0' && line[2] <= '9')
			continue;
		if (ncell) {
			nrow += flush_cells(cells, ncell, cols, rows, nrow);
			ncell = 0;
		}
		if (nrow < SUMMARY_ROWS) {
			strbuf_init(&rows[nrow], 0);
			strbuf_addstr(&rows[nrow++], line);
		}
	}
	if (ncell)
		nrow += flush_cells(cells, ncell, cols, rows, nrow);
	fit = limit > y ? (size_t)(limit - y) : 0;
	if (nrow > fit && fit > 0)
		fit--;	/* the last line says what is left */
	for (i = 0; i < nrow; i++) {
		if (i < fit)
			ui_put(y++, 1, rows[i].buf, cols - 2, i == 0 ? UA_HEADER : UA_NORMAL);
		strbuf_release(&rows[i]);
	}
	if (nrow > fit)
		ui_putf(y++, 1, cols - 2, UA_DIM,
			_("... %zu more lines of the summary: make the window taller, or see the reports (R)."),
			nrow - fit);
	free(copy);
	return y;
}

static void home_draw(struct screen *s)
{
	struct home *d = s->data;
	int y = 1, rows, cols = ui_cols();

	/* Nobody has a PIN: anyone at this PC acts as the admin. */
	if (!ui.auth_on)
		ui_put(y++, 1, _("Warning: no PIN is set, so anyone at this PC works as the admin. Set PINs on the Users screen (F9)."),
		       cols - 2, UA_ERROR);
	else
		ui_putf(y++, 1, cols - 2, UA_DIM, _("Signed in: %s (%s)"), ui.user_name,
			choice_label(choices_role, auth_role_code(ui.role)));
	y = draw_summary(d->summary.buf, y, ui_lines() / 2 + 2, cols);
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
