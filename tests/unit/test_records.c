/* test_records.c - loading and checking site folders: institutions,
 * networks, pages, countries, and the messages editors get. Each test
 * builds a small site in a fresh temporary folder. */
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
#include "load/load.h"
#include "sitefix.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

#define FIXTURES "tests/fixtures"

typedef site_fixture fixture;

/* ---- helpers ----------------------------------------------------------- */

static void drop(fixture *f, const char *rel)
{
	char *path = fs_join(f->dir, rel);
	fs_remove_tree(path);
	free(path);
}

static const char site_yml[] = "title: Test\nbase_url: https://example.org/\n";

static const char global_md[] =
	"---\nname: Global Network\nkind: global\n---\nEveryone.\n";
static const char africa_md[] =
	"---\nname: African Network\nkind: regional\ncolour: \"#D55E00\"\n---\n";

static int setup(void **state)
{
	static const char *const files[] = {
		"site.yml", site_yml, "content/networks/global.md", global_md,
		"content/networks/africa.md", africa_md, NULL};
	if (site_fixture_setup(state, "pm-records", files) < 0)
		return -1;
	fixture *f = *state;
	char *inst = fs_join(f->dir, "content/institutions");
	fs_mkdirs(inst);
	free(inst);
	return 0;
}

static int load(fixture *f)
{
	return site_load(&f->s, f->dir, &f->d);
}

/* A valid institution record, one line per field at a known line:
 *   2 name  3 country  4 city  5 location  6 networks  7 exchanges
 * with the line for key replaced (or dropped when line is NULL), and
 * extra lines from line 8 on. */
static char *record(const char *key, const char *line, const char *extra)
{
	static const char *const base[] = {
		"name: Test Medical School",
		"country: UG",
		"city: Kampala",
		"location: [0.3136, 32.5811]",
		"networks: [global, africa]",
		"exchanges: [undergraduate]",
		NULL};
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\n");
	for (size_t i = 0; base[i]; i++) {
		size_t klen = key ? strlen(key) : 0;
		int match = key && !strncmp(base[i], key, klen) &&
			    base[i][klen] == ':';
		if (!match)
			buf_printf(&b, "%s\n", base[i]);
		else if (line)
			buf_printf(&b, "%s\n", line);
	}
	if (extra)
		buf_puts(&b, extra);
	buf_puts(&b, "---\nBody.\n");
	return buf_detach(&b);
}

static void put_record(fixture *f, const char *slug, const char *key,
		       const char *line, const char *extra)
{
	char *text = record(key, line, extra);
	char *rel = xasprintf("content/institutions/%s.md", slug);
	site_put(f, rel, text);
	free(rel);
	free(text);
}

static const diag_t *find_diag(const diags_t *d, diag_level lv,
			       const char *path, int line, int col,
			       const char *needle)
{
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		if (x->level == lv && x->line == line && x->col == col &&
		    x->path && !strcmp(x->path, path) && strstr(x->msg, needle))
			return x;
	}
	return NULL;
}

static void assert_diag(const diags_t *d, diag_level lv, const char *path,
			int line, int col, const char *needle)
{
	if (find_diag(d, lv, path, line, col, needle))
		return;
	diags_print(d, stderr);
	fail_msg("no %s at %s:%d:%d containing '%s'",
		 lv == DIAG_WARNING ? "warning" : "error", path, line, col,
		 needle);
}

static void assert_no_diags(const diags_t *d)
{
	if (d->n == 0)
		return;
	diags_print(d, stderr);
	fail_msg("expected no messages, got %zu", d->n);
}

/* One record of a table-driven test: content/institutions/<slug>.md as
 * put_record writes it from key, line and extra, and the error it must get
 * at dline:dcol (msg a part of the message), or, with msg NULL and dline
 * not 0, no error there at all. */
typedef struct rec_case {
	const char *slug, *key, *line, *extra;
	int dline, dcol;
	const char *msg;
} rec_case;

/* Writes the n records of c, loads the site, which must fail, and checks
 * each record's error. */
static void load_failing_cases(fixture *f, const rec_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_record(f, c[i].slug, c[i].key, c[i].line, c[i].extra);
	assert_int_equal(load(f), -1);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("content/institutions/%s.md", c[i].slug);
		if (c[i].msg)
			assert_diag(&f->d, DIAG_ERROR, path, c[i].dline,
				    c[i].dcol, c[i].msg);
		else if (c[i].dline)
			assert_null(find_diag(&f->d, DIAG_ERROR, path,
					      c[i].dline, c[i].dcol, ""));
		free(path);
	}
}

static void assert_list(const strlist *l, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	assert_int_equal(l->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l->v[i], want[i]);
}

#define X "content/institutions/x.md"

/* ---- a whole record ---------------------------------------------------- */

static void test_complete_record(void **state)
{
	fixture *f = *state;
	site_put(f, "content/institutions/makerere.md",
	    "---\n"
	    "name: Makerere University College of Health Sciences\n"
	    "country: ug\n"
	    "city: '  Kampala '\n"
	    "location: [0.3383, 32.5761]\n"
	    "networks: [global, africa]\n"
	    "exchanges: [postgraduate, undergraduate]\n"
	    "electives: [observership, clinical, research]\n"
	    "website: https://chs.mak.ac.ug/\n"
	    "email: electives@example.org\n"
	    "joined: 2019-04-01\n"
	    "draft: false\n"
	    "---\n"
	    "Uganda's *oldest* medical school.\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(site_check(&f->s, &f->d), 0);
	assert_no_diags(&f->d);
	assert_int_equal(f->s.ninst, 1);
	const institution *in = &f->s.inst[0];
	assert_string_equal(in->slug, "makerere");
	assert_string_equal(in->path, "content/institutions/makerere.md");
	assert_string_equal(in->name,
			    "Makerere University College of Health Sciences");
	assert_string_equal(in->country, "UG");
	assert_string_equal(in->city, "Kampala");
	assert_double_eq(in->lat, 0.3383);
	assert_double_eq(in->lon, 32.5761);
	assert_int_equal(in->has_location, 1);
	assert_list(&in->networks, (const char *const[]){"global", "africa", NULL});
	/* stored in a fixed order, whatever the order written */
	assert_list(&in->exchanges,
		    (const char *const[]){"undergraduate", "postgraduate", NULL});
	assert_list(&in->electives, (const char *const[]){
		"clinical", "research", "observership", NULL});
	assert_string_equal(in->website, "https://chs.mak.ac.ug/");
	assert_string_equal(in->email, "electives@example.org");
	assert_string_equal(in->joined, "2019-04-01");
	assert_string_equal(in->body_html,
			    "<p>Uganda's <em>oldest</em> medical school.</p>\n");
	assert_ptr_equal(in->pos.path, in->path);
	assert_int_equal(in->pos.line, 1);
	assert_int_equal(in->pos.col, 1);
	assert_int_equal(in->pos_country.line, 3);
	assert_int_equal(in->pos_country.col, 10);
	assert_int_equal(in->pos_location.line, 5);
	assert_int_equal(in->pos_location.col, 11);
	assert_int_equal(in->feature, -1);
	assert_ptr_equal(site_institution(&f->s, "makerere"), in);
}

static void test_optional_fields_absent(void **state)
{
	fixture *f = *state;
	put_record(f, "x", NULL, NULL, NULL);
	assert_int_equal(load(f), 0);
	assert_no_diags(&f->d);
	const institution *in = &f->s.inst[0];
	assert_null(in->website);
	assert_null(in->email);
	assert_null(in->joined);
	assert_int_equal(in->electives.n, 0);
	assert_string_equal(in->body_html, "<p>Body.</p>\n");
}

static void test_json_record(void **state)
{
	fixture *f = *state;
	site_put(f, "content/institutions/x.md",
	    "{\n"
	    "  \"name\": \"JSON School\", \"country\": \"KE\", \"city\": \"Nairobi\",\n"
	    "  \"location\": [-1.2921, 36.8219],\n"
	    "  \"networks\": [\"africa\"], \"exchanges\": \"postgraduate\"\n"
	    "}\n"
	    "Body.\n");
	put_record(f, "y", "location",
		   NULL, NULL); /* a second record, to keep x company */
	assert_int_equal(load(f), -1); /* y lacks a location */
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/y.md", 1, 1,
		    "missing required field 'location'");
	assert_int_equal(f->s.ninst, 1);
	const institution *in = &f->s.inst[0];
	assert_string_equal(in->country, "KE");
	assert_double_eq(in->lat, -1.2921);
	assert_list(&in->exchanges, (const char *const[]){"postgraduate", NULL});
	assert_int_equal(in->pos_location.line, 3);
	assert_int_equal(in->pos_location.col, 15);
	assert_string_equal(in->body_html, "<p>Body.</p>\n");
}

