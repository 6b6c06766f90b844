/* kit.c - the signed install kit on the stick (kit.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/kit.h"
#include "guanqing/media.h"
#include "guanqing/paths.h"
#include "guanqing/sync.h"

#define KIT_MAGIC "guanqing-kit 1"
#define KIT_MANIFEST_MAX (1024 * 1024)
#define KIT_MAX_PACKAGES 64
#define HASH_BYTES 32

/* ---- small helpers ---- */

/* Run argv (argv[0] looked up in PATH) in cwd (NULL: here) with its
 * standard output into out (may be NULL) and its errors into errout (may
 * be NULL); returns the exit status, or -1 when it could not run. */
static int run_capture(char *const argv[], const char *cwd, struct strbuf *out,
		       struct strbuf *errout)
{
	int po[2], pe[2], status;
	pid_t pid;
	char buf[4096];
	ssize_t n;

	if (pipe(po) != 0)
		return -1;
	if (pipe(pe) != 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		close(po[0]);
		close(pe[0]);
		if (cwd && chdir(cwd) != 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	/* Each command here writes little: read standard output, then the
	 * errors (a pipe holds 64 KiB, more than their messages). */
	while ((n = read(po[0], buf, sizeof(buf))) > 0)
		if (out)
			strbuf_add(out, buf, (size_t)n);
	while ((n = read(pe[0], buf, sizeof(buf))) > 0)
		if (errout)
			strbuf_add(errout, buf, (size_t)n);
	close(po[0]);
	close(pe[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int from_hex(const char *s, unsigned char *b, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdef", s[2 * i]) ||
		    !strchr("0123456789abcdef", s[2 * i + 1]))
			return -1;
		b[i] = (unsigned char)v;
	}
	return 0;
}

/* BLAKE2b-256 of the file at path, in hex, and its size. */
static enum gq_status hash_file(const char *path, char hex[2 * HASH_BYTES + 1], unsigned long long *size,
				struct gq_err *err)
{
	crypto_generichash_state st;
	unsigned char buf[65536], h[HASH_BYTES];
	FILE *f = fopen(path, "rb");
	size_t n;

	*size = 0;
	if (!f)
		return gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), path, strerror(errno));
	crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		crypto_generichash_update(&st, buf, n);
		*size += n;
	}
	if (ferror(f)) {
		fclose(f);
		return gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), path, strerror(errno));
	}
	fclose(f);
	crypto_generichash_final(&st, h, HASH_BYTES);
	to_hex(h, HASH_BYTES, hex);
	return GQ_OK;
}

static enum gq_status read_small(const char *path, size_t max, struct strbuf *out, struct gq_err *err)
{
	FILE *f = fopen(path, "rb");
	char buf[4096];
	size_t n;

	if (!f)
		return gq_err_set(err, errno == ENOENT ? GQ_ENOTFOUND : GQ_EIO, _("Cannot read %s: %s."), path,
				  strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		strbuf_add(out, buf, n);
		if (out->len > max) {
			fclose(f);
			return gq_err_set(err, GQ_ECORRUPT, _("%s is larger than %zu bytes."), path, max);
		}
	}
	fclose(f);
	return GQ_OK;
}

enum gq_status kit_read_key(const char *path, unsigned char key[KEYS_SIGN_PUBLIC_BYTES],
			    struct gq_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	enum gq_status rc = read_small(path, 4096, &sb, err);

	if (rc == GQ_OK) {
		sb.buf[strcspn(sb.buf, "\r\n")] = '\0';
		rc = keys_from_text(KEYS_SIGN_PUBLIC, sb.buf, key, path, err);
	}
	strbuf_release(&sb);
	return rc;
}

/* ---- writing ---- */

struct copy_ctx {
	const char *from;
	const char *text;	/* or a text to write */
	size_t text_len;
};

static enum gq_status write_copy(FILE *f, void *vctx, struct gq_err *err)
{
	struct copy_ctx *x = vctx;
	char buf[65536];
	FILE *in;
	size_t n;

	if (x->text) {
		if (fwrite(x->text, 1, x->text_len, f) != x->text_len)
			return gq_err_set(err, GQ_EIO, _("Cannot write %s: %s."), "kit", strerror(errno));
		return GQ_OK;
	}
	in = fopen(x->from, "rb");
	if (!in)
		return gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), x->from, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, f) != n) {
			fclose(in);
			return gq_err_set(err, GQ_EIO, _("Cannot write %s: %s."), x->from, strerror(errno));
		}
	if (ferror(in)) {
		fclose(in);
		return gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), x->from, strerror(errno));
	}
	fclose(in);
	return GQ_OK;
}

