/* schema.c - migrations. Never edit a released migration: add one. */
#include "config.h"

#include "guanqing/schema.h"

/* The columns every synced table starts with. */
#define SYNCED \
	"id TEXT PRIMARY KEY NOT NULL," \
	"origin TEXT NOT NULL," \
	"village TEXT," \
	"created_at TEXT NOT NULL," \
	"updated_at TEXT NOT NULL," \
	"deleted INTEGER NOT NULL DEFAULT 0,"

/* References between synced rows are checked at commit, so that a bundle
 * may bring a row before the one it points to. */
#define REF(t) " REFERENCES " t "(id) DEFERRABLE INITIALLY DEFERRED"

static const char migration_1[] =
	/* Local settings: identity, HLC state, sequence counters. */
	"CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT);"

	/* Reference data: towns and villages, loaded at init. */
	"CREATE TABLE division ("
	" code TEXT PRIMARY KEY NOT NULL,"
	" name TEXT NOT NULL,"
	" level TEXT NOT NULL CHECK (level IN ('county','town','village')),"
	" parent_code TEXT,"
	" urban INTEGER NOT NULL DEFAULT 0,"	/* 1: 居民委员会 */
	" urban_rural_code TEXT);"

	/* The change log: one row per field per edit, in the same
	 * transaction as the edit. (origin, oseq) names a change everywhere;
	 * seq is only this database's order of arrival. */
	"CREATE TABLE change_log ("
	" seq INTEGER PRIMARY KEY,"
	" origin TEXT NOT NULL,"
	" oseq INTEGER NOT NULL,"
	" hlc INTEGER NOT NULL,"
	" tbl TEXT NOT NULL,"
	" row_id TEXT NOT NULL,"
	" field TEXT NOT NULL,"
	" value,"
	" parents TEXT NOT NULL DEFAULT '',"
	" user_id TEXT,"
	" village TEXT,"
	" UNIQUE (origin, oseq));"
	"CREATE INDEX change_log_row ON change_log (tbl, row_id, field);"
	"CREATE INDEX change_log_village ON change_log (village, seq);"
	/* Which changes supersede which: a change's parents are the versions
	 * it replaced (same_field = 1), and for a tombstone also the
	 * versions of the row's other fields it saw (same_field = 0). */
	"CREATE TABLE change_parent ("
	" parent_origin TEXT NOT NULL,"
	" parent_oseq INTEGER NOT NULL,"
	" child_seq INTEGER NOT NULL REFERENCES change_log(seq),"
	" same_field INTEGER NOT NULL,"
	" PRIMARY KEY (parent_origin, parent_oseq, child_seq)) WITHOUT ROWID;"
	/* The winning version of every field: what the row shows. */
	"CREATE TABLE field_clock ("
	" tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,"
	" origin TEXT NOT NULL, oseq INTEGER NOT NULL, hlc INTEGER NOT NULL,"
	" PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID;"

	/* Places: stations and the county. */
	"CREATE TABLE station (" SYNCED
	" role TEXT NOT NULL,"
	" name TEXT);"

	"CREATE TABLE users (" SYNCED
	" name TEXT,"
	" role TEXT,"
	" phone TEXT,"
	" active INTEGER NOT NULL DEFAULT 1);"

	"CREATE TABLE grid (" SYNCED
	" name TEXT,"
	" worker_id TEXT" REF("users") ","
	" notes TEXT);"

	"CREATE TABLE household (" SYNCED
	" address TEXT,"
	" grid_id TEXT" REF("grid") ","
	" head_id TEXT" REF("person") ","
	" phone TEXT,"
	" notes TEXT);"

	"CREATE TABLE person (" SYNCED
	" name TEXT,"
	" sex TEXT,"
	" id_number TEXT,"
	" birth_date TEXT,"
	" phone TEXT,"
	" household_id TEXT" REF("household") ","
	" relation TEXT,"
	" grid_id TEXT" REF("grid") ","
	" status TEXT,"
	" status_date TEXT,"
	" address TEXT,"
	" notes TEXT);"
	"CREATE INDEX person_id_number ON person (id_number);"
	"CREATE INDEX person_household ON person (household_id);"

	"CREATE TABLE person_category (" SYNCED
	" person_id TEXT" REF("person") ","
	" category TEXT,"
	" start_date TEXT,"
	" end_date TEXT,"
	" notes TEXT);"
	"CREATE INDEX person_category_person ON person_category (person_id);"

	"CREATE TABLE guardian (" SYNCED
	" person_id TEXT" REF("person") ","
	" kind TEXT,"
	" guardian_person_id TEXT" REF("person") ","
	" name TEXT,"
	" phone TEXT,"
	" relation TEXT,"
	" working_away INTEGER,"
	" away_place TEXT,"
	" notes TEXT);"
	"CREATE INDEX guardian_person ON guardian (person_id);"

	"CREATE TABLE visit (" SYNCED
	" person_id TEXT" REF("person") ","
	" form_id TEXT,"
	" form_version INTEGER,"
	" visit_date TEXT,"
	" visitor_id TEXT" REF("users") ","
	" answers TEXT,"
	" risk_level TEXT,"
	" followup_due TEXT,"
	" notes TEXT);"
	"CREATE INDEX visit_person ON visit (person_id, visit_date);"
	"CREATE INDEX visit_followup ON visit (followup_due);"

	"CREATE TABLE application (" SYNCED
	" person_id TEXT" REF("person") ","
	" kind TEXT,"
	" apply_date TEXT,"
	" amount_asked TEXT,"
	" status TEXT,"
	" decision_date TEXT,"
	" amount_granted TEXT,"
	" decision_reason TEXT,"
	" notes TEXT);"
	"CREATE INDEX application_person ON application (person_id);"

	"CREATE TABLE facility (" SYNCED
	" kind TEXT,"
	" name TEXT,"
	" delivers_meals INTEGER,"
	" capacity INTEGER,"
	" address TEXT,"
	" phone TEXT,"
	" opened_date TEXT,"
	" closed_date TEXT,"
	" notes TEXT);"

	"CREATE TABLE meal_service (" SYNCED
	" facility_id TEXT" REF("facility") ","
	" person_id TEXT" REF("person") ","
	" service_date TEXT,"
	" people INTEGER,"
	" meals INTEGER,"
	" delivered INTEGER,"
	" notes TEXT);"
	"CREATE INDEX meal_service_facility ON meal_service (facility_id, service_date);"

	"CREATE TABLE activity (" SYNCED
	" kind TEXT,"
	" title TEXT,"
	" activity_date TEXT,"
	" participants INTEGER,"
	" leaflets INTEGER,"
	" banners INTEGER,"
	" notes TEXT);"

	"CREATE TABLE referral (" SYNCED
	" person_id TEXT" REF("person") ","
	" referral_date TEXT,"
	" reason TEXT,"
	" centre TEXT,"
	" status TEXT,"
	" status_date TEXT,"
	" notes TEXT);"

	"CREATE TABLE death_report (" SYNCED
	" person_id TEXT" REF("person") ","
	" death_date TEXT,"
	" place TEXT,"
	" burial_kind TEXT,"
	" fee_waiver INTEGER,"
	" informant TEXT,"
	" informant_phone TEXT,"
	" notes TEXT);";

