/* bench_map.c - how long the map stage takes: read, project, build the
 * topology, simplify, write the world map; best of several runs each.
 * Then the same for a synthetic basemap of about 550,000 vertices made by
 * densifying the 1:110m rings in memory. Last, hostile basemaps written to
 * a temporary folder: one record of 45,000 islands with a lake each, 20,000
 * nested squares around 20,000 lakes in one spot, rings of 1,000,000
 * vertices (the most a record may have) and 10,000,000 (which must be
 * refused), read and loaded as `partnermap check` does.
 *
 *   build/bench/bench_map [basemap.shp [runs]]
 *
 * Figures, never pass/fail: tests/bench/map.sh builds and runs it. */
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "geo/geo.h"
#include "geo/map.h"
#include "geo/topo.h"
#include "util/fs.h"
#include "../unit/gzsize.h"

#define TARGET_VERTICES 550000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t layer_vertices(const geo_layer *l)
{
	size_t n = 0;
	for (size_t f = 0; f < l->n; f++)
		for (size_t r = 0; r < l->f[f].nrings; r++)
			n += l->f[f].rings[r].n;
	return n;
}

static void layer_copy(const geo_layer *in, geo_layer *out)
{
	out->n = in->n;
	out->f = xcalloc(in->n ? in->n : 1, sizeof *out->f);
	for (size_t f = 0; f < in->n; f++) {
		const geo_feature *a = &in->f[f];
		geo_feature *b = &out->f[f];
		*b = *a;
		b->code = xstrdup(a->code);
		b->name = xstrdup(a->name);
		b->rings = xcalloc(a->nrings ? a->nrings : 1, sizeof *b->rings);
		for (size_t r = 0; r < a->nrings; r++) {
			b->rings[r] = a->rings[r];
			b->rings[r].p = xmalloc((a->rings[r].n + 1) * sizeof(geo_pt));
			memcpy(b->rings[r].p, a->rings[r].p, a->rings[r].n * sizeof(geo_pt));
		}
	}
}

/* ---- the synthetic basemap ------------------------------------------------ */

static int pt_less(geo_pt a, geo_pt b)
{
	return a.x < b.x || (a.x == b.x && a.y < b.y);
}

/* k - 1 points between a and b. They are computed from the lesser end,
 * so the two countries along a border get the very same points, and
 * written in the ring's direction. */
static void densify_edge(geo_pt a, geo_pt b, int k, geo_pt *out)
{
	int flip = pt_less(b, a);
	geo_pt lo = flip ? b : a, hi = flip ? a : b;
	for (int j = 1; j < k; j++) {
		double t = (double)j / k;
		geo_pt p = {lo.x + (hi.x - lo.x) * t, lo.y + (hi.y - lo.y) * t};
		out[flip ? k - 1 - j : j - 1] = p;
	}
}

static void densify(geo_layer *l, int k)
{
	for (size_t f = 0; f < l->n; f++) {
		for (size_t r = 0; r < l->f[f].nrings; r++) {
			geo_ring *g = &l->f[f].rings[r];
			geo_pt *p = xmalloc((g->n * (size_t)k + 1) * sizeof *p);
			size_t n = 0;
			for (size_t i = 0; i < g->n; i++) {
				p[n++] = g->p[i];
				densify_edge(g->p[i], g->p[(i + 1) % g->n], k, p + n);
				n += (size_t)k - 1;
			}
			free(g->p);
			g->p = p;
			g->n = n;
		}
	}
}

/* ---- one basemap, stage by stage ----------------------------------------- */

typedef struct stages {
	double read, project, topology, simplify, write, whole, locator;
} stages;

static void keep_best(double *best, double t)
{
	if (t < *best)
		*best = t;
}

/* Runs every stage `runs` times on lonlat; `read_ms` is the read time
 * measured by the caller (0 for the in-memory basemap). */
