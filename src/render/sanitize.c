/* sanitize.c: untrusted HTML through libgumbo's HTML5 parser to the
 * comment allowlist, and HTML to plain text (contract in sanitize.h).
 *
 * The parse tree is walked without recursion (an explicit stack), so a
 * deep document cannot exhaust the C stack; gumbo's own cost grows with
 * the square of nesting depth, which is why the input is capped first.
 * Every tag written here is one of a fixed set of literals; every text
 * and attribute value goes through an escaper that also repairs UTF-8. */
#include "sanitize.h"

#include <gumbo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/limits.h"
#include "../base/str.h"
#include "esc.h"
#include "wpautop.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Length of the valid UTF-8 sequence at s, or 0 (NUL counts as invalid). */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;

	if (n == 0 || s[0] == 0)
		return 0;
	return str_utf8_seq(s, n, &cp);
}

/* Text (also safe in a quoted attribute): & < > " ' escaped, invalid
 * UTF-8 and NUL replaced by U+FFFD, other C0 controls but tab/LF/CR
 * and DEL dropped (what str_valid_text calls text). */
static enum perr
put_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *rep;
	size_t i = 0, run = 0, k;
	enum perr e;

	while (i < n) {
		rep = NULL;
		k = 1;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\t': case '\n': case '\r': break;
		default:
			if ((u[i] < 0x20 && u[i] != 0) || u[i] == 0x7f)
				rep = "";
			else if ((k = utf8_seq(u + i, n - i)) == 0) {
				rep = REPLACEMENT;
				k = 1;
			}
			break;
		}
		if (rep == NULL) {
			i += k;
			continue;
		}
		if ((e = buf_add(b, s + run, i - run)) != P_OK ||
		    (e = buf_puts(b, rep)) != P_OK)
			return e;
		i += k;
		run = i;
	}
	return buf_add(b, s + run, n - run);
}

/* A checked URL inside a quoted href: URL characters stay, & becomes
 * &amp;, everything else (quotes, < >, spaces, controls, non-ASCII) is
 * percent-encoded, so the value can neither end the attribute nor hide a
 * different scheme. Same rule as render/markdown.c's links. */
static enum perr
put_url(struct buf *b, const char *s, size_t n)
{
	static const char keep[] = "-_.~!*(),%#@?=;:/+$[]";
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t i;
	enum perr e = P_OK;

	for (i = 0; i < n && e == P_OK; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != 0 && strchr(keep, c)))
			e = buf_putc(b, (char)c);
		else if (c == '&')
			e = buf_puts(b, "&amp;");
		else {
			char pct[3] = { '%', hex[c >> 4], hex[c & 15] };
			e = buf_add(b, pct, 3);
		}
	}
	return e;
}

/* href/src value trimmed as browsers trim it, if its scheme is allowed;
 * NULL otherwise. */
static const char *
url_ok(const char *v, size_t *n)
{
	size_t len = strlen(v);

	while (len > 0 && (unsigned char)v[0] <= 0x20) {
		v++;
		len--;
	}
	while (len > 0 && (unsigned char)v[len - 1] <= 0x20)
		len--;
	if (len == 0 || !esc_url_scheme_ok(v, len))
		return NULL;
	*n = len;
	return v;
}

static const char *
attr(const GumboElement *el, const char *name)
{
	GumboAttribute *a = gumbo_get_attribute(&el->attributes, name);

	return a ? a->value : NULL;
}

/* What an element becomes. */
enum act {
	A_UNWRAP,   /* children only */
	A_DROP,     /* nothing, not even its text */
	A_TAG,      /* open and close literals, no attributes */
	A_VOID,     /* open literal alone (hr, br) */
	A_LINK,     /* <a href rel> if the href is allowed */
	A_OL,       /* <ol> with a numeric start kept */
	A_IMG,      /* a link to the image, named by its alt text */
};

struct rule {
	enum act act;
	const char *open, *close;
};

#define TAG(o, c) (struct rule){ A_TAG, o, c }

