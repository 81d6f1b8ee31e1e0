/* test_wxr.c: the streaming WXR parser (wxr/parse.c) on the fixtures in
 * tests/wxr/ and on small inputs written here. Every record the parser
 * hands over is written to a text log, so a case can check records and
 * the log of a whole-file parse can be compared with byte-by-byte and
 * odd-sized feeding (streaming must not change what is seen). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <expat.h>

#include "base/buf.h"
#include "base/limits.h"
#include "wxr/wxr.h"

struct log {
	struct buf b;
	int channels, authors, terms, items, item_ends, comments, extras;
	int warnings;
	char last_item_extra[8192];
	char ch_version[16];
};

static void
logf_(struct log *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	assert_int_equal(buf_vprintf(&l->b, fmt, ap), P_OK);
	va_end(ap);
}

static enum perr
on_channel(void *ctx, const struct wxr_channel *c)
{
	struct log *l = ctx;

	l->channels++;
	snprintf(l->ch_version, sizeof(l->ch_version), "%s", c->version);
	logf_(l, "channel v=%s title=%s base=%s\n", c->version, c->title,
	    c->base_site_url);
	return P_OK;
}

static enum perr
on_author(void *ctx, const struct wxr_author *a)
{
	struct log *l = ctx;

	l->authors++;
	logf_(l, "author %lld login=%s email=%s name=%s first=%s last=%s "
	    "extra=[%s]\n", (long long)a->id, a->login, a->email,
	    a->display_name, a->first_name, a->last_name, a->extra);
	return P_OK;
}

static enum perr
on_term(void *ctx, const struct wxr_term *t)
{
	struct log *l = ctx;

	l->terms++;
	logf_(l, "term %s %lld slug=%s name=%s parent=%s desc=%s extra=[%s]\n",
	    t->taxonomy, (long long)t->id, t->slug, t->name, t->parent,
	    t->description, t->extra);
	return P_OK;
}

static void
log_item(struct log *l, const char *what, const struct wxr_item *it)
{
	size_t i;

	logf_(l, "%s %lld type=%s status=%s name=%s title=%s creator=%s "
	    "date=%s gmt=%s cs=%s parent=%lld pw=%s thumb=%lld guid=%s pl=%d "
	    "att=%s late=%d\n  content=%s\n  excerpt=%s\n  terms:", what,
	    (long long)it->post_id, it->post_type, it->status, it->post_name,
	    it->title, it->creator, it->post_date, it->post_date_gmt,
	    it->comment_status, (long long)it->post_parent, it->post_password,
	    (long long)it->thumbnail_id, it->guid, it->guid_permalink,
	    it->attachment_url, it->late, it->content, it->excerpt);
	for (i = 0; i < it->nterms; i++)
		logf_(l, " %s/%s/%s", it->terms[i].domain, it->terms[i].slug,
		    it->terms[i].name);
	logf_(l, "\n  extra=[%s]\n", it->extra);
	snprintf(l->last_item_extra, sizeof(l->last_item_extra), "%s",
	    it->extra);
}

static enum perr
on_item(void *ctx, const struct wxr_item *it)
{
	struct log *l = ctx;

	l->items++;
	log_item(l, "item", it);
	return P_OK;
}

static enum perr
on_item_end(void *ctx, const struct wxr_item *it)
{
	struct log *l = ctx;

	l->item_ends++;
	logf_(l, "item_end %lld late=%d\n", (long long)it->post_id, it->late);
	return P_OK;
}

static enum perr
on_comment(void *ctx, const struct wxr_item *it, const struct wxr_comment *c)
{
	struct log *l = ctx;

	l->comments++;
	logf_(l, "comment %lld on %lld parent=%lld user=%lld author=%s "
	    "email=%s url=%s ip=%s date=%s gmt=%s approved=%s type=%s\n"
	    "  content=%s\n  extra=[%s]\n", (long long)c->id,
	    (long long)it->post_id, (long long)c->parent,
	    (long long)c->user_id, c->author, c->author_email, c->author_url,
	    c->author_ip, c->date, c->date_gmt, c->approved, c->type,
	    c->content, c->extra);
	return P_OK;
}

static enum perr
on_extra(void *ctx, const char *xml, long line)
{
	struct log *l = ctx;

	l->extras++;
	logf_(l, "extra line %ld [%s]\n", line, xml);
	return P_OK;
}

static void
on_warning(void *ctx, long line, const char *msg)
{
	struct log *l = ctx;

	l->warnings++;
	logf_(l, "warning %ld: %s\n", line, msg);
}

static struct wxr_handler
handler(struct log *l)
{
	struct wxr_handler h = {
		.ctx = l, .channel = on_channel, .author = on_author,
		.term = on_term, .item = on_item, .comment = on_comment,
		.item_end = on_item_end, .extra = on_extra,
		.warning = on_warning,
	};

	return h;
}

static char *
slurp(const char *name, size_t *n)
{
	char path[256];
	FILE *f;
	char *data;
	long len;

	snprintf(path, sizeof(path), "tests/wxr/%s", name);
	f = fopen(path, "rb");
	if (f == NULL) {
		print_error("cannot open %s (run from the repository root)\n",
		    path);
		fail();
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)len + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
	data[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return data;
}

/* Parse data fed in pieces of `chunk` bytes (0 = all at once). */
static enum perr
parse(const char *data, size_t n, size_t chunk, struct log *l,
    long *line, long *col, char *msg, size_t msgsz)
{
	struct wxr_handler h = handler(l);
	struct wxr_parser *p = wxr_new(&h);
	size_t off = 0, k;
	enum perr e = P_OK;
	const char *m;

	assert_non_null(p);
	if (chunk == 0)
		chunk = n;
	while (e == P_OK && off < n) {
		k = n - off < chunk ? n - off : chunk;
		e = wxr_feed(p, data + off, k, 0);
		off += k;
	}
	if (e == P_OK)
		e = wxr_feed(p, "", 0, 1);
	if (e != P_OK) {
		wxr_error(p, line, col, &m);
		if (msg)
			snprintf(msg, msgsz, "%s", m);
	}
	wxr_free(p);
	return e;
}

