/* admin_comments.c: the moderation queue (/admin/comments/) with its
 * tabs, row and bulk actions, the moderator's edit page, replies from the
 * queue, and the held commenter's private status page. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/sign.h"
#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"
#include "../render/markdown.h"
#include "admin.h"

static const struct {
	enum cstatus st;
	const char *label;
} tabs[] = {
	{ CS_PENDING, "Pending" },
	{ CS_APPROVED, "Approved" },
	{ CS_SPAM, "Spam" },
	{ CS_TRASH, "Trash" },
};

/* Why a comment was held, in the words a moderator expects. */
static const char *
why_held(const char *reason)
{
	if (reason == NULL || *reason == '\0')
		return "";
	if (!strcmp(reason, "form sent too fast"))
		return "sent by a bot (form filled too fast)";
	if (!strcmp(reason, "honeypot"))
		return "sent by a bot (honeypot field filled)";
	return reason;
}

const char *
comment_status_url(struct app *app, struct arena *a, int64_t id)
{
	return arena_printf(a, "/comment-status/%s/", sign_make(a, app->key,
	    arena_printf(a, "s%lld", (long long)id)));
}

static const char *
post_url_of(struct arena *a, const struct comment_row *r)
{
	struct post p;

	memset(&p, 0, sizeof(p));
	p.slug = r->post_slug;
	p.published = r->post_published;
	return url_post(a, &p);
}

static int
status_param(struct req *rq, const char *v)
{
	int s = cstatus_parse(v);

	return s < 0 ? CS_PENDING : s;
}

static void
queue_page(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	struct comment_admin_query q;
	struct comment_row *rows;
	struct tval *ctx, *tl, *list;
	int64_t counts[4], total = 0, page = admin_page_num(rq);
	size_t n, i;
	int st = status_param(rq, rq->query(rq, "status"));
	long long pid = 0;

	memset(&q, 0, sizeof(q));
	q.status = (enum cstatus)st;
	q.post_author_id = ad->role >= ROLE_EDITOR ? 0 : ad->s.user_id;
	if (rq->query(rq, "post") &&
	    str_toint(rq->query(rq, "post"), 1, INT64_MAX, &pid) == P_OK)
		q.post_id = pid;
	q.limit = LIM_ADMIN_PER_PAGE;
	q.offset = (page - 1) * LIM_ADMIN_PER_PAGE;
	if (store_comment_counts(app->store, q.post_author_id, counts) !=
	    P_OK || store_comment_list_admin(app->store, rq->a, &q, &rows, &n,
	    &total) != P_OK) {
		h_error(app, rq, rs, 503, "The comments could not be read.");
		return;
	}
	ctx = admin_page(app, rq, ad, "Comments", "comments");
	tl = tv_list(rq->a);
	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		struct tval *t = tv_push(tl);

		tv_str(t, "label", tabs[i].label);
		tv_int(t, "count", counts[tabs[i].st]);
		tv_str(t, "url", arena_printf(rq->a, "/admin/comments/?status=%s",
		    cstatus_str(tabs[i].st)));
		tv_bool(t, "current", (int)tabs[i].st == st);
	}
	tv_put(ctx, "tabs", tl);
	tv_str(ctx, "status", cstatus_str((enum cstatus)st));
	tv_str(ctx, "status_label", tabs[st].label);
	tv_int(ctx, "page", page);
	tv_int(ctx, "total", total);
	tv_bool(ctx, "is_pending", st == CS_PENDING);
	tv_bool(ctx, "is_approved", st == CS_APPROVED);
	tv_bool(ctx, "is_removed", st == CS_SPAM || st == CS_TRASH);
	tv_bool(ctx, "is_spam", st == CS_SPAM);
	tv_bool(ctx, "is_trash", st == CS_TRASH);
	list = tv_list(rq->a);
	for (i = 0; i < n; i++) {
		const struct comment *c = &rows[i].c;
		struct tval *o = tv_push(list);
		char human[48];
		const char *purl = post_url_of(rq->a, &rows[i]);

		str_human_date(c->created, human, sizeof(human));
		tv_int(o, "id", c->id);
		tv_str(o, "author", c->author);
		tv_str(o, "email", c->email);
		tv_str(o, "url", c->url);
		tv_str(o, "ip", c->ip);
		tv_str(o, "date", arena_printf(rq->a, "%s", human));
		tv_str(o, "post_title", rows[i].post_title);
		tv_str(o, "post_url", purl);
		tv_str(o, "post_edit_url", arena_printf(rq->a, "/admin/posts/"
		    "%lld/", (long long)c->post_id));
		tv_str(o, "link", arena_printf(rq->a, "%s#comment-%lld", purl,
		    (long long)c->id));
		tv_html(o, "body", (struct html_trusted){ c->body_html });
		tv_str(o, "why", why_held(c->held_reason));
		tv_bool(o, "edited", c->moderator_edited);
		tv_bool(o, "by_user", c->user_id != 0);
		if (c->parent_id)
			tv_str(o, "parent_link", arena_printf(rq->a,
			    "%s#comment-%lld", purl, (long long)c->parent_id));
		else
			tv_str(o, "parent_link", "");
	}
	tv_put(ctx, "comments", list);
	tv_bool(ctx, "empty", n == 0);
	tv_str(ctx, "post_filter", q.post_id ? arena_printf(rq->a, "%lld",
	    (long long)q.post_id) : "");
	if (q.offset + (int64_t)n < total)
		tv_str(ctx, "next_url", arena_printf(rq->a, "/admin/comments/"
		    "?status=%s&page=%lld", cstatus_str(q.status),
		    (long long)page + 1));
	if (page > 1)
		tv_str(ctx, "prev_url", arena_printf(rq->a, "/admin/comments/"
		    "?status=%s&page=%lld", cstatus_str(q.status),
		    (long long)page - 1));
	admin_render(app, rq, rs, "admin-comments", ctx);
}

