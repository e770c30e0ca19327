/* test_i18n.c - translation files (render/i18n.h): the shipped languages,
 * missing keys, overrides, positions of bad YAML, CLDR plural forms,
 * dates and numbers through ICU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fixture.h"
#include "render/i18n.h"
#include "render/render.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/safefs.h"

#define SHIPPED "themes/default"
/* a theme without translations: only the site's count */
#define NO_THEME "tests/unit/no-such-theme"

/* One loaded language: from the theme folder theme_dir (a path relative
 * to the tests' folder, the repository) and a site folder. */
typedef struct loaded {
	sfs_root theme, site;
	mst_set *set;
	i18n *t;
	diags_t d;
} loaded;

static void load(loaded *l, const char *theme_dir, const char *site_dir,
		 const char *lang)
{
	memset(l, 0, sizeof *l);
	sfs_root_init(&l->theme, theme_dir, "theme folder");
	sfs_root_init(&l->site, site_dir, "site folder");
	l->set = mst_set_new();
	i18n_source src = {
		.theme_root = &l->theme, .theme_rel = "", .theme_shown = "themes/t",
		.site_root = &l->site, .lang = lang,
		.lang_at = {"site.yml", 4, 11},
	};
	l->t = i18n_load(&src, l->set, &l->d);
}

/* The site's i18n/<lang>.yml holding text, loaded with a theme that has
 * no translations. */
static void load_site_file(loaded *l, const fixture_dir *f, const char *lang,
			   const char *text)
{
	char *rel = xasprintf("i18n/%s.yml", lang);
	fixture_put(f->dir, rel, text, strlen(text));
	free(rel);
	load(l, NO_THEME, f->dir, lang);
}

static void unload(loaded *l)
{
	i18n_free(l->t);
	mst_set_free(l->set);
	diags_free(&l->d);
	sfs_root_free(&l->theme);
	sfs_root_free(&l->site);
}

/* The message of diagnostic k as "path:line:col: text". */
static char *said(const loaded *l, size_t k)
{
	const diag_t *x = &l->d.v[k];
	return xasprintf("%s:%d:%d: %s", x->path, x->line, x->col, x->msg);
}

/* One of the diagnostics is want, word for word. */
static void assert_said(const loaded *l, const char *want)
{
	int found = 0;
	for (size_t k = 0; k < l->d.n && !found; k++) {
		char *got = said(l, k);
		found = !strcmp(got, want);
		free(got);
	}
	for (size_t k = 0; !found && k < l->d.n; k++)
		print_error("not \"%s\": %s\n", want, l->d.v[k].msg);
	assert_true(found);
}

static void assert_text(const loaded *l, const char *key, const char *want)
{
	char *got = i18n_text(l->t, key, NULL);
	assert_string_equal(got, want);
	free(got);
}


/* The shipped languages: CLDR's plural categories, the direction, and
 * 2019-04-01 and 1969-12-31 as each writes them. */
static const char *const shipped[][5] = {
	{"en", "one other", "ltr", "1 April 2019", "31 December 1969"},
	{"fr", "one many other", "ltr", "1 avril 2019", "31 décembre 1969"},
	{"es", "one many other", "ltr", "1 de abril de 2019",
	 "31 de diciembre de 1969"},
	{"pt", "one many other", "ltr", "1 de abril de 2019",
	 "31 de dezembro de 1969"},
	{"ar", "zero one two few many other", "rtl", "١ أبريل ٢٠١٩",
	 "٣١ ديسمبر ١٩٦٩"},
};
#define NSHIPPED (sizeof shipped / sizeof shipped[0])

/* Every shipped file has every key of en.yml, exactly the plural forms
 * its language's CLDR rules use, and compiles: it loads without a word. */
static void test_shipped_files_complete(void **state)
{
	fixture_dir *tmp = *state;
	for (size_t k = 0; k < NSHIPPED; k++) {
		loaded l;
		load(&l, SHIPPED, tmp->dir, shipped[k][0]);
		for (size_t i = 0; i < l.d.n; i++)
			print_error("%s: %s\n", shipped[k][0], said(&l, i));
		assert_int_equal(l.d.n, 0);
		assert_string_equal(i18n_lang(l.t), shipped[k][0]);
		char *cats = i18n_categories(l.t);
		assert_string_equal(cats, shipped[k][1]);
		free(cats);
		assert_int_equal(i18n_rtl(l.t), !strcmp(shipped[k][2], "rtl"));
		unload(&l);
	}
}

