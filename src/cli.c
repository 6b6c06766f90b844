/* cli.c - the command line. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "guanqing/auth.h"
#include "guanqing/cli.h"
#include "guanqing/cli_out.h"
#include "guanqing/cli_export.h"
#include "guanqing/cli_install.h"
#include "guanqing/cli_report.h"
#include "guanqing/cli_util.h"
#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/demo.h"
#include "guanqing/division.h"
#include "guanqing/dump.h"
#include "guanqing/field.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/history.h"
#include "guanqing/i18n.h"
#include "guanqing/pinyin.h"
#include "guanqing/publish.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/report.h"
#include "guanqing/station.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/text.h"
#include "guanqing/summary.h"
#include "guanqing/sync.h"
#include "guanqing/keys.h"
#include "guanqing/merge.h"
#include "guanqing/move.h"
#include "guanqing/ui.h"

/* ---- help ---- */

static void print_help(void)
{
	printf(_("Usage: guanqing [--db FILE] [--user NAME [--pin-file F]] [--lang zh|en] [--ascii] COMMAND [ARGS]\n"
		 "Offline register of civil-affairs visits and cases for village stations and the county.\n\n"
		 "Setting up:\n"
		 "  county init --division 411524        make a county database\n"
		 "  station init --village CODE          make a station database for one village\n"
		 "  villages [--town CODE]               list the county's towns and villages\n"
		 "  demo                                 make a demo station database\n\n"
		 "Records (NOUN is person, household, grid, user, category, guardian, visit,\n"
		 "application, facility, meal, activity, referral or death):\n"
		 "  NOUN add --FIELD VALUE ...           add a record; prints its id\n"
		 "  NOUN list [--format table|csv|json]  list the records\n"
		 "  NOUN show ID                         show one record\n"
		 "  NOUN edit ID --set FIELD=VALUE ...   change fields\n"
		 "  NOUN delete ID                       delete (a tombstone is kept)\n"
		 "  NOUN fields                          the fields of NOUN and their options\n"
		 "  person search TEXT                   find people by name, pinyin, ID or phone\n"
		 "  person move ID --village CODE        county: a person moved to another village\n"
		 "  visit add --person ID --form FORM [--date D] [--set FIELD=VALUE]...\n"
		 "  application decide ID --status approved|rejected|paid [--amount-granted X] [--reason R]\n"
		 "  form list | form show FORM           the visit forms\n"
		 "  form publish FILE                    county: send a new form version to every station\n"
		 "  history NOUN ID                      who changed which field, from what to what\n"
		 "  user pin NAME [--pin-file F]         set a PIN; user unlock NAME\n\n"
		 "USB exchange:\n"
		 "  county enroll --village CODE --out DIR [--passphrase-file F]\n"
		 "                                       enrol a station: its sealed setup file\n"
		 "  station init --setup FILE [--passphrase-file F]\n"
		 "                                       make a station database from a setup file\n"
		 "  export [--to DIR] [--station ID]     write bundles to the stick\n"
		 "  import [PATH...]                     read bundles from the stick, files or folders\n"
		 "  conflicts [--format ...]             open conflicts; conflicts resolve ID --value V|--keep ORIGIN\n"
		 "  stations [--format ...]              enrolled stations, bundles, gaps, clock warnings\n"
		 "  config media [DIR]                   the stick's folder when none is found under /media\n"
		 "  config lock [MINUTES]                the screens lock after so many idle minutes (10)\n\n"
		 "Checking:\n"
		 "  summary                              counts and follow-ups due\n"
		 "  check                                integrity and foreign-key check\n"
		 "  dump --canonical                     every synced row in a fixed format\n"
		 "  ui                                   the screens (the default)\n\n"
		 "The database is --db FILE, else $GUANQING_DB, else\n"
		 "$XDG_DATA_HOME/guanqing/guanqing.db. Exit status: 0 success, 1 refused, 2 usage.\n"));
}

/* ---- records ---- */

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

static int cmd_add(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	static const char *const skip_person[] = { "category", "village", NULL };
	static const char *const skip_other[] = { "village", NULL };
	struct rec_value vals[CLI_MAX_OPTS];
	char id[UID_LEN + 1];
	struct gq_err e;
	int n, is_person = !strcmp(t->name, "person");
	enum gq_status rc;

	gq_err_clear(&e);
	if (!strcmp(t->name, "visit"))
		return cmd_visit_add(db, o);
	if (!strcmp(t->name, "station")) {
		cli_usage("%s", _("stations are made with \"station init\"."));
		return 2;
	}
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

static int list_rows(struct gq_db *db, const struct table_def *t, const struct opts *o,
		     const char *where_person, const char *search)
{
	struct query_filter flt;
	struct list_out l;
	char list[256], *save = NULL, *tok;
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
	if (!strcmp(t->name, "person")) {
		flt.category = cli_opt(o, "category");
		flt.status = cli_opt(o, "status");
		flt.grid = cli_opt(o, "grid");
		flt.search = search;
	}
	gq_err_clear(&e);
	rc = query_rows(db, t, &flt, list_row, &l, &e);
	strbuf_release(&l.disp);
	list_export_end(l.x);
	if (rc != GQ_OK) {
		tout_release(&l.out);
		return cli_fail(&e);
	}
	tout_print(&l.out, l.f);
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
		return list_rows(db, t, o, pid, NULL);
	}
	return list_rows(db, t, o, NULL, NULL);
}

