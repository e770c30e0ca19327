/* pages.c - what the site is made of: one function per page kind, each
 * building a view and rendering it through the theme. */
#include "render.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../load/names.h"
#include "../util/text_unicode.h"
#include "text.h"

/* ---- derived data, computed once ---------------------------------------- */

/* Lists follow the site language's collation (util/text_unicode.h): sort
 * keys made once, compared as bytes; ties fall back to the code or slug
 * so that the order never depends on qsort. */
typedef struct sort_key {
	char *country;       /* collation key of the country name */
	const char *code;    /* its alpha-2: equal names stay apart */
	char *name;          /* collation key of the institution name */
	size_t index;        /* into s->inst, which is in slug order */
} sort_key;

static int cmp_key(const void *a, const void *b)
{
	const sort_key *x = a, *y = b;
	int c = strcmp(x->country, y->country);
	if (c == 0)
		c = strcmp(x->code, y->code);
	if (c == 0)
		c = strcmp(x->name, y->name);
	if (c == 0)
		c = (x->index > y->index) - (x->index < y->index);
	return c;
}

static sort_key *institution_keys(const render_ctx *r, const text_collator *col)
{
	const site *s = r->s;
	sort_key *keys = xcalloc(s->ninst ? s->ninst : 1, sizeof *keys);
	for (size_t i = 0; i < s->ninst; i++) {
		const country *c = country_by_alpha2(&s->countries, s->inst[i].country);
		keys[i].country = text_sort_key(col, c ? render_country_name(r, c) :
						s->inst[i].country);
		keys[i].code = s->inst[i].country;
		keys[i].name = text_sort_key(col, s->inst[i].name);
		keys[i].index = i;
	}
	qsort(keys, s->ninst, sizeof *keys, cmp_key);
	return keys;
}

static void group_by_country(render_ctx *r, const text_collator *col)
{
	const site *s = r->s;
	sort_key *keys = institution_keys(r, col);
	r->by_country = xcalloc(s->ninst, sizeof *r->by_country);
	r->groups = xcalloc(s->ninst, sizeof *r->groups);
	r->ngroups = 0;
	for (size_t k = 0; k < s->ninst; k++) {
		size_t i = keys[k].index;
		r->by_country[k] = i;
		const country *c = country_by_alpha2(&s->countries, s->inst[i].country);
		country_group *g = r->ngroups ? &r->groups[r->ngroups - 1] : NULL;
		if (!g || g->c != c) {
			g = &r->groups[r->ngroups++];
			g->c = c;
			g->first = k;
			g->count = 0;
		}
		g->count++;
		free(keys[k].country);
		free(keys[k].name);
	}
	free(keys);
}

/* Display order: global networks first, then by name, then slug. */
typedef struct net_key {
	int regional;
	char *name;          /* collation key */
	size_t index;        /* into s->net, which is in slug order */
} net_key;

