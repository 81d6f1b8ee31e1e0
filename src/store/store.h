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

/* A post's state as authors see it, derived from posts.status, which
 * holds WordPress's word (struct post.wp_status): 'publish' and 'future'
 * are published, or scheduled while dated in the future; 'draft',
 * 'pending', 'private' (and anything else) are drafts: never public.
 * The editor writes 'draft' or 'publish'. */
enum pstatus { PS_PUBLISHED = 0, PS_DRAFT, PS_SCHEDULED };
const char *pstatus_str(enum pstatus s); /* "published", "draft", "scheduled" */

/* "pending", "approved", "spam", "trash"; parse returns -1 if unknown. */
const char *cstatus_str(enum cstatus s);
int cstatus_parse(const char *s);

struct category {
	int64_t id;
	const char *slug;
	const char *name;
};

/* Same shape as a category; a separate type so the two are not mixed. */
struct tag {
	int64_t id;
	const char *slug;
	const char *name;
};

struct user {
	int64_t id;
	const char *login; /* slug-shaped; used in /author/LOGIN/ */
	const char *name;  /* display name */
	/* WordPress import/export (wxr/). Imported authors get no password
	 * (they must set one); read by export_users only. */
	const char *email, *first_name, *last_name;
	int64_t wp_id;        /* WordPress author id, 0 if none */
	const char *wp_login; /* WordPress login as written, NULL if none */
	const char *wxr_extra;
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
	struct tag *tags;          /* arena-owned array, by name; found by
	                            * slug or created when saved */
	size_t ntags;
	/* Plain text of the body (no markup) for the search index, made by
	 * the writer with the HTML; "" or NULL = index body_md instead. */
	const char *body_text;
	int64_t last_comment;      /* newest approved comment, 0 if none
	                            * (read only) */
	/* Added for the admin side (issue 3). */
	enum pstatus status;       /* draft / scheduled / published */
	int64_t modified;          /* last saved, unix seconds; 0 = unknown */
	/* WordPress import/export (wxr/). Zero values describe a post
	 * written in Parley: a Markdown article. Readers see a post only
	 * if it is public: post_is_public() in handler/page.h, the same
	 * rule as PUBLIC in store/sqlite.c. */
	const char *wp_status;  /* posts.status as stored, WordPress's word:
	                         * "publish", "future", "draft", "pending",
	                         * "private". status above is derived from it
	                         * (read only); a writer may set it to keep a
	                         * WordPress status that agrees with status
	                         * (NULL/"" = from status). */
	const char *type;       /* NULL/"" = "post"; "page" */
	const char *path;       /* a page's address: "about/team" (/about/team/) */
	const char *format;     /* NULL/"" = "markdown"; "html": body_md is the
	                         * WordPress HTML it came with */
	const char *password;   /* non-empty: never shown to readers */
	const char *date_local; /* as WordPress wrote it, "" if none */
	const char *date_gmt;
	const char *guid;
	int excerpt_auto;       /* excerpt made from the body, not written */
	int64_t wp_id;          /* WordPress post id, 0 if none (/?p=ID) */
	int64_t wp_parent;      /* pages: WordPress id of the parent page */
	const char *wp_name;    /* "" if WordPress had no post_name, else NULL */
	const char *wp_path;    /* path of the old WordPress permalink, "" */
	int64_t wp_thumbnail;   /* WordPress id of the featured image */
	const char *wxr_extra;  /* kept WXR elements (export reads only) */
};

struct comment {
	int64_t id;
	int64_t post_id;
	int64_t parent_id; /* 0 = reply to the article */
	const char *author;
	const char *email;
	const char *url;       /* commenter's site, "" if none; http(s) for
	                        * comments written here; imported ones keep
	                        * what WordPress had (link only http(s)) */
	const char *ip;
	const char *commenter; /* opaque id from the signed cookie, "" if none */
	int64_t user_id;       /* 0 unless written by a site user */
	const char *body_md;
	const char *body_html; /* rendered at write time (sanitised) */
	int64_t created;       /* unix seconds, UTC */
	enum cstatus status;
	const char *held_reason; /* why it was held or spammed, "" if not */
	int moderator_edited;    /* text changed by a moderator (shown) */
	/* Plain text of the body for the search index, as for posts. */
	const char *body_text;
	/* WordPress import/export (wxr/); zero values for comments written
	 * here. An imported comment keeps its WordPress id as its id when
	 * that id is free, so #comment-N anchors keep working. */
	const char *type;        /* NULL/"" = "comment"; "pingback", ... */
	const char *format;      /* NULL/"" = "markdown"; "html" (WordPress) */
	const char *date_local, *date_gmt;
	int64_t wp_id;           /* WordPress comment id, 0 if none */
	int64_t wp_parent;       /* WordPress parent id as written */
	int64_t wp_user_id;
	const char *wp_approved; /* comment_approved as written */
	const char *wxr_extra;   /* commentmeta and unknown elements */
};

