/* cluster.c - grid clustering of projected points (cluster.h). The points
 * are sorted by cell, then by input index, and each run of one cell is a
 * cluster: no hashing, so no order that depends on a table's size. */
#include "cluster.h"

#include <math.h>
#include <stdlib.h>

#include "../util/buf.h"

typedef struct cell_of {
	long long cx, cy;
	size_t i;
} cell_of;

static int cmp_ll(long long a, long long b)
{
	return (a > b) - (a < b);
}

static int cmp_cell(const void *pa, const void *pb)
{
	const cell_of *a = pa, *b = pb;
	int c = cmp_ll(a->cy, b->cy);
	if (!c)
		c = cmp_ll(a->cx, b->cx);
	if (!c)
		c = (a->i > b->i) - (a->i < b->i);
	return c;
}

/* The mean of the members of k and the member nearest it. */
static void place(geo_cluster *k, const geo_pt *pts, const size_t *mem)
{
	double sx = 0, sy = 0;
	for (size_t j = 0; j < k->count; j++) {
		sx += pts[mem[j]].x;
		sy += pts[mem[j]].y;
	}
	k->x = sx / (double)k->count;
	k->y = sy / (double)k->count;
	double best = INFINITY;
	for (size_t j = 0; j < k->count; j++) {
		double dx = pts[mem[j]].x - k->x, dy = pts[mem[j]].y - k->y;
		double d = dx * dx + dy * dy;
		if (d < best) {
			best = d;
			k->rep = mem[j];
		}
	}
}

int geo_cluster_grid(const geo_pt *pts, size_t n, double cell,
		     geo_clusters *out)
{
	*out = (geo_clusters){0};
	if (!isfinite(cell) || cell <= 0)
		return -1;
	cell_of *c = xmalloc((n ? n : 1) * sizeof *c);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double fx = floor(pts[i].x / cell), fy = floor(pts[i].y / cell);
		/* beyond +-2^62 cells a long long cannot hold the cell */
		if (!isfinite(fx) || !isfinite(fy) || fabs(fx) > 4e18 ||
		    fabs(fy) > 4e18)
			continue;
		c[m++] = (cell_of){(long long)fx, (long long)fy, i};
	}
	qsort(c, m, sizeof *c, cmp_cell);
	out->members = xmalloc((m ? m : 1) * sizeof *out->members);
	out->v = xmalloc((m ? m : 1) * sizeof *out->v);
	out->nmembers = m;
	for (size_t j = 0; j < m; j++) {
		out->members[j] = c[j].i;
		if (j && c[j].cx == c[j - 1].cx && c[j].cy == c[j - 1].cy) {
			out->v[out->n - 1].count++;
			continue;
		}
		out->v[out->n++] = (geo_cluster){.cx = c[j].cx, .cy = c[j].cy,
						 .first = j, .count = 1};
	}
	for (size_t k = 0; k < out->n; k++)
		place(&out->v[k], pts, out->members + out->v[k].first);
	free(c);
	return 0;
}

void geo_clusters_free(geo_clusters *c)
{
	free(c->v);
	free(c->members);
	*c = (geo_clusters){0};
}
