/* test_frontmatter.c - splitting files and reading YAML and JSON front
 * matter, with the line and column of every value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "load/frontmatter.h"
#include "util/buf.h"
#include "util/diag.h"

/* Each test parses one text into doc, collecting messages into d. */
typedef struct fixture {
	fm_doc doc;
	diags_t d;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	free(f);
	return 0;
}

static int parse(fixture *f, const char *text, size_t len)
{
	return fm_parse(text, len, "x.md", &f->doc, &f->d);
}

static int parse_str(fixture *f, const char *text)
{
	return parse(f, text, strlen(text));
}

static const fm_node *get(const fm_node *map, const char *key)
{
	const fm_node *v = fm_get(map, key);
	if (!v)
		fail_msg("no key '%s'", key);
	return v;
}

static void assert_at(const fm_node *v, int line, int col)
{
	if (v->line != line || v->col != col)
		fail_msg("value '%s' at %d:%d, expected %d:%d",
			 v->text ? v->text : "(collection)", v->line, v->col,
			 line, col);
}

/* The one error of a failed parse, checked for place and text. */
/* A front matter and the one message it gets: where, and its words. */
typedef struct msg_case {
	const char *yaml;
	int line, col;
	const char *msg;
} msg_case;

static void assert_only_error(const fixture *f, int line, int col,
			      const char *needle)
{
	if (f->d.n != 1 || f->d.errors != 1) {
		diags_print(&f->d, stderr);
		fail_msg("expected exactly one error, got %zu messages", f->d.n);
	}
	const diag_t *x = &f->d.v[0];
	assert_string_equal(x->path, "x.md");
	if (x->line != line || x->col != col || !strstr(x->msg, needle))
		fail_msg("got %d:%d '%s', expected %d:%d '%s'", x->line, x->col,
			 x->msg, line, col, needle);
}

static void test_yaml_values_and_positions(void **state)
{
	fixture *f = *state;
	const char *text =
		"---\n"
		"name: Makerere University\n"
		"country: NO\n"
		"location: [0.3383, 32.5761]\n"
		"networks:\n"
		"  - global\n"
		"  - \"africa\"\n"
		"joined: 2019-04-01\n"
		"draft: false\n"
		"quoted: \"12\"\n"
		"empty:\n"
		"---\n"
		"Body *text*.\n";
	assert_int_equal(parse_str(f, text), 0);
	assert_int_equal(f->d.n, 0);
	const fm_node *root = &f->doc.root;
	assert_int_equal(root->type, FM_MAP);
	assert_int_equal(root->n, 8);

	const fm_node *name = get(root, "name");
	assert_int_equal(name->type, FM_STRING);
	assert_string_equal(name->text, "Makerere University");
	assert_at(name, 2, 7);
	assert_int_equal(name->key_line, 2);
	assert_int_equal(name->key_col, 1);

	/* YAML 1.1 would make this false; the text survives for country */
	const fm_node *country = get(root, "country");
	assert_int_equal(country->type, FM_BOOL);
	assert_string_equal(country->text, "NO");

	const fm_node *loc = get(root, "location");
	assert_int_equal(loc->type, FM_SEQ);
	assert_at(loc, 4, 11);
	assert_int_equal(loc->n, 2);
	assert_int_equal(loc->kids[0].type, FM_NUMBER);
	assert_double_eq(loc->kids[0].num, 0.3383);
	assert_at(&loc->kids[0], 4, 12);
	assert_at(&loc->kids[1], 4, 20);
	assert_string_equal(loc->kids[1].text, "32.5761");

	const fm_node *nets = get(root, "networks");
	assert_int_equal(nets->n, 2);
	assert_at(&nets->kids[0], 6, 5);
	assert_at(&nets->kids[1], 7, 5);
	assert_string_equal(nets->kids[1].text, "africa");
	assert_int_equal(nets->kids[1].type, FM_STRING);

	const fm_node *joined = get(root, "joined");
	assert_int_equal(joined->type, FM_STRING);
	assert_string_equal(joined->text, "2019-04-01");
	assert_at(joined, 8, 9);

	const fm_node *draft = get(root, "draft");
	assert_int_equal(draft->type, FM_BOOL);
	assert_int_equal(draft->truth, 0);

	assert_int_equal(get(root, "quoted")->type, FM_STRING);
	assert_int_equal(get(root, "empty")->type, FM_NULL);

	assert_int_equal(f->doc.line, 1);
	assert_int_equal(f->doc.col, 1);
	assert_int_equal(f->doc.body_len, strlen("Body *text*.\n"));
	assert_memory_equal(f->doc.body, "Body *text*.\n", f->doc.body_len);
}

static void test_yaml_columns_count_characters(void **state)
{
	fixture *f = *state;
	/* "é" is two bytes but one column, as editors show it */
	assert_int_equal(parse_str(f, "---\ncity: [Yaoundé, Abidjan]\n---\n"),
			 0);
	const fm_node *city = get(&f->doc.root, "city");
	assert_at(&city->kids[1], 2, 17);
}

/* fm_col_at: a place inside a value written as it is, plain or quoted,
 * after characters of two bytes; the value's own column when escapes or
 * a fold make the text differ from what is written. */
static void test_columns_inside_a_value(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\n"
				   "a: Yaound\xC3\xA9 +b=1\n"
				   "b: \"x +b=1\"\n"
				   "c: 'it''s +b=1'\n"
				   "d: \"\\t +b=1\"\n"
				   "e: one\n  two +b=1\n"
				   "---\n"), 0);
	const fm_node *root = &f->doc.root;
	/* "Yaoundé " is 9 bytes, 8 characters: +b at column 4 + 8 */
	assert_int_equal(fm_col_at(get(root, "a"), 9), 12);
	assert_int_equal(fm_col_at(get(root, "b"), 2), 7);
	assert_int_equal(fm_col_at(get(root, "c"), 0), 4);
	assert_int_equal(fm_col_at(get(root, "c"), 5), 4);
	assert_int_equal(fm_col_at(get(root, "d"), 2), 4);
	assert_int_equal(fm_col_at(get(root, "e"), 8), 4);
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, "{\"a\": \"x +b\", \"b\": \"\\u0041 +b\"}\n"), 0);
	assert_int_equal(fm_col_at(get(&f->doc.root, "a"), 2), 10);
	assert_int_equal(fm_col_at(get(&f->doc.root, "b"), 2), 20);
}

/* A line starting with a dash below a plain value is more of the
 * value's text to YAML ("medicine - nursing"): meant as a list item, it
 * is an error at the dash, the value marked and the rest still read. */
static void test_item_folded_into_a_value(void **state)
{
	fixture *f = *state;
	static const msg_case cases[] = {
		{"professions: medicine\n  - nursing\ncity: K\n", 3, 3,
		 "this list item follows 'professions' on line 2, which already "
		 "has a value, and YAML reads it as more of that value's text: a "
		 "list goes on the lines below its key written alone "
		 "(professions:), or in brackets after it ([a, b])"},
		{"professions:\n  - medicine\n    - nursing\ncity: K\n", 4, 5,
		 "this list item is indented more than the one on line 3, and "
		 "YAML reads it as more of that item's text: start its dash in "
		 "column 3, like line 3"},
		/* a field of one text, which no list fits: the dash as text */
		{"housing: Rooms in the hostel\n  - 10 minutes away\ncity: K\n",
		 3, 3, "this line starts with a dash, and YAML reads it as more "
		 "of the text of 'housing' on line 2, which holds one text, not a "
		 "list: if the dash is part of the text, put the whole value in "
		 "quotes: housing: \"Rooms in the hostel - 10 minutes away\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_t text = BUF_INIT;
		buf_printf(&text, "---\n%s---\nBody\n", cases[i].yaml);
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, buf_cstr(&text)), FM_FLAWED);
		if (f->d.n != 1 || strcmp(f->d.v[0].msg, cases[i].msg) ||
		    f->d.v[0].line != cases[i].line || f->d.v[0].col != cases[i].col) {
			diags_print(&f->d, stderr);
			fail_msg("case %zu: expected %d:%d '%s'", i, cases[i].line,
				 cases[i].col, cases[i].msg);
		}
		assert_string_equal(get(&f->doc.root, "city")->text, "K");
		buf_free(&text);
	}
	/* a dash inside the text, or a value folded on purpose, is text */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, "---\nname: A - B\nintro: one\n  two - three\n---\n"), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_crlf_and_bom(void **state)
{
	fixture *f = *state;
	const char *text = "\xEF\xBB\xBF---\r\n"
			   "name: A\r\n"
			   "location: [1.5, -2]\r\n"
			   "---\r\n"
			   "Body\r\n";
	assert_int_equal(parse_str(f, text), 0);
	const fm_node *name = get(&f->doc.root, "name");
	assert_string_equal(name->text, "A");
	assert_at(name, 2, 7);
	const fm_node *loc = get(&f->doc.root, "location");
	assert_at(&loc->kids[0], 3, 12);
	assert_at(&loc->kids[1], 3, 17);
	assert_double_eq(loc->kids[1].num, -2);
	assert_int_equal(f->doc.body_len, 6);
	assert_memory_equal(f->doc.body, "Body\r\n", 6);
}

static void test_crlf_error_position(void **state)
{
	fixture *f = *state;
	const char *text = "---\r\nname: A\r\ncity: B: C\r\n---\r\n";
	assert_int_equal(parse_str(f, text), -1);
	assert_only_error(f, 3, 8, "a colon and a space inside a value make "
			  "YAML read a second key: put the value in quotes: "
			  "city: \"B: C\"");
}

static void test_closing_dots(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\ntitle: T\n...\nBody"), 0);
	assert_string_equal(get(&f->doc.root, "title")->text, "T");
	assert_int_equal(f->doc.body_len, 4);
}

static void test_json_front_matter(void **state)
{
	fixture *f = *state;
	const char *text =
		"\n"
		"{\n"
		"  \"name\": \"Mengo {Hospital}\",\n"
		"  \"location\": [0.3041, 32.5636],\n"
		"  \"networks\": [\"africa\"], \"draft\": false,\n"
		"  \"note\": \"é\", \"n\": -1.5e2, \"none\": null\n"
		"}  \n"
		"The body.\n";
	assert_int_equal(parse_str(f, text), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->doc.line, 2);
	assert_int_equal(f->doc.col, 1);
	const fm_node *root = &f->doc.root;
	assert_int_equal(root->n, 7);
	const fm_node *name = get(root, "name");
	assert_string_equal(name->text, "Mengo {Hospital}");
	assert_int_equal(name->key_line, 3);
	assert_int_equal(name->key_col, 3);
	assert_at(name, 3, 11);
	const fm_node *loc = get(root, "location");
	assert_at(loc, 4, 15);
	assert_at(&loc->kids[0], 4, 16);
	assert_at(&loc->kids[1], 4, 24);
	assert_string_equal(loc->kids[1].text, "32.5636");
	assert_double_eq(loc->kids[1].num, 32.5636);
	const fm_node *draft = get(root, "draft");
	assert_int_equal(draft->type, FM_BOOL);
	assert_int_equal(draft->key_col, 27);
	assert_at(draft, 5, 36);
	/* columns after a two-byte character */
	const fm_node *n = get(root, "n");
	assert_int_equal(n->key_col, 16);
	assert_at(n, 6, 21);
	assert_double_eq(n->num, -150);
	assert_int_equal(get(root, "none")->type, FM_NULL);
	assert_int_equal(f->doc.body_len, strlen("The body.\n"));
	assert_memory_equal(f->doc.body, "The body.\n", f->doc.body_len);
}

static void test_json_syntax_error(void **state)
{
	fixture *f = *state;
	const char *text = "{\n  \"name\": \"A\",\n  \"city\" \"B\"\n}\nbody";
	assert_int_equal(parse_str(f, text), -1);
	assert_only_error(f, 3, 10, "expected ':' after the key 'city'");
}

static void test_json_unterminated(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "  {\"name\": \"}\"\nbody\n"), -1);
	assert_only_error(f, 1, 3, "unterminated JSON front matter (no closing "
			  "}): end the object with } on a line before the text");
}

static void test_duplicate_key_on_one_line(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nm: {a: 1, b: 2, a: 3}\n---\n"),
			 FM_FLAWED);
	assert_only_error(f, 2, 17, "duplicate key 'a' (first at column 5 "
			  "of this line): keep one of the two");
}

static void test_json_duplicate_key(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}\n"),
			 FM_FLAWED);
	assert_only_error(f, 3, 2, "duplicate key 'a' (first at line 1): keep "
			  "one of the two lines");
	/* the rest is read: the repeat is marked, its readers take the first */
	assert_int_equal(f->doc.flawed, 1);
	assert_int_equal(f->doc.root.n, 3);
	assert_int_equal(f->doc.root.kids[0].said, 0);
	assert_int_equal(f->doc.root.kids[1].said, 0);
	assert_int_equal(f->doc.root.kids[2].said, 1);
	assert_string_equal(get(&f->doc.root, "a")->text, "1");
}

static void test_unterminated(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nname: A\n\nBody text\n"), -1);
	assert_only_error(f, 1, 1, "unterminated front matter (no closing ---): "
			  "end the fields with a line of three dashes, ---, "
			  "before the text");
	assert_int_equal(f->doc.root.n, 0);
}

static void test_yaml_syntax_error(void **state)
{
	fixture *f = *state;
	const char *text = "---\nname: A\nlocation: [1, 2\ncity: B\n---\n";
	assert_int_equal(parse_str(f, text), -1);
	/* libyaml notices the missing ']' where the next key begins; the
	 * message points at the '[' that is never closed */
	assert_only_error(f, 3, 11, "the list opened here with [ is not "
			  "closed: end it with ]");
}

static void test_tab_indentation_error(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nnetworks:\n\t- a\n---\n"), -1);
	assert_only_error(f, 3, 1, "YAML does not allow tabs for indentation: "
			  "indent with spaces");
}

/* libyaml's words for the common mistakes, made plain, at the line and
 * column of the mistake (the text is the front matter, from line 2). */
