/* media.c: uploaded images. Checked by their bytes (JPEG, PNG, WebP or
 * GIF, with sane dimensions), never by name or the browser's claimed
 * type; stored content-addressed in the store (SHA-256), so every node
 * sharing it serves every file; served from /media/HASH.EXT with a
 * year-long immutable cache (the name changes when the bytes do). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"
#include "admin.h"

struct kind {
	const char *type, *ext;
};

static const struct kind kinds[] = {
	{ "image/jpeg", "jpg" },
	{ "image/png", "png" },
	{ "image/webp", "webp" },
	{ "image/gif", "gif" },
};

static uint32_t
be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* JPEG: walk the segments to a start-of-frame marker. */
static int
jpeg_size(const unsigned char *d, size_t n, uint32_t *w, uint32_t *h)
{
	size_t i = 2;

	while (i + 4 <= n) {
		unsigned m;
		size_t len;

		if (d[i] != 0xFF)
			return 0;
		while (i < n && d[i] == 0xFF)
			i++; /* fill bytes */
		if (i >= n)
			return 0;
		m = d[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* no length */
		if (m == 0xD9 || m == 0xDA || i + 2 > n)
			return 0; /* end or scan before a frame */
		len = be16(d + i);
		if (len < 2 || i + len > n)
			return 0;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC) {
			if (len < 7)
				return 0;
			*h = be16(d + i + 3);
			*w = be16(d + i + 5);
			return 1;
		}
		i += len;
	}
	return 0;
}

/* The kind of image in d (by its bytes) and its size; -1 if none of
 * ours or malformed. */
static int
sniff(const unsigned char *d, size_t n, uint32_t *w, uint32_t *h)
{
	*w = *h = 0;
	if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return jpeg_size(d, n, w, h) ? 0 : -1;
	if (n >= 24 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0 &&
	    memcmp(d + 12, "IHDR", 4) == 0) {
		*w = be32(d + 16);
		*h = be32(d + 20);
		return 1;
	}
	if (n >= 30 && memcmp(d, "RIFF", 4) == 0 &&
	    memcmp(d + 8, "WEBP", 4) == 0) {
		if (memcmp(d + 12, "VP8 ", 4) == 0 && d[23] == 0x9d &&
		    d[24] == 0x01 && d[25] == 0x2a) {
			*w = le16(d + 26) & 0x3fff;
			*h = le16(d + 28) & 0x3fff;
		} else if (memcmp(d + 12, "VP8L", 4) == 0 && d[20] == 0x2f) {
			uint32_t b = d[21] | (uint32_t)d[22] << 8 |
			    (uint32_t)d[23] << 16 | (uint32_t)d[24] << 24;
			*w = (b & 0x3fff) + 1;
			*h = ((b >> 14) & 0x3fff) + 1;
		} else if (memcmp(d + 12, "VP8X", 4) == 0) {
			*w = le24(d + 24) + 1;
			*h = le24(d + 27) + 1;
		} else
			return -1;
		return 2;
	}
	if (n >= 10 && (memcmp(d, "GIF87a", 6) == 0 ||
	    memcmp(d, "GIF89a", 6) == 0)) {
		*w = le16(d + 6);
		*h = le16(d + 8);
		return 3;
	}
	return -1;
}

const char *
media_url(struct arena *a, const struct media *m)
{
	size_t i;
	const char *ext = "bin";

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].type, m->type))
			ext = kinds[i].ext;
	return arena_printf(a, "/media/%s.%s", m->hash, ext);
}

/* A file name fit to show: its last path part, one line, bounded. */
static const char *
display_name(struct arena *a, const char *fn)
{
	const char *base = fn ? fn : "";
	const char *s1 = strrchr(base, '/'), *s2 = strrchr(base, '\\');

	if (s1 && (!s2 || s1 > s2))
		base = s1 + 1;
	else if (s2)
		base = s2 + 1;
	if (strlen(base) > 120 || !str_valid_line(base, strlen(base)))
		return "";
	return arena_strdup(a, base);
}

enum perr
media_store_upload(struct app *app, struct req *rq, const struct admin *ad,
    const struct req_file *f, const char **url, const char **why)
{
	struct media m;
	uint32_t w, h;
	int k;
	enum perr e;

	if (f == NULL || f->len == 0) {
		*why = "Choose an image file to upload.";
		return P_BADINPUT;
	}
	if (f->len > LIM_UPLOAD_BYTES) {
		*why = arena_printf(rq->a, "The image is too large (%zu KB); "
		    "the limit is %d MB.", f->len / 1024,
		    LIM_UPLOAD_BYTES / (1024 * 1024));
		return P_TOOBIG;
	}
	k = sniff(f->data, f->len, &w, &h);
	if (k < 0) {
		*why = "That file is not a JPEG, PNG, WebP or GIF image.";
		return P_BADINPUT;
	}
	if (w == 0 || h == 0 || w > LIM_IMAGE_SIDE || h > LIM_IMAGE_SIDE) {
		*why = "The image's width or height is not acceptable.";
		return P_BADINPUT;
	}
	memset(&m, 0, sizeof(m));
	m.hash = auth_sha256_hex(rq->a, f->data, f->len);
	m.type = kinds[k].type;
	m.name = display_name(rq->a, f->filename);
	m.size = (int64_t)f->len;
	m.width = w;
	m.height = h;
	m.user_id = ad->s.user_id;
	m.created = (int64_t)time(NULL);
	m.data = f->data;
	if ((e = store_media_put(app->store, &m)) != P_OK) {
		*why = "The image could not be saved just now.";
		return e;
	}
	log_info("media %s (%s, %ux%u, %zu bytes) uploaded by %s", m.hash,
	    m.type, w, h, f->len, str_log_safe(rq->a, ad->s.user.login));
	*url = media_url(rq->a, &m);
	return P_OK;
}

