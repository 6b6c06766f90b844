/* test_bundle.c - the bundle file: round trips and every refusal.
 *
 * Besides the library's writer, this file has its own small encoder
 * (forge_bundle) written from doc/bundle-format.md alone: the library reads
 * what it makes, which checks that the document is exact, and it can make
 * validly signed bundles with a broken payload inside, which the library's
 * writer never would.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>
#include <zlib.h>

#include "guanqing/bundle.h"
#include "guanqing/err.h"
#include "guanqing/keys.h"

#define STATION_ID "6f1c2d9e-4b7a-4c1e-9a55-0d3e8f1b2c47"
#define COUNTY_ID "0b8e7f3a-1c2d-4e5f-8a9b-7c6d5e4f3a2b"
#define OTHER_ID "d4c3b2a1-9f8e-4d7c-b6a5-443322110000"

/* Offsets from doc/bundle-format.md. */
#define H_VERSION 8
#define H_FLAGS 10
#define H_SCHEMA 12
#define H_SENDER 16
#define H_NUMBER 88
#define H_WALL 112
#define H_RECORDS 128
#define H_PLAIN 136
#define H_COMPRESSED 144
#define H_CIPHER 152
#define H_ACKS 160
#define H_CHUNK 164
#define H_SUM 168
#define H_LEN 184

struct fixture {
	char dir[64];
	struct keys_own station, county, other;
};

static struct fixture fx;

static const char *const chinese[] = {
	"person|张三|留守儿童|父母在广东东莞务工，由祖母照看",
	"visit|李四|2026-11-27|独居老人，行动不便，需要助餐",
	"",
	"death|王五|节地生态安葬|树葬|惠民殡葬减免",
	"activity|清明文明祭扫宣传|发放宣传单200份",
};

