/* shapes.c - the marker shapes (shapes.h). */
#include "shapes.h"

static const geo_shape shapes[] = {
	{"circle", "Circle", -65, 0, "a6.5 6.5 0 1 0 13 0a6.5 6.5 0 1 0-13 0z"},
	{"square", "Square", -55, -55, "h11v11h-11z"},
	{"diamond", "Diamond", 0, -75, "l7.5 7.5-7.5 7.5-7.5-7.5z"},
	{"triangle", "Triangle", 0, -80, "l6.9 12h-13.8z"},
	{"star", "Star", 0, -80, "l2 5.2 5.6 .3-4.4 3.6 1.5 5.4-4.7-3.1-4.7 3.1 "
				 "1.5-5.4-4.4-3.6 5.6-.3z"},
	{"hexagon", "Hexagon", 70, 0, "l-3.5 6.1h-7l-3.5-6.1 3.5-6.1h7z"},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

size_t geo_shape_count(void)
{
	return NSHAPES;
}

const geo_shape *geo_shape_pick(int rank)
{
	return &shapes[rank < 0 ? 0 : (size_t)rank % NSHAPES];
}
