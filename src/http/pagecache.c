/* pagecache.c: see pagecache.h. */
#include "pagecache.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../base/log.h"
#include "../cache/compress.h"
#include "encode.h"

/* Change-log position this process has applied; guarded by sync_mu so two
 * threads never apply the same changes twice or skip some. */
static pthread_mutex_t sync_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t seen_version = -1, seen_change = -1;

/* Most changes read at once; more than this pending drops every page. */
#define SYNC_MAX 256

void
pc_sync(struct app *app)
{
	int64_t v, last, ids[SYNC_MAX];
	struct arena a;
	size_t n, i, posts = 0;
	enum perr e;

	if (app->cache == NULL)
		return;
	if (store_data_version(app->store, &v) != P_OK) {
		cache_clear(app->cache); /* cannot tell: be safe */
		return;
	}
	pthread_mutex_lock(&sync_mu);
	if (v == seen_version) {
		pthread_mutex_unlock(&sync_mu);
		return;
	}
	e = store_changes_since(app->store, seen_change, ids, SYNC_MAX, &n,
	    &last);
	if (seen_change < 0 || e != P_OK) {
		/* First request (nothing cached before it could matter), a
		 * log pruned past us, or too much at once. */
		if (seen_change >= 0)
			cache_clear(app->cache);
		if (e == P_OK || e == P_CONFLICT)
			seen_change = last;
		if (e == P_OK || e == P_CONFLICT)
			seen_version = v;
		pthread_mutex_unlock(&sync_mu);
		return;
	}
	arena_init(&a);
	for (i = 0; i < n; i++) {
		if (ids[i] < 0)
			continue; /* a held comment: no shared page shows it */
		if (ids[i] == 0) {
			cache_clear(app->cache);
			break;
		}
		cache_invalidate(app->cache, tag_post(&a, ids[i]));
		posts++;
	}
	/* A post's own change is a comment's (or its open state): the
	 * pages of every article's comments, and search results, go too,
	 * once for the lot. */
	if (posts > 0)
		cache_invalidate(app->cache, TAG_COMMENTS);
	arena_free(&a);
	seen_change = last;
	seen_version = v;
	pthread_mutex_unlock(&sync_mu);
}

const struct cache_entry *
pc_put(struct app *app, struct req *rq, const char *key,
    const struct resp *rs, uint64_t generation)
{
	char etag[CACHE_NENC][ENC_ETAG_BYTES];
	struct cache_put p;
	struct buf gz, br, hdrs;
	const struct cache_entry *e;
	size_t i;

	memset(&p, 0, sizeof(p));
	buf_init(&gz, 0);
	buf_init(&br, 0);
	buf_init(&hdrs, 0);
	p.key = key;
	p.body = rs->body.data ? rs->body.data : "";
	p.len = rs->body.len;
	/* Kept only when smaller; slotted pages are spliced per reader
	 * from the identity bytes, and their variants serve the rest. */
	if (p.len >= COMPRESS_MIN_BYTES) {
		if (compress_gzip(p.body, p.len, &gz) == P_OK && gz.len < p.len) {
			p.gz = gz.data;
			p.gzlen = gz.len;
		}
		if (compress_brotli(p.body, p.len, &br) == P_OK &&
		    br.len < p.len) {
			p.br = br.data;
			p.brlen = br.len;
		}
	}
	/* The validators encode.c would give each of these answers. */
	enc_etag(p.body, p.len, etag[CACHE_IDENTITY]);
	p.etag[CACHE_IDENTITY] = etag[CACHE_IDENTITY];
	if (p.gz) {
		enc_etag(p.gz, p.gzlen, etag[CACHE_GZIP]);
		p.etag[CACHE_GZIP] = etag[CACHE_GZIP];
	}
	if (p.br) {
		enc_etag(p.br, p.brlen, etag[CACHE_BR]);
		p.etag[CACHE_BR] = etag[CACHE_BR];
	}
	p.last_modified = enc_last_modified(app, rq, rs);
	for (i = 0; i < rs->nheaders; i++)
		buf_printf(&hdrs, "%s\t%s\n", rs->hname[i], rs->hval[i]);
	p.headers = hdrs.data ? hdrs.data : "";
	p.content_type = rs->content_type;
	p.label = rs->route;
	p.owner = rs->owner;
	p.expires = rs->expires;
	p.tags = rs->tags;
	p.ntags = rs->ntags;
	p.slot = rs->slot;
	p.nslots = rs->nslots;
	p.generation = generation;
	e = cache_put(app->cache, &p);
	buf_free(&gz);
	buf_free(&br);
	buf_free(&hdrs);
	return e;
}

enum cache_enc
pc_choose(const char *ae, const struct cache_entry *e)
{
	/* encode.c's choice, so cached and uncached answers agree; a copy
	 * that did not come out smaller is absent: identity then, as
	 * encode.c sends too. */
	switch (enc_choose(ae)) {
	case CODING_BR:
		return e->v[CACHE_BR].data ? CACHE_BR : CACHE_IDENTITY;
	case CODING_GZIP:
		return e->v[CACHE_GZIP].data ? CACHE_GZIP : CACHE_IDENTITY;
	default:
		return CACHE_IDENTITY;
	}
}
