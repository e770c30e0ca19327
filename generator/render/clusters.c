/* clusters.c - the world map of a large site: above RENDER_CLUSTER_ABOVE
 * institutions, the partners of each country are grouped on a grid of
 * the map's pixels (geo/cluster.h), and a cell holding more than one is
 * drawn as one marker showing the count and linking to the country's
 * page, which lists them. Clusters never cross a border, so that link
 * always names every partner the cluster holds. */
#include "render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../geo/cluster.h"
#include "../publish/stage.h"
#include "text.h"

int render_clustered(const render_ctx *r)
{
	return r->s->ninst > RENDER_CLUSTER_ABOVE;
}

/* Every institution's point on the world map, by institution index: a
 * fresh array of r->s->ninst points. */
static geo_pt *world_points(const render_ctx *r)
{
	size_t ni = r->s->ninst;
	geo_lonlat *at = xmalloc((ni ? ni : 1) * sizeof *at);
	geo_pt *pts = xmalloc((ni ? ni : 1) * sizeof *pts);
	for (size_t i = 0; i < ni; i++)
		at[i] = (geo_lonlat){.lon = r->s->inst[i].lon,
				     .lat = r->s->inst[i].lat};
	geo_map_world_points(r->map, at, ni, pts);
	free(at);
	return pts;
}

double render_cluster_cell(int level)
{
	return RENDER_CLUSTER_CELL / (double)(1 << level);
}

/* The clusters of country group g at zoom level `level` into cl (members
 * are places in the group, 0 .. g->count). pts as world_points gives. */
static void group_clusters(const render_ctx *r, const country_group *g,
			   const geo_pt *pts, int level, geo_clusters *cl)
{
	geo_pt *p = xmalloc((g->count ? g->count : 1) * sizeof *p);
	for (size_t k = 0; k < g->count; k++)
		p[k] = pts[r->by_country[g->first + k]];
	geo_cluster_grid(p, g->count, render_cluster_cell(level), cl);
	free(p);
}

/* The level-0 clusters of one country group, appended to items. */
static void group_items(const render_ctx *r, const country_group *g,
			const geo_pt *pts, map_item *items, size_t *n)
{
	geo_clusters cl;
	group_clusters(r, g, pts, 0, &cl);
	for (size_t j = 0; j < cl.n; j++) {
		const geo_cluster *c = &cl.v[j];
		items[(*n)++] = (map_item){
			.inst = r->by_country[g->first + c->rep],
			.count = c->count, .c = g->c, .cx = c->cx, .cy = c->cy};
	}
	geo_clusters_free(&cl);
}

map_item *render_map_items(const render_ctx *r, size_t *n)
{
	size_t ni = r->s->ninst;
	geo_pt *pts = world_points(r);
	map_item *items = xmalloc((ni ? ni : 1) * sizeof *items);
	*n = 0;
	for (size_t g = 0; g < r->ngroups; g++)
		group_items(r, &r->groups[g], pts, items, n);
	free(pts);
	return items;
}

char *render_marker_label(const render_ctx *r, size_t i)
{
	const institution *in = &r->s->inst[i];
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	cJSON *fill = cJSON_CreateObject();
	cJSON_AddStringToObject(fill, "name", in->name);
	cJSON_AddStringToObject(fill, "city", in->city);
	cJSON_AddStringToObject(fill, "country",
				c ? render_country_name(r, c) : in->country);
	char *label = i18n_text(r->i18n, "marker_label", fill);
	cJSON_Delete(fill);
	return label;
}

/* "Kenya: 68 partner institutions", a cluster's accessible name. */
static char *cluster_label(const render_ctx *r, const country *c, size_t count)
{
	cJSON *fill = cJSON_CreateObject();
	cJSON_AddStringToObject(fill, "country", render_country_name(r, c));
	char *label = i18n_plural(r->i18n, "cluster_label", (double)count, fill);
	cJSON_Delete(fill);
	return label;
}