static enum gq_status put_file(const char *dir, const char *name, const char *from, const char *text,
			       size_t len, struct gq_err *err)
{
	struct copy_ctx x = { from, text, len };

	return media_write_atomic(dir, name, write_copy, NULL, &x, err);
}

/* The fields of a .deb (dpkg-deb -f). */
struct deb {
	char name[128];
	char version[128];
	char arch[32];
	char path[4200];	/* where it is now */
	char file[512];		/* its name in the kit */
	char depends[4200];	/* Pre-Depends, Depends */
};

static void field_value(const char *text, const char *field, char *out, size_t size)
{
	size_t fl = strlen(field);
	const char *p = text;
	struct strbuf sb = STRBUF_INIT;

	out[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, field, fl) && p[fl] == ':') {
			const char *v = p + fl + 1;

			v += strspn(v, " \t");
			for (;;) {
				size_t n = strcspn(v, "\n");

				strbuf_add(&sb, v, n);
				v += n;
				if (*v == '\n' && (v[1] == ' ' || v[1] == '\t')) {
					v++;
					continue;
				}
				break;
			}
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	snprintf(out, size, "%s", sb.buf);
	strbuf_release(&sb);
}

static enum gq_status deb_read(const char *path, struct deb *d, struct gq_err *err)
{
	char *argv[] = { (char *)"dpkg-deb", (char *)"-f", (char *)path, NULL };
	struct strbuf out = STRBUF_INIT, errs = STRBUF_INIT;
	char pre[2048], dep[2048];
	const char *base;
	int st;

	memset(d, 0, sizeof(*d));
	st = run_capture(argv, NULL, &out, &errs);
	if (st != 0) {
		gq_err_set(err, GQ_EINVAL, _("%s is not a Debian package that dpkg-deb can read: %s"), path,
			   st < 0 ? _("dpkg-deb cannot be run") : errs.buf);
		strbuf_release(&out);
		strbuf_release(&errs);
		return GQ_EINVAL;
	}
	field_value(out.buf, "Package", d->name, sizeof(d->name));
	field_value(out.buf, "Version", d->version, sizeof(d->version));
	field_value(out.buf, "Architecture", d->arch, sizeof(d->arch));
	field_value(out.buf, "Pre-Depends", pre, sizeof(pre));
	field_value(out.buf, "Depends", dep, sizeof(dep));
	snprintf(d->depends, sizeof(d->depends), "%s%s%s", pre, *pre && *dep ? ", " : "", dep);
	snprintf(d->path, sizeof(d->path), "%s", path);
	base = strrchr(path, '/');
	snprintf(d->file, sizeof(d->file), "%s", base ? base + 1 : path);
	strbuf_release(&out);
	strbuf_release(&errs);
	if (!d->name[0] || !d->version[0])
		return gq_err_set(err, GQ_EINVAL, _("%s is not a Debian package that dpkg-deb can read: %s"),
				  path, _("it names no package or version"));
	return GQ_OK;
}

/* The .deb of package name for arch (or "all") in dir: of the names
 * NAME_VERSION_ARCH.deb, the last in byte order (a folder normally holds
 * one version). */
static int find_deb(const char *dir, const char *name, const char *arch, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char best[1024] = "";
	size_t nl = strlen(name);

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name, *tail;
		size_t len = strlen(n);
		char suf1[64], suf2[] = "_all.deb";

		snprintf(suf1, sizeof(suf1), "_%s.deb", arch);
		if (strncmp(n, name, nl) || n[nl] != '_')
			continue;
		tail = strrchr(n, '_');
		if (!tail || tail == n + nl)
			continue;
		if (strcmp(tail, suf1) && strcmp(tail, suf2))
			continue;
		/* The version part holds no "_": NAME_VERSION_ARCH.deb. */
		if (memchr(n + nl + 1, '_', (size_t)(tail - n - nl - 1)))
			continue;
		if (len < sizeof(best) && (!best[0] || strcmp(n, best) > 0))
			snprintf(best, sizeof(best), "%s", n);
	}
	closedir(d);
	if (!best[0])
		return 0;
	return snprintf(out, size, "%s/%s", dir, best) < (int)size;
}

struct closure {
	struct deb pkg[KIT_MAX_PACKAGES];
	size_t n;
	const struct kit_options *opt;
	const char *arch;
	const char *download;	/* a folder for apt-get download */
	struct strbuf *report;
};

