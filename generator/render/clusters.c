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
#include "../util/arena.h"
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
 * whatever parses the file. put_json appends value so, and takes it; a
 * value made of several such pieces, each a whole JSON value, is the same
 * bytes as the whole went through at once (no escaped sequence crosses
 * from one value into the next). data_script takes value. */
static void put_json(buf_t *out, cJSON *value)
{
	char *json = cJSON_PrintUnformatted(value);
	cJSON_Delete(value);
	text_json_for_script(out, json ? json : "null");
	cJSON_free(json);
}

static char *data_script(const char *key, cJSON *value)
{
	buf_t js = BUF_INIT;
	buf_printf(&js, "pmData(\"%s\",", key);
	put_json(&js, value);
	buf_puts(&js, ");\n");
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
	arena_begin(); /* the chunk's views (util/arena.h) */
	cJSON *v = view_base(r, (route){ROUTE_HOME, NULL, 0});
	cJSON *groups = cJSON_AddArrayToObject(v, "countries");
	cJSON_AddItemToArray(groups, view_country_group(r, &sub, INST_ALL, VIEW_CSV));
	buf_t html = BUF_INIT;
	char code[3];
	route_country_code(code, g->c->alpha2);
	char *rel = xasprintf("countries/%s/" RENDER_LIST_JS, code, part);
	char *shown = xasprintf("%s%s", r->langs ? r->langs[r->lang].dir : "",
				rel);
	mst_lazy lazy = {view_make_item, (void *)r};
	mst_limits lim = {.lazy = &lazy, .page = shown};
	int rc = mst_render_limited(r->tpl, "home_list", v, &html, &lim, r->d);
	free(shown);
	cJSON_Delete(v);
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
	arena_end();
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

/* The rows of one word of a facet in the country being indexed: places
 * in its directory order, ascending. */
typedef struct row_list {
	int *v;
	size_t n, cap;
} row_list;

/* One facet of the index: its data-* name, its words in the order they
 * first turn up (a word's code is its place there), and, for the country
 * being indexed, the rows under each of the first `used` words. */
typedef struct index_facet {
	char *attr;
	char **words;
	size_t nwords, capwords;
	row_list *rows; /* capwords of them */
	size_t used;
} index_facet;

/* The facet index while it is made one country at a time: the facets in
 * the order they first turn up, and how many the country being indexed
 * reached (`touched`: one past the highest place it used). Kept as plain
 * arrays, never as a cJSON tree: at 100,000 institutions the tree of
 * every row was the build's peak of memory. */
typedef struct facet_index {
	index_facet *f;
	size_t n, cap, touched;
} facet_index;

/* The place of `item` in the n strings of v, or n. */
static size_t place_of(char *const *v, size_t n, const char *item)
{
	size_t k = 0;
	while (k < n && strcmp(v[k], item))
		k++;
	return k;
}

/* The place of facet attr in x, added at the end when new; the country
 * being indexed counts as having reached it. */
static index_facet *facet_place(facet_index *x, const char *attr)
{
	size_t f = 0;
	while (f < x->n && strcmp(x->f[f].attr, attr))
		f++;
	if (f == x->n) {
		x->f = xgrow(x->f, &x->cap, x->n + 1, sizeof *x->f, 8);
		x->f[x->n++] = (index_facet){.attr = xstrdup(attr)};
	}
	if (x->touched < f + 1)
		x->touched = f + 1;
	return &x->f[f];
}

/* The code of `word` in facet f, added at the end if new. */
static size_t word_code(index_facet *f, const char *word)
{
	size_t k = place_of(f->words, f->nwords, word);
	if (k == f->nwords) {
		size_t cap = f->capwords;
		f->words = xgrow(f->words, &f->capwords, k + 1, sizeof *f->words, 8);
		f->rows = xreallocarray(f->rows, f->capwords, sizeof *f->rows);
		memset(f->rows + cap, 0, (f->capwords - cap) * sizeof *f->rows);
		f->words[f->nwords++] = xstrdup(word);
	}
	return k;
}

/* Row `row` (an institution's place in its country's directory order)
 * under each word of attr_values (space-separated, as in an entry's
 * data-<attr>; NULL as empty), in facet attr. */
static void add_facet_rows(facet_index *x, int row, const char *attr,
			   const char *attr_values)
{
	index_facet *f = facet_place(x, attr);
	char *copy = xstrdup(attr_values ? attr_values : ""), *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		size_t code = word_code(f, w);
		row_list *l = &f->rows[code];
		l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v, 8);
		l->v[l->n++] = row;
		if (f->used < code + 1)
			f->used = code + 1;
	}
	free(copy);
}

