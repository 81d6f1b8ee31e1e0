#include "page.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../base/log.h"

/* Pages come only from our own origin; comment HTML has no scripts, and
 * this header makes sure even a renderer bug could not run one. */
#define PAGE_CSP "default-src 'self'; img-src 'self' data: https:; " \
	"style-src 'self'; script-src 'none'; form-action 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'"

/* The three formats, for autodiscovery links. */
static const struct {
	const char *type, *label, *suffix;
} kinds[] = {
	{ "application/rss+xml", "RSS", "/feed/" },
	{ "application/atom+xml", "Atom", "/feed/atom/" },
	{ "application/feed+json", "JSON Feed", "/feed.json" },
};
/* Room made before rendering a page (see page_render). */
#define PAGE_RESERVE_BYTES (64 * 1024)

/* The categories the navigation lists and the next scheduled
 * publication: the same for every page until a write moves the store's
 * data version or that publication comes due, so they are read once per
 * change (a tenth of an uncached page before). The categories are
 * copied into a (unless cats is NULL). Returns 0 if the store could not
 * answer. */
static int
site_facts(struct app *app, struct arena *a, struct category **cats,
    size_t *ncats, int64_t *next)
{
	int64_t v, now = (int64_t)time(NULL);
	struct category *c;
	size_t i, n;
	int ok;

	if (store_data_version(app->store, &v) != P_OK)
		v = -1;
	pthread_mutex_lock(&app->facts_mu);
	if (!app->facts_ok || v < 0 || v != app->facts_version ||
	    (app->facts_next > 0 && now >= app->facts_next)) {
		arena_free(&app->facts_a);
		arena_init(&app->facts_a);
		app->facts_ok = store_category_list(app->store, &app->facts_a,
		    &app->facts_cats, &app->facts_ncats) == P_OK &&
		    store_post_next_scheduled(app->store, now,
		    &app->facts_next) == P_OK && v >= 0;
		app->facts_version = v;
		if (!app->facts_ok)
			app->facts_ncats = 0;
	}
	ok = app->facts_ok;
	*next = app->facts_next;
	if (cats) {
		n = app->facts_ncats;
		c = arena_alloc(a, (n ? n : 1) * sizeof(*c));
		for (i = 0; i < n; i++) {
			c[i].id = app->facts_cats[i].id;
			c[i].slug = arena_strdup(a, app->facts_cats[i].slug);
			c[i].name = arena_strdup(a, app->facts_cats[i].name);
		}
		*cats = c;
		*ncats = n;
	}
	pthread_mutex_unlock(&app->facts_mu);
	return ok;
}

struct tval *
page_ctx(struct app *app, struct req *rq, const char *title)
{
	struct tval *ctx = tv_obj(rq->a), *site = tv_obj(rq->a);
	struct tval *nav = tv_list(rq->a), *feeds;
	struct category *cats;
	size_t n, i;
	int64_t next;

	tv_str(site, "title", app->conf.title);
	tv_str(site, "tagline", app->conf.tagline);
	tv_str(site, "base_url", app->conf.base_url);
	tv_put(ctx, "site", site);
	if (title && *title)
		tv_str(ctx, "page_title", arena_cat(rq->a, title, " \xe2\x80\x93 ",
		    app->conf.title, NULL));
	else
		tv_str(ctx, "page_title", app->conf.title);
	tv_str(ctx, "css_url", app->css_url);
	tv_str(ctx, "lang", app->conf.language);
	if (site_facts(app, rq->a, &cats, &n, &next) ||
	    store_category_list(app->store, rq->a, &cats, &n) == P_OK)
		for (i = 0; i < n; i++) {
			struct tval *c = tv_push(nav);
			tv_str(c, "name", cats[i].name);
			tv_str(c, "url", url_category(rq->a, cats[i].slug));
		}
	tv_put(ctx, "nav_categories", nav);
	tv_bool(ctx, "has_nav_categories", tv_len(nav) > 0);
	tv_str(ctx, "meta_title", title && *title ? title : app->conf.title);
	tv_str(ctx, "meta_type", "website");
	tv_bool(ctx, "noindex", !app->conf.crawl_index);
	page_meta(app, rq, ctx, NULL, NULL, NULL, NULL);
	feeds = tv_list(rq->a);
	for (i = 0; i < 3; i++) {
		struct tval *f = tv_push(feeds);
		tv_str(f, "type", kinds[i].type);
		tv_str(f, "title", arena_cat(rq->a,
		    app->conf.title, " (", kinds[i].label, ")", NULL));
		tv_str(f, "url", abs_url(app, rq->a, kinds[i].suffix));
	}
	{
		struct tval *f = tv_push(feeds);
		tv_str(f, "type", kinds[0].type);
		tv_str(f, "title", arena_cat(rq->a, app->conf.title,
		    " \xe2\x80\x93 Comments (RSS)", NULL));
		tv_str(f, "url", abs_url(app, rq->a, "/comments/feed/"));
	}
	tv_put(ctx, "feeds", feeds);
	tv_str(ctx, "feed_url", "/feed/");
	tv_str(ctx, "comments_feed_url", "/comments/feed/");
	return ctx;
}

