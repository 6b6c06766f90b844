/* keys.h - key pairs, their text form, and the sealed setup file.
 *
 * Every place (the county and each station) owns two key pairs: an Ed25519
 * signing pair (libsodium crypto_sign) that signs its bundles, and an X25519
 * box pair (libsodium crypto_box) to which bundles for it are encrypted.
 * Other places store only the public halves (struct keys_public).
 *
 * Keys are stored in the database as text: a type prefix and the key in
 * base64 (RFC 4648 standard alphabet, with padding), e.g.
 *   gq-sign-pub:3q2+7w...=
 * The prefix says what the key is, so that a secret key pasted where a
 * public key belongs, or a box key where a signing key belongs, is refused.
 *
 * A station is enrolled with a setup file: a byte blob chosen by the caller
 * (a small key=value text), sealed under a passphrase with Argon2id and
 * XChaCha20-Poly1305. doc/bundle-format.md gives the byte layout.
 *
 * Secret material never stays in memory longer than needed: keys_release()
 * and keys_wipe() overwrite it with sodium_memzero().
 */
#ifndef GUANQING_KEYS_H
#define GUANQING_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/err.h"

#define KEYS_SIGN_PUBLIC_BYTES 32	/* crypto_sign_PUBLICKEYBYTES */
#define KEYS_SIGN_SECRET_BYTES 64	/* crypto_sign_SECRETKEYBYTES: seed||pk */
#define KEYS_BOX_PUBLIC_BYTES 32	/* crypto_box_PUBLICKEYBYTES */
#define KEYS_BOX_SECRET_BYTES 32	/* crypto_box_SECRETKEYBYTES */

/* Longest text form of a key, NUL included. */
#define KEYS_TEXT_MAX 112
/* A fingerprint "XXXX-XXXX-XXXX-XXXX", NUL included. */
#define KEYS_FINGERPRINT_SIZE 20
/* A generated passphrase: 6 groups of 4 characters, "-" between, NUL. */
#define KEYS_PASSPHRASE_SIZE 30
/* The largest setup file that keys_setup_open_file() reads. */
#define KEYS_SETUP_MAX (1024 * 1024)

/* What a place publishes: its public keys. Plain data, nothing to free. */
struct keys_public {
	unsigned char sign[KEYS_SIGN_PUBLIC_BYTES];
	unsigned char box[KEYS_BOX_PUBLIC_BYTES];
};

/* A place's own key pairs. Holds secrets: the owner calls keys_release()
 * when done, which wipes them. */
struct keys_own {
	struct keys_public pub;
	unsigned char sign_secret[KEYS_SIGN_SECRET_BYTES];
	unsigned char box_secret[KEYS_BOX_SECRET_BYTES];
};

/* The four kinds of key text. */
enum keys_kind {
	KEYS_SIGN_PUBLIC,
	KEYS_SIGN_SECRET,
	KEYS_BOX_PUBLIC,
	KEYS_BOX_SECRET,
};

/* Initialise libsodium (sodium_init); safe to call any number of times.
 * Every function of keys, bundle and media calls it itself; callers only
 * need it before using libsodium directly. Returns GQ_OK, or GQ_EIO when the
 * library cannot start (no random source). */
enum gq_status keys_crypto_init(struct gq_err *err);

/* Generate a fresh signing pair and box pair into *k (fully overwritten).
 * Returns GQ_OK or the keys_crypto_init() error. */
enum gq_status keys_generate(struct keys_own *k, struct gq_err *err);

/* Check that the secret keys in *k belong to the public keys in k->pub
 * (after decoding them from text, say). what names the place for the
 * message (may be NULL). Returns GQ_OK or GQ_EINVAL. */
enum gq_status keys_check(const struct keys_own *k, const char *what,
			  struct gq_err *err);

/* Wipe the secrets in *k (and the public keys). NULL is allowed. */
void keys_release(struct keys_own *k);

/* Overwrite n bytes at p with zeros in a way the compiler keeps. */
void keys_wipe(void *p, size_t n);

/* Wipe len bytes at *p, free it and set *p to NULL. NULL is allowed. For
 * buffers that held secrets, such as keys_setup_open()'s plaintext. */
