/* test_cluster.c - grid clustering of projected points (geo/cluster.h):
 * every point counted once, the same bytes for the same input, no
 * cluster reaching out of its cell, a lone point left alone, points that
 * are not finite and bad cell sizes refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "check.h"
#include "geo/cluster.h"

/* n points spread over a 960 x 500 map by a fixed linear congruential
 * sequence, bunched into a few hot spots as partners are. */
static geo_pt *scatter(size_t n)
{
	geo_pt *p = xmalloc(n * sizeof *p);
	unsigned long s = 12345;
	for (size_t i = 0; i < n; i++) {
		s = s * 1103515245UL + 12345UL;
		double a = (double)((s >> 8) % 960000) / 1000.0;
		s = s * 1103515245UL + 12345UL;
		double b = (double)((s >> 8) % 500000) / 1000.0;
		if (i % 3 == 0) { /* a hot spot around (480, 250) */
			a = 480 + fmod(a, 10.0);
			b = 250 + fmod(b, 10.0);
		}
		p[i] = (geo_pt){a, b};
	}
	return p;
}

/* scatter(n) gathered into cells of the given size in *k; the caller
 * gives both back with release(). */
static geo_pt *scattered(size_t n, double cell, geo_clusters *k)
{
	geo_pt *p = scatter(n);
	assert_int_equal(geo_cluster_grid(p, n, cell, k), 0);
	return p;
}

static void release(geo_pt *p, geo_clusters *k)
{
	geo_clusters_free(k);
	free(p);
}

static void counts_are_conserved(void **state)
{
	(void)state;
	size_t n = 5000;
	static const double cells[] = {8, 24, 64, 1000};
	for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
		geo_clusters k;
		geo_pt *p = scattered(n, cells[c], &k);
		size_t sum = 0;
		unsigned char *seen = xcalloc(n, 1);
		for (size_t j = 0; j < k.n; j++) {
			assert_int_equal(k.v[j].first, sum);
			sum += k.v[j].count;
		}
		assert_int_equal(sum, n);
		assert_int_equal(k.nmembers, n);
		for (size_t j = 0; j < k.nmembers; j++) {
			assert_false(seen[k.members[j]]);
			seen[k.members[j]] = 1;
		}
		free(seen);
		release(p, &k);
	}
}

static void same_input_same_output(void **state)
{
	(void)state;
	size_t n = 3000;
	geo_clusters a, b;
	geo_pt *p = scattered(n, 24, &a);
	assert_int_equal(geo_cluster_grid(p, n, 24, &b), 0);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.v, b.v, a.n * sizeof *a.v);
	assert_memory_equal(a.members, b.members, n * sizeof *a.members);
	/* cell order: row by row, column by column; members in input order */
	for (size_t j = 1; j < a.n; j++) {
		const geo_cluster *x = &a.v[j - 1], *y = &a.v[j];
		assert_true(x->cy < y->cy || (x->cy == y->cy && x->cx < y->cx));
	}
	for (size_t j = 0; j < a.n; j++)
		for (size_t m = 1; m < a.v[j].count; m++)
			assert_lt(a.members[a.v[j].first + m - 1],
				  a.members[a.v[j].first + m]);
	geo_clusters_free(&b);
	release(p, &a);
}

/* Members, mean and representative all lie in the cluster's own cell. */
static void no_cluster_straddles_its_cell(void **state)
{
	(void)state;
	size_t n = 4000;
	double cell = 32;
	geo_clusters k;
	geo_pt *p = scattered(n, cell, &k);
	for (size_t j = 0; j < k.n; j++) {
		const geo_cluster *c = &k.v[j];
		double x0 = (double)c->cx * cell, y0 = (double)c->cy * cell;
		for (size_t m = 0; m < c->count; m++) {
			geo_pt q = p[k.members[c->first + m]];
			assert_true(q.x >= x0 && q.x < x0 + cell);
			assert_true(q.y >= y0 && q.y < y0 + cell);
		}
		assert_true(c->x >= x0 && c->x < x0 + cell);
		assert_true(c->y >= y0 && c->y < y0 + cell);
		assert_int_equal(floor(p[c->rep].x / cell), c->cx);
		assert_int_equal(floor(p[c->rep].y / cell), c->cy);
	}
	release(p, &k);
}

static void lone_point_stays_a_marker(void **state)
{
	(void)state;
	/* two close points share a cell; the far one and the one just over
	 * the edge (x = 10 belongs to the next cell) are alone */
	static const geo_pt p[] = {{1, 1}, {500, 300}, {2, 3}, {10, 1}};
	geo_clusters k;
	assert_int_equal(geo_cluster_grid(p, 4, 10, &k), 0);
	assert_int_equal(k.n, 3);
	assert_int_equal(k.v[0].count, 2);
	assert_int_equal(k.members[k.v[0].first], 0);
	assert_int_equal(k.members[k.v[0].first + 1], 2);
	assert_double_eq(k.v[0].x, 1.5);
	assert_double_eq(k.v[0].y, 2);
	assert_int_equal(k.v[1].count, 1);
	assert_int_equal(k.v[1].rep, 3);
	assert_double_eq(k.v[1].x, 10);
	assert_int_equal(k.v[2].count, 1);
	assert_int_equal(k.v[2].rep, 1);
	assert_int_equal(k.v[2].cx, 50);
	assert_int_equal(k.v[2].cy, 30);
	geo_clusters_free(&k);
}

static void negative_and_unplaced_points(void **state)
{
	(void)state;
	/* -0.5 is in cell -1, not cell 0; NaN and infinity belong nowhere */
	static const geo_pt p[] = {{-0.5, 0.5}, {NAN, 1}, {0.5, 0.5},
				   {1, INFINITY}};
	geo_clusters k;
	assert_int_equal(geo_cluster_grid(p, 4, 1, &k), 0);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.nmembers, 2);
	assert_int_equal(k.v[0].cx, -1);
	assert_int_equal(k.v[0].rep, 0);
	assert_int_equal(k.v[1].cx, 0);
	assert_int_equal(k.v[1].rep, 2);
	geo_clusters_free(&k);
	assert_int_equal(geo_cluster_grid(p, 0, 1, &k), 0);
	assert_int_equal(k.n, 0);
	geo_clusters_free(&k);
}

static void bad_cell_is_refused(void **state)
{
	(void)state;
	static const geo_pt p[] = {{1, 1}};
	static const double bad[] = {0, -4, NAN, INFINITY};
	for (size_t j = 0; j < sizeof bad / sizeof *bad; j++) {
		geo_clusters k;
		assert_int_equal(geo_cluster_grid(p, 1, bad[j], &k), -1);
		assert_int_equal(k.n, 0);
		assert_null(k.v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_are_conserved),
		cmocka_unit_test(same_input_same_output),
		cmocka_unit_test(no_cluster_straddles_its_cell),
		cmocka_unit_test(lone_point_stays_a_marker),
		cmocka_unit_test(negative_and_unplaced_points),
		cmocka_unit_test(bad_cell_is_refused),
	};
	return cmocka_run_group_tests_name("cluster", tests, NULL, NULL);
}
