/* test_config.c - site.yml: defaults, base_url, hints and types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "load/load.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

typedef struct fixture {
	site s;
	diags_t d;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	site_init(&f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	site_free(&f->s);
	diags_free(&f->d);
	free(f);
	return 0;
}

static int parse(fixture *f, const char *yml)
{
	return config_parse(&f->s.cfg, yml, strlen(yml), "site.yml", &f->d);
}

/* A message of level lv at line:col containing needle, else fail and
 * show what there was. */
static void assert_diag(const diags_t *d, diag_level lv, int line, int col,
			const char *needle)
{
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		if (x->level == lv && x->line == line && x->col == col &&
		    x->path && !strcmp(x->path, "site.yml") &&
		    strstr(x->msg, needle))
			return;
	}
	diags_print(d, stderr);
	fail_msg("no message %d:%d '%s'", line, col, needle);
}

static void test_defaults(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: Partners\nbase_url: https://example.org/\n"), 0);
	assert_int_equal(f->d.n, 0);
	const site_config *c = &f->s.cfg;
	assert_string_equal(c->title, "Partners");
	assert_string_equal(c->base_url, "https://example.org/");
	assert_string_equal(c->language, "en");
	assert_string_equal(c->theme, "default");
	assert_null(c->description);
	assert_null(c->intro);
	assert_null(c->sample_note);
	assert_string_equal(c->map.basemap, "geodata/naturalearth_lowres.shp");
	assert_string_equal(c->map.iso_field, "iso_a3");
	assert_string_equal(c->map.name_field, "name");
	assert_string_equal(c->map.projection, "equal-earth");
	assert_double_eq(c->map.simplify, 0);
	assert_int_equal(c->map.graticule, 1);
	assert_null(c->map.points);
	assert_string_equal(c->map.points_slug_field, "slug");
}

static void test_every_key(void **state)
{
	fixture *f = *state;
	const char *yml =
		"title: '  Global Exchange  '\n"
		"base_url: http://example.org/partners/\n"
		"language: pt-BR\n"
		"theme: plain\n"
		"description: Medical schools.\n"
		"intro: Where students go.\n"
		"sample_note: Sample data\n"
		"map:\n"
		"  basemap: geo/world.shp\n"
		"  iso_field: ISO_A3\n"
		"  name_field: NAME_EN\n"
		"  projection: +proj=robin\n"
		"  simplify: 0.25\n"
		"  graticule: no\n"
		"  points: geo/points.shp\n"
		"  points_slug_field: id\n";
	assert_int_equal(parse(f, yml), 0);
	assert_int_equal(f->d.n, 0);
	const site_config *c = &f->s.cfg;
	assert_string_equal(c->title, "Global Exchange"); /* trimmed */
	assert_string_equal(c->base_url, "http://example.org/partners/");
	assert_string_equal(c->language, "pt-BR");
	assert_string_equal(c->theme, "plain");
	assert_string_equal(c->description, "Medical schools.");
	assert_string_equal(c->intro, "Where students go.");
	assert_string_equal(c->sample_note, "Sample data");
	assert_string_equal(c->map.basemap, "geo/world.shp");
	assert_string_equal(c->map.iso_field, "ISO_A3");
	assert_string_equal(c->map.name_field, "NAME_EN");
	assert_string_equal(c->map.projection, "+proj=robin");
	assert_double_eq(c->map.simplify, 0.25);
	assert_int_equal(c->map.graticule, 0);
	assert_string_equal(c->map.points, "geo/points.shp");
	assert_string_equal(c->map.points_slug_field, "id");
}

static void test_base_url_gets_a_slash(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: T\nbase_url: https://example.org/sub/map\n"), 0);
	assert_string_equal(f->s.cfg.base_url, "https://example.org/sub/map/");
	config_free(&f->s.cfg);
	assert_int_equal(parse(f, "title: T\nbase_url: HTTPS://example.org:8080\n"), 0);
	assert_string_equal(f->s.cfg.base_url, "HTTPS://example.org:8080/");
}

