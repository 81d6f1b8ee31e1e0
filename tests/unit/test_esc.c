/* test_esc.c: the context escapers, one table per context. Each row is
 * one input (many of them hostile) and the exact bytes expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "render/esc.h"

typedef enum perr (*escfn)(struct buf *, const char *, size_t);

/* Literals only: sizeof keeps embedded NULs. */
struct ecase {
	const char *in;
	size_t inlen;
	const char *want;
	size_t wantlen;
};
#define C(in, want) { (in), sizeof(in) - 1, (want), sizeof(want) - 1 }

static void
show(const char *label, const char *s, size_t n)
{
	size_t i;

	fprintf(stderr, "%s \"", label);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fprintf(stderr, "\"\n");
}

/* Each row runs after a prefix already in the buf: escapers append. */
static void
run_table(const char *what, escfn fn, const struct ecase *t, size_t n)
{
	struct buf b;
	size_t i, bad = 0;
	enum perr e;

	for (i = 0; i < n; i++) {
		buf_init(&b, 0);
		assert_int_equal(buf_puts(&b, "[["), P_OK);
		e = fn(&b, t[i].in, t[i].inlen);
		if (e != P_OK || b.len != 2 + t[i].wantlen ||
		    memcmp(b.data, "[[", 2) != 0 ||
		    memcmp(b.data + 2, t[i].want, t[i].wantlen) != 0) {
			fprintf(stderr, "%s row %zu failed (%s)\n", what, i,
			    perr_str(e));
			show("  in:  ", t[i].in, t[i].inlen);
			show("  got: ", b.data + 2, b.len - 2);
			show("  want:", t[i].want, t[i].wantlen);
			bad++;
		}
		buf_free(&b);
	}
	if (bad)
		fail_msg("%s: %zu of %zu rows failed", what, bad, n);
}

