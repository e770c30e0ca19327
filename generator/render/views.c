/* views.c - the cJSON views templates see. One function per thing shown;
 * the key names are the theme contract in themes/README.md. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "../geo/shapes.h"
#include "../util/text_unicode.h"
#include "text.h"

/* A string that outlives the view (the model's, or made once by
 * view_prepare), added without a copy: most of a view's strings. */
static void add_ref(cJSON *o, const char *key, const char *val)
{
	if (val)
		add_item(o, key, cJSON_CreateStringReference(val));
}

static cJSON *add_object(cJSON *o, const char *key)
{
	cJSON *a = cJSON_CreateObject();
	add_item(o, key, a);
	return a;
}

/* A page's file relative to the root: what templates write after {{root}}. */
static char *href(route_kind kind, const char *key)
{
	return route_file((route){kind, key, 0});
}

/* A count in the language's digits (i18n_number). */
static void add_number(const render_ctx *r, cJSON *o, const char *key, size_t n)
{
	add_owned(o, key, i18n_number(r->i18n, (double)n));
}

/* The word that goes with n ("institution", "institutions"): the plural
 * form of the text `key` that n takes in the language. */
static void add_word(const render_ctx *r, cJSON *o, const char *field,
		     const char *key, size_t n)
{
	add_owned(o, field, i18n_plural(r->i18n, key, (double)n, NULL));
}

const char *render_up(const render_ctx *r)
{
	return r->lang ? "../" : "";
}

void view_fallback(const render_ctx *r, cJSON *o, unsigned fallback,
		   const char *body, const char *key)
{
	if (fallback && body && *body && r->nlangs > 1) {
		add_str(o, key, r->langs[0].tag);
		if (!cJSON_HasObjectItem(o, "fallback_lang"))
			add_str(o, "fallback_lang", r->langs[0].tag);
	}
}

const char *render_country_name(const render_ctx *r, const country *c)
{
	/* before render_prepare, the English name */
	return r->country_name ? r->country_name[c - r->s->countries.v] : c->name;
}

/* A reference to item (cJSON's own form: a node of its own whose string
 * and children are item's), so deleting it leaves item whole. */
static cJSON *view_ref(const cJSON *item)
{
	cJSON *ref = cJSON_CreateNull();
	*ref = *item;
	ref->next = ref->prev = NULL;
	ref->string = NULL;
	ref->type |= cJSON_IsReference;
	return ref;
}

static cJSON *view_country_ref(const render_ctx *r, const country *c)
{
	cJSON *o = cJSON_CreateObject();
	char lower[3];
	route_country_code(lower, c->alpha2);
	add_str(o, "code", lower);
	add_str(o, "code_upper", c->alpha2);
	add_str(o, "name", render_country_name(r, c));
	add_owned(o, "href", href(ROUTE_COUNTRY, c->alpha2));
	return o;
}

cJSON *view_network(const render_ctx *r, size_t n)
{
	const network *net = &r->s->net[n];
	int rank = r->net_rank[n];
	cJSON *o = cJSON_CreateObject();
	add_str(o, "slug", net->slug);
	add_str(o, "name", net->name);
	add_str(o, "kind", net->kind);
	char *kind_key = xasprintf("%s_network", net->kind);
	add_owned(o, "kind_label", i18n_text(r->i18n, kind_key, NULL));
	free(kind_key);
	add_bool(o, "is_global", !strcmp(net->kind, "global"));
	add_str(o, "colour", net->colour);
	const geo_shape *shape = geo_shape_pick(rank);
	add_str(o, "shape", shape->name);
	add_str(o, "shape_label", shape->label);
	add_str(o, "description", net->description);
	add_str(o, "body_html", net->body_html);
	view_fallback(r, o, net->fallback & PM_FALLBACK_BODY, net->body_html,
		      "body_lang");
	view_fallback(r, o, net->fallback & PM_FALLBACK_DESCRIPTION,
		      net->description, "description_lang");
	add_number(r, o, "count", r->net_count[n]);
	add_word(r, o, "count_label", "institution_word", r->net_count[n]);
	add_number(r, o, "countries_count", r->net_countries[n]);
	add_owned(o, "href", href(ROUTE_NETWORK, net->slug));
	return o;
}

