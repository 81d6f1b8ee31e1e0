/* post.c: reading pages: the front page, category and author archives,
 * and the article with its comment thread and reply form. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/sign.h"
#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"
#include "admin.h"
#include "thread.h"
#include "page.h"

#define PER_PAGE 10

static void
put_cats(struct arena *a, struct tval *obj, const struct post *p)
{
	struct tval *l = tv_list(a);
	size_t i;

	for (i = 0; i < p->ncats; i++) {
		struct tval *c = tv_push(l);
		tv_str(c, "name", p->cats[i].name);
		tv_str(c, "url", url_category(a, p->cats[i].slug));
		tv_str(c, "sep", i + 1 < p->ncats ? ", " : "");
	}
	tv_put(obj, "categories", l);
	tv_bool(obj, "has_categories", p->ncats > 0);
	l = tv_list(a);
	for (i = 0; i < p->ntags; i++) {
		struct tval *t = tv_push(l);
		tv_str(t, "name", p->tags[i].name);
		tv_str(t, "url", url_tag(a, p->tags[i].slug));
		tv_str(t, "sep", i + 1 < p->ntags ? ", " : "");
	}
	tv_put(obj, "tags", l);
	tv_bool(obj, "has_tags", p->ntags > 0);
}

static void
put_post_common(struct arena *a, struct tval *o, const struct post *p)
{
	char iso[21], human[48];

	str_iso8601(p->published, iso);
	str_human_date(p->published, human, sizeof(human));
	tv_int(o, "id", p->id);
	tv_str(o, "title", p->title);
	tv_str(o, "url", url_post(a, p));
	tv_str(o, "date_iso", iso);
	tv_str(o, "date_human", human);
	tv_str(o, "author_name", p->author_name);
	tv_str(o, "author_url", url_author(a, p->author_login));
	tv_str(o, "image", p->image);
	tv_str(o, "image_caption", p->image_caption);
	put_cats(a, o, p);
}

/* Front page and archives share one template. description: for the
 * page's metadata (NULL = the tagline); feeds: the archive has its own
 * feeds, titled so (NULL = only the site's). */
static void
listing(struct app *app, struct req *rq, struct resp *rs,
    const struct post_query *q0, int64_t page, const char *heading,
    const char *base, const char *description, const char *feeds)
{
	struct post_query q = *q0;
	struct post *posts;
	struct tval *ctx, *list;
	size_t n, i;
	int64_t total;
	enum perr e;

	q.offset = (page - 1) * PER_PAGE;
	q.limit = PER_PAGE;
	if ((e = store_post_list(app->store, rq->a, &q, &posts, &n, &total)) !=
	    P_OK) {
		h_error(app, rq, rs, 503, "The articles could not be read.");
		return;
	}
	if (page > 1 && n == 0) {
		h_error(app, rq, rs, 404, "There is no such page.");
		return;
	}
	/* A date archive is only an address while something was published
	 * then (WordPress answers the same). */
	if (n == 0 && (q.from || q.until)) {
		h_error(app, rq, rs, 404, "Nothing was published then.");
		return;
	}
	ctx = page_ctx(app, rq, heading ? heading :
	    (page > 1 ? arena_printf(rq->a, "Page %lld", (long long)page) :
	    NULL));
	if (heading)
		tv_str(ctx, "heading", heading);
	page_meta(app, rq, ctx, page > 1 ? arena_printf(rq->a, "%spage/%lld/",
	    base, (long long)page) : base, description, NULL, NULL);
	if (feeds)
		page_feeds(app, rq, ctx, base, feeds);
	list = tv_list(rq->a);
	for (i = 0; i < n; i++) {
		struct tval *o = tv_push(list);
		const char *u;

		put_post_common(rq->a, o, &posts[i]);
		u = url_post(rq->a, &posts[i]);
		tv_str(o, "excerpt", posts[i].excerpt);
		tv_str(o, "responses_label",
		    responses_label(rq->a, posts[i].n_approved));
		tv_str(o, "comments_url", arena_printf(rq->a, "%s#comments", u));
	}
	tv_put(ctx, "posts", list);
	tv_bool(ctx, "no_posts", n == 0);
	tv_int(ctx, "page_num", page);
	if (q.offset + (int64_t)n < total)
		tv_str(ctx, "older_url", arena_printf(rq->a, "%spage/%lld/",
		    base, (long long)page + 1));
	if (page == 2)
		tv_str(ctx, "newer_url", base);
	else if (page > 2)
		tv_str(ctx, "newer_url", arena_printf(rq->a, "%spage/%lld/",
		    base, (long long)page - 1));
	page_render(app, rq, rs, "front", ctx);
	resp_header(rs, "Cache-Control", CACHE_LISTING);
}

