/* form.c - declarative visit forms: loading, checking answers, risk.
 *
 * A form file is read line by line into raw key/value texts with their
 * line numbers, then checked as a whole (types, limits, choices, defaults,
 * conditions), so that every mistake can be reported as FILE:LINE: reason
 * even when it only shows against a later line (a show_if naming a field
 * defined further down, a default that is not one of the choices listed
 * below it).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/date.h"
#include "guanqing/err.h"
#include "guanqing/form.h"
#include "guanqing/i18n.h"
#include "guanqing/paths.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"
#include "guanqing/xalloc.h"

#define FORM_LINE_MAX 4096	/* bytes in one line of a form file */
#define FORM_FIELDS_MAX 500
#define FORM_CHOICES_MAX 200
#define FORM_ID_MAX 64		/* bytes in a form, field or choice id */
#define FORM_DAYS_MAX 36500	/* offsets (today+N) and follow-up days */

static const char *const type_names[FORM_TYPE_MAX] = {
	[FORM_TEXT] = "text",
	[FORM_INTEGER] = "integer",
	[FORM_DECIMAL] = "decimal",
	[FORM_DATE] = "date",
	[FORM_YESNO] = "yesno",
	[FORM_CHOICE] = "choice",
	[FORM_MULTI] = "multi",
};

/* Keys of a [field] section. */
enum fkey {
	K_TYPE, K_LABEL, K_LABEL_EN, K_HELP, K_HELP_EN, K_REQUIRED, K_MIN,
	K_MAX, K_MIN_LENGTH, K_MAX_LENGTH, K_DECIMALS, K_PATTERN,
	K_PATTERN_MSG, K_PATTERN_MSG_EN, K_DEFAULT, K_SHOW_IF, K_UNIT,
	K_UNIT_EN, K_COUNT
};

static const char *const fkey_names[K_COUNT] = {
	"type", "label", "label.en", "help", "help.en", "required", "min",
	"max", "min_length", "max_length", "decimals", "pattern",
	"pattern_message", "pattern_message.en", "default", "show_if", "unit",
	"unit.en",
};

#define T(x) (1u << (x))
#define T_NUM (T(FORM_INTEGER) | T(FORM_DECIMAL))
#define T_ANY ((1u << FORM_TYPE_MAX) - 1)

/* The field types each key applies to. */
static const unsigned fkey_types[K_COUNT] = {
	[K_TYPE] = T_ANY, [K_LABEL] = T_ANY, [K_LABEL_EN] = T_ANY,
	[K_HELP] = T_ANY, [K_HELP_EN] = T_ANY, [K_REQUIRED] = T_ANY,
	[K_MIN] = T_NUM | T(FORM_DATE), [K_MAX] = T_NUM | T(FORM_DATE),
	[K_MIN_LENGTH] = T(FORM_TEXT), [K_MAX_LENGTH] = T(FORM_TEXT),
	[K_DECIMALS] = T(FORM_DECIMAL), [K_PATTERN] = T(FORM_TEXT),
	[K_PATTERN_MSG] = T(FORM_TEXT), [K_PATTERN_MSG_EN] = T(FORM_TEXT),
	[K_DEFAULT] = T_ANY, [K_SHOW_IF] = T_ANY, [K_UNIT] = T_NUM,
	[K_UNIT_EN] = T_NUM,
};

/* Keys of the header, before the first section. */
enum hkey { H_FORM, H_VERSION, H_TITLE, H_TITLE_EN, H_APPLIES_TO, H_COUNT };

static const char *const hkey_names[H_COUNT] = {
	"form", "version", "title", "title.en", "applies_to",
};

enum op { OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE, OP_HAS };

static const char *const op_names[] = {
	"=", "!=", "<", ">", "<=", ">=", "has",
};

enum expr_kind { EX_COND, EX_AND, EX_OR, EX_NOT };

struct expr {
	enum expr_kind kind;
	struct expr *l, *r;	/* AND, OR: both; NOT: l */
	size_t field;		/* COND: index of the field compared */
	enum op op;
	char *value;
};

/* A min or max. integer: n; decimal: d; date: a day number in n, or an
 * offset from today in n when today is set. */
struct bound {
	int set;
	int today;
	long long n;
	double d;
};

struct choice {
	char *code;
	char *label[2];		/* Chinese, English (may be NULL) */
};

enum dflt { DF_NONE, DF_VALUE, DF_TODAY, DF_FOLLOWUP };

struct field {
	char *id;
	unsigned line;
	enum form_type type;
	char *val[K_COUNT];	/* raw texts as written, NULL when absent */
	unsigned vline[K_COUNT];
	struct choice *choices;
	size_t nr_choices, alloc_choices;
	unsigned choices_line;
	int required;
	struct bound min, max;
	size_t min_len, max_len;
	int decimals;
	regex_t re;
	int has_re;
	struct expr *show_if;
	enum dflt dkind;
	long long doff;
};

enum level { LV_LOW, LV_MEDIUM, LV_HIGH, LV_COUNT };

static const char *const level_names[LV_COUNT] = { "low", "medium", "high" };

struct rule {
	enum level level;
	char *text;
	unsigned line;
	struct expr *expr;
};

struct form {
	char *path;
	char *head[H_COUNT];
	unsigned hline[H_COUNT];
	int version;
	char **applies;
	size_t nr_applies;
	struct field *fields;
	size_t nr_fields, alloc_fields;
	int has_risk;
	unsigned risk_line;
	struct rule *rules;
	size_t nr_rules, alloc_rules;
	enum level risk_default;
	unsigned risk_default_line;
	int has_followup;
	unsigned followup_line;
	int followup[LV_COUNT];
	unsigned followup_lines[LV_COUNT];
	int followup_default;
	unsigned followup_default_line;
};

/* ---- small helpers ---- */

