/* feed.c: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site's articles
 * (and each category's, tag's and author's), the site's latest comments
 * and each article's comments.
 *
 * Every URL is absolute (conf.base_url); ids are stable whatever the slug
 * becomes: BASE/?p=ID for an article (WordPress's guid form, which old
 * links keep resolving) and BASE/?p=ID#comment-N for a comment. Dates are
 * RFC 822 in RSS, RFC 3339 in Atom and JSON Feed. Comment HTML is the
 * sanitised HTML stored when the comment was written, the same the page
 * shows. Comment entries carry their thread as RFC 4685 thr:in-reply-to
 * (Atom, and as an extension in RSS) and as _parley.in_reply_to in JSON
 * Feed. Text goes through esc_xml_text / esc_json_str only.
 *
 * A feed is the same for every reader, so it is shared like a page: kept
 * in the page cache under its path with its compressed variants and
 * validators, and tagged with what it shows, so that a write drops it in
 * the same step as the pages that show the same thing: an article's
 * comment feed with the article (tag_post), the site's and an archive's
 * feeds with their listing (TAG_FRONT, cat:, tag:, author:) and each
 * article listed, the site's comment feed with every comment write
 * (TAG_COMMENTS). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/limits.h"
#include "../base/str.h"
#include "page.h"

/* Articles in a feed: what a reader catches up on between polls. */
#define FEED_POSTS 20
/* Comments in a comment feed: a busy discussion's last day or so; the
 * demo's longest thread (35) fits whole. */
#define FEED_COMMENTS 50

struct feed {
	struct app *app;
	struct req *rq;
	struct resp *rs;
	struct buf *b;
	enum feed_format f;
	const char *base;     /* base_url, no trailing slash */
	const char *title;
	const char *subtitle;
	const char *home;     /* absolute URL of the page this feed follows */
	const char *self;     /* absolute URL of this feed */
	int64_t updated;
	int nitems;
};

/* ---- small writers ---------------------------------------------------- */

static void
x(struct feed *fd, const char *s)
{
	esc_xml_text(fd->b, s ? s : "", s ? strlen(s) : 0);
}

static void
j(struct feed *fd, const char *s)
{
	esc_json_str(fd->b, s ? s : "", s ? strlen(s) : 0);
}

/* "key": "value", (JSON) */
static void
jkv(struct feed *fd, const char *k, const char *v)
{
	j(fd, k);
	buf_putc(fd->b, ':');
	j(fd, v);
}

/* A JSON Feed item's opening and the members every item has, each
 * followed by a comma: {"id":..,"url":..,"title":..,"content_html":.., */
static void
jitem(struct feed *fd, const char *id, const char *url, const char *title,
    const char *html)
{
	buf_putc(fd->b, '{');
	jkv(fd, "id", id);
	buf_putc(fd->b, ',');
	jkv(fd, "url", url);
	buf_putc(fd->b, ',');
	jkv(fd, "title", title);
	buf_putc(fd->b, ',');
	jkv(fd, "content_html", html);
	buf_putc(fd->b, ',');
}

/* An element with escaped text: <name>text</name>\n */
static void
xel(struct feed *fd, const char *name, const char *text)
{
	buf_printf(fd->b, "<%s>", name);
	x(fd, text);
	buf_printf(fd->b, "</%s>\n", name);
}

static const char *
absolute(struct feed *fd, const char *u)
{
	if (u == NULL || *u == '\0')
		return "";
	if (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8))
		return u;
	return arena_printf(fd->rq->a, "%s%s%s", fd->base, *u == '/' ? "" :
	    "/", u);
}

static const char *
rfc3339(struct arena *a, int64_t t)
{
	char iso[21];

	str_iso8601(t, iso);
	return arena_strdup(a, iso);
}

static const char *
rfc822(struct arena *a, int64_t t)
{
	char d[STR_HTTP_DATE_BYTES];

	str_http_date(t, d);
	return arena_strdup(a, d);
}

