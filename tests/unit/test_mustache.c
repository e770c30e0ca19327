/* test_mustache.c - the Mustache engine: every case of the official spec's
 * modules we support, then our own cases (diagnostics, escaping, recursion
 * limits, repeatability, rendering from several threads).
 *
 * The spec folder is $PM_MUSTACHE_SPEC, else tests/mustache-spec (the
 * spec's JSON files, kept in the repository) from the current directory:
 * the repository root when run by make. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "render/mustache.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

/* ---- helpers ---------------------------------------------------------- */

/* The name under which a spec case's main template is added: no spec
 * partial can be called this (names have no blanks). */
#define MAIN_NAME "spec template"

static int add(mst_set *s, const char *name, const char *src, diags_t *d)
{
	return mst_set_add(s, name, name, src, strlen(src), d);
}

/* Render name with the view given as JSON text (or NULL); returns the
 * output as a fresh string and mst_render's result in *rc. */
static char *render_json(const mst_set *s, const char *name,
			 const char *view_json, int *rc)
{
	cJSON *view = view_json ? cJSON_Parse(view_json) : NULL;
	buf_t out = BUF_INIT;
	*rc = mst_render(s, name, view, &out);
	cJSON_Delete(view);
	return buf_detach(&out);
}

/* Append s to b with control characters made visible, for failure
 * messages. */
static void put_visible(buf_t *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '\r')
			buf_puts(b, "\\r");
		else if (*s == '\t')
			buf_puts(b, "\\t");
		else
			buf_putc(b, *s);
	}
}

/* ---- the spec runner -------------------------------------------------- */

static const char *const spec_modules[] = {
	"comments.json", "delimiters.json", "interpolation.json",
	"inverted.json", "partials.json",   "sections.json",
	"~inheritance.json",
};
#define N_MODULES (sizeof spec_modules / sizeof spec_modules[0])

typedef struct spec_case {
	char *title;          /* "module: case name" */
	const cJSON *test;    /* the case, inside its module's parsed file */
	char *load_error;     /* set instead when the module could not load */
} spec_case;

static const char *field(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void run_spec_case(void **state)
{
	const spec_case *c = *state;
	if (c->load_error)
		fail_msg("%s", c->load_error);
	const char *tmpl = field(c->test, "template");
	const char *expected = field(c->test, "expected");
	assert_non_null(tmpl);
	assert_non_null(expected);
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(c->test, "data");
	const cJSON *partials =
		cJSON_GetObjectItemCaseSensitive(c->test, "partials");

	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	int add_failures = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, partials)
		if (!cJSON_IsString(p) || add(s, p->string, p->valuestring, &d))
			add_failures++;
	if (add(s, MAIN_NAME, tmpl, &d))
		add_failures++;
	buf_t out = BUF_INIT;
	int rc = mst_render(s, MAIN_NAME, data, &out);
	char *got = buf_detach(&out);
	mst_set_free(s);

	if (d.n)
		diags_print(&d, stderr);
	diags_free(&d);
	/* Fail only once got is freed: the message is built first. */
	char *differs = NULL;
	if (strcmp(got, expected)) {
		buf_t m = BUF_INIT;
		buf_puts(&m, "the output differs\n  template: \"");
		put_visible(&m, tmpl);
		buf_puts(&m, "\"\n  expected: \"");
		put_visible(&m, expected);
		buf_puts(&m, "\"\n  got:      \"");
		put_visible(&m, got);
		buf_puts(&m, "\"");
		differs = buf_detach(&m);
	}
	free(got);
	assert_int_equal(add_failures, 0);
	assert_int_equal(rc, 0);
	if (differs) {
		print_error("%s\n", differs);
		free(differs);
		fail();
	}
}

/* The spec folder: $PM_MUSTACHE_SPEC, or the copy in the repository. */
static const char *spec_dir(void)
{
	const char *env = getenv("PM_MUSTACHE_SPEC");
	return env && *env ? env : "tests/mustache-spec";
}

/* Parse every module; each case becomes one spec_case. A module that
 * cannot be read or parsed becomes one case that fails, saying why. */
static spec_case *load_spec(cJSON **docs, size_t *ncases)
{
	spec_case *cases = NULL;
	size_t n = 0, cap = 0;
	for (size_t m = 0; m < N_MODULES; m++) {
		char *path = fs_join(spec_dir(), spec_modules[m]);
		buf_t text = BUF_INIT;
		docs[m] = NULL;
		if (fs_read(path, &text) == 0)
			docs[m] = cJSON_Parse(buf_cstr(&text));
		const cJSON *tests =
			cJSON_GetObjectItemCaseSensitive(docs[m], "tests");
		size_t need = n + (cJSON_IsArray(tests) ?
				   (size_t)cJSON_GetArraySize(tests) : 1);
		if (need > cap) {
			cap = need * 2;
			cases = xrealloc(cases, cap * sizeof *cases);
		}
		if (!cJSON_IsArray(tests) || !tests->child) {
			cases[n].title = xasprintf("%s: load", spec_modules[m]);
			cases[n].test = NULL;
			cases[n].load_error = xasprintf(
				"cannot read spec cases from %s: run the tests "
				"from the repository root, or set "
				"PM_MUSTACHE_SPEC to the spec folder", path);
			n++;
		}
		const cJSON *t;
		cJSON_ArrayForEach(t, tests) {
			const char *name = field(t, "name");
			cases[n].title = xasprintf("%s: %s", spec_modules[m],
						   name ? name : "?");
			cases[n].test = t;
			cases[n].load_error = NULL;
			n++;
		}
		buf_free(&text);
		free(path);
	}
	*ncases = n;
	return cases;
}

static int run_spec(void)
{
	cJSON *docs[N_MODULES];
	size_t n;
	spec_case *cases = load_spec(docs, &n);
	struct CMUnitTest tests[n];
	for (size_t i = 0; i < n; i++) {
		memset(&tests[i], 0, sizeof tests[i]);
		tests[i].name = cases[i].title;
		tests[i].test_func = run_spec_case;
		tests[i].initial_state = &cases[i];
	}
	int failed = cmocka_run_group_tests_name("mustache spec", tests, NULL,
						 NULL);
	for (size_t i = 0; i < n; i++) {
		free(cases[i].title);
		free(cases[i].load_error);
	}
	free(cases);
	for (size_t m = 0; m < N_MODULES; m++)
		cJSON_Delete(docs[m]);
	return failed;
}

