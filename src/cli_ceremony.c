/* cli_ceremony.c - `guanqing ceremony ...` and `guanqing duplicates`: the
 * words are parsed here, everything read or written goes through the core
 * (ceremony.h, duplicates.h, record.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/ceremony.h"
#include "guanqing/cli_ceremony.h"
#include "guanqing/cli_util.h"
#include "guanqing/clock.h"
#include "guanqing/duplicates.h"
#include "guanqing/i18n.h"
#include "guanqing/record.h"
#include "guanqing/validate.h"

static const char ceremony_usage[] =
	N_("guanqing ceremony peak-days [--year Y]\n"
	   "guanqing ceremony add --date D --place P --capacity N [--title T] [--time HH:MM] [--notes T]\n"
	   "guanqing ceremony book CEREMONY --name-a N --id-a ID --name-b N --id-b ID --time HH:MM [--phone P] [--notes T]\n"
	   "guanqing ceremony edit CEREMONY [--date D] [--place P] [--capacity N] [--title T] [--time HH:MM] | ceremony delete CEREMONY\n"
	   "guanqing booking edit|delete|show|history BOOKING: one booking (a cancellation is a delete)\n"
	   "guanqing ceremony list [--from D] [--date D] [--format table|csv|json]\n"
	   "guanqing ceremony show CEREMONY [--format table|csv|json]\n"
	   "CEREMONY is its id (or at least 6 characters of its start or end) or its date when it is the only one that day.");

static int peak_days(int argc, char **argv, int at)
{
	static const char *const known[] = { "year", NULL };
	struct ceremony_peak p[CEREMONY_PEAKS];
	struct opts o;
	long long y;
	size_t i, n;
	struct gq_err e;
	char today[DATE_SIZE];

	if (cli_parse_words(argc, argv, at, known, NULL, &o))
		return 2;
	if (o.npos)
		return cli_usage(_("ceremony peak-days takes no argument \"%s\"."), o.pos[0]);
	clock_today(today, sizeof(today));
	if (!cli_opt(&o, "year"))
		y = atoll(today);
	else if (validate_int("--year", cli_opt(&o, "year"), 1900, 2100, &y, &e) != GQ_OK)
		return cli_usage(_("--year must be a year from 1900 to 2100 (the lunar calendar's), not \"%s\"."),
				 cli_opt(&o, "year"));
	n = ceremony_peak_days((int)y, p);
	for (i = 0; i < n; i++)
		printf("%s %s\n", p[i].date, p[i].name);
	return 0;
}

/* Option name -> field, for the options given. */
static size_t take(const struct opts *o, const char *const *names, struct rec_value *v)
{
	size_t n = 0;

	for (; *names; names++)
		if (cli_opt(o, *names)) {
			v[n].field = *names;
			v[n++].text = cli_opt(o, *names);
		}
	return n;
}

static int add(int argc, char **argv, int at)
{
	static const char *const known[] = { "date", "place", "capacity", "title", "time", "notes", NULL };
	struct rec_value v[8];
	struct gq_db *db = NULL;
	struct opts o;
	struct gq_err e;
	char id[UID_LEN + 1];
	int status;

	if (cli_parse_words(argc, argv, at, known, NULL, &o))
		return 2;
	if (o.npos)
		return cli_usage(_("ceremony add takes no argument \"%s\"."), o.pos[0]);
	status = cli_open_db_for(AUTH_EDIT_RECORDS, &db);
	if (status)
		return status;
	if (record_create(db, table_find("ceremony"), v, take(&o, known, v), NULL, id, &e) == GQ_OK)
		puts(id);
	else
		status = cli_fail(&e);
	db_close(&db);
	return status;
}

static int keep_id(void *arg, const struct ceremony_row *c)
{
	snprintf(arg, UID_LEN + 1, "%s", c->id);
	return 1;
}

/* ceremony edit CEREMONY --field value ... | ceremony delete CEREMONY */
static int change(int argc, char **argv, int at, int del)
{
	static const char *const known[] = { "date", "place", "capacity", "title", "time", "notes", NULL };
	static const char *const none[] = { NULL };
	struct rec_value v[8];
	struct gq_db *db = NULL;
	struct opts o;
	struct gq_err e;
	char cid[UID_LEN + 1] = "";
	int status;
	enum gq_status rc;

	if (cli_parse_words(argc, argv, at, del ? none : known, NULL, &o))
		return 2;
	if (o.npos != 1)
		return cli_usage(_("ceremony %s needs the ceremony: its id or its date."),
				 del ? "delete" : "edit");
	status = cli_open_db_for(AUTH_EDIT_RECORDS, &db);
	if (status)
		return status;
	rc = ceremony_get(db, o.pos[0], keep_id, cid, &e);
	if (rc == GQ_OK && del)
		rc = record_delete(db, table_find("ceremony"), cid, &e);
	else if (rc == GQ_OK)
		rc = record_update(db, table_find("ceremony"), cid, v, take(&o, known, v), &e);
	if (rc != GQ_OK)
		status = cli_fail(&e);
	db_close(&db);
	return status;
}

