/* test_maptheme.c - the map's colours are the theme's: the SVG writer
 * names what it draws by class and paints nothing but each marker's
 * network colour; a standalone map carries the theme's rules in a <style>
 * element; and the theme's map.css is checked before it goes there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check.h"

#include "basemap.h"
#include "svgfix.h"
#include "fixture.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "geo/map.h"
#include "render/render.h"
#include "util/fs.h"

/* ---- fixtures ----------------------------------------------------------------- */

typedef struct fixture {
	geo_map *map; /* first: svgfix.h loads and frees it */
	geo_marker mk[4];
} fixture;

static int setup(void **state)
{
	fixture *fx;
	int rc = svgfix_setup(state, sizeof *fx, 1);
	if (rc || !(fx = *state))
		return rc;
	/* Kampala twice (so a leader line is drawn), Bangkok, Lund */
	static const struct {
		const char *slug, *colour;
		double lat, lon;
	} at[4] = {{"makerere", "#0072b2", 0.3383, 32.5761},
		   {"mulago", "#d55e00", 0.3380, 32.5760},
		   {"mahidol", "#009e73", 13.7563, 100.5018},
		   {"lund", "#cc79a7", 55.7047, 13.1910}};
	for (int i = 0; i < 4; i++)
		fx->mk[i] = (geo_marker){
			.slug = at[i].slug, .href = "x/index.html", .label = at[i].slug,
			.networks = "global", .exchanges = "undergraduate",
			.colour = at[i].colour, .shape = i,
			.at = {.lon = at[i].lon, .lat = at[i].lat}};
	return 0;
}

static geo_svg_options world_opts(void)
{
	return (geo_svg_options){.title = "Partners", .desc = "A world map.",
				 .id_prefix = "", .standalone = 1, .focus = -1};
}

static int has_class(xmlNodePtr n, const char *cls)
{
	char *c = (char *)xmlGetProp(n, BAD_CAST "class");
	int found = 0;
	size_t len = strlen(cls);
	for (const char *s = c; s && *s;) {
		size_t k = strcspn(s, " ");
		if (k == len && !strncmp(s, cls, len))
			found = 1;
		s += k + (s[k] == ' ');
	}
	xmlFree(c);
	return found;
}

/* ---- what the writer paints ---------------------------------------------------- */

/* Attributes that set how something looks: the theme's to decide. */
static const char *const painting[] = {
	"fill", "stroke", "stroke-width", "stroke-opacity", "fill-opacity",
	"opacity", "color", "style", "stroke-linejoin", "stroke-dasharray",
	"vector-effect", "paint-order", NULL};

typedef struct seen {
	size_t sphere, graticule, countries, country, shapes, leaders, hits;
	size_t painted; /* attributes that paint where none may */
} seen;

/* The colour a marker shape may carry: that of the marker it draws. */
static const char *marker_colour(const fixture *fx, xmlNodePtr shape)
{
	for (xmlNodePtr a = shape->parent; a; a = a->parent) {
		if (a->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, "a"))
			continue;
		char *slug = (char *)xmlGetProp(a, BAD_CAST "data-slug");
		const char *colour = NULL;
		for (int i = 0; i < 4 && slug; i++)
			if (!strcmp(fx->mk[i].slug, slug))
				colour = fx->mk[i].colour;
		xmlFree(slug);
		return colour;
	}
	return NULL;
}

static void walk(const fixture *fx, xmlNodePtr n, seen *s)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		s->sphere += has_class(n, "sphere");
		s->graticule += has_class(n, "graticule");
		s->countries += has_class(n, "countries");
		s->country += has_class(n, "country");
		s->leaders += has_class(n, "marker-leader");
		s->hits += has_class(n, "marker-hit");
		int shape = has_class(n, "marker-shape");
		s->shapes += shape;
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			const char *name = (const char *)a->name;
			for (size_t k = 0; painting[k]; k++) {
				if (strcmp(name, painting[k]))
					continue;
				char *v = (char *)xmlGetProp(n, a->name);
				const char *own = shape ? marker_colour(fx, n) : NULL;
				if (!(shape && !strcmp(name, "fill") && own &&
				      !strcmp(v, own))) {
					char *cls = (char *)xmlGetProp(n, BAD_CAST "class");
					printf("<%s class=\"%s\"> paints %s=\"%s\"\n",
					       (const char *)n->name, cls ? cls : "", name, v);
					xmlFree(cls);
					s->painted++;
				}
				xmlFree(v);
			}
		}
		walk(fx, n->children, s);
	}
}