static const msg_case plain_cases[] = {
	{"name: A\nmap:\n  a: 1\n\tb: 2\n", 5, 1,
	 "YAML does not allow tabs for indentation: indent with spaces"},
	{"name: Faculty of Medicine: Mbarara\n", 2, 26,
	 "a colon and a space inside a value make YAML read a second key: "
	 "put the value in quotes: name: \"Faculty of Medicine: Mbarara\""},
	{"name: A: B \"q\" \\ # note\n", 2, 8,
	 "a colon and a space inside a value make YAML read a second key: "
	 "put the value in quotes: name: \"A: B \\\"q\\\" \\\\\""},
	/* noticed on the next line, or at the end: shown where it is */
	{"name: A\ncity:Kampala\ncountry: UG\n", 3, 5,
	 "put a space after the colon: city: Kampala"},
	{"name: A\ncity:Kampala\n", 3, 5,
	 "put a space after the colon: city: Kampala"},
	{"website:https://example.org/\nname: A\n", 2, 8,
	 "put a space after the colon: website: https://example.org/"},
	/* a blank YAML does not take for one: a plain space in its place */
	{"name: A\ncity:\xc2\xa0Kampala\n", 3, 6,
	 "the no-break space (U+00A0) after the colon is no space to YAML: "
	 "put a plain space in its place: city: Kampala"},
	{"name: A\ncity:\xe3\x80\x80" "Kampala\n", 3, 6,
	 "the ideographic space (U+3000) after the colon is no space to "
	 "YAML: put a plain space in its place: city: Kampala"},
	{"name\ncity: K\n", 2, 1,
	 "this line has no colon: write it as 'key: value' (or '- value' for "
	 "an item of a list)"},
	{"name: \"Makerere\ncity: K\n", 2, 7,
	 "the quote (\") that opens this value is never closed: end the value "
	 "with \""},
	{"name: 'Makerere\n", 2, 7,
	 "the quote (') that opens this value is never closed: end the value "
	 "with '"},
	{"networks: [global, africa\ncity: K\n", 2, 11,
	 "the list opened here with [ is not closed: end it with ]"},
	{"map: {a: 1\ncity: K\n", 2, 6,
	 "the mapping opened here with { is not closed: end it with }"},
	/* a line that goes on an item and holds ": ", or a key with no
	 * comma before it, deeper than the bracket's line: not "not
	 * closed", which it is, on that line */
	{"contacts: {name: Dr A, role: Royal Test\n  Hospital: x}\n", 3, 3,
	 "in the mapping opened with { on line 2, this line goes on the "
	 "value on line 2, and its colon and space make YAML read a key: put "
	 "the value in quotes: role: \"Royal Test Hospital: x\""},
	{"topics: [med,\n  Royal Test\n  Hospital: x]\n", 4, 3,
	 "in the list opened with [ on line 2, this line goes on the item on "
	 "line 3, and its colon and space make YAML read a key: put the item "
	 "in quotes: \"Royal Test Hospital: x\""},
	{"contacts: {name: Dr A, role: Royal Test\n  hospital: x}\n", 3, 3,
	 "in the mapping opened with { on line 2, this line goes on the "
	 "value on line 2, and its colon and space make YAML read a key: put "
	 "the value in quotes: role: \"Royal Test hospital: x\""},
	{"contacts: {name: Dr A\n  role: x}\n", 3, 3,
	 "in the mapping opened with { on line 2, line 2 ends with no comma, "
	 "so the key 'role' on this line is read as part of the value before "
	 "it: end line 2 with a comma"},
	/* a '#' right after a bracket or a comma starts a comment too */
	{"topics: [#2 nursing]\n", 2, 9,
	 "the list opened here with [ is not closed: the ] after '#' on this "
	 "line is read as part of a YAML comment, which starts at the '#', "
	 "after a bracket or a comma: put the item that holds the # in "
	 "quotes: \"#2 nursing\""},
	{"topics: [med,#2 nursing]\n", 2, 9,
	 "the list opened here with [ is not closed: the ] after '#' on this "
	 "line is read as part of a YAML comment, which starts at the '#', "
	 "after a bracket or a comma: put the item that holds the # in "
	 "quotes: \"#2 nursing\""},
	/* a comma with no item before it: a comment hid the item, or the
	 * comma is one too many */
	{"topics: [med,\n  #2 nursing\n  , pharmacy]\n", 4, 3,
	 "in the list opened with [ on line 2, this comma has no item before "
	 "it: the # on line 3 starts a YAML comment, which hides '#2 "
	 "nursing': if it is an item, put it in quotes: \"#2 nursing\""},
	{"topics: [a,, b]\n", 2, 12,
	 "in the list opened with [ on line 2, this comma has no item before "
	 "it: delete it"},
	/* a note of words there: the comma left out before it first */
	{"topics: [med  # main\n  nursing]\n", 2, 9,
	 "in the list opened here with [, the # on line 2 starts a YAML "
	 "comment, which ends the item there, and line 3 goes on without a "
	 "comma before it: if the # starts a note, end the item with a comma "
	 "before it (med, #...); to keep the # and that text in the item, put "
	 "it in quotes: \"med  # main nursing\""},
	/* open at the very end: libyaml stops on the line after, looking
	 * for the next value; the bracket left open is told, the innermost */
	{"city: K\nnetworks: [\n", 3, 11,
	 "the list opened here with [ is not closed: end it with ]"},
	{"networks: [global, \n", 2, 11,
	 "the list opened here with [ is not closed: end it with ]"},
	{"a: {b: 1, c: [x, 'it''s [', \"]\" # ]\n", 2, 14,
	 "the list opened here with [ is not closed: end it with ]"},
	/* a plain value starting with an indicator: quotes are the fix */
	{"housing: [Provisional] Royal College\n", 2, 24,
	 "a value that starts with [ is read as a list, which no text may "
	 "follow: if it is text, put it in quotes: housing: \"[Provisional] "
	 "Royal College\""},
	{"housing: {a} b\n", 2, 14,
	 "a value that starts with { is read as a mapping, which no text may "
	 "follow: if it is text, put it in quotes: housing: \"{a} b\""},
	{"housing: * Royal\n", 2, 10,
	 "a value cannot start with * unless it is in quotes: housing: "
	 "\"* Royal\""},
	/* a value over lines that a comment ends: not a key out of line */
	{"housing: Rooms #2 in the\n  hostel, near\n  the gate\ncity: K\n", 3,
	 3, "this line goes on with the value on line 2, but the # on line 2 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"Rooms "
	 "#2 in the hostel, near the gate\"; if the # starts a note, not text, "
	 "move the note above line 2"},
	{"housing: Rooms\n  #2 in the\n  hostel\n", 4, 3,
	 "this line goes on with the value on line 2, but the # on line 3 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"Rooms "
	 "#2 in the hostel\"; if the # starts a note, not text, move the note "
	 "above line 2"},
	{"housing: Rooms\n# a note\n  hostel\n", 4, 3,
	 "this line goes on with the value on line 2, but the comment on line "
	 "3 ends the value: move the comment above line 2"},
	/* the value below its key; an item's; a tab, as its escape */
	{"housing:\n  Rooms #2 in the\n  hostel\n", 4, 3,
	 "this line goes on with the value on line 3, but the # on line 3 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"Rooms "
	 "#2 in the hostel\"; if the # starts a note, not text, move the note "
	 "above line 2"},
	{"professions:\n  - medicine #2 in the\n    world\n", 4, 5,
	 "this line goes on with the value on line 3, but the # on line 3 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: - \"medicine #2 "
	 "in the world\"; if the # starts a note, not text, move the note "
	 "above line 3"},
	{"housing: Rooms\t#2 in the\n  hostel\n", 3, 3,
	 "this line goes on with the value on line 2, but the # on line 2 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: "
	 "\"Rooms\\t#2 in the hostel\"; if the # starts a note, not text, "
	 "move the note above line 2"},
	/* a quoted value with text on the line below: into the quotes */
	{"housing: \"Rooms\"\n  hostel\n", 3, 3,
	 "this line goes on with the value on line 2, which ends at its "
	 "closing quote: put all the value's text inside the quotes: housing: "
	 "\"Rooms hostel\""},
	{"housing: \"Rooms\" #2 in the\n  hostel\n", 3, 3,
	 "this line goes on with the value on line 2, which ends at its "
	 "closing quote: put all the value's text inside the quotes: housing: "
	 "\"Rooms #2 in the hostel\"; if the # starts a note, not text, move "
	 "the note above line 2"},
	/* no rewrite that would read back otherwise */
	{"housing: 'it''s'\n  hostel\n", 3, 3,
	 "this line goes on with the value on line 2, which ends at its "
	 "closing quote: put all the value's text inside the quotes"},
	/* an apostrophe in a word opens no quote: the comment is found */
	{"professions: [women's #1 choice, men's health]\n", 2, 14,
	 "the list opened here with [ is not closed: the , after '#' on this "
	 "line is read as part of a YAML comment, which starts at ' #': put "
	 "the item that holds the # in quotes: \"women's #1 choice\""},
	/* an item's alias over lines; a dash before a value a comment
	 * follows, or text below, or a tab: nothing lost, nothing garbled */
	{"professions:\n  - *Royal\n    Hall\n", 3, 5,
	 "a value cannot start with * unless it is in quotes: - \"*Royal "
	 "Hall\""},
	{"local_name: - Royal #2\n", 2, 13,
	 "a list cannot start on the line of its key: put each '- item' on a "
	 "line of its own below"},
	{"local_name: - Royal\n  Hall\n", 2, 13,
	 "a list cannot start on the line of its key: put each '- item' on a "
	 "line of its own below"},
	{"local_name: - Royal\tHall\n", 2, 13,
	 "a list cannot start on the line of its key: for a list, write "
	 "local_name: [\"Royal\\tHall\"] or put each '- item' on a line of its "
	 "own below; for one value, leave out the dash: local_name: "
	 "\"Royal\\tHall\""},
	/* an alias, then text: one error, the quotes (not also "aliases
	 * are not allowed", nor libyaml's "did not find expected key") */
	{"housing: *Royal Hall\n", 2, 10,
	 "a value cannot start with * unless it is in quotes: housing: "
	 "\"*Royal Hall\""},
	{"name: A\nhousing: *Royal Hall\ncity: K\n", 3, 10,
	 "a value cannot start with * unless it is in quotes: housing: "
	 "\"*Royal Hall\""},
	{"name: *Royal\n  Hall\ncity: K\n", 2, 7,
	 "a value cannot start with * unless it is in quotes: name: \"*Royal "
	 "Hall\""},
	{"professions: [nursing, *med icine]\n", 2, 24,
	 "a value cannot start with * unless it is in quotes: professions: "
	 "[nursing, \"*med icine\"]"},
	{"housing: & Royal\n", 2, 10,
	 "a value cannot start with & unless it is in quotes: housing: "
	 "\"& Royal\""},
	{"topics:\n  - > x\n", 3, 5,
	 "a value cannot start with > unless it is in quotes: - \"> x\"; for "
	 "a block of text, write > alone after the key and the text on the "
	 "lines below it, indented"},
	/* an item of a [list] or {mapping}: the line, that item quoted */
	{"professions: [medicine, @nursing]\n", 2, 25,
	 "a value cannot start with @ unless it is in quotes: professions: "
	 "[medicine, \"@nursing\"]"},
	{"contact: {name: & Royal Hall, role: x}\n", 2, 17,
	 "a value cannot start with & unless it is in quotes: contact: {name: "
	 "\"& Royal Hall\", role: x}"},
	/* closed after a ' #', which starts a comment */
	/* over lines: the comma the comment takes */
	{"professions: [\n  medicine #1,\n  nursing\n]\n", 2, 14,
	 "the list opened here with [ is not closed: the , after '#' on line "
	 "3 is read as part of a YAML comment, which starts at ' #': put the "
	 "item that holds the # in quotes: \"medicine #1\""},
	{"networks: [africa, global #1]\n", 2, 11,
	 "the list opened here with [ is not closed: the ] after '#' on this "
	 "line is read as part of a YAML comment, which starts at ' #': put "
	 "the item that holds the # in quotes: \"global #1\""},
	/* a # in quotes before it is text, not the comment */
	{"professions: [\"medicine #2\", nursing #2 and midwifery]\n", 2, 14,
	 "the list opened here with [ is not closed: the ] after '#' on this "
	 "line is read as part of a YAML comment, which starts at ' #': put "
	 "the item that holds the # in quotes: \"nursing #2 and midwifery\""},
	/* over lines: the comment ends the item, the next line goes on */
	{"professions: [medicine,\n  nursing #2 and\n  midwifery]\n", 2, 14,
	 "in the list opened here with [, the # on line 3 starts a YAML "
	 "comment, which ends the item there, and line 4 goes on without a "
	 "comma before it: to keep the # and that text in the item, put it in "
	 "quotes: \"nursing #2 and midwifery\""},
	{"electives:\n  - {type: clinical, requirements: Final #1 year\n"
	 "      students}\n", 3, 5,
	 "in the mapping opened here with {, the # on line 3 starts a YAML "
	 "comment, which ends the value there, and line 4 goes on without a "
	 "comma before it: to keep the # and that text in the value, put it in "
	 "quotes: \"Final #1 year students\""},
	{"fee: {note: Room #4, amount: 5}\n", 2, 6,
	 "the mapping opened here with { is not closed: the , after '#' on "
	 "this line is read as part of a YAML comment, which starts at ' #': "
	 "put the value that holds the # in quotes: \"Room #4\""},
	{"networks:\n  - global\n - africa\n", 4, 2,
	 "this list item is not lined up with the one on line 3: start its "
	 "dash in column 3"},
	{"networks:\n  - global\n  africa\ncity: K\n", 4, 3,
	 "this line is not an item of the list above it: start it with a "
	 "dash and a space: - africa"},
	/* a key indented under an item that holds one value, at any depth */
	{"networks:\n  - global\n    kind: x\n", 4, 5,
	 "this key is indented under the list item on line 3, which holds "
	 "one value (global), not keys: start it in column 1, like "
	 "'networks', or give the item keys, each 'key: value', the first "
	 "after its dash"},
	{"a:\n  b:\n    - x\n      city: 1\n", 5, 7,
	 "this key is indented under the list item on line 4, which holds "
	 "one value (x), not keys: start it in column 3, like 'b', or give "
	 "the item keys, each 'key: value', the first after its dash"},
	/* what is no key of any document: the item's own text */
	{"topics:\n  - Royal Test\n    Hospital: x\n    more\n", 4, 5,
	 "this line goes on the list item on line 3, and its colon and space "
	 "make YAML read a key: put the whole item in quotes: - \"Royal Test "
	 "Hospital: x more\"; if 'Hospital' is a key of its own, start it in "
	 "column 1, like 'topics'"},
	{"topics:\n  - Royal Test\n    Hospital: x #1\n", 4, 5,
	 "this line goes on the list item on line 3, and its colon and space "
	 "make YAML read a key: put the whole item in quotes: - \"Royal Test "
	 "Hospital: x #1\"; if 'Hospital' is a key of its own, start it in "
	 "column 1, like 'topics'"},
	{"topics:\n  - Royal Test\n    Hospital: x # old\n", 4, 5,
	 "this line goes on the list item on line 3, and its colon and space "
	 "make YAML read a key: put the whole item in quotes: - \"Royal Test "
	 "Hospital: x\" # old; if 'Hospital' is a key of its own, start it in "
	 "column 1, like 'topics'"},
	/* a list after a key with a value, with nothing to line up with */
	{"electives:\n  - type: clinical\n    levels: undergraduate\n    - postgraduate\n",
	 5, 5, "this list item follows 'levels' on line 4, which already has a "
	 "value: a list goes on the lines below its key written alone "
	 "(levels:), or in brackets after it ([a, b])"},
	{"electives:\n  - type: clinical\n    levels: [u]\n  capacity: 4\n", 5, 3,
	 "this key is lined up with the dash of the list item on line 3: to "
	 "give it to that item, start it in column 5, like 'type'"},
	{"electives:\n  - type: clinical\n    topics: [u]\n   capacity: 4\n", 5, 4,
	 "this key is lined up with neither the dash nor the keys of the list "
	 "item on line 3: to give it to that item, start it in column 5, like "
	 "'type'"},
	{"exchanges: [a, b]\n - x: y\n", 3, 2,
	 "this list item follows 'exchanges' on line 2, which already has a "
	 "value: a list goes on the lines below its key written alone "
	 "(exchanges:), or in brackets after it ([a, b])"},
	{"name: A\n city: K\n", 3, 2,
	 "this key is indented more than 'name' on line 2, which already has "
	 "a value: start it in column 1, like 'name'"},
	/* no key of a record (a capital, a blank): the value's own text */
	{"name: Royal Test\n  Hospital: Nairobi campus\ncity: K\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal Test Hospital: Nairobi campus\"; if 'Hospital' is a key of "
	 "its own, start it in column 1, like 'name'"},
	/* a comment on a later line of a value over lines: the same */
	{"housing: rooms in the\n  hostel near #3 campus\n  the gate\n", 4, 3,
	 "this line goes on with the value on line 2, but the # on line 3 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"rooms "
	 "in the hostel near #3 campus the gate\"; if the # starts a note, "
	 "not text, move the note above line 2"},
	{"housing: a\n  b\n  #2 c\n  d\n", 5, 3,
	 "this line goes on with the value on line 2, but the # on line 4 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"a b #2 "
	 "c d\"; if the # starts a note, not text, move the note above line 2"},
	/* a blank line does not end a plain value: a line break in it */
	{"housing: a #2 b\n  c\n\n  d\n", 3, 3,
	 "this line goes on with the value on line 2, but the # on line 2 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"a #2 "
	 "b c\\nd\"; if the # starts a note, not text, move the note above "
	 "line 2"},
	{"housing: \"Rooms\"\n  hostel\n\n  more\n", 3, 3,
	 "this line goes on with the value on line 2, which ends at its "
	 "closing quote: put all the value's text inside the quotes: "
	 "housing: \"Rooms hostel\\nmore\""},
	/* so with a list item's value over lines */
	{"topics:\n  - a\n    b #2 c\n    d\n", 5, 5,
	 "this line goes on with the value on line 3, but the # on line 4 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: - \"a b #2 c "
	 "d\"; if the # starts a note, not text, move the note above line 3"},
	/* a '#' and a digit above the value's first line begin it */
	{"housing:\n  #2 rooms\n  in the\n  #3 beds\n  hostel\n", 6, 3,
	 "this line goes on with the value on line 4, but the # on line 3 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"#2 "
	 "rooms in the #3 beds hostel\"; if the # starts a note, not text, "
	 "move the note above line 2"},
	{"housing:\n  # a note\n  in the\n  #3 beds\n  hostel\n", 6, 3,
	 "this line goes on with the value on line 4, but the # on line 5 "
	 "starts a YAML comment, which ends the value: to keep the # and the "
	 "lines below it in the value, put it all in quotes: housing: \"in "
	 "the #3 beds hostel\"; if the # starts a note, not text, move the "
	 "note above line 2"},
	/* a blank line between its lines is a line break in the value */
	{"housing: Rooms near the gate\n\n  Note: bring ID\n", 4, 3,
	 "this line goes on the value of 'housing' on line 2, and its colon "
	 "and space make YAML read a key: put the whole value in quotes: "
	 "housing: \"Rooms near the gate\\nNote: bring ID\"; if 'Note' is a "
	 "key of its own, start it in column 1, like 'housing'"},
	/* a note after it stays a note, after the quotes */
	{"name: Royal Test\n  Hospital: Nairobi campus # the main one\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal Test Hospital: Nairobi campus\" # the main one; if "
	 "'Hospital' is a key of its own, start it in column 1, like 'name'"},
	{"name: Royal Test\n  Hospital: Nairobi campus #3\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal Test Hospital: Nairobi campus #3\"; if 'Hospital' is a key "
	 "of its own, start it in column 1, like 'name'"},
	/* a comment on the key's line ended the value: "#1" is its text,
	 * a note of words stays a note after the quotes */
	{"name: Royal Test #1\n  Hospital: Nairobi\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal Test #1 Hospital: Nairobi\"; if 'Hospital' is a key of its "
	 "own, start it in column 1, like 'name'"},
	{"name: Royal Test # the main one\n  Hospital: Nairobi\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal Test Hospital: Nairobi\" # the main one; if 'Hospital' is "
	 "a key of its own, start it in column 1, like 'name'"},
	/* two notes, or a key a record has: as before */
	{"name: Royal Test # a\n  Hospital: Nairobi # b\n", 3, 3,
	 "this key is not lined up with the keys above it: start it in "
	 "column 1, like line 2"},
	{"name: Royal Test # a\n  city: Nairobi\n", 3, 3,
	 "this key is not lined up with the keys above it: start it in "
	 "column 1, like line 2"},
	/* a comment of a digit after it, on its line or alone below it,
	 * and the value going on: all of it */
	{"name: Royal\n  Hospital: z #2\n  West wing\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal Hospital: z #2 West wing\"; if 'Hospital' is a key of its "
	 "own, start it in column 1, like 'name'"},
	{"name: Royal #1\n  Hospital: z\n  #2 West wing\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal #1 Hospital: z #2 West wing\"; if 'Hospital' is a key of "
	 "its own, start it in column 1, like 'name'"},
	/* too long to repeat: named */
	{"name: Royal Test College of the Health Sciences and of Medicine\n"
	 "  Hospital: Nairobi campus, Kenyatta Avenue, east wing\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes; if "
	 "'Hospital' is a key of its own, start it in column 1, like 'name'"},
	/* a lower-case word that is no key of any document: the value's
	 * text first; one that is, a key out of line */
	{"housing: Rooms near\n  the gate\n  see: the office, room 2\n", 4, 3,
	 "this line goes on the value of 'housing' on line 2, and its colon "
	 "and space make YAML read a key: put the whole value in quotes: "
	 "housing: \"Rooms near the gate see: the office, room 2\"; if 'see' "
	 "is a key of its own, start it in column 1, like 'housing'"},
	{"housing: Rooms near\n  the gate\n  city: Kampala\n", 4, 3,
	 "this key is indented more than 'housing' on line 2, which already "
	 "has a value: start it in column 1, like 'housing'"},
	{"name: Royal Test\n  hospital: Nairobi\n", 3, 3,
	 "this line goes on the value of 'name' on line 2, and its colon and "
	 "space make YAML read a key: put the whole value in quotes: name: "
	 "\"Royal Test hospital: Nairobi\"; if 'hospital' is a key of its "
	 "own, start it in column 1, like 'name'"},
	{"housing: Rooms near\n  The Gate: east\n  and west\n", 3, 3,
	 "this line goes on the value of 'housing' on line 2, and its colon "
	 "and space make YAML read a key: put the whole value in quotes: "
	 "housing: \"Rooms near The Gate: east and west\"; if 'The Gate' is a "
	 "key of its own, start it in column 1, like 'housing'"},
	/* a value in quotes or brackets above: no such fix */
	{"name: \"Royal\"\n  Hospital: x\n", 3, 3,
	 "this key is not lined up with the keys above it: start it in "
	 "column 1, like line 2"},
	{"map:\n   a: 1\n  b: 2\n", 4, 3,
	 "this key is not lined up with the keys above it: start it in column "
	 "4, like line 3"},
	{"name: \"The \"New\" School\"\n", 2, 13,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: name: 'The \"New\" School'"},
	/* a closing quote left out: YAML reads on to the next quote, a
	 * comment's too, and stops after it; the mistake is where the value
	 * opened */
	{"name: X\ncity: \"Mbarara\ncountry: UG\n#  fee: \"What a student pays.\"\n",
	 3, 7, "the quote (\") that opens this value is not closed on its "
	 "line, so the value runs on to the next \", on line 5: end the value "
	 "with \" on this line"},
	{"city: 'Mbarara\nnote: 'x'\n", 2, 7,
	 "the quote (') that opens this value is not closed on its line, so "
	 "the value runs on to the next ', on line 3: end the value with ' on "
	 "this line"},
	/* an apostrophe of an elided word opens the value: a closing quote
	 * would drop it from the text; double quotes keep it */
	{"city: 's-Hertogenbosch\n", 2, 7,
	 "the quote (') that opens this value is never closed: if it is an "
	 "apostrophe of the text, put the value in double quotes: city: "
	 "\"'s-Hertogenbosch\"; else end the value with '"},
	{"city: 't Zand\nnote: 'x'\n", 2, 7,
	 "the quote (') that opens this value is not closed on its line, so "
	 "the value runs on to the next ', on line 3: if it is an apostrophe "
	 "of the text, put the value in double quotes: city: \"'t Zand\"; "
	 "else end the value with ' on this line"},
	/* an apostrophe opens no value meant to span lines, even over
	 * lines indented under its key */
	{"city: 's-Hertogenbosch\n  # 'x'\nnote: y\n", 2, 7,
	 "the quote (') that opens this value is not closed on its line, so "
	 "the value runs on to the next ', on line 3: if it is an apostrophe "
	 "of the text, put the value in double quotes: city: "
	 "\"'s-Hertogenbosch\"; else end the value with ' on this line"},
	{"city: 'Kampala\n", 2, 7,
	 "the quote (') that opens this value is never closed: end the value "
	 "with '"},
	/* a value meant to span lines is no runaway: a key out of line
	 * after it lines up with the keys, not with the value's text */
	{"housing: \"Rooms in the\n  Mulago guest house\"\n bad: x\n", 4, 2,
	 "this key is not lined up with the keys above it: start it in "
	 "column 1, like line 2"},
	{"name: \"A\n  of Health\"x\n", 3, 13,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: name: '\"A of Health\"x'"},
	/* a quote inside a plain value, or in a block scalar's or a plain
	 * value's later lines, is text: no value opens there */
	{"name: Jeroen Bosch Ziekenhuis, 's-Hertogenbosch\ncity: X\n"
	 "housing: 'Rooms' nearby\n", 4, 18,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: \"'Rooms' nearby\""},
	{"notes: |\n  Bring 'ID\ncity: X\nhousing: 'Rooms' nearby\n", 5, 18,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: \"'Rooms' nearby\""},
	{"name: Jeroen Bosch\n  Ziekenhuis, 's-Hertogenbosch\ncity: X\n"
	 "housing: 'Rooms' nearby\n", 5, 18,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: \"'Rooms' nearby\""},
	{"electives:\n  - name: A, 'x\n    note: 'Rooms' nearby\n", 4, 19,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: note: \"'Rooms' nearby\""},
	/* a runaway quote in a list item's mapping takes in keys lined up
	 * with its own key, not only with the dash */
	{"electives:\n  - type: \"clinical\n    duration: 4\n"
	 "    requirements: \"x\"\n", 3, 11,
	 "the quote (\") that opens this value is not closed on its line, so "
	 "the value runs on to the next \", on line 5: end the value with \" "
	 "on this line"},
	/* a value that opens under its key written alone, its lines
	 * indented under the key: meant to span lines */
	{"housing:\n  \"Rooms\n  Note: bring ID\" x\n", 4, 19,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: "
	 "'\"Rooms Note: bring ID\" x'"},
	/* a comment after the text is no part of the value; a # inside
	 * the quotes is */
	{"housing: \"Room #4\" y # c\n", 2, 20,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: '\"Room #4\" y' # c"},
	/* a note of words stays after the quotes; "#2" is text, as
	 * comment-in-value reads it, and kept inside them */
	{"housing: \"Two\" rooms #2 left\n", 2, 16,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: "
	 "'\"Two\" rooms #2 left'"},
	{"housing: \"Two\" rooms #2 left # ask\n", 2, 16,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: "
	 "'\"Two\" rooms #2 left' # ask"},
	/* in a [list], a comment line is one at any indentation */
	{"networks: [a, \"b]\n    # [a, \"b]\nnote: x\n", 2, 15,
	 "the quote (\") that opens this value is not closed on its line, so "
	 "the value runs on to the next \", on line 3: end the value with \" "
	 "on this line"},
	/* a blank line in a quoted value is a line break (YAML 1.2,
	 * 7.3.1), which single quotes cannot write on one line */
	{"housing: \"Rooms\n\n  more\" x\n", 4, 9,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes, or in double quotes with "
	 "\\\" for each quote and \\n for each line break: housing: "
	 "\"\\\"Rooms\\nmore\\\" x\""},
	/* a # in a value's later line, indented under its key, is text */
	{"housing: \"Rooms\n  # 2 beds\n  more\" x\n", 4, 9,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: housing: "
	 "'\"Rooms # 2 beds more\" x'"},
	{"name: 'O'Brien'\n", 2, 10,
	 "text follows the closing quote of this value: a value that holds "
	 "quotes goes in the other kind of quotes: name: \"O'Brien\""},
	{"housing: ? Royal\n", 2, 10,
	 "a value cannot start with ? unless it is in quotes: housing: "
	 "\"? Royal\""},
	{"housing: , Royal\n", 2, 10,
	 "a value cannot start with , unless it is in quotes: housing: "
	 "\", Royal\""},
	/* no [- x]: a dash and a blank are an indicator there too */
	{"networks: - - global\n", 2, 11,
	 "a list cannot start on the line of its key: put each '- item' on a "
	 "line of its own below"},
	{"networks: - global\n", 2, 11,
	 "a list cannot start on the line of its key: for a list, write "
	 "networks: [global] or put each '- item' on a line of its own below; "
	 "for one value, leave out the dash: networks: global"},
	/* an item that is no plain one: in quotes; a mapping's, or more
	 * items below: one line would lose them */
	{"name: - *Royal\n", 2, 7,
	 "a list cannot start on the line of its key: for a list, write "
	 "name: [\"*Royal\"] or put each '- item' on a line of its own below; "
	 "for one value, leave out the dash: name: \"*Royal\""},
	{"name: - Royal: Hall\n", 2, 7,
	 "a list cannot start on the line of its key: put each '- item' on a "
	 "line of its own below"},
	{"networks: - global\n  - africa\n", 2, 11,
	 "a list cannot start on the line of its key: put each '- item' on a "
	 "line of its own below"},
	/* a text field: the one value is offered too */
	{"name: - Royal\n", 2, 7,
	 "a list cannot start on the line of its key: for a list, write "
	 "name: [Royal] or put each '- item' on a line of its own below; for "
	 "one value, leave out the dash: name: Royal"},
	/* in [ ] a comma splits the item, and an open quote stays open:
	 * no such rewrite offered */
	{"networks: - a, b\n", 2, 11,
	 "a list cannot start on the line of its key: put each '- item' on "
	 "a line of its own below"},
	{"housing: - \"x\n", 2, 10,
	 "a list cannot start on the line of its key: put each '- item' on "
	 "a line of its own below"},
	{"name: @home\n", 2, 7,
	 "a value cannot start with @ unless it is in quotes: name: \"@home\""},
	{"name: \"C:\\Users\"\n", 2, 10,
	 "inside double quotes a backslash starts an escape such as \\n or "
	 "\\\", and \\U here is not one: write \\\\ for a backslash, or put "
	 "the value in single quotes"},
	/* a thousands separator inside { } or [ ] splits the number */
	{"fee: {amount: 1,000, currency: EUR}\n", 2, 15,
	 "'1,000' reads as 1 and a key '000': inside { } or [ ] a comma "
	 "separates values; write 1000, without the comma"},
	{"fee: {currency: EUR, amount: 12,500,000.50}\n", 2, 30,
	 "'12,500,000.50' reads as 12 and a key '500': inside { } or [ ] a "
	 "comma separates values; write 12500000.50, without the comma"},
	/* an amount and its currency in a mapping: the key goes on (a
	 * fee's is the fee's to tell: test_a_fee_with_thousands_is_its_text) */
	{"electives: [{type: clinical, cost: 1,000 GBP}]\n", 2, 36,
	 "'1,000 GBP' reads as 1 and a key '000 GBP': inside { } or [ ] a "
	 "comma separates values; write 1000 GBP, without the comma"},
	{"electives: [{type: clinical, cost: 1,000 \xe2\x82\xac}]\n", 2, 36,
	 "'1,000 \xe2\x82\xac' reads as 1 and a key '000 \xe2\x82\xac': "
	 "inside { } or [ ] a comma separates values; write 1000 "
	 "\xe2\x82\xac, without the comma"},
	{"electives: [{places: 1,200}]\n", 2, 22,
	 "'1,200' reads as 1 and a key '200': inside { } or [ ] a comma "
	 "separates values; write 1200, without the comma"},
	{"duration: [x, 1,000]\n", 2, 15,
	 "'1,000' reads as two numbers, 1 and '000': inside { } or [ ] a "
	 "comma separates values; write 1000, without the comma, or put a "
	 "space after the comma for two numbers"},
};

/* A number that ends in its point ("102.", "000.") right after a comma
 * is no group of thousands, and the look at it stays inside the text:
 * it read one byte past "102." (a fuzzer's find). */
static void test_a_point_after_a_comma_is_no_thousands(void **state)
{
	fixture *f = *state;
	static const char *const yaml[] = {
		"location: [17.9650, 102.,130]\n", "duration: [x, 1,000.]\n",
		"fee: {amount: 1,000.}\n", "months: [1,2.]\n"};
	for (size_t i = 0; i < sizeof yaml / sizeof *yaml; i++) {
		char *text = xasprintf("---\n%s---\nBody\n", yaml[i]);
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, text), 0);
		free(text);
		for (size_t k = 0; k < f->d.n; k++)
			if (strstr(f->d.v[k].msg, " reads as "))
				fail_msg("%s: %s", yaml[i], f->d.v[k].msg);
	}
	const fm_node *months = get(&f->doc.root, "months");
	assert_int_equal(months->type, FM_SEQ);
	assert_int_equal(months->n, 2);
}

/* "{fee: 1,000 GBP}" is a fee's amount and currency written as text,
 * which YAML splits at the comma into 1 and a key "000 GBP": the fee is
 * given back its text, as typed, for the fee's check to tell with the
 * fix it takes ({amount: 1000, currency: GBP}), in one round. */
static void test_a_fee_with_thousands_is_its_text(void **state)
{
	fixture *f = *state;
	static const char *const typed[] = {
		"1,000 GBP", "1,250,000 EUR", "1,000 \xe2\x82\xac",
		"1,000.50 Pound Sterling"};
	for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
		char *text = xasprintf("---\nelectives: [{type: clinical, fee: "
				       "%s, months: [1]}]\n---\n", typed[i]);
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, text), 0);
		free(text);
		assert_int_equal(f->d.n, 0);
		const fm_node *offer = &get(&f->doc.root, "electives")->kids[0];
		assert_int_equal(offer->n, 3);
		const fm_node *fee = get(offer, "fee");
		assert_int_equal(fee->type, FM_STRING);
		assert_string_equal(fee->text, typed[i]);
		assert_int_equal(fee->line, 2);
		assert_int_equal(fee->col, 35);
		assert_false(fee->said);
		assert_int_equal(get(offer, "months")->type, FM_SEQ);
	}
}