const char *
abs_url(struct app *app, struct arena *a, const char *u)
{
	if (u == NULL || *u == '\0')
		return "";
	if (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8))
		return u;
	return arena_cat(a, app->conf.base_url,
	    *u == '/' ? "" : "/", u, NULL);
}

/* Every path segment percent-encoded again (the path arrives decoded). */
static const char *
encode_path(struct arena *a, const char *path)
{
	struct buf b;
	const char *s = path, *out;

	buf_init(&b, 0);
	while (*s) {
		const char *e = strchr(s + 1, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (*s == '/') {
			buf_putc(&b, '/');
			s++;
			n--;
		}
		esc_url_component(&b, s, n);
		s += n;
	}
	out = arena_strdup(a, b.data ? b.data : "/");
	buf_free(&b);
	return out;
}

/* Search engines show about this much of a description. */
#define DESCRIPTION_BYTES 200

/* s cut at a space to at most max bytes, with "…" when cut. */
static const char *
shorten(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s), cut;

	if (n <= max)
		return s;
	for (cut = max - 3; cut > 0 && s[cut] != ' '; cut--)
		;
	if (cut == 0)
		for (cut = max - 3; cut > 0 &&
		    ((unsigned char)s[cut] & 0xC0) == 0x80; cut--)
			;
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ',' ||
	    s[cut - 1] == '.' || s[cut - 1] == ';' || s[cut - 1] == ':'))
		cut--;
	return arena_printf(a, "%.*s\xe2\x80\xa6", (int)cut, s);
}

void
page_meta(struct app *app, struct req *rq, struct tval *ctx,
    const char *path, const char *description, const char *image,
    const char *image_alt)
{
	const char *d = description;

	tv_str(ctx, "meta_canonical", abs_url(app, rq->a, path ? path :
	    encode_path(rq->a, rq->path ? rq->path : "/")));
	if (d == NULL || *d == '\0')
		d = *app->conf.tagline ? app->conf.tagline : app->conf.title;
	if (description || !path)
		tv_str(ctx, "meta_description", shorten(rq->a, d,
		    DESCRIPTION_BYTES));
	tv_str(ctx, "meta_image", image && *image ?
	    abs_url(app, rq->a, image) : "");
	tv_str(ctx, "meta_image_alt", image_alt ? image_alt : "");
	tv_str(ctx, "meta_card", image && *image ? "summary_large_image" :
	    "summary");
}

void
page_feeds(struct app *app, struct req *rq, struct tval *ctx,
    const char *path, const char *what)
{
	struct tval *l = tv_list(rq->a);
	size_t i;

	for (i = 0; i < 3; i++) {
		struct tval *f = tv_push(l);
		tv_str(f, "type", kinds[i].type);
		tv_str(f, "title", arena_cat(rq->a, what, " (",
		    kinds[i].label, ")", NULL));
		tv_str(f, "url", abs_url(app, rq->a, arena_cat(rq->a,
		    path, kinds[i].suffix + 1, NULL)));
	}
	tv_put(ctx, "page_feeds", l);
	tv_str(ctx, "page_feed_url", arena_cat(rq->a, path, "feed/", NULL));
}

void
page_until_scheduled(struct app *app, struct resp *rs)
{
	int64_t next = 0;

	/* Every page lists categories and articles as of now; a scheduled
	 * post appearing changes them without a write. */
	if (!site_facts(app, NULL, NULL, NULL, &next) &&
	    store_post_next_scheduled(app->store, (int64_t)time(NULL),
	    &next) != P_OK)
		rs->shared = 0;
	resp_expires(rs, next);
}

