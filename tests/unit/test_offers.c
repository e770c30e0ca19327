/* test_offers.c - elective offers and the institution fields around them
 * (load/offers.c): every field read into the model, every mistake an
 * error (or warning) with its exact message at its line and column, page
 * bundles and their files, site.yml's disciplines and max_file_size, and
 * image sizes read from file headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "leadzero.h"
#include "load/frontmatter.h"
#include "load/load.h"
#include "load/offers.h"
#include "sitefix.h"
#include "util/buf.h"

/* The record's fixed part: line 1 is "---", the fields below end on line
 * 7, so the first line a case adds is line 8. */
static const char head[] =
	"---\n"
	"name: Makerere University\n"
	"country: UG\n"
	"city: Kampala\n"
	"location: [0.3383, 32.5761]\n"
	"networks: [global]\n"
	"exchanges: [undergraduate]\n";

static int setup(void **state)
{
	static const char *const files[] = {
		"site.yml", "title: T\nbase_url: https://example.org/\n",
		"content/networks/global.md",
		"---\nname: Global\nkind: global\n---\n", NULL};
	return site_fixture_setup(state, "pm-offers", files);
}

/* Load the site after writing head + fm as the record at rel. A page
 * bundle's body links its guide.pdf; a plain record's links nothing (it
 * has no files beside it: such a link is an error). */
static void load(site_fixture *f, const char *rel, const char *fm)
{
	int bundle = strstr(rel, "/index.md") != NULL;
	char *text = xasprintf("%s%s---\nBody with %s.\n", head, fm,
			       bundle ? "[the guide](guide.pdf)" : "no link");
	site_put(f, rel, text);
	free(text);
	site_free(&f->s);
	site_init(&f->s);
	diags_free(&f->d);
	site_load(&f->s, f->dir, &f->d);
}

/* Load the site after writing text, whole, as content/institutions/mak.md. */
static void load_text(site_fixture *f, const char *text)
{
	site_put(f, "content/institutions/mak.md", text);
	site_free(&f->s);
	site_init(&f->s);
	diags_free(&f->d);
	site_load(&f->s, f->dir, &f->d);
}

/* A record of head whose body, on line 9, is piece written times over. */
static void load_repeated(site_fixture *f, const char *piece, int times)
{
	buf_t body = BUF_INIT;
	buf_printf(&body, "%s---\n", head);
	for (int i = 0; i < times; i++)
		buf_puts(&body, piece);
	buf_puts(&body, "\n");
	load_text(f, buf_cstr(&body));
	buf_free(&body);
}

/* The record as a page bundle, with files form.pdf, guide.pdf and
 * photo.png (a 40 x 30 PNG header, and the IEND chunk that ends one). */
static void load_bundle(site_fixture *f, const char *fm)
{
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
		'I', 'H', 'D', 'R', 0, 0, 0, 40, 0, 0, 0, 30, 8, 2, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
	site_put(f, "content/institutions/mak/form.pdf", "%PDF-1.4 form\n");
	site_put(f, "content/institutions/mak/guide.pdf", "%PDF-1.4 guide\n");
	fixture_put(f->dir, "content/institutions/mak/photo.png", png, sizeof png);
	load(f, "content/institutions/mak/index.md", fm);
}

/* Exactly one message, at line:col, saying msg. */
static void expect_one(site_fixture *f, diag_level level, int line, int col,
		       const char *msg)
{
	if (f->d.n != 1 || f->d.v[0].level != level ||
	    f->d.v[0].line != line || f->d.v[0].col != col ||
	    strcmp(f->d.v[0].msg, msg)) {
		diags_print(&f->d, stderr);
		fail_msg("expected %d:%d: %s", line, col, msg);
	}
}

/* An amount in quotes with more decimals than its currency has: both are
 * told at once, so that one edit fixes it (found by a review: the
 * decimals were told only once the quotes were gone). */
static void test_quoted_amount_tells_its_decimals_too(void **state)
{
	site_fixture *f = *state;
	static const struct {
		const char *fm, *decimals;
	} cases[] = {
		{"electives: [{type: clinical, fee: {amount: '12.345', currency: EUR}}]\n",
		 "amount 12.345 has 3 decimals, but EUR has 2 (ISO 4217): round it "
		 "to 2"},
		{"electives: [{type: clinical, fee: {currency: JPY, amount: \"1.5\"}}]\n",
		 "amount 1.5 has decimals, but JPY has no minor unit (ISO 4217): "
		 "round it to a whole number"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		load(f, "content/institutions/mak.md", cases[k].fm);
		if (f->d.n != 2) {
			diags_print(&f->d, stderr);
			fail_msg("expected two messages, case %zu", k);
		}
		assert_non_null(strstr(f->d.v[0].msg, "is text in quotes"));
		assert_string_equal(f->d.v[1].msg, cases[k].decimals);
		assert_int_equal(f->d.v[0].line, f->d.v[1].line);
		assert_int_equal(f->d.v[0].col, f->d.v[1].col);
	}
	/* a quoted amount its currency can show: the quotes alone */
	load(f, "content/institutions/mak.md",
	     "electives: [{type: clinical, fee: {amount: '12.35', currency: EUR}}]\n");
	expect_one(f, DIAG_ERROR, 8, 44,
		   "amount '12.35' is text in quotes: write the number without "
		   "them");
}

/* ---- a full offer ------------------------------------------------------- */

static void test_full_offer_is_read(void **state)
{
	site_fixture *f = *state;
	load_bundle(f,
		"electives:\n"
		"  - type: clinical\n"
		"    disciplines: [surgery, paediatrics]\n"
		"    levels: [postgraduate, undergraduate]\n"
		"    languages: [en, PT-br]\n"
		"    duration: 4-8\n"
		"    capacity: 6\n"
		"    months: [Jan, 2, Sept, october, December]\n"
		"    apply_by: 12 weeks\n"
		"    fee: {amount: 250, currency: eur}\n"
		"    requirements: \"Final-year *students*.\"\n"
		"    forms: [{file: form.pdf, title: Application form}]\n"
		"    contact: {name: Dr A. Mensah, role: Coordinator, email: a@example.org}\n"
		"  - research\n"
		"  - type: observership\n"
		"    fee: waived\n"
		"    apply_by: 2026-03-01\n"
		"    duration: 2\n"
		"professions: [medicine, nursing]\n"
		"languages_of_instruction: [en, SW]\n"
		"housing: \"A room in the **hostel**.\"\n"
		"photo: {file: photo.png, alt: The main entrance}\n"
		"updated: 2026-09-15\n");
	if (f->d.n)
		diags_print(&f->d, stderr);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->s.ninst, 1);
	const institution *in = &f->s.inst[0];
	assert_int_equal(in->noffers, 3);
	const offer *o = &in->offers[0];
	assert_string_equal(o->type, "clinical");
	assert_int_equal(o->disciplines.n, 2);
	assert_string_equal(o->disciplines.v[0], "paediatrics");
	assert_string_equal(o->disciplines.v[1], "surgery");
	/* one block: room for the two given (and the NULL after them), not
	 * for the whole built-in vocabulary, and their words */
	assert_int_equal(malloc_usable_size(o->disciplines.v),
			 3 * sizeof *o->disciplines.v + sizeof "paediatrics" +
			 sizeof "surgery");
	assert_string_equal(o->levels.v[0], "undergraduate");
	assert_string_equal(o->languages.v[1], "pt-BR");
	assert_int_equal(o->weeks_min, 4);
	assert_int_equal(o->weeks_max, 8);
	assert_int_equal(o->capacity, 6);
	assert_int_equal(o->months, 1u | 2u | 1u << 8 | 1u << 9 | 1u << 11);
	assert_int_equal(o->apply_weeks, 12);
	assert_null(o->apply_by);
	assert_int_equal(o->fee.given, 1);
	assert_int_equal(o->fee.waived, 0);
	assert_double_eq(o->fee.amount, 250);
	assert_string_equal(o->fee.currency, "EUR");
	assert_string_equal(o->requirements_html, "<p>Final-year <em>students</em>.</p>\n");
	assert_int_equal(o->nforms, 1);
	assert_string_equal(o->forms[0].file, "form.pdf");
	assert_string_equal(o->forms[0].title, "Application form");
	assert_string_equal(o->contact.name, "Dr A. Mensah");
	assert_string_equal(o->contact.role, "Coordinator");
	assert_string_equal(o->contact.email, "a@example.org");
	assert_int_equal(o->pos.line, 9);
	assert_int_equal(o->pos.col, 5);
	assert_string_equal(in->offers[1].type, "research");
	assert_int_equal(in->offers[1].months, 0);
	assert_int_equal(in->offers[2].fee.waived, 1);
	assert_string_equal(in->offers[2].apply_by, "2026-03-01");
	assert_int_equal(in->offers[2].weeks_min, 2);
	assert_int_equal(in->offers[2].weeks_max, 2);
	/* the types, for filters: in the vocabulary's order */
	assert_int_equal(in->electives.n, 3);
	assert_string_equal(in->electives.v[0], "clinical");
	assert_string_equal(in->professions.v[1], "nursing");
	assert_string_equal(in->languages_of_instruction.v[1], "sw");
	assert_string_equal(in->housing_html, "<p>A room in the <strong>hostel</strong>.</p>\n");
	assert_string_equal(in->photo.file, "photo.png");
	assert_string_equal(in->photo.alt, "The main entrance");
	assert_int_equal(in->photo.width, 40);
	assert_int_equal(in->photo.height, 30);
	assert_string_equal(in->updated, "2026-09-15");
	assert_string_equal(in->bundle, "content/institutions/mak");
	/* the files the page links: the form, the body's guide, the photo */
	assert_int_equal(in->nfiles, 3);
	assert_string_equal(in->files[0].name, "form.pdf");
	assert_int_equal(in->files[0].size, 14);
	assert_memory_equal(in->files[0].data, "%PDF-1.4 form\n", 14);
	assert_string_equal(in->files[1].name, "guide.pdf");
	assert_string_equal(in->files[2].name, "photo.png");
}

static void test_short_form_still_reads(void **state)
{
	site_fixture *f = *state;
	load(f, "content/institutions/mak.md",
	     "electives: [observership, clinical]\n");
	assert_int_equal(f->d.n, 0);
	const institution *in = &f->s.inst[0];
	assert_int_equal(in->noffers, 2);
	assert_string_equal(in->offers[0].type, "observership");
	assert_int_equal(in->offers[0].pos.line, 8);
	assert_int_equal(in->offers[0].pos.col, 13);
	assert_int_equal(in->electives.n, 2);
	assert_string_equal(in->electives.v[0], "clinical");
	assert_null(in->bundle);
	assert_int_equal(in->nfiles, 0);
}

