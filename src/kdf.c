/* kdf.c - the Argon2id limits of a PIN's hash and of its key slot. */
#include "config.h"

/* A PIN is hashed, and the station's keys wrapped under it, with
 * libsodium's interactive limits: about half a second and 64 MiB on a
 * 1 GB PC. The test suite signs in some ten thousand times, so a test
 * build (./configure --enable-test-hooks) takes the smallest limits when
 * GUANQING_TEST_FAST_PIN=1: the same code, a cheaper hash. The product
 * ignores the variable, and GUANQING_NO_TEST_HOOKS builds this file as
 * the product's even in a test build (tests/test_kdf_product). A hash
 * carries its limits, so a PIN set either way is checked either way. */
#if defined(GUANQING_TEST_HOOKS) && !defined(GUANQING_NO_TEST_HOOKS)
#define KDF_HOOKS 1
#else
#define KDF_HOOKS 0
#endif

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/kdf.h"

void kdf_pin_limits(unsigned long long *ops, size_t *mem)
{
	const char *fast = KDF_HOOKS ? getenv("GUANQING_TEST_FAST_PIN") : NULL;

	if (fast && strcmp(fast, "1") == 0) {
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
		return;
	}
	*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}
