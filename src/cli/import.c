/* import.c: `parley import SITE FILE.xml [--quiet | --json]`, a WordPress
 * export (WXR) into a site. On a terminal a progress bar runs on stderr;
 * at the end a summary (counts per kind, warnings) goes to stdout, or one
 * JSON object with --json. The work is wxr_import's (wxr/import.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/limits.h"
#include "../render/esc.h"
#include "../wxr/wxr.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley import SITE FILE.xml|- [--quiet | --json]\n"
	    "  Import a WordPress export (Tools > Export > All content; WXR "
	    "1.0-1.2):\n"
	    "  authors, categories, tags, posts, pages, comments with their "
	    "threads and\n"
	    "  statuses, attachments as metadata; old WordPress links then "
	    "redirect.\n"
	    "  All or nothing: a broken file changes nothing. Importing the "
	    "same file\n"
	    "  again adds only what is new. Authors get no password.\n"
	    "  --quiet  no progress bar and no summary (errors still shown)\n"
	    "  --json   the summary as one JSON object on stdout\n");
}

struct warning {
	long line;
	char *msg;
};

struct ui {
	int bar;         /* draw the progress bar */
	double t0, last; /* seconds */
	struct warning w[LIM_WXR_WARNINGS];
	size_t nw;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
on_warning(void *ctx, long line, const char *msg)
{
	struct ui *u = ctx;

	if (u->nw < LIM_WXR_WARNINGS) {
		u->w[u->nw].line = line;
		if ((u->w[u->nw].msg = strdup(msg)) == NULL)
			abort();
		u->nw++;
	}
}

static void
on_progress(void *ctx, const struct wxr_progress *pr)
{
	struct ui *u = ctx;
	const struct wxr_counts *c = pr->counts;
	double t = now_s(), el = t - u->t0, rate, left = -1;
	int64_t items = c->posts + c->pages + c->attachments + c->other_items;
	char bar[41];
	int i, fill = 0;

	if (!u->bar || (t - u->last < 0.1 && pr->bytes < pr->total_bytes))
		return;
	u->last = t;
	rate = el > 0 ? pr->bytes / el : 0;
	if (pr->total_bytes > 0) {
		fill = (int)(40.0 * pr->bytes / pr->total_bytes);
		if (rate > 0)
			left = (pr->total_bytes - pr->bytes) / rate;
	}
	for (i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[40] = '\0';
	if (pr->total_bytes > 0)
		fprintf(stderr, "\r[%s] %3d%%  %.1f/%.1f MB", bar,
		    (int)(100.0 * pr->bytes / pr->total_bytes),
		    pr->bytes / 1e6, pr->total_bytes / 1e6);
	else /* a pipe: no size to measure against */
		fprintf(stderr, "\r%.1f MB read", pr->bytes / 1e6);
	fprintf(stderr, "  %lld items  %lld comments  %.1f MB/s  ",
	    (long long)items, (long long)c->comments, rate / 1e6);
	if (left >= 0)
		fprintf(stderr, "%d:%02d left ", (int)left / 60, (int)left % 60);
	fflush(stderr);
}

static void
jnum(struct buf *b, const char *k, int64_t v, int comma)
{
	buf_printf(b, "%s\"%s\":%lld", comma ? "," : "", k, (long long)v);
}

static void
print_json(const char *site, const char *file, const struct wxr_counts *c,
    const struct ui *u, double secs, const char *err)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_printf(&b, "{\"ok\":%s,\"site\":", err ? "false" : "true");
	esc_json_str(&b, site, strlen(site));
	buf_puts(&b, ",\"file\":");
	esc_json_str(&b, file, strlen(file));
	buf_printf(&b, ",\"seconds\":%.3f", secs);
	if (err) {
		buf_puts(&b, ",\"error\":");
		esc_json_str(&b, err, strlen(err));
	}
	buf_puts(&b, ",\"counts\":{");
	jnum(&b, "authors", c->authors, 0);
	jnum(&b, "authors_new", c->authors_new, 1);
	jnum(&b, "categories", c->categories, 1);
	jnum(&b, "categories_new", c->categories_new, 1);
	jnum(&b, "tags", c->tags, 1);
	jnum(&b, "tags_new", c->tags_new, 1);
	jnum(&b, "terms", c->terms, 1);
	jnum(&b, "terms_new", c->terms_new, 1);
	jnum(&b, "posts", c->posts, 1);
	jnum(&b, "posts_new", c->posts_new, 1);
	jnum(&b, "pages", c->pages, 1);
	jnum(&b, "pages_new", c->pages_new, 1);
	jnum(&b, "attachments", c->attachments, 1);
	jnum(&b, "attachments_new", c->attachments_new, 1);
	jnum(&b, "other_items", c->other_items, 1);
	jnum(&b, "other_items_new", c->other_items_new, 1);
	jnum(&b, "comments", c->comments, 1);
	jnum(&b, "comments_new", c->comments_new, 1);
	jnum(&b, "comments_pending", c->comments_pending, 1);
	jnum(&b, "comments_spam", c->comments_spam, 1);
	jnum(&b, "comments_trash", c->comments_trash, 1);
	jnum(&b, "pingbacks", c->pingbacks, 1);
	jnum(&b, "orphans", c->orphans, 1);
	jnum(&b, "warnings", c->warnings, 1);
	buf_puts(&b, "},\"warnings\":[");
	for (i = 0; i < u->nw; i++) {
		buf_printf(&b, "%s{\"line\":%ld,\"message\":", i ? "," : "",
		    u->w[i].line);
		esc_json_str(&b, u->w[i].msg, strlen(u->w[i].msg));
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}\n");
	fputs(b.data, stdout);
	buf_free(&b);
}

