/* comment.c: `parley comment list SITE [--status S]` and
 * `parley comment approve|spam|trash SITE ID`. */
#include <stdio.h>
#include <string.h>

#include "../base/str.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley comment list SITE "
	    "[--status pending|approved|spam|trash]\n"
	    "       parley comment approve|spam|trash SITE ID\n"
	    "  list shows the newest 200 comments with that status "
	    "(default pending).\n");
}

/* First line of a comment, at most n bytes, cut on a UTF-8 boundary. */
static void
print_snippet(const char *s, size_t n)
{
	size_t i = 0;

	while (s[i] && s[i] != '\n' && i < n)
		i++;
	while (i > 0 && i < strlen(s) && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	printf("%.*s%s\n", (int)i, s, s[i] ? "…" : "");
}

static int
list(const char *site, const char *status)
{
	struct store *st;
	struct arena a;
	struct comment *cs;
	size_t n, i;
	int s = cstatus_parse(status), rc = 1;

	if (s < 0) {
		fprintf(stderr, "parley comment list: unknown status '%s'\n",
		    status);
		return 2;
	}
	if (cli_open_store(site, &st) != P_OK)
		return 1;
	arena_init(&a);
	if (store_comment_list_status(st, &a, (enum cstatus)s, 0, 200, &cs,
	    &n) != P_OK)
		fprintf(stderr, "parley comment list: cannot read comments\n");
	else {
		for (i = 0; i < n; i++) {
			char iso[21];

			str_iso8601(cs[i].created, iso);
			printf("#%lld  %s  post %lld%s  %s  %s <%s>  %s%s%s\n    ",
			    (long long)cs[i].id, cstatus_str(cs[i].status),
			    (long long)cs[i].post_id, cs[i].parent_id ?
			    arena_printf(&a, ", reply to #%lld",
			    (long long)cs[i].parent_id) : "", iso,
			    str_log_safe(&a, cs[i].author),
			    str_log_safe(&a, cs[i].email),
			    str_log_safe(&a, cs[i].ip),
			    *cs[i].held_reason ? "  held: " : "",
			    cs[i].held_reason);
			/* Text written by strangers: no control bytes reach
			 * the moderator's terminal. */
			print_snippet(str_log_safe(&a, cs[i].body_md), 72);
		}
		printf("%zu %s comment%s\n", n, status, n == 1 ? "" : "s");
		rc = 0;
	}
	arena_free(&a);
	store_close(st);
	return rc;
}

static int
set_status(const char *verb, const char *site, const char *ids)
{
	struct store *st;
	long long id;
	enum cstatus s;
	enum perr e;

	if (!strcmp(verb, "approve"))
		s = CS_APPROVED;
	else if (!strcmp(verb, "spam"))
		s = CS_SPAM;
	else
		s = CS_TRASH;
	if (str_toint(ids[0] == '#' ? ids + 1 : ids, 1, INT64_MAX, &id) !=
	    P_OK) {
		fprintf(stderr, "parley comment %s: '%s' is not a comment id\n",
		    verb, ids);
		return 2;
	}
	if (cli_open_store(site, &st) != P_OK)
		return 1;
	e = store_comment_set_status(st, id, s);
	store_close(st);
	if (e == P_NOTFOUND) {
		fprintf(stderr, "parley comment %s: no comment #%lld\n", verb, id);
		return 1;
	}
	if (e != P_OK) {
		fprintf(stderr, "parley comment %s: %s\n", verb, perr_str(e));
		return 1;
	}
	printf("comment #%lld is now %s\n", id, cstatus_str(s));
	return 0;
}

int
cmd_comment(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "list")) {
		if (argc == 3)
			return list(argv[2], "pending");
		if (argc == 5 && !strcmp(argv[3], "--status"))
			return list(argv[2], argv[4]);
		if (argc == 4 && !strncmp(argv[3], "--status=", 9))
			return list(argv[2], argv[3] + 9);
	}
	if (argc == 4 && (!strcmp(argv[1], "approve") ||
	    !strcmp(argv[1], "spam") || !strcmp(argv[1], "trash")))
		return set_status(argv[1], argv[2], argv[3]);
	usage(stderr);
	return 2;
}