/* The comment and whether ad may moderate it. */
static enum perr
moderatable(struct app *app, struct req *rq, const struct admin *ad,
    int64_t id, struct comment *c, struct post *p)
{
	enum perr e;

	if ((e = store_comment_get(app->store, rq->a, id, c)) != P_OK)
		return e;
	if ((e = store_post_get(app->store, rq->a, c->post_id, p)) != P_OK)
		return e;
	return admin_may_post(ad, p->author_id) ? P_OK : P_CONFLICT;
}

/* One action on one comment. P_CONFLICT: not allowed (role or state). */
static enum perr
act(struct app *app, struct req *rq, const struct admin *ad,
    const char *action, int64_t id)
{
	struct comment c;
	struct post p;
	enum perr e;

	if ((e = moderatable(app, rq, ad, id, &c, &p)) != P_OK)
		return e;
	if (!strcmp(action, "approve"))
		e = store_comment_set_status(app->store, id, CS_APPROVED);
	else if (!strcmp(action, "unapprove"))
		e = c.status == CS_APPROVED ? store_comment_set_status(
		    app->store, id, CS_PENDING) : P_CONFLICT;
	else if (!strcmp(action, "spam"))
		e = store_comment_set_status(app->store, id, CS_SPAM);
	else if (!strcmp(action, "trash"))
		e = store_comment_set_status(app->store, id, CS_TRASH);
	else if (!strcmp(action, "restore"))
		e = store_comment_restore(app->store, id);
	else if (!strcmp(action, "delete"))
		e = store_comment_delete(app->store, id);
	else
		e = P_BADINPUT;
	if (e == P_OK)
		log_info("comment %lld: %s by %s", (long long)id, action,
		    str_log_safe(rq->a, ad->s.user.login));
	return e;
}

/* A reply from the queue: published at once as the logged-in user (the
 * post's author gets the Author badge), under comment parent_id, whose
 * approval it implies (as in WordPress). */
static enum perr
reply(struct app *app, struct req *rq, const struct admin *ad,
    int64_t parent_id, const char *text, int64_t *new_id)
{
	struct comment pc, c;
	struct post p;
	struct buf html;
	enum perr e;

	if ((e = moderatable(app, rq, ad, parent_id, &pc, &p)) != P_OK)
		return e;
	if (strspn(text, " \t\r\n") == strlen(text) ||
	    strlen(text) > LIM_COMMENT_BYTES || !str_valid_text(text,
	    strlen(text)))
		return P_BADINPUT;
	if (pc.status == CS_PENDING && (e = store_comment_set_status(
	    app->store, parent_id, CS_APPROVED)) != P_OK)
		return e;
	buf_init(&html, 0);
	if ((e = md_render(MD_PROFILE_COMMENT, text, strlen(text), &html)) !=
	    P_OK) {
		buf_free(&html);
		return e;
	}
	memset(&c, 0, sizeof(c));
	c.post_id = p.id;
	c.parent_id = parent_id;
	c.author = ad->s.user.name;
	c.email = "";
	c.url = "";
	c.ip = rq->ip;
	c.commenter = "";
	c.user_id = ad->s.user_id;
	c.body_md = text;
	c.body_html = arena_strdup(rq->a, html.data ? html.data : "");
	c.created = (int64_t)time(NULL);
	c.status = CS_APPROVED;
	c.held_reason = "";
	/* The words alone, for search (the source if this fails). */
	buf_reset(&html);
	if (md_plain_text(MD_PROFILE_COMMENT, text, strlen(text), &html) ==
	    P_OK)
		c.body_text = arena_strdup(rq->a, html.data ? html.data : "");
	buf_free(&html);
	return store_comment_add(app->store, &c, new_id);
}

