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
#include "leadzero.h"
#include "sitefix.h"
#include "load/load.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

typedef site_fixture fixture;

/* Each test starts from an empty site folder (for config_load) and an
 * empty site. */
static int setup(void **state)
{
	static const char *const none[] = {NULL};
	return site_fixture_setup(state, "pm-config", none);
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

/* One message a parse gives: its level, its place and a part of it. */
typedef struct said {
	diag_level level;
	int line, col;
	const char *msg;
} said;

/* yml parses to rc with the n messages of v and no other (v names the
 * one missing when assert_diag fails). */
static void assert_says(fixture *f, const char *yml, int rc, const said *v,
			size_t n)
{
	assert_int_equal(parse(f, yml), rc);
	for (size_t i = 0; i < n; i++)
		assert_diag(&f->d, v[i].level, v[i].line, v[i].col, v[i].msg);
	assert_int_equal(f->d.n, n);
}

/* parse, after forgetting what the last parse read and said. */
static int reparse(fixture *f, const char *yml)
{
	config_free(&f->s.cfg);
	diags_free(&f->d);
	return parse(f, yml);
}

/* One site.yml that parse refuses, with the error it gives. */
typedef struct refused {
	const char *yml;
	int line, col;
	const char *msg; /* a part of the message */
} refused;

/* Each case of v, parsed in turn: refused with its error (assert_diag
 * names the case that fails by its message). */
static void assert_refused(fixture *f, const refused *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(reparse(f, v[i].yml), -1);
		assert_diag(&f->d, DIAG_ERROR, v[i].line, v[i].col, v[i].msg);
	}
}

/* What a site_config holds after a parse; NULL for a text left out. */
typedef struct config_want {
	const char *title, *base_url, *language, *theme;
	const char *description, *intro, *sample_note;
	const char *basemap, *iso_field, *name_field, *projection;
	double simplify;
	int graticule;
	const char *points, *points_slug_field;
} config_want;

static void assert_text(const char *got, const char *want)
{
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
}

/* yml parses without a message into what want says, member by member. */
static void assert_parses_to(fixture *f, const char *yml,
			     const config_want *want)
{
	assert_int_equal(parse(f, yml), 0);
	assert_int_equal(f->d.n, 0);
	const site_config *c = &f->s.cfg;
	const char *const got[] = {
		c->title, c->base_url, c->language, c->theme, c->description,
		c->intro, c->sample_note, c->map.basemap, c->map.iso_field,
		c->map.name_field, c->map.projection, c->map.points,
		c->map.points_slug_field};
	const char *const wanted[] = {
		want->title, want->base_url, want->language, want->theme,
		want->description, want->intro, want->sample_note,
		want->basemap, want->iso_field, want->name_field,
		want->projection, want->points, want->points_slug_field};
	for (size_t i = 0; i < sizeof got / sizeof *got; i++)
		assert_text(got[i], wanted[i]);
	assert_double_eq(c->map.simplify, want->simplify);
	assert_int_equal(c->map.graticule, want->graticule);
}

static void test_defaults(void **state)
{
	assert_parses_to(*state, "title: Partners\nbase_url: https://example.org/\n",
			 &(config_want){
		.title = "Partners", .base_url = "https://example.org/",
		.language = "en", .theme = "default",
		.basemap = "geodata/naturalearth_lowres.shp",
		.iso_field = "iso_a3", .name_field = "name",
		.projection = "equal-earth", .graticule = 1,
		.points_slug_field = "slug"});
}

static void test_every_key(void **state)
{
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
	assert_parses_to(*state, yml, &(config_want){
		.title = "Global Exchange", /* trimmed */
		.base_url = "http://example.org/partners/", .language = "pt-BR",
		.theme = "plain", .description = "Medical schools.",
		.intro = "Where students go.", .sample_note = "Sample data",
		.basemap = "geo/world.shp", .iso_field = "ISO_A3",
		.name_field = "NAME_EN", .projection = "+proj=robin",
		.simplify = 0.25, .graticule = 0, .points = "geo/points.shp",
		.points_slug_field = "id"});
}

