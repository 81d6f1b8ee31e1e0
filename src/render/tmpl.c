/* tmpl.c: the template engine (contract in tmpl.h).
 *
 * Each template compiles to a flat array of ops. A section op records the
 * index just past its body, so rendering never searches for a close tag;
 * dotted names are split and partials resolved to an index at compile
 * time. Everything compiled lives in one arena owned by the set, and
 * nothing writes to it after tmpl_set_compile(): that is what makes
 * concurrent tmpl_render() calls on one set safe.
 *
 * Rendering keeps its scope stack in a fixed array on the C stack, so a
 * render allocates nothing but growth of the output buf. Nesting (sections
 * and partials together) is bounded by LIM_TMPL_DEPTH, which also bounds
 * the C recursion: a template that recurses without end gets P_TOOBIG.
 *
 * Left out on purpose: {{{raw}}} and {{&raw}} (raw HTML must come as a
 * tv_html value so one grep finds every unescaped path), delimiter
 * changes, and Mustache's standalone-line trimming (text is kept exactly
 * as written, which HTML does not mind).
 *
 * Beyond tmpl.h: a truthy string, int, bool or html value is pushed on the
 * scope stack for its section like an object, so {{#title}}<h1>{{.}}</h1>
 * {{/title}} works; and the tv_* setters called on a list append an item
 * (the key is ignored), which is how a list of strings for {{.}} is made. */

#include "tmpl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/limits.h"
#include "../base/str.h"

/* Longest name quoted in a compile error; the message stays one line. */
#define ERR_NAME_MAX 60

/* Values. */

enum tv_kind { TV_STR, TV_HTML, TV_INT, TV_BOOL, TV_LIST, TV_OBJ, TV_ITER };

struct tv_kv;

struct tval {
	enum tv_kind kind;
	const char *s;         /* TV_STR, TV_HTML: arena copy */
	size_t n;              /* TV_STR, TV_HTML: bytes; TV_LIST, TV_OBJ: members */
	int64_t i;             /* TV_INT; TV_BOOL as 0 or 1 */
	struct arena *a;       /* TV_LIST, TV_OBJ: where members are allocated */
	struct tv_kv *head;    /* TV_LIST, TV_OBJ: members in insertion order */
	struct tv_kv *tail;
	uint64_t keys;         /* TV_OBJ: bit (hash % 64) of every key set */
	struct tv_kv *slots;   /* TV_OBJ made by tv_frame(): its members */
	size_t nslots;         /* ... how many (tv_str may add more to n) */
	tv_next_fn next;       /* TV_ITER: the items, n of them */
	void *arg;
};

/* One object member or list item (key NULL). A scalar lives in own, so
 * setting one costs a single allocation; tv_put points v elsewhere. */
struct tv_kv {
	const char *key;
	size_t klen;
	uint32_t h;            /* key_hash() of key */
	const struct tval *v;  /* NULL: present but absent (tv_put of NULL) */
	struct tv_kv *next;
	struct tval own;
};

/* FNV-1a. Names are hashed once when a template is compiled and once
 * when a value is set, so finding a member compares 32-bit numbers, not
 * strings, and a key an object has never had needs no search at all. */
static uint32_t
key_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The bit of an object's key set (struct tval's keys) that hash h sets. */
static uint64_t
key_bit(uint32_t h)
{
	return (uint64_t)1 << (h % 64);
}

static struct tval *
tv_new(struct arena *a, enum tv_kind kind)
{
	struct tval *v = arena_alloc(a, sizeof(*v));

	v->kind = kind;
	v->a = a;
	return v;
}

struct tval *
tv_obj(struct arena *a)
{
	return tv_new(a, TV_OBJ);
}

struct tval *
tv_list(struct arena *a)
{
	return tv_new(a, TV_LIST);
}

/* The member of c that key names, emptied for a new value (an object's
 * existing key is reused so the latest value wins), or a new list item.
 * Calling a setter on anything but an object or list is a bug: abort. */
