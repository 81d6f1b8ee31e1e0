#include "form.h"

#include <string.h>

#include "../base/limits.h"
#include "../base/str.h"

/* Decode s[0..n) into an arena string; NULL on a bad escape or NUL. */
static char *
decode(struct arena *a, const char *s, size_t n)
{
	return str_pct_decode(a, s, n, 1);
}

enum perr
form_parse(struct arena *a, const char *body, size_t len,
    struct form_field **out, size_t *n)
{
	return form_parse_max(a, body, len, LIM_FORM_FIELDS, out, n);
}

enum perr
form_parse_max(struct arena *a, const char *body, size_t len,
    size_t max_fields, struct form_field **out, size_t *n)
{
	struct form_field *f;
	size_t count = 0, i = 0;

	f = arena_alloc(a, sizeof(*f) * (max_fields ? max_fields : 1));
	while (i < len) {
		size_t start = i, eq = (size_t)-1;

		while (i < len && body[i] != '&') {
			if (body[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		if (i > start) {
			const char *name, *value;

			if (count == max_fields)
				return P_TOOBIG;
			if (eq == (size_t)-1) {
				name = decode(a, body + start, i - start);
				value = "";
			} else {
				name = decode(a, body + start, eq - start);
				value = decode(a, body + eq + 1, i - eq - 1);
			}
			if (name == NULL || value == NULL)
				return P_BADINPUT;
			f[count].name = name;
			f[count].value = value;
			count++;
		}
		i++; /* skip '&' */
	}
	*out = f;
	*n = count;
	return P_OK;
}

const char *
form_get(const struct form_field *f, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return f[i].value;
	return NULL;
}
