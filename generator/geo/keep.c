/* keep.c - simplification that keeps partners inside their country.
 *
 * A coastal city sits close to the coast; a simplified coast may cut the
 * corner it sits in (Beirut, Manila, Blantyre at 1:110m). After the global
 * threshold is chosen, each partner's point is tested against its country
 * as drawn; where it fell out, the removed vertices nearest to it come
 * back, one at a time, until it is inside again. Vertices live on arcs, so
 * a neighbour sharing that border gets the same vertices back: borders stay
 * identical. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "topo.h"
#include "../util/buf.h"

static int ring_contains(const geo_pt *p, size_t n, geo_pt q)
{
	int in = 0;
	for (size_t i = 0, j = n - 1; i < n; j = i++) {
		if ((p[i].y > q.y) != (p[j].y > q.y) &&
		    q.x < p[j].x + (q.y - p[j].y) * (p[i].x - p[j].x) / (p[i].y - p[j].y))
			in = !in;
	}
	return in;
}

static geo_pt snapped(const topo_snap *sn, geo_pt p, int to_grid)
{
	geo_pt v = {(p.x - sn->x0) * sn->s, (sn->y1 - p.y) * sn->s};
	if (to_grid) {
		v.x = (double)geo_round(v.x / sn->step) * sn->step;
		v.y = (double)geo_round(v.y / sn->step) * sn->step;
	}
	return v;
}

int topo_feature_contains(const topo *t, int f, geo_pt p, double T,
			  const topo_snap *snap, geo_pt **pts, size_t *cap)
{
	const topo_feature *feat = &t->feat[f];
	topo_level lv = {T, NULL};
	int in = 0;
	if (snap)
		p = snapped(snap, p, 0);
	for (size_t r = feat->first; r < feat->first + feat->n; r++) {
		size_t n = topo_ring_points(t, r, T > 0 ? &lv : NULL, pts, cap);
		for (size_t i = 0; snap && i < n; i++)
			(*pts)[i] = snapped(snap, (*pts)[i], 1);
		if (n >= 3 && ring_contains(*pts, n, p))
			in = !in;
	}
	return in;
}

static double seg_dist2(geo_pt p, geo_pt a, geo_pt b)
{
	double dx = b.x - a.x, dy = b.y - a.y;
	double len2 = dx * dx + dy * dy;
	double u = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	double ex = a.x + u * dx - p.x, ey = a.y + u * dy - p.y;
	return ex * ex + ey * ey;
}

/* The removed vertex of feature f's arcs nearest to p, or SIZE_MAX. */
static size_t nearest_removed(const topo *t, int f, geo_pt p, double T)
{
	const topo_feature *feat = &t->feat[f];
	size_t best = SIZE_MAX;
	double best_d = INFINITY;
	for (size_t r = feat->first; r < feat->first + feat->n; r++) {
		const topo_ring *ring = &t->ring[r];
		for (size_t k = 0; k < ring->n; k++) {
			const topo_arc *arc = &t->arc[TOPO_ARC(t->ref[ring->first + k])];
			for (size_t v = arc->first; v < arc->first + arc->n; v++) {
				if (t->thr[v] >= T)
					continue;
				double dx = t->pt[v].x - p.x, dy = t->pt[v].y - p.y;
				double dd = dx * dx + dy * dy;
				if (dd < best_d) {
					best_d = dd;
					best = v;
				}
			}
		}
	}
	return best;
}

size_t topo_feature_vertices(const topo *t, int f)
{
	const topo_feature *feat = &t->feat[f];
	size_t n = 0;
	for (size_t r = feat->first; r < feat->first + feat->n; r++) {
		const topo_ring *ring = &t->ring[r];
		for (size_t k = 0; k < ring->n; k++)
			n += t->arc[TOPO_ARC(t->ref[ring->first + k])].n;
	}
	return n;
}