void
h_front(struct app *app, struct req *rq, struct resp *rs, int64_t page)
{
	struct post_query q = { 0 };

	listing(app, rq, rs, &q, page, NULL, "/", NULL, NULL);
}

void
h_category(struct app *app, struct req *rq, struct resp *rs,
    const char *slug, int64_t page)
{
	struct post_query q = { 0 };
	struct category c;

	if (store_category_get(app->store, rq->a, slug, &c) != P_OK) {
		h_error(app, rq, rs, 404, "There is no such category.");
		return;
	}
	q.category_slug = c.slug;
	listing(app, rq, rs, &q, page,
	    arena_printf(rq->a, "Category: %s", c.name),
	    url_category(rq->a, c.slug), arena_printf(rq->a, "Articles in "
	    "%s on %s.", c.name, app->conf.title), arena_printf(rq->a,
	    "%s \xe2\x80\x93 %s", c.name, app->conf.title));
}

void
h_author(struct app *app, struct req *rq, struct resp *rs,
    const char *login, int64_t page)
{
	struct post_query q = { 0 };
	struct user u;

	if (store_user_get(app->store, rq->a, login, &u) != P_OK) {
		h_error(app, rq, rs, 404, "There is no such author.");
		return;
	}
	q.author_login = u.login;
	listing(app, rq, rs, &q, page,
	    arena_printf(rq->a, "Posts by %s", u.name),
	    url_author(rq->a, u.login), arena_printf(rq->a, "Articles by %s "
	    "on %s.", u.name, app->conf.title), arena_printf(rq->a,
	    "Posts by %s \xe2\x80\x93 %s", u.name, app->conf.title));
}

void
h_tag(struct app *app, struct req *rq, struct resp *rs, const char *slug,
    int64_t page)
{
	struct post_query q = { 0 };
	struct tag t;

	if (store_tag_get(app->store, rq->a, slug, &t) != P_OK) {
		h_error(app, rq, rs, 404, "There is no such tag.");
		return;
	}
	q.tag_slug = t.slug;
	listing(app, rq, rs, &q, page, arena_printf(rq->a, "Tag: %s", t.name),
	    url_tag(rq->a, t.slug), arena_printf(rq->a, "Articles tagged "
	    "%s on %s.", t.name, app->conf.title), arena_printf(rq->a,
	    "%s \xe2\x80\x93 %s", t.name, app->conf.title));
}

void
h_date_archive(struct app *app, struct req *rq, struct resp *rs, int y,
    int m, int d, int64_t page)
{
	static const char *const months[] = { "January", "February", "March",
		"April", "May", "June", "July", "August", "September",
		"October", "November", "December" };
	struct post_query q = { 0 };
	struct tm tm;
	const char *heading;
	time_t from, until;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m ? m - 1 : 0;
	tm.tm_mday = d ? d : 1;
	from = timegm(&tm);
	/* timegm normalises 2026-02-30 to March 2: such a day is not one. */
	if (from == (time_t)-1 || tm.tm_mon != (m ? m - 1 : 0) ||
	    tm.tm_mday != (d ? d : 1)) {
		h_error(app, rq, rs, 404, "There is no such date.");
		return;
	}
	if (m == 0)
		tm.tm_year++;
	else if (d == 0)
		tm.tm_mon++;
	else
		tm.tm_mday++;
	until = timegm(&tm);
	q.from = (int64_t)from;
	q.until = (int64_t)until;
	if (m == 0)
		heading = arena_printf(rq->a, "Archive: %d", y);
	else if (d == 0)
		heading = arena_printf(rq->a, "Archive: %s %d", months[m - 1], y);
	else
		heading = arena_printf(rq->a, "Archive: %s %d, %d",
		    months[m - 1], d, y);
	listing(app, rq, rs, &q, page, heading, url_date(rq->a, y, m, d),
	    arena_printf(rq->a, "Articles published on %s in %s.",
	    app->conf.title, heading + strlen("Archive: ")), NULL);
}