/* A site account (login, password, role). role is "admin", "editor" or
 * "author" (auth/auth.h parses it); pw_hash is an argon2id string or ""
 * for an account that cannot log in (imported or demo authors). */
struct account {
	int64_t id;
	const char *login;
	const char *name;
	const char *role;
	const char *pw_hash;
	int64_t created;
	int64_t nposts; /* read only: posts written */
};

/* A logged-in browser. Only the hash of the cookie's token is stored. */
struct session {
	int64_t user_id;
	const char *csrf; /* per-session CSRF token (hex) */
	int64_t expires;
	struct account user;
};

/* The admin post list: every status, newest change first. */
struct post_admin_query {
	int status;         /* -1 = any, else enum pstatus */
	const char *search; /* words in the title, NULL/"" = any */
	int64_t author_id;  /* 0 = any */
	int64_t offset, limit;
};

/* The moderation queue. */
struct comment_admin_query {
	enum cstatus status;
	int64_t post_author_id; /* 0 = any (only this author's posts) */
	int64_t post_id;        /* 0 = any */
	int64_t offset, limit;
};

/* A queue row: the comment and what the moderator needs of its post. */
struct comment_row {
	struct comment c;
	int64_t post_author_id;
	const char *post_title;
	const char *post_slug;
	int64_t post_published;
};

/* An uploaded image, content-addressed: hash is the SHA-256 (hex) of
 * its bytes. data is only filled when asked for. */
struct media {
	const char *hash;
	const char *type; /* image/jpeg, image/png, image/webp, image/gif */
	const char *name; /* original file name, for people only */
	int64_t size, width, height;
	int64_t user_id;
	int64_t created;
	const unsigned char *data;
};

/* WordPress data Parley keeps only to write it back (wxr/). */
struct wxr_term_row {
	const char *taxonomy; /* "category", "post_tag", "nav_menu", ... */
	const char *slug, *name, *parent, *description, *extra;
	int64_t wp_id;
};

/* An item Parley does not show: an attachment (url, caption), a menu
 * item, a revision, a custom type. xml is the whole <item>. */
struct wxr_item_row {
	int64_t id; /* Parley's row id (export paging) */
	int64_t wp_id;
	const char *type, *url, *title, *caption, *xml;
	int64_t parent;
};

/* Old WordPress addresses (handler/legacy.c): which public post. */
enum post_key_kind {
	PK_WP_ID,     /* wp_id: a post or page by WordPress id (/?p=ID) */
	PK_OLD_PATH,  /* text: the path of its WordPress permalink */
	PK_SLUG,      /* text: a post (else a page) by slug; y/m/d (0 = any)
	               * prefer posts of that date */
	PK_PAGE_PATH, /* text: a page by its path ("about/team") */
	PK_ATTACHMENT /* wp_id: the post an attachment belongs to */
};

struct post_key {
	enum post_key_kind kind;
	int64_t wp_id;
	const char *text;
	int y, m, d;
};

struct post_query {
	const char *category_slug; /* NULL = any */
	const char *author_login;  /* NULL = any */
	int64_t offset;
	int64_t limit;
	const char *tag_slug;      /* NULL = any */
	int64_t from, until;       /* published in [from, until); 0 = open */
};

/* Search (the search op). The index holds published articles and
 * approved comments only; a comment leaves it in the transaction that
 * changes its status, text or existence. Text is folded for case and
 * accents ("cafe" finds "Café"). */
enum search_kind { SEARCH_ALL = 0, SEARCH_POSTS, SEARCH_COMMENTS };

/* Bytes put around matched words in search_hit.title and .snippet. Stored
 * text never holds them (C0 controls are refused on input). */
#define SEARCH_MARK_ON "\x02"
#define SEARCH_MARK_OFF "\x03"
#define SEARCH_MARK_ON_BYTE 0x02
#define SEARCH_MARK_OFF_BYTE 0x03

struct search_query {
	const char *text; /* FTS5 syntax ("night train", "tram*", a OR b);
	                   * malformed syntax is retried as plain words */
	enum search_kind kind;
	int64_t offset;
	int64_t limit;
};

