/* rings.c - which outer ring each hole belongs to, in O(n log n) in the
 * number of rings, and in bounded time whatever the input.
 *
 * A hole belongs to the smallest outer ring that holds it. Checking every
 * hole against every outer ring is quadratic: one record of 45,000 islands
 * with a lake each would take minutes. Instead the outer rings' bounding
 * boxes go into a packed R-tree (Sort-Tile-Recursive: sort by centre x,
 * cut into vertical slices, sort each slice by centre y, pack runs of
 * FANOUT boxes into a node, and repeat one level up). A hole asks the tree
 * for the outer rings whose box contains its own box; only those few are
 * tested point by point, smallest first (from a heap, so that the rest
 * need no sorting).
 *
 * The point tests look at no more than SAMPLES of the hole's vertices, so a
 * test costs SAMPLES passes over the outer ring. A hostile layout (thousands
 * of nested rings all containing every hole) could still make the tree
 * return many candidates; all work is counted, and once WORK_BUDGET is
 * spent the remaining holes are left without an owner. Callers draw with
 * the even-odd rule, so an unowned hole looks the same; only the order of
 * the rings differs.
 */
#include "geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FANOUT 16
#define SAMPLES 15
/* Edge tests, tree entries and candidates looked at per call: a few
 * tenths of a second of work. */
#define WORK_BUDGET 50000000ull

/* ---- boxes ---------------------------------------------------------------- */

static geo_box ring_box(const geo_ring *r)
{
	geo_box b = geo_box_empty();
	geo_box_extend_pts(&b, r->p, r->n);
	return b;
}

/* ---- the packed R-tree ------------------------------------------------------ */

/* At level 0, first is a ring index and count 0; above, the entry covers
 * entries [first, first + count) of the level below. */
typedef struct rt_entry {
	geo_box b;
	size_t first, count;
} rt_entry;

typedef struct rtree {
	rt_entry *level[64]; /* FANOUT^64 is far beyond any count */
	size_t len[64];
	int nlevels;
} rtree;

/* Order by u and v (twice the centres of p and q on one axis), then by
 * first ring, so that equal centres sort the same on every libc. */
static int by_centre(const rt_entry *p, const rt_entry *q, double u, double v)
{
	if (u != v)
		return u < v ? -1 : 1;
	return p->first < q->first ? -1 : p->first > q->first;
}

static int by_centre_x(const void *a, const void *b)
{
	const rt_entry *p = a, *q = b;
	return by_centre(p, q, p->b.xmin + p->b.xmax, q->b.xmin + q->b.xmax);
}

static int by_centre_y(const void *a, const void *b)
{
	const rt_entry *p = a, *q = b;
	return by_centre(p, q, p->b.ymin + p->b.ymax, q->b.ymin + q->b.ymax);
}

/* Sort e[0..n) into STR order: runs of FANOUT consecutive entries are
 * then close together. */
static void str_sort(rt_entry *e, size_t n)
{
	qsort(e, n, sizeof *e, by_centre_x);
	size_t nodes = (n + FANOUT - 1) / FANOUT;
	size_t slices = (size_t)ceil(sqrt((double)nodes));
	size_t per = slices ? ((nodes + slices - 1) / slices) * FANOUT : n;
	for (size_t s = 0; s < n; s += per)
		qsort(e + s, n - s < per ? n - s : per, sizeof *e, by_centre_y);
}

static void rtree_build(rtree *t, rt_entry *leaves, size_t n)
{
	memset(t, 0, sizeof *t);
	str_sort(leaves, n);
	t->level[0] = leaves;
	t->len[0] = n;
	t->nlevels = 1;
	while (t->len[t->nlevels - 1] > FANOUT && t->nlevels < 64) {
		const rt_entry *below = t->level[t->nlevels - 1];
		size_t m = t->len[t->nlevels - 1], k = 0;
		rt_entry *up = xmalloc(((m + FANOUT - 1) / FANOUT + 1) * sizeof *up);
		for (size_t i = 0; i < m; i += FANOUT) {
			rt_entry e = {below[i].b, i, m - i < FANOUT ? m - i : FANOUT};
			for (size_t j = i + 1; j < i + e.count; j++)
				geo_box_merge(&e.b, &below[j].b);
			up[k++] = e;
		}
		/* sorting the parents keeps each one's range of children */
		str_sort(up, k);
		t->level[t->nlevels] = up;
		t->len[t->nlevels] = k;
		t->nlevels++;
	}
}

