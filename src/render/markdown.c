/* markdown.c: md4c's parser driving our own HTML renderer, one per profile
 * (see markdown.h). Everything that reaches out is either a tag written
 * here, text escaped here, or (post profile only) the author's raw HTML.
 *
 * Invariants of the comment profile, which the fuzz target checks:
 *  - every tag opened is closed, properly nested; no <a> inside an <a>;
 *  - only p blockquote ul ol li pre code hr br em strong del a are made;
 *  - an href is emitted only after entity decoding and a scheme check;
 *  - output is valid UTF-8 (invalid bytes and NUL become U+FFFD). */
#include "markdown.h"
#include "esc.h"

#include "../base/str.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "../base/limits.h"

#define FLAGS_COMMENT (MD_FLAG_NOHTML | MD_FLAG_PERMISSIVEAUTOLINKS | \
	MD_FLAG_STRIKETHROUGH | MD_FLAG_NOINDENTEDCODEBLOCKS)
#define FLAGS_POST (MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | \
	MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS)
/* Excerpts recognise raw HTML so that it can be dropped. */
#define FLAGS_EXCERPT FLAGS_POST

/* Returned by our callbacks to stop md_parse(): an error was latched or
 * (excerpt) enough text was collected. Distinct from md4c's own -1. */
#define STOP 2

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* ---- UTF-8 and entities ------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s starts with an
 * invalid one (stray continuation, overlong, surrogate, > U+10FFFF,
 * truncated). NUL counts as invalid so it never reaches the output. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;

	if (n == 0 || s[0] == 0)
		return 0;
	return str_utf8_seq(s, n, &cp);
}

/* Encodes cp into out (4 bytes); code points HTML cannot carry (NUL,
 * surrogates, beyond U+10FFFF) become U+FFFD, as CommonMark asks. */
static size_t
utf8_put(uint32_t cp, char out[4])
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The named entities we decode. md4c hands over anything shaped like
 * &name; without knowing whether it exists; an entity missing here is shown
 * literally in text and makes a comment link refused, so this list only
 * needs what people type, plus every ASCII punctuation name that could
 * spell a URL scheme or separator (colon, Tab, NewLine, sol, ...). */
