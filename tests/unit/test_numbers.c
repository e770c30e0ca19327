/* test_numbers.c - every number an editor writes (load/fields.c,
 * field_number_fits): a leading zero or a thousands comma is an error
 * whose fix, written in its place, loads without a message; where that
 * fix would itself be refused (capacity 00 is 0, below 1), the field's
 * own error, naming what it allows, is given instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "leadzero.h"
#include "sitefix.h"
#include "util/buf.h"

/* An institution record, its value on line 5 (location) or 8 (more). */
#define INST(loc, more) \
	"---\nname: Makerere University\ncountry: UG\ncity: Kampala\n" \
	"location: " loc "\nnetworks: [global]\nexchanges: [undergraduate]\n" \
	more "---\n"
#define INST_FILE "content/institutions/mak.md"
#define ELECTIVE(field) INST("[0.3383, 32.5761]", \
	"electives: [{type: clinical, " field "}]\n")
#define SITE(more) "title: T\nbase_url: https://example.org/\n" more

static const struct number {
	const char *rel, *text; /* the file, with %s where the value goes */
	const char *value;      /* what the editor wrote */
	int line, col;
	const char *msg;        /* the one message, exactly */
} numbers[] = {
	/* location: 059.3 is 59.3 to one YAML reader, text to another */
	{INST_FILE, INST("[%s, 32.5761]", ""), "00.3383", 5, 12,
	 "latitude '00.3383' " LEADING_ZERO_DECIMAL " 0.3383"},
	{INST_FILE, INST("[0.3383, %s]", ""), "032.5761", 5, 20,
	 "longitude '032.5761' " LEADING_ZERO_DECIMAL " 32.5761"},
	{INST_FILE, INST("[%s, 32.5761]", ""), "-00.3383", 5, 12,
	 "latitude '-00.3383' " LEADING_ZERO_DECIMAL " -0.3383"},
	/* 100 is no latitude: the range, not "write 100" */
	{INST_FILE, INST("[%s, 32.5761]", ""), "0100", 5, 12,
	 "latitude 0100 is out of range [-90, 90] (location is [latitude, "
	 "longitude]: are the two swapped?)"},
	/* the location that lat and lon give, in the fix, without them */
	{INST_FILE, "---\nname: Makerere University\ncountry: UG\ncity: "
	 "Kampala\nlat: %s\nlon: 032.5761\nnetworks: [global]\nexchanges: "
	 "[undergraduate]\n---\n", "00.3383", 5, 1,
	 "missing required field 'location': write location: [0.3383, "
	 "32.5761] in place of lat and lon"},
	{INST_FILE, ELECTIVE("capacity: %s"), "010", 8, 40,
	 "capacity '010' " LEADING_ZERO_OCTAL("010", "8", "10")},
	/* 0 places is no capacity: the range, not "write 0" */
	{INST_FILE, ELECTIVE("capacity: %s"), "00", 8, 40,
	 "capacity must be the number of places a year, a whole number from "
	 "1 to 10000, not '00'"},
	{INST_FILE, INST("[0.3383, 32.5761]",
			 "electives:\n  - type: clinical\n    capacity: %s\n"),
	 "10,000,000", 10, 15,
	 "capacity must be the number of places a year, a whole number from "
	 "1 to 10000, not '10,000,000'"},
	{INST_FILE, ELECTIVE("duration: %s"), "04-08 weeks", 8, 40,
	 "duration '04-08 weeks' " LEADING_ZERO_TEXT " 4-8 weeks"},
	{INST_FILE, ELECTIVE("duration: %s"), "00", 8, 40,
	 "duration '00' must be a number of weeks from 1 to 104, or a range "
	 "such as 4-8: write the weeks in digits, such as duration: 6 or "
	 "duration: 4-8 weeks"},
	/* 8-4 would be refused in turn: the order's fix, in one step */
	{INST_FILE, ELECTIVE("duration: %s"), "08-04", 8, 40,
	 "duration 8-4: the shortest is longer than the longest; write 4-8"},
	{INST_FILE, ELECTIVE("months: [%s]"), "09", 8, 39,
	 "month '09' " LEADING_ZERO_NOT_OCTAL("09", "9")},
	/* what each YAML reads, for this number: not 010's words for all */
	{INST_FILE, ELECTIVE("months: [%s]"), "08", 8, 39,
	 "month '08' " LEADING_ZERO_NOT_OCTAL("08", "8")},
	{INST_FILE, ELECTIVE("months: [%s]"), "012", 8, 39,
	 "month '012' " LEADING_ZERO_OCTAL("012", "10", "12")},
	{INST_FILE, ELECTIVE("months: [%s]"), "03", 8, 39,
	 "month '03' " LEADING_ZERO_TEXT " 3"},
	{"content/pages/about.md", "---\ntitle: About\nmenu: %s\n---\n", "-010",
	 3, 7, "menu '-010' " LEADING_ZERO_OCTAL("-010", "-8", "-10")},
	{INST_FILE, ELECTIVE("months: [%s]"), "013", 8, 39,
	 "unknown month '013': write a number from 1 to 12 or a month's "
	 "English name, such as March or Mar"},
	{INST_FILE, ELECTIVE("apply_by: %s"), "08 weeks", 8, 40,
	 "apply_by '08 weeks' " LEADING_ZERO_TEXT " 8 weeks"},
	{INST_FILE, ELECTIVE("apply_by: %s"), "00 weeks", 8, 40,
	 "apply_by '00 weeks' must be a whole number of weeks from 1 to 104, "
	 "such as '8 weeks', or a date written YYYY-MM-DD"},
	{INST_FILE, ELECTIVE("fee: {amount: %s, currency: EUR}"), "0250.50",
	 8, 44, "amount '0250.50' " LEADING_ZERO_DECIMAL " 250.50"},
	{INST_FILE, ELECTIVE("fee: {amount: %s, currency: EUR}"), "00", 8,
	 44, "amount '00' " LEADING_ZERO_TEXT " 0"},
	{"site.yml", SITE("page_size: %s\n"), "050", 3, 12,
	 "page_size '050' " LEADING_ZERO_OCTAL("050", "40", "50")},
	{"site.yml", SITE("page_size: %s\n"), "000", 3, 12,
	 "page_size must be a whole number from 10 to 1000, the institutions "
	 "one network, country or elective page lists, not '000': write "
	 "page_size: 10, or leave it out for 100"},
	{"site.yml", SITE("max_file_size: %s\n"), "05 MB", 3, 16,
	 "max_file_size '05 MB' " LEADING_ZERO_TEXT " 5 MB"},
	/* 100 MB is past the most, 64 MB */
	{"site.yml", SITE("max_file_size: %s\n"), "0100 MB", 3, 16,
	 "max_file_size must be a size in decimal digits such as 5 MB, 500 KB "
	 "or 65536 (bytes), more than 0 and at most 64 MB, not '0100 MB'"},
	{"site.yml", SITE("map:\n  simplify: %s\n"), "00.5", 4, 13,
	 "simplify '00.5' " LEADING_ZERO_DECIMAL " 0.5"},
	{"site.yml", SITE("map:\n  simplify: %s\n"), "00", 4, 13,
	 "simplify must be a number greater than 0 and at most 1, not 00: "
	 "write the share of border detail to keep, such as 0.5, or leave it "
	 "out"},
	{"content/pages/about.md", "---\ntitle: About\nmenu: %s\n---\n", "-02",
	 3, 7, "menu '-02' " LEADING_ZERO_TEXT " -2"},
	/* YAML's other ways to write a number, which the pages would show
	 * as written: told with the decimal they are */
	{INST_FILE, INST("[%s, 32.5761]", ""), "1.469e1", 5, 12,
	 "latitude '1.469e1' has an exponent: numbers are written in plain "
	 "decimal digits; write 14.69"},
	{INST_FILE, ELECTIVE("capacity: %s"), "1e3", 8, 40,
	 "capacity '1e3' has an exponent: numbers are written in plain "
	 "decimal digits; write 1000"},
	{INST_FILE, ELECTIVE("capacity: %s"), "+12", 8, 40,
	 "capacity '+12' has a plus sign: numbers are written in plain "
	 "decimal digits; write 12"},
	{"site.yml", SITE("map:\n  simplify: %s\n"), "5e-1", 4, 13,
	 "simplify '5e-1' has an exponent: numbers are written in plain "
	 "decimal digits; write 0.5"},
	/* a number in quotes, which YAML reads as text: said so, in every
	 * field that takes numbers alone */
	{"site.yml", SITE("page_size: %s\n"), "\"20\"", 3, 12,
	 "page_size '20' is text in quotes: write the number without them"},
	{"site.yml", SITE("map:\n  simplify: %s\n"), "'0.5'", 4, 13,
	 "simplify '0.5' is text in quotes: write the number without them"},
	{"content/pages/about.md", "---\ntitle: About\nmenu: %s\n---\n", "\"-2\"",
	 3, 7, "menu '-2' is text in quotes: write the number without them"},
	{INST_FILE, ELECTIVE("fee: {amount: %s, currency: EUR}"), "\"150\"", 8,
	 44, "amount '150' is text in quotes: write the number without them"},
	{INST_FILE, INST("[%s, 32.5761]", ""), "\"14.69\"", 5, 12,
	 "latitude '14.69' is text in quotes: write the number without them"},
	{INST_FILE, ELECTIVE("capacity: %s"), "'7'", 8, 40,
	 "capacity '7' is text in quotes: write the number without them"},
	/* both mistakes, told as one fix (not the leading zero's YAML
	 * readers, who read text alike, and then the quotes) */
	{INST_FILE, ELECTIVE("capacity: %s"), "\"06\"", 8, 40,
	 "capacity '06' is text in quotes: write 6, without them and without "
	 "the leading zero"},
	/* quoted, and out of range once unquoted: what the field takes, in
	 * the same message (each was told the quotes, then the range) */
	{"site.yml", SITE("map:\n  simplify: %s\n"), "\"05\"", 4, 13,
	 "simplify '05' is text in quotes, and 5 is not a number greater than "
	 "0 and at most 1 either: write one such number, without the quotes"},
	{INST_FILE, ELECTIVE("capacity: %s"), "'00'", 8, 40,
	 "capacity '00' is text in quotes, and 0 is not a whole number from 1 "
	 "to 10000 either: write one such number, without the quotes"},
	{INST_FILE, ELECTIVE("capacity: %s"), "\"-1\"", 8, 40,
	 "capacity '-1' is text in quotes, and -1 is not a whole number from 1 "
	 "to 10000 either: write one such number, without the quotes"},
	{INST_FILE, ELECTIVE("capacity: %s"), "'010001'", 8, 40,
	 "capacity '010001' is text in quotes, and 10001 is not a whole number "
	 "from 1 to 10000 either: write one such number, without the quotes"},
	{"site.yml", SITE("page_size: %s\n"), "\"5\"", 3, 12,
	 "page_size '5' is text in quotes, and 5 is not a whole number from 10 "
	 "to 1000 either: write one such number, without the quotes"},
	{INST_FILE, INST("[%s, 36]", ""), "\"91\"", 5, 12,
	 "latitude '91' is text in quotes, and 91 is not a number of degrees "
	 "from -90 to 90 either: write one such number, without the quotes"},
	{"content/pages/about.md", "---\ntitle: About\nmenu: %s\n---\n",
	 "'2.5'", 3, 7, "menu '2.5' is text in quotes, and 2.5 is not a whole "
	 "number from -1000000 to 1000000 either: write one such number, "
	 "without the quotes"},
	{INST_FILE, ELECTIVE("fee: {amount: %s, currency: EUR}"), "\"-5\"", 8,
	 44, "amount '-5' is text in quotes, and -5 is not an amount from 0 to "
	 "1000000000 in decimal digits either: write one such number, without "
	 "the quotes"},
	/* hexadecimal, octal, binary: numbers to YAML 1.2's core schema,
	 * text to its JSON schema and to partnermap; told the decimal */
	{"site.yml", SITE("page_size: %s\n"), "0x14", 3, 12,
	 "page_size '0x14' is hexadecimal: numbers are written in plain "
	 "decimal digits; write 20"},
	{INST_FILE, ELECTIVE("capacity: %s"), "0o10", 8, 40,
	 "capacity '0o10' is octal: numbers are written in plain decimal "
	 "digits; write 8"},
	{INST_FILE, ELECTIVE("fee: {amount: %s, currency: EUR}"), "0b101", 8,
	 44, "amount '0b101' is binary: numbers are written in plain decimal "
	 "digits; write 5"},
	/* past the field's bounds: its own error */
	{INST_FILE, ELECTIVE("capacity: %s"), "0x10000", 8, 40,
	 "capacity must be the number of places a year, a whole number from "
	 "1 to 10000, not '0x10000'"},
	/* 1e5 places is past the most: the field's own error */
	{INST_FILE, ELECTIVE("capacity: %s"), "1e5", 8, 40,
	 "capacity must be the number of places a year, a whole number from "
	 "1 to 10000, not '1e5'"},
};