/* ---- our own cases ---------------------------------------------------- */

/* Add src as name to a fresh set; return the single diagnostic. A
 * source whose tags were read but do not pair leaves an empty stand-in
 * (checked in stand_in_names_its_partials); any other error, nothing. */
static void expect_error(const char *src, int line, int col,
			 const char *needle)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	int rc = mst_set_add(s, "page", "themes/x/templates/page.mustache",
			     src, strlen(src), &d);
	int has = mst_set_has(s, "page");
	mst_set_free(s);
	if (d.n)
		diags_print(&d, stderr);
	assert_int_equal(rc, -1);
	int pairing = strstr(needle, "unclosed section") ||
		      strstr(needle, "unclosed parent") ||
		      strstr(needle, "close tag") || strstr(needle, "opened at");
	assert_int_equal(has, pairing);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[0].path, "themes/x/templates/page.mustache");
	assert_int_equal(d.v[0].line, line);
	assert_int_equal(d.v[0].col, col);
	assert_contains(d.v[0].msg, needle);
	diags_free(&d);
}

static void error_unclosed_section(void **state)
{
	expect_error("<ul>\n  {{#items}}\n  <li>{{name}}</li>\n</ul>\n", 2, 3,
		     "unclosed section {{#items}}");
	expect_error("{{#a}}{{^b}}{{/b}}", 1, 1, "unclosed section {{#a}}");
	expect_error("x\n{{<base}}{{$main}}{{/main}}", 2, 1,
		     "unclosed parent {{<base}}");
}

static void error_mismatched_close(void **state)
{
	expect_error("{{#a}}\n  x {{/b}}\n", 2, 5,
		     "mismatched close tag {{/b}}");
	expect_error("{{#a}}\n  x {{/b}}\n", 2, 5, "opened at 1:1");
	expect_error("a\nb {{/c}}", 2, 3, "close tag {{/c}} has no open tag");
}

static void error_unclosed_tag(void **state)
{
	expect_error("<p>\n  Hello {{name</p>\n", 2, 9, "unclosed tag");
	expect_error("{{{raw}}", 1, 1, "unclosed tag: no '}}}'");
	expect_error("{{=<% %>=}}\n<%name", 2, 1, "no '%>'");
}

static void error_bad_tags(void **state)
{
	expect_error("a {{=<% =}}", 1, 3, "bad delimiters");
	expect_error("{{= a b c =}}", 1, 1, "bad delimiters");
	expect_error("{{}}", 1, 1, "empty tag");
	expect_error("{{a b}}", 1, 1, "bad name 'a b'");
	expect_error("{{#a..b}}{{/a..b}}", 1, 1, "bad name");
	/* columns count characters, not bytes */
	expect_error("\xc3\xa9t\xc3\xa9 {{#x}}", 1, 5, "unclosed section");
}

/* An unclosed section hid a missing partial of the same template until
 * it was fixed: the stand-in names the partials and parents its tags
 * name, for mst_set_check, and renders nothing. */
static void stand_in_names_its_partials(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "page", "{{>head}}\n{{#open}}{{<nosuch}}{{/nosuch}}"
			     "\n{{>nobody}}", &d), -1);
	assert_int_equal(d.errors, 1);
	assert_contains(d.v[0].msg, "unclosed section {{#open}}");
	assert_int_equal(add(s, "head", "<head>", &d), 0);
	assert_int_equal(add(s, "site", "{{>page}}.", &d), 0);
	diags_free(&d);
	/* the two missing, in file order; head is there; page itself is no
	 * missing template for site */
	assert_int_equal(mst_set_check(s, &d), 2);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 10);
	assert_contains(d.v[0].msg, "parent {{<nosuch}} names no template");
	assert_int_equal(d.v[1].line, 3);
	assert_contains(d.v[1].msg, "partial {{>nobody}} names no template");
	diags_free(&d);
	int rc;
	char *got = render_json(s, "site", NULL, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, ".");
	free(got);
	mst_set_free(s);
}

static void failed_add_keeps_set_usable(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "a", "first {{x}}", &d), 0);
	assert_int_equal(add(s, "a", "broken {{x", &d), -1);
	assert_int_equal(add(s, "b", "{{>a}}!", &d), 0);
	int rc;
	char *got = render_json(s, "b", "{\"x\": 1}", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "first 1!");
	free(got);
	/* a successful add of an existing name replaces it */
	assert_int_equal(add(s, "a", "second", &d), 0);
	got = render_json(s, "b", NULL, &rc);
	assert_string_equal(got, "second!");
	free(got);
	assert_int_equal(d.errors, 1);
	diags_free(&d);
	mst_set_free(s);
}

static void check_reports_missing(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "head", "<title>{{title}}</title>", &d), 0);
	const char *page = "{{>head}}\n"
			   "<main>\n"
			   "  {{>sidebar}}\n"
			   "{{#x}}{{<layout}}{{/layout}}{{/x}}\n";
	assert_int_equal(mst_set_add(s, "page", "themes/t/page.mustache",
				     page, strlen(page), &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(mst_set_check(s, &d), 2);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].path, "themes/t/page.mustache");
	assert_int_equal(d.v[0].line, 3);
	assert_int_equal(d.v[0].col, 3);
	assert_contains(d.v[0].msg, "sidebar");
	assert_int_equal(d.v[1].line, 4);
	assert_int_equal(d.v[1].col, 7);
	assert_contains(d.v[1].msg, "layout");
	diags_free(&d);

	/* once the templates exist, nothing is reported */
	assert_int_equal(add(s, "sidebar", "side", &d), 0);
	assert_int_equal(add(s, "layout", "L", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 0);
	assert_int_equal(d.n, 0);
	mst_set_free(s);
}

/* A template that includes itself outside any section renders itself
 * whatever the view: check says so at the inclusion that closes the
 * cycle, with the cycle spelled out; one inside a section, or a block's
 * default, depends on the data and is left to the render's limits. */
