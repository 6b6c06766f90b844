/* validate.c - field checks shared by the command line and the screens. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/date.h"
#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"
#include "guanqing/validate.h"

/* Longest input (in bytes) that the ID and phone checks copy into their
 * work buffers. Anything longer cannot be a valid number; it is still
 * measured and refused with a precise message. */
#define WORK_MAX 256
/* How many characters of a refused value a message quotes. */
#define QUOTE_CHARS 40

static const char *field(const char *label)
{
	return label && *label ? label : _("value");
}

/* ---- UTF-8 decoding ----------------------------------------------------- */

/* Characters are decoded by text_decode_strict() (text.h): 0 for a byte
 * that is not well-formed UTF-8, which every validator refuses. */

static int is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

static int is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 ||
	       c == 0x3000;
}

/* Copy at most QUOTE_CHARS characters of the valid UTF-8 string s into buf
 * (which must hold QUOTE_CHARS * 4 + 4 bytes), with "…" when cut, so that
 * a message never carries a whole pasted page. */
#define QUOTE_SIZE (QUOTE_CHARS * 4 + 4)
static const char *quote(const char *s, char *buf)
{
	size_t i = 0, chars = 0, k;
	uint32_t c;

	while (s[i] && chars < QUOTE_CHARS) {
		k = text_decode_strict(s + i, SIZE_MAX, &c);
		i += k ? k : 1;
		chars++;
	}
	memcpy(buf, s, i);
	if (s[i])
		memcpy(buf + i, "\xE2\x80\xA6", 4);
	else
		buf[i] = '\0';
	return buf;
}

/* Check s (NUL-terminated) the way every validator does first. */
static enum gq_status check_utf8_line(const char *label, const char *s,
				      struct gq_err *err)
{
	return validate_utf8(label, s, strlen(s), 0, err);
}

enum gq_status validate_utf8(const char *label, const char *s, size_t len,
			     unsigned flags, struct gq_err *err)
{
	size_t i = 0, pos = 0, k;
	uint32_t c;

	if (!s) {
		if (len == 0)
			return GQ_OK;
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": there is no text to check."),
				  field(label));
	}
	while (i < len) {
		unsigned char b = (unsigned char)s[i];

		pos++;
		/* printable ASCII, most of a visit's answers, without decoding */
		if (b >= 0x20 && b < 0x7F) {
			i++;
			continue;
		}
		k = text_decode_strict(s + i, len - i, &c);
		if (!k)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the text is not valid UTF-8 at byte %zu (was it saved in another encoding, such as GBK?)."),
					  field(label), i + 1);
		if (is_control(c)) {
			if ((flags & VALIDATE_MULTILINE) &&
			    (c == '\n' || c == '\t')) {
				i += k;
				continue;
			}
			if (c == '\n' || c == '\r')
				return gq_err_set(err, GQ_EINVAL,
						  _("Field \"%s\" must be a single line, but character %zu is a line break."),
						  field(label), pos);
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": character %zu is a control character (U+%04X), which is not allowed here."),
					  field(label), pos, (unsigned)c);
		}
		i += k;
	}
	return GQ_OK;
}

size_t utf8_count_chars(const char *s)
{
	size_t n = 0, k;
	uint32_t c;

	if (!s)
		return 0;
	while (*s) {
		k = text_decode_strict(s, SIZE_MAX, &c);
		s += k ? k : 1;
		n++;
	}
	return n;
}

bool validate_is_blank(const char *s)
{
	size_t k;
	uint32_t c;

	if (!s)
		return true;
	while (*s) {
		k = text_decode_strict(s, SIZE_MAX, &c);
		if (!k || !is_space(c))
			return false;
		s += k;
	}
	return true;
}

static enum gq_status missing(const char *label, struct gq_err *err)
{
	return gq_err_set(err, GQ_EINVAL,
			  _("Field \"%s\" is required and is empty."),
			  field(label));
}

enum gq_status validate_required(const char *label, const char *s,
				 struct gq_err *err)
{
	if (validate_is_blank(s))
		return missing(label, err);
	return GQ_OK;
}

