/* test_tmpl.c: the template engine. Most cases are rows of template text
 * and the exact output against one fixture context; then compile errors
 * (exact messages), partial recursion, limits and the value API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <cmocka.h>

#include "base/limits.h"
#include "render/tmpl.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* A source from a literal; sizeof keeps the length honest. */
#define SRC(name, lit) { (name), (lit), sizeof(lit) - 1 }

static struct arena fx_arena;
static struct tval *fx;

/* The fixture every golden row renders against. */
static int
fx_setup(void **state)
{
	struct tval *site, *nav, *posts, *p, *tags, *nums, *deep;

	arena_init(&fx_arena);
	fx = tv_obj(&fx_arena);
	tv_str(fx, "name", "Ada");
	tv_str(fx, "title", "Hello <World>");
	tv_str(fx, "quote", "\"'&");
	tv_str(fx, "empty", "");
	tv_int(fx, "n", 42);
	tv_int(fx, "neg", -7);
	tv_int(fx, "zero", 0);
	tv_int(fx, "min", INT64_MIN);
	tv_int(fx, "max", INT64_MAX);
	tv_bool(fx, "yes", 1);
	tv_bool(fx, "no", 0);
	tv_bool(fx, "two", 2);
	tv_html(fx, "body", html_trusted_literal("<p>hi &amp; bye</p>"));
	tv_html(fx, "nohtml", html_trusted_literal(""));
	tv_str(fx, "bodytext", "<p>hi &amp; bye</p>");
	tv_str(fx, "url", "/root");

	site = tv_obj(&fx_arena);
	tv_str(site, "title", "Site & Co");
	nav = tv_obj(&fx_arena);
	tv_str(nav, "home", "/");
	tv_put(site, "nav", nav);
	tv_put(fx, "site", site);

	posts = tv_list(&fx_arena);
	p = tv_push(posts);
	tv_str(p, "title", "One");
	tv_str(p, "url", "/1?a=b&c=d");
	tags = tv_list(&fx_arena);
	tv_str(tags, NULL, "a<");
	tv_str(tags, NULL, "b");
	tv_put(p, "tags", tags);
	p = tv_push(posts);
	tv_str(p, "title", "Two");
	tv_str(p, "url", "/2");
	tv_put(p, "tags", tv_list(&fx_arena));
	tv_put(fx, "posts", posts);

	tv_put(fx, "none", tv_list(&fx_arena));
	nums = tv_list(&fx_arena);
	tv_int(nums, NULL, 1);
	tv_int(nums, NULL, 2);
	tv_int(nums, NULL, 3);
	tv_put(fx, "nums", nums);
	tv_put(fx, "emptyobj", tv_obj(&fx_arena));

	deep = tv_obj(&fx_arena);
	tv_put(deep, "b", tv_obj(&fx_arena));
	tv_str((struct tval *)tv_obj(&fx_arena), "unused", "x");
	tv_put(fx, "a", deep);
	{
		struct tval *c = tv_obj(&fx_arena);

		tv_str(c, "c", "abc");
		tv_put(deep, "b", c); /* replaces the empty object */
	}
	*state = NULL;
	return 0;
}

static int
fx_teardown(void **state)
{
	arena_free(&fx_arena);
	return 0;
}

struct gcase {
	const char *tmpl;
	const char *want;
};

/* Partials every golden row may use. */
static const struct tmpl_src helpers[] = {
	SRC("hdr", "<h1>{{title}}</h1>"),
	SRC("li", "<li>{{.}}</li>"),
};

