/* test_shapes.c - the one table of marker shapes (geo/shapes.h): how a
 * rank picks a shape, the names and labels the views give templates, and
 * the default theme's swatches, which must draw every shape by its name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "english.h"
#include "geo/shapes.h"
#include "render/render.h"
#include "site.h"
#include "util/buf.h"

#define SHAPE_DEFS "themes/default/templates/shape_defs.mustache"

static const char *const in_order[] = {
	"circle", "square", "diamond", "triangle", "star", "hexagon"};
#define NAMES (sizeof in_order / sizeof in_order[0])

static void ranks_pick_shapes_in_order_and_start_over(void **state)
{
	(void)state;
	assert_int_equal(geo_shape_count(), NAMES);
	for (int rank = 0; rank < (int)(3 * NAMES); rank++)
		assert_string_equal(geo_shape_pick(rank)->name,
				    in_order[(size_t)rank % NAMES]);
	/* no network styles the marker: the first shape */
	assert_string_equal(geo_shape_pick(-1)->name, "circle");
	assert_string_equal(geo_shape_pick(INT_MIN)->name, "circle");
	/* INT_MAX = 6 * 357913941 + 1 */
	assert_string_equal(geo_shape_pick(INT_MAX)->name, "square");
}

static void names_are_distinct_and_labels_capitalised(void **state)
{
	(void)state;
	for (size_t i = 0; i < geo_shape_count(); i++) {
		const geo_shape *a = geo_shape_pick((int)i);
		assert_non_null(a->rest);
		assert_true(a->rest[0] != '\0');
		/* the label is the name with a capital: "Circle" */
		char want[32];
		snprintf(want, sizeof want, "%s", a->name);
		want[0] = (char)(want[0] - 'a' + 'A');
		assert_string_equal(a->label, want);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(a->name, geo_shape_pick((int)j)->name);
	}
}

/* The theme draws its legend swatches with <use href="#shape-<name>">:
 * every shape of the table needs its symbol there, and nothing more. */
static void default_theme_draws_every_shape(void **state)
{
	(void)state;
	FILE *f = fopen(SHAPE_DEFS, "r");
	if (!f)
		fail_msg("%s is missing: run the tests from the repository root",
			 SHAPE_DEFS);
	buf_t text = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&text, chunk, n);
	fclose(f);
	const char *t = buf_cstr(&text);
	for (size_t i = 0; i < geo_shape_count(); i++) {
		char id[48];
		snprintf(id, sizeof id, "id=\"shape-%s\"", geo_shape_pick((int)i)->name);
		assert_contains(t, id);
	}
	size_t ids = 0;
	for (const char *p = t; (p = strstr(p, "id=\"shape-")); p++)
		ids++;
	assert_int_equal(ids, geo_shape_count());
	buf_free(&text);
}

/* Networks past the sixth start over at the circle, in the view as on
 * the map: shape and shape_label come from the table. */
static void network_views_name_the_shape_of_their_rank(void **state)
{
	(void)state;
	enum { NNET = 8 };
	site s;
	site_init(&s);
	s.net = xcalloc(NNET, sizeof *s.net);
	s.nnet = NNET;
	int rank[NNET];
	size_t count[NNET] = {0}, countries[NNET] = {0};
	for (int i = 0; i < NNET; i++) {
		s.net[i].slug = xasprintf("net-%d", i);
		s.net[i].path = xasprintf("content/networks/net-%d.md", i);
		s.net[i].name = xasprintf("Network %d", i);
		s.net[i].kind = xstrdup("regional");
		s.net[i].colour = xstrdup("#000000");
		s.net[i].body_html = xstrdup("");
		rank[i] = NNET - 1 - i; /* display order is not slug order */
	}
	english en;
	english_init(&en);
	render_ctx r = {.s = &s, .net_rank = rank, .net_count = count,
			.net_countries = countries, .i18n = en.t};
	for (size_t n = 0; n < NNET; n++) {
		cJSON *v = view_network(&r, n);
		const geo_shape *want = geo_shape_pick(rank[n]);
		assert_string_equal(cJSON_GetObjectItem(v, "shape")->valuestring,
				    want->name);
		assert_string_equal(cJSON_GetObjectItem(v, "shape_label")->valuestring,
				    want->label);
		cJSON_Delete(v);
	}
	/* rank 6 and 7 are the circle and the square again */
	cJSON *v = view_network(&r, 1);
	assert_string_equal(cJSON_GetObjectItem(v, "shape")->valuestring, "circle");
	assert_string_equal(cJSON_GetObjectItem(v, "shape_label")->valuestring, "Circle");
	cJSON_Delete(v);
	english_free(&en);
	site_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranks_pick_shapes_in_order_and_start_over),
		cmocka_unit_test(names_are_distinct_and_labels_capitalised),
		cmocka_unit_test(default_theme_draws_every_shape),
		cmocka_unit_test(network_views_name_the_shape_of_their_rank),
	};
	return cmocka_run_group_tests_name("shapes", tests, NULL, NULL);
}
