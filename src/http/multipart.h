/* multipart.h: multipart/form-data (RFC 7578) parsing for the admin's
 * upload forms. A small, pure, bounded parser over untrusted bytes
 * (fuzz target: tests/fuzz/fuzz_multipart.c): at most LIM_MULTIPART_PARTS
 * parts, part headers at most LIM_MULTIPART_HEADER_BYTES, no copying of
 * part bodies (they point into the body given), names and file names
 * copied into the caller's arena. */
#ifndef PARLEY_MULTIPART_H
#define PARLEY_MULTIPART_H

#include <stddef.h>

#include "../base/arena.h"
#include "../base/err.h"

struct mp_part {
	const char *name;     /* form field name */
	const char *filename; /* NULL for a plain field; may be "" */
	const char *type;     /* Content-Type of the part, "" if none */
	const char *data;     /* points into the body */
	size_t len;
};

/* The boundary parameter of a Content-Type header value (1..70 bytes,
 * quoted or not), arena-owned; P_BADINPUT if there is none. */
enum perr multipart_boundary(struct arena *a, const char *content_type,
    const char **boundary);

/* Parse body. P_TOOBIG for too many parts or an oversized part header;
 * P_BADINPUT for anything malformed (missing delimiters, no closing
 * delimiter, a part without a name). */
enum perr multipart_parse(struct arena *a, const char *body, size_t len,
    const char *boundary, struct mp_part **out, size_t *n);

#endif
