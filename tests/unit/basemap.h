/* basemap.h - the real 1:110m basemap, for the unit tests that need it.
 * Include after cmocka.h. Tests run from the repo root, where `make
 * basemap` puts it; a missing basemap fails the test, unless PM_ALLOW_SKIP
 * is set (a machine that cannot fetch it). */
#ifndef PM_TEST_BASEMAP_H
#define PM_TEST_BASEMAP_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo/geo.h"

#define BASEMAP "geodata/naturalearth_lowres.shp"

/* 1 when the basemap can be read; 0 when it cannot and skipping is
 * allowed (the caller then skips). */
static inline int basemap_readable(void)
{
	return access(BASEMAP, R_OK) == 0;
}

/* For a test: 1 when the test should skip (the basemap is missing and
 * PM_ALLOW_SKIP is set); fails the test when it is missing otherwise. */
static inline int basemap_missing(void)
{
	if (basemap_readable())
		return 0;
	if (getenv("PM_ALLOW_SKIP")) {
		printf("skipped: %s is missing\n", BASEMAP);
		return 1;
	}
	fail_msg("%s is missing: run `make basemap` and the tests from the repo "
		 "root (or set PM_ALLOW_SKIP=1)", BASEMAP);
	return 1;
}

/* For a test: read the basemap's polygons (codes from iso_a3, names from
 * name) into *l, which the caller frees with geo_layer_free. 0 when read;
 * 1 when the test is skipped (basemap_missing). A read that fails or says
 * anything at all fails the test. */
static inline int basemap_read(geo_layer *l)
{
	if (basemap_missing()) {
		skip();
		return 1;
	}
	diags_t d = DIAGS_INIT;
	assert_int_equal(geo_read_polygons(BASEMAP, BASEMAP, "iso_a3", "name",
					   l, &d), 0);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	return 0;
}

/* The index in l of the feature whose code is code; fails the test when
 * there is none. */
static inline size_t basemap_index(const geo_layer *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->f[i].code && !strcmp(l->f[i].code, code))
			return i;
	fail_msg("no feature %s", code);
	return 0;
}

/* How wide p draws the whole globe: the x extent of its sphere outline,
 * in projected units. */
static inline double proj_width(geo_proj *p)
{
	geo_ring s;
	assert_int_equal(geo_proj_sphere(p, &s), 0);
	double x0 = INFINITY, x1 = -INFINITY;
	for (size_t i = 0; i < s.n; i++) {
		x0 = fmin(x0, s.p[i].x);
		x1 = fmax(x1, s.p[i].x);
	}
	free(s.p);
	return x1 - x0;
}

/* For a group setup whose fixture is NULL when the basemap is missing:
 * 0 when the basemap can be read (go on); 1 when it is missing and
 * skipping is allowed (*state is NULL, the setup returns 0); -1 with a
 * message on stderr otherwise (the setup returns -1). */
static inline int basemap_setup_check(void **state)
{
	if (basemap_readable())
		return 0;
	if (getenv("PM_ALLOW_SKIP")) {
		printf("skipped: %s is missing\n", BASEMAP);
		*state = NULL;
		return 1;
	}
	fprintf(stderr, "%s is missing: run `make basemap` and the tests "
		"from the repo root (or set PM_ALLOW_SKIP)\n", BASEMAP);
	return -1;
}

/* At the start of a test of such a group: fx is the fixture, or the test
 * is skipped when the setup found no basemap. */
#define FIXTURE(state)                                      \
	fixture *fx = *(state);                             \
	if (!fx) {                                          \
		printf("skipped: no basemap\n");            \
		return;                                     \
	}

#endif