static int setup(void **state)
{
	(void)state;
	strcpy(fx.dir, "/tmp/gq-bundle-XXXXXX");
	if (!mkdtemp(fx.dir))
		return -1;
	if (keys_generate(&fx.station, NULL) || keys_generate(&fx.county, NULL) ||
	    keys_generate(&fx.other, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	keys_release(&fx.station);
	keys_release(&fx.county);
	keys_release(&fx.other);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx.dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_of(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", fx.dir, name);
	return buf[i];
}

static void header_template(struct bundle_header *h, uint64_t number)
{
	bundle_header_init(h);
	h->schema_version = 7;
	strcpy(h->sender, STATION_ID);
	strcpy(h->recipient, COUNTY_ID);
	h->number = number;
	h->first_change = 1001;
	h->last_change = 1042;
	h->clock_wall_ms = INT64_C(1795852800000);
	h->clock_hlc = INT64_C(1795852800000) << 16 | 3;
}

/* Write a bundle from the station to the county's keys. */
static void write_bundle(const char *path, uint64_t number,
			 const struct keys_public *to, const char *const *recs,
			 const size_t *lens, size_t n, const char *acks)
{
	struct bundle_header h;
	struct bundle_writer *w = NULL;
	struct gq_err e;
	FILE *f = fopen(path, "wb");
	size_t i;

	assert_non_null(f);
	header_template(&h, number);
	if (acks)
		assert_int_equal(bundle_header_set_acks(&h, acks, strlen(acks), &e), GQ_OK);
	assert_int_equal(bundle_writer_open(&w, f, &h, &fx.station, to, path, &e), GQ_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(bundle_writer_add(w, recs[i],
						   lens ? lens[i] : strlen(recs[i]), &e),
				 GQ_OK);
	assert_int_equal(bundle_writer_finish(w, &e), GQ_OK);
	assert_int_equal(bundle_writer_header(w)->record_count, n);
	bundle_writer_free(&w);
	assert_null(w);
	bundle_header_release(&h);
	assert_int_equal(fclose(f), 0);
}

static void write_chinese(const char *path, uint64_t number)
{
	write_bundle(path, number, &fx.county.pub, chinese,
		     NULL, sizeof(chinese) / sizeof(chinese[0]), "ack:county=17|确认");
}

static unsigned char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void save(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void wr64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void wr32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Recompute the header checksum, as an attacker can. */
static void fix_header_sum(unsigned char *buf)
{
	crypto_generichash(buf + H_SUM, 16, buf, H_SUM, NULL, 0);
}

/* The parts of a bundle image, per the document. */
struct parts {
	size_t hlen;		/* header with acks */
	size_t k;		/* offset of the sealed key */
	size_t c;		/* offset of the ciphertext */
	size_t clen;
	size_t s;		/* offset of the signature */
	size_t x;		/* offset of the checksum */
};

static struct parts parts_of(const unsigned char *buf)
{
	struct parts p;

	p.hlen = H_LEN + rd32(buf + H_ACKS);
	p.k = p.hlen;
	p.c = p.k + 80;
	p.clen = (size_t)rd64(buf + H_CIPHER);
	p.s = p.c + p.clen;
	p.x = p.s + 64;
	return p;
}

/* The signed message: header, sealed key, BLAKE2b-256 of the ciphertext. */
static size_t signed_message(const unsigned char *buf, unsigned char **msg)
{
	struct parts p = parts_of(buf);
	size_t n = p.hlen + 80 + 32;

	*msg = malloc(n);
	memcpy(*msg, buf, p.hlen + 80);
	crypto_generichash(*msg + p.hlen + 80, 32, buf + p.c, p.clen, NULL, 0);
	return n;
}

/* Recompute the whole-file checksum, as an attacker can. */
static void fix_checksum(unsigned char *buf)
{
	struct parts p = parts_of(buf);
	crypto_generichash_state st;
	unsigned char *msg;
	size_t n = signed_message(buf, &msg);

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, msg, n);
	crypto_generichash_update(&st, buf + p.s, 64);
	crypto_generichash_final(&st, buf + p.x, 32);
	free(msg);
}

/* Sign again with sk, then fix the checksum. */
static void resign(unsigned char *buf, const unsigned char *sk)
{
	struct parts p = parts_of(buf);
	unsigned char *msg;
	size_t n = signed_message(buf, &msg);

	crypto_sign_detached(buf + p.s, NULL, msg, n, sk);
	free(msg);
	fix_checksum(buf);
}

static enum bundle_reason verify_reason(const char *path, const char *our_id,
					const struct keys_own *ours,
					const struct keys_public *sender,
					struct gq_err *e)
{
	struct bundle_header h;
	enum bundle_reason why = BUNDLE_REASON_MAX;
	enum gq_status rc;

	bundle_header_init(&h);
	rc = bundle_verify(path, our_id, ours, sender, &h, &why, e);
	bundle_header_release(&h);
	if (why == BUNDLE_OK)
		assert_int_equal(rc, GQ_OK);
	else if (why == BUNDLE_EREAD)
		assert_int_equal(rc, GQ_EIO);
	else
		assert_int_equal(rc, GQ_ECORRUPT);
	return why;
}

/* The county verifying a bundle from the station. */
static enum bundle_reason county_verify(const char *path, struct gq_err *e)
{
	return verify_reason(path, COUNTY_ID, &fx.county, &fx.station.pub, e);
}

/* Read all records with the reader; returns the reason it ended with and
 * counts the records handed out. */
static enum bundle_reason county_read(const char *path, size_t *count,
				      const char *const *expect,
				      const size_t *lens)
{
	struct bundle_reader *r = NULL;
	enum bundle_reason why = BUNDLE_REASON_MAX;
	const unsigned char *rec;
	size_t len, n = 0;
	struct gq_err e;

	if (bundle_reader_open(&r, path, COUNTY_ID, &fx.county,
			       &fx.station.pub, &why, &e) != GQ_OK) {
		assert_null(r);
		*count = 0;
		return why;
	}
	for (;;) {
		if (bundle_reader_next(r, &rec, &len, &e) != GQ_OK) {
			why = bundle_reader_reason(r);
			assert_int_not_equal(why, BUNDLE_OK);
			break;
		}
		if (!rec) {
			why = BUNDLE_OK;
			/* The end stays the end. */
			assert_int_equal(bundle_reader_next(r, &rec, &len, &e), GQ_OK);
			assert_null(rec);
			break;
		}
		if (expect) {
			size_t want = lens ? lens[n] : strlen(expect[n]);

			assert_int_equal(len, want);
			assert_memory_equal(rec, expect[n], want);
		}
		n++;
	}
	bundle_reader_free(&r);
	assert_null(r);
	*count = n;
	return why;
}

/* ---- An independent encoder, from the document ---- */

struct forge {
	const unsigned char *z;		/* the compressed payload */
	size_t zlen;
	uint64_t record_count;
	uint64_t plain_len;
	uint32_t chunk;
	int no_final;			/* every chunk tagged MESSAGE */
	int early_final;		/* the first chunk tagged FINAL */
	int wrong_key;			/* encrypt under another key */
	unsigned version;		/* format version; 0: 2, the one written */
};

static size_t forge_bundle(const char *path, const struct forge *fg)
{
	unsigned char key[32], key2[32], ssh[24];
	unsigned char *buf, *p;
	crypto_secretstream_xchacha20poly1305_state ss;
	uint64_t chunks = fg->zlen / fg->chunk + 1, i;
	uint64_t clen = 24 + fg->zlen + 17 * chunks;
	size_t total = H_LEN + 80 + (size_t)clen + 64 + 32, off = 0;

	buf = calloc(1, total);
	memcpy(buf, "\x89GQB\r\n\x1a\n", 8);
	buf[H_VERSION] = (unsigned char)(fg->version ? fg->version : 2);
	wr32(buf + H_SCHEMA, 7);
	memcpy(buf + H_SENDER, STATION_ID, 36);
	memcpy(buf + H_SENDER + 36, COUNTY_ID, 36);
	wr64(buf + H_NUMBER, 9);
	wr64(buf + H_RECORDS, fg->record_count);
	wr64(buf + H_PLAIN, fg->plain_len);
	wr64(buf + H_COMPRESSED, fg->zlen);
	wr64(buf + H_CIPHER, clen);
	wr32(buf + H_ACKS, 0);
	wr32(buf + H_CHUNK, fg->chunk);
	fix_header_sum(buf);

	crypto_secretstream_xchacha20poly1305_keygen(key);
	crypto_secretstream_xchacha20poly1305_keygen(key2);
	crypto_box_seal(buf + H_LEN, key, 32, fx.county.pub.box);
	crypto_secretstream_xchacha20poly1305_init_push(&ss, ssh,
							fg->wrong_key ? key2 : key);
	p = buf + H_LEN + 80;
	memcpy(p, ssh, 24);
	p += 24;
	for (i = 0; i < chunks; i++) {
		size_t n = i + 1 < chunks ? fg->chunk : fg->zlen % fg->chunk;
		unsigned char tag = i + 1 < chunks ?
			crypto_secretstream_xchacha20poly1305_TAG_MESSAGE :
			crypto_secretstream_xchacha20poly1305_TAG_FINAL;
		unsigned long long got;

		if (fg->no_final)
			tag = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
		if (fg->early_final && i == 0)
			tag = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
		crypto_secretstream_xchacha20poly1305_push(&ss, p, &got, fg->z + off,
							   n, NULL, 0, tag);
		assert_int_equal(got, n + 17);
		p += got;
		off += n;
	}
	assert_int_equal((size_t)(p - buf), total - 96);
	resign(buf, fx.station.sign_secret);
	save(path, buf, total);
	free(buf);
	return total;
}

/* Frame records (u32 little-endian length, then the bytes) and compress
 * them with zlib's one-shot compress2. */
static unsigned char *frame_and_compress(const char *const *recs, size_t n,
					 int level, size_t *zlen,
					 uint64_t *plain_len)
{
	size_t plen = 0, i, o = 0;
	unsigned char *plain, *z;
	uLongf zl;

	for (i = 0; i < n; i++)
		plen += 4 + strlen(recs[i]);
	plain = malloc(plen + 1);
	for (i = 0; i < n; i++) {
		wr32(plain + o, (uint32_t)strlen(recs[i]));
		memcpy(plain + o + 4, recs[i], strlen(recs[i]));
		o += 4 + strlen(recs[i]);
	}
	zl = compressBound(plen) + 64;
	z = malloc(zl);
	assert_int_equal(compress2(z, &zl, plain, plen, level), Z_OK);
	free(plain);
	*zlen = zl;
	*plain_len = plen;
	return z;
}

/* ---- Tests ---- */

static void test_round_trip_chinese(void **state)
{
	const char *path = path_of("chinese.gqb");
	struct bundle_header h;
	enum bundle_reason why;
	unsigned char *buf;
	size_t len, n, i;
	struct gq_err e;

	(void)state;
	write_chinese(path, 42);

	/* The clear header, before any decryption. */
	bundle_header_init(&h);
	assert_int_equal(bundle_peek_header(path, &h, &why, &e), GQ_OK);
	assert_int_equal(why, BUNDLE_OK);
	assert_int_equal(h.format_version, BUNDLE_FORMAT_VERSION);
	assert_int_equal(h.schema_version, 7);
	assert_string_equal(h.sender, STATION_ID);
	assert_string_equal(h.recipient, COUNTY_ID);
	assert_int_equal(h.number, 42);
	assert_int_equal(h.first_change, 1001);
	assert_int_equal(h.last_change, 1042);
	assert_int_equal(h.clock_wall_ms, INT64_C(1795852800000));
	assert_int_equal(h.clock_hlc, INT64_C(1795852800000) << 16 | 3);
	assert_int_equal(h.record_count, 5);
	assert_int_equal(h.acks_len, strlen("ack:county=17|确认"));
	assert_memory_equal(h.acks, "ack:county=17|确认", h.acks_len);
	assert_int_equal(h.chunk_size, 65536);
	{
		size_t plain = 0;

		for (i = 0; i < 5; i++)
			plain += 4 + strlen(chinese[i]);
		assert_int_equal(h.plain_len, plain);
	}
	buf = load(path, &len);
	assert_int_equal(h.file_len, len);
	assert_int_equal(len, H_LEN + h.acks_len + 80 + h.cipher_len + 96);
	bundle_header_release(&h);

	/* Nothing of the payload shows in the file. */
	for (i = 0; i + 6 <= len; i++)
		assert_false(!memcmp(buf + i, "张三", 6) || !memcmp(buf + i, "person", 6));
	free(buf);

	/* Verify, then read. */
	bundle_header_init(&h);
	assert_int_equal(bundle_verify(path, COUNTY_ID, &fx.county, &fx.station.pub,
				       &h, &why, &e), GQ_OK);
	assert_int_equal(why, BUNDLE_OK);
	assert_int_equal(h.number, 42);
	assert_memory_equal(h.acks, "ack:county=17|确认", h.acks_len);
	bundle_header_release(&h);
	/* Our id may be given in upper case. */
	assert_int_equal(verify_reason(path, "0B8E7F3A-1C2D-4E5F-8A9B-7C6D5E4F3A2B",
				       &fx.county, &fx.station.pub, &e), BUNDLE_OK);
	assert_int_equal(county_read(path, &n, chinese, NULL), BUNDLE_OK);
	assert_int_equal(n, 5);

	/* The sender can check what it wrote without the county's key. */
	assert_int_equal(bundle_check(path, &fx.station.pub, NULL, &why, &e), GQ_OK);
	assert_int_equal(why, BUNDLE_OK);
	assert_int_equal(bundle_check(path, NULL, NULL, &why, &e), GQ_OK);
	assert_int_equal(bundle_check(path, &fx.other.pub, NULL, &why, &e), GQ_ECORRUPT);
	assert_int_equal(why, BUNDLE_ESIGNATURE);
}

static void test_binary_and_empty_records(void **state)
{
	const char *path = path_of("binary.gqb");
	const char *recs[] = { "\0\1\2\0", "", "", "\xff\xfe\xe4\xb8\xad" };
	const size_t lens[] = { 4, 0, 0, 5 };
	size_t n;

	(void)state;
	write_bundle(path, 1, &fx.county.pub, recs, lens, 4, NULL);
	assert_int_equal(county_read(path, &n, recs, lens), BUNDLE_OK);
	assert_int_equal(n, 4);
}

static void test_empty_bundle(void **state)
{
	const char *path = path_of("empty.gqb");
	struct bundle_header h;
	struct gq_err e;
	size_t n;

	(void)state;
	write_bundle(path, 7, &fx.county.pub, NULL, NULL, 0, NULL);
	bundle_header_init(&h);
	assert_int_equal(bundle_verify(path, COUNTY_ID, &fx.county, &fx.station.pub,
				       &h, NULL, &e), GQ_OK);
	assert_int_equal(h.record_count, 0);
	assert_int_equal(h.plain_len, 0);
	assert_int_equal(h.acks_len, 0);
	assert_null(h.acks);
	bundle_header_release(&h);
	assert_int_equal(county_read(path, &n, NULL, NULL), BUNDLE_OK);
	assert_int_equal(n, 0);

	/* The header out-parameter may come in uninitialised. */
	memset(&h, 0xA5, sizeof(h));
	assert_int_equal(bundle_peek_header(path, &h, NULL, &e), GQ_OK);
	assert_int_equal(h.number, 7);
	bundle_header_release(&h);
	memset(&h, 0xA5, sizeof(h));
	assert_int_equal(bundle_verify(path, COUNTY_ID, &fx.county, &fx.station.pub,
				       &h, NULL, &e), GQ_OK);
	bundle_header_release(&h);
}

static void test_many_records(void **state)
{
	const char *path = path_of("many.gqb");
	struct bundle_writer *w = NULL;
	struct bundle_reader *r = NULL;
	struct bundle_header h;
	const unsigned char *rec;
	char buf[96];
	unsigned char *big;
	size_t len, i;
	struct gq_err e;
	FILE *f;

	(void)state;
	/* 200,000 records and, among them, incompressible ones over several
	 * chunks: 1 MiB and the largest allowed, 16 MiB. */
	big = malloc(BUNDLE_RECORD_MAX + 1);
	assert_non_null(big);
	randombytes_buf_deterministic(big, BUNDLE_RECORD_MAX + 1,
				      (const unsigned char *)"guanqing-test-seed-0123456789abc");
	f = fopen(path, "wb");
	header_template(&h, 3);
	assert_int_equal(bundle_writer_open(&w, f, &h, &fx.station, &fx.county.pub,
					    NULL, &e), GQ_OK);
	for (i = 0; i < 200000; i++) {
		if (i == 1000)
			assert_int_equal(bundle_writer_add(w, big, 1 << 20, &e), GQ_OK);
		if (i == 150000)
			assert_int_equal(bundle_writer_add(w, big, BUNDLE_RECORD_MAX, &e), GQ_OK);
		snprintf(buf, sizeof(buf), "visit|%zu|留守儿童走访|风险等级%zu", i, i % 4);
		assert_int_equal(bundle_writer_add(w, buf, strlen(buf), &e), GQ_OK);
	}
	/* One byte over the limit is refused, and the writer goes on. */
	assert_int_equal(bundle_writer_add(w, big, BUNDLE_RECORD_MAX + 1, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "16 MiB"));
	assert_int_equal(bundle_writer_finish(w, &e), GQ_OK);
	assert_int_equal(bundle_writer_header(w)->record_count, 200002);
	/* Finished is finished. */
	assert_int_equal(bundle_writer_add(w, "x", 1, &e), GQ_EINVAL);
	assert_int_equal(bundle_writer_finish(w, &e), GQ_EINVAL);
	bundle_writer_free(&w);
	fclose(f);

	assert_int_equal(county_verify(path, &e), BUNDLE_OK);
	assert_int_equal(bundle_reader_open(&r, path, COUNTY_ID, &fx.county,
					    &fx.station.pub, NULL, &e), GQ_OK);
	assert_int_equal(bundle_reader_header(r)->record_count, 200002);
	for (i = 0; i < 200000; i++) {
		if (i == 1000 || i == 150000) {
			size_t want = i == 1000 ? (size_t)1 << 20 : BUNDLE_RECORD_MAX;

			assert_int_equal(bundle_reader_next(r, &rec, &len, &e), GQ_OK);
			assert_int_equal(len, want);
			assert_memory_equal(rec, big, want);
		}
		assert_int_equal(bundle_reader_next(r, &rec, &len, &e), GQ_OK);
		assert_non_null(rec);
		snprintf(buf, sizeof(buf), "visit|%zu|留守儿童走访|风险等级%zu", i, i % 4);
		assert_int_equal(len, strlen(buf));
		assert_memory_equal(rec, buf, len);
	}
	assert_int_equal(bundle_reader_next(r, &rec, &len, &e), GQ_OK);
	assert_null(rec);
	bundle_reader_free(&r);
	bundle_header_release(&h);
	free(big);
}

static void test_size_limit(void **state)
{
	const char *path = path_of("limit.gqb");
	struct bundle_writer *w = NULL;
	struct bundle_header h;
	unsigned char rnd[4096];
	enum gq_status rc = GQ_OK;
	struct gq_err e;
	int i;
	FILE *f;

	(void)state;
	f = fopen(path, "wb");
	header_template(&h, 4);
	assert_int_equal(bundle_writer_open(&w, f, &h, &fx.station, &fx.county.pub,
					    "limit.gqb", &e), GQ_OK);
	bundle_writer_set_max_size(w, 200000);
	for (i = 0; i < 100 && rc == GQ_OK; i++) {
		randombytes_buf(rnd, sizeof(rnd));
		rc = bundle_writer_add(w, rnd, sizeof(rnd), &e);
	}
	assert_int_equal(rc, GQ_EINVAL);
	assert_non_null(strstr(e.msg, "limit.gqb"));
	assert_non_null(strstr(e.msg, "4 GiB"));
	assert_non_null(strstr(e.msg, "200000"));
	/* A failed writer refuses the rest. */
	assert_int_equal(bundle_writer_add(w, "x", 1, &e), GQ_EINVAL);
	assert_int_equal(bundle_writer_finish(w, &e), GQ_EINVAL);
	bundle_writer_free(&w);
	fclose(f);
	bundle_header_release(&h);
	bundle_writer_free(&w);
	bundle_writer_free(NULL);
}

static void test_writer_refuses(void **state)
{
	struct bundle_writer *w = (struct bundle_writer *)&w;
	struct bundle_header h;
	struct gq_err e;
	unsigned char *acks;
	int fds[2];
	FILE *f = fopen(path_of("refused.gqb"), "wb");

	(void)state;
	header_template(&h, 1);
	strcpy(h.sender, "6F1C2D9E-4B7A-4C1E-9A55-0D3E8F1B2C47");
	assert_int_equal(bundle_writer_open(&w, f, &h, &fx.station, &fx.county.pub,
					    NULL, &e), GQ_EINVAL);
	assert_null(w);
	assert_non_null(strstr(e.msg, "UUID"));
	strcpy(h.sender, "");
	assert_int_equal(bundle_writer_open(&w, f, &h, &fx.station, &fx.county.pub,
					    NULL, &e), GQ_EINVAL);
	strcpy(h.sender, "商城县-赤城街道");
	assert_int_equal(bundle_writer_open(&w, f, &h, &fx.station, &fx.county.pub,
					    NULL, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "商城县-赤城街道"));
	assert_int_equal(bundle_writer_open(&w, f, NULL, &fx.station, &fx.county.pub,
					    NULL, &e), GQ_EINVAL);
	strcpy(h.sender, STATION_ID);

	/* Acknowledgements over the limit. */
	acks = calloc(1, BUNDLE_ACKS_MAX + 1);
	assert_int_equal(bundle_header_set_acks(&h, acks, BUNDLE_ACKS_MAX + 1, &e),
			 GQ_EINVAL);
	assert_int_equal(bundle_header_set_acks(&h, acks, BUNDLE_ACKS_MAX, &e), GQ_OK);
	assert_int_equal(bundle_header_set_acks(&h, NULL, 0, &e), GQ_OK);
	assert_null(h.acks);
	h.acks = acks;
	h.acks_len = BUNDLE_ACKS_MAX + 1;
	assert_int_equal(bundle_writer_open(&w, f, &h, &fx.station, &fx.county.pub,
					    NULL, &e), GQ_EINVAL);
	h.acks = NULL;
	h.acks_len = 0;
	free(acks);
	fclose(f);

	/* A pipe cannot take a bundle: the header is written last. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(bundle_writer_open_fd(&w, fds[1], &h, &fx.station,
					       &fx.county.pub, "pipe", &e), GQ_EINVAL);
	assert_null(w);
	assert_non_null(strstr(e.msg, "regular file"));
	close(fds[0]);
	close(fds[1]);
	bundle_header_release(&h);
}

static void test_writer_fd(void **state)
{
	const char *path = path_of("fd.gqb");
	struct bundle_writer *w = NULL;
	struct bundle_header h;
	struct gq_err e;
	size_t i, n;
	int fd;

	(void)state;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	header_template(&h, 5);
	assert_int_equal(bundle_writer_open_fd(&w, fd, &h, &fx.station,
					       &fx.county.pub, path, &e), GQ_OK);
	for (i = 0; i < 5; i++)
		assert_int_equal(bundle_writer_add(w, chinese[i], strlen(chinese[i]), &e),
				 GQ_OK);
	assert_int_equal(bundle_writer_finish(w, &e), GQ_OK);
	bundle_writer_free(&w);
	/* The caller's descriptor stays open. */
	assert_int_equal(fsync(fd), 0);
	close(fd);
	bundle_header_release(&h);
	assert_int_equal(county_read(path, &n, chinese, NULL), BUNDLE_OK);
	assert_int_equal(n, 5);
}

static void test_bit_flips_are_damage(void **state)
{
	const char *path = path_of("good.gqb"), *bad = path_of("flipped.gqb");
	unsigned char *buf;
	size_t len, off;
	struct gq_err e;
	enum bundle_reason why, want;

	(void)state;
	write_chinese(path, 11);
	buf = load(path, &len);
	for (off = 0; off < len; off++) {
		buf[off] ^= (unsigned char)(1u << (off % 8));
		save(bad, buf, len);
		buf[off] ^= (unsigned char)(1u << (off % 8));
		want = off < 8 ? BUNDLE_EMAGIC : off < 10 ? BUNDLE_EVERSION
							   : BUNDLE_ECHECKSUM;
		why = county_verify(bad, &e);
		if (why != want)
			fail_msg("offset %zu: reason %d (%s), expected %d", off,
				 why, e.msg, want);
		assert_non_null(strstr(e.msg, bad));
		if (want == BUNDLE_ECHECKSUM)
			assert_non_null(strstr(e.msg, "damaged"));
		/* The sender-side check tells the same. */
		assert_int_equal(bundle_check(bad, &fx.station.pub, NULL, &why, &e),
				 GQ_ECORRUPT);
		assert_int_equal(why, want);
	}
	free(buf);
}

static void test_bit_flips_big_bundle(void **state)
{
	const char *path = path_of("big.gqb"), *bad = path_of("bigflip.gqb");
	const char *recs[500];
	char *store;
	unsigned char *buf;
	size_t len, off, n, i;
	struct gq_err e;

	(void)state;
	/* Incompressible records over several 64 KiB chunks. */
	store = malloc(500 * 1001);
	for (i = 0; i < 500; i++) {
		size_t j;

		for (j = 0; j < 1000; j++)
			store[i * 1001 + j] = (char)('A' + randombytes_uniform(26));
		store[i * 1001 + 1000] = '\0';
		recs[i] = store + i * 1001;
	}
	write_bundle(path, 12, &fx.county.pub, recs, NULL, 500, NULL);
	buf = load(path, &len);
	assert_true(len > 3 * 65536);
	for (off = 10; off < len; off += 4093) {
		buf[off] ^= 0x20;
		save(bad, buf, len);
		buf[off] ^= 0x20;
		assert_int_equal(county_verify(bad, &e), BUNDLE_ECHECKSUM);
		assert_int_equal(county_read(bad, &n, recs, NULL), BUNDLE_ECHECKSUM);
	}
	assert_int_equal(county_read(path, &n, recs, NULL), BUNDLE_OK);
	assert_int_equal(n, 500);
	free(buf);
	free(store);
}

static void test_truncated_and_trailing(void **state)
{
	const char *path = path_of("whole.gqb"), *bad = path_of("cut.gqb");
	unsigned char *buf;
	size_t len, cut, n;
	struct gq_err e;

	(void)state;
	write_chinese(path, 13);
	buf = load(path, &len);
	for (cut = 0; cut < len; cut++) {
		save(bad, buf, cut);
		if (county_verify(bad, &e) != BUNDLE_ETRUNCATED)
			fail_msg("cut at %zu: %s", cut, e.msg);
		assert_non_null(strstr(e.msg, bad));
		assert_int_equal(county_read(bad, &n, NULL, NULL), BUNDLE_ETRUNCATED);
		assert_int_equal(n, 0);
	}
	/* The peek already tells it, with the lengths. */
	save(bad, buf, len - 1);
	assert_int_equal(bundle_peek_header(bad, NULL, NULL, &e), GQ_ECORRUPT);
	assert_non_null(strstr(e.msg, "truncated"));

	/* Appended bytes. */
	buf = realloc(buf, len + 3);
	memcpy(buf + len, "尾", 3);
	save(bad, buf, len + 3);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ETRAILING);
	assert_non_null(strstr(e.msg, "3 bytes"));
	free(buf);
}

static void test_tamper_with_checksum_fixed(void **state)
{
	const char *path = path_of("orig.gqb"), *bad = path_of("tampered.gqb");
	unsigned char *buf;
	size_t len, off;
	struct parts p;
	struct gq_err e;

	(void)state;
	write_chinese(path, 14);
	buf = load(path, &len);
	p = parts_of(buf);
	/* Body bytes (acks, sealed key, ciphertext, signature) changed and the
	 * checksum made right again: the signature refuses it. */
	for (off = H_LEN; off < p.x; off++) {
		buf[off] ^= 0x01;
		fix_checksum(buf);
		save(bad, buf, len);
		buf[off] ^= 0x01;
		if (county_verify(bad, &e) != BUNDLE_ESIGNATURE)
			fail_msg("offset %zu: %s", off, e.msg);
		assert_non_null(strstr(e.msg, STATION_ID));
	}
	/* Header fields changed, both checksums made right. */
	{
		static const size_t fields[] = { H_SCHEMA, H_NUMBER, H_NUMBER + 7,
						 H_WALL, H_WALL + 5, 96, 104, 120 };
		size_t i;

		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			free(buf);
			buf = load(path, &len);
			buf[fields[i]] ^= 0x04;
			fix_header_sum(buf);
			fix_checksum(buf);
			save(bad, buf, len);
			assert_int_equal(county_verify(bad, &e), BUNDLE_ESIGNATURE);
			assert_int_equal(bundle_peek_header(bad, NULL, NULL, &e), GQ_OK);
		}
	}
	free(buf);
}

static void test_malformed_header(void **state)
{
	const char *path = path_of("hdr.gqb"), *bad = path_of("badhdr.gqb");
	unsigned char *buf;
	size_t len, i;
	struct gq_err e;
	enum bundle_reason why;
	struct {
		size_t off;
		int set;		/* set the byte, else XOR it */
		unsigned char val;
		const char *words;
	} cases[] = {
		{ H_FLAGS, 1, 1, "flags" },
		{ H_SENDER, 1, 'A', "UUID" },		/* upper case */
		{ H_SENDER + 8, 1, '_', "UUID" },
		{ H_SENDER + 36 + 3, 1, 'g', "UUID" },	/* the recipient */
		{ H_CHUNK + 2, 0, 0x20, "chunk size" },
		{ H_CHUNK + 2, 1, 0x00, "chunk size" },
		{ H_CIPHER, 0, 0x01, "lengths" },
		{ H_COMPRESSED + 6, 0, 0x40, "lengths" },
		{ H_RECORDS + 3, 0, 0x10, "records" },
		{ H_ACKS + 3, 0, 0x10, "acknowledgements" },
	};

	(void)state;
	write_chinese(path, 15);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf = load(path, &len);
		if (cases[i].set)
			buf[cases[i].off] = cases[i].val;
		else
			buf[cases[i].off] ^= cases[i].val;
		fix_header_sum(buf);
		save(bad, buf, len);
		free(buf);
		if (county_verify(bad, &e) != BUNDLE_EHEADER)
			fail_msg("case %zu: %s", i, e.msg);
		assert_non_null(strstr(e.msg, cases[i].words));
		assert_int_equal(bundle_peek_header(bad, NULL, &why, &e), GQ_ECORRUPT);
		assert_int_equal(why, BUNDLE_EHEADER);
	}

	/* Unknown version, bad magic, empty, missing, a folder. */
	buf = load(path, &len);
	buf[H_VERSION] = 3;
	save(bad, buf, len);
	assert_int_equal(county_verify(bad, &e), BUNDLE_EVERSION);
	assert_non_null(strstr(e.msg, "version 3"));
	buf[H_VERSION] = 0;
	save(bad, buf, len);
	assert_int_equal(county_verify(bad, &e), BUNDLE_EVERSION);
	assert_non_null(strstr(e.msg, "version 0"));
	free(buf);
	save(bad, (const unsigned char *)"村民委员会名单\n", strlen("村民委员会名单\n"));
	assert_int_equal(county_verify(bad, &e), BUNDLE_EMAGIC);
	assert_non_null(strstr(e.msg, "not a guanqing bundle"));
	save(bad, (const unsigned char *)"", 0);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ETRUNCATED);
	assert_non_null(strstr(e.msg, "empty"));
	unlink(bad);
	assert_int_equal(county_verify(bad, &e), BUNDLE_EREAD);
	assert_non_null(strstr(e.msg, bad));
	assert_int_equal(county_verify(fx.dir, &e), BUNDLE_EREAD);
	assert_int_equal(county_verify("", &e), BUNDLE_EREAD);
}

