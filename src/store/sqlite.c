/* sqlite.c: the SQLite backend of store.h (the default).
 * Two connections per struct store: one writes, one reads (so readers
 * never wait for a commit's fsync). Each is opened NOMUTEX and guarded by
 * its own st->mu, which serialises whole operations, so a transaction and
 * the cached statements it uses never interleave with another thread's.
 * WAL and a busy timeout let another process (the CLI) write the same file
 * while a server runs. synchronous=FULL makes a commit durable across
 * kill -9 and power loss, which is what "P_OK means durable" promises. */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/log.h"

/* How long a statement waits for another connection's write lock (the CLI
 * importing while the server runs) before giving up with P_IO. */
#define BUSY_TIMEOUT_MS 5000

/* PRAGMA application_id of a Parley database ("Prly"). Lets open refuse
 * another program's SQLite file instead of migrating it. */
#define APP_ID 1349676153
#define STR_(x) #x
#define STR(x) STR_(x)

/*
 * Numbered migrations. PRAGMA user_version holds how many are applied;
 * open applies the missing ones in order, each in its own transaction.
 * Append only: never edit one that has shipped.
 */
static const char *const migrations[] = {
	/* 1: initial schema. */
	"PRAGMA application_id = " STR(APP_ID) ";"

	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  value TEXT NOT NULL"
	") STRICT;"

	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  role TEXT NOT NULL DEFAULT 'author',"
	"  pw_hash TEXT,"
	"  created INTEGER NOT NULL"
	") STRICT;"

	/* pub_day is the UTC day of published; the permalink is
	 * /pub_day/slug/, hence UNIQUE(pub_day, slug). The CHECK keeps it
	 * derived whoever writes the row. n_approved is kept exact by the
	 * comment triggers below. */
	"CREATE TABLE posts ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL CHECK (slug <> ''),"
	"  title TEXT NOT NULL,"
	"  author_id INTEGER NOT NULL REFERENCES users(id),"
	"  published INTEGER NOT NULL,"
	"  pub_day TEXT NOT NULL"
	"    CHECK (pub_day = strftime('%Y-%m-%d', published, 'unixepoch')),"
	"  status TEXT NOT NULL DEFAULT 'publish',"
	"  body_md TEXT NOT NULL DEFAULT '',"
	"  body_html TEXT NOT NULL DEFAULT '',"
	"  excerpt TEXT NOT NULL DEFAULT '',"
	"  image TEXT NOT NULL DEFAULT '',"
	"  image_caption TEXT NOT NULL DEFAULT '',"
	"  comments_open INTEGER NOT NULL DEFAULT 1"
	"    CHECK (comments_open IN (0, 1)),"
	"  n_approved INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (pub_day, slug)"
	") STRICT;"
	"CREATE INDEX posts_published ON posts (published DESC, id DESC);"
	/* Author archives, and the FK check when a user is deleted. */
	"CREATE INDEX posts_author"
	"  ON posts (author_id, published DESC, id DESC);"

	"CREATE TABLE categories ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE CHECK (slug <> ''),"
	"  name TEXT NOT NULL"
	") STRICT;"

	"CREATE TABLE post_categories ("
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  category_id INTEGER NOT NULL"
	"    REFERENCES categories(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (post_id, category_id)"
	") STRICT;"
	/* Category archives start from the category. */
	"CREATE INDEX post_categories_category"
	"  ON post_categories (category_id, post_id);"

	"CREATE TABLE comments ("
	"  id INTEGER PRIMARY KEY,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  parent_id INTEGER REFERENCES comments(id),"
	"  author TEXT NOT NULL DEFAULT '',"
	"  email TEXT NOT NULL DEFAULT '',"
	"  url TEXT NOT NULL DEFAULT '',"
	"  ip TEXT NOT NULL DEFAULT '',"
	"  commenter TEXT NOT NULL DEFAULT '',"
	"  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  body_md TEXT NOT NULL DEFAULT '',"
	"  body_html TEXT NOT NULL DEFAULT '',"
	"  created INTEGER NOT NULL,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('pending', 'approved', 'spam', 'trash')),"
	"  held_reason TEXT NOT NULL DEFAULT ''"
	") STRICT;"
	/* One ordered pass per article page. */
	"CREATE INDEX comments_post ON comments (post_id, created, id);"
	/* Moderation queues. */
	"CREATE INDEX comments_status ON comments (status, id);"
	/* commenter_known on every comment posted. */
	"CREATE INDEX comments_known"
	"  ON comments (commenter, email COLLATE NOCASE)"
	"  WHERE status = 'approved';"
	/* Without these, deleting a post with N comments (cascade) or a
	 * user scans the whole comments table once per row. */
	"CREATE INDEX comments_parent ON comments (parent_id)"
	"  WHERE parent_id IS NOT NULL;"
	"CREATE INDEX comments_user ON comments (user_id)"
	"  WHERE user_id IS NOT NULL;"

	/* posts.n_approved follows every write to comments, in the writing
	 * transaction, whichever code path (or a future delete) does it. */
	"CREATE TRIGGER comments_count_ins AFTER INSERT ON comments"
	"  WHEN NEW.status = 'approved' BEGIN"
	"  UPDATE posts SET n_approved = n_approved + 1 WHERE id = NEW.post_id;"
	"END;"
	"CREATE TRIGGER comments_count_del AFTER DELETE ON comments"
	"  WHEN OLD.status = 'approved' BEGIN"
	"  UPDATE posts SET n_approved = n_approved - 1 WHERE id = OLD.post_id;"
	"END;"
	"CREATE TRIGGER comments_count_upd"
	"  AFTER UPDATE OF status, post_id ON comments"
	"  WHEN OLD.status IS NOT NEW.status"
	"    OR OLD.post_id IS NOT NEW.post_id BEGIN"
	"  UPDATE posts SET n_approved = n_approved - 1"
	"    WHERE id = OLD.post_id AND OLD.status = 'approved';"
	"  UPDATE posts SET n_approved = n_approved + 1"
	"    WHERE id = NEW.post_id AND NEW.status = 'approved';"
	"END;",

	/* 2: a reader's own pending comments on an article, looked up on
	 * every view by a reader with a commenter cookie (the personal part
	 * of a cached page); next scheduled post, for cache expiry. */
	"CREATE INDEX comments_mine ON comments (commenter, post_id, created)"
	"  WHERE status = 'pending';"
	"CREATE INDEX posts_scheduled ON posts (published)"
	"  WHERE status = 'publish';"
	/* The change log: which article's pages a committed write changed
	 * (0: something every page may show). Written by triggers, so the
	 * CLI's writes and a future admin's are logged alike; a server reads
	 * it when data_version moves and drops exactly those pages. Kept
	 * short by the prune trigger. */
	"CREATE TABLE changes ("
	"  id INTEGER PRIMARY KEY,"
	"  post_id INTEGER NOT NULL"
	") STRICT;"
	"CREATE TRIGGER changes_prune AFTER INSERT ON changes"
	"  WHEN NEW.id % 1000 = 0 BEGIN"
	"  DELETE FROM changes WHERE id <= NEW.id - 10000;"
	"END;"
	"CREATE TRIGGER changes_comment_ins AFTER INSERT ON comments"
	"  WHEN NEW.status = 'approved' BEGIN"
	"  INSERT INTO changes (post_id) VALUES (NEW.post_id);"
	"END;"
	"CREATE TRIGGER changes_comment_upd AFTER UPDATE ON comments BEGIN"
	"  INSERT INTO changes (post_id) VALUES (NEW.post_id);"
	"  INSERT INTO changes (post_id) SELECT OLD.post_id"
	"    WHERE OLD.post_id IS NOT NEW.post_id;"
	"END;"
	"CREATE TRIGGER changes_comment_del AFTER DELETE ON comments BEGIN"
	"  INSERT INTO changes (post_id) VALUES (OLD.post_id);"
	"END;"
	/* n_approved is kept by the comment triggers, which log already. */
	"CREATE TRIGGER changes_post_ins AFTER INSERT ON posts BEGIN"
	"  INSERT INTO changes (post_id) VALUES (0);"
	"END;"
	"CREATE TRIGGER changes_post_upd AFTER UPDATE OF slug, title, author_id,"
	"  published, status, body_md, body_html, excerpt, image,"
	"  image_caption ON posts BEGIN"
	"  INSERT INTO changes (post_id) VALUES (0);"
	"END;"
	"CREATE TRIGGER changes_post_open AFTER UPDATE OF comments_open"
	"  ON posts BEGIN"
	"  INSERT INTO changes (post_id) VALUES (NEW.id);"
	"END;"
	"CREATE TRIGGER changes_post_del AFTER DELETE ON posts BEGIN"
	"  INSERT INTO changes (post_id) VALUES (0);"
	"END;"
	"CREATE TRIGGER changes_cat_ins AFTER INSERT ON post_categories BEGIN"
	"  INSERT INTO changes (post_id) VALUES (0);"
	"END;"
	"CREATE TRIGGER changes_cat_del AFTER DELETE ON post_categories BEGIN"
	"  INSERT INTO changes (post_id) VALUES (0);"
	"END;"
	"CREATE TRIGGER changes_catname AFTER UPDATE ON categories BEGIN"
	"  INSERT INTO changes (post_id) VALUES (0);"
	"END;"
	"CREATE TRIGGER changes_user AFTER UPDATE OF login, name ON users BEGIN"
	"  INSERT INTO changes (post_id) VALUES (0);"
	"END;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Every query, prepared once at open and reset after each use. */
enum qid {
	Q_BEGIN,
	Q_BEGIN_WRITE,
	Q_COMMIT,
	Q_ROLLBACK,
	Q_META_GET,
	Q_META_SET,
	Q_USER_INSERT,
	Q_USER_GET,
	Q_POST_INSERT,
	Q_CAT_INSERT,
	Q_CAT_GET,
	Q_POST_CAT_LINK,
	Q_POST_GET,
	Q_POST_FIND,
	Q_POST_CATS,
	Q_POST_SET_OPEN,
	Q_POST_EXISTS,
	Q_CAT_LIST,
	/* Four variants each, indexed by LIST_BY_CAT | LIST_BY_AUTHOR. */
	Q_LIST,
	Q_LIST_END = Q_LIST + 3,
	Q_COUNT,
	Q_COUNT_END = Q_COUNT + 3,
	Q_COMMENT_POST_OF,
	Q_COMMENT_INSERT,
	Q_COMMENT_GET,
	Q_COMMENT_LIST_POST,
	Q_COMMENT_LIST_STATUS,
	Q_COMMENT_SET_STATUS,
	Q_COMMENTER_KNOWN,
	Q_COMMENT_LIST_MINE,
	Q_POST_NEXT_SCHEDULED,
	Q_DATA_VERSION,
	Q_CHANGES_SINCE,
	Q_CHANGES_FIRST,
	Q_CHANGES_LAST,
	Q_SAVEPOINT,
	Q_RELEASE,
	Q_ROLLBACK_TO,
	Q__N
};

#define LIST_BY_CAT 1
#define LIST_BY_AUTHOR 2

/* Column order is what read_post() expects. A missing author (only
 * possible if someone edited the file by hand) gives "" not a lost post. */
#define POST_SELECT \
	"SELECT p.id, p.slug, p.title, p.author_id, u.login, u.name," \
	" p.published, p.body_md, p.body_html, p.excerpt, p.image," \
	" p.image_caption, p.comments_open, p.n_approved" \
	" FROM posts p LEFT JOIN users u ON u.id = p.author_id "
#define POST_COUNT "SELECT count(*) FROM posts p "
#define POST_COUNT_U POST_COUNT "JOIN users u ON u.id = p.author_id "
/* What readers may see; post_get by id is not limited by this. */
#define LISTED "WHERE p.status = 'publish' AND p.published <= :now "
#define BY_CAT \
	"AND p.id IN (SELECT pc.post_id FROM post_categories pc" \
	" JOIN categories c ON c.id = pc.category_id WHERE c.slug = :cat) "
#define BY_AUTHOR "AND u.login = :author "
#define PAGE "ORDER BY p.published DESC, p.id DESC LIMIT :limit OFFSET :offset"

/* Column order is what read_comment() expects. */
#define COMMENT_SELECT \
	"SELECT id, post_id, parent_id, author, email, url, ip, commenter," \
	" user_id, body_md, body_html, created, status, held_reason" \
	" FROM comments "

static const char *const qsql[Q__N] = {
	[Q_BEGIN] = "BEGIN",
	/* Writers take the lock up front: a deferred transaction that
	 * upgrades can fail with SQLITE_BUSY without waiting. */
	[Q_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[Q_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[Q_USER_INSERT] = "INSERT INTO users (login, name, created)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (login) DO NOTHING",
	[Q_USER_GET] = "SELECT id, login, name FROM users WHERE login = ?1",
	[Q_POST_INSERT] = "INSERT INTO posts (slug, title, author_id,"
	    " published, pub_day, body_md, body_html, excerpt, image,"
	    " image_caption, comments_open) VALUES (?1, ?2, ?3, ?4,"
	    " strftime('%Y-%m-%d', ?4, 'unixepoch'), ?5, ?6, ?7, ?8, ?9, ?10)",
	[Q_CAT_INSERT] = "INSERT INTO categories (slug, name) VALUES (?1, ?2)"
	    " ON CONFLICT (slug) DO NOTHING",
	[Q_CAT_GET] = "SELECT id, slug, name FROM categories WHERE slug = ?1",
	[Q_POST_CAT_LINK] = "INSERT INTO post_categories (post_id, category_id)"
	    " VALUES (?1, ?2) ON CONFLICT DO NOTHING",
	[Q_POST_GET] = POST_SELECT "WHERE p.id = ?1",
	[Q_POST_FIND] = POST_SELECT "WHERE p.pub_day = ?1 AND p.slug = ?2"
	    " AND p.status = 'publish' AND p.published <= ?3",
	[Q_POST_CATS] = "SELECT c.id, c.slug, c.name FROM post_categories pc"
	    " JOIN categories c ON c.id = pc.category_id WHERE pc.post_id = ?1"
	    " ORDER BY c.name COLLATE NOCASE, c.name, c.id",
	[Q_POST_SET_OPEN] = "UPDATE posts SET comments_open = ?2 WHERE id = ?1",
	[Q_POST_EXISTS] = "SELECT 1 FROM posts WHERE id = ?1",
	/* Same visibility as post_list: a category of only future posts
	 * would lead to an empty archive. */
	[Q_CAT_LIST] = "SELECT c.id, c.slug, c.name FROM categories c"
	    " WHERE EXISTS (SELECT 1 FROM post_categories pc"
	    " JOIN posts p ON p.id = pc.post_id WHERE pc.category_id = c.id"
	    " AND p.status = 'publish' AND p.published <= ?1)"
	    " ORDER BY c.name COLLATE NOCASE, c.name, c.id",
	[Q_LIST + 0] = POST_SELECT LISTED PAGE,
	[Q_LIST + LIST_BY_CAT] = POST_SELECT LISTED BY_CAT PAGE,
	[Q_LIST + LIST_BY_AUTHOR] = POST_SELECT LISTED BY_AUTHOR PAGE,
	[Q_LIST + LIST_BY_CAT + LIST_BY_AUTHOR] =
	    POST_SELECT LISTED BY_CAT BY_AUTHOR PAGE,
	[Q_COUNT + 0] = POST_COUNT LISTED,
	[Q_COUNT + LIST_BY_CAT] = POST_COUNT LISTED BY_CAT,
	[Q_COUNT + LIST_BY_AUTHOR] = POST_COUNT_U LISTED BY_AUTHOR,
	[Q_COUNT + LIST_BY_CAT + LIST_BY_AUTHOR] =
	    POST_COUNT_U LISTED BY_CAT BY_AUTHOR,
	[Q_COMMENT_POST_OF] = "SELECT post_id FROM comments WHERE id = ?1",
	[Q_COMMENT_INSERT] = "INSERT INTO comments (post_id, parent_id, author,"
	    " email, url, ip, commenter, user_id, body_md, body_html, created,"
	    " status, held_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13)",
	[Q_COMMENT_GET] = COMMENT_SELECT "WHERE id = ?1",
	[Q_COMMENT_LIST_POST] = COMMENT_SELECT
	    "WHERE post_id = ?1 ORDER BY created, id",
	/* Newest = highest id (arrival order), which the (status, id) index
	 * serves without a sort. */
	[Q_COMMENT_LIST_STATUS] = COMMENT_SELECT
	    "WHERE status = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
	[Q_COMMENT_SET_STATUS] =
	    "UPDATE comments SET status = ?2 WHERE id = ?1",
	/* status = 'approved' spelled out so the partial index applies. */
	[Q_COMMENTER_KNOWN] = "SELECT 1 FROM comments WHERE status = 'approved'"
	    " AND commenter = ?1 AND email = ?2 COLLATE NOCASE LIMIT 1",
	[Q_COMMENT_LIST_MINE] = COMMENT_SELECT "WHERE status = 'pending'"
	    " AND commenter = ?2 AND post_id = ?1 ORDER BY created, id",
	[Q_POST_NEXT_SCHEDULED] = "SELECT min(published) FROM posts"
	    " WHERE status = 'publish' AND published > ?1",
	[Q_DATA_VERSION] = "PRAGMA data_version",
	[Q_CHANGES_SINCE] = "SELECT id, post_id FROM changes WHERE id > ?1"
	    " ORDER BY id LIMIT ?2",
	[Q_CHANGES_FIRST] = "SELECT coalesce(min(id), 0) FROM changes",
	[Q_CHANGES_LAST] = "SELECT coalesce(max(id), 0) FROM changes",
	[Q_SAVEPOINT] = "SAVEPOINT one",
	[Q_RELEASE] = "RELEASE one",
	[Q_ROLLBACK_TO] = "ROLLBACK TO one",
};

struct sstore {
	struct store base; /* first, so a struct store * is a struct sstore * */
	sqlite3 *db;
	pthread_mutex_t mu; /* whole operations: transactions and stmt[] */
	sqlite3_stmt *stmt[Q__N];
	/* A second, read-only connection on the same file (WAL lets it
	 * read while db writes): every read goes there, so a page render or
	 * a "did anything change?" never queues behind a writer's commit
	 * waiting for the disk. NULL in the reader itself. */
	struct sstore *reader;
	/* data_version's fast path (reader only): the WAL-index header in
	 * the -shm file, mapped read-only, and its bytes at the last check. */
	const unsigned char *shm;
	int shm_fd; /* kept open: closing any descriptor of the -shm file
		     * would drop SQLite's own POSIX locks on it */
	unsigned char shm_seen[48];
	int64_t shm_version;
	int shm_tried;
	/* Group commit of comments (see sqlite_comment_add). */
	pthread_mutex_t gc_mu;
	pthread_cond_t gc_cond;
	struct gc_item *gc_queue;
	int gc_busy;
};

/* The connection reads use. */
static struct sstore *
rd(struct store *base)
{
	struct sstore *st = (struct sstore *)base;

	return st->reader ? st->reader : st;
}

static void sqlite_close(struct store *);

static struct sstore *
sstore(struct store *st)
{
	return (struct sstore *)st;
}

/*
 * Maps an SQLite result code (extended codes are on) to a perr. What is
 * not the caller's fault is logged with SQLite's own message, so disk-full
 * or a corrupt file shows up in the operator's log. what names the
 * statement; call this before anything else touches the connection, or
 * the message is lost.
 */
static enum perr
dberr(struct sstore *st, int rc, const char *what)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return P_CONFLICT;
		return P_BADINPUT;
	case SQLITE_NOMEM:
		return P_NOMEM;
	case SQLITE_TOOBIG:
		return P_TOOBIG;
	default:
		break;
	}
	log_warn("store: sqlite: %s (%d) in: %.80s",
	    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc), rc,
	    what ? what : "?");
	return P_IO;
}

