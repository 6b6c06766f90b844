/* cli_records.c - the record commands: NOUN add|list|show|edit|delete|
 * fields for every kind of record of tables.h, the verbs some kinds add
 * (person search and move, user pin and unlock, application decide), and
 * history. What each verb needs the signed-in user to be allowed is in
 * the verb table below; cli_main opens the database for it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guanqing/auth.h"
#include "guanqing/cli_export.h"
#include "guanqing/cli_out.h"
#include "guanqing/cli_records.h"
#include "guanqing/cli_util.h"
#include "guanqing/db.h"
#include "guanqing/division.h"
#include "guanqing/field.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/history.h"
#include "guanqing/hlc.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/move.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/text.h"
#include "guanqing/uid.h"

/* Collect --FIELD VALUE and --set FIELD=VALUE into vals; skip the names in
 * skip. Returns the count or -1 (usage error printed). */
static int collect_values(const struct table_def *t, const struct opts *o,
			  const char *const *skip, struct rec_value *vals)
{
	int i, j, n = 0;

	for (i = 0; i < o->n; i++) {
		const char *name = o->name[i], *value = o->value[i];
		int skipped = !strcmp(name, "help");

		for (j = 0; !skipped && skip && skip[j]; j++)
			skipped = !strcmp(name, skip[j]);
		if (skipped)
			continue;
		if (!strcmp(name, "set")) {
			const char *eq = strchr(value, '=');
			static char names[CLI_MAX_OPTS][64];

			if (!eq || eq == value || eq - value >= 64) {
				cli_usage(_("--set needs FIELD=VALUE, not \"%s\"."), value);
				return -1;
			}
			memcpy(names[n], value, (size_t)(eq - value));
			names[n][eq - value] = '\0';
			vals[n].field = names[n];
			vals[n++].text = eq + 1;
			continue;
		}
		if (!table_field(t, name)) {
			cli_usage(_("unknown option --%s (see \"guanqing NOUN fields\")."), name);
			return -1;
		}
		vals[n].field = name;
		vals[n++].text = value;
	}
	return n;
}

static int cmd_fields(const struct table_def *t)
{
	size_t i;

	for (i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];

		if (f->flags & F_SYSTEM)
			continue;
		printf("--%-18s %s%s", f->opt, _(f->label),
		       (f->flags & F_REQUIRED) ? _(" (required)") : "");
		if (f->flags & F_COUNTY)
			printf("%s", _(" (county only)"));
		if (f->type == FT_ENUM) {
			const struct choice *c;

			printf(":");
			for (c = f->choices; c->code; c++)
				printf(" %s", c->code);
		}
		putchar('\n');
	}
	return 0;
}

static enum gq_status add_categories(struct gq_db *db, const char *person,
				     const struct opts *o, struct gq_err *err)
{
	const struct table_def *ct = table_find("person_category");
	enum gq_status rc = GQ_OK;
	int i;

	for (i = 0; rc == GQ_OK && i < o->n; i++) {
		struct rec_value v[2] = { { "person_id", person }, { "category", o->value[i] } };
		char id[UID_LEN + 1];

		if (strcmp(o->name[i], "category"))
			continue;
		rc = record_create(db, ct, v, 2, NULL, id, err);
	}
	return rc;
}