static void test_wrong_recipient_and_keys(void **state)
{
	const char *path = path_of("to-county.gqb"), *bad = path_of("to-other.gqb");
	struct keys_own reenrolled;
	struct gq_err e;
	size_t n;

	(void)state;
	write_chinese(path, 16);
	/* Another place opens it: not addressed to us. */
	assert_int_equal(verify_reason(path, OTHER_ID, &fx.other, &fx.station.pub, &e),
			 BUNDLE_ERECIPIENT);
	assert_non_null(strstr(e.msg, COUNTY_ID));
	assert_non_null(strstr(e.msg, OTHER_ID));
	/* The right id but other keys (say a county PC set up again). */
	assert_int_equal(verify_reason(path, COUNTY_ID, &fx.other, &fx.station.pub, &e),
			 BUNDLE_EDECRYPT);
	assert_non_null(strstr(e.msg, "decrypted"));
	/* The wrong sender key: refused as a bad signature. */
	assert_int_equal(verify_reason(path, COUNTY_ID, &fx.county, &fx.other.pub, &e),
			 BUNDLE_ESIGNATURE);

	/* Sealed to another key than the header's recipient: does not decrypt. */
	write_bundle(bad, 17, &fx.other.pub, chinese, NULL, 5, NULL);
	assert_int_equal(county_verify(bad, &e), BUNDLE_EDECRYPT);
	assert_int_equal(county_read(bad, &n, NULL, NULL), BUNDLE_EDECRYPT);
	/* ...and damage still comes first. */
	{
		unsigned char *buf;
		size_t len;

		buf = load(bad, &len);
		buf[len - 100] ^= 1;
		save(bad, buf, len);
		free(buf);
		assert_int_equal(county_verify(bad, &e), BUNDLE_ECHECKSUM);
	}

	/* Arguments: our id must be a UUID. */
	assert_int_equal(bundle_verify(path, "county", &fx.county, &fx.station.pub,
				       NULL, NULL, &e), GQ_EINVAL);
	assert_int_equal(bundle_verify(path, NULL, &fx.county, &fx.station.pub,
				       NULL, NULL, &e), GQ_EINVAL);

	assert_int_equal(keys_generate(&reenrolled, NULL), GQ_OK);
	assert_int_equal(verify_reason(path, COUNTY_ID, &reenrolled, &fx.station.pub, &e),
			 BUNDLE_EDECRYPT);
	keys_release(&reenrolled);
}

