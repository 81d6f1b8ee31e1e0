/* export.c: `parley export SITE [-o FILE.xml]`, the whole site as a
 * WordPress export (WXR 1.2) on stdout or into FILE. The work is
 * wxr_export's (wxr/export.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../conf/conf.h"
#include "../wxr/wxr.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley export SITE [-o FILE.xml] > FILE.xml\n"
	    "  Write every article, page, comment, author, category and tag "
	    "of SITE\n"
	    "  as a WordPress export (WXR 1.2), for WordPress's importer or "
	    "another\n"
	    "  Parley site (`parley import`). What came from WordPress goes "
	    "back as it\n"
	    "  came, unknown elements included.\n");
}

int
cmd_export(int argc, char **argv)
{
	const char *site = NULL, *out = NULL;
	struct wxr_export_opts o;
	struct conf c;
	struct store *st;
	char path[4096], err[8600], tmp[4200];
	FILE *f = stdout;
	int i, rc = 1;
	enum perr e;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) &&
		    i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] == '-' || site) {
			fprintf(stderr, "parley export: unexpected '%s'\n",
			    argv[i]);
			usage(stderr);
			return 2;
		} else
			site = argv[i];
	}
	if (site == NULL) {
		usage(stderr);
		return 2;
	}
	conf_defaults(&c);
	if ((size_t)snprintf(path, sizeof(path), "%s/parley.conf", site) >=
	    sizeof(path) || conf_load(&c, path, err, sizeof(err)) != P_OK) {
		fprintf(stderr, "parley export: %s\n", err);
		conf_free(&c);
		return 1;
	}
	if (cli_open_store(site, &st) != P_OK) {
		conf_free(&c);
		return 1;
	}
	if (out) {
		/* written next to the target and renamed at the end, so a
		 * failed export never leaves half a file under its name */
		snprintf(tmp, sizeof(tmp), "%s.partial-%ld", out,
		    (long)getpid());
		if ((f = fopen(tmp, "wx")) == NULL) {
			fprintf(stderr, "parley export: %s: %s\n", tmp,
			    strerror(errno));
			goto done;
		}
	}
	o.site_title = c.title;
	o.site_url = c.base_url;
	o.tagline = c.tagline;
	o.language = c.language;
	e = wxr_export(st, &o, f, err, sizeof(err));
	if (out) {
		if (fclose(f) != 0 && e == P_OK) {
			snprintf(err, sizeof(err), "%s: %s", tmp,
			    strerror(errno));
			e = P_IO;
		}
		if (e == P_OK && rename(tmp, out) != 0) {
			snprintf(err, sizeof(err), "%s: %s", out,
			    strerror(errno));
			e = P_IO;
		}
		if (e != P_OK)
			unlink(tmp);
	}
	if (e != P_OK)
		fprintf(stderr, "parley export: %s\n", err);
	else
		rc = 0;
done:
	store_close(st);
	conf_free(&c);
	return rc;
}