static const struct entity {
	const char *name;
	uint32_t cp;
} entities[] = {
	{ "AMP", '&' }, { "GT", '>' }, { "LT", '<' }, { "QUOT", '"' },
	{ "Tab", '\t' }, { "NewLine", '\n' }, { "Hat", '^' },
	{ "amp", '&' }, { "apos", '\'' }, { "ast", '*' }, { "bsol", '\\' },
	{ "colon", ':' }, { "comma", ',' }, { "commat", '@' },
	{ "dollar", '$' }, { "equals", '=' }, { "excl", '!' },
	{ "grave", '`' }, { "gt", '>' }, { "lcub", '{' }, { "lowbar", '_' },
	{ "lpar", '(' }, { "lsqb", '[' }, { "lt", '<' }, { "num", '#' },
	{ "percnt", '%' }, { "period", '.' }, { "plus", '+' },
	{ "quest", '?' }, { "quot", '"' }, { "rcub", '}' }, { "rpar", ')' },
	{ "rsqb", ']' }, { "semi", ';' }, { "sol", '/' }, { "verbar", '|' },
	{ "vert", '|' },
	{ "nbsp", 0xA0 }, { "iexcl", 0xA1 }, { "cent", 0xA2 },
	{ "pound", 0xA3 }, { "curren", 0xA4 }, { "yen", 0xA5 },
	{ "brvbar", 0xA6 }, { "sect", 0xA7 }, { "uml", 0xA8 },
	{ "copy", 0xA9 }, { "ordf", 0xAA }, { "laquo", 0xAB }, { "not", 0xAC },
	{ "shy", 0xAD }, { "reg", 0xAE }, { "macr", 0xAF }, { "deg", 0xB0 },
	{ "plusmn", 0xB1 }, { "sup2", 0xB2 }, { "sup3", 0xB3 },
	{ "acute", 0xB4 }, { "micro", 0xB5 }, { "para", 0xB6 },
	{ "middot", 0xB7 }, { "cedil", 0xB8 }, { "sup1", 0xB9 },
	{ "ordm", 0xBA }, { "raquo", 0xBB }, { "frac14", 0xBC },
	{ "frac12", 0xBD }, { "frac34", 0xBE }, { "iquest", 0xBF },
	{ "Agrave", 0xC0 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 },
	{ "Atilde", 0xC3 }, { "Auml", 0xC4 }, { "Aring", 0xC5 },
	{ "AElig", 0xC6 }, { "Ccedil", 0xC7 }, { "Egrave", 0xC8 },
	{ "Eacute", 0xC9 }, { "Ecirc", 0xCA }, { "Euml", 0xCB },
	{ "Iacute", 0xCD }, { "Ntilde", 0xD1 }, { "Oacute", 0xD3 },
	{ "Ocirc", 0xD4 }, { "Ouml", 0xD6 }, { "times", 0xD7 },
	{ "Oslash", 0xD8 }, { "Uacute", 0xDA }, { "Uuml", 0xDC },
	{ "szlig", 0xDF }, { "agrave", 0xE0 }, { "aacute", 0xE1 },
	{ "acirc", 0xE2 }, { "atilde", 0xE3 }, { "auml", 0xE4 },
	{ "aring", 0xE5 }, { "aelig", 0xE6 }, { "ccedil", 0xE7 },
	{ "egrave", 0xE8 }, { "eacute", 0xE9 }, { "ecirc", 0xEA },
	{ "euml", 0xEB }, { "igrave", 0xEC }, { "iacute", 0xED },
	{ "icirc", 0xEE }, { "iuml", 0xEF }, { "ntilde", 0xF1 },
	{ "ograve", 0xF2 }, { "oacute", 0xF3 }, { "ocirc", 0xF4 },
	{ "otilde", 0xF5 }, { "ouml", 0xF6 }, { "divide", 0xF7 },
	{ "oslash", 0xF8 }, { "ugrave", 0xF9 }, { "uacute", 0xFA },
	{ "ucirc", 0xFB }, { "uuml", 0xFC }, { "yuml", 0xFF },
	{ "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 },
	{ "zwnj", 0x200C }, { "zwj", 0x200D }, { "ndash", 0x2013 },
	{ "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "sbquo", 0x201A }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "bdquo", 0x201E }, { "dagger", 0x2020 }, { "Dagger", 0x2021 },
	{ "bull", 0x2022 }, { "hellip", 0x2026 }, { "permil", 0x2030 },
	{ "prime", 0x2032 }, { "Prime", 0x2033 }, { "lsaquo", 0x2039 },
	{ "rsaquo", 0x203A }, { "euro", 0x20AC }, { "trade", 0x2122 },
	{ "larr", 0x2190 }, { "uarr", 0x2191 }, { "rarr", 0x2192 },
	{ "darr", 0x2193 }, { "harr", 0x2194 }, { "minus", 0x2212 },
	{ "infin", 0x221E }, { "ne", 0x2260 }, { "le", 0x2264 },
	{ "ge", 0x2265 }, { "hearts", 0x2665 }, { "check", 0x2713 },
};

/* Decodes one entity as md4c delivers it ("&name;", "&#123;", "&#x7B;")
 * into out. Returns the byte length, or 0 for a named entity we do not
 * know (or anything not shaped like an entity). */
static size_t
entity_decode(const char *s, size_t n, char out[4])
{
	uint32_t cp = 0;
	size_t i, k;
	int hex, d;

	if (n < 3 || s[0] != '&' || s[n - 1] != ';')
		return 0;
	if (s[1] != '#') {
		for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
			if (strlen(entities[k].name) == n - 2 &&
			    memcmp(entities[k].name, s + 1, n - 2) == 0)
				return utf8_put(entities[k].cp, out);
		return 0;
	}
	hex = (s[2] == 'x' || s[2] == 'X');
	i = hex ? 3 : 2;
	if (i >= n - 1)
		return 0;
	for (; i < n - 1; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return 0;
		/* Saturate: anything past U+10FFFF is invalid anyway. */
		if (cp <= 0x10FFFF)
			cp = cp * (hex ? 16 : 10) + (uint32_t)d;
	}
	return utf8_put(cp, out);
}

/* Decodes an md4c attribute (href, src, title) into dst: entities
 * decoded, NUL as U+FFFD. P_BADINPUT if strict and a named entity is
 * unknown, since we then cannot tell what a browser would make of it. */
static enum perr
attr_decode(const MD_ATTRIBUTE *a, struct buf *dst, int strict)
{
	const char *s;
	size_t i, n, k;
	char u[4];
	enum perr e;

	buf_reset(dst);
	for (i = 0; a->substr_offsets[i] < a->size; i++) {
		s = a->text + a->substr_offsets[i];
		n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		switch (a->substr_types[i]) {
		case MD_TEXT_ENTITY:
			if ((k = entity_decode(s, n, u)) > 0)
				e = buf_add(dst, u, k);
			else if (strict)
				return P_BADINPUT;
			else
				e = buf_add(dst, s, n);
			break;
		case MD_TEXT_NULLCHAR:
			e = buf_puts(dst, REPLACEMENT);
			break;
		default:
			e = buf_add(dst, s, n);
			break;
		}
		if (e != P_OK)
			return e;
	}
	return P_OK;
}

/* 1 if a fenced block's language may go into class="language-x". */
static int
lang_ok(const MD_ATTRIBUTE *a)
{
	MD_SIZE i;
	char c;

	if (a->size == 0)
		return 0;
	for (i = 0; i < a->size; i++) {
		c = a->text[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

/* ---- the copy md4c parses ---------------------------------------------- */

/* md4c 0.4.8 reads past the end of its input on some documents ending in
 * "[](" (found by the fuzz target: valgrind shows 1-2 byte over-reads, and
 * ASan once caught a text callback reaching past the end). So md4c parses
 * a copy that ends in a newline, which CommonMark ignores and which stops
 * those reads, followed by zero bytes so that any other short over-read
 * stays in memory we own; text callbacks are clipped to the document. */
#define SRC_PAD 64

struct mdsrc {
	char *p;
	MD_SIZE n;
};

/* The caller frees s->p with free(). */
static enum perr
src_copy(struct mdsrc *s, const char *src, size_t n)
{
	size_t len = n;

	if (n > UINT_MAX - SRC_PAD - 1)
		return P_TOOBIG;
	if (n > 0 && src[n - 1] != '\n' && src[n - 1] != '\r')
		len++;
	if ((s->p = calloc(1, len + SRC_PAD)) == NULL)
		abort();
	if (n > 0)
		memcpy(s->p, src, n);
	if (len > n)
		s->p[n] = '\n';
	s->n = (MD_SIZE)len;
	return P_OK;
}

/* Shortens a text callback's range that starts inside the copy but runs
 * past its end. Other pointers (md4c's own strings) are left alone. */
static void
src_clip(const struct mdsrc *s, const MD_CHAR *t, MD_SIZE *n)
{
	uintptr_t beg = (uintptr_t)s->p, end = beg + s->n, at = (uintptr_t)t;

	if (at >= beg && at < end + SRC_PAD && at + *n > end)
		*n = at >= end ? 0 : (MD_SIZE)(end - at);
}

/* ---- the renderer ------------------------------------------------------ */

/* What leaving a span writes. */
enum { CL_NONE, CL_EM, CL_STRONG, CL_DEL, CL_CODE, CL_A, CL_IMG };

struct rend {
	const struct mdsrc *src;
	struct buf *out;  /* NULL: nothing written, links only counted */
	int comment;      /* MD_PROFILE_COMMENT rules */
	enum perr err;    /* first error; every callback then stops */
	size_t total;     /* bytes emitted by this render, even if counting */
	char last;        /* last byte emitted, for newlines between blocks */
	int nest;         /* open blockquotes and lists */
	int leaf;         /* open blocks holding inline content */
	int lazy_p;       /* we opened a <p> around a flattened item's text */
	int in_a;         /* an <a> we wrote is open */
	size_t a_start;   /* total right after that <a ...> tag */
	int alt;          /* post: inside <img alt="...": text only */
	struct buf spans; /* open spans, innermost last: type << 4 | CL_* */
	int nlinks;       /* <a> tags emitted */
	int nul_seen;     /* the last text callback was MD_TEXT_NULLCHAR */
	struct buf url;   /* decoded URL of the open <a> */
	struct buf tmp;   /* scratch for titles */
};

static int
emit(struct rend *r, const char *s, size_t n)
{
	if (r->err != P_OK)
		return -1;
	if (n == 0)
		return 0;
	r->total += n;
	r->last = s[n - 1];
	if (r->out != NULL && (r->err = buf_add(r->out, s, n)) != P_OK)
		return -1;
	return 0;
}

static int
emits(struct rend *r, const char *s)
{
	return emit(r, s, strlen(s));
}

static int
emit_uint(struct rend *r, unsigned v)
{
	char d[16];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && i > 0);
	return emit(r, d + i, sizeof(d) - i);
}

/* Starts a block on its own line. */
static int
cr(struct rend *r)
{
	if (r->total > 0 && r->last != '\n')
		return emit(r, "\n", 1);
	return 0;
}

/* Text or attribute value: escapes & < > " ' and replaces invalid UTF-8
 * and NUL with U+FFFD, so text can never make markup or break encoding. */
static int
emit_text(struct rend *r, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *rep;
	size_t i = 0, run = 0, k;

	if (n == 0)
		return 0;
	while (i < n) {
		rep = NULL;
		k = 1;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if ((k = utf8_seq(u + i, n - i)) == 0) {
				rep = REPLACEMENT;
				k = 1;
			}
			break;
		}
		if (rep == NULL) {
			i += k;
			continue;
		}
		if (emit(r, s + run, i - run) || emits(r, rep))
			return -1;
		i += k;
		run = i;
	}
	return emit(r, s + run, n - run);
}

/* A URL inside a quoted href/src: reserved and unreserved URL characters
 * stay, & becomes &amp;, everything else (quotes, < >, space, controls,
 * non-ASCII) is percent-encoded, so the value cannot end the attribute. */
static int
emit_url(struct rend *r, const char *s, size_t n)
{
	static const char keep[] = "-_.~!*(),%#@?=;:/+$[]";
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	char pct[3];
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != 0 && strchr(keep, c)))
			continue;
		if (emit(r, s + run, i - run))
			return -1;
		if (c == '&') {
			if (emits(r, "&amp;"))
				return -1;
		} else {
			pct[0] = '%';
			pct[1] = hex[c >> 4];
			pct[2] = hex[c & 15];
			if (emit(r, pct, 3))
				return -1;
		}
		run = i + 1;
	}
	return emit(r, s + run, n - run);
}

