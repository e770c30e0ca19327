/* render.h - the render stage: one cJSON view per page through the theme's
 * compiled templates, the SVG maps, and the open-data exports. It only
 * reads the model; everything it makes goes into the stage. */
#ifndef PM_RENDER_H
#define PM_RENDER_H

#include <stddef.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "../geo/map.h"
#include "../publish/assets.h"
#include "../publish/stage.h"
#include <stdatomic.h>
#include "../site.h"
#include "../util/safefs.h"
#include "i18n.h"
#include "splice.h"
#include "mustache.h"
#include "routes.h"

/* Institutions of one country, as a run of render_ctx.by_country. */
typedef struct country_group {
	const country *c;      /* never NULL: codes were checked */
	size_t first, count;   /* into by_country */
} country_group;

struct render_ctx;
/* Files a previous build wrote whose inputs did not change (publish/
 * reuse.h): keep(ctx, r, unit, shown, n) is 1 when every file of the unit
 * was kept as it is (stage_keep) and the job that makes them writes
 * nothing, 0 to render them, -1 after a diagnostic. A unit is named by a
 * key (reuse.h): a page's folder ("institutions/x/": its page and the
 * files beside it), one page of a listing ("countries/ug/index.html",
 * "countries/ug/page/2/index.html"), a folder's data scripts
 * ("countries/ug/" RENDER_UNIT_SCRIPTS) or one file ("map.svg"). shown
 * (n bytes, NULL when n is 0) is what the unit shows that its key's
 * inputs do not tell, already rendered: a listing's map and a country's
 * network counts, which every page of the listing shows of all its
 * members; its bytes join the unit's fingerprint. May be called from
 * several threads at once, once per unit. */
typedef struct render_reuse {
	int (*keep)(void *ctx, const struct render_ctx *r, const char *unit,
		    const void *shown, size_t n);
	/* A file of one piece per institution (render/splice.h) about to be
	 * written as rel: the splice to write it through (its fd, was, ids
	 * set), or NULL to make every piece. Then splice_close with it once
	 * the file is written (ok: whole), which takes sp and the pieces it
	 * made. Both may be called from several threads at once. NULL: no
	 * splicing. */
	render_splice *(*splice_open)(void *ctx, const struct render_ctx *r,
				      const char *rel);
	void (*splice_close)(void *ctx, const char *rel, render_splice *sp,
			     int ok);
	/* The digest of a listing's map as drawn, named by the digest of
	 * what it is drawn from (both SHA-256, SHA256_DIGEST_SIZE bytes):
	 * recall gives the last build's into drawn (1) when it drew
	 * the map of listing (its first page's file) from these very inputs
	 * (with the site-wide ones), else 0; remember records this build's
	 * for the next. Called by the listing's job alone. NULL: never
	 * recalled. */
	int (*recall)(void *ctx, const char *listing,
		      const unsigned char *inputs, unsigned char *drawn);
	void (*remember)(void *ctx, const char *listing,
			 const unsigned char *inputs,
			 const unsigned char *drawn);
	void *ctx;
} render_reuse;
/* The ending of a unit key that names the scripts (*.js) right in a
 * folder, not below it: "countries/ug/" RENDER_UNIT_SCRIPTS. */
#define RENDER_UNIT_SCRIPTS "*.js"

/* render_reuse's answer for unit: 1 kept, 0 render it (also without
 * r->reuse), -1 after a diagnostic; render_kept_showing with the bytes
 * it shows beside its key's inputs (render_reuse). */
int render_kept(const struct render_ctx *r, const char *unit);
int render_kept_showing(const struct render_ctx *r, const char *unit,
			const void *shown, size_t n);

/* One language of a site built in several (site.yml's languages), as its
 * pages name and link it. */
typedef struct render_lang {
	const char *tag;       /* "fr": hreflang, lang */
	char *name;            /* the language's name in itself, from its
				  texts (language_name): "Français" */
	char *dir;             /* the folder of its pages in the output: ""
				  for the default language, "fr/" */
	char *base_url;        /* site.yml's base_url followed by dir */
	int rtl;               /* written right to left */
} render_lang;

