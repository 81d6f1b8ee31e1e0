/* benchdata.c: `parley bench-data SITE [--articles N] [--comments N]
 * [--seed S]`: fill a site with generated articles and comments for the
 * benchmark and the scale runs (bench/). Text is generated from a fixed
 * vocabulary by a seeded generator, so every run makes the same site:
 * paragraphs of varied length, headings, quotes, links and lists in
 * articles; a sentence to several paragraphs in comments, some quoting,
 * some linking, replies nested under earlier comments. Articles are
 * dated before the demo's (every 6 hours going back from 2026-08-31), so
 * a demo site keeps its front page and its 35-comment thread.
 * Loading turns durable commits off (store_set_durable) and back on:
 * a crash mid-load leaves a partial benchmark site, nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/buf.h"
#include "../base/str.h"
#include "../render/markdown.h"
#include "cli.h"

/* 2026-08-31T06:00:00Z: the newest generated article. */
#define NEWEST ((int64_t)1788156000)
#define SPACING (6 * 3600)
#define MAX_ARTICLES 1000000
#define MAX_COMMENTS 20000000
#define EXCERPT_BYTES 300

static const char *const words[] = {
	"the", "city", "train", "grid", "council", "tenant", "budget", "rail",
	"energy", "market", "policy", "winter", "ticket", "station", "border",
	"price", "contract", "voters", "tariff", "bus", "route", "heat",
	"pump", "landlord", "repair", "law", "software", "europe", "night",
	"sleeper", "carriage", "minister", "street", "bike", "lane", "data",
	"cookie", "banner", "week", "hours", "wages", "power", "plant",
	"coal", "wind", "solar", "storage", "network", "treaty", "neighbour",
	"is", "was", "will", "could", "should", "never", "always", "often",
	"rarely", "quietly", "simply", "really", "still", "again", "already",
	"because", "although", "while", "when", "if", "unless", "and", "but",
	"or", "so", "yet", "of", "in", "on", "at", "by", "for", "with",
	"without", "under", "over", "between", "after", "before", "a", "an",
	"this", "that", "every", "no", "some", "most", "few", "many", "our",
	"their", "its", "who", "which", "what", "how", "why", "cost",
	"costs", "pays", "builds", "breaks", "fixes", "runs", "waits",
	"changes", "moves", "works", "fails", "matters", "counts", "needs",
	"plan", "year", "decade", "town", "village", "region", "service",
	"subsidy", "meter", "bill", "flat", "rent", "queue", "platform",
	"timetable", "depot", "engineer", "committee", "report", "survey",
	"question", "answer", "problem", "reason", "argument", "evidence",
	"cheap", "expensive", "slow", "fast", "late", "early", "public",
	"private", "local", "national", "old", "new", "small", "large",
	"honest", "obvious", "difficult", "boring", "useful", "fair",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static const char *const names[] = {
	"Anna Berg", "Jonas Weber", "Priya Raman", "Tomasz Nowak",
	"Claire Dubois", "Marco Rossi", "Sofia Lind", "Ewan MacLeod",
	"Leila Haddad", "Pieter de Vries", "Ingrid Holm", "Daniel Okafor",
	"Rosa Martín", "Kenji Sato", "Hannah Fischer", "Oisín Byrne",
	"Marta Kowalska", "Yusuf Demir", "Elena Petrova", "Sam Carter",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static const char *const authors[] = {
	"Mira Kovač", "Tom Ashdown", "Lena Strand", "Felix Brandt",
	"Nadia Serrano", "Owen Price",
};
static const char *const cats[] = {
	"Europe", "Cities & Transport", "Energy", "Housing", "Work",
	"Technology", "Economics", "Climate", "Politics", "Culture",
	"Health", "Education",
};
#define NAUTHORS (sizeof(authors) / sizeof(authors[0]))
#define NCATS (sizeof(cats) / sizeof(cats[0]))

/* xorshift64*: small, seeded, the same on every machine. */
static uint64_t rng_state;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t
pick(size_t n)
{
	return (size_t)(rnd() % n);
}

static void
sentence(struct buf *b)
{
	size_t n = 6 + pick(16), i;

	for (i = 0; i < n; i++) {
		const char *w = words[pick(NWORDS)];

		if (i == 0) {
			buf_putc(b, (char)(w[0] >= 'a' && w[0] <= 'z' ?
			    w[0] - 32 : w[0]));
			buf_puts(b, w + 1);
		} else {
			buf_putc(b, ' ');
			if (pick(40) == 0)
				buf_printf(b, "*%s*", w);
			else
				buf_puts(b, w);
		}
		if (i + 1 < n && pick(12) == 0)
			buf_putc(b, ',');
	}
	buf_puts(b, pick(8) == 0 ? "?" : ".");
}

static void
paragraph(struct buf *b, size_t min, size_t max)
{
	size_t n = min + pick(max - min + 1), i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		sentence(b);
	}
	buf_puts(b, "\n\n");
}

static void
article_body(struct buf *b, size_t k)
{
	size_t n = 4 + pick(6), i;

	for (i = 0; i < n; i++) {
		if (i == n / 2) {
			buf_printf(b, "## What changes in year %zu\n\n", 1 + k % 9);
		}
		if (pick(6) == 0) {
			buf_puts(b, "> ");
			sentence(b);
			buf_puts(b, "\n\n");
		} else if (pick(8) == 0) {
			buf_puts(b, "- ");
			sentence(b);
			buf_puts(b, "\n- ");
			sentence(b);
			buf_puts(b, "\n- ");
			sentence(b);
			buf_puts(b, "\n\n");
		}
		paragraph(b, 3, 7);
		if (pick(5) == 0)
			buf_printf(b, "See [the report](https://example.org/"
			    "reports/%zu) for the numbers.\n\n", k * 7 + i);
	}
}

static void
comment_body(struct buf *b, size_t k)
{
	size_t shape = pick(10);

	if (shape < 3) { /* one or two sentences */
		sentence(b);
		if (pick(2))
			buf_putc(b, ' '), sentence(b);
		buf_putc(b, '\n');
		return;
	}
	if (pick(4) == 0) {
		buf_puts(b, "> ");
		sentence(b);
		buf_puts(b, "\n\n");
	}
	paragraph(b, 2, 5);
	if (shape >= 7)
		paragraph(b, 2, 6);
	if (shape == 9)
		paragraph(b, 3, 8);
	if (pick(5) == 0)
		buf_printf(b, "More here: https://example.net/notes/%zu\n", k);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley bench-data SITE [--articles N] "
	    "[--comments N] [--seed S]\n"
	    "  Add N generated articles (default 1000) and N approved "
	    "comments\n"
	    "  spread over them (default 0) to the site, for benchmarks.\n"
	    "  Deterministic for a given seed.\n");
}

