/* form.h - declarative visit forms: loading, checking answers, risk level.
 *
 * A visit form is a UTF-8 text file in the forms folder (screens/forms/ in
 * the source tree, $(pkgdatadir)/forms when installed), read at run time:
 * a header (form id, version, title), one [field ID] section per question
 * in the order they are asked, [choices] lists, and optional [risk] and
 * [followup] sections. doc/forms.md is the full reference of the format.
 *
 * A loaded struct form is read-only and owns all its strings: every const
 * char * it hands out lives until form_free(). Fields are addressed by their
 * index (0 .. form_field_count() - 1), in form order.
 *
 * Answers are a struct form_answers: an ordered list of field id -> value
 * text. Values are plain text in one spelling per type: text as typed,
 * integers ("12", "-3"), decimals ("1250.50"), dates ("2026-11-28"), yes/no
 * ("yes", "no"), a choice code ("in_school"), and for multiple choice the
 * chosen codes joined with "," ("drowning,traffic"). An absent or empty
 * value is "not answered". A field hidden by its show_if condition is not
 * required, is not checked, and its answer is dropped when answers are
 * serialised.
 *
 * Functions taking `int english` choose the English texts (label.en,
 * title.en, ...) when it is nonzero and the Chinese ones otherwise; an
 * English text missing from the file falls back to the Chinese one.
 */
#ifndef GUANQING_FORM_H
#define GUANQING_FORM_H

#include <stddef.h>

#include "guanqing/err.h"
#include "guanqing/strbuf.h"

struct form;

enum form_type {
	FORM_TEXT,
	FORM_INTEGER,
	FORM_DECIMAL,
	FORM_DATE,
	FORM_YESNO,
	FORM_CHOICE,
	FORM_MULTI,
	FORM_TYPE_MAX
};

/* One answer: both strings are owned by the struct form_answers. */
struct form_answer {
	char *id;
	char *value;
};

/* Ordered answers. Owns its items; items[0 .. nr-1] are in the order they
 * were first set. */
struct form_answers {
	struct form_answer *items;
	size_t nr;
	size_t alloc;
	/* The day the answers were given, YYYY-MM-DD (a back-dated visit's
	 * date), or "" for today: relative dates (min = today, today+N,
	 * default = followup) count from it. */
	char day[11];
};

#define FORM_ANSWERS_INIT { NULL, 0, 0, "" }

/* A list of form ids found in a folder, sorted; owns the strings. */
struct form_list {
	char **ids;
	size_t nr;
};

#define FORM_LIST_INIT { NULL, 0 }

/* ---- finding and loading forms ---- */

/* The forms folder: $GUANQING_FORMS_DIR when set and not empty, else
 * PKGDATADIR "/forms". The returned string is static or from the
 * environment: do not free it. */
const char *form_default_dir(void);

/* Load and check the form file at path. Every mistake in the file is
 * refused with a message "PATH:LINE: reason" (GQ_EINVAL); a file that does
 * not exist gives GQ_ENOTFOUND, an unreadable one GQ_EIO. On success *out is
 * a new form the caller frees with form_free(); on failure *out is NULL. */
enum gq_status form_load(const char *path, struct form **out,
			 struct gq_err *err);

/* As form_load(), from len bytes of text in memory (a form definition
 * that came in a bundle); name stands for the file in messages. */
enum gq_status form_load_text(const char *name, const char *text, size_t len,
			      struct form **out, struct gq_err *err);

/* Load the form with this id from dir (NULL: form_default_dir()), that is
 * the file DIR/ID.form. An id that is not a form name, or a missing file,
 * gives GQ_ENOTFOUND; otherwise as form_load(). */
enum gq_status form_find(const char *dir, const char *id, struct form **out,
			 struct gq_err *err);

/* List the ids of the *.form files in dir (NULL: form_default_dir()),
 * sorted by id, without loading them. Hidden and backup files are skipped.
 * out must be initialised (FORM_LIST_INIT); release it with
 * form_list_release(). A missing folder gives GQ_ENOTFOUND. */