static void
log_init(struct log *l)
{
	memset(l, 0, sizeof(*l));
	buf_init(&l->b, 0);
}

static const char *
after(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	if (p == NULL) {
		print_error("not found: %s\n", needle);
		fail();
	}
	return p;
}

/* ---- the main fixture ---------------------------------------------------- */

static void
t_site_records(void **st)
{
	struct log l;
	size_t n;
	char *data = slurp("site-1.2.xml", &n);
	const char *s;

	log_init(&l);
	assert_int_equal(parse(data, n, 0, &l, NULL, NULL, NULL, 0), P_OK);
	assert_int_equal(l.channels, 1);
	assert_string_equal(l.ch_version, "1.2");
	assert_int_equal(l.authors, 2);
	assert_int_equal(l.terms, 8);
	assert_int_equal(l.items, 11);
	assert_int_equal(l.item_ends, 11);
	assert_int_equal(l.comments, 22);
	assert_int_equal(l.extras, 1); /* <image> */
	assert_int_equal(l.warnings, 0);
	s = l.b.data;
	after(s, "author 2 login=Jon \xC3\x98" "deg\xC3\xA5rd");
	after(s, "term category 3 slug=ukraine-crisis name=Ukraine Crisis "
	    "parent=europe desc= extra=[<wp:termmeta xmlns:wp="
	    "\"http://wordpress.org/export/1.2/\">");
	after(s, "term post_tag 8 slug=zeleznice name=\xC5\xBD" "eleznice");
	after(s, "term nav_menu 20 slug=main-menu");
	after(s, "extra line ");
	/* a namespace is declared where it is used */
	after(s, "<image>");
	after(s, "<ext:size xmlns:ext=\"urn:example:theme-extras\" w=\"32\" "
	    "h=\"32\"></ext:size>");
	/* the first post */
	s = after(s, "item 10 type=post status=publish name=night-train "
	    "title=Why the Night Train Came Back creator=mira "
	    "date=2020-03-15 00:30:00 gmt=2020-03-14 23:30:00 cs=open "
	    "parent=0 pw= thumb=50 guid=https://slowlane.example/?p=10 pl=0");
	after(s, "terms: category/europe/Europe category/cities-transport/"
	    "Cities & Transport post_tag/night-trains/Night trains");
	after(s, "post_format/post-format-aside/Aside");
	after(s, "[caption id=\"attachment_50\"");
	after(s, "<wp:post_modified xmlns:wp=\"http://wordpress.org/export/"
	    "1.2/\">2020-03-16 09:00:00</wp:post_modified>");
	after(s, "<wp:is_sticky xmlns:wp=\"http://wordpress.org/export/1.2/\">"
	    "1</wp:is_sticky>");
	after(s, "<description></description>");
	after(s, "<seo:focus xmlns:seo=\"urn:example:seo-plugin\" "
	    "seo:score=\"72\">night train <seo:alt>sleeper</seo:alt>"
	    "</seo:focus>");
	after(s, "<wp:meta_key>_thumbnail_id</wp:meta_key>");
	/* comments, in file order, handed over after the item */
	s = after(s, "comment 100 on 10 parent=0");
	after(s, "<wp:commentmeta xmlns:wp=\"http://wordpress.org/export/1.2/"
	    "\">\n\t\t\t\t<wp:meta_key>akismet_result</wp:meta_key>");
	s = after(s, "comment 109 on 10 parent=108 user=1 author=Mira Kova");
	s = after(s, "comment 120 on 10 parent=121");
	s = after(s, "comment 130 on 10 parent=9999");
	s = after(s, "comment 140 on 10 parent=0 user=0 author=Max Pending");
	after(s, "approved=0 type=comment");
	s = after(s, "comment 141");
	after(s, "approved=spam");
	s = after(s, "comment 142");
	after(s, "approved=trash");
	s = after(s, "comment 143");
	after(s, "type=pingback");
	s = after(s, "comment 144");
	after(s, "type=trackback");
	s = after(s, "comment 145");
	after(s, "content=Nice post!<script>alert(\"xss\")</script>");
	s = after(s, "comment 146");
	after(s, "author=Zo\xC3\xAB \xD7\xA9\xD6\xB8\xD7\x81");
	s = after(s, "comment 121 on 10 parent=0");
	s = after(s, "item_end 10 late=0");
	/* the draft: no slug, zero GMT date */
	s = after(s, "item 11 type=post status=draft name= ");
	after(s, "gmt=0000-00-00 00:00:00");
	s = after(s, "item 12 type=post status=private");
	s = after(s, "item 13 type=post status=future");
	/* CDATA split: "]]>" rebuilt in title, content and a comment */
	s = after(s, "item 15 type=post status=publish name=cdata-edge "
	    "title=Brackets ]]> and the end of CDATA");
	after(s, "<code>a[b[0]]></code>");
	after(s, "<p>&lt;not a tag&gt; &amp; friends</p>");
	after(s, "content=Written before comments were closed: ]]> stays.");
	s = after(s, "item 16 type=post status=publish name=caf%c3%a9-station "
	    "title=Caf\xC3\xA9 \xE2\x98\x95");
	s = after(s, "item 17 type=post status=publish name=members-only");
	after(s, "pw=hunter2");
	s = after(s, "item 20 type=page");
	s = after(s, "item 21 type=page status=publish name=team");
	after(s, "parent=20");
	s = after(s, "comment 160 on 21");
	s = after(s, "item 50 type=attachment status=inherit name=sleeper");
	after(s, "parent=10");
	after(s, "att=https://slowlane.example/wp-content/uploads/2020/03/"
	    "sleeper.jpg");
	after(s, "excerpt=A sleeper carriage waiting");
	s = after(s, "item 60 type=nav_menu_item");
	after(s, "nav_menu/main-menu/Main menu");
	buf_free(&l.b);
	free(data);
}