void render_cluster_marker(const render_ctx *r, const map_item *it,
			   route on, geo_marker *g, char **own)
{
	char code[3];
	route_country_code(code, it->c->alpha2);
	own[0] = route_link(r->s->cfg.base_url, on,
			    (route){ROUTE_COUNTRY, it->c->alpha2, 0});
	own[1] = cluster_label(r, it->c, it->count);
	own[2] = xasprintf("%s-%lld-%lld", code, it->cx, it->cy);
	const institution *in = &r->s->inst[it->inst];
	*g = (geo_marker){.slug = own[2], .href = own[0], .label = own[1],
			  .at = {.lon = in->lon, .lat = in->lat},
			  .count = it->count};
}

/* "pmData(<key JSON>, <value JSON>);\n": a script that hands its data to
 * the page through one global callback, so that it loads from disk
 * (file:) as well as from a server, where fetch() could not. The value
 * goes through text_json_for_script, as the pages' inline JSON does, so a
 * record's U+2028, U+2029, "</script" or "<!--" stays inside its string
 * whatever parses the file. Takes value. */
static char *data_script(const char *key, cJSON *value)
{
	char *json = cJSON_PrintUnformatted(value);
	cJSON_Delete(value);
	buf_t js = BUF_INIT;
	buf_printf(&js, "pmData(\"%s\",", key);
	text_json_for_script(&js, json ? json : "null");
	buf_puts(&js, ");\n");
	cJSON_free(json);
	return buf_detach(&js);
}

static int write_script(const render_ctx *r, const char *rel, char *js)
{
	int rc = render_write(r, rel, js, strlen(js));
	free(js);
	return rc;
}

/* Chunk `part` (from 1) of country group g: its entries from
 * part * RENDER_CHUNK on, as the home page would list them (template
 * home_list), into countries/<code>/list-<part>.js. The value handed to
 * pmData is {"html": entries, "next": "list-<part + 1>.js"}, "next" only
 * when more entries follow. */
static int write_country_chunk(const render_ctx *r, const country_group *g,
			       size_t part)
{
	size_t from = (part - 1) * RENDER_CHUNK;
	country_group sub = {g->c, g->first + from, g->count - from};
	if (sub.count > RENDER_CHUNK)
		sub.count = RENDER_CHUNK;
	cJSON *v = view_base(r, (route){ROUTE_HOME, NULL, 0});
	cJSON *groups = cJSON_AddArrayToObject(v, "countries");
	cJSON_AddItemToArray(groups, view_country_group(r, &sub, INST_ALL, VIEW_CSV));
	buf_t html = BUF_INIT;
	mst_lazy lazy = {view_make_item, (void *)r};
	mst_limits lim = {.lazy = &lazy};
	int rc = mst_render_limited(r->tpl, "home_list", v, &html, &lim, r->d);
	cJSON_Delete(v);
	char code[3];
	route_country_code(code, g->c->alpha2);
	char *rel = xasprintf("countries/%s/" RENDER_LIST_JS, code, part);
	if (rc < 0)
		diag_fatal(r->d, rel, "the theme has no template 'home_list', "
			   "which a site of more than %d institutions needs: "
			   "copy it from the default theme", RENDER_CLUSTER_ABOVE);
	if (!rc) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "html", buf_cstr(&html));
		if (from + sub.count < g->count) {
			char *next = xasprintf(RENDER_LIST_JS, part + 1);
			cJSON_AddStringToObject(o, "next", next);
			free(next);
		}
		char *key = xasprintf("%s-%zu", code, part);
		rc = write_script(r, rel, data_script(key, o));
		free(key);
	}
	free(rel);
	buf_free(&html);
	return rc ? -1 : 0;
}

/* Every chunk of country group g's entries. */
static int write_country_list(const render_ctx *r, const country_group *g)
{
	for (size_t part = 1; (part - 1) * RENDER_CHUNK < g->count; part++)
		if (write_country_chunk(r, g, part) < 0)
			return -1;
	return 0;
}

/* The position of `word` in array `words`, added at the end if new. */
static int word_code(cJSON *words, const char *word)
{
	int n = cJSON_GetArraySize(words);
	for (int k = 0; k < n; k++)
		if (!strcmp(cJSON_GetArrayItem(words, k)->valuestring, word))
			return k;
	cJSON_AddItemToArray(words, cJSON_CreateString(word));
	return n;
}

