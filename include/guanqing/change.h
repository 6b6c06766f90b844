/* change.h - change capture: the per-field change log.
 *
 * Every edit of a synced row writes, in the same transaction, one
 * change_log row per field it changed: table, row, field, new value, the
 * origin (this station's id), the per-origin sequence number (oseq, no gaps),
 * the HLC time, the acting user and the row's village. A change names the
 * versions it replaces (its parents: the field's winning version here when
 * it was made), recorded in change_parent; a tombstone (field "deleted" set
 * to 1) also names the winning version of every other field of its row,
 * so that an edit it did not see can be told as a conflict. Each field's
 * heads (log_head) hold its winning version, the first of them. The first
 * versions of a new row's fields are kept as one log entry, a run. The
 * sync layer reads this log and applies remote changes into it; see
 * doc/merge.md.
 */
#ifndef GUANQING_CHANGE_H
#define GUANQING_CHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/hlc.h"

/* A typed value as stored: NULL, integer or text. */
enum val_type { VAL_NULL = 0, VAL_INT, VAL_TEXT };

struct val {
	enum val_type type;
	int64_t i;
	const char *s;		/* borrowed */
};

#define VAL_NULL_INIT { VAL_NULL, 0, NULL }

/* Limits of a change: the wire decoder (sync/wire.h) refuses anything
 * beyond. */
#define MERGE_ID_MAX 36		/* origin, row and user ids */
#define MERGE_NAME_MAX 63	/* table and field names */
#define MERGE_VILLAGE_MAX 15
#define MERGE_TEXT_MAX (1u << 20)	/* a text value, bytes */
#define MERGE_PARENTS_MAX 1024

/* A version a change replaced. same_field is 1 for the field's own
 * versions, 0 for the other fields' versions a tombstone saw. */
struct merge_parent {
	char origin[MERGE_ID_MAX + 1];
	int64_t oseq;
	int same_field;
};

/* One change. A decoded or loaded change owns text and parents: release it
 * with merge_change_release(). value.s points into text. user_id and
 * village are "" when absent. */
struct change {
	char origin[MERGE_ID_MAX + 1];
	int64_t oseq;
	hlc_t hlc;
	char tbl[MERGE_NAME_MAX + 1];
	char row_id[MERGE_ID_MAX + 1];
	char field[MERGE_NAME_MAX + 1];
	struct val value;
	char *text;			/* owned; the text value or NULL */
	struct merge_parent *parents;	/* owned */
	size_t nparents;
	char user_id[MERGE_ID_MAX + 1];
	char village[MERGE_VILLAGE_MAX + 1];
};

/* The most members a run of first versions holds (schema migration 11). */
#define LOG_RUN_MAX 64
#define LOG_RUN_MAX_S "64"
/* The number of changes log entry E (an SQL alias) holds: a run's
 * members, or 1. */
#define LOG_WIDTH(E) "coalesce((SELECT width FROM log_shape WHERE n = " E ".shape_n), 1)"

/* The value and the origin id of the change of seq X (an SQL
 * expression: X a parameter or column), read from its log entry, a run's
 * member from the run. */
#define LOG_VALUE(X) "(SELECT CASE WHEN k_.shape_n IS NULL THEN k_.value" \
	" WHEN k_.value IS NOT NULL THEN json_extract(k_.value, '$[' || (" X " - k_.seq) || ']')" \
	" ELSE log_held(k_.row_n, k_.shape_n, " X " - k_.seq) END FROM log_entry k_" \
	" WHERE k_.seq <= " X " ORDER BY k_.seq DESC LIMIT 1)"
/* The value and the clock of the change (origin number O, sequence
 * number X), and the user id of the change (origin id O, number X). */
#define LOG_VALUE_OSEQ(O, X) "(SELECT CASE WHEN k_.shape_n IS NULL THEN k_.value" \
	" WHEN k_.value IS NOT NULL THEN json_extract(k_.value, '$[' || (" X " - k_.oseq) || ']')" \
	" ELSE log_held(k_.row_n, k_.shape_n, " X " - k_.oseq) END FROM log_entry k_" \
	" WHERE k_.origin_n = " O " AND k_.oseq <= " X " ORDER BY k_.oseq DESC LIMIT 1)"
