/* cluster.h - markers grouped on a square grid of projected map pixels,
 * for maps that would otherwise draw thousands of markers on top of one
 * another (the home page of a large site; network and country maps may
 * use it too).
 *
 * The input is points in any planar units (viewBox units of the map, y
 * down or up: only the grid matters) and a cell size in the same units.
 * Points in the same cell [k*cell, (k+1)*cell) on both axes form one
 * cluster; a cell holding a single point gives a cluster of one, which
 * a caller draws as a plain marker. A point with a coordinate that is
 * not finite belongs to no cluster.
 *
 * The result depends on the input alone: clusters come in cell order
 * (row by row, then column by column) and each cluster's members in
 * input order, so the same points give the same bytes on every build. */
#ifndef PM_GEO_CLUSTER_H
#define PM_GEO_CLUSTER_H

#include <stddef.h>

#include "geo.h"

typedef struct geo_cluster {
	long long cx, cy; /* its cell: floor(x / cell), floor(y / cell) */
	double x, y;      /* the mean of its members' points */
	/* The member whose point is nearest that mean (the first such in
	 * input order): a real place inside the cell, where the cluster's
	 * marker can stand. An input index. */
	size_t rep;
	size_t first;     /* its members: members[first .. first + count) */
	size_t count;     /* >= 1 */
} geo_cluster;

typedef struct geo_clusters {
	geo_cluster *v;   /* n clusters, in cell order */
	size_t n;
	size_t *members;  /* input indexes, grouped by cluster */
	size_t nmembers;  /* the number of finite input points */
} geo_clusters;

/* Group the n points pts (borrowed) on a grid of cells `cell` units
 * wide into out (overwritten; free it with geo_clusters_free). 0 on
 * success; -1 when cell is not a finite number above 0, out then empty.
 * O(n log n) time, O(n) memory. */
int geo_cluster_grid(const geo_pt *pts, size_t n, double cell,
		     geo_clusters *out);

/* Free what geo_cluster_grid allocated and leave c empty. */
void geo_clusters_free(geo_clusters *c);

#endif