typedef struct render_ctx {
	const site *s;
	const geo_map *map;
	const mst_set *tpl;
	stage *st;
	const asset_list *assets;
	diags_t *d;
	const char *version;
	int jobs;                   /* threads rendering the site's files */
	const char *map_css;        /* the theme's map rules, or NULL: map.svg's <style> */
	/* The feed's <updated> when no institution has a joined date: an
	 * RFC 3339 UTC time, "2024-05-01T12:00:00Z" (see build.c); NULL
	 * gives RENDER_EPOCH. */
	const char *updated;
	const i18n *i18n;           /* the site's language (i18n.h) */
	const render_reuse *reuse;  /* NULL: render every page */
	/* Where render_prepare keeps what it works out of each record's
	 * words (collation keys in the language, folded search texts: each
	 * depends on its words alone), so that a build with the same words
	 * does not work them out again (serve keeps one between builds);
	 * NULL: none. Only render_prepare uses it, in one thread
	 * (util/memo.h). */
	struct str_memo *memo;
	/* Render only the first page of each listing (a network's, a
	 * country's, an elective's), without the files beside it (an
	 * elective's partners.csv): for check, which renders a page of each
	 * kind to find what stops a build only as it renders (build.c). */
	int first_pages;

	/* Every language of the site, the default first (nlangs >= 1), and
	 * the one rendered now: its pages are written under langs[lang].dir,
	 * and the default language's alone writes the site-wide files
	 * (partners.geojson, partners.csv, sitemap.xml). */
	const render_lang *langs;
	size_t nlangs, lang;

	/* Derived once from the model by render_prepare. */
	size_t *by_country;         /* institution indices by (country, name) */
	country_group *groups;      /* sorted by country name */
	size_t ngroups;
	size_t *net_order;          /* network indices in display order */
	int *net_rank;              /* display rank of network i */
	int *inst_feature;          /* basemap feature of each institution */
	int *inst_marker_net;       /* network index that styles its marker */
	size_t *inst_net_at;        /* institution i's networks are ranks */
	size_t *inst_net_ranks;     /* [inst_net_at[i], inst_net_at[i+1]) */
	unsigned char *has_partners;/* per basemap feature */
	size_t *net_count;          /* member institutions of network i */
	size_t *net_countries;      /* countries those members are in */
	size_t level_count[2];      /* institutions offering each level */
	const char **country_name;  /* each country's name in the language,
				       by index into s->countries */
	const char **feature_name;  /* per basemap feature, its country's
				       translated name or NULL (geo/map.h) */
	/* each institution's search text (view_search_text): made by
	 * render_prepare when a memo keeps them (serve), else on first use
	 * by render_search, so a build keeping every listing from the last
	 * one folds none */
	_Atomic(char *) *search;
	char **joined_label;        /* each institution's joined date as the
				       language writes it, or NULL */
	size_t elective_count[3];   /* institutions offering each elective type */
	geo_svg_cache *locators;    /* locator maps drawn once per country */
	/* Parts of views made once by view_prepare, which views refer to
	 * (cJSON references) rather than make for every page and list item. */
	cJSON *shared;              /* view_shared */
	cJSON **word_item;          /* {slug, label} of each of RENDER_WORDS */
	cJSON **net_item;           /* a network in an institution's view, by
				       display rank */
	cJSON **country_item;       /* an institution's "country", by index
				       into s->countries */
	struct lang_name *lang_names; /* every language tag of the records
				       with its name, sorted by tag */
	size_t nlang_names;
} render_ctx;

/* 1970-01-01 00:00 UTC in RFC 3339: the feed's date when nothing else
 * dates it. */
#define RENDER_EPOCH "1970-01-01T00:00:00Z"

/* The exchange levels, in the order pages show them. */
#define RENDER_LEVELS 2
extern const char *const render_levels[RENDER_LEVELS];
/* The elective types (records' electives:), in the order pages show them;
 * each has its page, electives/<type>/ (routes.h). */
#define RENDER_ELECTIVES 3
extern const char *const render_electives[RENDER_ELECTIVES];
#define RENDER_WORDS (RENDER_LEVELS + RENDER_ELECTIVES)

