/* roster.c - the People list's rows, read once and kept (roster.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/roster.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"

/* In storage order, so that SQLite reads the table straight through: 0.05 s
 * for 113,000 people, where a walk in the order of the primary key (random
 * ids, a lookup into the table for each) took 0.8 s with its sort. At a
 * station the rows of its village (query.h). */
static const char sql_persons[] =
	"SELECT rowid, id, name, id_number, phone, status, grid_id FROM person"
	" WHERE deleted = 0 AND (:village = '' OR village = :village) ORDER BY rowid";
/* The open categories, matched to the persons by id here: a join or a
 * subquery per person costs ten times this scan. */
static const char sql_categories[] =
	"SELECT person_id, category FROM person_category WHERE deleted = 0 AND end_date IS NULL";

void roster_init(struct roster *r)
{
	memset(r, 0, sizeof(*r));
}

static void person_release(struct roster_person *p)
{
	free(p->text);
	p->text = NULL;
}

void roster_release(struct roster *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		person_release(&r->p[i]);
		if (r->keys)
			pinyin_key_release(&r->keys[i].key);
	}
	free(r->p);
	free(r->keys);
	free(r->by_rowid);
	roster_init(r);
}

static const char *text_col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return v ? v : "";
}

/* Whether p's strings are those of the row st holds (its id aside). */
static bool same_text(const struct roster_person *p, sqlite3_stmt *st)
{
	int f;

	for (f = ROSTER_NAME; f < ROSTER_NFIELDS; f++)
		if (strcmp(roster_str(p, (enum roster_field)f), text_col(st, 1 + f)))
			return false;
	return true;
}

/* The byte of the list's order at a walk's place: the name in pinyin in
 * lower case (the list compares it without case), then the name, then
 * the id, each ended by \1, which sorts before any character a name or
 * its pinyin holds; 0 at the end. */
struct order_walk {
	const struct roster_person *p;
	const char *s;
	int part;		/* 0: the pinyin, 1: the name, 2: the id */
};

static void walk_init(struct order_walk *w, const struct roster_person *p)
{
	w->p = p;
	w->s = roster_str(p, ROSTER_NFIELDS);
	w->part = 0;
}

static unsigned char walk_next(struct order_walk *w)
{
	if (*w->s)
		return (unsigned char)*w->s++;
	if (w->part == 2)
		return 0;
	w->s = roster_str(w->p, ++w->part == 1 ? ROSTER_NAME : ROSTER_ID);
	return 1;
}

/* p's strings from the row st holds (id, name, id_number, phone,
 * status, grid_id), and the name in pinyin: when renamed, romanised
 * anew (then also the order's prefix), else the one p had. sb: a
 * buffer for the work, reused from person to person. */
static enum gq_status set_text(struct roster_person *p, sqlite3_stmt *st, bool renamed,
			       struct strbuf *sb)
{
	const char *pinyin = renamed ? NULL : roster_str(p, ROSTER_NFIELDS);
	size_t i;
	char *t;

	strbuf_reset(sb);
	for (i = 0; i < ROSTER_NFIELDS; i++) {
		p->off[i] = (uint32_t)sb->len;
		strbuf_add(sb, text_col(st, 1 + (int)i), (size_t)sqlite3_column_bytes(st, 1 + (int)i));
		strbuf_addch(sb, '\0');
	}
	p->off[ROSTER_NFIELDS] = (uint32_t)sb->len;
	if (!renamed) {
		strbuf_addstr(sb, pinyin);
	} else if (pinyin_romanise(text_col(st, 1 + ROSTER_NAME), sb, NULL) != GQ_OK) {
		/* Without the readings every name sorts as "": then by the name. */
		strbuf_setlen(sb, p->off[ROSTER_NFIELDS]);
	} else {
		for (i = p->off[ROSTER_NFIELDS]; i < sb->len; i++)
			if (sb->buf[i] >= 'A' && sb->buf[i] <= 'Z')
				sb->buf[i] = (char)(sb->buf[i] + 'a' - 'A');
	}
	/* More than 4 GB of strings is no person's: the offsets hold them. */
	if (sb->len >= UINT32_MAX || !(t = malloc(sb->len + 1)))
		return GQ_ENOMEM;
	memcpy(t, sb->buf, sb->len + 1);
	free(p->text);
	p->text = t;
	if (renamed) {
		/* Most comparisons end in the first 8 bytes, compared at once. */
		struct order_walk w;

		walk_init(&w, p);
		p->prefix = 0;
		for (i = 0; i < 8; i++)
			p->prefix = p->prefix << 8 | walk_next(&w);
	}
	return GQ_OK;
}