static int cmd_list(struct gq_db *db, const struct table_def *t, const struct opts *o)
{
	static const char *const known[] = { "format", "person", "all", "category", "status", "grid",
		"out", "codes", "mask-id", NULL };
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

static void show_related(struct gq_db *db, const char *noun, const char *person,
			 const char *title)
{
	const struct table_def *t = table_find(noun);
	struct opts o;
	sqlite3_stmt *st;
	struct strbuf sql = STRBUF_INIT;
	int any = 0;

	strbuf_addf(&sql, "SELECT 1 FROM %s WHERE person_id = ?1 AND deleted = 0 LIMIT 1", t->name);
	if (sqlite3_prepare_v2(db->h, sql.buf, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC);
		any = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	strbuf_release(&sql);
	if (!any)
		return;
	printf("\n%s\n", title);
	fflush(stdout);
	memset(&o, 0, sizeof(o));
	list_rows(db, t, &o, person, NULL);
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

static int cmd_show(struct gq_db *db, const struct table_def *t, const struct opts *o)
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
	if (!strcmp(t->name, "visit")) {
		/* Every answered question, by its label, as on the form. */
		struct answer_out a = { 36, 0 };

		if (query_visit_answers(db, r, print_answer, &a, &e) != GQ_OK)
			fprintf(stderr, "guanqing: %s\n", e.msg);
	}
	if (!strcmp(t->name, "person")) {
		show_related(db, "category", r->id, _("Categories:"));
		show_related(db, "guardian", r->id, _("Guardians and contacts:"));
		show_related(db, "visit", r->id, _("Visits (newest first):"));
		show_related(db, "application", r->id, _("Applications:"));
		show_related(db, "referral", r->id, _("Referrals:"));
		show_related(db, "death", r->id, _("Death report:"));
	}
	strbuf_release(&line);
	strbuf_release(&disp);
	record_free(&r);
	return 0;
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
	return 0;
}

/* Tables whose rows hold names, ID numbers or phones of residents. */
static int personal(const struct table_def *t)
{
	return !strcmp(t->name, "person") || !strcmp(t->name, "guardian") ||
	       !strcmp(t->name, "household") || !strcmp(t->name, "death_report");
}

/* What a record command needs the signed-in role to be allowed. */
static enum auth_action record_action(const struct table_def *t, const char *verb,
				      const struct opts *o)
{
	const char *format = cli_opt(o, "format");

	if (!strcmp(verb, "decide"))
		return AUTH_DECIDE;
	if (!strcmp(verb, "pin"))
		return AUTH_READ;	/* one's own PIN; another's is checked below */
	if (!strcmp(t->name, "users") && strcmp(verb, "list") && strcmp(verb, "show"))
		return AUTH_MANAGE_USERS;
	if (!strcmp(verb, "add") || !strcmp(verb, "edit") || !strcmp(verb, "delete") ||
	    !strcmp(verb, "move"))
		return AUTH_EDIT_RECORDS;
	/* A CSV or JSON export of residents' records is an admin's act;
	 * with the ID numbers masked a grid worker's too. */
	if (((format && strcmp(format, "table")) || cli_opt(o, "out")) && personal(t) &&
	    !cli_opt(o, "mask-id"))
		return AUTH_REPORTS;
	return AUTH_READ;
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

static int cmd_record(int argc, char **argv, int at, const struct table_def *t)
{
	const char *verb = at < argc ? argv[at] : NULL;
	struct gq_db *db = NULL;
	struct opts o;
	int status;

	static const char *const flags[] = { "codes", "mask-id", NULL };

	if (cli_parse_opts(argc, argv, at + 1, flags, &o))
		return 2;
	if (!verb || o.help || !strcmp(verb, "--help")) {
		printf(_("guanqing %s add|list|show|edit|delete|fields ...\nFields (as --OPTION VALUE, or --set FIELD=VALUE):\n"),
		       t->cli);
		return cmd_fields(t) || !verb;
	}
	if (!strcmp(verb, "fields"))
		return cmd_fields(t);
	if (!strcmp(verb, "move") && !strcmp(t->name, "person")) {
		if (o.npos != 1 || !cli_opt(&o, "village")) {
			cli_usage("%s", _("person move needs an ID and --village CODE."));
			return 2;
		}
	} else if ((!strcmp(verb, "pin") || !strcmp(verb, "unlock")) && !strcmp(t->name, "users")) {
		if (o.npos != 1) {
			cli_usage(_("user %s needs one user (name or id)."), verb);
			return 2;
		}
	} else if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "show") &&
	    strcmp(verb, "edit") && strcmp(verb, "delete") && strcmp(verb, "search") &&
	    strcmp(verb, "decide")) {
		cli_usage(_("unknown action \"%s\" (add, list, show, edit, delete, fields)."), verb);
		return 2;
	}
	if ((!strcmp(verb, "search") && strcmp(t->name, "person")) ||
	    (!strcmp(verb, "decide") && strcmp(t->name, "application"))) {
		cli_usage(_("unknown action \"%s\" (add, list, show, edit, delete, fields)."), verb);
		return 2;
	}
	if (!strcmp(verb, "search") && o.npos != 1) {
		cli_usage("%s", _("person search needs one TEXT."));
		return 2;
	}
	status = cli_open_db_for(record_action(t, verb, &o), &db);
	if (status)
		return status;
	if (!strcmp(verb, "move")) {
		struct gq_err e;
		int moved = 0;

		if (move_person(db, o.pos[0], cli_opt(&o, "village"), &moved, &e) != GQ_OK) {
			status = cli_fail(&e);
		} else {
			printf(_("Moved to village %s with %d records; its station gets the whole history with its next bundle.\n"),
			       cli_opt(&o, "village"), moved);
			status = 0;
		}
	} else if (!strcmp(verb, "pin") || !strcmp(verb, "unlock"))
		status = cmd_user_secret(db, verb, &o);
	else if (!strcmp(verb, "add"))
		status = cmd_add(db, t, &o);
	else if (!strcmp(verb, "list"))
		status = cmd_list(db, t, &o);
	else if (!strcmp(verb, "show"))
		status = cmd_show(db, t, &o);
	else if (!strcmp(verb, "edit"))
		status = cmd_edit(db, t, &o);
	else if (!strcmp(verb, "delete"))
		status = cmd_delete(db, t, &o);
	else if (!strcmp(verb, "decide"))
		status = cmd_decide(db, &o);
	else
		status = list_rows(db, t, &o, NULL, o.pos[0]);
	db_close(&db);
	return status;
}

/* ---- other commands ---- */

static int cmd_enroll(int argc, char **argv, int at)
{
	static const char *const known[] = { "village", "out", "passphrase-file", NULL };
	char pass[KEYS_PASSPHRASE_SIZE], path[4096];
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	if (!cli_opt_only(&o, known))
		return 2;
	if (!cli_opt(&o, "village") || !cli_opt(&o, "out")) {
		cli_usage("%s", _("county enroll needs --village CODE and --out DIR."));
		return 2;
	}
	status = cli_open_db_for(AUTH_ENROL, &db);
	if (status)
		return status;
	if (sync_enroll(db, cli_opt(&o, "village"), cli_opt(&o, "out"), pass, path, sizeof(path), &e) != GQ_OK) {
		db_close(&db);
		return cli_fail(&e);
	}
	printf(_("Station enrolled for village %s; its setup file is %s.\n"), cli_opt(&o, "village"), path);
	if (cli_opt(&o, "passphrase-file")) {
		const char *pf = cli_opt(&o, "passphrase-file");
		int fd = open(pf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		size_t len = strlen(pass);

		if (fd < 0 || write(fd, pass, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
		    fchmod(fd, 0600) != 0 || close(fd) != 0) {
			fprintf(stderr, _("guanqing: cannot write the passphrase file %s; the passphrase is %s\n"),
				pf, pass);
			keys_wipe(pass, sizeof(pass));
			db_close(&db);
			return 1;
		}
		printf(_("The passphrase was written to %s (mode 0600).\n"), pf);
	} else {
		printf(_("Passphrase (shown once; give it to the station separately from the file): %s\n"), pass);
	}
	keys_wipe(pass, sizeof(pass));
	db_close(&db);
	return 0;
}

/* Remove a database file this run created and could not initialise. */
static void remove_db_files(const char *path)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", path, side[i]);
		unlink(buf);
	}
}

static int cmd_init(int argc, char **argv, int at, int county)
{
	char pin[AUTH_PIN_MAX + 2] = "";
	const char *admin;
	int existed;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;
	enum gq_status rc;

	gq_err_clear(&e);
	if (county && at < argc && !strcmp(argv[at], "enroll"))
		return cmd_enroll(argc, argv, at + 1);
	if (at >= argc || strcmp(argv[at], "init")) {
		cli_usage(_("expected \"%s init\"."), county ? "county" : "station");
		return 2;
	}
	if (cli_parse_opts(argc, argv, at + 1, NULL, &o))
		return 2;
	if (!cli_opt(&o, county ? "division" : "village") && (county || !cli_opt(&o, "setup"))) {
		cli_usage(_("missing --%s."), county ? "division" : "village (or --setup FILE)");
		return 2;
	}
	/* A real county or station starts with its admin and the admin's PIN:
	 * no database made for use is ever open to whoever sits down. Only
	 * "station init --village", for tests and demos, may go without. */
	admin = cli_opt(&o, "admin");
	if ((county || cli_opt(&o, "setup")) && !admin) {
		cli_usage("%s", _("missing --admin NAME: the first admin, whose PIN is asked for (or read from --pin-file FILE)."));
		return 2;
	}
	if (admin) {
		char prompt[160];

		snprintf(prompt, sizeof(prompt), _("PIN for the admin %s: "), admin);
		if (cli_read_secret(prompt, cli_opt(&o, "pin-file"), pin, sizeof(pin), &e) != GQ_OK ||
		    auth_pin_acceptable(pin, &e) != GQ_OK) {
			keys_wipe(pin, sizeof(pin));
			return cli_fail(&e);
		}
	}
	const char *db_path = cli_db_path();
	existed = access(db_path, F_OK) == 0;
	status = cli_open_db(1, &db);
	if (status)
		return status;
	rc = db_begin(db, &e);
	if (rc != GQ_OK) {
		/* reported below */
	} else if (county) {
		rc = station_init_county(db, cli_opt(&o, "division"), &e);
		if (rc == GQ_OK)
			rc = sync_county_keys(db, &e);
	} else if (cli_opt(&o, "setup")) {
		char pass[256];

		rc = cli_read_secret(_("Passphrase of the setup file: "), cli_opt(&o, "passphrase-file"),
				 pass, sizeof(pass), &e);
		if (rc == GQ_OK)
			rc = sync_station_init(db, cli_opt(&o, "setup"), pass, &e);
		keys_wipe(pass, sizeof(pass));
	} else {
		rc = station_init_village(db, cli_opt(&o, "village"), &e);
	}
	if (rc == GQ_OK && admin) {
		struct rec_value v[] = { { "name", admin },
			{ "role", county ? "county_admin" : "station_admin" } };
		char uid[UID_LEN + 1];

		rc = record_create(db, table_find("users"), v, 2, NULL, uid, &e);
		if (rc == GQ_OK)
			rc = auth_set_pin(db, uid, pin, &e);
	}
	keys_wipe(pin, sizeof(pin));
	if (rc == GQ_OK)
		rc = db_commit(db, &e);
	else if (db->depth)
		db_rollback(db);
	if (rc != GQ_OK) {
		db_close(&db);
		if (!existed)
			remove_db_files(db_path);
		return cli_fail(&e);
	}
	{
		char name[128];

		division_name(db, county ? db->division : db->village, name, sizeof(name));
		printf(_("Initialised %s as the %s of %s %s; station id %s.\n"), db_path,
		       county ? _("county office") : _("station"),
		       county ? db->division : db->village, name, db->station_id);
	}
	db_close(&db);
	return 0;
}

static int cmd_villages(int argc, char **argv, int at)
{
	struct opts o;
	struct gq_db *db = NULL;
	sqlite3_stmt *st;
	struct table_out out;
	enum fmt f;
	int status;
	const char *town;

	if (cli_parse_opts(argc, argv, at, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	town = cli_opt(&o, "town");
	status = cli_open_db(0, &db);
	if (status)
		return status;
	memset(&out, 0, sizeof(out));
	out.ncols = 4;
	out.head[0] = _("code");
	out.head[1] = _("name");
	out.head[2] = _("town");
	out.head[3] = _("kind");
	sqlite3_prepare_v2(db->h, "SELECT v.code, v.name, t.name, v.urban FROM division v"
			   " JOIN division t ON t.code = v.parent_code WHERE v.level = 'village'"
			   " AND (?1 IS NULL OR v.parent_code = ?1) ORDER BY v.code", -1, &st, NULL);
	sqlite3_bind_text(st, 1, town, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *cells[4];

		cells[0] = (char *)sqlite3_column_text(st, 0);
		cells[1] = (char *)sqlite3_column_text(st, 1);
		cells[2] = (char *)sqlite3_column_text(st, 2);
		cells[3] = sqlite3_column_int(st, 3) ? _("urban community") : _("rural village");
		tout_add_row(&out, cells);
	}
	sqlite3_finalize(st);
	tout_print(&out, f);
	db_close(&db);
	return 0;
}

/* The database for reading forms, when there is one: the forms the
 * county published live there. NULL without a database. */
static struct gq_db *form_db(void)
{
	struct gq_db *db = NULL;
	struct gq_err e;

	const char *db_path = cli_db_path();
	if (access(db_path, F_OK) != 0 || db_open(db_path, 0, &db, &e) != GQ_OK)
		return NULL;
	return db;
}

static int cmd_form(int argc, char **argv, int at)
{
	const char *verb = at < argc ? argv[at] : NULL;
	struct gq_db *db = NULL;
	struct gq_err e;
	int status = 0;

	gq_err_clear(&e);
	if (verb && !strcmp(verb, "publish") && at + 1 < argc) {
		char id[80];
		int version;

		status = cli_open_db_for(AUTH_PUBLISH, &db);
		if (status)
			return status;
		if (publish_form(db, argv[at + 1], id, sizeof(id), &version, &e) != GQ_OK)
			status = cli_fail(&e);
		else
			printf(_("Form %s version %d is published: every station gets it with its next bundle.\n"),
			       id, version);
		db_close(&db);
		return status;
	}
	if (verb && !strcmp(verb, "list")) {
		struct form_list list = FORM_LIST_INIT;
		size_t i;

		db = form_db();
		if (formdb_list(db, &list, &e) != GQ_OK) {
			db_close(&db);
			return cli_fail(&e);
		}
		for (i = 0; i < list.nr; i++) {
			struct form *f = NULL;

			if (formdb_find(db, list.ids[i], &f, &e) != GQ_OK) {
				status = cli_fail(&e);
				continue;
			}
			printf("%-18s v%-3d %s\n", form_id(f), form_version(f),
			       form_title(f, i18n_english()));
			form_free(&f);
		}
		form_list_release(&list);
		db_close(&db);
		return status;
	}
	if (verb && !strcmp(verb, "show") && at + 1 < argc) {
		struct form *f = NULL;
		struct strbuf sb = STRBUF_INIT;
		enum gq_status rc;

		/* A path to a form file, or the id of a form. */
		if (strchr(argv[at + 1], '/') || strstr(argv[at + 1], ".form")) {
			rc = form_load(argv[at + 1], &f, &e);
		} else {
			db = form_db();
			rc = formdb_find(db, argv[at + 1], &f, &e);
			db_close(&db);
		}
		if (rc != GQ_OK)
			return cli_fail(&e);
		form_describe(f, i18n_english(), &sb);
		fputs(sb.buf, stdout);
		strbuf_release(&sb);
		form_free(&f);
		return 0;
	}
	cli_usage("%s", _("use \"form list\", \"form show FORM\" or \"form publish FILE\" (county)."));
	return 2;
}

static int cmd_check(void)
{
	const char *db_path = cli_db_path();
	struct gq_db *db = NULL;
	struct gq_err e;
	int status, problems = 0;

	gq_err_clear(&e);
	status = cli_open_db_checking(&db);
	if (status)
		return status;
	if (dump_check(db, stdout, &problems, &e) != GQ_OK) {
		db_close(&db);
		return cli_fail(&e);
	}
	if (problems)
		printf(_("%d problems found in %s.\n"), problems, db_path);
	else
		printf(_("%s: no problems found.\n"), db_path);
	db_close(&db);
	return problems ? 1 : 0;
}

static int cmd_dump(int argc, char **argv, int at)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	if (!cli_opt(&o, "canonical")) {
		cli_usage("%s", _("dump needs --canonical."));
		return 2;
	}
	status = cli_open_db_for(AUTH_REPORTS, &db);
	if (status)
		return status;
	if (dump_canonical(db, stdout, &e) != GQ_OK)
		status = cli_fail(&e);
	db_close(&db);
	return status;
}

static int cmd_demo(int argc, char **argv, int at)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;
	const char *village;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	village = cli_opt(&o, "village") ? cli_opt(&o, "village") : DEMO_VILLAGE;
	const char *db_path = cli_db_path();
	if (access(db_path, F_OK) == 0) {
		fprintf(stderr, _("guanqing: %s already exists; the demo makes a new database."), db_path);
		fputc('\n', stderr);
		return 1;
	}
	status = cli_open_db(1, &db);
	if (status)
		return status;
	if (station_init_village(db, village, &e) != GQ_OK ||
	    demo_populate(db, cli_opt(&o, "seed") ? (unsigned)strtoul(cli_opt(&o, "seed"), NULL, 10) : 1,
			  cli_opt(&o, "people") ? atoi(cli_opt(&o, "people")) : 0, &e) != GQ_OK) {
		db_close(&db);
		remove_db_files(db_path);
		return cli_fail(&e);
	}
	printf(_("Demo station database %s is ready.\n"), db_path);
	printf(_("Its users: %s (station admin), 王春梅, 李建军 and 余晓燕 (grid workers); the demo PIN of each is %s.\n"),
	       DEMO_ADMIN, DEMO_PIN);
	db_close(&db);
	return 0;
}

static void print_progress(void *ctx, const char *recipient, uint64_t done, uint64_t total)
{
	(void)ctx;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r%s: %llu/%llu", recipient, (unsigned long long)done,
			(unsigned long long)total);
	if (done == total && isatty(STDERR_FILENO))
		fputc('\n', stderr);
}