static const struct gcase golden[] = {
	/* text */
	{ "", "" },
	{ "plain text", "plain text" },
	{ "{name} { {name} } }} {", "{name} { {name} } }} {" },
	{ "x\n{{#yes}}\ny\n{{/yes}}\n", "x\n\ny\n\n" },
	/* variables */
	{ "{{name}}", "Ada" },
	{ "{{ name }}", "Ada" },
	{ "{{\tname\n}}", "Ada" },
	{ "{{title}}", "Hello &lt;World&gt;" },
	{ "{{quote}}", "&quot;&#39;&amp;" },
	{ "{{body}}", "<p>hi &amp; bye</p>" },
	{ "{{bodytext}}", "&lt;p&gt;hi &amp;amp; bye&lt;/p&gt;" },
	{ "<a title=\"{{quote}}\">", "<a title=\"&quot;&#39;&amp;\">" },
	{ "[{{missing}}]", "[]" },
	{ "[{{n}}|{{neg}}|{{zero}}]", "[42|-7|0]" },
	{ "{{min}} {{max}}", "-9223372036854775808 9223372036854775807" },
	{ "[{{yes}}{{no}}{{posts}}{{site}}{{none}}]", "[]" },
	{ "[{{.}}]", "[]" },
	/* dotted names */
	{ "{{site.title}}", "Site &amp; Co" },
	{ "{{site.nav.home}}", "/" },
	{ "{{a.b.c}}", "abc" },
	{ "[{{site.missing.x}}]", "[]" },
	{ "[{{name.x}}]", "[]" },
	{ "[{{site.title.x}}]", "[]" },
	{ "[{{missing.title}}]", "[]" },
	/* sections over bools, ints, strings */
	{ "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}", "Y" },
	{ "{{#two}}T{{/two}}", "T" },
	{ "{{#n}}n{{/n}}{{#zero}}z{{/zero}}{{#neg}}-{{/neg}}", "n-" },
	{ "{{#name}}[{{.}}]{{/name}}", "[Ada]" },
	{ "{{#title}}{{.}}{{/title}}", "Hello &lt;World&gt;" },
	{ "{{#body}}{{.}}{{/body}}", "<p>hi &amp; bye</p>" },
	{ "{{#empty}}E{{/empty}}", "" },
	{ "{{#nohtml}}H{{/nohtml}}", "" },
	{ "{{#missing}}x{{/missing}}", "" },
	{ "{{#yes}}{{name}}{{/yes}}", "Ada" },
	/* inverted */
	{ "{{^yes}}Y{{/yes}}{{^no}}N{{/no}}", "N" },
	{ "{{^zero}}zero{{/zero}}{{^n}}n{{/n}}", "zero" },
	{ "{{^empty}}empty{{/empty}}{{^name}}name{{/name}}", "empty" },
	{ "{{^missing}}absent{{/missing}}", "absent" },
	{ "{{^none}}no items{{/none}}{{^posts}}no posts{{/posts}}", "no items" },
	{ "{{^emptyobj}}x{{/emptyobj}}{{^site}}y{{/site}}", "" },
	{ "{{^site.missing}}m{{/site.missing}}", "m" },
	/* objects */
	{ "{{#site}}{{title}}|{{nav.home}}|{{name}}{{/site}}", "Site &amp; Co|/|Ada" },
	{ "{{#site.nav}}{{home}}{{/site.nav}}", "/" },
	{ "{{#emptyobj}}obj {{name}}{{/emptyobj}}", "obj Ada" },
	{ "{{#site}}{{#nav}}{{home}}{{title}}{{/nav}}{{/site}}", "/Site &amp; Co" },
	/* lists */
	{ "{{#posts}}<a href=\"{{url}}\">{{title}}</a>{{/posts}}",
	  "<a href=\"/1?a=b&amp;c=d\">One</a><a href=\"/2\">Two</a>" },
	{ "{{#posts}}{{title}}:{{#tags}}{{.}},{{/tags}}{{^tags}}none{{/tags}};{{/posts}}",
	  "One:a&lt;,b,;Two:none;" },
	{ "{{#posts}}{{name}}{{/posts}}", "AdaAda" },
	{ "{{#posts}}{{site.title}};{{/posts}}", "Site &amp; Co;Site &amp; Co;" },
	{ "{{#posts}}{{#tags}}{{title}}{{/tags}}{{/posts}}", "OneOne" },
	{ "{{#posts}}{{#site}}{{title}}{{/site}}{{/posts}}", "Site &amp; CoSite &amp; Co" },
	{ "{{#posts}}{{title}}{{/posts}}{{title}}", "OneTwoHello &lt;World&gt;" },
	{ "{{#posts}}[{{.}}]{{/posts}}", "[][]" },
	{ "{{#none}}x{{/none}}", "" },
	{ "{{#nums}}{{.}} {{/nums}}", "1 2 3 " },
	{ "{{#nums}}{{#nums}}{{.}}{{/nums}},{{/nums}}", "123,123,123," },
	{ "{{#posts}}{{#tags}}{{.}}{{/tags}}{{/posts}}", "a&lt;b" },
	{ "{{#posts}}{{url}}{{/posts}}{{url}}", "/1?a=b&amp;c=d/2/root" },
	/* comments */
	{ "a{{! comment }}b", "ab" },
	{ "a{{! multi\nline {{ }}b", "ab" },
	{ "a{{!}}b", "ab" },
	/* partials */
	{ "{{>hdr}}", "<h1>Hello &lt;World&gt;</h1>" },
	{ "{{> hdr }}", "<h1>Hello &lt;World&gt;</h1>" },
	{ "{{#posts}}{{>hdr}}{{/posts}}", "<h1>One</h1><h1>Two</h1>" },
	{ "<ul>{{#nums}}{{>li}}{{/nums}}</ul>", "<ul><li>1</li><li>2</li><li>3</li></ul>" },
	{ "{{#posts}}{{#tags}}{{>li}}{{/tags}}{{/posts}}", "<li>a&lt;</li><li>b</li>" },
};

