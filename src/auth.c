/* auth.c - PINs, lockout and roles. */
#include "config.h"

#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/clock.h"
#include "guanqing/i18n.h"
#include "guanqing/kdf.h"
#include "guanqing/keyslot.h"
#include "guanqing/uid.h"

static const char *const role_codes[] = {
	[AUTH_NONE] = "",
	[AUTH_GRID_WORKER] = "grid_worker",
	[AUTH_STATION_ADMIN] = "station_admin",
	[AUTH_COUNTY_STAFF] = "county_staff",
	[AUTH_COUNTY_ADMIN] = "county_admin",
};

static const char *const role_names[] = {
	[AUTH_NONE] = N_("no role"),
	[AUTH_GRID_WORKER] = N_("grid worker"),
	[AUTH_STATION_ADMIN] = N_("station admin"),
	[AUTH_COUNTY_STAFF] = N_("county staff"),
	[AUTH_COUNTY_ADMIN] = N_("county admin"),
};

static const char *const action_names[AUTH_ACTION_MAX] = {
	[AUTH_READ] = N_("see the records"),
	[AUTH_EDIT_RECORDS] = N_("add or change records"),
	[AUTH_EDIT_ANY_VISIT] = N_("change another worker's visit or a visit older than 7 days"),
	[AUTH_MANAGE_USERS] = N_("manage users and PINs"),
	[AUTH_EXCHANGE] = N_("export or import bundles"),
	[AUTH_DECIDE] = N_("decide applications"),
	[AUTH_CONFLICTS] = N_("resolve conflicts"),
	[AUTH_REPORTS] = N_("make reports and exports with ID numbers"),
	[AUTH_ENROL] = N_("enrol or revoke stations"),
	[AUTH_PUBLISH] = N_("publish visit forms"),
};

/* The table of who may do what, by the place they work at. */
int auth_can(enum auth_role role, enum db_role place, enum auth_action action)
{
	if (place == DB_ROLE_STATION) {
		switch (role) {
		case AUTH_GRID_WORKER:
			return action == AUTH_READ || action == AUTH_EDIT_RECORDS;
		case AUTH_STATION_ADMIN:
			return action == AUTH_READ || action == AUTH_EDIT_RECORDS ||
			       action == AUTH_EDIT_ANY_VISIT || action == AUTH_MANAGE_USERS ||
			       action == AUTH_EXCHANGE || action == AUTH_REPORTS;
		default:
			return 0;
		}
	}
	if (place == DB_ROLE_COUNTY) {
		switch (role) {
		case AUTH_COUNTY_STAFF:
			return action == AUTH_READ || action == AUTH_EDIT_RECORDS ||
			       action == AUTH_EXCHANGE || action == AUTH_DECIDE ||
			       action == AUTH_CONFLICTS || action == AUTH_REPORTS;
		case AUTH_COUNTY_ADMIN:
			return 1;
		default:
			return 0;
		}
	}
	return 0;
}

enum auth_role auth_role_from_code(const char *code)
{
	size_t i;

	for (i = 1; code && i < sizeof(role_codes) / sizeof(role_codes[0]); i++)
		if (!strcmp(role_codes[i], code))
			return (enum auth_role)i;
	return AUTH_NONE;
}

const char *auth_role_code(enum auth_role role)
{
	return role_codes[role];
}

enum gq_status auth_refuse(enum auth_role role, enum auth_action action,
			   struct gq_err *err)
{
	return gq_err_set(err, GQ_EPERM, _("A %s may not %s."), _(role_names[role]),
			  _(action_names[action]));
}

int auth_required(struct gq_db *db)
{
	sqlite3_stmt *st;
	int any = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM user_secret s JOIN users u ON u.id = s.user_id"
			       " WHERE u.deleted = 0 LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return 1;	/* when in doubt, ask */
	any = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return any;
}

enum gq_status auth_pin_acceptable(const char *pin, struct gq_err *err)
{
	size_t n = pin ? strlen(pin) : 0, i;
	int same = 1, up = 1, down = 1;