/* Version 2: the merge's conflicts and the exchange with other places. */
static const char migration_2[] =
	/* Losing versions kept for county staff (doc/merge.md). */
	"CREATE TABLE conflict ("
	" id INTEGER PRIMARY KEY,"
	" tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('concurrent_edit','delete_edit')),"
	" winner_origin TEXT NOT NULL, winner_oseq INTEGER NOT NULL,"
	" winner_value, winner_hlc INTEGER NOT NULL,"
	" loser_origin TEXT NOT NULL, loser_oseq INTEGER NOT NULL,"
	" loser_value, loser_hlc INTEGER NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),"
	" resolved_by_origin TEXT, resolved_by_oseq INTEGER,"
	" detected_at TEXT NOT NULL,"
	" UNIQUE (kind, tbl, row_id, field, loser_origin, loser_oseq));"
	"CREATE INDEX conflict_open ON conflict (status, tbl, row_id);"

	/* The places this one exchanges bundles with: the county at a
	 * station, every enrolled station at the county. */
	"CREATE TABLE peer ("
	" id TEXT PRIMARY KEY NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('station','county')),"
	" village TEXT,"
	" sign_public TEXT NOT NULL,"
	" box_public TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','revoked')),"
	" enrolled_at TEXT NOT NULL,"
	" sent_number INTEGER NOT NULL DEFAULT 0,"	/* our last bundle to it */
	" acked_number INTEGER NOT NULL DEFAULT 0,"	/* our last bundle it imported */
	" acked_seq INTEGER NOT NULL DEFAULT 0,"	/* our change_log it holds */
	" recv_number INTEGER NOT NULL DEFAULT 0,"	/* its highest bundle imported */
	" last_import_at TEXT, last_export_at TEXT,"
	" clock_warning TEXT);"
	"CREATE INDEX peer_village ON peer (village, status);"
	/* Bundles written: which change_log rows each carried. */
	"CREATE TABLE bundle_out ("
	" peer_id TEXT NOT NULL REFERENCES peer(id),"
	" number INTEGER NOT NULL,"
	" first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
	" changes INTEGER NOT NULL,"
	" ack INTEGER NOT NULL DEFAULT 0,"	/* its bundle number we acknowledged */
	" file_name TEXT NOT NULL, written_at TEXT NOT NULL,"
	" PRIMARY KEY (peer_id, number));"
	/* Bundles imported, with a hash of the file so that a number used
	 * again with other content is refused. */
	"CREATE TABLE bundle_in ("
	" peer_id TEXT NOT NULL REFERENCES peer(id),"
	" number INTEGER NOT NULL,"
	" file_hash TEXT NOT NULL,"
	" changes INTEGER NOT NULL, applied INTEGER NOT NULL,"
	" conflicts INTEGER NOT NULL, refused_changes INTEGER NOT NULL,"
	" sender_clock INTEGER, clock_note TEXT,"
	" imported_at TEXT NOT NULL,"
	" PRIMARY KEY (peer_id, number));"
	/* Rows to send whole to a village (a person moved in). */
	"CREATE TABLE resend ("
	" village TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL,"
	" PRIMARY KEY (village, tbl, row_id)) WITHOUT ROWID;";

