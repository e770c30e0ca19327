/* locate.c - which feature holds a point, and how far a point is from a
 * feature, on the lon/lat layer.
 *
 * Point in polygon is the even-odd rule over all rings of a feature, so
 * holes (Lesotho inside South Africa) need no special case. The basemap has
 * a couple of hundred features: a bounding-box test and then a scan of the
 * features whose box holds the point is plenty for a few points.
 *
 * A site locates every partner, and a basemap may have a feature of a
 * million vertices: a linear scan per point would cost partners times
 * vertices. So a geo_locator sorts each big feature's edges into
 * horizontal bands; a point's ray can only cross the edges of its own
 * band, and the answer is the very one the scan gives (the same test on
 * the same edges, the others being those that cannot cross).
 */
#include "geo.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_KM 6371.0088 /* mean radius (IUGG) */
#define DEG (M_PI / 180)

/* A longitude difference into [-180, 180]. */
static double wrap180(double dlon)
{
	dlon = fmod(dlon, 360);
	if (dlon > 180)
		dlon -= 360;
	else if (dlon < -180)
		dlon += 360;
	return dlon;
}

/* Does a ray going east from the point cross edge a-b? */
static int ray_crosses(const geo_pt *a, const geo_pt *b, double lon, double lat)
{
	return (a->y > lat) != (b->y > lat) &&
	       lon < (b->x - a->x) * (lat - a->y) / (b->y - a->y) + a->x;
}

/* Crossings of a ray going east from the point, mod 2. */
static int ring_parity(const geo_ring *g, double lon, double lat)
{
	int in = 0;
	if (g->n < 3)
		return 0;
	for (size_t i = 0, j = g->n - 1; i < g->n; j = i++)
		in ^= ray_crosses(&g->p[i], &g->p[j], lon, lat);
	return in;
}

/* 0 when (lon, lat) cannot lie in f: not finite, or outside its box once
 * lon is wrapped by wrap180; otherwise 1, with *lon wrapped. */
static int may_contain(const geo_feature *f, double *lon, double lat)
{
	if (!isfinite(*lon) || !isfinite(lat))
		return 0;
	*lon = wrap180(*lon);
	return geo_box_contains(&f->bbox, (geo_pt){*lon, lat}) ? 1 : 0;
}

int geo_point_in_feature(const geo_feature *f, double lon, double lat)
{
	if (!may_contain(f, &lon, lat))
		return 0;
	int in = 0;
	for (size_t r = 0; r < f->nrings; r++)
		in ^= ring_parity(&f->rings[r], lon, lat);
	return in;
}

int geo_locate_point(const geo_layer *lonlat, double lon, double lat)
{
	for (size_t i = 0; i < lonlat->n; i++)
		if (geo_point_in_feature(&lonlat->f[i], lon, lat))
			return (int)i;
	return -1;
}

static double haversine_km(double lon1, double lat1, double lon2, double lat2)
{
	double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * EARTH_RADIUS_KM * asin(fmin(1, sqrt(h)));
}

/* The point of segment a-b nearest the query point (lon, lat), found in an
 * equirectangular frame centred on the query (x scaled by cos lat, so that
 * nearby distances are true), then measured on the sphere. */
static double segment_km(geo_pt a, geo_pt b, double lon, double lat, double k)
{
	double ax = wrap180(a.x - lon), ay = a.y - lat;
	double bx = ax + wrap180(b.x - a.x), by = b.y - lat;
	double ux = (bx - ax) * k, uy = by - ay;
	double len2 = ux * ux + uy * uy;
	double t = len2 > 0 ? -(ax * k * ux + ay * uy) / len2 : 0;
	t = fmax(0, fmin(1, t));
	double plon = lon + ax + t * (bx - ax);
	double plat = fmax(-90, fmin(90, lat + ay + t * uy));
	return haversine_km(lon, lat, plon, plat);
}

double geo_distance_km(const geo_feature *f, double lon, double lat)
{
	if (geo_point_in_feature(f, lon, lat))
		return 0;
	double k = fmax(cos(lat * DEG), 1e-6);
	double best = INFINITY;
	for (size_t r = 0; r < f->nrings; r++) {
		const geo_ring *g = &f->rings[r];
		for (size_t i = 0; i < g->n; i++) {
			double km = segment_km(g->p[i], g->p[(i + 1) % g->n], lon, lat, k);
			if (km < best)
				best = km;
		}
	}
	return best;
}

