/* schema.h - the database schema as ordered forward migrations.
 *
 * Migration N takes a database from user_version N-1 to N and runs in one
 * transaction with the version bump. Synced tables all share the columns
 * id (UUID text), origin (the station that created the row), village (the
 * 12-digit code of the village the row belongs to, NULL for county-wide
 * rows), created_at, updated_at (ISO UTC) and deleted (the tombstone).
 * Local-only tables: meta, division, change_log, change_parent,
 * field_clock (and those the sync layer adds).
 */
#ifndef GUANQING_SCHEMA_H
#define GUANQING_SCHEMA_H

/* Number of migrations; equals DB_SCHEMA_VERSION. */
extern const int schema_migration_count;
/* schema_migrations[i] brings version i to i+1. */
extern const char *const schema_migrations[];

#endif
