/* test_views.c - the parts of views made once per language (view_prepare)
 * give the very views, key for key and byte for byte, that a view made
 * without them has; and deleting a view leaves those parts whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "english.h"
#include "load/load.h"
#include "render/render.h"
#include "site.h"
#include "util/buf.h"

enum { NNET = 3, NINST = 2 };

/* A hand-made site of NNET networks and NINST institutions, and the
 * render_ctx fields views read, in one place to free. */
typedef struct view_fixture {
	site s;
	english en;
	asset_list assets;
	size_t order[NNET], count[NNET], countries[NNET];
	int rank[NNET];
	render_ctx r;
} view_fixture;

/* l holds a, then b when not NULL (freed by site_free). */
static void strlist_of(strlist *l, const char *a, const char *b)
{
	const char *words[] = {a, b};
	strlist_pack(l, words, b ? 2 : 1);
}

static void fixture_init(view_fixture *f)
{
	memset(f, 0, sizeof *f);
	site_init(&f->s);
	diags_t d = {0};
	assert_int_equal(countries_load(&f->s.countries, PM_ISO_CODES_PATH, &d), 0);
	diags_free(&d);
	f->s.cfg.title = xstrdup("Partners");
	f->s.cfg.base_url = xstrdup("https://example.org/");
	f->s.net = xcalloc(NNET, sizeof *f->s.net);
	f->s.nnet = NNET;
	for (int i = 0; i < NNET; i++) {
		network *n = &f->s.net[i];
		n->slug = xasprintf("net-%d", i);
		n->path = xasprintf("content/networks/net-%d.md", i);
		n->name = xasprintf("Network %d", i);
		n->kind = xstrdup(i ? "regional" : "global");
		n->colour = xstrdup("#123456");
		n->body_html = xstrdup("<p>About</p>");
		f->order[i] = (size_t)(NNET - 1 - i);
		f->rank[NNET - 1 - i] = i;
		f->count[i] = (size_t)i + 1;
		f->countries[i] = 1;
	}
	f->s.inst = xcalloc(NINST, sizeof *f->s.inst);
	f->s.ninst = NINST;
	static const char *const code[NINST] = {"FR", "ZZ"};
	for (int i = 0; i < NINST; i++) {
		institution *in = &f->s.inst[i];
		in->slug = xasprintf("school-%d", i);
		in->path = xasprintf("content/institutions/school-%d.md", i);
		in->name = xasprintf("School %d", i);
		in->city = xstrdup("Lyon");
		in->country = xstrdup(code[i]);
		in->body_html = xstrdup("<p>Body</p>");
		in->website = xstrdup("https://school.example/");
		strlist_of(&in->networks, "net-2", i ? "net-0" : NULL);
		strlist_of(&in->exchanges, "postgraduate", i ? "doctoral" : NULL);
		strlist_of(&in->electives, "research", NULL);
	}
	english_init(&f->en);
	f->r = (render_ctx){.s = &f->s, .i18n = f->en.t, .assets = &f->assets,
			    .version = "1.0", .net_order = f->order,
			    .net_rank = f->rank, .net_count = f->count,
			    .net_countries = f->countries};
	render_rank_memberships(&f->r);
}

static void fixture_free(view_fixture *f)
{
	free(f->r.inst_net_at);
	free(f->r.inst_net_ranks);
	english_free(&f->en);
	site_free(&f->s);
}

/* v printed, then deleted. */
static char *printed(cJSON *v)
{
	char *json = cJSON_PrintUnformatted(v);
	cJSON_Delete(v);
	assert_non_null(json);
	return json;
}

/* What each view prints without the prepared parts, then with them
 * (twice: a view deleted must leave them as they were). */
static void assert_same_views(view_fixture *f, cJSON *(*make)(view_fixture *, size_t),
			      size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char *plain = printed(make(f, k));
		view_prepare(&f->r);
		for (int again = 0; again < 2; again++) {
			char *shared = printed(make(f, k));
			assert_string_equal(shared, plain);
			free(shared);
		}
		view_release(&f->r);
		assert_null(f->r.shared);
		free(plain);
	}
}

static cJSON *base_of(view_fixture *f, size_t k)
{
	static const route_kind kinds[] = {ROUTE_HOME, ROUTE_NETWORK, ROUTE_NOT_FOUND};
	return view_base(&f->r, (route){kinds[k], k == 1 ? "net-1" : NULL, 1});
}

static cJSON *institution_of(view_fixture *f, size_t k)
{
	return view_institution(&f->r, k / 2, k % 2 ? VIEW_FULL : 0);
}

static void base_views_are_the_same_with_shared_parts(void **state)
{
	(void)state;
	view_fixture f;
	fixture_init(&f);
	assert_same_views(&f, base_of, 3);
	fixture_free(&f);
}