/* Institution i, row `row` of its country: its words of each facet
 * (networks, exchange levels, then the facets of view_facet_attrs) into
 * x (add_facet_rows). */
static void index_institution(const render_ctx *r, size_t i, int row,
			      facet_index *x)
{
	const institution *in = &r->s->inst[i];
	buf_t slugs = BUF_INIT;
	view_network_slugs(r, i, &slugs);
	add_facet_rows(x, row, "networks", buf_cstr(&slugs));
	buf_free(&slugs);
	char *levels = strlist_join(&in->exchanges);
	add_facet_rows(x, row, "exchanges", levels);
	free(levels);
	for (size_t f = 0; f < view_facet_attr_count(); f++) {
		char *values = view_facet_values(in, f);
		if (values)
			add_facet_rows(x, row, view_facet_attr(f), values);
		free(values);
	}
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

/* A list of n rows (ascending) as a JSON string of its runs of
 * consecutive rows: for each run, the rows skipped since the end of the
 * one before (from row 0), then its length, all in base 36, separated by
 * single spaces; "" when empty. Rows {0, 1, 2, 5} give "0 3 2 1". Row
 * sets are dense (most institutions carry a network, a level), so this
 * is short, and a string costs the page next to nothing to parse, unlike
 * an array of numbers: the page decodes only the lists a click needs. */
static void put_row_runs(buf_t *out, const int *v, size_t n)
{
	int next = 0, start = -1, end = 0;
	buf_putc(out, '"');
	for (size_t k = 0; k <= n; k++) {
		if (k < n && start >= 0 && v[k] <= end) {
			end += v[k] == end; /* a row twice counts once */
			continue;
		}
		if (start >= 0) {
			if (next)
				buf_putc(out, ' ');
			put_base36(out, (unsigned)(start - next));
			buf_putc(out, ' ');
			put_base36(out, (unsigned)(end - start));
			next = end;
		}
		if (k < n) {
			start = v[k];
			end = start + 1;
		}
	}
	buf_putc(out, '"');
}

/* The country just indexed as its entry of "rows": per facet it reached,
 * per word code, its rows as runs (put_row_runs); then x is ready for the
 * next country. */
static void put_country_rows(facet_index *x, buf_t *out)
{
	buf_putc(out, '[');
	for (size_t p = 0; p < x->touched; p++) {
		index_facet *f = &x->f[p];
		buf_puts(out, p ? ",[" : "[");
		for (size_t c = 0; c < f->used; c++) {
			row_list *l = &f->rows[c];
			if (c)
				buf_putc(out, ',');
			put_row_runs(out, l->v, l->n);
			l->n = 0;
		}
		buf_putc(out, ']');
		f->used = 0;
	}
	buf_putc(out, ']');
	x->touched = 0;
}

/* "facets": [[attr, [word, ...]], ...], as cJSON prints it. */
static void put_facet_words(const facet_index *x, buf_t *out)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t p = 0; p < x->n; p++) {
		cJSON *pair = cJSON_CreateArray();
		cJSON_AddItemToArray(pair, cJSON_CreateStringReference(x->f[p].attr));
		cJSON_AddItemToArray(pair, cJSON_CreateStringArray(
			(const char *const *)x->f[p].words, (int)x->f[p].nwords));
		cJSON_AddItemToArray(a, pair);
	}
	put_json(out, a);
}