/* The edges of a ring in runs of OUTLINE_RUN, each run with the box of
 * its edges' ends: a distance or a crossing test skips the runs whose box
 * rules them out, and gives the very result of testing every edge. */
#define OUTLINE_RUN 16

typedef struct run_box {
	double x0, y0, x1, y1;
} run_box;

/* One feature's rings as points at one level: ring k's points are
 * pt[end[k-1] .. end[k]) (from 0 for the first). Ring k's edges i (from
 * point i-1, or the last for i = 0, to point i) are in runs of
 * OUTLINE_RUN, the boxes of all rings' runs one after the other in box.
 * slack: what rounding may take off a distance, or add to a crossing's
 * x, at these coordinates (OUTLINE_SLACK times the largest). */
typedef struct outline {
	geo_pt *pt;
	size_t n, cap;
	size_t *end;
	size_t nring;
	run_box *box;
	size_t box_cap;
	double slack;
} outline;

/* A few units in the last place of a double are some 1e-15 of the
 * largest coordinate: this allows a thousand times that. */
#define OUTLINE_SLACK 1e-12

/* The boxes of o's runs, and its slack, once its points are in. */
static void outline_boxes(outline *o)
{
	size_t nbox = 0;
	for (size_t k = 0, from = 0; k < o->nring; from = o->end[k++])
		nbox += (o->end[k] - from + OUTLINE_RUN - 1) / OUTLINE_RUN;
	o->box = xgrow(o->box, &o->box_cap, nbox + 1, sizeof *o->box, 16);
	double big = 0;
	run_box *b = o->box;
	for (size_t k = 0, from = 0; k < o->nring; from = o->end[k++]) {
		size_t len = o->end[k] - from;
		const geo_pt *v = o->pt + from;
		for (size_t r = 0; r < len; r += OUTLINE_RUN, b++) {
			size_t stop = r + OUTLINE_RUN < len ? r + OUTLINE_RUN : len;
			/* the first edge's start: the point before, or the last */
			geo_pt a = v[r ? r - 1 : len - 1];
			*b = (run_box){a.x, a.y, a.x, a.y};
			for (size_t i = r; i < stop; i++) {
				/* comparisons leave out NaN, whose edges neither
				 * come nearer nor cross */
				if (v[i].x < b->x0)
					b->x0 = v[i].x;
				if (v[i].x > b->x1)
					b->x1 = v[i].x;
				if (v[i].y < b->y0)
					b->y0 = v[i].y;
				if (v[i].y > b->y1)
					b->y1 = v[i].y;
				double m = fabs(v[i].x) > fabs(v[i].y) ? fabs(v[i].x)
								     : fabs(v[i].y);
				if (m > big && m < INFINITY)
					big = m;
			}
		}
	}
	o->slack = OUTLINE_SLACK * (big + 1);
}

static void outline_fill(const topo *t, int f, double T, const topo_snap *snap,
			 outline *o, geo_pt **ring, size_t *cap)
{
	const topo_feature *feat = &t->feat[f];
	topo_level lv = {T, NULL};
	o->n = 0;
	o->nring = feat->n;
	o->end = xreallocarray(o->end, feat->n ? feat->n : 1, sizeof *o->end);
	for (size_t k = 0; k < feat->n; k++) {
		size_t m = topo_ring_points(t, feat->first + k, T > 0 ? &lv : NULL,
					    ring, cap);
		o->pt = xgrow(o->pt, &o->cap, o->n + m + 1, sizeof *o->pt, 64);
		for (size_t i = 0; i < m; i++)
			o->pt[o->n + i] = snap ? snapped(snap, (*ring)[i], 1) : (*ring)[i];
		o->n += m;
		o->end[k] = o->n;
	}
	outline_boxes(o);
}

static void outline_free(outline *o)
{
	free(o->pt);
	free(o->end);
	free(o->box);
}

