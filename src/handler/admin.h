/* admin.h: the admin side's shared parts (handler/admin*.c, media.c):
 * who is logged in (sessions kept in the store; tokens and hashing from
 * auth/), the checks every state-changing request passes (the session's
 * CSRF token and the Origin header), the admin page frame, and the entry
 * points http/ routes to. Roles: admin (everything, users, settings),
 * editor (all posts, all comments), author (own posts, comments on own
 * posts); the checks live next to each action, through admin_may_*(). */
#ifndef PARLEY_ADMIN_H
#define PARLEY_ADMIN_H

#include "../auth/auth.h"
#include "page.h"

#define SESSION_COOKIE "parley_session"

/* One logged-in request. */
struct admin {
	struct session s;
	enum role role;
	const char *token_hash;
	const char *csrf; /* the session's token, for forms */
};

/* The logged-in user behind the request's cookie, if any (1). */
int admin_current(struct app *app, struct req *rq, struct admin *ad);

/* For http/: does this request carry a valid session? (Lets it send the
 * larger admin bodies.) */
int admin_session_ok(struct app *app, struct req *rq);

/* Everything under /admin/ (seg[0] == "admin"). */
void h_admin(struct app *app, struct req *rq, struct resp *rs, size_t nseg,
    const char *const *seg, int trailing);
/* GET /comment-status/TOKEN/: a held commenter's private status page. */
void h_comment_status(struct app *app, struct req *rq, struct resp *rs,
    const char *token);
/* GET /media/HASH.EXT: an uploaded image from the store. 0 if name is
 * not content-addressed (the caller serves SITE/media/ files then). */
int h_media_blob(struct app *app, struct req *rq, struct resp *rs,
    const char *name);

/* The signed status link of a comment (site-relative, arena-owned). */
const char *comment_status_url(struct app *app, struct arena *a, int64_t id);

/* ---- Shared by the admin pages. */

/* Logged in with at least role need? Otherwise writes the answer (a
 * redirect to the login page for a GET, 403 for a POST or too low a
 * role) and returns 0. */
int admin_need(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, enum role need);
/* A state-changing request: POST, the session's CSRF token in the form
 * field "csrf", and an Origin (or Referer) of this site when sent.
 * Otherwise writes 403 (405 for a GET) and returns 0. */
int admin_post_ok(struct app *app, struct req *rq, struct resp *rs,
    const struct admin *ad);
/* The page context with the admin frame: user, csrf, nav, counts. */
struct tval *admin_page(struct app *app, struct req *rq,
    const struct admin *ad, const char *title, const char *section);
void admin_render(struct app *app, struct req *rq, struct resp *rs,
    const char *tmpl, struct tval *ctx);
/* 303 See Other to location (after a successful POST). */
void admin_done(struct resp *rs, const char *location);
/* The notice for ?done=CODE&n=N on a page after an action, or NULL. */
const char *admin_notice(struct req *rq);
/* May ad edit this post / moderate comments on a post by this author? */
int admin_may_post(const struct admin *ad, int64_t post_author_id);
/* Form field, trimmed, never NULL. */
const char *admin_field(struct req *rq, const char *name);
/* Page number from ?page=, 1 if absent or bad. */
int64_t admin_page_num(struct req *rq);
/* Percent-encode s for a query value. */
const char *admin_q(struct arena *a, const char *s);

/* The pages (admin_posts.c, admin_comments.c, admin_settings.c, media.c). */
void h_admin_posts(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad);
void h_admin_editor(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, int64_t id);
void h_admin_post_action(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, int64_t id, const char *action);
void h_admin_comments(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad);
void h_admin_comment_edit(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, int64_t id);
void h_admin_settings(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad);
void h_admin_users(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad);
void h_admin_profile(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad);
void h_admin_media(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad);
void h_admin_media_delete(struct app *app, struct req *rq,
    struct resp *rs, struct admin *ad, const char *hash);
/* Validate and store an uploaded image; *url its /media/ address.
 * P_BADINPUT with *why set for a file that is not one of our types. */
enum perr media_store_upload(struct app *app, struct req *rq,
    const struct admin *ad, const struct req_file *f, const char **url,
    const char **why);
/* The /media/HASH.EXT address of a stored image. */
const char *media_url(struct arena *a, const struct media *m);

#endif