/* ---- every mistake, with its message and position ----------------------- */

/* How to write a duration, after what is wrong with one. */
#define WEEKS_FIX ": write the weeks in digits, such as duration: 6 or " \
	"duration: 4-8 weeks"
/* How to write apply_by, after what is wrong with it. */
#define DATE_FIX ": write the year, the month and the day, in that order, " \
	"such as apply_by: 2025-09-01"

static const struct mistake {
	int bundle; /* 1: written as a page bundle (load_bundle) */
	const char *fm;
	int line, col;
	const char *msg;
} mistakes[] = {
	/* a key of the mapping glued to its value in { }: one key with no
	 * value, the value lost */
	{0, "electives: [{type: clinical, contact: {name: Dr A, "
	 "role:Coordinator}}]\n", 8, 52,
	 "put a space after the colon: role: Coordinator"},
	/* a known key but for an unseen character in it */
	{0, "hou\xc2\xadsing: Rooms\n", 8, 1,
	 "the key 'housing' holds a soft hyphen (U+00AD), unseen, which makes "
	 "it no key partnermap reads: delete it"},
	{0, "electives: [{type: clinicl}]\n", 8, 20,
	 "unknown elective 'clinicl' (expected clinical, research or "
	 "observership); did you mean clinical?"},
	{0, "electives: [{disciplines: [surgery]}]\n", 8, 13,
	 "missing required field 'type' (the kind of elective); add a line "
	 "such as type: clinical"},
	{0, "electives: [{type: clinical, disciplines: [sugery]}]\n", 8, 44,
	 "unknown discipline 'sugery' (expected internal-medicine, paediatrics, "
	 "surgery, obstetrics-gynaecology, psychiatry, family-medicine, "
	 "emergency-medicine, anaesthesia, infectious-diseases, public-health, "
	 "global-health, nursing, midwifery, pharmacy, dentistry, "
	 "physiotherapy, laboratory-medicine or radiology); did you mean "
	 "surgery?"},
	{0, "electives: [{type: clinical, levels: [undergradute]}]\n", 8, 39,
	 "unknown level 'undergradute' (expected undergraduate or postgraduate); "
	 "did you mean undergraduate?"},
	{0, "electives: [{type: clinical, languages: [French]}]\n", 8, 42,
	 "'French' is a language's name, not its tag: write fr"},
	{0, "electives: [{type: clinical, languages: [iw]}]\n", 8, 42,
	 "'iw' is a language tag the IANA registry has deprecated: write he"},
	{0, "electives: [{type: clinical, languages: [Espa\xc3\xb1ol]}]\n", 8, 42,
	 "'Espa\xc3\xb1ol' is a language's name, not its tag: write es"},
	{0, "electives: [{type: clinical, languages: [pt_br]}]\n", 8, 42,
	 "'pt_br' is written as a locale, with an underscore: write pt-BR"},
	{0, "electives: [{type: clinical, languages: [jw]}]\n", 8, 42,
	 "'jw' is a language tag the IANA registry has deprecated: write jv"},
	{0, "electives: [{type: clinical, languages: [deu-CH]}]\n", 8, 42,
	 "'deu-CH' begins with the language's three-letter ISO 639-2 code, "
	 "where its tag has two letters: write de-CH"},
	{0, "electives: [{type: clinical, languages: [DEU]}]\n", 8, 42,
	 "'DEU' is the language's three-letter ISO 639-2 code, where its tag "
	 "has two letters: write de"},
	{0, "electives: [{type: clinical, languages: [e]}]\n", 8, 42,
	 "'e' is not a language tag: write a BCP 47 tag such as en, fr or pt-BR"},
	/* the primary language ends at a dash (zzq0 passed as zzq) */
	{0, "electives: [{type: clinical, languages: [zzq0]}]\n", 8, 42,
	 "'zzq0' is not a language tag: write a BCP 47 tag such as en, fr or pt-BR"},
	{0, "electives: [{type: clinical, languages: [en--GB]}]\n", 8, 42,
	 "'en--GB' is not a language tag: write a BCP 47 tag such as en, fr or pt-BR"},
	{0, "electives: [{type: clinical, languages: [en-abcdefghi]}]\n", 8, 42,
	 "'en-abcdefghi' is not a language tag: write a BCP 47 tag such as en, "
	 "fr or pt-BR"},
	/* well formed, but no language a page can name or a student speak */
	{0, "electives: [{type: clinical, languages: [xx]}]\n", 8, 42,
	 "'xx' is not a language CLDR (the Unicode locale data) knows: write "
	 "its tag, such as en, fr or pt-BR"},
	{0, "languages_of_instruction: [zxx]\n", 8, 28,
	 "'zxx' is ISO 639's code for no linguistic content, which no page is "
	 "written in: write a language's tag, such as en, fr or pt-BR"},
	{0, "electives: [{type: clinical, duration: 8-4}]\n", 8, 40,
	 "duration 8-4: the shortest is longer than the longest; write 4-8"},
	{0, "electives: [{type: clinical, duration: 200}]\n", 8, 40,
	 "duration '200' must be a number of weeks from 1 to 104, or a range "
	 "such as 4-8" WEEKS_FIX},
	{0, "electives: [{type: clinical, duration: a month}]\n", 8, 40,
	 "duration 'a month' must be a number of weeks from 1 to 104, or a "
	 "range such as 4-8" WEEKS_FIX},
	/* weeks written another way: one fix, in weeks, in the form read */
	{0, "electives: [{type: clinical, duration: 4 wks}]\n", 8, 40,
	 "duration '4 wks' writes its unit short: write duration: 4 weeks"},
	{0, "electives: [{type: clinical, duration: 4-8 W}]\n", 8, 40,
	 "duration '4-8 W' writes its unit short: write duration: 4-8 weeks"},
	{0, "electives: [{type: clinical, duration: 4\xe2\x80\x93" "8 weeks}]\n",
	 8, 40, "duration '4\xe2\x80\x93" "8 weeks' is a range written another "
	 "way: write duration: 4-8 weeks, with a hyphen and no spaces"},
	{0, "electives: [{type: clinical, duration: 4 to 8 weeks}]\n", 8, 40,
	 "duration '4 to 8 weeks' is a range written another way: write "
	 "duration: 4-8 weeks, with a hyphen and no spaces"},
	{0, "electives: [{type: clinical, duration: 4 - 8}]\n", 8, 40,
	 "duration '4 - 8' is a range written another way: write duration: "
	 "4-8, with a hyphen and no spaces"},
	{0, "electives: [{type: clinical, duration: 6weeks}]\n", 8, 40,
	 "duration '6weeks' has no space before its unit: write duration: "
	 "6 weeks"},
	{0, "electives: [{type: clinical, duration: 28 days}]\n", 8, 40,
	 "duration '28 days' is in days, where it counts weeks: write "
	 "duration: 4 weeks"},
	{0, "electives: [{type: clinical, duration: 30 days}]\n", 8, 40,
	 "duration '30 days' is in days, where it counts weeks: write "
	 "duration: 4 weeks (the nearest whole number)"},
	{0, "electives: [{type: clinical, duration: 10 days}]\n", 8, 40,
	 "duration '10 days' is in days, where it counts weeks: write "
	 "duration: 1 week (the nearest whole number)"},
	{0, "electives: [{type: clinical, duration: 1-2 months}]\n", 8, 40,
	 "duration '1-2 months' is in months, where it counts weeks: write "
	 "duration: 4-9 weeks (the nearest whole numbers)"},
	{0, "electives: [{type: clinical, duration: 1 year}]\n", 8, 40,
	 "duration '1 year' is in years, where it counts weeks: write "
	 "duration: 52 weeks (the nearest whole number)"},
	{0, "electives: [{type: clinical, duration: 3 months}]\n", 8, 40,
	 "duration '3 months' is in months, where it counts weeks: write "
	 "duration: 13 weeks (the nearest whole number)"},
	/* 13.04 weeks, rounded up: 52 / 12 weeks a month would say 13 */
	{0, "electives: [{type: clinical, apply_by: 3 months}]\n", 8, 40,
	 "apply_by '3 months' is in months, where it counts weeks: write "
	 "apply_by: 14 weeks (rounded up, so that no one applies late), or a "
	 "date written YYYY-MM-DD"},
	{0, "electives: [{type: clinical, apply_by: 1 year}]\n", 8, 40,
	 "apply_by '1 year' is in years, where it counts weeks: write "
	 "apply_by: 53 weeks (rounded up, so that no one applies late), or a "
	 "date written YYYY-MM-DD"},
	/* past the most, in weeks: told as any duration out of range */
	{0, "electives: [{type: clinical, duration: 3 years}]\n", 8, 40,
	 "duration '3 years' must be a number of weeks from 1 to 104, or a "
	 "range such as 4-8" WEEKS_FIX},
	{0, "electives: [{type: clinical, duration: 3 days}]\n", 8, 40,
	 "duration '3 days' must be a number of weeks from 1 to 104, or a "
	 "range such as 4-8" WEEKS_FIX},
	{0, "electives: [{type: clinical, apply_by: 12 wks}]\n", 8, 40,
	 "apply_by '12 wks' writes its unit short: write apply_by: 12 weeks"},
	{0, "electives: [{type: clinical, apply_by: 14 days}]\n", 8, 40,
	 "apply_by '14 days' is in days, where it counts weeks: write "
	 "apply_by: 2 weeks"},
	/* rounded up: a deadline told early is one nobody misses */
	{0, "electives: [{type: clinical, apply_by: 30 days}]\n", 8, 40,
	 "apply_by '30 days' is in days, where it counts weeks: write "
	 "apply_by: 5 weeks (rounded up, so that no one applies late), or a "
	 "date written YYYY-MM-DD"},
	{0, "electives: [{type: clinical, apply_by: 2 Months}]\n", 8, 40,
	 "apply_by '2 Months' is in months, where it counts weeks: write "
	 "apply_by: 9 weeks (rounded up, so that no one applies late), or a "
	 "date written YYYY-MM-DD"},
	{0, "electives: [{type: clinical, apply_by: 8weeks}]\n", 8, 40,
	 "apply_by '8weeks' has no space before its unit: write apply_by: "
	 "8 weeks"},
	/* one deadline: a range has no fix to offer */
	{0, "electives: [{type: clinical, apply_by: 8-12 weeks}]\n", 8, 40,
	 "apply_by must be a date written YYYY-MM-DD or a number of weeks "
	 "ahead such as '8 weeks', not '8-12 weeks'" DATE_FIX},
	{0, "electives: [{type: clinical, capacity: 0}]\n", 8, 40,
	 "capacity must be the number of places a year, a whole number from 1 "
	 "to 10000, not '0'"},
	{0, "electives: [{type: clinical, capacity: 2.5}]\n", 8, 40,
	 "capacity must be the number of places a year, a whole number from 1 "
	 "to 10000, not '2.5'"},
	{0, "electives: [{type: clinical, months: [Jan, 13]}]\n", 8, 44,
	 "unknown month '13': write a number from 1 to 12 or a month's English "
	 "name, such as March or Mar"},
	{0, "electives: [{type: clinical, months: [Juni]}]\n", 8, 39,
	 "unknown month 'Juni': write a number from 1 to 12 or a month's "
	 "English name, such as March or Mar; did you mean June?"},
	{0, "electives: [{type: clinical, apply_by: 2026-02-30}]\n", 8, 40,
	 "apply_by: 2026-02-30 is not a real date (February 2026 has 28 days): "
	 "check the day and the month"},
	{0, "electives: [{type: clinical, apply_by: 2028-13-01}]\n", 8, 40,
	 "apply_by: 2028-13-01 is not a real date (there is no month 13): write "
	 "the year, then the month (01 to 12), then the day"},
	{0, "electives: [{type: clinical, apply_by: soon}]\n", 8, 40,
	 "apply_by must be a date written YYYY-MM-DD or a number of weeks "
	 "ahead such as '8 weeks', not 'soon'" DATE_FIX},
	{0, "electives: [{type: clinical, fee: {amount: 250, currency: euro}}]\n",
	 8, 59, "unknown currency 'euro': use the ISO 4217 code EUR"},
	{0, "electives: [{type: clinical, fee: {amount: 250, currency: Pound Sterling}}]\n",
	 8, 59, "unknown currency 'Pound Sterling': use the ISO 4217 code GBP"},
	{0, "electives: [{type: clinical, fee: {amount: 250, currency: ZZZ}}]\n",
	 8, 59, "unknown currency 'ZZZ': use an ISO 4217 code such as EUR, USD "
	 "or GBP"},
	{0, "electives: [{type: clinical, fee: {amount: -5, currency: EUR}}]\n",
	 8, 44, "amount must be 0 or more (write fee: waived when there is "
	 "none), not -5"},
	{0, "electives: [{type: clinical, fee: {amount: 10000000000, currency: EUR}}]\n",
	 8, 44, "amount must be at most 1000000000 (whole units of its currency), "
	 "not 10000000000"},
	{0, "electives: [{type: clinical, fee: {amount: 1e-10, currency: USD}}]\n",
	 8, 44, "amount must be written in decimal digits, such as 250 or 12.50, "
	 "not 1e-10"},
	{0, "electives: [{type: clinical, fee: {amount: 1e308, currency: EUR}}]\n",
	 8, 44, "amount must be written in decimal digits, such as 250 or 12.50, "
	 "not 1e308"},
	{0, "electives: [{type: clinical, fee: {amount: 12.345, currency: EUR}}]\n",
	 8, 44, "amount 12.345 has 3 decimals, but EUR has 2 (ISO 4217): round it "
	 "to 2"},
	{0, "electives: [{type: clinical, fee: {currency: JPY, amount: 1.5}}]\n",
	 8, 59, "amount 1.5 has decimals, but JPY has no minor unit (ISO 4217): "
	 "round it to a whole number"},
	{0, "electives: [{type: clinical, capacity: 0x10}]\n", 8, 40,
	 "capacity '0x10' is hexadecimal: numbers are written in plain decimal "
	 "digits; write 16"},
	/* told the number it is (test_numbers.c) */
	{0, "electives: [{type: clinical, capacity: 1e1}]\n", 8, 40,
	 "capacity '1e1' has an exponent: numbers are written in plain "
	 "decimal digits; write 10"},
	{0, "electives: [{type: clinical, duration: 0x8}]\n", 8, 40,
	 "duration '0x8' is hexadecimal: numbers are written in plain decimal "
	 "digits; write 8"},
	{0, "electives: [{type: clinical, apply_by: 0001-01-01}]\n", 8, 40,
	 "apply_by: 0001-01-01 is not in the years 1900 to 2200: check the "
	 "year, written in full, such as 2025-09-01"},
	{0, "electives: [{type: clinical, apply_by: 0x8 weeks}]\n", 8, 40,
	 "apply_by must be a date written YYYY-MM-DD or a number of weeks "
	 "ahead such as '8 weeks', not '0x8 weeks'" DATE_FIX},
	{0, "electives: [{type: clinical, apply_by: 8.5 weeks}]\n", 8, 40,
	 "apply_by '8.5 weeks' must be a whole number of weeks from 1 to 104, "
	 "such as '8 weeks', or a date written YYYY-MM-DD"},
	{0, "electives: [{type: clinical, apply_by: 0 weeks}]\n", 8, 40,
	 "apply_by '0 weeks' must be a whole number of weeks from 1 to 104, "
	 "such as '8 weeks', or a date written YYYY-MM-DD"},
	/* a number of weeks without its unit */
	{0, "electives: [{type: clinical, apply_by: 12}]\n", 8, 40,
	 "apply_by 12 has no unit: write apply_by: 12 weeks for weeks ahead, "
	 "or a date written YYYY-MM-DD"},
	{0, "electives: [{type: clinical, apply_by: '6'}]\n", 8, 40,
	 "apply_by 6 has no unit: write apply_by: 6 weeks for weeks ahead, "
	 "or a date written YYYY-MM-DD"},
	{0, "electives: [{type: clinical, fee: {amount: 250}}]\n", 8, 35,
	 "missing required field 'currency' (an ISO 4217 currency code); add a "
	 "line such as currency: EUR"},
	/* ISO 4217 codes of no money: a fee was shown as "5.00 XXX" */
	{0, "electives: [{type: clinical, fee: {amount: 5, currency: XAU}}]\n",
	 8, 57, "currency 'XAU' is ISO 4217's code for Gold, not money a fee is "
	 "paid in: write the code of the currency it is paid in, such as EUR, "
	 "USD or XOF"},
	{0, "electives: [{type: clinical, fee: {amount: 5, currency: xxx}}]\n",
	 8, 57, "currency 'xxx' is ISO 4217's code for no currency at all, not "
	 "money a fee is paid in: write the code of the currency it is paid "
	 "in, such as EUR, USD or XOF"},
	/* its thousands comma split it in { }: told as typed, in one round */
	{0, "electives: [{type: clinical, fee: 1,000 GBP}]\n", 8, 35,
	 "fee must be an amount and its currency, each named, not '1,000 "
	 "GBP': write fee: {amount: 1000, currency: GBP}"},
	{0, "electives: [{type: clinical, fee: 1,000 \xe2\x82\xac}]\n", 8, 35,
	 "fee must be an amount and its currency, each named, not '1,000 "
	 "\xe2\x82\xac': write fee: {amount: 1000, currency: EUR}"},
	/* the currency first: the amount is the whole number, not its
	 * first group (1 GBP was offered, and published once pasted) */
	{0, "electives: [{type: clinical, fee: GBP 1,000}]\n", 8, 35,
	 "fee must be an amount and its currency, each named, not 'GBP "
	 "1,000': write fee: {amount: 1000, currency: GBP}"},
	{0, "electives: [{type: clinical, fee: \xc2\xa3" "1,000}]\n", 8, 35,
	 "fee must be an amount and its currency, each named, not "
	 "'\xc2\xa3" "1,000': write fee: {amount: 1000, currency: GBP}"},
	{0, "electives: [{type: clinical, fee: \xe2\x82\xac" "2,500.50, capacity: 2}]\n",
	 8, 35, "fee must be an amount and its currency, each named, not "
	 "'\xe2\x82\xac" "2,500.50': write fee: {amount: 2500.50, currency: EUR}"},
	{0, "electives: [{type: clinical, fee: 1,000\xe2\x82\xac}]\n", 8, 35,
	 "fee must be an amount and its currency, each named, not "
	 "'1,000\xe2\x82\xac': write fee: {amount: 1000, currency: EUR}"},
	/* no money at all: no fix to paste */
	{0, "electives: [{type: clinical, fee: 1,000 XXX}]\n", 8, 35,
	 "fee must be an amount and its currency, such as {amount: 250, "
	 "currency: EUR}, or waived, not '1,000 XXX'"},
	{0, "electives: [{type: clinical, fee: free}]\n", 8, 35,
	 "fee must be an amount and its currency, such as {amount: 250, "
	 "currency: EUR}, or waived, not 'free'"},
	{0, "electives: [{type: clinical, contact: {email: a b@example.org}}]\n",
	 8, 47, "email 'a b@example.org' does not look like an e-mail address "
	 "(no spaces): write one plain address such as name@example.org, "
	 "without %, ?, &, spaces, quotes or comments"},
	{0, "electives: [{type: clinical, contact: Dr Mensah}]\n", 8, 39,
	 "contact must be a mapping such as {name: Dr A. Mensah, role: "
	 "Elective coordinator, email: electives@example.org}, not text"},
	{0, "electives: [{type: clinical, forms: [form.pdf]}]\n", 8, 38,
	 "file 'form.pdf': only a page bundle has files; move this record to "
	 "content/institutions/mak/index.md and put form.pdf beside it"},
	{0, "electives: [{type: clinical, forms: [../site.yml]}]\n", 8, 38,
	 "file '../site.yml' must be the name of a file beside index.md, "
	 "without folders: move the file into the page bundle and write only "
	 "its name"},
	{0, "electives: [{type: clinical, forms: [\"https://who.int/f.pdf\"]}]\n", 8, 38,
	 "file 'https://who.int/f.pdf' is a web address: forms and photo name "
	 "files of the page bundle; link a web form from the body instead"},
	{0, "electives: [{type: clinical, forms: [.env]}]\n", 8, 38,
	 "file '.env' is a hidden file, which is never read or published: "
	 "rename it without the leading dot"},
	{0, "electives: [clinical, research, clinical]\n", 8, 33,
	 "elective 'clinical' is listed twice (first at line 8): delete this one"},
	/* every list says each thing once */
	{0, "electives: [{type: clinical, months: [1, 1]}]\n", 8, 42,
	 "month '1' is listed twice (first at line 8): delete this one"},
	{0, "electives: [{type: clinical, months: [March, 4, Mar.]}]\n", 8, 49,
	 "month 'Mar.' is listed twice (first at line 8): delete this one"},
	{0, "electives: [{type: clinical, languages: [en, fr, EN]}]\n", 8, 50,
	 "language 'EN' is listed twice (first at line 8): delete this one"},
	{0, "languages_of_instruction: [fr, en, fr]\n", 8, 36,
	 "language 'fr' is listed twice (first at line 8): delete this one"},
	{0, "professions: [nurses, midwives, Nurses]\n", 8, 33,
	 "profession 'Nurses' is listed twice (first at line 8): delete this one"},
	/* a leading zero: octal to a YAML 1.1 reader */
	{0, "electives: [{type: clinical, capacity: 010}]\n", 8, 40,
	 "capacity '010' " LEADING_ZERO_OCTAL("010", "8", "10")},
	{0, "electives: [{type: clinical, capacity: 0010}]\n", 8, 40,
	 "capacity '0010' " LEADING_ZERO_OCTAL("0010", "8", "10")},
	/* a space between digit groups is no leading zero */
	{0, "electives: [{type: clinical, capacity: 1 000}]\n", 8, 40,
	 "capacity must be the number of places a year, a whole number from "
	 "1 to 10000, not '1 000'"},
	{0, "electives: [{type: clinical, duration: 04-08 weeks}]\n", 8, 40,
	 "duration '04-08 weeks' " LEADING_ZERO_TEXT " 4-8 weeks"},
	{0, "electives: [{type: clinical, months: [9, 09]}]\n", 8, 42,
	 "month '09' " LEADING_ZERO_NOT_OCTAL("09", "9")},
	{0, "electives: [{type: clinical, apply_by: 08 weeks}]\n", 8, 40,
	 "apply_by '08 weeks' " LEADING_ZERO_TEXT " 8 weeks"},
	{0, "electives: [{type: clinical, fee: {amount: 0250.50, currency: EUR}}]\n",
	 8, 44, "amount '0250.50' " LEADING_ZERO_DECIMAL " 250.50"},
	/* thousands commas outside { } and [ ]: text where a number goes */
	{0, "electives:\n  - type: clinical\n    capacity: 1,000\n", 10, 15,
	 "capacity '1,000' has a thousands separator, which a number may not "
	 "hold; write 1000, without the comma"},
	{0, "electives:\n  - type: clinical\n    fee:\n      currency: EUR\n"
	 "      amount: 12,500.50\n", 12, 15,
	 "amount '12,500.50' has a thousands separator, which a number may "
	 "not hold; write 12500.50, without the comma"},
	{0, "electives: [{type: clinical, capacty: 3}]\n", 8, 30,
	 "unknown key 'capacty' (ignored); did you mean capacity?"},
	{1, "photo: {file: photo.png}\n", 8, 8,
	 "missing required field 'alt' (what the photo shows, for readers who "
	 "cannot see it); add a line such as alt: \"The teaching hospital's "
	 "main entrance\""},
	{0, "photo: photo.png\n", 8, 8,
	 "photo must be a mapping such as {file: photo.jpg, alt: \"Students on "
	 "the hospital's ward\"}: alt says what it shows to those who cannot "
	 "see it"},
	{0, "updated: 2199-01-01\n", 8, 10,
	 "updated: 2199-01-01 is in the future (today is 2026-11-30): write the "
	 "day the partner last confirmed the information"},
	{0, "updated: 2999-01-01\n", 8, 10,
	 "updated: 2999-01-01 is not in the years 1900 to 2200: check the "
	 "year, written in full, such as 2025-09-01"},
	{0, "updated: 15/09/2026\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '15/09/2026': write "
	 "updated: 2026-09-15"},
	{0, "updated: 09/15/2026\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '09/15/2026': write "
	 "updated: 2026-09-15"},
	{0, "updated: 2026-9-5\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '2026-9-5': write "
	 "updated: 2026-09-05"},
	{0, "updated: 2026-09-15T10:00\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '2026-09-15T10:00': "
	 "write updated: 2026-09-15"},
	/* the 5th of June or May the 6th: no guess */
	{0, "updated: 05/06/2026\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '05/06/2026': write "
	 "the year, the month and the day, in that order, such as updated: "
	 "2025-09-01"},
	{0, "languages_of_instruction: [english]\n", 8, 28,
	 "'english' is a language's name, not its tag: write en"},
	/* the month in words, or no day: the date typed, not an example */
	{0, "updated: March 1, 2019\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not 'March 1, 2019': "
	 "write updated: 2019-03-01"},
	{0, "updated: 1st of Sept 2019\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '1st of Sept 2019': "
	 "write updated: 2019-09-01"},
	{0, "updated: March 2019\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not 'March 2019': write "
	 "the day too, such as updated: 2019-03-01 for the first of the month"},
	{0, "updated: 2019-03\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '2019-03': write the "
	 "day too, such as updated: 2019-03-01 for the first of the month"},
	{0, "updated: 3/2019\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '3/2019': write the "
	 "day too, such as updated: 2019-03-01 for the first of the month"},
	/* no month 13, nor a year cut short: the example */
	{0, "updated: 13/2019\n", 8, 10,
	 "updated must be a date written YYYY-MM-DD, not '13/2019': write the "
	 "year, the month and the day, in that order, such as updated: "
	 "2025-09-01"},
	/* an amount and a currency as one text: the fee as typed */
	{0, "electives: [{type: clinical, fee: 300 GBP}]\n", 8, 35,
	 "fee must be an amount and its currency, each named, not '300 GBP': "
	 "write fee: {amount: 300, currency: GBP}"},
	{0, "electives: [{type: clinical, fee: \u00a3250.50}]\n", 8, 35,
	 "fee must be an amount and its currency, each named, not "
	 "'\u00a3250.50': write fee: {amount: 250.50, currency: GBP}"},
	/* thousands grouped with commas: the amount without them */
	{0, "electives:\n  - type: clinical\n    fee: GBP 1,000\n", 10, 10,
	 "fee must be an amount and its currency, each named, not 'GBP "
	 "1,000': write fee: {amount: 1000, currency: GBP}"},
	{0, "electives:\n  - type: clinical\n    fee: 1,250,000.50 EUR\n", 10,
	 10, "fee must be an amount and its currency, each named, not "
	 "'1,250,000.50 EUR': write fee: {amount: 1250000.50, currency: EUR}"},
	/* a decimal comma is no group: no guess */
	{0, "electives:\n  - type: clinical\n    fee: 250,50 EUR\n", 10, 10,
	 "fee must be an amount and its currency, such as {amount: 250, "
	 "currency: EUR}, or waived, not '250,50 EUR'"},
	/* no guess for a sign of several currencies, nor an amount the fee
	 * refuses (JPY has no minor unit) */
	{0, "electives: [{type: clinical, fee: $300}]\n", 8, 35,
	 "fee must be an amount and its currency, such as {amount: 250, "
	 "currency: EUR}, or waived, not '$300'"},
	{0, "electives: [{type: clinical, fee: 5000.5 JPY}]\n", 8, 35,
	 "fee must be an amount and its currency, such as {amount: 250, "
	 "currency: EUR}, or waived, not '5000.5 JPY'"},
	{0, "updated: 0000-03-01\n", 8, 10,
	 "updated: 0000-03-01 is not a real date (there is no year 0000): "
	 "write the year in full, such as 2025"},
	/* a list written without its brackets; an item that would not read
	 * back as written, in quotes */
	{0, "languages_of_instruction: en, fr\n", 8, 27,
	 "languages_of_instruction is one text with commas, not a list: write "
	 "languages_of_instruction: [en, fr]"},
	{0, "languages_of_instruction: en, & fr, null\n", 8, 27,
	 "languages_of_instruction is one text with commas, not a list: write "
	 "languages_of_instruction: [en, \"& fr\", \"null\"]"},
	/* the short form of a list of mappings, as much: one word each */
	{0, "electives: clinical, research\n", 8, 12,
	 "electives is one text with commas, not a list: write electives: "
	 "[clinical, research]"},
	/* an item in quotes already, as typed; a long value not repeated */
	{0, "electives: clinical, \"research\"\n", 8, 12,
	 "electives is one text with commas, not a list: write electives: "
	 "[clinical, \"research\"]"},
	{0, "electives: clinical, research, observership, clinical, research, "
	 "observership, clinical, research, observership, clinical\n", 8, 12,
	 "electives is one text with commas, not a list: put its items in "
	 "brackets, such as electives: [a, b]"},
};