/* visit add: the form's answers come as --set FIELD=VALUE. */
static int cmd_visit_add(struct gq_db *db, const struct opts *o)
{
	static const char *const known[] = { "person", "form", "date", "visitor", "followup",
		"notes", "set", "village", NULL };
	const struct table_def *t = table_find("visit");
	struct form *f = NULL;
	struct form_answers a;
	struct strbuf json = STRBUF_INIT;
	struct rec_value vals[8];
	char id[UID_LEN + 1];
	struct gq_err e;
	int i, n = 0, status;

	gq_err_clear(&e);
	if (!cli_opt_only(o, known))
		return 2;
	if (!cli_opt(o, "person") || !cli_opt(o, "form")) {
		cli_usage("%s", _("visit add needs --person ID and --form FORM."));
		return 2;
	}
	if (!formdb_new_visit_ok(cli_opt(o, "form"))) {
		gq_err_set(&e, GQ_EINVAL, "%s",
			   _("A death is not recorded as a visit: use the death report, \"guanqing death add --person ID --date D\" (F9 on the person's card)."));
		return cli_fail(&e);
	}
	if (formdb_find(db, cli_opt(o, "form"), &f, &e) != GQ_OK)
		return cli_fail(&e);
	form_answers_init(&a);
	for (i = 0; i < o->n; i++) {
		const char *eq;
		char name[128];

		if (strcmp(o->name[i], "set"))
			continue;
		eq = strchr(o->value[i], '=');
		if (!eq || eq == o->value[i] || (size_t)(eq - o->value[i]) >= sizeof(name)) {
			cli_usage(_("--set needs FIELD=VALUE, not \"%s\"."), o->value[i]);
			form_free(&f);
			form_answers_release(&a);
			return 2;
		}
		memcpy(name, o->value[i], (size_t)(eq - o->value[i]));
		name[eq - o->value[i]] = '\0';
		form_answers_set(&a, name, eq + 1);
	}
	form_answers_normalize(f, &a);
	/* Unknown answers are reported by the check inside the save. */
	form_answers_to_json(NULL, &a, &json);
	vals[n].field = "person_id"; vals[n++].text = cli_opt(o, "person");
	vals[n].field = "form_id"; vals[n++].text = form_id(f);
	vals[n].field = "answers"; vals[n++].text = json.buf;
	if (cli_opt(o, "date")) { vals[n].field = "visit_date"; vals[n++].text = cli_opt(o, "date"); }
	if (cli_opt(o, "visitor")) { vals[n].field = "visitor_id"; vals[n++].text = cli_opt(o, "visitor"); }
	if (cli_opt(o, "followup")) { vals[n].field = "followup_due"; vals[n++].text = cli_opt(o, "followup"); }
	if (cli_opt(o, "notes")) { vals[n].field = "notes"; vals[n++].text = cli_opt(o, "notes"); }
	if (record_create(db, t, vals, (size_t)n, NULL, id, &e) == GQ_OK) {
		puts(id);
		status = 0;
	} else {
		status = cli_fail(&e);
	}
	strbuf_release(&json);
	form_answers_release(&a);
	form_free(&f);
	return status;
}

/* NOUN add; a person's --category options are their categories, saved
 * with them in one transaction. */
static int add_record(struct gq_db *db, const struct table_def *t, const struct opts *o,
		      int is_person)
{
	static const char *const skip_person[] = { "category", "village", NULL };
	static const char *const skip_other[] = { "village", NULL };
	struct rec_value vals[CLI_MAX_OPTS];
	char id[UID_LEN + 1];
	struct gq_err e;
	int n;
	enum gq_status rc;

	gq_err_clear(&e);
	n = collect_values(t, o, is_person ? skip_person : skip_other, vals);
	if (n < 0)
		return 2;
	/* A person and their categories are one transaction. */
	rc = db_begin(db, &e);
	if (rc == GQ_OK)
		rc = record_create(db, t, vals, (size_t)n, cli_opt(o, "village"), id, &e);
	if (rc == GQ_OK && is_person)
		rc = add_categories(db, id, o, &e);
	if (rc == GQ_OK)
		rc = db_commit(db, &e);
	else
		db_rollback(db);
	if (rc != GQ_OK)
		return cli_fail(&e);
	puts(id);
	return 0;
}

static int cmd_edit(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	struct rec_value vals[CLI_MAX_OPTS];
	struct gq_err e;
	int n;

	gq_err_clear(&e);
	if (o->npos != 1) {
		cli_usage("%s", _("edit needs one record id."));
		return 2;
	}
	n = collect_values(t, o, NULL, vals);
	if (n < 0)
		return 2;
	if (n == 0) {
		cli_usage("%s", _("edit needs at least one --set FIELD=VALUE."));
		return 2;
	}
	if (record_update(db, t, o->pos[0], vals, (size_t)n, &e) != GQ_OK)
		return cli_fail(&e);
	return 0;
}

static int cmd_delete(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	struct gq_err e;

	gq_err_clear(&e);
	if (o->npos != 1) {
		cli_usage("%s", _("delete needs one record id."));
		return 2;
	}
	if (record_delete(db, t, o->pos[0], &e) != GQ_OK)
		return cli_fail(&e);
	return 0;
}

/* List the live rows of t, with optional filters. */
/* The columns of a list and where its rows go. */
struct list_out {
	struct gq_db *db;
	const struct field_def *cols[24];
	int ncols;
	enum fmt f;
	struct table_out out;
	struct strbuf disp;
	struct list_export *x;	/* CSV and xlsx (cli_export.h) */
};