/* A key past YAML's 1,024 characters (YAML 1.2, 7.4.2) is told so, not
 * "no colon"; the limit counts characters, not bytes. */
static void test_a_key_too_long_says_so(void **state)
{
	fixture *f = *state;
	buf_t text = BUF_INIT;
	buf_puts(&text, "---\nname: A\n");
	for (int i = 0; i < 1025; i++)
		buf_putc(&text, 'k');
	buf_puts(&text, ": v\n---\nBody\n");
	assert_int_equal(parse_str(f, buf_cstr(&text)), -1);
	assert_only_error(f, 3, 1, "this key is longer than 1024 characters, the "
			  "most YAML reads as a key: shorten it (a field's name "
			  "is a word or two)");
	/* 1,000 two-byte characters: 2,000 bytes, a key all the same */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	buf_free(&text);
	buf_puts(&text, "---\nname: A\n");
	for (int i = 0; i < 1000; i++)
		buf_puts(&text, "\xc3\xa9");
	buf_puts(&text, ": v\n---\nBody\n");
	assert_int_equal(parse_str(f, buf_cstr(&text)), 0);
	assert_int_equal(f->d.n, 0);
	buf_free(&text);
}

/* A closing quote left out before lines that read as keys parses, the
 * keys taken in as the value's text: a warning at the opening quote
 * names the first of them. Lines indented under the key are text. */
