/* serve.c: `parley serve SITE [--listen HOST:PORT]`. */
#include <stdio.h>
#include <string.h>

#include "../http/server.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley serve SITE [--listen HOST:PORT]\n"
	    "  Serve the site until Ctrl-C (SIGINT) or SIGTERM; in-flight\n"
	    "  requests finish first. One log line per request on stderr.\n"
	    "  --listen  address to listen on (default: listen= in "
	    "parley.conf)\n");
}

int
cmd_serve(int argc, char **argv)
{
	const char *site = NULL, *listen = NULL;
	struct app app;
	char err[512];
	int i, rc;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			listen = argv[++i];
		else if (!strncmp(argv[i], "--listen=", 9))
			listen = argv[i] + 9;
		else if (argv[i][0] == '-' || site) {
			fprintf(stderr, "parley serve: unexpected '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else
			site = argv[i];
	}
	if (site == NULL) {
		usage(stderr);
		return 2;
	}
	if (app_open(&app, site, err, sizeof(err)) != P_OK) {
		fprintf(stderr, "parley serve: %s\n", err);
		app_close(&app);
		return 1;
	}
	rc = http_serve(&app, listen ? listen : app.conf.listen) == P_OK ? 0 : 1;
	app_close(&app);
	return rc;
}