static int bench(const char *label, const geo_layer *lonlat, double read_ms,
		 int runs)
{
	stages best = {read_ms, INFINITY, INFINITY, INFINITY, INFINITY,
		       INFINITY, INFINITY};
	size_t loc_bytes = 0;
	diags_t d = DIAGS_INIT;
	geo_options opt = {.basemap = label, .basemap_shown = label};
	geo_svg_options so = {.title = "World", .desc = "Partners",
			      .id_prefix = "", .standalone = 1, .focus = -1};
	size_t vin = layer_vertices(lonlat), kept = 0, narc = 0, shared = 0;
	size_t raw = 0, gz = 0, projected = 0, arcpts = 0;

	for (int run = 0; run < runs; run++) {
		/* the stages one by one */
		double t0 = now_ms();
		geo_proj *pj = geo_proj_new(NULL, &d);
		geo_layer xy = {NULL, 0};
		if (!pj || geo_proj_layer(pj, lonlat, &xy) < 0) {
			diags_print(&d, stderr);
			return -1;
		}
		double t1 = now_ms();
		topo t;
		if (topo_build(&xy, &t) < 0)
			return -1;
		double t2 = now_ms();
		geo_ring sphere = {NULL, 0, 0};
		geo_proj_sphere(pj, &sphere);
		double x0 = INFINITY, x1 = -INFINITY;
		for (size_t i = 0; i < sphere.n; i++) {
			x0 = fmin(x0, sphere.p[i].x);
			x1 = fmax(x1, sphere.p[i].x);
		}
		double t3 = now_ms();
		topo_simplify(&t, 0, (x1 - x0) / 960);
		double t4 = now_ms();
		keep_best(&best.project, t1 - t0);
		keep_best(&best.topology, t2 - t1);
		keep_best(&best.simplify, t4 - t3);
		projected = layer_vertices(&xy);
		narc = t.narc;
		shared = topo_shared_arcs(&t);
		kept = 0;
		arcpts = t.npt;
		for (size_t i = 0; i < t.npt; i++)
			kept += t.thr[i] >= t.threshold;
		free(sphere.p);
		topo_free(&t);
		geo_layer_free(&xy);
		geo_proj_free(pj);

		/* the whole stage as the build runs it: load, then write */
		geo_layer copy;
		layer_copy(lonlat, &copy);
		double w0 = now_ms();
		geo_map *m = geo_map_from_layer(&copy, &opt, &d);
		if (!m) {
			diags_print(&d, stderr);
			return -1;
		}
		double w1 = now_ms();
		buf_t out = BUF_INIT;
		if (geo_map_svg(m, NULL, 0, &so, &out) < 0)
			return -1;
		double w2 = now_ms();
		keep_best(&best.write, w2 - w1);
		keep_best(&best.whole, best.read + (w2 - w0));
		raw = out.len;
		gz = gzip_size(out.ptr, out.len);

		/* locator maps: the biggest country and a small one */
		geo_svg_options lo = so;
		lo.standalone = 0;
		lo.id_prefix = "loc-";
		double l0 = now_ms();
		loc_bytes = 0;
		for (int k = 0; k < 2; k++) {
			buf_reset(&out);
			lo.focus = geo_map_find(m, k ? "UGA" : "RUS");
			if (geo_map_svg(m, NULL, 0, &lo, &out) < 0)
				return -1;
			loc_bytes += out.len;
		}
		keep_best(&best.locator, (now_ms() - l0) / 2);
		buf_free(&out);
		geo_map_free(m);
	}
	printf("%s\n", label);
	printf("  vertices in %zu, after projection %zu, in arcs %zu, kept %zu "
	       "(%.1f%%)\n", vin, projected, arcpts, kept,
	       100.0 * (double)kept / (double)arcpts);
	printf("  arcs %zu, shared by two countries %zu\n", narc, shared);
	printf("  map.svg %zu bytes, %zu gzipped\n", raw, gz);
	printf("  best of %d, ms: read %.2f  project %.2f  topology %.2f  "
	       "simplify %.2f  write %.2f\n", runs, best.read, best.project,
	       best.topology, best.simplify, best.write);
	printf("  whole map stage (read + load + write): %.2f ms\n", best.whole);
	printf("  a locator map (mean of RUS and UGA): %.3f ms, %zu bytes\n",
	       best.locator, loc_bytes / 2);
	diags_free(&d);
	return 0;
}

/* ---- hostile basemaps -------------------------------------------------------- */

