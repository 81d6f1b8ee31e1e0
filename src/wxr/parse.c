/* parse.c: the streaming WXR parser (contract in wxr.h).
 *
 * expat runs in namespace mode with prefix triplets, so elements are
 * matched by namespace URI, whatever prefix or declaration site a file
 * uses, and kept elements can be written back with their own prefixes.
 * A stack of frames says what each open element is (the record it
 * belongs to, a field collected as text, an ignored branch); an element
 * this parser does not map is captured as XML text into the record's
 * `extra` until it closes.
 *
 * Memory: one arena per record (freed when the record is handed over),
 * one text buffer, the capture buffers; each has a maximum from limits.h,
 * and expat itself is kept from buffering a huge token by checking how
 * far its parse position trails the bytes fed. */
#include "wxr.h"

/* Debian's libexpat is built with DTD support (the default); the header
 * declares the billion-laughs guard only when told so. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/limits.h"
#include "../base/str.h"

/* Separates URI, local name and prefix in expat's names: a byte no XML
 * name or namespace URI may contain. */
#define NSSEP '\x01'
#define XML_NS "http://www.w3.org/XML/1998/namespace"

enum ns { NS_NONE, NS_WP, NS_CONTENT, NS_EXCERPT, NS_DC, NS_PARLEY, NS_OTHER };

enum kind {
	K_ROOT,      /* nothing open yet */
	K_RSS,
	K_CHANNEL,
	K_AUTHOR,
	K_TERM,
	K_ITEM,
	K_COMMENT,
	K_FIELD,     /* a leaf of the record below it, collected as text */
	K_ITEM_TERM, /* <category> of an item */
	K_SKIP,      /* ignored, with everything inside */
};

/* Fields of each record, indexes into struct rec.v. */
enum { C_VERSION, C_TITLE, C_LINK, C_BASE_SITE, C_BASE_BLOG, C_DROP };
enum { A_ID, A_LOGIN, A_EMAIL, A_DISPLAY, A_FIRST, A_LAST };
enum { T_ID, T_SLUG, T_NAME, T_PARENT, T_DESC, T_TAXONOMY };
enum {
	I_TITLE, I_LINK, I_CREATOR, I_GUID, I_CONTENT, I_EXCERPT, I_POST_ID,
	I_DATE, I_DATE_GMT, I_COMMENT_STATUS, I_NAME, I_STATUS, I_PARENT,
	I_TYPE, I_PASSWORD, I_ATTACH_URL, I_DROP, I_MARKDOWN,
	I_GUID_PL /* the guid's isPermaLink attribute */
};
enum {
	CM_ID, CM_AUTHOR, CM_EMAIL, CM_URL, CM_IP, CM_DATE, CM_DATE_GMT,
	CM_CONTENT, CM_APPROVED, CM_TYPE, CM_PARENT, CM_USER_ID, CM_MARKDOWN
};
#define NFIELDS 20

struct fdef {
	enum ns ns;
	const char *local;
	int field;
	int longtext; /* LIM_WXR_FIELD_BYTES instead of LIM_WXR_SHORT_BYTES */
};

static const struct fdef chan_fields[] = {
	{ NS_WP, "wxr_version", C_VERSION, 0 },
	{ NS_NONE, "title", C_TITLE, 0 },
	{ NS_NONE, "link", C_LINK, 0 },
	{ NS_WP, "base_site_url", C_BASE_SITE, 0 },
	{ NS_WP, "base_blog_url", C_BASE_BLOG, 0 },
	/* The exporting site's own description; Parley writes its own. */
	{ NS_NONE, "description", C_DROP, 1 },
	{ NS_NONE, "pubDate", C_DROP, 0 },
	{ NS_NONE, "language", C_DROP, 0 },
	{ NS_NONE, "generator", C_DROP, 0 },
	{ 0, NULL, 0, 0 },
};

static const struct fdef author_fields[] = {
	{ NS_WP, "author_id", A_ID, 0 },
	{ NS_WP, "author_login", A_LOGIN, 0 },
	{ NS_WP, "author_email", A_EMAIL, 0 },
	{ NS_WP, "author_display_name", A_DISPLAY, 0 },
	{ NS_WP, "author_first_name", A_FIRST, 0 },
	{ NS_WP, "author_last_name", A_LAST, 0 },
	{ 0, NULL, 0, 0 },
};

static const struct fdef category_fields[] = {
	{ NS_WP, "term_id", T_ID, 0 },
	{ NS_WP, "category_nicename", T_SLUG, 0 },
	{ NS_WP, "cat_name", T_NAME, 0 },
	{ NS_WP, "category_parent", T_PARENT, 0 },
	{ NS_WP, "category_description", T_DESC, 1 },
	{ 0, NULL, 0, 0 },
};

static const struct fdef tag_fields[] = {
	{ NS_WP, "term_id", T_ID, 0 },
	{ NS_WP, "tag_slug", T_SLUG, 0 },
	{ NS_WP, "tag_name", T_NAME, 0 },
	{ NS_WP, "tag_description", T_DESC, 1 },
	{ 0, NULL, 0, 0 },
};

static const struct fdef term_fields[] = {
	{ NS_WP, "term_id", T_ID, 0 },
	{ NS_WP, "term_taxonomy", T_TAXONOMY, 0 },
	{ NS_WP, "term_slug", T_SLUG, 0 },
	{ NS_WP, "term_parent", T_PARENT, 0 },
	{ NS_WP, "term_name", T_NAME, 0 },
	{ NS_WP, "term_description", T_DESC, 1 },
	{ 0, NULL, 0, 0 },
};

/* Not listed (so kept verbatim): description, wp:ping_status,
 * wp:menu_order, wp:is_sticky, wp:post_modified(_gmt), wp:postmeta. */
