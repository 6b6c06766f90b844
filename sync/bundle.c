/* bundle.c - write and read bundle files (doc/bundle-format.md).
 *
 * The writer streams: records go through deflate into a chunk buffer, each
 * full chunk is encrypted and written at once, and only the fixed-size
 * header is written again at the end, when the lengths are known. The
 * readers stream the same way, in one pass: they hash the ciphertext (for
 * checksum and signature) while they decrypt, inflate and split it, and
 * decide only at the end which failure to report, so that damage is always
 * told as damage and forgery as forgery, whatever it broke on the way.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sodium.h>
#include <zlib.h>

#include "guanqing/bundle.h"
#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/le.h"

/* Layout of the fixed header, format version 1. */
#define HDR_MAGIC 0
#define HDR_VERSION 8
#define HDR_FLAGS 10
#define HDR_SCHEMA 12
#define HDR_SENDER 16
#define HDR_RECIPIENT 52
#define HDR_NUMBER 88
#define HDR_FIRST 96
#define HDR_LAST 104
#define HDR_WALL 112
#define HDR_HLC 120
#define HDR_RECORDS 128
#define HDR_PLAIN 136
#define HDR_COMPRESSED 144
#define HDR_CIPHER 152
#define HDR_ACKS_LEN 160
#define HDR_CHUNK 164
#define HDR_SUM 168
#define HDR_SUM_LEN 16
#define HDR_LEN 184

#define KEY_LEN crypto_secretstream_xchacha20poly1305_KEYBYTES
#define SEALED_LEN (KEY_LEN + crypto_box_SEALBYTES)
#define SS_HEADER_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define CT_HASH_LEN 32
#define SIG_LEN crypto_sign_BYTES
#define SUM_LEN 32
#define TAIL_LEN (SIG_LEN + SUM_LEN)

#define CHUNK_SIZE 65536u
#define CHUNK_MIN 1024u
#define CHUNK_MAX (1024u * 1024)
/* Keeps every length sum below 2^64. */
#define LEN_SANE (UINT64_C(1) << 60)
#define ZOUT_LEN 65536u

_Static_assert(SEALED_LEN == 80, "sealed key length");
_Static_assert(SS_HEADER_LEN == 24, "secretstream header length");
_Static_assert(SS_ABYTES == 17, "secretstream overhead");
_Static_assert(SIG_LEN == 64, "signature length");

static const unsigned char bundle_magic[8] = {
	0x89, 'G', 'Q', 'B', '\r', '\n', 0x1a, '\n'
};

static const char *const reason_text[BUNDLE_REASON_MAX] = {
	[BUNDLE_OK] = N_("accepted"),
	[BUNDLE_EREAD] = N_("cannot be read"),
	[BUNDLE_EMAGIC] = N_("not a bundle"),
	[BUNDLE_EVERSION] = N_("unsupported format version"),
	[BUNDLE_ETRUNCATED] = N_("truncated"),
	[BUNDLE_ETRAILING] = N_("trailing data"),
	[BUNDLE_ECHECKSUM] = N_("damaged (checksum mismatch)"),
	[BUNDLE_EHEADER] = N_("malformed header"),
	[BUNDLE_ERECIPIENT] = N_("not addressed to us"),
	[BUNDLE_ESIGNATURE] = N_("bad signature (forged or wrong sender key)"),
	[BUNDLE_EDECRYPT] = N_("decryption failed"),
	[BUNDLE_EDECOMPRESS] = N_("decompression failed"),
	[BUNDLE_ERECORDS] = N_("malformed records"),
};

const char *bundle_reason_str(enum bundle_reason reason)
{
	if ((int)reason < 0 || reason >= BUNDLE_REASON_MAX)
		return "?";
	return _(reason_text[reason]);
}

/* ---- Little-endian fields ---- */

/* ---- Header ---- */

void bundle_header_init(struct bundle_header *h)
{
	memset(h, 0, sizeof(*h));
}

void bundle_header_release(struct bundle_header *h)
{
	if (!h)
		return;
	free(h->acks);
	bundle_header_init(h);
}

enum gq_status bundle_header_set_acks(struct bundle_header *h,
				      const void *acks, size_t len,
				      struct gq_err *err)
{
	unsigned char *p = NULL;

	if (len > BUNDLE_ACKS_MAX)
		return gq_err_set(err, GQ_EINVAL,
				  _("The acknowledgements are %zu bytes; a bundle holds at most %u."),
				  len, BUNDLE_ACKS_MAX);
	if (len) {
		p = malloc(len);
		if (!p)
			return gq_err_set(err, GQ_ENOMEM, _("Out of memory for the acknowledgements."));
		memcpy(p, acks, len);
	}
	free(h->acks);
	h->acks = p;
	h->acks_len = len;
	return GQ_OK;
}

static int id_valid(const char *s, int allow_upper)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < BUNDLE_ID_LEN; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (allow_upper && c >= 'A' && c <= 'F'))) {
			return 0;
		}
	}
	return s[BUNDLE_ID_LEN] == '\0';
}

int bundle_id_valid(const char *s)
{
	return id_valid(s, 0);
}

void bundle_file_name(const char *sender, uint64_t number,
		      char out[BUNDLE_FILE_NAME_SIZE])
{
	snprintf(out, BUNDLE_FILE_NAME_SIZE, "%.36s-%020llu%s", sender,
		 (unsigned long long)number, BUNDLE_FILE_SUFFIX);
}

/* The cipher length that a compressed length gives with this chunk size:
 * the secretstream header, the data, and 17 bytes per chunk, where every
 * chunk but the last is full and the last holds 0 to chunk-1 bytes. */
static uint64_t cipher_len_for(uint64_t compressed, uint32_t chunk)
{
	return SS_HEADER_LEN + compressed + SS_ABYTES * (compressed / chunk + 1);
}

static uint64_t file_len_for(const struct bundle_header *h)
{
	return HDR_LEN + (uint64_t)h->acks_len + SEALED_LEN + h->cipher_len +
	       TAIL_LEN;
}