	if (n < AUTH_PIN_MIN)
		return gq_err_set(err, GQ_EINVAL, _("The PIN must have at least %d characters."), AUTH_PIN_MIN);
	if (n > AUTH_PIN_MAX)
		return gq_err_set(err, GQ_EINVAL, _("The PIN may have at most %d characters."), AUTH_PIN_MAX);
	for (i = 1; i < n; i++) {
		same &= pin[i] == pin[0];
		up &= pin[i] == pin[i - 1] + 1;
		down &= pin[i] == pin[i - 1] - 1;
	}
	if (same || up || down)
		return gq_err_set(err, GQ_EINVAL,
				  _("The PIN is too easy to guess (one digit repeated, or a run such as 123456)."));
	return GQ_OK;
}

enum gq_status auth_set_pin(struct gq_db *db, const char *user_id,
			    const char *pin, struct gq_err *err)
{
	char hash[crypto_pwhash_STRBYTES], now[32];
	sqlite3_stmt *st;
	unsigned long long ops;
	size_t mem;
	enum gq_status rc = auth_pin_acceptable(pin, err);

	if (rc != GQ_OK)
		return rc;
	if (sodium_init() < 0)
		return gq_err_set(err, GQ_EIO, _("The cryptography library cannot start."));
	/* Interactive limits: about half a second and 64 MiB on a 1 GB PC
	 * (make bench measures it; kdf.c). */
	kdf_pin_limits(&ops, &mem);
	if (crypto_pwhash_str(hash, pin, strlen(pin), ops, mem) != 0)
		return gq_err_set(err, GQ_ENOMEM, _("Not enough memory to protect the PIN."));
	clock_iso(clock_now_ms(), now, sizeof(now));
	rc = db_prepare(db, "INSERT INTO user_secret (user_id, pin_hash, changed_at) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (user_id) DO UPDATE SET pin_hash = excluded.pin_hash, failures = 0,"
			" next_try_ms = 0, locked_until_ms = 0, changed_at = excluded.changed_at", &st, err);
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("saving the PIN"), err);
		sqlite3_finalize(st);
	}
	sodium_memzero(hash, sizeof(hash));
	/* The place's secret keys open with this PIN too. */
	if (rc == GQ_OK)
		rc = keyslot_pin_set(db, user_id, pin, err);
	return rc;
}

enum gq_status auth_find_user(struct gq_db *db, const char *text, char *out,
			      enum auth_role *role, struct gq_err *err)
{
	sqlite3_stmt *st;
	int n = 0, first_pin = 0;

	out[0] = '\0';
	if (!text || !*text)
		return gq_err_set(err, GQ_EINVAL, _("No user was given."));
	/* Only the users of this kind of place: the county holds the users
	 * of every station too, who cannot sign in there. */
	/* Users with a PIN here come first: a name may also belong to a user
	 * of an earlier station of the village, who has none here. */
	if (sqlite3_prepare_v2(db->h, "SELECT u.id, u.role, s.user_id IS NOT NULL FROM users u"
			       " LEFT JOIN user_secret s ON s.user_id = u.id WHERE u.deleted = 0"
			       " AND u.active = 1 AND u.role IN (?2, ?3) AND"
			       " (u.name = ?1 OR u.id = lower(?1) OR (length(?1) >= 6 AND u.id >= lower(?1)"
			       " AND u.id < lower(?1) || 'g')) ORDER BY s.user_id IS NULL LIMIT 2",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db, _("reading users"), err);
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->role == DB_ROLE_COUNTY ? "county_staff" : "grid_worker", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, db->role == DB_ROLE_COUNTY ? "county_admin" : "station_admin", -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == 0) {
			snprintf(out, UID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
			if (role)
				*role = auth_role_from_code((const char *)sqlite3_column_text(st, 1));
			first_pin = sqlite3_column_int(st, 2);
		} else if (first_pin && !sqlite3_column_int(st, 2)) {
			n = 1;	/* the one with a PIN here is meant */
		}
	}
	sqlite3_finalize(st);
	if (n == 0)
		return gq_err_set(err, GQ_EPERM, _("There is no active user \"%s\"."), text);
	if (n > 1)
		return gq_err_set(err, GQ_EPERM, _("Several users match \"%s\": give the user's id."), text);
	return GQ_OK;
}