/* The list's order (roster.h). */
static int person_cmp(const struct roster_person *x, const struct roster_person *y)
{
	struct order_walk a, b;
	unsigned char c, d;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	walk_init(&a, x);
	walk_init(&b, y);
	do {
		c = walk_next(&a);
		d = walk_next(&b);
	} while (c == d && c);
	return c < d ? -1 : c > d;
}

/* What is sorted: the prefix beside the person, so that most
 * comparisons read no person. */
struct sort_ent {
	unsigned long long prefix;
	const struct roster_person *p;
};

static int ent_cmp(const void *a, const void *b)
{
	return person_cmp(((const struct sort_ent *)a)->p, ((const struct sort_ent *)b)->p);
}

/* Sort e[0 .. n) in the list's order: by the prefixes first, a byte at
 * a time (a radix sort, which compares no strings), then each run of
 * equal prefixes by the rest of the strings. tmp holds n entries. */
static void sort_ents(struct sort_ent *e, struct sort_ent *tmp, size_t n)
{
	size_t count[256], i, j, sum;
	int shift;

	for (shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(e[i].prefix >> shift) & 0xff]++;
		if (n && count[(e[0].prefix >> shift) & 0xff] == n)
			continue;	/* every prefix has this byte */
		for (i = 0, sum = 0; i < 256; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[count[(e[i].prefix >> shift) & 0xff]++] = e[i];
		memcpy(e, tmp, n * sizeof(*e));
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && e[j].prefix == e[i].prefix; j++)
			;
		if (j - i > 1)
			qsort(e + i, j - i, sizeof(*e), ent_cmp);
	}
}

/* The list's order of the n persons of p: those kept (kept[0 .. nkept),
 * indexes into p, in the list's order already) and the fresh ones (new
 * or renamed), sorted and merged in; nkept + the fresh ones are n.
 * *out: n indexes into p (the caller frees), or NULL for want of memory. */
static enum gq_status make_order(const struct roster_person *p, size_t n, const size_t *kept,
				 size_t nkept, size_t **out)
{
	size_t nfresh = n - nkept, i, j, k, m = 0;
	struct sort_ent *e = malloc((nfresh ? nfresh : 1) * 2 * sizeof(*e));
	size_t *order = malloc((n ? n : 1) * sizeof(*order));

	*out = NULL;
	if (!e || !order) {
		free(e);
		free(order);
		return GQ_ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (p[i].fresh) {
			e[m].prefix = p[i].prefix;
			e[m++].p = &p[i];
		}
	sort_ents(e, e + nfresh, m);
	for (i = j = k = 0; k < n; k++) {
		if (j < m && (i == nkept || person_cmp(e[j].p, &p[kept[i]]) < 0))
			order[k] = (size_t)(e[j++].p - p);
		else
			order[k] = kept[i++];
	}
	free(e);
	*out = order;
	return GQ_OK;
}

static uint64_t id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ull;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ull;
	return h;
}

enum gq_status roster_read_categories(struct gq_db *db, struct roster *r, struct gq_err *err)
{
	size_t size = 16, i, mask;
	size_t *slot;
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	int step = SQLITE_DONE;

