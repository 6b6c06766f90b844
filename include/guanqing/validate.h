/* validate.h - checks for every field a person types, shared by the command
 * line, the form engine and the screens.
 *
 * Pure functions: no database, no allocation that outlives a call, no
 * global state except the clock (clock_today) for "not in the future".
 *
 * Conventions for every validate_* function below:
 * - label is the field's display name, already translated ("身份证号",
 *   "ID number"); it is quoted in the message so that the person at the
 *   screen knows which field is wrong. NULL is allowed (a generic word is
 *   used).
 * - On success the function returns GQ_OK and fills its outputs. On a
 *   refusal it returns GQ_EINVAL, leaves the outputs untouched and writes
 *   one whole translated sentence into err (err may be NULL).
 * - Input is a NUL-terminated UTF-8 string. NULL, "" and text made only of
 *   white space count as a missing value and are refused with the
 *   "required" message, except in validate_utf8, utf8_count_chars and
 *   validate_is_blank. An optional field should be skipped by the caller
 *   when validate_is_blank() says it is empty.
 * - Malformed UTF-8 and control characters are refused by every validator
 *   before its own rules run, so messages can quote the input safely.
 * - Output buffers are owned by the caller; the *_SIZE constants give
 *   sizes that always suffice.
 */
#ifndef GUANQING_VALIDATE_H
#define GUANQING_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "guanqing/err.h"

/* ---- UTF-8 and text ---------------------------------------------------- */

enum validate_text_flags {
	/* A multi-line notes field: allow line feed and tab. Every other
	 * control character (C0, DEL, C1) is refused in any case. */
	VALIDATE_MULTILINE = 1 << 0,
};

/* Check that the len bytes at s are well-formed UTF-8: no overlong forms,
 * no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
 * sequence, and no control character (NUL included) except \n and \t when
 * flags has VALIDATE_MULTILINE.
 * label: field name for the message. s may be NULL only when len is 0.
 * Returns GQ_OK (empty text is valid here) or GQ_EINVAL with a message
 * that gives the byte offset or the character position and code point. */
enum gq_status validate_utf8(const char *label, const char *s, size_t len,
			     unsigned flags, struct gq_err *err);

/* Number of characters (code points) in the NUL-terminated string s. An
 * invalid byte counts as one character, as it would be shown as U+FFFD.
 * NULL counts as 0. */
size_t utf8_count_chars(const char *s);

/* Check that s has between min and max characters (not bytes); pass
 * (size_t)-1 as max for no upper limit. s must be valid UTF-8 with no
 * control character other than \n and \t (checked; use validate_text for
 * a single-line field). NULL counts as "". Unlike the other validators, an
 * empty s is refused only when min > 0, with the "required" message; white
 * space counts as characters here.
 * Returns GQ_OK or GQ_EINVAL ("... must have at most 30 characters; it has
 * 31."). */
enum gq_status validate_length(const char *label, const char *s,
			       size_t min, size_t max, struct gq_err *err);

/* A free-text field: validate_utf8 with flags (0 for one line,
 * VALIDATE_MULTILINE for notes), then the character count of
 * validate_length with min and max. NULL counts as "". */
enum gq_status validate_text(const char *label, const char *s, size_t min,
			     size_t max, unsigned flags, struct gq_err *err);

/* True when s is NULL, "" or only white space (ASCII white space, U+00A0
 * no-break space, U+3000 ideographic space). */
bool validate_is_blank(const char *s);

/* A required field: refused when validate_is_blank(s).
 * Returns GQ_OK or GQ_EINVAL ("Field "姓名" is required and is empty."). */
enum gq_status validate_required(const char *label, const char *s,
				 struct gq_err *err);

/* ---- Person name ------------------------------------------------------- */

#define VALIDATE_NAME_MAX_CHARS 30
/* Bytes for any accepted name, normalised, with its NUL. */
#define VALIDATE_NAME_SIZE (VALIDATE_NAME_MAX_CHARS * 4 + 1)