static int cmd_export(int argc, char **argv, int at)
{
	static const char *const known[] = { "to", "station", NULL };
	struct strbuf report = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	int status;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o) || !cli_opt_only(&o, known))
		return 2;
	status = cli_open_db_for(AUTH_EXCHANGE, &db);
	if (status)
		return status;
	if (sync_export(db, cli_opt(&o, "to"), cli_opt(&o, "station"), &report, print_progress, NULL,
			&e) != GQ_OK)
		status = cli_fail(&e);
	fputs(report.buf, stdout);
	strbuf_release(&report);
	db_close(&db);
	return status;
}

static int cmd_import(int argc, char **argv, int at)
{
	struct strbuf report = STRBUF_INIT;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	char medium[4096];
	const char *one[1];
	int status, refused = 0;
	enum gq_status rc;

	gq_err_clear(&e);
	if (cli_parse_opts(argc, argv, at, NULL, &o))
		return 2;
	if (o.n) {
		cli_usage(_("unknown option --%s."), o.name[0]);
		return 2;
	}
	status = cli_open_db_for(AUTH_EXCHANGE, &db);
	if (status)
		return status;
	if (o.npos == 0) {
		if (sync_find_medium(db, medium, sizeof(medium), &e) != GQ_OK) {
			db_close(&db);
			return cli_fail(&e);
		}
		one[0] = medium;
		rc = sync_import(db, one, 1, &report, &refused, &e);
	} else {
		rc = sync_import(db, o.pos, (size_t)o.npos, &report, &refused, &e);
	}
	fputs(report.buf, stdout);
	if (rc != GQ_OK)
		status = cli_fail(&e);
	strbuf_release(&report);
	db_close(&db);
	return status;
}