/* Make room for one more item of size in *p, which holds nr of *alloc. */
static void *grow(void *p, size_t nr, size_t *alloc, size_t size)
{
	if (nr < *alloc)
		return p;
	*alloc = *alloc ? *alloc * 2 : 8;
	return xreallocarray(p, *alloc, size);
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
	char *e;

	while (is_blank((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

static const char *pick(const char *zh, const char *en, int english)
{
	return english && en ? en : zh;
}

/* Characters in s, or (size_t)-1 when s is not valid UTF-8. */
static size_t utf8_chars(const char *s)
{
	const char *p = s;
	size_t n = 0, len;
	uint32_t cp;

	while (*p) {
		len = text_decode_strict(p, SIZE_MAX, &cp);
		if (!len)
			return (size_t)-1;
		p += len;
		n++;
	}
	return n;
}

/* An id: a lowercase ASCII letter, then letters, digits and "_". */
static int valid_id(const char *s)
{
	size_t i;

	if (!s || !(*s >= 'a' && *s <= 'z'))
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i <= FORM_ID_MAX;
}

/* A choice code: lowercase letters, digits and "_" (may start with a
 * digit, as grades do). */
static int valid_code(const char *s)
{
	size_t i;

	if (!s || !*s)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i <= FORM_ID_MAX;
}

static int is_keyword(const char *s)
{
	return !strcmp(s, "and") || !strcmp(s, "or") || !strcmp(s, "not") ||
	       !strcmp(s, "has");
}

/* ---- numbers and dates ---- */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* An integer: an optional "-" and 1 to 18 digits, nothing else. */
static int parse_int(const char *s, long long *out)
{
	const char *p = s;
	long long v = 0;
	int neg = 0, digits = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; is_digit((unsigned char)*p); p++, digits++) {
		if (digits >= 18)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (!digits || *p)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* A decimal: an optional "-", digits, and optionally "." and digits. The
 * point is always ".", whatever the locale says. *decimals gets the count
 * of digits after the point. */
static int parse_dec(const char *s, double *out, int *decimals)
{
	const char *p = s;
	double v = 0, scale = 1;
	int neg = 0, digits = 0, dec = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; is_digit((unsigned char)*p); p++, digits++)
		v = v * 10 + (*p - '0');
	if (!digits)
		return -1;
	if (*p == '.') {
		p++;
		for (; is_digit((unsigned char)*p); p++, dec++) {
			scale /= 10;
			v += (*p - '0') * scale;
		}
		if (!dec)
			return -1;
	}
	if (*p || digits + dec > 18)
		return -1;
	*out = neg ? -v : v;
	if (decimals)
		*decimals = dec;
	return 0;
}

/* Day number z as YYYY-MM-DD into buf of size bytes ("" outside years 1 to
 * 9999). */
static void format_day(int64_t z, char *buf, size_t size)
{
	char day[DATE_SIZE];

	date_format(z, day);
	snprintf(buf, size, "%s", day);
}

/* A real calendar date written YYYY-MM-DD, as a day number (date.h). */
static int parse_date(const char *s, int64_t *days)
{
	return date_parse(s, NULL, days) == DATE_OK ? 0 : -1;
}

/* "today", "today+N", "today-N" (*rel = 1, *n the offset) or a date (*rel
 * = 0, *n the day number). */
static int parse_date_spec(const char *s, int *rel, long long *n)
{
	int64_t days;

	if (!strncmp(s, "today", 5)) {
		const char *p = s + 5;
		long long off = 0;
		int sign = 1, digits = 0;

		if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			p++;
			for (; is_digit((unsigned char)*p); p++, digits++) {
				off = off * 10 + (*p - '0');
				if (off > FORM_DAYS_MAX)
					return -1;
			}
			if (!digits)
				return -1;
		}
		if (*p)
			return -1;
		*rel = 1;
		*n = sign * off;
		return 0;
	}
	if (parse_date(s, &days))
		return -1;
	*rel = 0;
	*n = days;
	return 0;
}

/* The day relative dates count from: the day the answers were given (a
 * back-dated visit's date), else today. */
static int64_t base_days(const struct form_answers *a)
{
	int64_t d;

	if (a && a->day[0] && !parse_date(a->day, &d))
		return d;
	return date_today();
}

static long long bound_days(const struct bound *b, int64_t today)
{
	return b->today ? today + b->n : b->n;
}

/* ---- expressions ---- */

static void expr_free(struct expr *e)
{
	if (!e)
		return;
	expr_free(e->l);
	expr_free(e->r);
	free(e->value);
	free(e);
}

static struct expr *expr_new(enum expr_kind kind, struct expr *l,
			     struct expr *r)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	e->l = l;
	e->r = r;
	return e;
}

/* Whether the comma-separated list v holds code (blanks around items are
 * ignored). */
static int list_has(const char *v, const char *code)
{
	size_t clen = strlen(code);

	while (*v) {
		const char *end = strchr(v, ',');
		const char *b, *e;

		if (!end)
			end = v + strlen(v);
		b = v;
		e = end;
		while (b < e && is_blank((unsigned char)*b))
			b++;
		while (e > b && is_blank((unsigned char)e[-1]))
			e--;
		if ((size_t)(e - b) == clen && !memcmp(b, code, clen))
			return 1;
		v = *end ? end + 1 : end;
	}
	return 0;
}

/* Whether every item of a is in b. */
static int list_within(const char *a, const char *b)
{
	struct strbuf item = STRBUF_INIT;
	int ok = 1;

	while (*a && ok) {
		const char *end = strchr(a, ',');
		char *t;

		if (!end)
			end = a + strlen(a);
		strbuf_reset(&item);
		strbuf_add(&item, a, (size_t)(end - a));
		t = trim(item.buf);
		if (*t && !list_has(b, t))
			ok = 0;
		a = *end ? end + 1 : end;
	}
	strbuf_release(&item);
	return ok;
}

/* A value of a number or date field as a number; 0 when it is not one. */
static int to_number(const struct field *fd, const char *v, int64_t today,
		     double *out)
{
	if (fd->type == FORM_DATE) {
		int rel;
		long long n;

		if (parse_date_spec(v, &rel, &n))
			return 0;
		*out = (double)(rel ? today + n : n);
		return 1;
	}
	return parse_dec(v, out, NULL) == 0;
}

static int value_equal(const struct field *fd, const char *v,
		       const char *lit, int64_t today)
{
	double a, b;

	if (!*v || !*lit)
		return !*v && !*lit;
	switch (fd->type) {
	case FORM_INTEGER:
	case FORM_DECIMAL:
	case FORM_DATE:
		if (to_number(fd, v, today, &a) && to_number(fd, lit, today, &b))
			return a == b;
		return !strcmp(v, lit);
	case FORM_MULTI:
		return list_within(v, lit) && list_within(lit, v);
	default:
		return !strcmp(v, lit);
	}
}

static int cond_holds(const struct field *fd, enum op op, const char *lit,
		      const char *v, int64_t today)
{
	double a, b;

	switch (op) {
	case OP_HAS:
		return list_has(v, lit);
	case OP_EQ:
		return value_equal(fd, v, lit, today);
	case OP_NE:
		return !value_equal(fd, v, lit, today);
	default:
		break;
	}
	if (!to_number(fd, v, today, &a) || !to_number(fd, lit, today, &b))
		return 0;
	switch (op) {
	case OP_LT: return a < b;
	case OP_GT: return a > b;
	case OP_LE: return a <= b;
	case OP_GE: return a >= b;
	default: return 0;
	}
}

static int expr_eval(const struct form *f, const struct expr *e,
		     const char *const *vals, int64_t today)
{
	switch (e->kind) {
	case EX_AND:
		return expr_eval(f, e->l, vals, today) &&
		       expr_eval(f, e->r, vals, today);
	case EX_OR:
		return expr_eval(f, e->l, vals, today) ||
		       expr_eval(f, e->r, vals, today);
	case EX_NOT:
		return !expr_eval(f, e->l, vals, today);
	case EX_COND:
		return cond_holds(&f->fields[e->field], e->op, e->value,
				  vals[e->field], today);
	}
	return 0;
}

/* The effective answers of the first upto fields: vis[i] says whether
 * field i is shown; vals[i] is its answer, or "" when hidden or empty. */
struct effective {
	const char **vals;
	char *vis;
	int64_t today;
};

static void effective_compute(const struct form *f,
			      const struct form_answers *a, size_t upto,
			      struct effective *ev)
{
	size_t i;

	ev->vals = xcalloc(f->nr_fields, sizeof(*ev->vals));
	ev->vis = xcalloc(f->nr_fields, 1);
	ev->today = base_days(a);
	if (upto > f->nr_fields)
		upto = f->nr_fields;
	for (i = 0; i < f->nr_fields; i++)
		ev->vals[i] = "";
	for (i = 0; i < upto; i++) {
		const struct field *fd = &f->fields[i];
		const char *v;

		ev->vis[i] = !fd->show_if ||
			     expr_eval(f, fd->show_if, ev->vals, ev->today);
		v = ev->vis[i] ? form_answers_get(a, fd->id) : NULL;
		ev->vals[i] = v ? v : "";
	}
}

static void effective_release(struct effective *ev)
{
	free(ev->vals);
	free(ev->vis);
}

/* ---- loading ---- */

enum section { S_HEAD, S_FIELD, S_CHOICES, S_RISK, S_FOLLOWUP };

struct loader {
	struct form *f;
	const char *path;
	unsigned line;
	enum section sec;
	struct gq_err *err;
};

/* "PATH:LINE: reason" as GQ_EINVAL. */
__attribute__((format(printf, 3, 4)))
static enum gq_status lerr(struct loader *l, unsigned line, const char *fmt,
			   ...)
{
	char reason[GQ_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return gq_err_set(l->err, GQ_EINVAL, "%s:%u: %s", l->path, line,
			  reason);
}

static int field_lookup(const struct form *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nr_fields; i++)
		if (!strcmp(f->fields[i].id, id))
			return (int)i;
	return -1;
}

static int choice_lookup(const struct field *fd, const char *code)
{
	size_t i;

	for (i = 0; i < fd->nr_choices; i++)
		if (!strcmp(fd->choices[i].code, code))
			return (int)i;
	return -1;
}

/* The choice whose code, Chinese label or English label is text: a
 * worker may type what the screen shows. */
static int choice_by_text(const struct field *fd, const char *text)
{
	size_t i;
	int k;

	for (i = 0; i < fd->nr_choices; i++) {
		if (!strcmp(fd->choices[i].code, text))
			return (int)i;
		for (k = 0; k < 2; k++)
			if (fd->choices[i].label[k] && !strcmp(fd->choices[i].label[k], text))
				return (int)i;
	}
	return -1;
}

/* yes or no, as a code, from what a worker may type. */
static const char *yesno_of(const char *text)
{
	static const char *const yes[] = { "yes", "Yes", "YES", "y", "Y", "是", "有", "1", NULL };
	static const char *const no[] = { "no", "No", "NO", "n", "N", "否", "无", "没有", "0", NULL };
	int i;

	for (i = 0; yes[i]; i++)
		if (!strcmp(text, yes[i]))
			return "yes";
	for (i = 0; no[i]; i++)
		if (!strcmp(text, no[i]))
			return "no";
	return NULL;
}

static int level_lookup(const char *s)
{
	int i;

	for (i = 0; i < LV_COUNT; i++)
		if (!strcmp(level_names[i], s))
			return i;
	return -1;
}

static enum gq_status parse_section(struct loader *l, char *s)
{
	struct form *f = l->f;
	size_t n = strlen(s);
	char *word, *rest;

	if (s[n - 1] != ']')
		return lerr(l, l->line,
			    _("A section line must end with \"]\", as in [field ID]."));
	s[n - 1] = '\0';
	word = trim(s + 1);
	rest = word + strcspn(word, " \t");
	if (*rest)
		*rest++ = '\0';
	rest = trim(rest);

	if (!strcmp(word, "field")) {
		struct field *fd;
		int prev;

		if (!*rest)
			return lerr(l, l->line,
				    _("A [field] section needs the field's id, as in [field guardian_present]."));
		if (!valid_id(rest) || is_keyword(rest))
			return lerr(l, l->line,
				    _("\"%s\" is not a valid field id: use lowercase letters a-z, digits and \"_\", starting with a letter (not and, or, not, has)."),
				    rest);
		prev = field_lookup(f, rest);
		if (prev >= 0)
			return lerr(l, l->line,
				    _("The field \"%s\" is defined twice (first on line %u)."),
				    rest, f->fields[prev].line);
		if (f->nr_fields >= FORM_FIELDS_MAX)
			return lerr(l, l->line,
				    _("A form may have at most %d fields."),
				    FORM_FIELDS_MAX);
		f->fields = grow(f->fields, f->nr_fields, &f->alloc_fields,
				 sizeof(*f->fields));
		fd = &f->fields[f->nr_fields++];
		memset(fd, 0, sizeof(*fd));
		fd->id = xstrdup(rest);
		fd->line = l->line;
		fd->decimals = -1;
		l->sec = S_FIELD;
		return GQ_OK;
	}
	if (strcmp(word, "choices") && strcmp(word, "risk") &&
	    strcmp(word, "followup")) {
		if (*rest)
			return lerr(l, l->line,
				    _("[%s %s] is not a known section: the sections are [field ID], [choices], [risk] and [followup]."),
				    word, rest);
		return lerr(l, l->line,
			    _("[%s] is not a known section: the sections are [field ID], [choices], [risk] and [followup]."),
			    word);
	}
	if (*rest)
		return lerr(l, l->line,
			    _("The section [%s] takes no name after it."), word);
	if (!strcmp(word, "choices")) {
		struct field *fd;

		if (l->sec != S_FIELD)
			return lerr(l, l->line,
				    _("A [choices] section must come right after the [field] section it belongs to."));
		fd = &f->fields[f->nr_fields - 1];
		fd->choices_line = l->line;
		l->sec = S_CHOICES;
		return GQ_OK;
	}
	if (!strcmp(word, "risk")) {
		if (f->has_risk)
			return lerr(l, l->line,
				    _("There is already a [risk] section (line %u)."),
				    f->risk_line);
		f->has_risk = 1;
		f->risk_line = l->line;
		l->sec = S_RISK;
		return GQ_OK;
	}
	if (!strcmp(word, "followup")) {
		if (f->has_followup)
			return lerr(l, l->line,
				    _("There is already a [followup] section (line %u)."),
				    f->followup_line);
		f->has_followup = 1;
		f->followup_line = l->line;
		l->sec = S_FOLLOWUP;
		return GQ_OK;
	}
	return GQ_OK;
}

static enum gq_status parse_choice(struct loader *l, const char *code,
				   char *val)
{
	struct field *fd = &l->f->fields[l->f->nr_fields - 1];
	struct choice *c;
	char *bar, *zh, *en = NULL;
	int i;

	for (i = 0; i < K_COUNT; i++)
		if (!strcmp(code, fkey_names[i]))
			return lerr(l, l->line,
				    _("\"%s\" looks like a field key: the keys of field \"%s\" must come before its [choices] section."),
				    code, fd->id);
	if (!valid_code(code))
		return lerr(l, l->line,
			    _("\"%s\" is not a valid choice code: use lowercase letters a-z, digits and \"_\"."),
			    code);
	if (choice_lookup(fd, code) >= 0)
		return lerr(l, l->line,
			    _("The choice \"%s\" of field \"%s\" is listed twice."),
			    code, fd->id);
	if (fd->nr_choices >= FORM_CHOICES_MAX)
		return lerr(l, l->line, _("A field may have at most %d choices."),
			    FORM_CHOICES_MAX);
	bar = strchr(val, '|');
	if (bar) {
		*bar = '\0';
		en = trim(bar + 1);
		if (strchr(en, '|'))
			return lerr(l, l->line,
				    _("A choice line is \"code = Chinese label | English label\", with one \"|\" only."));
		if (!*en)
			en = NULL;
	}
	zh = trim(val);
	if (!*zh)
		return lerr(l, l->line,
			    _("The choice \"%s\" has no label: write \"%s = 中文 | English\"."),
			    code, code);
	fd->choices = grow(fd->choices, fd->nr_choices, &fd->alloc_choices,
			   sizeof(*fd->choices));
	c = &fd->choices[fd->nr_choices++];
	c->code = xstrdup(code);
	c->label[0] = xstrdup(zh);
	c->label[1] = en ? xstrdup(en) : NULL;
	return GQ_OK;
}

/* Days for [followup]: a whole number from 0 to FORM_DAYS_MAX. */
static enum gq_status parse_days(struct loader *l, const char *key,
				 const char *val, int *out)
{
	long long n;

	if (parse_int(val, &n) || n < 0 || n > FORM_DAYS_MAX)
		return lerr(l, l->line,
			    _("In [followup], %s = %s is not a number of days from 0 to %d."),
			    key, val, FORM_DAYS_MAX);
	*out = (int)n;
	return GQ_OK;
}

static enum gq_status parse_keyval(struct loader *l, const char *key,
				   char *val)
{
	struct form *f = l->f;
	int i;

	switch (l->sec) {
	case S_HEAD:
		for (i = 0; i < H_COUNT; i++)
			if (!strcmp(key, hkey_names[i]))
				break;
		if (i == H_COUNT)
			return lerr(l, l->line,
				    _("The key \"%s\" is not known before the first section: the header keys are form, version, title, title.en and applies_to."),
				    key);
		if (f->head[i])
			return lerr(l, l->line,
				    _("The key \"%s\" is given twice (first on line %u)."),
				    key, f->hline[i]);
		if (!*val)
			return lerr(l, l->line,
				    _("The key \"%s\" has no value after \"=\"."),
				    key);
		f->head[i] = xstrdup(val);
		f->hline[i] = l->line;
		return GQ_OK;
	case S_FIELD: {
		struct field *fd = &f->fields[f->nr_fields - 1];

		for (i = 0; i < K_COUNT; i++)
			if (!strcmp(key, fkey_names[i]))
				break;
		if (i == K_COUNT)
			return lerr(l, l->line,
				    _("Field \"%s\": \"%s\" is not a field key (see doc/forms.md for the list)."),
				    fd->id, key);
		if (fd->val[i])
			return lerr(l, l->line,
				    _("Field \"%s\": the key \"%s\" is given twice (first on line %u)."),
				    fd->id, key, fd->vline[i]);
		if (!*val)
			return lerr(l, l->line,
				    _("Field \"%s\": the key \"%s\" has no value after \"=\"."),
				    fd->id, key);
		fd->val[i] = xstrdup(val);
		fd->vline[i] = l->line;
		return GQ_OK;
	}
	case S_CHOICES:
		return parse_choice(l, key, val);
	case S_RISK: {
		struct rule *r;
		int lv;

		if (!*val)
			return lerr(l, l->line,
				    _("In [risk], \"%s\" has no value after \"=\"."),
				    key);
		if (!strcmp(key, "default")) {
			if (f->risk_default_line)
				return lerr(l, l->line,
					    _("In [risk], default is given twice (first on line %u)."),
					    f->risk_default_line);
			lv = level_lookup(val);
			if (lv < 0)
				return lerr(l, l->line,
					    _("In [risk], \"%s\" is not a risk level: use low, medium or high."),
					    val);
			f->risk_default = (enum level)lv;
			f->risk_default_line = l->line;
			return GQ_OK;
		}
		lv = level_lookup(key);
		if (lv < 0)
			return lerr(l, l->line,
				    _("In [risk], \"%s\" is not a risk level: write high = CONDITION, medium = CONDITION, low = CONDITION or default = LEVEL."),
				    key);
		f->rules = grow(f->rules, f->nr_rules, &f->alloc_rules,
				sizeof(*f->rules));
		r = &f->rules[f->nr_rules++];
		memset(r, 0, sizeof(*r));
		r->level = (enum level)lv;
		r->text = xstrdup(val);
		r->line = l->line;
		return GQ_OK;
	}
	case S_FOLLOWUP: {
		int lv;

		if (!strcmp(key, "default")) {
			if (f->followup_default_line)
				return lerr(l, l->line,
					    _("In [followup], default is given twice (first on line %u)."),
					    f->followup_default_line);
			f->followup_default_line = l->line;
			return parse_days(l, key, val, &f->followup_default);
		}
		lv = level_lookup(key);
		if (lv < 0)
			return lerr(l, l->line,
				    _("In [followup], \"%s\" is not a risk level: write high = DAYS, medium = DAYS, low = DAYS or default = DAYS."),
				    key);
		if (f->followup_lines[lv])
			return lerr(l, l->line,
				    _("In [followup], %s is given twice (first on line %u)."),
				    key, f->followup_lines[lv]);
		f->followup_lines[lv] = l->line;
		return parse_days(l, key, val, &f->followup[lv]);
	}
	}
	return GQ_OK;
}

static enum gq_status parse_line(struct loader *l, char *s)
{
	char *eq, *key;

	s = trim(s);
	if (!*s || *s == '#')
		return GQ_OK;
	if (*s == '[')
		return parse_section(l, s);
	eq = strchr(s, '=');
	if (!eq)
		return lerr(l, l->line,
			    _("This line is neither a section such as [field ID] nor a \"key = value\" line."));
	*eq = '\0';
	key = trim(s);
	if (!*key)
		return lerr(l, l->line, _("The line has no key before \"=\"."));
	return parse_keyval(l, key, trim(eq + 1));
}

/* ---- checking a value against its field ---- */

static const char *field_label(const struct field *fd, int english)
{
	return pick(fd->val[K_LABEL], fd->val[K_LABEL_EN], english);
}

static void bound_text(const struct field *fd, const struct bound *b,
		       const char *raw, int64_t today, char *buf, size_t size)
{
	if (fd->type == FORM_DATE)
		format_day(bound_days(b, today), buf, size);
	else
		snprintf(buf, size, "%s", raw);
}

static enum gq_status check_text(const struct field *fd, const char *v,
				 int english, struct gq_err *err)
{
	const char *label = field_label(fd, english);
	const unsigned char *p;
	size_t n = utf8_chars(v);

	if (n == (size_t)-1)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\" is not valid UTF-8 text."),
				  label);
	for (p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\" contains a control character."),
					  label);
	if (fd->min_len && n < fd->min_len)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\" must be at least %zu characters long; it has %zu."),
				  label, fd->min_len, n);
	if (fd->max_len && n > fd->max_len)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\" may be at most %zu characters long; it has %zu."),
				  label, fd->max_len, n);
	if (fd->has_re && regexec(&fd->re, v, 0, NULL, 0) != 0) {
		const char *msg = pick(fd->val[K_PATTERN_MSG],
				       fd->val[K_PATTERN_MSG_EN], english);

		if (msg)
			return gq_err_set(err, GQ_EINVAL, _("Field \"%s\": %s"),
					  label, msg);
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": \"%s\" is not in the expected form."),
				  label, v);
	}
	return GQ_OK;
}

