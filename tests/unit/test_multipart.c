/* test_multipart.c: multipart/form-data parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/buf.h"
#include "base/limits.h"
#include "http/multipart.h"

static void
test_boundary(void **state)
{
	struct arena a;
	const char *b;

	arena_init(&a);
	assert_int_equal(multipart_boundary(&a, "multipart/form-data; "
	    "boundary=----WebKitFormBoundaryABC", &b), P_OK);
	assert_string_equal(b, "----WebKitFormBoundaryABC");
	assert_int_equal(multipart_boundary(&a, "multipart/form-data; "
	    "charset=utf-8; boundary=\"a b\"", &b), P_OK);
	assert_string_equal(b, "a b");
	assert_int_equal(multipart_boundary(&a, "multipart/form-data", &b),
	    P_BADINPUT);
	assert_int_equal(multipart_boundary(&a, "text/plain; boundary=x", &b),
	    P_BADINPUT);
	assert_int_equal(multipart_boundary(&a, "multipart/form-data; "
	    "boundary=", &b), P_BADINPUT);
	arena_free(&a);
}

#define BODY \
	"--XX\r\n" \
	"Content-Disposition: form-data; name=\"title\"\r\n" \
	"\r\n" \
	"Hello\r\nworld\r\n" \
	"--XX\r\n" \
	"Content-Disposition: form-data; name=\"img\"; filename=\"a b.png\"\r\n" \
	"Content-Type: image/png\r\n" \
	"\r\n" \
	"\x89PNG\r\n--X\0bin\r\n" \
	"--XX\r\n" \
	"Content-Disposition: form-data; name=\"empty\"\r\n" \
	"\r\n" \
	"\r\n" \
	"--XX--\r\n"

static void
test_parse(void **state)
{
	struct arena a;
	struct mp_part *p;
	size_t n;

	arena_init(&a);
	assert_int_equal(multipart_parse(&a, BODY, sizeof(BODY) - 1, "XX", &p,
	    &n), P_OK);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].name, "title");
	assert_null(p[0].filename);
	assert_int_equal(p[0].len, 12);
	assert_memory_equal(p[0].data, "Hello\r\nworld", 12);
	assert_string_equal(p[1].name, "img");
	assert_string_equal(p[1].filename, "a b.png");
	assert_string_equal(p[1].type, "image/png");
	assert_int_equal(p[1].len, 13);
	assert_memory_equal(p[1].data, "\x89PNG\r\n--X\0bin", 13);
	assert_string_equal(p[2].name, "empty");
	assert_int_equal(p[2].len, 0);
	arena_free(&a);
}

static void
test_malformed(void **state)
{
	struct arena a;
	struct mp_part *p;
	size_t n;
	static const char *const bad[] = {
		"",
		"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv",
		"--XX\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XX--",
		"--XX\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv"
		    "\r\n--XX--",
		"--XX\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv"
		    "\r\n--XX--",
		"--XXContent-Disposition: form-data; name=\"a\"\r\n\r\nv"
		    "\r\n--XX--",
		"no delimiter at all",
	};
	size_t i;

	arena_init(&a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (multipart_parse(&a, bad[i], strlen(bad[i]), "XX", &p, &n) ==
		    P_OK)
			fail_msg("case %zu parsed", i);
	arena_free(&a);
}

static void
test_limits(void **state)
{
	struct arena a;
	struct mp_part *p;
	struct buf b;
	size_t n, i;

	arena_init(&a);
	buf_init(&b, 0);
	for (i = 0; i < LIM_MULTIPART_PARTS + 1; i++)
		buf_printf(&b, "--q\r\nContent-Disposition: form-data; "
		    "name=\"f%zu\"\r\n\r\nv\r\n", i);
	buf_puts(&b, "--q--\r\n");
	assert_int_equal(multipart_parse(&a, b.data, b.len, "q", &p, &n),
	    P_TOOBIG);
	buf_reset(&b);
	buf_puts(&b, "--q\r\nContent-Disposition: form-data; name=\"f\"\r\n"
	    "X-Pad: ");
	for (i = 0; i < LIM_MULTIPART_HEADER_BYTES; i++)
		buf_putc(&b, 'a');
	buf_puts(&b, "\r\n\r\nv\r\n--q--\r\n");
	assert_int_equal(multipart_parse(&a, b.data, b.len, "q", &p, &n),
	    P_TOOBIG);
	buf_free(&b);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
