/* common.c: what several commands share: help detection, opening a site's
 * store, and reading an article file into the store. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/buf.h"
#include "../base/limits.h"
#include "../base/str.h"
#include "../render/markdown.h"
#include "cli.h"

/* Plain-text excerpt length on listings. */
#define EXCERPT_BYTES 300
#define MAX_CATS 16
#define MAX_TAGS 32

/* "a, b, c" → names and slugs (in place; trimmed, empty items skipped).
 * Returns the count, or -1 past max. */
static int
split_terms(struct arena *a, char *val, size_t max, const char **names,
    const char **slugs)
{
	char *s = val, *comma;
	size_t n = 0;

	while (s && *s) {
		if ((comma = strchr(s, ',')) != NULL)
			*comma = '\0';
		str_trim(s);
		if (*s) {
			if (n == max)
				return -1;
			names[n] = s;
			slugs[n] = str_slugify(a, s);
			n++;
		}
		s = comma ? comma + 1 : NULL;
	}
	return (int)n;
}

int
cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

enum perr
cli_open_store(const char *site, struct store **st)
{
	char path[4096];
	enum perr e;

	if ((size_t)snprintf(path, sizeof(path), "%s/parley.db", site) >=
	    sizeof(path)) {
		fprintf(stderr, "parley: site path too long\n");
		return P_BADINPUT;
	}
	if ((e = store_open_sqlite(path, 0, st)) != P_OK)
		fprintf(stderr, "parley: %s: %s%s\n", path, perr_str(e),
		    e == P_NOTFOUND ? " (is this a site made by `parley init`?)"
		    : "");
	return e;
}

static char *
line_dup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_strndup(a, s, n);

	return str_trim(p);
}