static enum gq_status check_multi(const struct field *fd, const char *v,
				  int english, struct gq_err *err)
{
	const char *label = field_label(fd, english);
	struct strbuf item = STRBUF_INIT;
	char *seen = xcalloc(fd->nr_choices, 1);
	enum gq_status rc = GQ_OK;

	while (rc == GQ_OK) {
		const char *end = strchr(v, ',');
		int c;

		if (!end)
			end = v + strlen(v);
		strbuf_reset(&item);
		strbuf_add(&item, v, (size_t)(end - v));
		if (!item.len)
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\": the list of choices has an empty item."),
					label);
		else if ((c = choice_lookup(fd, item.buf)) < 0)
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\": \"%s\" is not one of its choices."),
					label, item.buf);
		else if (seen[c])
			rc = gq_err_set(err, GQ_EINVAL,
					_("Field \"%s\": \"%s\" is chosen twice."),
					label, item.buf);
		else
			seen[c] = 1;
		if (!*end)
			break;
		v = end + 1;
	}
	free(seen);
	strbuf_release(&item);
	return rc;
}

static enum gq_status check_value(const struct field *fd, const char *v,
				  int english, int64_t today, struct gq_err *err)
{
	const char *label = field_label(fd, english);
	char lim[64];

	if (!v || !*v)
		return GQ_OK;
	switch (fd->type) {
	case FORM_TEXT:
		return check_text(fd, v, english, err);
	case FORM_INTEGER: {
		long long n;

		if (parse_int(v, &n))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": \"%s\" is not a whole number."),
					  label, v);
		if (fd->min.set && n < fd->min.n)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s is less than the smallest allowed value, %s."),
					  label, v, fd->val[K_MIN]);
		if (fd->max.set && n > fd->max.n)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s is more than the largest allowed value, %s."),
					  label, v, fd->val[K_MAX]);
		return GQ_OK;
	}
	case FORM_DECIMAL: {
		double d;
		int dec;

		if (parse_dec(v, &d, &dec))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": \"%s\" is not a number (write it like 1250 or 1250.50)."),
					  label, v);
		if (fd->decimals >= 0 && dec > fd->decimals)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s has more than %d digits after the decimal point."),
					  label, v, fd->decimals);
		if (fd->min.set && d < fd->min.d)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s is less than the smallest allowed value, %s."),
					  label, v, fd->val[K_MIN]);
		if (fd->max.set && d > fd->max.d)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s is more than the largest allowed value, %s."),
					  label, v, fd->val[K_MAX]);
		return GQ_OK;
	}
	case FORM_DATE: {
		int64_t days;

		if (parse_date(v, &days))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s is not a real calendar date written YYYY-MM-DD."),
					  label, v);
		if (fd->min.set && days < bound_days(&fd->min, today)) {
			bound_text(fd, &fd->min, fd->val[K_MIN], today, lim,
				   sizeof(lim));
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the date %s is before %s, the earliest allowed."),
					  label, v, lim);
		}
		if (fd->max.set && days > bound_days(&fd->max, today)) {
			bound_text(fd, &fd->max, fd->val[K_MAX], today, lim,
				   sizeof(lim));
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the date %s is after %s, the latest allowed."),
					  label, v, lim);
		}
		return GQ_OK;
	}
	case FORM_YESNO:
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the answer must be yes or no, not \"%s\"."),
					  label, v);
		return GQ_OK;
	case FORM_CHOICE:
		if (choice_lookup(fd, v) < 0)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": \"%s\" is not one of its choices."),
					  label, v);
		return GQ_OK;
	case FORM_MULTI:
		return check_multi(fd, v, english, err);
	default:
		return GQ_OK;
	}
}