static struct tv_kv *
tv_slot(struct tval *c, const char *key)
{
	struct tv_kv *kv;
	size_t klen;
	uint32_t h;
	uint64_t bit;

	if (c == NULL || (c->kind != TV_OBJ && c->kind != TV_LIST))
		abort();
	if (c->kind == TV_OBJ) {
		if (key == NULL)
			abort();
		klen = strlen(key);
		h = key_hash(key, klen);
		bit = key_bit(h);
		for (kv = c->keys & bit ? c->head : NULL; kv; kv = kv->next) {
			if (kv->h == h && kv->klen == klen &&
			    memcmp(kv->key, key, klen) == 0) {
				memset(&kv->own, 0, sizeof(kv->own));
				kv->v = &kv->own;
				return kv;
			}
		}
		c->keys |= bit;
		/* The key is stored right after the struct: one allocation. */
		kv = arena_alloc(c->a, sizeof(*kv) + klen + 1);
		memcpy(kv + 1, key, klen);
		kv->key = (const char *)(kv + 1);
		kv->klen = klen;
		kv->h = h;
	} else
		kv = arena_alloc(c->a, sizeof(*kv));
	kv->v = &kv->own;
	if (c->tail)
		c->tail->next = kv;
	else
		c->head = kv;
	c->tail = kv;
	c->n++;
	return kv;
}

static void
tv_text(struct tval *obj, const char *key, enum tv_kind kind, const char *s,
    size_t n)
{
	struct tv_kv *kv = tv_slot(obj, key);

	kv->own.kind = kind;
	kv->own.s = arena_strndup(obj->a, s ? s : "", s ? n : 0);
	kv->own.n = s ? n : 0;
}

/* A NULL s is stored as "". */
void
tv_str(struct tval *obj, const char *key, const char *s)
{
	tv_text(obj, key, TV_STR, s, s ? strlen(s) : 0);
}

void
tv_strn(struct tval *obj, const char *key, const char *s, size_t n)
{
	tv_text(obj, key, TV_STR, s, n);
}

void
tv_int(struct tval *obj, const char *key, int64_t v)
{
	struct tv_kv *kv = tv_slot(obj, key);

	kv->own.kind = TV_INT;
	kv->own.i = v;
}

void
tv_bool(struct tval *obj, const char *key, int v)
{
	struct tv_kv *kv = tv_slot(obj, key);

	kv->own.kind = TV_BOOL;
	kv->own.i = v != 0;
}

/* Copied like a string: the Markdown output usually sits in a buf that
 * the caller reuses. */
void
tv_html(struct tval *obj, const char *key, struct html_trusted h)
{
	tv_text(obj, key, TV_HTML, h.html, h.html ? strlen(h.html) : 0);
}

static void
set_iter(struct tval *t, size_t n, tv_next_fn next, void *arg)
{
	t->kind = TV_ITER;
	t->n = next ? n : 0;
	t->next = next;
	t->arg = arg;
}

void
tv_iter(struct tval *obj, const char *key, size_t n, tv_next_fn next,
    void *arg)
{
	set_iter(&tv_slot(obj, key)->own, n, next, arg);
}

/* The members are one array, linked in order like any object's, so
 * rendering cannot tell a frame from another object. */
struct tval *
tv_frame(struct arena *a, const char *const *keys, size_t n)
{
	struct tval *f = tv_obj(a);
	struct tv_kv *kv = arena_alloc(a, (n ? n : 1) * sizeof(*kv));
	size_t i;

	f->slots = kv;
	f->n = f->nslots = n;
	for (i = 0; i < n; i++) {
		kv[i].key = keys[i];
		kv[i].klen = strlen(keys[i]);
		kv[i].h = key_hash(keys[i], kv[i].klen);
		kv[i].v = &kv[i].own;
		kv[i].own.kind = TV_STR;
		kv[i].own.s = "";
		kv[i].next = i + 1 < n ? &kv[i + 1] : NULL;
		f->keys |= key_bit(kv[i].h);
	}
	f->head = n ? kv : NULL;
	f->tail = n ? &kv[n - 1] : NULL;
	return f;
}