/* The place of facet attr in facets ([attr, [words]] pairs), a pair
 * added at the end when attr is new. */
static int facet_place(cJSON *facets, const char *attr)
{
	int f = 0, n = cJSON_GetArraySize(facets);
	while (f < n && strcmp(cJSON_GetArrayItem(
			cJSON_GetArrayItem(facets, f), 0)->valuestring, attr))
		f++;
	if (f == n) {
		cJSON *pair = cJSON_CreateArray();
		cJSON_AddItemToArray(pair, cJSON_CreateString(attr));
		cJSON_AddItemToArray(pair, cJSON_CreateArray());
		cJSON_AddItemToArray(facets, pair);
	}
	return f;
}

/* Item k of array a, arrays added at its end until there is one. */
static cJSON *array_at(cJSON *a, int k)
{
	while (cJSON_GetArraySize(a) <= k)
		cJSON_AddItemToArray(a, cJSON_CreateArray());
	return cJSON_GetArrayItem(a, k);
}

/* Row `row` (an institution's place in its country's directory order)
 * under each word of attr_values (as in an entry's data-<attr>): appended
 * to rows[facet][code], facet the place of attr in facets (facet_place),
 * code the word's place in that facet's words (added when new). */
static void add_facet_rows(cJSON *facets, cJSON *rows, int row,
			   const char *attr, const char *attr_values)
{
	int f = facet_place(facets, attr);
	cJSON *words = cJSON_GetArrayItem(cJSON_GetArrayItem(facets, f), 1);
	cJSON *per = array_at(rows, f);
	char *copy = xstrdup(attr_values ? attr_values : ""), *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		cJSON_AddItemToArray(array_at(per, word_code(words, w)),
				     cJSON_CreateNumber(row));
	free(copy);
}

/* Institution i, row `row` of its country: its search text appended to
 * texts, and its words of each facet (networks, exchange levels, then the
 * facets of view_facet_attrs) into rows (add_facet_rows). */
static void index_institution(const render_ctx *r, size_t i, int row,
			      cJSON *facets, cJSON *rows, cJSON *texts)
{
	cJSON *v = view_institution(r, i, 0);
	cJSON_AddItemToArray(texts, cJSON_CreateString(
		cJSON_GetObjectItem(v, "search")->valuestring));
	add_facet_rows(facets, rows, row, "networks",
		       cJSON_GetObjectItem(v, "network_slugs")->valuestring);
	add_facet_rows(facets, rows, row, "exchanges",
		       cJSON_GetObjectItem(v, "exchange_slugs")->valuestring);
	cJSON *fa;
	cJSON_ArrayForEach(fa, cJSON_GetObjectItem(v, "facet_attrs"))
		add_facet_rows(facets, rows, row,
			       cJSON_GetObjectItem(fa, "attr")->valuestring,
			       cJSON_GetObjectItem(fa, "values")->valuestring);
	cJSON_Delete(v);
}

/* n in base 36 (digits 0-9, then a-z), appended to b. */
static void put_base36(buf_t *b, unsigned n)
{
	char d[8];
	int k = 0;
	do {
		d[k++] = "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
		n /= 36;
	} while (n);
	while (k)
		buf_putc(b, d[--k]);
}

/* A list of rows (ascending) as its runs of consecutive rows: for each
 * run, the rows skipped since the end of the one before (from row 0),
 * then its length, all in base 36, separated by single spaces; "" when
 * empty. Rows {0, 1, 2, 5} give "0 3 2 1". A fresh string. Row sets are
 * dense (most institutions carry a network, a level), so this is short,
 * and a string costs the page next to nothing to parse, unlike an array
 * of numbers: the page decodes only the lists a click needs. */
