/* wxr.h: WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) in and out.
 *
 * This module owns three things:
 *  - the streaming parser (parse.c): a small, bounded parser over
 *    untrusted bytes, built on expat. It never builds a tree: it hands
 *    over one record at a time (the channel head, an author, a term, an
 *    item, each comment of that item) through struct wxr_handler, so
 *    memory stays flat however large the file. Every string is limited
 *    (limits.h: LIM_WXR_*); DTDs and entity declarations are refused, so
 *    an entity bomb stops at its first declaration. Elements it does not
 *    map to a field (postmeta, commentmeta, unknown namespaces, plugin
 *    data) are kept as self-contained XML text in the record's `extra`,
 *    namespace declarations included, so they can be written back.
 *    Fuzz target: tests/fuzz/fuzz_wxr.c.
 *  - the importer (import.c): parser records → store, in one store
 *    transaction that commits only after the whole file parsed.
 *  - the exporter (export.c): the store → WXR 1.2.
 * It sits beside http/ at the CLI's level: cli → wxr → {store, render}.
 * It never sees requests, and handlers never see it. */
#ifndef PARLEY_WXR_H
#define PARLEY_WXR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../base/err.h"
#include "../store/store.h"

/* Parley's own elements in a WXR file: the Markdown source of what was
 * written in Parley (<parley:markdown> on an item or a comment), beside
 * the HTML WordPress reads, so a Parley-to-Parley move keeps it. */
#define WXR_NS_PARLEY "urn:x-parley:wxr:1"

/* ---- the parser -------------------------------------------------------- */

/* Records. Strings are NUL-terminated UTF-8, "" when the element is
 * missing or empty, owned by the parser and valid only during the
 * callback. line is where the record's element starts (1-based). */

struct wxr_channel {
	const char *version;       /* wp:wxr_version: "1.0", "1.1", "1.2" */
	const char *title, *link, *base_site_url, *base_blog_url;
};

struct wxr_author {
	long line;
	int64_t id; /* wp:author_id, 0 if none */
	const char *login, *email, *display_name, *first_name, *last_name;
	const char *extra;
};

struct wxr_term {
	long line;
	const char *taxonomy; /* "category", "post_tag" or any other */
	int64_t id;           /* wp:term_id, 0 if none */
	const char *slug, *name, *parent /* slug */, *description;
	const char *extra;    /* termmeta and unknown children */
};

/* <category domain=".." nicename="..">Name</category> on an item. */
struct wxr_item_term {
	const char *domain; /* "category", "post_tag" ("tag" in WXR 1.0), ... */
	const char *slug;   /* nicename; "" in WXR 1.0's domain-less copies */
	const char *name;
};

struct wxr_item {
	long line;
	const char *title, *link, *creator, *guid;
	int guid_permalink;  /* isPermaLink: 1 true, 0 false, -1 absent */
	const char *content, *excerpt;
	const char *markdown; /* <parley:markdown>, NULL if absent */
	int64_t post_id, post_parent;
	const char *post_date, *post_date_gmt, *comment_status, *post_name;
	const char *status, *post_type, *post_password, *attachment_url;
	int64_t thumbnail_id; /* postmeta _thumbnail_id, 0 if none */
	const struct wxr_item_term *terms;
	size_t nterms;
	const char *extra;   /* every other child, in order (postmeta too) */
	int late;            /* item_end only: fields came after a comment */
};

struct wxr_comment {
	long line;
	int64_t id, parent, user_id;
	const char *author, *author_email, *author_url, *author_ip;
	const char *date, *date_gmt, *content, *approved, *type;
	const char *markdown; /* <parley:markdown>, NULL if absent */
	const char *extra;   /* commentmeta and unknown children */
};

/* Callbacks; any may be NULL. One returning other than P_OK stops the
 * parse: wxr_feed then fails with that error and the message the
 * callback left with wxr_fail() (or its perr_str). Order: channel once
 * (when the first author, term or item starts, or at </channel>), then
 * records as they end. An item is handed over when its first comment
 * starts (so comments can follow it into the store) or at </item>;
 * item_end comes at </item> with every field, late = 1 if any field
 * came after a comment. extra: an unknown child of <channel>. */