static int cmp_net_display(const void *a, const void *b)
{
	const net_key *x = a, *y = b;
	if (x->regional != y->regional)
		return x->regional - y->regional;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void order_networks(render_ctx *r, const text_collator *col)
{
	const site *s = r->s;
	net_key *v = xcalloc(s->nnet ? s->nnet : 1, sizeof *v);
	for (size_t n = 0; n < s->nnet; n++) {
		v[n].regional = strcmp(s->net[n].kind, "global") != 0;
		v[n].name = text_sort_key(col, s->net[n].name);
		v[n].index = n;
	}
	qsort(v, s->nnet, sizeof *v, cmp_net_display);
	r->net_order = xcalloc(s->nnet, sizeof *r->net_order);
	r->net_rank = xcalloc(s->nnet, sizeof *r->net_rank);
	for (size_t k = 0; k < s->nnet; k++) {
		size_t n = v[k].index;
		r->net_order[k] = n;
		r->net_rank[n] = (int)k;
		free(v[k].name);
	}
	free(v);
}

/* Counts per network: members and the countries they are in. */
static void count_networks(render_ctx *r)
{
	const site *s = r->s;
	r->net_count = xcalloc(s->nnet, sizeof *r->net_count);
	r->net_countries = xcalloc(s->nnet, sizeof *r->net_countries);
	unsigned char *seen = xcalloc(s->nnet, 1);
	for (size_t g = 0; g < r->ngroups; g++) {
		memset(seen, 0, s->nnet);
		for (size_t k = 0; k < r->groups[g].count; k++) {
			const institution *in = &s->inst[r->by_country[r->groups[g].first + k]];
			for (size_t j = 0; j < in->networks.n; j++) {
				const network *net = site_network(s, in->networks.v[j]);
				if (!net)
					continue;
				size_t n = (size_t)(net - s->net);
				r->net_count[n]++;
				if (!seen[n]++)
					r->net_countries[n]++;
			}
		}
	}
	free(seen);
}

/* The network that styles an institution's marker: its first regional
 * network in display order (regional membership is what the map shows
 * best), else its first network. */
static int marker_network(const render_ctx *r, const institution *in)
{
	int best = -1, best_regional = -1;
	for (size_t j = 0; j < in->networks.n; j++) {
		const network *net = site_network(r->s, in->networks.v[j]);
		if (!net)
			continue;
		int n = (int)(net - r->s->net);
		if (best < 0 || r->net_rank[n] < r->net_rank[best])
			best = n;
		if (strcmp(net->kind, "global") &&
		    (best_regional < 0 || r->net_rank[n] < r->net_rank[best_regional]))
			best_regional = n;
	}
	return best_regional >= 0 ? best_regional : best;
}

const char *const render_levels[RENDER_LEVELS] = {"undergraduate", "postgraduate"};
const char *const render_electives[RENDER_ELECTIVES] = {"clinical", "research",
							 "observership"};

static int has_word(const strlist *l, const char *w)
{
	for (size_t j = 0; j < l->n; j++)
		if (!strcmp(l->v[j], w))
			return 1;
	return 0;
}

int inst_in_network(const institution *in, const char *slug)
{
	return has_word(&in->networks, slug);
}

int inst_offers(const institution *in, const char *type)
{
	return has_word(&in->electives, type);
}

int inst_filter_keeps(inst_filter f, const institution *in)
{
	return !f.keep || f.keep(in, f.arg);
}

/* How many institutions hold each of words[0..n) in their list `field`
 * (an offset into institution), into count[]. */
static void count_words(const render_ctx *r, size_t field,
			const char *const *words, size_t n, size_t *count)
{
	for (size_t w = 0; w < n; w++) {
		count[w] = 0;
		for (size_t i = 0; i < r->s->ninst; i++) {
			const char *in = (const char *)&r->s->inst[i];
			count[w] += has_word((const strlist *)(in + field), words[w]);
		}
	}
}

/* Country names and dates in the language, once: pages only look them up
 * (and the formatters are shared by the threads). */
static void prepare_words(render_ctx *r)
{
	const site *s = r->s;
	const char *lang = i18n_lang(r->i18n);
	r->country_name = xcalloc(s->countries.n ? s->countries.n : 1,
				  sizeof *r->country_name);
	size_t nf = geo_map_count(r->map);
	r->feature_name = xcalloc(nf ? nf : 1, sizeof *r->feature_name);
	for (size_t k = 0; k < s->countries.n; k++) {
		const char *local = country_name_in(lang, s->countries.v[k].alpha2);
		r->country_name[k] = local ? local : s->countries.v[k].name;
		int f = local ? geo_map_find(r->map, s->countries.v[k].alpha3) : -1;
		if (f >= 0)
			r->feature_name[f] = local;
	}
	r->joined_label = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->joined_label);
	for (size_t i = 0; i < s->ninst; i++)
		r->joined_label[i] = i18n_date(r->i18n, s->inst[i].joined);
	/* after the country names, which the search text holds */
	r->search = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->search);
	for (size_t i = 0; i < s->ninst; i++)
		r->search[i] = view_search_text(r, i);
}