static int list_row(void *arg, const struct record *r)
{
	struct list_out *l = arg;
	char *cells[24];
	int i;

	if (l->x)
		return list_export_row(l->x, r);
	cells[0] = strdup(r->id);
	for (i = 0; i < l->ncols; i++) {
		const char *v = record_get(r, l->cols[i]->name);

		if (l->f == FMT_TABLE && v && l->cols[i]->type == FT_IDNUM) {
			/* Lists show ID numbers masked; the card shows them whole. */
			char masked[32];

			auth_mask_id(v, masked, sizeof(masked));
			cells[i + 1] = strdup(masked);
		} else if (l->f == FMT_TABLE) {
			strbuf_reset(&l->disp);
			field_display(l->db, l->cols[i], v, &l->disp);
			cells[i + 1] = v ? strdup(l->disp.buf) : NULL;
		} else {
			cells[i + 1] = v ? strdup(v) : NULL;
		}
	}
	if (l->f == FMT_TABLE && cells[0])
		cells[0][8] = '\0';	/* a prefix is enough to type back */
	tout_add_row(&l->out, cells);
	for (i = 0; i <= l->ncols; i++)
		free(cells[i]);
	return 0;
}

/* The rows of t (about where_person, matching search, when given) in the
 * format of --format. With a title, nothing is printed when there are no
 * rows, else the title first. */
static int list_rows(struct gq_db *db, const struct table_def *t, const struct opts *o,
		     const char *where_person, const char *search, const char *title)
{
	struct query_filter flt;
	struct list_out l;
	char list[256], *save = NULL, *tok;
	size_t total = 0;
	struct gq_err e;
	enum gq_status rc;

	memset(&l, 0, sizeof(l));
	if (cli_parse_format(o, &l.f))
		return 2;
	l.db = db;
	strbuf_init(&l.disp, 0);
	snprintf(list, sizeof(list), "%s", t->list_fields);
	l.out.head[l.out.ncols++] = "id";
	for (tok = strtok_r(list, ",", &save); tok && l.ncols < 23; tok = strtok_r(NULL, ",", &save)) {
		l.cols[l.ncols] = table_field(t, tok);
		l.out.head[l.out.ncols++] = l.f == FMT_TABLE ? _(l.cols[l.ncols]->label) : l.cols[l.ncols]->name;
		l.ncols++;
	}
	if (list_export_begin(db, t, o, l.f, &l.out, l.cols, l.ncols, &l.x))
		return 1;
	memset(&flt, 0, sizeof(flt));
	if (where_person) {
		flt.field = "person_id";
		flt.value = where_person;
	}
	flt.deleted = cli_opt(o, "all") != NULL;
	/* Only "person list" takes these (cmd_list checks). */
	flt.category = cli_opt(o, "category");
	flt.status = cli_opt(o, "status");
	flt.grid = cli_opt(o, "grid");
	flt.search = search;
	if (search) {
		/* A search lists the first rows (a county has thousands of
		 * 王) and says how many more match. */
		const char *lim = cli_opt(o, "limit");
		char *end = NULL;
		long v = lim ? strtol(lim, &end, 10) : (long)QUERY_SEARCH_ROWS;

		if (lim && (!*lim || *end || v < 0)) {
			list_export_end(l.x);
			tout_release(&l.out);
			strbuf_release(&l.disp);
			return cli_usage(_("--limit must be a number of rows (0 for every match), not \"%s\"."), lim);
		}
		flt.limit = (size_t)v;
		flt.total = &total;
	}
	gq_err_clear(&e);
	rc = query_rows(db, t, &flt, list_row, &l, &e);
	strbuf_release(&l.disp);
	list_export_end(l.x);
	if (rc != GQ_OK) {
		tout_release(&l.out);
		return cli_fail(&e);
	}
	if (title && !l.out.rows)
		return 0;
	if (title) {
		printf("\n%s\n", title);
		fflush(stdout);
	}
	tout_print(&l.out, l.f);
	if (search && flt.limit && total > flt.limit) {
		fflush(stdout);
		fprintf(stderr, _("%zu more people match \"%s\": type more of the name, or --limit 0 to list every match.\n"),
			total - flt.limit, search);
	}
	return 0;
}

/* Send standard output to a new file of mode 0600 (residents' data) until
 * stdout_restore(). Returns the saved descriptor, or -1 (message printed). */