/* Count one failure in its own transaction (it must stay counted). */
static enum gq_status count_failure(struct gq_db *db, const char *user_id, int failures,
				    int64_t now, struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;
	int64_t wait = failures >= AUTH_MAX_FAILURES ? 0 : 1000LL << (failures - 1);

	rc = db_begin(db, err);
	if (rc != GQ_OK)
		return rc;
	rc = db_prepare(db, "UPDATE user_secret SET failures = ?2, next_try_ms = ?3,"
			" locked_until_ms = ?4 WHERE user_id = ?1", &st, err);
	if (rc == GQ_OK) {
		sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, failures);
		sqlite3_bind_int64(st, 3, now + wait);
		sqlite3_bind_int64(st, 4, failures >= AUTH_MAX_FAILURES ? now + AUTH_LOCK_MS : 0);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, _("counting a wrong PIN"), err);
		sqlite3_finalize(st);
	}
	if (rc == GQ_OK)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	return rc;
}

/* The memory (bytes) that verifying hash takes: the m= of its Argon2
 * parameters, in KiB; 0 when it cannot be read. */
static size_t pwhash_memory(const char *hash)
{
	const char *m = strstr(hash, "$m=");
	unsigned long long kib;
	char *end;

	if (!m)
		return 0;
	kib = strtoull(m + 3, &end, 10);
	if (end == m + 3 || kib == 0 || kib > SIZE_MAX / 1024)
		return 0;
	return (size_t)kib * 1024;
}

/* Whether the memory that verifying hash takes can be had now: a sign-in
 * that cannot get it must say so, not count a wrong PIN. */
static int pwhash_memory_available(const char *hash)
{
	size_t need = pwhash_memory(hash);
	void *p;

	if (!need)
		return 1;
	p = malloc(need);
	if (!p)
		return 0;
	free(p);
	return 1;
}

enum gq_status auth_sign_in(struct gq_db *db, const char *user_id,
			    const char *pin, enum auth_role *role,
			    struct gq_err *err)
{
	sqlite3_stmt *st;
	char hash[crypto_pwhash_STRBYTES], name[128], rolecode[32];
	int failures = 0, found, stale, slot;
	int64_t next_try, locked_until, now = clock_now_ms();
	enum gq_status rc;

