/* topo.h - internal to generator/geo: the shared-border topology of a
 * projected layer (topology.c), its simplification (simplify.c), and the
 * loaded map that svg.c draws and map.c hands out (struct geo_map).
 *
 * A topology stores every border once. Rings are cut where the features
 * meeting there change ("junctions") into arcs; a border two countries
 * share is one arc that both reference, one of them backwards. Simplifying
 * the arcs, not the rings, keeps both sides of every border identical. */
#ifndef PM_GEO_TOPO_H
#define PM_GEO_TOPO_H

#include <pthread.h>
#include <stddef.h>

#include "geo.h"
#include "map.h"

/* An arc reference: r >= 0 is arc r forwards, r < 0 is arc ~r backwards. */
#define TOPO_ARC(r) ((size_t)((r) < 0 ? ~(r) : (r)))

typedef struct topo_arc {
	size_t first;   /* its first vertex in topo.pt */
	size_t n;       /* vertices, >= 2; a closed arc repeats its first */
	int nfeat;      /* distinct features using it: 1, or 2 for a border */
	int feat[2];    /* the first two of them */
} topo_arc;

typedef struct topo_ring {
	size_t first, n; /* its arc references in topo.ref */
	int hole;
} topo_ring;

typedef struct topo_feature {
	size_t first, n; /* its rings in topo.ring */
} topo_feature;

typedef struct topo {
	geo_pt *pt;       /* every arc's vertices, arc after arc */
	size_t npt;
	topo_arc *arc;
	size_t narc;
	int *ref;         /* ring arc references, ring after ring */
	size_t nref;
	topo_ring *ring;
	size_t nring;
	topo_feature *feat; /* one per layer feature, same index */
	size_t nfeat;
	/* Filled by topo_simplify: per vertex, the threshold up to which it
	 * stays (INFINITY: arc ends and rescued vertices); a vertex is kept
	 * at threshold T when thr >= T. */
	double *thr;
	double threshold;  /* the world map's T */
	size_t removable;  /* interior vertices (those with a finite area) */
	size_t repaired;   /* vertices re-added to undo crossings */
	size_t rescued;    /* vertices kept to save small rings */
} topo;

/* ---- topology.c ---------------------------------------------------------- */

/* Build the topology of a projected layer. Consecutive duplicate points
 * are dropped; rings left with fewer than 3 points are skipped. 0 on
 * success, -1 when the layer is too large for int arc references. */
int topo_build(const geo_layer *l, topo *t);
void topo_free(topo *t);
/* Arcs used by two (or more) different features. */
size_t topo_shared_arcs(const topo *t);

/* Which vertices a drawing keeps: thr[v] >= per_arc[arc] when per_arc
 * is set, else thr[v] >= all. A NULL level, or a topology not simplified
 * yet, keeps everything. */
typedef struct topo_level {
	double all;
	const double *per_arc;
} topo_level;

/* The kept vertices of ring r, in order, without repeating the first;
 * appended to *pts (grown as needed, *cap its room). Returns the count. */
size_t topo_ring_points(const topo *t, size_t r, const topo_level *lv,
			geo_pt **pts, size_t *cap);
/* Which rings to write backwards (flips[r] = 1) so that as many shared
 * borders as possible are written the same way round by both neighbours:
 * gzip then finds the second copy of a border, which costs next to
 * nothing. Only for drawing with fill-rule evenodd, where the direction
 * of a ring does not matter. Weighted by the vertices kept at T; a greedy
 * cut of the ring graph, heaviest rings first, then single flips while
 * they gain. The caller frees the array. */
unsigned char *topo_ring_flips(const topo *t, double T);
/* Signed area (positive when counter-clockwise) of a closed ring. */
double topo_area(const geo_pt *p, size_t n);

/* ---- simplify.c ---------------------------------------------------------- */

/* Visvalingam thresholds for one polyline: thr[0] and thr[n-1] are
 * INFINITY, each interior vertex gets the (spike-weighted) effective area
 * at which it goes; thresholds never decrease in removal order. */
void topo_visvalingam(const geo_pt *p, size_t n, double *thr);

/* Simplify t: thresholds for every arc, then the global threshold keeping
 * `share` (0 < share <= 1) of the removable vertices, then protection of
 * small rings and crossing repair. share 0 is the default: the
 * TOPO_DEFAULT_SHARE, but never detail too small to see. `unit` is the
 * size of one world-map viewBox unit in projected units (the visible
 * sizes are measured in it). 0 on success. */
int topo_simplify(topo *t, double share, double unit);
/* The share of the removable vertices (topo.removable) kept by default:
 * with the 1:110m data the world map at 1200-1600 px looks like the full
 * data. `make bench-map` prints what it keeps and the map's size. Its
 * number is written here only; comments name the constant. */
#define TOPO_DEFAULT_SHARE 0.11

/* Re-add vertices until no two segments kept at threshold T cross (or,
 * where the data itself crosses, as few as it allows; or where segments
 * are too dense to compare within simplify.c's bounds, as far as it got).
 * Returns the number of vertices re-added. */
size_t topo_repair_crossings(topo *t, double T);
/* How the world map draws projected points: view = ((x - x0) * s,
 * (y1 - y) * s), then snapped to multiples of step (svg.c's path grid). */
typedef struct topo_snap {
	double x0, y1, s, step;
} topo_snap;

