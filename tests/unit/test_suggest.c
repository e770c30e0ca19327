/* test_suggest.c - what the loader suggests where an editor would look
 * for it: the network meant by a wrong slug, the slug of a network named
 * by its name, location: [lat, lon] for lat:/lon: keys, https:// for a
 * web address without it, the slug for a file name that is not one, and
 * what JSON front matter expected where it went wrong. Each message is
 * checked whole, at its line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sitefix.h"
#include "load/fields.h"
#include "load/frontmatter.h"
#include "load/load.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/pairs.h"

typedef site_fixture fixture;

static int setup(void **state)
{
	static const char *const files[] = {
		"site.yml", "title: T\nbase_url: https://example.org/\n",
		"content/networks/global.md",
		"---\nname: Global Network\nkind: global\n---\n",
		"content/networks/africa.md",
		"---\nname: African Network\nkind: regional\n---\n",
		"content/networks/south-east-asia.md",
		"---\nname: SEA Regional\nkind: regional\n---\n", NULL};
	return site_fixture_setup(state, "pm-suggest", files);
}

/* A record x.md: name, country, city on lines 2-4, then lines (each
 * ending in \n), then exchanges. */
static void put_record(fixture *f, const char *name, const char *lines)
{
	char *text = xasprintf("---\nname: N\ncountry: UG\ncity: Kampala\n%s"
			       "exchanges: [undergraduate]\n---\nBody.\n", lines);
	char *rel = xasprintf("content/institutions/%s", name);
	site_put(f, rel, text);
	free(rel);
	free(text);
}

static void load(fixture *f)
{
	site_load(&f->s, f->dir, &f->d);
}

/* d holds exactly the messages want (level, path, line, col, text), in
 * this order. */
typedef struct want {
	diag_level level;
	const char *path;
	int line, col;
	const char *msg;
} want;

static void assert_diags(const diags_t *d, const want *w, size_t n)
{
	int ok = d->n == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = d->v[i].level == w[i].level && d->v[i].line == w[i].line &&
		     d->v[i].col == w[i].col && d->v[i].path &&
		     !strcmp(d->v[i].path, w[i].path) &&
		     !strcmp(d->v[i].msg, w[i].msg);
	if (ok)
		return;
	print_error("got:\n");
	diags_print(d, stderr);
	print_error("expected:\n");
	for (size_t i = 0; i < n; i++)
		print_error("  %s:%d:%d: %s\n", w[i].path, w[i].line, w[i].col,
			    w[i].msg);
	fail();
}

#define X "content/institutions/x.md"
#define E DIAG_ERROR
#define W DIAG_WARNING

/* ---- networks ------------------------------------------------------------ */

static void test_network_misspelt(void **state)
{
	fixture *f = *state;
	put_record(f, "x.md", "location: [0.3, 32.5]\nnetworks: [global, afrika]\n");
	load(f);
	const want w[] = {{E, X, 6, 20, "unknown network 'afrika' (did you mean "
			   "'africa'? networks: africa, global, south-east-asia)"}};
	assert_diags(&f->d, w, 1);
}

static void test_network_unknown_lists_the_slugs(void **state)
{
	fixture *f = *state;
	put_record(f, "x.md", "location: [0.3, 32.5]\nnetworks: [europe]\n");
	load(f);
	const want w[] = {{E, X, 6, 12, "unknown network 'europe' (there is no "
			   "content/networks/europe.md; networks: africa, global, "
			   "south-east-asia)"}};
	assert_diags(&f->d, w, 1);
}

static void test_network_named_by_its_name(void **state)
{
	fixture *f = *state;
	put_record(f, "x.md", "location: [0.3, 32.5]\n"
		   "networks: [global, african network, South East Asia]\n");
	load(f);
	const want w[] = {
		{E, X, 6, 20, "'african network' is the name of network 'africa': "
		 "write its slug, africa"},
		{E, X, 6, 37, "unknown network 'South East Asia' (did you mean "
		 "'south-east-asia'? networks: africa, global, south-east-asia)"}};
	assert_diags(&f->d, w, 2);
}