static struct rule
classify(const GumboElement *el)
{
	if (el->tag_namespace != GUMBO_NAMESPACE_HTML)
		return (struct rule){ A_DROP, NULL, NULL }; /* svg, math */
	switch (el->tag) {
	case GUMBO_TAG_P: return TAG("<p>", "</p>");
	case GUMBO_TAG_BLOCKQUOTE: return TAG("<blockquote>", "</blockquote>");
	case GUMBO_TAG_UL: return TAG("<ul>", "</ul>");
	case GUMBO_TAG_OL: return (struct rule){ A_OL, "<ol>", "</ol>" };
	case GUMBO_TAG_LI: return TAG("<li>", "</li>");
	case GUMBO_TAG_PRE: return TAG("<pre>", "</pre>");
	case GUMBO_TAG_CODE: case GUMBO_TAG_KBD: case GUMBO_TAG_SAMP:
	case GUMBO_TAG_TT:
		return TAG("<code>", "</code>");
	case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_CITE:
	case GUMBO_TAG_VAR: case GUMBO_TAG_DFN:
		return TAG("<em>", "</em>");
	case GUMBO_TAG_STRONG: case GUMBO_TAG_B:
		return TAG("<strong>", "</strong>");
	case GUMBO_TAG_DEL: case GUMBO_TAG_S: case GUMBO_TAG_STRIKE:
		return TAG("<del>", "</del>");
	/* Headings become bold paragraphs, as in Markdown comments. */
	case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
	case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
		return TAG("<p><strong>", "</strong></p>");
	case GUMBO_TAG_HR: return (struct rule){ A_VOID, "<hr>", NULL };
	case GUMBO_TAG_BR: return (struct rule){ A_VOID, "<br>", NULL };
	case GUMBO_TAG_A: return (struct rule){ A_LINK, NULL, "</a>" };
	case GUMBO_TAG_IMG: return (struct rule){ A_IMG, NULL, NULL };
	case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
	case GUMBO_TAG_APPLET: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_NOEMBED:
	case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_SELECT: case GUMBO_TAG_TITLE: case GUMBO_TAG_XMP:
	case GUMBO_TAG_FRAMESET: case GUMBO_TAG_FRAME: case GUMBO_TAG_HEAD:
	case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_BASE:
	case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK:
	case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_CANVAS:
	case GUMBO_TAG_INPUT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
	case GUMBO_TAG_MAP: case GUMBO_TAG_AREA:
		return (struct rule){ A_DROP, NULL, NULL };
	default:
		return (struct rule){ A_UNWRAP, NULL, NULL };
	}
}

/* One element on the walk, and what to write when its children are done. */
struct frame {
	const GumboNode *node;
	unsigned next;     /* next child to visit */
	const char *close; /* close literal, or NULL */
	int counted;       /* counts toward the nesting cap */
	int link;          /* this frame opened the <a> */
};

struct walk {
	struct frame *st;
	size_t n, cap;
};

static void
push(struct walk *w, const GumboNode *node)
{
	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 64;
		struct frame *p;

		if (ncap > SIZE_MAX / sizeof(*p) ||
		    (p = realloc(w->st, ncap * sizeof(*p))) == NULL)
			abort(); /* small, internal */
		w->st = p;
		w->cap = ncap;
	}
	memset(&w->st[w->n], 0, sizeof(w->st[w->n]));
	w->st[w->n].node = node;
	w->n++;
}

/* A link (from <a href> or <img src>) opened; the caller writes the text
 * and, for <a>, the close. */
static enum perr
open_link(struct buf *b, const char *u, size_t n)
{
	enum perr e;

	if ((e = buf_puts(b, "<a href=\"")) != P_OK ||
	    (e = put_url(b, u, n)) != P_OK)
		return e;
	return buf_puts(b, "\" rel=\"nofollow ugc\">");
}

/* Writes what comes before the element's children into b and fills f
 * (close literal, counted, link); *skip = 1 if its children are not to be
 * visited. depth = counted elements open; in_a = an <a> is open. */
static enum perr
open_el(struct buf *b, const GumboElement *el, int depth, int in_a,
    struct frame *f, int *skip)
{
	struct rule r = classify(el);
	const char *v, *u;
	long long start;
	size_t n;
	enum perr e;

	*skip = 0;
	switch (r.act) {
	case A_DROP:
		*skip = 1;
		return P_OK;
	case A_VOID:
		*skip = 1;
		return buf_puts(b, r.open);
	case A_IMG:
		*skip = 1;
		v = attr(el, "src");
		if (in_a || depth >= LIM_SANITIZE_NESTING || v == NULL ||
		    (u = url_ok(v, &n)) == NULL) {
			v = attr(el, "alt");
			return v ? put_text(b, v, strlen(v)) : P_OK;
		}
		if ((e = open_link(b, u, n)) != P_OK)
			return e;
		v = attr(el, "alt");
		e = v && *v ? put_text(b, v, strlen(v)) : put_text(b, u, n);
		return e != P_OK ? e : buf_puts(b, "</a>");
	case A_UNWRAP:
		return P_OK;
	default:
		break;
	}
	if (depth >= LIM_SANITIZE_NESTING)
		return P_OK; /* flattened: text only */
	if (r.act == A_LINK) {
		if (in_a || (v = attr(el, "href")) == NULL ||
		    (u = url_ok(v, &n)) == NULL)
			return P_OK; /* the link becomes its text */
		f->close = r.close;
		f->counted = f->link = 1;
		return open_link(b, u, n);
	}
	f->close = r.close;
	f->counted = 1;
	if (r.act == A_OL && (v = attr(el, "start")) != NULL &&
	    str_toint(v, -999999999, 999999999, &start) == P_OK)
		return buf_printf(b, "<ol start=\"%lld\">", start);
	return buf_puts(b, r.open);
}

