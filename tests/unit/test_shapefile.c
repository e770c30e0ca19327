/* test_shapefile.c - reading polygon and point shapefiles: geometry, holes,
 * attributes and their encodings, the .prj, and broken files. The small
 * shapefiles are written here with shapelib into a fresh temp folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basemap.h"
#include "check.h"

#include <math.h>
#include <proj.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo/geo.h"
#include "fixture.h"
#include "seen.h"
#include "util/buf.h"
#include "util/fs.h"


typedef fixture_dir fixture;

FIXTURE_DIR_HOOKS("pm-shp")


/* ---- writing test shapefiles ------------------------------------------- */

/* One polygon record: parts given as closed rings, one after another. */
typedef struct shape_spec {
	int nparts;
	const int *part_len;   /* points per part, closing point included */
	const double *xy;      /* x0, y0, x1, y1, ... over all parts */
	const char *code;      /* NULL: leave the field empty */
	const char *name;
} shape_spec;

static void write_polygon_object(SHPHandle shp, const shape_spec *s)
{
	int total = 0, starts[16];
	for (int p = 0; p < s->nparts; p++) {
		starts[p] = total;
		total += s->part_len[p];
	}
	double *x = malloc(sizeof(double) * (size_t)(total ? total : 1));
	double *y = malloc(sizeof(double) * (size_t)(total ? total : 1));
	for (int i = 0; i < total; i++) {
		x[i] = s->xy[2 * i];
		y[i] = s->xy[2 * i + 1];
	}
	SHPObject *o = total ? SHPCreateObject(SHPT_POLYGON, -1, s->nparts, starts,
					       NULL, total, x, y, NULL, NULL)
			     : SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
	assert_non_null(o);
	assert_ge(SHPWriteObject(shp, -1, o), 0);
	SHPDestroyObject(o);
	free(x);
	free(y);
}

/* name.shp/.shx/.dbf with fields iso_a3 and name; cpg NULL: no .cpg. */
static void write_polygons(const fixture *f, const char *name,
			   const shape_spec *shapes, int n, const char *cpg)
{
	char *shp_path = fixture_dir_path(f, name, "shp");
	char *dbf_path = fixture_dir_path(f, name, "dbf");
	SHPHandle shp = SHPCreate(shp_path, SHPT_POLYGON);
	DBFHandle dbf = cpg ? DBFCreateEx(dbf_path, cpg) : DBFCreate(dbf_path);
	assert_non_null(shp);
	assert_non_null(dbf);
	assert_int_equal(DBFAddField(dbf, "iso_a3", FTString, 3, 0), 0);
	assert_int_equal(DBFAddField(dbf, "name", FTString, 40, 0), 1);
	for (int i = 0; i < n; i++) {
		write_polygon_object(shp, &shapes[i]);
		if (shapes[i].code)
			assert_int_equal(DBFWriteStringAttribute(dbf, i, 0,
								 shapes[i].code), 1);
		else
			assert_int_equal(DBFWriteNULLAttribute(dbf, i, 0), 1);
		assert_int_equal(DBFWriteStringAttribute(dbf, i, 1,
							 shapes[i].name), 1);
	}
	SHPClose(shp);
	DBFClose(dbf);
	free(shp_path);
	free(dbf_path);
}


static const char WGS84_PRJ[] = FIXTURE_WGS84_PRJ;

static const char WEBMERC_PRJ[] =
	"PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",GEOGCS[\"GCS_WGS_1984\","
	"DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
	"PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
	"PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],"
	"PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",0.0],"
	"PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0],"
	"UNIT[\"Meter\",1.0]]";

/* Two unit squares side by side, clockwise as the format wants outer
 * rings, sharing the edge x = 10. */
static const int SQUARE_LEN[] = {5};
static const double SQUARE_A[] = {0, 0, 0, 10, 10, 10, 10, 0, 0, 0};
static const double SQUARE_B[] = {10, 0, 10, 10, 20, 10, 20, 0, 10, 0};

static void write_two_squares(const fixture *f, const char *name, const char *cpg)
{
	shape_spec s[2] = {
		{1, SQUARE_LEN, SQUARE_A, "AAA", "Alpha"},
		{1, SQUARE_LEN, SQUARE_B, "BBB", "Beta"},
	};
	write_polygons(f, name, s, 2, cpg);
}

static int read_layer(const fixture *f, const char *name, geo_layer *l, diags_t *d)
{
	char *p = fixture_dir_path(f, name, "shp");
	int rc = geo_read_polygons(p, "geodata/t.shp", "iso_a3", "name", l, d);
	free(p);
	return rc;
}

