/* map.h - the geography stage as the build sees it: load the basemap once,
 * then locate points in it and write SVG maps of it. A geo_map is
 * read-only after geo_map_load, so pages may render maps on several
 * threads at once. */
#ifndef PM_GEO_MAP_H
#define PM_GEO_MAP_H

#include <stddef.h>

#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/safefs.h"
#include "geo.h"

typedef struct geo_map geo_map;

/* A place on the Earth in degrees, WGS 84, longitude first as in d3-geo
 * and GeoJSON (RFC 7946). A named pair, so that handing over (lat, lon)
 * where (lon, lat) is meant does not compile. */
typedef struct geo_lonlat {
	double lon, lat;
} geo_lonlat;

/* Bytes in the key of what a basemap's simplification made. */
#define GEO_DRAWN_KEY 32

/* Where the outcome of simplifying a basemap may be kept for the next
 * load (a build's is a file beside the output, build.c): the threshold of
 * each vertex, which rings are written backwards, and the feature each
 * keep point was found in, under a key (SHA-256, FIPS 180-4) of all it is
 * made from: the projected topology, the lon/lat features, the
 * projection as written, the simplify share and the keep points. Keeping
 * partners inside their countries is most of a load's time (some 25 ms
 * of 30 at 10,000 partners), and a build after an edit that moves no
 * partner makes the same outcome again. The store does not know the
 * program: its owner keys the bytes on it too (a new partnermap may
 * simplify otherwise). */
typedef struct geo_drawn_store {
	/* The bytes put under key by an earlier load, appended to *out: 0;
	 * -1 when it has none. They are untrusted: the load checks their
	 * shape (geo_map_load takes only bytes it would make) and simplifies
	 * afresh when they do not fit. */
	int (*get)(void *ctx, const unsigned char *key, buf_t *out);
	/* The bytes a load made, under key (n bytes at bytes, the caller's:
	 * copy them). */
	void (*put)(void *ctx, const unsigned char *key, const void *bytes,
		    size_t n);
	/* Or NULL: the bytes get gave were not what this load makes (a
	 * value out of shape), and were not taken; put follows. */
	void (*refused)(void *ctx);
	void *ctx;
} geo_drawn_store;

typedef struct geo_options {
	/* When set, basemap is relative to root and every part of it is read
	 * confined to root (geo_read_polygons_in); when NULL, basemap is a
	 * trusted path (tests and tools). */
	const sfs_root *root;
	const char *basemap;       /* path to the .shp as opened */
	const char *basemap_shown; /* the same path as messages show it */
	const char *iso_field;     /* DBF field with the alpha-3 code */
	const char *name_field;    /* DBF field with the name */
	/* Codes for features the iso_field leaves without one, or marks
	 * otherwise than the records (geo.h); read only with root set. */
	geo_matches match;
	const char *projection;    /* NULL or "" = equal-earth */
	/* where projection was written, for messages; NULL: site.yml:1:1 */
	const geo_where *projection_at;
	double simplify;           /* 0 < s <= 1, share of detail kept; 0 = default */
	int graticule;             /* 1 = draw a 30-degree graticule */
	/* Points that must stay inside the country they are in after
	 * simplification (the partners' locations), or NULL. */
	const geo_lonlat *keep;
	size_t nkeep;
	/* When not NULL (nkeep entries, the caller's): where the load found
	 * each keep point, as geo_map_locate would give it on the map made
	 * (a feature or -1), or GEO_UNFOUND for a point it did not look up
	 * (simplification off, or its budget spent): finding them is the
	 * costly part of locating the partners, done once. */
	int *keep_found;
	/* NULL, or where to look for this load's simplification first, and
	 * keep it when it is made (see above). */
	const geo_drawn_store *drawn;
} geo_options;

/* geo_options.keep_found for a point the load did not look up. */
#define GEO_UNFOUND (-2)

/* Read, project, build topology, simplify. NULL on failure with a
 * DIAG_FATAL (bad/missing file) or DIAG_ERROR (bad projection) in d;
 * warnings (null shapes, missing .prj) may be added on success. */
geo_map *geo_map_load(const geo_options *opt, diags_t *d);
void geo_map_free(geo_map *m);

/* What decides how m's outlines are drawn beyond the basemap and the
 * projection, handed to put(ctx, bytes, n) piece by piece: the
 * simplification's threshold for each vertex and the world map's, and
 * which rings are written backwards. The keep points move them (a partner
 * near a border keeps the vertices that hold it in its country), so a
 * build that keeps pages from the last one digests them (publish/reuse.h):
 * one partner moved can change the outlines every map draws. The bytes
 * are m's, valid while m is. */
void geo_map_drawn(const geo_map *m,
		   void (*put)(void *ctx, const void *bytes, size_t n), void *ctx);

size_t geo_map_count(const geo_map *m);
const char *geo_map_code(const geo_map *m, size_t feature);  /* or NULL */
const char *geo_map_name(const geo_map *m, size_t feature);
/* The feature whose code is alpha3, or -1. */
int geo_map_find(const geo_map *m, const char *alpha3);

/* The feature containing at, or -1 for none (sea, a country the basemap
 * lacks, or a coordinate that is not finite). */
int geo_map_locate(const geo_map *m, geo_lonlat at);
/* Distance in km from at to the nearest point of the feature (0 inside
 * it); INFINITY for a feature that does not exist. */
