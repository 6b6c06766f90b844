/* change.c - writing the change log for local edits. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/text.h"
#include "guanqing/xalloc.h"

void val_bind(sqlite3_stmt *st, int idx, const struct val *v)
{
	switch (v ? v->type : VAL_NULL) {
	case VAL_INT:
		sqlite3_bind_int64(st, idx, v->i);
		break;
	case VAL_TEXT:
		sqlite3_bind_text(st, idx, v->s, -1, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_bind_null(st, idx);
	}
}

/* Bind an id that may be absent ("": NULL). */
static void bind_id(sqlite3_stmt *st, int idx, const char *id)
{
	if (id[0])
		sqlite3_bind_text(st, idx, id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

/* Run one statement whose only parameter ?1 is seq. */
static enum gq_status step_seq(struct gq_db *db, const char *sql, int64_t seq,
			       struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_cached(db, sql, &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	return rc;
}

/* It is a head unless a change of its field that arrived before it
 * already names it. */
static enum gq_status head_insert(struct gq_db *db, int64_t seq, struct gq_err *err)
{
	return step_seq(db, "INSERT OR IGNORE INTO log_head (row_n, field_n, seq)"
			" SELECT c.row_n, c.field_n, c.seq FROM log_entry c WHERE c.seq = ?1"
			" AND NOT EXISTS (SELECT 1 FROM log_parent p CROSS JOIN log_entry k"
			" ON k.seq = p.child_seq WHERE p.origin_n = c.origin_n"
			" AND p.oseq = c.oseq AND p.same_field = 1 AND k.row_n = c.row_n"
			" AND k.field_n = c.field_n)", seq, err);
}

/* The heads as change c (log_entry row seq, not a run) arrives. When it
 * is the first of its field to have a head of its own, the runs of its
 * row that hold a version of the field it does not name stay heads of
 * the field, now in a head of their own. Each same-field parent it names
 * is a head no more (one index lookup per parent; a parent that is a
 * run's member is found in the run), and c is one unless named before. */
static enum gq_status heads_of(struct gq_db *db, const struct change *c, int64_t seq,
			       struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc;
	size_t i;

	rc = step_seq(db, "INSERT OR IGNORE INTO log_head (row_n, field_n, seq)"
		      " SELECT c.row_n, c.field_n, r.seq FROM log_entry c"
		      " CROSS JOIN log_head h ON h.row_n = c.row_n AND h.field_n = 0"
		      " CROSS JOIN log_entry r ON r.seq = h.seq"
		      " CROSS JOIN log_shape_field s ON s.shape_n = r.shape_n AND s.field_n = c.field_n"
		      " WHERE c.seq = ?1 AND NOT EXISTS (SELECT 1 FROM log_head x"
		      " WHERE x.row_n = c.row_n AND x.field_n = c.field_n)"
		      " AND NOT EXISTS (SELECT 1 FROM log_parent p WHERE p.origin_n = r.origin_n"
		      " AND p.oseq = r.oseq + s.i AND p.child_seq = ?1 AND p.same_field = 1)",
		      seq, err);
	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		if (!c->parents[i].same_field)
			continue;
		rc = db_cached(db, "DELETE FROM log_head WHERE (row_n, field_n, seq) ="
			       " (SELECT c.row_n, c.field_n, (SELECT p.seq FROM log_entry p"
			       " WHERE p.origin_n = (SELECT n FROM log_key WHERE key = ?2)"
			       " AND p.oseq <= ?3 ORDER BY p.oseq DESC LIMIT 1)"
			       " FROM log_entry c WHERE c.seq = ?1)", &st, err);
		if (rc != GQ_OK)
			break;
		sqlite3_bind_int64(st, 1, seq);
		sqlite3_bind_text(st, 2, c->parents[i].origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, c->parents[i].oseq);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
	}
	return rc == GQ_OK ? head_insert(db, seq, err) : rc;
}

/* The number of every id the change names, given once in log_key. */
static enum gq_status keys_add(struct gq_db *db, const struct change *c, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	size_t i;

	rc = db_cached(db, "INSERT OR IGNORE INTO log_key (key) VALUES (?1), (?2), (?3), (?4)",
		       &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->row_id, -1, SQLITE_STATIC);
	if (c->user_id[0])
		sqlite3_bind_text(st, 3, c->user_id, -1, SQLITE_STATIC);
	if (c->village[0])
		sqlite3_bind_text(st, 4, c->village, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		sqlite3_bind_text(st, 1, c->parents[i].origin, -1, SQLITE_STATIC);
		sqlite3_bind_null(st, 2);
		sqlite3_bind_null(st, 3);
		sqlite3_bind_null(st, 4);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
	}
	sqlite3_clear_bindings(st);
	if (rc != GQ_OK)
		return rc;
	rc = db_cached(db, "INSERT OR IGNORE INTO log_field (tbl, field) VALUES (?1, ?2)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	return rc;
}

/* The run change c continues, if any. c may join the log's last entry
 * when both are first versions of fields of one row, without parents,
 * made one after the other by one origin (sequence number and clock one
 * past the entry's end) for the same user and village, the entry is a
 * head, and no version of c's field is in the log or named by anyone.
 * A change made here (local) has no clock yet: it takes the one past the
 * entry's end when that is newer than any this place has given or seen
 * and less than a second old (clock_may_follow()), so that the fields of
 * one save make one run whatever the wall clock did meanwhile. r->seq is
 * the entry (0: none), r->width its members, r->fields its field
 * numbers, r->field_n c's field, r->hlc c's clock. */
struct run {
	int64_t seq, width, field_n, shape_n;
	hlc_t hlc;
	char fields[512];
};

/* May a change made here take clock next, one past its run's? */
static int clock_may_follow(struct gq_db *db, hlc_t next)
{
	return next > hlc_current(db) && HLC_MS(next) >= clock_now_ms() - 1000;
}

static enum gq_status run_continued(struct gq_db *db, const struct change *c, int local,
				    struct run *r, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	memset(r, 0, sizeof(*r));
	if (c->nparents)
		return GQ_OK;
	rc = db_cached(db, "SELECT e.seq, e.w, nf.n, coalesce(sh.fields, e.field_n), e.hlc + e.w"
		       " FROM (SELECT k.*, " LOG_WIDTH("k") " AS w FROM log_entry k"
		       " ORDER BY k.seq DESC LIMIT 1) e"
		       " CROSS JOIN log_field ef ON ef.n = e.field_n"
		       " CROSS JOIN log_field nf ON nf.tbl = ef.tbl AND nf.tbl = ?1 AND nf.field = ?2"
		       " LEFT JOIN log_shape sh ON sh.n = e.shape_n"
		       " WHERE e.origin_n = (SELECT n FROM log_key WHERE key = ?3)"
		       " AND e.row_n = (SELECT n FROM log_key WHERE key = ?4)"
		       " AND e.user_n IS (SELECT n FROM log_key WHERE key = ?5)"
		       " AND e.village_n IS (SELECT n FROM log_key WHERE key = ?6)"
		       " AND e.parents = '' AND e.oseq + e.w = ?7"
		       /* a run its row holds stays as it is */
		       " AND (e.shape_n IS NULL OR e.value IS NOT NULL)"
		       " AND (?8 IS NULL OR e.hlc + e.w = ?8)"
		       " AND e.w < " LOG_RUN_MAX_S
		       " AND EXISTS (SELECT 1 FROM log_head h WHERE h.row_n = e.row_n AND h.seq = e.seq"
		       " AND h.field_n = CASE WHEN e.shape_n IS NULL THEN e.field_n ELSE 0 END)"
		       " AND NOT EXISTS (SELECT 1 FROM log_entry x WHERE x.row_n = e.row_n"
		       " AND x.field_n = nf.n)"
		       " AND NOT EXISTS (SELECT 1 FROM log_head h CROSS JOIN log_entry x ON x.seq = h.seq"
		       " CROSS JOIN log_shape_field s ON s.shape_n = x.shape_n AND s.field_n = nf.n"
		       " WHERE h.row_n = e.row_n AND h.field_n = 0)"
		       " AND NOT EXISTS (SELECT 1 FROM log_parent p WHERE p.origin_n = e.origin_n"
		       " AND p.oseq = ?7)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->row_id, -1, SQLITE_STATIC);
	bind_id(st, 5, c->user_id);
	bind_id(st, 6, c->village);
	sqlite3_bind_int64(st, 7, c->oseq);
	if (local)
		sqlite3_bind_null(st, 8);
	else
		sqlite3_bind_int64(st, 8, c->hlc);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		r->seq = sqlite3_column_int64(st, 0);
		r->width = sqlite3_column_int64(st, 1);
		r->field_n = sqlite3_column_int64(st, 2);
		snprintf(r->fields, sizeof(r->fields), "%s %lld",
			 (const char *)sqlite3_column_text(st, 3), (long long)r->field_n);
		r->hlc = (hlc_t)sqlite3_column_int64(st, 4);
		if (local && !clock_may_follow(db, r->hlc))
			r->seq = 0;
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, _("reading the change log"), err);
	}
	sqlite3_reset(st);
	return rc;
}

/* The number of the shape fields (log_shape: field numbers, width of
 * them), made when new. */
static enum gq_status shape_of(struct gq_db *db, const char *fields, int64_t width,
			       int64_t *shape_n, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	const char *p;
	int64_t i;

	*shape_n = 0;
	rc = db_cached(db, "SELECT n FROM log_shape WHERE fields = ?1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, fields, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*shape_n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (*shape_n)
		return GQ_OK;
	rc = db_cached(db, "INSERT INTO log_shape (fields, width) VALUES (?1, ?2)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, fields, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, width);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	if (rc != GQ_OK)
		return rc;
	*shape_n = sqlite3_last_insert_rowid(db->h);
	rc = db_cached(db, "INSERT INTO log_shape_field (shape_n, i, field_n, path)"
		       " VALUES (?1, ?2, ?3, '$[' || ?2 || ']')", &st, err);
	for (p = fields, i = 0; rc == GQ_OK && *p; i++) {
		char *end;
		long long f = strtoll(p, &end, 10);

		sqlite3_bind_int64(st, 1, *shape_n);
		sqlite3_bind_int64(st, 2, i);
		sqlite3_bind_int64(st, 3, f);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
		p = end;
		while (*p == ' ')
			p++;
	}
	return rc;
}

/* Make c the next member of run r (after run_continued()). */
static enum gq_status run_extend(struct gq_db *db, struct change *c, struct run *r,
				 struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = shape_of(db, r->fields, r->width + 1, &r->shape_n, err);
	if (rc == GQ_OK && r->width == 1)
		rc = step_seq(db, "UPDATE log_head SET field_n = 0 WHERE (row_n, field_n, seq) ="
			      " (SELECT row_n, field_n, seq FROM log_entry WHERE seq = ?1)", r->seq, err);
	if (rc == GQ_OK)
		rc = db_cached(db, "UPDATE log_entry SET value = CASE WHEN shape_n IS NULL"
			       " THEN json_array(value, ?3) ELSE json_insert(value, '$[#]', ?3) END,"
			       " shape_n = ?2 WHERE seq = ?1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, r->seq);
	sqlite3_bind_int64(st, 2, r->shape_n);
	val_bind(st, 3, &c->value);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("writing the change log"), err);
	sqlite3_reset(st);
	return rc;
}

/* ---- A run's values --------------------------------------------------- */

/* The JSON string at *pp (after its opening quote) into store, ended by a
 * NUL; *pp after its closing quote. 0, or -1 when it is not one. */
static int run_string(const char **pp, const char *end, struct strbuf *store)
{
	const char *p = *pp;

	while (p < end && *p != '"') {
		enum text_json_bad bad;
		uint32_t cp;
		size_t n;

		if ((unsigned char)*p < 0x20)
			return -1;
		if ((unsigned char)*p < 0x80 && *p != '\\') {
			/* plain ASCII, as much as there is at once */
			const char *q = p + 1;

			while (q < end && (unsigned char)*q >= 0x20 && (unsigned char)*q < 0x80 &&
			       *q != '"' && *q != '\\')
				q++;
			strbuf_add(store, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (*p != '\\') {
			n = text_decode_strict(p, (size_t)(end - p), &cp);
			if (!n)
				return -1;
			strbuf_add(store, p, n);
			p += n;
			continue;
		}
		n = text_json_escape(p, end, store, &bad, &cp);
		if (!n)
			return -1;
		p += n;
	}
	if (p >= end)
		return -1;
	strbuf_addch(store, '\0');
	*pp = p + 1;
	return 0;
}

static const char *run_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

int change_run_values(const char *json, size_t len, struct val *v, size_t max,
		      struct strbuf *store)
{
	const char *p = json, *end = json + len;
	size_t off[LOG_RUN_MAX], n = 0, i;

	strbuf_reset(store);
	if (max > LOG_RUN_MAX)
		max = LOG_RUN_MAX;
	p = run_space(p, end);
	if (p >= end || *p++ != '[')
		return -1;
	p = run_space(p, end);
	if (p < end && *p == ']')
		return run_space(p + 1, end) == end ? 0 : -1;
	for (;;) {
		if (n == max || p >= end)
			return -1;
		if (*p == '"') {
			p++;
			off[n] = store->len;
			if (run_string(&p, end, store))
				return -1;
			v[n].type = VAL_TEXT;
			v[n].i = 0;
		} else if (end - p >= 4 && !memcmp(p, "null", 4)) {
			p += 4;
			v[n].type = VAL_NULL;
			v[n].i = 0;
			v[n].s = NULL;
		} else {
			/* An integer as SQLite and json_value() write it. */
			const char *q = p + (*p == '-');
			uint64_t u = 0;

			if (q >= end || *q < '0' || *q > '9' || (*q == '0' && q + 1 < end &&
								     q[1] >= '0' && q[1] <= '9'))
				return -1;
			for (; q < end && *q >= '0' && *q <= '9'; q++) {
				if (u > (UINT64_C(1) << 63) / 10)
					return -1;
				u = u * 10 + (uint64_t)(*q - '0');
			}
			if (u > (uint64_t)INT64_MAX + (*p == '-'))
				return -1;
			v[n].type = VAL_INT;
			v[n].i = *p == '-' ? (int64_t)(0 - u) : (int64_t)u;
			v[n].s = NULL;
			p = q;
		}
		n++;
		p = run_space(p, end);
		if (p < end && *p == ',') {
			p = run_space(p + 1, end);
			continue;
		}
		if (p < end && *p == ']' && run_space(p + 1, end) == end)
			break;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (v[i].type == VAL_TEXT)
			v[i].s = store->buf + off[i];
	return (int)n;
}

/* ---- What an origin has logged ---------------------------------------- */

/* The greatest number logged of a few origins, kept while the
 * transaction is the same (db->txn): an import asks of every change it
 * brings whether it is logged, and a bundle's changes of one origin come
 * in the order of their numbers, each past all the origin has logged.
 * Only change_log_append() adds to the log within a transaction, and it
 * raises the mark of its change's origin. */
#define HIGH_SLOTS 16
static struct high_mark {
	struct db_txn_mark at;
	size_t next;	/* the slot taken next */
	struct { char origin[MERGE_ID_MAX + 1]; int64_t oseq; } v[HIGH_SLOTS];
} high;

static void high_refresh(const struct gq_db *db)
{
	if (!db_txn_fresh(&high.at, db)) {
		high.next = 0;
		memset(high.v, 0, sizeof(high.v));
	}
}

/* The change (origin, oseq) was logged: raise its origin's mark. */
static void high_note(const struct gq_db *db, const char *origin, int64_t oseq)
{
	size_t i;

	high_refresh(db);
	for (i = 0; i < HIGH_SLOTS; i++)
		if (high.v[i].origin[0] && !strcmp(high.v[i].origin, origin)) {
			if (oseq > high.v[i].oseq)
				high.v[i].oseq = oseq;
			return;
		}
}

int change_log_beyond(struct gq_db *db, const char *origin, int64_t oseq)
{
	sqlite3_stmt *st;
	size_t i;
	int64_t mark = 0;

	if (db->depth <= 0 || !origin[0] || strlen(origin) > MERGE_ID_MAX)
		return 0;
	high_refresh(db);
	for (i = 0; i < HIGH_SLOTS; i++)
		if (high.v[i].origin[0] && !strcmp(high.v[i].origin, origin))
			return oseq > high.v[i].oseq;
	/* The origin's last entry holds its greatest number (a run's
	 * members follow its own). */
	if (db_cached(db, "SELECT e.oseq + " LOG_WIDTH("e") " - 1 FROM log_entry e"
		      " WHERE e.origin_n = (SELECT n FROM log_key WHERE key = ?1)"
		      " ORDER BY e.oseq DESC LIMIT 1", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		mark = sqlite3_column_int64(st, 0);
		/* fall through */
	case SQLITE_DONE:
		i = high.next++ % HIGH_SLOTS;
		text_copy(high.v[i].origin, sizeof(high.v[i].origin), origin);
		high.v[i].oseq = mark;
		sqlite3_reset(st);
		return oseq > mark;
	default:
		sqlite3_reset(st);
		return 0;
	}
}

/* ---- The run being written ------------------------------------------- */

/* The last entry this program appended, while it may still grow as a
 * run: a record's save, or its import, writes its fields one after the
 * other, and each joins the run without the queries of run_continued().
 * It holds within the transaction it was seen in (db->txn), whose
 * numbers of log_key it keeps, and even there only as a guess: each use
 * checks in its UPDATE that the entry is still the log's last and the one
 * described, and falls back to run_continued() when not. */
static struct run_memo {
	const struct gq_db *db;
	struct db_txn_mark at;	/* the transaction it was seen in */
	int64_t seq, width, shape_n, oseq, field0, origin_n, row_n;
	hlc_t hlc;
	int fresh;	/* no other entry of the row came before it */
	char origin[MERGE_ID_MAX + 1], row_id[MERGE_ID_MAX + 1];
	char user_id[MERGE_ID_MAX + 1], village[MERGE_VILLAGE_MAX + 1];
	char tbl[MERGE_NAME_MAX + 1];
	int64_t fields[LOG_RUN_MAX];
	struct strbuf json;	/* the members' values, a JSON array */
} memo;

static void json_value(struct strbuf *sb, const struct val *v)
{
	switch (v ? v->type : VAL_NULL) {
	case VAL_INT:
		strbuf_addf(sb, "%lld", (long long)v->i);
		break;
	case VAL_TEXT:
		strbuf_add_json_str(sb, v->s);
		break;
	default:
		strbuf_addstr(sb, "null");
	}
}

/* The numbers of log_field found, kept for the transaction (a field
 * made in a transaction rolled back is gone with it). */
#define FIELD_SLOTS 512
static struct field_seen {
	struct db_txn_mark at;
	struct { char tbl[MERGE_NAME_MAX + 1], field[MERGE_NAME_MAX + 1]; int64_t n; } v[FIELD_SLOTS];
} fseen;

/* The number of field tbl.field (log_field, made by keys_add() when
 * new); 0 when it has none. */
static int64_t field_number(struct gq_db *db, const char *tbl, const char *field)
{
	sqlite3_stmt *st;
	int64_t n = 0;
	uint32_t h = 2166136261u;
	const char *p;
	size_t i, probe;

	if (!db_txn_fresh(&fseen.at, db))
		memset(fseen.v, 0, sizeof(fseen.v));
	for (p = tbl; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (p = field, h ^= '.'; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (i = h % FIELD_SLOTS, probe = 0; probe < 8; probe++, i = (i + 1) % FIELD_SLOTS) {
		if (!fseen.v[i].n)
			break;
		if (!strcmp(fseen.v[i].tbl, tbl) && !strcmp(fseen.v[i].field, field))
			return fseen.v[i].n;
	}
	if (db_cached(db, "SELECT n FROM log_field WHERE tbl = ?1 AND field = ?2", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	/* Only a name that fits is kept (the merge's names all do). */
	if (n && probe < 8 && !fseen.v[i % FIELD_SLOTS].n && strlen(tbl) <= MERGE_NAME_MAX &&
	    strlen(field) <= MERGE_NAME_MAX) {
		i %= FIELD_SLOTS;
		text_copy(fseen.v[i].tbl, sizeof(fseen.v[i].tbl), tbl);
		text_copy(fseen.v[i].field, sizeof(fseen.v[i].field), field);
		fseen.v[i].n = n;
	}
	return n;
}

/* Remember entry seq (c, a single without parents, just appended) as a
 * run that may grow. */
static void memo_start(struct gq_db *db, const struct change *c, int64_t seq)
{
	sqlite3_stmt *st;

	memo.db = NULL;
	if (c->nparents)
		return;
	if (db_cached(db, "SELECT field_n, NOT EXISTS (SELECT 1 FROM log_entry x"
		      " WHERE x.row_n = e.row_n AND x.seq < e.seq), origin_n, row_n"
		      " FROM log_entry e WHERE e.seq = ?1", &st, NULL) != GQ_OK)
		return;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) == SQLITE_ROW) {
		memo.field0 = memo.fields[0] = sqlite3_column_int64(st, 0);
		memo.fresh = sqlite3_column_int(st, 1);
		memo.origin_n = sqlite3_column_int64(st, 2);
		memo.row_n = sqlite3_column_int64(st, 3);
		db_txn_set(&memo.at, db);
		memo.db = db;
	}
	sqlite3_reset(st);
	if (!memo.db)
		return;
	memo.seq = seq;
	memo.width = 1;
	memo.shape_n = 0;
	memo.oseq = c->oseq;
	memo.hlc = c->hlc;
	text_copy(memo.origin, sizeof(memo.origin), c->origin);
	text_copy(memo.row_id, sizeof(memo.row_id), c->row_id);
	text_copy(memo.user_id, sizeof(memo.user_id), c->user_id);
	text_copy(memo.village, sizeof(memo.village), c->village);
	text_copy(memo.tbl, sizeof(memo.tbl), c->tbl);
	strbuf_reset(&memo.json);
	strbuf_addch(&memo.json, '[');
	json_value(&memo.json, &c->value);
	strbuf_addch(&memo.json, ']');
}

/* Whether c may join the remembered run as it stands (the database is
 * asked only for c's field number); *fn receives it. For a change made
 * here, c->hlc is 0 and the run's next clock is taken when it may be
 * (as run_continued() says). */
static int memo_joins(struct gq_db *db, const struct change *c, int local, int64_t *fn)
{
	int64_t i;
	hlc_t next = memo.hlc + (hlc_t)memo.width;

	if (memo.db != db || !db_txn_is(&memo.at, db) ||
	    !memo.fresh || c->nparents || memo.width >= LOG_RUN_MAX ||
	    c->oseq != memo.oseq + memo.width || strcmp(c->origin, memo.origin) ||
	    strcmp(c->row_id, memo.row_id) || strcmp(c->user_id, memo.user_id) ||
	    strcmp(c->village, memo.village) || strcmp(c->tbl, memo.tbl))
		return 0;
	if (local ? !clock_may_follow(db, next) : c->hlc != next)
		return 0;
	*fn = field_number(db, c->tbl, c->field);
	if (!*fn)
		return 0;
	for (i = 0; i < memo.width; i++)
		if (memo.fields[i] == *fn)
			return 0;
	return 1;
}

/* The shape a run takes when field fn joins it, by what it was (its
 * shape, or minus its one field), kept for the transaction: the runs of
 * an import take the same few shapes one after the other. */
#define SHAPE_SLOTS 256
static struct shape_step {
	struct db_txn_mark at;
	struct { int64_t from, fn, to; } v[SHAPE_SLOTS];
} shape_steps;

static void steps_refresh(const struct gq_db *db)
{
	if (!db_txn_fresh(&shape_steps.at, db))
		memset(shape_steps.v, 0, sizeof(shape_steps.v));
}

static size_t step_slot(int64_t from, int64_t fn)
{
	return (size_t)(((uint64_t)from * 2654435761u) ^ ((uint64_t)fn * 40503u)) % SHAPE_SLOTS;
}

static int64_t shape_next(const struct gq_db *db, int64_t from, int64_t fn)
{
	size_t i;

	steps_refresh(db);
	i = step_slot(from, fn);
	if (shape_steps.v[i].from != from || shape_steps.v[i].fn != fn)
		return 0;
	return shape_steps.v[i].to;
}

static void shape_keep(const struct gq_db *db, int64_t from, int64_t fn, int64_t to)
{
	size_t i;

	steps_refresh(db);
	i = step_slot(from, fn);
	shape_steps.v[i].from = from;
	shape_steps.v[i].fn = fn;
	shape_steps.v[i].to = to;
}

/* c as the next member of the remembered run: 1 done, 0 the entry is
 * not as remembered (nothing written), -1 an error in *err. */
static int memo_extend(struct gq_db *db, struct change *c, int local, int64_t fn,
		       struct gq_err *err)
{
	struct strbuf fields = STRBUF_INIT;
	sqlite3_stmt *st;
	enum gq_status rc;
	int64_t shape_n, i;
	size_t keep = memo.json.len;
	int changed;

	shape_n = shape_next(db, memo.width > 1 ? memo.shape_n : -memo.field0, fn);
	if (!shape_n) {
		for (i = 0; i < memo.width; i++)
			strbuf_addf(&fields, "%lld ", (long long)memo.fields[i]);
		strbuf_addf(&fields, "%lld", (long long)fn);
		rc = shape_of(db, fields.buf, memo.width + 1, &shape_n, err);
		strbuf_release(&fields);
		if (rc != GQ_OK)
			return -1;
		shape_keep(db, memo.width > 1 ? memo.shape_n : -memo.field0, fn, shape_n);
	}
	memo.json.len--;	/* the closing bracket */
	strbuf_addch(&memo.json, ',');
	json_value(&memo.json, &c->value);
	strbuf_addch(&memo.json, ']');
	rc = db_cached(db, "UPDATE log_entry SET value = ?2, shape_n = ?3 WHERE seq = ?1"
		       " AND shape_n IS ?4 AND field_n = ?5 AND oseq = ?6 AND hlc = ?7"
		       " AND origin_n = ?8 AND row_n = ?9"
		       " AND NOT EXISTS (SELECT 1 FROM log_entry x WHERE x.seq > ?1)", &st, err);
	if (rc != GQ_OK)
		return -1;
	sqlite3_bind_int64(st, 1, memo.seq);
	sqlite3_bind_text(st, 2, memo.json.buf, (int)memo.json.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, shape_n);
	if (memo.shape_n)
		sqlite3_bind_int64(st, 4, memo.shape_n);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, memo.field0);
	sqlite3_bind_int64(st, 6, memo.oseq);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)memo.hlc);
	sqlite3_bind_int64(st, 8, memo.origin_n);
	sqlite3_bind_int64(st, 9, memo.row_n);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		memo.db = NULL;
		db_error(db, _("writing the change log"), err);
		return -1;
	}
	changed = sqlite3_changes(db->h) == 1;
	sqlite3_reset(st);
	if (!changed) {
		memo.db = NULL;
		memo.json.len = keep;
		return 0;
	}
	if (memo.width == 1 &&
	    step_seq(db, "UPDATE log_head SET field_n = 0 WHERE (row_n, field_n, seq) ="
		     " (SELECT row_n, field_n, seq FROM log_entry WHERE seq = ?1)", memo.seq, err) != GQ_OK) {
		memo.db = NULL;
		return -1;
	}
	if (local) {
		c->hlc = memo.hlc + (hlc_t)memo.width;
		if (db_meta_set_int(db, "hlc", (int64_t)c->hlc, err) != GQ_OK) {
			memo.db = NULL;
			return -1;
		}
	}
	memo.fields[memo.width++] = fn;
	memo.shape_n = shape_n;
	return 1;
}

enum gq_status change_log_append(struct gq_db *db, struct change *c, int64_t *seq_out,
				 struct gq_err *err)
{
	struct strbuf ptext = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	enum gq_status rc = GQ_OK;
	struct run run;
	int64_t seq;
	size_t i;
	int local = c->oseq == 0;

	if (local) {
		if (!db->station_id[0])
			return gq_err_set(err, GQ_EDB,
					  _("Database %s has no station identity: initialise it first."),
					  db->path);
		text_copy(c->origin, sizeof(c->origin), db->station_id);
		c->oseq = db_meta_get_int(db, "next_oseq", 1);
		c->hlc = 0;
		rc = db_meta_set_int(db, "next_oseq", c->oseq + 1, err);
		if (rc != GQ_OK)
			return rc;
	}
	/* The next member of the run being written: its ids are the run's. */
	if (!c->nparents && memo.db == db) {
		int64_t fn = 0;
		int done = 0;

		if (memo_joins(db, c, local, &fn) ||
		    (keys_add(db, c, err) == GQ_OK && memo_joins(db, c, local, &fn)))
			done = memo_extend(db, c, local, fn, err);
		if (done < 0)
			return GQ_EDB;
		if (done) {
			if (seq_out)
				*seq_out = memo.seq + memo.width - 1;
			high_note(db, c->origin, c->oseq);
			return GQ_OK;
		}
	}
	for (i = 0; i < c->nparents; i++)
		strbuf_addf(&ptext, "%s%s:%lld", i ? " " : "", c->parents[i].origin,
			    (long long)c->parents[i].oseq);
	rc = keys_add(db, c, err);
	if (rc == GQ_OK)
		rc = run_continued(db, c, local, &run, err);
	/* The clock of a change made here: the run's next, or a tick. */
	if (rc == GQ_OK && local && run.seq) {
		c->hlc = run.hlc;
		rc = db_meta_set_int(db, "hlc", (int64_t)c->hlc, err);
	} else if (rc == GQ_OK && local) {
		rc = hlc_tick(db, &c->hlc, err);
	}
	if (rc == GQ_OK && run.seq) {
		rc = run_extend(db, c, &run, err);
		if (rc == GQ_OK && seq_out)
			*seq_out = run.seq + run.width;
		memo.db = NULL;
		goto out;
	}
	/* A run holds the seqs of its members: the next entry comes after. */
	if (rc == GQ_OK)
		rc = db_cached(db, "INSERT INTO log_entry (seq, origin_n, oseq, hlc, row_n, field_n,"
			       " value, parents, user_n, village_n) VALUES"
			       " ((SELECT k.seq + " LOG_WIDTH("k") " FROM log_entry k"
			       " ORDER BY k.seq DESC LIMIT 1),"
			       " (SELECT n FROM log_key WHERE key = ?1), ?2, ?3,"
			       " (SELECT n FROM log_key WHERE key = ?5),"
			       " (SELECT n FROM log_field WHERE tbl = ?4 AND field = ?6), ?7, ?8,"
			       " (SELECT n FROM log_key WHERE key = ?9),"
			       " (SELECT n FROM log_key WHERE key = ?10))", &st, err);
	if (rc != GQ_OK)
		goto out;
	sqlite3_bind_text(st, 1, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, c->oseq);
	sqlite3_bind_int64(st, 3, c->hlc);
	sqlite3_bind_text(st, 4, c->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->field, -1, SQLITE_STATIC);
	val_bind(st, 7, &c->value);
	sqlite3_bind_text(st, 8, ptext.len ? ptext.buf : "", -1, SQLITE_STATIC);
	bind_id(st, 9, c->user_id);
	bind_id(st, 10, c->village);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
		goto out;
	}
	sqlite3_reset(st);
	seq = sqlite3_last_insert_rowid(db->h);
	if (c->nparents)
		rc = db_cached(db, "INSERT OR IGNORE INTO log_parent (origin_n, oseq,"
			       " child_seq, same_field) VALUES ((SELECT n FROM log_key"
			       " WHERE key = ?1), ?2, ?3, ?4)", &st, err);
	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, c->parents[i].origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c->parents[i].oseq);
		sqlite3_bind_int64(st, 3, seq);
		sqlite3_bind_int(st, 4, c->parents[i].same_field ? 1 : 0);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
	}
	if (c->nparents && st)
		sqlite3_reset(st);
	if (rc == GQ_OK)
		rc = heads_of(db, c, seq, err);
	if (rc == GQ_OK && seq_out)
		*seq_out = seq;
	if (rc == GQ_OK)
		memo_start(db, c, seq);
	else
		memo.db = NULL;
out:
	if (rc == GQ_OK)
		high_note(db, c->origin, c->oseq);
	strbuf_release(&ptext);
	return rc;
}

/* ---- Packing an older log into runs ------------------------------------ */

/* A group of single entries one after the other that can be one run. */
struct pack {
	int64_t start, origin_n, row_n, oseq, hlc, user_n, village_n;
	int64_t fields[LOG_RUN_MAX];
	size_t n;
};

static enum gq_status pack_flush(struct gq_db *db, struct pack *p, struct gq_err *err)
{
	struct strbuf fields = STRBUF_INIT;
	sqlite3_stmt *st;
	enum gq_status rc = GQ_OK;
	int64_t shape_n, end = p->start + (int64_t)p->n - 1;
	static const char *const steps[] = {
		/* its value: the members' as a JSON array */
		"UPDATE log_entry SET value = (SELECT json_group_array(value) FROM (SELECT value"
		" FROM log_entry WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq)), shape_n = ?4"
		" WHERE seq = ?1",
		/* a member that is its field's only head: the run is, for it */
		"DELETE FROM log_head WHERE row_n = ?3 AND field_n > 0 AND seq BETWEEN ?1 AND ?2"
		" AND NOT EXISTS (SELECT 1 FROM log_head x WHERE x.row_n = log_head.row_n"
		" AND x.field_n = log_head.field_n AND x.seq <> log_head.seq)",
		/* one head among others: a head of its own, the run's seq */
		"UPDATE log_head SET seq = ?1 WHERE row_n = ?3 AND field_n > 0"
		" AND seq BETWEEN ?1 + 1 AND ?2",
		"INSERT INTO log_head (row_n, field_n, seq) VALUES (?3, 0, ?1)",
		"DELETE FROM log_entry WHERE seq BETWEEN ?1 + 1 AND ?2",
	};
	size_t i;

	if (p->n < 2) {
		p->n = 0;
		return GQ_OK;
	}
	for (i = 0; i < p->n; i++)
		strbuf_addf(&fields, "%s%lld", i ? " " : "", (long long)p->fields[i]);
	rc = shape_of(db, fields.buf, (int64_t)p->n, &shape_n, err);
	for (i = 0; rc == GQ_OK && i < sizeof(steps) / sizeof(steps[0]); i++) {
		rc = db_cached(db, steps[i], &st, err);
		if (rc != GQ_OK)
			break;
		sqlite3_bind_int64(st, 1, p->start);
		sqlite3_bind_int64(st, 2, end);
		sqlite3_bind_int64(st, 3, p->row_n);
		sqlite3_bind_int64(st, 4, shape_n);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
	}
	strbuf_release(&fields);
	p->n = 0;
	return rc;
}

/* One entry as the pack reads it. */
struct pack_entry {
	int64_t seq, origin_n, oseq, hlc, row_n, field_n, user_n, village_n;
	int candidate;	/* no parents, not a run, its field's first version, with heads */
};

static int pack_joins(const struct pack *p, const struct pack_entry *e)
{
	size_t i;

	if (!p->n || p->n >= LOG_RUN_MAX || !e->candidate ||
	    e->seq != p->start + (int64_t)p->n || e->origin_n != p->origin_n ||
	    e->row_n != p->row_n || e->user_n != p->user_n || e->village_n != p->village_n ||
	    e->oseq != p->oseq + (int64_t)p->n || e->hlc != p->hlc + (int64_t)p->n)
		return 0;
	for (i = 0; i < p->n; i++)
		if (p->fields[i] == e->field_n)
			return 0;
	return 1;
}

#define PACK_CHUNK 4096

enum gq_status change_log_pack(struct gq_db *db, struct gq_err *err)
{
	struct pack_entry *v = xcalloc(PACK_CHUNK, sizeof(*v));
	struct pack p;
	sqlite3_stmt *st;
	enum gq_status rc = GQ_OK;
	int64_t after = 0;
	size_t n, i;
	int step;

	memset(&p, 0, sizeof(p));
	do {
		/* A chunk read whole before anything is written. user_n and
		 * village_n: -1 for none. */
		rc = db_cached(db, "SELECT e.seq, e.origin_n, e.oseq, e.hlc, e.row_n, e.field_n,"
			       " coalesce(e.user_n, -1), coalesce(e.village_n, -1),"
			       " e.parents = '' AND e.shape_n IS NULL AND e.seq = (SELECT min(x.seq)"
			       " FROM log_entry x WHERE x.row_n = e.row_n AND x.field_n = e.field_n)"
			       /* a field with no head at all is left for check to name */
			       " AND EXISTS (SELECT 1 FROM log_head h WHERE h.row_n = e.row_n"
			       " AND h.field_n = e.field_n)"
			       " FROM log_entry e WHERE e.seq > ?1 ORDER BY e.seq LIMIT 4096",
			       &st, err);
		if (rc != GQ_OK)
			break;
		sqlite3_bind_int64(st, 1, after);
		n = 0;
		while ((step = sqlite3_step(st)) == SQLITE_ROW && n < PACK_CHUNK) {
			struct pack_entry *e = &v[n++];

			e->seq = sqlite3_column_int64(st, 0);
			e->origin_n = sqlite3_column_int64(st, 1);
			e->oseq = sqlite3_column_int64(st, 2);
			e->hlc = sqlite3_column_int64(st, 3);
			e->row_n = sqlite3_column_int64(st, 4);
			e->field_n = sqlite3_column_int64(st, 5);
			e->user_n = sqlite3_column_int64(st, 6);
			e->village_n = sqlite3_column_int64(st, 7);
			e->candidate = sqlite3_column_int(st, 8);
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = db_error(db, _("reading the change log"), err);
		sqlite3_reset(st);
		for (i = 0; rc == GQ_OK && i < n; i++) {
			const struct pack_entry *e = &v[i];

			if (pack_joins(&p, e)) {
				p.fields[p.n++] = e->field_n;
				continue;
			}
			rc = pack_flush(db, &p, err);
			if (rc == GQ_OK && e->candidate) {
				p.start = e->seq;
				p.origin_n = e->origin_n;
				p.row_n = e->row_n;
				p.oseq = e->oseq;
				p.hlc = e->hlc;
				p.user_n = e->user_n;
				p.village_n = e->village_n;
				p.fields[0] = e->field_n;
				p.n = 1;
			}
		}
		if (n)
			after = v[n - 1].seq;
	} while (rc == GQ_OK && n == PACK_CHUNK);
	if (rc == GQ_OK)
		rc = pack_flush(db, &p, err);
	free(v);
	return rc;
}

int64_t change_log_at(struct gq_db *db, int64_t seq)
{
	sqlite3_stmt *st;
	int64_t at = 0;

	if (db_cached(db, "SELECT seq FROM log_entry WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1",
		      &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) == SQLITE_ROW)
		at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return at;
}

int64_t change_log_at_oseq(struct gq_db *db, const char *origin, int64_t oseq)
{
	sqlite3_stmt *st;
	int64_t at = 0;

	if (db_cached(db, "SELECT seq FROM log_entry WHERE origin_n ="
		      " (SELECT n FROM log_key WHERE key = ?1) AND oseq <= ?2"
		      " ORDER BY oseq DESC LIMIT 1", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, oseq);
	if (sqlite3_step(st) == SQLITE_ROW)
		at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return at;
}

int64_t change_local_count(struct gq_db *db)
{
	return db_meta_get_int(db, "next_oseq", 1) - 1;
}

/* The parents of a new change: the field's winning version, and for a
 * tombstone every other field's winning version too (same-field first). */
#define MAX_PARENTS 64

static enum gq_status find_parents(struct gq_db *db, const char *tbl,
				   const char *row_id, const char *field,
				   int tombstone, struct merge_parent *out, size_t *n,
				   struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int64_t last = -1;
	int step;

	*n = 0;
	/* Each field's heads, winner first (the latest clock, the greatest
	 * origin id, the greatest number): the first of each is taken. */
	rc = db_cached(db, "SELECT o.key, e.oseq + coalesce(s.i, 0), f.field = ?3, f.n"
		       " FROM " LOG_HEADS("(SELECT n FROM log_key WHERE key = ?2)",
					  "IN (SELECT n FROM log_field WHERE tbl = ?1 AND (field = ?3 OR ?4))")
		       " h CROSS JOIN log_entry e ON e.seq = h.at"
		       " LEFT JOIN log_shape_field s ON s.shape_n = e.shape_n AND s.field_n = h.field_n"
		       " CROSS JOIN log_key o ON o.n = e.origin_n"
		       " CROSS JOIN log_field f ON f.n = h.field_n"
		       " ORDER BY f.field = ?3 DESC, f.field, e.hlc + coalesce(s.i, 0) DESC, o.key DESC,"
		       " e.oseq + coalesce(s.i, 0) DESC", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, tombstone);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < MAX_PARENTS) {
		int64_t fn = sqlite3_column_int64(st, 3);

		if (fn == last)
			continue;
		last = fn;
		snprintf(out[*n].origin, sizeof(out[*n].origin), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		out[*n].oseq = sqlite3_column_int64(st, 1);
		out[*n].same_field = sqlite3_column_int(st, 2);
		(*n)++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading field versions"), err);
	sqlite3_reset(st);
	return rc;
}

enum gq_status change_log_local(struct gq_db *db, const char *tbl,
				const char *row_id, const char *field,
				const struct val *v, const char *village,
				struct gq_err *err)
{
	struct merge_parent parents[MAX_PARENTS];
	struct change c;
	enum gq_status rc;
	int tombstone = !strcmp(field, "deleted") && v && v->type == VAL_INT && v->i;

	if (!db->station_id[0])
		return gq_err_set(err, GQ_EDB,
				  _("Database %s has no station identity: initialise it first."),
				  db->path);
	memset(&c, 0, sizeof(c));
	rc = find_parents(db, tbl, row_id, field, tombstone, parents, &c.nparents, err);
	if (rc != GQ_OK)
		return rc;
	c.parents = parents;
	text_copy(c.tbl, sizeof(c.tbl), tbl);
	text_copy(c.row_id, sizeof(c.row_id), row_id);
	text_copy(c.field, sizeof(c.field), field);
	text_copy(c.user_id, sizeof(c.user_id), db->user_id);
	text_copy(c.village, sizeof(c.village), village ? village : "");
	if (v)
		c.value = *v;
	/* Its field's heads now name it: it is the winner, its clock being
	 * newer than any the field has seen. */
	return change_log_append(db, &c, NULL, err);
}

/* ---- Runs their rows hold (schema version 13) --------------------------- */

/* The columns of a synced row that its changes set: those every row has,
 * then t's fields. */
static const char *const held_common[] = { "created_at", "village", "deleted" };
#define HELD_COMMON (sizeof(held_common) / sizeof(held_common[0]))

/* The place among those columns of the one the changes of field name
 * set, or -1 for none. */
static int held_column(const struct table_def *t, const char *name)
{
	size_t i;
	int f;

	for (i = 0; i < HELD_COMMON; i++)
		if (!strcmp(name, held_common[i]))
			return (int)i;
	f = table_field_index(t, name);
	return f < 0 ? -1 : (int)HELD_COMMON + f;
}

/* "SELECT those columns FROM t WHERE id = ?1", made once a process for
 * each table (db_cached() keeps a statement by the address of its text). */
static const char *held_row_sql(const struct table_def *t)
{
	static struct { const struct table_def *t; char *sql; } v[64];
	struct strbuf sql = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]) && v[i].sql; i++)
		if (v[i].t == t)
			return v[i].sql;
	if (i == sizeof(v) / sizeof(v[0]))
		return NULL;
	for (j = 0; j < HELD_COMMON; j++)
		strbuf_addf(&sql, "%s%s", j ? ", " : "SELECT ", held_common[j]);
	for (j = 0; j < t->nfields; j++)
		strbuf_addf(&sql, ", %s", t->fields[j].name);
	strbuf_addf(&sql, " FROM %s WHERE id = ?1", t->name);
	v[i].t = t;
	v[i].sql = strbuf_detach(&sql, NULL);
	return v[i].sql;
}

/* log_held(row_n, shape_n, i): the value of member i of a run that its
 * row holds (the entry's value NULL): the row's column, unchanged since
 * the run was held (the triggers of change_log_held_setup() give the run
 * its values back before the row changes). */
static void log_held_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct gq_db *db = sqlite3_user_data(ctx);
	const struct table_def *t = NULL;
	const char *sql;
	sqlite3_stmt *st, *get;
	char key[MERGE_ID_MAX + 1] = "";
	int col = -1;

	(void)argc;
	if (db_cached(db, "SELECT f.tbl, f.field, (SELECT key FROM log_key WHERE n = ?1)"
		      " FROM log_shape_field s CROSS JOIN log_field f ON f.n = s.field_n"
		      " WHERE s.shape_n = ?2 AND s.i = ?3", &st, NULL) != GQ_OK) {
		sqlite3_result_error(ctx, sqlite3_errmsg(db->h), -1);
		return;
	}
	sqlite3_bind_value(st, 1, argv[0]);
	sqlite3_bind_value(st, 2, argv[1]);
	sqlite3_bind_value(st, 3, argv[2]);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    sqlite3_column_text(st, 1) && sqlite3_column_text(st, 2) &&
	    (t = table_find((const char *)sqlite3_column_text(st, 0))) != NULL) {
		col = held_column(t, (const char *)sqlite3_column_text(st, 1));
		text_copy(key, sizeof(key), (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_reset(st);
	if (col < 0 || !(sql = held_row_sql(t)) || db_cached(db, sql, &get, NULL) != GQ_OK) {
		sqlite3_result_error(ctx, _("A run of the change log that its row holds names no column of a record."), -1);
		return;
	}
	sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(get) == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(get, col));
	else
		sqlite3_result_error(ctx, _("A run of the change log that its row holds has lost its row."), -1);
	sqlite3_reset(get);
}

enum gq_status change_log_functions(struct gq_db *db, struct gq_err *err)
{
	/* Only the program's own statements call it, never a view or a
	 * trigger a database file could bring. */
	if (sqlite3_create_function(db->h, "log_held", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, db,
				    log_held_fn, NULL, NULL) != SQLITE_OK)
		return db_error(db, _("preparing a statement"), err);
	return GQ_OK;
}

/* The value of a run's member field f (SQL) of a held run whose row's id
 * is key (SQL), read from the row in plain SQL, for the views: any
 * program reading the file sees the same changes. */
static void held_case(struct strbuf *sql, const char *tbl, const char *f, const char *key)
{
	size_t i, j;

	strbuf_addf(sql, "CASE %s", tbl);
	for (i = 0; i < tables_count; i++) {
		const struct table_def *t = tables_all[i];

		strbuf_addf(sql, " WHEN '%s' THEN (SELECT CASE %s", t->name, f);
		for (j = 0; j < HELD_COMMON; j++)
			strbuf_addf(sql, " WHEN '%s' THEN x.%s", held_common[j], held_common[j]);
		for (j = 0; j < t->nfields; j++)
			strbuf_addf(sql, " WHEN '%s' THEN x.%s", t->fields[j].name, t->fields[j].name);
		strbuf_addf(sql, " END FROM %s x WHERE x.id = %s)", t->name, key);
	}
	strbuf_addstr(sql, " END");
}

/* The values of every member of the held runs of row OLD, written back
 * into them as a trigger on the row's table fires. */
static void held_unhold(struct strbuf *sql, const struct table_def *t)
{
	size_t j;

	strbuf_addstr(sql, "UPDATE log_entry SET value = (SELECT json_group_array(v) FROM"
		      " (SELECT CASE f.field");
	for (j = 0; j < HELD_COMMON; j++)
		strbuf_addf(sql, " WHEN '%s' THEN OLD.%s", held_common[j], held_common[j]);
	for (j = 0; j < t->nfields; j++)
		strbuf_addf(sql, " WHEN '%s' THEN OLD.%s", t->fields[j].name, t->fields[j].name);
	strbuf_addstr(sql, " END AS v FROM log_shape_field s CROSS JOIN log_field f ON f.n = s.field_n"
		      " WHERE s.shape_n = log_entry.shape_n ORDER BY s.i))"
		      " WHERE row_n = (SELECT n FROM log_key WHERE key = OLD.id)"
		      " AND shape_n IS NOT NULL AND value IS NULL;");
}

enum gq_status change_log_held_setup(struct gq_db *db, struct gq_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	enum gq_status rc;
	size_t i;

	for (i = 0; i < tables_count; i++) {
		const struct table_def *t = tables_all[i];

		strbuf_addf(&sql, "DROP TRIGGER IF EXISTS %s_log_held_update;"
			    "CREATE TRIGGER %s_log_held_update BEFORE UPDATE ON %s BEGIN ",
			    t->name, t->name, t->name);
		held_unhold(&sql, t);
		strbuf_addf(&sql, " END; DROP TRIGGER IF EXISTS %s_log_held_delete;"
			    "CREATE TRIGGER %s_log_held_delete BEFORE DELETE ON %s BEGIN ",
			    t->name, t->name, t->name);
		held_unhold(&sql, t);
		strbuf_addstr(&sql, " END;");
	}
	/* The views of every change (migration 11), a held run's members
	 * read from its row. */
	strbuf_addstr(&sql, "DROP VIEW IF EXISTS log_version;"
		      "CREATE VIEW log_version AS SELECT seq AS at, seq, origin_n, oseq, hlc, row_n,"
		      " field_n, value, parents, user_n, village_n FROM log_entry WHERE shape_n IS NULL"
		      " UNION ALL SELECT e.seq, e.seq + s.i, e.origin_n, e.oseq + s.i, e.hlc + s.i, e.row_n,"
		      " s.field_n, CASE WHEN e.value IS NOT NULL THEN json_extract(e.value, s.path)"
		      " ELSE (SELECT ");
	held_case(&sql, "f.tbl", "f.field", "r.key");
	strbuf_addstr(&sql, " FROM log_field f CROSS JOIN log_key r WHERE f.n = s.field_n"
		      " AND r.n = e.row_n) END, '', e.user_n, e.village_n"
		      " FROM log_entry e JOIN log_shape_field s ON s.shape_n = e.shape_n;"
		      "DROP VIEW IF EXISTS log_change;"
		      "CREATE VIEW log_change AS SELECT e.seq AS at, e.seq AS seq, o.key AS origin,"
		      " e.oseq AS oseq, e.hlc AS hlc, f.tbl AS tbl, r.key AS row_id, f.field AS field,"
		      " e.value AS value, e.parents AS parents, u.key AS user_id, v.key AS village"
		      " FROM log_entry e JOIN log_key o ON o.n = e.origin_n"
		      " JOIN log_key r ON r.n = e.row_n JOIN log_field f ON f.n = e.field_n"
		      " LEFT JOIN log_key u ON u.n = e.user_n LEFT JOIN log_key v ON v.n = e.village_n"
		      " WHERE e.shape_n IS NULL"
		      " UNION ALL SELECT e.seq, e.seq + s.i, o.key, e.oseq + s.i, e.hlc + s.i, f.tbl, r.key,"
		      " f.field, CASE WHEN e.value IS NOT NULL THEN json_extract(e.value, s.path) ELSE ");
	held_case(&sql, "f.tbl", "f.field", "r.key");
	strbuf_addstr(&sql, " END, '', u.key, v.key"
		      " FROM log_entry e JOIN log_shape_field s ON s.shape_n = e.shape_n"
		      " JOIN log_key o ON o.n = e.origin_n"
		      " JOIN log_key r ON r.n = e.row_n JOIN log_field f ON f.n = s.field_n"
		      " LEFT JOIN log_key u ON u.n = e.user_n LEFT JOIN log_key v ON v.n = e.village_n;");
	rc = db_exec(db, sql.buf, err);
	strbuf_release(&sql);
	return rc;
}

void change_log_held_check_sql(struct strbuf *sql)
{
	size_t i;

	strbuf_addstr(sql, "SELECT 'log_entry held', e.seq FROM log_entry e"
		      " CROSS JOIN log_field f ON f.n = e.field_n CROSS JOIN log_key k ON k.n = e.row_n"
		      " WHERE e.shape_n IS NOT NULL AND e.value IS NULL AND CASE f.tbl");
	for (i = 0; i < tables_count; i++)
		strbuf_addf(sql, " WHEN '%s' THEN NOT EXISTS (SELECT 1 FROM %s WHERE id = k.key)",
			    tables_all[i]->name, tables_all[i]->name);
	strbuf_addstr(sql, " ELSE 1 END");
}

/* What the hold of one shape's runs reads of their rows. */
struct held_shape {
	int64_t n;
	int width;		/* 0: its runs are not held (a column of none) */
	const struct table_def *t;
	unsigned char col[LOG_RUN_MAX];	/* member i: column col[i] of held_row_sql(t) */
};

static enum gq_status held_shape_load(struct gq_db *db, int64_t shape_n, struct held_shape *h,
				      struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step, ok = 1;

	memset(h, 0, sizeof(*h));
	h->n = shape_n;
	rc = db_cached(db, "SELECT f.tbl, f.field FROM log_shape_field s CROSS JOIN log_field f"
		       " ON f.n = s.field_n WHERE s.shape_n = ?1 ORDER BY s.i", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, shape_n);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *tbl = (const char *)sqlite3_column_text(st, 0);
		int col;

		if (!h->t && tbl)
			h->t = table_find(tbl);
		col = h->t && tbl && !strcmp(tbl, h->t->name) && sqlite3_column_text(st, 1)
			? held_column(h->t, (const char *)sqlite3_column_text(st, 1)) : -1;
		if (col < 0 || col > 255 || h->width == LOG_RUN_MAX)
			ok = 0;
		else
			h->col[h->width++] = (unsigned char)col;
	}
	if (step != SQLITE_DONE)
		rc = db_error(db, _("reading the change log"), err);
	sqlite3_reset(st);
	if (!ok || !h->t || !held_row_sql(h->t))
		h->width = 0;
	return rc;
}

/* 1 when the row (st, stepped) holds exactly the run's values v[0..n-1]
 * in its columns col[0..n-1]: of the same type, and text of the same
 * bytes. A real or a blob is not kept in a run's JSON as it is in a
 * column: never held. */
static int held_same(sqlite3_stmt *st, const unsigned char *col, const struct val *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		int c = col[i];

		switch (sqlite3_column_type(st, c)) {
		case SQLITE_NULL:
			if (v[i].type != VAL_NULL)
				return 0;
			break;
		case SQLITE_INTEGER:
			if (v[i].type != VAL_INT || v[i].i != sqlite3_column_int64(st, c))
				return 0;
			break;
		case SQLITE_TEXT: {
			const char *s = (const char *)sqlite3_column_text(st, c);
			size_t len = (size_t)sqlite3_column_bytes(st, c);

			if (v[i].type != VAL_TEXT || !s || strlen(v[i].s) != len ||
			    memcmp(s, v[i].s, len))
				return 0;
			break;
		}
		default:
			return 0;
		}
	}
	return 1;
}

/* The columns of a log entry but its value and parents (a run has none). */
struct held_entry {
	int64_t seq, origin_n, oseq, hlc, row_n, field_n, user_n, village_n, shape_n;
	int has_user, has_village;
};

/* Hold the runs seq[0..n-1] (in the order of their seqs): each entry
 * deleted and written again without its value. Setting the value NULL
 * alone would leave the pages the values filled as empty as that, the
 * log being appended to at its end only; a delete gives SQLite the
 * chance to merge pages it left almost empty, whose room the entries
 * written again and the next ones then take. */
static enum gq_status held_rewrite(struct gq_db *db, const int64_t *seq, size_t n,
				   struct gq_err *err)
{
	struct held_entry *v = xmalloc(n * sizeof(*v));
	sqlite3_stmt *st;
	enum gq_status rc;
	size_t i, got = 0;

	rc = db_cached(db, "SELECT origin_n, oseq, hlc, row_n, field_n, user_n, village_n, shape_n"
		       " FROM log_entry WHERE seq = ?1", &st, err);
	for (i = 0; rc == GQ_OK && i < n; i++) {
		sqlite3_bind_int64(st, 1, seq[i]);
		if (sqlite3_step(st) == SQLITE_ROW) {
			struct held_entry *e = &v[got++];

			e->seq = seq[i];
			e->origin_n = sqlite3_column_int64(st, 0);
			e->oseq = sqlite3_column_int64(st, 1);
			e->hlc = sqlite3_column_int64(st, 2);
			e->row_n = sqlite3_column_int64(st, 3);
			e->field_n = sqlite3_column_int64(st, 4);
			e->has_user = sqlite3_column_type(st, 5) != SQLITE_NULL;
			e->user_n = sqlite3_column_int64(st, 5);
			e->has_village = sqlite3_column_type(st, 6) != SQLITE_NULL;
			e->village_n = sqlite3_column_int64(st, 6);
			e->shape_n = sqlite3_column_int64(st, 7);
		}
		sqlite3_reset(st);
	}
	if (rc == GQ_OK)
		rc = db_cached(db, "DELETE FROM log_entry WHERE seq = ?1", &st, err);
	for (i = 0; rc == GQ_OK && i < got; i++) {
		sqlite3_bind_int64(st, 1, v[i].seq);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
	}
	if (rc == GQ_OK)
		rc = db_cached(db, "INSERT INTO log_entry (seq, origin_n, oseq, hlc, row_n, field_n,"
			       " value, parents, user_n, village_n, shape_n)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, '', ?7, ?8, ?9)", &st, err);
	for (i = 0; rc == GQ_OK && i < got; i++) {
		const struct held_entry *e = &v[i];

		sqlite3_bind_int64(st, 1, e->seq);
		sqlite3_bind_int64(st, 2, e->origin_n);
		sqlite3_bind_int64(st, 3, e->oseq);
		sqlite3_bind_int64(st, 4, e->hlc);
		sqlite3_bind_int64(st, 5, e->row_n);
		sqlite3_bind_int64(st, 6, e->field_n);
		if (e->has_user)
			sqlite3_bind_int64(st, 7, e->user_n);
		else
			sqlite3_bind_null(st, 7);
		if (e->has_village)
			sqlite3_bind_int64(st, 8, e->village_n);
		else
			sqlite3_bind_null(st, 8);
		sqlite3_bind_int64(st, 9, e->shape_n);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("writing the change log"), err);
		sqlite3_reset(st);
	}
	free(v);
	return rc;
}

