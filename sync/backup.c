/* backup.c - sealed backups of the whole database (backup.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guanqing/backup.h"
#include "guanqing/bundle.h"
#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/media.h"
#include "guanqing/sync.h"

#define BACKUP_MAGIC "guanqing-backup=1"
/* The database file travels in records of this size. */
#define BACKUP_CHUNK (256u * 1024)

static void utc_stamp(char *buf, size_t size)
{
	time_t t = (time_t)(clock_now_ms() / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
}

/* Opening a copy (in WAL mode, like the database) makes -wal and -shm
 * files beside it; once it is closed they hold nothing. */
static void remove_side_files(const char *path)
{
	char side[4200];

	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

struct backup_ctx {
	struct gq_db *db;
	const char *copy;	/* the clear copy beside the database */
	const char *name;	/* the file's name, for messages */
	struct keys_own keys;
	uint64_t max_size;
};

static enum gq_status write_backup(FILE *f, void *vctx, struct gq_err *err)
{
	struct backup_ctx *x = vctx;
	struct bundle_header h;
	struct bundle_writer *w = NULL;
	unsigned char *buf = NULL;
	char meta[1024], now[32];
	enum gq_status rc;
	FILE *in = NULL;
	struct stat sb;
	size_t n;

	bundle_header_init(&h);
	h.schema_version = (uint32_t)db_schema_version(x->db);
	snprintf(h.sender, sizeof(h.sender), "%s", x->db->station_id);
	snprintf(h.recipient, sizeof(h.recipient), "%s", x->db->station_id);
	h.clock_wall_ms = clock_now_ms();
	in = fopen(x->copy, "rb");
	if (!in || fstat(fileno(in), &sb) != 0) {
		rc = gq_err_set(err, GQ_EIO, _("Cannot read the copy %s of the database: %s."), x->copy,
				strerror(errno));
		goto done;
	}
	clock_iso(clock_now_ms(), now, sizeof(now));
	snprintf(meta, sizeof(meta),
		 BACKUP_MAGIC "\nstation_id=%s\nrole=%s\nvillage=%s\ndivision=%s\nschema=%d\ncreated=%s\nsize=%lld\n",
		 x->db->station_id, x->db->role == DB_ROLE_COUNTY ? "county" : "station",
		 x->db->village, x->db->division, (int)h.schema_version, now, (long long)sb.st_size);
	rc = bundle_writer_open(&w, f, &h, &x->keys, &x->keys.pub, x->name, err);
	if (rc != GQ_OK)
		goto done;
	bundle_writer_set_max_size(w, x->max_size);
	rc = bundle_writer_add(w, meta, strlen(meta), err);
	buf = malloc(BACKUP_CHUNK);
	if (rc == GQ_OK && !buf)
		rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	while (rc == GQ_OK && (n = fread(buf, 1, BACKUP_CHUNK, in)) > 0)
		rc = bundle_writer_add(w, buf, n, err);
	if (rc == GQ_OK && ferror(in))
		rc = gq_err_set(err, GQ_EIO, _("Cannot read the copy %s of the database: %s."), x->copy,
				strerror(errno));
	if (rc == GQ_OK)
		rc = bundle_writer_finish(w, err);
done:
	if (buf) {
		keys_wipe(buf, BACKUP_CHUNK);
		free(buf);
	}
	if (in)
		fclose(in);
	bundle_writer_free(&w);
	bundle_header_release(&h);
	return rc;
}

static enum gq_status check_backup(const char *path, void *vctx, struct gq_err *err)
{
	struct backup_ctx *x = vctx;

	return bundle_check(path, &x->keys.pub, NULL, NULL, err);
}

/* mkdir -p for the backup folder (0700: it will hold personal data). */
static void make_dirs(const char *dir)
{
	char *dup = strdup(dir), *s;

	if (!dup)
		return;
	for (s = dup + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(dup, 0700);
		*s = '/';
	}
	mkdir(dup, 0700);
	free(dup);
}

enum gq_status backup_write(struct gq_db *db, const char *dir, char *path_out,
			    size_t path_size, struct gq_err *err)
{
	struct backup_ctx x;
	char copy[4096], name[128], stamp[32];
	enum gq_status rc;
	struct stat sb;

	memset(&x, 0, sizeof(x));
	if (path_out && path_size)
		path_out[0] = '\0';
	if (!dir || !*dir)
		return gq_err_set(err, GQ_EUSAGE, _("No folder was given for the backup."));
	rc = sync_load_own_keys(db, &x.keys, err);
	if (rc != GQ_OK)
		return rc;
	make_dirs(dir);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		keys_release(&x.keys);
		return gq_err_set(err, GQ_EIO, _("The backup folder %s cannot be made: %s."), dir,
				  strerror(errno ? errno : ENOTDIR));
	}
	utc_stamp(stamp, sizeof(stamp));
	snprintf(name, sizeof(name), "%s-%s" BACKUP_FILE_SUFFIX,
		 db->role == DB_ROLE_COUNTY ? db->division : db->village, stamp);
	if (snprintf(copy, sizeof(copy), "%s.backup-%ld.tmp", db->path, (long)getpid()) >=
	    (int)sizeof(copy)) {
		keys_release(&x.keys);
		return gq_err_set(err, GQ_EIO, _("The path of database %s is too long for a backup beside it."),
				  db->path);
	}
	unlink(copy);	/* a left-over of a run that was killed */
	rc = db_backup_copy(db->h, copy, err);
	x.db = db;
	x.copy = copy;
	x.name = name;
	x.max_size = media_max_file_size(dir);
	if (rc == GQ_OK)
		rc = media_write_atomic(dir, name, write_backup, check_backup, &x, err);
	unlink(copy);
	remove_side_files(copy);
	keys_release(&x.keys);
	if (rc == GQ_OK && path_out && path_size)
		snprintf(path_out, path_size, "%s/%s", dir, name);
	return rc;
}

/* The value of key in the backup's first record ("" when absent). */
static void meta_value(const char *text, const char *key, char *out, size_t size)
{
	size_t kl = strlen(key);
	const char *p = text;

	out[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, "\n");

			snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p + kl + 1);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static enum gq_status refuse(struct gq_err *err, enum gq_status code, const char *file,
			     const char *why)
{
	return gq_err_set(err, code, _("The backup %s is refused: %s."), file, why);
}

/* The integrity check and identity of the restored copy. */
static enum gq_status check_copy(struct gq_db *db, const char *file, const char *dest,
				 const struct backup_info *info, struct gq_err *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	enum gq_status rc = GQ_OK;
	char sid[64] = "";

	if (sqlite3_open_v2(dest, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		rc = refuse(err, GQ_ECORRUPT, file, _("the database inside it cannot be opened"));
	if (rc == GQ_OK && sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *r = sqlite3_column_text(st, 0);

		if (!r || strcmp((const char *)r, "ok"))
			rc = refuse(err, GQ_ECORRUPT, file, _("the database inside it fails SQLite's integrity check"));
	} else if (rc == GQ_OK) {
		rc = refuse(err, GQ_ECORRUPT, file, _("the database inside it fails SQLite's integrity check"));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == GQ_OK && sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = 'station_id'", -1, &st,
					      NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(sid, sizeof(sid), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc == GQ_OK && (strcmp(sid, db->station_id) || strcmp(info->station_id, db->station_id)))
		rc = refuse(err, GQ_ECORRUPT, file, _("the database inside it is another place's"));
	if (h)
		sqlite3_close_v2(h);
	remove_side_files(dest);
	return rc;
}

enum gq_status backup_open(struct gq_db *db, const char *file, const char *dest,
			   struct backup_info *info, struct gq_err *err)
{
	struct keys_own keys;
	struct bundle_header h;
	struct bundle_reader *r = NULL;
	enum bundle_reason why = BUNDLE_OK;
	struct gq_err e;
	enum gq_status rc;
	const unsigned char *rec;
	size_t len;
	uint64_t written = 0;
	char num[32];
	FILE *out = NULL;
	int fd, first = 1;

	memset(info, 0, sizeof(*info));
	bundle_header_init(&h);
	gq_err_clear(&e);
	rc = sync_load_own_keys(db, &keys, err);
	if (rc != GQ_OK)
		return rc;
	rc = bundle_verify(file, db->station_id, &keys, &keys.pub, &h, &why, &e);
	if (rc != GQ_OK) {
		if (why == BUNDLE_EREAD)
			rc = gq_err_set(err, GQ_EIO, "%s", e.msg);
		else if (why == BUNDLE_ERECIPIENT || why == BUNDLE_ESIGNATURE)
			rc = refuse(err, GQ_ECORRUPT, file,
				    _("it was made by another station or county, not with this database's keys"));
		else
			rc = refuse(err, GQ_ECORRUPT, file, bundle_reason_str(why));
		goto done;
	}
	if (h.schema_version > (uint32_t)DB_SCHEMA_VERSION) {
		snprintf(num, sizeof(num), "%u", (unsigned)h.schema_version);
		rc = gq_err_set(err, GQ_EINVAL,
				_("The backup %s has schema version %s, newer than this program knows: use a newer guanqing."),
				file, num);
		goto done;
	}
	rc = bundle_reader_open(&r, file, db->station_id, &keys, &keys.pub, &why, &e);
	if (rc != GQ_OK) {
		rc = refuse(err, GQ_ECORRUPT, file, bundle_reason_str(why));
		goto done;
	}
	fd = open(dest, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || !(out = fdopen(fd, "wb"))) {
		if (fd >= 0)
			close(fd);
		rc = gq_err_set(err, GQ_EIO, _("Cannot create the copy %s of the database: %s."), dest,
				strerror(errno));
		goto done;
	}
	for (;;) {
		rc = bundle_reader_next(r, &rec, &len, &e);
		if (rc != GQ_OK) {
			rc = refuse(err, GQ_ECORRUPT, file, bundle_reason_str(bundle_reader_reason(r)));
			break;
		}
		if (!rec)
			break;
		if (first) {
			char *text = strndup((const char *)rec, len), v[32];

			first = 0;
			if (!text || strncmp(text, BACKUP_MAGIC "\n", strlen(BACKUP_MAGIC) + 1)) {
				free(text);
				rc = refuse(err, GQ_ECORRUPT, file, _("it is a bundle, not a backup"));
				break;
			}
			meta_value(text, "station_id", info->station_id, sizeof(info->station_id));
			meta_value(text, "role", info->role, sizeof(info->role));
			meta_value(text, "village", info->village, sizeof(info->village));
			meta_value(text, "division", info->division, sizeof(info->division));
			meta_value(text, "created", info->created, sizeof(info->created));
			meta_value(text, "schema", v, sizeof(v));
			info->schema = atoi(v);
			meta_value(text, "size", v, sizeof(v));
			info->size = strtoull(v, NULL, 10);
			free(text);
			continue;
		}
		if (fwrite(rec, 1, len, out) != len) {
			rc = gq_err_set(err, GQ_EIO, _("Cannot write the copy %s of the database: %s."), dest,
					strerror(errno));
			break;
		}
		written += len;
	}
	if (rc == GQ_OK && first)
		rc = refuse(err, GQ_ECORRUPT, file, _("it is a bundle, not a backup"));
	if (rc == GQ_OK && written != info->size)
		rc = refuse(err, GQ_ECORRUPT, file, _("the database inside it is not of the size it says"));
	if (fflush(out) != 0 || fsync(fileno(out)) != 0) {
		if (rc == GQ_OK)
			rc = gq_err_set(err, GQ_EIO, _("Cannot write the copy %s of the database: %s."), dest,
					strerror(errno));
	}
	fclose(out);
	out = NULL;
	if (rc == GQ_OK)
		rc = check_copy(db, file, dest, info, err);
	if (rc != GQ_OK)
		unlink(dest);
done:
	bundle_reader_free(&r);
	bundle_header_release(&h);
	keys_release(&keys);
	return rc;
}

enum gq_status backup_swap_in(const char *db_path, const char *restored,
			      char *aside, size_t aside_size, struct gq_err *err)
{
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	char stamp[32], from[4200], to[4200];
	size_t i;

	utc_stamp(stamp, sizeof(stamp));
	for (i = 0; i < 100; i++) {
		int n = i ? snprintf(aside, aside_size, "%s.before-restore-%s-%zu", db_path, stamp, i)
			  : snprintf(aside, aside_size, "%s.before-restore-%s", db_path, stamp);

		if (n < 0 || (size_t)n >= aside_size)
			return gq_err_set(err, GQ_EIO, _("The path of database %s is too long for a backup beside it."),
					  db_path);
		if (access(aside, F_OK) != 0)
			break;
	}
	if (rename(db_path, aside) != 0)
		return gq_err_set(err, GQ_EIO, _("Cannot move the database %s aside: %s."), db_path,
				  strerror(errno));
	/* The side files of a closed database are normally gone; keep any
	 * that remain with the database they belong to. */
	for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		snprintf(from, sizeof(from), "%s%s", db_path, side[i]);
		snprintf(to, sizeof(to), "%s%s", aside, side[i]);
		if (access(from, F_OK) == 0)
			rename(from, to);
	}
	if (rename(restored, db_path) != 0) {
		int e = errno;

		rename(aside, db_path);
		for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
			snprintf(from, sizeof(from), "%s%s", aside, side[i]);
			snprintf(to, sizeof(to), "%s%s", db_path, side[i]);
			if (access(from, F_OK) == 0)
				rename(from, to);
		}
		return gq_err_set(err, GQ_EIO, _("Cannot put the restored database in the place of %s: %s."),
				  db_path, strerror(e));
	}
	return GQ_OK;
}