int render_prepare(render_ctx *r)
{
	const site *s = r->s;
	prepare_words(r);
	count_words(r, offsetof(institution, exchanges), render_levels,
		    RENDER_LEVELS, r->level_count);
	count_words(r, offsetof(institution, electives), render_electives,
		    RENDER_ELECTIVES, r->elective_count);
	text_collator *col = text_collator_new(s->cfg.language);
	group_by_country(r, col);
	order_networks(r, col);
	text_collator_free(col);
	count_networks(r);
	size_t nf = geo_map_count(r->map);
	r->has_partners = xcalloc(nf ? nf : 1, 1);
	r->inst_feature = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->inst_feature);
	r->inst_marker_net = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->inst_marker_net);
	for (size_t i = 0; i < s->ninst; i++) {
		const country *c = country_by_alpha2(&s->countries, s->inst[i].country);
		int f = c ? geo_map_find(r->map, c->alpha3) : -1;
		r->inst_feature[i] = f;
		if (f >= 0)
			r->has_partners[f] = 1;
		r->inst_marker_net[i] = marker_network(r, &s->inst[i]);
	}
	r->locators = geo_svg_cache_new(r->map);
	return 0;
}

void render_release(render_ctx *r)
{
	for (size_t i = 0; r->joined_label && i < r->s->ninst; i++)
		free(r->joined_label[i]);
	for (size_t i = 0; r->search && i < r->s->ninst; i++)
		free(r->search[i]);
	FREE_ALL(r->joined_label, r->search, r->country_name, r->feature_name,
		 r->by_country, r->groups, r->net_order, r->net_rank,
		 r->net_count, r->net_countries, r->has_partners,
		 r->inst_feature, r->inst_marker_net);
	geo_svg_cache_free(r->locators);
	r->locators = NULL;
}

/* ---- maps ------------------------------------------------------------- */

typedef struct marker_set {
	geo_marker *v;
	size_t n;
	char **owned; /* strings to free: MARKER_STRINGS per marker */
} marker_set;

#define MARKER_STRINGS 4

/* Marker of institution i on a map shown in page `on`, linking to the
 * institution's page. */
static void marker_add(const render_ctx *r, marker_set *m, size_t i,
		       route on)
{
	const institution *in = &r->s->inst[i];
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	geo_marker *g = &m->v[m->n];
	char **own = &m->owned[MARKER_STRINGS * m->n];
	own[0] = route_link(r->s->cfg.base_url, on,
			    (route){ROUTE_INSTITUTION, in->slug});
	cJSON *fill = cJSON_CreateObject();
	cJSON_AddStringToObject(fill, "name", in->name);
	cJSON_AddStringToObject(fill, "city", in->city);
	cJSON_AddStringToObject(fill, "country",
				c ? render_country_name(r, c) : in->country);
	own[1] = i18n_text(r->i18n, "marker_label", fill);
	cJSON_Delete(fill);
	/* The network that styles the marker comes first: the SVG writer names
	 * the marker's class after the first slug. */
	int styled = r->inst_marker_net[i];
	buf_t nets = BUF_INIT;
	if (styled >= 0)
		buf_puts(&nets, r->s->net[styled].slug);
	for (size_t k = 0; k < r->s->nnet; k++) {
		const network *net = &r->s->net[r->net_order[k]];
		if ((int)r->net_order[k] == styled || !inst_in_network(in, net->slug))
			continue;
		if (nets.len)
			buf_putc(&nets, ' ');
		buf_puts(&nets, net->slug);
	}
	own[2] = buf_detach(&nets);
	own[3] = strlist_join(&in->exchanges);
	g->slug = in->slug;
	g->href = own[0];
	g->label = own[1];
	g->networks = own[2];
	g->exchanges = own[3];
	g->colour = styled >= 0 ? r->s->net[styled].colour : NULL; /* the theme's */
	g->shape = styled >= 0 ? r->net_rank[styled] : 0;
	g->at = (geo_lonlat){.lon = in->lon, .lat = in->lat};
	m->n++;
}

static void markers_init(marker_set *m, size_t cap)
{
	m->v = xcalloc(cap ? cap : 1, sizeof *m->v);
	m->owned = xcalloc(MARKER_STRINGS * (cap ? cap : 1), sizeof *m->owned);
	m->n = 0;
}

