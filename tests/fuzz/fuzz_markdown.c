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

#include "allowlist.h"
#include "render/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The comment profile may mark a code block's language. */
static const struct allow_rules rules = { "fuzz_markdown", 1, 0, 0 };

static void
die(const char *why, const char *html, size_t n)
{
	allow_die(&rules, why, html, n);
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
	links = allow_check(&rules, out.data != NULL ? out.data : "",
	    out.len);
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
