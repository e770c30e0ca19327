/* test_slug.c - slugs from names in many scripts, the name as a quoted
 * YAML string, and archetypes filled in with it.
 *
 * The non-Latin slugs are ICU's romanisations (ICU 72, Debian 12): a new
 * ICU may spell a few of them differently, and this test will say so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "load/fields.h"
#include "load/frontmatter.h"
#include "scaffold/scaffold.h"
#include "util/diag.h"

/* slug_from_name(name) is want, and a slug the loader takes. */
static void slug_is(const char *name, const char *want)
{
	char *got = slug_from_name(name);
	if (!got || strcmp(got, want)) {
		print_error("slug of \"%s\"\n", name);
		check_show("  expected: ", want);
		check_show("  got:      ", got);
		free(got);
		fail();
	}
	assert_int_equal(check_slug(got), 0);
	free(got);
}

static void test_latin_with_accents(void **state)
{
	(void)state;
	slug_is("Mbarara University of Science and Technology",
		"mbarara-university-of-science-and-technology");
	slug_is("Université de Yaoundé I", "universite-de-yaounde-i");
	slug_is("Université Cheikh Anta Diop de Dakar",
		"universite-cheikh-anta-diop-de-dakar");
	slug_is("Universidade de São Paulo, Faculdade de Medicina",
		"universidade-de-sao-paulo-faculdade-de-medicina");
	slug_is("Pontificia Universidad Católica de Chile",
		"pontificia-universidad-catolica-de-chile");
	slug_is("Univerzita Karlova, 1. lékařská fakulta",
		"univerzita-karlova-1-lekarska-fakulta");
	slug_is("Charité – Universitätsmedizin Berlin",
		"charite-universitatsmedizin-berlin");
}

static void test_vietnamese(void **state)
{
	(void)state;
	/* đ/Đ has no decomposition: a table of accents alone would miss it */
	slug_is("Trường Đại học Y Hà Nội", "truong-dai-hoc-y-ha-noi");
	slug_is("Đại học Y Dược Thành phố Hồ Chí Minh",
		"dai-hoc-y-duoc-thanh-pho-ho-chi-minh");
}

static void test_turkish(void **state)
{
	(void)state;
	slug_is("İstanbul Üniversitesi Cerrahpaşa",
		"istanbul-universitesi-cerrahpasa");
	slug_is("Hacettepe Üniversitesi Tıp Fakültesi",
		"hacettepe-universitesi-tip-fakultesi");
	slug_is("Ondokuz Mayıs Üniversitesi Ağız ve Diş Sağlığı",
		"ondokuz-mayis-universitesi-agiz-ve-dis-sagligi");
}

static void test_german_nordic_polish(void **state)
{
	(void)state;
	slug_is("Universität Duisburg-Essen, Campus Essen, Hufelandstraße",
		"universitat-duisburg-essen-campus-essen-hufelandstrasse");
	slug_is("Københavns Universitet", "kobenhavns-universitet");
	slug_is("Ærø Sygehus", "aero-sygehus");
	slug_is("Åbo Akademi", "abo-akademi");
	slug_is("Norges teknisk-naturvitenskapelige universitet, Trondheim Ø",
		"norges-teknisk-naturvitenskapelige-universitet-trondheim-o");
	slug_is("Uniwersytet Jagielloński – Collegium Medicum",
		"uniwersytet-jagiellonski-collegium-medicum");
	slug_is("Uniwersytet Medyczny w Łodzi", "uniwersytet-medyczny-w-lodzi");
}

static void test_other_scripts(void **state)
{
	(void)state;
	slug_is("มหาวิทยาลัยเชียงใหม่", "mhawithyalay-cheiynghim");
	slug_is("คณะแพทยศาสตร์ศิริราชพยาบาล",
		"khna-phaethysastr-sirirach-phyabal");
	slug_is("አዲስ አበባ ዩኒቨርሲቲ", "adis-ababa-yunivarsiti");
	slug_is("ঢাকা মেডিকেল কলেজ", "dhaka-medikela-kaleja");
	slug_is("جامعة القاهرة", "jamt-alqahrt");
	slug_is("Медицински университет – София",
		"medicinski-universitet-sofia");
	slug_is("Московский государственный университет",
		"moskovskij-gosudarstvennyj-universitet");
	slug_is("Εθνικό και Καποδιστριακό Πανεπιστήμιο Αθηνών",
		"ethniko-kai-kapodistriako-panepistemio-athenon");
	slug_is("東京大学", "dong-jing-da-xue");
	slug_is("서울대학교 의과대학", "seouldaehakgyo-uigwadaehak");
	slug_is("अखिल भारतीय आयुर्विज्ञान संस्थान",
		"akhila-bharatiya-ayurvijnana-sansthana");
	/* a Latin name with the native one after it */
	slug_is("Dhaka Medical College (ঢাকা মেডিকেল কলেজ)",
		"dhaka-medical-college-dhaka-medikela-kaleja");
}