static void test_json_record_error_position(void **state)
{
	fixture *f = *state;
	site_put(f, "content/institutions/x.md",
	    "{\"name\": \"J\", \"country\": \"KE\", \"city\": \"Nairobi\",\n"
	    " \"location\": [-1.29, 196.8],\n"
	    " \"networks\": [\"africa\"], \"exchanges\": [\"undergraduate\"]}\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 2, 22,
		    "longitude 196.8 is out of range [-180, 180]");
}

/* Messages speak of the front matter's own language: a JSON record was
 * told that YAML readers disagree on 010, and a JSON network with an
 * empty colour that an unquoted # starts a comment. */
static void messages_in_json_speak_of_json(void **state)
{
	fixture *f = *state;
	site_put(f, "content/institutions/x.md",
	    "{\"name\": \"J\", \"country\": \"KE\", \"city\": \"Nairobi\",\n"
	    " \"location\": [-1.29, 36.8], \"networks\": [\"africa\"],\n"
	    " \"exchanges\": [\"undergraduate\"],\n"
	    " \"electives\": [{\"type\": \"clinical\", \"capacity\": 010}]}\n");
	site_put(f, "content/networks/global.md",
		 "{\"name\": \"Global\", \"kind\": \"global\", \"colour\": \"\"}\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 4, 49,
		    "capacity '010' has a leading zero, which a JSON number "
		    "may not have; write 10");
	assert_null(diags_has(&f->d, DIAG_ERROR, "YAML") ? "YAML" : NULL);
	assert_diag(&f->d, DIAG_WARNING, "content/networks/global.md", 1, 38,
		    "colour is empty; write one as #rrggbb");
	assert_int_equal(diags_has(&f->d, DIAG_WARNING, "comment"), 0);
	diags_free(&f->d);
	site_free(&f->s);
	site_init(&f->s);
	/* and in YAML, of YAML */
	site_put(f, "content/networks/global.md",
		 "---\nname: Global\nkind: global\ncolour: #0072b2\n---\n");
	put_record(f, "x", "exchanges", "exchanges: [undergraduate]\n"
		   "electives: [{type: clinical, capacity: 010}]", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 8, 40, "YAML readers disagree");
	assert_diag(&f->d, DIAG_WARNING, "content/networks/global.md", 4, 1,
		    "an unquoted # starts a comment");
}

/* ---- one problem each -------------------------------------------------- */

static void test_missing_required_field(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "city", NULL, NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 1, 1, "missing required field 'city'");
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->s.ninst, 0); /* never half a record */
}

static void test_empty_required_field(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "name", "name: \"   \"", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 2, 7, "name is empty: write its value");
}

static void test_wrong_types(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "name", "name: [Test, School]",
		   "website:\n  url: https://example.org\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 2, 7, "name must be text, not a list");
	assert_diag(&f->d, DIAG_ERROR, X, 9, 3,
		    "website must be text, not a mapping");
	assert_int_equal(f->d.errors, 2);
}

static void test_control_characters(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "city", "city: \"Kam\\x01pala\"", NULL);
	put_record(f, "y", "city", "city: \"Kam\\tpala\"", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 4, 7,
		    "city contains a control character (U+0001)");
	assert_int_equal(f->d.errors, 1);
	assert_string_equal(f->s.inst[0].city, "Kam\tpala");
}

static void test_latitude_out_of_range(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "location", "location: [95.2, 32.5]", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 5, 12,
		    "latitude 95.2 is out of range [-90, 90]");
	assert_int_equal(f->d.errors, 1);
}

static void test_location_shapes(void **state)
{
	fixture *f = *state;
	static const rec_case cases[] = {
		{"a", "location", "location: [0.5, -181]", NULL, 5, 17,
		 "longitude -181 is out of range [-180, 180]"},
		/* quotes make a number text: said so, not "must be a
		 * number" of what reads as one */
		{"b", "location", "location: [\"0.3\", 32]", NULL, 5, 12,
		 "latitude '0.3' is text in quotes: write the number without "
		 "them"},
		{"c", "location", "location: 0.3", NULL, 5, 11,
		 "location must be [latitude, longitude]"},
		{"d", "location", "location: [1, 2, 3]", NULL, 5, 11,
		 "location must be [latitude, longitude]"},
		/* a valid pair in the wrong order stays valid: 32.58 is a
		 * latitude */
		{"e", "location", "location: [32.58, 0.31]", NULL, 5, 12, NULL},
		{"f", "location", "location: [1e400, 0]", NULL, 5, 12,
		 "latitude 1e400 is out of range"},
		/* numbers to some YAML readers, never degrees: a whole one
		 * told the decimal it is */
		{"g", "location", "location: [0, 0x1F]", NULL, 5, 15,
		 "longitude '0x1F' is hexadecimal: numbers are written in plain "
		 "decimal digits; write 31"},
		{"h", "location", "location: [.nan, 1]", NULL, 5, 12,
		 "latitude '.nan' is no number of degrees"},
		{"i", "location", "location: [north, 1]", NULL, 5, 12,
		 "latitude must be a number, not text"},
		/* commas: two numbers without a space are a location as YAML
		 * reads them; a thousands comma is said once, for degrees;
		 * decimal commas get the points they meant */
		{"j", "location", "location: [10,100]", NULL, 5, 12, NULL},
		{"k", "location", "location: [1,000, 36.8]", NULL, 5, 12,
		 "'1,000' reads as two numbers, 1 and '000': inside [ ] a comma "
		 "separates values; a location is [latitude, longitude] in "
		 "degrees, with a point for decimals, such as [0.3136, "
		 "32.5811]"},
		{"l", "location", "location: [30,0312, 31,2287]", NULL, 5, 11,
		 "location must be [latitude, longitude] with a point for "
		 "decimals: a comma separates the values, so this is four "
		 "numbers; write [30.0312, 31.2287]"},
		/* the pair without its brackets: one text */
		{"m", "location", "location: 53.34, -6.26", NULL, 5, 11,
		 "location must be [latitude, longitude], in brackets: write "
		 "location: [53.34, -6.26]"},
		{"n", "location", "location: 53,34, -6,26", NULL, 5, 11,
		 "location must be [latitude, longitude], in brackets: write "
		 "location: [53.34, -6.26]"},
		/* each fix as the check takes it: no leading zero, a
		 * fraction's zeros kept */
		{"o", "location", "location: +01.2921, 036.80", NULL, 5, 11,
		 "location must be [latitude, longitude], in brackets: write "
		 "location: [1.2921, 36.80]"},
		{"p", "location", "location: [09,02, 038,07]", NULL, 5, 11,
		 "location must be [latitude, longitude] with a point for "
		 "decimals: a comma separates the values, so this is four "
		 "numbers; write [9.02, 38.07]"},
	};
	load_failing_cases(f, cases, sizeof cases / sizeof *cases);
	assert_int_equal(f->d.errors, 14);
	assert_int_equal(f->s.ninst, 2);
}

static void test_swapped_hint(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "location", "location: [100.5, 13.7]", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 5, 12, "are the two swapped?");
}

static void test_unknown_network_hint(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "networks", "networks: [global, afrika]", NULL);
	put_record(f, "y", "networks", "networks: [europe]", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 6, 20,
		    "unknown network 'afrika' (did you mean 'africa'? networks: africa, global)");
	const diag_t *y = find_diag(&f->d, DIAG_ERROR,
				    "content/institutions/y.md", 6, 12,
				    "unknown network 'europe'");
	assert_non_null(y);
	assert_string_equal(y->msg, "unknown network 'europe' (there is no "
			    "content/networks/europe.md; networks: africa, global)");
}

static void test_networks_required_and_deduplicated(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "networks", "networks: []", NULL);
	put_record(f, "y", "networks", "networks: [africa, global, africa]",
		   NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 6, 11,
		    "networks must name at least one network: write the slug "
		    "of a file in content/networks/ between the brackets");
	assert_diag(&f->d, DIAG_WARNING, "content/institutions/y.md", 6, 28,
		    "network 'africa' is listed twice (first at line 6): "
		    "delete this one");
	assert_int_equal(f->s.ninst, 1);
	assert_list(&f->s.inst[0].networks,
		    (const char *const[]){"africa", "global", NULL});
}

/* A network listed over and over is told ten times, then once for the
 * rest: "[africa, africa, ...]" 40 times printed 39 warnings. */
static void test_networks_repeated_are_told_ten_times(void **state)
{
	fixture *f = *state;
	buf_t line = BUF_INIT;
	buf_puts(&line, "networks: [global");
	for (int i = 0; i < 40; i++)
		buf_puts(&line, ", africa");
	buf_puts(&line, "]");
	put_record(f, "y", "networks", buf_cstr(&line), NULL);
	buf_free(&line);
	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.warnings, 11);
	/* "networks: [global, " is 19 columns; each ", africa" 8 */
	for (int k = 0; k < 10; k++)
		assert_diag(&f->d, DIAG_WARNING, "content/institutions/y.md", 6,
			    28 + 8 * k, "network 'africa' is listed twice "
			    "(first at line 6): delete this one");
	assert_diag(&f->d, DIAG_WARNING, "content/institutions/y.md", 6, 108,
		    "network 'africa' and 28 more from here on in this list are "
		    "listed twice too: delete them");
	assert_list(&f->s.inst[0].networks,
		    (const char *const[]){"global", "africa", NULL});
}

