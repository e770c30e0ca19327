/* test_project.c - projections, the cut at the antimeridian, the sphere
 * outline and the graticule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basemap.h"
#include "check.h"

#include <math.h>
#include <proj.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo.h"
#include "util/buf.h"
#include "util/fs.h"


/* ---- helpers ---------------------------------------------------------------- */

static geo_proj *new_proj(const char *spec)
{
	diags_t d = DIAGS_INIT;
	geo_proj *p = geo_proj_new(spec, &d);
	if (!p || d.n)
		fail_msg("projection \"%s\" did not open cleanly", spec);
	diags_free(&d);
	return p;
}

/* in projected with spec into *out. */
static void project_with(const char *spec, const geo_layer *in, geo_layer *out)
{
	geo_proj *p = new_proj(spec);
	assert_int_equal(geo_proj_layer(p, in, out), 0);
	geo_proj_free(p);
}

/* A layer of one feature with the given rings (lon/lat pairs). */
static void one_feature(geo_layer *l, const double *const *rings,
			const size_t *lens, const int *holes, size_t nrings)
{
	l->n = 1;
	l->f = xcalloc(1, sizeof *l->f);
	geo_feature *f = &l->f[0];
	f->code = xstrdup("TST");
	f->name = xstrdup("Test");
	f->rings = xcalloc(nrings, sizeof *f->rings);
	f->nrings = nrings;
	for (size_t r = 0; r < nrings; r++) {
		f->rings[r].p = xmalloc(lens[r] * sizeof(geo_pt));
		f->rings[r].n = lens[r];
		f->rings[r].hole = holes ? holes[r] : 0;
		for (size_t i = 0; i < lens[r]; i++) {
			f->rings[r].p[i].x = rings[r][2 * i];
			f->rings[r].p[i].y = rings[r][2 * i + 1];
		}
	}
	geo_feature_bbox(f);
}

/* Half the signed area (positive: counter-clockwise, y up). */
static double ring_area(const geo_ring *r)
{
	double s = 0;
	for (size_t i = 0, j = r->n - 1; i < r->n; j = i++)
		s += r->p[j].x * r->p[i].y - r->p[i].x * r->p[j].y;
	return s / 2;
}

/* Net area of a feature: outer rings count, holes subtract. */
static double feature_area(const geo_feature *f)
{
	double a = 0;
	for (size_t r = 0; r < f->nrings; r++)
		a += f->rings[r].hole ? -fabs(ring_area(&f->rings[r]))
				      : fabs(ring_area(&f->rings[r]));
	return a;
}

/* The longest horizontal jump between neighbouring vertices of f. */
static double widest_edge(const geo_feature *f)
{
	double w = 0;
	for (size_t r = 0; r < f->nrings; r++) {
		const geo_ring *g = &f->rings[r];
		for (size_t i = 0; i < g->n; i++)
			w = fmax(w, fabs(g->p[(i + 1) % g->n].x - g->p[i].x));
	}
	return w;
}

static void assert_finite_feature(const geo_feature *f)
{
	for (size_t r = 0; r < f->nrings; r++) {
		assert_ge(f->rings[r].n, 3);
		for (size_t i = 0; i < f->rings[r].n; i++) {
			assert_finite(f->rings[r].p[i].x);
			assert_finite(f->rings[r].p[i].y);
		}
	}
}

/* ---- opening projections ------------------------------------------------------ */

static void test_named_projections_open(void **state)
{
	static const char *names[] = {NULL, "", "equal-earth", "robinson",
		"natural-earth", "mercator", "equirectangular",
		"+proj=moll +lon_0=20", "EPSG:3857"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		geo_proj *p = new_proj(names[i]);
		geo_pt o;
		assert_int_equal(geo_proj_point(p, 0, 0, &o), 0);
		assert_finite(o.x);
		assert_finite(o.y);
		geo_proj_free(p);
	}
}