/* Hangul is romanised by the Revised Romanization of Korean (Ministry of
 * Culture and Tourism, 2000), South Korea's standard and the way its
 * universities spell their names, not letter by letter as ICU does
 * (ISO/TR 11941: daehaggyo), with the changes of sound it writes. */
static void test_korean_revised_romanization(void **state)
{
	(void)state;
	/* a final consonant before a consonant or at the end: k, t, p, l */
	slug_is("연세대학교", "yeonsedaehakgyo");
	slug_is("고려대학교 의과대학", "goryeodaehakgyo-uigwadaehak");
	slug_is("부산대학교병원", "busandaehakgyobyeongwon");
	slug_is("울산", "ulsan");
	slug_is("경북대학교 칠곡병원", "gyeongbukdaehakgyo-chilgokbyeongwon");
	/* before a vowel it begins the next syllable: g, d, b, r */
	slug_is("한국어", "hangugeo");
	slug_is("서울의 길을", "seourui-gireul");
	/* ㄹㄹ is ll, a silent ㅎ before a vowel is left out */
	slug_is("실라", "silla");
	slug_is("좋아", "joa");
	/* double and aspirated consonants, the vowels with w and y */
	slug_is("빵 짜 쌀 꽃 뛰다 예 왜 의", "ppang-jja-ssal-kkot-ttwida-ye-wae-ui");
	/* the changes of sound between syllables (RR section 3, 1) */
	slug_is("신라 한림 선릉 별내", "silla-hallim-seolleung-byeollae");
	slug_is("종로 왕십리 국민 독립 백마", "jongno-wangsimni-gungmin-dongnip-baengma");
	slug_is("강릉원주대학교", "gangneungwonjudaehakgyo");
	slug_is("국립암센터 대학로", "gungnibamsenteo-daehangno");
	slug_is("같이 굳이 해돋이 굳히다", "gachi-guji-haedoji-guchida");
	slug_is("좋다 놓고 좋지", "jota-noko-jochi");
	/* in a noun, ㄱ, ㄷ, ㅂ before ㅎ keep the h */
	slug_is("묵호 집현전", "mukho-jiphyeonjeon");
	slug_is("가톨릭대학교", "gatollikdaehakgyo");
	/* Hangul beside Latin and Han: each its own way */
	slug_is("Yonsei 연세 大學", "yonsei-yeonse-da-xue");
}

static void test_punctuation(void **state)
{
	(void)state;
	/* an apostrophe joins, it does not split */
	slug_is("King's College London", "kings-college-london");
	slug_is("Université Cheikh Anta Diop, Faculté de Médecine, de Pharmacie et d’Odontologie",
		"universite-cheikh-anta-diop-faculte-de-medecine-de-pharmacie-et-dodontologie");
	slug_is("  --Weill Cornell / Medicine -- Qatar!  ",
		"weill-cornell-medicine-qatar");
	slug_is("Health & Science: \"Campus\" #2", "health-science-campus-2");
	/* digits stay, also Arabic-Indic ones */
	slug_is("University of Medicine 1, Yangon", "university-of-medicine-1-yangon");
	slug_is("كلية ٣", "klyt-3");
}

static void test_nothing_left(void **state)
{
	(void)state;
	assert_null(slug_from_name(""));
	assert_null(slug_from_name("..."));
	assert_null(slug_from_name(" - / & "));
	assert_null(slug_from_name("\xff\xfe not UTF-8"));
}