/* Version 3: PINs. Local only: a hash never travels in a bundle. */
static const char migration_3[] =
	"CREATE TABLE user_secret ("
	" user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),"
	" pin_hash TEXT NOT NULL,"
	" failures INTEGER NOT NULL DEFAULT 0,"
	" next_try_ms INTEGER NOT NULL DEFAULT 0,"	/* no try before */
	" locked_until_ms INTEGER NOT NULL DEFAULT 0,"
	" changed_at TEXT NOT NULL);";

/* Version 4: visit forms published by the county, which travel to every
 * station in bundles like any record. */
static const char migration_4[] =
	"CREATE TABLE form_def (" SYNCED
	" form_id TEXT,"
	" version INTEGER,"
	" title TEXT,"
	" body TEXT);"
	"CREATE INDEX form_def_form ON form_def (form_id, version);"
	/* Rows to send whole stay marked until the station acknowledges a
	 * bundle that carried them. */
	"ALTER TABLE resend ADD COLUMN sent_number INTEGER;";

/* Version 5: the heads of every field, kept as changes arrive, so that
 * merging a change costs O(log N) however long its field's history
 * (doc/merge.md). Filled here from the change log for older databases. */
static const char migration_5[] =
	"CREATE TABLE field_head ("
	" tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,"
	" seq INTEGER NOT NULL REFERENCES change_log(seq),"
	" PRIMARY KEY (tbl, row_id, field, seq)) WITHOUT ROWID;"
	/* A change's own parents, found from the change. */
	"CREATE INDEX change_parent_child ON change_parent (child_seq);"
	"INSERT INTO field_head (tbl, row_id, field, seq)"
	" SELECT c.tbl, c.row_id, c.field, c.seq FROM change_log c WHERE NOT EXISTS"
	" (SELECT 1 FROM change_parent p CROSS JOIN change_log k ON k.seq = p.child_seq"
	" WHERE p.parent_origin = c.origin AND p.parent_oseq = c.oseq AND p.same_field = 1"
	" AND k.tbl = c.tbl AND k.row_id = c.row_id AND k.field = c.field);";

/* Version 6: the secret keys are sealed under a key wrapped once per
 * user's PIN (src/keyslot.c). Local only: a slot never travels. */
static const char migration_6[] =
	"CREATE TABLE key_slot ("
	" user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),"
	" salt BLOB NOT NULL, nonce BLOB NOT NULL, wrapped BLOB NOT NULL);";

/* Version 7: marriage registration ceremonies at the county and their
 * bookings; for the duplicates across villages, indexes (a person's meal
 * services and death reports) and the ID numbers refused at import. */
