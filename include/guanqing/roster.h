/* roster.h - the People list's rows: every live person of this place, in
 * the list's order, with what the list shows and what its filters and its
 * search need (the pinyin key, the open categories).
 *
 * The list's order is that of the names in pinyin, as a Chinese reader
 * looks a name up (张 under Z), without case; then the name, then the id.
 * SQLite cannot give that order (no index holds it), so the whole list is
 * read and sorted, and then kept: a roster read again while the database
 * is unchanged (db_stamp_same) costs nothing, and after a change the
 * persons are read again in one pass in storage order and compared with
 * those kept, so that only a person new or renamed since gets a new key
 * and is sorted, to be merged into the order kept for the others. The
 * open categories, which only a filter by category needs, are read when
 * it first asks (roster_read_categories).
 */
#ifndef GUANQING_ROSTER_H
#define GUANQING_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/pinyin.h"

/* What the list shows of a person (roster_str()). */
enum roster_field {
	ROSTER_ID,
	ROSTER_NAME,
	ROSTER_ID_NUMBER,
	ROSTER_PHONE,
	ROSTER_STATUS,
	ROSTER_GRID_ID,
	ROSTER_NFIELDS
};

/* A person as the list shows them. A county keeps a hundred thousand, so
 * a person is small: the strings lie in one allocation, found by their
 * offsets: 260 bytes a person with the search's key, 30 MB for the
 * 113,000 people of five years (doc/performance.md). */
struct roster_person {
	/* private: the fields, in enum roster_field's order, then the
	 * name in pinyin in lower case (roster.c), each ended by '\0' */
	char *text;
	sqlite3_int64 rowid;
	unsigned long long prefix;	/* the list's order's first 8 bytes */
	uint32_t off[ROSTER_NFIELDS + 1];	/* where each string begins in text */
	unsigned categories;	/* bit i: an open category choices_category[i];
				 * once roster_read_categories() read them */
	bool fresh;		/* new or renamed: to be placed and given a key */
};

/* A person's field f: never NULL ("" for no value), living as long as
 * the person is in the roster unchanged. */
static inline const char *roster_str(const struct roster_person *p, enum roster_field f)
{
	return p->text + p->off[f];
}

/* What a search reads of a person (person_sieve_get), apart from the
 * rest so that a walk along the list reads one small entry after another. */
struct roster_key {
	struct pinyin_key key;	/* the name, for person_query_match() */
	const char *id_number, *phone;	/* the person's (never NULL) */
};

/* Owns its persons and their keys. */
struct roster {
	struct roster_person *p;	/* in the list's order */
	struct roster_key *keys;	/* keys[i] is p[i]'s */
	size_t n;
	/* private: the persons in storage (rowid) order, as indexes into p,
	 * to compare with a new read; the database they are of */
	size_t *by_rowid;
	struct db_stamp stamp;
	bool categories;	/* the persons' categories are read */
};

#define ROSTER_INIT { NULL, NULL, 0, NULL, { 0, 0, 0 }, false }

void roster_init(struct roster *r);
/* Free the persons and leave r empty (as roster_init). */
void roster_release(struct roster *r);

/* The i-th person of the list, in its order, and its key (i < r->n). */
static inline const struct roster_person *roster_at(const struct roster *r, size_t i)
{
	return &r->p[i];
}

static inline const struct roster_key *roster_key_at(const struct roster *r, size_t i)
{
	return &r->keys[i];
}

/* Make r the live persons of db's place as db is now (at a station its
 * village's, at the county every one). *changed (may be NULL) says
 * whether r's rows or order changed, so that a screen's indexes into
 * the list (its matches, its cursor) are to be made again. GQ_OK, or an
 * error naming the database (GQ_EDB, GQ_ENOMEM), r then empty. */
enum gq_status roster_read(struct gq_db *db, struct roster *r, bool *changed,
			   struct gq_err *err);

/* Fill each person's categories, unless they were read since the
 * persons were: call it after roster_read(), before looking at them.
 * GQ_OK, or an error naming the database (the categories are then all
 * 0). */
enum gq_status roster_read_categories(struct gq_db *db, struct roster *r, struct gq_err *err);

#endif