static void test_bad_projection_reports_proj_message(void **state)
{
	static const char *bad[] = {"+proj=nosuchthing", "winkel-tripel-ish",
		"+proj=eqearth +lon_0=east", "+proj=eqearth +R=-1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		diags_t d = DIAGS_INIT;
		assert_null(geo_proj_new(bad[i], &d));
		assert_int_equal(d.errors, 1);
		assert_string_equal(d.v[0].path, "site.yml");
		assert_has_diag(&d, DIAG_ERROR, bad[i]);
		/* more than our own prefix: PROJ's reason follows the spec */
		const char *msg = d.v[0].msg;
		const char *after = strstr(msg, bad[i]) + strlen(bad[i]);
		assert_gt(strlen(after), 4);
		diags_free(&d);
	}
}

static void test_projection_reading_files_is_refused(void **state)
{
	static const struct {
		const char *spec, *token;
	} bad[] = {
		{"+proj=pipeline +step +proj=hgridshift +grids=/etc/passwd "
		 "+step +proj=eqearth", "+grids=/etc/passwd"},
		{"+init=/etc/passwd:root", "+init=/etc/passwd:root"},
		{"+proj=robin +NADGRIDS=/tmp/x.gsb", "+NADGRIDS=/tmp/x.gsb"},
		{"proj=eqearth geoidgrids=egm.gtx", "geoidgrids=egm.gtx"},
		{"+proj=tinshift +file=/etc/passwd", "+file=/etc/passwd"},
		{"@/etc/passwd", "@/etc/passwd"},
		{"PROJCS[\"x\",GEOGCS[\"WGS 84\"],EXTENSION[\"PROJ4\","
		 "\"+proj=merc +nadgrids=@null\"]]", "+nadgrids=@null"},
		/* the deformation model's grids, which a list of names missed */
		{"+proj=pipeline +step +proj=deformation +xy_grids=/etc/hostname "
		 "+t_epoch=2000 +step +proj=robin", "+xy_grids=/etc/hostname"},
		{"+proj=deformation +Z_GRIDS = /proc/self/fd/0", "+Z_GRIDS"},
		{"+proj=xyzgridshift +grids=x.tif", "+grids=x.tif"},
		{"+proj=robin +some_future_grid=/x", "+some_future_grid=/x"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		diags_t d = DIAGS_INIT;
		geo_where at = {"site.yml", 4, 13, 0};
		assert_null(geo_proj_new_at(bad[i].spec, &at, &d));
		assert_int_equal(d.n, 1);
		assert_int_equal(d.errors, 1);
		assert_int_equal(d.v[0].line, 4);
		assert_int_equal(d.v[0].col, 13);
		char want[512];
		snprintf(want, sizeof want,
			 "projection \"%s\" makes PROJ read files (%s); "
			 "partnermap reads nothing outside the site: use a "
			 "projection without grids or init files",
			 bad[i].spec, bad[i].token);
		assert_string_equal(d.v[0].msg, want);
		diags_free(&d);
	}
	/* words that merely contain the names are fine */
	size_t n;
	assert_null(geo_proj_file_reference("+proj=eqearth +lon_0=10", &n));
	assert_null(geo_proj_file_reference("GEOGCS[\"initial grids\"]", &n));
	const char *r = geo_proj_file_reference("+proj=x +grids=a,b +y", &n);
	assert_non_null(r);
	assert_int_equal(n, strlen("+grids=a,b"));
	assert_null(geo_proj_file_reference("+proj=robin +gridline=1", &n));
	/* PROJJSON names a grid file as a parameter's value in text, where
	 * every other parameter's value is a number */
	r = geo_proj_file_reference("{\"parameters\":[{\"name\":\"Latitude and "
				    "longitude difference file\", \"value\" : "
				    "\"ntv2_0.gsb\",\"id\":{}}]}", &n);
	assert_non_null(r);
	assert_int_equal(n, strlen("\"value\" : \"ntv2_0.gsb\""));
	assert_memory_equal(r, "\"value\"", 7);
	assert_null(geo_proj_file_reference("{\"parameters\":[{\"name\":\"Scale\","
					    "\"value\":0.9996}]}", &n));
	/* the key written with an escape, and WKT 2's PARAMETER whose value
	 * is text, name a file too */
	assert_non_null(geo_proj_file_reference("{\"\\u0076alue\": \"ntv2_0.gsb\"}", &n));
	r = geo_proj_file_reference("ABRIDGEDTRANSFORMATION[\"x\",PARAMETER["
				    "\"Latitude difference file\", \"conus.las\"]]", &n);
	assert_non_null(r);
	assert_int_equal(n, strlen("PARAMETER[\"Latitude difference file\", "
				   "\"conus.las\""));
	assert_null(geo_proj_file_reference("PARAMETER[\"Scale factor\",0.9996]", &n));
}

/* A CRS nested deeper than any real one is refused before PROJ reads
 * it: PROJ's reading grows with the square of the depth (a 825 KB
 * PROJJSON of 25,000 levels took 23 GB). */
static void a_crs_nested_past_reason_is_refused(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "{\"type\":\"BoundCRS\",\"source_crs\":");
	buf_puts(&b, "{}");
	for (int i = 0; i < 2000; i++)
		buf_putc(&b, '}');
	assert_int_equal(geo_proj_depth(buf_cstr(&b)), 2001);
	diags_t d = DIAGS_INIT;
	geo_where at = {"site.yml", 9, 15, 0};
	assert_null(geo_proj_new_at(buf_cstr(&b), &at, &d));
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 9);
	assert_true(strstr(d.v[0].msg, "nested 2001 deep") != NULL);
	diags_free(&d);
	buf_free(&b);
	/* a real WKT 2 CRS is far from the limit, and opens */
	const char *wkt = "PROJCRS[\"WGS 84 / Pseudo-Mercator\",BASEGEOGCRS[\"WGS 84\","
		"DATUM[\"World Geodetic System 1984\",ELLIPSOID[\"WGS 84\",6378137,"
		"298.257223563,LENGTHUNIT[\"metre\",1]]],PRIMEM[\"Greenwich\",0,"
		"ANGLEUNIT[\"degree\",0.0174532925199433]]],CONVERSION[\"Popular "
		"Visualisation Pseudo-Mercator\",METHOD[\"Popular Visualisation "
		"Pseudo Mercator\",ID[\"EPSG\",1024]]],CS[Cartesian,2],AXIS[\"easting "
		"(X)\",east,ORDER[1],LENGTHUNIT[\"metre\",1]],AXIS[\"northing (Y)\","
		"north,ORDER[2],LENGTHUNIT[\"metre\",1]]]";
	assert_true(geo_proj_depth(wkt) < 8);
}