struct search_hit {
	/* The article the hit is in: id, slug, title, published,
	 * author_login, author_name and n_approved (no bodies). */
	struct post post;
	int64_t comment_id;   /* 0 = the article itself matched */
	const char *who;      /* commenter's name ("" for articles) */
	int64_t date;         /* published, or the comment's created */
	const char *title;    /* article title, matches marked */
	const char *snippet;  /* text around the matches, marked */
};

/* Archives for sitemaps: one row per category, tag, author or month that
 * has listed posts. */
enum archive_kind { ARCH_CATEGORY, ARCH_TAG, ARCH_AUTHOR, ARCH_MONTH };

struct archive {
	const char *key;  /* slug, login, or "YYYY-MM" */
	const char *name; /* display name ("YYYY-MM" for months) */
	int64_t count;    /* listed posts */
	int64_t lastmod;  /* newest publication or approved comment there */
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
	/* By permalink: UTC date of publication + slug; for readers, so
	 * body_md and body_text are left "" (post_get has them). */
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
	/* One snapshot for a run of reads by the calling thread (a page):
	 * the reads between read_begin and read_end see the store as at the
	 * first of them, and share one read transaction instead of paying
	 * for one each. For reads only: a write in between is not seen by
	 * the reads after it. May do nothing (the reads then each see the
	 * latest commit, as without it). */
	void (*read_begin)(struct store *st);
	void (*read_end)(struct store *st);
	/* Every comment of a post, any status, ordered by (created, id). */
	enum perr (*comment_list_post)(struct store *st, struct arena *a,
	    int64_t post_id, struct comment **out, size_t *n);
	/* What a thread page needs of a post's comments, in the same order:
	 * the approved ones, the pending ones whose commenter id is viewer
	 * (NULL: none), and every comment above one of those (thread_build
	 * makes them placeholders). Other comments of the post may come too
	 * (thread_build drops them): all of them when they are few, none
	 * when there are many. Only the fields a page shows are read: id,
	 * post_id, parent_id, author, url, commenter, user_id, body_html,
	 * created, status, moderator_edited (others "" or 0). */
	enum perr (*comment_list_thread)(struct store *st, struct arena *a,
	    int64_t post_id, const char *viewer, struct comment **out,
	    size_t *n);
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

