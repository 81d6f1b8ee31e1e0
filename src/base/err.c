#include "err.h"

const char *
perr_str(enum perr e)
{
	switch (e) {
	case P_OK: return "ok";
	case P_NOMEM: return "out of memory";
	case P_TOOBIG: return "too large";
	case P_BADINPUT: return "invalid input";
	case P_NOTFOUND: return "not found";
	case P_CONFLICT: return "already exists";
	case P_CLOSED: return "comments are closed";
	case P_RATELIMIT: return "too many requests";
	case P_IO: return "input/output error";
	}
	return "unknown error";
}