/* Whatever the check above misses, PROJ opens no file: its context's file
 * API refuses each (a grid named by a parameter no list knows of, given
 * to PROJ directly here), while proj.db, which SQLite opens, still
 * answers. */
static void proj_itself_opens_no_file(void **state)
{
	(void)state;
	char *log = NULL;
	PJ_CONTEXT *ctx = geo_proj_context_new(&log, 1);
	assert_non_null(ctx);
	unsigned long before = geo_proj_files_refused();
	PJ *pj = proj_create(ctx, "+proj=deformation +xy_grids=/etc/hostname "
			     "+z_grids=/etc/hostname +t_epoch=2000");
	assert_null(pj);
	assert_true(geo_proj_files_refused() > before);
	PJ *crs = proj_create(ctx, "EPSG:3857");
	assert_non_null(crs);
	assert_true(proj_is_crs(crs));
	proj_destroy(crs);
	PJ *robin = proj_create(ctx, "+proj=robin");
	assert_non_null(robin);
	proj_destroy(robin);
	proj_context_destroy(ctx);
	free(log);
}

/* A projection by name makes a context without proj.db, and projects as
 * before; a CRS code gets the database it needs. */
static void test_named_projection_needs_no_database(void **state)
{
	(void)state;
	static const char *const names[] = {"equal-earth", "robinson",
		"natural-earth", "mercator", "equirectangular", ""};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t made = geo_proj_contexts_made();
		size_t named = geo_proj_databases_named();
		geo_proj *p = new_proj(names[i]);
		assert_int_equal(geo_proj_contexts_made(), made + 1);
		assert_int_equal(geo_proj_databases_named(), named);
		geo_pt o;
		assert_int_equal(geo_proj_point(p, 30, 45, &o), 0);
		assert_true(isfinite(o.x) && o.x > 0 && o.y > 0);
		geo_proj_free(p);
	}
	size_t named = geo_proj_databases_named();
	geo_proj *merc = new_proj("EPSG:3857");
	assert_int_equal(geo_proj_databases_named(), named + 1);
	geo_pt o;
	assert_int_equal(geo_proj_point(merc, 0, 0, &o), 0);
	assert_near(o.x, 0, 1e-6);
	geo_proj_free(merc);
}

