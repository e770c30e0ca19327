/* test_svgcheck.c - an SVG of a page bundle is refused when a browser
 * opening it could run anything (svgcheck.h), in every spelling a text
 * search misses, and a plain picture as editors' tools export it is
 * kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/svgcheck.h"
#include "util/buf.h"

#define SVG_OPEN "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"

/* The kind of svg's first problem (SVG_PLAIN for none), and what it is
 * in why (160 bytes). */
static int check_bytes(const char *svg, size_t len, char *why)
{
	svg_problem p;
	*why = '\0';
	if (!svg_problems(svg, len, &p, 1))
		return SVG_PLAIN;
	snprintf(why, 160, "%.159s", p.what);
	return p.kind;
}

static int check(const char *svg, char *why)
{
	return check_bytes(svg, strlen(svg), why);
}

static void unsafe_output_svg_that_runs_is_refused(void **state)
{
	(void)state;
	static const struct {
		const char *svg, *why;
	} bad[] = {
		/* a script under a prefix of SVG's namespace */
		{SVG_OPEN "<x:script xmlns:x=\"http://www.w3.org/2000/svg\">alert(1)"
		 "</x:script></svg>", "(x:script)"},
		{SVG_OPEN "<SCRIPT>alert(1)</SCRIPT></svg>", "(SCRIPT)"},
		/* an XHTML script, or any XHTML, runs inside an SVG */
		{SVG_OPEN "<g><h:img xmlns:h=\"http://www.w3.org/1999/xhtml\" "
		 "src=\"x\"/></g></svg>", "an XHTML element (h:img)"},
		{SVG_OPEN "<foreignObject><p>x</p></foreignObject></svg>",
		 "(foreignObject)"},
		{SVG_OPEN "<handler type=\"text/ecmascript\">x</handler></svg>",
		 "(handler)"},
		{SVG_OPEN "<iframe src=\"x\"/></svg>", "(iframe)"},
		/* event attributes, in any namespace */
		{SVG_OPEN "<rect x:onclick=\"alert(1)\" xmlns:x=\"urn:x\"/></svg>",
		 "an event attribute (x:onclick)"},
		{"<svg xmlns=\"http://www.w3.org/2000/svg\" ONLOAD=\"alert(1)\"/>",
		 "(ONLOAD)"},
		{SVG_OPEN "<set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>",
		 "an animated event attribute (onmouseover)"},
		/* addresses as a browser reads them: tabs, line breaks and
		 * character references inside, any case */
		{SVG_OPEN "<a href=\"java&#x09;script:alert(1)\"><rect/></a></svg>",
		 "a javascript: address (href)"},
		{SVG_OPEN "<a xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		 "xlink:href=\" JaVa&#10;ScRiPt&#58;x\"><rect/></a></svg>",
		 "(xlink:href)"},
		{SVG_OPEN "<animate attributeName=\"href\" values=\"vbscript:x\"/></svg>",
		 "(values)"},
		/* what a browser expands or applies before drawing */
		{"<!DOCTYPE svg [<!ENTITY x \"&#60;script&#62;alert(1)&#60;/script&#62;\">]>"
		 SVG_OPEN "&x;</svg>", "an entity declaration"},
		{"<?xml-stylesheet type=\"text/xsl\" href=\"a.xsl\"?>" SVG_OPEN "</svg>",
		 "xml-stylesheet"},
		{SVG_OPEN "<g><?xml-stylesheet href=\"a.xsl\"?></g></svg>",
		 "xml-stylesheet"},
		/* what the picture would fetch by itself from elsewhere */
		{SVG_OPEN "<use href=\" HTTPS://tracker.example/x.svg#a\"/></svg>",
		 "a reference to a file elsewhere (href)"},
		{SVG_OPEN "<image xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		 "xlink:href=\"//tracker.example/p.png\"/></svg>", "(xlink:href)"},
		{SVG_OPEN "<style>@import 'https://x.example/a.css';</style></svg>",
		 "a style that may fetch from elsewhere (@import 'https://x.example/a.css')"},
		{SVG_OPEN "<rect style=\"fill: URL( 'https://x.example/f.svg#p' )\"/></svg>",
		 "a style that may fetch from elsewhere (style)"},
		/* CSS's other spellings: escapes, image-set(), a presentation
		 * attribute's url(), a character reference, an animation */
		{SVG_OPEN "<style>rect{fill:u\\72l(https://x.example/a)}</style></svg>",
		 "may fetch from elsewhere (\\72)"},
		{SVG_OPEN "<style>@\\69mport \"//x.example/a.css\";</style></svg>",
		 "may fetch from elsewhere (\\69)"},
		{SVG_OPEN "<rect style=\"background-image:image-set(&quot;//x.example/a.png&quot; "
		 "1x)\"/></svg>", "may fetch from elsewhere (style)"},
		{SVG_OPEN "<rect fill=\"u&#x72;l(https://x.example/#g)\"/></svg>",
		 "may fetch from elsewhere (fill)"},
		{SVG_OPEN "<set attributeName=\"fill\" to=\"url(//x.example/a)\"/></svg>",
		 "may fetch from elsewhere (to)"},
		{SVG_OPEN "<animate attributeName=\"xlink:href\" values=\"#a; //x.example/a\"/>"
		 "</svg>", "an animation to an address elsewhere (values)"},
		/* a backslash is a '/' in a web address (WHATWG URL
		 * Standard): \\host, /\host and \/host are another server */
		{SVG_OPEN "<image href=\"\\\\evil.example/x.png\"/></svg>",
		 "a reference to a file elsewhere (href)"},
		{SVG_OPEN "<image href=\"/\\evil.example/x.png\"/></svg>",
		 "a reference to a file elsewhere (href)"},
		{SVG_OPEN "<use xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		 "xlink:href=\" \\/evil.example/x.svg#a\"/></svg>",
		 "a reference to a file elsewhere (xlink:href)"},
		{SVG_OPEN "<animate attributeName=\"href\" values=\"#a;\\\\evil.example/a\"/>"
		 "</svg>", "an animation to an address elsewhere (values)"},
		/* a data: address a browser may open as a document: any one
		 * followed as a link, and one the picture loads itself unless
		 * it is a raster image (an SVG or HTML document may script) */
		{SVG_OPEN "<a href=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">"
		 "<rect/></a></svg>", "a data: address that opens a document (href)"},
		{SVG_OPEN "<a xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		 "xlink:href=\" DaTa&#58;image/png;base64,iVBORw0=\"><rect/></a></svg>",
		 "a data: address that opens a document (xlink:href)"},
		{SVG_OPEN "<use href=\"data:image/svg+xml;base64,PHN2Zy8+#a\"/></svg>",
		 "a data: address that opens a document (href)"},
		{SVG_OPEN "<image href=\"data:text/html,x\"/></svg>",
		 "a data: address that opens a document (href)"},
		{SVG_OPEN "<image href=\"data:image/pngx,x\"/></svg>",
		 "a data: address that opens a document (href)"},
		{SVG_OPEN "<animate attributeName=\"href\" values=\"#a; data:text/html,x\"/>"
		 "</svg>", "a data: address that opens a document (values)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char why[160] = "";
		if (check(bad[i].svg, why) != SVG_ACTIVE || !strstr(why, bad[i].why))
			fail_msg("case %zu: got '%s', wanted '%s'", i, why, bad[i].why);
	}
	/* not well-formed: a browser draws up to the fault */
	char why[160];
	assert_int_equal(check(SVG_OPEN "<script>alert(1)</script><rect", why),
			 SVG_ILL_FORMED);
	assert_int_equal(check("", why), SVG_ILL_FORMED);
	/* read as a browser reads it: a declared UTF-7 hid a script in
	 * what libxml2 alone took for a comment */
	assert_int_equal(check("<?xml version=\"1.0\" encoding=\"UTF-7\"?>"
			       SVG_OPEN "+ADwAIQAtAC0-<script>x</script>+AC0ALQA+-"
			       "</svg>", why), SVG_ILL_FORMED);
	assert_string_equal(why, "declares the encoding UTF-7, not UTF-8");
	assert_int_equal(check("<?xml version='1.0' encoding='iso-8859-1'?>"
			       SVG_OPEN "</svg>", why), SVG_ILL_FORMED);
	/* an element of more attributes than any picture has, which
	 * libxml2 reads in time that grows as their square */
	{
		buf_t b = BUF_INIT;
		buf_puts(&b, SVG_OPEN "<!-- a=1 b=2 --><g");
		for (int k = 0; k < 1001; k++)
			buf_printf(&b, " a%d=\"=\"", k);
		buf_puts(&b, "/></svg>");
		assert_int_equal(check(buf_cstr(&b), why), SVG_ILL_FORMED);
		assert_true(strstr(why, "more than 1000 attributes") != NULL);
		svg_problem p[1];
		assert_int_equal(svg_problems(b.ptr, b.len, p, 1), 1);
		assert_int_equal(p[0].col, (int)strlen(SVG_OPEN "<!-- a=1 b=2 -->") + 1);
		buf_free(&b);
	}
	/* larger than an SVG is read: its tree would take some 30 times
	 * its size in memory (1.7 GB for one of 58 MB) */
	{
		size_t big = ((size_t)8 << 20) + 1;
		char *huge = xmalloc(big);
		memset(huge, ' ', big);
		memcpy(huge, SVG_OPEN, strlen(SVG_OPEN));
		svg_problem p[1];
		assert_int_equal(svg_problems(huge, big, p, 1), 1);
		assert_int_equal(p[0].kind, SVG_ILL_FORMED);
		assert_true(strstr(p[0].what, "larger than 8 MiB") != NULL);
		free(huge);
	}
	/* UTF-16, and bytes of no encoding */
	static const char utf16[] = "\xff\xfe<\0s\0v\0g\0/\0>\0";
	assert_int_equal(check_bytes(utf16, sizeof utf16 - 1, why),
			 SVG_ILL_FORMED);
	assert_string_equal(why, "is not UTF-8 text");
	/* UTF-8 that says so, or has a BOM, is read */
	assert_int_equal(check("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
			       SVG_OPEN "</svg>", why), SVG_PLAIN);
	assert_int_equal(check("\xEF\xBB\xBF" SVG_OPEN "<title>caf\xC3\xA9</title>"
			       "</svg>", why), SVG_PLAIN);
}

static void a_plain_picture_is_kept(void **state)
{
	(void)state;
	static const char *const good[] = {
		SVG_OPEN "<rect width=\"5\" height=\"5\" style=\"fill:red\"/></svg>",
		/* attributes that only start as a handler's name would */
		SVG_OPEN "<rect one=\"1\" only=\"2\"/></svg>",
		/* an external DTD, which browsers do not load; words that
		 * merely hold "on" or "script" */
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC "
		"\"-//W3C//DTD SVG 1.1//EN\" "
		"\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n" SVG_OPEN
		"<title>Onions and scripts</title><desc>javascript is a word</desc>"
		"<text font-family=\"Noto Sans\">on</text></svg>",
		/* an editor's own namespaces and metadata */
		"<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "
		"xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" "
		"xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\">"
		"<sodipodi:namedview inkscape:zoom=\"1\"/><defs><linearGradient id=\"g\"/>"
		"</defs><a xlink:href=\"https://example.org/\"><circle r=\"2\" "
		"fill=\"url(#g)\"/></a><image href=\"data:image/png;base64,iVBORw0=\"/>"
		"<!-- a comment --></svg>",
		/* a link is followed only when clicked; a fill from the file
		 * itself fetches nothing */
		SVG_OPEN "<a href=\"https://example.org/\"><rect style=\"fill:"
		"url(#g)\"/></a><style>rect { fill: url(#g) }</style></svg>",
		/* a presentation attribute's url() inside the file, an
		 * editor's Windows path, an animation between local ids */
		"<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "
		"inkscape:export-filename=\"C:\\Users\\me\\p.png\"><rect "
		"fill=\"url('#g')\"/><animate attributeName=\"href\" "
		"values=\"#a;#b\"/></svg>",
		/* raster pictures held in the file itself */
		SVG_OPEN "<image href=\"data:image/jpeg;base64,/9j/\"/><image "
		"href=\"DATA:image/GIF,x\"/><image href=\"data:image/webp;base64,UklG\"/>"
		"</svg>",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		char why[160] = "";
		if (check(good[i], why) != SVG_PLAIN)
			fail_msg("case %zu refused: %s", i, why);
	}
}

/* Nesting deeper than a recursive walk could take is walked all the same. */
static void a_deep_tree_is_walked_to_the_bottom(void **state)
{
	(void)state;
	size_t depth = 200;
	char *svg = malloc(64 + depth * 7 + 40);
	strcpy(svg, SVG_OPEN);
	for (size_t i = 0; i < depth; i++)
		strcat(svg, "<g>");
	strcat(svg, "<script/>");
	for (size_t i = 0; i < depth; i++)
		strcat(svg, "</g>");
	strcat(svg, "</svg>");
	char why[160];
	assert_int_equal(check(svg, why), SVG_ACTIVE);
	free(svg);
}

/* Each problem is told at its place, every one of them, in the file's
 * order: an element at its '<', an attribute at its name, even when an
 * element of that name came before on the line; a file libxml2 cannot
 * read with libxml2's reason, where it stopped. */
static void each_problem_is_told_at_its_place(void **state)
{
	(void)state;
	const char *svg =
		"<!DOCTYPE svg [<!ENTITY e \"x\">]>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\">\n"
		"  <a href=\"#x\"><rect/></a><a\n"
		"     title=\"t\" href=\"javascript:x\"><script>y</script></a>\n"
		"  <r\xC3\xA9" "ct onclick=\"x\" onload=\"y\"/>&e;\n"
		"</svg>\n";
	svg_problem p[8];
	size_t n = svg_problems(svg, strlen(svg), p, 8);
	static const struct {
		int line, col;
		const char *what;
	} want[] = {
		{1, 16, "an entity declaration (e)"},
		{4, 16, "a javascript: address (href)"},
		{4, 36, "a script or embedded document element (script)"},
		{5, 9, "an event attribute (onclick)"},
		{5, 21, "an event attribute (onload)"},
		{5, 33, "an entity (e)"},
	};
	assert_int_equal(n, sizeof want / sizeof *want);
	for (size_t i = 0; i < n; i++) {
		if (p[i].line != want[i].line || p[i].col != want[i].col ||
		    strcmp(p[i].what, want[i].what))
			fail_msg("problem %zu: %d:%d %s, wanted %d:%d %s", i,
				 p[i].line, p[i].col, p[i].what, want[i].line,
				 want[i].col, want[i].what);
		assert_int_equal(p[i].kind, SVG_ACTIVE);
	}
	/* more than asked for: counted, the first ones kept */
	assert_int_equal(svg_problems(svg, strlen(svg), p, 2), 6);
	assert_string_equal(p[1].what, "a javascript: address (href)");
	/* not well-formed: where libxml2 stopped, and why */
	const char *broken = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<g>\n<rect>\n</svg>\n";
	assert_int_equal(svg_problems(broken, strlen(broken), p, 8), 1);
	assert_int_equal(p[0].kind, SVG_ILL_FORMED);
	assert_int_equal(p[0].line, 4);
	assert_string_equal(p[0].what, "is not well-formed XML (libxml2: Opening "
				       "and ending tag mismatch: rect line 3 and svg)");
	/* bytes that are no UTF-8, at the first of them */
	const char *latin1 = SVG_OPEN "\n<title>caf\xE9</title></svg>";
	assert_int_equal(svg_problems(latin1, strlen(latin1), p, 8), 1);
	assert_int_equal(p[0].line, 2);
	assert_int_equal(p[0].col, 11);
	assert_string_equal(p[0].what, "is not UTF-8 text");
}

/* A style element's problems are told each at itself, quoting it; a
 * url() of an #id inside the file is none. UTF8, as some tools spell
 * UTF-8, is UTF-8. */
static void each_fetch_in_a_style_is_told_at_itself(void **state)
{
	(void)state;
	const char *svg =
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n"
		"  <style>\n"
		"    .a { fill: url(#g); }\n"
		"    .c { background: url(https://evil.example/t.png); }\n"
		"    @import \"https://evil.example/x.css\";\n"
		"  </style>\n"
		"</svg>\n";
	svg_problem p[8];
	assert_int_equal(svg_problems(svg, strlen(svg), p, 8), 2);
	assert_int_equal(p[0].line, 4);
	assert_int_equal(p[0].col, 22);
	assert_string_equal(p[0].what, "a style that may fetch from elsewhere "
				       "(url(https://evil.example/t.png))");
	assert_int_equal(p[1].line, 5);
	assert_int_equal(p[1].col, 5);
	assert_string_equal(p[1].what, "a style that may fetch from elsewhere "
				       "(@import \"https://evil.example/x.css\")");
	const char *utf8 = "<?xml version=\"1.0\" encoding=\"UTF8\"?>" SVG_OPEN "</svg>";
	assert_int_equal(svg_problems(utf8, strlen(utf8), p, 8), 0);
}

int main(void)
{
	xmlInitParser();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsafe_output_svg_that_runs_is_refused),
		cmocka_unit_test(a_plain_picture_is_kept),
		cmocka_unit_test(a_deep_tree_is_walked_to_the_bottom),
		cmocka_unit_test(each_problem_is_told_at_its_place),
		cmocka_unit_test(each_fetch_in_a_style_is_told_at_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
