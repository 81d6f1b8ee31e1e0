/* routes.c: path → handler. Paths are matched segment by segment; numbers
 * are parsed with bounds. GET and HEAD are accepted for pages, POST only
 * where a form posts; anything else is 405 with an Allow header. */
#include <string.h>

#include "../base/limits.h"
#include "../base/str.h"
#include "../handler/admin.h"
#include "metrics.h"
#include "server.h"

#define MAXSEG 8

struct path {
	size_t n;
	const char *seg[MAXSEG];
	int trailing; /* path ended with '/' */
};

/* Split "/a/b/c/" into segments in the arena. More than MAXSEG segments
 * or empty inner segments ("//") make it unroutable (returns 0). */
static int
split(struct arena *a, const char *p, struct path *out)
{
	const char *s = p + 1;

	memset(out, 0, sizeof(*out));
	if (p[0] != '/')
		return 0;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == 0 || out->n == MAXSEG)
			return 0;
		out->seg[out->n++] = arena_strndup(a, s, len);
		if (e == NULL)
			return 1;
		s = e + 1;
	}
	out->trailing = out->n > 0 || p[1] == '\0';
	return 1;
}

static int
num(const char *s, size_t digits, long long min, long long max,
    long long *v)
{
	if (digits && strlen(s) != digits)
		return 0;
	return str_toint(s, min, max, v) == P_OK;
}

static int
page_of(const struct path *p, size_t i, long long *page)
{
	/* ".../page/N/" at i */
	*page = 1;
	if (p->n == i)
		return 1;
	if (p->n == i + 2 && !strcmp(p->seg[i], "page") &&
	    num(p->seg[i + 1], 0, 1, LIM_PAGE_MAX, page))
		return 1;
	return 0;
}

/* Pages need GET/HEAD; write 405 otherwise. */
static int
want_get(struct app *app, struct req *rq, struct resp *rs)
{
	if (rq->method == M_GET || rq->method == M_HEAD)
		return 1;
	h_error(app, rq, rs, 405, "This page can only be read (GET or HEAD).");
	resp_header(rs, "Allow", "GET, HEAD");
	return 0;
}

/* Pages are canonical with a trailing slash; redirect if it is missing
 * (keeping the query string would need the raw URI; pages that take one
 * are reached through links that already have the slash). */
static int
want_slash(struct req *rq, struct resp *rs, const struct path *p)
{
	struct buf b;
	size_t i;

	if (p->trailing)
		return 1;
	/* The path arrives decoded: encode each segment again so the
	 * Location cannot be split, nor point somewhere else via ? or #. */
	buf_init(&b, 0);
	for (i = 0; i < p->n; i++) {
		buf_putc(&b, '/');
		esc_url_component(&b, p->seg[i], strlen(p->seg[i]));
	}
	buf_putc(&b, '/');
	h_redirect(rs, 301, arena_strdup(rq->a, b.data));
	buf_free(&b);
	return 0;
}

/* ".../feed/" (RSS), ".../feed/atom/" or ".../feed.json" starting at
 * segment i; sets *f. */
static int
feed_of(const struct path *p, size_t i, enum feed_format *f)
{
	if (p->n == i + 1 && !strcmp(p->seg[i], "feed")) {
		*f = FEED_RSS;
		return 1;
	}
	if (p->n == i + 2 && !strcmp(p->seg[i], "feed") &&
	    !strcmp(p->seg[i + 1], "atom")) {
		*f = FEED_ATOM;
		return 1;
	}
	if (p->n == i + 1 && !p->trailing && !strcmp(p->seg[i], "feed.json")) {
		*f = FEED_JSON;
		return 1;
	}
	return 0;
}

/* Feeds other than JSON Feed end in a slash like pages. */
static int
feed_slash(struct req *rq, struct resp *rs, const struct path *p,
    enum feed_format f)
{
	return f == FEED_JSON || want_slash(rq, rs, p);
}

const char *
routes_query_key(struct app *app, struct req *rq)
{
	/* The search page is the one listing readers reach with a query
	 * string, and the costly one to render. */
	if (!strcmp(rq->path, "/search") || !strcmp(rq->path, "/search/"))
		return h_search_key(app, rq);
	return NULL;
}

static void route_read(struct app *, struct req *, struct resp *,
    const struct path *);

