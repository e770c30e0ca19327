/* test_locate.c - point in polygon with holes, and distances to features. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basemap.h"
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo.h"
#include "geo/map.h"
#include "util/fs.h"

#define DEG (M_PI / 180)

static void set_ring(geo_ring *r, const double *xy, size_t n, int hole)
{
	r->p = xmalloc(n * sizeof *r->p);
	r->n = n;
	r->hole = hole;
	for (size_t i = 0; i < n; i++) {
		r->p[i].x = xy[2 * i];
		r->p[i].y = xy[2 * i + 1];
	}
}

/* Feature 0: a 10-degree square at (0..10, 0..10) with a hole at
 * (3..6, 3..6). Feature 1: the square east of it, sharing an edge.
 * Feature 2: a square just west of the antimeridian. */
static void make_layer(geo_layer *l)
{
	static const double outer[] = {0, 0, 0, 10, 10, 10, 10, 0};
	static const double hole[] = {3, 3, 6, 3, 6, 6, 3, 6};
	static const double east[] = {10, 0, 10, 10, 20, 10, 20, 0};
	static const double dateline[] = {170, -10, 170, 10, 179.5, 10, 179.5, -10};
	l->n = 3;
	l->f = xcalloc(3, sizeof *l->f);
	l->f[0].rings = xcalloc(2, sizeof(geo_ring));
	l->f[0].nrings = 2;
	set_ring(&l->f[0].rings[0], outer, 4, 0);
	set_ring(&l->f[0].rings[1], hole, 4, 1);
	l->f[1].rings = xcalloc(1, sizeof(geo_ring));
	l->f[1].nrings = 1;
	set_ring(&l->f[1].rings[0], east, 4, 0);
	l->f[2].rings = xcalloc(1, sizeof(geo_ring));
	l->f[2].nrings = 1;
	set_ring(&l->f[2].rings[0], dateline, 4, 0);
	for (size_t i = 0; i < 3; i++) {
		l->f[i].name = xstrdup("x");
		geo_feature_bbox(&l->f[i]);
	}
}

/* Great-circle distance by the spherical law of cosines: a different
 * formula from the code under test. */
static double cosine_km(double lon1, double lat1, double lon2, double lat2)
{
	double c = sin(lat1 * DEG) * sin(lat2 * DEG) +
		   cos(lat1 * DEG) * cos(lat2 * DEG) * cos((lon2 - lon1) * DEG);
	return 6371.0088 * acos(fmin(1, fmax(-1, c)));
}

static void test_bbox(void **state)
{
	geo_layer l;
	make_layer(&l);
	assert_double_eq(l.f[0].bbox.xmin, 0);
	assert_double_eq(l.f[0].bbox.ymin, 0);
	assert_double_eq(l.f[0].bbox.xmax, 10);
	assert_double_eq(l.f[0].bbox.ymax, 10);
	assert_double_eq(l.f[2].bbox.xmin, 170);
	assert_double_eq(l.f[2].bbox.xmax, 179.5);
	geo_feature empty = {0};
	geo_feature_bbox(&empty);
	assert_gt(empty.bbox.xmin, empty.bbox.xmax); /* holds no point */
	assert_int_equal(geo_point_in_feature(&empty, 0, 0), 0);
	geo_layer_free(&l);
}

static void test_point_in_polygon_with_hole(void **state)
{
	geo_layer l;
	make_layer(&l);
	assert_int_equal(geo_point_in_feature(&l.f[0], 1, 1), 1);
	assert_int_equal(geo_point_in_feature(&l.f[0], 9.5, 5), 1);
	assert_int_equal(geo_point_in_feature(&l.f[0], 4, 4), 0); /* the hole */
	assert_int_equal(geo_point_in_feature(&l.f[0], 11, 5), 0);
	assert_int_equal(geo_point_in_feature(&l.f[0], 5, -0.5), 0);
	assert_int_equal(geo_point_in_feature(&l.f[0], NAN, 5), 0);
	assert_int_equal(geo_locate_point(&l, 1, 1), 0);
	assert_int_equal(geo_locate_point(&l, 15, 5), 1);
	assert_int_equal(geo_locate_point(&l, 4, 4), -1);
	assert_int_equal(geo_locate_point(&l, 175, 0), 2);
	assert_int_equal(geo_locate_point(&l, 175 - 360, 0), 2); /* any turn */
	assert_int_equal(geo_locate_point(&l, -175, 0), -1);
	assert_int_equal(geo_locate_point(&l, 50, 50), -1);
	geo_layer_free(&l);
}

