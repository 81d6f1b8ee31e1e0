/* legacy.c: the addresses a site had on WordPress, answered after an
 * import. Pages live at their own address (/about/, /about/team/) and
 * are shown there; every old permalink form answers 301 with the Parley
 * URL: /?p=ID, /?page_id=ID, /?cat=ID, /?tag=x, /?author=ID, /?feed=...,
 * /?attachment_id=ID, /YYYY/MM/DD/slug/ with WordPress's local date,
 * /YYYY/MM/slug/, /YYYY/slug/, /slug/, /archives/ID, the exact path of
 * any imported permalink (custom structures), /category/parent/child/,
 * and the suffixes WordPress adds: feed/ (to the article's comment feed),
 * comment-page-N/, amp/, embed/, trackback/, an attachment's slug.
 * Comment anchors need nothing: an imported comment keeps its WordPress
 * id, and a browser carries #comment-N across a redirect that has no
 * fragment of its own, so none of these redirects adds one.
 * Lookups go through store_post_lookup (public posts only). */
#include <string.h>
#include <time.h>

#include "../base/limits.h"
#include "../base/str.h"
#include "page.h"

#define MAXSEG 8

struct segs {
	size_t n;
	const char *s[MAXSEG];
};

/* rq->path in segments ("" ones dropped); 0 if too many. */
static int
split(struct arena *a, const char *path, struct segs *out)
{
	const char *p = path;

	out->n = 0;
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		len = strcspn(p, "/");
		if (out->n == MAXSEG)
			return 0;
		out->s[out->n++] = arena_strndup(a, p, len);
		p += len;
	}
	return 1;
}

static const char *
join(struct arena *a, const struct segs *g, size_t from, size_t to)
{
	size_t i, len = 1;
	char *out, *o;

	for (i = from; i < to; i++)
		len += strlen(g->s[i]) + 1;
	o = out = arena_alloc(a, len + 1);
	for (i = from; i < to; i++) {
		size_t k = strlen(g->s[i]);

		if (i > from)
			*o++ = '/';
		memcpy(o, g->s[i], k);
		o += k;
	}
	*o = '\0';
	return out;
}

static int
num(const char *s, size_t digits, long long min, long long max,
    long long *v)
{
	if (digits && strlen(s) != digits)
		return 0;
	return str_toint(s, min, max, v) == P_OK;
}

/* 301 to target unless it is where the reader already is (a loop). */
static int
moved(struct req *rq, struct resp *rs, const char *target)
{
	const char *dec = str_pct_decode(rq->a, target, strcspn(target, "?#"),
	    0);

	if (dec && strcmp(dec, rq->path) == 0)
		return 0;
	h_redirect(rs, 301, target);
	return 1;
}

static int
lookup(struct app *app, struct req *rq, enum post_key_kind kind,
    int64_t id, const char *text, int y, int m, int d, struct post *out)
{
	struct post_key k = { kind, id, text, y, m, d };

	return store_post_lookup(app->store, rq->a, &k, out) == P_OK;
}

/* A page at its own address: shown, not redirected. */
static int
show_page(struct app *app, struct req *rq, struct resp *rs,
    const struct post *p)
{
	/* article_page sets Cache-Control (CACHE_ARTICLE, or personal).
	 * It renders for this reader and never marks the page shared, so
	 * the page cache keeps none of this file's answers (nor the 301s):
	 * which post an old path names is decided by lookups that no cache
	 * tag covers. */
	article_page(app, rq, rs, p, NULL, commenter_from_cookie(app, rq));
	return 1;
}

/* The post the segments [0, n) name, by any of WordPress's forms. */
static int
resolve(struct app *app, struct req *rq, const struct segs *g, size_t n,
    struct post *p)
{
	long long y = 0, m = 0, d = 0, id;
	const char *last;

	if (n == 0)
		return 0;
	last = g->s[n - 1];
	if (lookup(app, rq, PK_OLD_PATH, 0, arena_printf(rq->a, "/%s",
	    join(rq->a, g, 0, n)), 0, 0, 0, p))
		return 1;
	if (lookup(app, rq, PK_PAGE_PATH, 0, join(rq->a, g, 0, n), 0, 0, 0, p))
		return 1;
	if (n == 2 && (!strcmp(g->s[0], "archives") || !strcmp(g->s[0], "p")) &&
	    num(last, 0, 1, INT64_MAX, &id))
		return lookup(app, rq, PK_WP_ID, id, NULL, 0, 0, 0, p);
	/* /YYYY/[MM/[DD/]]slug */
	if (n >= 2 && num(g->s[0], 4, 1, 9999, &y)) {
		if (n >= 3 && !num(g->s[1], 2, 1, 12, &m))
			m = 0;
		if (n >= 4 && m && !num(g->s[2], 2, 1, 31, &d))
			d = 0;
	}
	return lookup(app, rq, PK_SLUG, 0, last, (int)y, (int)m, (int)d, p);
}

