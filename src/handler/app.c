/* app.c: the serving process's long-lived state, and the small response
 * helpers every handler uses (headers, redirects, error pages). */
#include "app.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../auth/auth.h"
#include "../auth/sign.h"
#include "../base/limits.h"
#include "../base/embed.h"
#include "../base/log.h"
#include "page.h"

#define THEME_DIR "templates/default/"

static enum perr
load_templates(struct app *app, char *err, size_t errsz)
{
	struct tmpl_src srcs[64];
	const struct embed_file *f;
	size_t n = 0, plen = strlen(THEME_DIR);
	struct arena a;
	enum perr e;

	arena_init(&a);
	for (f = embed_files; f->path; f++) {
		size_t len = strlen(f->path);

		if (strncmp(f->path, THEME_DIR, plen) != 0 || len < plen + 6 ||
		    strcmp(f->path + len - 5, ".html") != 0)
			continue;
		if (n == sizeof(srcs) / sizeof(srcs[0]))
			break;
		srcs[n].name = arena_strndup(&a, f->path + plen, len - plen - 5);
		srcs[n].text = f->data;
		srcs[n].len = f->len;
		n++;
	}
	e = tmpl_set_compile(srcs, n, &app->tmpl, err, errsz);
	arena_free(&a);
	return e;
}

static void
css_version(struct app *app)
{
	const struct embed_file *f = embed_find(THEME_DIR "style.css");
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; f && i < f->len; i++)
		h = (h ^ (unsigned char)f->data[i]) * 16777619u;
	snprintf(app->css_url, sizeof(app->css_url),
	    "/theme/style.css?v=%08x", h);
}

const char *const app_setting_keys[] = {
	"site.title", "site.tagline", "comments.thread_depth",
	"comments.comments_per_page", "comments.close_after_days",
	"comments.max_links", "comments.first_time_approval",
	"comments.blocked_words", "comments.blocked_ips",
	"comments.blocked_emails", "crawlers.index", "crawlers.disallow",
	NULL,
};

/* The store's settings over c (already loaded from the file). A stored
 * value that no longer validates is skipped with a log line. ver gets
 * the settings version ("" if never saved). */
static void
overlay_settings(struct store *st, struct conf *c, char ver[40])
{
	struct arena a;
	const char *v, *reason;
	size_t i;

	arena_init(&a);
	ver[0] = '\0';
	if (store_meta_get(st, &a, "settings.version", &v) == P_OK)
		snprintf(ver, 40, "%s", v);
	for (i = 0; app_setting_keys[i]; i++) {
		const char *k = app_setting_keys[i], *dot = strchr(k, '.');
		char sec[16];

		if (store_meta_get(st, &a, arena_printf(&a, "setting.%s", k),
		    &v) != P_OK)
			continue;
		snprintf(sec, sizeof(sec), "%.*s", (int)(dot - k), k);
		if (conf_set(c, sec, dot + 1, v, &reason) != P_OK)
			log_warn("setting %s: %s; ignored", k, reason);
	}
	arena_free(&a);
}

void
app_settings_refresh(struct app *app)
{
	int64_t now = (int64_t)time(NULL), last;
	struct conf nc, old;
	struct arena a;
	const char *v;
	char path[4096], err[512];

	last = atomic_load(&app->settings_checked);
	if (!atomic_exchange(&app->settings_dirty, 0) &&
	    (last == now || !atomic_compare_exchange_strong(
	    &app->settings_checked, &last, now)))
		return;
	atomic_store(&app->settings_checked, now);
	if (pthread_mutex_trylock(&app->settings_mu) != 0)
		return; /* another thread is at it */
	arena_init(&a);
	if (store_meta_get(app->store, &a, "settings.version", &v) != P_OK)
		v = "";
	if (strcmp(v, app->settings_version) == 0)
		goto out;
	conf_defaults(&nc);
	snprintf(path, sizeof(path), "%s/parley.conf", app->site_dir);
	if (conf_load(&nc, path, err, sizeof(err)) != P_OK) {
		/* The file was fine at start; keep serving what we have. */
		log_warn("settings not reloaded: %s", err);
		conf_free(&nc);
		goto out;
	}
	overlay_settings(app->store, &nc, app->settings_version);
	pthread_rwlock_wrlock(&app->conf_lock);
	old = app->conf;
	app->conf = nc;
	/* The store's clock moved when the values were saved; this process
	 * shows them only from now (another node up to a second later). */
	atomic_store(&app->conf_since, (int64_t)time(NULL));
	/* Every cached page was made with the old values. Under the write
	 * lock no render is in flight; the clear's generation bump refuses
	 * any put of a render that began before it. */
	if (app->cache)
		cache_clear(app->cache);
	pthread_rwlock_unlock(&app->conf_lock);
	conf_free(&old);
	log_info("settings reloaded (version %s)", app->settings_version);
out:
	arena_free(&a);
	pthread_mutex_unlock(&app->settings_mu);
}

