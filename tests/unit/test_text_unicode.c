/* test_text_unicode.c - NFC, the search fold and collation by language,
 * with real names in many scripts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/text_unicode.h"

#include <utf8proc.h>

/* Each case: what is written, what the fold makes of it. */
typedef struct fold_case {
	const char *in, *want;
} fold_case;

static void check_folds(const fold_case *v, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		buf_t b = BUF_INIT;
		text_fold(&b, v[i].in);
		if (strcmp(buf_cstr(&b), v[i].want)) {
			print_error("fold(\"%s\") is \"%s\", not \"%s\"\n",
				    v[i].in, buf_cstr(&b), v[i].want);
			bad++;
		}
		buf_free(&b);
	}
	assert_int_equal(bad, 0);
}

#define CHECK_FOLDS(v) check_folds(v, sizeof v / sizeof *v)

static void test_fold_latin(void **state)
{
	(void)state;
	static const fold_case v[] = {
		/* Vietnamese: stacked marks, đ that does not decompose */
		{"Trường Đại học Y Hà Nội", "truong dai hoc y ha noi"},
		/* the same saved decomposed (NFD) */
		{"Tru\xcc\x9bo\xcc\x9b\xcc\x80ng \xc4\x90" "a\xcc\xa3i ho\xcc\xa3" "c",
		 "truong dai hoc"},
		{"Université Cheikh Anta Diop, Dakar", "universite cheikh anta diop dakar"},
		/* Turkish: İ is I with a dot above, ı is dotless */
		{"İstanbul Üniversitesi Tıp Fakültesi", "istanbul universitesi tip fakultesi"},
		{"Straße ẞ", "strasse ss"},
		{"Uniwersytet Jagielloński, Łódź", "uniwersytet jagiellonski lodz"},
		{"Ærø Øresund Sønderborg", "aero oresund sonderborg"},
		{"Þórshöfn Ðiðrik Háskóli Íslands", "thorshofn didrik haskoli islands"},
		{"Œuvre ﬁnance Ħal Għaxaq", "oeuvre finance hal ghaxaq"},
		{"  Charité – Universitätsmedizin,  Berlin!  ",
		 "charite universitatsmedizin berlin"},
		{"Yaoundé I; d’Odontologie (ÉCOLE)", "yaounde i d odontologie ecole"},
	};
	CHECK_FOLDS(v);
}

static void test_fold_other_scripts(void **state)
{
	(void)state;
	static const fold_case v[] = {
		/* Greek: tonos goes, final sigma is sigma */
		{"Εθνικό και Καποδιστριακό Πανεπιστήμιο Αθηνών",
		 "εθνικο και καποδιστριακο πανεπιστημιο αθηνων"},
		{"ΟΔΟΣ οδός", "οδοσ οδοσ"},
		{"Медицински университет – София", "медицински университет софия"},
		{"Ёлка Йошкар-Ола", "елка иошкар ола"},
		/* Arabic: harakat and shadda go */
		{"الْجَامِعَةُ الأَمِيرْكِيَّة", "الجامعة الاميركية"},
		{"دانشگاه علوم پزشکی تهران", "دانشگاه علوم پزشکی تهران"},
		/* Thai: the vowel and tone signs above and below are Mn */
		{"มหาวิทยาลัยมหิดล", "มหาวทยาลยมหดล"},
		/* Ethiopic syllables have no decomposition */
		{"አዲስ አበባ ዩኒቨርሲቲ", "አዲስ አበባ ዩኒቨርሲቲ"},
		/* Bengali and Devanagari: spacing vowel signs (Mc) stay; the
		 * virama, anusvara and the signs below go */
		{"ঢাকা মেডিকেল কলেজ", "ঢাকা মেডিকেল কলেজ"},
		{"अखिल भारतीय आयुर्विज्ञान संस्थान", "अखिल भारतीय आयरविजञान ससथान"},
		{"北京大学医学部", "北京大学医学部"},
		{"ＡＢＣ１２３ 北京", "abc123 北京"},
		/* Japanese: dakuten are marks; half-width kana are compatibility
		 * forms */
		{"東京大学 ガッコウ ｶﾞｯｺｳ", "東京大学 カッコウ カッコウ"},
		/* Hangul syllables decompose into their jamo */
		{"서울대학교", "\xe1\x84\x89\xe1\x85\xa5\xe1\x84\x8b\xe1\x85\xae"
		 "\xe1\x86\xaf\xe1\x84\x83\xe1\x85\xa2\xe1\x84\x92\xe1\x85\xa1"
		 "\xe1\x86\xa8\xe1\x84\x80\xe1\x85\xad"},
		/* a direction mark and a soft hyphen are dropped */
		{"Uni\xc2\xadversity a\xe2\x80\x8e" "b", "university ab"},
	};
	CHECK_FOLDS(v);
}

