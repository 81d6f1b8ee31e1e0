/* store.h: the one storage interface. Handlers and the CLI never see SQL;
 * this module never builds HTML (it stores HTML rendered by render/).
 * Rows returned live in the caller's arena: never free() them.
 * Every write is durable when it returns P_OK (committed transaction).
 * A struct store is safe to share between threads: each backend serialises
 * or pools connections internally.
 * Backends sit behind struct store_ops; the suite in tests/unit/test_store.c
 * runs against every backend. */
#ifndef PARLEY_STORE_H
#define PARLEY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/err.h"

enum cstatus { CS_PENDING = 0, CS_APPROVED, CS_SPAM, CS_TRASH };

/* "pending", "approved", "spam", "trash"; parse returns -1 if unknown. */
const char *cstatus_str(enum cstatus s);
int cstatus_parse(const char *s);

struct category {
	int64_t id;
	const char *slug;
	const char *name;
};

struct user {
	int64_t id;
	const char *login; /* slug-shaped; used in /author/LOGIN/ */
	const char *name;  /* display name */
};

struct post {
	int64_t id;
	const char *slug;
	const char *title;
	int64_t author_id;
	const char *author_login;
	const char *author_name;
	int64_t published;         /* unix seconds, UTC */
	const char *body_md;       /* source as written */
	const char *body_html;     /* rendered at write time (trusted) */
	const char *excerpt;       /* plain text, no markup */
	const char *image;         /* featured image URL or path, may be "" */
	const char *image_caption; /* may be "" */
	int comments_open;         /* per-article flag */
	int64_t n_approved;        /* approved comments (read only) */
	struct category *cats;     /* arena-owned array */
	size_t ncats;
};

struct comment {
	int64_t id;
	int64_t post_id;
	int64_t parent_id; /* 0 = reply to the article */
	const char *author;
	const char *email;
	const char *url;       /* commenter's site, "" if none; http(s) only */
	const char *ip;
	const char *commenter; /* opaque id from the signed cookie, "" if none */
	int64_t user_id;       /* 0 unless written by a site user */
	const char *body_md;
	const char *body_html; /* rendered at write time (sanitised) */
	int64_t created;       /* unix seconds, UTC */
	enum cstatus status;
	const char *held_reason; /* why it was held or spammed, "" if not */
};

struct post_query {
	const char *category_slug; /* NULL = any */
	const char *author_login;  /* NULL = any */
	int64_t offset;
	int64_t limit;
};

struct store;

struct store_ops {
	const char *name;
	/* Open (creating if asked) and migrate to the newest schema. */
	enum perr (*open)(const char *path, int create, struct store **out);
	void (*close)(struct store *st);
	/* Small key/value table for site-wide values (secret key, ...). */
	enum perr (*meta_get)(struct store *st, struct arena *a, const char *key,
	    const char **val);
	enum perr (*meta_set)(struct store *st, const char *key, const char *val);
	/* Find or create a user by login; name is used only on create. */
	enum perr (*user_ensure)(struct store *st, const char *login,
	    const char *name, int64_t *id);
	enum perr (*user_get)(struct store *st, struct arena *a,
	    const char *login, struct user *out);
	/* Insert a post. p->author_id must exist; p->cats are found by slug
	 * or created (id ignored). Fails P_CONFLICT if (day, slug) exists. */
	enum perr (*post_add)(struct store *st, const struct post *p,
	    int64_t *id);
	enum perr (*post_get)(struct store *st, struct arena *a, int64_t id,
	    struct post *out);
	/* By permalink: UTC date of publication + slug. */
	enum perr (*post_find)(struct store *st, struct arena *a, int y, int m,
	    int d, const char *slug, struct post *out);
	/* Newest first. *total = rows matching q ignoring offset/limit. */
	enum perr (*post_list)(struct store *st, struct arena *a,
	    const struct post_query *q, struct post **out, size_t *n,
	    int64_t *total);
	enum perr (*post_set_open)(struct store *st, int64_t id, int open);
	enum perr (*category_get)(struct store *st, struct arena *a,
	    const char *slug, struct category *out);
	/* Every category that has at least one listed post, by name. */
	enum perr (*category_list)(struct store *st, struct arena *a,
	    struct category **out, size_t *n);
	/* Insert a comment; parent (if any) must belong to the same post.
	 * Sets *id. Durable on return. */
	enum perr (*comment_add)(struct store *st, const struct comment *c,
	    int64_t *id);
	enum perr (*comment_get)(struct store *st, struct arena *a, int64_t id,
	    struct comment *out);
	/* Every comment of a post, any status, ordered by (created, id). */
	enum perr (*comment_list_post)(struct store *st, struct arena *a,
	    int64_t post_id, struct comment **out, size_t *n);
	/* Comments with a status, newest first. */
	enum perr (*comment_list_status)(struct store *st, struct arena *a,
	    enum cstatus s, int64_t offset, int64_t limit,
	    struct comment **out, size_t *n);
	enum perr (*comment_set_status)(struct store *st, int64_t id,
	    enum cstatus s);
	/* *known = 1 if an approved comment exists with this commenter id and
	 * this e-mail (case-insensitive). */
	enum perr (*commenter_known)(struct store *st, const char *commenter,
	    const char *email, int *known);
	/* A number that changes whenever a write has been committed to the
	 * store, by this process or another (the CLI approving a comment
	 * while a server runs). Cheap enough for every request, and never
	 * waits for a writer's commit to reach the disk. */
	enum perr (*data_version)(struct store *st, int64_t *v);
	/* Pending comments of one post written by commenter (the id in the
	 * reader's signed cookie), ordered by (created, id). "" finds none. */
	enum perr (*comment_list_mine)(struct store *st, struct arena *a,
	    int64_t post_id, const char *commenter, struct comment **out,
	    size_t *n);
	/* Publication time of the next scheduled post after now (what readers
	 * will see appear without any write), or 0 if none. */
	enum perr (*post_next_scheduled)(struct store *st, int64_t now,
	    int64_t *t);
	/* durable 0: commits no longer wait for the disk (bulk loading by
	 * `parley bench-data` only; a crash may lose the last writes);
	 * durable 1 (the default): P_OK means durable again. */
	enum perr (*set_durable)(struct store *st, int durable);
	/* What changed since change number after, for page caches: up to max
	 * post ids into ids (0 = something every page may show: a post's
	 * title, a category, an author), *last = the newest change number.
	 * after < 0 just reads *last. P_CONFLICT if after is older than the
	 * log keeps, or more than max changes are pending: drop everything.
	 * Every write, by any process, is logged in its own transaction. */
	enum perr (*changes_since)(struct store *st, int64_t after,
	    int64_t *ids, size_t max, size_t *n, int64_t *last);
};