/* Every kept fragment is well-formed XML on its own. */
static int
well_formed(const char *xml)
{
	XML_Parser x = XML_ParserCreateNS("UTF-8", '\x01');
	int ok;

	ok = XML_Parse(x, "<k>", 3, 0) == XML_STATUS_OK &&
	    XML_Parse(x, xml, (int)strlen(xml), 0) == XML_STATUS_OK &&
	    XML_Parse(x, "</k>", 4, 1) == XML_STATUS_OK;
	XML_ParserFree(x);
	return ok;
}

static void
t_kept_is_xml(void **st)
{
	struct log l;
	size_t n;
	char *data = slurp("unusual-ns.xml", &n);

	log_init(&l);
	assert_int_equal(parse(data, n, 0, &l, NULL, NULL, NULL, 0), P_OK);
	assert_true(well_formed(l.last_item_extra));
	/* the default namespace of a plugin element is declared on it */
	after(l.b.data, "<plugin xmlns=\"urn:example:plugin\" version=\"2\">"
	    "<setting name=\"a\">1</setting><p2:more xmlns:p2=\"urn:example:"
	    "plugin\">same URI, other prefix</p2:more></plugin>");
	buf_free(&l.b);
	free(data);
}

/* Streaming: the same records whatever the piece size. */
static void
t_chunking(void **st)
{
	static const size_t sizes[] = { 1, 2, 7, 64, 4093 };
	struct log whole, part;
	size_t n, i;
	char *data = slurp("site-1.2.xml", &n);

	log_init(&whole);
	assert_int_equal(parse(data, n, 0, &whole, NULL, NULL, NULL, 0), P_OK);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		log_init(&part);
		assert_int_equal(parse(data, n, sizes[i], &part, NULL, NULL,
		    NULL, 0), P_OK);
		/* extra records carry their line, which is the same too */
		assert_string_equal(whole.b.data, part.b.data);
		buf_free(&part.b);
	}
	buf_free(&whole.b);
	free(data);
}

