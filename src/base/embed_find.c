#include "embed.h"

#include <string.h>

const struct embed_file *
embed_find(const char *path)
{
	const struct embed_file *f;

	for (f = embed_files; f->path; f++)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}
