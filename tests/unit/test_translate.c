/* test_translate.c - a site in several languages: site.yml's languages:,
 * translation files (<slug>.<lang>.md, a bundle's index.<lang>.md), the
 * errors they make, and the language view that merges them text by text
 * with the default records. Each test builds a small site in a fresh
 * temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/fields.h"
#include "load/load.h"
#include "sitefix.h"
#include "util/buf.h"
#include "util/diag.h"

typedef site_fixture fixture;

static void put(fixture *f, const char *rel, const char *text)
{
	fixture_put(f->dir, rel, text, strlen(text));
}

static const char site_yml[] =
	"title: Test\nbase_url: https://example.org/\nlanguages: [en, fr]\n";

static int setup(void **state)
{
	fixture *f = site_fixture_new("pm-translate");
	if (!f)
		return -1;
	*state = f;
	put(f, "site.yml", site_yml);
	put(f, "content/networks/global.md",
	    "---\nname: Global Network\nkind: global\n"
	    "description: Everyone.\n---\nAll schools.\n");
	put(f, "content/pages/about.md",
	    "---\ntitle: About\nmenu: 1\n---\nWho we are.\n");
	put(f, "content/institutions/makerere.md",
	    "---\nname: Makerere University\ncountry: UG\ncity: Kampala\n"
	    "location: [0.33, 32.57]\nnetworks: [global]\n"
	    "exchanges: [undergraduate]\n---\nA school in Kampala.\n");
	return 0;
}

static int teardown(void **state)
{
	site_fixture_free(*state);
	return 0;
}

/* The one message of f, which must be an error at path:line:col whose
 * text is exactly msg. */
static void assert_only_error(const fixture *f, const char *path, int line,
			      int col, const char *msg)
{
	if (f->d.n != 1)
		diags_print(&f->d, stderr);
	assert_int_equal(f->d.n, 1);
	const diag_t *x = &f->d.v[0];
	assert_int_equal(x->level, DIAG_ERROR);
	assert_string_equal(x->path, path);
	assert_int_equal(x->line, line);
	assert_int_equal(x->col, col);
	assert_string_equal(x->msg, msg);
}

static void test_languages_in_site_yml(void **state)
{
	fixture *f = *state;
	assert_int_equal(site_load(&f->s, f->dir, &f->d), 0);
	assert_int_equal(f->s.cfg.languages.n, 2);
	assert_string_equal(f->s.cfg.languages.v[0], "en");
	assert_string_equal(f->s.cfg.languages.v[1], "fr");
	assert_string_equal(f->s.cfg.language, "en");
}

static void test_language_alone_is_one_language(void **state)
{
	fixture *f = *state;
	put(f, "site.yml", "title: T\nbase_url: https://example.org/\n"
			   "language: pt-BR\n");
	assert_int_equal(site_load(&f->s, f->dir, &f->d), 0);
	assert_int_equal(f->s.cfg.languages.n, 1);
	assert_string_equal(f->s.cfg.languages.v[0], "pt-BR");
}

/* A file written into the site, and the one error loading it gives. */
typedef struct {
	const char *path, *text;
	int line, col;
	const char *msg;
} error_case;

/* For each case in turn: write its file, load the site, expect exactly
 * its error and no translation kept, then take the file away and start
 * again from an empty model. */
static void run_error_cases(fixture *f, const error_case *cases, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		put(f, cases[k].path, cases[k].text);
		site_load(&f->s, f->dir, &f->d);
		assert_only_error(f, cases[k].path, cases[k].line, cases[k].col,
				  cases[k].msg);
		assert_int_equal(f->s.ntr, 0);
		site_free(&f->s);
		diags_free(&f->d);
		site_init(&f->s);
		char *path = fs_join(f->dir, cases[k].path);
		remove(path);
		free(path);
	}
}

#define YML_HEAD "title: T\nbase_url: https://example.org/\n"