void keys_free_secret(unsigned char **p, size_t len);

/* The size in bytes of a key of this kind. */
size_t keys_kind_size(enum keys_kind kind);

/* Write the text form of key (keys_kind_size(kind) bytes) into out, NUL
 * terminated. out holds KEYS_TEXT_MAX bytes. For a secret kind, wipe out
 * with keys_wipe() once it is stored. */
void keys_to_text(enum keys_kind kind, const unsigned char *key,
		  char out[KEYS_TEXT_MAX]);

/* Decode text of the given kind into key (keys_kind_size(kind) bytes).
 * Leading and trailing white space is ignored. what names where the text
 * came from, for the message (e.g. "the station's signing key"; may be
 * NULL). Returns GQ_OK, or GQ_EINVAL when the prefix is missing or of
 * another kind, the base64 is invalid or the length is wrong; key is then
 * left zeroed. */
enum gq_status keys_from_text(enum keys_kind kind, const char *text,
			      unsigned char *key, const char *what,
			      struct gq_err *err);

/* A short fingerprint of a public key for people to compare by eye (e.g.
 * at enrolment): the first 8 bytes of BLAKE2b-256(key) in upper-case hex,
 * grouped by 4 with "-". len is the key's length. */
void keys_fingerprint(const unsigned char *key, size_t len,
		      char out[KEYS_FINGERPRINT_SIZE]);

/* Generate a random passphrase for a setup file: 6 groups of 4 characters
 * from the 32-character alphabet 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (no 0/O,
 * no 1/I), joined by "-", e.g. "7KQ2-MX4D-...": 120 random bits. The caller
 * shows it once (or writes it to a 0600 file) and wipes out with
 * keys_wipe(). */
void keys_passphrase_generate(char out[KEYS_PASSPHRASE_SIZE]);

/* Normalise a typed passphrase in place: drop ASCII white space and "-",
 * turn ASCII a-z into A-Z; other bytes (any UTF-8) are kept. Sealing and
 * opening both normalise, so "7kq2 mx4d ..." opens what "7KQ2-MX4D-..."
 * sealed. Returns the new length. */
size_t keys_passphrase_normalize(char *pass);

/* Seal plain (len bytes; len may be 0, plain may then be NULL) under
 * passphrase into a setup file image: Argon2id with libsodium's
 * OPSLIMIT_INTERACTIVE and MEMLIMIT_INTERACTIVE (2 passes, 64 MiB: about a
 * second on a 1 GB Pentium-class PC), then XChaCha20-Poly1305. On GQ_OK,
 * *out (malloc'd; the caller frees it) holds *out_len bytes to write to the
 * file. Returns GQ_EINVAL for an empty passphrase or a plaintext over
 * KEYS_SETUP_MAX, GQ_ENOMEM when Argon2id cannot get its memory. */
enum gq_status keys_setup_seal(const char *passphrase, const void *plain,
			       size_t len, unsigned char **out,
			       size_t *out_len, struct gq_err *err);

/* Open a setup file image (sealed, len bytes) with passphrase. name is the
 * file's name for messages (may be NULL). On GQ_OK, *plain (malloc'd, NUL
 * appended after *plain_len bytes for convenience) holds the caller's
 * plaintext; free it with keys_free_secret(plain, *plain_len + 1).
 * Returns:
 *   GQ_EINVAL    the passphrase is empty or wrong (the file is intact, so
 *                it is the passphrase that does not fit);
 *   GQ_ECORRUPT  not a setup file, an unknown version or parameters, or
 *                damaged (truncated, or its checksum does not match);
 *   GQ_ENOMEM    Argon2id could not get its memory. */
enum gq_status keys_setup_open(const char *passphrase, const void *sealed,
			       size_t len, const char *name,
			       unsigned char **plain, size_t *plain_len,
			       struct gq_err *err);

/* Read the setup file at path (at most KEYS_SETUP_MAX bytes) and open it
 * as keys_setup_open() does. Also GQ_EIO when it cannot be read,
 * GQ_ENOTFOUND when it does not exist. */
enum gq_status keys_setup_open_file(const char *path, const char *passphrase,
				    unsigned char **plain, size_t *plain_len,
				    struct gq_err *err);

#endif