static void test_network_none_yet(void **state)
{
	fixture *f = *state;
	char *nets = fs_join(f->dir, "content/networks");
	fs_remove_tree(nets);
	free(nets);
	put_record(f, "x.md", "location: [0.3, 32.5]\nnetworks: [global]\n");
	load(f);
	const want w[] = {{E, X, 6, 12, "unknown network 'global' (there is no "
			   "content/networks/global.md, and the site has no "
			   "networks yet: start one with partnermap new network NAME)"}};
	assert_diags(&f->d, w, 1);
}

static void test_network_list_is_cut(void **state)
{
	fixture *f = *state;
	for (int i = 0; i < 15; i++) {
		char *rel = xasprintf("content/networks/n%02d.md", i);
		char *text = xasprintf("---\nname: Net %d\nkind: regional\n---\n", i);
		site_put(f, rel, text);
		free(rel);
		free(text);
	}
	put_record(f, "x.md", "location: [0.3, 32.5]\nnetworks: [europe]\n");
	load(f);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].msg,
		"unknown network 'europe' (there is no content/networks/europe.md; "
		"networks: africa, global, n00, n01, n02, n03, n04, n05, n06, n07, "
		"n08, n09 and 6 more)");
}

/* ---- lat:, lon:, coordinates: ---------------------------------------- */

static void test_lat_lon_for_location(void **state)
{
	fixture *f = *state;
	put_record(f, "x.md", "lat: 0.3136\nlon: 32.5811\nnetworks: [global]\n");
	put_record(f, "y.md", "Latitude: \"0.3136\"\nnetworks: [global]\n");
	load(f);
	const want w[] = {
		{E, X, 5, 1, "missing required field 'location': write location: "
		 "[0.3136, 32.5811] in place of lat and lon"},
		{E, "content/institutions/y.md", 5, 1, "missing required field "
		 "'location': write location: [0.3136, longitude] in place of "
		 "Latitude"}};
	assert_diags(&f->d, w, 2);
	assert_int_equal(f->s.ninst, 0);
}

static void test_coordinates_for_location(void **state)
{
	fixture *f = *state;
	/* GeoJSON order, [longitude, latitude]: only the other way fits */
	put_record(f, "x.md", "networks: [global]\ncoordinates: [100.5, 13.7]\n");
	put_record(f, "y.md", "networks: [global]\ncoords: [13.7, 100.5]\n");
	load(f);
	const want w[] = {
		{E, X, 6, 1, "missing required field 'location': write location: "
		 "[13.7, 100.5] in place of coordinates"},
		{E, "content/institutions/y.md", 6, 1, "missing required field "
		 "'location': write location: [13.7, 100.5] in place of coords"}};
	assert_diags(&f->d, w, 2);
}

static void test_lat_lon_beside_location(void **state)
{
	fixture *f = *state;
	put_record(f, "x.md", "location: [0.3136, 32.5811]\nlat: 0.3136\n"
		   "lng: 32.5811\nnetworks: [global]\n");
	load(f);
	const want w[] = {
		{W, X, 6, 1, "unknown key 'lat' (ignored): location gives the place "
		 "already; delete lat"},
		{W, X, 7, 1, "unknown key 'lng' (ignored): location gives the place "
		 "already; delete lng"}};
	assert_diags(&f->d, w, 2);
	assert_int_equal(f->s.ninst, 1);
}

static void test_lat_lon_with_points(void **state)
{
	fixture *f = *state;
	site_put(f, "site.yml", "title: T\nbase_url: https://example.org/\n"
	    "map:\n  points: geodata/partners.shp\n");
	put_record(f, "x.md", "latitude: 0.3136\nlongitude: 32.5811\n"
		   "networks: [global]\n");
	load(f);
	const want w[] = {
		{W, X, 5, 1, "unknown key 'latitude' (ignored): write location: "
		 "[0.3136, 32.5811] in place of latitude and longitude"},
		{W, X, 6, 1, "unknown key 'longitude' (ignored): write location: "
		 "[0.3136, 32.5811] in place of latitude and longitude"}};
	assert_diags(&f->d, w, 2);
}

