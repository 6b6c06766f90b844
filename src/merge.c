/* merge.c - the merge engine: change records, applying changes from other
 * places, conflicts and their resolution. The rule is in doc/merge.md. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/merge.h"
#include "guanqing/record.h"
#include "guanqing/rules.h"
#include "guanqing/tables.h"
#include "guanqing/text.h"
#include "guanqing/xalloc.h"
#include "guanqing/field.h"
#include "guanqing/uid.h"
#include "guanqing/validate.h"

#define CE "concurrent_edit"
#define DE "delete_edit"

enum gq_status merge_ensure_schema(struct gq_db *db, struct gq_err *err)
{
	/* The conflict table comes with schema version 2 (src/schema.c). */
	if (db_schema_version(db) < 2)
		return gq_err_set(err, GQ_EDB, _("Database %s has no conflict table: its schema is too old."),
				  db->path);
	return GQ_OK;
}

void merge_change_release(struct change *c)
{
	if (!c)
		return;
	free(c->text);
	free(c->parents);
	memset(c, 0, sizeof(*c));
}

/* ---- Names: tables and fields are checked against tables_all[] -------- */

/* What a field of a row holds, for the type check. */
enum fkind { FK_TEXT, FK_INT, FK_CREATED, FK_VILLAGE, FK_DELETED };

/* Find the table and field of a change. *col receives the column name
 * taken from the definitions (never the change's own text), so that it may
 * be put into SQL. */
static enum gq_status resolve_field(const char *tbl, const char *field,
				    const struct table_def **tp,
				    const struct field_def **fp,
				    const char **col, enum fkind *kind,
				    struct gq_err *err)
{
	/* A bundle's changes come a record at a time: the table and field
	 * of the last one are tried first. */
	static const struct table_def *last_t;
	static size_t last_f;
	const struct table_def *t = NULL;
	size_t i;

	if (last_t && !strcmp(last_t->name, tbl))
		t = last_t;
	for (i = 0; !t && i < tables_count; i++)
		if (!strcmp(tables_all[i]->name, tbl))
			t = last_t = tables_all[i];
	if (!t)
		return gq_err_set(err, GQ_EINVAL,
				  _("A change names the table \"%s\", which this program does not know."),
				  tbl);
	*tp = t;
	if (fp)
		*fp = NULL;
	if (!strcmp(field, "created_at")) {
		*col = "created_at";
		*kind = FK_CREATED;
		return GQ_OK;
	}
	if (!strcmp(field, "village")) {
		*col = "village";
		*kind = FK_VILLAGE;
		return GQ_OK;
	}
	if (!strcmp(field, "deleted")) {
		*col = "deleted";
		*kind = FK_DELETED;
		return GQ_OK;
	}
	/* the field after the last one first (a record's fields come in
	 * order), then all of them */
	i = last_f + 1 < t->nfields && !strcmp(t->fields[last_f + 1].name, field) ? last_f + 1 : 0;
	for (; i < t->nfields; i++) {
		if (strcmp(t->fields[i].name, field))
			continue;
		last_f = i;
		if (fp)
			*fp = &t->fields[i];
		*col = t->fields[i].name;
		*kind = t->fields[i].type == FT_INT || t->fields[i].type == FT_BOOL ?
			FK_INT : FK_TEXT;
		return GQ_OK;
	}
	return gq_err_set(err, GQ_EINVAL,
			  _("A change names the field \"%s\" of table \"%s\", which this program does not know."),
			  field, tbl);
}

static enum gq_status check_change(const struct change *c,
				   const struct table_def **tp,
				   const struct field_def **fp,
				   const char **col, struct gq_err *err)
{
	enum gq_status rc;
	enum fkind k;
	int ok;

	rc = resolve_field(c->tbl, c->field, tp, fp, col, &k, err);
	if (rc != GQ_OK)
		return rc;
	switch (k) {
	case FK_CREATED:
		ok = c->value.type == VAL_TEXT;
		break;
	case FK_DELETED:
		ok = c->value.type == VAL_INT && (c->value.i == 0 || c->value.i == 1);
		break;
	case FK_INT:
		ok = c->value.type != VAL_TEXT;
		break;
	default:
		ok = c->value.type != VAL_INT;
		break;
	}
	if (!ok || (c->value.type == VAL_TEXT && !c->value.s))
		return gq_err_set(err, GQ_EINVAL,
				  _("Change %s:%lld gives field \"%s\" of table \"%s\" a value of the wrong type."),
				  c->origin, (long long)c->oseq, c->field, c->tbl);
	return GQ_OK;
}

/* ---- SQL of a table, built once ----------------------------------------- */

/* The statements that name a table or column (taken from tables_all[],
 * never from a change) are built once for the life of the program, so that
 * db_cached() keeps each prepared for the life of the connection. */
enum tsql { TS_EXISTS, TS_CREATE, TS_CREATE_RUN, TS_INSERT, TS_SET_CREATED, TS_SET, TS_GET, TS_ROW,
	    TS_MAX };

struct tsql_slot {
	enum tsql kind;
	const struct table_def *t;
	const char *col;
	char *sql;
};

static struct tsql_slot tsql_slots[1024];

/* Goes up each time a statement that writes a record table is taken:
 * what was read of the rows before may have changed. */
static uint64_t rows_written;

/* Which of t's fields are declared NOT NULL: nn[i] for t->fields[i],
 * from one reading of the table's columns. */