static enum gq_status check_count(const char *label, size_t n, size_t min,
				  size_t max, struct gq_err *err)
{
	if (n == 0 && min > 0)
		return missing(label, err);
	if (n < min)
		return gq_err_set(err, GQ_EINVAL,
				  ngettext("Field \"%s\" must have at least %zu character; it has %zu.",
					   "Field \"%s\" must have at least %zu characters; it has %zu.",
					   min),
				  field(label), min, n);
	if (n > max)
		return gq_err_set(err, GQ_EINVAL,
				  ngettext("Field \"%s\" must have at most %zu character; it has %zu.",
					   "Field \"%s\" must have at most %zu characters; it has %zu.",
					   max),
				  field(label), max, n);
	return GQ_OK;
}

enum gq_status validate_length(const char *label, const char *s, size_t min,
			       size_t max, struct gq_err *err)
{
	enum gq_status rc;

	if (!s)
		s = "";
	rc = validate_utf8(label, s, strlen(s), VALIDATE_MULTILINE, err);
	if (rc != GQ_OK)
		return rc;
	return check_count(label, utf8_count_chars(s), min, max, err);
}

enum gq_status validate_text(const char *label, const char *s, size_t min,
			     size_t max, unsigned flags, struct gq_err *err)
{
	enum gq_status rc;

	if (!s)
		s = "";
	rc = validate_utf8(label, s, strlen(s), flags, err);
	if (rc != GQ_OK)
		return rc;
	return check_count(label, utf8_count_chars(s), min, max, err);
}

/* Common start of the validators that want a value: present, valid UTF-8
 * on one line. */
static enum gq_status check_present(const char *label, const char *s,
				    struct gq_err *err)
{
	if (validate_is_blank(s))
		return missing(label, err);
	return check_utf8_line(label, s, err);
}

/* Trim white space at both ends of the valid UTF-8 string s: sets *start
 * and returns the length of the trimmed text. */
static size_t trim(const char *s, const char **start)
{
	size_t i = 0, k, end = 0;
	uint32_t c;
	int seen = 0;

	*start = s;
	while (s[i]) {
		k = text_decode_strict(s + i, SIZE_MAX, &c);
		if (!k) {
			k = 1;
			c = 0xFFFD;
		}
		if (!is_space(c)) {
			if (!seen)
				*start = s + i;
			seen = 1;
			end = i + k;
		}
		i += k;
	}
	return seen ? (size_t)(s + end - *start) : 0;
}

/* Copy the n bytes at s into out (size bytes), reading full-width ASCII
 * forms (U+FF01..U+FF5E) and the ideographic space as plain ASCII, as
 * Chinese input methods in full-width mode type them. Returns the length
 * written, or (size_t)-1 when out is too small. */