static void test_lat_lon_in_json(void **state)
{
	fixture *f = *state;
	site_put(f, "content/institutions/x.md",
	    "{\"name\": \"N\", \"country\": \"UG\", \"city\": \"K\",\n"
	    " \"networks\": [\"global\"], \"exchanges\": [\"postgraduate\"],\n"
	    " \"lat\": -1.2921, \"lon\": 36.8219}\nBody.\n");
	load(f);
	const want w[] = {{E, X, 3, 2, "missing required field 'location': "
			   "write location: [-1.2921, 36.8219] in place of lat and lon"}};
	assert_diags(&f->d, w, 1);
}

/* ---- web addresses ------------------------------------------------------- */

static void test_url_suggestion(void **state)
{
	(void)state;
	/* what an editor wrote and the address it meant, or NULL */
	static const str_pair cases[] = {
		{"www.mak.ac.ug", "https://www.mak.ac.ug/"},
		{"chs.mak.ac.ug/about?x=1", "https://chs.mak.ac.ug/about?x=1"},
		{"//chs.mak.ac.ug/about", "https://chs.mak.ac.ug/about"},
		{"example.org:8080", "https://example.org:8080/"},
		{"example.org.", "https://example.org./"},
		{"TBD", NULL},
		{"n/a", NULL},
		{"10.0.0.1", NULL},
		{"ftp://files.example.org/", NULL},
		{"javascript:alert(1)", NULL},
		{"mailto:office@example.org", NULL},
		{"user@example.org", NULL},
		{"www.mak.ac.ug/a b", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = url_suggestion(cases[i].key);
		if (cases[i].value ? !got || strcmp(got, cases[i].value) : got != NULL)
			fail_msg("url_suggestion(\"%s\") is %s, not %s",
				 cases[i].key, got ? got : "NULL",
				 cases[i].value ? cases[i].value : "NULL");
		free(got);
	}
}

static void test_website_without_scheme(void **state)
{
	fixture *f = *state;
	put_record(f, "x.md", "location: [0.3, 32.5]\nnetworks: [global]\n"
		   "website: www.mak.ac.ug\n");
	put_record(f, "y.md", "location: [0.3, 32.5]\nnetworks: [global]\n"
		   "website: TBD\n");
	load(f);
	const want w[] = {
		{E, X, 7, 10, "website must be an http(s) URL (it must start with "
		 "http:// or https://); did you mean https://www.mak.ac.ug/?"},
		{E, "content/institutions/y.md", 7, 10, "website must be an http(s) "
		 "URL (it must start with http:// or https://), such as "
		 "https://www.example.org/"}};
	assert_diags(&f->d, w, 2);
}

static void test_base_url_without_scheme(void **state)
{
	fixture *f = *state;
	const char *yml = "title: T\nbase_url: example.org/partners\n";
	assert_int_equal(config_parse(&f->s.cfg, yml, strlen(yml), "site.yml",
				      &f->d), -1);
	const want w[] = {{E, "site.yml", 2, 11, "base_url must be an http(s) URL "
			   "(it must start with http:// or https://); did you mean "
			   "https://example.org/partners?"}};
	assert_diags(&f->d, w, 1);
}

/* ---- file names ---------------------------------------------------------- */

static void test_file_name_gets_its_slug(void **state)
{
	fixture *f = *state;
	put_record(f, "Makerere University.md", "location: [0.3, 32.5]\n"
		   "networks: [global]\n");
	put_record(f, "Université de Yaoundé I.md", "location: [3.8, 11.5]\n"
		   "networks: [global]\n");
	/* the slug it would get is taken: said so, with the name it takes */
	put_record(f, "Mengo_Hospital.md", "location: [0.3, 32.5]\n"
		   "networks: [global]\n");
	put_record(f, "mengo-hospital.md", "location: [0.3, 32.5]\n"
		   "networks: [global]\n");
	load(f);
	const want w[] = {
		{E, "content/institutions/Makerere University.md", 1, 1,
		 "'Makerere University' cannot be a slug (the file name is the "
		 "record's address: lower-case letters, digits and single dashes); "
		 "rename the file makerere-university.md"},
		{E, "content/institutions/Mengo_Hospital.md", 1, 1,
		 "'Mengo_Hospital' cannot be a slug (the file name is the "
		 "record's address: lower-case letters, digits and single dashes), "
		 "and mengo-hospital.md, the name it would take, is there already: "
		 "keep one of the two, or give this one a name of its own"},
		{E, "content/institutions/Université de Yaoundé I.md", 1, 1,
		 "'Université de Yaoundé I' cannot be a slug (the file name is the "
		 "record's address: lower-case letters, digits and single dashes); "
		 "rename the file universite-de-yaounde-i.md"}};
	assert_diags(&f->d, w, 3);
	assert_int_equal(f->s.ninst, 1);
}

/* ---- JSON front matter --------------------------------------------------- */

static void test_json_says_what_it_expected(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int line, col;
		const char *msg;
	} cases[] = {
		{"{\n  \"name\": \"A\",\n  \"city\": \"B\"\n  \"country\": \"UG\"\n}\n",
		 4, 3, "expected ',' or '}' after the value of 'city' (is a comma missing?)"},
		{"{\n  \"name\": \"A\",\n  \"city\" \"B\"\n}\n",
		 3, 10, "expected ':' after the key 'city'"},
		{"{\n  \"name\": \"A\",\n  \"city\": \"B\",\n}\n",
		 3, 14, "remove the ',' after the value of 'city': JSON allows no comma before '}'"},
		{"{\"networks\": [\"africa\", \"global\",]}\n",
		 1, 33, "remove the ',' after item 2 of 'networks': JSON allows no comma before ']'"},
		{"{\"networks\": [\"africa\" \"global\"]}\n",
		 1, 24, "expected ',' or ']' after item 1 of 'networks' (is a comma missing?)"},
		{"{\"a\": [[1, 2], [3 4]]}\n",
		 1, 19, "expected ',' or ']' after item 1 of item 2 of 'a'"},
		{"{\"name\": 'A'}\n",
		 1, 10, "the value of 'name' is in single quotes: JSON writes text in double quotes"},
		{"{\"name\":\xc2\xa0\"A\"}\n",
		 1, 9, "the no-break space (U+00A0) before the value of 'name' is no "
		 "space to JSON: put a plain space in its place"},
		{"{\"name\": \xe2\x80\x8b\"A\"}\n",
		 1, 10, "the zero-width space (U+200B) before the value of 'name' "
		 "is no space to JSON: delete it"},
		{"{\"city\": Kampala Town, \"x\": 1}\n",
		 1, 10, "the value of 'city' must be in double quotes: \"Kampala Town\""},
		{"{name: \"A\"}\n",
		 1, 2, "the key name must be in double quotes: \"name\": value"},
		{"{'name': \"A\"}\n",
		 1, 2, "keys are written in double quotes in JSON, not single quotes"},
		{"{\"name\": , \"x\": 1}\n",
		 1, 10, "the value of 'name' is missing: write text in double quotes, "
		 "a number, true, false, null, a [list] or an {object}"},
		{"{\"name\": \"a\\qb\"}\n",
		 1, 12, "'\\q' in the value of 'name' is not an escape JSON knows: "
		 "write \\\\ for a backslash"},
		{"{\"a\": \"\\u12\"}\n",
		 1, 8, "\\u in the value of 'a' must be followed by four hexadecimal digits"},
		{"{\"n\": -x}\n", 1, 7, "the value of 'n' is not a number"},
		/* numbers in other notations than JSON's decimal one */
		{"{\"capacity\": 0x10}\n", 1, 14, "the value of 'capacity', 0x10, is "
		 "hexadecimal, which JSON numbers are not: write 16"},
		{"{\"fee\": 1_000}\n", 1, 9, "the value of 'fee', 1_000, is not a "
		 "JSON number: write the digits without '_' (1000)"},
		{"{\"capacity\": +5}\n", 1, 14, "the value of 'capacity', +5, is not a "
		 "JSON number: write 5 (or text in double quotes)"},
		{"{\"share\": .5}\n", 1, 11, "the value of 'share', .5, is not a JSON "
		 "number: write 0.5 (or text in double quotes)"},
		{"{\"capacity\": 10k}\n", 1, 14, "the value of 'capacity', 10k, is not "
		 "a JSON number: write a number in digits alone, or text in double "
		 "quotes (\"10k\")"},
		{"{\"map\": {\"a\": 1 \"b\": 2}}\n",
		 1, 17, "expected ',' or '}' after the value of 'a' (is a comma missing?)"},
		{"{ , \"a\": 1}\n",
		 1, 3, "expected a key in double quotes (\"key\": value) to start the front matter"},
		/* a quote too many, or one left out: told where the text goes
		 * on after a value's quote, not as a } missing, which hid it */
		{"{\"name\": \"O\"Brien\", \"city\": \"Cork\"}\nBody\n",
		 1, 13, "text follows the quote that ends the value of 'name': a "
		 "double quote inside the text is written \\\", and each value "
		 "ends with \" before its comma"},
		{"{\"name\": \"OBrien, \"city\": \"Cork\",\n \"x\": 1\n}\nBody\n",
		 1, 20, "text follows the quote that ends the value of 'name': a "
		 "double quote inside the text is written \\\", and each value "
		 "ends with \" before its comma"},
		/* none on the line: the } is missing */
		{"{\"name\": \"A\",\nBody text {x}\n",
		 1, 1, "unterminated JSON front matter (no closing }): end the object "
		 "with } on a line before the text"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fm_doc doc = {0};
		diags_t d = DIAGS_INIT;
		const char *t = cases[i].text;
		assert_int_equal(fm_parse(t, strlen(t), "x.md", &doc, &d), -1);
		if (d.n != 1 || d.v[0].line != cases[i].line ||
		    d.v[0].col != cases[i].col || strcmp(d.v[0].msg, cases[i].msg)) {
			diags_print(&d, stderr);
			fail_msg("case %zu: expected %d:%d %s", i, cases[i].line,
				 cases[i].col, cases[i].msg);
		}
		fm_doc_free(&doc);
		diags_free(&d);
	}
}

/* The Levenshtein distance (ASCII case aside), the whole table. */
static int full_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int t[16][16];
	for (size_t i = 0; i <= la; i++)
		for (size_t j = 0; j <= lb; j++) {
			if (!i || !j) {
				t[i][j] = (int)(i + j);
				continue;
			}
			int sub = t[i - 1][j - 1] + ((a[i - 1] | 32) != (b[j - 1] | 32));
			int del = t[i - 1][j] + 1, ins = t[i][j - 1] + 1;
			t[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return t[la][lb];
}

/* The hint, banded and stopped early, is the first candidate of least
 * distance within the slack (1 for words of up to 3 letters, else 2),
 * as the whole table finds it: 20,000 random lists over a small
 * alphabet, where near and far words are many. */
static void test_hint_is_the_nearest(void **state)
{
	(void)state;
	unsigned seed = 12345;
	char words[9][16];
	const char *cands[9];
	for (int round = 0; round < 20000; round++) {
		for (int w = 0; w < 9; w++) {
			seed = seed * 1103515245u + 12345u;
			int len = (int)(seed >> 16) % 9;
			for (int k = 0; k < len; k++) {
				seed = seed * 1103515245u + 12345u;
				words[w][k] = "abAB-c"[(seed >> 16) % 6];
			}
			words[w][len] = '\0';
			cands[w] = words[w];
		}
		cands[8] = NULL;
		const char *word = words[8];
		int limit = strlen(word) <= 3 ? 1 : 2, best = limit + 1;
		const char *nearest = NULL;
		for (int w = 0; w < 8; w++) {
			int dist = full_distance(word, cands[w]);
			if (dist < best) {
				best = dist;
				nearest = cands[w];
			}
		}
		const char *got = hint_from(word, cands);
		if (got != nearest)
			fail_msg("round %d: '%s' gave '%s', not '%s'", round, word,
				 got ? got : "(none)", nearest ? nearest : "(none)");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, site_fixture_teardown)
		T(test_network_misspelt),
		T(test_network_unknown_lists_the_slugs),
		T(test_network_named_by_its_name),
		T(test_network_none_yet),
		T(test_network_list_is_cut),
		T(test_lat_lon_for_location),
		T(test_coordinates_for_location),
		T(test_lat_lon_beside_location),
		T(test_lat_lon_with_points),
		T(test_lat_lon_in_json),
		T(test_url_suggestion),
		T(test_website_without_scheme),
		T(test_base_url_without_scheme),
		T(test_file_name_gets_its_slug),
		T(test_json_says_what_it_expected),
		T(test_hint_is_the_nearest),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
