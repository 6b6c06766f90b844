/* tables.h - what each synced table holds: its fields, their types, labels,
 * choices and limits. The record layer (record.h), the command line, the
 * screens, the dump and the sync layer all read these definitions, so a
 * field is described once.
 *
 * Every synced table also has the common columns id, origin, village,
 * created_at, updated_at and deleted (see schema.h), which are not listed.
 */
#ifndef GUANQING_TABLES_H
#define GUANQING_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/err.h"

enum ftype {
	FT_TEXT,	/* one line, limited in characters */
	FT_NOTES,	/* several lines */
	FT_NAME,	/* a person's name: CJK and the middle dot */
	FT_IDNUM,	/* resident ID number, GB 11643-1999 */
	FT_PHONE,	/* mobile or landline */
	FT_DATE,	/* YYYY-MM-DD */
	FT_INT,		/* whole number within min..max */
	FT_MONEY,	/* yuan with up to two decimals, stored as text */
	FT_BOOL,	/* 0/1 */
	FT_ENUM,	/* one of choices */
	FT_REF,		/* id of a row of table ref */
	FT_JSON		/* visit answers, checked against the form */
};

#define F_REQUIRED 0x01	/* must have a value */
#define F_COUNTY   0x02	/* only the county may set it (decisions) */
#define F_SYSTEM   0x04	/* set by the program, never by the user */
#define F_PAST     0x08	/* a date that may not be in the future */
#define F_FIXED    0x10	/* may be given at creation but not changed */
#define F_SHOWN    0x20	/* with F_SYSTEM: computed from other fields
			 * (table_hooks.derive) and shown on the forms */
/* FT_TEXT written as a number: only digits (an account), or only letters,
 * digits and '-' (a certificate); the spaces typed between groups are
 * dropped, and min is the least length. */
#define F_DIGITS   0x40
#define F_CODE     0x80

struct choice {
	const char *code;	/* stored and typed on the command line */
	const char *label;	/* English, translated with _() */
};

struct field_def {
	const char *name;	/* column */
	const char *opt;	/* command-line option (without --) */
	enum ftype type;
	unsigned flags;
	const char *label;	/* English, translated with _() */
	int64_t min, max;	/* FT_INT bounds; text: max characters */
	const struct choice *choices;	/* FT_ENUM, NULL-code terminated */
	const char *ref;	/* FT_REF: the table pointed to */
};

struct gq_db;
struct strbuf;
struct rec_ctx;
struct record;

/* What is particular to a kind of record, beyond its fields: the rules of
 * rules.c. Each may be NULL. */
struct table_hooks {
	/* Check and complete the row being saved (a refusal fills err). */
	enum gq_status (*check)(struct gq_db *db, struct rec_ctx *c, struct gq_err *err);
	/* Effects on other rows, in the same transaction, once it is written. */
	enum gq_status (*after)(struct gq_db *db, struct rec_ctx *c, struct gq_err *err);
	/* Allow or refuse a tombstone; effects of it. */
	enum gq_status (*del)(struct gq_db *db, const struct record *r, struct gq_err *err);
	/* Whether a choice of field f is offered at this place (NULL: all
	 * are); what is not offered would be refused by check. */
	int (*offers)(struct gq_db *db, const struct field_def *f, const char *code);
	/* The value of a computed field f (F_SYSTEM | F_SHOWN) from the
	 * other fields, which get(arg, name) gives (NULL when empty), into
	 * out; "" when it cannot be computed. */
	void (*derive)(const struct field_def *f, const char *(*get)(void *arg, const char *name),
		       void *arg, char *out, size_t size);
	/* Before a new row is saved on the screens: the question to confirm
	 * it with (into q), or nothing to save without asking. */
	void (*confirm)(struct gq_db *db, const char *(*get)(void *arg, const char *name),
			void *arg, struct strbuf *q);
};


struct table_def {
	const char *name;	/* SQL table */
	const char *cli;	/* command-line noun */
	const char *label;	/* English, translated with _() */
	const struct field_def *fields;
	size_t nfields;
	int village_scoped;	/* rows belong to one village */
	const char *list_fields;/* comma list shown by "list" */
	const char *order_by;	/* fixed SQL ORDER BY for lists */
	const char *label_col;	/* the column that names a row (field.h) */
	const char *label_sql;	/* SELECT label_col FROM name WHERE id = ?1 */
	const struct table_hooks *hooks;	/* the kind's rules, or NULL */
	int residents;		/* rows hold residents' names, ID numbers or
				 * phones: exporting them is an admin's act */
};

extern const struct table_def *const tables_all[];
extern const size_t tables_count;

/* Whether the forms should offer choice code of field f of t here. */
int table_offers(struct gq_db *db, const struct table_def *t, const struct field_def *f,
		 const char *code);

/* The table called name (SQL name or command-line noun), or NULL. */
const struct table_def *table_find(const char *name);
/* The field called name (column or option, '-' read as '_'), or NULL. */
const struct field_def *table_field(const struct table_def *t, const char *name);
/* Index of a field in t->fields, or -1. */
int table_field_index(const struct table_def *t, const char *name);
/* The choice whose code or label (English or translated) is text, or NULL. */
const struct choice *choice_find(const struct choice *c, const char *text);
/* Translated label of a code, or the code itself when unknown. */
const char *choice_label(const struct choice *c, const char *code);

/* Choice lists shared with the forms and the screens. */
extern const struct choice choices_category[];
extern const struct choice choices_role[];
extern const struct choice choices_sex[];
extern const struct choice choices_person_status[];
extern const struct choice choices_application_status[];
extern const struct choice choices_risk[];

#endif
