/* query.c - the read model: lists, counts and searches, computed once. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/field.h"
#include "guanqing/form.h"
#include "guanqing/formdb.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/strbuf.h"
#include "guanqing/validate.h"

/* The latest visit of a person (query.h) is kept in the table
 * visit_latest, one row per person, by triggers on the visits (schema.c,
 * migration 7): the rule is written there once, and holds however a visit
 * was written (saved here, merged from a bundle, deleted). */

/* The rows of this place (query.h): at a station, the village's. */
static void scope_sql(struct gq_db *db, const char *alias, struct strbuf *sql)
{
	if (db->role == DB_ROLE_STATION)
		strbuf_addf(sql, " AND %s%svillage = :village", alias ? alias : "", alias ? "." : "");
}

static void bind_named(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
}

static void bind_scope(struct gq_db *db, sqlite3_stmt *st)
{
	bind_named(st, ":village", db->village);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ---- matching a person ---- */

void person_query_set(struct person_query *q, const char *text)
{
	size_t i, n = 0;
	int digits = 1;

	memset(q, 0, sizeof(*q));
	if (!text)
		text = "";
	snprintf(q->text, sizeof(q->text), "%s", text);
	pinyin_query_set(&q->pq, q->text);
	/* Digits (with x for the ID number's check character, and the
	 * separators people type) are an ID number or a phone. */
	for (i = 0; text[i]; i++) {
		char c = text[i];

		if (c == ' ' || c == '-')
			continue;
		if (!((c >= '0' && c <= '9') || c == 'x' || c == 'X')) {
			digits = 0;
			break;
		}
		if (n + 1 < sizeof(q->digits))
			q->digits[n++] = c == 'x' ? 'X' : c;
	}
	q->digits[n] = '\0';
	if (!digits || !n)
		q->digits[0] = '\0';
	q->empty = !q->digits[0] && pinyin_query_empty(&q->pq);
}

int person_query_match(const struct person_query *q, const struct pinyin_key *key,
		       const char *id_number, const char *phone)
{
	if (q->empty)
		return 0;
	if (q->digits[0]) {
		if (id_number && strstr(id_number, q->digits))
			return 0;
		/* A phone has no x; its separators were dropped from the query. */
		if (phone && !strchr(q->digits, 'X')) {
			char p[32];
			size_t i, n = 0;

			for (i = 0; phone[i] && n + 1 < sizeof(p); i++)
				if (phone[i] >= '0' && phone[i] <= '9')
					p[n++] = phone[i];
			p[n] = '\0';
			if (strstr(p, q->digits))
				return 0;
		}
		return -1;
	}
	{
		int m = pinyin_key_match(key, &q->pq);

		return m < 0 ? -1 : m == 0 ? 0 : 1;
	}
}

bool person_query_narrows(const struct person_query *prev, const struct person_query *q)
{
	if (prev->empty || q->empty)
		return prev->empty;
	if (prev->digits[0] || q->digits[0])
		return prev->digits[0] && q->digits[0] && strstr(q->digits, prev->digits);
	if (prev->pq.too_long || q->pq.too_long || prev->pq.len > q->pq.len)
		return false;
	return !memcmp(prev->pq.cp, q->pq.cp, prev->pq.len * sizeof(prev->pq.cp[0]));
}

void person_sieve_init(struct person_sieve *s)
{
	memset(s, 0, sizeof(*s));
}

void person_sieve_release(struct person_sieve *s)
{
	free(s->hit);
	free(s->at);
	free(s->by_letter);
	person_sieve_init(s);
}

void person_sieve_reset(struct person_sieve *s)
{
	s->valid = false;
	s->n = 0;
	s->indexed = false;
}

/* Index the n persons of the list by the letters a match may begin with. */
static enum gq_status sieve_index(struct person_sieve *s, size_t n, person_sieve_get get, void *arg)
{
	size_t count[27] = { 0 }, at[26], i, c, sum = 0;
	const struct pinyin_key *key;
	const char *idn, *phone;
	size_t *p;

	for (i = 0; i < n; i++) {
		uint32_t m;

		get(arg, i, &key, &idn, &phone);
		for (m = pinyin_key_initials(key), c = 0; m; m >>= 1, c++)
			count[c] += m & 1;
	}
	for (c = 0; c < 26; c++) {
		s->from[c] = sum;
		at[c] = sum;
		sum += count[c];
	}
	s->from[26] = sum;
	p = realloc(s->by_letter, (sum ? sum : 1) * sizeof(*p));
	if (!p)
		return GQ_ENOMEM;
	s->by_letter = p;
	for (i = 0; i < n; i++) {
		uint32_t m;

		get(arg, i, &key, &idn, &phone);
		for (m = pinyin_key_initials(key), c = 0; m; m >>= 1, c++)
			if (m & 1)
				p[at[c]++] = i;
	}
	s->indexed = true;
	return GQ_OK;
}

enum gq_status person_sieve_run(struct person_sieve *s, const char *text, size_t n,
				person_sieve_get get, void *arg)
{
	struct person_query q;
	const size_t *cand = NULL;
	uint32_t first;
	bool narrow;
	size_t i, m = 0, from;

	person_query_set(&q, text);
	/* From an empty query (everybody) the index by letter is narrower. */
	narrow = s->valid && !s->q.empty && person_query_narrows(&s->q, &q);
	from = narrow ? s->n : n;
	first = !q.empty && !q.digits[0] && q.pq.len ? q.pq.cp[0] : 0;
	if (narrow) {
		cand = s->hit;
	} else if (first >= 'a' && first <= 'z') {
		/* Only the names a match can begin in with that letter. */
		if (!s->indexed && sieve_index(s, n, get, arg) != GQ_OK) {
			person_sieve_reset(s);
			return GQ_ENOMEM;
		}
		cand = s->by_letter + s->from[first - 'a'];
		from = s->from[first - 'a' + 1] - s->from[first - 'a'];
	}
	if (!narrow && s->cap < n) {
		size_t *h = realloc(s->hit, (n ? n : 1) * sizeof(*h));
		signed char *a = h ? realloc(s->at, n ? n : 1) : NULL;

		if (h)
			s->hit = h;
		if (a)
			s->at = a;
		if (!h || !a) {
			person_sieve_reset(s);
			return GQ_ENOMEM;
		}
		s->cap = n;
	}
	/* Narrowing writes hit[m] at or before the hit[i] it reads. */
	for (i = 0; i < from; i++) {
		size_t k = cand ? cand[i] : i;
		const struct pinyin_key *key;
		const char *idn, *phone;
		int at;

		get(arg, k, &key, &idn, &phone);
		at = person_query_match(&q, key, idn, phone);
		if (at >= 0) {
			s->hit[m] = k;
			s->at[m++] = (signed char)at;
		}
	}
	s->n = m;
	s->q = q;
	s->valid = true;
	return GQ_OK;
}

static void copy(char *dst, size_t size, const char *s)
{
	size_t n = s ? strnlen(s, size - 1) : 0;

	/* Bounded like snprintf, without its cost on every row of a list. */
	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ---- prebuilt search keys ---- */

/* The pinyin keys of every person, built once per process and connection
 * and kept while the database is unchanged (db_stamp_same), so that a
 * search per keystroke only matches (person_query_match) instead of
 * building every key again. */
struct search_key {
	sqlite3_int64 rowid;
	char *idn, *phone;
	char village[16];
	int deleted;
	struct pinyin_key key;
};

/* The keys are in the order of the person table's lists (name, id), so
 * that matches are handed out in that order without sorting; the last
 * query's matches are kept to narrow the next keystroke's. */
#define SKEYS_ORDER "name, id"	/* the person table's order_by (tables.c) */

static struct {
	struct db_stamp stamp;	/* of the database the keys were built from */
	struct search_key *k;
	size_t n;
	struct person_sieve sieve;
} skeys;

static void skeys_drop(void)
{
	size_t i;

	for (i = 0; i < skeys.n; i++) {
		free(skeys.k[i].idn);
		free(skeys.k[i].phone);
		pinyin_key_release(&skeys.k[i].key);
	}
	free(skeys.k);
	person_sieve_release(&skeys.sieve);
	memset(&skeys, 0, sizeof(skeys));
}

/* Whether the keys are those of db as it is now. */
static int skeys_fresh(struct gq_db *db)
{
	return skeys.k && db_stamp_same(db, &skeys.stamp);
}

/* Build the keys of every person of db; -1 when they cannot be had (the
 * caller then matches row by row). */
static int skeys_build(struct gq_db *db)
{
	struct db_stamp stamp;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int step;

	skeys_drop();
	/* Taken before reading: a commit while reading shows next time. */
	if (db_stamp_take(db, &stamp, NULL) != GQ_OK)
		return -1;
	if (sqlite3_prepare_v2(db->h, "SELECT rowid, name, id_number, phone, deleted, village"
			       " FROM person ORDER BY " SKEYS_ORDER, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct search_key *k;

		if (skeys.n == cap) {
			struct search_key *p;

			cap = cap ? cap * 2 : 1024;
			p = realloc(skeys.k, cap * sizeof(*p));
			if (!p)
				break;
			skeys.k = p;
		}
		k = &skeys.k[skeys.n];
		k->rowid = sqlite3_column_int64(st, 0);
		k->deleted = sqlite3_column_int(st, 4);
		copy(k->village, sizeof(k->village), col(st, 5));
		k->idn = col(st, 2) ? strdup(col(st, 2)) : NULL;
		k->phone = col(st, 3) ? strdup(col(st, 3)) : NULL;
		pinyin_key_init(&k->key);
		pinyin_key_set(&k->key, col(st, 1) ? col(st, 1) : "");
		skeys.n++;
		if ((col(st, 2) && !k->idn) || (col(st, 3) && !k->phone))
			break;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		skeys_drop();
		return -1;
	}
	skeys.stamp = stamp;
	return 0;
}

static void skeys_get(void *arg, size_t i, const struct pinyin_key **key,
		      const char **id_number, const char **phone)
{
	(void)arg;
	*key = &skeys.k[i].key;
	*id_number = skeys.k[i].idn;
	*phone = skeys.k[i].phone;
}

/* Match q against the keys (skeys.sieve then holds the matches, in the
 * lists' order); -1 when the keys cannot be had. */
static int skeys_match(struct gq_db *db, const char *text)
{
	if (!skeys_fresh(db) && skeys_build(db))
		return -1;
	if (person_sieve_run(&skeys.sieve, text, skeys.n, skeys_get, NULL) != GQ_OK) {
		skeys_drop();
		return -1;
	}
	return 0;
}

/* ---- rows of a table ---- */

/* One row of st into r (its values point into st's row). */
static void row_of(sqlite3_stmt *st, const struct table_def *t, struct record *r)
{
	size_t i;

	copy(r->id, sizeof(r->id), col(st, 0));
	copy(r->origin, sizeof(r->origin), col(st, 1));
	copy(r->village, sizeof(r->village), col(st, 2));
	copy(r->created_at, sizeof(r->created_at), col(st, 3));
	copy(r->updated_at, sizeof(r->updated_at), col(st, 4));
	r->deleted = sqlite3_column_int(st, 5);
	for (i = 0; i < t->nfields; i++)
		r->values[i] = (char *)col(st, 6 + (int)i);
}

/* The search with the keys: the matches (skeys.sieve, in the lists'
 * order) read one by one by rowid through st, which holds the other
 * conditions. When only deletion and place apply, they are checked on
 * the keys, so that a count of every match reads no row. */
static int keyed_rows(struct gq_db *db, const struct table_def *t, const struct query_filter *flt,
		      bool simple, sqlite3_stmt *st, struct record *r, query_row_fn fn, void *arg)
{
	bool scoped = t->village_scoped && !flt->everywhere && db->role == DB_ROLE_STATION;
	bool stop = false;
	size_t i, handed = 0, total = 0;
	int step = SQLITE_DONE, rowid = sqlite3_bind_parameter_index(st, ":rowid");

	for (i = 0; i < skeys.sieve.n; i++) {
		const struct search_key *k = &skeys.k[skeys.sieve.hit[i]];
		bool full = stop || (flt->limit && handed >= flt->limit);

		if (simple) {
			if ((k->deleted && !flt->deleted) || (scoped && strcmp(k->village, db->village)))
				continue;
			total++;
			if (full) {
				if (!flt->total)
					break;
				continue;
			}
		} else if (full && !flt->total) {
			break;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, rowid, k->rowid);
		step = sqlite3_step(st);
		if (step == SQLITE_DONE)
			continue;
		if (step != SQLITE_ROW)
			return step;
		if (!simple)
			total++;
		if (full)
			continue;
		row_of(st, t, r);
		handed++;
		if (fn(arg, r))
			stop = true;
	}
	if (flt->total)
		*flt->total = total;
	return SQLITE_DONE;
}

enum gq_status query_rows(struct gq_db *db, const struct table_def *t,
			  const struct query_filter *flt, query_row_fn fn, void *arg,
			  struct gq_err *err)
{
	static const struct query_filter none;
	struct strbuf sql = STRBUF_INIT;
	const struct field_def *where = NULL;
	const struct choice *cat = NULL;
	struct person_query pq;
	struct pinyin_key key = PINYIN_KEY_INIT;
	struct record r;
	sqlite3_stmt *st = NULL;
	enum gq_status rc = GQ_OK;
	int is_person = !strcmp(t->name, "person"), step;
	int i_name = table_field_index(t, "name"), i_idn = table_field_index(t, "id_number"),
	    i_phone = table_field_index(t, "phone");
	bool search, keyed = false;
	size_t i, handed = 0, total = 0;

	if (!flt)
		flt = &none;
	if (flt->field) {
		where = table_field(t, flt->field);
		if (!where)
			return gq_err_set(err, GQ_EINVAL, _("A %s has no field \"%s\"."),
					  _(t->label), flt->field);
	}
	if (flt->category) {
		cat = choice_find(choices_category, flt->category);
		if (!cat)
			return gq_err_set(err, GQ_EINVAL,
					  _("\"%s\" is not a category (see \"guanqing person fields\")."),
					  flt->category);
	}
	strbuf_addstr(&sql, "SELECT id, origin, village, created_at, updated_at, deleted");
	for (i = 0; i < t->nfields; i++)
		strbuf_addf(&sql, ", %s", t->fields[i].name);
	strbuf_addf(&sql, " FROM %s WHERE (deleted = 0 OR :deleted)", t->name);
	if (t->village_scoped && !flt->everywhere)
		scope_sql(db, NULL, &sql);
	if (where)
		strbuf_addf(&sql, " AND %s = :value", where->name);
	if (is_person && cat)
		strbuf_addstr(&sql, " AND id IN (SELECT person_id FROM person_category"
			      " WHERE category = :category AND deleted = 0 AND end_date IS NULL)");
	if (is_person && flt->status)
		strbuf_addstr(&sql, " AND status = :status");
	if (is_person && flt->grid)
		strbuf_addstr(&sql, " AND grid_id = :grid");
	person_query_set(&pq, flt->search);
	search = flt->search && is_person && !pq.empty;
	if (search && !strcmp(t->order_by, SKEYS_ORDER) && skeys_match(db, flt->search) == 0)
		keyed = true;
	if (keyed)
		strbuf_addstr(&sql, " AND rowid = :rowid");
	else
		strbuf_addf(&sql, " ORDER BY %s", t->order_by);
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":deleted"), flt->deleted);
	bind_scope(db, st);
	bind_named(st, ":value", flt->value);
	bind_named(st, ":category", cat ? cat->code : NULL);
	bind_named(st, ":status", flt->status);
	bind_named(st, ":grid", flt->grid);

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.values = calloc(t->nfields ? t->nfields : 1, sizeof(char *));
	if (!r.values) {
		sqlite3_finalize(st);
		return gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	}
	if (keyed) {
		step = keyed_rows(db, t, flt, !where && !cat && !flt->status && !flt->grid, st, &r, fn, arg);
	} else {
		bool stop = false;

		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			/* The values point into the statement's row: valid
			 * until the next step, which is after the callback. */
			row_of(st, t, &r);
			if (search) {
				pinyin_key_set(&key, r.values[i_name]);
				if (person_query_match(&pq, &key, i_idn >= 0 ? r.values[i_idn] : NULL,
						       i_phone >= 0 ? r.values[i_phone] : NULL) < 0)
					continue;
			}
			total++;
			if (stop || (flt->limit && handed >= flt->limit)) {
				if (!flt->total)
					break;
				continue;
			}
			handed++;
			if (fn(arg, &r))
				stop = true;
		}
		if (flt->total)
			*flt->total = total;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("listing records"), err);
	pinyin_key_release(&key);
	free(r.values);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status query_choices(struct gq_db *db, const struct table_def *t,
			     query_choice_fn fn, void *arg, struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT, detail = STRBUF_INIT;
	int is_person = !strcmp(t->name, "person"), is_household = !strcmp(t->name, "household");
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	int step;

	strbuf_addf(&sql, "SELECT id, %s%s FROM %s WHERE deleted = 0", table_label_column(t),
		    is_person ? ", birth_date, id_number"
		    : is_household ? ", (SELECT p.name FROM person p WHERE p.id = household.head_id"
				     " AND p.deleted = 0)" : "", t->name);
	if (t->village_scoped)
		scope_sql(db, NULL, &sql);
	strbuf_addstr(&sql, " ORDER BY 2, 1");
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	bind_scope(db, st);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *label = col(st, 1);

		strbuf_reset(&detail);
		if (is_person) {
			strbuf_addstr(&detail, col(st, 2) ? col(st, 2) : "");
			if (col(st, 3))
				strbuf_addf(&detail, "  %s", col(st, 3));
		}
		if (is_household && col(st, 2))
			strbuf_addstr(&detail, col(st, 2));
		if (fn(arg, col(st, 0), label ? label : col(st, 0), detail.buf ? detail.buf : ""))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("listing records"), err);
	strbuf_release(&detail);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status query_grid_by_name(struct gq_db *db, const char *name, char *out,
				  struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	int found = 0;

	strbuf_addstr(&sql, "SELECT id FROM grid WHERE deleted = 0 AND name = :name");
	scope_sql(db, NULL, &sql);
	strbuf_addstr(&sql, " ORDER BY id LIMIT 2");
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	bind_scope(db, st);
	bind_named(st, ":name", name);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (found++ == 0)
			copy(out, UID_LEN + 1, col(st, 0));
	sqlite3_finalize(st);
	if (!found)
		return gq_err_set(err, GQ_ENOTFOUND, _("There is no grid called \"%s\" here."), name);
	if (found > 1)
		return gq_err_set(err, GQ_EINVAL,
				  _("More than one grid is called \"%s\": give its id."), name);
	return GQ_OK;
}

/* ---- counts ---- */

/* The first column of the first row of sql (scoped with :village) as a
 * number, with :arg bound to arg. */
static enum gq_status count_one(struct gq_db *db, struct strbuf *sql, const char *arg,
				long *n, struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc = db_prepare(db, sql->buf, &st, err);

	strbuf_reset(sql);
	if (rc != GQ_OK)
		return rc;
	bind_scope(db, st);
	bind_named(st, ":arg", arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, _("counting records"), err);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status query_counts(struct gq_db *db, const char *month, struct query_counts *c,
			    struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	enum gq_status rc;

	memset(c, 0, sizeof(*c));
	strbuf_addstr(&sql, "SELECT count(*) FROM person p WHERE p.deleted = 0 AND p.status = 'active'");
	scope_sql(db, "p", &sql);
	rc = count_one(db, &sql, NULL, &c->people, err);
	if (rc == GQ_OK) {
		strbuf_addstr(&sql, "SELECT count(*) FROM household h WHERE h.deleted = 0");
		scope_sql(db, "h", &sql);
		rc = count_one(db, &sql, NULL, &c->households, err);
	}
	if (rc == GQ_OK) {
		/* The dates are YYYY-MM-DD: those of the month lie between
		 * YYYY-MM-00 and YYYY-MM-99, which the index visit_date finds. */
		strbuf_addstr(&sql, "SELECT count(*) FROM visit v WHERE v.deleted = 0"
			      " AND v.visit_date BETWEEN :arg || '-00' AND :arg || '-99'");
		scope_sql(db, "v", &sql);
		rc = count_one(db, &sql, month, &c->visits_month, err);
	}
	if (rc == GQ_OK && db->role == DB_ROLE_STATION) {
		/* A station's people, each open category's person looked up. */
		strbuf_addstr(&sql, "SELECT c.category, count(DISTINCT c.person_id), 1 FROM person_category c"
			      " JOIN person p INDEXED BY person_live ON p.id = c.person_id"
			      " WHERE c.deleted = 0 AND p.deleted = 0"
			      " AND p.status = 'active' AND c.end_date IS NULL");
		scope_sql(db, "p", &sql);
		strbuf_addstr(&sql, " GROUP BY c.category");
	} else if (rc == GQ_OK) {
		/* The whole county: the people of each open category (the index
		 * alone) less those of them who are not active (the few the
		 * index person_gone holds), rather than a lookup of each
		 * category's person. */
		strbuf_addstr(&sql, "SELECT category, count(DISTINCT person_id), 1"
			      " FROM person_category INDEXED BY person_category_open"
			      " WHERE deleted = 0 AND end_date IS NULL GROUP BY category"
			      " UNION ALL SELECT c.category, count(DISTINCT c.person_id), -1"
			      " FROM person p INDEXED BY person_gone CROSS JOIN person_category c"
			      " ON c.person_id = p.id WHERE (p.deleted <> 0 OR p.status IS NOT 'active')"
			      " AND c.deleted = 0 AND c.end_date IS NULL GROUP BY c.category");
	}
	if (rc == GQ_OK)
		rc = db_prepare(db, sql.buf, &st, err);
	if (rc == GQ_OK) {
		int step;

		bind_scope(db, st);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			size_t i;

			for (i = 0; choices_category[i].code && i < QUERY_CATEGORIES_MAX; i++)
				if (col(st, 0) && !strcmp(col(st, 0), choices_category[i].code))
					c->category[i] += (long)sqlite3_column_int64(st, 1) *
						sqlite3_column_int(st, 2);
		}
		if (step != SQLITE_DONE)
			rc = db_error(db, _("counting records"), err);
		sqlite3_finalize(st);
	}
	strbuf_release(&sql);
	return rc;
}

/* ---- a visit's answers ---- */

enum gq_status query_visit_answers(struct gq_db *db, const struct record *visit,
				   query_answer_fn fn, void *arg, struct gq_err *err)
{
	struct form_answers a = FORM_ANSWERS_INIT;
	struct form *f = NULL;
	struct strbuf text = STRBUF_INIT;
	const char *json = record_get(visit, "answers");
	int english = i18n_english();
	enum gq_status rc;
	size_t i;

	if (!json)
		return GQ_OK;
	rc = formdb_find(db, record_get(visit, "form_id"), &f, err);
	if (rc == GQ_OK)
		rc = form_answers_from_json(json, &a, err);
	for (i = 0; rc == GQ_OK && i < form_field_count(f); i++) {
		const char *v = form_answers_get(&a, form_field_id(f, i));
		enum form_type type = form_field_type(f, i);

		if (!v || !*v || !form_field_visible(f, &a, i))
			continue;
		strbuf_reset(&text);
		if (type == FORM_YESNO) {
			strbuf_addstr(&text, !strcmp(v, "yes") ? _("yes") : _("no"));
		} else if (type == FORM_CHOICE || type == FORM_MULTI) {
			const char *p = v;

			while (*p) {
				char code[128];
				size_t len = strcspn(p, ",");
				int c;

				snprintf(code, sizeof(code), "%.*s", (int)len, p);
				c = form_field_choice_index(f, i, code);
				if (text.len)
					strbuf_addstr(&text, field_list_separator());
				strbuf_addstr(&text, c >= 0 ? form_field_choice_label(f, i, (size_t)c, english) : code);
				p += len + (p[len] == ',');
			}
		} else {
			strbuf_addstr(&text, v);
		}
		if (fn(arg, form_field_label(f, i, english), text.buf))
			break;
	}
	strbuf_release(&text);
	form_answers_release(&a);
	form_free(&f);
	return rc;
}

/* ---- follow-ups ---- */

/* The visits that are their person's latest, of active people of this
 * place, with a follow-up: the FROM and WHERE of every follow-up query. */
/* Walked in the order of the follow-up date (index visit_latest_due),
 * so that a list stops at its limit and a count reads only its dates;
 * whether a person is live is read from the small index person_live
 * (which the planner, without statistics, would not pick over the
 * primary key) rather than from the person's row. */
static void followup_from(struct gq_db *db, int visit, struct strbuf *sql)
{
	strbuf_addstr(sql, " FROM visit_latest l CROSS JOIN person p INDEXED BY person_live"
		      " ON p.id = l.person_id");
	/* The visit's own columns only where they are shown: a count reads
	 * visit_latest and the person alone. */
	if (visit)
		strbuf_addstr(sql, " CROSS JOIN visit v ON v.id = l.visit_id");
	strbuf_addstr(sql, " WHERE l.followup_due IS NOT NULL AND p.deleted = 0 AND p.status = 'active'");
	scope_sql(db, "p", sql);
}

enum gq_status query_followups(struct gq_db *db, const char *today, long horizon,
			       size_t limit, query_followup_fn fn, void *arg,
			       struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	char until[VALIDATE_DATE_SIZE] = "";
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	int step;

	if (horizon >= 0) {
		rc = validate_date_add_days(today, horizon, until, err);
		if (rc != GQ_OK)
			return rc;
	}
	strbuf_addstr(&sql, "SELECT v.person_id, p.name, v.id, v.form_id, v.followup_due, p.grid_id");
	followup_from(db, 1, &sql);
	if (until[0])
		strbuf_addstr(&sql, " AND l.followup_due <= :until");
	strbuf_addstr(&sql, " ORDER BY l.followup_due, p.name, p.id");
	if (limit)
		strbuf_addstr(&sql, " LIMIT :limit");
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	bind_scope(db, st);
	bind_named(st, ":until", until);
	if (limit)
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"), (sqlite3_int64)limit);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct query_followup f = {
			col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5), 0,
		};

		validate_date_diff(today, f.due, &f.days, NULL);
		if (fn(arg, &f))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading follow-ups"), err);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status query_followup_counts(struct gq_db *db, const char *today,
				     long *overdue, long *week, struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	char until[VALIDATE_DATE_SIZE];
	sqlite3_stmt *st = NULL;
	enum gq_status rc;

	*overdue = *week = 0;
	rc = validate_date_add_days(today, 7, until, err);
	if (rc != GQ_OK)
		return rc;
	strbuf_addstr(&sql, "SELECT (SELECT count(*)");
	followup_from(db, 0, &sql);
	strbuf_addstr(&sql, " AND l.followup_due < :today), (SELECT count(*)");
	followup_from(db, 0, &sql);
	strbuf_addstr(&sql, " AND l.followup_due >= :today AND l.followup_due <= :until)");
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	bind_scope(db, st);
	bind_named(st, ":today", today);
	bind_named(st, ":until", until);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*overdue = (long)sqlite3_column_int64(st, 0);
		*week = (long)sqlite3_column_int64(st, 1);
	} else {
		rc = db_error(db, _("counting follow-ups"), err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- the places of people, for exports ---- */

enum gq_status query_person_places(struct gq_db *db, query_place_fn fn, void *arg,
				   struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	int step;

	strbuf_addstr(&sql, "SELECT p.id, p.name, p.village, d.name, h.address, coalesce(g.name, hg.name),"
		      " coalesce(p.address, h.address),"
		      " (SELECT group_concat(c.category, ',') FROM person_category c"
		      " WHERE c.person_id = p.id AND c.deleted = 0 AND c.end_date IS NULL)"
		      " FROM person p LEFT JOIN division d ON d.code = p.village"
		      " LEFT JOIN household h ON h.id = p.household_id AND h.deleted = 0"
		      " LEFT JOIN grid g ON g.id = p.grid_id AND g.deleted = 0"
		      " LEFT JOIN grid hg ON hg.id = h.grid_id AND hg.deleted = 0"
		      " WHERE 1");
	scope_sql(db, "p", &sql);
	strbuf_addstr(&sql, " ORDER BY p.id");
	rc = db_prepare(db, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc != GQ_OK)
		return rc;
	bind_scope(db, st);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct query_place p = {
			col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5),
			col(st, 6), col(st, 7),
		};

		if (fn(arg, &p))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading where people live"), err);
	sqlite3_finalize(st);
	return rc;
}