static void test_unknown_country(void **state)
{
	fixture *f = *state;
	static const rec_case cases[] = {
		{"a", "country", "country: UGA", NULL, 3, 10,
		 "unknown country code 'UGA' (an ISO 3166-1 alpha-3 code for Uganda); did you mean UG?"},
		{"b", "country", "country: uganda", NULL, 3, 10,
		 "unknown country code 'uganda' (expected an ISO 3166-1 alpha-2 code); did you mean UG?"},
		{"c", "country", "country: XX", NULL, 3, 10,
		 "unknown country code 'XX'"},
		{"d", "country", "country: \"ug\"", NULL, 0, 0, NULL},
		/* codes often written for a country, which ISO 3166-1 gives
		 * another */
		{"e", "country", "country: UK", NULL, 3, 10,
		 "unknown country code 'UK' (not an ISO 3166-1 code); did you mean GB (United Kingdom)?"},
		{"f", "country", "country: el", NULL, 3, 10,
		 "unknown country code 'el' (not an ISO 3166-1 code); did you mean GR (Greece)?"},
	};
	load_failing_cases(f, cases, sizeof cases / sizeof *cases);
	const diag_t *c = find_diag(&f->d, DIAG_ERROR,
				    "content/institutions/c.md", 3, 10,
				    "unknown country code 'XX'");
	assert_non_null(c);
	assert_not_contains(c->msg, "did you mean");
	assert_int_equal(f->d.errors, 5);
	assert_int_equal(f->s.ninst, 1);
	assert_string_equal(f->s.inst[0].country, "UG");
}

static void test_norway_is_a_country(void **state)
{
	fixture *f = *state;
	/* YAML 1.1 reads a bare NO as false; a country field wants text */
	put_record(f, "x", "country", "country: NO", NULL);
	assert_int_equal(load(f), 0);
	assert_string_equal(f->s.inst[0].country, "NO");
}

static void test_website_must_be_http(void **state)
{
	fixture *f = *state;
	static const char *const bad[] = {
		"website: \"javascript:alert(1)\"",
		"website: \"data:text/html,<script>alert(1)</script>\"",
		"website: ftp://example.org/",
		"website: https://",
		"website: https://user@evil.example/",
		"website: http://exa mple.org/",
		"website: //example.org/",
		NULL};
	for (size_t i = 0; bad[i]; i++) {
		char slug[8];
		snprintf(slug, sizeof slug, "w%zu", i);
		char *extra = xasprintf("%s\n", bad[i]);
		put_record(f, slug, NULL, NULL, extra);
		free(extra);
	}
	put_record(f, "ok", NULL, NULL,
		   "website: https://example.org:8443/a?b=<c>&d=\"e\"#f\n");
	assert_int_equal(load(f), -1);
	for (size_t i = 0; bad[i]; i++) {
		char path[64];
		snprintf(path, sizeof path, "content/institutions/w%zu.md", i);
		assert_diag(&f->d, DIAG_ERROR, path, 8, 10,
			    "website must be an http(s) URL");
	}
	assert_int_equal(f->d.errors, 7);
	assert_int_equal(f->s.ninst, 1);
	assert_string_equal(f->s.inst[0].website,
			    "https://example.org:8443/a?b=%3Cc%3E&d=%22e%22#f");
}

static void test_bad_email(void **state)
{
	fixture *f = *state;
	static const char *const bad[] = {
		"email: a b@example.org\n",
		"email: \"<a@example.org>\"\n",
		"email: a@localhost\n",
		"email: a@@example.org\n",
		"email: \"\\\"a\\\"@example.org\"\n",
		"email: a@example.c\n",
		NULL};
	for (size_t i = 0; bad[i]; i++) {
		char slug[8];
		snprintf(slug, sizeof slug, "m%zu", i);
		put_record(f, slug, NULL, NULL, bad[i]);
	}
	put_record(f, "ok", NULL, NULL,
		   "email: first.last+tag@sub.example.ac.ug\n");
	assert_int_equal(load(f), -1);
	for (size_t i = 0; bad[i]; i++) {
		char path[64];
		snprintf(path, sizeof path, "content/institutions/m%zu.md", i);
		assert_diag(&f->d, DIAG_ERROR, path, 8, 8,
			    "does not look like an e-mail address");
	}
	assert_int_equal(f->d.errors, 6);
	assert_string_equal(f->s.inst[0].email, "first.last+tag@sub.example.ac.ug");
}

/* The one error of record x (line 8 is its first extra line) must read
 * exactly msg. */
static void assert_only_x_error(const fixture *f, int line, int col,
				const char *msg)
{
	if (f->d.n != 1 || f->d.errors != 1 || f->d.v[0].line != line ||
	    f->d.v[0].col != col || strcmp(f->d.v[0].msg, msg)) {
		diags_print(&f->d, stderr);
		fail_msg("expected only %d:%d: %s", line, col, msg);
	}
}

/* A 5,000-character paste was echoed whole in the message: 120
 * characters of it are enough to find it. */
static void a_long_value_is_quoted_in_part(void **state)
{
	fixture *f = *state;
	buf_t line = BUF_INIT;
	buf_puts(&line, "email: ");
	for (int i = 0; i < 5000; i++) {
		if (i % 50)
			buf_putc(&line, 'a');
		else
			buf_puts(&line, "\xc3\xa9");
	}
	buf_puts(&line, "@x\n");
	put_record(f, "x", NULL, NULL, buf_cstr(&line));
	buf_free(&line);
	assert_int_equal(load(f), -1);
	assert_int_equal(f->d.n, 1);
	/* "é" and 49 "a" twice, then "é" and 19 "a": 120 characters */
	assert_non_null(strstr(f->d.v[0].msg, "aaaaaaaaa...' does not look"));
	assert_true(strlen(f->d.v[0].msg) < 400);
}

