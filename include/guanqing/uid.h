/* uid.h - UUID primary keys for synced rows (libuuid), as 36-char text. */
#ifndef GUANQING_UID_H
#define GUANQING_UID_H

#define UID_LEN 36

/* Write a new random UUID, lower-case, NUL-terminated, into out. */
void uid_new(char out[UID_LEN + 1]);
/* 1 when s is a well-formed lower- or upper-case UUID text. */
int uid_valid(const char *s);

#endif
