/* cli.h: the subcommands of `parley`. Each returns the process exit
 * status (0 ok, 1 failure, 2 usage) and prints its own errors. */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/store.h"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_comment(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_bench_data(int argc, char **argv);

/* True if argv[1..] asks for help. */
int cli_wants_help(int argc, char **argv);

/* Open SITE/parley.db (must exist). Prints an error on failure. */
enum perr cli_open_store(const char *site, struct store **st);

/* Parse an article file (front matter between '---' lines, then Markdown)
 * and add it to the store, creating its author and categories. origin
 * names the file in error messages ("file:line: reason" into err). */
enum perr postfile_add(struct store *st, struct arena *a, const char *text,
    size_t len, const char *origin, int64_t *id, struct post *out,
    char *err, size_t errsz);

/* Fill a new site's store with the embedded demo content and copy its
 * media into site_dir/media/. */
enum perr demo_load(struct store *st, const char *site_dir, char *err,
    size_t errsz);

#endif