static const char *
post_id_iri(struct feed *fd, int64_t id)
{
	return arena_printf(fd->rq->a, "%s/?p=%lld", fd->base, (long long)id);
}

static const char *
comment_id_iri(struct feed *fd, int64_t post_id, int64_t id)
{
	return arena_printf(fd->rq->a, "%s/?p=%lld#comment-%lld", fd->base,
	    (long long)post_id, (long long)id);
}

/* ---- feed frame ------------------------------------------------------- */

/* Starts the feed once everything it shows was read; from here it is
 * shared, and the caller adds the tags of what it shows. */
static void
feed_open(struct feed *fd)
{
	const char *lang = fd->app->conf.language;

	fd->rs->shared = 1;
	resp_tag(fd->rs, TAG_SITE);
	page_until_scheduled(fd->app, fd->rs);
	switch (fd->f) {
	case FEED_RSS:
		buf_puts(fd->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\""
		    " xmlns:atom=\"http://www.w3.org/2005/Atom\""
		    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
		    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
		    " xmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\""
		    " xmlns:thr=\"http://purl.org/syndication/thread/1.0\""
		    " xmlns:wfw=\"http://wellformedweb.org/CommentAPI/\">\n"
		    "<channel>\n");
		xel(fd, "title", fd->title);
		buf_puts(fd->b, "<atom:link rel=\"self\" "
		    "type=\"application/rss+xml\" href=\"");
		x(fd, fd->self);
		buf_puts(fd->b, "\"/>\n");
		xel(fd, "link", fd->home);
		xel(fd, "description", *fd->subtitle ? fd->subtitle : fd->title);
		xel(fd, "language", lang);
		xel(fd, "lastBuildDate", rfc822(fd->rq->a, fd->updated));
		xel(fd, "generator", "Parley");
		break;
	case FEED_ATOM:
		buf_puts(fd->b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\""
		    " xmlns:thr=\"http://purl.org/syndication/thread/1.0\""
		    " xml:lang=\"");
		x(fd, lang);
		buf_puts(fd->b, "\" xml:base=\"");
		x(fd, fd->base);
		buf_puts(fd->b, "/\">\n<title type=\"text\">");
		x(fd, fd->title);
		buf_puts(fd->b, "</title>\n");
		if (*fd->subtitle) {
			buf_puts(fd->b, "<subtitle type=\"text\">");
			x(fd, fd->subtitle);
			buf_puts(fd->b, "</subtitle>\n");
		}
		xel(fd, "id", fd->self);
		buf_puts(fd->b, "<link rel=\"self\" "
		    "type=\"application/atom+xml\" href=\"");
		x(fd, fd->self);
		buf_puts(fd->b, "\"/>\n<link rel=\"alternate\" "
		    "type=\"text/html\" href=\"");
		x(fd, fd->home);
		buf_puts(fd->b, "\"/>\n");
		xel(fd, "updated", rfc3339(fd->rq->a, fd->updated));
		buf_puts(fd->b, "<generator>Parley</generator>\n");
		break;
	case FEED_JSON:
		buf_puts(fd->b, "{\"version\":"
		    "\"https://jsonfeed.org/version/1.1\",");
		jkv(fd, "title", fd->title);
		buf_putc(fd->b, ',');
		jkv(fd, "home_page_url", fd->home);
		buf_putc(fd->b, ',');
		jkv(fd, "feed_url", fd->self);
		buf_putc(fd->b, ',');
		if (*fd->subtitle) {
			jkv(fd, "description", fd->subtitle);
			buf_putc(fd->b, ',');
		}
		jkv(fd, "language", lang);
		buf_puts(fd->b, ",\"items\":[");
		break;
	}
}

static void
feed_close(struct feed *fd, struct resp *rs)
{
	switch (fd->f) {
	case FEED_RSS:
		buf_puts(fd->b, "</channel>\n</rss>\n");
		rs->content_type = "application/rss+xml; charset=utf-8";
		break;
	case FEED_ATOM:
		buf_puts(fd->b, "</feed>\n");
		rs->content_type = "application/atom+xml; charset=utf-8";
		break;
	case FEED_JSON:
		buf_puts(fd->b, "]}\n");
		rs->content_type = "application/feed+json; charset=utf-8";
		break;
	}
	rs->status = 200;
	resp_header(rs, "Cache-Control", CACHE_FEED);
	resp_header(rs, "Access-Control-Allow-Origin", "*");
}