static int closure_has(const struct closure *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->pkg[i].name, name))
			return 1;
	return 0;
}

static enum gq_status closure_add(struct closure *c, const char *path, int depth, struct gq_err *err);

/* Each dependency of d (its first alternative; version and architecture
 * qualifiers dropped), found or fetched, then d itself: dependencies come
 * before what needs them. */
static enum gq_status closure_deps(struct closure *c, const struct deb *d, int depth, struct gq_err *err)
{
	char deps[4200], *tok, *save = NULL;
	enum gq_status rc = GQ_OK;

	snprintf(deps, sizeof(deps), "%s", d->depends);
	for (tok = strtok_r(deps, ",", &save); tok && rc == GQ_OK; tok = strtok_r(NULL, ",", &save)) {
		char name[128], path[4096];
		size_t n;

		tok += strspn(tok, " \t\n");
		n = strcspn(tok, " \t\n(|:");
		if (!n || n >= sizeof(name))
			continue;
		memcpy(name, tok, n);
		name[n] = '\0';
		if (closure_has(c, name))
			continue;
		if (!find_deb(c->opt->debs ? c->opt->debs : ".", name, c->arch, path, sizeof(path)) &&
		    !find_deb(c->download, name, c->arch, path, sizeof(path))) {
			char spec[200];
			char *argv[] = { (char *)"apt-get", (char *)"download", (char *)"-q", spec, NULL };
			struct strbuf errs = STRBUF_INIT;
			int st = -1;

			snprintf(spec, sizeof(spec), "%s:%s", name, c->arch);
			if (!c->opt->no_download)
				st = run_capture(argv, c->download, NULL, &errs);
			if (st != 0 || !find_deb(c->download, name, c->arch, path, sizeof(path))) {
				rc = gq_err_set(err, GQ_ENOTFOUND,
						_("The package %s for %s (needed by %s) is not in %s and cannot be fetched with apt-get download%s%s"),
						name, c->arch, d->name, c->opt->debs ? c->opt->debs : ".",
						errs.len ? ": " : ".", errs.len ? errs.buf : "");
				strbuf_release(&errs);
				break;
			}
			strbuf_release(&errs);
			strbuf_addf(c->report, _("Fetched %s for %s with apt-get download.\n"), name, c->arch);
		}
		rc = closure_add(c, path, depth + 1, err);
	}
	return rc;
}

static enum gq_status closure_add(struct closure *c, const char *path, int depth, struct gq_err *err)
{
	struct deb d;
	enum gq_status rc;