static void
queue_post(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	const char *ids[LIM_ADMIN_FORM_FIELDS], *actv = admin_field(rq, "act");
	const char *status = admin_field(rq, "status"), *action, *code;
	char verb[16];
	size_t nids, i, done = 0;
	long long id, page = 1;
	enum perr e = P_OK;
	const char *colon;

	if (!admin_post_ok(app, rq, rs, ad))
		return;
	if (str_toint(admin_field(rq, "page"), 1, LIM_PAGE_MAX, &page) != P_OK)
		page = 1;
	if (cstatus_parse(status) < 0)
		status = "pending";
	if (!strcmp(actv, "bulk")) {
		action = admin_field(rq, "bulk");
		nids = rq->form_all(rq, "ids", ids, LIM_ADMIN_FORM_FIELDS);
		if (nids > LIM_ADMIN_FORM_FIELDS)
			nids = LIM_ADMIN_FORM_FIELDS;
		if (*action == '\0' || nids == 0) {
			admin_done(rs, arena_printf(rq->a, "/admin/comments/"
			    "?status=%s&page=%lld&done=none", status, page));
			return;
		}
		for (i = 0; i < nids; i++) {
			if (str_toint(ids[i], 1, INT64_MAX, &id) != P_OK)
				continue;
			/* Rows another moderator moved meanwhile, or that
			 * this user may not touch, are skipped. */
			if ((e = act(app, rq, ad, action, id)) == P_OK)
				done++;
			else if (e == P_BADINPUT)
				break;
		}
		if (e == P_BADINPUT) {
			h_error(app, rq, rs, 400, "Unknown bulk action.");
			return;
		}
		admin_done(rs, arena_printf(rq->a, "/admin/comments/?status=%s"
		    "&page=%lld&done=%s&n=%zu", status, page, action, done));
		return;
	}
	/* A row's own button: "ACTION:ID". */
	colon = strchr(actv, ':');
	if (colon == NULL || (size_t)(colon - actv) >= sizeof(verb) ||
	    str_toint(colon + 1, 1, INT64_MAX, &id) != P_OK) {
		h_error(app, rq, rs, 400, "The form does not say what to do.");
		return;
	}
	snprintf(verb, sizeof(verb), "%.*s", (int)(colon - actv), actv);
	if (!strcmp(verb, "reply")) {
		const char *text = rq->form(rq, arena_printf(rq->a,
		    "reply_%lld", id));
		int64_t nid = 0;

		e = reply(app, rq, ad, id, text ? text : "", &nid);
		code = "replied";
	} else {
		e = act(app, rq, ad, verb, id);
		code = verb;
	}
	if (e == P_NOTFOUND) {
		h_error(app, rq, rs, 404, "That comment is not there any more.");
		return;
	}
	if (e == P_CONFLICT) {
		h_error(app, rq, rs, 403, "You may not do that to this comment.");
		return;
	}
	if (e == P_BADINPUT) {
		h_error(app, rq, rs, 400, !strcmp(verb, "reply") ?
		    "Please write a reply (it may not be empty)." :
		    "Unknown action.");
		return;
	}
	if (e != P_OK) {
		h_error(app, rq, rs, 503, "That could not be saved just now.");
		return;
	}
	admin_done(rs, arena_printf(rq->a, "/admin/comments/?status=%s"
	    "&page=%lld&done=%s#comments", status, page, code));
}

void
h_admin_comments(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	if (rq->method == M_POST)
		queue_post(app, rq, rs, ad);
	else
		queue_page(app, rq, rs, ad);
}