/* JSON items are separated by commas. */
static void
item_sep(struct feed *fd)
{
	if (fd->f == FEED_JSON && fd->nitems > 0)
		buf_putc(fd->b, ',');
	fd->nitems++;
}

/* ---- articles --------------------------------------------------------- */

/* The article as a feed reader shows it: the featured image (absolute)
 * with its caption, then the body. Trusted HTML: the author's own. */
static const char *
post_html(struct feed *fd, const struct post *p)
{
	struct buf h;
	const char *out;

	if (p->image == NULL || *p->image == '\0')
		return p->body_html;
	buf_init(&h, 0);
	buf_puts(&h, "<figure><img src=\"");
	esc_url_attr(&h, absolute(fd, p->image), strlen(absolute(fd,
	    p->image)));
	buf_puts(&h, "\" alt=\"");
	esc_html_attr(&h, p->image_caption, strlen(p->image_caption));
	buf_puts(&h, "\">");
	if (*p->image_caption) {
		buf_puts(&h, "<figcaption>");
		esc_html_text(&h, p->image_caption, strlen(p->image_caption));
		buf_puts(&h, "</figcaption>");
	}
	buf_puts(&h, "</figure>\n");
	buf_puts(&h, p->body_html);
	out = arena_strdup(fd->rq->a, h.data ? h.data : "");
	buf_free(&h);
	return out;
}