static size_t fold_ascii(const char *s, size_t n, char *out, size_t size)
{
	size_t i = 0, o = 0, k;
	uint32_t c;

	while (i < n) {
		k = text_decode_strict(s + i, n - i, &c);
		if (!k)
			k = 1;
		if (c >= 0xFF01 && c <= 0xFF5E) {
			if (o + 1 >= size)
				return (size_t)-1;
			out[o++] = (char)(c - 0xFEE0);
		} else if (c == 0x3000) {
			if (o + 1 >= size)
				return (size_t)-1;
			out[o++] = ' ';
		} else {
			if (o + k >= size)
				return (size_t)-1;
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
	return o;
}

/* Put the character at s (valid UTF-8) into buf as its own string. */
static const char *one_char(const char *s, char buf[5])
{
	uint32_t c;
	size_t k = text_decode_strict(s, SIZE_MAX, &c);

	if (!k)
		k = 1;
	memcpy(buf, s, k);
	buf[k] = '\0';
	return buf;
}

/* ---- Person name -------------------------------------------------------- */

static int is_cjk(uint32_t c)
{
	return (c >= 0x3400 && c <= 0x4DBF) ||		/* Extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) ||		/* URO */
	       (c >= 0xF900 && c <= 0xFAFF) ||		/* Compatibility */
	       (c >= 0x20000 && c <= 0x2A6DF) ||	/* Extension B */
	       (c >= 0x2A700 && c <= 0x2EE5F) ||	/* Extensions C-F, I */
	       (c >= 0x2F800 && c <= 0x2FA1F) ||	/* Compat. Supplement */
	       (c >= 0x30000 && c <= 0x323AF) ||	/* Extensions G, H */
	       c == 0x3007;				/* 〇 */
}

static int is_name_dot(uint32_t c)
{
	return c == 0x00B7 || c == 0x2022 || c == 0x2027 || c == 0x30FB ||
	       c == 0xFF65;
}

static int is_latin(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

enum name_class { N_CJK, N_DOT, N_LATIN, N_SPACE };

enum gq_status validate_person_name(const char *label, const char *s,
				    char *out, size_t out_size,
				    struct gq_err *err)
{
	enum gq_status rc;
	const char *start;
	char buf[VALIDATE_NAME_SIZE], ch[5];
	size_t n, i, k, pos, o = 0;
	enum name_class prev = N_CJK, cls;
	uint32_t c, next = 0;

	rc = check_present(label, s, err);
	if (rc != GQ_OK)
		return rc;
	n = trim(s, &start);
	/* Count first: the normalised name is built in a fixed buffer. */
	pos = 0;
	for (i = 0; i < n; i += k, pos++)
		k = text_decode_strict(start + i, n - i, &c);
	if (pos > VALIDATE_NAME_MAX_CHARS)
		return check_count(label, pos, 1, VALIDATE_NAME_MAX_CHARS, err);

	for (i = 0, pos = 1; i < n; i += k, pos++) {
		k = text_decode_strict(start + i, n - i, &c);
		if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": a name cannot contain digits (character %zu is \"%s\")."),
					  field(label), pos,
					  one_char(start + i, ch));
		if (is_cjk(c)) {
			cls = N_CJK;
		} else if (is_name_dot(c)) {
			cls = N_DOT;
			if (i == 0 || i + k == n)
				return gq_err_set(err, GQ_EINVAL,
						  _("Field \"%s\": a name cannot begin or end with the middle dot \xC2\xB7."),
						  field(label));
			if (prev == N_DOT)
				return gq_err_set(err, GQ_EINVAL,
						  _("Field \"%s\": the middle dot \xC2\xB7 cannot be doubled; write one dot between the parts of the name."),
						  field(label));
			c = 0x00B7;
		} else if (is_latin(c)) {
			cls = N_LATIN;
		} else if (is_space(c)) {
			/* Trimmed, so a space has a character on each side. */
			cls = N_SPACE;
			text_decode_strict(start + i + k, n - i - k, &next);
			if (prev != N_LATIN || !is_latin(next))
				return gq_err_set(err, GQ_EINVAL,
						  _("Field \"%s\": a name may contain a space only between two Latin letters, as in \"Mary Smith\"; remove the space at character %zu."),
						  field(label), pos);
			c = ' ';
		} else {
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the character \"%s\" (U+%04X) cannot be in a name; use Chinese characters, the middle dot \xC2\xB7 or Latin letters."),
					  field(label), one_char(start + i, ch),
					  (unsigned)c);
		}
		if (c == 0x00B7) {
			buf[o++] = (char)0xC2;
			buf[o++] = (char)0xB7;
		} else if (c == ' ') {
			buf[o++] = ' ';
		} else {
			memcpy(buf + o, start + i, k);
			o += k;
		}
		prev = cls;
	}
	buf[o] = '\0';
	if (out) {
		if (o + 1 > out_size)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the name does not fit in the space given for it."),
					  field(label));
		memcpy(out, buf, o + 1);
	}
	return GQ_OK;
}

/* ---- Dates -------------------------------------------------------------- */

static enum gq_status not_real_date(const char *label, const char *s,
				    struct gq_err *err)
{
	/* Called only for DATE_ENOTREAL: the form is right, so the
	 * digits are there. */
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		(s[2] - '0') * 10 + (s[3] - '0');

	if (!strncmp(s + 4, "-02-29", 6) && y > 0)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the date %s is not a real calendar date: %d is not a leap year."),
				  field(label), s, y);
	return gq_err_set(err, GQ_EINVAL,
			  _("Field \"%s\": the date %s is not a real calendar date."),
			  field(label), s);
}

bool validate_date_ok(const char *s)
{
	return date_valid(s);
}

enum gq_status validate_date(const char *label, const char *s,
			     const char *min, const char *max, unsigned flags,
			     struct gq_err *err)
{
	enum gq_status rc;
	int64_t t, bound;
	char q[QUOTE_SIZE], today[VALIDATE_DATE_SIZE];