struct tctx {
	struct app *app;
	struct arena *a;
	const struct post *p;
	const char *purl;
	const char *cpage; /* "&cpage=N" on a paged thread, else "" */
	int staff;         /* a logged-in user who may moderate here */
	int max_depth;
	int open;
};

static struct tval *
nodes_to_list(struct tctx *t, const struct thread_node *n)
{
	struct tval *l = tv_list(t->a);

	for (; n; n = n->next) {
		struct tval *o = tv_push(l);
		const struct comment *c = n->c;
		char iso[21], human[48];

		tv_int(o, "id", c->id);
		tv_int(o, "depth", n->depth);
		tv_str(o, "permalink", arena_printf(t->a, "#comment-%lld",
		    (long long)c->id));
		/* Every node sets every key: a missing one would be looked
		 * up in the enclosing (parent comment's) scope. */
		tv_bool(o, "removed", n->removed);
		tv_bool(o, "pending", n->pending);
		tv_bool(o, "by_post_author", !n->removed && c->user_id != 0 &&
		    c->user_id == t->p->author_id);
		tv_bool(o, "can_reply", 0);
		tv_str(o, "reply_url", "");
		/* A held comment's writer gets its private status link. */
		tv_str(o, "status_url", n->pending ? comment_status_url(t->app,
		    t->a, c->id) : "");
		tv_bool(o, "edited", !n->removed && c->moderator_edited);
		tv_str(o, "edit_url", t->staff ? arena_printf(t->a,
		    "/admin/comments/%lld/", (long long)c->id) : "");
		str_iso8601(c->created, iso);
		str_human_date(c->created, human, sizeof(human));
		tv_str(o, "date_iso", iso);
		tv_str(o, "date_human", human);
		if (n->removed) {
			tv_str(o, "author", "");
			tv_str(o, "author_site", "");
			tv_html(o, "body", html_trusted_literal(""));
		} else {
			tv_str(o, "author", c->author);
			tv_str(o, "author_site", commenter_site(c->url) ?
			    c->url : "");
			/* Rendered and sanitised by render/markdown.c when
			 * the comment was written. */
			tv_html(o, "body", (struct html_trusted){ c->body_html });
			if (t->open && !n->pending && n->depth < t->max_depth) {
				tv_bool(o, "can_reply", 1);
				tv_str(o, "reply_url", arena_printf(t->a,
				    "%s?replytocom=%lld%s#respond", t->purl,
				    (long long)c->id, t->cpage));
			}
		}
		tv_bool(o, "has_children", n->first != NULL);
		tv_put(o, "children", n->first ? nodes_to_list(t, n->first) :
		    tv_list(t->a));
	}
	return l;
}

/* What crawlers and link previews read: OpenGraph article tags, the
 * excerpt as description, the featured image; the comment feeds. */
static void
article_meta(struct app *app, struct req *rq, struct tval *ctx,
    const struct post *p)
{
	const char *u = url_post(rq->a, p);
	struct tval *l;
	char iso[21];
	size_t i;

	page_meta(app, rq, ctx, u, p->excerpt, p->image, p->image_caption);
	str_iso8601(p->published, iso);
	tv_str(ctx, "meta_type", "article");
	tv_str(ctx, "meta_published", iso);
	tv_str(ctx, "meta_author", p->author_name);
	l = tv_list(rq->a);
	for (i = 0; i < p->ncats; i++)
		tv_str(tv_push(l), "name", p->cats[i].name);
	tv_put(ctx, "meta_sections", l);
	l = tv_list(rq->a);
	for (i = 0; i < p->ntags; i++)
		tv_str(tv_push(l), "name", p->tags[i].name);
	tv_put(ctx, "meta_tags", l);
	page_feeds(app, rq, ctx, u, arena_printf(rq->a,
	    "Comments on \xe2\x80\x9c%s\xe2\x80\x9d", p->title));
}

/* The comment a reply form targets, if it is visible to this reader. */
static const struct comment *
find_visible(const struct thread_node *n, int64_t id)
{
	for (; n; n = n->next) {
		const struct comment *c;

		if (n->c->id == id && !n->removed)
			return n->c;
		if ((c = find_visible(n->first, id)) != NULL)
			return c;
	}
	return NULL;
}