static void
post_item(struct feed *fd, const struct post *p)
{
	struct arena *a = fd->rq->a;
	const char *url = absolute(fd, url_post(a, p));
	const char *id = post_id_iri(fd, p->id);
	const char *html = post_html(fd, p);
	const char *cfeed = arena_printf(a, "%sfeed/", url);
	size_t i;

	item_sep(fd);
	switch (fd->f) {
	case FEED_RSS:
		buf_puts(fd->b, "<item>\n");
		xel(fd, "title", p->title);
		xel(fd, "link", url);
		xel(fd, "comments", arena_printf(a, "%s#comments", url));
		xel(fd, "dc:creator", p->author_name);
		xel(fd, "pubDate", rfc822(a, p->published));
		for (i = 0; i < p->ncats; i++)
			xel(fd, "category", p->cats[i].name);
		for (i = 0; i < p->ntags; i++)
			xel(fd, "category", p->tags[i].name);
		buf_puts(fd->b, "<guid isPermaLink=\"false\">");
		x(fd, id);
		buf_puts(fd->b, "</guid>\n");
		xel(fd, "description", p->excerpt);
		xel(fd, "content:encoded", html);
		xel(fd, "wfw:commentRss", cfeed);
		buf_printf(fd->b, "<slash:comments>%lld</slash:comments>\n",
		    (long long)p->n_approved);
		buf_puts(fd->b, "</item>\n");
		break;
	case FEED_ATOM:
		buf_puts(fd->b, "<entry>\n<title type=\"text\">");
		x(fd, p->title);
		buf_puts(fd->b, "</title>\n<link rel=\"alternate\" "
		    "type=\"text/html\" href=\"");
		x(fd, url);
		buf_puts(fd->b, "\"/>\n<link rel=\"replies\" "
		    "type=\"application/atom+xml\" href=\"");
		x(fd, arena_printf(a, "%sfeed/atom/", url));
		buf_printf(fd->b, "\" thr:count=\"%lld\"/>\n",
		    (long long)p->n_approved);
		xel(fd, "id", id);
		xel(fd, "published", rfc3339(a, p->published));
		xel(fd, "updated", rfc3339(a, p->published));
		buf_puts(fd->b, "<author>\n");
		xel(fd, "name", p->author_name);
		xel(fd, "uri", absolute(fd, url_author(a, p->author_login)));
		buf_puts(fd->b, "</author>\n");
		for (i = 0; i < p->ncats; i++) {
			buf_puts(fd->b, "<category term=\"");
			x(fd, p->cats[i].slug);
			buf_puts(fd->b, "\" label=\"");
			x(fd, p->cats[i].name);
			buf_puts(fd->b, "\" scheme=\"");
			x(fd, fd->base);
			buf_puts(fd->b, "/category/\"/>\n");
		}
		for (i = 0; i < p->ntags; i++) {
			buf_puts(fd->b, "<category term=\"");
			x(fd, p->tags[i].slug);
			buf_puts(fd->b, "\" label=\"");
			x(fd, p->tags[i].name);
			buf_puts(fd->b, "\" scheme=\"");
			x(fd, fd->base);
			buf_puts(fd->b, "/tag/\"/>\n");
		}
		buf_puts(fd->b, "<summary type=\"text\">");
		x(fd, p->excerpt);
		buf_puts(fd->b, "</summary>\n<content type=\"html\">");
		x(fd, html);
		buf_printf(fd->b, "</content>\n<thr:total>%lld</thr:total>\n"
		    "</entry>\n", (long long)p->n_approved);
		break;
	case FEED_JSON:
		jitem(fd, id, url, p->title, html);
		jkv(fd, "summary", p->excerpt);
		buf_putc(fd->b, ',');
		if (*p->image) {
			jkv(fd, "image", absolute(fd, p->image));
			buf_putc(fd->b, ',');
		}
		jkv(fd, "date_published", rfc3339(a, p->published));
		buf_puts(fd->b, ",\"authors\":[{");
		jkv(fd, "name", p->author_name);
		buf_putc(fd->b, ',');
		jkv(fd, "url", absolute(fd, url_author(a, p->author_login)));
		buf_puts(fd->b, "}],\"tags\":[");
		for (i = 0; i < p->ncats + p->ntags; i++) {
			if (i)
				buf_putc(fd->b, ',');
			j(fd, i < p->ncats ? p->cats[i].name :
			    p->tags[i - p->ncats].name);
		}
		buf_puts(fd->b, "],\"_parley\":{");
		buf_printf(fd->b, "\"comments\":%lld,",
		    (long long)p->n_approved);
		jkv(fd, "comments_feed", arena_printf(a, "%sfeed.json", url));
		buf_puts(fd->b, "}}");
		break;
	}
}

static void
feed_init(struct feed *fd, struct app *app, struct req *rq,
    struct resp *rs, enum feed_format f)
{
	memset(fd, 0, sizeof(*fd));
	fd->app = app;
	fd->rq = rq;
	fd->rs = rs;
	fd->b = &rs->body;
	fd->f = f;
	fd->base = app->conf.base_url;
	fd->subtitle = "";
	buf_reset(&rs->body);
}

/* The feed's own address: its page's URL plus the format's suffix. */
static const char *
feed_url(struct feed *fd, const char *page)
{
	return arena_printf(fd->rq->a, "%s%s", absolute(fd, page),
	    fd->f == FEED_RSS ? "feed/" : fd->f == FEED_ATOM ? "feed/atom/" :
	    "feed.json");
}

