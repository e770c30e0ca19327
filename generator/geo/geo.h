/* geo.h - the shapes the geo stages pass along: features made of rings of
 * points, first in longitude/latitude degrees, then in projected units.
 *
 *   box.c        axis-aligned boxes (geo_box) and their tests
 *   shapefile.c  reads .shp/.dbf/.prj/.cpg into a lon/lat geo_layer
 *   rings.c      which outer ring each hole belongs to
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

/* An axis-aligned box, in the units of the points it was made from:
 * lon/lat degrees, projected units (y up) or viewBox units (y down). The
 * names say which coordinate each side bounds, not a compass direction.
 * The empty box (geo_box_empty) has xmin > xmax: it holds no point and
 * meets no box, and extending it by a point gives that point. Edges
 * belong to the box in every test below. Helpers in box.c. */
typedef struct geo_box {
	double xmin, ymin, xmax, ymax;
} geo_box;

/* The box that holds nothing: xmin = ymin = +inf, xmax = ymax = -inf. */
geo_box geo_box_empty(void);
/* Grow b to hold point p; a NaN coordinate leaves that axis as it was. */
void geo_box_extend(geo_box *b, geo_pt p);
/* Grow b to hold the n points p[0..n). */
void geo_box_extend_pts(geo_box *b, const geo_pt *p, size_t n);
/* Grow b to hold box c (an empty c changes nothing). */
void geo_box_merge(geo_box *b, const geo_box *c);
/* 1 when a and b share at least one point (touching edges count). */
int geo_box_meets(const geo_box *a, const geo_box *b);
/* 1 when p lies in b, edges included. */
int geo_box_contains(const geo_box *b, geo_pt p);
/* 1 when all of inner lies in outer, edges included (an empty inner
 * lies in every box). */
int geo_box_holds(const geo_box *outer, const geo_box *inner);
double geo_box_width(const geo_box *b);  /* xmax - xmin */
double geo_box_height(const geo_box *b); /* ymax - ymin */

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
	geo_box bbox;   /* over every ring (geo_feature_bbox) */
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
/* v rounded to the nearest whole number, for coordinates bound for a grid
 * or the output: NaN gives 0 and anything past +-2^52 is clamped there,
 * where llround would overflow (undefined behaviour). layer.c. */
long long geo_round(double v);
void geo_lines_free(geo_line *lines, size_t n);

/* ---- limits on what a shapefile may hold ---------------------------------
 * Basemaps and point files come from contributors, so what one may make
 * partnermap do is bounded. Each limit is far above real data: the largest
 * record of Natural Earth's 1:10m countries (Canada, Russia) has about
 * 100,000 vertices and a few thousand parts, and the whole 1:10m layer has
 * about 550,000 vertices in 258 records. Past a limit the file is refused
 * with an error that names it. */
#define GEO_MAX_RECORD_VERTICES 1000000u  /* vertices in one record */
#define GEO_MAX_RECORD_PARTS 250000u      /* parts (rings) in one record */
#define GEO_MAX_RECORDS 1000000u          /* records in one file */
#define GEO_MAX_TOTAL_VERTICES 4000000u   /* vertices in all records */
/* Bytes of a .shp, as its header gives them: the limit safefs reads a .shp
 * to (util/safefs.h), the one place the number is set. */
#define GEO_MAX_SHP_BYTES PM_MAX_SHP

/* ---- shapefile.c ---------------------------------------------------------
 * Both readers check the .shp, .shx and .dbf against the format and the
 * limits above before reading them (shapelib trusts what it reads), take
 * the .prj's CRS to WGS 84 (no .prj: a warning, WGS 84 assumed), and
 * decode text by the .cpg (without one: UTF-8, else ISO-8859-1) into UTF-8
 * without control characters (removed with a warning). Messages name the
 * file as `shown` (the .shp's path as the user wrote it; the other files'
 * follow from it) at line 1, column 1, and count records from 1.
 *
 * rel names the .shp relative to root; its .shx, .dbf, .prj and .cpg sit
 * beside it. Each part is read through util/safefs.h: it must lie inside
 * root (links that stay inside are followed), be a regular file and stay
 * within the safefs size limit of its kind; a part that does not is a
 * DIAG_ERROR naming it. shapelib then reads the checked bytes from memory
 * and never opens a file itself.
 *
 * Errors: a missing, unreadable, truncated or corrupt file is a
 * DIAG_FATAL; a file past a limit, a coordinate that is not a finite
 * longitude in [-180, 180] and latitude in [-90, 90] after conversion
 * (1e-7 degree of slack), a missing field or a bad .prj is a DIAG_ERROR.
 * A problem repeated on many records is reported for the first 20, then
 * counted. */

/* A rule that gives basemap features a country code where the code
 * field does not (Natural Earth marks Kosovo, and in some editions France
 * and Norway, with ISO_A3 -99): a feature whose field holds value gets
 * code. Strings are borrowed. */