/* Which institutions a list or an export holds: those for which keep(in,
 * arg) is non-zero; a NULL keep holds every one. */
typedef struct inst_filter {
	int (*keep)(const institution *in, const char *arg);
	const char *arg;
} inst_filter;
#define INST_ALL ((inst_filter){NULL, NULL})
int inst_filter_keeps(inst_filter f, const institution *in);
/* 1 when the list holds word; the keep of a filter by network (arg: its
 * slug) or elective type (arg: the type). */
int inst_in_network(const institution *in, const char *slug);
int inst_offers(const institution *in, const char *type);
/* The display ranks (render_ctx.net_rank) of the site's networks that
 * institution i is a member of, ascending and each once: *n of them,
 * from the returned array, which r owns (made by render_prepare, so that
 * a page lists a member's networks in time linear in their number, not
 * in theirs times the site's). */
const size_t *render_inst_ranks(const render_ctx *r, size_t i, size_t *n);
/* Make r->inst_net_at and r->inst_net_ranks from r->s and r->net_rank
 * (render_prepare does; a test that fills a render_ctx by hand calls it,
 * and frees the two arrays). */
void render_rank_memberships(render_ctx *r);

/* Everything every page needs from the whole model, computed once: no
 * page may walk all institutions (100,000 pages times 100,000 records). */
int render_prepare(render_ctx *r);
void render_release(render_ctx *r);

/* A country's name in the site's language (load/names.h), else its
 * English name from iso-codes (always, before render_prepare). Valid until
 * render_release. */
const char *render_country_name(const render_ctx *r, const country *c);

/* Write rel (a path under the output, e.g. "countries/search.js") of the
 * language rendered now: under its folder (render_lang.dir), through the
 * stage (publish/stage.h, which copies data). 0, or -1 after a diagnostic. */
int render_write(const render_ctx *r, const char *rel, const void *data,
		 size_t n);

/* Every page, map.svg and the exports. 0, or -1 with diagnostics. */
int render_site(render_ctx *r);

/* The files of the site one job at a time, for partnermap serve, which
 * renders a page when it is asked for: every file render_site writes is
 * written by one job, a kind (in the order render_site makes them) and a
 * number from 0 to render_job_count - 1, and render_site runs them all:
 *   HOME, LAZY_DATA, MAP_SVG, 404   one each (LAZY_DATA: countries/'s
 *                                   scripts, nothing on a small site)
 *   INSTITUTION k   s->inst[k]'s page and its bundle's files
 *   NETWORK k       s->net[k]'s pages, all of them
 *   COUNTRY k       r->groups[k]'s pages
 *   ELECTIVE k      render_electives[k]'s pages and partners.csv
 *   PAGE k          s->pages[k]
 *   EXPORT k        feed.xml; in the default language, also (k = 1, 2,
 *                   3) partners.geojson, partners.csv, sitemap.xml
 * A job reads r (after render_prepare) and writes through r->st and
 * r->d: jobs may run at once in several threads, each with its own copy
 * of r whose d is its own. render_job returns 0, or -1 after a
 * diagnostic (or for a job that does not exist). */
typedef enum render_job_kind {
	RENDER_JOB_HOME, RENDER_JOB_LAZY_DATA, RENDER_JOB_MAP_SVG,
	RENDER_JOB_INSTITUTION, RENDER_JOB_NETWORK, RENDER_JOB_COUNTRY,
	RENDER_JOB_ELECTIVE, RENDER_JOB_PAGE, RENDER_JOB_404, RENDER_JOB_EXPORT,
	RENDER_JOB_KINDS
} render_job_kind;
size_t render_job_count(const render_ctx *r, render_job_kind kind);
int render_job(const render_ctx *r, render_job_kind kind, size_t k);
/* The number of the EXPORT job that writes rel (ROUTE_FEED and the
 * others, at the language's top), or -1. */
long render_export_job(const render_ctx *r, const char *rel);

/* clusters.c */
/* Above this many institutions, the world map (home page and map.svg)
 * draws clusters (geo/cluster.h) and the home page's directory lists
 * countries with their counts, not every institution: the home page then
 * stays about as light at 100,000 partners as at 2,000. */