enum perr
app_open(struct app *app, const char *site_dir, char *err, size_t errsz)
{
	pthread_rwlockattr_t ra;
	char path[4096];
	const char *hex;
	struct arena a;
	enum perr e;

	memset(app, 0, sizeof(*app));
	app->site_dir = site_dir;
	conf_defaults(&app->conf);
	/* Writer preference: a settings swap is not starved by a steady
	 * stream of readers. */
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setkind_np(&ra,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&app->conf_lock, &ra);
	pthread_rwlockattr_destroy(&ra);
	pthread_mutex_init(&app->settings_mu, NULL);
	pthread_mutex_init(&app->facts_mu, NULL);
	arena_init(&app->facts_a);
	app->login_acct = throttle_new(LIM_LOGIN_FAILS_ACCOUNT,
	    LIM_LOGIN_WINDOW_S);
	app->login_ip = throttle_new(LIM_LOGIN_FAILS_IP, LIM_LOGIN_WINDOW_S);
	if (sign_init() != P_OK) {
		snprintf(err, errsz, "cannot initialise libsodium");
		return P_IO;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/parley.conf", site_dir) >=
	    sizeof(path)) {
		snprintf(err, errsz, "site path too long");
		return P_BADINPUT;
	}
	if ((e = conf_load(&app->conf, path, err, errsz)) != P_OK)
		return e;
	app->secure_cookies = strncmp(app->conf.base_url, "https://", 8) == 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/parley.db", site_dir) >=
	    sizeof(path)) {
		snprintf(err, errsz, "site path too long");
		return P_BADINPUT;
	}
	if ((e = store_open_sqlite(path, 0, &app->store)) != P_OK) {
		snprintf(err, errsz, "%s: cannot open database: %s", path,
		    perr_str(e));
		return e;
	}
	arena_init(&a);
	e = store_meta_get(app->store, &a, "secret", &hex);
	if (e == P_OK)
		e = sign_key_from_hex(hex, app->key);
	arena_free(&a);
	if (e != P_OK) {
		snprintf(err, errsz, "%s: site secret missing or damaged", path);
		return e;
	}
	overlay_settings(app->store, &app->conf, app->settings_version);
	if ((e = load_templates(app, err, errsz)) != P_OK)
		return e;
	css_version(app);
	app->rl = ratelimit_new(app->conf.rate_per_minute);
	app->started = (int64_t)time(NULL);
	return P_OK;
}

/* A store that cannot answer gives "now": never a false "not modified".
 * With close_after_days, an article's form goes away D days after it was
 * published, with no write: the newest such moment counts too. (When the
 * clock rather than a publication answers the second question, the time
 * is later than needed, which costs a 200, never a wrong 304.) */
