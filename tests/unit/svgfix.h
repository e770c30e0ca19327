/* svgfix.h - what the unit tests of the SVG map share: a group state
 * holding the real basemap loaded as a map, and the SVG read back as XML.
 * Include after cmocka.h. */
#ifndef PM_TEST_SVGFIX_H
#define PM_TEST_SVGFIX_H

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>

#include "basemap.h"
#include "geo/map.h"
#include "util/buf.h"
#include "util/diag.h"

/* A zeroed group state of size bytes whose first member, a geo_map *,
 * holds the basemap (basemap.h) loaded with its fields iso_a3 and name,
 * and a graticule when graticule is 1; what loading says is printed.
 * NULL when it cannot be loaded. Freed by svgfix_teardown. */
static inline void *svgfix_new(size_t size, int graticule)
{
	geo_map **fx = calloc(1, size);
	if (!fx)
		return NULL;
	diags_t d = DIAGS_INIT;
	geo_options o = {.basemap = BASEMAP, .basemap_shown = BASEMAP,
			 .iso_field = "iso_a3", .name_field = "name",
			 .graticule = graticule};
	*fx = geo_map_load(&o, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (!*fx) {
		free(fx);
		return NULL;
	}
	return fx;
}

/* A cmocka group setup's start: *state an svgfix_new(size, graticule),
 * or NULL when the basemap is missing and the tests skip
 * (basemap_setup_check). 0, or -1 when the state cannot be made. */
static inline int svgfix_setup(void **state, size_t size, int graticule)
{
	int missing = basemap_setup_check(state);
	if (missing)
		return missing < 0 ? -1 : 0;
	*state = svgfix_new(size, graticule);
	return *state ? 0 : -1;
}

/* A cmocka group teardown for svgfix_new's state (NULL, when the test
 * was skipped, is fine). */
static inline int svgfix_teardown(void **state)
{
	geo_map **fx = *state;
	if (fx) {
		geo_map_free(*fx);
		free(fx);
	}
	return 0;
}

/* b, an SVG document, as XML read without network access; fails the test
 * when it is not well-formed. Free it with xmlFreeDoc. */
static inline xmlDocPtr svgfix_parse(const buf_t *b)
{
	xmlDocPtr doc = xmlReadMemory(b->ptr, (int)b->len, "map.svg", NULL,
				      XML_PARSE_NONET);
	if (!doc)
		fail_msg("the SVG is not well-formed XML");
	return doc;
}

#endif