static void test_base_url_gets_a_slash(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: T\nbase_url: https://example.org/sub/map\n"), 0);
	assert_string_equal(f->s.cfg.base_url, "https://example.org/sub/map/");
	assert_int_equal(reparse(f, "title: T\nbase_url: HTTPS://example.org:8080\n"), 0);
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
	static const refused cases[] = {
		{"title: T\nbase_url: \"https://exa\\u200Emple.org/\"\n", 2, 11,
		 "no invisible characters"},
		/* the NUL stops the YAML reader before the title is read */
		{"title: \"Partners\\u202E\"\nbase_url: https://example.org/\n"
		 "intro: \"a\\0b\"\n", 3, 10, "intro contains a NUL character"},
		{"title: \"Partners\\u202E\"\nbase_url: https://example.org/\n",
		 1, 8, "title contains U+202E (RIGHT-TO-LEFT OVERRIDE)"},
	};
	assert_refused(f, cases, sizeof cases / sizeof *cases);
}

static void test_base_url_must_be_http(void **state)
{
	static const refused cases[] = {
		{"title: T\nbase_url: ftp://example.org/\n", 2, 11,
		 "base_url must be an http(s) URL"},
		{"title: T\nbase_url: https:///path\n", 2, 11, "no host name"},
		{"title: T\nbase_url: https://example.org/?a=1\n", 2, 11,
		 "query"},
		{"title: T\nbase_url: https://example.org/map/#top\n", 2, 11,
		 "base_url must not have a query (?) or fragment (#): remove "
		 "everything from the ? or # on"},
	};
	assert_refused(*state, cases, sizeof cases / sizeof *cases);
}

static void test_unknown_key_hint(void **state)
{
	fixture *f = *state;
	static const said w[] = {
		{DIAG_WARNING, 3, 1,
		 "unknown key 'languge' (ignored); did you mean language?"},
		{DIAG_WARNING, 5, 3, "did you mean projection?"},
		/* nothing close to "colour": no hint */
		{DIAG_WARNING, 6, 3, "unknown key 'colour'"},
	};
	/* warnings only */
	assert_says(f, "title: T\nbase_url: https://e.org\nlanguge: fr\n"
		    "map:\n  projecton: robinson\n  colour: red\n", 0, w, 3);
	for (size_t i = 0; i < f->d.n; i++)
		if (f->d.v[i].line == 6)
			assert_not_contains(f->d.v[i].msg, "did you mean");
	assert_string_equal(f->s.cfg.language, "en"); /* ignored */
}

static void test_wrong_types(void **state)
{
	static const said w[] = {
		{DIAG_ERROR, 1, 8, "title must be text, not a list"},
		{DIAG_ERROR, 3, 14, "description must be text, not a mapping"},
		{DIAG_ERROR, 5, 14, "graticule must be true or false"},
		{DIAG_ERROR, 6, 13, "simplify '0.5' is text in quotes: write "
		 "the number without them"},
	};
	const char *yml =
		"title: [a, b]\n"
		"base_url: https://example.org/\n"
		"description: {short: x}\n"
		"map:\n"
		"  graticule: sometimes\n"
		"  simplify: \"0.5\"\n";
	assert_says(*state, yml, -1, w, 4);
}

/* Numbers that read as other than written: a leading zero (octal to a
 * YAML 1.1 reader), a thousands comma. */