static int stdout_to_file(const char *path)
{
	int fd, saved;

	fflush(stdout);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, _("guanqing: cannot write %s: %s.\n"), path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) != 0) {
		fprintf(stderr, _("guanqing: cannot protect %s: %s.\n"), path, strerror(errno));
		close(fd);
		return -1;
	}
	saved = dup(STDOUT_FILENO);
	if (saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		fprintf(stderr, _("guanqing: cannot write %s: %s.\n"), path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return saved;
}

static int stdout_restore(int saved)
{
	int ok = fflush(stdout) == 0 && fsync(STDOUT_FILENO) == 0;

	dup2(saved, STDOUT_FILENO);
	close(saved);
	return ok ? 0 : -1;
}

static int list_body(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	char pid[UID_LEN + 1];
	struct gq_err e;

	if (cli_opt(o, "person")) {
		if (!table_field(t, "person_id")) {
			cli_usage("%s", _("--person applies to records about a person."));
			return 2;
		}
		if (record_resolve_id(db, table_find("person"), cli_opt(o, "person"), pid, &e) != GQ_OK)
			return cli_fail(&e);
		return list_rows(db, t, o, pid, NULL, NULL);
	}
	return list_rows(db, t, o, NULL, NULL, NULL);
}

/* A list of the person's records of one kind under a title, when any. */
static void show_related(struct gq_db *db, const char *noun, const char *person,
			 const char *title)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	list_rows(db, table_find(noun), &o, person, NULL, title);
}

struct answer_out {
	size_t width;
	int any;
};

static int print_answer(void *arg, const char *label, const char *answer)
{
	struct answer_out *a = arg;
	struct strbuf line = STRBUF_INIT;

	if (!a->any++)
		printf("\n%s\n", _("Answers:"));
	strbuf_addstr(&line, "  ");
	text_pad(&line, label, a->width, TEXT_ELLIPSIS_CUT);
	printf("%s  %s\n", line.buf, answer);
	strbuf_release(&line);
	return 0;
}

/* NOUN show ID: every field by its label; then what more prints. */
static int show_record(struct gq_db *db, const struct table_def *t, const struct opts *o,
		       void (*more)(struct gq_db *db, const struct record *r))
{
	struct record *r = NULL;
	struct strbuf line = STRBUF_INIT, disp = STRBUF_INIT;
	char id[UID_LEN + 1], vname[128];
	struct gq_err e;
	size_t i, w = 0;

	gq_err_clear(&e);
	if (o->npos != 1) {
		cli_usage("%s", _("show needs one record id."));
		return 2;
	}
	if (record_resolve_id(db, t, o->pos[0], id, &e) != GQ_OK ||
	    record_load(db, t, id, &r, &e) != GQ_OK)
		return cli_fail(&e);
	for (i = 0; i < t->nfields; i++)
		if (text_width(_(t->fields[i].label)) > w)
			w = text_width(_(t->fields[i].label));
	if (text_width(_("Village")) > w)
		w = text_width(_("Village"));
	text_pad(&line, "id", w, 0);
	printf("%s  %s\n", line.buf, r->id);
	strbuf_reset(&line);
	division_name(db, r->village, vname, sizeof(vname));
	text_pad(&line, _("Village"), w, 0);
	printf("%s  %s %s\n", line.buf, r->village, vname);
	for (i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];

		if (!r->values[i] || f->type == FT_JSON)
			continue;	/* a visit's answers are listed below */
		strbuf_reset(&line);
		text_pad(&line, _(f->label), w, 0);
		strbuf_reset(&disp);
		field_display(db, f, r->values[i], &disp);
		if (!strcmp(f->name, "form_id")) {
			struct form *fm = NULL;

			if (formdb_find(db, r->values[i], &fm, NULL) == GQ_OK && form_title(fm, i18n_english()))
				strbuf_addf(&disp, " (%s)", form_title(fm, i18n_english()));
			form_free(&fm);
		}
		if (f->type == FT_REF)
			strbuf_addf(&disp, " (%s)", r->values[i]);
		printf("%s  %s\n", line.buf, disp.buf);
	}
	if (r->deleted)
		printf("%s\n", _("(deleted)"));
	if (more)
		more(db, r);
	strbuf_release(&line);
	strbuf_release(&disp);
	record_free(&r);
	return 0;
}

/* A visit: every answered question, by its label, as on the form. */
static void show_visit_answers(struct gq_db *db, const struct record *r)
{
	struct answer_out a = { 36, 0 };
	struct gq_err e;

	gq_err_clear(&e);
	if (query_visit_answers(db, r, print_answer, &a, &e) != GQ_OK)
		fprintf(stderr, "guanqing: %s\n", e.msg);
}

/* A person: the records about them. */
static void show_person_records(struct gq_db *db, const struct record *r)
{
	show_related(db, "category", r->id, _("Categories:"));
	show_related(db, "guardian", r->id, _("Guardians and contacts:"));
	show_related(db, "visit", r->id, _("Visits (newest first):"));
	show_related(db, "application", r->id, _("Applications:"));
	show_related(db, "referral", r->id, _("Referrals:"));
	show_related(db, "death", r->id, _("Death report:"));
}

