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

/* buf_free of each buf_t named. */
#define FREE_BUFS(...)                                                         \
	do {                                                                   \
		buf_t *all_[] = {__VA_ARGS__};                                 \
		for (size_t i_ = 0; i_ < sizeof all_ / sizeof all_[0]; i_++)   \
			buf_free(all_[i_]);                                    \
	} while (0)

/* A geo_drawn_store in memory: the last bytes put, and how often each
 * hook was called. */
typedef struct mem_store {
	unsigned char key[GEO_DRAWN_KEY];
	buf_t bytes;
	int has, gets, hits, puts, refusals;
} mem_store;

static int mem_get(void *ctx, const unsigned char *key, buf_t *out)
{
	mem_store *m = ctx;
	m->gets++;
	if (!m->has || memcmp(key, m->key, GEO_DRAWN_KEY))
		return -1;
	m->hits++;
	buf_put(out, m->bytes.ptr, m->bytes.len);
	return 0;
}

static void mem_put(void *ctx, const unsigned char *key, const void *bytes,
		    size_t n)
{
	mem_store *m = ctx;
	m->puts++;
	memcpy(m->key, key, GEO_DRAWN_KEY);
	buf_reset(&m->bytes);
	buf_put(&m->bytes, bytes, n);
	m->has = 1;
}

static void mem_refused(void *ctx)
{
	((mem_store *)ctx)->refusals++;
}

/* A load of the basemap with keep (n points) through store (or none):
 * geo_map_drawn's bytes, and where each point was found in found. */
static buf_t drawn_through(const geo_drawn_store *store, const geo_lonlat *keep,
			   size_t n, int *found)
{
	diags_t d = DIAGS_INIT;
	geo_options o = {.basemap = BASEMAP, .basemap_shown = BASEMAP,
			 .iso_field = "iso_a3", .name_field = "name",
			 .keep = keep, .nkeep = n, .keep_found = found,
			 .drawn = store};
	geo_map *m = geo_map_load(&o, &d);
	assert_non_null(m);
	assert_int_equal(d.n, 0);
	buf_t b = BUF_INIT;
	geo_map_drawn(m, collect, &b);
	geo_map_free(m);
	diags_free(&d);
	return b;
}

static void assert_same_bytes(const buf_t *a, const buf_t *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->ptr, b->ptr, a->len);
}

/* The partners by borders and coasts of the tests above, and at sea. */
static const geo_lonlat KEPT[] = {
	{100.1, 20.4}, {98.5, 18.5}, {35.5, 33.9}, {120.98, 14.6},
	{35.0, -15.8}, {-40, 30}, {32.5825, 0.3476},
};
#define NKEPT (sizeof KEPT / sizeof KEPT[0])

/* The load keeps its simplification in the store and takes it back for
 * the same inputs: the same outlines and the same places found as a load
 * that simplifies, without simplifying (nothing put). Another keep point
 * is another key: simplified again. */
static void test_simplification_is_kept_and_taken_back(void **state)
{
	(void)state;
	if (basemap_missing())
		return;
	mem_store ms = {.bytes = BUF_INIT};
	geo_drawn_store store = {mem_get, mem_put, mem_refused, &ms};
	int plain_found[NKEPT], first_found[NKEPT], again_found[NKEPT];
	buf_t plain = drawn_through(NULL, KEPT, NKEPT, plain_found);
	buf_t first = drawn_through(&store, KEPT, NKEPT, first_found);
	assert_int_equal(ms.puts, 1);
	assert_int_equal(ms.hits, 0);
	assert_same_bytes(&first, &plain);
	buf_t again = drawn_through(&store, KEPT, NKEPT, again_found);
	assert_int_equal(ms.puts, 1);
	assert_int_equal(ms.hits, 1);
	assert_same_bytes(&again, &plain);
	for (size_t i = 0; i < NKEPT; i++) {
		assert_int_equal(first_found[i], plain_found[i]);
		assert_int_equal(again_found[i], plain_found[i]);
	}
	assert_int_equal(plain_found[5], -1); /* the Atlantic */
	assert_true(plain_found[0] >= 0);
	/* one partner moved 1 km: a new key, simplified afresh */
	geo_lonlat moved[NKEPT];
	memcpy(moved, KEPT, sizeof moved);
	moved[0].lon += 0.01;
	int moved_found[NKEPT];
	buf_t m1 = drawn_with(moved, NKEPT);
	buf_t m2 = drawn_through(&store, moved, NKEPT, moved_found);
	assert_int_equal(ms.puts, 2);
	assert_int_equal(ms.hits, 1);
	assert_same_bytes(&m2, &m1);
	/* and one point fewer is another key too */
	buf_t fewer = drawn_through(&store, KEPT, NKEPT - 1, plain_found);
	assert_int_equal(ms.puts, 3);
	assert_int_equal(ms.refusals, 0);
	FREE_BUFS(&plain, &first, &again, &m1, &m2, &fewer, &ms.bytes);
}