static void check_reports_unconditional_cycles(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	const char *footer = "<footer>\n{{>footer}}\n</footer>\n";
	assert_int_equal(mst_set_add(s, "footer", "themes/t/footer.mustache",
				     footer, strlen(footer), &d), 0);
	assert_int_equal(mst_set_check(s, &d), 1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].path, "themes/t/footer.mustache");
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 1);
	assert_string_equal(d.v[0].msg,
			    "{{>footer}} includes 'footer' again whatever the "
			    "data (footer -> footer), so the page would never "
			    "end: put the inclusion inside a section over data "
			    "that ends, or remove it");
	diags_free(&d);

	/* through a parent and two partials, each named once */
	mst_set_free(s);
	s = mst_set_new();
	assert_int_equal(add(s, "a", "x{{>b}}", &d), 0);
	assert_int_equal(add(s, "b", "{{<c}}{{$x}}{{/x}}{{/c}}", &d), 0);
	assert_int_equal(add(s, "c", "y {{>a}}", &d), 0);
	assert_int_equal(add(s, "d", "{{>a}}", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].col, 3);
	assert_contains(d.v[0].msg, "{{>a}} includes 'a' again whatever the "
				    "data (a -> b -> c -> a)");
	diags_free(&d);

	/* through a block's default, which a partial always renders; and
	 * through a parent's argument for a block the parent has */
	mst_set_free(s);
	s = mst_set_new();
	assert_int_equal(add(s, "base", "{{$body}}{{>base}}{{/body}}", &d), 0);
	assert_int_equal(add(s, "layout", "<{{$main}}{{/main}}>", &d), 0);
	assert_int_equal(add(s, "page", "{{<layout}}{{$main}}{{>page}}{{/main}}{{/layout}}", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 2);
	assert_int_equal(d.n, 2);
	assert_contains(d.v[0].msg, "{{>base}} includes 'base' again whatever the "
				    "data (base -> base)");
	assert_int_equal(d.v[0].col, 10);
	/* page reached again inside layout's expansion resolves main as
	 * the first time did not; layout reached again resolves it alike */
	assert_contains(d.v[1].msg, "{{<layout}} includes 'layout' again "
				    "whatever the data (layout -> page -> layout)");
	assert_int_equal(d.v[1].col, 1);
	diags_free(&d);

	/* a parent whose default would include its caller, but the caller
	 * overrides that block: it renders, so nothing is said; without
	 * the override it is a cycle */
	mst_set_free(s);
	s = mst_set_new();
	assert_int_equal(add(s, "wrapper", "<div>{{$b}}{{>footer}}{{/b}}</div>", &d), 0);
	assert_int_equal(add(s, "footer", "{{<wrapper}}{{$b}}safe{{/b}}{{/wrapper}}", &d), 0);
	assert_int_equal(add(s, "page", "{{>wrapper}}", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 0);
	assert_int_equal(d.n, 0);
	buf_t page = BUF_INIT;
	assert_int_equal(mst_render(s, "page", NULL, &page), 0);
	assert_string_equal(buf_cstr(&page), "<div><div>safe</div></div>");
	buf_free(&page);
	assert_int_equal(add(s, "footer", "{{<wrapper}}{{/wrapper}}", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 1);
	assert_contains(d.v[0].msg, "(wrapper -> footer -> wrapper)");
	diags_free(&d);

	/* the outermost caller's argument wins through a chain of parents,
	 * as the render has it: neither a grandparent's default nor a
	 * middle parent's own argument that the caller overrides renders */
	mst_set_free(s);
	s = mst_set_new();
	assert_int_equal(add(s, "callA", "{{<outerA}}{{$b}}X{{/b}}{{/outerA}}", &d), 0);
	assert_int_equal(add(s, "outerA", "{{<innerA}}{{/innerA}}", &d), 0);
	assert_int_equal(add(s, "innerA", "[{{$b}}{{>callA}}{{/b}}]", &d), 0);
	assert_int_equal(add(s, "callB", "{{<outerB}}{{$b}}Y{{/b}}{{/outerB}}", &d), 0);
	assert_int_equal(add(s, "outerB", "{{<innerB}}{{$b}}{{>callB}}{{/b}}{{/innerB}}", &d), 0);
	assert_int_equal(add(s, "innerB", "[{{$b}}default{{/b}}]", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 0);
	assert_int_equal(d.n, 0);
	for (int k = 0; k < 2; k++) {
		buf_t o = BUF_INIT;
		assert_int_equal(mst_render(s, k ? "callB" : "callA", NULL, &o), 0);
		assert_string_equal(buf_cstr(&o), k ? "[Y]" : "[X]");
		buf_free(&o);
	}

	/* a cycle through an argument that lies inside another parent's
	 * argument: the caller's override reaches the block two parents
	 * down, where it includes the caller again */
	mst_set_free(s);
	s = mst_set_new();
	assert_int_equal(add(s, "w1", "{{<w2}}{{$c}}{{$b}}{{/b}}{{/c}}{{/w2}}", &d), 0);
	assert_int_equal(add(s, "w2", "{{$c}}{{/c}}", &d), 0);
	assert_int_equal(add(s, "footer", "{{<w1}}{{$b}}{{>footer}}{{/b}}{{/w1}}", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 1);
	assert_contains(d.v[0].msg, "includes 'w2' again whatever the data "
				    "(w2 -> footer -> w1 -> w2)");
	diags_free(&d);

	/* a long scan of arguments counts against the budget too: 2^22
	 * walks of a parent with 300 arguments over 300 nested blocks */
	mst_set_free(s);
	s = mst_set_new();
	for (int k = 0; k < 22; k++) {
		char name[16], src[80];
		snprintf(name, sizeof name, "zz%02d", k);
		snprintf(src, sizeof src, "{{<zz%02d}}{{/zz%02d}}{{<zz%02d}}{{/zz%02d}}",
			 k + 1, k + 1, k + 1, k + 1);
		assert_int_equal(add(s, name, src, &d), 0);
	}
	buf_t big = BUF_INIT, nest = BUF_INIT;
	buf_puts(&big, "{{<zp}}{{$a}}{{/a}}");
	buf_puts(&nest, "{{$a}}");
	for (int k = 0; k < 300; k++) {
		buf_printf(&big, "{{$q%d}}{{/q%d}}", k, k);
		buf_printf(&nest, "{{$n%d}}", k);
	}
	for (int k = 299; k >= 0; k--)
		buf_printf(&nest, "{{/n%d}}", k);
	buf_puts(&big, "{{/zp}}");
	buf_puts(&nest, "{{/a}}");
	assert_int_equal(add(s, "zz22", buf_cstr(&big), &d), 0);
	assert_int_equal(add(s, "zp", buf_cstr(&nest), &d), 0);
	buf_free(&big);
	buf_free(&nest);
	assert_int_equal(mst_set_check(s, &d), 0);
	assert_int_equal(d.n, 0);

	/* parents walked again for each caller: a theme whose every level
	 * names the next twice would take 2^40 steps; the walk's budget
	 * ends it, having found nothing */
	mst_set_free(s);
	s = mst_set_new();
	for (int k = 0; k < 40; k++) {
		char name[16], src[80];
		snprintf(name, sizeof name, "p%02d", k);
		snprintf(src, sizeof src, "{{<p%02d}}{{/p%02d}}{{<p%02d}}{{/p%02d}}",
			 k + 1, k + 1, k + 1, k + 1);
		assert_int_equal(add(s, name, src, &d), 0);
	}
	assert_int_equal(add(s, "p40", "end", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 0);
	assert_int_equal(d.n, 0);

	/* a recursion over data that ends, an inverted section, an argument
	 * for a block the parent lacks or holds in a section: nothing to
	 * say, and such a tree renders */
	mst_set_free(s);
	s = mst_set_new();
	assert_int_equal(add(s, "tree", "{{name}}{{#kids}}({{>tree}}){{/kids}}", &d), 0);
	assert_int_equal(add(s, "none", "{{^x}}{{>none}}{{/x}}", &d), 0);
	assert_int_equal(add(s, "layout", "<{{#x}}{{$main}}{{/main}}{{/x}}>", &d), 0);
	assert_int_equal(add(s, "page", "{{<layout}}{{$main}}{{>page}}{{/main}}"
					"{{$side}}{{>page}}{{/side}}{{/layout}}", &d), 0);
	assert_int_equal(mst_set_check(s, &d), 0);
	assert_int_equal(d.n, 0);
	cJSON *v = cJSON_Parse("{\"name\":\"r\",\"kids\":"
				"[{\"name\":\"k\",\"kids\":[]}]}");
	buf_t out = BUF_INIT;
	assert_int_equal(mst_render(s, "tree", v, &out), 0);
	assert_string_equal(buf_cstr(&out), "r(k)");
	buf_free(&out);
	cJSON_Delete(v);
	mst_set_free(s);
}

static void escapes_all_five(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "t", "{{x}}|{{{x}}}|{{&x}}|{{#l}}{{.}}{{/l}}",
			     &d), 0);
	int rc;
	char *got = render_json(
		s, "t", "{\"x\": \"a&b<c>d\\\"e'f\", \"l\": [\"<\", \"'\"]}",
		&rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "a&amp;b&lt;c&gt;d&quot;e&#39;f|"
				 "a&b<c>d\"e'f|a&b<c>d\"e'f|&lt;&#39;");
	free(got);
	mst_set_free(s);
	diags_free(&d);
}

static void values_and_truthiness(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "n", "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} "
				     "{{g}} {{h}} [{{i}}{{j}}{{k}}]", &d), 0);
	assert_int_equal(add(s, "t", "{{#zero}}Z{{/zero}}{{^zero}}z{{/zero}}"
				     "{{#empty}}E{{/empty}}"
				     "{{^empty}}e{{/empty}}"
				     "{{#obj}}O{{/obj}}{{#str}}[{{.}}]{{/str}}"
				     "{{#num}}[{{.}}]{{/num}}", &d), 0);
	int rc;
	char *got = render_json(
		s, "n",
		"{\"a\": 1.210, \"b\": 85, \"c\": -3, \"d\": 1e20, "
		"\"e\": 0.1, \"f\": true, \"g\": false, \"h\": -0.0, "
		"\"i\": null, \"j\": [1], \"k\": {}}", &rc);
	assert_string_equal(got, "1.21 85 -3 1e+20 0.1 true false 0 []");
	free(got);
	got = render_json(s, "t",
			  "{\"zero\": 0, \"empty\": \"\", \"obj\": {}, "
			  "\"str\": \"s\", \"num\": 2.5}", &rc);
	assert_string_equal(got, "zeO[s][2.5]");
	free(got);
	/* whole numbers are written digit by digit, the rest as "%.*g" in
	 * the fewest digits: both sides of 10^15, where one hands over to
	 * the other */
	assert_int_equal(add(s, "l", "{{#l}}{{.}} {{/l}}", &d), 0);
	got = render_json(s, "l", "{\"l\": [999999999999999, "
			  "-999999999999999, 1e15, -1e15, 4294967296, -1, 10, "
			  "7.0, 1e300, -0.5]}", &rc);
	assert_string_equal(got, "999999999999999 -999999999999999 1e+15 "
				 "-1e+15 4294967296 -1 10 7 1e+300 -0.5 ");
	free(got);
	mst_set_free(s);
	diags_free(&d);
}

/* Partials are found by a hash of their name, rebuilt as the set grows:
 * each of 300 texts (as a translation file gives) is found after every
 * add, one replaced is found anew, and a name never added renders as
 * nothing. */
static void many_partials_found_by_name(void **state)
{
	(void)state;
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	buf_t main_src = BUF_INIT, want = BUF_INIT;
	for (int i = 0; i < 300; i++) {
		char name[32], text[32];
		snprintf(name, sizeof name, "i18n.text_%03d", 299 - i);
		snprintf(text, sizeof text, "<%d>", 299 - i);
		assert_int_equal(add(s, name, text, &d), 0);
		buf_printf(&main_src, "{{>%s}}", name);
		buf_puts(&want, text);
		assert_int_equal(add(s, "main", buf_cstr(&main_src), &d), 0);
		int rc;
		char *got = render_json(s, "main", NULL, &rc);
		assert_int_equal(rc, 0);
		assert_string_equal(got, buf_cstr(&want));
		free(got);
	}
	assert_int_equal(add(s, "i18n.text_150", "[new]", &d), 0);
	assert_int_equal(add(s, "edge", "({{>i18n.text_150}}{{>i18n.text_3}}"
				    "{{>i18n.text_000}})", &d), 0);
	int rc;
	char *got = render_json(s, "edge", NULL, &rc);
	assert_string_equal(got, "([new]<0>)");
	free(got);
	buf_free(&main_src);
	buf_free(&want);
	mst_set_free(s);
	diags_free(&d);
}

static void unknown_template(void **state)
{
	mst_set *s = mst_set_new();
	buf_t out = BUF_INIT;
	buf_puts(&out, "kept");
	assert_int_equal(mst_render(s, "nope", NULL, &out), -1);
	assert_string_equal(buf_cstr(&out), "kept");
	assert_int_equal(mst_set_has(s, "nope"), 0);
	buf_free(&out);
	mst_set_free(s);
}

static int count_char(const char *s, char c)
{
	int n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void recursion_is_bounded(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "self", "x{{>self}}", &d), 0);
	assert_int_equal(add(s, "ping", "p{{>pong}}", &d), 0);
	assert_int_equal(add(s, "pong", "q{{>ping}}", &d), 0);
	assert_int_equal(add(s, "base", "b{{<base}}{{/base}}", &d), 0);
	assert_int_equal(add(s, "slot", "{{$a}}{{/a}}", &d), 0);
	/* an argument holding a block of its own name finds itself */
	assert_int_equal(add(s, "loop", "{{<slot}}{{$a}}y{{$a}}{{/a}}{{/a}}"
					 "{{/slot}}", &d), 0);
	assert_int_equal(d.n, 0);

	int rc;
	char *got = render_json(s, "self", NULL, &rc);
	assert_int_equal(rc, 1);
	assert_int_equal(strlen(got), MST_MAX_DEPTH + 1);
	assert_int_equal(count_char(got, 'x'), MST_MAX_DEPTH + 1);
	free(got);

	got = render_json(s, "ping", NULL, &rc);
	assert_int_equal(rc, 1);
	assert_int_equal(strlen(got), MST_MAX_DEPTH + 1);
	assert_int_equal(count_char(got, 'p'), MST_MAX_DEPTH / 2 + 1);
	free(got);

	got = render_json(s, "base", NULL, &rc);
	assert_int_equal(rc, 1);
	assert_int_equal(count_char(got, 'b'), MST_MAX_DEPTH + 1);
	free(got);

	got = render_json(s, "loop", NULL, &rc);
	assert_int_equal(rc, 1);
	assert_gt(count_char(got, 'y'), 0);
	assert_le(count_char(got, 'y'), MST_MAX_DEPTH);
	free(got);

	/* two self-inclusions per level would take 2^100 steps: rendering
	 * stops at the first limit it meets (here the depth, on the way down
	 * the first branch), whatever they print */
	assert_int_equal(add(s, "twice", "{{>twice}}{{>twice}}", &d), 0);
	got = render_json(s, "twice", NULL, &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(add(s, "grow", "abcd{{>grow}}{{>grow}}", &d), 0);
	got = render_json(s, "grow", NULL, &rc);
	assert_int_equal(rc, 1);
	assert_int_equal(strlen(got), 4 * (MST_MAX_DEPTH + 1));
	free(got);

	/* deep but finite data recursion is fine */
	assert_int_equal(add(s, "node", "({{#kids}}{{>node}}{{/kids}})", &d),
			 0);
	buf_t view = BUF_INIT;
	for (int i = 0; i < 30; i++)
		buf_puts(&view, "{\"kids\": [");
	/* the innermost list must be empty: a missing "kids" would be
	 * looked up further down the context stack, and found */
	buf_puts(&view, "{\"kids\": []}");
	for (int i = 0; i < 30; i++)
		buf_puts(&view, "]}");
	got = render_json(s, "node", buf_cstr(&view), &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_char(got, '('), 31);
	free(got);
	buf_free(&view);
	mst_set_free(s);
	diags_free(&d);
}

/* A theme-like set: a base layout with blocks, a header partial that
 * sees the page's override, indentation through a standalone partial. */
static mst_set *layout_set(void)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	add(s, "base", "<html>\n"
		       "<head>\n"
		       "  {{>head}}\n"
		       "</head>\n"
		       "<body>\n"
		       "  {{$main}}\n"
		       "  <p>nothing here</p>\n"
		       "  {{/main}}\n"
		       "</body>\n"
		       "</html>\n", &d);
	add(s, "head", "<title>{{$title}}{{site}}{{/title}}</title>\n"
		       "<meta charset=\"utf-8\">\n", &d);
	add(s, "item", "<li>\n"
		       "  <a href=\"{{slug}}/\">{{name}}</a>\n"
		       "</li>\n", &d);
	add(s, "page", "{{<base}}\n"
		       "{{$title}}{{name}} | {{site}}{{/title}}\n"
		       "{{$main}}\n"
		       "<ul>\n"
		       "  {{#items}}\n"
		       "  {{>item}}\n"
		       "  {{/items}}\n"
		       "</ul>\n"
		       "{{/main}}\n"
		       "{{/base}}\n", &d);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	return s;
}

