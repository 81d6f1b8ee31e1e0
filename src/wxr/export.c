/* export.c: the store as WXR 1.2 (contract in wxr.h).
 *
 * Written the way WordPress writes it (what its importer expects): the
 * channel head, authors, categories with parents before children, tags,
 * other terms, then every post and page with its comments, then the
 * items Parley keeps but does not show (attachments, menu items...),
 * exactly as they came in. Posts are read a page at a time, so memory
 * is that of one page of posts and one post's comments.
 *
 * Ids: a post keeps its WordPress id (so kept attachments and menu items
 * still point at it); a post written in Parley uses its own id unless a
 * WordPress id already has that number, then a fresh one above all.
 * Comments use Parley's ids, which are WordPress's wherever they could be.
 * What came from WordPress is written back from what was kept (its HTML
 * source, dates, names, unknown elements); what was written in Parley is
 * written as HTML rendered from its Markdown. */
#include "wxr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../render/esc.h"
#include "xmlout.h"

/* Posts read from the store at a time. */
#define PAGE_POSTS 200

/* A set of int64 ids (open addressing), for picking free export ids. */
struct idset {
	int64_t *k;
	size_t cap, n;
};

static void
ids_add(struct idset *s, int64_t v)
{
	size_t i;

	if (v <= 0)
		return;
	if ((s->n + 1) * 2 > s->cap) {
		struct idset t = { 0 };
		size_t j;

		t.cap = s->cap ? s->cap * 2 : 1024;
		if ((t.k = calloc(t.cap, sizeof(*t.k))) == NULL)
			abort();
		for (j = 0; j < s->cap; j++)
			if (s->k[j])
				ids_add(&t, s->k[j]);
		free(s->k);
		*s = t;
	}
	i = (size_t)((uint64_t)v * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
	while (s->k[i] && s->k[i] != v)
		i = (i + 1) & (s->cap - 1);
	if (!s->k[i]) {
		s->k[i] = v;
		s->n++;
	}
}

static int
ids_has(const struct idset *s, int64_t v)
{
	size_t i;

	if (s->cap == 0 || v <= 0)
		return 0;
	i = (size_t)((uint64_t)v * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
	while (s->k[i]) {
		if (s->k[i] == v)
			return 1;
		i = (i + 1) & (s->cap - 1);
	}
	return 0;
}

/* A featured image set in Parley, written as an attachment at the end. */
struct att {
	int64_t id, post_id, post_export_id;
};

struct ex {
	struct store *st;
	const struct wxr_export_opts *o;
	FILE *f;
	struct buf b;          /* what is written next */
	struct user *users;
	size_t nusers;
	struct idset used;     /* WordPress ids taken by posts and items */
	int64_t next_free;     /* above every id in use */
	struct att *atts;      /* attachments to write after the items */
	size_t natts, capatts;
	char *err;
	size_t errsz;
};

static enum perr
flush(struct ex *x)
{
	if (x->b.len > 0 && fwrite(x->b.data, 1, x->b.len, x->f) != x->b.len) {
		snprintf(x->err, x->errsz, "cannot write the export: %s",
		    strerror(errno));
		return P_IO;
	}
	buf_reset(&x->b);
	return P_OK;
}

static const struct user *
user_of(const struct ex *x, int64_t id)
{
	size_t i;

	for (i = 0; i < x->nusers; i++)
		if (x->users[i].id == id)
			return &x->users[i];
	return NULL;
}

/* "YYYY-MM-DD HH:MM:SS" of a UTC time. */
#define DATE_SZ 80 /* room for any int the format could print */

static void
mysql_date(int64_t t, char out[DATE_SZ])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, DATE_SZ, "%04d-%02d-%02d %02d:%02d:%02d",
	    tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
same_time(const char *mysql, int64_t t)
{
	char d[DATE_SZ];

	mysql_date(t, d);
	return mysql && !strcmp(mysql, d);
}

/* The dates WordPress had, while they still say when this was published;
 * else Parley's time, in UTC for both. */
static void
dates(struct arena *a, const char *local, const char *gmt, int64_t t,
    const char **out_local, const char **out_gmt)
{
	char d[DATE_SZ];

	if (gmt && *gmt && (same_time(gmt, t) ||
	    (!strcmp(gmt, "0000-00-00 00:00:00") && same_time(local, t)))) {
		*out_local = local;
		*out_gmt = gmt;
		return;
	}
	mysql_date(t, d);
	*out_local = *out_gmt = arena_strdup(a, d);
}

/* Absolute URL of a post or page on this site. */
static const char *
post_link(struct arena *a, const struct ex *x, const struct post *p)
{
	struct buf b;
	const char *s, *slash, *out;
	time_t t = (time_t)p->published;
	struct tm tm;

	buf_init(&b, 0);
	buf_puts(&b, x->o->site_url);
	if (p->type && !strcmp(p->type, "page") && p->path && *p->path) {
		s = p->path;
		do {
			slash = strchr(s, '/');
			buf_putc(&b, '/');
			esc_url_component(&b, s, slash ? (size_t)(slash - s) :
			    strlen(s));
			s = slash + 1;
		} while (slash);
	} else {
		gmtime_r(&t, &tm);
		buf_printf(&b, "/%04d/%02d/%02d/", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
		esc_url_component(&b, p->slug, strlen(p->slug));
	}
	buf_putc(&b, '/');
	out = arena_strdup(a, b.data);
	buf_free(&b);
	return out;
}

static const char *
absolute(struct arena *a, const struct ex *x, const char *url)
{
	if (url[0] == '/' && url[1] != '/')
		return arena_printf(a, "%s%s", x->o->site_url, url);
	return url;
}

static const char *
approved(const struct comment *c)
{
	static const char *const canon[] = { "0", "1", "spam", "trash" };
	const char *w = c->wp_approved ? c->wp_approved : "";
	int from_wp = -1;

	if (!strcmp(w, "1") || !strcmp(w, "approved"))
		from_wp = CS_APPROVED;
	else if (!strcmp(w, "0") || !strcmp(w, "hold"))
		from_wp = CS_PENDING;
	else if (!strcmp(w, "spam"))
		from_wp = CS_SPAM;
	else if (!strcmp(w, "trash") || !strcmp(w, "post-trashed"))
		from_wp = CS_TRASH;
	if (*w && from_wp == (int)c->status)
		return w; /* as WordPress wrote it */
	return (unsigned)c->status <= CS_TRASH ? canon[c->status] : "0";
}

/* <name>text</name> with no newline (the author records are one line
 * each, as WordPress writes them). */
static void
elem_inline(struct buf *b, const char *name, const char *text)
{
	if (xo_elem(b, "", name, text, 1) == P_OK && b->len > 0) {
		b->len--;
		b->data[b->len] = '\0';
	}
}

/* WordPress's author id, or for an author made in Parley one no other
 * author has (users are few: a linear scan is fine). */
static int64_t
author_export_id(const struct ex *x, const struct user *u)
{
	size_t i;
	int64_t id, top = 0;

	if (u == NULL)
		return 0;
	if (u->wp_id)
		return u->wp_id;
	for (i = 0; i < x->nusers; i++)
		if (x->users[i].wp_id == u->id)
			break;
	if (i == x->nusers)
		return u->id;
	/* taken: one past the highest id of any kind, by position */
	for (i = 0; i < x->nusers; i++) {
		id = x->users[i].wp_id > x->users[i].id ? x->users[i].wp_id :
		    x->users[i].id;
		if (id > top)
			top = id;
	}
	return top + 1 + (u - x->users);
}

static const char *
author_login(const struct user *u)
{
	return u ? (u->wp_login ? u->wp_login : u->login) : "";
}

static enum perr
write_comments(struct ex *x, struct arena *a, const struct post *p)
{
	struct comment *cs;
	size_t n, i;
	enum perr e;

	if ((e = store_comment_list_post(x->st, a, p->id, &cs, &n)) != P_OK) {
		snprintf(x->err, x->errsz, "cannot read the comments of post "
		    "%lld: %s", (long long)p->id, perr_str(e));
		return e;
	}
	for (i = 0; i < n; i++) {
		const struct comment *c = &cs[i];
		struct wxr_comment w;
		const int html = c->format && !strcmp(c->format, "html");

		memset(&w, 0, sizeof(w));
		w.id = c->id;
		/* an orphan keeps the parent WordPress named */
		w.parent = c->parent_id ? c->parent_id : c->wp_parent;
		/* the author it is linked to here; an id that named no
		 * author WordPress exported is not written again */
		w.user_id = c->user_id ? author_export_id(x, user_of(x,
		    c->user_id)) : 0;
		w.author = c->author;
		w.author_email = c->email;
		w.author_url = c->url;
		w.author_ip = c->ip;
		dates(a, c->date_local, c->date_gmt, c->created, &w.date,
		    &w.date_gmt);
		w.content = html ? c->body_md : c->body_html;
		w.markdown = html ? NULL : c->body_md;
		w.approved = approved(c);
		w.type = c->type && *c->type ? c->type : "comment";
		w.extra = c->wxr_extra;
		if ((e = xo_comment(&x->b, &w)) != P_OK)
			return e;
	}
	return P_OK;
}

/* wp:status: what the editor and scheduling say (enum pstatus), in
 * WordPress's word; the word the post was imported with when it says
 * the same (a private or pending draft, a 'future' post now due). */
static const char *
export_status(const struct post *p)
{
	const char *w = p->wp_status ? p->wp_status : "";

	switch (p->status) {
	case PS_SCHEDULED:
		return "future";
	case PS_DRAFT:
		return !strcmp(w, "pending") || !strcmp(w, "private") ?
		    w : "draft";
	case PS_PUBLISHED:
	default:
		return !strcmp(w, "future") ? w : "publish";
	}
}

static enum perr
write_post(struct ex *x, const struct post *p)
{
	struct arena a;
	struct wxr_item it;
	struct wxr_item_term *terms;
	struct buf extra, comments, pm;
	size_t i, k = 0;
	int64_t id, att_id = 0;
	const int html = p->format && !strcmp(p->format, "html");
	const char *link;
	enum perr e;

	arena_init(&a);
	buf_init(&extra, 0);
	buf_init(&comments, 0);
	buf_init(&pm, 0);
	/* the id: see the top of this file */
	if (p->wp_id)
		id = p->wp_id;
	else if (!ids_has(&x->used, p->id))
		id = p->id;
	else
		id = x->next_free++;
	ids_add(&x->used, id);

	memset(&it, 0, sizeof(it));
	link = post_link(&a, x, p);
	it.title = p->title;
	it.creator = author_login(user_of(x, p->author_id));
	it.guid = p->guid && *p->guid ? p->guid :
	    arena_printf(&a, "%s/?p=%lld", x->o->site_url, (long long)id);
	it.guid_permalink = 0;
	it.content = html ? p->body_md : p->body_html;
	it.markdown = html ? NULL : p->body_md;
	it.excerpt = p->excerpt_auto ? "" : p->excerpt;
	it.post_id = id;
	dates(&a, p->date_local, p->date_gmt, p->published, &it.post_date,
	    &it.post_date_gmt);
	it.comment_status = p->comments_open ? "open" : "closed";
	it.post_name = p->wp_name ? p->wp_name : p->slug;
	it.status = export_status(p);
	it.post_parent = p->wp_parent;
	it.post_type = p->type && *p->type ? p->type : "post";
	it.post_password = p->password ? p->password : "";
	it.attachment_url = "";
	terms = arena_alloc(&a, (p->ncats + p->ntags + 1) * sizeof(*terms));
	for (i = 0; i < p->ncats; i++, k++) {
		terms[k].domain = "category";
		terms[k].slug = p->cats[i].slug;
		terms[k].name = p->cats[i].name;
	}
	for (i = 0; i < p->ntags; i++, k++) {
		terms[k].domain = "post_tag";
		terms[k].slug = p->tags[i].slug;
		terms[k].name = p->tags[i].name;
	}
	it.terms = terms;
	it.nterms = k;
	buf_puts(&extra, p->wxr_extra ? p->wxr_extra : "");
	/* A featured image set in Parley (not a kept attachment) goes out
	 * as WordPress has it: _thumbnail_id here, and an attachment item
	 * after the kept ones (where a re-import keeps it). */
	if (p->image && *p->image && p->wp_thumbnail == 0) {
		att_id = x->next_free++;
		ids_add(&x->used, att_id);
		buf_printf(&pm, "<wp:postmeta><wp:meta_key>_thumbnail_id"
		    "</wp:meta_key><wp:meta_value>%lld</wp:meta_value>"
		    "</wp:postmeta>", (long long)att_id);
		if (extra.len)
			buf_puts(&extra, "\n\t\t");
		buf_add(&extra, pm.data, pm.len);
		if (x->natts == x->capatts) {
			size_t nc = x->capatts ? x->capatts * 2 : 64;
			struct att *na = realloc(x->atts, nc * sizeof(*na));

			if (na == NULL)
				abort();
			x->atts = na;
			x->capatts = nc;
		}
		x->atts[x->natts].id = att_id;
		x->atts[x->natts].post_id = p->id;
		x->atts[x->natts].post_export_id = id;
		x->natts++;
	}
	it.extra = extra.data ? extra.data : "";
	if ((e = write_comments(x, &a, p)) != P_OK)
		goto out;
	/* write_comments wrote into x->b: move them into `comments` */
	buf_add(&comments, x->b.data, x->b.len);
	buf_reset(&x->b);
	if ((e = xo_item(&x->b, &it, link, comments.data ? comments.data :
	    "")) != P_OK)
		goto out;
	e = flush(x);
out:
	buf_free(&extra);
	buf_free(&comments);
	buf_free(&pm);
	arena_free(&a);
	return e;
}

/* The attachment of a featured image set in Parley. */
static enum perr
write_attachment(struct ex *x, const struct att *at)
{
	struct arena a;
	struct post p;
	struct wxr_item ai;
	enum perr e;

	arena_init(&a);
	if ((e = store_post_get(x->st, &a, at->post_id, &p)) != P_OK) {
		snprintf(x->err, x->errsz, "cannot read post %lld: %s",
		    (long long)at->post_id, perr_str(e));
		arena_free(&a);
		return e;
	}
	memset(&ai, 0, sizeof(ai));
	ai.title = *p.image_caption ? p.image_caption : p.title;
	ai.creator = author_login(user_of(x, p.author_id));
	ai.guid = absolute(&a, x, p.image);
	ai.guid_permalink = 0;
	ai.content = "";
	ai.excerpt = p.image_caption;
	ai.post_id = at->id;
	dates(&a, p.date_local, p.date_gmt, p.published, &ai.post_date,
	    &ai.post_date_gmt);
	ai.comment_status = "closed";
	ai.post_name = arena_printf(&a, "%s-image", p.slug);
	ai.status = "inherit";
	ai.post_parent = at->post_export_id;
	ai.post_type = "attachment";
	ai.post_password = "";
	ai.attachment_url = ai.guid;
	ai.extra = "";
	e = xo_item(&x->b, &ai, ai.guid, "");
	arena_free(&a);
	return e == P_OK ? flush(x) : e;
}

static void
write_term(struct buf *b, const struct wxr_term_row *t)
{
	const char *kind, *slug, *name, *desc;

	if (!strcmp(t->taxonomy, "category")) {
		kind = "wp:category";
		slug = "wp:category_nicename";
		name = "wp:cat_name";
		desc = "wp:category_description";
	} else if (!strcmp(t->taxonomy, "post_tag")) {
		kind = "wp:tag";
		slug = "wp:tag_slug";
		name = "wp:tag_name";
		desc = "wp:tag_description";
	} else {
		kind = "wp:term";
		slug = "wp:term_slug";
		name = "wp:term_name";
		desc = "wp:term_description";
	}
	buf_printf(b, "\t<%s>\n", kind);
	if (t->wp_id)
		xo_elem_int(b, "\t\t", "wp:term_id", (long long)t->wp_id);
	if (!strcmp(kind, "wp:term"))
		xo_elem(b, "\t\t", "wp:term_taxonomy", t->taxonomy, 1);
	xo_elem(b, "\t\t", slug, t->slug, 1);
	if (!strcmp(kind, "wp:category"))
		xo_elem(b, "\t\t", "wp:category_parent", t->parent, 1);
	else if (!strcmp(kind, "wp:term"))
		xo_elem(b, "\t\t", "wp:term_parent", t->parent, 1);
	xo_elem(b, "\t\t", name, t->name, 1);
	if (*t->description)
		xo_elem(b, "\t\t", desc, t->description, 1);
	if (*t->extra)
		buf_printf(b, "\t\t%s\n", t->extra);
	buf_printf(b, "\t</%s>\n", kind);
}

/* The category term whose slug is t[i]'s parent, or n. */
static size_t
parent_of(const struct wxr_term_row *t, size_t n, size_t i)
{
	size_t j;

	if (*t[i].parent == '\0')
		return n;
	for (j = 0; j < n; j++)
		if (j != i && !strcmp(t[j].taxonomy, "category") &&
		    !strcmp(t[j].slug, t[i].parent))
			return j;
	return n;
}

/* Writes category i after its ancestors not written yet (so a sorted
 * list stays as it is). Iterative: a hostile chain cannot exhaust the
 * stack. state: 0 to do, 1 on the chain, 2 written. */
static void
write_category(struct buf *b, struct wxr_term_row *t, size_t n,
    unsigned char *state, size_t *chain, size_t i)
{
	size_t len = 0, j;

	if (state[i])
		return;
	for (j = i; j < n && state[j] == 0; j = parent_of(t, n, j)) {
		state[j] = 1;
		chain[len++] = j;
	}
	while (len > 0) {
		j = chain[--len];
		write_term(b, &t[j]);
		state[j] = 2;
	}
}

/* Categories with each parent before its children (WordPress's importer
 * links a parent only if it already exists), then tags and other terms
 * in the store's order. A parent cycle is cut where it closes. */
static enum perr
write_terms(struct ex *x, struct arena *a)
{
	struct wxr_term_row *t;
	unsigned char *state;
	size_t n, i, *chain;
	enum perr e;

	if ((e = store_export_terms(x->st, a, &t, &n)) != P_OK) {
		snprintf(x->err, x->errsz, "cannot read terms: %s", perr_str(e));
		return e;
	}
	state = arena_alloc(a, n + 1);
	chain = arena_alloc(a, (n + 1) * sizeof(*chain));
	for (i = 0; i < n; i++) {
		if (!strcmp(t[i].taxonomy, "category"))
			write_category(&x->b, t, n, state, chain, i);
		else
			write_term(&x->b, &t[i]);
		if (x->b.len > 1024 * 1024 && (e = flush(x)) != P_OK)
			return e;
	}
	return flush(x);
}

enum perr
wxr_export(struct store *st, const struct wxr_export_opts *o, FILE *f,
    char *err, size_t errsz)
{
	struct ex x;
	struct arena a;
	struct post *posts;
	struct wxr_item_row *items;
	const char **chan;
	size_t n, i;
	int64_t after;
	enum perr e;

	memset(&x, 0, sizeof(x));
	x.st = st;
	x.o = o;
	x.f = f;
	x.err = err;
	x.errsz = errsz;
	buf_init(&x.b, 0);
	arena_init(&a);

	/* First pass: which WordPress ids are taken. */
	for (after = 0;;) {
		struct arena pa;

		arena_init(&pa);
		if ((e = store_export_posts(st, &pa, after, PAGE_POSTS, &posts,
		    &n)) != P_OK) {
			arena_free(&pa);
			goto readfail;
		}
		for (i = 0; i < n; i++) {
			ids_add(&x.used, posts[i].wp_id);
			if (posts[i].wp_id >= x.next_free)
				x.next_free = posts[i].wp_id + 1;
			if (posts[i].id >= x.next_free)
				x.next_free = posts[i].id + 1;
		}
		after = n ? posts[n - 1].id : after;
		arena_free(&pa);
		if (n < PAGE_POSTS)
			break;
	}
	for (after = 0;;) {
		struct arena pa;

		arena_init(&pa);
		if ((e = store_export_items(st, &pa, after, PAGE_POSTS, &items,
		    &n)) != P_OK) {
			arena_free(&pa);
			goto readfail;
		}
		for (i = 0; i < n; i++) {
			ids_add(&x.used, items[i].wp_id);
			if (items[i].wp_id >= x.next_free)
				x.next_free = items[i].wp_id + 1;
		}
		after = n ? items[n - 1].id : after;
		arena_free(&pa);
		if (n < PAGE_POSTS)
			break;
	}
	if (x.next_free < 1)
		x.next_free = 1;

	buf_puts(&x.b, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
	    "<!-- This is a WordPress eXtended RSS file written by Parley: "
	    "the whole site, for WordPress's importer or another Parley. -->\n"
	    "<rss version=\"2.0\"\n"
	    "\txmlns:excerpt=\"" XO_NS_EXCERPT "\"\n"
	    "\txmlns:content=\"" XO_NS_CONTENT "\"\n"
	    "\txmlns:wfw=\"" XO_NS_WFW "\"\n"
	    "\txmlns:dc=\"" XO_NS_DC "\"\n"
	    "\txmlns:wp=\"" XO_NS_WP "\"\n"
	    "\txmlns:parley=\"" WXR_NS_PARLEY "\"\n"
	    ">\n<channel>\n");
	xo_elem(&x.b, "\t", "title", o->site_title, 0);
	xo_elem(&x.b, "\t", "link", o->site_url, 0);
	xo_elem(&x.b, "\t", "description", o->tagline, 0);
	xo_elem(&x.b, "\t", "language", o->language, 0);
	xo_elem(&x.b, "\t", "wp:wxr_version", "1.2", 0);
	xo_elem(&x.b, "\t", "wp:base_site_url", o->site_url, 0);
	xo_elem(&x.b, "\t", "wp:base_blog_url", o->site_url, 0);
	buf_putc(&x.b, '\n');

	if ((e = store_export_users(st, &a, &x.users, &x.nusers)) != P_OK)
		goto readfail;
	for (i = 0; i < x.nusers; i++) {
		const struct user *u = &x.users[i];

		buf_puts(&x.b, "\t<wp:author>");
		buf_printf(&x.b, "<wp:author_id>%lld</wp:author_id>",
		    (long long)author_export_id(&x, u));
		elem_inline(&x.b, "wp:author_login", author_login(u));
		elem_inline(&x.b, "wp:author_email", u->email);
		elem_inline(&x.b, "wp:author_display_name", u->name);
		elem_inline(&x.b, "wp:author_first_name", u->first_name);
		elem_inline(&x.b, "wp:author_last_name", u->last_name);
		if (u->wxr_extra && *u->wxr_extra)
			buf_puts(&x.b, u->wxr_extra);
		buf_puts(&x.b, "</wp:author>\n");
	}
	buf_putc(&x.b, '\n');
	if ((e = flush(&x)) != P_OK)
		goto out;
	if ((e = write_terms(&x, &a)) != P_OK)
		goto out;
	buf_puts(&x.b, "\n\t<generator>Parley</generator>\n");
	if ((e = store_export_channel(st, &a, &chan, &n)) != P_OK)
		goto readfail;
	for (i = 0; i < n; i++)
		buf_printf(&x.b, "\t%s\n", chan[i]);
	buf_putc(&x.b, '\n');
	if ((e = flush(&x)) != P_OK)
		goto out;

	for (after = 0;;) {
		struct arena pa;

		arena_init(&pa);
		if ((e = store_export_posts(st, &pa, after, PAGE_POSTS, &posts,
		    &n)) != P_OK) {
			arena_free(&pa);
			goto readfail;
		}
		for (i = 0; i < n && e == P_OK; i++)
			e = write_post(&x, &posts[i]);
		after = n ? posts[n - 1].id : after;
		arena_free(&pa);
		if (e != P_OK)
			goto out;
		if (n < PAGE_POSTS)
			break;
	}
	for (after = 0;;) {
		struct arena pa;

		arena_init(&pa);
		if ((e = store_export_items(st, &pa, after, PAGE_POSTS, &items,
		    &n)) != P_OK) {
			arena_free(&pa);
			goto readfail;
		}
		for (i = 0; i < n; i++)
			buf_puts(&x.b, items[i].xml);
		after = n ? items[n - 1].id : after;
		arena_free(&pa);
		if ((e = flush(&x)) != P_OK)
			goto out;
		if (n < PAGE_POSTS)
			break;
	}
	for (i = 0; i < x.natts; i++)
		if ((e = write_attachment(&x, &x.atts[i])) != P_OK)
			goto out;
	buf_puts(&x.b, "</channel>\n</rss>\n");
	if ((e = flush(&x)) != P_OK)
		goto out;
	if (fflush(f) != 0 || ferror(f)) {
		snprintf(err, errsz, "cannot write the export: %s",
		    strerror(errno));
		e = P_IO;
	}
	goto out;
readfail:
	snprintf(err, errsz, "cannot read the site: %s", perr_str(e));
out:
	buf_free(&x.b);
	free(x.used.k);
	free(x.atts);
	arena_free(&a);
	return e;
}
