/* keys.c - key pairs, key text, passphrases and the sealed setup file. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "guanqing/err.h"
#include "guanqing/i18n.h"
#include "guanqing/keys.h"
#include "guanqing/le.h"

_Static_assert(KEYS_SIGN_PUBLIC_BYTES == crypto_sign_PUBLICKEYBYTES,
	       "signing public key size");
_Static_assert(KEYS_SIGN_SECRET_BYTES == crypto_sign_SECRETKEYBYTES,
	       "signing secret key size");
_Static_assert(KEYS_BOX_PUBLIC_BYTES == crypto_box_PUBLICKEYBYTES,
	       "box public key size");
_Static_assert(KEYS_BOX_SECRET_BYTES == crypto_box_SECRETKEYBYTES,
	       "box secret key size");

/* Setup file layout, version 1 (doc/bundle-format.md, "Setup file"). */
#define SETUP_VERSION 1
#define SETUP_ALG_ARGON2ID_XCHACHA 1
#define SETUP_HEADER_LEN 80
#define SETUP_SALT_OFF 32
#define SETUP_NONCE_OFF 48
#define SETUP_PLAINLEN_OFF 72
#define SETUP_SUM_LEN 32
#define SETUP_TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
/* Limits a reader accepts, so that a crafted file cannot make a 1 GB
 * station PC run out of memory or spin for minutes. */
#define SETUP_OPS_MAX 16
#define SETUP_MEM_MAX (256ULL * 1024 * 1024)

static const unsigned char setup_magic[8] = {
	0x89, 'G', 'Q', 'S', '\r', '\n', 0x1a, '\n'
};

_Static_assert(SETUP_SALT_OFF + crypto_pwhash_SALTBYTES == SETUP_NONCE_OFF,
	       "salt size");
_Static_assert(SETUP_NONCE_OFF + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
	       == SETUP_PLAINLEN_OFF, "nonce size");

static const char passphrase_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static const char *const kind_prefix[] = {
	[KEYS_SIGN_PUBLIC] = "gq-sign-pub:",
	[KEYS_SIGN_SECRET] = "gq-sign-sec:",
	[KEYS_BOX_PUBLIC] = "gq-box-pub:",
	[KEYS_BOX_SECRET] = "gq-box-sec:",
};

static const char *kind_name(enum keys_kind kind)
{
	switch (kind) {
	case KEYS_SIGN_PUBLIC:
		return _("a public signing key");
	case KEYS_SIGN_SECRET:
		return _("a secret signing key");
	case KEYS_BOX_PUBLIC:
		return _("a public encryption key");
	case KEYS_BOX_SECRET:
		return _("a secret encryption key");
	}
	return "?";
}

enum gq_status keys_crypto_init(struct gq_err *err)
{
	if (sodium_init() < 0)
		return gq_err_set(err, GQ_EIO,
				  _("The cryptography library could not start (no source of random numbers)."));
	return GQ_OK;
}

enum gq_status keys_generate(struct keys_own *k, struct gq_err *err)
{
	enum gq_status rc = keys_crypto_init(err);

	if (rc != GQ_OK)
		return rc;
	crypto_sign_keypair(k->pub.sign, k->sign_secret);
	crypto_box_keypair(k->pub.box, k->box_secret);
	return GQ_OK;
}

enum gq_status keys_check(const struct keys_own *k, const char *what,
			  struct gq_err *err)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char spk[crypto_sign_PUBLICKEYBYTES];
	enum gq_status rc = keys_crypto_init(err);
	int bad_sign, bad_box;

	if (rc != GQ_OK)
		return rc;
	if (!what)
		what = _("these keys");
	crypto_sign_ed25519_sk_to_pk(spk, k->sign_secret);
	bad_sign = sodium_memcmp(spk, k->pub.sign, sizeof(spk)) != 0;
	if (crypto_scalarmult_base(pk, k->box_secret) != 0)
		bad_box = 1;
	else
		bad_box = sodium_memcmp(pk, k->pub.box, sizeof(pk)) != 0;
	sodium_memzero(pk, sizeof(pk));
	if (bad_sign)
		return gq_err_set(err, GQ_EINVAL,
				  _("The secret signing key of %s does not belong to its public signing key."),
				  what);
	if (bad_box)
		return gq_err_set(err, GQ_EINVAL,
				  _("The secret encryption key of %s does not belong to its public encryption key."),
				  what);
	return GQ_OK;
}

