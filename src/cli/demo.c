/* demo.c: load the embedded demo content (demo/ in the source tree) into
 * a new site: articles from demo/post-*.md, discussions from
 * demo/comments-SLUG.txt, images copied to SITE/media/.
 *
 * Discussion format: a line "@@ ID PARENT +MINUTES | NAME | EMAIL | URL|- |
 * FLAG" starts a comment (PARENT 0 = the article; FLAG "-", "author" for
 * the post's author, or "pending"); the body runs to the next "@@ " line. */
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/embed.h"
#include "../base/str.h"
#include "../render/markdown.h"
#include "cli.h"

#define MAX_DEMO_POSTS 64
#define MAX_THREAD 512

struct demo_post {
	const char *slug;
	struct post p;
};

static char *
trim_dup(struct arena *a, const char *s, size_t n)
{
	return str_trim(arena_strndup(a, s, n));
}

static enum perr
add_comment(struct store *st, struct arena *a, const struct post *p,
    const char *head, const char *body, size_t blen, int64_t *ids,
    size_t nids, const char *origin, char *err, size_t errsz)
{
	char *f[5], *h = arena_strdup(a, head), *bar;
	long long lid, lpar, mins;
	struct comment c;
	struct buf html;
	char *nums, *sp1, *sp2;
	size_t i;
	enum perr e;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < 5; i++) {
		bar = strchr(h, '|');
		if (bar)
			*bar = '\0';
		else if (i < 4)
			goto bad;
		f[i] = str_trim(h);
		h = bar ? bar + 1 : h + strlen(h);
	}
	nums = f[0];
	if ((sp1 = strchr(nums, ' ')) == NULL)
		goto bad;
	*sp1++ = '\0';
	while (*sp1 == ' ')
		sp1++;
	if ((sp2 = strchr(sp1, ' ')) == NULL)
		goto bad;
	*sp2++ = '\0';
	while (*sp2 == ' ' || *sp2 == '+')
		sp2++;
	if (str_toint(nums, 1, (long long)nids - 1, &lid) != P_OK ||
	    str_toint(sp1, 0, lid - 1, &lpar) != P_OK ||
	    str_toint(sp2, 0, 1000000, &mins) != P_OK)
		goto bad;
	c.post_id = p->id;
	c.parent_id = lpar ? ids[lpar] : 0;
	if (lpar && c.parent_id == 0)
		goto bad;
	c.author = f[1];
	c.email = f[2];
	c.url = strcmp(f[3], "-") ? f[3] : "";
	c.ip = "192.0.2.1";
	c.commenter = "";
	c.status = CS_APPROVED;
	c.held_reason = "";
	if (!strcmp(f[4], "author"))
		c.user_id = p->author_id;
	else if (!strcmp(f[4], "pending")) {
		c.status = CS_PENDING;
		c.held_reason = "first-time commenter";
	}
	c.created = p->published + mins * 60;
	c.body_md = trim_dup(a, body, blen);
	buf_init(&html, 0);
	if (md_render(MD_PROFILE_COMMENT, c.body_md, strlen(c.body_md),
	    &html) != P_OK) {
		buf_free(&html);
		goto bad;
	}
	c.body_html = arena_strdup(a, html.data ? html.data : "");
	buf_reset(&html);
	if (md_plain_text(MD_PROFILE_COMMENT, c.body_md, strlen(c.body_md), &html) != P_OK) {
		buf_free(&html);
		goto bad;
	}
	c.body_text = arena_strdup(a, html.data ? html.data : "");
	buf_free(&html);
	if ((e = store_comment_add(st, &c, &ids[lid])) != P_OK) {
		snprintf(err, errsz, "%s: comment %lld: %s", origin, lid,
		    perr_str(e));
		return e;
	}
	return P_OK;
bad:
	snprintf(err, errsz, "%s: bad comment header '%s'", origin, head);
	return P_BADINPUT;
}

static enum perr
load_thread(struct store *st, struct arena *a, const struct post *p,
    const struct embed_file *f, char *err, size_t errsz)
{
	int64_t *ids = arena_alloc(a, sizeof(*ids) * MAX_THREAD);
	const char *pos = f->data, *end = f->data + f->len;
	const char *head = NULL, *body = NULL;
	enum perr e;

	while (pos <= end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *le = nl ? nl : end;

		if (le - pos >= 3 && !strncmp(pos, "@@ ", 3)) {
			if (head && (e = add_comment(st, a, p, head, body,
			    (size_t)(pos - body), ids, MAX_THREAD, f->path,
			    err, errsz)) != P_OK)
				return e;
			head = arena_strndup(a, pos + 3, (size_t)(le - pos - 3));
			body = nl ? nl + 1 : end;
		}
		if (nl == NULL)
			break;
		pos = nl + 1;
	}
	if (head && (e = add_comment(st, a, p, head, body,
	    (size_t)(end - body), ids, MAX_THREAD, f->path, err, errsz)) !=
	    P_OK)
		return e;
	return P_OK;
}

static enum perr
copy_media(const char *site_dir, const struct embed_file *f)
{
	const char *name = strrchr(f->path, '/') + 1;
	char path[4200];
	FILE *out;

	snprintf(path, sizeof(path), "%s/media/%s", site_dir, name);
	if ((out = fopen(path, "wbx")) == NULL)
		return P_IO;
	if (fwrite(f->data, 1, f->len, out) != f->len) {
		fclose(out);
		return P_IO;
	}
	return fclose(out) == 0 ? P_OK : P_IO;
}

enum perr
demo_load(struct store *st, const char *site_dir, char *err, size_t errsz)
{
	struct demo_post posts[MAX_DEMO_POSTS];
	const struct embed_file *f;
	struct arena a;
	size_t n = 0, i;
	enum perr e = P_OK;
	int64_t id;

	arena_init(&a);
	for (f = embed_files; f->path; f++) {
		const char *base = strrchr(f->path, '/') + 1;
		size_t bl = strlen(base);

		if (strncmp(f->path, "demo/", 5) != 0)
			continue;
		if (bl > 4 && (!strcmp(base + bl - 4, ".svg") ||
		    !strcmp(base + bl - 4, ".png") ||
		    !strcmp(base + bl - 4, ".jpg"))) {
			if ((e = copy_media(site_dir, f)) != P_OK) {
				snprintf(err, errsz, "cannot copy %s", base);
				goto out;
			}
			continue;
		}
		if (strncmp(base, "post-", 5) || strcmp(base + bl - 3, ".md") ||
		    n == MAX_DEMO_POSTS)
			continue;
		if ((e = postfile_add(st, &a, f->data, f->len, f->path, &id,
		    &posts[n].p, err, errsz)) != P_OK)
			goto out;
		posts[n].slug = posts[n].p.slug;
		n++;
	}
	for (f = embed_files; f->path; f++) {
		const char *base = strrchr(f->path, '/') + 1;
		size_t bl = strlen(base);
		char *slug;

		if (strncmp(f->path, "demo/comments-", 14) || bl < 14 ||
		    strcmp(base + bl - 4, ".txt"))
			continue;
		slug = arena_strndup(&a, base + 9, bl - 9 - 4);
		for (i = 0; i < n; i++)
			if (!strcmp(posts[i].slug, slug))
				break;
		if (i == n) {
			snprintf(err, errsz, "%s: no article with slug %s",
			    f->path, slug);
			e = P_BADINPUT;
			goto out;
		}
		if ((e = load_thread(st, &a, &posts[i].p, f, err, errsz)) !=
		    P_OK)
			goto out;
	}
out:
	arena_free(&a);
	return e;
}
