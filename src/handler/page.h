/* page.h: what every HTML page shares: the site values in the template
 * context, rendering a template into a response with the right headers,
 * and URLs of things (one place builds each kind of URL). */
#ifndef PARLEY_PAGE_H
#define PARLEY_PAGE_H

#include "app.h"

/* New context with site, page_title, css_url, lang, nav_categories.
 * title NULL = the site title alone. Arena-owned. */
struct tval *page_ctx(struct app *app, struct req *rq, const char *title);
/* Render template name with ctx into rs as text/html (status unchanged
 * unless rendering fails, then 500). */
void page_render(struct app *app, struct req *rq, struct resp *rs,
    const char *name, struct tval *ctx);

/* Site-relative URLs, arena-owned. */
const char *url_post(struct arena *a, const struct post *p);
const char *url_category(struct arena *a, const char *slug);
const char *url_author(struct arena *a, const char *login);

/* Comments open now? (flag and close-after-days) */
int post_comments_open(const struct app *app, const struct post *p,
    int64_t now);

/* "No Responses" / "1 Response" / "N Responses" */
const char *responses_label(struct arena *a, int64_t n);



/* The article page (handler/post.c), shared with the comment handler so
 * a rejected comment re-shows the page with what the reader typed. */
struct form_in {
	int64_t parent_id;
	const char *author, *email, *url, *text;
	const char *error; /* message above the form, NULL if none */
};
/* f NULL = a fresh form (parent from ?replytocom=). viewer = commenter id
 * from the reader's cookie (NULL if none) to show their pending comments. */
void article_page(struct app *app, struct req *rq, struct resp *rs,
    const struct post *p, const struct form_in *f, const char *viewer);

/* Name, e-mail and site the reader last commented with (from their own
 * cookie, to prefill the form as WordPress does); "" when unknown. */
void commenter_prefill(struct req *rq, const char **name,
    const char **email, const char **url);

/* Set the cookie that carries the comment form's signed timestamp (how
 * long the reader took to write: a bot's tell). In a cookie rather than
 * in the page so the page stays the same for every reader and cacheable.
 * (handler/comment.c) */
void form_ts_cookie(struct app *app, struct req *rq, struct resp *rs);

/* Commenter id from the signed cookie, or NULL (handler/comment.c). */
const char *commenter_from_cookie(struct app *app, struct req *rq);
#endif
