/* test_media.c - safe writes, listing bundle files, finding sticks. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "guanqing/bundle.h"
#include "guanqing/err.h"
#include "guanqing/keys.h"
#include "guanqing/media.h"

static char top[64];

static const char text[] = "商城县赤城街道城关社区：留守儿童走访记录 12 条\n";

static int setup(void **state)
{
	(void)state;
	strcpy(top, "/tmp/gq-media-XXXXXX");
	return mkdtemp(top) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh folder under top. */
static char *folder(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", top, name);
	mkdir(buf[i], 0755);
	return buf[i];
}

static void put_file(const char *dir, const char *name, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

static char *get_file(const char *dir, const char *name)
{
	static char buf[4096];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* How many directory entries dir holds (. and .. left out). */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static enum gq_status write_text(FILE *f, void *ctx, struct gq_err *err)
{
	(void)ctx;
	if (fputs(text, f) < 0)
		return gq_err_set(err, GQ_EIO, "fputs");
	return GQ_OK;
}

struct seen {
	char path[512];
	char content[4096];
	int calls;
};

static enum gq_status verify_record(const char *path, void *ctx,
				    struct gq_err *err)
{
	struct seen *s = ctx;
	FILE *f = fopen(path, "rb");
	size_t n;

	(void)err;
	s->calls++;
	snprintf(s->path, sizeof(s->path), "%s", path);
	assert_non_null(f);
	n = fread(s->content, 1, sizeof(s->content) - 1, f);
	s->content[n] = '\0';
	fclose(f);
	return GQ_OK;
}

static void test_write_atomic(void **state)
{
	char *dir = folder("stick");
	struct seen seen = { .calls = 0 };
	const char *base;
	struct stat st;
	struct gq_err e;
	mode_t old = umask(0);	/* the temporary file is 0600 whatever the umask */

	(void)state;
	assert_int_equal(media_write_atomic(dir, "城关社区-0001.gqb", write_text,
					    verify_record, &seen, &e), GQ_OK);
	umask(old);
	assert_string_equal(get_file(dir, "城关社区-0001.gqb"), text);
	assert_int_equal(entries(dir), 1);

	/* The verifier saw the temporary file, whole, in the same folder. */
	assert_int_equal(seen.calls, 1);
	assert_string_equal(seen.content, text);
	assert_int_equal(strncmp(seen.path, dir, strlen(dir)), 0);
	base = seen.path + strlen(dir) + 1;
	assert_true(media_is_temp_name(base));
	assert_non_null(strstr(base, "城关社区-0001.gqb"));

	{
		char path[512];

		snprintf(path, sizeof(path), "%s/城关社区-0001.gqb", dir);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
	}

	/* Writing again replaces the file; no verifier needed. */
	assert_int_equal(media_write_atomic(dir, "城关社区-0001.gqb", write_text,
					    NULL, NULL, &e), GQ_OK);
	assert_int_equal(entries(dir), 1);
}

static enum gq_status write_nothing(FILE *f, void *ctx, struct gq_err *err)
{
	(void)f;
	(void)ctx;
	(void)err;
	return GQ_OK;
}

static void test_write_empty(void **state)
{
	char *dir = folder("empty");
	struct gq_err e;

	(void)state;
	assert_int_equal(media_write_atomic(dir, "空.gqb", write_nothing, NULL,
					    NULL, &e), GQ_OK);
	assert_string_equal(get_file(dir, "空.gqb"), "");
}

static enum gq_status write_fails(FILE *f, void *ctx, struct gq_err *err)
{
	(void)ctx;
	fputs("半截", f);
	return gq_err_set(err, GQ_EINVAL, "记录 7 无法导出。");
}

static enum gq_status verify_fails(const char *path, void *ctx,
				   struct gq_err *err)
{
	(void)ctx;
	return gq_err_set(err, GQ_ECORRUPT, "The file %s does not check out.", path);
}

static void test_failures_leave_old_file(void **state)
{
	char *dir = folder("keep");
	struct gq_err e;

	(void)state;
	put_file(dir, "b.gqb", "旧的");

	/* The writer fails: its status and message come back. */
	assert_int_equal(media_write_atomic(dir, "b.gqb", write_fails, NULL, NULL, &e),
			 GQ_EINVAL);
	assert_string_equal(e.msg, "记录 7 无法导出。");
	assert_string_equal(get_file(dir, "b.gqb"), "旧的");
	assert_int_equal(entries(dir), 1);

	/* The verifier fails. */
	assert_int_equal(media_write_atomic(dir, "b.gqb", write_text, verify_fails,
					    NULL, &e), GQ_ECORRUPT);
	assert_non_null(strstr(e.msg, ".b.gqb."));
	assert_string_equal(get_file(dir, "b.gqb"), "旧的");
	assert_int_equal(entries(dir), 1);
}

static enum gq_status write_big(FILE *f, void *ctx, struct gq_err *err)
{
	static char block[8192];
	int i;

	(void)ctx;
	(void)err;
	memset(block, 'x', sizeof(block));
	/* fwrite may or may not see the error; fflush and fsync will. */
	for (i = 0; i < 128; i++)
		if (fwrite(block, 1, sizeof(block), f) != sizeof(block))
			break;
	return GQ_OK;
}

static void test_full_stick(void **state)
{
	char *dir = folder("full");
	struct rlimit old, lim;
	struct gq_err e;
	enum gq_status rc;

	(void)state;
	put_file(dir, "c.gqb", "上一次的");
	/* A file size limit stands for a full stick: tests run as root, for
	 * whom permissions stop nothing. Writes then fail with EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 65536;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = media_write_atomic(dir, "c.gqb", write_big, NULL, NULL, &e);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);

	assert_int_equal(rc, GQ_EIO);
	assert_non_null(strstr(e.msg, dir));
	assert_non_null(strstr(e.msg, "c.gqb"));
	assert_non_null(strstr(e.msg, strerror(EFBIG)));
	assert_non_null(strstr(e.msg, "FAT32"));
	assert_string_equal(get_file(dir, "c.gqb"), "上一次的");
	assert_int_equal(entries(dir), 1);
}

static char *vanish_dir;

/* Pull the stick out while writing: the folder goes away. */
static enum gq_status write_and_vanish(FILE *f, void *ctx, struct gq_err *err)
{
	char cmd[512];

	(void)ctx;
	(void)err;
	fputs(text, f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", vanish_dir);
	assert_int_equal(system(cmd), 0);
	return GQ_OK;
}

static void test_vanished_folder(void **state)
{
	char *dir = folder("gone");
	struct gq_err e;

	(void)state;
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(media_write_atomic(dir, "d.gqb", write_text, NULL, NULL, &e),
			 GQ_EIO);
	assert_non_null(strstr(e.msg, dir));
	assert_non_null(strstr(e.msg, "removed"));

	dir = folder("pulled");
	vanish_dir = dir;
	assert_int_equal(media_write_atomic(dir, "d.gqb", write_and_vanish, NULL,
					    NULL, &e), GQ_EIO);
	assert_non_null(strstr(e.msg, dir));
	assert_non_null(strstr(e.msg, "d.gqb"));
	assert_non_null(strstr(e.msg, strerror(ENOENT)));
	assert_int_equal(access(dir, F_OK), -1);

	/* A file where the folder should be. */
	dir = folder("notdir");
	rmdir(dir);
	put_file(top, "notdir", "x");
	assert_int_equal(media_write_atomic(dir, "d.gqb", write_text, NULL, NULL, &e),
			 GQ_EIO);
	assert_non_null(strstr(e.msg, "not a folder"));
}

static void test_bad_names(void **state)
{
	char *dir = folder("names");
	struct gq_err e;

	(void)state;
	assert_int_equal(media_write_atomic(dir, "", write_text, NULL, NULL, &e), GQ_EINVAL);
	assert_int_equal(media_write_atomic(dir, ".hidden", write_text, NULL, NULL, &e),
			 GQ_EINVAL);
	assert_int_equal(media_write_atomic(dir, "a/b.gqb", write_text, NULL, NULL, &e),
			 GQ_EINVAL);
	assert_non_null(strstr(e.msg, "a/b.gqb"));
	assert_int_equal(media_write_atomic(dir, NULL, write_text, NULL, NULL, &e), GQ_EINVAL);
	assert_int_equal(media_write_atomic(NULL, "x.gqb", write_text, NULL, NULL, &e),
			 GQ_EINVAL);
	assert_int_equal(media_write_atomic(dir, "x.gqb", NULL, NULL, NULL, &e), GQ_EINVAL);
	assert_int_equal(entries(dir), 0);
}

/* ---- A real bundle through the safe write ---- */

#define STATION_ID "6f1c2d9e-4b7a-4c1e-9a55-0d3e8f1b2c47"
#define COUNTY_ID "0b8e7f3a-1c2d-4e5f-8a9b-7c6d5e4f3a2b"

struct export {
	struct keys_own station, county;
	uint64_t max;
	int big;		/* add 256 KiB of incompressible records */
};

static enum gq_status write_bundle_cb(FILE *f, void *ctx, struct gq_err *err)
{
	struct export *x = ctx;
	struct bundle_writer *w = NULL;
	struct bundle_header h;
	enum gq_status rc;

	bundle_header_init(&h);
	strcpy(h.sender, STATION_ID);
	strcpy(h.recipient, COUNTY_ID);
	h.number = 1;
	h.schema_version = 1;
	rc = bundle_writer_open(&w, f, &h, &x->station, &x->county.pub, NULL, err);
	if (rc == GQ_OK) {
		bundle_writer_set_max_size(w, x->max);
		rc = bundle_writer_add(w, "person|孙八", strlen("person|孙八"), err);
	}
	if (x->big) {
		unsigned char rnd[1024];
		int i;

		for (i = 0; i < 256 && rc == GQ_OK; i++) {
			randombytes_buf(rnd, sizeof(rnd));
			rc = bundle_writer_add(w, rnd, sizeof(rnd), err);
		}
	}
	if (rc == GQ_OK)
		rc = bundle_writer_finish(w, err);
	bundle_writer_free(&w);
	return rc;
}

static enum gq_status check_bundle_cb(const char *path, void *ctx,
				      struct gq_err *err)
{
	struct export *x = ctx;

	return bundle_check(path, &x->station.pub, NULL, NULL, err);
}

static void test_bundle_to_stick(void **state)
{
	char *dir = folder("guanqing");
	char name[BUNDLE_FILE_NAME_SIZE], path[512];
	struct export x;
	struct gq_err e;
	struct media_list l = MEDIA_LIST_INIT;

	(void)state;
	memset(&x, 0, sizeof(x));
	assert_int_equal(keys_generate(&x.station, NULL), GQ_OK);
	assert_int_equal(keys_generate(&x.county, NULL), GQ_OK);
	x.max = media_max_file_size(dir);
	assert_true(x.max >= UINT64_C(0xFFFFFFFF));
	bundle_file_name(STATION_ID, 1, name);
	assert_int_equal(media_write_atomic(dir, name, write_bundle_cb,
					    check_bundle_cb, &x, &e), GQ_OK);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(bundle_verify(path, COUNTY_ID, &x.county, &x.station.pub,
				       NULL, NULL, &e), GQ_OK);
	assert_int_equal(media_list_files(dir, BUNDLE_FILE_SUFFIX, &l, &e), GQ_OK);
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.items[0], name);
	media_list_release(&l);

	/* Too large for the stick: refused, nothing left behind. */
	x.max = 300;
	bundle_file_name(STATION_ID, 2, name);
	assert_int_equal(media_write_atomic(dir, name, write_bundle_cb,
					    check_bundle_cb, &x, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "4 GiB"));
	assert_int_equal(entries(dir), 1);

	/* The stick fills up while the bundle is written: the message names
	 * the folder and the reason, not the writer's inner workings. */
	x.max = UINT64_MAX;
	x.big = 1;
	{
		struct rlimit old, lim;
		enum gq_status rc;

		signal(SIGXFSZ, SIG_IGN);
		assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
		lim = old;
		lim.rlim_cur = 100000;
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
		rc = media_write_atomic(dir, name, write_bundle_cb, check_bundle_cb,
					&x, &e);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
		signal(SIGXFSZ, SIG_DFL);
		assert_int_equal(rc, GQ_EIO);
		assert_non_null(strstr(e.msg, dir));
		assert_non_null(strstr(e.msg, name));
		assert_non_null(strstr(e.msg, strerror(EFBIG)));
	}
	assert_int_equal(entries(dir), 1);
	/* Without the limit the same bundle goes through. */
	assert_int_equal(media_write_atomic(dir, name, write_bundle_cb,
					    check_bundle_cb, &x, &e), GQ_OK);
	assert_int_equal(entries(dir), 2);
	keys_release(&x.station);
	keys_release(&x.county);
}

/* ---- Listing and finding ---- */

static void test_list_files(void **state)
{
	char *dir = folder("list");
	struct media_list l = MEDIA_LIST_INIT;
	struct gq_err e;
	char sub[512];

	(void)state;
	put_file(dir, "b.gqb", "");
	put_file(dir, "a.gqb", "");
	put_file(dir, "城关社区.gqb", "");
	put_file(dir, ".hidden.gqb", "");
	put_file(dir, ".b.gqb.Ab12Cd.tmp", "");
	put_file(dir, "notes.txt", "");
	put_file(dir, "x.gqb.tmp", "");
	snprintf(sub, sizeof(sub), "%s/folder.gqb", dir);
	mkdir(sub, 0755);

	assert_int_equal(media_list_files(dir, ".gqb", &l, &e), GQ_OK);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.items[0], "a.gqb");
	assert_string_equal(l.items[1], "b.gqb");
	assert_string_equal(l.items[2], "城关社区.gqb");
	media_list_release(&l);
	assert_int_equal(l.nr, 0);
	assert_null(l.items);

	assert_int_equal(media_list_files(dir, NULL, &l, &e), GQ_OK);
	assert_int_equal(l.nr, 5);	/* a, b, notes.txt, x.gqb.tmp, 城关社区 */
	media_list_release(&l);

	assert_int_equal(media_list_files(folder("nothing"), ".gqb", &l, &e), GQ_OK);
	assert_int_equal(l.nr, 0);
	snprintf(sub, sizeof(sub), "%s/没有", top);
	assert_int_equal(media_list_files(sub, ".gqb", &l, &e), GQ_ENOTFOUND);
	assert_non_null(strstr(e.msg, "没有"));
	media_list_release(&l);
	media_list_release(NULL);

	assert_true(media_is_temp_name(".b.gqb.Ab12Cd.tmp"));
	assert_false(media_is_temp_name("b.gqb.tmp"));
	assert_false(media_is_temp_name(".tmp"));
	assert_false(media_is_temp_name(".b.gqb"));
	assert_false(media_is_temp_name(""));
	assert_false(media_is_temp_name(NULL));
}

static void test_find_removable(void **state)
{
	char mounts[512], root_media[512], root_run[512], cfg[1024], p[1024];
	const char *roots[3];
	struct media_list l = MEDIA_LIST_INIT;
	struct gq_err e;
	FILE *f;

	(void)state;
	snprintf(root_media, sizeof(root_media), "%s/media", top);
	snprintf(root_run, sizeof(root_run), "%s/run/media", top);
	roots[0] = root_media;
	roots[1] = root_run;
	roots[2] = NULL;
	folder("media");
	folder("media/user");
	folder("media/user/我的U盘");
	folder("media/user/KINGSTON USB");
	folder("media/CDROM");
	folder("media/a");
	folder("media/a/b");
	folder("media/a/b/c");
	folder("run");
	folder("run/media");
	folder("run/media/admin");
	folder("run/media/admin/STICK");
	folder("media/user/unmounted");
	cfg[0] = '\0';

	snprintf(mounts, sizeof(mounts), "%s/mounts", top);
	f = fopen(mounts, "w");
	assert_non_null(f);
	fprintf(f, "/dev/sda1 / ext4 rw,relatime 0 0\n");
	fprintf(f, "proc /proc proc rw 0 0\n");
	fprintf(f, "/dev/sdb1 %s/user/\346\210\221\347\232\204U\347\233\230 vfat rw 0 0\n", root_media);
	fprintf(f, "/dev/sdc1 %s/user/KINGSTON\\040USB vfat rw 0 0\n", root_media);
	fprintf(f, "/dev/sr0 %s/CDROM iso9660 ro 0 0\n", root_media);
	fprintf(f, "/dev/sdd1 %s/user/gone vfat rw 0 0\n", root_media);	/* no folder */
	fprintf(f, "/dev/sde1 %s/a/b/c vfat rw 0 0\n", root_media);		/* too deep */
	fprintf(f, "tmpfs %s tmpfs rw 0 0\n", root_media);			/* the root */
	fprintf(f, "/dev/sdf1 %s/admin/STICK vfat rw 0 0\n", root_run);
	fprintf(f, "/dev/sdf1 %s/admin/STICK vfat rw 0 0\n", root_run);	/* twice */
	fprintf(f, "/dev/sdg1 %sX/user/other vfat rw 0 0\n", root_media);	/* not under */
	fprintf(f, "broken-line\n\n");
	fclose(f);

	assert_int_equal(media_find_removable_in(mounts, roots, NULL, &l, &e), GQ_OK);
	assert_int_equal(l.nr, 4);
	snprintf(p, sizeof(p), "%s/CDROM", root_media);
	assert_string_equal(l.items[0], p);
	snprintf(p, sizeof(p), "%s/user/KINGSTON USB", root_media);
	assert_string_equal(l.items[1], p);
	snprintf(p, sizeof(p), "%s/user/我的U盘", root_media);
	assert_string_equal(l.items[2], p);
	snprintf(p, sizeof(p), "%s/admin/STICK", root_run);
	assert_string_equal(l.items[3], p);
	media_list_release(&l);

	/* A configured folder comes first, mounted or not. */
	snprintf(cfg, sizeof(cfg), "%s/media/user/unmounted", top);
	assert_int_equal(media_find_removable_in(mounts, roots, cfg, &l, &e), GQ_OK);
	assert_int_equal(l.nr, 5);
	assert_string_equal(l.items[0], cfg);
	media_list_release(&l);
	/* ...unless it does not exist. */
	snprintf(cfg, sizeof(cfg), "%s/media/user/没有", top);
	assert_int_equal(media_find_removable_in(mounts, roots, cfg, &l, &e), GQ_OK);
	assert_int_equal(l.nr, 4);
	media_list_release(&l);

	/* No stick at all. */
	f = fopen(mounts, "w");
	fprintf(f, "/dev/sda1 / ext4 rw 0 0\n");
	fclose(f);
	assert_int_equal(media_find_removable_in(mounts, roots, "", &l, &e), GQ_OK);
	assert_int_equal(l.nr, 0);

	/* No mount table. */
	unlink(mounts);
	assert_int_equal(media_find_removable_in(mounts, roots, NULL, &l, &e), GQ_EIO);
	assert_non_null(strstr(e.msg, mounts));

	/* The real system answers, whatever is plugged in. */
	assert_int_equal(media_find_removable(NULL, &l, &e), GQ_OK);
	media_list_release(&l);
	assert_int_equal(media_max_file_size(top), UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_write_empty),
		cmocka_unit_test(test_failures_leave_old_file),
		cmocka_unit_test(test_full_stick),
		cmocka_unit_test(test_vanished_folder),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_bundle_to_stick),
		cmocka_unit_test(test_list_files),
		cmocka_unit_test(test_find_removable),
	};

	return cmocka_run_group_tests_name("media", tests, setup, teardown);
}
