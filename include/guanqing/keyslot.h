/* keyslot.h - the place's secret keys, usable only by a signed-in user.
 *
 * Like LUKS key slots: the secret signing and encryption keys are sealed
 * in meta ("keys_sealed") under a random 32-byte key K, and K is wrapped
 * once per user (table key_slot, local only) under a key derived from
 * that user's PIN (Argon2id). Signing in opens the user's slot and holds K
 * on the database handle until it is closed; setting a PIN (the admin, or
 * the user themself, signed in) wraps K for that PIN. A database whose
 * keys are still in clear (made before schema version 6) seals them at
 * the first PIN set or sign-in. What a stolen file gives is in
 * doc/bundle-format.md ("Secret keys at rest").
 */
#ifndef GUANQING_KEYSLOT_H
#define GUANQING_KEYSLOT_H

#include "guanqing/db.h"
#include "guanqing/err.h"

/* After user_id's PIN was set to pin: wrap K for it (K open on db), or
 * seal keys still in clear and give user_id the first slot. Nothing to do
 * for a database without keys. */
enum gq_status keyslot_pin_set(struct gq_db *db, const char *user_id, const char *pin,
			       struct gq_err *err);

/* Try pin on user_id's slot: *state 1 when it opened (the PIN is right
 * and K is held on db), 0 when it did not (a wrong PIN, or a slot that no
 * longer matches), -1 when the user has no slot. One Argon2id, with the
 * limits of the user's PIN hash. */
enum gq_status keyslot_try(struct gq_db *db, const char *user_id, const char *pin, int *state,
			   struct gq_err *err);

/* After user_id signed in with pin: open its slot (K held on db), or seal
 * keys still in clear. A user without a slot signs in all the same but
 * cannot use the keys (an admin sets the PIN again to give one). */
enum gq_status keyslot_sign_in(struct gq_db *db, const char *user_id, const char *pin,
			       struct gq_err *err);

/* Store the secret keys (key text, KEYS_TEXT_MAX bytes each) sealed under
 * a new K, which is left open on db for the first PIN to be set. */
enum gq_status keyslot_store(struct gq_db *db, const char *sign_text, const char *box_text,
			     struct gq_err *err);

/* The secret keys' texts into sign_text and box_text (size bytes each):
 * from the sealed keys with K open, or from keys still in clear. GQ_EPERM
 * when they are sealed and nobody with a slot signed in; GQ_ENOTFOUND
 * when the database has none. The caller wipes the texts. */
enum gq_status keyslot_secret_keys(struct gq_db *db, char *sign_text, char *box_text,
				   size_t size, struct gq_err *err);

#endif