static const char migration_7[] =
	"CREATE TABLE ceremony (" SYNCED
	" ceremony_date TEXT,"
	" title TEXT,"
	" place TEXT,"
	" capacity INTEGER,"
	" start_time TEXT,"
	" notes TEXT);"
	"CREATE INDEX ceremony_date ON ceremony (ceremony_date);"
	"CREATE TABLE ceremony_booking (" SYNCED
	" ceremony_id TEXT" REF("ceremony") ","
	" appointment TEXT,"
	" name_a TEXT,"
	" id_number_a TEXT,"
	" name_b TEXT,"
	" id_number_b TEXT,"
	" phone TEXT,"
	" notes TEXT);"
	"CREATE INDEX ceremony_booking_ceremony ON ceremony_booking (ceremony_id, appointment);"
	"CREATE INDEX ceremony_booking_id_a ON ceremony_booking (id_number_a);"
	"CREATE INDEX ceremony_booking_id_b ON ceremony_booking (id_number_b);"
	"CREATE INDEX meal_service_person ON meal_service (person_id, service_date);"
	"CREATE INDEX death_report_person ON death_report (person_id);"
	"CREATE INDEX person_id_number_village ON person (id_number, village)"
	" WHERE deleted = 0 AND id_number IS NOT NULL;"
	/* At the county: ID numbers a station gave its person that the import
	 * refused because another person here holds them (duplicates.h).
	 * Local, never exchanged. */
	"CREATE TABLE id_claim ("
	" person_id TEXT PRIMARY KEY NOT NULL,"
	" id_number TEXT NOT NULL,"
	" village TEXT,"
	" origin TEXT NOT NULL,"
	" noted_at TEXT NOT NULL);"
	"CREATE INDEX id_claim_number ON id_claim (id_number);";

/* Version 8: each person's latest visit, kept by triggers on every write
 * of a visit (typed, imported, moved or deleted), so that Home, summary
 * and the follow-up lists read one row per person instead of comparing
 * every visit with every other (doc/performance.md). The latest visit of
 * a person is the live one of the latest visit date, then the latest
 * recording (created_at), then the greatest id: the rule of query.h, here
 * in one place. Local only: it is derived from the visits. */
#define LATEST_OF(p) \
	"DELETE FROM visit_latest WHERE person_id = " p ";" \
	"INSERT INTO visit_latest (person_id, visit_id, followup_due)" \
	" SELECT person_id, id, followup_due FROM visit" \
	" WHERE person_id = " p " AND deleted = 0" \
	" ORDER BY visit_date DESC, created_at DESC, id DESC LIMIT 1;"

static const char migration_8[] =
	"CREATE TABLE visit_latest ("
	" person_id TEXT PRIMARY KEY NOT NULL,"
	" visit_id TEXT NOT NULL,"
	" followup_due TEXT) WITHOUT ROWID;"
	"CREATE INDEX visit_latest_due ON visit_latest (followup_due);"
	"CREATE TRIGGER visit_latest_insert AFTER INSERT ON visit"
	" WHEN NEW.person_id IS NOT NULL BEGIN " LATEST_OF("NEW.person_id") " END;"
	"CREATE TRIGGER visit_latest_update AFTER UPDATE OF person_id, visit_date, created_at,"
	" deleted, followup_due, id ON visit BEGIN "
	LATEST_OF("OLD.person_id") LATEST_OF("NEW.person_id") " END;"
	"CREATE TRIGGER visit_latest_delete AFTER DELETE ON visit BEGIN "
	LATEST_OF("OLD.person_id") " END;"
	"INSERT INTO visit_latest (person_id, visit_id, followup_due)"
	" SELECT person_id, id, followup_due FROM (SELECT person_id, id, followup_due,"
	" row_number() OVER (PARTITION BY person_id"
	" ORDER BY visit_date DESC, created_at DESC, id DESC) AS n"
	" FROM visit WHERE deleted = 0 AND person_id IS NOT NULL) WHERE n = 1;"
	/* Visits of a month, for Home's count, without reading every visit. */
	"CREATE INDEX visit_date ON visit (visit_date, village) WHERE deleted = 0;";

/* Version 9: a death report's cause and certificate number; what the
 * county decides an application for assistance on (the household's size,
 * income and assets, the reason, the account for payment). The income a
 * person is computed from the household's income and size. */