/* A week alone, and its unit in capitals, are weeks as written. */
static void test_weeks_in_their_spellings(void **state)
{
	site_fixture *f = *state;
	load(f, "content/institutions/mak.md",
	     "electives:\n"
	     "  - {type: clinical, duration: 1 week, apply_by: 1 week}\n"
	     "  - {type: research, duration: 2-3 WEEKS, apply_by: 10 Weeks}\n"
	     "  - {type: observership, duration: 3 weeks}\n");
	if (f->d.n)
		diags_print(&f->d, stderr);
	assert_int_equal(f->d.n, 0);
	const institution *in = &f->s.inst[0];
	assert_int_equal(in->noffers, 3);
	assert_int_equal(in->offers[0].weeks_min, 1);
	assert_int_equal(in->offers[0].weeks_max, 1);
	assert_int_equal(in->offers[0].apply_weeks, 1);
	assert_int_equal(in->offers[1].weeks_min, 2);
	assert_int_equal(in->offers[1].weeks_max, 3);
	assert_int_equal(in->offers[1].apply_weeks, 10);
	assert_int_equal(in->offers[2].weeks_min, 3);
	assert_int_equal(in->offers[2].weeks_max, 3);
}

static void test_each_mistake(void **state)
{
	site_fixture *f = *state;
	/* a fixed day, so that "today" in the message does not move */
	setenv("SOURCE_DATE_EPOCH", "1795996800", 1); /* 2026-11-30 */
	for (size_t i = 0; i < sizeof mistakes / sizeof *mistakes; i++) {
		const struct mistake *m = &mistakes[i];
		char *flat = fs_join(f->dir, "content/institutions/mak.md");
		char *folder = fs_join(f->dir, "content/institutions/mak");
		fs_remove_tree(flat);
		fs_remove_tree(folder);
		free(flat);
		free(folder);
		if (m->bundle)
			load_bundle(f, m->fm);
		else
			load(f, "content/institutions/mak.md", m->fm);
		int warn = strstr(m->msg, "unknown key") ||
			   strstr(m->msg, "listed twice");
		expect_one(f, warn ? DIAG_WARNING : DIAG_ERROR, m->line, m->col,
			   m->msg);
		assert_string_equal(f->d.v[0].path, m->bundle ?
				    "content/institutions/mak/index.md" :
				    "content/institutions/mak.md");
	}
	unsetenv("SOURCE_DATE_EPOCH");
}

