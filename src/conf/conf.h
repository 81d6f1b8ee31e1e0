/* conf.h: the site's configuration file, SITE/parley.conf (INI, read with
 * libinih). Values are validated on load; an unknown key or a value out of
 * range is an error naming the line, so a typo never silently does nothing.
 * A struct conf owns its strings; conf_free() releases them. */
#ifndef PARLEY_CONF_H
#define PARLEY_CONF_H

#include <stddef.h>

#include "../base/err.h"

struct conf {
	/* [site] */
	char *title;
	char *tagline;
	char *base_url; /* no trailing slash */
	char *language;
	/* [server] */
	char *listen; /* "127.0.0.1:8080" */
	int threads;  /* 0 = one per core */
	/* [comments] */
	int thread_depth;        /* LIM_DEPTH_MIN..LIM_DEPTH_MAX */
	int close_after_days;    /* 0 = never */
	int first_time_approval; /* hold a new commenter's first comment */
	int max_links;           /* hold comments with more links than this */
	int min_fill_seconds;    /* faster form submissions are bots */
	int rate_per_minute;     /* comments per IP per minute */
	int max_length;          /* comment bytes, <= LIM_COMMENT_BYTES */
};

/* Defaults for everything. */
void conf_defaults(struct conf *c);
/* Load path over the defaults. On error returns P_BADINPUT/P_IO and writes
 * "path:line: reason" to err. */
enum perr conf_load(struct conf *c, const char *path, char *err, size_t errsz);
/* The text of a new config file with these values (caller frees). */
char *conf_render(const struct conf *c);
void conf_free(struct conf *c);

#endif