void
h_admin_comment_edit(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, int64_t id)
{
	struct comment c;
	struct post p;
	struct tval *ctx;
	const char *error = NULL;
	enum perr e;

	e = moderatable(app, rq, ad, id, &c, &p);
	if (e == P_NOTFOUND) {
		h_error(app, rq, rs, 404, "There is no such comment.");
		return;
	}
	if (e == P_CONFLICT) {
		h_error(app, rq, rs, 403, "You may not edit this comment.");
		return;
	}
	if (e != P_OK) {
		h_error(app, rq, rs, 503, "The comment could not be read.");
		return;
	}
	if (rq->method == M_POST) {
		struct buf html;
		const char *text;

		if (!admin_post_ok(app, rq, rs, ad))
			return;
		c.author = admin_field(rq, "author");
		c.email = admin_field(rq, "email");
		c.url = admin_field(rq, "url");
		text = rq->form(rq, "comment");
		c.body_md = text ? text : "";
		if (!str_valid_line(c.author, strlen(c.author)) ||
		    !str_valid_line(c.email, strlen(c.email)) ||
		    !str_valid_line(c.url, strlen(c.url)) ||
		    !str_valid_text(c.body_md, strlen(c.body_md)))
			error = "The form contains characters that cannot be "
			    "used.";
		else if (*c.author == '\0' || strlen(c.author) > LIM_NAME_BYTES)
			error = "The name must be given (at most 100 bytes).";
		else if (strlen(c.email) > LIM_EMAIL_BYTES ||
		    strlen(c.url) > LIM_URL_BYTES)
			error = "The e-mail or web site is too long.";
		else if (*c.url && strncmp(c.url, "http://", 7) &&
		    strncmp(c.url, "https://", 8))
			error = "The web site must start with http:// or "
			    "https://.";
		else if (strspn(c.body_md, " \t\r\n") == strlen(c.body_md) ||
		    strlen(c.body_md) > LIM_COMMENT_BYTES)
			error = "The comment may not be empty (or longer than "
			    "16 KiB).";
		if (error == NULL) {
			buf_init(&html, 0);
			e = md_render(MD_PROFILE_COMMENT, c.body_md,
			    strlen(c.body_md), &html);
			c.body_html = arena_strdup(rq->a, html.data ?
			    html.data : "");
			/* New words for search with the new text ("" makes
			 * the index read the source instead). */
			c.body_text = "";
			buf_reset(&html);
			if (e == P_OK && md_plain_text(MD_PROFILE_COMMENT,
			    c.body_md, strlen(c.body_md), &html) == P_OK)
				c.body_text = arena_strdup(rq->a, html.data ?
				    html.data : "");
			buf_free(&html);
			if (e == P_OK)
				e = store_comment_edit(app->store, &c);
			if (e == P_OK) {
				log_info("comment %lld: edited by %s",
				    (long long)id, str_log_safe(rq->a,
				    ad->s.user.login));
				admin_done(rs, arena_printf(rq->a,
				    "/admin/comments/?status=%s&done=edited",
				    cstatus_str(c.status)));
				return;
			}
			error = "The comment could not be saved just now.";
		}
	}
	ctx = admin_page(app, rq, ad, "Edit Comment", "comments");
	if (error)
		tv_str(ctx, "error", error);
	tv_int(ctx, "id", c.id);
	tv_str(ctx, "author", c.author);
	tv_str(ctx, "email", c.email);
	tv_str(ctx, "url", c.url);
	tv_str(ctx, "text", c.body_md);
	tv_str(ctx, "ip", c.ip);
	tv_str(ctx, "status_label", cstatus_str(c.status));
	tv_str(ctx, "back_url", arena_printf(rq->a, "/admin/comments/"
	    "?status=%s", cstatus_str(c.status)));
	tv_str(ctx, "post_title", p.title);
	tv_str(ctx, "link", arena_printf(rq->a, "%s#comment-%lld",
	    url_post(rq->a, &p), (long long)c.id));
	admin_render(app, rq, rs, "admin-comment-edit", ctx);
	if (error)
		rs->status = 400;
}

void
h_comment_status(struct app *app, struct req *rq, struct resp *rs,
    const char *token)
{
	char *payload = sign_check(rq->a, app->key, token);
	struct tval *ctx;
	struct comment c;
	struct post p;
	long long id;
	const char *state, *text;

	if (payload == NULL || payload[0] != 's' ||
	    str_toint(payload + 1, 1, INT64_MAX, &id) != P_OK) {
		h_error(app, rq, rs, 404, "This status link is not valid.");
		return;
	}
	ctx = page_ctx(app, rq, "Your comment");
	if (store_comment_get(app->store, rq->a, id, &c) != P_OK ||
	    store_post_get(app->store, rq->a, c.post_id, &p) != P_OK) {
		state = "rejected";
		text = "Your comment was not approved and has been removed.";
	} else if (c.status == CS_APPROVED) {
		state = "approved";
		text = "Your comment has been approved and is published.";
		tv_str(ctx, "link", arena_printf(rq->a, "%s#comment-%lld",
		    url_post(rq->a, &p), id));
	} else if (c.status == CS_PENDING) {
		state = "pending";
		text = "Your comment is still awaiting moderation.";
	} else {
		state = "rejected";
		text = "Your comment was not approved.";
	}
	if (store_comment_get(app->store, rq->a, id, &c) == P_OK &&
	    store_post_get(app->store, rq->a, c.post_id, &p) == P_OK &&
	    post_is_public(&p, (int64_t)time(NULL))) {
		tv_str(ctx, "post_title", p.title);
		tv_str(ctx, "post_url", url_post(rq->a, &p));
	}
	tv_str(ctx, "state", state);
	tv_str(ctx, "message", text);
	page_render(app, rq, rs, "comment-status", ctx);
	/* The link is private: keep it out of shared caches and logs of
	 * other sites (no Referer beyond our origin already). */
	resp_header(rs, "Cache-Control", "private, no-store");
	resp_header(rs, "X-Robots-Tag", "noindex");
}
