/* static.c: the theme's stylesheet (embedded) and files in SITE/media/.
 * Names are checked against a strict pattern before touching the disk. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/embed.h"
#include "../base/limits.h"
#include "page.h"

/* Largest media file served from the site directory. */
#define MEDIA_MAX_BYTES (16 * 1024 * 1024)

void
h_theme(struct app *app, struct req *rq, struct resp *rs, const char *name)
{
	const struct embed_file *f;

	if (strcmp(name, "style.css") != 0 ||
	    (f = embed_find("templates/default/style.css")) == NULL) {
		h_error(app, rq, rs, 404, "No such file.");
		return;
	}
	buf_add(&rs->body, f->data, f->len);
	rs->status = 200;
	rs->content_type = "text/css; charset=utf-8";
	/* The URL carries a hash of the content (?v=), so it never changes. */
	resp_header(rs, "Cache-Control", CACHE_IMMUTABLE);
	/* The bytes are built into the binary: they change only with it. */
	rs->last_modified = app->started;
}

static const char *
media_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return NULL;
	if (!strcasecmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcasecmp(dot, ".png"))
		return "image/png";
	if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"))
		return "image/jpeg";
	if (!strcasecmp(dot, ".gif"))
		return "image/gif";
	if (!strcasecmp(dot, ".webp"))
		return "image/webp";
	return NULL;
}

static int
name_ok(const char *s)
{
	if (*s == '\0' || *s == '.' || strlen(s) > 128)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		    *s == '_'))
			return 0;
	return 1;
}

void
h_media(struct app *app, struct req *rq, struct resp *rs, const char *name)
{
	const char *type = media_type(name), *path;
	struct stat sb;
	char chunk[8192];
	ssize_t r;
	int fd;

	if (!name_ok(name) || type == NULL) {
		h_error(app, rq, rs, 404, "No such file.");
		return;
	}
	path = arena_printf(rq->a, "%s/media/%s", app->site_dir, name);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		h_error(app, rq, rs, 404, "No such file.");
		return;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > MEDIA_MAX_BYTES) {
		close(fd);
		h_error(app, rq, rs, 404, "No such file.");
		return;
	}
	while ((r = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&rs->body, chunk, (size_t)r);
	close(fd);
	if (r < 0) {
		buf_reset(&rs->body);
		h_error(app, rq, rs, 503, "The file could not be read.");
		return;
	}
	rs->status = 200;
	rs->content_type = type;
	rs->last_modified = (int64_t)sb.st_mtime;
	resp_header(rs, "Cache-Control", "public, max-age=86400");
	/* An SVG is a document: never let one run script or load things. */
	resp_header(rs, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; sandbox");
}
