/* cluster.c - points grouped into grid cells (cluster.h). */
#include "cluster.h"

#include <math.h>
#include <stdlib.h>

#include "../util/buf.h"

typedef struct cell_key {
	double cx, cy;   /* the cell, in cells */
	size_t i;        /* the point */
} cell_key;

/* By cell, then by point: every point of a cell together, in order. */
static int cmp_cell(const void *a, const void *b)
{
	const cell_key *x = a, *y = b;
	if (x->cx != y->cx)
		return x->cx < y->cx ? -1 : 1;
	if (x->cy != y->cy)
		return x->cy < y->cy ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* A cluster while it is made: where its members start among the points
 * sorted by cell, and its first (lowest) point, which orders clusters. */
typedef struct run {
	geo_cluster c;
	size_t from, lowest;
} run;

static int cmp_lowest(const void *a, const void *b)
{
	const run *x = a, *y = b;
	return (x->lowest > y->lowest) - (x->lowest < y->lowest);
}

int geo_cluster_points(const geo_pt *pts, size_t n, double cell,
		       geo_clusters *out)
{
	*out = (geo_clusters){NULL, 0, NULL, 0};
	if (!(cell > 0) || !isfinite(cell))
		return -1;
	cell_key *k = xcalloc(n ? n : 1, sizeof *k);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(pts[i].x) && isfinite(pts[i].y))
			k[m++] = (cell_key){floor(pts[i].x / cell),
					    floor(pts[i].y / cell), i};
	qsort(k, m, sizeof *k, cmp_cell);
	/* runs of one cell, their points in ascending order */
	run *runs = xcalloc(m ? m : 1, sizeof *runs);
	size_t nc = 0;
	for (size_t a = 0, b; a < m; a = b) {
		double sx = 0, sy = 0;
		for (b = a; b < m && k[b].cx == k[a].cx && k[b].cy == k[a].cy; b++) {
			sx += pts[k[b].i].x;
			sy += pts[k[b].i].y;
		}
		double cnt = (double)(b - a);
		runs[nc++] = (run){{sx / cnt, sy / cnt, 0, b - a}, a, k[a].i};
	}
	qsort(runs, nc, sizeof *runs, cmp_lowest);
	out->v = xcalloc(nc ? nc : 1, sizeof *out->v);
	out->member = xcalloc(m ? m : 1, sizeof *out->member);
	for (size_t c = 0, at = 0; c < nc; c++) {
		out->v[c] = runs[c].c;
		out->v[c].first = at;
		for (size_t j = 0; j < runs[c].c.n; j++)
			out->member[at++] = k[runs[c].from + j].i;
	}
	free(runs);
	free(k);
	out->n = nc;
	out->nmember = m;
	return 0;
}

void geo_clusters_free(geo_clusters *c)
{
	if (!c)
		return;
	free(c->v);
	free(c->member);
	*c = (geo_clusters){NULL, 0, NULL, 0};
}