	rc = check_present(label, s, err);
	if (rc != GQ_OK)
		return rc;
	switch (date_parse(s, NULL, &t)) {
	case DATE_OK:
		break;
	case DATE_EFORMAT:
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": \"%s\" is not a date written as YYYY-MM-DD, such as 2026-11-28."),
				  field(label), quote(s, q));
	case DATE_ENOTREAL:
		return not_real_date(label, s, err);
	}
	if (flags & VALIDATE_DATE_NOT_FUTURE) {
		clock_today(today, sizeof(today));
		if (date_parse(today, NULL, &bound) == DATE_OK && t > bound)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the date %s is in the future (today is %s)."),
					  field(label), s, today);
	}
	if (min && date_parse(min, NULL, &bound) == DATE_OK && t < bound)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the date %s is before %s, the earliest allowed."),
				  field(label), s, min);
	if (max && date_parse(max, NULL, &bound) == DATE_OK && t > bound)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the date %s is after %s, the latest allowed."),
				  field(label), s, max);
	return GQ_OK;
}

int validate_date_cmp(const char *a, const char *b)
{
	int64_t x, y;
	int ra, rb, c;

	if (!a || !b)
		return (a != NULL) - (b != NULL);
	ra = date_parse(a, NULL, &x) == DATE_OK;
	rb = date_parse(b, NULL, &y) == DATE_OK;
	if (ra && rb)
		return (x > y) - (x < y);
	if (ra != rb)
		return ra ? -1 : 1;
	c = strcmp(a, b);
	return (c > 0) - (c < 0);
}

static enum gq_status bad_date_arg(const char *s, struct gq_err *err)
{
	char q[QUOTE_SIZE];

	if (!s)
		s = "";
	if (validate_utf8(NULL, s, strlen(s), 0, NULL) != GQ_OK)
		return gq_err_set(err, GQ_EINVAL,
				  _("A date is not valid text."));
	return gq_err_set(err, GQ_EINVAL,
			  _("\"%s\" is not a real date written as YYYY-MM-DD."),
			  quote(s, q));
}

enum gq_status validate_date_add_days(const char *date, long days,
				      char out[VALIDATE_DATE_SIZE],
				      struct gq_err *err)
{
	if (!date_valid(date))
		return bad_date_arg(date, err);
	if (date_add_days(date, days, out) != 0)
		return gq_err_set(err, GQ_EINVAL,
				  _("The date %s plus %ld days falls outside the years 1 to 9999."),
				  date, days);
	return GQ_OK;
}

enum gq_status validate_date_diff(const char *a, const char *b, long *days,
				  struct gq_err *err)
{
	int64_t d;

	if (!date_valid(a))
		return bad_date_arg(a, err);
	if (!date_valid(b))
		return bad_date_arg(b, err);
	date_diff(a, b, &d);
	/* Within years 1 to 9999 the difference fits in a 32-bit long. */
	if (days)
		*days = (long)d;
	return GQ_OK;
}

enum gq_status validate_age_on(const char *birth, const char *on, int *age,
			       struct gq_err *err)
{
	int64_t b, o;

	if (date_parse(birth, NULL, &b) != DATE_OK)
		return bad_date_arg(birth, err);
	if (date_parse(on, NULL, &o) != DATE_OK)
		return bad_date_arg(on, err);
	if (o < b)
		return gq_err_set(err, GQ_EINVAL,
				  _("The date %s is before the birth date %s, so there is no age yet."),
				  on, birth);
	if (age)
		*age = date_age(b, o);
	return GQ_OK;
}

/* ---- Resident ID number ------------------------------------------------- */

static int province_ok(int p)
{
	static const unsigned char ranges[][2] = {
		{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65},
		{71, 71}, {81, 83},
	};
	size_t i;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (p >= ranges[i][0] && p <= ranges[i][1])
			return 1;
	return 0;
}

