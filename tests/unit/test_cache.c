/* test_cache.c: the page cache: put/get, tags and exact
 * invalidation, the generation guard, LRU bounds, expiry, held entries
 * outliving eviction, threads; and the compress helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/buf.h"
#include "cache/cache.h"
#include "cache/compress.h"

static const struct cache_entry *
put(struct cache *c, const char *key, const char *body, const char *tags)
{
	const char *tv[CACHE_MAX_TAGS];
	char tbuf[256], *s, *save = NULL;
	struct cache_put p;
	size_t nt = 0;

	snprintf(tbuf, sizeof(tbuf), "%s", tags);
	for (s = strtok_r(tbuf, " ", &save); s; s = strtok_r(NULL, " ", &save))
		tv[nt++] = s;
	memset(&p, 0, sizeof(p));
	p.key = key;
	p.body = body;
	p.len = strlen(body);
	p.content_type = "text/html";
	p.label = "article";
	p.etag[CACHE_IDENTITY] = "\"test-etag\"";
	p.last_modified = 1234;
	p.tags = tv;
	p.ntags = nt;
	p.generation = cache_generation(c);
	return cache_put(c, &p);
}

static void
put_release(struct cache *c, const char *key, const char *body,
    const char *tags)
{
	const struct cache_entry *e = put(c, key, body, tags);

	assert_non_null(e);
	cache_release(c, e);
}

static int
present(struct cache *c, const char *key)
{
	const struct cache_entry *e = cache_get(c, key, 0);

	cache_release(c, e);
	return e != NULL;
}

static void
test_put_get(void **state)
{
	struct cache *c = cache_new(1 << 20);
	const struct cache_entry *e;
	struct cache_stats st;

	assert_null(cache_get(c, "/a/", 0));
	put_release(c, "/a/", "<p>hello</p>", "post:1 front");
	e = cache_get(c, "/a/", 0);
	assert_non_null(e);
	assert_int_equal(e->v[CACHE_IDENTITY].len, 12);
	assert_memory_equal(e->v[CACHE_IDENTITY].data, "<p>hello</p>", 12);
	assert_null(e->v[CACHE_GZIP].data);
	assert_string_equal(e->content_type, "text/html");
	assert_string_equal(e->label, "article");
	/* The ETag and date are the caller's (http/encode.c), kept as given. */
	assert_string_equal(e->v[CACHE_IDENTITY].etag, "\"test-etag\"");
	assert_int_equal(e->last_modified, 1234);
	cache_release(c, e);
	cache_stats(c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 1);
	assert_int_equal(st.entries, 1);
	/* Replacing a key keeps one entry. */
	put_release(c, "/a/", "<p>bye</p>", "post:1");
	cache_stats(c, &st);
	assert_int_equal(st.entries, 1);
	e = cache_get(c, "/a/", 0);
	assert_memory_equal(e->v[CACHE_IDENTITY].data, "<p>bye</p>", 10);
	cache_release(c, e);
	cache_free(c);
}

static void
test_invalidate_exact(void **state)
{
	struct cache *c = cache_new(1 << 20);

	put_release(c, "/p1/", "one", "post:1 site");
	put_release(c, "/p2/", "two", "post:2 site");
	put_release(c, "/", "front", "front post:1 post:2 site");
	put_release(c, "/category/x/", "cat", "cat:x post:2 site");
	assert_int_equal(cache_invalidate(c, "post:1"), 2);
	assert_false(present(c, "/p1/"));
	assert_false(present(c, "/"));
	assert_true(present(c, "/p2/"));
	assert_true(present(c, "/category/x/"));
	/* A tag that is a prefix of another matches nothing. */
	assert_int_equal(cache_invalidate(c, "post:"), 0);
	assert_int_equal(cache_invalidate(c, "site"), 2);
	assert_false(present(c, "/p2/"));
	cache_free(c);
}

static void
test_generation_guard(void **state)
{
	struct cache *c = cache_new(1 << 20);
	struct cache_put p;
	struct cache_stats st;

	const char *tags[] = { "post:9", "site" };

	memset(&p, 0, sizeof(p));
	p.key = "/p/";
	p.body = "old";
	p.len = 3;
	p.tags = tags;
	p.ntags = 2;
	p.generation = cache_generation(c);
	/* A write to another page does not matter... */
	cache_invalidate(c, "post:10");
	cache_release(c, cache_put(c, &p));
	assert_true(present(c, "/p/"));
	/* ...one to this page while it is being rendered does. */
	p.generation = cache_generation(c);
	cache_invalidate(c, "post:9");
	assert_null(cache_put(c, &p));
	assert_false(present(c, "/p/"));
	cache_stats(c, &st);
	assert_int_equal(st.stale_puts, 1);
	cache_clear(c);
	p.generation = cache_generation(c);
	cache_release(c, cache_put(c, &p));
	assert_true(present(c, "/p/"));
	cache_free(c);
}

