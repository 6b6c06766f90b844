/* media.c - safe writes to removable media, listing, finding sticks. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/media.h"
#include "guanqing/strbuf.h"
#include "guanqing/xalloc.h"

#define FAT_SUPER_MAGIC 0x4d44	/* MSDOS_SUPER_MAGIC: vfat and msdos */
#define FAT_MAX_FILE UINT64_C(0xFFFFFFFF)
#define TEMP_SUFFIX ".tmp"
#define READ_BUF 65536

void media_list_init(struct media_list *l)
{
	l->items = NULL;
	l->nr = 0;
	l->alloc = 0;
}

void media_list_release(struct media_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	media_list_init(l);
}

/* Append a copy of s. Allocation failure ends the program (xalloc.h). */
static void list_add(struct media_list *l, const char *s)
{
	if (l->nr == l->alloc) {
		size_t n = l->alloc ? 2 * l->alloc : 16;
		char **p = xreallocarray(l->items, n, sizeof(*p));

		l->items = p;
		l->alloc = n;
	}
	l->items[l->nr] = xstrdup(s);
	l->nr++;
}

static int list_has(const struct media_list *l, size_t from, const char *s)
{
	size_t i;

	for (i = from; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_sort_from(struct media_list *l, size_t from)
{
	if (l->nr > from + 1)
		qsort(l->items + from, l->nr - from, sizeof(*l->items), cmp_str);
}

int media_is_temp_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n > strlen(TEMP_SUFFIX) && name[0] == '.' &&
	       !strcmp(name + n - strlen(TEMP_SUFFIX), TEMP_SUFFIX);
}

uint64_t media_max_file_size(const char *dir)
{
	struct statfs sf;

	if (dir && statfs(dir, &sf) == 0 && sf.f_type == FAT_SUPER_MAGIC)
		return FAT_MAX_FILE;
	return UINT64_MAX;
}

/* What an errno most likely means for someone holding a USB stick. */
static const char *stick_hint(int e)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return _("the stick is full");
	case EROFS:
		return _("the stick is read-only; check its lock switch");
	case EFBIG:
		return _("the file is too large for this stick (FAT32 holds at most 4 GiB per file)");
	case ENOENT:
	case ENODEV:
	case ENXIO:
	case EIO:
	case ESTALE:
		return _("was the stick removed?");
	case EACCES:
	case EPERM:
		return _("this user may not write there");
	default:
		return NULL;
	}
}

/* The steps of a safe write, each with its whole message. */
enum io_step {
	STEP_CREATE,
	STEP_WRITE,
	STEP_READ_BACK,
	STEP_RENAME,
	STEP_SYNC_DIR,
};

/* Fill err with the step's message, the system's reason and a hint. */
static enum gq_status io_fail(struct gq_err *err, enum io_step step,
			      const char *dir, const char *name, int e)
{
	const char *hint = stick_hint(e);
	char why[512];

	if (hint)
		snprintf(why, sizeof(why), "%s (%s)", strerror(e), hint);
	else
		snprintf(why, sizeof(why), "%s", strerror(e));
	switch (step) {
	case STEP_CREATE:
		return gq_err_set(err, GQ_EIO,
				  _("Could not create a temporary file for %s in the folder %s: %s."),
				  name, dir, why);
	case STEP_WRITE:
		return gq_err_set(err, GQ_EIO,
				  _("Could not write %s in the folder %s: %s."),
				  name, dir, why);
	case STEP_READ_BACK:
		return gq_err_set(err, GQ_EIO,
				  _("Could not read back %s in the folder %s: %s."),
				  name, dir, why);
	case STEP_RENAME:
		return gq_err_set(err, GQ_EIO,
				  _("Could not give %s its final name in the folder %s: %s."),
				  name, dir, why);
	case STEP_SYNC_DIR:
		return gq_err_set(err, GQ_EIO,
				  _("Could not make sure that the name %s is stored in the folder %s: %s."),
				  name, dir, why);
	}
	return GQ_EIO;
}

