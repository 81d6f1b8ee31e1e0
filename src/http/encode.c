#include "encode.h"

#include <sodium.h>
#include <xxhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../cache/compress.h"

/* Longest header value the parsers look at; a longer one is treated as
 * absent (no legitimate client sends more). */
#define HDR_MAX 4096

const char *
enc_coding_name(enum coding c)
{
	switch (c) {
	case CODING_GZIP:
		return "gzip";
	case CODING_BR:
		return "br";
	default:
		return NULL;
	}
}

static int
ows(char c)
{
	return c == ' ' || c == '\t';
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), as an
 * integer 0..1000; -1 if malformed. */
static int
qvalue(const char *s, size_t n)
{
	size_t i;
	int v, scale = 100;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v += (s[i] - '0') * scale;
		scale /= 10;
	}
	return v > 1000 ? -1 : v;
}

enum coding
enc_choose(const char *ae)
{
	/* q per candidate; -1 = not mentioned. */
	int q_br = -1, q_gzip = -1, q_id = -1, q_star = -1;
	const char *p = ae;
	int best_q;
	enum coding best;

	if (ae == NULL || strlen(ae) > HDR_MAX)
		return CODING_IDENTITY;
	while (*p) {
		const char *tok, *end;
		size_t tlen;
		int q = 1000;

		while (*p == ',' || ows(*p))
			p++;
		if (*p == '\0')
			break;
		tok = p;
		while (*p && *p != ',' && *p != ';' && !ows(*p))
			p++;
		tlen = (size_t)(p - tok);
		/* Parameters: only q matters; anything malformed makes the
		 * element count as q=0 (never chosen) rather than 1. */
		while (*p && *p != ',') {
			while (ows(*p))
				p++;
			if (*p != ';') {
				if (*p && *p != ',') {
					q = 0;
					while (*p && *p != ',')
						p++;
				}
				break;
			}
			p++;
			while (ows(*p))
				p++;
			end = p;
			while (*end && *end != ',' && *end != ';' && !ows(*end))
				end++;
			if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
				q = qvalue(p + 2, (size_t)(end - p - 2));
				if (q < 0)
					q = 0;
			}
			p = end;
		}
		if (tlen == 2 && !strncasecmp(tok, "br", 2))
			q_br = q;
		else if ((tlen == 4 && !strncasecmp(tok, "gzip", 4)) ||
		    (tlen == 6 && !strncasecmp(tok, "x-gzip", 6)))
			q_gzip = q;
		else if (tlen == 8 && !strncasecmp(tok, "identity", 8))
			q_id = q;
		else if (tlen == 1 && tok[0] == '*')
			q_star = q;
	}
	if (q_br < 0)
		q_br = q_star >= 0 ? q_star : 0;
	if (q_gzip < 0)
		q_gzip = q_star >= 0 ? q_star : 0;
	/* Identity is acceptable unless refused, but least preferred when
	 * it is not named. */
	if (q_id < 0)
		q_id = q_star == 0 ? 0 : 1;
	best = CODING_IDENTITY;
	best_q = q_id;
	if (q_gzip > 0 && q_gzip >= best_q) {
		best = CODING_GZIP;
		best_q = q_gzip;
	}
	if (q_br > 0 && q_br >= best_q)
		best = CODING_BR;
	return best;
}

int
enc_compressible(const char *ct)
{
	static const char *const types[] = { "text/", "application/json",
		"application/feed+json", "application/xml",
		"application/rss+xml", "application/atom+xml",
		"application/javascript", "image/svg+xml" };
	size_t i;

	if (ct == NULL)
		return 0;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strncasecmp(ct, types[i], strlen(types[i])))
			return 1;
	return 0;
}

enum perr
enc_compress(enum coding c, const char *in, size_t n, struct buf *out)
{
	if ((uint64_t)n > UINT32_MAX)
		return P_TOOBIG;
	buf_reset(out);
	switch (c) {
	case CODING_GZIP:
		return compress_gzip(in, n, out);
	case CODING_BR:
		return compress_brotli(in, n, out);
	default:
		return P_BADINPUT;
	}
}

/* XXH3-128 of the bytes: the tag only has to change whenever the bytes
 * do, and at ~0.1 instruction a byte it costs nothing next to rendering
 * (BLAKE2b was 12% of an uncached article). A collision would need
 * crafted page bytes and would earn a reader one stale 304, not access. */
void
enc_etag(const char *data, size_t n, char out[ENC_ETAG_BYTES])
{
	XXH128_canonical_t md;
	size_t k;

	XXH128_canonicalFromHash(&md, XXH3_128bits(data, n));
	out[0] = '"';
	sodium_bin2hex(out + 1, ENC_ETAG_BYTES - 2, md.digest,
	    sizeof(md.digest));
	k = 1 + 2 * sizeof(md.digest);
	out[k] = '"';
	out[k + 1] = '\0';
}

/* The opaque-tag of etag with any W/ removed: pointer and length. */
static void
opaque(const char *t, size_t n, const char **o, size_t *on)
{
	if (n >= 2 && t[0] == 'W' && t[1] == '/') {
		t += 2;
		n -= 2;
	}
	*o = t;
	*on = n;
}

