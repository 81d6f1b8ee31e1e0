/* search.c: /search?q=&type=&page= (a page) and /api/v1/search (JSON)
 * over published articles and approved comments. The store does the
 * matching and ranking (FTS5, case and accents folded) and never fails
 * for the query's syntax; this side bounds the input, pages the hits and
 * turns the store's match markers into <mark> (esc_html_marked). A
 * comment hit links to its #comment-N in its thread. */
#include <stdio.h>
#include <string.h>

#include "../base/limits.h"
#include "../base/str.h"
#include "page.h"

#define SEARCH_PER_PAGE 10

_Static_assert(SEARCH_MARK_ON_BYTE == ESC_MARK_ON &&
    SEARCH_MARK_OFF_BYTE == ESC_MARK_OFF,
    "store and render must mark matches with the same bytes");

struct sreq {
	const char *q;        /* the query as typed, "" if none */
	enum search_kind kind;
	const char *type;     /* "all", "articles", "comments" */
	long long page;
	const char *problem;  /* why nothing was searched, NULL if fine */
};

/* Reads q, type and page. Page and type are links we made; a bad one is
 * *bad (the API says 400, the page shows page 1 of everything). */
static void
read_params(struct req *rq, struct sreq *s, int *bad)
{
	const char *t = rq->query(rq, "type"), *pg = rq->query(rq, "page");

	memset(s, 0, sizeof(*s));
	*bad = 0;
	s->q = rq->query(rq, "q");
	if (s->q == NULL)
		s->q = "";
	s->kind = SEARCH_ALL;
	s->type = "all";
	if (t && !strcmp(t, "articles")) {
		s->kind = SEARCH_POSTS;
		s->type = t;
	} else if (t && !strcmp(t, "comments")) {
		s->kind = SEARCH_COMMENTS;
		s->type = t;
	} else if (t && *t && strcmp(t, "all"))
		*bad = 1;
	s->page = 1;
	if (pg && str_toint(pg, 1, LIM_PAGE_MAX, &s->page) != P_OK) {
		*bad = 1;
		s->page = 1;
	}
	if (strlen(s->q) > LIM_SEARCH_QUERY_BYTES)
		s->problem = arena_printf(rq->a, "Please search for at most "
		    "%d characters.", LIM_SEARCH_QUERY_BYTES);
	else if (!str_valid_text(s->q, strlen(s->q)))
		s->problem = "The search contains characters that cannot be "
		    "used.";
}

static enum perr
run(struct app *app, struct req *rq, const struct sreq *s,
    struct search_hit **hits, size_t *n, int64_t *total, int *more)
{
	struct search_query q;

	memset(&q, 0, sizeof(q));
	q.text = s->q;
	q.kind = s->kind;
	q.offset = (s->page - 1) * SEARCH_PER_PAGE;
	q.limit = SEARCH_PER_PAGE;
	return store_search(app->store, rq->a, &q, hits, n, total, more);
}

/* The text with the markers removed (for JSON's plain snippet). */
static const char *
unmarked(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s), *o = out;

	for (; *s; s++)
		if (*s != ESC_MARK_ON && *s != ESC_MARK_OFF)
			*o++ = *s;
	*o = '\0';
	return out;
}

static const char *
hit_url(struct arena *a, const struct search_hit *h)
{
	const char *u = url_post(a, &h->post);

	return h->comment_id ? arena_printf(a, "%s#comment-%lld", u,
	    (long long)h->comment_id) : u;
}

/* /search?q=..&type=..&page=N */
static const char *
page_link(struct arena *a, const struct sreq *s, long long page)
{
	struct buf b;
	const char *out;

	buf_init(&b, 0);
	buf_puts(&b, "/search?q=");
	esc_url_component(&b, s->q, strlen(s->q));
	if (s->kind != SEARCH_ALL)
		buf_printf(&b, "&type=%s", s->type);
	if (page > 1)
		buf_printf(&b, "&page=%lld", page);
	out = arena_strdup(a, b.data);
	buf_free(&b);
	return out;
}

const char *
h_search_key(struct app *app, struct req *rq)
{
	struct sreq s;
	int bad;

	read_params(rq, &s, &bad);
	return bad || s.problem ? NULL : page_link(rq->a, &s, s.page);
}

