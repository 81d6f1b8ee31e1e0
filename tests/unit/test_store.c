/* test_store.c: the store suite. Written against store.h only, so every
 * backend runs the very same cases: change open_backend below (and what
 * fx_path() builds) and nothing else. Each case gets a fresh temporary
 * directory and a fresh store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

/* The backend under test. */
static enum perr (*const open_backend)(const char *, int, struct store **) =
    store_open_sqlite;

/* 2024-03-15T12:00:00Z, a fixed day in the past. */
#define T0 ((int64_t)1710504000)
#define DAY ((int64_t)86400)

/* mkdtemp() pattern for each case's directory. */
#define TMPDIR_TEMPLATE "/tmp/parley-store-XXXXXX"

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct arena a;
	int64_t alice, bob;
};

/* -------------------------------------------------------------------- */
/* Fixture and helpers. */

static void
fx_file(const struct fx *f, const char *name, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s/%s", f->dir, name);

	assert_true(n > 0 && (size_t)n < outsz);
}

static void
rmtree(const char *dir)
{
	struct dirent *de;
	char p[512];
	DIR *d;
	int n;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (n > 0 && (size_t)n < sizeof(p))
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	_Static_assert(sizeof(TMPDIR_TEMPLATE) <= sizeof(f->dir), "dir");
	memcpy(f->dir, TMPDIR_TEMPLATE, sizeof(TMPDIR_TEMPLATE));
	assert_non_null(mkdtemp(f->dir));
	fx_file(f, "parley.db", f->path, sizeof(f->path));
	assert_int_equal(open_backend(f->path, 1, &f->st), P_OK);
	assert_non_null(f->st);
	arena_init(&f->a);
	assert_int_equal(store_user_ensure(f->st, "alice", "Alice Smith",
	    &f->alice), P_OK);
	assert_int_equal(store_user_ensure(f->st, "bob", "Bob Jones",
	    &f->bob), P_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f->st)
		store_close(f->st);
	arena_free(&f->a);
	rmtree(f->dir);
	free(f);
	return 0;
}

static void
reopen(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_backend(f->path, 0, &f->st), P_OK);
}

/* Adds a post by alice with up to two categories (slug, name pairs). */
static enum perr
add_post(struct fx *f, const char *slug, int64_t published, int64_t author,
    const char *cat1, const char *cat2, int64_t *id)
{
	struct category cats[2];
	struct post p;

	memset(&p, 0, sizeof(p));
	memset(cats, 0, sizeof(cats));
	p.slug = slug;
	p.title = slug;
	p.author_id = author;
	p.published = published;
	p.body_md = "body";
	p.body_html = "<p>body</p>";
	p.comments_open = 1;
	p.cats = cats;
	if (cat1) {
		cats[p.ncats].slug = cat1;
		cats[p.ncats++].name = cat1;
	}
	if (cat2) {
		cats[p.ncats].slug = cat2;
		cats[p.ncats++].name = cat2;
	}
	return store_post_add(f->st, &p, id);
}

static int64_t
post_ok(struct fx *f, const char *slug, int64_t published)
{
	int64_t id = 0;

	assert_int_equal(add_post(f, slug, published, f->alice, NULL, NULL,
	    &id), P_OK);
	assert_true(id > 0);
	return id;
}

static enum perr
add_comment(struct fx *f, int64_t post, int64_t parent, int64_t created,
    enum cstatus s, int64_t *id)
{
	struct comment c;

	memset(&c, 0, sizeof(c));
	c.post_id = post;
	c.parent_id = parent;
	c.author = "Carol";
	c.email = "carol@example.org";
	c.ip = "192.0.2.1";
	c.commenter = "cookie-carol";
	c.body_md = "hi";
	c.body_html = "<p>hi</p>";
	c.created = created;
	c.status = s;
	return store_comment_add(f->st, &c, id);
}

static int64_t
comment_ok(struct fx *f, int64_t post, int64_t parent, int64_t created,
    enum cstatus s)
{
	int64_t id = 0;

	assert_int_equal(add_comment(f, post, parent, created, s, &id), P_OK);
	assert_true(id > 0);
	return id;
}

static int64_t
n_approved(struct fx *f, int64_t post)
{
	struct post p;

	assert_int_equal(store_post_get(f->st, &f->a, post, &p), P_OK);
	return p.n_approved;
}

/* Approved comments of a post counted the slow way. */
static int64_t
count_approved(struct fx *f, int64_t post)
{
	struct comment *c;
	size_t i, n;
	int64_t k = 0;

	assert_int_equal(store_comment_list_post(f->st, &f->a, post, &c, &n),
	    P_OK);
	for (i = 0; i < n; i++)
		k += c[i].status == CS_APPROVED;
	return k;
}

static void
assert_count(struct fx *f, int64_t post, int64_t want)
{
	assert_int_equal(n_approved(f, post), want);
	assert_int_equal(count_approved(f, post), want);
}

/* -------------------------------------------------------------------- */
/* Status names (store.c). */

static void
test_cstatus_names(void **state)
{
	(void)state;
	assert_string_equal(cstatus_str(CS_PENDING), "pending");
	assert_string_equal(cstatus_str(CS_APPROVED), "approved");
	assert_string_equal(cstatus_str(CS_SPAM), "spam");
	assert_string_equal(cstatus_str(CS_TRASH), "trash");
	assert_int_equal(cstatus_parse("approved"), CS_APPROVED);
	assert_int_equal(cstatus_parse("trash"), CS_TRASH);
	assert_int_equal(cstatus_parse("Approved"), -1);
	assert_int_equal(cstatus_parse(""), -1);
	assert_int_equal(cstatus_parse(NULL), -1);
	assert_non_null(cstatus_str((enum cstatus)42));
}

/* -------------------------------------------------------------------- */
/* Opening. */

static void
test_reopen_keeps_schema(void **state)
{
	struct fx *f = *state;
	const char *v;
	int i;

	assert_int_equal(store_meta_set(f->st, "k", "v"), P_OK);
	/* Reopening must not apply a migration twice (it would fail). */
	for (i = 0; i < 3; i++)
		reopen(f);
	assert_int_equal(store_meta_get(f->st, &f->a, "k", &v), P_OK);
	assert_string_equal(v, "v");
	assert_string_equal(f->st->ops->name, store_sqlite_ops.name);
}

static void
test_open_missing_without_create(void **state)
{
	struct fx *f = *state;
	struct store *st = (struct store *)1;
	char p[256];

	fx_file(f, "absent.db", p, sizeof(p));
	assert_int_equal(open_backend(p, 0, &st), P_NOTFOUND);
	assert_null(st);
	assert_int_equal(access(p, F_OK), -1);
	fx_file(f, "no/such/dir.db", p, sizeof(p));
	assert_int_not_equal(open_backend(p, 1, &st), P_OK);
	assert_null(st);
}

static void
test_open_garbage(void **state)
{
	struct fx *f = *state;
	struct store *st = (struct store *)1;
	char p[256];
	FILE *fp;
	int i;

	fx_file(f, "garbage.db", p, sizeof(p));
	assert_non_null(fp = fopen(p, "w"));
	for (i = 0; i < 512; i++)
		fputs("this is not a database, just text. ", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_not_equal(open_backend(p, 0, &st), P_OK);
	assert_null(st);
	assert_int_not_equal(open_backend(p, 1, &st), P_OK);
	assert_null(st);
}

static void
test_open_bad_args(void **state)
{
	struct store *st = (struct store *)1;

	(void)state;
	assert_int_equal(open_backend("", 1, &st), P_BADINPUT);
	assert_null(st);
	assert_int_equal(open_backend(NULL, 1, &st), P_BADINPUT);
}

/* -------------------------------------------------------------------- */
/* Meta and users. */

static void
test_meta(void **state)
{
	struct fx *f = *state;
	const char *v = NULL;

	assert_int_equal(store_meta_get(f->st, &f->a, "secret", &v),
	    P_NOTFOUND);
	assert_int_equal(store_meta_set(f->st, "secret", "one"), P_OK);
	assert_int_equal(store_meta_get(f->st, &f->a, "secret", &v), P_OK);
	assert_string_equal(v, "one");
	assert_int_equal(store_meta_set(f->st, "secret", "two"), P_OK);
	assert_int_equal(store_meta_get(f->st, &f->a, "secret", &v), P_OK);
	assert_string_equal(v, "two");
	assert_int_equal(store_meta_set(f->st, "empty", ""), P_OK);
	assert_int_equal(store_meta_get(f->st, &f->a, "empty", &v), P_OK);
	assert_string_equal(v, "");
	assert_int_equal(store_meta_set(f->st, "", "x"), P_BADINPUT);
}

static void
test_user_ensure_idempotent(void **state)
{
	struct fx *f = *state;
	struct user u;
	int64_t id = 0;

	assert_true(f->alice > 0);
	assert_int_not_equal(f->alice, f->bob);
	assert_int_equal(store_user_ensure(f->st, "alice", "Other Name", &id),
	    P_OK);
	assert_int_equal(id, f->alice);
	assert_int_equal(store_user_get(f->st, &f->a, "alice", &u), P_OK);
	assert_int_equal(u.id, f->alice);
	assert_string_equal(u.login, "alice");
	assert_string_equal(u.name, "Alice Smith"); /* name only on create */
	assert_int_equal(store_user_get(f->st, &f->a, "nobody", &u),
	    P_NOTFOUND);
	assert_int_equal(store_user_ensure(f->st, "", "x", &id), P_BADINPUT);
}

/* -------------------------------------------------------------------- */
/* Posts. */

static void
test_post_add_get_find(void **state)
{
	struct fx *f = *state;
	struct category cats[1] = { { 0, "europe", "Europe" } };
	struct post p, g;
	int64_t id = 0;

	memset(&p, 0, sizeof(p));
	p.slug = "hello-world";
	p.title = "Hello, world";
	p.author_id = f->alice;
	p.published = T0;
	p.body_md = "*hi*";
	p.body_html = "<p><em>hi</em></p>";
	p.excerpt = "hi";
	p.image = "/media/a.jpg";
	p.image_caption = "A caption";
	p.comments_open = 1;
	p.cats = cats;
	p.ncats = 1;
	assert_int_equal(store_post_add(f->st, &p, &id), P_OK);
	assert_true(id > 0);

	assert_int_equal(store_post_get(f->st, &f->a, id, &g), P_OK);
	assert_int_equal(g.id, id);
	assert_string_equal(g.slug, "hello-world");
	assert_string_equal(g.title, "Hello, world");
	assert_int_equal(g.author_id, f->alice);
	assert_string_equal(g.author_login, "alice");
	assert_string_equal(g.author_name, "Alice Smith");
	assert_int_equal(g.published, T0);
	assert_string_equal(g.body_md, "*hi*");
	assert_string_equal(g.body_html, "<p><em>hi</em></p>");
	assert_string_equal(g.excerpt, "hi");
	assert_string_equal(g.image, "/media/a.jpg");
	assert_string_equal(g.image_caption, "A caption");
	assert_int_equal(g.comments_open, 1);
	assert_int_equal(g.n_approved, 0);
	assert_int_equal(g.ncats, 1);
	assert_string_equal(g.cats[0].slug, "europe");
	assert_string_equal(g.cats[0].name, "Europe");

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15,
	    "hello-world", &g), P_OK);
	assert_int_equal(g.id, id);
	assert_int_equal(g.ncats, 1);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 16,
	    "hello-world", &g), P_NOTFOUND);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15,
	    "hello", &g), P_NOTFOUND);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 13, 15,
	    "hello-world", &g), P_NOTFOUND);
}