/* ---- the locator ------------------------------------------------------------ */

/* Features with fewer vertices are scanned. */
#define BANDS_FROM 256
/* Band entries per vertex at most: an edge goes into every band its
 * latitudes span, and the bands get fewer until this holds. */
#define ENTRIES_PER_VERTEX 4

/* One feature's edges by band. Edge k of ring r is p[k] to p[k - 1]
 * (p[n - 1] for k = 0), numbered first[r] + k. */
typedef struct bands {
	double y0, h;      /* the first band's bottom; each band's height */
	size_t n;          /* bands; 0: no index, scan the feature */
	uint32_t *start;   /* band b holds edge[start[b] .. start[b + 1]) */
	uint32_t *edge;
	uint32_t *first;   /* per ring, its first edge number */
	uint32_t *ring;    /* per edge number, its ring */
} bands;

struct geo_locator {
	bands *f; /* per feature */
	size_t n;
};

static size_t band_of(const bands *b, double y)
{
	double k = floor((y - b->y0) / b->h);
	return !(k > 0) ? 0 : k >= (double)(b->n - 1) ? b->n - 1 : (size_t)k;
}

static size_t count_entries(const bands *b, const geo_feature *f)
{
	size_t total = 0;
	for (size_t r = 0; r < f->nrings; r++) {
		const geo_ring *g = &f->rings[r];
		for (size_t k = 0; g->n >= 3 && k < g->n; k++) {
			const geo_pt *p = &g->p[k], *q = &g->p[k ? k - 1 : g->n - 1];
			total += band_of(b, fmax(p->y, q->y)) - band_of(b, fmin(p->y, q->y)) + 1;
		}
	}
	return total;
}

static void bands_build(bands *b, const geo_feature *f)
{
	size_t nv = 0;
	for (size_t r = 0; r < f->nrings; r++)
		nv += f->rings[r].n >= 3 ? f->rings[r].n : 0;
	memset(b, 0, sizeof *b);
	if (nv < BANDS_FROM || nv > UINT32_MAX / (ENTRIES_PER_VERTEX + 1) ||
	    !(f->bbox.ymax > f->bbox.ymin))
		return;
	b->y0 = f->bbox.ymin;
	size_t entries;
	for (b->n = nv / 4 + 1;; b->n /= 2) {
		b->h = (f->bbox.ymax - f->bbox.ymin) / (double)b->n;
		entries = count_entries(b, f);
		if (entries <= ENTRIES_PER_VERTEX * nv || b->n == 1)
			break;
	}
	b->start = xcalloc(b->n + 1, sizeof *b->start);
	b->edge = xmalloc((entries + 1) * sizeof *b->edge);
	b->first = xmalloc((f->nrings + 1) * sizeof *b->first);
	b->ring = xmalloc((nv + 1) * sizeof *b->ring);
	for (int pass = 0; pass < 2; pass++) {
		uint32_t id = 0;
		for (size_t r = 0; r < f->nrings; r++) {
			const geo_ring *g = &f->rings[r];
			b->first[r] = id;
			for (size_t k = 0; g->n >= 3 && k < g->n; k++, id++) {
				const geo_pt *p = &g->p[k], *q = &g->p[k ? k - 1 : g->n - 1];
				size_t lo = band_of(b, fmin(p->y, q->y));
				size_t hi = band_of(b, fmax(p->y, q->y));
				b->ring[id] = (uint32_t)r;
				for (size_t j = lo; j <= hi; j++) {
					if (pass == 0)
						b->start[j + 1]++;
					else
						b->edge[b->start[j]++] = id;
				}
			}
		}
		if (pass == 0)
			for (size_t j = 0; j < b->n; j++)
				b->start[j + 1] += b->start[j];
	}
	/* the fill moved each start to the next band's: move them back */
	memmove(b->start + 1, b->start, b->n * sizeof *b->start);
	b->start[0] = 0;
}