	if (depth > 32 || c->n >= KIT_MAX_PACKAGES)
		return gq_err_set(err, GQ_EINVAL, _("guanqing's dependencies for %s are more than %d packages."),
				  c->arch, KIT_MAX_PACKAGES);
	rc = deb_read(path, &d, err);
	if (rc != GQ_OK || closure_has(c, d.name))
		return rc;
	/* Mark it first, so that a cycle of dependencies ends. */
	c->pkg[c->n] = d;
	c->n++;
	rc = closure_deps(c, &d, depth, err);
	if (rc == GQ_OK) {
		/* Move it after the dependencies just added. */
		size_t i;

		for (i = 0; i < c->n && strcmp(c->pkg[i].name, d.name); i++)
			;
		if (i < c->n) {
			struct deb keep = c->pkg[i];

			memmove(&c->pkg[i], &c->pkg[i + 1], (c->n - i - 1) * sizeof(c->pkg[0]));
			c->pkg[c->n - 1] = keep;
		}
	}
	return rc;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4200];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return errno == ENOENT;
	while (empty && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

enum gq_status kit_write(struct gq_db *db, const struct kit_options *opt,
			 struct strbuf *report, struct gq_err *err)
{
	struct keys_own keys;
	struct strbuf man = STRBUF_INIT, archs_done = STRBUF_INIT;
	struct closure *c = NULL;
	char archs[128], *arch, *save = NULL, path[8600], hex[2 * HASH_BYTES + 1];
	char script[4200], keytext[KEYS_TEXT_MAX], fp[KEYS_FINGERPRINT_SIZE], download[4200];
	char sighex[2 * crypto_sign_BYTES + 1], now[32];
	unsigned char sig[crypto_sign_BYTES];
	unsigned long long size;
	enum gq_status rc;
	const char *version = NULL;
	size_t i;

	if (db->role != DB_ROLE_COUNTY)
		return gq_err_set(err, GQ_EPERM, _("The install kit is made at the county, signed with its key."));
	if (!opt->out || !*opt->out)
		return gq_err_set(err, GQ_EUSAGE, _("No folder was given for the kit (--out DIR)."));
	if (!dir_is_empty(opt->out))
		return gq_err_set(err, GQ_EEXIST, _("The folder %s is not empty: give a new folder for the kit."),
				  opt->out);
	rc = sync_load_own_keys(db, &keys, err);
	if (rc != GQ_OK)
		return rc;
	if (opt->script)
		snprintf(script, sizeof(script), "%s", opt->script);
	else
		snprintf(script, sizeof(script), "%s/kit-install.sh", paths_data_dir());
	if (access(script, R_OK) != 0) {
		rc = gq_err_set(err, GQ_ENOTFOUND, _("The install script %s is missing: %s."), script,
				strerror(errno));
		goto done;
	}
	mkdir(opt->out, 0755);
	snprintf(download, sizeof(download), "%s/.download", opt->out);
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
		goto done;
	}
	clock_iso(clock_now_ms(), now, sizeof(now));
	strbuf_addf(&man, KIT_MAGIC "\n");
	keys_to_text(KEYS_SIGN_PUBLIC, keys.pub.sign, keytext);
	/* The files common to all architectures. */
	rc = put_file(opt->out, KIT_SCRIPT, script, NULL, 0, err);
	if (rc == GQ_OK) {
		char line[KEYS_TEXT_MAX + 2];

		snprintf(line, sizeof(line), "%s\n", keytext);
		rc = put_file(opt->out, KIT_KEY_FILE, NULL, line, strlen(line), err);
	}
	snprintf(archs, sizeof(archs), "%s", opt->archs ? opt->archs : "amd64,i386");
	for (arch = strtok_r(archs, ",", &save); arch && rc == GQ_OK; arch = strtok_r(NULL, ",", &save)) {
		char sub[4200];

		memset(c, 0, sizeof(*c));
		c->opt = opt;
		c->arch = arch;
		c->download = download;
		c->report = report;
		remove_tree(download);
		mkdir(download, 0700);
		if (!find_deb(opt->debs ? opt->debs : ".", "guanqing", arch, path, sizeof(path))) {
			rc = gq_err_set(err, GQ_ENOTFOUND,
					_("There is no guanqing package for %s in %s: build it with \"make deb\" (for i386 on an i386 system or with dpkg-buildpackage -ai386)."),
					arch, opt->debs ? opt->debs : ".");
			break;
		}
		rc = closure_add(c, path, 0, err);
		if (rc == GQ_OK && strcmp(c->pkg[c->n - 1].name, "guanqing"))
			rc = gq_err_set(err, GQ_EINVAL, _("%s is not the guanqing package."), path);
		if (rc != GQ_OK)
			break;
		if (!version)
			version = strdup(c->pkg[c->n - 1].version);
		else if (strcmp(version, c->pkg[c->n - 1].version)) {
			rc = gq_err_set(err, GQ_EINVAL,
					_("The guanqing packages are of different versions (%s and %s): a kit holds one version."),
					version, c->pkg[c->n - 1].version);
			break;
		}
		snprintf(sub, sizeof(sub), "%s/%s", opt->out, arch);
		mkdir(sub, 0755);
		for (i = 0; i < c->n && rc == GQ_OK; i++) {
			rc = put_file(sub, c->pkg[i].file, c->pkg[i].path, NULL, 0, err);
			snprintf(path, sizeof(path), "%s/%s", sub, c->pkg[i].file);
			if (rc == GQ_OK)
				rc = hash_file(path, hex, &size, err);
			if (rc == GQ_OK)
				strbuf_addf(&man, "file %s %llu %s/%s\n", hex, size, arch, c->pkg[i].file);
		}
		if (rc == GQ_OK)
			strbuf_addf(report, _("%s: guanqing %s and %zu packages it needs.\n"), arch,
				    c->pkg[c->n - 1].version, c->n - 1);
		strbuf_addf(&archs_done, "%s%s", archs_done.len ? " " : "", arch);
	}
	remove_tree(download);
	if (rc == GQ_OK) {
		struct strbuf head = STRBUF_INIT;

		/* The header lines first, then the script and the key, then
		 * the packages in their order. */
		strbuf_addf(&head, KIT_MAGIC "\nversion %s\narchitectures %s\ncounty %s\nmade %s\nsigner %s\n",
			    version, archs_done.buf, db->division, now, keytext);
		snprintf(path, sizeof(path), "%s/%s", opt->out, KIT_SCRIPT);
		rc = hash_file(path, hex, &size, err);
		if (rc == GQ_OK)
			strbuf_addf(&head, "file %s %llu %s\n", hex, size, KIT_SCRIPT);
		snprintf(path, sizeof(path), "%s/%s", opt->out, KIT_KEY_FILE);
		if (rc == GQ_OK)
			rc = hash_file(path, hex, &size, err);
		if (rc == GQ_OK)
			strbuf_addf(&head, "file %s %llu %s\n", hex, size, KIT_KEY_FILE);
		strbuf_addstr(&head, man.buf + strlen(KIT_MAGIC "\n"));
		strbuf_release(&man);
		man = head;
	}
	if (rc == GQ_OK) {
		crypto_sign_detached(sig, NULL, (const unsigned char *)man.buf, man.len, keys.sign_secret);
		to_hex(sig, sizeof(sig), sighex);
		rc = put_file(opt->out, KIT_MANIFEST, NULL, man.buf, man.len, err);
	}
	if (rc == GQ_OK) {
		char line[sizeof(sighex) + 2];

		snprintf(line, sizeof(line), "%s\n", sighex);
		rc = put_file(opt->out, KIT_SIGNATURE, NULL, line, strlen(line), err);
	}
	if (rc == GQ_OK) {
		keys_fingerprint(keys.pub.sign, sizeof(keys.pub.sign), fp);
		strbuf_addf(report, _("Kit %s: guanqing %s, signed with the county's key %s.\n"), opt->out,
			    version, fp);
	}
done:
	free((char *)version);
	free(c);
	strbuf_release(&man);
	strbuf_release(&archs_done);
	keys_release(&keys);
	return rc;
}