static void markers_free(marker_set *m)
{
	for (size_t k = 0; k < MARKER_STRINGS * m->n; k++)
		free(m->owned[k]);
	free(m->owned);
	free(m->v);
}

/* A marker per institution, or per member of network `only` (when set,
 * has[f] = 1 for each feature f holding one). */
static void each_marker(const render_ctx *r, marker_set *m, route on,
			const network *only, unsigned char *has)
{
	for (size_t i = 0; i < r->s->ninst; i++) {
		if (only && !inst_in_network(&r->s->inst[i], only->slug))
			continue;
		marker_add(r, m, i, on);
		if (has && r->inst_feature[i] >= 0)
			has[r->inst_feature[i]] = 1;
	}
}

/* The clustered world map's markers (clusters.c): a cluster per crowded
 * cell of a country, an institution alone in its cell as itself. */
static void cluster_markers(const render_ctx *r, marker_set *m, route on)
{
	size_t n;
	map_item *items = render_map_items(r, &n);
	for (size_t k = 0; k < n; k++) {
		if (items[k].count == 1) {
			marker_add(r, m, items[k].inst, on);
			continue;
		}
		render_cluster_marker(r, &items[k], on, &m->v[m->n],
				      &m->owned[MARKER_STRINGS * m->n]);
		m->n++;
	}
	free(items);
}

/* Add a heap string to o and free it. */
static void add_text(cJSON *o, const char *key, char *val)
{
	cJSON_AddStringToObject(o, key, val);
	free(val);
}

/* The world map with every institution, or only the members of one
 * network (its page is the filtered view that works without scripts),
 * shown in page `on` (map.svg links as the home page does). */
static char *world_map(const render_ctx *r, route on, int standalone,
		       const network *only)
{
	size_t nf = geo_map_count(r->map);
	unsigned char *has = only ? xcalloc(nf ? nf : 1, 1) : NULL;
	size_t countries = only ? r->net_countries[only - r->s->net] : r->ngroups;
	marker_set m;
	markers_init(&m, r->s->ninst);
	if (!only && render_clustered(r))
		cluster_markers(r, &m, on);
	else
		each_marker(r, &m, on, only, has);
	cJSON *fill = cJSON_CreateObject();
	const i18n *t = r->i18n;
	add_text(fill, "members", i18n_plural(t, "member_count", (double)m.n, NULL));
	add_text(fill, "institutions", i18n_plural(t, "partner_institution_count",
						   (double)m.n, NULL));
	add_text(fill, "countries", i18n_plural(t, "country_count",
						(double)countries, NULL));
	if (only)
		cJSON_AddStringToObject(fill, "network", only->name);
	char *desc = i18n_text(t, only ? "network_map_description" :
				       "world_map_description", fill);
	cJSON_Delete(fill);
	geo_svg_options o = {
		.title = only ? only->name : r->s->cfg.title, .desc = desc,
		.id_prefix = "", .standalone = standalone, .focus = -1,
		.has_partners = has ? has : r->has_partners,
		.names = r->feature_name,
		/* alone, map.svg brings the theme's map rules; in a page, the
		 * page links them */
		.style = standalone ? r->map_css : NULL,
	};
	buf_t out = BUF_INIT;
	int rc = geo_map_svg(r->map, m.v, m.n, &o, &out);
	free(desc);
	free(has);
	markers_free(&m);
	if (rc < 0) {
		buf_free(&out);
		diag_fatal(r->d, only ? only->path : ROUTE_MAP_SVG, "cannot draw the map");
		return NULL;
	}
	return buf_detach(&out);
}

/* The text alternative of a locator map, saying what it shows: the
 * country framed with its neighbours (or, when the basemap lacks the
 * country, the area around the first institution) and the markers on it.
 * `one` is set on an institution's page, which marks that institution
 * alone; a country page marks all its partners. A fresh string. */