static void test_numbers_read_as_written(void **state)
{
	static const refused cases[] = {
		{"title: T\nbase_url: https://e.org\npage_size: 010\n", 3, 12,
		 "page_size '010' " LEADING_ZERO_OCTAL("010", "8", "10")},
		{"title: T\nbase_url: https://e.org\nmax_file_size: 05 MB\n",
		 3, 16, "max_file_size '05 MB' " LEADING_ZERO_TEXT " 5 MB"},
		{"title: T\nbase_url: https://e.org\npage_size: 0010\n", 3, 12,
		 "page_size '0010' " LEADING_ZERO_OCTAL("0010", "8", "10")},
		{"title: T\nbase_url: https://e.org\npage_size: 1,000\n", 3, 12,
		 "page_size '1,000' has a thousands separator, which a number "
		 "may not hold; write 1000, without the comma"},
		/* a decimal comma: the number with its point */
		{"title: T\nbase_url: https://e.org\nmap:\n  simplify: 0,5\n",
		 4, 13, "simplify must be a number written with a decimal point, "
		 "not a comma: '0,5' is text"},
	};
	assert_refused(*state, cases, sizeof cases / sizeof *cases);
}

static void test_simplify_range(void **state)
{
	fixture *f = *state;
	static const refused cases[] = {
		{"title: T\nbase_url: https://e.org\nmap:\n  simplify: 1.5\n",
		 4, 13,
		 "simplify must be a number greater than 0 and at most 1, not 1.5: "
		 "write the share of border detail to keep, such as 0.5, or "
		 "leave it out"},
		{"title: T\nbase_url: https://e.org\nmap:\n  simplify: 0\n",
		 4, 13, "greater than 0"},
	};
	assert_refused(f, cases, sizeof cases / sizeof *cases);
	assert_int_equal(reparse(f, "title: T\nbase_url: https://e.org\nmap:\n"
				 "  simplify: 1\n"), 0);
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
	static const said w[] = {
		{DIAG_ERROR, 2, 8, "title is empty: write its value"},
		{DIAG_ERROR, 1, 1, "missing required key 'base_url'"},
	};
	assert_says(*state, "language: en\ntitle: \"  \"\n", -1, w, 2);
}

static void test_bad_language_and_theme(void **state)
{
	static const said w[] = {
		{DIAG_ERROR, 3, 11, "language must be a language tag"},
		{DIAG_ERROR, 4, 8, "theme must be the name of a folder"},
	};
	assert_says(*state, "title: T\nbase_url: https://e.org\n"
		    "language: \"en\\\" onload=\\\"x\"\ntheme: ../../etc\n",
		    -1, w, 2);
}

