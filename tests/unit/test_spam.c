/* test_spam.c: moderation decisions and the per-IP rate limiter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "spam/spam.h"

static const struct spam_rules rules = { 1, 2, 3 };

static const struct {
	struct spam_facts f;
	enum cstatus want;
	const char *reason;
} cases[] = {
	/* honeypot, token_ok, seconds, links, known, site user, blocked,
	 * rate limited */
	{ { 0, 1, 30, 0, 1, 0, NULL, 0 }, CS_APPROVED, "" },
	{ { 0, 1, 30, 0, 0, 0, NULL, 0 }, CS_PENDING, "first-time commenter" },
	{ { 0, 1, 30, 3, 1, 0, NULL, 0 }, CS_PENDING, "too many links" },
	{ { 0, 1, 30, 2, 1, 0, NULL, 0 }, CS_APPROVED, "" },
	{ { 1, 1, 30, 0, 1, 0, NULL, 0 }, CS_SPAM, "honeypot" },
	{ { 0, 1, 1, 0, 1, 0, NULL, 0 }, CS_SPAM, "form sent too fast" },
	{ { 0, 0, 30, 0, 1, 0, NULL, 0 }, CS_SPAM, "form sent too fast" },
	{ { 0, 1, -5, 0, 1, 0, NULL, 0 }, CS_SPAM, "form sent too fast" },
	{ { 1, 1, 30, 0, 0, 1, NULL, 0 }, CS_SPAM, "honeypot" },
	{ { 0, 0, 0, 9, 0, 1, NULL, 0 }, CS_APPROVED, "" },
	{ { 0, 1, 30, 0, 1, 0, "blocked word", 0 }, CS_PENDING, "blocked word" },
	{ { 1, 1, 30, 0, 1, 0, "blocked IP", 0 }, CS_SPAM, "honeypot" },
	{ { 0, 1, 30, 0, 1, 1, "blocked word", 0 }, CS_APPROVED, "" },
	{ { 0, 1, 30, 0, 1, 0, NULL, 1 }, CS_PENDING, "rate limit" },
	{ { 0, 1, 30, 9, 0, 0, NULL, 1 }, CS_PENDING, "rate limit" },
	{ { 0, 1, 30, 0, 1, 1, NULL, 1 }, CS_APPROVED, "" },
};

static void
test_blocklists(void **state)
{
	const char *w = "casino, Cheap Pills\nviagra", *ips = "10.0.0.1,192.168.",
	    *em = "spam@example.com\n@bad.example";

	assert_null(spam_blocked(w, ips, em, "Ann", "ann@ok.org", "",
	    "127.0.0.1", "A fine comment."));
	assert_string_equal(spam_blocked(w, ips, em, "Ann", "ann@ok.org", "",
	    "127.0.0.1", "Try our CASINO today"), "blocked word");
	assert_string_equal(spam_blocked(w, ips, em, "cheap pills", "a@ok.org",
	    "", "127.0.0.1", "hi"), "blocked word");
	assert_string_equal(spam_blocked(w, ips, em, "Ann", "a@ok.org",
	    "http://viagra.example", "127.0.0.1", "hi"), "blocked word");
	assert_string_equal(spam_blocked(w, ips, em, "Ann", "a@ok.org", "",
	    "10.0.0.1", "hi"), "blocked IP");
	assert_null(spam_blocked(w, ips, em, "Ann", "a@ok.org", "",
	    "10.0.0.10", "hi"));
	assert_string_equal(spam_blocked(w, ips, em, "Ann", "a@ok.org", "",
	    "192.168.4.5", "hi"), "blocked IP");
	assert_string_equal(spam_blocked(w, ips, em, "Ann", "SPAM@example.com",
	    "", "127.0.0.1", "hi"), "blocked e-mail");
	assert_string_equal(spam_blocked(w, ips, em, "Ann", "x@bad.example",
	    "", "127.0.0.1", "hi"), "blocked e-mail");
	assert_null(spam_blocked(w, ips, em, "Ann", "x@notbad.example.org",
	    "", "127.0.0.1", "hi"));
	assert_null(spam_blocked("", "", "", "Ann", "a@b.c", "", "1.2.3.4",
	    "casino"));
	assert_null(spam_blocked(" , ,\n", NULL, NULL, "Ann", "a@b.c", "",
	    "1.2.3.4", "casino"));
}

static void
test_decide(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *reason = NULL;
		enum cstatus s = spam_decide(&rules, &cases[i].f, &reason);

		if (s != cases[i].want || strcmp(reason, cases[i].reason))
			fail_msg("case %zu: got %d '%s'", i, s, reason);
	}
}

static void
test_no_first_time_rule(void **state)
{
	struct spam_rules r = { 0, 2, 0 };
	struct spam_facts f = { 0, 1, 0, 0, 0, 0, NULL, 0 };
	const char *reason;

	assert_int_equal(spam_decide(&r, &f, &reason), CS_APPROVED);
}

static void
test_ratelimit(void **state)
{
	struct ratelimit *rl = ratelimit_new(3);
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_hit(rl, "10.0.0.1", 600), P_OK);
	assert_int_equal(ratelimit_hit(rl, "10.0.0.1", 610), P_RATELIMIT);
	/* Another address has its own budget. */
	assert_int_equal(ratelimit_hit(rl, "10.0.0.2", 610), P_OK);
	/* The next minute starts afresh. */
	assert_int_equal(ratelimit_hit(rl, "10.0.0.1", 660), P_OK);
	/* But what it sends for a while after a refusal is held. */
	assert_true(ratelimit_recent(rl, "10.0.0.1", 660));
	assert_true(ratelimit_recent(rl, "10.0.0.1", 610 + 599));
	assert_false(ratelimit_recent(rl, "10.0.0.1", 610 + 600));
	assert_false(ratelimit_recent(rl, "10.0.0.2", 660));
	ratelimit_free(rl);
}

static void
test_ratelimit_many_ips(void **state)
{
	struct ratelimit *rl = ratelimit_new(1);
	char ip[32];
	int i;

	/* Far more clients than slots: memory stays fixed, never crashes. */
	for (i = 0; i < 100000; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", (i >> 16) & 255,
		    (i >> 8) & 255, i & 255);
		(void)ratelimit_hit(rl, ip, 1000 + i / 1000 * 60);
	}
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_blocklists),
		cmocka_unit_test(test_no_first_time_rule),
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_ratelimit_many_ips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
