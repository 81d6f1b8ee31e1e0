/* pagecache.h: the http side of the page cache (cache/cache.h holds the
 * pages): which requests it may answer, noticing writes made by other
 * processes, turning a shared response into an entry with its compressed
 * variants. What to send (encoding, validators, 304) is encode.c's rule,
 * applied to the stored variants. Internal to http/. */
#ifndef PARLEY_PAGECACHE_H
#define PARLEY_PAGECACHE_H

#include "../cache/cache.h"
#include "../handler/app.h"

/* Before answering a GET: read the store's change log if the store moved
 * since the last request, and drop the pages the changes touched. This
 * is how writes by other processes (the CLI) show on the next request. */
void pc_sync(struct app *app);
/* Make an entry of a shared response (rs->shared, status 200) to rq: its
 * bytes, gzip and brotli variants with the ETags and Last-Modified
 * encode.c gives (so a hit answers exactly as a render would), tags,
 * slots and headers. NULL if the cache did not take it (an invalidation
 * raced the render, too large). */
const struct cache_entry *pc_put(struct app *app, struct req *rq,
    const char *key, const struct resp *rs, uint64_t generation);
/* The variant to send for this Accept-Encoding header: encode.c's
 * choice, identity when that copy is absent. */
enum cache_enc pc_choose(const char *accept_encoding,
    const struct cache_entry *e);

#endif