/* Leading and trailing spaces/controls go: browsers strip them anyway and
 * percent-encoded they would turn an absolute URL into a relative one. */
static void
url_trim(const char **s, size_t *n)
{
	while (*n > 0 && (unsigned char)(*s)[0] <= 0x20) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (unsigned char)(*s)[*n - 1] <= 0x20)
		(*n)--;
}

static int
emit_entity(struct rend *r, const char *s, size_t n)
{
	char u[4];
	size_t k;

	/* Unknown names are shown as typed: "&foo;" stays visible. */
	if ((k = entity_decode(s, n, u)) == 0)
		return emit_text(r, s, n);
	return emit_text(r, u, k);
}

static int
flattened(const struct rend *r)
{
	return r->comment && r->nest > LIM_MD_NESTING;
}

/* Inline content is about to appear. In a flattened tight list item it
 * would sit loose between blocks, so it gets a <p> of its own. */
static int
inline_start(struct rend *r)
{
	if (r->leaf > 0 || r->lazy_p || !flattened(r))
		return 0;
	r->lazy_p = 1;
	return cr(r) || emits(r, "<p>");
}

/* A block starts or ends: the <p> of inline_start() ends first. */
static int
lazy_p_close(struct rend *r)
{
	if (!r->lazy_p)
		return 0;
	r->lazy_p = 0;
	return emits(r, "</p>\n");
}

