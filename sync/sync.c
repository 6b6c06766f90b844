/* sync.c - enrolment, export and import of bundles (doc/sync.md). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guanqing/bundle.h"
#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/county.h"
#include "guanqing/division.h"
#include "guanqing/duplicates.h"
#include "guanqing/hlc.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/keyslot.h"
#include "guanqing/media.h"
#include "guanqing/merge.h"
#include "guanqing/wire.h"
#include "guanqing/move.h"
#include "guanqing/station.h"
#include "guanqing/sync.h"
#include "guanqing/tables.h"
#include "guanqing/text.h"
#include "guanqing/uid.h"
#include "guanqing/xalloc.h"

#define SETUP_MAGIC "guanqing-setup=1"
/* A sender's clock this far from ours is flagged. */
#define CLOCK_AHEAD_MS HLC_MAX_AHEAD_MS
#define CLOCK_BEHIND_MS (366LL * 24 * 3600 * 1000)

/* Format a path into buf; -1 when it does not fit (a path that long is
 * refused rather than cut). */
__attribute__((format(printf, 3, 4)))
static int pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- keys in the database ---- */

static enum gq_status store_own_keys(struct gq_db *db, const struct keys_own *k,
				     struct gq_err *err)
{
	char text[KEYS_TEXT_MAX], box[KEYS_TEXT_MAX];
	enum gq_status rc;

	keys_to_text(KEYS_SIGN_PUBLIC, k->pub.sign, text);
	rc = db_meta_set(db, "sign_public", text, err);
	keys_to_text(KEYS_BOX_PUBLIC, k->pub.box, text);
	if (rc == GQ_OK)
		rc = db_meta_set(db, "box_public", text, err);
	/* The secret halves sealed, never in clear (keyslot.h). */
	keys_to_text(KEYS_SIGN_SECRET, k->sign_secret, text);
	keys_to_text(KEYS_BOX_SECRET, k->box_secret, box);
	if (rc == GQ_OK)
		rc = keyslot_store(db, text, box, err);
	keys_wipe(text, sizeof(text));
	keys_wipe(box, sizeof(box));
	return rc;
}

static enum gq_status meta_key(struct gq_db *db, const char *name, enum keys_kind kind,
			       unsigned char *out, struct gq_err *err)
{
	char *text = db_meta_get(db, name);
	enum gq_status rc;

	if (!text)
		return gq_err_set(err, GQ_EINVAL,
				  _("Database %s has no keys: a county is made with \"county init\", a station from its setup file with \"station init --setup\"."),
				  db->path);
	rc = keys_from_text(kind, text, out, name, err);
	keys_wipe(text, strlen(text));
	free(text);
	return rc;
}

enum gq_status sync_load_own_keys(struct gq_db *db, struct keys_own *k,
				  struct gq_err *err)
{
	enum gq_status rc;

	memset(k, 0, sizeof(*k));
	rc = meta_key(db, "sign_public", KEYS_SIGN_PUBLIC, k->pub.sign, err);
	if (rc == GQ_OK)
		rc = meta_key(db, "box_public", KEYS_BOX_PUBLIC, k->pub.box, err);
	if (rc == GQ_OK) {
		char sign[KEYS_TEXT_MAX], box[KEYS_TEXT_MAX];

		rc = keyslot_secret_keys(db, sign, box, sizeof(sign), err);
		if (rc == GQ_ENOTFOUND)
			rc = gq_err_set(err, GQ_EINVAL,
					_("Database %s has no keys: a county is made with \"county init\", a station from its setup file with \"station init --setup\"."),
					db->path);
		if (rc == GQ_OK)
			rc = keys_from_text(KEYS_SIGN_SECRET, sign, k->sign_secret, "sign_secret", err);
		if (rc == GQ_OK)
			rc = keys_from_text(KEYS_BOX_SECRET, box, k->box_secret, "box_secret", err);
		keys_wipe(sign, sizeof(sign));
		keys_wipe(box, sizeof(box));
	}
	if (rc == GQ_OK)
		rc = keys_check(k, db->path, err);
	if (rc != GQ_OK)
		keys_release(k);
	return rc;
}

enum gq_status sync_county_keys(struct gq_db *db, struct gq_err *err)
{
	struct keys_own k;
	enum gq_status rc;

	if (db->role != DB_ROLE_COUNTY)
		return gq_err_set(err, GQ_EINVAL, _("Only a county database makes county keys."));
	rc = keys_generate(&k, err);
	if (rc == GQ_OK)
		rc = store_own_keys(db, &k, err);
	keys_release(&k);
	return rc;
}

/* ---- peers ---- */

struct peer {
	char id[UID_LEN + 1];
	char role[16];
	char village[16];
	char status[16];
	struct keys_public pub;
	int64_t sent_number, acked_number, acked_seq, recv_number;
};

static void col_copy(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	text_copy(dst, size, s ? (const char *)s : "");
}

#define PEER_COLUMNS "id, role, village, status, sign_public, box_public, sent_number," \
	" acked_number, acked_seq, recv_number"

static enum gq_status peer_from_row(sqlite3_stmt *st, struct peer *p, struct gq_err *err)
{
	enum gq_status rc;

	memset(p, 0, sizeof(*p));
	col_copy(st, 0, p->id, sizeof(p->id));
	col_copy(st, 1, p->role, sizeof(p->role));
	col_copy(st, 2, p->village, sizeof(p->village));
	col_copy(st, 3, p->status, sizeof(p->status));
	rc = keys_from_text(KEYS_SIGN_PUBLIC, (const char *)sqlite3_column_text(st, 4), p->pub.sign,
			    p->id, err);
	if (rc == GQ_OK)
		rc = keys_from_text(KEYS_BOX_PUBLIC, (const char *)sqlite3_column_text(st, 5), p->pub.box,
				    p->id, err);
	p->sent_number = sqlite3_column_int64(st, 6);
	p->acked_number = sqlite3_column_int64(st, 7);
	p->acked_seq = sqlite3_column_int64(st, 8);
	p->recv_number = sqlite3_column_int64(st, 9);
	return rc;
}

/* The peer with id; GQ_ENOTFOUND when unknown. */
static enum gq_status peer_load(struct gq_db *db, const char *id, struct peer *p,
				struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_prepare(db, "SELECT " PEER_COLUMNS " FROM peer WHERE id = ?1", &st, err);
	int step;

	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		rc = peer_from_row(st, p, err);
	else if (step == SQLITE_DONE)
		rc = GQ_ENOTFOUND;
	else	/* a failing database is not an unknown peer */
		rc = db_error(db, _("reading the stations"), err);
	sqlite3_finalize(st);
	return rc;
}

static enum gq_status peer_insert(struct gq_db *db, const char *id, const char *role,
				  const char *village, const struct keys_public *pub,
				  struct gq_err *err)
{
	char sign[KEYS_TEXT_MAX], box[KEYS_TEXT_MAX], now[32];
	sqlite3_stmt *st;
	enum gq_status rc;

	keys_to_text(KEYS_SIGN_PUBLIC, pub->sign, sign);
	keys_to_text(KEYS_BOX_PUBLIC, pub->box, box);
	clock_iso(clock_now_ms(), now, sizeof(now));
	rc = db_prepare(db, "INSERT INTO peer (id, role, village, sign_public, box_public, enrolled_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	if (village && *village)
		sqlite3_bind_text(st, 3, village, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sign, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, box, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("saving a station"), err);
	sqlite3_finalize(st);
	return rc;
}

/* ---- enrolment ---- */

static void add_line(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "%s=%s\n", key, value);
}

enum gq_status sync_enroll(struct gq_db *db, const char *village,
			   const char *out_dir, char *passphrase,
			   char *path_out, size_t path_size,
			   struct gq_err *err)
{
	struct keys_own county, st;
	struct strbuf plain = STRBUF_INIT;
	char id[UID_LEN + 1], text[KEYS_TEXT_MAX], name[128], file[64];
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	enum gq_status rc;
	sqlite3_stmt *q;
	int fd = -1;