static char id_check_char(const char *d)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
				  7, 9, 10, 5, 8, 4, 2};
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (d[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

enum gq_status validate_id_number(const char *label, const char *s,
				  struct validate_id *out, struct gq_err *err)
{
	enum gq_status rc;
	const char *start;
	char buf[WORK_MAX], ch[5], date[VALIDATE_DATE_SIZE];
	char today[VALIDATE_DATE_SIZE];
	size_t n, i, k, chars;
	struct date_ymd t;
	int64_t z, now;
	uint32_t c;
	char want;
	int p;

	rc = check_present(label, s, err);
	if (rc != GQ_OK)
		return rc;
	n = trim(s, &start);
	if (fold_ascii(start, n, buf, sizeof(buf)) == (size_t)-1)
		chars = utf8_count_chars(s);	/* far too long anyway */
	else
		chars = utf8_count_chars(buf);
	if (chars == 15 && strspn(buf, "0123456789") == 15)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": this is an old 15-digit ID number; enter the 18-character number from the current card."),
				  field(label));
	if (chars != 18)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": an ID number has 18 characters; this one has %zu."),
				  field(label), chars);
	for (i = 0, p = 1; buf[i]; i += k, p++) {
		k = text_decode_strict(buf + i, SIZE_MAX, &c);
		if (p < 18 && !(c >= '0' && c <= '9'))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": character %d of the ID number is \"%s\"; the first 17 characters must be digits."),
					  field(label), p, one_char(buf + i, ch));
		if (p == 18 && !((c >= '0' && c <= '9') || c == 'X' ||
				 c == 'x'))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the last character of the ID number is \"%s\"; it must be a digit or X."),
					  field(label), one_char(buf + i, ch));
	}
	/* Now buf is 18 ASCII bytes. */
	if (buf[17] == 'x')
		buf[17] = 'X';

	p = (buf[0] - '0') * 10 + (buf[1] - '0');
	if (!province_ok(p))
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the ID number begins with the address code %.6s, which is unknown: %.2s is not a province code."),
				  field(label), buf, buf);
	if (memcmp(buf + 2, "0000", 4) == 0 && p != 71 && p < 81)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the address code %.6s at the start of the ID number is unknown: it names a whole province, not a county."),
				  field(label), buf);

	snprintf(date, sizeof(date), "%.4s-%.2s-%.2s", buf + 6, buf + 10,
		 buf + 12);
	if (date_parse(date, &t, &z) != DATE_OK)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the birth date %s in the ID number (characters 7 to 14) is not a real calendar date."),
				  field(label), date);
	if (t.y < 1900)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the birth date %s in the ID number is before 1900."),
				  field(label), date);
	clock_today(today, sizeof(today));
	if (date_parse(today, NULL, &now) == DATE_OK && z > now)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the birth date %s in the ID number is in the future (today is %s)."),
				  field(label), date, today);

	want = id_check_char(buf);
	if (buf[17] != want)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the check character should be %c, not %c."),
				  field(label), want, buf[17]);
	if (out) {
		memcpy(out->number, buf, 18);
		out->number[18] = '\0';
		out->sex = (buf[16] - '0') % 2 ? 'M' : 'F';
		memcpy(out->birth, date, sizeof(out->birth));
		memcpy(out->address, buf, 6);
		out->address[6] = '\0';
	}
	return GQ_OK;
}

static const char *sex_word(char sex)
{
	return sex == 'M' ? _("male") : _("female");
}

enum gq_status validate_id_agrees(const struct validate_id *id, char sex,
				  const char *birth, const char *sex_label,
				  const char *birth_label, struct gq_err *err)
{
	char q[QUOTE_SIZE];

	if (!id)
		return GQ_OK;
	if (sex == 'm' || sex == 'f')
		sex = (char)(sex - 'a' + 'A');
	if (sex && sex != id->sex) {
		if (sex != 'M' && sex != 'F')
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the sex must be M (male) or F (female)."),
					  field(sex_label));
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the sex given (%s) does not agree with the ID number, which says %s."),
				  field(sex_label), sex_word(sex),
				  sex_word(id->sex));
	}
	if (birth && *birth && strcmp(birth, id->birth) != 0) {
		if (check_utf8_line(birth_label, birth, err) != GQ_OK)
			return GQ_EINVAL;
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the birth date %s does not agree with the ID number, which says %s."),
				  field(birth_label), quote(birth, q),
				  id->birth);
	}
	return GQ_OK;
}

/* ---- Phone numbers ------------------------------------------------------ */

#define PHONE_DIGITS_MAX 40
#define PHONE_GROUPS_MAX 16

struct phone_groups {
	char d[PHONE_DIGITS_MAX + 1];	/* all the digits */
	size_t nd;
	size_t start[PHONE_GROUPS_MAX];	/* where each group starts in d */
	char sep[PHONE_GROUPS_MAX];	/* the separator before it, or 0 */
	size_t ng;
};

static size_t group_len(const struct phone_groups *g, size_t i)
{
	return (i + 1 < g->ng ? g->start[i + 1] : g->nd) - g->start[i];
}

static enum gq_status phone_not_number(const char *label, const char *shown,
				       struct gq_err *err)
{
	return gq_err_set(err, GQ_EINVAL,
			  _("Field \"%s\": %s is not a phone number: a mobile number has 11 digits starting with 1, a landline starts with its area code, such as 0376 for Shangcheng."),
			  field(label), shown);
}