#define LOG_HLC_OSEQ(O, X) "(SELECT k_.hlc + " X " - k_.oseq FROM log_entry k_" \
	" WHERE k_.origin_n = " O " AND k_.oseq <= " X " ORDER BY k_.oseq DESC LIMIT 1)"
#define LOG_USER_OSEQ(O, X) "(SELECT u_.key FROM log_entry k_ CROSS JOIN log_key u_" \
	" ON u_.n = k_.user_n WHERE k_.origin_n = (SELECT n FROM log_key WHERE key = " O ")" \
	" AND k_.oseq <= " X " ORDER BY k_.oseq DESC LIMIT 1)"
#define LOG_ORIGIN(X) "(SELECT o_.key FROM log_entry k_ CROSS JOIN log_key o_" \
	" ON o_.n = k_.origin_n WHERE k_.seq <= " X " ORDER BY k_.seq DESC LIMIT 1)"

/* The heads of the rows whose number is R and whose field number is F
 * (each "= expression" or "IN (...)"), as a table (row_n, field_n, at:
 * the seq of the head's log entry): the field's own heads, or when it
 * has none the runs of the row that hold a version of it. Written out in
 * each query rather than read from the view log_field_head, so that each
 * part finds its rows by index (SQLite does not push a condition holding
 * a subquery into a view of several parts). LOG_HEADS: of row R, an SQL
 * expression. */
#define LOG_HEADS_OF(R, F) "(SELECT h_.row_n AS row_n, h_.field_n AS field_n, h_.seq AS at" \
	" FROM log_head h_ WHERE h_.row_n " R " AND h_.field_n > 0 AND h_.field_n " F \
	" UNION ALL SELECT h_.row_n, s_.field_n, h_.seq FROM log_head h_" \
	" CROSS JOIN log_entry e_ ON e_.seq = h_.seq" \
	" CROSS JOIN log_shape_field s_ ON s_.shape_n = e_.shape_n AND s_.field_n " F \
	" WHERE h_.row_n " R " AND h_.field_n = 0 AND NOT EXISTS (SELECT 1 FROM log_head x_" \
	" WHERE x_.row_n = h_.row_n AND x_.field_n = s_.field_n))"
#define LOG_HEADS(R, F) LOG_HEADS_OF("= " R, F)

/* The changes of row number R and field number F (SQL expressions) as
 * log entries e, with s the field's place when e is a run; LOG_E_VALUE
 * the change's value. */
#define LOG_OF_FIELD(R, F) " FROM log_entry e LEFT JOIN log_shape_field s" \
	" ON s.shape_n = e.shape_n AND s.field_n = " F " WHERE e.row_n = " R \
	" AND ((e.shape_n IS NULL AND e.field_n = " F ") OR s.field_n IS NOT NULL)"
#define LOG_E_VALUE "CASE WHEN s.i IS NULL THEN e.value WHEN e.value IS NOT NULL" \
	" THEN json_extract(e.value, s.path) ELSE log_held(e.row_n, e.shape_n, s.i) END"

/* The change (origin id O, number X) as its log entry e, with s its
 * place when e is a run and f its field; no row when it is not logged. */
#define LOG_OF_OSEQ(O, X) " FROM log_entry e LEFT JOIN log_shape_field s" \
	" ON s.shape_n = e.shape_n AND s.i = " X " - e.oseq" \
	" CROSS JOIN log_field f ON f.n = coalesce(s.field_n, e.field_n)" \
	" WHERE e.seq = (SELECT k_.seq FROM log_entry k_ WHERE k_.origin_n =" \
	" (SELECT n FROM log_key WHERE key = " O ") AND k_.oseq <= " X \
	" ORDER BY k_.oseq DESC LIMIT 1) AND (e.oseq = " X " OR s.i IS NOT NULL)"

/* Those heads (h) with their entries (c) and, for a run's member, its
 * place in the run (s); the member's value, clock, number and seq. */
#define HEADS_FROM(R, F) " FROM " LOG_HEADS(R, F) " h CROSS JOIN log_entry c ON c.seq = h.at" \
	" LEFT JOIN log_shape_field s ON s.shape_n = c.shape_n AND s.field_n = h.field_n"