/* BLAKE2b-256 of the whole file behind fd, read with pread. */
static int hash_fd(int fd, unsigned char out[32], uint64_t *size)
{
	crypto_generichash_state st;
	unsigned char *buf = malloc(READ_BUF);
	off_t off = 0;
	ssize_t n;

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	crypto_generichash_init(&st, NULL, 0, 32);
	for (;;) {
		n = pread(fd, buf, READ_BUF, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		crypto_generichash_update(&st, buf, (size_t)n);
		off += n;
	}
	crypto_generichash_final(&st, out, 32);
	*size = (uint64_t)off;
	free(buf);
	return 0;
}

/* Whether name is one of our temporary names with its random part:
 * ".NAME.XXXXXX.tmp". */
static int own_temp_name(const char *name)
{
	size_t n = strlen(name), k = strlen(TEMP_SUFFIX), i;

	if (!media_is_temp_name(name) || n < 1 + 1 + 1 + 6 + k)
		return 0;
	for (i = n - k - 6; i < n - k; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return name[n - k - 7] == '.';
}

int media_remove_stale_temps(const char *dir, const struct timespec *before)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	int removed = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!own_temp_name(de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (st.st_mtim.tv_sec > before->tv_sec ||
		    (st.st_mtim.tv_sec == before->tv_sec && st.st_mtim.tv_nsec >= before->tv_nsec))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

static int name_ok(const char *name)
{
	return name && *name && name[0] != '.' && !strchr(name, '/');
}

enum gq_status media_write_atomic(const char *dir, const char *final_name,
				  media_write_fn write, media_verify_fn verify,
				  void *ctx, struct gq_err *err)
{
	struct strbuf tmp = STRBUF_INIT, dst = STRBUF_INIT;
	unsigned char h1[32], h2[32];
	uint64_t s1 = 0, s2 = 0;
	struct stat st;
	struct timespec start;
	FILE *f = NULL;
	int fd = -1, dfd = -1, made = 0, e;
	enum gq_status rc = GQ_OK;

	clock_gettime(CLOCK_REALTIME, &start);
	rc = keys_crypto_init(err);
	if (rc != GQ_OK)
		return rc;
	if (!dir || !*dir || !name_ok(final_name) || !write)
		return gq_err_set(err, GQ_EINVAL,
				  _("Cannot write \"%s\" in the folder \"%s\": a plain file name not starting with \".\" is needed."),
				  final_name ? final_name : "", dir ? dir : "");
	if (stat(dir, &st) != 0)
		return gq_err_set(err, GQ_EIO,
				  _("The folder %s cannot be used: %s (%s)."), dir,
				  strerror(errno),
				  errno == ENOENT ? _("was the stick removed?")
						  : _("check the stick"));
	if (!S_ISDIR(st.st_mode))
		return gq_err_set(err, GQ_EIO, _("%s is not a folder."), dir);

	/* Temporary files of earlier writes that were stopped (killed, the
	 * power cut) would pile up on the stick: ours, older than this write,
	 * go. */
	media_remove_stale_temps(dir, &start);
	strbuf_addf(&tmp, "%s/.%s.XXXXXX%s", dir, final_name, TEMP_SUFFIX);
	strbuf_addf(&dst, "%s/%s", dir, final_name);
	fd = mkstemps(tmp.buf, (int)strlen(TEMP_SUFFIX));
	if (fd < 0) {
		rc = io_fail(err, STEP_CREATE, dir,
			     final_name, errno);
		goto out;
	}
	/* mkstemps creates the file with mode 0600 whatever the umask. No
	 * fchmod: vfat refuses mode changes it cannot store (EPERM). */
	made = 1;
	f = fdopen(fd, "w+b");
	if (!f) {
		rc = io_fail(err, STEP_WRITE, dir, final_name, errno);
		goto out;
	}
	fd = -1;
	errno = 0;
	rc = write(f, ctx, err);
	/* A failed fwrite leaves its errno behind; the callback returns
	 * right after it. A stdio error is the stick's fault, whatever the
	 * callback made of it: say so with the folder and the reason. */
	e = errno;
	if (ferror(f)) {
		rc = io_fail(err, STEP_WRITE, dir, final_name, e ? e : EIO);
		goto out;
	}
	if (rc != GQ_OK)
		goto out;
	if (fflush(f) != 0) {
		rc = io_fail(err, STEP_WRITE, dir, final_name, errno ? errno : EIO);
		goto out;
	}
	if (fsync(fileno(f)) != 0) {
		rc = io_fail(err, STEP_WRITE, dir, final_name, errno);
		goto out;
	}
	/* Read it back from the device, not from memory: drop the cached
	 * pages first (a best effort; kept pages read back the same). A fake
	 * or failing stick returns other bytes than it was given. */
	if (hash_fd(fileno(f), h1, &s1) != 0) {
		rc = io_fail(err, STEP_READ_BACK, dir, final_name, errno);
		goto out;
	}
	posix_fadvise(fileno(f), 0, 0, POSIX_FADV_DONTNEED);
	if (hash_fd(fileno(f), h2, &s2) != 0) {
		rc = io_fail(err, STEP_READ_BACK, dir, final_name, errno);
		goto out;
	}
	if (s1 != s2 || sodium_memcmp(h1, h2, sizeof(h1)) != 0) {
		rc = gq_err_set(err, GQ_EIO,
				_("The file %s in the folder %s reads back differently from what was written: the stick may be faulty or fake. Use another stick."),
				final_name, dir);
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = io_fail(err, STEP_WRITE, dir, final_name, errno);
		goto out;
	}
	f = NULL;
	if (verify) {
		rc = verify(tmp.buf, ctx, err);
		if (rc != GQ_OK)
			goto out;
	}
	if (rename(tmp.buf, dst.buf) != 0) {
		rc = io_fail(err, STEP_RENAME, dir, final_name,
			     errno);
		goto out;
	}
	made = 0;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || (fsync(dfd) != 0 && errno != EINVAL)) {
		/* The data is there but the new name may not survive a pull
		 * of the stick: say so rather than "safe to remove". */
		rc = io_fail(err, STEP_SYNC_DIR, dir, final_name, errno);
		goto out;
	}
	if (stat(dst.buf, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size != s1) {
		rc = gq_err_set(err, GQ_EIO,
				_("The file %s in the folder %s is not there as written after renaming it (was the stick removed?)."),
				final_name, dir);
		goto out;
	}
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (made)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&dst);
	return rc;
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = suffix ? strlen(suffix) : 0;

	return n >= k && !strcmp(name + n - k, suffix ? suffix : "");
}

enum gq_status media_list_files(const char *dir, const char *suffix,
				struct media_list *out, struct gq_err *err)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	size_t from = out->nr;

	d = opendir(dir);
	if (!d)
		return gq_err_set(err, errno == ENOENT ? GQ_ENOTFOUND : GQ_EIO,
				  _("Could not read the folder %s: %s."), dir,
				  strerror(errno));
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] == '.' || media_is_temp_name(de->d_name) ||
		    !has_suffix(de->d_name, suffix))
			continue;
		/* A symbolic link is not followed: it may lead off the stick. */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		list_add(out, de->d_name);
	}
	if (errno) {
		int e = errno;

		closedir(d);
		return gq_err_set(err, GQ_EIO, _("Could not read the folder %s: %s."),
				  dir, strerror(e));
	}
	closedir(d);
	list_sort_from(out, from);
	return GQ_OK;
}