void keys_release(struct keys_own *k)
{
	if (k)
		sodium_memzero(k, sizeof(*k));
}

void keys_wipe(void *p, size_t n)
{
	if (p && n)
		sodium_memzero(p, n);
}

void keys_free_secret(unsigned char **p, size_t len)
{
	if (!p || !*p)
		return;
	sodium_memzero(*p, len);
	free(*p);
	*p = NULL;
}

size_t keys_kind_size(enum keys_kind kind)
{
	switch (kind) {
	case KEYS_SIGN_PUBLIC:
		return KEYS_SIGN_PUBLIC_BYTES;
	case KEYS_SIGN_SECRET:
		return KEYS_SIGN_SECRET_BYTES;
	case KEYS_BOX_PUBLIC:
		return KEYS_BOX_PUBLIC_BYTES;
	case KEYS_BOX_SECRET:
		return KEYS_BOX_SECRET_BYTES;
	}
	return 0;
}

void keys_to_text(enum keys_kind kind, const unsigned char *key,
		  char out[KEYS_TEXT_MAX])
{
	size_t plen = strlen(kind_prefix[kind]);

	memcpy(out, kind_prefix[kind], plen);
	sodium_bin2base64(out + plen, KEYS_TEXT_MAX - plen, key,
			  keys_kind_size(kind), sodium_base64_VARIANT_ORIGINAL);
}

/* The kind whose prefix text starts with, or -1. */
static int kind_of_text(const char *text)
{
	size_t i;

	for (i = 0; i < sizeof(kind_prefix) / sizeof(kind_prefix[0]); i++)
		if (!strncmp(text, kind_prefix[i], strlen(kind_prefix[i])))
			return (int)i;
	return -1;
}

enum gq_status keys_from_text(enum keys_kind kind, const char *text,
			      unsigned char *key, const char *what,
			      struct gq_err *err)
{
	size_t want = keys_kind_size(kind), plen = strlen(kind_prefix[kind]);
	size_t n, got = 0;
	const char *b64, *end = NULL;
	enum gq_status rc = keys_crypto_init(err);
	int other;

	if (rc != GQ_OK)
		return rc;
	memset(key, 0, want);
	if (!what)
		what = _("the key");
	if (!text)
		text = "";
	while (*text && isspace((unsigned char)*text))
		text++;
	n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	if (n == 0)
		return gq_err_set(err, GQ_EINVAL,
				  _("The text of %s is empty; %s was expected."),
				  what, kind_name(kind));
	other = kind_of_text(text);
	if (other < 0)
		return gq_err_set(err, GQ_EINVAL,
				  _("The text of %s does not start with \"%s\": it is not %s."),
				  what, kind_prefix[kind], kind_name(kind));
	if ((enum keys_kind)other != kind)
		return gq_err_set(err, GQ_EINVAL,
				  _("The text of %s is %s, but %s was expected."),
				  what, kind_name((enum keys_kind)other),
				  kind_name(kind));
	b64 = text + plen;
	if (sodium_base642bin(key, want, b64, n - plen, NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != text + n || got != want) {
		sodium_memzero(key, want);
		return gq_err_set(err, GQ_EINVAL,
				  _("The text of %s is not a valid key: after \"%s\" it must hold %zu bytes in base64."),
				  what, kind_prefix[kind], want);
	}
	return GQ_OK;
}

void keys_fingerprint(const unsigned char *key, size_t len,
		      char out[KEYS_FINGERPRINT_SIZE])
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char h[crypto_generichash_BYTES];
	size_t i, o = 0;

