/* test_links.c - the check of links between the site's pages (load/links.c,
 * links_check): a link that names no page of the site is an error at its
 * place, one that does is not told, and the records left out for their
 * errors (an institution, a free page, a translation) have their links
 * checked all the same, from the folder their page would have; a link to
 * a record refused for its errors is not told (it follows from them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitefix.h"
#include "util/buf.h"
#include "util/safefs.h"

static const char site_yml[] =
	"title: Test\nbase_url: https://example.org/map/\n"
	"languages: [en, fr]\n";
static const char net_md[] = "---\nname: Global Network\nkind: global\n---\n";

/* A record of Kampala (country: code, as given), with the front matter
 * lines extra and body. Fresh. */
static char *record(const char *code, const char *extra, const char *body)
{
	return xasprintf("---\nname: A School\ncountry: %s\ncity: Kampala\n"
			 "location: [0.33, 32.57]\nnetworks: [global]\n"
			 "exchanges: [undergraduate]\n%s---\n%s\n",
			 code, extra, body);
}

/* Load f's site and check its links: every error line, "path:line:col:
 * message\n", the load's own errors left out. Fresh. */
static char *link_errors(site_fixture *f)
{
	sfs_root root;
	assert_int_equal(sfs_root_init(&root, f->dir, "site folder"), 0);
	site_load(&f->s, f->dir, &f->d);
	size_t loaded = f->d.n;
	links_check(&f->s, &root, &f->d);
	sfs_root_free(&root);
	buf_t b = BUF_INIT;
	for (size_t i = loaded; i < f->d.n; i++)
		buf_printf(&b, "%s:%d:%d: %s\n", f->d.v[i].path, f->d.v[i].line,
			   f->d.v[i].col, f->d.v[i].msg);
	return buf_detach(&b);
}

static int setup(void **state)
{
	static const char *const files[] = {
		"site.yml", site_yml, "content/networks/global.md", net_md,
		"content/pages/about.md", "---\ntitle: About\n---\nText.\n", NULL};
	return site_fixture_setup(state, "pm-links", files);
}

static void a_link_to_no_page_is_told_at_its_place(void **state)
{
	site_fixture *f = *state;
	char *rec = record("UG", "",
			   "See [us](../../about/) and [x](../../networks/globl/).");
	site_put(f, "content/institutions/alpha.md", rec);
	free(rec);
	char *got = link_errors(f);
	assert_string_equal(got,
		"content/institutions/alpha.md:9:32: the body links to "
		"'../../networks/globl/', which names no network of the site "
		"(networks/globl/); did you mean global?\n");
	free(got);
}

static void a_record_left_out_has_its_links_checked(void **state)
{
	site_fixture *f = *state;
	char *rec = record("Uganda", "housing: \"[a](../../networks/gone/)\"\n"
			   "electives:\n  - type: clinical\n"
			   "    requirements: \"[b](../../nowhere/)\"\n",
			   "See [us](../../about/) and [x](../betta/) [y](../gamma/).");
	site_put(f, "content/institutions/alpha.md", rec);
	free(rec);
	/* betta a draft, whose page is not written; gamma refused for an
	 * error, told at it: the link to it is right once that is fixed */
	site_put(f, "content/institutions/betta.md", "---\ndraft: true\n---\n");
	site_put(f, "content/institutions/gamma.md", "---\nname: [\n---\n");
	char *got = link_errors(f);
	assert_true(f->s.ninst == 0);
	assert_string_equal(got,
		"content/institutions/alpha.md:13:32: the body links to '../betta/', "
		"which names institution betta, a draft (draft: true in its "
		"record): its page is not written\n"
		"content/institutions/alpha.md:8:15: housing links to "
		"'../../networks/gone/', which names no network of the site "
		"(networks/gone/); the networks are global\n"
		"content/institutions/alpha.md:11:24: requirements links to "
		"'../../nowhere/', which names no page of the site (nowhere/)\n");
	free(got);
}

