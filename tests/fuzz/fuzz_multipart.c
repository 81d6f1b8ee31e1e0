/* fuzz_multipart.c: the multipart/form-data parser over arbitrary bytes.
 * The input's first line is the Content-Type header value (boundary
 * found by multipart_boundary; "XbOuNdArY" if none), the rest the body.
 * Every part must lie inside the body and the count stay bounded. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/limits.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *nl, *body, *boundary;
	struct mp_part *p;
	struct arena a;
	size_t n, i, blen;

	arena_init(&a);
	nl = memchr(in, '\n', size);
	if (nl == NULL || multipart_boundary(&a, arena_strndup(&a, in,
	    (size_t)(nl - in)), &boundary) != P_OK)
		boundary = "XbOuNdArY";
	body = nl ? nl + 1 : in;
	blen = size - (size_t)(body - in);
	if (multipart_parse(&a, body, blen, boundary, &p, &n) == P_OK) {
		assert(n <= LIM_MULTIPART_PARTS);
		for (i = 0; i < n; i++) {
			assert(p[i].data >= body);
			assert(p[i].data + p[i].len <= body + blen);
			assert(p[i].name != NULL && p[i].name[0] != '\0');
			assert(p[i].type != NULL);
		}
	}
	arena_free(&a);
	return 0;
}