/* The slack for p: the outline's, or more where p is further out. */
static double slack_at(const outline *o, geo_pt p)
{
	double m = fabs(p.x) > fabs(p.y) ? fabs(p.x) : fabs(p.y);
	double s = OUTLINE_SLACK * (m + 1);
	return s > o->slack ? s : o->slack;
}

/* Even-odd over the rings of three points or more, as
 * topo_feature_contains counts (ring_contains, edge for edge). A run is
 * skipped when no edge of it can count: all its ends above the ray or
 * none (the same comparisons as ring_contains makes), or all left of p
 * by more than rounding can move a crossing. */
static int outline_contains(const outline *o, geo_pt p)
{
	int in = 0;
	double right = p.x - slack_at(o, p);
	const run_box *b = o->box;
	for (size_t k = 0, from = 0; k < o->nring; from = o->end[k++]) {
		size_t len = o->end[k] - from;
		const geo_pt *v = o->pt + from;
		for (size_t r = 0; r < len; r += OUTLINE_RUN, b++) {
			if (len < 3 || b->y0 > p.y || !(b->y1 > p.y) || b->x1 < right)
				continue;
			size_t stop = r + OUTLINE_RUN < len ? r + OUTLINE_RUN : len;
			for (size_t i = r, j = r ? r - 1 : len - 1; i < stop; j = i++)
				if ((v[i].y > p.y) != (v[j].y > p.y) &&
				    p.x < v[j].x + (p.y - v[j].y) * (v[i].x - v[j].x) /
						  (v[i].y - v[j].y))
					in = !in;
		}
	}
	return in;
}

/* The square of the distance from p to box b (0 inside it). */
static double box_dist2(const run_box *b, geo_pt p)
{
	double dx = p.x < b->x0 ? b->x0 - p.x : p.x > b->x1 ? p.x - b->x1 : 0;
	double dy = p.y < b->y0 ? b->y0 - p.y : p.y > b->y1 ? p.y - b->y1 : 0;
	return dx * dx + dy * dy;
}

/* How far p is from the outline (outline_dist's rule): the least
 * seg_dist2 over every edge, whose value does not depend on the order the
 * edges are met in. A run is skipped when its box is further than the
 * nearest edge so far by more than rounding can bring an edge nearer. */
static double outline_dist_to(const outline *o, geo_pt p)
{
	double best = INFINITY, reach2 = INFINITY, slack = slack_at(o, p);
	const run_box *b = o->box;
	for (size_t k = 0, from = 0; k < o->nring; from = o->end[k++]) {
		size_t len = o->end[k] - from;
		const geo_pt *v = o->pt + from;
		for (size_t r = 0; r < len; r += OUTLINE_RUN, b++) {
			if (box_dist2(b, p) > reach2)
				continue;
			size_t stop = r + OUTLINE_RUN < len ? r + OUTLINE_RUN : len;
			for (size_t i = r, j = r ? r - 1 : len - 1; i < stop; j = i++) {
				double d = seg_dist2(p, v[j], v[i]);
				if (d < best) {
					best = d;
					double reach = sqrt(best) + 2 * slack;
					reach2 = reach * reach;
				}
			}
		}
	}
	return sqrt(best);
}

/* A feature's outlines as made so far: at full detail (never changes),
 * and at the threshold, plain and snapped, made at generation gen (a
 * vertex brought back anywhere makes them stale: it may lie on a border
 * this feature shares). */
typedef struct feature_outlines {
	outline full, level, snapped;
	int has_full;
	unsigned long gen; /* 0: the threshold's not made */
} feature_outlines;

struct topo_outlines {
	topo *t;
	double T;
	topo_snap snap;
	int has_snap;
	feature_outlines *f; /* one per feature of t */
	unsigned long gen;
	geo_pt *ring;        /* scratch for topo_ring_points */
	size_t cap;
};

topo_outlines *topo_outlines_new(topo *t, double T, const topo_snap *snap)
{
	topo_outlines *o = xcalloc(1, sizeof *o);
	o->t = t;
	o->T = T;
	o->has_snap = snap != NULL;
	if (snap)
		o->snap = *snap;
	o->f = xcalloc(t->nfeat ? t->nfeat : 1, sizeof *o->f);
	o->gen = 1;
	return o;
}

