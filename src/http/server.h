/* server.h: the HTTP server (libmicrohttpd, epoll, a thread pool sized to
 * the cores). Owns connections, limits, request parsing and logging; hands
 * each request to routes_dispatch() as plain struct req/resp. */
#ifndef PARLEY_SERVER_H
#define PARLEY_SERVER_H

#include "../base/err.h"
#include "../handler/app.h"

/* Serve until SIGINT or SIGTERM, then stop accepting, let in-flight
 * requests finish (bounded wait) and return P_OK. listen is "host:port".
 * Must be called from the main thread before other threads exist. */
enum perr http_serve(struct app *app, const char *listen);

/* Route one request (http/routes.c). */
void routes_dispatch(struct app *app, struct req *rq, struct resp *rs);
/* The page-cache key of a GET with a query string: only a route whose
 * handler names one canonical key for its arguments has one; NULL for
 * every other (not looked up, not stored). */
const char *routes_query_key(struct app *app, struct req *rq);

#endif