static void facet_index_free(facet_index *x)
{
	for (size_t p = 0; p < x->n; p++) {
		index_facet *f = &x->f[p];
		for (size_t c = 0; c < f->capwords; c++)
			free(f->rows[c].v);
		free_each((void *const *)f->words, f->nwords);
		free(f->words);
		free(f->rows);
		free(f->attr);
	}
	free(x->f);
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
 * its institutions' rows (put_country_rows: runs), "cells": per country code,
 * its level-0 clusters (level_json)}). A tick loads only this file, the
 * search box search.js too (search_each). rows and cells are made a
 * country at a time as text; the words, which come first in the file,
 * are known only once every country is done. */
static int write_facet_index(const render_ctx *r, const geo_pt *pts)
{
	facet_index x = {0};
	buf_t rows = BUF_INIT, cells = BUF_INIT;
	for (size_t g = 0; g < r->ngroups; g++) {
		const country_group *cg = &r->groups[g];
		char code[3];
		route_country_code(code, cg->c->alpha2);
		for (size_t k = 0; k < cg->count; k++)
			index_institution(r, r->by_country[cg->first + k],
					  (int)k, &x);
		const char *sep = g ? "," : "";
		buf_printf(&rows, "%s\"%s\":", sep, code);
		put_country_rows(&x, &rows);
		buf_printf(&cells, "%s\"%s\":", sep, code);
		put_json(&cells, level_json(r, cg, pts, 0));
	}
	buf_t js = BUF_INIT;
	buf_puts(&js, "pmData(\"facets\",{\"facets\":");
	put_facet_words(&x, &js);
	facet_index_free(&x);
	buf_printf(&js, ",\"rows\":{%s},\"cells\":{", buf_cstr(&rows));
	buf_free(&rows);
	buf_put(&js, cells.ptr, cells.len);
	buf_free(&cells);
	buf_puts(&js, "}});\n");
	int rc = render_write(r, "countries/" RENDER_FACETS_JS, js.ptr, js.len);
	buf_free(&js);
	return rc;
}

/* countries/search.js, a piece at a time (render_write_streamed): per
 * country code, the search text of each of its institutions in directory
 * order (8.6 MB at 100,000 institutions, never held whole). */
static int search_each(const render_ctx *r, buf_t *out, export_flush flush,
		       void *arg)
{
	render_splice *sp = render_splice_of(flush, arg);
	buf_puts(out, "pmData(\"search\",{");
	for (size_t g = 0; g < r->ngroups; g++) {
		const country_group *cg = &r->groups[g];
		char code[3];
		route_country_code(code, cg->c->alpha2);
		if (splice_put(sp, out) < 0)
			return -1;
		buf_printf(out, "%s\"%s\":[", g ? "," : "", code);
		/* a JSON array of strings, a piece per institution */
		for (size_t k = 0; k < cg->count; k++) {
			size_t i = r->by_country[cg->first + k];
			int took = splice_take(sp, i, k > 0, out);
			if (took < 0)
				return -1;
			if (took)
				continue;
			size_t from = out->len;
			char *own = r->search ? NULL : view_search_text(r, i);
			if (k)
				buf_putc(out, ',');
			put_json(out, cJSON_CreateStringReference(
				own ? own : render_search(r, i)));
			free(own);
			splice_made(sp, i, k > 0, from, out);
		}
		if (splice_put(sp, out) < 0)
			return -1;
		buf_putc(out, ']');
		if (out->len >= EXPORT_PIECE && flush(arg, out) < 0)
			return -1;
	}
	if (splice_put(sp, out) < 0)
		return -1;
	buf_puts(out, "});\n");
	return flush(arg, out);
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
	if (!rc && !kept) {
		rc = write_facet_index(r, pts);
		int rc2 = render_write_streamed(r, "countries/" RENDER_SEARCH_JS,
						search_each, 1);
		rc = rc ? rc : rc2;
	}
	free(pts);
	return rc || kept < 0 ? -1 : 0;
}
