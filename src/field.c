/* field.c - one check and one display of every stored field value. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/field.h"
#include "guanqing/i18n.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/uid.h"
#include "guanqing/validate.h"
#include "guanqing/xalloc.h"

/* Yes/no as typed: 1 for yes, 0 for no, -1 for neither. */
static int parse_bool(const char *text)
{
	static const char *const yes[] = { "1", "yes", "true", "y", "是", NULL };
	static const char *const no[] = { "0", "no", "false", "n", "否", NULL };
	size_t i;

	for (i = 0; yes[i]; i++)
		if (!strcmp(text, yes[i]))
			return 1;
	for (i = 0; no[i]; i++)
		if (!strcmp(text, no[i]))
			return 0;
	if (!strcmp(text, _("yes")))
		return 1;
	if (!strcmp(text, _("no")))
		return 0;
	return -1;
}

/* A number written in f's characters (an account, a certificate): the
 * spaces typed between groups are dropped, the rest must be of the set,
 * min to max long. */
static enum gq_status check_code(const struct field_def *f, const char *label,
				 const char *text, char **out, struct gq_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	static const char digit_set[] = "0123456789",
		code_set[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
	int digits = (f->flags & F_DIGITS) != 0;
	const char *p;

	for (p = text; *p; p++) {
		if (*p == ' ')
			continue;
		if (!strchr(digits ? digit_set : code_set, *p)) {
			strbuf_release(&sb);
			return gq_err_set(err, GQ_EINVAL, digits ?
					  _("Field \"%s\": \"%s\" may hold only digits.") :
					  _("Field \"%s\": \"%s\" may hold only letters, digits and \"-\"."),
					  label, text);
		}
		strbuf_addch(&sb, *p);
	}
	if (sb.len < (size_t)f->min || sb.len > (size_t)f->max) {
		enum gq_status rc = gq_err_set(err, GQ_EINVAL,
					       _("Field \"%s\": %s has %zu characters; it should have %d to %d."),
					       label, sb.buf, sb.len, (int)f->min, (int)f->max);

		strbuf_release(&sb);
		return rc;
	}
	*out = strbuf_detach(&sb, NULL);
	return GQ_OK;
}

enum gq_status field_check(struct gq_db *db, const struct field_def *f,
			   const char *text, char **out, struct gq_err *err)
{
	const char *label = _(f->label);
	char buf[VALIDATE_NAME_SIZE + 64];
	enum gq_status rc = GQ_OK;
	long long v;

	*out = NULL;
	if (validate_is_blank(text))
		return GQ_OK;
	switch (f->type) {
	case FT_TEXT:
		if (f->flags & (F_DIGITS | F_CODE)) {
			rc = check_code(f, label, text, out, err);
			break;
		}
		rc = validate_text(label, text, 0, f->max ? (size_t)f->max : 200, 0, err);
		if (rc == GQ_OK)
			*out = xstrdup(text);
		break;
	case FT_NOTES:
		rc = validate_text(label, text, 0, f->max ? (size_t)f->max : 2000,
				   VALIDATE_MULTILINE, err);
		if (rc == GQ_OK)
			*out = xstrdup(text);
		break;
	case FT_NAME:
		rc = validate_person_name(label, text, buf, sizeof(buf), err);
		if (rc == GQ_OK)
			*out = xstrdup(buf);
		break;
	case FT_IDNUM: {
		struct validate_id id;

		rc = validate_id_number(label, text, &id, err);
		if (rc == GQ_OK)
			*out = xstrdup(id.number);
		break;
	}
	case FT_PHONE:
		rc = validate_phone(label, text, VALIDATE_PHONE_ANY, buf, sizeof(buf), NULL, err);
		if (rc == GQ_OK)
			*out = xstrdup(buf);
		break;
	case FT_DATE:
		rc = validate_date(label, text, "1900-01-01", NULL,
				   (f->flags & F_PAST) ? VALIDATE_DATE_NOT_FUTURE : 0, err);
		if (rc == GQ_OK)
			*out = xstrdup(text);
		break;
	case FT_INT:
		rc = validate_int(label, text, f->min, f->max, &v, err);
		if (rc == GQ_OK) {
			snprintf(buf, sizeof(buf), "%lld", v);
			*out = xstrdup(buf);
		}
		break;
	case FT_MONEY:
		rc = validate_decimal(label, text, 2, 0, 100000000000LL, &v, err);
		if (rc == GQ_OK) {
			validate_decimal_format(v, 2, buf, sizeof(buf));
			*out = xstrdup(buf);
		}
		break;
	case FT_BOOL:
		switch (parse_bool(text)) {
		case 1:
			*out = xstrdup("1");
			break;
		case 0:
			*out = xstrdup("0");
			break;
		default:
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\": \"%s\" is not yes or no."), label, text);
		}
		break;
	case FT_ENUM: {
		const struct choice *c = choice_find(f->choices, text);
		struct strbuf sb = STRBUF_INIT;
		const struct choice *p;

		if (c) {
			*out = xstrdup(c->code);
			break;
		}
		for (p = f->choices; p->code; p++)
			strbuf_addf(&sb, "%s%s", p == f->choices ? "" : ", ", p->code);
		rc = gq_err_set(err, GQ_EINVAL,
				_("Field \"%s\": \"%s\" is not one of the choices (%s)."),
				label, text, sb.buf);
		strbuf_release(&sb);
		break;
	}
	case FT_REF: {
		const struct table_def *rt = table_find(f->ref);
		char id[UID_LEN + 1];
		struct gq_err why;

		if (!db) {
			/* Without a database only the shape can be checked. */
			if (strlen(text) != UID_LEN || strspn(text, "0123456789abcdef-") != UID_LEN)
				rc = gq_err_set(err, GQ_EINVAL,
						_("Field \"%s\": \"%s\" is not a %s id."),
						label, text, rt ? _(rt->label) : "?");
			else
				*out = xstrdup(text);
			break;
		}
		gq_err_clear(&why);
		rc = record_resolve_id(db, rt, text, id, &why);
		if (rc != GQ_OK)
			rc = gq_err_set(err, rc, _("Field \"%s\": %s"), label, why.msg);
		else
			*out = xstrdup(id);
		break;
	}
	case FT_JSON:
		rc = validate_text(label, text, 0, 65536, VALIDATE_MULTILINE, err);
		if (rc == GQ_OK)
			*out = xstrdup(text);
		break;
	}
	if (rc != GQ_OK)
		gq_err_field(err, f->name);
	return rc;
}

