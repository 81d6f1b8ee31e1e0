/* admin.c: the admin side's frame: routing under /admin/, logging in and
 * out, sessions, the CSRF and Origin checks, notices after actions. */
#include "admin.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/sign.h"
#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"

/* A login form older than this is refused (asks to reload). */
#define LOGIN_FORM_MAX_AGE_S 86400

const char *
admin_q(struct arena *a, const char *s)
{
	struct buf b;
	const char *out;

	buf_init(&b, 0);
	esc_url_component(&b, s, strlen(s));
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

const char *
admin_field(struct req *rq, const char *name)
{
	const char *v = rq->form(rq, name);

	return v ? str_trim(arena_strdup(rq->a, v)) : "";
}

int64_t
admin_page_num(struct req *rq)
{
	const char *p = rq->query(rq, "page");
	long long v;

	if (p && str_toint(p, 1, LIM_PAGE_MAX, &v) == P_OK)
		return v;
	return 1;
}

/* The session behind the request's cookie, or 0. */
static int
load_session(struct app *app, struct req *rq, struct admin *ad)
{
	const char *tok = rq->cookie(rq, SESSION_COOKIE);

	memset(ad, 0, sizeof(*ad));
	if (tok == NULL || strlen(tok) != 64)
		return 0;
	ad->token_hash = auth_token_hash(rq->a, tok);
	if (store_session_get(app->store, rq->a, ad->token_hash,
	    (int64_t)time(NULL), &ad->s) != P_OK)
		return 0;
	ad->role = role_parse(ad->s.user.role);
	ad->csrf = ad->s.csrf;
	return ad->role != ROLE_NONE;
}

int
admin_current(struct app *app, struct req *rq, struct admin *ad)
{
	return load_session(app, rq, ad);
}

int
admin_session_ok(struct app *app, struct req *rq)
{
	struct admin ad;

	return load_session(app, rq, &ad);
}

int
admin_need(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, enum role need)
{
	if (!load_session(app, rq, ad)) {
		if (rq->method == M_GET || rq->method == M_HEAD) {
			h_redirect(rs, 303, arena_printf(rq->a,
			    "/admin/login/?next=%s", admin_q(rq->a, rq->path)));
			return 0;
		}
		h_error(app, rq, rs, 403, "You are not logged in (or your "
		    "session has ended). Log in again and repeat what you did.");
		return 0;
	}
	if (ad->role < need) {
		h_error(app, rq, rs, 403, "Your account is not allowed to do "
		    "that.");
		return 0;
	}
	return 1;
}

/* Origin (or, without one, Referer) names this site, or is absent. */
static int
same_origin(struct app *app, struct req *rq)
{
	const char *o = rq->header(rq, "Origin"), *host, *ref;
	const char *mine[3];
	size_t i, n;

	host = rq->header(rq, "Host");
	mine[0] = app->conf.base_url;
	mine[1] = host ? arena_printf(rq->a, "http://%s", host) : NULL;
	mine[2] = host ? arena_printf(rq->a, "https://%s", host) : NULL;
	if (o != NULL) {
		for (i = 0; i < 3; i++)
			if (mine[i] && strcmp(o, mine[i]) == 0)
				return 1;
		return 0;
	}
	if ((ref = rq->header(rq, "Referer")) == NULL)
		return 1;
	for (i = 0; i < 3; i++) {
		if (mine[i] == NULL)
			continue;
		n = strlen(mine[i]);
		if (strncmp(ref, mine[i], n) == 0 && (ref[n] == '/' ||
		    ref[n] == '\0'))
			return 1;
	}
	return 0;
}

int
admin_post_ok(struct app *app, struct req *rq, struct resp *rs,
    const struct admin *ad)
{
	if (rq->method != M_POST) {
		h_error(app, rq, rs, 405, "This is done with the form's button.");
		resp_header(rs, "Allow", "POST");
		return 0;
	}
	if (!same_origin(app, rq)) {
		h_error(app, rq, rs, 403, "This form was sent from another "
		    "site, so nothing was changed.");
		return 0;
	}
	if (!auth_str_eq(rq->form(rq, "csrf"), ad->csrf)) {
		h_error(app, rq, rs, 403, "This form has expired or was not "
		    "sent from this site, so nothing was changed. Go back, "
		    "reload the page and try again.");
		return 0;
	}
	return 1;
}

int
admin_may_post(const struct admin *ad, int64_t post_author_id)
{
	return ad->role >= ROLE_EDITOR || post_author_id == ad->s.user_id;
}

void
admin_done(struct resp *rs, const char *location)
{
	h_redirect(rs, 303, location);
}

/* Notices after an action: ?done=CODE&n=N. Only these texts are ever
 * shown, so a crafted link cannot put words on the page. */
static const struct {
	const char *code, *one, *many;
} notices[] = {
	{ "approve", "Comment approved.", "%lld comments approved." },
	{ "unapprove", "Comment unapproved.", "%lld comments unapproved." },
	{ "spam", "Comment marked as spam.", "%lld comments marked as spam." },
	{ "trash", "Comment moved to the Trash.",
	    "%lld comments moved to the Trash." },
	{ "restore", "Comment restored.", "%lld comments restored." },
	{ "delete", "Comment deleted permanently.",
	    "%lld comments deleted permanently." },
	{ "edited", "Comment updated.", NULL },
	{ "replied", "Reply published.", NULL },
	{ "none", "Nothing was checked, so nothing changed.", NULL },
	{ "saved", "Post saved.", NULL },
	{ "published", "Post published.", NULL },
	{ "scheduled", "Post scheduled.", NULL },
	{ "draft", "Draft saved.", NULL },
	{ "closed", "Comments closed on that post.", NULL },
	{ "opened", "Comments reopened on that post.", NULL },
	{ "postdeleted", "Post deleted.", NULL },
	{ "settings", "Settings saved.", NULL },
	{ "uploaded", "Image uploaded.", NULL },
	{ "mediadeleted", "Image deleted.", NULL },
	{ "useradded", "User added.", NULL },
	{ "userupdated", "User updated.", NULL },
	{ "userdeleted", "User deleted.", NULL },
	{ "profile", "Profile updated.", NULL },
	{ "password", "Password changed. Other sessions were logged out.",
	    NULL },
};

const char *
admin_notice(struct req *rq)
{
	const char *code = rq->query(rq, "done"), *ns = rq->query(rq, "n");
	long long n = 1;
	size_t i;

	if (code == NULL)
		return NULL;
	if (ns && str_toint(ns, 0, 1000000, &n) != P_OK)
		n = 1;
	for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(code, notices[i].code) == 0) {
			if (n != 1 && notices[i].many) {
				/* "%lld things done." with the count first. */
				const char *rest = strchr(notices[i].many, ' ');

				return arena_printf(rq->a, "%lld%s", n,
				    rest ? rest : "");
			}
			return notices[i].one;
		}
	return NULL;
}

