/* signin.c - who works here: choose the user, type the PIN.
 *
 * Only the users who may sign in at this kind of place are listed (grid
 * workers and station admins at a station, county staff and admins at
 * the county: auth_find_user's rule). With PINs (auth_required) the PIN
 * is checked by auth_sign_in, whose refusal is shown until the PIN is
 * right or the user goes back. A database where nobody has a PIN yet goes
 * on without one, as the place's admin, and Home warns about it. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/i18n.h"
#include "guanqing/screen.h"

struct signin {
	char (*id)[40];
	char **name;
	char **label;
	size_t n;
	int cur;
};

static const struct key_help signin_keys[] = {
	{ "Enter", N_("Sign in"), N_("Sign in as the chosen user (the PIN is asked for)."), AUTH_READ, KH_ANY },
	{ "Up/Down", NULL, N_("Choose a user."), AUTH_READ, KH_ANY },
	{ "F10", N_("Quit"), N_("Leave the program."), AUTH_READ, KH_ANY },
	{ NULL, NULL, NULL, 0, 0 }
};

static void signin_draw(struct screen *s)
{
	struct signin *d = s->data;
	size_t i;

	ui_put(2, 2, _("Who is working? Choose your name and press Enter."), ui_cols() - 4, UA_HEADER);
	for (i = 0; i < d->n && (int)i + 4 < ui_lines() - 2; i++)
		ui_put(4 + (int)i, 4, d->label[i], ui_cols() - 8, (int)i == d->cur ? UA_SELECT : UA_NORMAL);
}

/* Ask for the PIN of the chosen user until it is right or Esc; 1 when
 * signed in. Each refusal (wrong PIN and the tries left, wait, locked) is
 * shown in the box. */
static int signin_pin(struct signin *d)
{
	char msg[GQ_ERR_MSG_MAX] = "", prompt[256], pin[AUTH_PIN_MAX + 2];
	struct strbuf name = STRBUF_INIT;
	int ok = 0;

	ui_text(&name, d->name[d->cur]);
	snprintf(prompt, sizeof(prompt), _("PIN of %s:"), name.buf);
	strbuf_release(&name);
	while (!ok && ui_ask_pin(_("Sign in"), prompt, msg, pin, sizeof(pin))) {
		struct gq_err e;
		enum auth_role role;

		gq_err_clear(&e);
		if (auth_sign_in(ui.db, d->id[d->cur], pin, &role, &e) == GQ_OK) {
			ui.role = role;
			ok = 1;
		} else {
			snprintf(msg, sizeof(msg), "%s", e.msg);
			ui_msg(1, "%s", e.msg);
		}
		memset(pin, 0, sizeof(pin));
	}
	return ok;
}

static int signin_key(struct screen *s, int k)
{
	struct signin *d = s->data;

	if (k == KF(KEY_UP) && d->cur > 0)
		d->cur--;
	else if (k == KF(KEY_DOWN) && (size_t)d->cur + 1 < d->n)
		d->cur++;
	else if (IS_ENTER(k) && d->n) {
		if (ui.auth_on && !signin_pin(d))
			return SK_DONE;
		snprintf(ui.db->user_id, sizeof(ui.db->user_id), "%s", d->id[d->cur]);
		snprintf(ui.user_name, sizeof(ui.user_name), "%s", d->name[d->cur]);
		ui.status[0] = '\0';
		screen_pop();
		home_open();
	} else if (k == KEY_ESC || k == KF(KEY_F(10))) {
		ui.quit = 1;
	} else
		return SK_UNHANDLED;
	return SK_DONE;
}

static void signin_close(struct screen *s)
{
	struct signin *d = s->data;
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->label[i]);
		free(d->name[i]);
	}
	free(d->label);
	free(d->name);
	free(d->id);
	free(d);
}

static const struct screen_ops signin_ops = {
	.name = "signin", .title = N_("Sign in"), .keys = signin_keys,
	.draw = signin_draw, .key = signin_key, .close = signin_close,
};

struct signin_fill {
	struct signin *d;
	size_t alloc;
};

static int signin_add(void *arg, const struct auth_user *u)
{
	struct signin_fill *f = arg;
	struct signin *d = f->d;
	struct strbuf sb = STRBUF_INIT;

	if (d->n == f->alloc) {
		void *a, *b, *c;

		f->alloc = f->alloc ? f->alloc * 2 : 8;
		a = realloc(d->id, f->alloc * sizeof(*d->id));
		if (a)
			d->id = a;
		b = realloc(d->label, f->alloc * sizeof(*d->label));
		if (b)
			d->label = b;
		c = realloc(d->name, f->alloc * sizeof(*d->name));
		if (c)
			d->name = c;
		if (!a || !b || !c)
			return 1;
	}
	snprintf(d->id[d->n], sizeof(d->id[d->n]), "%s", u->id);
	strbuf_addf(&sb, "%s  (%s)", u->name, choice_label(choices_role, u->role));
	d->name[d->n] = strdup(u->name);
	d->label[d->n++] = strbuf_detach(&sb, NULL);
	return 0;
}

void signin_open(void)
{
	struct signin *d = calloc(1, sizeof(*d));
	struct signin_fill f = { d, 0 };

	/* Who may sign in at this kind of place. */
	if (d)
		auth_users_each(ui.db, 1, signin_add, &f, NULL);
	if (!d || d->n == 0) {
		if (d) {
			free(d->id);
			free(d->label);
			free(d->name);
			free(d);
		}
		/* Users with PINs but none who may sign in here: no way in. */
		if (ui.auth_on) {
			ui.quit = 1;
			return;
		}
		home_open();
		return;
	}
	screen_push(&signin_ops, d);
}

void signin_sign_out(void)
{
	while (ui.top)
		screen_pop();
	people_forget();
	ui.db->user_id[0] = '\0';
	ui.user_name[0] = '\0';
	if (ui.auth_on) {
		ui.role = AUTH_NONE;
		auth_act_as(ui.db, AUTH_NONE);
	}
	signin_open();
	ui_msg(0, "%s", _("Signed out. Whoever works next chooses their name."));
}