static int cmd_decide(struct gq_db *db, const struct opts *o)
{
	static const char *const known[] = { "status", "amount-granted", "amount", "reason", "date", NULL };
	struct rec_value v[4];
	struct gq_err e;
	int n = 0;

	gq_err_clear(&e);
	if (!cli_opt_only(o, known))
		return 2;
	if (o->npos != 1 || !cli_opt(o, "status")) {
		cli_usage("%s", _("application decide needs an id and --status approved|rejected|paid."));
		return 2;
	}
	if (db->role != DB_ROLE_COUNTY) {
		fprintf(stderr, "guanqing: %s\n", _("Applications are decided by the county, not at a station."));
		return 1;
	}
	v[n].field = "status"; v[n++].text = cli_opt(o, "status");
	if (cli_opt(o, "amount-granted") || cli_opt(o, "amount")) {
		v[n].field = "amount_granted";
		v[n++].text = cli_opt(o, "amount-granted") ? cli_opt(o, "amount-granted") : cli_opt(o, "amount");
	}
	if (cli_opt(o, "reason")) { v[n].field = "decision_reason"; v[n++].text = cli_opt(o, "reason"); }
	if (cli_opt(o, "date")) { v[n].field = "decision_date"; v[n++].text = cli_opt(o, "date"); }
	if (record_update(db, table_find("application"), o->pos[0], v, (size_t)n, &e) != GQ_OK)
		return cli_fail(&e);
	printf(_("Application %s is now %s; the station sees the decision after its next exchange.\n"),
	       o->pos[0], choice_label(choices_application_status, cli_opt(o, "status")));
	/* The case decided: applicant, village, the household's figures. */
	putchar('\n');
	return show_record(db, table_find("application"), o, NULL);
}

/* user pin NAME (set or change a PIN), user unlock NAME. */
static int cmd_user_secret(struct gq_db *db, const char *verb, const struct opts *o)
{
	char id[UID_LEN + 1], pin[AUTH_PIN_MAX + 2], again[AUTH_PIN_MAX + 2], prompt[160];
	struct gq_err e;
	enum auth_role role;
	int self;

	gq_err_clear(&e);
	if (auth_find_user(db, o->pos[0], id, &role, &e) != GQ_OK)
		return cli_fail(&e);
	self = db->user_id[0] && !strcmp(db->user_id, id);
	if (!strcmp(verb, "unlock")) {
		if (auth_unlock(db, id, &e) != GQ_OK)
			return cli_fail(&e);
		printf(_("User %s is unlocked.\n"), o->pos[0]);
		return 0;
	}
	if (!self && !auth_can(cli_role(), db->role, AUTH_MANAGE_USERS)) {
		auth_refuse(cli_role(), AUTH_MANAGE_USERS, &e);
		return cli_fail(&e);
	}
	snprintf(prompt, sizeof(prompt), _("New PIN for %s: "), o->pos[0]);
	if (cli_read_secret(prompt, cli_opt(o, "pin-file"), pin, sizeof(pin), &e) != GQ_OK)
		return cli_fail(&e);
	if (!cli_opt(o, "pin-file") && isatty(STDIN_FILENO)) {
		if (cli_read_secret(_("The same PIN again: "), NULL, again, sizeof(again), &e) != GQ_OK ||
		    strcmp(pin, again)) {
			keys_wipe(pin, sizeof(pin));
			keys_wipe(again, sizeof(again));
			fprintf(stderr, "guanqing: %s\n", _("The two PINs differ; nothing was changed."));
			return 1;
		}
		keys_wipe(again, sizeof(again));
	}
	if (auth_set_pin(db, id, pin, &e) != GQ_OK) {
		keys_wipe(pin, sizeof(pin));
		return cli_fail(&e);
	}
	keys_wipe(pin, sizeof(pin));
	printf(_("The PIN of %s is set.\n"), o->pos[0]);
	return 0;
}


/* ---- the verbs ---- */

static int cmd_add(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	return add_record(db, t, o, 0);
}

static int person_add(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	return add_record(db, t, o, 1);
}

static int visit_add(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	(void)t;
	return cmd_visit_add(db, o);
}

static int station_add(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	(void)db;
	(void)t;
	(void)o;
	return cli_usage("%s", _("stations are made with \"station init\"."));
}