static void test_distances(void **state)
{
	geo_layer l;
	make_layer(&l);
	/* inside: zero; in the hole: up to the hole's edge */
	assert_double_eq(geo_distance_km(&l.f[0], 1, 1), 0);
	double in_hole = geo_distance_km(&l.f[0], 4, 4.5);
	assert_near(in_hole, cosine_km(4, 4.5, 3, 4.5), 0.5);
	/* east of the east square, at its edge's height */
	double d = geo_distance_km(&l.f[1], 22, 5);
	assert_near(d, cosine_km(22, 5, 20, 5), 0.5);
	/* beyond a corner: the corner is nearest */
	d = geo_distance_km(&l.f[1], 23, 14);
	assert_near(d, cosine_km(23, 14, 20, 10), 1);
	/* across the antimeridian: 180.5 is half a degree east of the box */
	d = geo_distance_km(&l.f[2], -179.5, 0);
	assert_near(d, cosine_km(-179.5, 0, 179.5, 0), 0.5);
	assert_lt(d, 120);
	/* far away stays far */
	assert_gt(geo_distance_km(&l.f[0], -150, -60), 10000);
	geo_layer_free(&l);
}

/* An edge stored across the antimeridian, 170E to 170W, runs the short way
 * (over 180), not round the back of the globe past the query point. */
static void test_edge_across_the_antimeridian(void **state)
{
	static const double ring[] = {170, -10, 170, 10, -170, 10, -170, -10};
	geo_feature f = {0};
	f.rings = xcalloc(1, sizeof(geo_ring));
	f.nrings = 1;
	set_ring(&f.rings[0], ring, 4, 0);
	geo_feature_bbox(&f);
	double d = geo_distance_km(&f, 0, 40);
	assert_near(d, cosine_km(0, 40, 170, 10), 1);
	d = geo_distance_km(&f, 180, 12);
	assert_near(d, cosine_km(180, 12, 180, 10), 0.5);
	free(f.rings[0].p);
	free(f.rings);
}

/* ---- the real basemap ---------------------------------------------------- */

static const char *code_at(const geo_layer *l, double lat, double lon)
{
	int i = geo_locate_point(l, lon, lat);
	return i < 0 ? "(sea)" : l->f[i].code ? l->f[i].code : "(no code)";
}


static void test_basemap_locations(void **state)
{
	geo_layer l;
	if (basemap_read(&l))
		return;
	assert_string_equal(code_at(&l, 0.3476, 32.5825), "UGA");   /* Kampala */
	assert_string_equal(code_at(&l, -1.2921, 36.8219), "KEN");  /* Nairobi */
	assert_string_equal(code_at(&l, 13.7563, 100.5018), "THA"); /* Bangkok */
	assert_string_equal(code_at(&l, -29.3151, 27.4869), "LSO"); /* Maseru, in ZAF's hole */
	assert_string_equal(code_at(&l, -26.2041, 28.0473), "ZAF");   /* Johannesburg */
	assert_string_equal(code_at(&l, 64.7, 177.5), "RUS");        /* Anadyr, near 180 */
	assert_string_equal(code_at(&l, -80, 0), "ATA");
	assert_string_equal(code_at(&l, -89.9, 45), "ATA");
	/* Kampala is in Uganda and some way from Kenya */
	int uga = (int)basemap_index(&l, "UGA"), ken = (int)basemap_index(&l, "KEN");
	assert_double_eq(geo_distance_km(&l.f[uga], 32.5825, 0.3476), 0);
	double to_kenya = geo_distance_km(&l.f[ken], 32.5825, 0.3476);
	assert_gt(to_kenya, 50);
	assert_lt(to_kenya, 300);
	/* the middle of the North Atlantic: no country, none within 500 km */
	assert_int_equal(geo_locate_point(&l, -40, 30), -1);
	double nearest = INFINITY;
	for (size_t i = 0; i < l.n; i++)
		nearest = fmin(nearest, geo_distance_km(&l.f[i], -40, 30));
	assert_gt(nearest, 500);
	assert_lt(nearest, 5000);
	geo_layer_free(&l);
}

/* The map's load looks up each keep point (the partners' locations) to
 * keep it inside its country, and says where it found it: what
 * geo_map_locate gives on the map made, for every point, in countries, at
 * sea, in a hole (Lesotho) and across the antimeridian; GEO_UNFOUND only
 * for one not looked up. The build locates its partners from these. */
