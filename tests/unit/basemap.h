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

#endif