int
h_media_blob(struct app *app, struct req *rq, struct resp *rs,
    const char *name)
{
	struct media m;
	const char *dot = strchr(name, '.');
	char hash[65];
	size_t i;
	enum perr e;

	if (dot == NULL || dot - name != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		    (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	memcpy(hash, name, 64);
	hash[64] = '\0';
	e = store_media_get(app->store, rq->a, hash, 1, &m);
	if (e == P_NOTFOUND || (e == P_OK &&
	    strcmp(media_url(rq->a, &m) + 7, name) != 0)) {
		h_error(app, rq, rs, 404, "No such file.");
		return 1;
	}
	if (e != P_OK) {
		h_error(app, rq, rs, 503, "The file could not be read.");
		return 1;
	}
	buf_add(&rs->body, m.data, (size_t)m.size);
	rs->status = 200;
	rs->content_type = m.type;
	/* The name is the content: its hash is the validator (http/ answers
	 * If-None-Match with it, without hashing megabytes again), and the
	 * bytes never change after the upload. */
	rs->etag = arena_printf(rq->a, "\"%s\"", hash);
	rs->last_modified = m.created > 0 ? m.created : -1;
	resp_header(rs, "Cache-Control", CACHE_IMMUTABLE);
	resp_header(rs, "Content-Security-Policy", "default-src 'none'; "
	    "sandbox");
	return 1;
}

static void
media_page(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, const char *error, int status)
{
	struct media *ms;
	struct tval *ctx, *l;
	int64_t total = 0, page = admin_page_num(rq);
	size_t n, i;

	if (store_media_list(app->store, rq->a, (page - 1) *
	    LIM_ADMIN_PER_PAGE, LIM_ADMIN_PER_PAGE, &ms, &n, &total) != P_OK) {
		h_error(app, rq, rs, 503, "The media could not be read.");
		return;
	}
	ctx = admin_page(app, rq, ad, "Media Library", "media");
	if (error)
		tv_str(ctx, "error", error);
	l = tv_list(rq->a);
	for (i = 0; i < n; i++) {
		struct tval *o = tv_push(l);
		const char *u = media_url(rq->a, &ms[i]);

		tv_str(o, "url", u);
		tv_str(o, "abs_url", arena_printf(rq->a, "%s%s",
		    app->conf.base_url, u));
		tv_str(o, "hash", ms[i].hash);
		tv_str(o, "name", *ms[i].name ? ms[i].name : "(unnamed)");
		tv_str(o, "type", ms[i].type);
		tv_int(o, "width", ms[i].width);
		tv_int(o, "height", ms[i].height);
		tv_str(o, "size", arena_printf(rq->a, "%lld KB",
		    (long long)(ms[i].size + 1023) / 1024));
		tv_int(o, "n", (int64_t)i);
		tv_bool(o, "can_delete", ad->role >= ROLE_EDITOR ||
		    ms[i].user_id == ad->s.user_id);
	}
	tv_put(ctx, "media", l);
	tv_bool(ctx, "empty", n == 0);
	tv_int(ctx, "max_upload_mb", LIM_UPLOAD_BYTES / (1024 * 1024));
	if ((page - 1) * LIM_ADMIN_PER_PAGE + (int64_t)n < total)
		tv_str(ctx, "next_url", arena_printf(rq->a,
		    "/admin/media/?page=%lld", (long long)page + 1));
	if (page > 1)
		tv_str(ctx, "prev_url", arena_printf(rq->a,
		    "/admin/media/?page=%lld", (long long)page - 1));
	admin_render(app, rq, rs, "admin-media", ctx);
	rs->status = status;
}

void
h_admin_media(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad)
{
	const char *url, *why = NULL;
	enum perr e;

	if (rq->method != M_POST) {
		media_page(app, rq, rs, ad, NULL, 200);
		return;
	}
	if (!admin_post_ok(app, rq, rs, ad))
		return;
	e = media_store_upload(app, rq, ad, rq->file ? rq->file(rq, "file") :
	    NULL, &url, &why);
	if (e != P_OK) {
		media_page(app, rq, rs, ad, why, e == P_TOOBIG ? 413 :
		    e == P_BADINPUT ? 415 : 503);
		return;
	}
	admin_done(rs, "/admin/media/?done=uploaded");
}

void
h_admin_media_delete(struct app *app, struct req *rq, struct resp *rs,
    struct admin *ad, const char *hash)
{
	struct media m;
	enum perr e;

	if (!admin_post_ok(app, rq, rs, ad))
		return;
	if (strlen(hash) != 64 || store_media_get(app->store, rq->a, hash, 0,
	    &m) != P_OK) {
		h_error(app, rq, rs, 404, "There is no such image.");
		return;
	}
	if (ad->role < ROLE_EDITOR && m.user_id != ad->s.user_id) {
		h_error(app, rq, rs, 403, "You may only delete images you "
		    "uploaded.");
		return;
	}
	if ((e = store_media_delete(app->store, hash)) != P_OK) {
		h_error(app, rq, rs, 503, "The image could not be deleted.");
		return;
	}
	log_info("media %s deleted by %s", hash, str_log_safe(rq->a,
	    ad->s.user.login));
	admin_done(rs, "/admin/media/?done=mediadeleted");
}
