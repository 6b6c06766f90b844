/* backup.h - sealed backups of a whole database and their restoring.
 *
 * A backup is a consistent copy of the database (SQLite's online backup
 * API, db_backup_copy()) sealed as a bundle (bundle.h) from this place to
 * itself: compressed, encrypted to its own box key and signed with its own
 * signing key. So it opens only with the keys of the database that made it
 * (a lost stick leaks nothing), and a damaged or forged file is refused
 * whole, with the reason. Its first record is a small text of key=value
 * lines (what and whose it is); the others are the database file in
 * chunks. The layout is in doc/bundle-format.md ("Backups").
 *
 * A station whose disk died is made again from its setup file (`station
 * init --setup`, which gives it back its keys and id), then restored.
 */
#ifndef GUANQING_BACKUP_H
#define GUANQING_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/db.h"
#include "guanqing/err.h"

#define BACKUP_FILE_SUFFIX ".gqbackup"

/* What a backup says about itself (from its first record, trusted only
 * after backup_open() checked the whole file). */
struct backup_info {
	char station_id[37];
	char role[16];		/* "station" or "county" */
	char village[16];	/* station: its village code */
	char division[16];	/* county code */
	int schema;		/* schema version of the copy */
	char created[32];	/* ISO UTC time of the backup */
	uint64_t size;		/* bytes of the database copy */
};

/* Write a backup of db into the folder dir (created when missing) as
 * "<village or county code>-<YYYYMMDDTHHMMSSZ>.gqbackup", safely (media.h:
 * temporary name, fsync, read back and checked, rename). The clear copy
 * is made beside the database (mode 0600) and removed at once. The file's
 * path goes into path_out (path_size bytes; may be NULL). Returns GQ_OK,
 * GQ_EINVAL when the database has no keys, GQ_EIO (folder, stick). */
enum gq_status backup_write(struct gq_db *db, const char *dir, char *path_out,
			    size_t path_size, struct gq_err *err);

/* Check the backup file whole (checksum, signature by db's own key,
 * addressed to db, decryption, decompression), then write the database it
 * holds into the new file dest (mode 0600; it must not exist) and check
 * that copy with SQLite's integrity check and that it is this place's.
 * *info gets what the backup says. A damaged, foreign (another station's
 * or county's) or newer-schema file is refused with GQ_ECORRUPT (or
 * GQ_EINVAL) and a message naming the file and the reason; dest is then
 * removed. */
enum gq_status backup_open(struct gq_db *db, const char *file, const char *dest,
			   struct backup_info *info, struct gq_err *err);

/* Put the checked copy restored (from backup_open(), in the same folder
 * as db_path) in the place of the database db_path, which nobody may have
 * open: the current database (and its -wal/-shm) is first renamed aside
 * to "<db_path>.before-restore-<YYYYMMDDTHHMMSSZ>", whose path goes into
 * aside (aside_size bytes). On failure the current database is back where
 * it was. */
enum gq_status backup_swap_in(const char *db_path, const char *restored,
			      char *aside, size_t aside_size, struct gq_err *err);

#endif
