/* comment.c: POST /comments — validate, moderate, store durably, redirect.
 * A comment is acknowledged (303) only after its transaction committed.
 * Bad input re-shows the article with the form filled as it was sent. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/sign.h"
#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"
#include "../render/markdown.h"
#include "admin.h"
#include "page.h"

#define COMMENTER_COOKIE "parley_commenter"
/* Name|e-mail|site, percent-encoded: only ever read back into the form. */
#define WHO_COOKIE "parley_who"
/* A form older than this is refused (asks the reader to send again). */
#define FORM_MAX_AGE_S (3 * 86400)
/* The signed time the reader opened the form; sent back only to /comments. */
#define TS_COOKIE "parley_ts"

/* The cookie's value changes once a second: sign it once a second, not
 * once per page view (the HMAC was a tenth of a cached page's cost). */
static pthread_mutex_t ts_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t ts_when = -1;
static char ts_header[256];

void
form_ts_cookie(struct app *app, struct req *rq, struct resp *rs)
{
	int64_t now = (int64_t)time(NULL);
	const char *h;

	pthread_mutex_lock(&ts_mu);
	if (now != ts_when) {
		struct arena a;
		int n;

		arena_init(&a);
		n = snprintf(ts_header, sizeof(ts_header), TS_COOKIE "=%s; "
		    "Path=/comments; Max-Age=%d; HttpOnly; SameSite=Lax%s",
		    sign_make(&a, app->key, arena_printf(&a, "t%lld",
		    (long long)now)), FORM_MAX_AGE_S,
		    app->secure_cookies ? "; Secure" : "");
		arena_free(&a);
		ts_when = n > 0 && (size_t)n < sizeof(ts_header) ? now : -1;
	}
	h = ts_when == now ? arena_strdup(rq->a, ts_header) : NULL;
	pthread_mutex_unlock(&ts_mu);
	if (h)
		resp_header(rs, "Set-Cookie", h);
}

const char *
commenter_from_cookie(struct app *app, struct req *rq)
{
	const char *ck = rq->cookie(rq, COMMENTER_COOKIE);
	char *payload;

	if (ck == NULL || (payload = sign_check(rq->a, app->key, ck)) == NULL)
		return NULL;
	if (payload[0] != 'c' || strlen(payload) != 33)
		return NULL;
	return payload + 1;
}

void
commenter_prefill(struct req *rq, const char **name, const char **email,
    const char **url)
{
	const char *ck = rq->cookie(rq, WHO_COOKIE), *p[3] = { "", "", "" };
	size_t i = 0;

	while (ck && *ck && i < 3) {
		const char *bar = strchr(ck, '|');
		size_t n = bar ? (size_t)(bar - ck) : strlen(ck);
		const char *v = str_pct_decode(rq->a, ck, n, 0);

		p[i++] = v && str_valid_text(v, strlen(v)) ? v : "";
		ck = bar ? bar + 1 : NULL;
	}
	*name = p[0];
	*email = p[1];
	*url = p[2];
}

static const char *
field(struct req *rq, const char *name)
{
	const char *v = rq->form(rq, name);
	char *s;

	if (v == NULL)
		return "";
	s = arena_strdup(rq->a, v);
	return str_trim(s);
}

static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') ||
	    strchr(at + 1, '.') == NULL)
		return 0;
	for (; *s; s++)
		if (isspace((unsigned char)*s) || *s == '<' || *s == '>' ||
		    *s == '"')
			return 0;
	return at[1] != '.' && s[-1] != '.';
}

/* Commenter's web site: http(s) only; a bare host gets http://. */
static const char *
site_url(struct arena *a, const char *s)
{
	size_t i;

	if (*s == '\0')
		return s;
	for (i = 0; s[i]; i++)
		if (isspace((unsigned char)s[i]) || s[i] == '<' ||
		    s[i] == '>' || s[i] == '"')
			return NULL;
	if (!strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8))
		return strlen(s) > 8 ? s : NULL;
	if (strchr(s, ':') && strchr(s, ':') < (strchr(s, '/') ?
	    strchr(s, '/') : s + strlen(s)))
		return NULL; /* some other scheme */
	return arena_printf(a, "http://%s", s);
}

/* Origin header, when sent, must be this site. */
static int
origin_ok(struct app *app, struct req *rq)
{
	const char *o = rq->header(rq, "Origin"), *host;

	if (o == NULL)
		return 1;
	if (!strcmp(o, app->conf.base_url))
		return 1;
	host = rq->header(rq, "Host");
	if (host && (!strcmp(o, arena_printf(rq->a, "http://%s", host)) ||
	    !strcmp(o, arena_printf(rq->a, "https://%s", host))))
		return 1;
	return 0;
}

static int64_t
form_age(struct app *app, struct req *rq, const char *ts, int *ok)
{
	char *payload = sign_check(rq->a, app->key, ts);
	long long t;

	*ok = 0;
	if (payload == NULL || payload[0] != 't' ||
	    str_toint(payload + 1, 0, INT64_MAX, &t) != P_OK)
		return 0;
	*ok = 1;
	return (int64_t)time(NULL) - t;
}

