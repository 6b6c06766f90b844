/* db.c - opening, migrating and transacting on the database. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/i18n.h"
#include "guanqing/schema.h"

enum gq_status db_error(struct gq_db *db, const char *context,
			struct gq_err *err)
{
	return gq_err_set(err, GQ_EDB, _("Database %s: %s failed: %s."),
			  db && db->path ? db->path : "?", context,
			  db && db->h ? sqlite3_errmsg(db->h) : "?");
}

/* A transaction of ours that SQLite rolled back by itself (a full disk,
 * an I/O error while spilling the cache) must not go on in autocommit
 * mode: every later statement would commit on its own, half of an
 * operation. Refuse to prepare anything until the caller rolls back. */
static enum gq_status check_in_transaction(struct gq_db *db, struct gq_err *err)
{
	if (db->depth > 0 && sqlite3_get_autocommit(db->h))
		return gq_err_set(err, GQ_EIO,
				  _("Database %s: the transaction was undone by SQLite after a write failed (is the disk full?); nothing of it was saved."),
				  db->path);
	return GQ_OK;
}

enum gq_status db_exec(struct gq_db *db, const char *sql, struct gq_err *err)
{
	char *msg = NULL;

	/* Leaving a transaction is always allowed; anything else not in one
	 * that vanished. */
	if (strncmp(sql, "ROLLBACK", 8) && check_in_transaction(db, err) != GQ_OK)
		return GQ_EIO;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		gq_err_set(err, GQ_EDB, _("Database %s: %s."), db->path,
			   msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return GQ_EDB;
	}
	return GQ_OK;
}

enum gq_status db_prepare(struct gq_db *db, const char *sql, sqlite3_stmt **st,
			  struct gq_err *err)
{
	if (check_in_transaction(db, err) != GQ_OK) {
		*st = NULL;
		return GQ_EIO;
	}
	if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return db_error(db, _("preparing a statement"), err);
	}
	return GQ_OK;
}

enum gq_status db_cached(struct gq_db *db, const char *sql, sqlite3_stmt **st,
			 struct gq_err *err)
{
	size_t n = sizeof(db->cache) / sizeof(db->cache[0]), i, probe;
	struct db_cache_slot *slot = NULL;
	uintptr_t key = (uintptr_t)sql;

	if (check_in_transaction(db, err) != GQ_OK) {
		*st = NULL;
		return GQ_EIO;
	}
	/* Open addressing on the address of the text: a few probes find it. */
	i = (size_t)((key >> 3) ^ (key >> 11)) % (n - 1);
	for (probe = 0; probe < 16; probe++, i = (i + 1) % (n - 1)) {
		if (db->cache[i].sql == sql) {
			*st = db->cache[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return GQ_OK;
		}
		if (!db->cache[i].sql) {
			slot = &db->cache[i];
			break;
		}
	}
	/* A new statement, or the last slot reused when the cache is full
	 * around this place. */
	if (!slot)
		slot = &db->cache[n - 1];
	if (slot->st)
		sqlite3_finalize(slot->st);
	slot->sql = NULL;
	slot->st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return db_error(db, _("preparing a statement"), err);
	}
	slot->sql = sql;
	slot->st = *st;
	return GQ_OK;
}

enum gq_status db_begin(struct gq_db *db, struct gq_err *err)
{
	enum gq_status rc;

	rc = db_exec(db, db->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT gq", err);
	if (rc == GQ_OK)
		db->depth++;
	db->txn++;
	return rc;
}

enum gq_status db_commit(struct gq_db *db, struct gq_err *err)
{
	enum gq_status rc;

	if (db->depth <= 0)
		return gq_err_set(err, GQ_EDB, _("Database %s: commit without a transaction."),
				  db->path);
	if (db->depth == 1) {
		rc = db_exec(db, "COMMIT", err);
		if (rc != GQ_OK) {
			/* A failed COMMIT (deferred foreign key, full disk)
			 * leaves the transaction open: undo it whole. */
			db_rollback(db);
			return rc;
		}
	} else {
		rc = db_exec(db, "RELEASE gq", err);
		if (rc != GQ_OK)
			return rc;
	}
	db->depth--;
	return GQ_OK;
}

void db_rollback(struct gq_db *db)
{
	if (db->depth <= 0)
		return;
	if (db->depth == 1)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	else
		sqlite3_exec(db->h, "ROLLBACK TO gq; RELEASE gq", NULL, NULL, NULL);
	db->depth--;
	db->txn++;
}

char *db_meta_get(struct gq_db *db, const char *key)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
	sqlite3_stmt *st;
	char *res = NULL;