void
h_feed_posts(struct app *app, struct req *rq, struct resp *rs,
    enum feed_format f, const char *category, const char *tag,
    const char *author)
{
	struct post_query q = { 0 };
	struct feed fd;
	struct post *posts;
	const char *page = "/", *what = NULL, *listing = TAG_FRONT;
	size_t n, i;
	int64_t total;

	feed_init(&fd, app, rq, rs, f);
	if (category || tag || author) {
		struct archive_page ar;

		if (!archive_find(app, rq, rs, category ? ARCH_CATEGORY :
		    tag ? ARCH_TAG : ARCH_AUTHOR, category ? category :
		    tag ? tag : author, &q, &ar))
			return;
		page = ar.url;
		what = ar.heading;
		listing = ar.cache_tag;
	}
	q.limit = FEED_POSTS;
	if (store_post_list(app->store, rq->a, &q, &posts, &n, &total) !=
	    P_OK) {
		h_error(app, rq, rs, 503, "The articles could not be read.");
		return;
	}
	fd.title = what ? arena_printf(rq->a, "%s \xe2\x80\x93 %s", what,
	    app->conf.title) : app->conf.title;
	fd.subtitle = app->conf.tagline;
	fd.home = absolute(&fd, page);
	fd.self = feed_url(&fd, page);
	fd.updated = n > 0 ? posts[0].published : app_last_modified(app, rq);
	feed_open(&fd);
	/* As its listing page: which posts it lists changes only with
	 * writes that drop every page. */
	resp_tag(rs, listing);
	for (i = 0; i < n; i++) {
		resp_tag(rs, tag_post(rq->a, posts[i].id));
		post_item(&fd, &posts[i]);
	}
	feed_close(&fd, rs);
}

/* ---- comments --------------------------------------------------------- */

/* in_feed: the per-article feed, where the title need not repeat the
 * article's. */
static void
comment_item(struct feed *fd, const struct comment *c, const struct post *p,
    int in_feed)
{
	struct arena *a = fd->rq->a;
	const char *purl = absolute(fd, url_post(a, p));
	const char *url = arena_printf(a, "%s#comment-%lld", purl,
	    (long long)c->id);
	const char *id = comment_id_iri(fd, p->id, c->id);
	const char *title = in_feed ? arena_printf(a, "By: %s", c->author) :
	    arena_printf(a, "Comment on %s by %s", p->title, c->author);
	const char *text = *c->body_text ? c->body_text : c->body_md;
	/* What it answers: the parent comment, or the article. */
	const char *pref = c->parent_id ? comment_id_iri(fd, p->id,
	    c->parent_id) : post_id_iri(fd, p->id);
	const char *phref = c->parent_id ? arena_printf(a, "%s#comment-%lld",
	    purl, (long long)c->parent_id) : purl;

	item_sep(fd);
	switch (fd->f) {
	case FEED_RSS:
		buf_puts(fd->b, "<item>\n");
		xel(fd, "title", title);
		xel(fd, "link", url);
		xel(fd, "dc:creator", c->author);
		xel(fd, "pubDate", rfc822(a, c->created));
		buf_puts(fd->b, "<guid isPermaLink=\"false\">");
		x(fd, id);
		buf_puts(fd->b, "</guid>\n");
		xel(fd, "description", text);
		xel(fd, "content:encoded", c->body_html);
		buf_puts(fd->b, "<thr:in-reply-to ref=\"");
		x(fd, pref);
		buf_puts(fd->b, "\" href=\"");
		x(fd, phref);
		buf_puts(fd->b, "\" type=\"text/html\"/>\n</item>\n");
		break;
	case FEED_ATOM:
		buf_puts(fd->b, "<entry>\n<title type=\"text\">");
		x(fd, title);
		buf_puts(fd->b, "</title>\n<link rel=\"alternate\" "
		    "type=\"text/html\" href=\"");
		x(fd, url);
		buf_puts(fd->b, "\"/>\n");
		xel(fd, "id", id);
		xel(fd, "published", rfc3339(a, c->created));
		xel(fd, "updated", rfc3339(a, c->created));
		buf_puts(fd->b, "<author>\n");
		xel(fd, "name", c->author);
		if (commenter_site(c->url))
			xel(fd, "uri", c->url);
		buf_puts(fd->b, "</author>\n<content type=\"html\">");
		x(fd, c->body_html);
		buf_puts(fd->b, "</content>\n<thr:in-reply-to ref=\"");
		x(fd, pref);
		buf_puts(fd->b, "\" href=\"");
		x(fd, phref);
		buf_puts(fd->b, "\" type=\"text/html\"/>\n</entry>\n");
		break;
	case FEED_JSON:
		jitem(fd, id, url, title, c->body_html);
		jkv(fd, "content_text", text);
		buf_putc(fd->b, ',');
		jkv(fd, "date_published", rfc3339(a, c->created));
		buf_puts(fd->b, ",\"authors\":[{");
		jkv(fd, "name", c->author);
		if (commenter_site(c->url)) {
			buf_putc(fd->b, ',');
			jkv(fd, "url", c->url);
		}
		buf_puts(fd->b, "}],\"_parley\":{");
		jkv(fd, "in_reply_to", pref);
		buf_putc(fd->b, ',');
		jkv(fd, "in_reply_to_url", phref);
		buf_putc(fd->b, ',');
		jkv(fd, "article", post_id_iri(fd, p->id));
		buf_puts(fd->b, "}}");
		break;
	}
}