/* The files a missing form's message lists are those a page may link:
 * not the record, nor its translations (index.<lang>.md), nor a file of
 * a kind a bundle never publishes (frm.html, from.mov: "did you mean"
 * pointed at them); index.pdf is. */
static void test_bundle_files_listed(void **state)
{
	site_fixture *f = *state;
	site_put(f, "content/institutions/mak/index.fr.md", "---\nname: M\n---\n");
	site_put(f, "content/institutions/mak/index.pdf", "%PDF-1.4 index\n");
	site_put(f, "content/institutions/mak/frm.html", "<p>x</p>\n");
	site_put(f, "content/institutions/mak/from.mov", "x\n");
	load_bundle(f, "electives: [{type: clinical, forms: [from.pdf]}]\n");
	const diag_t *hit = NULL;
	for (size_t i = 0; i < f->d.n && !hit; i++)
		if (strstr(f->d.v[i].msg, "is not in the page bundle"))
			hit = &f->d.v[i];
	assert_non_null(hit);
	assert_string_equal(hit->msg,
		   "file 'from.pdf' is not in the page bundle "
		   "content/institutions/mak/; the bundle holds form.pdf, "
		   "guide.pdf, index.pdf, photo.png; did you mean form.pdf?");
}

static void test_bundle_mistakes(void **state)
{
	site_fixture *f = *state;
	load_bundle(f, "electives: [{type: clinical, forms: [from.pdf]}]\n");
	expect_one(f, DIAG_ERROR, 8, 38,
		   "file 'from.pdf' is not in the page bundle "
		   "content/institutions/mak/; the bundle holds form.pdf, "
		   "guide.pdf, photo.png; did you mean form.pdf?");
	assert_string_equal(f->d.v[0].path, "content/institutions/mak/index.md");
	assert_int_equal(f->s.ninst, 0);

	/* both mak.md and mak/index.md */
	char *flat = xasprintf("%s---\n", head);
	site_put(f, "content/institutions/mak.md", flat);
	free(flat);
	load_bundle(f, "");
	expect_one(f, DIAG_ERROR, 1, 1,
		   "content/institutions/mak.md and "
		   "content/institutions/mak/index.md are both the record of "
		   "'mak': keep one (move mak.md into "
		   "content/institutions/mak/index.md, or remove the folder)");
	assert_string_equal(f->d.v[0].path, "content/institutions/mak/index.md");
}

