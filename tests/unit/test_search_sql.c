/* test_search_sql.c: the SQLite search index stays exact whatever writes
 * the rows. store.h has no edit or delete yet (the admin and the importer
 * will add them), so these cases write with plain SQL through a second
 * connection, as another process or a future store op would, and check
 * what store_search() finds; then FTS5's own integrity check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/limits.h"
#include "store/store.h"

#define T0 ((int64_t)1710504000)

struct fx {
	char dir[32];
	char path[64];
	struct store *st;
	sqlite3 *db;
	struct arena a;
	int64_t post, comment;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct comment c;
	struct post p;
	int64_t uid;

	assert_non_null(f);
	memcpy(f->dir, "/tmp/parley-fts-XXXXXX", 23);
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/parley.db", f->dir);
	assert_int_equal(store_open_sqlite(f->path, 1, &f->st), P_OK);
	arena_init(&f->a);
	assert_int_equal(store_user_ensure(f->st, "ann", "Ann", &uid), P_OK);
	memset(&p, 0, sizeof(p));
	p.slug = "p";
	p.title = "Harbour Cranes";
	p.author_id = uid;
	p.published = T0;
	p.body_md = "The **gantry** story.";
	p.body_text = "The gantry story.";
	p.body_html = "<p>The <strong>gantry</strong> story.</p>";
	assert_int_equal(store_post_add(f->st, &p, &f->post), P_OK);
	memset(&c, 0, sizeof(c));
	c.post_id = f->post;
	c.author = "Bea";
	c.body_md = "I *love* the pelican.";
	c.body_text = "I love the pelican.";
	c.body_html = "<p>I <em>love</em> the pelican.</p>";
	c.created = T0 + 1;
	c.status = CS_APPROVED;
	assert_int_equal(store_comment_add(f->st, &c, &f->comment), P_OK);
	assert_int_equal(sqlite3_open(f->path, &f->db), SQLITE_OK);
	sqlite3_busy_timeout(f->db, 5000);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	sqlite3_close(f->db);
	store_close(f->st);
	arena_free(&f->a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void
sql(struct fx *f, const char *q)
{
	char *err = NULL;

	if (sqlite3_exec(f->db, q, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", q, err ? err : "?");
}

static size_t
found(struct fx *f, const char *text)
{
	struct search_query q;
	struct search_hit *h;
	size_t n;
	int64_t total;

	memset(&q, 0, sizeof(q));
	q.text = text;
	q.limit = 10;
	assert_int_equal(store_search(f->st, &f->a, &q, &h, &n, &total, NULL),
	    P_OK);
	return n;
}

static void
integrity(struct fx *f)
{
	sql(f, "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')");
}

static void
test_plain_text_is_indexed(void **state)
{
	struct fx *f = *state;
	struct search_query q;
	struct search_hit *h;
	size_t n;

	assert_int_equal(found(f, "pelican"), 1);
	memset(&q, 0, sizeof(q));
	q.text = "love";
	q.limit = 10;
	assert_int_equal(store_search(f->st, &f->a, &q, &h, &n, NULL, NULL),
	    P_OK);
	assert_int_equal(n, 1);
	/* The snippet is the plain text: no Markdown asterisks. */
	assert_null(strchr(h[0].snippet, '*'));
	integrity(f);
}

static void
test_comment_edit(void **state)
{
	struct fx *f = *state;

	/* An editor that sends new plain text. */
	sql(f, "UPDATE comments SET body_md = 'a heron', body_text = 'a heron'");
	assert_int_equal(found(f, "pelican"), 0);
	assert_int_equal(found(f, "heron"), 1);
	/* One that changes only the source: the stale plain text goes and
	 * the source is indexed. */
	sql(f, "UPDATE comments SET body_md = 'a *cormorant*'");
	assert_int_equal(found(f, "heron"), 0);
	assert_int_equal(found(f, "cormorant"), 1);
	sql(f, "UPDATE comments SET author = 'Quentin'");
	assert_int_equal(found(f, "quentin"), 1);
	assert_int_equal(found(f, "bea"), 0);
	integrity(f);
}

static void
test_comment_delete(void **state)
{
	struct fx *f = *state;

	sql(f, "DELETE FROM comments");
	assert_int_equal(found(f, "pelican"), 0);
	assert_int_equal(found(f, "gantry"), 1);
	integrity(f);
}

static void
test_post_edit_unpublish_delete(void **state)
{
	struct fx *f = *state;

	sql(f, "UPDATE posts SET title = 'Dock Cranes'");
	assert_int_equal(found(f, "harbour"), 0);
	assert_int_equal(found(f, "dock"), 1);
	sql(f, "UPDATE posts SET body_md = 'the *winch*'");
	assert_int_equal(found(f, "gantry"), 0);
	assert_int_equal(found(f, "winch"), 1);
	/* A draft is not public: neither it nor its comments are found. */
	sql(f, "UPDATE posts SET status = 'draft'");
	assert_int_equal(found(f, "winch"), 0);
	assert_int_equal(found(f, "pelican"), 0);
	sql(f, "UPDATE posts SET status = 'publish'");
	assert_int_equal(found(f, "winch"), 1);
	assert_int_equal(found(f, "pelican"), 1);
	/* Approving comments does not re-index the article (n_approved
	 * changes are not content). */
	sql(f, "DELETE FROM posts");
	assert_int_equal(found(f, "winch"), 0);
	assert_int_equal(found(f, "pelican"), 0);
	integrity(f);
}

