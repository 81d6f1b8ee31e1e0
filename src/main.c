/* main.c: argv → the command table in cli/. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
	{ "init", cmd_init, "init SITE [--demo]        create a site directory" },
	{ "serve", cmd_serve, "serve SITE [--listen A:P]  serve the site over HTTP" },
	{ "post", cmd_post, "post add|list SITE ...     add or list articles" },
	{ "comment", cmd_comment, "comment list|approve|spam|trash SITE ...  moderate" },
	{ "user", cmd_user, "user add|passwd|role|list|del SITE ...  accounts" },
	{ "import", cmd_import, "import SITE FILE.xml [--json]  import a WordPress export" },
	{ "export", cmd_export, "export SITE > FILE.xml    export as WordPress XML (WXR)" },
	{ "bench-data", cmd_bench_data, "bench-data SITE [--articles N] [--comments N]  generate a benchmark site" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: parley COMMAND [ARGS]   (parley COMMAND --help)\n\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  parley %s\n", cmds[i].help);
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "parley: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