static void
test_lru_bound(void **state)
{
	struct cache *c = cache_new(64 * 1024);
	struct cache_stats st;
	char key[32], body[3000];
	int i;

	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "/k%d/", i);
		put_release(c, key, body, "site");
		/* Keep /k0/ hot: it must survive. */
		assert_true(present(c, "/k0/"));
		cache_stats(c, &st);
		assert_true(st.bytes <= st.max_bytes);
	}
	cache_stats(c, &st);
	assert_true(st.evictions > 0);
	assert_true(st.entries < 100);
	assert_true(present(c, "/k0/"));
	assert_true(present(c, "/k99/"));
	assert_false(present(c, "/k1/"));
	/* Too large for the bound: not stored. */
	{
		char *big = malloc(64 * 1024);

		memset(big, 'y', 64 * 1024 - 1);
		big[64 * 1024 - 1] = '\0';
		assert_null(put(c, "/big/", big, ""));
		free(big);
	}
	cache_free(c);
}

static void
test_held_entry_survives(void **state)
{
	struct cache *c = cache_new(1 << 20);
	const struct cache_entry *e;

	put_release(c, "/p/", "still here", "post:1");
	e = cache_get(c, "/p/", 0);
	cache_invalidate(c, "post:1");
	cache_clear(c);
	/* The bytes stay valid until released (ASan checks this). */
	assert_memory_equal(e->v[CACHE_IDENTITY].data, "still here", 10);
	cache_release(c, e);
	cache_free(c);
}

static void
test_expiry_and_slots(void **state)
{
	struct cache *c = cache_new(1 << 20);
	struct cache_put p;
	const struct cache_entry *e;
	size_t slots[2] = { 2, 5 }, bad[1] = { 99 };

	memset(&p, 0, sizeof(p));
	p.key = "/p/";
	p.body = "abcdef";
	p.len = 6;
	p.expires = 1000;
	p.owner = 42;
	p.slot = slots;
	p.nslots = 2;
	p.generation = cache_generation(c);
	cache_release(c, cache_put(c, &p));
	e = cache_get(c, "/p/", 999);
	assert_non_null(e);
	assert_int_equal(e->owner, 42);
	assert_int_equal(e->nslots, 2);
	assert_int_equal(e->slot[1], 5);
	cache_release(c, e);
	assert_null(cache_get(c, "/p/", 1000));
	/* A slot outside the body is refused. */
	p.slot = bad;
	p.nslots = 1;
	assert_null(cache_put(c, &p));
	cache_free(c);
}

struct worker {
	struct cache *c;
	int id;
};

static void *
hammer(void *arg)
{
	struct worker *w = arg;
	char key[32], tag[32];
	int i;

	for (i = 0; i < 5000; i++) {
		const struct cache_entry *e;

		snprintf(key, sizeof(key), "/k%d/", i % 50);
		snprintf(tag, sizeof(tag), "post:%d", i % 7);
		switch ((i + w->id) % 4) {
		case 0:
			e = put(w->c, key, "body body body", tag);
			if (e) {
				assert_memory_equal(
				    e->v[CACHE_IDENTITY].data, "body", 4);
				cache_release(w->c, e);
			}
			break;
		case 1:
		case 2:
			e = cache_get(w->c, key, 0);
			if (e)
				assert_int_equal(e->v[CACHE_IDENTITY].len, 14);
			cache_release(w->c, e);
			break;
		default:
			cache_invalidate(w->c, tag);
		}
	}
	return NULL;
}

