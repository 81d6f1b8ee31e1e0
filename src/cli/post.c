/* post.c: `parley post add SITE FILE.md`, `parley post list SITE`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/buf.h"
#include "../base/limits.h"
#include "../base/str.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley post add SITE FILE.md\n"
	    "       parley post list SITE\n"
	    "  FILE.md starts with a header between two '---' lines:\n"
	    "    title: Why the Night Train Came Back   (required)\n"
	    "    author: Mira Kovac                     (required)\n"
	    "    date: 2026-10-14 07:30                 (UTC; default now)\n"
	    "    slug: night-train                      (default from title)\n"
	    "    categories: Europe, Transport\n"
	    "    image: /media/train.jpg\n"
	    "    caption: A sleeper at dawn.\n"
	    "    comments: open | closed\n"
	    "  then the article in Markdown (HTML allowed).\n");
}

static int
post_add(const char *site, const char *file)
{
	struct store *st;
	struct arena a;
	struct buf b;
	struct post p;
	char chunk[8192], err[1024];
	size_t r;
	int64_t id;
	FILE *f;
	int rc = 1;
	int y, m, d;

	if ((f = fopen(file, "rb")) == NULL) {
		fprintf(stderr, "parley post add: %s: %s\n", file,
		    strerror(errno));
		return 1;
	}
	buf_init(&b, LIM_POST_FILE_BYTES);
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, r) != P_OK) {
			fprintf(stderr, "parley post add: %s: larger than %d "
			    "bytes\n", file, LIM_POST_FILE_BYTES);
			fclose(f);
			buf_free(&b);
			return 1;
		}
	if (ferror(f)) {
		fprintf(stderr, "parley post add: %s: read error\n", file);
		fclose(f);
		buf_free(&b);
		return 1;
	}
	fclose(f);
	if (cli_open_store(site, &st) != P_OK) {
		buf_free(&b);
		return 1;
	}
	arena_init(&a);
	if (postfile_add(st, &a, b.data ? b.data : "", b.len, file, &id, &p,
	    err, sizeof(err)) != P_OK)
		fprintf(stderr, "parley post add: %s\n", err);
	else {
		struct tm tm;
		time_t t = (time_t)p.published;

		gmtime_r(&t, &tm);
		y = tm.tm_year + 1900;
		m = tm.tm_mon + 1;
		d = tm.tm_mday;
		printf("added post %lld: /%04d/%02d/%02d/%s/\n", (long long)id,
		    y, m, d, p.slug);
		rc = 0;
	}
	arena_free(&a);
	store_close(st);
	buf_free(&b);
	return rc;
}

static int
post_list(const char *site)
{
	struct store *st;
	struct arena a;
	struct post_query q = { 0 };
	struct post *posts;
	size_t n, i;
	int64_t total;
	int rc = 1;

	if (cli_open_store(site, &st) != P_OK)
		return 1;
	arena_init(&a);
	q.limit = 1000000;
	if (store_post_list(st, &a, &q, &posts, &n, &total) != P_OK)
		fprintf(stderr, "parley post list: cannot read articles\n");
	else {
		printf("%-6s %-10s %-8s %-6s %s\n", "ID", "DATE", "COMMENTS",
		    "OPEN", "TITLE");
		for (i = 0; i < n; i++) {
			char iso[21];

			str_iso8601(posts[i].published, iso);
			iso[10] = '\0';
			printf("%-6lld %-10s %-8lld %-6s %s\n",
			    (long long)posts[i].id, iso,
			    (long long)posts[i].n_approved,
			    posts[i].comments_open ? "yes" : "no",
			    posts[i].title);
		}
		printf("%lld articles\n", (long long)total);
		rc = 0;
	}
	arena_free(&a);
	store_close(st);
	return rc;
}

int
cmd_post(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "add"))
		return post_add(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "list"))
		return post_list(argv[2]);
	usage(stderr);
	return 2;
}
