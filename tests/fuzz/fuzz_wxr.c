/* fuzz_wxr.c: libFuzzer target for the streaming WXR parser
 * (wxr/parse.c). Each input is parsed twice, whole and in pieces cut
 * where the input says, and the two parses must agree (same records,
 * same result). Every string handed over must be valid UTF-8 without NUL,
 * and every kept fragment (`extra`) must be well-formed XML on its own,
 * with the namespaces it uses declared in it. Replayed over
 * tests/fuzz/regression/wxr/ by the normal test run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "base/buf.h"
#include "base/str.h"
#include "wxr/wxr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct acc {
	struct buf log; /* what was seen, to compare two parses */
};

static void
die(const char *why, const char *s)
{
	fprintf(stderr, "fuzz_wxr: %s\n--- ---\n%.2000s\n", why, s ? s : "");
	abort();
}

/* What XML 1.0 text may hold: valid UTF-8, no NUL, no C0 control but
 * tab, LF, CR (DEL is allowed in XML, unlike in str_valid_text). */
static int
xml_text(const char *s)
{
	size_t n = strlen(s), i;
	char *t = malloc(n + 1);
	int ok;

	if (t == NULL)
		abort();
	for (i = 0; i < n; i++)
		t[i] = s[i] == 0x7f ? ' ' : s[i];
	ok = str_valid_text(t, n);
	free(t);
	return ok;
}

static void
text(struct acc *a, const char *s)
{
	if (s == NULL)
		die("NULL string", "");
	if (!xml_text(s))
		die("string is not valid text", s);
	buf_puts(&a->log, s);
	buf_putc(&a->log, '\x1f');
}

static void
kept(struct acc *a, const char *xml)
{
	XML_Parser x;
	int ok;

	text(a, xml);
	if (*xml == '\0')
		return;
	/* namespace-aware: an undeclared prefix fails here */
	x = XML_ParserCreateNS("UTF-8", '\x01');
	ok = XML_Parse(x, "<k>", 3, 0) == XML_STATUS_OK &&
	    XML_Parse(x, xml, (int)strlen(xml), 0) == XML_STATUS_OK &&
	    XML_Parse(x, "</k>", 4, 1) == XML_STATUS_OK;
	XML_ParserFree(x);
	if (!ok)
		die("kept fragment is not well-formed XML", xml);
}

static enum perr
on_channel(void *ctx, const struct wxr_channel *c)
{
	struct acc *a = ctx;

	text(a, c->version);
	text(a, c->title);
	text(a, c->link);
	text(a, c->base_site_url);
	text(a, c->base_blog_url);
	return P_OK;
}

static enum perr
on_author(void *ctx, const struct wxr_author *w)
{
	struct acc *a = ctx;

	buf_printf(&a->log, "A%lld", (long long)w->id);
	text(a, w->login);
	text(a, w->email);
	text(a, w->display_name);
	text(a, w->first_name);
	text(a, w->last_name);
	kept(a, w->extra);
	return P_OK;
}

static enum perr
on_term(void *ctx, const struct wxr_term *t)
{
	struct acc *a = ctx;

	buf_printf(&a->log, "T%lld", (long long)t->id);
	text(a, t->taxonomy);
	text(a, t->slug);
	text(a, t->name);
	text(a, t->parent);
	text(a, t->description);
	kept(a, t->extra);
	return P_OK;
}

static void
item(struct acc *a, const struct wxr_item *it)
{
	size_t i;

	buf_printf(&a->log, "I%lld/%lld/%lld/%d/%d", (long long)it->post_id,
	    (long long)it->post_parent, (long long)it->thumbnail_id,
	    it->guid_permalink, it->late);
	text(a, it->title);
	text(a, it->link);
	text(a, it->creator);
	text(a, it->guid);
	text(a, it->content);
	text(a, it->excerpt);
	if (it->markdown)
		text(a, it->markdown);
	text(a, it->post_date);
	text(a, it->post_date_gmt);
	text(a, it->comment_status);
	text(a, it->post_name);
	text(a, it->status);
	text(a, it->post_type);
	text(a, it->post_password);
	text(a, it->attachment_url);
	for (i = 0; i < it->nterms; i++) {
		text(a, it->terms[i].domain);
		text(a, it->terms[i].slug);
		text(a, it->terms[i].name);
	}
	kept(a, it->extra);
}

static enum perr
on_item(void *ctx, const struct wxr_item *it)
{
	item(ctx, it);
	return P_OK;
}

static enum perr
on_item_end(void *ctx, const struct wxr_item *it)
{
	item(ctx, it);
	return P_OK;
}

static enum perr
on_comment(void *ctx, const struct wxr_item *it, const struct wxr_comment *c)
{
	struct acc *a = ctx;

	buf_printf(&a->log, "C%lld/%lld/%lld", (long long)c->id,
	    (long long)c->parent, (long long)c->user_id);
	text(a, c->author);
	text(a, c->author_email);
	text(a, c->author_url);
	text(a, c->author_ip);
	text(a, c->date);
	text(a, c->date_gmt);
	text(a, c->content);
	if (c->markdown)
		text(a, c->markdown);
	text(a, c->approved);
	text(a, c->type);
	kept(a, c->extra);
	return P_OK;
}

static enum perr
on_extra(void *ctx, const char *xml, long line)
{
	kept(ctx, xml);
	return P_OK;
}

static void
on_warning(void *ctx, long line, const char *msg)
{
	struct acc *a = ctx;

	buf_printf(&a->log, "W%s", msg);
}

static enum perr
run(const uint8_t *data, size_t size, size_t cut, struct acc *a,
    char *msg, size_t msgsz)
{
	struct wxr_handler h = {
		.ctx = a, .channel = on_channel, .author = on_author,
		.term = on_term, .item = on_item, .comment = on_comment,
		.item_end = on_item_end, .extra = on_extra,
		.warning = on_warning,
	};
	struct wxr_parser *p = wxr_new(&h);
	const char *m;
	enum perr e;

	if (p == NULL)
		abort();
	e = wxr_feed(p, (const char *)data, cut, 0);
	if (e == P_OK)
		e = wxr_feed(p, (const char *)data + cut, size - cut, 1);
	if (e != P_OK) {
		wxr_error(p, NULL, NULL, &m);
		if (m == NULL || *m == '\0')
			die("error without a message", "");
		snprintf(msg, msgsz, "%s", m);
	}
	wxr_free(p);
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acc whole, parts;
	char m1[512] = "", m2[512] = "";
	size_t cut = size ? (size_t)data[0] * 7919 % (size + 1) : 0;
	enum perr e1, e2;

	buf_init(&whole.log, 0);
	buf_init(&parts.log, 0);
	e1 = run(data, size, size, &whole, m1, sizeof(m1));
	e2 = run(data, size, cut, &parts, m2, sizeof(m2));
	if (e1 != e2)
		die("whole and cut parses disagree on the result", m1);
	/* records are handed over as they end, so the logs agree up to
	 * an error; without one they agree entirely */
	if (e1 == P_OK && (whole.log.len != parts.log.len ||
	    (whole.log.len && memcmp(whole.log.data, parts.log.data,
	    whole.log.len) != 0)))
		die("whole and cut parses saw different records",
		    whole.log.data);
	buf_free(&whole.log);
	buf_free(&parts.log);
	return 0;
}
