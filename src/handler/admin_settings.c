/* admin_settings.c: the site's settings (kept in the store, over
 * parley.conf; see app_settings_refresh), the users page (admins) and
 * each user's own profile. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/sign.h"
#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"
#include "admin.h"

/* Form field name, setting key, kind ('s' text, 'l' list, 'n' number,
 * 'b' checkbox), label for errors. */
static const struct {
	const char *field, *key;
	char kind;
	const char *label;
} fields[] = {
	{ "title", "site.title", 's', "Site title" },
	{ "tagline", "site.tagline", 's', "Tagline" },
	{ "thread_depth", "comments.thread_depth", 'n', "Thread depth" },
	{ "comments_per_page", "comments.comments_per_page", 'n',
	    "Comments per page" },
	{ "close_after_days", "comments.close_after_days", 'n',
	    "Close comments after" },
	{ "max_links", "comments.max_links", 'n', "Links before holding" },
	{ "first_time_approval", "comments.first_time_approval", 'b',
	    "First-time approval" },
	{ "blocked_words", "comments.blocked_words", 'l', "Blocked words" },
	{ "blocked_ips", "comments.blocked_ips", 'l', "Blocked IPs" },
	{ "blocked_emails", "comments.blocked_emails", 'l',
	    "Blocked e-mails" },
	{ "crawl_index", "crawlers.index", 'b', "Search engines" },
	{ "crawl_disallow", "crawlers.disallow", 'l', "Paths to skip" },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* One entry per line in the form; commas in the stored value. */
static const char *
list_to_form(struct arena *a, const char *v)
{
	char *s = arena_strdup(a, v ? v : ""), *p, *o;

	/* "a, b" (as parley.conf may have it) shows as "a\nb". */
	for (p = o = s; *p; p++) {
		if (*p == ',') {
			*o++ = '\n';
			while (p[1] == ' ' || p[1] == '\t')
				p++;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return s;
}

static const char *
list_from_form(struct arena *a, const char *v)
{
	struct buf b;
	const char *p = v;
	const char *out;

	buf_init(&b, 0);
	while (*p) {
		size_t n = strcspn(p, ",\r\n"), s = 0, e = n;

		while (s < e && (p[s] == ' ' || p[s] == '\t'))
			s++;
		while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		if (e > s) {
			if (b.len)
				buf_putc(&b, ',');
			buf_add(&b, p + s, e - s);
		}
		p += n;
		while (*p == ',' || *p == '\r' || *p == '\n')
			p++;
	}
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static void
settings_page(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, const struct conf *c, const char *error, int status)
{
	struct tval *ctx = admin_page(app, rq, ad, "Settings", "settings");
	struct tval *s = tv_obj(rq->a);

	tv_str(s, "title", c->title);
	tv_str(s, "tagline", c->tagline);
	tv_int(s, "thread_depth", c->thread_depth);
	tv_int(s, "comments_per_page", c->comments_per_page);
	tv_int(s, "close_after_days", c->close_after_days);
	tv_int(s, "max_links", c->max_links);
	tv_bool(s, "first_time_approval", c->first_time_approval);
	tv_str(s, "blocked_words", list_to_form(rq->a, c->blocked_words));
	tv_str(s, "blocked_ips", list_to_form(rq->a, c->blocked_ips));
	tv_str(s, "blocked_emails", list_to_form(rq->a, c->blocked_emails));
	tv_bool(s, "crawl_index", c->crawl_index);
	tv_str(s, "crawl_disallow", list_to_form(rq->a, c->crawl_disallow));
	tv_int(s, "depth_min", LIM_DEPTH_MIN);
	tv_int(s, "depth_max", LIM_DEPTH_MAX);
	tv_put(ctx, "s", s);
	if (error)
		tv_str(ctx, "error", error);
	admin_render(app, rq, rs, "admin-settings", ctx);
	rs->status = status;
}

void
h_admin_settings(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	const char *vals[NFIELDS], *reason, *error = NULL;
	struct conf probe;
	size_t i;
	enum perr e = P_OK;

	if (rq->method != M_POST) {
		settings_page(app, rq, rs, ad, &app->conf, NULL, 200);
		return;
	}
	if (!admin_post_ok(app, rq, rs, ad))
		return;
	/* Validate everything on a scratch conf before storing anything. */
	conf_defaults(&probe);
	for (i = 0; i < NFIELDS; i++) {
		const char *v = admin_field(rq, fields[i].field);
		const char *dot = strchr(fields[i].key, '.');
		char sec[16];

		if (fields[i].kind == 'b')
			v = *v ? "true" : "false";
		else if (fields[i].kind == 'l')
			v = list_from_form(rq->a, v);
		else if (fields[i].kind == 'n' && *v == '\0')
			v = "0";
		vals[i] = v;
		snprintf(sec, sizeof(sec), "%.*s", (int)(dot - fields[i].key),
		    fields[i].key);
		if (!str_valid_line(v, strlen(v)))
			reason = "contains characters that cannot be used";
		else if (conf_set(&probe, sec, dot + 1, v, &reason) == P_OK)
			continue;
		error = arena_printf(rq->a, "%s: %s.", fields[i].label,
		    !strcmp(reason, "expected a whole number in range") &&
		    !strcmp(fields[i].field, "thread_depth") ?
		    arena_printf(rq->a, "a number from %d to %d", LIM_DEPTH_MIN,
		    LIM_DEPTH_MAX) : reason);
		break;
	}
	if (error) {
		settings_page(app, rq, rs, ad, &probe, error, 400);
		conf_free(&probe);
		return;
	}
	conf_free(&probe);
	for (i = 0; i < NFIELDS && e == P_OK; i++)
		e = store_meta_set(app->store, arena_printf(rq->a,
		    "setting.%s", fields[i].key), vals[i]);
	/* A new version makes every server sharing the store reload. */
	if (e == P_OK)
		e = store_meta_set(app->store, "settings.version",
		    sign_random_hex(rq->a, 8));
	if (e != P_OK) {
		settings_page(app, rq, rs, ad, &app->conf, "The settings could "
		    "not be saved just now.", 503);
		return;
	}
	atomic_store(&app->settings_dirty, 1);
	log_info("settings changed by %s", str_log_safe(rq->a,
	    ad->s.user.login));
	admin_done(rs, "/admin/settings/?done=settings");
}

/* ---- Users. */

static void
users_page(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, const char *error, int status)
{
	struct account *us;
	struct tval *ctx, *l, *roles;
	size_t n, i, k;
	static const char *const rnames[] = { "author", "editor", "admin" };

	if (store_account_list(app->store, rq->a, &us, &n) != P_OK) {
		h_error(app, rq, rs, 503, "The users could not be read.");
		return;
	}
	ctx = admin_page(app, rq, ad, "Users", "users");
	if (error)
		tv_str(ctx, "error", error);
	l = tv_list(rq->a);
	for (i = 0; i < n; i++) {
		struct tval *o = tv_push(l), *ol = tv_list(rq->a), *others;

		tv_int(o, "id", us[i].id);
		tv_str(o, "login", us[i].login);
		tv_str(o, "name", us[i].name);
		tv_str(o, "role", *us[i].role ? us[i].role : "none");
		tv_bool(o, "can_login", *us[i].pw_hash != '\0');
		tv_int(o, "posts", us[i].nposts);
		tv_bool(o, "is_me", us[i].id == ad->s.user_id);
		for (k = 0; k < 3; k++) {
			struct tval *r = tv_push(ol);

			tv_str(r, "value", rnames[k]);
			tv_bool(r, "selected", !strcmp(us[i].role, rnames[k]));
		}
		tv_put(o, "roles", ol);
		others = tv_list(rq->a);
		for (k = 0; k < n; k++) {
			struct tval *r;

			if (k == i)
				continue;
			r = tv_push(others);
			tv_int(r, "id", us[k].id);
			tv_str(r, "login", us[k].login);
		}
		tv_put(o, "others", others);
	}
	tv_put(ctx, "users", l);
	roles = tv_list(rq->a);
	for (k = 0; k < 3; k++)
		tv_str(tv_push(roles), "value", rnames[k]);
	tv_put(ctx, "role_names", roles);
	tv_int(ctx, "pw_min", AUTH_PW_MIN);
	admin_render(app, rq, rs, "admin-users", ctx);
	rs->status = status;
}

void
h_admin_users(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	const char *act = admin_field(rq, "act"), *colon, *error = NULL;
	char hash[AUTH_HASH_BYTES];
	struct account u;
	long long id = 0;
	enum perr e;
	const char *done = "userupdated";

	if (rq->method != M_POST) {
		users_page(app, rq, rs, ad, NULL, 200);
		return;
	}
	if (!admin_post_ok(app, rq, rs, ad))
		return;
	memset(&u, 0, sizeof(u));
	colon = strchr(act, ':');
	if (colon && str_toint(colon + 1, 1, INT64_MAX, &id) != P_OK)
		colon = NULL;
	if (!strcmp(act, "add")) {
		const char *pw = rq->form(rq, "password");

		u.login = admin_field(rq, "login");
		u.name = admin_field(rq, "name");
		u.role = admin_field(rq, "role");
		if (!str_is_slug(u.login) || strlen(u.login) > 60)
			error = "The login may only have lower-case letters, "
			    "digits and '-'.";
		else if (role_parse(u.role) == ROLE_NONE)
			error = "Choose a role.";
		else if (!str_valid_line(u.name, strlen(u.name)) ||
		    strlen(u.name) > LIM_NAME_BYTES)
			error = "The name is not acceptable.";
		else if (auth_pw_hash(pw, hash) != P_OK)
			error = arena_printf(rq->a, "The password needs at "
			    "least %d characters.", AUTH_PW_MIN);
		if (error == NULL) {
			u.pw_hash = hash;
			e = store_account_add(app->store, &u, NULL);
			if (e == P_CONFLICT)
				error = "That login is taken.";
			else if (e != P_OK)
				error = "The user could not be saved.";
		}
		done = "useradded";
	} else if (colon && !strncmp(act, "role:", 5)) {
		u.id = id;
		u.role = admin_field(rq, arena_printf(rq->a, "role_%lld", id));
		if (role_parse(u.role) == ROLE_NONE)
			error = "Choose a role.";
		else if (id == ad->s.user_id && role_parse(u.role) < ROLE_ADMIN)
			error = "You cannot take away your own admin role.";
		else if (store_account_update(app->store, &u) != P_OK)
			error = "The user could not be updated.";
	} else if (colon && !strncmp(act, "passwd:", 7)) {
		u.id = id;
		if (auth_pw_hash(rq->form(rq, arena_printf(rq->a,
		    "password_%lld", id)), hash) != P_OK)
			error = arena_printf(rq->a, "The password needs at least "
			    "%d characters.", AUTH_PW_MIN);
		else {
			u.pw_hash = hash;
			if (store_account_update(app->store, &u) != P_OK)
				error = "The password could not be saved.";
		}
	} else if (colon && !strncmp(act, "delete:", 7)) {
		long long to = 0;

		if (str_toint(admin_field(rq, arena_printf(rq->a,
		    "reassign_%lld", id)), 0, INT64_MAX, &to) != P_OK)
			to = 0;
		if (id == ad->s.user_id)
			error = "You cannot delete yourself.";
		else if ((e = store_account_delete(app->store, id, to)) ==
		    P_CONFLICT)
			error = "That user has posts: choose whom to give them "
			    "to.";
		else if (e != P_OK)
			error = "The user could not be deleted.";
		done = "userdeleted";
	} else {
		h_error(app, rq, rs, 400, "The form does not say what to do.");
		return;
	}
	explicit_bzero(hash, sizeof(hash));
	if (error) {
		users_page(app, rq, rs, ad, error, 400);
		return;
	}
	log_info("users: %s by %s", act, str_log_safe(rq->a,
	    ad->s.user.login));
	admin_done(rs, arena_printf(rq->a, "/admin/users/?done=%s", done));
}

void
h_admin_profile(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	struct tval *ctx;
	struct account u;
	const char *error = NULL, *done = "profile";
	char hash[AUTH_HASH_BYTES];

	if (rq->method == M_POST) {
		const char *cur = rq->form(rq, "current");
		const char *pw = rq->form(rq, "password");

		if (!admin_post_ok(app, rq, rs, ad))
			return;
		memset(&u, 0, sizeof(u));
		u.id = ad->s.user_id;
		u.name = admin_field(rq, "name");
		if (*u.name == '\0' || strlen(u.name) > LIM_NAME_BYTES ||
		    !str_valid_line(u.name, strlen(u.name)))
			error = "Please give a display name (one line).";
		else if (pw && *pw) {
			if (!auth_pw_verify(ad->s.user.pw_hash, cur))
				error = "Your current password is not right.";
			else if (auth_pw_hash(pw, hash) != P_OK)
				error = arena_printf(rq->a, "The new password "
				    "needs at least %d characters.",
				    AUTH_PW_MIN);
			else {
				u.pw_hash = hash;
				done = "password";
			}
		}
		if (error == NULL && store_account_update(app->store, &u) !=
		    P_OK)
			error = "Your profile could not be saved.";
		explicit_bzero(hash, sizeof(hash));
		if (error == NULL) {
			if (u.pw_hash) {
				/* Every session ended with the old password;
				 * this browser goes to the login page. */
				admin_done(rs, "/admin/login/?next=/admin/"
				    "profile/");
				return;
			}
			admin_done(rs, arena_printf(rq->a,
			    "/admin/profile/?done=%s", done));
			return;
		}
	}
	ctx = admin_page(app, rq, ad, "Profile", "profile");
	if (error)
		tv_str(ctx, "error", error);
	tv_int(ctx, "pw_min", AUTH_PW_MIN);
	admin_render(app, rq, rs, "admin-profile", ctx);
	if (error)
		rs->status = 400;
}
