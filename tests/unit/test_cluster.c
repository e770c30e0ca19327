/* test_cluster.c - points gathered by grid cell (geo/cluster.h): which
 * points share a cluster, the clusters' order and centres, points that
 * cannot be placed, and cell sizes that are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "geo/cluster.h"

/* The members of cluster c, as a list to compare. */
static void assert_members(const geo_clusters *cl, size_t c,
			   const size_t *want, size_t n)
{
	assert_int_equal(cl->v[c].n, n);
	for (size_t j = 0; j < n; j++)
		assert_int_equal(cl->member[cl->v[c].first + j], want[j]);
}

static void points_in_one_cell_share_a_cluster(void **state)
{
	(void)state;
	/* cells of 10: (0..10) holds 0, 2 and 4; (20..30, 0..10) holds 1
	 * and 3; 5 is alone at (-1, -1), the cell left of and above 0 */
	const geo_pt pts[] = {{1, 1}, {25, 5}, {9.9, 9.9}, {29, 1}, {5, 0},
			      {-1, -1}};
	geo_clusters cl;
	assert_int_equal(geo_cluster_points(pts, 6, 10, &cl), 0);
	assert_int_equal(cl.n, 3);
	assert_int_equal(cl.nmember, 6);
	/* ordered by their first point: 0, 1, then 5 */
	assert_members(&cl, 0, (const size_t[]){0, 2, 4}, 3);
	assert_members(&cl, 1, (const size_t[]){1, 3}, 2);
	assert_members(&cl, 2, (const size_t[]){5}, 1);
	/* centres are the members' means */
	assert_true(fabs(cl.v[0].x - (1 + 9.9 + 5) / 3) < 1e-9);
	assert_true(fabs(cl.v[0].y - (1 + 9.9 + 0) / 3) < 1e-9);
	assert_true(fabs(cl.v[1].x - 27) < 1e-9 && fabs(cl.v[1].y - 3) < 1e-9);
	assert_true(cl.v[2].x == -1 && cl.v[2].y == -1);
	geo_clusters_free(&cl);
}

static void points_that_cannot_be_placed_are_left_out(void **state)
{
	(void)state;
	const geo_pt pts[] = {{NAN, 1}, {3, 3}, {INFINITY, 0}, {4, 4}, {1, -INFINITY}};
	geo_clusters cl;
	assert_int_equal(geo_cluster_points(pts, 5, 24, &cl), 0);
	assert_int_equal(cl.n, 1);
	assert_int_equal(cl.nmember, 2);
	assert_members(&cl, 0, (const size_t[]){1, 3}, 2);
	geo_clusters_free(&cl);
	assert_int_equal(geo_cluster_points(pts, 0, 24, &cl), 0);
	assert_int_equal(cl.n, 0);
	geo_clusters_free(&cl);
}

static void bad_cell_sizes_are_refused(void **state)
{
	(void)state;
	const geo_pt pts[] = {{1, 1}};
	const double bad[] = {0, -5, NAN, INFINITY};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		geo_clusters cl;
		assert_int_equal(geo_cluster_points(pts, 1, bad[i], &cl), -1);
		assert_int_equal(cl.n, 0);
		assert_null(cl.v);
		geo_clusters_free(&cl);
	}
}

/* Many points in few cells: every point lands in exactly one cluster,
 * and the grouping does not depend on the order they come in. */
static void every_point_is_in_one_cluster(void **state)
{
	(void)state;
	enum { N = 5000 };
	static geo_pt pts[N];
	for (size_t i = 0; i < N; i++)
		pts[i] = (geo_pt){(double)((i * 7919) % 960), (double)((i * 104729) % 480)};
	geo_clusters cl;
	assert_int_equal(geo_cluster_points(pts, N, 24, &cl), 0);
	static unsigned char seen[N];
	for (size_t c = 0; c < cl.n; c++) {
		const geo_cluster *g = &cl.v[c];
		double cx = floor(pts[cl.member[g->first]].x / 24);
		double cy = floor(pts[cl.member[g->first]].y / 24);
		for (size_t j = 0; j < g->n; j++) {
			size_t i = cl.member[g->first + j];
			assert_false(seen[i]++);
			assert_true(floor(pts[i].x / 24) == cx && floor(pts[i].y / 24) == cy);
			if (j)
				assert_true(i > cl.member[g->first + j - 1]);
		}
		if (c)
			assert_true(cl.member[g->first] > cl.member[cl.v[c - 1].first]);
	}
	assert_int_equal(cl.nmember, N);
	assert_true(cl.n <= 40 * 20);
	geo_clusters_free(&cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(points_in_one_cell_share_a_cluster),
		cmocka_unit_test(points_that_cannot_be_placed_are_left_out),
		cmocka_unit_test(bad_cell_sizes_are_refused),
		cmocka_unit_test(every_point_is_in_one_cluster),
	};
	return cmocka_run_group_tests_name("cluster", tests, NULL, NULL);
}