/* ---- finishing a loaded form ---- */

static enum gq_status parse_bound(struct loader *l, struct field *fd,
				  enum fkey k, struct bound *b)
{
	const char *v = fd->val[k];

	if (!v)
		return GQ_OK;
	b->set = 1;
	switch (fd->type) {
	case FORM_INTEGER:
		if (parse_int(v, &b->n))
			return lerr(l, fd->vline[k],
				    _("Field \"%s\": %s = %s is not a whole number."),
				    fd->id, fkey_names[k], v);
		b->d = (double)b->n;
		return GQ_OK;
	case FORM_DECIMAL:
		if (parse_dec(v, &b->d, NULL))
			return lerr(l, fd->vline[k],
				    _("Field \"%s\": %s = %s is not a number."),
				    fd->id, fkey_names[k], v);
		return GQ_OK;
	case FORM_DATE:
		if (parse_date_spec(v, &b->today, &b->n))
			return lerr(l, fd->vline[k],
				    _("Field \"%s\": %s = %s is not a date: write YYYY-MM-DD, today, today+N or today-N."),
				    fd->id, fkey_names[k], v);
		b->d = (double)b->n;
		return GQ_OK;
	default:
		return GQ_OK;
	}
}

static enum gq_status parse_length(struct loader *l, struct field *fd,
				   enum fkey k, size_t *out)
{
	long long n;

	if (!fd->val[k])
		return GQ_OK;
	if (parse_int(fd->val[k], &n) || n < 1 || n > 100000)
		return lerr(l, fd->vline[k],
			    _("Field \"%s\": %s = %s is not a number of characters from 1 to 100000."),
			    fd->id, fkey_names[k], fd->val[k]);
	*out = (size_t)n;
	return GQ_OK;
}

static enum gq_status finish_field(struct loader *l, struct field *fd)
{
	enum gq_status rc;
	int i;

	if (!fd->val[K_TYPE])
		return lerr(l, fd->line,
			    _("Field \"%s\" has no type: add type = text, integer, decimal, date, yesno, choice or multi."),
			    fd->id);
	for (i = 0; i < FORM_TYPE_MAX; i++)
		if (!strcmp(fd->val[K_TYPE], type_names[i]))
			break;
	if (i == FORM_TYPE_MAX)
		return lerr(l, fd->vline[K_TYPE],
			    _("Field \"%s\": \"%s\" is not a field type: the types are text, integer, decimal, date, yesno, choice and multi."),
			    fd->id, fd->val[K_TYPE]);
	fd->type = (enum form_type)i;
	if (!fd->val[K_LABEL])
		return lerr(l, fd->line, _("Field \"%s\" has no label."),
			    fd->id);
	for (i = 0; i < K_COUNT; i++)
		if (fd->val[i] && !(fkey_types[i] & T(fd->type)))
			return lerr(l, fd->vline[i],
				    _("Field \"%s\": the key \"%s\" does not apply to a %s field."),
				    fd->id, fkey_names[i], type_names[fd->type]);
	if (fd->val[K_REQUIRED]) {
		if (!strcmp(fd->val[K_REQUIRED], "yes"))
			fd->required = 1;
		else if (strcmp(fd->val[K_REQUIRED], "no"))
			return lerr(l, fd->vline[K_REQUIRED],
				    _("Field \"%s\": required must be yes or no, not \"%s\"."),
				    fd->id, fd->val[K_REQUIRED]);
	}
	if (fd->type == FORM_CHOICE || fd->type == FORM_MULTI) {
		if (!fd->nr_choices)
			return lerr(l, fd->choices_line ? fd->choices_line : fd->line,
				    _("Field \"%s\" is a %s field but has no choices: list them in a [choices] section after it."),
				    fd->id, type_names[fd->type]);
	} else if (fd->choices_line) {
		return lerr(l, fd->choices_line,
			    _("Field \"%s\" is a %s field and cannot have choices."),
			    fd->id, type_names[fd->type]);
	}
	rc = parse_bound(l, fd, K_MIN, &fd->min);
	if (rc == GQ_OK)
		rc = parse_bound(l, fd, K_MAX, &fd->max);
	if (rc != GQ_OK)
		return rc;
	if (fd->min.set && fd->max.set && fd->min.today == fd->max.today &&
	    (fd->type == FORM_DECIMAL ? fd->min.d > fd->max.d
				      : fd->min.n > fd->max.n))
		return lerr(l, fd->vline[K_MAX],
			    _("Field \"%s\": min (%s) is greater than max (%s)."),
			    fd->id, fd->val[K_MIN], fd->val[K_MAX]);
	rc = parse_length(l, fd, K_MIN_LENGTH, &fd->min_len);
	if (rc == GQ_OK)
		rc = parse_length(l, fd, K_MAX_LENGTH, &fd->max_len);
	if (rc != GQ_OK)
		return rc;
	if (fd->min_len && fd->max_len && fd->min_len > fd->max_len)
		return lerr(l, fd->vline[K_MAX_LENGTH],
			    _("Field \"%s\": min_length (%zu) is greater than max_length (%zu)."),
			    fd->id, fd->min_len, fd->max_len);
	if (fd->val[K_DECIMALS]) {
		long long n;

		if (parse_int(fd->val[K_DECIMALS], &n) || n < 0 || n > 9)
			return lerr(l, fd->vline[K_DECIMALS],
				    _("Field \"%s\": decimals = %s is not a number of digits from 0 to 9."),
				    fd->id, fd->val[K_DECIMALS]);
		fd->decimals = (int)n;
	}
	if ((fd->val[K_PATTERN_MSG] || fd->val[K_PATTERN_MSG_EN]) &&
	    !fd->val[K_PATTERN])
		return lerr(l, fd->val[K_PATTERN_MSG] ? fd->vline[K_PATTERN_MSG]
						      : fd->vline[K_PATTERN_MSG_EN],
			    _("Field \"%s\" has a pattern message but no pattern."),
			    fd->id);
	if (fd->val[K_PATTERN]) {
		struct strbuf whole = STRBUF_INIT;
		char why[256];
		int e;

		/* First the pattern as written, so that its own mistakes
		 * (an unbalanced parenthesis) are reported, then anchored so
		 * that it must match the whole answer. */
		e = regcomp(&fd->re, fd->val[K_PATTERN], REG_EXTENDED | REG_NOSUB);
		if (e) {
			regerror(e, &fd->re, why, sizeof(why));
			return lerr(l, fd->vline[K_PATTERN],
				    _("Field \"%s\": the pattern is not a valid regular expression: %s."),
				    fd->id, why);
		}
		regfree(&fd->re);
		strbuf_addf(&whole, "^(%s)$", fd->val[K_PATTERN]);
		e = regcomp(&fd->re, whole.buf, REG_EXTENDED | REG_NOSUB);
		strbuf_release(&whole);
		if (e) {
			regerror(e, &fd->re, why, sizeof(why));
			return lerr(l, fd->vline[K_PATTERN],
				    _("Field \"%s\": the pattern is not a valid regular expression: %s."),
				    fd->id, why);
		}
		fd->has_re = 1;
	}
	return GQ_OK;
}

static enum gq_status finish_default(struct loader *l, struct field *fd)
{
	const char *v = fd->val[K_DEFAULT];
	unsigned line = fd->vline[K_DEFAULT];
	struct gq_err why;

	if (!v)
		return GQ_OK;
	if (!strcmp(v, "followup")) {
		if (fd->type != FORM_DATE)
			return lerr(l, line,
				    _("Field \"%s\": default = followup is only for date fields."),
				    fd->id);
		if (!l->f->has_followup)
			return lerr(l, line,
				    _("Field \"%s\": default = followup needs a [followup] section in the form."),
				    fd->id);
		fd->dkind = DF_FOLLOWUP;
		return GQ_OK;
	}
	if (fd->type == FORM_DATE && !strncmp(v, "today", 5)) {
		int rel;
		long long n;

		if (parse_date_spec(v, &rel, &n))
			return lerr(l, line,
				    _("Field \"%s\": the default \"%s\" is not a date: write YYYY-MM-DD, today, today+N or today-N."),
				    fd->id, v);
		if ((fd->min.set && fd->min.today && n < fd->min.n) ||
		    (fd->max.set && fd->max.today && n > fd->max.n))
			return lerr(l, line,
				    _("Field \"%s\": the default \"%s\" is outside its min and max."),
				    fd->id, v);
		fd->dkind = DF_TODAY;
		fd->doff = n;
		return GQ_OK;
	}
	if (check_value(fd, v, 1, date_today(), &why) != GQ_OK)
		return lerr(l, line,
			    _("Field \"%s\": the default \"%s\" is not a valid answer. %s"),
			    fd->id, v, why.msg);
	fd->dkind = DF_VALUE;
	return GQ_OK;
}

/* The expression parser: one condition text, with the form it refers to. */
struct xparse {
	struct loader *l;
	unsigned line;
	const char *text;
	const char *p;
	long self;		/* the field whose show_if this is, or -1 */
	enum gq_status rc;
	struct strbuf tok;
	int quoted;
};

enum tok { T_END, T_LP, T_RP, T_OP, T_WORD, T_BAD };

__attribute__((format(printf, 2, 3)))
static struct expr *xerr(struct xparse *x, const char *fmt, ...)
{
	char reason[GQ_ERR_MSG_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	x->rc = lerr(x->l, x->line, _("The condition \"%s\" is wrong: %s."),
		     x->text, reason);
	return NULL;
}

static enum tok lex(struct xparse *x, enum op *op)
{
	const char *p = x->p;

