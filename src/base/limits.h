/* limits.h: every limit Parley enforces, each with the reason it exists.
 * Change a number here, never a literal in the code that checks it. */
#ifndef PARLEY_LIMITS_H
#define PARLEY_LIMITS_H

/* Memory MHD may use per connection: request line, headers, parsed query
 * arguments and the response head all come from this pool. Bounds what
 * one client can pin; a request that does not fit gets 431. It must hold
 * the ~500 arguments a LIM_URI_BYTES query can carry, or MHD drops such a
 * request without an answer. */
#define LIM_HEADER_BYTES (64 * 1024)

/* Longest request target (path + query). Longer gets 414. No page of
 * ours needs more; stops pathological routing and log lines. */
#define LIM_URI_BYTES 2048

/* Largest request body accepted (comment form). Larger gets 413 before
 * any of it is buffered beyond this. */
#define LIM_BODY_BYTES (64 * 1024)

/* Simultaneous connections. Bounds memory and file descriptors: each
 * connection, idle or not, keeps MHD's per-connection pool resident
 * (LIM_HEADER_BYTES; MHD zeroes it for every request), so 10,000 idle
 * keep-alive readers take ~650 MB (bench/RESULTS.md). parley serve
 * raises its descriptor limit to match. */
#define LIM_CONNECTIONS 16384

/* Default size bound of the page cache (`parley serve --cache-mb`). A
 * 35-comment article is ~60 KB with its two compressed copies; 64 MB
 * holds the hot pages of any site with room to spare. */
#define LIM_CACHE_MB_DEFAULT 64

/* Seconds an idle or slow connection may stay open (slowloris). */
#define LIM_CONN_TIMEOUT_S 30

/* Longest comment body accepted. Bounds render cost and page size. */
#define LIM_COMMENT_BYTES (16 * 1024)

/* Longest commenter name, e-mail and web site. */
#define LIM_NAME_BYTES 100
#define LIM_EMAIL_BYTES 200
#define LIM_URL_BYTES 500

/* Form fields accepted in one body; stops hash/array blow-up by field count. */
#define LIM_FORM_FIELDS 32

/* Markdown nesting (quotes/lists) rendered in comments; deeper is flattened
 * so hostile input cannot build a page browsers choke on. */
#define LIM_MD_NESTING 16

/* Template nesting (sections + partials), stops runaway recursion. */
#define LIM_TMPL_DEPTH 64

/* Largest article source file accepted by `parley post add`. */
#define LIM_POST_FILE_BYTES (4 * 1024 * 1024)

/* Page number accepted in /page/N/; more is 404 rather than a huge OFFSET. */
#define LIM_PAGE_MAX 100000

/* Comments accepted per IP per minute before a 429. */
#define LIM_COMMENTS_PER_MIN_DEFAULT 5

/* Distinct IPs tracked by the rate limiter; oldest entries are recycled. */
#define LIM_RATE_SLOTS 4096

/* Thread depth bounds for the site setting. */
#define LIM_DEPTH_MIN 1
#define LIM_DEPTH_MAX 10

#endif