void
routes_dispatch(struct app *app, struct req *rq, struct resp *rs)
{
	struct path p;
	enum feed_format ff;

	rs->route = "error";
	if (!split(rq->a, rq->path, &p)) {
		h_error(app, rq, rs, 404, "There is nothing at this address.");
		return;
	}
	if (p.n == 1 && !strcmp(p.seg[0], "metrics")) {
		rs->route = "metrics";
		if (!want_get(app, rq, rs))
			return;
		/* For the operator's scraper on this machine (or behind
		 * the local reverse proxy), not for the world. */
		if (strcmp(rq->ip, "127.0.0.1") && strcmp(rq->ip, "::1")) {
			h_error(app, rq, rs, 403, "Metrics are served to "
			    "this machine only.");
			return;
		}
		metrics_render(app, &rs->body);
		rs->status = 200;
		rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
		resp_header(rs, "Cache-Control", "no-store");
		return;
	}
	if (p.n >= 2 && !strcmp(p.seg[0], "comments") &&
	    feed_of(&p, 1, &ff)) {
		rs->route = "feed";
		if (!want_get(app, rq, rs) || !feed_slash(rq, rs, &p, ff))
			return;
		h_feed_comments(app, rq, rs, ff);
		return;
	}
	if (p.n >= 1 && !strcmp(p.seg[0], "comments") && p.n == 1) {
		rs->route = "comment_post";
		if (rq->method != M_POST) {
			h_error(app, rq, rs, 405,
			    "Comments are sent with the form under an article.");
			resp_header(rs, "Allow", "POST");
			return;
		}
		h_comment_post(app, rq, rs);
		return;
	}
	if (p.n >= 1 && !strcmp(p.seg[0], "admin")) {
		rs->route = "admin";
		h_admin(app, rq, rs, p.n, (const char *const *)p.seg,
		    p.trailing);
		return;
	}
	/* Every other route reads: from one snapshot of the store. */
	store_read_begin(app->store);
	route_read(app, rq, rs, &p);
	store_read_end(app->store);
}

