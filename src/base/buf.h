/* buf.h: growable byte buffer with a hard maximum (git's strbuf in spirit).
 * The buffer owns its bytes; buf_free() releases them. data is always
 * NUL-terminated after any append. Appends past max fail with P_TOOBIG and
 * leave the buffer unchanged; allocation failure aborts (small, internal). */
#ifndef PARLEY_BUF_H
#define PARLEY_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0 = no limit beyond SIZE_MAX/2 */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
enum perr buf_add(struct buf *b, const void *p, size_t n);
enum perr buf_puts(struct buf *b, const char *s);
enum perr buf_putc(struct buf *b, char c);
enum perr buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum perr buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Make room for n more bytes without appending (one allocation instead
 * of a doubling series when the size is known roughly in advance). */
enum perr buf_reserve(struct buf *b, size_t n);
/* Hand the bytes to the caller (caller frees with free()); b is reset. */
char *buf_detach(struct buf *b, size_t *len);

#endif