static void test_swap_payloads(void **state)
{
	const char *a = path_of("a.gqb"), *b = path_of("b.gqb"), *bad = path_of("swap.gqb");
	unsigned char *ba, *bb;
	size_t la, lb;
	struct parts p;
	struct gq_err e;

	(void)state;
	/* Same records: same lengths, so the parts line up. */
	write_bundle(a, 20, &fx.county.pub, chinese, NULL, 5, "甲");
	write_bundle(b, 21, &fx.county.pub, chinese, NULL, 5, "乙");
	ba = load(a, &la);
	bb = load(b, &lb);
	assert_int_equal(la, lb);
	p = parts_of(ba);

	/* B's ciphertext in A: damaged. */
	memcpy(ba + p.c, bb + p.c, p.clen);
	save(bad, ba, la);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ECHECKSUM);
	/* ...with the checksum made right: bad signature. */
	fix_checksum(ba);
	save(bad, ba, la);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ESIGNATURE);
	/* B's sealed key, ciphertext and signature under A's header. */
	memcpy(ba + p.k, bb + p.k, la - p.k);
	save(bad, ba, la);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ECHECKSUM);
	fix_checksum(ba);
	save(bad, ba, la);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ESIGNATURE);
	/* A's header on B's body. */
	memcpy(bb, ba, p.hlen);
	save(bad, bb, lb);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ECHECKSUM);
	fix_checksum(bb);
	save(bad, bb, lb);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ESIGNATURE);
	free(ba);
	free(bb);
}

