/* auth.h - who may do what: PINs, lockout and roles.
 *
 * A user's PIN (at least 6 characters; digits are the usual choice) is kept
 * only as an Argon2id hash (libsodium crypto_pwhash_str) in the local table
 * user_secret, which never travels in bundles. Wrong PINs: each failure
 * makes the next try wait longer (1, 2, 4, 8 s …), and the fifth failure in
 * a row locks the account for AUTH_LOCK_MS, until it passes or an admin
 * unlocks it. Every time comes from clock.h, so tests fix it.
 *
 * Roles and what they may do are one table (auth_can), read by the command
 * line and the screens alike.
 */
#ifndef GUANQING_AUTH_H
#define GUANQING_AUTH_H

#include <stdint.h>

#include "guanqing/db.h"
#include "guanqing/err.h"

#define AUTH_PIN_MIN 6
#define AUTH_PIN_MAX 64
#define AUTH_MAX_FAILURES 5
#define AUTH_LOCK_MS (15LL * 60 * 1000)
/* A grid worker may change their own visit for this long. */
#define AUTH_OWN_VISIT_MS (7LL * 24 * 3600 * 1000)

enum auth_role {
	AUTH_NONE = 0,
	AUTH_GRID_WORKER,
	AUTH_STATION_ADMIN,
	AUTH_COUNTY_STAFF,
	AUTH_COUNTY_ADMIN
};

enum auth_action {
	AUTH_READ,		/* see records of the place */
	AUTH_EDIT_RECORDS,	/* add and change records of the village */
	AUTH_EDIT_ANY_VISIT,	/* change visits of others, or older than 7 days */
	AUTH_MANAGE_USERS,	/* add users, set and reset PINs, unlock */
	AUTH_EXCHANGE,		/* export and import bundles */
	AUTH_DECIDE,		/* decide applications */
	AUTH_CONFLICTS,		/* resolve conflicts */
	AUTH_REPORTS,		/* county reports and CSV exports with ID numbers */
	AUTH_ENROL,		/* enrol and revoke stations, keys */
	AUTH_PUBLISH,		/* publish visit forms to every station */
	AUTH_ACTION_MAX
};

/* The role called code ("grid_worker", ...), or AUTH_NONE. */
enum auth_role auth_role_from_code(const char *code);
const char *auth_role_code(enum auth_role role);
/* Whether role may do action at a place of db_role. */
int auth_can(enum auth_role role, enum db_role place, enum auth_action action);
/* A translated sentence naming the role and what it may not do. */
enum gq_status auth_refuse(enum auth_role role, enum auth_action action,
			   struct gq_err *err);

/* Whether any user of db has a PIN: from then on every use signs in. */
int auth_required(struct gq_db *db);

/* Check a PIN's form (length, not all one digit, not a run like 123456)
 * before it is set. */
enum gq_status auth_pin_acceptable(const char *pin, struct gq_err *err);
/* Set user_id's PIN (replacing any), clearing failures and locks. */
enum gq_status auth_set_pin(struct gq_db *db, const char *user_id,
			    const char *pin, struct gq_err *err);

/* Sign in: check user_id's PIN. On GQ_OK db->user_id and *role are set.
 * Refusals (GQ_EPERM) say why: unknown or inactive user, no PIN set,
 * locked (until when), too soon after a failure (how long to wait), wrong
 * PIN (how many tries are left). Each wrong PIN is counted at once in its
 * own transaction, so pulling the plug does not undo it. */
enum gq_status auth_sign_in(struct gq_db *db, const char *user_id,
			    const char *pin, enum auth_role *role,
			    struct gq_err *err);
/* Unlock user_id and clear its failures (an admin's act). */
enum gq_status auth_unlock(struct gq_db *db, const char *user_id,
			   struct gq_err *err);

/* Find a user by id, id prefix or exact name; out gets the id. */
enum gq_status auth_find_user(struct gq_db *db, const char *text, char *out,
			      enum auth_role *role, struct gq_err *err);

/* Whether the signed-in user (db->user_id with role) may change visit
 * visit_id: their own within 7 days, or any with AUTH_EDIT_ANY_VISIT. */
enum gq_status auth_may_edit_visit(struct gq_db *db, enum auth_role role,
				   const char *visit_id, struct gq_err *err);

/* Mask an ID number for lists: "4115**********1234" (out: 19 bytes). */
void auth_mask_id(const char *id_number, char *out, size_t size);

/* A user as the Users screen and the sign-in list show them. */
struct auth_user {
	const char *id, *name, *role;
	int active;
	int has_pin;
	int64_t locked_until_ms;	/* 0 when not locked */
	int failures;			/* wrong PINs since the last good one */
};
typedef int (*auth_user_fn)(void *arg, const struct auth_user *u);

/* The live users, by name; with signin_only, only the active ones of this
 * kind of place (grid workers and station admins at a station, county
 * staff and admins at the county). fn returns nonzero to stop. */
enum gq_status auth_users_each(struct gq_db *db, int signin_only, auth_user_fn fn,
			       void *arg, struct gq_err *err);

/* On a database without PINs (tests, demos), whoever works acts in role:
 * kept on db like a sign-in's, so that the save path applies the role's
 * edit rules itself. */
void auth_act_as(struct gq_db *db, enum auth_role role);

#endif