static const char migration_9[] =
	"ALTER TABLE death_report ADD COLUMN cause TEXT;"
	"ALTER TABLE death_report ADD COLUMN certificate_no TEXT;"
	"ALTER TABLE application ADD COLUMN household_size INTEGER;"
	"ALTER TABLE application ADD COLUMN income_month TEXT;"
	"ALTER TABLE application ADD COLUMN income_per_person TEXT;"
	"ALTER TABLE application ADD COLUMN houses INTEGER;"
	"ALTER TABLE application ADD COLUMN vehicles INTEGER;"
	"ALTER TABLE application ADD COLUMN savings TEXT;"
	"ALTER TABLE application ADD COLUMN apply_reason TEXT;"
	"ALTER TABLE application ADD COLUMN bank_name TEXT;"
	"ALTER TABLE application ADD COLUMN bank_account TEXT;";

/* Version 10: the change log on integer keys. Every origin, row, user and
 * village id the log names is written once, in log_key, and every (table,
 * field) once, in log_field; the log, its parents and the heads point at
 * them by number. The winning version of each field is not kept apart:
 * it is the winner among the field's heads. Under the old names, views give the log as
 * it was, with the ids spelled out, for every reader; only change.c and
 * merge.c write the log_ tables (doc/merge.md). Local only: the wire and
 * every output still carry the ids. Sequence numbers are kept, so that
 * what peers acknowledged stays true. */
