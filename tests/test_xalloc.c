/* test_xalloc.c - the one allocator: copies, growth, and the refusal of
 * sizes that overflow, which runs the failure hook and aborts. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "guanqing/xalloc.h"

static int hook_fd = -1;

/* Stands for the screens' endwin(): says on the pipe that it ran. */
static void hook(void)
{
	if (write(hook_fd, "H", 1) != 1)
		_exit(3);
}

/* Run fn in a child with the hook set and standard error on a pipe. The
 * child must die of SIGABRT; what it wrote (hook mark, then stderr) goes
 * into out. */
static void expect_abort(void (*fn)(void), char *out, size_t size)
{
	int fd[2];
	pid_t pid;
	int status;
	size_t n = 0;
	ssize_t k;

	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		hook_fd = fd[1];
		dup2(fd[1], 2);
		signal(SIGABRT, SIG_DFL);
		xalloc_set_failure_hook(hook);
		fn();
		_exit(0);	/* not reached when fn fails as it should */
	}
	close(fd[1]);
	while (n + 1 < size && (k = read(fd[0], out + n, size - 1 - n)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void *volatile sink;

static void overflow_array(void)
{
	/* 2^63 items of 2 bytes: wraps to 0 in a size_t multiplication. */
	sink = xreallocarray(NULL, SIZE_MAX / 2 + 1, 2);
}

static void overflow_array_grow(void)
{
	char *p = xreallocarray(NULL, 4, 8);

	sink = xreallocarray(p, SIZE_MAX / 8 + 1, 8);
}

static void overflow_calloc(void)
{
	sink = xcalloc(SIZE_MAX / 4 + 2, 4);
}

static void test_reallocarray_overflow_refused(void **state)
{
	char out[256];

	(void)state;
	expect_abort(overflow_array, out, sizeof(out));
	/* The hook ran first, then the message. */
	assert_string_equal(out, "Hguanqing: out of memory\n");
	expect_abort(overflow_array_grow, out, sizeof(out));
	assert_string_equal(out, "Hguanqing: out of memory\n");
	expect_abort(overflow_calloc, out, sizeof(out));
	assert_string_equal(out, "Hguanqing: out of memory\n");
}

static void test_reallocarray_grows(void **state)
{
	uint32_t *v = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		v = xreallocarray(v, i + 1, sizeof(*v));
		v[i] = (uint32_t)i * 7;
	}
	for (i = 0; i < 1000; i++)
		assert_int_equal(v[i], i * 7);
	free(v);
	/* Zero items: still a block to free, never NULL. */
	v = xreallocarray(NULL, 0, sizeof(*v));
	assert_non_null(v);
	free(v);
}

static void test_strdup(void **state)
{
	char *s;

	(void)state;
	assert_null(xstrdup(NULL));
	assert_null(xstrndup(NULL, 5));
	s = xstrdup("关情·商城县");
	assert_string_equal(s, "关情·商城县");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
	/* At most n bytes: 张三 is six. */
	s = xstrndup("张三丰", 6);
	assert_string_equal(s, "张三");
	free(s);
	s = xstrndup("张三", 100);
	assert_string_equal(s, "张三");
	free(s);
	s = xstrndup("张三", 0);
	assert_string_equal(s, "");
	free(s);
}

static void test_zeroed(void **state)
{
	unsigned char *p;
	size_t i;

	(void)state;
	p = xcalloc(64, 4);
	for (i = 0; i < 256; i++)
		assert_int_equal(p[i], 0);
	free(p);
	p = xcalloc(0, 0);
	assert_non_null(p);
	free(p);
	p = xmalloc(0);
	assert_non_null(p);
	free(p);
	p = xrealloc(NULL, 3);
	memcpy(p, "ok", 3);
	p = xrealloc(p, 4096);
	assert_string_equal((char *)p, "ok");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reallocarray_overflow_refused),
		cmocka_unit_test(test_reallocarray_grows),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_zeroed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