/* keep.c: re-add removed vertices of feature f (nearest to the probe
 * first) until each of the n probe points, all inside f at full detail,
 * lies inside f's rings kept at threshold T and at least margin from their
 * outline, or nothing is left to re-add. Returns the number re-added. */
size_t topo_keep_inside(topo *t, int f, const geo_pt *probe, size_t n,
			double T, double margin, const topo_snap *snap);
/* The same within a budget: each pass over f's vertices adds their number
 * to *work, and once *work passes TOPO_KEEP_WORK it stops (one vertex
 * comes back per pass, so a hostile feature could otherwise cost its size
 * squared). topo_keep_inside has a budget of its own. */
#define TOPO_KEEP_WORK 200000000ull
size_t topo_keep_inside_within(topo *t, int f, const geo_pt *probe, size_t n,
			       double T, double margin, const topo_snap *snap,
			       unsigned long long *work);
/* The same for many probes of many features, each feature's rings made
 * into points once (at full detail, and at T, plain and through snap)
 * and made again at T only after a vertex came back: the map's partners
 * (geo/map.c) test each of their five probes at full detail, then keep
 * them inside, each an even-odd and a distance over the whole outline.
 * The results are those of topo_feature_contains at full detail and of
 * topo_keep_inside_within, call for call. Holds t (whose thresholds it
 * changes) and a copy of *snap (NULL: none); memory: up to three copies of
 * the points of the features asked about. */
typedef struct topo_outlines topo_outlines;
topo_outlines *topo_outlines_new(topo *t, double T, const topo_snap *snap);
/* topo_feature_contains(t, f, p, 0, NULL, ...): p inside f at full detail. */
int topo_outlines_contains(topo_outlines *o, int f, geo_pt p);
/* How far p is from f's rings at full detail, in the topology's units:
 * the square root of the least squared distance to any of their edges,
 * the value (bit for bit) that testing every edge gives, though edges
 * whose neighbourhood is further than the nearest so far are skipped.
 * INFINITY for an f out of range or without points. */
double topo_outlines_distance(topo_outlines *o, int f, geo_pt p);
/* topo_keep_inside_within(t, f, probe, n, T, margin, snap, work). */
size_t topo_outlines_keep_inside(topo_outlines *o, int f, const geo_pt *probe,
				 size_t n, double margin,
				 unsigned long long *work);
void topo_outlines_free(topo_outlines *o);
/* keep.c: the vertices of feature f's rings at full detail. */
size_t topo_feature_vertices(const topo *t, int f);
/* Even-odd: is p inside feature f's rings at threshold T (full detail when
 * T <= 0), drawn through snap when it is not NULL? pts and cap: scratch
 * space, as for topo_ring_points. */
int topo_feature_contains(const topo *t, int f, geo_pt p, double T,
			  const topo_snap *snap, geo_pt **pts, size_t *cap);

/* 1 if segments ab and cd meet other than at one shared end point
 * (touching or overlapping counts). */
int topo_segments_cross(geo_pt a, geo_pt b, geo_pt c, geo_pt d);

/* ---- the loaded map (map.c builds it, svg.c draws it) -------------------- */

/* The world map's viewBox is this wide; sizes that must look the same on
 * any projection (what is visible, what is detail) are measured in its
 * units. */
#define GEO_WORLD_UNITS 960.0

struct geo_map {
	geo_layer lonlat;      /* as read: for locating points */
	geo_locator *loc;      /* its index for locating many points */
	geo_proj *proj;        /* not thread-safe: used under proj_lock */
	pthread_mutex_t proj_lock;
	topo topo;             /* the projected, simplified features */
	geo_box *fbox;         /* per feature: projected bbox */
	geo_box *fmain;        /* per feature: bbox of its main part (largest
	                          ring and the rings near it): what a
	                          locator map frames */
	geo_ring sphere;       /* the globe's outline, projected */
	geo_box sbox;          /* its bbox: the world map's frame */
	geo_line *grat;        /* graticule lines (none when off) */
	size_t ngrat;
	double *sphere_thr;    /* Visvalingam thresholds of the sphere's */
	double **grat_thr;     /* and each graticule line's points, computed
	                          once: every locator map thins them */
	unsigned char *flips;  /* per ring: written backwards (topo_ring_flips) */
	int *by_code;          /* feature indices with a code, sorted by it */
	size_t ncode;
};

/* map.c: geo_map_load without the reading: builds a map from a lon/lat
 * layer, which it takes over (and frees, on failure too). */
struct geo_map *geo_map_from_layer(geo_layer *lonlat, const geo_options *opt,
				   diags_t *d);

/* svg.c: the world map's view transform and path grid. */
void svg_world_snap(const struct geo_map *m, topo_snap *snap);

/* svg.c: set up libxml2 once, before threads write maps. */
void svg_init(void);

/* svg.c: a projected point in the world map's viewBox units (y down). */
geo_pt svg_world_point(const struct geo_map *m, geo_pt p);

/* svg.c: write the map with markers already projected: pts[i] is marker
 * i's projected point (NAN x when it could not be projected; the marker
 * is left out); focus_pt the projected point to frame when o->focus < 0
 * and o->use_point (NULL otherwise). 0 on success, -1 when libxml2 fails. */
int svg_write_map(const struct geo_map *m, const geo_marker *mk,
		  const geo_pt *pts, size_t n, const geo_svg_options *o,
		  const geo_pt *focus_pt, buf_t *out);

#endif