static const char migration_10[] =
	"CREATE TABLE log_key (n INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);"
	"CREATE TABLE log_field (n INTEGER PRIMARY KEY,"
	" tbl TEXT NOT NULL, field TEXT NOT NULL, UNIQUE (tbl, field));"
	"CREATE TABLE log_entry ("
	" seq INTEGER PRIMARY KEY,"
	" origin_n INTEGER NOT NULL,"
	" oseq INTEGER NOT NULL,"
	" hlc INTEGER NOT NULL,"
	" row_n INTEGER NOT NULL,"
	" field_n INTEGER NOT NULL,"
	" value,"
	" parents TEXT NOT NULL DEFAULT '',"
	" user_n INTEGER,"
	" village_n INTEGER,"
	" UNIQUE (origin_n, oseq));"
	"CREATE TABLE log_parent ("
	" origin_n INTEGER NOT NULL,"
	" oseq INTEGER NOT NULL,"
	" child_seq INTEGER NOT NULL,"
	" same_field INTEGER NOT NULL,"
	" PRIMARY KEY (origin_n, oseq, child_seq)) WITHOUT ROWID;"
	"CREATE TABLE log_head ("
	" row_n INTEGER NOT NULL, field_n INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" PRIMARY KEY (row_n, field_n, seq)) WITHOUT ROWID;"

	"INSERT INTO log_key (key) SELECT origin FROM change_log"
	" UNION SELECT row_id FROM change_log"
	" UNION SELECT user_id FROM change_log WHERE user_id IS NOT NULL"
	" UNION SELECT village FROM change_log WHERE village IS NOT NULL"
	" UNION SELECT parent_origin FROM change_parent"
	" UNION SELECT row_id FROM field_clock UNION SELECT row_id FROM field_head;"
	"INSERT INTO log_field (tbl, field) SELECT tbl, field FROM change_log"
	" UNION SELECT tbl, field FROM field_clock UNION SELECT tbl, field FROM field_head;"
	"INSERT INTO log_entry (seq, origin_n, oseq, hlc, row_n, field_n, value, parents,"
	" user_n, village_n)"
	" SELECT c.seq, o.n, c.oseq, c.hlc, r.n, f.n, c.value, c.parents, u.n, v.n"
	" FROM change_log c JOIN log_key o ON o.key = c.origin"
	" JOIN log_key r ON r.key = c.row_id"
	" JOIN log_field f ON f.tbl = c.tbl AND f.field = c.field"
	" LEFT JOIN log_key u ON u.key = c.user_id"
	" LEFT JOIN log_key v ON v.key = c.village ORDER BY c.seq;"
	"INSERT INTO log_parent (origin_n, oseq, child_seq, same_field)"
	" SELECT o.n, p.parent_oseq, p.child_seq, p.same_field"
	" FROM change_parent p JOIN log_key o ON o.key = p.parent_origin;"
	"INSERT INTO log_head (row_n, field_n, seq)"
	" SELECT r.n, f.n, h.seq FROM field_head h"
	" JOIN log_key r ON r.key = h.row_id"
	" JOIN log_field f ON f.tbl = h.tbl AND f.field = h.field;"
	"DROP TABLE field_head;"
	"DROP TABLE field_clock;"
	"DROP TABLE change_parent;"
	"DROP TABLE change_log;"
	"CREATE INDEX log_entry_row ON log_entry (row_n, field_n);"
	/* A village's changes since a seq, and whose: what the county sends a
	 * station and counts as not yet acknowledged, read from the index. */
	"CREATE INDEX log_entry_village ON log_entry (village_n, seq, origin_n);"
	"CREATE INDEX log_parent_child ON log_parent (child_seq);"
	/* A row the merge inserts while a reference to it is still pending
	 * (a household naming its head before the person arrives) looks up
	 * the rows that point at it: by index, not by reading the table. */
	"CREATE INDEX household_head ON household (head_id);"
	"CREATE INDEX household_grid ON household (grid_id);"
	"CREATE INDEX person_grid ON person (grid_id);"
	"CREATE INDEX guardian_guardian ON guardian (guardian_person_id);"
	"CREATE INDEX referral_person ON referral (person_id);"
	/* Home's counts on a county's year: the live people, households and
	 * open categories read from small indexes, in the order counted. */
	"CREATE INDEX person_live ON person (id, village) WHERE deleted = 0 AND status = 'active';"
	"CREATE INDEX household_live ON household (village) WHERE deleted = 0;"
	"CREATE INDEX person_category_open ON person_category (category, person_id)"
	" WHERE deleted = 0 AND end_date IS NULL;"

	"CREATE VIEW change_log AS SELECT e.seq AS seq, o.key AS origin, e.oseq AS oseq,"
	" e.hlc AS hlc, f.tbl AS tbl, r.key AS row_id, f.field AS field, e.value AS value,"
	" e.parents AS parents, u.key AS user_id, v.key AS village"
	" FROM log_entry e JOIN log_key o ON o.n = e.origin_n"
	" JOIN log_key r ON r.n = e.row_n JOIN log_field f ON f.n = e.field_n"
	" LEFT JOIN log_key u ON u.n = e.user_n LEFT JOIN log_key v ON v.n = e.village_n;"
	"CREATE VIEW change_parent AS SELECT o.key AS parent_origin, p.oseq AS parent_oseq,"
	" p.child_seq AS child_seq, p.same_field AS same_field"
	" FROM log_parent p JOIN log_key o ON o.n = p.origin_n;"
	/* The winner of a field is its head of the latest clock, then the
	 * greatest origin id, then the greatest number (doc/merge.md): the
	 * heads hold it, so it is not kept a second time. */
	"CREATE VIEW field_clock AS SELECT f.tbl AS tbl, r.key AS row_id, f.field AS field,"
	" o.key AS origin, e.oseq AS oseq, e.hlc AS hlc, h.seq AS seq"
	" FROM log_head h JOIN log_entry e ON e.seq = h.seq"
	" JOIN log_key r ON r.n = h.row_n JOIN log_field f ON f.n = h.field_n"
	" JOIN log_key o ON o.n = e.origin_n"
	" WHERE NOT EXISTS (SELECT 1 FROM log_head h2 JOIN log_entry e2 ON e2.seq = h2.seq"
	" JOIN log_key o2 ON o2.n = e2.origin_n WHERE h2.row_n = h.row_n"
	" AND h2.field_n = h.field_n AND h2.seq <> h.seq AND (e2.hlc > e.hlc"
	" OR (e2.hlc = e.hlc AND (o2.key > o.key OR (o2.key = o.key AND e2.oseq > e.oseq)))));"
	"CREATE VIEW field_head AS SELECT f.tbl AS tbl, r.key AS row_id, f.field AS field,"
	" h.seq AS seq FROM log_head h JOIN log_key r ON r.n = h.row_n"
	" JOIN log_field f ON f.n = h.field_n;";