/* ---- verifying ---- */

static enum gq_status kit_refuse(struct gq_err *err, const char *dir, const char *why)
{
	size_t n = strlen(why);

	/* A whole sentence given as the reason loses its full stop. */
	if (n && why[n - 1] == '.')
		n--;
	return gq_err_set(err, GQ_ECORRUPT, _("The kit %s is refused: %.*s."), dir, (int)n, why);
}

/* A path in the manifest: relative, plain names, no "..". */
static int safe_path(const char *p)
{
	const char *s;

	if (!*p || *p == '/' || strstr(p, "//"))
		return 0;
	for (s = p; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("._+-~/%", *s)))
			return 0;
	return !strstr(p, "..") && p[0] != '.';
}

struct listed {
	char **paths;
	size_t n;
};

static int is_listed(const struct listed *l, const char *p)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->paths[i], p))
			return 1;
	return 0;
}

/* Every file under dir/rel must be in the manifest (or be it). */
static enum gq_status check_extra(const char *top, const char *rel, const struct listed *l,
				  struct gq_err *err)
{
	char path[8600], sub[4200], why[4400];
	DIR *d;
	struct dirent *e;
	enum gq_status rc = GQ_OK;

	snprintf(path, sizeof(path), "%s%s%s", top, *rel ? "/" : "", rel);
	d = opendir(path);
	if (!d)
		return gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), path, strerror(errno));
	while (rc == GQ_OK && (e = readdir(d)) != NULL) {
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(path, sizeof(path), "%s/%s", top, sub);
		if (lstat(path, &sb) != 0) {
			rc = gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), path, strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			rc = check_extra(top, sub, l, err);
		} else if (!*rel && (!strcmp(sub, KIT_MANIFEST) || !strcmp(sub, KIT_SIGNATURE))) {
			continue;
		} else if (!S_ISREG(sb.st_mode) || !is_listed(l, sub)) {
			snprintf(why, sizeof(why), _("%s is not in its manifest"), sub);
			rc = kit_refuse(err, top, why);
		}
	}
	closedir(d);
	return rc;
}

enum gq_status kit_verify(const char *dir, const unsigned char key[KEYS_SIGN_PUBLIC_BYTES],
			  struct strbuf *report, struct gq_err *err)
{
	struct strbuf man = STRBUF_INIT, sigt = STRBUF_INIT;
	struct listed l = { NULL, 0 };
	unsigned char sig[crypto_sign_BYTES], signer[KEYS_SIGN_PUBLIC_BYTES];
	char path[4200], why[4400], fp[KEYS_FINGERPRINT_SIZE], fp2[KEYS_FINGERPRINT_SIZE];
	char version[128] = "", archs[128] = "";
	enum gq_status rc;
	struct gq_err e;
	char *line, *save = NULL;
	size_t nfiles = 0, i;