static void test_keep_found_is_locate(void **state)
{
	(void)state;
	if (basemap_missing()) {
		skip();
		return;
	}
	enum { N = 19 * 36 + 4 };
	geo_lonlat keep[N];
	int found[N];
	size_t n = 0;
	for (int lat = -90; lat <= 90; lat += 10)
		for (int lon = -175; lon <= 175; lon += 10)
			keep[n++] = (geo_lonlat){lon + 0.5, lat * 0.99};
	keep[n++] = (geo_lonlat){32.5825, 0.3476};    /* Kampala */
	keep[n++] = (geo_lonlat){27.4869, -29.3151};  /* Maseru */
	keep[n++] = (geo_lonlat){177.5, 64.7};        /* Anadyr */
	keep[n++] = (geo_lonlat){-40, 30};            /* the Atlantic */
	assert_int_equal(n, N);
	diags_t d = DIAGS_INIT;
	geo_options o = {.basemap = BASEMAP, .basemap_shown = BASEMAP,
			 .iso_field = "iso_a3", .name_field = "name",
			 .keep = keep, .nkeep = N, .keep_found = found};
	geo_map *m = geo_map_load(&o, &d);
	assert_non_null(m);
	size_t looked = 0, land = 0;
	for (size_t i = 0; i < N; i++) {
		if (found[i] == GEO_UNFOUND)
			continue;
		looked++;
		land += found[i] >= 0;
		assert_int_equal(found[i], geo_map_locate(m, keep[i]));
	}
	assert_int_equal(looked, N); /* the budget reaches them all */
	assert_gt(land, N / 5);
	assert_true(land < N - N / 5);
	assert_string_equal(geo_map_code(m, (size_t)found[N - 4]), "UGA");
	assert_string_equal(geo_map_code(m, (size_t)found[N - 3]), "LSO");
	assert_string_equal(geo_map_code(m, (size_t)found[N - 2]), "RUS");
	assert_int_equal(found[N - 1], -1);
	geo_map_free(m);
	diags_free(&d);
}

/* geo_map_drawn's bytes, collected. */
static void collect(void *ctx, const void *p, size_t n)
{
	buf_put(ctx, p, n);
}

static buf_t drawn_with(const geo_lonlat *keep, size_t n)
{
	diags_t d = DIAGS_INIT;
	geo_options o = {.basemap = BASEMAP, .basemap_shown = BASEMAP,
			 .iso_field = "iso_a3", .name_field = "name",
			 .keep = keep, .nkeep = n};
	geo_map *m = geo_map_load(&o, &d);
	assert_non_null(m);
	buf_t b = BUF_INIT;
	geo_map_drawn(m, collect, &b);
	geo_map_free(m);
	diags_free(&d);
	return b;
}

/* The outlines as drawn follow the partners kept inside their country:
 * a partner by the Lao border (20.4 N, 100.1 E) changes what
 * geo_map_drawn gives, a partner well inside Thailand does not, and the
 * same partners give the same bytes. */
static void test_drawn_follows_the_kept_points(void **state)
{
	(void)state;
	if (basemap_missing())
		return;
	const geo_lonlat inside = {98.5, 18.5}, border = {100.1, 20.4};
	buf_t none = drawn_with(NULL, 0), in = drawn_with(&inside, 1),
	      at = drawn_with(&border, 1), again = drawn_with(&border, 1);
	assert_true(none.len > 1000);
	assert_int_equal(in.len, none.len);
	assert_memory_equal(in.ptr, none.ptr, none.len);
	assert_int_equal(again.len, at.len);
	assert_memory_equal(again.ptr, at.ptr, at.len);
	assert_true(at.len != none.len || memcmp(at.ptr, none.ptr, none.len));
	buf_free(&none);
	buf_free(&in);
	buf_free(&at);
	buf_free(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bbox),
		cmocka_unit_test(test_point_in_polygon_with_hole),
		cmocka_unit_test(test_distances),
		cmocka_unit_test(test_edge_across_the_antimeridian),
		cmocka_unit_test(test_basemap_locations),
		cmocka_unit_test(test_keep_found_is_locate),
		cmocka_unit_test(test_drawn_follows_the_kept_points),
	};
	return cmocka_run_group_tests_name("locate", tests, NULL, NULL);
}