static void test_large_file_warns(void **state)
{
	site_fixture *f = *state;
	site_put(f, "site.yml", "title: T\nbase_url: https://example.org/\n"
	    "max_file_size: 14 B\n");
	load_bundle(f, "electives: [{type: clinical, forms: [form.pdf]}]\n");
	expect_one(f, DIAG_WARNING, 1, 1,
		   "guide.pdf is 15 bytes, more than site.yml's max_file_size "
		   "(14 bytes): students on slow connections may not get it; "
		   "make it smaller, or raise max_file_size");
	assert_string_equal(f->d.v[0].path, "content/institutions/mak/guide.pdf");
	assert_int_equal(f->d.v[0].check, CHECK_LARGE_FILE);
	assert_int_equal(f->s.ninst, 1);
}

/* ---- site.yml ------------------------------------------------------------ */

static void test_site_disciplines(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	site_config cfg = {0};
	const char *yml = "title: T\nbase_url: https://example.org/\n"
			  "disciplines: [{slug: tropical-medicine, name: Tropical "
			  "medicine}, surgery, {slug: Bad Slug}]\n"
			  "max_file_size: 2 MB\n";
	assert_int_equal(config_parse(&cfg, yml, strlen(yml), "site.yml", &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 3);
	assert_int_equal(d.v[0].col, 83);
	assert_string_equal(d.v[0].msg,
		"'Bad Slug' cannot be a discipline's slug: write lower-case "
		"letters, digits and single dashes, such as internal-medicine");
	assert_int_equal(cfg.ndisciplines, 2);
	assert_string_equal(cfg.disciplines[0].name, "Tropical medicine");
	assert_string_equal(cfg.disciplines[1].slug, "surgery");
	assert_string_equal(cfg.disciplines[1].name, "Surgery");
	assert_int_equal(cfg.max_file_size, 2u << 20);
	config_free(&cfg);
	diags_free(&d);

	/* 0x10 is told as a number (test_numbers.c): 16 bytes */
	static const char *const sizes[] = {"huge", "0x10 KB", "1e3 KB", "inf",
					    "+5 MB", "5.5.5 MB"};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char *text = xasprintf("title: T\nbase_url: https://example.org/"
				       "\nmax_file_size: %s\n", sizes[i]);
		char *msg = xasprintf("max_file_size must be a size in decimal "
				      "digits such as 5 MB, 500 KB or 65536 "
				      "(bytes), more than 0 and at most 64 MB, "
				      "not '%s'", sizes[i]);
		config_parse(&cfg, text, strlen(text), "site.yml", &d);
		assert_int_equal(d.n, 1);
		assert_string_equal(d.v[0].msg, msg);
		config_free(&cfg);
		diags_free(&d);
		free(msg);
		free(text);
	}
	yml = "title: T\nbase_url: https://example.org/\nmax_file_size: huge\n";
	config_parse(&cfg, yml, strlen(yml), "site.yml", &d);
	/* the defaults */
	assert_int_equal(cfg.max_file_size, PM_DEFAULT_MAX_FILE_SIZE);
	assert_non_null(site_discipline(&cfg, "obstetrics-gynaecology"));
	assert_string_equal(offers_discipline_name(&cfg, "public-health"),
			    "Public health");
	config_free(&cfg);
	diags_free(&d);
}

/* A discipline listed again is a warning at it naming the first, which
 * is the one kept, however many times and far apart it comes back. */
static void test_site_disciplines_twice(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	site_config cfg = {0};
	const char *yml = "title: T\nbase_url: https://example.org/\n"
			  "disciplines:\n"
			  "- a\n"                       /* line 4 */
			  "- {slug: b, name: First b}\n" /* 5 */
			  "- a\n"                       /* 6 */
			  "- {slug: b, name: Second b}\n"
			  "- c\n"
			  "- a\n";                      /* 9 */
	assert_int_equal(config_parse(&cfg, yml, strlen(yml), "site.yml", &d), 0);
	assert_int_equal(cfg.ndisciplines, 3);
	assert_string_equal(cfg.disciplines[0].slug, "a");
	assert_string_equal(cfg.disciplines[1].name, "First b");
	assert_string_equal(cfg.disciplines[2].slug, "c");
	assert_int_equal(d.n, 3);
	static const struct {
		int line;
		const char *msg;
	} want[] = {
		{6, "discipline 'a' is listed twice (first at line 4): delete this one"},
		{7, "discipline 'b' is listed twice (first at line 5): delete this one"},
		{9, "discipline 'a' is listed twice (first at line 4): delete this one"},
	};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(d.v[i].level, DIAG_WARNING);
		assert_int_equal(d.v[i].line, want[i].line);
		assert_string_equal(d.v[i].msg, want[i].msg);
	}
	config_free(&cfg);
	diags_free(&d);
}

/* A site.yml of thousands of disciplines and a record naming thousands
 * that are not: the first FIELD_UNKNOWN_TOLD are told with a list cut at
 * FIELD_WORDS_LISTED words, the rest in one error (each told whole was
 * 200 KB, and 9,000 of them took 2.7 GB and 90 s). */
static void test_many_unknown_disciplines(void **state)
{
	site_fixture *f = *state;
	buf_t yml = BUF_INIT, fm = BUF_INIT;
	buf_puts(&yml, "title: T\nbase_url: https://example.org/\ndisciplines:\n");
	for (int i = 0; i < 30; i++)
		buf_printf(&yml, "- d%d\n", i);
	site_put(f, "site.yml", buf_cstr(&yml));
	buf_puts(&fm, "electives: [{type: clinical, disciplines: [d3");
	for (int i = 0; i < 14; i++)
		buf_printf(&fm, ", q%d", i);
	buf_puts(&fm, "]}]\n");
	load(f, "content/institutions/mak.md", buf_cstr(&fm));
	assert_int_equal(f->d.errors, FIELD_UNKNOWN_TOLD + 1);
	buf_t list = BUF_INIT;
	for (int i = 0; i < FIELD_WORDS_LISTED; i++)
		buf_printf(&list, "%sd%d", i ? ", " : "", i);
	char *first = xasprintf("unknown discipline 'q0' (expected %s or one of "
				"%d more); did you mean d0?", buf_cstr(&list),
				30 - FIELD_WORDS_LISTED);
	assert_string_equal(f->d.v[0].msg, first);
	assert_int_equal(f->d.v[0].col, 48);
	const diag_t *rest = &f->d.v[FIELD_UNKNOWN_TOLD];
	assert_string_equal(rest->msg, "'q10' and 3 more words from here on in "
			    "this list are no known discipline either: fix them "
			    "as the errors above say");
	assert_int_equal(rest->col, 48 + 4 * 10);
	free(first);
	buf_free(&list);
	buf_free(&yml);
	buf_free(&fm);
}

/* Each list of words a record holds tells its first FIELD_UNKNOWN_TOLD
 * unknown words one by one and the rest in one error at the next, as
 * disciplines do: months (a number out of range counted alike), language
 * tags and the short form's elective types. */