	while (is_blank((unsigned char)*p))
		p++;
	strbuf_reset(&x->tok);
	x->quoted = 0;
	x->p = p;
	switch (*p) {
	case '\0':
		return T_END;
	case '(':
		x->p = p + 1;
		return T_LP;
	case ')':
		x->p = p + 1;
		return T_RP;
	case '!':
		if (p[1] != '=')
			return T_BAD;
		*op = OP_NE;
		x->p = p + 2;
		return T_OP;
	case '<':
	case '>':
		if (p[1] == '=') {
			*op = *p == '<' ? OP_LE : OP_GE;
			x->p = p + 2;
		} else {
			*op = *p == '<' ? OP_LT : OP_GT;
			x->p = p + 1;
		}
		return T_OP;
	case '=':
		if (p[1] == '=')
			return T_BAD;
		*op = OP_EQ;
		x->p = p + 1;
		return T_OP;
	case '"':
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			strbuf_addch(&x->tok, *p);
		}
		if (!*p)
			return T_BAD;
		x->quoted = 1;
		x->p = p + 1;
		return T_WORD;
	default:
		while (*p && !is_blank((unsigned char)*p) &&
		       !strchr("()\"=!<>", *p))
			strbuf_addch(&x->tok, *p++);
		x->p = p;
		return T_WORD;
	}
}

static int word_is(struct xparse *x, enum tok t, const char *kw)
{
	return t == T_WORD && !x->quoted && !strcmp(x->tok.buf, kw);
}

/* xerr() for checks that answer yes or no: always 0. */
#define xfail(...) (xerr(__VA_ARGS__), 0)

/* Whether lit may be compared with field fd by op; a message if not. */
static int cond_check(struct xparse *x, const struct field *fd,
			       enum op op, const char *lit)
{
	double d;
	long long n;
	int rel;

	if (op == OP_HAS) {
		if (fd->type != FORM_MULTI)
			return xfail(x, _("\"has\" works only with multiple-choice fields, and \"%s\" is a %s field"),
				    fd->id, type_names[fd->type]);
		if (choice_lookup(fd, lit) < 0)
			return xfail(x, _("\"%s\" is not one of the choices of field \"%s\""),
				    lit, fd->id);
		return 1;
	}
	if (op != OP_EQ && op != OP_NE) {
		if (fd->type != FORM_INTEGER && fd->type != FORM_DECIMAL &&
		    fd->type != FORM_DATE)
			return xfail(x, _("\"%s\" is a %s field, and only numbers and dates can be compared with %s"),
				    fd->id, type_names[fd->type], op_names[op]);
	} else if (!*lit) {
		return 1;
	}
	switch (fd->type) {
	case FORM_YESNO:
		if (strcmp(lit, "yes") && strcmp(lit, "no"))
			return xfail(x, _("field \"%s\" is yes or no, not \"%s\""),
				    fd->id, lit);
		break;
	case FORM_CHOICE:
		if (choice_lookup(fd, lit) < 0)
			return xfail(x, _("\"%s\" is not one of the choices of field \"%s\""),
				    lit, fd->id);
		break;
	case FORM_MULTI: {
		struct gq_err why;

		if (check_multi(fd, lit, 1, &why) != GQ_OK)
			return xfail(x, _("\"%s\" is not a list of the choices of field \"%s\""),
				    lit, fd->id);
		break;
	}
	case FORM_INTEGER:
		if (parse_int(lit, &n))
			return xfail(x, _("\"%s\" is not a whole number, and field \"%s\" is one"),
				    lit, fd->id);
		break;
	case FORM_DECIMAL:
		if (parse_dec(lit, &d, NULL))
			return xfail(x, _("\"%s\" is not a number, and field \"%s\" is one"),
				    lit, fd->id);
		break;
	case FORM_DATE:
		if (parse_date_spec(lit, &rel, &n))
			return xfail(x, _("\"%s\" is not a date (YYYY-MM-DD, today, today+N or today-N), and field \"%s\" is one"),
				    lit, fd->id);
		break;
	default:
		break;
	}
	return 1;
}

static struct expr *parse_or(struct xparse *x);

static struct expr *parse_cond(struct xparse *x)
{
	const struct form *f = x->l->f;
	struct expr *e;
	char *name;
	enum op op = OP_EQ, scratch;
	enum tok t;
	int idx;

	lex(x, &op);
	name = xstrdup(x->tok.buf);
	idx = field_lookup(f, name);
	if (idx < 0) {
		xerr(x, _("there is no field \"%s\" in this form"), name);
		free(name);
		return NULL;
	}
	free(name);
	if (x->self >= 0 && idx == x->self)
		return xerr(x, _("a field cannot depend on its own answer"));
	if (x->self >= 0 && idx > x->self)
		return xerr(x, _("the field \"%s\" comes later in the form, and a condition may only use earlier answers"),
			    f->fields[idx].id);
	t = lex(x, &op);
	if (word_is(x, t, "has"))
		op = OP_HAS;
	else if (t != T_OP)
		return xerr(x, _("an operator (=, !=, <, >, <=, >= or has) is expected after \"%s\""),
			    f->fields[idx].id);
	t = lex(x, &scratch);
	if (t != T_WORD || (!x->quoted && (!x->tok.len || is_keyword(x->tok.buf))))
		return xerr(x, _("a value is expected after \"%s %s\""),
			    f->fields[idx].id, op_names[op]);
	if (!cond_check(x, &f->fields[idx], op, x->tok.buf))
		return NULL;
	e = expr_new(EX_COND, NULL, NULL);
	e->field = (size_t)idx;
	e->op = op;
	e->value = xstrdup(x->tok.buf);
	return e;
}

static struct expr *parse_unary(struct xparse *x)
{
	const char *save = x->p;
	struct expr *e;
	enum op op;
	enum tok t = lex(x, &op);

	if (t == T_LP) {
		e = parse_or(x);
		if (!e)
			return NULL;
		if (lex(x, &op) != T_RP) {
			expr_free(e);
			return xerr(x, _("a closing parenthesis \")\" is missing"));
		}
		return e;
	}
	if (word_is(x, t, "not")) {
		e = parse_unary(x);
		return e ? expr_new(EX_NOT, e, NULL) : NULL;
	}
	if (t == T_WORD && !x->quoted && x->tok.len && !is_keyword(x->tok.buf)) {
		x->p = save;
		return parse_cond(x);
	}
	if (t == T_END)
		return xerr(x, _("a field name is missing at the end"));
	while (is_blank((unsigned char)*save))
		save++;
	return xerr(x, _("a field name is expected at \"%s\""), save);
}

static struct expr *parse_binary(struct xparse *x, int is_or)
{
	struct expr *e = is_or ? parse_binary(x, 0) : parse_unary(x);

	while (e) {
		const char *save = x->p;
		struct expr *r;
		enum op op;
		enum tok t = lex(x, &op);

		if (!word_is(x, t, is_or ? "or" : "and")) {
			x->p = save;
			break;
		}
		r = is_or ? parse_binary(x, 0) : parse_unary(x);
		if (!r) {
			expr_free(e);
			return NULL;
		}
		e = expr_new(is_or ? EX_OR : EX_AND, e, r);
	}
	return e;
}

static struct expr *parse_or(struct xparse *x)
{
	return parse_binary(x, 1);
}

/* Compile a condition; self is the field index for a show_if, else -1. */
static enum gq_status compile_expr(struct loader *l, unsigned line,
				   const char *text, long self,
				   struct expr **out)
{
	struct xparse x = { l, line, text, text, self, GQ_OK, STRBUF_INIT, 0 };
	struct expr *e;
	enum op op;

	*out = NULL;
	e = parse_or(&x);
	if (e) {
		const char *save = x.p;

		if (lex(&x, &op) != T_END) {
			while (is_blank((unsigned char)*save))
				save++;
			expr_free(e);
			e = xerr(&x, _("\"%s\" is not expected here (join conditions with and, or)"),
				 save);
		}
	}
	strbuf_release(&x.tok);
	*out = e;
	return e ? GQ_OK : x.rc;
}

/* "form = X" must agree with a file named X.form, so that form_find()
 * finds each form under one name only. */
static enum gq_status check_file_name(struct loader *l)
{
	const char *base = strrchr(l->path, '/');
	size_t n;

	base = base ? base + 1 : l->path;
	n = strlen(base);
	if (n <= 5 || strcmp(base + n - 5, ".form"))
		return GQ_OK;
	if (strlen(l->f->head[H_FORM]) != n - 5 ||
	    strncmp(base, l->f->head[H_FORM], n - 5))
		return lerr(l, l->f->hline[H_FORM],
			    _("The form is called \"%s\" but its file is named %s: name the file %s.form."),
			    l->f->head[H_FORM], base, l->f->head[H_FORM]);
	return GQ_OK;
}

static enum gq_status finish_form(struct loader *l)
{
	struct form *f = l->f;
	enum gq_status rc;
	long long n;
	size_t i;

	if (!f->head[H_FORM])
		return lerr(l, 1, _("The form has no \"form = ID\" line in its header."));
	if (!valid_id(f->head[H_FORM]))
		return lerr(l, f->hline[H_FORM],
			    _("\"%s\" is not a valid form id: use lowercase letters a-z, digits and \"_\", starting with a letter."),
			    f->head[H_FORM]);
	rc = check_file_name(l);
	if (rc != GQ_OK)
		return rc;
	if (!f->head[H_VERSION])
		return lerr(l, 1, _("The form has no \"version = N\" line in its header."));
	if (parse_int(f->head[H_VERSION], &n) || n < 1 || n > 1000000)
		return lerr(l, f->hline[H_VERSION],
			    _("version = %s is not a whole number from 1 up."),
			    f->head[H_VERSION]);
	f->version = (int)n;
	if (!f->head[H_TITLE])
		return lerr(l, 1, _("The form has no \"title = ...\" line in its header."));
	if (f->head[H_APPLIES_TO]) {
		char *list = xstrdup(f->head[H_APPLIES_TO]), *tok, *save = NULL;

		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			char *t = trim(tok);

			if (!valid_id(t)) {
				rc = lerr(l, f->hline[H_APPLIES_TO],
					  _("\"%s\" in applies_to is not a category code: use lowercase letters a-z, digits and \"_\", separated by commas."),
					  t);
				break;
			}
			f->applies = xrealloc(f->applies, (f->nr_applies + 1) *
						  sizeof(*f->applies));
			f->applies[f->nr_applies++] = xstrdup(t);
		}
		free(list);
		if (rc != GQ_OK)
			return rc;
	}
	if (!f->nr_fields)
		return lerr(l, l->line ? l->line : 1,
			    _("The form has no fields: add [field ID] sections."));
	for (i = 0; i < f->nr_fields && rc == GQ_OK; i++)
		rc = finish_field(l, &f->fields[i]);
	for (i = 0; i < f->nr_fields && rc == GQ_OK; i++)
		if (f->fields[i].val[K_SHOW_IF])
			rc = compile_expr(l, f->fields[i].vline[K_SHOW_IF],
					  f->fields[i].val[K_SHOW_IF], (long)i,
					  &f->fields[i].show_if);
	for (i = 0; i < f->nr_fields && rc == GQ_OK; i++)
		rc = finish_default(l, &f->fields[i]);
	for (i = 0; i < f->nr_rules && rc == GQ_OK; i++)
		rc = compile_expr(l, f->rules[i].line, f->rules[i].text, -1,
				  &f->rules[i].expr);
	if (rc != GQ_OK)
		return rc;
	if (f->has_risk && !f->nr_rules)
		return lerr(l, f->risk_line,
			    _("The [risk] section has no rules: write high = CONDITION, medium = CONDITION, ..."));
	if (f->has_followup) {
		int any = f->followup_default_line != 0, lv;

		for (lv = 0; lv < LV_COUNT; lv++) {
			if (!f->followup_lines[lv])
				continue;
			if (!f->has_risk)
				return lerr(l, f->followup_lines[lv],
					    _("[followup] gives days for the risk level %s, but the form has no [risk] section: write default = DAYS instead."),
					    level_names[lv]);
			any = 1;
		}
		if (!any)
			return lerr(l, f->followup_line,
				    _("The [followup] section gives no days."));
	}
	return GQ_OK;
}

