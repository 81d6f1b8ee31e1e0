#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN (16 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char mem[];
};

void
arena_init(struct arena *a)
{
	a->head = NULL;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *n;

	for (c = a->head; c; c = n) {
		n = c->next;
		free(c);
	}
	a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t cap;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if (c == NULL || c->cap - c->used < n) {
		if (n > SIZE_MAX / 2)
			abort();
		cap = n > CHUNK_MIN ? n : CHUNK_MIN;
		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			abort();
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	p = c->mem + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		abort();
	p = arena_alloc(a, (size_t)n + 1);
	if (vsnprintf(p, (size_t)n + 1, fmt, ap) != n)
		abort();
	va_end(ap);
	return p;
}

char *
arena_cat(struct arena *a, const char *s, ...)
{
	va_list ap;
	const char *t;
	size_t n = 0, k;
	char *out, *p;

	va_start(ap, s);
	for (t = s; t; t = va_arg(ap, const char *))
		n += strlen(t);
	va_end(ap);
	p = out = arena_alloc(a, n + 1);
	va_start(ap, s);
	for (t = s; t; t = va_arg(ap, const char *)) {
		k = strlen(t);
		memcpy(p, t, k);
		p += k;
	}
	va_end(ap);
	*p = '\0';
	return out;
}
