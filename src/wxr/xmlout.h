/* xmlout.h (internal to wxr/): writing WXR 1.2 as WordPress writes it.
 * Used by export.c, and by import.c to keep an item Parley does not show
 * as the very XML an export will write back. Element names use the
 * prefixes the export's <rss> declares (wp, content, excerpt, dc, wfw,
 * parley).
 * Text is written in CDATA sections as WordPress does, with "]]>" split
 * across two sections and CR written as &#13; so it survives a re-read;
 * bytes XML cannot carry (invalid UTF-8, C0 controls but tab/LF/CR,
 * U+FFFE/U+FFFF) become U+FFFD. Each function appends to b and returns
 * P_TOOBIG only if b's maximum is hit. */
#ifndef PARLEY_WXR_XMLOUT_H
#define PARLEY_WXR_XMLOUT_H

#include "../base/buf.h"
#include "wxr.h"

#define XO_NS_WP "http://wordpress.org/export/1.2/"
#define XO_NS_EXCERPT "http://wordpress.org/export/1.2/excerpt/"
#define XO_NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define XO_NS_DC "http://purl.org/dc/elements/1.1/"
#define XO_NS_WFW "http://wellformedweb.org/CommentAPI/"

/* Escaped text / attribute value. */
enum perr xo_text(struct buf *b, const char *s);
/* <![CDATA[s]]> (possibly several sections). */
enum perr xo_cdata(struct buf *b, const char *s);
/* indent<name>text</name>\n, text in CDATA if cdata. */
enum perr xo_elem(struct buf *b, const char *indent, const char *name,
    const char *text, int cdata);
enum perr xo_elem_int(struct buf *b, const char *indent, const char *name,
    long long v);

/* "Sat, 14 Mar 2020 23:30:00 +0000" from "2020-03-14 23:30:00", into out
 * (>= 40 bytes); 0 if the date is not one. */
int xo_rfc822(const char *mysql_date, char *out, size_t outsz);

/* An <item> with every field of it, then its extra XML, then `comments`
 * (already written <wp:comment> elements, may be ""), then </item>. */
enum perr xo_item(struct buf *b, const struct wxr_item *it,
    const char *link, const char *comments);
/* A <wp:comment>. */
enum perr xo_comment(struct buf *b, const struct wxr_comment *c);

#endif