enum gq_status change_log_hold(struct gq_db *db, int64_t after_seq, struct gq_err *err)
{
	struct held_shape *shapes = NULL, *h;
	size_t nshapes = 0, i, nheld;
	int64_t *held = xmalloc(4096 * sizeof(*held));
	struct strbuf store = STRBUF_INIT;
	struct val v[LOG_RUN_MAX];
	sqlite3_stmt *st, *row;
	enum gq_status rc = GQ_OK;
	int step, more = 1;

	/* A batch at a time, the entries written after a batch's reading. */
	while (rc == GQ_OK && more) {
		more = 0;
		nheld = 0;
		rc = db_cached(db, "SELECT e.seq, e.shape_n, e.value, k.key FROM log_entry e"
			       " CROSS JOIN log_key k ON k.n = e.row_n WHERE e.seq > ?1"
			       " AND e.shape_n IS NOT NULL AND e.value IS NOT NULL AND e.parents = ''"
			       " ORDER BY e.seq LIMIT 4096", &st, err);
		if (rc != GQ_OK)
			break;
		sqlite3_bind_int64(st, 1, after_seq);
		while (rc == GQ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t seq = sqlite3_column_int64(st, 0), shape_n = sqlite3_column_int64(st, 1);
			const char *json = (const char *)sqlite3_column_text(st, 2);
			const char *key = (const char *)sqlite3_column_text(st, 3);
			int n;

			after_seq = seq;
			more = 1;
			for (h = NULL, i = 0; i < nshapes; i++)
				if (shapes[i].n == shape_n)
					h = &shapes[i];
			if (!h) {
				shapes = xrealloc(shapes, (nshapes + 1) * sizeof(*shapes));
				h = &shapes[nshapes++];
				rc = held_shape_load(db, shape_n, h, err);
				if (rc != GQ_OK)
					break;
			}
			if (!h->width || !json || !key)
				continue;
			n = change_run_values(json, (size_t)sqlite3_column_bytes(st, 2), v,
					      LOG_RUN_MAX, &store);
			if (n != h->width)
				continue;
			rc = db_cached(db, held_row_sql(h->t), &row, err);
			if (rc != GQ_OK)
				break;
			sqlite3_bind_text(row, 1, key, -1, SQLITE_STATIC);
			if (sqlite3_step(row) == SQLITE_ROW && held_same(row, h->col, v, n))
				held[nheld++] = seq;
			sqlite3_reset(row);
		}
		if (rc == GQ_OK && step != SQLITE_DONE)
			rc = db_error(db, _("reading the change log"), err);
		sqlite3_reset(st);
		if (rc == GQ_OK && nheld)
			rc = held_rewrite(db, held, nheld, err);
	}
	free(shapes);
	free(held);
	strbuf_release(&store);
	return rc;
}
