/* sqlite.c: the SQLite backend of store.h (the default).
 * One connection writes; reads go to read-only connections: one of its
 * own for each thread that serves pages (up to LIM_READERS - 1), one
 * shared by the rest. So readers never wait for a commit's fsync nor for
 * each other. Each is opened NOMUTEX and guarded by
 * its own st->mu, which serialises whole operations, so a transaction and
 * the cached statements it uses never interleave with another thread's.
 * WAL and a busy timeout let another process (the CLI) write the same file
 * while a server runs. synchronous=FULL makes a commit durable across
 * kill -9 and power loss, which is what "P_OK means durable" promises. */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/limits.h"
#include "../base/log.h"

/* How long a statement waits for another connection's write lock (the CLI
 * importing while the server runs) before giving up with P_IO. */
#define BUSY_TIMEOUT_MS 5000

/* PRAGMA application_id of a Parley database ("Prly"). Lets open refuse
 * another program's SQLite file instead of migrating it. */
#define APP_ID 1349676153
#define STR_(x) #x
#define STR(x) STR_(x)

/* Triggers that move the change clock on every kind of write to table t. */
#define CLOCK_ON(t, ev) \
	"CREATE TRIGGER " #t "_clock_" #ev " AFTER " #ev " ON " #t " BEGIN" \
	"  UPDATE changes SET" \
	"    at = max(at, CAST(strftime('%s', 'now') AS INTEGER)) WHERE id = 1;" \
	"END;"
#define CLOCK(t) CLOCK_ON(t, INSERT) CLOCK_ON(t, UPDATE) CLOCK_ON(t, DELETE)
/* The same for the rows of t that cond (SQL over NEW or OLD) picks. */
#define CLOCK_WHEN(t, ev, cond) \
	"CREATE TRIGGER " #t "_clock_" #ev " AFTER " #ev " ON " #t \
	"  WHEN " cond " BEGIN" \
	"  UPDATE changes SET" \
	"    at = max(at, CAST(strftime('%s', 'now') AS INTEGER)) WHERE id = 1;" \
	"END;"

/* Migration 5 replaces the clock by the change log (below). */
#define UNCLOCK(t) \
	"DROP TRIGGER " #t "_clock_INSERT;" \
	"DROP TRIGGER " #t "_clock_UPDATE;" \
	"DROP TRIGGER " #t "_clock_DELETE;"
/* The change log's time for a new row: now, but never before the newest
 * row's (a clock stepped back must not move Last-Modified back). */
#define LOG_AT \
	"max(CAST(strftime('%s', 'now') AS INTEGER), coalesce((SELECT at" \
	" FROM change_log ORDER BY id DESC LIMIT 1), 0))"
/* A trigger that logs post (SQL) when cond holds for a write to t. */
#define LOG(t, name, ev, cond, post) \
	"CREATE TRIGGER " #t "_log_" name " AFTER " ev " ON " #t \
	"  WHEN " cond " BEGIN" \
	"  INSERT INTO change_log (post_id, at) VALUES (" post ", " LOG_AT ");" \
	"END;"
