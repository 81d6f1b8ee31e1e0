/* api.c: the JSON read API under /api/v1/. Every string goes through
 * esc_json_str; numbers are printed as integers. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/limits.h"
#include "../base/str.h"
#include "thread.h"
#include "page.h"

#define API_PER_PAGE 10

static void
jstr(struct buf *b, const char *s)
{
	esc_json_str(b, s ? s : "", s ? strlen(s) : 0);
}

static void
jkey(struct buf *b, const char *k)
{
	jstr(b, k);
	buf_putc(b, ':');
}

static void
json_post(struct app *app, struct arena *a, struct buf *b,
    const struct post *p, int full)
{
	char iso[21];
	size_t i;

	str_iso8601(p->published, iso);
	buf_printf(b, "{\"id\":%lld,", (long long)p->id);
	jkey(b, "title"); jstr(b, p->title); buf_putc(b, ',');
	jkey(b, "slug"); jstr(b, p->slug); buf_putc(b, ',');
	jkey(b, "url");
	jstr(b, arena_printf(a, "%s%s", app->conf.base_url, url_post(a, p)));
	buf_putc(b, ',');
	jkey(b, "date"); jstr(b, iso); buf_putc(b, ',');
	buf_puts(b, "\"author\":{");
	jkey(b, "login"); jstr(b, p->author_login); buf_putc(b, ',');
	jkey(b, "name"); jstr(b, p->author_name); buf_puts(b, "},");
	buf_puts(b, "\"categories\":[");
	for (i = 0; i < p->ncats; i++) {
		buf_puts(b, i ? ",{" : "{");
		jkey(b, "slug"); jstr(b, p->cats[i].slug); buf_putc(b, ',');
		jkey(b, "name"); jstr(b, p->cats[i].name); buf_putc(b, '}');
	}
	buf_puts(b, "],\"tags\":[");
	for (i = 0; i < p->ntags; i++) {
		buf_puts(b, i ? ",{" : "{");
		jkey(b, "slug"); jstr(b, p->tags[i].slug); buf_putc(b, ',');
		jkey(b, "name"); jstr(b, p->tags[i].name); buf_putc(b, '}');
	}
	buf_puts(b, "],");
	jkey(b, "excerpt"); jstr(b, p->excerpt); buf_putc(b, ',');
	jkey(b, "image"); jstr(b, p->image); buf_putc(b, ',');
	jkey(b, "image_caption"); jstr(b, p->image_caption); buf_putc(b, ',');
	buf_printf(b, "\"comments_open\":%s,\"comment_count\":%lld",
	    post_comments_open(app, p, (int64_t)time(NULL)) ? "true" : "false",
	    (long long)p->n_approved);
	if (full) {
		buf_putc(b, ',');
		jkey(b, "content_html"); jstr(b, p->body_html);
	}
	buf_putc(b, '}');
}

static void
json_done(struct resp *rs)
{
	rs->status = 200;
	rs->content_type = "application/json";
	resp_header(rs, "Access-Control-Allow-Origin", "*");
	resp_header(rs, "Cache-Control", CACHE_API);
	buf_putc(&rs->body, '\n');
}

void
h_api_posts(struct app *app, struct req *rq, struct resp *rs)
{
	struct post_query q = { 0 };
	struct post *posts;
	const char *ps = rq->query(rq, "page");
	long long page = 1;
	size_t n, i;
	int64_t total;

	if (ps && str_toint(ps, 1, LIM_PAGE_MAX, &page) != P_OK) {
		h_error(app, rq, rs, 400, "page must be a whole number from 1.");
		return;
	}
	q.offset = (page - 1) * API_PER_PAGE;
	q.limit = API_PER_PAGE;
	if (store_post_list(app->store, rq->a, &q, &posts, &n, &total) != P_OK) {
		h_error(app, rq, rs, 503, "The articles could not be read.");
		return;
	}
	buf_printf(&rs->body, "{\"page\":%lld,\"per_page\":%d,\"total\":%lld,"
	    "\"pages\":%lld,\"posts\":[", page, API_PER_PAGE, (long long)total,
	    (long long)((total + API_PER_PAGE - 1) / API_PER_PAGE));
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&rs->body, ',');
		json_post(app, rq->a, &rs->body, &posts[i], 0);
	}
	buf_puts(&rs->body, "]}");
	json_done(rs);
}

void
h_api_post(struct app *app, struct req *rq, struct resp *rs, int64_t id)
{
	struct post p;
	enum perr e = store_post_get(app->store, rq->a, id, &p);

	/* Drafts, private, password-protected and scheduled posts are
	 * nobody's business (yet). */
	if (e != P_OK || !post_is_public(&p, (int64_t)time(NULL))) {
		h_error(app, rq, rs, e == P_IO ? 503 : 404, "No such post.");
		return;
	}
	json_post(app, rq->a, &rs->body, &p, 1);
	json_done(rs);
}

static void
json_nodes(struct arena *a, struct buf *b, const struct thread_node *n,
    const struct post *p, int *first)
{
	char iso[21];

	for (; n; n = n->next) {
		const struct comment *c = n->c;

		if (!n->removed) {
			str_iso8601(c->created, iso);
			buf_printf(b, "%s{\"id\":%lld,\"parent\":%lld,"
			    "\"depth\":%d,", *first ? "" : ",",
			    (long long)c->id, (long long)c->parent_id,
			    n->depth);
			*first = 0;
			jkey(b, "author"); jstr(b, c->author); buf_putc(b, ',');
			jkey(b, "author_url");
			jstr(b, commenter_site(c->url) ? c->url : "");
			buf_putc(b, ',');
			jkey(b, "date"); jstr(b, iso); buf_putc(b, ',');
			buf_printf(b, "\"by_post_author\":%s,",
			    c->user_id && c->user_id == p->author_id ?
			    "true" : "false");
			jkey(b, "content_html"); jstr(b, c->body_html);
			buf_putc(b, '}');
		}
		json_nodes(a, b, n->first, p, first);
	}
}

void
h_api_comments(struct app *app, struct req *rq, struct resp *rs, int64_t id)
{
	struct post p;
	struct comment *cs;
	struct thread_node *roots;
	size_t n, shown;
	int first = 1;
	enum perr e = store_post_get(app->store, rq->a, id, &p);

	/* Drafts, private, password-protected and scheduled posts are
	 * nobody's business (yet). */
	if (e != P_OK || !post_is_public(&p, (int64_t)time(NULL))) {
		h_error(app, rq, rs, e == P_IO ? 503 : 404, "No such post.");
		return;
	}
	if (store_comment_list_post(app->store, rq->a, id, &cs, &n) != P_OK) {
		h_error(app, rq, rs, 503, "The comments could not be read.");
		return;
	}
	/* No viewer: the API shows approved comments only. */
	thread_build(rq->a, cs, n, NULL, app->conf.thread_depth, &roots,
	    &shown);
	buf_printf(&rs->body, "{\"post_id\":%lld,\"count\":%zu,\"comments\":[",
	    (long long)id, shown);
	json_nodes(rq->a, &rs->body, roots, &p, &first);
	buf_puts(&rs->body, "]}");
	json_done(rs);
}
