/* test_auth.c: roles, argon2id hashing, tokens, the login throttle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/limits.h"

static void
test_roles(void **state)
{
	assert_int_equal(role_parse("admin"), ROLE_ADMIN);
	assert_int_equal(role_parse("editor"), ROLE_EDITOR);
	assert_int_equal(role_parse("author"), ROLE_AUTHOR);
	assert_int_equal(role_parse("Admin"), ROLE_NONE);
	assert_int_equal(role_parse(""), ROLE_NONE);
	assert_int_equal(role_parse(NULL), ROLE_NONE);
	assert_string_equal(role_str(ROLE_EDITOR), "editor");
	assert_true(ROLE_ADMIN > ROLE_EDITOR && ROLE_EDITOR > ROLE_AUTHOR);
}

static void
test_password(void **state)
{
	char h[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES];

	assert_int_equal(auth_pw_hash("correct horse", h), P_OK);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_true(auth_pw_verify(h, "correct horse"));
	assert_false(auth_pw_verify(h, "correct horsE"));
	assert_false(auth_pw_verify(h, ""));
	assert_false(auth_pw_verify(h, NULL));
	/* Salted: the same password hashes differently. */
	assert_int_equal(auth_pw_hash("correct horse", h2), P_OK);
	assert_string_not_equal(h, h2);
	/* No hash (unknown login, imported author): always no. */
	assert_false(auth_pw_verify("", "anything"));
	assert_false(auth_pw_verify(NULL, "anything"));
	assert_false(auth_pw_verify("$2y$10$notargon", "anything"));
	assert_int_equal(auth_pw_hash("short", h), P_BADINPUT);
	assert_int_equal(auth_pw_hash(NULL, h), P_BADINPUT);
}

static void
test_tokens(void **state)
{
	struct arena a;
	char *t1, *t2;

	arena_init(&a);
	t1 = auth_token_new(&a);
	t2 = auth_token_new(&a);
	assert_int_equal(strlen(t1), 64);
	assert_string_not_equal(t1, t2);
	assert_int_equal(strlen(auth_token_hash(&a, t1)), 64);
	assert_string_equal(auth_token_hash(&a, t1), auth_token_hash(&a, t1));
	assert_string_not_equal(auth_token_hash(&a, t1), t1);
	assert_true(auth_str_eq("abc", "abc"));
	assert_false(auth_str_eq("abc", "abd"));
	assert_false(auth_str_eq("abc", "abcd"));
	assert_false(auth_str_eq(NULL, "abc"));
	assert_true(auth_str_eq("", ""));
	assert_string_equal(auth_sha256_hex(&a, "abc", 3),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	arena_free(&a);
}

static void
test_throttle(void **state)
{
	struct throttle *t = throttle_new(3, 900);
	int i;

	assert_int_equal(throttle_wait(t, "u:ada", 1000), 0);
	for (i = 0; i < 3; i++)
		throttle_fail(t, "u:ada", 1000 + i);
	assert_int_equal(throttle_wait(t, "u:ada", 1010), 890);
	assert_int_equal(throttle_wait(t, "u:bob", 1010), 0);
	/* The window passes. */
	assert_int_equal(throttle_wait(t, "u:ada", 1900), 0);
	throttle_fail(t, "u:ada", 2000);
	assert_int_equal(throttle_wait(t, "u:ada", 2001), 0);
	throttle_clear(t, "u:ada");
	/* Many keys: memory stays fixed, old ones recycled. */
	for (i = 0; i < LIM_LOGIN_SLOTS * 2; i++) {
		char k[32];

		snprintf(k, sizeof(k), "i:10.0.%d.%d", i / 256, i % 256);
		throttle_fail(t, k, 3000 + i);
	}
	for (i = 0; i < 3; i++)
		throttle_fail(t, "u:eve", 9000);
	assert_true(throttle_wait(t, "u:eve", 9001) > 0);
	throttle_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_throttle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