static void test_point_orientation_and_rotation(void **state)
{
	geo_proj *p = new_proj("equal-earth");
	geo_pt o, east, north;
	assert_int_equal(geo_proj_point(p, 0, 0, &o), 0);
	assert_near(o.x, 0, 1e-6);
	assert_near(o.y, 0, 1e-6);
	assert_int_equal(geo_proj_point(p, 30, 0, &east), 0);
	assert_int_equal(geo_proj_point(p, 0, 30, &north), 0);
	assert_gt(east.x, 1e6);
	assert_near(east.y, 0, 1e-6);
	assert_gt(north.y, 1e6); /* y grows northwards */
	assert_int_equal(geo_proj_point(p, 0, 91, &o), -1);
	/* lon_0 = 150 is the same map turned: 160E there is 10E here */
	geo_proj *q = new_proj("+proj=eqearth +lon_0=150");
	geo_pt a, b;
	assert_int_equal(geo_proj_point(p, 10, 20, &a), 0);
	assert_int_equal(geo_proj_point(q, 160, 20, &b), 0);
	assert_near(a.x, b.x, 1e-6);
	assert_near(a.y, b.y, 1e-6);
	assert_int_equal(geo_proj_point(p, -170, -40, &a), 0);
	assert_int_equal(geo_proj_point(q, -20, -40, &b), 0);
	assert_near(a.x, b.x, 1e-6);
	assert_near(a.y, b.y, 1e-6);
	geo_proj_free(q);
	geo_proj_free(p);
	/* Mercator cannot show a pole */
	p = new_proj("mercator");
	assert_int_equal(geo_proj_point(p, 0, 90, &o), -1);
	assert_int_equal(geo_proj_point(p, 0, 60, &o), 0);
	geo_proj_free(p);
}

/* ---- cutting at the antimeridian ------------------------------------------------ */

/* A box from lon west to west + width, lat south to north, with a vertex
 * every degree so that its sides follow the map's curves, clockwise, or
 * counter-clockwise for a hole. Longitudes wrap into [-180, 180]. */
static size_t box(double *xy, double west, double width, double south,
		  double north, int ccw)
{
	/* corners, and the step from each to the next */
	const double cx[] = {west, west, west + width, west + width};
	const double cy[] = {south, north, north, south};
	const double dx[] = {0, 1, 0, -1}, dy[] = {1, 0, -1, 0};
	size_t n = 0;
	for (int side = 0; side < 4; side++) {
		double steps = side % 2 ? width : north - south;
		for (double k = 0; k < steps; k++, n++) {
			double x = cx[side] + k * dx[side];
			xy[2 * n] = x > 180 ? x - 360 : x;
			xy[2 * n + 1] = cy[side] + k * dy[side];
		}
	}
	for (size_t i = 0; ccw && i < n / 2; i++) {
		double x = xy[2 * i], y = xy[2 * i + 1];
		xy[2 * i] = xy[2 * (n - 1 - i)];
		xy[2 * i + 1] = xy[2 * (n - 1 - i) + 1];
		xy[2 * (n - 1 - i)] = x;
		xy[2 * (n - 1 - i) + 1] = y;
	}
	return n;
}