static void test_resign(void **state)
{
	const char *path = path_of("signed.gqb"), *bad = path_of("resigned.gqb");
	struct bundle_header h;
	unsigned char *buf;
	size_t len, n;
	struct gq_err e;

	(void)state;
	write_chinese(path, 30);
	buf = load(path, &len);
	/* Bundle number 30 made 31, signed with another key: refused. */
	wr64(buf + H_NUMBER, 31);
	fix_header_sum(buf);
	resign(buf, fx.other.sign_secret);
	save(bad, buf, len);
	assert_int_equal(county_verify(bad, &e), BUNDLE_ESIGNATURE);
	assert_non_null(strstr(e.msg, "forged"));
	assert_int_equal(county_read(bad, &n, NULL, NULL), BUNDLE_ESIGNATURE);
	/* ...but the other key is the one it verifies with: this test signs
	 * exactly as the document says. */
	assert_int_equal(verify_reason(bad, COUNTY_ID, &fx.county, &fx.other.pub, &e),
			 BUNDLE_OK);
	/* Signed with the station's own key it is accepted: the key, not the
	 * content, is what the signature proves. */
	resign(buf, fx.station.sign_secret);
	save(bad, buf, len);
	bundle_header_init(&h);
	assert_int_equal(bundle_verify(bad, COUNTY_ID, &fx.county, &fx.station.pub,
				       &h, NULL, &e), GQ_OK);
	assert_int_equal(h.number, 31);
	bundle_header_release(&h);
	free(buf);
}