geo_locator *geo_locator_new(const geo_layer *lonlat)
{
	geo_locator *x = xcalloc(1, sizeof *x);
	x->n = lonlat->n;
	x->f = xcalloc(x->n + 1, sizeof *x->f);
	for (size_t i = 0; i < x->n; i++)
		bands_build(&x->f[i], &lonlat->f[i]);
	return x;
}

void geo_locator_free(geo_locator *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		free(x->f[i].start);
		free(x->f[i].edge);
		free(x->f[i].first);
		free(x->f[i].ring);
	}
	free(x->f);
	free(x);
}

int geo_locator_in_feature(const geo_locator *x, const geo_layer *lonlat,
			   size_t fi, double lon, double lat)
{
	const geo_feature *f = &lonlat->f[fi];
	const bands *b = fi < x->n ? &x->f[fi] : NULL;
	if (!b || !b->n)
		return geo_point_in_feature(f, lon, lat);
	if (!may_contain(f, &lon, lat))
		return 0;
	int in = 0;
	size_t j = band_of(b, lat);
	for (uint32_t e = b->start[j]; e < b->start[j + 1]; e++) {
		uint32_t id = b->edge[e], r = b->ring[id];
		const geo_ring *g = &f->rings[r];
		size_t k = id - b->first[r];
		in ^= ray_crosses(&g->p[k], &g->p[k ? k - 1 : g->n - 1], lon, lat);
	}
	return in;
}

int geo_locator_find(const geo_locator *x, const geo_layer *lonlat, double lon,
		     double lat)
{
	for (size_t i = 0; i < lonlat->n; i++)
		if (geo_locator_in_feature(x, lonlat, i, lon, lat))
			return (int)i;
	return -1;
}

/* The least segment_km over the edges in the bands that cover latitudes
 * [lat - w, lat + w]; *all set when they are every band. */
static double window_km(const bands *b, const geo_feature *f, double lon,
			double lat, double k, double w, int *all)
{
	size_t lo = band_of(b, lat - w), hi = band_of(b, lat + w);
	double best = INFINITY;
	*all = lo == 0 && hi == b->n - 1;
	for (uint32_t e = b->start[lo]; e < b->start[hi + 1]; e++) {
		uint32_t id = b->edge[e], r = b->ring[id];
		const geo_ring *g = &f->rings[r];
		size_t i = id - b->first[r];
		/* as geo_distance_km has it: from the vertex before to this one */
		double km = segment_km(g->p[i ? i - 1 : g->n - 1], g->p[i], lon, lat, k);
		if (km < best)
			best = km;
	}
	return best;
}

/* A point km from the feature is that far from some point of an edge, so
 * at most km / (EARTH_RADIUS_KM * DEG) degrees of latitude away from it:
 * edges in the bands of that window hold the nearest. One degree first,
 * then, if the nearest found is further than that, its own window. */
double geo_locator_distance_km(const geo_locator *x, const geo_layer *lonlat,
			       size_t fi, double lon, double lat)
{
	const geo_feature *f = &lonlat->f[fi];
	const bands *b = fi < x->n ? &x->f[fi] : NULL;
	if (!b || !b->n || !isfinite(lon) || !isfinite(lat))
		return geo_distance_km(f, lon, lat);
	if (geo_locator_in_feature(x, lonlat, fi, lon, lat))
		return 0;
	double k = fmax(cos(lat * DEG), 1e-6), per_deg = EARTH_RADIUS_KM * DEG;
	double small = INFINITY; /* rings too short for the index */
	for (size_t r = 0; r < f->nrings; r++)
		for (size_t i = 0; f->rings[r].n < 3 && i < f->rings[r].n; i++)
			small = fmin(small, segment_km(f->rings[r].p[i],
						       f->rings[r].p[(i + 1) % f->rings[r].n],
						       lon, lat, k));
	int all;
	double best = fmin(small, window_km(b, f, lon, lat, k, 1.0, &all));
	if (all || best <= per_deg * (1 - 1e-9))
		return best;
	double w = best / per_deg * (1 + 1e-6) + 1e-9;
	return fmin(small, window_km(b, f, lon, lat, k, isfinite(w) ? w : 360, &all));
}
