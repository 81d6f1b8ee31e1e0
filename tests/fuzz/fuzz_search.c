/* fuzz_search.c: whatever a reader types in the search box, the store
 * answers P_OK with hits it can vouch for: its query side turns text FTS5
 * refuses into quoted words, and the snippets it returns carry only
 * balanced match markers. A small site is made once, in a temporary
 * directory, and every input is searched for each kind. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct store *st;
static char dir[] = "/tmp/parley-fuzz-search-XXXXXX";
static char path[64];

static void
cleanup(void)
{
	if (st)
		store_close(st);
	st = NULL;
	unlink(path);
	snprintf(path, sizeof(path), "%s/parley.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/parley.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const bodies[] = { "Why the *Night Train* came back",
		"Le café est fermé; naïve questions about trams",
		"\"quoted\" words AND operators OR NOT near NEAR(x y)" };
	struct post p;
	struct comment c;
	int64_t uid, pid;
	size_t i;

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/parley.db", dir);
	if (store_open_sqlite(path, 1, &st) != P_OK ||
	    store_user_ensure(st, "u", "U", &uid) != P_OK)
		abort();
	atexit(cleanup);
	for (i = 0; i < 3; i++) {
		char slug[8];

		memset(&p, 0, sizeof(p));
		snprintf(slug, sizeof(slug), "p%zu", i);
		p.slug = slug;
		p.title = bodies[i];
		p.author_id = uid;
		p.published = 1700000000 + (int64_t)i;
		p.body_md = bodies[(i + 1) % 3];
		p.body_html = "<p>x</p>";
		if (store_post_add(st, &p, &pid) != P_OK)
			abort();
		memset(&c, 0, sizeof(c));
		c.post_id = pid;
		c.author = "Zoë";
		c.body_md = bodies[(i + 2) % 3];
		c.body_html = "<p>x</p>";
		c.created = p.published + 60;
		c.status = CS_APPROVED;
		if (store_comment_add(st, &c, NULL) != P_OK)
			abort();
	}
	return 0;
}

/* Markers come in ON..OFF pairs, never nested. */
static void
balanced(const char *s)
{
	int open = 0;

	for (; *s; s++) {
		if (*s == SEARCH_MARK_ON_BYTE) {
			assert(!open);
			open = 1;
		} else if (*s == SEARCH_MARK_OFF_BYTE) {
			assert(open);
			open = 0;
		}
	}
	assert(!open);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct search_query q;
	struct search_hit *h;
	struct arena a;
	char *text;
	size_t n, i;
	int64_t total;
	int k;

	if (size > 512)
		return 0;
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	arena_init(&a);
	for (k = SEARCH_ALL; k <= SEARCH_COMMENTS; k++) {
		memset(&q, 0, sizeof(q));
		q.text = text;
		q.kind = (enum search_kind)k;
		q.limit = 10;
		assert(store_search(st, &a, &q, &h, &n, &total, NULL) == P_OK);
		assert((int64_t)n <= total && n <= 10);
		for (i = 0; i < n; i++) {
			balanced(h[i].title);
			balanced(h[i].snippet);
			assert(k != SEARCH_POSTS || h[i].comment_id == 0);
			assert(k != SEARCH_COMMENTS || h[i].comment_id != 0);
		}
	}
	arena_free(&a);
	free(text);
	return 0;
}