#define RENDER_CLUSTER_ABOVE 1000
/* The side of a cluster's grid cell, in world map viewBox units (the map
 * is 960 wide): about three markers. */
#define RENDER_CLUSTER_CELL 32.0
/* The clustered world map has RENDER_CLUSTER_LEVELS zoom levels: level
 * 0 is drawn in the page, and each finer level halves the cell's side
 * (render_cluster_cell), so a cluster of level n + 1 lies inside one of
 * level n, and the page's script shows level n once the map is zoomed
 * 2^n times or more (markers keep their size on screen, so a cell stays
 * about three markers wide). */
#define RENDER_CLUSTER_LEVELS 4
/* The cell's side at zoom level `level` (0 .. RENDER_CLUSTER_LEVELS - 1),
 * in world map viewBox units. */
double render_cluster_cell(int level);
/* The accessible name of institution i's marker ("name, city, country",
 * the i18n text marker_label): a fresh string. */
char *render_marker_label(const render_ctx *r, size_t i);
/* 1 when the site has more than RENDER_CLUSTER_ABOVE institutions. */
int render_clustered(const render_ctx *r);
/* One thing the clustered world map draws: `count` institutions of
 * country c in grid cell (cx, cy); inst is the one nearest their mean,
 * where the marker stands (alone: the institution itself). */
typedef struct map_item {
	size_t inst, count;
	const country *c;
	long long cx, cy;
} map_item;
/* The world map's items, country by country in the directory's order,
 * then cell by cell: *n of them, a fresh array. */
map_item *render_map_items(const render_ctx *r, size_t *n);
/* The marker of an item of count > 1 on a map shown in page `on`: it
 * links to the country's page. Writes *g, whose strings are the three
 * fresh strings it puts in own[0..2] (the caller frees them). */
void render_cluster_marker(const render_ctx *r, const map_item *it,
			   route on, geo_marker *g, char **own);

/* The data a clustered home page loads as it needs it, as scripts that
 * call the page's global pmData(key, value) (so they load from disk too):
 * countries/<code>/list-<n>.js (n from 1), chunk n of a country's
 * directory entries, at most RENDER_CHUNK of them, key "<code>-<n>",
 * value {"html": the entries as HTML (template home_list), "next": the
 * next chunk's file name, beside this one, absent on the last};
 * countries/facets.js, key "facets", what the facet boxes match, loaded
 * on the first tick: {"facets": [[attr, [word, ...]], ...], "rows": per
 * country code, per facet, per word code, the rows (places in the
 * country's directory order) of the institutions carrying that word, as
 * a string of runs of consecutive rows: for each run the rows skipped
 * since the one before, then its length, in base 36, separated by spaces
 * ({0, 1, 2, 5}: "0 3 2 1"), a code being a word's place in its facet's
 * list and attr the facet's data-* name ("networks", "exchanges", then
 * those of view_facet_attrs), a list left off or "" when no institution
 * of the country carries the word; and
 * "cells": per country code, its zoom level 0 as below, so that a filter
 * recounts the map's markers}; countries/search.js, key "search", loaded
 * on the first use of the search box: per country code, the folded search
 * text of each of its institutions in directory order;
 * countries/<code>/zoom.js, key "<code>-zoom", for a country whose
 * level-0 map holds a cluster: {"levels": [level 0,
 * level 1, ...]} (RENDER_CLUSTER_LEVELS). A zoom level is {"k": its
 * clusters, each [x, y, count, name] (x, y: where its marker stands, in
 * viewBox units to a tenth; name: on level 0 the cluster's data-key, or
 * the slug of an institution alone, both drawn in the page; on finer
 * levels "<code>-<level>-<cx>-<cy>", or the slug of an institution
 * alone, followed there by its accessible name and its link from the
 * home page: the country's page, or the institution's),
 * "of": for each of the country's institutions in directory order, the
 * place in k of its cluster (-1 for a point off the map)}. Written only
 * for a clustered site; 0 or -1. RENDER_LIST_JS is a format of the
 * chunk's number (size_t). */