static void
test_post_optional_fields_empty(void **state)
{
	struct fx *f = *state;
	struct post p, g;
	int64_t id;

	memset(&p, 0, sizeof(p));
	p.slug = "bare";
	p.title = "";
	p.author_id = f->alice;
	p.published = T0;
	assert_int_equal(store_post_add(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &g), P_OK);
	assert_string_equal(g.title, "");
	assert_string_equal(g.body_md, "");
	assert_string_equal(g.image, "");
	assert_string_equal(g.image_caption, "");
	assert_int_equal(g.comments_open, 0);
	assert_int_equal(g.ncats, 0);
}

static void
test_post_bad_input(void **state)
{
	struct fx *f = *state;
	struct category bad[1] = { { 0, "", "Empty" } };
	struct post p;
	int64_t id;

	memset(&p, 0, sizeof(p));
	p.title = "t";
	p.author_id = f->alice;
	p.published = T0;
	assert_int_equal(store_post_add(f->st, &p, &id), P_BADINPUT);
	p.slug = "";
	assert_int_equal(store_post_add(f->st, &p, &id), P_BADINPUT);
	p.slug = "s";
	p.title = NULL;
	assert_int_equal(store_post_add(f->st, &p, &id), P_BADINPUT);
	p.title = "t";
	p.author_id = 0;
	assert_int_equal(store_post_add(f->st, &p, &id), P_BADINPUT);
	p.author_id = 999999; /* no such user */
	assert_int_equal(store_post_add(f->st, &p, &id), P_BADINPUT);
	p.author_id = f->alice;
	p.cats = bad;
	p.ncats = 1;
	assert_int_equal(store_post_add(f->st, &p, &id), P_BADINPUT);
	assert_int_equal(store_post_add(f->st, NULL, &id), P_BADINPUT);
	/* None of the refused posts left a trace. */
	p.ncats = 0;
	assert_int_equal(store_post_add(f->st, &p, &id), P_OK);
}

static void
test_post_duplicate_slug_same_day(void **state)
{
	struct fx *f = *state;
	int64_t id = 0;

	post_ok(f, "news", T0);
	/* Same UTC day, other hour, other author: still the same permalink. */
	assert_int_equal(add_post(f, "news", T0 + 3600, f->bob, "x", NULL,
	    &id), P_CONFLICT);
	/* The refused post's category was rolled back with it. */
	{
		struct category c;
		assert_int_equal(store_category_get(f->st, &f->a, "x", &c),
		    P_NOTFOUND);
	}
}

static void
test_post_same_slug_other_day(void **state)
{
	struct fx *f = *state;
	int64_t midnight = T0 + 12 * 3600; /* 2024-03-16T00:00:00Z */
	int64_t a, b;
	struct post g;

	a = post_ok(f, "news", midnight - 1);
	b = post_ok(f, "news", midnight);
	assert_int_not_equal(a, b);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15, "news",
	    &g), P_OK);
	assert_int_equal(g.id, a);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 16, "news",
	    &g), P_OK);
	assert_int_equal(g.id, b);
}

static void
test_categories_shared_and_ordered(void **state)
{
	struct fx *f = *state;
	struct category c;
	struct post g1, g2;
	int64_t a = 0, b = 0;

	assert_int_equal(add_post(f, "one", T0, f->alice, "ukraine-crisis",
	    "europe", &a), P_OK);
	assert_int_equal(add_post(f, "two", T0 + 60, f->alice, "europe",
	    NULL, &b), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, a, &g1), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, b, &g2), P_OK);
	assert_int_equal(g1.ncats, 2);
	assert_string_equal(g1.cats[0].slug, "europe"); /* by name */
	assert_string_equal(g1.cats[1].slug, "ukraine-crisis");
	assert_int_equal(g2.ncats, 1);
	assert_int_equal(g2.cats[0].id, g1.cats[0].id);
	assert_int_equal(store_category_get(f->st, &f->a, "europe", &c), P_OK);
	assert_int_equal(c.id, g1.cats[0].id);
	assert_string_equal(c.name, "europe");
	assert_int_equal(store_category_get(f->st, &f->a, "asia", &c),
	    P_NOTFOUND);
}

static void
test_category_name_kept_and_duplicates(void **state)
{
	struct fx *f = *state;
	struct category cats[3] = {
		{ 0, "world", "World News" },
		{ 0, "world", "Ignored" },
		{ 0, "art", NULL },
	};
	struct category c;
	struct post p, g;
	int64_t id;

	memset(&p, 0, sizeof(p));
	p.slug = "p";
	p.title = "P";
	p.author_id = f->alice;
	p.published = T0;
	p.cats = cats;
	p.ncats = 3;
	assert_int_equal(store_post_add(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &g), P_OK);
	assert_int_equal(g.ncats, 2);
	assert_string_equal(g.cats[0].name, "art");
	assert_string_equal(g.cats[1].name, "World News");
	/* Name is used only on create. */
	cats[0].name = "Renamed";
	p.slug = "q";
	p.ncats = 1;
	assert_int_equal(store_post_add(f->st, &p, &id), P_OK);
	assert_int_equal(store_category_get(f->st, &f->a, "world", &c), P_OK);
	assert_string_equal(c.name, "World News");
}

static void
test_category_list(void **state)
{
	struct fx *f = *state;
	int64_t now = (int64_t)time(NULL), id;
	struct category *cats;
	size_t n = 99;

	assert_int_equal(store_category_list(f->st, &f->a, &cats, &n), P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(add_post(f, "a", T0, f->alice, "Zebra", "apple",
	    &id), P_OK);
	assert_int_equal(add_post(f, "b", T0, f->alice, "apple", "Mango",
	    &id), P_OK);
	/* Only future posts: not listed. */
	assert_int_equal(add_post(f, "c", now + DAY, f->alice, "later", NULL,
	    &id), P_OK);
	assert_int_equal(store_category_list(f->st, &f->a, &cats, &n), P_OK);
	assert_int_equal(n, 3); /* each once, by name, case-insensitively */
	assert_string_equal(cats[0].slug, "apple");
	assert_string_equal(cats[1].slug, "Mango");
	assert_string_equal(cats[2].slug, "Zebra");
	assert_true(cats[0].id > 0);
}

static void
test_list_paging_total(void **state)
{
	struct fx *f = *state;
	struct post_query q = { .offset = 0, .limit = 10 };
	struct post *rows;
	int64_t ids[25], total = -1;
	char slug[16];
	size_t n, i;
	int k;

	for (k = 0; k < 25; k++) {
		assert_true(snprintf(slug, sizeof(slug), "p%d", k) > 0);
		/* Pairs share a timestamp: id breaks the tie. */
		ids[k] = post_ok(f, slug, T0 + (k / 2) * 60);
	}
	for (k = 0; k < 3; k++) {
		q.offset = k * 10;
		assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n,
		    &total), P_OK);
		assert_int_equal(total, 25);
		assert_int_equal(n, k < 2 ? 10 : 5);
		for (i = 0; i < n; i++)
			assert_int_equal(rows[i].id, ids[24 - k * 10 - (int)i]);
	}
	q.offset = 100;
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 25);
	q.offset = 0;
	q.limit = 0; /* no limit */
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 25);
	q.offset = -1;
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_BADINPUT);
}

static void
test_list_filters(void **state)
{
	struct fx *f = *state;
	struct post_query q = { .offset = 0, .limit = 10 };
	struct post *rows;
	int64_t a1, a2, b1, total;
	size_t n;

	assert_int_equal(add_post(f, "a1", T0, f->alice, "europe", "art",
	    &a1), P_OK);
	assert_int_equal(add_post(f, "a2", T0 + 60, f->alice, "asia", NULL,
	    &a2), P_OK);
	assert_int_equal(add_post(f, "b1", T0 + 120, f->bob, "europe", NULL,
	    &b1), P_OK);

	q.category_slug = "europe";
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].id, b1);
	assert_int_equal(rows[1].id, a1);
	assert_int_equal(rows[1].ncats, 2); /* all its cats, not the filter */

	q.category_slug = NULL;
	q.author_login = "alice";
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].id, a2);
	assert_string_equal(rows[0].author_name, "Alice Smith");
	assert_int_equal(rows[1].id, a1);

	q.category_slug = "europe";
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(rows[0].id, a1);

	q.category_slug = "nowhere";
	q.author_login = NULL;
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	q.category_slug = NULL;
	q.author_login = "nobody";
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(total, 0);
}

