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

#include "allowlist.h"
#include "base/limits.h"
#include "base/str.h"
#include "render/sanitize.h"
#include "render/wpautop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "<p><strong>" counts as two levels of the sanitizer's nesting cap. */
static const struct allow_rules rules = { "fuzz_sanitize", 0, 1,
	2 * LIM_SANITIZE_NESTING + 1 };

static void
die(const char *why, const char *html, size_t n)
{
	allow_die(&rules, why, html, n);
}

static void
check(const char *h, size_t n)
{
	(void)allow_check(&rules, h, n);
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