static int list_with(struct gq_db *db, const struct table_def *t, const struct opts *o,
		     const char *const *known)
{
	const char *path = cli_opt(o, "out");
	int saved, status;

	if (!cli_opt_only(o, known))
		return 2;
	if (!path)
		return list_body(db, t, o);
	/* An export to a file says where it went. */
	saved = stdout_to_file(path);
	if (saved < 0)
		return 1;
	status = list_body(db, t, o);
	if (stdout_restore(saved) != 0) {
		fprintf(stderr, _("guanqing: writing %s failed.\n"), path);
		return 1;
	}
	if (status == 0)
		printf(_("Written to %s (mode 0600): it holds residents' personal data; keep it safe and delete it when done.\n"),
		       path);
	return status;
}

static int cmd_list(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	static const char *const known[] = { "format", "person", "all", "out", "codes", "mask-id", NULL };

	return list_with(db, t, o, known);
}

static int person_list(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	static const char *const known[] = { "format", "all", "category", "status", "grid",
		"out", "codes", "mask-id", NULL };

	return list_with(db, t, o, known);
}

static int person_search(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	return list_rows(db, t, o, NULL, o->pos[0], NULL);
}

static int person_move(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	struct gq_err e;
	int moved = 0;

	(void)t;
	if (!cli_opt(o, "village"))
		return cli_usage("%s", _("person move needs an ID and --village CODE."));
	gq_err_clear(&e);
	if (move_person(db, o->pos[0], cli_opt(o, "village"), &moved, &e) != GQ_OK)
		return cli_fail(&e);
	printf(_("Moved to village %s with %d records; its station gets the whole history with its next bundle.\n"),
	       cli_opt(o, "village"), moved);
	return 0;
}

static int cmd_show(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	return show_record(db, t, o, NULL);
}

static int person_show(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	return show_record(db, t, o, show_person_records);
}

static int visit_show(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	return show_record(db, t, o, show_visit_answers);
}

static int user_pin(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	(void)t;
	return cmd_user_secret(db, "pin", o);
}

static int user_unlock(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	(void)t;
	return cmd_user_secret(db, "unlock", o);
}

static int application_decide(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	(void)t;
	return cmd_decide(db, o);
}

/* The verbs, the first that fits a kind winning: a kind's own verbs come
 * before those of every kind. */
