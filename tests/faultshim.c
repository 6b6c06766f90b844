/* faultshim.c - an LD_PRELOAD library for the crash and fault tests.
 *
 * Built for tests only (tests/faultshim.so). It counts the program's file
 * system calls and, at the Nth one, kills the program or makes the call
 * fail, so that tests/crash.sh can stop guanqing at every point of an
 * add, an export or an import. The environment says what to do:
 *
 *   GQF_OPS     the calls that count, a comma-separated list of
 *               open, read, write, fsync, rename, unlink, mkdir, truncate,
 *               close (default: write,fsync,rename,unlink,truncate)
 *   GQF_PATH    count only calls on paths containing this text (e.g. the
 *               stick's folder); default every path but /proc, /dev, /sys
 *   GQF_AT      the number of the call to act on (1 = the first); unset or
 *               0: only count
 *   GQF_ACTION  kill        SIGKILL before the call
 *               kill-after  SIGKILL right after the call returned
 *               powercut    as kill, and first every file's content goes
 *                           back to what it was at its last fsync or
 *                           fdatasync (a power cut, or a stick that lies
 *                           about its cache): writes not followed by a
 *                           sync of their file are lost
 *               eio, enospc, eacces   the call fails with that error
 *               stall       the call waits GQF_STALL_MS (default 3000) ms
 *                           first: an import held inside its transaction
 *   GQF_STICKY  with an error action: every counted call from the Nth on
 *               fails (a stick that stays broken), not just the Nth
 *   GQF_COUNT   a file to which the total number of counted calls is
 *               written at exit (to learn how many points there are)
 *   GQF_LOG     a file to which each counted call is appended (number,
 *               call, path), for finding a point by hand
 *
 * The power-cut model is the one of SQLite's crash test (test6.c): data
 * written to a file and not synced does not survive. A file opened for
 * writing is remembered as it was; every fsync/fdatasync of it remembers
 * it anew; the crash puts each remembered file back (a file that did not
 * exist and was never synced is left empty). Directory entries are taken
 * as durable. Only files opened through open()/openat() and written with
 * write()/pwrite()/fwrite() are tracked; that covers SQLite's database
 * and WAL, which are what a power cut endangers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum op { OP_OPEN, OP_READ, OP_WRITE, OP_FSYNC, OP_RENAME, OP_UNLINK, OP_MKDIR,
	  OP_TRUNCATE, OP_CLOSE, OP_MAX };
static const char *const op_names[OP_MAX] = {
	"open", "read", "write", "fsync", "rename", "unlink", "mkdir", "truncate", "close"
};

enum action { ACT_COUNT, ACT_KILL, ACT_KILL_AFTER, ACT_POWERCUT, ACT_ERROR, ACT_STALL };

static int inited, counting[OP_MAX], act, act_errno, sticky, in_shim;
static long at, count, stall_ms;
static const char *path_filter, *count_file, *log_file;

/* The real functions. */
static int (*r_open)(const char *, int, ...);
static int (*r_open64)(const char *, int, ...);
static int (*r_openat)(int, const char *, int, ...);
static int (*r_openat64)(int, const char *, int, ...);
static ssize_t (*r_read)(int, void *, size_t);
static ssize_t (*r_pread)(int, void *, size_t, off_t);
static ssize_t (*r_pread64)(int, void *, size_t, off64_t);
static ssize_t (*r_write)(int, const void *, size_t);
static ssize_t (*r_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*r_pwrite64)(int, const void *, size_t, off64_t);
static size_t (*r_fread)(void *, size_t, size_t, FILE *);
static size_t (*r_fwrite)(const void *, size_t, size_t, FILE *);
static int (*r_fflush)(FILE *);
static int (*r_fsync)(int);
static int (*r_fdatasync)(int);
static int (*r_rename)(const char *, const char *);
static int (*r_unlink)(const char *);
static int (*r_mkdir)(const char *, mode_t);
static int (*r_ftruncate)(int, off_t);
static int (*r_ftruncate64)(int, off64_t);
static int (*r_close)(int);

