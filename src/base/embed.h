/* embed.h: files built into the binary (templates/default/, demo/).
 * The table is generated at build time by tools/embed.c; bytes are static
 * and NUL-terminated, never freed. */
#ifndef PARLEY_EMBED_H
#define PARLEY_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *path; /* as in the source tree, e.g. "templates/default/base.html" */
	const char *data;
	size_t len;
};

/* Terminated by an entry with path == NULL. */
extern const struct embed_file embed_files[];

/* The file at path, or NULL. */
const struct embed_file *embed_find(const char *path);

#endif
