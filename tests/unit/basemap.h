/* basemap.h - the real 1:110m basemap, for the unit tests that need it.
 * Include after cmocka.h. Tests run from the repo root, where `make
 * basemap` puts it; a missing basemap fails the test, unless PM_ALLOW_SKIP
 * is set (a machine that cannot fetch it). */
#ifndef PM_TEST_BASEMAP_H
#define PM_TEST_BASEMAP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