/* Each of the n texts parses with no error or warning. */
static void parses_without_a_word(fixture *f, const char *const *yaml, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, yaml[i]), 0);
		if (f->d.n) {
			diags_print(&f->d, stderr);
			fail_msg("case %zu warned", i);
		}
	}
}

/* A value starting with a tag or an anchor lost it without a word
 * ("!Royal" read as a tag, "&Royal Hall" as the text "Hall"): an error
 * at the value, the tag's at once, an anchor's unless the file has an
 * alias, whose error says what to do. */
static void test_a_tag_or_anchor_before_a_value_is_an_error(void **state)
{
	fixture *f = *state;
	static const msg_case cases[] = {
		{"---\nhousing: !Royal\n---\n", 2, 10,
		 "a value cannot start with ! unless it is in quotes: housing: "
		 "\"!Royal\""},
		{"---\nhousing: ! Royal Hall  # c\n---\n", 2, 10,
		 "a value cannot start with ! unless it is in quotes: housing: "
		 "\"! Royal Hall\""},
		{"---\nhousing: &Royal Hall\n---\n", 2, 10,
		 "a value cannot start with & unless it is in quotes: housing: "
		 "\"&Royal Hall\""},
		{"---\ntopics:\n  - &x \"a\"\n---\n", 3, 5,
		 "a value cannot start with & unless it is in quotes: - '&x \"a\"'"},
		/* its comment too, told once; in a [list], the item alone */
		{"---\nhousing: !Royal Hall #1\n---\n", 2, 10,
		 "a value cannot start with ! unless it is in quotes: housing: "
		 "\"!Royal Hall #1\""},
		{"---\ntopics: [!nursing care, one]\n---\n", 2, 10,
		 "a value cannot start with ! unless it is in quotes: \"!nursing "
		 "care\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, cases[i].yaml), FM_FLAWED);
		assert_only_error(f, cases[i].line, cases[i].col, cases[i].msg);
		assert_string_equal(f->d.v[0].msg, cases[i].msg);
	}
	/* with an alias: the alias is told, not the anchor */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	parse_str(f, "---\nhousing: &n Bad\nnote: *n\n---\n");
	assert_only_error(f, 3, 7, "YAML aliases (*n) are not allowed");
	/* YAML's own tags are kept */
	const char *fine[] = {"---\nhousing: !!str 123\n---\n"};
	parses_without_a_word(f, fine, 1);
	assert_string_equal(get(&f->doc.root, "housing")->text, "123");
}

/* A plain value cut short at " #x": a warning at the '#' with the value
 * in quotes as typed; a comment written as one ("# note"), a quoted
 * value, a '#' inside a word and an empty colour are left alone. */
static void test_a_hash_after_a_value_is_warned(void **state)
{
	fixture *f = *state;
	static const msg_case cases[] = {
		{"---\nname: RCSI #1\n---\n", 2, 12,
		 "'#1' starts a YAML comment here, so the value ends before it "
		 "and reads 'RCSI': if it is part of the value, put the value in "
		 "quotes: name: \"RCSI #1\""},
		{"---\nhousing: #2 rooms  \n---\n", 2, 10,
		 "'#2 rooms' starts a YAML comment here, so the value is empty: "
		 "if it is the value, put it in quotes: housing: \"#2 rooms\""},
		{"---\nhousing: Say \"hi\" #1\n---\n", 2, 19,
		 "'#1' starts a YAML comment here, so the value ends before it "
		 "and reads 'Say \"hi\"': if it is part of the value, put the "
		 "value in quotes: housing: 'Say \"hi\" #1'"},
		/* the value as YAML read it, over lines, after a tab */
		{"---\nname: Royal College of\n  Surgeons #1\n---\n", 3, 12,
		 "'#1' starts a YAML comment here, so the value ends before it "
		 "and reads 'Royal College of Surgeons': if it is part of the "
		 "value, put the value in quotes: name: \"Royal College of "
		 "Surgeons #1\""},
		{"---\nname: RCSI\t#1\n---\n", 2, 12,
		 "'#1' starts a YAML comment here, so the value ends before it "
		 "and reads 'RCSI': if it is part of the value, put the value in "
		 "quotes: name: \"RCSI #1\""},
		/* an item of a list over lines: the item alone */
		{"---\ntopics: [\n  one,\n  Room #4\n]\n---\n", 4, 8,
		 "'#4' starts a YAML comment here, so the value ends before it "
		 "and reads 'Room': if it is part of the value, put the value in "
		 "quotes: \"Room #4\""},
		/* a blank line between: the value all the same */
		{"---\nhousing: #2 rooms\n\n  hostel\n---\n", 2, 10,
		 "'#2 rooms' starts a YAML comment here, so the value is what "
		 "the lines below it hold, 'hostel': if the comment is part of "
		 "the value, put the value in quotes: housing: \"#2 rooms "
		 "hostel\""},
		/* the comment after the key and one after the value, both */
		{"---\nhousing: #2 rooms\n  hostel #3 x\n---\n", 2, 10,
		 "'#2 rooms' starts a YAML comment here, so the value is what "
		 "the lines below it hold, 'hostel': if the comment is part of "
		 "the value, put the value in quotes: housing: \"#2 rooms hostel "
		 "#3 x\""},
		/* the comment after the key, the value on the lines below */
		{"---\nhousing: #2 rooms in the\n  hostel, near\n  the gate\n---\n",
		 2, 10, "'#2 rooms in the' starts a YAML comment here, so the value "
		 "is what the lines below it hold, 'hostel, near the gate': if the "
		 "comment is part of the value, put the value in quotes: housing: "
		 "\"#2 rooms in the hostel, near the gate\""},
		/* a comment line between the key and the value */
		{"---\nhousing:\n  #2 rooms in the\n  hostel\n---\n", 3, 3,
		 "'#2 rooms in the' starts a YAML comment here, so the value is "
		 "what the lines below it hold, 'hostel': if the comment is part "
		 "of the value, put the value in quotes: housing: \"#2 rooms in "
		 "the hostel\""},
		{"---\nhousing:\n\n  #2 rooms\n\n  hostel\n---\n", 4, 3,
		 "'#2 rooms' starts a YAML comment here, so the value is what "
		 "the lines below it hold, 'hostel': if the comment is part of "
		 "the value, put the value in quotes: housing: \"#2 rooms "
		 "hostel\""},
		/* in a [list] over lines: the comment after a comma, or on
		 * a line of its own, and the item below it */
		{"---\ntopics: [med, #2 item\n   nursing]\n---\n", 2, 15,
		 "'#2 item' starts a YAML comment here, so the value is what "
		 "the lines below it hold, 'nursing': if the comment is part of "
		 "the value, put the value in quotes: \"#2 item nursing\""},
		{"---\ntopics: [med,\n  #2 item\n   nursing]\n---\n", 3, 3,
		 "'#2 item' starts a YAML comment here, so the value is what "
		 "the lines below it hold, 'nursing': if the comment is part of "
		 "the value, put the value in quotes: \"#2 item nursing\""},
		/* a comment a comma ends is an item of its own, lost from
		 * the list: not the start of the item below */
		{"---\ntopics: [en,\n  #2 fr,\n  sw]\n---\n", 3, 3,
		 "'#2 fr' starts a YAML comment here, so the list leaves out "
		 "the rest of this line: if it is an item, put it in quotes: "
		 "\"#2 fr\""},
		{"---\ntopics: [en,   #2 fr,\n  sw]\n---\n", 2, 16,
		 "'#2 fr' starts a YAML comment here, so the list leaves out "
		 "the rest of this line: if it is an item, put it in quotes: "
		 "\"#2 fr\""},
		/* one below an item no comma ends goes on that item */
		{"---\ntopics: [med, nursing\n  #2 of adults\n  ]\n---\n", 3, 3,
		 "'#2 of adults' starts a YAML comment here, so the item "
		 "'nursing' ends before it: if it is part of the item, put the "
		 "item in quotes: \"nursing #2 of adults\""},
		/* and so is one with only the closing bracket below it */
		{"---\ntopics: [en,\n  #2 fr\n]\n---\n", 3, 3,
		 "'#2 fr' starts a YAML comment here, so the list leaves out "
		 "the rest of this line: if it is an item, put it in quotes: "
		 "\"#2 fr\""},
		{"---\ntopics: [en, #2 fr, sw\n\n  ]\n---\n", 2, 14,
		 "'#2 fr' starts a YAML comment here, so the list leaves out "
		 "the rest of this line: if it is an item, put it in quotes: "
		 "\"#2 fr\""},
		{"---\ntopics: [ #2 fr,\n  ]\n---\n", 2, 11,
		 "'#2 fr' starts a YAML comment here, so the list leaves out "
		 "the rest of this line: if it is an item, put it in quotes: "
		 "\"#2 fr\""},
		/* words that end in an address go on after it */
		{"---\nhousing: See https://example.org/a #2 for rooms\n---\n",
		 2, 36, "'#2 for rooms' starts a YAML comment here, so the value "
		 "ends before it and reads 'See https://example.org/a': if it is "
		 "part of the value, put the value in quotes: housing: \"See "
		 "https://example.org/a #2 for rooms\""},
		/* several comment lines of a digit: all of them in the fix,
		 * from the first; a blank line between is a line break */
		{"---\nhousing:\n  #2 rooms\n  #3 beds\n  hostel\n---\n", 3, 3,
		 "'#2 rooms' starts a YAML comment here, so the value is what "
		 "the lines below it hold, 'hostel': if the comment is part of "
		 "the value, put the value in quotes: housing: \"#2 rooms #3 beds "
		 "hostel\""},
		{"---\nname: Royal College\n  #1 in Dublin\n\n  #2 campus\n---\n",
		 3, 3, "'#1 in Dublin' starts a YAML comment here, so the value "
		 "ends before it and reads 'Royal College': if it is part of the "
		 "value, put the value in quotes: name: \"Royal College #1 in "
		 "Dublin\\n#2 campus\""},
		{"---\nname: Royal College #1\n  #2 campus\n---\n", 2, 21,
		 "'#1' starts a YAML comment here, so the value ends before it "
		 "and reads 'Royal College': if it is part of the value, put the "
		 "value in quotes: name: \"Royal College #1 #2 campus\""},
		/* a digit of another script: Arabic-Indic, Thai, Ethiopic */
		{"---\nname: \xd9\x85\xd8\xb4\xd9\x81\xd9\x89 #\xd9\xa1\n---\n",
		 2, 12, "'#\xd9\xa1' starts a YAML comment here, so the value "
		 "ends before it and reads '\xd9\x85\xd8\xb4\xd9\x81\xd9\x89': "
		 "if it is part of the value, put the value in quotes: name: "
		 "\"\xd9\x85\xd8\xb4\xd9\x81\xd9\x89 #\xd9\xa1\""},
		{"---\nhousing:\n  #\xe0\xb9\x91 rooms\n  hostel\n---\n", 3, 3,
		 "'#\xe0\xb9\x91 rooms' starts a YAML comment here, so the value "
		 "is what the lines below it hold, 'hostel': if the comment is part "
		 "of the value, put the value in quotes: housing: \"#\xe0\xb9\x91 "
		 "rooms hostel\""},
		/* an empty value or item, and the comment line below it */
		{"---\ntopics:\n  -\n    #2 nursing\n---\n", 4, 5,
		 "'#2 nursing' starts a YAML comment here, so the value is empty: "
		 "if it is the value, put it in quotes: - \"#2 nursing\""},
		{"---\nhousing:\n  #2 rooms\n---\n", 3, 3,
		 "'#2 rooms' starts a YAML comment here, so the value is empty: "
		 "if it is the value, put it in quotes: housing: \"#2 rooms\""},
		/* a blank line above the comment line: a plain value goes on */
		{"---\nhousing: Rooms in\n\n  #2 left\n---\n", 4, 3,
		 "'#2 left' starts a YAML comment here, so the value ends before "
		 "it and reads 'Rooms in': if it is part of the value, put the "
		 "value in quotes: housing: \"Rooms in #2 left\""},
		/* so with old Mac line ends (CR alone) */
		{"---\rhousing:\r  #2 rooms\r  hostel\r---\r", 3, 3,
		 "'#2 rooms' starts a YAML comment here, so the value is what "
		 "the lines below it hold, 'hostel': if the comment is part of "
		 "the value, put the value in quotes: housing: \"#2 rooms "
		 "hostel\""},
		/* a list item's dash, then the comment, the item below */
		{"---\ntopics:\n  - #2 item in the\n    hostel\n---\n", 3, 5,
		 "'#2 item in the' starts a YAML comment here, so the value is "
		 "what the lines below it hold, 'hostel': if the comment is part "
		 "of the value, put the value in quotes: - \"#2 item in the "
		 "hostel\""},
		/* the comment on the line below, indented as the value's text */
		{"---\nname: Royal College\n  #1 in Dublin\ncountry: IE\n---\n",
		 3, 3, "'#1 in Dublin' starts a YAML comment here, so the value "
		 "ends before it and reads 'Royal College': if it is part of the "
		 "value, put the value in quotes: name: \"Royal College #1 in "
		 "Dublin\""},
		{"---\ntopics:\n  - Room\n    #4 east\n---\n", 4, 5,
		 "'#4 east' starts a YAML comment here, so the value ends before "
		 "it and reads 'Room': if it is part of the value, put the value "
		 "in quotes: - \"Room #4 east\""},
		{"---\ntopics:\n  - \xc3\x9cni #1\n---\n", 3, 9,
		 "'#1' starts a YAML comment here, so the value ends before it "
		 "and reads '\xc3\x9cni': if it is part of the value, put the "
		 "value in quotes: - \"\xc3\x9cni #1\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, cases[i].yaml), 0);
		if (f->d.n != 1 || f->d.v[0].line != cases[i].line ||
		    f->d.v[0].col != cases[i].col ||
		    strcmp(f->d.v[0].msg, cases[i].msg) ||
		    f->d.v[0].check != CHECK_COMMENT_IN_VALUE) {
			diags_print(&f->d, stderr);
			fail_msg("case %zu: expected %d:%d '%s'", i,
				 cases[i].line, cases[i].col, cases[i].msg);
		}
	}
	/* each of several items comments hid in a [list], a note of words
	 * between them passed over */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, "---\ntopics: [en,\n  #2 fr,\n  # a note\n"
				   "  #3 sw,\n  ar]\n---\n"), 0);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.v[0].line, 3);
	assert_int_equal(f->d.v[1].line, 5);
	assert_string_equal(f->d.v[0].msg, "'#2 fr' starts a YAML comment here, "
			    "so the list leaves out the rest of this line: if it "
			    "is an item, put it in quotes: \"#2 fr\"");
	assert_string_equal(f->d.v[1].msg, "'#3 sw' starts a YAML comment here, "
			    "so the list leaves out the rest of this line: if it "
			    "is an item, put it in quotes: \"#3 sw\"");
	/* a value too long to quote is not quoted, nor named as if it were */
	buf_t longer = BUF_INIT;
	buf_puts(&longer, "---\nhousing:");
	for (int k = 0; k < 40; k++)
		buf_puts(&longer, " room");
	buf_puts(&longer, " #1\n---\n");
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, buf_cstr(&longer)), 0);
	buf_free(&longer);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].msg, "'#1' starts a YAML comment here, so "
			    "the value ends before it: if it is part of the "
			    "value, put the value in quotes: the whole value, "
			    "from its first character");
	/* a pasted line is named, not repeated whole */
	buf_t many = BUF_INIT;
	buf_puts(&many, "---\nname: RC");
	for (int k = 0; k < 300; k++)
		buf_puts(&many, " #1");
	buf_puts(&many, "\n---\n");
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, buf_cstr(&many)), 0);
	buf_free(&many);
	assert_int_equal(f->d.n, 1);
	assert_true(strlen(f->d.v[0].msg) < 400);
	assert_non_null(strstr(f->d.v[0].msg, "#1 #...' starts a YAML comment"));
	assert_non_null(strstr(f->d.v[0].msg, "quotes: the whole value, from "
			       "its first character"));
	const char *fine[] = {
		"---\ncity: Kampala  # the capital\n---\n",
		"---\ncity: Kampala\t#\n---\n",
		"---\nhousing: \"Rooms\" #1\n---\n",
		"---\nhousing: C# and F#\n---\n",
		"---\ncolour: #0072b2\n---\n",
		"---\nnote: |\n  Room #4\n---\n",
		"---\nnetworks: [global] #1\n---\n",
		/* a comment of words, or after a date, a number or an
		 * address: meant as one */
		"---\ncountry: KE #Kenya\n---\n",
		/* a field of a code, a word, a number of weeks, an address
		 * or languages: a '#' and a digit after it is a note too */
		"---\ncountry: KE #1\n---\n",
		"---\nelectives:\n  - type: clinical #1\n    duration: 4 weeks #2\n---\n",
		"---\nemail: a@example.org #1 desk\n---\n",
		"---\nlanguages_of_instruction: [en,\n  #2 fr,\n  sw]\n---\n",
		"---\nlanguages_of_instruction: [en,\n  #2 fr\n]\n---\n",
		"---\njoined: 2019-04-01 #1\n---\n",
		"---\ncapacity: 6 #2\n---\n",
		"---\nwebsite: https://example.org/ #1\n---\n",
		/* a note above a value, of words */
		"---\nhousing:\n  # ask the office\n  hostel\n---\n",
		"---\ntopics:\n  - # ask\n    hostel\n---\n",
		/* a note above a key: the value is on its line */
		"---\na: b\n#2 next\nhousing: hostel\n---\n",
		/* a note below a value, not indented as its text, or of
		 * words, or after a comment of its line */
		"---\ntopics:\n  - a\n  #2 b\n---\n",
		"---\nname: A\n  # 1 note\n---\n",
		"---\nname: A # the name\n  #2 b\n---\n",
		"---\nname: \"A\"\n  #2 b\n---\n",
		"---\ntopics: [med, # a note\n   nursing]\n---\n",
		"---\ntopics: [med,\n  # a note\n]\n---\n",
		"---\ntopics: [med,\n   nursing]\n---\n",
	};
	parses_without_a_word(f, fine, sizeof fine / sizeof fine[0]);
}