static enum perr
render_one(const char *text, const struct tval *ctx, struct buf *out,
    char *err, size_t errsz)
{
	struct tmpl_src srcs[NELEM(helpers) + 1];
	struct tmpl_set *ts;
	enum perr e;

	srcs[0].name = "t";
	srcs[0].text = text;
	srcs[0].len = strlen(text);
	memcpy(srcs + 1, helpers, sizeof(helpers));
	if ((e = tmpl_set_compile(srcs, NELEM(srcs), &ts, err, errsz)) != P_OK)
		return e;
	e = tmpl_render(ts, "t", ctx, out);
	tmpl_set_free(ts);
	return e;
}

static void
test_golden(void **state)
{
	struct buf b;
	char err[200];
	size_t i, bad = 0;
	enum perr e;

	for (i = 0; i < NELEM(golden); i++) {
		buf_init(&b, 0);
		buf_puts(&b, "~");
		e = render_one(golden[i].tmpl, fx, &b, err, sizeof(err));
		if (e != P_OK || b.data[0] != '~' ||
		    strcmp(b.data + 1, golden[i].want) != 0) {
			fprintf(stderr, "golden row %zu: %s\n  tmpl: %s\n"
			    "  got:  %s\n  want: %s\n", i,
			    e == P_BADINPUT ? err : perr_str(e), golden[i].tmpl,
			    b.data, golden[i].want);
			bad++;
		}
		buf_free(&b);
	}
	if (bad)
		fail_msg("%zu of %zu golden rows failed", bad, NELEM(golden));
}

/* Compile errors: exact "name:line: reason". Two sources: "t" and "ok". */
struct ecase {
	const char *tmpl;
	const char *want;
};

static const struct ecase errors[] = {
	{ "{{#a}}x", "t:1: unclosed section 'a'" },
	{ "one\ntwo\n{{#a}}\n{{#b}}{{/b}}\n", "t:3: unclosed section 'a'" },
	{ "{{#a}}\n{{^b}}\n", "t:2: unclosed section 'b'" },
	{ "{{#a}}{{/b}}", "t:1: mismatched close 'b', expected 'a'" },
	{ "{{#a}}\n{{#b}}\n{{/a}}", "t:3: mismatched close 'a', expected 'b'" },
	{ "\n\n{{/a}}", "t:3: close without open section 'a'" },
	{ "{{#a}}{{/a}}{{/a}}", "t:1: close without open section 'a'" },
	{ "{{>nope}}", "t:1: unknown partial 'nope'" },
	{ "\n{{! multi\nline }}\n{{>x}}", "t:4: unknown partial 'x'" },
	{ "{{>ok }}{{>o k}}", "t:1: unknown partial 'o k'" },
	{ "{{}}", "t:1: empty tag" },
	{ "{{ }}", "t:1: empty tag" },
	{ "\n{{#}}", "t:2: empty tag" },
	{ "{{/ }}", "t:1: empty tag" },
	{ "{{^\n}}", "t:1: empty tag" },
	{ "{{>}}", "t:1: empty tag" },
	{ "a\n{{name", "t:2: unterminated tag" },
	{ "{{name}", "t:1: unterminated tag" },
	{ "x{{", "t:1: unterminated tag" },
	{ "{{!never closed", "t:1: unterminated tag" },
	{ "{{{raw}}}", "t:1: unsupported tag '{{{'" },
	{ "{{&raw}}", "t:1: unsupported tag '{{&'" },
	{ "{{=<% %>=}}", "t:1: unsupported tag '{{='" },
	{ "{{a..b}}", "t:1: bad name 'a..b'" },
	{ "{{.a}}", "t:1: bad name '.a'" },
	{ "{{a.}}", "t:1: bad name 'a.'" },
	{ "{{a b}}", "t:1: bad name 'a b'" },
	{ "{{#a<b}}{{/a<b}}", "t:1: bad name 'a<b'" },
	{ "{{..}}", "t:1: bad name '..'" },
};