static void rtree_free(rtree *t)
{
	for (int l = 1; l < t->nlevels; l++)
		free(t->level[l]);
}

/* A growable list of size_t. */
typedef struct idlist {
	size_t *v;
	size_t n, cap;
} idlist;

static void id_push(idlist *l, size_t id)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v, 64);
	l->v[l->n++] = id;
}

/* The rings whose box holds q, into out (emptied first). Counts each entry
 * looked at against *work; stops early once *work reaches the budget. */
static void rtree_query(const rtree *t, const geo_box *q, idlist *out,
			idlist *stack, unsigned long long *work)
{
	out->n = 0;
	stack->n = 0;
	int top = t->nlevels - 1;
	/* the stack holds level * (max entries) + index, packed in two pushes */
	for (size_t i = 0; i < t->len[top]; i++) {
		id_push(stack, (size_t)top);
		id_push(stack, i);
	}
	while (stack->n && *work < WORK_BUDGET) {
		size_t i = stack->v[--stack->n];
		int l = (int)stack->v[--stack->n];
		const rt_entry *e = &t->level[l][i];
		(*work)++;
		if (!geo_box_holds(&e->b, q))
			continue;
		if (l == 0) {
			id_push(out, e->first);
			continue;
		}
		for (size_t c = e->first; c < e->first + e->count; c++) {
			id_push(stack, (size_t)(l - 1));
			id_push(stack, c);
		}
	}
}

/* ---- point tests ------------------------------------------------------------ */

/* Even-odd: is t inside ring g? */
static int ring_contains(const geo_ring *g, geo_pt t)
{
	int in = 0;
	for (size_t i = 0, j = g->n - 1; i < g->n; j = i++) {
		const geo_pt *a = &g->p[i], *b = &g->p[j];
		if ((a->y > t.y) != (b->y > t.y) &&
		    t.x < (b->x - a->x) * (t.y - a->y) / (b->y - a->y) + a->x)
			in = !in;
	}
	return in;
}

static int usable(geo_pt p, int skip_cut)
{
	return !skip_cut || fabs(p.x) != 180;
}

/* Most of up to SAMPLES of the hole's vertices, spread along it, inside
 * the outer ring: a hole may touch its outer ring at a vertex, so no
 * single vertex decides. */
static int ring_holds(const geo_ring *outer, const geo_ring *hole, int skip_cut,
		      unsigned long long *work)
{
	size_t good = 0;
	for (size_t i = 0; i < hole->n; i++)
		good += (size_t)usable(hole->p[i], skip_cut);
	size_t step = good > SAMPLES ? good / SAMPLES : 1;
	size_t seen = 0, tested = 0, in = 0;
	for (size_t i = 0; i < hole->n && tested < SAMPLES; i++) {
		if (!usable(hole->p[i], skip_cut) || seen++ % step)
			continue;
		in += (size_t)ring_contains(outer, hole->p[i]);
		tested++;
	}
	if (!tested) { /* every vertex on the cut: the first decides */
		in = (size_t)ring_contains(outer, hole->p[0]);
		tested = 1;
	}
	*work += tested * outer->n;
	return 2 * in > tested;
}

/* ---- owners -------------------------------------------------------------------- */

static double ring_abs_area(const geo_ring *g)
{
	double s = 0;
	for (size_t i = 0, j = g->n - 1; i < g->n; j = i++)
		s += g->p[j].x * g->p[i].y - g->p[i].x * g->p[j].y;
	return fabs(s);
}

/* A candidate outer ring for a hole, with its area. */
typedef struct cand {
	double area;
	size_t ring;
} cand;