void
article_page(struct app *app, struct req *rq, struct resp *rs,
    const struct post *p, const struct form_in *f, const char *viewer)
{
	struct comment *cs;
	struct thread_node *roots;
	struct tval *ctx, *po, *form;
	struct tctx t;
	size_t n, shown;
	int64_t now = (int64_t)time(NULL), parent = 0;
	const struct comment *pc = NULL;
	struct form_in pre;
	const char *ts = NULL;
	int personal = viewer != NULL;
	struct admin ad;
	enum perr e;

	memset(&ad, 0, sizeof(ad));
	if ((e = store_comment_list_post(app->store, rq->a, p->id, &cs, &n)) !=
	    P_OK) {
		h_error(app, rq, rs, 503, "The comments could not be read.");
		return;
	}
	thread_build(rq->a, cs, n, viewer, app->conf.thread_depth, &roots,
	    &shown);
	ctx = page_ctx(app, rq, p->title);
	article_meta(app, rq, ctx, p);
	po = tv_obj(rq->a);
	put_post_common(rq->a, po, p);
	/* The author's own Markdown, rendered when the post was saved. */
	tv_html(po, "body", (struct html_trusted){ p->body_html });
	tv_put(ctx, "post", po);

	t.app = app;
	t.a = rq->a;
	t.p = p;
	/* Only a request that carries a session cookie pays for the
	 * lookup; readers have none. */
	t.staff = 0;
	if (rq->cookie(rq, SESSION_COOKIE) && admin_current(app, rq, &ad)) {
		t.staff = admin_may_post(&ad, p->author_id);
		if (t.staff)
			tv_str(po, "edit_url", arena_printf(rq->a,
			    "/admin/posts/%lld/", (long long)p->id));
	}
	t.purl = url_post(rq->a, p);
	t.max_depth = app->conf.thread_depth;
	t.open = post_comments_open(app, p, now);
	if (p->n_approved > 0)
		tv_str(ctx, "responses_heading", arena_printf(rq->a,
		    "%s to \xe2\x80\x9c%s\xe2\x80\x9d",
		    responses_label(rq->a, p->n_approved), p->title));
	if (t.open) {
		if (f)
			parent = f->parent_id;
		else if (rq->query(rq, "replytocom")) {
			long long v;
			if (str_toint(rq->query(rq, "replytocom"), 1,
			    INT64_MAX, &v) == P_OK)
				parent = v;
		}
		if (parent && (pc = find_visible(roots, parent)) == NULL)
			parent = 0;
	}
	t.cpage = "";
	if (app->conf.comments_per_page > 0 && roots) {
		/* Threads paged by top-level comment, oldest page first
		 * (?cpage=N); a page keeps each thread whole. */
		int64_t cpp = app->conf.comments_per_page, nr = 0, cpage = 1;
		int64_t npages, k;
		struct thread_node *r, *first;
		long long v;

		for (r = roots; r; r = r->next)
			nr++;
		npages = (nr + cpp - 1) / cpp;
		if (rq->query(rq, "cpage") && str_toint(rq->query(rq, "cpage"),
		    1, npages, &v) == P_OK)
			cpage = v;
		for (first = roots, k = 0; k < (cpage - 1) * cpp; k++)
			first = first->next;
		for (r = first, k = 1; k < cpp && r->next; k++)
			r = r->next;
		r->next = NULL;
		roots = first;
		if (npages > 1) {
			struct tval *nav = tv_obj(rq->a);

			t.cpage = arena_printf(rq->a, "&cpage=%lld",
			    (long long)cpage);
			if (cpage > 1)
				tv_str(nav, "older_url", arena_printf(rq->a,
				    "%s?cpage=%lld#comments", t.purl,
				    (long long)cpage - 1));
			if (cpage < npages)
				tv_str(nav, "newer_url", arena_printf(rq->a,
				    "%s?cpage=%lld#comments", t.purl,
				    (long long)cpage + 1));
			tv_int(nav, "page", cpage);
			tv_int(nav, "pages", npages);
			tv_put(ctx, "comment_pages", nav);
		}
	}
	tv_bool(ctx, "has_comments", roots != NULL);
	tv_put(ctx, "comments", nodes_to_list(&t, roots));
	tv_bool(ctx, "comments_open", t.open);
	if (t.open) {
		if (f == NULL) {
			memset(&pre, 0, sizeof(pre));
			commenter_prefill(rq, &pre.author, &pre.email,
			    &pre.url);
			pre.text = "";
			f = &pre;
			if (*pre.author || *pre.email || *pre.url)
				personal = 1;
		}
		form = tv_obj(rq->a);
		if (ad.role != ROLE_NONE) {
			struct tval *st = tv_obj(rq->a);

			tv_str(st, "name", ad.s.user.name);
			tv_str(st, "csrf", ad.csrf);
			tv_put(form, "staff", st);
		}
		tv_str(form, "action", "/comments");
		tv_int(form, "post_id", p->id);
		tv_int(form, "parent_id", parent);
		tv_bool(form, "replying", pc != NULL);
		if (pc)
			tv_str(form, "reply_to_name", pc->author);
		tv_str(form, "cancel_url", arena_printf(rq->a, "%s#respond",
		    t.purl));
		tv_str(form, "name", f->author);
		tv_str(form, "email", f->email);
		tv_str(form, "website", f->url);
		tv_str(form, "text", f->text);
		ts = sign_make(rq->a, app->key, arena_printf(rq->a, "t%lld",
		    (long long)now));
		tv_str(form, "ts", ts);
		if (f->error)
			tv_str(form, "error", f->error);
		tv_int(form, "max_len", app->conf.max_length);
		tv_put(ctx, "form", form);
	}
	page_render(app, rq, rs, "article", ctx);
	/* The form's timestamp is new on every render; the page means the
	 * same without it, so it does not change the (then weak) ETag. */
	rs->volatile_part = ts;
	/* Pages that take comments change often: caches revalidate every
	 * time. One showing the reader's own name or pending comment is
	 * theirs alone. */
	resp_header(rs, "Cache-Control", personal || ad.role != ROLE_NONE ?
	    CACHE_ARTICLE_PERSONAL : CACHE_ARTICLE);
	/* A staff member's page (Edit links, their name, their session's
	 * CSRF token) differs from everyone else's by a login, which moves
	 * no change clock: a date could validate a copy taken before the
	 * login or after the logout. Only the ETag, which hashes these very
	 * bytes, may revalidate it. */
	if (ad.role != ROLE_NONE)
		rs->last_modified = -1;
}

