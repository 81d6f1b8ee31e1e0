/* compress.c: see compress.h. */
#include "compress.h"

#include <brotli/encode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZIP_LEVEL 6
#define BROTLI_QUALITY 5

enum perr
compress_gzip(const void *in, size_t len, struct buf *out)
{
	z_stream z;
	unsigned char chunk[16384];
	enum perr e = P_OK;
	int rc;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper rather than zlib's. */
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return P_NOMEM;
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	if ((size_t)z.avail_in != len) {
		deflateEnd(&z);
		return P_TOOBIG;
	}
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		if (rc == Z_STREAM_ERROR) {
			e = P_IO;
			break;
		}
		if ((e = buf_add(out, chunk, sizeof(chunk) - z.avail_out)) !=
		    P_OK)
			break;
	} while (rc != Z_STREAM_END);
	deflateEnd(&z);
	return e;
}

enum perr
compress_brotli(const void *in, size_t len, struct buf *out)
{
	size_t n = BrotliEncoderMaxCompressedSize(len);
	int lgwin = BROTLI_MIN_WINDOW_BITS;
	uint8_t *tmp;
	enum perr e;

	if (n == 0)
		return P_TOOBIG;
	/* A window no larger than the input: the encoder's tables (set up
	 * on every call, and http/ compresses uncached answers per request)
	 * scale with it, and a bigger one finds nothing more. */
	while (lgwin < BROTLI_DEFAULT_WINDOW && ((size_t)1 << lgwin) < len)
		lgwin++;
	if ((tmp = malloc(n)) == NULL)
		abort(); /* small internal allocation (STYLE) */
	if (!BrotliEncoderCompress(BROTLI_QUALITY, lgwin,
	    BROTLI_MODE_TEXT, len, in, &n, tmp))
		e = P_IO;
	else
		e = buf_add(out, tmp, n);
	free(tmp);
	return e;
}