/* A language written by its English name is told its tag. */
static void a_language_name_is_told_its_tag(void **state)
{
	static const refused v[] = {
		{"title: T\nbase_url: https://e.org\nlanguage: English\n", 3, 11,
		 "language must be a language tag such as en or pt-BR; 'English' "
		 "is a language's name, not its tag: write en"},
		{"title: T\nbase_url: https://e.org\nlanguage: iw\n", 3, 11,
		 "language must be a language tag such as en or pt-BR; 'iw' is a "
		 "language tag the IANA registry has deprecated: write he"},
		{"title: T\nbase_url: https://e.org\nlanguage: iw-IL\n", 3, 11,
		 "language must be a language tag such as en or pt-BR; 'iw-IL' "
		 "begins with a language subtag the IANA registry has "
		 "deprecated: write he-IL"},
		{"title: T\nbase_url: https://e.org\nlanguage: art-lojban\n", 3, 11,
		 "language must be a language tag such as en or pt-BR; "
		 "'art-lojban' is a language tag the IANA registry has "
		 "deprecated: write jbo"},
		{"title: T\nbase_url: https://e.org\nlanguages: [en, sh-RS]\n", 3,
		 17, "'sh-RS' begins with a language subtag the IANA registry "
		 "has deprecated: write sr-Latn-RS"},
		/* a name CLDR knows, in English or in the language itself */
		{"title: T\nbase_url: https://e.org\nlanguage: Fran\xc3\xa7" "ais\n",
		 3, 11, "language must be a language tag such as en or pt-BR; "
		 "'Fran\xc3\xa7" "ais' is a language's name, not its tag: write fr"},
		{"title: T\nbase_url: https://e.org\nlanguages: [en, DEUTSCH]\n",
		 3, 17, "'DEUTSCH' is a language's name, not its tag: write de"},
		{"title: T\nbase_url: https://e.org\nlanguages: [en, pt_br]\n",
		 3, 17, "'pt_br' is written as a locale, with an underscore: "
		 "write pt-BR"},
		{"title: T\nbase_url: https://e.org\nlanguage: und\n", 3, 11,
		 "language 'und' is ISO 639's code for an undetermined language, "
		 "which no page is written in: write the tag of the site's "
		 "language, such as en, fr or pt-BR"},
		{"title: T\nbase_url: https://e.org\nlanguage: fre\n", 3, 11,
		 "language must be a language tag such as en or pt-BR; 'fre' is "
		 "the language's three-letter ISO 639-2 code, where its tag has "
		 "two letters: write fr"},
		{"title: T\nbase_url: https://e.org\nlanguage: pt_br\n", 3, 11,
		 "language must be a language tag such as en or pt-BR, written "
		 "with a dash: write pt-BR"},
		/* a boolean's word in quotes is text */
		{"title: T\nbase_url: https://e.org\nmap:\n  graticule: \"true\"\n",
		 4, 14, "graticule 'true' is text in quotes: write true without "
		 "them"},
		{"title: T\nbase_url: https://e.org\nmap:\n  graticule: 'No'\n",
		 4, 14, "graticule 'No' is text in quotes: write false without "
		 "them"},
		{"title: T\nbase_url: https://e.org\nlanguages: [fr, Portuguese]\n",
		 3, 17, "'Portuguese' is a language's name, not its tag: write pt"},
		{"title: T\nbase_url: https://e.org\nlanguages: [en, klingonese]\n",
		 3, 17, "'klingonese' is not a language tag: write a BCP 47 tag "
		 "such as en, fr or pt-BR"},
	};
	assert_refused(*state, v, sizeof v / sizeof *v);
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

/* A mistake in one value leaves site.yml read, that setting aside: the
 * content waits only for a setting it reads. */
static void test_mistake_in_a_value(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: \"T\\0\"\nbase_url: https://e.org/\n"
				  "language: fr\ntheme: mine\n"), -1);
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->s.cfg.unread, 0);
	assert_int_equal(f->s.cfg.shared_failed, 0);
	assert_null(f->s.cfg.title);
	assert_string_equal(f->s.cfg.language, "fr");
	assert_string_equal(f->s.cfg.theme, "mine");
}

static void test_mistake_in_a_shared_value(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "title: T\nbase_url: https://e.org/\n"
				  "language: fr\nlanguage: de\n"), -1);
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->s.cfg.unread, 0);
	assert_int_equal(f->s.cfg.shared_failed, 1);
	/* the first of the two is read */
	assert_string_equal(f->s.cfg.language, "fr");
}

static void test_missing_file(void **state)
{
	fixture *f = *state;
	const char *dir = f->dir;
	assert_int_equal(config_load(&f->s.cfg, dir, &f->d), -2);
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
	site_put(f, "site.yml",
		 "\xEF\xBB\xBFtitle: T\r\nbase_url: https://e.org\r\ntypo: 1\r\n");
	assert_int_equal(config_load(&f->s.cfg, f->dir, &f->d), 0);
	assert_string_equal(f->s.cfg.base_url, "https://e.org/");
	assert_diag(&f->d, DIAG_WARNING, 3, 1, "unknown key 'typo'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) \
	cmocka_unit_test_setup_teardown(name, setup, site_fixture_teardown)
		T(test_defaults),
		T(test_every_key),
		T(test_base_url_gets_a_slash),
		T(test_base_url_must_be_http),
		T(test_unknown_key_hint),
		T(test_wrong_types),
		T(test_numbers_read_as_written),
		T(test_simplify_range),
		T(test_map_must_be_a_mapping),
		T(test_required_keys),
		T(test_bad_language_and_theme),
		T(a_language_name_is_told_its_tag),
	T(a_language_name_is_told_its_tag),
		T(test_syntax_error),
		T(test_mistake_in_a_value),
		T(test_mistake_in_a_shared_value),
		T(unsafe_output_base_url_and_texts),
		T(test_missing_file),
		T(test_load_from_folder),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
