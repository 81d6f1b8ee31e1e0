/* app.c: the serving process's long-lived state, and the small response
 * helpers every handler uses (headers, redirects, error pages). */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../auth/sign.h"
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

enum perr
app_open(struct app *app, const char *site_dir, char *err, size_t errsz)
{
	char path[4096];
	const char *hex;
	struct arena a;
	enum perr e;

	memset(app, 0, sizeof(*app));
	app->site_dir = site_dir;
	conf_defaults(&app->conf);
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
	if ((e = load_templates(app, err, errsz)) != P_OK)
		return e;
	css_version(app);
	app->rl = ratelimit_new(app->conf.rate_per_minute);
	return P_OK;
}

void
app_close(struct app *app)
{
	if (app->store)
		store_close(app->store);
	tmpl_set_free(app->tmpl);
	ratelimit_free(app->rl);
	cache_free(app->cache);
	conf_free(&app->conf);
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
	tv_int(ctx, "status", status);
	tv_str(ctx, "heading", status_heading(status));
	tv_str(ctx, "message", message);
	page_render(app, rq, rs, "error", ctx);
	rs->status = status;
}
