#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static enum perr
grow(struct buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > (size_t)-1 / 4 - b->len)
		return P_TOOBIG;
	need = b->len + extra + 1;
	if (b->max && need - 1 > b->max)
		return P_TOOBIG;
	if (need <= b->cap)
		return P_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if ((p = realloc(b->data, ncap)) == NULL)
		abort();
	b->data = p;
	b->cap = ncap;
	return P_OK;
}

enum perr
buf_add(struct buf *b, const void *p, size_t n)
{
	enum perr e;

	/* Room already there (the common case once a page's buffer is
	 * reserved): no call to grow(). */
	if (n >= b->cap - b->len || (b->max && b->len + n > b->max)) {
		if ((e = grow(b, n)) != P_OK)
			return e;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return P_OK;
}

enum perr
buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum perr
buf_putc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

enum perr
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	enum perr e;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return P_BADINPUT;
	if ((e = grow(b, (size_t)n)) != P_OK)
		return e;
	if (vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap) != n)
		return P_BADINPUT;
	b->len += (size_t)n;
	return P_OK;
}

enum perr
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum perr e;

	va_start(ap, fmt);
	e = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (b->data == NULL) {
		if (grow(b, 0) != P_OK)
			return NULL;
		b->data[0] = '\0';
	}
	p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

enum perr
buf_reserve(struct buf *b, size_t n)
{
	return grow(b, n);
}
