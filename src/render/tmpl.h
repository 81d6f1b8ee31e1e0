/* tmpl.h: logic-less templates (Mustache-like), compiled once at start.
 *
 * Syntax:
 *   {{name}}         value, escaped for HTML text and quoted attributes;
 *                    a value set with tv_html() is emitted as is.
 *   {{a.b.c}}        dotted lookup: first part through the scope stack.
 *   {{#name}}..{{/name}}  section: a list repeats per item (the item is
 *                    pushed on the scope stack); an object is pushed once;
 *                    a string/int/bool renders once if truthy.
 *   {{^name}}..{{/name}}  inverted: renders if missing, false, 0, "" or [].
 *   {{>name}}        partial (another template of the set), may recurse.
 *   {{! comment }}   dropped.
 * Errors (unclosed sections, unknown partials) are found at compile time.
 *
 * Values (struct tval) live in the caller's arena. A tmpl_set is read-only
 * after tmpl_set_compile() and safe to share between threads; the owner
 * frees it with tmpl_set_free(). */
#ifndef PARLEY_TMPL_H
#define PARLEY_TMPL_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "esc.h"

struct tmpl_src {
	const char *name; /* e.g. "article" (file name without .html) */
	const char *text;
	size_t len;
};

struct tmpl_set;
struct tval;

/* On error returns P_BADINPUT and writes "name:line: reason" to err. */
enum perr tmpl_set_compile(const struct tmpl_src *srcs, size_t n,
    struct tmpl_set **out, char *err, size_t errsz);
void tmpl_set_free(struct tmpl_set *ts);
/* Appends the rendering of template `name` to out. P_NOTFOUND if no such
 * template; P_TOOBIG if out's maximum is hit. */
enum perr tmpl_render(const struct tmpl_set *ts, const char *name,
    const struct tval *ctx, struct buf *out);

/* Values. */
struct tval;
struct tval *tv_obj(struct arena *a);
struct tval *tv_list(struct arena *a);
/* Set key in obj (replacing an earlier value). key and s are copied into
 * the arena unless stated. Return obj for chaining where useful. */
void tv_str(struct tval *obj, const char *key, const char *s);
void tv_strn(struct tval *obj, const char *key, const char *s, size_t n);
void tv_int(struct tval *obj, const char *key, int64_t v);
void tv_bool(struct tval *obj, const char *key, int v);
void tv_html(struct tval *obj, const char *key, struct html_trusted h);
/* A list made while it is rendered, for long lists of rows that would
 * otherwise become a tree of values first (a thread's comments): item k
 * is next(arg, k) for k = 0, 1, ... until it returns NULL; n is what
 * tv_len() and truthiness see (sections test n > 0). An item may be the
 * same frame each time, refilled by next(). */
typedef const struct tval *(*tv_next_fn)(void *arg, size_t k);
void tv_iter(struct tval *obj, const char *key, size_t n, tv_next_fn next,
    void *arg);
/* A frame: an object whose keys are fixed when it is made (keys[i] names
 * slot i; keys are not copied) and whose values are set by slot number,
 * without search or allocation. Each slot starts as "". Text set with
 * tv_fstr/tv_fhtml is not copied either: it must outlive the render. */
struct tval *tv_frame(struct arena *a, const char *const *keys, size_t n);
void tv_fstr(struct tval *f, size_t i, const char *s);
void tv_fhtml(struct tval *f, size_t i, struct html_trusted h);
void tv_fint(struct tval *f, size_t i, int64_t v);
void tv_fbool(struct tval *f, size_t i, int v);
void tv_fiter(struct tval *f, size_t i, size_t n, tv_next_fn next,
    void *arg);
/* Put an existing list/object under key. */
void tv_put(struct tval *obj, const char *key, struct tval *v);
/* Append a new empty object to a list and return it. */
struct tval *tv_push(struct tval *list);
size_t tv_len(const struct tval *list);

#endif
