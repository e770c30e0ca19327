/* test_chars.c - characters that must never reach the output as they are:
 * finding them, leaving them out of HTML and XML, and keeping them out of
 * the messages printed on a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/chars.h"
#include "util/diag.h"

static void unsafe_output_decoding_never_stalls(void **state)
{
	(void)state;
	unsigned cp;
	assert_int_equal(chars_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(chars_decode("\xc2\x85", 2, &cp), 2);
	assert_int_equal(cp, 0x85);
	assert_int_equal(chars_decode("\xe2\x80\xae", 3, &cp), 3);
	assert_int_equal(cp, 0x202E);
	assert_int_equal(chars_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* invalid: one byte at a time, as U+FFFD */
	static const char *const bad[] = {
		"\x80", "\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xe2\x80", "\xff"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(chars_decode(bad[i], strlen(bad[i]), &cp), 1);
		assert_int_equal(cp, 0xFFFD);
	}
}

/* RFC 3629: overlong forms, surrogates, stray continuation bytes and
 * cut-off sequences are not UTF-8; U+FFFD written out is. */
static void unsafe_output_utf8_is_told_from_other_encodings(void **state)
{
	(void)state;
	static const char *const good[] = {"", "abc", "caf\xc3\xa9",
		"\xef\xbf\xbd", "\xf0\x9f\x8c\x8d", "\xf4\x8f\xbf\xbf"};
	static const char *const bad[] = {"\xc3", "caf\xe9", "\xc0\xaf",
		"\xe0\x80\xaf", "\xed\xa0\x80", "\x80", "\xf4\x90\x80\x80",
		"\xe2\x82", "\xff"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(chars_is_utf8(good[i], strlen(good[i])), 1);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(chars_is_utf8(bad[i], strlen(bad[i])), 0);
}

static void unsafe_output_kinds_of_characters(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 0x20; c++)
		assert_int_equal(chars_is_control(c),
				 c != '\t' && c != '\n' && c != '\r');
	for (unsigned c = 0x7F; c <= 0x9F; c++)
		assert_true(chars_is_control(c));
	assert_false(chars_is_control(' '));
	assert_false(chars_is_control(0xA0));
	/* the two noncharacters XML 1.0 excludes (an escape decodes to
	 * them, and libxml2 then writes an ill-formed map and feed) */
	assert_true(chars_is_control(0xFFFE));
	assert_true(chars_is_control(0xFFFF));
	assert_true(chars_is_unsafe(0xFFFE));
	assert_false(chars_is_control(0xFFFD));
	/* and every other noncharacter, which HTML calls a parse error */
	for (unsigned c = 0xFDD0; c <= 0xFDEF; c++)
		assert_true(chars_is_control(c));
	assert_false(chars_is_control(0xFDCF));
	assert_false(chars_is_control(0xFDF0));
	for (unsigned plane = 1; plane <= 0x10; plane++) {
		assert_true(chars_is_control(plane << 16 | 0xFFFE));
		assert_true(chars_is_control(plane << 16 | 0xFFFF));
		assert_false(chars_is_control(plane << 16 | 0xFFFD));
	}
	assert_string_equal(chars_control_what(0x1FFFF), "a noncharacter");
	assert_string_equal(chars_control_what(0xFDD0), "a noncharacter");
	assert_string_equal(chars_control_what(0xFFFF), "a noncharacter");
	assert_string_equal(chars_control_what(0x85), "a control character");
	for (unsigned c = 0x202A; c <= 0x202E; c++)
		assert_true(chars_is_bidi_control(c));
	for (unsigned c = 0x2066; c <= 0x2069; c++)
		assert_true(chars_is_bidi_control(c));
	/* marks steer the direction of their neighbours only: not controls */
	assert_false(chars_is_bidi_control(0x200E));
	assert_false(chars_is_bidi_control(0x200F));
	assert_false(chars_is_unsafe(0x061C));
	/* but no identifier may hold them, nor zero-width characters */
	static const unsigned invisible[] = {
		0x00AD, 0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202E,
		0x2060, 0x2064, 0x2066, 0xFEFF, 0x0001};
	for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
		assert_true(chars_is_invisible(invisible[i]));
	assert_false(chars_is_invisible('a'));
	assert_false(chars_is_invisible(0x00E9));
	char name[48];
	assert_string_equal(chars_name(0x202E, name, sizeof name),
			    "U+202E (RIGHT-TO-LEFT OVERRIDE)");
	assert_string_equal(chars_name(0x1B, name, sizeof name), "U+001B");
}