	/* ---- Accounts, sessions, editing, moderation, media (issue 3). */
	/* New account; P_CONFLICT if the login exists. Sets *id. */
	enum perr (*account_add)(struct store *st, const struct account *u,
	    int64_t *id);
	/* By id when id > 0, else by login. */
	enum perr (*account_get)(struct store *st, struct arena *a, int64_t id,
	    const char *login, struct account *out);
	/* Every account, by login, with its post count. */
	enum perr (*account_list)(struct store *st, struct arena *a,
	    struct account **out, size_t *n);
	/* Sets name, role and pw_hash of u->id; a NULL field is left as it
	 * is. A new pw_hash ends every session of the account. */
	enum perr (*account_update)(struct store *st, const struct account *u);
	/* Deletes the account and its sessions. Its posts go to reassign_to
	 * (an existing account); with 0 an account that has posts is
	 * P_CONFLICT. Its comments keep their text, without the link. */
	enum perr (*account_delete)(struct store *st, int64_t id,
	    int64_t reassign_to);
	/* Records a session (and drops expired ones). */
	enum perr (*session_add)(struct store *st, const char *token_hash,
	    int64_t user_id, const char *csrf, const char *ip, int64_t now,
	    int64_t expires);
	/* The unexpired session with this token hash, with its account. */
	enum perr (*session_get)(struct store *st, struct arena *a,
	    const char *token_hash, int64_t now, struct session *out);
	enum perr (*session_delete)(struct store *st, const char *token_hash);
	/* Insert (p->id == 0) or update post p->id with every field, its
	 * categories and tags (found by slug or created). When a post that
	 * readers could see changes its day or slug, the old address is kept
	 * as a redirect. P_CONFLICT if (day, slug) is taken. Sets *id. */
	enum perr (*post_save)(struct store *st, const struct post *p,
	    int64_t *id);
	/* *taken = 1 if a post other than except_id has this slug (any day,
	 * any status) or an old address of another post uses it. */
	enum perr (*post_slug_taken)(struct store *st, const char *slug,
	    int64_t except_id, int *taken);
	/* Posts of every status, newest first; counts[] per enum pstatus of
	 * everything matching the author (not status or search). */
	enum perr (*post_list_admin)(struct store *st, struct arena *a,
	    const struct post_admin_query *q, struct post **out, size_t *n,
	    int64_t *total, int64_t counts[3]);
	/* The post that used to live at /y/m/d/slug/, if any. */
	enum perr (*post_redirect_find)(struct store *st, int y, int m, int d,
	    const char *slug, int64_t *post_id);
	/* Deletes a post with its comments and links. */
	enum perr (*post_delete)(struct store *st, int64_t id);
	/* Every category / tag there is, by name (for the editor). */
	enum perr (*category_list_all)(struct store *st, struct arena *a,
	    struct category **out, size_t *n);
	enum perr (*tag_list_all)(struct store *st, struct arena *a,
	    struct tag **out, size_t *n);
	/* The moderation queue, newest first; *total ignores offset/limit. */
	enum perr (*comment_list_admin)(struct store *st, struct arena *a,
	    const struct comment_admin_query *q, struct comment_row **out,
	    size_t *n, int64_t *total);
	/* Comments per enum cstatus (on post_author_id's posts if > 0). */
	enum perr (*comment_counts)(struct store *st, int64_t post_author_id,
	    int64_t counts[4]);
	/* Back from spam or trash to the status it had before (pending if
	 * unknown). P_CONFLICT if it is neither spam nor trash. */
	enum perr (*comment_restore)(struct store *st, int64_t id);
	/* Deletes a comment for good; its replies move up to its parent.
	 * P_CONFLICT unless it is in spam or trash. */
	enum perr (*comment_delete)(struct store *st, int64_t id);
	/* A moderator's edit of c->id: author, email, url, body_md,
	 * body_html, body_text; marks it moderator_edited. */
	enum perr (*comment_edit)(struct store *st, const struct comment *c);
	/* Stores an image (a second upload of the same bytes is P_OK). */
	enum perr (*media_put)(struct store *st, const struct media *m);
	enum perr (*media_get)(struct store *st, struct arena *a,
	    const char *hash, int with_data, struct media *out);
	/* Newest first, without data. */
	enum perr (*media_list)(struct store *st, struct arena *a,
	    int64_t offset, int64_t limit, struct media **out, size_t *n,
	    int64_t *total);
	enum perr (*media_delete)(struct store *st, const char *hash);

	/* --- feeds, search, archives (issue 5) --- */
	enum perr (*tag_get)(struct store *st, struct arena *a,
	    const char *slug, struct tag *out);
	/* Newest of: any write to posts, comments, categories, tags, users,
	 * media, old addresses or the settings page's values (the newest
	 * entry of the change log changes_since reads, kept by triggers, so
	 * every writer counts, the CLI included), and the newest listed
	 * publication at or before now. Unix seconds. */
	enum perr (*last_change)(struct store *st, int64_t now, int64_t *at);
	/* Ranked hits (best first) for q; *total = the hits that can be
	 * paged through. Only the LIM_SEARCH_RANKED matches of each kind
	 * added last are ranked: *more = 1 when an older visible one was
	 * left out (total is then a lower bound). A query with no words
	 * gives none. Never fails for the query's syntax. total and more may
	 * be NULL. */
	enum perr (*search)(struct store *st, struct arena *a,
	    const struct search_query *q, struct search_hit **out, size_t *n,
	    int64_t *total, int *more);
	/* Approved comments on listed posts, newest first; post_id 0 = every
	 * post. limit 0 = no limit. */
	enum perr (*comment_list_recent)(struct store *st, struct arena *a,
	    int64_t post_id, int64_t limit, struct comment **out, size_t *n);
	/* Archives of one kind that have listed posts: categories, tags and
	 * authors by name, months newest first. */
	enum perr (*archive_list)(struct store *st, struct arena *a,
	    enum archive_kind k, struct archive **out, size_t *n);