/* A key the language's file leaves out: a named warning naming the key
 * and the file, and the English text. */
static void test_missing_key_falls_back(void **state)
{
	fixture_dir *f = *state;
	const char *fr = "home: Accueil\n";
	loaded l;
	load_site_file(&l, f, "fr", fr);
	assert_text(&l, "home", "Accueil");
	assert_text(&l, "menu_map", "Map");
	assert_true(l.d.n > 10);
	assert_int_equal(l.d.v[0].check, CHECK_MISSING_TRANSLATION);
	assert_said(&l, "i18n/fr.yml:1:1: no translation of 'date_pattern': "
			   "the English text is shown; add date_pattern: to this file");
	unload(&l);
}

/* The site's file wins over the theme's, key by key. */
static void test_site_overrides_theme(void **state)
{
	fixture_dir *f = *state;
	char *theme = fs_join(f->dir, "theme");
	const char *a = "home: Accueil\nmenu_map: Carte\n";
	const char *b = "home: Page d’accueil\n";
	fixture_put(theme, "i18n/fr.yml", a, strlen(a));
	fixture_put(f->dir, "i18n/fr.yml", b, strlen(b));
	loaded l;
	load(&l, theme, f->dir, "fr");
	assert_text(&l, "home", "Page d’accueil");
	assert_text(&l, "menu_map", "Carte");
	/* the missing keys are reported against the theme's file */
	assert_said(&l, "themes/t/i18n/fr.yml:1:1: no translation of "
			   "'date_pattern': the English text is shown; add "
			   "date_pattern: to this file");
	unload(&l);
	free(theme);
}

/* Bad YAML, a bad value and a text that is no template: errors at their
 * line and column of the file. */
static void test_bad_files_point_at_the_value(void **state)
{
	fixture_dir *f = *state;
	const char *bad = "home: Accueil\nmenu_map: \"Carte\n";
	loaded l;
	load_site_file(&l, f, "fr", bad);
	assert_int_equal(l.d.v[0].level, DIAG_ERROR);
	assert_string_equal(l.d.v[0].path, "i18n/fr.yml");
	assert_int_equal(l.d.v[0].line, 2);
	unload(&l);

	const char *worse = "home: [a, b]\nstatus:\n  one: x\n  lots: y\n"
			    "details: \"{{#name}}x\"\n";
	load_site_file(&l, f, "fr", worse);
	assert_said(&l, "i18n/fr.yml:1:7: 'home' must be a text, or plural "
			   "forms such as one: and other:, not a list");
	assert_said(&l, "i18n/fr.yml:4:3: 'lots' is no plural category: "
			   "write zero, one, two, few, many or other");
	assert_said(&l, "i18n/fr.yml:5:10: the text of 'details' is not a "
			   "valid template: unclosed section {{#name}}: no {{/name}} follows");
	unload(&l);

	/* a key with a typo is told the key it is nearest to */
	load_site_file(&l, f, "fr", "hme: Accueil\n");
	assert_said(&l, "i18n/fr.yml:1:1: unknown key 'hme' (ignored): the "
			   "English file has no such text, so no template shows "
			   "it; did you mean home?");
	unload(&l);
}

/* A language with no file anywhere: a warning at site.yml's value, and
 * English pages that say so in <html lang>. */
static void test_unknown_language(void **state)
{
	fixture_dir *f = *state;
	loaded l;
	load(&l, SHIPPED, f->dir, "de");
	assert_int_equal(l.d.n, 1);
	assert_int_equal(l.d.v[0].check, CHECK_UNKNOWN_LANGUAGE);
	assert_said(&l, "site.yml:4:11: no translation for language 'de' "
			   "(neither themes/t/i18n/de.yml nor i18n/de.yml): the "
			   "pages are in English; write language: en, fr, es, pt "
			   "or ar, or add i18n/de.yml to the site, with the keys "
			   "of themes/default/i18n/en.yml");
	assert_string_equal(i18n_lang(l.t), "en");
	assert_text(&l, "home", "Home");
	unload(&l);
}