static void
test_future_post_not_listed(void **state)
{
	struct fx *f = *state;
	struct post_query q = { .offset = 0, .limit = 10 };
	int64_t now = (int64_t)time(NULL), future, past, total;
	struct post *rows, g;
	struct tm tm;
	time_t tt;
	size_t n;

	past = post_ok(f, "past", T0);
	future = post_ok(f, "future", now + 2 * DAY);
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(rows[0].id, past);
	tt = (time_t)(now + 2 * DAY);
	assert_non_null(gmtime_r(&tt, &tm));
	assert_int_equal(store_post_find(f->st, &f->a, tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, "future", &g), P_NOTFOUND);
	assert_int_equal(store_post_get(f->st, &f->a, future, &g), P_OK);
	assert_string_equal(g.slug, "future");
}

static void
test_post_set_open(void **state)
{
	struct fx *f = *state;
	int64_t id = post_ok(f, "p", T0);
	struct post g;

	assert_int_equal(store_post_set_open(f->st, id, 0), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &g), P_OK);
	assert_int_equal(g.comments_open, 0);
	assert_int_equal(store_post_set_open(f->st, id, 7), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &g), P_OK);
	assert_int_equal(g.comments_open, 1);
	assert_int_equal(store_post_set_open(f->st, id + 1000, 1),
	    P_NOTFOUND);
}

/* -------------------------------------------------------------------- */
/* Comments. */

static void
test_comment_add_and_get(void **state)
{
	struct fx *f = *state;
	int64_t post = post_ok(f, "p", T0), top, reply, mine = 0;
	struct comment c, g;

	top = comment_ok(f, post, 0, T0 + 10, CS_APPROVED);
	reply = comment_ok(f, post, top, T0 + 20, CS_PENDING);
	assert_int_not_equal(top, reply);

	assert_int_equal(store_comment_get(f->st, &f->a, top, &g), P_OK);
	assert_int_equal(g.id, top);
	assert_int_equal(g.post_id, post);
	assert_int_equal(g.parent_id, 0);
	assert_string_equal(g.author, "Carol");
	assert_string_equal(g.email, "carol@example.org");
	assert_string_equal(g.url, ""); /* NULL stored as "" */
	assert_string_equal(g.ip, "192.0.2.1");
	assert_string_equal(g.commenter, "cookie-carol");
	assert_int_equal(g.user_id, 0);
	assert_string_equal(g.body_md, "hi");
	assert_string_equal(g.body_html, "<p>hi</p>");
	assert_int_equal(g.created, T0 + 10);
	assert_int_equal(g.status, CS_APPROVED);
	assert_string_equal(g.held_reason, "");

	assert_int_equal(store_comment_get(f->st, &f->a, reply, &g), P_OK);
	assert_int_equal(g.parent_id, top);
	assert_int_equal(g.status, CS_PENDING);

	/* The author answering in the thread. */
	memset(&c, 0, sizeof(c));
	c.post_id = post;
	c.parent_id = reply;
	c.author = "Alice Smith";
	c.user_id = f->alice;
	c.url = "https://example.org/";
	c.body_md = "thanks";
	c.created = T0 + 30;
	c.status = CS_APPROVED;
	c.held_reason = "";
	assert_int_equal(store_comment_add(f->st, &c, &mine), P_OK);
	assert_int_equal(store_comment_get(f->st, &f->a, mine, &g), P_OK);
	assert_int_equal(g.user_id, f->alice);
	assert_int_equal(g.parent_id, reply);
	assert_string_equal(g.url, "https://example.org/");
}

static void
test_comment_bad_parent_or_post(void **state)
{
	struct fx *f = *state;
	int64_t p1 = post_ok(f, "one", T0), p2 = post_ok(f, "two", T0);
	int64_t c1 = comment_ok(f, p1, 0, T0, CS_APPROVED), id = 0;
	struct comment *rows;
	size_t n;

	assert_int_equal(add_comment(f, p2, c1, T0, CS_APPROVED, &id),
	    P_BADINPUT);
	assert_int_equal(add_comment(f, p1, c1 + 1000, T0, CS_APPROVED, &id),
	    P_BADINPUT);
	assert_int_equal(add_comment(f, p1 + p2 + 1000, 0, T0, CS_APPROVED,
	    &id), P_NOTFOUND);
	assert_int_equal(add_comment(f, p1, 0, T0, (enum cstatus)9, &id),
	    P_BADINPUT);
	assert_int_equal(store_comment_list_post(f->st, &f->a, p2, &rows, &n),
	    P_OK);
	assert_int_equal(n, 0);
	assert_count(f, p2, 0);
	assert_count(f, p1, 1);
}

static void
test_thread_order(void **state)
{
	struct fx *f = *state;
	int64_t post = post_ok(f, "p", T0), a, b, c, d, e;
	int64_t other = post_ok(f, "q", T0);
	struct comment *rows;
	size_t n;

	a = comment_ok(f, post, 0, T0 + 100, CS_APPROVED);
	b = comment_ok(f, post, 0, T0 + 50, CS_PENDING);
	c = comment_ok(f, post, a, T0 + 100, CS_SPAM);
	d = comment_ok(f, post, b, T0 + 75, CS_TRASH);
	e = comment_ok(f, post, 0, T0 + 50, CS_APPROVED);
	comment_ok(f, other, 0, T0 + 60, CS_APPROVED);
	assert_int_equal(store_comment_list_post(f->st, &f->a, post, &rows,
	    &n), P_OK);
	assert_int_equal(n, 5);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(rows[1].id, e);
	assert_int_equal(rows[2].id, d);
	assert_int_equal(rows[3].id, a);
	assert_int_equal(rows[4].id, c);
	assert_int_equal(rows[4].status, CS_SPAM);
	assert_int_equal(rows[4].parent_id, a);
}

static void
test_n_approved_exact(void **state)
{
	struct fx *f = *state;
	int64_t post = post_ok(f, "p", T0), other = post_ok(f, "q", T0);
	int64_t a, b;

	a = comment_ok(f, post, 0, T0, CS_APPROVED);
	assert_count(f, post, 1);
	b = comment_ok(f, post, a, T0 + 1, CS_PENDING);
	assert_count(f, post, 1);
	assert_int_equal(store_comment_set_status(f->st, b, CS_APPROVED),
	    P_OK);
	assert_count(f, post, 2);
	/* Approving twice counts once. */
	assert_int_equal(store_comment_set_status(f->st, b, CS_APPROVED),
	    P_OK);
	assert_count(f, post, 2);
	assert_int_equal(store_comment_set_status(f->st, a, CS_SPAM), P_OK);
	assert_count(f, post, 1);
	assert_int_equal(store_comment_set_status(f->st, a, CS_TRASH), P_OK);
	assert_count(f, post, 1);
	assert_int_equal(store_comment_set_status(f->st, b, CS_TRASH), P_OK);
	assert_count(f, post, 0);
	assert_int_equal(store_comment_set_status(f->st, a, CS_APPROVED),
	    P_OK);
	assert_count(f, post, 1);
	assert_int_equal(store_comment_set_status(f->st, a, CS_PENDING), P_OK);
	assert_count(f, post, 0);
	comment_ok(f, post, 0, T0 + 2, CS_SPAM);
	assert_count(f, post, 0);
	assert_count(f, other, 0);
	assert_int_equal(store_comment_set_status(f->st, a + b + 1000,
	    CS_APPROVED), P_NOTFOUND);
	assert_int_equal(store_comment_set_status(f->st, a, (enum cstatus)-1),
	    P_BADINPUT);
	assert_count(f, post, 0);
}

static void
test_n_approved_in_list(void **state)
{
	struct fx *f = *state;
	struct post_query q = { .offset = 0, .limit = 10 };
	int64_t post = post_ok(f, "p", T0), total;
	struct post *rows;
	size_t n;

	comment_ok(f, post, 0, T0, CS_APPROVED);
	comment_ok(f, post, 0, T0, CS_APPROVED);
	comment_ok(f, post, 0, T0, CS_PENDING);
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].n_approved, 2);
}

static void
test_list_by_status(void **state)
{
	struct fx *f = *state;
	int64_t post = post_ok(f, "p", T0), ids[7];
	struct comment *rows;
	size_t n;
	int k;

	for (k = 0; k < 7; k++)
		ids[k] = comment_ok(f, post, 0, T0 + k,
		    k % 2 ? CS_APPROVED : CS_PENDING);
	/* Pending: ids[0], [2], [4], [6]; newest first. */
	assert_int_equal(store_comment_list_status(f->st, &f->a, CS_PENDING,
	    0, 3, &rows, &n), P_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, ids[6]);
	assert_int_equal(rows[1].id, ids[4]);
	assert_int_equal(rows[2].id, ids[2]);
	assert_int_equal(store_comment_list_status(f->st, &f->a, CS_PENDING,
	    3, 3, &rows, &n), P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, ids[0]);
	assert_int_equal(store_comment_list_status(f->st, &f->a, CS_APPROVED,
	    0, 0, &rows, &n), P_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_comment_list_status(f->st, &f->a, CS_SPAM,
	    0, 10, &rows, &n), P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_comment_set_status(f->st, ids[6], CS_SPAM),
	    P_OK);
	assert_int_equal(store_comment_list_status(f->st, &f->a, CS_SPAM,
	    0, 10, &rows, &n), P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, ids[6]);
	assert_int_equal(rows[0].status, CS_SPAM);
	assert_int_equal(store_comment_list_status(f->st, &f->a, CS_SPAM,
	    -1, 10, &rows, &n), P_BADINPUT);
}

