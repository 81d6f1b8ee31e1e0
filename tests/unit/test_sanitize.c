/* test_sanitize.c: imported HTML. html_sanitize_comment (gumbo, the
 * comment allowlist), wp_autop and wp_captions (WordPress display rules),
 * html_excerpt. Rows are data: input and the exact output expected; each
 * row is its own cmocka test so a failure names the row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/limits.h"
#include "render/sanitize.h"
#include "render/wpautop.h"

#define REL " rel=\"nofollow ugc\""
#define A(href) "<a href=\"" href "\"" REL ">"
#define FFFD "\xEF\xBF\xBD"

struct rcase {
	const char *name;
	const char *in;
	size_t n;
	const char *want;
};
#define R(name, in, want) { name, in, sizeof(in) - 1, want }

static const struct rcase san_cases[] = {
	R("empty", "", ""),
	R("text", "hello", "hello"),
	R("escapes", "a < b & \"c\" 'd'", "a &lt; b &amp; &quot;c&quot; &#39;d&#39;"),
	R("entities decoded then escaped", "&amp;&lt;&eacute;&#x1F600;",
	    "&amp;&lt;\xC3\xA9\xF0\x9F\x98\x80"),
	R("allowed kept", "<p><em>a</em> <strong>b</strong> <del>c</del></p>",
	    "<p><em>a</em> <strong>b</strong> <del>c</del></p>"),
	R("b i s mapped", "<b>x</b><i>y</i><s>z</s><strike>w</strike>",
	    "<strong>x</strong><em>y</em><del>z</del><del>w</del>"),
	R("attributes dropped", "<p class=\"x\" onclick=\"alert(1)\">a</p>",
	    "<p>a</p>"),
	R("script dropped", "a<script>alert(1)</script>b", "ab"),
	R("style dropped", "<style>p{}</style>x", "x"),
	R("iframe dropped", "<iframe src=\"https://evil\">t</iframe>x", "x"),
	R("svg dropped", "<svg><script>alert(1)</script><a href=\"x\">y</a></svg>z",
	    "z"),
	R("span unwrapped", "<span style=\"color:red\">red</span>", "red"),
	R("div unwrapped", "<div>a</div>", "a"),
	R("link http", "<a href=\"http://e.org/a?b=1&amp;c=2\" title=\"t\">x</a>",
	    A("http://e.org/a?b=1&amp;c=2") "x</a>"),
	R("link https", "<a href=\"https://e.org/\">x</a>",
	    A("https://e.org/") "x</a>"),
	R("link mailto", "<a href=\"mailto:a@b.c\">m</a>", A("mailto:a@b.c") "m</a>"),
	R("link relative", "<a href=\"/2020/01/01/x/#comment-3\">r</a>",
	    A("/2020/01/01/x/#comment-3") "r</a>"),
	R("link rel replaced", "<a href=\"https://e.org/\" rel=\"follow\" target=\"_blank\">x</a>",
	    A("https://e.org/") "x</a>"),
	R("javascript refused", "<a href=\"javascript:alert(1)\">x</a>", "x"),
	R("javascript case", "<a href=\"JaVaScRiPt:alert(1)\">x</a>", "x"),
	R("javascript entity", "<a href=\"&#106;avascript:alert(1)\">x</a>", "x"),
	R("javascript tab", "<a href=\"java\tscript:alert(1)\">x</a>", "x"),
	R("javascript newline entity", "<a href=\"java&#10;script:alert(1)\">x</a>", "x"),
	R("javascript leading space", "<a href=\" \x01javascript:alert(1)\">x</a>", "x"),
	R("data refused", "<a href=\"data:text/html,<script>\">x</a>", "x"),
	R("vbscript refused", "<a href=\"vbscript:msgbox\">x</a>", "x"),
	R("href quote encoded", "<a href='https://e.org/\"onmouseover=\"x'>q</a>",
	    A("https://e.org/%22onmouseover=%22x") "q</a>"),
	R("href spaces trimmed", "<a href=\"  https://e.org/a b  \">q</a>",
	    A("https://e.org/a%20b") "q</a>"),
	R("no href", "<a name=\"x\">anchor</a>", "anchor"),
	R("nested a", "<a href=\"/a\">1<a href=\"/b\">2</a></a>",
	    A("/a") "1</a>" A("/b") "2</a>"),
	R("img as link", "<img src=\"https://e.org/i.png\" alt=\"cat\" onerror=\"x\">",
	    A("https://e.org/i.png") "cat</a>"),
	R("img no alt", "<img src=\"https://e.org/i.png\">",
	    A("https://e.org/i.png") "https://e.org/i.png</a>"),
	R("img bad src", "<img src=\"javascript:x\" alt=\"a\">", "a"),
	R("img in link", "<a href=\"/x\"><img src=\"/i.png\" alt=\"pic\"></a>",
	    A("/x") "pic</a>"),
	R("heading", "<h2>Title</h2>", "<p><strong>Title</strong></p>"),
	R("lists", "<ul><li>a</li></ul><ol start=\"3\"><li>b</li></ol>",
	    "<ul><li>a</li></ul><ol start=\"3\"><li>b</li></ol>"),
	R("ol bad start", "<ol start=\"x\"><li>b</li></ol>", "<ol><li>b</li></ol>"),
	R("pre code", "<pre><code class=\"js\">a &lt; b</code></pre>",
	    "<pre><code>a &lt; b</code></pre>"),
	R("br hr", "a<br/>b<hr class=x>c", "a<br>b<hr>c"),
	R("blockquote", "<blockquote cite=\"x\">q</blockquote>",
	    "<blockquote>q</blockquote>"),
	R("unclosed tags closed", "<p><em>a", "<p><em>a</em></p>"),
	R("stray close", "a</em></p>b", "a<p></p>b"),
	R("comment dropped", "a<!-- <script> -->b", "ab"),
	R("nul dropped (HTML5 in-body rule)", "a\0b", "ab"),
	R("invalid utf8", "a\xff\xfe b", "a" FFFD FFFD " b"),
	R("rtl and combining", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D e\xCC\x81",
	    "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D e\xCC\x81"),
	R("form unwrapped input dropped",
	    "<form action=\"x\"><input value=\"v\">t</form>", "t"),
	R("object dropped", "<object data=\"x\"><param name=a>t</object>u", "u"),
	R("textarea dropped", "<textarea></p><script>x</script></textarea>ok",
	    "ok"),
	R("math dropped", "<math><mi>x</mi></math>y", "y"),
	R("noscript dropped", "<noscript><p>n</p></noscript>y", "y"),
	R("cdata in html", "<![CDATA[x]]>y", "y"),
};

static const struct rcase autop_cases[] = {
	R("empty", "", ""),
	R("one para", "hello", "<p>hello</p>\n"),
	R("two paras", "a\n\nb", "<p>a</p>\n<p>b</p>\n"),
	R("br", "a\nb", "<p>a<br />\nb</p>\n"),
	R("crlf", "a\r\n\r\nb\r\nc", "<p>a</p>\n<p>b<br />\nc</p>\n"),
	R("many blank lines", "a\n\n\n \n\nb", "<p>a</p>\n<p>b</p>\n"),
	R("inline tags", "a <em>b</em>\n\nc", "<p>a <em>b</em></p>\n<p>c</p>\n"),
	R("block not wrapped", "<h2>T</h2>\n\ntext",
	    "<h2>T</h2>\n<p>text</p>\n"),
	R("explicit p", "<p>a</p>\n<p>b</p>", "<p>a</p>\n<p>b</p>\n"),
	R("div inner paras", "<div>a\n\nb</div>",
	    "<div><p>a</p>\n<p>b</p>\n</div>\n"),
	R("list", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>",
	    "<ul><li>a</li>\n<li>b</li>\n</ul>\n"),
	R("pre kept", "<pre>a\n\nb</pre>\n\nc", "<pre>a\n\nb</pre>\n<p>c</p>\n"),
	R("more comment alone", "a\n\n<!--more-->\n\nb",
	    "<p>a</p>\n<!--more-->\n<p>b</p>\n"),
	R("lt not a tag", "1 < 2\n\n3", "<p>1 < 2</p>\n<p>3</p>\n"),
	R("unclosed tag text", "a <b", "<p>a <b</p>\n"),
	R("quoted gt in attr", "<a title=\"x>y\">l</a>",
	    "<p><a title=\"x>y\">l</a></p>\n"),
	R("hr", "a\n<hr />\nb", "<p>a</p>\n<hr />\n<p>b</p>\n"),
	R("figure", "<figure><img src=\"i\"><figcaption>c</figcaption></figure>",
	    "<figure><img src=\"i\"><figcaption>c</figcaption>\n"
	    "</figure>\n"),
};

static const struct rcase caption_cases[] = {
	R("none", "no shortcode [here]", "no shortcode [here]"),
	R("caption after img",
	    "[caption id=\"attachment_7\" align=\"aligncenter\" width=\"300\"]"
	    "<img src=\"/a.jpg\" /> A bridge at dawn[/caption]",
	    "<figure id=\"attachment_7\" class=\"wp-caption aligncenter\" "
	    "style=\"width: 300px\"><img src=\"/a.jpg\" />"
	    "<figcaption class=\"wp-caption-text\">A bridge at dawn</figcaption>"
	    "</figure>"),
	R("linked img",
	    "[caption align=alignleft width=\"10\"]<a href=\"/b\"><img src=\"/a.jpg\"></a>"
	    "Cap <em>x</em>[/caption]",
	    "<figure class=\"wp-caption alignleft\" style=\"width: 10px\">"
	    "<a href=\"/b\"><img src=\"/a.jpg\"></a>"
	    "<figcaption class=\"wp-caption-text\">Cap <em>x</em></figcaption>"
	    "</figure>"),
	R("caption attribute (old form)",
	    "[caption caption=\"Old ] style\"]<img src=\"/a.jpg\">[/caption]",
	    "<figure class=\"wp-caption\"><img src=\"/a.jpg\">"
	    "<figcaption class=\"wp-caption-text\">Old ] style</figcaption>"
	    "</figure>"),
	R("attr escaped", "[caption id='\"><script>' width=\"1;x\"]<img>[/caption]",
	    "<figure id=\"&quot;&gt;&lt;script&gt;\" class=\"wp-caption\">"
	    "<img></figure>"),
	R("unclosed", "[caption]<img>", "[caption]<img>"),
	R("wp_caption", "[wp_caption]<img>t[/wp_caption]",
	    "<figure class=\"wp-caption\"><img><figcaption class=\"wp-caption-text\">"
	    "t</figcaption></figure>"),
};

static const struct rcase excerpt_cases[] = {
	R("plain", "<p>Hello <em>big</em> world</p>", "Hello big world"),
	R("blocks spaced", "<p>a</p><p>b</p>", "a b"),
	R("script ignored", "<script>x()</script><p>t</p>", "t"),
	R("figcaption ignored", "<figure><img><figcaption>c</figcaption></figure>t",
	    "t"),
	R("entities", "a&amp;b &eacute;", "a&b \xC3\xA9"),
	R("cut", "<p>one two three four five six seven</p>", "one two\xE2\x80\xA6"),
};

static void
run_case(const struct rcase *c, enum perr (*fn)(const char *, size_t,
    struct buf *))
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(fn(c->in, c->n, &b), P_OK);
	if (strcmp(b.data ? b.data : "", c->want) != 0) {
		print_error("case %s\n  in:   %s\n  want: %s\n  got:  %s\n",
		    c->name, c->in, c->want, b.data ? b.data : "");
		fail();
	}
	buf_free(&b);
}

static enum perr
excerpt12(const char *s, size_t n, struct buf *b)
{
	return html_excerpt(s, n, 12, b);
}

static void t_san(void **st) { run_case(*st, html_sanitize_comment); }
static void t_autop(void **st) { run_case(*st, wp_autop); }
static void t_cap(void **st) { run_case(*st, wp_captions); }
static void t_exc(void **st)
{
	const struct rcase *c = *st;

	if (strcmp(c->name, "cut") == 0)
		run_case(c, excerpt12);
	else {
		struct buf b;

		buf_init(&b, 0);
		assert_int_equal(html_excerpt(c->in, c->n, 300, &b), P_OK);
		if (strcmp(b.data ? b.data : "", c->want) != 0) {
			print_error("case %s: got '%s'\n", c->name,
			    b.data ? b.data : "");
			fail();
		}
		buf_free(&b);
	}
}

/* A comment as WordPress shows it: paragraphs, then the allowlist. */
static void
t_comment_html(void **st)
{
	struct buf b;
	const char *in = "Hi <b>there</b>\n\n<a href=\"javascript:x\">bad</a>\n"
	    "<script>alert(1)</script>line";

	buf_init(&b, 0);
	assert_int_equal(wp_comment_html(in, strlen(in), &b), P_OK);
	/* <script> is a block for wpautop, then dropped entirely. */
	assert_string_equal(b.data, "<p>Hi <strong>there</strong></p>\n"
	    "<p>bad</p>\n\n<p>line</p>\n");
	buf_free(&b);
}