static const char *layout_view =
	"{\"site\": \"Partners\", \"name\": \"All <partners>\", "
	"\"items\": [{\"slug\": \"mak\", \"name\": \"Makerere\"}, "
	"{\"slug\": \"ui\", \"name\": \"Ibadan & Co\"}]}";

static const char *layout_expected =
	"<html>\n"
	"<head>\n"
	"  <title>All &lt;partners&gt; | Partners</title>\n"
	"  <meta charset=\"utf-8\">\n"
	"</head>\n"
	"<body>\n"
	"  <ul>\n"
	"    <li>\n"
	"      <a href=\"mak/\">Makerere</a>\n"
	"    </li>\n"
	"    <li>\n"
	"      <a href=\"ui/\">Ibadan &amp; Co</a>\n"
	"    </li>\n"
	"  </ul>\n"
	"</body>\n"
	"</html>\n";

/* Render name from s (view as JSON text, or NULL) within lim: the render
 * must stop at a limit, with exactly one error at path:line:col whose
 * message holds needle. Returns the output, which the caller frees. */
static char *expect_limit(const mst_set *s, const char *name,
			  const char *view_json, const mst_limits *lim,
			  const char *path, int line, int col,
			  const char *needle)
{
	cJSON *view = view_json ? cJSON_Parse(view_json) : NULL;
	diags_t d = DIAGS_INIT;
	buf_t out = BUF_INIT;
	int rc = mst_render_limited(s, name, view, &out, lim, &d);
	cJSON_Delete(view);
	int ok = rc == 1 && d.n == 1 && d.errors == 1 && d.v[0].path &&
		 !strcmp(d.v[0].path, path) && d.v[0].line == line &&
		 d.v[0].col == col && strstr(d.v[0].msg, needle) &&
		 strstr(d.v[0].msg, "the page was not written");
	if (!ok) {
		diags_print(&d, stderr);
		print_message("render returned %d\n", rc);
	}
	diags_free(&d);
	char *got = buf_detach(&out);
	if (!ok) {
		free(got);
		fail_msg("expected one error at %s:%d:%d with '%s'", path, line,
			 col, needle);
	}
	return got;
}