static void
test_rolled_back_write_leaves_index(void **state)
{
	struct fx *f = *state;

	sql(f, "BEGIN; UPDATE comments SET status = 'spam'; ROLLBACK");
	assert_int_equal(found(f, "pelican"), 1);
	sql(f, "BEGIN; UPDATE comments SET status = 'spam'; COMMIT");
	assert_int_equal(found(f, "pelican"), 0);
	integrity(f);
}

static void
test_clock_moves_on_any_write(void **state)
{
	struct fx *f = *state;
	int64_t at;

	sql(f, "UPDATE change_log SET at = 1000");
	assert_int_equal(store_last_change(f->st, T0 - 10, &at), P_OK);
	assert_int_equal(at, 1000);
	sql(f, "UPDATE users SET name = 'Ann B.'");
	assert_int_equal(store_last_change(f->st, T0 - 10, &at), P_OK);
	assert_true(at > T0);
	sql(f, "UPDATE change_log SET at = 1000");
	sql(f, "DELETE FROM post_categories");
	assert_int_equal(store_last_change(f->st, T0 - 10, &at), P_OK);
	assert_int_equal(at, 1000); /* no row deleted: no trigger */
	sql(f, "INSERT INTO tags (slug, name) VALUES ('t', 'T')");
	assert_int_equal(store_last_change(f->st, T0 - 10, &at), P_OK);
	assert_true(at > T0);
}

/* Hits of kind k for text, all on one page; *more as the store says. */
static int64_t
ranked(struct fx *f, const char *text, enum search_kind k, int *more,
    struct search_hit **h)
{
	struct search_query q;
	size_t n;
	int64_t total;

	memset(&q, 0, sizeof(q));
	q.text = text;
	q.kind = k;
	q.limit = 2 * LIM_SEARCH_RANKED + 10;
	assert_int_equal(store_search(f->st, &f->a, &q, h, &n, &total, more),
	    P_OK);
	assert_int_equal((int64_t)n, total);
	return total;
}

/* A word in more articles than are ranked: the newest LIM_SEARCH_RANKED
 * are, and *more says a visible older one was left out. The bound counts
 * index rows, visible or not, per kind. */
static void
test_ranking_is_bounded(void **state)
{
	struct fx *f = *state;
	struct search_hit *h;
	char q[512];
	int64_t i, oldest;
	int more;

	snprintf(q, sizeof(q), "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL"
	    " SELECT i + 1 FROM n WHERE i < %d) INSERT INTO posts (slug,"
	    " title, author_id, published, pub_day, body_md) SELECT 'o' || i,"
	    " 'Okapi ' || i, (SELECT min(id) FROM users), %lld + i,"
	    " strftime('%%Y-%%m-%%d', %lld + i, 'unixepoch'), 'okapi seen'"
	    " FROM n", LIM_SEARCH_RANKED + 5, (long long)T0, (long long)T0);
	sql(f, q);
	oldest = f->post + 5; /* ids f->post + 1 .. + 5 fall outside */
	assert_int_equal(ranked(f, "okapi", SEARCH_ALL, &more, &h),
	    LIM_SEARCH_RANKED);
	assert_int_equal(more, 1);
	for (i = 0; i < LIM_SEARCH_RANKED; i++)
		assert_true(h[i].post.id > oldest);
	assert_int_equal(ranked(f, "okapi", SEARCH_COMMENTS, &more, &h), 0);
	assert_int_equal(more, 0);
	/* Comments are bounded apart from articles. */
	snprintf(q, sizeof(q), "INSERT INTO comments (post_id, author,"
	    " body_md, created, status) VALUES (%lld, 'Ed', 'an okapi!', %lld,"
	    " 'approved')", (long long)f->post + 7, (long long)T0 + 9);
	sql(f, q);
	assert_int_equal(ranked(f, "okapi", SEARCH_ALL, &more, &h),
	    LIM_SEARCH_RANKED + 1);
	assert_int_equal(ranked(f, "okapi", SEARCH_COMMENTS, &more, &h), 1);
	assert_int_equal(more, 0);
	/* Nothing visible beyond the bound: no "more". */
	snprintf(q, sizeof(q), "UPDATE posts SET password = 'x' WHERE id <="
	    " %lld AND id > %lld", (long long)oldest, (long long)f->post);
	sql(f, q);
	assert_int_equal(ranked(f, "okapi", SEARCH_POSTS, &more, &h),
	    LIM_SEARCH_RANKED);
	assert_int_equal(more, 0);
	/* A hidden one among the newest leaves a hole, not a replacement:
	 * the bound is on the index's rows. */
	sql(f, "UPDATE posts SET password = 'x' WHERE id = (SELECT max(id)"
	    " FROM posts)");
	assert_int_equal(ranked(f, "okapi", SEARCH_POSTS, &more, &h),
	    LIM_SEARCH_RANKED - 1);
	assert_int_equal(more, 0);
	snprintf(q, sizeof(q), "UPDATE posts SET password = '' WHERE id = %lld",
	    (long long)oldest);
	sql(f, q);
	assert_int_equal(ranked(f, "okapi", SEARCH_POSTS, &more, &h),
	    LIM_SEARCH_RANKED - 1);
	assert_int_equal(more, 1);
	integrity(f);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plain_text_is_indexed),
		T(test_comment_edit),
		T(test_comment_delete),
		T(test_post_edit_unpublish_delete),
		T(test_rolled_back_write_leaves_index),
		T(test_clock_moves_on_any_write),
		T(test_ranking_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