static char *locator_desc(const render_ctx *r, const country *c, int f,
			  const size_t *insts, size_t n, int one)
{
	const institution *first = n ? &r->s->inst[insts[0]] : NULL;
	cJSON *fill = cJSON_CreateObject();
	cJSON_AddStringToObject(fill, "country", c ? render_country_name(r, c) :
				first ? first->country : "");
	if (first) {
		cJSON_AddStringToObject(fill, "city", first->city);
		cJSON_AddStringToObject(fill, "name", first->name);
	}
	char *area = i18n_text(r->i18n, f >= 0 || !first ? "locator_area" :
			       "locator_area_point", fill);
	cJSON_AddStringToObject(fill, "area", area);
	free(area);
	char *desc = first && (one || n == 1) ?
		i18n_text(r->i18n, one ? "locator_marks_one" :
			  "locator_marks_only", fill) :
		i18n_plural(r->i18n, "locator_marks", (double)n, fill);
	cJSON_Delete(fill);
	return desc;
}

/* A locator map framed on one country, marking the institutions given,
 * shown in page `on`; `one` as for locator_desc. */
static char *locator_map(const render_ctx *r, const char *alpha2,
			 const size_t *insts, size_t n, route on,
			 const char *title, int one)
{
	const country *c = country_by_alpha2(&r->s->countries, alpha2);
	int f = c ? geo_map_find(r->map, c->alpha3) : -1;
	marker_set m;
	markers_init(&m, n);
	for (size_t k = 0; k < n; k++)
		marker_add(r, &m, insts[k], on);
	char *desc = locator_desc(r, c, f, insts, n, one);
	geo_svg_options o = {
		.title = title, .desc = desc, .id_prefix = "loc-", .focus = f,
		.use_point = f < 0 && n > 0,
		.focus_lat = n ? r->s->inst[insts[0]].lat : 0,
		.focus_lon = n ? r->s->inst[insts[0]].lon : 0,
		.has_partners = r->has_partners, .names = r->feature_name,
		.cache = r->locators,
	};
	buf_t out = BUF_INIT;
	int rc = geo_map_svg(r->map, m.v, m.n, &o, &out);
	free(desc);
	markers_free(&m);
	if (rc < 0) {
		buf_free(&out);
		diag_fatal(r->d, alpha2, "cannot draw the locator map");
		return NULL;
	}
	return buf_detach(&out);
}

/* ---- pages ------------------------------------------------------------ */

static int write_page(const render_ctx *r, const char *tpl, const char *rel,
		      cJSON *view)
{
	buf_t html = BUF_INIT;
	/* A render stopped at a limit is an error at the template's tag: the
	 * truncated page is never written, so the build stops. */
	/* lists of institutions hold placeholders: each item's view is made
	 * when the render reaches it, and freed after it */
	mst_lazy lazy = {view_make_item, (void *)r};
	mst_limits lim = {.lazy = &lazy};
	int rc = mst_render_limited(r->tpl, tpl, view, &html, &lim, r->d);
	if (rc < 0)
		diag_fatal(r->d, rel, "the theme has no template '%s'", tpl);
	else if (rc > 0)
		rc = -1;
	else
		rc = stage_write(r->st, rel, html.ptr, html.len, r->d);
	buf_free(&html);
	cJSON_Delete(view);
	return rc;
}

/* Page `at` into its file (routes.h: x/y/ is written to x/y/index.html).
 * Takes v, and svg when the page has a map (with_map): a NULL svg there
 * means drawing it failed (already reported), and nothing is written. */
static int write_route_page(const render_ctx *r, const char *tpl, route at,
			    cJSON *v, char *svg, int with_map)
{
	if (with_map && !svg) {
		cJSON_Delete(v);
		return -1;
	}
	/* the map, as large as the page on a large site, is not copied */
	if (svg)
		cJSON_AddItemToObjectCS(v, "map_svg", cJSON_CreateStringReference(svg));
	char *rel = route_file(at);
	int rc = write_page(r, tpl, rel, v);
	free(rel);
	free(svg);
	return rc;
}