static void templates_that_explode_stop_at_their_tag(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "self", "x\n  {{>self}}", &d), 0);
	assert_int_equal(add(s, "ping", "p{{>pong}}", &d), 0);
	assert_int_equal(add(s, "pong", "q\n{{>ping}}", &d), 0);
	assert_int_equal(add(s, "slot", "{{$a}}{{/a}}", &d), 0);
	assert_int_equal(add(s, "loop", "{{<slot}}{{$a}}y{{$a}}{{/a}}{{/a}}"
					 "{{/slot}}", &d), 0);
	assert_int_equal(add(s, "twice", "{{>twice}}{{>twice}}", &d), 0);
	assert_int_equal(add(s, "wide", "<ul>{{#list}}<li>{{.}}{{/list}}</ul>",
			     &d), 0);
	assert_int_equal(add(s, "big", "0123456789", &d), 0);
	assert_int_equal(add(s, "many", "{{>big}}{{>big}}{{>big}}{{>big}}", &d),
			 0);
	buf_t deep = BUF_INIT;
	for (int i = 0; i < 12; i++)
		buf_puts(&deep, "{{#a}}");
	buf_puts(&deep, "{{>deep}}");
	for (int i = 0; i < 12; i++)
		buf_puts(&deep, "{{/a}}");
	assert_int_equal(add(s, "deep", buf_cstr(&deep), &d), 0);
	buf_free(&deep);
	assert_int_equal(d.n, 0);

	/* recursion: at the include that goes one level too deep */
	char *got = expect_limit(s, "self", NULL, NULL, "self", 2, 3,
				 "{{>self}} nests partials, parents or blocks "
				 "more than 100 deep: does a template include "
				 "itself without end?");
	assert_int_equal(count_char(got, 'x'), MST_MAX_DEPTH + 1);
	free(got);
	mst_limits five = {.max_depth = 5};
	free(expect_limit(s, "self", NULL, &five, "self", 2, 3,
			  "more than 5 deep"));
	/* through another template: the tag in the template that has it */
	free(expect_limit(s, "ping", NULL, NULL, "ping", 1, 2, "{{>pong}}"));
	/* a block overridden by itself: the argument's own tag */
	free(expect_limit(s, "loop", NULL, NULL, "loop", 1, 17, "{{$a}} nests"));
	/* fan-out stops on the way down its first branch */
	free(expect_limit(s, "twice", NULL, NULL, "twice", 1, 1,
			  "{{>twice}} nests"));

	/* steps: the tag visited when they ran out */
	mst_limits steps = {.max_steps = 100};
	buf_t view = BUF_INIT;
	buf_puts(&view, "{\"list\": [0");
	for (int i = 1; i < 500; i++)
		buf_printf(&view, ", %d", i);
	buf_puts(&view, "]}");
	free(expect_limit(s, "wide", buf_cstr(&view), &steps, "wide", 1, 5,
			  "rendering took more than 100 steps and stopped at "
			  "{{#list}}"));
	buf_free(&view);

	/* output: checked before each node, so one node may pass it */
	mst_limits bytes = {.max_output = 25};
	got = expect_limit(s, "many", NULL, &bytes, "many", 1, 25,
			   "the page grew past 25 bytes (the output limit) at "
			   "{{>big}}");
	assert_string_equal(got, "012345678901234567890123456789");
	free(got);

	/* sections and partials nested past the engine's limit */
	free(expect_limit(s, "deep", "{\"a\": true}", NULL, "deep", 1, 67,
			  "{{#a}} nests sections and partials more than 1000 "
			  "deep"));

	/* within the limits, nothing is reported */
	diags_t none = DIAGS_INIT;
	buf_t out = BUF_INIT;
	assert_int_equal(mst_render_limited(s, "many", NULL, &out, NULL, &none),
			 0);
	assert_int_equal(none.n, 0);
	buf_free(&out);
	mst_set_free(s);
	diags_free(&d);
}