static void test_many_unknown_words_of_each_list(void **state)
{
	site_fixture *f = *state;
	static const struct {
		const char *pre, *fmt, *post, *what;
	} lists[] = {
		{"electives: [{type: clinical, months: [", "Smarch%d", "]}]\n", "month"},
		{"electives: [{type: clinical, months: [", "%d", "]}]\n", "month"},
		{"electives: [{type: clinical, languages: [", "not a tag %d", "]}]\n",
		 "language tag"},
		{"languages_of_instruction: [", "x-%d-y-z", "]\n", "language tag"},
		{"electives: [", "tour%d", "]\n", "elective"},
	};
	for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
		buf_t fm = BUF_INIT;
		int col = 0, eleventh = 0;
		buf_puts(&fm, lists[k].pre);
		for (int i = 0; i < 500; i++) {
			if (i)
				buf_puts(&fm, ", ");
			if (i == FIELD_UNKNOWN_TOLD)
				eleventh = (int)fm.len + 1;
			if (!i)
				col = (int)fm.len + 1;
			/* months: 13 to 512, none a month */
			buf_printf(&fm, lists[k].fmt, i + 13);
		}
		buf_puts(&fm, lists[k].post);
		load(f, "content/institutions/mak.md", buf_cstr(&fm));
		assert_int_equal(f->d.errors, FIELD_UNKNOWN_TOLD + 1);
		assert_int_equal(f->d.v[0].col, col);
		const diag_t *rest = &f->d.v[FIELD_UNKNOWN_TOLD];
		char word[64];
		snprintf(word, sizeof word, lists[k].fmt, FIELD_UNKNOWN_TOLD + 13);
		char *want = xasprintf("'%s' and %d more words from here on in this "
				       "list are no known %s either: fix them as "
				       "the errors above say", word,
				       500 - FIELD_UNKNOWN_TOLD - 1, lists[k].what);
		assert_string_equal(rest->msg, want);
		assert_int_equal(rest->line, 8);
		assert_int_equal(rest->col, eleventh);
		free(want);
		buf_free(&fm);
	}
}

/* The eleventh unknown word alone is told as one; a long word listed
 * twice, or a long unknown key, is quoted cut (DIAG_QUOTE), as every
 * value a message quotes. */
static void test_short_messages_at_their_edges(void **state)
{
	site_fixture *f = *state;
	buf_t fm = BUF_INIT;
	buf_puts(&fm, "electives: [{type: clinical, months: [");
	for (int i = 0; i < FIELD_UNKNOWN_TOLD + 1; i++)
		buf_printf(&fm, "%sSmarch%d", i ? ", " : "", i);
	buf_puts(&fm, "]}]\n");
	load(f, "content/institutions/mak.md", buf_cstr(&fm));
	assert_int_equal(f->d.errors, FIELD_UNKNOWN_TOLD + 1);
	assert_string_equal(f->d.v[FIELD_UNKNOWN_TOLD].msg, "'Smarch10' is no "
			    "known month either: fix it as the errors above say");
	buf_free(&fm);
	char longword[301];
	memset(longword, 'p', 300);
	longword[300] = '\0';
	buf_printf(&fm, "professions: [%s, %s]\n%s: 1\n", longword, longword,
		   longword);
	load(f, "content/institutions/mak.md", buf_cstr(&fm));
	assert_int_equal(f->d.warnings, 2);
	char *twice = xasprintf("profession '%.100s\xe2\x80\xa6' is listed twice "
				"(first at line 8): delete this one", longword);
	char *key = xasprintf("unknown key '%.100s\xe2\x80\xa6' (ignored)", longword);
	int seen_twice = 0, seen_key = 0;
	for (size_t k = 0; k < f->d.n; k++) {
		seen_twice |= !strcmp(f->d.v[k].msg, twice);
		seen_key |= !strcmp(f->d.v[k].msg, key);
	}
	assert_true(seen_twice);
	assert_true(seen_key);
	free(twice);
	free(key);
	buf_free(&fm);
}

/* Long lists are checked for repeats by sorting, not item by item (a
 * record's list of thousands took seconds); the first ten repeats are
 * told at themselves, naming the first item that said it, and one
 * warning at the eleventh counts the rest (2,000 lines were printed). */
static void test_repeats_in_long_lists(void **state)
{
	site_fixture *f = *state;
	buf_t fm = BUF_INIT;
	buf_puts(&fm, "professions:\n");
	for (int i = 0; i < 3000; i++)
		buf_printf(&fm, "  - p%d\n", i % 1000);
	load(f, "content/institutions/mak.md", buf_cstr(&fm));
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 11);
	assert_int_equal(f->d.n, 11);
	for (size_t k = 0; k < 10; k++) {
		const diag_t *m = &f->d.v[k];
		/* the item at line 1009 + k repeats p(k), first at 9 + k */
		assert_int_equal(m->line, 1009 + (int)k);
		char *want = xasprintf("profession 'p%zu' is listed twice (first at "
				       "line %zu): delete this one", k, 9 + k);
		assert_string_equal(m->msg, want);
		free(want);
	}
	assert_int_equal(f->d.v[10].line, 1019);
	assert_string_equal(f->d.v[10].msg, "profession 'p10' and 1989 more from "
			    "here on in this list are listed twice too: delete them");
	buf_free(&fm);
}

/* Each kind of list caps its repeats alike: told ten times, then once
 * for the rest; an eleventh alone is told as the ten were. */
static void test_repeats_are_told_ten_times_then_counted(void **state)
{
	site_fixture *f = *state;
	static const struct {
		const char *item, *what, *last;
		int n;
	} kinds[] = {
		{"Jan", "month", "month 'Jan' and 2 more from here on in this list "
		 "are listed twice too: delete them", 14},
		{"fr", "language", "language 'fr' is listed twice (first at line "
		 "11): delete this one", 12},
	};
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		buf_t fm = BUF_INIT;
		buf_printf(&fm, "electives:\n  - type: clinical\n    %ss:\n",
			   kinds[k].what);
		for (int i = 0; i < kinds[k].n; i++)
			buf_printf(&fm, "      - %s\n", kinds[k].item);
		load(f, "content/institutions/mak.md", buf_cstr(&fm));
		assert_int_equal(f->d.errors, 0);
		assert_int_equal(f->d.warnings, 11);
		for (size_t j = 0; j < 10; j++) {
			char *want = xasprintf("%s '%s' is listed twice (first at "
					       "line 11): delete this one",
					       kinds[k].what, kinds[k].item);
			assert_string_equal(f->d.v[j].msg, want);
			assert_int_equal(f->d.v[j].line, 12 + (int)j);
			free(want);
		}
		assert_int_equal(f->d.v[10].line, 22);
		assert_string_equal(f->d.v[10].msg, kinds[k].last);
		buf_free(&fm);
	}
}

/* An empty item is told as empty, each one: never also, nor instead, as
 * "'' is listed twice", in every list that says each thing once. */
static void test_empty_items_are_not_listed_twice(void **state)
{
	site_fixture *f = *state;
	static const char *const lists[] = {
		"professions:\n  -\n  -\n  -\n",
		"electives:\n  -\n  -\n  -\n",
		"languages_of_instruction:\n  -\n  -\n  -\n",
		"electives:\n  - type: clinical\n    languages:\n      -\n"
		"      -\n      -\n",
		"electives:\n  - type: clinical\n    months:\n      -\n"
		"      -\n      -\n",
	};
	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
		load(f, "content/institutions/mak.md", lists[k]);
		int first = strstr(lists[k], "type:") ? 11 : 9;
		assert_int_equal(f->d.warnings, 0);
		assert_int_equal(f->d.errors, 3);
		for (size_t j = 0; j < 3; j++) {
			assert_non_null(strstr(f->d.v[j].msg, "this value is empty"));
			assert_int_equal(f->d.v[j].line, first + (int)j);
		}
	}
}

/* A character reference to a character no page may hold is an error at
 * its place, as the character typed is (it was left out of the page, or
 * shown as U+FFFD, with no word); in code, or escaped, it is text. */
static void test_character_references_are_told_at_their_place(void **state)
{
	site_fixture *f = *state;
	char *text = xasprintf(
		"%s"                                            /* lines 1-7 */
		"housing: Rooms &#x202E; nearby\n"               /* 8 */
		"electives:\n"                                  /* 9 */
		"  - type: clinical\n"                          /* 10 */
		"    requirements: \"A \\\"quoted\\\" &#1; value\"\n" /* 11 */
		"---\n"                                         /* 12 */
		"Body &#xD800; and `&#x1;` in code, \\&#x1; escaped,\n" /* 13 */
		"\n"
		"    &#x2; in an indented block\n"               /* 15 */
		"\n"
		"&#xFDD0;&#65; &#x10FFFF; &#x41; &#1234567; &#12345678;\n" /* 17 */
		"\n"
		/* a fenced block's info string is decoded, its code is not */
		"```py&#x202E;x\n"                               /* 19 */
		"&#1; in code\n"
		"```\n"
		"> ~~~~ &#xD800;\n"                              /* 22 */
		"> ~~~~\n"
		"\n"
		"    ```&#x3; in an indented block\n",           /* 25 */
		head);
	load_text(f, text);
	free(text);
	static const struct {
		int line, col;
		const char *msg;
	} want[] = {
		{8, 16, "housing holds '&#x202E;', a character reference to U+202E "
			"(RIGHT-TO-LEFT OVERRIDE), which reorders the text shown after "
			"it: remove it (right-to-left text needs no such character)"},
		/* an escaped value: at the value */
		{11, 19, "requirements holds '&#1;', a character reference to a "
			 "control character (U+0001), which no page may hold: remove it"},
		{13, 6, "the body holds '&#xD800;', a character reference to no "
			"character (a surrogate is half of one): a page would show "
			"U+FFFD in its place; write the character itself"},
		{17, 1, "the body holds '&#xFDD0;', a character reference to a "
			"noncharacter (U+FDD0), which no page may hold: remove it"},
		{17, 15, "the body holds '&#x10FFFF;', a character reference to a "
			 "noncharacter (U+10FFFF), which no page may hold: remove it"},
		/* seven digits are a reference; eight would be text */
		{17, 33, "the body holds '&#1234567;', a character reference to no "
			 "character (U+10FFFF is the last): a page would show U+FFFD "
			 "in its place; write the character itself"},
		{19, 6, "the body holds '&#x202E;', a character reference to U+202E "
			"(RIGHT-TO-LEFT OVERRIDE), which reorders the text shown after "
			"it: remove it (right-to-left text needs no such character)"},
		{22, 8, "the body holds '&#xD800;', a character reference to no "
			"character (a surrogate is half of one): a page would show "
			"U+FFFD in its place; write the character itself"},
	};
	size_t n = sizeof want / sizeof want[0];
	assert_int_equal(f->d.errors, n);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(f->d.v[k].line, want[k].line);
		assert_int_equal(f->d.v[k].col, want[k].col);
		assert_string_equal(f->d.v[k].msg, want[k].msg);
	}
	/* past FIELD_UNKNOWN_TOLD in one text, one error tells the rest */
	load_repeated(f, "x &#x7; ", 25);
	assert_int_equal(f->d.errors, FIELD_UNKNOWN_TOLD + 1);
	const diag_t *rest = &f->d.v[FIELD_UNKNOWN_TOLD];
	assert_int_equal(rest->line, 9);
	assert_int_equal(rest->col, 3 + 8 * FIELD_UNKNOWN_TOLD);
	assert_string_equal(rest->msg, "'&#x7;' and 14 more character references "
			    "from here on in the body name characters no page "
			    "may hold too: fix them as the errors above say");
	/* the eleventh alone is told as one, not as "and 0 more" */
	load_repeated(f, "x &#x7; ", FIELD_UNKNOWN_TOLD + 1);
	assert_int_equal(f->d.errors, FIELD_UNKNOWN_TOLD + 1);
	assert_string_equal(f->d.v[FIELD_UNKNOWN_TOLD].msg, "'&#x7;' in the body "
			    "names a character no page may hold too: fix it as "
			    "the errors above say");
}