	if (db_cached(db, sql, &st, NULL) != GQ_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		res = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return res;
}

enum gq_status db_meta_set(struct gq_db *db, const char *key,
			   const char *value, struct gq_err *err)
{
	static const char sql[] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_cached(db, sql, &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("saving a setting"), err);
	sqlite3_reset(st);
	return rc;
}

int64_t db_meta_get_int(struct gq_db *db, const char *key, int64_t dflt)
{
	char *v = db_meta_get(db, key);
	int64_t res = dflt;

	if (v) {
		res = strtoll(v, NULL, 10);
		free(v);
	}
	return res;
}

enum gq_status db_meta_set_int(struct gq_db *db, const char *key, int64_t v,
			       struct gq_err *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return db_meta_set(db, key, buf, err);
}

static void copy_meta(struct gq_db *db, const char *key, char *dst, size_t size)
{
	char *v = db_meta_get(db, key);

	dst[0] = '\0';
	if (v) {
		snprintf(dst, size, "%s", v);
		free(v);
	}
}

void db_load_identity(struct gq_db *db)
{
	char role[16];

	copy_meta(db, "role", role, sizeof(role));
	db->role = !strcmp(role, "station") ? DB_ROLE_STATION :
		   !strcmp(role, "county") ? DB_ROLE_COUNTY : DB_ROLE_NONE;
	copy_meta(db, "station_id", db->station_id, sizeof(db->station_id));
	copy_meta(db, "village", db->village, sizeof(db->village));
	copy_meta(db, "division", db->division, sizeof(db->division));
}

int db_schema_version(struct gq_db *db)
{
	static const char sql[] = "PRAGMA user_version";
	sqlite3_stmt *st;
	struct gq_err ignored;
	int v = -1, kept;

	/* Asked for every change merged (merge_ensure_schema()), so the
	 * statement is kept; prepared once more when it cannot be. */
	kept = db_cached(db, sql, &st, &ignored) == GQ_OK;
	if (!kept && sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (kept)
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
	return v;
}

enum gq_status db_backup_copy(sqlite3 *src, const char *dest, struct gq_err *err)
{
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	enum gq_status rc = GQ_OK;
	int fd, src_rc;

	/* 0600 from the first byte, and never over an existing file. */
	fd = open(dest, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return gq_err_set(err, GQ_EIO, _("Cannot create the copy %s of the database: %s."),
				  dest, strerror(errno));
	close(fd);
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = gq_err_set(err, GQ_EIO, _("Cannot create the copy %s of the database: %s."),
				dest, out ? sqlite3_errmsg(out) : "?");
		goto done;
	}
	b = sqlite3_backup_init(out, "main", src, "main");
	if (!b) {
		rc = gq_err_set(err, GQ_EIO, _("Cannot create the copy %s of the database: %s."),
				dest, sqlite3_errmsg(out));
		goto done;
	}
	/* All pages in one step: the copy is one consistent snapshot. */
	src_rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (src_rc != SQLITE_DONE)
		rc = gq_err_set(err, GQ_EIO, _("Cannot create the copy %s of the database: %s."),
				dest, sqlite3_errstr(src_rc));
done:
	if (out)
		sqlite3_close_v2(out);
	if (rc != GQ_OK)
		unlink(dest);
	return rc;
}

/* Before migrating an existing database, keep a copy of it as it was:
 * PATH.schemaN-YYYYMMDDTHHMMSSZ.bak beside it (mode 0600). */
static enum gq_status backup_before_migration(struct gq_db *db, int version,
					      struct gq_err *err)
{
	char dest[4096], stamp[32];
	time_t t = (time_t)(clock_now_ms() / 1000);
	struct tm tm;
	int n, i;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < 100; i++) {
		n = i ? snprintf(dest, sizeof(dest), "%s.schema%d-%s-%d.bak", db->path, version, stamp, i)
		      : snprintf(dest, sizeof(dest), "%s.schema%d-%s.bak", db->path, version, stamp);
		if (n < 0 || (size_t)n >= sizeof(dest))
			return gq_err_set(err, GQ_EIO, _("The path of database %s is too long for a backup beside it."),
					  db->path);
		if (access(dest, F_OK) != 0)
			break;
	}
	return db_backup_copy(db->h, dest, err);
}

/* The last version whose migration frees most of an older database's
 * pages (the change log on integer keys, 10; in runs, 11; held by the
 * rows, 13), and the one
 * that packs the log into runs. */
#define SCHEMA_SHRINKS 13
#define SCHEMA_RUNS 11
/* The first version whose runs their rows may hold (change.h). */
#define SCHEMA_HELD 13

static enum gq_status migrate(struct gq_db *db, struct gq_err *err)
{
	int v = db_schema_version(db);
	int from = v;
	enum gq_status rc = GQ_OK;

