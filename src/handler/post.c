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
    const char *base, const char *description, const char *feeds,
    const char *tag)
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
	/* Shared: the listing changes when one of its posts does (its
	 * response count), when the listing itself does (tag), or when
	 * the site does (nav, settings). Which posts it lists changes only
	 * with writes that drop every page (a post saved, a category or tag
	 * linked). */
	rs->shared = 1;
	resp_tag(rs, TAG_SITE);
	resp_tag(rs, tag);
	list = tv_list(rq->a);
	for (i = 0; i < n; i++) {
		struct tval *o = tv_push(list);
		const char *u;

		resp_tag(rs, tag_post(rq->a, posts[i].id));
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

	listing(app, rq, rs, &q, page, NULL, "/", NULL, NULL, TAG_FRONT);
}

int
archive_find(struct app *app, struct req *rq, struct resp *rs,
    enum archive_kind kind, const char *slug, struct post_query *q,
    struct archive_page *out)
{
	struct category c;
	struct tag t;
	struct user u;
	const char *site = app->conf.title;

	switch (kind) {
	case ARCH_CATEGORY:
		if (store_category_get(app->store, rq->a, slug, &c) != P_OK)
			break;
		q->category_slug = c.slug;
		out->url = url_category(rq->a, c.slug);
		out->heading = arena_printf(rq->a, "Category: %s", c.name);
		out->description = arena_printf(rq->a, "Articles in %s on %s.",
		    c.name, site);
		out->title = arena_printf(rq->a, "%s \xe2\x80\x93 %s", c.name,
		    site);
		out->cache_tag = arena_printf(rq->a, "cat:%s", c.slug);
		return 1;
	case ARCH_TAG:
		if (store_tag_get(app->store, rq->a, slug, &t) != P_OK)
			break;
		q->tag_slug = t.slug;
		out->url = url_tag(rq->a, t.slug);
		out->heading = arena_printf(rq->a, "Tag: %s", t.name);
		out->description = arena_printf(rq->a, "Articles tagged %s on "
		    "%s.", t.name, site);
		out->title = arena_printf(rq->a, "%s \xe2\x80\x93 %s", t.name,
		    site);
		out->cache_tag = arena_printf(rq->a, "tag:%s", t.slug);
		return 1;
	case ARCH_AUTHOR:
		if (store_user_get(app->store, rq->a, slug, &u) != P_OK)
			break;
		q->author_login = u.login;
		out->url = url_author(rq->a, u.login);
		out->heading = arena_printf(rq->a, "Posts by %s", u.name);
		out->description = arena_printf(rq->a, "Articles by %s on %s.",
		    u.name, site);
		out->title = arena_printf(rq->a, "Posts by %s \xe2\x80\x93 %s",
		    u.name, site);
		out->cache_tag = arena_printf(rq->a, "author:%s", u.login);
		return 1;
	case ARCH_MONTH: /* date archives are built from their path */
		break;
	}
	h_error(app, rq, rs, 404, kind == ARCH_CATEGORY ?
	    "There is no such category." : kind == ARCH_TAG ?
	    "There is no such tag." : "There is no such author.");
	return 0;
}

static void
archive(struct app *app, struct req *rq, struct resp *rs,
    enum archive_kind kind, const char *slug, int64_t page)
{
	struct post_query q = { 0 };
	struct archive_page ar;

	if (archive_find(app, rq, rs, kind, slug, &q, &ar))
		listing(app, rq, rs, &q, page, ar.heading, ar.url,
		    ar.description, ar.title, ar.cache_tag);
}

void
h_category(struct app *app, struct req *rq, struct resp *rs,
    const char *slug, int64_t page)
{
	archive(app, rq, rs, ARCH_CATEGORY, slug, page);
}

void
h_author(struct app *app, struct req *rq, struct resp *rs,
    const char *login, int64_t page)
{
	archive(app, rq, rs, ARCH_AUTHOR, login, page);
}

void
h_tag(struct app *app, struct req *rq, struct resp *rs, const char *slug,
    int64_t page)
{
	archive(app, rq, rs, ARCH_TAG, slug, page);
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
	    app->conf.title, heading + strlen("Archive: ")), NULL,
	    arena_printf(rq->a, "date:%s", url_date(rq->a, y, m, d)));
}

