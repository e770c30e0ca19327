/* map.c - the geography stage as the build sees it (map.h): read the
 * basemap once, project it, build its border topology and simplify it;
 * then answer "which country is this point in" and write SVG maps.
 *
 * Threads. geo_map_load and geo_map_free own the map: nothing else may use
 * it meanwhile. After loading the map is read-only, with one exception:
 * the geo_proj (a PROJ context and transformation, which PROJ does not
 * allow two threads to use at once). geo_map_svg projects its marker
 * points under proj_lock, a mutex held only for those few projections,
 * then writes the SVG with scratch space of its own, so any number of
 * threads may call geo_map_svg, geo_map_locate, geo_map_distance_km,
 * geo_map_find and the accessors together. libxml2 keeps global state
 * that it sets up on first use; loading a map sets it up (svg_init), so
 * that threads never race to do it. */
#include "map.h"

#include <math.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "topo.h"
#include "../util/order.h"

#define GRATICULE_STEP 30.0

/* ---- per-feature boxes --------------------------------------------------- */

/* What a locator map frames: the feature's largest outer ring and every
 * outer ring within half that ring's size of it. Far-off parts (French
 * Guiana for France, Alaska for the USA, the sliver of Russia east of the
 * antimeridian) would otherwise stretch the frame across the world. */
static void main_box(const topo *t, size_t f, geo_box *out, geo_pt **pts,
		     size_t *cap)
{
	const topo_feature *feat = &t->feat[f];
	double best = -1;
	geo_box near = geo_box_empty(), *boxes;
	size_t nr = feat->n;
	boxes = xmalloc((nr + 1) * sizeof *boxes);
	*out = geo_box_empty();
	for (size_t k = 0; k < nr; k++) {
		size_t r = feat->first + k;
		size_t n = topo_ring_points(t, r, NULL, pts, cap);
		boxes[k] = geo_box_empty();
		if (t->ring[r].hole)
			continue;
		geo_box_extend_pts(&boxes[k], *pts, n);
		double area = fabs(topo_area(*pts, n));
		if (area > best) {
			best = area;
			near = boxes[k];
		}
	}
	if (best >= 0) {
		double grow = fmax(geo_box_width(&near), geo_box_height(&near)) / 2;
		near.xmin -= grow;
		near.ymin -= grow;
		near.xmax += grow;
		near.ymax += grow;
		for (size_t k = 0; k < nr; k++)
			if (isfinite(boxes[k].xmin) && geo_box_meets(&boxes[k], &near))
				geo_box_merge(out, &boxes[k]);
	}
	free(boxes);
}

static void feature_boxes(geo_map *m, geo_layer *xy)
{
	size_t n = m->topo.nfeat, cap = 0;
	geo_pt *pts = NULL;
	m->fbox = xmalloc((n + 1) * sizeof *m->fbox);
	m->fmain = xmalloc((n + 1) * sizeof *m->fmain);
	for (size_t f = 0; f < n; f++) {
		geo_feature_bbox(&xy->f[f]);
		m->fbox[f] = xy->f[f].bbox;
		main_box(&m->topo, f, &m->fmain[f], &pts, &cap);
		if (!isfinite(m->fmain[f].xmin))
			m->fmain[f] = m->fbox[f];
	}
	free(pts);
}

/* ---- codes ------------------------------------------------------------------ */

/* qsort and bsearch get no context pointer, so the sort runs on pairs of
 * (code, index) and the index array is read back from them. */
static void index_codes(geo_map *m)
{
	size_t n = m->lonlat.n, k = 0;
	named_at *keys = xmalloc((n + 1) * sizeof *keys);
	for (size_t f = 0; f < n; f++)
		if (m->lonlat.f[f].code && *m->lonlat.f[f].code)
			keys[k++] = (named_at){m->lonlat.f[f].code, f};
	named_at_sort(keys, k, 1);
	m->by_code = xmalloc((k + 1) * sizeof *m->by_code);
	for (size_t i = 0; i < k; i++)
		m->by_code[i] = (int)keys[i].at;
	m->ncode = k;
	free(keys);
}

/* ---- loading ------------------------------------------------------------------ */