/* The member at slot i of a frame; anything else is a bug. */
static struct tval *
frame_slot(struct tval *f, size_t i)
{
	if (f == NULL || f->slots == NULL || i >= f->nslots)
		abort();
	return &f->slots[i].own;
}

void
tv_fstr(struct tval *f, size_t i, const char *s)
{
	struct tval *v = frame_slot(f, i);

	v->kind = TV_STR;
	v->s = s ? s : "";
	v->n = s ? strlen(s) : 0;
}

void
tv_fhtml(struct tval *f, size_t i, struct html_trusted h)
{
	tv_fstr(f, i, h.html);
	frame_slot(f, i)->kind = TV_HTML;
}

void
tv_fint(struct tval *f, size_t i, int64_t v)
{
	struct tval *t = frame_slot(f, i);

	t->kind = TV_INT;
	t->i = v;
}

void
tv_fbool(struct tval *f, size_t i, int v)
{
	struct tval *t = frame_slot(f, i);

	t->kind = TV_BOOL;
	t->i = v != 0;
}

void
tv_fiter(struct tval *f, size_t i, size_t n, tv_next_fn next, void *arg)
{
	set_iter(frame_slot(f, i), n, next, arg);
}

/* v is not copied: later changes to it show. On an object a NULL v makes
 * key absent; on a list a NULL v adds nothing. */
void
tv_put(struct tval *obj, const char *key, struct tval *v)
{
	struct tv_kv *kv;

	if (v == NULL && obj != NULL && obj->kind == TV_LIST)
		return;
	kv = tv_slot(obj, key);
	kv->v = v;
}

struct tval *
tv_push(struct tval *list)
{
	struct tv_kv *kv;

	if (list == NULL || list->kind != TV_LIST)
		abort();
	kv = tv_slot(list, NULL);
	kv->own.kind = TV_OBJ;
	kv->own.a = list->a;
	return &kv->own;
}

/* 0 for anything but a list. */
size_t
tv_len(const struct tval *list)
{
	return list != NULL && (list->kind == TV_LIST ||
	    list->kind == TV_ITER) ? list->n : 0;
}

/* Compiled templates. */

enum op_kind { OP_TEXT, OP_VAR, OP_SECTION, OP_INVERTED, OP_PARTIAL };

struct tpart {
	const char *s;
	size_t n;
	uint32_t h;                /* key_hash(s, n) */
};

struct op {
	enum op_kind kind;
	const char *text;          /* OP_TEXT: the bytes; else the tag's name */
	size_t len;
	const struct tpart *parts; /* OP_VAR, OP_SECTION, OP_INVERTED */
	size_t nparts;             /* 0: "." the current item */
	size_t arg;                /* OP_SECTION, OP_INVERTED: op past the body;
	                            * OP_PARTIAL: index of the template */
	size_t id;                 /* unique in the set: its lookup hint */
};

struct tmpl {
	const char *name;
	const struct op *ops;
	size_t nops;
};

struct tmpl_set {
	struct arena a;            /* owns the set and all below */
	struct tmpl *t;
	size_t n;
};

/* Compiler state for one template. ops grows with realloc while parsing
 * and is copied into the set's arena at the end. */
struct comp {
	struct arena *a;
	const struct tmpl_set *ts;
	const char *name;
	struct op *ops;
	size_t nops, cap;
	size_t ids;                /* ops made so far in the whole set */
	struct {
		size_t op, line;
	} open[LIM_TMPL_DEPTH];    /* sections not yet closed */
	size_t nopen;
	char *err;
	size_t errsz;
};

/* Writes "name:line: reason" to err. A message cut short by errsz is
 * still NUL-terminated and the error itself is unaffected. */