static void test_long_names_are_cut_between_words(void **state)
{
	(void)state;
	char *s = slug_from_name(
		"The Very Long Name of a Faculty of Medicine and Health Sciences "
		"with a Teaching Hospital and a School of Nursing Attached");
	assert_string_equal(s,
		"the-very-long-name-of-a-faculty-of-medicine-and-health-sciences-with-a-teaching");
	assert_le(strlen(s), SLUG_MAX);
	free(s);
	/* one word longer than the limit is cut where it must be */
	char word[200];
	memset(word, 'a', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	s = slug_from_name(word);
	assert_int_equal(strlen(s), SLUG_MAX);
	free(s);
	/* a character that romanises into a phrase still fits */
	s = slug_from_name("\xef\xb7\xba"); /* U+FDFA, an Arabic ligature */
	assert_non_null(s);
	assert_int_equal(check_slug(s), 0);
	free(s);
}

/* ---- the name as a YAML string ----------------------------------------- */

static void quote_is(const char *name, const char *want)
{
	char *got = yaml_quote(name);
	assert_string_equal(got, want);
	free(got);
}

static void test_yaml_quote(void **state)
{
	(void)state;
	quote_is("Makerere University", "\"Makerere University\"");
	quote_is("Foo: \"bar\" # baz", "\"Foo: \\\"bar\\\" # baz\"");
	quote_is("a\\b", "\"a\\\\b\"");
	quote_is("- yes", "\"- yes\"");
	quote_is("Trường Đại học", "\"Trường Đại học\"");
	quote_is("a\tb\nc\rd", "\"a\\tb\\nc\\rd\"");
	quote_is("\x01\x7f", "\"\\u0001\\u007F\"");
	quote_is("x\xc2\x85y\xe2\x80\xa8z", "\"x\\u0085y\\u2028z\"");
	quote_is("\xef\xbb\xbfz", "\"\\uFEFFz\"");
}

/* The filled archetype parses and gives back the name exactly. */
static void name_survives(const char *name)
{
	char *text = archetype_fill(archetype_builtin(RECORD_INSTITUTION), name);
	fm_doc doc = {0};
	diags_t d = DIAGS_INIT;
	assert_int_equal(fm_parse(text, strlen(text), "x.md", &doc, &d), 0);
	assert_int_equal(d.errors + d.fatals, 0);
	const fm_node *v = fm_get(&doc.root, "name");
	assert_non_null(v);
	assert_int_equal(v->type, FM_STRING);
	assert_string_equal(v->text, name);
	const fm_node *draft = fm_get(&doc.root, "draft");
	assert_non_null(draft);
	assert_int_equal(draft->type, FM_BOOL);
	assert_int_equal(draft->truth, 1);
	fm_doc_free(&doc);
	diags_free(&d);
	free(text);
}

static void test_fill_keeps_any_name(void **state)
{
	(void)state;
	name_survives("Mbarara University of Science and Technology");
	name_survives("Foo: \"bar\" # baz");
	name_survives("- [x], {y}: & *z ! | > % @ `");
	name_survives("yes");
	name_survives("1.5");
	name_survives("null");
	name_survives("C:\\Temp\\x");
	name_survives("x\xc2\x85y\xe2\x80\xa8z\xe2\x80\xa9");
	name_survives("İstanbul Üniversitesi Cerrahpaşa (ተቋም)");
}

static void test_fill_replaces_both_spellings(void **state)
{
	(void)state;
	char *s = archetype_fill("a {{name}} b {{ name }} c {{nam}} {{", "N");
	assert_string_equal(s, "a \"N\" b \"N\" c {{nam}} {{");
	free(s);
}

static void test_builtin_archetypes_are_unfilled(void **state)
{
	(void)state;
	/* nothing that could pass for real contact data or dates */
	for (int k = 0; k < RECORD_KINDS; k++) {
		const char *t = archetype_builtin((record_kind)k);
		assert_null(strchr(t, '@'));
		assert_null(strstr(t, "20"));
		assert_non_null(strstr(t, "{{name}}"));
	}
	assert_int_equal(record_kind_from_name("network"), RECORD_NETWORK);
	assert_int_equal(record_kind_from_name("networks"), -1);
	assert_string_equal(record_kind_folder(RECORD_PAGE), "pages");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latin_with_accents),
		cmocka_unit_test(test_vietnamese),
		cmocka_unit_test(test_turkish),
		cmocka_unit_test(test_german_nordic_polish),
		cmocka_unit_test(test_other_scripts),
		cmocka_unit_test(test_korean_revised_romanization),
		cmocka_unit_test(test_punctuation),
		cmocka_unit_test(test_nothing_left),
		cmocka_unit_test(test_long_names_are_cut_between_words),
		cmocka_unit_test(test_yaml_quote),
		cmocka_unit_test(test_fill_keeps_any_name),
		cmocka_unit_test(test_fill_replaces_both_spellings),
		cmocka_unit_test(test_builtin_archetypes_are_unfilled),
	};
	return cmocka_run_group_tests_name("slug", tests, NULL, NULL);
}
