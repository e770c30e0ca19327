/* seen.h - the points a shapefile point reader (geo_point_fn, geo/geo.h)
 * reported, for the unit tests to check. */
#ifndef PM_TEST_SEEN_H
#define PM_TEST_SEEN_H

#include <stdio.h>

/* Most points kept; later ones are dropped. */
#define SEEN_MAX 16

/* The first SEEN_MAX points in the order reported: slug (cut to 15
 * bytes), latitude and longitude in degrees, shapefile record number
 * (from 1). Start from {0}. */
typedef struct seen {
	char slug[SEEN_MAX][16];
	double lat[SEEN_MAX], lon[SEEN_MAX];
	int record[SEEN_MAX];
	int n;
} seen;

/* A geo_point_fn whose ctx is a seen. */
static inline void collect(void *ctx, const char *slug, double lat,
			   double lon, int record)
{
	seen *s = ctx;
	if (s->n >= SEEN_MAX)
		return;
	snprintf(s->slug[s->n], sizeof s->slug[0], "%s", slug);
	s->lat[s->n] = lat;
	s->lon[s->n] = lon;
	s->record[s->n] = record;
	s->n++;
}

#endif
