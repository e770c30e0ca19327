/* cluster.h - markers too many to draw one by one, gathered into count
 * markers: points on a map grouped by the square cell of a grid they
 * fall in. Pure geometry on points already projected into a map's pixel
 * space (its viewBox units); it knows nothing of pages, SVG or records,
 * so any map (a network's, a country's, the home page's) can use it.
 *
 * The grouping is deterministic: the same points give the same clusters
 * in the same order, whatever the platform's sort. */
#ifndef PM_GEO_CLUSTER_H
#define PM_GEO_CLUSTER_H

#include <stddef.h>

#include "geo.h"

/* One cluster: its members are member[first .. first + n) of the set,
 * point indexes in ascending order; (x, y) is their mean, in the points'
 * units. */
typedef struct geo_cluster {
	double x, y;
	size_t first, n;
} geo_cluster;

/* Every cluster of a set of points, ordered by their first member (so a
 * map keeps the points' order), and the members of each in turn. Owned
 * by the set: geo_clusters_free. */
typedef struct geo_clusters {
	geo_cluster *v;
	size_t n;
	size_t *member;  /* point indexes, cluster after cluster */
	size_t nmember;  /* the points clustered: the finite ones */
} geo_clusters;

/* Group pts[0..n) by the cell of side `cell` (> 0, the points' units)
 * each lies in: cell (floor(x / cell), floor(y / cell)). A point with a
 * coordinate that is not finite belongs to no cluster. O(n log n) time,
 * O(n) memory. 0, or -1 when cell is not a positive finite number (out
 * is then empty). */
int geo_cluster_points(const geo_pt *pts, size_t n, double cell,
		       geo_clusters *out);

void geo_clusters_free(geo_clusters *c);

#endif