/* Ready s for its next use, dropping pointers to the caller's strings. */
static void
done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/*
 * Binders: the first failure is kept in *rc and later binds are skipped,
 * so a call site binds everything and checks once. Strings are bound
 * SQLITE_STATIC: they belong to the caller and outlive the statement's
 * use, which ends with done(). NULL strings are bound as "".
 */
static void
bind_text(sqlite3_stmt *s, int i, const char *v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

static void
bind_int(sqlite3_stmt *s, int i, int64_t v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int64(s, i, v);
}

/* Optional reference: 0 means none and is stored as NULL. */
static void
bind_ref(sqlite3_stmt *s, int i, int64_t v, int *rc)
{
	if (*rc != SQLITE_OK)
		return;
	*rc = v ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
}

/* Named parameters are skipped when the variant does not use them. */
static void
bind_named_text(sqlite3_stmt *s, const char *name, const char *v, int *rc)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		bind_text(s, i, v, rc);
}

static void
bind_named_int(sqlite3_stmt *s, const char *name, int64_t v, int *rc)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		bind_int(s, i, v, rc);
}

/* Binding failed: map the error and reset the statement. */
static enum perr
bind_fail(struct sstore *st, sqlite3_stmt *s, int rc)
{
	enum perr e = dberr(st, rc, sqlite3_sql(s));

	done(s);
	return e;
}