static void
test_threads(void **state)
{
	struct cache *c = cache_new(16 * 1024);
	pthread_t t[4];
	struct worker w[4];
	struct cache_stats st;
	int i;

	for (i = 0; i < 4; i++) {
		w[i].c = c;
		w[i].id = i;
		pthread_create(&t[i], NULL, hammer, &w[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	cache_stats(c, &st);
	assert_true(st.bytes <= st.max_bytes);
	assert_true(st.hits + st.misses == 10000);
	cache_free(c);
}

/* A reader that misses while another renders the same page. */
struct waiter {
	struct cache *c;
	const char *key;
	int wait_ms;
	int claim;
	const struct cache_entry *got;
};

static void *
wait_for(void *arg)
{
	struct waiter *w = arg;

	w->got = cache_get_claim(w->c, w->key, 0, w->wait_ms, &w->claim);
	return NULL;
}

static void
coalesced(struct cache *c, uint64_t want)
{
	struct cache_stats st;
	int i;

	/* The waiter counts itself before it sleeps. */
	for (i = 0; i < 2000; i++) {
		cache_stats(c, &st);
		if (st.coalesced >= want)
			return;
		usleep(1000);
	}
	fail_msg("no reader waited");
}

static void
test_single_render(void **state)
{
	struct cache *c = cache_new(1 << 20);
	struct waiter w = { c, "/a/", 5000, 0, NULL };
	const struct cache_entry *e;
	pthread_t t;
	int claim;

	/* The first miss claims the page; a second waits for its render
	 * and gets what it stored, without claiming. */
	assert_null(cache_get_claim(c, "/a/", 0, 5000, &claim));
	assert_int_equal(claim, 1);
	assert_int_equal(pthread_create(&t, NULL, wait_for, &w), 0);
	coalesced(c, 1);
	put_release(c, "/a/", "rendered once", "post:1");
	cache_done(c, "/a/", 1);
	pthread_join(t, NULL);
	assert_non_null(w.got);
	assert_int_equal(w.claim, 0);
	assert_memory_equal(w.got->v[CACHE_IDENTITY].data, "rendered once", 13);
	cache_release(c, w.got);

	/* A render that stores nothing (a write landed meanwhile): the
	 * waiter claims the page and renders it itself. */
	cache_invalidate(c, "post:1");
	assert_null(cache_get_claim(c, "/a/", 0, 5000, &claim));
	assert_int_equal(claim, 1);
	w.got = NULL;
	assert_int_equal(pthread_create(&t, NULL, wait_for, &w), 0);
	coalesced(c, 2);
	cache_done(c, "/a/", 1);
	pthread_join(t, NULL);
	assert_null(w.got);
	assert_int_equal(w.claim, 1);
	cache_done(c, "/a/", 1);

	/* A wait that runs out returns unclaimed. */
	assert_null(cache_get_claim(c, "/b/", 0, 5000, &claim));
	assert_int_equal(claim, 1);
	w.key = "/b/";
	w.wait_ms = 20;
	wait_for(&w);
	assert_null(w.got);
	assert_int_equal(w.claim, 0);

	/* A page that is not kept (an error page) is not waited for. */
	cache_done(c, "/b/", 0);
	assert_null(cache_get_claim(c, "/b/", 0, 5000, &claim));
	assert_int_equal(claim, 0);
	/* Until it is one again. */
	e = put(c, "/b/", "now a page", "site");
	cache_release(c, e);
	cache_invalidate(c, "site");
	assert_null(cache_get_claim(c, "/b/", 0, 5000, &claim));
	assert_int_equal(claim, 1);
	cache_done(c, "/b/", 1);
	cache_free(c);
}

static void
test_compress(void **state)
{
	struct buf in, gz, br;
	unsigned char back[20000];
	uLongf backlen = sizeof(back);
	z_stream z;
	int i;

	buf_init(&in, 0);
	buf_init(&gz, 0);
	buf_init(&br, 0);
	for (i = 0; i < 300; i++)
		buf_printf(&in, "<li class=\"comment\">comment %d</li>\n", i);
	assert_int_equal(compress_gzip(in.data, in.len, &gz), P_OK);
	assert_int_equal(compress_brotli(in.data, in.len, &br), P_OK);
	assert_true(gz.len > 18 && gz.len < in.len / 3);
	assert_true(br.len > 0 && br.len < in.len / 3);
	assert_true((unsigned char)gz.data[0] == 0x1f &&
	    (unsigned char)gz.data[1] == 0x8b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (unsigned char *)gz.data;
	z.avail_in = (uInt)gz.len;
	z.next_out = back;
	z.avail_out = (uInt)sizeof(back);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	backlen = sizeof(back) - z.avail_out;
	inflateEnd(&z);
	assert_int_equal(backlen, in.len);
	assert_memory_equal(back, in.data, in.len);
	buf_free(&in);
	buf_free(&gz);
	buf_free(&br);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_invalidate_exact),
		cmocka_unit_test(test_generation_guard),
		cmocka_unit_test(test_lru_bound),
		cmocka_unit_test(test_held_entry_survives),
		cmocka_unit_test(test_expiry_and_slots),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_single_render),
		cmocka_unit_test(test_compress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