#define RUN(fn, table) \
	run_table(#fn, fn, table, sizeof(table) / sizeof(table[0]))

/* Text and quoted attribute share one escaping set. */
static const struct ecase html_cases[] = {
	C("", ""),
	C("plain text", "plain text"),
	C("a & b", "a &amp; b"),
	C("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
	C("\"quoted\"", "&quot;quoted&quot;"),
	C("it's", "it&#39;s"),
	C("&amp;", "&amp;amp;"),
	C("&#106;", "&amp;#106;"),
	C("\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)"),
	C("' onfocus='alert(1)", "&#39; onfocus=&#39;alert(1)"),
	C("<<>>", "&lt;&lt;&gt;&gt;"),
	C("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
	C("<!-- -->", "&lt;!-- --&gt;"),
	C("x</textarea><script>", "x&lt;/textarea&gt;&lt;script&gt;"),
	C("caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80"),
	C("\xff<\xfe", "\xff&lt;\xfe"),
	C("\xc0\xbcscript\xc0\xbe", "\xc0\xbcscript\xc0\xbe"),
	C("a\0b<", "a\0b&lt;"),
	C("tab\tnl\ncr\r", "tab\tnl\ncr\r"),
	C("`backtick` =equals", "`backtick` =equals"),
	C("&", "&amp;"),
	C("'", "&#39;"),
};

static void
test_html_text(void **state)
{
	RUN(esc_html_text, html_cases);
}

static const struct ecase attr_extra[] = {
	C("x\" autofocus onfocus=\"alert(1)", "x&quot; autofocus onfocus=&quot;alert(1)"),
	C("x' style='x", "x&#39; style=&#39;x"),
	C("a=b&c=d", "a=b&amp;c=d"),
};

static void
test_html_attr(void **state)
{
	RUN(esc_html_attr, html_cases);
	RUN(esc_html_attr, attr_extra);
}

static const struct ecase url_attr_cases[] = {
	/* allowed */
	C("https://example.com/a?b=c&d=e", "https://example.com/a?b=c&amp;d=e"),
	C("http://x", "http://x"),
	C("HTTP://X", "HTTP://X"),
	C("HtTpS://x/y", "HtTpS://x/y"),
	C("https:", "https:"),
	C("mailto:x@y", "mailto:x@y"),
	C("MAILTO:x@y", "MAILTO:x@y"),
	C("  https://x", "  https://x"),
	C("/a:b", "/a:b"),
	C("?q=a:b", "?q=a:b"),
	C("#frag:x", "#frag:x"),
	C("page.html", "page.html"),
	C("../up/a:b", "../up/a:b"),
	C("//example.com/x", "//example.com/x"),
	C("", ""),
	C("\"><script>alert(1)</script>", "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
	C("https://x/\" onmouseover=\"alert(1)", "https://x/&quot; onmouseover=&quot;alert(1)"),
	/* entity-spelled schemes stay literal text once '&' is escaped */
	C("&#106;avascript:alert(1)", "&amp;#106;avascript:alert(1)"),
	C("javascript&#58;alert(1)", "javascript&amp;#58;alert(1)"),
	/* refused */
	C("javascript:alert(1)", "#"),
	C("JaVaScRiPt:alert(1)", "#"),
	C("JAVASCRIPT:alert(1)", "#"),
	C(" \tjavascript:alert(1)", "#"),
	C("\x01\x1f javascript:alert(1)", "#"),
	C("\0javascript:alert(1)", "#"),
	C("java\nscript:alert(1)", "#"),
	C("java\tscript:alert(1)", "#"),
	C("java\rscript:alert(1)", "#"),
	C("ht\ttp://x", "#"),
	C("https\n://x", "#"),
	C("data:text/html,<script>alert(1)</script>", "#"),
	C("data:text/html;base64,PHNjcmlwdD4=", "#"),
	C("vbscript:msgbox(1)", "#"),
	C("file:///etc/passwd", "#"),
	C("ftp://x", "#"),
	C(":nothing", "#"),
	C("a b:c", "#"),
	C("\xe2\x80\x8bjavascript:alert(1)", "#"),
	C("\x7fjavascript:alert(1)", "#"),
	C("javascript:/x", "#"),
	C("https\0:x", "#"),
	C("httpx://x", "#"),
	C("mailt:x", "#"),
};

static void
test_url_attr(void **state)
{
	RUN(esc_url_attr, url_attr_cases);
}

struct scase {
	const char *in;
	size_t len;
	int want;
};
#define S(in, want) { (in), sizeof(in) - 1, (want) }

static const struct scase scheme_cases[] = {
	S("", 1),
	S("relative/path", 1),
	S("/a:b", 1),
	S("?q=a:b", 1),
	S("#x:y", 1),
	S("http://x", 1),
	S("https://x", 1),
	S("mailto:x@y", 1),
	S("\n\t https://x", 1),
	S("hTTp:", 1),
	S("javascript:alert(1)", 0),
	S("JaVaScRiPt:alert(1)", 0),
	S(" \tjavascript:x", 0),
	S("java\nscript:x", 0),
	S("java\tscript:x", 0),
	S("data:text/html,x", 0),
	S("vbscript:x", 0),
	S("http", 1),
	S("x:", 0),
	S(":", 0),
	S("https :x", 0),
};

static void
test_url_scheme_ok(void **state)
{
	size_t i, bad = 0;

	for (i = 0; i < sizeof(scheme_cases) / sizeof(scheme_cases[0]); i++) {
		if (esc_url_scheme_ok(scheme_cases[i].in, scheme_cases[i].len) !=
		    scheme_cases[i].want) {
			fprintf(stderr, "scheme row %zu failed\n", i);
			show("  in:", scheme_cases[i].in, scheme_cases[i].len);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static const struct ecase url_comp_cases[] = {
	C("", ""),
	C("abcXYZ019-._~", "abcXYZ019-._~"),
	C("a b", "a%20b"),
	C("a/b?c=d&e#f", "a%2Fb%3Fc%3Dd%26e%23f"),
	C("caf\xc3\xa9", "caf%C3%A9"),
	C("100%", "100%25"),
	C("a+b", "a%2Bb"),
	C("\0", "%00"),
	C("\xff\x80", "%FF%80"),
	C("<\"'>", "%3C%22%27%3E"),
	C("javascript:alert(1)", "javascript%3Aalert%281%29"),
	C("\r\n", "%0D%0A"),
	C("..", ".."),
	C("@!$*,;", "%40%21%24%2A%2C%3B"),
};

static void
test_url_component(void **state)
{
	RUN(esc_url_component, url_comp_cases);
}

static const struct ecase xml_cases[] = {
	C("", ""),
	C("plain", "plain"),
	C("a & b <c> \"d\" 'e'", "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"),
	C("]]>", "]]&gt;"),
	C("<![CDATA[x]]>", "&lt;![CDATA[x]]&gt;"),
	C("tab\there\nline\r", "tab\there\nline\r"),
	C("\x01\x02x\x1f\x0b\x0c\x08y", "xy"),
	C("a\0b", "ab"),
	C("\x7f", "\x7f"),
	C("caf\xc3\xa9", "caf\xc3\xa9"),
	C("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
	C("\xc2\x85", "\xc2\x85"),
	C("\xff", "\xef\xbf\xbd"),
	C("a\x80z", "a\xef\xbf\xbdz"),
	C("\xc0\xbc", "\xef\xbf\xbd\xef\xbf\xbd"),
	C("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"),
	C("\xef\xbf\xbe|\xef\xbf\xbf", "|"),
	C("\xef\xbf\xbd", "\xef\xbf\xbd"),
	C("trunc\xe2\x82", "trunc\xef\xbf\xbd\xef\xbf\xbd"),
	C("&amp;", "&amp;amp;"),
};

static void
test_xml_text(void **state)
{
	RUN(esc_xml_text, xml_cases);
}

static const struct ecase json_cases[] = {
	C("", "\"\""),
	C("abc", "\"abc\""),
	C("\"", "\"\\\"\""),
	C("\\", "\"\\\\\""),
	C("a\"b\\c", "\"a\\\"b\\\\c\""),
	C("/", "\"\\/\""),
	C("</script><script>alert(1)</script>",
	    "\"\\u003c\\/script\\u003e\\u003cscript\\u003ealert(1)\\u003c\\/script\\u003e\""),
	C("<!--", "\"\\u003c!--\""),
	C("a&b", "\"a\\u0026b\""),
	C("\n\r\t\b\f", "\"\\u000a\\u000d\\u0009\\u0008\\u000c\""),
	C("\0", "\"\\u0000\""),
	C("\x1f\x01", "\"\\u001f\\u0001\""),
	C("\x7f", "\"\\u007f\""),
	C("'", "\"'\""),
	C("caf\xc3\xa9", "\"caf\xc3\xa9\""),
	C("\xf0\x9f\x98\x80 smile", "\"\xf0\x9f\x98\x80 smile\""),
	C("\xe2\x80\xa8", "\"\\u2028\""),
	C("a\xe2\x80\xa9" "b", "\"a\\u2029b\""),
	C("\xe2\x80\xa7", "\"\xe2\x80\xa7\""),
	C("\xff", "\"\\ufffd\""),
	C("\x80", "\"\\ufffd\""),
	C("\xc0\xaf", "\"\\ufffd\\ufffd\""),
	C("\xe2\x80", "\"\\ufffd\\ufffd\""),
	C("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""),
	C("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""),
	C("\xf0\x9f\x98", "\"\\ufffd\\ufffd\\ufffd\""),
	C("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\""),
	C("x\xfe<", "\"x\\ufffd\\u003c\""),
};

static void
test_json_str(void **state)
{
	RUN(esc_json_str, json_cases);
}

/* Buf maximum: exact fit succeeds, one byte short is P_TOOBIG with the
 * buf exactly as it was (no half entity). */
struct bcase {
	const char *what;
	escfn fn;
	const char *in;
	size_t need; /* bytes the escaper appends */
};

static const struct bcase big_cases[] = {
	{ "html_text", esc_html_text, "a<b", 6 },
	{ "html_text", esc_html_text, "<<<<", 16 },
	{ "html_attr", esc_html_attr, "\"'", 11 },
	{ "url_attr", esc_url_attr, "/a&b", 8 },
	{ "url_attr refused", esc_url_attr, "javascript:x", 1 },
	{ "url_component", esc_url_component, "a b", 5 },
	{ "xml_text", esc_xml_text, "x&y", 7 },
	{ "xml_text bad utf8", esc_xml_text, "\xff", 3 },
	{ "json_str", esc_json_str, "<", 8 },
	{ "json_str empty", esc_json_str, "", 2 },
	{ "json_str plain", esc_json_str, "abc", 5 },
};

static void
test_toobig(void **state)
{
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(big_cases) / sizeof(big_cases[0]); i++) {
		const struct bcase *c = &big_cases[i];

		buf_init(&b, 2 + c->need);
		assert_int_equal(buf_puts(&b, "ok"), P_OK);
		if (c->fn(&b, c->in, strlen(c->in)) != P_OK ||
		    b.len != 2 + c->need)
			fail_msg("%s: exact fit failed", c->what);
		buf_free(&b);

		buf_init(&b, 2 + c->need - 1);
		assert_int_equal(buf_puts(&b, "ok"), P_OK);
		if (c->fn(&b, c->in, strlen(c->in)) != P_TOOBIG)
			fail_msg("%s: one short not P_TOOBIG", c->what);
		assert_int_equal(b.len, 2);
		assert_string_equal(b.data, "ok");
		buf_free(&b);
	}
}

/* A long input with escapes spread through it comes out whole. */
static void
test_long_input(void **state)
{
	char in[3000];
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i % 3 == 0 ? '<' : 'x';
	buf_init(&b, 0);
	assert_int_equal(esc_html_text(&b, in, sizeof(in)), P_OK);
	assert_int_equal(b.len, 1000 * 4 + 2000);
	assert_int_equal(strncmp(b.data, "&lt;xx&lt;xx", 12), 0);
	buf_free(&b);
}

static void
test_html_marked(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a);
	assert_string_equal(esc_html_marked(&a, "a \x02" "b\x03 <c>").html,
	    "a <mark>b</mark> &lt;c&gt;");
	/* Unclosed: closed at the end; stray and nested markers vanish. */
	assert_string_equal(esc_html_marked(&a, "\x02x & y").html,
	    "<mark>x &amp; y</mark>");
	assert_string_equal(esc_html_marked(&a, "\x03x\x02\x02y\x03\x03").html,
	    "x<mark>y</mark>");
	assert_string_equal(esc_html_marked(&a, "").html, "");
	assert_string_equal(esc_html_marked(&a, "\x02\"'\x03").html,
	    "<mark>&quot;&#39;</mark>");
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_html_attr),
		cmocka_unit_test(test_url_attr),
		cmocka_unit_test(test_url_scheme_ok),
		cmocka_unit_test(test_url_component),
		cmocka_unit_test(test_xml_text),
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_toobig),
		cmocka_unit_test(test_long_input),
		cmocka_unit_test(test_html_marked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