static const struct fdef item_fields[] = {
	{ NS_NONE, "title", I_TITLE, 0 },
	{ NS_NONE, "link", I_LINK, 0 },
	{ NS_DC, "creator", I_CREATOR, 0 },
	{ NS_NONE, "guid", I_GUID, 0 },
	{ NS_CONTENT, "encoded", I_CONTENT, 1 },
	{ NS_EXCERPT, "encoded", I_EXCERPT, 1 },
	{ NS_WP, "post_id", I_POST_ID, 0 },
	{ NS_WP, "post_date", I_DATE, 0 },
	{ NS_WP, "post_date_gmt", I_DATE_GMT, 0 },
	{ NS_WP, "comment_status", I_COMMENT_STATUS, 0 },
	{ NS_WP, "post_name", I_NAME, 0 },
	{ NS_WP, "status", I_STATUS, 0 },
	{ NS_WP, "post_parent", I_PARENT, 0 },
	{ NS_WP, "post_type", I_TYPE, 0 },
	{ NS_WP, "post_password", I_PASSWORD, 0 },
	{ NS_WP, "attachment_url", I_ATTACH_URL, 0 },
	/* Derived from the post date on export. */
	{ NS_NONE, "pubDate", I_DROP, 0 },
	{ NS_PARLEY, "markdown", I_MARKDOWN, 1 },
	{ 0, NULL, 0, 0 },
};

static const struct fdef comment_fields[] = {
	{ NS_WP, "comment_id", CM_ID, 0 },
	{ NS_WP, "comment_author", CM_AUTHOR, 0 },
	{ NS_WP, "comment_author_email", CM_EMAIL, 0 },
	{ NS_WP, "comment_author_url", CM_URL, 0 },
	{ NS_WP, "comment_author_IP", CM_IP, 0 },
	{ NS_WP, "comment_date", CM_DATE, 0 },
	{ NS_WP, "comment_date_gmt", CM_DATE_GMT, 0 },
	{ NS_WP, "comment_content", CM_CONTENT, 1 },
	{ NS_WP, "comment_approved", CM_APPROVED, 0 },
	{ NS_WP, "comment_type", CM_TYPE, 0 },
	{ NS_WP, "comment_parent", CM_PARENT, 0 },
	{ NS_WP, "comment_user_id", CM_USER_ID, 0 },
	{ NS_PARLEY, "markdown", CM_MARKDOWN, 1 },
	{ 0, NULL, 0, 0 },
};

/* One record being gathered. */
struct rec {
	int active;
	long line;
	struct arena a;
	const char *v[NFIELDS];
	struct buf extra;
	size_t total;         /* bytes held, against LIM_WXR_ITEM_BYTES */
	const struct fdef *fields;
	const char *taxonomy; /* terms */
	struct wxr_item_term *terms;
	size_t nterms, capterms;
	int64_t thumbnail;
	int emitted, late;    /* items */
};

struct frame {
	enum kind kind;
	struct rec *rec; /* record a K_FIELD belongs to */
	int field;
};

struct nsbind {
	const char *prefix, *uri;
	int depth;
};

/* An element being kept as XML text. */
struct capture {
	int on;
	struct buf *dst;
	struct rec *owner;  /* NULL: a channel child, or field content */
	int to_channel;     /* hand to handler->extra at its end */
	int depth;
	int postmeta;       /* the root is wp:postmeta: look for _thumbnail_id */
	int pm_which;       /* 1 collecting meta_key, 2 meta_value */
	struct buf pm_key, pm_val;
	struct nsbind *b;
	size_t nb, capb;
	struct arena a;
	long line;
};

struct wxr_parser {
	XML_Parser x;
	struct wxr_handler h;
	struct frame st[LIM_WXR_DEPTH];
	int depth;
	struct rec chan, author, term, item, comment;
	int chan_emitted, seen_channel;
	struct buf text;
	struct capture cap;
	struct buf chanraw;
	long long fed;
	enum perr err;
	int failed;
	long err_line, err_col;
	char msg[512];
	struct wxr_item item_pub;
	int warned_rss_child;
};

/* ---- errors -------------------------------------------------------------- */

static void
vfail(struct wxr_parser *p, enum perr e, const char *fmt, va_list ap)
{
	if (p->failed)
		return;
	p->failed = 1;
	p->err = e;
	p->err_line = (long)XML_GetCurrentLineNumber(p->x);
	p->err_col = (long)XML_GetCurrentColumnNumber(p->x) + 1;
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	XML_StopParser(p->x, XML_FALSE);
}