static GumboOutput *
parse_fragment(const char *html, size_t n, GumboOptions *o)
{
	*o = kGumboDefaultOptions;
	o->fragment_context = GUMBO_TAG_DIV;
	o->fragment_namespace = GUMBO_NAMESPACE_HTML;
	o->max_errors = 0; /* we never read them; do not collect them */
	return gumbo_parse_with_options(o, html, n);
}

/* Too large or too many tags for the parser: paragraphs of text. */
static int
too_much(const char *html, size_t n)
{
	size_t i, tags = 0;

	if (n > LIM_SANITIZE_BYTES)
		return 1;
	for (i = 0; i < n; i++)
		if (html[i] == '<' && ++tags > LIM_SANITIZE_TAGS)
			return 1;
	return 0;
}

static enum perr
as_text(const char *s, size_t n, struct buf *b)
{
	size_t i = 0, j;
	enum perr e = P_OK;

	while (i < n && e == P_OK) {
		/* paragraphs split at blank lines */
		for (j = i; j < n; j++)
			if (s[j] == '\n' && j + 1 < n && s[j + 1] == '\n')
				break;
		while (i < j && (s[i] == '\n' || s[i] == ' ' || s[i] == '\r'))
			i++;
		if (i < j) {
			if ((e = buf_puts(b, "<p>")) == P_OK &&
			    (e = put_text(b, s + i, j - i)) == P_OK)
				e = buf_puts(b, "</p>\n");
		}
		i = j + 2;
	}
	return e;
}

static enum perr
sanitize(const char *html, size_t n, struct buf *b)
{
	GumboOptions o;
	GumboOutput *out;
	struct walk w = { 0 };
	int depth = 0, in_a = 0, skip;
	enum perr e = P_OK;

	if (too_much(html, n))
		return as_text(html, n, b);
	if ((out = parse_fragment(html, n, &o)) == NULL)
		abort(); /* gumbo returns NULL only when out of memory */
	push(&w, out->root); /* <html>: its children are the fragment */
	while (w.n > 0 && e == P_OK) {
		struct frame *f = &w.st[w.n - 1];
		const GumboVector *ch = &f->node->v.element.children;
		const GumboNode *c;

		if (f->next >= ch->length) {
			if (f->close)
				e = buf_puts(b, f->close);
			depth -= f->counted;
			if (f->link)
				in_a = 0;
			w.n--;
			continue;
		}
		c = ch->data[f->next++];
		switch (c->type) {
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_WHITESPACE:
		case GUMBO_NODE_CDATA:
			e = put_text(b, c->v.text.text, strlen(c->v.text.text));
			break;
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE: {
			struct frame nf = { 0 };

			e = open_el(b, &c->v.element, depth, in_a, &nf, &skip);
			if (e != P_OK || skip)
				break;
			push(&w, c);
			f = &w.st[w.n - 1];
			f->close = nf.close;
			f->counted = nf.counted;
			f->link = nf.link;
			depth += nf.counted;
			if (nf.link)
				in_a = 1;
			break;
		}
		default: /* comments, the document node */
			break;
		}
	}
	free(w.st);
	gumbo_destroy_output(&o, out);
	return e;
}

enum perr
html_sanitize_comment(const char *html, size_t n, struct buf *out)
{
	size_t mark = out->len;
	enum perr e = sanitize(html, n, out);

	if (e != P_OK) {
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
	}
	return e;
}

enum perr
wp_comment_html(const char *src, size_t n, struct buf *out)
{
	struct buf tmp;
	enum perr e;

	buf_init(&tmp, 0);
	if ((e = wp_autop(src, n, &tmp)) == P_OK)
		e = html_sanitize_comment(tmp.data ? tmp.data : "", tmp.len,
		    out);
	buf_free(&tmp);
	return e;
}

/* ---- plain text ---------------------------------------------------------- */