static void
comp_err(struct comp *c, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
comp_err(struct comp *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->err == NULL || c->errsz == 0)
		return;
	n = snprintf(c->err, c->errsz, "%s:%zu: ", c->name, line);
	if (n < 0 || (size_t)n >= c->errsz)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(c->err + n, c->errsz - (size_t)n, fmt, ap);
	va_end(ap);
}

static int
qlen(size_t n)
{
	return (int)(n > ERR_NAME_MAX ? ERR_NAME_MAX : n);
}

static struct op *
comp_add(struct comp *c, enum op_kind kind, const char *text, size_t len)
{
	struct op *op;
	size_t ncap;

	if (c->nops == c->cap) {
		ncap = c->cap ? c->cap * 2 : 32;
		if ((op = realloc(c->ops, ncap * sizeof(*op))) == NULL)
			abort();
		c->ops = op;
		c->cap = ncap;
	}
	op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	op->id = c->ids++;
	op->kind = kind;
	op->text = text;
	op->len = len;
	return op;
}

static size_t
count_lines(const char *s, size_t n)
{
	size_t k = 0;

	while (n > 0) {
		const char *nl = memchr(s, '\n', n);

		if (nl == NULL)
			break;
		k++;
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	return k;
}

static int
name_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* Splits s ("." or "a.b.c", parts of [A-Za-z0-9_-]) into op->parts. */
static enum perr
comp_name(struct comp *c, struct op *op, const char *s, size_t n,
    size_t line)
{
	struct tpart *parts;
	size_t i, k = 1, start = 0;

	if (n == 1 && s[0] == '.')
		return P_OK;
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			k++;
		else if (!name_char((unsigned char)s[i]))
			goto bad;
	}
	parts = arena_alloc(c->a, k * sizeof(*parts));
	k = 0;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == start)
			goto bad;
		parts[k].s = s + start;
		parts[k].n = i - start;
		parts[k].h = key_hash(parts[k].s, parts[k].n);
		k++;
		start = i + 1;
	}
	op->parts = parts;
	op->nparts = k;
	return P_OK;
bad:
	comp_err(c, line, "bad name '%.*s'", qlen(n), s);
	return P_BADINPUT;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* One tag: s is what lies between "{{" and "}}". */
static enum perr
comp_tag(struct comp *c, const char *s, size_t n, size_t line)
{
	struct op *op;
	char sigil = n > 0 ? s[0] : '\0';
	size_t i, top;

	if (sigil == '!')
		return P_OK;
	if (sigil == '{' || sigil == '&' || sigil == '=') {
		comp_err(c, line, "unsupported tag '{{%c'", sigil);
		return P_BADINPUT;
	}
	if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>') {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[0])) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0) {
		comp_err(c, line, "empty tag");
		return P_BADINPUT;
	}

	switch (sigil) {
	case '>':
		for (i = 0; i < c->ts->n; i++) {
			if (strlen(c->ts->t[i].name) == n &&
			    memcmp(c->ts->t[i].name, s, n) == 0)
				break;
		}
		if (i == c->ts->n) {
			comp_err(c, line, "unknown partial '%.*s'", qlen(n), s);
			return P_BADINPUT;
		}
		comp_add(c, OP_PARTIAL, s, n)->arg = i;
		return P_OK;
	case '#':
	case '^':
		if (c->nopen == LIM_TMPL_DEPTH) {
			comp_err(c, line, "sections nested deeper than %d",
			    LIM_TMPL_DEPTH);
			return P_BADINPUT;
		}
		op = comp_add(c, sigil == '#' ? OP_SECTION : OP_INVERTED, s, n);
		c->open[c->nopen].op = c->nops - 1;
		c->open[c->nopen].line = line;
		c->nopen++;
		return comp_name(c, op, s, n, line);
	case '/':
		if (c->nopen == 0) {
			comp_err(c, line, "close without open section '%.*s'",
			    qlen(n), s);
			return P_BADINPUT;
		}
		top = c->open[c->nopen - 1].op;
		if (c->ops[top].len != n || memcmp(c->ops[top].text, s, n)) {
			comp_err(c, line, "mismatched close '%.*s', expected '%.*s'",
			    qlen(n), s, qlen(c->ops[top].len), c->ops[top].text);
			return P_BADINPUT;
		}
		c->ops[top].arg = c->nops;
		c->nopen--;
		return P_OK;
	default:
		op = comp_add(c, OP_VAR, s, n);
		return comp_name(c, op, s, n, line);
	}
}