	if (sodium_init() < 0)
		return gq_err_set(err, GQ_EIO, _("The cryptography library cannot start."));
	rc = db_prepare(db, "SELECT s.pin_hash, s.failures, s.next_try_ms, s.locked_until_ms, u.name, u.role"
			" FROM users u LEFT JOIN user_secret s ON s.user_id = u.id"
			" WHERE u.id = ?1 AND u.deleted = 0 AND u.active = 1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		snprintf(hash, sizeof(hash), "%s", sqlite3_column_text(st, 0) ?
			 (const char *)sqlite3_column_text(st, 0) : "");
		failures = sqlite3_column_int(st, 1);
		next_try = sqlite3_column_int64(st, 2);
		locked_until = sqlite3_column_int64(st, 3);
		snprintf(name, sizeof(name), "%s", (const char *)sqlite3_column_text(st, 4));
		snprintf(rolecode, sizeof(rolecode), "%s", sqlite3_column_text(st, 5) ?
			 (const char *)sqlite3_column_text(st, 5) : "");
	}
	sqlite3_finalize(st);
	if (!found)
		return gq_err_set(err, GQ_EPERM, _("There is no active user with the id %s."), user_id);
	if (!hash[0])
		return gq_err_set(err, GQ_EPERM, _("%s has no PIN yet: an admin sets one."), name);
	if (locked_until > now) {
		char until[32];

		/* In the office's time (TZ), as every time the user reads. */
		clock_local(locked_until, until, sizeof(until));
		return gq_err_set(err, GQ_EPERM,
				  _("%s is locked after %d wrong PINs until %s, or until an admin unlocks it."),
				  name, failures, until);
	}
	if (next_try > now)
		return gq_err_set(err, GQ_EPERM, _("Wait %lld seconds before trying the PIN of %s again."),
				  (long long)((next_try - now + 999) / 1000), name);
	stale = failures || locked_until;
	if (locked_until && locked_until <= now)
		failures = 0;	/* the lock has run out: a fresh start */
	/* crypto_pwhash_str_verify returns -1 both for a wrong PIN and for
	 * memory it could not get: check the memory first, and take ENOMEM
	 * after the call as the second. Neither counts as a wrong PIN. */
	if (pin)
		db_release_cache(db);
	if (pin && !pwhash_memory_available(hash)) {
		size_t mib = pwhash_memory(hash) >> 20;

		sodium_memzero(hash, sizeof(hash));
		return gq_err_set(err, GQ_ENOMEM,
				  _("Not enough memory to check the PIN of %s (it needs %zu MiB): close other programs and try again; this try is not counted."),
				  name, mib);
	}
	/* A user's key slot opens only with the right PIN (its MAC checks the
	 * key derived from it), so a slot that opens is the PIN's check, and a
	 * sign-in costs one Argon2id, not two. Otherwise (no slot, a wrong PIN,
	 * a slot that no longer matches) the PIN's hash decides. */
	slot = -1;
	if (pin) {
		errno = 0;
		rc = keyslot_try(db, user_id, pin, &slot, err);
		if (rc == GQ_ENOMEM) {
			sodium_memzero(hash, sizeof(hash));
			return gq_err_set(err, GQ_ENOMEM,
					  _("Not enough memory to check the PIN of %s: close other programs and try again; this try is not counted."),
					  name);
		}
		if (rc != GQ_OK)
			return rc;
	}
	errno = 0;
	if (slot != 1 && (!pin || crypto_pwhash_str_verify(hash, pin, strlen(pin)) != 0)) {
		if (pin && errno == ENOMEM) {
			sodium_memzero(hash, sizeof(hash));
			return gq_err_set(err, GQ_ENOMEM,
					  _("Not enough memory to check the PIN of %s: close other programs and try again; this try is not counted."),
					  name);
		}
		sodium_memzero(hash, sizeof(hash));
		failures++;
		rc = count_failure(db, user_id, failures, now, err);
		if (rc != GQ_OK)
			return rc;
		if (failures >= AUTH_MAX_FAILURES)
			return gq_err_set(err, GQ_EPERM,
					  _("Wrong PIN for %s. The account is now locked for %lld minutes."),
					  name, AUTH_LOCK_MS / 60000);
		return gq_err_set(err, GQ_EPERM, _("Wrong PIN for %s; %d tries left before it is locked."),
				  name, AUTH_MAX_FAILURES - failures);
	}
	sodium_memzero(hash, sizeof(hash));
	if (stale) {
		rc = db_begin(db, err);
		if (rc == GQ_OK)
			rc = db_prepare(db, "UPDATE user_secret SET failures = 0, next_try_ms = 0,"
					" locked_until_ms = 0 WHERE user_id = ?1", &st, err);
		if (rc == GQ_OK) {
			sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_error(db, _("signing in"), err);
			sqlite3_finalize(st);
			rc = rc == GQ_OK ? db_commit(db, err) : (db_rollback(db), rc);
		}
		if (rc != GQ_OK) {
			sodium_memzero(db->keyring, sizeof(db->keyring));
			db->keyring_open = 0;
			return rc;
		}
	}
	rc = keyslot_sign_in(db, user_id, pin, err);
	if (rc != GQ_OK)
		return rc;
	snprintf(db->user_id, sizeof(db->user_id), "%s", user_id);
	db->user_role = (int)auth_role_from_code(rolecode);
	if (role)
		*role = auth_role_from_code(rolecode);
	return GQ_OK;
}