/* The names comment.html reads: one frame slot each. Every comment sets
 * every slot, so nothing is ever looked up in an enclosing scope. */
enum {
	CF_ID, CF_DEPTH, CF_PERMALINK, CF_REMOVED, CF_PENDING, CF_BY_AUTHOR,
	CF_CAN_REPLY, CF_REPLY_URL, CF_STATUS_URL, CF_EDITED, CF_EDIT_URL,
	CF_DATE_ISO, CF_DATE_HUMAN, CF_AUTHOR, CF_AUTHOR_SITE, CF_BODY,
	CF_HAS_CHILDREN, CF_CHILDREN, CF__N
};
static const char *const comment_keys[CF__N] = {
	"id", "depth", "permalink", "removed", "pending", "by_post_author",
	"can_reply", "reply_url", "status_url", "edited", "edit_url",
	"date_iso", "date_human", "author", "author_site", "body",
	"has_children", "children",
};

struct tctx;

/* One nesting level of the thread being rendered: the siblings walked,
 * and the frame and text the current one is rendered from. A comment's
 * replies are one level down, so a level's frame stays intact while its
 * comment's replies are rendered. */
struct tlevel {
	struct tctx *t;
	size_t level;
	const struct thread_node *first, *cur;
	struct tval *frame;
	char iso[21], human[48], permalink[32];
};

struct tctx {
	struct app *app;
	struct arena *a;
	const struct post *p;
	const char *purl;
	const char *reply_base; /* purl + "?replytocom=" */
	const char *reply_tail; /* cpage + "#respond" */
	const char *cpage; /* "&cpage=N" on a paged thread, else "" */
	int staff;         /* a logged-in user who may moderate here */
	int max_depth;
	int open;
	/* Comments of a thread mostly share their day: format it once. */
	int64_t day;
	char human[48], iso_day[12]; /* "YYYY-MM-DDT" */
	struct tlevel lv[LIM_DEPTH_MAX + 1];
};

/* "prefix" + number + "suffix" in the arena, without printf (this runs
 * for every comment of every uncached page). */
static const char *
cat_int(struct arena *a, const char *prefix, int64_t v, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *out = arena_alloc(a, pl + sl + 24), *p = out;

	memcpy(p, prefix, pl);
	p = str_put_uint(p + pl, v < 0 ? 0 : (uint64_t)v, 1);
	memcpy(p, suffix, sl + 1);
	return out;
}

/* The comment's dates, as str_iso8601() and str_human_date() write them. */
static void
comment_dates(struct tctx *t, int64_t when, char iso[21], char human[48])
{
	int64_t day = when >= 0 ? when / 86400 : -1, sec;

	if (when < 0) {
		str_iso8601(when, iso);
		str_human_date(when, human, 48);
		t->day = -2;
		return;
	}
	if (day != t->day) {
		str_human_date(when, t->human, sizeof(t->human));
		str_iso8601(when, iso);
		memcpy(t->iso_day, iso, 11);
		t->iso_day[11] = '\0';
		t->day = day;
	}
	memcpy(human, t->human, sizeof(t->human));
	sec = when % 86400;
	memcpy(iso, t->iso_day, 11);
	iso[11] = (char)('0' + sec / 36000);
	iso[12] = (char)('0' + sec / 3600 % 10);
	iso[13] = ':';
	iso[14] = (char)('0' + sec % 3600 / 600);
	iso[15] = (char)('0' + sec % 3600 / 60 % 10);
	iso[16] = ':';
	iso[17] = (char)('0' + sec % 60 / 10);
	iso[18] = (char)('0' + sec % 10);
	iso[19] = 'Z';
	iso[20] = '\0';
}

static size_t
count_nodes(const struct thread_node *n)
{
	size_t k = 0;

	for (; n; n = n->next)
		k++;
	return k;
}

static const struct tval *next_comment(void *arg, size_t k);

/* Comments starting at first, rendered at level (0 = the thread's top). */
static void
put_comments(struct tctx *t, struct tval *obj, size_t slot, const char *key,
    size_t level, const struct thread_node *first)
{
	struct tlevel *lv;
	size_t n = count_nodes(first);

	/* thread_build() caps depth at max_depth <= LIM_DEPTH_MAX. */
	if (level >= sizeof(t->lv) / sizeof(t->lv[0]))
		n = 0;
	else {
		lv = &t->lv[level];
		lv->t = t;
		lv->level = level;
		lv->first = first;
		lv->cur = NULL;
	}
	if (key)
		tv_iter(obj, key, n, n ? next_comment : NULL,
		    n ? &t->lv[level] : NULL);
	else
		tv_fiter(obj, slot, n, n ? next_comment : NULL,
		    n ? &t->lv[level] : NULL);
}