static void field_release(struct field *fd)
{
	size_t i;

	free(fd->id);
	for (i = 0; i < K_COUNT; i++)
		free(fd->val[i]);
	for (i = 0; i < fd->nr_choices; i++) {
		free(fd->choices[i].code);
		free(fd->choices[i].label[0]);
		free(fd->choices[i].label[1]);
	}
	free(fd->choices);
	if (fd->has_re)
		regfree(&fd->re);
	expr_free(fd->show_if);
}

void form_free(struct form **fp)
{
	struct form *f;
	size_t i;

	if (!fp || !*fp)
		return;
	f = *fp;
	free(f->path);
	for (i = 0; i < H_COUNT; i++)
		free(f->head[i]);
	for (i = 0; i < f->nr_applies; i++)
		free(f->applies[i]);
	free(f->applies);
	for (i = 0; i < f->nr_fields; i++)
		field_release(&f->fields[i]);
	free(f->fields);
	for (i = 0; i < f->nr_rules; i++) {
		free(f->rules[i].text);
		expr_free(f->rules[i].expr);
	}
	free(f->rules);
	free(f);
	*fp = NULL;
}

/* Read a form from fp, named path in messages. Closes nothing. */
static enum gq_status load_stream(FILE *fp, const char *path, struct form **out,
				  struct gq_err *err)
{
	struct loader l = { NULL, path, 0, S_HEAD, err };
	enum gq_status rc = GQ_OK;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	l.f = xcalloc(1, sizeof(*l.f));
	l.f->path = xstrdup(path);
	l.f->followup_default = -1;
	while (rc == GQ_OK && (len = getline(&line, &cap, fp)) >= 0) {
		char *s = line;
		uint32_t cp;
		size_t i, n;

		l.line++;
		if (len > 0 && s[len - 1] == '\n')
			s[--len] = '\0';
		if (len > 0 && s[len - 1] == '\r')
			s[--len] = '\0';
		/* Windows Notepad starts UTF-8 files with a byte-order mark. */
		if (l.line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3)) {
			s += 3;
			len -= 3;
		}
		if ((size_t)len != strlen(s)) {
			rc = lerr(&l, l.line, _("The line contains a NUL byte: is this a text file?"));
			break;
		}
		if (len > FORM_LINE_MAX) {
			rc = lerr(&l, l.line, _("The line is longer than %d bytes."),
				  FORM_LINE_MAX);
			break;
		}
		for (i = 0; s[i]; i += n) {
			n = text_decode_strict(s + i, SIZE_MAX, &cp);
			if (!n)
				break;
		}
		if (s[i]) {
			rc = lerr(&l, l.line,
				  _("The line is not valid UTF-8 text: save the file in UTF-8."));
			break;
		}
		rc = parse_line(&l, s);
	}
	if (rc == GQ_OK && ferror(fp))
		rc = gq_err_set(err, GQ_EIO, _("The form file %s cannot be read: %s."),
				path, strerror(errno));
	free(line);
	if (rc == GQ_OK)
		rc = finish_form(&l);
	if (rc != GQ_OK) {
		form_free(&l.f);
		return rc;
	}
	*out = l.f;
	return GQ_OK;
}

enum gq_status form_load(const char *path, struct form **out,
			 struct gq_err *err)
{
	enum gq_status rc;
	FILE *fp;

	if (out)
		*out = NULL;
	if (!path || !*path || !out)
		return gq_err_set(err, GQ_EINVAL, _("No form file was given."));
	fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT)
			return gq_err_set(err, GQ_ENOTFOUND,
					  _("The form file %s does not exist."),
					  path);
		return gq_err_set(err, GQ_EIO,
				  _("The form file %s cannot be read: %s."),
				  path, strerror(errno));
	}
	rc = load_stream(fp, path, out, err);
	fclose(fp);
	return rc;
}

enum gq_status form_load_text(const char *name, const char *text, size_t len,
			      struct form **out, struct gq_err *err)
{
	enum gq_status rc;
	FILE *fp;

	if (out)
		*out = NULL;
	if (!out || !name)
		return gq_err_set(err, GQ_EINVAL, _("No form file was given."));
	/* fmemopen() refuses an empty buffer: a blank form reads as one
	 * empty line. */
	fp = fmemopen((void *)(len ? text : "\n"), len ? len : 1, "r");
	if (!fp)
		return gq_err_set(err, GQ_ENOMEM, _("The form %s cannot be read: %s."),
				  name, strerror(errno));
	rc = load_stream(fp, name, out, err);
	fclose(fp);
	return rc;
}

/* ---- finding forms ---- */

const char *form_default_dir(void)
{
	return paths_forms_dir();
}

enum gq_status form_find(const char *dir, const char *id, struct form **out,
			 struct gq_err *err)
{
	struct strbuf path = STRBUF_INIT;
	enum gq_status rc;

	if (out)
		*out = NULL;
	if (!dir)
		dir = form_default_dir();
	if (!valid_id(id))
		return gq_err_set(err, GQ_ENOTFOUND,
				  _("\"%s\" is not the name of a form (forms are named with lowercase letters, digits and \"_\")."),
				  id ? id : "");
	strbuf_addf(&path, "%s/%s.form", dir, id);
	rc = form_load(path.buf, out, err);
	if (rc == GQ_ENOTFOUND)
		gq_err_set(err, rc, _("There is no form \"%s\" in %s."), id, dir);
	strbuf_release(&path);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum gq_status form_list_dir(const char *dir, struct form_list *out,
			     struct gq_err *err)
{
	struct dirent *de;
	size_t alloc = 0;
	DIR *d;

	if (!dir)
		dir = form_default_dir();
	d = opendir(dir);
	if (!d)
		return gq_err_set(err, errno == ENOENT ? GQ_ENOTFOUND : GQ_EIO,
				  _("The forms folder %s cannot be read: %s."),
				  dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *id;

		/* Editors' backups (x.form~, .#x.form) and anything not
		 * named ID.form are not forms. */
		if (n <= 5 || strcmp(de->d_name + n - 5, ".form"))
			continue;
		id = xstrdup(de->d_name);
		id[n - 5] = '\0';
		if (!valid_id(id)) {
			free(id);
			continue;
		}
		out->ids = grow(out->ids, out->nr, &alloc, sizeof(*out->ids));
		out->ids[out->nr++] = id;
	}
	closedir(d);
	if (out->nr)
		qsort(out->ids, out->nr, sizeof(*out->ids), cmp_str);
	return GQ_OK;
}

void form_list_release(struct form_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->nr; i++)
		free(list->ids[i]);
	free(list->ids);
	list->ids = NULL;
	list->nr = 0;
}

/* ---- accessors ---- */

const char *form_id(const struct form *f)
{
	return f->head[H_FORM];
}

int form_version(const struct form *f)
{
	return f->version;
}

const char *form_title(const struct form *f, int english)
{
	return pick(f->head[H_TITLE], f->head[H_TITLE_EN], english);
}

const char *form_path(const struct form *f)
{
	return f->path;
}

size_t form_applies_count(const struct form *f)
{
	return f->nr_applies;
}

const char *form_applies_to(const struct form *f, size_t i)
{
	return i < f->nr_applies ? f->applies[i] : NULL;
}

size_t form_field_count(const struct form *f)
{
	return f ? f->nr_fields : 0;
}

int form_field_index(const struct form *f, const char *id)
{
	return f && id ? field_lookup(f, id) : -1;
}

const char *form_field_id(const struct form *f, size_t i)
{
	return f->fields[i].id;
}

enum form_type form_field_type(const struct form *f, size_t i)
{
	return f->fields[i].type;
}

const char *form_field_label(const struct form *f, size_t i, int english)
{
	return field_label(&f->fields[i], english);
}

const char *form_field_help(const struct form *f, size_t i, int english)
{
	return pick(f->fields[i].val[K_HELP], f->fields[i].val[K_HELP_EN],
		    english);
}

const char *form_field_unit(const struct form *f, size_t i, int english)
{
	return pick(f->fields[i].val[K_UNIT], f->fields[i].val[K_UNIT_EN],
		    english);
}

int form_field_required(const struct form *f, size_t i)
{
	return f->fields[i].required;
}

const char *form_field_min(const struct form *f, size_t i)
{
	return f->fields[i].val[K_MIN];
}

const char *form_field_max(const struct form *f, size_t i)
{
	return f->fields[i].val[K_MAX];
}

size_t form_field_min_length(const struct form *f, size_t i)
{
	return f->fields[i].min_len;
}

size_t form_field_max_length(const struct form *f, size_t i)
{
	return f->fields[i].max_len;
}

int form_field_decimals(const struct form *f, size_t i)
{
	return f->fields[i].decimals;
}

const char *form_field_attr(const struct form *f, size_t i, const char *key)
{
	int k;

	if (!key)
		return NULL;
	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(key, fkey_names[k]))
			return f->fields[i].val[k];
	return NULL;
}

size_t form_field_choice_count(const struct form *f, size_t i)
{
	return f->fields[i].nr_choices;
}

const char *form_field_choice_code(const struct form *f, size_t i, size_t c)
{
	return c < f->fields[i].nr_choices ? f->fields[i].choices[c].code : NULL;
}

const char *form_field_choice_label(const struct form *f, size_t i, size_t c,
				    int english)
{
	const struct field *fd = &f->fields[i];

	if (c >= fd->nr_choices)
		return NULL;
	return pick(fd->choices[c].label[0], fd->choices[c].label[1], english);
}

int form_field_choice_index(const struct form *f, size_t i, const char *code)
{
	return code ? choice_lookup(&f->fields[i], code) : -1;
}

const char *form_type_name(enum form_type type)
{
	if ((int)type < 0 || type >= FORM_TYPE_MAX)
		return "?";
	return type_names[type];
}