	crypto_generichash(h, sizeof(h), key, len, NULL, 0);
	for (i = 0; i < 8; i++) {
		if (i && i % 2 == 0)
			out[o++] = '-';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 15];
	}
	out[o] = '\0';
}

void keys_passphrase_generate(char out[KEYS_PASSPHRASE_SIZE])
{
	size_t i, o = 0;

	if (sodium_init() < 0)
		abort();	/* no randomness: a weak passphrase is worse */
	for (i = 0; i < 24; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = passphrase_alphabet[randombytes_uniform(32)];
	}
	out[o] = '\0';
}

size_t keys_passphrase_normalize(char *pass)
{
	size_t i, o = 0;

	if (!pass)
		return 0;
	for (i = 0; pass[i]; i++) {
		unsigned char c = (unsigned char)pass[i];

		if (c == '-' || c == ' ' || c == '\t' || c == '\n' ||
		    c == '\r' || c == '\f' || c == '\v')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		pass[o++] = (char)c;
	}
	pass[o] = '\0';
	return o;
}

/* Normalise passphrase into a private copy (freed with keys_free_secret).
 * Returns NULL when it is empty after normalising. */
static char *pass_copy(const char *passphrase, size_t *len)
{
	size_t n = passphrase ? strlen(passphrase) : 0;
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, passphrase ? passphrase : "", n + 1);
	*len = keys_passphrase_normalize(p);
	if (*len == 0) {
		free(p);
		return NULL;
	}
	return p;
}