int64_t
comment_page(struct app *app, struct arena *a, int64_t post_id,
    int64_t comment_id, const char *viewer)
{
	struct comment *cs;
	struct thread_node *roots, *r;
	size_t n, shown;
	int64_t i = 0;

	if (app->conf.comments_per_page <= 0 ||
	    store_comment_list_post(app->store, a, post_id, &cs, &n) != P_OK)
		return 0;
	thread_build(a, cs, n, viewer, app->conf.thread_depth, &roots, &shown);
	for (r = roots; r; r = r->next, i++)
		if (r->c->id == comment_id || find_visible(r->first, comment_id))
			return i / app->conf.comments_per_page + 1;
	return 0;
}

void
h_article(struct app *app, struct req *rq, struct resp *rs, int y, int m,
    int d, const char *slug)
{
	struct post p;
	enum perr e;

	e = store_post_find(app->store, rq->a, y, m, d, slug, &p);
	if (e == P_NOTFOUND) {
		int64_t id;

		/* An address the post had before its slug or date changed. */
		if (store_post_redirect_find(app->store, y, m, d, slug, &id) ==
		    P_OK && store_post_get(app->store, rq->a, id, &p) == P_OK &&
		    post_is_public(&p, (int64_t)time(NULL))) {
			h_redirect(rs, 301, url_post(rq->a, &p));
			return;
		}
		/* WordPress dated permalinks by the author's local day; an
		 * imported article may be one day off from ours (UTC). */
		if (h_legacy_path(app, rq, rs))
			return;
		h_error(app, rq, rs, 404, "There is no article at this address.");
		return;
	}
	if (e != P_OK) {
		h_error(app, rq, rs, 503, "The article could not be read.");
		return;
	}
	article_page(app, rq, rs, &p, NULL, commenter_from_cookie(app, rq));
}