static void test_reader_rechecks(void **state)
{
	const char *path = path_of("recheck.gqb");
	unsigned char *buf;
	size_t len, n;
	struct parts p;

	(void)state;
	write_chinese(path, 40);
	buf = load(path, &len);
	p = parts_of(buf);
	/* Changed after bundle_verify passed: the records come out, but the
	 * end is refused, so the caller rolls back. */
	buf[p.s + 5] ^= 0x80;
	save(path, buf, len);
	assert_int_equal(county_read(path, &n, chinese, NULL), BUNDLE_ECHECKSUM);
	assert_int_equal(n, 5);
	fix_checksum(buf);
	save(path, buf, len);
	assert_int_equal(county_read(path, &n, chinese, NULL), BUNDLE_ESIGNATURE);
	assert_int_equal(n, 5);
	free(buf);
}

static void test_forged_payloads(void **state)
{
	const char *path = path_of("forged.gqb");
	const char *recs[] = { "person|赵六", "visit|钱七|2026-11-28", "" };
	const char *five_a[] = { "aaaaa" };
	struct forge fg;
	unsigned char *z, *junk;
	size_t zlen, n;
	uint64_t plain;
	struct gq_err e;

	(void)state;
	z = frame_and_compress(recs, 3, 9, &zlen, &plain);

	/* What the document describes is read: the control case, with
	 * 1 KiB chunks over several chunks. */
	memset(&fg, 0, sizeof(fg));
	fg.z = z;
	fg.zlen = zlen;
	fg.record_count = 3;
	fg.plain_len = plain;
	fg.chunk = 1024;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_OK);
	assert_int_equal(county_read(path, &n, recs, NULL), BUNDLE_OK);
	assert_int_equal(n, 3);
	/* The file layout of format 1 is the same: this layer reads it (a
	 * backup of format 1 restores; an import of changes refuses it). */
	fg.version = 1;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_OK);
	fg.version = 3;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_EVERSION);
	fg.version = 0;
	fg.chunk = 16;	/* below the minimum: refused */
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_EHEADER);
	fg.chunk = 1024;

	/* Exactly one chunk of compressed data, so the final chunk is empty:
	 * zlib's stored blocks (level 0) add 11 bytes to 1013. */
	{
		char *one = malloc(1010);
		const char *onev[1];
		unsigned char *zz;
		size_t zl;
		uint64_t pl;

		memset(one, 'x', 1009);
		one[1009] = '\0';
		onev[0] = one;
		zz = frame_and_compress(onev, 1, 0, &zl, &pl);
		assert_int_equal(zl, 1024);
		fg.z = zz;
		fg.zlen = zl;
		fg.record_count = 1;
		fg.plain_len = pl;
		forge_bundle(path, &fg);
		assert_int_equal(county_read(path, &n, onev, NULL), BUNDLE_OK);
		assert_int_equal(n, 1);
		free(zz);
		free(one);
		fg.record_count = 3;
		fg.plain_len = plain;
	}
	/* A whole chunk whose zlib stream ends early: trailing data. */
	{
		unsigned char *pad = calloc(1, 1024);

		memcpy(pad, z, zlen);
		fg.z = pad;
		fg.zlen = 1024;	/* the zlib stream, then zero bytes */
		forge_bundle(path, &fg);
		assert_int_equal(county_verify(path, &e), BUNDLE_ETRAILING);
		assert_non_null(strstr(e.msg, "compressed payload"));
		fg.zlen = zlen;
		fg.z = z;
		free(pad);
	}

	/* Final mark missing, or too early. */
	fg.no_final = 1;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_EDECRYPT);
	assert_non_null(strstr(e.msg, "final mark"));
	fg.no_final = 0;
	junk = malloc(3000);
	randombytes_buf(junk, 3000);
	fg.z = junk;
	fg.zlen = 3000;
	fg.plain_len = 3000;
	fg.early_final = 1;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_EDECRYPT);
	fg.early_final = 0;

	/* Encrypted under a key other than the sealed one. */
	fg.z = z;
	fg.zlen = zlen;
	fg.plain_len = plain;
	fg.wrong_key = 1;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_EDECRYPT);
	assert_int_equal(county_read(path, &n, NULL, NULL), BUNDLE_EDECRYPT);
	assert_int_equal(n, 0);
	fg.wrong_key = 0;

	/* Not zlib at all. */
	fg.z = junk;
	fg.zlen = 3000;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_EDECOMPRESS);
	assert_non_null(strstr(e.msg, "decompressed"));
	/* The zlib stream cut short. */
	fg.z = z;
	fg.zlen = zlen - 5;
	fg.plain_len = plain;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_EDECOMPRESS);
	/* Bytes after the zlib stream. */
	{
		unsigned char *more = malloc(zlen + 4);

		memcpy(more, z, zlen);
		memcpy(more + zlen, "尾巴", 4);
		fg.z = more;
		fg.zlen = zlen + 4;
		forge_bundle(path, &fg);
		assert_int_equal(county_verify(path, &e), BUNDLE_ETRAILING);
		free(more);
	}
	fg.z = z;
	fg.zlen = zlen;

	/* Record counts that disagree with the header. */
	fg.record_count = 2;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_ERECORDS);
	assert_non_null(strstr(e.msg, "more than the 2 records"));
	assert_int_equal(county_read(path, &n, recs, NULL), BUNDLE_ERECORDS);
	assert_int_equal(n, 2);
	fg.record_count = 4;
	fg.plain_len = plain + 4;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_ERECORDS);
	assert_non_null(strstr(e.msg, "holds 3 records"));
	/* The payload longer than the header says. */
	fg.record_count = 3;
	fg.plain_len = plain - 1;
	forge_bundle(path, &fg);
	assert_int_equal(county_verify(path, &e), BUNDLE_ERECORDS);
	assert_non_null(strstr(e.msg, "goes past"));
	free(z);

	/* A length prefix longer than what follows, over 16 MiB, or cut. */
	{
		unsigned char raw[16];
		uLongf zl = compressBound(sizeof(raw)) + 16;
		unsigned char *zz = malloc(zl);

		wr32(raw, 100);
		memcpy(raw + 4, "0123456789", 10);
		assert_int_equal(compress2(zz, &zl, raw, 14, 6), Z_OK);
		fg.z = zz;
		fg.zlen = zl;
		fg.record_count = 1;
		fg.plain_len = 104;
		forge_bundle(path, &fg);
		assert_int_equal(county_verify(path, &e), BUNDLE_ERECORDS);
		assert_non_null(strstr(e.msg, "cut short"));

		wr32(raw, BUNDLE_RECORD_MAX + 1);
		zl = compressBound(sizeof(raw)) + 16;
		assert_int_equal(compress2(zz, &zl, raw, 14, 6), Z_OK);
		fg.zlen = zl;
		fg.plain_len = 14;
		forge_bundle(path, &fg);
		assert_int_equal(county_verify(path, &e), BUNDLE_ERECORDS);
		assert_non_null(strstr(e.msg, "16 MiB"));

		zl = compressBound(sizeof(raw)) + 16;
		assert_int_equal(compress2(zz, &zl, (const unsigned char *)"\5\0\0", 3, 6), Z_OK);
		fg.zlen = zl;
		fg.plain_len = 8;
		forge_bundle(path, &fg);
		assert_int_equal(county_verify(path, &e), BUNDLE_ERECORDS);
		assert_non_null(strstr(e.msg, "inside the length"));
		free(zz);
	}
	/* A good single record to close: the forge is sound. */
	z = frame_and_compress(five_a, 1, 9, &zlen, &plain);
	fg.z = z;
	fg.zlen = zlen;
	fg.record_count = 1;
	fg.plain_len = plain;
	forge_bundle(path, &fg);
	assert_int_equal(county_read(path, &n, five_a, NULL), BUNDLE_OK);
	assert_int_equal(n, 1);
	free(z);
	free(junk);
}

