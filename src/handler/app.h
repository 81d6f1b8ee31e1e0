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

struct resp {
	int status;
	const char *content_type; /* static or arena string */
	struct buf body;          /* owned by http/ after return */
	size_t nheaders;
	const char *hname[RESP_MAX_HEADERS];
	const char *hval[RESP_MAX_HEADERS];
};

/* Add a response header (arena or static strings). Extra ones past
 * RESP_MAX_HEADERS are dropped with a log line: a programming error. */
void resp_header(struct resp *rs, const char *name, const char *value);

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

/* App lifetime (handler/app.c): load config, open store, compile theme. */
enum perr app_open(struct app *app, const char *site_dir, char *err,
    size_t errsz);
void app_close(struct app *app);

#endif