enum gq_status form_list_dir(const char *dir, struct form_list *out,
			     struct gq_err *err);

/* Free the ids of a list and leave it empty. NULL is allowed. */
void form_list_release(struct form_list *list);

/* Free a form and set *fp to NULL. fp or *fp may be NULL. */
void form_free(struct form **fp);

/* ---- the form and its fields (read-only accessors) ---- */

/* The form id ("child_visit"), its version (>= 1), its title, the path it
 * was loaded from. */
const char *form_id(const struct form *f);
int form_version(const struct form *f);
const char *form_title(const struct form *f, int english);
const char *form_path(const struct form *f);

/* The person category codes the form is meant for (informational), i from
 * 0 to form_applies_count() - 1. */
size_t form_applies_count(const struct form *f);
const char *form_applies_to(const struct form *f, size_t i);

/* Number of fields; the index of the field with this id, or -1. */
size_t form_field_count(const struct form *f);
int form_field_index(const struct form *f, const char *id);

/* Accessors of field i (i must be below form_field_count()). Strings that
 * the file does not give are NULL (help, unit, min, max, default,
 * show_if, pattern); the label is always there. */
const char *form_field_id(const struct form *f, size_t i);
enum form_type form_field_type(const struct form *f, size_t i);
const char *form_field_label(const struct form *f, size_t i, int english);
const char *form_field_help(const struct form *f, size_t i, int english);
const char *form_field_unit(const struct form *f, size_t i, int english);
int form_field_required(const struct form *f, size_t i);
/* min and max exactly as written in the file ("0", "120", "today",
 * "today+365", "2000-01-01"), for display; NULL when not set. */
const char *form_field_min(const struct form *f, size_t i);
const char *form_field_max(const struct form *f, size_t i);
/* Length limits of a text field in characters; 0 when not set. */
size_t form_field_min_length(const struct form *f, size_t i);
size_t form_field_max_length(const struct form *f, size_t i);
/* Digits allowed after the decimal point of a decimal field, -1 if any. */
int form_field_decimals(const struct form *f, size_t i);
/* Any field key as written in the file ("show_if", "default", "pattern",
 * "pattern_message.en", ...), or NULL when absent or not a field key. */
const char *form_field_attr(const struct form *f, size_t i, const char *key);

/* Choices of a choice or multi field (0 for other types): their codes and
 * labels, c from 0 to form_field_choice_count() - 1. */
size_t form_field_choice_count(const struct form *f, size_t i);
const char *form_field_choice_code(const struct form *f, size_t i, size_t c);
const char *form_field_choice_label(const struct form *f, size_t i, size_t c,
				    int english);
/* The index of a choice code in field i, or -1. */
int form_field_choice_index(const struct form *f, size_t i, const char *code);

/* "text", "integer", "decimal", "date", "yesno", "choice", "multi". */
const char *form_type_name(enum form_type type);

/* ---- answers ---- */

void form_answers_init(struct form_answers *a);
/* Set the day the answers were given (see struct form_answers); a date
 * that is not YYYY-MM-DD, or NULL, means today. */
void form_answers_set_day(struct form_answers *a, const char *date);
/* Free every item and leave a empty. NULL is allowed. */
void form_answers_release(struct form_answers *a);
/* Set id to a copy of value, replacing an earlier value in place or
 * appending. value NULL removes the answer. */
void form_answers_set(struct form_answers *a, const char *id,
		      const char *value);
/* The value of id, or NULL when not set. Owned by a. */
const char *form_answers_get(const struct form_answers *a, const char *id);

/* Tidy answers as typed at the command line: trim blanks around every
 * value; for multiple choice drop blanks and empty items, drop repeated
 * codes and put the codes in the form's choice order (unknown codes stay at
 * the end, for form_check() to report). */
void form_answers_normalize(const struct form *f, struct form_answers *a);

/* Remove answers of hidden fields and empty answers. Unknown ids stay. */
void form_answers_prune(const struct form *f, struct form_answers *a);

/* ---- checking ---- */