/* Split s (ASCII-folded, trimmed) into digit groups. Separators are
 * spaces, hyphens and the parentheses around an area code. */
static enum gq_status phone_split(const char *label, const char *s,
				  const char *shown, struct phone_groups *g,
				  struct gq_err *err)
{
	size_t i, k;
	char sep = 0, ch[5];
	int in_digits = 0;
	uint32_t c;

	g->nd = 0;
	g->ng = 0;
	for (i = 0; s[i]; i += k) {
		k = text_decode_strict(s + i, SIZE_MAX, &c);
		if (c >= '0' && c <= '9') {
			if (!in_digits) {
				if (g->ng == PHONE_GROUPS_MAX)
					return phone_not_number(label, shown,
								err);
				g->start[g->ng] = g->nd;
				g->sep[g->ng++] = sep;
				in_digits = 1;
				sep = 0;
			}
			if (g->nd == PHONE_DIGITS_MAX)
				return phone_not_number(label, shown, err);
			g->d[g->nd++] = (char)c;
		} else if (c == ' ' || c == '-' || c == '(' || c == ')') {
			/* Keep the strongest separator: a hyphen or a
			 * closing parenthesis marks the end of a part. */
			if (c != ' ' || !sep)
				sep = c == '(' ? ' ' : (char)c;
			in_digits = 0;
		} else {
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s contains \"%s\", which cannot be part of a phone number."),
					  field(label), shown,
					  one_char(s + i, ch));
		}
	}
	g->d[g->nd] = '\0';
	return GQ_OK;
}