static int smaller(const cand *p, const cand *q)
{
	return p->area < q->area || (p->area == q->area && p->ring < q->ring);
}

/* Candidates as a min-heap on (area, ring): the smallest comes first, and
 * a hole usually stops at it, so the rest are never sorted. */
static void sift_down(cand *c, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && smaller(&c[l], &c[m]))
			m = l;
		if (l + 1 < n && smaller(&c[l + 1], &c[m]))
			m = l + 1;
		if (m == i)
			return;
		cand t = c[i];
		c[i] = c[m];
		c[m] = t;
		i = m;
	}
}

static void heapify(cand *c, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(c, n, i);
}

static cand pop_smallest(cand *c, size_t *n)
{
	cand top = c[0];
	c[0] = c[--*n];
	sift_down(c, *n, 0);
	return top;
}

void geo_hole_owners(const geo_ring *rings, size_t n, int skip_cut,
		     long *owner)
{
	size_t nouter = 0;
	double *area = xmalloc((n + 1) * sizeof *area);
	rt_entry *leaves = xmalloc((n + 1) * sizeof *leaves);
	for (size_t i = 0; i < n; i++) {
		owner[i] = -1;
		area[i] = 0;
		if (rings[i].hole || rings[i].n < 3)
			continue;
		area[i] = ring_abs_area(&rings[i]);
		leaves[nouter++] = (rt_entry){ring_box(&rings[i]), i, 0};
	}
	if (nouter == 0) {
		free(area);
		free(leaves);
		return;
	}
	rtree t;
	rtree_build(&t, leaves, nouter);
	idlist found = {NULL, 0, 0}, stack = {NULL, 0, 0};
	cand *c = NULL;
	size_t ccap = 0;
	unsigned long long work = 0;
	for (size_t h = 0; h < n && work < WORK_BUDGET; h++) {
		if (!rings[h].hole || rings[h].n < 1)
			continue;
		geo_box q = ring_box(&rings[h]);
		rtree_query(&t, &q, &found, &stack, &work);
		if (found.n > ccap) {
			ccap = found.n;
			c = xreallocarray(c, ccap, sizeof *c);
		}
		size_t left = found.n;
		for (size_t k = 0; k < left; k++)
			c[k] = (cand){area[found.v[k]], found.v[k]};
		heapify(c, left);
		work += left;
		while (left && work < WORK_BUDGET) {
			cand o = pop_smallest(c, &left);
			work += 32; /* the pop */
			if (ring_holds(&rings[o.ring], &rings[h], skip_cut, &work)) {
				owner[h] = (long)o.ring;
				break;
			}
		}
	}
	free(c);
	free(found.v);
	free(stack.v);
	rtree_free(&t);
	free(leaves);
	free(area);
}

void geo_rings_order(geo_ring *rings, size_t n, const long *owner)
{
	/* holes counted per owner, then placed by prefix sums: O(n) */
	size_t *start = xcalloc(n + 1, sizeof *start);
	for (size_t h = 0; h < n; h++)
		if (rings[h].hole && owner[h] >= 0)
			start[owner[h] + 1]++;
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	size_t *held = xmalloc((n + 1) * sizeof *held);
	size_t *fill = xmalloc((n + 1) * sizeof *fill);
	memcpy(fill, start, (n + 1) * sizeof *fill);
	for (size_t h = 0; h < n; h++)
		if (rings[h].hole && owner[h] >= 0)
			held[fill[owner[h]]++] = h;
	geo_ring *sorted = xmalloc((n + 1) * sizeof *sorted);
	size_t k = 0;
	for (size_t o = 0; o < n; o++) {
		if (rings[o].hole)
			continue;
		sorted[k++] = rings[o];
		for (size_t j = start[o]; j < start[o + 1]; j++)
			sorted[k++] = rings[held[j]];
	}
	for (size_t h = 0; h < n; h++)
		if (rings[h].hole && owner[h] < 0)
			sorted[k++] = rings[h];
	memcpy(rings, sorted, n * sizeof *rings);
	free(sorted);
	free(fill);
	free(held);
	free(start);
}
