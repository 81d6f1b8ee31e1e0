/* import.c: a WXR file into the store (contract in wxr.h).
 *
 * The parser's records go straight into one store transaction
 * (import_begin ... import_end), so memory stays that of one record
 * however large the file, and nothing is committed unless the whole file
 * parsed: a malformed file, a full disk or any other error rolls it all
 * back. What needs the whole file (a reply whose parent comes later,
 * category parents, page paths, featured images) is linked by
 * import_finish after the last record, still inside the transaction.
 *
 * Articles and pages keep WordPress's HTML as their source (format
 * "html") and show it as WordPress did (wp_post_html: [caption] and
 * paragraphs); it is the author's trusted HTML. Comments are untrusted
 * whatever the exporting site allowed: their HTML goes through the
 * gumbo sanitizer to Parley's comment allowlist. */
#include "wxr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/limits.h"
#include "../base/str.h"
#include "../render/markdown.h"
#include "../render/sanitize.h"
#include "../render/wpautop.h"
#include "xmlout.h"

/* Bytes read per call to the parser; progress is reported between. */
#define READ_CHUNK (256 * 1024)
/* Plain-text excerpt of an article without one, as `parley post add`. */
#define EXCERPT_BYTES 300

enum item_kind { IT_NONE, IT_POST, IT_KEPT };

struct author {
	const char *wp_login;
	int64_t id;
	struct author *next;
};

struct imp {
	struct store *st;
	const struct wxr_import_opts *o;
	struct wxr_counts *c;
	struct wxr_parser *p;
	struct arena a;          /* for the whole import: authors, site */
	struct author *authors;
	const char *site;        /* base URL of the exporting site */
	/* the current item */
	enum item_kind kind;
	int64_t post_id;         /* IT_POST: its Parley id */
	int created;             /* IT_POST: added by this import */
	int64_t published;       /* for comments without a date */
	struct buf kept;         /* IT_KEPT: its comments, as XML */
	struct arena ia;         /* per item */
	struct arena ca;         /* per comment */
	struct buf html;
	/* progress */
	int64_t bytes, total;
	char err[512];
};

static void
iwarn(struct imp *m, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
iwarn(struct imp *m, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	m->c->warnings++;
	if (m->o == NULL || m->o->warning == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->o->warning(m->o->ctx, line, msg);
}

static void
on_parser_warning(void *ctx, long line, const char *msg)
{
	iwarn(ctx, line, "%s", msg);
}

/* A store error as the parse's error message. */
static enum perr
store_fail(struct imp *m, enum perr e, const char *what)
{
	wxr_fail(m->p, "cannot store %s: %s", what, perr_str(e));
	return e;
}

/* ---- values -------------------------------------------------------------- */

/* "YYYY-MM-DD HH:MM:SS" as UTC seconds; 0 = not a date (or WordPress's
 * "0000-00-00 00:00:00" for "none"). */
static int
parse_date(const char *s, int64_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;

	if (s == NULL)
		return 0;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
	    &n) != 6 || s[n] != '\0') {
		n = 0;
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 ||
		    s[n] != '\0')
			return 0;
	}
	if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm);
	return 1;
}

/* A WordPress slug as a Parley slug: percent-escapes decoded (WordPress
 * stores non-ASCII slugs encoded), ASCII lower-cased; if that is still
 * not slug-shaped, slugified; "" if nothing is left. Arena-owned. */
