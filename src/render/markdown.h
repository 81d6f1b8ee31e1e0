/* markdown.h: Markdown to HTML through md4c's parser and our own renderer.
 * md4c's stock HTML renderer is not used: it passes javascript: links.
 *
 * MD_PROFILE_COMMENT (untrusted): raw HTML off (shown as text), bare URLs
 *   and www. links auto-linked, link targets only http, https, mailto or
 *   relative (entity-obfuscated schemes are decoded before the check; a
 *   refused link renders as its text), rel="nofollow ugc" on every link,
 *   images rendered as links, headings rendered as bold paragraphs,
 *   nesting deeper than LIM_MD_NESTING flattened.
 * MD_PROFILE_POST (the author's, trusted): raw HTML passed through, images
 *   and headings kept, GitHub tables and strikethrough on.
 * Output is appended to out; the bytes it appends are the only HTML this
 * module vouches for, which is why it alone may make a struct html_trusted. */
#ifndef PARLEY_MARKDOWN_H
#define PARLEY_MARKDOWN_H

#include <stddef.h>

#include "../base/buf.h"

enum md_profile { MD_PROFILE_COMMENT, MD_PROFILE_POST };

enum perr md_render(enum md_profile prof, const char *src, size_t n,
    struct buf *out);

/* Plain-text excerpt of Markdown source: markup dropped, whitespace
 * collapsed, cut at a word boundary to at most max bytes with "…" added
 * when cut. Appended to out. */
enum perr md_excerpt(const char *src, size_t n, size_t max, struct buf *out);

/* The whole plain text of Markdown source as the profile renders it (as
 * md_excerpt, uncut; a comment's raw HTML stays as text): what the search
 * index holds and what a search snippet shows. Appended. */
enum perr md_plain_text(enum md_profile prof, const char *src, size_t n,
    struct buf *out);

/* Number of links (explicit and auto-linked) md_render would produce for
 * the comment profile; used by moderation's link limit. */
int md_count_links(const char *src, size_t n);

#endif