static void
test_commenter_known(void **state)
{
	struct fx *f = *state;
	int64_t post = post_ok(f, "p", T0), dan, id;
	struct comment c;
	int known = -1;

	memset(&c, 0, sizeof(c));
	c.post_id = post;
	c.author = "Dan";
	c.email = "Dan@Example.ORG";
	c.commenter = "cookie-dan";
	c.body_md = "x";
	c.created = T0;
	c.status = CS_PENDING;
	assert_int_equal(store_comment_add(f->st, &c, &dan), P_OK);
	assert_int_equal(store_commenter_known(f->st, "cookie-dan",
	    "dan@example.org", &known), P_OK);
	assert_int_equal(known, 0); /* pending is not known */
	assert_int_equal(store_comment_set_status(f->st, dan, CS_APPROVED),
	    P_OK);
	assert_int_equal(store_commenter_known(f->st, "cookie-dan",
	    "dan@example.org", &known), P_OK);
	assert_int_equal(known, 1);
	assert_int_equal(store_commenter_known(f->st, "cookie-dan",
	    "DAN@EXAMPLE.ORG", &known), P_OK);
	assert_int_equal(known, 1);
	assert_int_equal(store_commenter_known(f->st, "cookie-dan",
	    "other@example.org", &known), P_OK);
	assert_int_equal(known, 0);
	assert_int_equal(store_commenter_known(f->st, "cookie-eve",
	    "dan@example.org", &known), P_OK);
	assert_int_equal(known, 0);
	assert_int_equal(store_commenter_known(f->st, "", "dan@example.org",
	    &known), P_OK);
	assert_int_equal(known, 0);
	assert_int_equal(store_commenter_known(f->st, NULL, "dan@example.org",
	    &known), P_OK);
	assert_int_equal(known, 0);
	/* A comment without a cookie does not make "" known. */
	c.commenter = "";
	c.status = CS_APPROVED;
	assert_int_equal(store_comment_add(f->st, &c, &id), P_OK);
	assert_int_equal(store_commenter_known(f->st, "", "Dan@Example.ORG",
	    &known), P_OK);
	assert_int_equal(known, 0);
	/* Spammed: no longer known. */
	assert_int_equal(store_comment_set_status(f->st, dan, CS_SPAM),
	    P_OK);
	assert_int_equal(store_commenter_known(f->st, "cookie-dan",
	    "dan@example.org", &known), P_OK);
	assert_int_equal(known, 0);
}

static void
test_missing_ids(void **state)
{
	struct fx *f = *state;
	struct comment c;
	struct category cat;
	struct post p;
	struct user u;
	const char *v;

	assert_int_equal(store_post_get(f->st, &f->a, 12345, &p), P_NOTFOUND);
	assert_int_equal(store_post_get(f->st, &f->a, 0, &p), P_NOTFOUND);
	assert_int_equal(store_post_get(f->st, &f->a, -1, &p), P_NOTFOUND);
	assert_int_equal(store_comment_get(f->st, &f->a, 12345, &c),
	    P_NOTFOUND);
	assert_int_equal(store_category_get(f->st, &f->a, "none", &cat),
	    P_NOTFOUND);
	assert_int_equal(store_user_get(f->st, &f->a, "none", &u),
	    P_NOTFOUND);
	assert_int_equal(store_meta_get(f->st, &f->a, "none", &v),
	    P_NOTFOUND);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15, "none",
	    &p), P_NOTFOUND);
	assert_int_equal(store_comment_set_status(f->st, 12345, CS_SPAM),
	    P_NOTFOUND);
	assert_int_equal(store_post_set_open(f->st, 12345, 0), P_NOTFOUND);
}

/* The thread a page shows reads what it shows: approved comments, the
 * viewer's pending ones, and what lies above them; never held, spam or
 * trash under nothing shown. */
static void
test_thread_rows(void **state)
{
	struct fx *f = *state;
	int64_t post, a, b, c, d, e, g, h, k, want[8];
	struct comment *rows;
	size_t n, i;

	post = post_ok(f, "thread-rows", T0);
	a = comment_ok(f, post, 0, T0 + 1, CS_APPROVED);
	b = comment_ok(f, post, a, T0 + 2, CS_PENDING);
	c = comment_ok(f, post, 0, T0 + 3, CS_SPAM);
	d = comment_ok(f, post, a, T0 + 4, CS_TRASH);
	e = comment_ok(f, post, 0, T0 + 5, CS_PENDING);
	g = comment_ok(f, post, e, T0 + 6, CS_SPAM);
	h = comment_ok(f, post, g, T0 + 7, CS_APPROVED);
	k = comment_ok(f, post, 0, T0 + 8, CS_PENDING);
	(void)c;
	(void)d;

	/* Few hidden comments: all of them come, in time order. */
	assert_int_equal(store_comment_list_thread(f->st, &f->a, post, NULL,
	    &rows, &n), P_OK);
	assert_int_equal(n, 8);
	assert_int_equal(rows[0].id, a);
	assert_int_equal(rows[7].id, k);
	assert_string_equal(rows[0].body_md, "");

	/* Buried in spam: only what a page shows is read. */
	for (i = 0; i < 40; i++)
		comment_ok(f, post, i % 2 ? a : 0, T0 + 9 + (int64_t)i, CS_SPAM);
	/* Shared: a, and h with the hidden e > g above it. */
	assert_int_equal(store_comment_list_thread(f->st, &f->a, post, NULL,
	    &rows, &n), P_OK);
	want[0] = a;
	want[1] = e;
	want[2] = g;
	want[3] = h;
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		assert_int_equal(rows[i].id, want[i]);
		assert_int_equal(rows[i].post_id, post);
		assert_string_equal(rows[i].body_html, "<p>hi</p>");
		assert_string_equal(rows[i].body_md, "");
	}
	assert_int_equal(rows[3].parent_id, g);
	assert_int_equal(rows[3].status, CS_APPROVED);
	assert_int_equal(rows[1].status, CS_PENDING);

	/* The writer of the pending ones sees them too, in time order. */
	assert_int_equal(store_comment_list_thread(f->st, &f->a, post,
	    "cookie-carol", &rows, &n), P_OK);
	want[0] = a;
	want[1] = b;
	want[2] = e;
	want[3] = g;
	want[4] = h;
	want[5] = k;
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		assert_int_equal(rows[i].id, want[i]);
	assert_int_equal(store_comment_list_thread(f->st, &f->a, post,
	    "someone-else", &rows, &n), P_OK);
	assert_int_equal(n, 4);
}

/* -------------------------------------------------------------------- */
/* Durability and odd data. */

static void
test_persistence(void **state)
{
	struct fx *f = *state;
	int64_t post, c1, c2, id;
	struct comment *rows;
	struct user u;
	struct post p;
	const char *v;
	size_t n;
	int known;

	assert_int_equal(store_meta_set(f->st, "secret", "s3cr3t"), P_OK);
	assert_int_equal(add_post(f, "kept", T0, f->bob, "europe", NULL,
	    &post), P_OK);
	c1 = comment_ok(f, post, 0, T0 + 1, CS_APPROVED);
	c2 = comment_ok(f, post, c1, T0 + 2, CS_PENDING);
	reopen(f);

	assert_int_equal(store_meta_get(f->st, &f->a, "secret", &v), P_OK);
	assert_string_equal(v, "s3cr3t");
	assert_int_equal(store_user_get(f->st, &f->a, "bob", &u), P_OK);
	assert_int_equal(u.id, f->bob);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15, "kept",
	    &p), P_OK);
	assert_int_equal(p.id, post);
	assert_string_equal(p.author_login, "bob");
	assert_int_equal(p.ncats, 1);
	assert_int_equal(p.n_approved, 1);
	assert_int_equal(store_comment_list_post(f->st, &f->a, post, &rows,
	    &n), P_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, c1);
	assert_int_equal(rows[1].id, c2);
	assert_int_equal(rows[1].parent_id, c1);
	assert_int_equal(store_commenter_known(f->st, "cookie-carol",
	    "carol@example.org", &known), P_OK);
	assert_int_equal(known, 1);
	/* Writing still works after reopening, and ids keep growing. */
	id = comment_ok(f, post, c2, T0 + 3, CS_APPROVED);
	assert_true(id > c2);
	assert_count(f, post, 2);
}

static void
test_odd_strings_round_trip(void **state)
{
	struct fx *f = *state;
	static const char *const odd[] = {
		"O'Brien said \"hello\"; DROP TABLE posts; --",
		"Київ — Ukraine ☕ 𝄞 日本語",
		"back\\slash %s %n %% ? :name $1 @x",
		"line one\nline two\r\n\ttabbed",
		"' OR '1'='1",
		"",
	};
	struct category cat[1];
	struct comment c, g;
	struct category gc;
	struct post p, gp;
	const char *v;
	char key[16];
	int64_t pid, cid;
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		assert_true(snprintf(key, sizeof(key), "k%zu", i) > 0);
		assert_int_equal(store_meta_set(f->st, key, odd[i]), P_OK);
		assert_int_equal(store_meta_get(f->st, &f->a, key, &v), P_OK);
		assert_string_equal(v, odd[i]);

		memset(&c, 0, sizeof(c));
		c.post_id = post_ok(f, key, T0);
		c.author = c.email = c.url = c.ip = odd[i];
		c.commenter = c.body_md = c.body_html = odd[i];
		c.held_reason = odd[i];
		c.created = T0;
		c.status = CS_PENDING;
		assert_int_equal(store_comment_add(f->st, &c, &cid), P_OK);
		assert_int_equal(store_comment_get(f->st, &f->a, cid, &g),
		    P_OK);
		assert_string_equal(g.author, odd[i]);
		assert_string_equal(g.email, odd[i]);
		assert_string_equal(g.body_md, odd[i]);
		assert_string_equal(g.held_reason, odd[i]);
	}

	memset(&p, 0, sizeof(p));
	cat[0].slug = "київ";
	cat[0].name = odd[1];
	p.slug = "привіт-світ";
	p.title = odd[0];
	p.body_md = odd[2];
	p.body_html = odd[3];
	p.excerpt = odd[4];
	p.author_id = f->alice;
	p.published = T0;
	p.cats = cat;
	p.ncats = 1;
	assert_int_equal(store_post_add(f->st, &p, &pid), P_OK);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15,
	    "привіт-світ", &gp), P_OK);
	assert_int_equal(gp.id, pid);
	assert_string_equal(gp.title, odd[0]);
	assert_string_equal(gp.body_md, ""); /* readers' find leaves it */
	assert_string_equal(gp.body_html, odd[3]);
	assert_string_equal(gp.excerpt, odd[4]);
	assert_int_equal(store_post_get(f->st, &f->a, pid, &gp), P_OK);
	assert_string_equal(gp.body_md, odd[2]);
	assert_int_equal(store_category_get(f->st, &f->a, "київ", &gc), P_OK);
	assert_string_equal(gc.name, odd[1]);
}

