/* shapes.h - the marker shapes, in one table: the name classes and
 * templates use, the label legends show, and the outline the SVG writer
 * draws.
 *
 * A marker wears the shape of the network that styles it (render/pages.c,
 * marker_network: the institution's first regional network in display
 * order, else its first network); a network's shape is picked by its
 * display rank (global networks first, then by name), so the legend, the
 * filters and the markers agree. */
#ifndef PM_GEO_SHAPES_H
#define PM_GEO_SHAPES_H

#include <stddef.h>

typedef struct geo_shape {
	const char *name;  /* "circle": class shape-<name> on the marker's
			      outline; the theme's #shape-<name> swatch */
	const char *label; /* "Circle": for legends and filters */
	/* The outline around the marker's point (0, 0), in viewBox units:
	 * where it starts, in tenths of a unit, and the rest of it as
	 * relative SVG path commands (SVG 1.1, section 8.3). About 13 units
	 * across. */
	int x, y;
	const char *rest;
} geo_shape;

/* How many shapes there are (6). */
size_t geo_shape_count(void);

/* The shape of display rank `rank`: shape rank modulo the count, so that
 * ranks past the last shape start over; a negative rank (no network
 * styles the marker) gets the first, the circle. Never NULL; the table is
 * static and read-only. */
const geo_shape *geo_shape_pick(int rank);

#endif