enum perr
postfile_add(struct store *st, struct arena *a, const char *text,
    size_t len, const char *origin, int64_t *id, struct post *out,
    char *err, size_t errsz)
{
	struct post p;
	struct category *cats;
	struct tag *tags;
	const char *pos = text, *end = text + len, *author = NULL;
	const char *date = NULL;
	struct buf html, exc;
	int line = 1, closed = 0;
	enum perr e;

	memset(&p, 0, sizeof(p));
	p.image = p.image_caption = "";
	p.comments_open = 1;
	cats = arena_alloc(a, sizeof(*cats) * MAX_CATS);
	p.cats = cats;
	tags = arena_alloc(a, sizeof(*tags) * MAX_TAGS);
	p.tags = tags;
	if (len > LIM_POST_FILE_BYTES) {
		snprintf(err, errsz, "%s: larger than %d bytes", origin,
		    LIM_POST_FILE_BYTES);
		return P_TOOBIG;
	}
	if (!str_valid_text(text, len)) {
		snprintf(err, errsz, "%s: not valid UTF-8 text", origin);
		return P_BADINPUT;
	}
	if (len < 4 || strncmp(text, "---", 3) != 0 ||
	    (text[3] != '\n' && text[3] != '\r')) {
		snprintf(err, errsz, "%s:1: expected a header starting with "
		    "'---' (title:, date:, author:, ...) then '---'", origin);
		return P_BADINPUT;
	}
	pos = memchr(text, '\n', len) + 1;
	for (;;) {
		const char *nl, *colon;
		char *key, *val;

		line++;
		if (pos >= end) {
			snprintf(err, errsz, "%s:%d: header not closed with "
			    "'---'", origin, line);
			return P_BADINPUT;
		}
		nl = memchr(pos, '\n', (size_t)(end - pos));
		if (nl == NULL)
			nl = end;
		key = line_dup(a, pos, (size_t)(nl - pos));
		pos = nl < end ? nl + 1 : end;
		if (!strcmp(key, "---"))
			break;
		if (*key == '\0' || *key == '#')
			continue;
		if ((colon = strchr(key, ':')) == NULL) {
			snprintf(err, errsz, "%s:%d: expected 'key: value'",
			    origin, line);
			return P_BADINPUT;
		}
		val = str_trim(arena_strdup(a, colon + 1));
		key[colon - key] = '\0';
		str_trim(key);
		if (!strcmp(key, "title"))
			p.title = val;
		else if (!strcmp(key, "slug"))
			p.slug = val;
		else if (!strcmp(key, "date"))
			date = val;
		else if (!strcmp(key, "author"))
			author = val;
		else if (!strcmp(key, "image"))
			p.image = val;
		else if (!strcmp(key, "caption"))
			p.image_caption = val;
		else if (!strcmp(key, "excerpt"))
			p.excerpt = val;
		else if (!strcmp(key, "comments")) {
			if (!strcmp(val, "closed"))
				closed = 1;
			else if (strcmp(val, "open")) {
				snprintf(err, errsz, "%s:%d: comments must be "
				    "'open' or 'closed'", origin, line);
				return P_BADINPUT;
			}
		} else if (!strcmp(key, "categories") || !strcmp(key, "tags")) {
			const char *names[MAX_TAGS], *slugs[MAX_TAGS];
			int istag = !strcmp(key, "tags"), k, n;
			size_t max = istag ? MAX_TAGS : MAX_CATS;

			if ((n = split_terms(a, val, max, names, slugs)) < 0) {
				snprintf(err, errsz, "%s:%d: at most %zu %s",
				    origin, line, max, key);
				return P_BADINPUT;
			}
			for (k = 0; k < n; k++) {
				if (*slugs[k] == '\0') {
					snprintf(err, errsz, "%s:%d: '%s' has "
					    "no letters or digits for its "
					    "address", origin, line, names[k]);
					return P_BADINPUT;
				}
				if (istag) {
					tags[k].name = names[k];
					tags[k].slug = slugs[k];
				} else {
					cats[k].name = names[k];
					cats[k].slug = slugs[k];
				}
			}
			if (istag)
				p.ntags = (size_t)n;
			else
				p.ncats = (size_t)n;
		} else {
			snprintf(err, errsz, "%s:%d: unknown header '%s' (known: "
			    "title, slug, date, author, categories, tags, "
			    "image, caption, excerpt, comments)", origin, line, key);
			return P_BADINPUT;
		}
	}
	if (p.title == NULL || *p.title == '\0') {
		snprintf(err, errsz, "%s: the header needs a title:", origin);
		return P_BADINPUT;
	}
	if (author == NULL || *author == '\0') {
		snprintf(err, errsz, "%s: the header needs an author:", origin);
		return P_BADINPUT;
	}
	if (date == NULL)
		p.published = (int64_t)time(NULL);
	else if (str_parse_date(date, &p.published) != P_OK) {
		snprintf(err, errsz, "%s: date '%s' is not YYYY-MM-DD [HH:MM]",
		    origin, date);
		return P_BADINPUT;
	}
	if (p.slug == NULL || *p.slug == '\0')
		p.slug = str_slugify(a, p.title);
	if (!str_is_slug(p.slug)) {
		snprintf(err, errsz, "%s: slug '%s' may only have lower-case "
		    "letters, digits and '-'", origin, p.slug);
		return P_BADINPUT;
	}
	p.comments_open = !closed;
	if ((e = store_user_ensure(st, str_slugify(a, author), author,
	    &p.author_id)) != P_OK) {
		snprintf(err, errsz, "%s: cannot record author: %s", origin,
		    perr_str(e));
		return e;
	}
	p.body_md = arena_strndup(a, pos, (size_t)(end - pos));
	buf_init(&html, 0);
	buf_init(&exc, 0);
	if (md_render(MD_PROFILE_POST, p.body_md, strlen(p.body_md), &html) !=
	    P_OK || md_excerpt(p.body_md, strlen(p.body_md), EXCERPT_BYTES,
	    &exc) != P_OK) {
		buf_free(&html);
		buf_free(&exc);
		snprintf(err, errsz, "%s: the body could not be rendered", origin);
		return P_BADINPUT;
	}
	p.body_html = arena_strdup(a, html.data ? html.data : "");
	if (p.excerpt == NULL)
		p.excerpt = arena_strdup(a, exc.data ? exc.data : "");
	buf_reset(&html);
	if (md_plain_text(MD_PROFILE_POST, p.body_md, strlen(p.body_md), &html) == P_OK)
		p.body_text = arena_strdup(a, html.data ? html.data : "");
	buf_free(&html);
	buf_free(&exc);
	e = store_post_add(st, &p, id);
	if (e == P_CONFLICT)
		snprintf(err, errsz, "%s: an article with slug '%s' already "
		    "exists on that date", origin, p.slug);
	else if (e != P_OK)
		snprintf(err, errsz, "%s: cannot store: %s", origin, perr_str(e));
	if (e == P_OK && out) {
		*out = p;
		out->id = *id;
	}
	return e;
}
