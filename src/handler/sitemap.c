/* sitemap.c: what crawlers read first. /sitemap.xml lists the front page,
 * every listed article and the category, tag, author and month archives,
 * each with the time it last changed (newest publication or approved
 * comment shown there); /robots.txt follows the [crawlers] settings and
 * points at the sitemap. URLs are absolute (conf.base_url). */
#include <stdio.h>
#include <string.h>

#include "../base/log.h"
#include "../base/str.h"
#include "page.h"

/* The sitemap protocol's limit for one file; a larger site lists its
 * newest articles (a sitemap index would be the next step). */
#define SITEMAP_MAX_URLS 50000
/* Articles read per query, each batch in its own arena, so memory stays
 * bounded however many articles there are. */
#define SITEMAP_BATCH 500

static void
url_entry(struct buf *b, const char *base, const char *path, int64_t lastmod)
{
	char iso[21];

	buf_puts(b, "<url><loc>");
	esc_xml_text(b, base, strlen(base));
	esc_xml_text(b, path, strlen(path));
	buf_puts(b, "</loc>");
	if (lastmod > 0) {
		str_iso8601(lastmod, iso);
		buf_printf(b, "<lastmod>%s</lastmod>", iso);
	}
	buf_puts(b, "</url>\n");
}

static void
archives(struct app *app, struct req *rq, struct buf *b, enum archive_kind k,
    size_t *count)
{
	struct archive *ar;
	size_t n, i;

	if (store_archive_list(app->store, rq->a, k, &ar, &n) != P_OK)
		return;
	for (i = 0; i < n && *count < SITEMAP_MAX_URLS; i++, (*count)++) {
		const char *path;
		int y, m;

		switch (k) {
		case ARCH_CATEGORY:
			path = url_category(rq->a, ar[i].key);
			break;
		case ARCH_TAG:
			path = url_tag(rq->a, ar[i].key);
			break;
		case ARCH_AUTHOR:
			path = url_author(rq->a, ar[i].key);
			break;
		default:
			if (sscanf(ar[i].key, "%4d-%2d", &y, &m) != 2)
				continue;
			path = url_date(rq->a, y, m, 0);
			break;
		}
		url_entry(b, app->conf.base_url, path, ar[i].lastmod);
	}
}

void
h_sitemap(struct app *app, struct req *rq, struct resp *rs)
{
	struct post_query q = { 0 };
	struct buf *b = &rs->body;
	int64_t newest = 0, total = 0;
	size_t count = 1, n, i;

	buf_reset(b);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	/* count starts at 1: the front page, written last, once its
	 * lastmod (the newest article's) is known. */
	q.limit = SITEMAP_BATCH;
	for (;;) {
		struct arena a;
		struct post *posts;

		arena_init(&a);
		if (store_post_list(app->store, &a, &q, &posts, &n, &total) !=
		    P_OK) {
			arena_free(&a);
			h_error(app, rq, rs, 503,
			    "The articles could not be read.");
			return;
		}
		for (i = 0; i < n && count < SITEMAP_MAX_URLS; i++, count++) {
			int64_t lm = posts[i].published;

			if (posts[i].last_comment > lm)
				lm = posts[i].last_comment;
			if (lm > newest)
				newest = lm;
			url_entry(b, app->conf.base_url, url_post(&a, &posts[i]),
			    lm);
		}
		arena_free(&a);
		q.offset += (int64_t)n;
		if (n < SITEMAP_BATCH || count >= SITEMAP_MAX_URLS)
			break;
	}
	if (q.offset < total)
		log_warn("sitemap: %lld articles, listing the newest %lld",
		    (long long)total, (long long)q.offset);
	archives(app, rq, b, ARCH_CATEGORY, &count);
	archives(app, rq, b, ARCH_TAG, &count);
	archives(app, rq, b, ARCH_AUTHOR, &count);
	archives(app, rq, b, ARCH_MONTH, &count);
	url_entry(b, app->conf.base_url, "/", newest);
	buf_puts(b, "</urlset>\n");
	rs->status = 200;
	rs->content_type = "application/xml; charset=utf-8";
	resp_header(rs, "Cache-Control", CACHE_SITE_FILES);
}

void
h_robots(struct app *app, struct req *rq, struct resp *rs)
{
	struct buf *b = &rs->body;
	const char *p = app->conf.crawl_disallow;

	buf_reset(b);
	buf_puts(b, "User-agent: *\n");
	if (!app->conf.crawl_index)
		buf_puts(b, "Disallow: /\n");
	else {
		/* One Disallow line per comma-separated path. */
		while (p && *p) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			size_t s = 0, e = len;

			while (s < e && (p[s] == ' ' || p[s] == '\t'))
				s++;
			while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t'))
				e--;
			if (e > s)
				buf_printf(b, "Disallow: %.*s\n", (int)(e - s),
				    p + s);
			p = end ? end + 1 : NULL;
		}
		if (b->len == strlen("User-agent: *\n"))
			buf_puts(b, "Disallow:\n");
	}
	buf_printf(b, "\nSitemap: %s/sitemap.xml\n", app->conf.base_url);
	rs->status = 200;
	rs->content_type = "text/plain; charset=utf-8";
	resp_header(rs, "Cache-Control", CACHE_SITE_FILES);
	/* The text follows the configuration: read at start, and again
	 * when the settings page changes it. */
	rs->last_modified = app->conf_since > app->started ? app->conf_since :
	    app->started;
}