static void test_square_across_180_is_cut(void **state)
{
	/* 20 x 20 degrees around (180, 0) */
	double square[2 * 80];
	const double *rings[] = {square};
	size_t lens[] = {box(square, 170, 20, -10, 10, 0)};
	geo_layer in, cut, whole;
	one_feature(&in, rings, lens, NULL, 1);
	geo_proj *p = new_proj("equal-earth");
	assert_int_equal(geo_proj_layer(p, &in, &cut), 0);
	project_with("+proj=eqearth +lon_0=180", &in, &whole);
	double width = proj_width(p);
	assert_int_equal(cut.n, 1);
	assert_string_equal(cut.f[0].code, "TST");
	assert_int_equal(cut.f[0].nrings, 2);
	assert_finite_feature(&cut.f[0]);
	assert_lt(widest_edge(&cut.f[0]), width / 2);
	/* one piece on each side, each touching the map's edge */
	geo_pt edge;
	assert_int_equal(geo_proj_point(p, 180, 0, &edge), 0);
	const geo_feature *f = &cut.f[0];
	assert_near(f->bbox.xmax, edge.x, 1);  /* east */
	assert_near(f->bbox.xmin, -edge.x, 1); /* west */
	for (size_t r = 0; r < 2; r++) {
		double x0 = INFINITY, x1 = -INFINITY;
		for (size_t i = 0; i < f->rings[r].n; i++) {
			x0 = fmin(x0, f->rings[r].p[i].x);
			x1 = fmax(x1, f->rings[r].p[i].x);
		}
		if (x0 <= 0 && x1 >= 0) /* no piece straddles the map */
			fail_msg("ring %zu straddles the map: x from %g to %g",
				 r, x0, x1);
		assert_lt(ring_area(&f->rings[r]), 0); /* still clockwise */
	}
	/* Equal Earth keeps areas: the two halves add up to the whole */
	assert_int_equal(whole.f[0].nrings, 1);
	double a_cut = feature_area(&cut.f[0]), a_whole = feature_area(&whole.f[0]);
	assert_near(a_cut, a_whole, 0.002 * a_whole);
	geo_layer_free(&in);
	geo_layer_free(&cut);
	geo_layer_free(&whole);
	geo_proj_free(p);
}

static void test_square_and_hole_across_the_cut_at_minus_30(void **state)
{
	/* lon_0 = 150 puts the edge of the map at 30W */
	double outer[2 * 80], hole[2 * 40];
	const double *rings[] = {outer, hole};
	size_t lens[] = {box(outer, -40, 20, -10, 10, 0), box(hole, -35, 10, -5, 5, 1)};
	int holes[] = {0, 1};
	geo_layer in, cut, whole;
	one_feature(&in, rings, lens, holes, 2);
	geo_proj *p = new_proj("+proj=eqearth +lon_0=150");
	assert_int_equal(geo_proj_layer(p, &in, &cut), 0);
	project_with("equal-earth", &in, &whole);
	const geo_feature *f = &cut.f[0];
	assert_int_equal(f->nrings, 4); /* two outers, each with half the hole */
	assert_finite_feature(f);
	assert_lt(widest_edge(f), proj_width(p) / 2);
	/* outer, its hole, outer, its hole: each hole on its outer's side */
	for (size_t r = 0; r < 4; r += 2) {
		assert_int_equal(f->rings[r].hole, 0);
		assert_int_equal(f->rings[r + 1].hole, 1);
		double xo = f->rings[r].p[0].x, xh = f->rings[r + 1].p[0].x;
		if ((xo > 0) != (xh > 0))
			fail_msg("ring %zu starts at x = %g but its hole at "
				 "x = %g, on the other side", r, xo, xh);
	}
	double a_cut = feature_area(f), a_whole = feature_area(&whole.f[0]);
	assert_near(a_cut, a_whole, 0.002 * a_whole);
	/* the same square does not reach the edge with lon_0 = 0 */
	assert_int_equal(whole.f[0].nrings, 2);
	geo_layer_free(&in);
	geo_layer_free(&cut);
	geo_layer_free(&whole);
	geo_proj_free(p);
}

/* A cap south of 70S drawn the way Natural Earth draws Antarctica: east
 * along the coast, down the antimeridian, west along the pole, back up. */
static const double CAP[] = {-180, -70, -90, -70, 0, -70, 90, -70, 180, -70,
			     180, -90, -180, -90};