static const struct verb {
	const char *table;	/* the kind's SQL name; NULL: every kind */
	const char *name;
	int (*run)(struct gq_db *db, const struct table_def *t, const struct opts *o);
	enum auth_action action;
	const char *usage;	/* when set: the verb takes one word, else this */
	const char *help;	/* what it does, with an example; %s the noun */
} verbs[] = {
	{ "person", "add", person_add, AUTH_EDIT_RECORDS, NULL,
	  N_("Adds a record; prints its id. Fields as --OPTION VALUE or --set FIELD=VALUE\n"
		"(see \"guanqing %s fields\").") },
	{ "person", "list", person_list, AUTH_READ, NULL,
	  N_("Lists the people of this place.\n"
		"  --category CODE   --status CODE   --grid ID   --format table|csv|json   --out FILE (mode 0600)   --all") },
	{ "person", "show", person_show, AUTH_READ, NULL,
	  N_("Shows one record, every field by its label. ID may be the first characters of the id.") },
	{ "person", "search", person_search, AUTH_READ, N_("person search needs one TEXT."),
	  N_("Finds people by name, pinyin (whole or initials), ID number (x or X) or phone.\n"
		"Lists the first 100 (--limit N, 0 for all) and says how many more match.\n"
		"Example: guanqing person search wcm") },
	{ "person", "move", person_move, AUTH_EDIT_RECORDS, N_("person move needs an ID and --village CODE."),
	  N_("At the county: a person moved to another village; their records go with them to its station.\n"
		"Example: guanqing person move 3f2a --village 411524103206") },
	{ "visit", "add", visit_add, AUTH_EDIT_RECORDS, NULL,
	  N_("Records a visit with a form's answers:\n"
		"  guanqing visit add --person ID --form FORM [--date D] [--set QUESTION=ANSWER]...\n"
		"The follow-up date comes from the risk level unless --followup D is given.\n"
		"Example: guanqing visit add --person 3f2a --form child_visit --set child_seen=yes") },
	{ "visit", "show", visit_show, AUTH_READ, NULL,
	  N_("Shows one record, every field by its label. ID may be the first characters of the id.") },
	{ "station", "add", station_add, AUTH_READ, NULL,
	  N_("Adds a record; prints its id. Fields as --OPTION VALUE or --set FIELD=VALUE\n"
		"(see \"guanqing %s fields\").") },
	{ "users", "add", cmd_add, AUTH_MANAGE_USERS, NULL,
	  N_("Adds a record; prints its id. Fields as --OPTION VALUE or --set FIELD=VALUE\n"
		"(see \"guanqing %s fields\").") },
	{ "users", "edit", cmd_edit, AUTH_MANAGE_USERS, NULL,
	  N_("Changes fields of one record: guanqing %s edit ID --set FIELD=VALUE ...") },
	{ "users", "delete", cmd_delete, AUTH_MANAGE_USERS, NULL,
	  N_("Deletes one record (a tombstone is kept and travels to the other places).") },
	/* one's own PIN; another's is checked in cmd_user_secret */
	{ "users", "pin", user_pin, AUTH_READ, N_("user pin needs one user (name or id)."),
	  N_("Sets or changes a PIN (your own, or as an admin anyone's): asked twice, or read from --pin-file.\n"
		"Example: guanqing user pin 王春梅") },
	{ "users", "unlock", user_unlock, AUTH_MANAGE_USERS, N_("user unlock needs one user (name or id)."),
	  N_("Unlocks a user locked after wrong PINs.\n"
		"Example: guanqing user unlock 王春梅") },
	{ "application", "add", cmd_add, AUTH_EDIT_RECORDS, NULL,
	  N_("Adds an application for assistance; prints its id. For a minimum living allowance or\n"
		"extreme-poverty support give what the county decides on: the household's size and\n"
		"income a month (the income a person is computed from them), houses, vehicles, savings,\n"
		"the reason and the account for payment (digits).\n"
		"Example: guanqing application add --person 3f2a --kind dibao --household-size 3 --income 1200\n"
		"  --houses 1 --vehicles 0 --savings 5000 --apply-reason 因病致贫 --bank 商城农商银行 --account 6228480123456789012") },
	{ "application", "decide", application_decide, AUTH_DECIDE, NULL,
	  N_("At the county: decides an application: approved (with --amount-granted),\n"
		"rejected (with --reason) or paid; the decision reaches the station with its next bundle.\n"
		"It then shows the case: the applicant, the village and the household's figures.\n"
		"Example: guanqing application decide 7c1e --status approved --amount-granted 300") },
	{ "death_report", "add", cmd_add, AUTH_EDIT_RECORDS, NULL,
	  N_("Reports a person's death: the person is recorded as deceased on --date, their open\n"
		"categories end that day, and no new visit, application or referral can be added. A person\n"
		"has one death report; what is known later (the burial kind) is completed with \"death edit\".\n"
		"Example: guanqing death add --person 3f2a --date 2026-11-20 --cause illness --certificate-no Q4115202600123") },
	{ NULL, "add", cmd_add, AUTH_EDIT_RECORDS, NULL,
	  N_("Adds a record; prints its id. Fields as --OPTION VALUE or --set FIELD=VALUE\n"
		"(see \"guanqing %s fields\").") },
	{ NULL, "list", cmd_list, AUTH_READ, NULL,
	  N_("Lists the records of this place.\n"
		"  --format table|csv|json   --out FILE (mode 0600)   --all (deleted ones too)") },
	{ NULL, "show", cmd_show, AUTH_READ, NULL,
	  N_("Shows one record, every field by its label. ID may be the first characters of the id.") },
	{ NULL, "edit", cmd_edit, AUTH_EDIT_RECORDS, NULL,
	  N_("Changes fields of one record: guanqing %s edit ID --set FIELD=VALUE ...") },
	{ NULL, "delete", cmd_delete, AUTH_EDIT_RECORDS, NULL,
	  N_("Deletes one record (a tombstone is kept and travels to the other places).") },
};

