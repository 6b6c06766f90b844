/* xalloc.c - allocation that cannot fail. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/xalloc.h"

static void (*failure_hook)(void);

void xalloc_set_failure_hook(void (*fn)(void))
{
	failure_hook = fn;
}

/* The end of the program: the hook (the terminal back to normal), then a
 * message that can be read, then abort() for a core file. Not translated:
 * gettext itself might need memory here. */
static _Noreturn void fail(void)
{
	void (*fn)(void) = failure_hook;

	failure_hook = NULL;	/* a hook that fails in turn runs once */
	if (fn)
		fn();
	fputs("guanqing: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		fail();
	return p;
}

void *xcalloc(size_t nr, size_t size)
{
	void *p;

	if (!nr || !size)
		nr = size = 1;
	/* Refused here, not left to calloc: an allocator under a sanitizer
	 * reports an overflowing request as an error instead of NULL. */
	if (nr > SIZE_MAX / size)
		fail();
	p = calloc(nr, size);
	if (!p)
		fail();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		fail();
	return p;
}

void *xreallocarray(void *p, size_t nr, size_t size)
{
	if (size && nr > SIZE_MAX / size)
		fail();
	return xrealloc(p, nr * size);
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	n = strnlen(s, n);
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
