/* store.c: the backend-independent part of store.h. Nothing here may know
 * which database is behind the store. */
#include "store.h"

#include <string.h>

/* Indexed by enum cstatus; these spellings are also what the backends
 * store, so changing one is a schema migration. */
static const char *const cstatus_names[] = {
	[CS_PENDING] = "pending",
	[CS_APPROVED] = "approved",
	[CS_SPAM] = "spam",
	[CS_TRASH] = "trash",
};

#define NSTATUS (sizeof(cstatus_names) / sizeof(cstatus_names[0]))

const char *
cstatus_str(enum cstatus s)
{
	if ((unsigned)s >= NSTATUS)
		return "unknown";
	return cstatus_names[s];
}

int
cstatus_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < NSTATUS; i++)
		if (strcmp(s, cstatus_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
pstatus_str(enum pstatus s)
{
	switch (s) {
	case PS_DRAFT: return "draft";
	case PS_SCHEDULED: return "scheduled";
	default: return "published";
	}
}