	path_out[0] = '\0';
	if (db->role != DB_ROLE_COUNTY)
		return gq_err_set(err, GQ_EPERM, _("Stations are enrolled at the county database, not at a station."));
	division_name(db, village, name, sizeof(name));
	if (!village || strlen(village) != 12 || !name[0])
		return gq_err_set(err, GQ_EINVAL, _("Village code %s is not a village of this county."),
				  village ? village : "");
	rc = sync_load_own_keys(db, &county, err);
	if (rc != GQ_OK)
		return rc;
	rc = keys_generate(&st, err);
	if (rc != GQ_OK) {
		keys_release(&county);
		return rc;
	}
	uid_new(id);
	add_line(&plain, "", "");
	strbuf_reset(&plain);
	strbuf_addstr(&plain, SETUP_MAGIC "\n");
	add_line(&plain, "station_id", id);
	add_line(&plain, "village", village);
	add_line(&plain, "county_id", db->station_id);
	add_line(&plain, "division", db->division);
	keys_to_text(KEYS_SIGN_PUBLIC, county.pub.sign, text);
	add_line(&plain, "county_sign_public", text);
	keys_to_text(KEYS_BOX_PUBLIC, county.pub.box, text);
	add_line(&plain, "county_box_public", text);
	keys_to_text(KEYS_SIGN_PUBLIC, st.pub.sign, text);
	add_line(&plain, "sign_public", text);
	keys_to_text(KEYS_BOX_PUBLIC, st.pub.box, text);
	add_line(&plain, "box_public", text);
	keys_to_text(KEYS_SIGN_SECRET, st.sign_secret, text);
	add_line(&plain, "sign_secret", text);
	keys_to_text(KEYS_BOX_SECRET, st.box_secret, text);
	add_line(&plain, "box_secret", text);
	keys_wipe(text, sizeof(text));
	keys_passphrase_generate(passphrase);
	rc = keys_setup_seal(passphrase, plain.buf, plain.len, &sealed, &sealed_len, err);
	keys_wipe(plain.buf, plain.len);
	strbuf_release(&plain);

	/* The register first, the file last: a file that cannot be written
	 * rolls the enrolment back. */
	if (rc == GQ_OK)
		rc = db_begin(db, err);
	if (rc == GQ_OK) {
		/* A village has one active station: re-enrolment replaces it. */
		rc = db_prepare(db, "UPDATE peer SET status = 'revoked' WHERE village = ?1"
				" AND role = 'station' AND status = 'active'", &q, err);
		if (rc == GQ_OK) {
			sqlite3_bind_text(q, 1, village, -1, SQLITE_STATIC);
			if (sqlite3_step(q) != SQLITE_DONE)
				rc = db_error(db, _("saving a station"), err);
			sqlite3_finalize(q);
		}
		if (rc == GQ_OK)
			rc = peer_insert(db, id, "station", village, &st.pub, err);
		if (rc == GQ_OK) {
			snprintf(file, sizeof(file), "%s-%.8s.gqsetup", village, id);
			if (pathf(path_out, path_size, "%s/%s", out_dir, file))
				rc = gq_err_set(err, GQ_EINVAL, _("The folder name %s is too long."), out_dir);
			fd = rc == GQ_OK ? open(path_out, O_WRONLY | O_CREAT | O_EXCL, 0600) : -1;
			if (rc == GQ_OK && fd < 0)
				rc = gq_err_set(err, GQ_EIO, _("Cannot write the setup file %s: %s."),
						path_out, strerror(errno));
		}
		if (rc == GQ_OK) {
			size_t off = 0;

			while (off < sealed_len) {
				ssize_t n = write(fd, sealed + off, sealed_len - off);

				if (n < 0) {
					rc = gq_err_set(err, GQ_EIO, _("Cannot write the setup file %s: %s."),
							path_out, strerror(errno));
					break;
				}
				off += (size_t)n;
			}
			if (rc == GQ_OK && fsync(fd) != 0)
				rc = gq_err_set(err, GQ_EIO, _("Cannot write the setup file %s: %s."),
						path_out, strerror(errno));
			if (close(fd) != 0 && rc == GQ_OK)
				rc = gq_err_set(err, GQ_EIO, _("Cannot write the setup file %s: %s."),
						path_out, strerror(errno));
			if (rc != GQ_OK)
				unlink(path_out);
		}
		if (rc == GQ_OK)
			rc = db_commit(db, err);
		else
			db_rollback(db);
	}
	free(sealed);
	keys_release(&st);
	keys_release(&county);
	if (rc != GQ_OK) {
		keys_wipe(passphrase, KEYS_PASSPHRASE_SIZE);
		passphrase[0] = '\0';
	}
	return rc;
}

/* The value of key in a setup text ("" when absent); points into text. */
static const char *setup_get(char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	char *line = text;

	out[0] = '\0';
	while (line && *line) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (len > klen && !strncmp(line, key, klen) && line[klen] == '=') {
			size_t vlen = len - klen - 1;

			if (vlen >= size)
				vlen = size - 1;
			memcpy(out, line + klen + 1, vlen);
			out[vlen] = '\0';
			break;
		}
		line = end ? end + 1 : NULL;
	}
	return out;
}

enum gq_status sync_station_init(struct gq_db *db, const char *setup_path,
				 const char *passphrase, struct gq_err *err)
{
	unsigned char *plain = NULL;
	size_t plain_len = 0;
	char id[64], village[32], county_id[64], text[KEYS_TEXT_MAX];
	struct keys_own own;
	struct keys_public county;
	enum gq_status rc;

	memset(&own, 0, sizeof(own));
	if (db->role != DB_ROLE_NONE)
		return gq_err_set(err, GQ_EEXIST,
				  _("Database %s is already initialised; a setup file makes a new station database."),
				  db->path);
	rc = keys_setup_open_file(setup_path, passphrase, &plain, &plain_len, err);
	if (rc != GQ_OK)
		return rc;
	if (strncmp((char *)plain, SETUP_MAGIC "\n", strlen(SETUP_MAGIC) + 1)) {
		keys_free_secret(&plain, plain_len + 1);
		return gq_err_set(err, GQ_ECORRUPT, _("%s is not a guanqing station setup file."), setup_path);
	}
	setup_get((char *)plain, "station_id", id, sizeof(id));
	setup_get((char *)plain, "village", village, sizeof(village));
	setup_get((char *)plain, "county_id", county_id, sizeof(county_id));
	rc = keys_from_text(KEYS_SIGN_PUBLIC, setup_get((char *)plain, "county_sign_public", text, sizeof(text)),
			    county.sign, setup_path, err);
	if (rc == GQ_OK)
		rc = keys_from_text(KEYS_BOX_PUBLIC, setup_get((char *)plain, "county_box_public", text, sizeof(text)),
				    county.box, setup_path, err);
	if (rc == GQ_OK)
		rc = keys_from_text(KEYS_SIGN_PUBLIC, setup_get((char *)plain, "sign_public", text, sizeof(text)),
				    own.pub.sign, setup_path, err);
	if (rc == GQ_OK)
		rc = keys_from_text(KEYS_BOX_PUBLIC, setup_get((char *)plain, "box_public", text, sizeof(text)),
				    own.pub.box, setup_path, err);
	if (rc == GQ_OK)
		rc = keys_from_text(KEYS_SIGN_SECRET, setup_get((char *)plain, "sign_secret", text, sizeof(text)),
				    own.sign_secret, setup_path, err);
	if (rc == GQ_OK)
		rc = keys_from_text(KEYS_BOX_SECRET, setup_get((char *)plain, "box_secret", text, sizeof(text)),
				    own.box_secret, setup_path, err);
	keys_wipe(text, sizeof(text));
	keys_free_secret(&plain, plain_len + 1);
	if (rc == GQ_OK)
		rc = keys_check(&own, setup_path, err);
	if (rc == GQ_OK && !uid_valid(county_id))
		rc = gq_err_set(err, GQ_ECORRUPT, _("%s names no county."), setup_path);
	if (rc == GQ_OK)
		rc = db_begin(db, err);
	if (rc == GQ_OK) {
		rc = station_init_enrolled(db, village, id, err);
		if (rc == GQ_OK)
			rc = store_own_keys(db, &own, err);
		if (rc == GQ_OK)
			rc = peer_insert(db, county_id, "county", NULL, &county, err);
		if (rc == GQ_OK)
			rc = db_meta_set(db, "county_id", county_id, err);
		if (rc == GQ_OK)
			rc = db_commit(db, err);
		else
			db_rollback(db);
	}
	if (rc != GQ_OK) {
		db->role = DB_ROLE_NONE;
		db->station_id[0] = db->village[0] = '\0';
	}
	keys_release(&own);
	return rc;
}

/* ---- finding the stick ---- */

enum gq_status sync_find_medium(struct gq_db *db, char *out, size_t size,
				struct gq_err *err)
{
	struct media_list l = MEDIA_LIST_INIT;
	char *configured = db_meta_get(db, "media_path");
	const char *env = getenv("GUANQING_MEDIA");
	enum gq_status rc;

	rc = media_find_removable(env && *env ? env : configured, &l, err);
	free(configured);
	if (rc == GQ_OK && l.nr == 0)
		rc = gq_err_set(err, GQ_ENOTFOUND,
				_("No USB stick was found under /media or /run/media: plug one in, or name the folder with --to DIR."));
	else if (rc == GQ_OK && l.nr > 1)
		rc = gq_err_set(err, GQ_EINVAL,
				_("Several removable media are mounted (%s and %s): name one with --to DIR."),
				l.items[0], l.items[1]);
	if (rc == GQ_OK)
		text_copy(out, size, l.items[0]);
	media_list_release(&l);
	return rc;
}