/* Opens <a> for a link, or for an image in a comment; returns 1 if it did,
 * 0 if the link renders as its text, -1 on error. Only one <a> is ever
 * open: md4c does nest autolinks and images inside link text, and nested
 * anchors are invalid HTML, so inner ones render as their text. */
static int
link_open(struct rend *r, const MD_ATTRIBUTE *href, const MD_ATTRIBUTE *title)
{
	const char *u;
	size_t n;

	if (r->in_a)
		return 0;
	if (attr_decode(href, &r->url, r->comment) != P_OK)
		return 0;
	u = r->url.data != NULL ? r->url.data : "";
	n = r->url.len;
	url_trim(&u, &n);
	if (r->comment && !esc_url_scheme_ok(u, n))
		return 0;
	if (emits(r, "<a href=\"") || emit_url(r, u, n) || emits(r, "\""))
		return -1;
	if (r->comment) {
		if (emits(r, " rel=\"nofollow ugc\""))
			return -1;
	} else if (title->size > 0) {
		if (attr_decode(title, &r->tmp, 0) != P_OK ||
		    emits(r, " title=\"") ||
		    emit_text(r, r->tmp.data, r->tmp.len) || emits(r, "\""))
			return -1;
	}
	if (emits(r, ">"))
		return -1;
	r->in_a = 1;
	r->a_start = r->total;
	r->nlinks++;
	return 1;
}

static int
link_close(struct rend *r)
{
	const char *u;
	size_t n;

	r->in_a = 0;
	/* An empty link would be an invisible one (a spam trick in
	 * comments); show where it goes instead. */
	if (r->total == r->a_start) {
		u = r->url.data != NULL ? r->url.data : "";
		n = r->url.len;
		url_trim(&u, &n);
		if (emit_text(r, u, n))
			return -1;
	}
	return emits(r, "</a>");
}

