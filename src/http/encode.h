/* encode.h: what happens to an answer between the handler and the wire,
 * in one place for every kind of response: the content coding chosen from
 * Accept-Encoding (gzip through zlib, brotli through libbrotlienc), the
 * validators (a strong ETag that hashes the exact bytes sent, so each
 * coding has its own; Last-Modified) and conditional requests
 * (If-None-Match, If-Modified-Since → 304 without a body).
 *
 * The parsers read untrusted header values; they are small, bounded and
 * pure (fuzz target: tests/fuzz/fuzz_http_hdr.c). */
#ifndef PARLEY_ENCODE_H
#define PARLEY_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/str.h"
#include "../handler/app.h"

enum coding { CODING_IDENTITY = 0, CODING_GZIP, CODING_BR };

/* "gzip", "br", or NULL for identity. */
const char *enc_coding_name(enum coding c);

/* The coding to send for this Accept-Encoding value (RFC 9110 12.5.3):
 * highest q wins; on a tie brotli, then gzip, then identity. An absent
 * header, or one that refuses everything, gives identity. */
enum coding enc_choose(const char *accept_encoding);

/* True for media types worth compressing (text, JSON, XML, SVG). */
int enc_compressible(const char *content_type);

/* Compresses in[0..n) into out (reset first). P_OK, or an error after
 * which the caller sends the identity bytes. */
enum perr enc_compress(enum coding c, const char *in, size_t n,
    struct buf *out);

/* Strong ETag text including quotes: a hash (BLAKE2b-128) of the exact
 * bytes data[0..n) sent, so each coding of a body has its own. Every
 * answer's ETag is made here, the page cache's stored variants' too.
 * ENC_ETAG_BYTES leaves room for a handler's own tag (a SHA-256 in hex,
 * quoted, with a coding suffix). */
#define ENC_ETAG_BYTES 80
void enc_etag(const char *data, size_t n, char out[ENC_ETAG_BYTES]);

/* True if an If-None-Match value matches etag by weak comparison (RFC
 * 9110 13.1.2): "*", or any listed tag equal once W/ is ignored. */
int enc_none_match(const char *if_none_match, const char *etag);

/* Last-Modified of a handler's answer, unix seconds: rs->last_modified,
 * or app_last_modified() when the handler left it 0; -1 = none. */
int64_t enc_last_modified(struct app *app, struct req *rq,
    const struct resp *rs);

/* The conditional-request rule, the same for cached and uncached answers:
 * writes the Last-Modified date to send for lm (at most the previous
 * second; "" when lm <= 0) and returns 1 when the answer is 304 (RFC 9110
 * 13.2.2: If-None-Match decides when present, by weak comparison with
 * etag; otherwise If-Modified-Since, a valid date not in the future). */
int enc_conditions(struct req *rq, const char *etag, int64_t lm,
    int64_t now, char last_modified[STR_HTTP_DATE_BYTES]);

/* What enc_prepare decided. */
struct enc_out {
	int not_modified;  /* answer 304 with no body */
	const char *coding; /* Content-Encoding value, NULL for identity */
	int vary;          /* add Vary: Accept-Encoding */
	char etag[ENC_ETAG_BYTES];                 /* "" = none */
	char last_modified[STR_HTTP_DATE_BYTES];   /* "" = none */
};

/* For a 200 answer to GET or HEAD: compress rs->body in place when the
 * client accepts it and it pays, compute the validators, and evaluate the
 * request's conditions. Other answers get nothing (o zeroed). The one
 * place that answers 304: a handler that has a validator already sets
 * rs->etag (media), and an answer with "Cache-Control: no-store" (admin
 * pages) gets no validators at all, so no condition can match it. */
void enc_prepare(struct app *app, struct req *rq, struct resp *rs,
    struct enc_out *o);

#endif