void
h_comment_post(struct app *app, struct req *rq, struct resp *rs)
{
	struct form_in f;
	struct comment c;
	struct post p;
	struct spam_facts facts;
	struct spam_rules rules;
	struct buf html;
	const char *reason, *viewer, *ts, *url = "", *loc;
	int64_t now = (int64_t)time(NULL), id, age;
	long long v;
	enum perr e;
	int fresh_id = 0, is_staff = 0;
	struct admin staff;

	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	memset(&facts, 0, sizeof(facts));
	if (!origin_ok(app, rq)) {
		h_error(app, rq, rs, 403,
		    "This form was sent from another site.");
		return;
	}
	if (str_toint(field(rq, "post_id"), 1, INT64_MAX, &v) != P_OK) {
		h_error(app, rq, rs, 400, "The form does not say which article "
		    "the comment is for.");
		return;
	}
	e = store_post_get(app->store, rq->a, v, &p);
	if (e == P_OK && !post_is_public(&p, now))
		e = P_NOTFOUND; /* scheduled, draft, private: not public */
	if (e != P_OK) {
		h_error(app, rq, rs, e == P_NOTFOUND ? 404 : 503,
		    e == P_NOTFOUND ? "There is no such article." :
		    "The article could not be read.");
		return;
	}
	f.author = field(rq, "author");
	f.email = field(rq, "email");
	f.url = field(rq, "url");
	/* A logged-in author or moderator answers in the thread as
	 * themselves: the form then carries their session's CSRF token
	 * instead of name and e-mail. */
	if (rq->form(rq, "csrf")) {
		if (!admin_current(app, rq, &staff) ||
		    !auth_str_eq(rq->form(rq, "csrf"), staff.csrf)) {
			h_error(app, rq, rs, 403, "Your session has ended; log "
			    "in again, or comment with your name and e-mail.");
			return;
		}
		is_staff = 1;
		f.author = staff.s.user.name;
		f.email = "";
		f.url = "";
	}
	f.text = rq->form(rq, "comment") ? rq->form(rq, "comment") : "";
	f.parent_id = 0;
	if (*field(rq, "parent_id") &&
	    str_toint(field(rq, "parent_id"), 0, INT64_MAX, &v) == P_OK)
		f.parent_id = v;
	viewer = commenter_from_cookie(app, rq);

	if (!post_comments_open(app, &p, now)) {
		h_error(app, rq, rs, 403,
		    "Comments are closed on this article.");
		return;
	}
	if (is_staff) {
		if (strspn(f.text, " \t\r\n") == strlen(f.text))
			f.error = "Please write a comment.";
		else if (strlen(f.text) > (size_t)app->conf.max_length ||
		    !str_valid_text(f.text, strlen(f.text)))
			f.error = "Your comment is too long or contains "
			    "characters that cannot be used.";
	} else if (!str_valid_line(f.author, strlen(f.author)) ||
	    !str_valid_line(f.email, strlen(f.email)) ||
	    !str_valid_line(f.url, strlen(f.url)) ||
	    !str_valid_text(f.text, strlen(f.text)))
		f.error = "The form contains characters that cannot be used.";
	else if (*f.author == '\0')
		f.error = "Please enter your name.";
	else if (strlen(f.author) > LIM_NAME_BYTES)
		f.error = "Your name is too long.";
	else if (*f.email == '\0')
		f.error = "Please enter your e-mail address (it is never shown).";
	else if (strlen(f.email) > LIM_EMAIL_BYTES || !email_ok(f.email))
		f.error = "Please enter a valid e-mail address.";
	else if (strlen(f.url) > LIM_URL_BYTES ||
	    (url = site_url(rq->a, f.url)) == NULL)
		f.error = "The web site must be an http:// or https:// address.";
	else if (strspn(f.text, " \t\r\n") == strlen(f.text))
		f.error = "Please write a comment.";
	else if (strlen(f.text) > (size_t)app->conf.max_length)
		f.error = arena_printf(rq->a, "Your comment is too long: "
		    "%zu characters; the limit is %d.", strlen(f.text),
		    app->conf.max_length);
	if (f.error == NULL && f.parent_id) {
		struct comment pc;

		e = store_comment_get(app->store, rq->a, f.parent_id, &pc);
		if (e != P_OK || pc.post_id != p.id ||
		    !(pc.status == CS_APPROVED || (pc.status == CS_PENDING &&
		    viewer && !strcmp(pc.commenter, viewer))))
			f.error = "The comment you replied to is not there "
			    "any more; your reply will go to the article.";
		if (f.error)
			f.parent_id = 0;
	}
	/* A form shown again after an error carries its own timestamp;
	 * the shared page leaves it to the cookie. */
	ts = field(rq, "ts");
	if (*ts == '\0' && rq->cookie(rq, TS_COOKIE))
		ts = rq->cookie(rq, TS_COOKIE);
	age = form_age(app, rq, ts, &facts.token_ok);
	if (f.error == NULL && facts.token_ok && age > FORM_MAX_AGE_S)
		f.error = "This form is too old; please send it again.";
	if (f.error) {
		article_page(app, rq, rs, &p, &f, viewer);
		rs->status = 400;
		return;
	}
	if (ratelimit_hit(app->rl, rq->ip, now) != P_OK) {
		h_error(app, rq, rs, 429, "You have sent several comments in "
		    "the last minute. Please wait a minute and try again.");
		resp_header(rs, "Retry-After", "60");
		return;
	}
	if (viewer == NULL) {
		viewer = sign_random_hex(rq->a, 16);
		fresh_id = 1;
	}
	facts.honeypot_filled = *field(rq, "hp_url") != '\0';
	facts.by_site_user = is_staff;
	facts.rate_limited = ratelimit_recent(app->rl, rq->ip, now);
	facts.fill_seconds = age;
	facts.links = md_count_links(f.text, strlen(f.text));
	facts.blocked = spam_blocked(app->conf.blocked_words,
	    app->conf.blocked_ips, app->conf.blocked_emails, f.author, f.email,
	    url, rq->ip, f.text);
	if (!fresh_id && store_commenter_known(app->store, viewer, f.email,
	    &facts.known_commenter) != P_OK)
		facts.known_commenter = 0;
	rules.first_time_approval = app->conf.first_time_approval;
	rules.max_links = app->conf.max_links;
	rules.min_fill_seconds = app->conf.min_fill_seconds;
	c.status = spam_decide(&rules, &facts, &reason);
	c.held_reason = reason;

	buf_init(&html, 0);
	if (md_render(MD_PROFILE_COMMENT, f.text, strlen(f.text), &html) !=
	    P_OK) {
		buf_free(&html);
		f.error = "Your comment could not be read; please check it.";
		article_page(app, rq, rs, &p, &f, viewer);
		rs->status = 400;
		return;
	}
	c.post_id = p.id;
	c.parent_id = f.parent_id;
	c.author = f.author;
	c.email = f.email;
	c.url = url;
	c.ip = rq->ip;
	c.commenter = viewer;
	c.user_id = is_staff ? staff.s.user_id : 0;
	c.body_md = f.text;
	c.body_html = arena_strdup(rq->a, html.data ? html.data : "");
	c.created = now;
	/* The words alone, for search; without them the index falls back
	 * to the source, so a failure here loses nothing. */
	buf_reset(&html);
	if (md_plain_text(MD_PROFILE_COMMENT, f.text, strlen(f.text), &html) == P_OK)
		c.body_text = arena_strdup(rq->a, html.data ? html.data : "");
	buf_free(&html);
	e = store_comment_add(app->store, &c, &id);
	if (e != P_OK) {
		log_warn("comment on post %lld not saved: %s",
		    (long long)p.id, perr_str(e));
		f.error = "Your comment could not be saved just now. Nothing "
		    "was lost: it is still here; please send it again.";
		article_page(app, rq, rs, &p, &f, viewer);
		rs->status = 503;
		return;
	}
	/* The pages every reader shares (the article and its feeds, the
	 * site's comment feed) change only when the comment is public;
	 * invalidated here, in the path that committed it, so the 303
	 * leads to a page that shows it. */
	if (app->cache && c.status == CS_APPROVED) {
		cache_invalidate(app->cache, tag_post(rq->a, p.id));
		cache_invalidate(app->cache, TAG_COMMENTS);
	}
	log_info("comment %lld on post %lld: %s%s%s", (long long)id,
	    (long long)p.id, cstatus_str(c.status), *reason ? ", " : "",
	    reason);
	resp_header(rs, "Set-Cookie", arena_printf(rq->a,
	    COMMENTER_COOKIE "=%s; Path=/; Max-Age=31536000; HttpOnly; "
	    "SameSite=Lax%s", sign_make(rq->a, app->key,
	    arena_printf(rq->a, "c%s", viewer)),
	    app->secure_cookies ? "; Secure" : ""));
	if (!is_staff)
		resp_header(rs, "Set-Cookie", arena_printf(rq->a,
		    WHO_COOKIE "=%s|%s|%s; Path=/; Max-Age=31536000; "
		    "HttpOnly; SameSite=Lax%s", url_component(rq->a, c.author),
		    url_component(rq->a, c.email), url_component(rq->a, c.url),
		    app->secure_cookies ? "; Secure" : ""));
	/* Bots are not told they were caught. */
	if (c.status == CS_SPAM)
		loc = url_post(rq->a, &p);
	else {
		int64_t cp = comment_page(app, rq->a, p.id, id, viewer);

		loc = arena_printf(rq->a, "%s%s#comment-%lld", url_post(rq->a,
		    &p), cp > 1 ? arena_printf(rq->a, "?cpage=%lld",
		    (long long)cp) : "", (long long)id);
	}
	h_redirect(rs, 303, loc);
}