	/* ---- WordPress import (wxr/import.c) ----
	 * import_begin opens one write transaction that stays open across
	 * the import_* calls; import_end(st, 1) commits it, import_end(st, 0)
	 * rolls every one of them back. In between, use only import_* ops
	 * and comment_get (it opens no transaction) on st, from one thread.
	 * *created = 0 when the record was already
	 * there (same WordPress id, or same login/slug): it is left as is. */
	enum perr (*import_begin)(struct store *st);
	enum perr (*import_end)(struct store *st, int commit);
	/* By wp_login, else login (slug-shaped); created without password. */
	enum perr (*import_user)(struct store *st, const struct user *u,
	    int64_t *id, int *created);
	/* Categories and tags get their Parley row (by slug); every term's
	 * WordPress data is kept. Parents are slugs, linked by finish. */
	enum perr (*import_term)(struct store *st, const struct wxr_term_row *t,
	    int *created);
	/* Insert p with its cats and tags (found by slug or created); id =
	 * wp_id when that id is free. A (day, slug) clash gets "-2", "-3"...
	 * An existing wp_id: *id is that post, nothing changes. posts.status
	 * is p->wp_status (WordPress's word; p->status is ignored); body_text
	 * goes to the search index like any writer's. */
	enum perr (*import_post)(struct store *st, const struct post *p,
	    int64_t *id, int *created);
	/* Rewrite a post this import created (fields that came late); its
	 * slug, hence its address, stays. */
	enum perr (*import_post_update)(struct store *st, int64_t id,
	    const struct post *p);
	/* Insert c (parent_id ignored: finish links wp_parent); id = wp_id
	 * when free; user_id from wp_user_id when that author is known. */
	enum perr (*import_comment)(struct store *st, const struct comment *c,
	    int64_t *id, int *created);
	enum perr (*import_item)(struct store *st, const struct wxr_item_row *it,
	    int *created);
	/* An unknown child of <channel>, kept once. */
	enum perr (*import_channel_extra)(struct store *st, const char *xml,
	    int *created);
	/* After the last record, for what this import added: comment
	 * parents (same post only; the others are reported to orphan() and
	 * stay top-level), category parents, page paths, featured images. */
	enum perr (*import_finish)(struct store *st,
	    void (*orphan)(void *ctx, int64_t id, int64_t wp_parent), void *ctx);

	/* ---- WordPress export (wxr/export.c): everything, any status ---- */
	enum perr (*export_users)(struct store *st, struct arena *a,
	    struct user **out, size_t *n);
	/* Categories (with parent slugs), tags, then other kept terms. */
	enum perr (*export_terms)(struct store *st, struct arena *a,
	    struct wxr_term_row **out, size_t *n);
	/* Posts and pages with id > after_id, by id, at most limit, with
	 * cats, tags and wxr_extra. */
	enum perr (*export_posts)(struct store *st, struct arena *a,
	    int64_t after_id, int64_t limit, struct post **out, size_t *n);
	enum perr (*export_items)(struct store *st, struct arena *a,
	    int64_t after_wp_id, int64_t limit, struct wxr_item_row **out,
	    size_t *n);
	enum perr (*export_channel)(struct store *st, struct arena *a,
	    const char ***xml, size_t *n);