	gq_err_clear(&e);
	rc = keys_crypto_init(err);
	if (rc != GQ_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, KIT_MANIFEST);
	rc = read_small(path, KIT_MANIFEST_MAX, &man, &e);
	if (rc != GQ_OK) {
		rc = kit_refuse(err, dir, e.msg);
		goto done;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, KIT_SIGNATURE);
	rc = read_small(path, 4096, &sigt, &e);
	if (rc != GQ_OK) {
		rc = kit_refuse(err, dir, e.msg);
		goto done;
	}
	sigt.buf[strcspn(sigt.buf, "\r\n")] = '\0';
	if (strncmp(man.buf, KIT_MAGIC "\n", strlen(KIT_MAGIC) + 1)) {
		rc = kit_refuse(err, dir, _("its MANIFEST is not a guanqing kit manifest"));
		goto done;
	}
	/* Who says they signed it: another county's kit is named as such. */
	{
		const char *s = strstr(man.buf, "\nsigner ");
		char text[KEYS_TEXT_MAX];

		if (!s || sscanf(s + 8, "%111s", text) != 1 ||
		    keys_from_text(KEYS_SIGN_PUBLIC, text, signer, KIT_MANIFEST, &e) != GQ_OK) {
			rc = kit_refuse(err, dir, _("its MANIFEST names no signer"));
			goto done;
		}
	}
	keys_fingerprint(key, KEYS_SIGN_PUBLIC_BYTES, fp);
	keys_fingerprint(signer, KEYS_SIGN_PUBLIC_BYTES, fp2);
	if (sodium_memcmp(signer, key, KEYS_SIGN_PUBLIC_BYTES) != 0) {
		snprintf(why, sizeof(why), _("it is signed with the key %s, not with this county's key %s"), fp2,
			 fp);
		rc = kit_refuse(err, dir, why);
		goto done;
	}
	if (from_hex(sigt.buf, sig, sizeof(sig)) != 0 ||
	    crypto_sign_verify_detached(sig, (const unsigned char *)man.buf, man.len, key) != 0) {
		rc = kit_refuse(err, dir, _("the signature of its MANIFEST does not verify (the manifest was changed or the signature forged)"));
		goto done;
	}
	/* Signed: now every line is the county's word. */
	for (line = strtok_r(man.buf, "\n", &save); line && rc == GQ_OK; line = strtok_r(NULL, "\n", &save)) {
		char hex[2 * HASH_BYTES + 2], name[1024], got[2 * HASH_BYTES + 1];
		unsigned long long size, have;

		if (!strncmp(line, "version ", 8))
			snprintf(version, sizeof(version), "%s", line + 8);
		else if (!strncmp(line, "architectures ", 14))
			snprintf(archs, sizeof(archs), "%s", line + 14);
		if (strncmp(line, "file ", 5))
			continue;
		if (sscanf(line + 5, "%65s %llu %1023s", hex, &size, name) != 3 || strlen(hex) != 2 * HASH_BYTES ||
		    !safe_path(name)) {
			snprintf(why, sizeof(why), _("its MANIFEST has a malformed line: %s"), line);
			rc = kit_refuse(err, dir, why);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		{
			struct stat sb;

			if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
				snprintf(why, sizeof(why), _("%s is missing"), name);
				rc = kit_refuse(err, dir, why);
				break;
			}
		}
		rc = hash_file(path, got, &have, &e);
		if (rc != GQ_OK) {
			rc = kit_refuse(err, dir, e.msg);
			break;
		}
		if (have != size || strcmp(got, hex)) {
			snprintf(why, sizeof(why), _("%s is not the file the county signed (size or BLAKE2b hash differs)"),
				 name);
			rc = kit_refuse(err, dir, why);
			break;
		}
		{
			char **np = realloc(l.paths, (l.n + 1) * sizeof(*np));

			if (!np) {
				rc = gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
				break;
			}
			l.paths = np;
			l.paths[l.n++] = strdup(name);
		}
		nfiles++;
	}
	if (rc == GQ_OK)
		rc = check_extra(dir, "", &l, err);
	if (rc == GQ_OK)
		strbuf_addf(report, _("Kit %s: guanqing %s for %s, %zu files, signed with the county's key %s: verified.\n"),
			    dir, version, archs, nfiles, fp);
done:
	for (i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	strbuf_release(&man);
	strbuf_release(&sigt);
	return rc;
}
