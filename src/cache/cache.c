/* cache.c: the page cache (see cache.h). A chained hash table over keys,
 * a doubly linked LRU list, and per entry one allocation holding the
 * public struct, its strings, its tags and its bytes. */
#include "cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct node {
	struct cache_entry pub; /* first: a public pointer is a node pointer */
	atomic_uint refs;       /* 1 for the table while linked, +1 per holder */
	int linked;
	uint64_t khash;
	struct node *hnext;         /* hash chain */
	struct node *prev, *next;   /* LRU list: head = most recent */
	size_t size;                /* what it counts against max_bytes */
	size_t ntags;
	uint64_t taghash[CACHE_MAX_TAGS];
	const char *tag[CACHE_MAX_TAGS];
};

/* Generation of the last invalidation of each tag, by tag hash (a
 * collision only makes a put more cautious). Lets a put be refused only
 * when one of its own tags was invalidated while it rendered. */
#define TAGGEN_SLOTS 4096

/* A render in progress for a key (cache_get_claim to cache_done). */
struct flight {
	uint64_t khash;
	char *key;
	struct flight *next;
};

/* Keys whose last render was not a page to keep (an error, a personal
 * page), by hash: their readers do not wait for each other. */
#define SOLO_SLOTS 256

struct cache {
	pthread_mutex_t mu; /* everything below */
	pthread_cond_t landed; /* a flight ended */
	struct flight *flights;
	uint64_t solo[SOLO_SLOTS];
	uint64_t taggen[TAGGEN_SLOTS];
	uint64_t cleared; /* generation of the last cache_clear */
	struct node **bucket;
	size_t nbuckets; /* power of two */
	size_t count;
	size_t bytes, max_bytes;
	struct node *head, *tail;
	uint64_t generation;
	struct cache_stats st;
};

static uint64_t
fnv(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

/* The caller's ETag for a variant (http/encode.c makes them), cut to
 * what fits: an ETag that does not fit is the caller's bug. */
static void
put_etag(char out[CACHE_ETAG_BYTES], const char *etag)
{
	size_t n = etag ? strlen(etag) : 0;

	if (n >= CACHE_ETAG_BYTES)
		abort();
	memcpy(out, etag ? etag : "", n);
	out[n] = '\0';
}

struct cache *
cache_new(size_t max_bytes)
{
	struct cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->landed, NULL);
	c->nbuckets = 256;
	if ((c->bucket = calloc(c->nbuckets, sizeof(*c->bucket))) == NULL)
		abort();
	c->max_bytes = max_bytes;
	return c;
}

static void
node_free(struct node *n)
{
	free(n);
}

static void
node_unref(struct node *n)
{
	if (atomic_fetch_sub(&n->refs, 1) == 1)
		node_free(n);
}

/* Take n out of the table and the LRU list (mu held). */
static void
unlink_node(struct cache *c, struct node *n)
{
	struct node **pp = &c->bucket[n->khash & (c->nbuckets - 1)];

	while (*pp != n)
		pp = &(*pp)->hnext;
	*pp = n->hnext;
	if (n->prev)
		n->prev->next = n->next;
	else
		c->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		c->tail = n->prev;
	n->linked = 0;
	c->count--;
	c->bytes -= n->size;
	node_unref(n);
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	while (c->head)
		unlink_node(c, c->head);
	free(c->bucket);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->landed);
	free(c);
}

static struct node *
find(struct cache *c, const char *key, uint64_t h)
{
	struct node *n;

	for (n = c->bucket[h & (c->nbuckets - 1)]; n; n = n->hnext)
		if (n->khash == h && !strcmp(n->pub.key, key))
			return n;
	return NULL;
}

static void
lru_front(struct cache *c, struct node *n)
{
	if (c->head == n)
		return;
	/* unlink from its place */
	if (n->prev)
		n->prev->next = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else if (c->tail == n)
		c->tail = n->prev;
	n->prev = NULL;
	n->next = c->head;
	if (c->head)
		c->head->prev = n;
	c->head = n;
	if (c->tail == NULL)
		c->tail = n;
}

/* The live entry for key, held and counted as a hit, or NULL (mu held). */
static struct node *
hit(struct cache *c, const char *key, uint64_t h, int64_t now)
{
	struct node *n = find(c, key, h);

	if (n && n->pub.expires && now >= n->pub.expires) {
		unlink_node(c, n);
		c->st.expired++;
		n = NULL;
	}
	if (n == NULL)
		return NULL;
	c->st.hits++;
	lru_front(c, n);
	atomic_fetch_add(&n->refs, 1);
	return n;
}

const struct cache_entry *
cache_get(struct cache *c, const char *key, int64_t now)
{
	uint64_t h = fnv(key, strlen(key));
	struct node *n;

	pthread_mutex_lock(&c->mu);
	if ((n = hit(c, key, h, now)) == NULL)
		c->st.misses++;
	pthread_mutex_unlock(&c->mu);
	return n ? &n->pub : NULL;
}

