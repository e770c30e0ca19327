/* site.h - the model the pipeline stages share.
 *
 * load fills it, check validates it, locate adds geography, render and
 * publish only read it. Every string is owned by the model and freed by
 * site_free(). Every value an editor wrote keeps where it came from
 * (srcpos) so any later stage can point a message at it. */
#ifndef PM_SITE_H
#define PM_SITE_H

#include <stddef.h>

#include "util/diag.h"

typedef struct srcpos {
	const char *path; /* points into the owning record's path */
	int line, col;    /* 1-based; 0 when unknown */
} srcpos;

typedef struct strlist {
	char **v;
	size_t n;
} strlist;

/* One country: ISO 3166-1 from iso-codes' JSON, Kosovo (XK, as CLDR
 * has it), and those site.yml's countries: adds. */
typedef struct country {
	char alpha2[3];   /* "UG" */
	char alpha3[4];   /* "UGA"; "XKX" for Kosovo, "X" + alpha2 for a
			     country of site.yml */
	char *name;       /* common_name when iso-codes has one, else name */
	char *official;   /* official_name or NULL */
	/* How the basemap marks it when not by alpha3 in map.iso_field: a
	 * .dbf field (NULL: map.name_field) holding basemap_value; both NULL
	 * when site.yml does not say. */
	char *basemap_field, *basemap_value;
	srcpos basemap_at; /* where site.yml says it */
} country;

/* An entry of site.yml's countries: a new country (an alpha-2 code
 * that ISO 3166-1 leaves free, such as a user-assigned X? code), or how
 * the basemap marks a known one. */
typedef struct site_country {
	char alpha2[3];       /* upper case */
	char *name;           /* required for a new code; NULL keeps the name */
	char *basemap_field;  /* NULL: map.name_field */
	char *basemap_value;  /* NULL: found by alpha-3 code, then by name */
	srcpos pos, basemap_at;
} site_country;

typedef struct country_table {
	country *v;
	size_t n;
	/* open-addressing index over alpha2 and alpha3 (see load/iso.c) */
	int *by2, *by3;
	size_t nslots;
} country_table;

/* A location's range in WGS 84 degrees: latitude within [-PM_LAT_MAX,
 * PM_LAT_MAX], longitude within [-PM_LON_MAX, PM_LON_MAX]. */
#define PM_LAT_MAX 90.0
#define PM_LON_MAX 180.0

typedef struct institution {
	char *slug;           /* file name without .md */
	char *path;           /* "content/institutions/<slug>.md" */
	char *name;
	char *local_name;     /* the name in its own language, or NULL */
	char *country;        /* upper-case alpha-2 */
	char *city;
	double lat, lon;      /* WGS 84 degrees */
	int has_location;     /* 0 until location: or a point shapefile set it */
	strlist networks;     /* network slugs, as written */
	strlist exchanges;    /* subset of {undergraduate, postgraduate} */
	strlist electives;    /* subset of {clinical, research, observership} */
	char *website;        /* http(s) URL or NULL */
	char *email;          /* or NULL */
	char *joined;         /* "YYYY-MM-DD" or NULL */
	char *body_html;      /* rendered Markdown (safe), never NULL */
	srcpos pos;           /* start of the front matter */
	srcpos pos_country, pos_location;
	/* filled by locate: index into the basemap's features, or -1 */
	int feature;
} institution;

typedef struct network {
	char *slug, *path;
	char *name;
	char *kind;           /* "global" or "regional" */
	char *colour;         /* "#rrggbb" */
	char *description;    /* one-line plain text, or NULL */
	char *body_html;
	int index;            /* 0-based position in slug order, which picks
				 the default colour; marker shapes follow
				 the display order (geo/shapes.h) */
	srcpos pos;
} network;

typedef struct page {
	char *slug, *path;
	char *title;
	int menu;             /* menu order; pages sort by (menu, slug) */
	int has_menu;
	char *body_html;
	srcpos pos;
} page;

typedef struct map_config {
	char *basemap;        /* path to the .shp, relative to the site folder */
	char *iso_field;      /* DBF field with the ISO alpha-3 code ("iso_a3") */
	char *name_field;     /* DBF field with the country name ("name") */
	char *projection;     /* "equal-earth" | "robinson" | ... | PROJ string */
	srcpos projection_at; /* its value in site.yml, or site.yml 1:1 */
	double simplify;      /* share of vertices (by weight) to keep, 0..1 */
	int graticule;        /* draw the 30-degree graticule */
	char *points;         /* optional point shapefile with locations */
	char *points_slug_field;
} map_config;

typedef struct site_config {
	char *title;
	char *base_url;       /* ends with "/" */
	char *language;       /* "en" */
	char *theme;          /* "default" */
	srcpos theme_at;      /* its value in site.yml, or site.yml 1:1 */
	char *description;
	char *intro;          /* optional intro sentence for the home page */
	char *sample_note;    /* optional banner, e.g. "sample data" */
	map_config map;
	site_country *countries; /* site.yml's countries:, in its order */
	size_t ncountries;
	/* checks: what to do with each named warning (util/diag.h); the
	 * build adds --strict */
	diag_policy checks;
	int unread;           /* site.yml could not be read or parsed (that
				 was reported): its settings are unknown, so
				 checks that depend on them are left out */
} site_config;

typedef struct site {
	char *dir;            /* the site folder as given */
	site_config cfg;
	institution *inst;    /* sorted by slug; drafts are not loaded */
	size_t ninst;
	network *net;         /* sorted by slug */
	size_t nnet;
	page *pages;          /* sorted by (menu, slug) */
	size_t npages;
	country_table countries;
} site;

void site_init(site *s);
void site_free(site *s);
/* Free the strings and tables of one part of the model and zero it, so a
 * second call is harmless (site_free does all of them). */
void config_free(site_config *cfg);
void countries_free(country_table *t);
void institution_free(institution *in);
void network_free(network *net);
void page_free(page *pg);
void strlist_free(strlist *l);
/* The items joined by single spaces ("undergraduate postgraduate"), as a
 * fresh string; "" for an empty list. */
char *strlist_join(const strlist *l);

/* Lookups (hash or binary search, never linear over records). */
const country *country_by_alpha2(const country_table *t, const char *a2);
const country *country_by_alpha3(const country_table *t, const char *a3);
const network *site_network(const site *s, const char *slug);
const institution *site_institution(const site *s, const char *slug);

#endif