/* ---- answers ---- */

void form_answers_init(struct form_answers *a)
{
	a->items = NULL;
	a->nr = 0;
	a->alloc = 0;
	a->day[0] = '\0';
}

void form_answers_set_day(struct form_answers *a, const char *date)
{
	int64_t d;

	a->day[0] = '\0';
	if (date && strlen(date) < sizeof(a->day) && !parse_date(date, &d))
		memcpy(a->day, date, strlen(date) + 1);
}

void form_answers_release(struct form_answers *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nr; i++) {
		free(a->items[i].id);
		free(a->items[i].value);
	}
	free(a->items);
	form_answers_init(a);
}

static long answers_find(const struct form_answers *a, const char *id)
{
	size_t i;

	for (i = 0; i < a->nr; i++)
		if (!strcmp(a->items[i].id, id))
			return (long)i;
	return -1;
}

void form_answers_set(struct form_answers *a, const char *id,
		      const char *value)
{
	long i;

	if (!a || !id)
		return;
	i = answers_find(a, id);
	if (!value) {
		if (i < 0)
			return;
		free(a->items[i].id);
		free(a->items[i].value);
		memmove(&a->items[i], &a->items[i + 1],
			(a->nr - (size_t)i - 1) * sizeof(*a->items));
		a->nr--;
		return;
	}
	if (i >= 0) {
		char *v = xstrdup(value);

		free(a->items[i].value);
		a->items[i].value = v;
		return;
	}
	a->items = grow(a->items, a->nr, &a->alloc, sizeof(*a->items));
	a->items[a->nr].id = xstrdup(id);
	a->items[a->nr].value = xstrdup(value);
	a->nr++;
}

const char *form_answers_get(const struct form_answers *a, const char *id)
{
	long i;

	if (!a || !id)
		return NULL;
	i = answers_find(a, id);
	return i < 0 ? NULL : a->items[i].value;
}

/* Multiple-choice codes in choice order, without blanks, empty items or
 * repeats; unknown codes after them in the order given. */
static void multi_canonical(const struct field *fd, const char *v,
			    struct strbuf *out)
{
	struct strbuf item = STRBUF_INIT, unknown = STRBUF_INIT;
	char *mark = xcalloc(fd->nr_choices, 1);
	size_t c;

	while (*v) {
		/* Items are parted by ",", or as typed in Chinese by "，" (not
		 * by "、", which labels themselves hold). */
		const char *end = v + strcspn(v, ",\xef");
		size_t sep = 0;
		char *t;
		int ci;

		while (*end && !(sep = *end == ',' ? 1 : !strncmp(end, "，", 3) ? 3 : 0))
			end += 1 + strcspn(end + 1, ",\xef");
		strbuf_reset(&item);
		strbuf_add(&item, v, (size_t)(end - v));
		t = trim(item.buf);
		if (*t) {
			ci = choice_by_text(fd, t);
			if (ci >= 0) {
				mark[ci] = 1;
			} else if (!list_has(unknown.buf, t)) {
				if (unknown.len)
					strbuf_addch(&unknown, ',');
				strbuf_addstr(&unknown, t);
			}
		}
		v = *end ? end + sep : end;
	}
	for (c = 0; c < fd->nr_choices; c++) {
		if (!mark[c])
			continue;
		if (out->len)
			strbuf_addch(out, ',');
		strbuf_addstr(out, fd->choices[c].code);
	}
	if (unknown.len) {
		if (out->len)
			strbuf_addch(out, ',');
		strbuf_addstr(out, unknown.buf);
	}
	free(mark);
	strbuf_release(&item);
	strbuf_release(&unknown);
}

void form_answers_normalize(const struct form *f, struct form_answers *a)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nr; i++) {
		int idx = f ? field_lookup(f, a->items[i].id) : -1;
		char *t;

		strbuf_reset(&sb);
		if (idx >= 0 && f->fields[idx].type == FORM_MULTI) {
			multi_canonical(&f->fields[idx], a->items[i].value, &sb);
		} else {
			strbuf_addstr(&sb, a->items[i].value);
			t = trim(sb.buf);
			memmove(sb.buf, t, strlen(t) + 1);
			sb.len = strlen(sb.buf);
			/* A choice or yes/no given by its label becomes its code. */
			if (idx >= 0 && f->fields[idx].type == FORM_CHOICE && sb.len) {
				int ci = choice_by_text(&f->fields[idx], sb.buf);

				if (ci >= 0) {
					strbuf_reset(&sb);
					strbuf_addstr(&sb, f->fields[idx].choices[ci].code);
				}
			} else if (idx >= 0 && f->fields[idx].type == FORM_YESNO && yesno_of(sb.buf)) {
				const char *code = yesno_of(sb.buf);

				strbuf_reset(&sb);
				strbuf_addstr(&sb, code);
			}
		}
		free(a->items[i].value);
		a->items[i].value = strbuf_detach(&sb, NULL);
	}
	strbuf_release(&sb);
}

void form_answers_prune(const struct form *f, struct form_answers *a)
{
	struct effective ev;
	size_t i = 0;

	if (!f || !a)
		return;
	effective_compute(f, a, f->nr_fields, &ev);
	while (i < a->nr) {
		int idx = field_lookup(f, a->items[i].id);

		if (!*a->items[i].value || (idx >= 0 && !ev.vis[idx]))
			form_answers_set(a, a->items[i].id, NULL);
		else
			i++;
	}
	effective_release(&ev);
}

/* ---- checking ---- */

int form_field_visible(const struct form *f, const struct form_answers *a,
		       size_t idx)
{
	struct effective ev;
	int vis;

	if (!f || idx >= f->nr_fields)
		return 0;
	effective_compute(f, a, idx + 1, &ev);
	vis = ev.vis[idx];
	effective_release(&ev);
	return vis;
}

void form_fields_visible(const struct form *f, const struct form_answers *a, char *vis)
{
	struct effective ev;

	if (!f || !f->nr_fields)
		return;
	effective_compute(f, a, f->nr_fields, &ev);
	memcpy(vis, ev.vis, f->nr_fields);
	effective_release(&ev);
}

enum gq_status form_check_value(const struct form *f, size_t idx,
				const char *value, int english,
				struct gq_err *err)
{
	if (!f || idx >= f->nr_fields)
		return gq_err_set(err, GQ_EINVAL,
				  _("The form has no field number %zu."), idx + 1);
	return check_value(&f->fields[idx], value, english, date_today(), err);
}

static enum gq_status check_one(const struct form *f,
				const struct effective *ev, size_t idx,
				int english, struct gq_err *err)
{
	const struct field *fd = &f->fields[idx];

	if (!ev->vis[idx])
		return GQ_OK;
	if (!*ev->vals[idx]) {
		if (fd->required)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\" is required."),
					  field_label(fd, english));
		return GQ_OK;
	}
	return check_value(fd, ev->vals[idx], english, ev->today, err);
}

enum gq_status form_check_field(const struct form *f,
				const struct form_answers *a, size_t idx,
				int english, struct gq_err *err)
{
	struct effective ev;
	enum gq_status rc;

	if (!f || idx >= f->nr_fields)
		return gq_err_set(err, GQ_EINVAL,
				  _("The form has no field number %zu."), idx + 1);
	effective_compute(f, a, idx + 1, &ev);
	rc = check_one(f, &ev, idx, english, err);
	effective_release(&ev);
	return rc;
}

enum gq_status form_check(const struct form *f, const struct form_answers *a,
			  int english, struct gq_err *err)
{
	struct effective ev;
	struct strbuf missing = STRBUF_INIT;
	const char *first = NULL;
	enum gq_status rc = GQ_OK;
	int nmissing = 0;
	size_t i;

	if (!f)
		return gq_err_set(err, GQ_EINVAL, _("No form was given."));
	for (i = 0; a && i < a->nr; i++)
		if (field_lookup(f, a->items[i].id) < 0)
			return gq_err_set(err, GQ_EINVAL,
					  _("The form \"%s\" has no field \"%s\"."),
					  form_id(f), a->items[i].id);
	effective_compute(f, a, f->nr_fields, &ev);
	/* Every required answer that is missing is named at once; then the
	 * first answer that is wrong. */
	for (i = 0; i < f->nr_fields; i++) {
		if (!ev.vis[i] || *ev.vals[i] || !f->fields[i].required)
			continue;
		if (!missing.len)
			first = f->fields[i].id;
		else
			strbuf_addstr(&missing, english ? ", " : "、");
		strbuf_addstr(&missing, field_label(&f->fields[i], english));
		nmissing++;
	}
	if (nmissing == 1)
		rc = gq_err_set(err, GQ_EINVAL, _("Field \"%s\" is required."), missing.buf);
	else if (nmissing)
		rc = gq_err_set(err, GQ_EINVAL, _("%d required answers are missing: %s."),
				nmissing, missing.buf);
	if (nmissing)
		gq_err_field(err, first);
	for (i = 0; i < f->nr_fields && rc == GQ_OK; i++)
		rc = check_one(f, &ev, i, english, err);
	effective_release(&ev);
	strbuf_release(&missing);
	return rc;
}

/* ---- risk, follow-up and defaults ---- */

const char *form_risk(const struct form *f, const struct form_answers *a)
{
	struct effective ev;
	int found = -1;
	size_t i;

	if (!f || !f->has_risk)
		return NULL;
	effective_compute(f, a, f->nr_fields, &ev);
	for (i = 0; i < f->nr_rules; i++)
		if ((int)f->rules[i].level > found &&
		    expr_eval(f, f->rules[i].expr, ev.vals, ev.today))
			found = (int)f->rules[i].level;
	effective_release(&ev);
	return level_names[found >= 0 ? found : (int)f->risk_default];
}

int form_followup_days(const struct form *f, const char *risk)
{
	int lv;

	if (!f || !f->has_followup)
		return -1;
	lv = risk ? level_lookup(risk) : -1;
	if (lv >= 0 && f->followup_lines[lv])
		return f->followup[lv];
	return f->followup_default;
}

int form_followup_date(const struct form *f, const char *risk, const char *from,
		       char *buf, size_t size)
{
	int days = form_followup_days(f, risk);
	int64_t base;

	if (size)
		buf[0] = '\0';
	if (days < 0)
		return -1;
	if (!from || !*from || parse_date(from, &base))
		base = date_today();
	format_day(base + days, buf, size);
	return days;
}

long form_followup_field(const struct form *f)
{
	size_t i;

	for (i = 0; f && i < f->nr_fields; i++)
		if (f->fields[i].type == FORM_DATE && f->fields[i].dkind == DF_FOLLOWUP)
			return (long)i;
	return -1;
}