/* s written as the shapefile t, with cpg as its .cpg (or none) and prj
 * as its .prj, then read back into l, which must succeed; what the
 * reader says goes into d. */
static void read_back(const fixture *f, const shape_spec *s, const char *cpg,
		      const char *prj, geo_layer *l, diags_t *d)
{
	write_polygons(f, "t", s, 1, cpg);
	fixture_dir_text(f, "t", "prj", prj);
	assert_int_equal(read_layer(f, "t", l, d), 0);
}

static void assert_ring_equals(const geo_ring *r, const double *xy, size_t n)
{
	assert_int_equal(r->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_double_eq(r->p[i].x, xy[2 * i]);
		assert_double_eq(r->p[i].y, xy[2 * i + 1]);
	}
}

/* ---- geometry ----------------------------------------------------------- */

static void test_two_squares_read_back_exactly(void **state)
{
	fixture *f = *state;
	write_two_squares(f, "t", NULL);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.f[0].code, "AAA");
	assert_string_equal(l.f[0].name, "Alpha");
	assert_string_equal(l.f[1].code, "BBB");
	assert_int_equal(l.f[0].nrings, 1);
	assert_int_equal(l.f[0].rings[0].hole, 0);
	/* the closing repeat is dropped, nothing else changes */
	assert_ring_equals(&l.f[0].rings[0], SQUARE_A, 4);
	assert_ring_equals(&l.f[1].rings[0], SQUARE_B, 4);
	assert_double_eq(l.f[1].bbox.xmin, 10);
	assert_double_eq(l.f[1].bbox.ymin, 0);
	assert_double_eq(l.f[1].bbox.xmax, 20);
	assert_double_eq(l.f[1].bbox.ymax, 10);
	geo_layer_free(&l);
	diags_free(&d);
}

static void test_holes_follow_their_outer_ring(void **state)
{
	fixture *f = *state;
	/* parts in the file: outer 1, outer 2, hole of 2, hole of 1 */
	static const int len[] = {5, 5, 5, 5};
	static const double xy[] = {
		0, 0, 0, 10, 10, 10, 10, 0, 0, 0,      /* outer 1, clockwise */
		20, 0, 20, 10, 30, 10, 30, 0, 20, 0,   /* outer 2 */
		23, 3, 26, 3, 26, 6, 23, 6, 23, 3,     /* hole in 2, counter-clockwise */
		3, 3, 6, 3, 6, 6, 3, 6, 3, 3,          /* hole in 1 */
	};
	shape_spec s = {4, len, xy, "HOL", "Holey"};
	geo_layer l;
	diags_t d = DIAGS_INIT;
	read_back(f, &s, NULL, WGS84_PRJ, &l, &d);
	assert_int_equal(l.n, 1);
	const geo_feature *g = &l.f[0];
	assert_int_equal(g->nrings, 4);
	assert_int_equal(g->rings[0].hole, 0);
	assert_ring_equals(&g->rings[0], xy, 4);
	assert_int_equal(g->rings[1].hole, 1);
	assert_ring_equals(&g->rings[1], xy + 30, 4);
	assert_int_equal(g->rings[2].hole, 0);
	assert_ring_equals(&g->rings[2], xy + 10, 4);
	assert_int_equal(g->rings[3].hole, 1);
	assert_ring_equals(&g->rings[3], xy + 20, 4);
	geo_layer_free(&l);
	diags_free(&d);
}

static void test_triangle_island_and_null_shape(void **state)
{
	fixture *f = *state;
	static const int len[] = {5, 4};
	static const double xy[] = {
		0, 0, 0, 10, 10, 10, 10, 0, 0, 0, /* mainland */
		12, 2, 13, 4, 14, 2, 12, 2,       /* island, clockwise */
	};
	shape_spec s[3] = {
		{2, len, xy, "ISL", "Island"},
		{0, NULL, NULL, "NUL", "Nothing"},
		{1, SQUARE_LEN, SQUARE_B, "BBB", "Beta"},
	};
	write_polygons(f, "t", s, 3, NULL);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	assert_int_equal(l.n, 2); /* the null shape is skipped */
	assert_int_equal(l.f[0].nrings, 2);
	assert_int_equal(l.f[0].rings[1].hole, 0);
	assert_ring_equals(&l.f[0].rings[1], xy + 10, 3);
	assert_string_equal(l.f[1].code, "BBB");
	assert_int_equal(d.warnings, 1);
	assert_has_diag(&d, DIAG_WARNING, "record 2");
	assert_string_equal(d.v[0].path, "geodata/t.shp");
	geo_layer_free(&l);
	diags_free(&d);
}