enum gq_status validate_phone(const char *label, const char *s,
			      unsigned kinds, char *out, size_t out_size,
			      unsigned *kind, struct gq_err *err)
{
	enum gq_status rc;
	const char *start, *zhuan;
	char buf[WORK_MAX], q[QUOTE_SIZE], norm[VALIDATE_PHONE_SIZE];
	char ext[8] = "", *p;
	struct phone_groups g;
	size_t n, area, local, i, extlen = 0, last;
	int intl = 0;
	unsigned found;

	if (!kinds)
		kinds = VALIDATE_PHONE_ANY;
	rc = check_present(label, s, err);
	if (rc != GQ_OK)
		return rc;
	quote(s, q);
	n = trim(s, &start);
	if (fold_ascii(start, n, buf, sizeof(buf)) == (size_t)-1)
		return phone_not_number(label, q, err);

	p = buf;
	if (p[0] == '+' && p[1] == '8' && p[2] == '6')
		p += 3, intl = 1;
	else if (strncmp(p, "0086", 4) == 0)
		p += 4, intl = 1;
	else if (p[0] == '+')
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": %s is not a mainland China number; only +86 numbers are accepted."),
				  field(label), q);

	/* The extension: after 转 ("transfer"), digits only. */
	zhuan = strstr(p, "\xE8\xBD\xAC");
	if (zhuan) {
		const char *e = zhuan + 3;

		while (*e == ' ')
			e++;
		extlen = strspn(e, "0123456789");
		if (extlen < 1 || extlen > 6 || e[extlen])
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the extension after \"转\" or \"-\" in %s must be 1 to 6 digits."),
					  field(label), q);
		memcpy(ext, e, extlen);
		ext[extlen] = '\0';
		buf[zhuan - buf] = '\0';
	}

	rc = phone_split(label, p, q, &g, err);
	if (rc != GQ_OK)
		return rc;
	if (g.nd == 0)
		return phone_not_number(label, q, err);
	/* +86 376 2345678: an international landline drops the trunk 0. */
	if (intl && g.d[0] != '0' && g.d[0] != '1') {
		if (g.nd == PHONE_DIGITS_MAX)
			return phone_not_number(label, q, err);
		memmove(g.d + 1, g.d, g.nd + 1);
		g.d[0] = '0';
		g.nd++;
		for (i = 1; i < g.ng; i++)
			g.start[i]++;
	}

	if (g.d[0] == '1') {
		if (extlen)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s looks like a mobile number, and a mobile number has no extension."),
					  field(label), q);
		if (g.nd != 11)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": a mobile number has 11 digits; %s has %zu."),
					  field(label), q, g.nd);
		if (g.d[1] < '3')
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s is not a mobile number: its second digit must be 3 to 9."),
					  field(label), q);
		found = VALIDATE_PHONE_MOBILE;
		memcpy(norm, g.d, 12);	/* the 11 digits and the NUL */
	} else if (g.d[0] == '0') {
		/* 010 and 02X are the only three-digit area codes. */
		area = g.d[1] == '1' || g.d[1] == '2' ? 3 : 4;
		if (g.nd < area || g.d[1] == '0' ||
		    (g.d[1] == '1' && g.d[2] != '0') ||
		    (g.ng > 1 && group_len(&g, 0) <= 4 &&
		     group_len(&g, 0) != area))
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": %s does not begin with a valid area code; area codes are 010, 02X or 0 and three more digits, such as 0376."),
					  field(label), q);
		/* 0376-2345678-12: a last part after a hyphen is the
		 * extension when the parts before it already make a whole
		 * local number. */
		last = g.ng - 1;
		if (!extlen && g.ng >= 2 && g.sep[last] == '-' &&
		    g.start[last] > area &&
		    (g.start[last] - area == 7 || g.start[last] - area == 8)) {
			extlen = g.nd - g.start[last];
			if (extlen > 6)
				return gq_err_set(err, GQ_EINVAL,
						  _("Field \"%s\": the extension after \"转\" or \"-\" in %s must be 1 to 6 digits."),
						  field(label), q);
			memcpy(ext, g.d + g.start[last], extlen);
			ext[extlen] = '\0';
			g.nd = g.start[last];
			g.d[g.nd] = '\0';
		}
		local = g.nd - area;
		if (local < 7 || local > 8)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": in %s the local number after the area code %.*s must have 7 or 8 digits, not %zu."),
					  field(label), q, (int)area, g.d, local);
		if (g.d[area] == '0' || g.d[area] == '1')
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": in %s the local number after the area code %.*s cannot begin with 0 or 1."),
					  field(label), q, (int)area, g.d);
		found = VALIDATE_PHONE_LANDLINE;
		snprintf(norm, sizeof(norm), "%.*s-%s%s%s", (int)area, g.d,
			 g.d + area, extlen ? "-" : "", ext);
	} else if (g.nd == 7 || g.nd == 8) {
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the landline number %s needs its area code first, such as 0376-%s for Shangcheng."),
				  field(label), q, g.d);
	} else {
		return phone_not_number(label, q, err);
	}

	if (!(kinds & found))
		return gq_err_set(err, GQ_EINVAL,
				  found == VALIDATE_PHONE_MOBILE ?
				  _("Field \"%s\": %s is a mobile number; a landline number is needed here.") :
				  _("Field \"%s\": %s is a landline number; a mobile number is needed here."),
				  field(label), q);
	if (out) {
		if (strlen(norm) + 1 > out_size)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": the phone number does not fit in the space given for it."),
					  field(label));
		memcpy(out, norm, strlen(norm) + 1);
	}
	if (kind)
		*kind = found;
	return GQ_OK;
}

/* ---- Numbers ------------------------------------------------------------ */

enum num_result { NUM_OK, NUM_SYNTAX, NUM_PLACES, NUM_RANGE };

static long long pow10ll(unsigned p)
{
	long long v = 1;

	while (p--)
		v *= 10;
	return v;
}

/* Parse -?digits(.digits)? with at most places decimals into a value
 * scaled by 10^places. */
static enum num_result parse_scaled(const char *s, unsigned places,
				    long long *out)
{
	unsigned long long mag = 0, limit;
	const char *p = s;
	unsigned frac = 0;
	int neg = 0;

	if (*p == '-')
		neg = 1, p++;
	if (*p < '0' || *p > '9')
		return NUM_SYNTAX;
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (mag > (limit - d) / 10)
			return NUM_RANGE;
		mag = mag * 10 + d;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return NUM_SYNTAX;
		for (; *p >= '0' && *p <= '9'; p++) {
			unsigned d = (unsigned)(*p - '0');

			if (++frac > places)
				continue;	/* say so after the syntax */
			if (mag > (limit - d) / 10)
				return NUM_RANGE;
			mag = mag * 10 + d;
		}
	}
	if (*p)
		return NUM_SYNTAX;
	if (frac > places)
		return NUM_PLACES;
	for (; frac < places; frac++) {
		if (mag > limit / 10)
			return NUM_RANGE;
		mag *= 10;
	}
	if (neg)
		*out = mag ? -(long long)(mag - 1) - 1 : 0;
	else
		*out = (long long)mag;
	return NUM_OK;
}

