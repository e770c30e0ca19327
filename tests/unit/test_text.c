/* test_text.c - the renderers' text helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>

#include "render/text.h"
#include "util/buf.h"
#include "util/pairs.h"

static void test_fixed_is_locale_independent(void **state)
{
	(void)state;
	/* A comma-decimal locale must not leak into the output. */
	setlocale(LC_ALL, "de_DE.UTF-8");
	buf_t b = BUF_INIT;
	text_put_fixed(&b, 32.5761, 4);
	buf_putc(&b, ' ');
	text_put_fixed(&b, -0.5, 4);
	buf_putc(&b, ' ');
	text_put_fixed(&b, 12.0, 3);
	buf_putc(&b, ' ');
	text_put_fixed(&b, -0.00001, 4);
	assert_string_equal(buf_cstr(&b), "32.5761 -0.5 12 0");
	buf_free(&b);
	setlocale(LC_ALL, "C");
}

static void test_labels(void **state)
{
	(void)state;
	char *s = text_coordinates(-33.9249, 18.4241);
	assert_string_equal(s, "33.9249° S, 18.4241° E");
	free(s);
	s = text_coordinates(40.7128, -74.006);
	assert_string_equal(s, "40.7128° N, 74.006° W");
	free(s);
	s = text_url_label("https://chs.mak.ac.ug/");
	assert_string_equal(s, "chs.mak.ac.ug");
	free(s);
}

static void unsafe_output_mailto_is_percent_encoded(void **state)
{
	(void)state;
	/* an address and its link */
	static const str_pair cases[] = {
		{"electives@example.org", "mailto:electives@example.org"},
		{"first.last+tag@sub.example.ac.ug",
		 "mailto:first.last+tag@sub.example.ac.ug"},
		{"o'brien@example.org", "mailto:o'brien@example.org"},
		/* atext that RFC 6068's qchar leaves out */
		{"a#b/c=d^e`f{g|h}i~j!k$l*m@example.org",
		 "mailto:a%23b%2Fc%3Dd%5Ee%60f%7Bg%7Ch%7Di~j!k$l*m@example.org"},
		/* never reached (the loader refuses them), still encoded */
		{"a%40b?subject=x&body=y@example.org",
		 "mailto:a%2540b%3Fsubject%3Dx%26body%3Dy@example.org"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = text_mailto(cases[i].key);
		assert_string_equal(s, cases[i].value);
		free(s);
	}
}

static void find_json_for_script_escapes_what_ends_a_script(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	text_json_for_script(&b, "{\"n\":\"</script><!--a&b>\xE2\x80\xA8x\xE2\x80\xA9\"}");
	assert_string_equal(buf_cstr(&b), "{\"n\":\"\\u003c/script\\u003e\\u003c!--a\\u0026b\\u003e\\u2028x\\u2029\"}");
	/* other characters starting with the same byte (an em dash, an
	 * ellipsis) are copied as they are, as is a lone lead byte */
	buf_reset(&b);
	text_json_for_script(&b, "\xE2\x80\x94" "a\xE2\x80\xA6<\xE2");
	assert_string_equal(buf_cstr(&b), "\xE2\x80\x94" "a\xE2\x80\xA6\\u003c\xE2");
	buf_free(&b);
}

static void find_osm_url_marks_the_point(void **state)
{
	(void)state;
	char *u = text_osm_url(0.3383, 32.5761);
	assert_string_equal(u, "https://www.openstreetmap.org/?mlat=0.3383&mlon=32.5761#map=12/0.3383/32.5761");
	free(u);
	u = text_osm_url(-33.9248691, -18.4241);
	assert_string_equal(u, "https://www.openstreetmap.org/?mlat=-33.92487&mlon=-18.4241#map=12/-33.92487/-18.4241");
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_is_locale_independent),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(find_json_for_script_escapes_what_ends_a_script),
		cmocka_unit_test(find_osm_url_marks_the_point),
		cmocka_unit_test(unsafe_output_mailto_is_percent_encoded),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