/* Post images: <img src="" alt="">, the alt text collected from the
 * image's own text with its markup dropped. */
static int
img_open(struct rend *r, const MD_SPAN_IMG_DETAIL *d)
{
	const char *u;
	size_t n;

	if (attr_decode(&d->src, &r->url, 0) != P_OK)
		return -1;
	u = r->url.data != NULL ? r->url.data : "";
	n = r->url.len;
	url_trim(&u, &n);
	if (emits(r, "<img src=\"") || emit_url(r, u, n) || emits(r, "\""))
		return -1;
	if (d->title.size > 0 &&
	    (attr_decode(&d->title, &r->tmp, 0) != P_OK ||
	    emits(r, " title=\"") ||
	    emit_text(r, r->tmp.data, r->tmp.len) || emits(r, "\"")))
		return -1;
	r->alt = 1;
	return emits(r, " alt=\"");
}

/* Writes what closes one entry of the span stack. */
static int
span_close(struct rend *r, unsigned char entry)
{
	switch (entry & 0x0F) {
	case CL_EM: return emits(r, "</em>");
	case CL_STRONG: return emits(r, "</strong>");
	case CL_DEL: return emits(r, "</del>");
	case CL_CODE: return emits(r, "</code>");
	case CL_A: return link_close(r);
	case CL_IMG:
		r->alt = 0;
		return emits(r, "\">");
	}
	return 0;
}

/* Closes every span still open; at the end of each leaf block, so even
 * a span md4c never leaves cannot outlive its paragraph. */
