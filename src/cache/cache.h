/* cache.h: rendered pages in memory, shared by every serving thread.
 *
 * An entry maps a key (the request target, e.g. "/2026/10/14/slug/") to
 * bytes the http layer hands over: the identity body, optional gzip and
 * brotli variants, a strong ETag per variant (made by http/encode.c, the
 * one place that decides validators), Last-Modified, a content type, a label (the
 * route, for metrics), an owner id and splice offsets (where the owner may
 * put per-reader bytes), an expiry time, and dependency tags naming what
 * the page shows ("post:12", "front", "cat:europe", "site").
 *
 * Invariants:
 * - Entries are immutable once put, and reference counted: cache_get()
 *   and cache_put() hand out a held entry that stays valid (bytes and
 *   all) until cache_release(), even if it is evicted or invalidated in
 *   between. The cache owns every entry; callers never free one.
 * - Bounded: the bytes of all entries stay under max_bytes; the least
 *   recently used entries are evicted first. An entry larger than an
 *   eighth of the bound is not stored.
 * - No stale page: cache_invalidate(tag) drops every entry carrying the
 *   tag before it returns. Each invalidation bumps a generation counter;
 *   a renderer reads cache_generation() before it reads the store and
 *   passes it to cache_put(), which stores nothing if any invalidation
 *   happened in between to one of its tags (the render may have read
 *   old data), or a cache_clear().
 * - Thread-safe: one mutex guards the table, the LRU list and the
 *   counters; it is held for a lookup or an unlink, never while bytes
 *   are copied out or compressed. */
#ifndef PARLEY_CACHE_H
#define PARLEY_CACHE_H

#include <stddef.h>
#include <stdint.h>

enum cache_enc { CACHE_IDENTITY = 0, CACHE_GZIP, CACHE_BR, CACHE_NENC };

/* Splice points an entry may carry (article pages use four). */
#define CACHE_MAX_SLOTS 8
/* Tags an entry may carry (a listing page: its posts + a few). */
#define CACHE_MAX_TAGS 24
/* Longest ETag, quotes included. */
#define CACHE_ETAG_BYTES 40

struct cache_variant {
	const char *data; /* NULL when the variant is absent */
	size_t len;
	char etag[CACHE_ETAG_BYTES]; /* "\"...\"", strong; "" = none */
};

struct cache_entry {
	const char *key;
	struct cache_variant v[CACHE_NENC];
	const char *content_type;
	const char *headers; /* more headers, "Name\tvalue\n" lines, or "" */
	const char *label;
	int64_t owner;    /* an id the owner attached (article: post id) */
	int64_t expires;  /* unix seconds; 0 = only invalidation ends it */
	int64_t last_modified; /* unix seconds; -1 = none */
	size_t nslots;
	size_t slot[CACHE_MAX_SLOTS]; /* offsets into v[CACHE_IDENTITY] */
};

/* What cache_put() copies into a new entry. Variants with data NULL are
 * absent; identity is required. */
struct cache_put {
	const char *key;
	const void *body;
	size_t len;
	const void *gz, *br;
	size_t gzlen, brlen;
	const char *content_type;
	const char *headers;
	const char *label;
	int64_t owner;
	int64_t expires;
	int64_t last_modified;
	const char *etag[CACHE_NENC]; /* one per variant present */
	const char *const *tags;
	size_t ntags;
	const size_t *slot;
	size_t nslots;
	uint64_t generation; /* from cache_generation() before rendering */
};

struct cache_stats {
	uint64_t hits, misses, inserts, evictions, invalidations, expired;
	uint64_t stale_puts; /* puts refused: an invalidation raced them */
	uint64_t coalesced;  /* misses that waited for another's render */
	uint64_t entries, bytes, max_bytes;
};

struct cache;

/* max_bytes bounds the entries' total size (bytes of all variants plus
 * bookkeeping). Caller frees with cache_free(), after every held entry
 * was released. Allocation failure aborts. */
struct cache *cache_new(size_t max_bytes);
void cache_free(struct cache *c);

/* The held entry for key, or NULL (a miss). now drops an expired entry.
 * Counts a hit or a miss. */
const struct cache_entry *cache_get(struct cache *c, const char *key,
    int64_t now);
/* cache_get() for a renderer. On a miss while another thread renders
 * the same key (it claimed it), waits up to wait_ms for that render and
 * looks again, so a page dropped under many readers is rendered once,
 * not once per reader. On a miss with no render in progress, claims the
 * key (*claim = 1): the caller renders, puts what it may, and then must
 * call cache_done(). A wait that times out returns NULL unclaimed. A
 * waiter never gets a page older than its own request: a render that
 * saw a write land while it ran is not stored (cache_put), and the
 * waiter then renders itself. */
const struct cache_entry *cache_get_claim(struct cache *c, const char *key,
    int64_t now, int wait_ms, int *claim);
/* keep: the render was a page to cache (stored or not: a put refused as
 * stale still counts). A key whose last render was not is neither
 * waited for nor claimed until one is. */
void cache_done(struct cache *c, const char *key, int keep);
/* Let go of an entry from cache_get() or cache_put(). */
void cache_release(struct cache *c, const struct cache_entry *e);

uint64_t cache_generation(struct cache *c);
/* Copy p into a new entry, replacing one with the same key, and return it
 * held; NULL if nothing was stored (too large, too many tags or slots, or
 * one of its tags was invalidated after p->generation). */
const struct cache_entry *cache_put(struct cache *c,
    const struct cache_put *p);
/* Drop every entry carrying tag; returns how many were dropped. */
size_t cache_invalidate(struct cache *c, const char *tag);
/* Drop everything (another process changed the store). */
void cache_clear(struct cache *c);
void cache_stats(struct cache *c, struct cache_stats *out);

#endif