double geo_map_distance_km(const geo_map *m, int feature, geo_lonlat at);

/* The latitude the map stops at, north and south: 90, or 85 for a
 * projection that sends the poles to infinity (Mercator). Markers beyond
 * it are drawn on the map's edge, at +-geo_map_lat_max. */
double geo_map_lat_max(const geo_map *m);

/* Where each of the n places `at` stands on the world map geo_map_svg
 * draws (focus -1): out[i] in the map's viewBox units, x right and y
 * down, NAN for a place the projection cannot hold. A marker beyond
 * geo_map_lat_max stands on the map's edge, as drawn. For clustering the
 * markers of a world map (cluster.h) in the pixels they are drawn at. */
void geo_map_world_points(const geo_map *m, const geo_lonlat *at, size_t n,
			  geo_pt *out);

typedef struct geo_marker {
	const char *slug;
	const char *href;       /* link target, already relative to the page */
	const char *label;      /* "Name, City, Country": title and aria-label */
	const char *networks;   /* network slugs separated by spaces */
	const char *exchanges;  /* exchange levels separated by spaces */
	const char *colour;     /* "#rrggbb" fill of its first network */
	/* The display rank of the network that styles it (the one its
	 * colour and class name come from), or -1 for none: geo_shape_pick
	 * (shapes.h) turns it into the shape drawn. */
	int shape;
	geo_lonlat at;          /* where it stands */
	/* 0 or 1: one partner, drawn as its network's shape. Above 1: a
	 * cluster of that many partners (cluster.h), drawn as a disc showing
	 * the count and linking to href (the page listing them); slug is
	 * then the cluster's own key, label says what it holds, and
	 * networks, exchanges, colour and shape are not used. */
	size_t count;
} geo_marker;

/* Locator maps already drawn, for a build that draws many framed on the
 * same countries (an institution page per partner, ~50 countries): the
 * geography of a map framed on a feature (sphere and countries, at each
 * level of detail its byte budget tried) is drawn once and its bytes
 * reused, so a map drawn through the cache is byte for byte the map
 * drawn without it. Title, description and markers are written for each
 * map. Thread-safe (a mutex); it serves maps of one geo_map, one id_prefix
 * and one has_partners array (those of its first use: others are drawn
 * afresh), which must outlive it. Holds at most a few KB per feature and
 * level of detail. */
typedef struct geo_svg_cache geo_svg_cache;
geo_svg_cache *geo_svg_cache_new(const geo_map *m);
void geo_svg_cache_free(geo_svg_cache *c); /* NULL is fine */

typedef struct geo_svg_options {
	const char *title;       /* <title> of the whole map */
	const char *desc;        /* <desc> */
	const char *id_prefix;   /* prefix for every id, "" for none */
	int standalone;          /* 1: XML declaration + xmlns (map.svg) */
	int focus;               /* -1: the world; else a feature to frame,
	                            drawn highlighted, neighbours faint */
	double focus_lat, focus_lon; /* framed when focus < 0 and use_point */
	int use_point;
	const unsigned char *has_partners; /* per feature: 1 = class has-partners; may be NULL */
	/* CSS written as a <style> element after <desc> (XML-escaped), or
	 * NULL/"" for none: a standalone map.svg carries the theme's map
	 * rules (assets/map.css) so it looks right alone. The caller checks
	 * that it holds only characters XML allows. */
	const char *style;
	/* Per feature, the name its <title> shows (a translation), or NULL
	 * (the whole array or an entry) for the basemap's name. */
	const char *const *names;
	/* Where locator maps framed on a feature are kept (see above), or
	 * NULL to draw every map afresh. World maps do not use it. */
	geo_svg_cache *cache;
	/* A map with more than cluster_over markers (0: never) draws them
	 * clustered (geo/cluster.h): the markers in one cell of side
	 * cluster_cell viewBox units become one count marker, a marker
	 * alone in its cell stays itself. cluster_text, called with
	 * cluster_arg, gives a cluster of n markers, the first of them (in
	 * the order given) `first`, its label (title and aria-label) and its
	 * count as shown (the language's digits): fresh strings the map
	 * frees. */
	size_t cluster_over;
	double cluster_cell;
	void (*cluster_text)(void *arg, const geo_marker *first, size_t n,
			     char **label, char **count);
	void *cluster_arg;
	/* Texts made as the markers are drawn, or NULL: the markers carry
	 * them. When set, the markers given need only slug, colour, shape,
	 * at and count; marker_texts(texts_arg, mk) sets the href, label,
	 * networks and exchanges of a copy of a marker to fresh strings (the
	 * map frees them) just before it is drawn, or stands first in a
	 * count marker. A map of 50,000 clustered members so holds the texts
	 * of one marker at a time, not 50,000 of them (some 20 MB). */
	void (*marker_texts)(void *arg, geo_marker *mk);
	void *texts_arg;
} geo_svg_options;

/* Append the SVG markup of the map with its markers to out. 0 on success.
 * The markup names what it draws by class (themes/README.md, "The map
 * markup") and carries no colours but each marker's fill (its colour):
 * the theme's CSS paints the rest. */
int geo_map_svg(const geo_map *m, const geo_marker *markers, size_t n,
		const geo_svg_options *o, buf_t *out);

#endif