/* A fresh site holding rel's text with value in it: *f, loaded. */
static void load_with(site_fixture **f, const char *rel, const char *text,
		      const char *value)
{
	static const char *const files[] = {
		"site.yml", SITE(""), "content/networks/global.md",
		"---\nname: Global\nkind: global\n---\n", INST_FILE,
		INST("[0.3383, 32.5761]", ""), NULL};
	if (*f)
		site_fixture_free(*f);
	void *state;
	assert_int_equal(site_fixture_setup(&state, "pm-numbers", files), 0);
	*f = state;
	buf_t b = BUF_INIT;
	buf_printf(&b, text, value);
	site_put(*f, rel, buf_cstr(&b));
	buf_free(&b);
	site_load(&(*f)->s, (*f)->dir, &(*f)->d);
}

/* The value msg asks to write ("…; write 4-8 weeks", "…; write 1000,
 * without the comma"), fresh; NULL when it asks for none. */
static char *fix_in(const char *msg)
{
	const char *at = strstr(msg, "; write ");
	if (!at)
		return NULL;
	at += strlen("; write ");
	const char *end = strstr(at, ", without");
	return xstrndup(at, end ? (size_t)(end - at) : strlen(at));
}

static void test_each_number_and_its_fix(void **state)
{
	(void)state;
	site_fixture *f = NULL;
	for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
		const struct number *n = &numbers[i];
		load_with(&f, n->rel, n->text, n->value);
		if (f->d.n != 1 || f->d.v[0].level != DIAG_ERROR ||
		    f->d.v[0].line != n->line || f->d.v[0].col != n->col ||
		    strcmp(f->d.v[0].msg, n->msg) ||
		    strcmp(f->d.v[0].path, n->rel)) {
			diags_print(&f->d, stderr);
			fail_msg("%s: expected %s:%d:%d: %s", n->value, n->rel,
				 n->line, n->col, n->msg);
		}
		char *fix = fix_in(n->msg);
		if (!fix)
			continue;
		load_with(&f, n->rel, n->text, fix);
		if (f->d.n) {
			diags_print(&f->d, stderr);
			fail_msg("the fix '%s' for '%s' is refused", fix,
				 n->value);
		}
		free(fix);
	}
	site_fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_number_and_its_fix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
