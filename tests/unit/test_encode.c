/* test_encode.c: content-coding negotiation, ETags, If-None-Match
 * matching and compression (http/encode.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <zlib.h>

#include "http/encode.h"

static void
test_choose(void **state)
{
	static const struct {
		const char *ae;
		enum coding want;
	} cases[] = {
		{ NULL, CODING_IDENTITY },
		{ "", CODING_IDENTITY },
		{ "identity", CODING_IDENTITY },
		{ "gzip", CODING_GZIP },
		{ "x-gzip", CODING_GZIP },
		{ "GZIP", CODING_GZIP },
		{ "br", CODING_BR },
		{ "gzip, deflate, br", CODING_BR },
		{ "gzip, deflate, br, zstd", CODING_BR },
		{ "br;q=0.5, gzip", CODING_GZIP },
		{ "br;q=0.5, gzip;q=0.5", CODING_BR },
		{ "br;q=0, gzip;q=0", CODING_IDENTITY },
		{ "gzip;q=0.5, identity", CODING_IDENTITY },
		{ "*", CODING_BR },
		{ "*;q=0.3, br;q=0.2", CODING_GZIP },
		{ "*;q=0", CODING_IDENTITY },
		{ "deflate", CODING_IDENTITY },
		{ "gzip ; q=0.8 , br ; q=0.9", CODING_BR },
		{ "gzip;q=1.0", CODING_GZIP },
		{ "gzip;q=1.5", CODING_IDENTITY },
		{ "gzip;q=abc", CODING_IDENTITY },
		{ "gzip;q=0.001", CODING_GZIP },
		{ "gzip;level=1", CODING_GZIP },
		{ "gzip junk", CODING_IDENTITY },
		{ ",,, ,br,", CODING_BR },
		{ "brotli", CODING_IDENTITY },
		{ "br;q=", CODING_IDENTITY },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (enc_choose(cases[i].ae) != cases[i].want)
			fail_msg("Accept-Encoding '%s': got %d, want %d",
			    cases[i].ae ? cases[i].ae : "(none)",
			    enc_choose(cases[i].ae), cases[i].want);
}

static void
test_none_match(void **state)
{
	const char *e = "\"abc\"";

	(void)state;
	assert_true(enc_none_match("\"abc\"", e));
	assert_true(enc_none_match("W/\"abc\"", e));
	assert_true(enc_none_match("\"x\", \"abc\"", e));
	assert_true(enc_none_match("\"x\",W/\"abc\" ,\"y\"", e));
	assert_true(enc_none_match("*", e));
	assert_true(enc_none_match(" * ", e));
	assert_true(enc_none_match("\"abc\"", "W/\"abc\""));
	assert_false(enc_none_match("\"abcd\"", e));
	assert_false(enc_none_match("\"ab\"", e));
	assert_false(enc_none_match("abc", e));
	assert_false(enc_none_match("\"abc", e));
	assert_false(enc_none_match("", e));
	assert_false(enc_none_match(NULL, e));
	assert_false(enc_none_match("\"abc\"", ""));
	assert_false(enc_none_match("\"*\"", e));
	assert_false(enc_none_match("*x", e));
}

static void
test_etag(void **state)
{
	char a[ENC_ETAG_BYTES], b[ENC_ETAG_BYTES], c[ENC_ETAG_BYTES];

	(void)state;
	enc_etag("hello", 5, a);
	enc_etag("hello", 5, b);
	assert_string_equal(a, b);
	assert_int_equal(a[0], '"');
	assert_int_equal(strlen(a), 34);
	enc_etag("hellO", 5, b);
	assert_string_not_equal(a, b);
	/* Strong and byte-exact: a page that differed per render would
	 * never revalidate (the form timestamp lives in a cookie). */
	enc_etag("form t1.x end", 13, a);
	enc_etag("form t2.y end", 13, c);
	assert_string_not_equal(a, c);
	assert_int_equal(a[0], '"');
}

static void
test_compress(void **state)
{
	struct buf in, out;
	unsigned char back[70000];
	z_stream z;
	int i;

	(void)state;
	buf_init(&in, 0);
	buf_init(&out, 0);
	for (i = 0; i < 1000; i++)
		buf_printf(&in, "<p>Comment %d: the night train came back.</p>\n",
		    i);
	assert_true(in.len < sizeof(back));
	assert_int_equal(enc_compress(CODING_GZIP, in.data, in.len, &out),
	    P_OK);
	assert_true(out.len < in.len / 4);
	assert_int_equal((unsigned char)out.data[0], 0x1f);
	assert_int_equal((unsigned char)out.data[1], 0x8b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (unsigned char *)out.data;
	z.avail_in = (unsigned)out.len;
	z.next_out = back;
	z.avail_out = sizeof(back);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, in.len);
	assert_memory_equal(back, in.data, in.len);
	inflateEnd(&z);
	/* Deterministic: equal input, equal bytes (the ETag relies on it). */
	{
		struct buf again;

		buf_init(&again, 0);
		assert_int_equal(enc_compress(CODING_GZIP, in.data, in.len,
		    &again), P_OK);
		assert_int_equal(again.len, out.len);
		assert_memory_equal(again.data, out.data, out.len);
		assert_int_equal(enc_compress(CODING_BR, in.data, in.len,
		    &again), P_OK);
		assert_true(again.len < out.len);
		buf_free(&again);
	}
	assert_int_equal(enc_compress(CODING_IDENTITY, in.data, in.len, &out),
	    P_BADINPUT);
	assert_int_equal(enc_compress(CODING_GZIP, "", 0, &out), P_OK);
	buf_free(&in);
	buf_free(&out);
}

static void
test_compressible(void **state)
{
	(void)state;
	assert_true(enc_compressible("text/html; charset=utf-8"));
	assert_true(enc_compressible("application/json"));
	assert_true(enc_compressible("application/atom+xml; charset=utf-8"));
	assert_true(enc_compressible("application/feed+json"));
	assert_true(enc_compressible("image/svg+xml"));
	assert_false(enc_compressible("image/png"));
	assert_false(enc_compressible(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_none_match),
		cmocka_unit_test(test_etag),
		cmocka_unit_test(test_compress),
		cmocka_unit_test(test_compressible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