static double simplify_share(double s)
{
	if (!(s > 0)) /* 0, negative or NaN: the default */
		return 0;
	return s > 1 ? 1 : s;
}

/* Partners stay inside their country as drawn. Each point is probed at
 * itself and half a unit around it (what the path grid may move), keeping
 * only the probes that are inside the country at full detail: a coastal
 * city whose surroundings are sea cannot ask for the sea. The work is
 * bounded (TOPO_KEEP_WORK): past it, the remaining partners are drawn
 * where the simplified outline puts them. */
static void keep_points(geo_map *m, const geo_options *opt, double unit,
			int *found)
{
	size_t added = 0;
	unsigned long long work = 0;
	topo_snap snap;
	svg_world_snap(m, &snap);
	topo_outlines *o = topo_outlines_new(&m->topo, m->topo.threshold, &snap);
	for (size_t i = 0; i < opt->nkeep && work < TOPO_KEEP_WORK; i++) {
		double lat = opt->keep[i].lat, lon = opt->keep[i].lon;
		int f = geo_map_locate(m, (geo_lonlat){lon, lat});
		found[i] = f;
		geo_pt c;
		if (f < 0 || geo_proj_point(m->proj, lon, lat, &c) < 0)
			continue;
		work += 5 * (unsigned long long)topo_feature_vertices(&m->topo, f);
		double h = unit / 2;
		geo_pt around[5] = {c, {c.x - h, c.y}, {c.x + h, c.y},
				    {c.x, c.y - h}, {c.x, c.y + h}};
		geo_pt probe[5];
		size_t n = 0;
		for (size_t k = 0; k < 5; k++)
			if (topo_outlines_contains(o, f, around[k]))
				probe[n++] = around[k];
		added += topo_outlines_keep_inside(o, f, probe, n, unit / 2, &work);
	}
	topo_outlines_free(o);
	if (added)
		topo_repair_crossings(&m->topo, m->topo.threshold);
}

static double *line_thresholds(const geo_pt *p, size_t n)
{
	double *thr = xmalloc((n + 1) * sizeof *thr);
	if (n)
		topo_visvalingam(p, n, thr);
	return thr;
}

/* The world map snaps every vertex to its path grid, and two lines that
 * pass within a grid step of each other may cross once snapped (a long
 * coastal segment and a border vertex beside it). Repair the crossings as
 * drawn: the same repair, run on the snapped points. */
static void repair_as_drawn(geo_map *m)
{
	topo *t = &m->topo;
	topo_snap snap;
	svg_world_snap(m, &snap);
	geo_pt *exact = t->pt;
	geo_pt *drawn = xmalloc((t->npt + 1) * sizeof *drawn);
	for (size_t v = 0; v < t->npt; v++) {
		drawn[v].x = (double)geo_round((exact[v].x - snap.x0) * snap.s / snap.step) * snap.step;
		drawn[v].y = (double)geo_round((snap.y1 - exact[v].y) * snap.s / snap.step) * snap.step;
	}
	t->pt = drawn;
	t->repaired += topo_repair_crossings(t, t->threshold);
	t->pt = exact;
	free(drawn);
}

/* ---- the simplification kept (geo_drawn_store) ------------------------ */

#define DRAWN_TAG "partnermap geo drawn 1\n"

static void h_u64(struct sha256_ctx *h, unsigned long long v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sha256_update(h, sizeof b, b);
}

static void h_f64(struct sha256_ctx *h, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	h_u64(h, bits);
}

static void h_pts(struct sha256_ctx *h, const geo_pt *p, size_t n)
{
	h_u64(h, n);
	for (size_t i = 0; i < n; i++) {
		h_f64(h, p[i].x);
		h_f64(h, p[i].y);
	}
}

/* The key of m's simplification (geo_drawn_store): field by field, never
 * a struct's bytes (their padding is not the data). */