static void unsafe_output_finding_and_leaving_out(void **state)
{
	(void)state;
	const char *s = "ab\xc3\xa9\x1b[0m\xe2\x80\xae" "c";
	unsigned cp = 0;
	assert_int_equal(chars_find(s, strlen(s), chars_is_unsafe, &cp), 4);
	assert_int_equal(cp, 0x1B);
	assert_int_equal(chars_find(s, strlen(s), chars_is_bidi_control, &cp), 8);
	assert_int_equal(cp, 0x202E);
	assert_int_equal(chars_find("plain", 5, chars_is_unsafe, NULL), 5);
	buf_t b = BUF_INIT;
	assert_int_equal(chars_put_without(&b, s, strlen(s), chars_is_unsafe), 2);
	assert_string_equal(buf_cstr(&b), "ab\xc3\xa9[0mc");
	buf_free(&b);
	/* a byte that starts no UTF-8 sequence is left out too */
	buf_t bad = BUF_INIT;
	const char *raw = "a\xfe" "b\xff" "c\xef\xbf\xbd" "d\xc3";
	assert_int_equal(chars_put_without(&bad, raw, strlen(raw), chars_is_unsafe), 3);
	char *kept = buf_detach(&bad);
	assert_string_equal(kept, "abc\xef\xbf\xbd" "d");
	free(kept);
	char *clean = chars_strip_unsafe("Ug\x01" "an\xc2\x9b" "da\xe2\x81\xa9");
	assert_string_equal(clean, "Uganda");
	free(clean);
	assert_null(chars_strip_unsafe("Uganda \xe2\x80\x8f\t\n"));
}

static void unsafe_output_html_escape_leaves_out_controls(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	const char s[] = "<a\x01&\x7f\"b'\xc2\x80\xc2\x9f\xc2\xa0"
			 "\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9"
			 "\xe2\x80\xa9\t\r\n\x0c.";
	buf_put_html(&b, s, sizeof s - 1);
	/* NBSP (C2 A0) and PARAGRAPH SEPARATOR (E2 80 A9) are text */
	assert_string_equal(buf_cstr(&b), "&lt;a&amp;&quot;b&#39;\xc2\xa0"
					  "\xe2\x80\xa9\t\r\n.");
	buf_reset(&b);
	/* a sequence cut short at the end is not read past */
	buf_put_html(&b, "x\xe2\x80", 3);
	assert_int_equal(b.len, 3);
	buf_free(&b);
}

static void unsafe_output_messages_cannot_drive_a_terminal(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	diag_error(&d, "content/a\x1b[2J\t.md", 2, 3, "unknown key '%s'",
		   "x\x1b]0;pwned\x07\nfake.md:1:1: error: \xe2\x80\xaeok\t");
	/* a tab too: it is a control character, and a report's fields
	 * may be split on it */
	assert_string_equal(d.v[0].path, "content/a<U+001B>[2J<U+0009>.md");
	assert_string_equal(d.v[0].msg,
			    "unknown key 'x<U+001B>]0;pwned<U+0007><U+000A>"
			    "fake.md:1:1: error: <U+202E>ok<U+0009>'");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diags_print(&d, f);
	fclose(f);
	assert_non_null(text);
	/* one line for the message, one for the count */
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	assert_int_equal(lines, 2);
	free(text);
	diags_free(&d);
}

/* The characters pasted where YAML needs a blank, by name; not a plain
 * blank, a letter, or a cut sequence. */
static void test_unseen_space(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		const char *name;
		unsigned cp;
	} got[] = {
		{"\xc2\xa0x", "no-break space", 0xA0},
		{"\xe2\x80\x8b", "zero-width space", 0x200B},
		{"\xe3\x80\x80", "ideographic space", 0x3000},
		{"\xe2\x81\xa0", "word joiner", 0x2060},
		{"\xc2\xad", "soft hyphen", 0xAD},
		{"\xe2\x80\x83", "space character", 0x2003},
	};
	for (size_t i = 0; i < sizeof got / sizeof *got; i++) {
		size_t k;
		unsigned cp;
		const char *name = chars_unseen_space(got[i].s, strlen(got[i].s),
						      &k, &cp);
		assert_non_null(name);
		assert_string_equal(name, got[i].name);
		assert_int_equal(cp, got[i].cp);
	}
	assert_true(chars_zero_width(0x200B));
	assert_true(chars_zero_width(0xFEFF));
	assert_false(chars_zero_width(0xA0));
	assert_false(chars_zero_width(0x3000));
	static const char *const not[] = {" ", "\t", "a", "\xc3\xa9", "\xe2\x80"};
	for (size_t i = 0; i < sizeof not / sizeof *not; i++) {
		size_t k;
		unsigned cp;
		assert_null(chars_unseen_space(not[i], strlen(not[i]), &k, &cp));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsafe_output_decoding_never_stalls),
		cmocka_unit_test(unsafe_output_utf8_is_told_from_other_encodings),
		cmocka_unit_test(unsafe_output_kinds_of_characters),
		cmocka_unit_test(unsafe_output_finding_and_leaving_out),
		cmocka_unit_test(unsafe_output_html_escape_leaves_out_controls),
		cmocka_unit_test(unsafe_output_messages_cannot_drive_a_terminal),
		cmocka_unit_test(test_unseen_space),
	};
	return cmocka_run_group_tests_name("chars", tests, NULL, NULL);
}