/* Two handles on one file, as the CLI and a running server have. */
static void
test_two_handles(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	int64_t post, id;
	struct post p;

	assert_int_equal(open_backend(f->path, 0, &other), P_OK);
	post = post_ok(f, "p", T0);
	assert_int_equal(store_post_get(other, &f->a, post, &p), P_OK);
	assert_int_equal(add_comment(f, post, 0, T0, CS_APPROVED, &id), P_OK);
	{
		struct comment c;

		memset(&c, 0, sizeof(c));
		c.post_id = post;
		c.parent_id = id;
		c.created = T0 + 1;
		c.status = CS_APPROVED;
		assert_int_equal(store_comment_add(other, &c, &id), P_OK);
	}
	assert_count(f, post, 2);
	store_close(other);
}

struct worker {
	struct store *st;
	int64_t post;
	int ok;
};

#define NTHREADS 4
#define PER_THREAD 25

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct arena a;
	struct comment c;
	struct post p;
	int64_t id;
	int i;

	arena_init(&a);
	for (i = 0; i < PER_THREAD; i++) {
		memset(&c, 0, sizeof(c));
		c.post_id = w->post;
		c.created = T0 + i;
		c.status = CS_APPROVED;
		if (store_comment_add(w->st, &c, &id) == P_OK &&
		    store_post_get(w->st, &a, w->post, &p) == P_OK)
			w->ok++;
	}
	arena_free(&a);
	return NULL;
}

/* One store shared by threads, as the server shares it. */
static void
test_threads_share_store(void **state)
{
	struct fx *f = *state;
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	struct comment *rows;
	int64_t post = post_ok(f, "p", T0);
	size_t n, i;
	int k;

	for (k = 0; k < NTHREADS; k++) {
		w[k].st = f->st;
		w[k].post = post;
		w[k].ok = 0;
		assert_int_equal(pthread_create(&t[k], NULL, worker_run, &w[k]),
		    0);
	}
	for (k = 0; k < NTHREADS; k++) {
		assert_int_equal(pthread_join(t[k], NULL), 0);
		assert_int_equal(w[k].ok, PER_THREAD);
	}
	assert_count(f, post, NTHREADS * PER_THREAD);
	assert_int_equal(store_comment_list_post(f->st, &f->a, post, &rows,
	    &n), P_OK);
	assert_int_equal(n, NTHREADS * PER_THREAD);
	for (i = 1; i < n; i++)
		assert_true(rows[i - 1].created < rows[i].created ||
		    (rows[i - 1].created == rows[i].created &&
		    rows[i - 1].id < rows[i].id));
}

/* -------------------------------------------------------------------- */
/* The admin side (issue 3). */

static void
test_accounts(void **state)
{
	struct fx *f = *state;
	struct account u, got, *all;
	size_t n;
	int64_t id = 0;

	memset(&u, 0, sizeof(u));
	u.login = "dora";
	u.name = "Dora";
	u.role = "editor";
	u.pw_hash = "$argon2id$fake";
	assert_int_equal(store_account_add(f->st, &u, &id), P_OK);
	assert_int_equal(store_account_add(f->st, &u, NULL), P_CONFLICT);
	assert_int_equal(store_account_get(f->st, &f->a, id, NULL, &got), P_OK);
	assert_string_equal(got.login, "dora");
	assert_string_equal(got.role, "editor");
	assert_string_equal(got.pw_hash, "$argon2id$fake");
	assert_int_equal(store_account_get(f->st, &f->a, 0, "dora", &got), P_OK);
	assert_int_equal(got.id, id);
	assert_int_equal(store_account_get(f->st, &f->a, 0, "nobody", &got),
	    P_NOTFOUND);
	memset(&u, 0, sizeof(u));
	u.id = id;
	u.role = "admin"; /* name and hash left alone */
	assert_int_equal(store_account_update(f->st, &u), P_OK);
	assert_int_equal(store_account_get(f->st, &f->a, id, NULL, &got), P_OK);
	assert_string_equal(got.role, "admin");
	assert_string_equal(got.name, "Dora");
	assert_string_equal(got.pw_hash, "$argon2id$fake");
	assert_int_equal(store_account_list(f->st, &f->a, &all, &n), P_OK);
	assert_int_equal(n, 3);
	/* alice has a post: not deleted without a new owner. */
	post_ok(f, "owned", T0);
	assert_int_equal(store_account_delete(f->st, f->alice, 0), P_CONFLICT);
	assert_int_equal(store_account_delete(f->st, f->alice, id), P_OK);
	assert_int_equal(store_account_get(f->st, &f->a, 0, "dora", &got), P_OK);
	assert_int_equal(got.nposts, 1);
	assert_int_equal(store_account_delete(f->st, 999, 0), P_NOTFOUND);
}

static void
test_sessions(void **state)
{
	struct fx *f = *state;
	struct session s;
	struct account u;

	assert_int_equal(store_session_add(f->st, "h1", f->bob, "csrf1",
	    "192.0.2.9", T0, T0 + 100), P_OK);
	assert_int_equal(store_session_get(f->st, &f->a, "h1", T0 + 50, &s),
	    P_OK);
	assert_int_equal(s.user_id, f->bob);
	assert_string_equal(s.csrf, "csrf1");
	assert_string_equal(s.user.login, "bob");
	/* Expired: gone. */
	assert_int_equal(store_session_get(f->st, &f->a, "h1", T0 + 100, &s),
	    P_NOTFOUND);
	assert_int_equal(store_session_get(f->st, &f->a, "nope", T0, &s),
	    P_NOTFOUND);
	assert_int_equal(store_session_add(f->st, "h2", f->bob, "c2", "",
	    T0, T0 + 100), P_OK);
	assert_int_equal(store_session_delete(f->st, "h2"), P_OK);
	assert_int_equal(store_session_get(f->st, &f->a, "h2", T0, &s),
	    P_NOTFOUND);
	/* A new password ends the account's sessions. */
	assert_int_equal(store_session_add(f->st, "h3", f->bob, "c3", "",
	    T0, T0 + 100), P_OK);
	memset(&u, 0, sizeof(u));
	u.id = f->bob;
	u.pw_hash = "$argon2id$new";
	assert_int_equal(store_account_update(f->st, &u), P_OK);
	assert_int_equal(store_session_get(f->st, &f->a, "h3", T0, &s),
	    P_NOTFOUND);
}

static void
test_post_save_states_and_redirects(void **state)
{
	struct fx *f = *state;
	struct tag tags[2] = { { 0, "alpha", "Alpha" }, { 0, "beta",
	    "Beta" } };
	struct post p, got, *rows;
	int64_t id = 0, rid = 0, counts[3], total;
	struct post_admin_query q;
	size_t n;
	int taken;

	memset(&p, 0, sizeof(p));
	p.slug = "draft-one";
	p.title = "Draft One";
	p.author_id = f->alice;
	p.published = T0;
	p.status = PS_DRAFT;
	p.body_md = "x";
	p.tags = tags;
	p.ntags = 2;
	assert_int_equal(store_post_save(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &got), P_OK);
	assert_int_equal(got.status, PS_DRAFT);
	assert_int_equal(got.ntags, 2);
	assert_string_equal(got.tags[0].name, "Alpha");
	assert_true(got.modified > 0);
	/* Drafts are not public. */
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15,
	    "draft-one", &got), P_NOTFOUND);
	/* A draft's slug change leaves no redirect... */
	p.id = id;
	p.slug = "draft-two";
	assert_int_equal(store_post_save(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_redirect_find(f->st, 2024, 3, 15,
	    "draft-one", &rid), P_NOTFOUND);
	/* ...a published post's does. */
	p.status = PS_PUBLISHED;
	p.ntags = 1;
	assert_int_equal(store_post_save(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 15,
	    "draft-two", &got), P_OK);
	assert_int_equal(got.ntags, 1);
	p.slug = "renamed";
	assert_int_equal(store_post_save(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_redirect_find(f->st, 2024, 3, 15,
	    "draft-two", &rid), P_OK);
	assert_int_equal(rid, id);
	assert_int_equal(store_post_slug_taken(f->st, "draft-two", 0, &taken),
	    P_OK);
	assert_true(taken);
	assert_int_equal(store_post_slug_taken(f->st, "draft-two", id, &taken),
	    P_OK);
	assert_false(taken);
	/* Moving back to an old address removes that redirect. */
	p.slug = "draft-two";
	assert_int_equal(store_post_save(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_redirect_find(f->st, 2024, 3, 15,
	    "draft-two", &rid), P_NOTFOUND);
	/* Scheduled = published in the future. */
	p.id = 0;
	p.slug = "later";
	p.published = (int64_t)time(NULL) + 86400;
	assert_int_equal(store_post_save(f->st, &p, &id), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &got), P_OK);
	assert_int_equal(got.status, PS_SCHEDULED);
	memset(&q, 0, sizeof(q));
	q.status = -1;
	assert_int_equal(store_post_list_admin(f->st, &f->a, &q, &rows, &n,
	    &total, counts), P_OK);
	assert_int_equal(total, 2);
	assert_int_equal(counts[PS_PUBLISHED], 1);
	assert_int_equal(counts[PS_SCHEDULED], 1);
	q.search = "LATER";
	assert_int_equal(store_post_list_admin(f->st, &f->a, &q, &rows, &n,
	    &total, NULL), P_OK);
	assert_int_equal(n, 1);
	q.search = "%";
	assert_int_equal(store_post_list_admin(f->st, &f->a, &q, &rows, &n,
	    &total, NULL), P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_post_delete(f->st, id), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &got), P_NOTFOUND);
}