/* site.yml mistakes about languages, each with its exact message. */
static void test_languages_errors(void **state)
{
	static const error_case cases[] = {
		{"site.yml", YML_HEAD "languages: [en, fr, EN]\n", 3, 21,
		 "'EN' is listed twice in languages (a tag's case does not "
		 "count: it is en): list each language once"},
		{"site.yml", YML_HEAD "languages: [en, fr, fr]\n", 3, 21,
		 "'fr' is listed twice in languages: list each language once"},
		{"site.yml", YML_HEAD "languages: [en, f_r]\n", 3, 17,
		 "'f_r' is not a language tag: write a BCP 47 tag such as en, "
		 "fr or pt-BR"},
		{"site.yml", YML_HEAD "language: fr\nlanguages: [en, fr]\n", 4, 12,
		 "language is fr but languages starts with en: the first of "
		 "languages is the default language; remove language, or put fr "
		 "first"},
	};
	run_error_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

/* A translation file gives some texts; the view shows them, keeps the
 * default language's for the rest, and marks which fell back. */
static void test_view_merges_text_by_text(void **state)
{
	fixture *f = *state;
	put(f, "content/institutions/makerere.fr.md",
	    "---\nname: Université Makerere\n---\nUne école à Kampala.\n");
	put(f, "content/networks/global.fr.md",
	    "---\ndescription: Toutes les écoles.\n---\n");
	put(f, "content/pages/about.fr.md", "---\ntitle: À propos\n---\n");
	assert_int_equal(site_load(&f->s, f->dir, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->s.ntr, 3);
	site v;
	site_in_language(&f->s, "fr", &v);
	assert_string_equal(v.cfg.language, "fr");
	assert_string_equal(v.cfg.base_url, "https://example.org/fr/");
	const institution *in = &v.inst[0];
	assert_string_equal(in->name, "Université Makerere");
	assert_string_equal(in->city, "Kampala");
	assert_string_equal(in->body_html, "<p>Une école à Kampala.</p>\n");
	assert_int_equal(in->fallback, 0);
	assert_string_equal(in->country, "UG");
	const network *net = &v.net[0];
	assert_string_equal(net->name, "Global Network");
	assert_string_equal(net->description, "Toutes les écoles.");
	assert_string_equal(net->body_html, "<p>All schools.</p>\n");
	assert_int_equal(net->fallback, PM_FALLBACK_NAME | PM_FALLBACK_BODY);
	const page *pg = &v.pages[0];
	assert_string_equal(pg->title, "À propos");
	assert_string_equal(pg->body_html, "<p>Who we are.</p>\n");
	assert_int_equal(pg->fallback, PM_FALLBACK_BODY);
	site_view_free(&v);
	/* the loaded model is untouched */
	assert_string_equal(f->s.inst[0].name, "Makerere University");
	assert_int_equal(f->s.inst[0].fallback, 0);
}

static void test_no_translation_falls_back_whole(void **state)
{
	fixture *f = *state;
	assert_int_equal(site_load(&f->s, f->dir, &f->d), 0);
	site v;
	site_in_language(&f->s, "fr", &v);
	assert_string_equal(v.inst[0].name, "Makerere University");
	assert_int_equal(v.inst[0].fallback,
			 PM_FALLBACK_NAME | PM_FALLBACK_BODY);
	assert_int_equal(v.net[0].fallback, PM_FALLBACK_NAME | PM_FALLBACK_BODY |
			 PM_FALLBACK_DESCRIPTION);
	site_view_free(&v);
}

/* A page bundle's record. */
static const char yaounde_md[] =
	"---\nname: Faculty of Medicine, Yaounde\ncountry: CM\n"
	"city: Yaounde\nlocation: [3.87, 11.5]\nnetworks: [global]\n"
	"exchanges: [undergraduate]\n---\nIn English.\n";

static void test_bundle_translation(void **state)
{
	fixture *f = *state;
	put(f, "content/institutions/yaounde/index.md", yaounde_md);
	put(f, "content/institutions/yaounde/index.fr.md",
	    "---\nname: Faculté de médecine de Yaoundé\ncity: Yaoundé\n---\n");
	assert_int_equal(site_load(&f->s, f->dir, &f->d), 0);
	site v;
	site_in_language(&f->s, "fr", &v);
	const institution *in = site_institution(&v, "yaounde");
	assert_non_null(in);
	assert_string_equal(in->name, "Faculté de médecine de Yaoundé");
	assert_string_equal(in->city, "Yaoundé");
	assert_int_equal(in->fallback, PM_FALLBACK_BODY);
	site_view_free(&v);
}

/* The message for a translation of slug into German, which the site does
 * not list. */
#define NOT_LISTED(slug) \
	"this file translates '" slug "' into de, which site.yml's languages " \
	"does not list: add de to languages (languages: [en, fr, de]), or " \
	"remove this file"

/* Translation files that are wrong, each with its exact message. */
static void test_translation_errors(void **state)
{
	static const error_case cases[] = {
		{"content/institutions/makerere.fr.md",
		 "---\nname: Makerere\nlocation: [1, 2]\n---\n", 3, 1,
		 "location cannot be translated: it is the same in every "
		 "language and comes from content/institutions/makerere.md; "
		 "remove it from this file"},
		{"content/networks/global.fr.md", "---\ncolour: \"#000000\"\n---\n",
		 2, 1,
		 "colour cannot be translated: it is the same in every language "
		 "and comes from content/networks/global.md; remove it from this "
		 "file"},
		{"content/pages/contact.fr.md", "---\ntitle: Contact\n---\n", 1, 1,
		 "this file translates 'contact' into fr, but there is no "
		 "content/pages/contact.md: write the record in the default "
		 "language (en) first, or rename this file after the record it "
		 "translates"},
		{"content/pages/about.de.md", "---\ntitle: Über uns\n---\n", 1, 1,
		 NOT_LISTED("about")},
		{"content/pages/about.en.md", "---\ntitle: About\n---\n", 1, 1,
		 "this file translates 'about' into en, the default language: "
		 "put its text in content/pages/about.md and remove this file"},
		{"content/pages/about.DE.md", "---\ntitle: Über uns\n---\n", 1, 1,
		 NOT_LISTED("about")},
		{"content/institutions/yaounde/index.de.md", "---\n---\n", 1, 1,
		 NOT_LISTED("yaounde")},
	};
	fixture *f = *state;
	put(f, "content/institutions/yaounde/index.md", yaounde_md);
	run_error_cases(f, cases, sizeof cases / sizeof cases[0]);
}

/* RFC 5646 section 2.1.1's case, whatever case a tag is written in. */
static void test_tag_case(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"FR", "fr"}, {"pt-br", "pt-BR"}, {"ZH-HANT-tw", "zh-Hant-TW"},
		{"sr-latn", "sr-Latn"}, {"EN-GB-OXENDICT", "en-GB-oxendict"},
		{"en-x-Latn-CA", "en-x-latn-ca"}, {"de-CH-1996", "de-CH-1996"},
		{"es-419", "es-419"}, {"iw", "iw"}, {"yue-HK", "yue-HK"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char tag[32];
		snprintf(tag, sizeof tag, "%s", cases[k][0]);
		language_tag_case(tag);
		assert_string_equal(tag, cases[k][1]);
	}
}

/* Tags in site.yml and in translation files' names, in any case, are the
 * same languages: the view, its folder and its lang use the usual case. */
static void test_tags_in_any_case(void **state)
{
	fixture *f = *state;
	put(f, "site.yml", YML_HEAD "language: EN\nlanguages: [en, FR, pt-br]\n");
	put(f, "content/pages/about.FR.md", "---\ntitle: À propos\n---\n");
	put(f, "content/institutions/yaounde/index.md", yaounde_md);
	put(f, "content/institutions/yaounde/index.Pt-BR.md",
	    "---\ncity: Iaundé\n---\n");
	assert_int_equal(site_load(&f->s, f->dir, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->s.cfg.languages.n, 3);
	assert_string_equal(f->s.cfg.languages.v[1], "fr");
	assert_string_equal(f->s.cfg.languages.v[2], "pt-BR");
	assert_string_equal(f->s.cfg.language, "en");
	assert_int_equal(f->s.ntr, 2);
	assert_string_equal(f->s.tr[0].lang, "fr");
	assert_string_equal(f->s.tr[1].lang, "pt-BR");
	site v;
	site_in_language(&f->s, f->s.cfg.languages.v[1], &v);
	assert_string_equal(v.cfg.base_url, "https://example.org/fr/");
	assert_string_equal(v.pages[0].title, "À propos");
	site_view_free(&v);
}

/* Two translation files of one record into one language: an error at the
 * one to remove, naming the one to keep. */
static void test_two_translations_of_one_record(void **state)
{
	static const struct {
		const char *keep, *drop, *msg;
	} cases[] = {
		{"content/pages/about.fr.md", "content/pages/about.Fr.md",
		 "this file and content/pages/about.fr.md both translate 'about' "
		 "into fr: keep content/pages/about.fr.md (its name writes the "
		 "language tag in its usual case) and remove this file, after "
		 "copying into content/pages/about.fr.md any text only this "
		 "file has"},
		{"content/institutions/yaounde/index.fr.md",
		 "content/institutions/yaounde.fr.md",
		 "this file and content/institutions/yaounde/index.fr.md both "
		 "translate 'yaounde' into fr: keep "
		 "content/institutions/yaounde/index.fr.md (a page bundle's "
		 "translations are inside its folder) and remove this file, "
		 "after copying into content/institutions/yaounde/index.fr.md "
		 "any text only this file has"},
		{"content/institutions/yaounde/index.fr.md",
		 "content/institutions/yaounde/index.FR.md",
		 "this file and content/institutions/yaounde/index.fr.md both "
		 "translate 'yaounde' into fr: keep "
		 "content/institutions/yaounde/index.fr.md (its name writes "
		 "the language tag in its usual case) and remove this file, "
		 "after copying into content/institutions/yaounde/index.fr.md "
		 "any text only this file has"},
	};
	fixture *f = *state;
	put(f, "content/institutions/yaounde/index.md", yaounde_md);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		put(f, cases[k].keep, "---\n---\nUn.\n");
		put(f, cases[k].drop, "---\n---\nDeux.\n");
		site_load(&f->s, f->dir, &f->d);
		assert_only_error(f, cases[k].drop, 1, 1, cases[k].msg);
		site_free(&f->s);
		diags_free(&f->d);
		site_init(&f->s);
		for (const char *const *p = &cases[k].keep; p <= &cases[k].drop; p++) {
			char *path = fs_join(f->dir, *p);
			remove(path);
			free(path);
		}
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_languages_in_site_yml),
		T(test_language_alone_is_one_language),
		T(test_languages_errors),
		T(test_view_merges_text_by_text),
		T(test_no_translation_falls_back_whole),
		T(test_bundle_translation),
		T(test_translation_errors),
		T(test_tag_case),
		T(test_tags_in_any_case),
		T(test_two_translations_of_one_record),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