static void
fail(struct wxr_parser *p, enum perr e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
fail(struct wxr_parser *p, enum perr e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(p, e, fmt, ap);
	va_end(ap);
}

void
wxr_fail(struct wxr_parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
}

long
wxr_line(const struct wxr_parser *p)
{
	return (long)XML_GetCurrentLineNumber(p->x);
}

static void
warn(struct wxr_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
warn(struct wxr_parser *p, const char *fmt, ...)
{
	char m[512];
	va_list ap;

	if (p->h.warning == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	p->h.warning(p->h.ctx, wxr_line(p), m);
}

/* A callback's answer: anything but P_OK stops the parse. */
static void
cb_result(struct wxr_parser *p, enum perr e)
{
	if (e == P_OK || p->failed)
		return;
	if (p->msg[0] == '\0')
		snprintf(p->msg, sizeof(p->msg), "%s", perr_str(e));
	p->failed = 1;
	p->err = e;
	p->err_line = (long)XML_GetCurrentLineNumber(p->x);
	p->err_col = (long)XML_GetCurrentColumnNumber(p->x) + 1;
	XML_StopParser(p->x, XML_FALSE);
}

/* ---- names --------------------------------------------------------------- */

struct qname {
	const char *uri, *local, *prefix;
	size_t uri_n, local_n, prefix_n;
};

static void
split_name(const char *s, struct qname *q)
{
	const char *a = strchr(s, NSSEP), *b;

	memset(q, 0, sizeof(*q));
	if (a == NULL) {
		q->local = s;
		q->local_n = strlen(s);
		q->uri = q->prefix = "";
		return;
	}
	q->uri = s;
	q->uri_n = (size_t)(a - s);
	q->local = a + 1;
	if ((b = strchr(a + 1, NSSEP)) == NULL) {
		q->local_n = strlen(a + 1);
		q->prefix = "";
	} else {
		q->local_n = (size_t)(b - a - 1);
		q->prefix = b + 1;
		q->prefix_n = strlen(b + 1);
	}
}

static int
starts(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && memcmp(s, pre, k) == 0;
}

/* "http://wordpress.org/export/1.2/" (any 1.x, http or https) and its
 * "excerpt/" sibling. */
static enum ns
classify_ns(const struct qname *q)
{
	const char *u = q->uri, *r;
	size_t n = q->uri_n, k;

	if (n == 0)
		return NS_NONE;
	if (starts(u, n, "http://purl.org/rss/1.0/modules/content/") &&
	    n == strlen("http://purl.org/rss/1.0/modules/content/"))
		return NS_CONTENT;
	if (starts(u, n, "http://purl.org/dc/elements/1.1/") &&
	    n == strlen("http://purl.org/dc/elements/1.1/"))
		return NS_DC;
	if (starts(u, n, WXR_NS_PARLEY) && n == strlen(WXR_NS_PARLEY))
		return NS_PARLEY;
	if (starts(u, n, "http://wordpress.org/export/"))
		k = strlen("http://wordpress.org/export/");
	else if (starts(u, n, "https://wordpress.org/export/"))
		k = strlen("https://wordpress.org/export/");
	else
		return NS_OTHER;
	r = u + k;
	n -= k;
	/* D.D/ then nothing or "excerpt/" */
	k = 0;
	while (k < n && r[k] >= '0' && r[k] <= '9')
		k++;
	if (k == 0 || k >= n || r[k] != '.')
		return NS_OTHER;
	k++;
	if (k >= n || r[k] < '0' || r[k] > '9')
		return NS_OTHER;
	while (k < n && r[k] >= '0' && r[k] <= '9')
		k++;
	if (k >= n || r[k] != '/')
		return NS_OTHER;
	k++;
	if (k == n)
		return NS_WP;
	if (n - k == 8 && memcmp(r + k, "excerpt/", 8) == 0)
		return NS_EXCERPT;
	return NS_OTHER;
}

static int
is(const struct qname *q, enum ns ns, const char *local)
{
	return classify_ns(q) == ns && strlen(local) == q->local_n &&
	    memcmp(q->local, local, q->local_n) == 0;
}

static const struct fdef *
lookup(const struct fdef *tab, const struct qname *q)
{
	enum ns ns = classify_ns(q);

	for (; tab->local; tab++)
		if (tab->ns == ns && strlen(tab->local) == q->local_n &&
		    memcmp(tab->local, q->local, q->local_n) == 0)
			return tab;
	return NULL;
}

static const char *
attr_value(const XML_Char **atts, enum ns ns, const char *local)
{
	struct qname q;

	for (; atts[0]; atts += 2) {
		split_name(atts[0], &q);
		if (strlen(local) == q.local_n &&
		    memcmp(q.local, local, q.local_n) == 0 &&
		    classify_ns(&q) == ns)
			return atts[1];
	}
	return NULL;
}

/* ---- records ------------------------------------------------------------- */

static void
rec_start(struct wxr_parser *p, struct rec *r, const struct fdef *fields)
{
	memset(r->v, 0, sizeof(r->v));
	arena_init(&r->a);
	buf_reset(&r->extra);
	r->active = 1;
	r->line = wxr_line(p);
	r->total = 0;
	r->fields = fields;
	r->taxonomy = NULL;
	r->terms = NULL;
	r->nterms = r->capterms = 0;
	r->thumbnail = 0;
	r->emitted = r->late = 0;
}

static void
rec_end(struct rec *r)
{
	if (!r->active)
		return;
	arena_free(&r->a);
	buf_reset(&r->extra);
	r->active = 0;
}

/* Counts n more bytes held by r; fails past LIM_WXR_ITEM_BYTES. */
static int
rec_hold(struct wxr_parser *p, struct rec *r, size_t n)
{
	r->total += n;
	if (r->total > LIM_WXR_ITEM_BYTES) {
		fail(p, P_TOOBIG, "the record starting at line %ld holds more "
		    "than %d MB", r->line, LIM_WXR_ITEM_BYTES / (1024 * 1024));
		return 0;
	}
	return 1;
}

static const char *
val(const struct rec *r, int f)
{
	return r->v[f] ? r->v[f] : "";
}

static int64_t
num(struct wxr_parser *p, struct rec *r, int f, const char *what)
{
	const char *s = str_trim(arena_strdup(&r->a, val(r, f)));
	long long v;

	if (*s == '\0')
		return 0;
	if (str_toint(s, 0, INT64_MAX, &v) != P_OK) {
		warn(p, "%s '%.40s' is not a number; taken as 0", what, s);
		return 0;
	}
	return v;
}

/* ---- the capture of kept elements --------------------------------------- */

static enum perr
put_esc(struct buf *b, const char *s, size_t n, int attr)
{
	size_t i, run = 0;
	const char *rep;
	enum perr e;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = attr ? NULL : "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\r': rep = "&#13;"; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		default: rep = NULL; break;
		}
		if (rep == NULL)
			continue;
		if ((e = buf_add(b, s + run, i - run)) != P_OK ||
		    (e = buf_puts(b, rep)) != P_OK)
			return e;
		run = i + 1;
	}
	return buf_add(b, s + run, n - run);
}

/* The innermost binding of prefix in the capture, or NULL. */
static const struct nsbind *
binding(const struct capture *c, const char *prefix, size_t n)
{
	size_t i;

	for (i = c->nb; i-- > 0;)
		if (strlen(c->b[i].prefix) == n &&
		    memcmp(c->b[i].prefix, prefix, n) == 0)
			return &c->b[i];
	return NULL;
}

/* Writes xmlns[:prefix]="uri" unless prefix is already bound to uri
 * inside the captured text; records the binding at the current depth. */
static enum perr
declare(struct capture *c, const char *prefix, size_t pn, const char *uri,
    size_t un)
{
	const struct nsbind *b = binding(c, prefix, pn);
	enum perr e;

	if (b ? (strlen(b->uri) == un && memcmp(b->uri, uri, un) == 0) :
	    un == 0)
		return P_OK;
	if (c->nb == c->capb) {
		size_t ncap = c->capb ? c->capb * 2 : 16;
		struct nsbind *nb = realloc(c->b, ncap * sizeof(*nb));

		if (nb == NULL)
			abort();
		c->b = nb;
		c->capb = ncap;
	}
	c->b[c->nb].prefix = arena_strndup(&c->a, prefix, pn);
	c->b[c->nb].uri = arena_strndup(&c->a, uri, un);
	c->b[c->nb].depth = c->depth;
	c->nb++;
	if (pn == 0)
		e = buf_puts(c->dst, " xmlns=\"");
	else if ((e = buf_puts(c->dst, " xmlns:")) == P_OK)
		e = buf_add(c->dst, prefix, pn);
	if (e == P_OK && pn > 0)
		e = buf_puts(c->dst, "=\"");
	if (e == P_OK)
		e = put_esc(c->dst, uri, un, 1);
	return e == P_OK ? buf_putc(c->dst, '"') : e;
}

static enum perr
put_qname(struct buf *b, const struct qname *q)
{
	enum perr e = P_OK;

	if (q->prefix_n > 0 && ((e = buf_add(b, q->prefix, q->prefix_n)) !=
	    P_OK || (e = buf_putc(b, ':')) != P_OK))
		return e;
	return buf_add(b, q->local, q->local_n);
}

static void
cap_check(struct wxr_parser *p, enum perr e)
{
	if (e == P_TOOBIG)
		fail(p, P_TOOBIG, "an element kept as it is (from line %ld) is "
		    "larger than %d MB", p->cap.line,
		    LIM_WXR_FIELD_BYTES / (1024 * 1024));
	else if (e != P_OK)
		fail(p, e, "%s", perr_str(e));
}

/* Kept elements of the namespaces WXR itself uses are written with the
 * prefixes and (for wp, excerpt) the 1.2 URIs an export declares, so
 * WordPress's importer, which matches "wp:" literally in one of its
 * parsers, reads them, and a 1.0 file's kept data turns into 1.2's. */
static void
normalize(struct qname *q)
{
	switch (classify_ns(q)) {
	case NS_WP:
		q->uri = "http://wordpress.org/export/1.2/";
		q->uri_n = strlen(q->uri);
		q->prefix = "wp";
		break;
	case NS_EXCERPT:
		q->uri = "http://wordpress.org/export/1.2/excerpt/";
		q->uri_n = strlen(q->uri);
		q->prefix = "excerpt";
		break;
	case NS_CONTENT:
		q->prefix = "content";
		break;
	case NS_DC:
		q->prefix = "dc";
		break;
	case NS_PARLEY:
		q->prefix = "parley";
		break;
	default:
		return;
	}
	/* uri (when not replaced) still points into expat's triplet:
	 * only its first uri_n bytes are the URI */
	q->prefix_n = strlen(q->prefix);
}

static void
cap_start_tag(struct wxr_parser *p, const char *name, const XML_Char **atts)
{
	struct capture *c = &p->cap;
	struct qname q, aq;
	enum perr e;
	size_t before = c->dst->len;

	split_name(name, &q);
	normalize(&q);
	c->depth++;
	if ((e = buf_putc(c->dst, '<')) == P_OK)
		e = put_qname(c->dst, &q);
	if (e == P_OK)
		e = declare(c, q.prefix, q.prefix_n, q.uri, q.uri_n);
	for (; e == P_OK && atts[0]; atts += 2) {
		split_name(atts[0], &aq);
		normalize(&aq);
		if (aq.uri_n > 0 && starts(aq.uri, aq.uri_n, XML_NS) &&
		    aq.uri_n == strlen(XML_NS)) {
			aq.prefix = "xml";
			aq.prefix_n = 3;
		} else if (aq.uri_n > 0)
			e = declare(c, aq.prefix, aq.prefix_n, aq.uri,
			    aq.uri_n);
		if (e == P_OK)
			e = buf_putc(c->dst, ' ');
		if (e == P_OK)
			e = put_qname(c->dst, &aq);
		if (e == P_OK)
			e = buf_puts(c->dst, "=\"");
		if (e == P_OK)
			e = put_esc(c->dst, atts[1], strlen(atts[1]), 1);
		if (e == P_OK)
			e = buf_putc(c->dst, '"');
	}
	if (e == P_OK)
		e = buf_putc(c->dst, '>');
	if (e == P_OK && c->owner && !rec_hold(p, c->owner,
	    c->dst->len - before))
		return;
	cap_check(p, e);
}

static void
cap_end_tag(struct wxr_parser *p, const char *name)
{
	struct capture *c = &p->cap;
	struct qname q;
	enum perr e;

	split_name(name, &q);
	normalize(&q);
	if ((e = buf_puts(c->dst, "</")) == P_OK)
		e = put_qname(c->dst, &q);
	if (e == P_OK)
		e = buf_putc(c->dst, '>');
	while (c->nb > 0 && c->b[c->nb - 1].depth == c->depth)
		c->nb--;
	c->depth--;
	cap_check(p, e);
}

static void
cap_begin(struct wxr_parser *p, struct buf *dst, struct rec *owner,
    int to_channel)
{
	struct capture *c = &p->cap;

	c->on = 1;
	c->dst = dst;
	c->owner = owner;
	c->to_channel = to_channel;
	c->depth = 0;
	c->postmeta = 0;
	c->pm_which = 0;
	buf_reset(&c->pm_key);
	buf_reset(&c->pm_val);
	c->nb = 0;
	arena_free(&c->a);
	arena_init(&c->a);
	c->line = wxr_line(p);
	if (owner && owner == &p->item && owner->emitted)
		owner->late = 1;
}

/* ---- handing records over ------------------------------------------------ */

static void
emit_channel(struct wxr_parser *p)
{
	struct wxr_channel c;
	const char *v;

	if (p->chan_emitted)
		return;
	p->chan_emitted = 1;
	v = str_trim(arena_strdup(&p->chan.a, val(&p->chan, C_VERSION)));
	if (*v == '\0') {
		fail(p, P_BADINPUT, "not a WordPress export: no <wp:wxr_version> "
		    "before the first author, term or item");
		return;
	}
	if (strcmp(v, "1.0") && strcmp(v, "1.1") && strcmp(v, "1.2"))
		warn(p, "WXR version %.20s is not 1.0, 1.1 or 1.2; importing "
		    "what Parley knows of it", v);
	c.version = v;
	c.title = val(&p->chan, C_TITLE);
	c.link = val(&p->chan, C_LINK);
	c.base_site_url = val(&p->chan, C_BASE_SITE);
	c.base_blog_url = val(&p->chan, C_BASE_BLOG);
	if (p->h.channel)
		cb_result(p, p->h.channel(p->h.ctx, &c));
}

static void
build_item(struct wxr_parser *p, struct wxr_item *it)
{
	struct rec *r = &p->item;

	memset(it, 0, sizeof(*it));
	it->line = r->line;
	it->title = val(r, I_TITLE);
	it->link = val(r, I_LINK);
	it->creator = val(r, I_CREATOR);
	it->guid = val(r, I_GUID);
	it->guid_permalink = r->v[I_GUID_PL] == NULL ? -1 :
	    strcmp(r->v[I_GUID_PL], "false") != 0;
	it->content = val(r, I_CONTENT);
	it->excerpt = val(r, I_EXCERPT);
	it->markdown = r->v[I_MARKDOWN];
	it->post_id = num(p, r, I_POST_ID, "wp:post_id");
	it->post_parent = num(p, r, I_PARENT, "wp:post_parent");
	it->post_date = val(r, I_DATE);
	it->post_date_gmt = val(r, I_DATE_GMT);
	it->comment_status = val(r, I_COMMENT_STATUS);
	it->post_name = val(r, I_NAME);
	it->status = val(r, I_STATUS);
	it->post_type = val(r, I_TYPE);
	it->post_password = val(r, I_PASSWORD);
	it->attachment_url = val(r, I_ATTACH_URL);
	it->thumbnail_id = r->thumbnail;
	it->terms = r->terms;
	it->nterms = r->nterms;
	it->extra = r->extra.data ? r->extra.data : "";
	it->late = r->late;
}

static void
emit_item(struct wxr_parser *p)
{
	if (p->item.emitted)
		return;
	p->item.emitted = 1;
	build_item(p, &p->item_pub);
	if (p->h.item)
		cb_result(p, p->h.item(p->h.ctx, &p->item_pub));
}

static void
emit_author(struct wxr_parser *p)
{
	struct rec *r = &p->author;
	struct wxr_author a;

	a.line = r->line;
	a.id = num(p, r, A_ID, "wp:author_id");
	a.login = val(r, A_LOGIN);
	a.email = val(r, A_EMAIL);
	a.display_name = val(r, A_DISPLAY);
	a.first_name = val(r, A_FIRST);
	a.last_name = val(r, A_LAST);
	a.extra = r->extra.data ? r->extra.data : "";
	if (p->h.author)
		cb_result(p, p->h.author(p->h.ctx, &a));
}

static void
emit_term(struct wxr_parser *p)
{
	struct rec *r = &p->term;
	struct wxr_term t;

	t.line = r->line;
	t.taxonomy = r->taxonomy ? r->taxonomy : val(r, T_TAXONOMY);
	t.id = num(p, r, T_ID, "wp:term_id");
	t.slug = val(r, T_SLUG);
	t.name = val(r, T_NAME);
	t.parent = val(r, T_PARENT);
	t.description = val(r, T_DESC);
	t.extra = r->extra.data ? r->extra.data : "";
	if (p->h.term)
		cb_result(p, p->h.term(p->h.ctx, &t));
}

static void
emit_comment(struct wxr_parser *p)
{
	struct rec *r = &p->comment;
	struct wxr_comment c;

	c.line = r->line;
	c.id = num(p, r, CM_ID, "wp:comment_id");
	c.parent = num(p, r, CM_PARENT, "wp:comment_parent");
	c.user_id = num(p, r, CM_USER_ID, "wp:comment_user_id");
	c.author = val(r, CM_AUTHOR);
	c.author_email = val(r, CM_EMAIL);
	c.author_url = val(r, CM_URL);
	c.author_ip = val(r, CM_IP);
	c.date = val(r, CM_DATE);
	c.date_gmt = val(r, CM_DATE_GMT);
	c.content = val(r, CM_CONTENT);
	c.markdown = r->v[CM_MARKDOWN];
	c.approved = val(r, CM_APPROVED);
	c.type = val(r, CM_TYPE);
	c.extra = r->extra.data ? r->extra.data : "";
	if (p->h.comment)
		cb_result(p, p->h.comment(p->h.ctx, &p->item_pub, &c));
}

/* ---- expat callbacks ----------------------------------------------------- */

static void
push(struct wxr_parser *p, enum kind k, struct rec *r, int field)
{
	/* The caller checked depth against LIM_WXR_DEPTH. */
	p->st[p->depth].kind = k;
	p->st[p->depth].rec = r;
	p->st[p->depth].field = field;
	p->depth++;
}

static void
field_start(struct wxr_parser *p, struct rec *r, const struct fdef *f)
{
	buf_reset(&p->text);
	p->text.max = f->longtext ? LIM_WXR_FIELD_BYTES : LIM_WXR_SHORT_BYTES;
	push(p, K_FIELD, r, f->field);
}

static void
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wxr_parser *p = ud;
	struct frame *top;
	const struct fdef *f;
	struct rec *r;
	struct qname q;

	if (p->failed)
		return;
	if (p->depth + p->cap.depth >= LIM_WXR_DEPTH) {
		fail(p, P_TOOBIG, "elements nest deeper than %d levels",
		    LIM_WXR_DEPTH);
		return;
	}
	if (p->cap.on) {
		struct capture *c = &p->cap;

		if (c->postmeta && c->depth == 1) {
			split_name(name, &q);
			c->pm_which = is(&q, NS_WP, "meta_key") ? 1 :
			    is(&q, NS_WP, "meta_value") ? 2 : 0;
		}
		cap_start_tag(p, name, atts);
		return;
	}
	split_name(name, &q);
	top = p->depth ? &p->st[p->depth - 1] : NULL;
	switch (top ? top->kind : K_ROOT) {
	case K_ROOT:
		if (!is(&q, NS_NONE, "rss")) {
			fail(p, P_BADINPUT, "not a WordPress export: the root "
			    "element is <%.*s>, not <rss>", (int)q.local_n,
			    q.local);
			return;
		}
		push(p, K_RSS, NULL, 0);
		return;
	case K_RSS:
		if (is(&q, NS_NONE, "channel") && !p->seen_channel) {
			p->seen_channel = 1;
			rec_start(p, &p->chan, chan_fields);
			push(p, K_CHANNEL, NULL, 0);
		} else {
			if (!p->warned_rss_child++)
				warn(p, "<%.*s> outside <channel> ignored",
				    (int)q.local_n, q.local);
			push(p, K_SKIP, NULL, 0);
		}
		return;
	case K_CHANNEL:
		if ((f = lookup(chan_fields, &q)) != NULL) {
			field_start(p, &p->chan, f);
			return;
		}
		emit_channel(p);
		if (p->failed)
			return;
		if (is(&q, NS_WP, "author")) {
			rec_start(p, &p->author, author_fields);
			push(p, K_AUTHOR, &p->author, 0);
		} else if (is(&q, NS_WP, "category") || is(&q, NS_WP, "tag") ||
		    is(&q, NS_WP, "term")) {
			r = &p->term;
			rec_start(p, r, q.local_n == 8 ? category_fields :
			    q.local_n == 3 ? tag_fields : term_fields);
			r->taxonomy = q.local_n == 8 ? "category" :
			    q.local_n == 3 ? "post_tag" : NULL;
			push(p, K_TERM, r, 0);
		} else if (is(&q, NS_NONE, "item")) {
			rec_start(p, &p->item, item_fields);
			push(p, K_ITEM, &p->item, 0);
		} else {
			buf_reset(&p->chanraw);
			cap_begin(p, &p->chanraw, NULL, 1);
			cap_start_tag(p, name, atts);
		}
		return;
	case K_AUTHOR:
	case K_TERM:
	case K_COMMENT:
	case K_ITEM:
		r = top->kind == K_AUTHOR ? &p->author : top->kind == K_TERM ?
		    &p->term : top->kind == K_COMMENT ? &p->comment : &p->item;
		if ((f = lookup(r->fields, &q)) != NULL) {
			if (r == &p->item && r->emitted)
				r->late = 1;
			if (r == &p->item && f->field == I_GUID) {
				const char *pl = attr_value(atts, NS_NONE,
				    "isPermaLink");
				r->v[I_GUID_PL] = pl ? arena_strdup(&r->a,
				    pl) : NULL;
			}
			field_start(p, r, f);
			return;
		}
		if (top->kind == K_ITEM && is(&q, NS_NONE, "category")) {
			const char *d = attr_value(atts, NS_NONE, "domain");
			const char *s = attr_value(atts, NS_NONE, "nicename");
			struct wxr_item_term *t;

			if (r->nterms == LIM_WXR_ITEM_TERMS) {
				fail(p, P_TOOBIG, "more than %d categories and "
				    "tags on one item", LIM_WXR_ITEM_TERMS);
				return;
			}
			if (r->nterms == r->capterms) {
				size_t nc = r->capterms ? r->capterms * 2 : 8;

				t = arena_alloc(&r->a, nc * sizeof(*t));
				if (r->nterms)
					memcpy(t, r->terms,
					    r->nterms * sizeof(*t));
				r->terms = t;
				r->capterms = nc;
			}
			t = &r->terms[r->nterms];
			t->domain = arena_strdup(&r->a, d ? d : "");
			t->slug = arena_strdup(&r->a, s ? s : "");
			t->name = "";
			if (!rec_hold(p, r, strlen(t->domain) +
			    strlen(t->slug) + sizeof(*t)))
				return;
			if (r->emitted)
				r->late = 1;
			buf_reset(&p->text);
			p->text.max = LIM_WXR_SHORT_BYTES;
			push(p, K_ITEM_TERM, r, 0);
			return;
		}
		if (top->kind == K_ITEM && is(&q, NS_WP, "comment")) {
			emit_item(p);
			if (p->failed)
				return;
			rec_start(p, &p->comment, comment_fields);
			push(p, K_COMMENT, &p->comment, 0);
			return;
		}
		cap_begin(p, &r->extra, r, 0);
		p->cap.postmeta = top->kind == K_ITEM &&
		    is(&q, NS_WP, "postmeta");
		cap_start_tag(p, name, atts);
		return;
	case K_FIELD:
	case K_ITEM_TERM:
		/* Markup inside a field (XHTML content, say) is kept as
		 * text of that field. */
		cap_begin(p, &p->text, NULL, 0);
		cap_start_tag(p, name, atts);
		return;
	case K_SKIP:
		push(p, K_SKIP, NULL, 0);
		return;
	}
}