/* Version 11: a row's creation is one log entry, not one a field. The
 * first versions of several fields of one row that one origin made one
 * after the other (sequence numbers, clocks and log seqs each one apart,
 * no parents: what a save of a new record writes, or the start of one)
 * are kept as a run: one log_entry whose field_n is the run's first
 * field, shape_n names the list of its fields (log_shape,
 * log_shape_field: member i is field i of the list, with seq, oseq and
 * hlc those of the entry plus i) and value holds the members' values as
 * a JSON array. No other entry takes the seqs a run covers. A run is a
 * head of its row (log_head field_n 0): of every field of its shape that
 * has no head of its own; a head of its own that is a run's member is
 * (row, field, the run's seq). Views give every change one row as
 * before (change_log, field_head, field_clock) and, on integer keys,
 * log_version (each change) and log_field_head (each field's heads). */
static const char migration_11[] =
	"ALTER TABLE log_entry ADD COLUMN shape_n INTEGER;"
	"CREATE TABLE log_shape (n INTEGER PRIMARY KEY, fields TEXT NOT NULL UNIQUE,"
	" width INTEGER NOT NULL);"
	"CREATE TABLE log_shape_field (shape_n INTEGER NOT NULL, i INTEGER NOT NULL,"
	" field_n INTEGER NOT NULL, path TEXT NOT NULL,"
	" PRIMARY KEY (shape_n, i), UNIQUE (shape_n, field_n)) WITHOUT ROWID;"
	"DROP VIEW change_log;"
	"DROP VIEW field_clock;"
	"DROP VIEW field_head;"
	"CREATE VIEW log_version AS SELECT seq AS at, seq, origin_n, oseq, hlc, row_n,"
	" field_n, value, parents, user_n, village_n FROM log_entry WHERE shape_n IS NULL"
	" UNION ALL SELECT e.seq, e.seq + s.i, e.origin_n, e.oseq + s.i, e.hlc + s.i, e.row_n,"
	" s.field_n, json_extract(e.value, s.path), '', e.user_n, e.village_n"
	" FROM log_entry e JOIN log_shape_field s ON s.shape_n = e.shape_n;"
	"CREATE VIEW log_field_head AS SELECT h.row_n AS row_n, h.field_n AS field_n,"
	" h.seq AS at FROM log_head h WHERE h.field_n > 0"
	" UNION ALL SELECT h.row_n, s.field_n, h.seq FROM log_head h"
	" JOIN log_entry e ON e.seq = h.seq JOIN log_shape_field s ON s.shape_n = e.shape_n"
	" WHERE h.field_n = 0 AND NOT EXISTS (SELECT 1 FROM log_head x"
	" WHERE x.row_n = h.row_n AND x.field_n = s.field_n);"
	/* Each change with the ids spelled out, and at, the seq of its
	 * entry: a reader finds a change by seq or by (origin, oseq) through
	 * at (change_log_at() and change_log_at_oseq() in change.h), which
	 * the views are given as a number: then an index finds it. */
	"CREATE VIEW log_change AS SELECT e.seq AS at, e.seq AS seq, o.key AS origin,"
	" e.oseq AS oseq, e.hlc AS hlc, f.tbl AS tbl, r.key AS row_id, f.field AS field,"
	" e.value AS value, e.parents AS parents, u.key AS user_id, v.key AS village"
	" FROM log_entry e JOIN log_key o ON o.n = e.origin_n"
	" JOIN log_key r ON r.n = e.row_n JOIN log_field f ON f.n = e.field_n"
	" LEFT JOIN log_key u ON u.n = e.user_n LEFT JOIN log_key v ON v.n = e.village_n"
	" WHERE e.shape_n IS NULL"
	" UNION ALL SELECT e.seq, e.seq + s.i, o.key, e.oseq + s.i, e.hlc + s.i, f.tbl, r.key,"
	" f.field, json_extract(e.value, s.path), '', u.key, v.key"
	" FROM log_entry e JOIN log_shape_field s ON s.shape_n = e.shape_n"
	" JOIN log_key o ON o.n = e.origin_n"
	" JOIN log_key r ON r.n = e.row_n JOIN log_field f ON f.n = s.field_n"
	" LEFT JOIN log_key u ON u.n = e.user_n LEFT JOIN log_key v ON v.n = e.village_n;"
	"CREATE VIEW change_log AS SELECT seq, origin, oseq, hlc, tbl, row_id, field, value,"
	" parents, user_id, village FROM log_change;"
	"CREATE VIEW field_head AS SELECT f.tbl AS tbl, r.key AS row_id, f.field AS field,"
	" e.seq + coalesce(s.i, 0) AS seq FROM log_field_head h"
	" JOIN log_entry e ON e.seq = h.at"
	" LEFT JOIN log_shape_field s ON s.shape_n = e.shape_n AND s.field_n = h.field_n"
	" JOIN log_key r ON r.n = h.row_n JOIN log_field f ON f.n = h.field_n;"
	/* The winner of a field is its head of the latest clock, then the
	 * greatest origin id, then the greatest number (doc/merge.md). */
	"CREATE VIEW field_clock AS SELECT tbl, row_id, field, origin, oseq, hlc, seq FROM"
	" (SELECT f.tbl AS tbl, r.key AS row_id, f.field AS field, o.key AS origin,"
	" e.oseq + coalesce(s.i, 0) AS oseq, e.hlc + coalesce(s.i, 0) AS hlc,"
	" e.seq + coalesce(s.i, 0) AS seq, row_number() OVER (PARTITION BY f.tbl, r.key, f.field"
	" ORDER BY e.hlc + coalesce(s.i, 0) DESC, o.key DESC, e.oseq + coalesce(s.i, 0) DESC) AS k"
	" FROM log_field_head h JOIN log_entry e ON e.seq = h.at"
	" LEFT JOIN log_shape_field s ON s.shape_n = e.shape_n AND s.field_n = h.field_n"
	" JOIN log_key r ON r.n = h.row_n JOIN log_field f ON f.n = h.field_n"
	" JOIN log_key o ON o.n = e.origin_n) WHERE k = 1;";