static char *row_runs(cJSON *list)
{
	buf_t b = BUF_INIT;
	int next = 0, start = -1, end = 0;
	cJSON *x;
	cJSON_ArrayForEach(x, list) {
		if (start >= 0 && x->valueint <= end) {
			end += x->valueint == end; /* a row twice counts once */
			continue;
		}
		if (start >= 0) {
			put_base36(&b, (unsigned)(start - next));
			buf_putc(&b, ' ');
			put_base36(&b, (unsigned)(end - start));
			buf_putc(&b, ' ');
			next = end;
		}
		start = x->valueint;
		end = start + 1;
	}
	if (start >= 0) {
		put_base36(&b, (unsigned)(start - next));
		buf_putc(&b, ' ');
		put_base36(&b, (unsigned)(end - start));
	}
	return buf_detach(&b);
}

/* Each list of rows of rows[facet][code] as its runs (row_runs). */
static void run_rows(cJSON *rows)
{
	cJSON *per;
	cJSON_ArrayForEach(per, rows) {
		int n = cJSON_GetArraySize(per);
		for (int c = 0; c < n; c++) {
			char *runs = row_runs(cJSON_GetArrayItem(per, c));
			cJSON_ReplaceItemInArray(per, c, cJSON_CreateString(runs));
			free(runs);
		}
	}
}

/* Append the fresh string str to array a, and free it. */
static void add_fresh(cJSON *a, char *str)
{
	cJSON_AddItemToArray(a, cJSON_CreateString(str));
	free(str);
}

/* A number to a tenth, as the map's markup gives a place. */
static cJSON *tenth(double v)
{
	return cJSON_CreateNumber(round(v * 10) / 10);
}

/* Cluster c of country group g (code: its code) at zoom level `level`:
 * [x, y, count, name], and on a finer level its accessible name and link
 * too (render_lazy_data). */
static cJSON *level_item(const render_ctx *r, const country_group *g,
			 const char *code, const geo_pt *pts,
			 const geo_cluster *c, int level)
{
	size_t i = r->by_country[g->first + c->rep];
	const institution *in = &r->s->inst[i];
	cJSON *it = cJSON_CreateArray();
	cJSON_AddItemToArray(it, tenth(pts[i].x));
	cJSON_AddItemToArray(it, tenth(pts[i].y));
	cJSON_AddItemToArray(it, cJSON_CreateNumber((double)c->count));
	int one = c->count == 1;
	if (one)
		cJSON_AddItemToArray(it, cJSON_CreateString(in->slug));
	else
		add_fresh(it, level ? xasprintf("%s-%d-%lld-%lld", code, level,
						c->cx, c->cy)
				    : xasprintf("%s-%lld-%lld", code, c->cx, c->cy));
	if (!level)
		return it;
	route home = {ROUTE_HOME, NULL, 0};
	add_fresh(it, one ? render_marker_label(r, i)
			  : cluster_label(r, g->c, c->count));
	add_fresh(it, route_link(r->s->cfg.base_url, home, one ?
		(route){ROUTE_INSTITUTION, in->slug, 0} :
		(route){ROUTE_COUNTRY, g->c->alpha2, 0}));
	return it;
}

/* Zoom level `level` of country group g: {"k": its clusters
 * (level_item), "of": for each of g's institutions in directory order,
 * the place in k of the cluster holding it}. */
static cJSON *level_json(const render_ctx *r, const country_group *g,
			 const geo_pt *pts, int level)
{
	char code[3];
	route_country_code(code, g->c->alpha2);
	geo_clusters cl;
	group_clusters(r, g, pts, level, &cl);
	cJSON *o = cJSON_CreateObject(), *k = cJSON_AddArrayToObject(o, "k");
	int *of = xmalloc((g->count ? g->count : 1) * sizeof *of);
	for (size_t m = 0; m < g->count; m++)
		of[m] = -1; /* a point off the map: in no cluster */
	for (size_t j = 0; j < cl.n; j++) {
		const geo_cluster *c = &cl.v[j];
		for (size_t m = 0; m < c->count; m++)
			of[cl.members[c->first + m]] = (int)j;
		cJSON_AddItemToArray(k, level_item(r, g, code, pts, c, level));
	}
	cJSON_AddItemToObject(o, "of", cJSON_CreateIntArray(of, (int)g->count));
	free(of);
	geo_clusters_free(&cl);
	return o;
}