/* A plural form the language needs, or one it never uses. */
static void test_plural_forms_checked(void **state)
{
	fixture_dir *f = *state;
	const char *ar = "institution_word:\n  one: a\n  two: b\n  other: c\n"
			 "country_word:\n  one: a\n  other: b\n  two: c\n";
	loaded l;
	load_site_file(&l, f, "ar", ar);
	/* a missing form at the key that lacks it */
	assert_said(&l, "i18n/ar.yml:1:1: 'institution_word' has no 'few' "
			"form, which ar needs: the 'other' form is shown; add few:");
	char *p = i18n_plural(l.t, "institution_word", 5, NULL);
	assert_string_equal(p, "c"); /* few, missing: other */
	free(p);
	unload(&l);

	const char *fr = "institution_word:\n  one: a\n  two: b\n  other: c\n";
	load_site_file(&l, f, "fr", fr);
	/* a form too many at its own key */
	assert_said(&l, "i18n/fr.yml:3:3: 'institution_word' has a 'two' "
			"form, which fr never uses (ignored): its forms are one "
			"many other");
	unload(&l);
}

static void assert_plural(const loaded *l, const char *key, double n,
			  const char *want)
{
	char *got = i18n_plural(l->t, key, n, NULL);
	assert_string_equal(got, want);
	free(got);
}

/* CLDR's rules pick the form: English one/other, French counts 0 as one,
 * Arabic has all six. */
static void test_plural_selection(void **state)
{
	static const struct {
		const char *lang, *key;
		double n;
		const char *want;
	} cases[] = {
		{"en", "institution_word", 1, "institution"},
		{"en", "institution_word", 0, "institutions"},
		{"en", "country_count", 62, "62 countries"},
		{"en", "country_count", 1234, "1,234 countries"},
		{"fr", "institution_word", 0, "établissement"},
		{"fr", "institution_word", 1, "établissement"},
		{"fr", "institution_word", 2, "établissements"},
		{"fr", "country_count", 1234, "1\u202f234 pays"},
		{"ar", "institution_word", 0, "مؤسسة"},
		{"ar", "institution_word", 1, "مؤسسة"},
		{"ar", "institution_word", 2, "مؤسستان"},
		{"ar", "institution_word", 3, "مؤسسات"},
		{"ar", "institution_word", 10, "مؤسسات"},
		{"ar", "institution_word", 11, "مؤسسة"},
		{"ar", "institution_word", 99, "مؤسسة"},
		{"ar", "institution_word", 100, "مؤسسة"},
		{"ar", "institution_word", 103, "مؤسسات"},
		{"ar", "country_count", 2, "دولتين"},
		{"ar", "country_count", 5, "٥ دول"},
		{"ar", "country_count", 62, "٦٢ دولة"},
	};
	fixture_dir *f = *state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		loaded l;
		load(&l, SHIPPED, f->dir, cases[k].lang);
		assert_plural(&l, cases[k].key, cases[k].n, cases[k].want);
		unload(&l);
	}
}

/* Dates in each shipped language, before 1970 too; never the machine's
 * locale or time zone (set here to ones that would show). */
static void test_dates(void **state)
{
	fixture_dir *f = *state;
	setenv("TZ", "Pacific/Kiritimati", 1);
	setenv("LC_ALL", "fr_FR.UTF-8", 1);
	for (size_t k = 0; k < NSHIPPED; k++) {
		loaded l;
		load(&l, SHIPPED, f->dir, shipped[k][0]);
		char *a = i18n_date(l.t, "2019-04-01");
		char *b = i18n_date(l.t, "1969-12-31");
		assert_string_equal(a, shipped[k][3]);
		assert_string_equal(b, shipped[k][4]);
		free(a);
		free(b);
		assert_null(i18n_date(l.t, "2019-13-01"));
		assert_null(i18n_date(l.t, "2019-04-01x"));
		assert_null(i18n_date(l.t, NULL));
		unload(&l);
	}
	unsetenv("TZ");
	unsetenv("LC_ALL");
}

/* Texts are plain: HTML in them is escaped in pages, kept in i18n_text;
 * placeholders are filled from the view. */
static void test_texts_are_plain(void **state)
{
	fixture_dir *f = *state;
	const char *en = "home: \"<b>Tom & Jerry's</b> {{name}}\"\n";
	loaded l;
	load_site_file(&l, f, "en", en);
	assert_int_equal(l.d.n, 0);
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "name", "<i>");
	char *s = i18n_text(l.t, "home", v);
	assert_string_equal(s, "<b>Tom & Jerry's</b> <i>");
	free(s);
	buf_t out = BUF_INIT;
	assert_int_equal(mst_render(l.set, "i18n.home", v, &out), 0);
	assert_string_equal(buf_cstr(&out),
			    "&lt;b&gt;Tom &amp; Jerry's&lt;/b&gt; &lt;i&gt;");
	buf_free(&out);
	cJSON_Delete(v);
	unload(&l);
}