static void test_names_and_reasons(void **state)
{
	char name[BUNDLE_FILE_NAME_SIZE];
	int i, j;

	(void)state;
	bundle_file_name(STATION_ID, 42, name);
	assert_string_equal(name, STATION_ID "-00000000000000000042.gqb");
	bundle_file_name(STATION_ID, UINT64_MAX, name);
	assert_string_equal(name, STATION_ID "-18446744073709551615.gqb");
	assert_true(bundle_id_valid(STATION_ID));
	assert_false(bundle_id_valid("6F1C2D9E-4B7A-4C1E-9A55-0D3E8F1B2C47"));
	assert_false(bundle_id_valid(STATION_ID "0"));
	assert_false(bundle_id_valid("6f1c2d9e-4b7a-4c1e-9a55-0d3e8f1b2c4"));
	assert_false(bundle_id_valid(""));
	assert_false(bundle_id_valid(NULL));
	assert_false(bundle_id_valid("城关社区城关社区城关社区城关"));
	for (i = 0; i < BUNDLE_REASON_MAX; i++) {
		assert_true(strlen(bundle_reason_str((enum bundle_reason)i)) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(bundle_reason_str((enum bundle_reason)i),
						bundle_reason_str((enum bundle_reason)j));
	}
	assert_string_equal(bundle_reason_str(BUNDLE_REASON_MAX), "?");
	bundle_header_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_chinese),
		cmocka_unit_test(test_binary_and_empty_records),
		cmocka_unit_test(test_empty_bundle),
		cmocka_unit_test(test_many_records),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_writer_refuses),
		cmocka_unit_test(test_writer_fd),
		cmocka_unit_test(test_bit_flips_are_damage),
		cmocka_unit_test(test_bit_flips_big_bundle),
		cmocka_unit_test(test_truncated_and_trailing),
		cmocka_unit_test(test_tamper_with_checksum_fixed),
		cmocka_unit_test(test_malformed_header),
		cmocka_unit_test(test_wrong_recipient_and_keys),
		cmocka_unit_test(test_swap_payloads),
		cmocka_unit_test(test_resign),
		cmocka_unit_test(test_reader_rechecks),
		cmocka_unit_test(test_forged_payloads),
		cmocka_unit_test(test_names_and_reasons),
	};

	return cmocka_run_group_tests_name("bundle", tests, setup, teardown);
}