enum gq_status auth_unlock(struct gq_db *db, const char *user_id,
			   struct gq_err *err)
{
	sqlite3_stmt *st;
	enum gq_status rc;

	rc = db_prepare(db, "UPDATE user_secret SET failures = 0, next_try_ms = 0, locked_until_ms = 0"
			" WHERE user_id = ?1", &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, _("unlocking a user"), err);
	else if (sqlite3_changes(db->h) == 0)
		rc = gq_err_set(err, GQ_ENOTFOUND, _("User %s has no PIN to unlock."), user_id);
	sqlite3_finalize(st);
	return rc;
}

enum gq_status auth_may_edit_visit(struct gq_db *db, enum auth_role role,
				   const char *visit_id, struct gq_err *err)
{
	sqlite3_stmt *st;
	int own = 0;
	int64_t created = 0;

	if (auth_can(role, db->role, AUTH_EDIT_ANY_VISIT))
		return GQ_OK;
	/* Who made the visit and when: its creation in the change log. */
	if (sqlite3_prepare_v2(db->h, "SELECT user_id = ?2, hlc FROM change_log WHERE tbl = 'visit'"
			       " AND row_id = ?1 AND field = 'created_at' ORDER BY seq LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db, _("reading a visit"), err);
	sqlite3_bind_text(st, 1, visit_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->user_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		own = sqlite3_column_int(st, 0);
		created = sqlite3_column_int64(st, 1) >> 16;
	}
	sqlite3_finalize(st);
	if (!own)
		return gq_err_set(err, GQ_EPERM,
				  _("Only the grid worker who recorded this visit, or an admin, may change it."));
	if (clock_now_ms() - created > AUTH_OWN_VISIT_MS)
		return gq_err_set(err, GQ_EPERM,
				  _("This visit was recorded more than 7 days ago: only an admin may change it now."));
	return GQ_OK;
}

void auth_mask_id(const char *id, char *out, size_t size)
{
	size_t n = id ? strlen(id) : 0;

	if (n != 18) {
		snprintf(out, size, "%s", id ? id : "");
		return;
	}
	snprintf(out, size, "%.4s**********%.4s", id, id + 14);
}

enum gq_status auth_users_each(struct gq_db *db, int signin_only, auth_user_fn fn,
			       void *arg, struct gq_err *err)
{
	static const char *const sql =
		"SELECT u.id, u.name, u.role, u.active, s.user_id IS NOT NULL,"
		" coalesce(s.locked_until_ms, 0), coalesce(s.failures, 0) FROM users u"
		" LEFT JOIN user_secret s ON s.user_id = u.id WHERE u.deleted = 0"
		" AND (NOT ?1 OR (u.active = 1 AND u.role IN (?2, ?3))) ORDER BY u.name, u.id";
	int county = db->role == DB_ROLE_COUNTY;
	sqlite3_stmt *st = NULL;
	enum gq_status rc = db_prepare(db, sql, &st, err);
	int step;

	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_int(st, 1, signin_only != 0);
	sqlite3_bind_text(st, 2, county ? "county_staff" : "grid_worker", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, county ? "county_admin" : "station_admin", -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct auth_user u;

		u.id = (const char *)sqlite3_column_text(st, 0);
		u.name = (const char *)sqlite3_column_text(st, 1);
		u.role = (const char *)sqlite3_column_text(st, 2);
		u.active = sqlite3_column_int(st, 3);
		u.has_pin = sqlite3_column_int(st, 4);
		u.locked_until_ms = sqlite3_column_int64(st, 5);
		u.failures = sqlite3_column_int(st, 6);
		if (!u.name)
			u.name = "";
		if (fn(arg, &u))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading users"), err);
	sqlite3_finalize(st);
	return rc;
}

void auth_act_as(struct gq_db *db, enum auth_role role)
{
	db->user_role = (int)role;
}
