/* render.h - the render stage: one cJSON view per page through the theme's
 * compiled templates, the SVG maps, and the open-data exports. It only
 * reads the model; everything it makes goes into the stage. */
#ifndef PM_RENDER_H
#define PM_RENDER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "../geo/map.h"
#include "../publish/assets.h"
#include "../publish/stage.h"
#include "../site.h"
#include "../util/safefs.h"
#include "mustache.h"
#include "routes.h"

/* Institutions of one country, as a run of render_ctx.by_country. */
typedef struct country_group {
	const country *c;      /* never NULL: codes were checked */
	size_t first, count;   /* into by_country */
} country_group;

typedef struct render_ctx {
	const site *s;
	const geo_map *map;
	const mst_set *tpl;
	stage *st;
	const asset_list *assets;
	diags_t *d;
	const char *version;
	int jobs;                   /* threads for institution pages */
	const char *map_css;        /* the theme's map rules, or NULL: map.svg's <style> */
	/* The feed's <updated> when no institution has a joined date: an
	 * RFC 3339 UTC time, "2024-05-01T12:00:00Z" (see build.c); NULL
	 * gives RENDER_EPOCH. */
	const char *updated;

	/* Derived once from the model by render_prepare. */
	size_t *by_country;         /* institution indices by (country, name) */
	country_group *groups;      /* sorted by country name */
	size_t ngroups;
	size_t *net_order;          /* network indices in display order */
	int *net_rank;              /* display rank of network i */
	int *inst_feature;          /* basemap feature of each institution */
	int *inst_marker_net;       /* network index that styles its marker */
	unsigned char *has_partners;/* per basemap feature */
	size_t *net_count;          /* member institutions of network i */
	size_t *net_countries;      /* countries those members are in */
	size_t level_count[2];      /* institutions offering each level */
	geo_svg_cache *locators;    /* locator maps drawn once per country */
} render_ctx;

/* 1970-01-01 00:00 UTC in RFC 3339: the feed's date when nothing else
 * dates it. */
#define RENDER_EPOCH "1970-01-01T00:00:00Z"

/* The exchange levels, in the order pages show them. */
#define RENDER_LEVELS 2
extern const char *const render_levels[RENDER_LEVELS];

/* Everything every page needs from the whole model, computed once: no
 * page may walk all institutions (100,000 pages times 100,000 records). */
int render_prepare(render_ctx *r);
void render_release(render_ctx *r);

/* Every page, map.svg and the exports. 0, or -1 with diagnostics. */
int render_site(render_ctx *r);

/* mapstyle.c */
/* Read the theme's assets/map.css (themes/README.md, "Map colours"),
 * which pages link and map.svg embeds, through root (util/safefs.h: a
 * regular file inside the root, at most the asset limit). assets_rel is the
 * theme's assets folder under root, assets_shown the same as messages name
 * it ("themes/default/assets"). On success *css is the file's text without
 * a UTF-8 BOM (the caller frees it), or NULL when the theme has none (a
 * warning: map.svg is then unstyled). Text that an XML document cannot hold
 * (invalid UTF-8, a NUL, C0 controls other than tab and line ends,
 * U+FFFE/U+FFFF: XML 1.0 section 2.2) is an error at its line and column; a
 * refused file is an error; an unreadable one is DIAG_FATAL. 0, or -1 with
 * *css NULL. */
int map_style_load(const sfs_root *root, const char *assets_rel,
		   const char *assets_shown, char **css, diags_t *d);

/* views.c */
/* The keys every page gets (themes/README.md) on the page `here`: its
 * path, root and canonical URL come from routes.h. */
cJSON *view_base(const render_ctx *r, route here);
cJSON *view_institution(const render_ctx *r, size_t i, int full);
cJSON *view_network(const render_ctx *r, size_t n);
/* A country's institutions (or only the members of network `only`):
 * their list holds lazy placeholders (mustache.h, MST_LAZY), which
 * view_make_item, given the render_ctx as its argument, turns into each
 * institution's view as the page is rendered. */
cJSON *view_country_group(const render_ctx *r, const country_group *g,
			  const network *only);
cJSON *view_make_item(void *render, double key);

/* exports.c */
int export_geojson(const render_ctx *r, buf_t *out);
int export_csv(const render_ctx *r, buf_t *out);
int export_sitemap(const render_ctx *r, buf_t *out);
int export_feed(const render_ctx *r, buf_t *out);

#endif