static void test_polar_cap_closes_along_the_pole(void **state)
{
	/* on a sphere of radius R, so the cap's area is known exactly */
	static const char *specs[] = {"+proj=eqearth +R=6371000",
				      "+proj=eqearth +R=6371000 +lon_0=150",
				      "+proj=eqearth +R=6371000 +lon_0=-100"};
	const double R = 6371000;
	const double cap = 2 * M_PI * R * R * (1 - sin(70 * M_PI / 180));
	const double *rings[] = {CAP};
	size_t lens[] = {7};
	geo_layer in;
	one_feature(&in, rings, lens, NULL, 1);
	for (size_t s = 0; s < sizeof specs / sizeof *specs; s++) {
		geo_proj *p = new_proj(specs[s]);
		geo_layer out;
		assert_int_equal(geo_proj_layer(p, &in, &out), 0);
		const geo_feature *f = &out.f[0];
		assert_int_equal(f->nrings, 1);
		assert_int_equal(f->rings[0].hole, 0);
		assert_finite_feature(f);
		assert_lt(widest_edge(f), proj_width(p) / 2);
		/* from the pole line up to the coast, across the whole map */
		geo_pt pole, coast;
		assert_int_equal(geo_proj_point(p, 0, -90, &pole), 0);
		assert_int_equal(geo_proj_point(p, 0, -70, &coast), 0);
		assert_near(f->bbox.ymin, pole.y, 1);
		assert_near(f->bbox.ymax, coast.y, 1);
		geo_pt west, east;
		double lon_0 = s == 0 ? 0 : s == 1 ? 150 : -100;
		assert_int_equal(geo_proj_point(p, lon_0 - 179.999999, -70, &west), 0);
		assert_int_equal(geo_proj_point(p, lon_0 + 179.999999, -70, &east), 0);
		assert_le(f->bbox.xmin, west.x + 1);
		assert_ge(f->bbox.xmax, east.x - 1);
		/* the area is the cap's, whichever meridian is in the middle
		 * (closing round the wrong pole would give the rest of the
		 * globe, not closing at all next to nothing) */
		double a = feature_area(f);
		if (fabs(a - cap) / cap > 0.002)
			fail_msg("%s: area %.6g, the cap is %.6g", specs[s], a, cap);
		geo_layer_free(&out);
		geo_proj_free(p);
	}
	geo_layer_free(&in);
}

static void test_mercator_clamps_the_cap(void **state)
{
	const double *rings[] = {CAP};
	size_t lens[] = {7};
	geo_layer in, out;
	one_feature(&in, rings, lens, NULL, 1);
	geo_proj *p = new_proj("mercator");
	assert_int_equal(geo_proj_layer(p, &in, &out), 0);
	assert_int_equal(out.f[0].nrings, 1);
	assert_finite_feature(&out.f[0]);
	geo_pt low;
	assert_int_equal(geo_proj_point(p, 0, -85, &low), 0);
	assert_near(out.f[0].bbox.ymin, low.y, 1);
	geo_layer_free(&in);
	geo_layer_free(&out);
	geo_proj_free(p);
}

/* ---- sphere and graticule ----------------------------------------------------------- */

static void test_sphere_outline(void **state)
{
	static const char *specs[] = {"equal-earth", "mercator", "robinson",
				      "+proj=moll", "+proj=eqearth +lon_0=150"};
	for (size_t s = 0; s < sizeof specs / sizeof *specs; s++) {
		geo_proj *p = new_proj(specs[s]);
		geo_ring r;
		assert_int_equal(geo_proj_sphere(p, &r), 0);
		assert_gt(r.n, 100);
		for (size_t i = 0; i < r.n; i++) {
			assert_finite(r.p[i].x);
			assert_finite(r.p[i].y);
		}
		assert_lt(ring_area(&r), 0); /* clockwise, like an outer ring */
		/* it passes through the edge of the map at the equator */
		double x1 = -INFINITY;
		for (size_t i = 0; i < r.n; i++)
			x1 = fmax(x1, r.p[i].x);
		geo_pt e;
		double lon_0 = strstr(specs[s], "lon_0=150") ? 150 : 0;
		assert_int_equal(geo_proj_point(p, lon_0 + 179.999999, 0, &e), 0);
		assert_near(x1, e.x, 10);
		free(r.p);
		geo_proj_free(p);
	}
}

