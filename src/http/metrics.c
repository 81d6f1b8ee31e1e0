/* metrics.c: see metrics.h. */
#include "metrics.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

static const char *const routes[] = {
	"front", "category", "author", "article", "comment_post", "api",
	"theme", "media", "metrics", "error", "other", "admin", "feed",
	"search", "archive", "site_files", "comment_status", "legacy",
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Upper bounds in seconds: 100 us .. 1 s, then +Inf. */
static const double bounds[] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1.0,
};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static const char *const classes[] = { "1xx", "2xx", "3xx", "4xx", "5xx" };
static const char *const sources[] = { "render", "cache", "not_modified",
	"personal" };

struct route_stats {
	atomic_uint_fast64_t code[5];
	atomic_uint_fast64_t bucket[NBOUNDS + 1]; /* not cumulative */
	atomic_uint_fast64_t count;
	atomic_uint_fast64_t micros; /* sum of durations */
};

static struct route_stats rstats[NROUTES];
static atomic_uint_fast64_t source_count[4];

static size_t
route_index(const char *route)
{
	size_t i;

	if (route)
		for (i = 0; i < NROUTES; i++)
			if (!strcmp(route, routes[i]))
				return i;
	return NROUTES - 1;
}

void
metrics_record(const char *route, int status, double seconds,
    enum metrics_source src)
{
	struct route_stats *r = &rstats[route_index(route)];
	size_t b = 0;

	while (b < NBOUNDS && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&r->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->micros,
	    (uint_fast64_t)(seconds * 1e6 + 0.5), memory_order_relaxed);
	if (status >= 100 && status < 600)
		atomic_fetch_add_explicit(&r->code[status / 100 - 1], 1,
		    memory_order_relaxed);
	if ((unsigned)src < 4)
		atomic_fetch_add_explicit(&source_count[src], 1,
		    memory_order_relaxed);
}

static unsigned long long
ld(atomic_uint_fast64_t *v)
{
	return (unsigned long long)atomic_load_explicit(v,
	    memory_order_relaxed);
}

void
metrics_render(struct app *app, struct buf *o)
{
	size_t i, k;

	buf_puts(o, "# HELP parley_http_requests_total Requests answered, "
	    "by route and status class.\n"
	    "# TYPE parley_http_requests_total counter\n");
	for (i = 0; i < NROUTES; i++)
		for (k = 0; k < 5; k++)
			buf_printf(o, "parley_http_requests_total{route=\"%s\","
			    "code=\"%s\"} %llu\n", routes[i], classes[k],
			    ld(&rstats[i].code[k]));
	buf_puts(o, "# HELP parley_http_request_duration_seconds Time from "
	    "the request's arrival to the last byte handed to the kernel.\n"
	    "# TYPE parley_http_request_duration_seconds histogram\n");
	for (i = 0; i < NROUTES; i++) {
		unsigned long long cum = 0;

		for (k = 0; k <= NBOUNDS; k++) {
			cum += ld(&rstats[i].bucket[k]);
			if (k < NBOUNDS)
				buf_printf(o, "parley_http_request_duration_"
				    "seconds_bucket{route=\"%s\",le=\"%g\"} "
				    "%llu\n", routes[i], bounds[k], cum);
			else
				buf_printf(o, "parley_http_request_duration_"
				    "seconds_bucket{route=\"%s\",le=\"+Inf\"} "
				    "%llu\n", routes[i], cum);
		}
		buf_printf(o, "parley_http_request_duration_seconds_sum"
		    "{route=\"%s\"} %.6f\n", routes[i],
		    (double)ld(&rstats[i].micros) / 1e6);
		buf_printf(o, "parley_http_request_duration_seconds_count"
		    "{route=\"%s\"} %llu\n", routes[i], cum);
	}
	buf_puts(o, "# HELP parley_http_responses_total Responses by how "
	    "they were made: rendered, from the page cache, 304 Not Modified, "
	    "or a cached page with the reader's own parts spliced in.\n"
	    "# TYPE parley_http_responses_total counter\n");
	for (k = 0; k < 4; k++)
		buf_printf(o, "parley_http_responses_total{source=\"%s\"} %llu\n",
		    sources[k], ld(&source_count[k]));
	if (app->cache) {
		struct cache_stats s;

		cache_stats(app->cache, &s);
		buf_printf(o,
		    "# HELP parley_cache_hits_total Page cache lookups that "
		    "found a page.\n"
		    "# TYPE parley_cache_hits_total counter\n"
		    "parley_cache_hits_total %llu\n"
		    "# HELP parley_cache_misses_total Page cache lookups that "
		    "found nothing.\n"
		    "# TYPE parley_cache_misses_total counter\n"
		    "parley_cache_misses_total %llu\n"
		    "# HELP parley_cache_inserts_total Pages stored.\n"
		    "# TYPE parley_cache_inserts_total counter\n"
		    "parley_cache_inserts_total %llu\n"
		    "# HELP parley_cache_evictions_total Pages dropped to stay "
		    "within the size bound (LRU).\n"
		    "# TYPE parley_cache_evictions_total counter\n"
		    "parley_cache_evictions_total %llu\n"
		    "# HELP parley_cache_invalidations_total Pages dropped "
		    "because a write changed what they show.\n"
		    "# TYPE parley_cache_invalidations_total counter\n"
		    "parley_cache_invalidations_total %llu\n"
		    "# HELP parley_cache_expired_total Pages dropped at their "
		    "expiry time.\n"
		    "# TYPE parley_cache_expired_total counter\n"
		    "parley_cache_expired_total %llu\n"
		    "# HELP parley_cache_stale_puts_total Renders not stored "
		    "because a write landed while they ran.\n"
		    "# TYPE parley_cache_stale_puts_total counter\n"
		    "parley_cache_stale_puts_total %llu\n"
		    "# HELP parley_cache_coalesced_total Misses that waited "
		    "for another request's render of the same page.\n"
		    "# TYPE parley_cache_coalesced_total counter\n"
		    "parley_cache_coalesced_total %llu\n"
		    "# HELP parley_cache_entries Pages in the cache.\n"
		    "# TYPE parley_cache_entries gauge\n"
		    "parley_cache_entries %llu\n"
		    "# HELP parley_cache_bytes Bytes the cached pages take.\n"
		    "# TYPE parley_cache_bytes gauge\n"
		    "parley_cache_bytes %llu\n"
		    "# HELP parley_cache_max_bytes The cache's size bound.\n"
		    "# TYPE parley_cache_max_bytes gauge\n"
		    "parley_cache_max_bytes %llu\n",
		    (unsigned long long)s.hits, (unsigned long long)s.misses,
		    (unsigned long long)s.inserts,
		    (unsigned long long)s.evictions,
		    (unsigned long long)s.invalidations,
		    (unsigned long long)s.expired,
		    (unsigned long long)s.stale_puts,
		    (unsigned long long)s.coalesced,
		    (unsigned long long)s.entries, (unsigned long long)s.bytes,
		    (unsigned long long)s.max_bytes);
	}
}