/* A folder of ours on the stick that is a symbolic link could lead the
 * bundles off the stick (or onto another one): refused, never followed. */
static enum gq_status not_a_link(const char *path, struct gq_err *err)
{
	struct stat sb;

	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		return gq_err_set(err, GQ_EINVAL,
				  _("%s on the stick is a symbolic link; guanqing does not follow links off the chosen stick. Remove the link and try again."),
				  path);
	return GQ_OK;
}

static enum gq_status make_dir(const char *path, struct gq_err *err)
{
	enum gq_status rc = not_a_link(path, err);

	if (rc != GQ_OK)
		return rc;
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return gq_err_set(err, GQ_EIO, _("Cannot make the folder %s: %s."), path, strerror(errno));
	return not_a_link(path, err);
}

/* ---- export ---- */

struct export_ctx {
	struct gq_db *db;
	const struct peer *to;
	const struct keys_own *own;
	struct bundle_header h;
	int64_t after_seq;
	int64_t first_seq, last_seq;
	uint64_t changes, total;
	struct bundle_writer *w;
	struct wire *wire;	/* the strings of the bundle's records */
	struct strbuf rec;
	sync_progress_fn progress;
	void *pctx;
	const char *to_name;
	uint64_t max_size;	/* the medium's largest file (FAT32: 4 GiB - 1) */
};

static enum gq_status collect_one(void *vctx, int64_t seq, struct gq_err *err)
{
	struct export_ctx *x = vctx;
	enum gq_status rc;

	strbuf_reset(&x->rec);
	rc = wire_change_encode(x->wire, x->db, seq, &x->rec, err);
	if (rc == GQ_OK)
		rc = bundle_writer_add(x->w, x->rec.buf, x->rec.len, err);
	if (rc == GQ_OK) {
		if (!x->first_seq)
			x->first_seq = seq;
		x->last_seq = seq;
		x->changes++;
		if (x->progress && (x->changes % 256 == 0 || x->changes == x->total))
			x->progress(x->pctx, x->to_name, x->changes, x->total);
	}
	return rc;
}

/* Changes the recipient is to get: a station sends its own changes; the
 * county sends a station the changes of its village (and county-wide
 * rows) made elsewhere, and every change of the rows moved into it. */
/* Each entry of the log gives its seq and its width: a run of first
 * versions (schema.c, migration 11) holds the changes of that many seqs
 * from its own, and is taken when any of them is after ?1. */
static const char *const collect_sql_station =
	"SELECT e.seq, " LOG_WIDTH("e") " FROM log_entry e WHERE e.seq > ?1 - " LOG_RUN_MAX_S
	" AND e.origin_n = (SELECT n FROM log_key WHERE key = ?2) ORDER BY e.seq";
static const char *const collect_sql_county =
	/* Each part walks an index: (village, seq) for the village's and the
	 * county-wide changes, (row, field) for the rows to send whole. A
	 * row's changes are logged under its village, so after a move the new
	 * village's are found by the first part and the old ones by resend.
	 * The recipient may have sent nothing yet (no number for its id). */
	"SELECT seq, max(w), max(whole) FROM (SELECT e.seq AS seq, " LOG_WIDTH("e") " AS w, 0 AS whole"
	" FROM log_entry e WHERE e.village_n = (SELECT n FROM log_key WHERE key = ?3)"
	" AND e.seq > ?1 - " LOG_RUN_MAX_S " AND e.origin_n IS NOT (SELECT n FROM log_key WHERE key = ?2)"
	" UNION ALL SELECT e.seq, " LOG_WIDTH("e") ", 0 FROM log_entry e WHERE e.village_n IS NULL"
	" AND e.seq > ?1 - " LOG_RUN_MAX_S
	" AND e.origin_n IS NOT (SELECT n FROM log_key WHERE key = ?2)"
	" UNION ALL SELECT c.seq, " LOG_WIDTH("c") ", 1 FROM resend r CROSS JOIN log_key k ON k.key = r.row_id"
	" CROSS JOIN log_entry c ON c.row_n = k.n"
	" AND c.field_n IN (SELECT n FROM log_field WHERE tbl = r.tbl)"
	" WHERE r.village = ?3 AND c.origin_n IS NOT (SELECT n FROM log_key WHERE key = ?2))"
	" GROUP BY seq ORDER BY seq";

static enum gq_status for_each_change(struct export_ctx *x, int count_only, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	rc = db_prepare(x->db, x->db->role == DB_ROLE_COUNTY ? collect_sql_county : collect_sql_station,
			&st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, x->after_seq);
	sqlite3_bind_text(st, 2, x->db->role == DB_ROLE_COUNTY ? x->to->id : x->db->station_id, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 3, x->to->village, -1, SQLITE_STATIC);
	while (rc == GQ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0), end = seq + sqlite3_column_int64(st, 1);
		int resent = sqlite3_column_count(st) > 2 && sqlite3_column_int(st, 2);

		/* A row sent whole is sent with every change; otherwise the
		 * changes after what the recipient has. */
		for (; rc == GQ_OK && seq < end; seq++) {
			if (seq <= x->after_seq && !resent)
				continue;
			if (count_only)
				x->total++;
			else
				rc = collect_one(x, seq, err);
		}
	}
	if (rc == GQ_OK && step != SQLITE_DONE)
		rc = db_error(x->db, _("reading the change log"), err);
	sqlite3_finalize(st);
	return rc;
}

static enum gq_status write_bundle(FILE *f, void *vctx, struct gq_err *err)
{
	struct export_ctx *x = vctx;
	enum gq_status rc;

	x->changes = 0;
	x->first_seq = x->last_seq = 0;
	x->wire = wire_new();
	rc = bundle_writer_open(&x->w, f, &x->h, x->own, &x->to->pub, NULL, err);
	if (rc == GQ_OK)
		bundle_writer_set_max_size(x->w, x->max_size);
	if (rc == GQ_OK)
		rc = for_each_change(x, 0, err);
	if (rc == GQ_OK)
		rc = bundle_writer_finish(x->w, err);
	bundle_writer_free(&x->w);
	wire_free(&x->wire);
	return rc;
}

static enum gq_status verify_bundle(const char *path, void *vctx, struct gq_err *err)
{
	struct export_ctx *x = vctx;
	struct bundle_header h;
	enum gq_status rc;

	bundle_header_init(&h);
	rc = bundle_check(path, &x->own->pub, &h, NULL, err);
	if (rc == GQ_OK && (h.number != x->h.number || h.record_count != x->changes))
		rc = gq_err_set(err, GQ_EIO, _("The bundle read back from %s is not the one written."), path);
	bundle_header_release(&h);
	return rc;
}

/* The highest number of a bundle from sender in the folder dir, set aside
 * (.refused) or not; 0 when there is none. A bundle on the stick that the
 * database does not know of (an export stopped after the rename, a
 * database put back from a copy) holds its number: it may have been
 * imported already. */
static uint64_t stick_highest(const char *dir, const char *sender)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = strlen(sender);
	uint64_t best = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		const char *s = de->d_name;
		uint64_t v = 0;
		int i;

		if (strncmp(s, sender, n) || s[n] != '-')
			continue;
		s += n + 1;
		for (i = 0; i < 20 && s[i] >= '0' && s[i] <= '9'; i++)
			v = v * 10 + (uint64_t)(s[i] - '0');
		if (i == 20 && !strncmp(s + 20, BUNDLE_FILE_SUFFIX, strlen(BUNDLE_FILE_SUFFIX)) &&
		    v > best)
			best = v;
	}
	closedir(d);
	return best;
}

/* Set the peer's last bundle number, in a transaction of its own, when it
 * is still expect (-1: whatever it is). */
static enum gq_status set_sent_number(struct gq_db *db, const char *peer_id, int64_t number,
				      int64_t expect, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_begin(db, err);

	if (rc != GQ_OK)
		return rc;
	rc = db_prepare(db, "UPDATE peer SET sent_number = ?2 WHERE id = ?1"
			" AND (?3 < 0 OR sent_number = ?3)", &st, err);
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, peer_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, number);
		sqlite3_bind_int64(st, 3, expect);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("recording the export"), err);
		sqlite3_finalize(st);
	}
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	return rc;
}