/* Version 12: a visit that arrives becomes its person's latest when it
 * comes after the latest one, in the order of LATEST_OF(), without
 * reading the person's other visits again (the rest of the visits of a
 * person with a latest one are before it). An insert of a visit that is
 * not the latest leaves the latest as it is. */
#define LATER_THAN_NEW(v) \
	"((" v ".visit_date IS NOT NULL AND (NEW.visit_date IS NULL" \
	" OR " v ".visit_date > NEW.visit_date)) OR (" v ".visit_date IS NEW.visit_date" \
	" AND (" v ".created_at > NEW.created_at OR (" v ".created_at = NEW.created_at" \
	" AND " v ".id > NEW.id))))"

static const char migration_12[] =
	"DROP TRIGGER visit_latest_insert;"
	"CREATE TRIGGER visit_latest_insert AFTER INSERT ON visit"
	" WHEN NEW.person_id IS NOT NULL AND NEW.deleted = 0 BEGIN"
	" INSERT INTO visit_latest (person_id, visit_id, followup_due)"
	" SELECT NEW.person_id, NEW.id, NEW.followup_due WHERE NOT EXISTS (SELECT 1"
	" FROM visit_latest l CROSS JOIN visit v ON v.id = l.visit_id"
	" WHERE l.person_id = NEW.person_id AND " LATER_THAN_NEW("v") ")"
	" ON CONFLICT (person_id) DO UPDATE SET visit_id = excluded.visit_id,"
	" followup_due = excluded.followup_due; END;";

/* Version 13: a run whose values its row holds as they are (the first
 * versions of a new record, while none of its fields has changed) keeps
 * them there alone: the entry's value is NULL. Each synced table gets a
 * trigger before an update and before a delete that writes the values
 * back into the row's held runs, and the views read a held run's members
 * from its row (change_log_held_setup() in change.c makes both from
 * tables_all[]; migrate() in db.c runs it and then holds the runs of the
 * log, change_log_hold()). A later migration that rebuilds a synced table
 * or adds a field to one runs it again; one that drops a synced table
 * gives the runs their values first. Also an index of the people who are
 * not active, and no index of every visit's follow-up date. */
static const char migration_13[] =
	/* The people who are not active, few, for the county's count of
	 * each category's active people (query_counts()). */
	"CREATE INDEX person_gone ON person (id) WHERE deleted <> 0 OR status IS NOT 'active';"
	/* Follow-ups are read from visit_latest (version 8) by its index of
	 * the date: the index of every visit's follow-up date is read by
	 * nothing and written by every visit. */
	"DROP INDEX visit_followup;";

const char *const schema_migrations[] = {
	migration_1,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
	migration_6,
	migration_7,
	migration_8,
	migration_9,
	migration_10,
	migration_11,
	migration_12,
	migration_13,
};

const int schema_migration_count =
	(int)(sizeof(schema_migrations) / sizeof(schema_migrations[0]));