static void
test_comment_moderation_ops(void **state)
{
	struct fx *f = *state;
	int64_t post = post_ok(f, "p", T0), a, b, counts[4], total;
	struct comment_admin_query q;
	struct comment_row *rows;
	struct comment c;
	size_t n;

	a = comment_ok(f, post, 0, T0 + 1, CS_APPROVED);
	b = comment_ok(f, post, a, T0 + 2, CS_APPROVED);
	assert_int_equal(store_comment_restore(f->st, a), P_CONFLICT);
	assert_int_equal(store_comment_delete(f->st, a), P_CONFLICT);
	assert_int_equal(store_comment_set_status(f->st, a, CS_TRASH), P_OK);
	assert_int_equal(n_approved(f, post), 1);
	assert_int_equal(store_comment_restore(f->st, a), P_OK);
	assert_int_equal(store_comment_get(f->st, &f->a, a, &c), P_OK);
	assert_int_equal(c.status, CS_APPROVED);
	assert_int_equal(n_approved(f, post), 2);
	/* spam then trash: restore goes to what it was before both. */
	assert_int_equal(store_comment_set_status(f->st, a, CS_SPAM), P_OK);
	assert_int_equal(store_comment_set_status(f->st, a, CS_TRASH), P_OK);
	assert_int_equal(store_comment_restore(f->st, a), P_OK);
	assert_int_equal(store_comment_get(f->st, &f->a, a, &c), P_OK);
	assert_int_equal(c.status, CS_APPROVED);
	assert_int_equal(store_comment_counts(f->st, 0, counts), P_OK);
	assert_int_equal(counts[CS_APPROVED], 2);
	memset(&q, 0, sizeof(q));
	q.status = CS_APPROVED;
	assert_int_equal(store_comment_list_admin(f->st, &f->a, &q, &rows, &n,
	    &total), P_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].post_title, "p");
	q.post_author_id = f->bob; /* bob has no posts */
	assert_int_equal(store_comment_list_admin(f->st, &f->a, &q, &rows, &n,
	    &total), P_OK);
	assert_int_equal(n, 0);
	/* Delete forever: the reply moves up. */
	assert_int_equal(store_comment_set_status(f->st, a, CS_TRASH), P_OK);
	assert_int_equal(store_comment_delete(f->st, a), P_OK);
	assert_int_equal(store_comment_get(f->st, &f->a, a, &c), P_NOTFOUND);
	assert_int_equal(store_comment_get(f->st, &f->a, b, &c), P_OK);
	assert_int_equal(c.parent_id, 0);
	c.body_md = "edited";
	c.body_html = "<p>edited</p>";
	assert_int_equal(store_comment_edit(f->st, &c), P_OK);
	assert_int_equal(store_comment_get(f->st, &f->a, b, &c), P_OK);
	assert_true(c.moderator_edited);
	assert_string_equal(c.body_md, "edited");
}

static void
test_media(void **state)
{
	struct fx *f = *state;
	static const unsigned char data[] = { 0x89, 'P', 'N', 'G', 0, 1, 2 };
	struct media m, got, *all;
	int64_t total;
	size_t n;

	memset(&m, 0, sizeof(m));
	m.hash = "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef";
	m.type = "image/png";
	m.name = "x.png";
	m.size = sizeof(data);
	m.width = 2;
	m.height = 3;
	m.user_id = f->alice;
	m.data = data;
	assert_int_equal(store_media_put(f->st, &m), P_OK);
	assert_int_equal(store_media_put(f->st, &m), P_OK); /* same bytes */
	assert_int_equal(store_media_get(f->st, &f->a, m.hash, 1, &got), P_OK);
	assert_int_equal(got.size, sizeof(data));
	assert_memory_equal(got.data, data, sizeof(data));
	assert_string_equal(got.type, "image/png");
	assert_int_equal(store_media_list(f->st, &f->a, 0, 10, &all, &n,
	    &total), P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_null(all[0].data);
	assert_int_equal(store_media_delete(f->st, m.hash), P_OK);
	assert_int_equal(store_media_delete(f->st, m.hash), P_NOTFOUND);
	m.hash = "short";
	assert_int_equal(store_media_put(f->st, &m), P_BADINPUT);
}

/* -------------------------------------------------------------------- */
/* Tags, date ranges, the change clock, search, recent comments,
 * archives (issue 5). */

static int64_t
tagged_post(struct fx *f, const char *slug, int64_t published,
    const char *tag1, const char *tag2)
{
	struct tag tags[2];
	struct post p;
	int64_t id = 0;

	memset(&p, 0, sizeof(p));
	memset(tags, 0, sizeof(tags));
	p.slug = slug;
	p.title = slug;
	p.author_id = f->alice;
	p.published = published;
	p.body_md = "body";
	p.body_html = "<p>body</p>";
	p.tags = tags;
	if (tag1) {
		tags[p.ntags].slug = tag1;
		tags[p.ntags++].name = tag1;
	}
	if (tag2) {
		tags[p.ntags].slug = tag2;
		tags[p.ntags++].name = tag2;
	}
	assert_int_equal(store_post_add(f->st, &p, &id), P_OK);
	return id;
}

static void
test_tags(void **state)
{
	struct fx *f = *state;
	struct post_query q;
	struct post *rows, p;
	struct tag t;
	struct archive *ar;
	size_t n;
	int64_t total, a, b;

	a = tagged_post(f, "a", T0, "zebra", "apple");
	b = tagged_post(f, "b", T0 + DAY, "apple", NULL);
	tagged_post(f, "c", T0 + 2 * DAY, NULL, NULL);
	assert_int_equal(store_post_get(f->st, &f->a, a, &p), P_OK);
	assert_int_equal(p.ntags, 2);
	assert_string_equal(p.tags[0].slug, "apple");
	assert_string_equal(p.tags[1].slug, "zebra");
	assert_int_equal(p.ncats, 0);
	assert_int_equal(store_tag_get(f->st, &f->a, "apple", &t), P_OK);
	assert_string_equal(t.name, "apple");
	assert_int_equal(store_tag_get(f->st, &f->a, "none", &t), P_NOTFOUND);
	memset(&q, 0, sizeof(q));
	q.tag_slug = "apple";
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(rows[1].id, a);
	q.author_login = "bob";
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_archive_list(f->st, &f->a, ARCH_TAG, &ar, &n),
	    P_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ar[0].key, "apple");
	assert_int_equal(ar[0].count, 2);
	assert_int_equal(ar[0].lastmod, T0 + DAY);
	assert_string_equal(ar[1].key, "zebra");
	assert_int_equal(ar[1].count, 1);
}

static void
test_list_date_range(void **state)
{
	struct fx *f = *state;
	struct post_query q;
	struct post *rows;
	size_t n;
	int64_t total, mid;

	post_ok(f, "a", T0 - DAY);
	mid = post_ok(f, "b", T0);
	post_ok(f, "c", T0 + DAY);
	memset(&q, 0, sizeof(q));
	q.from = T0 - 3600;
	q.until = T0 + 3600;
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(rows[0].id, mid);
	q.until = T0; /* exclusive */
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 0);
	q.from = T0;
	q.until = 0; /* open */
	assert_int_equal(store_post_list(f->st, &f->a, &q, &rows, &n, &total),
	    P_OK);
	assert_int_equal(n, 2);
}

static void
test_last_change_moves(void **state)
{
	struct fx *f = *state;
	int64_t now = (int64_t)time(NULL), at0, at1, post, c;

	assert_int_equal(store_last_change(f->st, now, &at0), P_OK);
	assert_true(at0 >= now - 5 && at0 <= now + 1);
	/* A post published far in the past does not move it back. */
	post = post_ok(f, "old", T0);
	assert_int_equal(store_last_change(f->st, now, &at1), P_OK);
	assert_true(at1 >= at0);
	/* A visible publication newer than any write counts. */
	post_ok(f, "soon", now + 100);
	assert_int_equal(store_last_change(f->st, now + 200, &at1), P_OK);
	assert_int_equal(at1, now + 100);
	assert_int_equal(store_last_change(f->st, now, &at1), P_OK);
	assert_true(at1 < now + 100);
	/* Writes move it (to the clock's now, never backwards). */
	c = comment_ok(f, post, 0, T0, CS_PENDING);
	assert_int_equal(store_comment_set_status(f->st, c, CS_APPROVED),
	    P_OK);
	assert_int_equal(store_last_change(f->st, now, &at1), P_OK);
	assert_true(at1 >= now);
	assert_int_equal(store_last_change(f->st, now, NULL), P_BADINPUT);
}

/* The clock's current value; then waits until the wall clock is past
 * it, so that a write which moves it is seen to. */
static int64_t
clock_then_tick(struct fx *f)
{
	int64_t at;

	assert_int_equal(store_last_change(f->st, (int64_t)time(NULL), &at),
	    P_OK);
	while ((int64_t)time(NULL) <= at)
		usleep(50 * 1000);
	return at;
}