/* Deep nesting: flattened past the cap, output balanced, fast. */
static void
t_deep(void **st)
{
	struct buf in, b;
	size_t i, opens = 0;
	const char *p;

	buf_init(&in, 0);
	buf_init(&b, 0);
	for (i = 0; i < LIM_SANITIZE_TAGS - 10; i++)
		buf_puts(&in, "<blockquote>");
	buf_puts(&in, "deep");
	assert_int_equal(html_sanitize_comment(in.data, in.len, &b), P_OK);
	for (p = b.data; (p = strstr(p, "<blockquote>")) != NULL; p++)
		opens++;
	assert_int_equal(opens, LIM_SANITIZE_NESTING);
	assert_non_null(strstr(b.data, "deep"));
	buf_free(&in);
	buf_free(&b);
}

/* Past the tag or size cap, the comment is shown as text. */
static void
t_too_many_tags(void **st)
{
	struct buf in, b;
	size_t i;

	buf_init(&in, 0);
	buf_init(&b, 0);
	for (i = 0; i < LIM_SANITIZE_TAGS + 1; i++)
		buf_puts(&in, "<b>");
	buf_puts(&in, "x\n\ny");
	assert_int_equal(html_sanitize_comment(in.data, in.len, &b), P_OK);
	assert_true(strncmp(b.data, "<p>&lt;b&gt;", 12) == 0);
	assert_non_null(strstr(b.data, "x</p>\n<p>y</p>\n"));
	buf_free(&in);
	buf_free(&b);
}

