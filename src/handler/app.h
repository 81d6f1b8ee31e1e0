/* app.h: what every handler gets. struct app is the long-lived state of a
 * serving process (one owner: cli/serve.c builds and frees it). struct req
 * and struct resp are one request's view, plain data filled by http/, so
 * handlers never include the HTTP library. Everything a handler allocates
 * comes from req->a (the request arena), except resp->body which http/
 * hands to the network layer. */
#ifndef PARLEY_APP_H
#define PARLEY_APP_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../cache/cache.h"
#include "../conf/conf.h"
#include "../render/tmpl.h"
#include "../spam/spam.h"
#include "../store/store.h"

struct app {
	struct conf conf;
	struct store *store;
	struct tmpl_set *tmpl;
	unsigned char key[32];    /* site secret: signs cookies and form tokens */
	struct ratelimit *rl;     /* comments per IP */
	const char *site_dir;
	char css_url[64];         /* /theme/style.css?v=HASH */
	int secure_cookies;       /* base_url is https */
	struct cache *cache;      /* shared pages; NULL = caching off */
};

enum req_method { M_GET, M_HEAD, M_POST, M_OTHER };

struct req {
	struct arena *a;
	enum req_method method;
	const char *path;  /* decoded path, starts with '/' */
	const char *ip;    /* client address as text */
	const char *body;  /* POST body, NUL-terminated; NULL if none */
	size_t body_len;
	/* Lookups provided by http/: request header, cookie, query argument
	 * (decoded). Return NULL when absent. */
	const char *(*header)(const struct req *rq, const char *name);
	const char *(*cookie)(const struct req *rq, const char *name);
	const char *(*query)(const struct req *rq, const char *name);
	/* Decoded application/x-www-form-urlencoded body field (POST). */
	const char *(*form)(const struct req *rq, const char *name);
	void *conn; /* opaque to handlers */
};

#define RESP_MAX_HEADERS 8
#define RESP_MAX_TAGS CACHE_MAX_TAGS
#define RESP_MAX_SLOTS CACHE_MAX_SLOTS

struct resp {
	int status;
	const char *content_type; /* static or arena string */
	struct buf body;          /* owned by http/ after return */
	size_t nheaders;
	const char *hname[RESP_MAX_HEADERS];
	const char *hval[RESP_MAX_HEADERS];
	/* A page that is the same for every reader sets shared and names
	 * what it shows in tags ("post:12", "front", "cat:SLUG",
	 * "author:LOGIN", "site"), so that http/ may keep it in the page
	 * cache and a write can drop exactly the pages that show what it
	 * changed. expires: when it changes without a write (comments
	 * closing, a scheduled post appearing); 0 = never. Slots are
	 * offsets in body where page_personal() splices a reader's own
	 * bits; owner is the id it needs (article pages: the post id). */
	int shared;
	size_t ntags;
	const char *tags[RESP_MAX_TAGS];
	int64_t expires;
	int64_t owner;
	size_t nslots;
	size_t slot[RESP_MAX_SLOTS];
	const char *route; /* route label for /metrics (static string) */
};

/* Add a response header (arena or static strings). Extra ones past
 * RESP_MAX_HEADERS are dropped with a log line: a programming error. */
void resp_header(struct resp *rs, const char *name, const char *value);
/* Add a dependency tag (arena or static string); too many tags make the
 * page unshared (never wrongly cached). */
void resp_tag(struct resp *rs, const char *tag);
/* Lower rs->expires to t (t 0 = no change). */
void resp_expires(struct resp *rs, int64_t t);

/* Cache tags, one place builds each (arena-owned). */
const char *tag_post(struct arena *a, int64_t post_id);
#define TAG_SITE "site"   /* every HTML page: site title, nav categories */
#define TAG_FRONT "front" /* the front page and its /page/N/ */

/* Handlers. Each fills rs; none returns an error (errors are pages). */
void h_front(struct app *app, struct req *rq, struct resp *rs, int64_t page);
void h_category(struct app *app, struct req *rq, struct resp *rs,
    const char *slug, int64_t page);
void h_author(struct app *app, struct req *rq, struct resp *rs,
    const char *login, int64_t page);
void h_article(struct app *app, struct req *rq, struct resp *rs, int y,
    int m, int d, const char *slug);
void h_comment_post(struct app *app, struct req *rq, struct resp *rs);
void h_api_posts(struct app *app, struct req *rq, struct resp *rs);
void h_api_post(struct app *app, struct req *rq, struct resp *rs, int64_t id);
void h_api_comments(struct app *app, struct req *rq, struct resp *rs,
    int64_t id);
void h_theme(struct app *app, struct req *rq, struct resp *rs,
    const char *name);
void h_media(struct app *app, struct req *rq, struct resp *rs,
    const char *name);
/* An HTML error page (404, 405, 400, 413, 414, 429, 500...). */
void h_error(struct app *app, struct req *rq, struct resp *rs, int status,
    const char *message);
void h_redirect(struct resp *rs, int status, const char *location);

/* The per-reader part of a shared page that has slots (an article: its
 * reply form and the reader's pending comments). Always adds this
 * reader's headers to rs (the form timestamp cookie); when the reader has
 * something of their own (a remembered name, comments awaiting
 * moderation) writes the personal copy of body into rs->body and returns
 * 1. Returns 0 when the shared bytes serve as they are. */
int page_personal(struct app *app, struct req *rq, const char *body,
    size_t len, const size_t *slot, size_t nslots, int64_t owner,
    struct resp *rs);

/* App lifetime (handler/app.c): load config, open store, compile theme. */
enum perr app_open(struct app *app, const char *site_dir, char *err,
    size_t errsz);
void app_close(struct app *app);

#endif