static void unsafe_output_email_is_a_plain_address(void **state)
{
	fixture *f = *state;
	put_record(f, "x", NULL, NULL, "email: \"x%40evil.example?subject="
		   "Hi&body=Pay&x=@example.org\"\n");
	assert_int_equal(load(f), -1);
	assert_only_x_error(f, 8, 8,
		"email 'x%40evil.example?subject=Hi&body=Pay&x=@example.org' "
		"does not look like an e-mail address ('%' is not allowed "
		"before the @): write one plain address such as "
		"name@example.org, without %, ?, &, spaces, quotes or comments; "
		"did you mean x@evil.example?");
	static const struct {
		const char *email, *why, *guess;
	} bad[] = {
		{"mailto:a@example.org", "':' is not allowed before the @",
		 "a@example.org"},
		{"Office <office@example.org>",
		 "only the address, without a name or angle brackets",
		 "office@example.org"},
		{"a@example.org?cc=b@example.org", "more than one @",
		 "a@example.org"},
		{"a&b@example.org", "'&' is not allowed before the @", NULL},
		{"\\\"a b\\\"@example.org", "no quotes", NULL},
		{"a(x)@example.org", "no comments in parentheses", NULL},
		{"a..b@example.org", "a dot cannot start or end the name or "
		 "follow another dot", NULL},
		{"a@example", "the domain needs a dot, as in example.org", NULL},
		{"a@-x.example.org", "the domain must be names such as "
		 "example.org, without empty parts or hyphens at their ends",
		 NULL},
		{"a@example.c0m", "the domain must end in a top-level name "
		 "such as .org", NULL},
		{"a@exa_mple.org", "'_' is not allowed in the domain", NULL},
		{"\\u00e9l\\u00e8ve@example.org", "only ASCII letters, digits "
		 "and . _ + - before the @", NULL},
		{"a@b\\u00fccher.de", "write an international domain in its "
		 "ASCII form (xn--...)", NULL},
		{"a\\u200E@example.org", "no invisible characters (U+200E "
		 "(LEFT-TO-RIGHT MARK))", NULL},
		{"a@example.org\\u200B", "no invisible characters (U+200B "
		 "(ZERO WIDTH SPACE))", NULL},
		{"@example.org", "nothing before the @", NULL},
		{"a.example.org", "no @", NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		diags_free(&f->d);
		site_free(&f->s);
		site_init(&f->s);
		char *extra = xasprintf("email: \"%s\"\n", bad[i].email);
		put_record(f, "x", NULL, NULL, extra);
		free(extra);
		assert_int_equal(load(f), -1);
		const diag_t *x = find_diag(&f->d, DIAG_ERROR, X, 8, 8, bad[i].why);
		if (!x || f->d.n != 1) {
			diags_print(&f->d, stderr);
			fail_msg("%s: expected '%s'", bad[i].email, bad[i].why);
		}
		char *hint = bad[i].guess ?
			xasprintf("; did you mean %s?", bad[i].guess) : NULL;
		int ok = hint ? strstr(x->msg, hint) != NULL :
			 strstr(x->msg, "did you mean") == NULL;
		if (!ok)
			fail_msg("%s: unexpected hint in '%s'", bad[i].email, x->msg);
		free(hint);
	}
	/* the odd but plain ones stay */
	static const char *const good[] = {
		"o'brien@example.org", "first.last+tag@sub.example.ac.ug",
		"a#b/c=d^e`f{g|h}i~j!k$l*m@example.org", "x@xn--bcher-kva.de",
		"A1@EXAMPLE.ORG"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		diags_free(&f->d);
		site_free(&f->s);
		site_init(&f->s);
		char *extra = xasprintf("email: \"%s\"\n", good[i]);
		put_record(f, "x", NULL, NULL, extra);
		free(extra);
		assert_int_equal(load(f), 0);
		assert_string_equal(f->s.inst[0].email, good[i]);
	}
}

static void unsafe_output_websites_are_plain_and_encoded(void **state)
{
	fixture *f = *state;
	static const char *const bad[] = {
		"https://ex\\u200Bample.org/", "https://example.org/\\u202E",
		"https://example.org\\u2066/", "https://a:b@example.org/",
		"https://example.org/\\u200F"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		diags_free(&f->d);
		site_free(&f->s);
		site_init(&f->s);
		char *extra = xasprintf("website: \"%s\"\n", bad[i]);
		put_record(f, "x", NULL, NULL, extra);
		free(extra);
		assert_int_equal(load(f), -1);
		assert_int_equal(f->d.n, 1);
		assert_int_equal(f->d.v[0].line, 8);
		assert_int_equal(f->d.v[0].col, 10);
	}
	assert_non_null(strstr(f->d.v[0].msg, "website must be an http(s) URL "
				"(no invisible characters"));
	/* what a URI cannot hold is percent-encoded after the host */
	static const struct {
		const char *in, *out;
	} ok[] = {
		{"https://example.org/a?q=\\\"<x>\\\"&r='1'#f",
		 "https://example.org/a?q=%22%3Cx%3E%22&r='1'#f"},
		{"https://example.org/caf\\u00e9/[x]{y}|^`\\\\z",
		 "https://example.org/caf%C3%A9/%5Bx%5D%7By%7D%7C%5E%60%5Cz"},
		{"https://example.org/a%20b%zz%4#x#y",
		 "https://example.org/a%20b%25zz%254#x%23y"},
		{"http://[2001:db8::1]:8080/", "http://[2001:db8::1]:8080/"},
		{"https://b\\u00fccher.de/", "https://b\xc3\xbc" "cher.de/"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		diags_free(&f->d);
		site_free(&f->s);
		site_init(&f->s);
		char *extra = xasprintf("website: \"%s\"\n", ok[i].in);
		put_record(f, "x", NULL, NULL, extra);
		free(extra);
		assert_int_equal(load(f), 0);
		assert_string_equal(f->s.inst[0].website, ok[i].out);
	}
}

static void unsafe_output_bidi_controls_in_text_are_errors(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "name", "name: \"Invoice\\u202Egnp.exe\"", NULL);
	put_record(f, "y", "city", "city: \"\\u2067Kampala\\u2069\"", NULL);
	put_record(f, "z", "name", "name: \"\\u062c\\u0627\\u0645\\u0639\\u0629"
		   "\\u200F \\u061C(Cairo)\\u200E\"", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 2, 7,
		    "name contains U+202E (RIGHT-TO-LEFT OVERRIDE), which "
		    "reorders the text shown after it; remove it");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/y.md", 4, 7,
		    "city contains U+2067 (RIGHT-TO-LEFT ISOLATE)");
	assert_int_equal(f->d.errors, 2);
	/* marks are how mixed-direction names are written: kept */
	assert_int_equal(f->s.ninst, 1);
	assert_non_null(strstr(f->s.inst[0].name, "\xe2\x80\x8f \xd8\x9c(Cairo)"));
	/* and so are C1 controls refused, like C0 */
	diags_free(&f->d);
	site_free(&f->s);
	site_init(&f->s);
	put_record(f, "x", "city", "city: \"Kam\\Npala\"", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 4, 7,
		    "city contains a control character (U+0085); remove it");
	/* and U+FFFE, which XML may not hold: the map and the feeds were
	 * ill-formed, with a build that succeeded */
	diags_free(&f->d);
	site_free(&f->s);
	site_init(&f->s);
	put_record(f, "x", "city", "city: \"Kam\\uFFFEpala\"", NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 4, 7,
		    "city contains a noncharacter (U+FFFE); remove it");
}

/* Load again with content/institutions/x.md the record of a school in
 * Kampala whose front matter ends with `extra` and whose body is body:
 * 0, or -1 with errors in f->d. */
static int load_x(fixture *f, const char *extra, const char *body)
{
	diags_free(&f->d);
	site_free(&f->s);
	site_init(&f->s);
	char *text = xasprintf("---\nname: A\ncountry: UG\ncity: K\n"
			       "location: [0.3, 32.5]\nnetworks: [global]\n"
			       "exchanges: [undergraduate]\n%s---\n%s\n",
			       extra, body);
	site_put(f, "content/institutions/x.md", text);
	free(text);
	return load(f);
}

static void unsafe_output_markdown_bodies(void **state)
{
	fixture *f = *state;
	site_put(f, "content/institutions/x.md",
	    "---\nname: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
	    "networks: [global]\nexchanges: [undergraduate]\n---\n"
	    "Text \x1b[1mbold\n");
	site_put(f, "content/pages/about.md",
		 "---\ntitle: About\n---\n\xe2\x80\xae.\n");
	site_put(f, "content/networks/asia.md",
	    "---\nname: Asia\nkind: regional\n---\nx\x7f\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 9, 6, "the text contains a control "
		    "character (U+001B); remove it");
	assert_diag(&f->d, DIAG_ERROR, "content/pages/about.md", 4, 1,
		    "the text contains U+202E (RIGHT-TO-LEFT OVERRIDE)");
	assert_diag(&f->d, DIAG_ERROR, "content/networks/asia.md", 5, 2,
		    "control character (U+007F)");
	assert_int_equal(f->d.errors, 3);
	/* a character reference is decoded only by cmark: the loader tells
	 * each at its place (load/offers.h, offers_check_text) */
	diags_free(&f->d);
	site_free(&f->s);
	site_init(&f->s);
	drop(f, "content/pages/about.md");
	drop(f, "content/networks/asia.md");
	assert_int_equal(load_x(f, "housing: \"h&#xFFFF;i\"\n",
		"a&#1;b&#x202E;c&#x2069;d&#x85;e&#x200F;f&#xD800;g"), -1);
	assert_int_equal(f->d.errors, 6);
	assert_diag(&f->d, DIAG_ERROR, X, 8, 12, "housing holds '&#xFFFF;', a "
		    "character reference to a noncharacter (U+FFFF)");
	assert_diag(&f->d, DIAG_ERROR, X, 10, 2, "the body holds '&#1;'");
	assert_diag(&f->d, DIAG_ERROR, X, 10, 7, "the body holds '&#x202E;'");
	assert_diag(&f->d, DIAG_ERROR, X, 10, 16, "the body holds '&#x2069;'");
	assert_diag(&f->d, DIAG_ERROR, X, 10, 25, "the body holds '&#x85;'");
	assert_diag(&f->d, DIAG_ERROR, X, 10, 41, "the body holds '&#xD800;'");
	/* and, should one reach a page, it is left out all the same: cmark
	 * writes U+FFFE and U+FFFF as the single bytes 0xFE and 0xFF, which
	 * are no UTF-8, left out as the noncharacters they name are; what
	 * cmark replaces by U+FFFD stays */
	const char *refs = "a&#1;b&#x202E;c&#x200F;d&#xFFFE;e&#xffff;"
			   "f&#xFDD0;g&#xD800;h";
	char *html = markdown_to_html(refs, strlen(refs));
	assert_string_equal(html, "<p>abc\xe2\x80\x8f" "defg\xef\xbf\xbd" "h</p>\n");
	free(html);
	/* an IPv6 host (RFC 3986's IP-literal) keeps its brackets, which
	 * cmark writes as %5B and %5D anywhere in a URL: a browser takes
	 * http://%5B::1%5D/ for a host of that name, and the link fails.
	 * Brackets elsewhere in the URL stay escaped. */
	assert_int_equal(load_x(f, "",
		"[a](http://[2001:db8::1]:8080/p[1]) <https://u@[::1]/x> "
		"![i](http://[fe80::1%25eth0]/i.png) [b](/p[2]) [c](http://h/%5B3%5D)"), 0);
	assert_string_equal(f->s.inst[0].body_html,
		"<p><a href=\"http://[2001:db8::1]:8080/p%5B1%5D\">a</a> "
		"<a href=\"https://u@[::1]/x\">https://u@[::1]/x</a> "
		"<img src=\"http://[fe80::1%25eth0]/i.png\" alt=\"i\" /> "
		"<a href=\"/p%5B2%5D\">b</a> <a href=\"http://h/%5B3%5D\">c</a></p>\n");
}