/* ---- attributes ---------------------------------------------------------- */

static void test_code_minus_99_or_empty_is_null(void **state)
{
	fixture *f = *state;
	shape_spec s[2] = {
		{1, SQUARE_LEN, SQUARE_A, "-99", "Somewhere"},
		{1, SQUARE_LEN, SQUARE_B, NULL, "Elsewhere"},
	};
	write_polygons(f, "t", s, 2, NULL);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	assert_null(l.f[0].code);
	assert_null(l.f[1].code);
	assert_string_equal(l.f[0].name, "Somewhere");
	assert_string_equal(l.f[1].name, "Elsewhere");
	geo_layer_free(&l);
	diags_free(&d);
}

static void test_unknown_field_lists_fields(void **state)
{
	fixture *f = *state;
	write_two_squares(f, "t", NULL);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
	char *p = fixture_dir_path(f, "t", "shp");
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(geo_read_polygons(p, "geodata/t.shp", "ISO_A2", "name", &l, &d), -1);
	assert_int_equal(l.n, 0);
	assert_int_equal(d.errors, 1);
	assert_has_diag(&d, DIAG_ERROR, "ISO_A2");
	assert_has_diag(&d, DIAG_ERROR, "iso_a3, name");
	/* field names are matched without regard to case */
	diags_free(&d);
	assert_int_equal(geo_read_polygons(p, "geodata/t.shp", "ISO_A3", "NAME", &l, &d), 0);
	assert_int_equal(l.n, 2);
	geo_layer_free(&l);
	diags_free(&d);
	free(p);
}

/* One square named name, written with the given .cpg (or none). */
static char *name_through_cpg(const fixture *f, const char *name, const char *cpg)
{
	shape_spec s = {1, SQUARE_LEN, SQUARE_A, "CIV", name};
	geo_layer l;
	diags_t d = DIAGS_INIT;
	read_back(f, &s, cpg, WGS84_PRJ, &l, &d);
	assert_int_equal(d.n, 0);
	char *out = xstrdup(l.f[0].name);
	geo_layer_free(&l);
	diags_free(&d);
	return out;
}

static void test_latin1_cpg_gives_utf8(void **state)
{
	fixture *f = *state;
	char *name = name_through_cpg(f, "C\xf4te d'Ivoire", "ISO-8859-1");
	char *cpg = fixture_dir_path(f, "t", "cpg");
	assert_exists(cpg); /* shapelib wrote it */
	free(cpg);
	assert_string_equal(name, "C\xc3\xb4te d'Ivoire");
	free(name);
	name = name_through_cpg(f, "C\xf4te d'Ivoire", "88591");
	assert_string_equal(name, "C\xc3\xb4te d'Ivoire");
	free(name);
}

static void test_windows_1252_cpg(void **state)
{
	fixture *f = *state;
	/* 0x92 is a right single quotation mark in Windows-1252 only */
	char *name = name_through_cpg(f, "C\xf4te d\x92Ivoire", "1252");
	assert_string_equal(name, "C\xc3\xb4te d\xe2\x80\x99Ivoire");
	free(name);
}

static void test_no_cpg_guesses_utf8_then_latin1(void **state)
{
	fixture *f = *state;
	char *name = name_through_cpg(f, "C\xc3\xb4te d'Ivoire", NULL);
	assert_string_equal(name, "C\xc3\xb4te d'Ivoire");
	free(name);
	name = name_through_cpg(f, "C\xf4te d'Ivoire", NULL);
	assert_string_equal(name, "C\xc3\xb4te d'Ivoire");
	free(name);
}

/* ---- the CRS -------------------------------------------------------------- */

static void test_missing_prj_warns(void **state)
{
	fixture *f = *state;
	write_two_squares(f, "t", NULL);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(d.warnings, 1);
	assert_has_diag(&d, DIAG_WARNING,
			      "no .prj: assuming WGS 84 longitude/latitude");
	assert_ring_equals(&l.f[0].rings[0], SQUARE_A, 4);
	geo_layer_free(&l);
	diags_free(&d);
}

static void test_unreadable_prj_is_an_error(void **state)
{
	fixture *f = *state;
	write_two_squares(f, "t", NULL);
	fixture_dir_text(f, "t", "prj", "GEOGCS[\"broken\", this is not WKT");
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_int_equal(l.n, 0);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[0].path, "geodata/t.prj");
	diags_free(&d);
}