	/* ---- old WordPress addresses ---- */
	/* A public post or page by k; P_NOTFOUND if none. */
	enum perr (*post_lookup)(struct store *st, struct arena *a,
	    const struct post_key *k, struct post *out);
	/* Slug of the category ("category"), tag ("post_tag") or login of
	 * the author ("author") with this WordPress id. */
	enum perr (*wp_slug)(struct store *st, struct arena *a,
	    const char *kind, int64_t wp_id, const char **slug);
	/* --- page cache (issue 6) --- */
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
	 * title, a category, an author, a setting; -1 = nothing a shared
	 * page shows: a held comment), *last = the newest change number.
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
#define store_read_begin(st) ((st)->ops->read_begin((st)))
#define store_read_end(st) ((st)->ops->read_end((st)))
#define store_comment_list_thread(st, ...) ((st)->ops->comment_list_thread((st), __VA_ARGS__))
#define store_comment_list_status(st, ...) ((st)->ops->comment_list_status((st), __VA_ARGS__))
#define store_comment_set_status(st, ...) ((st)->ops->comment_set_status((st), __VA_ARGS__))
#define store_commenter_known(st, ...) ((st)->ops->commenter_known((st), __VA_ARGS__))
#define store_account_add(st, ...) ((st)->ops->account_add((st), __VA_ARGS__))
#define store_account_get(st, ...) ((st)->ops->account_get((st), __VA_ARGS__))
#define store_account_list(st, ...) ((st)->ops->account_list((st), __VA_ARGS__))
#define store_account_update(st, ...) ((st)->ops->account_update((st), __VA_ARGS__))
#define store_account_delete(st, ...) ((st)->ops->account_delete((st), __VA_ARGS__))
#define store_session_add(st, ...) ((st)->ops->session_add((st), __VA_ARGS__))
#define store_session_get(st, ...) ((st)->ops->session_get((st), __VA_ARGS__))
#define store_session_delete(st, ...) ((st)->ops->session_delete((st), __VA_ARGS__))
#define store_post_save(st, ...) ((st)->ops->post_save((st), __VA_ARGS__))
#define store_post_slug_taken(st, ...) ((st)->ops->post_slug_taken((st), __VA_ARGS__))
#define store_post_list_admin(st, ...) ((st)->ops->post_list_admin((st), __VA_ARGS__))
#define store_post_redirect_find(st, ...) ((st)->ops->post_redirect_find((st), __VA_ARGS__))
#define store_post_delete(st, ...) ((st)->ops->post_delete((st), __VA_ARGS__))
#define store_category_list_all(st, ...) ((st)->ops->category_list_all((st), __VA_ARGS__))
#define store_tag_list_all(st, ...) ((st)->ops->tag_list_all((st), __VA_ARGS__))
#define store_comment_list_admin(st, ...) ((st)->ops->comment_list_admin((st), __VA_ARGS__))
#define store_comment_counts(st, ...) ((st)->ops->comment_counts((st), __VA_ARGS__))
#define store_comment_restore(st, ...) ((st)->ops->comment_restore((st), __VA_ARGS__))
#define store_comment_delete(st, ...) ((st)->ops->comment_delete((st), __VA_ARGS__))
#define store_comment_edit(st, ...) ((st)->ops->comment_edit((st), __VA_ARGS__))
#define store_media_put(st, ...) ((st)->ops->media_put((st), __VA_ARGS__))
#define store_media_get(st, ...) ((st)->ops->media_get((st), __VA_ARGS__))
#define store_media_list(st, ...) ((st)->ops->media_list((st), __VA_ARGS__))
#define store_media_delete(st, ...) ((st)->ops->media_delete((st), __VA_ARGS__))
#define store_tag_get(st, ...) ((st)->ops->tag_get((st), __VA_ARGS__))
#define store_last_change(st, ...) ((st)->ops->last_change((st), __VA_ARGS__))
#define store_search(st, ...) ((st)->ops->search((st), __VA_ARGS__))
#define store_comment_list_recent(st, ...) ((st)->ops->comment_list_recent((st), __VA_ARGS__))
#define store_archive_list(st, ...) ((st)->ops->archive_list((st), __VA_ARGS__))
#define store_import_begin(st) ((st)->ops->import_begin(st))
#define store_import_end(st, ...) ((st)->ops->import_end((st), __VA_ARGS__))
#define store_import_user(st, ...) ((st)->ops->import_user((st), __VA_ARGS__))
#define store_import_term(st, ...) ((st)->ops->import_term((st), __VA_ARGS__))
#define store_import_post(st, ...) ((st)->ops->import_post((st), __VA_ARGS__))
#define store_import_post_update(st, ...) ((st)->ops->import_post_update((st), __VA_ARGS__))
#define store_import_comment(st, ...) ((st)->ops->import_comment((st), __VA_ARGS__))
#define store_import_item(st, ...) ((st)->ops->import_item((st), __VA_ARGS__))
#define store_import_channel_extra(st, ...) ((st)->ops->import_channel_extra((st), __VA_ARGS__))
#define store_import_finish(st, ...) ((st)->ops->import_finish((st), __VA_ARGS__))
#define store_export_users(st, ...) ((st)->ops->export_users((st), __VA_ARGS__))
#define store_export_terms(st, ...) ((st)->ops->export_terms((st), __VA_ARGS__))
#define store_export_posts(st, ...) ((st)->ops->export_posts((st), __VA_ARGS__))
#define store_export_items(st, ...) ((st)->ops->export_items((st), __VA_ARGS__))
#define store_export_channel(st, ...) ((st)->ops->export_channel((st), __VA_ARGS__))
#define store_post_lookup(st, ...) ((st)->ops->post_lookup((st), __VA_ARGS__))
#define store_wp_slug(st, ...) ((st)->ops->wp_slug((st), __VA_ARGS__))
#define store_data_version(st, ...) ((st)->ops->data_version((st), __VA_ARGS__))
#define store_comment_list_mine(st, ...) ((st)->ops->comment_list_mine((st), __VA_ARGS__))
#define store_post_next_scheduled(st, ...) ((st)->ops->post_next_scheduled((st), __VA_ARGS__))
#define store_set_durable(st, ...) ((st)->ops->set_durable((st), __VA_ARGS__))
#define store_changes_since(st, ...) ((st)->ops->changes_since((st), __VA_ARGS__))

#endif