/* Exchange levels and electives: the slug is the key of its label. */
static cJSON *label_item(const render_ctx *r, const char *slug)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "slug", slug);
	add_owned(o, "label", i18n_text(r->i18n, slug, NULL));
	return o;
}

/* The words of render_levels, then render_electives. */
static const char *label_word(size_t k)
{
	return k < RENDER_LEVELS ? render_levels[k]
				 : render_electives[k - RENDER_LEVELS];
}

static cJSON *label_list(const render_ctx *r, const strlist *l, buf_t *slugs)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->n; i++) {
		size_t k = 0;
		while (k < RENDER_WORDS && (!r->word_item ||
					    strcmp(label_word(k), l->v[i])))
			k++;
		cJSON_AddItemToArray(a, k < RENDER_WORDS ?
				     view_ref(r->word_item[k]) :
				     label_item(r, l->v[i]));
		if (slugs) {
			if (i)
				buf_putc(slugs, ' ');
			buf_puts(slugs, l->v[i]);
		}
	}
	return a;
}

/* The network of display rank k as an institution's view lists it. */
static cJSON *net_item(const render_ctx *r, size_t k)
{
	const network *net = &r->s->net[r->net_order[k]];
	cJSON *o = cJSON_CreateObject();
	add_ref(o, "slug", net->slug);
	add_ref(o, "name", net->name);
	add_ref(o, "kind", net->kind);
	add_ref(o, "colour", net->colour);
	add_ref(o, "shape", geo_shape_pick((int)k)->name);
	add_owned(o, "href", href(ROUTE_NETWORK, net->slug));
	return o;
}

void view_network_slugs(const render_ctx *r, size_t i, buf_t *slugs)
{
	size_t n;
	const size_t *rank = render_inst_ranks(r, i, &n);
	for (size_t k = 0; k < n; k++) {
		if (slugs->len)
			buf_putc(slugs, ' ');
		buf_puts(slugs, r->s->net[r->net_order[rank[k]]].slug);
	}
}

/* Institution i's networks in display order; their slugs, as
 * view_network_slugs gives them, into slugs. */
static cJSON *inst_networks(const render_ctx *r, size_t i, buf_t *slugs)
{
	cJSON *a = cJSON_CreateArray();
	size_t n;
	const size_t *rank = render_inst_ranks(r, i, &n);
	for (size_t k = 0; k < n; k++)
		cJSON_AddItemToArray(a, r->net_item ? view_ref(r->net_item[rank[k]]) :
					net_item(r, rank[k]));
	view_network_slugs(r, i, slugs);
	return a;
}

/* The schema.org type of an institution. The model has no kind of
 * institution yet; once records say one, a hospital maps to "Hospital"
 * here. */
static const char *schema_type(const institution *in)
{
	(void)in;
	return "CollegeOrUniversity";
}

static cJSON *typed(cJSON *parent, const char *key, const char *type)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key);
	add_str(o, "@type", type);
	return o;
}

/* The institution as schema.org JSON-LD (https://schema.org/
 * CollegeOrUniversity), escaped to stand in a <script> element
 * (text_json_for_script). alternateName and sameAs are added once the
 * model holds other names or identities (Wikidata, ROR); today it has
 * neither. A fresh string. */
static char *inst_json_ld(const render_ctx *r, const institution *in,
			  const country *c)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "@context", "https://schema.org");
	add_str(o, "@type", schema_type(in));
	add_owned(o, "@id", route_url(r->s->cfg.base_url,
				      (route){ROUTE_INSTITUTION, in->slug, 0}));
	add_str(o, "name", in->name);
	cJSON *addr = typed(o, "address", "PostalAddress");
	add_str(addr, "addressLocality", in->city);
	add_str(addr, "addressCountry", c ? c->alpha2 : in->country);
	cJSON *geo = typed(o, "geo", "GeoCoordinates");
	cJSON_AddNumberToObject(geo, "latitude", in->lat);
	cJSON_AddNumberToObject(geo, "longitude", in->lon);
	add_str(o, "url", in->website);
	add_str(o, "email", in->email);
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	buf_t out = BUF_INIT;
	text_json_for_script(&out, json ? json : "{}");
	cJSON_free(json);
	return buf_detach(&out);
}