/* Decode the octal escapes of a /proc/mounts field (\040 for a space) in
 * place. */
static void unescape_mount(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/* Whether path is root/X or root/USER/X. */
static int under_root(const char *path, const char *root)
{
	size_t n = strlen(root);
	const char *rest, *slash;

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strncmp(path, root, n) != 0 || path[n] != '/')
		return 0;
	rest = path + n + 1;
	if (!*rest || *rest == '/')
		return 0;
	slash = strchr(rest, '/');
	if (!slash)
		return 1;
	return slash[1] && slash[1] != '/' && !strchr(slash + 1, '/');
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

enum gq_status media_find_removable_in(const char *mounts_file,
				       const char *const *roots,
				       const char *configured,
				       struct media_list *out,
				       struct gq_err *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, from;
	ssize_t n;

	if (configured && *configured && is_dir(configured))
		list_add(out, configured);
	from = out->nr;
	f = fopen(mounts_file, "r");
	if (!f)
		return gq_err_set(err, GQ_EIO,
				  _("Could not read the list of mounted file systems %s: %s."),
				  mounts_file, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *save = NULL, *mnt;
		size_t i;

		if (!strtok_r(line, " \t\n", &save))
			continue;
		mnt = strtok_r(NULL, " \t\n", &save);
		if (!mnt)
			continue;
		unescape_mount(mnt);
		for (i = 0; roots && roots[i]; i++) {
			if (!under_root(mnt, roots[i]) || !is_dir(mnt))
				continue;
			if (!list_has(out, 0, mnt))
				list_add(out, mnt);
			break;
		}
	}
	free(line);
	fclose(f);
	list_sort_from(out, from);
	return GQ_OK;
}

enum gq_status media_find_removable(const char *configured,
				    struct media_list *out,
				    struct gq_err *err)
{
	static const char *const roots[] = { "/media", "/run/media", NULL };

	return media_find_removable_in("/proc/self/mounts", roots, configured,
				       out, err);
}