/* A value of many lines (65 and more) that a line with ": " goes on is
 * told as one, not as "this line has no colon" at one of its lines. */
static void test_a_long_value_is_followed_to_its_key(void **state)
{
	fixture *f = *state;
	buf_t t = BUF_INIT;
	buf_puts(&t, "---\nname: Royal\n");
	for (int k = 0; k < 100; k++)
		buf_puts(&t, "  Test Hos\n");
	buf_puts(&t, "  Nairobi: x\n---\n");
	assert_int_equal(parse_str(f, buf_cstr(&t)), -1);
	buf_free(&t);
	assert_only_error(f, 103, 3, "this line goes on the value of 'name' on "
			  "line 2, and its colon and space make YAML read a "
			  "key: put the whole value in quotes; if 'Nairobi' is "
			  "a key of its own, start it in column 1, like 'name'");
}

static void test_a_quote_that_takes_in_keys_is_warned(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nname: \"X\ncountry: UG\n"
				   "city: Kampala\"\n---\nBody\n"), 0);
	assert_int_equal(f->d.n, 1);
	const diag_t *x = &f->d.v[0];
	assert_int_equal(x->level, DIAG_WARNING);
	assert_int_equal(x->check, CHECK_RUNAWAY_QUOTE);
	assert_int_equal(x->line, 2);
	assert_int_equal(x->col, 7);
	assert_string_equal(x->msg, "this quoted value runs on to line 4 and "
			    "takes in 'country:' on line 3 as its text: if the "
			    "quote (\") that opens it is not closed on this line "
			    "by mistake, end the value with \" here; if those "
			    "lines are its text, indent them more than its key");
	assert_string_equal(get(&f->doc.root, "name")->text,
			    "X country: UG city: Kampala");
	/* single quotes, in a list item's mapping */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	/* a list item taken in, as a key is: the research offer is lost */
	assert_int_equal(parse_str(f, "---\nelectives:\n  - type: 'clinical\n"
				   "  - type: research'\n---\n"), 0);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].msg, "this quoted value runs on to line 4 "
			    "and takes in the list item '- type: research' on "
			    "line 4 as its text: if the quote (') that opens it "
			    "is not closed on this line by mistake, end the value "
			    "with ' here; if those lines are its text, indent "
			    "them more than its key");
	/* where each is told, and the first line it takes in */
	static const struct {
		const char *yaml;
		int line, col;
		const char *says, *also; /* also may be NULL */
	} runaway[] = {
		{"---\nprofessions:\n  - \"medicine\n  - nursing\n"
		 "  - pharmacy\"\n---\n", 3, 5,
		 "takes in the list item '- nursing' on line 4", NULL},
		/* the first line taken in is named: an item above a key */
		{"---\nelectives:\n  - type: clinical\n    note: \"Final year\n"
		 "  - type: research\n    capacity: 4\"\n---\n", 4, 11,
		 "'- type: research' on line 5", NULL},
		{"---\nelectives:\n  - note: 'one\n    level: two'\n---\n", 3,
		 11, "'level:' on line 4", NULL},
		/* an item's value has no key: its lines go past its quote */
		{"---\ntopics:\n  - \"one\n  note: two\"\n---\n", 3, 5,
		 "'note:' on line 4 as its text",
		 "indent them more than its opening quote"},
		/* characters of several bytes above move no line: libyaml's
		 * marks count characters */
		{"---\nname: \xe1\x8a\xa0\xe1\x8b\xb2 \xc3\x9cni\nhousing: "
		 "\"R \xe1\x8a\xa0\ncountry: UG\"\n---\n", 3, 10,
		 "takes in 'country:' on line 4", NULL},
	};
	for (size_t i = 0; i < sizeof runaway / sizeof runaway[0]; i++) {
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, runaway[i].yaml), 0);
		if (f->d.n != 1 || f->d.v[0].line != runaway[i].line ||
		    f->d.v[0].col != runaway[i].col ||
		    !strstr(f->d.v[0].msg, runaway[i].says) ||
		    (runaway[i].also && !strstr(f->d.v[0].msg, runaway[i].also))) {
			diags_print(&f->d, stderr);
			fail_msg("runaway case %zu: expected %d:%d '%s'", i,
				 runaway[i].line, runaway[i].col, runaway[i].says);
		}
	}
	/* a file of pasted lines: ten told, then one for the rest */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	buf_t many = BUF_INIT;
	buf_puts(&many, "---\nname: X\n");
	for (int i = 0; i < 13; i++)
		buf_printf(&many, "k%d: \"a\nb%d: c\"\n", i, i);
	buf_puts(&many, "---\n");
	assert_int_equal(parse_str(f, buf_cstr(&many)), 0);
	buf_free(&many);
	assert_int_equal(f->d.n, 11);
	assert_int_equal(f->d.v[10].line, 2 + 1 + 2 * 10);
	assert_string_equal(f->d.v[10].msg, "and 3 more quoted values from here "
			    "on run on to take in the keys or list items below "
			    "them: close each on its own line");
	/* text of the value, indented under its key, or a colon with no
	 * key before it: no warning */
	const char *fine[] = {
		"---\nhousing: \"Rooms: two\n  note: shared\"\n---\n",
		"---\nhousing: \"Rooms\n: shared\"\n---\n",
		"---\nhousing: \"Rooms\nin town: yes\"\n---\n",
		"---\nhousing: \"Rooms\nhttp://x\"\n---\n",
		/* under its key written alone, indented under the key */
		"---\nhousing:\n  \"Rooms\n  Note: bring ID\"\n---\n",
	};
	parses_without_a_word(f, fine, sizeof fine / sizeof fine[0]);
}