/* dir/name.shp (.shx, .dbf) of one polygon record with the given parts. */
static int write_record(const char *dir, const char *name, int nparts,
			const int *starts, int n, const double *x, const double *y)
{
	char *shp_path = xasprintf("%s/%s.shp", dir, name);
	char *dbf_path = xasprintf("%s/%s.dbf", dir, name);
	SHPHandle shp = SHPCreate(shp_path, SHPT_POLYGON);
	DBFHandle dbf = DBFCreate(dbf_path);
	int ok = shp && dbf && DBFAddField(dbf, "iso_a3", FTString, 3, 0) == 0 &&
		 DBFAddField(dbf, "name", FTString, 20, 0) == 1;
	SHPObject *o = ok ? SHPCreateObject(SHPT_POLYGON, -1, nparts, starts, NULL,
					    n, x, y, NULL, NULL) : NULL;
	ok = o && SHPWriteObject(shp, -1, o) >= 0 &&
	     DBFWriteStringAttribute(dbf, 0, 0, "XXX") &&
	     DBFWriteStringAttribute(dbf, 0, 1, name);
	if (o)
		SHPDestroyObject(o);
	if (shp)
		SHPClose(shp);
	if (dbf)
		DBFClose(dbf);
	free(shp_path);
	free(dbf_path);
	return ok ? 0 : -1;
}

static void square(double *x, double *y, double x0, double y0, double s, int hole)
{
	double cx[] = {x0, x0, x0 + s, x0 + s, x0}, cy[] = {y0, y0 + s, y0 + s, y0, y0};
	for (int i = 0; i < 5; i++) {
		x[i] = cx[hole ? 4 - i : i];
		y[i] = cy[hole ? 4 - i : i];
	}
}

static int write_many_holes(const char *dir, int k)
{
	int side = (int)ceil(sqrt(k)), n = 10 * k;
	double step = 150.0 / side;
	int *starts = xmalloc(2 * (size_t)k * sizeof *starts);
	double *x = xmalloc((size_t)n * sizeof *x), *y = xmalloc((size_t)n * sizeof *y);
	for (int i = 0; i < 2 * k; i++) {
		int c = i % k;
		double x0 = -75 + (c % side) * step, y0 = -75 + (c / side) * step;
		starts[i] = 5 * i;
		if (i < k)
			square(x + 5 * i, y + 5 * i, x0, y0, step * 0.9, 0);
		else
			square(x + 5 * i, y + 5 * i, x0 + step * 0.3, y0 + step * 0.3,
			       step * 0.3, 1);
	}
	int rc = write_record(dir, "holes", 2 * k, starts, n, x, y);
	free(starts);
	free(x);
	free(y);
	return rc;
}

/* k squares one inside the other around k lakes crowded into one spot:
 * the worst case of every stage that compares rings or segments. */
static int write_nested(const char *dir, int k)
{
	int n = 10 * k;
	double d = 80.0 / (k + 1);
	int *starts = xmalloc(2 * (size_t)k * sizeof *starts);
	double *x = xmalloc((size_t)n * sizeof *x), *y = xmalloc((size_t)n * sizeof *y);
	for (int i = 0; i < 2 * k; i++) {
		starts[i] = 5 * i;
		if (i < k)
			square(x + 5 * i, y + 5 * i, -80 + i * d, -80 + i * d,
			       160 - 2 * i * d, 0);
		else
			square(x + 5 * i, y + 5 * i, -d / 4 + (i % 7) * d / 100, -d / 4,
			       d / 1000, 1);
	}
	int rc = write_record(dir, "nested", 2 * k, starts, n, x, y);
	free(starts);
	free(x);
	free(y);
	return rc;
}

static int write_circle(const char *dir, const char *name, int n)
{
	double *x = xmalloc((size_t)n * sizeof *x), *y = xmalloc((size_t)n * sizeof *y);
	for (int i = 0; i + 1 < n; i++) {
		double a = -2 * M_PI * i / (n - 1), r = 60 + (i % 2) * 0.01;
		x[i] = r * 2 * cos(a);
		y[i] = r * sin(a);
	}
	x[n - 1] = x[0];
	y[n - 1] = y[0];
	int start = 0, rc = write_record(dir, name, 1, &start, n, x, y);
	free(x);
	free(y);
	return rc;
}