/* Spherical (web) Mercator, in metres. */
static double merc_x(double lon)
{
	return 6378137.0 * lon * M_PI / 180;
}

static double merc_y(double lat)
{
	return 6378137.0 * log(tan(M_PI / 4 + lat * M_PI / 360));
}

static void test_projected_prj_comes_back_in_degrees(void **state)
{
	fixture *f = *state;
	static const double deg[] = {10, 0, 10, 50, 20, 50, 20, 0, 10, 0};
	double m[10];
	for (int i = 0; i < 5; i++) {
		m[2 * i] = merc_x(deg[2 * i]);
		m[2 * i + 1] = merc_y(deg[2 * i + 1]);
	}
	shape_spec s = {1, SQUARE_LEN, m, "MER", "Mercator"};
	geo_layer l;
	diags_t d = DIAGS_INIT;
	read_back(f, &s, NULL, WEBMERC_PRJ, &l, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(l.f[0].rings[0].n, 4);
	for (int i = 0; i < 4; i++) {
		assert_near(l.f[0].rings[0].p[i].x, deg[2 * i], 1e-7);
		assert_near(l.f[0].rings[0].p[i].y, deg[2 * i + 1], 1e-7);
	}
	assert_int_equal(l.f[0].rings[0].hole, 0);
	assert_near(l.f[0].bbox.ymax, 50, 1e-7);
	geo_layer_free(&l);
	diags_free(&d);
}

/* Longitude and latitude in grads from the Paris meridian, on another
 * ellipsoid: geographic, but not WGS 84 degrees. */
static void test_geographic_prj_in_grads_from_paris(void **state)
{
	fixture *f = *state;
	static const double grad[] = {0, 50, 0, 60, 10, 60, 10, 50, 0, 50};
	shape_spec s = {1, SQUARE_LEN, grad, "FRA", "Paris"};
	geo_layer l;
	diags_t d = DIAGS_INIT;
	read_back(f, &s, NULL,
		  "GEOGCS[\"GCS_NTF_Paris\",DATUM[\"D_NTF\",SPHEROID[\"Clarke_1880_IGN\","
		  "6378249.2,293.4660212936269]],PRIMEM[\"Paris\",2.337229166666667],"
		  "UNIT[\"Grad\",0.01570796326794897]]", &l, &d);
	/* PROJ may or may not find a datum shift for this ESRI datum; without
	 * one the reader says so */
	assert_int_equal(d.errors + d.fatals, 0);
	if (d.n)
		assert_has_diag(&d, DIAG_WARNING, "no datum transformation");
	const geo_ring *r = &l.f[0].rings[0];
	assert_int_equal(r->n, 4);
	/* 0 grad from Paris is 2.3372E; 50 grad is 45 degrees, 60 grad 54;
	 * the datum shift is a few hundred metres at most */
	for (size_t i = 0; i < 4; i++) {
		double lon = 2.337229166666667 + grad[2 * i] * 0.9;
		double lat = grad[2 * i + 1] * 0.9;
		if (fabs(r->p[i].x - lon) > 0.01 || fabs(r->p[i].y - lat) > 0.01)
			fail_msg("vertex %zu at %.5f %.5f, expected %.5f %.5f", i,
				 r->p[i].x, r->p[i].y, lon, lat);
	}
	geo_layer_free(&l);
	diags_free(&d);
}

/* ---- the common .prj read without PROJ ------------------------------------ */

/* Each text the reader takes as WGS 84 without PROJ is one PROJ reads as
 * a geographic CRS on the WGS 84 ellipsoid, from Greenwich, in degrees:
 * the table may hold nothing else. */
static void test_known_wgs84_texts_are_wgs84_to_proj(void **state)
{
	(void)state;
	size_t n = 0;
	for (const char *wkt; (wkt = geo_wgs84_wkt(n)) != NULL; n++) {
		char *log = NULL;
		PJ_CONTEXT *ctx = geo_proj_context_new(&log, 1);
		assert_non_null(ctx);
		PJ *crs = proj_create(ctx, wkt);
		if (!crs)
			fail_msg("text %zu: PROJ refused it: %s", n, log ? log : "");
		PJ_TYPE t = proj_get_type(crs);
		assert_true(t == PJ_TYPE_GEOGRAPHIC_2D_CRS);
		PJ *ellps = proj_get_ellipsoid(ctx, crs);
		PJ *pm = proj_get_prime_meridian(ctx, crs);
		PJ *cs = proj_crs_get_coordinate_system(ctx, crs);
		double a = 0, b = 0, invf = 0, lon = 1, unit = 0;
		int computed = 0;
		assert_true(proj_ellipsoid_get_parameters(ctx, ellps, &a, &b,
							  &computed, &invf));
		assert_true(proj_prime_meridian_get_parameters(ctx, pm, &lon,
							       NULL, NULL));
		assert_true(proj_cs_get_axis_info(ctx, cs, 0, NULL, NULL, NULL,
						  &unit, NULL, NULL, NULL));
		assert_double_eq(a, 6378137.0);
		assert_true(fabs(invf - 298.257223563) < 1e-9);
		assert_double_eq(lon, 0);
		assert_true(fabs(unit - M_PI / 180) < 1e-15);
		/* and the reader knows it, as written and as a file has it */
		assert_true(geo_wkt_is_known_wgs84(wkt, strlen(wkt)));
		char *framed = xasprintf("\xEF\xBB\xBF %s\r\n", wkt);
		assert_true(geo_wkt_is_known_wgs84(framed, strlen(framed)));
		free(framed);
		PJ *parts[] = {ellps, pm, cs, crs};
		for (size_t i = 0; i < 4; i++)
			proj_destroy(parts[i]);
		proj_context_destroy(ctx);
		free(log);
	}
	assert_int_equal(n, 3);
}

/* Anything but those texts goes to PROJ, even one that differs in a
 * datum, a meridian, a unit or a letter. */
static void test_other_prj_texts_are_not_known(void **state)
{
	(void)state;
	const char *esri = geo_wgs84_wkt(0);
	assert_non_null(esri);
	static const struct {
		const char *from, *to;
	} edits[] = {
		{"D_WGS_1984", "D_WGS_1972"},
		{"PRIMEM[\"Greenwich\",0.0]", "PRIMEM[\"Paris\",2.33722917]"},
		{"0.0174532925199433", "0.0157079632679490"},
		{"6378137.0", "6378135.0"},
		{"GCS_WGS_1984", "gcs_wgs_1984"},
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		const char *at = strstr(esri, edits[i].from);
		assert_non_null(at);
		char *t = xasprintf("%.*s%s%s", (int)(at - esri), esri, edits[i].to,
				    at + strlen(edits[i].from));
		if (geo_wkt_is_known_wgs84(t, strlen(t)))
			fail_msg("taken as WGS 84: %s", t);
		free(t);
	}
	char *more = xasprintf("%s,AXIS[\"Easting\",EAST]", esri);
	assert_false(geo_wkt_is_known_wgs84(more, strlen(more)));
	free(more);
	/* cut short by one byte */
	assert_false(geo_wkt_is_known_wgs84(esri, strlen(esri) - 1));
	assert_false(geo_wkt_is_known_wgs84("", 0));
	assert_false(geo_wkt_is_known_wgs84(NULL, 0));
}

/* A basemap whose .prj is the common one is read with no PROJ context;
 * one whose .prj PROJ reads as the same CRS, but written otherwise, is
 * read through PROJ, to the same points. */
static void test_common_prj_is_read_without_proj(void **state)
{
	fixture *f = *state;
	shape_spec s = {1, SQUARE_LEN, SQUARE_A, "AAA", "Alpha"};
	geo_layer l;
	diags_t d = DIAGS_INIT;
	size_t made = geo_proj_contexts_made();
	read_back(f, &s, NULL, WGS84_PRJ, &l, &d);
	assert_int_equal(geo_proj_contexts_made(), made);
	assert_int_equal(d.n, 0);
	assert_ring_equals(&l.f[0].rings[0], SQUARE_A, 4);
	geo_layer_free(&l);

	static const char spaced[] =
		"GEOGCS[\"GCS_WGS_1984\", DATUM[\"D_WGS_1984\", SPHEROID[\"WGS_1984\","
		" 6378137.0, 298.257223563]], PRIMEM[\"Greenwich\", 0.0],"
		" UNIT[\"Degree\", 0.0174532925199433]]";
	assert_false(geo_wkt_is_known_wgs84(spaced, strlen(spaced)));
	read_back(f, &s, NULL, spaced, &l, &d);
	assert_int_equal(geo_proj_contexts_made(), made + 1);
	assert_int_equal(d.n, 0);
	assert_ring_equals(&l.f[0].rings[0], SQUARE_A, 4);
	geo_layer_free(&l);
	diags_free(&d);
}

/* A byte order mark before a WKT PROJ must read (one written with
 * blanks) is no part of it: read through PROJ as without it. An empty or
 * blank .prj is an error that says so, not PROJ's words. */
static void test_prj_with_a_bom_or_empty(void **state)
{
	fixture *f = *state;
	shape_spec s = {1, SQUARE_LEN, SQUARE_A, "AAA", "Alpha"};
	geo_layer l;
	diags_t d = DIAGS_INIT;
	static const char spaced_bom[] =
		"\xEF\xBB\xBFGEOGCS[\"GCS_WGS_1984\", DATUM[\"D_WGS_1984\", "
		"SPHEROID[\"WGS_1984\", 6378137.0, 298.257223563]], "
		"PRIMEM[\"Greenwich\", 0.0], UNIT[\"Degree\", 0.0174532925199433]]\r\n";
	size_t made = geo_proj_contexts_made();
	read_back(f, &s, NULL, spaced_bom, &l, &d);
	assert_int_equal(geo_proj_contexts_made(), made + 1);
	assert_int_equal(d.n, 0);
	assert_ring_equals(&l.f[0].rings[0], SQUARE_A, 4);
	geo_layer_free(&l);
	static const char *const empty[] = {"", "\xEF\xBB\xBF", " \r\n\t\n"};
	for (size_t i = 0; i < 3; i++) {
		write_polygons(f, "t", &s, 1, NULL);
		fixture_dir_text(f, "t", "prj", empty[i]);
		assert_int_equal(read_layer(f, "t", &l, &d), -1);
		assert_int_equal(d.errors, 1);
		assert_string_equal(d.v[0].path, "geodata/t.prj");
		assert_has_diag(&d, DIAG_ERROR, "the .prj is empty");
		diags_free(&d);
		d = (diags_t)DIAGS_INIT;
	}
	diags_free(&d);
}

/* ---- broken files ---------------------------------------------------------- */

static size_t file_size(const char *path)
{
	buf_t b = BUF_INIT;
	assert_int_equal(fs_read(path, &b), 0);
	size_t n = b.len;
	buf_free(&b);
	return n;
}

/* Read the set after cutting ext to len bytes: must fail with a fatal
 * naming that file, and leave nothing allocated. */
static void expect_fatal_when_cut(fixture *f, const char *ext, size_t len)
{
	write_two_squares(f, "t", NULL);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
	char *p = fixture_dir_path(f, "t", ext);
	assert_int_equal(truncate(p, (off_t)len), 0);
	free(p);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	int rc = read_layer(f, "t", &l, &d);
	if (rc != -1 || d.fatals != 1)
		fail_msg("%s cut to %zu bytes: rc %d, %zu fatal(s)", ext, len, rc, d.fatals);
	char *shown = xasprintf("geodata/t.%s", ext);
	assert_string_equal(d.v[d.n - 1].path, shown);
	assert_has_diag(&d, DIAG_FATAL, "truncated or corrupt shapefile");
	assert_int_equal(l.n, 0);
	assert_null(l.f);
	free(shown);
	diags_free(&d);
}

static void test_truncated_files_are_fatal(void **state)
{
	fixture *f = *state;
	write_two_squares(f, "t", NULL);
	char *shp = fixture_dir_path(f, "t", "shp"), *shx = fixture_dir_path(f, "t", "shx");
	char *dbf = fixture_dir_path(f, "t", "dbf");
	size_t nshp = file_size(shp), nshx = file_size(shx), ndbf = file_size(dbf);
	free(shp);
	free(shx);
	free(dbf);
	/* 100-byte headers, two 8-byte index entries, two 136-byte records */
	assert_int_equal(nshx, 116);
	assert_int_equal(nshp, 100 + 2 * 136);
	size_t shp_cuts[] = {0, 4, 50, 99, 100, 108, 150, nshp - 136, nshp - 1};
	for (size_t i = 0; i < sizeof shp_cuts / sizeof *shp_cuts; i++)
		expect_fatal_when_cut(f, "shp", shp_cuts[i]);
	size_t shx_cuts[] = {0, 24, 99, 100, 104, 108, nshx - 1};
	for (size_t i = 0; i < sizeof shx_cuts / sizeof *shx_cuts; i++)
		expect_fatal_when_cut(f, "shx", shx_cuts[i]);
	/* header 32 + 2 fields * 32 + terminator = 97; records of 44 bytes */
	size_t dbf_cuts[] = {0, 10, 31, 32, 60, 96, 97, 120, 97 + 44 + 43};
	assert_ge(ndbf, 97 + 2 * 44);
	for (size_t i = 0; i < sizeof dbf_cuts / sizeof *dbf_cuts; i++)
		expect_fatal_when_cut(f, "dbf", dbf_cuts[i]);
}

/* A small deterministic generator for garbage bytes. */
static uint32_t next_random(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void write_garbage(const char *path, size_t n, uint32_t seed)
{
	unsigned char *g = malloc(n);
	for (size_t i = 0; i < n; i++)
		g[i] = (unsigned char)next_random(&seed);
	assert_int_equal(fs_write(path, g, n), 0);
	free(g);
}

static void test_garbage_files_are_fatal(void **state)
{
	fixture *f = *state;
	static const char *exts[] = {"shp", "shx", "dbf"};
	for (int e = 0; e < 3; e++) {
		for (uint32_t seed = 1; seed <= 8; seed++) {
			write_two_squares(f, "t", NULL);
			char *p = fixture_dir_path(f, "t", exts[e]);
			write_garbage(p, 64 + seed * 97, seed);
			free(p);
			geo_layer l;
			diags_t d = DIAGS_INIT;
			assert_int_equal(read_layer(f, "t", &l, &d), -1);
			assert_int_equal(d.fatals, 1);
			assert_int_equal(l.n, 0);
			diags_free(&d);
		}
	}
}

/* A .shp whose header is fine but whose record says it has a billion parts
 * or points out of order. */
static void test_corrupt_record_is_fatal(void **state)
{
	fixture *f = *state;
	static const size_t field_at[] = {100 + 8 + 36, 100 + 8 + 40, 100 + 8 + 44};
	static const uint32_t bad[] = {1000000000u, 0x7fffffffu, 3u};
	for (int i = 0; i < 3; i++) {
		write_two_squares(f, "t", NULL);
		char *p = fixture_dir_path(f, "t", "shp");
		buf_t b = BUF_INIT;
		assert_int_equal(fs_read(p, &b), 0);
		unsigned char *c = (unsigned char *)b.ptr + field_at[i];
		for (int k = 0; k < 4; k++)
			c[k] = (unsigned char)(bad[i] >> (8 * k));
		assert_int_equal(fs_write(p, b.ptr, b.len), 0);
		buf_free(&b);
		free(p);
		geo_layer l;
		diags_t d = DIAGS_INIT;
		assert_int_equal(read_layer(f, "t", &l, &d), -1);
		assert_has_diag(&d, DIAG_FATAL, "truncated or corrupt");
		assert_string_equal(d.v[d.n - 1].path, "geodata/t.shp");
		diags_free(&d);
	}
}

static void test_missing_file_says_so(void **state)
{
	fixture *f = *state;
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "none", &l, &d), -1);
	/* the site's to fix: an error, not a failure to read (exit 3) */
	assert_int_equal(d.fatals, 0);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_string_equal(d.v[0].path, "geodata/t.shp");
	assert_string_equal(d.v[0].msg, "cannot open: No such file or directory; "
			    "map.basemap and map.points in site.yml name the "
			    "shapefiles (in partnermap's own repository, make "
			    "basemap makes the example's)");
	diags_free(&d);
	write_two_squares(f, "t", NULL);
	char *dbf = fixture_dir_path(f, "t", "dbf");
	assert_int_equal(unlink(dbf), 0);
	free(dbf);
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_string_equal(d.v[0].path, "geodata/t.dbf");
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_string_equal(d.v[0].msg, "cannot open: No such file or directory; "
			    "a shapefile is its .shp with the .shx and .dbf of "
			    "the same name beside it: export the layer again, "
			    "with all its files");
	diags_free(&d);
}