static int
num_arg(const char *opt, const char *v, long long max, long long *out)
{
	if (str_toint(v, 0, max, out) != P_OK) {
		fprintf(stderr, "parley bench-data: %s wants a number from 0 "
		    "to %lld, not '%s'\n", opt, max, v);
		return -1;
	}
	return 0;
}

int
cmd_bench_data(int argc, char **argv)
{
	const char *site = NULL;
	long long narticles = 1000, ncomments = 0, seed = 1;
	struct store *st;
	struct buf body, html, exc;
	int64_t *ids = NULL, *last = NULL;
	struct arena a;
	time_t t0 = time(NULL);
	long long i;
	int rc = 1, k;
	enum perr e = P_OK;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--articles") && k + 1 < argc) {
			if (num_arg("--articles", argv[++k], MAX_ARTICLES,
			    &narticles))
				return 2;
		} else if (!strcmp(argv[k], "--comments") && k + 1 < argc) {
			if (num_arg("--comments", argv[++k], MAX_COMMENTS,
			    &ncomments))
				return 2;
		} else if (!strcmp(argv[k], "--seed") && k + 1 < argc) {
			if (num_arg("--seed", argv[++k], 1LL << 62, &seed))
				return 2;
		} else if (argv[k][0] == '-' || site) {
			fprintf(stderr, "parley bench-data: unexpected '%s'\n",
			    argv[k]);
			usage(stderr);
			return 2;
		} else
			site = argv[k];
	}
	if (site == NULL) {
		usage(stderr);
		return 2;
	}
	if (ncomments > 0 && narticles == 0) {
		fprintf(stderr, "parley bench-data: comments need articles\n");
		return 2;
	}
	if (cli_open_store(site, &st) != P_OK)
		return 1;
	rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed;
	if (store_set_durable(st, 0) != P_OK) {
		store_close(st);
		return 1;
	}
	buf_init(&body, 0);
	buf_init(&html, 0);
	buf_init(&exc, 0);
	arena_init(&a);
	ids = calloc((size_t)narticles + 1, sizeof(*ids));
	if (ids == NULL)
		abort();
	for (i = 0; i < narticles && e == P_OK; i++) {
		struct post p;
		struct category pc[2];
		int64_t uid;
		const char *au = authors[pick(NAUTHORS)];

		memset(&p, 0, sizeof(p));
		if ((e = store_user_ensure(st, str_slugify(&a, au), au, &uid)) !=
		    P_OK)
			break;
		buf_reset(&body);
		buf_reset(&html);
		buf_reset(&exc);
		article_body(&body, (size_t)i);
		p.title = arena_printf(&a, "Notes on the %s %s, part %lld",
		    words[pick(NWORDS)], words[pick(NWORDS)], i + 1);
		p.slug = arena_printf(&a, "bench-%lld", i + 1);
		p.author_id = uid;
		p.published = NEWEST - (int64_t)i * SPACING;
		p.body_md = body.data;
		if (md_render(MD_PROFILE_POST, body.data, body.len, &html) !=
		    P_OK || md_excerpt(body.data, body.len, EXCERPT_BYTES,
		    &exc) != P_OK) {
			e = P_BADINPUT;
			break;
		}
		p.body_html = html.data;
		p.excerpt = exc.data;
		p.image = p.image_caption = "";
		p.comments_open = pick(10) != 0;
		pc[0].name = cats[pick(NCATS)];
		pc[0].slug = str_slugify(&a, pc[0].name);
		pc[1].name = cats[pick(NCATS)];
		pc[1].slug = str_slugify(&a, pc[1].name);
		p.cats = pc;
		p.ncats = strcmp(pc[0].slug, pc[1].slug) && pick(3) == 0 ? 2 : 1;
		e = store_post_add(st, &p, &ids[i]);
		if (i % 256 == 255) {
			arena_free(&a);
			arena_init(&a);
		}
	}
	if (e != P_OK) {
		fprintf(stderr, "parley bench-data: article %lld: %s\n", i,
		    perr_str(e));
		goto out;
	}
	/* Comments: article k gets a share; each reply goes under an
	 * earlier comment of the same article. */
	last = calloc((size_t)narticles + 1, sizeof(*last));
	if (last == NULL)
		abort();
	for (i = 0; i < ncomments && e == P_OK; i++) {
		long long art = i % narticles, seq = i / narticles;
		struct comment c;
		const char *who = names[pick(NNAMES)];

		memset(&c, 0, sizeof(c));
		c.post_id = ids[art];
		c.parent_id = 0;
		/* Two in three reply to a recent comment of the article. */
		if (pick(3) != 0)
			c.parent_id = last[art];
		c.author = who;
		c.email = arena_printf(&a, "%s@example.org",
		    str_slugify(&a, who));
		c.url = pick(4) == 0 ? "https://example.org/" : "";
		c.ip = "192.0.2.7";
		c.commenter = "";
		c.status = CS_APPROVED;
		c.held_reason = "";
		c.created = NEWEST - art * SPACING + 600 + seq * 900;
		buf_reset(&body);
		buf_reset(&html);
		comment_body(&body, (size_t)i);
		c.body_md = body.data;
		if (md_render(MD_PROFILE_COMMENT, body.data, body.len, &html) !=
		    P_OK) {
			e = P_BADINPUT;
			break;
		}
		c.body_html = html.data;
		{
			int64_t cid;

			e = store_comment_add(st, &c, &cid);
			if (e == P_OK && (pick(2) || last[art] == 0))
				last[art] = cid;
		}
		if (i % 256 == 255) {
			arena_free(&a);
			arena_init(&a);
		}
		if (i % 100000 == 99999)
			fprintf(stderr, "parley bench-data: %lld comments\n",
			    i + 1);
	}
	if (e != P_OK) {
		fprintf(stderr, "parley bench-data: comment %lld: %s\n", i,
		    perr_str(e));
		goto out;
	}
	printf("added %lld articles and %lld comments in %lld s\n", narticles,
	    ncomments, (long long)(time(NULL) - t0));
	rc = 0;
out:
	if (store_set_durable(st, 1) != P_OK)
		rc = 1;
	store_close(st);
	free(ids);
	free(last);
	buf_free(&body);
	buf_free(&html);
	buf_free(&exc);
	arena_free(&a);
	return rc;
}
