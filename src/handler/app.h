/* app.h: what every handler gets. struct app is the long-lived state of a
 * serving process (one owner: cli/serve.c builds and frees it). struct req
 * and struct resp are one request's view, plain data filled by http/, so
 * handlers never include the HTTP library. Everything a handler allocates
 * comes from req->a (the request arena), except resp->body which http/
 * hands to the network layer. */
#ifndef PARLEY_APP_H
#define PARLEY_APP_H

#include <pthread.h>
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
	/* The admin side (issue 3). */
	struct throttle *login_acct; /* failed logins per account */
	struct throttle *login_ip;   /* failed logins per client IP */
	/* conf is replaced when the settings page (or another node) saves:
	 * requests hold conf_lock for reading while they run, the swap
	 * holds it for writing (see app_settings_refresh). */
	pthread_rwlock_t conf_lock;
	pthread_mutex_t settings_mu;  /* one refresher at a time */
	_Atomic int64_t settings_checked; /* second of the last look */
	_Atomic int settings_dirty;   /* this process saved: look now */
	char settings_version[40];    /* under settings_mu */
	int64_t started;          /* unix seconds when app_open() ran */
	/* Unix second the conf in force was swapped in (settings page):
	 * pages made with it are no older than that. */
	_Atomic int64_t conf_since;
	struct cache *cache;      /* shared pages; NULL = caching off */
	/* What every page shows of the site as a whole (page.c's
	 * site_facts): asked of the store once per change, not per page. */
	pthread_mutex_t facts_mu;
	struct arena facts_a;     /* under facts_mu: the copies below */
	int facts_ok;
	int64_t facts_version;    /* store_data_version they were read at */
	int64_t facts_next;       /* next scheduled publication, 0 none */
	struct category *facts_cats;
	size_t facts_ncats;
	/* app_last_modified's answer, for one data version and second. */
	int64_t lm_version, lm_now, lm_at;
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
	/* Decoded application/x-www-form-urlencoded body field (POST), or
	 * a text field of a multipart/form-data body. */
	const char *(*form)(const struct req *rq, const char *name);
	void *conn; /* opaque to handlers */
	/* Every value of a repeated field (checked rows), in order: up to
	 * max into out; returns how many there are in all. */
	size_t (*form_all)(const struct req *rq, const char *name,
	    const char **out, size_t max);
	/* An uploaded file of a multipart/form-data body, or NULL. */
	const struct req_file *(*file)(const struct req *rq, const char *name);
};

/* One file part of a multipart/form-data body (bytes in the request's
 * memory, valid until the response is sent). */
struct req_file {
	const char *filename; /* as the browser sent it; never a path to use */
	const char *type;     /* the browser's claim; not trusted */
	const unsigned char *data;
	size_t len;
};

#define RESP_MAX_HEADERS 12
#define RESP_MAX_TAGS CACHE_MAX_TAGS
#define RESP_MAX_SLOTS CACHE_MAX_SLOTS