static enum gq_status export_to(struct gq_db *db, const char *dir, const struct peer *to,
				const struct keys_own *own, struct strbuf *report,
				sync_progress_fn progress, void *pctx, struct gq_err *err)
{
	struct export_ctx x;
	char sub[4096], name[BUNDLE_FILE_NAME_SIZE], now[32], acks[64], who[160];
	enum gq_status rc;
	sqlite3_stmt *st;

	memset(&x, 0, sizeof(x));
	x.db = db;
	x.to = to;
	x.own = own;
	x.after_seq = to->acked_seq;
	x.progress = progress;
	x.pctx = pctx;
	strbuf_init(&x.rec, 0);
	if (!strcmp(to->role, "county")) {
		text_copy(who, sizeof(who), _("the county"));
	} else {
		char vname[128];

		division_name(db, to->village, vname, sizeof(vname));
		snprintf(who, sizeof(who), "%s %s", to->village, vname);
	}
	x.to_name = who;
	rc = for_each_change(&x, 1, err);
	bundle_header_init(&x.h);
	x.h.schema_version = DB_RECORDS_VERSION;
	text_copy(x.h.sender, sizeof(x.h.sender), db->station_id);
	text_copy(x.h.recipient, sizeof(x.h.recipient), to->id);
	x.h.number = (uint64_t)to->sent_number + 1;
	x.h.clock_wall_ms = clock_now_ms();
	x.h.clock_hlc = hlc_current(db);
	/* The acknowledgement: the highest bundle of the recipient's we
	 * imported. Each bundle is cumulative, so that is all it needs. */
	snprintf(acks, sizeof(acks), "received=%lld\n", (long long)to->recv_number);
	if (rc == GQ_OK)
		rc = bundle_header_set_acks(&x.h, acks, strlen(acks), err);
	if (rc == GQ_OK && pathf(sub, sizeof(sub), "%s/guanqing/to-%s", dir,
				 strcmp(to->role, "county") ? to->id : "county"))
		rc = gq_err_set(err, GQ_EINVAL, _("The folder name %s is too long."), dir);
	if (rc == GQ_OK) {
		char top[4096];

		pathf(top, sizeof(top), "%s/guanqing", dir);
		rc = make_dir(top, err);
	}
	if (rc == GQ_OK)
		rc = make_dir(sub, err);
	/* The number is taken before the file can get its name on the stick:
	 * an export stopped after the rename must not let the next one give
	 * the same number to other content. A number whose file is found on
	 * the stick is never used again either. */
	if (rc == GQ_OK) {
		uint64_t on_stick = stick_highest(sub, db->station_id);

		if (on_stick >= x.h.number)
			x.h.number = on_stick + 1;
		rc = set_sent_number(db, to->id, (int64_t)x.h.number, -1, err);
	}
	bundle_file_name(db->station_id, x.h.number, name);
	x.max_size = media_max_file_size(sub);
	if (rc == GQ_OK) {
		char dst[4096];
		struct stat sb;
		struct gq_err ignored;

		rc = media_write_atomic(sub, name, write_bundle, verify_bundle, &x, err);
		/* Nothing got the name: the number may be given again. */
		if (rc != GQ_OK && pathf(dst, sizeof(dst), "%s/%s", sub, name) == 0 &&
		    lstat(dst, &sb) != 0 && errno == ENOENT)
			set_sent_number(db, to->id, to->sent_number, (int64_t)x.h.number, &ignored);
	}
	/* Only a bundle safely on the stick is marked as sent. */
	if (rc == GQ_OK)
		rc = db_begin(db, err);
	if (rc == GQ_OK) {
		clock_iso(clock_now_ms(), now, sizeof(now));
		rc = db_prepare(db, "INSERT OR REPLACE INTO bundle_out (peer_id, number, first_seq, last_seq,"
				" changes, file_name, written_at, ack) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				&st, err);
		if (rc == GQ_OK) {
			int64_t last = x.last_seq ? x.last_seq : to->acked_seq;

			sqlite3_bind_text(st, 1, to->id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, (int64_t)x.h.number);
			sqlite3_bind_int64(st, 3, x.first_seq);
			/* A bundle covers everything up to the newest change
			 * it could carry: the log's end at the time. */
			sqlite3_bind_int64(st, 4, last);
			sqlite3_bind_int64(st, 5, (int64_t)x.changes);
			sqlite3_bind_text(st, 6, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 8, to->recv_number);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_error(db, _("recording the export"), err);
			sqlite3_finalize(st);
		}
		if (rc == GQ_OK)
			rc = db_prepare(db, "UPDATE peer SET sent_number = ?2, last_export_at = ?3 WHERE id = ?1",
					&st, err);
		if (rc == GQ_OK) {
			sqlite3_bind_text(st, 1, to->id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, (int64_t)x.h.number);
			sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_error(db, _("recording the export"), err);
			sqlite3_finalize(st);
		}
		if (rc == GQ_OK && to->village[0])
			rc = db_prepare(db, "UPDATE resend SET sent_number = ?2 WHERE village = ?1"
					" AND sent_number IS NULL", &st, err);
		if (rc == GQ_OK && to->village[0]) {
			sqlite3_bind_text(st, 1, to->village, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, (int64_t)x.h.number);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_error(db, _("recording the export"), err);
			sqlite3_finalize(st);
		}
		if (rc == GQ_OK)
			rc = db_meta_set(db, "last_exchange", now, err);
		if (rc == GQ_OK)
			rc = db_commit(db, err);
		else
			db_rollback(db);
	}
	if (rc == GQ_OK)
		strbuf_addf(report, _("Bundle %llu for %s: %llu changes, written to %s/%s.\n"),
			    (unsigned long long)x.h.number, who, (unsigned long long)x.changes, sub, name);
	bundle_header_release(&x.h);
	strbuf_release(&x.rec);
	return rc;
}

/* Whether the county has anything for station p: changes, or an
 * acknowledgement it has not sent yet. */
static int has_something(struct gq_db *db, const struct peer *p)
{
	struct export_ctx x;
	struct gq_err e;
	sqlite3_stmt *st;
	int64_t sent_ack = -1;

	memset(&x, 0, sizeof(x));
	x.db = db;
	x.to = p;
	x.after_seq = p->acked_seq;
	if (for_each_change(&x, 1, &e) == GQ_OK && x.total > 0)
		return 1;
	if (p->sent_number == 0)
		return 1;	/* the first bundle tells a new station it is known */
	/* An acknowledgement it has not had yet. */
	if (sqlite3_prepare_v2(db->h, "SELECT ack FROM bundle_out WHERE peer_id = ?1"
			       " ORDER BY number DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			sent_ack = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return p->recv_number > sent_ack;
}

enum gq_status sync_export(struct gq_db *db, const char *dir,
			   const char *station_id, struct strbuf *report,
			   sync_progress_fn progress, void *ctx,
			   struct gq_err *err)
{
	char medium[4096];
	struct keys_own own;
	sqlite3_stmt *st;
	enum gq_status rc;
	int written = 0, step;

	if (db->role == DB_ROLE_NONE)
		return gq_err_set(err, GQ_EINVAL, _("Database %s is not initialised."), db->path);
	if (!dir) {
		rc = sync_find_medium(db, medium, sizeof(medium), err);
		if (rc != GQ_OK)
			return rc;
		dir = medium;
	} else {
		struct stat sb;

		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return gq_err_set(err, GQ_EIO, _("The folder %s does not exist or is not a folder."), dir);
	}
	rc = sync_load_own_keys(db, &own, err);
	if (rc != GQ_OK)
		return rc;
	rc = db_prepare(db, "SELECT " PEER_COLUMNS " FROM peer WHERE status = 'active'"
			" AND (?1 IS NULL OR id = ?1) ORDER BY village, id", &st, err);
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, station_id, -1, SQLITE_STATIC);
		while (rc == GQ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
			struct peer p;

			rc = peer_from_row(st, &p, err);
			if (rc != GQ_OK)
				break;
			if (db->role == DB_ROLE_COUNTY && !station_id && !has_something(db, &p))
				continue;
			rc = export_to(db, dir, &p, &own, report, progress, ctx, err);
			written += rc == GQ_OK;
		}
		/* A database that fails to list the recipients is not
		 * "nothing to send". */
		if (rc == GQ_OK && step != SQLITE_DONE)
			rc = db_error(db, _("reading the stations"), err);
		sqlite3_finalize(st);
	}
	keys_release(&own);
	if (rc == GQ_OK && station_id && !written)
		rc = gq_err_set(err, GQ_ENOTFOUND, _("No enrolled station has the id %s."), station_id);
	if (rc == GQ_OK && !written)
		strbuf_addstr(report, _("Nothing to send.\n"));
	if (rc == GQ_OK && written) {
		sync();
		strbuf_addf(report, _("The stick at %s is safe to remove.\n"), dir);
	}
	return rc;
}

/* ---- import ---- */

/* BLAKE2b of a whole file in hex (to tell a number reused with other
 * content from the same bundle again). */
static enum gq_status file_hash(const char *path, char out[65], struct gq_err *err)
{
	crypto_generichash_state s;
	unsigned char buf[65536], h[32];
	FILE *f = fopen(path, "rb");
	size_t n, i;

	if (!f)
		return gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), path, strerror(errno));
	crypto_generichash_init(&s, NULL, 0, sizeof(h));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		crypto_generichash_update(&s, buf, n);
	if (ferror(f)) {
		fclose(f);
		return gq_err_set(err, GQ_EIO, _("Cannot read %s: %s."), path, strerror(errno));
	}
	fclose(f);
	crypto_generichash_final(&s, h, sizeof(h));
	for (i = 0; i < sizeof(h); i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	return GQ_OK;
}