/* Read and load (project, topology, simplify) as `partnermap check`
 * does; the best of runs. */
static void bench_hostile(const char *dir, const char *name, const char *label,
			  int runs)
{
	char *shp = xasprintf("%s/%s.shp", dir, name);
	double best_read = INFINITY, best_load = INFINITY;
	const char *verdict = "read and loaded";
	char refused[256];
	for (int run = 0; run < runs; run++) {
		diags_t d = DIAGS_INIT;
		geo_layer l = {NULL, 0};
		double t0 = now_ms();
		int rc = geo_read_polygons(shp, name, "iso_a3", "name", &l, &d);
		double t1 = now_ms();
		keep_best(&best_read, t1 - t0);
		if (rc < 0) {
			snprintf(refused, sizeof refused, "refused: %s",
				 d.n ? d.v[0].msg : "?");
			verdict = refused;
			geo_layer_free(&l);
			diags_free(&d);
			continue;
		}
		/* the test site's partners, to keep inside */
		static const geo_lonlat keep[] = {
			{.lon = 32.5761, .lat = 0.3383},
			{.lon = 32.5636, .lat = 0.3041},
			{.lon = 11.5167, .lat = 3.8667},
			{.lon = 98.9853, .lat = 18.7883}};
		geo_options opt = {.basemap = name, .basemap_shown = name,
				   .keep = keep, .nkeep = 4};
		geo_map *m = geo_map_from_layer(&l, &opt, &d);
		keep_best(&best_load, now_ms() - t1);
		geo_map_free(m);
		geo_layer_free(&l);
		diags_free(&d);
	}
	printf("%s\n  %s\n  best of %d, ms: read %.1f", label, verdict, runs,
	       best_read);
	if (isfinite(best_load))
		printf("  load %.1f  whole %.1f", best_load, best_read + best_load);
	printf("\n");
	free(shp);
}

static int bench_hostile_basemaps(int runs)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/pm-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	int rc = write_many_holes(dir, 45000) | write_nested(dir, 20000) |
		 write_circle(dir, "ring1m", 1000000) |
		 write_circle(dir, "ring10m", 10000000);
	if (rc == 0) {
		bench_hostile(dir, "holes", "hostile: one record of 45,000 islands "
			      "with a lake each (450,000 vertices)", runs);
		bench_hostile(dir, "nested", "hostile: 20,000 squares one inside "
			      "the other around 20,000 lakes in one spot", runs);
		bench_hostile(dir, "ring1m", "hostile: one ring of 1,000,000 "
			      "vertices (the most a record may have)", runs);
		bench_hostile(dir, "ring10m", "hostile: one ring of 10,000,000 "
			      "vertices", runs);
	}
	fs_remove_tree(dir);
	free(dir);
	return rc;
}

int main(int argc, char **argv)
{
	const char *shp = argc > 1 ? argv[1] : "geodata/naturalearth_lowres.shp";
	int runs = argc > 2 ? atoi(argv[2]) : 7;
	diags_t d = DIAGS_INIT;
	geo_layer lonlat = {NULL, 0};
	double read_ms = INFINITY;
	if (runs < 1)
		runs = 1;
	for (int run = 0; run < runs; run++) {
		geo_layer_free(&lonlat);
		double t0 = now_ms();
		if (geo_read_polygons(shp, shp, "iso_a3", "name", &lonlat, &d) < 0) {
			diags_print(&d, stderr);
			diags_free(&d);
			return 1;
		}
		keep_best(&read_ms, now_ms() - t0);
	}
	diags_free(&d);
	if (bench(shp, &lonlat, read_ms, runs) < 0)
		return 1;

	size_t vin = layer_vertices(&lonlat);
	int k = (int)((TARGET_VERTICES + vin / 2) / vin);
	densify(&lonlat, k < 1 ? 1 : k);
	char label[128];
	snprintf(label, sizeof label, "synthetic: %s densified %dx in memory", shp, k);
	int rc = bench(label, &lonlat, 0, runs) < 0;
	geo_layer_free(&lonlat);
	/* a few runs: these take seconds */
	return rc | (bench_hostile_basemaps(runs < 3 ? runs : 3) < 0);
}
