/* layer.c - freeing layers and lines, and feature bounding boxes. */
#include "geo.h"

#include <math.h>
#include <stdlib.h>

void geo_layer_free(geo_layer *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		geo_feature *f = &l->f[i];
		for (size_t r = 0; r < f->nrings; r++)
			free(f->rings[r].p);
		free(f->rings);
		free(f->code);
		free(f->name);
	}
	free(l->f);
	l->f = NULL;
	l->n = 0;
}

long long geo_round(double v)
{
	const double big = 0x1p52;
	if (isnan(v))
		return 0;
	return llround(fmax(-big, fmin(big, v)));
}

void geo_lines_free(geo_line *lines, size_t n)
{
	if (!lines)
		return;
	for (size_t i = 0; i < n; i++)
		free(lines[i].p);
	free(lines);
}

/* The box over every vertex of every ring. A feature without points gets
 * an empty box (xmin > xmax) so that no point ever falls inside it. */
void geo_feature_bbox(geo_feature *f)
{
	f->bbox = geo_box_empty();
	for (size_t r = 0; r < f->nrings; r++)
		geo_box_extend_pts(&f->bbox, f->rings[r].p, f->rings[r].n);
}