/* Raw HTML, which pages leave out (cmark's safe mode), is a warning at
 * its place with the Markdown that does the same: it was dropped without
 * a word, an HTML block with all its text. A comment is meant to be left
 * out, a closing tag goes with its opening one: neither is told; nor is a
 * character reference inside HTML that no page shows. */
static void test_raw_html_is_told_at_its_place(void **state)
{
	site_fixture *f = *state;
	char *text = xasprintf(
		"%s"                                                   /* 1-7 */
		"housing: Rooms <b>near</b> the ward\n"                 /* 8 */
		"---\n"                                                /* 9 */
		"Some <Strong>bold</strong> and <em>it</em> text,<br>\n" /* 10 */
		"a <a href=\"x\">link</a>, <span title=\"&#x202E;\">x</span>.\n" /* 11 */
		"<!-- a note for editors -->\n"                         /* 12 */
		"\n"
		"<div>\n"                                              /* 14 */
		"Lost &#1; text\n"
		"</div>\n"
		"\n"
		"> quoted <sup>2</sup> and `<code>` in code\n"          /* 18 */
		"\n"
		"    <p>in an indented code block</p>\n",               /* 20 */
		head);
	load_text(f, text);
	free(text);
	static const struct {
		int line, col;
		const char *msg;
	} want[] = {
		{8, 16, "housing holds raw HTML (<b>), which pages leave out, keeping "
			"the text around it: write **text** for bold instead"},
		{10, 6, "the body holds raw HTML (<strong>), which pages leave out, "
			"keeping the text around it: write **text** for bold instead"},
		{10, 32, "the body holds raw HTML (<em>), which pages leave out, "
			 "keeping the text around it: write *text* for italics instead"},
		{10, 49, "the body holds raw HTML (<br>), which pages leave out, "
			 "keeping the text around it: write a backslash (\\) at the "
			 "end of the line for a line break instead"},
		{11, 3, "the body holds raw HTML (<a>), which pages leave out, keeping "
			"the text around it: write [text](https://\xe2\x80\xa6) for a "
			"link instead"},
		{11, 25, "the body holds raw HTML (<span>), which pages leave out, "
			 "keeping the text around it: remove the tag (pages show "
			 "Markdown alone); if it is text, write \\<span> or put it "
			 "between backticks"},
		{14, 1, "the body holds an HTML block (<div>, lines 14 to 16), which "
			"pages leave out, text and all: write its text in Markdown "
			"instead"},
		{18, 10, "the body holds raw HTML (<sup>), which pages leave out, "
			 "keeping the text around it: remove the tag (pages show "
			 "Markdown alone); if it is text, write \\<sup> or put it "
			 "between backticks"},
	};
	size_t n = sizeof want / sizeof want[0];
	if (f->d.n != n)
		diags_print(&f->d, stderr);
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, n);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(f->d.v[k].level, DIAG_WARNING);
		assert_int_equal(f->d.v[k].check, CHECK_RAW_HTML);
		assert_int_equal(f->d.v[k].line, want[k].line);
		assert_int_equal(f->d.v[k].col, want[k].col);
		assert_string_equal(f->d.v[k].msg, want[k].msg);
	}
	/* found on its line: cmark's column leaves out a continuation line's
	 * indent and adds a container's to a lazy line (found by a review);
	 * an escaped tag before it on the line is text */
	text = xasprintf(
		"%s---\n"                                             /* 8 */
		"First line\n"                                        /* 9 */
		"   continued <b>b</b>\n"                             /* 10 */
		"\ttabbed <i>i</i>\n"                                 /* 11 */
		"\n"
		"> quote\n"                                           /* 13 */
		"lazy <u>u</u>\n"                                     /* 14 */
		"\n"
		"- item\n"                                            /* 16 */
		"lazy <u>u</u> and \\<b> then <b>x</b>\n",            /* 17 */
		head);
	load_text(f, text);
	free(text);
	static const int at[][2] = {{10, 14}, {11, 9}, {14, 6}, {17, 6}, {17, 29}};
	if (f->d.n != sizeof at / sizeof *at)
		diags_print(&f->d, stderr);
	assert_int_equal(f->d.n, sizeof at / sizeof *at);
	for (size_t k = 0; k < f->d.n; k++) {
		assert_int_equal(f->d.v[k].line, at[k][0]);
		assert_int_equal(f->d.v[k].col, at[k][1]);
	}
	/* a comment never closed runs to the end and hides the rest: told,
	 * and nothing in it (found by a review) */
	text = xasprintf("%s---\nIntro.\n\n<!-- a note\n\nLost <b>x</b>.\n", head);
	load_text(f, text);
	free(text);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].line, 11);
	assert_int_equal(f->d.v[0].col, 1);
	assert_string_equal(f->d.v[0].msg, "the body opens a comment ('<!--') that "
			    "is never closed, which leaves out all of it that "
			    "follows: end the comment with -->");
	/* past FIELD_UNKNOWN_TOLD in one text, one warning tells the rest */
	load_repeated(f, "<b>x</b> ", 15);
	assert_int_equal(f->d.warnings, FIELD_UNKNOWN_TOLD + 1);
	const diag_t *rest = &f->d.v[FIELD_UNKNOWN_TOLD];
	assert_int_equal(rest->line, 9);
	assert_int_equal(rest->col, 1 + 9 * FIELD_UNKNOWN_TOLD);
	assert_string_equal(rest->msg, "'<b>' and 4 more pieces of raw HTML from "
			    "here on in the body are left out of pages too: write "
			    "them in Markdown");
}

/* A bundle of many files: the message names the first FIELD_WORDS_LISTED
 * and counts the others; the hint still weighs them all. */
static void test_bundle_of_many_files(void **state)
{
	site_fixture *f = *state;
	for (int i = 0; i < FIELD_WORDS_LISTED + 5; i++) {
		char *rel = xasprintf("content/institutions/mak/f%02d.pdf", i);
		site_put(f, rel, "%PDF-1.4\n");
		free(rel);
	}
	site_put(f, "content/institutions/mak/zz-form.pdf", "%PDF-1.4\n");
	load_bundle(f, "electives: [{type: clinical, forms: [zz-from.pdf]}]\n");
	const diag_t *hit = NULL;
	for (size_t i = 0; i < f->d.n && !hit; i++)
		if (strstr(f->d.v[i].msg, "is not in the page bundle"))
			hit = &f->d.v[i];
	assert_non_null(hit);
	buf_t want = BUF_INIT;
	buf_puts(&want, "file 'zz-from.pdf' is not in the page bundle "
		 "content/institutions/mak/; the bundle holds ");
	for (int i = 0; i < FIELD_WORDS_LISTED; i++)
		buf_printf(&want, "%sf%02d.pdf", i ? ", " : "", i);
	/* f24..f28, form, guide, photo, zz-form */
	buf_printf(&want, " and %d more; did you mean zz-form.pdf?", 5 + 4);
	assert_string_equal(hit->msg, buf_cstr(&want));
	buf_free(&want);
}

/* Links to files no bundle holds are all told, the first
 * FIELD_LINK_HINTS with the bundle's files and the nearest (each a search
 * of all of them: 40,000 such links in a bundle of 10,000 took 74 s). */
static void test_bundle_hints_are_bounded(void **state)
{
	site_fixture *f = *state;
	buf_t fm = BUF_INIT;
	buf_puts(&fm, "housing: \"");
	for (int i = 0; i < FIELD_LINK_HINTS + 2; i++)
		buf_printf(&fm, "[x](gone-%03d.pdf) ", i);
	buf_puts(&fm, "\"\n");
	load_bundle(f, buf_cstr(&fm));
	size_t told = 0, listed = 0;
	const char *last = NULL;
	for (size_t i = 0; i < f->d.n; i++)
		if (strstr(f->d.v[i].msg, "is not in the page bundle")) {
			told++;
			listed += strstr(f->d.v[i].msg, "; the bundle holds form.pdf") != NULL;
			last = f->d.v[i].msg;
		}
	assert_int_equal(told, FIELD_LINK_HINTS + 2);
	assert_int_equal(listed, FIELD_LINK_HINTS);
	assert_string_equal(last, "housing links to 'gone-101.pdf', which is not in "
			    "the page bundle content/institutions/mak/");
	buf_free(&fm);
}

/* ---- image sizes and file kinds ------------------------------------------ */

