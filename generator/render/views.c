/* views.c - the cJSON views templates see. One function per thing shown;
 * the key names are the theme contract in themes/README.md. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "../geo/shapes.h"
#include "text.h"

/* A view is built for every page, 100,000 times on a large site, and most
 * of it is names and strings the model holds anyway: its keys are string
 * literals and its values point at strings that outlive it (the model,
 * the render context, static tables), none of them copied. */
static void add_item(cJSON *o, const char *key, cJSON *item)
{
	cJSON_AddItemToObjectCS(o, key, item);
}

/* val (or nothing when NULL) must outlive the view. */
static void add_str(cJSON *o, const char *key, const char *val)
{
	if (val)
		add_item(o, key, cJSON_CreateStringReference(val));
}

/* A string the view takes over: a heap string (malloc, as cJSON frees). */
static void add_owned(cJSON *o, const char *key, char *val)
{
	if (!val)
		return;
	cJSON *item = cJSON_CreateStringReference(val);
	item->type &= ~cJSON_IsReference;
	add_item(o, key, item);
}

static void add_copy(cJSON *o, const char *key, const char *val)
{
	add_owned(o, key, xstrdup(val));
}

static void add_num(cJSON *o, const char *key, double val)
{
	add_item(o, key, cJSON_CreateNumber(val));
}

static void add_bool(cJSON *o, const char *key, int val)
{
	add_item(o, key, cJSON_CreateBool(val));
}

static cJSON *add_array(cJSON *o, const char *key)
{
	cJSON *a = cJSON_CreateArray();
	add_item(o, key, a);
	return a;
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
	return route_file((route){kind, key});
}

static cJSON *view_country_ref(const country *c)
{
	cJSON *o = cJSON_CreateObject();
	char lower[3];
	route_country_code(lower, c->alpha2);
	add_copy(o, "code", lower);
	add_str(o, "code_upper", c->alpha2);
	add_str(o, "name", c->name);
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
	add_bool(o, "is_global", !strcmp(net->kind, "global"));
	add_str(o, "colour", net->colour);
	const geo_shape *shape = geo_shape_pick(rank);
	add_str(o, "shape", shape->name);
	add_str(o, "shape_label", shape->label);
	add_str(o, "description", net->description);
	add_str(o, "body_html", net->body_html);
	add_num(o, "count", (double)r->net_count[n]);
	add_num(o, "countries_count", (double)r->net_countries[n]);
	add_owned(o, "href", href(ROUTE_NETWORK, net->slug));
	return o;
}

static cJSON *label_list(const strlist *l, buf_t *slugs)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->n; i++) {
		cJSON *o = cJSON_CreateObject();
		add_str(o, "slug", l->v[i]);
		add_owned(o, "label", text_capitalise(l->v[i]));
		cJSON_AddItemToArray(a, o);
		if (slugs) {
			if (i)
				buf_putc(slugs, ' ');
			buf_puts(slugs, l->v[i]);
		}
	}
	return a;
}

/* The institution's networks in display order. */
static cJSON *inst_networks(const render_ctx *r, const institution *in,
			    buf_t *slugs)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t k = 0; k < r->s->nnet; k++) {
		const network *net = &r->s->net[r->net_order[k]];
		int member = 0;
		for (size_t j = 0; j < in->networks.n && !member; j++)
			member = !strcmp(in->networks.v[j], net->slug);
		if (!member)
			continue;
		cJSON *o = cJSON_CreateObject();
		add_str(o, "slug", net->slug);
		add_str(o, "name", net->name);
		add_str(o, "kind", net->kind);
		add_str(o, "colour", net->colour);
		add_str(o, "shape", geo_shape_pick((int)k)->name);
		add_owned(o, "href", href(ROUTE_NETWORK, net->slug));
		cJSON_AddItemToArray(a, o);
		if (slugs->len)
			buf_putc(slugs, ' ');
		buf_puts(slugs, net->slug);
	}
	return a;
}

