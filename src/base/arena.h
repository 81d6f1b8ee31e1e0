/* arena.h: bump allocator. Everything a request (or a CLI command)
 * allocates comes from one arena and is freed at once by arena_free().
 * Never free() a pointer from an arena. Allocation failure aborts. */
#ifndef PARLEY_ARENA_H
#define PARLEY_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* Zeroed memory, 16-byte aligned. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies; NULL in gives NULL out. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* The strings up to a NULL, joined: what arena_printf("%s%s", ...) does
 * at a tenth of the cost (printf parses its format every call). */
char *arena_cat(struct arena *a, const char *s, ...)
	__attribute__((sentinel));
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
