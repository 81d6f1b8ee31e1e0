/* form.h: application/x-www-form-urlencoded parsing. A small, pure,
 * bounded parser over untrusted bytes (fuzz target: tests/fuzz/fuzz_form.c).
 * Fields live in the caller's arena. */
#ifndef PARLEY_FORM_H
#define PARLEY_FORM_H

#include <stddef.h>

#include "../base/arena.h"
#include "../base/err.h"

struct form_field {
	const char *name;
	const char *value; /* decoded, NUL-terminated, no embedded NUL */
};

/* Parse body. More than LIM_FORM_FIELDS fields → P_TOOBIG; a bad %-escape
 * or a decoded NUL byte → P_BADINPUT. */
enum perr form_parse(struct arena *a, const char *body, size_t len,
    struct form_field **out, size_t *n);
/* Same with another field limit (admin forms: LIM_ADMIN_FORM_FIELDS). */
enum perr form_parse_max(struct arena *a, const char *body, size_t len,
    size_t max_fields, struct form_field **out, size_t *n);
/* First field named name, or NULL. */
const char *form_get(const struct form_field *f, size_t n, const char *name);

#endif
