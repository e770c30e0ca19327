/* locate.c - which feature holds a point, and how far a point is from a
 * feature, on the lon/lat layer.
 *
 * Point in polygon is the even-odd rule over all rings of a feature, so
 * holes (Lesotho inside South Africa) need no special case. The basemap has
 * a couple of hundred features: a bounding-box test and then a linear scan
 * per point costs O(features) and is plenty; a spatial index would only pay
 * for itself with far finer basemaps.
 */
#include "geo.h"

#include <math.h>

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

/* Crossings of a ray going east from the point, mod 2. */
static int ring_parity(const geo_ring *g, double lon, double lat)
{
	int in = 0;
	if (g->n < 3)
		return 0;
	for (size_t i = 0, j = g->n - 1; i < g->n; j = i++) {
		const geo_pt *a = &g->p[i], *b = &g->p[j];
		if ((a->y > lat) != (b->y > lat) &&
		    lon < (b->x - a->x) * (lat - a->y) / (b->y - a->y) + a->x)
			in = !in;
	}
	return in;
}

int geo_point_in_feature(const geo_feature *f, double lon, double lat)
{
	if (!isfinite(lon) || !isfinite(lat))
		return 0;
	lon = wrap180(lon);
	if (!geo_box_contains(&f->bbox, (geo_pt){lon, lat}))
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