/* The routes that only read (routes_dispatch holds a snapshot). */
static void
route_read(struct app *app, struct req *rq, struct resp *rs,
    const struct path *pp)
{
	struct path p = *pp;
	long long y, m, d, page, id;
	enum feed_format ff;

	if (p.n >= 1 && !strcmp(p.seg[0], "api")) {
		rs->route = "api";
		if (!want_get(app, rq, rs))
			return;
		if (p.n == 3 && !strcmp(p.seg[1], "v1") &&
		    !strcmp(p.seg[2], "search")) {
			h_api_search(app, rq, rs);
			return;
		}
		if (p.n >= 3 && !strcmp(p.seg[1], "v1") &&
		    !strcmp(p.seg[2], "posts")) {
			if (p.n == 3) {
				h_api_posts(app, rq, rs);
				return;
			}
			if (num(p.seg[3], 0, 1, INT64_MAX, &id)) {
				if (p.n == 4) {
					h_api_post(app, rq, rs, id);
					return;
				}
				if (p.n == 5 && !strcmp(p.seg[4], "comments")) {
					h_api_comments(app, rq, rs, id);
					return;
				}
			}
		}
		h_error(app, rq, rs, 404, "No such API resource.");
		return;
	}
	if (!want_get(app, rq, rs))
		return;
	if (p.n == 0 || (p.n == 2 && page_of(&p, 0, &page))) {
		/* WordPress's /?p=ID and friends (handler/legacy.c) */
		rs->route = "legacy";
		if (p.n == 0 && h_legacy_query(app, rq, rs))
			return;
		rs->route = "front";
		if (p.n == 0)
			page = 1;
		if (!want_slash(rq, rs, &p))
			return;
		h_front(app, rq, rs, page);
		return;
	}
	if (p.n >= 1 && feed_of(&p, 0, &ff)) {
		rs->route = "feed";
		if (feed_slash(rq, rs, &p, ff))
			h_feed_posts(app, rq, rs, ff, NULL, NULL, NULL);
		return;
	}
	if (p.n == 1 && !strcmp(p.seg[0], "search")) {
		rs->route = "search";
		/* Takes a query string: never redirected (that would lose
		 * it), /search and /search/ both answer. */
		h_search(app, rq, rs);
		return;
	}
	if (p.n == 1 && !p.trailing && !strcmp(p.seg[0], "sitemap.xml")) {
		rs->route = "site_files";
		h_sitemap(app, rq, rs);
		return;
	}
	if (p.n == 1 && !p.trailing && !strcmp(p.seg[0], "robots.txt")) {
		rs->route = "site_files";
		h_robots(app, rq, rs);
		return;
	}
	if (p.n == 2 && !strcmp(p.seg[0], "theme")) {
		rs->route = "theme";
		h_theme(app, rq, rs, p.seg[1]);
		return;
	}
	if (p.n == 2 && !strcmp(p.seg[0], "media")) {
		rs->route = "media";
		if (!h_media_blob(app, rq, rs, p.seg[1]))
			h_media(app, rq, rs, p.seg[1]);
		return;
	}
	if (p.n == 2 && !strcmp(p.seg[0], "comment-status")) {
		rs->route = "comment_status";
		if (!want_slash(rq, rs, &p))
			return;
		h_comment_status(app, rq, rs, p.seg[1]);
		return;
	}
	if (p.n >= 3 && (!strcmp(p.seg[0], "category") ||
	    !strcmp(p.seg[0], "tag") || !strcmp(p.seg[0], "author")) &&
	    feed_of(&p, 2, &ff)) {
		rs->route = "feed";
		if (feed_slash(rq, rs, &p, ff))
			h_feed_posts(app, rq, rs, ff,
			    p.seg[0][0] == 'c' ? p.seg[1] : NULL,
			    p.seg[0][0] == 't' ? p.seg[1] : NULL,
			    p.seg[0][0] == 'a' ? p.seg[1] : NULL);
		return;
	}
	if (p.n >= 2 && !strcmp(p.seg[0], "tag") && page_of(&p, 2, &page)) {
		rs->route = "archive";
		if (!want_slash(rq, rs, &p))
			return;
		h_tag(app, rq, rs, p.seg[1], page);
		return;
	}
	if (p.n >= 2 && !strcmp(p.seg[0], "category") && page_of(&p, 2, &page)) {
		rs->route = "category";
		if (!want_slash(rq, rs, &p))
			return;
		h_category(app, rq, rs, p.seg[1], page);
		return;
	}
	if (p.n >= 2 && !strcmp(p.seg[0], "author") && page_of(&p, 2, &page)) {
		rs->route = "author";
		if (!want_slash(rq, rs, &p))
			return;
		h_author(app, rq, rs, p.seg[1], page);
		return;
	}
	/* Date archives: /YYYY/, /YYYY/MM/, /YYYY/MM/DD/, each + page/N/. */
	if (p.n >= 1 && num(p.seg[0], 4, 1970, 9999, &y)) {
		m = d = 0;
		if (page_of(&p, 1, &page) ||
		    (p.n >= 2 && num(p.seg[1], 2, 1, 12, &m) &&
		    page_of(&p, 2, &page)) ||
		    (p.n >= 3 && num(p.seg[1], 2, 1, 12, &m) &&
		    num(p.seg[2], 2, 1, 31, &d) && page_of(&p, 3, &page))) {
			rs->route = "archive";
			if (!want_slash(rq, rs, &p))
				return;
			h_date_archive(app, rq, rs, (int)y, (int)m, (int)d,
			    page);
			return;
		}
	}
	if (p.n >= 5 && num(p.seg[0], 4, 1970, 9999, &y) &&
	    num(p.seg[1], 2, 1, 12, &m) && num(p.seg[2], 2, 1, 31, &d) &&
	    feed_of(&p, 4, &ff)) {
		rs->route = "feed";
		if (feed_slash(rq, rs, &p, ff))
			h_feed_post_comments(app, rq, rs, ff, (int)y, (int)m,
			    (int)d, p.seg[3]);
		return;
	}
	if (p.n == 4 && num(p.seg[0], 4, 1970, 9999, &y) &&
	    num(p.seg[1], 2, 1, 12, &m) && num(p.seg[2], 2, 1, 31, &d)) {
		rs->route = "article";
		if (!want_slash(rq, rs, &p))
			return;
		h_article(app, rq, rs, (int)y, (int)m, (int)d, p.seg[3]);
		return;
	}
	/* Pages, and the addresses the site had on WordPress. */
	rs->route = "legacy";
	if (h_legacy_path(app, rq, rs))
		return;
	h_error(app, rq, rs, 404, "There is nothing at this address.");
}
