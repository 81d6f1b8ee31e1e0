/* pagecache.c: see pagecache.h. */
#include "pagecache.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../base/log.h"
#include "../cache/compress.h"

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
	size_t n, i;
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
		if (ids[i] == 0) {
			cache_clear(app->cache);
			break;
		}
		cache_invalidate(app->cache, tag_post(&a, ids[i]));
	}
	arena_free(&a);
	seen_change = last;
	seen_version = v;
	pthread_mutex_unlock(&sync_mu);
}

const struct cache_entry *
pc_put(struct app *app, const char *key, const struct resp *rs,
    uint64_t generation)
{
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

/* q-value of coding in an Accept-Encoding header: -1 if not named (and
 * no "*"), else 0..1000. Parses "gzip;q=0.5, br, *;q=0". */
static int
qvalue(const char *ae, const char *coding)
{
	size_t cl = strlen(coding);
	int star = -1, q;
	const char *p = ae;

	while (*p) {
		const char *tok, *end;
		size_t tl;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		tl = (size_t)(p - tok);
		q = 1000;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		{
			const char *qs = strstr(p, "q=");

			if (qs && qs < end) {
				int whole = qs[2] == '1', frac = 0, k;

				for (k = 0, qs += 2; *qs && qs < end &&
				    *qs != '.'; qs++)
					;
				if (*qs == '.' && qs < end)
					for (qs++, k = 0; k < 3 && qs < end &&
					    *qs >= '0' && *qs <= '9'; k++, qs++)
						frac = frac * 10 + (*qs - '0');
				for (; k < 3; k++)
					frac *= 10;
				q = whole ? 1000 : frac;
			}
		}
		if (tl == cl && strncasecmp(tok, coding, cl) == 0)
			return q;
		if (tl == 1 && *tok == '*')
			star = q;
		p = end;
	}
	return star;
}

enum cache_enc
pc_choose(const char *ae, const struct cache_entry *e)
{
	if (ae == NULL || *ae == '\0')
		return CACHE_IDENTITY;
	if (e->v[CACHE_BR].data && qvalue(ae, "br") > 0)
		return CACHE_BR;
	if (e->v[CACHE_GZIP].data && qvalue(ae, "gzip") > 0)
		return CACHE_GZIP;
	return CACHE_IDENTITY;
}

int
pc_etag_matches(const char *inm, const char *etag)
{
	size_t el = strlen(etag);
	const char *p = inm;

	if (inm == NULL)
		return 0;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		/* A weak validator compares weakly for GET (RFC 9110). */
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (strncmp(p, etag, el) == 0 &&
		    (p[el] == '\0' || p[el] == ',' || p[el] == ' ' ||
		    p[el] == '\t'))
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}