static void fields_not_null(struct gq_db *db, const struct table_def *t, unsigned char *nn)
{
	sqlite3_stmt *st;
	size_t i;

	memset(nn, 0, t->nfields);
	if (sqlite3_prepare_v2(db->h, "SELECT name FROM pragma_table_info(?1) WHERE \"notnull\"",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		for (i = 0; name && i < t->nfields; i++)
			if (!strcmp(t->fields[i].name, name))
				nn[i] = 1;
	}
	sqlite3_finalize(st);
}

/* The value of column col as an SQL expression over rows (f.field, and
 * value, a version of the field): the one version of the field, or none
 * ('' for a NOT NULL column). A run's members are such rows (value
 * j.value), and so are the winners of a row's fields. */
static void add_member(struct strbuf *sql, const char *col, int not_null, const char *value)
{
	strbuf_addf(sql, "%smax(CASE WHEN f.field = '%s' THEN %s END)%s",
		    not_null ? "coalesce(" : "", col, value, not_null ? ", '')" : "");
}

/* "INSERT INTO t (its columns" of a row: id, origin, created_at,
 * updated_at, village, deleted, then t's fields. */
static void add_insert_into(struct strbuf *sql, const struct table_def *t)
{
	size_t i;

	strbuf_addf(sql, "INSERT INTO %s (id, origin, created_at, updated_at, village, deleted",
		    t->name);
	for (i = 0; i < t->nfields; i++)
		strbuf_addf(sql, ", %s", t->fields[i].name);
}

static char *tsql_build(struct gq_db *db, enum tsql kind, const struct table_def *t,
			const char *col)
{
	struct strbuf sql = STRBUF_INIT;
	unsigned char *nn = NULL;
	size_t i;

	if (kind == TS_CREATE_RUN || kind == TS_CREATE) {
		nn = xmalloc(t->nfields ? t->nfields : 1);
		fields_not_null(db, t, nn);
	}
	switch (kind) {
	case TS_EXISTS:
		strbuf_addf(&sql, "SELECT deleted FROM %s WHERE id = ?1", t->name);
		break;
	case TS_GET:
		strbuf_addf(&sql, "SELECT %s FROM %s WHERE id = ?1", col, t->name);
		break;
	case TS_ROW:
		strbuf_addstr(&sql, "SELECT deleted");
		for (i = 0; i < t->nfields; i++)
			strbuf_addf(&sql, ", %s", t->fields[i].name);
		strbuf_addf(&sql, " FROM %s WHERE id = ?1", t->name);
		break;
	case TS_SET_CREATED:
		strbuf_addf(&sql, "UPDATE %s SET (created_at, origin) = (SELECT " LOG_VALUE("?1")
			    ", " LOG_ORIGIN("?1") "), updated_at = ?2 WHERE id = ?3",
			    t->name);
		break;
	case TS_CREATE_RUN:
		/* Create a row whose every version is one run (?3): each
		 * column its member's value, or none. */
		add_insert_into(&sql, t);
		/* The run's value read once, a row a member, and each
		 * column the one member of its field. */
		strbuf_addstr(&sql, ") SELECT ?1, min(o.key), ");
		add_member(&sql, "created_at", 0, "j.value");
		strbuf_addstr(&sql, ", ?2, ");
		add_member(&sql, "village", 0, "j.value");
		strbuf_addstr(&sql, ", coalesce(");
		add_member(&sql, "deleted", 0, "j.value");
		strbuf_addstr(&sql, ", 0)");
		for (i = 0; i < t->nfields; i++) {
			strbuf_addstr(&sql, ", ");
			add_member(&sql, t->fields[i].name, nn[i], "j.value");
		}
		strbuf_addstr(&sql, " FROM log_entry e CROSS JOIN log_key o ON o.n = e.origin_n"
			      " CROSS JOIN json_each(e.value) j"
			      " CROSS JOIN log_shape_field s ON s.shape_n = e.shape_n AND s.i = j.key"
			      " CROSS JOIN log_field f ON f.n = s.field_n AND f.tbl = ?4"
			      " WHERE e.seq = ?3 HAVING count(*) > 0");
		break;
	case TS_INSERT:
		/* A row of values given: id, origin, created_at, updated_at,
		 * village, deleted, then t's fields. */
		add_insert_into(&sql, t);
		strbuf_addstr(&sql, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6");
		for (i = 0; i < t->nfields; i++)
			strbuf_addf(&sql, ", ?%zu", i + 7);
		strbuf_addstr(&sql, ")");
		break;
	case TS_SET:
		strbuf_addf(&sql, "UPDATE %s SET %s = " LOG_VALUE("?1") ", updated_at = ?2"
			    " WHERE id = ?3", t->name, col);
		break;
	default:
		/* Create a row from its created_at change (?3) and the winners
		 * of its other fields. A NOT NULL column whose change has not
		 * arrived yet holds '' until it does. */
		add_insert_into(&sql, t);
		strbuf_addstr(&sql, ") SELECT ?1, " LOG_ORIGIN("?3") ", " LOG_VALUE("?3") ", ?2, ");
		add_member(&sql, "village", 0, "f.value");
		strbuf_addstr(&sql, ", coalesce(");
		add_member(&sql, "deleted", 0, "f.value");
		strbuf_addstr(&sql, ", 0)");
		for (i = 0; i < t->nfields; i++) {
			strbuf_addstr(&sql, ", ");
			add_member(&sql, t->fields[i].name, nn[i], "f.value");
		}
		/* Each field's heads read once, its first in the order of
		 * load_heads() the winner. */
		strbuf_addstr(&sql, " FROM (SELECT x.field AS field, " HEAD_VALUE " AS value,"
			      " row_number() OVER (PARTITION BY h.field_n ORDER BY " HEAD_HLC " DESC,"
			      " o.key DESC, " HEAD_OSEQ " DESC) AS place"
			      HEADS_FROM("(SELECT n FROM log_key WHERE key = ?1)",
					 "IN (SELECT n FROM log_field WHERE tbl = ?4)")
			      " CROSS JOIN log_key o ON o.n = c.origin_n"
			      " CROSS JOIN log_field x ON x.n = h.field_n) f WHERE f.place = 1");
	}
	free(nn);
	return strbuf_detach(&sql, NULL);
}

/* The statement of kind for table t (and column col, a name from
 * tables_all[] or a literal), kept by db_cached(). */
static enum gq_status tsql(struct gq_db *db, enum tsql kind, const struct table_def *t,
			   const char *col, sqlite3_stmt **st, struct gq_err *err)
{
	size_t n = sizeof(tsql_slots) / sizeof(tsql_slots[0]);
	uintptr_t h = ((uintptr_t)t >> 4) * 31 + ((uintptr_t)col >> 2) * 7 + (uintptr_t)kind;
	size_t i = (size_t)(h % n), probe;

	if (kind != TS_EXISTS && kind != TS_GET && kind != TS_ROW)
		rows_written++;
	for (probe = 0; probe < n; probe++, i = (i + 1) % n) {
		struct tsql_slot *s = &tsql_slots[i];

		if (s->sql && s->kind == kind && s->t == t && s->col == col)
			return db_cached(db, s->sql, st, err);
		if (!s->sql) {
			s->kind = kind;
			s->t = t;
			s->col = col;
			s->sql = tsql_build(db, kind, t, col);
			return db_cached(db, s->sql, st, err);
		}
	}
	*st = NULL;
	return gq_err_set(err, GQ_EDB, _("Database %s: %s failed: %s."), db->path,
			  _("preparing a statement"), _("too many statements"));
}

/* ---- Reading the log -------------------------------------------------- */

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	text_copy(dst, size, s ? (const char *)s : "");
}

static int is_parent_sep(char ch)
{
	return ch == ' ';
}

/* Fill c from a row "seq, origin, oseq, hlc, tbl, row_id, field, value,
 * parents, user_id, village"; pst looks up a parent's same_field flag. */
static enum gq_status fill_change(struct gq_db *db, sqlite3_stmt *st,
				  sqlite3_stmt *pst, struct change *c,
				  struct gq_err *err)
{
	const char *ptext, *p;
	int64_t seq = sqlite3_column_int64(st, 0);
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	copy_text(st, 1, c->origin, sizeof(c->origin));
	c->oseq = sqlite3_column_int64(st, 2);
	c->hlc = sqlite3_column_int64(st, 3);
	copy_text(st, 4, c->tbl, sizeof(c->tbl));
	copy_text(st, 5, c->row_id, sizeof(c->row_id));
	copy_text(st, 6, c->field, sizeof(c->field));
	switch (sqlite3_column_type(st, 7)) {
	case SQLITE_NULL:
		c->value.type = VAL_NULL;
		break;
	case SQLITE_INTEGER:
		c->value.type = VAL_INT;
		c->value.i = sqlite3_column_int64(st, 7);
		break;
	default:
		c->text = xstrndup((const char *)sqlite3_column_text(st, 7),
				   (size_t)sqlite3_column_bytes(st, 7));
		c->value.type = VAL_TEXT;
		c->value.s = c->text;
	}
	copy_text(st, 9, c->user_id, sizeof(c->user_id));
	copy_text(st, 10, c->village, sizeof(c->village));

	/* The parents in the order of the text, flags from change_parent. */
	ptext = (const char *)sqlite3_column_text(st, 8);
	ptext = ptext ? ptext : "";
	for (p = ptext; *p; p++)
		if (!is_parent_sep(*p) && (p == ptext || is_parent_sep(p[-1])))
			n++;
	if (n)
		c->parents = xcalloc(n, sizeof(*c->parents));
	for (p = ptext; *p && c->nparents < n;) {
		struct merge_parent *mp = &c->parents[c->nparents];
		size_t len = strcspn(p, " ");
		const char *colon = memchr(p, ':', len);

		if (len && colon) {
			/* the origin is a UUID: no ':' inside */
			snprintf(mp->origin, sizeof(mp->origin), "%.*s",
				 (int)(colon - p), p);
			mp->oseq = strtoll(colon + 1, NULL, 10);
			mp->same_field = 1;
			sqlite3_reset(pst);
			sqlite3_bind_text(pst, 1, mp->origin, -1, SQLITE_STATIC);
			sqlite3_bind_int64(pst, 2, mp->oseq);
			sqlite3_bind_int64(pst, 3, seq);
			if (sqlite3_step(pst) == SQLITE_ROW)
				mp->same_field = sqlite3_column_int(pst, 0);
			c->nparents++;
		}
		p += len;
		while (is_parent_sep(*p))
			p++;
	}
	(void)db;
	(void)err;
	return GQ_OK;
}

#define LOG_COLUMNS "seq, origin, oseq, hlc, tbl, row_id, field, value, parents," \
	" user_id, village"
#define PARENT_FLAG_SQL "SELECT same_field FROM change_parent WHERE parent_origin = ?1" \
	" AND parent_oseq = ?2 AND child_seq = ?3"

enum gq_status merge_change_load(struct gq_db *db, int64_t seq,
				 struct change *c, struct gq_err *err)
{
	sqlite3_stmt *st = NULL, *pst = NULL;
	enum gq_status rc;
	int step;

	/* An export loads every change it sends: the view's statement is
	 * large, so it is prepared once for the connection. */
	memset(c, 0, sizeof(*c));
	rc = db_cached(db, "SELECT " LOG_COLUMNS " FROM log_change WHERE at = ?2"
		       " AND seq = ?1", &st, err);
	if (rc == GQ_OK)
		rc = db_cached(db, PARENT_FLAG_SQL, &pst, err);
	if (rc == GQ_OK) {
		sqlite3_bind_int64(st, 1, seq);
		sqlite3_bind_int64(st, 2, change_log_at(db, seq));
		step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			rc = fill_change(db, st, pst, c, err);
		else if (step == SQLITE_DONE)
			rc = gq_err_set(err, GQ_ENOTFOUND,
					_("There is no change number %lld in the change log."),
					(long long)seq);
		else
			rc = db_error(db, _("reading the change log"), err);
	}
	if (st)
		sqlite3_reset(st);
	if (pst)
		sqlite3_reset(pst);
	return rc;
}

enum gq_status merge_collect(struct gq_db *db, int64_t after_seq,
			     const char *village, const char *origin,
			     merge_collect_fn fn, void *ctx, struct gq_err *err)
{
	sqlite3_stmt *st = NULL, *pst = NULL;
	enum gq_status rc;
	int step = SQLITE_DONE;

	rc = db_prepare(db, "SELECT " LOG_COLUMNS " FROM change_log WHERE seq > ?1"
			" AND (?2 IS NULL OR village = ?2) AND (?3 IS NULL OR origin = ?3)"
			" ORDER BY seq", &st, err);
	if (rc == GQ_OK)
		rc = db_prepare(db, PARENT_FLAG_SQL, &pst, err);
	if (rc == GQ_OK) {
		sqlite3_bind_int64(st, 1, after_seq);
		if (village)
			sqlite3_bind_text(st, 2, village, -1, SQLITE_STATIC);
		if (origin)
			sqlite3_bind_text(st, 3, origin, -1, SQLITE_STATIC);
	}
	while (rc == GQ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct change c;

		rc = fill_change(db, st, pst, &c, err);
		if (rc == GQ_OK)
			rc = fn(ctx, sqlite3_column_int64(st, 0), &c, err);
		merge_change_release(&c);
	}
	if (rc == GQ_OK && step != SQLITE_DONE)
		rc = db_error(db, _("reading the change log"), err);
	sqlite3_finalize(st);
	sqlite3_finalize(pst);
	return rc;
}

/* ---- Heads and winners ------------------------------------------------ */

struct head {
	int64_t seq, oseq;
	hlc_t hlc;
	char origin[MERGE_ID_MAX + 1];
	char field[MERGE_NAME_MAX + 1];
};

struct heads {
	struct head *v;
	size_t n, alloc;
};

static void heads_release(struct heads *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

static struct head *heads_add(struct heads *h)
{
	if (h->n == h->alloc) {
		struct head *nv;

		h->alloc = h->alloc ? 2 * h->alloc : 8;
		nv = xreallocarray(h->v, h->alloc, sizeof(*nv));
		h->v = nv;
	}
	memset(&h->v[h->n], 0, sizeof(h->v[0]));
	return &h->v[h->n++];
}

/* The heads of every field are kept in log_head as changes arrive
 * (change_log_append()): a change stops being a head when a change of the
 * same row and field names it as a same-field parent.
 *
 * The heads of one field (field non-NULL), winner first (the latest
 * clock, then the greatest origin id and number); or with field
 * NULL the heads of every field of the row but "deleted" that tombstone
 * seq tomb did not see. */
static enum gq_status load_heads(struct gq_db *db, const char *tbl,
				 const char *row_id, const char *field,
				 int64_t tomb, struct heads *out,
				 struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	out->n = 0;
	if (field)
		rc = db_cached(db, "SELECT " HEAD_SEQ ", o.key, " HEAD_OSEQ ", " HEAD_HLC ", ?3"
				HEADS_FROM("(SELECT n FROM log_key WHERE key = ?2)",
					   "= (SELECT n FROM log_field WHERE tbl = ?1 AND field = ?3)")
				" CROSS JOIN log_key o ON o.n = c.origin_n"
				" ORDER BY 4 DESC, 2 DESC, 3 DESC", &st, err);
	else
		rc = db_cached(db, "SELECT v.seq, v.origin, v.oseq, v.hlc, v.field FROM"
				" (SELECT " HEAD_SEQ " AS seq, o.key AS origin, " HEAD_OSEQ " AS oseq,"
				" " HEAD_HLC " AS hlc, f.field AS field, c.origin_n AS origin_n"
				HEADS_FROM("(SELECT n FROM log_key WHERE key = ?2)",
					   "IN (SELECT n FROM log_field WHERE tbl = ?1 AND field <> 'deleted')")
				" CROSS JOIN log_field f ON f.n = h.field_n"
				" CROSS JOIN log_key o ON o.n = c.origin_n) v"
				" WHERE NOT EXISTS (SELECT 1 FROM log_parent q"
				" WHERE q.origin_n = v.origin_n AND q.oseq = v.oseq"
				" AND q.child_seq = ?4 AND q.same_field = 0)"
				" ORDER BY v.field, v.origin, v.oseq", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	if (field)
		sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 4, tomb);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct head *h = heads_add(out);

		h->seq = sqlite3_column_int64(st, 0);
		copy_text(st, 1, h->origin, sizeof(h->origin));
		h->oseq = sqlite3_column_int64(st, 2);
		h->hlc = sqlite3_column_int64(st, 3);
		copy_text(st, 4, h->field, sizeof(h->field));
	}
	if (step != SQLITE_DONE)
		rc = db_error(db, _("reading the change log"), err);
	sqlite3_reset(st);
	return rc;
}

static int head_cmp(const void *a, const void *b)
{
	const struct head *x = a, *y = b;

	if (x->oseq != y->oseq)
		return x->oseq < y->oseq ? -1 : 1;
	return strcmp(x->origin, y->origin);
}

/* h->v[from..] sorted by (oseq, origin) into *sorted, for head_in(). */
static void heads_sorted(const struct heads *h, size_t from, struct heads *sorted)
{
	size_t i;

	sorted->n = 0;
	for (i = from; i < h->n; i++)
		*heads_add(sorted) = h->v[i];
	if (sorted->n > 1)
		qsort(sorted->v, sorted->n, sizeof(sorted->v[0]), head_cmp);
}

/* Is (origin, oseq) among the heads of sorted (from heads_sorted())? */
static int head_in(const struct heads *sorted, const char *origin, int64_t oseq)
{
	struct head key;

	memset(&key, 0, sizeof(key));
	text_copy(key.origin, sizeof(key.origin), origin);
	key.oseq = oseq;
	return sorted->n && bsearch(&key, sorted->v, sorted->n, sizeof(key), head_cmp) != NULL;
}

/* The newest change of the same field that names (origin, oseq) as a
 * parent, into *by; by->seq = 0 when there is none. */
static enum gq_status superseded_by(struct gq_db *db, const char *origin,
				    int64_t oseq, struct head *by,
				    struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	memset(by, 0, sizeof(*by));
	/* A change that names a parent is never a run's member. */
	rc = db_cached(db, "SELECT k.seq, ko.key, k.oseq, k.hlc FROM"
			" (SELECT origin_n, row_n, field_n FROM log_version"
			" WHERE at = ?3 AND oseq = ?2) c"
			" CROSS JOIN log_parent p ON p.origin_n = c.origin_n"
			" AND p.oseq = ?2 AND p.same_field = 1"
			" CROSS JOIN log_entry k ON k.seq = p.child_seq AND k.row_n = c.row_n"
			" AND k.field_n = c.field_n CROSS JOIN log_key ko ON ko.n = k.origin_n"
			" ORDER BY k.hlc DESC, ko.key DESC, k.oseq DESC LIMIT 1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, oseq);
	sqlite3_bind_int64(st, 3, change_log_at_oseq(db, origin, oseq));
	if (sqlite3_step(st) == SQLITE_ROW) {
		by->seq = sqlite3_column_int64(st, 0);
		copy_text(st, 1, by->origin, sizeof(by->origin));
		by->oseq = sqlite3_column_int64(st, 2);
		by->hlc = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return GQ_OK;
}

/* ---- Conflicts -------------------------------------------------------- */

/* Open (or reopen, or bring up to date) the conflict of loser l against
 * winner w. */
static enum gq_status conflict_open(struct gq_db *db, const char *kind,
				    const char *tbl, const char *row_id,
				    const char *field, const struct head *w,
				    const struct head *l, struct merge_stats *ms,
				    struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	char now[32];
	int64_t id = 0;
	int open = 0, same_winner = 0;

	rc = db_cached(db, "SELECT id, status = 'open', winner_origin = ?6 AND winner_oseq = ?7"
			" FROM conflict WHERE kind = ?1 AND tbl = ?2 AND row_id = ?3"
			" AND field = ?4 AND loser_origin = ?5 AND loser_oseq = ?8", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, l->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, w->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, w->oseq);
	sqlite3_bind_int64(st, 8, l->oseq);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		open = sqlite3_column_int(st, 1);
		same_winner = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (id && open && same_winner)
		return GQ_OK;
	clock_iso(clock_now_ms(), now, sizeof(now));
	if (id)
		rc = db_cached(db, "UPDATE conflict SET winner_origin = ?2, winner_oseq = ?3,"
				" winner_hlc = ?4, winner_value = " LOG_VALUE("?5") ", status = 'open', resolved_by_origin = NULL,"
				" resolved_by_oseq = NULL WHERE id = ?1", &st, err);
	else
		rc = db_cached(db, "INSERT INTO conflict (tbl, row_id, field, kind,"
				" winner_origin, winner_oseq, winner_hlc, winner_value,"
				" loser_origin, loser_oseq, loser_hlc, loser_value, detected_at)"
				" VALUES (?6, ?7, ?8, ?9, ?2, ?3, ?4,"
				" " LOG_VALUE("?5") ", ?10, ?11, ?12, " LOG_VALUE("?13") ", ?14)",
				&st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 2, w->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, w->oseq);
	sqlite3_bind_int64(st, 4, w->hlc);
	sqlite3_bind_int64(st, 5, w->seq);
	if (id) {
		sqlite3_bind_int64(st, 1, id);
	} else {
		sqlite3_bind_text(st, 6, tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, row_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, field, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, l->origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 11, l->oseq);
		sqlite3_bind_int64(st, 12, l->hlc);
		sqlite3_bind_int64(st, 13, l->seq);
		sqlite3_bind_text(st, 14, now, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("saving a conflict"), err);
	sqlite3_reset(st);
	if (rc == GQ_OK && !open && ms)
		ms->opened++;
	return rc;
}

static enum gq_status conflict_close(struct gq_db *db, int64_t id,
				     const char *by_origin, int64_t by_oseq,
				     struct merge_stats *ms, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_cached(db, "UPDATE conflict SET status = 'resolved',"
			" resolved_by_origin = ?2, resolved_by_oseq = ?3 WHERE id = ?1",
			&st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (by_origin && *by_origin) {
		sqlite3_bind_text(st, 2, by_origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, by_oseq);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("saving a conflict"), err);
	sqlite3_reset(st);
	if (rc == GQ_OK && ms)
		ms->resolved++;
	return rc;
}

/* The open conflicts of kind on a row (and field, when non-NULL), as
 * heads: seq holds the conflict id, origin/oseq the loser. */
static enum gq_status open_conflicts(struct gq_db *db, const char *kind,
				     const char *tbl, const char *row_id,
				     const char *field, struct heads *out,
				     struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	out->n = 0;
	rc = db_cached(db, "SELECT id, loser_origin, loser_oseq, field FROM conflict"
			" WHERE status = 'open' AND kind = ?1 AND tbl = ?2 AND row_id = ?3"
			" AND (?4 IS NULL OR field = ?4) ORDER BY id", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row_id, -1, SQLITE_STATIC);
	if (field)
		sqlite3_bind_text(st, 4, field, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct head *h = heads_add(out);

		h->seq = sqlite3_column_int64(st, 0);
		copy_text(st, 1, h->origin, sizeof(h->origin));
		h->oseq = sqlite3_column_int64(st, 2);
		copy_text(st, 3, h->field, sizeof(h->field));
	}
	if (step != SQLITE_DONE)
		rc = db_error(db, _("reading conflicts"), err);
	sqlite3_reset(st);
	return rc;
}

/* Is there any open conflict (tbl NULL), or any on row tbl.row_id? */
static int any_open_conflict(struct gq_db *db, const char *tbl, const char *row_id)
{
	sqlite3_stmt *st;
	int found;

	if (!tbl) {
		if (db_cached(db, "SELECT 1 FROM conflict WHERE status = 'open' LIMIT 1", &st, NULL) != GQ_OK)
			return 1;
	} else {
		if (db_cached(db, "SELECT 1 FROM conflict WHERE status = 'open' AND tbl = ?1"
			      " AND row_id = ?2 LIMIT 1", &st, NULL) != GQ_OK)
			return 1;
		sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	}
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* ---- Writing rows ----------------------------------------------------- */

/* What a settle knows of one row: whether it is here, its deleted column,
 * and whether it may have open conflicts (when not, no conflict query is
 * made for it). */
struct rowstate {
	int exists;
	int deleted;
	int open;
};

/* Whether row_id of t is here (1, and *deleted its deleted column), 0 not,
 * -1 when the database failed. */
static int row_state(struct gq_db *db, const struct table_def *t, const char *row_id,
		     int *deleted)
{
	sqlite3_stmt *st;
	int step;

	*deleted = 0;
	if (tsql(db, TS_EXISTS, t, NULL, &st, NULL) != GQ_OK)
		return -1;
	sqlite3_bind_text(st, 1, row_id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*deleted = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
}

/* Create row row_id of t: from its created_at change (seq) and the
 * winners of its fields (TS_CREATE), or from the run seq that holds
 * every version of it (TS_CREATE_RUN). */
static enum gq_status create_row(struct gq_db *db, const struct table_def *t, enum tsql kind,
				 const char *row_id, int64_t seq,
				 struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	char now[32];

	rc = tsql(db, kind, t, NULL, &st, err);
	if (rc != GQ_OK)
		return rc;
	clock_iso(clock_now_ms(), now, sizeof(now));
	sqlite3_bind_text(st, 1, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_text(st, 4, t->name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("creating a merged record"), err);
	sqlite3_reset(st);
	return rc;
}

/* The run whose members are every version of row_id of t, its creation
 * among them: its seq, 0 when the row has other heads or none such. */
static int64_t row_one_run(struct gq_db *db, const struct table_def *t, const char *row_id)
{
	sqlite3_stmt *st;
	int64_t seq = 0;

	if (db_cached(db, "SELECT h.seq FROM log_head h CROSS JOIN log_entry e ON e.seq = h.seq"
		      " CROSS JOIN log_shape_field s ON s.shape_n = e.shape_n AND s.field_n ="
		      " (SELECT n FROM log_field WHERE tbl = ?2 AND field = 'created_at')"
		      " WHERE h.row_n = (SELECT n FROM log_key WHERE key = ?1) AND h.field_n = 0"
		      " AND NOT EXISTS (SELECT 1 FROM log_head x WHERE x.row_n = h.row_n"
		      " AND (x.field_n <> 0 OR x.seq <> h.seq))", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return seq;
}

/* Create row row_id of t from run seq (row_one_run()): every field has
 * one version, so there is no winner to choose nor conflict to see. */
/* Where each member of a shape goes in TS_INSERT: the parameter of its
 * column (3 created_at, 5 village, 6 deleted, 7 + i t's field i), kept
 * for the transaction (a shape made in one rolled back is gone). */
static struct shape_seen {
	struct db_txn_mark at;
	const struct table_def *t;
	int64_t shape_n;
	size_t width;
	int param[LOG_RUN_MAX];
} shape_seen[8];

static const struct shape_seen *shape_params(struct gq_db *db, const struct table_def *t,
					     int64_t shape_n)
{
	static size_t next;
	struct shape_seen *sh;
	sqlite3_stmt *st;
	size_t i, n = 0;
	int ok = 1, step;

	for (i = 0; i < sizeof(shape_seen) / sizeof(shape_seen[0]); i++) {
		sh = &shape_seen[i];
		if (db_txn_is(&sh->at, db) && sh->t == t && sh->shape_n == shape_n)
			return sh;
	}
	if (db_cached(db, "SELECT s.i, f.field, f.tbl = ?2 FROM log_shape_field s"
		      " CROSS JOIN log_field f ON f.n = s.field_n WHERE s.shape_n = ?1 ORDER BY s.i",
		      &st, NULL) != GQ_OK)
		return NULL;
	sh = &shape_seen[next++ % (sizeof(shape_seen) / sizeof(shape_seen[0]))];
	memset(sh, 0, sizeof(*sh));
	sqlite3_bind_int64(st, 1, shape_n);
	sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
	while (ok && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *field = (const char *)sqlite3_column_text(st, 1);
		int k;

		ok = n < LOG_RUN_MAX && sqlite3_column_int64(st, 0) == (int64_t)n && field &&
		     sqlite3_column_int(st, 2);
		if (!ok)
			break;
		if (!strcmp(field, "created_at"))
			sh->param[n] = 3;
		else if (!strcmp(field, "village"))
			sh->param[n] = 5;
		else if (!strcmp(field, "deleted"))
			sh->param[n] = 6;
		else if ((k = table_field_index(t, field)) >= 0)
			sh->param[n] = 7 + k;
		else
			ok = 0;
		n++;
	}
	sqlite3_reset(st);
	if (!ok || !n)
		return NULL;
	db_txn_set(&sh->at, db);
	sh->t = t;
	sh->shape_n = shape_n;
	sh->width = n;
	return sh;
}

/* Create row row_id of t from run seq with its values read in C and one
 * plain INSERT: 1 done, 0 not so (the run is not as this expects; nothing
 * written), -1 an error in *err. */
static int insert_from_run(struct gq_db *db, const struct table_def *t, const char *row_id,
			   int64_t seq, struct gq_err *err)
{
	static struct strbuf store = STRBUF_INIT;
	static unsigned char nn[256];
	static const struct table_def *nn_of;
	static uint64_t nn_serial;
	const struct shape_seen *sh;
	struct val v[LOG_RUN_MAX];
	char origin[MERGE_ID_MAX + 1], now[32];
	sqlite3_stmt *st;
	int64_t shape_n;
	size_t i;
	int n, bound[256 + 7] = { 0 };

	if (t->nfields > 256)
		return 0;
	if (db_cached(db, "SELECT e.value, e.shape_n, (SELECT key FROM log_key WHERE n = e.origin_n)"
		      " FROM log_entry e WHERE e.seq = ?1 AND e.shape_n IS NOT NULL", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) != SQLITE_TEXT) {
		sqlite3_reset(st);
		return 0;
	}
	n = change_run_values((const char *)sqlite3_column_text(st, 0),
			      (size_t)sqlite3_column_bytes(st, 0), v, LOG_RUN_MAX, &store);
	shape_n = sqlite3_column_int64(st, 1);
	copy_text(st, 2, origin, sizeof(origin));
	sqlite3_reset(st);
	if (n <= 0 || !(sh = shape_params(db, t, shape_n)) || sh->width != (size_t)n)
		return 0;
	if (nn_of != t || nn_serial != db->serial) {
		fields_not_null(db, t, nn);
		nn_of = t;
		nn_serial = db->serial;
	}
	if (tsql(db, TS_INSERT, t, NULL, &st, err) != GQ_OK)
		return -1;
	clock_iso(clock_now_ms(), now, sizeof(now));
	sqlite3_bind_text(st, 1, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	for (i = 0; i < (size_t)n; i++) {
		int p = sh->param[i];

		bound[p] = v[i].type != VAL_NULL;
		val_bind(st, p, &v[i]);
	}
	/* What the run does not give: deleted 0, a NOT NULL field ''. */
	if (!bound[6])
		sqlite3_bind_int(st, 6, 0);
	for (i = 0; i < t->nfields; i++)
		if (!bound[7 + i] && nn[i])
			sqlite3_bind_text(st, (int)(7 + i), "", 0, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		db_error(db, _("creating a merged record"), err);
		return -1;
	}
	sqlite3_reset(st);
	return 1;
}

static enum gq_status create_from_run(struct gq_db *db, const struct table_def *t,
				      const char *row_id, int64_t seq, struct rowstate *rs,
				      struct gq_err *err)
{
	int done = insert_from_run(db, t, row_id, seq, err);
	enum gq_status rc = done < 0 ? GQ_EDB :
		done ? GQ_OK : create_row(db, t, TS_CREATE_RUN, row_id, seq, err);

	if (rc == GQ_OK && row_state(db, t, row_id, &rs->deleted) > 0)
		rs->exists = 1;
	return rc;
}

/* Show the value of change seq in column col of the row (when the row is
 * there; a row appears with its created_at change, which a settle takes
 * after the row's other fields, so that the new row gets them all at
 * once). */
static enum gq_status write_column(struct gq_db *db, const struct table_def *t,
				   const char *col, const char *row_id,
				   int64_t seq, struct rowstate *rs, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	char now[32];
	int created = !strcmp(col, "created_at");

	if (!rs->exists && created) {
		rc = create_row(db, t, TS_CREATE, row_id, seq, err);
		if (rc == GQ_OK && row_state(db, t, row_id, &rs->deleted) > 0)
			rs->exists = 1;
		return rc;
	}
	if (!rs->exists)
		return GQ_OK;
	rc = tsql(db, created ? TS_SET_CREATED : TS_SET, t, created ? NULL : col, &st, err);
	if (rc != GQ_OK)
		return rc;
	clock_iso(clock_now_ms(), now, sizeof(now));
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, row_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("saving a merged value"), err);
	sqlite3_reset(st);
	if (rc == GQ_OK && !strcmp(col, "deleted") && row_state(db, t, row_id, &rs->deleted) < 0)
		rc = db_error(db, _("saving a merged value"), err);
	return rc;
}

/* ---- Recomputing ------------------------------------------------------ */

/* The winner of one field (the first of its heads) into the row; every other head
 * an open concurrent_edit conflict; conflicts whose loser is no longer a
 * losing head closed (looked for only when the row may have any). */
static enum gq_status recompute_field(struct gq_db *db, const struct table_def *t,
				      const char *col, const char *row_id,
				      struct rowstate *rs, struct merge_stats *ms,
				      struct gq_err *err)
{
	struct heads h = { 0 }, open = { 0 }, losers = { 0 };
	enum gq_status rc;
	size_t i;

	rc = load_heads(db, t->name, row_id, col, 0, &h, err);
	if (rc != GQ_OK || h.n == 0)
		goto out;
	rc = write_column(db, t, col, row_id, h.v[0].seq, rs, err);
	for (i = 1; rc == GQ_OK && i < h.n; i++) {
		rc = conflict_open(db, CE, t->name, row_id, col, &h.v[0], &h.v[i], ms, err);
		rs->open = 1;
	}
	if (rc == GQ_OK && rs->open)
		rc = open_conflicts(db, CE, t->name, row_id, col, &open, err);
	if (rc == GQ_OK && open.n)
		heads_sorted(&h, 1, &losers);
	for (i = 0; rc == GQ_OK && i < open.n; i++) {
		struct head by;

		if (head_in(&losers, open.v[i].origin, open.v[i].oseq))
			continue;
		rc = superseded_by(db, open.v[i].origin, open.v[i].oseq, &by, err);
		if (rc == GQ_OK && !by.seq)
			by = h.v[0];	/* the loser became the winner */
		if (rc == GQ_OK)
			rc = conflict_close(db, open.v[i].seq, by.origin, by.oseq, ms, err);
	}
out:
	heads_release(&h);
	heads_release(&open);
	heads_release(&losers);
	return rc;
}

/* Delete against edit: when the row's "deleted" winner is a tombstone,
 * every head of another field that it did not see is an open delete_edit
 * conflict; the others are closed. A row that is here and not deleted,
 * with no open conflict, has nothing to do. */
static enum gq_status recompute_delete(struct gq_db *db, const struct table_def *t,
				       const char *row_id, struct rowstate *rs,
				       struct merge_stats *ms, struct gq_err *err)
{
	struct heads del = { 0 }, unseen = { 0 }, open = { 0 }, sorted = { 0 };
	sqlite3_stmt *st;
	enum gq_status rc;
	size_t i;
	int tomb = 0;

	if (rs->exists && !rs->deleted && !rs->open)
		return GQ_OK;
	rc = load_heads(db, t->name, row_id, "deleted", 0, &del, err);
	if (rc == GQ_OK && del.n) {
		rc = db_cached(db, "SELECT " LOG_VALUE("?1") " = 1", &st, err);
		if (rc == GQ_OK) {
			sqlite3_bind_int64(st, 1, del.v[0].seq);
			tomb = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
			sqlite3_reset(st);
		}
	}
	if (rc == GQ_OK && tomb)
		rc = load_heads(db, t->name, row_id, NULL, del.v[0].seq, &unseen, err);
	for (i = 0; rc == GQ_OK && i < unseen.n; i++) {
		rc = conflict_open(db, DE, t->name, row_id, unseen.v[i].field, &del.v[0],
				   &unseen.v[i], ms, err);
		rs->open = 1;
	}
	if (rc == GQ_OK && rs->open)
		rc = open_conflicts(db, DE, t->name, row_id, NULL, &open, err);
	if (rc == GQ_OK && open.n)
		heads_sorted(&unseen, 0, &sorted);
	for (i = 0; rc == GQ_OK && i < open.n; i++) {
		struct head by;

		if (head_in(&sorted, open.v[i].origin, open.v[i].oseq))
			continue;
		rc = superseded_by(db, open.v[i].origin, open.v[i].oseq, &by, err);
		if (rc == GQ_OK && !by.seq && del.n)
			by = del.v[0];	/* a new tombstone saw it, or a restore */
		if (rc == GQ_OK)
			rc = conflict_close(db, open.v[i].seq, by.origin, by.oseq, ms, err);
	}
	heads_release(&del);
	heads_release(&unseen);
	heads_release(&open);
	heads_release(&sorted);
	return rc;
}

/* Start the settle of one row: is it here, and may it have conflicts
 * (any_open: whether any conflict at all is open)? */
static enum gq_status row_begin(struct gq_db *db, const struct table_def *t,
				const char *row_id, int any_open, struct rowstate *rs,
				struct gq_err *err)
{
	int e = row_state(db, t, row_id, &rs->deleted);

	if (e < 0)
		return db_error(db, _("reading the change log"), err);
	rs->exists = e;
	rs->open = any_open && any_open_conflict(db, t->name, row_id);
	return GQ_OK;
}

enum gq_status merge_refresh_row(struct gq_db *db, const char *tbl,
				 const char *row_id, struct gq_err *err)
{
	const struct table_def *t = NULL;
	struct rowstate rs;
	sqlite3_stmt *st;
	enum gq_status rc;
	struct heads fields = { 0 };
	size_t i;
	int step;

	rc = merge_ensure_schema(db, err);
	if (rc == GQ_OK)
		rc = db_prepare(db, "SELECT DISTINCT f.field FROM " LOG_HEADS("(SELECT n FROM log_key"
				" WHERE key = ?2)", "IN (SELECT n FROM log_field WHERE tbl = ?1)") " h"
				" CROSS JOIN log_field f ON f.n = h.field_n"
				" ORDER BY f.field = 'created_at', f.field",
				&st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		copy_text(st, 0, heads_add(&fields)->field, sizeof(fields.v[0].field));
	if (step != SQLITE_DONE)
		rc = db_error(db, _("reading the change log"), err);
	sqlite3_finalize(st);
	for (i = 0; rc == GQ_OK && i < fields.n; i++) {
		const char *col;
		enum fkind k;

		rc = resolve_field(tbl, fields.v[i].field, &t, NULL, &col, &k, err);
		if (rc == GQ_OK && i == 0) {
			rc = row_begin(db, t, row_id, 1, &rs, err);
			rs.open = 1;	/* every conflict of the row is looked at */
		}
		if (rc == GQ_OK)
			rc = recompute_field(db, t, col, row_id, &rs, NULL, err);
	}
	if (rc == GQ_OK && fields.n)
		rc = recompute_delete(db, t, row_id, &rs, NULL, err);
	heads_release(&fields);
	return rc;
}

/* ---- Applying --------------------------------------------------------- */

/* Is (origin, oseq) in the log? 1 yes and the same change, 0 no, -1 yes
 * but with other content. */
static int already_logged(struct gq_db *db, const struct change *c)
{
	sqlite3_stmt *st;
	int res = 0;

	if (change_log_beyond(db, c->origin, c->oseq))
		return 0;
	if (db_cached(db, "SELECT f.tbl = ?3 AND e.row_n IS (SELECT n FROM log_key WHERE key = ?4)"
		      " AND f.field = ?5 AND e.hlc + (?2 - e.oseq) = ?6 AND " LOG_E_VALUE " IS ?7"
		      LOG_OF_OSEQ("?1", "?2"), &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, c->oseq);
	sqlite3_bind_text(st, 3, c->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->field, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, c->hlc);
	val_bind(st, 7, &c->value);
	if (sqlite3_step(st) == SQLITE_ROW)
		res = sqlite3_column_int(st, 0) ? 1 : -1;
	sqlite3_reset(st);
	return res;
}

/* The rows touched by merge_apply_deferred() since the last
 * merge_settle(), each with the fields touched as bits (dirty_bit()): a
 * temporary table of this connection. The row being touched is kept in
 * memory until a change of another row comes, or the table is read
 * (dirty_flush()): a row's changes come one after the other. */
static const char dirty_table_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS merge_dirty_rows (tbl TEXT NOT NULL,"
	" row_id TEXT NOT NULL, fields INTEGER NOT NULL,"
	" PRIMARY KEY (tbl, row_id)) WITHOUT ROWID";

#define DIRTY_CREATED 61
#define DIRTY_VILLAGE 62
#define DIRTY_DELETED 63

static struct dirty_row {
	struct db_txn_mark at;
	int held;	/* a row is held */
	char tbl[MERGE_NAME_MAX + 1], row_id[MERGE_ID_MAX + 1];
	uint64_t fields;
} dirty_now;

/* The bit of column col of t; -1 when it has none. */
static int dirty_bit(const struct table_def *t, const char *col)
{
	int i;

	if (!strcmp(col, "created_at"))
		return DIRTY_CREATED;
	if (!strcmp(col, "village"))
		return DIRTY_VILLAGE;
	if (!strcmp(col, "deleted"))
		return DIRTY_DELETED;
	i = table_field_index(t, col);
	return i >= 0 && i < DIRTY_CREATED ? i : -1;
}

/* The name of bit b of t. */
static const char *dirty_name(const struct table_def *t, int b)
{
	switch (b) {
	case DIRTY_CREATED:
		return "created_at";
	case DIRTY_VILLAGE:
		return "village";
	case DIRTY_DELETED:
		return "deleted";
	default:
		return (size_t)b < t->nfields ? t->fields[b].name : NULL;
	}
}

/* Write the row kept in memory into the table. */
static enum gq_status dirty_flush(struct gq_db *db, struct gq_err *err)
{
	static const char sql[] = "INSERT INTO temp.merge_dirty_rows (tbl, row_id, fields)"
		" VALUES (?1, ?2, ?3) ON CONFLICT (tbl, row_id)"
		" DO UPDATE SET fields = fields | excluded.fields";
	sqlite3_stmt *st;
	enum gq_status rc;
	struct gq_err ignored;
	int step, again;

	if (!dirty_now.held || !db_txn_is(&dirty_now.at, db) || !dirty_now.fields) {
		/* none, or of another transaction: rolled back, or settled */
		dirty_now.held = 0;
		return GQ_OK;
	}
	/* The table is made by the first change of a connection, and made
	 * again after a rolled-back transaction took it away. */
	rc = db_cached(db, sql, &st, &ignored);
	if (rc == GQ_EDB) {
		rc = db_exec(db, dirty_table_sql, err);
		if (rc == GQ_OK)
			rc = db_cached(db, sql, &st, err);
	} else if (rc != GQ_OK) {
		*err = ignored;
	}
	for (again = 1; rc == GQ_OK; again--) {
		sqlite3_bind_text(st, 1, dirty_now.tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, dirty_now.row_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)dirty_now.fields);
		step = sqlite3_step(st);
		sqlite3_reset(st);
		if (step == SQLITE_DONE)
			break;
		if (!again || sqlite3_exec(db->h, dirty_table_sql, NULL, NULL, NULL) != SQLITE_OK)
			rc = db_error(db, _("writing the change log"), err);
	}
	if (rc == GQ_OK)
		dirty_now.held = 0;
	return rc;
}

/* Field col of c's row was touched. */
static enum gq_status mark_dirty(struct gq_db *db, const struct table_def *t,
				 const struct change *c, const char *col, struct gq_err *err)
{
	enum gq_status rc;
	int b = dirty_bit(t, col);

	if (b < 0)
		return gq_err_set(err, GQ_EINVAL, _("Table \"%s\" has no field \"%s\"."), c->tbl, col);
	if (dirty_now.held && db_txn_is(&dirty_now.at, db) &&
	    !strcmp(dirty_now.tbl, c->tbl) && !strcmp(dirty_now.row_id, c->row_id)) {
		dirty_now.fields |= UINT64_C(1) << b;
		return GQ_OK;
	}
	rc = dirty_flush(db, err);
	if (rc != GQ_OK)
		return rc;
	dirty_now.held = 1;
	db_txn_set(&dirty_now.at, db);
	text_copy(dirty_now.tbl, sizeof(dirty_now.tbl), c->tbl);
	text_copy(dirty_now.row_id, sizeof(dirty_now.row_id), c->row_id);
	dirty_now.fields = UINT64_C(1) << b;
	return GQ_OK;
}

enum gq_status merge_apply_deferred(struct gq_db *db, const struct change *c,
				    struct merge_stats *ms, struct gq_err *err)
{
	const struct table_def *t;
	struct change copy;
	const char *col;
	enum gq_status rc;
	int clamped = 0, seen;

	rc = check_change(c, &t, NULL, &col, err);
	if (rc != GQ_OK)
		return rc;
	if (c->oseq <= 0 || !c->origin[0] || !c->row_id[0])
		return gq_err_set(err, GQ_EINVAL, _("A change has no origin, number or row."));
	seen = already_logged(db, c);
	if (seen > 0) {
		if (ms)
			ms->duplicates++;
		return GQ_OK;
	}
	if (seen < 0)
		return gq_err_set(err, GQ_ECORRUPT,
				  _("Change %s:%lld was received before with other content."),
				  c->origin, (long long)c->oseq);
	rc = merge_ensure_schema(db, err);
	/* The HLC observes the greatest time of a bundle once, when it is
	 * settled; without counters to keep it in, each change at once. */
	if (rc == GQ_OK && !ms)
		rc = hlc_observe(db, c->hlc, &clamped, err);
	else if (rc == GQ_OK)
		clamped = c->hlc > hlc_make(clock_now_ms() + HLC_MAX_AHEAD_MS, 0);
	copy = *c;
	if (rc == GQ_OK)
		rc = change_log_append(db, &copy, NULL, err);
	if (rc == GQ_OK)
		rc = mark_dirty(db, t, c, col, err);
	if (rc == GQ_OK && ms) {
		ms->applied++;
		ms->clamped += clamped;
		if (c->hlc > ms->max_hlc)
			ms->max_hlc = c->hlc;
		if (c->hlc > ms->hlc_pending)
			ms->hlc_pending = c->hlc;
	}
	return rc;
}

/* Within a row: created_at last, the others by name. */
static int dirty_field_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int cx = !strcmp(x, "created_at"), cy = !strcmp(y, "created_at");

	if (cx != cy)
		return cx - cy;
	return strcmp(x, y);
}

/* The fields of one touched row of t, recomputed: its other fields first,
 * then its creation (a row appears with it, holding every winner at once),
 * then its tombstone conflicts. */
static enum gq_status settle_row(struct gq_db *db, const struct table_def *t,
				 const char *row_id, uint64_t fields, int *any_open,
				 struct rowstate *rs, struct merge_stats *ms,
				 struct gq_err *err)
{
	const char *names[64];
	size_t n = 0, i;
	enum gq_status rc = GQ_OK;
	int b;

	for (b = 0; b < 64; b++) {
		const char *name = (fields >> b) & 1 ? dirty_name(t, b) : NULL;

		if (name)
			names[n++] = name;
	}
	if (!n)
		return GQ_OK;
	if (n > 1)
		qsort(names, n, sizeof(*names), dirty_field_cmp);
	for (i = 0; rc == GQ_OK && i < n; i++) {
		const struct table_def *ft;
		const char *col;
		enum fkind k;
		int64_t run;

		rc = resolve_field(t->name, names[i], &ft, NULL, &col, &k, err);
		if (rc == GQ_OK && i == 0)
			rc = row_begin(db, ft, row_id, *any_open, rs, err);
		/* A new row all of one run (a record made elsewhere and not
		 * changed since) is made from it at once. */
		if (rc == GQ_OK && i == 0 && !rs->exists && !rs->open &&
		    (run = row_one_run(db, ft, row_id)) != 0) {
			rc = create_from_run(db, ft, row_id, run, rs, err);
			i = n - 1;
		} else if (rc == GQ_OK) {
			rc = recompute_field(db, ft, col, row_id, rs, ms, err);
		}
		*any_open |= rs->open;
		/* The tombstone conflicts once the row's last field is done. */
		if (rc == GQ_OK && i + 1 == n)
			rc = recompute_delete(db, ft, row_id, rs, ms, err);
	}
	return rc;
}

/* The touched rows are read back table by table in the order of
 * tables_all[], where a table comes after those it points at (users
 * before the visits that name them): a row is inserted before the rows
 * that point at it, so that inserting it leaves no reference pending that
 * SQLite would have to look for (a users row inserted while one is pending
 * reads every visit's visitor). Within a table, in the order of their ids.
 * One row at a time: what a bundle touched stays in its table, however
 * large the bundle. */
enum gq_status merge_settle(struct gq_db *db, struct merge_stats *ms, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	struct rowstate rs;
	size_t i;
	int step = SQLITE_DONE, any_open = -1;

	memset(&rs, 0, sizeof(rs));
	if (ms && ms->hlc_pending) {
		int clamped;

		rc = hlc_observe(db, ms->hlc_pending, &clamped, err);
		if (rc != GQ_OK)
			return rc;
		ms->hlc_pending = 0;
	}
	rc = db_exec(db, dirty_table_sql, err);
	if (rc == GQ_OK)
		rc = dirty_flush(db, err);
	for (i = 0; rc == GQ_OK && i < tables_count; i++) {
		const struct table_def *t = tables_all[i];

		rc = db_cached(db, "SELECT row_id, fields FROM temp.merge_dirty_rows"
			       " WHERE tbl = ?1 ORDER BY row_id", &st, err);
		if (rc != GQ_OK)
			break;
		sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
		while (rc == GQ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
			char row_id[MERGE_ID_MAX + 1];

			copy_text(st, 0, row_id, sizeof(row_id));
			/* Conflict queries only for rows that may have an
			 * open conflict. */
			if (any_open < 0)
				any_open = any_open_conflict(db, NULL, NULL);
			rc = settle_row(db, t, row_id, (uint64_t)sqlite3_column_int64(st, 1),
					&any_open, &rs, ms, err);
		}
		if (rc == GQ_OK && step != SQLITE_DONE)
			rc = db_error(db, _("reading the change log"), err);
		sqlite3_reset(st);
	}
	if (rc == GQ_OK)
		rc = db_exec(db, "DELETE FROM temp.merge_dirty_rows", err);
	return rc;
}

enum gq_status merge_apply(struct gq_db *db, const struct change *c,
			   struct merge_stats *ms, struct gq_err *err)
{
	struct merge_stats own;
	enum gq_status rc;

	if (!ms) {
		memset(&own, 0, sizeof(own));
		ms = &own;
	}
	rc = merge_apply_deferred(db, c, ms, err);
	if (rc == GQ_OK)
		rc = merge_settle(db, ms, err);
	return rc;
}

/* What row_text() read, kept while the transaction is the same and no
 * record was written: the checks of an import read the village of the
 * row of each change, and a row's changes come one after the other. */
#define ROW_SEEN_SLOTS 4
static struct row_seen {
	struct db_txn_mark at;
	uint64_t written;
	const struct table_def *t;
	const char *col;
	char row_id[MERGE_ID_MAX + 1];
	char text[64];
	int found;
} row_seen[ROW_SEEN_SLOTS];

/* The text of one column of a row into out ("" when NULL); 1 when the row
 * is there. col comes from tables_all[], never from a change. */
static int row_text(struct gq_db *db, const struct table_def *t, const char *col,
		    const char *row_id, char *out, size_t size)
{
	static size_t next;
	struct row_seen *rs;
	sqlite3_stmt *st;
	int found = 0;
	size_t i;

	out[0] = '\0';
	for (i = 0; db->depth > 0 && i < ROW_SEEN_SLOTS; i++) {
		rs = &row_seen[i];
		if (db_txn_is(&rs->at, db) && rs->written == rows_written && rs->t == t && rs->col == col &&
		    !strcmp(rs->row_id, row_id)) {
			text_copy(out, size, rs->text);
			return rs->found;
		}
	}
	if (tsql(db, TS_GET, t, col, &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, row_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		copy_text(st, 0, out, size);
		found = 1;
	}
	sqlite3_reset(st);
	/* Kept when all of it fits. */
	if (db->depth > 0 && strlen(row_id) <= MERGE_ID_MAX && strlen(out) + 1 < size &&
	    strlen(out) < sizeof(rs->text)) {
		rs = &row_seen[next++ % ROW_SEEN_SLOTS];
		db_txn_set(&rs->at, db);
		rs->written = rows_written;
		rs->t = t;
		rs->col = col;
		text_copy(rs->row_id, sizeof(rs->row_id), row_id);
		text_copy(rs->text, sizeof(rs->text), out);
		rs->found = found;
	}
	return found;
}

/* What the scope checks found of the log, kept while the transaction is
 * the same (db->txn): an import asks them of every change, and the
 * changes of one row, by one user, come one after the other. Only what
 * stays true as the log grows is kept: a row's creation once logged, a
 * user of a station once known. */
static struct scope_seen {
	struct db_txn_mark at;
	char tbl[MERGE_NAME_MAX + 1], row_id[MERGE_ID_MAX + 1];
	char origin[MERGE_ID_MAX + 1], village[MERGE_VILLAGE_MAX + 1];
	char user_id[MERGE_ID_MAX + 1], sender_id[MERGE_ID_MAX + 1];
	char sender_village[MERGE_VILLAGE_MAX + 1];
	int created, user_ok;
} seen;

/* Start what is seen afresh unless it is of this transaction. */
static void seen_refresh(const struct gq_db *db)
{
	if (!db_txn_fresh(&seen.at, db)) {
		seen.created = seen.user_ok = 0;
		seen.tbl[0] = seen.row_id[0] = seen.user_id[0] = '\0';
	}
}

/* The origin and village of the creation of row tbl.row_id as logged
 * here; 0 when its creation has not arrived. */
static int creation_of(struct gq_db *db, const char *tbl, const char *row_id,
		       char *origin, size_t osize, char *village, size_t vsize)
{
	sqlite3_stmt *st;
	int found = 0;

	origin[0] = village[0] = '\0';
	seen_refresh(db);
	if (seen.created && !strcmp(seen.tbl, tbl) && !strcmp(seen.row_id, row_id)) {
		text_copy(origin, osize, seen.origin);
		text_copy(village, vsize, seen.village);
		return 1;
	}
	/* The first (min() gives the other columns of its row, without a
	 * sort); no row when there is none. */
	if (db_cached(db, "SELECT (SELECT key FROM log_key WHERE n = x.o),"
		      " (SELECT key FROM log_key WHERE n = x.v) FROM (SELECT min(e.seq) AS first,"
		      " e.origin_n AS o, e.village_n AS v"
		      LOG_OF_FIELD("(SELECT n FROM log_key WHERE key = ?2)",
				   "(SELECT n FROM log_field WHERE tbl = ?1 AND field = 'created_at')")
		      ") x WHERE x.first IS NOT NULL", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		copy_text(st, 0, origin, osize);
		copy_text(st, 1, village, vsize);
		found = 1;
	}
	sqlite3_reset(st);
	if (found) {
		seen.created = 1;
		text_copy(seen.tbl, sizeof(seen.tbl), tbl);
		text_copy(seen.row_id, sizeof(seen.row_id), row_id);
		text_copy(seen.origin, sizeof(seen.origin), origin);
		text_copy(seen.village, sizeof(seen.village), village);
	}
	return found;
}

/* Is user_id a user of the station sender_id of sender_village: a users
 * row made there, or made for that village? */
static int user_of_station(struct gq_db *db, const char *user_id, const char *sender_id,
			   const char *sender_village)
{
	sqlite3_stmt *st;
	int ok = 0;

	seen_refresh(db);
	if (seen.user_ok && !strcmp(seen.user_id, user_id) &&
	    !strcmp(seen.sender_id, sender_id) && !strcmp(seen.sender_village, sender_village))
		return 1;
	if (db_cached(db, "SELECT 1" LOG_OF_FIELD("(SELECT n FROM log_key WHERE key = ?1)",
				   "(SELECT n FROM log_field WHERE tbl = 'users' AND field = 'created_at')")
		      " AND (e.origin_n = (SELECT n FROM log_key WHERE key = ?2)"
		      " OR e.village_n = (SELECT n FROM log_key WHERE key = ?3)) LIMIT 1",
		      &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sender_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sender_village, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (ok) {
		seen.user_ok = 1;
		text_copy(seen.user_id, sizeof(seen.user_id), user_id);
		text_copy(seen.sender_id, sizeof(seen.sender_id), sender_id);
		text_copy(seen.sender_village, sizeof(seen.sender_village), sender_village);
	}
	return ok;
}

/* Was row tbl.row_id moved out of village (a change of its village logged
 * under that village, to another)? */
static int moved_out_of(struct gq_db *db, const char *tbl, const char *row_id,
			const char *village)
{
	sqlite3_stmt *st;
	int found = 0;

	if (db_cached(db, "SELECT 1" LOG_OF_FIELD("(SELECT n FROM log_key WHERE key = ?2)",
				   "(SELECT n FROM log_field WHERE tbl = ?1 AND field = 'village')")
		      " AND e.village_n = (SELECT n FROM log_key WHERE key = ?3)"
		      " AND " LOG_E_VALUE " IS NOT ?3 LIMIT 1", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, village, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

int merge_change_moved(struct gq_db *db, const char *sender_village,
		       const struct change *c, char *to, size_t size)
{
	const struct table_def *t = table_find(c->tbl);
	char village[MERGE_VILLAGE_MAX + 1];

	to[0] = '\0';
	if (!t || !sender_village || strcmp(t->name, c->tbl))
		return 0;
	if (!row_text(db, t, "village", c->row_id, village, sizeof(village)) || !village[0] ||
	    !strcmp(village, sender_village) || !moved_out_of(db, t->name, c->row_id, sender_village))
		return 0;
	text_copy(to, size, village);
	return 1;
}

enum gq_status merge_change_valid(struct gq_db *db, const struct change *c, int from_station,
				  struct gq_err *err)
{
	const struct table_def *t;
	const struct field_def *f;
	const char *col;
	char text[32], day[VALIDATE_DATE_SIZE], tomorrow[VALIDATE_DATE_SIZE];
	const char *v;
	char *norm = NULL;
	enum gq_status rc;
	int64_t ms;

	rc = check_change(c, &t, &f, &col, err);
	if (rc != GQ_OK)
		return rc;
	/* Text is UTF-8, from anyone. The field's label is translated only
	 * to name it in an error (a gettext lookup a change costs more than
	 * the check). */
	if (c->value.type == VAL_TEXT &&
	    validate_utf8(c->field, c->value.s, strlen(c->value.s), VALIDATE_MULTILINE,
			  NULL) != GQ_OK) {
		/* the same check again, which fails again, to say why */
		validate_utf8(f ? _(f->label) : c->field, c->value.s, strlen(c->value.s),
			      VALIDATE_MULTILINE, err);
		return GQ_EINVAL;
	}
	if (!from_station)
		return GQ_OK;
	if (!strcmp(c->field, "created_at"))
		return clock_parse(c->value.s, &ms) == 0 ? GQ_OK :
			gq_err_set(err, GQ_EINVAL, _("The creation time \"%s\" is not a time."), c->value.s);
	if (!f || c->value.type == VAL_NULL)
		return GQ_OK;
	if (c->value.type == VAL_INT) {
		snprintf(text, sizeof(text), "%lld", (long long)c->value.i);
		v = text;
	} else {
		v = c->value.s;
	}
	switch (f->type) {
	case FT_REF:
		/* The row pointed to may come later in the same bundle: its
		 * id is checked here, its village by the scope of the row. */
		if (!uid_valid(v))
			return gq_err_set(err, GQ_EINVAL, _("Field \"%s\": \"%s\" is not a record id."),
					  _(f->label), v);
		return GQ_OK;
	case FT_DATE:
		/* A station's clock may run a day ahead of ours. */
		clock_today(day, sizeof(day));
		if (validate_date_add_days(day, 1, tomorrow, err) != GQ_OK)
			return GQ_EINVAL;
		if (validate_date(f->label, v, "1900-01-01", (f->flags & F_PAST) ? tomorrow : NULL, 0,
				  NULL) == GQ_OK)
			return GQ_OK;
		validate_date(_(f->label), v, "1900-01-01", (f->flags & F_PAST) ? tomorrow : NULL, 0,
			      err);
		return GQ_EINVAL;
	case FT_ENUM: {
		const struct choice *ch = choice_find(f->choices, v);

		if (ch && !strcmp(ch->code, v))
			return GQ_OK;
		if (ch)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": \"%s\" is not in the form a save stores (%s)."),
					  _(f->label), v, ch->code);
		/* not a choice at all: the local save's message */
		rc = field_check(db, f, v, &norm, err);
		free(norm);
		return rc != GQ_OK ? rc : gq_err_set(err, GQ_EINVAL, _("Field \"%s\": \"%s\" is not one of the choices."), _(f->label), v);
	}
	default:
		break;
	}
	/* Every other type: the local save's check, and the value must be in
	 * the form a save stores. */
	rc = field_check(db, f, v, &norm, err);
	if (rc == GQ_OK && (!norm || strcmp(norm, v)))
		rc = gq_err_set(err, GQ_EINVAL, _("Field \"%s\": \"%s\" is not in the form a save stores (%s)."),
				_(f->label), v, norm ? norm : "");
	free(norm);
	if (rc != GQ_OK)
		return rc;
	/* One person per ID number. */
	if (f->type == FT_IDNUM) {
		sqlite3_stmt *st;

		rc = db_cached(db, "SELECT name, id FROM person WHERE id_number = ?1"
			       " AND id <> ?2 AND deleted = 0 LIMIT 1", &st, err);
		if (rc != GQ_OK)
			return rc;
		sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->row_id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = gq_err_set(err, GQ_EEXIST,
					_("The ID number %s is already recorded for %s (%s)."), v,
					(const char *)sqlite3_column_text(st, 0),
					(const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
	}
	return rc;
}

/* Has any change of tbl.row_id.field arrived here? */
static int field_logged(struct gq_db *db, const char *tbl, const char *row_id,
			const char *field)
{
	sqlite3_stmt *st;
	int found = 0;

	if (db_cached(db, "SELECT 1" LOG_OF_FIELD("(SELECT n FROM log_key WHERE key = ?2)",
				   "(SELECT n FROM log_field WHERE tbl = ?1 AND field = ?3)")
		      " LIMIT 1", &st, NULL) != GQ_OK)
		return 1;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

enum gq_status merge_change_parents_known(struct gq_db *db, const struct change *c,
					  struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	size_t i;

	if (!c->nparents)
		return GQ_OK;
	rc = db_cached(db, "SELECT f.tbl = ?3 AND e.row_n IS (SELECT n FROM log_key WHERE key = ?4)"
		       " AND (?5 = 0 OR f.field = ?6)" LOG_OF_OSEQ("?1", "?2"), &st, err);
	if (rc != GQ_OK)
		return rc;
	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		const struct merge_parent *p = &c->parents[i];
		int step;

		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, p->origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, p->oseq);
		sqlite3_bind_text(st, 3, c->tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->row_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, p->same_field ? 1 : 0);
		sqlite3_bind_text(st, 6, c->field, -1, SQLITE_STATIC);
		step = sqlite3_step(st);
		if (step == SQLITE_DONE)
			rc = gq_err_set(err, GQ_EPERM,
					_("It names as its parent the change %s:%lld, which has not arrived here; a change comes after the changes it replaced."),
					p->origin, (long long)p->oseq);
		else if (step == SQLITE_ROW && !sqlite3_column_int(st, 0))
			rc = gq_err_set(err, GQ_EPERM,
					_("It names as its parent the change %s:%lld, which is not a change of the same record and field."),
					p->origin, (long long)p->oseq);
		else if (step != SQLITE_ROW)
			rc = db_error(db, _("reading the change log"), err);
	}
	sqlite3_reset(st);
	return rc;
}

int merge_change_known(struct gq_db *db, const struct change *c)
{
	return already_logged(db, c);
}

enum gq_status merge_change_allowed(struct gq_db *db, const char *sender_id,
				    const char *sender_village,
				    const struct change *c, struct gq_err *err)
{
	const struct table_def *t;
	const struct field_def *f;
	char village[MERGE_VILLAGE_MAX + 1], corigin[MERGE_ID_MAX + 1];
	char cvillage[MERGE_VILLAGE_MAX + 1], status[32];
	const char *col, *sv = sender_village ? sender_village : "";
	enum gq_status rc;
	int found, created;

	rc = check_change(c, &t, &f, &col, err);
	if (rc != GQ_OK)
		return rc;
	/* Published forms are the county's alone. */
	if (!strcmp(t->name, "form_def"))
		return gq_err_set(err, GQ_EPERM,
				  _("Published forms are the county's; a station may not change the %s %s."),
				  c->tbl, c->row_id);
	/* A station writes its own station row only, and stays a station. */
	if (!strcmp(t->name, "station") && strcmp(c->row_id, sender_id))
		return gq_err_set(err, GQ_EPERM,
				  _("The station %s may write only its own station record, not %s."),
				  sender_id, c->row_id);
	if (!strcmp(t->name, "station") && !strcmp(c->field, "role") &&
	    (c->value.type != VAL_TEXT || strcmp(c->value.s, "station")))
		return gq_err_set(err, GQ_EPERM,
				  _("A station may not make itself anything but a station."));

	/* The village the row belongs to: the row's own village here; a row
	 * whose village has not arrived yet (made earlier in the same
	 * bundle) is the village of its creation, and a row with no village
	 * at all (the county's users and station) is the county's. A row not
	 * here yet is the change's village. */
	found = row_text(db, t, "village", c->row_id, village, sizeof(village));
	created = creation_of(db, t->name, c->row_id, corigin, sizeof(corigin),
			      cvillage, sizeof(cvillage));
	if (found && !village[0])
		text_copy(village, sizeof(village), created ? cvillage : "");
	else if (!found && created)
		text_copy(village, sizeof(village), cvillage);
	else if (!found)
		text_copy(village, sizeof(village), c->village);
	if (!village[0])
		return gq_err_set(err, GQ_EPERM,
				  _("The %s %s belongs to no village: it is the county's, and a station may not change it."),
				  c->tbl, c->row_id);
	/* A row moved away from the sender's village: what its station
	 * saved before it learned of the move is kept (merge_change_moved()
	 * says where the row is now). */
	if ((strcmp(village, sv) || strcmp(c->village, village)) &&
	    !(found && !strcmp(c->village, sv) && strcmp(c->field, "village") &&
	      moved_out_of(db, t->name, c->row_id, sv)))
		return gq_err_set(err, GQ_EPERM,
				  _("The %s %s belongs to village %s; the station of village %s may not change it."),
				  c->tbl, c->row_id, village, sv);
	if (!strcmp(c->field, "village") &&
	    (c->value.type != VAL_TEXT || strcmp(c->value.s, sv)))
		return gq_err_set(err, GQ_EPERM,
				  _("The station of village %s may not move the %s %s to another village."),
				  sv, c->tbl, c->row_id);
	/* The acting user must be one of the sending station's users. */
	if (c->user_id[0] && !user_of_station(db, c->user_id, sender_id, sv))
		return gq_err_set(err, GQ_EPERM,
				  _("The change names user %s, who is not a user of the station of village %s."),
				  c->user_id, sv);
	/* A user of a station works at a station. */
	if (!strcmp(t->name, "users") && !strcmp(c->field, "role") && c->value.type == VAL_TEXT &&
	    strcmp(c->value.s, "grid_worker") && strcmp(c->value.s, "station_admin"))
		return gq_err_set(err, GQ_EPERM,
				  _("A station may not give user %s the role \"%s\": a user of a station is a grid worker or a station admin."),
				  c->row_id, c->value.s);
	/* A station sets the initial status of the application it creates
	 * (submitted); every later status and the decision are the
	 * county's. */
	if (f && (f->flags & F_COUNTY) && !strcmp(t->name, "application") &&
	    !strcmp(c->field, "status") && c->nparents == 0 && c->value.type == VAL_TEXT &&
	    !strcmp(c->value.s, "submitted") && created && !strcmp(corigin, sender_id) &&
	    !field_logged(db, t->name, c->row_id, c->field))
		return GQ_OK;
	if (f && (f->flags & F_COUNTY))
		return gq_err_set(err, GQ_EPERM,
				  _("Field \"%s\" of %s %s is decided by the county; a station may not change it."),
				  c->field, c->tbl, c->row_id);
	/* Once decided, an application is the county's: a note may be added. */
	if (!strcmp(t->name, "application") && strcmp(c->field, "notes") &&
	    row_text(db, t, "status", c->row_id, status, sizeof(status)) && status[0] &&
	    strcmp(status, "submitted"))
		return gq_err_set(err, GQ_EPERM,
				  _("The application %s was decided by the county (%s); a station may add a note to it but not change its field \"%s\"."),
				  c->row_id, status, c->field);
	return GQ_OK;
}

/* ---- The rules across fields, for a run of changes of one row ---------- */

void merge_verdict_release(struct merge_verdict *v)
{
	if (!v)
		return;
	free(v->refused);
	if (v->forms) {
		rules_forms_release(v->forms);
		free(v->forms);
	}
	memset(v, 0, sizeof(*v));
}

static void values_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* The row as this place shows it (*deleted, vals[i] malloc'ed text or
 * NULL), with the fields of it that changes of this import logged already
 * (in an earlier run of the same bundle) at their newest value: the rows
 * show those only when the import settles. *exists: the row is here, or
 * an earlier run of the import gave it values. */
static enum gq_status row_as_pending(struct gq_db *db, const struct table_def *t,
				     const char *row_id, char **vals, int *exists, int *deleted,
				     struct gq_err *err)
{
	static const char pending_sql[] =
		"SELECT (SELECT " LOG_E_VALUE " FROM log_entry e"
		" LEFT JOIN log_shape_field s ON s.shape_n = e.shape_n AND s.field_n = f.n"
		" WHERE e.row_n = k.n AND (e.field_n = f.n OR s.field_n IS NOT NULL)"
		" ORDER BY e.seq DESC LIMIT 1)"
		" FROM (SELECT 1) LEFT JOIN log_key k ON k.key = ?2"
		" LEFT JOIN log_field f ON f.tbl = ?1 AND f.field = ?3";
	sqlite3_stmt *st;
	struct gq_err ignored;
	enum gq_status rc;
	uint64_t fields;
	size_t i;
	int step, b;

	*exists = *deleted = 0;
	rc = tsql(db, TS_ROW, t, NULL, &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, row_id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*exists = 1;
		*deleted = sqlite3_column_int(st, 0);
		for (i = 0; i < t->nfields; i++) {
			const unsigned char *v = sqlite3_column_text(st, 1 + (int)i);

			vals[i] = v ? xstrdup((const char *)v) : NULL;
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(db, _("reading the change log"), err);
	/* The fields logged earlier in this import; no table yet: nothing
	 * logged on this connection. */
	rc = dirty_flush(db, err);
	if (rc != GQ_OK)
		return rc;
	if (db_cached(db, "SELECT fields FROM temp.merge_dirty_rows WHERE tbl = ?1 AND row_id = ?2",
		      &st, &ignored) != GQ_OK)
		return GQ_OK;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	fields = step == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(db, _("reading the change log"), err);
	if (fields && db_cached(db, pending_sql, &st, err) != GQ_OK)
		return GQ_EDB;
	for (b = 0; fields && b < 64; b++) {
		const char *field = (fields >> b) & 1 ? dirty_name(t, b) : NULL;
		const unsigned char *v;
		int fi;

		if (!field)
			continue;
		sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			return db_error(db, _("reading the change log"), err);
		}
		v = sqlite3_column_text(st, 0);
		fi = table_field_index(t, field);
		if (b == DIRTY_DELETED)
			*deleted = sqlite3_column_int(st, 0);
		*exists = 1;	/* logged earlier in this import */
		if (fi >= 0) {
			free(vals[fi]);
			vals[fi] = v ? xstrdup((const char *)v) : NULL;
		}
		sqlite3_reset(st);
	}
	return GQ_OK;
}

/* The value of c as the text a row holds. */
static char *change_text(const struct change *c)
{
	char num[32];

	if (c->value.type == VAL_INT) {
		snprintf(num, sizeof(num), "%lld", (long long)c->value.i);
		return xstrdup(num);
	}
	return c->value.type == VAL_TEXT && c->value.s ? xstrdup(c->value.s) : NULL;
}

/* vals := base with the changes of the run that are used and not refused
 * laid over it in order; returns the fields they touch, *deleted the
 * tombstone they leave. */
static uint64_t run_overlay(const struct table_def *t, char *const *base, int base_deleted,
			    const struct change *run, size_t n, const unsigned char *use,
			    const unsigned char *refused, char **vals, int *deleted)
{
	uint64_t touched = 0;
	size_t i;

	for (i = 0; i < t->nfields; i++) {
		free(vals[i]);
		vals[i] = base[i] ? xstrdup(base[i]) : NULL;
	}
	*deleted = base_deleted;
	for (i = 0; i < n; i++) {
		int fi;

		if (!use[i] || refused[i])
			continue;
		if (!strcmp(run[i].field, "deleted")) {
			*deleted = run[i].value.type == VAL_INT && run[i].value.i == 1;
			continue;
		}
		fi = table_field_index(t, run[i].field);
		if (fi < 0 || fi >= 64 || strcmp(t->fields[fi].name, run[i].field))
			continue;
		free(vals[fi]);
		vals[fi] = change_text(&run[i]);
		touched |= (uint64_t)1 << fi;
	}
	return touched;
}

enum gq_status merge_check_run(struct gq_db *db, const struct change *run, size_t n,
			       const unsigned char *use, struct merge_verdict *v,
			       struct gq_err *err)
{
	const struct table_def *t;
	struct rules_breach br[RULES_BREACH_MAX], before[RULES_BREACH_MAX];
	char **base = NULL, **vals = NULL;
	uint64_t mask, touched = 0;
	size_t i, k, nb, nbefore = 0, round;
	int exists, base_deleted, deleted, have_before = 0, added;
	enum gq_status rc;

	if (n > v->alloc) {
		v->refused = xreallocarray(v->refused, n, 1);
		v->alloc = n;
	}
	if (n)
		memset(v->refused, 0, n);
	v->nwhy = 0;
	t = n ? table_find(run[0].tbl) : NULL;
	if (!t || strcmp(t->name, run[0].tbl) || t->nfields > 64 || !(mask = rules_row_fields(t)))
		return GQ_OK;
	for (i = 0; i < n; i++) {
		int fi = use[i] ? table_field_index(t, run[i].field) : -1;

		if (fi >= 0 && fi < 64)
			touched |= (uint64_t)1 << fi;
	}
	if (!(touched & mask))
		return GQ_OK;
	if (!v->forms)
		v->forms = xcalloc(1, sizeof(*v->forms));
	base = xcalloc(t->nfields, sizeof(*base));
	vals = xcalloc(t->nfields, sizeof(*vals));
	rc = row_as_pending(db, t, run[0].row_id, base, &exists, &base_deleted, err);
	/* Each round refuses the changes that break a rule, then looks again
	 * at the row without them; a rule the row broke before the run is
	 * not the run's doing. */
	for (round = 0; rc == GQ_OK && round < RULES_BREACH_MAX; round++) {
		touched = run_overlay(t, base, base_deleted, run, n, use, v->refused, vals, &deleted);
		/* A tombstone is always taken; a deleted row is not checked. */
		if (deleted || !(touched & mask))
			break;
		nb = rules_check_row(db, t, vals, touched, v->forms, br);
		added = 0;
		for (k = 0; k < nb && v->nwhy < MERGE_VERDICT_MAX; k++) {
			size_t j;
			int old = 0;

			if (exists && !have_before) {
				nbefore = rules_check_row(db, t, base, mask, v->forms, before);
				have_before = 1;
			}
			for (j = 0; exists && j < nbefore; j++)
				old |= before[j].rule == br[k].rule;
			if (old)
				continue;
			for (i = 0, j = 0; i < n; i++) {
				int fi = table_field_index(t, run[i].field);

				if (use[i] && !v->refused[i] && fi >= 0 && fi < 64 &&
				    (br[k].fields & ((uint64_t)1 << fi))) {
					v->refused[i] = (unsigned char)(1 + v->nwhy);
					j++;
				}
			}
			if (j) {
				v->why[v->nwhy++] = br[k].why;
				added = 1;
			}
		}
		if (!added)
			break;
	}
	values_free(base, t->nfields);
	values_free(vals, t->nfields);
	return rc;
}

/* ---- Local changes with explicit parents, resolution ------------------- */

enum gq_status merge_log_local(struct gq_db *db, const char *tbl,
			       const char *row_id, const char *field,
			       const struct val *v, const char *village,
			       const struct merge_parent *parents,
			       size_t nparents, int64_t *oseq_out,
			       struct gq_err *err)
{
	const struct table_def *t;
	struct rowstate rs;
	struct change c;
	const char *col;
	enum gq_status rc;

	if (!db->station_id[0])
		return gq_err_set(err, GQ_EDB,
				  _("Database %s has no station identity: initialise it first."),
				  db->path);
	memset(&c, 0, sizeof(c));
	text_copy(c.origin, sizeof(c.origin), db->station_id);
	text_copy(c.tbl, sizeof(c.tbl), tbl);
	text_copy(c.row_id, sizeof(c.row_id), row_id);
	text_copy(c.field, sizeof(c.field), field);
	text_copy(c.user_id, sizeof(c.user_id), db->user_id);
	text_copy(c.village, sizeof(c.village), village ? village : "");
	if (v)
		c.value = *v;
	c.parents = (struct merge_parent *)parents;
	c.nparents = nparents;
	rc = check_change(&c, &t, NULL, &col, err);
	if (rc != GQ_OK)
		return rc;
	/* Logged as a change made here (next oseq, HLC tick), then its field
	 * and row recomputed like a merged change's, every conflict of the
	 * row looked at. */
	c.oseq = 0;
	rc = merge_ensure_schema(db, err);
	if (rc == GQ_OK)
		rc = change_log_append(db, &c, NULL, err);
	if (rc == GQ_OK)
		rc = row_begin(db, t, row_id, 1, &rs, err);
	rs.open = 1;
	if (rc == GQ_OK)
		rc = recompute_field(db, t, col, row_id, &rs, NULL, err);
	if (rc == GQ_OK)
		rc = recompute_delete(db, t, row_id, &rs, NULL, err);
	if (rc == GQ_OK && oseq_out)
		*oseq_out = c.oseq;
	return rc;
}

/* Heads as parents (appended to *pv, *pn). */
static void add_parents(struct merge_parent **pv, size_t *pn,
			const struct heads *h, int same_field)
{
	size_t i;

	if (!h->n)
		return;
	*pv = xreallocarray(*pv, *pn + h->n, sizeof(**pv));
	for (i = 0; i < h->n; i++) {
		struct merge_parent *p = &(*pv)[(*pn)++];

		text_copy(p->origin, sizeof(p->origin), h->v[i].origin);
		p->oseq = h->v[i].oseq;
		p->same_field = same_field;
	}
}

struct conflict_row {
	char kind[20];
	char tbl[MERGE_NAME_MAX + 1];
	char row_id[MERGE_ID_MAX + 1];
	char field[MERGE_NAME_MAX + 1];
	char winner[MERGE_ID_MAX + 1];
	char loser[MERGE_ID_MAX + 1];
	int open;
};

static enum gq_status load_conflict(struct gq_db *db, int64_t id,
				    struct conflict_row *r, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	rc = db_prepare(db, "SELECT kind, tbl, row_id, field, winner_origin, loser_origin,"
			" status = 'open' FROM conflict WHERE id = ?1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		copy_text(st, 0, r->kind, sizeof(r->kind));
		copy_text(st, 1, r->tbl, sizeof(r->tbl));
		copy_text(st, 2, r->row_id, sizeof(r->row_id));
		copy_text(st, 3, r->field, sizeof(r->field));
		copy_text(st, 4, r->winner, sizeof(r->winner));
		copy_text(st, 5, r->loser, sizeof(r->loser));
		r->open = sqlite3_column_int(st, 6);
	} else if (step == SQLITE_DONE) {
		rc = gq_err_set(err, GQ_ENOTFOUND, _("There is no conflict number %lld."),
				(long long)id);
	} else {
		rc = db_error(db, _("reading conflicts"), err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The value of change seq into v (text copied into *owned). */
static enum gq_status change_value(struct gq_db *db, int64_t seq, struct val *v,
				   char **owned, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_prepare(db, "SELECT " LOG_VALUE("?1"), &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	v->type = VAL_NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
			v->type = VAL_INT;
			v->i = sqlite3_column_int64(st, 0);
		} else if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			*owned = xstrndup((const char *)sqlite3_column_text(st, 0),
					  (size_t)sqlite3_column_bytes(st, 0));
			v->type = VAL_TEXT;
			v->s = *owned;
		}
	}
	sqlite3_finalize(st);
	return GQ_OK;
}

/* A typed value for field col of t from what a person typed. */
static enum gq_status typed_value(const struct conflict_row *r, const char *text,
				  struct val *v, struct gq_err *err)
{
	const struct table_def *t;
	const char *col;
	enum fkind k;
	enum gq_status rc;
	char *end;

	rc = resolve_field(r->tbl, r->field, &t, NULL, &col, &k, err);
	if (rc != GQ_OK)
		return rc;
	v->type = VAL_NULL;
	if (!text || !*text)
		return GQ_OK;
	if (k == FK_INT || k == FK_DELETED) {
		v->type = VAL_INT;
		v->i = strtoll(text, &end, 10);
		if (*end)
			return gq_err_set(err, GQ_EINVAL,
					  _("Field \"%s\": \"%s\" is not a whole number."),
					  r->field, text);
	} else {
		v->type = VAL_TEXT;
		v->s = text;
	}
	return GQ_OK;
}

enum gq_status merge_resolve(struct gq_db *db, int64_t conflict_id,
			     const char *value, const char *keep_origin,
			     struct gq_err *err)
{
	struct conflict_row r;
	struct heads h = { 0 }, other = { 0 };
	struct merge_parent *parents = NULL;
	struct val v = VAL_NULL_INIT;
	char village[MERGE_VILLAGE_MAX + 1] = "";
	char *owned = NULL;
	size_t np = 0, i;
	int64_t oseq = 0;
	enum gq_status rc;
	sqlite3_stmt *st;

	if ((value != NULL) == (keep_origin != NULL))
		return gq_err_set(err, GQ_EUSAGE,
				  _("Settle a conflict with either a value or the origin to keep."));
	rc = db_begin(db, err);
	if (rc != GQ_OK)
		return rc;
	rc = merge_ensure_schema(db, err);
	if (rc == GQ_OK)
		rc = load_conflict(db, conflict_id, &r, err);
	if (rc == GQ_OK && !r.open)
		rc = gq_err_set(err, GQ_EINVAL, _("Conflict %lld is already resolved."),
				(long long)conflict_id);
	/* The village of the new change: the one the row's creation named. */
	if (rc == GQ_OK)
		rc = db_prepare(db, "SELECT village FROM change_log WHERE tbl = ?1"
				" AND row_id = ?2 AND field = 'created_at'", &st, err);
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, r.tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r.row_id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			copy_text(st, 0, village, sizeof(village));
		sqlite3_finalize(st);
	}
	if (rc == GQ_OK && !strcmp(r.kind, CE)) {
		rc = load_heads(db, r.tbl, r.row_id, r.field, 0, &h, err);
		if (rc == GQ_OK && keep_origin) {
			for (i = 0; i < h.n && strcmp(h.v[i].origin, keep_origin); i++)
				;
			if (i == h.n)
				rc = gq_err_set(err, GQ_EINVAL,
						_("Conflict %lld has no value from %s."),
						(long long)conflict_id, keep_origin);
			else
				rc = change_value(db, h.v[i].seq, &v, &owned, err);
		} else if (rc == GQ_OK) {
			rc = typed_value(&r, value, &v, err);
		}
		add_parents(&parents, &np, &h, 1);
		if (rc == GQ_OK)
			rc = merge_log_local(db, r.tbl, r.row_id, r.field, &v, village,
					     parents, np, &oseq, err);
	} else if (rc == GQ_OK) {
		int keep_deleted = keep_origin ? !strcmp(keep_origin, r.winner) :
				   !strcmp(value, "1");

		if (keep_origin && !keep_deleted && strcmp(keep_origin, r.loser))
			rc = gq_err_set(err, GQ_EINVAL, _("Conflict %lld has no value from %s."),
					(long long)conflict_id, keep_origin);
		else if (!keep_origin && strcmp(value, "0") && strcmp(value, "1"))
			rc = gq_err_set(err, GQ_EINVAL,
					_("A deletion conflict is settled with 1 (keep it deleted) or 0 (restore it)."));
		if (rc == GQ_OK)
			rc = load_heads(db, r.tbl, r.row_id, "deleted", 0, &h, err);
		add_parents(&parents, &np, &h, 1);
		if (rc == GQ_OK && keep_deleted) {
			/* Every head of the row, seen (same_field = 0). */
			rc = load_heads(db, r.tbl, r.row_id, NULL, 0, &other, err);
			add_parents(&parents, &np, &other, 0);
		}
		v.type = VAL_INT;
		v.i = keep_deleted;
		if (rc == GQ_OK)
			rc = merge_log_local(db, r.tbl, r.row_id, "deleted", &v, village,
					     parents, np, &oseq, err);
	}
	if (rc == GQ_OK)
		rc = conflict_close(db, conflict_id, db->station_id, oseq, NULL, err);
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	free(parents);
	free(owned);
	heads_release(&h);
	heads_release(&other);
	return rc;
}