/* Item k of a level: its frame refilled with the next comment. Items
 * are asked for in order, each once. */
static const struct tval *
next_comment(void *arg, size_t k)
{
	struct tlevel *lv = arg;
	struct tctx *t = lv->t;
	const struct thread_node *n;
	const struct comment *c;
	struct tval *f;
	char *p;

	n = lv->cur = k == 0 ? lv->first : lv->cur ? lv->cur->next : NULL;
	if (n == NULL)
		return NULL;
	c = n->c;
	if (lv->frame == NULL)
		lv->frame = tv_frame(t->a, comment_keys, CF__N);
	f = lv->frame;
	tv_fint(f, CF_ID, c->id);
	tv_fint(f, CF_DEPTH, n->depth);
	p = str_put_uint(lv->permalink + strlen("#comment-"),
	    c->id < 0 ? 0 : (uint64_t)c->id, 1);
	memcpy(lv->permalink, "#comment-", strlen("#comment-"));
	*p = '\0';
	/* Ours, made of digits and letters: nothing to escape. */
	tv_fhtml(f, CF_PERMALINK, (struct html_trusted){ lv->permalink });
	tv_fbool(f, CF_REMOVED, n->removed);
	tv_fbool(f, CF_PENDING, n->pending);
	tv_fbool(f, CF_BY_AUTHOR, !n->removed && c->user_id != 0 &&
	    c->user_id == t->p->author_id);
	tv_fbool(f, CF_CAN_REPLY, 0);
	tv_fstr(f, CF_REPLY_URL, "");
	/* A held comment's writer gets its private status link. */
	tv_fstr(f, CF_STATUS_URL, n->pending ? comment_status_url(t->app,
	    t->a, c->id) : "");
	tv_fbool(f, CF_EDITED, !n->removed && c->moderator_edited);
	tv_fstr(f, CF_EDIT_URL, t->staff ? arena_printf(t->a,
	    "/admin/comments/%lld/", (long long)c->id) : "");
	comment_dates(t, c->created, lv->iso, lv->human);
	tv_fhtml(f, CF_DATE_ISO, (struct html_trusted){ lv->iso });
	tv_fhtml(f, CF_DATE_HUMAN, (struct html_trusted){ lv->human });
	if (n->removed) {
		tv_fstr(f, CF_AUTHOR, "");
		tv_fstr(f, CF_AUTHOR_SITE, "");
		tv_fhtml(f, CF_BODY, html_trusted_literal(""));
	} else {
		tv_fstr(f, CF_AUTHOR, c->author);
		tv_fstr(f, CF_AUTHOR_SITE, commenter_site(c->url) ? c->url :
		    "");
		/* Rendered and sanitised by render/markdown.c when the
		 * comment was written. */
		tv_fhtml(f, CF_BODY, (struct html_trusted){ c->body_html });
		if (t->open && !n->pending && n->depth < t->max_depth) {
			tv_fbool(f, CF_CAN_REPLY, 1);
			tv_fstr(f, CF_REPLY_URL, cat_int(t->a, t->reply_base,
			    c->id, t->reply_tail));
		}
	}
	tv_fbool(f, CF_HAS_CHILDREN, n->first != NULL);
	put_comments(t, f, CF_CHILDREN, NULL, lv->level + 1, n->first);
	return f;
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

/* Slot markers: a byte no stored text can hold (str_valid_text refuses
 * C0 controls) and the slot's number. article_render() puts them where
 * the per-reader parts go and strip_slots() takes them out again. */
#define SLOT_MARK '\x01'
enum { SLOT_MINE, SLOT_NAME, SLOT_EMAIL, SLOT_URL, NSLOTS };

/* Removes the markers of slots 0..want-1 (in that order) from b and
 * records where they were. Returns 0, or -1 if they are not all there. */
static int
strip_slots(struct buf *b, size_t *slot, size_t want)
{
	char *p = b->data, *end = b->data + b->len, *o = b->data;
	size_t k = 0;

	/* memchr finds the few markers; the bytes between move once. */
	while (p && p < end) {
		char *m = memchr(p, SLOT_MARK, (size_t)(end - p));
		size_t n = (size_t)((m ? m : end) - p);

		memmove(o, p, n);
		o += n;
		if (m == NULL)
			break;
		if (k < want && m + 1 < end && m[1] == (char)('0' + k)) {
			slot[k++] = (size_t)(o - b->data);
			p = m + 2;
		} else {
			*o++ = *m;
			p = m + 1;
		}
	}
	if (b->data) {
		b->len = (size_t)(o - b->data);
		b->data[b->len] = '\0';
	}
	return k == want ? 0 : -1;
}

/* shared: the page every reader is sent (no viewer, no form values): the
 * reply form's values and the reader's pending comments are slots that
 * page_personal() fills per reader. Never for a staff member, whose page
 * is theirs alone (Edit links, their name, their CSRF token). Otherwise
 * the page is for this reader only (a form shown again with an error). */
static void
article_render(struct app *app, struct req *rq, struct resp *rs,
    const struct post *p, const struct form_in *f, const char *viewer,
    int shared)
{
	struct comment *cs;
	struct thread_node *roots;
	struct tval *ctx, *po, *form;
	struct tctx t;
	size_t n, shown;
	int64_t now = (int64_t)time(NULL), parent = 0;
	const struct comment *pc = NULL;
	struct form_in pre;
	int personal = viewer != NULL;
	struct admin ad;
	enum perr e;

	memset(&ad, 0, sizeof(ad));
	/* Only a request that carries a session cookie pays for the
	 * lookup; readers have none. */
	if (rq->cookie(rq, SESSION_COOKIE) && admin_current(app, rq, &ad))
		shared = 0;
	if (shared)
		personal = 0;
	if ((e = store_comment_list_thread(app->store, rq->a, p->id,
	    shared ? NULL : viewer, &cs, &n)) != P_OK) {
		h_error(app, rq, rs, 503, "The comments could not be read.");
		return;
	}
	thread_build(rq->a, cs, n, shared ? NULL : viewer,
	    app->conf.thread_depth, &roots, &shown);
	ctx = page_ctx(app, rq, p->title);
	article_meta(app, rq, ctx, p);
	po = tv_obj(rq->a);
	put_post_common(rq->a, po, p);
	/* The author's own Markdown, rendered when the post was saved. */
	tv_html(po, "body", (struct html_trusted){ p->body_html });
	tv_put(ctx, "post", po);

	memset(&t, 0, sizeof(t));
	t.app = app;
	t.a = rq->a;
	t.p = p;
	t.day = -2;
	if (ad.role != ROLE_NONE) {
		t.staff = admin_may_post(&ad, p->author_id);
		if (t.staff)
			tv_str(po, "edit_url", arena_printf(rq->a,
			    "/admin/posts/%lld/", (long long)p->id));
	}
	t.purl = url_post(rq->a, p);
	t.reply_base = arena_printf(rq->a, "%s?replytocom=", t.purl);
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
	t.reply_tail = arena_printf(rq->a, "%s#respond", t.cpage);
	tv_bool(ctx, "has_comments", roots != NULL);
	put_comments(&t, ctx, 0, "comments", 0, roots);
	tv_bool(ctx, "comments_open", t.open);
	if (t.open) {
		if (f == NULL) {
			memset(&pre, 0, sizeof(pre));
			if (shared)
				pre.author = pre.email = pre.url = "";
			else
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
		if (shared) {
			/* Slot markers, not HTML: stripped before sending. */
			tv_html(form, "name", html_trusted_literal("\x01" "1"));
			tv_html(form, "email", html_trusted_literal("\x01" "2"));
			tv_html(form, "website",
			    html_trusted_literal("\x01" "3"));
		} else {
			tv_str(form, "name", f->author);
			tv_str(form, "email", f->email);
			tv_str(form, "website", f->url);
		}
		tv_str(form, "text", f->text);
		/* The form's signed timestamp travels in a cookie set with
		 * the page (page_personal; form_ts_cookie), so the page's
		 * bytes are the same on every view and its ETag strong. A
		 * form shown again after an error (an answer to a POST)
		 * carries its own. */
		if (f != &pre)
			tv_str(form, "ts", sign_make(rq->a, app->key,
			    arena_printf(rq->a, "t%lld", (long long)now)));
		else {
			tv_str(form, "ts", "");
			if (!shared)
				form_ts_cookie(app, rq, rs);
		}
		if (f->error)
			tv_str(form, "error", f->error);
		tv_int(form, "max_len", app->conf.max_length);
		tv_put(ctx, "form", form);
	}
	if (shared) {
		tv_html(ctx, "mine", html_trusted_literal("\x01" "0"));
		rs->shared = 1;
		resp_tag(rs, TAG_SITE);
		resp_tag(rs, tag_post(rq->a, p->id));
		rs->owner = p->id;
		/* Comments close by the calendar, not by a write. */
		if (t.open && app->conf.close_after_days > 0)
			resp_expires(rs, p->published +
			    (int64_t)app->conf.close_after_days * 86400 + 1);
	}
	page_render(app, rq, rs, "article", ctx);
	if (shared && rs->status == 200) {
		size_t want = t.open ? NSLOTS : 1;

		rs->nslots = want;
		if (strip_slots(&rs->body, rs->slot, want) != 0) {
			log_warn("article %lld: slot markers missing",
			    (long long)p->id);
			rs->shared = 0;
			rs->nslots = 0;
		}
	}
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

void
article_page(struct app *app, struct req *rq, struct resp *rs,
    const struct post *p, const struct form_in *f, const char *viewer)
{
	article_render(app, rq, rs, p, f, viewer, 0);
}

int
page_personal(struct app *app, struct req *rq, const char *body, size_t len,
    const size_t *slot, size_t nslots, int64_t owner, struct resp *rs)
{
	const char *viewer = commenter_from_cookie(app, rq);
	const char *val[NSLOTS] = { "", "", "", "" };
	struct comment *mine = NULL;
	struct buf pend;
	size_t nmine = 0, i, at = 0;
	int personal = 0;

	if (nslots != 1 && nslots != NSLOTS)
		return 0;
	if (nslots == NSLOTS) {
		form_ts_cookie(app, rq, rs);
		commenter_prefill(rq, &val[SLOT_NAME], &val[SLOT_EMAIL],
		    &val[SLOT_URL]);
		personal = *val[SLOT_NAME] || *val[SLOT_EMAIL] ||
		    *val[SLOT_URL];
	}
	if (viewer && store_comment_list_mine(app->store, rq->a, owner, viewer,
	    &mine, &nmine) == P_OK && nmine > 0)
		personal = 1;
	if (!personal)
		return 0;

	buf_init(&pend, 0);
	if (nmine > 0) {
		struct thread_node *nodes = arena_alloc(rq->a,
		    nmine * sizeof(*nodes));
		struct post nobody;
		struct tval *ctx = tv_obj(rq->a);
		struct tctx t;

		memset(&nobody, 0, sizeof(nobody));
		nobody.author_id = -1;
		for (i = 0; i < nmine; i++) {
			nodes[i].c = &mine[i];
			nodes[i].depth = 1;
			nodes[i].pending = 1;
			nodes[i].next = i + 1 < nmine ? &nodes[i + 1] : NULL;
		}
		memset(&t, 0, sizeof(t));
		t.app = app;
		t.a = rq->a;
		t.p = &nobody;
		t.purl = t.reply_base = t.cpage = "";
		t.reply_tail = "#respond";
		t.day = -2;
		t.max_depth = app->conf.thread_depth;
		put_comments(&t, ctx, 0, "comments", 0, nodes);
		if (tmpl_render(app->tmpl, "mine", ctx, &pend) != P_OK) {
			buf_free(&pend);
			return 0;
		}
	}
	buf_reset(&rs->body);
	for (i = 0; i < nslots; i++) {
		buf_add(&rs->body, body + at, slot[i] - at);
		at = slot[i];
		if (i == SLOT_MINE)
			buf_add(&rs->body, pend.data ? pend.data : "",
			    pend.len);
		else
			esc_html_attr(&rs->body, val[i], strlen(val[i]));
	}
	buf_add(&rs->body, body + at, len - at);
	buf_free(&pend);
	/* Theirs alone: a shared cache must not keep it. */
	resp_header(rs, "Cache-Control", CACHE_ARTICLE_PERSONAL);
	return 1;
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
	article_render(app, rq, rs, &p, NULL, commenter_from_cookie(app, rq), 1);
}