/* The first "cc" in [p, end), or NULL. */
static const char *
find_pair(const char *p, const char *end, char c)
{
	while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
		if (p + 1 < end && p[1] == c)
			return p;
		p++;
	}
	return NULL;
}

/* Parses text (already copied into the set's arena, which op texts and
 * names point into) into t. */
static enum perr
comp_tmpl(struct comp *c, struct tmpl *t, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *open, *close;
	size_t line = 1, top;
	enum perr e = P_OK;

	while (p < end) {
		if ((open = find_pair(p, end, '{')) == NULL) {
			comp_add(c, OP_TEXT, p, (size_t)(end - p));
			break;
		}
		if (open > p) {
			comp_add(c, OP_TEXT, p, (size_t)(open - p));
			line += count_lines(p, (size_t)(open - p));
		}
		if ((close = find_pair(open + 2, end, '}')) == NULL) {
			comp_err(c, line, "unterminated tag");
			e = P_BADINPUT;
			goto out;
		}
		if ((e = comp_tag(c, open + 2, (size_t)(close - open - 2),
		    line)) != P_OK)
			goto out;
		line += count_lines(open, (size_t)(close - open));
		p = close + 2;
	}
	if (c->nopen > 0) {
		top = c->open[c->nopen - 1].op;
		comp_err(c, c->open[c->nopen - 1].line, "unclosed section '%.*s'",
		    qlen(c->ops[top].len), c->ops[top].text);
		e = P_BADINPUT;
		goto out;
	}
	t->nops = c->nops;
	if (c->nops > 0) {
		struct op *ops = arena_alloc(c->a, c->nops * sizeof(*ops));

		memcpy(ops, c->ops, c->nops * sizeof(*ops));
		t->ops = ops;
	}
out:
	free(c->ops);
	c->ops = NULL;
	c->nops = c->cap = c->nopen = 0;
	return e;
}

enum perr
tmpl_set_compile(const struct tmpl_src *srcs, size_t n,
    struct tmpl_set **out, char *err, size_t errsz)
{
	struct arena a;
	struct tmpl_set *ts;
	struct comp c;
	size_t i, j;
	enum perr e = P_OK;

	*out = NULL;
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	arena_init(&a);
	memset(&c, 0, sizeof(c));
	c.a = &a;
	c.err = err;
	c.errsz = errsz;
	ts = arena_alloc(&a, sizeof(*ts));
	ts->t = arena_alloc(&a, n * sizeof(*ts->t));
	ts->n = n;
	c.ts = ts;

	/* Names first, so a partial may name a template that comes later. */
	for (i = 0; i < n; i++) {
		c.name = srcs[i].name ? srcs[i].name : "?";
		if (srcs[i].name == NULL || srcs[i].name[0] == '\0' ||
		    (srcs[i].text == NULL && srcs[i].len > 0)) {
			comp_err(&c, 1, "template without a name or text");
			e = P_BADINPUT;
			goto out;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(srcs[i].name, ts->t[j].name) == 0) {
				comp_err(&c, 1, "duplicate template name");
				e = P_BADINPUT;
				goto out;
			}
		}
		ts->t[i].name = arena_strdup(&a, srcs[i].name);
	}
	for (i = 0; i < n; i++) {
		const char *text;

		c.name = ts->t[i].name;
		text = arena_strndup(&a, srcs[i].len ? srcs[i].text : "",
		    srcs[i].len);
		if ((e = comp_tmpl(&c, &ts->t[i], text, srcs[i].len)) != P_OK)
			goto out;
	}