int
enc_none_match(const char *inm, const char *etag)
{
	const char *p = inm, *want;
	size_t wn;

	if (inm == NULL || etag == NULL || *etag == '\0' ||
	    strlen(inm) > HDR_MAX)
		return 0;
	opaque(etag, strlen(etag), &want, &wn);
	while (*p) {
		const char *start, *o;
		size_t on;

		while (*p == ',' || ows(*p))
			p++;
		if (*p == '\0')
			break;
		if (*p == '*') {
			/* "*" alone matches any current representation. */
			const char *q = p + 1;

			while (ows(*q))
				q++;
			if (*q == '\0' || *q == ',')
				return 1;
		}
		start = p;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"') {
			/* Not an entity-tag: skip to the next element. */
			while (*p && *p != ',')
				p++;
			continue;
		}
		p++;
		while (*p && *p != '"')
			p++;
		if (*p != '"')
			return 0; /* unterminated: ignore the rest */
		p++;
		opaque(start, (size_t)(p - start), &o, &on);
		if (on == wn && memcmp(o, want, wn) == 0)
			return 1;
	}
	return 0;
}

/* Value of the response header name set by the handler, or NULL. */
static const char *
resp_get(const struct resp *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nheaders; i++)
		if (!strcasecmp(rs->hname[i], name))
			return rs->hval[i];
	return NULL;
}

/* The handler's own strong validator (of the identity bytes) for the
 * bytes sent in coding c: a coded copy gets its own tag. 0 if it is not
 * a quoted tag that fits (the body is hashed instead). */
static int
given_etag(const char *tag, enum coding c, char out[ENC_ETAG_BYTES])
{
	size_t n = strlen(tag);
	int w;

	if (n < 2 || tag[0] != '"' || tag[n - 1] != '"')
		return 0;
	if (c == CODING_IDENTITY)
		w = snprintf(out, ENC_ETAG_BYTES, "%s", tag);
	else
		w = snprintf(out, ENC_ETAG_BYTES, "%.*s-%s\"", (int)(n - 1),
		    tag, enc_coding_name(c));
	if (w < 0 || w >= ENC_ETAG_BYTES) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}

/* Cache-Control says no copy is kept (admin pages, status pages). */
static int
no_store(const struct resp *rs)
{
	const char *cc = resp_get(rs, "Cache-Control");

	return cc && strcasestr(cc, "no-store") != NULL;
}

int64_t
enc_last_modified(struct app *app, struct req *rq, const struct resp *rs)
{
	if (rs->last_modified == 0)
		return app_last_modified(app, rq);
	return rs->last_modified;
}

int
enc_conditions(struct req *rq, const char *etag, int64_t lm, int64_t now,
    char last_modified[STR_HTTP_DATE_BYTES])
{
	const char *inm, *imss;
	int64_t ims;

	last_modified[0] = '\0';
	/* A date only validates the seconds that are over: a change later
	 * in this very second would carry the same date. So the date sent
	 * is at most the previous second; all changes up to it are in this
	 * body, and a later If-Modified-Since compares with the true time,
	 * so this can cost an extra 200, never a wrong 304. */
	if (lm > 0)
		str_http_date(lm < now ? lm : now - 1, last_modified);
	/* RFC 9110 13.2.2: If-None-Match decides when present; otherwise
	 * If-Modified-Since, if it is a valid date not in the future. */
	inm = rq->header(rq, "If-None-Match");
	if (inm)
		return enc_none_match(inm, etag);
	return last_modified[0] &&
	    (imss = rq->header(rq, "If-Modified-Since")) != NULL &&
	    str_parse_http_date(imss, &ims) == P_OK && ims <= now && lm <= ims;
}

void
enc_prepare(struct app *app, struct req *rq, struct resp *rs,
    struct enc_out *o)
{
	enum coding c = CODING_IDENTITY;
	int64_t now = (int64_t)time(NULL);
	struct buf z;

	memset(o, 0, sizeof(*o));
	if ((rq->method != M_GET && rq->method != M_HEAD) || rs->status != 200)
		return;
	if (enc_compressible(rs->content_type) &&
	    resp_get(rs, "Content-Encoding") == NULL) {
		o->vary = 1;
		if (rs->body.len >= COMPRESS_MIN_BYTES)
			c = enc_choose(rq->header(rq, "Accept-Encoding"));
	}
	if (c != CODING_IDENTITY) {
		buf_init(&z, 0);
		if (enc_compress(c, rs->body.data, rs->body.len, &z) == P_OK &&
		    z.len < rs->body.len) {
			buf_free(&rs->body);
			rs->body = z;
			o->coding = enc_coding_name(c);
		} else {
			buf_free(&z);
			c = CODING_IDENTITY;
		}
	}
	/* A page nobody may keep has nothing to revalidate: no validators,
	 * no 304 (a login's pages must not answer a condition). */
	if (no_store(rs))
		return;
	if (!(rs->etag && given_etag(rs->etag, c, o->etag)))
		enc_etag(rs->body.data ? rs->body.data : "", rs->body.len,
		    o->etag);
	o->not_modified = enc_conditions(rq, o->etag,
	    enc_last_modified(app, rq, rs), now, o->last_modified);
}
