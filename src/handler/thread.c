#include "thread.h"

#include <string.h>

/* Map from comment id to index: comments are few per post (thousands at
 * most) and sorted by created, not id, so use a small open-addressing
 * table in the arena. */
struct idx {
	size_t cap;
	int64_t *keys;
	size_t *vals;
};

static void
idx_init(struct arena *a, struct idx *x, size_t n)
{
	x->cap = 16;
	while (x->cap < n * 2)
		x->cap *= 2;
	x->keys = arena_alloc(a, x->cap * sizeof(*x->keys));
	x->vals = arena_alloc(a, x->cap * sizeof(*x->vals));
}

static void
idx_put(struct idx *x, int64_t k, size_t v)
{
	size_t h = (size_t)(k * 2654435761u) & (x->cap - 1);

	while (x->keys[h] != 0 && x->keys[h] != k)
		h = (h + 1) & (x->cap - 1);
	x->keys[h] = k;
	x->vals[h] = v;
}

static int
idx_get(const struct idx *x, int64_t k, size_t *v)
{
	size_t h = (size_t)(k * 2654435761u) & (x->cap - 1);

	while (x->keys[h] != 0) {
		if (x->keys[h] == k) {
			*v = x->vals[h];
			return 1;
		}
		h = (h + 1) & (x->cap - 1);
	}
	return 0;
}

static void
append(struct thread_node **first, struct thread_node **last,
    struct thread_node *n)
{
	if (*last)
		(*last)->next = n;
	else
		*first = n;
	*last = n;
}

/* Drop hidden nodes without visible descendants; return the kept list. */
static struct thread_node *
prune(struct thread_node *list, struct thread_node **lastp)
{
	struct thread_node *out = NULL, *last = NULL, *n, *next;

	for (n = list; n; n = next) {
		struct thread_node *cl;

		next = n->next;
		n->next = NULL;
		n->first = prune(n->first, &cl);
		n->last = cl;
		if (n->removed && n->first == NULL)
			continue;
		append(&out, &last, n);
	}
	if (lastp)
		*lastp = last;
	return out;
}

void
thread_build(struct arena *a, const struct comment *cs, size_t n,
    const char *viewer, int max_depth, struct thread_node **roots,
    size_t *nshown)
{
	struct thread_node *nodes, *rfirst = NULL, *rlast = NULL;
	struct idx x;
	size_t i, shown = 0;

	if (max_depth < 1)
		max_depth = 1;
	nodes = arena_alloc(a, (n ? n : 1) * sizeof(*nodes));
	idx_init(a, &x, n);
	for (i = 0; i < n; i++)
		idx_put(&x, cs[i].id, i);
	for (i = 0; i < n; i++) {
		const struct comment *c = &cs[i];
		struct thread_node *nd = &nodes[i], *par = NULL;
		size_t pi;

		nd->c = c;
		if (c->status == CS_APPROVED)
			;
		else if (c->status == CS_PENDING && viewer && viewer[0] &&
		    c->commenter && !strcmp(c->commenter, viewer))
			nd->pending = 1;
		else
			nd->removed = 1;
		if (!nd->removed)
			shown++;
		/* Parents come before children in (created, id) order;
		 * a parent later in the list (clock skew, imports) is
		 * treated as missing rather than risking a cycle. */
		if (c->parent_id && idx_get(&x, c->parent_id, &pi) && pi < i)
			par = &nodes[pi];
		while (par && par->depth >= max_depth)
			par = par->c->parent_id &&
			    idx_get(&x, par->c->parent_id, &pi) && pi < i ?
			    &nodes[pi] : NULL;
		if (par) {
			nd->depth = par->depth + 1;
			append(&par->first, &par->last, nd);
		} else {
			nd->depth = 1;
			append(&rfirst, &rlast, nd);
		}
	}
	*roots = prune(rfirst, NULL);
	*nshown = shown;
}