out:
	if (e != P_OK) {
		arena_free(&a);
		return e;
	}
	ts->a = a;
	*out = ts;
	return P_OK;
}

void
tmpl_set_free(struct tmpl_set *ts)
{
	struct arena a;

	if (ts == NULL)
		return;
	a = ts->a;    /* ts itself lives in this arena */
	arena_free(&a);
}

/* Rendering. */

struct rstate {
	const struct tmpl_set *ts;
	struct buf *out;
	/* Pushed only when depth goes up, so depth + 1 (the root) bounds it. */
	const struct tval *scope[LIM_TMPL_DEPTH + 1];
	size_t nscope;
	size_t depth;
};

static int
is_key(const struct tv_kv *kv, const struct tpart *p)
{
	return kv->h == p->h && kv->klen == p->n &&
	    memcmp(kv->key, p->s, p->n) == 0;
}

static const struct tval *
member(const struct tval *obj, const struct tpart *p)
{
	const struct tv_kv *kv;

	/* The key bits answer "not here" without a walk: most lookups
	 * from inside a comment are of names its frame does not have. */
	if (obj == NULL || obj->kind != TV_OBJ || !(obj->keys & key_bit(p->h)))
		return NULL;
	for (kv = obj->head; kv; kv = kv->next)
		if (is_key(kv, p))
			return kv->v;
	return NULL;
}

/* Where an op's first name was found in a frame, per thread: slot + 1,
 * or 0. Frames made from one keys array hold each name at the same slot,
 * so the next comment's frame is looked at there first instead of
 * walked. Checked against the frame at hand, so a hint left by another
 * page or set is only a miss. One byte per op: worker threads' stacks
 * are small, and their thread-locals live there. */
static _Thread_local unsigned char tl_hint[LIM_TMPL_HINTS];

static const struct tval *
member_op(const struct tval *obj, const struct op *op)
{
	const struct tpart *p = &op->parts[0];
	unsigned char *h;
	size_t k;

	if (obj == NULL || obj->slots == NULL || op->id >= LIM_TMPL_HINTS ||
	    !(obj->keys & key_bit(p->h)))
		return member(obj, p);
	h = &tl_hint[op->id];
	if (*h && *h <= obj->nslots && is_key(&obj->slots[*h - 1], p))
		return obj->slots[*h - 1].v;
	for (k = 0; k < obj->nslots; k++) {
		if (is_key(&obj->slots[k], p)) {
			*h = k < 255 ? (unsigned char)(k + 1) : 0;
			return obj->slots[k].v;
		}
	}
	return member(obj, p); /* a key added to the frame by tv_str() */
}

/* The first part is looked up from the innermost scope outwards; the rest
 * only inside what it found (Mustache's rule), else missing (NULL). */
static const struct tval *
lookup(const struct rstate *st, const struct op *op)
{
	const struct tval *v = NULL;
	size_t i;

	if (op->nparts == 0)
		return st->nscope > 0 ? st->scope[st->nscope - 1] : NULL;
	for (i = st->nscope; i > 0; i--)
		if ((v = member_op(st->scope[i - 1], op)) != NULL)
			break;
	for (i = 1; v != NULL && i < op->nparts; i++)
		v = member(v, &op->parts[i]);
	return v;
}

static int
truthy(const struct tval *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case TV_STR:
	case TV_HTML:
	case TV_LIST:
	case TV_ITER:
		return v->n > 0;
	case TV_INT:
	case TV_BOOL:
		return v->i != 0;
	case TV_OBJ:
		return 1;
	}
	return 0;
}