#define RENDER_LIST_JS "list-%zu.js"
#define RENDER_SEARCH_JS "search.js"
#define RENDER_FACETS_JS "facets.js"
#define RENDER_ZOOM_JS "zoom.js"
/* Entries per chunk of a country's list: an entry takes 1 to 2.3 KB
 * (its tags and CSV row included), so a chunk stays under about 140 KB
 * (under 10 KB gzipped), light enough for a phone. */
#define RENDER_CHUNK 60
int render_lazy_data(const render_ctx *r);

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

/* Views are built for every page, 100,000 times on a large site, so
 * their keys are never copied (cJSON_AddItemToObjectCS): a key given to
 * add_item and the helpers below must outlive the object, as a string
 * literal does. */
static inline void add_item(cJSON *o, const char *key, cJSON *item)
{
	cJSON_AddItemToObjectCS(o, key, item);
}

static inline void add_num(cJSON *o, const char *key, double val)
{
	add_item(o, key, cJSON_CreateNumber(val));
}

static inline void add_bool(cJSON *o, const char *key, int val)
{
	add_item(o, key, cJSON_CreateBool(val));
}

/* Add a copy of val under key when val is not NULL (views take absent
 * keys as "not given"). */
static inline void add_str(cJSON *o, const char *key, const char *val)
{
	if (val)
		add_item(o, key, cJSON_CreateString(val));
}

/* A string node that holds val (malloc'd) itself and frees it with it
 * (cJSON's default free). */
static inline cJSON *owned_item(char *val)
{
	cJSON *item = cJSON_CreateStringReference(val);
	item->type &= ~cJSON_IsReference;
	return item;
}

/* add_str with a heap string, which o takes (owned_item). */
static inline void add_owned(cJSON *o, const char *key, char *val)
{
	if (val)
		add_item(o, key, owned_item(val));
}

/* views.c */
/* The way from the root of the language rendered now up to the output's
 * top, where the assets and site-wide files are: "" for the default
 * language, "../" for another. */
const char *render_up(const render_ctx *r);
/* In a site of several languages, when a record's text (its body, a
 * network's description) is shown untranslated (fallback non-zero: its
 * PM_FALLBACK_* bit, site.h) and is not empty: add to o, the record's
 * view, key (such as "body_lang") and "fallback_lang", both the default
 * language's tag, which the text is marked with and which makes the page
 * say that it is not translated. */
void view_fallback(const render_ctx *r, cJSON *o, unsigned fallback,
		   const char *body, const char *key);
/* The keys every page gets (themes/README.md) on the page `here`: its
 * path, root and canonical URL come from routes.h. */
cJSON *view_base(const render_ctx *r, route here);
/* The keys of view_base that are the same on every page of the language
 * (site, assets, counts, networks, exchanges, ...), as one object the
 * caller owns: render_prepare makes it once, and each view_base refers to
 * its keys (cJSON references) rather than making them 100,000 times. */
cJSON *view_shared(const render_ctx *r);
/* Make r's view parts above (after the rest of render_prepare), and free
 * them (view_release, which leaves them NULL). Views made without them
 * are the same, only slower to make. */
void view_prepare(render_ctx *r);
void view_release(render_ctx *r);
/* What view_institution adds beyond what a list shows: the page's own
 * keys (body_html, json_ld, osm_url), and csv_row (partners.csv's row,
 * for the home page's download of the filtered list). */
enum { VIEW_FULL = 1, VIEW_CSV = 2 };
cJSON *view_institution(const render_ctx *r, size_t i, int flags);
cJSON *view_network(const render_ctx *r, size_t n);
/* A country and its institutions that `only` keeps, with their count;
 * flags as for view_institution. The list holds lazy placeholders
 * (mustache.h, MST_LAZY), which view_make_item, given the render_ctx as
 * its argument, turns into each institution's view as the page is
 * rendered. */
cJSON *view_country_group(const render_ctx *r, const country_group *g,
			  inst_filter only, int flags);
cJSON *view_make_item(void *render, double key);
/* A country with the number of its institutions and no list of them, for
 * the directory of a clustered site (clusters.c): code, code_upper, name,
 * href, count and count_text ("1,204 partner institutions"). */
cJSON *view_country_count(const render_ctx *r, const country_group *g);
/* What the search box matches for institution i: its name, local name,
 * city and country (in the site's language), folded as the page's script
 * folds what is typed (util/text_unicode.h). A fresh string. */
