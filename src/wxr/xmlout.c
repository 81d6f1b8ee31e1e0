/* xmlout.c: WXR 1.2 element writers (contract in xmlout.h). */
#include "xmlout.h"
#include "../base/str.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define REPLACEMENT "\xEF\xBF\xBD"

/* Length of the XML character at s (1..4), or 0 if it cannot appear in
 * XML 1.0: invalid UTF-8, NUL and C0 controls but tab/LF/CR, surrogates,
 * U+FFFE and U+FFFF. */
static size_t
xml_char(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len = str_utf8_seq(s, n, &cp);

	if (len == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' &&
	    cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	return len;
}

/* Writes s with each byte run passed through `plain`, and special bytes
 * handed to `special` (which writes their replacement). */
static enum perr
put_clean(struct buf *b, const char *s, int cdata)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, run = 0, k;
	const char *rep;
	enum perr e;

	while (i < n) {
		rep = NULL;
		k = xml_char(u + i, n - i);
		if (k == 0) {
			rep = REPLACEMENT;
			k = 1;
		} else if (cdata) {
			if (s[i] == '\r')
				rep = "]]>&#13;<![CDATA[";
			else if (s[i] == ']' && i + 2 < n && s[i + 1] == ']' &&
			    s[i + 2] == '>') {
				rep = "]]]]><![CDATA[>";
				k = 3;
			}
		} else {
			switch (s[i]) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\r': rep = "&#13;"; break;
			default: break;
			}
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

enum perr
xo_text(struct buf *b, const char *s)
{
	return put_clean(b, s ? s : "", 0);
}

enum perr
xo_cdata(struct buf *b, const char *s)
{
	enum perr e;

	if ((e = buf_puts(b, "<![CDATA[")) != P_OK ||
	    (e = put_clean(b, s ? s : "", 1)) != P_OK)
		return e;
	return buf_puts(b, "]]>");
}

enum perr
xo_elem(struct buf *b, const char *indent, const char *name,
    const char *text, int cdata)
{
	enum perr e;

	if ((e = buf_printf(b, "%s<%s>", indent, name)) != P_OK)
		return e;
	e = cdata ? xo_cdata(b, text) : xo_text(b, text);
	if (e != P_OK)
		return e;
	return buf_printf(b, "</%s>\n", name);
}

enum perr
xo_elem_int(struct buf *b, const char *indent, const char *name, long long v)
{
	return buf_printf(b, "%s<%s>%lld</%s>\n", indent, name, v, name);
}

int
xo_rfc822(const char *d, char *out, size_t outsz)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t t;
	int y, mo, da, h, mi, s, n;

	if (d == NULL || sscanf(d, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &da,
	    &h, &mi, &s, &n) != 6 || d[n] != '\0' || y < 1 || mo < 1 ||
	    mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 60)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = da;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	n = snprintf(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, mons[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	return n > 0 && (size_t)n < outsz;
}

#define I2 "\t\t"
#define I3 "\t\t\t"

enum perr
xo_item(struct buf *b, const struct wxr_item *it, const char *link,
    const char *comments)
{
	char date[48];
	size_t i;
	enum perr e;

#define TRY(x) do { if ((e = (x)) != P_OK) return e; } while (0)
	TRY(buf_puts(b, "\t<item>\n"));
	TRY(xo_elem(b, I2, "title", it->title, 1));
	TRY(xo_elem(b, I2, "link", link, 0));
	if (xo_rfc822(it->post_date_gmt, date, sizeof(date)) ||
	    xo_rfc822(it->post_date, date, sizeof(date)))
		TRY(xo_elem(b, I2, "pubDate", date, 0));
	TRY(xo_elem(b, I2, "dc:creator", it->creator, 1));
	if (it->guid_permalink < 0)
		TRY(xo_elem(b, I2, "guid", it->guid, 0));
	else {
		TRY(buf_printf(b, I2 "<guid isPermaLink=\"%s\">",
		    it->guid_permalink ? "true" : "false"));
		TRY(xo_text(b, it->guid));
		TRY(buf_puts(b, "</guid>\n"));
	}
	TRY(xo_elem(b, I2, "content:encoded", it->content, 1));
	TRY(xo_elem(b, I2, "excerpt:encoded", it->excerpt, 1));
	if (it->markdown)
		TRY(xo_elem(b, I2, "parley:markdown", it->markdown, 1));
	TRY(xo_elem_int(b, I2, "wp:post_id", (long long)it->post_id));
	TRY(xo_elem(b, I2, "wp:post_date", it->post_date, 1));
	TRY(xo_elem(b, I2, "wp:post_date_gmt", it->post_date_gmt, 1));
	TRY(xo_elem(b, I2, "wp:comment_status", it->comment_status, 1));
	TRY(xo_elem(b, I2, "wp:post_name", it->post_name, 1));
	TRY(xo_elem(b, I2, "wp:status", it->status, 1));
	TRY(xo_elem_int(b, I2, "wp:post_parent", (long long)it->post_parent));
	TRY(xo_elem(b, I2, "wp:post_type", it->post_type, 1));
	TRY(xo_elem(b, I2, "wp:post_password", it->post_password, 1));
	if (it->attachment_url && *it->attachment_url)
		TRY(xo_elem(b, I2, "wp:attachment_url", it->attachment_url,
		    1));
	for (i = 0; i < it->nterms; i++) {
		const struct wxr_item_term *t = &it->terms[i];

		TRY(buf_puts(b, I2 "<category"));
		if (*t->domain) {
			TRY(buf_puts(b, " domain=\""));
			TRY(xo_text(b, t->domain));
			TRY(buf_putc(b, '"'));
		}
		if (*t->slug) {
			TRY(buf_puts(b, " nicename=\""));
			TRY(xo_text(b, t->slug));
			TRY(buf_putc(b, '"'));
		}
		TRY(buf_putc(b, '>'));
		TRY(xo_cdata(b, t->name));
		TRY(buf_puts(b, "</category>\n"));
	}
	if (it->extra && *it->extra) {
		TRY(buf_puts(b, I2));
		TRY(buf_puts(b, it->extra));
		TRY(buf_putc(b, '\n'));
	}
	if (comments && *comments)
		TRY(buf_puts(b, comments));
	return buf_puts(b, "\t</item>\n");
}

enum perr
xo_comment(struct buf *b, const struct wxr_comment *c)
{
	enum perr e;

	TRY(buf_puts(b, I2 "<wp:comment>\n"));
	TRY(xo_elem_int(b, I3, "wp:comment_id", (long long)c->id));
	TRY(xo_elem(b, I3, "wp:comment_author", c->author, 1));
	TRY(xo_elem(b, I3, "wp:comment_author_email", c->author_email, 1));
	TRY(xo_elem(b, I3, "wp:comment_author_url", c->author_url, 0));
	TRY(xo_elem(b, I3, "wp:comment_author_IP", c->author_ip, 1));
	TRY(xo_elem(b, I3, "wp:comment_date", c->date, 1));
	TRY(xo_elem(b, I3, "wp:comment_date_gmt", c->date_gmt, 1));
	TRY(xo_elem(b, I3, "wp:comment_content", c->content, 1));
	if (c->markdown)
		TRY(xo_elem(b, I3, "parley:markdown", c->markdown, 1));
	TRY(xo_elem(b, I3, "wp:comment_approved", c->approved, 1));
	TRY(xo_elem(b, I3, "wp:comment_type", c->type, 1));
	TRY(xo_elem_int(b, I3, "wp:comment_parent", (long long)c->parent));
	TRY(xo_elem_int(b, I3, "wp:comment_user_id", (long long)c->user_id));
	if (c->extra && *c->extra) {
		TRY(buf_puts(b, I3));
		TRY(buf_puts(b, c->extra));
		TRY(buf_putc(b, '\n'));
	}
	return buf_puts(b, I2 "</wp:comment>\n");
#undef TRY
}
