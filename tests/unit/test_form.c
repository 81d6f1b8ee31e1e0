/* test_form.c: urlencoded form parsing, one case per row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "http/form.h"

static const struct {
	const char *body;
	enum perr want;
	const char *name, *value; /* one field checked */
} cases[] = {
	{ "a=1", P_OK, "a", "1" },
	{ "a=1&b=2", P_OK, "b", "2" },
	{ "a=hello+world", P_OK, "a", "hello world" },
	{ "a=%41%62", P_OK, "a", "Ab" },
	{ "a=%e2%9c%93", P_OK, "a", "\xe2\x9c\x93" },
	{ "a=1&a=2", P_OK, "a", "1" },          /* first wins */
	{ "flag", P_OK, "flag", "" },
	{ "a=", P_OK, "a", "" },
	{ "&&a=1&&", P_OK, "a", "1" },
	{ "a=x=y", P_OK, "a", "x=y" },
	{ "a%20b=c", P_OK, "a b", "c" },
	{ "a=%", P_BADINPUT, NULL, NULL },
	{ "a=%4", P_BADINPUT, NULL, NULL },
	{ "a=%zz", P_BADINPUT, NULL, NULL },
	{ "a=%00", P_BADINPUT, NULL, NULL },
	{ "%00=1", P_BADINPUT, NULL, NULL },
};

static void
test_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		struct form_field *f;
		size_t n;
		enum perr e;

		arena_init(&a);
		e = form_parse(&a, cases[i].body, strlen(cases[i].body), &f, &n);
		if (e != cases[i].want)
			fail_msg("case %zu '%s': got %d want %d", i,
			    cases[i].body, e, cases[i].want);
		if (e == P_OK && cases[i].name)
			assert_string_equal(form_get(f, n, cases[i].name),
			    cases[i].value);
		arena_free(&a);
	}
}

static void
test_empty(void **state)
{
	struct arena a;
	struct form_field *f;
	size_t n = 99;

	arena_init(&a);
	assert_int_equal(form_parse(&a, "", 0, &f, &n), P_OK);
	assert_int_equal(n, 0);
	assert_null(form_get(f, n, "a"));
	arena_free(&a);
}

static void
test_field_limit(void **state)
{
	struct arena a;
	struct form_field *f;
	char body[4096];
	size_t n, len = 0;
	int i;

	arena_init(&a);
	for (i = 0; i < LIM_FORM_FIELDS; i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len,
		    "%sf%d=v", i ? "&" : "", i);
	assert_int_equal(form_parse(&a, body, len, &f, &n), P_OK);
	assert_int_equal(n, LIM_FORM_FIELDS);
	len += (size_t)snprintf(body + len, sizeof(body) - len, "&one=more");
	assert_int_equal(form_parse(&a, body, len, &f, &n), P_TOOBIG);
	arena_free(&a);
}

static void
test_not_nul_terminated(void **state)
{
	struct arena a;
	struct form_field *f;
	size_t n;
	const char body[] = { 'a', '=', '1', '%' };

	arena_init(&a);
	/* Length excludes the trailing '%': the parser must not read it. */
	assert_int_equal(form_parse(&a, body, 3, &f, &n), P_OK);
	assert_string_equal(form_get(f, n, "a"), "1");
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_not_nul_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