static void messages_that_mislead_a_broken_network(void **state)
{
	fixture *f = *state;
	/* africa.md exists but does not parse: the records that name it get
	 * no "there is no content/networks/africa.md" */
	site_put(f, "content/networks/africa.md", "---\nname: [Africa\n---\n");
	put_record(f, "x", NULL, NULL, NULL);
	assert_int_equal(load(f), -1);
	assert_int_equal(f->d.errors, 1);
	assert_string_equal(f->d.v[0].path, "content/networks/africa.md");
	assert_int_equal(f->s.ninst, 1);
	assert_non_null(site_network(&f->s, "africa"));
}

/* An empty word field says which words it takes, as an unknown one does
 * (it said "write its value", leaving the editor to guess). */
static void an_empty_word_says_the_words(void **state)
{
	fixture *f = *state;
	site_put(f, "content/networks/africa.md",
		 "---\nname: Africa\nkind:\n---\n");
	put_record(f, "x", NULL, NULL, NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, "content/networks/africa.md", 3, 6,
		    "kind is empty: write global or regional");
	assert_int_equal(f->d.errors, 1);
}

static void messages_that_mislead_a_broken_site_yml(void **state)
{
	fixture *f = *state;
	/* whether map.points gives locations is unknown: no second error */
	site_put(f, "site.yml", "title: T\nbase_url: https://e.org/\nmap:\n"
	    "  points: p.shp\nx: [\n");
	put_record(f, "x", "location", NULL, NULL);
	assert_int_equal(load(f), -1);
	assert_int_equal(f->d.errors, 1);
	assert_string_equal(f->d.v[0].path, "site.yml");
	assert_true(f->s.cfg.unread);
	/* a site.yml that reads (with an error in a setting only pages
	 * show) still requires it */
	diags_free(&f->d);
	site_free(&f->s);
	site_init(&f->s);
	site_put(f, "site.yml",
		 "title: T\nbase_url: https://e.org/\npage_size: many\n");
	assert_int_equal(load(f), -1);
	assert_false(f->s.cfg.unread);
	assert_diag(&f->d, DIAG_ERROR, X, 1, 1, "missing required field 'location'");
}

static void test_bad_date(void **state)
{
	fixture *f = *state;
	static const rec_case cases[] = {
		{"a", NULL, NULL, "joined: 2019-4-1\n", 8, 9,
		 "joined must be a date written YYYY-MM-DD, not '2019-4-1': write "
		 "joined: 2019-04-01"},
		{"b", NULL, NULL, "joined: 2019-02-29\n", 8, 9,
		 "joined: 2019-02-29 is not a real date (February 2019 has 28 "
		 "days): check the day and the month"},
		{"c", NULL, NULL, "joined: 2019\n", 8, 9, "YYYY-MM-DD"},
		{"d", NULL, NULL, "joined: 2019-13-01\n", 8, 9,
		 "not a real date"},
		{"e", NULL, NULL, "joined: 2020-02-29\n", 0, 0, NULL},
		{"f", NULL, NULL, "joined: 1899-12-31\n", 8, 9,
		 "joined: 1899-12-31 is not in the years 1900 to 2200: check the "
		 "year, written in full, such as 2025-09-01"},
		{"g", NULL, NULL, "joined: 2201-01-01\n", 8, 9,
		 "joined: 2201-01-01 is not in the years 1900 to 2200: check the "
		 "year, written in full, such as 2025-09-01"},
	};
	load_failing_cases(f, cases, sizeof cases / sizeof *cases);
	assert_int_equal(f->d.errors, 6);
	assert_string_equal(f->s.inst[0].joined, "2020-02-29"); /* a leap year */
}

static void test_unknown_key_hint(void **state)
{
	fixture *f = *state;
	put_record(f, "x", NULL, NULL,
		   "websit: https://example.org/\ncolour: red\n");
	assert_int_equal(load(f), 0); /* warnings only */
	assert_diag(&f->d, DIAG_WARNING, X, 8, 1,
		    "unknown key 'websit' (ignored); did you mean website?");
	assert_diag(&f->d, DIAG_WARNING, X, 9, 1, "unknown key 'colour'");
	assert_int_equal(f->d.warnings, 2);
	assert_int_equal(f->s.ninst, 1);
	assert_null(f->s.inst[0].website);
}

static void test_draft_skipped(void **state)
{
	fixture *f = *state;
	/* a draft is skipped whole, unfinished fields and all */
	put_record(f, "a", "country", "country: XX", "draft: true\n");
	put_record(f, "b", NULL, NULL, "draft: false\n");
	put_record(f, "c", NULL, NULL, "draft: maybe\n");
	/* YAML 1.1's on and off are text to YAML 1.2: told what to write;
	 * and the rest of the record is still checked (its country) */
	put_record(f, "d", "country", "country: XX", "draft: On\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/c.md", 8, 8,
		    "draft must be true or false, not 'maybe'");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/d.md", 8, 8,
		    "draft must be true or false, not 'On': write true");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/d.md", 3, 10,
		    "unknown country code 'XX'");
	assert_int_equal(f->d.n, 3);
	assert_int_equal(f->s.ninst, 1);
	assert_string_equal(f->s.inst[0].slug, "b");
	assert_null(site_institution(&f->s, "a"));
}

static void test_single_scalar_lists(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "networks", "networks: global",
		   "electives: research\n");
	char *text = record("exchanges", "exchanges: Postgraduate", NULL);
	site_put(f, "content/institutions/y.md", text);
	free(text);
	assert_int_equal(load(f), 0);
	assert_no_diags(&f->d);
	const institution *x = site_institution(&f->s, "x");
	assert_non_null(x);
	assert_list(&x->networks, (const char *const[]){"global", NULL});
	assert_list(&x->electives, (const char *const[]){"research", NULL});
	const institution *y = site_institution(&f->s, "y");
	assert_list(&y->exchanges, (const char *const[]){"postgraduate", NULL});
}

static void test_word_lists(void **state)
{
	fixture *f = *state;
	put_record(f, "a", "exchanges", "exchanges: [postgraduat, undergraduate, undergraduate]", NULL);
	put_record(f, "b", "exchanges", "exchanges: []", NULL);
	put_record(f, "c", NULL, NULL, "electives: [surgery]\n");
	put_record(f, "d", "exchanges", "exchanges: [[undergraduate]]", NULL);
	assert_int_equal(load(f), -1);
	const char *a = "content/institutions/a.md";
	assert_diag(&f->d, DIAG_ERROR, a, 7, 13,
		    "unknown exchange level 'postgraduat' (expected undergraduate or postgraduate); did you mean postgraduate?");
	assert_diag(&f->d, DIAG_WARNING, a, 7, 41,
		    "exchange level 'undergraduate' is listed twice (first at "
		    "line 7): delete this one");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/b.md", 7, 12,
		    "exchanges must list at least one of undergraduate or postgraduate");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/c.md", 8, 13,
		    "unknown elective 'surgery' (expected clinical, research or observership)");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/d.md", 7, 13,
		    "the items of exchanges must be text, not a list");
	assert_int_equal(f->d.errors, 4);
	assert_int_equal(f->s.ninst, 0);
}

static void test_sorted_order(void **state)
{
	fixture *f = *state;
	static const char *const slugs[] = {"b", "a-b", "a", "c2", "c10", "a0"};
	for (size_t i = 0; i < sizeof slugs / sizeof *slugs; i++) {
		char line[64];
		snprintf(line, sizeof line, "name: School %s", slugs[i]);
		put_record(f, slugs[i], "name", line, NULL);
	}
	assert_int_equal(load(f), 0);
	static const char *const want[] = {"a", "a-b", "a0", "b", "c10", "c2"};
	assert_int_equal(f->s.ninst, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(f->s.inst[i].slug, want[i]);
		assert_ptr_equal(site_institution(&f->s, want[i]), &f->s.inst[i]);
	}
	assert_null(site_institution(&f->s, "a-"));
	assert_null(site_institution(&f->s, "d"));
	assert_null(site_institution(&f->s, ""));
	assert_string_equal(site_network(&f->s, "africa")->slug, "africa");
	assert_null(site_network(&f->s, "asia"));
}