static void test_fold_pairs_table(void **state)
{
	(void)state;
	/* every from is one lower-case code point; the fold applies it */
	const char *pairs = text_fold_pairs();
	assert_non_null(strstr(pairs, "đ:d"));
	assert_non_null(strstr(pairs, "ß:ss"));
	assert_null(strchr(pairs, '\t'));
	char *copy = strdup(pairs);
	buf_t b = BUF_INIT;
	for (char *save, *p = strtok_r(copy, " ", &save); p;
	     p = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(p, ':');
		assert_non_null(colon);
		*colon = '\0';
		buf_reset(&b);
		text_fold(&b, p);
		assert_string_equal(buf_cstr(&b), colon + 1);
	}
	free(copy);
	buf_free(&b);
}

static void test_nfc(void **state)
{
	(void)state;
	char *s = text_nfc("Co\xcc\x82te d'Ivoire Tru\xcc\x9bo\xcc\x9b\xcc\x80ng");
	assert_string_equal(s, "Côte d'Ivoire Trường");
	free(s);
	s = text_nfc("ﬁ Å"); /* NFC keeps compatibility forms; Å (angstrom) is Å */
	assert_string_equal(s, "ﬁ \xc3\x85");
	free(s);
	assert_null(text_nfc(NULL));
	s = text_nfc("\xff bad");
	assert_string_equal(s, "\xff bad");
	free(s);
}

/* ASCII is copied as it is, and a combining mark after ASCII still joins
 * the letter before it: the ASCII shortcut must not stop at the first
 * byte. */
static void test_nfc_ascii(void **state)
{
	(void)state;
	char ascii[128];
	for (int c = 1; c < 128; c++)
		ascii[c - 1] = (char)c;
	ascii[127] = '\0';
	char *s = text_nfc(ascii);
	char *lib = (char *)utf8proc_NFC((const utf8proc_uint8_t *)ascii);
	assert_string_equal(s, ascii);
	assert_string_equal(lib, ascii);
	free(lib);
	free(s);
	s = text_nfc("Universite\xcc\x81 de Lome\xcc\x81");
	assert_string_equal(s, "Universit\xc3\xa9 de Lom\xc3\xa9");
	free(s);
}

/* names sorted under language lang must come out as want (n of them) */
static void check_order(const char *lang, const char *const *want, size_t n)
{
	text_collator *c = text_collator_new(lang);
	int bad = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (text_collate(c, want[i], want[i + 1]) < 0 &&
		    text_collate(c, want[i + 1], want[i]) > 0)
			continue;
		print_error("%s: \"%s\" does not sort before \"%s\"\n", lang,
			    want[i], want[i + 1]);
		bad++;
	}
	text_collator_free(c);
	assert_int_equal(bad, 0);
}

#define CHECK_ORDER(lang, v) check_order(lang, v, sizeof v / sizeof *v)

static void test_collation_by_language(void **state)
{
	(void)state;
	static const char *const en[] = {
		"Åland", "Côte d'Ivoire", "Cuba", "Curaçao", "Czechia", "Ísland",
		"Türkiye", "Uganda"};
	/* Swedish puts Å, Ö after Z, and ô with ö */
	static const char *const sv[] = {
		"Cuba", "Curaçao", "Czechia", "Côte d'Ivoire", "Ísland", "Zambia",
		"Åland", "Örebro"};
	/* Turkish: Ç after C, ı before i, Ü after U */
	static const char *const tr[] = {
		"Cuba", "Czechia", "Çad", "Irak", "İran", "Uganda", "Ürdün"};
	/* Vietnamese: đ is a letter after d */
	static const char *const vi[] = {"Dung", "Duy", "Đà Nẵng", "Hà Nội"};
	/* Greek, Cyrillic and Japanese in their own order */
	static const char *const el[] = {"Αθήνα", "Θεσσαλονίκη", "Πάτρα"};
	static const char *const bg[] = {"Бургас", "Плевен", "София"};
	static const char *const ja[] = {"大阪", "東京"};
	CHECK_ORDER("en", en);
	CHECK_ORDER("sv", sv);
	CHECK_ORDER("tr", tr);
	CHECK_ORDER("vi", vi);
	CHECK_ORDER("el", el);
	CHECK_ORDER("bg", bg);
	CHECK_ORDER("ja", ja);
}

