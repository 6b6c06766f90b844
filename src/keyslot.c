/* keyslot.c - the secret keys sealed under a key wrapped per user's PIN. */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/kdf.h"
#include "guanqing/keyslot.h"

#define K_LEN crypto_secretbox_KEYBYTES
#define SALT_LEN crypto_pwhash_SALTBYTES
#define NONCE_LEN crypto_secretbox_NONCEBYTES
#define SEALED_MAX 1024

/* The limits of user_id's PIN hash ("$argon2id$v=19$m=KiB,t=OPS,p=1$..."):
 * a slot is wrapped with the limits its PIN was hashed with, so that it
 * opens whatever the build's default (kdf.c). Limits out of libsodium's
 * interactive to sensitive range, or no hash, give the default. */
static void slot_limits(struct gq_db *db, const char *user_id, unsigned long long *ops, size_t *mem)
{
	sqlite3_stmt *st;
	const char *hash, *m;
	unsigned long long t = 0, kib = 0;

	kdf_pin_limits(ops, mem);
	if (db_prepare(db, "SELECT pin_hash FROM user_secret WHERE user_id = ?1", &st, NULL) != GQ_OK)
		return;
	sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && (hash = (const char *)sqlite3_column_text(st, 0)) &&
	    strncmp(hash, "$argon2id$", 10) == 0 && (m = strstr(hash, "$m=")) &&
	    sscanf(m, "$m=%llu,t=%llu,", &kib, &t) == 2 && t >= crypto_pwhash_OPSLIMIT_MIN &&
	    t <= crypto_pwhash_OPSLIMIT_SENSITIVE && kib * 1024 >= crypto_pwhash_MEMLIMIT_MIN &&
	    kib * 1024 <= crypto_pwhash_MEMLIMIT_SENSITIVE) {
		*ops = t;
		*mem = (size_t)(kib * 1024);
	}
	sqlite3_finalize(st);
}