cJSON *view_institution(const render_ctx *r, size_t i, int full)
{
	const institution *in = &r->s->inst[i];
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	cJSON *o = cJSON_CreateObject();
	add_str(o, "slug", in->slug);
	add_str(o, "name", in->name);
	add_str(o, "city", in->city);
	add_owned(o, "href", href(ROUTE_INSTITUTION, in->slug));
	if (c)
		add_item(o, "country", view_country_ref(c));

	buf_t slugs = BUF_INIT;
	add_item(o, "networks", inst_networks(r, in, &slugs));
	add_copy(o, "network_slugs", buf_cstr(&slugs));
	buf_reset(&slugs);
	add_item(o, "exchanges", label_list(&in->exchanges, &slugs));
	add_copy(o, "exchange_slugs", buf_cstr(&slugs));
	add_item(o, "electives", label_list(&in->electives, NULL));
	buf_free(&slugs);

	if (in->website) {
		add_str(o, "website", in->website);
		add_owned(o, "website_label", text_url_label(in->website));
	}
	if (in->email) {
		add_str(o, "email", in->email);
		add_owned(o, "mailto", text_mailto(in->email));
	}
	if (in->joined) {
		add_str(o, "joined", in->joined);
		add_owned(o, "joined_label", text_date_label(in->joined));
	}
	add_num(o, "lat", in->lat);
	add_num(o, "lon", in->lon);
	add_owned(o, "coordinates_label", text_coordinates(in->lat, in->lon));

	buf_t search = BUF_INIT;
	text_fold(&search, in->name);
	buf_putc(&search, ' ');
	text_fold(&search, in->city);
	if (c) {
		buf_putc(&search, ' ');
		text_fold(&search, c->name);
	}
	add_owned(o, "search", buf_detach(&search));
	if (full)
		add_str(o, "body_html", in->body_html);
	return o;
}

static int in_network(const institution *in, const network *n)
{
	for (size_t j = 0; j < in->networks.n; j++)
		if (!strcmp(in->networks.v[j], n->slug))
			return 1;
	return 0;
}

/* A placeholder for institution i in a list (mustache.h, MST_LAZY): the
 * render makes its view when it reaches it (view_make_item). */
static cJSON *view_lazy_institution(size_t i)
{
	cJSON *item = cJSON_CreateNumber((double)i);
	item->type |= MST_LAZY;
	return item;
}

cJSON *view_make_item(void *render, double key)
{
	return view_institution(render, (size_t)key, 0);
}

cJSON *view_country_group(const render_ctx *r, const country_group *g,
			  const network *only)
{
	cJSON *o = view_country_ref(g->c);
	cJSON *list = cJSON_CreateArray();
	size_t count = 0;
	for (size_t k = 0; k < g->count; k++) {
		size_t i = r->by_country[g->first + k];
		if (only && !in_network(&r->s->inst[i], only))
			continue;
		cJSON_AddItemToArray(list, view_lazy_institution(i));
		count++;
	}
	add_num(o, "count", (double)count);
	add_item(o, "institutions", list);
	return o;
}

static cJSON *view_menu(const render_ctx *r, route here)
{
	cJSON *a = cJSON_CreateArray();
	cJSON *home = cJSON_CreateObject();
	add_str(home, "title", "Map");
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
		add_owned(o, "label", text_capitalise(render_levels[l]));
		add_num(o, "count", (double)r->level_count[l]);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* A count and the word that goes with it: "1 country", "62 countries". */
static void add_count(cJSON *o, const char *key, size_t n, const char *one)
{
	add_num(o, key, (double)n);
	char *label_key = xasprintf("%s_label", key);
	/* the one key that is not a literal: the object copies it */
	cJSON_AddItemToObject(o, label_key,
			      cJSON_CreateStringReference(n == 1 ? one : key));
	free(label_key);
}

cJSON *view_base(const render_ctx *r, route here)
{
	const site_config *cfg = &r->s->cfg;
	cJSON *v = cJSON_CreateObject();
	cJSON *s = add_object(v, "site");
	add_str(s, "title", cfg->title);
	add_str(s, "description", cfg->description);
	add_str(s, "language", cfg->language);
	add_str(s, "base_url", cfg->base_url);
	add_str(s, "sample_note", cfg->sample_note);
	add_owned(v, "root", route_root(cfg->base_url, here));
	add_owned(v, "path", route_path(here));
	add_owned(v, "canonical", route_url(cfg->base_url, here));
	cJSON *assets = add_object(v, "assets");
	for (size_t i = 0; i < r->assets->n; i++)
		add_str(assets, r->assets->v[i].key, r->assets->v[i].href);
	const asset *css = assets_find(r->assets, "style.css");
	const asset *js = assets_find(r->assets, "app.js");
	add_str(assets, "css", css ? css->href : NULL);
	add_str(assets, "js", js ? js->href : NULL);
	add_item(v, "menu", view_menu(r, here));
	add_bool(v, "is_home", here.kind == ROUTE_HOME);
	/* Links name the file so the site also works opened from disk. */
	add_owned(v, "home_href", href(ROUTE_HOME, NULL));
	add_owned(v, "generator", xasprintf("partnermap %s", r->version));

	cJSON *counts = add_object(v, "counts");
	add_count(counts, "institutions", r->s->ninst, "institution");
	add_count(counts, "countries", r->ngroups, "country");
	add_count(counts, "networks", r->s->nnet, "network");
	cJSON *nets = add_array(v, "networks");
	for (size_t k = 0; k < r->s->nnet; k++)
		cJSON_AddItemToArray(nets, view_network(r, r->net_order[k]));
	add_item(v, "exchanges", view_exchanges(r));
	return v;
}