static void test_markdown_is_safe(void **state)
{
	fixture *f = *state;
	site_put(f, "content/institutions/x.md",
	    "---\nname: X\ncountry: UG\ncity: K\nlocation: [0, 0]\n"
	    "networks: global\nexchanges: undergraduate\n---\n"
	    "Hello <script>alert(1)</script> **world**.\n\n"
	    "[click](javascript:alert(2)) and [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
	    "<div onclick=\"alert(3)\">block</div>\n\n"
	    "<img src=x onerror=alert(4)>\n\n"
	    "[*see* it](  VBScript:x) ![a map](file:///etc/passwd) "
	    "[ok](https://example.org/)\n");
	assert_int_equal(load(f), 0);
	const char *html = f->s.inst[0].body_html;
	assert_contains(html, "<strong>world</strong>");
	assert_contains(html, "<!-- raw HTML omitted -->");
	assert_not_contains(html, "<script");
	assert_not_contains(html, "javascript:");
	assert_not_contains(html, "data:text/html");
	assert_not_contains(html, "onclick");
	assert_not_contains(html, "<img");
	/* a link to nowhere (href=""), which a keyboard would reach and
	 * which reloads the page, is its text; such a picture its words */
	assert_not_contains(html, "href=\"\"");
	assert_not_contains(html, "src=\"\"");
	assert_contains(html, "<p>click and data</p>");
	assert_contains(html, "<em>see</em> it a map <a href=\"https://example.org/\">ok</a>");
}

static void test_file_names(void **state)
{
	fixture *f = *state;
	put_record(f, "Bad_Name", NULL, NULL, NULL);
	put_record(f, "trailing-", NULL, NULL, NULL);
	site_put(f, "content/institutions/notes.txt", "not a record\n");
	site_put(f, "content/institutions/.hidden.md", "ignored entirely\n");
	put_record(f, "good-name-2", NULL, NULL, NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/Bad_Name.md", 1, 1,
		    "'Bad_Name' cannot be a slug (the file name is the record's "
		    "address: lower-case letters, digits and single dashes); "
		    "rename the file bad-name.md");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/trailing-.md", 1, 1,
		    "'trailing-' cannot be a slug (the file name is the record's "
		    "address: lower-case letters, digits and single dashes); "
		    "rename the file trailing.md");
	/* a record saved under another ending is not left out in silence */
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/notes.txt", 1, 1,
		    "'notes.txt' is not read: a record's file name ends in .md, "
		    "in lower case; rename it to notes.md");
	assert_int_equal(f->d.n, 3);
	assert_int_equal(f->s.ninst, 1);
	assert_string_equal(f->s.inst[0].slug, "good-name-2");
}

static void test_folders(void **state)
{
	fixture *f = *state;
	drop(f, "content");
	site_put(f, "content/pages/about.md", "---\ntitle: About\n---\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, "content/institutions", 1, 1,
		    "missing folder");
	assert_int_equal(f->d.n, 1); /* no networks folder: fine */
	assert_int_equal(f->s.nnet, 0);
	assert_int_equal(f->s.npages, 1);
}

static void test_missing_site_yml(void **state)
{
	fixture *f = *state;
	drop(f, "site.yml");
	put_record(f, "x", NULL, NULL, NULL);
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, "site.yml", 1, 1, "no site.yml in '");
	assert_int_equal(f->d.errors, 1);
	/* the records' checks read its settings (languages, countries,
	 * disciplines): they wait for it, rather than each repeat its lack */
	assert_int_equal(f->s.ninst, 0);
	assert_int_equal(f->s.settings_failed, 1);
}

/* ---- networks and pages ------------------------------------------------ */

static void test_networks(void **state)
{
	fixture *f = *state;
	site_put(f, "content/networks/asia.md",
	    "---\nname: South East Asian Network\nkind: Regional\n"
	    "description: >\n  Schools in\n  South East   Asia.\n---\n");
	site_put(f, "content/networks/europe.md",
	    "---\nname: Europe\nkind: continental\ncolour: \"#12345\"\n"
	    "color: blue\n---\n");
	site_put(f, "content/networks/zeta.md",
	    "---\nname: Zeta\nkind: global\ncolour: #00ff00\n---\n");
	assert_int_equal(load(f), -1);
	const char *eu = "content/networks/europe.md";
	assert_diag(&f->d, DIAG_ERROR, eu, 3, 7,
		    "unknown network kind 'continental' (expected global or regional)");
	assert_diag(&f->d, DIAG_ERROR, eu, 4, 9, "colour must be written #rrggbb");
	assert_diag(&f->d, DIAG_WARNING, eu, 5, 1, "did you mean colour?");
	assert_diag(&f->d, DIAG_WARNING, "content/networks/zeta.md", 4, 1,
		    "an unquoted # starts a comment");
	assert_int_equal(f->d.errors, 2);
	/* networks with errors stay, so institutions naming them are fine */
	assert_int_equal(f->s.nnet, 5);
	static const char *const order[] = {"africa", "asia", "europe",
					    "global", "zeta"};
	for (int i = 0; i < 5; i++) {
		assert_string_equal(f->s.net[i].slug, order[i]);
		assert_int_equal(f->s.net[i].index, i);
	}
	const network *africa = site_network(&f->s, "africa");
	assert_string_equal(africa->colour, "#d55e00"); /* lower-cased */
	assert_string_equal(africa->kind, "regional");
	assert_string_equal(africa->body_html, "");
	const network *asia = site_network(&f->s, "asia");
	assert_string_equal(asia->kind, "regional");
	assert_string_equal(asia->description, "Schools in South East Asia.");
	assert_string_equal(asia->colour, "#d55e00"); /* palette, index 1 */
	const network *global = site_network(&f->s, "global");
	assert_string_equal(global->colour, "#cc79a7"); /* palette, index 3 */
	assert_string_equal(site_network(&f->s, "zeta")->colour, "#e69f00");
	assert_string_equal(global->body_html, "<p>Everyone.</p>\n");
	assert_null(global->description);
	assert_int_equal(global->pos.line, 1);
}

static void test_network_required_fields(void **state)
{
	fixture *f = *state;
	site_put(f, "content/networks/asia.md", "---\ndescription: x\n---\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, "content/networks/asia.md", 1, 1,
		    "missing required field 'name'");
	assert_diag(&f->d, DIAG_ERROR, "content/networks/asia.md", 1, 1,
		    "missing required field 'kind'");
}

static void test_pages(void **state)
{
	fixture *f = *state;
	site_put(f, "content/pages/zebra.md", "---\ntitle: Zebra\n---\nZ\n");
	site_put(f, "content/pages/join.md",
		 "---\ntitle: How to join\nmenu: 2\n---\n");
	site_put(f, "content/pages/about.md",
		 "---\ntitle: About\nmenu: 2\n---\n");
	site_put(f, "content/pages/first.md",
		 "---\ntitle: First\nmenu: -1\n---\n");
	site_put(f, "content/pages/apple.md", "---\ntitle: Apple\n---\n");
	site_put(f, "content/pages/half.md",
		 "---\ntitle: Half\nmenu: 1.5\n---\n");
	site_put(f, "content/pages/untitled.md", "---\nmenu: 3\n---\n");
	site_put(f, "content/pages/exp.md", "---\ntitle: Exp\nmenu: 1e1\n---\n");
	site_put(f, "content/pages/zero.md", "---\ntitle: Zero\nmenu: -01\n---\n");
	assert_int_equal(load(f), -1);
	assert_diag(&f->d, DIAG_ERROR, "content/pages/half.md", 3, 7,
		    "menu must be a whole number in decimal digits, such as 3 "
		    "or -1 (the page's place in the menu), not 1.5");
	/* told the number it is (test_numbers.c) */
	assert_diag(&f->d, DIAG_ERROR, "content/pages/exp.md", 3, 7,
		    "menu '1e1' has an exponent: numbers are written in plain "
		    "decimal digits; write 10");
	assert_diag(&f->d, DIAG_ERROR, "content/pages/zero.md", 3, 7,
		    "menu '-01' " LEADING_ZERO_TEXT " -1");
	assert_diag(&f->d, DIAG_ERROR, "content/pages/untitled.md", 1, 1,
		    "missing required field 'title'");
	static const char *const order[] = {"first", "about", "join", "apple",
					    "zebra"};
	assert_int_equal(f->s.npages, 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(f->s.pages[i].slug, order[i]);
	assert_int_equal(f->s.pages[0].menu, -1);
	assert_int_equal(f->s.pages[0].has_menu, 1);
	assert_int_equal(f->s.pages[4].has_menu, 0);
	assert_string_equal(f->s.pages[4].title, "Zebra");
	assert_string_equal(f->s.pages[4].body_html, "<p>Z</p>\n");
}

/* ---- site_check -------------------------------------------------------- */

static void test_check_location_from_points(void **state)
{
	fixture *f = *state;
	site_put(f, "site.yml", "title: T\nbase_url: https://e.org/\n"
			   "map:\n  points: geodata/points.shp\n");
	put_record(f, "x", "location", NULL, NULL);
	char *y = record("location", NULL, NULL);
	memcpy(strstr(y, "Test"), "Best", 4); /* not a duplicate name */
	site_put(f, "content/institutions/y.md", y);
	free(y);
	assert_int_equal(load(f), 0); /* a location may come from the points */
	assert_int_equal(f->s.ninst, 2);
	assert_int_equal(f->s.inst[0].has_location, 0);
	/* the locate stage found y in the point file */
	f->s.inst[1].has_location = 1;
	assert_int_equal(site_check(&f->s, &f->d), -1);
	assert_diag(&f->d, DIAG_ERROR, X, 1, 1,
		    "no location: add location: [latitude, longitude], or a point with slug = x to geodata/points.shp");
	assert_int_equal(f->d.errors, 1);
}

static void test_check_duplicate_names(void **state)
{
	fixture *f = *state;
	put_record(f, "a", "name", "name: General Hospital", NULL);
	put_record(f, "b", "name", "name: general hospital", NULL);
	/* the same name in another city */
	char *other = record("name", "name: General Hospital", NULL);
	memcpy(strstr(other, "city: Kampala"), "city: Gulu   ", 13);
	site_put(f, "content/institutions/c.md", other);
	free(other);
	assert_int_equal(load(f), 0);
	assert_int_equal(site_check(&f->s, &f->d), -1);
	/* told at the name, which is what repeats */
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/b.md", 2, 7,
		    "'general hospital' in Kampala is already "
		    "content/institutions/a.md (a duplicate record?): keep one "
		    "of the two");
	assert_diag(&f->d, DIAG_WARNING, "content/institutions/a.md", 2, 7,
		    "another institution is also called 'General Hospital' "
		    "(content/institutions/c.md): add what tells them apart to "
		    "the name, such as the city");
	assert_int_equal(f->d.errors, 1);
}