/* countries/<code>/zoom.js for country group g, when its level-0 map
 * draws a cluster (otherwise nothing splits): {"levels": [level 0, level
 * 1, ...]}, each a level_json. */
static int write_zoom(const render_ctx *r, const country_group *g,
		      const geo_pt *pts)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *levels = cJSON_AddArrayToObject(o, "levels");
	for (int lv = 0; lv < RENDER_CLUSTER_LEVELS; lv++)
		cJSON_AddItemToArray(levels, level_json(r, g, pts, lv));
	if (cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(
		    levels, 0), "k")) == (int)g->count) {
		cJSON_Delete(o);
		return 0;
	}
	char code[3];
	route_country_code(code, g->c->alpha2);
	char *rel = xasprintf("countries/%s/" RENDER_ZOOM_JS, code);
	char *key = xasprintf("%s-zoom", code);
	int rc = write_script(r, rel, data_script(key, o));
	free(key);
	free(rel);
	return rc;
}

/* The index of what filters (countries/facets.js: {"facets": [[attr,
 * [word, ...]], ...], "rows": per country code, per facet, per word code,
 * its institutions' rows (run_rows), "cells": per country code, its
 * level-0 clusters (level_json)}) and of what is searched
 * (countries/search.js: per country code, the search text of each of
 * its institutions in directory order). A tick loads only the first, the
 * search box both. */
static int write_search_index(const render_ctx *r, const geo_pt *pts)
{
	cJSON *idx = cJSON_CreateObject(), *texts = cJSON_CreateObject();
	cJSON *facets = cJSON_AddArrayToObject(idx, "facets");
	cJSON *rows = cJSON_AddObjectToObject(idx, "rows");
	cJSON *cells = cJSON_AddObjectToObject(idx, "cells");
	for (size_t g = 0; g < r->ngroups; g++) {
		const country_group *cg = &r->groups[g];
		char code[3];
		route_country_code(code, cg->c->alpha2);
		cJSON *per = cJSON_AddArrayToObject(rows, code);
		cJSON *list = cJSON_AddArrayToObject(texts, code);
		for (size_t k = 0; k < cg->count; k++)
			index_institution(r, r->by_country[cg->first + k],
					  (int)k, facets, per, list);
		run_rows(per);
		cJSON_AddItemToObject(cells, code, level_json(r, cg, pts, 0));
	}
	int rc = write_script(r, "countries/" RENDER_FACETS_JS,
			      data_script("facets", idx));
	int rc2 = write_script(r, "countries/" RENDER_SEARCH_JS,
			       data_script("search", texts));
	return rc ? rc : rc2;
}

/* Country group g's list-<n>.js and zoom.js, unless they are kept from
 * the last build (their unit: "countries/<code>/" RENDER_UNIT_SCRIPTS). */
static int write_country_scripts(const render_ctx *r, const country_group *g,
				 const geo_pt *pts)
{
	char *unit = NULL;
	if (r->reuse) {
		char *path = route_path((route){ROUTE_COUNTRY, g->c->alpha2, 0});
		unit = xasprintf("%s" RENDER_UNIT_SCRIPTS, path);
		free(path);
	}
	int kept = unit ? render_kept(r, unit) : 0;
	free(unit);
	if (kept)
		return kept < 0 ? -1 : 0;
	return write_country_list(r, g) < 0 || write_zoom(r, g, pts) < 0 ? -1 : 0;
}

int render_lazy_data(const render_ctx *r)
{
	if (!render_clustered(r))
		return 0;
	geo_pt *pts = world_points(r);
	int rc = 0;
	for (size_t g = 0; !rc && g < r->ngroups; g++)
		rc = write_country_scripts(r, &r->groups[g], pts);
	int kept = rc ? 0 : render_kept(r, "countries/" RENDER_UNIT_SCRIPTS);
	if (!rc && !kept)
		rc = write_search_index(r, pts);
	free(pts);
	return rc || kept < 0 ? -1 : 0;
}