static void test_yaml_mistakes_in_plain_words(void **state)
{
	fixture *f = *state;
	for (size_t i = 0; i < sizeof plain_cases / sizeof plain_cases[0]; i++) {
		buf_t text = BUF_INIT;
		buf_printf(&text, "---\n%s---\nBody\n", plain_cases[i].yaml);
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		/* a thousands comma is a mistake in a value: the rest of the
		 * front matter is read (FM_FLAWED); the others stop it */
		int in_value = strstr(plain_cases[i].msg, "' reads as ") != NULL;
		assert_int_equal(parse_str(f, buf_cstr(&text)),
				 in_value ? FM_FLAWED : -1);
		if (f->d.n != 1 || strcmp(f->d.v[0].msg, plain_cases[i].msg) ||
		    f->d.v[0].line != plain_cases[i].line ||
		    f->d.v[0].col != plain_cases[i].col) {
			diags_print(&f->d, stderr);
			fail_msg("case %zu: expected %d:%d '%s'", i,
				 plain_cases[i].line, plain_cases[i].col,
				 plain_cases[i].msg);
		}
		buf_free(&text);
	}
}

/* Commas that are no thousands separators: a space after the comma, a
 * group not of three digits, text, a quoted number. */
static void test_commas_that_separate_values(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\na: [1, 000]\nb: [10,11,12]\n"
				      "c: {x: 1, 000: y}\nd: [a,000]\n"
				      "e: ['1',000]\ng: [1,0000]\nh: [1.5,000]\n"
				      "---\n"), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(get(&f->doc.root, "b")->n, 3);
	assert_int_equal(get(&f->doc.root, "g")->n, 2);
}

/* site.yml goes through the same words, from its first line. */
/* yml, read as site.yml, is refused with the one error msg at line:col. */
static void assert_site_yml_says(fixture *f, const char *yml, int line,
				 int col, const char *msg)
{
	fm_node root = {0};
	assert_int_equal(fm_parse_yaml(yml, strlen(yml), "site.yml", &root,
				       &f->d), -1);
	fm_node_free(&root);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].path, "site.yml");
	assert_int_equal(f->d.v[0].line, line);
	assert_int_equal(f->d.v[0].col, col);
	assert_string_equal(f->d.v[0].msg, msg);
}

static void test_site_yml_mistakes_in_plain_words(void **state)
{
	assert_site_yml_says(*state, "title: T\nbase_url:https://example.org/\n"
			     "language: en\n", 2, 9, "put a space after the "
			     "colon: base_url: https://example.org/");
}

/* site.yml is one document: a second one after '---' is refused where
 * it starts. */
static void test_site_yml_second_document(void **state)
{
	assert_site_yml_says(*state, "title: T\n---\nlanguage: en\n", 2, 1,
			     "only one YAML document is allowed here: remove "
			     "the '---' or '...' line that starts another");
}

/* A mistake none of the rules knows keeps libyaml's words. */
static void test_other_yaml_errors_keep_libyaml_words(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nlocation: [1, 2]]\n---\n"), -1);
	assert_only_error(f, 2, 17, "did not find expected key (while parsing "
			  "a block mapping at line 2)");
}

/* The classic nine levels: expanding it would make 9^9 strings. */
static void test_alias_bomb(void **state)
{
	fixture *f = *state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nname: Bomb\n");
	buf_puts(&b, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (char c = 'b'; c <= 'i'; c++) {
		buf_printf(&b, "%c: &%c [", c, c);
		for (int i = 0; i < 9; i++)
			buf_printf(&b, "%s*%c", i ? "," : "", c - 1);
		buf_puts(&b, "]\n");
	}
	buf_puts(&b, "---\nbody\n");
	int rc = parse(f, b.ptr, b.len);
	buf_free(&b);
	/* nothing is expanded: the aliases are told once, at the first,
	 * "b: &b [*a": line 4, column 8, and each is marked: items of a
	 * list, which its reader then skips one by one */
	assert_int_equal(rc, FM_FLAWED);
	assert_only_error(f, 4, 8, "YAML aliases (*a) are not allowed; write "
			  "the value out (this is the first of 72 aliases here)");
	assert_int_equal(f->doc.root.n, 10);
	assert_int_equal(get(&f->doc.root, "name")->said, 0);
	assert_int_equal(get(&f->doc.root, "a")->said, 0);
	assert_int_equal(get(&f->doc.root, "b")->said, 0);
	assert_int_equal(get(&f->doc.root, "b")->kids[0].said, 1);
	assert_int_equal(get(&f->doc.root, "i")->kids[8].said, 1);
}

/* A list of plain values with a mistake in some items keeps its other
 * items for its reader (a bad item no longer hides "unknown network" of
 * the next one); a mistake deeper in makes the whole value said. */
static void test_items_marked_alone(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nnets: [a, \"b\\0\", c, [1,000]]\n"
				      "flat: [x, [1,000]]\nkeys: [{k: 1, k: 2}]\n---\n"),
			 FM_FLAWED);
	const fm_node *nets = get(&f->doc.root, "nets");
	assert_int_equal(nets->said, 1); /* [1,000] is inside an item */
	const fm_node *flat = get(&f->doc.root, "flat");
	assert_int_equal(flat->said, 1);
	assert_int_equal(get(&f->doc.root, "keys")->said, 1);
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, "---\nnets: [a, \"b\\0\", c, *x]\n"
				      "n: [1,000, 7]\n---\n"), FM_FLAWED);
	nets = get(&f->doc.root, "nets");
	/* the item names its list: not "this value" */
	assert_contains(f->d.v[0].msg, "an item of nets contains a NUL");
	assert_int_equal(nets->said, 0);
	assert_int_equal(nets->kids[0].said, 0);
	assert_int_equal(nets->kids[1].said, 1);
	assert_int_equal(nets->kids[2].said, 0);
	assert_int_equal(nets->kids[3].said, 1);
	const fm_node *n = get(&f->doc.root, "n");
	assert_int_equal(n->said, 0);
	assert_int_equal(n->kids[0].said, 1);
	assert_int_equal(n->kids[1].said, 1);
	assert_int_equal(n->kids[2].said, 0);
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	/* the nearest list names an item, not the field holding it */
	assert_int_equal(parse_str(f, "---\noffers: [{kinds: [a, \"b\\0\"]}]\n---\n"),
			 FM_FLAWED);
	assert_contains(f->d.v[0].msg, "an item of kinds contains a NUL");
	/* ... and the offer holding that list is read, its other values
	 * too: only the bad item is left out */
	const fm_node *offers = get(&f->doc.root, "offers");
	assert_int_equal(offers->said, 0);
	assert_int_equal(offers->kids[0].said, 0);
	const fm_node *kinds = get(&offers->kids[0], "kinds");
	assert_int_equal(kinds->said, 0);
	assert_int_equal(kinds->kids[0].said, 0);
	assert_int_equal(kinds->kids[1].said, 1);
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	/* a mistake that is no item of a plain list still marks the value
	 * holding it, however deep: a repeated key in an offer */
	assert_int_equal(parse_str(f, "---\noffers:\n  - a: [x, \"y\\0\"]\n"
				      "    b: 1\n    b: 2\nnext: [1,000]\n---\n"),
			 FM_FLAWED);
	assert_int_equal(get(&f->doc.root, "offers")->said, 1);
	assert_int_equal(get(&f->doc.root, "next")->said, 0);
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	/* the same in JSON front matter */
	assert_int_equal(parse_str(f, "{\"offers\": [{\"kinds\": [\"a\", \"b\\u0000\"], "
				      "\"weeks\": 4}]}\n"), FM_FLAWED);
	offers = get(&f->doc.root, "offers");
	assert_int_equal(offers->said, 0);
	kinds = get(&offers->kids[0], "kinds");
	assert_int_equal(kinds->said, 0);
	assert_int_equal(kinds->kids[1].said, 1);
	assert_string_equal(get(&offers->kids[0], "weeks")->text, "4");
}

/* A plain value marked by its own mistake, or a mapping whose plain
 * values alone are marked (a thousands comma in { }), leaves the values
 * around it read: a fee's amount hid the capacity beside it. */
static void test_values_marked_alone(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nelectives:\n  - type: \"cl\\0\"\n"
				      "    fee: {amount: 1,000, currency: EUR}\n"
				      "    capacity: lots\n---\n"), FM_FLAWED);
	assert_int_equal(f->d.errors, 2);
	const fm_node *el = get(&f->doc.root, "electives");
	assert_int_equal(el->said, 0);
	const fm_node *offer = &el->kids[0];
	assert_int_equal(get(offer, "type")->said, 1);
	const fm_node *fee = get(offer, "fee");
	assert_int_equal(fee->said, 0);
	assert_int_equal(get(fee, "amount")->said, 1);
	assert_int_equal(get(fee, "currency")->said, 0);
	assert_string_equal(get(offer, "capacity")->text, "lots");
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	/* JSON alike */
	assert_int_equal(parse_str(f, "{\"electives\": [{\"type\": \"c\\u0000\", "
				      "\"capacity\": 4}]}\n"), FM_FLAWED);
	el = get(&f->doc.root, "electives");
	assert_int_equal(el->said, 0);
	assert_int_equal(get(&el->kids[0], "type")->said, 1);
	assert_int_equal(get(&el->kids[0], "capacity")->said, 0);
}

/* months: [1,000] is no month of a thousand: the comma lacks its space,
 * and "write 1000" would be a wrong fix. Other numbers are told the
 * number they were meant to be. */
static void test_thousands_in_months(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nmonths: [1,000]\n---\n"), FM_FLAWED);
	assert_only_error(f, 2, 10, "a month is a number from 1 to 12");
	assert_null(strstr(f->d.v[0].msg, "write 1000"));
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, "---\ncapacity: [1,000]\n---\n"), FM_FLAWED);
	assert_only_error(f, 2, 12, "write 1000, without the comma");
}

static void test_alias_as_key(void **state)
{
	fixture *f = *state;
	/* told as an alias, the pair left out, the rest read */
	assert_int_equal(parse_str(f, "---\na: &k x\n*k : y\nb: 2\n---\n"),
			 FM_FLAWED);
	assert_only_error(f, 3, 1, "aliases");
	assert_int_equal(f->doc.root.n, 2);
	assert_string_equal(get(&f->doc.root, "b")->text, "2");
}

/* A list or a mapping as a key stopped the reading there: the rest of
 * the record's mistakes were told only once it was fixed. */
static void test_collection_as_key(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\na: 1\n[x, [y]]: 1\n{k: v}: [2]\n"
				      "nested: {[z]: 3, ok: 4}\nb: 5\n---\n"),
			 FM_FLAWED);
	assert_int_equal(f->d.n, 3);
	assert_int_equal(f->d.v[0].line, 3);
	assert_int_equal(f->d.v[1].line, 4);
	assert_int_equal(f->d.v[2].line, 5);
	assert_int_equal(f->d.v[2].col, 10);
	for (size_t i = 0; i < 3; i++)
		assert_contains(f->d.v[i].msg, "a key must be plain text");
	assert_int_equal(f->doc.root.n, 3);
	assert_int_equal(get(&f->doc.root, "a")->said, 0);
	assert_int_equal(get(&f->doc.root, "nested")->said, 1);
	assert_int_equal(get(get(&f->doc.root, "nested"), "ok")->said, 0);
	assert_string_equal(get(&f->doc.root, "b")->text, "5");
}

static void test_not_utf8(void **state)
{
	fixture *f = *state;
	const char *text = "---\nname: A\ncity: Yaound\xe9\n---\n";
	assert_int_equal(parse_str(f, text), -1);
	assert_only_error(f, 3, 13, "not valid UTF-8 (byte 0xE9)");
}

static void test_not_utf8_in_body(void **state)
{
	fixture *f = *state;
	const char *text = "---\nname: é\n---\nok é\nbad \xc3\x28 here\n";
	assert_int_equal(parse_str(f, text), -1);
	assert_only_error(f, 5, 5, "not valid UTF-8 (byte 0xC3)");
}

static void test_utf8_validator(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t bad;
	} cases[] = {
		{"plain ascii", 11},
		{"\xc3\xa9\xe2\x82\xac\xf0\x9f\x8c\x8d", 9}, /* é € 🌍 */
		{"a\xc0\xaf", 1},          /* overlong '/' */
		{"ab\xe0\x80\xaf", 2},     /* overlong, three bytes */
		{"\xed\xa0\x80", 0},       /* UTF-16 surrogate */
		{"x\xf4\x90\x80\x80", 1},  /* above U+10FFFF */
		{"xy\xe2\x82", 2},         /* cut short */
		{"\x80", 0},               /* stray continuation */
		{"\xff", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = strlen(cases[i].s);
		size_t got = fm_utf8_invalid_at(cases[i].s, n);
		if (got != cases[i].bad)
			fail_msg("case %zu: %zu, expected %zu", i, got,
				 cases[i].bad);
	}
	assert_int_equal(fm_utf8_invalid_at("a\0b", 3), 1); /* NUL */
}

static void test_nul_byte(void **state)
{
	fixture *f = *state;
	static const char nul[] = "---\nname: a\0b\n---\n";
	assert_int_equal(parse(f, nul, sizeof nul - 1), -1);
	assert_only_error(f, 2, 8, "file contains a NUL byte, so it is no text "
			  "file: save it as plain text (UTF-8)");
}

/* Each case fails to parse with its one error, at its place, in its
 * exact words. */
static void only_errors_exactly(fixture *f, const msg_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, cases[i].yaml), -1);
		assert_only_error(f, cases[i].line, cases[i].col, cases[i].msg);
		assert_string_equal(f->d.v[0].msg, cases[i].msg);
	}
}

/* U+2028, U+2029 and U+0085 are line breaks to a YAML 1.1 parser (as
 * libyaml is): pasted into a value, they cut its line in two, and the
 * parser's message then named another line ("no colon"). Each is told at
 * its own place, with what to write instead; ten at most, then a count. */
