/* wpautop.c: WordPress's display-time paragraphs and [caption]
 * shortcodes (contract in wpautop.h). A single left-to-right pass: text
 * and inline tags gather into the current paragraph, which a blank line
 * or a block-level tag ends. */
#include "wpautop.h"

#include <string.h>
#include <strings.h>

#include "esc.h"

/* Block-level elements: they end a paragraph and are never wrapped. */
static const char *const blocks[] = {
	"address", "area", "article", "aside", "blockquote", "caption",
	"col", "colgroup", "dd", "details", "div", "dl", "dt", "fieldset",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
	"h5", "h6", "header", "hgroup", "hr", "legend", "li", "map", "math",
	"menu", "nav", "ol", "p", "section", "summary", "table", "tbody",
	"td", "tfoot", "th", "thead", "tr", "ul", "iframe", "video", "audio",
	"object", "embed", "select", "option", "noscript",
};

/* Blocks whose text is not wrapped in <p> (it would nest a paragraph
 * where HTML allows none). */
static const char *const no_p[] = {
	"address", "caption", "dd", "dt", "figcaption", "figure", "h1", "h2", "h3",
	"h4", "h5", "h6", "legend", "li", "p", "summary", "td", "th",
	"option", "select", "iframe", "video", "audio", "object", "noscript",
};

/* Copied verbatim up to their closing tag. */
static const char *const raw[] = { "pre", "script", "style", "textarea" };

static int
in_list(const char *const *list, size_t n, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncasecmp(list[i], name, len) == 0)
			return 1;
	return 0;
}

#define IN(list, name, len) \
	in_list(list, sizeof(list) / sizeof(list[0]), name, len)

/* End of the tag starting at s[0] == '<' (index of '>'), skipping quoted
 * attribute values; n if it never ends. */
static size_t
tag_end(const char *s, size_t n)
{
	size_t i;
	char q = 0;

	for (i = 1; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '>')
			return i;
	}
	return n;
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Case-insensitive search for needle in s[0..n). */
static const char *
find_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

struct ap {
	struct buf *out;
	struct buf para; /* the paragraph being gathered */
	int nop;         /* open blocks whose text gets no <p> */
	enum perr e;
};

static void
put(struct ap *a, struct buf *b, const char *s, size_t n)
{
	if (a->e == P_OK && n > 0)
		a->e = buf_add(b, s, n);
}

/* Writes the gathered paragraph: newlines become <br />. */
static void
flush(struct ap *a)
{
	const char *s = a->para.data;
	size_t i = 0, n = a->para.len, run;

	while (i < n && is_space(s[i]))
		i++;
	while (n > i && is_space(s[n - 1]))
		n--;
	if (i < n) {
		if (!a->nop)
			put(a, a->out, "<p>", 3);
		for (run = i; i < n; i++)
			if (s[i] == '\n') {
				put(a, a->out, s + run, i - run);
				put(a, a->out, "<br />\n", 7);
				run = i + 1;
			}
		put(a, a->out, s + run, n - run);
		if (!a->nop)
			put(a, a->out, "</p>\n", 5);
	}
	buf_reset(&a->para);
}

/* 1 if only spaces and tabs lie between s[i] (after a newline) and the
 * next newline: a blank line, which ends a paragraph. *next = index
 * after that newline. */
static int
blank_line(const char *s, size_t n, size_t i, size_t *next)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] == '\n') {
		*next = i + 1;
		return 1;
	}
	if (i == n) {
		*next = n;
		return 1;
	}
	return 0;
}

