/* strbuf.h - a growing, always NUL-terminated byte string.
 *
 * Invariants: buf is never NULL after strbuf_init (it points at a shared
 * empty string until the first growth); buf[len] == '\0'; alloc is 0 while
 * buf is the shared empty string. The strbuf owns buf; strbuf_release frees
 * it and leaves an empty strbuf; strbuf_detach hands it to the caller.
 * Allocation failure aborts: a half-built message is worse than a stop.
 */
#ifndef GUANQING_STRBUF_H
#define GUANQING_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Return the buffer (caller frees) and leave sb empty. Never NULL. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Append s as a JSON string literal (quotes and escapes included). */
void strbuf_add_json_str(struct strbuf *sb, const char *s);
/* Append s as one CSV field (quoted when it holds , " CR or LF). */
void strbuf_add_csv_field(struct strbuf *sb, const char *s);

#endif