static void unsafe_output_base_url_and_texts(void **state)
{
	fixture *f = *state;
	/* what a URI cannot hold is percent-encoded: canonical links, the
	 * sitemap and the feed all use it */
	assert_int_equal(parse(f, "title: T\nbase_url: \"https://example.org/"
			     "caf\\u00e9/<x>\"\n"), 0);
	assert_string_equal(f->s.cfg.base_url,
			    "https://example.org/caf%C3%A9/%3Cx%3E/");
	config_free(&f->s.cfg);
	assert_int_equal(parse(f, "title: T\nbase_url: \"https://exa\\u200Emple"
			     ".org/\"\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 2, 11, "no invisible characters");
	config_free(&f->s.cfg);
	diags_free(&f->d);
	assert_int_equal(parse(f, "title: \"Partners\\u202E\"\nbase_url: "
			     "https://example.org/\nintro: \"a\\0b\"\n"), -1);
	/* the NUL stops the YAML reader before the title is read */
	assert_diag(&f->d, DIAG_ERROR, 3, 8, "intro contains a NUL character");
	config_free(&f->s.cfg);
	diags_free(&f->d);
	assert_int_equal(parse(f, "title: \"Partners\\u202E\"\nbase_url: "
			     "https://example.org/\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 1, 8, "title contains U+202E "
		    "(RIGHT-TO-LEFT OVERRIDE)");
}

static void test_base_url_must_be_http(void **state)
{
	fixture *f = *state;
	const char *yml = "title: T\nbase_url: ftp://example.org/\n";
	assert_int_equal(parse(f, yml), -1);
	assert_diag(&f->d, DIAG_ERROR, 2, 11, "base_url must be an http(s) URL");
	config_free(&f->s.cfg);
	diags_free(&f->d);

	assert_int_equal(parse(f, "title: T\nbase_url: https:///path\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 2, 11, "no host name");
	config_free(&f->s.cfg);
	diags_free(&f->d);

	assert_int_equal(parse(f, "title: T\nbase_url: https://example.org/?a=1\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 2, 11, "query");
}

static void test_unknown_key_hint(void **state)
{
	fixture *f = *state;
	const char *yml = "title: T\nbase_url: https://e.org\nlanguge: fr\n"
			  "map:\n  projecton: robinson\n  colour: red\n";
	assert_int_equal(parse(f, yml), 0); /* warnings only */
	assert_int_equal(f->d.warnings, 3);
	assert_diag(&f->d, DIAG_WARNING, 3, 1,
		    "unknown key 'languge' (ignored); did you mean language?");
	assert_diag(&f->d, DIAG_WARNING, 5, 3, "did you mean projection?");
	/* nothing close to "colour": no hint */
	assert_diag(&f->d, DIAG_WARNING, 6, 3, "unknown key 'colour'");
	for (size_t i = 0; i < f->d.n; i++)
		if (f->d.v[i].line == 6)
			assert_not_contains(f->d.v[i].msg, "did you mean");
	assert_string_equal(f->s.cfg.language, "en"); /* ignored */
}

static void test_wrong_types(void **state)
{
	fixture *f = *state;
	const char *yml =
		"title: [a, b]\n"
		"base_url: https://example.org/\n"
		"description: {short: x}\n"
		"map:\n"
		"  graticule: sometimes\n"
		"  simplify: \"0.5\"\n";
	assert_int_equal(parse(f, yml), -1);
	assert_int_equal(f->d.errors, 4);
	assert_diag(&f->d, DIAG_ERROR, 1, 8, "title must be text, not a list");
	assert_diag(&f->d, DIAG_ERROR, 3, 14,
		    "description must be text, not a mapping");
	assert_diag(&f->d, DIAG_ERROR, 5, 14, "graticule must be true or false");
	assert_diag(&f->d, DIAG_ERROR, 6, 13, "simplify must be a number, not text");
}

static void test_simplify_range(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: T\nbase_url: https://e.org\nmap:\n  simplify: 1.5\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 4, 13,
		    "simplify must be a number greater than 0 and at most 1, not 1.5");
	config_free(&f->s.cfg);
	diags_free(&f->d);
	assert_int_equal(parse(f, "title: T\nbase_url: https://e.org\nmap:\n  simplify: 0\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 4, 13, "greater than 0");
	config_free(&f->s.cfg);
	diags_free(&f->d);
	assert_int_equal(parse(f, "title: T\nbase_url: https://e.org\nmap:\n  simplify: 1\n"), 0);
	assert_double_eq(f->s.cfg.map.simplify, 1);
}

static void test_map_must_be_a_mapping(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: T\nbase_url: https://e.org\nmap: world.shp\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 3, 6, "map must be a mapping");
	assert_string_equal(f->s.cfg.map.basemap, "geodata/naturalearth_lowres.shp");
}

static void test_required_keys(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "language: en\ntitle: \"  \"\n"), -1);
	assert_diag(&f->d, DIAG_ERROR, 2, 8, "title is empty");
	assert_diag(&f->d, DIAG_ERROR, 1, 1, "missing required key 'base_url'");
	assert_int_equal(f->d.errors, 2);
}

static void test_bad_language_and_theme(void **state)
{
	fixture *f = *state;
	const char *yml = "title: T\nbase_url: https://e.org\n"
			  "language: \"en\\\" onload=\\\"x\"\ntheme: ../../etc\n";
	assert_int_equal(parse(f, yml), -1);
	assert_diag(&f->d, DIAG_ERROR, 3, 11, "language must be a language tag");
	assert_diag(&f->d, DIAG_ERROR, 4, 8, "theme must be the name of a folder");
}

static void test_syntax_error(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: T\nbase_url: [https://e.org\n"), -1);
	assert_int_equal(f->d.errors, 1);
	/* at the '[' that is never closed, not where libyaml noticed it */
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 11);
	assert_string_equal(f->d.v[0].msg,
			    "the list opened here with [ is not closed: end it with ]");
	/* defaults are there even so, for messages further on */
	assert_string_equal(f->s.cfg.theme, "default");
}

static void test_missing_file(void **state)
{
	fixture *f = *state;
	char dir[] = "/tmp/pm-config-XXXXXX";
	assert_non_null(mkdtemp(dir));
	int rc = config_load(&f->s.cfg, dir, &f->d);
	fs_remove_tree(dir);
	assert_int_equal(rc, -2);
	assert_int_equal(f->d.errors, 1);
	assert_string_equal(f->d.v[0].path, "site.yml");
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 1);
	char *want = xasprintf("no site.yml in '%s': run partnermap in a site "
			       "folder or pass -C DIR (partnermap init %s "
			       "starts a new site there)", dir, dir);
	assert_string_equal(f->d.v[0].msg, want);
	free(want);
	assert_string_equal(f->s.cfg.language, "en");
	assert_int_equal(f->s.cfg.map.graticule, 1);
}

static void test_load_from_folder(void **state)
{
	fixture *f = *state;
	char dir[] = "/tmp/pm-config-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = fs_join(dir, "site.yml");
	const char *yml = "\xEF\xBB\xBFtitle: T\r\nbase_url: https://e.org\r\ntypo: 1\r\n";
	assert_int_equal(fs_write(path, yml, strlen(yml)), 0);
	int rc = config_load(&f->s.cfg, dir, &f->d);
	fs_remove_tree(dir);
	free(path);
	assert_int_equal(rc, 0);
	assert_string_equal(f->s.cfg.base_url, "https://e.org/");
	assert_diag(&f->d, DIAG_WARNING, 3, 1, "unknown key 'typo'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_defaults),
		T(test_every_key),
		T(test_base_url_gets_a_slash),
		T(test_base_url_must_be_http),
		T(test_unknown_key_hint),
		T(test_wrong_types),
		T(test_simplify_range),
		T(test_map_must_be_a_mapping),
		T(test_required_keys),
		T(test_bad_language_and_theme),
		T(test_syntax_error),
		T(unsafe_output_base_url_and_texts),
		T(test_missing_file),
		T(test_load_from_folder),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