static void
test_last_change_follows_settings_and_media(void **state)
{
	struct fx *f = *state;
	static const unsigned char data[] = { 'G', 'I', 'F', '8', '9', 'a' };
	int64_t at0, at;
	struct media m;

	at0 = clock_then_tick(f);
	/* meta rows that change no page leave it alone... */
	assert_int_equal(store_meta_set(f->st, "secret", "abc"), P_OK);
	assert_int_equal(store_meta_set(f->st, "settings.version", "v1"),
	    P_OK);
	assert_int_equal(store_last_change(f->st, (int64_t)time(NULL), &at),
	    P_OK);
	assert_int_equal(at, at0);
	/* ...a setting that changes moves it, one saved unchanged not. */
	assert_int_equal(store_meta_set(f->st, "setting.site.title", "A"),
	    P_OK);
	assert_int_equal(store_last_change(f->st, (int64_t)time(NULL), &at),
	    P_OK);
	assert_true(at > at0);
	at0 = clock_then_tick(f);
	assert_int_equal(store_meta_set(f->st, "setting.site.title", "A"),
	    P_OK);
	assert_int_equal(store_last_change(f->st, (int64_t)time(NULL), &at),
	    P_OK);
	assert_int_equal(at, at0);
	/* Images move it too. */
	memset(&m, 0, sizeof(m));
	m.hash = "fedcba9876543210fedcba9876543210"
	    "fedcba9876543210fedcba9876543210";
	m.type = "image/gif";
	m.size = sizeof(data);
	m.data = data;
	assert_int_equal(store_media_put(f->st, &m), P_OK);
	assert_int_equal(store_last_change(f->st, (int64_t)time(NULL), &at),
	    P_OK);
	assert_true(at > at0);
}

/* A post with a title and Markdown body. */
static int64_t
text_post(struct fx *f, const char *slug, int64_t published,
    const char *title, const char *body)
{
	struct post p;
	int64_t id = 0;

	memset(&p, 0, sizeof(p));
	p.slug = slug;
	p.title = title;
	p.author_id = f->bob;
	p.published = published;
	p.body_md = body;
	p.body_html = "<p>html</p>";
	assert_int_equal(store_post_add(f->st, &p, &id), P_OK);
	return id;
}

static int64_t
text_comment(struct fx *f, int64_t post, const char *author,
    const char *text, enum cstatus s)
{
	struct comment c;
	int64_t id = 0;

	memset(&c, 0, sizeof(c));
	c.post_id = post;
	c.author = author;
	c.email = "x@example.org";
	c.body_md = text;
	c.body_text = text;
	c.body_html = "<p>html</p>";
	c.created = T0 + 60;
	c.status = s;
	assert_int_equal(store_comment_add(f->st, &c, &id), P_OK);
	return id;
}

/* Hits for text of kind k: the number, and the first in *first. */
static size_t
hits(struct fx *f, const char *text, enum search_kind k,
    struct search_hit *first)
{
	struct search_query q;
	struct search_hit *h;
	size_t n;
	int64_t total;

	memset(&q, 0, sizeof(q));
	q.text = text;
	q.kind = k;
	q.limit = 50;
	assert_int_equal(store_search(f->st, &f->a, &q, &h, &n, &total, NULL),
	    P_OK);
	assert_int_equal((int64_t)n, total);
	if (n && first)
		*first = h[0];
	return n;
}

static void
test_search_folds_case_and_accents(void **state)
{
	struct fx *f = *state;
	struct search_hit h;
	int64_t post, c;

	post = text_post(f, "cafe", T0, "The Café Question",
	    "Why every *neighbourhood* needs a café that opens early.");
	c = text_comment(f, post, "Zoë", "I run a CAFE and we open at six.",
	    CS_APPROVED);
	assert_int_equal(hits(f, "cafe", SEARCH_ALL, NULL), 2);
	assert_int_equal(hits(f, "CAFÉ", SEARCH_ALL, NULL), 2);
	assert_int_equal(hits(f, "cafe", SEARCH_POSTS, &h), 1);
	assert_int_equal(h.comment_id, 0);
	assert_int_equal(h.post.id, post);
	assert_string_equal(h.post.slug, "cafe");
	assert_string_equal(h.post.author_login, "bob");
	assert_int_equal(h.date, T0);
	/* The title ranks the article first and is marked. */
	assert_int_equal(hits(f, "cafe", SEARCH_ALL, &h), 2);
	assert_int_equal(h.comment_id, 0);
	assert_string_equal(h.title,
	    "The " SEARCH_MARK_ON "Café" SEARCH_MARK_OFF " Question");
	assert_non_null(strstr(h.snippet, SEARCH_MARK_ON "café" SEARCH_MARK_OFF));
	assert_int_equal(hits(f, "cafe", SEARCH_COMMENTS, &h), 1);
	assert_int_equal(h.comment_id, c);
	assert_int_equal(h.post.id, post);
	assert_string_equal(h.who, "Zoë");
	assert_string_equal(h.title, "The Café Question");
	assert_int_equal(h.date, T0 + 60);
	assert_non_null(strstr(h.snippet, SEARCH_MARK_ON "CAFE" SEARCH_MARK_OFF));
	/* The commenter's name is searchable too, folded. */
	assert_int_equal(hits(f, "zoe", SEARCH_ALL, NULL), 1);
	assert_int_equal(hits(f, "nothing-like-it", SEARCH_ALL, NULL), 0);
}

static void
test_search_follows_status(void **state)
{
	struct fx *f = *state;
	int64_t post = text_post(f, "p", T0, "Post", "plain words"), c;

	c = text_comment(f, post, "Ann", "the secret marmalade recipe",
	    CS_PENDING);
	assert_int_equal(hits(f, "marmalade", SEARCH_ALL, NULL), 0);
	assert_int_equal(store_comment_set_status(f->st, c, CS_APPROVED),
	    P_OK);
	assert_int_equal(hits(f, "marmalade", SEARCH_ALL, NULL), 1);
	assert_int_equal(store_comment_set_status(f->st, c, CS_PENDING),
	    P_OK);
	assert_int_equal(hits(f, "marmalade", SEARCH_ALL, NULL), 0);
	assert_int_equal(store_comment_set_status(f->st, c, CS_APPROVED),
	    P_OK);
	assert_int_equal(store_comment_set_status(f->st, c, CS_SPAM), P_OK);
	assert_int_equal(hits(f, "marmalade", SEARCH_ALL, NULL), 0);
	assert_int_equal(store_comment_set_status(f->st, c, CS_APPROVED),
	    P_OK);
	assert_int_equal(store_comment_set_status(f->st, c, CS_TRASH), P_OK);
	assert_int_equal(hits(f, "marmalade", SEARCH_ALL, NULL), 0);
	text_comment(f, post, "Ben", "more marmalade", CS_SPAM);
	assert_int_equal(hits(f, "marmalade", SEARCH_ALL, NULL), 0);
	/* Survives reopening (the index is in the file). */
	reopen(f);
	assert_int_equal(store_comment_set_status(f->st, c, CS_APPROVED),
	    P_OK);
	assert_int_equal(hits(f, "marmalade", SEARCH_ALL, NULL), 1);
}

static void
test_search_hides_scheduled_posts(void **state)
{
	struct fx *f = *state;
	int64_t later = (int64_t)time(NULL) + 3600, post;

	post = text_post(f, "later", later, "Embargoed", "zeppelin news");
	text_comment(f, post, "Cy", "zeppelin comment", CS_APPROVED);
	assert_int_equal(hits(f, "zeppelin", SEARCH_ALL, NULL), 0);
	assert_int_equal(hits(f, "embargoed", SEARCH_ALL, NULL), 0);
}

static void
test_search_syntax_never_fails(void **state)
{
	static const char *const odd[] = { "\"night", "night\"", "AND",
		"OR night", "night NOT", "(", ")", "night)", "NEAR(",
		"title:", "*", "^", "-night", "night -", "col:night",
		"\"\"", "'", "night's", "a:b:c", "{night", "NEAR(night train,",
		"night AND (train OR", "+", "--", "***", "night* *train" };
	struct fx *f = *state;
	struct search_hit h;
	size_t i;

	text_post(f, "nt", T0, "Why the Night Train Came Back",
	    "Sleepers, couchettes and the long night's journey.");
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		(void)hits(f, odd[i], SEARCH_ALL, NULL);
	/* Broken syntax falls back to the words. */
	assert_int_equal(hits(f, "\"night train", SEARCH_ALL, &h), 1);
	assert_int_equal(hits(f, "night AND (train OR", SEARCH_ALL, NULL), 1);
	assert_int_equal(hits(f, "-night", SEARCH_ALL, NULL), 1);
	/* Valid syntax keeps its meaning. */
	assert_int_equal(hits(f, "\"night train\"", SEARCH_ALL, NULL), 1);
	assert_int_equal(hits(f, "\"train night\"", SEARCH_ALL, NULL), 0);
	assert_int_equal(hits(f, "coupe OR couchettes", SEARCH_ALL, NULL), 1);
	assert_int_equal(hits(f, "couch*", SEARCH_ALL, NULL), 1);
	assert_int_equal(hits(f, "night NOT sleepers", SEARCH_ALL, NULL), 0);
	/* No words at all: no hits, no error. */
	assert_int_equal(hits(f, "", SEARCH_ALL, NULL), 0);
	assert_int_equal(hits(f, "  \"*()", SEARCH_ALL, NULL), 0);
}

static void
test_search_paging(void **state)
{
	struct fx *f = *state;
	struct search_query q;
	struct search_hit *h;
	char slug[16];
	int64_t total;
	size_t n;
	int i;

	for (i = 0; i < 7; i++) {
		snprintf(slug, sizeof(slug), "p%d", i);
		text_post(f, slug, T0 + i, slug, "walrus");
	}
	memset(&q, 0, sizeof(q));
	q.text = "walrus";
	q.limit = 3;
	q.offset = 6;
	assert_int_equal(store_search(f->st, &f->a, &q, &h, &n, &total, NULL),
	    P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 7);
	q.offset = 0;
	assert_int_equal(store_search(f->st, &f->a, &q, &h, &n, &total, NULL),
	    P_OK);
	assert_int_equal(n, 3);
	/* Equal scores: newest first. */
	assert_string_equal(h[0].post.slug, "p6");
	assert_string_equal(h[1].post.slug, "p5");
	q.offset = -1;
	assert_int_equal(store_search(f->st, &f->a, &q, &h, &n, &total, NULL),
	    P_BADINPUT);
	q.offset = 0;
	q.text = NULL;
	assert_int_equal(store_search(f->st, &f->a, &q, &h, &n, &total, NULL),
	    P_BADINPUT);
}