	if (r->categories)
		return GQ_OK;
	while (size < 2 * r->n)
		size *= 2;
	mask = size - 1;
	/* Open addressing: slot holds a person's index + 1, 0 when empty. */
	slot = calloc(size, sizeof(*slot));
	if (!slot)
		return gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	for (i = 0; i < r->n; i++) {
		size_t h = (size_t)id_hash(roster_str(&r->p[i], ROSTER_ID)) & mask;

		while (slot[h])
			h = (h + 1) & mask;
		slot[h] = i + 1;
		r->p[i].categories = 0;
	}
	rc = db_cached(db, sql_categories, &st, err);
	while (rc == GQ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *person = text_col(st, 0), *cat = text_col(st, 1);
		size_t h = (size_t)id_hash(person) & mask, c;

		while (slot[h] && strcmp(roster_str(&r->p[slot[h] - 1], ROSTER_ID), person))
			h = (h + 1) & mask;
		if (!slot[h])
			continue;	/* a person not listed here */
		for (c = 0; choices_category[c].code && c < 32; c++)
			if (!strcmp(choices_category[c].code, cat))
				r->p[slot[h] - 1].categories |= 1u << c;
	}
	if (rc == GQ_OK && step != SQLITE_DONE)
		rc = db_error(db, _("listing people's categories"), err);
	if (st)
		sqlite3_reset(st);
	free(slot);
	for (i = 0; rc != GQ_OK && i < r->n; i++)
		r->p[i].categories = 0;
	r->categories = rc == GQ_OK;
	return rc;
}

/* Read the persons into q->p (in rowid order), taking from r's every
 * person that is still there; those new or renamed are marked fresh, to
 * be given a key (r's keys are not touched). moved[k]:
 * where r's k-th person went in q, or NONE when it went or was renamed.
 * r's persons are all taken or released, whatever the outcome, and r is
 * left empty. */
#define NONE ((size_t)-1)

static enum gq_status read_persons(struct gq_db *db, struct roster *r, struct roster *q,
				   size_t *moved, struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc = db_cached(db, sql_persons, &st, err);
	struct strbuf sb = STRBUF_INIT;
	size_t j = 0, cap = 0;
	int step = SQLITE_DONE;

	if (rc == GQ_OK) {
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":village"), db->village, -1,
				  SQLITE_STATIC);
	}
	while (rc == GQ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		const char *id = text_col(st, 1);
		struct roster_person *p, *old;

		if (q->n == cap) {
			size_t grown_cap = cap ? cap * 2 : (r->n ? r->n + 64 : 1024);
			void *grown = realloc(q->p, grown_cap * sizeof(*q->p));

			if (!grown) {
				rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
				break;
			}
			q->p = grown;
			cap = grown_cap;
		}
		for (; j < r->n && r->p[r->by_rowid[j]].rowid < rowid; j++) {
			person_release(&r->p[r->by_rowid[j]]);
			moved[r->by_rowid[j]] = NONE;
		}
		old = j < r->n ? &r->p[r->by_rowid[j]] : NULL;
		p = &q->p[q->n];
		if (old && old->rowid == rowid && !strcmp(roster_str(old, ROSTER_ID), id)) {
			moved[r->by_rowid[j++]] = q->n++;
			*p = *old;
			if (same_text(p, st))
				continue;
			if (!strcmp(roster_str(p, ROSTER_NAME), text_col(st, 1 + ROSTER_NAME))) {
				if (set_text(p, st, false, &sb) != GQ_OK)
					rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
				continue;
			}
			moved[r->by_rowid[j - 1]] = NONE;
		} else {
			/* A rowid given to another person (after a VACUUM). */
			if (old && old->rowid == rowid) {
				person_release(old);
				moved[r->by_rowid[j++]] = NONE;
			}
			memset(p, 0, sizeof(*p));
			p->rowid = rowid;
			q->n++;
		}
		p->fresh = true;
		if (set_text(p, st, true, &sb) != GQ_OK)
			rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	}
	strbuf_release(&sb);
	if (rc == GQ_OK && step != SQLITE_DONE)
		rc = db_error(db, _("listing people"), err);
	if (st)
		sqlite3_reset(st);
	for (; j < r->n; j++) {
		person_release(&r->p[r->by_rowid[j]]);
		moved[r->by_rowid[j]] = NONE;
	}
	free(r->p);
	free(r->by_rowid);
	roster_init(r);
	return rc;
}

/* The list in its order: r->p[i] = q->p[order[i]], moved where they are
 * (order is used up), the search's entries beside it, each kept person
 * with the key it had in old_keys (from[j]: the old place of q's j-th
 * person, NONE for one fresh), a fresh one's key built here, in the
 * list's order (so that the keys a search walks lie one after the
 * other). */