static void
on_end(void *ud, const XML_Char *name)
{
	struct wxr_parser *p = ud;
	struct capture *c = &p->cap;
	struct frame *top;
	struct rec *r;

	if (p->failed)
		return;
	if (c->on) {
		c->pm_which = c->depth == 2 ? 0 : c->pm_which;
		cap_end_tag(p, name);
		if (p->failed || c->depth > 0)
			return;
		c->on = 0;
		if (c->postmeta && c->pm_key.data &&
		    strcmp(c->pm_key.data, "_thumbnail_id") == 0) {
			long long v;
			char *s = str_trim(c->pm_val.data ? c->pm_val.data :
			    (char *)"");

			if (str_toint(s, 0, INT64_MAX, &v) == P_OK)
				p->item.thumbnail = v;
		}
		if (c->to_channel && p->h.extra)
			cb_result(p, p->h.extra(p->h.ctx, p->chanraw.data ?
			    p->chanraw.data : "", c->line));
		return;
	}
	if (p->depth == 0)
		return;
	top = &p->st[--p->depth];
	r = top->rec;
	switch (top->kind) {
	case K_FIELD:
		if (!rec_hold(p, r, p->text.len))
			return;
		r->v[top->field] = arena_strndup(&r->a, p->text.data ?
		    p->text.data : "", p->text.len);
		buf_reset(&p->text);
		return;
	case K_ITEM_TERM:
		if (!rec_hold(p, r, p->text.len))
			return;
		r->terms[r->nterms].name = arena_strndup(&r->a,
		    p->text.data ? p->text.data : "", p->text.len);
		r->nterms++;
		buf_reset(&p->text);
		return;
	case K_AUTHOR:
		emit_author(p);
		rec_end(&p->author);
		return;
	case K_TERM:
		emit_term(p);
		rec_end(&p->term);
		return;
	case K_COMMENT:
		emit_comment(p);
		rec_end(&p->comment);
		return;
	case K_ITEM:
		emit_item(p);
		if (p->failed)
			return;
		if (p->item.late)
			build_item(p, &p->item_pub);
		if (p->h.item_end)
			cb_result(p, p->h.item_end(p->h.ctx, &p->item_pub));
		rec_end(&p->item);
		return;
	case K_CHANNEL:
		emit_channel(p);
		return;
	default:
		return;
	}
}

