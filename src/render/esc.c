/* esc.c: context escapers (contract in esc.h).
 *
 * Every escaper is all-or-nothing: when the buf's maximum is hit it is
 * rewound to its length on entry, so a caller that goes on after P_TOOBIG
 * never emits half an entity or half a URL. Unescaped bytes are copied in
 * runs, one buf_add per run, because most text needs no escaping. */
#include "esc.h"

#include "../base/str.h"

#include <stdint.h>
#include <string.h>

static const char hexup[] = "0123456789ABCDEF";
static const char hexlo[] = "0123456789abcdef";

static void
rewind_to(struct buf *b, size_t mark)
{
	b->len = mark;
	if (b->data)
		b->data[mark] = '\0';
}

static const char *
html_entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	}
	return NULL;
}

/* Quotes are escaped too, so the same output is safe in text and in a
 * quoted attribute (httpd's escape_html leaves them, an XSS in attributes).
 * Other bytes, invalid UTF-8 included, pass: none of them opens markup. */
enum perr
esc_html_text(struct buf *b, const char *s, size_t n)
{
	/* The five bytes html_entity() replaces; the scan tests one table
	 * entry per byte instead of calling it for every byte. */
	static const unsigned char special[256] = {
		['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
	};
	const unsigned char *u = (const unsigned char *)s;
	size_t mark = b->len, i, run = 0;
	enum perr e = P_OK;

	if (n == 0)
		return P_OK;
	for (i = 0; i < n; i++) {
		if (!special[u[i]])
			continue;
		if ((e = buf_add(b, s + run, i - run)) != P_OK ||
		    (e = buf_puts(b, html_entity(u[i]))) != P_OK)
			goto out;
		run = i + 1;
	}
	e = buf_add(b, s + run, n - run);
out:
	if (e != P_OK)
		rewind_to(b, mark);
	return e;
}

enum perr
esc_html_attr(struct buf *b, const char *s, size_t n)
{
	return esc_html_text(b, s, n);
}

static int
ascii_ieq(const char *s, size_t n, const char *lower)
{
	size_t i;
	unsigned char c;

	if (strlen(lower) != n)
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)lower[i])
			return 0;
	}
	return 1;
}

/* Browsers drop leading C0 controls and spaces, and tab/CR/LF anywhere,
 * before they look for a scheme. We skip the leading ones the same way but
 * then demand an exact scheme, so "java\tscript:" (which a browser reads
 * as javascript:) and any other oddity in the scheme is refused. A ':'
 * after the first '/', '?' or '#' is not a scheme separator for anyone,
 * which keeps "/a:b" and "?q=a:b" relative. */
int
esc_url_scheme_ok(const char *s, size_t n)
{
	size_t i = 0, start;

	while (i < n && (unsigned char)s[i] <= 0x20)
		i++;
	start = i;
	for (; i < n; i++) {
		if (s[i] == ':')
			break;
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			return 1;
	}
	if (i == n)
		return 1;
	return ascii_ieq(s + start, i - start, "http") ||
	    ascii_ieq(s + start, i - start, "https") ||
	    ascii_ieq(s + start, i - start, "mailto");
}

/* Nothing is decoded or stripped from the URL written: the check above is
 * about what a browser will make of it, and the attribute escaping keeps
 * entity-spelled schemes ("&#106;avascript:") literal text. */
enum perr
esc_url_attr(struct buf *b, const char *s, size_t n)
{
	if (!esc_url_scheme_ok(s, n))
		return buf_putc(b, '#');
	return esc_html_attr(b, s, n);
}

static int
url_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

enum perr
esc_url_component(struct buf *b, const char *s, size_t n)
{
	size_t mark = b->len, i, run = 0;
	unsigned char c;
	char pct[3];
	enum perr e = P_OK;

	if (n == 0)
		return P_OK;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (url_unreserved(c))
			continue;
		pct[0] = '%';
		pct[1] = hexup[c >> 4];
		pct[2] = hexup[c & 0xF];
		if ((e = buf_add(b, s + run, i - run)) != P_OK ||
		    (e = buf_add(b, pct, 3)) != P_OK)
			goto out;
		run = i + 1;
	}
	e = buf_add(b, s + run, n - run);