static int page_home(const render_ctx *r)
{
	route home = {ROUTE_HOME, NULL};
	cJSON *v = view_base(r, home);
	if (r->s->cfg.intro) {
		buf_t intro = BUF_INIT;
		buf_puts(&intro, "<p>");
		buf_puts_html(&intro, r->s->cfg.intro);
		buf_puts(&intro, "</p>");
		cJSON_AddStringToObject(v, "intro_html", buf_cstr(&intro));
		buf_free(&intro);
	}
	cJSON_AddItemToObject(v, "facets", view_facets(r));
	char *head = export_csv_head_line();
	cJSON_AddStringToObject(v, "csv_head", head);
	free(head);
	cJSON *groups = cJSON_AddArrayToObject(v, "countries");
	int compact = render_clustered(r);
	if (compact)
		cJSON_AddStringToObject(v, "search_index", "countries/" RENDER_SEARCH_JS);
	for (size_t g = 0; g < r->ngroups; g++)
		cJSON_AddItemToArray(groups, compact ?
				     view_country_count(r, &r->groups[g]) :
				     view_country_group(r, &r->groups[g],
							INST_ALL, VIEW_CSV));
	char *svg = world_map(r, home, 0, NULL);
	return write_route_page(r, "home", home, v, svg, 1);
}

/* The files of in's page bundle that its page links, beside the page. */
static int bundle_files(const render_ctx *r, const institution *in)
{
	char *folder = route_file((route){ROUTE_INSTITUTION, in->slug});
	*(strrchr(folder, '/') + 1) = '\0';
	int rc = 0;
	for (size_t k = 0; k < in->nfiles && rc == 0; k++) {
		char *rel = xasprintf("%s%s", folder, in->files[k].name);
		rc = stage_write(r->st, rel, in->files[k].data, in->files[k].size,
				 r->d);
		free(rel);
	}
	free(folder);
	return rc;
}

/* The photo as the page's sharing image (Open Graph og:image): an
 * absolute URL, the page's canonical address followed by the photo's
 * file name, published beside the page. Nothing when the record has no
 * photo. The canonical address is absolute (site.yml's base_url). */
static void add_og_image(cJSON *v, const institution *in)
{
	const cJSON *canon = cJSON_GetObjectItemCaseSensitive(v, "canonical");
	if (!in->photo.file || !cJSON_IsString(canon))
		return;
	char *file = text_file_href(in->photo.file);
	add_owned(v, "og_image", xasprintf("%s%s", canon->valuestring, file + 2));
	free(file);
	add_str(v, "og_image_alt", in->photo.alt);
}

static int page_institution(const render_ctx *r, size_t i)
{
	const institution *in = &r->s->inst[i];
	route at = {ROUTE_INSTITUTION, in->slug};
	if (bundle_files(r, in) < 0)
		return -1;
	cJSON *v = view_base(r, at);
	cJSON_AddItemToObject(v, "institution", view_institution(r, i, VIEW_FULL));
	add_og_image(v, in);
	char *svg = locator_map(r, in->country, &i, 1, at, in->name, 1);
	return write_route_page(r, "institution", at, v, svg, 1);
}

/* The countries with an institution `only` keeps, each with those
 * institutions, as v's "countries". */
static void add_groups(const render_ctx *r, cJSON *v, inst_filter only)
{
	cJSON *groups = cJSON_AddArrayToObject(v, "countries");
	for (size_t g = 0; g < r->ngroups; g++) {
		cJSON *grp = view_country_group(r, &r->groups[g], only, 0);
		if (cJSON_GetArraySize(cJSON_GetObjectItem(grp, "institutions")) > 0)
			cJSON_AddItemToArray(groups, grp);
		else
			cJSON_Delete(grp);
	}
}

static int page_network(const render_ctx *r, size_t n)
{
	const network *net = &r->s->net[n];
	route at = {ROUTE_NETWORK, net->slug};
	cJSON *v = view_base(r, at);
	cJSON_AddItemToObject(v, "network", view_network(r, n));
	add_groups(r, v, (inst_filter){inst_in_network, net->slug});
	char *svg = world_map(r, at, 0, net);
	return write_route_page(r, "network", at, v, svg, 1);
}