static void
on_text(void *ud, const XML_Char *s, int len)
{
	struct wxr_parser *p = ud;
	struct capture *c = &p->cap;
	struct frame *top;
	enum perr e;
	size_t before;

	if (p->failed || len <= 0)
		return;
	if (c->on) {
		before = c->dst->len;
		e = put_esc(c->dst, s, (size_t)len, 0);
		if (e == P_OK && c->owner &&
		    !rec_hold(p, c->owner, c->dst->len - before))
			return;
		cap_check(p, e);
		if (c->postmeta && c->depth == 2 && c->pm_which) {
			struct buf *b = c->pm_which == 1 ? &c->pm_key :
			    &c->pm_val;
			/* Only short values matter here; longer ones are
			 * not a thumbnail id and are kept in the text. */
			if (b->len + (size_t)len < 256)
				(void)buf_add(b, s, (size_t)len);
		}
		return;
	}
	if (p->depth == 0)
		return;
	top = &p->st[p->depth - 1];
	if (top->kind != K_FIELD && top->kind != K_ITEM_TERM)
		return; /* layout whitespace between elements */
	if (buf_add(&p->text, s, (size_t)len) == P_TOOBIG)
		fail(p, P_TOOBIG, "one field is larger than %zu bytes",
		    p->text.max);
}