/* ---- the power-cut memory: each tracked file's last synced content ---- */

struct tracked {
	char *path;
	unsigned char *data;	/* NULL with existed = 0: did not exist */
	size_t len;
	int existed;
};
static struct tracked *files;
static size_t nfiles, afiles;

static struct tracked *find_tracked(const char *path)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		if (!strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}

/* Read the whole file at path with the real calls; -1 when absent. */
static int slurp(const char *path, unsigned char **data, size_t *len)
{
	int fd = r_open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 65536, n = 0;
	unsigned char *buf;
	ssize_t k;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	buf = malloc(cap);
	if (!buf) {
		r_close(fd);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			unsigned char *p = realloc(buf, cap * 2);

			if (!p)
				break;
			buf = p;
			cap *= 2;
		}
		k = r_pread(fd, buf + n, cap - n, (off_t)n);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	r_close(fd);
	*data = buf;
	*len = n;
	return 0;
}

/* Paths of the system, never counted nor tracked (/dev/shm is a place
 * for files like any other). */
static int system_path(const char *path)
{
	return !strncmp(path, "/proc/", 6) || !strncmp(path, "/sys/", 5) ||
	       (!strncmp(path, "/dev/", 5) && strncmp(path, "/dev/shm/", 9));
}

static int trackable(const char *path)
{
	return path && path[0] == '/' && !system_path(path) && !strstr(path, "-shm");
}

/* Remember path as it is now (its durable state), if not yet tracked or
 * when again is set (after a sync). */
static void remember(const char *path, int again)
{
	struct tracked *t;

	if (act != ACT_POWERCUT || !trackable(path))
		return;
	t = find_tracked(path);
	if (t && !again)
		return;
	if (!t) {
		if (nfiles == afiles) {
			size_t n = afiles ? 2 * afiles : 32;
			struct tracked *p = realloc(files, n * sizeof(*p));

			if (!p)
				return;
			files = p;
			afiles = n;
		}
		t = &files[nfiles++];
		memset(t, 0, sizeof(*t));
		t->path = strdup(path);
	}
	free(t->data);
	t->existed = slurp(path, &t->data, &t->len) == 0;
}

static void forget(const char *path)
{
	struct tracked *t = find_tracked(path);

	if (!t)
		return;
	free(t->path);
	free(t->data);
	*t = files[--nfiles];
}

static void rename_tracked(const char *from, const char *to)
{
	struct tracked *t;

	forget(to);
	t = find_tracked(from);
	if (t) {
		char *p = strdup(to);

		if (p) {
			free(t->path);
			t->path = p;
		}
	}
}

/* The power cut: every tracked file back to its last synced state. */
static void cut_power(void)
{
	size_t i;

	for (i = 0; i < nfiles; i++) {
		struct tracked *t = &files[i];
		int fd = r_open(t->path, O_WRONLY | O_CLOEXEC);
		size_t off = 0;

		if (fd < 0)
			continue;
		r_ftruncate(fd, 0);
		while (t->existed && off < t->len) {
			ssize_t k = r_pwrite(fd, t->data + off, t->len - off, (off_t)off);

			if (k <= 0)
				break;
			off += (size_t)k;
		}
		r_fsync(fd);
		r_close(fd);
	}
}

/* ---- counting and acting ---- */