static void check_unpainted(const fixture *fx, const buf_t *b, seen *s)
{
	xmlDocPtr doc = svgfix_parse(b);
	memset(s, 0, sizeof *s);
	walk(fx, xmlDocGetRootElement(doc), s);
	xmlFreeDoc(doc);
	assert_int_equal(s->painted, 0);
}

/* Sea, graticule, land, borders and the markers' outlines carry no colour
 * of their own: only classes. Each marker shape keeps its network's fill. */
static void test_world_paints_nothing(void **state)
{
	FIXTURE(state);
	size_t nf = geo_map_count(fx->map);
	unsigned char *partners = calloc(nf, 1);
	partners[geo_map_find(fx->map, "UGA")] = 1;
	geo_svg_options o = world_opts();
	o.has_partners = partners;
	buf_t b = BUF_INIT;
	assert_int_equal(geo_map_svg(fx->map, fx->mk, 4, &o, &b), 0);
	seen s;
	check_unpainted(fx, &b, &s);
	/* and the pieces a theme paints are there to be found by class */
	assert_int_equal(s.sphere, 1);
	assert_int_equal(s.graticule, 1);
	assert_int_equal(s.countries, 1);
	assert_int_equal(s.country, nf);
	assert_int_equal(s.shapes, 4);
	assert_int_equal(s.hits, 4);
	assert_ge(s.leaders, 2);
	/* the fill rule is geometry, not colour: it stays */
	assert_non_null(strstr(b.ptr, "class=\"countries\" fill-rule=\"evenodd\""));
	assert_non_null(strstr(b.ptr, "fill=\"#0072b2\""));
	/* no colour at all is written but the markers' */
	assert_null(strstr(b.ptr, "#e8f1f8"));
	assert_null(strstr(b.ptr, "#d5d9d3"));
	assert_null(strstr(b.ptr, "#c9d8e4"));
	assert_null(strstr(b.ptr, "transparent"));
	buf_free(&b);
	free(partners);
}

static void test_locator_paints_nothing(void **state)
{
	FIXTURE(state);
	geo_svg_options o = world_opts();
	o.standalone = 0;
	o.id_prefix = "loc-";
	o.focus = geo_map_find(fx->map, "UGA");
	buf_t b = BUF_INIT;
	assert_int_equal(geo_map_svg(fx->map, fx->mk, 2, &o, &b), 0);
	seen s;
	check_unpainted(fx, &b, &s);
	assert_int_equal(s.sphere, 1);
	assert_ge(s.country, 3); /* the focus and its neighbours */
	assert_int_equal(s.shapes, 2);
	assert_non_null(strstr(b.ptr, "class=\"country focus\""));
	assert_null(strstr(b.ptr, "<style"));
	buf_free(&b);
}

/* A marker without a colour gets no fill: the theme colours it. */
static void test_marker_without_colour(void **state)
{
	FIXTURE(state);
	geo_marker m[2] = {fx->mk[2], fx->mk[3]};
	m[0].colour = NULL;
	m[1].colour = "";
	geo_svg_options o = world_opts();
	buf_t b = BUF_INIT;
	assert_int_equal(geo_map_svg(fx->map, m, 2, &o, &b), 0);
	xmlDocPtr doc = svgfix_parse(&b);
	seen s;
	memset(&s, 0, sizeof s);
	walk(fx, xmlDocGetRootElement(doc), &s);
	xmlFreeDoc(doc);
	assert_int_equal(s.shapes, 2);
	assert_int_equal(s.painted, 0);
	assert_null(strstr(b.ptr, " fill=\""));
	buf_free(&b);
}