static void unsafe_characters_in_templates_are_errors(void **state)
{
	expect_error("<p>\n  a\x01" "b</p>", 2, 4,
		     "the template contains a control character (U+0001)");
	expect_error("<p>\x1b[2J</p>", 1, 4, "control character (U+001B)");
	expect_error("<p>\xc2\x9b</p>", 1, 4, "control character (U+009B)");
	expect_error("<h1>{{t}}</h1>\n\xc3\xa9\xe2\x80\xae", 2, 2,
		     "U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders the page");
	expect_error("\xe2\x81\xa6x", 1, 1, "U+2066 (LEFT-TO-RIGHT ISOLATE)");
	/* tabs, line ends and marks are text like any other */
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "ok", "a\tb\r\nc\xe2\x80\x8f", &d), 0);
	assert_int_equal(d.n, 0);
	mst_set_free(s);
}

static void escaping_leaves_out_unsafe_characters(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	assert_int_equal(add(s, "t", "{{x}}", &d), 0);
	int rc;
	char *got = render_json(s, "t", "{\"x\": \"a\\u0001b\\u001bc\\u007fd"
				"\\u0085e\\u202Ef\\u2069g\\t\\n\\u200Fh\"}", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "abcdefg\t\n\xe2\x80\x8fh");
	free(got);
	mst_set_free(s);
	diags_free(&d);
}

static void layout_with_blocks(void **state)
{
	mst_set *s = layout_set();
	int rc;
	char *got = render_json(s, "page", layout_view, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, layout_expected);
	free(got);
	/* the base alone shows its defaults, indented as written */
	got = render_json(s, "base", "{\"site\": \"S\"}", &rc);
	assert_contains(got, "  <title>S</title>\n");
	assert_contains(got, "<body>\n  <p>nothing here</p>\n</body>");
	free(got);
	mst_set_free(s);
}

static void blank_lines_get_no_indent(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	add(s, "p", "a\n\nb\r\n\r\nc\n", &d);
	add(s, "t", "<div>\n    {{>p}}\n</div>\n", &d);
	int rc;
	char *got = render_json(s, "t", NULL, &rc);
	assert_string_equal(got,
			    "<div>\n    a\n\n    b\r\n\r\n    c\n</div>\n");
	free(got);
	mst_set_free(s);
	diags_free(&d);
}

/* A standalone partial at the start of a partial that is itself used
 * inline: its blanks cannot wait for a line start, they go out at once. */
