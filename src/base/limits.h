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

/* How long a request for a page being rendered by another request waits
 * for that render (page cache) before rendering it itself. */
#define LIM_RENDER_WAIT_MS 2000

/* Read connections of the SQLite store: one shared, plus one of its own
 * for each page-serving thread up to this many in all (threads beyond
 * share the first). Each costs its page cache and prepared statements. */
#define LIM_READERS 8

/* Freed heap memory `parley serve` keeps for reuse instead of handing it
 * back to the kernel after every request (glibc's trim and mmap
 * thresholds): a few uncached pages' buffers and arenas. */
#define LIM_KEEP_FREE_BYTES (16 * 1024 * 1024)

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
/* Template ops (tags and text runs of the whole set) that get a per-thread
 * lookup hint (render/tmpl.c, one byte each); ops beyond are looked up
 * without one. */
#define LIM_TMPL_HINTS 8192

/* Largest article source file accepted by `parley post add`. */
#define LIM_POST_FILE_BYTES (4 * 1024 * 1024)

/* Page number accepted in /page/N/; more is 404 rather than a huge OFFSET. */
#define LIM_PAGE_MAX 100000

/* Comments accepted per IP per minute before a 429. */
#define LIM_COMMENTS_PER_MIN_DEFAULT 5

/* After an IP is refused by the rate limit, what it sends for this long
 * is held for a moderator ("rate limit"): a flood that slows down to
 * just under the limit still waits for a person. */
#define LIM_RATE_HOLD_S (10 * 60)

/* Distinct IPs tracked by the rate limiter; oldest entries are recycled. */
#define LIM_RATE_SLOTS 4096

/* Thread depth bounds for the site setting. */
#define LIM_DEPTH_MIN 1
#define LIM_DEPTH_MAX 10

/* ---- The admin side (issue 3). */

/* Longest password accepted; argon2 cost does not depend on it, but a
 * megabyte "password" should not reach the hasher at all. */
#define LIM_PASSWORD_BYTES 1024

/* Failed logins allowed per account, and per client IP, within
 * LIM_LOGIN_WINDOW_S before further attempts are refused outright:
 * online guessing gets a handful of tries per quarter hour. The IP budget
 * is larger so one office behind NAT can mistype a few passwords. */
#define LIM_LOGIN_FAILS_ACCOUNT 5
#define LIM_LOGIN_FAILS_IP 20
#define LIM_LOGIN_WINDOW_S (15 * 60)

/* Accounts/IPs the login throttle remembers at once (fixed memory; the
 * longest-idle entry is recycled), and the longest key kept. */
#define LIM_LOGIN_SLOTS 1024
#define LIM_LOGIN_KEY_BYTES 64

/* Session lifetime: a browser session without "remember me", and with. */
#define LIM_SESSION_S (12 * 3600)
#define LIM_SESSION_REMEMBER_S (14 * 86400)

/* Largest request body for a logged-in user's POST under /admin/ (the
 * editor with an image upload). Only a request carrying a valid session
 * may send more than LIM_BODY_BYTES. */
#define LIM_ADMIN_BODY_BYTES (12 * 1024 * 1024)

/* Largest image accepted for upload (checked on the bytes received). */
#define LIM_UPLOAD_BYTES (8 * 1024 * 1024)

/* Largest image width or height recorded; bigger is refused (pixel
 * bombs cost readers' browsers memory). */
#define LIM_IMAGE_SIDE 20000

/* Fields accepted in one admin form (bulk actions post a field per
 * checked row). */
#define LIM_ADMIN_FORM_FIELDS 512

/* Parts accepted in one multipart/form-data body, and the longest part
 * header block (Content-Disposition + Content-Type). */
#define LIM_MULTIPART_PARTS 64
#define LIM_MULTIPART_HEADER_BYTES 1024

/* Longest article body accepted from the editor (Markdown source). */
#define LIM_POST_BODY_BYTES (1024 * 1024)

/* Longest title, slug, excerpt, caption; categories and tags per post. */
#define LIM_TITLE_BYTES 300
#define LIM_SLUG_BYTES 200
#define LIM_EXCERPT_BYTES 2000
#define LIM_TERMS_PER_POST 32

/* Rows on one admin list page. */
#define LIM_ADMIN_PER_PAGE 20

/* Blocked words/IPs/e-mails in the settings (total bytes). */
#define LIM_BLOCKLIST_BYTES (16 * 1024)
/* Longest search query read. Bounds the words (and prefix expansions)
 * one request makes the full-text index match. */
#define LIM_SEARCH_QUERY_BYTES 256
/* Matches of each kind (articles, comments) a search ranks, the ones
 * added last; older ones are reached by narrowing the query. Bounds what
 * a common word costs: every candidate is scored and checked for
 * visibility before the first hit can be shown (~2.5 us each). */
#define LIM_SEARCH_RANKED 1000

/* --- WordPress import (wxr/) and the HTML it brings. --- */

/* Comment HTML handed to the HTML parser (libgumbo). Its tree builder is
 * quadratic in nesting depth, so a hostile comment must stay small: a
 * longer one (or one with more tags than below) is kept verbatim but
 * shown as escaped text. WordPress itself caps comments at 65525 bytes. */
#define LIM_SANITIZE_BYTES (64 * 1024)
#define LIM_SANITIZE_TAGS 2000

/* Allowed elements open at once in sanitized comment HTML; deeper ones are
 * flattened to their text, like LIM_MD_NESTING for Markdown. */
#define LIM_SANITIZE_NESTING 16

/* Longest text of one WXR field (an article's content, a comment, a kept
 * unknown element). Bounds the importer's memory whatever the file size. */
#define LIM_WXR_FIELD_BYTES (32 * 1024 * 1024)

/* Longest short WXR field: a title, a slug, a date, a name, an e-mail, a
 * URL, an id. Far beyond any real value; stops one field eating memory. */
#define LIM_WXR_SHORT_BYTES (64 * 1024)

/* Everything one item (or one comment) may hold at once: its fields, its
 * terms and its kept elements. The parser's memory is bounded by this. */
#define LIM_WXR_ITEM_BYTES (96 * 1024 * 1024)

/* Longest single XML token (a start tag with its attributes) expat may
 * have to buffer; a file with a larger one is refused, not read into RAM. */
#define LIM_WXR_TOKEN_BYTES (4 * 1024 * 1024)

/* XML element nesting in a WXR file. Real exports nest about 6 deep;
 * plugin data kept verbatim may add a few levels. */
#define LIM_WXR_DEPTH 256

/* Categories, tags and other terms on one WXR item. */
#define LIM_WXR_ITEM_TERMS 1000

/* Entity amplification expat allows before refusing the file (its
 * billion-laughs guard); entity declarations are refused outright anyway. */
#define LIM_WXR_AMPLIFICATION 8.0f

/* Warnings kept word for word by an import (the rest are only counted). */
#define LIM_WXR_WARNINGS 200

/* Nesting of WordPress pages (parent/child/...) followed for a page path. */
#define LIM_WXR_PAGE_DEPTH 16

#endif
