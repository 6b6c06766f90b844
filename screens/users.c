/* users.c - the users of this place for its admin (AUTH_MANAGE_USERS):
 * their role, whether they have a PIN and whether they are locked; add a
 * user with the generic record form, set or reset a PIN (typed twice),
 * unlock. Also the change of one's own PIN, open to every user. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/list.h"
#include "guanqing/screen.h"
#include "guanqing/text.h"

struct urow {
	char id[40];
	char *name;
	char *role, *pin, *state;	/* the list's cells */
};

struct users {
	struct urow *u;
	size_t n;
	struct list_view list;	/* draws u[] through users_row() */
};

static const struct key_help users_keys[] = {
	{ "F3", N_("Add"), N_("Add a user (then set their PIN with F5)."), AUTH_MANAGE_USERS, KH_ANY },
	{ "Enter", N_("Edit"), N_("Edit the chosen user: name, role, phone, active."), AUTH_MANAGE_USERS, KH_ANY },
	{ "F5", N_("Set PIN"), N_("Set or reset the chosen user's PIN (typed twice)."), AUTH_MANAGE_USERS, KH_ANY },
	{ "F6", N_("Unlock"), N_("Unlock the chosen user after wrong PINs."), AUTH_MANAGE_USERS, KH_ANY },
	{ "Up/Down", NULL, N_("Choose a user."), AUTH_READ, KH_ANY },
	{ "F10", N_("Back"), N_("Back to Home."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void users_free(struct users *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->u[i].name);
		free(d->u[i].role);
		free(d->u[i].pin);
		free(d->u[i].state);
	}
	free(d->u);
	d->u = NULL;
	d->n = 0;
}

struct users_fill {
	struct users *d;
	size_t alloc;
	int64_t now;
};

static int users_add(void *arg, const struct auth_user *u)
{
	struct users_fill *f = arg;
	struct users *d = f->d;
	struct strbuf sb = STRBUF_INIT;
	struct urow *r;

	if (d->n == f->alloc) {
		void *p = realloc(d->u, (f->alloc ? f->alloc * 2 : 16) * sizeof(*d->u));

		if (!p)
			return 1;
		d->u = p;
		f->alloc = f->alloc ? f->alloc * 2 : 16;
	}
	r = &d->u[d->n];
	snprintf(r->id, sizeof(r->id), "%s", u->id);
	r->name = strdup(u->name);
	r->role = strdup(choice_label(choices_role, u->role));
	r->pin = strdup(u->has_pin ? _("PIN set") : _("no PIN"));
	if (!u->active) {
		strbuf_addstr(&sb, _("disabled"));
	} else if (u->locked_until_ms > f->now) {
		char until[32];

		clock_local(u->locked_until_ms, until, sizeof(until));
		until[16] = '\0';
		strbuf_addf(&sb, _("locked until %s"), until);
	} else if (u->failures) {
		strbuf_addf(&sb, _("%d wrong PINs"), u->failures);
	} else {
		strbuf_addstr(&sb, _("enabled"));
	}
	r->state = strbuf_detach(&sb, NULL);
	d->n++;
	return 0;
}

static const char *users_row(void *arg, size_t n, const char **cells)
{
	struct users *d = arg;

	cells[0] = d->u[n].name;
	cells[1] = d->u[n].role;
	cells[2] = d->u[n].pin;
	cells[3] = d->u[n].state;
	return d->u[n].id;
}

static void users_load(struct users *d)
{
	struct users_fill f = { d, 0, clock_now_ms() };

	users_free(d);
	auth_users_each(ui.db, 0, users_add, &f, NULL);
	list_set_source(&d->list, users_row, d, d->n);
}

static void users_draw(struct screen *s)
{
	struct users *d = s->data;
	int cols = ui_cols();

	ui_putf(1, 1, cols - 2, UA_HEADER, _("Users (%zu)"), d->n);
	list_draw(&d->list, 3, 1, ui_lines() - 5, cols - 2);
}

/* Ask for a new PIN twice (each checked by auth_pin_acceptable) and set
 * it for user_id. Returns 1 when set. */
static int new_pin(const char *user_id, const char *name)
{
	char pin[AUTH_PIN_MAX + 2], again[AUTH_PIN_MAX + 2], prompt[256], msg[GQ_ERR_MSG_MAX] = "";
	struct strbuf nm = STRBUF_INIT;
	int done = 0;

	ui_text(&nm, name);
	for (;;) {
		struct gq_err e;

		gq_err_clear(&e);
		snprintf(prompt, sizeof(prompt), _("New PIN for %s:"), nm.buf);
		if (!ui_ask_pin(_("Set the PIN"), prompt, msg, pin, sizeof(pin)))
			break;
		if (auth_pin_acceptable(pin, &e) != GQ_OK) {
			snprintf(msg, sizeof(msg), "%s", e.msg);
			memset(pin, 0, sizeof(pin));
			continue;
		}
		if (!ui_ask_pin(_("Set the PIN"), _("The same PIN again:"), NULL, again, sizeof(again))) {
			memset(pin, 0, sizeof(pin));
			break;
		}
		if (strcmp(pin, again)) {
			snprintf(msg, sizeof(msg), "%s", _("The two PINs differ; type them again."));
		} else if (auth_set_pin(ui.db, user_id, pin, &e) != GQ_OK) {
			snprintf(msg, sizeof(msg), "%s", e.msg);
		} else {
			ui_msg(0, _("The PIN of %s is set."), name);
			done = 1;
		}
		memset(pin, 0, sizeof(pin));
		memset(again, 0, sizeof(again));
		if (done)
			break;
	}
	strbuf_release(&nm);
	return done;
}

static int users_key(struct screen *s, int k)
{
	struct users *d = s->data;
	struct gq_err e;

	gq_err_clear(&e);
	if (list_key(&d->list, k))
		return SK_DONE;
	switch (k) {
	case KF(KEY_F(3)):
	case KF(KEY_IC):
		if (ui_allow(AUTH_MANAGE_USERS))
			recform_open(table_find("users"), NULL, NULL, NULL);
		break;
	case '\r':
	case '\n':
	case KF(KEY_ENTER):
		if (d->n && ui_allow(AUTH_MANAGE_USERS))
			recform_open(table_find("users"), d->u[d->list.cur].id, NULL, NULL);
		break;
	case KF(KEY_F(5)):
		if (d->n && ui_allow(AUTH_MANAGE_USERS) && new_pin(d->u[d->list.cur].id, d->u[d->list.cur].name)) {
			/* The first PIN turns sign-in on for the next start. */
			users_load(d);
		}
		break;
	case KF(KEY_F(6)):
		if (!d->n || !ui_allow(AUTH_MANAGE_USERS))
			break;
		if (auth_unlock(ui.db, d->u[d->list.cur].id, &e) != GQ_OK)
			ui_msg(1, "%s", e.msg);
		else
			ui_msg(0, _("%s is unlocked."), d->u[d->list.cur].name);
		users_load(d);
		break;
	default:
		return SK_UNHANDLED;
	}
	return SK_DONE;
}

static void users_resume(struct screen *s)
{
	users_load(s->data);
}

static void users_close(struct screen *s)
{
	struct users *d = s->data;

	users_free(d);
	list_release(&d->list);
	free(d);
}

static const struct screen_ops users_ops = {
	.name = "users", .title = N_("Users"), .keys = users_keys,
	.draw = users_draw, .key = users_key, .resume = users_resume, .close = users_close,
};

void users_open(void)
{
	struct users *d;

	if (!ui_allow(AUTH_MANAGE_USERS))
		return;
	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	list_init(&d->list);
	list_add_col(&d->list, _("Name"), ui.ascii ? 20 : 14, 0);
	list_add_col(&d->list, _("Role"), 16, 0);
	list_add_col(&d->list, _("PIN"), 10, 0);
	list_add_col(&d->list, _("State"), 10, 0);
	users_load(d);
	screen_push(&users_ops, d);
}

void users_change_own_pin(void)
{
	char cur[AUTH_PIN_MAX + 2], msg[GQ_ERR_MSG_MAX] = "";
	int ok = 0;

	if (!ui.auth_on || !ui.db->user_id[0]) {
		ui_msg(1, "%s", _("Nobody has a PIN yet: the admin sets PINs on the Users screen."));
		return;
	}
	while (!ok && ui_ask_pin(_("Change your PIN"), _("Your current PIN:"), msg, cur, sizeof(cur))) {
		struct gq_err e;
		enum auth_role role;

		gq_err_clear(&e);
		/* The same check as signing in: wrong tries count. */
		if (auth_sign_in(ui.db, ui.db->user_id, cur, &role, &e) == GQ_OK)
			ok = 1;
		else
			snprintf(msg, sizeof(msg), "%s", e.msg);
		memset(cur, 0, sizeof(cur));
	}
	if (ok)
		new_pin(ui.db->user_id, ui.user_name);
}