static void standalone_inside_inline(void **state)
{
	mst_set *s = mst_set_new();
	diags_t d = DIAGS_INIT;
	add(s, "q", "a\nb\n", &d);
	add(s, "p", "  {{>q}}\n", &d);
	add(s, "t", "x{{>p}}y\n", &d);
	int rc;
	char *got = render_json(s, "t", NULL, &rc);
	assert_string_equal(got, "x  a\n  b\ny\n");
	free(got);
	mst_set_free(s);
	diags_free(&d);
}

static void renders_twice_the_same(void **state)
{
	mst_set *s = layout_set();
	cJSON *view = cJSON_Parse(layout_view);
	buf_t a = BUF_INIT, b = BUF_INIT;
	assert_int_equal(mst_render(s, "page", view, &a), 0);
	assert_int_equal(mst_render(s, "page", view, &b), 0);
	assert_gt(a.len, 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	buf_free(&a);
	buf_free(&b);
	cJSON_Delete(view);
	mst_set_free(s);
}

/* Lazy list items: made by the hook for one pass of the section body
 * each, in order, and freed after it (a leak would fail under ASan). */
static cJSON *make_person(void *arg, double key)
{
	int *made = arg;
	(*made)++;
	cJSON *o = cJSON_CreateObject();
	char name[32];
	snprintf(name, sizeof name, "person %d", (int)key);
	cJSON_AddStringToObject(o, "name", name);
	return o;
}

static void lazy_items(void **state)
{
	diags_t d = DIAGS_INIT;
	mst_set *s = mst_set_new();
	assert_int_equal(add(s, "t", "{{title}}:{{#people}} {{name}} of {{title}};{{/people}}"
			     "{{^people}} nobody{{/people}}", &d), 0);
	cJSON *view = cJSON_CreateObject();
	cJSON_AddStringToObject(view, "title", "T");
	cJSON *people = cJSON_AddArrayToObject(view, "people");
	for (int k = 7; k < 10; k++) {
		cJSON *item = cJSON_CreateNumber(k);
		item->type |= MST_LAZY;
		cJSON_AddItemToArray(people, item);
	}
	int made = 0;
	mst_lazy lazy = {make_person, &made};
	mst_limits lim = {.lazy = &lazy};
	buf_t out = BUF_INIT;
	assert_int_equal(mst_render_limited(s, "t", view, &out, &lim, &d), 0);
	assert_string_equal(buf_cstr(&out),
			    "T: person 7 of T; person 8 of T; person 9 of T;");
	assert_int_equal(made, 3);
	/* without the hook, a placeholder is the number it holds */
	assert_int_equal(add(s, "u", "{{#people}}{{.}},{{/people}}", &d), 0);
	buf_reset(&out);
	assert_int_equal(mst_render(s, "u", view, &out), 0);
	assert_string_equal(buf_cstr(&out), "7,8,9,");
	assert_int_equal(made, 3);
	buf_free(&out);
	cJSON_Delete(view);
	mst_set_free(s);
	diags_free(&d);
}

/* An object of many keys: k0 .. k<n-1> = "<tag><i>", and the key "dup"
 * twice (first "<tag>-first", then "<tag>-second"). */
static cJSON *wide_object(const char *tag, int n)
{
	cJSON *o = cJSON_CreateObject();
	char key[16], val[32];
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(val, sizeof val, "%s%d", tag, i);
		cJSON_AddStringToObject(o, key, val);
		if (i == n / 2) {
			snprintf(val, sizeof val, "%s-first", tag);
			cJSON_AddStringToObject(o, "dup", val);
		}
	}
	snprintf(val, sizeof val, "%s-second", tag);
	cJSON_AddStringToObject(o, "dup", val);
	return o;
}

static cJSON *make_wide(void *arg, double key)
{
	(void)arg;
	char tag[16];
	snprintf(tag, sizeof tag, "item%d-", (int)key);
	cJSON *o = wide_object(tag, 20 + (int)key);
	cJSON_AddStringToObject(o, "own", tag);
	return o;
}

/* An allocator for cJSON that gives freed blocks back, as malloc may
 * (and ASan never does): the freed block of the requested size that was
 * first allocated, so an item made after one is freed takes its very
 * memory, node for node. Each block's header holds its size and the
 * order of its first allocation. */
#define RECYCLE_MAX 4096
static struct {
	void *block[RECYCLE_MAX];
	size_t n, allocated;
} recycled;

static void *recycling_malloc(size_t n)
{
	size_t best = RECYCLE_MAX;
	for (size_t i = 0; i < recycled.n; i++) {
		size_t *h = recycled.block[i];
		if (h[0] == n && (best == RECYCLE_MAX ||
				  h[1] < ((size_t *)recycled.block[best])[1]))
			best = i;
	}
	if (best < RECYCLE_MAX) {
		size_t *h = recycled.block[best];
		recycled.block[best] = recycled.block[--recycled.n];
		return h + 2;
	}
	size_t *h = malloc(n + 2 * sizeof(size_t));
	h[0] = n;
	h[1] = recycled.allocated++;
	return h + 2;
}

static void recycling_free(void *p)
{
	if (!p)
		return;
	size_t *h = (size_t *)p - 2;
	if (recycled.n < RECYCLE_MAX)
		recycled.block[recycled.n++] = h;
	else
		free(h);
}

static void recycling_end(void)
{
	while (recycled.n)
		free(recycled.block[--recycled.n]);
	cJSON_InitHooks(NULL);
}

/* Names in objects of many keys, which a render indexes: the first of
 * two members of one name wins, a name missing from the inner object is
 * found in the outer one, a dotted name goes through an indexed object,
 * and lazy items of many keys, made and freed one after the other (and
 * made again in the same memory), each show their own values. */