static void test_unicode_line_breaks_are_told_at_their_place(void **state)
{
	fixture *f = *state;
	static const msg_case cases[] = {
		{"---\nname: Royal\xe2\x80\xa8Hospital\ncity: Nairobi\n---\n", 2, 12,
		 "a line separator (U+2028) is here, which a YAML parser reads "
		 "as a line break, cutting this line in two: put a space in its "
		 "place (it comes with text pasted from a word processor or a "
		 "PDF)"},
		{"---\ncity: Nairobi\nnote: \"a\xe2\x80\xa9" "b\"\n---\n", 3, 9,
		 "a paragraph separator (U+2029) is here, which a YAML parser "
		 "reads as a line break, cutting this line in two: put a space in "
		 "its place (it comes with text pasted from a word processor or a "
		 "PDF)"},
		{"---\n# \xc3\xa9t\xc3\xa9\xc2\x85x\nname: a\n---\n", 2, 6,
		 "a next-line control character (U+0085) is here, which a YAML "
		 "parser reads as a line break, cutting this line in two: put a "
		 "space in its place (it comes with text pasted from a word "
		 "processor or a PDF)"},
	};
	only_errors_exactly(f, cases, sizeof cases / sizeof *cases);
	/* beside a "---" line, which it hid: told, not "no closing ---" */
	static const struct {
		const char *text;
		int line, col;
	} marks[] = {
		{"---\nname: a\n---\xe2\x80\xa8\nBody\n", 3, 4},
		{"---\nname: a\n\xe2\x80\xa8---\nBody\n", 3, 1},
		{"---\xe2\x80\xa8\nname: a\n---\nBody\n", 1, 4},
	};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		fm_doc_free(&f->doc);
		diags_free(&f->d);
		assert_int_equal(parse_str(f, marks[i].text), -1);
		assert_only_error(f, marks[i].line, marks[i].col,
				  "a line separator (U+2028) is here");
	}
	/* one in the body of a file that has no closing "---": that */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, "---\nname: a\nBody\xe2\x80\xa8" "b\n"), -1);
	assert_only_error(f, 1, 1, "unterminated front matter");
	/* many: ten told, then how many more */
	buf_t many = BUF_INIT;
	buf_puts(&many, "---\n");
	for (int k = 0; k < 13; k++)
		buf_puts(&many, "- a\xe2\x80\xa8" "b\n");
	buf_puts(&many, "---\n");
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, buf_cstr(&many)), -1);
	buf_free(&many);
	assert_int_equal(f->d.errors, 11);
	assert_int_equal(f->d.v[9].line, 11);
	assert_int_equal(f->d.v[10].line, 12);
	assert_int_equal(f->d.v[10].col, 4);
	assert_string_equal(f->d.v[10].msg, "and 3 more such line breaks from "
			    "here on: put a space in place of each");
}

/* A no-break space (or another Unicode space) where YAML needs a blank:
 * after a list item's dash, after a key's colon (first of a line, or
 * inside { }), or in the indentation. YAML takes it for text, so the
 * dash or key became part of a value with no error ("-\u00a0medicine"
 * as one profession named "-\u00a0medicine -\u00a0nursing"). An error at
 * it, with a plain space in its place when the line then reads back. */
static void test_unicode_blanks_are_told_where_yaml_needs_one(void **state)
{
	fixture *f = *state;
	static const msg_case cases[] = {
		{"---\nprofessions:\n  -\xc2\xa0medicine\n  - nursing\n---\n", 3, 4,
		 "the no-break space (U+00A0) after the dash is no space to YAML: "
		 "put a plain space in its place: - medicine"},
		{"---\nlocal_name:\xc2\xa0Royal: Test\n---\n", 2, 12,
		 "the no-break space (U+00A0) after the colon is no space to YAML: "
		 "put a plain space in its place"},
		{"---\nelectives:\n  - type:\xc2\xa0" "clinical\n---\n", 3, 10,
		 "the no-break space (U+00A0) after the colon is no space to YAML: "
		 "put a plain space in its place: type: clinical"},
		{"---\nelectives:\n  - {type:\xc2\xa0" "clinical}\n---\n", 3, 11,
		 "the no-break space (U+00A0) after the colon is no space to YAML: "
		 "put a plain space in its place"},
		{"---\nname: A\n\xc2\xa0 city: K\n---\n", 3, 1,
		 "the no-break space (U+00A0) in this line's indentation is no "
		 "space to YAML: indent with plain spaces"},
		/* a zero-width one is no indentation: to delete */
		{"---\nname: A\n\xe2\x80\x8b" "city: K\n---\n", 3, 1,
		 "the zero-width space (U+200B) before this line's text is no "
		 "space to YAML: delete it"},
		{"---\nname: A\n  \xe3\x80\x80\n---\n", 3, 3,
		 "this line holds only an ideographic space (U+3000) and blanks, "
		 "which YAML reads as text: delete it"},
		{"---\nprofessions:\n  -\tmedicine\n---\n", 3, 4,
		 "the tab (U+0009) after the dash is no space to YAML: put a "
		 "plain space in its place: - medicine"},
		{"---\nname: a\n\xef\xbb\xbf" "city: x\n---\n", 3, 1,
		 "a byte order mark (U+FEFF) is here, inside the file, where it "
		 "is an invisible character: delete it (it comes with files "
		 "joined together)"},
		{"---\nname: Royal\xef\xbb\xbfHospital\n---\n", 2, 12,
		 "a byte order mark (U+FEFF) is here, inside the file, where it "
		 "is an invisible character: delete it (it comes with files "
		 "joined together)"},
		{"---\ncity:\xe3\x80\x80" "Kampala\n---\n", 2, 6,
		 "the ideographic space (U+3000) after the colon is no space to "
		 "YAML: put a plain space in its place: city: Kampala"},
		/* before the # of a note: the note is read as text */
		{"---\nname: Royal\xc2\xa0# the old name\n---\n", 2, 12,
		 "the no-break space (U+00A0) before the # is no space to YAML, "
		 "so the note after it is read as text of the value: put a plain "
		 "space in its place"},
		{"---\ntopics: [med\xe2\x80\x83# main\n  , nursing]\n---\n", 2,
		 13, "the space character (U+2003) before the # is no space to "
		 "YAML, so the note after it is read as text of the value: put a "
		 "plain space in its place"},
		/* at the end of a value, or alone on a line of it */
		{"---\nname: Royal\xc2\xa0\n---\n", 2, 12,
		 "the no-break space (U+00A0) at the end of the value is part of "
		 "it to YAML, unseen: delete it"},
		{"---\ntopics:\n  - med\xe2\x80\x8b\n---\n", 3, 8,
		 "the zero-width space (U+200B) at the end of the value is part "
		 "of it to YAML, unseen: delete it"},
		{"---\nname: Royal\n  \xc2\xa0\n---\n", 3, 3,
		 "this line holds only a no-break space (U+00A0) and blanks, "
		 "which YAML reads as text: delete it"},
		/* at the end of an item of [ ]: part of it */
		{"---\ntopics: [med, nursing\xc2\xa0]\n---\n", 2, 22,
		 "the no-break space (U+00A0) at the end of this item is part of "
		 "it to YAML, unseen: delete it"},
		{"---\ntopics: [med\xe2\x80\x8b , nursing]\n---\n", 2, 13,
		 "the zero-width space (U+200B) at the end of this item is part "
		 "of it to YAML, unseen: delete it"},
		/* before a key's colon: part of the key, an unknown one */
		{"---\nname\xc2\xa0: Royal\n---\n", 2, 5,
		 "the no-break space (U+00A0) before the colon is part of the "
		 "key to YAML: delete it: name: Royal"},
		{"---\ntopics:\n  - name\xe2\x80\x8b: x\n---\n", 3, 9,
		 "the zero-width space (U+200B) before the colon is part of the "
		 "key to YAML: delete it: - name: x"},
		/* a blank after it, or more such spaces about the colon: the
		 * first told, and none of them in the fix */
		{"---\nname\xc2\xa0 : Royal\n---\n", 2, 5,
		 "the no-break space (U+00A0) before the colon is part of the "
		 "key to YAML: delete it: name: Royal"},
		{"---\nlocal_name\xc2\xa0\xc2\xa0:\xc2\xa0Royal\n---\n", 2, 11,
		 "the no-break space (U+00A0) before the colon is part of the "
		 "key to YAML: delete it: local_name: Royal"},
		{"---\nelectives:\n  - {type\xc2\xa0: clinical}\n---\n", 3, 10,
		 "the no-break space (U+00A0) before the colon is part of the "
		 "key to YAML: delete it"},
		/* at the start of a value, after the blank: its text */
		{"---\nname: \xc2\xa0Royal\n---\n", 2, 7,
		 "the no-break space (U+00A0) at the start of the value is part "
		 "of it to YAML, unseen: delete it: name: Royal"},
		{"---\ntopics:\n  - \xe2\x80\x8b\xc2\xa0med\n---\n", 3, 5,
		 "the zero-width space (U+200B) at the start of the value is "
		 "part of it to YAML, unseen: delete it: - med"},
		/* an invisible character of another kind after the colon */
		{"---\nname:\xe2\x81\xa0Royal\n---\n", 2, 6,
		 "the word joiner (U+2060) after the colon is no space to YAML: "
		 "put a plain space in its place: name: Royal"},
		/* a zero-width space after the colon: not kept in the fix */
		{"---\nname:\xe2\x80\x8bRoyal\n---\n", 2, 6,
		 "the zero-width space (U+200B) after the colon is no space to "
		 "YAML: put a plain space in its place: name: Royal"},
		/* after a comma or an opening bracket in [ ] or { }: the item
		 * began with it, an invisible character */
		{"---\ntopics: [med,\xc2\xa0nursing]\n---\n", 2, 14,
		 "the no-break space (U+00A0) after the comma is no space to "
		 "YAML, so the item begins with it: put a plain space in its "
		 "place"},
		{"---\ntopics: [\xc2\xa0med]\n---\n", 2, 10,
		 "the no-break space (U+00A0) after the bracket is no space to "
		 "YAML, so the item begins with it: put a plain space in its "
		 "place"},
		{"---\nelectives:\n  - {type: clinical,\xc2\xa0weeks: 4}\n---\n",
		 3, 21, "the no-break space (U+00A0) after the comma is no space "
		 "to YAML, so the item begins with it: put a plain space in its "
		 "place"},
	};
	only_errors_exactly(f, cases, sizeof cases / sizeof *cases);
	/* in a value, in quotes, in [ ] and in a block, it is text */
	const char *fine[] = {
		"---\nname: Royal\xc2\xa0Hospital\n---\n",
		"---\nnote: \"a:\xc2\xa0" "b\"\n---\n",
		"---\ntopics: [a\xc2\xa0" "b]\n---\n",
		"---\ntopics: [\"a,\xc2\xa0" "b\", c]\n---\n",
		"---\nhousing: Rooms {a:\xc2\xa0" "b}\n---\n",
		"---\nname: Royal\xe2\x80\x8b" "Hospital\n---\n",
		"---\nhousing: Rooms [a,\xc2\xa0" "b]\n---\n",
		"---\nname: Royal\xc2\xa0#1\n---\n",
		"---\nnote: |\n  x\xc2\xa0\n---\n",
		"---\nname: \"Royal\xc2\xa0\"\n---\n",
		"---\nname: Prix\xc2\xa0:\xc2\xa0" "100\xc2\xa0\xe2\x82\xac\n---\n",
		"---\ntopics: [\"med\xc2\xa0\", nursing]\n---\n",
		"---\nname: \"Royal\xc2\xa0# x\"\n---\n",
		"---\nname: Royal\xe2\x80\x8d" "x\n---\n",
		"---\nnote: |\n  x\xc2\xa0# y\n---\n",
		"---\nnote: |\n  Tel:\xc2\xa0" "123\n---\n",
	};
	parses_without_a_word(f, fine, sizeof fine / sizeof fine[0]);
}

static void test_empty_file(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse(f, "", 0), -1);
	assert_only_error(f, 1, 1, "empty file: expected front matter; write the "
			  "fields between two lines of three dashes, ---, or "
			  "remove the file");
}

static void test_blank_file(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "\xEF\xBB\xBF \n\r\n\t\n"), -1);
	assert_only_error(f, 1, 1, "empty file");
}

/* "---" with only blank lines, blanks or unseen characters before it: the
 * front matter does not open on the first line, so the file has none.
 * Told at what to delete, not as "expected front matter"; so is an
 * unseen character on a "---" line. */
static void test_what_spoils_a_marker_line_is_told(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *text;
		int line, col;
		const char *msg;
	} cases[] = {
		{"\xef\xbb\xbf\xef\xbb\xbf---\nname: A\n---\n", 1, 1,
		 "a second byte order mark (U+FEFF) comes before the '---' that "
		 "opens the front matter, which must be the file's first "
		 "characters: delete it"},
		{"\xc2\xa0---\nname: A\n---\n", 1, 1,
		 "a no-break space (U+00A0) comes before the '---' that opens "
		 "the front matter, which must be the file's first characters: "
		 "delete it"},
		{"\n \xe2\x80\x8b---\nname: A\n---\n", 2, 2,
		 "a zero-width space (U+200B) comes before the '---' that opens "
		 "the front matter, which must be the file's first characters: "
		 "delete it"},
		{"\n\r\n---\nname: A\n---\n", 3, 1,
		 "the '---' that opens the front matter must be the file's first "
		 "characters: delete the blank lines before it"},
		{"  ---\nname: A\n---\n", 1, 3,
		 "the '---' that opens the front matter must be the file's first "
		 "characters: delete the blanks before it"},
		{"\n\t---\nname: A\n---\n", 2, 2,
		 "the '---' that opens the front matter must be the file's first "
		 "characters: delete the blank lines and the blanks before it"},		/* text after the opening one */
		{"--- # the record\nname: A\n---\n", 1, 5,
		 "the '---' that opens the front matter must be alone on its "
		 "line: move '# the record' to a line of its own below it"},
		/* an unseen character on the opening or the closing line,
		 * or blanks before the closing one */
		{"---\xc2\xa0\nname: A\n---\n", 1, 4,
		 "this line would open the front matter, but the no-break space "
		 "(U+00A0) on it makes it no '---' line: delete it"},
		{"---\nname: A\n---\xe2\x80\x8b\nBody\n", 3, 4,
		 "this line would close the front matter, but the zero-width "
		 "space (U+200B) on it makes it no '---' line: delete it"},
		{"---\nname: A\n\xef\xbb\xbf---\nBody\n", 3, 1,
		 "this line would close the front matter, but the byte order "
		 "mark (U+FEFF) on it makes it no '---' line: delete it"},
		{"---\nname: A\n ---\nBody\n", 3, 1,
		 "this line would close the front matter, but the '---' must "
		 "start it: delete the blanks before it"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(parse_str(f, cases[i].text), -1);
		if (f->d.n != 1 || f->d.errors != 1 ||
		    f->d.v[0].line != cases[i].line ||
		    f->d.v[0].col != cases[i].col ||
		    strcmp(f->d.v[0].msg, cases[i].msg)) {
			diags_print(&f->d, stderr);
			fail_msg("case %zu: expected %d:%d '%s'", i,
				 cases[i].line, cases[i].col, cases[i].msg);
		}
		fm_doc_free(&f->doc);
		diags_free(&f->d);
	}
	/* text before it is no front matter, as before */
	assert_int_equal(parse_str(f, "x\n---\nname: A\n---\n"), -1);
	assert_only_error(f, 1, 1, "expected front matter: a first line '---'");
}

static void test_no_front_matter(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "# Just Markdown\n"), -1);
	assert_only_error(f, 1, 1, "expected front matter");
}