/* A name for row id of table tbl: its own name or title, or the name of
 * the person it is about. */
static void record_about(struct gq_db *db, const char *tbl, const char *id, struct strbuf *out)
{
	const struct table_def *t = table_find(tbl);
	const char *col = NULL;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;

	if (!t)
		return;
	if (table_field(t, "person_id"))
		col = "(SELECT name FROM person p WHERE p.id = x.person_id)";
	else if (table_field(t, "name"))
		col = "x.name";
	else if (table_field(t, "title"))
		col = "x.title";
	else if (table_field(t, "address"))
		col = "x.address";
	if (!col)
		return;
	/* Table and column names come from the definitions, never from text. */
	strbuf_addf(&sql, "SELECT %s FROM %s x WHERE x.id = ?1", col, t->name);
	if (sqlite3_prepare_v2(db->h, sql.buf, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			strbuf_addstr(out, (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	strbuf_release(&sql);
}

static int cmd_conflicts(int argc, char **argv, int at)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	enum fmt f;
	int status;

	gq_err_clear(&e);
	if (at < argc && !strcmp(argv[at], "resolve")) {
		static const char *const known[] = { "value", "keep", NULL };
		char *end;
		long long id;

		if (cli_parse_opts(argc, argv, at + 1, NULL, &o) || !cli_opt_only(&o, known))
			return 2;
		if (o.npos != 1 || (!cli_opt(&o, "value") == !cli_opt(&o, "keep"))) {
			cli_usage("%s", _("conflicts resolve needs an ID and either --value V or --keep ORIGIN."));
			return 2;
		}
		id = strtoll(o.pos[0], &end, 10);
		if (*end || id <= 0) {
			cli_usage(_("\"%s\" is not a conflict number."), o.pos[0]);
			return 2;
		}
		status = cli_open_db_for(AUTH_CONFLICTS, &db);
		if (status)
			return status;
		if (merge_resolve(db, id, cli_opt(&o, "value"), cli_opt(&o, "keep"), &e) != GQ_OK)
			status = cli_fail(&e);
		else
			printf(_("Conflict %lld is resolved; the decision travels to the station in its next bundle.\n"), id);
		db_close(&db);
		return status;
	}
	if (cli_parse_opts(argc, argv, at, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	status = cli_open_db_for(AUTH_READ, &db);
	if (status)
		return status;
	{
		static const char *const heads[] = { "id", "record", "row", "field", "kind", "winner",
			"winner_origin", "winner_time", "loser", "loser_origin", "loser_time", "about" };
		struct table_out out;
		sqlite3_stmt *st;
		int i;

		memset(&out, 0, sizeof(out));
		out.ncols = 12;
		for (i = 0; i < 12; i++)
			out.head[i] = heads[i];
		if (sqlite3_prepare_v2(db->h, "SELECT id, tbl, row_id, field, kind, winner_value, winner_origin,"
				       " winner_hlc, loser_value, loser_origin, loser_hlc FROM conflict"
				       " WHERE status = 'open' ORDER BY id", -1, &st, NULL) == SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW) {
				char *cells[12], t1[40], t2[40];
				struct strbuf about = STRBUF_INIT;

				for (i = 0; i < 11; i++)
					cells[i] = (char *)sqlite3_column_text(st, i);
				hlc_format(sqlite3_column_int64(st, 7), t1, sizeof(t1));
				hlc_format(sqlite3_column_int64(st, 10), t2, sizeof(t2));
				cells[7] = t1;
				cells[10] = t2;
				/* Whom the record is about, so staff know it at once. */
				record_about(db, (const char *)sqlite3_column_text(st, 1),
					     (const char *)sqlite3_column_text(st, 2), &about);
				cells[11] = about.buf;
				tout_add_row(&out, cells);
				strbuf_release(&about);
			}
			sqlite3_finalize(st);
		}
		tout_print(&out, f);
	}
	db_close(&db);
	return 0;
}

static int cmd_stations(int argc, char **argv, int at)
{
	static const char *const heads[] = { "station", "village", "name", "status", "enrolled",
		"last_bundle_in", "last_import", "gaps", "bundles_out", "acked", "clock_warning" };
	struct table_out out;
	struct gq_db *db = NULL;
	struct opts o;
	sqlite3_stmt *st;
	enum fmt f;
	int status, i;

	if (cli_parse_opts(argc, argv, at, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	status = cli_open_db_for(AUTH_READ, &db);
	if (status)
		return status;
	memset(&out, 0, sizeof(out));
	out.ncols = 11;
	for (i = 0; i < 11; i++)
		out.head[i] = heads[i];
	if (sqlite3_prepare_v2(db->h, "SELECT p.id, p.village, d.name, p.status, p.enrolled_at, p.recv_number,"
			       " p.last_import_at, p.sent_number, p.acked_number, p.clock_warning"
			       " FROM peer p LEFT JOIN division d ON d.code = p.village"
			       " ORDER BY p.village, p.status, p.enrolled_at", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			char *cells[11];
			struct strbuf gaps = STRBUF_INIT;
			sqlite3_stmt *g;
			int64_t expect = 1;

			/* The numbers missing below the highest received. */
			if (sqlite3_prepare_v2(db->h, "SELECT number FROM bundle_in WHERE peer_id = ?1 ORDER BY number",
					       -1, &g, NULL) == SQLITE_OK) {
				sqlite3_bind_text(g, 1, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_STATIC);
				while (sqlite3_step(g) == SQLITE_ROW) {
					int64_t n = sqlite3_column_int64(g, 0);

					if (n > expect)
						strbuf_addf(&gaps, n - 1 == expect ? "%s%lld" : "%s%lld-%lld",
							    gaps.len ? " " : "", (long long)expect, (long long)(n - 1));
					expect = n + 1;
				}
				sqlite3_finalize(g);
			}
			cells[0] = (char *)sqlite3_column_text(st, 0);
			cells[1] = (char *)sqlite3_column_text(st, 1);
			cells[2] = (char *)sqlite3_column_text(st, 2);
			cells[3] = (char *)sqlite3_column_text(st, 3);
			cells[4] = (char *)sqlite3_column_text(st, 4);
			cells[5] = (char *)sqlite3_column_text(st, 5);
			cells[6] = (char *)sqlite3_column_text(st, 6);
			cells[7] = gaps.buf;
			cells[8] = (char *)sqlite3_column_text(st, 7);
			cells[9] = (char *)sqlite3_column_text(st, 8);
			cells[10] = (char *)sqlite3_column_text(st, 9);
			tout_add_row(&out, cells);
			strbuf_release(&gaps);
		}
		sqlite3_finalize(st);
	}
	tout_print(&out, f);
	db_close(&db);
	return 0;
}

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
static int cmd_history(int argc, char **argv, int at)
{
	const struct table_def *t = at < argc ? table_find(argv[at]) : NULL;
	struct table_out out;
	struct history_out h;
	struct gq_db *db = NULL;
	struct gq_err e;
	struct opts o;
	char id[UID_LEN + 1];
	enum fmt f;
	int status;

	gq_err_clear(&e);
	if (!t) {
		cli_usage("%s", _("history needs a kind of record and its id, e.g. \"history person ID\"."));
		return 2;
	}
	if (cli_parse_opts(argc, argv, at + 1, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	if (o.npos != 1) {
		cli_usage("%s", _("history needs a kind of record and its id, e.g. \"history person ID\"."));
		return 2;
	}
	status = cli_open_db_for(AUTH_READ, &db);
	if (status)
		return status;
	if (record_resolve_id(db, t, o.pos[0], id, &e) != GQ_OK) {
		db_close(&db);
		return cli_fail(&e);
	}
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
	db_close(&db);
	return status;
}

/* config media [DIR]: the folder export and import use when no --to or
 * PATH is given and no stick is found under /media or /run/media. */
static int cmd_config(int argc, char **argv, int at)
{
	struct gq_db *db = NULL;
	struct gq_err e;
	int status;

	gq_err_clear(&e);
	if (at < argc && !strcmp(argv[at], "lock") && at + 2 >= argc) {
		/* config lock [MINUTES]: the screens lock after so many idle
		 * minutes (1 to 240; 10 when not set). */
		status = cli_open_db_for(at + 1 < argc ? AUTH_MANAGE_USERS : AUTH_READ, &db);
		if (status)
			return status;
		if (at + 1 < argc) {
			char *end;
			long m = strtol(argv[at + 1], &end, 10);

			if (*end || m < 1 || m > 240) {
				fprintf(stderr, _("guanqing: the idle lock takes 1 to 240 minutes, not \"%s\".\n"),
					argv[at + 1]);
				status = 1;
			} else if (db_meta_set_int(db, "lock_minutes", m, &e) != GQ_OK) {
				status = cli_fail(&e);
			} else {
				printf(_("The screens lock after %ld idle minutes.\n"), m);
			}
		} else {
			printf(_("The screens lock after %lld idle minutes.\n"),
			       (long long)db_meta_get_int(db, "lock_minutes", 10));
		}
		db_close(&db);
		return status;
	}
	if (at >= argc || strcmp(argv[at], "media") || at + 2 < argc) {
		cli_usage("%s", _("use \"config media [DIR]\" for the stick's folder, or \"config lock [MINUTES]\" for the idle lock."));
		return 2;
	}
	status = cli_open_db_for(AUTH_EXCHANGE, &db);
	if (status)
		return status;
	if (at + 1 < argc) {
		struct stat sb;
		const char *dir = argv[at + 1];

		if (*dir && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
			fprintf(stderr, _("guanqing: %s is not a folder.\n"), dir);
			db_close(&db);
			return 1;
		}
		if (db_meta_set(db, "media_path", *dir ? dir : NULL, &e) != GQ_OK)
			status = cli_fail(&e);
		else if (*dir)
			printf(_("Export and import use %s when no stick is named.\n"), dir);
		else
			printf("%s\n", _("Export and import look for a stick under /media and /run/media."));
	} else {
		char *dir = db_meta_get(db, "media_path");

		printf("%s\n", dir ? dir : _("(not set: a stick is looked for under /media and /run/media)"));
		free(dir);
	}
	db_close(&db);
	return status;
}

static int cmd_summary(void)
{
	struct gq_db *db = NULL;
	struct strbuf sb = STRBUF_INIT;
	int status = cli_open_db_for(AUTH_READ, &db);

	if (status)
		return status;
	summary_write(db, &sb);
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
	db_close(&db);
	return 0;
}

static int cmd_ui(int ascii)
{
	struct gq_db *db = NULL;
	int status = cli_open_db(0, &db);

	if (status)
		return status;
	status = ui_run(db, ascii);
	db_close(&db);
	return status;
}

static int run_county(int argc, char **argv, int at)
{
	return cmd_init(argc, argv, at, 1);
}

static int run_station(int argc, char **argv, int at)
{
	return cmd_init(argc, argv, at, 0);
}

static int run_check(int argc, char **argv, int at)
{
	(void)argc;
	(void)argv;
	(void)at;
	return cmd_check();
}

static int run_summary(int argc, char **argv, int at)
{
	(void)argc;
	(void)argv;
	(void)at;
	return cmd_summary();
}

static int run_ui(int argc, char **argv, int at)
{
	(void)argc;
	(void)argv;
	(void)at;
	return cmd_ui(cli_global.ascii);
}

static int run_help(int argc, char **argv, int at)
{
	(void)argc;
	(void)argv;
	(void)at;
	print_help();
	return 0;
}

/* The commands other than the record nouns (tables.h), which cmd_record
 * serves. */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv, int at);
	const char *usage;
} commands[] = {
	{ "county", run_county, N_("guanqing county init --division CODE --admin NAME [--pin-file FILE]\n"
				   "guanqing county enroll --village CODE --out DIR [--passphrase-file F]") },
	{ "station", run_station, N_("guanqing station init --setup FILE --admin NAME [--passphrase-file F] [--pin-file FILE]\n"
				     "guanqing station init --village CODE   (a database for tests and demos, without PINs)") },
	{ "villages", cmd_villages, N_("guanqing villages [--town CODE] [--format table|csv|json]") },
	{ "form", cmd_form, N_("guanqing form list | form show FORM|FILE | form publish FILE") },
	{ "check", run_check, N_("guanqing check: SQLite's integrity and foreign-key checks and the change log's consistency; exit 1 on a problem.") },
	{ "dump", cmd_dump, N_("guanqing dump --canonical: every synced row in a fixed order and format.") },
	{ "demo", cmd_demo, N_("guanqing demo [--village CODE] [--seed N] [--people N]: a new demo station database.") },
	{ "config", cmd_config, N_("guanqing config media [DIR] | config lock [MINUTES]") },
	{ "history", cmd_history, N_("guanqing history NOUN ID [--format table|csv|json]") },
	{ "export", cmd_export, N_("guanqing export [--to DIR] [--station ID]") },
	{ "import", cmd_import, N_("guanqing import [PATH...]") },
	{ "conflicts", cmd_conflicts, N_("guanqing conflicts [--format table|csv|json]\n"
					 "guanqing conflicts resolve ID --value V | --keep ORIGIN") },
	{ "stations", cmd_stations, N_("guanqing stations [--format table|csv|json]") },
	{ "summary", run_summary, N_("guanqing summary: counts, visits this month and follow-ups due.") },
	{ "report", cli_report, N_("guanqing report list: the reports there are\n"
				   "guanqing report NAME [--town CODE|NAME] [--from D --to D] [--villages] [--codes] [--format table|csv|json|xlsx|text] [--out FILE]") },
	{ "ui", run_ui, N_("guanqing [ui]: the screens.") },
	{ "help", run_help, N_("guanqing help") },
	{ "kit", cli_kit, N_("guanqing kit --out DIR [--debs DIR] [--arch amd64,i386] [--no-download]   (county)\n"
			     "guanqing kit verify DIR [--key FILE]") },
	{ "backup", cli_backup, N_("guanqing backup --to DIR: a sealed copy of the whole database.") },
	{ "restore", cli_restore, N_("guanqing restore FILE [--yes]: put a backup in the place of the database (the current one is kept aside).") },
	{ "doctor", cli_doctor, N_("guanqing doctor: version, database, place, last exchange, disk, terminal and locale.") },
	{ NULL, NULL, NULL }
};

/* COMMAND --help (anywhere after the command): its usage. */
static int wants_help(int argc, char **argv, int at)
{
	for (; at < argc; at++)
		if (!strcmp(argv[at], "--help") || !strcmp(argv[at], "-h"))
			return 1;
	return 0;
}

int cli_main(int argc, char **argv)
{
	int i = 1, status;
	const char *cmd;
	const struct table_def *t;
	const struct command *c;

	/* Global options come before the command. */
	while (i < argc && !strncmp(argv[i], "-", 1)) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			cli_global.db_path = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			cli_global.db_path = argv[i++] + 5;
		} else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			i += 2;	/* handled in main before gettext starts */
		} else if (!strncmp(argv[i], "--lang=", 7)) {
			i++;
		} else if (!strcmp(argv[i], "--user") && i + 1 < argc) {
			cli_global.user = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--user=", 7)) {
			cli_global.user = argv[i++] + 7;
		} else if (!strcmp(argv[i], "--pin-file") && i + 1 < argc) {
			cli_global.pin_file = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--pin-file=", 11)) {
			cli_global.pin_file = argv[i++] + 11;
		} else if (!strcmp(argv[i], "--ascii")) {
			cli_global.ascii = 1;
			i++;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help();
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("%s\n", PACKAGE_STRING);
			return 0;
		} else {
			cli_usage(_("unknown option %s."), argv[i]);
			return 2;
		}
	}
	cmd = i < argc ? argv[i] : "ui";
	i++;
	for (c = commands; c->name && strcmp(c->name, cmd); c++)
		;
	if (c->name && wants_help(argc, argv, i)) {
		printf("%s\n", _(c->usage));
		status = 0;
	} else if (c->name)
		status = c->run(argc, argv, i);
	else if ((t = table_find(cmd)) != NULL)
		status = cmd_record(argc, argv, i, t);
	else {
		cli_usage(_("unknown command \"%s\"."), cmd);
		status = 2;
	}
	if (fflush(stdout) != 0 && status == 0) {
		fprintf(stderr, "guanqing: %s\n", _("writing the output failed."));
		status = 1;
	}
	cli_util_end();
	return status;
}