static void
test_compile_errors(void **state)
{
	struct tmpl_src srcs[2];
	struct tmpl_set *ts;
	char err[200];
	size_t i, bad = 0;
	enum perr e;

	for (i = 0; i < NELEM(errors); i++) {
		srcs[0] = (struct tmpl_src){ "t", errors[i].tmpl,
		    strlen(errors[i].tmpl) };
		srcs[1] = (struct tmpl_src)SRC("ok", "fine");
		ts = (struct tmpl_set *)&ts; /* must be reset to NULL */
		memset(err, 'z', sizeof(err));
		e = tmpl_set_compile(srcs, 2, &ts, err, sizeof(err));
		if (e != P_BADINPUT || ts != NULL ||
		    strcmp(err, errors[i].want) != 0) {
			fprintf(stderr, "error row %zu: %s\n  got:  %s\n"
			    "  want: %s\n", i, perr_str(e),
			    e == P_OK ? "(compiled)" : err, errors[i].want);
			bad++;
		}
		if (e == P_OK)
			tmpl_set_free(ts);
	}
	if (bad)
		fail_msg("%zu of %zu error rows failed", bad, NELEM(errors));
}

static void
test_compile_errors_set(void **state)
{
	struct tmpl_src dup[] = {
		SRC("a", "x"), SRC("b", "y"), SRC("a", "z"),
	};
	struct tmpl_src later[] = {
		SRC("ok", "fine"), SRC("bad", "{{>ok}}\n{{#x}}"),
	};
	struct tmpl_src noname[] = { { NULL, "x", 1 } };
	struct tmpl_src longname;
	struct tmpl_set *ts;
	char err[200], small[8], text[300];

	assert_int_equal(tmpl_set_compile(dup, 3, &ts, err, sizeof(err)),
	    P_BADINPUT);
	assert_null(ts);
	assert_string_equal(err, "a:1: duplicate template name");

	/* The error names the template it is in, not the first one. */
	assert_int_equal(tmpl_set_compile(later, 2, &ts, err, sizeof(err)),
	    P_BADINPUT);
	assert_string_equal(err, "bad:2: unclosed section 'x'");

	assert_int_equal(tmpl_set_compile(noname, 1, &ts, err, sizeof(err)),
	    P_BADINPUT);
	assert_null(ts);

	/* A short err buffer truncates the message, never overflows. */
	assert_int_equal(tmpl_set_compile(later, 2, &ts, small, sizeof(small)),
	    P_BADINPUT);
	assert_string_equal(small, "bad:2: ");
	assert_int_equal(tmpl_set_compile(later, 2, &ts, small, 3), P_BADINPUT);
	assert_string_equal(small, "ba");
	/* No err buffer at all. */
	assert_int_equal(tmpl_set_compile(later, 2, &ts, NULL, 0), P_BADINPUT);

	/* Long names are cut in the message. */
	memset(text, 'n', sizeof(text));
	memcpy(text, "{{#", 3);
	longname = (struct tmpl_src){ "t", text, sizeof(text) };
	assert_int_equal(tmpl_set_compile(&longname, 1, &ts, err, sizeof(err)),
	    P_BADINPUT);
	assert_string_equal(err, "t:1: unterminated tag");
	memcpy(text + sizeof(text) - 2, "}}", 2);
	assert_int_equal(tmpl_set_compile(&longname, 1, &ts, err, sizeof(err)),
	    P_BADINPUT);
	assert_true(strlen(err) < 100);
	assert_true(strncmp(err, "t:1: unclosed section 'nnn", 26) == 0);
}

/* Exactly LIM_TMPL_DEPTH nested sections compile, one more does not. */
static void
test_compile_nesting(void **state)
{
	struct buf b;
	struct tmpl_src src;
	struct tmpl_set *ts;
	char err[200];
	int i;

	buf_init(&b, 0);
	for (i = 0; i < LIM_TMPL_DEPTH; i++)
		buf_puts(&b, "{{#yes}}");
	buf_puts(&b, "deep");
	for (i = 0; i < LIM_TMPL_DEPTH; i++)
		buf_puts(&b, "{{/yes}}");
	src = (struct tmpl_src){ "t", b.data, b.len };
	assert_int_equal(tmpl_set_compile(&src, 1, &ts, err, sizeof(err)),
	    P_OK);
	buf_reset(&b);
	assert_int_equal(tmpl_render(ts, "t", fx, &b), P_OK);
	assert_string_equal(b.data, "deep");
	tmpl_set_free(ts);

	buf_reset(&b);
	for (i = 0; i < LIM_TMPL_DEPTH + 1; i++)
		buf_puts(&b, "{{#yes}}");
	src = (struct tmpl_src){ "t", b.data, b.len };
	assert_int_equal(tmpl_set_compile(&src, 1, &ts, err, sizeof(err)),
	    P_BADINPUT);
	assert_string_equal(err, "t:1: sections nested deeper than 64");
	buf_free(&b);
}

