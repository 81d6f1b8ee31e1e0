/* fuzz_markdown.c: libFuzzer target for render/markdown.c. Runs both
 * profiles, the excerpt and the link count on every input and aborts if
 * the comment profile's invariants break (see markdown.c): only its tags,
 * balanced and properly nested, no <a> in <a>, every <a> with
 * rel="nofollow ugc" and an allowed scheme, the count equal to the <a>s
 * shown. A small output maximum is also tried, which must fail cleanly and
 * leave the buffer as it was.
 *
 * Build with libFuzzer:
 *   clang -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_markdown.c
 *       src/render/markdown.c src/base/buf.c src/base/err.c -lmd4c
 * or link tests/fuzz/replay_main.c instead to replay files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/markdown.h"

#define REL "\" rel=\"nofollow ugc\""
#define REL_LEN (sizeof(REL) - 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *why, const char *html, size_t n)
{
	fprintf(stderr, "fuzz_markdown: %s\n--- output ---\n%.*s\n", why,
	    n > 4000 ? 4000 : (int)n, html);
	abort();
}

static int
tag_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(name, want, len) == 0;
}

/* The scheme check, applied to the href as emitted: after
 * percent-encoding no space or control can remain, so the first ':'
 * before any / ? # ends the scheme. */
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
		if ((unsigned char)v[j] <= 0x20)
			return 0;
	}
	return 1;
}

/* Returns the number of <a> tags, or aborts on a broken invariant. */
static int
check_comment(const char *h, size_t n)
{
	static const char *const allowed[] = { "p", "blockquote", "ul",
		"ol", "li", "pre", "code", "em", "strong", "del", "a" };
	const char **stack;
	const char *name, *attr, *end;
	size_t depth = 0, i, k, len, cap = 1;
	int closing, known, in_a = 0, links = 0;

	for (i = 0; i < n; i++)
		if (h[i] == '<')
			cap++;
	if ((stack = calloc(cap, sizeof(*stack))) == NULL)
		abort();
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
				links++;
				/* <a href="URL" rel="nofollow ugc"> */
				if ((size_t)(end - attr) < 7 + REL_LEN ||
				    memcmp(attr, " href=\"", 7) != 0 ||
				    memcmp(end - REL_LEN, REL, REL_LEN) != 0)
					die("a without href or rel", h, n);
				if (!href_ok(attr + 7,
				    (size_t)(end - REL_LEN - attr - 7)))
					die("href scheme", h, n);
			} else if (tag_is(name, len, "code")) {
				if (attr != end && (memcmp(attr,
				    " class=\"language-", 17) != 0 ||
				    end[-1] != '"'))
					die("bad code attribute", h, n);
			} else if (tag_is(name, len, "ol")) {
				if (attr != end && memcmp(attr, " start=\"", 8))
					die("bad ol attribute", h, n);
			} else if (attr != end)
				die("unexpected attribute", h, n);
			stack[depth++] = allowed[k];
		}
		i = (size_t)(end - h);
	}
	if (depth != 0)
		die("unclosed tag", h, n);
	free(stack);
	return links;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	struct buf out;
	enum perr e;
	int links;

	buf_init(&out, 0);
	if (md_render(MD_PROFILE_COMMENT, src, size, &out) != P_OK)
		die("comment render failed", "", 0);
	links = check_comment(out.data != NULL ? out.data : "", out.len);
	if (md_count_links(src, size) != links)
		die("md_count_links disagrees with the output", out.data,
		    out.len);

	buf_reset(&out);
	if (md_render(MD_PROFILE_POST, src, size, &out) != P_OK)
		die("post render failed", "", 0);

	buf_reset(&out);
	if (md_excerpt(src, size, 160, &out) != P_OK)
		die("excerpt failed", "", 0);
	if (out.len > 160 + 3)
		die("excerpt too long", out.data, out.len);
	buf_free(&out);

	/* A maximum the output will likely hit: all or nothing. */
	buf_init(&out, 1 + size % 64);
	if (buf_puts(&out, "x") != P_OK)
		abort();
	e = md_render(size % 2 ? MD_PROFILE_POST : MD_PROFILE_COMMENT, src,
	    size, &out);
	if (e != P_OK && (e != P_TOOBIG || out.len != 1))
		die("failed render left output behind", out.data, out.len);
	buf_free(&out);
	return 0;
}