/* Set a refused bundle aside so that the next import does not meet it
 * again: NAME becomes NAME.refused beside it, where the medium allows. */
static void set_aside(const char *path, struct strbuf *report)
{
	char to[4096];

	if (pathf(to, sizeof(to), "%s.refused", path) == 0 && rename(path, to) == 0)
		strbuf_addf(report, _("  It was set aside as %s.\n"), to);
	else
		strbuf_addf(report, _("  It was left where it is (%s).\n"), strerror(errno));
}

struct import_stats {
	struct merge_stats m;
	int64_t changes, refused_changes, kept_moved;
	struct strbuf refusals;		/* lines naming refused changes */
	struct strbuf notes;		/* lines about moved people */
	struct strbuf follow;		/* "tbl row_id\n": new records about a moved person */
	struct merge_verdict verdict;	/* the rules across fields of the last run */
	const struct sync_import_observer *obs;	/* may be NULL */
	uint64_t total;			/* records the header announces */
};

/* A station's change of a row that has moved from its village: kept, and
 * the row is sent again whole to its new village, so that the change
 * reaches the station that keeps it now. */
static enum gq_status keep_moved(struct gq_db *db, const struct peer *from, const struct change *c,
				 const char *to, struct import_stats *is, struct gq_err *err)
{
	const struct table_def *t = table_find(c->tbl);
	const struct field_def *f = t ? table_field(t, c->field) : NULL;
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_prepare(db, "INSERT INTO resend (village, tbl, row_id) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (village, tbl, row_id) DO UPDATE SET sent_number = NULL", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->row_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("marking a record to send"), err);
	sqlite3_finalize(st);
	if (rc == GQ_OK && ++is->kept_moved <= 20)
		strbuf_addf(&is->notes,
			    _("  Kept: %s %s, field \"%s\": changed at village %s before it learned that the record moved to village %s; it goes on to that village's station.\n"),
			    t ? _(t->label) : c->tbl, c->row_id, f ? _(f->label) : c->field,
			    from->village, to);
	return rc;
}

/* New records about a person who moved, made by the old village's station
 * before it learned of the move, follow the person to the new village. */
static enum gq_status follow_moved(struct gq_db *db, struct import_stats *is, struct gq_err *err)
{
	enum gq_status rc = GQ_OK;
	char *save = NULL, *line;

	for (line = strtok_r(is->follow.buf, "\n", &save); rc == GQ_OK && line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		rc = move_record_to_person(db, line, sp + 1, err);
		if (rc == GQ_ENOTFOUND) {
			gq_err_clear(err);
			rc = GQ_OK;	/* its creation has not arrived */
		}
	}
	strbuf_reset(&is->follow);
	return rc;
}

/* At a station: a person of ours moved to another village by the county
 * leaves our lists; say so, by name. */
static void note_moved_away(struct gq_db *db, const struct change *c, struct import_stats *is)
{
	sqlite3_stmt *st;
	char vname[128];

	if (db->role != DB_ROLE_STATION || strcmp(c->tbl, "person") || strcmp(c->field, "village") ||
	    c->value.type != VAL_TEXT || !strcmp(c->value.s, db->village))
		return;
	if (sqlite3_prepare_v2(db->h, "SELECT name FROM person WHERE id = ?1 AND village = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, c->row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->village, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		division_name(db, c->value.s, vname, sizeof(vname));
		strbuf_addf(&is->notes,
			    _("  %s (%s) moved to village %s %s: the person leaves this station's lists.\n"),
			    sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "",
			    c->row_id, c->value.s, vname);
	}
	sqlite3_finalize(st);
}

/* The acknowledgement in a bundle's header: exactly "received=N\n" (the
 * newline may be missing) with N a decimal number from 0 to the last
 * bundle we sent the sender. Returns 1 and *ack, 0 when there is none, -1
 * when it is malformed or names a bundle never sent (it is then ignored:
 * nothing counts as received because of it). */
static int parse_ack(const struct bundle_header *h, int64_t sent_number, int64_t *ack)
{
	char buf[64];
	size_t n = h->acks_len, i;
	uint64_t v = 0;

	*ack = 0;
	if (!h->acks || !n)
		return 0;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, h->acks, n);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (strncmp(buf, "received=", 9) || n == 9 || n > 9 + 19)
		return -1;
	for (i = 9; i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(buf[i] - '0');
	}
	if (v > (uint64_t)sent_number)
		return -1;
	*ack = (int64_t)v;
	return 1;
}

/* The consecutive changes of one row in a bundle, judged together by the
 * rules across its fields (merge_check_run()) before each is applied: a
 * valid edit of several fields is judged as a whole, and a change that
 * leaves the row breaking a rule is refused, on its own. A run is cut at
 * RUN_MAX changes, so that memory stays bounded. */
#define RUN_MAX 1024
struct run {
	struct change *v;
	unsigned char *known, *valid, *use;
	size_t n, alloc;
};

static void run_release(struct run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		merge_change_release(&r->v[i]);
	free(r->v);
	free(r->known);
	free(r->valid);
	free(r->use);
	memset(r, 0, sizeof(*r));
}

static void refuse(struct gq_db *db, const struct peer *from, struct import_stats *is,
		   const struct change *c, const struct gq_err *why)
{
	is->refused_changes++;
	if (why->code == GQ_EEXIST)
		duplicates_note_refused(db, c, from->village);
	if (is->refused_changes <= 20) {
		/* Named as people read them: the kind of record and the
		 * field's label. */
		const struct table_def *t = table_find(c->tbl);
		const struct field_def *f = t ? table_field(t, c->field) : NULL;

		strbuf_addf(&is->refusals, _("  Refused: %s %s, field \"%s\": %s\n"),
			    t ? _(t->label) : c->tbl, c->row_id, f ? _(f->label) : c->field,
			    why->msg);
	}
}

/* Apply (or refuse, or count as already here) the change c of a run whose
 * verdict on it is known, valid and rule (0, or 1 + an index into
 * is->verdict.why). */
static enum gq_status take_change(struct gq_db *db, const struct peer *from,
				  struct import_stats *is, struct change *c, int known,
				  int valid, int rule, struct gq_err *err)
{
	int station = !strcmp(from->role, "station");
	enum gq_status rc = GQ_OK;
	struct gq_err why;

	gq_err_clear(&why);
	/* A change we hold already is "already here", whatever its scope now
	 * (a row may have moved since). */
	if (known) {
		is->m.duplicates++;
		return GQ_OK;
	}
	/* A station sends only its own changes to its own village's records;
	 * anything else is refused and named. */
	if ((station && (strcmp(c->origin, from->id) ||
			 merge_change_allowed(db, from->id, from->village, c, &why) != GQ_OK)) ||
	    merge_change_parents_known(db, c, &why) != GQ_OK ||
	    (!valid && merge_change_valid(db, c, station, &why) != GQ_OK)) {
		if (!why.msg[0])
			gq_err_set(&why, GQ_EPERM, _("the change was made by another place (%s)"), c->origin);
		refuse(db, from, is, c, &why);
		return GQ_OK;
	}
	if (rule) {
		refuse(db, from, is, c, &is->verdict.why[rule - 1]);
		return GQ_OK;
	}
	if (station) {
		char to[16];

		if (merge_change_moved(db, from->village, c, to, sizeof(to)))
			rc = keep_moved(db, from, c, to, is, err);
		/* A record the old station made about a person who has moved
		 * follows the person (after the bundle is settled). */
		if (rc == GQ_OK && !strcmp(c->field, "person_id") && c->value.type == VAL_TEXT) {
			struct change p = *c;

			snprintf(p.tbl, sizeof(p.tbl), "person");
			text_copy(p.row_id, sizeof(p.row_id), c->value.s);
			if (merge_change_moved(db, from->village, &p, to, sizeof(to)))
				strbuf_addf(&is->follow, "%s %s\n", c->tbl, c->row_id);
		}
	} else {
		note_moved_away(db, c, is);
	}
	if (rc == GQ_OK)
		rc = merge_apply_deferred(db, c, &is->m, err);
	return rc;
}

/* Judge and take the changes of run r, then empty it. */
static enum gq_status run_flush(struct gq_db *db, const struct peer *from,
				struct import_stats *is, struct run *r, struct gq_err *err)
{
	int station = !strcmp(from->role, "station");
	enum gq_status rc = GQ_OK;
	struct gq_err why;
	size_t i;