cJSON *view_institution(const render_ctx *r, size_t i, int flags)
{
	const institution *in = &r->s->inst[i];
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	cJSON *o = cJSON_CreateObject();
	add_ref(o, "slug", in->slug);
	add_ref(o, "name", in->name);
	add_ref(o, "local_name", in->local_name);
	add_ref(o, "city", in->city);
	add_owned(o, "href", href(ROUTE_INSTITUTION, in->slug));
	if (c)
		add_item(o, "country", r->country_item ?
			 view_ref(r->country_item[c - r->s->countries.v]) :
			 view_country_ref(r, c));

	buf_t slugs = BUF_INIT;
	add_item(o, "networks", inst_networks(r, i, &slugs));
	add_str(o, "network_slugs", buf_cstr(&slugs));
	buf_reset(&slugs);
	add_item(o, "exchanges", label_list(r, &in->exchanges, &slugs));
	add_str(o, "exchange_slugs", buf_cstr(&slugs));
	buf_reset(&slugs);
	add_item(o, "electives", label_list(r, &in->electives, &slugs));
	add_str(o, "elective_slugs", buf_cstr(&slugs));
	buf_free(&slugs);
	add_item(o, "facet_attrs", view_facet_attrs(in));

	if (in->website) {
		add_ref(o, "website", in->website);
		add_owned(o, "website_label", text_url_label(in->website));
	}
	if (in->email) {
		add_ref(o, "email", in->email);
		add_owned(o, "mailto", text_mailto(in->email));
	}
	if (in->joined) {
		add_ref(o, "joined", in->joined);
		add_ref(o, "joined_label", r->joined_label[i]);
	}
	add_num(o, "lat", in->lat);
	add_num(o, "lon", in->lon);
	add_owned(o, "coordinates_label", text_coordinates(in->lat, in->lon));

	if (r->search) /* made once */
		add_ref(o, "search", render_search(r, i));
	else
		add_owned(o, "search", view_search_text(r, i));
	if (flags & VIEW_CSV)
		add_owned(o, "csv_row", export_csv_row_line(r, i));
	if (flags & VIEW_FULL) {
		add_ref(o, "body_html", in->body_html);
		view_fallback(r, o, in->fallback & PM_FALLBACK_BODY, in->body_html,
			      "body_lang");
		view_institution_details(r, in, o);
		add_owned(o, "json_ld", inst_json_ld(r, in, c));
		add_owned(o, "osm_url", text_osm_url(in->lat, in->lon));
	}
	return o;
}

/* A placeholder for institution i in a list (mustache.h, MST_LAZY): the
 * render makes its view, with view_institution's flags, when it reaches
 * it (view_make_item). The key holds both: i * 4 + flags. */
static cJSON *view_lazy_institution(size_t i, int flags)
{
	cJSON *item = cJSON_CreateNumber((double)i * 4 + flags);
	item->type |= MST_LAZY;
	return item;
}

char *view_search_words(const render_ctx *r, size_t i)
{
	const institution *in = &r->s->inst[i];
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	return xasprintf("%s %s %s %s", in->name,
			 in->local_name ? in->local_name : "", in->city,
			 c ? render_country_name(r, c) : "");
}

char *view_search_text(const render_ctx *r, size_t i)
{
	char *words = view_search_words(r, i);
	buf_t search = BUF_INIT;
	text_fold(&search, words);
	free(words);
	buf_cstr(&search);
	return buf_detach(&search);
}

cJSON *view_make_item(void *render, double key)
{
	size_t k = (size_t)key;
	return view_institution(render, k / 4, (int)(k % 4));
}

cJSON *view_country_group(const render_ctx *r, const country_group *g,
			  inst_filter only, int flags)
{
	cJSON *o = view_country_ref(r, g->c);
	cJSON *list = cJSON_CreateArray();
	size_t count = 0;
	for (size_t k = 0; k < g->count; k++) {
		size_t i = r->by_country[g->first + k];
		if (!inst_filter_keeps(only, &r->s->inst[i]))
			continue;
		cJSON_AddItemToArray(list, view_lazy_institution(i, flags));
		count++;
	}
	add_number(r, o, "count", count);
	cJSON_AddItemToObject(o, "institutions", list);
	return o;
}

cJSON *view_country_count(const render_ctx *r, const country_group *g)
{
	cJSON *o = view_country_ref(r, g->c);
	add_number(r, o, "count", g->count);
	add_word(r, o, "count_text", "partner_institution_count", g->count);
	return o;
}