/* Elements whose text is not part of what a reader reads as the body. */
static int
text_skipped(const GumboElement *el)
{
	if (el->tag_namespace != GUMBO_NAMESPACE_HTML)
		return 1;
	switch (el->tag) {
	case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
	case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SELECT: case GUMBO_TAG_TITLE:
	case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HEAD:
		return 1;
	default:
		return 0;
	}
}

/* Elements that do not end a run of text (no space after them). */
static int
is_inline(const GumboElement *el)
{
	switch (el->tag) {
	case GUMBO_TAG_A: case GUMBO_TAG_ABBR: case GUMBO_TAG_B:
	case GUMBO_TAG_BDI: case GUMBO_TAG_BDO: case GUMBO_TAG_CITE:
	case GUMBO_TAG_CODE: case GUMBO_TAG_DATA: case GUMBO_TAG_DFN:
	case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_KBD:
	case GUMBO_TAG_MARK: case GUMBO_TAG_Q: case GUMBO_TAG_S:
	case GUMBO_TAG_SAMP: case GUMBO_TAG_SMALL: case GUMBO_TAG_SPAN:
	case GUMBO_TAG_STRONG: case GUMBO_TAG_SUB: case GUMBO_TAG_SUP:
	case GUMBO_TAG_TIME: case GUMBO_TAG_U: case GUMBO_TAG_VAR:
	case GUMBO_TAG_DEL: case GUMBO_TAG_INS: case GUMBO_TAG_STRIKE:
	case GUMBO_TAG_TT: case GUMBO_TAG_FONT: case GUMBO_TAG_BIG:
		return 1;
	default:
		return 0;
	}
}

/* Appends s to t with whitespace runs collapsed to one space (*sp: the
 * last byte written was a space or nothing was written yet). */
static enum perr
collapse(struct buf *t, const char *s, size_t n, int *sp)
{
	size_t i;
	enum perr e = P_OK;

	for (i = 0; i < n && e == P_OK; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f') {
			if (!*sp)
				e = buf_putc(t, ' ');
			*sp = 1;
		} else {
			e = buf_putc(t, (char)c);
			*sp = 0;
		}
	}
	return e;
}

enum perr
html_excerpt(const char *html, size_t n, size_t max, struct buf *out)
{
	GumboOptions o;
	GumboOutput *go;
	struct walk w = { 0 };
	struct buf t;
	size_t cut, mark = out->len;
	int sp = 1;
	enum perr e = P_OK;

	buf_init(&t, 0);
	if (n > LIM_SANITIZE_BYTES * 16)
		n = LIM_SANITIZE_BYTES * 16; /* an excerpt needs the start */
	if ((go = parse_fragment(html, n, &o)) == NULL)
		abort();
	push(&w, go->root);
	/* Stop early once there is enough text. */
	while (w.n > 0 && e == P_OK && t.len <= max + 8) {
		struct frame *f = &w.st[w.n - 1];
		const GumboVector *ch = &f->node->v.element.children;
		const GumboNode *c;

		if (f->next >= ch->length) {
			if (!is_inline(&f->node->v.element))
				e = collapse(&t, " ", 1, &sp); /* block ends */
			w.n--;
			continue;
		}
		c = ch->data[f->next++];
		if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA ||
		    c->type == GUMBO_NODE_WHITESPACE)
			e = collapse(&t, c->v.text.text, strlen(c->v.text.text),
			    &sp);
		else if ((c->type == GUMBO_NODE_ELEMENT ||
		    c->type == GUMBO_NODE_TEMPLATE) &&
		    !text_skipped(&c->v.element)) {
			if (c->v.element.tag == GUMBO_TAG_BR)
				e = collapse(&t, " ", 1, &sp);
			push(&w, c);
		}
	}
	free(w.st);
	gumbo_destroy_output(&o, go);
	/* trim the trailing space */
	while (t.len > 0 && t.data[t.len - 1] == ' ')
		t.len--;
	if (e == P_OK && t.len <= max) {
		e = t.len ? buf_add(out, t.data, t.len) : P_OK;
	} else if (e == P_OK) {
		/* cut at the last space at or before max, else on a UTF-8
		 * boundary at max */
		cut = max;
		while (cut > 0 && t.data[cut] != ' ')
			cut--;
		if (cut == 0) {
			cut = max;
			while (cut > 0 && ((unsigned char)t.data[cut] & 0xC0) ==
			    0x80)
				cut--;
		}
		while (cut > 0 && t.data[cut - 1] == ' ')
			cut--;
		if ((e = buf_add(out, t.data, cut)) == P_OK)
			e = buf_puts(out, "\xE2\x80\xA6");
	}
	buf_free(&t);
	if (e != P_OK) {
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
	}
	return e;
}