/* A person's name, 1 to 30 characters after trimming white space at both
 * ends. Allowed:
 * - CJK ideographs of every block: URO, Extensions A to I, the
 *   compatibility ideographs and their supplement, and U+3007 〇;
 * - the middle dot · (U+00B7) between parts of a transliterated minority
 *   or foreign name (阿卜杜拉·买买提). Its look-alikes typed by input
 *   methods, U+2022 •, U+2027 ‧, U+30FB ・ and U+FF65 ･, are accepted and
 *   written as U+00B7. A dot may not begin or end the name nor follow
 *   another dot;
 * - ASCII Latin letters, because some residents (foreign spouses, minority
 *   names written in Latin script) are registered that way; a single space
 *   is allowed between two Latin letters ("Mary Smith"), never next to a
 *   Chinese character. Accented letters are refused: the household
 *   register does not use them.
 * Refused with a specific message: digits (ASCII or full-width), spaces
 * inside a Chinese name, misplaced dots, any other character (named with
 * its code point), more than 30 characters.
 * out: if not NULL, receives the trimmed, normalised name (out_size bytes;
 * VALIDATE_NAME_SIZE always suffices, a smaller buffer that cannot hold the
 * name gives GQ_EINVAL). */
enum gq_status validate_person_name(const char *label, const char *s,
				    char *out, size_t out_size,
				    struct gq_err *err);

/* ---- Resident ID number (GB 11643-1999) -------------------------------- */

struct validate_id {
	char number[19];	/* the 18 characters, check character upper-case */
	char sex;		/* 'M' (17th digit odd) or 'F' (even) */
	char birth[11];		/* YYYY-MM-DD */
	char address[7];	/* the six-digit GB/T 2260 address code */
};

/* Check a citizen's identity number: 18 characters, 17 digits and a check
 * character (0-9 or X; a lower-case x and full-width digits from Chinese
 * input methods are accepted and normalised; white space around it is
 * trimmed). Rules, each with its own message:
 * - length (an old 15-digit number gets a hint to use the 18-digit one);
 * - characters (which character, at which position);
 * - address code: the province prefix must be one of 11-15, 21-23, 31-37,
 *   41-46, 50-54, 61-65, 71, 81, 82, 83 (83: residence permits of Taiwan
 *   residents, issued as 830000 like 810000 and 820000 for Hong Kong and
 *   Macao). Codes below the province level are not checked against a list
 *   (old codes are still on real cards), but a bare province code
 *   (xx0000) is refused except for 71, 81, 82 and 83;
 * - birth date: a real calendar date, not before 1900-01-01, not after
 *   today (clock_today());
 * - check character: "10X98765432"[sum(digit * weight) mod 11] with the
 *   weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the message says which
 *   character was expected.
 * out: if not NULL, filled on success. */
enum gq_status validate_id_number(const char *label, const char *s,
				  struct validate_id *out, struct gq_err *err);

/* Check that a sex and a birth date given beside an ID number agree with
 * it. sex is 'M', 'F' or 0 (not given); birth is YYYY-MM-DD or NULL/"" (not
 * given). sex_label and birth_label name the two fields.
 * Returns GQ_OK or GQ_EINVAL naming the field and what the number says. */
enum gq_status validate_id_agrees(const struct validate_id *id, char sex,
				  const char *birth, const char *sex_label,
				  const char *birth_label, struct gq_err *err);

/* ---- Phone numbers ----------------------------------------------------- */

enum validate_phone_kind {
	VALIDATE_PHONE_MOBILE = 1 << 0,
	VALIDATE_PHONE_LANDLINE = 1 << 1,
	VALIDATE_PHONE_ANY = VALIDATE_PHONE_MOBILE | VALIDATE_PHONE_LANDLINE,
};

/* Bytes for any normalised phone number with its NUL. */
#define VALIDATE_PHONE_SIZE 32

/* Check a mainland phone number of the kinds allowed (a mask of
 * enum validate_phone_kind; 0 means any).
 * - Mobile: 11 digits 1[3-9]xxxxxxxxx, optionally after +86 or 0086, with
 *   spaces or hyphens anywhere between digits. Normalised to the 11 digits:
 *   "+86 138-1234-5678" -> "13812345678".
 * - Landline: area code (010, 02X, or 0 and three digits such as 0376 for
 *   Shangcheng; optionally in parentheses, the hyphen after it optional),
 *   a local number of 7 or 8 digits not starting with 0 or 1, and an
 *   optional extension of 1 to 6 digits after "-" or "转". Normalised to
 *   "AREA-LOCAL" or "AREA-LOCAL-EXT": "(0376)2345678转12" ->
 *   "0376-2345678-12". A +86/0086 prefix without the trunk 0 is accepted.
 *   A local number without its area code is refused with a hint.
 * Full-width digits and punctuation from Chinese input methods are read
 * as their ASCII forms.
 * out: if not NULL, receives the normalised number (out_size bytes,
 * VALIDATE_PHONE_SIZE suffices). kind: if not NULL, receives
 * VALIDATE_PHONE_MOBILE or VALIDATE_PHONE_LANDLINE. */
