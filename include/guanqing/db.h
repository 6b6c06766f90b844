/* db.h - the SQLite database: opening, migrations, transactions, identity.
 *
 * One database file is one place: a village station or the county. Its
 * identity (station id, role, village or county code) lives in the local
 * `meta` table. Every change goes through a transaction opened with
 * db_begin() and closed with db_commit() or db_rollback(); these nest (the
 * inner levels are savepoints), so a record operation can call another and
 * the whole stays one transaction.
 */
#ifndef GUANQING_DB_H
#define GUANQING_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "guanqing/err.h"

/* The schema version this program writes; PRAGMA user_version. */
#define DB_SCHEMA_VERSION 13
/* The schema version of the records a bundle carries: the last migration
 * that changed a synced table or column. A migration of local tables
 * only (10: the change log's own layout) leaves it, so that places a
 * version apart still trade bundles. */
#define DB_RECORDS_VERSION 9

enum db_role { DB_ROLE_NONE = 0, DB_ROLE_STATION, DB_ROLE_COUNTY };

struct gq_db {
	sqlite3 *h;
	char *path;		/* owned */
	enum db_role role;
	char station_id[37];	/* this place's origin id ("" before init) */
	char village[16];	/* station: 12-digit village code; county: "" */
	char division[16];	/* county code, e.g. 411524 */
	char user_id[37];	/* the acting user, "" for the system */
	int user_role;		/* their enum auth_role (auth.h), kept at sign-in;
				 * 0 (AUTH_NONE) when the program itself acts */
	int depth;		/* transaction nesting */
	/* Statements kept for the life of the connection (db_cached()). */
	struct db_cache_slot { const char *sql; sqlite3_stmt *st; } cache[256];
	/* The key that opens the secret keys, once a user with a key slot
	 * signed in (keyslot.h); wiped by db_close(). */
	unsigned char keyring[32];
	int keyring_open;
	/* Waiting for another writer (db_set_busy_notify). */
	void (*busy_notify)(void *ctx, struct gq_db *db);
	void *busy_ctx;
	int64_t busy_since_ms;	/* when this wait began (monotonic) */
	int busy_told;		/* busy_notify was called for this wait */
	uint64_t serial;	/* this connection among the program's (db_stamp) */
	uint64_t txn;		/* goes up at each db_begin() and db_rollback():
				 * what is known of the log within one stays
				 * true only while it is the same */
};

/* What a module keeps of the database for one transaction carries the
 * mark of the transaction it was read in (db->txn). */
struct db_txn_mark {
	const struct gq_db *db;
	uint64_t serial, txn;
};

/* 1 when *s is of db's transaction now. */
static inline int db_txn_is(const struct db_txn_mark *s, const struct gq_db *db)
{
	return s->db == db && s->serial == db->serial && s->txn == db->txn;
}

/* Mark *s with db's transaction now. */
static inline void db_txn_set(struct db_txn_mark *s, const struct gq_db *db)
{
	s->db = db;
	s->serial = db->serial;
	s->txn = db->txn;
}

/* 1 when *s is of db's transaction now; otherwise 0, and *s is marked
 * with it (what it marks is to be read again). */
static inline int db_txn_fresh(struct db_txn_mark *s, const struct gq_db *db)
{
	if (db_txn_is(s, db))
		return 1;
	db_txn_set(s, db);
	return 0;
}

/* How long a write waits for another writer: without a busy_notify
 * callback (tests, scripts) 5 s, with one (the screens, the command line)
 * up to 10 minutes, long enough for one bundle of a large import. */
#define DB_BUSY_SHORT_MS 5000
#define DB_BUSY_LONG_MS (10 * 60 * 1000)

/* Open (creating when create is set) the database at path, set WAL,
 * foreign keys, synchronous=FULL and a busy timeout, run pending
 * migrations, and load the identity. A database whose schema is newer than
 * this program is refused. The file is created mode 0600. On success *out
 * is a new handle for db_close(). */
enum gq_status db_open(const char *path, int create, struct gq_db **out,
		       struct gq_err *err);
