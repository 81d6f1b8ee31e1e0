/* test_base.c: buf limits, bounded integer parsing, slugs, UTF-8 checks,
 * dates, config loading, and signed tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/sign.h"
#include "base/buf.h"
#include "base/limits.h"
#include "base/str.h"
#include "conf/conf.h"

static void
test_buf_max(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), P_OK);
	assert_int_equal(buf_putc(&b, '9'), P_TOOBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%d", 1234567), P_OK);
	assert_int_equal(buf_printf(&b, "%d", 12), P_TOOBIG);
	assert_string_equal(b.data, "1234567");
	buf_free(&b);
}

static const struct {
	const char *s;
	long long min, max;
	enum perr want;
	long long v;
} ints[] = {
	{ "0", 0, 10, P_OK, 0 },
	{ "10", 0, 10, P_OK, 10 },
	{ "11", 0, 10, P_BADINPUT, 0 },
	{ "-1", -5, 5, P_OK, -1 },
	{ "-1", 0, 5, P_BADINPUT, 0 },
	{ "", 0, 5, P_BADINPUT, 0 },
	{ "-", -5, 5, P_BADINPUT, 0 },
	{ " 1", 0, 5, P_BADINPUT, 0 },
	{ "1 ", 0, 5, P_BADINPUT, 0 },
	{ "1x", 0, 5, P_BADINPUT, 0 },
	{ "+1", 0, 5, P_BADINPUT, 0 },
	{ "9223372036854775807", 0, INT64_MAX, P_OK, INT64_MAX },
	{ "9223372036854775808", 0, INT64_MAX, P_BADINPUT, 0 },
	{ "99999999999999999999999", 0, INT64_MAX, P_BADINPUT, 0 },
};

static void
test_toint(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		long long v = -42;
		enum perr e = str_toint(ints[i].s, ints[i].min, ints[i].max, &v);

		if (e != ints[i].want || (e == P_OK && v != ints[i].v))
			fail_msg("case %zu '%s': %d %lld", i, ints[i].s, e, v);
	}
	assert_int_equal(str_toint(NULL, 0, 1, &(long long){ 0 }), P_BADINPUT);
}

static const struct {
	const char *in, *out;
} slugs[] = {
	{ "Why the Night Train Came Back", "why-the-night-train-came-back" },
	{ "  --Hello,   World!--  ", "hello-world" },
	{ "Don't Panic", "dont-panic" },
	{ "Café au lait", "café-au-lait" },
	{ "Cities & Transport", "cities-transport" },
	{ "!!!", "" },
};

static void
test_slugify(void **state)
{
	struct arena a;
	size_t i;

	arena_init(&a);
	for (i = 0; i < sizeof(slugs) / sizeof(slugs[0]); i++)
		assert_string_equal(str_slugify(&a, slugs[i].in), slugs[i].out);
	assert_true(str_is_slug("abc-1"));
	assert_false(str_is_slug("ABC"));
	assert_false(str_is_slug("a/b"));
	assert_false(str_is_slug(""));
	arena_free(&a);
}

static void
test_slug_long_utf8(void **state)
{
	struct arena a;
	char in[1000];
	char *s;
	size_t i;

	/* 300 two-byte letters: the 200-byte cut must not split one. */
	for (i = 0; i < 300; i++) {
		in[2 * i] = (char)0xc3;
		in[2 * i + 1] = (char)0xa9;
	}
	in[600] = '\0';
	arena_init(&a);
	s = str_slugify(&a, in);
	assert_true(strlen(s) <= 200);
	assert_true(str_valid_text(s, strlen(s)));
	arena_free(&a);
}