struct store {
	const struct store_ops *ops;
};

/* Open the store for a site directory's database file. */
enum perr store_open_sqlite(const char *path, int create, struct store **out);
extern const struct store_ops store_sqlite_ops;

/* Dispatch helpers, so callers write store_post_get(st, ...). */
#define store_close(st) ((st)->ops->close(st))
#define store_meta_get(st, ...) ((st)->ops->meta_get((st), __VA_ARGS__))
#define store_meta_set(st, ...) ((st)->ops->meta_set((st), __VA_ARGS__))
#define store_user_ensure(st, ...) ((st)->ops->user_ensure((st), __VA_ARGS__))
#define store_user_get(st, ...) ((st)->ops->user_get((st), __VA_ARGS__))
#define store_post_add(st, ...) ((st)->ops->post_add((st), __VA_ARGS__))
#define store_post_get(st, ...) ((st)->ops->post_get((st), __VA_ARGS__))
#define store_post_find(st, ...) ((st)->ops->post_find((st), __VA_ARGS__))
#define store_post_list(st, ...) ((st)->ops->post_list((st), __VA_ARGS__))
#define store_post_set_open(st, ...) ((st)->ops->post_set_open((st), __VA_ARGS__))
#define store_category_get(st, ...) ((st)->ops->category_get((st), __VA_ARGS__))
#define store_category_list(st, ...) ((st)->ops->category_list((st), __VA_ARGS__))
#define store_comment_add(st, ...) ((st)->ops->comment_add((st), __VA_ARGS__))
#define store_comment_get(st, ...) ((st)->ops->comment_get((st), __VA_ARGS__))
#define store_comment_list_post(st, ...) ((st)->ops->comment_list_post((st), __VA_ARGS__))
#define store_comment_list_status(st, ...) ((st)->ops->comment_list_status((st), __VA_ARGS__))
#define store_comment_set_status(st, ...) ((st)->ops->comment_set_status((st), __VA_ARGS__))
#define store_commenter_known(st, ...) ((st)->ops->commenter_known((st), __VA_ARGS__))
#define store_data_version(st, ...) ((st)->ops->data_version((st), __VA_ARGS__))
#define store_comment_list_mine(st, ...) ((st)->ops->comment_list_mine((st), __VA_ARGS__))
#define store_post_next_scheduled(st, ...) ((st)->ops->post_next_scheduled((st), __VA_ARGS__))
#define store_set_durable(st, ...) ((st)->ops->set_durable((st), __VA_ARGS__))
#define store_changes_since(st, ...) ((st)->ops->changes_since((st), __VA_ARGS__))

#endif