static void
t_namespaces(void **st)
{
	struct log l;
	size_t n;
	char *data = slurp("unusual-ns.xml", &n);
	const char *s;

	log_init(&l);
	assert_int_equal(parse(data, n, 0, &l, NULL, NULL, NULL, 0), P_OK);
	assert_int_equal(l.authors, 1);
	assert_int_equal(l.items, 1);
	assert_int_equal(l.comments, 1);
	s = after(l.b.data, "item 70 type=post status=publish name=prefixes "
	    "title=Prefixes are only names creator=odd");
	after(s, "content=Namespaces matter, prefixes do not.");
	s = after(s, "comment 71 on 70 parent=0 user=0 author=Reader");
	after(s, "content=Found it & read it.");
	/* kept WordPress elements get the prefix an export declares */
	after(s, "<wp:commentmeta xmlns:wp=\"http://wordpress.org/export/1.2/\">"
	    "<wp:meta_key>x</wp:meta_key><wp:meta_value><x:v xmlns:x=\"urn:"
	    "example:x\">kept</x:v></wp:meta_value></wp:commentmeta>");
	buf_free(&l.b);
	free(data);
}

static void
t_wxr_10(void **st)
{
	struct log l;
	size_t n;
	char *data = slurp("wxr-1.0.xml", &n);
	const char *s;

	log_init(&l);
	assert_int_equal(parse(data, n, 0, &l, NULL, NULL, NULL, 0), P_OK);
	assert_string_equal(l.ch_version, "1.0");
	assert_int_equal(l.authors, 0);
	assert_int_equal(l.terms, 2);
	s = after(l.b.data, "item 5 type=post");
	after(s, "terms: //History category/history/History tag//steam "
	    "tag/steam/steam");
	after(s, "comment 8 on 5 parent=7 user=1");
	after(s, "type=\n");
	buf_free(&l.b);
	free(data);
	data = slurp("wxr-1.1.xml", &n);
	log_init(&l);
	assert_int_equal(parse(data, n, 0, &l, NULL, NULL, NULL, 0), P_OK);
	assert_string_equal(l.ch_version, "1.1");
	assert_int_equal(l.items, 1);
	assert_int_equal(l.comments, 1);
	buf_free(&l.b);
	free(data);
}

/* ---- refusals: file, line, column and a plain reason --------------------- */

struct bad {
	const char *file;
	enum perr e;
	long line;    /* 0 = do not check */
	const char *msg;
};

static const struct bad bads[] = {
	{ "truncated.xml", P_BADINPUT, 219, "truncated" },
	{ "undefined-entity.xml", P_BADINPUT, 491, "undefined entity" },
	{ "mismatched-tag.xml", P_BADINPUT, 0, "mismatched tag" },
	{ "bomb.xml", P_BADINPUT, 4, "document type declaration" },
	{ "not-wxr.xml", P_BADINPUT, 8, "no <wp:wxr_version>" },
};

static void
t_refusals(void **st)
{
	size_t i, n;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct log l;
		char *data = slurp(bads[i].file, &n), msg[512];
		long line = 0, col = 0;
		enum perr e;

		log_init(&l);
		e = parse(data, n, 0, &l, &line, &col, msg, sizeof(msg));
		if (e != bads[i].e || strstr(msg, bads[i].msg) == NULL ||
		    (bads[i].line && line != bads[i].line) || col < 1) {
			print_error("%s: %s at %ld:%ld: %s\n", bads[i].file,
			    perr_str(e), line, col, msg);
			fail();
		}
		buf_free(&l.b);
		free(data);
	}
}

/* An entity declaration without a DOCTYPE handler cannot happen, but an
 * internal subset is refused before its first entity is expanded: the
 * bomb must take no time at all. */
static void
t_bomb_fast(void **st)
{
	struct log l;
	size_t n;
	char *data = slurp("bomb.xml", &n);
	clock_t t0 = clock();

	log_init(&l);
	assert_int_equal(parse(data, n, 0, &l, NULL, NULL, NULL, 0),
	    P_BADINPUT);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
	assert_int_equal(l.channels, 0);
	buf_free(&l.b);
	free(data);
}