static void
row(const char *what, int64_t n, int64_t fresh)
{
	printf("  %-12s %8lld", what, (long long)n);
	if (fresh != n)
		printf("  (%lld new, %lld already here)", (long long)fresh,
		    (long long)(n - fresh));
	putchar('\n');
}

static void
print_summary(const char *site, const char *file, const struct wxr_counts *c,
    const struct ui *u, double secs)
{
	size_t i;

	printf("Imported %s into %s in %.1f s:\n", file, site, secs);
	row("authors", c->authors, c->authors_new);
	row("categories", c->categories, c->categories_new);
	row("tags", c->tags, c->tags_new);
	if (c->terms)
		row("other terms", c->terms, c->terms_new);
	row("posts", c->posts, c->posts_new);
	row("pages", c->pages, c->pages_new);
	row("attachments", c->attachments, c->attachments_new);
	if (c->other_items)
		row("other items", c->other_items, c->other_items_new);
	row("comments", c->comments, c->comments_new);
	if (c->comments_pending || c->comments_spam || c->comments_trash ||
	    c->pingbacks)
		printf("  %-12s %8s  %lld pending, %lld spam, %lld trash, "
		    "%lld pingbacks/trackbacks\n", "", "",
		    (long long)c->comments_pending, (long long)c->comments_spam,
		    (long long)c->comments_trash, (long long)c->pingbacks);
	printf("  %-12s %8lld\n", "warnings", (long long)c->warnings);
	for (i = 0; i < u->nw; i++) {
		if (u->w[i].line > 0)
			printf("    %s:%ld: %s\n", file, u->w[i].line,
			    u->w[i].msg);
		else
			printf("    %s\n", u->w[i].msg);
	}
	if ((size_t)c->warnings > u->nw)
		printf("    ... and %lld more\n",
		    (long long)(c->warnings - (int64_t)u->nw));
	if (c->authors_new)
		printf("Imported authors have no password yet.\n");
}

int
cmd_import(int argc, char **argv)
{
	const char *site = NULL, *file = NULL;
	struct wxr_import_opts o = { 0 };
	struct wxr_counts c;
	struct store *st;
	struct ui *u;
	char err[1024];
	int quiet = 0, json = 0, i, rc = 1;
	enum perr e;
	size_t k;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q"))
			quiet = 1;
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') { /* "-": stdin */
			fprintf(stderr, "parley import: unknown option '%s'\n",
			    argv[i]);
			usage(stderr);
			return 2;
		} else if (site == NULL)
			site = argv[i];
		else if (file == NULL)
			file = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (site == NULL || file == NULL) {
		usage(stderr);
		return 2;
	}
	if (cli_open_store(site, &st) != P_OK)
		return 1;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		abort();
	u->bar = !quiet && !json && isatty(STDERR_FILENO);
	u->t0 = now_s();
	o.progress = on_progress;
	o.warning = on_warning;
	o.ctx = u;
	e = wxr_import(st, file, &o, &c, err, sizeof(err));
	if (u->bar)
		fputs("\n", stderr);
	if (json)
		print_json(site, file, &c, u, now_s() - u->t0,
		    e == P_OK ? NULL : err);
	if (e != P_OK)
		fprintf(stderr, "parley import: %s\nNothing was imported: the "
		    "site is as it was.\n", err);
	else {
		if (!quiet && !json)
			print_summary(site, file, &c, u, now_s() - u->t0);
		rc = 0;
	}
	if (fflush(stdout) != 0)
		rc = 1;
	for (k = 0; k < u->nw; k++)
		free(u->w[k].msg);
	free(u);
	store_close(st);
	return rc;
}