	/* The field checks first, for each change on its own (they do not
	 * depend on the changes before it), so that the rules across fields
	 * look only at values a local save could have stored. */
	for (i = 0; i < r->n; i++) {
		r->known[i] = merge_change_known(db, &r->v[i]) > 0;
		r->valid[i] = !r->known[i] && merge_change_valid(db, &r->v[i], station, &why) == GQ_OK;
		r->use[i] = r->valid[i] && (!station || !strcmp(r->v[i].origin, from->id));
	}
	if (station && r->n)
		rc = merge_check_run(db, r->v, r->n, r->use, &is->verdict, err);
	for (i = 0; rc == GQ_OK && i < r->n; i++)
		rc = take_change(db, from, is, &r->v[i], r->known[i], r->valid[i],
				 station && r->n ? is->verdict.refused[i] : 0, err);
	for (i = 0; i < r->n; i++)
		merge_change_release(&r->v[i]);
	r->n = 0;
	return rc;
}

/* The seq of the log's last entry (0: none) into *seq. */
static enum gq_status log_last_seq(struct gq_db *db, int64_t *seq, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc = db_cached(db, "SELECT coalesce(max(seq), 0) FROM log_entry", &st, err);

	if (rc != GQ_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, _("reading the change log"), err);
	sqlite3_reset(st);
	return rc;
}

/* Apply the records of a verified bundle; inside the caller's
 * transaction. */
static enum gq_status apply_records(struct gq_db *db, const char *path, const struct peer *from,
				    const struct keys_own *own, struct import_stats *is,
				    struct gq_err *err)
{
	struct bundle_reader *r = NULL;
	struct wire *wire = wire_new();
	struct run run;
	enum gq_status rc;
	int64_t first = 0;

	memset(&run, 0, sizeof(run));
	rc = log_last_seq(db, &first, err);
	if (rc == GQ_OK)
		rc = bundle_reader_open(&r, path, db->station_id, own, &from->pub, NULL, err);
	while (rc == GQ_OK) {
		const unsigned char *rec;
		size_t len;
		struct change c;
		struct gq_err why;

		rc = bundle_reader_next(r, &rec, &len, err);
		if (rc == GQ_OK && !rec && run.n)
			rc = run_flush(db, from, is, &run, err);
		if (rc == GQ_OK && !rec)
			rc = merge_settle(db, &is->m, err);
		if (rc == GQ_OK && !rec && is->follow.len)
			rc = follow_moved(db, is, err);
		/* The new records' runs their rows hold alone (change.h). */
		if (rc == GQ_OK && !rec)
			rc = change_log_hold(db, first, err);
		if (rc != GQ_OK || !rec)
			break;
		memset(&c, 0, sizeof(c));
		rc = wire_change_decode(wire, rec, len, &c, NULL, &why);
		if (rc != GQ_OK) {
			merge_change_release(&c);
			rc = gq_err_set(err, GQ_ECORRUPT, _("Bundle %s: a change is malformed: %s"), path,
					why.msg);
			break;
		}
		is->changes++;
		if (is->obs && is->obs->records && (is->changes & 63) == 0)
			is->obs->records(is->obs->ctx, (uint64_t)is->changes, is->total);
		/* A change of another row ends the run. */
		if (run.n && (run.n == RUN_MAX || strcmp(c.tbl, run.v[0].tbl) ||
			      strcmp(c.row_id, run.v[0].row_id)))
			rc = run_flush(db, from, is, &run, err);
		if (rc != GQ_OK) {
			merge_change_release(&c);
			break;
		}
		if (run.n == run.alloc) {
			run.alloc = run.alloc ? 2 * run.alloc : 16;
			run.v = xreallocarray(run.v, run.alloc, sizeof(*run.v));
			run.known = xreallocarray(run.known, run.alloc, 1);
			run.valid = xreallocarray(run.valid, run.alloc, 1);
			run.use = xreallocarray(run.use, run.alloc, 1);
		}
		run.v[run.n++] = c;	/* the run owns its text and parents */
	}
	run_release(&run);
	bundle_reader_free(&r);
	wire_free(&wire);
	return rc;
}

static enum gq_status record_import(struct gq_db *db, const struct peer *from,
				    const struct bundle_header *h, const char *hash,
				    const struct import_stats *is, const char *clock_note,
				    struct gq_err *err)
{
	char now[32];
	sqlite3_stmt *st;
	enum gq_status rc;
	int64_t ack = 0;

	parse_ack(h, from->sent_number, &ack);
	clock_iso(clock_now_ms(), now, sizeof(now));
	rc = db_prepare(db, "INSERT INTO bundle_in (peer_id, number, file_hash, changes, applied, conflicts,"
			" refused_changes, sender_clock, clock_note, imported_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, from->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)h->number);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, is->changes);
	sqlite3_bind_int64(st, 5, is->m.applied);
	sqlite3_bind_int64(st, 6, is->m.opened);
	sqlite3_bind_int64(st, 7, is->refused_changes);
	sqlite3_bind_int64(st, 8, h->clock_wall_ms);
	if (clock_note && *clock_note)
		sqlite3_bind_text(st, 9, clock_note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("recording the import"), err);
	sqlite3_finalize(st);
	if (rc != GQ_OK)
		return rc;
	/* What the sender has of ours: everything up to the last change of
	 * the newest bundle of ours it acknowledges. */
	rc = db_prepare(db, "UPDATE peer SET recv_number = max(recv_number, ?2), last_import_at = ?3,"
			" clock_warning = coalesce(?4, clock_warning),"
			" acked_number = max(acked_number, ?5),"
			" acked_seq = max(acked_seq, coalesce((SELECT last_seq FROM bundle_out"
			"  WHERE peer_id = ?1 AND number = ?5), 0))"
			" WHERE id = ?1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, from->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)h->number);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	if (clock_note && *clock_note)
		sqlite3_bind_text(st, 4, clock_note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, ack);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("recording the import"), err);
	sqlite3_finalize(st);
	/* Rows sent whole in a bundle the station now has need not go again. */
	if (rc == GQ_OK && from->village[0] && ack > 0)
		rc = db_prepare(db, "DELETE FROM resend WHERE village = ?1 AND sent_number <= ?2", &st, err);
	if (rc == GQ_OK && from->village[0] && ack > 0) {
		sqlite3_bind_text(st, 1, from->village, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, ack);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("recording the import"), err);
		sqlite3_finalize(st);
	}
	if (rc == GQ_OK)
		rc = db_meta_set(db, "last_exchange", now, err);
	return rc;
}

/* The gaps in the numbers of bundles imported from a peer, as text
 * ("2-3, 5"), into out; empty when there is none. */
