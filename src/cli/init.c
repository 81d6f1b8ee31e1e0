/* init.c: `parley init SITE [--demo]`. The site is built in a sibling
 * directory and renamed into place at the end, so a failed init leaves
 * nothing half-made and an existing site is never touched. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../auth/sign.h"
#include "../base/str.h"
#include "../conf/conf.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: parley init SITE [--demo] [--title TEXT] "
	    "[--base-url URL]\n"
	    "  Create a new site directory SITE with parley.conf and parley.db.\n"
	    "  --demo      fill it with demo articles and discussions\n"
	    "  --title     the site's title (default \"A Parley site\")\n"
	    "  --base-url  absolute URL readers use (default "
	    "http://127.0.0.1:8080)\n"
	    "  Refuses to touch an existing site.\n");
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wx");

	if (f == NULL)
		return -1;
	if (fputs(text, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Remove our own temporary directory after a failed init. */
static void
rm_tree(const char *dir)
{
	if (nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "parley init: could not remove %s\n", dir);
}

int
cmd_init(int argc, char **argv)
{
	const char *site = NULL, *title = NULL, *base = NULL;
	char tmp[4096], path[4200], err[512];
	struct conf c;
	struct store *st = NULL;
	struct stat sb;
	struct arena a;
	unsigned char key[SIGN_KEY_BYTES];
	char *text;
	int i, demo = 0, rc = 1;
	enum perr e;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--demo"))
			demo = 1;
		else if (!strcmp(argv[i], "--title") && i + 1 < argc)
			title = argv[++i];
		else if (!strcmp(argv[i], "--base-url") && i + 1 < argc)
			base = argv[++i];
		else if (argv[i][0] == '-' || site) {
			fprintf(stderr, "parley init: unexpected '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else
			site = argv[i];
	}
	if (site == NULL) {
		usage(stderr);
		return 2;
	}
	if (stat(site, &sb) == 0) {
		snprintf(path, sizeof(path), "%s/parley.conf", site);
		if (!S_ISDIR(sb.st_mode) || access(path, F_OK) == 0 ||
		    rmdir(site) != 0) {
			fprintf(stderr, "parley init: %s already exists; "
			    "refusing to overwrite it\n", site);
			return 1;
		}
	}
	if (sign_init() != P_OK) {
		fprintf(stderr, "parley init: cannot initialise libsodium\n");
		return 1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.partial-%ld", site,
	    (long)getpid()) >= sizeof(tmp)) {
		fprintf(stderr, "parley init: path too long\n");
		return 1;
	}
	if (mkdir(tmp, 0755) != 0) {
		fprintf(stderr, "parley init: cannot create %s: %s\n", tmp,
		    strerror(errno));
		return 1;
	}
	arena_init(&a);
	conf_defaults(&c);
	if (demo) {
		free(c.title);
		c.title = strdup("The Long View");
		free(c.tagline);
		c.tagline = strdup("Slow thinking about fast news");
	}
	if (title) {
		free(c.title);
		c.title = strdup(title);
	}
	if (base) {
		if (strncmp(base, "http://", 7) && strncmp(base, "https://", 8)) {
			fprintf(stderr, "parley init: --base-url must start "
			    "with http:// or https://\n");
			goto out;
		}
		free(c.base_url);
		c.base_url = strdup(base);
	}
	if (c.title == NULL || c.tagline == NULL || c.base_url == NULL)
		abort();
	text = conf_render(&c);
	snprintf(path, sizeof(path), "%s/parley.conf", tmp);
	i = write_file(path, text);
	free(text);
	if (i != 0) {
		fprintf(stderr, "parley init: cannot write %s: %s\n", path,
		    strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/media", tmp);
	if (mkdir(path, 0755) != 0) {
		fprintf(stderr, "parley init: cannot create %s\n", path);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/parley.db", tmp);
	if ((e = store_open_sqlite(path, 1, &st)) != P_OK) {
		fprintf(stderr, "parley init: cannot create %s: %s\n", path,
		    perr_str(e));
		goto out;
	}
	sign_new_key(key);
	if ((e = store_meta_set(st, "secret", sign_key_to_hex(&a, key))) !=
	    P_OK) {
		fprintf(stderr, "parley init: cannot write the site secret: "
		    "%s\n", perr_str(e));
		goto out;
	}
	if (demo && demo_load(st, tmp, err, sizeof(err)) != P_OK) {
		fprintf(stderr, "parley init: demo content: %s\n", err);
		goto out;
	}
	store_close(st);
	st = NULL;
	if (rename(tmp, site) != 0) {
		fprintf(stderr, "parley init: cannot create %s: %s\n", site,
		    strerror(errno));
		goto out;
	}
	printf("Created %s%s. Start it with: parley serve %s\n", site,
	    demo ? " with demo content" : "", site);
	rc = 0;
out:
	if (st)
		store_close(st);
	if (rc != 0)
		rm_tree(tmp);
	conf_free(&c);
	arena_free(&a);
	return rc;
}