/* The key of a slot from a PIN: Argon2id with the PIN hash's limits. */
static enum gq_status slot_key(struct gq_db *db, const char *user_id, const char *pin,
			       const unsigned char *salt, unsigned char *out, struct gq_err *err)
{
	unsigned long long ops;
	size_t mem;

	slot_limits(db, user_id, &ops, &mem);
	if (crypto_pwhash(out, K_LEN, pin, strlen(pin), salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return gq_err_set(err, GQ_ENOMEM, _("Not enough memory to protect the PIN."));
	return GQ_OK;
}

/* Wrap the open K for user_id under pin. */
static enum gq_status wrap_for(struct gq_db *db, const char *user_id, const char *pin,
			       struct gq_err *err)
{
	unsigned char salt[SALT_LEN], nonce[NONCE_LEN], key[K_LEN];
	unsigned char wrapped[K_LEN + crypto_secretbox_MACBYTES];
	sqlite3_stmt *st;
	enum gq_status rc;

	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(nonce, sizeof(nonce));
	rc = slot_key(db, user_id, pin, salt, key, err);
	if (rc != GQ_OK)
		return rc;
	crypto_secretbox_easy(wrapped, db->keyring, K_LEN, nonce, key);
	sodium_memzero(key, sizeof(key));
	rc = db_prepare(db, "INSERT INTO key_slot (user_id, salt, nonce, wrapped) VALUES (?1, ?2, ?3, ?4)"
			" ON CONFLICT (user_id) DO UPDATE SET salt = excluded.salt,"
			" nonce = excluded.nonce, wrapped = excluded.wrapped", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, salt, sizeof(salt), SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, nonce, sizeof(nonce), SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, wrapped, sizeof(wrapped), SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("saving the PIN"), err);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status keyslot_store(struct gq_db *db, const char *sign_text, const char *box_text,
			     struct gq_err *err)
{
	unsigned char nonce[NONCE_LEN], box[SEALED_MAX + crypto_secretbox_MACBYTES];
	char plain[SEALED_MAX], hex[2 * (NONCE_LEN + sizeof(box)) + 1];
	unsigned char both[NONCE_LEN + sizeof(box)];
	size_t n;
	enum gq_status rc;

	if (sodium_init() < 0)
		return gq_err_set(err, GQ_EIO, _("The cryptography library cannot start."));
	n = (size_t)snprintf(plain, sizeof(plain), "%s\n%s", sign_text, box_text);
	if (n >= sizeof(plain))
		return gq_err_set(err, GQ_EINVAL, _("The keys are too long."));
	if (!db->keyring_open) {
		crypto_secretbox_keygen(db->keyring);
		db->keyring_open = 1;
	}
	randombytes_buf(nonce, sizeof(nonce));
	crypto_secretbox_easy(box, (unsigned char *)plain, n, nonce, db->keyring);
	sodium_memzero(plain, sizeof(plain));
	memcpy(both, nonce, NONCE_LEN);
	memcpy(both + NONCE_LEN, box, n + crypto_secretbox_MACBYTES);
	sodium_bin2hex(hex, sizeof(hex), both, NONCE_LEN + n + crypto_secretbox_MACBYTES);
	rc = db_meta_set(db, "keys_sealed", hex, err);
	/* No trace of the keys in clear: deleted rows are zeroed, and the
	 * write-ahead log is emptied once this is committed. */
	if (rc == GQ_OK)
		rc = db_exec(db, "PRAGMA secure_delete = ON;"
			     " DELETE FROM meta WHERE key IN ('sign_secret', 'box_secret')", err);
	return rc;
}

/* Keys still in clear (a database made before schema version 6): seal
 * them under a new K. */
static enum gq_status seal_clear(struct gq_db *db, int *sealed, struct gq_err *err)
{
	char *sign = db_meta_get(db, "sign_secret"), *box = db_meta_get(db, "box_secret");
	char *have = db_meta_get(db, "keys_sealed");
	enum gq_status rc = GQ_OK;

	*sealed = 0;
	if (sign && box && !have) {
		rc = keyslot_store(db, sign, box, err);
		*sealed = rc == GQ_OK;
	}
	if (sign) {
		sodium_memzero(sign, strlen(sign));
		free(sign);
	}
	if (box) {
		sodium_memzero(box, strlen(box));
		free(box);
	}
	free(have);
	return rc;
}

enum gq_status keyslot_pin_set(struct gq_db *db, const char *user_id, const char *pin,
			       struct gq_err *err)
{
	enum gq_status rc = GQ_OK;
	int sealed = 0;

	if (!db->keyring_open)
		rc = seal_clear(db, &sealed, err);
	if (rc == GQ_OK && db->keyring_open)
		rc = wrap_for(db, user_id, pin, err);
	return rc;
}

/* user_id's slot: 1 with its salt, nonce and wrapped K, 0 if it has none. */
static int slot_read(struct gq_db *db, const char *user_id, unsigned char *salt, unsigned char *nonce,
		     unsigned char *wrapped, size_t wrapped_len)
{
	sqlite3_stmt *st;
	int found = 0;

	if (db_prepare(db, "SELECT salt, nonce, wrapped FROM key_slot WHERE user_id = ?1", &st, NULL) != GQ_OK)
		return 0;
	sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == SALT_LEN &&
	    sqlite3_column_bytes(st, 1) == NONCE_LEN && sqlite3_column_bytes(st, 2) == (int)wrapped_len) {
		memcpy(salt, sqlite3_column_blob(st, 0), SALT_LEN);
		memcpy(nonce, sqlite3_column_blob(st, 1), NONCE_LEN);
		memcpy(wrapped, sqlite3_column_blob(st, 2), wrapped_len);
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

enum gq_status keyslot_try(struct gq_db *db, const char *user_id, const char *pin, int *state,
			   struct gq_err *err)
{
	unsigned char key[K_LEN], salt[SALT_LEN], nonce[NONCE_LEN];
	unsigned char wrapped[K_LEN + crypto_secretbox_MACBYTES];
	enum gq_status rc;

	*state = -1;
	if (!slot_read(db, user_id, salt, nonce, wrapped, sizeof(wrapped)))
		return GQ_OK;
	*state = 0;
	rc = slot_key(db, user_id, pin, salt, key, err);
	if (rc == GQ_OK && crypto_secretbox_open_easy(db->keyring, wrapped, sizeof(wrapped), nonce, key) == 0) {
		db->keyring_open = 1;
		*state = 1;
	}
	sodium_memzero(key, sizeof(key));
	return rc;
}

enum gq_status keyslot_sign_in(struct gq_db *db, const char *user_id, const char *pin,
			       struct gq_err *err)
{
	enum gq_status rc;
	int state, sealed = 0;

	if (db->keyring_open)
		return GQ_OK;
	rc = keyslot_try(db, user_id, pin, &state, err);
	if (rc != GQ_OK || state >= 0)
		return rc;
	/* Keys still in clear: sealed now, with this user's slot. */
	rc = db_begin(db, err);
	if (rc == GQ_OK)
		rc = seal_clear(db, &sealed, err);
	if (rc == GQ_OK && sealed)
		rc = wrap_for(db, user_id, pin, err);
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	if (rc == GQ_OK && sealed)
		sqlite3_exec(db->h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return rc;
}

enum gq_status keyslot_secret_keys(struct gq_db *db, char *sign_text, char *box_text,
				   size_t size, struct gq_err *err)
{
	char *hex = db_meta_get(db, "keys_sealed");
	unsigned char both[NONCE_LEN + SEALED_MAX + crypto_secretbox_MACBYTES];
	char plain[SEALED_MAX + 1], *nl;
	size_t n = 0;
	enum gq_status rc = GQ_OK;

	sign_text[0] = box_text[0] = '\0';
	if (!hex) {
		char *s = db_meta_get(db, "sign_secret"), *b = db_meta_get(db, "box_secret");

		if (!s || !b)
			rc = GQ_ENOTFOUND;
		else {
			snprintf(sign_text, size, "%s", s);
			snprintf(box_text, size, "%s", b);
		}
		if (s) {
			sodium_memzero(s, strlen(s));
			free(s);
		}
		if (b) {
			sodium_memzero(b, strlen(b));
			free(b);
		}
		return rc == GQ_OK ? GQ_OK :
			gq_err_set(err, GQ_ENOTFOUND, _("Database %s has no keys."), db->path);
	}
	if (!db->keyring_open) {
		free(hex);
		return gq_err_set(err, GQ_EPERM,
				  _("The keys of %s are locked: only a user whose PIN was set here opens them (sign in with --user; an admin sets the PIN again to give a user access)."),
				  db->path);
	}
	if (sodium_hex2bin(both, sizeof(both), hex, strlen(hex), NULL, &n, NULL) != 0 ||
	    n < NONCE_LEN + crypto_secretbox_MACBYTES ||
	    crypto_secretbox_open_easy((unsigned char *)plain, both + NONCE_LEN, n - NONCE_LEN,
				       both, db->keyring) != 0)
		rc = gq_err_set(err, GQ_ECORRUPT, _("The sealed keys of %s are damaged."), db->path);
	free(hex);
	if (rc != GQ_OK)
		return rc;
	plain[n - NONCE_LEN - crypto_secretbox_MACBYTES] = '\0';
	nl = strchr(plain, '\n');
	if (!nl)
		rc = gq_err_set(err, GQ_ECORRUPT, _("The sealed keys of %s are damaged."), db->path);
	else {
		*nl = '\0';
		snprintf(sign_text, size, "%s", plain);
		snprintf(box_text, size, "%s", nl + 1);
	}
	sodium_memzero(plain, sizeof(plain));
	return rc;
}
