/* err.h: the one error vocabulary. A perr becomes an HTTP status or an exit
 * code only at the boundary (http/, cli/); everything below returns perr. */
#ifndef PARLEY_ERR_H
#define PARLEY_ERR_H

enum perr {
	P_OK = 0,
	P_NOMEM,     /* allocation failed */
	P_TOOBIG,    /* input larger than its named limit */
	P_BADINPUT,  /* malformed or invalid input */
	P_NOTFOUND,  /* no such thing */
	P_CONFLICT,  /* already exists / state does not allow it */
	P_CLOSED,    /* comments closed */
	P_RATELIMIT, /* too many requests */
	P_IO,        /* disk, database or network failure */
};

/* Static string describing e; never NULL. */
const char *perr_str(enum perr e);

#endif