static void
test_comment_list_recent(void **state)
{
	struct fx *f = *state;
	int64_t p1 = post_ok(f, "one", T0), p2 = post_ok(f, "two", T0);
	int64_t later = post_ok(f, "later", (int64_t)time(NULL) + 3600);
	int64_t a, b, c;
	struct comment *rows;
	struct post p;
	size_t n;

	a = comment_ok(f, p1, 0, T0 + 10, CS_APPROVED);
	b = comment_ok(f, p2, 0, T0 + 30, CS_APPROVED);
	c = comment_ok(f, p1, a, T0 + 20, CS_APPROVED);
	comment_ok(f, p1, 0, T0 + 40, CS_PENDING);
	comment_ok(f, p2, 0, T0 + 50, CS_SPAM);
	comment_ok(f, later, 0, T0 + 60, CS_APPROVED);
	assert_int_equal(store_comment_list_recent(f->st, &f->a, 0, 0, &rows,
	    &n), P_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(rows[1].id, c);
	assert_int_equal(rows[2].id, a);
	assert_int_equal(rows[1].parent_id, a);
	assert_int_equal(store_comment_list_recent(f->st, &f->a, 0, 2, &rows,
	    &n), P_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_comment_list_recent(f->st, &f->a, p1, 0, &rows,
	    &n), P_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, c);
	assert_int_equal(store_comment_list_recent(f->st, &f->a, later, 0,
	    &rows, &n), P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_post_get(f->st, &f->a, p1, &p), P_OK);
	assert_int_equal(p.last_comment, T0 + 20);
	assert_int_equal(store_post_get(f->st, &f->a, later, &p), P_OK);
	assert_int_equal(p.last_comment, T0 + 60);
	assert_int_equal(store_comment_list_recent(f->st, &f->a, 0, -1, &rows,
	    &n), P_BADINPUT);
}

static void
test_archive_list(void **state)
{
	struct fx *f = *state;
	struct archive *ar;
	int64_t p;
	size_t n;

	p = 0;
	assert_int_equal(add_post(f, "a", T0, f->alice, "news", "zoo", &p),
	    P_OK);
	comment_ok(f, p, 0, T0 + 5 * DAY, CS_APPROVED);
	comment_ok(f, p, 0, T0 + 9 * DAY, CS_PENDING);
	assert_int_equal(add_post(f, "b", T0 + 40 * DAY, f->bob, "news", NULL,
	    &p), P_OK);
	assert_int_equal(add_post(f, "c", (int64_t)time(NULL) + 3600,
	    f->bob, "future", NULL, &p), P_OK);
	assert_int_equal(store_archive_list(f->st, &f->a, ARCH_CATEGORY, &ar,
	    &n), P_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ar[0].key, "news");
	assert_int_equal(ar[0].count, 2);
	assert_int_equal(ar[0].lastmod, T0 + 40 * DAY);
	assert_string_equal(ar[1].key, "zoo");
	assert_int_equal(ar[1].lastmod, T0 + 5 * DAY);
	assert_int_equal(store_archive_list(f->st, &f->a, ARCH_MONTH, &ar,
	    &n), P_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ar[0].key, "2024-04");
	assert_string_equal(ar[1].key, "2024-03");
	assert_int_equal(ar[1].count, 1);
	assert_int_equal(store_archive_list(f->st, &f->a, ARCH_AUTHOR, &ar,
	    &n), P_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ar[0].key, "alice");
	assert_string_equal(ar[1].name, "Bob Jones");
	assert_int_equal(store_archive_list(f->st, &f->a, (enum archive_kind)9,
	    &ar, &n), P_BADINPUT);
}

/* Every commit moves data_version; the change log says which
 * article's pages changed, whoever wrote. */
static void
test_data_version_and_changes(void **state)
{
	struct fx *f = *state;
	struct store *other;
	int64_t v0, v1, v2, post, c1, last0, last, ids[8];
	size_t n;

	post = post_ok(f, "dv", T0);
	assert_int_equal(store_data_version(f->st, &v0), P_OK);
	assert_int_equal(store_data_version(f->st, &v1), P_OK);
	assert_int_equal(v0, v1);
	assert_int_equal(store_changes_since(f->st, -1, NULL, 0, &n, &last0),
	    P_OK);
	/* A pending comment changes no shared page: logged as -1, which
	 * moves only the clock (Last-Modified). */
	c1 = comment_ok(f, post, 0, T0 + 1, CS_PENDING);
	assert_int_equal(store_changes_since(f->st, last0, ids, 8, &n, &last),
	    P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], -1);
	last0 = last;
	/* Approval from another process (the CLI). */
	assert_int_equal(open_backend(f->path, 0, &other), P_OK);
	assert_int_equal(store_comment_set_status(other, c1, CS_APPROVED),
	    P_OK);
	store_close(other);
	assert_int_equal(store_data_version(f->st, &v2), P_OK);
	assert_true(v2 != v1);
	assert_int_equal(store_changes_since(f->st, last0, ids, 8, &n, &last),
	    P_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], post);
	assert_true(last > last0);
	/* A new post concerns every page. */
	post_ok(f, "dv2", T0);
	assert_int_equal(store_changes_since(f->st, last, ids, 8, &n, &last0),
	    P_OK);
	assert_true(n >= 1);
	assert_int_equal(ids[0], 0);
	/* More than max pending: drop everything. */
	assert_int_equal(store_changes_since(f->st, 0, ids, 1, &n, &last),
	    P_CONFLICT);
	assert_int_equal(last, last0);
}

static void
test_comment_list_mine(void **state)
{
	struct fx *f = *state;
	struct comment *rows;
	size_t n;
	int64_t p1, p2, a, b;

	p1 = post_ok(f, "mine-1", T0);
	p2 = post_ok(f, "mine-2", T0);
	comment_ok(f, p1, 0, T0 + 1, CS_APPROVED);   /* not pending */
	b = comment_ok(f, p1, 0, T0 + 3, CS_PENDING);
	a = comment_ok(f, p1, 0, T0 + 2, CS_PENDING);
	comment_ok(f, p2, 0, T0 + 2, CS_PENDING);    /* other post */
	comment_ok(f, p1, 0, T0 + 4, CS_SPAM);
	assert_int_equal(store_comment_list_mine(f->st, &f->a, p1,
	    "cookie-carol", &rows, &n), P_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, a);
	assert_int_equal(rows[1].id, b);
	assert_int_equal(store_comment_list_mine(f->st, &f->a, p1,
	    "someone-else", &rows, &n), P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_comment_list_mine(f->st, &f->a, p1, "", &rows,
	    &n), P_OK);
	assert_int_equal(n, 0);
}

static void
test_post_next_scheduled(void **state)
{
	struct fx *f = *state;
	int64_t t, now = (int64_t)time(NULL);

	assert_int_equal(store_post_next_scheduled(f->st, now, &t), P_OK);
	assert_int_equal(t, 0);
	post_ok(f, "past", T0);
	post_ok(f, "later", now + 2 * DAY);
	post_ok(f, "soon", now + DAY);
	assert_int_equal(store_post_next_scheduled(f->st, now, &t), P_OK);
	assert_int_equal(t, now + DAY);
	assert_int_equal(store_post_next_scheduled(f->st, now + DAY, &t),
	    P_OK);
	assert_int_equal(t, now + 2 * DAY);
}

static void
test_set_durable(void **state)
{
	struct fx *f = *state;
	int64_t post;

	assert_int_equal(store_set_durable(f->st, 0), P_OK);
	post = post_ok(f, "bulk", T0);
	comment_ok(f, post, 0, T0 + 1, CS_APPROVED);
	assert_int_equal(store_set_durable(f->st, 1), P_OK);
	reopen(f);
	assert_count(f, post, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cstatus_names),
		T(test_reopen_keeps_schema),
		T(test_open_missing_without_create),
		T(test_open_garbage),
		cmocka_unit_test(test_open_bad_args),
		T(test_meta),
		T(test_user_ensure_idempotent),
		T(test_post_add_get_find),
		T(test_post_optional_fields_empty),
		T(test_post_bad_input),
		T(test_post_duplicate_slug_same_day),
		T(test_post_same_slug_other_day),
		T(test_categories_shared_and_ordered),
		T(test_category_name_kept_and_duplicates),
		T(test_category_list),
		T(test_list_paging_total),
		T(test_list_filters),
		T(test_future_post_not_listed),
		T(test_post_set_open),
		T(test_comment_add_and_get),
		T(test_comment_bad_parent_or_post),
		T(test_thread_order),
		T(test_n_approved_exact),
		T(test_n_approved_in_list),
		T(test_list_by_status),
		T(test_commenter_known),
		T(test_missing_ids),
		T(test_thread_rows),
		T(test_persistence),
		T(test_odd_strings_round_trip),
		T(test_two_handles),
		T(test_threads_share_store),
		T(test_accounts),
		T(test_sessions),
		T(test_post_save_states_and_redirects),
		T(test_comment_moderation_ops),
		T(test_media),
		T(test_tags),
		T(test_list_date_range),
		T(test_last_change_moves),
		T(test_last_change_follows_settings_and_media),
		T(test_search_folds_case_and_accents),
		T(test_search_follows_status),
		T(test_search_hides_scheduled_posts),
		T(test_search_syntax_never_fails),
		T(test_search_paging),
		T(test_comment_list_recent),
		T(test_archive_list),
		T(test_data_version_and_changes),
		T(test_comment_list_mine),
		T(test_post_next_scheduled),
		T(test_set_durable),
	};

	/* Days are UTC whatever the local zone: run far from UTC. */
	setenv("TZ", "Pacific/Kiritimati", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