/* ---- the <style> element of a standalone map ------------------------------- */

static xmlNodePtr first_element(xmlNodePtr n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

/* The rules go in as given, escaped for XML, after <desc> and before
 * anything drawn; whatever they hold, the document stays well-formed. */
static void test_style_is_embedded(void **state)
{
	FIXTURE(state);
	static const char css[] =
		"/* a < b && c > d ]]> </style> <script>x</script> */\n"
		".pm-map .country { fill: #123456; }\n"
		".pm-map > .sphere { fill: \"\xc3\xa9\"; }\n";
	geo_svg_options o = world_opts();
	o.style = css;
	buf_t b = BUF_INIT;
	assert_int_equal(geo_map_svg(fx->map, fx->mk, 4, &o, &b), 0);
	xmlDocPtr doc = svgfix_parse(&b);
	xmlNodePtr svg = xmlDocGetRootElement(doc);
	xmlNodePtr title = first_element(svg->children);
	xmlNodePtr desc = first_element(title->next);
	xmlNodePtr style = first_element(desc->next);
	xmlNodePtr after = first_element(style->next);
	assert_string_equal((const char *)title->name, "title");
	assert_string_equal((const char *)desc->name, "desc");
	assert_string_equal((const char *)style->name, "style");
	assert_int_equal(has_class(after, "sphere"), 1);
	char *text = (char *)xmlNodeGetContent(style);
	assert_string_equal(text, css);
	xmlFree(text);
	size_t styles = 0;
	for (xmlNodePtr n = svg->children; n; n = n->next)
		styles += n->type == XML_ELEMENT_NODE &&
			  !strcmp((const char *)n->name, "style");
	assert_int_equal(styles, 1);
	xmlFreeDoc(doc);
	assert_null(strstr(b.ptr, "<script>"));
	assert_non_null(strstr(b.ptr, "&lt;/style&gt;"));

	/* none asked, or an empty one: no element */
	o.style = "";
	buf_reset(&b);
	assert_int_equal(geo_map_svg(fx->map, fx->mk, 4, &o, &b), 0);
	assert_null(strstr(b.ptr, "<style"));
	o.style = NULL;
	buf_reset(&b);
	assert_int_equal(geo_map_svg(fx->map, fx->mk, 4, &o, &b), 0);
	assert_null(strstr(b.ptr, "<style"));
	buf_free(&b);
}

/* ---- the theme's map.css ------------------------------------------------------- */

typedef struct theme_dir {
	char root[512];  /* a temporary folder standing for themes/t */
	char css[600];   /* its assets/map.css */
} theme_dir;

static void theme_make(theme_dir *t)
{
	assert_int_equal(fixture_tmpdir(t->root, sizeof t->root, "pm-maptheme"), 0);
	char *assets = fs_join(t->root, "assets");
	assert_int_equal(fs_mkdirs(assets), 0);
	free(assets);
	snprintf(t->css, sizeof t->css, "%s/assets/map.css", t->root);
}

static void theme_write(const theme_dir *t, const char *s, size_t n)
{
	assert_int_equal(fs_write(t->css, s, n), 0);
}

static void theme_remove(const theme_dir *t)
{
	assert_int_equal(fs_remove_tree(t->root), 0);
}

/* Load t's map.css as the theme "themes/t". */
static int load(const theme_dir *t, char **css, diags_t *d)
{
	sfs_root root;
	sfs_root_init(&root, t->root, "theme folder");
	int rc = map_style_load(&root, "assets", "themes/t/assets", css, d);
	sfs_root_free(&root);
	return rc;
}

static void expect_one(const diags_t *d, diag_level lv, int line, int col,
		       const char *msg)
{
	assert_int_equal(d->n, 1);
	assert_int_equal(d->v[0].level, lv);
	assert_string_equal(d->v[0].path, "themes/t/assets/map.css");
	assert_int_equal(d->v[0].line, line);
	assert_int_equal(d->v[0].col, col);
	assert_string_equal(d->v[0].msg, msg);
}

static void test_map_css_read(void **state)
{
	(void)state;
	theme_dir t;
	theme_make(&t);
	/* as written, without a byte order mark */
	static const char text[] = "\xef\xbb\xbf.pm-map .sphere { fill: #abcdef; }\n";
	theme_write(&t, text, sizeof text - 1);
	char *css = NULL;
	diags_t d = DIAGS_INIT;
	assert_int_equal(load(&t, &css, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(css, text + 3);
	free(css);
	diags_free(&d);
	theme_remove(&t);
}

static void test_map_css_missing(void **state)
{
	(void)state;
	theme_dir t;
	theme_make(&t);
	char *css = (char *)"not touched";
	diags_t d = DIAGS_INIT;
	assert_int_equal(load(&t, &css, &d), 0);
	assert_null(css);
	expect_one(&d, DIAG_WARNING, 1, 1,
		   "the theme has no map.css, so map.svg has no colours of its "
		   "own (it shows black when opened alone); copy themes/default/"
		   "assets/map.css into the theme and edit it");
	diags_free(&d);
	theme_remove(&t);
}

/* Text XML cannot hold is an error at its line and column. */
static void test_map_css_bad_text(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len;
		int line, col;
		const char *msg;
	} cases[] = {
		{".a { fill: red; }\n.b {\n  fill: \xff; }\n", 36, 3, 9,
		 "map.css is not valid UTF-8 (byte 0xFF); save it as UTF-8"},
		{".a {}\n\x0c.b {}\n", 13, 2, 1,
		 "map.css contains the character U+000C, which map.svg (XML) "
		 "cannot hold; delete it"},
		{"/* \xc3\xa9t\xc3\xa9 */ .a { content: \"\xef\xbf\xbe\"; }", 34, 1, 26,
		 "map.css contains the character U+FFFE, which map.svg (XML) "
		 "cannot hold; delete it"},
		{".a {}\n.b { fill: red }\0\n", 24, 2, 17,
		 "map.css contains a NUL byte; delete it"},
		{"\xef\xbb\xbf\x01", 4, 1, 1,
		 "map.css contains the character U+0001, which map.svg (XML) "
		 "cannot hold; delete it"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		theme_dir t;
		theme_make(&t);
		theme_write(&t, cases[k].text, cases[k].len);
		char *css = NULL;
		diags_t d = DIAGS_INIT;
		assert_int_equal(load(&t, &css, &d), -1);
		assert_null(css);
		printf("case %zu: %s:%d:%d: %s\n", k, d.n ? d.v[0].path : "-",
		       d.n ? d.v[0].line : 0, d.n ? d.v[0].col : 0,
		       d.n ? d.v[0].msg : "(none)");
		expect_one(&d, DIAG_ERROR, cases[k].line, cases[k].col, cases[k].msg);
		diags_free(&d);
		theme_remove(&t);
	}
}

/* A map.css that cannot be read (here a folder) is an I/O failure. */
static void test_map_css_not_a_file(void **state)
{
	(void)state;
	theme_dir t;
	theme_make(&t);
	assert_int_equal(mkdir(t.css, 0755), 0);
	char *css = NULL;
	diags_t d = DIAGS_INIT;
	assert_int_equal(load(&t, &css, &d), -1);
	assert_null(css);
	/* refused before it is opened (util/safefs.h), as any site file */
	expect_one(&d, DIAG_ERROR, 1, 1,
		   "themes/t/assets/map.css is a folder, not a file: "
		   "name a file instead");
	diags_free(&d);
	theme_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_world_paints_nothing),
		cmocka_unit_test(test_locator_paints_nothing),
		cmocka_unit_test(test_marker_without_colour),
		cmocka_unit_test(test_style_is_embedded),
		cmocka_unit_test(test_map_css_read),
		cmocka_unit_test(test_map_css_missing),
		cmocka_unit_test(test_map_css_bad_text),
		cmocka_unit_test(test_map_css_not_a_file),
	};
	return cmocka_run_group_tests(tests, setup, svgfix_teardown);
}
