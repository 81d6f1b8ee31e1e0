/* allowlist.h: the comment allowlist as the fuzz targets check it, one
 * checker for every producer of comment HTML (render/markdown.c's comment
 * profile, render/sanitize.c, render/wpautop.c): only the allowed tags,
 * balanced and properly nested; no <a> in <a>; every <a> exactly
 * <a href="URL" rel="nofollow ugc"> with an http, https or mailto scheme
 * (or none) and nothing that could leave the quoted value; no other
 * attributes but ol start and, where the producer may, <code
 * class="language-...">; void <hr> and <br> bare; no stray '>' or NUL.
 * Included by the fuzz targets only (static functions). */
#ifndef PARLEY_FUZZ_ALLOWLIST_H
#define PARLEY_FUZZ_ALLOWLIST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"

struct allow_rules {
	const char *who;    /* the target's name, for the abort message */
	int code_class;     /* <code class="language-..."> may appear */
	int valid_text;     /* the output must pass str_valid_text() */
	size_t max_depth;   /* open elements at once; 0 = no cap */
};

static void
allow_die(const struct allow_rules *r, const char *why, const char *html,
    size_t n)
{
	fprintf(stderr, "%s: %s\n--- output ---\n%.*s\n", r->who, why,
	    n > 4000 ? 4000 : (int)n, html);
	abort();
}

static int
allow_tag_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(name, want, len) == 0;
}

/* The href as emitted: the first ':' before any / ? # ends the scheme;
 * space, controls, quotes and angle brackets never appear in it. */
static int
allow_href_ok(const char *v, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		if (v[j] == '/' || v[j] == '?' || v[j] == '#')
			break;
		if (v[j] == ':') {
			if (!((j == 4 && strncasecmp(v, "http", 4) == 0) ||
			    (j == 5 && strncasecmp(v, "https", 5) == 0) ||
			    (j == 6 && strncasecmp(v, "mailto", 6) == 0)))
				return 0;
			break;
		}
		if ((unsigned char)v[j] <= 0x20)
			return 0;
	}
	for (j = 0; j < n; j++)
		if ((unsigned char)v[j] <= 0x20 || v[j] == '"' ||
		    v[j] == '<' || v[j] == '>' || v[j] == '\'')
			return 0;
	return 1;
}

/* The number of <a> elements in h; aborts on a broken rule. */
static int
allow_check(const struct allow_rules *r, const char *h, size_t n)
{
	static const char *const allowed[] = { "p", "blockquote", "ul",
		"ol", "li", "pre", "code", "em", "strong", "del", "a" };
	static const char rel[] = "\" rel=\"nofollow ugc\"";
	const size_t rel_len = sizeof(rel) - 1;
	const char **stack;
	const char *name, *attr, *end;
	size_t depth = 0, i, k, len, cap = 1;
	int closing, known, in_a = 0, links = 0;

	if (r->valid_text && !str_valid_text(h, n))
		allow_die(r, "output is not valid text", h, n);
	for (i = 0; i < n; i++)
		if (h[i] == '<')
			cap++;
	if ((stack = calloc(cap, sizeof(*stack))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (h[i] == '\0')
			allow_die(r, "NUL in output", h, n);
		if (h[i] == '>')
			allow_die(r, "stray >", h, n);
		if (h[i] != '<')
			continue;
		closing = (i + 1 < n && h[i + 1] == '/');
		name = h + i + 1 + closing;
		for (len = 0; name + len < h + n && name[len] >= 'a' &&
		    name[len] <= 'z'; len++)
			;
		if ((end = memchr(name, '>', (size_t)(h + n - name))) == NULL)
			allow_die(r, "unterminated tag", h, n);
		attr = name + len;
		if (!closing && (allow_tag_is(name, len, "hr") ||
		    allow_tag_is(name, len, "br"))) {
			if (attr != end)
				allow_die(r, "attributes on void tag", h, n);
			i = (size_t)(end - h);
			continue;
		}
		known = 0;
		for (k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
			if (allow_tag_is(name, len, allowed[k])) {
				known = 1;
				break;
			}
		if (!known)
			allow_die(r, "tag not allowed", h, n);
		if (closing) {
			if (attr != end)
				allow_die(r, "junk in close tag", h, n);
			if (depth == 0 ||
			    !allow_tag_is(name, len, stack[depth - 1]))
				allow_die(r, "mismatched close", h, n);
			if (allow_tag_is(name, len, "a"))
				in_a = 0;
			depth--;
		} else {
			if (allow_tag_is(name, len, "a")) {
				if (in_a)
					allow_die(r, "nested a", h, n);
				in_a = 1;
				links++;
				if ((size_t)(end - attr) < 7 + rel_len ||
				    memcmp(attr, " href=\"", 7) != 0 ||
				    memcmp(end - rel_len, rel, rel_len) != 0)
					allow_die(r, "a without href or rel", h,
					    n);
				if (!allow_href_ok(attr + 7,
				    (size_t)(end - rel_len - attr - 7)))
					allow_die(r, "href scheme or quoting", h,
					    n);
			} else if (r->code_class &&
			    allow_tag_is(name, len, "code")) {
				if (attr != end && (memcmp(attr,
				    " class=\"language-", 17) != 0 ||
				    end[-1] != '"'))
					allow_die(r, "bad code attribute", h, n);
			} else if (allow_tag_is(name, len, "ol")) {
				if (attr != end && memcmp(attr, " start=\"", 8))
					allow_die(r, "bad ol attribute", h, n);
			} else if (attr != end)
				allow_die(r, "unexpected attribute", h, n);
			if (r->max_depth && depth >= r->max_depth)
				allow_die(r, "nesting past the cap", h, n);
			stack[depth++] = allowed[k];
		}
		i = (size_t)(end - h);
	}
	if (depth != 0)
		allow_die(r, "unclosed tag", h, n);
	free(stack);
	return links;
}

#endif