/* A comment tree rendered by a partial that includes itself. */
static const struct tmpl_src tree_srcs[] = {
	SRC("page", "<ul>{{#comments}}{{>node}}{{/comments}}</ul>"),
	SRC("node", "<li>{{author}}{{#children}}<ul>{{>node}}</ul>{{/children}}"
	    "{{^children}}.{{/children}}</li>"),
};

/* Every node gets its own children list, empty for a leaf: a node without
 * the key would see its parent's list through the scope stack (Mustache
 * lookup) and recurse until the depth limit; see test_depth_limit. */
static struct tval *
tree_node(struct arena *a, struct tval *list, const char *author)
{
	struct tval *n = tv_push(list), *kids = tv_list(a);

	tv_str(n, "author", author);
	tv_put(n, "children", kids);
	return kids;
}

static void
test_recursive_partial(void **state)
{
	struct arena a;
	struct tval *ctx, *list, *kids;
	struct tmpl_set *ts;
	struct buf b;
	static const char *const chain[] = { "c2", "c3", "c4", "c5" };
	char err[200];
	size_t i;

	assert_int_equal(tmpl_set_compile(tree_srcs, 2, &ts, err, sizeof(err)),
	    P_OK);
	arena_init(&a);
	ctx = tv_obj(&a);
	list = tv_list(&a);
	tv_put(ctx, "comments", list);
	/* c1 > c2 > c3 > c4 > c5 (five deep), plus a sibling of c2 and c1. */
	kids = tree_node(&a, list, "c1");
	tree_node(&a, kids, "c2b");
	for (i = 0; i < NELEM(chain); i++)
		kids = tree_node(&a, kids, chain[i]);
	tree_node(&a, list, "<c1b>");

	buf_init(&b, 0);
	assert_int_equal(tmpl_render(ts, "page", ctx, &b), P_OK);
	assert_string_equal(b.data,
	    "<ul><li>c1<ul><li>c2b.</li></ul><ul><li>c2<ul><li>c3<ul><li>c4"
	    "<ul><li>c5.</li></ul></li></ul></li></ul></li></ul></li>"
	    "<li>&lt;c1b&gt;.</li></ul>");
	buf_free(&b);
	arena_free(&a);
	tmpl_set_free(ts);
}

/* The same tree, made while it renders: one frame per level refilled by
 * tv_iter's callback, as the article page renders its comments. */
struct lazy_node {
	const char *author;
	const struct lazy_node *kids;   /* array ended by author NULL */
};

struct lazy_level {
	struct arena *a;
	struct lazy_level *down;        /* the next level, or NULL */
	const struct lazy_node *nodes;
	struct tval *frame;
	size_t asked;                   /* items handed out */
};

static const char *const lazy_keys[] = { "author", "children" };

static size_t
lazy_count(const struct lazy_node *n)
{
	size_t k = 0;

	while (n && n[k].author)
		k++;
	return k;
}

static const struct tval *
lazy_next(void *arg, size_t k)
{
	struct lazy_level *lv = arg;
	const struct lazy_node *n;

	assert_int_equal(k, lv->asked);   /* in order, each once */
	if (k >= lazy_count(lv->nodes))
		return NULL;
	lv->asked++;
	n = &lv->nodes[k];
	if (lv->frame == NULL)
		lv->frame = tv_frame(lv->a, lazy_keys, NELEM(lazy_keys));
	tv_fstr(lv->frame, 0, n->author);
	lv->down->nodes = n->kids;
	lv->down->asked = 0;
	tv_fiter(lv->frame, 1, lazy_count(n->kids), lazy_next, lv->down);
	return lv->frame;
}