static void drawn_key(const geo_map *m, const geo_options *opt, double unit,
		      unsigned char *key)
{
	const topo *t = &m->topo;
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, sizeof DRAWN_TAG - 1, (const uint8_t *)DRAWN_TAG);
	const char *proj = opt->projection ? opt->projection : "";
	h_u64(&h, strlen(proj));
	sha256_update(&h, strlen(proj), (const uint8_t *)proj);
	h_f64(&h, simplify_share(opt->simplify));
	h_f64(&h, unit);
	h_pts(&h, m->sphere.p, m->sphere.n);
	h_pts(&h, t->pt, t->npt);
	h_u64(&h, t->narc);
	for (size_t i = 0; i < t->narc; i++) {
		const topo_arc *a = &t->arc[i];
		h_u64(&h, a->first);
		h_u64(&h, a->n);
		h_u64(&h, (unsigned long long)(long long)a->nfeat);
		h_u64(&h, (unsigned long long)(long long)a->feat[0]);
		h_u64(&h, (unsigned long long)(long long)a->feat[1]);
	}
	h_u64(&h, t->nref);
	for (size_t i = 0; i < t->nref; i++)
		h_u64(&h, (unsigned long long)(long long)t->ref[i]);
	h_u64(&h, t->nring);
	for (size_t i = 0; i < t->nring; i++) {
		h_u64(&h, t->ring[i].first);
		h_u64(&h, t->ring[i].n);
		h_u64(&h, (unsigned long long)(long long)t->ring[i].hole);
	}
	h_u64(&h, t->nfeat);
	for (size_t i = 0; i < t->nfeat; i++) {
		h_u64(&h, t->feat[i].first);
		h_u64(&h, t->feat[i].n);
	}
	/* the features as read: where a keep point is found */
	h_u64(&h, m->lonlat.n);
	for (size_t f = 0; f < m->lonlat.n; f++) {
		const geo_feature *g = &m->lonlat.f[f];
		h_u64(&h, g->nrings);
		for (size_t r = 0; r < g->nrings; r++) {
			h_u64(&h, (unsigned long long)(long long)g->rings[r].hole);
			h_pts(&h, g->rings[r].p, g->rings[r].n);
		}
	}
	h_u64(&h, opt->nkeep);
	for (size_t i = 0; i < opt->nkeep; i++) {
		h_f64(&h, opt->keep[i].lon);
		h_f64(&h, opt->keep[i].lat);
	}
	sha256_digest(&h, GEO_DRAWN_KEY, key);
}

/* The bytes of a simplification (every integer little-endian): u64 npt,
 * nring, nkeep; f64 threshold; u64 removable, repaired, rescued; f64 thr
 * of each vertex; u8 flip of each ring (0 or 1); i32 found of each keep
 * point. A double is its IEEE 754 bits as a u64. */
static void put_u64(buf_t *b, unsigned long long v)
{
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, x, sizeof x);
}

static void put_f64(buf_t *b, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	put_u64(b, bits);
}

static void drawn_encode(const geo_map *m, const int *found, size_t nkeep,
			 buf_t *b)
{
	const topo *t = &m->topo;
	put_u64(b, t->npt);
	put_u64(b, t->nring);
	put_u64(b, nkeep);
	put_f64(b, t->threshold);
	put_u64(b, t->removable);
	put_u64(b, t->repaired);
	put_u64(b, t->rescued);
	for (size_t v = 0; v < t->npt; v++)
		put_f64(b, t->thr[v]);
	for (size_t r = 0; r < t->nring; r++)
		buf_putc(b, m->flips && m->flips[r] ? 1 : 0);
	for (size_t k = 0; k < nkeep; k++) {
		uint32_t u = (uint32_t)found[k];
		unsigned char x[4] = {(unsigned char)u, (unsigned char)(u >> 8),
				      (unsigned char)(u >> 16),
				      (unsigned char)(u >> 24)};
		buf_put(b, x, sizeof x);
	}
}