static enum perr
autop(const char *s, size_t n, struct buf *out)
{
	struct ap a = { .out = out, .e = P_OK };
	size_t i = 0, j, end, len, nl;
	const char *name, *close;
	int closing;

	buf_init(&a.para, 0);
	while (i < n && a.e == P_OK) {
		char c = s[i];

		if (c == '\n') {
			if (blank_line(s, n, i + 1, &nl)) {
				if (a.nop)
					put(&a, &a.para, "\n", 1);
				else
					flush(&a);
				/* further blank lines add nothing */
				while (nl < n && blank_line(s, n, nl, &j) &&
				    j > nl)
					nl = j;
				i = nl;
			} else {
				put(&a, &a.para, "\n", 1);
				i++;
			}
			continue;
		}
		if (c != '<' || i + 1 >= n ||
		    !(is_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')) {
			put(&a, &a.para, &c, 1);
			i++;
			continue;
		}
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			close = find_ci(s + i + 4, n - i - 4, "-->");
			end = close ? (size_t)(close - s) + 3 : n;
			/* A comment on its own (<!--more-->) stays outside
			 * any paragraph. */
			for (j = 0; j < a.para.len && is_space(a.para.data[j]); j++)
				;
			if (j == a.para.len) {
				buf_reset(&a.para);
				put(&a, a.out, s + i, end - i);
				if (end < n && s[end] == '\n')
					put(&a, a.out, "\n", 1);
			} else
				put(&a, &a.para, s + i, end - i);
			i = end;
			continue;
		}
		end = tag_end(s + i, n - i);
		if (end == n - i) { /* never closed: text */
			put(&a, &a.para, s + i, n - i);
			break;
		}
		end += i + 1; /* one past '>' */
		closing = s[i + 1] == '/';
		name = s + i + 1 + closing;
		for (len = 0; name + len < s + end &&
		    (is_alpha(name[len]) || (name[len] >= '0' && name[len] <= '9'));
		    len++)
			;
		if (!closing && IN(raw, name, len)) {
			char want[16];

			flush(&a);
			/* raw names are short: "</" + name + ">" fits */
			memcpy(want, "</", 2);
			memcpy(want + 2, name, len);
			want[2 + len] = '\0';
			close = find_ci(s + end, n - end, want);
			j = close ? (size_t)(close - s) : n;
			if (close) {
				j += tag_end(s + j, n - j);
				j = j < n ? j + 1 : n;
			}
			put(&a, a.out, s + i, j - i);
			put(&a, a.out, "\n", 1);
			i = j;
			continue;
		}
		if (len > 0 && IN(blocks, name, len)) {
			flush(&a);
			put(&a, a.out, s + i, end - i);
			if (IN(no_p, name, len)) {
				if (!closing && s[end - 2] != '/')
					a.nop++;
				else if (closing && a.nop > 0)
					a.nop--;
			}
			if (closing || (len == 2 && strncasecmp(name, "hr", 2) == 0))
				put(&a, a.out, "\n", 1);
			i = end;
			/* a newline right after a block tag is layout */
			if (i < n && s[i] == '\n')
				i++;
			continue;
		}
		put(&a, &a.para, s + i, end - i); /* inline tag */
		i = end;
	}
	if (a.e == P_OK)
		flush(&a);
	buf_free(&a.para);
	return a.e;
}

/* Normalises CR LF and lone CR to LF first, as WordPress does. */
enum perr
wp_autop(const char *s, size_t n, struct buf *out)
{
	struct buf t;
	size_t i, mark = out->len;
	enum perr e = P_OK;

	buf_init(&t, 0);
	for (i = 0; i < n && e == P_OK; i++) {
		if (s[i] == '\r') {
			e = buf_putc(&t, '\n');
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else
			e = buf_putc(&t, s[i]);
	}
	if (e == P_OK)
		e = autop(t.data ? t.data : "", t.len, out);
	buf_free(&t);
	if (e != P_OK) {
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
	}
	return e;
}

/* ---- [caption] ----------------------------------------------------------- */

struct cap_attrs {
	const char *id, *align, *width, *caption, *klass;
	size_t id_n, align_n, width_n, caption_n, klass_n;
};

/* Parses name="v" name='v' name=v pairs of s[0..n) into c. */
static void
cap_parse(const char *s, size_t n, struct cap_attrs *c)
{
	size_t i = 0, k, v, vn;

	memset(c, 0, sizeof(*c));
	while (i < n) {
		while (i < n && is_space(s[i]))
			i++;
		k = i;
		while (i < n && s[i] != '=' && !is_space(s[i]))
			i++;
		if (i >= n || s[i] != '=') {
			i++;
			continue;
		}
		const char *key = s + k;
		size_t kn = i - k;

		i++;
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			char q = s[i++];

			v = i;
			while (i < n && s[i] != q)
				i++;
			vn = i - v;
			i++;
		} else {
			v = i;
			while (i < n && !is_space(s[i]))
				i++;
			vn = i - v;
		}
#define SET(f) do { c->f = s + v; c->f##_n = vn; } while (0)
		if (kn == 2 && !strncasecmp(key, "id", 2))
			SET(id);
		else if (kn == 5 && !strncasecmp(key, "align", 5))
			SET(align);
		else if (kn == 5 && !strncasecmp(key, "width", 5))
			SET(width);
		else if (kn == 7 && !strncasecmp(key, "caption", 7))
			SET(caption);
		else if (kn == 5 && !strncasecmp(key, "class", 5))
			SET(klass);
#undef SET
	}
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0 && n < 6;
}