/* Bytes under the right key that are not what a load makes (cut short,
 * a flip of 2, a threshold that is NaN or negative, a feature past the
 * last, a count that is another map's) are not taken: the load
 * simplifies afresh, to the outlines it would make. */
static void test_bad_kept_bytes_are_simplified_afresh(void **state)
{
	(void)state;
	if (basemap_missing())
		return;
	mem_store ms = {.bytes = BUF_INIT};
	geo_drawn_store store = {mem_get, mem_put, mem_refused, &ms};
	int found[NKEPT];
	buf_t plain = drawn_through(&store, KEPT, NKEPT, found);
	assert_int_equal(ms.puts, 1);
	buf_t good = BUF_INIT;
	buf_put(&good, ms.bytes.ptr, ms.bytes.len);
	const size_t npt = (size_t)((const unsigned char *)good.ptr)[0] |
			   (size_t)((const unsigned char *)good.ptr)[1] << 8 |
			   (size_t)((const unsigned char *)good.ptr)[2] << 16;
	const size_t flips_at = 56 + 8 * npt, found_at = good.len - 4 * NKEPT;
	enum { CUT, FLIP, NAN_T, NEG_THR, PAST, COUNT, NBAD };
	for (int bad = 0; bad < NBAD; bad++) {
		buf_reset(&ms.bytes);
		buf_put(&ms.bytes, good.ptr, good.len);
		unsigned char *p = (unsigned char *)ms.bytes.ptr;
		double v;
		switch (bad) {
		case CUT:
			ms.bytes.len--;
			break;
		case FLIP:
			p[flips_at] = 2;
			break;
		case NAN_T:
			v = NAN;
			memcpy(p + 24, &v, 8);
			break;
		case NEG_THR:
			v = -1;
			memcpy(p + 56 + 8 * 3, &v, 8);
			break;
		case PAST:
			p[found_at] = 0xfe; /* feature 254 of some 177 */
			p[found_at + 1] = p[found_at + 2] = p[found_at + 3] = 0;
			break;
		case COUNT:
			p[8]++; /* rings */
			break;
		}
		int puts = ms.puts, hits = ms.hits, refusals = ms.refusals;
		int got[NKEPT];
		buf_t b = drawn_through(&store, KEPT, NKEPT, got);
		/* given, refused (and told) and made again */
		assert_int_equal(ms.hits, hits + 1);
		assert_int_equal(ms.refusals, refusals + 1);
		assert_int_equal(ms.puts, puts + 1);
		assert_same_bytes(&b, &plain);
		for (size_t i = 0; i < NKEPT; i++)
			assert_int_equal(got[i], found[i]);
		assert_same_bytes(&ms.bytes, &good);
		buf_free(&b);
	}
	FREE_BUFS(&plain, &good, &ms.bytes);
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
		cmocka_unit_test(test_simplification_is_kept_and_taken_back),
		cmocka_unit_test(test_bad_kept_bytes_are_simplified_afresh),
	};
	return cmocka_run_group_tests_name("locate", tests, NULL, NULL);
}