struct wxr_handler {
	void *ctx;
	enum perr (*channel)(void *ctx, const struct wxr_channel *c);
	enum perr (*author)(void *ctx, const struct wxr_author *a);
	enum perr (*term)(void *ctx, const struct wxr_term *t);
	enum perr (*item)(void *ctx, const struct wxr_item *it);
	enum perr (*comment)(void *ctx, const struct wxr_item *it,
	    const struct wxr_comment *c);
	enum perr (*item_end)(void *ctx, const struct wxr_item *it);
	enum perr (*extra)(void *ctx, const char *xml, long line);
	/* Something odd but not fatal (a number that is not one, an
	 * unknown WXR version). */
	void (*warning)(void *ctx, long line, const char *msg);
};

struct wxr_parser;

/* New parser (caller frees with wxr_free); NULL only if out of memory. */
struct wxr_parser *wxr_new(const struct wxr_handler *h);
void wxr_free(struct wxr_parser *p);
/* Feed the next n bytes; final = 1 with the last (possibly empty) piece.
 * P_OK, or an error after which the parser takes no more input:
 * P_BADINPUT malformed XML or not a WXR file, P_TOOBIG a limit, or a
 * callback's error. */
enum perr wxr_feed(struct wxr_parser *p, const char *buf, size_t n,
    int final);
/* Where and why the parse stopped: line and column (1-based) and a plain
 * sentence. Valid after wxr_feed failed. */
void wxr_error(const struct wxr_parser *p, long *line, long *col,
    const char **msg);
/* For callbacks: set the message wxr_error will report. */
void wxr_fail(struct wxr_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Current input line (for warnings from callbacks). */
long wxr_line(const struct wxr_parser *p);

/* ---- import ------------------------------------------------------------ */

/* Counts per kind; "new" were added, "kept" were already there. */
struct wxr_counts {
	int64_t authors, authors_new;
	int64_t categories, categories_new, tags, tags_new, terms, terms_new;
	int64_t posts, posts_new, pages, pages_new;
	int64_t attachments, attachments_new, other_items, other_items_new;
	int64_t comments, comments_new, comments_pending, comments_spam;
	int64_t comments_trash, pingbacks, orphans;
	int64_t warnings;
};

struct wxr_progress {
	int64_t bytes, total_bytes; /* total 0 if unknown (a pipe) */
	const struct wxr_counts *counts;
};

struct wxr_import_opts {
	/* Called now and then (every few hundred kilobytes) and once at
	 * the end; may be NULL. */
	void (*progress)(void *ctx, const struct wxr_progress *pr);
	/* Each warning as it happens, "LINE: message"; may be NULL. */
	void (*warning)(void *ctx, long line, const char *msg);
	void *ctx;
};

/* Imports the WXR file at path ("-" = standard input) into st. Everything happens in one store
 * transaction: on any error nothing is changed, and err holds
 * "PATH:LINE:COL: reason" (or "PATH: reason"). Re-importing the same
 * file adds nothing: records already present (by WordPress id, or slug
 * for authors and terms) are kept as they are; only new ones are added. */
enum perr wxr_import(struct store *st, const char *path,
    const struct wxr_import_opts *o, struct wxr_counts *counts,
    char *err, size_t errsz);

/* ---- export ------------------------------------------------------------ */

struct wxr_export_opts {
	const char *site_title, *site_url, *tagline, *language;
};

/* Writes the whole site as WXR 1.2 to f: authors, categories, tags and
 * other terms, every post and page of any status with its comments,
 * attachments and other kept items, and every kept unknown element.
 * P_IO if writing fails (err says why). */
enum perr wxr_export(struct store *st, const struct wxr_export_opts *o,
    FILE *f, char *err, size_t errsz);

#endif