static int
spans_close_all(struct rend *r)
{
	while (r->spans.len > 0)
		if (span_close(r, (unsigned char)r->spans.data[--r->spans.len]))
			return -1;
	return 0;
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct rend *r = ud;
	const MD_BLOCK_CODE_DETAIL *code;
	const MD_BLOCK_TD_DETAIL *td;
	unsigned lvl, start;
	int rc = 0;

	if (spans_close_all(r) || lazy_p_close(r))
		return STOP;
	switch (type) {
	case MD_BLOCK_DOC:
		break;
	case MD_BLOCK_QUOTE:
		r->nest++;
		if (!flattened(r))
			rc = cr(r) || emits(r, "<blockquote>\n");
		break;
	case MD_BLOCK_UL:
		r->nest++;
		if (!flattened(r))
			rc = cr(r) || emits(r, "<ul>\n");
		break;
	case MD_BLOCK_OL:
		r->nest++;
		if (flattened(r))
			break;
		start = ((const MD_BLOCK_OL_DETAIL *)detail)->start;
		rc = cr(r);
		if (start == 1)
			rc = rc || emits(r, "<ol>\n");
		else
			rc = rc || emits(r, "<ol start=\"") ||
			    emit_uint(r, start) || emits(r, "\">\n");
		break;
	case MD_BLOCK_LI:
		if (!flattened(r))
			rc = cr(r) || emits(r, "<li>");
		break;
	case MD_BLOCK_HR:
		rc = cr(r) || emits(r, "<hr>\n");
		break;
	case MD_BLOCK_H:
		r->leaf++;
		if (r->comment) {
			rc = cr(r) || emits(r, "<p><strong>");
			break;
		}
		/* The page title is the h1. */
		lvl = ((const MD_BLOCK_H_DETAIL *)detail)->level;
		rc = cr(r) || emits(r, "<h") ||
		    emit_uint(r, lvl < 2 ? 2 : lvl) || emits(r, ">");
		break;
	case MD_BLOCK_CODE:
		r->leaf++;
		code = detail;
		rc = cr(r) || emits(r, "<pre><code");
		if (!rc && lang_ok(&code->lang))
			rc = emits(r, " class=\"language-") ||
			    emit(r, code->lang.text, code->lang.size) ||
			    emits(r, "\"");
		rc = rc || emits(r, ">");
		break;
	case MD_BLOCK_HTML:
		/* Post only; its MD_TEXT_HTML carries the bytes. */
		r->leaf++;
		break;
	case MD_BLOCK_P:
		r->leaf++;
		rc = cr(r) || emits(r, "<p>");
		break;
	case MD_BLOCK_TABLE:
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
	case MD_BLOCK_TR:
		/* Tables are off in comments; should md4c send one, its
		 * cells become plain text rather than unbalanced tags. */
		if (r->comment)
			break;
		rc = cr(r) || emits(r, type == MD_BLOCK_TABLE ? "<table>\n" :
		    type == MD_BLOCK_THEAD ? "<thead>\n" :
		    type == MD_BLOCK_TBODY ? "<tbody>\n" : "<tr>\n");
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		r->leaf++;
		if (r->comment)
			break;
		td = detail;
		rc = emits(r, type == MD_BLOCK_TH ? "<th" : "<td");
		/* align="" rather than style="": a CSP without
		 * 'unsafe-inline' styles would drop the latter. */
		if (!rc && td->align == MD_ALIGN_LEFT)
			rc = emits(r, " align=\"left\"");
		else if (!rc && td->align == MD_ALIGN_CENTER)
			rc = emits(r, " align=\"center\"");
		else if (!rc && td->align == MD_ALIGN_RIGHT)
			rc = emits(r, " align=\"right\"");
		rc = rc || emits(r, ">");
		break;
	}
	return rc ? STOP : 0;
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct rend *r = ud;
	unsigned lvl;
	int rc = 0;

	if (spans_close_all(r) || lazy_p_close(r))
		return STOP;
	switch (type) {
	case MD_BLOCK_DOC:
	case MD_BLOCK_HR:
		break;
	case MD_BLOCK_QUOTE:
		if (!flattened(r))
			rc = cr(r) || emits(r, "</blockquote>\n");
		r->nest--;
		break;
	case MD_BLOCK_UL:
		if (!flattened(r))
			rc = cr(r) || emits(r, "</ul>\n");
		r->nest--;
		break;
	case MD_BLOCK_OL:
		if (!flattened(r))
			rc = cr(r) || emits(r, "</ol>\n");
		r->nest--;
		break;
	case MD_BLOCK_LI:
		if (!flattened(r))
			rc = emits(r, "</li>\n");
		break;
	case MD_BLOCK_H:
		r->leaf--;
		if (r->comment) {
			rc = emits(r, "</strong></p>\n");
			break;
		}
		lvl = ((const MD_BLOCK_H_DETAIL *)detail)->level;
		rc = emits(r, "</h") || emit_uint(r, lvl < 2 ? 2 : lvl) ||
		    emits(r, ">\n");
		break;
	case MD_BLOCK_CODE:
		r->leaf--;
		rc = emits(r, "</code></pre>\n");
		break;
	case MD_BLOCK_HTML:
		r->leaf--;
		break;
	case MD_BLOCK_P:
		r->leaf--;
		rc = emits(r, "</p>\n");
		break;
	case MD_BLOCK_TABLE:
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
	case MD_BLOCK_TR:
		if (r->comment)
			break;
		rc = cr(r) || emits(r, type == MD_BLOCK_TABLE ? "</table>\n" :
		    type == MD_BLOCK_THEAD ? "</thead>\n" :
		    type == MD_BLOCK_TBODY ? "</tbody>\n" : "</tr>\n");
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		r->leaf--;
		if (r->comment)
			break;
		rc = emits(r, type == MD_BLOCK_TH ? "</th>\n" : "</td>\n");
		break;
	}
	return rc ? STOP : 0;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct rend *r = ud;
	const MD_SPAN_A_DETAIL *a;
	const MD_SPAN_IMG_DETAIL *img;
	int rc = 0, cl = CL_NONE;

	if (r->alt == 0 && inline_start(r))
		return STOP;
	if (r->alt == 0) {
		switch (type) {
		case MD_SPAN_EM:
			cl = CL_EM;
			rc = emits(r, "<em>");
			break;
		case MD_SPAN_STRONG:
			cl = CL_STRONG;
			rc = emits(r, "<strong>");
			break;
		case MD_SPAN_DEL:
			cl = CL_DEL;
			rc = emits(r, "<del>");
			break;
		case MD_SPAN_CODE:
			cl = CL_CODE;
			rc = emits(r, "<code>");
			break;
		case MD_SPAN_A:
			a = detail;
			if ((rc = link_open(r, &a->href, &a->title)) > 0)
				cl = CL_A;
			break;
		case MD_SPAN_IMG:
			img = detail;
			if (!r->comment) {
				cl = CL_IMG;
				rc = img_open(r, img);
			} else if ((rc = link_open(r, &img->src,
			    &img->title)) > 0)
				cl = CL_A;
			break;
		default:
			/* Extensions we do not enable render as text. */
			break;
		}
	}
	if (rc < 0)
		return STOP;
	if (buf_putc(&r->spans, (char)(((unsigned)type << 4) | cl)) != P_OK) {
		r->err = P_TOOBIG;
		return STOP;
	}
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct rend *r = ud;
	unsigned char top;

	/* md4c 0.4.8 can leave a span it never entered ("[](![)]()" leaves
	 * an IMG after its A): only the innermost open span may close. */
	if (r->spans.len == 0)
		return 0;
	top = (unsigned char)r->spans.data[r->spans.len - 1];
	if ((top >> 4) != (unsigned)type)
		return 0;
	r->spans.len--;
	return span_close(r, top) ? STOP : 0;
}

