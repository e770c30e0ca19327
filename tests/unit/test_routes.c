/* test_routes.c - where every page lives (render/routes.h): paths, files,
 * URLs and links of each kind of page, country codes in lower case, links
 * between pages at different depths, and the page views and sitemap that
 * take their addresses from the routes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "english.h"
#include "render/render.h"
#include "render/routes.h"
#include "site.h"
#include "util/buf.h"
#include "util/pairs.h"

#define BASE "https://example.org/partners/"

typedef struct want {
	route r;
	const char *path, *file, *url, *root;
} want;

static const want every_kind[] = {
	{{ROUTE_HOME, NULL, 0}, "", "index.html", BASE, ""},
	{{ROUTE_INSTITUTION, "makerere-university", 0},
	 "institutions/makerere-university/",
	 "institutions/makerere-university/index.html",
	 BASE "institutions/makerere-university/", "../../"},
	{{ROUTE_NETWORK, "africa", 0}, "networks/africa/",
	 "networks/africa/index.html", BASE "networks/africa/", "../../"},
	{{ROUTE_COUNTRY, "UG", 0}, "countries/ug/", "countries/ug/index.html",
	 BASE "countries/ug/", "../../"},
	{{ROUTE_PAGE, "about", 0}, "about/", "about/index.html", BASE "about/",
	 "../"},
	{{ROUTE_ELECTIVE, "clinical", 0}, "electives/clinical/",
	 "electives/clinical/index.html", BASE "electives/clinical/", "../../"},
	/* a listing's later pages lie below its first; page 1 is the first */
	{{ROUTE_NETWORK, "africa", 2}, "networks/africa/page/2/",
	 "networks/africa/page/2/index.html", BASE "networks/africa/page/2/",
	 "../../../../"},
	{{ROUTE_COUNTRY, "UG", 14}, "countries/ug/page/14/",
	 "countries/ug/page/14/index.html", BASE "countries/ug/page/14/",
	 "../../../../"},
	{{ROUTE_ELECTIVE, "research", 3}, "electives/research/page/3/",
	 "electives/research/page/3/index.html",
	 BASE "electives/research/page/3/", "../../../../"},
	{{ROUTE_NETWORK, "asia", 1}, "networks/asia/",
	 "networks/asia/index.html", BASE "networks/asia/", "../../"},
	/* other kinds have one page whatever the number says */
	{{ROUTE_PAGE, "about", 2}, "about/", "about/index.html", BASE "about/",
	 "../"},
	/* served for any missing path: links start from base_url's path */
	{{ROUTE_NOT_FOUND, NULL, 0}, "404.html", "404.html", BASE "404.html",
	 "/partners/"},
};

static void every_kind_has_its_path_file_url_and_root(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof every_kind / sizeof every_kind[0]; i++) {
		const want *w = &every_kind[i];
		char *path = route_path(w->r), *file = route_file(w->r);
		char *url = route_url(BASE, w->r), *root = route_root(BASE, w->r);
		assert_string_equal(path, w->path);
		assert_string_equal(file, w->file);
		assert_string_equal(url, w->url);
		assert_string_equal(root, w->root);
		free(path);
		free(file);
		free(url);
		free(root);
	}
}