static void test_collation_keys_and_fallback(void **state)
{
	(void)state;
	/* an unknown tag falls back to the root order, never NULL */
	text_collator *c = text_collator_new("zz-Qaaa-not-a-language");
	assert_non_null(c);
	assert_true(text_collate(c, "Côte d'Ivoire", "Cuba") < 0);
	/* a key compares as the text, also for NFD and NFC of one name */
	char *a = text_sort_key(c, "Côte"), *b = text_sort_key(c, "Co\xcc\x82te");
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(text_collate(c, "", ""), 0);
	text_collator_free(c);
	text_collator_free(NULL);
	c = text_collator_new(NULL);
	assert_true(text_collate(c, "a", "B") < 0);
	text_collator_free(c);
}

/* A file name's last dot part is a translation's language only when CLDR
 * names it: "feed.xml.md" is no translation into "xml". */
static void test_language_known(void **state)
{
	(void)state;
	static const char *const known[] = {"de", "fr", "lg", "sw", "nyn",
					    "pt-BR", "zh-Hant", "EN"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!text_language_known(known[i]))
			fail_msg("'%s' should be known", known[i]);
	static const char *const unknown[] = {"xml", "old", "bak", "txt", "md", "qq",
					      "de-", "", "x-private"};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		if (text_language_known(unknown[i]))
			fail_msg("'%s' should not be known", unknown[i]);
}

/* A language by its name in English or in itself, case folded beyond
 * ASCII; never a name no language has. */
static void test_language_named(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"French", "fr"}, {"fran\xc3\xa7" "ais", "fr"},
		{"FRAN\xc3\x87" "AIS", "fr"}, {"Deutsch", "de"},
		{"espa\xc3\xb1ol", "es"}, {"Kiswahili", "sw"},
		{"\xe4\xb8\xad\xe6\x96\x87", "zh"}, {"english", "en"},
	};
	char code[16];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(text_language_named(cases[i][0], code,
						     sizeof code), 0);
		assert_string_equal(code, cases[i][1]);
	}
	static const char *const none[] = {"xyzzy", "", "Frenchy", "fr"};
	for (size_t i = 0; i < sizeof none / sizeof *none; i++)
		assert_int_equal(text_language_named(none[i], code, sizeof code), -1);
	/* no room for the code */
	assert_int_equal(text_language_named("French", code, 2), -1);
}

/* A digit of any script, Ethiopic's too; not a letter, a sign, a cut
 * sequence or nothing. */
static void test_starts_with_digit(void **state)
{
	(void)state;
	static const char *const digits[] = {"1", "9x", "\xd9\xa1",
		"\xe0\xb9\x91", "\xe1\x8d\xa9", "\xef\xbc\x91",
		"\xe0\xa5\xa7"};
	for (size_t i = 0; i < sizeof digits / sizeof *digits; i++)
		assert_true(text_starts_with_digit(digits[i], strlen(digits[i])));
	static const char *const others[] = {"", "a", "#", "\xc2\xa0",
		"\xe1\x8d\xb2", "\xd9", "\xe2\x85\xa0"};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++)
		assert_false(text_starts_with_digit(others[i], strlen(others[i])));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_latin),
		cmocka_unit_test(test_fold_other_scripts),
		cmocka_unit_test(test_fold_pairs_table),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_nfc_ascii),
		cmocka_unit_test(test_collation_by_language),
		cmocka_unit_test(test_collation_keys_and_fallback),
		cmocka_unit_test(test_language_known),
		cmocka_unit_test(test_language_named),
		cmocka_unit_test(test_starts_with_digit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