char *view_search_text(const render_ctx *r, size_t i);
/* view_search_text of institution i, made once (r->search, after
 * render_prepare) whichever thread asks first; valid until
 * render_release. */
const char *render_search(const render_ctx *r, size_t i);
/* Append to slugs the slugs of institution i's networks in display
 * order (as its view's network_slugs), separated by spaces, a space
 * first when slugs is not empty. */
void view_network_slugs(const render_ctx *r, size_t i,
			buf_t *slugs);
/* The words view_search_text folds, unfolded: a fresh string. */
char *view_search_words(const render_ctx *r, size_t i);
/* facets.c */
/* The facets of the home page's filters beyond networks and exchange
 * levels (themes/README.md): elective type, discipline, language (BCP 47
 * tags in lower case, named by ICU) and month (1-12), read from the
 * institutions' offers. [{param, attr, legend, has_pages, options[{value,
 * label, count, href, csv_href}]}]: param names the facet in the page's
 * URL, attr the data-* attribute of each directory entry (data-types);
 * only values some institution has are options, and a facet without any
 * is left out. href and csv_href (elective types only) are the value's
 * pre-built page and CSV, from the root. */
cJSON *view_facets(const render_ctx *r);
/* An institution's values for each facet it has any of: [{attr, values}],
 * values space-separated ("clinical research"), for its data-* attributes. */
cJSON *view_facet_attrs(const institution *in);
/* The same one facet at a time, for what reads them without a view (the
 * facet index, clusters.c): facets 0 .. view_facet_attr_count() - 1 in
 * view_facet_attrs' order; facet f's data-* name ("types", a literal);
 * in's values of facet f, space-separated, as a fresh string, or NULL
 * when it has none (view_facet_attrs then leaves the facet out). */
size_t view_facet_attr_count(void);
const char *view_facet_attr(size_t f);
char *view_facet_values(const institution *in, size_t f);

/* offerview.c */
/* Add to o, an institution's view on its own page, what its offers and
 * the details around them show (themes/README.md): offers[], photo,
 * updated, professions_text, instruction_text, housing_html. */
void view_institution_details(const render_ctx *r, const institution *in,
			      cJSON *o);
/* The name of discipline slug on r's pages: a site.yml name as the site
 * wrote it; a discipline of the built-in list (site.yml gives none) in
 * the page's language, the i18n key discipline_<slug>. Caller frees. */
char *view_discipline_name(const render_ctx *r, const char *slug);
/* The name of BCP 47 language tag in r's language, as
 * i18n_language_name gives it (ICU), from the table view_prepare made of
 * every tag the records use: ICU's display names cost thousands of
 * instructions each, asked for on every institution's page. A tag not
 * in the table is asked of ICU. Caller frees. */
char *view_language_name(const render_ctx *r, const char *tag);
/* An offer's levels ("undergraduate", "postgraduate") as one phrase in
 * t's language: each level's word (i18n keys offer_level_<level>) joined
 * with list_and and put into offer_students, first letter capitalised:
 * "Undergraduate and postgraduate students", "Étudiants de premier cycle
 * et de cycle supérieur". NULL for an empty list; caller frees. */
char *view_levels_text(const i18n *t, const strlist *levels);
/* A file size of n bytes in t's language, 1024-based as file managers
 * show it: "512 bytes", "180 KB" (rounded up), "3.2 MB"; "180 Ko",
 * "3,2 Mo" (fr). Keys file_size_bytes (plural forms), file_size_kb,
 * file_size_mb, each with {{size}}. Caller frees. */
char *view_size_text(const i18n *t, size_t n);
/* One offer as partners.geojson carries it (README, "Exports"); page_url
 * is the institution page's absolute URL, ending in "/", which its
 * forms' URLs start with. */
cJSON *export_offer(const institution *in, const offer *o,
		    const char *page_url);

/* paging.c */
/* A network, country or elective page lists at most paging_size
 * institutions (site.yml's page_size, PM_DEFAULT_PAGE_SIZE when unset);
 * a longer list goes on over numbered pages (routes.h: page 2 at
 * networks/<slug>/page/2/). Members keep the directory's order. */