/* Steps s to completion (rows ignored) and resets it. */
static enum perr
run(struct sstore *st, sqlite3_stmt *s)
{
	enum perr e = P_OK;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	return e;
}

/*
 * Steps s once: P_OK with a row ready to read, P_NOTFOUND (s reset) when
 * there is none, or an error (s reset). The caller done()s s after
 * reading a row.
 */
static enum perr
step_row(struct sstore *st, sqlite3_stmt *s)
{
	enum perr e;
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return P_OK;
	e = rc == SQLITE_DONE ? P_NOTFOUND : dberr(st, rc, sqlite3_sql(s));
	done(s);
	return e;
}

static enum perr
tx_begin(struct sstore *st, int write)
{
	return run(st, st->stmt[write ? Q_BEGIN_WRITE : Q_BEGIN]);
}

static enum perr
tx_commit(struct sstore *st)
{
	return run(st, st->stmt[Q_COMMIT]);
}

/* Undo whatever is open; harmless if SQLite already rolled back. */
static void
tx_abort(struct sstore *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)run(st, st->stmt[Q_ROLLBACK]);
}

/* An enum cstatus may hold any int; only the four named ones are stored. */
static int
status_ok(enum cstatus s)
{
	return (unsigned)s <= CS_TRASH;
}

/* Column i copied into the arena; NULL (or a bad row) gives "". */
static const char *
col_str(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t;

	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return "";
	t = sqlite3_column_text(s, i);
	if (t == NULL) {
		/* Small internal allocation failure aborts (STYLE). */
		if (sqlite3_errcode(sqlite3_db_handle(s)) == SQLITE_NOMEM)
			abort();
		return "";
	}
	return arena_strndup(a, (const char *)t,
	    (size_t)sqlite3_column_bytes(s, i));
}