static void test_duplicate_key(void **state)
{
	fixture *f = *state;
	const char *text = "---\nname: A\ncity: B\nname: C\nmap:\n  x: 1\n  x: 2\n---\n";
	assert_int_equal(parse_str(f, text), FM_FLAWED);
	/* the inner map is finished first: messages come as libyaml reads */
	assert_int_equal(f->d.errors, 2);
	assert_int_equal(f->d.v[0].line, 7);
	assert_int_equal(f->d.v[0].col, 3);
	assert_contains(f->d.v[0].msg, "duplicate key 'x' (first at line 6)");
	assert_int_equal(f->d.v[1].line, 4);
	assert_contains(f->d.v[1].msg, "duplicate key 'name' (first at line 2)");
	/* marked: each repeat, which readers pass over for the first, in
	 * the inner map as at the top; the map holding it is read */
	assert_int_equal(f->doc.root.n, 4);
	assert_string_equal(get(&f->doc.root, "name")->text, "A");
	assert_int_equal(get(&f->doc.root, "name")->said, 0);
	assert_int_equal(f->doc.root.kids[1].said, 0);
	assert_int_equal(f->doc.root.kids[2].said, 1);
	const fm_node *map = get(&f->doc.root, "map");
	assert_int_equal(map->said, 0);
	assert_int_equal(map->kids[0].said, 0);
	assert_int_equal(map->kids[1].said, 1);
	diags_free(&f->d);
	fm_doc_free(&f->doc);

	const char *outer = "---\nname: A\ncity: B\nname: C\nname: D\n---\n";
	assert_int_equal(parse_str(f, outer), FM_FLAWED);
	assert_int_equal(f->d.errors, 2);
	assert_int_equal(f->d.v[0].line, 4);
	assert_int_equal(f->d.v[1].line, 5);
	assert_contains(f->d.v[1].msg, "duplicate key 'name' (first at line 2)");
}

/* Two thousand pasted lines: ten told, then one line for the rest. */
static void test_duplicates_capped(void **state)
{
	fixture *f = *state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nname: A\n");
	for (int i = 0; i < 2000; i++)
		buf_printf(&b, "name: B%d\n", i);
	buf_puts(&b, "---\n");
	assert_int_equal(parse(f, b.ptr, b.len), FM_FLAWED);
	buf_free(&b);
	assert_int_equal(f->d.n, 11);
	assert_int_equal(f->d.v[9].line, 12);
	assert_int_equal(f->d.v[10].line, 13);
	assert_string_equal(f->d.v[10].msg, "and 1990 more keys repeated from "
			    "here on: keep one line of each");
	assert_string_equal(get(&f->doc.root, "name")->text, "A");
}

static void test_root_must_be_a_map(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\n- a\n- b\n---\n"), -1);
	assert_only_error(f, 2, 1, "expected a mapping");
}

static void test_empty_front_matter(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\n# only a comment\n---\nBody\n"), 0);
	assert_int_equal(f->doc.root.type, FM_MAP);
	assert_int_equal(f->doc.root.n, 0);
	assert_memory_equal(f->doc.body, "Body\n", 5);
}

/* A literal block's lines are its file's lines less the indentation, so
 * that a place in its text is a place in the file; a folded block, one
 * with an indentation indicator, or a plain scalar has none. */
static void test_literal_block_lines(void **state)
{
	fixture *f = *state;
	assert_int_equal(parse_str(f, "---\nname: x\nhousing: |-\n  Rooms.\n\n"
					 "    Indented [a](b).\n  End.\n"
					 "folded: >\n  a\n  b\nsized: |2\n  a\n---\n"), 0);
	const fm_node *h = fm_get(&f->doc.root, "housing");
	assert_non_null(h);
	assert_string_equal(h->text, "Rooms.\n\n  Indented [a](b).\nEnd.");
	assert_int_equal(h->block_line, 4);
	assert_int_equal(h->block_indent, 2);
	assert_int_equal(fm_get(&f->doc.root, "folded")->block_line, 0);
	assert_int_equal(fm_get(&f->doc.root, "sized")->block_line, 0);
	assert_int_equal(fm_get(&f->doc.root, "name")->block_line, 0);
	/* libyaml's marks count characters: text of several bytes a
	 * character above the block (Amharic, three bytes each) moves no
	 * line */
	fm_doc_free(&f->doc);
	diags_free(&f->d);
	assert_int_equal(parse_str(f, "---\nname: \xe1\x8a\xa0\xe1\x8b\xb2"
					 "\xe1\x88\xb5 \xc3\x9cni\n"
					 "housing: |\n  Rooms.\n  See [a](b).\n---\n"), 0);
	h = fm_get(&f->doc.root, "housing");
	assert_string_equal(h->text, "Rooms.\nSee [a](b).\n");
	assert_int_equal(h->block_line, 4);
	assert_int_equal(h->block_indent, 2);
}

static void test_too_deep(void **state)
{
	fixture *f = *state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nx: ");
	for (int i = 0; i < 40; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < 40; i++)
		buf_putc(&b, ']');
	buf_puts(&b, "\n---\n");
	int rc = parse(f, b.ptr, b.len);
	buf_free(&b);
	assert_int_equal(rc, -1);
	/* the root map is level 1, x's list level 2: level 33 is the 32nd '[' */
	assert_only_error(f, 2, 35, "nested more than 32 levels");
}

static void test_json_too_deep(void **state)
{
	fixture *f = *state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "{\"x\": ");
	for (int i = 0; i < 40; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < 40; i++)
		buf_putc(&b, ']');
	buf_puts(&b, "}\n");
	int rc = parse(f, b.ptr, b.len);
	buf_free(&b);
	assert_int_equal(rc, -1);
	assert_only_error(f, 1, 38, "nested more than 32 levels");
}

static void unsafe_output_nul_escapes_are_errors(void **state)
{
	fixture *f = *state;
	/* libyaml decodes each to a NUL byte, where a C string ends */
	static const char *const escapes[] = {"\\0", "\\x00", "\\u0000",
					      "\\U00000000"};
	for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
		char *text = xasprintf("---\nname: Fine\ncity: \"Kam%spala\"\n"
				       "---\nBody\n", escapes[i]);
		assert_int_equal(parse_str(f, text), FM_FLAWED);
		free(text);
		/* at the escape, which the message names */
		char *want = xasprintf("city contains a NUL character (the "
				       "escape %s)", escapes[i]);
		assert_only_error(f, 3, 11, want);
		free(want);
		/* the other fields are read; the city is marked */
		assert_int_equal(f->doc.root.n, 2);
		assert_int_equal(get(&f->doc.root, "name")->said, 0);
		assert_int_equal(get(&f->doc.root, "city")->said, 1);
		diags_free(&f->d);
		fm_doc_free(&f->doc);
	}
	/* a list is no front matter, NUL or not */
	assert_int_equal(parse_str(f, "---\n- \"a\\0b\"\n---\n"), -1);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 5); /* the escape */
	assert_contains(f->d.v[0].msg, "this value contains a NUL character");
	assert_contains(f->d.v[1].msg, "expected a mapping");
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	assert_int_equal(parse_str(f, "---\n\"ke\\0y\": 1\n---\n"), FM_FLAWED);
	assert_only_error(f, 2, 4, "a key contains a NUL character");
	assert_int_equal(f->doc.root.kids[0].said, 1);
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	/* JSON: at the escape itself */
	assert_int_equal(parse_str(f, "{\"name\": \"Fine\",\n \"city\": "
				      "\"Kam\\u0000pala\"}\nBody\n"), FM_FLAWED);
	assert_only_error(f, 2, 14, "city contains a NUL character (the "
				    "escape \\u0000), which would cut it short");
	assert_int_equal(get(&f->doc.root, "name")->said, 0);
	assert_int_equal(get(&f->doc.root, "city")->said, 1);
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	assert_int_equal(parse_str(f, "{\"a\\u0000b\": 1}\n"), FM_FLAWED);
	assert_only_error(f, 1, 4, "a key contains a NUL character");
	assert_int_equal(f->doc.root.kids[0].said, 1);
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	/* an escaped backslash before u0000 is text, not an escape */
	assert_int_equal(parse_str(f, "{\"name\": \"a\\\\u0000\"}\n"), 0);
	assert_string_equal(get(&f->doc.root, "name")->text, "a\\u0000");
}

static void messages_that_mislead_json_past_the_parser_limit(void **state)
{
	fixture *f = *state;
	/* deeper than cJSON's own limit (1000): the message still says how
	 * deep and what the limit is, not "JSON syntax error" */
	buf_t b = BUF_INIT;
	buf_puts(&b, "{\"x\": {\"y\": ");
	for (int i = 0; i < 3000; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < 3000; i++)
		buf_putc(&b, ']');
	buf_puts(&b, "}}\n");
	int rc = parse(f, b.ptr, b.len);
	buf_free(&b);
	assert_int_equal(rc, -1);
	/* '{' level 1, '{' level 2, then the 31st '[' is level 33 */
	assert_only_error(f, 1, 43, "values are nested more than 32 levels "
				    "deep (the limit for front matter); "
				    "flatten them");
	/* brackets inside strings do not count */
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	b = (buf_t)BUF_INIT;
	buf_puts(&b, "{\"x\": \"");
	for (int i = 0; i < 100; i++)
		buf_puts(&b, "[{");
	buf_puts(&b, "\"}\n");
	rc = parse(f, b.ptr, b.len);
	buf_free(&b);
	assert_int_equal(rc, 0);
}

static void unsafe_output_body_characters_are_reported_in_place(void **state)
{
	fixture *f = *state;
	const char *text = "---\nname: x\n---\nOne \xc3\xa9 line.\n"
			   "Two \x1b[1m and \xe2\x80\xae" "x\r\n\t\x07.\n";
	assert_int_equal(parse_str(f, text), 0);
	assert_int_equal(f->doc.body_line, 4);
	assert_int_equal(f->doc.body_col, 1);
	assert_int_equal(fm_check_body(&f->doc, "x.md", &f->d), -1);
	assert_int_equal(f->d.n, 3);
	assert_int_equal(f->d.v[0].line, 5);
	assert_int_equal(f->d.v[0].col, 5);
	assert_non_null(strstr(f->d.v[0].msg, "control character (U+001B)"));
	assert_int_equal(f->d.v[1].line, 5);
	assert_int_equal(f->d.v[1].col, 14);
	assert_non_null(strstr(f->d.v[1].msg, "U+202E (RIGHT-TO-LEFT OVERRIDE)"));
	assert_int_equal(f->d.v[2].line, 6);
	assert_int_equal(f->d.v[2].col, 2);
	assert_non_null(strstr(f->d.v[2].msg, "U+0007"));
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	/* JSON front matter: the body starts after the closing brace */
	assert_int_equal(parse_str(f, "{\"name\": \"x\"}\n\nA\x01\n"), 0);
	assert_int_equal(fm_check_body(&f->doc, "x.md", &f->d), -1);
	assert_int_equal(f->d.v[0].line, 3);
	assert_int_equal(f->d.v[0].col, 2);
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	/* a flood is told in a dozen lines, not a screenful */
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nname: x\n---\n");
	for (int i = 0; i < 500; i++)
		buf_putc(&b, 0x01);
	assert_int_equal(parse(f, b.ptr, b.len), 0);
	assert_int_equal(fm_check_body(&f->doc, "x.md", &f->d), -1);
	buf_free(&b);
	assert_int_equal(f->d.n, 11);
	assert_int_equal(f->d.v[9].col, 10);
	assert_non_null(strstr(f->d.v[10].msg, "490 more such characters"));
	diags_free(&f->d);
	fm_doc_free(&f->doc);
	assert_int_equal(parse_str(f, "---\nname: x\n---\nClean\ttext\xe2\x80\x8f.\n"), 0);
	assert_int_equal(fm_check_body(&f->doc, "x.md", &f->d), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_too_large(void **state)
{
	fixture *f = *state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\n");
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, "key%04d: some value\n", i);
	buf_puts(&b, "---\n");
	int rc = parse(f, b.ptr, b.len);
	buf_free(&b);
	assert_int_equal(rc, -1);
	assert_only_error(f, 1, 1, "front matter is larger than 64 KiB, the "
			  "most a file's fields may take; move long text into "
			  "the body, after the front matter");
}

static void test_yaml_file(void **state)
{
	fixture *f = *state;
	fm_node root = {0};
	const char *text = "title: T\nmap:\n  simplify: 0.5\n";
	assert_int_equal(fm_parse_yaml(text, strlen(text), "site.yml", &root,
				       &f->d), 0);
	const fm_node *map = get(&root, "map");
	assert_int_equal(map->type, FM_MAP);
	const fm_node *simplify = get(map, "simplify");
	assert_at(simplify, 3, 13);
	assert_double_eq(simplify->num, 0.5);
	fm_node_free(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_yaml_values_and_positions),
		T(test_a_fee_with_thousands_is_its_text),
		T(test_a_point_after_a_comma_is_no_thousands),
		T(test_a_key_too_long_says_so),
		T(test_yaml_columns_count_characters),
		T(test_columns_inside_a_value),
		T(test_item_folded_into_a_value),
		T(test_crlf_and_bom),
		T(test_crlf_error_position),
		T(test_closing_dots),
		T(test_json_front_matter),
		T(test_json_syntax_error),
		T(test_json_unterminated),
		T(test_json_duplicate_key),
		T(test_unterminated),
		T(test_yaml_syntax_error),
		T(test_tab_indentation_error),
		T(test_a_quote_that_takes_in_keys_is_warned),
		T(test_a_hash_after_a_value_is_warned),
		T(test_a_tag_or_anchor_before_a_value_is_an_error),
		T(test_yaml_mistakes_in_plain_words),
		T(test_commas_that_separate_values),
		T(test_site_yml_mistakes_in_plain_words),
		T(test_site_yml_second_document),
		T(test_other_yaml_errors_keep_libyaml_words),
		T(test_alias_bomb),
		T(test_collection_as_key),
		T(test_items_marked_alone),
		T(test_thousands_in_months),
		T(test_values_marked_alone),
		T(test_alias_as_key),
		T(test_not_utf8),
		T(test_not_utf8_in_body),
		T(test_utf8_validator),
		T(test_unicode_line_breaks_are_told_at_their_place),
		T(test_unicode_blanks_are_told_where_yaml_needs_one),
		T(test_nul_byte),
		T(test_empty_file),
		T(test_blank_file),
		T(test_what_spoils_a_marker_line_is_told),
		T(test_a_long_value_is_followed_to_its_key),
		T(test_no_front_matter),
		T(test_duplicate_key),
		T(test_duplicates_capped),
		T(test_duplicate_key_on_one_line),
		T(test_root_must_be_a_map),
		T(test_empty_front_matter),
		T(test_literal_block_lines),
		T(test_too_deep),
		T(test_json_too_deep),
		T(test_too_large),
		T(unsafe_output_nul_escapes_are_errors),
		T(messages_that_mislead_json_past_the_parser_limit),
		T(unsafe_output_body_characters_are_reported_in_place),
		T(test_yaml_file),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