const char *field_list_separator(void)
{
	/* TRANSLATORS: between several answers of one question, e.g. "左、右". */
	return _(", ");
}

const char *table_label_column(const struct table_def *t)
{
	return t && t->label_col ? t->label_col : "name";
}

void record_label(struct gq_db *db, const struct table_def *t, const char *id,
		  struct strbuf *out)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *s;

	if (!id || !*id)
		return;
	if (t && db && db_cached(db, t->label_sql, &st, NULL) == GQ_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && (s = sqlite3_column_text(st, 0)) && *s) {
			strbuf_addstr(out, (const char *)s);
			sqlite3_reset(st);
			return;
		}
		sqlite3_reset(st);
	}
	strbuf_add(out, id, strlen(id) < 8 ? strlen(id) : 8);
}

/* Is code one of the codes of the comma list? */
static int in_list(const char *list, const char *code)
{
	size_t len = strlen(code);

	while (*list) {
		size_t l = strcspn(list, ",");

		if (l == len && !strncmp(list, code, len))
			return 1;
		list += l + (list[l] == ',');
	}
	return 0;
}

void field_display(struct gq_db *db, const struct field_def *f,
		   const char *value, struct strbuf *out)
{
	if (!value || !*value)
		return;
	switch (f->type) {
	case FT_ENUM: {
		const struct choice *c;
		size_t start = out->len;

		if (choice_find(f->choices, value) || !strchr(value, ',')) {
			strbuf_addstr(out, choice_label(f->choices, value));
			break;
		}
		/* Several choices, as the person form keeps categories. */
		for (c = f->choices; c->code; c++)
			if (in_list(value, c->code))
				strbuf_addf(out, "%s%s", out->len > start ? field_list_separator() : "",
					    _(c->label));
		break;
	}
	case FT_BOOL:
		strbuf_addstr(out, strcmp(value, "0") ? _("yes") : _("no"));
		break;
	case FT_REF:
		record_label(db, table_find(f->ref), value, out);
		break;
	default:
		strbuf_addstr(out, value);
		break;
	}
}
