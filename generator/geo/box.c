/* box.c - axis-aligned boxes (geo_box in geo.h): made from points, grown,
 * and tested against points and other boxes. */
#include "geo.h"

#include <math.h>

geo_box geo_box_empty(void)
{
	return (geo_box){INFINITY, INFINITY, -INFINITY, -INFINITY};
}

void geo_box_extend(geo_box *b, geo_pt p)
{
	/* comparisons, not fmin: false for NaN, which is left out */
	if (p.x < b->xmin)
		b->xmin = p.x;
	if (p.x > b->xmax)
		b->xmax = p.x;
	if (p.y < b->ymin)
		b->ymin = p.y;
	if (p.y > b->ymax)
		b->ymax = p.y;
}

void geo_box_extend_pts(geo_box *b, const geo_pt *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		geo_box_extend(b, p[i]);
}

void geo_box_merge(geo_box *b, const geo_box *c)
{
	b->xmin = fmin(b->xmin, c->xmin);
	b->ymin = fmin(b->ymin, c->ymin);
	b->xmax = fmax(b->xmax, c->xmax);
	b->ymax = fmax(b->ymax, c->ymax);
}

int geo_box_meets(const geo_box *a, const geo_box *b)
{
	return a->xmin <= b->xmax && b->xmin <= a->xmax &&
	       a->ymin <= b->ymax && b->ymin <= a->ymax;
}

int geo_box_contains(const geo_box *b, geo_pt p)
{
	return p.x >= b->xmin && p.x <= b->xmax &&
	       p.y >= b->ymin && p.y <= b->ymax;
}

int geo_box_holds(const geo_box *outer, const geo_box *inner)
{
	return inner->xmin >= outer->xmin && inner->ymin >= outer->ymin &&
	       inner->xmax <= outer->xmax && inner->ymax <= outer->ymax;
}

double geo_box_width(const geo_box *b)
{
	return b->xmax - b->xmin;
}

double geo_box_height(const geo_box *b)
{
	return b->ymax - b->ymin;
}