static unsigned long long get_u64(const unsigned char *p)
{
	unsigned long long v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static double get_f64(const unsigned char *p)
{
	uint64_t bits = get_u64(p);
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

/* Take the n bytes at p as m's simplification, found[k] for each keep
 * point: 1; 0 (m and found untouched) when they are not what a load of
 * this topology and these keep points makes: another count, a size that
 * does not add up, a threshold that is NaN or below 0, a flip not 0 or 1,
 * a feature that is none of m's. */
static int drawn_decode(geo_map *m, const unsigned char *p, size_t n,
			int *found, size_t nkeep)
{
	topo *t = &m->topo;
	if (n < 7 * 8 || get_u64(p) != t->npt || get_u64(p + 8) != t->nring ||
	    get_u64(p + 16) != nkeep)
		return 0;
	/* the counts are this map's, so the sum cannot overflow */
	if (n != 7 * 8 + t->npt * 8 + t->nring + nkeep * 4)
		return 0;
	double threshold = get_f64(p + 24);
	if (!(threshold >= 0))
		return 0;
	const unsigned char *thr = p + 56, *flips = thr + t->npt * 8,
			    *at = flips + t->nring;
	for (size_t v = 0; v < t->npt; v++)
		if (!(get_f64(thr + 8 * v) >= 0))
			return 0;
	for (size_t r = 0; r < t->nring; r++)
		if (flips[r] > 1)
			return 0;
	for (size_t k = 0; k < nkeep; k++) {
		const unsigned char *q = at + 4 * k;
		int32_t f = (int32_t)((uint32_t)q[0] | (uint32_t)q[1] << 8 |
				      (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24);
		if (f != GEO_UNFOUND && (f < -1 || (size_t)(f + 1) > m->lonlat.n))
			return 0;
	}
	t->thr = xmalloc((t->npt + 1) * sizeof *t->thr);
	for (size_t v = 0; v < t->npt; v++)
		t->thr[v] = get_f64(thr + 8 * v);
	t->threshold = threshold;
	t->removable = (size_t)get_u64(p + 32);
	t->repaired = (size_t)get_u64(p + 40);
	t->rescued = (size_t)get_u64(p + 48);
	m->flips = xmalloc(t->nring + 1);
	memcpy(m->flips, flips, t->nring);
	for (size_t k = 0; k < nkeep; k++) {
		const unsigned char *q = at + 4 * k;
		found[k] = (int32_t)((uint32_t)q[0] | (uint32_t)q[1] << 8 |
				     (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24);
	}
	return 1;
}

/* Simplify m's topology, keep the partners inside their countries and
 * repair what that crossed; or take all of it from opt->drawn, when it
 * holds what this would make. 0, or -1 when simplifying failed. */
static int simplify_kept(geo_map *m, const geo_options *opt, double unit)
{
	int *found = xmalloc((opt->nkeep + 1) * sizeof *found);
	for (size_t k = 0; k < opt->nkeep; k++)
		found[k] = GEO_UNFOUND;
	unsigned char key[GEO_DRAWN_KEY];
	int kept = 0;
	buf_t b = BUF_INIT;
	if (opt->drawn) {
		drawn_key(m, opt, unit, key);
		int given = opt->drawn->get(opt->drawn->ctx, key, &b) == 0;
		kept = given && drawn_decode(m, (const unsigned char *)b.ptr,
					     b.len, found, opt->nkeep);
		if (given && !kept && opt->drawn->refused)
			opt->drawn->refused(opt->drawn->ctx);
	}
	if (!kept) {
		if (topo_simplify(&m->topo, simplify_share(opt->simplify), unit) < 0) {
			buf_free(&b);
			free(found);
			return -1;
		}
		keep_points(m, opt, unit, found);
		repair_as_drawn(m);
		m->flips = topo_ring_flips(&m->topo, m->topo.threshold);
		if (opt->drawn) {
			buf_reset(&b);
			drawn_encode(m, found, opt->nkeep, &b);
			opt->drawn->put(opt->drawn->ctx, key, b.ptr, b.len);
		}
	}
	if (opt->keep_found)
		memcpy(opt->keep_found, found, opt->nkeep * sizeof *found);
	buf_free(&b);
	free(found);
	return 0;
}

/* What the projection could not draw (the basemap, the outline of the
 * globe): an error at site.yml's projection:, which is what to change
 * (PROJ placed a 10-degree grid, but not this: a degenerate sphere, say);
 * a DIAG_FATAL naming the basemap when that place is not known. */
static void cannot_project(const geo_options *opt, const char *shown,
			   const char *what, diags_t *d)
{
	const geo_where *at = opt->projection_at;
	if (at && at->path)
		diag_error(d, at->path, at->line, at->col, "projection: PROJ cannot "
			   "draw %s with it; choose equal-earth, robinson, "
			   "natural-earth, mercator or equirectangular, or a PROJ "
			   "string of a projection of the whole world", what);
	else
		diag_fatal(d, shown, "cannot project %s", what);
}

/* Project and simplify; on failure cannot_project says why. */
static int build_geometry(geo_map *m, const geo_options *opt,
			  const char *shown, diags_t *d)
{
	geo_layer xy = {NULL, 0};
	if (geo_proj_layer(m->proj, &m->lonlat, &xy) < 0 ||
	    xy.n != m->lonlat.n) {
		geo_layer_free(&xy);
		cannot_project(opt, shown, "the basemap", d);
		return -1;
	}
	if (geo_proj_sphere(m->proj, &m->sphere) < 0 || m->sphere.n < 3 ||
	    (opt->graticule &&
	     geo_proj_graticule(m->proj, GRATICULE_STEP, &m->grat, &m->ngrat) < 0)) {
		geo_layer_free(&xy);
		cannot_project(opt, shown, "the outline of the globe", d);
		return -1;
	}
	m->sphere_thr = line_thresholds(m->sphere.p, m->sphere.n);
	m->grat_thr = xcalloc(m->ngrat + 1, sizeof *m->grat_thr);
	for (size_t i = 0; i < m->ngrat; i++)
		m->grat_thr[i] = line_thresholds(m->grat[i].p, m->grat[i].n);
	if (topo_build(&xy, &m->topo) < 0) {
		geo_layer_free(&xy);
		diag_fatal(d, shown, "basemap too large for its topology");
		return -1;
	}
	feature_boxes(m, &xy);
	geo_layer_free(&xy);

	m->sbox = geo_box_empty();
	geo_box_extend_pts(&m->sbox, m->sphere.p, m->sphere.n);
	double unit = geo_box_width(&m->sbox) / GEO_WORLD_UNITS;
	return simplify_kept(m, opt, unit);
}

geo_map *geo_map_from_layer(geo_layer *lonlat, const geo_options *opt,
			    diags_t *d)
{
	static const geo_where start = {"site.yml", 1, 1, 0};
	const char *shown = opt->basemap_shown ? opt->basemap_shown : opt->basemap;
	geo_map *m = xcalloc(1, sizeof *m);
	m->lonlat = *lonlat;
	lonlat->f = NULL;
	lonlat->n = 0;
	if (pthread_mutex_init(&m->proj_lock, NULL) != 0) {
		geo_layer_free(&m->lonlat);
		free(m);
		diag_fatal(d, shown, "cannot create a mutex");
		return NULL;
	}
	svg_init();
	m->loc = geo_locator_new(&m->lonlat);
	m->proj = geo_proj_new_at(opt->projection, opt->projection_at ?
				  opt->projection_at : &start, d);
	if (!m->proj || build_geometry(m, opt, shown, d) < 0) {
		geo_map_free(m);
		return NULL;
	}
	index_codes(m);
	return m;
}

geo_map *geo_map_load(const geo_options *opt, diags_t *d)
{
	const char *shown = opt->basemap_shown ? opt->basemap_shown : opt->basemap;
	const char *iso = opt->iso_field ? opt->iso_field : "iso_a3";
	const char *name = opt->name_field ? opt->name_field : "name";
	for (size_t i = 0; opt->keep_found && i < opt->nkeep; i++)
		opt->keep_found[i] = GEO_UNFOUND;
	geo_layer lonlat = {NULL, 0};
	int rc = opt->root
		? geo_read_polygons_in(opt->root, opt->basemap, shown, iso, name,
				       &opt->match, &lonlat, d)
		: geo_read_polygons(opt->basemap, shown, iso, name, &lonlat, d);
	if (rc < 0) {
		geo_layer_free(&lonlat);
		return NULL;
	}
	return geo_map_from_layer(&lonlat, opt, d);
}

void geo_map_free(geo_map *m)
{
	if (!m)
		return;
	geo_locator_free(m->loc);
	geo_layer_free(&m->lonlat);
	geo_proj_free(m->proj);
	pthread_mutex_destroy(&m->proj_lock);
	topo_free(&m->topo);
	free(m->fbox);
	free(m->fmain);
	free(m->sphere.p);
	free(m->sphere_thr);
	for (size_t i = 0; m->grat_thr && i < m->ngrat; i++)
		free(m->grat_thr[i]);
	free(m->grat_thr);
	geo_lines_free(m->grat, m->ngrat);
	free(m->flips);
	free(m->by_code);
	free(m);
}

/* ---- questions ------------------------------------------------------------------ */

void geo_map_drawn(const geo_map *m,
		   void (*put)(void *ctx, const void *bytes, size_t n), void *ctx)
{
	const topo *t = &m->topo;
	put(ctx, &t->threshold, sizeof t->threshold);
	if (t->thr)
		put(ctx, t->thr, t->npt * sizeof *t->thr);
	if (m->flips)
		put(ctx, m->flips, t->nring);
}

size_t geo_map_count(const geo_map *m)
{
	return m->lonlat.n;
}

const char *geo_map_code(const geo_map *m, size_t feature)
{
	return feature < m->lonlat.n ? m->lonlat.f[feature].code : NULL;
}

const char *geo_map_name(const geo_map *m, size_t feature)
{
	return feature < m->lonlat.n ? m->lonlat.f[feature].name : NULL;
}

int geo_map_find(const geo_map *m, const char *alpha3)
{
	size_t lo = 0, hi = m->ncode;
	if (!alpha3)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int f = m->by_code[mid];
		int c = strcasecmp(m->lonlat.f[f].code, alpha3);
		if (c == 0) {
			/* the first of equal codes, as the sort put them */
			while (mid > 0 && !strcasecmp(m->lonlat.f[m->by_code[mid - 1]].code, alpha3))
				mid--;
			return m->by_code[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int geo_map_locate(const geo_map *m, geo_lonlat at)
{
	if (!isfinite(at.lat) || !isfinite(at.lon))
		return -1;
	return geo_locator_find(m->loc, &m->lonlat, at.lon, at.lat);
}

double geo_map_distance_km(const geo_map *m, int feature, geo_lonlat at)
{
	if (feature < 0 || (size_t)feature >= m->lonlat.n)
		return INFINITY;
	return geo_locator_distance_km(m->loc, &m->lonlat, (size_t)feature,
				       at.lon, at.lat);
}

/* ---- drawing ------------------------------------------------------------------ */

double geo_map_lat_max(const geo_map *m)
{
	return geo_proj_lat_max(m->proj);
}

/* A marker beyond the latitude the map stops at is drawn on its edge. */
static geo_pt project(const geo_map *m, double lat, double lon)
{
	geo_pt p = {NAN, NAN};
	double top = geo_proj_lat_max(m->proj);
	if (!isfinite(lat) || !isfinite(lon) ||
	    geo_proj_point(m->proj, lon, fmax(-top, fmin(top, lat)), &p) < 0)
		p.x = p.y = NAN;
	return p;
}

void geo_map_world_points(const geo_map *m, const geo_lonlat *at, size_t n,
			  geo_pt *out)
{
	pthread_mutex_t *lock = (pthread_mutex_t *)&m->proj_lock;
	pthread_mutex_lock(lock);
	for (size_t i = 0; i < n; i++)
		out[i] = project(m, at[i].lat, at[i].lon);
	pthread_mutex_unlock(lock);
	for (size_t i = 0; i < n; i++)
		out[i] = svg_world_point(m, out[i]);
}

int geo_map_svg(const geo_map *m, const geo_marker *markers, size_t n,
		const geo_svg_options *o, buf_t *out)
{
	/* the lock is the one part of a loaded map that changes */
	pthread_mutex_t *lock = (pthread_mutex_t *)&m->proj_lock;
	geo_pt *pts = xmalloc((n + 1) * sizeof *pts), focus = {NAN, NAN};
	pthread_mutex_lock(lock);
	for (size_t i = 0; i < n; i++)
		pts[i] = project(m, markers[i].at.lat, markers[i].at.lon);
	if (o->focus < 0 && o->use_point)
		focus = project(m, o->focus_lat, o->focus_lon);
	pthread_mutex_unlock(lock);
	int rc = svg_write_map(m, markers, pts, n, o,
			       o->focus < 0 && o->use_point ? &focus : NULL, out);
	free(pts);
	return rc;
}
