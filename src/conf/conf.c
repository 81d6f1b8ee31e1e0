#include "conf.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/limits.h"
#include "../base/str.h"

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		abort();
	return p;
}

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->title = xstrdup("A Parley site");
	c->tagline = xstrdup("");
	c->base_url = xstrdup("http://127.0.0.1:8080");
	c->language = xstrdup("en");
	c->listen = xstrdup("127.0.0.1:8080");
	c->threads = 0;
	c->thread_depth = 5;
	c->close_after_days = 0;
	c->first_time_approval = 1;
	c->max_links = 2;
	c->min_fill_seconds = 3;
	c->rate_per_minute = LIM_COMMENTS_PER_MIN_DEFAULT;
	c->max_length = LIM_COMMENT_BYTES;
}

void
conf_free(struct conf *c)
{
	free(c->title);
	free(c->tagline);
	free(c->base_url);
	free(c->language);
	free(c->listen);
	memset(c, 0, sizeof(*c));
}

struct loadctx {
	struct conf *c;
	const char *reason;
};

static int
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
	return 1;
}

static int
set_int(int *dst, const char *v, long long min, long long max,
    const char **reason)
{
	long long n;

	if (str_toint(v, min, max, &n) != P_OK) {
		*reason = "expected a whole number in range";
		return 0;
	}
	*dst = (int)n;
	return 1;
}

static int
set_bool(int *dst, const char *v, const char **reason)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") ||
	    !strcmp(v, "1"))
		*dst = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "no") ||
	    !strcmp(v, "off") || !strcmp(v, "0"))
		*dst = 0;
	else {
		*reason = "expected true or false";
		return 0;
	}
	return 1;
}

static int
on_value(void *user, const char *sec, const char *key, const char *v)
{
	struct loadctx *lc = user;
	struct conf *c = lc->c;

#define IS(s, k) (!strcmp(sec, s) && !strcmp(key, k))
	if (IS("site", "title"))
		return set_str(&c->title, v);
	if (IS("site", "tagline"))
		return set_str(&c->tagline, v);
	if (IS("site", "base_url")) {
		size_t n = strlen(v);
		if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
			lc->reason = "base_url must start with http:// or https://";
			return 0;
		}
		set_str(&c->base_url, v);
		while (n > 0 && c->base_url[n - 1] == '/')
			c->base_url[--n] = '\0';
		return 1;
	}
	if (IS("site", "language"))
		return set_str(&c->language, v);
	if (IS("server", "listen"))
		return set_str(&c->listen, v);
	if (IS("server", "threads"))
		return set_int(&c->threads, v, 0, 256, &lc->reason);
	if (IS("comments", "thread_depth"))
		return set_int(&c->thread_depth, v, LIM_DEPTH_MIN,
		    LIM_DEPTH_MAX, &lc->reason);
	if (IS("comments", "close_after_days"))
		return set_int(&c->close_after_days, v, 0, 100000, &lc->reason);
	if (IS("comments", "first_time_approval"))
		return set_bool(&c->first_time_approval, v, &lc->reason);
	if (IS("comments", "max_links"))
		return set_int(&c->max_links, v, 0, 1000, &lc->reason);
	if (IS("comments", "min_fill_seconds"))
		return set_int(&c->min_fill_seconds, v, 0, 3600, &lc->reason);
	if (IS("comments", "rate_per_minute"))
		return set_int(&c->rate_per_minute, v, 1, 100000, &lc->reason);
	if (IS("comments", "max_length"))
		return set_int(&c->max_length, v, 1, LIM_COMMENT_BYTES,
		    &lc->reason);
#undef IS
	lc->reason = "unknown setting";
	return 0;
}

enum perr
conf_load(struct conf *c, const char *path, char *err, size_t errsz)
{
	struct loadctx lc = { c, NULL };
	FILE *f;
	int line;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? P_NOTFOUND : P_IO;
	}
	line = ini_parse_file(f, on_value, &lc);
	fclose(f);
	if (line != 0) {
		snprintf(err, errsz, "%s:%d: %s", path, line,
		    lc.reason ? lc.reason : "syntax error");
		return P_BADINPUT;
	}
	return P_OK;
}

char *
conf_render(const struct conf *c)
{
	struct buf b;

	buf_init(&b, 0);
	buf_printf(&b,
	    "; Parley site configuration. Restart `parley serve` after editing.\n"
	    "\n[site]\n"
	    "title = %s\n"
	    "tagline = %s\n"
	    "; Absolute URL the site is reached at; used in feeds and links.\n"
	    "base_url = %s\n"
	    "language = %s\n"
	    "\n[server]\n"
	    "; Address and port `parley serve` listens on (--listen overrides).\n"
	    "listen = %s\n"
	    "; Worker threads; 0 = one per CPU core.\n"
	    "threads = %d\n"
	    "\n[comments]\n"
	    "; Deepest reply level shown (1-10). Deeper replies attach at this level.\n"
	    "thread_depth = %d\n"
	    "; Close comments this many days after publication; 0 = never.\n"
	    "close_after_days = %d\n"
	    "; Hold a commenter's first comment for approval.\n"
	    "first_time_approval = %s\n"
	    "; Hold comments with more links than this.\n"
	    "max_links = %d\n"
	    "; Forms sent back faster than this many seconds are treated as bots.\n"
	    "min_fill_seconds = %d\n"
	    "; Comments accepted per IP address per minute.\n"
	    "rate_per_minute = %d\n"
	    "; Longest comment in bytes (at most %d).\n"
	    "max_length = %d\n",
	    c->title, c->tagline, c->base_url, c->language, c->listen,
	    c->threads, c->thread_depth, c->close_after_days,
	    c->first_time_approval ? "true" : "false", c->max_links,
	    c->min_fill_seconds, c->rate_per_minute, LIM_COMMENT_BYTES,
	    c->max_length);
	return buf_detach(&b, NULL);
}