/* Room for element n of an arena array, doubling; the outgrown copy stays
 * in the arena until it is freed, which bounds waste to 2x. */
static void *
grow(struct arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return old;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / 2 / size)
		abort();
	p = arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

static void
read_post(struct arena *a, sqlite3_stmt *s, struct post *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(s, 0);
	p->slug = col_str(a, s, 1);
	p->title = col_str(a, s, 2);
	p->author_id = sqlite3_column_int64(s, 3);
	p->author_login = col_str(a, s, 4);
	p->author_name = col_str(a, s, 5);
	p->published = sqlite3_column_int64(s, 6);
	p->body_md = col_str(a, s, 7);
	p->body_html = col_str(a, s, 8);
	p->excerpt = col_str(a, s, 9);
	p->image = col_str(a, s, 10);
	p->image_caption = col_str(a, s, 11);
	p->comments_open = sqlite3_column_int64(s, 12) != 0;
	p->n_approved = sqlite3_column_int64(s, 13);
}

static void
read_comment(struct arena *a, sqlite3_stmt *s, struct comment *c)
{
	int status;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->post_id = sqlite3_column_int64(s, 1);
	c->parent_id = sqlite3_column_int64(s, 2); /* NULL reads as 0 */
	c->author = col_str(a, s, 3);
	c->email = col_str(a, s, 4);
	c->url = col_str(a, s, 5);
	c->ip = col_str(a, s, 6);
	c->commenter = col_str(a, s, 7);
	c->user_id = sqlite3_column_int64(s, 8);
	c->body_md = col_str(a, s, 9);
	c->body_html = col_str(a, s, 10);
	c->created = sqlite3_column_int64(s, 11);
	/* The schema CHECK forbids other values; should one appear anyway,
	 * pending is the state that shows it to nobody. */
	status = cstatus_parse((const char *)sqlite3_column_text(s, 12));
	c->status = status < 0 ? CS_PENDING : (enum cstatus)status;
	c->held_reason = col_str(a, s, 13);
}

/* Fills p->cats, ordered by name. */
static enum perr
load_cats(struct sstore *st, struct arena *a, struct post *p)
{
	sqlite3_stmt *s = st->stmt[Q_POST_CATS];
	struct category *cats = NULL;
	size_t n = 0, cap = 0;
	enum perr e = P_OK;
	int rc = SQLITE_OK;

	bind_int(s, 1, p->id, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		cats = grow(a, cats, n, &cap, sizeof(*cats));
		cats[n].id = sqlite3_column_int64(s, 0);
		cats[n].slug = col_str(a, s, 1);
		cats[n].name = col_str(a, s, 2);
		n++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	if (e == P_OK) {
		p->cats = cats;
		p->ncats = n;
	}
	return e;
}

/* -------------------------------------------------------------------- */
/* Opening and migrating. */

/* Runs one statement that may return a single integer row (pragmas). */
static enum perr
exec_int(struct sstore *st, const char *sql, int64_t *val)
{
	sqlite3_stmt *s = NULL;
	enum perr e = P_OK;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dberr(st, rc, sql);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (val)
			*val = sqlite3_column_int64(s, 0);
	} else if (rc != SQLITE_DONE) {
		e = dberr(st, rc, sql);
	} else if (val) {
		*val = 0;
	}
	sqlite3_finalize(s);
	return e;
}

static enum perr
exec_sql(struct sstore *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? P_OK : dberr(st, rc, sql);
}

/* Refuse a file that is some other program's database before changing
 * anything in it (even its journal mode): migrating it would add our
 * tables to it. A file that is not a database at all fails here with
 * SQLITE_NOTADB. */
static enum perr
check_ours(struct sstore *st, const char *path)
{
	int64_t appid, version, ntables;
	enum perr e;

	if ((e = exec_int(st, "PRAGMA user_version", &version)) != P_OK)
		return e;
	if ((e = exec_int(st, "PRAGMA application_id", &appid)) != P_OK)
		return e;
	if (version > 0 && appid == APP_ID)
		return P_OK;
	if (version == 0 && appid == 0) {
		e = exec_int(st, "SELECT count(*) FROM sqlite_master",
		    &ntables);
		if (e != P_OK)
			return e;
		if (ntables == 0)
			return P_OK;
	}
	log_warn("store: %s: not a Parley database (application_id %lld, "
	    "user_version %lld)", path, (long long)appid, (long long)version);
	return P_BADINPUT;
}

/* Pragmas are per connection; order matters: the busy timeout first, so
 * switching to WAL waits for another process instead of failing. */
static enum perr
configure(struct sstore *st, const char *path)
{
	sqlite3_stmt *s = NULL;
	const char *mode;
	enum perr e;
	int rc;

	sqlite3_extended_result_codes(st->db, 1);
	if ((rc = sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS)) != SQLITE_OK)
		return dberr(st, rc, "busy_timeout");
	if ((e = check_ours(st, path)) != P_OK)
		return e;
	/* journal_mode answers with the mode in force. */
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s,
	    NULL);
	if (rc != SQLITE_OK)
		return dberr(st, rc, "PRAGMA journal_mode");
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		e = dberr(st, rc, "PRAGMA journal_mode=WAL");
		sqlite3_finalize(s);
		return e;
	}
	mode = (const char *)sqlite3_column_text(s, 0);
	if (mode == NULL || strcmp(mode, "wal") != 0)
		log_warn("store: %s: journal mode is %s, not wal; other "
		    "processes will block readers", path,
		    mode ? mode : "unknown");
	sqlite3_finalize(s);
	if ((e = exec_sql(st, "PRAGMA synchronous=FULL")) != P_OK)
		return e;
	return exec_sql(st, "PRAGMA foreign_keys=ON");
}

/*
 * Applies the missing migrations, each in its own write transaction. The
 * version is read again inside the transaction, so two processes opening
 * a new file at once cannot apply one migration twice.
 */