typedef struct geo_match {
	const char *field;  /* a .dbf column (any case); NULL: the name field */
	const char *value;  /* compared with ASCII case ignored */
	const char *code;   /* the alpha-3 code the feature gets */
	const char *path;   /* where the rule is written, for messages */
	int line, col;
} geo_match;

typedef struct geo_matches {
	const geo_match *v; /* tried in order on every feature; the first
			       that holds wins */
	size_t n;
	/* Then, for a feature still without a code ("-99", ""), the rule
	 * whose value is its name: field NULL, sorted by value with ASCII
	 * case ignored (geo_matches_sort_names). */
	geo_match *by_name;
	size_t nname;
} geo_matches;

/* Sort m->by_name as geo_read_polygons_in needs it. */
void geo_matches_sort_names(geo_matches *m);

/* Read polygon features into lon/lat degrees (out owns everything; free
 * with geo_layer_free). code_field and name_field name .dbf columns (any
 * case); NULL leaves code NULL and name "". match (or NULL) may then give
 * features their code; a rule naming a field the .dbf lacks is an error
 * at the rule. Null shapes are skipped with a warning. Rings: see
 * rings.c. 0 on success; -1 with an error or fatal, out empty. */
int geo_read_polygons_in(const sfs_root *root, const char *rel,
			 const char *shown, const char *code_field,
			 const char *name_field, const geo_matches *match,
			 geo_layer *out, diags_t *d);

/* Read a point shapefile, confined like geo_read_polygons_in; calls fn
 * once per good point with the value of slug_field (valid only during the
 * call), in lat/lon degrees, and its record number from 1. A point out of
 * range is an error and skipped; a slug already given by an earlier record
 * is a warning naming both, and only the first is passed on. 0 on success;
 * -1 after any error. */
typedef void (*geo_point_fn)(void *ctx, const char *slug, double lat,
			     double lon, int record);
/* A record with an empty shape (no point) is a warning and skipped; when
 * empty is not NULL it is also called with the record's slug (when it
 * has one and it can be read), and its record number. */
typedef void (*geo_empty_point_fn)(void *ctx, const char *slug, int record);
int geo_read_points_in(const sfs_root *root, const char *rel,
		       const char *shown, const char *slug_field,
		       geo_point_fn fn, geo_empty_point_fn empty, void *ctx,
		       diags_t *d);

/* Whether the n bytes of wkt (a .prj's text) are, but for a UTF-8 byte
 * order mark and blanks around them, one of the WGS 84
 * longitude/latitude CRSs as GIS tools commonly write them (ESRI's WKT,
 * which Natural Earth's basemaps carry, and OGC WKT 1 of EPSG:4326): a
 * .prj the reading then takes as it is, with no PROJ context, which
 * would cost some 12 ms of every build (PROJ's database opened, the WKT
 * parsed). Any other text, even one PROJ reads as the same CRS, is 0 and
 * goes to PROJ. geo_wgs84_wkt(i) is the i-th such text, NULL past the
 * last (tests: each must be what PROJ reads as WGS 84 lon/lat). */
int geo_wkt_is_known_wgs84(const char *wkt, size_t n);
const char *geo_wgs84_wkt(size_t i);

/* The same for a trusted path (tests and tools): the parts must lie in
 * the .shp's own folder. shown may be NULL (then shp_path). */
int geo_read_polygons(const char *shp_path, const char *shown,
		      const char *code_field, const char *name_field,
		      geo_layer *out, diags_t *d);
int geo_read_points(const char *shp_path, const char *shown,
		    const char *slug_field, geo_point_fn fn, void *ctx,
		    diags_t *d);

/* ---- rings.c -------------------------------------------------------------
 * owner[i] (n entries, caller-allocated) gets, for each ring i with
 * hole = 1, the index of the outer ring of smallest area that holds it
 * (most of its vertices inside), or -1 for none; -1 for outer rings.
 * skip_cut = 1 ignores vertices at x = +-180 when testing (they lie on the
 * cut line a hole and its outer ring share after projection.c cuts them).
 * O(n log n) in rings; the work is bounded, past which holes stay without
 * an owner (see rings.c). */
void geo_hole_owners(const geo_ring *rings, size_t n, int skip_cut,
		     long *owner);
/* Reorder rings in place: each outer ring in its order followed by the
 * holes it owns, then holes without an owner. */
void geo_rings_order(geo_ring *rings, size_t n, const long *owner);

/* ---- project.c -----------------------------------------------------------
 * spec: NULL/"" or "equal-earth", "robinson", "natural-earth", "mercator",
 * "equirectangular", or any PROJ string ("+proj=... +lon_0=..."). */
typedef struct geo_proj geo_proj;
/* Where spec was written, for messages (1-based line and column). */
typedef struct geo_where {
	const char *path;
	int line, col;
	int text_col; /* the column of the spec's first character when it is
			 written as it is on that line, else 0: a mistake
			 inside it is then told at its own column */
} geo_where;
/* NULL after a DIAG_ERROR at at (a spec PROJ refuses), or a DIAG_FATAL
 * when PROJ cannot start. */