static void peer_gaps(struct gq_db *db, const char *peer_id, struct strbuf *out)
{
	sqlite3_stmt *st;
	int64_t expect = 1;

	if (sqlite3_prepare_v2(db->h, "SELECT number FROM bundle_in WHERE peer_id = ?1 ORDER BY number",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, peer_id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(st, 0);

		if (n > expect) {
			if (out->len)
				strbuf_addstr(out, ", ");
			if (n - 1 == expect)
				strbuf_addf(out, "%lld", (long long)expect);
			else
				strbuf_addf(out, "%lld-%lld", (long long)expect, (long long)(n - 1));
		}
		expect = n + 1;
	}
	sqlite3_finalize(st);
}

/* Import one bundle file. Returns GQ_OK when imported or skipped,
 * GQ_ECORRUPT when refused (reported), another status on failure. */
static enum gq_status import_one(struct gq_db *db, const char *path, const struct keys_own *own,
				 struct strbuf *report, const struct sync_import_observer *obs,
				 struct sync_bundle_result *res, struct gq_err *err)
{
	struct bundle_header h;
	enum bundle_reason reason = BUNDLE_OK;
	struct import_stats is;
	struct peer from;
	struct gq_err why;
	char hash[65], clock_note[256] = "", who[160];
	enum gq_status rc;
	sqlite3_stmt *st;
	int64_t now = clock_now_ms();
	size_t at = report->len;

	memset(&is, 0, sizeof(is));
	strbuf_init(&is.refusals, 0);
	strbuf_init(&is.notes, 0);
	strbuf_init(&is.follow, 0);
	is.obs = obs;
	bundle_header_init(&h);
	gq_err_clear(&why);
	res->outcome = SYNC_B_REFUSED;
	rc = bundle_peek_header(path, &h, &reason, &why);
	if (rc != GQ_OK)
		goto refused;
	text_copy(res->sender, sizeof(res->sender), h.sender);
	res->number = h.number;
	is.total = h.record_count;
	if (strcmp(h.recipient, db->station_id)) {
		res->outcome = SYNC_B_SKIPPED;
		strbuf_addf(report, _("%s: skipped: it is addressed to %s, not to this database.\n"),
			    path, h.recipient);
		rc = GQ_OK;
		goto out;
	}
	/* Its records are of the format this program reads. */
	if (h.format_version != BUNDLE_FORMAT_VERSION) {
		rc = gq_err_set(&why, GQ_ECORRUPT,
				_("Bundle %s has format version %u; this program reads bundles of format version %d: update the program at the place that wrote it, then export again."),
				path, (unsigned)h.format_version, BUNDLE_FORMAT_VERSION);
		goto refused;
	}
	if (h.schema_version != DB_RECORDS_VERSION) {
		rc = gq_err_set(&why, GQ_ECORRUPT,
				_("Bundle %s has schema version %u; this database has %d: update the program at the older place."),
				path, (unsigned)h.schema_version, DB_RECORDS_VERSION);
		goto refused;
	}
	/* Numbers start at 1 and stay below 2^63 (they are stored signed). */
	if (h.number < 1 || h.number > (uint64_t)INT64_MAX) {
		rc = gq_err_set(&why, GQ_ECORRUPT,
				_("Bundle %s has the number %llu; bundle numbers start at 1 and stay below 2^63."),
				path, (unsigned long long)h.number);
		goto refused;
	}
	rc = peer_load(db, h.sender, &from, &why);
	if (rc == GQ_ENOTFOUND) {
		rc = gq_err_set(&why, GQ_ECORRUPT, _("Bundle %s comes from %s, which is not an enrolled station."),
				path, h.sender);
		goto refused;
	}
	if (rc != GQ_OK) {
		/* The database failed, not the bundle. */
		*err = why;
		goto out;
	}
	if (strcmp(from.status, "active")) {
		rc = gq_err_set(&why, GQ_ECORRUPT,
				_("Bundle %s comes from station %s, whose enrolment was revoked or replaced."),
				path, h.sender);
		goto refused;
	}
	rc = bundle_verify(path, db->station_id, own, &from.pub, NULL, &reason, &why);
	if (rc != GQ_OK)
		goto refused;
	rc = file_hash(path, hash, &why);
	if (rc != GQ_OK)
		goto refused;
	/* The same number again: the same file is a no-op, another is
	 * refused. */
	rc = db_prepare(db, "SELECT file_hash FROM bundle_in WHERE peer_id = ?1 AND number = ?2", &st, err);
	if (rc != GQ_OK)
		goto out;
	sqlite3_bind_text(st, 1, from.id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)h.number);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int same = !strcmp((const char *)sqlite3_column_text(st, 0), hash);

		sqlite3_finalize(st);
		if (same) {
			res->outcome = SYNC_B_ALREADY;
			strbuf_addf(report, _("%s: bundle %llu was already imported; nothing to do.\n"),
				    path, (unsigned long long)h.number);
			rc = GQ_OK;
			goto out;
		}
		rc = gq_err_set(&why, GQ_ECORRUPT,
				_("Bundle %s reuses number %llu with other content than the bundle imported before."),
				path, (unsigned long long)h.number);
		goto refused;
	}
	sqlite3_finalize(st);
	/* A clock far from ours is flagged; the merge bounds its effect. */
	if (h.clock_wall_ms > now + CLOCK_AHEAD_MS) {
		char iso[32];

		clock_iso(h.clock_wall_ms, iso, sizeof(iso));
		snprintf(clock_note, sizeof(clock_note), _("clock ahead: %s"), iso);
	} else if (h.clock_wall_ms < now - CLOCK_BEHIND_MS) {
		char iso[32];

		clock_iso(h.clock_wall_ms, iso, sizeof(iso));
		snprintf(clock_note, sizeof(clock_note), _("clock behind: %s"), iso);
	}

	rc = db_begin(db, err);
	if (rc != GQ_OK)
		goto out;
	rc = apply_records(db, path, &from, own, &is, &why);
	if (rc == GQ_OK)
		rc = record_import(db, &from, &h, hash, &is, clock_note, &why);
	if (rc == GQ_OK)
		rc = db_commit(db, &why);
	else
		db_rollback(db);
	if (rc != GQ_OK) {
		if (rc == GQ_EIO)
			goto unreadable;
		if (rc != GQ_ECORRUPT && rc != GQ_EINVAL) {
			*err = why;
			goto out;
		}
		rc = GQ_ECORRUPT;
		goto refused;
	}
	if (!strcmp(from.role, "county")) {
		text_copy(who, sizeof(who), _("the county"));
	} else {
		char vname[128];

		/* By town and village, as the county's screens name it. */
		if (county_village_folder(db, from.village, vname, sizeof(vname)) != 0)
			division_name(db, from.village, vname, sizeof(vname));
		snprintf(who, sizeof(who), "%s %s", from.village, vname);
	}
	strbuf_addf(report, _("%s: bundle %llu from %s: %lld changes, %lld new, %lld already here, %lld conflicts.\n"),
		    path, (unsigned long long)h.number, who, (long long)is.changes, (long long)is.m.applied,
		    (long long)is.m.duplicates, (long long)is.m.opened);
	if (is.refused_changes) {
		strbuf_addf(report, _("  %lld changes were refused: a station may change only its own village's records, and not the county's decisions.\n"),
			    (long long)is.refused_changes);
		strbuf_addstr(report, is.refusals.buf);
	}
	strbuf_addstr(report, is.notes.buf);
	{
		int64_t ack;
		char shown[41];
		size_t k;

		if (parse_ack(&h, from.sent_number, &ack) < 0) {
			/* Shown as printable ASCII only: it comes from the sender. */
			for (k = 0; k < h.acks_len && k < sizeof(shown) - 1; k++)
				shown[k] = h.acks[k] >= 0x20 && h.acks[k] < 0x7f ? (char)h.acks[k] :
					   h.acks[k] == '\n' ? ' ' : '?';
			while (k > 0 && shown[k - 1] == ' ')
				k--;
			shown[k] = '\0';
			strbuf_addf(report, _("  Its acknowledgement (%s) names no bundle sent from here (the last one sent was %lld): it was ignored, and nothing counts as received because of it.\n"),
				    shown, (long long)from.sent_number);
		}
	}
	if (clock_note[0] || is.m.clamped)
		strbuf_addf(report, _("  Warning: the sender's clock is wrong (%s); its times were bounded to 24 hours ahead of ours.\n"),
			    clock_note[0] ? clock_note : _("times ahead of ours"));
	{
		struct strbuf gaps = STRBUF_INIT;

		peer_gaps(db, from.id, &gaps);
		if (gaps.len)
			strbuf_addf(report, _("  Missing bundles from this sender: %s (later bundles carry their changes again).\n"),
				    gaps.buf);
		text_copy(res->gaps, sizeof(res->gaps), gaps.buf ? gaps.buf : "");
		strbuf_release(&gaps);
	}
	res->outcome = SYNC_B_IMPORTED;
	res->changes = is.changes;
	res->applied = is.m.applied;
	res->duplicates = is.m.duplicates;
	res->conflicts = is.m.opened;
	res->refused_changes = is.refused_changes;
	res->clock_warning = clock_note[0] || is.m.clamped;
	rc = GQ_OK;
	goto out;
refused:
	/* A file that could not be read is not a damaged one: the stick may
	 * be loose or the file not readable for this user. It stays where it
	 * is for the next import. */
	if (reason == BUNDLE_EREAD || rc == GQ_EIO)
		goto unreadable;
	/* Nor is a failing database (full, unreadable) a reason to set a
	 * good bundle aside: the import stops and says why. */
	if (rc == GQ_EDB || rc == GQ_ENOMEM || why.code == GQ_EDB || why.code == GQ_ENOMEM) {
		*err = why;
		rc = why.code ? why.code : rc;
		goto out;
	}
	strbuf_addf(report, _("%s: REFUSED: %s\n"), path,
		    why.msg[0] ? why.msg : bundle_reason_str(reason));
	set_aside(path, report);
	rc = GQ_ECORRUPT;
	goto out;
unreadable:
	strbuf_addf(report, _("%s: could not be read: %s\n"), path,
		    why.msg[0] ? why.msg : bundle_reason_str(BUNDLE_EREAD));
	strbuf_addstr(report, _("  It was left where it is; the next import tries it again.\n"));
	res->outcome = SYNC_B_UNREADABLE;
	rc = GQ_EIO;
out:
	if (obs && obs->result && (rc == GQ_OK || rc == GQ_ECORRUPT || rc == GQ_EIO)) {
		res->text = report->buf + at;
		res->refusals = is.refusals.buf;
		res->notes = is.notes.buf;
		obs->result(obs->ctx, res);
	}
	bundle_header_release(&h);
	merge_verdict_release(&is.verdict);
	strbuf_release(&is.refusals);
	strbuf_release(&is.notes);
	strbuf_release(&is.follow);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* The bundle files to import under a folder: its guanqing/to-<us> (or
 * to-county) folder when it is a stick, else the folder itself. */
