/* test_kdf.c - the PIN's fast hash is a test hook. Built twice: as
 * tests/test_kdf, where GUANQING_TEST_FAST_PIN=1 gives libsodium's
 * smallest limits, and as tests/test_kdf_product (GUANQING_NO_TEST_HOOKS),
 * the program a station runs, which keeps the interactive limits whatever
 * the variable says. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sodium.h>

#include "guanqing/kdf.h"

static void test_default_is_interactive(void **state)
{
	unsigned long long ops;
	size_t mem;

	(void)state;
	unsetenv("GUANQING_TEST_FAST_PIN");
	kdf_pin_limits(&ops, &mem);
	assert_int_equal(ops, crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_int_equal(mem, crypto_pwhash_MEMLIMIT_INTERACTIVE);
	assert_int_equal(mem, 64u * 1024 * 1024);
	setenv("GUANQING_TEST_FAST_PIN", "yes", 1);
	kdf_pin_limits(&ops, &mem);
	assert_int_equal(mem, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static void test_fast_variable(void **state)
{
	unsigned long long ops;
	size_t mem;

	(void)state;
	setenv("GUANQING_TEST_FAST_PIN", "1", 1);
	kdf_pin_limits(&ops, &mem);
#ifdef GUANQING_NO_TEST_HOOKS
	assert_int_equal(ops, crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_int_equal(mem, crypto_pwhash_MEMLIMIT_INTERACTIVE);
#else
	assert_int_equal(ops, crypto_pwhash_OPSLIMIT_MIN);
	assert_int_equal(mem, crypto_pwhash_MEMLIMIT_MIN);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_is_interactive),
		cmocka_unit_test(test_fast_variable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
