/* test_store_wxr.c: the store ops WordPress import and export use
 * (store.h, "WordPress import" and after), against store.h only so every
 * backend runs the same cases. One transaction that rolls back whole;
 * WordPress ids kept as Parley ids when free; idempotent re-import; the
 * links made after the last record; what readers may see; old-address
 * lookups; export reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static enum perr (*const open_backend)(const char *, int, struct store **) =
    store_open_sqlite;

#define T0 ((int64_t)1710504000) /* 2024-03-15T12:00:00Z */
#define DAY ((int64_t)86400)
#define TMPDIR_TEMPLATE "/tmp/parley-store-wxr-XXXXXX"

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct arena a;
	int64_t mira;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct user u;
	int created;

	assert_non_null(f);
	memcpy(f->dir, TMPDIR_TEMPLATE, sizeof(TMPDIR_TEMPLATE));
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/parley.db", f->dir);
	assert_int_equal(open_backend(f->path, 1, &f->st), P_OK);
	arena_init(&f->a);
	memset(&u, 0, sizeof(u));
	u.login = "mira";
	u.name = "Mira";
	u.wp_login = "Mira";
	u.wp_id = 1;
	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_user(f->st, &u, &f->mira, &created),
	    P_OK);
	assert_int_equal(created, 1);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[256];

	store_close(f->st);
	arena_free(&f->a);
	snprintf(p, sizeof(p), "%s/parley.db", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/parley.db-wal", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/parley.db-shm", f->dir);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct post
wp_post(const struct fx *f, int64_t wp_id, const char *slug, int64_t t,
    const char *status)
{
	struct post p;

	memset(&p, 0, sizeof(p));
	p.slug = slug;
	p.title = slug;
	p.author_id = f->mira;
	p.published = t;
	p.body_md = "<b>src</b>";
	p.body_html = "<p><b>src</b></p>";
	p.format = "html";
	p.wp_status = status;
	p.comments_open = 1;
	p.wp_id = wp_id;
	p.wxr_extra = "<kept/>";
	return p;
}

static struct comment
wp_comment(int64_t post, int64_t wp_id, int64_t wp_parent, int64_t t)
{
	struct comment c;

	memset(&c, 0, sizeof(c));
	c.post_id = post;
	c.author = "Ana";
	c.body_md = "hi";
	c.body_html = "<p>hi</p>";
	c.created = t;
	c.status = CS_APPROVED;
	c.format = "html";
	c.wp_id = wp_id;
	c.wp_parent = wp_parent;
	return c;
}

static void
t_rollback_leaves_nothing(void **state)
{
	struct fx *f = *state;
	struct post p = wp_post(f, 10, "gone", T0, "publish"), g;
	struct comment c;
	int64_t id, cid;
	int created;

	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_post(f->st, &p, &id, &created), P_OK);
	c = wp_comment(id, 100, 0, T0);
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	assert_int_equal(store_import_end(f->st, 0), P_OK);
	assert_int_equal(store_post_get(f->st, &f->a, id, &g), P_NOTFOUND);
	assert_int_equal(store_comment_get(f->st, &f->a, 100, &c), P_NOTFOUND);
}

static void
t_ids_kept_and_idempotent(void **state)
{
	struct fx *f = *state;
	struct post p = wp_post(f, 77, "kept", T0, "publish"), g;
	struct comment c, n;
	int64_t id, again, cid;
	int created;

	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_post(f->st, &p, &id, &created), P_OK);
	assert_int_equal(id, 77);
	assert_int_equal(created, 1);
	c = wp_comment(id, 500, 0, T0 + 60);
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	assert_int_equal(cid, 500);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	/* again: found, nothing added */
	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_post(f->st, &p, &again, &created), P_OK);
	assert_int_equal(again, 77);
	assert_int_equal(created, 0);
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	assert_int_equal(created, 0);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	/* Parley's own comments continue after the highest id */
	n = wp_comment(id, 0, 0, T0 + 120);
	n.format = NULL;
	assert_int_equal(store_comment_add(f->st, &n, &cid), P_OK);
	assert_int_equal(cid, 501);
	assert_int_equal(store_post_get(f->st, &f->a, 77, &g), P_OK);
	assert_string_equal(g.format, "html");
	assert_string_equal(g.wp_status, "publish");
	assert_int_equal(g.wp_id, 77);
}

