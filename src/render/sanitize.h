/* sanitize.h: untrusted HTML (comments imported from WordPress) reduced
 * to what Parley's own comments may contain, through a real HTML5 parser
 * (libgumbo), never a regular expression.
 *
 * The allowlist is the comment profile of render/markdown.c, so imported
 * and native comments look alike and are equally safe:
 *   elements   p blockquote ul ol li pre code hr br em strong del a
 *              (b → strong, i → em, s/strike → del, h1-h6 → <p><strong>,
 *              img → a link to its src, as Markdown comments do);
 *   attributes a href (http, https, mailto or relative, else the link
 *              becomes its text) and always rel="nofollow ugc"; ol start;
 *   dropped    with their content: script, style, template, iframe,
 *              object, embed, svg, math, noscript, textarea, select, ...;
 *   other      elements are unwrapped (their text kept, escaped).
 * The output is well-formed (every tag closed, properly nested, no <a> in
 * an <a>), valid UTF-8, and nests at most LIM_SANITIZE_NESTING allowed
 * elements. Input larger than LIM_SANITIZE_BYTES or with more than
 * LIM_SANITIZE_TAGS tags is rendered as escaped text in paragraphs.
 * The fuzz target tests/fuzz/fuzz_sanitize.c checks these invariants. */
#ifndef PARLEY_SANITIZE_H
#define PARLEY_SANITIZE_H

#include <stddef.h>

#include "../base/buf.h"

/* Sanitized HTML of html[0..n) appended to out. P_TOOBIG only if out's
 * maximum is hit (out is then left as it was). */
enum perr html_sanitize_comment(const char *html, size_t n, struct buf *out);

/* A WordPress comment as WordPress shows it: paragraphs made from blank
 * lines (wp_autop), then html_sanitize_comment. */
enum perr wp_comment_html(const char *src, size_t n, struct buf *out);

/* Plain text of HTML (tags dropped, script/style ignored, entities
 * decoded, whitespace collapsed), cut at a word boundary to at most max
 * bytes with "…" added when cut; appended to out. For excerpts. */
enum perr html_excerpt(const char *html, size_t n, size_t max,
    struct buf *out);

#endif