struct tval *
admin_page(struct app *app, struct req *rq, const struct admin *ad,
    const char *title, const char *section)
{
	struct tval *ctx = page_ctx(app, rq, arena_printf(rq->a, "%s "
	    "\xe2\x80\xb9 Admin", title)), *u = tv_obj(rq->a);
	int64_t counts[4];
	const char *notice = admin_notice(rq);

	tv_str(u, "name", ad->s.user.name);
	tv_str(u, "login", ad->s.user.login);
	tv_str(u, "role", role_str(ad->role));
	tv_put(ctx, "user", u);
	tv_str(ctx, "csrf", ad->csrf);
	tv_str(ctx, "heading", title);
	tv_bool(ctx, "is_admin", ad->role >= ROLE_ADMIN);
	tv_bool(ctx, "is_editor", ad->role >= ROLE_EDITOR);
	tv_bool(ctx, arena_printf(rq->a, "nav_%s", section), 1);
	if (store_comment_counts(app->store, ad->role >= ROLE_EDITOR ? 0 :
	    ad->s.user_id, counts) == P_OK && counts[CS_PENDING] > 0)
		tv_int(ctx, "nav_pending", counts[CS_PENDING]);
	if (notice)
		tv_str(ctx, "notice", notice);
	return ctx;
}

void
admin_render(struct app *app, struct req *rq, struct resp *rs,
    const char *tmpl, struct tval *ctx)
{
	page_render(app, rq, rs, tmpl, ctx);
	/* Admin pages are personal: never cached, never framed. */
	resp_header(rs, "Cache-Control", "no-store");
	resp_header(rs, "X-Frame-Options", "DENY");
}

/* ---- Logging in and out. */

static const char *
safe_next(struct req *rq, const char *next)
{
	/* Only our own admin pages: no open redirect. */
	if (next && strncmp(next, "/admin/", 7) == 0 &&
	    strstr(next, "//") == NULL && strchr(next, '\\') == NULL &&
	    strncmp(next, "/admin/login", 12) != 0 &&
	    strncmp(next, "/admin/logout", 13) != 0 &&
	    str_valid_line(next, strlen(next)))
		return next;
	return "/admin/";
}