static void
test_lazy_frames(void **state)
{
	static const struct lazy_node c5[] = { { "c5", NULL }, { NULL, NULL } };
	static const struct lazy_node c4[] = { { "c4", c5 }, { NULL, NULL } };
	static const struct lazy_node c3[] = { { "c3", c4 }, { NULL, NULL } };
	static const struct lazy_node c2[] = { { "c2b", NULL }, { "c2", c3 },
		{ NULL, NULL } };
	static const struct lazy_node top[] = { { "c1", c2 }, { "<c1b>", NULL },
		{ NULL, NULL } };
	struct lazy_level lv[7];
	struct arena a;
	struct tval *ctx;
	struct tmpl_set *ts;
	struct buf b;
	char err[200];
	size_t i;

	assert_int_equal(tmpl_set_compile(tree_srcs, 2, &ts, err, sizeof(err)),
	    P_OK);
	arena_init(&a);
	memset(lv, 0, sizeof(lv));
	for (i = 0; i < NELEM(lv); i++) {
		lv[i].a = &a;
		lv[i].down = i + 1 < NELEM(lv) ? &lv[i + 1] : NULL;
	}
	lv[0].nodes = top;
	ctx = tv_obj(&a);
	tv_iter(ctx, "comments", lazy_count(top), lazy_next, &lv[0]);
	assert_int_equal(tv_len(ctx), 0);
	buf_init(&b, 0);
	assert_int_equal(tmpl_render(ts, "page", ctx, &b), P_OK);
	assert_string_equal(b.data,
	    "<ul><li>c1<ul><li>c2b.</li></ul><ul><li>c2<ul><li>c3<ul><li>c4"
	    "<ul><li>c5.</li></ul></li></ul></li></ul></li></ul></li>"
	    "<li>&lt;c1b&gt;.</li></ul>");
	/* An empty lazy list is falsy and renders nothing. */
	buf_reset(&b);
	tv_iter(ctx, "comments", 0, NULL, NULL);
	assert_int_equal(tmpl_render(ts, "page", ctx, &b), P_OK);
	assert_string_equal(b.data, "<ul></ul>");
	/* A frame is an object to the setters too: a new key is added,
	 * an existing one replaced. */
	{
		struct tval *f = tv_frame(&a, lazy_keys, NELEM(lazy_keys));

		tv_str(f, "author", "replaced");
		tv_str(f, "extra", "added");
		buf_reset(&b);
		assert_int_equal(render_one("{{author}} {{extra}} [{{children}}]",
		    f, &b, NULL, 0), P_OK);
		assert_string_equal(b.data, "replaced added []");
	}
	buf_free(&b);
	arena_free(&a);
	tmpl_set_free(ts);
}

/* Deeper than LIM_TMPL_DEPTH is P_TOOBIG (never a crash) and leaves the
 * output as it was. */
static void
test_depth_limit(void **state)
{
	static const struct tmpl_src srcs[] = {
		SRC("self", "x{{>self}}"),
		SRC("a", "{{>b}}"),
		SRC("b", "{{>a}}"),
		SRC("page", "<ul>{{#comments}}{{>node}}{{/comments}}</ul>"),
		SRC("node", "{{author}}{{#children}}{{>node}}{{/children}}"),
		SRC("sect", "{{#yes}}{{>sect}}{{/yes}}"),
	};
	struct arena a;
	struct tval *ctx, *list, *n;
	struct tmpl_set *ts;
	struct buf b;
	char err[200];
	int i, levels;

	assert_int_equal(tmpl_set_compile(srcs, NELEM(srcs), &ts, err,
	    sizeof(err)), P_OK);
	buf_init(&b, 0);
	buf_puts(&b, "keep");
	assert_int_equal(tmpl_render(ts, "self", fx, &b), P_TOOBIG);
	assert_string_equal(b.data, "keep");
	assert_int_equal(tmpl_render(ts, "a", fx, &b), P_TOOBIG);
	assert_int_equal(tmpl_render(ts, "sect", fx, &b), P_TOOBIG);
	assert_int_equal(tmpl_render(ts, "self", NULL, &b), P_TOOBIG);
	assert_string_equal(b.data, "keep");

	/* Data nesting: each tree level costs a section and a partial, so
	 * LIM / 2 levels fit exactly and one more is refused. */
	for (levels = LIM_TMPL_DEPTH / 2 - 1; levels <= LIM_TMPL_DEPTH / 2 + 1;
	    levels++) {
		arena_init(&a);
		ctx = tv_obj(&a);
		list = tv_list(&a);
		tv_put(ctx, "comments", list);
		for (i = 0; i < levels; i++)
			list = tree_node(&a, list, "x");
		buf_reset(&b);
		if (levels * 2 <= LIM_TMPL_DEPTH) {
			assert_int_equal(tmpl_render(ts, "page", ctx, &b), P_OK);
			assert_int_equal(b.len, 9 + (size_t)levels);
		} else {
			assert_int_equal(tmpl_render(ts, "page", ctx, &b),
			    P_TOOBIG);
			assert_int_equal(b.len, 0);
		}
		arena_free(&a);
	}
	/* A leaf without its own "children" finds its parent's list and
	 * would recurse for ever: the limit turns that into P_TOOBIG. */
	arena_init(&a);
	ctx = tv_obj(&a);
	list = tv_list(&a);
	tv_put(ctx, "comments", list);
	n = tv_push(list);
	tv_str(n, "author", "parent");
	list = tv_list(&a);
	tv_put(n, "children", list);
	tv_str(tv_push(list), "author", "leaf");
	assert_int_equal(tmpl_render(ts, "page", ctx, &b), P_TOOBIG);
	arena_free(&a);

	/* A hostile 10000-deep tree cannot recurse past the limit. */
	arena_init(&a);
	ctx = tv_obj(&a);
	list = tv_list(&a);
	tv_put(ctx, "comments", list);
	n = tv_push(list);
	for (i = 0; i < 10000; i++) {
		struct tval *kids = tv_list(&a);

		tv_put(n, "children", kids);
		n = tv_push(kids);
	}
	assert_int_equal(tmpl_render(ts, "page", ctx, &b), P_TOOBIG);
	arena_free(&a);
	buf_free(&b);
	tmpl_set_free(ts);
}