static int book(int argc, char **argv, int at)
{
	static const char *const known[] = { "name-a", "id-a", "name-b", "id-b", "time", "phone",
		"notes", NULL };
	struct rec_value v[10];
	struct gq_db *db = NULL;
	struct opts o;
	struct gq_err e;
	char cid[UID_LEN + 1] = "", id[UID_LEN + 1];
	size_t n;
	int status;

	if (cli_parse_words(argc, argv, at, known, NULL, &o))
		return 2;
	if (o.npos != 1)
		return cli_usage(_("ceremony book needs the ceremony: its id or its date."));
	status = cli_open_db_for(AUTH_EDIT_RECORDS, &db);
	if (status)
		return status;
	if (ceremony_get(db, o.pos[0], keep_id, cid, &e) != GQ_OK) {
		status = cli_fail(&e);
		goto out;
	}
	n = take(&o, known, v);
	v[n].field = "ceremony_id";
	v[n++].text = cid;
	if (record_create(db, table_find("ceremony_booking"), v, n, NULL, id, &e) == GQ_OK)
		puts(id);
	else
		status = cli_fail(&e);
out:
	db_close(&db);
	return status;
}

static void ceremony_head(struct table_out *t)
{
	memset(t, 0, sizeof(*t));
	t->ncols = 8;
	t->head[0] = _("id");
	t->head[1] = _("date");
	t->head[2] = _("time");
	t->head[3] = _("peak day");
	t->head[4] = _("title");
	t->head[5] = _("place");
	t->head[6] = _("booked");
	t->head[7] = _("capacity");
}

static int ceremony_add_row(void *arg, const struct ceremony_row *c)
{
	char booked[24], cap[24];
	char *cells[8];

	snprintf(booked, sizeof(booked), "%ld", c->booked);
	snprintf(cap, sizeof(cap), "%ld", c->capacity);
	cells[0] = (char *)c->id;
	cells[1] = (char *)c->date;
	cells[2] = (char *)c->start_time;
	cells[3] = (char *)c->peak;
	cells[4] = (char *)c->title;
	cells[5] = (char *)c->place;
	cells[6] = booked;
	cells[7] = cap;
	tout_add_row(arg, cells);
	return 0;
}

static void couple_head(struct table_out *t)
{
	memset(t, 0, sizeof(*t));
	t->ncols = 8;
	t->head[0] = _("time");
	t->head[1] = _("place");
	t->head[2] = _("name");
	t->head[3] = _("ID number");
	t->head[4] = _("name");
	t->head[5] = _("ID number");
	t->head[6] = _("phone");
	t->head[7] = _("booking");
}

static int couple_add_row(void *arg, const struct ceremony_couple *c)
{
	char *cells[8];

	cells[0] = (char *)c->appointment;
	cells[1] = (char *)c->place;
	cells[2] = (char *)c->name_a;
	cells[3] = (char *)c->id_number_a;
	cells[4] = (char *)c->name_b;
	cells[5] = (char *)c->id_number_b;
	cells[6] = (char *)c->phone;
	cells[7] = (char *)c->id;
	tout_add_row(arg, cells);
	return 0;
}