/* A full buffer leaves the output as it was. */
static void
t_toobig(void **st)
{
	struct buf b;
	const char *in = "<p>a long enough comment to overflow</p>";

	buf_init(&b, 8);
	buf_puts(&b, "keep");
	assert_int_equal(html_sanitize_comment(in, strlen(in), &b), P_TOOBIG);
	assert_string_equal(b.data, "keep");
	buf_free(&b);
}

#define N(a) (sizeof(a) / sizeof(a[0]))

int
main(void)
{
	size_t n = N(san_cases) + N(autop_cases) + N(caption_cases) +
	    N(excerpt_cases) + 5, k = 0, i;
	struct CMUnitTest *t = calloc(n, sizeof(*t));

	if (t == NULL)
		return 1;
#define ADD(arr, fn) \
	for (i = 0; i < N(arr); i++) { \
		t[k].name = arr[i].name; \
		t[k].test_func = fn; \
		t[k].initial_state = (void *)&arr[i]; \
		k++; \
	}
	ADD(san_cases, t_san);
	ADD(autop_cases, t_autop);
	ADD(caption_cases, t_cap);
	ADD(excerpt_cases, t_exc);
	t[k++] = (struct CMUnitTest)cmocka_unit_test(t_comment_html);
	t[k++] = (struct CMUnitTest)cmocka_unit_test(t_deep);
	t[k++] = (struct CMUnitTest)cmocka_unit_test(t_too_many_tags);
	t[k++] = (struct CMUnitTest)cmocka_unit_test(t_toobig);
	return _cmocka_run_group_tests("sanitize", t, k, NULL, NULL);
}