int
h_legacy_path(struct app *app, struct req *rq, struct resp *rs)
{
	struct segs g;
	struct post p;
	struct category c;
	const char *last;
	size_t n;
	int feed = 0;

	if (!split(rq->a, rq->path, &g) || g.n == 0)
		return 0;
	n = g.n;
	/* /category/parent/child/: WordPress's hierarchical archive */
	if (n >= 3 && !strcmp(g.s[0], "category") &&
	    strcmp(g.s[n - 2], "page") != 0 && strcmp(g.s[n - 1], "feed") != 0) {
		if (store_category_get(app->store, rq->a, g.s[n - 1], &c) ==
		    P_OK)
			return moved(rq, rs, url_category(rq->a, c.slug));
		return 0;
	}
	/* what WordPress puts after a permalink */
	last = g.s[n - 1];
	if (n >= 2 && !strcmp(last, "feed"))
		feed = 1, n--;
	else if (n >= 3 && !strcmp(g.s[n - 2], "feed") &&
	    (!strcmp(last, "rss2") || !strcmp(last, "rss") ||
	    !strcmp(last, "atom") || !strcmp(last, "rdf")))
		feed = strcmp(last, "atom") ? 1 : 2, n -= 2;
	else if (n >= 2 && (!strncmp(last, "comment-page-", 13) ||
	    !strcmp(last, "amp") || !strcmp(last, "embed") ||
	    !strcmp(last, "trackback")))
		n--;
	if (n == 1 && (!strcmp(g.s[0], "comments") ||
	    !strcmp(g.s[0], "category") || !strcmp(g.s[0], "tag") ||
	    !strcmp(g.s[0], "author")))
		return 0; /* /comments/feed/ and archive feeds: not posts */
	if (resolve(app, rq, &g, n, &p)) {
		const char *u = url_post(rq->a, &p);

		if (feed)
			return moved(rq, rs, arena_printf(rq->a, "%sfeed/%s", u,
			    feed == 2 ? "atom/" : ""));
		if (p.type && !strcmp(p.type, "page") && n == g.n &&
		    strcmp(join(rq->a, &g, 0, n), p.path) == 0 &&
		    rq->path[strlen(rq->path) - 1] == '/')
			return show_page(app, rq, rs, &p);
		return moved(rq, rs, u);
	}
	/* An attachment page under its post, or anything else below one. */
	if (!feed && n >= 2 && n == g.n && resolve(app, rq, &g, n - 1, &p))
		return moved(rq, rs, url_post(rq->a, &p));
	return 0;
}

int
h_legacy_query(struct app *app, struct req *rq, struct resp *rs)
{
	static const char *const keys[] = { "p", "page_id", "attachment_id",
		"cat", "tag", "author", "feed", "name", "pagename", "s", "m" };
	const char *v = NULL, *key = NULL, *slug, *feed;
	struct post p;
	long long id = 0;
	size_t i;
	int found = 0;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((v = rq->query(rq, keys[i])) != NULL && *v) {
			key = keys[i];
			break;
		}
	if (key == NULL)
		return 0;
	feed = rq->query(rq, "feed");
	if (!strcmp(key, "p") || !strcmp(key, "page_id") ||
	    !strcmp(key, "attachment_id")) {
		if (num(v, 0, 1, INT64_MAX, &id))
			found = lookup(app, rq, key[0] == 'a' ? PK_ATTACHMENT :
			    PK_WP_ID, id, NULL, 0, 0, 0, &p);
		if (!found) {
			h_error(app, rq, rs, 404, "There is no article with "
			    "that number.");
			return 1;
		}
		if (feed && *feed)
			return moved(rq, rs, arena_printf(rq->a, "%sfeed/",
			    url_post(rq->a, &p)));
		return moved(rq, rs, url_post(rq->a, &p));
	}
	if (!strcmp(key, "name") || !strcmp(key, "pagename")) {
		if (lookup(app, rq, key[0] == 'n' ? PK_SLUG : PK_PAGE_PATH, 0, v,
		    0, 0, 0, &p))
			return moved(rq, rs, url_post(rq->a, &p));
		h_error(app, rq, rs, 404, "There is no article at this address.");
		return 1;
	}
	if (!strcmp(key, "cat") || !strcmp(key, "author")) {
		if (num(v, 0, 1, INT64_MAX, &id) && store_wp_slug(app->store,
		    rq->a, key[0] == 'c' ? "category" : "author", id, &slug) ==
		    P_OK)
			return moved(rq, rs, key[0] == 'c' ?
			    url_category(rq->a, slug) : url_author(rq->a, slug));
		h_error(app, rq, rs, 404, key[0] == 'c' ?
		    "There is no such category." : "There is no such author.");
		return 1;
	}
	if (!strcmp(key, "tag")) {
		struct buf b;
		const char *t;

		buf_init(&b, 0);
		buf_puts(&b, "/tag/");
		esc_url_component(&b, v, strlen(v));
		buf_putc(&b, '/');
		t = arena_strdup(rq->a, b.data);
		buf_free(&b);
		return moved(rq, rs, t);
	}
	if (!strcmp(key, "s")) {
		struct buf b;
		const char *t;

		buf_init(&b, 0);
		buf_puts(&b, "/search?q=");
		esc_url_component(&b, v, strlen(v));
		t = arena_strdup(rq->a, b.data);
		buf_free(&b);
		return moved(rq, rs, t);
	}
	if (!strcmp(key, "m")) {
		long long ym;

		/* ?m=YYYYMM or YYYYMMDD: the date archive */
		if (strlen(v) == 6 && num(v, 6, 100001, 999912, &ym))
			return moved(rq, rs, arena_printf(rq->a, "/%04lld/%02lld/",
			    ym / 100, ym % 100));
		if (strlen(v) == 8 && num(v, 8, 10000101, 99991231, &ym))
			return moved(rq, rs, arena_printf(rq->a,
			    "/%04lld/%02lld/%02lld/", ym / 10000,
			    ym / 100 % 100, ym % 100));
		return 0;
	}
	/* ?feed=rss2, atom, comments-rss2 */
	if (!strncmp(v, "comments", 8))
		return moved(rq, rs, "/comments/feed/");
	return moved(rq, rs, !strcmp(v, "atom") ? "/feed/atom/" : "/feed/");
}
