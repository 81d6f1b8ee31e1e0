/* admin_posts.c: the post list (/admin/posts/), the editor (new and
 * existing posts: preview, draft, publish, schedule), closing and
 * reopening comments per post, deleting a post. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"
#include "../render/markdown.h"
#include "admin.h"

/* Plain-text excerpt length when the author gives none (as the CLI). */
#define EXCERPT_AUTO_BYTES 300

static const char *const status_names[] = { "published", "draft",
	"scheduled" };

static void
put_terms(struct arena *a, struct tval *o, const char *key,
    const struct category *c, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", c[i].name);
	tv_str(o, key, b.data ? b.data : "");
	buf_free(&b);
}

void
h_admin_posts(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	struct post_admin_query q;
	struct post *ps;
	struct tval *ctx, *list, *tabs, *t;
	int64_t total = 0, counts[3], page = admin_page_num(rq), all = 0;
	const char *sv = rq->query(rq, "status"), *search = rq->query(rq, "s");
	size_t n, i;
	int k;

	if (rq->method != M_GET && rq->method != M_HEAD) {
		h_error(app, rq, rs, 405, "This page can only be read.");
		resp_header(rs, "Allow", "GET, HEAD");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.status = -1;
	for (k = 0; sv && k < 3; k++)
		if (!strcmp(sv, status_names[k]))
			q.status = k;
	if (search && (strlen(search) > 200 || !str_valid_line(search,
	    strlen(search))))
		search = NULL;
	q.search = search;
	q.author_id = ad->role >= ROLE_EDITOR ? 0 : ad->s.user_id;
	q.limit = LIM_ADMIN_PER_PAGE;
	q.offset = (page - 1) * LIM_ADMIN_PER_PAGE;
	if (store_post_list_admin(app->store, rq->a, &q, &ps, &n, &total,
	    counts) != P_OK) {
		h_error(app, rq, rs, 503, "The posts could not be read.");
		return;
	}
	ctx = admin_page(app, rq, ad, "Posts", "posts");
	tabs = tv_list(rq->a);
	for (k = 0; k < 3; k++)
		all += counts[k];
	t = tv_push(tabs);
	tv_str(t, "label", "All");
	tv_int(t, "count", all);
	tv_str(t, "url", "/admin/posts/");
	tv_bool(t, "current", q.status == -1);
	{
		static const int order[3] = { PS_PUBLISHED, PS_SCHEDULED,
			PS_DRAFT };
		static const char *const labels[3] = { "Published",
			"Scheduled", "Drafts" };

		for (k = 0; k < 3; k++) {
			t = tv_push(tabs);
			tv_str(t, "label", labels[k]);
			tv_int(t, "count", counts[order[k]]);
			tv_str(t, "url", arena_printf(rq->a, "/admin/posts/"
			    "?status=%s", status_names[order[k]]));
			tv_bool(t, "current", q.status == order[k]);
		}
	}
	tv_put(ctx, "tabs", tabs);
	tv_str(ctx, "search", search ? search : "");
	tv_str(ctx, "status", q.status >= 0 ? status_names[q.status] : "");
	list = tv_list(rq->a);
	for (i = 0; i < n; i++) {
		struct tval *o = tv_push(list);
		const struct post *p = &ps[i];
		char human[48];

		str_human_date(p->status == PS_DRAFT && p->modified ?
		    p->modified : p->published, human, sizeof(human));
		tv_int(o, "id", p->id);
		tv_str(o, "title", *p->title ? p->title : "(no title)");
		tv_str(o, "author", p->author_name);
		tv_str(o, "status", pstatus_str(p->status));
		tv_str(o, "date", arena_printf(rq->a, "%s %s", p->status ==
		    PS_DRAFT ? "Last modified" : p->status == PS_SCHEDULED ?
		    "Scheduled for" : "Published", human));
		tv_bool(o, "is_published", p->status == PS_PUBLISHED);
		tv_str(o, "url", url_post(rq->a, p));
		put_terms(rq->a, o, "categories", p->cats, p->ncats);
		tv_int(o, "comments", p->n_approved);
		tv_str(o, "comments_url", arena_printf(rq->a,
		    "/admin/comments/?status=approved&post=%lld",
		    (long long)p->id));
		tv_bool(o, "open", p->comments_open);
	}
	tv_put(ctx, "posts", list);
	tv_bool(ctx, "empty", n == 0);
	if (q.offset + (int64_t)n < total)
		tv_str(ctx, "next_url", arena_printf(rq->a, "/admin/posts/"
		    "?status=%s&s=%s&page=%lld", q.status >= 0 ?
		    status_names[q.status] : "", admin_q(rq->a, search ? search :
		    ""), (long long)page + 1));
	if (page > 1)
		tv_str(ctx, "prev_url", arena_printf(rq->a, "/admin/posts/"
		    "?status=%s&s=%s&page=%lld", q.status >= 0 ?
		    status_names[q.status] : "", admin_q(rq->a, search ? search :
		    ""), (long long)page - 1));
	admin_render(app, rq, rs, "admin-posts", ctx);
}

/* Comma-separated names (plus checked slugs) into an array of terms,
 * each slugged; duplicates dropped. P_TOOBIG past LIM_TERMS_PER_POST. */
static enum perr
terms(struct arena *a, const char *text, const char *const *checked,
    size_t nchecked, struct category **out, size_t *n)
{
	struct category *c = arena_alloc(a, sizeof(*c) * LIM_TERMS_PER_POST);
	char *s = arena_strdup(a, text ? text : ""), *comma;
	size_t k = 0, i, j;

	for (j = 0; j < nchecked; j++) {
		if (!str_is_slug(checked[j]))
			continue;
		if (k == LIM_TERMS_PER_POST)
			return P_TOOBIG;
		c[k].slug = checked[j];
		c[k].name = NULL; /* existing: keeps its name */
		k++;
	}
	while (s && *s) {
		const char *slug;

		comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		str_trim(s);
		if (*s && (slug = str_slugify(a, s)) != NULL && *slug) {
			for (i = 0; i < k; i++)
				if (!strcmp(c[i].slug, slug))
					break;
			if (i == k) {
				if (k == LIM_TERMS_PER_POST)
					return P_TOOBIG;
				c[k].slug = slug;
				c[k].name = s;
				k++;
			}
		}
		s = comma ? comma + 1 : NULL;
	}
	/* Drop duplicate checked slugs. */
	for (i = 0; i < k; i++)
		for (j = i + 1; j < k; j++)
			if (!strcmp(c[i].slug, c[j].slug)) {
				if (c[j].name)
					c[i].name = c[j].name;
				memmove(&c[j], &c[j + 1], (k - j - 1) *
				    sizeof(*c));
				k--;
				j--;
			}
	*out = c;
	*n = k;
	return P_OK;
}

/* Terms read by terms() as the post's tags. */
static struct tag *
as_tags(struct arena *a, const struct category *c, size_t n)
{
	struct tag *t = arena_alloc(a, sizeof(*t) * (n ? n : 1));
	size_t i;

	for (i = 0; i < n; i++) {
		t[i].id = 0; /* found by slug when saved */
		t[i].slug = c[i].slug;
		t[i].name = c[i].name;
	}
	return t;
}

/* A free slug from want: want, want-2, want-3, ... */
static const char *
free_slug(struct app *app, struct arena *a, const char *want, int64_t id)
{
	int taken, i;
	const char *s = want;

	for (i = 2; i < 1000; i++) {
		if (store_post_slug_taken(app->store, s, id, &taken) != P_OK)
			return NULL;
		if (!taken)
			return s;
		s = arena_printf(a, "%.*s-%d", LIM_SLUG_BYTES - 6, want, i);
	}
	return NULL;
}

static char *
render(struct arena *a, enum md_profile prof, const char *md)
{
	struct buf b;
	char *out;

	buf_init(&b, 0);
	if (md_render(prof, md, strlen(md), &b) != P_OK) {
		buf_free(&b);
		return NULL;
	}
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/* The words of the article alone, for the search index ("" if they
 * cannot be had: the index then reads the source). */
static const char *
plain_text(struct arena *a, const char *md)
{
	struct buf b;
	const char *out = "";

	buf_init(&b, 0);
	if (md_plain_text(MD_PROFILE_POST, md, strlen(md), &b) == P_OK)
		out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static char *
auto_excerpt(struct arena *a, const char *md)
{
	struct buf b;
	char *out;

	buf_init(&b, 0);
	if (md_excerpt(md, strlen(md), EXCERPT_AUTO_BYTES, &b) != P_OK) {
		buf_free(&b);
		return arena_strdup(a, "");
	}
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static void
put_term_choices(struct app *app, struct req *rq, struct tval *ctx,
    const struct post *p)
{
	struct category *all;
	struct tval *l = tv_list(rq->a);
	size_t n, i, j;

	if (store_category_list_all(app->store, rq->a, &all, &n) != P_OK)
		n = 0;
	for (i = 0; i < n; i++) {
		struct tval *o = tv_push(l);
		int on = 0;

		for (j = 0; j < p->ncats; j++)
			if (!strcmp(p->cats[j].slug, all[i].slug))
				on = 1;
		tv_str(o, "slug", all[i].slug);
		tv_str(o, "name", all[i].name);
		tv_bool(o, "checked", on);
		tv_int(o, "n", (int64_t)i);
	}
	tv_put(ctx, "all_categories", l);
	tv_bool(ctx, "has_categories", n > 0);
}

static void
put_media_choices(struct app *app, struct req *rq, struct tval *ctx,
    const char *current)
{
	struct media *ms;
	struct tval *l = tv_list(rq->a);
	size_t n, i;
	int found = 0;

	if (store_media_list(app->store, rq->a, 0, 50, &ms, &n, NULL) != P_OK)
		n = 0;
	for (i = 0; i < n; i++) {
		struct tval *o = tv_push(l);
		const char *u = media_url(rq->a, &ms[i]);

		tv_str(o, "url", u);
		tv_str(o, "name", *ms[i].name ? ms[i].name : ms[i].hash);
		tv_bool(o, "selected", current && !strcmp(current, u));
		found |= current && !strcmp(current, u);
	}
	tv_put(ctx, "media", l);
	/* An image that is not in the library (a URL, the demo's files). */
	if (current && *current && !found)
		tv_str(ctx, "image_other", current);
}

struct editor_in {
	struct post p;
	const char *cats_text, *tags_text, *date_text, *excerpt_text;
	const char *error, *preview_html;
	int is_new;
};

static void
editor_page(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, const struct editor_in *in, int status)
{
	struct tval *ctx, *po;
	const struct post *p = &in->p;
	char iso[21];

	ctx = admin_page(app, rq, ad, in->is_new ? "Add New Post" :
	    "Edit Post", in->is_new ? "new" : "posts");
	po = tv_obj(rq->a);
	tv_int(po, "id", p->id);
	tv_str(po, "title", p->title);
	tv_str(po, "slug", p->slug);
	tv_str(po, "body", p->body_md);
	tv_str(po, "excerpt", in->excerpt_text);
	tv_str(po, "categories", in->cats_text);
	tv_str(po, "tags", in->tags_text);
	tv_str(po, "image", p->image);
	tv_str(po, "caption", p->image_caption);
	tv_bool(po, "open", p->comments_open);
	tv_str(po, "date", in->date_text);
	tv_str(po, "status", in->is_new ? "new" : pstatus_str(p->status));
	tv_bool(po, "is_published", !in->is_new && p->status == PS_PUBLISHED);
	tv_bool(po, "is_scheduled", !in->is_new && p->status == PS_SCHEDULED);
	if (!in->is_new && p->status == PS_PUBLISHED)
		tv_str(po, "url", url_post(rq->a, p));
	str_iso8601(p->published, iso);
	tv_str(po, "published_iso", iso);
	tv_put(ctx, "post", po);
	tv_str(ctx, "action", in->is_new ? "/admin/posts/new/" :
	    arena_printf(rq->a, "/admin/posts/%lld/", (long long)p->id));
	tv_bool(ctx, "is_new", in->is_new);
	if (in->error)
		tv_str(ctx, "error", in->error);
	if (in->preview_html)
		tv_html(ctx, "preview", (struct html_trusted){
		    in->preview_html });
	put_term_choices(app, rq, ctx, p);
	put_media_choices(app, rq, ctx, p->image);
	tv_int(ctx, "max_upload_mb", LIM_UPLOAD_BYTES / (1024 * 1024));
	admin_render(app, rq, rs, "admin-editor", ctx);
	rs->status = status;
}

/* "YYYY-MM-DDTHH:MM" for a datetime-local input (UTC). */
static const char *
local_date(struct arena *a, int64_t t)
{
	char iso[21];

	str_iso8601(t, iso);
	return arena_strndup(a, iso, 16);
}

static void
editor_post(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, struct editor_in *in, const struct post *old)
{
	struct post *p = &in->p;
	const char *doit = admin_field(rq, "do"), *want_slug, *cats[64];
	const char *html = NULL, *code, *why = NULL;
	struct category *tcats;
	const struct req_file *f;
	int64_t now = (int64_t)time(NULL), when = 0, id = 0;
	size_t ncats;
	enum perr e;

	if (!admin_post_ok(app, rq, rs, ad))
		return;
	p->title = admin_field(rq, "title");
	want_slug = admin_field(rq, "slug");
	p->body_md = rq->form(rq, "body") ? rq->form(rq, "body") : "";
	in->excerpt_text = admin_field(rq, "excerpt");
	in->cats_text = admin_field(rq, "categories");
	in->tags_text = admin_field(rq, "tags");
	in->date_text = admin_field(rq, "date");
	p->image = admin_field(rq, "image");
	if (!strcmp(p->image, "other"))
		p->image = admin_field(rq, "image_url");
	p->image_caption = admin_field(rq, "caption");
	p->comments_open = *admin_field(rq, "comments_open") != '\0';
	p->slug = want_slug;
	ncats = rq->form_all(rq, "cat", cats, 64);
	if (ncats > 64)
		ncats = 64;

	/* An uploaded featured image goes to the library first, so even a
	 * preview or a failed save keeps it. */
	f = rq->file(rq, "image_file");
	if (f && f->len > 0) {
		const char *u;

		if (media_store_upload(app, rq, ad, f, &u, &why) == P_OK)
			p->image = u;
		else
			in->error = why;
	}
	if (in->error)
		;
	else if (!str_valid_line(p->title, strlen(p->title)) ||
	    !str_valid_text(p->body_md, strlen(p->body_md)) ||
	    !str_valid_text(in->excerpt_text, strlen(in->excerpt_text)) ||
	    !str_valid_line(p->image, strlen(p->image)) ||
	    !str_valid_line(p->image_caption, strlen(p->image_caption)) ||
	    !str_valid_line(in->cats_text, strlen(in->cats_text)) ||
	    !str_valid_line(in->tags_text, strlen(in->tags_text)))
		in->error = "The form contains characters that cannot be used.";
	else if (*p->title == '\0')
		in->error = "Please give the post a title.";
	else if (strlen(p->title) > LIM_TITLE_BYTES)
		in->error = "The title is too long.";
	else if (strlen(p->body_md) > LIM_POST_BODY_BYTES)
		in->error = "The text is too long (at most 1 MiB).";
	else if (strlen(in->excerpt_text) > LIM_EXCERPT_BYTES ||
	    strlen(p->image_caption) > LIM_EXCERPT_BYTES ||
	    strlen(p->image) > LIM_URL_BYTES)
		in->error = "The excerpt, caption or image address is too long.";
	else if (*p->image && !esc_url_scheme_ok(p->image, strlen(p->image)))
		in->error = "The featured image must be an http(s) address or "
		    "one of this site's images.";
	else if (*want_slug && (!str_is_slug(want_slug) ||
	    strlen(want_slug) > LIM_SLUG_BYTES))
		in->error = "The slug may only have lower-case letters, digits "
		    "and '-'.";
	else if (*in->date_text && str_parse_date(in->date_text, &when) !=
	    P_OK)
		in->error = "The date must look like 2026-12-01 09:30 (UTC).";
	/* The date field shows minutes: sent back unchanged, it keeps the
	 * exact time the post has. */
	if (old && when && strcmp(in->date_text, local_date(rq->a,
	    old->published)) == 0)
		when = old->published;
	/* The terms as sent, whatever the date (and shown again with an
	 * error). */
	if (terms(rq->a, in->cats_text, cats, ncats, &p->cats,
	    &p->ncats) != P_OK || terms(rq->a, in->tags_text, NULL, 0,
	    &tcats, &p->ntags) != P_OK) {
		if (in->error == NULL)
			in->error = "Too many categories or tags.";
	} else
		p->tags = as_tags(rq->a, tcats, p->ntags);
	if (in->error == NULL && (html = render(rq->a, MD_PROFILE_POST,
	    p->body_md)) == NULL)
		in->error = "The text could not be rendered.";
	if (in->error) {
		editor_page(app, rq, rs, ad, in, 400);
		return;
	}
	p->body_html = html;
	p->body_text = plain_text(rq->a, p->body_md);
	if (!strcmp(doit, "preview")) {
		in->preview_html = html;
		editor_page(app, rq, rs, ad, in, 200);
		return;
	}
	p->excerpt = *in->excerpt_text ? in->excerpt_text :
	    auto_excerpt(rq->a, p->body_md);
	if (*p->slug == '\0')
		p->slug = str_slugify(rq->a, p->title);
	if (*p->slug == '\0')
		p->slug = "post";
	if ((p->slug = free_slug(app, rq->a, p->slug, p->id)) == NULL) {
		in->error = "No free slug could be found; please choose one.";
		editor_page(app, rq, rs, ad, in, 400);
		return;
	}
	/* When: a date given wins; a post readers can already see keeps
	 * its date (and so its permalink); otherwise now. */
	if (!strcmp(doit, "draft")) {
		p->status = PS_DRAFT;
		p->published = when ? when : (old && old->status != PS_DRAFT ?
		    old->published : now);
		code = "draft";
	} else if (!strcmp(doit, "publish")) {
		if (when)
			p->published = when;
		else if (old && old->status == PS_PUBLISHED)
			p->published = old->published;
		else
			p->published = now;
		p->status = p->published > now ? PS_SCHEDULED : PS_PUBLISHED;
		code = p->status == PS_SCHEDULED ? "scheduled" :
		    old && old->status == PS_PUBLISHED ? "saved" : "published";
	} else {
		h_error(app, rq, rs, 400, "The form does not say what to do.");
		return;
	}
	p->author_id = old ? old->author_id : ad->s.user_id;
	e = store_post_save(app->store, p, &id);
	if (e == P_CONFLICT) {
		in->error = "Another post already has this address; choose "
		    "another slug.";
		editor_page(app, rq, rs, ad, in, 409);
		return;
	}
	if (e != P_OK) {
		in->error = "The post could not be saved just now; nothing "
		    "was lost, please try again.";
		editor_page(app, rq, rs, ad, in, 503);
		return;
	}
	log_info("post %lld: %s by %s", (long long)id, code,
	    str_log_safe(rq->a, ad->s.user.login));
	admin_done(rs, arena_printf(rq->a, "/admin/posts/%lld/?done=%s",
	    (long long)id, code));
}

void
h_admin_editor(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, int64_t id)
{
	struct editor_in in;
	struct post old;
	enum perr e;

	memset(&in, 0, sizeof(in));
	in.is_new = id == 0;
	if (id) {
		e = store_post_get(app->store, rq->a, id, &old);
		if (e == P_NOTFOUND) {
			h_error(app, rq, rs, 404, "There is no such post.");
			return;
		}
		if (e != P_OK) {
			h_error(app, rq, rs, 503, "The post could not be read.");
			return;
		}
		if (!admin_may_post(ad, old.author_id)) {
			h_error(app, rq, rs, 403, "You may only edit your own "
			    "posts.");
			return;
		}
		in.p = old;
	}
	if (rq->method == M_POST) {
		in.p.id = id;
		in.p.status = id ? old.status : PS_DRAFT;
		editor_post(app, rq, rs, ad, &in, id ? &old : NULL);
		return;
	}
	if (in.is_new) {
		in.p.title = in.p.slug = in.p.body_md = "";
		in.p.image = in.p.image_caption = "";
		in.p.comments_open = 1;
		in.p.published = (int64_t)time(NULL);
		in.excerpt_text = in.cats_text = in.tags_text = "";
		in.date_text = "";
	} else {
		struct buf b;
		size_t i;

		/* An excerpt that is the automatic one shows as empty, so
		 * it follows the text when the text changes. */
		in.excerpt_text = strcmp(old.excerpt, auto_excerpt(rq->a,
		    old.body_md)) == 0 ? "" : old.excerpt;
		buf_init(&b, 0);
		for (i = 0; i < old.ncats; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", old.cats[i].name);
		in.cats_text = "";
		buf_reset(&b);
		for (i = 0; i < old.ntags; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", old.tags[i].name);
		in.tags_text = arena_strdup(rq->a, b.data ? b.data : "");
		buf_free(&b);
		in.date_text = old.status == PS_DRAFT ? "" :
		    local_date(rq->a, old.published);
	}
	editor_page(app, rq, rs, ad, &in, 200);
}

void
h_admin_post_action(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, int64_t id, const char *action)
{
	struct post p;
	enum perr e;
	const char *back;

	if (!admin_post_ok(app, rq, rs, ad))
		return;
	e = store_post_get(app->store, rq->a, id, &p);
	if (e != P_OK) {
		h_error(app, rq, rs, e == P_NOTFOUND ? 404 : 503,
		    e == P_NOTFOUND ? "There is no such post." :
		    "The post could not be read.");
		return;
	}
	if (!admin_may_post(ad, p.author_id)) {
		h_error(app, rq, rs, 403, "You may only change your own posts.");
		return;
	}
	back = admin_field(rq, "back");
	if (strncmp(back, "/admin/", 7) != 0 || strstr(back, "//") ||
	    strchr(back, '?') || !str_valid_line(back, strlen(back)))
		back = "/admin/posts/";
	if (!strcmp(action, "comments")) {
		int open = !strcmp(admin_field(rq, "open"), "1");

		e = store_post_set_open(app->store, id, open);
		if (e == P_OK) {
			log_info("post %lld: comments %s by %s", (long long)id,
			    open ? "opened" : "closed", str_log_safe(rq->a,
			    ad->s.user.login));
			admin_done(rs, arena_printf(rq->a, "%s?done=%s", back,
			    open ? "opened" : "closed"));
			return;
		}
	} else if (!strcmp(action, "delete")) {
		e = store_post_delete(app->store, id);
		if (e == P_OK) {
			log_info("post %lld: deleted by %s", (long long)id,
			    str_log_safe(rq->a, ad->s.user.login));
			admin_done(rs, "/admin/posts/?done=postdeleted");
			return;
		}
	} else {
		h_error(app, rq, rs, 404, "There is no such action.");
		return;
	}
	h_error(app, rq, rs, 503, "That could not be saved just now.");
}