static void
test_not_found(void **state)
{
	static const struct tmpl_src srcs[] = { SRC("a", "A") };
	struct tmpl_set *ts;
	struct buf b;

	assert_int_equal(tmpl_set_compile(srcs, 1, &ts, NULL, 0), P_OK);
	buf_init(&b, 0);
	assert_int_equal(tmpl_render(ts, "b", fx, &b), P_NOTFOUND);
	assert_int_equal(tmpl_render(ts, "", fx, &b), P_NOTFOUND);
	assert_int_equal(tmpl_render(ts, "A", fx, &b), P_NOTFOUND);
	assert_int_equal(tmpl_render(ts, "a ", fx, &b), P_NOTFOUND);
	assert_int_equal(b.len, 0);
	assert_int_equal(tmpl_render(ts, "a", fx, &b), P_OK);
	assert_string_equal(b.data, "A");
	tmpl_set_free(ts);

	/* An empty set compiles and finds nothing. */
	assert_int_equal(tmpl_set_compile(NULL, 0, &ts, NULL, 0), P_OK);
	assert_int_equal(tmpl_render(ts, "a", fx, &b), P_NOTFOUND);
	tmpl_set_free(ts);
	buf_free(&b);
}

/* Hitting the buf's maximum anywhere is P_TOOBIG with out unchanged; an
 * exact fit is fine. */
static void
test_buf_max(void **state)
{
	static const struct gcase rows[] = {
		{ "plain text", "plain text" },
		{ "{{title}}", "Hello &lt;World&gt;" },
		{ "{{body}}", "<p>hi &amp; bye</p>" },
		{ "{{min}}", "-9223372036854775808" },
		{ "{{#posts}}{{title}},{{/posts}}", "One,Two," },
		{ "{{>hdr}}", "<h1>Hello &lt;World&gt;</h1>" },
	};
	struct buf b;
	size_t i, len;

	for (i = 0; i < NELEM(rows); i++) {
		len = strlen(rows[i].want);
		buf_init(&b, 2 + len);
		buf_puts(&b, "ab");
		assert_int_equal(render_one(rows[i].tmpl, fx, &b, NULL, 0), P_OK);
		assert_int_equal(b.len, 2 + len);
		assert_string_equal(b.data + 2, rows[i].want);
		buf_free(&b);

		buf_init(&b, 2 + len - 1);
		buf_puts(&b, "ab");
		assert_int_equal(render_one(rows[i].tmpl, fx, &b, NULL, 0),
		    P_TOOBIG);
		assert_string_equal(b.data, "ab");
		buf_free(&b);
	}
}

static void
test_null_ctx(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(render_one("a{{x}}{{.}}{{#x}}s{{/x}}{{^x}}i{{/x}}b",
	    NULL, &b, NULL, 0), P_OK);
	assert_string_equal(b.data, "aib");
	buf_free(&b);
}

