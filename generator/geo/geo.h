/* geo.h - the shapes the geo stages pass along: features made of rings of
 * points, first in longitude/latitude degrees, then in projected units.
 *
 *   shapefile.c  reads .shp/.dbf/.prj/.cpg into a lon/lat geo_layer
 *   project.c    projects a layer with PROJ, cutting at the antimeridian
 *   locate.c     point-in-polygon and distance on the lon/lat layer
 *   topology.c   arcs shared between neighbouring features
 *   simplify.c   Visvalingam thresholds on arcs, crossing repair
 *   svg.c        the SVG map and locator maps (libxml2 xmlTextWriter)
 *   map.c        the face the build sees (map.h)
 */
#ifndef PM_GEO_H
#define PM_GEO_H

#include <stddef.h>

#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/safefs.h"

typedef struct geo_pt {
	double x, y; /* lon, lat in degrees; or projected x, y (y up) */
} geo_pt;

/* A closed ring: the last point is NOT a repeat of the first. */
typedef struct geo_ring {
	geo_pt *p;
	size_t n;
	int hole; /* 1 for an inner ring (a hole in the preceding outer ring) */
} geo_ring;

typedef struct geo_feature {
	char *code;     /* ISO 3166-1 alpha-3 from the DBF, or NULL ("-99") */
	char *name;     /* UTF-8 */
	geo_ring *rings;
	size_t nrings;
	double bbox[4]; /* xmin, ymin, xmax, ymax */
} geo_feature;

typedef struct geo_layer {
	geo_feature *f;
	size_t n;
} geo_layer;

/* An open polyline (graticule lines). */
typedef struct geo_line {
	geo_pt *p;
	size_t n;
} geo_line;

void geo_layer_free(geo_layer *l);
void geo_lines_free(geo_line *lines, size_t n);

/* ---- shapefile.c ---------------------------------------------------------
 * Read polygon features into lon/lat degrees: honours .cpg (attribute
 * strings come out UTF-8), reprojects from the .prj's CRS to WGS 84 when it
 * is not geographic WGS 84 (no .prj: a warning, WGS 84 assumed), skips null
 * shapes with a warning.
 *
 * rel names the .shp relative to root; its .shx, .dbf, .prj and .cpg sit
 * beside it. Each part is read through util/safefs.h: it must lie inside
 * root (links that stay inside are followed), be a regular file and stay
 * within PM_MAX_SHP, _SHX, _DBF, _PRJ or _CPG; a part that does not is a
 * DIAG_ERROR naming it. shapelib then reads the checked bytes from memory
 * and never opens a file itself. `shown` is rel as messages print it
 * (relative to the site folder).
 * 0 on success; -1 with a DIAG_FATAL (missing, unreadable or corrupt) or a
 * DIAG_ERROR naming the file. */
int geo_read_polygons_in(const sfs_root *root, const char *rel,
			 const char *shown, const char *code_field,
			 const char *name_field, geo_layer *out, diags_t *d);

/* Read a point shapefile, confined like geo_read_polygons_in; calls fn
 * once per point with the value of slug_field, in lat/lon degrees. 0 on
 * success, -1 with a DIAG_FATAL or DIAG_ERROR. */
typedef void (*geo_point_fn)(void *ctx, const char *slug, double lat,
			     double lon, int record);
int geo_read_points_in(const sfs_root *root, const char *rel,
		       const char *shown, const char *slug_field,
		       geo_point_fn fn, void *ctx, diags_t *d);

/* The same for a trusted path (tests and tools): the parts must lie in
 * the .shp's own folder. shown may be NULL (then shp_path). */
int geo_read_polygons(const char *shp_path, const char *shown,
		      const char *code_field, const char *name_field,
		      geo_layer *out, diags_t *d);
int geo_read_points(const char *shp_path, const char *shown,
		    const char *slug_field, geo_point_fn fn, void *ctx,
		    diags_t *d);

/* ---- project.c -----------------------------------------------------------
 * spec: NULL/"" or "equal-earth", "robinson", "natural-earth", "mercator",
 * "equirectangular", or any PROJ string ("+proj=... +lon_0=..."). */
typedef struct geo_proj geo_proj;
/* Where spec was written, for messages (1-based line and column). */
typedef struct geo_where {
	const char *path;
	int line, col;
} geo_where;
/* NULL after a DIAG_ERROR at at (a spec PROJ refuses), or a DIAG_FATAL
 * when PROJ cannot start. */
geo_proj *geo_proj_new_at(const char *spec, const geo_where *at, diags_t *d);
/* The same, with messages at site.yml:1:1 (tests and tools). */
geo_proj *geo_proj_new(const char *spec, diags_t *d);
void geo_proj_free(geo_proj *p);
/* Project one point; y grows northwards. 0 on success, -1 when PROJ cannot
 * (e.g. a pole in Mercator). Not thread-safe: one geo_proj per thread. */
int geo_proj_point(geo_proj *p, double lon, double lat, geo_pt *out);
/* Project a lon/lat layer. Rings crossing the projection's antimeridian
 * (lon_0 + 180) are cut there and closed along it, so nothing streaks
 * across the map; latitudes a projection cannot show are clamped. */
int geo_proj_layer(geo_proj *p, const geo_layer *lonlat, geo_layer *out);
/* The outline of the whole globe in this projection (densified). */
int geo_proj_sphere(geo_proj *p, geo_ring *out);
/* Meridians and parallels every step degrees (densified polylines). */
int geo_proj_graticule(geo_proj *p, double step, geo_line **lines,
		       size_t *n);

/* ---- locate.c ------------------------------------------------------------
 * On the lon/lat layer (before simplification). */
int geo_locate_point(const geo_layer *lonlat, double lon, double lat);
int geo_point_in_feature(const geo_feature *f, double lon, double lat);
double geo_distance_km(const geo_feature *f, double lon, double lat);
void geo_feature_bbox(geo_feature *f);

#endif
