/* user.c: `parley user add|passwd|role|list|del`. Passwords are read from
 * the terminal without echo (twice), from one line of standard input when
 * it is not a terminal, or from the first line of --password-file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../auth/auth.h"
#include "../base/limits.h"
#include "../base/str.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: parley user add SITE LOGIN --role admin|editor|author "
	    "[--name \"Display Name\"] [--password-file FILE]\n"
	    "       parley user passwd SITE LOGIN [--password-file FILE]\n"
	    "       parley user role SITE LOGIN admin|editor|author\n"
	    "       parley user list SITE\n"
	    "       parley user del SITE LOGIN [--reassign OTHER_LOGIN]\n"
	    "  The password is read from the terminal without echo, or from\n"
	    "  one line of standard input, or the first line of FILE; at least\n"
	    "  %d characters. LOGIN is lower-case letters, digits and '-'\n"
	    "  (it is the /author/LOGIN/ address). Roles: admin (everything,\n"
	    "  users, settings), editor (all posts and comments), author (own\n"
	    "  posts and the comments on them). Changing a password logs the\n"
	    "  account out everywhere.\n", AUTH_PW_MIN);
}

/* One line from f into buf without its newline; 0 on success. */
static int
read_line(FILE *f, char *buf, size_t sz)
{
	size_t n;

	if (fgets(buf, (int)sz, f) == NULL)
		return -1;
	n = strlen(buf);
	if (n == sz - 1 && buf[n - 1] != '\n')
		return -2; /* longer than we accept */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

static int
prompt_noecho(const char *prompt, char *buf, size_t sz)
{
	struct termios old, quiet;
	int rc;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
		return -1;
	rc = read_line(stdin, buf, sz);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

/* The new password into buf; prints its own errors. */
static int
get_password(const char *cmd, const char *file, char *buf, size_t sz)
{
	char again[LIM_PASSWORD_BYTES + 2];
	int rc;

	if (file) {
		FILE *f = fopen(file, "r");

		if (f == NULL) {
			fprintf(stderr, "parley user %s: %s: %s\n", cmd, file,
			    strerror(errno));
			return -1;
		}
		rc = read_line(f, buf, sz);
		fclose(f);
	} else if (isatty(STDIN_FILENO)) {
		if (prompt_noecho("New password: ", buf, sz) != 0 ||
		    prompt_noecho("Again: ", again, sizeof(again)) != 0) {
			fprintf(stderr, "parley user %s: no password read\n",
			    cmd);
			return -1;
		}
		rc = strcmp(buf, again) == 0 ? 0 : -3;
		explicit_bzero(again, sizeof(again));
	} else
		rc = read_line(stdin, buf, sz);
	if (rc == -3)
		fprintf(stderr, "parley user %s: the two passwords differ\n", cmd);
	else if (rc == -2)
		fprintf(stderr, "parley user %s: password longer than %d bytes\n",
		    cmd, LIM_PASSWORD_BYTES);
	else if (rc != 0)
		fprintf(stderr, "parley user %s: no password given\n", cmd);
	else if (strlen(buf) < AUTH_PW_MIN) {
		fprintf(stderr, "parley user %s: the password needs at least %d "
		    "characters\n", cmd, AUTH_PW_MIN);
		rc = -1;
	}
	return rc;
}

struct opts {
	const char *site, *login, *role, *name, *pwfile, *reassign;
};

/* Parses SITE LOGIN and the options after them. */
static int
parse(int argc, char **argv, int need_login, struct opts *o)
{
	int i, pos = 0;

	memset(o, 0, sizeof(*o));
	for (i = 2; i < argc; i++) {
		const char **dst = NULL;

		if (!strcmp(argv[i], "--role"))
			dst = &o->role;
		else if (!strcmp(argv[i], "--name"))
			dst = &o->name;
		else if (!strcmp(argv[i], "--password-file"))
			dst = &o->pwfile;
		else if (!strcmp(argv[i], "--reassign"))
			dst = &o->reassign;
		if (dst) {
			if (i + 1 >= argc)
				return -1;
			*dst = argv[++i];
			continue;
		}
		if (argv[i][0] == '-')
			return -1;
		if (pos == 0)
			o->site = argv[i];
		else if (pos == 1 && need_login)
			o->login = argv[i];
		else if (pos == 2 && need_login == 2)
			o->role = argv[i];
		else
			return -1;
		pos++;
	}
	if (o->site == NULL || (need_login && o->login == NULL))
		return -1;
	return 0;
}

static int
cmd_add(struct opts *o)
{
	char pw[LIM_PASSWORD_BYTES + 2], hash[AUTH_HASH_BYTES];
	struct account u;
	struct store *st;
	int64_t id;
	enum perr e;

	if (o->role == NULL || role_parse(o->role) == ROLE_NONE) {
		fprintf(stderr, "parley user add: --role must be admin, editor "
		    "or author\n");
		return 2;
	}
	if (!str_is_slug(o->login) || strlen(o->login) > 60) {
		fprintf(stderr, "parley user add: login '%s' may only have "
		    "lower-case letters, digits and '-' (at most 60)\n",
		    o->login);
		return 2;
	}
	if (o->name && (!str_valid_line(o->name, strlen(o->name)) ||
	    strlen(o->name) > LIM_NAME_BYTES)) {
		fprintf(stderr, "parley user add: bad --name\n");
		return 2;
	}
	if (cli_open_store(o->site, &st) != P_OK)
		return 1;
	if (get_password("add", o->pwfile, pw, sizeof(pw)) != 0) {
		store_close(st);
		return 1;
	}
	e = auth_pw_hash(pw, hash);
	explicit_bzero(pw, sizeof(pw));
	if (e == P_OK) {
		memset(&u, 0, sizeof(u));
		u.login = o->login;
		u.name = o->name ? o->name : o->login;
		u.role = o->role;
		u.pw_hash = hash;
		u.created = (int64_t)time(NULL);
		e = store_account_add(st, &u, &id);
	}
	store_close(st);
	if (e == P_CONFLICT) {
		fprintf(stderr, "parley user add: '%s' exists already (set its "
		    "password with `parley user passwd`)\n", o->login);
		return 1;
	}
	if (e != P_OK) {
		fprintf(stderr, "parley user add: %s\n", perr_str(e));
		return 1;
	}
	printf("user %s added (%s)\n", o->login, o->role);
	return 0;
}

static int
cmd_passwd(struct opts *o)
{
	char pw[LIM_PASSWORD_BYTES + 2], hash[AUTH_HASH_BYTES];
	struct account u, cur;
	struct store *st;
	struct arena a;
	enum perr e;

	if (cli_open_store(o->site, &st) != P_OK)
		return 1;
	arena_init(&a);
	if ((e = store_account_get(st, &a, 0, o->login, &cur)) != P_OK) {
		fprintf(stderr, "parley user passwd: %s\n", e == P_NOTFOUND ?
		    "no such user" : perr_str(e));
		goto fail;
	}
	if (get_password("passwd", o->pwfile, pw, sizeof(pw)) != 0)
		goto fail;
	e = auth_pw_hash(pw, hash);
	explicit_bzero(pw, sizeof(pw));
	if (e == P_OK) {
		memset(&u, 0, sizeof(u));
		u.id = cur.id;
		u.pw_hash = hash;
		/* An account made by an import or the demo has no role
		 * that may log in yet: it becomes an author. */
		if (role_parse(cur.role) == ROLE_NONE)
			u.role = "author";
		e = store_account_update(st, &u);
	}
	if (e != P_OK) {
		fprintf(stderr, "parley user passwd: %s\n", perr_str(e));
		goto fail;
	}
	printf("password of %s changed; its sessions are ended\n", o->login);
	arena_free(&a);
	store_close(st);
	return 0;
fail:
	arena_free(&a);
	store_close(st);
	return 1;
}

static int
cmd_role(struct opts *o)
{
	struct account u, cur;
	struct store *st;
	struct arena a;
	enum perr e;

	if (role_parse(o->role) == ROLE_NONE) {
		fprintf(stderr, "parley user role: the role must be admin, "
		    "editor or author\n");
		return 2;
	}
	if (cli_open_store(o->site, &st) != P_OK)
		return 1;
	arena_init(&a);
	e = store_account_get(st, &a, 0, o->login, &cur);
	if (e == P_OK) {
		memset(&u, 0, sizeof(u));
		u.id = cur.id;
		u.role = o->role;
		e = store_account_update(st, &u);
	}
	arena_free(&a);
	store_close(st);
	if (e != P_OK) {
		fprintf(stderr, "parley user role: %s\n", e == P_NOTFOUND ?
		    "no such user" : perr_str(e));
		return 1;
	}
	printf("%s is now %s\n", o->login, o->role);
	return 0;
}

static int
cmd_list(struct opts *o)
{
	struct account *us;
	struct store *st;
	struct arena a;
	size_t n, i;

	if (cli_open_store(o->site, &st) != P_OK)
		return 1;
	arena_init(&a);
	if (store_account_list(st, &a, &us, &n) != P_OK) {
		fprintf(stderr, "parley user list: cannot read users\n");
		arena_free(&a);
		store_close(st);
		return 1;
	}
	printf("%-24s %-8s %-6s %5s  %s\n", "LOGIN", "ROLE", "LOGIN?", "POSTS",
	    "NAME");
	for (i = 0; i < n; i++)
		printf("%-24s %-8s %-6s %5lld  %s\n",
		    str_log_safe(&a, us[i].login),
		    *us[i].role ? str_log_safe(&a, us[i].role) : "-",
		    *us[i].pw_hash ? "yes" : "no", (long long)us[i].nposts,
		    str_log_safe(&a, us[i].name));
	printf("%zu user%s\n", n, n == 1 ? "" : "s");
	arena_free(&a);
	store_close(st);
	return 0;
}

static int
cmd_del(struct opts *o)
{
	struct account u, to;
	struct store *st;
	struct arena a;
	enum perr e;
	int rc = 1;

	if (cli_open_store(o->site, &st) != P_OK)
		return 1;
	arena_init(&a);
	if ((e = store_account_get(st, &a, 0, o->login, &u)) != P_OK) {
		fprintf(stderr, "parley user del: %s\n", e == P_NOTFOUND ?
		    "no such user" : perr_str(e));
		goto out;
	}
	to.id = 0;
	if (o->reassign && (e = store_account_get(st, &a, 0, o->reassign,
	    &to)) != P_OK) {
		fprintf(stderr, "parley user del: --reassign: %s\n",
		    e == P_NOTFOUND ? "no such user" : perr_str(e));
		goto out;
	}
	e = store_account_delete(st, u.id, to.id);
	if (e == P_CONFLICT)
		fprintf(stderr, "parley user del: %s has %lld post%s; give them "
		    "to someone with --reassign LOGIN\n", o->login,
		    (long long)u.nposts, u.nposts == 1 ? "" : "s");
	else if (e != P_OK)
		fprintf(stderr, "parley user del: %s\n", perr_str(e));
	else {
		printf("user %s deleted\n", o->login);
		rc = 0;
	}
out:
	arena_free(&a);
	store_close(st);
	return rc;
}

int
cmd_user(int argc, char **argv)
{
	struct opts o;
	const char *verb = argc >= 2 ? argv[1] : "";
	int need;

	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	need = !strcmp(verb, "list") ? 0 : !strcmp(verb, "role") ? 2 : 1;
	if (parse(argc, argv, need, &o) != 0) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(verb, "add"))
		return cmd_add(&o);
	if (!strcmp(verb, "passwd"))
		return cmd_passwd(&o);
	if (!strcmp(verb, "role"))
		return cmd_role(&o);
	if (!strcmp(verb, "list"))
		return cmd_list(&o);
	if (!strcmp(verb, "del"))
		return cmd_del(&o);
	usage(stderr);
	return 2;
}
