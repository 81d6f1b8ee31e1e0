#include "multipart.h"

#include <string.h>
#include <strings.h>

#include "../base/limits.h"

#define BOUNDARY_MAX 70

enum perr
multipart_boundary(struct arena *a, const char *ct, const char **boundary)
{
	const char *p;
	size_t n;

	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return P_BADINPUT;
	for (p = ct + 19; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		if (*p == '"') {
			const char *q = strchr(++p, '"');

			if (q == NULL)
				return P_BADINPUT;
			n = (size_t)(q - p);
		} else
			n = strcspn(p, "; \t");
		if (n == 0 || n > BOUNDARY_MAX)
			return P_BADINPUT;
		*boundary = arena_strndup(a, p, n);
		return P_OK;
	}
	return P_BADINPUT;
}

/* Value of parameter name (name="value" or name=token) in a
 * Content-Disposition value h[0..n), arena-owned; NULL if absent. */
static const char *
param(struct arena *a, const char *h, size_t n, const char *name)
{
	size_t nl = strlen(name), i = 0;

	while (i < n) {
		/* Parameters follow ';'. */
		while (i < n && h[i] != ';')
			i++;
		if (i >= n)
			break;
		i++;
		while (i < n && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (n - i > nl && strncasecmp(h + i, name, nl) == 0 &&
		    h[i + nl] == '=') {
			size_t s, k;
			char *out, *o;

			i += nl + 1;
			if (i < n && h[i] == '"') {
				s = ++i;
				while (i < n && h[i] != '"') {
					if (h[i] == '\\' && i + 1 < n)
						i++;
					i++;
				}
				if (i >= n)
					return NULL; /* unterminated */
				out = o = arena_alloc(a, i - s + 1);
				for (k = s; k < i; k++) {
					if (h[k] == '\\' && k + 1 < i)
						k++;
					*o++ = h[k];
				}
				*o = '\0';
				return out;
			}
			s = i;
			while (i < n && h[i] != ';' && h[i] != ' ')
				i++;
			return arena_strndup(a, h + s, i - s);
		}
	}
	return NULL;
}

/* Parse the header block h[0..n) of one part into p. */
static enum perr
part_headers(struct arena *a, const char *h, size_t n, struct mp_part *p)
{
	size_t i = 0;

	p->name = NULL;
	p->filename = NULL;
	p->type = "";
	while (i < n) {
		const char *line = h + i, *eol;
		size_t ll;

		eol = memchr(line, '\r', n - i);
		ll = eol ? (size_t)(eol - line) : n - i;
		if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) ==
		    0) {
			const char *v = line + 20;
			size_t vl = ll - 20;

			while (vl && (*v == ' ' || *v == '\t')) {
				v++;
				vl--;
			}
			if (vl < 9 || strncasecmp(v, "form-data", 9) != 0)
				return P_BADINPUT;
			p->name = param(a, v, vl, "name");
			p->filename = param(a, v, vl, "filename");
		} else if (ll > 13 && strncasecmp(line, "Content-Type:", 13) ==
		    0) {
			const char *v = line + 13;
			size_t vl = ll - 13;

			while (vl && (*v == ' ' || *v == '\t')) {
				v++;
				vl--;
			}
			p->type = arena_strndup(a, v, vl > 100 ? 100 : vl);
		}
		/* Other headers (Content-Transfer-Encoding, ...) ignored. */
		i += ll;
		if (i + 1 < n && h[i] == '\r' && h[i + 1] == '\n')
			i += 2;
		else if (i < n)
			return P_BADINPUT; /* bare CR */
	}
	if (p->name == NULL || p->name[0] == '\0')
		return P_BADINPUT;
	return P_OK;
}

enum perr
multipart_parse(struct arena *a, const char *body, size_t len,
    const char *boundary, struct mp_part **out, size_t *n)
{
	struct mp_part *parts;
	char *delim;
	size_t bl, dl, pos, count = 0;
	const char *hit;

	if (boundary == NULL || (bl = strlen(boundary)) == 0 ||
	    bl > BOUNDARY_MAX)
		return P_BADINPUT;
	/* "\r\n--" BOUNDARY: the first one may lack the CRLF. */
	delim = arena_alloc(a, bl + 5);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bl);
	dl = bl + 4;
	parts = arena_alloc(a, sizeof(*parts) * LIM_MULTIPART_PARTS);
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
		pos = dl - 2;
	else {
		/* A preamble before the first delimiter is allowed. */
		hit = memmem(body, len, delim, dl);
		if (hit == NULL)
			return P_BADINPUT;
		pos = (size_t)(hit - body) + dl;
	}
	for (;;) {
		const char *hend, *dend;
		size_t hlen, dstart;
		enum perr e;

		/* After a delimiter: "--" ends, CRLF starts a part. */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			break;
		/* Linear whitespace may follow a delimiter (RFC 2046). */
		while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			return P_BADINPUT;
		pos += 2;
		if (count == LIM_MULTIPART_PARTS)
			return P_TOOBIG;
		/* Headers end at an empty line. */
		if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n')
			hend = body + pos; /* no headers at all */
		else {
			size_t lim = len - pos;

			if (lim > LIM_MULTIPART_HEADER_BYTES + 4)
				lim = LIM_MULTIPART_HEADER_BYTES + 4;
			hend = memmem(body + pos, lim, "\r\n\r\n", 4);
			if (hend == NULL)
				return lim < len - pos ? P_TOOBIG : P_BADINPUT;
			hend += 2; /* keep the last header's CRLF */
		}
		hlen = (size_t)(hend - (body + pos));
		if (hlen > LIM_MULTIPART_HEADER_BYTES)
			return P_TOOBIG;
		if ((e = part_headers(a, body + pos, hlen, &parts[count])) !=
		    P_OK)
			return e;
		dstart = pos + hlen + 2;
		if (dstart > len)
			return P_BADINPUT;
		dend = memmem(body + dstart, len - dstart, delim, dl);
		if (dend == NULL)
			return P_BADINPUT; /* no closing delimiter */
		parts[count].data = body + dstart;
		parts[count].len = (size_t)(dend - (body + dstart));
		count++;
		pos = (size_t)(dend - body) + dl;
	}
	*out = parts;
	*n = count;
	return P_OK;
}
