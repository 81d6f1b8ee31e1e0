/* fuzz_sanitize.c: libFuzzer target for render/sanitize.c and
 * render/wpautop.c. Every input goes through html_sanitize_comment and
 * wp_comment_html, whose output must keep the invariants of sanitize.h:
 * only allowlisted tags, balanced and properly nested, no <a> in <a>,
 * every <a> with an allowed href and rel="nofollow ugc", no attributes
 * elsewhere but ol start, at most LIM_SANITIZE_NESTING deep, valid UTF-8
 * without NUL. wp_post_html and html_excerpt must not crash, and the
 * excerpt stays within its bound. Build as `make fuzz` does, or replay
 * tests/fuzz/regression/sanitize/ with tests/fuzz/replay_main.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/limits.h"
#include "base/str.h"
#include "render/sanitize.h"
#include "render/wpautop.h"

#define REL "\" rel=\"nofollow ugc\""
#define REL_LEN (sizeof(REL) - 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *why, const char *html, size_t n)
{
	fprintf(stderr, "fuzz_sanitize: %s\n--- output ---\n%.*s\n", why,
	    n > 4000 ? 4000 : (int)n, html);
	abort();
}

static int
tag_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(name, want, len) == 0;
}

static int
href_ok(const char *v, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		if (v[j] == '/' || v[j] == '?' || v[j] == '#')
			return 1;
		if (v[j] == ':')
			return (j == 4 && strncasecmp(v, "http", 4) == 0) ||
			    (j == 5 && strncasecmp(v, "https", 5) == 0) ||
			    (j == 6 && strncasecmp(v, "mailto", 6) == 0);
		if ((unsigned char)v[j] <= 0x20 || v[j] == '"' || v[j] == '<' ||
		    v[j] == '>' || v[j] == '\'')
			return 0;
	}
	return 1;
}

static void
check(const char *h, size_t n)
{
	static const char *const allowed[] = { "p", "blockquote", "ul",
		"ol", "li", "pre", "code", "em", "strong", "del", "a" };
	const char *stack[64];
	const char *name, *attr, *end;
	size_t depth = 0, i, k, len;
	int closing, known, in_a = 0;

	/* valid UTF-8, no NUL, no C0 controls but tab, LF, CR */
	if (!str_valid_text(h, n))
		die("output is not valid text", h, n);
	for (i = 0; i < n; i++) {
		if (h[i] == '\0')
			die("NUL in output", h, n);
		if (h[i] == '>')
			die("stray >", h, n);
		if (h[i] != '<')
			continue;
		closing = (i + 1 < n && h[i + 1] == '/');
		name = h + i + 1 + closing;
		for (len = 0; name + len < h + n && name[len] >= 'a' &&
		    name[len] <= 'z'; len++)
			;
		if ((end = memchr(name, '>', (size_t)(h + n - name))) == NULL)
			die("unterminated tag", h, n);
		attr = name + len;
		if (!closing && (tag_is(name, len, "hr") ||
		    tag_is(name, len, "br"))) {
			if (attr != end)
				die("attributes on void tag", h, n);
			i = (size_t)(end - h);
			continue;
		}
		known = 0;
		for (k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
			if (tag_is(name, len, allowed[k])) {
				known = 1;
				break;
			}
		if (!known)
			die("tag not allowed", h, n);
		if (closing) {
			if (attr != end)
				die("junk in close tag", h, n);
			if (depth == 0 || !tag_is(name, len, stack[depth - 1]))
				die("mismatched close", h, n);
			if (tag_is(name, len, "a"))
				in_a = 0;
			depth--;
		} else {
			if (tag_is(name, len, "a")) {
				if (in_a)
					die("nested a", h, n);
				in_a = 1;
				if ((size_t)(end - attr) < 7 + REL_LEN ||
				    memcmp(attr, " href=\"", 7) != 0 ||
				    memcmp(end - REL_LEN, REL, REL_LEN) != 0)
					die("a without href or rel", h, n);
				if (!href_ok(attr + 7,
				    (size_t)(end - REL_LEN - attr - 7)))
					die("href scheme or quoting", h, n);
			} else if (tag_is(name, len, "ol")) {
				if (attr != end && memcmp(attr, " start=\"", 8))
					die("bad ol attribute", h, n);
			} else if (attr != end)
				die("unexpected attribute", h, n);
			/* "<p><strong>" counts as two */
			if (depth == sizeof(stack) / sizeof(stack[0]) ||
			    depth > 2 * LIM_SANITIZE_NESTING)
				die("nesting past the cap", h, n);
			stack[depth++] = allowed[k];
		}
		i = (size_t)(end - h);
	}
	if (depth != 0)
		die("unclosed tag", h, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	struct buf out;
	enum perr e;

	buf_init(&out, 0);
	if (html_sanitize_comment(src, size, &out) != P_OK)
		die("sanitize failed", "", 0);
	check(out.data ? out.data : "", out.len);
	buf_reset(&out);
	if (wp_comment_html(src, size, &out) != P_OK)
		die("wp_comment_html failed", "", 0);
	check(out.data ? out.data : "", out.len);
	buf_reset(&out);
	if (wp_post_html(src, size, &out) != P_OK)
		die("wp_post_html failed", "", 0);
	buf_reset(&out);
	if (html_excerpt(src, size, 40, &out) != P_OK)
		die("excerpt failed", "", 0);
	if (out.len > 40 + 3)
		die("excerpt too long", out.data, out.len);
	buf_free(&out);

	/* A maximum the output will likely hit: all or nothing. */
	buf_init(&out, 1 + size % 64);
	if (buf_puts(&out, "x") != P_OK)
		abort();
	e = html_sanitize_comment(src, size, &out);
	if (e != P_OK && (e != P_TOOBIG || out.len != 1))
		die("failed sanitize left output behind", out.data, out.len);
	buf_free(&out);
	return 0;
}