size_t paging_size(const render_ctx *r);
/* The pages a list of `members` institutions takes: at least 1. */
size_t paging_pages(const render_ctx *r, size_t members);
/* Where page `page` (from 1) starts in its list: an index of it. */
size_t paging_first(const render_ctx *r, int page);
/* The positions in r->by_country of the institutions `only` keeps, in
 * order; their number in *n. A fresh array the caller frees. */
size_t *paging_members(const render_ctx *r, inst_filter only, size_t *n);
/* v's "countries", as the whole listing has them (view_country_group,
 * with `only`) but holding the n institutions at positions pos[0..n)
 * of by_country alone: the members one page shows. */
void paging_add_groups(const render_ctx *r, cJSON *v, const size_t *pos,
		       size_t n, inst_filter only);
/* The pagination of page `at` of a listing of `pages` pages
 * (themes/README.md, "paging"): {current, total, prev_href, next_href,
 * pages[{number, label, href, current} or {gap}]}, numbers in the
 * language's digits, hrefs from the root. NULL when there is one page:
 * a short listing shows no pagination at all. */
cJSON *view_paging(const render_ctx *r, route at, size_t pages);

/* exports.c */
int export_geojson(const render_ctx *r, buf_t *out);
/* export_geojson handing out over to flush(arg, out) each time it holds
 * EXPORT_PIECE bytes or more, and at the end; flush writes them and
 * empties out (0), or fails (-1, which stops the export: -1). The file
 * is the same bytes; the build never holds more than a piece of it. */
typedef int (*export_flush)(void *arg, buf_t *out);
#define EXPORT_PIECE ((size_t)256 << 10)
int export_geojson_each(const render_ctx *r, buf_t *out, export_flush flush,
			void *arg);
/* A file that one of the *_each functions above makes in pieces: it
 * appends to out and hands each piece to flush(arg, out), and the last
 * one too; 0 or -1. */
typedef int (*render_each)(const render_ctx *r, buf_t *out, export_flush flush,
			   void *arg);
/* Write rel (as render_write: under the language's folder) as each makes
 * it, one piece at a time through the stage (stage_stream_*), so that the
 * build never holds the file whole. pieces: rel holds one piece per
 * institution, which each makes through a splice (render/splice.h) when
 * the flush it is given is splice_flush: the last build's pieces are
 * copied where r->reuse has them. 0, or -1 with a diagnostic. */
int render_write_streamed(const render_ctx *r, const char *rel,
			  render_each each, int pieces);
/* The splice a render_each was given (arg) when flush is splice_flush;
 * else NULL. */
render_splice *render_splice_of(export_flush flush, void *arg);
int export_csv(const render_ctx *r, buf_t *out);
/* export_csv in pieces, as export_geojson_each hands them out (33 MB at
 * 100,000 institutions, never held whole). */
int export_csv_each(const render_ctx *r, buf_t *out, export_flush flush,
		    void *arg);
/* partners.csv's header line, and the row of institution i, without the
 * CRLF that ends them in the file: fresh strings. The home page holds
 * them for the script that downloads the filtered list. */
char *export_csv_head_line(void);
char *export_csv_row_line(const render_ctx *r, size_t i);
/* partners.csv with the institutions `only` keeps (RFC 4180), handed
 * out in pieces as export_geojson_each does (flush NULL: all of it stays
 * in out). */
int export_csv_where(const render_ctx *r, inst_filter only, buf_t *out,
		     export_flush flush, void *arg);
/* Write rel as render_write_streamed does, made by
 * export_csv_where(r, only, ...): an elective's CSV, 30 MB at 100,000
 * institutions, is never held whole. 0, or -1 with a diagnostic. */
int render_write_csv_streamed(const render_ctx *r, const char *rel,
			      inst_filter only);
int export_sitemap(const render_ctx *r, buf_t *out);
/* export_sitemap in pieces, as export_geojson_each hands them out. */
int export_sitemap_each(const render_ctx *r, buf_t *out, export_flush flush,
			void *arg);
int export_feed(const render_ctx *r, buf_t *out);

#endif
