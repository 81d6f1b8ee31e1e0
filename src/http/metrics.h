/* metrics.h: request counts and latency histograms per route, answers
 * from the page cache, and the cache's own counters, rendered in the
 * Prometheus text format at /metrics. Recording is lock-free (atomic
 * counters); the route set is fixed. Internal to http/. */
#ifndef PARLEY_METRICS_H
#define PARLEY_METRICS_H

#include "../base/buf.h"
#include "../handler/app.h"

/* How a response was made, for parley_http_responses_total{source}. */
enum metrics_source { MS_RENDER, MS_CACHE, MS_NOT_MODIFIED, MS_PERSONAL };

/* route: a label from routes.c (NULL or unknown counts as "other"). */
void metrics_record(const char *route, int status, double seconds,
    enum metrics_source src);
/* The whole exposition into out. */
void metrics_render(struct app *app, struct buf *out);

#endif