static void names_in_wide_objects(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	mst_set *s = mst_set_new();
	assert_int_equal(add(s, "t", "{{k1}} {{k39}} {{dup}} {{missing}}|"
			     "{{#inner}}{{k30}} {{k45}} {{dup}} {{top}}{{/inner}}|"
			     "{{inner.k2}} {{inner.own.k0}}|"
			     "{{#items}}{{own}}{{k3}},{{k21}},{{dup}},{{k49}};{{/items}}",
			     &d), 0);
	cJSON *view = wide_object("o", 50);
	cJSON_AddStringToObject(view, "top", "T");
	cJSON *inner = wide_object("i", 40);
	cJSON_AddItemToObject(inner, "own", wide_object("n", 13));
	cJSON_AddItemToObject(view, "inner", inner);
	cJSON *items = cJSON_AddArrayToObject(view, "items");
	for (int k = 0; k < 3; k++) {
		cJSON *item = cJSON_CreateNumber(k);
		item->type |= MST_LAZY;
		cJSON_AddItemToArray(items, item);
	}
	mst_lazy lazy = {make_wide, NULL};
	mst_limits lim = {.lazy = &lazy};
	buf_t out = BUF_INIT;
	cJSON_Hooks hooks = {recycling_malloc, recycling_free};
	for (int pass = 0; pass < 2; pass++) {
		/* the second time, each item takes the memory of the one
		 * before, which an index of the freed one must not find */
		if (pass)
			cJSON_InitHooks(&hooks);
		buf_reset(&out);
		assert_int_equal(mst_render_limited(s, "t", view, &out, &lim, &d), 0);
		assert_string_equal(buf_cstr(&out),
			"o1 o39 o-first |i30 o45 i-first T|i2 n0|"
			"item0-item0-3,o21,item0--first,o49;"
			"item1-item1-3,o21,item1--first,o49;"
			"item2-item2-3,item2-21,item2--first,o49;");
	}
	recycling_end();
	buf_free(&out);
	cJSON_Delete(view);
	mst_set_free(s);
	diags_free(&d);
}

typedef struct job {
	const mst_set *set;
	const cJSON *view;
	int mismatches;
} job_t;

static void *render_many(void *arg)
{
	job_t *j = arg;
	for (int i = 0; i < 200; i++) {
		buf_t out = BUF_INIT;
		if (mst_render(j->set, "page", j->view, &out) != 0 ||
		    strcmp(buf_cstr(&out), layout_expected))
			j->mismatches++;
		buf_free(&out);
	}
	return NULL;
}

static void renders_from_threads(void **state)
{
	mst_set *s = layout_set();
	cJSON *view = cJSON_Parse(layout_view);
	pthread_t th[4];
	job_t jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (job_t){s, view, 0};
		assert_int_equal(pthread_create(&th[i], NULL, render_many,
						&jobs[i]), 0);
	}
	int mismatches = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		mismatches += jobs[i].mismatches;
	}
	cJSON_Delete(view);
	mst_set_free(s);
	assert_int_equal(mismatches, 0);
}

/* Whether a name may render inside a section over a list of networks:
 * as written, through a partial or a parent included there, or in a
 * block there (conservative); not at the top, nor in a section over
 * another object (whose lookups never reach a network), nor in a partial
 * included only outside such a section. */
static void shows_inside_follows_sections_partials_and_blocks(void **state)
{
	(void)state;
	static const char *const lists[] = {"networks", "country_networks", NULL};
	static const struct {
		const char *main, *part; /* part: the template "p" */
		int shown;
	} cases[] = {
		{"{{{body_html}}}", NULL, 0},
		{"{{#institution}}{{{body_html}}}{{/institution}}", NULL, 0},
		{"{{#networks}}{{name}}{{>p}}{{/networks}}", "{{colour}}", 0},
		{"{{>p}}", "{{{body_html}}}", 0},
		{"{{#networks}}{{{body_html}}}{{/networks}}", NULL, 1},
		{"{{#site.networks}}{{body_html}}{{/site.networks}}", NULL, 1},
		{"{{^networks}}{{body_html}}{{/networks}}", NULL, 1},
		{"{{#networks}}{{#body_html}}x{{/body_html}}{{/networks}}", NULL, 1},
		{"{{#country_networks}}{{#a}}{{body_html}}{{/a}}{{/country_networks}}",
		 NULL, 1},
		{"{{#networks}}{{>p}}{{/networks}}", "{{{body_html}}}", 1},
		/* a section over another object inside: lookups fall through
		 * it to the network */
		{"{{#networks}}{{>p}}{{/networks}}", "{{#x}}{{>q}}{{/x}}", 1},
		{"{{>q}}{{#networks}}{{>p}}{{/networks}}", "{{name}}", 0},
		{"{{#networks}}{{<p}}{{/p}}{{/networks}}", "{{body_html}}", 1},
		{"{{#networks}}{{$b}}{{/b}}{{/networks}}", NULL, 1},
		{"{{networks.body_html}}", NULL, 1},
		{"{{#networks}}{{>p}}{{/networks}}", "{{#networks}}{{>p}}{{/networks}}", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mst_set *s = mst_set_new();
		diags_t d = DIAGS_INIT;
		assert_int_equal(add(s, "main", cases[i].main, &d), 0);
		if (cases[i].part)
			assert_int_equal(add(s, "p", cases[i].part, &d), 0);
		assert_int_equal(add(s, "q", "{{body_html}}", &d), 0);
		if (mst_set_shows_inside(s, lists, "body_html") != cases[i].shown)
			fail_msg("case %zu: %s | %s: expected %d", i, cases[i].main,
				 cases[i].part ? cases[i].part : "", cases[i].shown);
		diags_free(&d);
		mst_set_free(s);
	}
}

int main(void)
{
	int failed = run_spec();
	const struct CMUnitTest own[] = {
		cmocka_unit_test(error_unclosed_section),
		cmocka_unit_test(error_mismatched_close),
		cmocka_unit_test(error_unclosed_tag),
		cmocka_unit_test(error_bad_tags),
		cmocka_unit_test(stand_in_names_its_partials),
		cmocka_unit_test(failed_add_keeps_set_usable),
		cmocka_unit_test(check_reports_missing),
		cmocka_unit_test(check_reports_unconditional_cycles),
		cmocka_unit_test(escapes_all_five),
		cmocka_unit_test(values_and_truthiness),
		cmocka_unit_test(unknown_template),
		cmocka_unit_test(recursion_is_bounded),
		cmocka_unit_test(templates_that_explode_stop_at_their_tag),
		cmocka_unit_test(unsafe_characters_in_templates_are_errors),
		cmocka_unit_test(escaping_leaves_out_unsafe_characters),
		cmocka_unit_test(layout_with_blocks),
		cmocka_unit_test(blank_lines_get_no_indent),
		cmocka_unit_test(standalone_inside_inline),
		cmocka_unit_test(renders_twice_the_same),
		cmocka_unit_test(lazy_items),
		cmocka_unit_test(names_in_wide_objects),
		cmocka_unit_test(many_partials_found_by_name),
		cmocka_unit_test(renders_from_threads),
		cmocka_unit_test(shows_inside_follows_sections_partials_and_blocks),
	};
	failed += cmocka_run_group_tests_name("mustache", own, NULL, NULL);
	return failed ? 1 : 0;
}