void
h_feed_post_comments(struct app *app, struct req *rq, struct resp *rs,
    enum feed_format f, int y, int m, int d, const char *slug)
{
	struct feed fd;
	struct post p;
	struct comment *cs;
	const char *page;
	size_t n, i;
	enum perr e;

	feed_init(&fd, app, rq, rs, f);
	e = store_post_find(app->store, rq->a, y, m, d, slug, &p);
	/* An imported article under WordPress's local day (or another old
	 * form): 301 to this feed at its Parley address. */
	if (e == P_NOTFOUND && h_legacy_path(app, rq, rs))
		return;
	if (e != P_OK) {
		h_error(app, rq, rs, e == P_NOTFOUND ? 404 : 503,
		    e == P_NOTFOUND ? "There is no article at this address." :
		    "The article could not be read.");
		return;
	}
	if (store_comment_list_recent(app->store, rq->a, p.id, FEED_COMMENTS,
	    &cs, &n) != P_OK) {
		h_error(app, rq, rs, 503, "The comments could not be read.");
		return;
	}
	page = url_post(rq->a, &p);
	fd.title = arena_printf(rq->a, "Comments on: %s", p.title);
	fd.subtitle = app->conf.tagline;
	fd.home = absolute(&fd, page);
	fd.self = feed_url(&fd, page);
	fd.updated = n > 0 ? cs[0].created : p.published;
	feed_open(&fd);
	/* Its comments and title: what drops the article's page. */
	resp_tag(rs, tag_post(rq->a, p.id));
	for (i = 0; i < n; i++)
		comment_item(&fd, &cs[i], &p, 1);
	feed_close(&fd, rs);
}

void
h_feed_comments(struct app *app, struct req *rq, struct resp *rs,
    enum feed_format f)
{
	struct feed fd;
	struct comment *cs;
	struct post *posts;
	size_t n, i, k, np = 0;

	feed_init(&fd, app, rq, rs, f);
	if (store_comment_list_recent(app->store, rq->a, 0, FEED_COMMENTS,
	    &cs, &n) != P_OK) {
		h_error(app, rq, rs, 503, "The comments could not be read.");
		return;
	}
	/* Each article once, however many of its comments are here. */
	posts = arena_alloc(rq->a, sizeof(*posts) * (n ? n : 1));
	fd.title = arena_printf(rq->a, "Comments on %s", app->conf.title);
	fd.subtitle = app->conf.tagline;
	fd.home = absolute(&fd, "/");
	fd.self = arena_printf(rq->a, "%s/comments/%s", fd.base,
	    f == FEED_RSS ? "feed/" : f == FEED_ATOM ? "feed/atom/" :
	    "feed.json");
	fd.updated = n > 0 ? cs[0].created : app_last_modified(app, rq);
	feed_open(&fd);
	/* Any article's comment may join it, or leave it. */
	resp_tag(rs, TAG_COMMENTS);
	for (i = 0; i < n; i++) {
		for (k = 0; k < np && posts[k].id != cs[i].post_id; k++)
			;
		if (k == np) {
			if (store_post_get(app->store, rq->a, cs[i].post_id,
			    &posts[np]) != P_OK) {
				h_error(app, rq, rs, 503,
				    "The comments could not be read.");
				return;
			}
			np++;
		}
		comment_item(&fd, &cs[i], &posts[k], 0);
	}
	feed_close(&fd, rs);
}