static void init(void)
{
	const char *s;

	if (inited)
		return;
	inited = 1;
#define LOOK(v, name) v = dlsym(RTLD_NEXT, name)
	LOOK(r_open, "open");
	LOOK(r_open64, "open64");
	LOOK(r_openat, "openat");
	LOOK(r_openat64, "openat64");
	LOOK(r_read, "read");
	LOOK(r_pread, "pread");
	LOOK(r_pread64, "pread64");
	LOOK(r_write, "write");
	LOOK(r_pwrite, "pwrite");
	LOOK(r_pwrite64, "pwrite64");
	LOOK(r_fread, "fread");
	LOOK(r_fwrite, "fwrite");
	LOOK(r_fflush, "fflush");
	LOOK(r_fsync, "fsync");
	LOOK(r_fdatasync, "fdatasync");
	LOOK(r_rename, "rename");
	LOOK(r_unlink, "unlink");
	LOOK(r_mkdir, "mkdir");
	LOOK(r_ftruncate, "ftruncate");
	LOOK(r_ftruncate64, "ftruncate64");
	LOOK(r_close, "close");
#undef LOOK
	s = getenv("GQF_OPS");
	if (!s || !*s)
		s = "write,fsync,rename,unlink,truncate";
	{
		int i;

		for (i = 0; i < OP_MAX; i++) {
			const char *p = strstr(s, op_names[i]);
			size_t n = strlen(op_names[i]);

			while (p) {
				if ((p == s || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
					counting[i] = 1;
					break;
				}
				p = strstr(p + 1, op_names[i]);
			}
			if (!strcmp(s, "all"))
				counting[i] = 1;
		}
	}
	path_filter = getenv("GQF_PATH");
	if (path_filter && !*path_filter)
		path_filter = NULL;
	count_file = getenv("GQF_COUNT");
	log_file = getenv("GQF_LOG");
	s = getenv("GQF_STALL_MS");
	stall_ms = s ? atol(s) : 3000;
	s = getenv("GQF_AT");
	at = s ? atol(s) : 0;
	sticky = getenv("GQF_STICKY") && *getenv("GQF_STICKY") && strcmp(getenv("GQF_STICKY"), "0");
	s = getenv("GQF_ACTION");
	act = ACT_COUNT;
	if (s && !strcmp(s, "kill"))
		act = ACT_KILL;
	else if (s && !strcmp(s, "kill-after"))
		act = ACT_KILL_AFTER;
	else if (s && !strcmp(s, "powercut"))
		act = ACT_POWERCUT;
	else if (s && !strcmp(s, "stall"))
		act = ACT_STALL;
	else if (s && !strcmp(s, "eio"))
		act = ACT_ERROR, act_errno = EIO;
	else if (s && !strcmp(s, "enospc"))
		act = ACT_ERROR, act_errno = ENOSPC;
	else if (s && !strcmp(s, "eacces"))
		act = ACT_ERROR, act_errno = EACCES;
	if (at <= 0 && act != ACT_POWERCUT)
		act = ACT_COUNT;
}

__attribute__((constructor)) static void shim_start(void)
{
	init();
}

__attribute__((destructor)) static void shim_end(void)
{
	if (count_file) {
		int fd = r_open(count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd >= 0) {
			char buf[32];
			int n = snprintf(buf, sizeof(buf), "%ld\n", count);

			r_write(fd, buf, (size_t)n);
			r_close(fd);
		}
	}
}

static void fd_path(int fd, char *out, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
}

static void die(void)
{
	if (act == ACT_POWERCUT)
		cut_power();
	kill(getpid(), SIGKILL);
	_exit(137);
}

/* Decide on a call: 0 go on, 1 fail it with errno set. Kills do not
 * return. after is set on the second look of a kill-after. */
static int decide(enum op op, const char *path)
{
	long n;

	init();
	if (in_shim || !counting[op])
		return 0;
	if (!path || !*path || system_path(path) || (path_filter && !strstr(path, path_filter)))
		return 0;
	n = ++count;
	if (log_file) {
		FILE *f;

		in_shim = 1;
		f = fopen(log_file, "a");
		if (f) {
			fprintf(f, "%ld %s %s\n", n, op_names[op], path);
			fclose(f);
		}
		in_shim = 0;
	}
	if (act == ACT_COUNT || at <= 0)
		return 0;
	if (n == at && (act == ACT_KILL || act == ACT_POWERCUT))
		die();
	if (n == at && act == ACT_STALL) {
		struct timespec ts = { stall_ms / 1000, (stall_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (act == ACT_ERROR && (n == at || (sticky && n > at))) {
		errno = act_errno;
		return 1;
	}
	return 0;
}

static void after(long n_before)
{
	if (act == ACT_KILL_AFTER && count == at && n_before != count)
		die();
}

#define FD_PATH(fd, buf) char buf[4096]; fd_path(fd, buf, sizeof(buf))

/* ---- the wrapped calls ---- */

static int do_open(int (*real)(const char *, int, ...), int dirfd, const char *path, int flags,
		   mode_t mode, int at_form)
{
	char full[4096];
	long before;
	int fd;

	init();
	if (path && path[0] != '/' && !in_shim) {
		char cwd[2048];

		if (at_form && dirfd != AT_FDCWD) {
			FD_PATH(dirfd, d);
			snprintf(full, sizeof(full), "%s/%s", d, path);
		} else if (getcwd(cwd, sizeof(cwd))) {
			snprintf(full, sizeof(full), "%s/%s", cwd, path);
		} else {
			snprintf(full, sizeof(full), "%s", path);
		}
	} else {
		snprintf(full, sizeof(full), "%s", path ? path : "");
	}
	before = count;
	if (decide(OP_OPEN, full))
		return -1;
	if (!in_shim && (flags & (O_WRONLY | O_RDWR)))
		remember(full, 0);
	if (at_form)
		fd = ((int (*)(int, const char *, int, ...))(void *)real)(dirfd, path, flags, mode);
	else
		fd = real(path, flags, mode);
	after(before);
	return fd;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	init();
	return do_open(r_open, AT_FDCWD, path, flags, mode, 0);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	init();
	return do_open(r_open64 ? r_open64 : r_open, AT_FDCWD, path, flags, mode, 0);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	init();
	return do_open((int (*)(const char *, int, ...))(void *)r_openat, dirfd, path, flags, mode, 1);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	init();
	return do_open((int (*)(const char *, int, ...))(void *)(r_openat64 ? r_openat64 : r_openat),
		       dirfd, path, flags, mode, 1);
}

#define WRAP_FD(ret, name, op, call, pre)					\
	{								\
		long before;						\
		ret r;							\
		init();							\
		if (in_shim)						\
			return call;					\
		{							\
			FD_PATH(fd, p);					\
			before = count;					\
			if (decide(op, p))				\
				return -1;				\
			pre;						\
		}							\
		r = call;						\
		after(before);						\
		return r;						\
	}

ssize_t read(int fd, void *buf, size_t n)
WRAP_FD(ssize_t, read, OP_READ, r_read(fd, buf, n), (void)0)

ssize_t pread(int fd, void *buf, size_t n, off_t off)
WRAP_FD(ssize_t, pread, OP_READ, r_pread(fd, buf, n, off), (void)0)

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
WRAP_FD(ssize_t, pread64, OP_READ, (r_pread64 ? r_pread64(fd, buf, n, off) : r_pread(fd, buf, n, (off_t)off)), (void)0)

ssize_t write(int fd, const void *buf, size_t n)
WRAP_FD(ssize_t, write, OP_WRITE, r_write(fd, buf, n), remember(p, 0))

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
WRAP_FD(ssize_t, pwrite, OP_WRITE, r_pwrite(fd, buf, n, off), remember(p, 0))

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
WRAP_FD(ssize_t, pwrite64, OP_WRITE, (r_pwrite64 ? r_pwrite64(fd, buf, n, off) : r_pwrite(fd, buf, n, (off_t)off)),
	remember(p, 0))

int ftruncate(int fd, off_t len)
WRAP_FD(int, ftruncate, OP_TRUNCATE, r_ftruncate(fd, len), remember(p, 0))

int ftruncate64(int fd, off64_t len)
WRAP_FD(int, ftruncate64, OP_TRUNCATE, (r_ftruncate64 ? r_ftruncate64(fd, len) : r_ftruncate(fd, (off_t)len)),
	remember(p, 0))

int close(int fd)
WRAP_FD(int, close, OP_CLOSE, r_close(fd), (void)0)

int fsync(int fd)
{
	long before;
	int r;

	init();
	if (in_shim)
		return r_fsync(fd);
	{
		FD_PATH(fd, p);
		before = count;
		if (decide(OP_FSYNC, p))
			return -1;
		r = r_fsync(fd);
		if (r == 0)
			remember(p, 1);
	}
	after(before);
	return r;
}

int fdatasync(int fd)
{
	long before;
	int r;

	init();
	if (in_shim)
		return r_fdatasync(fd);
	{
		FD_PATH(fd, p);
		before = count;
		if (decide(OP_FSYNC, p))
			return -1;
		r = r_fdatasync(fd);
		if (r == 0)
			remember(p, 1);
	}
	after(before);
	return r;
}

/* stdio calls inside glibc do not go through write(); count fwrite and
 * fread themselves, and mark the stream's error as a real failure does. */
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
	long before;
	size_t r;

	init();
	if (in_shim || !f)
		return r_fwrite(buf, size, n, f);
	{
		FD_PATH(fileno(f), p);
		before = count;
		if (decide(OP_WRITE, p)) {
			f->_flags |= _IO_ERR_SEEN;
			return 0;
		}
		remember(p, 0);
	}
	r = r_fwrite(buf, size, n, f);
	after(before);
	return r;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
	long before;
	size_t r;

	init();
	if (in_shim || !f)
		return r_fread(buf, size, n, f);
	{
		FD_PATH(fileno(f), p);
		before = count;
		if (decide(OP_READ, p)) {
			f->_flags |= _IO_ERR_SEEN;
			return 0;
		}
	}
	r = r_fread(buf, size, n, f);
	after(before);
	return r;
}

int fflush(FILE *f)
{
	long before;
	int r;

	init();
	if (in_shim || !f)
		return r_fflush(f);
	{
		FD_PATH(fileno(f), p);
		before = count;
		if (decide(OP_WRITE, p)) {
			f->_flags |= _IO_ERR_SEEN;
			return EOF;
		}
	}
	r = r_fflush(f);
	after(before);
	return r;
}

static void absolute(const char *path, char *out, size_t size)
{
	char cwd[2048];

	if (path && path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		snprintf(out, size, "%s/%s", cwd, path);
	else
		snprintf(out, size, "%s", path ? path : "");
}

int rename(const char *from, const char *to)
{
	char a[4096], b[4096];
	long before;
	int r;

	init();
	if (in_shim)
		return r_rename(from, to);
	absolute(from, a, sizeof(a));
	absolute(to, b, sizeof(b));
	before = count;
	if (decide(OP_RENAME, b))
		return -1;
	r = r_rename(from, to);
	if (r == 0)
		rename_tracked(a, b);
	after(before);
	return r;
}

int unlink(const char *path)
{
	char a[4096];
	long before;
	int r;

	init();
	if (in_shim)
		return r_unlink(path);
	absolute(path, a, sizeof(a));
	before = count;
	if (decide(OP_UNLINK, a))
		return -1;
	r = r_unlink(path);
	if (r == 0)
		forget(a);
	after(before);
	return r;
}

int mkdir(const char *path, mode_t mode)
{
	char a[4096];
	long before;
	int r;

	init();
	if (in_shim)
		return r_mkdir(path, mode);
	absolute(path, a, sizeof(a));
	before = count;
	if (decide(OP_MKDIR, a))
		return -1;
	r = r_mkdir(path, mode);
	after(before);
	return r;
}