static void test_graticule(void **state)
{
	geo_proj *p = new_proj("equal-earth");
	geo_line *lines;
	size_t n;
	assert_int_equal(geo_proj_graticule(p, 30, &lines, &n), 0);
	/* 11 meridians (the one on the edge is the outline) + 5 parallels */
	assert_int_equal(n, 16);
	for (size_t i = 0; i < n; i++) {
		assert_ge(lines[i].n, 10); /* densified every 2 degrees */
		for (size_t k = 0; k < lines[i].n; k++) {
			assert_finite(lines[i].p[k].x);
			assert_finite(lines[i].p[k].y);
		}
	}
	geo_lines_free(lines, n);
	assert_int_equal(geo_proj_graticule(p, 0, &lines, &n), -1);
	assert_int_equal(geo_proj_graticule(p, NAN, &lines, &n), -1);
	geo_proj_free(p);
	/* Mercator: parallels only within 85 degrees */
	p = new_proj("mercator");
	assert_int_equal(geo_proj_graticule(p, 10, &lines, &n), 0);
	assert_int_equal(n, 35 + 17);
	geo_pt top;
	assert_int_equal(geo_proj_point(p, 0, 85, &top), 0);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < lines[i].n; k++)
			assert_le(fabs(lines[i].p[k].y), top.y + 1e-6);
	geo_lines_free(lines, n);
	geo_proj_free(p);
}

/* ---- the real basemap ------------------------------------------------------------------ */

static const geo_feature *by_name(const geo_layer *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->f[i].name, name))
			return &l->f[i];
	fail_msg("no feature named %s", name);
	return NULL;
}

static void test_basemap_has_no_streaks(void **state)
{
	geo_layer ll;
	if (basemap_read(&ll))
		return;
	static const char *specs[] = {"equal-earth", "+proj=eqearth +lon_0=150",
				      "robinson", "mercator", "+proj=natearth +lon_0=-90",
				      "+proj=moll +lon_0=100"};
	for (size_t s = 0; s < sizeof specs / sizeof *specs; s++) {
		geo_proj *p = new_proj(specs[s]);
		double half = proj_width(p) / 2;
		geo_layer out;
		assert_int_equal(geo_proj_layer(p, &ll, &out), 0);
		assert_int_equal(out.n, ll.n);
		for (size_t i = 0; i < out.n; i++) {
			assert_string_equal(out.f[i].name, ll.f[i].name);
			assert_gt(out.f[i].nrings, 0);
			assert_finite_feature(&out.f[i]);
			if (widest_edge(&out.f[i]) >= half)
				fail_msg("%s: %s streaks across the map", specs[s],
					 out.f[i].name);
		}
		/* the ones that touch the antimeridian, by name */
		assert_lt(widest_edge(by_name(&out, "Fiji")), half);
		assert_lt(widest_edge(by_name(&out, "Russia")), half);
		assert_lt(widest_edge(by_name(&out, "Antarctica")), half);
		geo_layer_free(&out);
		geo_proj_free(p);
	}
	geo_layer_free(&ll);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_projections_open),
		cmocka_unit_test(test_bad_projection_reports_proj_message),
		cmocka_unit_test(test_projection_reading_files_is_refused),
		cmocka_unit_test(proj_itself_opens_no_file),
		cmocka_unit_test(a_crs_nested_past_reason_is_refused),
		cmocka_unit_test(test_point_orientation_and_rotation),
		cmocka_unit_test(test_square_across_180_is_cut),
		cmocka_unit_test(test_square_and_hole_across_the_cut_at_minus_30),
		cmocka_unit_test(test_polar_cap_closes_along_the_pole),
		cmocka_unit_test(test_mercator_clamps_the_cap),
		cmocka_unit_test(test_sphere_outline),
		cmocka_unit_test(test_graticule),
		cmocka_unit_test(test_named_projection_needs_no_database),
		cmocka_unit_test(test_basemap_has_no_streaks),
	};
	return cmocka_run_group_tests_name("project", tests, NULL, NULL);
}
