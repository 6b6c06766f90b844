/* xalloc.h - allocation that cannot fail: the program's one allocator.
 *
 * Each function here either returns usable memory or ends the program: it
 * calls the failure hook (if one is set), prints "out of memory" on
 * standard error and aborts. Callers therefore never test for NULL. This
 * is for the small allocations a station makes; a request whose size is
 * chosen by outside data (a file, a bundle) should be bounded by the
 * caller first and refused with a message instead.
 *
 * Every returned pointer is owned by the caller and released with free().
 * A request of zero bytes returns a unique pointer, as for one byte, so
 * that NULL always means "nothing was allocated" in the caller's data.
 */
#ifndef GUANQING_XALLOC_H
#define GUANQING_XALLOC_H

#include <stddef.h>

/* Set fn to be called once, before the "out of memory" message, when an
 * allocation fails: the screens restore the terminal there (endwin), so
 * that the message can be read and the shell is usable. fn must not
 * allocate and should return; NULL removes the hook. */
void xalloc_set_failure_hook(void (*fn)(void));

/* malloc(size). */
void *xmalloc(size_t size);

/* calloc(nr, size): nr items of size bytes, zeroed; nr * size is checked
 * for overflow. */
void *xcalloc(size_t nr, size_t size);

/* realloc(p, size); p may be NULL. */
void *xrealloc(void *p, size_t size);

/* realloc(p, nr * size) for an array of nr items, refusing (as out of
 * memory) an nr * size that does not fit in a size_t, which a plain
 * realloc(p, nr * size) would silently wrap to a small block. p may be
 * NULL. */
void *xreallocarray(void *p, size_t nr, size_t size);

/* A copy of the string s, or NULL when s is NULL. */
char *xstrdup(const char *s);

/* A copy of at most n bytes of s (fewer when s ends before), always
 * NUL-terminated; NULL when s is NULL. */
char *xstrndup(const char *s, size_t n);

#endif