/* ---- points ---------------------------------------------------------------- */

static void write_points(const fixture *f)
{
	char *shp_path = fixture_dir_path(f, "pts", "shp"), *dbf_path = fixture_dir_path(f, "pts", "dbf");
	SHPHandle shp = SHPCreate(shp_path, SHPT_POINT);
	DBFHandle dbf = DBFCreate(dbf_path);
	assert_int_equal(DBFAddField(dbf, "slug", FTString, 12, 0), 0);
	static const double lon[] = {32.5825, 0, -0.1276};
	static const double lat[] = {0.3476, 0, 51.5072};
	static const char *slug[] = {"makerere", "null", "london"};
	for (int i = 0; i < 3; i++) {
		SHPObject *o = i == 1 ? SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL)
				      : SHPCreateSimpleObject(SHPT_POINT, 1, &lon[i], &lat[i], NULL);
		assert_ge(SHPWriteObject(shp, -1, o), 0);
		SHPDestroyObject(o);
		assert_int_equal(DBFWriteStringAttribute(dbf, i, 0, slug[i]), 1);
	}
	SHPClose(shp);
	DBFClose(dbf);
	free(shp_path);
	free(dbf_path);
	fixture_dir_text(f, "pts", "prj", WGS84_PRJ);
}

static void test_point_shapefile(void **state)
{
	fixture *f = *state;
	write_points(f);
	char *p = fixture_dir_path(f, "pts", "shp");
	seen s = {0};
	diags_t d = DIAGS_INIT;
	assert_int_equal(geo_read_points(p, "geodata/pts.shp", "slug", collect, &s, &d), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.slug[0], "makerere");
	assert_double_eq(s.lat[0], 0.3476);
	assert_double_eq(s.lon[0], 32.5825);
	assert_int_equal(s.record[0], 1);
	assert_string_equal(s.slug[1], "london");
	assert_double_eq(s.lat[1], 51.5072);
	assert_double_eq(s.lon[1], -0.1276);
	assert_int_equal(s.record[1], 3);
	assert_int_equal(d.warnings, 1); /* the null point */
	assert_has_diag(&d, DIAG_WARNING, "record 2");
	diags_free(&d);
	/* wrong field, and the wrong kind of shapefile either way */
	assert_int_equal(geo_read_points(p, "geodata/pts.shp", "name", collect, &s, &d), -1);
	assert_has_diag(&d, DIAG_ERROR, "slug");
	diags_free(&d);
	geo_layer l;
	assert_int_equal(geo_read_polygons(p, "geodata/pts.shp", "slug", "slug", &l, &d), -1);
	assert_has_diag(&d, DIAG_ERROR, "polygon shapes expected");
	diags_free(&d);
	write_two_squares(f, "t", NULL);
	char *poly = fixture_dir_path(f, "t", "shp");
	assert_int_equal(geo_read_points(poly, "geodata/t.shp", "name", collect, &s, &d), -1);
	assert_has_diag(&d, DIAG_ERROR, "point shapes expected");
	diags_free(&d);
	free(poly);
	/* a truncated point file */
	assert_int_equal(truncate(p, 130), 0);
	assert_int_equal(geo_read_points(p, "geodata/pts.shp", "slug", collect, &s, &d), -1);
	assert_int_equal(d.fatals, 1);
	diags_free(&d);
	free(p);
}