static int page_country(const render_ctx *r, const country_group *g)
{
	route at = {ROUTE_COUNTRY, g->c->alpha2};
	cJSON *v = view_base(r, at);
	cJSON *c = view_country_group(r, g, INST_ALL, 0);
	cJSON_AddItemToObject(v, "country", c);
	cJSON_AddItemReferenceToObject(v, "institutions",
				       cJSON_GetObjectItem(c, "institutions"));
	/* The networks its institutions belong to. */
	cJSON *nets = cJSON_AddArrayToObject(v, "country_networks");
	for (size_t k = 0; k < r->s->nnet; k++) {
		const network *net = &r->s->net[r->net_order[k]];
		size_t count = 0;
		for (size_t j = 0; j < g->count; j++)
			count += inst_in_network(&r->s->inst[r->by_country[g->first + j]], net->slug);
		if (!count)
			continue;
		cJSON *o = view_network(r, r->net_order[k]);
		char *here = i18n_number(r->i18n, (double)count);
		cJSON_AddStringToObject(o, "count_here", here);
		free(here);
		cJSON_AddItemToArray(nets, o);
	}
	char *svg = locator_map(r, g->c->alpha2, r->by_country + g->first, g->count,
				at, render_country_name(r, g->c), 0);
	return write_route_page(r, "country", at, v, svg, 1);
}

/* electives/<type>/: the partners offering one type of elective, by
 * country, and the same list as CSV beside it: the home page's filter,
 * built for readers without JavaScript. */
static int page_elective(const render_ctx *r, size_t e)
{
	const char *type = render_electives[e];
	route at = {ROUTE_ELECTIVE, type};
	inst_filter only = {inst_offers, type};
	buf_t csv = BUF_INIT;
	char *path = route_path(at);
	char *rel = xasprintf("%s%s", path, ROUTE_ELECTIVE_CSV);
	export_csv_where(r, only, &csv);
	int rc = stage_write(r->st, rel, csv.ptr, csv.len, r->d);
	buf_free(&csv);
	free(rel);
	free(path);
	if (rc < 0)
		return -1;
	cJSON *v = view_base(r, at);
	cJSON *o = cJSON_AddObjectToObject(v, "elective");
	cJSON_AddStringToObject(o, "slug", type);
	char *label = i18n_text(r->i18n, type, NULL);
	cJSON_AddStringToObject(o, "label", label);
	free(label);
	cJSON_AddNumberToObject(o, "count", (double)r->elective_count[e]);
	cJSON_AddStringToObject(o, "csv_href", ROUTE_ELECTIVE_CSV);
	add_groups(r, v, only);
	return write_route_page(r, "elective", at, v, NULL, 0);
}

static int page_freeform(const render_ctx *r, const page *p)
{
	route at = {ROUTE_PAGE, p->slug};
	cJSON *v = view_base(r, at);
	cJSON *o = cJSON_AddObjectToObject(v, "page");
	cJSON_AddStringToObject(o, "slug", p->slug);
	cJSON_AddStringToObject(o, "title", p->title);
	cJSON_AddStringToObject(o, "body_html", p->body_html);
	return write_route_page(r, "page", at, v, NULL, 0);
}

/* 404.html is served in place of any missing path, so its links cannot be
 * relative: they start from base_url's path (route_root). */
static int page_404(const render_ctx *r)
{
	route at = {ROUTE_NOT_FOUND, NULL};
	return write_route_page(r, "404", at, view_base(r, at), NULL, 0);
}

static int write_buf(const render_ctx *r, const char *rel,
		     int (*fn)(const render_ctx *, buf_t *))
{
	buf_t b = BUF_INIT;
	int rc = fn(r, &b);
	if (rc == 0)
		rc = stage_write(r->st, rel, b.ptr, b.len, r->d);
	else
		diag_fatal(r->d, rel, "cannot write");
	buf_free(&b);
	return rc;
}

/* Institution pages are most of a site; they render on several threads.
 * A page reads the model, the map and the templates, which nothing
 * changes now, and writes its own file: each worker only needs diagnostics
 * of its own, merged afterwards in worker order. */