/* md4c 0.4.8 (md_text_with_null_replacement, used for code) reports a NUL
 * as MD_TEXT_NULLCHAR and then again as the first byte of the text that
 * follows. Drops that repeat so one NUL gives one U+FFFD. */
static void
nul_repeat(int *seen, MD_TEXTTYPE type, const MD_CHAR **s, MD_SIZE *n)
{
	if (*seen && type != MD_TEXT_NULLCHAR && *n > 0 && (*s)[0] == '\0') {
		(*s)++;
		(*n)--;
	}
	*seen = (type == MD_TEXT_NULLCHAR);
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct rend *r = ud;
	int rc;

	src_clip(r->src, s, &n);
	nul_repeat(&r->nul_seen, type, &s, &n);
	if (r->alt == 0 && inline_start(r))
		return STOP;
	switch (type) {
	case MD_TEXT_NULLCHAR:
		rc = emits(r, REPLACEMENT);
		break;
	case MD_TEXT_BR:
		rc = r->alt ? emits(r, " ") : emits(r, "<br>\n");
		break;
	case MD_TEXT_SOFTBR:
		rc = r->alt ? emits(r, " ") : emits(r, "\n");
		break;
	case MD_TEXT_ENTITY:
		rc = emit_entity(r, s, n);
		break;
	case MD_TEXT_HTML:
		/* The author's raw HTML, the one unescaped path. */
		if (!r->comment && r->alt == 0)
			rc = emit(r, s, n);
		else
			rc = emit_text(r, s, n);
		break;
	default:
		rc = emit_text(r, s, n);
		break;
	}
	return rc ? STOP : 0;
}

/* Runs one render; out may be NULL to count links only. */
static enum perr
render(enum md_profile prof, const char *src, size_t n, struct buf *out,
    int *nlinks)
{
	MD_PARSER p;
	struct mdsrc copy;
	struct rend r;
	size_t start = out != NULL ? out->len : 0;
	enum perr e;
	int rc;

	if ((e = src_copy(&copy, src, n)) != P_OK)
		return e;
	memset(&r, 0, sizeof(r));
	r.src = &copy;
	r.out = out;
	r.comment = (prof == MD_PROFILE_COMMENT);
	r.err = P_OK;
	buf_init(&r.url, 0);
	buf_init(&r.tmp, 0);
	buf_init(&r.spans, 0);
	memset(&p, 0, sizeof(p));
	p.flags = r.comment ? FLAGS_COMMENT : FLAGS_POST;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text;
	rc = md_parse(copy.p, copy.n, &p, &r);
	if (r.err != P_OK)
		e = r.err;
	else if (rc != 0)
		e = P_BADINPUT;
	else
		e = P_OK;
	/* Half a document is unbalanced HTML: take it all back. */
	if (e != P_OK && out != NULL && out->data != NULL) {
		out->len = start;
		out->data[start] = '\0';
	}
	if (nlinks != NULL)
		*nlinks = r.nlinks;
	buf_free(&r.url);
	buf_free(&r.tmp);
	buf_free(&r.spans);
	free(copy.p);
	return e;
}

enum perr
md_render(enum md_profile prof, const char *src, size_t n, struct buf *out)
{
	return render(prof, src, n, out, NULL);
}

/* Runs the comment renderer without output, so the count matches what
 * md_render shows exactly (refused and nested links are not counted). If
 * the source cannot be parsed at all the answer is INT_MAX: moderation
 * should hold such a comment, not wave it through. */
int
md_count_links(const char *src, size_t n)
{
	int nlinks = 0;

	if (render(MD_PROFILE_COMMENT, src, n, NULL, &nlinks) != P_OK)
		return INT_MAX;
	return nlinks;
}

/* ---- excerpts ---------------------------------------------------------- */

struct excerpt {
	const struct mdsrc *src;
	struct buf text;  /* collapsed text: valid UTF-8, no edge spaces */
	size_t stop;      /* stop parsing once text.len exceeds this */
	int space;        /* whitespace seen since the last byte added */
	int nul_seen;     /* see nul_repeat() */
};