static void
t_taken_id_and_slug_clash(void **state)
{
	struct fx *f = *state;
	struct post p, q, g;
	int64_t native, id;
	int created;

	p = wp_post(f, 0, "native", T0, NULL);
	p.wxr_extra = NULL;
	assert_int_equal(store_post_add(f->st, &p, &native), P_OK);
	q = wp_post(f, native, "native", T0, "publish"); /* same id, day, slug */
	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_post(f->st, &q, &id, &created), P_OK);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	assert_int_equal(created, 1);
	assert_true(id != native);
	assert_int_equal(store_post_get(f->st, &f->a, id, &g), P_OK);
	assert_string_equal(g.slug, "native-2");
	assert_int_equal(g.wp_id, native);
}

/* Collects up to three orphan ids (ctx: int64_t[4]). */
static void
orphan(void *ctx, int64_t id, int64_t parent)
{
	int64_t *o = ctx;
	int i;

	for (i = 0; i < 3; i++)
		if (o[i] == 0) {
			o[i] = id;
			return;
		}
}

static void
t_finish_links(void **state)
{
	struct fx *f = *state;
	struct post a = wp_post(f, 20, "a", T0, "publish");
	struct post b = wp_post(f, 21, "b", T0, "publish");
	struct comment c, g;
	int64_t pa, pb, cid;
	int created;
	int64_t orphans[4] = { 0 };

	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_post(f->st, &a, &pa, &created), P_OK);
	assert_int_equal(store_import_post(f->st, &b, &pb, &created), P_OK);
	c = wp_comment(pa, 201, 202, T0 + 20); /* parent comes later */
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	c = wp_comment(pa, 202, 0, T0 + 10);
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	c = wp_comment(pa, 203, 9999, T0 + 30); /* never comes */
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	c = wp_comment(pb, 204, 202, T0 + 40); /* parent on another post */
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	c = wp_comment(pb, 205, 205, T0 + 50); /* itself */
	assert_int_equal(store_import_comment(f->st, &c, &cid, &created), P_OK);
	assert_int_equal(store_import_finish(f->st, orphan, orphans), P_OK);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	assert_int_equal(store_comment_get(f->st, &f->a, 201, &g), P_OK);
	assert_int_equal(g.parent_id, 202);
	assert_int_equal(g.wp_parent, 202);
	assert_int_equal(orphans[0], 203);
	assert_int_equal(orphans[1], 204);
	assert_int_equal(orphans[2], 205);
	assert_int_equal(orphans[3], 0);
}

static void
t_pages_terms_images(void **state)
{
	struct fx *f = *state;
	struct post about = wp_post(f, 30, "about", T0, "publish");
	struct post team = wp_post(f, 31, "team", T0, "publish");
	struct post art = wp_post(f, 32, "art", T0, "publish");
	struct wxr_term_row child = { "category", "child", "Child", "top", "",
		"", 5 };
	struct wxr_term_row top = { "category", "top", "Top", "", "", "", 4 };
	struct wxr_item_row img = { 0, 50, "attachment", "https://e.org/i.jpg",
		"i", "A caption", "<item/>", 32 };
	struct post_key k = { PK_PAGE_PATH, 0, "about/team", 0, 0, 0 };
	struct category cat = { 0, "child", "Child" };
	struct post g;
	const char *slug;
	int64_t id;
	int created;

	about.type = team.type = "page";
	team.wp_parent = 30;
	art.wp_thumbnail = 50;
	art.cats = &cat;
	art.ncats = 1;
	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_term(f->st, &child, &created), P_OK);
	assert_int_equal(store_import_term(f->st, &top, &created), P_OK);
	assert_int_equal(store_import_post(f->st, &team, &id, &created), P_OK);
	assert_int_equal(store_import_post(f->st, &about, &id, &created), P_OK);
	assert_int_equal(store_import_post(f->st, &art, &id, &created), P_OK);
	assert_int_equal(store_import_item(f->st, &img, &created), P_OK);
	assert_int_equal(created, 1);
	assert_int_equal(store_import_item(f->st, &img, &created), P_OK);
	assert_int_equal(created, 0);
	assert_int_equal(store_import_finish(f->st, NULL, NULL), P_OK);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	assert_int_equal(store_post_lookup(f->st, &f->a, &k, &g), P_OK);
	assert_int_equal(g.id, 31);
	assert_string_equal(g.path, "about/team");
	assert_int_equal(store_post_get(f->st, &f->a, 32, &g), P_OK);
	assert_string_equal(g.image, "https://e.org/i.jpg");
	assert_string_equal(g.image_caption, "A caption");
	assert_int_equal(store_wp_slug(f->st, &f->a, "category", 5, &slug),
	    P_OK);
	assert_string_equal(slug, "child");
	assert_int_equal(store_wp_slug(f->st, &f->a, "author", 1, &slug), P_OK);
	assert_string_equal(slug, "mira");
}