static enum perr
migrate(struct sstore *st, const char *path)
{
	char sql[64];
	int64_t v;
	enum perr e;
	int n;

	if ((e = exec_int(st, "PRAGMA user_version", &v)) != P_OK)
		return e;
	while (v != NMIGRATIONS) {
		if ((e = exec_sql(st, "BEGIN IMMEDIATE")) != P_OK)
			return e;
		if ((e = exec_int(st, "PRAGMA user_version", &v)) != P_OK)
			goto fail;
		if (v < 0 || v > NMIGRATIONS) {
			log_warn("store: %s: schema version %lld is not one "
			    "this program knows (0..%d)", path, (long long)v,
			    NMIGRATIONS);
			e = P_CONFLICT;
			goto fail;
		}
		if (v == NMIGRATIONS) {
			if ((e = exec_sql(st, "COMMIT")) != P_OK)
				goto fail;
			break;
		}
		if ((e = exec_sql(st, migrations[v])) != P_OK)
			goto fail;
		n = snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
		    (long long)v + 1);
		if (n < 0 || (size_t)n >= sizeof(sql)) {
			e = P_IO;
			goto fail;
		}
		if ((e = exec_sql(st, sql)) != P_OK)
			goto fail;
		if ((e = exec_sql(st, "COMMIT")) != P_OK)
			goto fail;
		log_info("store: %s: schema migrated to version %lld", path,
		    (long long)v + 1);
		v++;
	}
	return P_OK;
fail:
	if (!sqlite3_get_autocommit(st->db))
		(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return e;
}

static enum perr
prepare_all(struct sstore *st)
{
	int i, rc;

	for (i = 0; i < Q__N; i++) {
		rc = sqlite3_prepare_v3(st->db, qsql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return dberr(st, rc, qsql[i]);
	}
	return P_OK;
}

/* One connection: the writer (migrating the file), or a reader. */
static enum perr
open_conn(const char *path, int create, int readonly, struct sstore **out)
{
	struct sstore *st;
	struct stat sb;
	enum perr e;
	int flags, rc;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return P_NOMEM;
	st->base.ops = &store_sqlite_ops;
	st->shm_fd = -1;
	if (pthread_mutex_init(&st->mu, NULL) != 0) {
		free(st);
		return P_NOMEM;
	}
	pthread_mutex_init(&st->gc_mu, NULL);
	pthread_cond_init(&st->gc_cond, NULL);

	/* NOMUTEX: st->mu already serialises every use of the connection;
	 * SQLite's own per-call mutex was 8% of an uncached page. */
	flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
	    SQLITE_OPEN_NOMUTEX;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		/* A missing file (or directory) is the caller's to report,
		 * not a failure to log. */
		if ((rc & 0xff) == SQLITE_CANTOPEN && stat(path, &sb) != 0 &&
		    errno == ENOENT)
			e = P_NOTFOUND;
		else
			e = dberr(st, rc, path);
		goto fail;
	}
	if (readonly) {
		sqlite3_extended_result_codes(st->db, 1);
		if ((rc = sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS)) !=
		    SQLITE_OK) {
			e = dberr(st, rc, "busy_timeout");
			goto fail;
		}
	} else {
		if ((e = configure(st, path)) != P_OK)
			goto fail;
		if ((e = migrate(st, path)) != P_OK)
			goto fail;
	}
	if ((e = prepare_all(st)) != P_OK)
		goto fail;
	*out = st;
	return P_OK;
fail:
	sqlite_close(&st->base);
	return e;
}

enum perr
store_open_sqlite(const char *path, int create, struct store **out)
{
	struct sstore *st, *r;
	enum perr e;

	if (out == NULL)
		return P_BADINPUT;
	*out = NULL;
	if (path == NULL || *path == '\0')
		return P_BADINPUT;
	if ((e = open_conn(path, create, 0, &st)) != P_OK)
		return e;
	/* Without a reader, reads share the writer (slower under write
	 * load, still correct). */
	if (open_conn(path, 0, 1, &r) == P_OK)
		st->reader = r;
	else
		log_warn("store: %s: no separate read connection", path);
	*out = &st->base;
	return P_OK;
}

static void
sqlite_close(struct store *base)
{
	struct sstore *st = sstore(base);
	int i, shm_fd = -1;

	if (st == NULL)
		return;
	for (i = 0; i < Q__N; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->reader) {
		shm_fd = st->reader->shm_fd;
		st->reader->shm_fd = -1;
		sqlite_close(&st->reader->base);
	}
	if (st->shm)
		munmap((void *)(uintptr_t)st->shm, 4096);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK)
		log_warn("store: sqlite: close: %s", sqlite3_errmsg(st->db));
	/* Only now that no connection of ours holds shm locks. */
	if (shm_fd >= 0)
		close(shm_fd);
	if (st->shm_fd >= 0)
		close(st->shm_fd);
	pthread_mutex_destroy(&st->mu);
	pthread_mutex_destroy(&st->gc_mu);
	pthread_cond_destroy(&st->gc_cond);
	free(st);
}

/* -------------------------------------------------------------------- */
/* Operations. Each takes st->mu for its whole length. */

