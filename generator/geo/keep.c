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

/* How far p is from feature f's outline drawn at threshold T (full
 * detail when T <= 0). */
static double outline_dist(const topo *t, int f, geo_pt p, double T,
			   geo_pt **pts, size_t *cap)
{
	const topo_feature *feat = &t->feat[f];
	topo_level lv = {T, NULL};
	double best = INFINITY;
	for (size_t r = feat->first; r < feat->first + feat->n; r++) {
		size_t n = topo_ring_points(t, r, T > 0 ? &lv : NULL, pts, cap);
		for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
			double d = seg_dist2(p, (*pts)[j], (*pts)[i]);
			if (d < best)
				best = d;
		}
	}
	return sqrt(best);
}

/* Inside f at T as drawn (snapped to the path grid), and at least need
 * away from its outline. */
static int safely_inside(const topo *t, int f, geo_pt p, double T,
			 double need, const topo_snap *snap, geo_pt **pts,
			 size_t *cap)
{
	return topo_feature_contains(t, f, p, T, snap, pts, cap) &&
	       outline_dist(t, f, p, T, pts, cap) >= need;
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

size_t topo_keep_inside_within(topo *t, int f, const geo_pt *probe, size_t n,
			       double T, double margin, const topo_snap *snap,
			       unsigned long long *work)
{
	if (!t->thr || f < 0 || (size_t)f >= t->nfeat)
		return 0;
	geo_pt *pts = NULL;
	size_t cap = 0, added = 0, size = topo_feature_vertices(t, f) + 1;
	for (size_t i = 0; i < n && *work < TOPO_KEEP_WORK; i++) {
		/* A city on the coast cannot be further from it than the data
		 * puts it: ask for half that, at most margin. */
		double need = outline_dist(t, f, probe[i], 0, &pts, &cap) / 2;
		if (need > margin)
			need = margin;
		*work += size;
		while (!safely_inside(t, f, probe[i], T, need, snap, &pts, &cap)) {
			*work += 3 * size; /* the test above and the search below */
			if (*work >= TOPO_KEEP_WORK)
				break;
			size_t v = nearest_removed(t, f, probe[i], T);
			if (v == SIZE_MAX)
				break; /* everything is back: nothing more to do */
			t->thr[v] = INFINITY;
			added++;
		}
	}
	free(pts);
	return added;
}

size_t topo_keep_inside(topo *t, int f, const geo_pt *probe, size_t n,
			double T, double margin, const topo_snap *snap)
{
	unsigned long long work = 0;
	return topo_keep_inside_within(t, f, probe, n, T, margin, snap, &work);
}