/* Derive the setup key from a normalised passphrase. */
static enum gq_status setup_derive(unsigned char key[32], const char *pass,
				   size_t plen, const unsigned char *salt,
				   uint64_t ops, uint64_t mem,
				   struct gq_err *err)
{
	if (crypto_pwhash(key, 32, pass, plen, salt, ops, (size_t)mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return gq_err_set(err, GQ_ENOMEM,
				  _("There is not enough memory to derive the key from the passphrase (%llu MiB are needed)."),
				  (unsigned long long)(mem >> 20));
	return GQ_OK;
}

enum gq_status keys_setup_seal(const char *passphrase, const void *plain,
			       size_t len, unsigned char **out,
			       size_t *out_len, struct gq_err *err)
{
	unsigned char key[32];
	unsigned char *buf = NULL;
	char *pass = NULL;
	size_t plen = 0, total;
	unsigned long long clen = 0;
	enum gq_status rc;

	*out = NULL;
	*out_len = 0;
	rc = keys_crypto_init(err);
	if (rc != GQ_OK)
		return rc;
	if (len > KEYS_SETUP_MAX)
		return gq_err_set(err, GQ_EINVAL,
				  _("The setup data is %zu bytes; a setup file holds at most %d."),
				  len, KEYS_SETUP_MAX);
	if (!passphrase || !(pass = pass_copy(passphrase, &plen)))
		return gq_err_set(err, GQ_EINVAL,
				  _("The passphrase for the setup file is empty."));
	total = SETUP_HEADER_LEN + len + SETUP_TAG_LEN + SETUP_SUM_LEN;
	buf = calloc(1, total);
	if (!buf) {
		rc = gq_err_set(err, GQ_ENOMEM, _("Out of memory while sealing the setup file."));
		goto out;
	}
	memcpy(buf, setup_magic, sizeof(setup_magic));
	le_put_u16(buf + 8, SETUP_VERSION);
	le_put_u16(buf + 10, SETUP_ALG_ARGON2ID_XCHACHA);
	le_put_u64(buf + 16, crypto_pwhash_OPSLIMIT_INTERACTIVE);
	le_put_u64(buf + 24, crypto_pwhash_MEMLIMIT_INTERACTIVE);
	randombytes_buf(buf + SETUP_SALT_OFF, crypto_pwhash_SALTBYTES);
	randombytes_buf(buf + SETUP_NONCE_OFF,
			crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	le_put_u64(buf + SETUP_PLAINLEN_OFF, len);
	rc = setup_derive(key, pass, plen, buf + SETUP_SALT_OFF,
			  crypto_pwhash_OPSLIMIT_INTERACTIVE,
			  crypto_pwhash_MEMLIMIT_INTERACTIVE, err);
	if (rc != GQ_OK)
		goto out;
	crypto_aead_xchacha20poly1305_ietf_encrypt(
		buf + SETUP_HEADER_LEN, &clen, plain, len, buf,
		SETUP_HEADER_LEN, NULL, buf + SETUP_NONCE_OFF, key);
	crypto_generichash(buf + total - SETUP_SUM_LEN, SETUP_SUM_LEN, buf,
			   total - SETUP_SUM_LEN, NULL, 0);
	*out = buf;
	*out_len = total;
	buf = NULL;
out:
	sodium_memzero(key, sizeof(key));
	if (pass)
		keys_free_secret((unsigned char **)&pass, plen + 1);
	free(buf);
	return rc;
}

enum gq_status keys_setup_open(const char *passphrase, const void *sealed,
			       size_t len, const char *name,
			       unsigned char **plain, size_t *plain_len,
			       struct gq_err *err)
{
	const unsigned char *s = sealed;
	unsigned char sum[SETUP_SUM_LEN], key[32];
	unsigned char *pt = NULL;
	char *pass = NULL;
	size_t plen = 0;
	uint64_t ops, mem, ptlen;
	unsigned long long got = 0;
	enum gq_status rc;

	*plain = NULL;
	*plain_len = 0;
	rc = keys_crypto_init(err);
	if (rc != GQ_OK)
		return rc;
	if (!name)
		name = _("the setup file");
	if (!s)
		len = 0;
	if (len < sizeof(setup_magic) ||
	    memcmp(s, setup_magic, sizeof(setup_magic)) != 0) {
		if (len < sizeof(setup_magic) && len > 0 &&
		    !memcmp(s, setup_magic, len))
			return gq_err_set(err, GQ_ECORRUPT,
					  _("The setup file %s is damaged: it is cut short after %zu bytes."),
					  name, len);
		return gq_err_set(err, GQ_ECORRUPT,
				  _("The file %s is not a guanqing setup file."),
				  name);
	}
	if (len < 10)
		return gq_err_set(err, GQ_ECORRUPT,
				  _("The setup file %s is damaged: it is cut short after %zu bytes."),
				  name, len);
	if (le_get_u16(s + 8) != SETUP_VERSION)
		return gq_err_set(err, GQ_ECORRUPT,
				  _("The setup file %s has version %u, which this program cannot read (it reads version %d)."),
				  name, le_get_u16(s + 8), SETUP_VERSION);
	if (len < SETUP_HEADER_LEN + SETUP_TAG_LEN + SETUP_SUM_LEN)
		return gq_err_set(err, GQ_ECORRUPT,
				  _("The setup file %s is damaged: it is cut short after %zu bytes."),
				  name, len);
	crypto_generichash(sum, sizeof(sum), s, len - SETUP_SUM_LEN, NULL, 0);
	if (sodium_memcmp(sum, s + len - SETUP_SUM_LEN, SETUP_SUM_LEN) != 0)
		return gq_err_set(err, GQ_ECORRUPT,
				  _("The setup file %s is damaged or incomplete: its checksum does not match. Copy it again from the county."),
				  name);
	ops = le_get_u64(s + 16);
	mem = le_get_u64(s + 24);
	ptlen = le_get_u64(s + SETUP_PLAINLEN_OFF);
	if (le_get_u16(s + 10) != SETUP_ALG_ARGON2ID_XCHACHA ||
	    le_get_u32(s + 12) != 0 || ops < crypto_pwhash_OPSLIMIT_MIN ||
	    ops > SETUP_OPS_MAX || mem < crypto_pwhash_MEMLIMIT_MIN ||
	    mem > SETUP_MEM_MAX)
		return gq_err_set(err, GQ_ECORRUPT,
				  _("The setup file %s uses an algorithm or parameters this program does not accept."),
				  name);
	if (ptlen > KEYS_SETUP_MAX ||
	    ptlen + SETUP_HEADER_LEN + SETUP_TAG_LEN + SETUP_SUM_LEN != len)
		return gq_err_set(err, GQ_ECORRUPT,
				  _("The setup file %s is malformed: its length does not match its header."),
				  name);
	if (!passphrase || !(pass = pass_copy(passphrase, &plen)))
		return gq_err_set(err, GQ_EINVAL,
				  _("The passphrase for the setup file %s is empty."),
				  name);
	pt = malloc((size_t)ptlen + 1);
	if (!pt) {
		rc = gq_err_set(err, GQ_ENOMEM, _("Out of memory while opening the setup file %s."), name);
		goto out;
	}
	rc = setup_derive(key, pass, plen, s + SETUP_SALT_OFF, ops, mem, err);
	if (rc != GQ_OK)
		goto out;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    pt, &got, NULL, s + SETUP_HEADER_LEN,
		    ptlen + SETUP_TAG_LEN, s, SETUP_HEADER_LEN,
		    s + SETUP_NONCE_OFF, key) != 0 || got != ptlen) {
		rc = gq_err_set(err, GQ_EINVAL,
				_("The passphrase does not open the setup file %s. Check it and type it again."),
				name);
		goto out;
	}
	pt[ptlen] = '\0';
	*plain = pt;
	*plain_len = (size_t)ptlen;
	pt = NULL;
out:
	sodium_memzero(key, sizeof(key));
	if (pass)
		keys_free_secret((unsigned char **)&pass, plen + 1);
	if (pt)
		keys_free_secret(&pt, (size_t)ptlen + 1);
	return rc;
}

enum gq_status keys_setup_open_file(const char *path, const char *passphrase,
				    unsigned char **plain, size_t *plain_len,
				    struct gq_err *err)
{
	FILE *f;
	unsigned char *buf = NULL;
	size_t len = 0, n;
	enum gq_status rc;

