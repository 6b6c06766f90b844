/* test_clock.c - the fixed clock is a test hook. Built twice: as
 * tests/test_clock, where the test build's hook fixes the clock, and as
 * tests/test_clock_product (GUANQING_NO_TEST_HOOKS), the clock of the
 * program a station runs, which GUANQING_NOW and clock_set_fixed() must not
 * move. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "guanqing/clock.h"

/* 2026-11-28T08:00:00Z and 2000-01-01T00:00:00Z. */
#define FIXED_MS 1795852800000LL
#define Y2000_MS 946684800000LL

static int64_t real_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#ifdef GUANQING_NO_TEST_HOOKS
static void test_env_is_ignored(void **state)
{
	int64_t before, now;

	(void)state;
	setenv("GUANQING_NOW", "2000-01-01T00:00:00Z", 1);
	before = real_now_ms();
	now = clock_now_ms();
	assert_true(now >= before - 1000);
	assert_true(now <= real_now_ms() + 1000);
	assert_true(now != Y2000_MS);
}

static void test_set_fixed_is_ignored(void **state)
{
	int64_t before, now;

	(void)state;
	clock_set_fixed(Y2000_MS);
	before = real_now_ms();
	now = clock_now_ms();
	assert_true(now >= before - 1000);
	assert_true(now <= real_now_ms() + 1000);
}
#else
static void test_env_fixes_the_clock(void **state)
{
	(void)state;
	setenv("GUANQING_NOW", "2026-11-28T08:00:00Z", 1);
	assert_int_equal(clock_now_ms(), FIXED_MS);
	assert_int_equal(clock_now_ms(), FIXED_MS);
}

static void test_set_fixed_fixes_the_clock(void **state)
{
	int64_t before;

	(void)state;
	clock_set_fixed(Y2000_MS);
	assert_int_equal(clock_now_ms(), Y2000_MS);
	clock_set_fixed(-1);
	before = real_now_ms();
	assert_true(clock_now_ms() >= before - 1000);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef GUANQING_NO_TEST_HOOKS
		cmocka_unit_test(test_env_is_ignored),
		cmocka_unit_test(test_set_fixed_is_ignored),
#else
		cmocka_unit_test(test_env_fixes_the_clock),
		cmocka_unit_test(test_set_fixed_fixes_the_clock),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