static void test_image_sizes(void **state)
{
	(void)state;
	static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 0x20,
					    0x03, 0x58, 0x02};
	static const unsigned char jpeg[] = {
		0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 'J', 'F', 0xFF, 0xC0, 0x00,
		0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 0, 0, 0, 0, 0, 0};
	static const unsigned char webp[] = {
		'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P',
		'8', 'X', 10, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0x02, 0x00, 0xDF, 0x01,
		0x00};
	int w = 0, h = 0;
	assert_int_equal(image_size((const char *)gif, sizeof gif, &w, &h), 0);
	assert_int_equal(w, 800);
	assert_int_equal(h, 600);
	assert_int_equal(image_size((const char *)jpeg, sizeof jpeg, &w, &h), 0);
	assert_int_equal(w, 640);
	assert_int_equal(h, 480);
	assert_int_equal(image_size((const char *)webp, sizeof webp, &w, &h), 0);
	assert_int_equal(w, 640);
	assert_int_equal(h, 480);
	const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"\n"
			  "  viewBox=\"0 0 1200 675\">";
	assert_int_equal(image_size(svg, strlen(svg), &w, &h), 0);
	assert_int_equal(w, 1200);
	assert_int_equal(h, 675);
	svg = "<svg width=\"320px\" height=\"200\">";
	assert_int_equal(image_size(svg, strlen(svg), &w, &h), 0);
	assert_int_equal(w, 320);
	assert_int_equal(h, 200);
	assert_int_equal(image_size("not an image", 12, &w, &h), -1);
	assert_int_equal(image_size((const char *)jpeg, 6, &w, &h), -1);
	assert_string_equal(file_kind_key("form.PDF"), "file_kind_pdf");
	assert_string_equal(file_kind_key("a.docx"), "file_kind_word");
	assert_string_equal(file_kind_key("README"), "file_kind_other");
}

/* The links offers_linked_files finds in the record text (front matter
 * and body), into *v. Their count. */
static size_t links_of(const char *text, linked_file **v)
{
	fm_doc doc;
	diags_t d = DIAGS_INIT;
	assert_int_equal(fm_parse(text, strlen(text), "r.md", &doc, &d), 0);
	char *html = markdown_to_html(doc.body, doc.body_len);
	size_t n = offers_linked_files(html, &doc, NULL, v);
	free(html);
	fm_doc_free(&doc);
	diags_free(&d);
	return n;
}

static void links_free(linked_file *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].broken);
	}
	free(v);
}

/* offers_linked_files on a rendered body: a bare name is decoded and
 * found where the text writes it; an address no file beside the page can
 * answer is given as written, with why; the site's other pages, web
 * addresses and fragments are not links to files. */
static void test_linked_files(void **state)
{
	(void)state;
	const char *text = "---\nname: x\n---\n"
			   "[a](<my form.pdf>) [b](./a&b.pdf#p=2) [c](sub/x.pdf)\n"
			   "[d](.h.pdf) [e](x.pdf/) [f](a%2Fb.pdf) [g](5%x.pdf)\n"
			   "[h](www.who.int/a) [i](../other/) [j](/networks/)\n"
			   "[k](https://who.int/) [l](#top) [m](./) [n](mailto:a@b.c)\n"
			   "[o](java&#x09;script:x)\n";
	linked_file *v;
	size_t n = links_of(text, &v);
	static const struct {
		const char *name;
		int broken, line, col;
	} want[] = {
		{"my form.pdf", 0, 4, 6}, {"a&b.pdf", 0, 4, 26},
		{"sub/x.pdf", 1, 4, 43}, {".h.pdf", 1, 5, 5},
		{"x.pdf/", 1, 5, 17}, {"a%2Fb.pdf", 1, 5, 29},
		{"5%x.pdf", 1, 5, 44}, {"www.who.int/a", 1, 6, 5},
		/* a scheme with a tab in it is none: a name beside the page,
		 * told where the text writes it with a character reference */
		{"java\tscript:x", 0, 8, 5},
	};
	assert_int_equal(n, sizeof want / sizeof *want);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].name, want[i].name);
		assert_int_equal(v[i].broken != NULL, want[i].broken);
		assert_int_equal(v[i].line, want[i].line);
		assert_int_equal(v[i].col, want[i].col);
	}
	assert_string_equal(v[2].broken,
			    "a file in a folder below the page: a page bundle "
			    "publishes only the files beside its index.md; put "
			    "x.pdf there and link it by its name alone (x.pdf)");
	assert_string_equal(v[7].broken,
			    "an address below the page where the site has "
			    "nothing: for a web address, write it whole "
			    "(https://www.who.int/a)");
	links_free(v, n);
}

/* Each link is found where its destination is written, however the text
 * spells it: a backslash escape, an escape of the text or of the address,
 * a link whose address starts as another's, a reference's definition
 * after a mention of the same name in prose, a character reference;
 * never in code (fenced,
 * indented or a span) or an HTML block, which make no link. */
static void test_linked_files_at_their_destinations(void **state)
{
	(void)state;
	const char *text = "---\nname: x\n---\n"
			   "It is on who.int.\n"
			   "[a](who.int/about) [b](who.int) [c](form\\_1.pdf)\n"
			   "[d](my%20form.pdf) [e](a%25b.pdf)\n"
			   "Kept as docs/form.pdf here; [f][r].\n"
			   "\n"
			   "[r]: docs/form.pdf\n"
			   "\n"
			   "```\n"
			   "example: [x](nope.pdf)\n"
			   "```\n"
			   "[g](nope.pdf) and `[c](n7.pdf)` then [h](n7.pdf)\n"
			   "[i](docs/x.pdf)\n"
			   "[j](docs%2Fx.pdf) [k](a\\\\b.pdf)\n"
			   "\n"
			   "    indented: [y](in.pdf)\n"
			   "\n"
			   "<div>html: in.pdf</div>\n"
			   "\n"
			   "- item\n"
			   "\n"
			   "    in the item: see in.pdf; and [l](in.pdf)\n"
			   "\n"
			   "[m](f&#x6F;rm3.pdf) [n](caf&#xE9;.pdf) [o](x&amp;y.pdf)\n";
	linked_file *v;
	size_t n = links_of(text, &v);
	static const struct {
		const char *name;
		int line, col;
	} want[] = {
		{"who.int/about", 5, 5}, {"who.int", 5, 24}, {"form_1.pdf", 5, 37},
		{"my form.pdf", 6, 5}, {"a%b.pdf", 6, 24}, {"docs/form.pdf", 9, 6},
		{"nope.pdf", 14, 5}, {"n7.pdf", 14, 42}, {"docs/x.pdf", 15, 5},
		{"docs%2Fx.pdf", 16, 5}, {"a%5Cb.pdf", 16, 23},
		/* past an indented code block and an HTML block; a list
		 * item's paragraph so indented is no code */
		{"in.pdf", 24, 38},
		/* a character reference stands for its character's bytes */
		{"form3.pdf", 26, 5}, {"caf\xc3\xa9.pdf", 26, 25},
		{"x&y.pdf", 26, 44},
	};
	assert_int_equal(n, sizeof want / sizeof *want);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].name, want[i].name) || v[i].line != want[i].line ||
		    v[i].col != want[i].col)
			fail_msg("link %zu: %s at %d:%d, wanted %s at %d:%d", i,
				 v[i].name, v[i].line, v[i].col, want[i].name,
				 want[i].line, want[i].col);
	}
	links_free(v, n);
}

/* Many links to as many names, inline or by reference: each at its own
 * place. A search from the body's start for each new name used up the
 * bounded work after some 200 inline links, or 25 references, and put
 * the rest at the body's start. */
static void test_many_links_each_at_its_place(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	buf_puts(&b, "---\nname: x\n---\n");
	for (int k = 0; k < 300; k++)
		buf_printf(&b, "[a](y%d.pdf) ", k);
	buf_puts(&b, "\n\n");
	for (int k = 0; k < 40; k++)
		buf_printf(&b, "[b][r%d] ", k);
	buf_puts(&b, "\n\n");
	for (int k = 0; k < 40; k++)
		buf_printf(&b, "[r%d]: x%d.pdf\n", k, k);
	linked_file *v;
	size_t n = links_of(buf_cstr(&b), &v);
	assert_int_equal(n, 340);
	for (size_t i = 0; i < 300; i++) {
		char want[16];
		snprintf(want, sizeof want, "y%zu.pdf", i);
		assert_string_equal(v[i].name, want);
		assert_int_equal(v[i].line, 4);
		/* "[a](y" and the names before, each with its blank */
		size_t col = 1;
		for (size_t k = 0; k < i; k++)
			col += strlen("[a](y.pdf) ") + (k >= 10) + (k >= 100) + 1;
		assert_int_equal(v[i].col, (int)col + 4);
	}
	for (size_t i = 0; i < 40; i++) {
		assert_int_equal(v[300 + i].line, 8 + (int)i);
		assert_int_equal(v[300 + i].col, i >= 10 ? 8 : 7);
	}
	links_free(v, n);
	buf_free(&b);
}

/* offers_site_links finds each href=" and src=" wherever it stands: at
 * the very start, inside a longer attribute's name (as a browser would
 * not, but as the check always has), right after another, among many
 * '=' of text and addresses; never one without its quote. */
static void test_site_links_found_wherever_they_stand(void **state)
{
	(void)state;
	static const char html[] =
		"href=\"/a/\"<p>x = y == z, a=b</p><img src=\"/b.png\">"
		"<a data-href=\"/c/\" href=\"/d/?q=1#f\">t</a>href=/e/ src='/f'"
		"<a href=\"https://example.org/g/\">x</a><a href=\"https://other.org/\">y</a>"
		"=\"=href=\"/h/\"";
	char **v;
	size_t n = offers_site_links(html, "https://example.org/", &v);
	static const char *const want[] = {"/a/", "/c/", "/d/", "/g/", "/h/", "/b.png"};
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		if (!strstr(v[i], want[i]))
			fail_msg("link %zu is '%s', not '%s'", i, v[i], want[i]);
		free(v[i]);
	}
	free(v);
	assert_int_equal(offers_site_links("no links = here", "https://example.org/", &v), 0);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, site_fixture_teardown)
		T(test_full_offer_is_read),
		T(test_short_form_still_reads),
		T(test_weeks_in_their_spellings),
		T(test_each_mistake),
		T(test_bundle_mistakes),
		T(test_bundle_files_listed),
		T(test_large_file_warns),
		T(test_site_disciplines),
		T(test_site_disciplines_twice),
		T(test_many_unknown_disciplines),
		T(test_many_unknown_words_of_each_list),
		T(test_repeats_in_long_lists),
		T(test_repeats_are_told_ten_times_then_counted),
		T(test_empty_items_are_not_listed_twice),
		T(test_short_messages_at_their_edges),
		T(test_character_references_are_told_at_their_place),
		T(test_raw_html_is_told_at_its_place),
		T(test_bundle_of_many_files),
		T(test_bundle_hints_are_bounded),
		T(test_image_sizes),
		T(test_quoted_amount_tells_its_decimals_too),
#undef T
		cmocka_unit_test(test_linked_files),
		cmocka_unit_test(test_linked_files_at_their_destinations),
		cmocka_unit_test(test_many_links_each_at_its_place),
		cmocka_unit_test(test_site_links_found_wherever_they_stand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
