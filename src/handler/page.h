/* page.h: what every HTML page shares: the site values in the template
 * context, rendering a template into a response with the right headers,
 * and URLs of things (one place builds each kind of URL). */
#ifndef PARLEY_PAGE_H
#define PARLEY_PAGE_H

#include "app.h"

/* New context with site, page_title, css_url, lang, nav_categories, the
 * site's feeds for autodiscovery (feeds), and the page's metadata for
 * crawlers and link previews with defaults: meta_canonical (this path),
 * meta_title, meta_description (the tagline), meta_type "website",
 * meta_card; noindex when the site asks crawlers away.
 * title NULL = the site title alone. Arena-owned. */
struct tval *page_ctx(struct app *app, struct req *rq, const char *title);
/* Override the metadata: canonical path (site-relative; NULL keeps this
 * path), description (plain text; NULL keeps the default) and featured
 * image (path or URL; NULL = none) with its alt text. */
void page_meta(struct app *app, struct req *rq, struct tval *ctx,
    const char *path, const char *description, const char *image,
    const char *image_alt);
/* Add RSS, Atom and JSON Feed links (autodiscovery) for the feeds under
 * path ("/category/x/" → /category/x/feed/ ...), titled what. */
void page_feeds(struct app *app, struct req *rq, struct tval *ctx,
    const char *path, const char *what);
/* Absolute URL of a site-relative path (or an absolute URL as is). */
const char *abs_url(struct app *app, struct arena *a, const char *u);
/* Every page and feed lists categories and articles as of now; a
 * scheduled post appearing changes them without a write: rs expires
 * then (or is not shared when the time cannot be read). */
void page_until_scheduled(struct app *app, struct resp *rs);
/* Render template name with ctx into rs as text/html (status unchanged
 * unless rendering fails, then 500); page_until_scheduled included. */
void page_render(struct app *app, struct req *rq, struct resp *rs,
    const char *name, struct tval *ctx);

/* s percent-encoded as one URL path segment or query value. */
const char *url_component(struct arena *a, const char *s);

/* Cache-Control per kind of page. Pages that take comments revalidate
 * every time (a 304 is cheap); listings and the API may be a minute old
 * (a new comment's count shows within that); feeds, which readers poll,
 * five minutes; files named by their content's hash, forever. */
#define CACHE_ARTICLE "no-cache"
#define CACHE_ARTICLE_PERSONAL "private, no-cache"
#define CACHE_LISTING "public, max-age=60"
#define CACHE_API "public, max-age=60"
#define CACHE_FEED "public, max-age=300"
#define CACHE_SITE_FILES "public, max-age=3600"
#define CACHE_IMMUTABLE "public, max-age=31536000, immutable"

/* Site-relative URLs, arena-owned. A page's is /its/path/. */
const char *url_post(struct arena *a, const struct post *p);
const char *url_category(struct arena *a, const char *slug);
const char *url_author(struct arena *a, const char *login);
const char *url_tag(struct arena *a, const char *slug);
/* "/2026/", "/2026/10/", "/2026/10/06/" (m or d 0 = coarser). */
const char *url_date(struct arena *a, int y, int m, int d);

/* Readers may see p now: published or scheduled and due (by status;
 * drafts, pending and private posts never), no password. The one rule,
 * also PUBLIC in store/sqlite.c (listings, feeds, search, archives and
 * the sitemap add "an article, not a page"). */
int post_is_public(const struct post *p, int64_t now);

/* A commenter's web site as a link target: http(s) with a host, else
 * NULL (imported comments keep whatever WordPress had). */
const char *commenter_site(const char *url);

/* Comments open now? (flag and close-after-days) */
int post_comments_open(const struct app *app, const struct post *p,
    int64_t now);

/* "No Responses" / "1 Response" / "N Responses" */
const char *responses_label(struct arena *a, int64_t n);



/* The article page (handler/post.c), shared with the comment handler so
 * a rejected comment re-shows the page with what the reader typed. */
struct form_in {
	int64_t parent_id;
	const char *author, *email, *url, *text;
	const char *error; /* message above the form, NULL if none */
};
/* f NULL = a fresh form (parent from ?replytocom=). viewer = commenter id
 * from the reader's cookie (NULL if none) to show their pending comments. */
void article_page(struct app *app, struct req *rq, struct resp *rs,
    const struct post *p, const struct form_in *f, const char *viewer);

/* Name, e-mail and site the reader last commented with (from their own
 * cookie, to prefill the form as WordPress does); "" when unknown. */
void commenter_prefill(struct req *rq, const char **name,
    const char **email, const char **url);

/* The ?cpage= page of a paged thread holding comment_id as seen by
 * viewer; 0 when threads are not paged (or it is not shown). */
int64_t comment_page(struct app *app, struct arena *a, int64_t post_id,
    int64_t comment_id, const char *viewer);
/* Set the cookie that carries the comment form's signed timestamp (how
 * long the reader took to write: a bot's tell). In a cookie rather than
 * in the page so the page stays the same for every reader and cacheable.
 * (handler/comment.c) */
void form_ts_cookie(struct app *app, struct req *rq, struct resp *rs);

/* Commenter id from the signed cookie, or NULL (handler/comment.c). */
const char *commenter_from_cookie(struct app *app, struct req *rq);
/* A category, tag or author archive (handler/post.c; kind is the store's
 * enum archive_kind, ARCH_MONTH excepted): the listing pages and their
 * feeds resolve the slug the same way. */
struct archive_page {
	const char *url;         /* site-relative listing URL */
	const char *heading;     /* "Category: X", "Tag: X", "Posts by X" */
	const char *description; /* meta description of the listing */
	const char *title;       /* page title with the site's */
	const char *cache_tag;   /* page-cache dependency tag */
};
/* Sets q's filter and *out (arena-owned) and returns 1; if no such
 * archive, writes the 404 page into rs and returns 0. */
int archive_find(struct app *app, struct req *rq, struct resp *rs,
    enum archive_kind kind, const char *slug, struct post_query *q,
    struct archive_page *out);

#endif