static void
t_small_errors(void **st)
{
	static const struct {
		const char *in, *msg;
		enum perr e;
	} c[] = {
		{ "<feed/>", "root element is <feed>", P_BADINPUT },
		{ "<rss></rss>", "no <channel>", P_BADINPUT },
		{ "", "truncated", P_BADINPUT },
		{ "<rss><channel><wp:x>", "unbound prefix", P_BADINPUT },
		{ "<rss xmlns:wp='http://wordpress.org/export/1.2/'><channel>"
		    "<wp:wxr_version>1.2</wp:wxr_version><item><title>a &amp b"
		    "</title></item></channel></rss>", "malformed XML",
		    P_BADINPUT },
		{ "<rss xmlns:wp='http://wordpress.org/export/1.2/'><channel>"
		    "<wp:wxr_version>1.2</wp:wxr_version><item><title>\x01"
		    "</title></item></channel></rss>", "malformed XML",
		    P_BADINPUT },
		{ "<rss xmlns:wp='http://wordpress.org/export/1.2/'><channel>"
		    "<wp:wxr_version>1.2</wp:wxr_version><item><title>\xff"
		    "</title></item></channel></rss>", "malformed XML",
		    P_BADINPUT },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct log l;
		char msg[512] = "";
		long line = 0, col = 0;
		enum perr e;

		log_init(&l);
		e = parse(c[i].in, strlen(c[i].in), 0, &l, &line, &col, msg,
		    sizeof(msg));
		if (e != c[i].e || strstr(msg, c[i].msg) == NULL) {
			print_error("case %zu: %s: %s\n", i, perr_str(e), msg);
			fail();
		}
		buf_free(&l.b);
	}
}

/* expat would buffer an unfinished token of any size: refused at the
 * limit, however the bytes arrive. */
static void
t_huge_token(void **st)
{
	struct log l;
	struct wxr_handler h = handler(&l);
	struct wxr_parser *p;
	static char chunk[65536];
	const char *head = "<rss><channel><x a='";
	const char *msg;
	size_t sent = 0;
	enum perr e;

	log_init(&l);
	memset(chunk, 'a', sizeof(chunk));
	p = wxr_new(&h);
	e = wxr_feed(p, head, strlen(head), 0);
	while (e == P_OK && sent < 2 * (size_t)LIM_WXR_TOKEN_BYTES) {
		e = wxr_feed(p, chunk, sizeof(chunk), 0);
		sent += sizeof(chunk);
	}
	assert_int_equal(e, P_TOOBIG);
	assert_true(sent <= (size_t)LIM_WXR_TOKEN_BYTES + 2 * sizeof(chunk));
	wxr_error(p, NULL, NULL, &msg);
	assert_non_null(strstr(msg, "longer than"));
	wxr_free(p);
	buf_free(&l.b);
}

/* A numeric field that is not a number is a warning, not a failure. */
static void
t_bad_number_warns(void **st)
{
	const char *in = "<rss xmlns:wp='http://wordpress.org/export/1.2/'>"
	    "<channel><wp:wxr_version>1.3</wp:wxr_version><item>"
	    "<wp:post_id>12x</wp:post_id><wp:post_type>post</wp:post_type>"
	    "</item></channel></rss>";
	struct log l;

	log_init(&l);
	assert_int_equal(parse(in, strlen(in), 0, &l, NULL, NULL, NULL, 0),
	    P_OK);
	assert_int_equal(l.warnings, 2); /* version 1.3, post id */
	after(l.b.data, "item 0 type=post");
	buf_free(&l.b);
}

/* Fields after the first comment: the item is handed over at the first
 * comment, and item_end says something came late. */
static void
t_late_fields(void **st)
{
	const char *in = "<rss xmlns:wp='http://wordpress.org/export/1.2/'>"
	    "<channel><wp:wxr_version>1.2</wp:wxr_version><item>"
	    "<wp:post_id>3</wp:post_id><wp:comment><wp:comment_id>4"
	    "</wp:comment_id></wp:comment><title>Late title</title>"
	    "<category domain='category' nicename='c'>C</category>"
	    "</item></channel></rss>";
	struct log l;
	const char *s;

	log_init(&l);
	assert_int_equal(parse(in, strlen(in), 0, &l, NULL, NULL, NULL, 0),
	    P_OK);
	s = after(l.b.data, "item 3 type= status= name= title= ");
	s = after(s, "comment 4 on 3");
	after(s, "item_end 3 late=1");
	buf_free(&l.b);
}