#define HEAD_VALUE "CASE WHEN s.i IS NULL THEN c.value WHEN c.value IS NOT NULL" \
	" THEN json_extract(c.value, s.path) ELSE log_held(c.row_n, c.shape_n, s.i) END"
#define HEAD_HLC "(c.hlc + coalesce(s.i, 0))"
#define HEAD_OSEQ "(c.oseq + coalesce(s.i, 0))"
#define HEAD_SEQ "(c.seq + coalesce(s.i, 0))"

/* Append change c to the change log (log_entry, the ids it names as
 * numbers of log_key) with its parent links (log_parent), and keep the
 * heads of its field (log_head): the one place that writes the log. A
 * first version of a field that follows the last entry as its next
 * member joins it as a run. When c->oseq is 0, c is made here: it gets this place's
 * origin, the next per-origin sequence number (no gaps) and a tick of the
 * HLC, written into *c. Otherwise c is taken as it is (a change received
 * from elsewhere, checked by the merge). *seq (may be NULL) receives its
 * log_entry seq. Must run inside db_begin(). */
enum gq_status change_log_append(struct gq_db *db, struct change *c, int64_t *seq,
				 struct gq_err *err);

/* Log a local change of tbl.row_id.field to v, made by db->user_id in
 * village. Must run inside db_begin(). Advances the HLC and the origin's
 * sequence number. */
enum gq_status change_log_local(struct gq_db *db, const char *tbl,
				const char *row_id, const char *field,
				const struct val *v, const char *village,
				struct gq_err *err);

/* The values of a run's members from its log_entry value (json, len
 * bytes: a JSON array of integers, strings and nulls, as the log writes
 * them) into v[0..max-1], their text kept in *store (v[i].s points into
 * it until store is changed). The number of members, or -1 when json is
 * anything else (a number that is no integer, a bad escape, more than max
 * members, text that is not UTF-8). */
struct strbuf;
int change_run_values(const char *json, size_t len, struct val *v, size_t max,
		      struct strbuf *store);

/* Bind a struct val to a statement parameter. */
void val_bind(sqlite3_stmt *st, int idx, const struct val *v);

/* The seq of the log entry that holds the change of seq seq, or of
 * (origin, oseq); 0 when there is none. For "at = ?" on the views
 * log_change and log_version, which find their rows by it. */
int64_t change_log_at(struct gq_db *db, int64_t seq);
/* 1 when the number oseq is past every change of origin logged here, so
 * that (origin, oseq) is surely not logged; 0 when it may be. Kept in
 * memory for the transaction: outside one, always 0. */
int change_log_beyond(struct gq_db *db, const char *origin, int64_t oseq);
int64_t change_log_at_oseq(struct gq_db *db, const char *origin, int64_t oseq);

/* Keep the log's single entries that could have been runs as runs (an
 * older version's log, in the transaction of migration 11): the seqs,
 * numbers, clocks, values and heads of every change stay as they were. */
enum gq_status change_log_pack(struct gq_db *db, struct gq_err *err);

/* Runs their rows hold (schema version 13): a run of first versions
 * whose row holds every member's value as it is keeps them there alone,
 * its entry's value NULL, until the row changes.
 *
 * change_log_functions() gives a connection log_held(row_n, shape_n, i),
 * a held run's member i read from its row (LOG_VALUE and the others
 * below call it). change_log_held_setup() makes (again) each synced
 * table's triggers that give the row's held runs their values back before
 * it is updated or deleted, and the views that read a held run's members
 * from the row. change_log_hold() holds the runs logged after seq
 * after_seq whose rows hold their values (0: the whole log). */
enum gq_status change_log_functions(struct gq_db *db, struct gq_err *err);
enum gq_status change_log_held_setup(struct gq_db *db, struct gq_err *err);
enum gq_status change_log_hold(struct gq_db *db, int64_t after_seq, struct gq_err *err);
/* A query of the held runs whose rows are not there ('log_entry held',
 * seq), for check (dump.c). */
struct strbuf;
void change_log_held_check_sql(struct strbuf *sql);

/* The number of changes made here that are in the log. */
int64_t change_local_count(struct gq_db *db);

#endif