static enum perr
put_int(struct buf *b, int64_t v)
{
	char tmp[24], *p = tmp;

	if (v < 0)
		*p++ = '-';
	p = str_put_uint(p, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v,
	    1);
	return buf_add(b, tmp, (size_t)(p - tmp));
}

static enum perr
emit(struct buf *b, const struct tval *v)
{
	if (v == NULL)
		return P_OK;
	switch (v->kind) {
	case TV_STR:
		return esc_html_text(b, v->s, v->n);
	case TV_HTML:
		return buf_add(b, v->s, v->n);
	case TV_INT:
		return put_int(b, v->i);
	case TV_BOOL:
	case TV_LIST:
	case TV_OBJ:
	case TV_ITER:
		break;
	}
	return P_OK;
}

static enum perr render_ops(struct rstate *, const struct tmpl *, size_t,
    size_t);

/* Renders ops [from, to) of t one level deeper, with v (unless NULL) on
 * top of the scope stack. */
static enum perr
nest(struct rstate *st, const struct tmpl *t, size_t from, size_t to,
    const struct tval *v)
{
	enum perr e;

	if (st->depth >= LIM_TMPL_DEPTH)
		return P_TOOBIG;
	st->depth++;
	if (v != NULL)
		st->scope[st->nscope++] = v;
	e = render_ops(st, t, from, to);
	if (v != NULL)
		st->nscope--;
	st->depth--;
	return e;
}

static enum perr
render_ops(struct rstate *st, const struct tmpl *t, size_t from, size_t to)
{
	const struct op *op;
	const struct tval *v;
	const struct tv_kv *it;
	size_t i = from;
	enum perr e = P_OK;

	while (i < to && e == P_OK) {
		op = &t->ops[i];
		switch (op->kind) {
		case OP_TEXT:
			e = buf_add(st->out, op->text, op->len);
			break;
		case OP_VAR:
			e = emit(st->out, lookup(st, op));
			break;
		case OP_SECTION:
			if (!truthy(v = lookup(st, op)))
				break;
			if (v->kind == TV_ITER) {
				const struct tval *item;
				size_t k;

				for (k = 0; e == P_OK &&
				    (item = v->next(v->arg, k)) != NULL; k++)
					e = nest(st, t, i + 1, op->arg, item);
				break;
			}
			if (v->kind != TV_LIST) {
				e = nest(st, t, i + 1, op->arg, v);
				break;
			}
			for (it = v->head; it != NULL && e == P_OK; it = it->next)
				if (it->v != NULL)
					e = nest(st, t, i + 1, op->arg, it->v);
			break;
		case OP_INVERTED:
			if (!truthy(lookup(st, op)))
				e = nest(st, t, i + 1, op->arg, NULL);
			break;
		case OP_PARTIAL:
			e = nest(st, &st->ts->t[op->arg], 0,
			    st->ts->t[op->arg].nops, NULL);
			break;
		}
		i = op->kind == OP_SECTION || op->kind == OP_INVERTED ?
		    op->arg : i + 1;
	}
	return e;
}

/* On any error out is left as it was on entry. */
enum perr
tmpl_render(const struct tmpl_set *ts, const char *name,
    const struct tval *ctx, struct buf *out)
{
	struct rstate st;
	const struct tmpl *t = NULL;
	size_t i, mark = out->len;
	enum perr e;

	for (i = 0; ts != NULL && name != NULL && i < ts->n; i++) {
		if (strcmp(ts->t[i].name, name) == 0) {
			t = &ts->t[i];
			break;
		}
	}
	if (t == NULL)
		return P_NOTFOUND;
	st.ts = ts;
	st.out = out;
	st.nscope = 0;
	st.depth = 0;
	if (ctx != NULL)
		st.scope[st.nscope++] = ctx;
	if ((e = render_ops(&st, t, 0, t->nops)) != P_OK) {
		out->len = mark;
		if (out->data != NULL)
			out->data[mark] = '\0';
	}
	return e;
}