typedef struct worker {
	render_ctx r;      /* a copy whose d is the worker's own */
	diags_t d;
	size_t first, step;
	int rc;
	pthread_t thread;
} worker;

static void *render_institutions(void *arg)
{
	worker *w = arg;
	for (size_t i = w->first; i < w->r.s->ninst; i += w->step)
		if (page_institution(&w->r, i) < 0) {
			w->rc = -1;
			break;
		}
	return NULL;
}

static int same_diag(const diag_t *a, const diag_t *b)
{
	return a->level == b->level && a->line == b->line && a->col == b->col &&
	       !strcmp(a->msg, b->msg) &&
	       (a->path == b->path || (a->path && b->path && !strcmp(a->path, b->path)));
}

/* Move a worker's diagnostics to d, leaving out an error d already holds
 * word for word: every worker stops at the same template limit, and one
 * message says it. */
static void merge_diags(diags_t *d, diags_t *w)
{
	size_t had = d->n;
	for (size_t i = 0; i < w->n; i++) {
		const diag_t *x = &w->v[i];
		int dup = 0;
		for (size_t k = 0; x->level != DIAG_WARNING && !dup && k < had; k++)
			dup = same_diag(x, &d->v[k]);
		if (!dup)
			diags_add(d, x->level, x->check, x->path, x->line, x->col,
				  "%s", x->msg);
	}
	diags_free(w);
}

static int institution_pages(const render_ctx *r)
{
	size_t jobs = r->jobs > 0 ? (size_t)r->jobs : 1;
	if (jobs > r->s->ninst)
		jobs = r->s->ninst ? r->s->ninst : 1;
	worker *w = xcalloc(jobs, sizeof *w);
	size_t started = 0;
	for (size_t k = 0; k < jobs; k++) {
		w[k].r = *r;
		w[k].r.d = &w[k].d;
		w[k].first = k;
		w[k].step = jobs;
		if (k == 0)
			continue; /* the calling thread does share 0 */
		if (pthread_create(&w[k].thread, NULL, render_institutions, &w[k]) != 0)
			break;
		started = k;
	}
	/* Shares whose thread could not start run here, in turn. */
	for (size_t k = started + 1; k < jobs; k++)
		render_institutions(&w[k]);
	render_institutions(&w[0]);
	for (size_t k = 1; k <= started; k++)
		pthread_join(w[k].thread, NULL);
	int rc = 0;
	for (size_t k = 0; k < jobs; k++) {
		if (w[k].rc < 0)
			rc = -1;
		merge_diags(r->d, &w[k].d);
	}
	free(w);
	return rc;
}

int render_site(render_ctx *r)
{
	if (page_home(r) < 0 || render_lazy_data(r) < 0)
		return -1;
	/* map.svg sits at the top, as the home page does: its links match */
	char *svg = world_map(r, (route){ROUTE_HOME, NULL}, 1, NULL);
	if (!svg || stage_write(r->st, ROUTE_MAP_SVG, svg, strlen(svg), r->d) < 0) {
		free(svg);
		return -1;
	}
	free(svg);
	if (institution_pages(r) < 0)
		return -1;
	for (size_t n = 0; n < r->s->nnet; n++)
		if (page_network(r, n) < 0)
			return -1;
	for (size_t g = 0; g < r->ngroups; g++)
		if (page_country(r, &r->groups[g]) < 0)
			return -1;
	for (size_t e = 0; e < RENDER_ELECTIVES; e++)
		if (page_elective(r, e) < 0)
			return -1;
	for (size_t p = 0; p < r->s->npages; p++)
		if (page_freeform(r, &r->s->pages[p]) < 0)
			return -1;
	if (page_404(r) < 0)
		return -1;
	if (write_buf(r, ROUTE_GEOJSON, export_geojson) < 0 ||
	    write_buf(r, ROUTE_CSV, export_csv) < 0 ||
	    write_buf(r, ROUTE_SITEMAP, export_sitemap) < 0 ||
	    write_buf(r, ROUTE_FEED, export_feed) < 0)
		return -1;
	return 0;
}
