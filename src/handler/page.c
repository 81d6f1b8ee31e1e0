#include "page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/log.h"

/* Pages come only from our own origin; comment HTML has no scripts, and
 * this header makes sure even a renderer bug could not run one. */
#define PAGE_CSP "default-src 'self'; img-src 'self' data: https:; " \
	"style-src 'self'; script-src 'none'; form-action 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'"

/* Room made before rendering a page (see page_render). */
#define PAGE_RESERVE_BYTES (64 * 1024)

struct tval *
page_ctx(struct app *app, struct req *rq, const char *title)
{
	struct tval *ctx = tv_obj(rq->a), *site = tv_obj(rq->a);
	struct tval *nav = tv_list(rq->a);
	struct category *cats;
	size_t n, i;

	tv_str(site, "title", app->conf.title);
	tv_str(site, "tagline", app->conf.tagline);
	tv_str(site, "base_url", app->conf.base_url);
	tv_put(ctx, "site", site);
	if (title && *title)
		tv_str(ctx, "page_title", arena_printf(rq->a, "%s \xe2\x80\x93 %s",
		    title, app->conf.title));
	else
		tv_str(ctx, "page_title", app->conf.title);
	tv_str(ctx, "css_url", app->css_url);
	tv_str(ctx, "lang", app->conf.language);
	if (store_category_list(app->store, rq->a, &cats, &n) == P_OK)
		for (i = 0; i < n; i++) {
			struct tval *c = tv_push(nav);
			tv_str(c, "name", cats[i].name);
			tv_str(c, "url", url_category(rq->a, cats[i].slug));
		}
	tv_put(ctx, "nav_categories", nav);
	tv_bool(ctx, "has_nav_categories", tv_len(nav) > 0);
	return ctx;
}

void
page_render(struct app *app, struct req *rq, struct resp *rs,
    const char *name, struct tval *ctx)
{
	int64_t next = 0;
	enum perr e;

	buf_reset(&rs->body);
	/* Every page lists categories and articles as of now; a scheduled
	 * post appearing changes them without a write. */
	if (store_post_next_scheduled(app->store, (int64_t)time(NULL),
	    &next) != P_OK)
		rs->shared = 0;
	resp_expires(rs, next);
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

static const char *
seg(struct arena *a, const char *s)
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

	ymd(p->published, &y, &m, &d);
	return arena_printf(a, "/%04d/%02d/%02d/%s/", y, m, d,
	    seg(a, p->slug));
}

const char *
url_category(struct arena *a, const char *slug)
{
	return arena_printf(a, "/category/%s/", seg(a, slug));
}

const char *
url_author(struct arena *a, const char *login)
{
	return arena_printf(a, "/author/%s/", seg(a, login));
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