/* ---- the real basemap ------------------------------------------------------- */

static void test_natural_earth_basemap(void **state)
{
	geo_layer l;
	if (basemap_read(&l))
		return;
	assert_int_equal(l.n, 177);
	const geo_feature *civ = &l.f[basemap_index(&l, "CIV")];
	assert_string_equal(civ->name, "C\xc3\xb4te d'Ivoire");
	/* Lesotho is a hole in South Africa, right behind its outer ring */
	const geo_feature *zaf = &l.f[basemap_index(&l, "ZAF")];
	size_t holes = 0;
	for (size_t r = 0; r < zaf->nrings; r++)
		holes += (size_t)zaf->rings[r].hole;
	assert_int_equal(holes, 1);
	assert_int_equal(zaf->rings[0].hole, 0);
	assert_int_equal(zaf->rings[1].hole, 1);
	const geo_feature *lso = &l.f[basemap_index(&l, "LSO")];
	assert_int_equal(lso->rings[0].n, zaf->rings[1].n); /* the same border */
	/* every feature has a sane box in degrees, every name is UTF-8 text */
	for (size_t i = 0; i < l.n; i++) {
		assert_gt(l.f[i].nrings, 0);
		assert_ge(l.f[i].bbox.xmin, -180);
		assert_le(l.f[i].bbox.xmax, 180.000001);
		assert_ge(l.f[i].bbox.ymin, -90);
		assert_le(l.f[i].bbox.ymax, 90);
		assert_gt(strlen(l.f[i].name), 0);
	}
	geo_layer_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_squares_read_back_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_holes_follow_their_outer_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_triangle_island_and_null_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_minus_99_or_empty_is_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_field_lists_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latin1_cpg_gives_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_windows_1252_cpg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_cpg_guesses_utf8_then_latin1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_prj_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_prj_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_projected_prj_comes_back_in_degrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geographic_prj_in_grads_from_paris, setup, teardown),
		cmocka_unit_test(test_known_wgs84_texts_are_wgs84_to_proj),
		cmocka_unit_test(test_other_prj_texts_are_not_known),
		cmocka_unit_test_setup_teardown(test_common_prj_is_read_without_proj, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prj_with_a_bom_or_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_files_are_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_files_are_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_record_is_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(test_point_shapefile, setup, teardown),
		cmocka_unit_test(test_natural_earth_basemap),
	};
	return cmocka_run_group_tests_name("shapefile", tests, NULL, NULL);
}