/* WordPress writes the blog's charset into the declaration; an old
 * ISO-8859-1 blog's export comes through as UTF-8 strings. */
static void
t_latin1(void **st)
{
	const char *in = "<?xml version='1.0' encoding='ISO-8859-1'?>"
	    "<rss xmlns:wp='http://wordpress.org/export/1.0/'><channel>"
	    "<wp:wxr_version>1.0</wp:wxr_version><item><title>Caf\xe9 "
	    "\xfc" "ber</title></item></channel></rss>";
	const char *bad = "<?xml version='1.0' encoding='KOI8-R'?><rss/>";
	struct log l;
	char msg[512];

	log_init(&l);
	assert_int_equal(parse(in, strlen(in), 0, &l, NULL, NULL, NULL, 0),
	    P_OK);
	after(l.b.data, "title=Caf\xC3\xA9 \xC3\xBC" "ber");
	buf_free(&l.b);
	log_init(&l);
	assert_int_equal(parse(bad, strlen(bad), 0, &l, NULL, NULL, msg,
	    sizeof(msg)), P_BADINPUT);
	assert_non_null(strstr(msg, "iconv"));
	buf_free(&l.b);
}

/* Unknown elements of the namespaces WXR uses are kept with the prefix
 * an export declares (and a 1.0 file's WordPress URI becomes 1.2's). */
static void
t_kept_known_namespaces(void **st)
{
	const char *in = "<rss xmlns:wp='http://wordpress.org/export/1.0/' "
	    "xmlns:d='http://purl.org/dc/elements/1.1/'><channel>"
	    "<wp:wxr_version>1.0</wp:wxr_version><item><d:subject>s"
	    "</d:subject><wp:ping_status>open</wp:ping_status>"
	    "<c:x xmlns:c='http://purl.org/rss/1.0/modules/content/'>y</c:x>"
	    "</item></channel></rss>";
	struct log l;

	log_init(&l);
	assert_int_equal(parse(in, strlen(in), 0, &l, NULL, NULL, NULL, 0),
	    P_OK);
	after(l.b.data, "extra=[<dc:subject xmlns:dc=\"http://purl.org/dc/"
	    "elements/1.1/\">s</dc:subject><wp:ping_status xmlns:wp=\"http://"
	    "wordpress.org/export/1.2/\">open</wp:ping_status><content:x "
	    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">y"
	    "</content:x>]");
	assert_true(well_formed(l.last_item_extra));
	buf_free(&l.b);
}

/* A callback's error stops the parse with its message. */
static enum perr
refuse_item(void *ctx, const struct wxr_item *it)
{
	return P_CONFLICT;
}

static void
t_callback_stops(void **st)
{
	const char *in = "<rss xmlns:wp='http://wordpress.org/export/1.2/'>"
	    "<channel><wp:wxr_version>1.2</wp:wxr_version>\n<item>"
	    "<wp:post_id>3</wp:post_id></item><item/></channel></rss>";
	struct log l;
	struct wxr_handler h;
	struct wxr_parser *p;
	long line;
	const char *msg;

	log_init(&l);
	h = handler(&l);
	h.item = refuse_item;
	p = wxr_new(&h);
	assert_int_equal(wxr_feed(p, in, strlen(in), 1), P_CONFLICT);
	wxr_error(p, &line, NULL, &msg);
	assert_int_equal(line, 2);
	assert_string_equal(msg, perr_str(P_CONFLICT));
	assert_int_equal(wxr_feed(p, "", 0, 1), P_CONFLICT);
	wxr_free(p);
	buf_free(&l.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_site_records),
		cmocka_unit_test(t_kept_is_xml),
		cmocka_unit_test(t_chunking),
		cmocka_unit_test(t_namespaces),
		cmocka_unit_test(t_wxr_10),
		cmocka_unit_test(t_refusals),
		cmocka_unit_test(t_bomb_fast),
		cmocka_unit_test(t_small_errors),
		cmocka_unit_test(t_huge_token),
		cmocka_unit_test(t_bad_number_warns),
		cmocka_unit_test(t_late_fields),
		cmocka_unit_test(t_callback_stops),
		cmocka_unit_test(t_latin1),
		cmocka_unit_test(t_kept_known_namespaces),
	};

	return cmocka_run_group_tests_name("wxr", tests, NULL, NULL);
}