out:
	if (e != P_OK)
		rewind_to(b, mark);
	return e;
}

/* A feed with one byte that is not an XML 1.0 Char is rejected whole by
 * readers, so: C0 controls other than tab/LF/CR are dropped, U+FFFE and
 * U+FFFF are dropped, and invalid UTF-8 bytes become U+FFFD (one per byte). */
enum perr
esc_xml_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t mark = b->len, i = 0, run = 0, k;
	const char *rep;
	uint32_t cp;
	enum perr e = P_OK;

	if (n == 0)
		return P_OK;
	while (i < n) {
		rep = NULL;
		k = 1;
		switch (p[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&apos;";
			break;
		case '\t':
		case '\n':
		case '\r':
			break;
		default:
			if (p[i] < 0x20)
				rep = "";
			else if (p[i] >= 0x80) {
				if ((k = str_utf8_seq(p + i, n - i, &cp)) == 0) {
					rep = "\xEF\xBF\xBD";
					k = 1;
				} else if (cp == 0xFFFE || cp == 0xFFFF)
					rep = "";
			}
			break;
		}
		if (rep == NULL) {
			i += k;
			continue;
		}
		if ((e = buf_add(b, s + run, i - run)) != P_OK ||
		    (e = buf_puts(b, rep)) != P_OK)
			goto out;
		i += k;
		run = i;
	}
	e = buf_add(b, s + run, n - run);
out:
	if (e != P_OK)
		rewind_to(b, mark);
	return e;
}

/* Safe both as JSON and inside <script>: no '<', '>', '&' or '/' appear
 * raw, so neither "</script>" nor "<!--" can be formed; U+2028/U+2029 are
 * escaped for pre-ES2019 parsers. Controls use \u00XX throughout. */
enum perr
esc_json_str(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t mark = b->len, i = 0, run = 0, k;
	const char *rep;
	char u[7];
	uint32_t cp;
	enum perr e;

	if ((e = buf_putc(b, '"')) != P_OK)
		goto out;
	while (i < n) {
		rep = NULL;
		k = 1;
		switch (p[i]) {
		case '"':
			rep = "\\\"";
			break;
		case '\\':
			rep = "\\\\";
			break;
		case '/':
			rep = "\\/";
			break;
		case '<':
			rep = "\\u003c";
			break;
		case '>':
			rep = "\\u003e";
			break;
		case '&':
			rep = "\\u0026";
			break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7F) {
				u[0] = '\\';
				u[1] = 'u';
				u[2] = '0';
				u[3] = '0';
				u[4] = hexlo[p[i] >> 4];
				u[5] = hexlo[p[i] & 0xF];
				u[6] = '\0';
				rep = u;
			} else if (p[i] >= 0x80) {
				if ((k = str_utf8_seq(p + i, n - i, &cp)) == 0) {
					rep = "\\ufffd";
					k = 1;
				} else if (cp == 0x2028)
					rep = "\\u2028";
				else if (cp == 0x2029)
					rep = "\\u2029";
			}
			break;
		}
		if (rep == NULL) {
			i += k;
			continue;
		}
		if ((e = buf_add(b, s + run, i - run)) != P_OK ||
		    (e = buf_puts(b, rep)) != P_OK)
			goto out;
		i += k;
		run = i;
	}
	if (n > 0 && (e = buf_add(b, s + run, n - run)) != P_OK)
		goto out;
	e = buf_putc(b, '"');
out:
	if (e != P_OK)
		rewind_to(b, mark);
	return e;
}

struct html_trusted
esc_html_marked(struct arena *a, const char *s)
{
	struct buf b;
	struct html_trusted out;
	const char *run = s, *p;
	int open = 0;

	buf_init(&b, 0);
	for (p = s;; p++) {
		if (*p != ESC_MARK_ON && *p != ESC_MARK_OFF && *p != '\0')
			continue;
		esc_html_text(&b, run, (size_t)(p - run));
		if (*p == ESC_MARK_ON && !open) {
			buf_puts(&b, "<mark>");
			open = 1;
		} else if ((*p == ESC_MARK_OFF || *p == '\0') && open) {
			buf_puts(&b, "</mark>");
			open = 0;
		}
		if (*p == '\0')
			break;
		run = p + 1;
	}
	out.html = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}