static enum gq_status list_folder(struct gq_db *db, const char *dir, struct media_list *out,
				  struct gq_err *err)
{
	char sub[4096];
	struct media_list names = MEDIA_LIST_INIT;
	struct stat sb;
	enum gq_status rc;
	size_t i;

	if (pathf(sub, sizeof(sub), "%s/guanqing", dir) == 0) {
		rc = not_a_link(sub, err);
		if (rc != GQ_OK)
			return rc;
	}
	if (pathf(sub, sizeof(sub), "%s/guanqing/to-%s", dir,
		  db->role == DB_ROLE_COUNTY ? "county" : db->station_id) == 0) {
		rc = not_a_link(sub, err);
		if (rc != GQ_OK)
			return rc;
	}
	if (pathf(sub, sizeof(sub), "%s/guanqing/to-%s", dir,
		  db->role == DB_ROLE_COUNTY ? "county" : db->station_id) ||
	    stat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		char folder[256];

		/* The county may have written a station's return bundles
		 * into a folder named by its town and village. */
		if (db->role == DB_ROLE_COUNTY ||
		    county_village_folder(db, db->village, folder, sizeof(folder)) != 0 ||
		    pathf(sub, sizeof(sub), "%s/%s/guanqing/to-%s", dir, folder, db->station_id) ||
		    stat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode) || not_a_link(sub, err) != GQ_OK)
			pathf(sub, sizeof(sub), "%s", dir);
	}
	rc = media_list_files(sub, BUNDLE_FILE_SUFFIX, &names, err);
	for (i = 0; rc == GQ_OK && i < names.nr; i++) {
		char path[4096];
		char **grown;

		if (pathf(path, sizeof(path), "%s/%s", sub, names.items[i]))
			continue;	/* cannot be opened anyway */
		if (out->nr == out->alloc) {
			out->alloc = out->alloc ? 2 * out->alloc : 16;
			grown = realloc(out->items, out->alloc * sizeof(char *));
			if (!grown)
				abort();
			out->items = grown;
		}
		out->items[out->nr] = strdup(path);
		if (!out->items[out->nr])
			abort();
		out->nr++;
	}
	media_list_release(&names);
	return rc;
}

static enum gq_status import_locked(struct gq_db *db, const char *const *paths,
				    size_t npaths, struct strbuf *report, int *refused,
				    const struct sync_import_observer *obs, struct gq_err *err);

/* The rows written through db so far: tells a bundle applied from one
 * skipped. */
static int64_t db_total_changes(struct gq_db *db)
{
	return (int64_t)sqlite3_total_changes(db->h);
}

/* The lock file of imports into db; -1 when it cannot be opened. */
static int import_lock_open(struct gq_db *db)
{
	char path[4096];

	if (pathf(path, sizeof(path), "%s-import.lock", db->path))
		return -1;
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

int sync_import_running(struct gq_db *db)
{
	int fd = import_lock_open(db), running = 0;

	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0)
		running = errno == EWOULDBLOCK;
	close(fd);
	return running;
}

enum gq_status sync_import(struct gq_db *db, const char *const *paths,
			   size_t npaths, struct strbuf *report, int *refused,
			   struct gq_err *err)
{
	return sync_import_observed(db, paths, npaths, report, refused, NULL, err);
}

enum gq_status sync_import_observed(struct gq_db *db, const char *const *paths,
				    size_t npaths, struct strbuf *report, int *refused,
				    const struct sync_import_observer *obs, struct gq_err *err)
{
	int lock = import_lock_open(db);
	enum gq_status rc;

	if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
		close(lock);
		if (refused)
			*refused = 0;
		return gq_err_set(err, GQ_EINVAL,
				  _("Another import into %s is running; wait until it has finished, then import again."),
				  db->path);
	}
	rc = import_locked(db, paths, npaths, report, refused, obs, err);
	if (lock >= 0)
		close(lock);
	return rc;
}

static enum gq_status import_locked(struct gq_db *db, const char *const *paths,
				    size_t npaths, struct strbuf *report, int *refused,
				    const struct sync_import_observer *obs, struct gq_err *err)
{
	struct media_list files = MEDIA_LIST_INIT;
	struct keys_own own;
	enum gq_status rc;
	size_t i;
	int bad = 0, unread = 0;
	int64_t last_changes;

	if (refused)
		*refused = 0;
	rc = sync_load_own_keys(db, &own, err);
	if (rc != GQ_OK)
		return rc;
	for (i = 0; rc == GQ_OK && i < npaths; i++) {
		struct stat sb;

		if (stat(paths[i], &sb) != 0) {
			rc = gq_err_set(err, GQ_ENOTFOUND, _("%s does not exist."), paths[i]);
		} else if (S_ISDIR(sb.st_mode)) {
			rc = list_folder(db, paths[i], &files, err);
		} else {
			char **grown;

			if (files.nr == files.alloc) {
				files.alloc = files.alloc ? 2 * files.alloc : 16;
				grown = realloc(files.items, files.alloc * sizeof(char *));
				if (!grown)
					abort();
				files.items = grown;
			}
			files.items[files.nr++] = strdup(paths[i]);
		}
	}
	last_changes = db_total_changes(db);
	/* In each sender's order of numbers: the names sort so. */
	for (i = 0; rc == GQ_OK && i < files.nr; i++) {
		enum gq_status one;

		if (!ends_with(files.items[i], BUNDLE_FILE_SUFFIX))
			strbuf_addf(report, _("%s: not a bundle file name (*.gqb); tried anyway.\n"),
				    files.items[i]);
		/* Each bundle is one transaction; a writer waiting for the
		 * lock (a clerk's save) gets in before the next one. */
		if (last_changes != db_total_changes(db)) {
			struct timespec nap = { 0, 30 * 1000 * 1000 };

			nanosleep(&nap, NULL);
		}
		last_changes = db_total_changes(db);
		{
			struct sync_bundle_result res;

			memset(&res, 0, sizeof(res));
			res.path = files.items[i];
			if (obs && obs->bundle)
				obs->bundle(obs->ctx, i, files.nr, files.items[i]);
			one = import_one(db, files.items[i], &own, report, obs, &res, err);
		}
		if (one == GQ_ECORRUPT)
			bad++;
		else if (one == GQ_EIO)
			unread++;
		else if (one != GQ_OK)
			rc = one;
	}
	if (rc == GQ_OK && files.nr == 0)
		strbuf_addstr(report, _("No bundle was found.\n"));
	media_list_release(&files);
	keys_release(&own);
	if (refused)
		*refused = bad;
	if (rc == GQ_OK && bad)
		rc = gq_err_set(err, GQ_ECORRUPT, _("%d bundles were refused."), bad);
	else if (rc == GQ_OK && unread)
		rc = gq_err_set(err, GQ_EIO,
				_("%d bundles could not be read and were left on the stick: check that it is plugged in well, then import again."),
				unread);
	return rc;
}

int64_t sync_unsent_count(struct gq_db *db)
{
	sqlite3_stmt *st;
	int64_t n = 0;
	const char *sql = db->role == DB_ROLE_COUNTY ?
		"SELECT count(*) FROM (SELECT DISTINCT e.row_n, f.tbl FROM log_entry e"
		" JOIN log_field f ON f.n = e.field_n"
		" WHERE e.origin_n = (SELECT n FROM log_key WHERE key = ?1)"
		" AND e.seq > coalesce((SELECT min(acked_seq) FROM peer WHERE status = 'active'), 0))" :
		"SELECT count(*) FROM (SELECT DISTINCT e.row_n, f.tbl FROM log_entry e"
		" JOIN log_field f ON f.n = e.field_n"
		" WHERE e.origin_n = (SELECT n FROM log_key WHERE key = ?1)"
		" AND e.seq > coalesce((SELECT max(acked_seq) FROM peer WHERE role = 'county'), 0))";

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, db->station_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* ---- keys for the backup and the install kit ---- */

enum gq_status sync_county_sign_key(struct gq_db *db, unsigned char key[KEYS_SIGN_PUBLIC_BYTES],
				    struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	if (db->role == DB_ROLE_COUNTY)
		return meta_key(db, "sign_public", KEYS_SIGN_PUBLIC, key, err);
	rc = db_prepare(db, "SELECT sign_public FROM peer WHERE role = 'county'"
			" ORDER BY status = 'active' DESC, enrolled_at DESC LIMIT 1", &st, err);
	if (rc != GQ_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = keys_from_text(KEYS_SIGN_PUBLIC, (const char *)sqlite3_column_text(st, 0), key,
				    db->path, err);
	else
		rc = gq_err_set(err, GQ_ENOTFOUND,
				_("Database %s knows no county key: it was not made from a setup file (\"station init --setup\")."),
				db->path);
	sqlite3_finalize(st);
	return rc;
}