	*plain = NULL;
	*plain_len = 0;
	f = fopen(path, "rb");
	if (!f)
		return gq_err_set(err, errno == ENOENT ? GQ_ENOTFOUND : GQ_EIO,
				  _("Could not open the setup file %s: %s."),
				  path, strerror(errno));
	/* One byte more than the limit tells "too large" from "at the limit". */
	buf = malloc(KEYS_SETUP_MAX + SETUP_HEADER_LEN + SETUP_TAG_LEN +
		     SETUP_SUM_LEN + 1);
	if (!buf) {
		fclose(f);
		return gq_err_set(err, GQ_ENOMEM, _("Out of memory while reading the setup file %s."), path);
	}
	while ((n = fread(buf + len, 1, KEYS_SETUP_MAX + SETUP_HEADER_LEN +
				   SETUP_TAG_LEN + SETUP_SUM_LEN + 1 - len,
			  f)) > 0)
		len += n;
	if (ferror(f)) {
		rc = gq_err_set(err, GQ_EIO, _("Could not read the setup file %s: %s."),
				path, strerror(errno));
		goto out;
	}
	if (len > KEYS_SETUP_MAX + SETUP_HEADER_LEN + SETUP_TAG_LEN +
		  SETUP_SUM_LEN) {
		rc = gq_err_set(err, GQ_ECORRUPT,
				_("The file %s is too large to be a guanqing setup file."),
				path);
		goto out;
	}
	rc = keys_setup_open(passphrase, buf, len, path, plain, plain_len, err);
out:
	fclose(f);
	free(buf);
	return rc;
}