static const struct verb *verb_find(const struct table_def *t, const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if ((!verbs[i].table || !strcmp(verbs[i].table, t->name)) &&
		    !strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

static int noun_help(const struct table_def *t, int ok)
{
	printf(_("guanqing %s add|list|show|edit|delete|fields ...\nFields (as --OPTION VALUE, or --set FIELD=VALUE):\n"),
	       t->cli);
	return cmd_fields(t) || !ok;
}

/* Options of the record verbs that take no value. */
static const char *const list_flags[] = { "codes", "mask-id", NULL };

int cli_record_need(const struct table_def *t, int argc, char **argv, int at,
		    struct cli_need *need)
{
	const char *name = at < argc ? argv[at] : NULL;
	const struct verb *v = verb_find(t, name);
	const char *format;
	struct opts o;

	need->db = CLI_NO_DB;
	need->action = AUTH_READ;
	if (cli_parse_opts(argc, argv, at + 1, list_flags, &o))
		return 2;
	if (!name || o.help || !strcmp(name, "--help") || !strcmp(name, "fields"))
		return 0;
	if (!v)
		return cli_usage(_("unknown action \"%s\" (add, list, show, edit, delete, fields)."), name);
	if (v->usage && o.npos != 1)
		return cli_usage("%s", _(v->usage));
	need->db = CLI_SIGNED;
	need->action = v->action;
	/* A CSV or JSON export of residents' records is an admin's act;
	 * with the ID numbers masked a grid worker's too. */
	format = cli_opt(&o, "format");
	if (v->action == AUTH_READ && t->residents && !cli_opt(&o, "mask-id") &&
	    ((format && strcmp(format, "table")) || cli_opt(&o, "out")))
		need->action = AUTH_REPORTS;
	return 0;
}

int cli_record(const struct table_def *t, int argc, char **argv, int at)
{
	const char *name = at < argc ? argv[at] : NULL;
	const struct verb *v = verb_find(t, name);
	struct opts o;

	if (cli_parse_opts(argc, argv, at + 1, list_flags, &o))
		return 2;
	if (v && (o.help || !strcmp(name, "--help"))) {
		if (v->help) {
			/* The help names the noun where it says %s. */
			const char *h = _(v->help), *p = strstr(h, "%s");

			if (p)
				printf("%.*s%s%s\n", (int)(p - h), h, t->cli, p + 2);
			else
				printf("%s\n", h);
		}
		if (strcmp(v->name, "add") && strcmp(v->name, "edit"))
			return 0;
		printf("%s\n", _("Fields (as --OPTION VALUE, or --set FIELD=VALUE):"));
		return cmd_fields(t);
	}
	if (!name || o.help || !strcmp(name, "--help"))
		return noun_help(t, name != NULL);
	if (!strcmp(name, "fields"))
		return cmd_fields(t);
	return v->run(cli_db(), t, &o);
}

/* ---- history ---- */

struct history_out {
	struct table_out *out;
	const struct table_def *t;
	enum fmt f;
};

static int history_row(void *vctx, const struct history_entry *e)
{
	struct history_out *h = vctx;
	const struct field_def *f = table_field(h->t, e->field);
	char when[40], *cells[6];

	if (h->f != FMT_TABLE) {
		/* CSV and JSON keep the stored spelling: UTC, codes. */
		hlc_format(e->hlc, when, sizeof(when));
		when[19] = '\0';
		when[10] = ' ';
		cells[0] = when;
		cells[3] = (char *)(f ? _(f->label) : e->field);
		cells[4] = (char *)e->old_value;
		cells[5] = (char *)e->new_value;
	} else {
		/* A table is read: local time, labels, names. */
		cells[0] = (char *)e->when;
		cells[3] = (char *)e->label;
		cells[4] = (char *)e->old_text;
		cells[5] = (char *)e->new_text;
	}
	cells[1] = (char *)(e->station ? e->station : e->origin);
	cells[2] = (char *)(e->user ? e->user : e->user_id ? e->user_id : _("(the program)"));
	tout_add_row(h->out, cells);
	return 0;
}

/* history NOUN ID: who changed which field from what to what. */
int cli_history(int argc, char **argv, int at)
{
	const struct table_def *t = at < argc ? table_find(argv[at]) : NULL;
	struct table_out out;
	struct history_out h;
	struct gq_db *db = cli_db();
	struct gq_err e;
	struct opts o;
	char id[UID_LEN + 1];
	enum fmt f;
	int status = 0;

	gq_err_clear(&e);
	if (!t) {
		cli_usage("%s", _("history needs a kind of record and its id, e.g. \"history person ID\"."));
		return 2;
	}
	if (cli_parse_opts(argc, argv, at + 1, list_flags, &o) || cli_parse_format(&o, &f))
		return 2;
	if (o.npos != 1) {
		cli_usage("%s", _("history needs a kind of record and its id, e.g. \"history person ID\"."));
		return 2;
	}
	if (record_resolve_id(db, t, o.pos[0], id, &e) != GQ_OK)
		return cli_fail(&e);
	memset(&out, 0, sizeof(out));
	out.ncols = 6;
	out.head[0] = f == FMT_TABLE ? _("time") : _("time (UTC)");
	out.head[1] = _("station");
	out.head[2] = _("user");
	out.head[3] = _("field");
	out.head[4] = _("from");
	out.head[5] = _("to");
	h.out = &out;
	h.t = t;
	h.f = f;
	if (history_each(db, t->name, id, history_row, &h, &e) != GQ_OK)
		status = cli_fail(&e);
	tout_print(&out, f);
	return status;
}