struct resp {
	int status;
	const char *content_type; /* static or arena string */
	struct buf body;          /* owned by http/ after return */
	size_t nheaders;
	const char *hname[RESP_MAX_HEADERS];
	const char *hval[RESP_MAX_HEADERS];
	/* Validators: http/encode.c adds ETag, Last-Modified, Vary and the
	 * content coding to every 200 answer to GET/HEAD and answers 304
	 * itself. last_modified: unix seconds of the newest change the body
	 * shows; 0 = app_last_modified(); -1 = send none. */
	int64_t last_modified;
	/* A strong validator the handler already has for these bytes
	 * (media: their SHA-256), quotes included, so http/ need not hash
	 * a large body. NULL = http/ hashes the body. Conditions are still
	 * evaluated by http/, never by the handler. */
	const char *etag;
	/* A page that is the same for every reader sets shared and names
	 * what it shows in tags ("post:12", "front", "cat:SLUG",
	 * "author:LOGIN", "comments", "site"), so that http/ may keep it in the page
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
#define TAG_SITE "site"   /* every page and feed: site title, nav categories */
#define TAG_FRONT "front" /* the front page, its /page/N/, the site's feeds */
/* Pages that may show any article's comments or any article (the site's
 * comment feed, search results): dropped with every write that drops a
 * post's pages (tag_post). */
#define TAG_COMMENTS "comments"

/* Handlers. Each fills rs; none returns an error (errors are pages). */
void h_front(struct app *app, struct req *rq, struct resp *rs, int64_t page);
void h_category(struct app *app, struct req *rq, struct resp *rs,
    const char *slug, int64_t page);
void h_author(struct app *app, struct req *rq, struct resp *rs,
    const char *login, int64_t page);
void h_article(struct app *app, struct req *rq, struct resp *rs, int y,
    int m, int d, const char *slug);
void h_tag(struct app *app, struct req *rq, struct resp *rs,
    const char *slug, int64_t page);
/* Posts of a year (m = 0), a month (d = 0) or a day, UTC. */
void h_date_archive(struct app *app, struct req *rq, struct resp *rs,
    int y, int m, int d, int64_t page);
void h_comment_post(struct app *app, struct req *rq, struct resp *rs);

/* Feeds (handler/feed.c): RSS 2.0, Atom 1.0, JSON Feed 1.1. */
enum feed_format { FEED_RSS, FEED_ATOM, FEED_JSON };
/* Articles: the site's (all NULL), or one category's, tag's or
 * author's. */
void h_feed_posts(struct app *app, struct req *rq, struct resp *rs,
    enum feed_format f, const char *category, const char *tag,
    const char *author);
/* The site's latest comments. */
void h_feed_comments(struct app *app, struct req *rq, struct resp *rs,
    enum feed_format f);
/* One article's comments, threaded. */
void h_feed_post_comments(struct app *app, struct req *rq,
    struct resp *rs, enum feed_format f, int y, int m, int d,
    const char *slug);
/* Search (handler/search.c): the page and the JSON answer. */
void h_search(struct app *app, struct req *rq, struct resp *rs);
/* The page-cache key of a /search request: its canonical address, the
 * same for every spelling of it; NULL if it is not kept (a bad type or
 * page, a query that is refused). Arena-owned. */
const char *h_search_key(struct app *app, struct req *rq);
void h_api_search(struct app *app, struct req *rq, struct resp *rs);
/* For crawlers (handler/feed.c): sitemap.xml, robots.txt. */
void h_sitemap(struct app *app, struct req *rq, struct resp *rs);
void h_robots(struct app *app, struct req *rq, struct resp *rs);
void h_api_posts(struct app *app, struct req *rq, struct resp *rs);
void h_api_post(struct app *app, struct req *rq, struct resp *rs, int64_t id);
void h_api_comments(struct app *app, struct req *rq, struct resp *rs,
    int64_t id);
void h_theme(struct app *app, struct req *rq, struct resp *rs,
    const char *name);
void h_media(struct app *app, struct req *rq, struct resp *rs,
    const char *name);
/* Addresses the site had on WordPress (handler/legacy.c): pages at their
 * own path, every old permalink form as a 301 to the Parley URL. Each
 * returns 1 if it answered, 0 to let routing go on (to a 404). */
int h_legacy_path(struct app *app, struct req *rq, struct resp *rs);
/* "/?p=ID", "/?page_id=ID", "/?cat=ID", "/?feed=rss2"...; 0 if the front
 * page has none of WordPress's query arguments. */
int h_legacy_query(struct app *app, struct req *rq, struct resp *rs);
/* An HTML error page (404, 405, 400, 413, 414, 429, 500...). */
void h_error(struct app *app, struct req *rq, struct resp *rs, int status,
    const char *message);
void h_redirect(struct resp *rs, int status, const char *location);

/* When anything a page may show last changed (unix seconds): the newest
 * write to the site's content (settings page included), the newest
 * publication that has become visible, the server's start (config and
 * theme) and the last settings swap. Call under conf_lock.
 * handler/app.c. */
int64_t app_last_modified(struct app *app, struct req *rq);

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

/* Settings kept in the store (the settings page) over parley.conf. Called
 * by http/ before each request, outside conf_lock: at most once a second
 * (or at once after this process saved) it compares the store's settings
 * version and, when it changed, loads the new conf and swaps it in under
 * the write lock. */
void app_settings_refresh(struct app *app);
/* Values the settings page may set, as "section.key" names. */
extern const char *const app_setting_keys[];

#endif