static void
t_what_readers_see(void **state)
{
	struct fx *f = *state;
	static const char *const st[] = { "publish", "draft", "private",
		"pending", "future", "publish" };
	struct post_query q = { 0 };
	struct post *list, g;
	struct post_key k = { PK_WP_ID, 0, NULL, 0, 0, 0 };
	size_t n, i;
	int64_t id, total;
	int created;

	assert_int_equal(store_import_begin(f->st), P_OK);
	for (i = 0; i < 6; i++) {
		char slug[16];
		struct post p;

		snprintf(slug, sizeof(slug), "s%zu", i);
		p = wp_post(f, 40 + (int64_t)i, slug, T0 - (int64_t)i * DAY,
		    st[i]);
		if (i == 5)
			p.password = "secret";
		assert_int_equal(store_import_post(f->st, &p, &id, &created),
		    P_OK);
	}
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	assert_int_equal(store_post_list(f->st, &f->a, &q, &list, &n, &total),
	    P_OK);
	/* published, and future once its date passed; no password */
	assert_int_equal(n, 2);
	assert_string_equal(list[0].slug, "s0");
	assert_string_equal(list[1].slug, "s4");
	for (i = 0; i < 6; i++) {
		k.wp_id = 40 + (int64_t)i;
		assert_int_equal(store_post_lookup(f->st, &f->a, &k, &g),
		    i == 0 || i == 4 ? P_OK : P_NOTFOUND);
	}
	assert_int_equal(store_post_find(f->st, &f->a, 2024, 3, 14, "s1", &g),
	    P_NOTFOUND);
}

static void
t_lookup_by_slug_and_old_path(void **state)
{
	struct fx *f = *state;
	struct post a = wp_post(f, 60, "same", T0, "publish");
	struct post b = wp_post(f, 61, "same", T0 - 40 * DAY, "publish");
	struct post_key k = { PK_SLUG, 0, "same", 2024, 2, 4 };
	struct post g;
	int64_t id;
	int created;

	b.date_local = "2024-02-05 00:30:00"; /* a day ahead of UTC */
	b.wp_path = "/archives/61";
	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_post(f->st, &a, &id, &created), P_OK);
	assert_int_equal(store_import_post(f->st, &b, &id, &created), P_OK);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	/* the date in the old address picks the right one */
	assert_int_equal(store_post_lookup(f->st, &f->a, &k, &g), P_OK);
	assert_int_equal(g.id, 61);
	k.d = 5; /* WordPress's local day */
	assert_int_equal(store_post_lookup(f->st, &f->a, &k, &g), P_OK);
	assert_int_equal(g.id, 61);
	k.y = k.m = k.d = 0; /* no date: the newest */
	assert_int_equal(store_post_lookup(f->st, &f->a, &k, &g), P_OK);
	assert_int_equal(g.id, 60);
	k.kind = PK_OLD_PATH;
	k.text = "/archives/61";
	assert_int_equal(store_post_lookup(f->st, &f->a, &k, &g), P_OK);
	assert_int_equal(g.id, 61);
}

static void
t_export_reads(void **state)
{
	struct fx *f = *state;
	struct post p = wp_post(f, 70, "x", T0, "draft"), *rows;
	struct tag tag = { 0, "t1", "Tag One" };
	struct user *users;
	struct wxr_term_row *terms;
	size_t n;
	int64_t id;
	int created;

	p.tags = &tag;
	p.ntags = 1;
	assert_int_equal(store_import_begin(f->st), P_OK);
	assert_int_equal(store_import_post(f->st, &p, &id, &created), P_OK);
	assert_int_equal(store_import_end(f->st, 1), P_OK);
	assert_int_equal(store_export_posts(f->st, &f->a, 0, 10, &rows, &n),
	    P_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].wp_status, "draft");
	assert_string_equal(rows[0].wxr_extra, "<kept/>");
	assert_int_equal(rows[0].ntags, 1);
	assert_string_equal(rows[0].tags[0].name, "Tag One");
	assert_int_equal(store_export_posts(f->st, &f->a, 70, 10, &rows, &n),
	    P_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_export_users(f->st, &f->a, &users, &n), P_OK);
	assert_int_equal(n, 1);
	assert_string_equal(users[0].wp_login, "Mira");
	assert_int_equal(store_export_terms(f->st, &f->a, &terms, &n), P_OK);
	assert_int_equal(n, 1);
	assert_string_equal(terms[0].taxonomy, "post_tag");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_rollback_leaves_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(t_ids_kept_and_idempotent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(t_taken_id_and_slug_clash,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(t_finish_links, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_pages_terms_images, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_what_readers_see, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(t_lookup_by_slug_and_old_path,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(t_export_reads, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("store_wxr", tests, NULL, NULL);
}