static void country_codes_are_lower_cased_as_ascii(void **state)
{
	(void)state;
	/* a code as written and as routes spell it */
	static const str_pair cases[] = {
		{"UG", "ug"}, {"ug", "ug"}, {"Gb", "gb"}, {"AZ", "az"},
		/* not letters: left as they are, where | 0x20 would turn
		 * "@" into "`", "[" into "{" and "1" stays only by luck */
		{"@[", "@["}, {"U1", "u1"}, {"^_", "^_"},
		/* bytes past ASCII are no letters either */
		{"\xC9" "A", "\xC9" "a"},
		/* shorter codes are copied to their end, longer ones cut */
		{"U", "u"}, {"", ""}, {"UGA", "ug"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char code[3];
		route_country_code(code, cases[i].key);
		assert_string_equal(code, cases[i].value);
	}
	char *path = route_path((route){ROUTE_COUNTRY, "U1", 0});
	assert_string_equal(path, "countries/u1/");
	free(path);
}

static void links_between_pages_at_different_depths(void **state)
{
	(void)state;
	const route home = {ROUTE_HOME, NULL, 0};
	const route inst = {ROUTE_INSTITUTION, "kyoto", 0};
	const route net = {ROUTE_NETWORK, "asia", 0};
	const route land = {ROUTE_COUNTRY, "JP", 0};
	const route about = {ROUTE_PAGE, "about", 0};
	const route missing = {ROUTE_NOT_FOUND, NULL, 0};
	static const char *const base_at_root = "https://example.org/";
	const struct {
		const char *base;
		route from, to;
		const char *link;
	} cases[] = {
		{BASE, home, inst, "institutions/kyoto/index.html"},
		{BASE, home, home, "index.html"},
		{BASE, inst, home, "../../index.html"},
		{BASE, inst, land, "../../countries/jp/index.html"},
		{BASE, inst, inst, "../../institutions/kyoto/index.html"},
		{BASE, land, net, "../../networks/asia/index.html"},
		{BASE, about, inst, "../institutions/kyoto/index.html"},
		{BASE, about, home, "../index.html"},
		{BASE, net, about, "../../about/index.html"},
		/* the 404 page is shown at any depth: from the base's path */
		{BASE, missing, home, "/partners/index.html"},
		{BASE, missing, inst, "/partners/institutions/kyoto/index.html"},
		{base_at_root, missing, about, "/about/index.html"},
		{"partners/", missing, home, "/index.html"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *link = route_link(cases[i].base, cases[i].from, cases[i].to);
		assert_string_equal(link, cases[i].link);
		free(link);
	}
}

static void reserved_folders_cannot_be_page_slugs(void **state)
{
	(void)state;
	assert_int_equal(route_reserved("institutions"), 1);
	assert_int_equal(route_reserved("networks"), 1);
	assert_int_equal(route_reserved("countries"), 1);
	assert_int_equal(route_reserved("assets"), 1);
	assert_int_equal(route_reserved("electives"), 1);
	assert_int_equal(route_reserved("about"), 0);
	assert_int_equal(route_reserved("institution"), 0);
	assert_int_equal(route_reserved(""), 0);
}

/* ---- the views and the sitemap take their addresses from the routes ---- */

typedef struct fixture {
	site s;
	country ug;
	country_group group;
	size_t by_country[1];
	asset_list assets;
	english en;
	render_ctx r;
} fixture;

static void fixture_init(fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	site_init(&fx->s);
	fx->s.cfg.title = xstrdup("Test");
	fx->s.cfg.base_url = xstrdup(BASE);
	fx->s.pages = xcalloc(1, sizeof *fx->s.pages);
	fx->s.npages = 1;
	fx->s.pages[0].slug = xstrdup("about");
	fx->s.pages[0].path = xstrdup("content/pages/about.md");
	fx->s.pages[0].title = xstrdup("About");
	fx->s.pages[0].has_menu = 1;
	fx->s.pages[0].body_html = xstrdup("");
	fx->s.inst = xcalloc(1, sizeof *fx->s.inst);
	fx->s.ninst = 1;
	fx->s.inst[0].slug = xstrdup("makerere");
	fx->s.inst[0].path = xstrdup("content/institutions/makerere.md");
	fx->s.inst[0].name = xstrdup("Makerere");
	fx->s.inst[0].city = xstrdup("Kampala");
	fx->s.inst[0].country = xstrdup("UG");
	fx->s.inst[0].body_html = xstrdup("");
	fx->ug = (country){.alpha2 = "UG", .alpha3 = "UGA", .name = "Uganda"};
	fx->group = (country_group){&fx->ug, 0, 1};
	fx->r.s = &fx->s;
	fx->r.assets = &fx->assets;
	fx->r.version = "test";
	fx->r.groups = &fx->group;
	fx->r.ngroups = 1;
	fx->r.by_country = fx->by_country;
	english_init(&fx->en);
	fx->r.i18n = fx->en.t;
	render_rank_memberships(&fx->r);
}

static void fixture_free(fixture *fx)
{
	free(fx->r.inst_net_at);
	free(fx->r.inst_net_ranks);
	site_free(&fx->s);
	english_free(&fx->en);
}

static const char *view_str(cJSON *v, const char *key)
{
	cJSON *item = cJSON_GetObjectItem(v, key);
	assert_non_null(item);
	assert_true(cJSON_IsString(item));
	return item->valuestring;
}

static void views_take_root_path_and_menu_from_the_route(void **state)
{
	(void)state;
	fixture fx;
	fixture_init(&fx);

	cJSON *v = view_base(&fx.r, (route){ROUTE_PAGE, "about", 0});
	assert_string_equal(view_str(v, "root"), "../");
	assert_string_equal(view_str(v, "path"), "about/");
	assert_string_equal(view_str(v, "canonical"), BASE "about/");
	assert_string_equal(view_str(v, "home_href"), "index.html");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(v, "is_home")));
	cJSON *menu = cJSON_GetObjectItem(v, "menu");
	assert_int_equal(cJSON_GetArraySize(menu), 2);
	cJSON *m0 = cJSON_GetArrayItem(menu, 0), *m1 = cJSON_GetArrayItem(menu, 1);
	assert_string_equal(view_str(m0, "href"), "index.html");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(m0, "current")));
	assert_string_equal(view_str(m1, "href"), "about/index.html");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m1, "current")));
	cJSON_Delete(v);

	v = view_base(&fx.r, (route){ROUTE_HOME, NULL, 0});
	assert_string_equal(view_str(v, "root"), "");
	assert_string_equal(view_str(v, "path"), "");
	assert_string_equal(view_str(v, "canonical"), BASE);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(v, "is_home")));
	menu = cJSON_GetObjectItem(v, "menu");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(menu, 0), "current")));
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(menu, 1), "current")));
	cJSON_Delete(v);

	v = view_base(&fx.r, (route){ROUTE_NOT_FOUND, NULL, 0});
	assert_string_equal(view_str(v, "root"), "/partners/");
	assert_string_equal(view_str(v, "path"), "404.html");
	assert_string_equal(view_str(v, "canonical"), BASE "404.html");
	cJSON_Delete(v);

	/* a country group: its code and link in lower case */
	v = view_country_group(&fx.r, &fx.group, INST_ALL, 0);
	assert_string_equal(view_str(v, "code"), "ug");
	assert_string_equal(view_str(v, "code_upper"), "UG");
	assert_string_equal(view_str(v, "href"), "countries/ug/index.html");
	/* its institutions are placeholders, made as the page renders */
	cJSON *list = cJSON_GetObjectItem(v, "institutions");
	cJSON *placeholder = cJSON_GetArrayItem(list, 0);
	assert_true(placeholder->type & MST_LAZY);
	cJSON *item = view_make_item(&fx.r, placeholder->valuedouble);
	assert_string_equal(view_str(item, "href"),
			    "institutions/makerere/index.html");
	cJSON_Delete(item);
	cJSON_Delete(v);

	fixture_free(&fx);
}

static void sitemap_lists_every_page_by_its_url(void **state)
{
	(void)state;
	fixture fx;
	fixture_init(&fx);
	buf_t out = BUF_INIT;
	assert_int_equal(export_sitemap(&fx.r, &out), 0);
	const char *xml = buf_cstr(&out);
	static const char *const locs[] = {
		"<loc>" BASE "</loc>", "<loc>" BASE "about/</loc>",
		"<loc>" BASE "countries/ug/</loc>",
		"<loc>" BASE "institutions/makerere/</loc>"};
	const char *at = xml;
	for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++) {
		const char *p = strstr(at, locs[i]);
		if (!p)
			check_show("sitemap: ", xml);
		assert_non_null(p); /* each, in this order */
		at = p + strlen(locs[i]);
	}
	buf_free(&out);
	fixture_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_has_its_path_file_url_and_root),
		cmocka_unit_test(country_codes_are_lower_cased_as_ascii),
		cmocka_unit_test(links_between_pages_at_different_depths),
		cmocka_unit_test(reserved_folders_cannot_be_page_slugs),
		cmocka_unit_test(views_take_root_path_and_menu_from_the_route),
		cmocka_unit_test(sitemap_lists_every_page_by_its_url),
	};
	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