void
page_render(struct app *app, struct req *rq, struct resp *rs,
    const char *name, struct tval *ctx)
{
	enum perr e;

	buf_reset(&rs->body);
	page_until_scheduled(app, rs);
	/* Render into one preallocated buffer: a busy article is ~50 KB,
	 * and growing by doubling cost a tenth of the render. */
	(void)buf_reserve(&rs->body, PAGE_RESERVE_BYTES);
	e = tmpl_render(app->tmpl, name, ctx, &rs->body);
	if (e != P_OK) {
		log_warn("render %s: %s", name, perr_str(e));
		buf_reset(&rs->body);
		buf_puts(&rs->body, "<!DOCTYPE html><title>Error</title>"
		    "<p>This page could not be shown.</p>\n");
		rs->status = 500;
		rs->shared = 0;
	}
	rs->content_type = "text/html; charset=utf-8";
	resp_header(rs, "Content-Security-Policy", PAGE_CSP);
}

static void
ymd(int64_t t, int *y, int *m, int *d)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

const char *
url_component(struct arena *a, const char *s)
{
	struct buf b;
	const char *out;

	buf_init(&b, 0);
	esc_url_component(&b, s, strlen(s));
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

const char *
url_post(struct arena *a, const struct post *p)
{
	int y, m, d;

	if (p->type && !strcmp(p->type, "page") && p->path && *p->path) {
		struct buf b;
		const char *s = p->path, *slash, *out;

		buf_init(&b, 0);
		do {
			slash = strchr(s, '/');
			buf_putc(&b, '/');
			esc_url_component(&b, s, slash ? (size_t)(slash - s) :
			    strlen(s));
			s = slash + 1;
		} while (slash);
		buf_putc(&b, '/');
		out = arena_strdup(a, b.data);
		buf_free(&b);
		return out;
	}
	ymd(p->published, &y, &m, &d);
	return arena_printf(a, "/%04d/%02d/%02d/%s/", y, m, d,
	    url_component(a, p->slug));
}

const char *
url_category(struct arena *a, const char *slug)
{
	return arena_cat(a, "/category/", url_component(a, slug), "/", NULL);
}

const char *
url_author(struct arena *a, const char *login)
{
	return arena_cat(a, "/author/", url_component(a, login), "/", NULL);
}

const char *
url_tag(struct arena *a, const char *slug)
{
	return arena_cat(a, "/tag/", url_component(a, slug), "/", NULL);
}

const char *
url_date(struct arena *a, int y, int m, int d)
{
	if (m == 0)
		return arena_printf(a, "/%04d/", y);
	if (d == 0)
		return arena_printf(a, "/%04d/%02d/", y, m);
	return arena_printf(a, "/%04d/%02d/%02d/", y, m, d);
}

int
post_is_public(const struct post *p, int64_t now)
{
	/* p->status is derived from posts.status as PUBLIC in
	 * store/sqlite.c reads it: draft, pending and private are drafts. */
	if (p->status == PS_DRAFT)
		return 0;
	if (p->password && *p->password)
		return 0;
	return p->published <= now;
}

const char *
commenter_site(const char *url)
{
	size_t k;

	if (url == NULL)
		return NULL;
	if (!strncasecmp(url, "http://", 7))
		k = 7;
	else if (!strncasecmp(url, "https://", 8))
		k = 8;
	else
		return NULL;
	/* a host, and nothing a browser would strip or reinterpret */
	if (url[k] == '\0' || url[k] == '/')
		return NULL;
	for (; url[k]; k++)
		if ((unsigned char)url[k] <= 0x20)
			return NULL;
	return url;
}

int
post_comments_open(const struct app *app, const struct post *p, int64_t now)
{
	if (!p->comments_open)
		return 0;
	if (app->conf.close_after_days > 0 &&
	    now > p->published + (int64_t)app->conf.close_after_days * 86400)
		return 0;
	return 1;
}

const char *
responses_label(struct arena *a, int64_t n)
{
	if (n == 0)
		return "No Responses";
	if (n == 1)
		return "1 Response";
	return arena_printf(a, "%lld Responses", (long long)n);
}