int form_field_default(const struct form *f, const struct form_answers *a,
		       size_t idx, struct strbuf *out)
{
	const struct field *fd;
	char date[32];
	int days;

	strbuf_reset(out);
	if (!f || idx >= f->nr_fields)
		return 0;
	fd = &f->fields[idx];
	switch (fd->dkind) {
	case DF_VALUE:
		strbuf_addstr(out, fd->val[K_DEFAULT]);
		return 1;
	case DF_TODAY:
		format_day(base_days(a) + fd->doff, date, sizeof(date));
		strbuf_addstr(out, date);
		return 1;
	case DF_FOLLOWUP:
		days = form_followup_date(f, form_risk(f, a), a ? a->day : NULL, date, sizeof(date));
		if (days < 0)
			return 0;
		strbuf_addstr(out, date);
		return 1;
	default:
		return 0;
	}
}

size_t form_apply_defaults(const struct form *f, struct form_answers *a)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = 0;

	if (!f || !a)
		return 0;
	for (i = 0; i < f->nr_fields; i++) {
		const char *v = form_answers_get(a, f->fields[i].id);

		if ((v && *v) || f->fields[i].dkind == DF_NONE ||
		    !form_field_visible(f, a, i))
			continue;
		if (form_field_default(f, a, i, &sb)) {
			form_answers_set(a, f->fields[i].id, sb.buf);
			n++;
		}
	}
	strbuf_release(&sb);
	return n;
}

/* ---- JSON ---- */

void form_answers_to_json(const struct form *f, const struct form_answers *a,
			  struct strbuf *out)
{
	struct strbuf canon = STRBUF_INIT;
	int first = 1;
	size_t i;

	strbuf_addch(out, '{');
	if (!f) {
		for (i = 0; a && i < a->nr; i++) {
			if (!*a->items[i].value)
				continue;
			if (!first)
				strbuf_addch(out, ',');
			first = 0;
			strbuf_add_json_str(out, a->items[i].id);
			strbuf_addch(out, ':');
			strbuf_add_json_str(out, a->items[i].value);
		}
	} else {
		struct effective ev;

		effective_compute(f, a, f->nr_fields, &ev);
		for (i = 0; i < f->nr_fields; i++) {
			const struct field *fd = &f->fields[i];
			const char *v = ev.vals[i];

			if (!ev.vis[i] || !*v)
				continue;
			if (fd->type == FORM_MULTI) {
				strbuf_reset(&canon);
				multi_canonical(fd, v, &canon);
				v = canon.buf;
			}
			if (!first)
				strbuf_addch(out, ',');
			first = 0;
			strbuf_add_json_str(out, fd->id);
			strbuf_addch(out, ':');
			strbuf_add_json_str(out, v);
		}
		effective_release(&ev);
	}
	strbuf_addch(out, '}');
	strbuf_release(&canon);
}

struct jparse {
	const unsigned char *s;
	size_t i;
	struct gq_err *err;
};

__attribute__((format(printf, 2, 3)))
static enum gq_status jerr(struct jparse *j, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return gq_err_set(j->err, GQ_ECORRUPT,
			  _("The stored answers are not valid JSON: at byte %zu, %s."),
			  j->i, reason);
}

static void jskip(struct jparse *j)
{
	while (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	       j->s[j->i] == '\n' || j->s[j->i] == '\r')
		j->i++;
}

static enum gq_status jstring(struct jparse *j, struct strbuf *out)
{
	strbuf_reset(out);
	if (j->s[j->i] != '"')
		return jerr(j, _("a string in double quotes is expected"));
	j->i++;
	for (;;) {
		unsigned char c = j->s[j->i];
		enum text_json_bad bad = 0;
		uint32_t cp;
		size_t n;

		if (c == '"') {
			j->i++;
			return GQ_OK;
		}
		if (c == '\0')
			return jerr(j, _("the text ends inside a string"));
		if (c < 0x20)
			return jerr(j, _("a control character must be written as an escape"));
		if (c != '\\') {
			n = text_decode_strict((const char *)j->s + j->i,
					       SIZE_MAX, &cp);
			if (!n)
				return jerr(j, _("the text is not valid UTF-8"));
			strbuf_add(out, j->s + j->i, n);
			j->i += n;
			continue;
		}
		n = text_json_escape((const char *)j->s + j->i,
				     (const char *)j->s + j->i + strnlen((const char *)j->s + j->i, 12),
				     out, &bad, &cp);
		switch (n ? 0 : bad) {
		case 0:
			break;
		case TEXT_JSON_HEX:
			return jerr(j, _("\\u must be followed by four hexadecimal digits"));
		case TEXT_JSON_NUL:
			return jerr(j, _("\\u0000 is not allowed"));
		case TEXT_JSON_LOW:
			return jerr(j, _("a low surrogate \\u%04X has no high surrogate before it"),
				    (unsigned)cp);
		case TEXT_JSON_HIGH:
			return jerr(j, _("a high surrogate \\u%04X has no low surrogate after it"),
				    (unsigned)cp);
		default:
			return jerr(j, _("\"\\%c\" is not a JSON escape"),
				    cp >= 0x20 && cp < 0x7F ? (char)cp : '?');
		}
		j->i += n;
	}
}

enum gq_status form_answers_from_json(const char *text,
				      struct form_answers *out,
				      struct gq_err *err)
{
	struct jparse j = { (const unsigned char *)text, 0, err };
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	enum gq_status rc = GQ_OK;

	form_answers_release(out);
	if (!text)
		return gq_err_set(err, GQ_ECORRUPT, _("There are no stored answers to read."));
	jskip(&j);
	if (j.s[j.i] != '{') {
		rc = jerr(&j, _("an object starting with \"{\" is expected"));
		goto done;
	}
	j.i++;
	jskip(&j);
	if (j.s[j.i] == '}') {
		j.i++;
	} else {
		for (;;) {
			size_t at = j.i;

			rc = jstring(&j, &key);
			if (rc != GQ_OK)
				break;
			jskip(&j);
			if (j.s[j.i] != ':') {
				rc = jerr(&j, _("\":\" is expected after a key"));
				break;
			}
			j.i++;
			jskip(&j);
			if (j.s[j.i] != '"') {
				rc = jerr(&j, _("the value of \"%s\" must be a string"),
					  key.buf);
				break;
			}
			rc = jstring(&j, &val);
			if (rc != GQ_OK)
				break;
			if (form_answers_get(out, key.buf)) {
				j.i = at;
				rc = jerr(&j, _("the key \"%s\" appears twice"),
					  key.buf);
				break;
			}
			form_answers_set(out, key.buf, val.buf);
			jskip(&j);
			if (j.s[j.i] == ',') {
				j.i++;
				jskip(&j);
				continue;
			}
			if (j.s[j.i] == '}') {
				j.i++;
				break;
			}
			rc = jerr(&j, _("\",\" or \"}\" is expected"));
			break;
		}
	}
	if (rc == GQ_OK) {
		jskip(&j);
		if (j.s[j.i])
			rc = jerr(&j, _("there is more text after the object"));
	}
done:
	strbuf_release(&key);
	strbuf_release(&val);
	if (rc != GQ_OK)
		form_answers_release(out);
	return rc;
}

/* ---- description ---- */

static void describe_bounds(const struct field *fd, struct strbuf *out)
{
	if (fd->val[K_MIN] || fd->val[K_MAX]) {
		strbuf_addstr(out, "    ");
		if (fd->val[K_MIN])
			strbuf_addf(out, _("min %s"), fd->val[K_MIN]);
		if (fd->val[K_MIN] && fd->val[K_MAX])
			strbuf_addstr(out, ", ");
		if (fd->val[K_MAX])
			strbuf_addf(out, _("max %s"), fd->val[K_MAX]);
		strbuf_addch(out, '\n');
	}
	if (fd->min_len || fd->max_len) {
		strbuf_addstr(out, "    ");
		if (fd->min_len)
			strbuf_addf(out, _("at least %zu characters"), fd->min_len);
		if (fd->min_len && fd->max_len)
			strbuf_addstr(out, ", ");
		if (fd->max_len)
			strbuf_addf(out, _("at most %zu characters"), fd->max_len);
		strbuf_addch(out, '\n');
	}
}

void form_describe(const struct form *f, int english, struct strbuf *out)
{
	size_t i, c;
	int lv;

	if (!f)
		return;
	strbuf_addf(out, _("%s (version %d): %s\n"), form_id(f), f->version,
		    form_title(f, english));
	if (f->nr_applies) {
		strbuf_addstr(out, _("For:"));
		for (i = 0; i < f->nr_applies; i++)
			strbuf_addf(out, "%s%s", i ? ", " : " ", f->applies[i]);
		strbuf_addch(out, '\n');
	}
	for (i = 0; i < f->nr_fields; i++) {
		const struct field *fd = &f->fields[i];

		strbuf_addf(out, "%2zu. %s  %s [%s%s]\n", i + 1, fd->id,
			    field_label(fd, english), type_names[fd->type],
			    fd->required ? _(", required") : "");
		if (fd->val[K_SHOW_IF])
			strbuf_addf(out, _("    shown if %s\n"), fd->val[K_SHOW_IF]);
		describe_bounds(fd, out);
		if (fd->val[K_PATTERN])
			strbuf_addf(out, _("    pattern %s\n"), fd->val[K_PATTERN]);
		if (fd->val[K_DEFAULT])
			strbuf_addf(out, _("    default %s\n"), fd->val[K_DEFAULT]);
		for (c = 0; c < fd->nr_choices; c++)
			strbuf_addf(out, "    - %s = %s\n", fd->choices[c].code,
				    pick(fd->choices[c].label[0],
					 fd->choices[c].label[1], english));
	}
	if (f->has_risk) {
		strbuf_addstr(out, _("Risk:\n"));
		for (lv = LV_HIGH; lv >= LV_LOW; lv--)
			for (i = 0; i < f->nr_rules; i++)
				if ((int)f->rules[i].level == lv)
					strbuf_addf(out, _("    %s if %s\n"),
						    level_names[lv],
						    f->rules[i].text);
		strbuf_addf(out, _("    otherwise %s\n"),
			    level_names[f->risk_default]);
	}
	if (f->has_followup) {
		strbuf_addstr(out, _("Next visit after (days):"));
		for (lv = LV_HIGH; lv >= LV_LOW; lv--)
			if (f->followup_lines[lv])
				strbuf_addf(out, " %s %d", level_names[lv],
					    f->followup[lv]);
		if (f->followup_default >= 0)
			strbuf_addf(out, _(" otherwise %d"), f->followup_default);
		strbuf_addch(out, '\n');
	}
}