static void a_page_and_a_translation_left_out_have_their_links_checked(void **state)
{
	site_fixture *f = *state;
	char *rec = record("UG", "", "Text.");
	site_put(f, "content/institutions/alpha.md", rec);
	free(rec);
	site_put(f, "content/pages/join.md",
		 "---\ntitle: Join\nmenu: first\n---\n[x](../abuot/)\n");
	site_put(f, "content/institutions/alpha.fr.md",
		 "---\ncountry: UG\n---\n[x](../alpha/) [y](../alfa/)\n");
	/* a file named against the rule (told so): its links are checked
	 * from the page its right name would have; the refused join page
	 * is no broken link either */
	site_put(f, "content/institutions/Delta.md",
		 "---\nname: D\n---\n[x](../../join/) [y](../../jion/)\n");
	char *got = link_errors(f);
	assert_int_equal(f->s.npages, 1);
	assert_int_equal(f->s.ntr, 0);
	assert_string_equal(got,
		"content/pages/join.md:5:5: the body links to '../abuot/', which "
		"names no page of the site (abuot/); did you mean about?\n"
		"content/institutions/Delta.md:4:22: the body links to "
		"'../../jion/', which names no page of the site (jion/)\n"
		"content/institutions/alpha.fr.md:4:20: the body links to "
		"'../alfa/', which names no institution of the site "
		"(fr/institutions/alfa/); did you mean alpha?\n");
	free(got);
}

/* Every broken link is told, but only the first hundred of one text
 * get a "did you mean": each looks among all the site's names (40,000
 * in a body of a site of 5,000 records took a minute). A network's list
 * is cut to a line. */
static void hints_of_one_text_are_bounded(void **state)
{
	site_fixture *f = *state;
	buf_t body = BUF_INIT;
	for (int i = 0; i < 102; i++) /* alphaaa, alphaab, ...: 2 from alpha */
		buf_printf(&body, "[x](../alpha%c%c/)\n", 'a' + i / 26, 'a' + i % 26);
	buf_puts(&body, "[n](../../networks/zz/)\n");
	char *rec = record("UG", "", buf_cstr(&body));
	site_put(f, "content/institutions/alpha.md", rec);
	free(rec);
	char *got = link_errors(f);
	size_t told = 0, hinted = 0;
	for (const char *p = got; (p = strstr(p, "names no institution")); p++)
		told++;
	for (const char *p = got; (p = strstr(p, "; did you mean alpha?")); p++)
		hinted++;
	assert_int_equal(told, 102);
	assert_int_equal(hinted, 100);
	/* the link past the hundred: told, without its hint, nor a list */
	const char *last = strstr(got, "content/institutions/alpha.md:111:");
	assert_non_null(last);
	assert_string_equal(last, "content/institutions/alpha.md:111:5: the body "
			    "links to '../../networks/zz/', which names no "
			    "network of the site (networks/zz/)\n");
	free(got);
	buf_free(&body);
}

/* A network's list, when no slug is near, names FIELD_WORDS_LISTED. */
static void the_networks_listed_are_cut(void **state)
{
	site_fixture *f = *state;
	for (int i = 0; i < 30; i++) {
		char *rel = xasprintf("content/networks/n%02d.md", i);
		site_put(f, rel, "---\nname: N\nkind: regional\n---\n");
		free(rel);
	}
	char *rec = record("UG", "", "[n](../../networks/qqqqq/)");
	site_put(f, "content/institutions/alpha.md", rec);
	free(rec);
	char *got = link_errors(f);
	buf_t want = BUF_INIT;
	buf_puts(&want, "content/institutions/alpha.md:9:5: the body links to "
		 "'../../networks/qqqqq/', which names no network of the site "
		 "(networks/qqqqq/); the networks are global");
	for (int i = 0; i < 23; i++)
		buf_printf(&want, ", n%02d", i);
	buf_puts(&want, " and 7 more\n");
	assert_string_equal(got, buf_cstr(&want));
	buf_free(&want);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			a_link_to_no_page_is_told_at_its_place, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			a_record_left_out_has_its_links_checked, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			a_page_and_a_translation_left_out_have_their_links_checked,
			setup, site_fixture_teardown),
		cmocka_unit_test_setup_teardown(hints_of_one_text_are_bounded,
						setup, site_fixture_teardown),
		cmocka_unit_test_setup_teardown(the_networks_listed_are_cut,
						setup, site_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
