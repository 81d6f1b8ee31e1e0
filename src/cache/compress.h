/* compress.h: the one gzip (zlib) and brotli encoder: used once per page
 * when a page enters the cache (so every later reader gets the copies for
 * free) and per answer by http/encode.c for what is not cached. Equal input
 * gives equal bytes (gzip's mtime stays 0), which strong ETags rely on.
 * Output is appended to a struct buf the caller owns. */
#ifndef PARLEY_COMPRESS_H
#define PARLEY_COMPRESS_H

#include <stddef.h>

#include "../base/buf.h"
#include "../base/err.h"

/* Bodies shorter than this are sent as they are: the headers would eat
 * the saving. */
#define COMPRESS_MIN_BYTES 256

/* gzip (RFC 1952) at zlib level 6. */
enum perr compress_gzip(const void *in, size_t len, struct buf *out);
/* brotli (RFC 7932), quality 5, text mode: close to gzip -9's size at
 * about gzip -6's speed, which suits pages compressed once per change. */
enum perr compress_brotli(const void *in, size_t len, struct buf *out);

#endif
