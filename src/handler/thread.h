/* thread.h (handler/: it joins store rows and display): a post's flat comment list → the tree readers see.
 * Input is every comment of one post in (created, id) order (store order).
 * Visible: approved comments, plus pending ones written by `viewer` (the
 * commenter id from the reader's signed cookie). Hidden comments that
 * have visible descendants stay as "removed" placeholders so the thread
 * keeps its shape; other hidden comments vanish. Depth is capped at
 * max_depth: a reply to a comment at the cap is shown at the cap, after
 * it, under the same parent (WordPress behaves the same way).
 * Nodes live in the arena; they point into the input array. */
#ifndef PARLEY_THREAD_H
#define PARLEY_THREAD_H

#include <stddef.h>

#include "../base/arena.h"
#include "../store/store.h"

struct thread_node {
	const struct comment *c;
	int depth;    /* 1 = reply to the article */
	int removed;  /* placeholder: hidden but has visible replies */
	int pending;  /* pending, shown only to its writer */
	struct thread_node *first, *last, *next; /* children, siblings */
};

/* Roots in *roots (a linked list through ->next). *nshown = visible
 * comments (placeholders not counted). Comments whose parent is missing
 * from the list are shown at the top level. */
void thread_build(struct arena *a, const struct comment *cs, size_t n,
    const char *viewer, int max_depth, struct thread_node **roots,
    size_t *nshown);

#endif