static enum perr
sqlite_meta_get(struct store *base, struct arena *a, const char *key,
    const char **val)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_META_GET];
	enum perr e;
	int rc = SQLITE_OK;

	if (key == NULL || val == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_text(s, 1, key, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	if ((e = step_row(st, s)) != P_OK)
		goto out;
	*val = col_str(a, s, 0);
	done(s);
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_meta_set(struct store *base, const char *key, const char *val)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s = st->stmt[Q_META_SET];
	enum perr e;
	int rc = SQLITE_OK;

	if (key == NULL || *key == '\0')
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_text(s, 1, key, &rc);
	bind_text(s, 2, val, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* Reads the user row for login into *u (strings in a, may be NULL when
 * only the id is wanted). */
static enum perr
user_lookup(struct sstore *st, struct arena *a, const char *login,
    struct user *u)
{
	sqlite3_stmt *s = st->stmt[Q_USER_GET];
	enum perr e;
	int rc = SQLITE_OK;

	bind_text(s, 1, login, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	if ((e = step_row(st, s)) != P_OK)
		return e;
	u->id = sqlite3_column_int64(s, 0);
	if (a) {
		u->login = col_str(a, s, 1);
		u->name = col_str(a, s, 2);
	}
	done(s);
	return P_OK;
}

/* An empty or NULL name falls back to the login, so a byline is never
 * blank. */
static enum perr
sqlite_user_ensure(struct store *base, const char *login, const char *name,
    int64_t *id)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s = st->stmt[Q_USER_INSERT];
	struct user u;
	enum perr e;
	int rc = SQLITE_OK;

	if (login == NULL || *login == '\0' || id == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	bind_text(s, 1, login, &rc);
	bind_text(s, 2, name && *name ? name : login, &rc);
	bind_int(s, 3, (int64_t)time(NULL), &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e != P_OK)
		goto out;
	if ((e = user_lookup(st, NULL, login, &u)) != P_OK)
		goto out;
	if ((e = tx_commit(st)) != P_OK)
		goto out;
	*id = u.id;
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_user_get(struct store *base, struct arena *a, const char *login,
    struct user *out)
{
	struct sstore *st = rd(base);
	struct user u;
	enum perr e;

	if (login == NULL || out == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = user_lookup(st, a, login, &u);
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK)
		*out = u;
	return e;
}

/* Finds or creates the category and links it to post_id. */
static enum perr
link_category(struct sstore *st, int64_t post_id, const struct category *c)
{
	sqlite3_stmt *s;
	int64_t cat_id;
	enum perr e;
	int rc = SQLITE_OK;

	s = st->stmt[Q_CAT_INSERT];
	bind_text(s, 1, c->slug, &rc);
	bind_text(s, 2, c->name && *c->name ? c->name : c->slug, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e != P_OK)
		return e;

	s = st->stmt[Q_CAT_GET];
	bind_text(s, 1, c->slug, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	if ((e = step_row(st, s)) != P_OK)
		return e == P_NOTFOUND ? P_IO : e; /* just inserted */
	cat_id = sqlite3_column_int64(s, 0);
	done(s);

	s = st->stmt[Q_POST_CAT_LINK];
	bind_int(s, 1, post_id, &rc);
	bind_int(s, 2, cat_id, &rc);
	return rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
}

/*
 * Required: slug (non-empty), title (may be ""), author_id of an existing
 * user, a slug for every category. Other NULL strings are stored as "".
 * A category without a name is named by its slug. The post is published
 * (status 'publish'); pub_day is derived from published, in UTC.
 */
static enum perr
sqlite_post_add(struct store *base, const struct post *p, int64_t *id)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s = st->stmt[Q_POST_INSERT];
	int64_t post_id;
	enum perr e;
	size_t i;
	int rc = SQLITE_OK;

	if (p == NULL || p->slug == NULL || *p->slug == '\0' ||
	    p->title == NULL || p->author_id <= 0 ||
	    (p->ncats > 0 && p->cats == NULL))
		return P_BADINPUT;
	for (i = 0; i < p->ncats; i++)
		if (p->cats[i].slug == NULL || *p->cats[i].slug == '\0')
			return P_BADINPUT;

	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	bind_text(s, 1, p->slug, &rc);
	bind_text(s, 2, p->title, &rc);
	bind_int(s, 3, p->author_id, &rc);
	bind_int(s, 4, p->published, &rc);
	bind_text(s, 5, p->body_md, &rc);
	bind_text(s, 6, p->body_html, &rc);
	bind_text(s, 7, p->excerpt, &rc);
	bind_text(s, 8, p->image, &rc);
	bind_text(s, 9, p->image_caption, &rc);
	bind_int(s, 10, p->comments_open != 0, &rc);
	/* A UTC day outside 0000..9999 makes pub_day NULL: P_BADINPUT. An
	 * unknown author fails the foreign key: P_BADINPUT. */
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e != P_OK)
		goto out;
	post_id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < p->ncats; i++)
		if ((e = link_category(st, post_id, &p->cats[i])) != P_OK)
			goto out;
	if ((e = tx_commit(st)) != P_OK)
		goto out;
	if (id)
		*id = post_id;
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* One post row by a prepared, bound statement, with its categories. */
static enum perr
post_one(struct sstore *st, struct arena *a, sqlite3_stmt *s,
    struct post *out)
{
	struct post p;
	enum perr e;

	if ((e = step_row(st, s)) != P_OK)
		return e;
	read_post(a, s, &p);
	done(s);
	if ((e = load_cats(st, a, &p)) != P_OK)
		return e;
	*out = p;
	return P_OK;
}

static enum perr
sqlite_post_get(struct store *base, struct arena *a, int64_t id,
    struct post *out)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_POST_GET];
	enum perr e;
	int rc = SQLITE_OK;

	if (out == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, id, &rc);
	e = rc == SQLITE_OK ? post_one(st, a, s, out) : bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* A date that cannot exist finds nothing (a 404, not a 400). */
static enum perr
sqlite_post_find(struct store *base, struct arena *a, int y, int m, int d,
    const char *slug, struct post *out)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_POST_FIND];
	char day[16];
	enum perr e;
	int n, rc = SQLITE_OK;

	if (slug == NULL || out == NULL)
		return P_BADINPUT;
	if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return P_NOTFOUND;
	n = snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	if (n < 0 || (size_t)n >= sizeof(day))
		return P_NOTFOUND;
	pthread_mutex_lock(&st->mu);
	bind_text(s, 1, day, &rc);
	bind_text(s, 2, slug, &rc);
	bind_int(s, 3, (int64_t)time(NULL), &rc);
	e = rc == SQLITE_OK ? post_one(st, a, s, out) : bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* Binds the filters of a list or count variant; absent ones are skipped. */
static void
bind_query(sqlite3_stmt *s, const struct post_query *q, int64_t now,
    int *rc)
{
	bind_named_int(s, ":now", now, rc);
	bind_named_text(s, ":cat", q->category_slug, rc);
	bind_named_text(s, ":author", q->author_login, rc);
	/* LIMIT -1 is SQLite for no limit. */
	bind_named_int(s, ":limit", q->limit > 0 ? q->limit : -1, rc);
	bind_named_int(s, ":offset", q->offset, rc);
}

/*
 * Listed posts newest first. limit 0 means no limit; a negative offset or
 * limit is P_BADINPUT; q NULL lists everything. The page and *total come
 * from one read transaction, so they agree with each other.
 */
static enum perr
sqlite_post_list(struct store *base, struct arena *a,
    const struct post_query *q, struct post **out, size_t *n,
    int64_t *total)
{
	static const struct post_query all;
	struct sstore *st = rd(base);
	struct post *rows = NULL;
	sqlite3_stmt *s;
	size_t i, nrows = 0, cap = 0;
	int64_t now = (int64_t)time(NULL), count = 0;
	enum perr e;
	int variant = 0, rc = SQLITE_OK;

	if (q == NULL)
		q = &all;
	if (out == NULL || n == NULL || q->offset < 0 || q->limit < 0)
		return P_BADINPUT;
	if (q->category_slug)
		variant |= LIST_BY_CAT;
	if (q->author_login)
		variant |= LIST_BY_AUTHOR;

	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 0)) != P_OK)
		goto out;

	s = st->stmt[Q_COUNT + variant];
	bind_query(s, q, now, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	if ((e = step_row(st, s)) != P_OK) {
		if (e == P_NOTFOUND) /* count(*) always answers */
			e = P_IO;
		goto out;
	}
	count = sqlite3_column_int64(s, 0);
	done(s);

	s = st->stmt[Q_LIST + variant];
	bind_query(s, q, now, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		read_post(a, s, &rows[nrows++]);
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	if (e != P_OK)
		goto out;
	/* One small indexed query per post; in-process that costs less than
	 * building an IN list. */
	for (i = 0; i < nrows; i++)
		if ((e = load_cats(st, a, &rows[i])) != P_OK)
			goto out;
	if ((e = tx_commit(st)) != P_OK)
		goto out;
	*out = rows;
	*n = nrows;
	if (total)
		*total = count;
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* UPDATE by id through s (id is ?1, value ?2); P_NOTFOUND if no row. */
static enum perr
update_by_id(struct sstore *st, sqlite3_stmt *s, int64_t id,
    const char *text, int64_t num)
{
	enum perr e;
	int rc = SQLITE_OK;

	bind_int(s, 1, id, &rc);
	if (text)
		bind_text(s, 2, text, &rc);
	else
		bind_int(s, 2, num, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	/* Rows matched by the statement itself; trigger writes not counted. */
	if (e == P_OK && sqlite3_changes(st->db) == 0)
		e = P_NOTFOUND;
	return e;
}

static enum perr
sqlite_post_set_open(struct store *base, int64_t id, int open)
{
	struct sstore *st = sstore(base);
	enum perr e;

	pthread_mutex_lock(&st->mu);
	e = update_by_id(st, st->stmt[Q_POST_SET_OPEN], id, NULL, open != 0);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_category_get(struct store *base, struct arena *a, const char *slug,
    struct category *out)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_CAT_GET];
	enum perr e;
	int rc = SQLITE_OK;

	if (slug == NULL || out == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_text(s, 1, slug, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	if ((e = step_row(st, s)) != P_OK)
		goto out;
	out->id = sqlite3_column_int64(s, 0);
	out->slug = col_str(a, s, 1);
	out->name = col_str(a, s, 2);
	done(s);
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_category_list(struct store *base, struct arena *a,
    struct category **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_CAT_LIST];
	struct category *rows = NULL;
	size_t nrows = 0, cap = 0;
	enum perr e = P_OK;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, (int64_t)time(NULL), &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		rows[nrows].id = sqlite3_column_int64(s, 0);
		rows[nrows].slug = col_str(a, s, 1);
		rows[nrows].name = col_str(a, s, 2);
		nrows++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

/*
 * P_NOTFOUND if the post does not exist; P_BADINPUT if the parent does not
 * exist or belongs to another post, or the status is not one of enum
 * cstatus. NULL strings are stored as "". Returns after COMMIT.
 */
/* One comment inside the open write transaction (mu held). */
static enum perr
add_one(struct sstore *st, const struct comment *c, int64_t *id)
{
	sqlite3_stmt *s;
	enum perr e;
	int rc = SQLITE_OK;

	if (c == NULL || c->post_id <= 0 || c->parent_id < 0 ||
	    c->user_id < 0 || !status_ok(c->status))
		return P_BADINPUT;

	s = st->stmt[Q_POST_EXISTS];
	bind_int(s, 1, c->post_id, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	if ((e = step_row(st, s)) != P_OK)
		return e;
	done(s);

	if (c->parent_id != 0) {
		s = st->stmt[Q_COMMENT_POST_OF];
		bind_int(s, 1, c->parent_id, &rc);
		if (rc != SQLITE_OK)
			return bind_fail(st, s, rc);
		if ((e = step_row(st, s)) != P_OK)
			return e == P_NOTFOUND ? P_BADINPUT : e;
		if (sqlite3_column_int64(s, 0) != c->post_id)
			e = P_BADINPUT;
		done(s);
		if (e != P_OK)
			return e;
	}

	s = st->stmt[Q_COMMENT_INSERT];
	bind_int(s, 1, c->post_id, &rc);
	bind_ref(s, 2, c->parent_id, &rc);
	bind_text(s, 3, c->author, &rc);
	bind_text(s, 4, c->email, &rc);
	bind_text(s, 5, c->url, &rc);
	bind_text(s, 6, c->ip, &rc);
	bind_text(s, 7, c->commenter, &rc);
	bind_ref(s, 8, c->user_id, &rc);
	bind_text(s, 9, c->body_md, &rc);
	bind_text(s, 10, c->body_html, &rc);
	bind_int(s, 11, c->created, &rc);
	bind_text(s, 12, cstatus_str(c->status), &rc);
	bind_text(s, 13, c->held_reason, &rc);
	/* n_approved is updated by trigger inside this transaction. */
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e == P_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return e;
}

/*
 * Group commit. Concurrent comment_add calls queue up; the first caller
 * to find no batch in progress becomes its leader: it writes every queued
 * comment in one transaction (each under its own savepoint, so one bad
 * comment fails alone) and commits once, so one fsync makes a whole batch
 * durable. Every caller returns only after the commit that holds its
 * comment, so P_OK still means durable.
 */
struct gc_item {
	const struct comment *c;
	int64_t id;
	enum perr e;
	int done;
	struct gc_item *next;
};

static void
gc_write(struct sstore *st, struct gc_item *batch)
{
	struct gc_item *w;
	enum perr e;

	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) == P_OK) {
		for (w = batch; w; w = w->next) {
			if ((w->e = run(st, st->stmt[Q_SAVEPOINT])) != P_OK)
				continue;
			w->e = add_one(st, w->c, &w->id);
			if (w->e != P_OK)
				(void)run(st, st->stmt[Q_ROLLBACK_TO]);
			(void)run(st, st->stmt[Q_RELEASE]);
		}
		e = tx_commit(st);
	}
	if (e != P_OK) {
		tx_abort(st);
		for (w = batch; w; w = w->next)
			if (w->e == P_OK)
				w->e = e;
	}
	pthread_mutex_unlock(&st->mu);
}

/*
 * P_NOTFOUND if the post does not exist; P_BADINPUT if the parent does not
 * exist or belongs to another post, or the status is not one of enum
 * cstatus. NULL strings are stored as "". Returns after COMMIT.
 */
static enum perr
sqlite_comment_add(struct store *base, const struct comment *c, int64_t *id)
{
	struct sstore *st = sstore(base);
	struct gc_item me, **tail;

	memset(&me, 0, sizeof(me));
	me.c = c;
	pthread_mutex_lock(&st->gc_mu);
	for (tail = &st->gc_queue; *tail; tail = &(*tail)->next)
		;
	*tail = &me;
	while (!me.done) {
		struct gc_item *batch, *w, *next;

		if (st->gc_busy) {
			pthread_cond_wait(&st->gc_cond, &st->gc_mu);
			continue;
		}
		st->gc_busy = 1;
		batch = st->gc_queue;
		st->gc_queue = NULL;
		pthread_mutex_unlock(&st->gc_mu);
		gc_write(st, batch);
		pthread_mutex_lock(&st->gc_mu);
		for (w = batch; w; w = next) {
			next = w->next;
			w->done = 1;
		}
		st->gc_busy = 0;
		pthread_cond_broadcast(&st->gc_cond);
	}
	pthread_mutex_unlock(&st->gc_mu);
	if (me.e == P_OK && id)
		*id = me.id;
	return me.e;
}

static enum perr
sqlite_comment_get(struct store *base, struct arena *a, int64_t id,
    struct comment *out)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_COMMENT_GET];
	enum perr e;
	int rc = SQLITE_OK;

	if (out == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, id, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	if ((e = step_row(st, s)) != P_OK)
		goto out;
	read_comment(a, s, out);
	done(s);
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* Steps a bound comment query into an arena array. */
static enum perr
comment_rows(struct sstore *st, struct arena *a, sqlite3_stmt *s,
    struct comment **out, size_t *n)
{
	struct comment *rows = NULL;
	size_t nrows = 0, cap = 0;
	enum perr e = P_OK;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		read_comment(a, s, &rows[nrows++]);
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

/* A post without comments (or no such post) gives n = 0. */
static enum perr
sqlite_comment_list_post(struct store *base, struct arena *a,
    int64_t post_id, struct comment **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_COMMENT_LIST_POST];
	enum perr e;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, post_id, &rc);
	e = rc == SQLITE_OK ? comment_rows(st, a, s, out, n) :
	    bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* limit 0 means no limit; negative offset or limit is P_BADINPUT. */
static enum perr
sqlite_comment_list_status(struct store *base, struct arena *a,
    enum cstatus cs, int64_t offset, int64_t limit, struct comment **out,
    size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_COMMENT_LIST_STATUS];
	enum perr e;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL || offset < 0 || limit < 0 ||
	    !status_ok(cs))
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_text(s, 1, cstatus_str(cs), &rc);
	bind_int(s, 2, limit > 0 ? limit : -1, &rc);
	bind_int(s, 3, offset, &rc);
	e = rc == SQLITE_OK ? comment_rows(st, a, s, out, n) :
	    bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* One statement; the count trigger runs inside it, so the new status and
 * posts.n_approved commit together. */
static enum perr
sqlite_comment_set_status(struct store *base, int64_t id, enum cstatus cs)
{
	struct sstore *st = sstore(base);
	enum perr e;

	if (!status_ok(cs))
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = update_by_id(st, st->stmt[Q_COMMENT_SET_STATUS], id,
	    cstatus_str(cs), 0);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* An empty commenter id is never known: it would match every commenter
 * without a cookie. E-mail compares ASCII case-insensitively. */
static enum perr
sqlite_commenter_known(struct store *base, const char *commenter,
    const char *email, int *known)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_COMMENTER_KNOWN];
	enum perr e;
	int rc = SQLITE_OK;

	if (known == NULL)
		return P_BADINPUT;
	*known = 0;
	if (commenter == NULL || *commenter == '\0')
		return P_OK;
	pthread_mutex_lock(&st->mu);
	bind_text(s, 1, commenter, &rc);
	bind_text(s, 2, email, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	e = step_row(st, s);
	if (e == P_OK) {
		*known = 1;
		done(s);
	} else if (e == P_NOTFOUND) {
		e = P_OK;
	}
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

/*
 * PRAGMA data_version costs file locks (fcntl) and a trip through the
 * VDBE; asked on every request that was a tenth of serving a cached page.
 * In WAL mode every commit rewrites the WAL-index header at the start of
 * the -shm file (its change counter, frame count and salts: SQLite's
 * documented file format). So: map that header read-only, and ask SQLite
 * only when its bytes differ from the last time. A torn read can only
 * look like a change (one extra PRAGMA); a commit not yet in the header
 * is not visible to readers yet either.
 */
static void
shm_map(struct sstore *st)
{
	const char *db = sqlite3_db_filename(st->db, "main");
	char path[4096];
	struct stat sb;
	void *m;
	int fd, n;

	st->shm_tried = 1;
	if (db == NULL || (n = snprintf(path, sizeof(path), "%s-shm", db)) < 0 ||
	    (size_t)n >= sizeof(path))
		return;
	/* Opened once and closed only after every connection of ours is
	 * (sqlite_close): POSIX drops a process's fcntl locks on a file
	 * when any descriptor of it is closed, and SQLite's shm locks are
	 * such locks. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	st->shm_fd = fd;
	/* Mapping past the end would fault on read: only a set-up file. */
	if (fstat(fd, &sb) != 0 || sb.st_size < 4096)
		return;
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED)
		st->shm = m;
}

static enum perr
sqlite_data_version(struct store *base, int64_t *v)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_DATA_VERSION];
	unsigned char hdr[48];
	enum perr e;

	if (v == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if (!st->shm_tried)
		shm_map(st);
	if (st->shm) {
		size_t i;

		for (i = 0; i < sizeof(hdr); i++)
			hdr[i] = ((const volatile unsigned char *)st->shm)[i];
		if (st->shm_version > 0 &&
		    memcmp(hdr, st->shm_seen, sizeof(hdr)) == 0) {
			*v = st->shm_version;
			pthread_mutex_unlock(&st->mu);
			return P_OK;
		}
	}
	if ((e = step_row(st, s)) == P_OK) {
		*v = sqlite3_column_int64(s, 0);
		done(s);
		if (st->shm) {
			memcpy(st->shm_seen, hdr, sizeof(hdr));
			st->shm_version = *v > 0 ? *v : 0;
		}
	} else if (e == P_NOTFOUND)
		e = P_IO;
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* One integer from statement q (mu held). */
static enum perr
one_int(struct sstore *st, enum qid q, int64_t *v)
{
	sqlite3_stmt *s = st->stmt[q];
	enum perr e;

	if ((e = step_row(st, s)) == P_OK) {
		*v = sqlite3_column_int64(s, 0);
		done(s);
	} else if (e == P_NOTFOUND)
		e = P_IO;
	return e;
}

static enum perr
sqlite_changes_since(struct store *base, int64_t after, int64_t *ids,
    size_t max, size_t *n, int64_t *last)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_CHANGES_SINCE];
	int64_t first = 0, id = after;
	enum perr e;
	int rc = SQLITE_OK;

	if (n == NULL || last == NULL || (max > 0 && ids == NULL))
		return P_BADINPUT;
	*n = 0;
	pthread_mutex_lock(&st->mu);
	if (after < 0) {
		e = one_int(st, Q_CHANGES_LAST, last);
		goto out;
	}
	/* One read transaction: the oldest kept and the rows agree. */
	if ((e = tx_begin(st, 0)) != P_OK)
		goto out;
	if ((e = one_int(st, Q_CHANGES_FIRST, &first)) != P_OK)
		goto out;
	if (first > after + 1) {
		e = one_int(st, Q_CHANGES_LAST, last);
		if (e == P_OK)
			e = P_CONFLICT; /* pruned past what the caller saw */
		goto out;
	}
	bind_int(s, 1, after, &rc);
	bind_int(s, 2, (int64_t)max + 1, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == max) {
			e = P_CONFLICT;
			break;
		}
		id = sqlite3_column_int64(s, 0);
		ids[(*n)++] = sqlite3_column_int64(s, 1);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	*last = id;
	if (e == P_CONFLICT && one_int(st, Q_CHANGES_LAST, last) != P_OK)
		e = P_IO;
out:
	tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_comment_list_mine(struct store *base, struct arena *a,
    int64_t post_id, const char *commenter, struct comment **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_COMMENT_LIST_MINE];
	enum perr e;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL)
		return P_BADINPUT;
	*out = NULL;
	*n = 0;
	if (commenter == NULL || *commenter == '\0')
		return P_OK;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, post_id, &rc);
	bind_text(s, 2, commenter, &rc);
	e = rc == SQLITE_OK ? comment_rows(st, a, s, out, n) :
	    bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_post_next_scheduled(struct store *base, int64_t now, int64_t *t)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_POST_NEXT_SCHEDULED];
	enum perr e;
	int rc = SQLITE_OK;

	if (t == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, now, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	if ((e = step_row(st, s)) == P_OK) {
		/* min() of no rows is NULL, which reads as 0. */
		*t = sqlite3_column_int64(s, 0);
		done(s);
	} else if (e == P_NOTFOUND)
		e = P_IO;
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_set_durable(struct store *base, int durable)
{
	struct sstore *st = sstore(base);
	enum perr e;

	pthread_mutex_lock(&st->mu);
	e = exec_sql(st, durable ? "PRAGMA synchronous=FULL" :
	    "PRAGMA synchronous=OFF");
	pthread_mutex_unlock(&st->mu);
	return e;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = store_open_sqlite,
	.close = sqlite_close,
	.meta_get = sqlite_meta_get,
	.meta_set = sqlite_meta_set,
	.user_ensure = sqlite_user_ensure,
	.user_get = sqlite_user_get,
	.post_add = sqlite_post_add,
	.post_get = sqlite_post_get,
	.post_find = sqlite_post_find,
	.post_list = sqlite_post_list,
	.post_set_open = sqlite_post_set_open,
	.category_get = sqlite_category_get,
	.category_list = sqlite_category_list,
	.comment_add = sqlite_comment_add,
	.comment_get = sqlite_comment_get,
	.comment_list_post = sqlite_comment_list_post,
	.comment_list_status = sqlite_comment_list_status,
	.comment_set_status = sqlite_comment_set_status,
	.commenter_known = sqlite_commenter_known,
	.data_version = sqlite_data_version,
	.comment_list_mine = sqlite_comment_list_mine,
	.post_next_scheduled = sqlite_post_next_scheduled,
	.set_durable = sqlite_set_durable,
	.changes_since = sqlite_changes_since,
};