static const char *
norm_slug(struct arena *a, const char *wp)
{
	char *d = str_pct_decode(a, wp, strlen(wp), 0);
	char *p;

	if (d == NULL)
		d = arena_strdup(a, wp);
	for (p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (*d == '\0' || str_is_slug(d))
		return d;
	return str_slugify(a, d);
}

/* The path of an old permalink (for redirects): the URL's path decoded,
 * without a trailing slash; "" for query-only links like /?p=12. */
static const char *
old_path(struct arena *a, const char *link)
{
	const char *s = link, *q;
	char *d;
	size_t n;

	if ((q = strstr(s, "://")) != NULL) {
		s = q + 3;
		s += strcspn(s, "/?#");
	}
	if (*s != '/')
		return "";
	n = strcspn(s, "?#");
	while (n > 1 && s[n - 1] == '/')
		n--;
	if (n <= 1)
		return ""; /* the front page */
	d = str_pct_decode(a, s, n, 0);
	return d ? d : "";
}

static enum cstatus
comment_status(struct imp *m, const struct wxr_comment *c, long line)
{
	const char *s = c->approved;

	if (!strcmp(s, "1") || !strcmp(s, "approved"))
		return CS_APPROVED;
	if (!strcmp(s, "0") || !strcmp(s, "") || !strcmp(s, "hold"))
		return CS_PENDING;
	if (!strcmp(s, "spam"))
		return CS_SPAM;
	if (!strcmp(s, "trash") || !strcmp(s, "post-trashed"))
		return CS_TRASH;
	iwarn(m, line, "comment %lld: approval state '%.40s' is not one "
	    "WordPress writes; held as pending", (long long)c->id, s);
	return CS_PENDING;
}

/* ---- authors ------------------------------------------------------------- */

static enum perr
author_id(struct imp *m, const char *wp_login, const char *name,
    const struct wxr_author *full, int64_t *id)
{
	struct author *au;
	struct user u;
	enum perr e;
	int created;

	for (au = m->authors; au; au = au->next)
		if (!strcmp(au->wp_login, wp_login)) {
			*id = au->id;
			return P_OK;
		}
	memset(&u, 0, sizeof(u));
	u.login = *wp_login ? str_slugify(&m->a, wp_login) : "";
	if (*u.login == '\0')
		u.login = *wp_login ? arena_printf(&m->a, "author-%lld",
		    full ? (long long)full->id : 0LL) : "unknown-author";
	u.name = name && *name ? name : *wp_login ? wp_login :
	    "Unknown author";
	u.wp_login = *wp_login ? wp_login : NULL;
	if (full) {
		u.email = full->email;
		u.first_name = full->first_name;
		u.last_name = full->last_name;
		u.wp_id = full->id;
		u.wxr_extra = full->extra;
	}
	if ((e = store_import_user(m->st, &u, id, &created)) != P_OK)
		return store_fail(m, e, "an author");
	m->c->authors++;
	m->c->authors_new += created;
	au = arena_alloc(&m->a, sizeof(*au));
	au->wp_login = arena_strdup(&m->a, wp_login);
	au->id = *id;
	au->next = m->authors;
	m->authors = au;
	return P_OK;
}

static enum perr
on_channel(void *ctx, const struct wxr_channel *ch)
{
	struct imp *m = ctx;

	m->site = arena_strdup(&m->a, *ch->base_blog_url ?
	    ch->base_blog_url : *ch->base_site_url ? ch->base_site_url :
	    ch->link);
	return P_OK;
}

static enum perr
on_author(void *ctx, const struct wxr_author *a)
{
	struct imp *m = ctx;
	int64_t id;

	if (*a->login == '\0') {
		iwarn(m, a->line, "an author without a login was skipped");
		return P_OK;
	}
	return author_id(m, a->login, a->display_name, a, &id);
}

static enum perr
on_term(void *ctx, const struct wxr_term *t)
{
	struct imp *m = ctx;
	struct wxr_term_row r;
	const char *tax = *t->taxonomy ? t->taxonomy : "unknown";
	enum perr e;
	int created;
	struct arena a;

	arena_init(&a);
	memset(&r, 0, sizeof(r));
	r.taxonomy = tax;
	r.slug = norm_slug(&a, *t->slug ? t->slug : t->name);
	if (*r.slug == '\0') {
		iwarn(m, t->line, "a %s term without a slug or name was "
		    "skipped", tax);
		arena_free(&a);
		return P_OK;
	}
	r.name = t->name;
	r.parent = norm_slug(&a, t->parent);
	r.description = t->description;
	r.extra = t->extra;
	r.wp_id = t->id;
	e = store_import_term(m->st, &r, &created);
	arena_free(&a);
	if (e != P_OK)
		return store_fail(m, e, "a term");
	if (!strcmp(tax, "category")) {
		m->c->categories++;
		m->c->categories_new += created;
	} else if (!strcmp(tax, "post_tag")) {
		m->c->tags++;
		m->c->tags_new += created;
	} else {
		m->c->terms++;
		m->c->terms_new += created;
	}
	return P_OK;
}

/* ---- items --------------------------------------------------------------- */

/* Terms of an item: categories and tags for the post; the others written
 * as <category> XML, kept with the item's extra. */
static void
item_terms(struct imp *m, const struct wxr_item *it, struct post *p,
    struct buf *extra)
{
	struct category *cats, *tags;
	struct tag *tg;
	size_t i, k;

	cats = arena_alloc(&m->ia, (it->nterms + 1) * sizeof(*cats));
	tags = arena_alloc(&m->ia, (it->nterms + 1) * sizeof(*tags));
	for (i = 0; i < it->nterms; i++) {
		const struct wxr_item_term *t = &it->terms[i];
		struct category **arr, *one;
		size_t *n;
		const char *slug;

		if (!*t->domain || !strcmp(t->domain, "category")) {
			arr = &cats;
			n = &p->ncats;
		} else if (!strcmp(t->domain, "post_tag") ||
		    !strcmp(t->domain, "tag")) {
			arr = &tags;
			n = &p->ntags;
		} else {
			struct buf tmp;

			/* Written the way export writes it back. */
			buf_init(&tmp, 0);
			buf_puts(&tmp, "<category domain=\"");
			xo_text(&tmp, t->domain);
			buf_puts(&tmp, "\"");
			if (*t->slug) {
				buf_puts(&tmp, " nicename=\"");
				xo_text(&tmp, t->slug);
				buf_puts(&tmp, "\"");
			}
			buf_puts(&tmp, ">");
			xo_cdata(&tmp, t->name);
			buf_puts(&tmp, "</category>");
			if (extra->len)
				buf_puts(extra, "\n\t\t");
			buf_add(extra, tmp.data, tmp.len);
			buf_free(&tmp);
			continue;
		}
		slug = norm_slug(&m->ia, *t->slug ? t->slug : t->name);
		if (*slug == '\0')
			continue;
		for (k = 0; k < *n; k++)
			if (!strcmp((*arr)[k].slug, slug))
				break;
		if (k < *n)
			continue; /* WXR 1.0 lists each one twice */
		one = &(*arr)[(*n)++];
		memset(one, 0, sizeof(*one));
		one->slug = slug;
		one->name = *t->name ? t->name : slug;
	}
	p->cats = cats;
	/* Gathered like categories; stored as struct tag. */
	tg = arena_alloc(&m->ia, (p->ntags + 1) * sizeof(*tg));
	for (k = 0; k < p->ntags; k++) {
		tg[k].id = 0;
		tg[k].slug = tags[k].slug;
		tg[k].name = tags[k].name;
	}
	p->tags = tg;
}

/* Plain text of a body for the search index (store.h: body_text): of
 * the Markdown when it came as Markdown, else of the HTML shown. */
static enum perr
body_text(struct arena *a, struct buf *scratch, enum md_profile prof,
    const char *markdown, const char *html, const char **out)
{
	enum perr e;

	buf_reset(scratch);
	e = markdown ? md_plain_text(prof, markdown, strlen(markdown),
	    scratch) : html_excerpt(html, strlen(html), SIZE_MAX / 4, scratch);
	if (e != P_OK)
		return e;
	*out = arena_strdup(a, scratch->data ? scratch->data : "");
	return P_OK;
}

static enum perr
build_post(struct imp *m, const struct wxr_item *it, struct post *p)
{
	struct buf extra;
	const char *slug;
	enum perr e;

	memset(p, 0, sizeof(*p));
	p->type = !strcmp(it->post_type, "page") ? "page" : "post";
	/* WordPress's word, kept; the store derives enum pstatus from it
	 * (publish/future: published or scheduled; others: drafts). */
	p->wp_status = *it->status ? it->status : "publish";
	p->title = it->title;
	slug = norm_slug(&m->ia, it->post_name);
	if (*slug == '\0') {
		/* Drafts often have no post_name yet. */
		p->wp_name = "";
		slug = str_slugify(&m->ia, it->title);
		if (*slug == '\0')
			slug = arena_printf(&m->ia, "%s-%lld", p->type,
			    (long long)it->post_id);
	}
	p->slug = slug;
	if ((e = author_id(m, it->creator, NULL, NULL, &p->author_id)) != P_OK)
		return e;
	p->date_local = it->post_date;
	p->date_gmt = it->post_date_gmt;
	if (!parse_date(it->post_date_gmt, &p->published) &&
	    !parse_date(it->post_date, &p->published)) {
		iwarn(m, it->line, "item %lld has no date; dated now",
		    (long long)it->post_id);
		p->published = (int64_t)time(NULL);
	}
	buf_reset(&m->html);
	if (it->markdown) {
		/* written in Parley: its Markdown comes back as Markdown */
		p->body_md = it->markdown;
		p->format = "markdown";
		e = md_render(MD_PROFILE_POST, it->markdown,
		    strlen(it->markdown), &m->html);
	} else {
		p->body_md = it->content;
		p->format = "html";
		e = wp_post_html(it->content, strlen(it->content), &m->html);
	}
	if (e != P_OK)
		return e;
	p->body_html = arena_strdup(&m->ia, m->html.data ? m->html.data : "");
	if ((e = body_text(&m->ia, &m->html, MD_PROFILE_POST, it->markdown,
	    p->body_html, &p->body_text)) != P_OK)
		return e;
	if (*it->excerpt)
		p->excerpt = it->excerpt;
	else {
		buf_reset(&m->html);
		e = it->markdown ? md_excerpt(it->markdown,
		    strlen(it->markdown), EXCERPT_BYTES, &m->html) :
		    html_excerpt(p->body_html, strlen(p->body_html),
		    EXCERPT_BYTES, &m->html);
		if (e != P_OK)
			return e;
		p->excerpt = arena_strdup(&m->ia, m->html.data ?
		    m->html.data : "");
		p->excerpt_auto = 1;
	}
	p->image = p->image_caption = "";
	p->comments_open = strcmp(it->comment_status, "closed") != 0;
	p->password = it->post_password;
	p->guid = it->guid;
	p->wp_id = it->post_id;
	p->wp_parent = it->post_parent;
	p->wp_path = old_path(&m->ia, it->link);
	p->wp_thumbnail = it->thumbnail_id;
	buf_init(&extra, LIM_WXR_ITEM_BYTES);
	if (*it->extra)
		buf_puts(&extra, it->extra);
	item_terms(m, it, p, &extra);
	p->wxr_extra = arena_strdup(&m->ia, extra.data ? extra.data : "");
	buf_free(&extra);
	return P_OK;
}

static int
is_post_type(const char *t)
{
	return !strcmp(t, "post") || !strcmp(t, "page") || *t == '\0';
}

static enum perr
on_item(void *ctx, const struct wxr_item *it)
{
	struct imp *m = ctx;
	struct post p;
	enum perr e;
	int created;

	arena_free(&m->ia);
	arena_init(&m->ia);
	m->kind = IT_KEPT;
	m->post_id = 0;
	m->created = 0;
	buf_reset(&m->kept);
	if (!is_post_type(it->post_type))
		return P_OK; /* written whole at item_end */
	m->kind = IT_POST;
	if ((e = build_post(m, it, &p)) != P_OK)
		return e;
	if ((e = store_import_post(m->st, &p, &m->post_id, &created)) != P_OK) {
		wxr_fail(m->p, "cannot store item %lld (\"%.60s\"): %s",
		    (long long)it->post_id, it->title, perr_str(e));
		return e;
	}
	m->created = created;
	m->published = p.published;
	if (!strcmp(p.type, "page")) {
		m->c->pages++;
		m->c->pages_new += created;
	} else {
		m->c->posts++;
		m->c->posts_new += created;
	}
	return P_OK;
}

static enum perr
on_comment(void *ctx, const struct wxr_item *it, const struct wxr_comment *wc)
{
	struct imp *m = ctx;
	struct comment c;
	int64_t id;
	enum perr e;
	int created;

	m->c->comments++;
	if (!strcmp(wc->type, "pingback") || !strcmp(wc->type, "trackback"))
		m->c->pingbacks++;
	if (m->kind == IT_KEPT) {
		/* A comment on an attachment or a custom item: kept in it. */
		if ((e = xo_comment(&m->kept, wc)) != P_OK) {
			wxr_fail(m->p, "the comments of item %lld are larger "
			    "than %d MB", (long long)it->post_id,
			    LIM_WXR_ITEM_BYTES / (1024 * 1024));
			return e;
		}
		return P_OK;
	}
	arena_free(&m->ca);
	arena_init(&m->ca);
	/* Already imported (its WordPress id is its id here): skip the
	 * rendering, the costly part of a re-import. */
	if (wc->id > 0 && store_comment_get(m->st, &m->ca, wc->id, &c) ==
	    P_OK && c.wp_id == wc->id && c.post_id == m->post_id)
		return P_OK;
	memset(&c, 0, sizeof(c));
	c.post_id = m->post_id;
	c.author = wc->author;
	c.email = wc->author_email;
	c.url = wc->author_url;
	c.ip = wc->author_ip;
	c.commenter = "";
	buf_reset(&m->html);
	if (wc->markdown) {
		c.body_md = wc->markdown;
		c.format = "markdown";
		e = md_render(MD_PROFILE_COMMENT, wc->markdown,
		    strlen(wc->markdown), &m->html);
	} else {
		c.body_md = wc->content;
		c.format = "html";
		e = wp_comment_html(wc->content, strlen(wc->content), &m->html);
	}
	if (e != P_OK)
		return e;
	c.body_html = arena_strdup(&m->ca, m->html.data ? m->html.data : "");
	if ((e = body_text(&m->ca, &m->html, MD_PROFILE_COMMENT, wc->markdown,
	    c.body_html, &c.body_text)) != P_OK)
		return e;
	if (!parse_date(wc->date_gmt, &c.created) &&
	    !parse_date(wc->date, &c.created))
		c.created = m->published;
	c.status = comment_status(m, wc, wc->line);
	c.held_reason = c.status == CS_APPROVED ? "" :
	    "imported from WordPress";
	c.type = *wc->type ? wc->type : "comment";
	c.date_local = wc->date;
	c.date_gmt = wc->date_gmt;
	c.wp_id = wc->id;
	c.wp_parent = wc->parent;
	c.wp_user_id = wc->user_id;
	c.wp_approved = wc->approved;
	c.wxr_extra = wc->extra;
	if (wc->id == 0)
		iwarn(m, wc->line, "a comment without an id gets a new one "
		    "(a second import would add it again)");
	if ((e = store_import_comment(m->st, &c, &id, &created)) != P_OK) {
		wxr_fail(m->p, "cannot store comment %lld: %s",
		    (long long)wc->id, perr_str(e));
		return e;
	}
	if (created && id != wc->id && wc->id != 0)
		iwarn(m, wc->line, "comment %lld: that id is taken here, so it "
		    "is #comment-%lld now", (long long)wc->id, (long long)id);
	m->c->comments_new += created;
	if (created && c.status == CS_PENDING)
		m->c->comments_pending++;
	else if (created && c.status == CS_SPAM)
		m->c->comments_spam++;
	else if (created && c.status == CS_TRASH)
		m->c->comments_trash++;
	return P_OK;
}

static enum perr
on_item_end(void *ctx, const struct wxr_item *it)
{
	struct imp *m = ctx;
	struct wxr_item_row row;
	struct buf xml;
	struct post p;
	enum perr e = P_OK;
	int created;

	if (m->kind == IT_POST) {
		if (!it->late || !m->created)
			return P_OK;
		/* Fields after the comments: the post gets them too. */
		if ((e = build_post(m, it, &p)) != P_OK)
			return e;
		if ((e = store_import_post_update(m->st, m->post_id, &p)) !=
		    P_OK)
			return store_fail(m, e, "an item");
		return P_OK;
	}
	buf_init(&xml, LIM_WXR_ITEM_BYTES);
	if ((e = xo_item(&xml, it, it->link, m->kept.data ? m->kept.data :
	    "")) != P_OK) {
		buf_free(&xml);
		wxr_fail(m->p, "item %lld is larger than %d MB",
		    (long long)it->post_id, LIM_WXR_ITEM_BYTES / (1024 * 1024));
		return e;
	}
	memset(&row, 0, sizeof(row));
	row.wp_id = it->post_id;
	row.type = it->post_type;
	row.parent = it->post_parent;
	row.url = it->attachment_url;
	row.title = it->title;
	row.caption = it->excerpt;
	row.xml = xml.data ? xml.data : "";
	e = store_import_item(m->st, &row, &created);
	buf_free(&xml);
	if (e != P_OK)
		return store_fail(m, e, "an item");
	if (!strcmp(it->post_type, "attachment")) {
		m->c->attachments++;
		m->c->attachments_new += created;
	} else {
		m->c->other_items++;
		m->c->other_items_new += created;
	}
	return P_OK;
}

static enum perr
on_extra(void *ctx, const char *xml, long line)
{
	struct imp *m = ctx;
	enum perr e;
	int created;

	if ((e = store_import_channel_extra(m->st, xml, &created)) != P_OK)
		return store_fail(m, e, "a channel element");
	return P_OK;
}

static void
on_orphan(void *ctx, int64_t id, int64_t wp_parent)
{
	struct imp *m = ctx;

	m->c->orphans++;
	iwarn(m, 0, "comment %lld replies to comment %lld, which is not in "
	    "this file (or belongs to another article); it is shown at the "
	    "top level", (long long)id, (long long)wp_parent);
}

/* ---- the import ---------------------------------------------------------- */

static void
progress(struct imp *m)
{
	struct wxr_progress pr;

	if (m->o == NULL || m->o->progress == NULL)
		return;
	pr.bytes = m->bytes;
	pr.total_bytes = m->total;
	pr.counts = m->c;
	m->o->progress(m->o->ctx, &pr);
}

enum perr
wxr_import(struct store *st, const char *path,
    const struct wxr_import_opts *o, struct wxr_counts *counts, char *err,
    size_t errsz)
{
	struct wxr_handler h = { 0 };
	struct imp m;
	struct stat sb;
	FILE *f;
	char *chunk;
	size_t r;
	long line, col;
	const char *msg;
	enum perr e = P_OK;
	int begun = 0;

	memset(counts, 0, sizeof(*counts));
	if (!strcmp(path, "-"))
		f = stdin; /* a pipe: no total size, no time left */
	else if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return P_IO;
	}
	memset(&m, 0, sizeof(m));
	m.st = st;
	m.o = o;
	m.c = counts;
	arena_init(&m.a);
	arena_init(&m.ia);
	arena_init(&m.ca);
	buf_init(&m.html, 0);
	buf_init(&m.kept, LIM_WXR_ITEM_BYTES);
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
		m.total = (int64_t)sb.st_size;
	h.ctx = &m;
	h.channel = on_channel;
	h.author = on_author;
	h.term = on_term;
	h.item = on_item;
	h.comment = on_comment;
	h.item_end = on_item_end;
	h.extra = on_extra;
	h.warning = on_parser_warning;
	if ((m.p = wxr_new(&h)) == NULL || (chunk = malloc(READ_CHUNK)) ==
	    NULL)
		abort(); /* small, internal */
	if ((e = store_import_begin(st)) != P_OK) {
		snprintf(err, errsz, "%s: cannot start the import: %s%s", path,
		    perr_str(e), e == P_IO ? " (is another import or a "
		    "long write running?)" : "");
		goto out;
	}
	begun = 1;
	while ((r = fread(chunk, 1, READ_CHUNK, f)) > 0) {
		m.bytes += (int64_t)r;
		if ((e = wxr_feed(m.p, chunk, r, 0)) != P_OK)
			break;
		progress(&m);
	}
	if (e == P_OK && ferror(f)) {
		snprintf(err, errsz, "%s: read error: %s", path,
		    strerror(errno));
		e = P_IO;
		goto out;
	}
	if (e == P_OK)
		e = wxr_feed(m.p, "", 0, 1);
	if (e != P_OK) {
		wxr_error(m.p, &line, &col, &msg);
		snprintf(err, errsz, "%s:%ld:%ld: %s", path, line, col, msg);
		goto out;
	}
	if ((e = store_import_finish(st, on_orphan, &m)) != P_OK) {
		snprintf(err, errsz, "%s: cannot link comments and pages: %s",
		    path, perr_str(e));
		goto out;
	}
	if ((e = store_import_end(st, 1)) != P_OK) {
		begun = 0;
		snprintf(err, errsz, "%s: cannot commit the import: %s", path,
		    perr_str(e));
		goto out;
	}
	begun = 0;
	progress(&m);
out:
	if (begun)
		(void)store_import_end(st, 0);
	free(chunk);
	wxr_free(m.p);
	if (f != stdin)
		fclose(f);
	buf_free(&m.html);
	buf_free(&m.kept);
	arena_free(&m.a);
	arena_free(&m.ia);
	arena_free(&m.ca);
	return e;
}