static void
login_page(struct app *app, struct req *rq, struct resp *rs,
    const char *login, const char *next, const char *error, int status)
{
	struct tval *ctx = page_ctx(app, rq, "Log in");

	tv_str(ctx, "login", login ? login : "");
	tv_str(ctx, "next", next);
	tv_str(ctx, "ts", sign_make(rq->a, app->key, arena_printf(rq->a,
	    "l%lld", (long long)time(NULL))));
	if (error)
		tv_str(ctx, "error", error);
	if (rq->query(rq, "loggedout"))
		tv_str(ctx, "notice", "You are now logged out.");
	admin_render(app, rq, rs, "admin-login", ctx);
	rs->status = status;
}

/* The throttle key of a login name: its own text, bounded. */
static const char *
acct_key(struct arena *a, const char *login)
{
	char *k = arena_printf(a, "u:%.*s", LIM_LOGIN_KEY_BYTES - 8, login);
	char *p;

	for (p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return k;
}

static void
h_login(struct app *app, struct req *rq, struct resp *rs)
{
	const char *login, *pw, *next, *tok, *token, *payload, *ipkey, *akey;
	struct account u;
	int64_t now = (int64_t)time(NULL), wait, ttl;
	long long t;
	int remember, ok;

	if (rq->method != M_POST) {
		struct admin ad;

		next = safe_next(rq, rq->query(rq, "next"));
		if (load_session(app, rq, &ad)) {
			h_redirect(rs, 303, next);
			return;
		}
		login_page(app, rq, rs, "", next, NULL, 200);
		return;
	}
	login = admin_field(rq, "log");
	pw = rq->form(rq, "pwd") ? rq->form(rq, "pwd") : "";
	next = safe_next(rq, rq->form(rq, "next"));
	remember = *admin_field(rq, "rememberme") != '\0';
	if (!same_origin(app, rq)) {
		h_error(app, rq, rs, 403, "This form was sent from another "
		    "site.");
		return;
	}
	/* The form carries a signed time: a login cannot be posted from
	 * another site's page (login CSRF) nor replayed for long. */
	tok = admin_field(rq, "ts");
	payload = sign_check(rq->a, app->key, tok);
	if (payload == NULL || payload[0] != 'l' || str_toint(payload + 1, 0,
	    INT64_MAX, &t) != P_OK || now - t > LOGIN_FORM_MAX_AGE_S ||
	    t > now + 60) {
		login_page(app, rq, rs, login, next, "The login form had "
		    "expired. Please try again.", 400);
		return;
	}
	if (*login == '\0' || *pw == '\0') {
		login_page(app, rq, rs, login, next, "Please enter your "
		    "login and password.", 400);
		return;
	}
	ipkey = arena_printf(rq->a, "i:%s", rq->ip);
	akey = acct_key(rq->a, login);
	wait = throttle_wait(app->login_ip, ipkey, now);
	if (throttle_wait(app->login_acct, akey, now) > wait)
		wait = throttle_wait(app->login_acct, akey, now);
	if (wait > 0) {
		/* Refused before the password is looked at: guessing stops,
		 * whether or not the password would have been right. */
		log_info("login: %s: throttled (%s)", str_log_safe(rq->a,
		    login), rq->ip);
		login_page(app, rq, rs, login, next, arena_printf(rq->a,
		    "Too many failed login attempts. Please wait %lld "
		    "minute%s and try again.", (long long)(wait + 59) / 60,
		    (wait + 59) / 60 == 1 ? "" : "s"), 429);
		resp_header(rs, "Retry-After", arena_printf(rq->a, "%lld",
		    (long long)wait));
		return;
	}
	/* A login that does not exist costs the same argon2 check and
	 * gets the same answer as a wrong password. */
	if (strlen(login) > 200 ||
	    store_account_get(app->store, rq->a, 0, login, &u) != P_OK) {
		memset(&u, 0, sizeof(u));
		u.pw_hash = "";
	}
	ok = auth_pw_verify(u.pw_hash, pw) && role_parse(u.role) != ROLE_NONE;
	if (!ok) {
		throttle_fail(app->login_ip, ipkey, now);
		throttle_fail(app->login_acct, akey, now);
		log_info("login: %s: failed (%s)", str_log_safe(rq->a, login),
		    rq->ip);
		login_page(app, rq, rs, login, next, "The login or password "
		    "is incorrect.", 200);
		return;
	}
	throttle_clear(app->login_acct, akey);
	token = auth_token_new(rq->a);
	ttl = remember ? LIM_SESSION_REMEMBER_S : LIM_SESSION_S;
	if (store_session_add(app->store, auth_token_hash(rq->a, token), u.id,
	    auth_token_new(rq->a), rq->ip, now, now + ttl) != P_OK) {
		login_page(app, rq, rs, login, next, "You could not be "
		    "logged in just now. Please try again.", 503);
		return;
	}
	log_info("login: %s (%s)", str_log_safe(rq->a, u.login), rq->ip);
	h_redirect(rs, 303, next);
	resp_header(rs, "Set-Cookie", arena_printf(rq->a,
	    SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s%s", token,
	    remember ? arena_printf(rq->a, "; Max-Age=%lld", (long long)ttl) :
	    "", app->secure_cookies ? "; Secure" : ""));
}

static void
h_logout(struct app *app, struct req *rq, struct resp *rs)
{
	struct admin ad;

	if (!admin_need(app, rq, rs, &ad, ROLE_AUTHOR))
		return;
	if (!admin_post_ok(app, rq, rs, &ad))
		return;
	store_session_delete(app->store, ad.token_hash);
	h_redirect(rs, 303, "/admin/login/?loggedout=1");
	resp_header(rs, "Set-Cookie", arena_printf(rq->a,
	    SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
	    app->secure_cookies ? "; Secure" : ""));
}

/* ---- Routing. */

static int
id_of(const char *s, int64_t *id)
{
	long long v;

	if (str_toint(s, 1, INT64_MAX, &v) != P_OK)
		return 0;
	*id = v;
	return 1;
}

void
h_admin(struct app *app, struct req *rq, struct resp *rs, size_t n,
    const char *const *seg, int trailing)
{
	struct admin ad;
	int64_t id;
	int get = rq->method == M_GET || rq->method == M_HEAD;

	if (rq->method == M_OTHER) {
		h_error(app, rq, rs, 405, "This method is not supported here.");
		resp_header(rs, "Allow", "GET, HEAD, POST");
		return;
	}
	/* Pages have a trailing slash; send GETs there. */
	if (!trailing && get) {
		struct buf b;
		size_t i;

		buf_init(&b, 0);
		for (i = 0; i < n; i++) {
			buf_putc(&b, '/');
			esc_url_component(&b, seg[i], strlen(seg[i]));
		}
		buf_putc(&b, '/');
		h_redirect(rs, 301, arena_strdup(rq->a, b.data));
		buf_free(&b);
		return;
	}
	if (n == 2 && !strcmp(seg[1], "login")) {
		h_login(app, rq, rs);
		return;
	}
	if (n == 2 && !strcmp(seg[1], "logout")) {
		h_logout(app, rq, rs);
		return;
	}
	if (!admin_need(app, rq, rs, &ad, ROLE_AUTHOR))
		return;
	if (n == 1) {
		/* The dashboard of a commentary site is its queue. */
		h_redirect(rs, 303, "/admin/comments/");
		return;
	}
	if (!strcmp(seg[1], "posts")) {
		if (n == 2) {
			h_admin_posts(app, rq, rs, &ad);
			return;
		}
		if (n == 3 && !strcmp(seg[2], "new")) {
			h_admin_editor(app, rq, rs, &ad, 0);
			return;
		}
		if (id_of(seg[2], &id)) {
			if (n == 3) {
				h_admin_editor(app, rq, rs, &ad, id);
				return;
			}
			if (n == 4) {
				h_admin_post_action(app, rq, rs, &ad, id,
				    seg[3]);
				return;
			}
		}
	} else if (!strcmp(seg[1], "comments")) {
		if (n == 2) {
			h_admin_comments(app, rq, rs, &ad);
			return;
		}
		if (n == 3 && id_of(seg[2], &id)) {
			h_admin_comment_edit(app, rq, rs, &ad, id);
			return;
		}
	} else if (!strcmp(seg[1], "media")) {
		if (n == 2) {
			h_admin_media(app, rq, rs, &ad);
			return;
		}
		if (n == 4 && !strcmp(seg[3], "delete")) {
			h_admin_media_delete(app, rq, rs, &ad, seg[2]);
			return;
		}
	} else if (!strcmp(seg[1], "settings") && n == 2) {
		if (admin_need(app, rq, rs, &ad, ROLE_ADMIN))
			h_admin_settings(app, rq, rs, &ad);
		return;
	} else if (!strcmp(seg[1], "users") && n == 2) {
		if (admin_need(app, rq, rs, &ad, ROLE_ADMIN))
			h_admin_users(app, rq, rs, &ad);
		return;
	} else if (!strcmp(seg[1], "profile") && n == 2) {
		h_admin_profile(app, rq, rs, &ad);
		return;
	}
	h_error(app, rq, rs, 404, "There is no admin page at this address.");
}