static void
on_comment(void *ud, const XML_Char *data)
{
	struct wxr_parser *p = ud;
	enum perr e;

	if (p->failed || !p->cap.on)
		return;
	if ((e = buf_puts(p->cap.dst, "<!--")) == P_OK &&
	    (e = buf_puts(p->cap.dst, data)) == P_OK)
		e = buf_puts(p->cap.dst, "-->");
	cap_check(p, e);
}

static void
on_pi(void *ud, const XML_Char *target, const XML_Char *data)
{
	struct wxr_parser *p = ud;
	enum perr e;

	if (p->failed || !p->cap.on)
		return;
	if ((e = buf_puts(p->cap.dst, "<?")) == P_OK &&
	    (e = buf_puts(p->cap.dst, target)) == P_OK &&
	    (e = buf_putc(p->cap.dst, ' ')) == P_OK &&
	    (e = buf_puts(p->cap.dst, data)) == P_OK)
		e = buf_puts(p->cap.dst, "?>");
	cap_check(p, e);
}

/* WXR files have no DTD. One with entity declarations is either broken or
 * an entity-expansion attack (billion laughs); either way it stops here,
 * at the first declaration, before any expansion. */
static void
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	struct wxr_parser *p = ud;

	fail(p, P_BADINPUT, "the file has a document type declaration "
	    "(<!DOCTYPE %.40s>); WordPress exports never do, and one can "
	    "declare entities that expand without end (an XML bomb)", name);
}