static enum gq_status place(struct roster *r, struct roster *q, size_t *order,
			    const size_t *from, struct roster_key *old_keys)
{
	size_t n = q->n ? q->n : 1, i, j;
	struct roster_person *trimmed = realloc(q->p, n * sizeof(*q->p));

	if (!trimmed)
		return GQ_ENOMEM;
	q->p = trimmed;
	r->keys = malloc(n * sizeof(*r->keys));
	r->by_rowid = malloc(n * sizeof(*r->by_rowid));
	if (!r->keys || !r->by_rowid)
		return GQ_ENOMEM;
	for (i = 0; i < q->n; i++) {
		const struct roster_person *p = &q->p[order[i]];
		struct roster_key *k = &r->keys[i];

		r->by_rowid[order[i]] = i;
		pinyin_key_init(&k->key);
		if (from[order[i]] != NONE) {
			k->key = old_keys[from[order[i]]].key;
			pinyin_key_init(&old_keys[from[order[i]]].key);
		} else {
			pinyin_key_set(&k->key, roster_str(p, ROSTER_NAME));
		}
		k->id_number = roster_str(p, ROSTER_ID_NUMBER);
		k->phone = roster_str(p, ROSTER_PHONE);
	}
	/* Cycle by cycle, without a second array of a hundred thousand
	 * persons: order[j] = j marks a place filled. */
	for (i = 0; i < q->n; i++) {
		struct roster_person t;

		if (order[i] == i)
			continue;
		t = q->p[i];
		for (j = i; order[j] != i;) {
			size_t next = order[j];

			q->p[j] = q->p[next];
			order[j] = j;
			j = next;
		}
		q->p[j] = t;
		order[j] = j;
	}
	for (i = 0; i < q->n; i++)
		q->p[i].fresh = false;
	r->p = q->p;
	r->n = q->n;
	r->stamp = q->stamp;
	q->p = NULL;
	q->n = 0;
	return GQ_OK;
}

enum gq_status roster_read(struct gq_db *db, struct roster *r, bool *changed,
			   struct gq_err *err)
{
	struct roster q = ROSTER_INIT;	/* the persons read, in rowid order */
	struct roster_key *old_keys = r->keys;
	size_t *moved = NULL, *kept = NULL, *from = NULL, *order = NULL, nkept = 0, old_n = r->n, i;
	enum gq_status rc;

	if (changed)
		*changed = false;
	if (r->by_rowid && db_stamp_same(db, &r->stamp))
		return GQ_OK;
	if (changed)
		*changed = true;
	/* The keys are handed on (place()) or released below. */
	r->keys = NULL;
	/* Taken before reading: a commit while reading shows next time. */
	rc = db_stamp_take(db, &q.stamp, err);
	if (rc == GQ_OK && old_n && !(moved = malloc(old_n * sizeof(*moved))))
		rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	if (rc == GQ_OK)
		rc = read_persons(db, r, &q, moved, err);
	else
		roster_release(r);
	/* The persons kept, in the list's order as it was, and where each
	 * person read was in it. */
	if (rc == GQ_OK && (!(kept = malloc((q.n ? q.n : 1) * sizeof(*kept))) ||
			    !(from = malloc((q.n ? q.n : 1) * sizeof(*from)))))
		rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	for (i = 0; rc == GQ_OK && i < q.n; i++)
		from[i] = NONE;
	for (i = 0; rc == GQ_OK && i < old_n; i++)
		if (moved[i] != NONE) {
			kept[nkept++] = moved[i];
			from[moved[i]] = i;
		}
	if (rc == GQ_OK && make_order(q.p, q.n, kept, nkept, &order) != GQ_OK)
		rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	if (rc == GQ_OK && place(r, &q, order, from, old_keys) != GQ_OK)
		rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	/* The keys of the persons gone or renamed (the others were handed
	 * on, leaving empty keys). */
	for (i = 0; i < old_n; i++)
		pinyin_key_release(&old_keys[i].key);
	free(old_keys);
	free(order);
	free(from);
	free(kept);
	free(moved);
	roster_release(&q);
	if (rc != GQ_OK)
		roster_release(r);
	return rc;
}