/* Encode the fixed header of h, with its checksum, into out. */
static void hdr_encode(const struct bundle_header *h, unsigned char *out)
{
	memset(out, 0, HDR_LEN);
	memcpy(out + HDR_MAGIC, bundle_magic, sizeof(bundle_magic));
	le_put_u16(out + HDR_VERSION, BUNDLE_FORMAT_VERSION);
	le_put_u16(out + HDR_FLAGS, 0);
	le_put_u32(out + HDR_SCHEMA, h->schema_version);
	memcpy(out + HDR_SENDER, h->sender, BUNDLE_ID_LEN);
	memcpy(out + HDR_RECIPIENT, h->recipient, BUNDLE_ID_LEN);
	le_put_u64(out + HDR_NUMBER, h->number);
	le_put_u64(out + HDR_FIRST, h->first_change);
	le_put_u64(out + HDR_LAST, h->last_change);
	le_put_u64(out + HDR_WALL, (uint64_t)h->clock_wall_ms);
	le_put_u64(out + HDR_HLC, (uint64_t)h->clock_hlc);
	le_put_u64(out + HDR_RECORDS, h->record_count);
	le_put_u64(out + HDR_PLAIN, h->plain_len);
	le_put_u64(out + HDR_COMPRESSED, h->compressed_len);
	le_put_u64(out + HDR_CIPHER, h->cipher_len);
	le_put_u32(out + HDR_ACKS_LEN, (uint32_t)h->acks_len);
	le_put_u32(out + HDR_CHUNK, h->chunk_size);
	crypto_generichash(out + HDR_SUM, HDR_SUM_LEN, out, HDR_SUM, NULL, 0);
}

/* Decode the fixed header (acks not included) into h. */
static void hdr_decode(const unsigned char *in, struct bundle_header *h)
{
	h->format_version = le_get_u16(in + HDR_VERSION);
	h->schema_version = le_get_u32(in + HDR_SCHEMA);
	memcpy(h->sender, in + HDR_SENDER, BUNDLE_ID_LEN);
	h->sender[BUNDLE_ID_LEN] = '\0';
	memcpy(h->recipient, in + HDR_RECIPIENT, BUNDLE_ID_LEN);
	h->recipient[BUNDLE_ID_LEN] = '\0';
	h->number = le_get_u64(in + HDR_NUMBER);
	h->first_change = le_get_u64(in + HDR_FIRST);
	h->last_change = le_get_u64(in + HDR_LAST);
	h->clock_wall_ms = (int64_t)le_get_u64(in + HDR_WALL);
	h->clock_hlc = (int64_t)le_get_u64(in + HDR_HLC);
	h->record_count = le_get_u64(in + HDR_RECORDS);
	h->plain_len = le_get_u64(in + HDR_PLAIN);
	h->compressed_len = le_get_u64(in + HDR_COMPRESSED);
	h->cipher_len = le_get_u64(in + HDR_CIPHER);
	h->acks_len = le_get_u32(in + HDR_ACKS_LEN);
	h->chunk_size = le_get_u32(in + HDR_CHUNK);
	h->file_len = 0;
}

/* ---- Writer ---- */

struct bundle_writer {
	FILE *f;
	int own_f;		/* f was made by bundle_writer_open_fd */
	char *name;
	struct bundle_header h;
	off_t base;		/* where the bundle starts in f */
	uint64_t written;	/* bytes written since base */
	uint64_t max_size;
	unsigned char sealed[SEALED_LEN];
	unsigned char sign_secret[KEYS_SIGN_SECRET_BYTES];
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state cth;	/* hash of the ciphertext */
	z_stream zs;
	int z_inited;
	unsigned char *zbuf;	/* deflate output: one chunk of plaintext */
	unsigned char *cbuf;	/* one encrypted chunk */
	int failed;
	int finished;
};