/* Appends s with whitespace runs collapsed to one space (added lazily, so
 * text never ends in one) and invalid UTF-8 replaced. STOP when full. */
static int
ex_add(struct excerpt *x, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (x->text.len > x->stop)
			return STOP;
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f' || s[i] == '\v') {
			x->space = 1;
			i++;
			continue;
		}
		if (x->space && x->text.len > 0 &&
		    buf_putc(&x->text, ' ') != P_OK)
			return STOP;
		x->space = 0;
		if ((k = utf8_seq(u + i, n - i)) == 0) {
			if (buf_puts(&x->text, REPLACEMENT) != P_OK)
				return STOP;
			i++;
			continue;
		}
		if (buf_add(&x->text, s + i, k) != P_OK)
			return STOP;
		i += k;
	}
	return x->text.len > x->stop ? STOP : 0;
}

static int
ex_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct excerpt *x = ud;

	x->space = 1;
	return 0;
}

static int
ex_span(MD_SPANTYPE type, void *detail, void *ud)
{
	return 0;
}

static int
ex_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct excerpt *x = ud;
	char u[4];
	size_t k;

	src_clip(x->src, s, &n);
	nul_repeat(&x->nul_seen, type, &s, &n);
	switch (type) {
	case MD_TEXT_HTML:
		return 0;
	case MD_TEXT_BR:
	case MD_TEXT_SOFTBR:
		x->space = 1;
		return 0;
	case MD_TEXT_NULLCHAR:
		return ex_add(x, REPLACEMENT, 3);
	case MD_TEXT_ENTITY:
		if ((k = entity_decode(s, n, u)) > 0)
			return ex_add(x, u, k);
		return ex_add(x, s, n);
	default:
		return ex_add(x, s, n);
	}
}

/* max bounds the text; "…" (3 bytes) follows when it was cut. Collection
 * stops just past max so a long document costs no more than a short one
 * beyond md4c's own parse. */
static enum perr
excerpt(unsigned flags, const char *src, size_t n, size_t max,
    struct buf *out)
{
	MD_PARSER p;
	struct mdsrc copy;
	struct excerpt x;
	const char *t;
	size_t cut, i, start = out->len;
	enum perr e = P_OK;
	int rc;

	if ((e = src_copy(&copy, src, n)) != P_OK)
		return e;
	memset(&x, 0, sizeof(x));
	x.src = &copy;
	buf_init(&x.text, 0);
	x.stop = max;
	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.enter_block = ex_block;
	p.leave_block = ex_block;
	p.enter_span = ex_span;
	p.leave_span = ex_span;
	p.text = ex_text;
	rc = md_parse(copy.p, copy.n, &p, &x);
	if (rc != 0 && rc != STOP) {
		e = P_BADINPUT;
		goto out;
	}
	t = x.text.data;
	if (x.text.len <= max) {
		if (x.text.len > 0)
			e = buf_add(out, t, x.text.len);
		goto out;
	}
	/* Cut at the last space at or before max; a single word longer
	 * than max is cut at max, backed off to a character boundary. */
	cut = max;
	if (t[cut] != ' ') {
		for (i = cut; i > 0 && t[i - 1] != ' '; i--)
			;
		if (i > 0)
			cut = i - 1;
		else
			while (cut > 0 &&
			    ((unsigned char)t[cut] & 0xC0) == 0x80)
				cut--;
	}
	if (cut > 0 && t[cut - 1] == ' ')
		cut--;
	if ((e = buf_add(out, t, cut)) == P_OK &&
	    (e = buf_puts(out, "\xE2\x80\xA6")) != P_OK && out->data != NULL) {
		out->len = start;
		out->data[start] = '\0';
	}
out:
	buf_free(&x.text);
	free(copy.p);
	return e;
}

enum perr
md_excerpt(const char *src, size_t n, size_t max, struct buf *out)
{
	return excerpt(FLAGS_EXCERPT, src, n, max, out);
}

/* A comment's raw HTML is text on its page, so it is text here too. */
enum perr
md_plain_text(enum md_profile prof, const char *src, size_t n,
    struct buf *out)
{
	/* Plain text is never longer than its source plus the replacement
	 * characters for bad bytes, so this bound never cuts. */
	return excerpt(prof == MD_PROFILE_COMMENT ? FLAGS_COMMENT :
	    FLAGS_POST, src, n, SIZE_MAX / 4, out);
}