/* Known words (postgraduate, research), an unknown one (doctoral), a
 * known country and one the table lacks. */
static void institution_views_are_the_same_with_shared_parts(void **state)
{
	(void)state;
	view_fixture f;
	fixture_init(&f);
	assert_same_views(&f, institution_of, 2 * NINST);
	fixture_free(&f);
}

/* A shared network appears in each view that lists it, with its fields. */
static void shared_networks_keep_their_fields(void **state)
{
	(void)state;
	view_fixture f;
	fixture_init(&f);
	view_prepare(&f.r);
	cJSON *v = view_institution(&f.r, 1, 0);
	const cJSON *nets = cJSON_GetObjectItem(v, "networks");
	assert_int_equal(cJSON_GetArraySize(nets), 2);
	/* display order: net-2 (rank 0) before net-0 (rank 2) */
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(nets, 0), "slug")->valuestring,
			    "net-2");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(nets, 1), "href")->valuestring,
			    "networks/net-0/index.html");
	assert_string_equal(cJSON_GetObjectItem(v, "network_slugs")->valuestring,
			    "net-2 net-0");
	cJSON_Delete(v);
	view_release(&f.r);
	fixture_free(&f);
}

/* A member's networks in display order, each once, those the site lacks
 * left out: from ranks made once per build (each page looked for every
 * network of the site in the member's list, cubic in a record of
 * thousands of networks). */
static void member_networks_are_ranked_once(void **state)
{
	(void)state;
	view_fixture f;
	fixture_init(&f);
	strlist_free(&f.s.inst[0].networks);
	const char *words[] = {"net-0", "nowhere", "net-2", "net-1", "net-0"};
	strlist_pack(&f.s.inst[0].networks, words, 5);
	free(f.r.inst_net_at);
	free(f.r.inst_net_ranks);
	render_rank_memberships(&f.r);
	size_t n;
	const size_t *rank = render_inst_ranks(&f.r, 0, &n);
	assert_int_equal(n, 3);
	assert_int_equal(rank[0], 0); /* net-2 */
	assert_int_equal(rank[1], 1); /* net-1 */
	assert_int_equal(rank[2], 2); /* net-0 */
	rank = render_inst_ranks(&f.r, 1, &n);
	assert_int_equal(n, 2);
	assert_int_equal(rank[0], 0);
	assert_int_equal(rank[1], 2);
	cJSON *v = view_institution(&f.r, 0, 0);
	assert_string_equal(cJSON_GetObjectItem(v, "network_slugs")->valuestring,
			    "net-2 net-1 net-0");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(v, "networks")), 3);
	cJSON_Delete(v);
	buf_t slugs = BUF_INIT;
	buf_puts(&slugs, "x");
	view_network_slugs(&f.r, 1, &slugs);
	assert_string_equal(buf_cstr(&slugs), "x net-2 net-0");
	buf_free(&slugs);
	fixture_free(&f);
}

/* Language names come from the table view_prepare makes of the records'
 * tags, the same as ICU gives them, and a tag no record has (or any tag
 * before view_prepare) is asked of ICU; view_release empties the table. */
static void language_names_are_made_once(void **state)
{
	(void)state;
	view_fixture f;
	fixture_init(&f);
	strlist_of(&f.s.inst[0].languages_of_instruction, "fr", "en");
	strlist_of(&f.s.inst[1].languages_of_instruction, "pt-BR", "fr");
	static const char *const tags[] = {"fr", "en", "pt-BR", "sw", "xx"};
	char *before[5];
	for (size_t k = 0; k < 5; k++)
		before[k] = view_language_name(&f.r, tags[k]);
	view_prepare(&f.r);
	assert_int_equal(f.r.nlang_names, 3);
	for (size_t k = 0; k < 5; k++) {
		char *name = view_language_name(&f.r, tags[k]);
		char *icu = i18n_language_name(f.r.i18n, tags[k]);
		assert_string_equal(name, icu);
		assert_string_equal(name, before[k]);
		free(name);
		free(icu);
		free(before[k]);
	}
	char *pt = view_language_name(&f.r, "pt-BR");
	assert_string_equal(pt, "Portuguese (Brazil)");
	free(pt);
	view_release(&f.r);
	assert_null(f.r.lang_names);
	assert_int_equal(f.r.nlang_names, 0);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base_views_are_the_same_with_shared_parts),
		cmocka_unit_test(institution_views_are_the_same_with_shared_parts),
		cmocka_unit_test(member_networks_are_ranked_once),
		cmocka_unit_test(shared_networks_keep_their_fields),
		cmocka_unit_test(language_names_are_made_once),
	};
	return cmocka_run_group_tests_name("views", tests, NULL, NULL);
}