/* The value API: replacement, lengths, copies, embedded NUL, NULLs. */
static void
test_values(void **state)
{
	struct arena a;
	struct tval *o, *l, *inner;
	struct buf b;
	char text[8] = "mutable";
	static const char want[] =
	    "5|mutable|a\0&lt;b|||absent|set after put|falsy";

	arena_init(&a);
	o = tv_obj(&a);
	l = tv_list(&a);
	assert_int_equal(tv_len(l), 0);
	assert_int_equal(tv_len(o), 0);
	assert_int_equal(tv_len(NULL), 0);
	tv_push(l);
	tv_str(l, NULL, "s");
	tv_put(l, NULL, NULL);
	assert_int_equal(tv_len(l), 2);

	tv_str(o, "k", "first");
	tv_int(o, "k", 5);           /* replaces */
	tv_str(o, "s", text);
	memcpy(text, "changed", 7);  /* the copy is unaffected */
	tv_strn(o, "nul", "a\0<b", 4);
	tv_str(o, "null", NULL);
	tv_html(o, "h", (struct html_trusted){ NULL });
	tv_put(o, "gone", l);
	tv_put(o, "gone", NULL);      /* now absent */
	inner = tv_obj(&a);
	tv_put(o, "inner", inner);
	tv_str(inner, "late", "set after put"); /* put does not copy */
	tv_bool(o, "b", 1);
	tv_str(o, "b", "");           /* scalar replaced by a falsy one */

	buf_init(&b, 0);
	assert_int_equal(render_one("{{k}}|{{s}}|{{nul}}|{{null}}|{{h}}|"
	    "{{^gone}}absent{{/gone}}|{{inner.late}}|{{^b}}falsy{{/b}}",
	    o, &b, NULL, 0), P_OK);
	assert_int_equal(b.len, sizeof(want) - 1);
	assert_memory_equal(b.data, want, sizeof(want) - 1);
	buf_free(&b);
	arena_free(&a);
}

/* Compiled text is a copy: the sources may go away after compiling. */
static void
test_sources_copied(void **state)
{
	struct tmpl_src src;
	struct tmpl_set *ts;
	struct buf b;
	char *text = strdup("[{{name}}]{{#yes}}!{{/yes}}");
	char *name = strdup("t");

	assert_non_null(text);
	assert_non_null(name);
	src = (struct tmpl_src){ name, text, strlen(text) };
	assert_int_equal(tmpl_set_compile(&src, 1, &ts, NULL, 0), P_OK);
	memset(text, 'x', strlen(text));
	free(text);
	name[0] = 'z';
	free(name);
	buf_init(&b, 0);
	assert_int_equal(tmpl_render(ts, "t", fx, &b), P_OK);
	assert_string_equal(b.data, "[Ada]!");
	buf_free(&b);
	tmpl_set_free(ts);
	tmpl_set_free(NULL);
}

/* Template bytes are length-delimited: a NUL in the source is text. */
static void
test_nul_in_source(void **state)
{
	struct tmpl_src src = SRC("t", "a\0{{name}}\0b");
	struct tmpl_set *ts;
	struct buf b;

	assert_int_equal(tmpl_set_compile(&src, 1, &ts, NULL, 0), P_OK);
	buf_init(&b, 0);
	assert_int_equal(tmpl_render(ts, "t", fx, &b), P_OK);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "a\0Ada\0b", 7);
	buf_free(&b);
	tmpl_set_free(ts);
}

/* One set rendered from several threads gives identical output. */
struct thr {
	const struct tmpl_set *ts;
	int ok;
};

static void *
thr_main(void *arg)
{
	struct thr *t = arg;
	struct buf b;
	int i;

	t->ok = 1;
	buf_init(&b, 0);
	for (i = 0; i < 200; i++) {
		buf_reset(&b);
		if (tmpl_render(t->ts, "page", fx, &b) != P_OK ||
		    strcmp(b.data, "<h1>Hello &lt;World&gt;</h1>"
		    "<li>One</li><li>Two</li>") != 0)
			t->ok = 0;
	}
	buf_free(&b);
	return NULL;
}

static void
test_threads(void **state)
{
	static const struct tmpl_src srcs[] = {
		SRC("page", "{{>hdr}}{{#posts}}<li>{{title}}</li>{{/posts}}"),
		SRC("hdr", "<h1>{{title}}</h1>"),
	};
	struct tmpl_set *ts;
	pthread_t th[4];
	struct thr t[4];
	int i;

	assert_int_equal(tmpl_set_compile(srcs, 2, &ts, NULL, 0), P_OK);
	for (i = 0; i < 4; i++) {
		t[i].ts = ts;
		assert_int_equal(pthread_create(&th[i], NULL, thr_main, &t[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(t[i].ok);
	}
	tmpl_set_free(ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_compile_errors_set),
		cmocka_unit_test(test_compile_nesting),
		cmocka_unit_test(test_recursive_partial),
		cmocka_unit_test(test_lazy_frames),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_buf_max),
		cmocka_unit_test(test_null_ctx),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_sources_copied),
		cmocka_unit_test(test_nul_in_source),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