void validate_decimal_format(long long value, unsigned places, char *buf,
			     size_t size)
{
	unsigned long long mag, scale;

	if (places > VALIDATE_DECIMAL_MAX_PLACES)
		places = VALIDATE_DECIMAL_MAX_PLACES;
	if (!places) {
		snprintf(buf, size, "%lld", value);
		return;
	}
	scale = (unsigned long long)pow10ll(places);
	mag = value < 0 ? 0ULL - (unsigned long long)value :
			  (unsigned long long)value;
	snprintf(buf, size, "%s%llu.%0*llu", value < 0 ? "-" : "",
		 mag / scale, (int)places, mag % scale);
}

static enum gq_status check_number(const char *label, const char *s,
				   unsigned places, long long min,
				   long long max, long long *out,
				   struct gq_err *err)
{
	enum gq_status rc;
	char q[QUOTE_SIZE], a[32], b[32];
	long long v = 0;

	rc = check_present(label, s, err);
	if (rc != GQ_OK)
		return rc;
	quote(s, q);
	switch (parse_scaled(s, places, &v)) {
	case NUM_OK:
		break;
	case NUM_SYNTAX:
		if (!places)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": \"%s\" is not a whole number; write digits only, such as 42."),
					  field(label), q);
		validate_decimal_format(12 * pow10ll(places) +
					5 * pow10ll(places - 1), places,
					a, sizeof(a));
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": \"%s\" is not a number; write digits with an optional decimal point, such as %s."),
				  field(label), q, a);
	case NUM_PLACES:
		if (!places)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": \"%s\" is not a whole number; write digits only, such as 42."),
					  field(label), q);
		return gq_err_set(err, GQ_EINVAL,
				  ngettext("Field \"%s\": %s has more than %u digit after the decimal point.",
					   "Field \"%s\": %s has more than %u digits after the decimal point.",
					   places),
				  field(label), q, places);
	case NUM_RANGE:
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": the number %s is too large."),
				  field(label), q);
	}
	if (v < min) {
		validate_decimal_format(min, places, a, sizeof(a));
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": %s is less than %s, the smallest allowed."),
				  field(label), q, a);
	}
	if (v > max) {
		validate_decimal_format(max, places, b, sizeof(b));
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": %s is more than %s, the largest allowed."),
				  field(label), q, b);
	}
	if (out)
		*out = v;
	return GQ_OK;
}

enum gq_status validate_int(const char *label, const char *s, long long min,
			    long long max, long long *out, struct gq_err *err)
{
	return check_number(label, s, 0, min, max, out, err);
}

enum gq_status validate_decimal(const char *label, const char *s,
				unsigned places, long long min, long long max,
				long long *out, struct gq_err *err)
{
	if (places > VALIDATE_DECIMAL_MAX_PLACES)
		return gq_err_set(err, GQ_EINVAL,
				  _("Field \"%s\": at most %d decimal places are supported."),
				  field(label), VALIDATE_DECIMAL_MAX_PLACES);
	return check_number(label, s, places, min, max, out, err);
}

/* ---- Choices ------------------------------------------------------------ */

enum gq_status validate_choice(const char *label, const char *value,
			       const char *const *codes, size_t *index,
			       struct gq_err *err)
{
	struct strbuf list = STRBUF_INIT;
	char q[QUOTE_SIZE];
	enum gq_status rc;
	size_t i;

	rc = check_present(label, value, err);
	if (rc != GQ_OK)
		return rc;
	for (i = 0; codes && codes[i]; i++) {
		if (strcmp(value, codes[i]) == 0) {
			if (index)
				*index = i;
			return GQ_OK;
		}
	}
	for (i = 0; codes && codes[i]; i++) {
		if (i)
			strbuf_addstr(&list, ", ");
		strbuf_addstr(&list, codes[i]);
	}
	if (!i)
		rc = gq_err_set(err, GQ_EINVAL,
				_("Field \"%s\": \"%s\" cannot be chosen, because the field has no allowed values."),
				field(label), quote(value, q));
	else
		rc = gq_err_set(err, GQ_EINVAL,
				_("Field \"%s\": \"%s\" is not one of the allowed values: %s."),
				field(label), quote(value, q), list.buf);
	strbuf_release(&list);
	return rc;
}