static void
on_entity_decl(void *ud, const XML_Char *name, int pe, const XML_Char *value,
    int vlen, const XML_Char *base, const XML_Char *sysid,
    const XML_Char *pubid, const XML_Char *notation)
{
	struct wxr_parser *p = ud;

	fail(p, P_BADINPUT, "the file declares an entity (%.40s); WordPress "
	    "exports never do, and entities can expand without end (an XML "
	    "bomb)", name);
}

/* ---- the API ------------------------------------------------------------- */

struct wxr_parser *
wxr_new(const struct wxr_handler *h)
{
	struct wxr_parser *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	/* The file's own declaration says its encoding (WordPress writes
	 * the blog's charset: UTF-8, sometimes ISO-8859-1); expat hands
	 * every string over as UTF-8 whatever it was. */
	if ((p->x = XML_ParserCreateNS(NULL, NSSEP)) == NULL) {
		free(p);
		return NULL;
	}
	if (h)
		p->h = *h;
	XML_SetReturnNSTriplet(p->x, 1);
	XML_SetUserData(p->x, p);
	XML_SetElementHandler(p->x, on_start, on_end);
	XML_SetCharacterDataHandler(p->x, on_text);
	XML_SetCommentHandler(p->x, on_comment);
	XML_SetProcessingInstructionHandler(p->x, on_pi);
	XML_SetStartDoctypeDeclHandler(p->x, on_doctype);
	XML_SetEntityDeclHandler(p->x, on_entity_decl);
	XML_SetParamEntityParsing(p->x, XML_PARAM_ENTITY_PARSING_NEVER);
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
	/* Belt and braces: expansion is refused above anyway. */
	XML_SetBillionLaughsAttackProtectionMaximumAmplification(p->x,
	    LIM_WXR_AMPLIFICATION);
	XML_SetBillionLaughsAttackProtectionActivationThreshold(p->x,
	    1024 * 1024);
#endif
	buf_init(&p->text, LIM_WXR_SHORT_BYTES);
	buf_init(&p->chanraw, LIM_WXR_FIELD_BYTES);
	buf_init(&p->chan.extra, LIM_WXR_FIELD_BYTES);
	buf_init(&p->author.extra, LIM_WXR_FIELD_BYTES);
	buf_init(&p->term.extra, LIM_WXR_FIELD_BYTES);
	buf_init(&p->item.extra, LIM_WXR_FIELD_BYTES);
	buf_init(&p->comment.extra, LIM_WXR_FIELD_BYTES);
	buf_init(&p->cap.pm_key, 0);
	buf_init(&p->cap.pm_val, 0);
	arena_init(&p->cap.a);
	return p;
}