geo_proj *geo_proj_new_at(const char *spec, const geo_where *at, diags_t *d);
/* Where text (a projection spec, or a .prj's WKT, which may carry a PROJ.4
 * string) asks PROJ to read a file: a parameter init, grids, nadgrids,
 * geoidgrids, xy_grids, z_grids or any other name ending in grid or
 * grids, file or model (any case, with or without a leading '+'), a
 * PARAMETERFILE in WKT 2, a parameter's "value" given as text in
 * PROJJSON (a file's name: every other value is a number), or a word
 * starting with '@' (a PROJ file reference). The first such token (a
 * pointer into text, *len bytes, up to a blank, quote, bracket or
 * comma-free end; a PROJJSON value to its closing quote), or NULL when
 * there is none.
 * Such texts are refused: a build reads nothing outside the site, and a
 * named FIFO or device would block it. */
const char *geo_proj_file_reference(const char *text, size_t *len);
/* How deep text's brackets ([ { () nest at most. A WKT or PROJJSON CRS
 * nests some ten deep; PROJ reads a deeper one in time and memory that
 * grow with the square of the depth (25,000 levels took 23 GB), so a
 * projection or .prj nested past GEO_PROJ_MAX_DEPTH is refused before
 * PROJ sees it. */
#define GEO_PROJ_MAX_DEPTH 32
size_t geo_proj_depth(const char *text);
/* The same, with messages at site.yml:1:1 (tests and tools). */
geo_proj *geo_proj_new(const char *spec, diags_t *d);
/* A PROJ context for partnermap: its errors kept in *log
 * (geo_proj_keep_log), no network, and a file API that refuses every
 * file (proj_context_set_fileapi, PROJ 7 and later): grids, init files
 * and proj.ini are never opened, whatever a projection or a .prj names,
 * so no parameter the check above has not heard of can read outside the
 * site or block on a FIFO. PROJ's database (proj.db), found once in
 * PROJ's own data folders (never the working folder's), is named to it
 * and opened by SQLite, so CRS codes still resolve; with_database 0 names
 * none, for a context that only makes a projection from a PROJ string
 * (proj=...): finding and opening proj.db took some 6 ms of every build,
 * for nothing. NULL when PROJ cannot start. Thread-safe.
 * The caller owns it (proj_context_destroy). */
struct pj_ctx;
struct pj_ctx *geo_proj_context_new(char **log, int with_database);
/* PROJ contexts geo_proj_context_new made so far in this process, and of
 * them those given proj.db: for tests and measurements. */
size_t geo_proj_contexts_made(void);
size_t geo_proj_databases_named(void);
/* How many files PROJ asked such contexts to open, all refused (tests). */
unsigned long geo_proj_files_refused(void);
/* A PROJ logging function (for proj_log_func) that keeps the last error
 * PROJ reported, for a message to quote: app is a char ** whose string
 * (owned by the caller, freed with free) it replaces. Messages below
 * PJ_LOG_ERROR (debug, trace) are passed over. */
void geo_proj_keep_log(void *app, int level, const char *msg);
void geo_proj_free(geo_proj *p);
/* Project one point; y grows northwards. 0 on success, -1 when PROJ cannot
 * (e.g. a pole in Mercator). Not thread-safe: one geo_proj per thread. */
int geo_proj_point(geo_proj *p, double lon, double lat, geo_pt *out);
/* The latitude the map stops at, north and south: 90, or 85 for
 * projections that send the poles to infinity (Mercator). */
double geo_proj_lat_max(const geo_proj *p);
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
/* Set f->bbox to the box over every vertex of every ring; a feature
 * without points gets the empty box, so no point falls inside it. */
void geo_feature_bbox(geo_feature *f);

/* An index for locating many points in one layer, giving the same answers
 * as geo_locate_point and geo_point_in_feature in time that grows with the
 * edges near the point's latitude rather than with the feature's size.
 * It refers to the layer (which must outlive it and not change) and is
 * read-only once built: threads may share it. Memory: at most 4 entries
 * per vertex, 4 bytes each, for features of 256 vertices and more. */
typedef struct geo_locator geo_locator;
geo_locator *geo_locator_new(const geo_layer *lonlat);
void geo_locator_free(geo_locator *x);
int geo_locator_find(const geo_locator *x, const geo_layer *lonlat, double lon,
		     double lat);
int geo_locator_in_feature(const geo_locator *x, const geo_layer *lonlat,
			   size_t f, double lon, double lat);
/* geo_distance_km through the index: the same number, looking at the edges
 * near the point's latitude (all of them for a point far from f). */
double geo_locator_distance_km(const geo_locator *x, const geo_layer *lonlat,
			       size_t f, double lon, double lat);

#endif