int64_t
app_last_modified(struct app *app, struct req *rq)
{
	int64_t now = (int64_t)time(NULL), at, closed, since, v;
	int64_t d = (int64_t)app->conf.close_after_days * 86400;

	/* The same store and the same second give the same answer: asked
	 * once, not for every page (two queries each). */
	if (store_data_version(app->store, &v) != P_OK)
		v = -1;
	pthread_mutex_lock(&app->facts_mu);
	if (v >= 0 && v == app->lm_version && now == app->lm_now) {
		at = app->lm_at;
		pthread_mutex_unlock(&app->facts_mu);
		goto conf;
	}
	pthread_mutex_unlock(&app->facts_mu);
	if (store_last_change(app->store, now, &at) != P_OK)
		return now;
	if (d > 0 && store_last_change(app->store, now - d, &closed) == P_OK &&
	    closed + d <= now && closed + d > at)
		at = closed + d;
	pthread_mutex_lock(&app->facts_mu);
	app->lm_version = v;
	app->lm_now = now;
	app->lm_at = at;
	pthread_mutex_unlock(&app->facts_mu);
conf:
	since = atomic_load(&app->conf_since);
	if (since > at)
		at = since;
	return at > app->started ? at : app->started;
}

void
app_close(struct app *app)
{
	if (app->store)
		store_close(app->store);
	tmpl_set_free(app->tmpl);
	ratelimit_free(app->rl);
	throttle_free(app->login_acct);
	throttle_free(app->login_ip);
	cache_free(app->cache);
	conf_free(&app->conf);
	if (app->login_acct || app->login_ip || app->site_dir) {
		pthread_rwlock_destroy(&app->conf_lock);
		pthread_mutex_destroy(&app->settings_mu);
		pthread_mutex_destroy(&app->facts_mu);
		arena_free(&app->facts_a);
	}
	memset(app, 0, sizeof(*app));
}

void
resp_header(struct resp *rs, const char *name, const char *value)
{
	if (rs->nheaders == RESP_MAX_HEADERS) {
		log_warn("response header %s dropped: too many", name);
		return;
	}
	rs->hname[rs->nheaders] = name;
	rs->hval[rs->nheaders] = value;
	rs->nheaders++;
}

void
resp_tag(struct resp *rs, const char *tag)
{
	if (rs->ntags == RESP_MAX_TAGS) {
		/* Unshared rather than cached without a dependency. */
		log_warn("cache tag %s: too many; page not shared", tag);
		rs->shared = 0;
		return;
	}
	rs->tags[rs->ntags++] = tag;
}

void
resp_expires(struct resp *rs, int64_t t)
{
	if (t > 0 && (rs->expires == 0 || t < rs->expires))
		rs->expires = t;
}

const char *
tag_post(struct arena *a, int64_t post_id)
{
	return arena_printf(a, "post:%lld", (long long)post_id);
}

void
h_redirect(struct resp *rs, int status, const char *location)
{
	rs->status = status;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	buf_puts(&rs->body, "Moved\n");
	resp_header(rs, "Location", location);
}

static const char *
status_heading(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 403: return "Not allowed";
	case 404: return "Page not found";
	case 405: return "Method not allowed";
	case 413: return "Too large";
	case 414: return "Address too long";
	case 429: return "Slow down";
	case 503: return "Try again shortly";
	default: return "Something went wrong";
	}
}

void
h_error(struct app *app, struct req *rq, struct resp *rs, int status,
    const char *message)
{
	struct tval *ctx;

	buf_reset(&rs->body);
	rs->nheaders = 0;
	rs->status = status;
	/* An error page is nobody's to cache. */
	rs->shared = 0;
	rs->ntags = 0;
	rs->nslots = 0;
	if (strncmp(rq->path ? rq->path : "", "/api/", 5) == 0) {
		rs->content_type = "application/json";
		buf_printf(&rs->body, "{\"status\":%d,\"error\":", status);
		esc_json_str(&rs->body, message, strlen(message));
		buf_puts(&rs->body, "}\n");
		return;
	}
	ctx = page_ctx(app, rq, status_heading(status));
	tv_bool(ctx, "noindex", 1);
	tv_int(ctx, "status", status);
	tv_str(ctx, "heading", status_heading(status));
	tv_str(ctx, "message", message);
	page_render(app, rq, rs, "error", ctx);
	rs->status = status;
}