static enum gq_status w_fail(struct bundle_writer *w, struct gq_err *err,
			     enum gq_status code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum gq_status w_fail(struct bundle_writer *w, struct gq_err *err,
			     enum gq_status code, const char *fmt, ...)
{
	char buf[2 * GQ_ERR_MSG_MAX];
	va_list ap;

	w->failed = 1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return gq_err_set(err, code, "%s", buf);
}

static enum gq_status w_write(struct bundle_writer *w, const void *p,
			      size_t n, struct gq_err *err)
{
	if (n && fwrite(p, 1, n, w->f) != n)
		return w_fail(w, err, GQ_EIO, _("Could not write the bundle %s: %s."),
			      w->name, strerror(errno));
	w->written += n;
	return GQ_OK;
}

/* Encrypt len bytes of zbuf as one chunk with tag and write it. */
static enum gq_status w_chunk(struct bundle_writer *w, size_t len,
			      unsigned char tag, struct gq_err *err)
{
	unsigned long long clen = 0;

	if (w->written + len + SS_ABYTES + TAIL_LEN > w->max_size)
		return w_fail(w, err, GQ_EINVAL,
			      _("The bundle %s would grow past %llu bytes, the largest file allowed here (a FAT32 stick holds at most 4 GiB per file); send the changes in several bundles."),
			      w->name, (unsigned long long)w->max_size);
	crypto_secretstream_xchacha20poly1305_push(&w->ss, w->cbuf, &clen,
						   w->zbuf, len, NULL, 0, tag);
	crypto_generichash_update(&w->cth, w->cbuf, clen);
	w->h.compressed_len += len;
	w->h.cipher_len += clen;
	return w_write(w, w->cbuf, (size_t)clen, err);
}

/* Run deflate over n bytes with flush; every full chunk is written. */
static enum gq_status w_deflate(struct bundle_writer *w, const void *p,
				size_t n, int flush, struct gq_err *err)
{
	enum gq_status rc = GQ_OK;
	int ret;

	w->zs.next_in = (Bytef *)(uintptr_t)p;
	w->zs.avail_in = (uInt)n;
	for (;;) {
		ret = deflate(&w->zs, flush);
		if (ret == Z_STREAM_ERROR)
			return w_fail(w, err, GQ_EIO,
				      _("Could not compress the bundle %s."), w->name);
		if (w->zs.avail_out == 0) {
			rc = w_chunk(w, w->h.chunk_size,
				     crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
				     err);
			if (rc != GQ_OK)
				return rc;
			w->zs.next_out = w->zbuf;
			w->zs.avail_out = w->h.chunk_size;
			continue;
		}
		if (flush == Z_FINISH ? ret == Z_STREAM_END : w->zs.avail_in == 0)
			return GQ_OK;
	}
}

static enum gq_status w_setup(struct bundle_writer **wp, FILE *f, int own_f,
			      const struct bundle_header *h,
			      const struct keys_own *sender,
			      const struct keys_public *recipient,
			      const char *name, struct gq_err *err);

/* Make the writer; on failure free it (closing f when it is ours). */
static enum gq_status w_open(struct bundle_writer **wp, FILE *f, int own_f,
			     const struct bundle_header *h,
			     const struct keys_own *sender,
			     const struct keys_public *recipient,
			     const char *name, struct gq_err *err)
{
	enum gq_status rc;

	*wp = NULL;
	rc = w_setup(wp, f, own_f, h, sender, recipient, name, err);
	if (rc != GQ_OK)
		bundle_writer_free(wp);
	return rc;
}

static enum gq_status w_setup(struct bundle_writer **wp, FILE *f, int own_f,
			      const struct bundle_header *h,
			      const struct keys_own *sender,
			      const struct keys_public *recipient,
			      const char *name, struct gq_err *err)
{
	struct bundle_writer *w;
	unsigned char hdr[HDR_LEN], key[KEY_LEN], ssh[SS_HEADER_LEN];
	enum gq_status rc;

	rc = keys_crypto_init(err);
	if (rc != GQ_OK)
		goto fail_f;
	if (!h || !bundle_id_valid(h->sender) || !bundle_id_valid(h->recipient)) {
		rc = gq_err_set(err, GQ_EINVAL,
				_("A bundle needs the sender and recipient ids as lower-case UUIDs; got \"%s\" and \"%s\"."),
				h ? h->sender : "", h ? h->recipient : "");
		goto fail_f;
	}
	if (h->acks_len > BUNDLE_ACKS_MAX || (h->acks_len && !h->acks)) {
		rc = gq_err_set(err, GQ_EINVAL,
				_("The acknowledgements are %zu bytes; a bundle holds at most %u."),
				h->acks_len, BUNDLE_ACKS_MAX);
		goto fail_f;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		rc = gq_err_set(err, GQ_ENOMEM, _("Out of memory for a bundle writer."));
		goto fail_f;
	}
	w->f = f;
	w->own_f = own_f;
	w->max_size = BUNDLE_DEFAULT_MAX_SIZE;
	if (name) {
		w->name = strdup(name);
	} else {
		char buf[128];

		snprintf(buf, sizeof(buf), _("no. %llu to %s"),
			 (unsigned long long)h->number, h->recipient);
		w->name = strdup(buf);
	}
	w->h = *h;
	w->h.acks = NULL;
	w->h.acks_len = 0;
	w->zbuf = malloc(CHUNK_SIZE);
	w->cbuf = malloc(CHUNK_SIZE + SS_ABYTES);
	*wp = w;
	if (!w->name || !w->zbuf || !w->cbuf)
		return w_fail(w, err, GQ_ENOMEM, _("Out of memory for a bundle writer."));
	rc = bundle_header_set_acks(&w->h, h->acks, h->acks_len, err);
	if (rc != GQ_OK) {
		w->failed = 1;
		return rc;
	}
	w->h.format_version = BUNDLE_FORMAT_VERSION;
	w->h.chunk_size = CHUNK_SIZE;
	w->h.record_count = w->h.plain_len = w->h.compressed_len = 0;
	w->h.cipher_len = SS_HEADER_LEN;
	memcpy(w->sign_secret, sender->sign_secret, sizeof(w->sign_secret));

	w->base = ftello(f);
	if (w->base < 0 || fseeko(f, w->base, SEEK_SET) != 0)
		return w_fail(w, err, GQ_EINVAL,
			      _("The bundle %s must be written to a regular file, which can be rewound to fill in its header."),
			      w->name);

	crypto_secretstream_xchacha20poly1305_keygen(key);
	if (crypto_box_seal(w->sealed, key, sizeof(key), recipient->box) != 0) {
		sodium_memzero(key, sizeof(key));
		return w_fail(w, err, GQ_EINVAL,
			      _("The recipient's public encryption key for the bundle %s is not valid."),
			      w->name);
	}
	crypto_secretstream_xchacha20poly1305_init_push(&w->ss, ssh, key);
	sodium_memzero(key, sizeof(key));
	crypto_generichash_init(&w->cth, NULL, 0, CT_HASH_LEN);
	crypto_generichash_update(&w->cth, ssh, sizeof(ssh));

	if (deflateInit(&w->zs, Z_DEFAULT_COMPRESSION) != Z_OK)
		return w_fail(w, err, GQ_ENOMEM, _("Out of memory for a bundle writer."));
	w->z_inited = 1;
	w->zs.next_out = w->zbuf;
	w->zs.avail_out = CHUNK_SIZE;

	/* The header is written now to hold its place and again at the end. */
	hdr_encode(&w->h, hdr);
	rc = w_write(w, hdr, sizeof(hdr), err);
	if (rc == GQ_OK)
		rc = w_write(w, w->h.acks, w->h.acks_len, err);
	if (rc == GQ_OK)
		rc = w_write(w, w->sealed, sizeof(w->sealed), err);
	if (rc == GQ_OK)
		rc = w_write(w, ssh, sizeof(ssh), err);
	return rc;

fail_f:
	if (own_f)
		fclose(f);
	return rc;
}

enum gq_status bundle_writer_open(struct bundle_writer **w, FILE *f,
				  const struct bundle_header *h,
				  const struct keys_own *sender,
				  const struct keys_public *recipient,
				  const char *name, struct gq_err *err)
{
	return w_open(w, f, 0, h, sender, recipient, name, err);
}

enum gq_status bundle_writer_open_fd(struct bundle_writer **w, int fd,
				     const struct bundle_header *h,
				     const struct keys_own *sender,
				     const struct keys_public *recipient,
				     const char *name, struct gq_err *err)
{
	int dfd = dup(fd);
	FILE *f;

	*w = NULL;
	if (dfd < 0 || !(f = fdopen(dfd, "wb"))) {
		int e = errno;

		if (dfd >= 0)
			close(dfd);
		return gq_err_set(err, GQ_EIO, _("Could not write the bundle %s: %s."),
				  name ? name : "", strerror(e));
	}
	return w_open(w, f, 1, h, sender, recipient, name, err);
}

void bundle_writer_set_max_size(struct bundle_writer *w, uint64_t max)
{
	if (w)
		w->max_size = max;
}

static enum gq_status w_refuse(struct bundle_writer *w, struct gq_err *err)
{
	return gq_err_set(err, GQ_EINVAL,
			  w->finished ? _("The bundle %s is already finished.")
				      : _("The bundle %s failed before and cannot be continued."),
			  w->name);
}

enum gq_status bundle_writer_add(struct bundle_writer *w, const void *rec,
				 size_t len, struct gq_err *err)
{
	unsigned char frame[4];
	enum gq_status rc;

	if (w->failed || w->finished)
		return w_refuse(w, err);
	if (len > BUNDLE_RECORD_MAX)
		return gq_err_set(err, GQ_EINVAL,
				  _("Record %llu of the bundle %s is %zu bytes; a record may hold at most 16 MiB."),
				  (unsigned long long)w->h.record_count + 1,
				  w->name, len);
	if (len && !rec)
		return gq_err_set(err, GQ_EINVAL,
				  _("Record %llu of the bundle %s has no data."),
				  (unsigned long long)w->h.record_count + 1, w->name);
	le_put_u32(frame, (uint32_t)len);
	rc = w_deflate(w, frame, sizeof(frame), Z_NO_FLUSH, err);
	if (rc == GQ_OK && len)
		rc = w_deflate(w, rec, len, Z_NO_FLUSH, err);
	if (rc == GQ_OK) {
		w->h.record_count++;
		w->h.plain_len += sizeof(frame) + len;
	}
	return rc;
}

enum gq_status bundle_writer_finish(struct bundle_writer *w,
				    struct gq_err *err)
{
	unsigned char hdr[HDR_LEN], ct[CT_HASH_LEN], sig[SIG_LEN], sum[SUM_LEN];
	crypto_generichash_state st;
	unsigned char *msg = NULL;
	size_t mlen;
	enum gq_status rc;

	if (w->failed || w->finished)
		return w_refuse(w, err);
	rc = w_deflate(w, NULL, 0, Z_FINISH, err);
	if (rc != GQ_OK)
		return rc;
	rc = w_chunk(w, w->h.chunk_size - w->zs.avail_out,
		     crypto_secretstream_xchacha20poly1305_TAG_FINAL, err);
	if (rc != GQ_OK)
		return rc;
	crypto_generichash_final(&w->cth, ct, sizeof(ct));
	w->h.file_len = file_len_for(&w->h);
	hdr_encode(&w->h, hdr);

	if (fseeko(w->f, w->base, SEEK_SET) != 0)
		return w_fail(w, err, GQ_EIO, _("Could not write the bundle %s: %s."),
			      w->name, strerror(errno));
	rc = w_write(w, hdr, sizeof(hdr), err);
	if (rc != GQ_OK)
		return rc;
	if (fseeko(w->f, w->base + (off_t)(w->h.file_len - TAIL_LEN), SEEK_SET) != 0)
		return w_fail(w, err, GQ_EIO, _("Could not write the bundle %s: %s."),
			      w->name, strerror(errno));

	/* The signed message: header, sealed key, hash of the ciphertext. */
	mlen = HDR_LEN + w->h.acks_len + SEALED_LEN + CT_HASH_LEN;
	msg = malloc(mlen);
	if (!msg)
		return w_fail(w, err, GQ_ENOMEM, _("Out of memory while signing the bundle %s."),
			      w->name);
	memcpy(msg, hdr, HDR_LEN);
	if (w->h.acks_len)
		memcpy(msg + HDR_LEN, w->h.acks, w->h.acks_len);
	memcpy(msg + HDR_LEN + w->h.acks_len, w->sealed, SEALED_LEN);
	memcpy(msg + HDR_LEN + w->h.acks_len + SEALED_LEN, ct, CT_HASH_LEN);
	crypto_sign_detached(sig, NULL, msg, mlen, w->sign_secret);
	crypto_generichash_init(&st, NULL, 0, SUM_LEN);
	crypto_generichash_update(&st, msg, mlen);
	crypto_generichash_update(&st, sig, sizeof(sig));
	crypto_generichash_final(&st, sum, sizeof(sum));
	free(msg);

	rc = w_write(w, sig, sizeof(sig), err);
	if (rc == GQ_OK)
		rc = w_write(w, sum, sizeof(sum), err);
	if (rc == GQ_OK && (fflush(w->f) != 0 || ferror(w->f)))
		rc = w_fail(w, err, GQ_EIO, _("Could not write the bundle %s: %s."),
			    w->name, strerror(errno ? errno : EIO));
	if (rc == GQ_OK)
		w->finished = 1;
	return rc;
}

const struct bundle_header *bundle_writer_header(const struct bundle_writer *w)
{
	return &w->h;
}

void bundle_writer_free(struct bundle_writer **wp)
{
	struct bundle_writer *w;

	if (!wp || !*wp)
		return;
	w = *wp;
	if (w->z_inited)
		deflateEnd(&w->zs);
	if (w->own_f && w->f)
		fclose(w->f);
	sodium_memzero(&w->ss, sizeof(w->ss));
	sodium_memzero(w->sign_secret, sizeof(w->sign_secret));
	if (w->zbuf)
		sodium_memzero(w->zbuf, CHUNK_SIZE);
	free(w->zbuf);
	free(w->cbuf);
	free(w->name);
	bundle_header_release(&w->h);
	free(w);
	*wp = NULL;
}

/* ---- Readers ---- */

enum rd_mode {
	RD_CHECK,	/* clear parts, checksum and signature only */
	RD_VERIFY,	/* everything, records are skipped */
	RD_READ,	/* everything, records are handed out */
};

struct bundle_reader {
	enum rd_mode mode;
	char *path;
	FILE *f;
	uint64_t size;			/* of the file when opened */
	struct bundle_header h;
	unsigned char *hbuf;		/* the header as read, acks included */
	size_t hlen;
	unsigned char sealed[SEALED_LEN];
	struct keys_public sender;
	int have_sender;
	int decrypting;
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state cth;
	z_stream zs;
	int z_inited;
	int z_end;
	unsigned char *cbuf;		/* one encrypted chunk */
	unsigned char *pbuf;		/* its plaintext */
	size_t plen;
	unsigned char *zout;		/* inflated bytes */
	size_t zpos, zlen;
	uint64_t c_left;		/* ciphertext bytes still to read */
	uint64_t chunk_no;
	uint64_t records_seen;
	uint64_t plain_seen;
	unsigned char *rec;
	size_t rec_alloc;
	enum bundle_reason failed;	/* first failure, or a later I/O one */
	struct gq_err ferr;
	int concluded;
};

static const unsigned char rd_empty[1];

static void rd_vset(struct bundle_reader *r, int force, enum bundle_reason why,
		    const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void rd_vset(struct bundle_reader *r, int force, enum bundle_reason why,
		    const char *fmt, va_list ap)
{
	char buf[2 * GQ_ERR_MSG_MAX];

	if (r->failed != BUNDLE_OK && !force)
		return;
	r->failed = why;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	gq_err_set(&r->ferr, why == BUNDLE_EREAD ? GQ_EIO : GQ_ECORRUPT, "%s",
		   buf);
}

/* Record a failure unless an earlier one is already recorded. */
static void rd_set(struct bundle_reader *r, enum bundle_reason why,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rd_set(struct bundle_reader *r, enum bundle_reason why,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rd_vset(r, 0, why, fmt, ap);
	va_end(ap);
}

/* Record a failure that outranks any earlier one. */
static void rd_force(struct bundle_reader *r, enum bundle_reason why,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rd_force(struct bundle_reader *r, enum bundle_reason why,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rd_vset(r, 1, why, fmt, ap);
	va_end(ap);
}

static enum gq_status rd_result(struct bundle_reader *r,
				enum bundle_reason *reason, struct gq_err *err)
{
	if (reason)
		*reason = r->failed;
	if (r->failed == BUNDLE_OK)
		return GQ_OK;
	return gq_err_set(err, r->ferr.code, "%s", r->ferr.msg);
}

/* Read exactly n bytes; a short read is a file that shrank or failed. */
static int rd_exact(struct bundle_reader *r, void *p, size_t n)
{
	if (n == 0 || fread(p, 1, n, r->f) == n)
		return 0;
	if (ferror(r->f))
		rd_force(r, BUNDLE_EREAD, _("Could not read the bundle %s: %s."),
			 r->path, strerror(errno));
	else
		rd_force(r, BUNDLE_ETRUNCATED,
			 _("The bundle %s is truncated: it became shorter while it was read."),
			 r->path);
	return -1;
}

static void rd_free(struct bundle_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	if (r->z_inited)
		inflateEnd(&r->zs);
	sodium_memzero(&r->ss, sizeof(r->ss));
	if (r->pbuf)
		sodium_memzero(r->pbuf, r->h.chunk_size);
	if (r->zout)
		sodium_memzero(r->zout, ZOUT_LEN);
	if (r->rec)
		sodium_memzero(r->rec, r->rec_alloc);
	free(r->pbuf);
	free(r->cbuf);
	free(r->zout);
	free(r->rec);
	free(r->hbuf);
	free(r->path);
	bundle_header_release(&r->h);
	free(r);
}

/* Whether the first n bytes of p agree with the magic. */
static int magic_prefix(const unsigned char *p, size_t n)
{
	return !memcmp(p, bundle_magic, n < sizeof(bundle_magic) ? n : sizeof(bundle_magic));
}

/* Check the fields of a decoded header whose checksum was right. */
static int rd_header_sane(struct bundle_reader *r, const unsigned char *hdr)
{
	const struct bundle_header *h = &r->h;
	const char *p = r->path;

	if (le_get_u16(hdr + HDR_FLAGS) != 0) {
		rd_set(r, BUNDLE_EHEADER,
		       _("The bundle %s has a malformed header: it uses flags this program does not know."), p);
		return -1;
	}
	if (!bundle_id_valid(h->sender) || !bundle_id_valid(h->recipient)) {
		rd_set(r, BUNDLE_EHEADER,
		       _("The bundle %s has a malformed header: its sender or recipient id is not a UUID."), p);
		return -1;
	}
	if (h->acks_len > BUNDLE_ACKS_MAX) {
		rd_set(r, BUNDLE_EHEADER,
		       _("The bundle %s has a malformed header: its acknowledgements are %zu bytes, more than %u."),
		       p, h->acks_len, BUNDLE_ACKS_MAX);
		return -1;
	}
	if (h->chunk_size < CHUNK_MIN || h->chunk_size > CHUNK_MAX) {
		rd_set(r, BUNDLE_EHEADER,
		       _("The bundle %s has a malformed header: its chunk size %u is not between %u and %u."),
		       p, (unsigned)h->chunk_size, CHUNK_MIN, CHUNK_MAX);
		return -1;
	}
	if (h->compressed_len > LEN_SANE || h->plain_len > LEN_SANE ||
	    h->cipher_len != cipher_len_for(h->compressed_len, h->chunk_size)) {
		rd_set(r, BUNDLE_EHEADER,
		       _("The bundle %s has a malformed header: its compressed and encrypted lengths do not agree."), p);
		return -1;
	}
	if (h->record_count > h->plain_len / 4 ||
	    (h->record_count == 0 && h->plain_len != 0) ||
	    (h->record_count &&
	     (h->plain_len - 4 * h->record_count) / h->record_count >
		     BUNDLE_RECORD_MAX)) {
		rd_set(r, BUNDLE_EHEADER,
		       _("The bundle %s has a malformed header: %llu records cannot fill %llu bytes."),
		       p, (unsigned long long)h->record_count,
		       (unsigned long long)h->plain_len);
		return -1;
	}
	return 0;
}

/* Open path and read the clear parts: header, acks, sealed key. Checks
 * everything bundle_peek_header promises. Returns the reader (also on
 * failure, with r->failed set) or NULL when out of memory. */
static struct bundle_reader *rd_open_clear(const char *path, enum rd_mode mode)
{
	struct bundle_reader *r = calloc(1, sizeof(*r));
	unsigned char hdr[HDR_LEN], sum[HDR_SUM_LEN];
	struct stat st;
	size_t got;
	int fd, flags;

	if (!r)
		return NULL;
	r->mode = mode;
	r->path = strdup(path ? path : "");
	if (!r->path) {
		free(r);
		return NULL;
	}
	/* Opened without blocking and checked to be a regular file before
	 * anything is read: a FIFO or a device given by path would otherwise
	 * hang the import (opening a FIFO for reading waits for a writer). */
	fd = open(r->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rd_set(r, BUNDLE_EREAD, _("Could not open the bundle %s: %s."),
		       r->path, strerror(errno));
		return r;
	}
	if (fstat(fd, &st) != 0) {
		rd_set(r, BUNDLE_EREAD, _("Could not read the bundle %s: %s."),
		       r->path, strerror(errno));
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		rd_set(r, BUNDLE_EREAD, _("The bundle %s is not a regular file."),
		       r->path);
		close(fd);
		return r;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 ||
	    !(r->f = fdopen(fd, "rb"))) {
		rd_set(r, BUNDLE_EREAD, _("Could not open the bundle %s: %s."),
		       r->path, strerror(errno));
		close(fd);
		return r;
	}
	r->size = (uint64_t)st.st_size;
	got = fread(hdr, 1, HDR_LEN, r->f);
	if (got < HDR_LEN && ferror(r->f)) {
		rd_set(r, BUNDLE_EREAD, _("Could not read the bundle %s: %s."),
		       r->path, strerror(errno));
		return r;
	}
	if (got == 0) {
		rd_set(r, BUNDLE_ETRUNCATED, _("The bundle %s is empty."), r->path);
		return r;
	}
	if (!magic_prefix(hdr, got)) {
		rd_set(r, BUNDLE_EMAGIC,
		       _("The file %s is not a guanqing bundle (it does not start with the bundle mark)."),
		       r->path);
		return r;
	}
	if (got >= HDR_FLAGS && (le_get_u16(hdr + HDR_VERSION) < BUNDLE_FORMAT_OLDEST ||
				 le_get_u16(hdr + HDR_VERSION) > BUNDLE_FORMAT_VERSION)) {
		rd_set(r, BUNDLE_EVERSION,
		       _("The bundle %s has format version %u, which this program cannot read (it reads version %d): it was written by a newer guanqing, or it is damaged."),
		       r->path, le_get_u16(hdr + HDR_VERSION), BUNDLE_FORMAT_VERSION);
		return r;
	}
	if (got < HDR_LEN) {
		rd_set(r, BUNDLE_ETRUNCATED,
		       _("The bundle %s is truncated: it has only %zu bytes, fewer than its header (was the stick pulled out while it was written?)."),
		       r->path, got);
		return r;
	}
	crypto_generichash(sum, sizeof(sum), hdr, HDR_SUM, NULL, 0);
	if (sodium_memcmp(sum, hdr + HDR_SUM, HDR_SUM_LEN) != 0) {
		rd_set(r, BUNDLE_ECHECKSUM,
		       _("The bundle %s is damaged: the checksum of its header does not match."),
		       r->path);
		return r;
	}
	hdr_decode(hdr, &r->h);
	if (rd_header_sane(r, hdr) != 0) {
		r->h.acks_len = 0;
		return r;
	}
	r->h.file_len = file_len_for(&r->h);
	if (r->size < r->h.file_len) {
		rd_set(r, BUNDLE_ETRUNCATED,
		       _("The bundle %s is truncated: it has %llu bytes but its header announces %llu (was the stick pulled out while it was written?)."),
		       r->path, (unsigned long long)r->size,
		       (unsigned long long)r->h.file_len);
		return r;
	}
	if (r->size > r->h.file_len) {
		rd_set(r, BUNDLE_ETRAILING,
		       _("The bundle %s has %llu bytes of unexpected data after its end."),
		       r->path, (unsigned long long)(r->size - r->h.file_len));
		return r;
	}
	r->hlen = HDR_LEN + r->h.acks_len;
	r->hbuf = malloc(r->hlen);
	if (r->h.acks_len)
		r->h.acks = malloc(r->h.acks_len);
	if (!r->hbuf || (r->h.acks_len && !r->h.acks)) {
		rd_set(r, BUNDLE_EREAD, _("Out of memory while reading the bundle %s."), r->path);
		return r;
	}
	memcpy(r->hbuf, hdr, HDR_LEN);
	if (rd_exact(r, r->hbuf + HDR_LEN, r->h.acks_len) != 0)
		return r;
	if (r->h.acks_len)
		memcpy(r->h.acks, r->hbuf + HDR_LEN, r->h.acks_len);
	if (rd_exact(r, r->sealed, sizeof(r->sealed)) != 0)
		return r;
	return r;
}

/* Read the next ciphertext chunk, hash it and, while nothing has failed,
 * decrypt it into pbuf. Returns 1 for a chunk, 0 when there is none left,
 * -1 when the file cannot be read. */
static int rd_chunk(struct bundle_reader *r)
{
	size_t full = (size_t)r->h.chunk_size + SS_ABYTES, n;
	unsigned long long mlen = 0;
	unsigned char tag = 0;
	int final;

	r->plen = 0;
	if (r->c_left == 0)
		return 0;
	final = r->c_left < full;
	n = final ? (size_t)r->c_left : full;
	if (rd_exact(r, r->cbuf, n) != 0)
		return -1;
	r->c_left -= n;
	r->chunk_no++;
	crypto_generichash_update(&r->cth, r->cbuf, n);
	if (!r->decrypting || r->failed != BUNDLE_OK)
		return 1;
	if (crypto_secretstream_xchacha20poly1305_pull(&r->ss, r->pbuf, &mlen, &tag,
						       r->cbuf, n, NULL, 0) != 0) {
		rd_set(r, BUNDLE_EDECRYPT,
		       _("The bundle %s cannot be decrypted: chunk %llu of its payload does not authenticate."),
		       r->path, (unsigned long long)r->chunk_no);
		return 1;
	}
	if (final && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		rd_set(r, BUNDLE_EDECRYPT,
		       _("The bundle %s cannot be decrypted: its payload lacks the final mark at its end."),
		       r->path);
		return 1;
	}
	if (!final && tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
		rd_set(r, BUNDLE_EDECRYPT,
		       _("The bundle %s cannot be decrypted: its payload carries a final mark before its end."),
		       r->path);
		return 1;
	}
	r->plen = (size_t)mlen;
	return 1;
}

/* Make inflated bytes available in zout. Returns 1 when there are some, 0
 * at the end of the compressed stream, -1 on failure. */
static int rd_fill(struct bundle_reader *r)
{
	int ret, c;

	if (r->zpos < r->zlen)
		return 1;
	if (r->failed != BUNDLE_OK)
		return -1;
	r->zpos = r->zlen = 0;
	while (!r->z_end) {
		if (r->zs.avail_in == 0) {
			c = rd_chunk(r);
			if (c < 0 || r->failed != BUNDLE_OK)
				return -1;
			if (c == 0) {
				rd_set(r, BUNDLE_EDECOMPRESS,
				       _("The bundle %s cannot be decompressed: its compressed payload ends early."),
				       r->path);
				return -1;
			}
			r->zs.next_in = r->pbuf;
			r->zs.avail_in = (uInt)r->plen;
			if (r->plen == 0)
				continue;
		}
		r->zs.next_out = r->zout;
		r->zs.avail_out = ZOUT_LEN;
		ret = inflate(&r->zs, Z_NO_FLUSH);
		r->zlen = ZOUT_LEN - r->zs.avail_out;
		if (ret == Z_STREAM_END) {
			r->z_end = 1;
		} else if (ret != Z_OK && !(ret == Z_BUF_ERROR && r->zs.avail_in == 0)) {
			rd_set(r, BUNDLE_EDECOMPRESS,
			       _("The bundle %s cannot be decompressed: %s."),
			       r->path, r->zs.msg ? r->zs.msg : _("invalid compressed data"));
			return -1;
		}
		if (r->zlen > 0)
			return 1;
	}
	return 0;
}

/* Take n inflated bytes into dst (NULL: skip them). Returns how many were
 * there (fewer than n at the end of the stream), or -1 on failure. */
static long rd_bytes(struct bundle_reader *r, unsigned char *dst, size_t n)
{
	size_t got = 0, k;
	int c;

	while (got < n) {
		c = rd_fill(r);
		if (c < 0)
			return -1;
		if (c == 0)
			break;
		k = r->zlen - r->zpos;
		if (k > n - got)
			k = n - got;
		if (dst)
			memcpy(dst + got, r->zout + r->zpos, k);
		r->zpos += k;
		got += k;
	}
	return (long)got;
}

/* Read what is left of the ciphertext (hash only once something failed),
 * then the signature and checksum; decide what to report. Returns GQ_OK
 * or the failure's status. */
static enum gq_status rd_conclude(struct bundle_reader *r)
{
	unsigned char ct[CT_HASH_LEN], tail[TAIL_LEN], sum[SUM_LEN];
	crypto_generichash_state st;
	unsigned char *msg;
	size_t mlen;
	int c;

	if (r->concluded)
		return r->failed == BUNDLE_OK ? GQ_OK : r->ferr.code;
	r->concluded = 1;
	if (r->failed == BUNDLE_EREAD || r->failed == BUNDLE_ETRUNCATED)
		return r->ferr.code;
	while ((c = rd_chunk(r)) > 0)
		if (r->plen > 0)
			rd_set(r, BUNDLE_ETRAILING,
			       _("The bundle %s has data after the end of its compressed payload."),
			       r->path);
	if (c < 0 || rd_exact(r, tail, sizeof(tail)) != 0)
		return r->ferr.code;
	if (fgetc(r->f) != EOF) {
		rd_force(r, BUNDLE_ETRAILING,
			 _("The bundle %s grew while it was read."), r->path);
		return r->ferr.code;
	}
	crypto_generichash_final(&r->cth, ct, sizeof(ct));
	crypto_generichash_init(&st, NULL, 0, SUM_LEN);
	crypto_generichash_update(&st, r->hbuf, r->hlen);
	crypto_generichash_update(&st, r->sealed, SEALED_LEN);
	crypto_generichash_update(&st, ct, sizeof(ct));
	crypto_generichash_update(&st, tail, SIG_LEN);
	crypto_generichash_final(&st, sum, sizeof(sum));
	if (sodium_memcmp(sum, tail + SIG_LEN, SUM_LEN) != 0) {
		rd_force(r, BUNDLE_ECHECKSUM,
			 _("The bundle %s is damaged: its checksum does not match its contents."),
			 r->path);
		return r->ferr.code;
	}
	if (!r->have_sender)
		return r->failed == BUNDLE_OK ? GQ_OK : r->ferr.code;
	mlen = r->hlen + SEALED_LEN + CT_HASH_LEN;
	msg = malloc(mlen);
	if (!msg) {
		rd_force(r, BUNDLE_EREAD, _("Out of memory while reading the bundle %s."), r->path);
		return r->ferr.code;
	}
	memcpy(msg, r->hbuf, r->hlen);
	memcpy(msg + r->hlen, r->sealed, SEALED_LEN);
	memcpy(msg + r->hlen + SEALED_LEN, ct, CT_HASH_LEN);
	if (crypto_sign_verify_detached(tail, msg, mlen, r->sender.sign) != 0)
		rd_force(r, BUNDLE_ESIGNATURE,
			 _("The bundle %s is intact but its signature does not match the key known for its sender %s: it was forged or altered, or the sender's key on record is wrong."),
			 r->path, r->h.sender);
	free(msg);
	return r->failed == BUNDLE_OK ? GQ_OK : r->ferr.code;
}

/* Set up the payload pass after rd_open_clear: hashing always, decryption
 * for RD_VERIFY and RD_READ. */
static void rd_start(struct bundle_reader *r, const char *our_id,
		     const struct keys_own *ours,
		     const struct keys_public *sender)
{
	unsigned char key[KEY_LEN], ssh[SS_HEADER_LEN];

	if (sender) {
		r->sender = *sender;
		r->have_sender = 1;
	}
	if (r->mode != RD_CHECK && strcasecmp(r->h.recipient, our_id) != 0) {
		rd_set(r, BUNDLE_ERECIPIENT,
		       _("The bundle %s is addressed to %s, not to this place (%s)."),
		       r->path, r->h.recipient, our_id);
		return;
	}
	r->cbuf = malloc((size_t)r->h.chunk_size + SS_ABYTES);
	r->pbuf = malloc(r->h.chunk_size);
	r->zout = malloc(ZOUT_LEN);
	if (!r->cbuf || !r->pbuf || !r->zout) {
		rd_set(r, BUNDLE_EREAD, _("Out of memory while reading the bundle %s."), r->path);
		return;
	}
	crypto_generichash_init(&r->cth, NULL, 0, CT_HASH_LEN);
	if (rd_exact(r, ssh, sizeof(ssh)) != 0)
		return;
	crypto_generichash_update(&r->cth, ssh, sizeof(ssh));
	r->c_left = r->h.cipher_len - SS_HEADER_LEN;
	if (r->mode == RD_CHECK)
		return;
	if (inflateInit(&r->zs) != Z_OK) {
		rd_set(r, BUNDLE_EREAD, _("Out of memory while reading the bundle %s."), r->path);
		return;
	}
	r->z_inited = 1;
	if (crypto_box_seal_open(key, r->sealed, SEALED_LEN, ours->pub.box,
				 ours->box_secret) != 0) {
		rd_set(r, BUNDLE_EDECRYPT,
		       _("The bundle %s cannot be decrypted with this place's key: its payload key was sealed to another key."),
		       r->path);
		return;
	}
	if (crypto_secretstream_xchacha20poly1305_init_pull(&r->ss, ssh, key) != 0)
		rd_set(r, BUNDLE_EDECRYPT,
		       _("The bundle %s cannot be decrypted: its payload header is invalid."),
		       r->path);
	else
		r->decrypting = 1;
	sodium_memzero(key, sizeof(key));
}

/* Read one record; *rec is NULL at the end (after rd_conclude). */
static enum gq_status rd_record(struct bundle_reader *r,
				const unsigned char **rec, size_t *len)
{
	unsigned char lb[4];
	uint64_t no = r->records_seen + 1;
	uint32_t n;
	long got;
	int skip = r->mode != RD_READ;

	*rec = NULL;
	*len = 0;
	got = rd_bytes(r, lb, sizeof(lb));
	if (got < 0)
		return rd_conclude(r);
	if (got == 0) {
		if (r->zs.avail_in > 0)
			rd_set(r, BUNDLE_ETRAILING,
			       _("The bundle %s has data after the end of its compressed payload."),
			       r->path);
		else if (r->records_seen != r->h.record_count ||
			 r->plain_seen != r->h.plain_len)
			rd_set(r, BUNDLE_ERECORDS,
			       _("The bundle %s has malformed records: it holds %llu records in %llu bytes, but its header says %llu in %llu."),
			       r->path, (unsigned long long)r->records_seen,
			       (unsigned long long)r->plain_seen,
			       (unsigned long long)r->h.record_count,
			       (unsigned long long)r->h.plain_len);
		return rd_conclude(r);
	}
	if (got < 4) {
		rd_set(r, BUNDLE_ERECORDS,
		       _("The bundle %s has malformed records: the payload ends inside the length of record %llu."),
		       r->path, (unsigned long long)no);
		return rd_conclude(r);
	}
	n = le_get_u32(lb);
	if (r->records_seen >= r->h.record_count) {
		rd_set(r, BUNDLE_ERECORDS,
		       _("The bundle %s has malformed records: it holds more than the %llu records its header says."),
		       r->path, (unsigned long long)r->h.record_count);
		return rd_conclude(r);
	}
	if (n > BUNDLE_RECORD_MAX) {
		rd_set(r, BUNDLE_ERECORDS,
		       _("The bundle %s has malformed records: record %llu is %lu bytes, more than the limit of 16 MiB."),
		       r->path, (unsigned long long)no, (unsigned long)n);
		return rd_conclude(r);
	}
	if (r->plain_seen + 4 + n > r->h.plain_len) {
		rd_set(r, BUNDLE_ERECORDS,
		       _("The bundle %s has malformed records: record %llu goes past the payload length in its header."),
		       r->path, (unsigned long long)no);
		return rd_conclude(r);
	}
	if (!skip && n > r->rec_alloc) {
		unsigned char *p;
		size_t want = r->rec_alloc ? r->rec_alloc : 256;

		while (want < n)
			want *= 2;
		if (want > BUNDLE_RECORD_MAX)
			want = BUNDLE_RECORD_MAX;
		p = malloc(want);
		if (!p) {
			rd_force(r, BUNDLE_EREAD, _("Out of memory while reading the bundle %s."), r->path);
			return r->ferr.code;
		}
		if (r->rec) {
			sodium_memzero(r->rec, r->rec_alloc);
			free(r->rec);
		}
		r->rec = p;
		r->rec_alloc = want;
	}
	got = rd_bytes(r, skip ? NULL : r->rec, n);
	if (got < 0)
		return rd_conclude(r);
	if ((uint32_t)got < n) {
		rd_set(r, BUNDLE_ERECORDS,
		       _("The bundle %s has malformed records: record %llu is cut short."),
		       r->path, (unsigned long long)no);
		return rd_conclude(r);
	}
	r->records_seen++;
	r->plain_seen += 4 + (uint64_t)n;
	/* Never NULL for a record, even an empty one: NULL means the end. */
	*rec = r->rec && !skip ? r->rec : rd_empty;
	*len = n;
	return GQ_OK;
}

/* Hand the reader's header over to h (acks moved). h is overwritten, not
 * released: callers may pass it uninitialised. */
static void rd_take_header(struct bundle_reader *r, struct bundle_header *h)
{
	if (!h)
		return;
	*h = r->h;
	if (!h->acks)
		h->acks_len = 0;
	r->h.acks = NULL;
}

enum gq_status bundle_peek_header(const char *path, struct bundle_header *h,
				  enum bundle_reason *reason,
				  struct gq_err *err)
{
	struct bundle_reader *r;
	enum gq_status rc;

	if (reason)
		*reason = BUNDLE_EREAD;
	keys_crypto_init(NULL);
	r = rd_open_clear(path, RD_CHECK);
	if (!r)
		return gq_err_set(err, GQ_ENOMEM, _("Out of memory while reading the bundle %s."), path);
	rc = rd_result(r, reason, err);
	rd_take_header(r, h);
	rd_free(r);
	return rc;
}

enum gq_status bundle_check(const char *path, const struct keys_public *sender,
			    struct bundle_header *h,
			    enum bundle_reason *reason, struct gq_err *err)
{
	struct bundle_reader *r;
	enum gq_status rc;

	if (reason)
		*reason = BUNDLE_EREAD;
	rc = keys_crypto_init(err);
	if (rc != GQ_OK)
		return rc;
	r = rd_open_clear(path, RD_CHECK);
	if (!r)
		return gq_err_set(err, GQ_ENOMEM, _("Out of memory while reading the bundle %s."), path);
	if (r->failed == BUNDLE_OK)
		rd_start(r, NULL, NULL, sender);
	if (r->failed == BUNDLE_OK)
		rd_conclude(r);
	rc = rd_result(r, reason, err);
	rd_take_header(r, h);
	rd_free(r);
	return rc;
}

/* Open for RD_VERIFY or RD_READ; on a failure the reader is concluded. */
static enum gq_status rd_open_full(struct bundle_reader **rp, const char *path,
				   enum rd_mode mode, const char *our_id,
				   const struct keys_own *ours,
				   const struct keys_public *sender,
				   enum bundle_reason *reason,
				   struct gq_err *err)
{
	struct bundle_reader *r;
	enum gq_status rc;

	*rp = NULL;
	if (reason)
		*reason = BUNDLE_EREAD;
	rc = keys_crypto_init(err);
	if (rc != GQ_OK)
		return rc;
	if (!id_valid(our_id, 1) || !ours || !sender) {
		if (reason)
			*reason = BUNDLE_OK;
		return gq_err_set(err, GQ_EINVAL,
				  _("Reading the bundle %s needs this place's id as a UUID, its keys and the sender's public keys."),
				  path ? path : "");
	}
	r = rd_open_clear(path, mode);
	if (!r)
		return gq_err_set(err, GQ_ENOMEM, _("Out of memory while reading the bundle %s."), path);
	if (r->failed == BUNDLE_OK)
		rd_start(r, our_id, ours, sender);
	/* The clear parts failed or the key cannot be unsealed: decide now
	 * between damage, forgery and that, by reading the whole file. */
	if (r->failed == BUNDLE_EDECRYPT)
		rd_conclude(r);
	*rp = r;
	return rd_result(r, reason, err);
}

enum gq_status bundle_verify(const char *path, const char *our_id,
			     const struct keys_own *ours,
			     const struct keys_public *sender,
			     struct bundle_header *h,
			     enum bundle_reason *reason, struct gq_err *err)
{
	struct bundle_reader *r = NULL;
	const unsigned char *rec;
	size_t len;
	enum gq_status rc;

	rc = rd_open_full(&r, path, RD_VERIFY, our_id, ours, sender, reason, err);
	if (rc == GQ_OK) {
		do
			rc = rd_record(r, &rec, &len);
		while (rc == GQ_OK && rec);
		rc = rd_result(r, reason, err);
	}
	if (r) {
		rd_take_header(r, h);
		rd_free(r);
	}
	return rc;
}

enum gq_status bundle_reader_open(struct bundle_reader **rp, const char *path,
				  const char *our_id,
				  const struct keys_own *ours,
				  const struct keys_public *sender,
				  enum bundle_reason *reason,
				  struct gq_err *err)
{
	enum gq_status rc;

	rc = rd_open_full(rp, path, RD_READ, our_id, ours, sender, reason, err);
	if (rc != GQ_OK) {
		rd_free(*rp);
		*rp = NULL;
	}
	return rc;
}

const struct bundle_header *bundle_reader_header(const struct bundle_reader *r)
{
	return &r->h;
}

enum gq_status bundle_reader_next(struct bundle_reader *r,
				  const unsigned char **rec, size_t *len,
				  struct gq_err *err)
{
	*rec = NULL;
	*len = 0;
	if (r->failed == BUNDLE_OK && !r->concluded)
		rd_record(r, rec, len);
	return rd_result(r, NULL, err);
}

enum bundle_reason bundle_reader_reason(const struct bundle_reader *r)
{
	return r->failed;
}

void bundle_reader_free(struct bundle_reader **r)
{
	if (!r)
		return;
	rd_free(*r);
	*r = NULL;
}