void
h_search(struct app *app, struct req *rq, struct resp *rs)
{
	struct search_hit *hits = NULL;
	struct tval *ctx, *list, *o, *types;
	struct sreq s;
	size_t n = 0, i;
	int64_t total = 0;
	int bad, more = 0;
	static const char *const tnames[][2] = { { "all", "Everything" },
		{ "articles", "Articles" }, { "comments", "Comments" } };

	read_params(rq, &s, &bad);
	ctx = page_ctx(app, rq, *s.q ? arena_printf(rq->a,
	    "Search results for \xe2\x80\x9c%s\xe2\x80\x9d", s.q) : "Search");
	/* Result pages are endless and thin: not for search engines. */
	tv_bool(ctx, "noindex", 1);
	page_meta(app, rq, ctx, page_link(rq->a, &s, s.page), arena_printf(
	    rq->a, "Search %s's articles and discussions.", app->conf.title),
	    NULL, NULL);
	tv_str(ctx, "query", s.q);
	types = tv_list(rq->a);
	for (i = 0; i < 3; i++) {
		o = tv_push(types);
		tv_str(o, "value", tnames[i][0]);
		tv_str(o, "label", tnames[i][1]);
		tv_bool(o, "selected", !strcmp(s.type, tnames[i][0]));
	}
	tv_put(ctx, "types", types);
	if (s.problem)
		tv_str(ctx, "problem", s.problem);
	else if (*s.q && run(app, rq, &s, &hits, &n, &total, &more) !=
	    P_OK) {
		h_error(app, rq, rs, 503, "Search is not available just now.");
		return;
	}
	tv_bool(ctx, "searched", *s.q && !s.problem);
	/* Shared: the same for every reader (a writer's held comment is
	 * never a hit). It shows whatever matched, so any write to the
	 * index drops it (TAG_COMMENTS), a site change too; page_render()
	 * bounds it by the next scheduled article. Kept under
	 * h_search_key(), its canonical address. */
	rs->shared = 1;
	resp_tag(rs, TAG_SITE);
	resp_tag(rs, TAG_COMMENTS);
	list = tv_list(rq->a);
	for (i = 0; i < n; i++) {
		const struct search_hit *h = &hits[i];
		char iso[21], human[48];

		o = tv_push(list);
		str_iso8601(h->date, iso);
		str_human_date(h->date, human, sizeof(human));
		tv_bool(o, "is_comment", h->comment_id != 0);
		tv_str(o, "url", hit_url(rq->a, h));
		tv_html(o, "title", esc_html_marked(rq->a, h->title));
		tv_html(o, "snippet", esc_html_marked(rq->a, h->snippet));
		tv_str(o, "who", h->comment_id ? h->who :
		    h->post.author_name);
		tv_str(o, "date_iso", iso);
		tv_str(o, "date_human", human);
	}
	tv_put(ctx, "results", list);
	tv_bool(ctx, "has_results", n > 0);
	/* Past the ranked bound the count is a floor: say so, and how to
	 * reach what lies beyond it. */
	if (more)
		tv_str(ctx, "summary", arena_printf(rq->a, "More than %lld "
		    "results", (long long)total));
	else
		tv_str(ctx, "summary", total == 1 ? "1 result" :
		    arena_printf(rq->a, "%lld results", (long long)total));
	tv_bool(ctx, "more", more);
	if ((s.page - 1) * SEARCH_PER_PAGE + (int64_t)n < total)
		tv_str(ctx, "older_url", page_link(rq->a, &s, s.page + 1));
	if (s.page > 1)
		tv_str(ctx, "newer_url", page_link(rq->a, &s, s.page - 1));
	tv_int(ctx, "page_num", s.page);
	page_render(app, rq, rs, "search", ctx);
	resp_header(rs, "Cache-Control", CACHE_LISTING);
}

static void
jkv(struct buf *b, const char *k, const char *v)
{
	esc_json_str(b, k, strlen(k));
	buf_putc(b, ':');
	esc_json_str(b, v ? v : "", v ? strlen(v) : 0);
}

void
h_api_search(struct app *app, struct req *rq, struct resp *rs)
{
	struct search_hit *hits = NULL;
	struct buf *b = &rs->body;
	struct sreq s;
	size_t n = 0, i;
	int64_t total = 0;
	int bad, more = 0;

	read_params(rq, &s, &bad);
	if (bad) {
		h_error(app, rq, rs, 400, "type must be all, articles or "
		    "comments; page a whole number from 1.");
		return;
	}
	if (s.problem) {
		h_error(app, rq, rs, 400, s.problem);
		return;
	}
	if (*s.q && run(app, rq, &s, &hits, &n, &total, &more) != P_OK) {
		h_error(app, rq, rs, 503, "Search is not available just now.");
		return;
	}
	buf_putc(b, '{');
	jkv(b, "query", s.q);
	buf_putc(b, ',');
	jkv(b, "type", s.type);
	/* more: older matches exist beyond the ranked ones; total counts
	 * only what can be paged through. */
	buf_printf(b, ",\"page\":%lld,\"per_page\":%d,\"total\":%lld,"
	    "\"more\":%s,\"pages\":%lld,\"results\":[", s.page,
	    SEARCH_PER_PAGE, (long long)total, more ? "true" : "false",
	    (long long)((total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE));
	for (i = 0; i < n; i++) {
		const struct search_hit *h = &hits[i];
		char iso[21];

		str_iso8601(h->date, iso);
		buf_puts(b, i ? ",{" : "{");
		jkv(b, "type", h->comment_id ? "comment" : "article");
		buf_printf(b, ",\"post_id\":%lld,\"comment_id\":%lld,",
		    (long long)h->post.id, (long long)h->comment_id);
		jkv(b, "url", arena_printf(rq->a, "%s%s", app->conf.base_url,
		    hit_url(rq->a, h)));
		buf_putc(b, ',');
		jkv(b, "title", unmarked(rq->a, h->title));
		buf_putc(b, ',');
		jkv(b, "title_html", esc_html_marked(rq->a, h->title).html);
		buf_putc(b, ',');
		jkv(b, "author", h->comment_id ? h->who : h->post.author_name);
		buf_putc(b, ',');
		jkv(b, "date", iso);
		buf_putc(b, ',');
		jkv(b, "snippet", unmarked(rq->a, h->snippet));
		buf_putc(b, ',');
		jkv(b, "snippet_html", esc_html_marked(rq->a, h->snippet).html);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}\n");
	rs->status = 200;
	rs->content_type = "application/json";
	resp_header(rs, "Access-Control-Allow-Origin", "*");
	resp_header(rs, "Cache-Control", CACHE_API);
}