	if (v < 0)
		return db_error(db, _("reading the schema version"), err);
	if (v > schema_migration_count)
		return gq_err_set(err, GQ_EDB,
				  _("Database %s has schema version %d, but this program knows only up to %d: use a newer guanqing."),
				  db->path, v, schema_migration_count);
	/* An update of the program migrates an existing database forward:
	 * a copy of it is kept first, so that a failed or wrong migration
	 * loses nothing. A new database (version 0) has nothing to keep. */
	if (v > 0 && v < schema_migration_count) {
		rc = backup_before_migration(db, v, err);
		if (rc != GQ_OK)
			return rc;
	}
	for (; v < schema_migration_count && rc == GQ_OK; v++) {
		char bump[64];

		/* Each migration and its version bump are one transaction. */
		rc = db_begin(db, err);
		if (rc != GQ_OK)
			break;
		rc = db_exec(db, schema_migrations[v], err);
		/* The log an older version wrote, one entry a change, into
		 * runs (change.c). */
		if (rc == GQ_OK && v + 1 == SCHEMA_RUNS)
			rc = change_log_pack(db, err);
		/* The triggers and views of held runs, then the runs of the
		 * log that their rows hold (change.c). */
		if (rc == GQ_OK && v + 1 == SCHEMA_HELD)
			rc = change_log_held_setup(db, err);
		if (rc == GQ_OK && v + 1 == SCHEMA_HELD)
			rc = change_log_hold(db, 0, err);
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
		if (rc == GQ_OK)
			rc = db_exec(db, bump, err);
		if (rc == GQ_OK)
			rc = db_commit(db, err);
		else
			db_rollback(db);
	}
	/* Give the freed pages back to the disk. A VACUUM that cannot run
	 * (a full disk) leaves a database that is whole, only larger: the
	 * freed pages are used again as it grows. */
	if (rc == GQ_OK && from > 0 && from < SCHEMA_SHRINKS && v >= SCHEMA_SHRINKS)
		sqlite3_exec(db->h, "VACUUM", NULL, NULL, NULL);
	return rc;
}

char *db_default_path(void)
{
	const char *env = getenv("GUANQING_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *p;
	size_t n;

	if (env && *env)
		return strdup(env);
	if (xdg && *xdg) {
		n = strlen(xdg) + 32;
		p = malloc(n);
		if (p)
			snprintf(p, n, "%s/guanqing/guanqing.db", xdg);
		return p;
	}
	n = strlen(home ? home : ".") + 48;
	p = malloc(n);
	if (p)
		snprintf(p, n, "%s/.local/share/guanqing/guanqing.db", home ? home : ".");
	return p;
}

/* Create the folders above path (mode 0700) when missing. */
static void make_parent_dirs(const char *path)
{
	char *dup = strdup(path);
	char *s;

	if (!dup)
		return;
	for (s = dup + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(dup, 0700);
		*s = '/';
	}
	free(dup);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite's busy handler: poll often, so that a writer waiting for an
 * import gets in between two bundles, and say once that we wait. */
static int busy_wait(void *ctx, int count)
{
	struct gq_db *db = ctx;
	int64_t now = mono_ms(), limit = db->busy_notify ? DB_BUSY_LONG_MS : DB_BUSY_SHORT_MS;
	struct timespec nap = { 0, 10 * 1000 * 1000 };

	if (count == 0) {
		db->busy_since_ms = now;
		db->busy_told = 0;
	}
	if (now - db->busy_since_ms >= limit)
		return 0;
	if (db->busy_notify && !db->busy_told && now - db->busy_since_ms >= 500) {
		db->busy_told = 1;
		db->busy_notify(db->busy_ctx, db);
	}
	nanosleep(&nap, NULL);
	return 1;
}

/* Connections are numbered from 1, so that a stamp never taken (0)
 * matches none. */
static uint64_t db_serials;

/* The program uses SQLite from one thread: without SQLite's mutexes,
 * taken on every call and every allocation for threads it does not
 * have, a merge costs a tenth less. Only possible before SQLite starts;
 * a program that used SQLite before (a test's own connection) keeps the
 * default, which is only slower. */
static void db_configure_once(void)
{
	static int done;

	if (!done) {
		done = 1;
		sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	}
}

enum gq_status db_open(const char *path, int create, struct gq_db **out,
		       struct gq_err *err)
{
	struct gq_db *db;
	enum gq_status rc = GQ_OK;
	int flags = SQLITE_OPEN_READWRITE;
	struct stat sb;

	*out = NULL;
	if (!path || !*path)
		return gq_err_set(err, GQ_EUSAGE, _("No database file was given."));
	if (stat(path, &sb) != 0) {
		int fd;

		if (!create)
			return gq_err_set(err, GQ_ENOTFOUND,
					  _("Database %s does not exist: create it with \"guanqing station init\" or \"guanqing county init\"."),
					  path);
		make_parent_dirs(path);
		/* Create the file ourselves so that it is 0600 from the
		 * first byte: it will hold children's personal data. */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			return gq_err_set(err, GQ_EIO, _("Cannot create the database %s: %s."),
					  path, strerror(errno));
		close(fd);
		flags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(sb.st_mode)) {
		return gq_err_set(err, GQ_EIO, _("%s is not a database file."), path);
	}
	db = calloc(1, sizeof(*db));
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	}
	db->serial = ++db_serials;
	db_configure_once();
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		rc = gq_err_set(err, GQ_EDB, _("Cannot open the database %s: %s."), path,
				db->h ? sqlite3_errmsg(db->h) : "?");
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_handler(db->h, busy_wait, db);
	/* A file that is not SQLite fails on the first read. */
	if (db_schema_version(db) < 0) {
		rc = gq_err_set(err, GQ_EDB, _("%s is not a guanqing database: %s."), path,
				sqlite3_errmsg(db->h));
		goto fail;
	}
	/* A page cache of 16 MiB (SQLite's default is 2): a county's indexes
	 * read again on every return to Home stay in memory, bounded. */
	rc = db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
		     " PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;"
		     " PRAGMA cache_size = -16384;", err);
	if (rc == GQ_OK)
		rc = change_log_functions(db, err);
	if (rc == GQ_OK)
		rc = migrate(db, err);
	if (rc != GQ_OK)
		goto fail;
	/* The WAL and shared-memory files hold the same data. */
	{
		char side[4096];

		snprintf(side, sizeof(side), "%s-wal", path);
		chmod(side, 0600);
		snprintf(side, sizeof(side), "%s-shm", path);
		chmod(side, 0600);
	}
	db_load_identity(db);
	*out = db;
	return GQ_OK;
fail:
	db_close(&db);
	return rc;
}

long long db_changes(struct gq_db *db)
{
	return db && db->h ? (long long)sqlite3_total_changes64(db->h) : 0;
}

static enum gq_status data_version(struct gq_db *db, sqlite3_int64 *v, struct gq_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gq_status rc = db_cached(db, "PRAGMA data_version", &st, err);

	if (rc != GQ_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, _("reading whether the database changed"), err);
	sqlite3_reset(st);
	return rc;
}

enum gq_status db_stamp_take(struct gq_db *db, struct db_stamp *s, struct gq_err *err)
{
	enum gq_status rc;