void topo_outlines_free(topo_outlines *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->t->nfeat; i++) {
		outline_free(&o->f[i].full);
		outline_free(&o->f[i].level);
		outline_free(&o->f[i].snapped);
	}
	free(o->f);
	free(o->ring);
	free(o);
}

static const outline *full_of(topo_outlines *o, int f)
{
	feature_outlines *e = &o->f[f];
	if (!e->has_full) {
		outline_fill(o->t, f, 0, NULL, &e->full, &o->ring, &o->cap);
		e->has_full = 1;
	}
	return &e->full;
}

static feature_outlines *level_of(topo_outlines *o, int f)
{
	feature_outlines *e = &o->f[f];
	if (e->gen != o->gen) {
		outline_fill(o->t, f, o->T, NULL, &e->level, &o->ring, &o->cap);
		if (o->has_snap)
			outline_fill(o->t, f, o->T, &o->snap, &e->snapped, &o->ring,
				     &o->cap);
		e->gen = o->gen;
	}
	return e;
}

int topo_outlines_contains(topo_outlines *o, int f, geo_pt p)
{
	if (f < 0 || (size_t)f >= o->t->nfeat)
		return 0;
	return outline_contains(full_of(o, f), p);
}

double topo_outlines_distance(topo_outlines *o, int f, geo_pt p)
{
	if (f < 0 || (size_t)f >= o->t->nfeat)
		return INFINITY;
	return outline_dist_to(full_of(o, f), p);
}

/* safely_inside, from the outlines at the threshold. */
static int safely_inside_at(topo_outlines *o, int f, geo_pt p, double need)
{
	const feature_outlines *e = level_of(o, f);
	int in = o->has_snap ? outline_contains(&e->snapped, snapped(&o->snap, p, 0))
			     : outline_contains(&e->level, p);
	return in && outline_dist_to(&e->level, p) >= need;
}

size_t topo_outlines_keep_inside(topo_outlines *o, int f, const geo_pt *probe,
				 size_t n, double margin,
				 unsigned long long *work)
{
	topo *t = o->t;
	if (!t->thr || f < 0 || (size_t)f >= t->nfeat)
		return 0;
	size_t added = 0, size = topo_feature_vertices(t, f) + 1;
	for (size_t i = 0; i < n && *work < TOPO_KEEP_WORK; i++) {
		/* A city on the coast cannot be further from it than the data
		 * puts it: ask for half that, at most margin. */
		double need = outline_dist_to(full_of(o, f), probe[i]) / 2;
		if (need > margin)
			need = margin;
		*work += size;
		while (!safely_inside_at(o, f, probe[i], need)) {
			*work += 3 * size; /* the test above and the search below */
			if (*work >= TOPO_KEEP_WORK)
				break;
			size_t v = nearest_removed(t, f, probe[i], o->T);
			if (v == SIZE_MAX)
				break; /* everything is back: nothing more to do */
			t->thr[v] = INFINITY;
			o->gen++;
			added++;
		}
	}
	return added;
}

size_t topo_keep_inside_within(topo *t, int f, const geo_pt *probe, size_t n,
			       double T, double margin, const topo_snap *snap,
			       unsigned long long *work)
{
	if (!t->thr || f < 0 || (size_t)f >= t->nfeat)
		return 0;
	topo_outlines *o = topo_outlines_new(t, T, snap);
	size_t added = topo_outlines_keep_inside(o, f, probe, n, margin, work);
	topo_outlines_free(o);
	return added;
}

size_t topo_keep_inside(topo *t, int f, const geo_pt *probe, size_t n,
			double T, double margin, const topo_snap *snap)
{
	unsigned long long work = 0;
	return topo_keep_inside_within(t, f, probe, n, T, margin, snap, &work);
}
