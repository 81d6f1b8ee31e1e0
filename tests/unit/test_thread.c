/* test_thread.c: flat comments → displayed tree: visibility, placeholders,
 * depth cap (WordPress-style flattening at the deepest level). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "handler/thread.h"

static struct comment
mk(int64_t id, int64_t parent, enum cstatus s, const char *who)
{
	struct comment c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.parent_id = parent;
	c.status = s;
	c.commenter = who;
	c.created = id;
	return c;
}

/* "id:depth[R|P](children) id:depth..." for compact expectations. */
static void
dump(const struct thread_node *n, char *out, size_t sz)
{
	for (; n; n = n->next) {
		size_t len = strlen(out);

		snprintf(out + len, sz - len, "%s%lld:%d%s%s", len &&
		    out[len - 1] != '(' ? " " : "", (long long)n->c->id,
		    n->depth, n->removed ? "R" : "", n->pending ? "P" : "");
		if (n->first) {
			len = strlen(out);
			snprintf(out + len, sz - len, "(");
			dump(n->first, out, sz);
			len = strlen(out);
			snprintf(out + len, sz - len, ")");
		}
	}
}

static void
check(const struct comment *cs, size_t n, const char *viewer, int depth,
    const char *want, size_t want_shown)
{
	struct arena a;
	struct thread_node *roots;
	size_t shown;
	char out[1024] = "";

	arena_init(&a);
	thread_build(&a, cs, n, viewer, depth, &roots, &shown);
	dump(roots, out, sizeof(out));
	assert_string_equal(out, want);
	assert_int_equal(shown, want_shown);
	arena_free(&a);
}

static void
test_flat_and_nested(void **state)
{
	struct comment cs[] = {
		mk(1, 0, CS_APPROVED, ""), mk(2, 1, CS_APPROVED, ""),
		mk(3, 0, CS_APPROVED, ""), mk(4, 2, CS_APPROVED, ""),
		mk(5, 1, CS_APPROVED, ""),
	};
	check(cs, 5, NULL, 5, "1:1(2:2(4:3) 5:2) 3:1", 5);
}

static void
test_empty(void **state)
{
	check(NULL, 0, NULL, 5, "", 0);
}

static void
test_depth_cap(void **state)
{
	/* A chain 1..7; cap 5: 6 replies to 5 and shows at depth 5 after it,
	 * 7 replies to 6 and likewise. */
	struct comment cs[] = {
		mk(1, 0, CS_APPROVED, ""), mk(2, 1, CS_APPROVED, ""),
		mk(3, 2, CS_APPROVED, ""), mk(4, 3, CS_APPROVED, ""),
		mk(5, 4, CS_APPROVED, ""), mk(6, 5, CS_APPROVED, ""),
		mk(7, 6, CS_APPROVED, ""),
	};
	check(cs, 7, NULL, 5, "1:1(2:2(3:3(4:4(5:5 6:5 7:5))))", 7);
	check(cs, 7, NULL, 1, "1:1 2:1 3:1 4:1 5:1 6:1 7:1", 7);
}

static void
test_pending_only_for_writer(void **state)
{
	struct comment cs[] = {
		mk(1, 0, CS_APPROVED, "a"), mk(2, 1, CS_PENDING, "me"),
		mk(3, 0, CS_PENDING, "other"),
	};
	check(cs, 3, "me", 5, "1:1(2:2P)", 2);
	check(cs, 3, NULL, 5, "1:1", 1);
	check(cs, 3, "", 5, "1:1", 1);
	check(cs, 3, "someone", 5, "1:1", 1);
}

static void
test_placeholder_keeps_shape(void **state)
{
	struct comment cs[] = {
		mk(1, 0, CS_SPAM, ""), mk(2, 1, CS_APPROVED, ""),
		mk(3, 0, CS_TRASH, ""), mk(4, 3, CS_SPAM, ""),
		mk(5, 0, CS_TRASH, ""), mk(6, 5, CS_TRASH, ""),
		mk(7, 6, CS_APPROVED, ""),
	};
	/* 1 has a visible reply → placeholder; 3 and 4 vanish; the chain
	 * 5 → 6 → 7 keeps two placeholders. */
	check(cs, 7, NULL, 5, "1:1R(2:2) 5:1R(6:2R(7:3))", 2);
}

static void
test_orphans_and_late_parents(void **state)
{
	struct comment cs[] = {
		mk(1, 99, CS_APPROVED, ""), /* parent missing */
		mk(2, 3, CS_APPROVED, ""),  /* parent later in the list */
		mk(3, 0, CS_APPROVED, ""),
	};
	check(cs, 3, NULL, 5, "1:1 2:1 3:1", 3);
}

static void
test_many(void **state)
{
	static struct comment cs[3000];
	struct arena a;
	struct thread_node *roots;
	size_t shown, i;

	for (i = 0; i < 3000; i++)
		cs[i] = mk((int64_t)i + 1, (int64_t)i, CS_APPROVED, "");
	arena_init(&a);
	thread_build(&a, cs, 3000, NULL, 10, &roots, &shown);
	assert_int_equal(shown, 3000);
	assert_non_null(roots);
	assert_null(roots->next);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat_and_nested),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_depth_cap),
		cmocka_unit_test(test_pending_only_for_writer),
		cmocka_unit_test(test_placeholder_keeps_shape),
		cmocka_unit_test(test_orphans_and_late_parents),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