static void test_check_networks_and_pages(void **state)
{
	fixture *f = *state;
	site_put(f, "content/networks/asia.md",
	    "---\nname: African network\nkind: regional\n---\n");
	site_put(f, "content/pages/networks.md",
		 "---\ntitle: Our networks\n---\n");
	put_record(f, "x", NULL, NULL, NULL);
	assert_int_equal(load(f), 0);
	assert_int_equal(site_check(&f->s, &f->d), -1);
	assert_diag(&f->d, DIAG_WARNING, "content/networks/asia.md", 1, 1,
		    "no institution belongs to network 'asia': add 'asia' to "
		    "the networks of its members, or remove this file");
	assert_diag(&f->d, DIAG_ERROR, "content/networks/asia.md", 2, 7,
		    "network name 'African network' is already used by "
		    "content/networks/africa.md: give each network a name of "
		    "its own");
	assert_diag(&f->d, DIAG_ERROR, "content/pages/networks.md", 1, 1,
		    "a page cannot be called 'networks'");
	assert_int_equal(f->d.errors, 2);
	assert_int_equal(f->d.warnings, 1);
}

/* Forget what f loaded and said, for another load. */
static void reload_fresh(fixture *f)
{
	site_free(&f->s);
	site_init(&f->s);
	diags_free(&f->d);
}

/* A record refused for its errors may be a network's only member: the
 * checks that still run after it (so that one run reports every problem)
 * must not call its network empty. Errors in site.yml's settings are
 * told apart, as the checks, the map and the theme read those. */
static void test_check_after_a_refused_record(void **state)
{
	fixture *f = *state;
	put_record(f, "x", "networks", "networks: [global]", NULL);
	put_record(f, "y", "country", "country: XX", NULL); /* africa's only */
	assert_int_equal(load(f), -1);
	assert_int_equal(f->s.ninst, 1);
	assert_int_equal(f->s.inst_refused, 1);
	assert_int_equal(f->s.settings_failed, 0);
	assert_int_equal(site_check(&f->s, &f->d), 0);
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->d.warnings, 0);

	/* with every record sound, the empty network is said */
	reload_fresh(f);
	drop(f, "content/institutions/y.md");
	assert_int_equal(load(f), 0);
	assert_int_equal(f->s.inst_refused, 0);
	assert_int_equal(site_check(&f->s, &f->d), 0);
	assert_diag(&f->d, DIAG_WARNING, "content/networks/africa.md", 1, 1,
		    "no institution belongs to network 'africa'");
	assert_int_equal(f->d.warnings, 1);

	/* an error in a translation file leaves no record out */
	reload_fresh(f);
	site_put(f, "content/institutions/x.fr.md", "---\nname: X\n---\n");
	assert_int_equal(load(f), -1);
	assert_int_equal(f->s.ninst, 1);
	assert_int_equal(f->s.inst_refused, 0);

	/* an error in a setting only pages show: the content is loaded */
	reload_fresh(f);
	site_put(f, "site.yml", "title:\nbase_url: https://example.org/\n");
	assert_int_equal(load(f), -1);
	assert_int_equal(f->s.settings_failed, 0);
	assert_int_equal(f->s.ninst, 1);

	/* in one the records' checks read: the content waits for its fix */
	reload_fresh(f);
	site_put(f, "site.yml", "title: T\nbase_url: https://example.org/\n"
				"languages: en, fr\n");
	assert_int_equal(load(f), -1);
	assert_int_equal(f->s.settings_failed, 1);
	assert_int_equal(f->s.cfg.shared_failed, 1);
	assert_int_equal(f->s.ninst, 0);
	assert_int_equal(f->d.errors, 1);
}

/* ---- countries --------------------------------------------------------- */

static void test_country_table(void **state)
{
	fixture *f = *state;
	country_table t = {0};
	assert_int_equal(countries_load(&t, PM_ISO_CODES_PATH, &f->d), 0);
	assert_ge(t.n, 249);
	/* every code finds its own entry through the hash */
	for (size_t i = 0; i < t.n; i++) {
		assert_ptr_equal(country_by_alpha2(&t, t.v[i].alpha2), &t.v[i]);
		assert_ptr_equal(country_by_alpha3(&t, t.v[i].alpha3), &t.v[i]);
	}
	const country *ug = country_by_alpha2(&t, "ug");
	assert_non_null(ug);
	assert_string_equal(ug->alpha3, "UGA");
	assert_string_equal(ug->name, "Uganda");
	assert_string_equal(ug->official, "Republic of Uganda");
	assert_string_equal(country_by_alpha3(&t, "bol")->name, "Bolivia");
	assert_ptr_equal(country_by_name(&t, "republic of uganda"), ug);
	assert_null(country_by_alpha2(&t, "XX"));
	assert_null(country_by_alpha2(&t, "U"));
	assert_null(country_by_alpha2(&t, "UGA"));
	assert_null(country_by_alpha3(&t, "UG"));
	assert_null(country_by_alpha2(&t, NULL));
	countries_free(&t);
	assert_int_equal(f->d.n, 0);
}

static void test_country_table_override(void **state)
{
	fixture *f = *state;
	site_put(f, "iso.json",
	    "{\"3166-1\": [{\"alpha_2\": \"QZ\", \"alpha_3\": \"QZZ\", "
	    "\"name\": \"Quuz, Republic of\", \"common_name\": \"Quuz\"}, "
	    "{\"alpha_2\": \"bad\"}]}");
	char *iso = fs_join(f->dir, "iso.json");
	setenv(PM_ISO_CODES_ENV, iso, 1);
	put_record(f, "x", "country", "country: qz", NULL);
	put_record(f, "y", NULL, NULL, NULL); /* UG is unknown here */
	int rc = load(f);
	unsetenv(PM_ISO_CODES_ENV);
	free(iso);
	assert_int_equal(rc, -1);
	/* Quuz, and Kosovo, which every table gets */
	assert_int_equal(f->s.countries.n, 2);
	assert_string_equal(f->s.countries.v[0].name, "Quuz");
	assert_string_equal(country_by_alpha2(&f->s.countries, "xk")->name, "Kosovo");
	assert_string_equal(country_by_alpha3(&f->s.countries, "XKX")->alpha2, "XK");
	assert_string_equal(site_institution(&f->s, "x")->country, "QZ");
	assert_diag(&f->d, DIAG_ERROR, "content/institutions/y.md", 3, 10,
		    "unknown country code 'UG'");
}

static void test_country_table_missing(void **state)
{
	fixture *f = *state;
	char *iso = fs_join(f->dir, "no-such.json");
	setenv(PM_ISO_CODES_ENV, iso, 1);
	put_record(f, "x", NULL, NULL, NULL);
	int rc = load(f);
	unsetenv(PM_ISO_CODES_ENV);
	free(iso);
	assert_int_equal(rc, -1);
	assert_int_equal(f->d.fatals, 1);
	assert_has_diag(&f->d, DIAG_FATAL, "cannot read the iso-codes");
	/* records are still read, without country errors of their own */
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(f->s.inst[0].country, "UG");
}

/* ---- the fixture folders ----------------------------------------------- */