static void
test_valid_text(void **state)
{
	assert_true(str_valid_text("plain\ttext\r\n", 12));
	assert_true(str_valid_text("\xe2\x9c\x93 \xf0\x9f\x98\x80", 8));
	assert_false(str_valid_text("a\x01z", 3));
	assert_false(str_valid_text("a\0z", 3));
	assert_false(str_valid_text("\xc0\xaf", 2));         /* overlong */
	assert_false(str_valid_text("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(str_valid_text("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(str_valid_text("\xe2\x9c", 2));         /* truncated */
	assert_false(str_valid_text("\x7f", 1));
}

static void
test_dates(void **state)
{
	int64_t t;
	char iso[21], human[48];

	assert_int_equal(str_parse_date("2026-10-14 07:30", &t), P_OK);
	str_iso8601(t, iso);
	assert_string_equal(iso, "2026-10-14T07:30:00Z");
	str_human_date(t, human, sizeof(human));
	assert_string_equal(human, "October 14, 2026");
	assert_int_equal(str_parse_date("2026-10-14", &t), P_OK);
	assert_int_equal(str_parse_date("2026-10-14T07:30:05Z", &t), P_OK);
	str_iso8601(t, iso);
	assert_string_equal(iso, "2026-10-14T07:30:05Z");
	assert_int_equal(str_parse_date("14/10/2026", &t), P_BADINPUT);
	assert_int_equal(str_parse_date("2026-10-14 7", &t), P_BADINPUT);
	assert_int_equal(str_parse_date("2026-10-14junk", &t), P_BADINPUT);

	/* The arithmetic agrees with the C library over years 1811-9999,
	 * leap days and the seconds either side of midnight included. */
	for (t = -5000000000LL; t < 253402300800LL; t += 7777777) {
		static const char *const months[] = { "January", "February",
			"March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December" };
		int64_t e[] = { t, t - t % 86400, t - t % 86400 - 1 };
		char want[48];
		time_t tt;
		struct tm tm;
		size_t i;

		for (i = 0; i < 3; i++) {
			tt = (time_t)e[i];
			gmtime_r(&tt, &tm);
			strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
			str_iso8601(e[i], iso);
			assert_string_equal(iso, want);
			snprintf(want, sizeof(want), "%s %d, %d",
			    months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
			str_human_date(e[i], human, sizeof(human));
			assert_string_equal(human, want);
		}
	}
	str_iso8601(951782400, iso);
	assert_string_equal(iso, "2000-02-29T00:00:00Z");
	str_human_date(951782400, human, 8);   /* too small: "" */
	assert_string_equal(human, "");
}

static void
test_http_dates(void **state)
{
	static const char *const bad[] = { "", "Sun, 06 Nov 1994 08:49:37",
		"Sun, 06 Nov 1994 08:49:37 GMT ", "Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 UTC", "Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994", "Xyz, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:4937 GMT", "Sun, 06 Nov 1994 08:49:37 GMT\n",
		"Sun, 0x Nov 1994 08:49:37 GMT" };
	char d[STR_HTTP_DATE_BYTES];
	int64_t t, u;
	size_t i;

	(void)state;
	str_http_date(784111777, d);
	assert_string_equal(d, "Sun, 06 Nov 1994 08:49:37 GMT");
	str_http_date(0, d);
	assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 GMT");
	assert_int_equal(str_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT",
	    &t), P_OK);
	assert_int_equal(t, 784111777);
	assert_int_equal(str_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT",
	    &u), P_OK);
	assert_int_equal(u, t);
	assert_int_equal(str_parse_http_date("Sun Nov  6 08:49:37 1994", &u),
	    P_OK);
	assert_int_equal(u, t);
	assert_int_equal(str_parse_http_date("Sun Nov 16 08:49:37 1994", &u),
	    P_OK);
	assert_int_equal(u, t + 10 * 86400);
	/* Round trip over a range of times. */
	for (t = 0; t < 4102444800LL; t += 86399 * 37) {
		str_http_date(t, d);
		assert_int_equal(str_parse_http_date(d, &u), P_OK);
		assert_int_equal(u, t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (str_parse_http_date(bad[i], &t) != P_BADINPUT)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(str_parse_http_date(NULL, &t), P_BADINPUT);
}

static char *
write_tmp(const char *text)
{
	static char path[] = "/tmp/parley-conf-XXXXXX";
	int fd;

	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_conf(void **state)
{
	struct conf c;
	char err[256], *path, *text;

	conf_defaults(&c);
	path = write_tmp("[site]\ntitle = T\nbase_url = https://x.example/\n"
	    "[comments]\nthread_depth = 3\nfirst_time_approval = no\n");
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), P_OK);
	assert_string_equal(c.title, "T");
	assert_string_equal(c.base_url, "https://x.example");
	assert_int_equal(c.thread_depth, 3);
	assert_int_equal(c.first_time_approval, 0);
	unlink(path);
	/* What conf_render writes, conf_load reads back. */
	text = conf_render(&c);
	path = write_tmp(text);
	free(text);
	conf_free(&c);
	conf_defaults(&c);
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), P_OK);
	assert_string_equal(c.title, "T");
	assert_int_equal(c.thread_depth, 3);
	unlink(path);
	conf_free(&c);

	conf_defaults(&c);
	path = write_tmp("[comments]\nthread_depth = 11\n");
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), P_BADINPUT);
	assert_non_null(strstr(err, ":2:"));
	unlink(path);
	path = write_tmp("[site]\ntitel = typo\n");
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), P_BADINPUT);
	assert_non_null(strstr(err, "unknown setting"));
	unlink(path);
	path = write_tmp("[site]\nbase_url = ftp://x\n");
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), P_BADINPUT);
	unlink(path);
	assert_int_equal(conf_load(&c, "/nonexistent/parley.conf", err,
	    sizeof(err)), P_NOTFOUND);
	conf_free(&c);
}

static void
test_sign(void **state)
{
	unsigned char key[SIGN_KEY_BYTES], other[SIGN_KEY_BYTES];
	struct arena a;
	char *tok, *bad;
	size_t n;

	assert_int_equal(sign_init(), P_OK);
	sign_new_key(key);
	sign_new_key(other);
	arena_init(&a);
	tok = sign_make(&a, key, "c0123");
	assert_string_equal(sign_check(&a, key, tok), "c0123");
	assert_null(sign_check(&a, other, tok));
	bad = arena_strdup(&a, tok);
	bad[1] = '9'; /* payload changed */
	assert_null(sign_check(&a, key, bad));
	bad = arena_strdup(&a, tok);
	n = strlen(bad);
	bad[n - 1] = bad[n - 1] == '0' ? '1' : '0'; /* mac changed */
	assert_null(sign_check(&a, key, bad));
	assert_null(sign_check(&a, key, "nodot"));
	assert_null(sign_check(&a, key, "x.short"));
	assert_null(sign_check(&a, key, NULL));
	assert_int_equal(sign_key_from_hex(sign_key_to_hex(&a, key), other),
	    P_OK);
	assert_memory_equal(key, other, SIGN_KEY_BYTES);
	assert_int_equal(sign_key_from_hex("abc", other), P_BADINPUT);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_max),
		cmocka_unit_test(test_toint),
		cmocka_unit_test(test_slugify),
		cmocka_unit_test(test_slug_long_utf8),
		cmocka_unit_test(test_valid_text),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_http_dates),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_sign),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
