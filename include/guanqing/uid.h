/* uid.h - UUID primary keys for synced rows (libuuid), as 36-char text. */
#ifndef GUANQING_UID_H
#define GUANQING_UID_H

#define UID_LEN 36

/* Write a new random UUID, lower-case, NUL-terminated, into out. */
void uid_new(char out[UID_LEN + 1]);
/* A new id of a record that origin (a station's id) makes: a UUID of
 * version 8 whose first 32 bits are origin's, then 48 bits of the time
 * in milliseconds, then 42 random bits. The ids of one station sort
 * together, in the order they were made: a station's new records go
 * into a few neighbouring pages of every index on ids at the county
 * rather than one random page each (doc/performance.md). */
void uid_new_of(const char *origin, char out[UID_LEN + 1]);
/* 1 when s is a well-formed lower- or upper-case UUID text. */
int uid_valid(const char *s);

#endif