static cJSON *view_menu(const render_ctx *r, route here)
{
	cJSON *a = cJSON_CreateArray();
	cJSON *home = cJSON_CreateObject();
	add_owned(home, "title", i18n_text(r->i18n, "menu_map", NULL));
	add_owned(home, "href", href(ROUTE_HOME, NULL));
	add_bool(home, "current", here.kind == ROUTE_HOME);
	cJSON_AddItemToArray(a, home);
	for (size_t i = 0; i < r->s->npages; i++) {
		const page *p = &r->s->pages[i];
		if (!p->has_menu)
			continue;
		cJSON *o = cJSON_CreateObject();
		add_str(o, "title", p->title);
		add_owned(o, "href", href(ROUTE_PAGE, p->slug));
		add_bool(o, "current", here.kind == ROUTE_PAGE &&
				      !strcmp(here.key, p->slug));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *view_exchanges(const render_ctx *r)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t l = 0; l < RENDER_LEVELS; l++) {
		cJSON *o = cJSON_CreateObject();
		add_str(o, "slug", render_levels[l]);
		add_owned(o, "label", i18n_text(r->i18n, render_levels[l], NULL));
		add_number(r, o, "count", r->level_count[l]);
		add_word(r, o, "count_label", "institution_word", r->level_count[l]);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* A count and the word that goes with it: "1 country", "62 countries",
 * under key and label_key (string literals, as every key). */
static void add_count(const render_ctx *r, cJSON *o, const char *key,
		      const char *label_key, size_t n, const char *word)
{
	add_number(r, o, key, n);
	add_word(r, o, label_key, word, n);
}

/* Page `here` in every language of the site (nlangs > 1): [{tag, name,
 * dir (rtl or ltr), url (absolute, for hreflang), href (from the root of
 * this page's language, for the switcher), current}], then
 * x_default's url. Every language has every page, so each link lands on
 * the same page. */
static cJSON *view_languages(const render_ctx *r, route here)
{
	cJSON *a = cJSON_CreateArray();
	char *file = route_file(here);
	for (size_t k = 0; k < r->nlangs; k++) {
		const render_lang *l = &r->langs[k];
		cJSON *o = cJSON_CreateObject();
		add_str(o, "tag", l->tag);
		add_str(o, "name", l->name);
		add_str(o, "dir", l->rtl ? "rtl" : "ltr");
		add_owned(o, "url", route_url(l->base_url, here));
		add_owned(o, "href", xasprintf("%s%s%s", render_up(r), l->dir,
					       file));
		add_bool(o, "current", k == r->lang);
		cJSON_AddItemToArray(a, o);
	}
	free(file);
	return a;
}

/* The texts the home page's script writes, as JSON for an attribute of
 * the status line (no inline script: pages keep a strict policy): "status"
 * with {shown} left for the script (its plural form follows the total,
 * which is known now), "place" ({city}, {country}), "details_of" ({name})
 * and "map_keys" ("show_more", "count_matches" and "cluster_matches",
 * with {shown}, {count} and {country} left, too on a clustered site); the language
 * and its digits ("lang", "digits": a CLDR numbering system) for numbers
 * written as the pages write them. */
/* {"a": "{a}", ...} for the n names: slots a text leaves for the script. */
static cJSON *script_slots(const char *const *names, size_t n)
{
	cJSON *fill = cJSON_CreateObject();
	for (size_t k = 0; k < n; k++)
		add_owned(fill, names[k], xasprintf("{%s}", names[k]));
	return fill;
}

static char *script_texts(const render_ctx *r)
{
	static const char *const slots[] = {"shown", "city", "country", "name"};
	cJSON *fill = script_slots(slots, sizeof slots / sizeof slots[0]);
	cJSON *js = cJSON_CreateObject();
	add_str(js, "lang", i18n_lang(r->i18n));
	add_str(js, "digits", i18n_digits(r->i18n));
	add_owned(js, "status", i18n_plural(r->i18n, "status",
					    (double)r->s->ninst, fill));
	static const char *const texts[] = {"place", "details_of", "map_keys"};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		add_owned(js, texts[k], i18n_text(r->i18n, texts[k], fill));
	if (render_clustered(r)) {
		add_owned(js, "show_more", i18n_text(r->i18n, "show_more", NULL));
		/* a count that follows the filters: {shown} of {count} */
		static const char *const counts[] = {"shown", "count", "country"};
		cJSON *of = script_slots(counts, sizeof counts / sizeof counts[0]);
		add_owned(js, "count_matches", i18n_text(r->i18n, "count_matches", of));
		add_owned(js, "cluster_matches", i18n_text(r->i18n, "cluster_matches", of));
		cJSON_Delete(of);
	}
	char *json = cJSON_PrintUnformatted(js);
	cJSON_Delete(js);
	cJSON_Delete(fill);
	return json;
}

/* For each of site.yml's texts a language view shows in the default
 * language, "<text>_lang": that language's tag, for the pages' lang
 * attribute (title_lang, description_lang, intro_lang, sample_note_lang). */
static void site_text_langs(cJSON *s, const site_config *cfg)
{
	static const char *const keys[] = {
		"title_lang", "description_lang", "intro_lang",
		"sample_note_lang"};
	for (unsigned k = 0; k < 4; k++)
		if (cfg->fallback & 1u << k)
			add_str(s, keys[k], cfg->languages.v[0]);
}

cJSON *view_shared(const render_ctx *r)
{
	const site_config *cfg = &r->s->cfg;
	cJSON *v = cJSON_CreateObject();
	cJSON *s = add_object(v, "site");
	add_str(s, "title", cfg->title);
	add_str(s, "description", cfg->description);
	add_str(s, "language", i18n_lang(r->i18n));
	add_str(s, "dir", i18n_rtl(r->i18n) ? "rtl" : "ltr");
	add_str(s, "fold_pairs", text_fold_pairs());
	add_str(s, "base_url", cfg->base_url);
	add_str(s, "sample_note", cfg->sample_note);
	site_text_langs(s, cfg);
	/* assets and the site-wide files are published once, at the top */
	const char *up = render_up(r);
	cJSON *assets = add_object(v, "assets");
	for (size_t i = 0; i < r->assets->n; i++)
		/* an asset's name, the one key not a literal, is copied */
		cJSON_AddItemToObject(assets, r->assets->v[i].key,
				      owned_item(xconcat(up, r->assets->v[i].href)));
	add_owned(v, "csv_href", xconcat(up, ROUTE_CSV));
	add_str(v, "up", up);
	const asset *css = assets_find(r->assets, "style.css");
	const asset *js = assets_find(r->assets, "app.js");
	if (css)
		add_owned(assets, "css", xconcat(up, css->href));
	if (js)
		add_owned(assets, "js", xconcat(up, js->href));
	/* Links name the file so the site also works opened from disk. */
	add_owned(v, "home_href", href(ROUTE_HOME, NULL));
	add_owned(v, "generator", xasprintf("partnermap %s", r->version));
	cJSON *counts = add_object(v, "counts");
	add_count(r, counts, "institutions", "institutions_label", r->s->ninst,
		  "institution_word");
	add_count(r, counts, "countries", "countries_label", r->ngroups,
		  "country_word");
	add_count(r, counts, "networks", "networks_label", r->s->nnet,
		  "network_word");
	cJSON *nets = cJSON_CreateArray();
	add_item(v, "networks", nets);
	for (size_t k = 0; k < r->s->nnet; k++)
		cJSON_AddItemToArray(nets, view_network(r, r->net_order[k]));
	add_item(v, "exchanges", view_exchanges(r));
	return v;
}

/* A language tag of the records and its name (view_language_name). */
typedef struct lang_name {
	const char *tag; /* the model's */
	char *name;
} lang_name;

static int by_tag(const void *a, const void *b)
{
	return strcmp(((const lang_name *)a)->tag, ((const lang_name *)b)->tag);
}

/* The tags of l into v, kept sorted and each once: a site's records
 * name a few languages many thousand times. */
static void push_tags(lang_name **v, size_t *n, size_t *cap, const strlist *l)
{
	for (size_t k = 0; k < l->n; k++) {
		size_t lo = 0, hi = *n;
		int there = 0;
		while (lo < hi && !there) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp((*v)[mid].tag, l->v[k]);
			there = c == 0;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (there)
			continue;
		*v = xgrow(*v, cap, *n + 1, sizeof **v, 64);
		memmove(*v + lo + 1, *v + lo, (*n - lo) * sizeof **v);
		(*v)[lo] = (lang_name){l->v[k], NULL};
		(*n)++;
	}
}

/* Every tag of the records' languages of instruction and offers, once
 * each, sorted, with its name. */
static void prepare_language_names(render_ctx *r)
{
	lang_name *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < r->s->ninst; i++) {
		const institution *in = &r->s->inst[i];
		push_tags(&v, &n, &cap, &in->languages_of_instruction);
		for (size_t k = 0; k < in->noffers; k++)
			push_tags(&v, &n, &cap, &in->offers[k].languages);
	}
	for (size_t k = 0; k < n; k++)
		v[k].name = i18n_language_name(r->i18n, v[k].tag);
	r->lang_names = v;
	r->nlang_names = n;
}

char *view_language_name(const render_ctx *r, const char *tag)
{
	lang_name key = {tag, NULL};
	const lang_name *found = r->nlang_names ?
		bsearch(&key, r->lang_names, r->nlang_names, sizeof key, by_tag)
		: NULL;
	return found ? xstrdup(found->name) : i18n_language_name(r->i18n, tag);
}

void view_prepare(render_ctx *r)
{
	prepare_language_names(r);
	r->shared = view_shared(r);
	r->word_item = xcalloc(RENDER_WORDS, sizeof *r->word_item);
	for (size_t k = 0; k < RENDER_WORDS; k++)
		r->word_item[k] = label_item(r, label_word(k));
	size_t nnet = r->s->nnet, nc = r->s->countries.n;
	r->net_item = xcalloc(nnet ? nnet : 1, sizeof *r->net_item);
	for (size_t k = 0; k < nnet; k++)
		r->net_item[k] = net_item(r, k);
	r->country_item = xcalloc(nc ? nc : 1, sizeof *r->country_item);
	for (size_t k = 0; k < nc; k++)
		r->country_item[k] = view_country_ref(r, &r->s->countries.v[k]);
}

static void delete_all(cJSON **v, size_t n)
{
	for (size_t k = 0; v && k < n; k++)
		cJSON_Delete(v[k]);
	free(v);
}

void view_release(render_ctx *r)
{
	cJSON_Delete(r->shared);
	delete_all(r->word_item, RENDER_WORDS);
	delete_all(r->net_item, r->s->nnet);
	delete_all(r->country_item, r->s->countries.n);
	r->shared = NULL;
	r->word_item = r->net_item = r->country_item = NULL;
	for (size_t k = 0; k < r->nlang_names; k++)
		free(r->lang_names[k].name);
	free(r->lang_names);
	r->lang_names = NULL;
	r->nlang_names = 0;
}

/* view_shared's keys into v, an empty object: references to r->shared's,
 * or (before render_prepare made it) a fresh copy of their own. */
static void add_shared(const render_ctx *r, cJSON *v)
{
	if (!r->shared) {
		cJSON *own = view_shared(r);
		v->child = own->child;
		own->child = NULL;
		cJSON_Delete(own);
		return;
	}
	for (const cJSON *k = r->shared->child; k; k = k->next)
		add_item(v, k->string, view_ref(k));
}

cJSON *view_base(const render_ctx *r, route here)
{
	const site_config *cfg = &r->s->cfg;
	cJSON *v = cJSON_CreateObject();
	add_shared(r, v);
	add_owned(v, "root", route_root(cfg->base_url, here));
	add_owned(v, "path", route_path(here));
	add_owned(v, "canonical", route_url(cfg->base_url, here));
	if (r->nlangs > 1)
		add_owned(v, "x_default", route_url(r->langs[0].base_url, here));
	if (r->nlangs > 1) {
		add_item(v, "languages", view_languages(r, here));
		add_bool(v, "several_languages", 1);
	}
	add_item(v, "menu", view_menu(r, here));
	add_bool(v, "is_home", here.kind == ROUTE_HOME);
	if (here.kind == ROUTE_HOME) {
		cJSON *shown = cJSON_CreateObject();
		add_number(r, shown, "shown", r->s->ninst);
		add_owned(v, "status", i18n_plural(r->i18n, "status",
						   (double)r->s->ninst, shown));
		cJSON_Delete(shown);
		add_owned(v, "script_texts", script_texts(r));
	}
	return v;
}
