/* test_box.c - axis-aligned boxes (geo_box, geo/geo.h): the empty box,
 * growing by points and boxes, and the tests every map stage uses (meets,
 * contains, holds), edges included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "check.h"
#include "geo/geo.h"

static void assert_box(const geo_box *b, double xmin, double ymin,
		       double xmax, double ymax)
{
	assert_double_eq(b->xmin, xmin);
	assert_double_eq(b->ymin, ymin);
	assert_double_eq(b->xmax, xmax);
	assert_double_eq(b->ymax, ymax);
}

static void empty_box_holds_nothing_and_meets_nothing(void **state)
{
	(void)state;
	geo_box e = geo_box_empty();
	assert_gt(e.xmin, e.xmax);
	assert_gt(e.ymin, e.ymax);
	geo_box any = {-1e300, -1e300, 1e300, 1e300};
	assert_false(geo_box_contains(&e, (geo_pt){0, 0}));
	assert_false(geo_box_meets(&e, &any));
	assert_false(geo_box_meets(&any, &e));
	/* an empty box lies in every box, even the empty one */
	assert_true(geo_box_holds(&any, &e));
	assert_true(geo_box_holds(&e, &e));
	assert_false(geo_box_holds(&e, &any));
	/* merging it changes nothing */
	geo_box b = {1, 2, 3, 4};
	geo_box_merge(&b, &e);
	assert_box(&b, 1, 2, 3, 4);
}

static void extend_grows_to_every_point_and_skips_nan(void **state)
{
	(void)state;
	geo_box b = geo_box_empty();
	geo_box_extend(&b, (geo_pt){2, -3});
	assert_box(&b, 2, -3, 2, -3); /* one point: a box of no size */
	assert_double_eq(geo_box_width(&b), 0);
	static const geo_pt pts[] = {{-1, 5}, {4, 0}, {NAN, 7}, {3, NAN}};
	geo_box_extend_pts(&b, pts, 4);
	/* a NaN coordinate leaves its axis as it was: y = 7 counts, x = NaN
	 * does not */
	assert_box(&b, -1, -3, 4, 7);
	assert_double_eq(geo_box_width(&b), 5);
	assert_double_eq(geo_box_height(&b), 10);

	geo_box c = {-10, 1, 0, 20};
	geo_box_merge(&b, &c);
	assert_box(&b, -10, -3, 4, 20);
}

static void meets_contains_and_holds_count_edges(void **state)
{
	(void)state;
	const geo_box a = {0, 0, 10, 10};
	/* sharing an edge, a corner, or overlapping: they meet */
	const geo_box edge = {10, 2, 12, 8}, corner = {10, 10, 11, 11};
	const geo_box inside = {2, 2, 8, 8};
	const geo_box apart_x = {10.5, 0, 12, 10}, apart_y = {0, -5, 10, -0.5};
	assert_true(geo_box_meets(&a, &edge));
	assert_true(geo_box_meets(&edge, &a));
	assert_true(geo_box_meets(&a, &corner));
	assert_true(geo_box_meets(&a, &inside));
	assert_false(geo_box_meets(&a, &apart_x));
	assert_false(geo_box_meets(&apart_y, &a));

	assert_true(geo_box_contains(&a, (geo_pt){0, 0}));
	assert_true(geo_box_contains(&a, (geo_pt){10, 5}));
	assert_true(geo_box_contains(&a, (geo_pt){5, 5}));
	assert_false(geo_box_contains(&a, (geo_pt){10.001, 5}));
	assert_false(geo_box_contains(&a, (geo_pt){5, -0.001}));
	assert_false(geo_box_contains(&a, (geo_pt){NAN, 5}));

	assert_true(geo_box_holds(&a, &inside));
	assert_true(geo_box_holds(&a, &a));
	assert_false(geo_box_holds(&inside, &a));
	assert_false(geo_box_holds(&a, &edge));
}

/* A feature's box covers every ring; one without points is empty. */
static void feature_box_covers_every_ring(void **state)
{
	(void)state;
	geo_pt r0[] = {{0, 0}, {4, 0}, {4, 3}};
	geo_pt r1[] = {{-2, 1}, {-1, 7}, {-3, 2}};
	geo_ring rings[] = {{r0, 3, 0}, {r1, 3, 0}};
	geo_feature f = {.rings = rings, .nrings = 2};
	geo_feature_bbox(&f);
	assert_box(&f.bbox, -3, 0, 4, 7);
	geo_feature none = {0};
	geo_feature_bbox(&none);
	assert_false(geo_box_contains(&none.bbox, (geo_pt){0, 0}));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_box_holds_nothing_and_meets_nothing),
		cmocka_unit_test(extend_grows_to_every_point_and_skips_nan),
		cmocka_unit_test(meets_contains_and_holds_count_edges),
		cmocka_unit_test(feature_box_covers_every_ring),
	};
	return cmocka_run_group_tests_name("box", tests, NULL, NULL);
}