static void copy_tree(const char *from, const char *to)
{
	char **names;
	size_t n;
	assert_int_equal(fs_mkdirs(to), 0);
	assert_int_equal(fs_list(from, &names, &n), 0);
	for (size_t i = 0; i < n; i++) {
		char *src = fs_join(from, names[i]);
		char *dst = fs_join(to, names[i]);
		if (fs_is_dir(src))
			copy_tree(src, dst);
		else
			assert_int_equal(fs_copy(src, dst), 0);
		free(src);
		free(dst);
	}
	fs_free_list(names);
}

static void test_site_min(void **state)
{
	fixture *f = *state;
	assert_int_equal(site_load(&f->s, FIXTURES "/site-min", &f->d), 0);
	assert_int_equal(site_check(&f->s, &f->d), 0);
	assert_no_diags(&f->d);
	assert_string_equal(f->s.cfg.base_url, "https://partners.example.org/map/");
	assert_string_equal(f->s.cfg.map.basemap, "geodata/naturalearth_lowres.shp");
	assert_int_equal(f->s.ninst, 4);
	assert_int_equal(f->s.nnet, 2);
	assert_int_equal(f->s.npages, 1);
	const institution *mengo = site_institution(&f->s, "mengo-hospital");
	assert_non_null(mengo);
	assert_string_equal(mengo->country, "UG");
	assert_string_equal(mengo->city, site_institution(&f->s, "makerere")->city);
	const institution *y = site_institution(&f->s, "yaounde");
	assert_contains(y->name, "Université de Yaoundé I");
	assert_string_equal(y->city, "Yaoundé");
}

/* Every line of bad/EXPECT: the file dropped into a copy of site-min
 * gives exactly that one error, at that place. */
static void test_bad_fixtures(void **state)
{
	fixture *f = *state;
	buf_t expect = BUF_INIT;
	assert_int_equal(fs_read(FIXTURES "/bad/EXPECT", &expect), 0);
	int cases = 0;
	char *save = NULL;
	for (char *line = strtok_r(expect.ptr, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char file[64], needle[256];
		int want_line, want_col;
		if (sscanf(line, "%63[^\t]\t%d:%d\t%255[^\n]", file, &want_line,
			   &want_col, needle) != 4)
			fail_msg("bad EXPECT line: %s", line);
		char *site_dir = xasprintf("%s/case-%d", f->dir, cases);
		copy_tree(FIXTURES "/site-min", site_dir);
		char *src = xasprintf(FIXTURES "/bad/%s", file);
		char *dst = xasprintf("%s/content/institutions/%s", site_dir, file);
		assert_int_equal(fs_copy(src, dst), 0);
		site s;
		diags_t d = DIAGS_INIT;
		site_init(&s);
		int rc = site_load(&s, site_dir, &d);
		if (rc == 0)
			site_check(&s, &d);
		char *path = xasprintf("content/institutions/%s", file);
		const diag_t *hit = find_diag(&d, DIAG_ERROR, path, want_line,
					      want_col, needle);
		/* one error; a warning may come with it (alias-bomb.md's
		 * field a, whose value has no alias, is an unknown key) */
		if (!hit || d.errors + d.fatals != 1 || rc != -1) {
			diags_print(&d, stderr);
			fail_msg("%s: expected only %d:%d '%s'", file, want_line,
				 want_col, needle);
		}
		assert_int_equal(s.ninst, 4); /* the bad record is left out */
		site_free(&s);
		diags_free(&d);
		free(path);
		free(src);
		free(dst);
		free(site_dir);
		cases++;
	}
	buf_free(&expect);
	assert_ge(cases, 10);
}

static void test_inject_fixture_loads(void **state)
{
	fixture *f = *state;
	char *site_dir = xasprintf("%s/inject", f->dir);
	copy_tree(FIXTURES "/site-min", site_dir);
	char *dst = xasprintf("%s/content/institutions/inject.md", site_dir);
	int copied = fs_copy(FIXTURES "/inject.md", dst);
	int loaded = site_load(&f->s, site_dir, &f->d);
	free(dst);
	free(site_dir);
	assert_int_equal(copied, 0);
	assert_int_equal(loaded, 0);
	assert_int_equal(site_check(&f->s, &f->d), 0);
	/* nothing but the raw HTML the page leaves out, each at its place */
	static const int at[][2] = {{13, 23}, {14, 3}, {19, 1}, {21, 1}, {25, 1}};
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.n, sizeof at / sizeof *at);
	for (size_t k = 0; k < f->d.n; k++) {
		assert_int_equal(f->d.v[k].check, CHECK_RAW_HTML);
		assert_int_equal(f->d.v[k].line, at[k][0]);
		assert_int_equal(f->d.v[k].col, at[k][1]);
	}
	const institution *in = site_institution(&f->s, "inject");
	assert_non_null(in);
	/* the text is kept as written (templates escape it) ... */
	assert_contains(in->name, "<script>alert(1)</script>");
	assert_contains(in->city, "<script>");
	/* a URL is kept in RFC 3986 form: what a URI cannot hold is
	 * percent-encoded, the same in an attribute, a CSV cell and a feed */
	assert_contains(in->website, "%22%3E%3Cscript%3E");
	assert_null(strpbrk(in->website, "\"<> "));
	/* ... but the rendered body carries no live markup */
	assert_not_contains(in->body_html, "<script");
	assert_not_contains(in->body_html, "<img");
	assert_not_contains(in->body_html, "<div");
	assert_not_contains(in->body_html, "<iframe");
	/* link text may read "javascript:...", but no link goes there */
	assert_not_contains(in->body_html, "href=\"javascript");
	assert_not_contains(in->body_html, "href=\"JaVaScRiPt");
	/* and the link to nowhere safe mode leaves is its text alone */
	assert_contains(in->body_html, "A javascript: link and");
	assert_not_contains(in->body_html, "href=\"\"");
}

/* Records come out sorted by slug, each with its own fields. The folder
 * is read in file name order, which is not slug order ("a-b.md" comes
 * before "a.md"): here the sort moves records along a cycle of four and
 * a swap, and a record's city must follow its slug. */
static void test_institutions_sorted_by_slug(void **state)
{
	fixture *f = *state;
	static const char *const slugs[] = {
		"a", "a-b", "a-b-c", "a-bc", "a-c", "ab", "b", "b-a", "b-a-a",
		"ba"}; /* in slug order */
	enum { N = sizeof slugs / sizeof slugs[0] };
	for (int k = 0; k < N; k++) {
		char city[32];
		snprintf(city, sizeof city, "city: City of %s", slugs[k]);
		put_record(f, slugs[k], "city", city, NULL);
	}
	assert_int_equal(load(f), 0);
	assert_no_diags(&f->d);
	assert_int_equal(f->s.ninst, N);
	for (int k = 0; k < N; k++) {
		char city[32];
		snprintf(city, sizeof city, "City of %s", slugs[k]);
		assert_string_equal(f->s.inst[k].slug, slugs[k]);
		assert_string_equal(f->s.inst[k].city, city);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, site_fixture_teardown)
		T(test_complete_record),
		T(test_optional_fields_absent),
		T(test_json_record),
		T(test_json_record_error_position),
		T(messages_in_json_speak_of_json),
		T(test_missing_required_field),
		T(test_empty_required_field),
		T(test_wrong_types),
		T(test_control_characters),
		T(test_latitude_out_of_range),
		T(test_location_shapes),
		T(test_swapped_hint),
		T(test_unknown_network_hint),
		T(test_networks_required_and_deduplicated),
		T(test_networks_repeated_are_told_ten_times),
		T(test_unknown_country),
		T(test_norway_is_a_country),
		T(test_website_must_be_http),
		T(test_bad_email),
		T(test_bad_date),
		T(unsafe_output_email_is_a_plain_address),
		T(unsafe_output_websites_are_plain_and_encoded),
		T(unsafe_output_bidi_controls_in_text_are_errors),
		T(unsafe_output_markdown_bodies),
		T(messages_that_mislead_a_broken_network),
		T(an_empty_word_says_the_words),
		T(a_long_value_is_quoted_in_part),
		T(messages_that_mislead_a_broken_site_yml),
		T(test_unknown_key_hint),
		T(test_draft_skipped),
		T(test_single_scalar_lists),
		T(test_word_lists),
		T(test_sorted_order),
		T(test_markdown_is_safe),
		T(test_file_names),
		T(test_folders),
		T(test_missing_site_yml),
		T(test_networks),
		T(test_network_required_fields),
		T(test_pages),
		T(test_check_location_from_points),
		T(test_check_duplicate_names),
		T(test_check_networks_and_pages),
		T(test_check_after_a_refused_record),
		T(test_country_table),
		T(test_country_table_override),
		T(test_country_table_missing),
		T(test_site_min),
		T(test_bad_fixtures),
		T(test_inject_fixture_loads),
		T(test_institutions_sorted_by_slug),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