/* Close and free *db, setting it to NULL. NULL is allowed. */
void db_close(struct gq_db **db);
/* Give the memory of the pages the connection keeps, and not in use, back
 * to the system: before a sign-in's Argon2id, whose 64 MiB would
 * otherwise come on top of a page cache filled by the checks before it
 * (the users' check reads every user's log on a county: 16 MiB). */
void db_release_cache(struct gq_db *db);

/* Wait for another writer up to DB_BUSY_LONG_MS, and call notify(ctx, db)
 * once per wait after half a second of it (to say "please wait"); notify
 * NULL goes back to DB_BUSY_SHORT_MS without a word. */
void db_set_busy_notify(struct gq_db *db, void (*notify)(void *ctx, struct gq_db *db),
			void *ctx);

/* Begin a write transaction (BEGIN IMMEDIATE at the outermost level, a
 * savepoint inside). */
enum gq_status db_begin(struct gq_db *db, struct gq_err *err);
enum gq_status db_commit(struct gq_db *db, struct gq_err *err);
/* Undo everything since the matching db_begin(). Never fails. */
void db_rollback(struct gq_db *db);

/* Run SQL without results (no user text in sql!). */
enum gq_status db_exec(struct gq_db *db, const char *sql, struct gq_err *err);
/* Prepare sql; on failure the message names the SQLite error. */
enum gq_status db_prepare(struct gq_db *db, const char *sql, sqlite3_stmt **st,
			  struct gq_err *err);
/* A statement for sql, prepared once and kept until db_close(): sql must be
 * a string that lives as long as the program (a literal), since the cache
 * is keyed by its address. The statement comes reset with its bindings
 * cleared; the caller binds, steps and must not finalize it. A full cache
 * still works: the statement is then prepared each time into a slot that
 * is reused. */
enum gq_status db_cached(struct gq_db *db, const char *sql, sqlite3_stmt **st,
			 struct gq_err *err);
/* Fill err from the connection's last error, with a short context. */
enum gq_status db_error(struct gq_db *db, const char *context,
			struct gq_err *err);

/* Local settings. db_meta_get returns a malloc'ed copy (caller frees) or
 * NULL when the key is absent. */
char *db_meta_get(struct gq_db *db, const char *key);
enum gq_status db_meta_set(struct gq_db *db, const char *key,
			   const char *value, struct gq_err *err);
int64_t db_meta_get_int(struct gq_db *db, const char *key, int64_t dflt);
enum gq_status db_meta_set_int(struct gq_db *db, const char *key, int64_t v,
			       struct gq_err *err);

/* Reload role, station id, village and division from meta. */
void db_load_identity(struct gq_db *db);

/* A number that changes whenever this connection writes a row: a list
 * loaded before knows it is stale. */
long long db_changes(struct gq_db *db);

/* What a reader that keeps rows between reads (the search's keys, the
 * People list) compares to know whether they are still those of the
 * database: the connection (a new one at the same address differs), its
 * own writes, and the commits of every other connection (PRAGMA
 * data_version). Fields are private. */
struct db_stamp {
	uint64_t serial;
	sqlite3_int64 changes, data_version;
};

/* Take db's stamp as it is now: take it before reading, so that a
 * commit made while reading shows at the next comparison. Inside a
 * transaction (which may yet be rolled back) the stamp matches nothing.
 * GQ_OK, or the error (s then matches nothing). */
enum gq_status db_stamp_take(struct gq_db *db, struct db_stamp *s, struct gq_err *err);

/* Whether nothing was written to db since s was taken (false when that
 * cannot be told, and for a stamp that was never taken). */
bool db_stamp_same(struct gq_db *db, const struct db_stamp *s);

/* Copy the database open on src into the new file dest with SQLite's
 * online backup API, in one step (one consistent snapshot). dest is
 * created mode 0600 and must not exist; on failure it is removed. Used
 * before a migration (the copy beside the database, PATH.schemaN-TIME.bak)
 * and by `guanqing backup`. */
enum gq_status db_backup_copy(sqlite3 *src, const char *dest, struct gq_err *err);

/* The schema version stored in the file. */
int db_schema_version(struct gq_db *db);

/* The default database path: $GUANQING_DB, else
 * $XDG_DATA_HOME/guanqing/guanqing.db (~/.local/share/...). Caller frees. */
char *db_default_path(void);

#endif