/* One [caption ...]content[/caption] as a figure. */
static enum perr
cap_emit(struct buf *b, const char *attrs, size_t an, const char *body,
    size_t bn)
{
	struct cap_attrs c;
	const char *img = body, *text, *close;
	size_t img_n = 0, text_n;
	enum perr e = P_OK;

	cap_parse(attrs, an, &c);
	while (bn > 0 && is_space(body[0])) {
		body++;
		bn--;
	}
	img = body;
	if (c.caption_n > 0) {
		img_n = bn;
		text = c.caption;
		text_n = c.caption_n;
	} else {
		if (bn > 2 && strncasecmp(body, "<a", 2) == 0 &&
		    (close = find_ci(body, bn, "</a>")) != NULL)
			img_n = (size_t)(close - body) + 4;
		else if (bn > 4 && strncasecmp(body, "<img", 4) == 0)
			img_n = tag_end(body, bn) + 1;
		if (img_n > bn)
			img_n = bn;
		text = body + img_n;
		text_n = bn - img_n;
	}
	while (text_n > 0 && is_space(text[0])) {
		text++;
		text_n--;
	}
	while (text_n > 0 && is_space(text[text_n - 1]))
		text_n--;
	e = buf_puts(b, "<figure");
	if (e == P_OK && c.id_n > 0) {
		if ((e = buf_puts(b, " id=\"")) == P_OK &&
		    (e = esc_html_attr(b, c.id, c.id_n)) == P_OK)
			e = buf_putc(b, '"');
	}
	if (e == P_OK)
		e = buf_puts(b, " class=\"wp-caption");
	if (e == P_OK && c.align_n > 0 && (e = buf_putc(b, ' ')) == P_OK)
		e = esc_html_attr(b, c.align, c.align_n);
	if (e == P_OK && c.klass_n > 0 && (e = buf_putc(b, ' ')) == P_OK)
		e = esc_html_attr(b, c.klass, c.klass_n);
	if (e == P_OK)
		e = buf_putc(b, '"');
	if (e == P_OK && all_digits(c.width, c.width_n))
		e = buf_printf(b, " style=\"width: %.*spx\"", (int)c.width_n,
		    c.width);
	if (e == P_OK)
		e = buf_putc(b, '>');
	if (e == P_OK)
		e = buf_add(b, img, img_n);
	if (e == P_OK && text_n > 0) {
		if ((e = buf_puts(b, "<figcaption class=\"wp-caption-text\">")) ==
		    P_OK && (e = buf_add(b, text, text_n)) == P_OK)
			e = buf_puts(b, "</figcaption>");
	}
	if (e == P_OK)
		e = buf_puts(b, "</figure>");
	return e;
}

enum perr
wp_captions(const char *s, size_t n, struct buf *out)
{
	static const char *const names[] = { "caption", "wp_caption" };
	size_t i = 0, mark = out->len, k, nl, open_end, an;
	const char *close;
	char want[16];
	enum perr e = P_OK;

	while (i < n && e == P_OK) {
		const char *p = memchr(s + i, '[', n - i);
		size_t at;

		if (p == NULL) {
			e = buf_add(out, s + i, n - i);
			break;
		}
		at = (size_t)(p - s);
		for (k = 0; k < 2; k++) {
			nl = strlen(names[k]);
			if (n - at > nl + 1 &&
			    strncasecmp(s + at + 1, names[k], nl) == 0 &&
			    (s[at + 1 + nl] == ']' || is_space(s[at + 1 + nl])))
				break;
		}
		if (k == 2) {
			e = buf_add(out, s + i, at + 1 - i);
			i = at + 1;
			continue;
		}
		/* the opening tag's ']' (quoted values may hold one) */
		for (open_end = at + 1 + nl; open_end < n; open_end++) {
			if (s[open_end] == '"' || s[open_end] == '\'') {
				const char *q = memchr(s + open_end + 1,
				    s[open_end], n - open_end - 1);
				if (q == NULL)
					break;
				open_end = (size_t)(q - s);
			} else if (s[open_end] == ']')
				break;
		}
		memcpy(want, "[/", 2);
		memcpy(want + 2, names[k], nl);
		want[2 + nl] = ']';
		want[3 + nl] = '\0';
		close = open_end < n ? find_ci(s + open_end + 1,
		    n - open_end - 1, want) : NULL;
		if (close == NULL) {
			e = buf_add(out, s + i, at + 1 - i);
			i = at + 1;
			continue;
		}
		if ((e = buf_add(out, s + i, at - i)) != P_OK)
			break;
		an = open_end - (at + 1 + nl);
		e = cap_emit(out, s + at + 1 + nl, an, s + open_end + 1,
		    (size_t)(close - (s + open_end + 1)));
		i = (size_t)(close - s) + strlen(want);
	}
	if (e != P_OK) {
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
	}
	return e;
}

enum perr
wp_post_html(const char *s, size_t n, struct buf *out)
{
	struct buf t;
	enum perr e;

	buf_init(&t, 0);
	if ((e = wp_captions(s, n, &t)) == P_OK)
		e = wp_autop(t.data ? t.data : "", t.len, out);
	buf_free(&t);
	return e;
}