/* Whether field idx is shown for these answers: its show_if condition
 * holds, where the answer of an earlier hidden field counts as empty.
 * Returns 1 or 0 (0 also for an index out of range). */
int form_field_visible(const struct form *f, const struct form_answers *a,
		       size_t idx);
/* Whether each field is shown for these answers, as form_field_visible()
 * gives it, into vis[0..form_field_count(f) - 1]: one pass for all. */
void form_fields_visible(const struct form *f, const struct form_answers *a, char *vis);

/* Check one value for field idx on its own (type, limits, length,
 * pattern, choices), whatever the other answers. An empty value is GQ_OK
 * here (required is a matter of form_check_field()). GQ_EINVAL with a
 * sentence naming the field by its label when refused. */
enum gq_status form_check_value(const struct form *f, size_t idx,
				const char *value, int english,
				struct gq_err *err);

/* Check the answer of field idx within the answers: a hidden field is
 * always GQ_OK; a visible required field must be answered; a given value
 * must pass form_check_value(). For field-by-field checking in screens. */
enum gq_status form_check_field(const struct form *f,
				const struct form_answers *a, size_t idx,
				int english, struct gq_err *err);

/* Check all answers: an id that is not a field of the form is refused,
 * then every field in form order; the first error is returned. */
enum gq_status form_check(const struct form *f, const struct form_answers *a,
			  int english, struct gq_err *err);

/* The default value of field idx for these answers into out (reset
 * first): a fixed value, "today"/"today+N" resolved to a date, or
 * "followup" resolved to today plus the follow-up days for the risk level
 * of the answers. Returns 1 when the field has a default, else 0 (out is
 * then empty). */
int form_field_default(const struct form *f, const struct form_answers *a,
		       size_t idx, struct strbuf *out);

/* For every visible field without an answer, in form order, set its
 * default (as form_field_default()). Returns how many were set. */
size_t form_apply_defaults(const struct form *f, struct form_answers *a);

/* ---- risk and follow-up ---- */

/* The risk level the form's [risk] rules give for the answers: "high",
 * "medium" or "low" (static strings), or NULL when the form has no [risk]
 * section. The highest level whose rule holds wins, else the default. */
const char *form_risk(const struct form *f, const struct form_answers *a);

/* Days until the next visit for a risk level ("high", "medium", "low",
 * or NULL for a form without risk) from the [followup] section; the
 * section's default when the level has no line; -1 when there is none. */
int form_followup_days(const struct form *f, const char *risk);

/* The follow-up date: from (the visit date, YYYY-MM-DD; NULL or "" for
 * today) plus form_followup_days(), written as YYYY-MM-DD into buf (at
 * least 11 bytes). Returns the days, or -1 (buf then empty) when the form
 * proposes no follow-up. This is the one rule for a visit's follow-up:
 * the save path and the visit screen both call it. */
int form_followup_date(const struct form *f, const char *risk, const char *from,
		       char *buf, size_t size);

/* The index of the form's "next visit" question (the date field whose
 * default is the follow-up), or -1 when the form has none. Its answer and
 * the visit's follow-up are one date. */
long form_followup_field(const struct form *f);

/* ---- serialisation ---- */

/* Append the answers to out as a canonical JSON object of strings: no
 * blanks, keys in form order, hidden, empty and unknown fields dropped,
 * multiple-choice codes in choice order. With f NULL, every non-empty
 * answer is written in its stored order. */
void form_answers_to_json(const struct form *f, const struct form_answers *a,
			  struct strbuf *out);

/* Parse a flat JSON object whose values are all strings into out (which is
 * emptied first). Strict: malformed JSON, another value type, a repeated
 * key, invalid UTF-8, a lone surrogate or \u0000 is refused with
 * GQ_ECORRUPT and a sentence giving the byte offset; out is then empty. */
enum gq_status form_answers_from_json(const char *text,
				      struct form_answers *out,
				      struct gq_err *err);

/* Append a readable description of the form to out (title, each field
 * with its type, limits, choices and condition, the risk rules and
 * follow-up days), for `guanqing form show`. */
void form_describe(const struct form *f, int english, struct strbuf *out);

#endif