static int list(int argc, char **argv, int at)
{
	static const char *const known[] = { "from", "date", "format", NULL };
	struct gq_db *db = NULL;
	struct table_out t;
	struct opts o;
	struct gq_err e;
	enum fmt f;
	char today[DATE_SIZE];
	const char *from, *day;
	int status;
	enum gq_status rc;

	if (cli_parse_words(argc, argv, at, known, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	from = cli_opt(&o, "from");
	day = cli_opt(&o, "date");
	if (from && !date_valid(from))
		return cli_usage(_("--from must be a date written YYYY-MM-DD, not \"%s\"."), from);
	if (day && !date_valid(day))
		return cli_usage(_("--date must be a date written YYYY-MM-DD, not \"%s\"."), day);
	status = cli_open_db_for(day ? AUTH_REPORTS : AUTH_READ, &db);
	if (status)
		return status;
	clock_today(today, sizeof(today));
	if (day) {
		const char *peak = ceremony_peak_name(day);

		couple_head(&t);
		rc = ceremony_day(db, day, couple_add_row, &t, &e);
		if (rc == GQ_OK && f == FMT_TABLE)
			printf(_("Couples booked for %s%s%s: %zu\n"), day, peak ? " " : "", peak ? peak : "",
			       t.rows);
	} else {
		ceremony_head(&t);
		rc = ceremony_each(db, from ? from : today, ceremony_add_row, &t, &e);
	}
	if (rc == GQ_OK)
		tout_print(&t, f);
	else {
		tout_release(&t);
		status = cli_fail(&e);
	}
	db_close(&db);
	return status;
}

static int show_one(void *arg, const struct ceremony_row *c)
{
	struct ceremony_row *out = arg;

	*out = *c;
	out->id = strdup(c->id);
	out->date = strdup(c->date);
	out->title = c->title ? strdup(c->title) : NULL;
	out->place = c->place ? strdup(c->place) : NULL;
	out->start_time = c->start_time ? strdup(c->start_time) : NULL;
	out->notes = NULL;
	return 1;
}

static int show(int argc, char **argv, int at)
{
	static const char *const known[] = { "format", NULL };
	struct ceremony_row c;
	struct gq_db *db = NULL;
	struct table_out t;
	struct opts o;
	struct gq_err e;
	enum fmt f;
	int status;

	if (cli_parse_words(argc, argv, at, known, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	if (o.npos != 1)
		return cli_usage(_("ceremony show needs the ceremony: its id or its date."));
	status = cli_open_db_for(AUTH_REPORTS, &db);
	if (status)
		return status;
	memset(&c, 0, sizeof(c));
	if (ceremony_get(db, o.pos[0], show_one, &c, &e) != GQ_OK) {
		status = cli_fail(&e);
		goto out;
	}
	if (f == FMT_TABLE) {
		printf("%s %s %s\n", c.date, c.start_time ? c.start_time : "", c.title ? c.title : "");
		printf(_("Place: %s\n"), c.place ? c.place : "");
		printf(_("Booked: %ld of %ld couples\n"), c.booked, c.capacity);
	}
	couple_head(&t);
	if (ceremony_couples(db, c.id, couple_add_row, &t, &e) == GQ_OK)
		tout_print(&t, f);
	else {
		tout_release(&t);
		status = cli_fail(&e);
	}
out:
	free((char *)c.id);
	free((char *)c.date);
	free((char *)c.title);
	free((char *)c.place);
	free((char *)c.start_time);
	db_close(&db);
	return status;
}

int cmd_ceremony(int argc, char **argv, int at)
{
	const char *verb = at < argc ? argv[at] : NULL;

	if (!verb)
		return cli_usage("%s", _(ceremony_usage));
	if (!strcmp(verb, "peak-days"))
		return peak_days(argc, argv, at + 1);
	if (!strcmp(verb, "add"))
		return add(argc, argv, at + 1);
	if (!strcmp(verb, "book"))
		return book(argc, argv, at + 1);
	if (!strcmp(verb, "edit"))
		return change(argc, argv, at + 1, 0);
	if (!strcmp(verb, "delete"))
		return change(argc, argv, at + 1, 1);
	if (!strcmp(verb, "list"))
		return list(argc, argv, at + 1);
	if (!strcmp(verb, "show"))
		return show(argc, argv, at + 1);
	return cli_usage(_("ceremony: unknown action \"%s\" (peak-days, add, book, edit, delete, list or show)."), verb);
}

static int dup_add_row(void *arg, const struct dup_row *r)
{
	char *cells[7];

	cells[0] = (char *)r->kind_label;
	cells[1] = (char *)r->id_number;
	cells[2] = (char *)r->benefit_label;
	cells[3] = (char *)r->names;
	cells[4] = (char *)r->villages;
	cells[5] = (char *)r->detail;
	cells[6] = (char *)r->person_id;
	tout_add_row(arg, cells);
	return 0;
}

int cmd_duplicates(int argc, char **argv, int at)
{
	static const char *const known[] = { "format", NULL };
	struct gq_db *db = NULL;
	struct table_out t;
	struct opts o;
	struct gq_err e;
	enum fmt f;
	int status;

	if (cli_parse_words(argc, argv, at, known, NULL, &o) || cli_parse_format(&o, &f))
		return 2;
	if (o.npos)
		return cli_usage(_("duplicates takes no argument \"%s\"."), o.pos[0]);
	status = cli_open_db_for(AUTH_REPORTS, &db);
	if (status)
		return status;
	memset(&t, 0, sizeof(t));
	t.ncols = 7;
	t.head[0] = _("finding");
	t.head[1] = _("ID number");
	t.head[2] = _("benefit");
	t.head[3] = _("names");
	t.head[4] = _("villages");
	t.head[5] = _("what to check");
	t.head[6] = _("person");
	if (duplicates_each(db, NULL, dup_add_row, &t, &e) == GQ_OK)
		tout_print(&t, f);
	else {
		tout_release(&t);
		status = cli_fail(&e);
	}
	db_close(&db);
	return status;
}