static struct flight **
flight_find(struct cache *c, const char *key, uint64_t h)
{
	struct flight **f;

	for (f = &c->flights; *f; f = &(*f)->next)
		if ((*f)->khash == h && !strcmp((*f)->key, key))
			return f;
	return NULL;
}

const struct cache_entry *
cache_get_claim(struct cache *c, const char *key, int64_t now, int wait_ms,
    int *claim)
{
	uint64_t h = fnv(key, strlen(key));
	struct timespec until;
	struct flight *f;
	struct node *n;
	int waited = 0, late = 0;

	*claim = 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&c->mu);
	for (;;) {
		if ((n = hit(c, key, h, now)) != NULL) {
			pthread_mutex_unlock(&c->mu);
			return &n->pub;
		}
		if (late || c->solo[h % SOLO_SLOTS] == h ||
		    flight_find(c, key, h) == NULL)
			break;
		if (!waited)
			c->st.coalesced++;
		waited = 1;
		if (pthread_cond_timedwait(&c->landed, &c->mu, &until) ==
		    ETIMEDOUT)
			late = 1;
	}
	c->st.misses++;
	if (!late && c->solo[h % SOLO_SLOTS] != h) {
		if ((f = calloc(1, sizeof(*f))) == NULL ||
		    (f->key = strdup(key)) == NULL)
			abort();
		f->khash = h;
		f->next = c->flights;
		c->flights = f;
		*claim = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

void
cache_done(struct cache *c, const char *key, int keep)
{
	uint64_t h = fnv(key, strlen(key));
	struct flight **fp, *f;

	pthread_mutex_lock(&c->mu);
	if (!keep)
		c->solo[h % SOLO_SLOTS] = h;
	else if (c->solo[h % SOLO_SLOTS] == h)
		c->solo[h % SOLO_SLOTS] = 0;
	if ((fp = flight_find(c, key, h)) != NULL) {
		f = *fp;
		*fp = f->next;
		free(f->key);
		free(f);
	}
	pthread_cond_broadcast(&c->landed);
	pthread_mutex_unlock(&c->mu);
}

void
cache_release(struct cache *c, const struct cache_entry *e)
{
	(void)c;
	if (e)
		node_unref((struct node *)(void *)e);
}

uint64_t
cache_generation(struct cache *c)
{
	uint64_t g;

	pthread_mutex_lock(&c->mu);
	g = c->generation;
	pthread_mutex_unlock(&c->mu);
	return g;
}

static void
grow_table(struct cache *c)
{
	size_t nb = c->nbuckets * 2, i;
	struct node **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		abort();
	for (i = 0; i < c->nbuckets; i++) {
		struct node *n = c->bucket[i], *next;

		for (; n; n = next) {
			next = n->hnext;
			n->hnext = b[n->khash & (nb - 1)];
			b[n->khash & (nb - 1)] = n;
		}
	}
	free(c->bucket);
	c->bucket = b;
	c->nbuckets = nb;
}

/* Bump allocator over the node's one block. */
struct carve {
	char *p;
};

static void *
carve(struct carve *cv, const void *src, size_t n, int nul)
{
	void *out = cv->p;

	if (src)
		memcpy(cv->p, src, n);
	if (nul)
		cv->p[n++] = '\0';
	cv->p += (n + 15) & ~(size_t)15;
	return out;
}

static size_t
space(size_t n)
{
	return (n + 1 + 15) & ~(size_t)15;
}

const struct cache_entry *
cache_put(struct cache *c, const struct cache_put *p)
{
	const char *ctype = p->content_type ? p->content_type : "";
	const char *label = p->label ? p->label : "";
	const char *hdrs = p->headers ? p->headers : "";
	size_t need, i;
	struct node *n, *old;
	struct carve cv;

	if (p->key == NULL || p->body == NULL || p->ntags > CACHE_MAX_TAGS ||
	    p->nslots > CACHE_MAX_SLOTS)
		return NULL;
	for (i = 0; i < p->nslots; i++)
		if (p->slot[i] > p->len)
			return NULL;
	need = space(sizeof(struct node)) + space(strlen(p->key)) +
	    space(strlen(ctype)) + space(strlen(label)) +
	    space(strlen(hdrs)) + space(p->len) +
	    (p->gz ? space(p->gzlen) : 0) + (p->br ? space(p->brlen) : 0);
	for (i = 0; i < p->ntags; i++)
		need += space(strlen(p->tags[i]));
	if (need > c->max_bytes / 8)
		return NULL;
	/* Copy and hash outside the lock. */
	if ((n = calloc(1, need)) == NULL)
		abort();
	cv.p = (char *)n;
	carve(&cv, NULL, sizeof(struct node), 0);
	n->size = need;
	n->pub.key = carve(&cv, p->key, strlen(p->key), 1);
	n->khash = fnv(p->key, strlen(p->key));
	n->pub.content_type = carve(&cv, ctype, strlen(ctype), 1);
	n->pub.label = carve(&cv, label, strlen(label), 1);
	n->pub.headers = carve(&cv, hdrs, strlen(hdrs), 1);
	n->pub.owner = p->owner;
	n->pub.expires = p->expires;
	n->pub.last_modified = p->last_modified;
	n->pub.nslots = p->nslots;
	for (i = 0; i < p->nslots; i++)
		n->pub.slot[i] = p->slot[i];
	n->pub.v[CACHE_IDENTITY].data = carve(&cv, p->body, p->len, 1);
	if (p->gz)
		n->pub.v[CACHE_GZIP].data = carve(&cv, p->gz, p->gzlen, 1);
	if (p->br)
		n->pub.v[CACHE_BR].data = carve(&cv, p->br, p->brlen, 1);
	n->pub.v[CACHE_IDENTITY].len = p->len;
	put_etag(n->pub.v[CACHE_IDENTITY].etag, p->etag[CACHE_IDENTITY]);
	if (p->gz) {
		n->pub.v[CACHE_GZIP].len = p->gzlen;
		put_etag(n->pub.v[CACHE_GZIP].etag, p->etag[CACHE_GZIP]);
	}
	if (p->br) {
		n->pub.v[CACHE_BR].len = p->brlen;
		put_etag(n->pub.v[CACHE_BR].etag, p->etag[CACHE_BR]);
	}
	n->ntags = p->ntags;
	for (i = 0; i < p->ntags; i++) {
		n->tag[i] = carve(&cv, p->tags[i], strlen(p->tags[i]), 1);
		n->taghash[i] = fnv(p->tags[i], strlen(p->tags[i]));
	}
	atomic_init(&n->refs, 2); /* the table's and the caller's */

	pthread_mutex_lock(&c->mu);
	if (p->generation < c->cleared)
		goto stale;
	for (i = 0; i < n->ntags; i++)
		if (c->taggen[n->taghash[i] % TAGGEN_SLOTS] > p->generation)
			goto stale;
	if ((old = find(c, p->key, n->khash)) != NULL)
		unlink_node(c, old);
	while (c->tail && c->bytes + need > c->max_bytes) {
		unlink_node(c, c->tail);
		c->st.evictions++;
	}
	if (c->count + 1 > c->nbuckets)
		grow_table(c);
	n->hnext = c->bucket[n->khash & (c->nbuckets - 1)];
	c->bucket[n->khash & (c->nbuckets - 1)] = n;
	n->next = c->head;
	if (c->head)
		c->head->prev = n;
	c->head = n;
	if (c->tail == NULL)
		c->tail = n;
	n->linked = 1;
	c->count++;
	c->bytes += need;
	c->st.inserts++;
	if (c->solo[n->khash % SOLO_SLOTS] == n->khash)
		c->solo[n->khash % SOLO_SLOTS] = 0; /* a page to keep now */
	pthread_mutex_unlock(&c->mu);
	return &n->pub;
stale:
	c->st.stale_puts++;
	pthread_mutex_unlock(&c->mu);
	node_free(n);
	return NULL;
}

static int
has_tag(const struct node *n, uint64_t h, const char *tag)
{
	size_t i;

	for (i = 0; i < n->ntags; i++)
		if (n->taghash[i] == h && !strcmp(n->tag[i], tag))
			return 1;
	return 0;
}

size_t
cache_invalidate(struct cache *c, const char *tag)
{
	uint64_t h = fnv(tag, strlen(tag));
	struct node *n, *next;
	size_t dropped = 0;

	pthread_mutex_lock(&c->mu);
	c->generation++;
	c->taggen[h % TAGGEN_SLOTS] = c->generation;
	for (n = c->head; n; n = next) {
		next = n->next;
		if (has_tag(n, h, tag)) {
			unlink_node(c, n);
			dropped++;
		}
	}
	c->st.invalidations += dropped;
	pthread_mutex_unlock(&c->mu);
	return dropped;
}

void
cache_clear(struct cache *c)
{
	pthread_mutex_lock(&c->mu);
	c->generation++;
	c->cleared = c->generation;
	c->st.invalidations += c->count;
	while (c->head)
		unlink_node(c, c->head);
	pthread_mutex_unlock(&c->mu);
}

void
cache_stats(struct cache *c, struct cache_stats *out)
{
	pthread_mutex_lock(&c->mu);
	*out = c->st;
	out->entries = c->count;
	out->bytes = c->bytes;
	out->max_bytes = c->max_bytes;
	pthread_mutex_unlock(&c->mu);
}
