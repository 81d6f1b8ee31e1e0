/* esc.h: escapers named for where the text goes. Each appends to a buf and
 * returns P_TOOBIG only if the buf's maximum is hit. Input is bytes; invalid
 * UTF-8 is passed through escaped-safe (never creates markup).
 *
 * struct html_trusted marks HTML that may be emitted unescaped. Only the
 * Markdown renderers (render/markdown.c) and html_trusted_literal() for
 * compile-time constants create one, so `grep html_trusted` lists every
 * unescaped path. */
#ifndef PARLEY_ESC_H
#define PARLEY_ESC_H

#include <stddef.h>

#include "../base/arena.h"
#include "../base/buf.h"

struct html_trusted {
	const char *html;
};

/* For string literals written in our own source only. */
#define html_trusted_literal(s) ((struct html_trusted){ .html = "" s })

/* Text between tags, and also safe inside a quoted attribute value:
 * escapes & < > " '. */
enum perr esc_html_text(struct buf *b, const char *s, size_t n);
/* Quoted attribute value (same set as text; named for the reader). */
enum perr esc_html_attr(struct buf *b, const char *s, size_t n);
/* A URL put in href/src: if its scheme is not http, https, mailto or
 * absent (relative), writes "#" instead; then attribute-escaped. */
enum perr esc_url_attr(struct buf *b, const char *s, size_t n);
/* One path segment or query value: percent-encodes all but unreserved. */
enum perr esc_url_component(struct buf *b, const char *s, size_t n);
/* XML character data and attribute values (feeds, sitemaps). */
enum perr esc_xml_text(struct buf *b, const char *s, size_t n);
/* JSON string including the surrounding quotes; escapes control chars,
 * quotes, backslash, and < > & / U+2028 U+2029 so output is also safe
 * inside <script>. Invalid UTF-8 bytes become U+FFFD. */
enum perr esc_json_str(struct buf *b, const char *s, size_t n);

/* Bytes that mark matched words in search results (the store puts them
 * around each match; handler/search.c checks both sides agree). Stored
 * text never contains them: C0 controls are refused on input. */
#define ESC_MARK_ON '\x02'
#define ESC_MARK_OFF '\x03'
/* s escaped as HTML text, with each marked span wrapped in <mark> and
 * </mark> (an unclosed one is closed at the end; stray markers vanish):
 * the only markup in the result, which is why this may make a struct
 * html_trusted. Arena-owned. */
struct html_trusted esc_html_marked(struct arena *a, const char *s);

/* 1 if url (after stripping leading whitespace/controls and decoding
 * nothing) has no scheme or an http, https or mailto scheme. */
int esc_url_scheme_ok(const char *s, size_t n);

#endif
