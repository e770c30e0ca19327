/* paging.c - long listings split into numbered pages: which institutions
 * each page of a network, country or elective listing shows, and the
 * view of its pagination (render.h). The order is the directory's
 * (render_ctx.by_country); a page holds site.yml's page_size of them. */
#include "render.h"

#include <string.h>

/* Numbered links shown on each side of the current page; the first and
 * the last page are always linked, and a gap stands for the rest, so the
 * navigation stays short whatever the number of pages. */
#define PAGING_AROUND 2

size_t paging_size(const render_ctx *r)
{
	size_t size = r->s->cfg.page_size;
	return size ? size : PM_DEFAULT_PAGE_SIZE;
}

size_t paging_pages(const render_ctx *r, size_t members)
{
	size_t size = paging_size(r);
	return members > size ? (members + size - 1) / size : 1;
}

size_t paging_first(const render_ctx *r, int n)
{
	return n > 1 ? (size_t)(n - 1) * paging_size(r) : 0;
}

size_t *paging_members(const render_ctx *r, inst_filter only, size_t *n)
{
	size_t *pos = xcalloc(r->s->ninst ? r->s->ninst : 1, sizeof *pos);
	*n = 0;
	for (size_t k = 0; k < r->s->ninst; k++)
		if (inst_filter_keeps(only, &r->s->inst[r->by_country[k]]))
			pos[(*n)++] = k;
	return pos;
}

/* The country of the institution at position k of by_country. */
static const char *code_at(const render_ctx *r, size_t k)
{
	return r->s->inst[r->by_country[k]].country;
}

void paging_add_groups(const render_ctx *r, cJSON *v, const size_t *pos,
		       size_t n, inst_filter only)
{
	cJSON *groups = cJSON_AddArrayToObject(v, "countries");
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && !strcmp(code_at(r, pos[b]), code_at(r, pos[a])); b++)
			;
		country_group g = {
			country_by_alpha2(&r->s->countries, code_at(r, pos[a])),
			pos[a], pos[b - 1] - pos[a] + 1};
		cJSON_AddItemToArray(groups, view_country_group(r, &g, only, 0));
	}
}

/* One entry of the numbered links: page p, or a gap (p == 0). */
static cJSON *page_entry(const render_ctx *r, route first, int p, int current)
{
	cJSON *o = cJSON_CreateObject();
	if (!p) {
		cJSON_AddBoolToObject(o, "gap", 1);
		return o;
	}
	cJSON *fill = cJSON_CreateObject();
	add_owned(fill, "number", i18n_number(r->i18n, p));
	cJSON_AddStringToObject(o, "number",
				cJSON_GetObjectItem(fill, "number")->valuestring);
	add_owned(o, "label", i18n_text(r->i18n, "page_link", fill));
	cJSON_Delete(fill);
	add_owned(o, "href", route_file((route){first.kind, first.key, p}));
	cJSON_AddBoolToObject(o, "current", p == current);
	return o;
}

/* The neighbour page p as prev_href or next_href, when it exists. */
static void add_neighbour(cJSON *o, const char *key, route first, int p,
			  int pages)
{
	if (p >= 1 && p <= pages)
		add_owned(o, key, route_file((route){first.kind, first.key, p}));
}

cJSON *view_paging(const render_ctx *r, route at, size_t pages)
{
	if (pages <= 1)
		return NULL;
	int total = (int)pages, current = at.page > 1 ? at.page : 1;
	cJSON *o = cJSON_CreateObject();
	add_owned(o, "current", i18n_number(r->i18n, current));
	add_owned(o, "total", i18n_number(r->i18n, total));
	add_neighbour(o, "prev_href", at, current - 1, total);
	add_neighbour(o, "next_href", at, current + 1, total);
	cJSON *list = cJSON_AddArrayToObject(o, "pages");
	for (int p = 1; p <= total; p++) {
		int near = p >= current - PAGING_AROUND && p <= current + PAGING_AROUND;
		if (p == 1 || p == total || near)
			cJSON_AddItemToArray(list, page_entry(r, at, p, current));
		else if (p == current - PAGING_AROUND - 1 ||
			 p == current + PAGING_AROUND + 1)
			cJSON_AddItemToArray(list, page_entry(r, at, 0, current));
	}
	return o;
}
