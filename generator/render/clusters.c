/* clusters.c - the world map of a large site: above RENDER_CLUSTER_ABOVE
 * institutions, the partners of each country are grouped on a grid of
 * the map's pixels (geo/cluster.h), and a cell holding more than one is
 * drawn as one marker showing the count and linking to the country's
 * page, which lists them. Clusters never cross a border, so that link
 * always names every partner the cluster holds. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>

#include "../geo/cluster.h"

int render_clustered(const render_ctx *r)
{
	return r->s->ninst > RENDER_CLUSTER_ABOVE;
}

/* The clusters of one country group, appended to items. pts holds every
 * institution's point on the world map, by institution index. */
static void group_items(const render_ctx *r, const country_group *g,
			const geo_pt *pts, map_item *items, size_t *n)
{
	geo_pt *p = xmalloc((g->count ? g->count : 1) * sizeof *p);
	for (size_t k = 0; k < g->count; k++)
		p[k] = pts[r->by_country[g->first + k]];
	geo_clusters cl;
	geo_cluster_grid(p, g->count, RENDER_CLUSTER_CELL, &cl);
	for (size_t j = 0; j < cl.n; j++) {
		const geo_cluster *c = &cl.v[j];
		items[(*n)++] = (map_item){
			.inst = r->by_country[g->first + c->rep],
			.count = c->count, .c = g->c, .cx = c->cx, .cy = c->cy};
	}
	geo_clusters_free(&cl);
	free(p);
}

map_item *render_map_items(const render_ctx *r, size_t *n)
{
	size_t ni = r->s->ninst;
	geo_lonlat *at = xmalloc((ni ? ni : 1) * sizeof *at);
	geo_pt *pts = xmalloc((ni ? ni : 1) * sizeof *pts);
	for (size_t i = 0; i < ni; i++)
		at[i] = (geo_lonlat){.lon = r->s->inst[i].lon,
				     .lat = r->s->inst[i].lat};
	geo_map_world_points(r->map, at, ni, pts);
	map_item *items = xmalloc((ni ? ni : 1) * sizeof *items);
	*n = 0;
	for (size_t g = 0; g < r->ngroups; g++)
		group_items(r, &r->groups[g], pts, items, n);
	free(pts);
	free(at);
	return items;
}

void render_cluster_marker(const render_ctx *r, const map_item *it,
			   route on, geo_marker *g, char **own)
{
	char code[3];
	route_country_code(code, it->c->alpha2);
	own[0] = route_link(r->s->cfg.base_url, on,
			    (route){ROUTE_COUNTRY, it->c->alpha2});
	cJSON *fill = cJSON_CreateObject();
	cJSON_AddStringToObject(fill, "country", render_country_name(r, it->c));
	own[1] = i18n_plural(r->i18n, "cluster_label", (double)it->count, fill);
	cJSON_Delete(fill);
	own[2] = xasprintf("%s-%lld-%lld", code, it->cx, it->cy);
	const institution *in = &r->s->inst[it->inst];
	*g = (geo_marker){.slug = own[2], .href = own[0], .label = own[1],
			  .at = {.lon = in->lon, .lat = in->lat},
			  .count = it->count};
}
