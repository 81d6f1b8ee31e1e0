/* compress.h: gzip (zlib) and brotli encodings of a page, made once when
 * the page enters the cache so every later reader gets them for free.
 * Self-contained on purpose: the http layer's on-the-fly compression
 * (issue 5) may share it. Output is appended to a struct buf the caller
 * owns. */
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