	memset(s, 0, sizeof(*s));
	rc = data_version(db, &s->data_version, err);
	if (rc != GQ_OK)
		return rc;
	s->changes = sqlite3_total_changes64(db->h);
	/* What is read inside a transaction may yet be rolled back, which
	 * neither number would show: such a stamp matches nothing. */
	s->serial = sqlite3_get_autocommit(db->h) ? db->serial : 0;
	return GQ_OK;
}

bool db_stamp_same(struct gq_db *db, const struct db_stamp *s)
{
	sqlite3_int64 v;

	return db && s->serial && s->serial == db->serial &&
	       s->changes == sqlite3_total_changes64(db->h) &&
	       data_version(db, &v, NULL) == GQ_OK && v == s->data_version;
}

void db_set_busy_notify(struct gq_db *db, void (*notify)(void *ctx, struct gq_db *db),
			void *ctx)
{
	db->busy_notify = notify;
	db->busy_ctx = ctx;
}

void db_release_cache(struct gq_db *db)
{
	sqlite3_db_release_memory(db->h);
#ifdef HAVE_MALLOC_TRIM
	/* The pages were small blocks of the heap: give them back. */
	malloc_trim(0);
#endif
}

void db_close(struct gq_db **pdb)
{
	struct gq_db *db = pdb ? *pdb : NULL;

	size_t i;

	if (!db)
		return;
	for (i = 0; i < sizeof(db->cache) / sizeof(db->cache[0]); i++)
		sqlite3_finalize(db->cache[i].st);
	if (db->h)
		sqlite3_close_v2(db->h);
	explicit_bzero(db->keyring, sizeof(db->keyring));
	free(db->path);
	free(db);
	*pdb = NULL;
}