/* The words of an offer in each shipped language: month names from ICU
 * (January and September, full and short), both exchange levels as one
 * phrase, and file sizes of 1 byte, 2 KB and 3.2 MB with their units. */
static const char *const offer_words[][9] = {
	{"en", "January", "Jan", "Sep", "Undergraduate and postgraduate students",
	 "1 byte", "512 bytes", "2 KB", "3.2 MB"},
	{"fr", "janvier", "janv.", "sept.",
	 "Étudiants de premier cycle et de cycle supérieur", "1 octet",
	 "512 octets", "2 Ko", "3,2 Mo"},
	{"es", "enero", "ene", "sept",
	 "Estudiantes de grado y de posgrado", "1 byte", "512 bytes", "2 KB",
	 "3,2 MB"},
	{"pt", "janeiro", "jan.", "set.",
	 "Estudantes de graduação e de pós-graduação", "1 byte", "512 bytes",
	 "2 KB", "3,2 MB"},
	{"ar", "يناير", "يناير", "سبتمبر",
	 "طلاب المرحلة الجامعية الأولى والدراسات العليا", "١ بايت",
	 "٥١٢ بايت", "٢ كيلوبايت", "٣٫٢ ميغابايت"},
};

static void assert_owned(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Month names, exchange levels and file sizes follow the page's
 * language, whatever the machine's locale. */
static void test_offer_words(void **state)
{
	fixture_dir *f = *state;
	static const size_t sizes[] = {1, 512, 1500, 3355443};
	char *both[] = {"undergraduate", "postgraduate"};
	strlist levels = {both, 2};
	setenv("LC_ALL", "de_DE.UTF-8", 1);
	for (size_t k = 0; k < sizeof offer_words / sizeof offer_words[0]; k++) {
		const char *const *w = offer_words[k];
		loaded l;
		load(&l, SHIPPED, f->dir, w[0]);
		assert_int_equal(l.d.n, 0);
		assert_string_equal(i18n_month(l.t, 1, 0), w[1]);
		assert_string_equal(i18n_month(l.t, 1, 1), w[2]);
		assert_string_equal(i18n_month(l.t, 9, 1), w[3]);
		assert_null(i18n_month(l.t, 13, 0));
		assert_owned(view_levels_text(l.t, &levels), w[4]);
		for (size_t i = 0; i < 4; i++)
			assert_owned(view_size_text(l.t, sizes[i]), w[5 + i]);
		unload(&l);
	}
	unsetenv("LC_ALL");
	assert_string_equal(i18n_month(NULL, 12, 0), "December");
}

/* A language's name in the pages' language, or the tag itself where
 * ICU reads only part of it or knows no name: the directory's filter and
 * the elective offers both say it this way. */
static void test_language_names(void **state)
{
	fixture_dir *f = *state;
	loaded fr;
	load(&fr, SHIPPED, f->dir, "fr");
	static const struct {
		int in_french;
		const char *tag, *want;
	} cases[] = {
		{0, "pt-BR", "Portuguese (Brazil)"},
		{0, "pt-br", "Portuguese (Brazil)"},
		{1, "pt-BR", "portugais (Brésil)"},
		{1, "en", "anglais"},
		{0, "xx", "xx"},
		{0, "XX", "XX"},
		{0, "en-@@", "en-@@"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char *got = i18n_language_name(cases[k].in_french ? fr.t : NULL,
					       cases[k].tag);
		assert_string_equal(got, cases[k].want);
		free(got);
	}
	unload(&fr);
}

/* Each test gets a fresh, empty folder. */
static int setup(void **state)
{
	*state = fixture_dir_new("pm-i18n");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	fixture_dir *f = *state;
	fs_remove_tree(f->dir);
	free(f);
	return 0;
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_shipped_files_complete),
		TEST(test_missing_key_falls_back),
		TEST(test_site_overrides_theme),
		TEST(test_bad_files_point_at_the_value),
		TEST(test_unknown_language),
		TEST(test_plural_forms_checked),
		TEST(test_plural_selection),
		TEST(test_dates),
		TEST(test_texts_are_plain),
		TEST(test_offer_words),
		TEST(test_language_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