enum gq_status validate_phone(const char *label, const char *s,
			      unsigned kinds, char *out, size_t out_size,
			      unsigned *kind, struct gq_err *err);

/* ---- Dates ------------------------------------------------------------- */

/* Bytes for a YYYY-MM-DD date with its NUL. */
#define VALIDATE_DATE_SIZE 11

enum validate_date_flags {
	/* Refuse a date after today (clock_today()). */
	VALIDATE_DATE_NOT_FUTURE = 1 << 0,
};

/* Check a date written exactly YYYY-MM-DD (years 0001-9999) that exists in
 * the Gregorian calendar (leap years: divisible by 4, centuries only when
 * divisible by 400: 2000-02-29 exists, 1900-02-29 does not).
 * min, max: optional inclusive bounds, YYYY-MM-DD or NULL.
 * flags: VALIDATE_DATE_NOT_FUTURE.
 * Returns GQ_OK or GQ_EINVAL with distinct messages for the format, an
 * impossible date, a future date and each bound. */
enum gq_status validate_date(const char *label, const char *s,
			     const char *min, const char *max, unsigned flags,
			     struct gq_err *err);

/* True when s is a real YYYY-MM-DD date (the format rule of validate_date,
 * without a message). */
bool validate_date_ok(const char *s);

/* Compare two dates: negative, 0 or positive as a is before, the same as
 * or after b. Real dates compare by day; NULL sorts before everything;
 * anything else that is not a real date compares as text after all real
 * dates, so the order is total. */
int validate_date_cmp(const char *a, const char *b);

/* Add days (may be negative) to the date, for follow-up due dates.
 * out: VALIDATE_DATE_SIZE bytes, written on success.
 * Returns GQ_OK, or GQ_EINVAL when date is not a real date or the result
 * falls outside 0001-01-01..9999-12-31. */
enum gq_status validate_date_add_days(const char *date, long days,
				      char out[VALIDATE_DATE_SIZE],
				      struct gq_err *err);

/* Whole days from a to b (b - a), e.g. how far a follow-up is overdue.
 * Returns GQ_OK or GQ_EINVAL when either is not a real date. */
enum gq_status validate_date_diff(const char *a, const char *b, long *days,
				  struct gq_err *err);

/* Age in whole years on the date on of a person born on birth (both
 * YYYY-MM-DD). One is a year older on the birthday itself; someone born on
 * 29 February becomes a year older on 1 March in a common year.
 * Returns GQ_OK, or GQ_EINVAL when a date is not real or on is before
 * birth. */
enum gq_status validate_age_on(const char *birth, const char *on, int *age,
			       struct gq_err *err);

/* ---- Numbers ----------------------------------------------------------- */

/* Parse a whole number: an optional '-' and decimal digits, nothing else
 * (no spaces, no '+', no exponent, no thousands separator), within the
 * inclusive range [min, max].
 * out: if not NULL, receives the value on success.
 * Returns GQ_OK or GQ_EINVAL (not a number, too large for the machine,
 * below min, above max). */
enum gq_status validate_int(const char *label, const char *s, long long min,
			    long long max, long long *out, struct gq_err *err);

/* Largest number of decimal places validate_decimal takes. */
#define VALIDATE_DECIMAL_MAX_PLACES 6

/* Parse a decimal number with at most places digits after the point
 * ("1200.50" with places 2), returned as an integer scaled by 10^places
 * (120050) so that money is exact. Syntax: optional '-', digits, optionally
 * '.' and 1..places digits; "1e3", ".5", "5.", " 12", "12abc" and "" are
 * refused. min and max are inclusive bounds in the same scaled unit.
 * places: 0..VALIDATE_DECIMAL_MAX_PLACES.
 * out: if not NULL, receives the scaled value on success.
 * Returns GQ_OK or GQ_EINVAL. */
enum gq_status validate_decimal(const char *label, const char *s,
				unsigned places, long long min, long long max,
				long long *out, struct gq_err *err);

/* Write a scaled value as text with exactly places decimals
 * (120050, 2 -> "1200.50") into buf of size bytes (32 always suffice). */
void validate_decimal_format(long long value, unsigned places, char *buf,
			     size_t size);

/* ---- Choices ----------------------------------------------------------- */

/* Check that value is exactly one of the codes in the NULL-terminated list
 * codes (compared byte for byte).
 * index: if not NULL, receives the position of the match.
 * Returns GQ_OK, or GQ_EINVAL with a message that lists the allowed codes
 * (a missing value gets the "required" message). */
enum gq_status validate_choice(const char *label, const char *value,
			       const char *const *codes, size_t *index,
			       struct gq_err *err);

#endif