void
wxr_free(struct wxr_parser *p)
{
	if (p == NULL)
		return;
	XML_ParserFree(p->x);
	rec_end(&p->chan);
	rec_end(&p->author);
	rec_end(&p->term);
	rec_end(&p->item);
	rec_end(&p->comment);
	buf_free(&p->text);
	buf_free(&p->chanraw);
	buf_free(&p->chan.extra);
	buf_free(&p->author.extra);
	buf_free(&p->term.extra);
	buf_free(&p->item.extra);
	buf_free(&p->comment.extra);
	buf_free(&p->cap.pm_key);
	buf_free(&p->cap.pm_val);
	arena_free(&p->cap.a);
	free(p->cap.b);
	free(p);
}

/* expat's own errors in plain words where it helps. */
static void
expat_fail(struct wxr_parser *p, int final)
{
	enum XML_Error code = XML_GetErrorCode(p->x);
	const char *what = XML_ErrorString(code);

	p->failed = 1;
	p->err = P_BADINPUT;
	p->err_line = (long)XML_GetCurrentLineNumber(p->x);
	p->err_col = (long)XML_GetCurrentColumnNumber(p->x) + 1;
	switch (code) {
	case XML_ERROR_NO_ELEMENTS:
	case XML_ERROR_UNCLOSED_TOKEN:
	case XML_ERROR_UNCLOSED_CDATA_SECTION:
	case XML_ERROR_PARTIAL_CHAR:
		if (final) {
			snprintf(p->msg, sizeof(p->msg), "the file ends in the "
			    "middle of the XML (%s); is it truncated?", what);
			return;
		}
		break;
	case XML_ERROR_UNDEFINED_ENTITY:
		snprintf(p->msg, sizeof(p->msg), "undefined entity: XML knows "
		    "only &amp; &lt; &gt; &quot; &apos; and numeric ones "
		    "(a bare & must be written &amp;)");
		return;
	case XML_ERROR_UNKNOWN_ENCODING:
	case XML_ERROR_INCORRECT_ENCODING:
		snprintf(p->msg, sizeof(p->msg), "%s: Parley reads WXR files "
		    "in UTF-8, UTF-16, ISO-8859-1 or US-ASCII (convert it with "
		    "iconv first)", what);
		return;
	case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
		snprintf(p->msg, sizeof(p->msg), "entity expansion beyond "
		    "any real file (an XML bomb)");
		return;
	default:
		break;
	}
	snprintf(p->msg, sizeof(p->msg), "malformed XML: %s", what);
}

enum perr
wxr_feed(struct wxr_parser *p, const char *buf, size_t n, int final)
{
	long long idx;
	size_t part;
	int last;

	if (p->failed)
		return p->err;
	do {
		part = n > (size_t)INT_MAX / 2 ? (size_t)INT_MAX / 2 : n;
		last = final && part == n;
		if (XML_Parse(p->x, buf, (int)part, last) ==
		    XML_STATUS_ERROR) {
			if (!p->failed)
				expat_fail(p, last);
			return p->err;
		}
		if (p->failed)
			return p->err;
		p->fed += (long long)part;
		/* expat holds an unfinished token in memory: refuse one
		 * that grows past its limit rather than buffer the file. */
		idx = (long long)XML_GetCurrentByteIndex(p->x);
		if (p->fed - (idx < 0 ? 0 : idx) > LIM_WXR_TOKEN_BYTES) {
			p->failed = 1;
			p->err = P_TOOBIG;
			p->err_line = (long)XML_GetCurrentLineNumber(p->x);
			p->err_col = (long)XML_GetCurrentColumnNumber(p->x) + 1;
			snprintf(p->msg, sizeof(p->msg), "one tag, comment or "
			    "declaration is longer than %d MB",
			    LIM_WXR_TOKEN_BYTES / (1024 * 1024));
			return p->err;
		}
		buf += part;
		n -= part;
	} while (n > 0);
	if (final && !p->seen_channel) {
		p->failed = 1;
		p->err = P_BADINPUT;
		p->err_line = (long)XML_GetCurrentLineNumber(p->x);
		p->err_col = 1;
		snprintf(p->msg, sizeof(p->msg), "not a WordPress export: "
		    "no <channel> in <rss>");
		return p->err;
	}
	return P_OK;
}

void
wxr_error(const struct wxr_parser *p, long *line, long *col,
    const char **msg)
{
	if (line)
		*line = p->err_line;
	if (col)
		*col = p->err_col;
	if (msg)
		*msg = p->msg[0] ? p->msg : perr_str(p->err);
}
