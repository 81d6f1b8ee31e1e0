/* serve.c: `parley serve SITE [--listen HOST:PORT]`. */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "../base/limits.h"
#include "../base/str.h"
#include "../cache/cache.h"
#include "../http/server.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley serve SITE [--listen HOST:PORT] "
	    "[--cache-mb N]\n"
	    "  Serve the site until Ctrl-C (SIGINT) or SIGTERM; in-flight\n"
	    "  requests finish first. One log line per request on stderr.\n"
	    "  --listen    address to listen on (default: listen= in "
	    "parley.conf)\n"
	    "  --cache-mb  size bound of the in-memory page cache "
	    "(default %d; 0 turns it off)\n", LIM_CACHE_MB_DEFAULT);
}

int
cmd_serve(int argc, char **argv)
{
	const char *site = NULL, *listen = NULL, *mb = NULL;
	struct app app;
	struct rlimit rl;
	long long cache_mb = LIM_CACHE_MB_DEFAULT;
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
		else if (!strcmp(argv[i], "--cache-mb") && i + 1 < argc)
			mb = argv[++i];
		else if (!strncmp(argv[i], "--cache-mb=", 11))
			mb = argv[i] + 11;
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
	if (mb && str_toint(mb, 0, 1 << 20, &cache_mb) != P_OK) {
		fprintf(stderr, "parley serve: --cache-mb wants a number of "
		    "megabytes (0 = off), not '%s'\n", mb);
		return 2;
	}
	if (app_open(&app, site, err, sizeof(err)) != P_OK) {
		fprintf(stderr, "parley serve: %s\n", err);
		app_close(&app);
		return 1;
	}
	if (cache_mb > 0)
		app.cache = cache_new((size_t)cache_mb * 1024 * 1024);
	/* One descriptor per connection and one per large cached page
	 * (its memory file): take what the system allows. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* Each request allocates and frees its page buffer and arena; by
	 * default glibc returns that memory to the kernel after the request
	 * (trimming worker threads' heaps, mmap for big blocks) and takes
	 * page faults to get it back on the next: 10% of an uncached page's
	 * time. Keep up to what a few requests in flight use. */
	(void)mallopt(M_MMAP_THRESHOLD, LIM_KEEP_FREE_BYTES);
	(void)mallopt(M_TRIM_THRESHOLD, LIM_KEEP_FREE_BYTES);
	rc = http_serve(&app, listen ? listen : app.conf.listen) == P_OK ? 0 : 1;
	app_close(&app);
	return rc;
}
