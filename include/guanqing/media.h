/* media.h - safe writing to removable media, listing and finding sticks.
 *
 * A USB stick can be pulled out mid-write, fill up, be read-only, be FAT32
 * (4 GiB per file, no atomic rename) or lie about what it stored. A file is
 * therefore written under a temporary name in the same folder (".NAME.
 * XXXXXX.tmp", mode 0600), flushed and fsync'd, read back from the device
 * and checked, and only then renamed to its final name, after which the
 * folder is fsync'd. Readers ignore temporary names, so a half-written file
 * is never taken for a whole one, and a failure leaves any earlier file of
 * the same name as it was.
 */
#ifndef GUANQING_MEDIA_H
#define GUANQING_MEDIA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "guanqing/err.h"

/* A list of strings, sorted where the producer says so. The list owns its
 * strings. */
struct media_list {
	char **items;
	size_t nr;
	size_t alloc;
};

#define MEDIA_LIST_INIT { NULL, 0, 0 }

void media_list_init(struct media_list *l);
/* Free every string and the array; leaves an empty list. NULL allowed. */
void media_list_release(struct media_list *l);

/* Writes the file's contents to f (open for writing, positioned at 0).
 * Returns GQ_OK, or a status with err filled; media_write_atomic then
 * throws the temporary file away and passes the status on. */
typedef enum gq_status (*media_write_fn)(FILE *f, void *ctx,
					 struct gq_err *err);

/* Checks the written file at path (the temporary name, already on the
 * device) before it gets its final name, e.g. with bundle_check(). */
typedef enum gq_status (*media_verify_fn)(const char *path, void *ctx,
					  struct gq_err *err);

/* Write dir/final_name safely: create a temporary file in dir (mode 0600),
 * let write() fill it, fflush and fsync it, read it back from the device
 * (the page cache dropped first) and compare it with what was written,
 * call verify() when it is not NULL, rename it to final_name and fsync
 * dir. final_name is a plain name: no "/", not starting with ".". ctx is
 * passed to both callbacks.
 * Returns GQ_OK once the file is on the device under its final name.
 * On any failure the temporary file is removed, an existing file named
 * final_name is left untouched, and the status is GQ_EIO with a message
 * naming the folder and file and the system's reason (full, read-only,
 * removed, too large for FAT32...), GQ_EINVAL for a bad name, or the
 * callback's own status and message. */
enum gq_status media_write_atomic(const char *dir, const char *final_name,
				  media_write_fn write, media_verify_fn verify,
				  void *ctx, struct gq_err *err);

/* Whether name is a temporary file of media_write_atomic (starts with "."
 * and ends with ".tmp"). */
int media_is_temp_name(const char *name);

/* Remove from dir the temporary files of media_write_atomic
 * (".NAME.XXXXXX.tmp", regular files, not links) last modified before
 * *before: what writes that were stopped left behind. media_write_atomic
 * does so itself before it writes. Returns how many were removed. */
struct timespec;
int media_remove_stale_temps(const char *dir, const struct timespec *before);

/* The largest file the file system holding dir can take: 4 GiB - 1 on
 * FAT (vfat, msdos), otherwise UINT64_MAX. Give it to
 * bundle_writer_set_max_size(). */
uint64_t media_max_file_size(const char *dir);

/* List the regular files in dir whose names end with suffix (e.g. ".gqb";
 * NULL or "" for all), leaving out hidden and temporary files and
 * symbolic links, into *out
 * (names only, sorted by strcmp; appended to what *out holds). Returns
 * GQ_OK, GQ_ENOTFOUND when dir does not exist, GQ_EIO when it cannot be
 * read. */
enum gq_status media_list_files(const char *dir, const char *suffix,
				struct media_list *out, struct gq_err *err);

/* Find mounted removable media: every mount point listed in
 * /proc/self/mounts at /media/X, /media/USER/X, /run/media/X or
 * /run/media/USER/X that is a folder, and configured (may be NULL) when it
 * is an existing folder, mounted or not (the place set it on purpose).
 * Full paths go into *out: configured first, then the others sorted. Zero
 * or several results are for the caller to report. Returns GQ_OK, or
 * GQ_EIO when the mount table cannot be read. */
enum gq_status media_find_removable(const char *configured,
				    struct media_list *out,
				    struct gq_err *err);

/* media_find_removable() with the mount table file (format of
 * /proc/self/mounts, octal escapes such as \040 decoded) and the roots
 * (NULL-terminated, e.g. { "/media", "/run/media", NULL }) given: for
 * tests and unusual systems. */
enum gq_status media_find_removable_in(const char *mounts_file,
				       const char *const *roots,
				       const char *configured,
				       struct media_list *out,
				       struct gq_err *err);

#endif
