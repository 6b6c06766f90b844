/* field.h - one check and one display of every stored field value.
 *
 * A value typed on the command line, entered on a screen or received in a
 * bundle passes field_check(); a stored value is shown through
 * field_display() wherever it is shown (screens, tables, CSV, history).
 * Referenced rows are named by record_label() the same way everywhere.
 */
#ifndef GUANQING_FIELD_H
#define GUANQING_FIELD_H

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

/* Check text as a value of field f and give its stored form in *out
 * (malloc'ed, the caller frees; NULL for an empty value). A reference is
 * resolved in db (an id or an unambiguous prefix of one); db may be NULL
 * to check everything else. Choices are taken by code or by label (English
 * or translated), yes/no by 1/0, yes/no, 是/否. Required-ness is not
 * checked here. On a refusal err names the field by its label. */
enum gq_status field_check(struct gq_db *db, const struct field_def *f,
			   const char *text, char **out, struct gq_err *err);

/* Append to out how the stored value reads in the user's language: choice
 * labels (a comma list of codes as labels joined by 、 or ", "), yes/no,
 * the label of a referenced row (record_label), else the value as stored.
 * NULL or "" appends nothing. db may be NULL (references then show the
 * first 8 characters of the id). */
void field_display(struct gq_db *db, const struct field_def *f,
		   const char *value, struct strbuf *out);

/* Append to out the name of row id of table t: its label column (a
 * person's or user's name, a household's address, an activity's title);
 * the first 8 characters of the id when the row is not there. Uses a
 * statement cached on db. */
void record_label(struct gq_db *db, const struct table_def *t, const char *id,
		  struct strbuf *out);

/* The column that names a row of t ("name" unless the table says). */
const char *table_label_column(const struct table_def *t);

/* The separator of several answers in a list: 、 in Chinese, ", " else. */
const char *field_list_separator(void);

#endif
