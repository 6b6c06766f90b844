/* kdf.h - the Argon2id limits of a PIN's hash and of its key slot. */
#ifndef GUANQING_KDF_H
#define GUANQING_KDF_H

#include <stddef.h>

/* The limits for hashing a PIN or deriving its slot key: libsodium's
 * interactive ones (see kdf.c for the test build's exception). */
void kdf_pin_limits(unsigned long long *ops, size_t *mem);

#endif