/* Every write to t may change every page. */
#define LOG_ALL(t) LOG(t, "ins", "INSERT", "1", "0") \
	LOG(t, "upd", "UPDATE", "1", "0") LOG(t, "del", "DELETE", "1", "0")

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

	/* 2: the admin side: sessions, drafts, old addresses, tags, media,
	 * moderation marks. */
	/* Only a hash of the cookie's token is kept: a copy of the file
	 * does not log anyone in. */
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY NOT NULL,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  ip TEXT NOT NULL DEFAULT '',"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX sessions_user ON sessions (user_id);"
	"CREATE INDEX sessions_expires ON sessions (expires);"

	"ALTER TABLE posts ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;"
	/* Addresses a post had while readers could see it (slug or day
	 * changed later): answered with a 301 to where it is now. */
	"CREATE TABLE post_redirects ("
	"  pub_day TEXT NOT NULL,"
	"  slug TEXT NOT NULL,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (pub_day, slug)"
	") STRICT;"
	"CREATE INDEX post_redirects_post ON post_redirects (post_id);"
	"CREATE INDEX post_redirects_slug ON post_redirects (slug);"
	/* Global slug uniqueness is checked through this. */
	"CREATE INDEX posts_slug ON posts (slug);"

	/* Same names and shape as the tag archives use (IF NOT EXISTS: the
	 * two may meet in one schema). */
	"CREATE TABLE IF NOT EXISTS tags ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE CHECK (slug <> ''),"
	"  name TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE IF NOT EXISTS post_tags ("
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (post_id, tag_id)"
	") STRICT;"
	"CREATE INDEX IF NOT EXISTS post_tags_tag ON post_tags (tag_id, post_id);"

	/* Restore from spam/trash goes back to this. */
	"ALTER TABLE comments ADD COLUMN prev_status TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE comments ADD COLUMN moderator_edited INTEGER NOT NULL"
	"  DEFAULT 0;"

	/* Images live in the database, named by the SHA-256 of their bytes,
	 * so every server node sharing the store can serve every file. */
	"CREATE TABLE media ("
	"  hash TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 64),"
	"  type TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  size INTEGER NOT NULL,"
	"  width INTEGER NOT NULL DEFAULT 0,"
	"  height INTEGER NOT NULL DEFAULT 0,"
	"  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created INTEGER NOT NULL,"
	"  data BLOB NOT NULL"
	") STRICT;"
	"CREATE INDEX media_created ON media (created DESC, hash);",

	/* 3: the search index; the site's change clock; plain text of
	 * bodies; indexes for feeds and "newest comment". (Tags came with
	 * 2, in the shape the tag archives and feeds read.) */
	/* Plain text made by the writer along with body_html; '' = not
	 * given, and the index falls back to the Markdown source. */
	"ALTER TABLE posts ADD COLUMN body_text TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE comments ADD COLUMN body_text TEXT NOT NULL DEFAULT '';"
	/* A writer that changes the source without new plain text must not
	 * leave the old words searchable: forget the stale text. */
	"CREATE TRIGGER posts_text_stale AFTER UPDATE OF body_md ON posts"
	"  WHEN NEW.body_md IS NOT OLD.body_md AND NEW.body_text <> ''"
	"    AND NEW.body_text IS OLD.body_text BEGIN"
	"  UPDATE posts SET body_text = '' WHERE id = NEW.id;"
	"END;"
	"CREATE TRIGGER comments_text_stale AFTER UPDATE OF body_md ON comments"
	"  WHEN NEW.body_md IS NOT OLD.body_md AND NEW.body_text <> ''"
	"    AND NEW.body_text IS OLD.body_text BEGIN"
	"  UPDATE comments SET body_text = '' WHERE id = NEW.id;"
	"END;"

	/* "Newest approved comment" of a post, and the site's latest
	 * comments feed, without scanning held ones. */
	"CREATE INDEX comments_approved ON comments (post_id, created)"
	"  WHERE status = 'approved';"
	"CREATE INDEX comments_recent ON comments (created DESC, id DESC)"
	"  WHERE status = 'approved';"

	/* Full-text search over what the public may read: published posts
	 * (rowid 2*id) and approved comments (rowid 2*id+1). unicode61 with
	 * remove_diacritics 2 folds case and accents. Triggers keep it exact
	 * in the writing transaction, whoever writes; whether a post is
	 * visible yet (scheduled) is checked when searching. */
	"CREATE VIRTUAL TABLE search_fts USING fts5("
	"  title, body, who, post_id UNINDEXED,"
	"  tokenize = 'unicode61 remove_diacritics 2');"
	"CREATE TRIGGER posts_fts_ins AFTER INSERT ON posts"
	"  WHEN NEW.status = 'publish' BEGIN"
	"  INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"    VALUES (NEW.id * 2, NEW.title, CASE WHEN NEW.body_text <> ''"
	"    THEN NEW.body_text ELSE NEW.body_md END, '', NEW.id);"
	"END;"
	"CREATE TRIGGER posts_fts_upd"
	"  AFTER UPDATE OF title, body_md, body_text, status ON posts BEGIN"
	"  DELETE FROM search_fts WHERE rowid = OLD.id * 2;"
	"  INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"    SELECT NEW.id * 2, NEW.title, CASE WHEN NEW.body_text <> ''"
	"    THEN NEW.body_text ELSE NEW.body_md END, '', NEW.id"
	"    WHERE NEW.status = 'publish';"
	"END;"
	"CREATE TRIGGER posts_fts_del AFTER DELETE ON posts BEGIN"
	"  DELETE FROM search_fts WHERE rowid = OLD.id * 2;"
	"END;"
	"CREATE TRIGGER comments_fts_ins AFTER INSERT ON comments"
	"  WHEN NEW.status = 'approved' BEGIN"
	"  INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"    VALUES (NEW.id * 2 + 1, '', CASE WHEN NEW.body_text <> ''"
	"    THEN NEW.body_text ELSE NEW.body_md END, NEW.author, NEW.post_id);"
	"END;"
	"CREATE TRIGGER comments_fts_upd AFTER UPDATE OF status, body_md,"
	"  body_text, author, post_id ON comments BEGIN"
	"  DELETE FROM search_fts WHERE rowid = OLD.id * 2 + 1;"
	"  INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"    SELECT NEW.id * 2 + 1, '', CASE WHEN NEW.body_text <> ''"
	"    THEN NEW.body_text ELSE NEW.body_md END, NEW.author, NEW.post_id"
	"    WHERE NEW.status = 'approved';"
	"END;"
	"CREATE TRIGGER comments_fts_del AFTER DELETE ON comments"
	"  WHEN OLD.status = 'approved' BEGIN"
	"  DELETE FROM search_fts WHERE rowid = OLD.id * 2 + 1;"
	"END;"
	"INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"  SELECT id * 2, title, body_md, '', id FROM posts"
	"  WHERE status = 'publish';"
	"INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"  SELECT id * 2 + 1, '', body_md, author, post_id FROM comments"
	"  WHERE status = 'approved';"

	/* When the content last changed, for HTTP's Last-Modified: every
	 * write to a table pages show moves it, in the writing transaction
	 * and whichever process writes. Never moves backwards. */
	"CREATE TABLE changes ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  at INTEGER NOT NULL"
	") STRICT;"
	"INSERT INTO changes (id, at)"
	"  VALUES (1, CAST(strftime('%s', 'now') AS INTEGER));"
	CLOCK(posts) CLOCK(comments) CLOCK(categories) CLOCK(post_categories)
	CLOCK(tags) CLOCK(post_tags) CLOCK(users)
	/* The admin side's tables that pages show: images, old addresses,
	 * and the settings page's values (title, thread depth...) in meta.
	 * meta's other rows (the site secret, the settings version) change
	 * no page by themselves. */
	CLOCK(media) CLOCK(post_redirects)
	CLOCK_WHEN(meta, INSERT, "NEW.key GLOB 'setting.*'")
	CLOCK_WHEN(meta, UPDATE, "NEW.key GLOB 'setting.*'"
	    " AND NEW.value IS NOT OLD.value")
	CLOCK_WHEN(meta, DELETE, "OLD.key GLOB 'setting.*'"),

	/* 4: WordPress import and export (issue 4). Posts get a type (post,
	 * page), a password, WordPress's dates, ids and names; comments their
	 * type and WordPress ids; users their WordPress identity; categories
	 * a parent. posts.status keeps WordPress's word ('publish',
	 * 'future', 'draft', 'pending', 'private'): 'future' is public from
	 * its date, as WordPress publishes it then. What Parley does not
	 * use itself is kept in wxr_* columns and tables so an export can
	 * write it back. (posts_slug, tags and post_tags came with 2.) */
	"ALTER TABLE posts ADD COLUMN type TEXT NOT NULL DEFAULT 'post';"
	"ALTER TABLE posts ADD COLUMN path TEXT;"
	"ALTER TABLE posts ADD COLUMN format TEXT NOT NULL DEFAULT 'markdown';"
	"ALTER TABLE posts ADD COLUMN password TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE posts ADD COLUMN date_local TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE posts ADD COLUMN date_gmt TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE posts ADD COLUMN guid TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE posts ADD COLUMN excerpt_auto INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE posts ADD COLUMN wp_id INTEGER;"
	"ALTER TABLE posts ADD COLUMN wp_parent INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE posts ADD COLUMN wp_name TEXT;"
	"ALTER TABLE posts ADD COLUMN wp_path TEXT;"
	"ALTER TABLE posts ADD COLUMN wp_thumbnail INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE posts ADD COLUMN wxr_extra TEXT NOT NULL DEFAULT '';"
	/* /?p=ID, idempotent re-import, pages by address, old permalinks. */
	"CREATE UNIQUE INDEX posts_wp_id ON posts (wp_id) WHERE wp_id IS NOT NULL;"
	"CREATE UNIQUE INDEX posts_path ON posts (path) WHERE path IS NOT NULL;"
	"CREATE INDEX posts_wp_path ON posts (wp_path) WHERE wp_path IS NOT NULL;"

	"ALTER TABLE comments ADD COLUMN type TEXT NOT NULL DEFAULT 'comment';"
	"ALTER TABLE comments ADD COLUMN format TEXT NOT NULL DEFAULT 'markdown';"
	"ALTER TABLE comments ADD COLUMN date_local TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE comments ADD COLUMN date_gmt TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE comments ADD COLUMN wp_id INTEGER;"
	"ALTER TABLE comments ADD COLUMN wp_parent INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE comments ADD COLUMN wp_user_id INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE comments ADD COLUMN wp_approved TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE comments ADD COLUMN wxr_extra TEXT NOT NULL DEFAULT '';"
	"CREATE UNIQUE INDEX comments_wp_id ON comments (wp_id)"
	"  WHERE wp_id IS NOT NULL;"

	"ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN first_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN last_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN wp_id INTEGER;"
	"ALTER TABLE users ADD COLUMN wp_login TEXT;"
	"ALTER TABLE users ADD COLUMN wxr_extra TEXT NOT NULL DEFAULT '';"
	"CREATE UNIQUE INDEX users_wp_id ON users (wp_id) WHERE wp_id IS NOT NULL;"
	"CREATE UNIQUE INDEX users_wp_login ON users (wp_login)"
	"  WHERE wp_login IS NOT NULL;"

	"ALTER TABLE categories ADD COLUMN parent_id INTEGER"
	"  REFERENCES categories(id) ON DELETE SET NULL;"

	/* The search index (3) holds every post that is or will be public
	 * by status: 'future' too now. Whether it is visible yet (date,
	 * password, type) is checked when searching, as before. */
	"DROP TRIGGER posts_fts_ins;"
	"DROP TRIGGER posts_fts_upd;"
	"CREATE TRIGGER posts_fts_ins AFTER INSERT ON posts"
	"  WHEN NEW.status IN ('publish', 'future') BEGIN"
	"  INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"    VALUES (NEW.id * 2, NEW.title, CASE WHEN NEW.body_text <> ''"
	"    THEN NEW.body_text ELSE NEW.body_md END, '', NEW.id);"
	"END;"
	"CREATE TRIGGER posts_fts_upd"
	"  AFTER UPDATE OF title, body_md, body_text, status ON posts BEGIN"
	"  DELETE FROM search_fts WHERE rowid = OLD.id * 2;"
	"  INSERT INTO search_fts (rowid, title, body, who, post_id)"
	"    SELECT NEW.id * 2, NEW.title, CASE WHEN NEW.body_text <> ''"
	"    THEN NEW.body_text ELSE NEW.body_md END, '', NEW.id"
	"    WHERE NEW.status IN ('publish', 'future');"
	"END;"

	/* WordPress's side of every term: its id, description, parent slug
	 * and termmeta; and terms of taxonomies Parley has no use for. */
	"CREATE TABLE wxr_terms ("
	"  taxonomy TEXT NOT NULL,"
	"  slug TEXT NOT NULL,"
	"  wp_id INTEGER NOT NULL DEFAULT 0,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  parent TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL DEFAULT '',"
	"  extra TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (taxonomy, slug)"
	") STRICT;"
	"CREATE INDEX wxr_terms_wp_id ON wxr_terms (taxonomy, wp_id);"
	/* Items Parley does not show, kept whole: attachments (their URL
	 * and caption also as columns: featured images), menu items,
	 * revisions, custom types. */
	"CREATE TABLE wxr_items ("
	"  id INTEGER PRIMARY KEY,"
	"  wp_id INTEGER UNIQUE,"
	"  type TEXT NOT NULL,"
	"  parent INTEGER NOT NULL DEFAULT 0,"
	"  url TEXT NOT NULL DEFAULT '',"
	"  title TEXT NOT NULL DEFAULT '',"
	"  caption TEXT NOT NULL DEFAULT '',"
	"  xml TEXT NOT NULL"
	") STRICT;"
	/* Unknown children of <channel>. */
	"CREATE TABLE wxr_channel ("
	"  id INTEGER PRIMARY KEY,"
	"  xml TEXT NOT NULL UNIQUE"
	") STRICT;"
	/* Old addresses of attachments answer with redirects: they move the
	 * change clock like post_redirects. */
	CLOCK(wxr_items),

	/* 5: the page cache (issue 6). A reader's own pending comments on
	 * an article, looked up on every view by a reader with a commenter
	 * cookie (the personal part of a cached page); the next scheduled
	 * post, for cache expiry. And one change log in place of 3's
	 * single-row clock (with 4's CLOCK on wxr_items): every write to a
	 * table pages show adds a row saying which article's pages it
	 * changed (post_id; 0: something every page may
	 * show; -1: nothing a shared page shows, only the clock) and when.
	 * Written by triggers, in the writing transaction, whoever writes:
	 * the newest row's time is Last-Modified (never moves backwards),
	 * and a server that sees data_version move reads the rows since its
	 * last look and drops exactly those pages. Kept short by the prune
	 * trigger. */
	"CREATE INDEX comments_mine ON comments (commenter, post_id, created)"
	"  WHERE status = 'pending';"
	"CREATE INDEX posts_scheduled ON posts (published)"
	"  WHERE status IN ('publish', 'future');"
	UNCLOCK(posts) UNCLOCK(comments) UNCLOCK(categories)
	UNCLOCK(post_categories) UNCLOCK(tags) UNCLOCK(post_tags)
	UNCLOCK(users) UNCLOCK(media) UNCLOCK(post_redirects) UNCLOCK(meta)
	UNCLOCK(wxr_items)
	"CREATE TABLE change_log ("
	"  id INTEGER PRIMARY KEY,"
	"  post_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL"
	") STRICT;"
	"INSERT INTO change_log (post_id, at) SELECT 0, at FROM changes;"
	"DROP TABLE changes;"
	"CREATE TRIGGER change_log_prune AFTER INSERT ON change_log"
	"  WHEN NEW.id % 1000 = 0 BEGIN"
	"  DELETE FROM change_log WHERE id <= NEW.id - 10000;"
	"END;"
	/* A held comment shows on no shared page (its writer's copy is
	 * spliced per reader), but moves the clock. */
	LOG(comments, "ins", "INSERT", "NEW.status = 'approved'", "NEW.post_id")
	LOG(comments, "ins_held", "INSERT", "NEW.status <> 'approved'", "-1")
	"CREATE TRIGGER comments_log_upd AFTER UPDATE ON comments BEGIN"
	"  INSERT INTO change_log (post_id, at) VALUES (NEW.post_id, " LOG_AT ");"
	"  INSERT INTO change_log (post_id, at) SELECT OLD.post_id, " LOG_AT
	"    WHERE OLD.post_id IS NOT NEW.post_id;"
	"END;"
	LOG(comments, "del", "DELETE", "1", "OLD.post_id")
	/* n_approved is kept by the comment triggers, which log already;
	 * opening or closing comments changes only the article. */
	LOG(posts, "ins", "INSERT", "1", "0")
	/* 4's columns too: a page's type, path and password decide where
	 * and whether it shows; the import rewrites late fields. */
	"CREATE TRIGGER posts_log_upd AFTER UPDATE OF slug, title, author_id,"
	"  published, status, body_md, body_html, excerpt, image,"
	"  image_caption, modified, body_text, type, path, format, password,"
	"  date_local, date_gmt, guid, excerpt_auto, wp_id, wp_parent,"
	"  wp_name, wp_path, wp_thumbnail, wxr_extra ON posts BEGIN"
	"  INSERT INTO change_log (post_id, at) VALUES (0, " LOG_AT ");"
	"END;"
	"CREATE TRIGGER posts_log_open AFTER UPDATE OF comments_open"
	"  ON posts BEGIN"
	"  INSERT INTO change_log (post_id, at) VALUES (NEW.id, " LOG_AT ");"
	"END;"
	LOG(posts, "del", "DELETE", "1", "0")
	LOG_ALL(categories) LOG_ALL(post_categories) LOG_ALL(tags)
	LOG_ALL(post_tags) LOG_ALL(media) LOG_ALL(post_redirects)
	/* 4's attachments: their old addresses answer with redirects and
	 * their URLs are featured images. */
	LOG_ALL(wxr_items)
	LOG(users, "ins", "INSERT", "1", "0")
	LOG(users, "del", "DELETE", "1", "0")
	"CREATE TRIGGER users_log_upd AFTER UPDATE OF login, name, email,"
	"  first_name, last_name, wp_id, wp_login ON users"
	"  BEGIN"
	"  INSERT INTO change_log (post_id, at) VALUES (0, " LOG_AT ");"
	"END;"
	/* The settings page's values (title, thread depth...) in meta;
	 * meta's other rows (the site secret, the settings version) change
	 * no page by themselves. */
	LOG(meta, "ins", "INSERT", "NEW.key GLOB 'setting.*'", "0")
	LOG(meta, "upd", "UPDATE", "NEW.key GLOB 'setting.*'"
	    " AND NEW.value IS NOT OLD.value", "0")
	LOG(meta, "del", "DELETE", "OLD.key GLOB 'setting.*'", "0"),

	/* 6: search decides whether a hit is visible, and orders equal
	 * scores by date, from these two indexes alone. The columns it needs
	 * (posts' type, status, password; comments' created) sit behind the
	 * bodies in the rows, so reading them from the tables cost overflow
	 * pages per match: a common word read most of the database. */
	"CREATE INDEX posts_listable ON posts (id, published)"
	"  WHERE type = 'post' AND status IN ('publish', 'future')"
	"  AND password = '';"
	"CREATE INDEX comments_hit ON comments (id, post_id, created)"
	"  WHERE status = 'approved';",

	/* 7: a thread page finds its approved comments and their parents in
	 * this index alone (Q_COMMENT_LIST_THREAD), reading rows only for
	 * the comments it shows. */
	"DROP INDEX comments_approved;"
	"CREATE INDEX comments_approved ON comments (post_id, created,"
	"  parent_id, status) WHERE status = 'approved';",
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
	/* Eight variants each, indexed by LIST_BY_CAT | LIST_BY_AUTHOR |
	 * LIST_BY_TAG. */
	Q_LIST,
	Q_LIST_END = Q_LIST + 7,
	Q_COUNT,
	Q_COUNT_END = Q_COUNT + 7,
	Q_COMMENT_POST_OF,
	Q_COMMENT_INSERT,
	Q_COMMENT_GET,
	Q_COMMENT_LIST_POST,
	Q_COMMENT_LIST_THREAD,
	Q_COMMENT_LIST_THREAD_ALL,
	Q_COMMENT_COUNTS,
	Q_COMMENT_LIST_STATUS,
	Q_COMMENT_SET_STATUS,
	Q_COMMENTER_KNOWN,
	Q_TAG_INSERT,
	Q_TAG_GET,
	Q_POST_TAG_LINK,
	Q_LAST_CHANGE,
	Q_SEARCH_RANK,
	Q_SEARCH_MORE,
	Q_SEARCH_HIT,
	Q_SEARCH_HITS,
	Q_RECENT_ALL,
	Q_RECENT_POST,
	/* Indexed by enum archive_kind. */
	Q_ARCH,
	Q_ARCH_END = Q_ARCH + ARCH_MONTH,
	/* WordPress import (issue 4) */
	Q_IMP_USER_BY_WPLOGIN,
	Q_IMP_USER_INSERT,
	Q_IMP_USER_ADOPT,
	Q_IMP_TERM_INSERT,
	Q_IMP_POST_BY_WPID,
	Q_IMP_POST_ID_FREE,
	Q_IMP_POST_INSERT,
	Q_IMP_POST_UPDATE,
	Q_IMP_POST_UNLINK_CATS,
	Q_IMP_POST_UNLINK_TAGS,
	Q_IMP_NEW_POST,
	Q_IMP_COMMENT_BY_WPID,
	Q_IMP_COMMENT_ID_FREE,
	Q_IMP_COMMENT_INSERT,
	Q_IMP_NEW_COMMENT,
	Q_IMP_ITEM_BY_WPID,
	Q_IMP_ITEM_NOID,
	Q_IMP_ITEM_INSERT,
	Q_IMP_CHANNEL_INSERT,
	Q_FIN_COMMENT_PARENTS,
	Q_FIN_ORPHANS,
	Q_FIN_CAT_PARENTS,
	Q_FIN_NEW_PAGES,
	Q_FIN_PAGE_PARENT,
	Q_FIN_SET_PATH,
	Q_FIN_IMAGES,
	/* WordPress export */
	Q_EXP_USERS,
	Q_EXP_CATS,
	Q_EXP_TAGS,
	Q_EXP_TERMS,
	Q_EXP_POSTS,
	Q_EXP_ITEMS,
	Q_EXP_CHANNEL,
	/* old addresses */
	Q_LOOK_WP_ID,
	Q_LOOK_NATIVE_ID,
	Q_LOOK_OLD_PATH,
	Q_LOOK_SLUG,
	Q_LOOK_PAGE_PATH,
	Q_LOOK_ATTACHMENT,
	Q_WP_SLUG_CAT,
	Q_WP_SLUG_TAG,
	Q_WP_SLUG_AUTHOR,
	/* page cache (issue 6) */
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
#define LIST_BY_TAG 4

/* Column order is what read_post() expects. A missing author (only
 * possible if someone edited the file by hand) gives "" not a lost post. */
/* md and text: the Markdown source and the plain text, or '' where the
 * reader never shows them (an article's page: a third of its bytes). */
#define POST_COLS_(md, text) \
	"p.id, p.slug, p.title, p.author_id, u.login, u.name," \
	" p.published, " md ", p.body_html, p.excerpt, p.image," \
	" p.image_caption, p.comments_open, p.n_approved, p.status," \
	" p.modified, " text "," \
	" (SELECT max(c.created) FROM comments c WHERE c.post_id = p.id" \
	" AND c.status = 'approved')," \
	" p.type, p.path, p.format, p.password, p.date_local," \
	" p.date_gmt, p.guid, p.excerpt_auto, p.wp_id, p.wp_parent," \
	" p.wp_name, p.wp_path, p.wp_thumbnail"
#define POST_COLS POST_COLS_("p.body_md", "p.body_text")
#define POST_FROM " FROM posts p LEFT JOIN users u ON u.id = p.author_id "
#define POST_SELECT "SELECT " POST_COLS POST_FROM
#define POST_COUNT "SELECT count(*) FROM posts p "
#define POST_COUNT_U POST_COUNT "JOIN users u ON u.id = p.author_id "
/*
 * Who may see a post: the one rule, with post_is_public() in
 * handler/page.c its C twin. Published by status ('publish', or
 * 'future': WordPress publishes a scheduled post at its date), no
 * password, and (added at each use, with the time bound there) dated
 * at or before now. Drafts, pending and private posts never are.
 * post_get by id is not limited by this; callers check.
 */
#define PUBLIC "p.status IN ('publish', 'future') AND p.password = '' "
/* Listings, archives, feeds, search, the sitemap: public articles (not
 * pages, which live at their own paths). */
#define LISTABLE "p.type = 'post' AND " PUBLIC
#define LISTED "WHERE " LISTABLE "AND p.published <= :now" \
	" AND p.published >= :from AND p.published < :until "
/* enum pstatus of p at ?1 (now), as read_post() derives it. */
#define PSTATUS_AT \
	"CASE WHEN p.status NOT IN ('publish', 'future') THEN 1" \
	" WHEN p.published > ?1 THEN 2 ELSE 0 END"
#define BY_CAT \
	"AND p.id IN (SELECT pc.post_id FROM post_categories pc" \
	" JOIN categories c ON c.id = pc.category_id WHERE c.slug = :cat) "
#define BY_AUTHOR "AND u.login = :author "
#define BY_TAG \
	"AND p.id IN (SELECT pt.post_id FROM post_tags pt" \
	" JOIN tags t ON t.id = pt.tag_id WHERE t.slug = :tag) "
#define PAGE "ORDER BY p.published DESC, p.id DESC LIMIT :limit OFFSET :offset"

/* Column order is what read_comment() expects. */
#define COMMENT_SELECT \
	"SELECT id, post_id, parent_id, author, email, url, ip, commenter," \
	" user_id, body_md, body_html, created, status, held_reason," \
	" moderator_edited, body_text," \
	" type, format, date_local, date_gmt, wp_id, wp_parent, wp_user_id," \
	" wp_approved, wxr_extra" \
	" FROM comments "
/* The same columns for a query that joins (comments c). */
#define COMMENT_SELECT_C \
	"SELECT c.id, c.post_id, c.parent_id, c.author, c.email, c.url, c.ip," \
	" c.commenter, c.user_id, c.body_md, c.body_html, c.created, c.status," \
	" c.held_reason, c.moderator_edited, c.body_text," \
	" c.type, c.format, c.date_local, c.date_gmt, c.wp_id, c.wp_parent," \
	" c.wp_user_id, c.wp_approved, c.wxr_extra FROM comments c "
/* What a thread page shows of a comment; the column order is what
 * read_thread_comment() expects. */
#define THREAD_SELECT \
	"SELECT id, post_id, parent_id, author, url, commenter, user_id," \
	" body_html, created, status, moderator_edited FROM comments "
/* Newest publication or approved comment of post p. */
#define LAST_ACTIVITY \
	"max(p.published, coalesce((SELECT max(cm.created) FROM comments cm" \
	" WHERE cm.post_id = p.id AND cm.status = 'approved'), 0))"
#define VISIBLE LISTABLE "AND p.published <= ?1 "
/*
 * Search. A common word matches most of the site, so the work per search
 * is bounded: the LIM_SEARCH_RANKED matches of each kind added last
 * (highest rowid; articles are 2*id, comments 2*id+1, so parity is the
 * kind) are the candidates; FTS5 walks its doclist in rowid order and
 * stops there. bm25 ranks the candidates that are visible, deciding
 * visibility (and the date that orders equal scores) from posts_listable
 * and comments_hit, never the rows with their bodies. Only the page's
 * rows are then read whole, with highlight() and snippet().
 * ?1 match, ?2 now, ?3 kind (-1 any, 0 posts, 1 comments), ?4 the bound.
 */
#define SEARCH_KIND(par) \
	"SELECT * FROM (SELECT rowid, bm25(search_fts, 10.0, 1.0, 2.0)" \
	" FROM search_fts WHERE search_fts MATCH ?1 AND ?3 <> 1 - " par \
	" AND (rowid & 1) = " par " ORDER BY rowid DESC LIMIT ?4)"
/* Whether m's hit is on a visible article: p is that article. */
#define SEARCH_VISIBLE(m) \
	" LEFT JOIN comments c INDEXED BY comments_hit ON (" m ".k & 1) = 1" \
	" AND c.id = " m ".k / 2 AND c.status = 'approved'" \
	" JOIN posts p INDEXED BY posts_listable ON p.id = CASE WHEN" \
	" " m ".k & 1 THEN c.post_id ELSE " m ".k / 2 END" \
	" WHERE " LISTABLE "AND p.published <= ?2 "
/* Whether a match of kind par lies beyond the bound. */
#define SEARCH_PAST(par) \
	"EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH ?1" \
	" AND ?3 <> 1 - " par " AND (rowid & 1) = " par \
	" ORDER BY rowid DESC LIMIT 1 OFFSET ?4)"
/* Whether a visible match of kind par lies beyond the bound. */
#define SEARCH_BEYOND(par) \
	"EXISTS (SELECT 1 FROM (SELECT rowid AS k FROM search_fts" \
	" WHERE search_fts MATCH ?1 AND ?3 <> 1 - " par \
	" AND (rowid & 1) = " par " ORDER BY rowid DESC LIMIT -1 OFFSET ?4)" \
	" AS b" SEARCH_VISIBLE("b") ")"

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
	    " image_caption, comments_open, body_text) VALUES (?1, ?2, ?3, ?4,"
	    " strftime('%Y-%m-%d', ?4, 'unixepoch'), ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11)",
	[Q_CAT_INSERT] = "INSERT INTO categories (slug, name) VALUES (?1, ?2)"
	    " ON CONFLICT (slug) DO NOTHING",
	[Q_CAT_GET] = "SELECT id, slug, name FROM categories WHERE slug = ?1",
	[Q_POST_CAT_LINK] = "INSERT INTO post_categories (post_id, category_id)"
	    " VALUES (?1, ?2) ON CONFLICT DO NOTHING",
	[Q_POST_GET] = POST_SELECT "WHERE p.id = ?1",
	[Q_POST_FIND] = "SELECT " POST_COLS_("''", "''") POST_FROM
	    "WHERE p.pub_day = ?1 AND p.slug = ?2"
	    " AND p.type = 'post' AND " PUBLIC "AND p.published <= ?3",
	/* Categories (kind 0) then tags (kind 1), each by name: one query
	 * per post read. */
	[Q_POST_CATS] = "SELECT 0 AS kind, c.id, c.slug, c.name AS name"
	    " FROM post_categories pc JOIN categories c"
	    " ON c.id = pc.category_id WHERE pc.post_id = ?1"
	    " UNION ALL SELECT 1, t.id, t.slug, t.name FROM post_tags pt"
	    " JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = ?1"
	    " ORDER BY kind, name COLLATE NOCASE, name, 2",
	[Q_POST_SET_OPEN] = "UPDATE posts SET comments_open = ?2 WHERE id = ?1",
	[Q_POST_EXISTS] = "SELECT 1 FROM posts WHERE id = ?1",
	/* Same visibility as post_list: a category of only future posts
	 * would lead to an empty archive. */
	[Q_CAT_LIST] = "SELECT c.id, c.slug, c.name FROM categories c"
	    " WHERE EXISTS (SELECT 1 FROM post_categories pc"
	    " JOIN posts p ON p.id = pc.post_id WHERE pc.category_id = c.id"
	    " AND " LISTABLE "AND p.published <= ?1)"
	    " ORDER BY c.name COLLATE NOCASE, c.name, c.id",
	[Q_LIST + 0] = POST_SELECT LISTED PAGE,
	[Q_LIST + LIST_BY_CAT] = POST_SELECT LISTED BY_CAT PAGE,
	[Q_LIST + LIST_BY_AUTHOR] = POST_SELECT LISTED BY_AUTHOR PAGE,
	[Q_LIST + LIST_BY_CAT + LIST_BY_AUTHOR] =
	    POST_SELECT LISTED BY_CAT BY_AUTHOR PAGE,
	[Q_LIST + LIST_BY_TAG] = POST_SELECT LISTED BY_TAG PAGE,
	[Q_LIST + LIST_BY_TAG + LIST_BY_CAT] =
	    POST_SELECT LISTED BY_CAT BY_TAG PAGE,
	[Q_LIST + LIST_BY_TAG + LIST_BY_AUTHOR] =
	    POST_SELECT LISTED BY_AUTHOR BY_TAG PAGE,
	[Q_LIST + LIST_BY_TAG + LIST_BY_CAT + LIST_BY_AUTHOR] =
	    POST_SELECT LISTED BY_CAT BY_AUTHOR BY_TAG PAGE,
	[Q_COUNT + 0] = POST_COUNT LISTED,
	[Q_COUNT + LIST_BY_CAT] = POST_COUNT LISTED BY_CAT,
	[Q_COUNT + LIST_BY_AUTHOR] = POST_COUNT_U LISTED BY_AUTHOR,
	[Q_COUNT + LIST_BY_CAT + LIST_BY_AUTHOR] =
	    POST_COUNT_U LISTED BY_CAT BY_AUTHOR,
	[Q_COUNT + LIST_BY_TAG] = POST_COUNT LISTED BY_TAG,
	[Q_COUNT + LIST_BY_TAG + LIST_BY_CAT] = POST_COUNT LISTED BY_CAT BY_TAG,
	[Q_COUNT + LIST_BY_TAG + LIST_BY_AUTHOR] =
	    POST_COUNT_U LISTED BY_AUTHOR BY_TAG,
	[Q_COUNT + LIST_BY_TAG + LIST_BY_CAT + LIST_BY_AUTHOR] =
	    POST_COUNT_U LISTED BY_CAT BY_AUTHOR BY_TAG,
	[Q_COMMENT_POST_OF] = "SELECT post_id FROM comments WHERE id = ?1",
	[Q_COMMENT_INSERT] = "INSERT INTO comments (post_id, parent_id, author,"
	    " email, url, ip, commenter, user_id, body_md, body_html, created,"
	    " status, held_reason, body_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[Q_COMMENT_GET] = COMMENT_SELECT "WHERE id = ?1",
	[Q_COMMENT_LIST_POST] = COMMENT_SELECT
	    "WHERE post_id = ?1 ORDER BY created, id",
	/* Every comment of the post, for a thread with few hidden ones. */
	[Q_COMMENT_LIST_THREAD_ALL] = THREAD_SELECT "WHERE post_id = ?1"
	    " ORDER BY created, id",
	/* All comments of a post and the approved ones, from indexes. */
	[Q_COMMENT_COUNTS] = "SELECT (SELECT count(*) FROM comments"
	    " WHERE post_id = ?1), (SELECT count(*) FROM comments INDEXED BY"
	    " comments_approved WHERE post_id = ?1 AND status = 'approved')",
	/* What the thread shows and nothing else: approved comments, the
	 * viewer's (?2) pending ones, and every comment above one of those
	 * (a placeholder, or an orphan's missing parent). Held, spam and
	 * trashed comments under no shown one are not read at all: a post
	 * with thousands of them renders as fast as one without. */
	[Q_COMMENT_LIST_THREAD] = "WITH RECURSIVE vis(id, parent) AS ("
	    " SELECT id, parent_id FROM comments INDEXED BY comments_approved"
	    " WHERE post_id = ?1 AND status = 'approved'"
	    " UNION ALL SELECT id, parent_id FROM comments INDEXED BY"
	    " comments_mine WHERE ?2 <> '' AND commenter = ?2 AND"
	    " post_id = ?1 AND status = 'pending'),"
	    /* Climbing only from parents not shown anyway: usually none. */
	    " up(id) AS (SELECT parent FROM vis WHERE parent IS NOT NULL"
	    " AND parent NOT IN (SELECT id FROM vis)"
	    " UNION SELECT c.parent_id FROM comments c JOIN up ON c.id = up.id"
	    " WHERE c.parent_id IS NOT NULL"
	    " AND c.parent_id NOT IN (SELECT id FROM vis))"
	    " " THREAD_SELECT "WHERE id IN"
	    " (SELECT id FROM vis UNION ALL SELECT id FROM up)"
	    " AND post_id = ?1 ORDER BY created, id",
	/* Newest = highest id (arrival order), which the (status, id) index
	 * serves without a sort. */
	[Q_COMMENT_LIST_STATUS] = COMMENT_SELECT
	    "WHERE status = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
	[Q_COMMENT_SET_STATUS] =
	    "UPDATE comments SET prev_status = CASE"
	    " WHEN ?2 IN ('spam', 'trash') AND status NOT IN ('spam', 'trash')"
	    " THEN status ELSE prev_status END, status = ?2 WHERE id = ?1",
	/* status = 'approved' spelled out so the partial index applies. */
	[Q_COMMENTER_KNOWN] = "SELECT 1 FROM comments WHERE status = 'approved'"
	    " AND commenter = ?1 AND email = ?2 COLLATE NOCASE LIMIT 1",
	[Q_TAG_INSERT] = "INSERT INTO tags (slug, name) VALUES (?1, ?2)"
	    " ON CONFLICT (slug) DO NOTHING",
	[Q_TAG_GET] = "SELECT id, slug, name FROM tags WHERE slug = ?1",
	[Q_POST_TAG_LINK] = "INSERT INTO post_tags (post_id, tag_id)"
	    " VALUES (?1, ?2) ON CONFLICT DO NOTHING",
	/* The newest visible publication comes off posts_published. */
	[Q_LAST_CHANGE] = "SELECT max(coalesce((SELECT at FROM change_log"
	    " ORDER BY id DESC LIMIT 1), 0),"
	    " coalesce((SELECT p.published FROM posts p WHERE " PUBLIC
	    "AND p.published <= ?1 ORDER BY p.published DESC LIMIT 1), 0))",
	/* Title weighs most, then the commenter's name, then the body;
	 * equal scores show the newest first. */
	[Q_SEARCH_RANK] = "WITH m (k, r) AS (" SEARCH_KIND("0")
	    " UNION ALL " SEARCH_KIND("1") ")"
	    " SELECT m.k, p.id FROM m" SEARCH_VISIBLE("m")
	    " ORDER BY m.r, CASE WHEN m.k & 1 THEN c.created"
	    " ELSE p.published END DESC, m.k DESC",
	/* Past the bound at all, and visibly so (looked for only then). */
	[Q_SEARCH_MORE] = "SELECT CASE WHEN past THEN " SEARCH_BEYOND("0")
	    " OR " SEARCH_BEYOND("1") " ELSE 0 END, past FROM (SELECT "
	    SEARCH_PAST("0") " OR " SEARCH_PAST("1") " AS past)",
	/* The page's hits, whole: ?2 a JSON array of their rowids. One pass
	 * over the matches (+ keeps FTS5 from a lookup per rowid, each of
	 * which parses the query and seeks every term again), so only when
	 * they are all candidates; else one Q_SEARCH_HIT per row. */
	[Q_SEARCH_HITS] = "SELECT f.rowid, p.slug, p.title, p.published,"
	    " u.login, u.name, p.n_approved, f.who, c.created,"
	    " highlight(search_fts, 0, char(2), char(3)),"
	    " snippet(search_fts, 1, char(2), char(3), '\xe2\x80\xa6', 24)"
	    " FROM search_fts f"
	    " LEFT JOIN comments c ON (f.rowid & 1) = 1 AND c.id = f.rowid / 2"
	    " JOIN posts p ON p.id = CASE WHEN f.rowid & 1 THEN c.post_id"
	    " ELSE f.rowid / 2 END"
	    " LEFT JOIN users u ON u.id = p.author_id"
	    " WHERE search_fts MATCH ?1"
	    " AND +f.rowid IN (SELECT value FROM json_each(?2))",
	/* One ranked hit ?2 on article ?3, whole. */
	[Q_SEARCH_HIT] = "SELECT p.slug, p.title, p.published, u.login,"
	    " u.name, p.n_approved, f.who, c.created,"
	    " highlight(search_fts, 0, char(2), char(3)),"
	    " snippet(search_fts, 1, char(2), char(3), '\xe2\x80\xa6', 24)"
	    " FROM search_fts f JOIN posts p ON p.id = ?3"
	    " LEFT JOIN users u ON u.id = p.author_id"
	    " LEFT JOIN comments c ON (f.rowid & 1) = 1 AND c.id = f.rowid / 2"
	    " WHERE search_fts MATCH ?1 AND f.rowid = ?2",
	[Q_RECENT_ALL] = COMMENT_SELECT_C "JOIN posts p ON p.id = c.post_id"
	    " WHERE c.status = 'approved' AND " VISIBLE
	    "ORDER BY c.created DESC, c.id DESC LIMIT ?2",
	[Q_RECENT_POST] = COMMENT_SELECT_C "JOIN posts p ON p.id = c.post_id"
	    " WHERE c.post_id = ?3 AND c.status = 'approved' AND " VISIBLE
	    "ORDER BY c.created DESC, c.id DESC LIMIT ?2",
	[Q_ARCH + ARCH_CATEGORY] = "SELECT c.slug, c.name, count(*),"
	    " max(" LAST_ACTIVITY ") FROM categories c"
	    " JOIN post_categories pc ON pc.category_id = c.id"
	    " JOIN posts p ON p.id = pc.post_id WHERE " VISIBLE
	    "GROUP BY c.id ORDER BY c.name COLLATE NOCASE, c.name, c.id",
	[Q_ARCH + ARCH_TAG] = "SELECT t.slug, t.name, count(*),"
	    " max(" LAST_ACTIVITY ") FROM tags t"
	    " JOIN post_tags pt ON pt.tag_id = t.id"
	    " JOIN posts p ON p.id = pt.post_id WHERE " VISIBLE
	    "GROUP BY t.id ORDER BY t.name COLLATE NOCASE, t.name, t.id",
	[Q_ARCH + ARCH_AUTHOR] = "SELECT u.login, u.name, count(*),"
	    " max(" LAST_ACTIVITY ") FROM posts p"
	    " JOIN users u ON u.id = p.author_id WHERE " VISIBLE
	    "GROUP BY u.id ORDER BY u.name COLLATE NOCASE, u.name, u.id",
	[Q_ARCH + ARCH_MONTH] = "SELECT substr(p.pub_day, 1, 7) AS ym, "
	    " substr(p.pub_day, 1, 7), count(*), max(" LAST_ACTIVITY ")"
	    " FROM posts p WHERE " VISIBLE "GROUP BY ym ORDER BY ym DESC",

	[Q_IMP_USER_BY_WPLOGIN] = "SELECT id FROM users WHERE wp_login = ?1",
	[Q_IMP_USER_INSERT] = "INSERT INTO users (login, name, created, email,"
	    " first_name, last_name, wp_id, wp_login, wxr_extra)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	/* A Parley user with the same login becomes that WordPress author
	 * too; what it already has is kept. */
	[Q_IMP_USER_ADOPT] = "UPDATE users SET wp_login = ?2,"
	    " wp_id = CASE WHEN wp_id IS NULL AND ?3 <> 0 AND NOT EXISTS"
	    "  (SELECT 1 FROM users WHERE wp_id = ?3) THEN ?3 ELSE wp_id END,"
	    " email = CASE WHEN email = '' THEN ?4 ELSE email END,"
	    " first_name = CASE WHEN first_name = '' THEN ?5 ELSE first_name END,"
	    " last_name = CASE WHEN last_name = '' THEN ?6 ELSE last_name END,"
	    " wxr_extra = CASE WHEN wxr_extra = '' THEN ?7 ELSE wxr_extra END"
	    " WHERE id = ?1 AND wp_login IS NULL",
	[Q_IMP_TERM_INSERT] = "INSERT INTO wxr_terms (taxonomy, slug, wp_id,"
	    " name, parent, description, extra) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7) ON CONFLICT DO NOTHING",
	[Q_IMP_POST_BY_WPID] = "SELECT id FROM posts WHERE wp_id = ?1",
	[Q_IMP_POST_ID_FREE] = "SELECT 1 FROM posts WHERE id = ?1",
	[Q_IMP_POST_INSERT] = "INSERT INTO posts (id, slug, title, author_id,"
	    " published, pub_day, status, body_md, body_html, excerpt, image,"
	    " image_caption, comments_open, type, format, password, date_local,"
	    " date_gmt, guid, excerpt_auto, wp_id, wp_parent, wp_name, wp_path,"
	    " wp_thumbnail, wxr_extra, body_text, modified) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, strftime('%Y-%m-%d', ?5, 'unixepoch'), ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
	    " ?23, ?24, ?25, ?26, CAST(strftime('%s', 'now') AS INTEGER))",
	/* The slug (?2) stays what insert chose: the address is made. */
	[Q_IMP_POST_UPDATE] = "UPDATE posts SET slug = slug, title = ?3,"
	    " author_id = ?4, published = ?5,"
	    " pub_day = strftime('%Y-%m-%d', ?5, 'unixepoch'), status = ?6,"
	    " body_md = ?7, body_html = ?8, excerpt = ?9, image = ?10,"
	    " image_caption = ?11, comments_open = ?12, type = ?13,"
	    " format = ?14, password = ?15, date_local = ?16, date_gmt = ?17,"
	    " guid = ?18, excerpt_auto = ?19, wp_parent = ?20, wp_name = ?21,"
	    " wp_path = ?22, wp_thumbnail = ?23, wxr_extra = ?24,"
	    " body_text = ?25, modified = CAST(strftime('%s', 'now') AS INTEGER)"
	    " WHERE id = ?1",
	[Q_IMP_POST_UNLINK_CATS] = "DELETE FROM post_categories"
	    " WHERE post_id = ?1",
	[Q_IMP_POST_UNLINK_TAGS] = "DELETE FROM post_tags WHERE post_id = ?1",
	[Q_IMP_NEW_POST] = "INSERT INTO temp.wxr_new_posts (id) VALUES (?1)",
	[Q_IMP_COMMENT_BY_WPID] = "SELECT id FROM comments WHERE wp_id = ?1",
	[Q_IMP_COMMENT_ID_FREE] = "SELECT 1 FROM comments WHERE id = ?1",
	[Q_IMP_COMMENT_INSERT] = "INSERT INTO comments (id, post_id, author,"
	    " email, url, ip, user_id, body_md, body_html, created, status,"
	    " type, format, date_local, date_gmt, wp_id, wp_parent, wp_user_id,"
	    " wp_approved, wxr_extra, body_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " (SELECT id FROM users WHERE wp_id = ?17 AND ?17 <> 0),"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
	    " ?20)",
	[Q_IMP_NEW_COMMENT] = "INSERT INTO temp.wxr_new_comments (id)"
	    " VALUES (?1)",
	[Q_IMP_ITEM_BY_WPID] = "SELECT 1 FROM wxr_items WHERE wp_id = ?1",
	[Q_IMP_ITEM_NOID] = "SELECT 1 FROM wxr_items WHERE wp_id IS NULL"
	    " AND xml = ?1",
	[Q_IMP_ITEM_INSERT] = "INSERT INTO wxr_items (wp_id, type, parent,"
	    " url, title, caption, xml) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_IMP_CHANNEL_INSERT] = "INSERT INTO wxr_channel (xml) VALUES (?1)"
	    " ON CONFLICT (xml) DO NOTHING",
	/* Every unresolved reply, not only this import's: a parent that
	 * arrives in a later, larger export still finds its children.
	 * Only rows that get a parent are written: a write, even of the same
	 * value, adds to the change log (a re-import must change nothing). */
	[Q_FIN_COMMENT_PARENTS] = "UPDATE comments SET parent_id = p.id"
	    " FROM comments p WHERE comments.parent_id IS NULL"
	    " AND comments.wp_parent <> 0 AND p.wp_id = comments.wp_parent"
	    " AND p.post_id = comments.post_id AND p.id <> comments.id",
	[Q_FIN_ORPHANS] = "SELECT c.id, c.wp_parent FROM comments c"
	    " JOIN temp.wxr_new_comments n ON n.id = c.id"
	    " WHERE c.wp_parent <> 0 AND c.parent_id IS NULL ORDER BY c.id",
	[Q_FIN_CAT_PARENTS] = "UPDATE categories SET parent_id = pc.id"
	    " FROM wxr_terms t JOIN categories pc ON pc.slug = t.parent"
	    " WHERE categories.parent_id IS NULL AND t.taxonomy = 'category'"
	    " AND t.slug = categories.slug AND pc.id <> categories.id",
	[Q_FIN_NEW_PAGES] = "SELECT p.id, p.slug, p.wp_parent FROM posts p"
	    " JOIN temp.wxr_new_posts n ON n.id = p.id"
	    " WHERE p.type = 'page' ORDER BY p.id",
	[Q_FIN_PAGE_PARENT] = "SELECT slug, wp_parent FROM posts"
	    " WHERE wp_id = ?1 AND type = 'page'",
	[Q_FIN_SET_PATH] = "UPDATE posts SET path = ?2 WHERE id = ?1",
	[Q_FIN_IMAGES] = "UPDATE posts SET image = i.url,"
	    " image_caption = i.caption FROM wxr_items i"
	    " WHERE i.wp_id = posts.wp_thumbnail AND posts.wp_thumbnail <> 0"
	    " AND posts.image = '' AND i.url <> ''"
	    " AND posts.id IN (SELECT id FROM temp.wxr_new_posts)",

	[Q_EXP_USERS] = "SELECT id, login, name, email, first_name, last_name,"
	    " COALESCE(wp_id, 0), wp_login, wxr_extra FROM users ORDER BY id",
	[Q_EXP_CATS] = "SELECT c.slug, c.name, COALESCE(pc.slug, ''),"
	    " COALESCE(t.wp_id, 0), COALESCE(t.description, ''),"
	    " COALESCE(t.extra, '') FROM categories c"
	    " LEFT JOIN categories pc ON pc.id = c.parent_id"
	    " LEFT JOIN wxr_terms t ON t.taxonomy = 'category'"
	    " AND t.slug = c.slug ORDER BY c.id",
	[Q_EXP_TAGS] = "SELECT g.slug, g.name, '', COALESCE(t.wp_id, 0),"
	    " COALESCE(t.description, ''), COALESCE(t.extra, '') FROM tags g"
	    " LEFT JOIN wxr_terms t ON t.taxonomy = 'post_tag'"
	    " AND t.slug = g.slug ORDER BY g.id",
	[Q_EXP_TERMS] = "SELECT slug, name, parent, wp_id, description, extra,"
	    " taxonomy FROM wxr_terms"
	    " WHERE taxonomy NOT IN ('category', 'post_tag') ORDER BY rowid",
	[Q_EXP_POSTS] = "SELECT " POST_COLS ", p.wxr_extra" POST_FROM
	    "WHERE p.id > ?1 ORDER BY p.id LIMIT ?2",
	[Q_EXP_ITEMS] = "SELECT id, COALESCE(wp_id, 0), type, parent, url,"
	    " title, caption, xml FROM wxr_items WHERE id > ?1 ORDER BY id"
	    " LIMIT ?2",
	[Q_EXP_CHANNEL] = "SELECT xml FROM wxr_channel ORDER BY id",

	[Q_LOOK_WP_ID] = POST_SELECT "WHERE p.wp_id = ?1 AND " PUBLIC
	    "AND p.published <= ?2",
	[Q_LOOK_NATIVE_ID] = POST_SELECT "WHERE p.id = ?1 AND p.wp_id IS NULL"
	    " AND " PUBLIC "AND p.published <= ?2",
	[Q_LOOK_OLD_PATH] = POST_SELECT "WHERE p.wp_path = ?1 AND " PUBLIC
	    "AND p.published <= ?2",
	/* Articles before pages; the same day first (WordPress's local day,
	 * or ours in UTC), then the same month, then the newest. */
	[Q_LOOK_SLUG] = POST_SELECT "WHERE p.slug = ?1"
	    " AND p.type IN ('post', 'page') AND " PUBLIC
	    "AND p.published <= ?2 ORDER BY p.type = 'page', CASE"
	    " WHEN ?3 <> '' AND (substr(p.date_local, 1, 10) = ?3"
	    "  OR p.pub_day = ?3) THEN 0"
	    " WHEN ?4 <> '' AND (substr(p.date_local, 1, 7) = ?4"
	    "  OR substr(p.pub_day, 1, 7) = ?4) THEN 1 ELSE 2 END,"
	    " p.published DESC, p.id DESC LIMIT 1",
	[Q_LOOK_PAGE_PATH] = POST_SELECT "WHERE p.path = ?1"
	    " AND p.type = 'page' AND " PUBLIC "AND p.published <= ?2",
	[Q_LOOK_ATTACHMENT] = "SELECT parent FROM wxr_items WHERE wp_id = ?1",
	[Q_WP_SLUG_CAT] = "SELECT c.slug FROM wxr_terms t JOIN categories c"
	    " ON c.slug = t.slug WHERE t.taxonomy = 'category'"
	    " AND t.wp_id = ?1 AND ?1 <> 0",
	[Q_WP_SLUG_TAG] = "SELECT g.slug FROM wxr_terms t JOIN tags g"
	    " ON g.slug = t.slug WHERE t.taxonomy = 'post_tag'"
	    " AND t.wp_id = ?1 AND ?1 <> 0",
	[Q_WP_SLUG_AUTHOR] = "SELECT login FROM users WHERE wp_id = ?1",

	[Q_COMMENT_LIST_MINE] = COMMENT_SELECT "WHERE status = 'pending'"
	    " AND commenter = ?2 AND post_id = ?1 ORDER BY created, id",
	/* 'future' posts too: public from their date (issue 4). */
	[Q_POST_NEXT_SCHEDULED] = "SELECT min(p.published) FROM posts p"
	    " WHERE " PUBLIC "AND p.published > ?1",
	[Q_DATA_VERSION] = "PRAGMA data_version",
	[Q_CHANGES_SINCE] = "SELECT id, post_id FROM change_log WHERE id > ?1"
	    " ORDER BY id LIMIT ?2",
	[Q_CHANGES_FIRST] = "SELECT coalesce(min(id), 0) FROM change_log",
	[Q_CHANGES_LAST] = "SELECT coalesce(max(id), 0) FROM change_log",
	[Q_SAVEPOINT] = "SAVEPOINT one",
	[Q_RELEASE] = "RELEASE one",
	[Q_ROLLBACK_TO] = "ROLLBACK TO one",
};

struct sstore {
	struct store base; /* first, so a struct store * is a struct sstore * */
	sqlite3 *db;
	pthread_mutex_t mu; /* whole operations: transactions and stmt[] */
	sqlite3_stmt *stmt[Q__N];
	/* Read-only connections on the same file (WAL lets them read while
	 * db writes): every read goes to one, so a page render or a "did
	 * anything change?" never queues behind a writer's commit waiting
	 * for the disk. A page-serving thread has its own (see rd() and
	 * own_reader()), so two of them do not take turns on one
	 * connection's mutex. readers[0] is opened with the store, the
	 * others when a thread first needs them (under open_mu). All NULL
	 * in a reader itself. */
	struct sstore *_Atomic readers[LIM_READERS];
	pthread_mutex_t open_mu;
	char *path;
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
	/* Writer only: an import's transaction is open (import_begin to
	 * import_end). Reads then go to the writer too, so the importing
	 * thread sees what it has written but not committed. */
	atomic_int importing;
	int nested; /* read transactions inside the snapshot (tx_begin) */
};

static void sqlite_close(struct store *);
static enum perr open_conn(const char *path, int create, int readonly,
    struct sstore **out);

/* This thread's own reader: 0 until it first takes a snapshot
 * (read_begin), then readers[tl_slot], or -1 if all are taken. Only the
 * threads that serve pages get one; the others (the main thread, the
 * short-lived writer threads) share readers[0] as they always did, so a
 * snapshot never holds a reader another thread reads through. */
static _Thread_local int tl_slot;

/* The connection this thread reads through: its own reader, else
 * readers[0], or the writer itself during an import or without
 * readers. */
static struct sstore *
rd(struct store *base)
{
	struct sstore *st = (struct sstore *)base, *r;

	if (atomic_load(&st->importing) || st->readers[0] == NULL)
		return st;
	if (tl_slot > 0 && (r = atomic_load(&st->readers[tl_slot])) != NULL)
		return r;
	return st->readers[0];
}

/* Gives this thread its own reader, if one is left; 1 if it has one. */
static int
own_reader(struct sstore *st)
{
	static atomic_int next;
	struct sstore *r;

	if (tl_slot == 0) {
		tl_slot = atomic_fetch_add(&next, 1) + 1;
		if (tl_slot >= LIM_READERS)
			tl_slot = -1;
	}
	if (tl_slot < 0 || st->readers[0] == NULL)
		return 0;
	if (atomic_load(&st->readers[tl_slot]) != NULL)
		return 1;
	pthread_mutex_lock(&st->open_mu);
	if (atomic_load(&st->readers[tl_slot]) == NULL &&
	    open_conn(st->path, 0, 1, &r) == P_OK)
		atomic_store(&st->readers[tl_slot], r);
	pthread_mutex_unlock(&st->open_mu);
	return atomic_load(&st->readers[tl_slot]) != NULL;
}

/* The one reader whose PRAGMA data_version is the site's change counter
 * (the number is per connection, so it must always be the same one). */
static struct sstore *
rd0(struct store *base)
{
	struct sstore *st = (struct sstore *)base;

	return atomic_load(&st->importing) || st->readers[0] == NULL ? st :
	    st->readers[0];
}

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

/* The reader this thread opened a snapshot on (read_begin), if any. */
static _Thread_local struct sstore *tl_snapshot;

/* A read transaction asked for inside the thread's snapshot is that
 * snapshot: counted, not begun, and its commit only counts down. */
static enum perr
tx_begin(struct sstore *st, int write)
{
	if (!write && st == tl_snapshot && !sqlite3_get_autocommit(st->db)) {
		st->nested++;
		return P_OK;
	}
	return run(st, st->stmt[write ? Q_BEGIN_WRITE : Q_BEGIN]);
}

static enum perr
tx_commit(struct sstore *st)
{
	if (st->nested > 0) {
		st->nested--;
		return P_OK;
	}
	return run(st, st->stmt[Q_COMMIT]);
}

/* Only on a reader this thread has to itself (a shared one would hand
 * its snapshot to the other thread's reads too), and one at a time. */
static void
sqlite_read_begin(struct store *base)
{
	struct sstore *r;

	if (tl_snapshot != NULL || atomic_load(&sstore(base)->importing) ||
	    !own_reader(sstore(base)))
		return;
	r = rd(base);
	pthread_mutex_lock(&r->mu);
	if (tx_begin(r, 0) == P_OK)
		tl_snapshot = r;
	pthread_mutex_unlock(&r->mu);
}

static void
sqlite_read_end(struct store *base)
{
	struct sstore *r = tl_snapshot;

	(void)base;
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	/* A read that failed may have ended the transaction already. */
	r->nested = 0;
	if (!sqlite3_get_autocommit(r->db))
		(void)tx_commit(r);
	pthread_mutex_unlock(&r->mu);
	tl_snapshot = NULL;
}

/* Undo whatever is open; harmless if SQLite already rolled back. */
static void
tx_abort(struct sstore *st)
{
	st->nested = 0;
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

/* A posts.status word that is public once its date has come. */
static int
wp_status_public(const char *w)
{
	return w != NULL && (!strcmp(w, "publish") || !strcmp(w, "future"));
}

/* posts.status for a post saved with enum status ps: WordPress's own word
 * when the writer kept one that agrees with ps (an imported private post
 * edited and saved as a draft stays private), else 'draft' or 'publish'
 * (dated in the future: scheduled). */
static const char *
status_word(enum pstatus ps, const char *wp)
{
	int pub = ps != PS_DRAFT;

	if (wp != NULL && *wp != '\0' && wp_status_public(wp) == pub &&
	    (pub || strcmp(wp, "draft") == 0 || strcmp(wp, "pending") == 0 ||
	    strcmp(wp, "private") == 0))
		return wp;
	return pub ? "publish" : "draft";
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
	p->modified = sqlite3_column_int64(s, 15);
	/* As PUBLIC and PSTATUS_AT say: only 'publish' and 'future' are
	 * (or will be) public; every other word is a draft to readers. */
	p->wp_status = col_str(a, s, 14);
	if (!wp_status_public(p->wp_status))
		p->status = PS_DRAFT;
	else if (p->published > (int64_t)time(NULL))
		p->status = PS_SCHEDULED;
	else
		p->status = PS_PUBLISHED;
	p->body_text = col_str(a, s, 16);
	p->last_comment = sqlite3_column_int64(s, 17); /* NULL reads as 0 */
	p->type = col_str(a, s, 18);
	p->path = col_str(a, s, 19);
	p->format = col_str(a, s, 20);
	p->password = col_str(a, s, 21);
	p->date_local = col_str(a, s, 22);
	p->date_gmt = col_str(a, s, 23);
	p->guid = col_str(a, s, 24);
	p->excerpt_auto = sqlite3_column_int64(s, 25) != 0;
	p->wp_id = sqlite3_column_int64(s, 26); /* NULL reads as 0 */
	p->wp_parent = sqlite3_column_int64(s, 27);
	p->wp_name = sqlite3_column_type(s, 28) == SQLITE_NULL ? NULL :
	    col_str(a, s, 28);
	p->wp_path = col_str(a, s, 29);
	p->wp_thumbnail = sqlite3_column_int64(s, 30);
	p->wxr_extra = "";
}

/* A comments.status column. The schema CHECK forbids other values; should
 * one appear anyway, pending is the state that shows it to nobody. */
static enum cstatus
col_status(sqlite3_stmt *s, int i)
{
	int status = cstatus_parse((const char *)sqlite3_column_text(s, i));

	return status < 0 ? CS_PENDING : (enum cstatus)status;
}

static void
read_comment(struct arena *a, sqlite3_stmt *s, struct comment *c)
{
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
	c->status = col_status(s, 12);
	c->held_reason = col_str(a, s, 13);
	c->moderator_edited = sqlite3_column_int64(s, 14) != 0;
	c->body_text = col_str(a, s, 15);
	c->type = col_str(a, s, 16);
	c->format = col_str(a, s, 17);
	c->date_local = col_str(a, s, 18);
	c->date_gmt = col_str(a, s, 19);
	c->wp_id = sqlite3_column_int64(s, 20);
	c->wp_parent = sqlite3_column_int64(s, 21);
	c->wp_user_id = sqlite3_column_int64(s, 22);
	c->wp_approved = col_str(a, s, 23);
	c->wxr_extra = col_str(a, s, 24);
}

/* Fills p->cats and p->tags, each ordered by name. */
static enum perr
load_cats(struct sstore *st, struct arena *a, struct post *p)
{
	sqlite3_stmt *s = st->stmt[Q_POST_CATS];
	struct category *cats = NULL;
	struct tag *tags = NULL;
	size_t nc = 0, ccap = 0, nt = 0, tcap = 0;
	enum perr e = P_OK;
	int rc = SQLITE_OK;

	bind_int(s, 1, p->id, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_int(s, 0) == 0) {
			cats = grow(a, cats, nc, &ccap, sizeof(*cats));
			cats[nc].id = sqlite3_column_int64(s, 1);
			cats[nc].slug = col_str(a, s, 2);
			cats[nc].name = col_str(a, s, 3);
			nc++;
		} else {
			tags = grow(a, tags, nt, &tcap, sizeof(*tags));
			tags[nt].id = sqlite3_column_int64(s, 1);
			tags[nt].slug = col_str(a, s, 2);
			tags[nt].name = col_str(a, s, 3);
			nt++;
		}
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	if (e == P_OK) {
		p->cats = cats;
		p->ncats = nc;
		p->tags = tags;
		p->ntags = nt;
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

/* SQLite counts every allocation under a global mutex unless told not
 * to (before its first use): that was ~6% of an uncached page, for
 * statistics nothing reads. Too late (after another sqlite3 call) is
 * harmless: the call fails and the counting stays. */
static void
no_memstatus(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
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
	pthread_mutex_init(&st->open_mu, NULL);
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
	/* What the running import added. Temp tables are private to a
	 * connection: the import_* ops that fill and read them run on the
	 * writer only (sstore(), never rd()). The reader gets empty copies
	 * just so every statement prepares on both connections. */
	if ((e = exec_sql(st, "CREATE TEMP TABLE IF NOT EXISTS wxr_new_posts"
	    " (id INTEGER PRIMARY KEY);"
	    "CREATE TEMP TABLE IF NOT EXISTS wxr_new_comments"
	    " (id INTEGER PRIMARY KEY);")) != P_OK)
		goto fail;
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
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct sstore *st, *r;
	enum perr e;

	if (out == NULL)
		return P_BADINPUT;
	pthread_once(&once, no_memstatus);
	*out = NULL;
	if (path == NULL || *path == '\0')
		return P_BADINPUT;
	if ((e = open_conn(path, create, 0, &st)) != P_OK)
		return e;
	if ((st->path = strdup(path)) == NULL)
		abort();
	/* Without a reader, reads share the writer (slower under write
	 * load, still correct). */
	if (open_conn(path, 0, 1, &r) == P_OK)
		st->readers[0] = r;
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
	if (st->readers[0]) {
		shm_fd = st->readers[0]->shm_fd;
		st->readers[0]->shm_fd = -1;
	}
	for (i = 0; i < LIM_READERS; i++)
		if (st->readers[i])
			sqlite_close(&st->readers[i]->base);
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
	pthread_mutex_destroy(&st->open_mu);
	free(st->path);
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

/* Finds or creates the category (or tag: the Q_TAG_* statements) by slug
 * and links it to post_id. */
static enum perr
link_term(struct sstore *st, int64_t post_id, const char *slug,
    const char *name, int ins, int get, int link)
{
	sqlite3_stmt *s;
	int64_t cat_id;
	enum perr e;
	int rc = SQLITE_OK;

	s = st->stmt[ins];
	bind_text(s, 1, slug, &rc);
	bind_text(s, 2, name && *name ? name : slug, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e != P_OK)
		return e;

	s = st->stmt[get];
	bind_text(s, 1, slug, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	if ((e = step_row(st, s)) != P_OK)
		return e == P_NOTFOUND ? P_IO : e; /* just inserted */
	cat_id = sqlite3_column_int64(s, 0);
	done(s);

	s = st->stmt[link];
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
	if (p->ntags > 0 && p->tags == NULL)
		return P_BADINPUT;
	for (i = 0; i < p->ntags; i++)
		if (p->tags[i].slug == NULL || *p->tags[i].slug == '\0')
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
	bind_text(s, 11, p->body_text, &rc);
	/* A UTC day outside 0000..9999 makes pub_day NULL: P_BADINPUT. An
	 * unknown author fails the foreign key: P_BADINPUT. */
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e != P_OK)
		goto out;
	post_id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < p->ncats; i++)
		if ((e = link_term(st, post_id, p->cats[i].slug,
		    p->cats[i].name, Q_CAT_INSERT, Q_CAT_GET,
		    Q_POST_CAT_LINK)) != P_OK)
			goto out;
	for (i = 0; i < p->ntags; i++)
		if ((e = link_term(st, post_id, p->tags[i].slug,
		    p->tags[i].name, Q_TAG_INSERT, Q_TAG_GET,
		    Q_POST_TAG_LINK)) != P_OK)
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

/* One post row by a prepared, bound statement, with its categories and
 * tags. */
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
	bind_named_text(s, ":tag", q->tag_slug, rc);
	bind_named_int(s, ":from", q->from ? q->from : INT64_MIN, rc);
	bind_named_int(s, ":until", q->until ? q->until : INT64_MAX, rc);
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
	if (q->tag_slug)
		variant |= LIST_BY_TAG;

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
	bind_text(s, 14, c->body_text, &rc);
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

/* A row of Q_COMMENT_LIST_THREAD: what a page shows, and no more (the
 * Markdown source, plain text and import metadata would triple the bytes
 * an uncached page copies). */
static void
read_thread_comment(struct arena *a, sqlite3_stmt *s, struct comment *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->post_id = sqlite3_column_int64(s, 1);
	c->parent_id = sqlite3_column_int64(s, 2);
	c->author = col_str(a, s, 3);
	c->email = c->ip = c->body_md = c->held_reason = c->body_text = "";
	c->type = c->format = c->date_local = c->date_gmt = "";
	c->wp_approved = c->wxr_extra = "";
	c->url = col_str(a, s, 4);
	c->commenter = col_str(a, s, 5);
	c->user_id = sqlite3_column_int64(s, 6);
	c->body_html = col_str(a, s, 7);
	c->created = sqlite3_column_int64(s, 8);
	c->status = col_status(s, 9);
	c->moderator_edited = sqlite3_column_int64(s, 10) != 0;
}

/* Steps a bound comment query into an arena array, each row read by
 * read (read_comment or read_thread_comment). */
static enum perr
comment_rows_with(struct sstore *st, struct arena *a, sqlite3_stmt *s,
    void (*read)(struct arena *, sqlite3_stmt *, struct comment *),
    struct comment **out, size_t *n)
{
	struct comment *rows = NULL;
	size_t nrows = 0, cap = 0;
	enum perr e = P_OK;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		read(a, s, &rows[nrows++]);
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

static enum perr
comment_rows(struct sstore *st, struct arena *a, sqlite3_stmt *s,
    struct comment **out, size_t *n)
{
	return comment_rows_with(st, a, s, read_comment, out, n);
}

/* A post's comments through query q (viewer, if not NULL, as ?2), read
 * by read. */
static enum perr
post_comments(struct store *base, struct arena *a, int64_t post_id, int q,
    const char *viewer,
    void (*read)(struct arena *, sqlite3_stmt *, struct comment *),
    struct comment **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[q];
	enum perr e;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, post_id, &rc);
	if (viewer)
		bind_text(s, 2, viewer, &rc);
	e = rc == SQLITE_OK ? comment_rows_with(st, a, s, read, out, n) :
	    bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* A post without comments (or no such post) gives n = 0. */
static enum perr
sqlite_comment_list_post(struct store *base, struct arena *a,
    int64_t post_id, struct comment **out, size_t *n)
{
	return post_comments(base, a, post_id, Q_COMMENT_LIST_POST, NULL,
	    read_comment, out, n);
}

/* Most threads hide few comments: reading them all (thread_build drops
 * the hidden ones) costs less than the query that leaves them out, whose
 * temporary tables were twice the whole read. A post buried in held or
 * spam comments gets that query. */
static enum perr
sqlite_comment_list_thread(struct store *base, struct arena *a,
    int64_t post_id, const char *viewer, struct comment **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_COMMENT_COUNTS];
	int64_t all = 0, shown = 0;
	int rc = SQLITE_OK;

	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, post_id, &rc);
	if (rc == SQLITE_OK && step_row(st, s) == P_OK) {
		all = sqlite3_column_int64(s, 0);
		shown = sqlite3_column_int64(s, 1);
	}
	done(s);
	pthread_mutex_unlock(&st->mu);
	if (all - shown <= shown + 16)
		return post_comments(base, a, post_id,
		    Q_COMMENT_LIST_THREAD_ALL, NULL, read_thread_comment, out,
		    n);
	return post_comments(base, a, post_id, Q_COMMENT_LIST_THREAD,
	    viewer ? viewer : "", read_thread_comment, out, n);
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

/* -------------------------------------------------------------------- */
/* The admin side (accounts, sessions, editing, moderation, media). None
 * of it is on a reader's hot path, so each operation prepares its
 * statements when called (xprep) and finalizes them after; the cached
 * statements above stay for the pages readers load. */

/*
 * Prepares sql and binds its parameters ?1.. from the arguments, read
 * according to fmt: 't' text (const char *, NULL binds ""), 'i' int64_t,
 * 'r' reference (int64_t, 0 binds NULL), 'b' blob (const void *, size_t).
 */
static enum perr
xprepv(struct sstore *st, sqlite3_stmt **out, const char *sql,
    const char *fmt, va_list ap)
{
	sqlite3_stmt *s = NULL;
	int i, rc;

	*out = NULL;
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dberr(st, rc, sql);
	for (i = 0; rc == SQLITE_OK && fmt[i]; i++) {
		switch (fmt[i]) {
		case 't': {
			const char *v = va_arg(ap, const char *);
			rc = sqlite3_bind_text(s, i + 1, v ? v : "", -1,
			    SQLITE_STATIC);
			break;
		}
		case 'i':
			rc = sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
			break;
		case 'r': {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? sqlite3_bind_int64(s, i + 1, v) :
			    sqlite3_bind_null(s, i + 1);
			break;
		}
		case 'b': {
			const void *v = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = n > INT32_MAX ? SQLITE_TOOBIG :
			    sqlite3_bind_blob(s, i + 1, v ? v : "", (int)n,
			    SQLITE_STATIC);
			break;
		}
		default:
			rc = SQLITE_MISUSE;
		}
	}
	if (rc != SQLITE_OK) {
		enum perr e = dberr(st, rc, sql);
		sqlite3_finalize(s);
		return e;
	}
	*out = s;
	return P_OK;
}

static enum perr
xprep(struct sstore *st, sqlite3_stmt **out, const char *sql,
    const char *fmt, ...)
{
	va_list ap;
	enum perr e;

	va_start(ap, fmt);
	e = xprepv(st, out, sql, fmt, ap);
	va_end(ap);
	return e;
}

/* Steps a prepared statement to the end and finalizes it; *changes (if
 * asked) is the number of rows the statement itself changed. */
static enum perr
xdone(struct sstore *st, sqlite3_stmt *s, int64_t *changes)
{
	enum perr e = P_OK;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	else if (changes)
		*changes = sqlite3_changes(st->db);
	sqlite3_finalize(s);
	return e;
}

/* Prepare, bind, run to the end, finalize. */
static enum perr
xrun(struct sstore *st, int64_t *changes, const char *sql, const char *fmt,
    ...)
{
	sqlite3_stmt *s;
	va_list ap;
	enum perr e;

	va_start(ap, fmt);
	e = xprepv(st, &s, sql, fmt, ap);
	va_end(ap);
	return e == P_OK ? xdone(st, s, changes) : e;
}

/* The single integer the statement answers (0 when no row). */
static enum perr
xint(struct sstore *st, sqlite3_stmt *s, int64_t *v)
{
	enum perr e = P_OK;
	int rc = sqlite3_step(s);

	*v = 0;
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	sqlite3_finalize(s);
	return e;
}

/* Rows of (id, slug, name) into an arena array. Finalizes s. */
static enum perr
xcats(struct sstore *st, struct arena *a, sqlite3_stmt *s,
    struct category **out, size_t *n)
{
	struct category *rows = NULL;
	size_t nrows = 0, cap = 0;
	enum perr e = P_OK;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		rows[nrows].id = sqlite3_column_int64(s, 0);
		rows[nrows].slug = col_str(a, s, 1);
		rows[nrows].name = col_str(a, s, 2);
		nrows++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	sqlite3_finalize(s);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

/* The same rows as tags (the editor's list of every tag). */
static enum perr
xtags(struct sstore *st, struct arena *a, sqlite3_stmt *s, struct tag **out,
    size_t *n)
{
	struct category *rows;
	struct tag *t;
	size_t nrows, i;
	enum perr e;

	if ((e = xcats(st, a, s, &rows, &nrows)) != P_OK)
		return e;
	t = arena_alloc(a, sizeof(*t) * (nrows ? nrows : 1));
	for (i = 0; i < nrows; i++) {
		t[i].id = rows[i].id;
		t[i].slug = rows[i].slug;
		t[i].name = rows[i].name;
	}
	*out = t;
	*n = nrows;
	return P_OK;
}

#define ACCOUNT_SELECT "SELECT u.id, u.login, u.name, u.role," \
	" coalesce(u.pw_hash, ''), u.created," \
	" (SELECT count(*) FROM posts p WHERE p.author_id = u.id) FROM users u "

static void
read_account(struct arena *a, sqlite3_stmt *s, int off, struct account *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, off + 0);
	u->login = col_str(a, s, off + 1);
	u->name = col_str(a, s, off + 2);
	u->role = col_str(a, s, off + 3);
	u->pw_hash = col_str(a, s, off + 4);
	u->created = sqlite3_column_int64(s, off + 5);
	u->nposts = sqlite3_column_int64(s, off + 6);
}

static enum perr
sqlite_account_add(struct store *base, const struct account *u, int64_t *id)
{
	struct sstore *st = sstore(base);
	enum perr e;

	if (u == NULL || u->login == NULL || *u->login == '\0' ||
	    u->role == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xrun(st, NULL, "INSERT INTO users (login, name, role, pw_hash,"
	    " created) VALUES (?1, ?2, ?3, ?4, ?5)", "tttti", u->login,
	    u->name && *u->name ? u->name : u->login, u->role,
	    u->pw_hash ? u->pw_hash : "", u->created ? u->created :
	    (int64_t)time(NULL));
	if (e == P_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_account_get(struct store *base, struct arena *a, int64_t id,
    const char *login, struct account *out)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	if (out == NULL || (id <= 0 && login == NULL))
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if (id > 0)
		e = xprep(st, &s, ACCOUNT_SELECT "WHERE u.id = ?1", "i", id);
	else
		e = xprep(st, &s, ACCOUNT_SELECT "WHERE u.login = ?1", "t",
		    login);
	if (e == P_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			read_account(a, s, 0, out);
		else
			e = rc == SQLITE_DONE ? P_NOTFOUND :
			    dberr(st, rc, sqlite3_sql(s));
		sqlite3_finalize(s);
	}
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_account_list(struct store *base, struct arena *a,
    struct account **out, size_t *n)
{
	struct sstore *st = sstore(base);
	struct account *rows = NULL;
	size_t nrows = 0, cap = 0;
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	pthread_mutex_lock(&st->mu);
	if ((e = xprep(st, &s, ACCOUNT_SELECT "ORDER BY u.login", "")) ==
	    P_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			rows = grow(a, rows, nrows, &cap, sizeof(*rows));
			read_account(a, s, 0, &rows[nrows++]);
		}
		if (rc != SQLITE_DONE)
			e = dberr(st, rc, sqlite3_sql(s));
		sqlite3_finalize(s);
	}
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

static enum perr
sqlite_account_update(struct store *base, const struct account *u)
{
	struct sstore *st = sstore(base);
	int64_t chg = 0;
	enum perr e;

	if (u == NULL || u->id <= 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	/* A NULL binds as "": coalesce(nullif()) keeps the old value. */
	e = xrun(st, &chg, "UPDATE users SET"
	    " name = CASE WHEN ?2 THEN ?3 ELSE name END,"
	    " role = CASE WHEN ?4 THEN ?5 ELSE role END,"
	    " pw_hash = CASE WHEN ?6 THEN ?7 ELSE pw_hash END WHERE id = ?1",
	    "iititit", u->id, (int64_t)(u->name != NULL), u->name,
	    (int64_t)(u->role != NULL), u->role,
	    (int64_t)(u->pw_hash != NULL), u->pw_hash);
	if (e == P_OK && chg == 0)
		e = P_NOTFOUND;
	if (e == P_OK && u->pw_hash)
		e = xrun(st, NULL, "DELETE FROM sessions WHERE user_id = ?1",
		    "i", u->id);
	if (e == P_OK)
		e = tx_commit(st);
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_account_delete(struct store *base, int64_t id, int64_t reassign_to)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	int64_t nposts = 0, chg = 0;
	enum perr e;

	if (id <= 0 || reassign_to == id)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	if (reassign_to > 0) {
		if ((e = xprep(st, &s, "SELECT count(*) FROM users WHERE id = ?1",
		    "i", reassign_to)) != P_OK || (e = xint(st, s, &chg)) != P_OK)
			goto out;
		if (chg == 0) {
			e = P_NOTFOUND;
			goto out;
		}
		if ((e = xrun(st, NULL, "UPDATE posts SET author_id = ?2"
		    " WHERE author_id = ?1", "ii", id, reassign_to)) != P_OK)
			goto out;
	} else {
		if ((e = xprep(st, &s, "SELECT count(*) FROM posts WHERE"
		    " author_id = ?1", "i", id)) != P_OK ||
		    (e = xint(st, s, &nposts)) != P_OK)
			goto out;
		if (nposts > 0) {
			e = P_CONFLICT;
			goto out;
		}
	}
	if ((e = xrun(st, &chg, "DELETE FROM users WHERE id = ?1", "i",
	    id)) != P_OK)
		goto out;
	if (chg == 0) {
		e = P_NOTFOUND;
		goto out;
	}
	e = tx_commit(st);
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_session_add(struct store *base, const char *token_hash,
    int64_t user_id, const char *csrf, const char *ip, int64_t now,
    int64_t expires)
{
	struct sstore *st = sstore(base);
	enum perr e;

	if (token_hash == NULL || *token_hash == '\0' || csrf == NULL ||
	    user_id <= 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	if ((e = xrun(st, NULL, "DELETE FROM sessions WHERE expires <= ?1",
	    "i", now)) != P_OK)
		goto out;
	if ((e = xrun(st, NULL, "INSERT INTO sessions (token_hash, user_id,"
	    " csrf, ip, created, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    "tittii", token_hash, user_id, csrf, ip, now, expires)) !=
	    P_OK)
		goto out;
	e = tx_commit(st);
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_session_get(struct store *base, struct arena *a,
    const char *token_hash, int64_t now, struct session *out)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	if (token_hash == NULL || out == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xprep(st, &s, "SELECT s.user_id, s.csrf, s.expires, u.id,"
	    " u.login, u.name, u.role, coalesce(u.pw_hash, ''), u.created, 0"
	    " FROM sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE s.token_hash = ?1 AND s.expires > ?2", "ti", token_hash,
	    now);
	if (e == P_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			memset(out, 0, sizeof(*out));
			out->user_id = sqlite3_column_int64(s, 0);
			out->csrf = col_str(a, s, 1);
			out->expires = sqlite3_column_int64(s, 2);
			read_account(a, s, 3, &out->user);
		} else
			e = rc == SQLITE_DONE ? P_NOTFOUND :
			    dberr(st, rc, sqlite3_sql(s));
		sqlite3_finalize(s);
	}
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_session_delete(struct store *base, const char *token_hash)
{
	struct sstore *st = sstore(base);
	enum perr e;

	if (token_hash == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xrun(st, NULL, "DELETE FROM sessions WHERE token_hash = ?1", "t",
	    token_hash);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* Replaces the post's links to categories (cats) or tags (tags) with
 * those n terms (found by slug or created). */
static enum perr
relink(struct sstore *st, int64_t post_id, const struct category *cats,
    const struct tag *tags, size_t n)
{
	sqlite3_stmt *s;
	int64_t tid;
	enum perr e;
	size_t i;

	e = xrun(st, NULL, tags ? "DELETE FROM post_tags WHERE post_id = ?1" :
	    "DELETE FROM post_categories WHERE post_id = ?1", "i", post_id);
	for (i = 0; e == P_OK && i < n; i++) {
		const char *slug = tags ? tags[i].slug : cats[i].slug;
		const char *name = tags ? tags[i].name : cats[i].name;

		if (slug == NULL || *slug == '\0')
			return P_BADINPUT;
		if (name == NULL || *name == '\0')
			name = slug;
		e = xrun(st, NULL, tags ? "INSERT INTO tags (slug, name) VALUES"
		    " (?1, ?2) ON CONFLICT (slug) DO NOTHING" :
		    "INSERT INTO categories (slug, name) VALUES (?1, ?2)"
		    " ON CONFLICT (slug) DO NOTHING", "tt", slug, name);
		if (e != P_OK)
			break;
		if ((e = xprep(st, &s, tags ? "SELECT id FROM tags WHERE"
		    " slug = ?1" : "SELECT id FROM categories WHERE slug = ?1",
		    "t", slug)) != P_OK || (e = xint(st, s, &tid)) != P_OK)
			break;
		e = xrun(st, NULL, tags ? "INSERT INTO post_tags (post_id,"
		    " tag_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING" :
		    "INSERT INTO post_categories (post_id, category_id) VALUES"
		    " (?1, ?2) ON CONFLICT DO NOTHING", "ii", post_id, tid);
	}
	return e;
}

static enum perr
sqlite_post_save(struct store *base, const struct post *p, int64_t *id)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	int64_t post_id = p ? p->id : 0, now = (int64_t)time(NULL), chg = 0;
	const char *status;
	enum perr e;

	if (p == NULL || p->slug == NULL || *p->slug == '\0' ||
	    p->title == NULL || p->author_id <= 0 ||
	    (p->ncats > 0 && p->cats == NULL) ||
	    (p->ntags > 0 && p->tags == NULL))
		return P_BADINPUT;
	status = status_word(p->status, p->wp_status);
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	if (post_id == 0) {
		e = xrun(st, NULL, "INSERT INTO posts (slug, title, author_id,"
		    " published, pub_day, status, body_md, body_html, excerpt,"
		    " image, image_caption, comments_open, modified, body_text)"
		    " VALUES (?1, ?2, ?3, ?4,"
		    " strftime('%Y-%m-%d', ?4, 'unixepoch'), ?5, ?6, ?7, ?8,"
		    " ?9, ?10, ?11, ?12, ?13)", "ttiittttttiit",
		    p->slug, p->title, p->author_id, p->published, status,
		    p->body_md, p->body_html, p->excerpt, p->image,
		    p->image_caption, (int64_t)(p->comments_open != 0), now,
		    p->body_text);
		if (e != P_OK)
			goto out;
		post_id = sqlite3_last_insert_rowid(st->db);
	} else {
		/* The address readers may have linked to, kept when it
		 * changes: the post was public (published, not in the
		 * future) before this save. */
		e = xrun(st, NULL, "INSERT INTO post_redirects (pub_day, slug,"
		    " post_id) SELECT p.pub_day, p.slug, p.id FROM posts p WHERE"
		    " p.id = ?1 AND " PUBLIC "AND p.published <= ?2 AND"
		    " (p.pub_day <> strftime('%Y-%m-%d', ?3, 'unixepoch') OR"
		    " p.slug <> ?4) ON CONFLICT (pub_day, slug) DO UPDATE SET"
		    " post_id = excluded.post_id", "iiit", post_id, now,
		    p->published, p->slug);
		if (e != P_OK)
			goto out;
		e = xrun(st, &chg, "UPDATE posts SET slug = ?2, title = ?3,"
		    " author_id = ?4, published = ?5,"
		    " pub_day = strftime('%Y-%m-%d', ?5, 'unixepoch'),"
		    " status = ?6, body_md = ?7, body_html = ?8, excerpt = ?9,"
		    " image = ?10, image_caption = ?11, comments_open = ?12,"
		    " modified = ?13, body_text = ?14, format = 'markdown'"
		    " WHERE id = ?1",
		    "ittiittttttiit", post_id, p->slug, p->title,
		    p->author_id, p->published, status, p->body_md,
		    p->body_html, p->excerpt, p->image, p->image_caption,
		    (int64_t)(p->comments_open != 0), now, p->body_text);
		if (e != P_OK)
			goto out;
		if (chg == 0) {
			e = P_NOTFOUND;
			goto out;
		}
	}
	/* The post's own current address is never a redirect. */
	if ((e = xrun(st, NULL, "DELETE FROM post_redirects WHERE slug = ?1"
	    " AND pub_day = strftime('%Y-%m-%d', ?2, 'unixepoch')", "ti",
	    p->slug, p->published)) != P_OK)
		goto out;
	if ((e = relink(st, post_id, p->cats, NULL, p->ncats)) != P_OK)
		goto out;
	if ((e = relink(st, post_id, NULL, p->tags, p->ntags)) != P_OK)
		goto out;
	(void)s;
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

static enum perr
sqlite_post_slug_taken(struct store *base, const char *slug,
    int64_t except_id, int *taken)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	int64_t n = 0;
	enum perr e;

	if (slug == NULL || taken == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xprep(st, &s, "SELECT (SELECT count(*) FROM posts WHERE slug = ?1"
	    " AND id <> ?2) + (SELECT count(*) FROM post_redirects WHERE"
	    " slug = ?1 AND post_id <> ?2)", "ti", slug, except_id);
	if (e == P_OK)
		e = xint(st, s, &n);
	pthread_mutex_unlock(&st->mu);
	*taken = n > 0;
	return e;
}

/* LIKE pattern matching s anywhere, with % _ and \ taken literally. */
static char *
like_pattern(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) * 2 + 3), *o = out;

	*o++ = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

static enum perr
sqlite_post_list_admin(struct store *base, struct arena *a,
    const struct post_admin_query *q, struct post **out, size_t *n,
    int64_t *total, int64_t counts[3])
{
	/* ?1 now, ?2 status (-1 any), ?3 pattern ('' any), ?4 author (0
	 * any), ?5 limit, ?6 offset. Status as the author sees it. */
#define ADMIN_WHERE \
	"WHERE (?4 = 0 OR p.author_id = ?4) AND (?3 = '' OR" \
	" p.title LIKE ?3 ESCAPE '\\' OR p.slug LIKE ?3 ESCAPE '\\')" \
	" AND (?2 = -1 OR ?2 = " PSTATUS_AT ") "
	struct sstore *st = sstore(base);
	struct post *rows = NULL;
	size_t nrows = 0, cap = 0, i;
	int64_t now = (int64_t)time(NULL);
	const char *pat;
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	if (q == NULL || out == NULL || n == NULL || q->offset < 0 ||
	    q->limit < 0)
		return P_BADINPUT;
	pat = q->search && *q->search ? like_pattern(a, q->search) : "";
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 0)) != P_OK)
		goto out;
	if ((e = xprep(st, &s, POST_SELECT ADMIN_WHERE
	    "ORDER BY (p.status NOT IN ('publish', 'future')) DESC,"
	    " p.published DESC, p.id DESC"
	    " LIMIT ?5 OFFSET ?6", "iitiii", now, (int64_t)q->status, pat,
	    q->author_id, q->limit > 0 ? q->limit : (int64_t)-1, q->offset)) !=
	    P_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		read_post(a, s, &rows[nrows++]);
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	sqlite3_finalize(s);
	if (e != P_OK)
		goto out;
	for (i = 0; i < nrows; i++)
		if ((e = load_cats(st, a, &rows[i])) != P_OK)
			goto out;
	if (total) {
		if ((e = xprep(st, &s, "SELECT count(*) FROM posts p "
		    ADMIN_WHERE, "iiti", now, (int64_t)q->status, pat,
		    q->author_id)) != P_OK || (e = xint(st, s, total)) != P_OK)
			goto out;
	}
	if (counts) {
		for (i = 0; i < 3; i++) {
			if ((e = xprep(st, &s, "SELECT count(*) FROM posts p "
			    ADMIN_WHERE, "iiti", now, (int64_t)i, "",
			    q->author_id)) != P_OK ||
			    (e = xint(st, s, &counts[i])) != P_OK)
				goto out;
		}
	}
	e = tx_commit(st);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
#undef ADMIN_WHERE
}

static enum perr
sqlite_post_redirect_find(struct store *base, int y, int m, int d,
    const char *slug, int64_t *post_id)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s;
	char day[16];
	enum perr e;
	int n;

	if (slug == NULL || post_id == NULL)
		return P_BADINPUT;
	n = snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	if (n < 0 || (size_t)n >= sizeof(day))
		return P_NOTFOUND;
	pthread_mutex_lock(&st->mu);
	e = xprep(st, &s, "SELECT post_id FROM post_redirects WHERE"
	    " pub_day = ?1 AND slug = ?2", "tt", day, slug);
	if (e == P_OK)
		e = xint(st, s, post_id);
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK && *post_id == 0)
		e = P_NOTFOUND;
	return e;
}

static enum perr
sqlite_post_delete(struct store *base, int64_t id)
{
	struct sstore *st = sstore(base);
	int64_t chg = 0;
	enum perr e;

	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	/* Replies reference their parents: cut the links, then the
	 * comments go with the post (ON DELETE CASCADE). */
	if ((e = xrun(st, NULL, "UPDATE comments SET parent_id = NULL WHERE"
	    " post_id = ?1 AND parent_id IS NOT NULL", "i", id)) != P_OK)
		goto out;
	if ((e = xrun(st, &chg, "DELETE FROM posts WHERE id = ?1", "i", id)) !=
	    P_OK)
		goto out;
	if (chg == 0) {
		e = P_NOTFOUND;
		goto out;
	}
	e = tx_commit(st);
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_category_list_all(struct store *base, struct arena *a,
    struct category **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s;
	enum perr e;

	pthread_mutex_lock(&st->mu);
	if ((e = xprep(st, &s, "SELECT id, slug, name FROM categories ORDER BY"
	    " name COLLATE NOCASE, id", "")) == P_OK)
		e = xcats(st, a, s, out, n);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_tag_list_all(struct store *base, struct arena *a, struct tag **out,
    size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s;
	enum perr e;

	pthread_mutex_lock(&st->mu);
	if ((e = xprep(st, &s, "SELECT id, slug, name FROM tags ORDER BY"
	    " name COLLATE NOCASE, id", "")) == P_OK)
		e = xtags(st, a, s, out, n);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_comment_list_admin(struct store *base, struct arena *a,
    const struct comment_admin_query *q, struct comment_row **out,
    size_t *n, int64_t *total)
{
#define MOD_WHERE "WHERE c.status = ?1 AND (?2 = 0 OR p.author_id = ?2)" \
	" AND (?3 = 0 OR c.post_id = ?3) "
	struct sstore *st = sstore(base);
	struct comment_row *rows = NULL;
	size_t nrows = 0, cap = 0;
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	if (q == NULL || out == NULL || n == NULL || q->offset < 0 ||
	    q->limit < 0 || !status_ok(q->status))
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 0)) != P_OK)
		goto out;
	if ((e = xprep(st, &s, "SELECT c.id, c.post_id, c.parent_id, c.author,"
	    " c.email, c.url, c.ip, c.commenter, c.user_id, c.body_md,"
	    " c.body_html, c.created, c.status, c.held_reason,"
	    " c.moderator_edited, c.body_text, c.type, c.format, c.date_local,"
	    " c.date_gmt, c.wp_id, c.wp_parent, c.wp_user_id, c.wp_approved,"
	    " c.wxr_extra, p.author_id, p.title, p.slug, p.published"
	    " FROM comments c JOIN posts p ON p.id = c.post_id " MOD_WHERE
	    "ORDER BY c.id DESC LIMIT ?4 OFFSET ?5", "tiiii",
	    cstatus_str(q->status), q->post_author_id, q->post_id,
	    q->limit > 0 ? q->limit : (int64_t)-1, q->offset)) != P_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		read_comment(a, s, &rows[nrows].c);
		rows[nrows].post_author_id = sqlite3_column_int64(s, 25);
		rows[nrows].post_title = col_str(a, s, 26);
		rows[nrows].post_slug = col_str(a, s, 27);
		rows[nrows].post_published = sqlite3_column_int64(s, 28);
		nrows++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	sqlite3_finalize(s);
	if (e != P_OK)
		goto out;
	if (total && ((e = xprep(st, &s, "SELECT count(*) FROM comments c"
	    " JOIN posts p ON p.id = c.post_id " MOD_WHERE, "tii",
	    cstatus_str(q->status), q->post_author_id, q->post_id)) != P_OK ||
	    (e = xint(st, s, total)) != P_OK))
		goto out;
	e = tx_commit(st);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
#undef MOD_WHERE
}

static enum perr
sqlite_comment_counts(struct store *base, int64_t post_author_id,
    int64_t counts[4])
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc, k;

	memset(counts, 0, 4 * sizeof(counts[0]));
	pthread_mutex_lock(&st->mu);
	if (post_author_id > 0)
		e = xprep(st, &s, "SELECT c.status, count(*) FROM comments c"
		    " JOIN posts p ON p.id = c.post_id WHERE p.author_id = ?1"
		    " GROUP BY c.status", "i", post_author_id);
	else
		e = xprep(st, &s, "SELECT status, count(*) FROM comments"
		    " GROUP BY status", "");
	if (e == P_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			k = cstatus_parse((const char *)sqlite3_column_text(s,
			    0));
			if (k >= 0)
				counts[k] = sqlite3_column_int64(s, 1);
		}
		if (rc != SQLITE_DONE)
			e = dberr(st, rc, sqlite3_sql(s));
		sqlite3_finalize(s);
	}
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* 1 if comment id exists with status spam or trash; P_NOTFOUND if none. */
static enum perr
removed_state(struct sstore *st, int64_t id, int64_t *removed)
{
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	if ((e = xprep(st, &s, "SELECT status IN ('spam', 'trash') FROM"
	    " comments WHERE id = ?1", "i", id)) != P_OK)
		return e;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*removed = sqlite3_column_int64(s, 0);
	else
		e = rc == SQLITE_DONE ? P_NOTFOUND :
		    dberr(st, rc, sqlite3_sql(s));
	sqlite3_finalize(s);
	return e;
}

static enum perr
sqlite_comment_restore(struct store *base, int64_t id)
{
	struct sstore *st = sstore(base);
	int64_t removed = 0;
	enum perr e;

	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	if ((e = removed_state(st, id, &removed)) != P_OK)
		goto out;
	if (!removed) {
		e = P_CONFLICT;
		goto out;
	}
	if ((e = xrun(st, NULL, "UPDATE comments SET status = CASE WHEN"
	    " prev_status IN ('pending', 'approved') THEN prev_status ELSE"
	    " 'pending' END, prev_status = '' WHERE id = ?1", "i", id)) != P_OK)
		goto out;
	e = tx_commit(st);
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_comment_delete(struct store *base, int64_t id)
{
	struct sstore *st = sstore(base);
	int64_t removed = 0;
	enum perr e;

	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) != P_OK)
		goto out;
	if ((e = removed_state(st, id, &removed)) != P_OK)
		goto out;
	if (!removed) {
		e = P_CONFLICT;
		goto out;
	}
	/* Its replies move up one level, as WordPress does. */
	if ((e = xrun(st, NULL, "UPDATE comments SET parent_id = (SELECT"
	    " parent_id FROM comments WHERE id = ?1) WHERE parent_id = ?1",
	    "i", id)) != P_OK)
		goto out;
	if ((e = xrun(st, NULL, "DELETE FROM comments WHERE id = ?1", "i",
	    id)) != P_OK)
		goto out;
	e = tx_commit(st);
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_comment_edit(struct store *base, const struct comment *c)
{
	struct sstore *st = sstore(base);
	int64_t chg = 0;
	enum perr e;

	if (c == NULL || c->id <= 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xrun(st, &chg, "UPDATE comments SET author = ?2, email = ?3,"
	    " url = ?4, body_md = ?5, body_html = ?6, body_text = ?7,"
	    " moderator_edited = 1, format = 'markdown' WHERE id = ?1",
	    "itttttt", c->id,
	    c->author, c->email, c->url, c->body_md, c->body_html,
	    c->body_text);
	if (e == P_OK && chg == 0)
		e = P_NOTFOUND;
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_media_put(struct store *base, const struct media *m)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	enum perr e;

	if (m == NULL || m->hash == NULL || strlen(m->hash) != 64 ||
	    m->type == NULL || m->data == NULL || m->size < 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xprep(st, &s, "INSERT INTO media (hash, type, name, size, width,"
	    " height, user_id, created, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9) ON CONFLICT (hash) DO NOTHING", "tttiiirib",
	    m->hash, m->type, m->name, m->size, m->width, m->height,
	    m->user_id, m->created ? m->created : (int64_t)time(NULL),
	    (const void *)m->data, (size_t)m->size);
	if (e == P_OK)
		e = xdone(st, s, NULL);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static void
read_media(struct arena *a, sqlite3_stmt *s, struct media *m, int with_data)
{
	memset(m, 0, sizeof(*m));
	m->hash = col_str(a, s, 0);
	m->type = col_str(a, s, 1);
	m->name = col_str(a, s, 2);
	m->size = sqlite3_column_int64(s, 3);
	m->width = sqlite3_column_int64(s, 4);
	m->height = sqlite3_column_int64(s, 5);
	m->user_id = sqlite3_column_int64(s, 6);
	m->created = sqlite3_column_int64(s, 7);
	if (with_data) {
		const void *d = sqlite3_column_blob(s, 8);
		int len = sqlite3_column_bytes(s, 8);
		unsigned char *copy = arena_alloc(a, (size_t)len + 1);

		if (d && len > 0)
			memcpy(copy, d, (size_t)len);
		m->data = copy;
		m->size = len;
	}
}

static enum perr
sqlite_media_get(struct store *base, struct arena *a, const char *hash,
    int with_data, struct media *out)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	if (hash == NULL || out == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xprep(st, &s, with_data ? "SELECT hash, type, name, size, width,"
	    " height, user_id, created, data FROM media WHERE hash = ?1" :
	    "SELECT hash, type, name, size, width, height, user_id, created"
	    " FROM media WHERE hash = ?1", "t", hash);
	if (e == P_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			read_media(a, s, out, with_data);
		else
			e = rc == SQLITE_DONE ? P_NOTFOUND :
			    dberr(st, rc, sqlite3_sql(s));
		sqlite3_finalize(s);
	}
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_media_list(struct store *base, struct arena *a, int64_t offset,
    int64_t limit, struct media **out, size_t *n, int64_t *total)
{
	struct sstore *st = rd(base);
	struct media *rows = NULL;
	size_t nrows = 0, cap = 0;
	sqlite3_stmt *s;
	enum perr e;
	int rc;

	if (out == NULL || n == NULL || offset < 0 || limit < 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xprep(st, &s, "SELECT hash, type, name, size, width, height,"
	    " user_id, created FROM media ORDER BY created DESC, hash"
	    " LIMIT ?1 OFFSET ?2", "ii", limit > 0 ? limit : (int64_t)-1,
	    offset);
	if (e == P_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			rows = grow(a, rows, nrows, &cap, sizeof(*rows));
			read_media(a, s, &rows[nrows++], 0);
		}
		if (rc != SQLITE_DONE)
			e = dberr(st, rc, sqlite3_sql(s));
		sqlite3_finalize(s);
	}
	if (e == P_OK && total && (e = xprep(st, &s, "SELECT count(*) FROM"
	    " media", "")) == P_OK)
		e = xint(st, s, total);
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

static enum perr
sqlite_media_delete(struct store *base, const char *hash)
{
	struct sstore *st = sstore(base);
	int64_t chg = 0;
	enum perr e;

	if (hash == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	e = xrun(st, &chg, "DELETE FROM media WHERE hash = ?1", "t", hash);
	if (e == P_OK && chg == 0)
		e = P_NOTFOUND;
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* -------------------------------------------------------------------- */
/* Tags, the change clock, search, feeds' comments, archives. */

static enum perr
sqlite_tag_get(struct store *base, struct arena *a, const char *slug,
    struct tag *out)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_TAG_GET];
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
sqlite_last_change(struct store *base, int64_t now, int64_t *at)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_LAST_CHANGE];
	enum perr e;
	int rc = SQLITE_OK;

	if (at == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, now, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	if ((e = step_row(st, s)) != P_OK) {
		if (e == P_NOTFOUND) /* max() always answers */
			e = P_IO;
		goto out;
	}
	*at = sqlite3_column_int64(s, 0);
	done(s);
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* Words kept from a query whose syntax FTS5 refused. */
#define SEARCH_MAX_WORDS 32

static int
word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* FTS5's operators, which in broken syntax are the reader's attempt at
 * one, not words they look for. */
static int
is_operator(const char *w, size_t n)
{
	return (n == 3 && (!strncmp(w, "AND", 3) || !strncmp(w, "NOT", 3))) ||
	    (n == 2 && !strncmp(w, "OR", 2)) ||
	    (n == 4 && !strncmp(w, "NEAR", 4));
}

/* The words of s as an FTS5 query of quoted strings, all required: what
 * a reader meant when the text is not valid query syntax. Operators are
 * dropped unless nothing else is left. Quotes never survive into a word,
 * so the quoting is exact. "" if s has no word. */
static char *
plain_words(struct arena *a, const char *s, int keep_ops)
{
	size_t n = strlen(s), o = 0, words = 0, len;
	char *out = arena_alloc(a, n * 3 + 1);
	const unsigned char *p = (const unsigned char *)s, *w;

	while (*p && words < SEARCH_MAX_WORDS) {
		while (*p && !word_byte(*p))
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p && word_byte(*p); p++)
			;
		len = (size_t)(p - w);
		if (!keep_ops && is_operator((const char *)w, len))
			continue;
		if (o)
			out[o++] = ' ';
		out[o++] = '"';
		memcpy(out + o, w, len);
		o += len;
		out[o++] = '"';
		words++;
	}
	out[o] = '\0';
	if (o == 0 && !keep_ops)
		return plain_words(a, s, 1);
	return out;
}

/* A ranked hit of the page: its index rowid and article. */
struct ranked {
	int64_t rowid, post;
};

/* Fills h with hit r from s's row, whose columns from c on are those of
 * Q_SEARCH_HIT. */
static void
search_hit_cols(struct arena *a, sqlite3_stmt *s, int c,
    const struct ranked *r, struct search_hit *h)
{
	memset(h, 0, sizeof(*h));
	h->post.id = r->post;
	h->post.slug = col_str(a, s, c);
	h->post.title = col_str(a, s, c + 1);
	h->post.published = sqlite3_column_int64(s, c + 2);
	h->post.author_login = col_str(a, s, c + 3);
	h->post.author_name = col_str(a, s, c + 4);
	h->post.n_approved = sqlite3_column_int64(s, c + 5);
	h->post.body_md = h->post.body_html = h->post.excerpt = "";
	h->post.image = h->post.image_caption = h->post.body_text = "";
	h->comment_id = (r->rowid & 1) ? r->rowid / 2 : 0;
	h->who = h->comment_id ? col_str(a, s, c + 6) : "";
	h->date = h->comment_id ? sqlite3_column_int64(s, c + 7) :
	    h->post.published;
	h->title = h->comment_id ? h->post.title : col_str(a, s, c + 8);
	h->snippet = col_str(a, s, c + 9);
}

/* Fills h[i] with page[i], whole, for i < n (mu held, in the search's
 * transaction). all: every match was a candidate, so one pass over them
 * is bounded. */
static enum perr
search_hits_read(struct sstore *st, struct arena *a, const char *match,
    const struct ranked *page, size_t n, int all, struct search_hit *h)
{
	sqlite3_stmt *s;
	char *ids;
	enum perr e = P_OK;
	size_t i, got = 0, o = 0;
	int rc = SQLITE_OK;

	if (!all) {
		s = st->stmt[Q_SEARCH_HIT];
		for (i = 0; i < n; i++) {
			bind_text(s, 1, match, &rc);
			bind_int(s, 2, page[i].rowid, &rc);
			bind_int(s, 3, page[i].post, &rc);
			if (rc != SQLITE_OK)
				return bind_fail(st, s, rc);
			if ((e = step_row(st, s)) != P_OK) /* ranked in this tx */
				return e == P_NOTFOUND ? P_IO : e;
			search_hit_cols(a, s, 0, &page[i], &h[i]);
			done(s);
		}
		return P_OK;
	}
	s = st->stmt[Q_SEARCH_HITS];
	/* "[" rowid ("," rowid)* "]": at most 21 bytes a rowid. */
	ids = arena_alloc(a, n * 21 + 3);
	ids[o++] = '[';
	for (i = 0; i < n; i++) {
		int w = snprintf(ids + o, 22, "%s%lld", i ? "," : "",
		    (long long)page[i].rowid);

		if (w < 0 || w >= 22)
			return P_IO;
		o += (size_t)w;
	}
	ids[o++] = ']';
	ids[o] = '\0';
	bind_text(s, 1, match, &rc);
	bind_text(s, 2, ids, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t rowid = sqlite3_column_int64(s, 0);

		for (i = 0; i < n && page[i].rowid != rowid; i++)
			;
		if (i < n) {
			search_hit_cols(a, s, 1, &page[i], &h[i]);
			got++;
		}
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	else if (got != n) /* ranked in this transaction: all are there */
		e = P_IO;
	done(s);
	return e;
}

/*
 * One attempt with match as the FTS5 query. *syntax = 1 (and nothing
 * logged) when SQLite refuses the query text itself: an FTS5 syntax
 * error, an unknown column or special query are all SQLITE_ERROR at the
 * first step; any other failure is a real error. The ranking is walked
 * once: it counts the hits and keeps the page's; only those are read.
 */
static enum perr
search_try(struct sstore *st, struct arena *a, const char *match,
    const struct search_query *q, int64_t now, struct search_hit **out,
    size_t *n, int64_t *total, int *more, int *syntax)
{
	sqlite3_stmt *s = st->stmt[Q_SEARCH_RANK];
	struct search_hit *rows = NULL;
	struct ranked *page = NULL;
	size_t npage = 0, cap = 0;
	int64_t kind = q->kind == SEARCH_POSTS ? 0 :
	    q->kind == SEARCH_COMMENTS ? 1 : -1, count = 0;
	int64_t end = q->limit > 0 ? q->offset + q->limit : INT64_MAX;
	enum perr e = P_OK;
	int rc = SQLITE_OK, beyond = 0, past = 0;

	*syntax = 0;
	bind_text(s, 1, match, &rc);
	bind_int(s, 2, now, &rc);
	bind_int(s, 3, kind, &rc);
	bind_int(s, 4, LIM_SEARCH_RANKED, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (count >= q->offset && count < end) {
			page = grow(a, page, npage, &cap, sizeof(*page));
			page[npage].rowid = sqlite3_column_int64(s, 0);
			page[npage++].post = sqlite3_column_int64(s, 1);
		}
		count++;
	}
	if (rc != SQLITE_DONE) {
		if ((rc & 0xff) == SQLITE_ERROR && count == 0) {
			*syntax = 1;
			done(s);
			return P_BADINPUT;
		}
		e = dberr(st, rc, sqlite3_sql(s));
		done(s);
		return e;
	}
	done(s);

	s = st->stmt[Q_SEARCH_MORE];
	rc = SQLITE_OK;
	bind_text(s, 1, match, &rc);
	bind_int(s, 2, now, &rc);
	bind_int(s, 3, kind, &rc);
	bind_int(s, 4, LIM_SEARCH_RANKED, &rc);
	if (rc != SQLITE_OK)
		return bind_fail(st, s, rc);
	if ((e = step_row(st, s)) != P_OK)
		return e == P_NOTFOUND ? P_IO : e;
	beyond = sqlite3_column_int64(s, 0) != 0;
	past = sqlite3_column_int64(s, 1) != 0;
	done(s);

	if (npage) {
		rows = arena_alloc(a, npage * sizeof(*rows));
		if ((e = search_hits_read(st, a, match, page, npage, !past,
		    rows)) != P_OK)
			return e;
	}
	*out = rows;
	*n = npage;
	if (total)
		*total = count;
	if (more)
		*more = beyond;
	return P_OK;
}

/* The query as written first; if its syntax is refused, its words. Both
 * attempts read in one transaction so count and page agree. */
static enum perr
sqlite_search(struct store *base, struct arena *a,
    const struct search_query *q, struct search_hit **out, size_t *n,
    int64_t *total, int *more)
{
	struct sstore *st = rd(base);
	int64_t now = (int64_t)time(NULL);
	const char *words;
	enum perr e;
	int syntax;

	if (q == NULL || out == NULL || n == NULL || q->text == NULL ||
	    q->offset < 0 || q->limit < 0)
		return P_BADINPUT;
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (more)
		*more = 0;
	words = plain_words(a, q->text, 0);
	if (*words == '\0')
		return P_OK;
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 0)) != P_OK)
		goto out;
	e = search_try(st, a, q->text, q, now, out, n, total, more, &syntax);
	if (syntax)
		e = search_try(st, a, words, q, now, out, n, total, more,
		    &syntax);
	if (syntax) /* quoted words are always valid syntax */
		e = P_IO;
	if (e == P_OK)
		e = tx_commit(st);
out:
	if (e != P_OK) {
		tx_abort(st);
		*out = NULL;
		*n = 0;
	}
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_comment_list_recent(struct store *base, struct arena *a,
    int64_t post_id, int64_t limit, struct comment **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL || limit < 0 || post_id < 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	s = st->stmt[post_id ? Q_RECENT_POST : Q_RECENT_ALL];
	bind_int(s, 1, (int64_t)time(NULL), &rc);
	bind_int(s, 2, limit > 0 ? limit : -1, &rc);
	if (post_id)
		bind_int(s, 3, post_id, &rc);
	e = rc == SQLITE_OK ? comment_rows(st, a, s, out, n) :
	    bind_fail(st, s, rc);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_archive_list(struct store *base, struct arena *a,
    enum archive_kind k, struct archive **out, size_t *n)
{
	struct sstore *st = rd(base);
	struct archive *rows = NULL;
	size_t nrows = 0, cap = 0;
	sqlite3_stmt *s;
	enum perr e = P_OK;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL || (unsigned)k > ARCH_MONTH)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	s = st->stmt[Q_ARCH + k];
	bind_int(s, 1, (int64_t)time(NULL), &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		rows[nrows].key = col_str(a, s, 0);
		rows[nrows].name = col_str(a, s, 1);
		rows[nrows].count = sqlite3_column_int64(s, 2);
		rows[nrows].lastmod = sqlite3_column_int64(s, 3);
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

/* -------------------------------------------------------------------- */
/* WordPress import (wxr/import.c). import_begin opens the transaction
 * the import_* ops then run in; they take st->mu per call like every op,
 * but the transaction spans calls: only the importing thread may use the
 * store until import_end. All of it runs on the writer, where the temp
 * tables it fills live; rd() answers with the writer meanwhile (the
 * importer's comment_get must see this import's own rows). Exports and
 * old-address lookups read committed rows only: the reader. */

static enum perr
sqlite_import_begin(struct store *base)
{
	struct sstore *st = sstore(base);
	enum perr e;

	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 1)) == P_OK)
		e = exec_sql(st, "DELETE FROM temp.wxr_new_posts;"
		    "DELETE FROM temp.wxr_new_comments;");
	if (e != P_OK)
		tx_abort(st);
	else
		atomic_store(&st->importing, 1);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_import_end(struct store *base, int commit)
{
	struct sstore *st = sstore(base);
	enum perr e = P_OK;

	pthread_mutex_lock(&st->mu);
	if (commit)
		e = tx_commit(st);
	if (!commit || e != P_OK)
		tx_abort(st);
	atomic_store(&st->importing, 0);
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* One integer column of the first row of a bound statement: P_OK,
 * P_NOTFOUND or an error; s is reset either way. */
static enum perr
one_int(struct sstore *st, sqlite3_stmt *s, int64_t *v)
{
	enum perr e = step_row(st, s);

	if (e != P_OK)
		return e;
	if (v)
		*v = sqlite3_column_int64(s, 0);
	done(s);
	return P_OK;
}

static enum perr
by_id(struct sstore *st, enum qid q, int64_t id, int64_t *v)
{
	sqlite3_stmt *s = st->stmt[q];
	int rc = SQLITE_OK;

	bind_int(s, 1, id, &rc);
	return rc == SQLITE_OK ? one_int(st, s, v) : bind_fail(st, s, rc);
}

static enum perr
by_text(struct sstore *st, enum qid q, const char *t, int64_t *v)
{
	sqlite3_stmt *s = st->stmt[q];
	int rc = SQLITE_OK;

	bind_text(s, 1, t, &rc);
	return rc == SQLITE_OK ? one_int(st, s, v) : bind_fail(st, s, rc);
}

static enum perr
sqlite_import_user(struct store *base, const struct user *u, int64_t *id,
    int *created)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	struct user have;
	enum perr e;
	int rc = SQLITE_OK;

	if (u == NULL || u->login == NULL || *u->login == '\0' || id == NULL)
		return P_BADINPUT;
	*created = 0;
	pthread_mutex_lock(&st->mu);
	if (u->wp_login && (e = by_text(st, Q_IMP_USER_BY_WPLOGIN, u->wp_login,
	    id)) != P_NOTFOUND)
		goto out;
	e = user_lookup(st, NULL, u->login, &have);
	if (e == P_OK) {
		*id = have.id;
		if (u->wp_login == NULL)
			goto out;
		s = st->stmt[Q_IMP_USER_ADOPT];
		bind_int(s, 1, have.id, &rc);
		bind_text(s, 2, u->wp_login, &rc);
		bind_int(s, 3, u->wp_id, &rc);
		bind_text(s, 4, u->email, &rc);
		bind_text(s, 5, u->first_name, &rc);
		bind_text(s, 6, u->last_name, &rc);
		bind_text(s, 7, u->wxr_extra, &rc);
		e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
		goto out;
	}
	if (e != P_NOTFOUND)
		goto out;
	s = st->stmt[Q_IMP_USER_INSERT];
	bind_text(s, 1, u->login, &rc);
	bind_text(s, 2, u->name && *u->name ? u->name : u->login, &rc);
	bind_int(s, 3, (int64_t)time(NULL), &rc);
	bind_text(s, 4, u->email, &rc);
	bind_text(s, 5, u->first_name, &rc);
	bind_text(s, 6, u->last_name, &rc);
	bind_ref(s, 7, u->wp_id, &rc);
	if (rc == SQLITE_OK)
		rc = u->wp_login ? sqlite3_bind_text(s, 8, u->wp_login, -1,
		    SQLITE_STATIC) : sqlite3_bind_null(s, 8);
	bind_text(s, 9, u->wxr_extra, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e == P_CONFLICT && u->wp_id) {
		/* that WordPress id belongs to another user already */
		s = st->stmt[Q_IMP_USER_INSERT];
		rc = SQLITE_OK;
		bind_text(s, 1, u->login, &rc);
		bind_text(s, 2, u->name && *u->name ? u->name : u->login, &rc);
		bind_int(s, 3, (int64_t)time(NULL), &rc);
		bind_text(s, 4, u->email, &rc);
		bind_text(s, 5, u->first_name, &rc);
		bind_text(s, 6, u->last_name, &rc);
		bind_ref(s, 7, 0, &rc);
		if (rc == SQLITE_OK)
			rc = u->wp_login ? sqlite3_bind_text(s, 8, u->wp_login,
			    -1, SQLITE_STATIC) : sqlite3_bind_null(s, 8);
		bind_text(s, 9, u->wxr_extra, &rc);
		e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	}
	if (e == P_OK) {
		*id = sqlite3_last_insert_rowid(st->db);
		*created = 1;
	}
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_import_term(struct store *base, const struct wxr_term_row *t,
    int *created)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	enum perr e = P_OK;
	int rc = SQLITE_OK, made = 0;

	if (t == NULL || t->taxonomy == NULL || t->slug == NULL ||
	    *t->slug == '\0')
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if (!strcmp(t->taxonomy, "category") || !strcmp(t->taxonomy,
	    "post_tag")) {
		s = st->stmt[!strcmp(t->taxonomy, "category") ? Q_CAT_INSERT :
		    Q_TAG_INSERT];
		bind_text(s, 1, t->slug, &rc);
		bind_text(s, 2, t->name && *t->name ? t->name : t->slug, &rc);
		e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
		made = e == P_OK && sqlite3_changes(st->db) > 0;
	}
	if (e == P_OK) {
		s = st->stmt[Q_IMP_TERM_INSERT];
		bind_text(s, 1, t->taxonomy, &rc);
		bind_text(s, 2, t->slug, &rc);
		bind_int(s, 3, t->wp_id, &rc);
		bind_text(s, 4, t->name, &rc);
		bind_text(s, 5, t->parent, &rc);
		bind_text(s, 6, t->description, &rc);
		bind_text(s, 7, t->extra, &rc);
		e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
		if (e == P_OK && strcmp(t->taxonomy, "category") &&
		    strcmp(t->taxonomy, "post_tag"))
			made = sqlite3_changes(st->db) > 0;
	}
	if (created)
		*created = made;
	pthread_mutex_unlock(&st->mu);
	return e;
}

static int
str_or_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Binds the columns shared by insert and update, from ?first on. */
static void
bind_import_post(sqlite3_stmt *s, int first, const struct post *p,
    const char *slug, int update, int *rc)
{
	int i = first;

	bind_text(s, i++, slug, rc);
	bind_text(s, i++, p->title, rc);
	bind_int(s, i++, p->author_id, rc);
	bind_int(s, i++, p->published, rc);
	bind_text(s, i++, str_or_empty(p->wp_status) ? "publish" :
	    p->wp_status, rc);
	bind_text(s, i++, p->body_md, rc);
	bind_text(s, i++, p->body_html, rc);
	bind_text(s, i++, p->excerpt, rc);
	bind_text(s, i++, p->image, rc);
	bind_text(s, i++, p->image_caption, rc);
	bind_int(s, i++, p->comments_open != 0, rc);
	bind_text(s, i++, str_or_empty(p->type) ? "post" : p->type, rc);
	bind_text(s, i++, str_or_empty(p->format) ? "markdown" : p->format, rc);
	bind_text(s, i++, p->password, rc);
	bind_text(s, i++, p->date_local, rc);
	bind_text(s, i++, p->date_gmt, rc);
	bind_text(s, i++, p->guid, rc);
	bind_int(s, i++, p->excerpt_auto != 0, rc);
	if (!update)
		bind_ref(s, i++, p->wp_id, rc);
	bind_int(s, i++, p->wp_parent, rc);
	if (*rc == SQLITE_OK)
		*rc = p->wp_name ? sqlite3_bind_text(s, i, p->wp_name, -1,
		    SQLITE_STATIC) : sqlite3_bind_null(s, i);
	i++;
	if (*rc == SQLITE_OK)
		*rc = !str_or_empty(p->wp_path) ? sqlite3_bind_text(s, i,
		    p->wp_path, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
	i++;
	bind_int(s, i++, p->wp_thumbnail, rc);
	bind_text(s, i++, p->wxr_extra, rc);
	bind_text(s, i++, p->body_text, rc); /* the search index reads it */
}

static enum perr
link_terms(struct sstore *st, int64_t id, const struct post *p)
{
	enum perr e = P_OK;
	size_t i;

	for (i = 0; i < p->ncats && e == P_OK; i++)
		e = link_term(st, id, p->cats[i].slug, p->cats[i].name,
		    Q_CAT_INSERT, Q_CAT_GET, Q_POST_CAT_LINK);
	for (i = 0; i < p->ntags && e == P_OK; i++)
		e = link_term(st, id, p->tags[i].slug, p->tags[i].name,
		    Q_TAG_INSERT, Q_TAG_GET, Q_POST_TAG_LINK);
	return e;
}

/* Every category and tag named by a slug. */
static int
terms_ok(const struct post *p)
{
	size_t i;

	if ((p->ncats > 0 && p->cats == NULL) ||
	    (p->ntags > 0 && p->tags == NULL))
		return 0;
	for (i = 0; i < p->ncats; i++)
		if (p->cats[i].slug == NULL || *p->cats[i].slug == '\0')
			return 0;
	for (i = 0; i < p->ntags; i++)
		if (p->tags[i].slug == NULL || *p->tags[i].slug == '\0')
			return 0;
	return 1;
}

/* Up to this many "-N" suffixes are tried on a (day, slug) clash. */
#define SLUG_TRIES 100

static enum perr
sqlite_import_post(struct store *base, const struct post *p, int64_t *id,
    int *created)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	char slug[512];
	int64_t want = 0, got;
	enum perr e;
	int rc, n, k;

	if (p == NULL || id == NULL || str_or_empty(p->slug) ||
	    p->title == NULL || p->author_id <= 0 ||
	    !terms_ok(p) ||
	    strlen(p->slug) > 400)
		return P_BADINPUT;
	*created = 0;
	pthread_mutex_lock(&st->mu);
	if (p->wp_id > 0) {
		e = by_id(st, Q_IMP_POST_BY_WPID, p->wp_id, id);
		if (e != P_NOTFOUND)
			goto out; /* there already, or an error */
		e = by_id(st, Q_IMP_POST_ID_FREE, p->wp_id, NULL);
		if (e == P_NOTFOUND)
			want = p->wp_id; /* keep WordPress's id */
		else if (e != P_OK)
			goto out;
	}
	for (k = 1; k <= SLUG_TRIES; k++) {
		n = k == 1 ? snprintf(slug, sizeof(slug), "%s", p->slug) :
		    snprintf(slug, sizeof(slug), "%s-%d", p->slug, k);
		if (n < 0 || (size_t)n >= sizeof(slug)) {
			e = P_BADINPUT;
			goto out;
		}
		s = st->stmt[Q_IMP_POST_INSERT];
		rc = SQLITE_OK;
		bind_ref(s, 1, want, &rc);
		bind_import_post(s, 2, p, slug, 0, &rc);
		e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
		if (e != P_CONFLICT)
			break;
	}
	if (e != P_OK)
		goto out;
	got = sqlite3_last_insert_rowid(st->db);
	if ((e = link_terms(st, got, p)) != P_OK)
		goto out;
	s = st->stmt[Q_IMP_NEW_POST];
	rc = SQLITE_OK;
	bind_int(s, 1, got, &rc);
	if ((e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc)) != P_OK)
		goto out;
	*id = got;
	*created = 1;
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_import_post_update(struct store *base, int64_t id, const struct post *p)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc = SQLITE_OK;

	if (p == NULL || str_or_empty(p->slug) || p->title == NULL ||
	    p->author_id <= 0 || !terms_ok(p))
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	s = st->stmt[Q_IMP_POST_UPDATE];
	bind_int(s, 1, id, &rc);
	bind_import_post(s, 2, p, p->slug, 1, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e == P_OK) {
		s = st->stmt[Q_IMP_POST_UNLINK_CATS];
		bind_int(s, 1, id, &rc);
		e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	}
	if (e == P_OK) {
		s = st->stmt[Q_IMP_POST_UNLINK_TAGS];
		bind_int(s, 1, id, &rc);
		e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	}
	if (e == P_OK)
		e = link_terms(st, id, p);
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_import_comment(struct store *base, const struct comment *c,
    int64_t *id, int *created)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	int64_t want = 0, got;
	enum perr e;
	int rc = SQLITE_OK;

	if (c == NULL || id == NULL || c->post_id <= 0 || !status_ok(c->status))
		return P_BADINPUT;
	*created = 0;
	pthread_mutex_lock(&st->mu);
	if (c->wp_id > 0) {
		e = by_id(st, Q_IMP_COMMENT_BY_WPID, c->wp_id, id);
		if (e != P_NOTFOUND)
			goto out;
		e = by_id(st, Q_IMP_COMMENT_ID_FREE, c->wp_id, NULL);
		if (e == P_NOTFOUND)
			want = c->wp_id; /* #comment-N keeps working */
		else if (e != P_OK)
			goto out;
	}
	s = st->stmt[Q_IMP_COMMENT_INSERT];
	bind_ref(s, 1, want, &rc);
	bind_int(s, 2, c->post_id, &rc);
	bind_text(s, 3, c->author, &rc);
	bind_text(s, 4, c->email, &rc);
	bind_text(s, 5, c->url, &rc);
	bind_text(s, 6, c->ip, &rc);
	bind_text(s, 7, c->body_md, &rc);
	bind_text(s, 8, c->body_html, &rc);
	bind_int(s, 9, c->created, &rc);
	bind_text(s, 10, cstatus_str(c->status), &rc);
	bind_text(s, 11, str_or_empty(c->type) ? "comment" : c->type, &rc);
	bind_text(s, 12, str_or_empty(c->format) ? "markdown" : c->format, &rc);
	bind_text(s, 13, c->date_local, &rc);
	bind_text(s, 14, c->date_gmt, &rc);
	bind_ref(s, 15, c->wp_id, &rc);
	bind_int(s, 16, c->wp_parent, &rc);
	bind_int(s, 17, c->wp_user_id, &rc);
	bind_text(s, 18, c->wp_approved, &rc);
	bind_text(s, 19, c->wxr_extra, &rc);
	bind_text(s, 20, c->body_text, &rc); /* the search index reads it */
	/* An unknown post fails the foreign key: P_BADINPUT. */
	if ((e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc)) != P_OK)
		goto out;
	got = sqlite3_last_insert_rowid(st->db);
	s = st->stmt[Q_IMP_NEW_COMMENT];
	bind_int(s, 1, got, &rc);
	if ((e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc)) != P_OK)
		goto out;
	*id = got;
	*created = 1;
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_import_item(struct store *base, const struct wxr_item_row *it,
    int *created)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc = SQLITE_OK;

	if (it == NULL || it->type == NULL || it->xml == NULL)
		return P_BADINPUT;
	*created = 0;
	pthread_mutex_lock(&st->mu);
	e = it->wp_id > 0 ? by_id(st, Q_IMP_ITEM_BY_WPID, it->wp_id, NULL) :
	    by_text(st, Q_IMP_ITEM_NOID, it->xml, NULL);
	if (e != P_NOTFOUND)
		goto out;
	s = st->stmt[Q_IMP_ITEM_INSERT];
	bind_ref(s, 1, it->wp_id, &rc);
	bind_text(s, 2, it->type, &rc);
	bind_int(s, 3, it->parent, &rc);
	bind_text(s, 4, it->url, &rc);
	bind_text(s, 5, it->title, &rc);
	bind_text(s, 6, it->caption, &rc);
	bind_text(s, 7, it->xml, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (e == P_OK)
		*created = 1;
out:
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_import_channel_extra(struct store *base, const char *xml, int *created)
{
	struct sstore *st = sstore(base);
	sqlite3_stmt *s = st->stmt[Q_IMP_CHANNEL_INSERT];
	enum perr e;
	int rc = SQLITE_OK;

	if (xml == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_text(s, 1, xml, &rc);
	e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
	if (created)
		*created = e == P_OK && sqlite3_changes(st->db) > 0;
	pthread_mutex_unlock(&st->mu);
	return e;
}

/* A page's address from its own slug and its ancestors' (by WordPress
 * parent id), at most LIM_WXR_PAGE_DEPTH deep, so a cycle ends. */
static enum perr
page_path(struct sstore *st, struct arena *a, const char *slug,
    int64_t parent, char **out)
{
	const char *segs[LIM_WXR_PAGE_DEPTH];
	sqlite3_stmt *s = st->stmt[Q_FIN_PAGE_PARENT];
	size_t n = 0, i, len = 0;
	enum perr e;
	char *p;
	int rc = SQLITE_OK;

	segs[n++] = slug;
	while (parent != 0 && n < LIM_WXR_PAGE_DEPTH) {
		bind_int(s, 1, parent, &rc);
		if (rc != SQLITE_OK)
			return bind_fail(st, s, rc);
		if ((e = step_row(st, s)) == P_NOTFOUND)
			break;
		if (e != P_OK)
			return e;
		segs[n++] = col_str(a, s, 0);
		parent = sqlite3_column_int64(s, 1);
		done(s);
	}
	for (i = 0; i < n; i++)
		len += strlen(segs[i]) + 1;
	p = arena_alloc(a, len + 1);
	*out = p;
	for (i = n; i-- > 0;) {
		size_t k = strlen(segs[i]);

		memcpy(p, segs[i], k);
		p += k;
		*p++ = '/';
	}
	p[-1] = '\0';
	return P_OK;
}

static enum perr
sqlite_import_finish(struct store *base,
    void (*orphan)(void *ctx, int64_t id, int64_t wp_parent), void *ctx)
{
	struct sstore *st = sstore(base);
	struct arena a;
	sqlite3_stmt *s;
	struct page_row { int64_t id, parent; const char *slug; } *pages = NULL;
	size_t npages = 0, cap = 0, i;
	enum perr e;
	int rc = SQLITE_OK, k;

	arena_init(&a);
	pthread_mutex_lock(&st->mu);
	if ((e = run(st, st->stmt[Q_FIN_COMMENT_PARENTS])) != P_OK)
		goto out;
	s = st->stmt[Q_FIN_ORPHANS];
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (orphan)
			orphan(ctx, sqlite3_column_int64(s, 0),
			    sqlite3_column_int64(s, 1));
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	rc = SQLITE_OK;
	if (e != P_OK)
		goto out;
	if ((e = run(st, st->stmt[Q_FIN_CAT_PARENTS])) != P_OK)
		goto out;
	/* pages: gather first, then write paths */
	s = st->stmt[Q_FIN_NEW_PAGES];
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pages = grow(&a, pages, npages, &cap, sizeof(*pages));
		pages[npages].id = sqlite3_column_int64(s, 0);
		pages[npages].slug = col_str(&a, s, 1);
		pages[npages].parent = sqlite3_column_int64(s, 2);
		npages++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	rc = SQLITE_OK;
	for (i = 0; i < npages && e == P_OK; i++) {
		char *path = NULL;

		if ((e = page_path(st, &a, pages[i].slug, pages[i].parent,
		    &path)) != P_OK)
			break;
		for (k = 1; k <= SLUG_TRIES; k++) {
			const char *try = k == 1 ? path :
			    arena_printf(&a, "%s-%d", path, k);

			s = st->stmt[Q_FIN_SET_PATH];
			rc = SQLITE_OK;
			bind_int(s, 1, pages[i].id, &rc);
			bind_text(s, 2, try, &rc);
			e = rc == SQLITE_OK ? run(st, s) : bind_fail(st, s, rc);
			if (e != P_CONFLICT)
				break;
		}
	}
	if (e == P_OK)
		e = run(st, st->stmt[Q_FIN_IMAGES]);
out:
	pthread_mutex_unlock(&st->mu);
	arena_free(&a);
	return e;
}

/* -------------------------------------------------------------------- */
/* WordPress export reads. */

static enum perr
sqlite_export_users(struct store *base, struct arena *a, struct user **out,
    size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_EXP_USERS];
	struct user *rows = NULL;
	size_t nrows = 0, cap = 0;
	enum perr e = P_OK;
	int rc;

	pthread_mutex_lock(&st->mu);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct user *u;

		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		u = &rows[nrows++];
		memset(u, 0, sizeof(*u));
		u->id = sqlite3_column_int64(s, 0);
		u->login = col_str(a, s, 1);
		u->name = col_str(a, s, 2);
		u->email = col_str(a, s, 3);
		u->first_name = col_str(a, s, 4);
		u->last_name = col_str(a, s, 5);
		u->wp_id = sqlite3_column_int64(s, 6);
		u->wp_login = sqlite3_column_type(s, 7) == SQLITE_NULL ? NULL :
		    col_str(a, s, 7);
		u->wxr_extra = col_str(a, s, 8);
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

static enum perr
sqlite_export_terms(struct store *base, struct arena *a,
    struct wxr_term_row **out, size_t *n)
{
	static const enum qid qs[] = { Q_EXP_CATS, Q_EXP_TAGS, Q_EXP_TERMS };
	struct sstore *st = rd(base);
	struct wxr_term_row *rows = NULL;
	size_t nrows = 0, cap = 0, q;
	enum perr e = P_OK;
	int rc;

	pthread_mutex_lock(&st->mu);
	for (q = 0; q < 3 && e == P_OK; q++) {
		sqlite3_stmt *s = st->stmt[qs[q]];

		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct wxr_term_row *t;

			rows = grow(a, rows, nrows, &cap, sizeof(*rows));
			t = &rows[nrows++];
			t->slug = col_str(a, s, 0);
			t->name = col_str(a, s, 1);
			t->parent = col_str(a, s, 2);
			t->wp_id = sqlite3_column_int64(s, 3);
			t->description = col_str(a, s, 4);
			t->extra = col_str(a, s, 5);
			t->taxonomy = q == 0 ? "category" : q == 1 ?
			    "post_tag" : col_str(a, s, 6);
		}
		if (rc != SQLITE_DONE)
			e = dberr(st, rc, sqlite3_sql(s));
		done(s);
	}
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

static enum perr
sqlite_export_posts(struct store *base, struct arena *a, int64_t after,
    int64_t limit, struct post **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_EXP_POSTS];
	struct post *rows = NULL;
	size_t nrows = 0, cap = 0, i;
	enum perr e = P_OK;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL || limit <= 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	if ((e = tx_begin(st, 0)) != P_OK)
		goto out;
	bind_int(s, 1, after, &rc);
	bind_int(s, 2, limit, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		read_post(a, s, &rows[nrows]);
		rows[nrows].wxr_extra = col_str(a, s, 31);
		nrows++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	for (i = 0; i < nrows && e == P_OK; i++)
		e = load_cats(st, a, &rows[i]); /* and tags */
	if (e == P_OK)
		e = tx_commit(st);
out:
	if (e != P_OK)
		tx_abort(st);
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

static enum perr
sqlite_export_items(struct store *base, struct arena *a, int64_t after,
    int64_t limit, struct wxr_item_row **out, size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_EXP_ITEMS];
	struct wxr_item_row *rows = NULL;
	size_t nrows = 0, cap = 0;
	enum perr e = P_OK;
	int rc = SQLITE_OK;

	if (out == NULL || n == NULL || limit <= 0)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, after, &rc);
	bind_int(s, 2, limit, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct wxr_item_row *r;

		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		r = &rows[nrows++];
		r->id = sqlite3_column_int64(s, 0);
		r->wp_id = sqlite3_column_int64(s, 1);
		r->type = col_str(a, s, 2);
		r->parent = sqlite3_column_int64(s, 3);
		r->url = col_str(a, s, 4);
		r->title = col_str(a, s, 5);
		r->caption = col_str(a, s, 6);
		r->xml = col_str(a, s, 7);
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
out:
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK) {
		*out = rows;
		*n = nrows;
	}
	return e;
}

static enum perr
sqlite_export_channel(struct store *base, struct arena *a, const char ***xml,
    size_t *n)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s = st->stmt[Q_EXP_CHANNEL];
	const char **rows = NULL;
	size_t nrows = 0, cap = 0;
	enum perr e = P_OK;
	int rc;

	pthread_mutex_lock(&st->mu);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rows = grow(a, rows, nrows, &cap, sizeof(*rows));
		rows[nrows++] = col_str(a, s, 0);
	}
	if (rc != SQLITE_DONE)
		e = dberr(st, rc, sqlite3_sql(s));
	done(s);
	pthread_mutex_unlock(&st->mu);
	if (e == P_OK) {
		*xml = rows;
		*n = nrows;
	}
	return e;
}

/* -------------------------------------------------------------------- */
/* Old WordPress addresses. */

static enum perr
look_one(struct sstore *st, struct arena *a, enum qid q, int64_t id,
    const char *text, int64_t now, const char *ymd, const char *ym,
    struct post *out)
{
	sqlite3_stmt *s = st->stmt[q];
	int rc = SQLITE_OK;

	if (text)
		bind_text(s, 1, text, &rc);
	else
		bind_int(s, 1, id, &rc);
	bind_int(s, 2, now, &rc);
	if (ymd) {
		bind_text(s, 3, ymd, &rc);
		bind_text(s, 4, ym, &rc);
	}
	return rc == SQLITE_OK ? post_one(st, a, s, out) : bind_fail(st, s, rc);
}

static enum perr
sqlite_post_lookup(struct store *base, struct arena *a,
    const struct post_key *k, struct post *out)
{
	struct sstore *st = rd(base);
	int64_t now = (int64_t)time(NULL), parent;
	char ymd[16] = "", ym[16] = "";
	enum perr e = P_NOTFOUND;

	if (k == NULL || out == NULL)
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	switch (k->kind) {
	case PK_WP_ID:
		e = look_one(st, a, Q_LOOK_WP_ID, k->wp_id, NULL, now, NULL,
		    NULL, out);
		if (e == P_NOTFOUND)
			e = look_one(st, a, Q_LOOK_NATIVE_ID, k->wp_id, NULL,
			    now, NULL, NULL, out);
		break;
	case PK_ATTACHMENT:
		e = by_id(st, Q_LOOK_ATTACHMENT, k->wp_id, &parent);
		if (e == P_OK)
			e = parent ? look_one(st, a, Q_LOOK_WP_ID, parent,
			    NULL, now, NULL, NULL, out) : P_NOTFOUND;
		break;
	case PK_OLD_PATH:
	case PK_PAGE_PATH:
		if (k->text == NULL || *k->text == '\0')
			break;
		e = look_one(st, a, k->kind == PK_OLD_PATH ? Q_LOOK_OLD_PATH :
		    Q_LOOK_PAGE_PATH, 0, k->text, now, NULL, NULL, out);
		break;
	case PK_SLUG:
		if (k->text == NULL || *k->text == '\0')
			break;
		if (k->y > 0 && k->y <= 9999 && k->m >= 1 && k->m <= 12) {
			snprintf(ym, sizeof(ym), "%04d-%02d", k->y, k->m);
			if (k->d >= 1 && k->d <= 31)
				snprintf(ymd, sizeof(ymd), "%04d-%02d-%02d",
				    k->y, k->m, k->d);
		}
		e = look_one(st, a, Q_LOOK_SLUG, 0, k->text, now, ymd, ym, out);
		break;
	}
	pthread_mutex_unlock(&st->mu);
	return e;
}

static enum perr
sqlite_wp_slug(struct store *base, struct arena *a, const char *kind,
    int64_t wp_id, const char **slug)
{
	struct sstore *st = rd(base);
	sqlite3_stmt *s;
	enum perr e;
	int rc = SQLITE_OK;

	if (kind == NULL || slug == NULL)
		return P_BADINPUT;
	if (!strcmp(kind, "category"))
		s = st->stmt[Q_WP_SLUG_CAT];
	else if (!strcmp(kind, "post_tag"))
		s = st->stmt[Q_WP_SLUG_TAG];
	else if (!strcmp(kind, "author"))
		s = st->stmt[Q_WP_SLUG_AUTHOR];
	else
		return P_BADINPUT;
	pthread_mutex_lock(&st->mu);
	bind_int(s, 1, wp_id, &rc);
	if (rc != SQLITE_OK) {
		e = bind_fail(st, s, rc);
		goto out;
	}
	if ((e = step_row(st, s)) == P_OK) {
		*slug = col_str(a, s, 0);
		done(s);
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
	struct sstore *st = rd0(base);
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

/* One integer from prepared query q (mu held). */
static enum perr
q_int(struct sstore *st, enum qid q, int64_t *v)
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
		e = q_int(st, Q_CHANGES_LAST, last);
		goto out;
	}
	/* One read transaction: the oldest kept and the rows agree. */
	if ((e = tx_begin(st, 0)) != P_OK)
		goto out;
	if ((e = q_int(st, Q_CHANGES_FIRST, &first)) != P_OK)
		goto out;
	if (first > after + 1) {
		e = q_int(st, Q_CHANGES_LAST, last);
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
	if (e == P_CONFLICT && q_int(st, Q_CHANGES_LAST, last) != P_OK)
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
	.read_begin = sqlite_read_begin,
	.read_end = sqlite_read_end,
	.comment_list_thread = sqlite_comment_list_thread,
	.comment_list_status = sqlite_comment_list_status,
	.comment_set_status = sqlite_comment_set_status,
	.commenter_known = sqlite_commenter_known,
	/* Accounts, sessions, editing, moderation, media (issue 3). */
	.account_add = sqlite_account_add,
	.account_get = sqlite_account_get,
	.account_list = sqlite_account_list,
	.account_update = sqlite_account_update,
	.account_delete = sqlite_account_delete,
	.session_add = sqlite_session_add,
	.session_get = sqlite_session_get,
	.session_delete = sqlite_session_delete,
	.post_save = sqlite_post_save,
	.post_slug_taken = sqlite_post_slug_taken,
	.post_list_admin = sqlite_post_list_admin,
	.post_redirect_find = sqlite_post_redirect_find,
	.post_delete = sqlite_post_delete,
	.category_list_all = sqlite_category_list_all,
	.tag_list_all = sqlite_tag_list_all,
	.comment_list_admin = sqlite_comment_list_admin,
	.comment_counts = sqlite_comment_counts,
	.comment_restore = sqlite_comment_restore,
	.comment_delete = sqlite_comment_delete,
	.comment_edit = sqlite_comment_edit,
	.media_put = sqlite_media_put,
	.media_get = sqlite_media_get,
	.media_list = sqlite_media_list,
	.media_delete = sqlite_media_delete,
	/* Feeds, search, archives (issue 5). */
	.tag_get = sqlite_tag_get,
	.last_change = sqlite_last_change,
	.search = sqlite_search,
	.comment_list_recent = sqlite_comment_list_recent,
	.archive_list = sqlite_archive_list,
	/* Page cache (issue 6). */
	.data_version = sqlite_data_version,
	.comment_list_mine = sqlite_comment_list_mine,
	.post_next_scheduled = sqlite_post_next_scheduled,
	.set_durable = sqlite_set_durable,
	.changes_since = sqlite_changes_since,
	/* WordPress import and export, old addresses (issue 4). */
	.import_begin = sqlite_import_begin,
	.import_end = sqlite_import_end,
	.import_user = sqlite_import_user,
	.import_term = sqlite_import_term,
	.import_post = sqlite_import_post,
	.import_post_update = sqlite_import_post_update,
	.import_comment = sqlite_import_comment,
	.import_item = sqlite_import_item,
	.import_channel_extra = sqlite_import_channel_extra,
	.import_finish = sqlite_import_finish,
	.export_users = sqlite_export_users,
	.export_terms = sqlite_export_terms,
	.export_posts = sqlite_export_posts,
	.export_items = sqlite_export_items,
	.export_channel = sqlite_export_channel,
	.post_lookup = sqlite_post_lookup,
	.wp_slug = sqlite_wp_slug,
};
