/* site.h - the model the pipeline stages share.
 *
 * load fills it, check validates it, locate adds geography, render and
 * publish only read it. Every string is owned by the model and freed by
 * site_free(). Every value an editor wrote keeps where it came from
 * (srcpos) so any later stage can point a message at it. */
#ifndef PM_SITE_H
#define PM_SITE_H

#include <stddef.h>

#include "record_kind.h"
#include "util/diag.h"

typedef struct srcpos {
	const char *path; /* points into the owning record's path */
	int line, col;    /* 1-based; 0 when unknown */
} srcpos;

/* A list of strings in one allocation: v holds n pointers, a NULL, then
 * the strings they point to, so a record's dozen short lists (networks,
 * exchanges, an offer's disciplines...) take a dozen blocks, not one per
 * word (some 400 bytes a record). Made by strlist_pack or
 * strlist_append, never by storing strings allocated apart in v;
 * strlist_free frees the block. {NULL, 0} is the empty list. */
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
	int name_refused;     /* name: was given but refused (reported): no
				 second error says that it is missing */
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

/* A file of an institution's page bundle (content/institutions/<slug>/),
 * published next to its page: a form, the photo, a file the body links.
 * Read at load through util/safefs.h (a regular file inside the site,
 * at most PM_MAX_BUNDLE_FILE bytes). */
typedef struct bundle_file {
	char *name;           /* its name in the bundle folder: "form.pdf" */
	char *data;           /* its bytes (owned) */
	size_t size;          /* in bytes */
} bundle_file;

/* A file an offer lists under forms:, as {file: form.pdf, title: ...}
 * or just the file's name. */
typedef struct offer_form {
	char *file;           /* a name of in->files (checked at load) */
	char *title;          /* as written, or NULL: pages show the name */
} offer_form;

/* fee: {amount: 250, currency: EUR}, or "waived" for network members. */
typedef struct offer_fee {
	int given;            /* 0: fee was left out */
	int waived;
	double amount;        /* >= 0, in units of currency */
	char currency[4];     /* ISO 4217 alphabetic code, "EUR" */
} offer_fee;

/* Whom a student writes to about one offer. Each NULL when not given. */
typedef struct offer_contact {
	char *name, *role;
	char *email;          /* checked as institution.email (fields.h) */
} offer_contact;

/* Months of the year as a set: bit m-1 stands for month m (1 January). */
#define PM_ALL_MONTHS 0xFFFu

/* One elective offer (electives:). Every field but type may be absent:
 * a list is empty, a number 0, a string NULL. The short form
 * "electives: [clinical]" is an offer with only its type. */
typedef struct offer {
	char *type;           /* "clinical", "research" or "observership" */
	strlist disciplines;  /* slugs of site_config.disciplines */
	strlist levels;       /* subset of {undergraduate, postgraduate}, in
				 that order */
	strlist languages;    /* BCP 47 tags (RFC 5646), as written */
	int weeks_min, weeks_max; /* duration in weeks, 1..104, min <= max;
				 0 when not given */
	int capacity;         /* places a year, >= 1; 0 when not given */
	unsigned months;      /* PM_ALL_MONTHS bits; 0 when not given */
	char *apply_by;       /* "YYYY-MM-DD", or NULL */
	int apply_weeks;      /* apply this many weeks ahead; 0 when not given */
	offer_fee fee;
	char *requirements_html; /* rendered Markdown (safe), or NULL */
	offer_form *forms;
	size_t nforms;
	offer_contact contact;
	srcpos pos;           /* the offer in the record */
} offer;

/* The photo: a file of the bundle, its text alternative and its size in
 * pixels read from the file's header (0 when that could not be read). */
typedef struct inst_photo {
	char *file;           /* NULL: no photo */
	char *alt;            /* never empty when file is set */
	int width, height;
} inst_photo;

typedef struct institution {
	char *slug;           /* file name without .md */
	char *path;           /* "content/institutions/<slug>.md" */
	char *name;
	char *local_name;     /* the name in its own language, or NULL */
	char *country;        /* upper-case alpha-2 */
	char *city;
	double lat, lon;      /* WGS 84 degrees */
	int has_location;     /* 0 until location: or a point shapefile set it */
	/* the record number from 1 of an empty point (no coordinates) that
	 * map.points gives this record, 0 when none: the record is told of
	 * it rather than asked for a point it has */
	int point_empty;
	strlist networks;     /* network slugs, as written */
	strlist exchanges;    /* subset of {undergraduate, postgraduate} */
	strlist electives;    /* the types of offers[], as a subset of
				 {clinical, research, observership} in that
				 order */
	offer *offers;        /* in the order written */
	size_t noffers;
	strlist professions;  /* as written */
	strlist languages_of_instruction; /* BCP 47 tags */
	char *housing_html;   /* rendered Markdown (safe), or NULL */
	inst_photo photo;
	char *updated;        /* "YYYY-MM-DD": information last confirmed;
				 never after the build's day; or NULL */
	char *bundle;         /* "content/institutions/<slug>" for a page
				 bundle (index.md), else NULL */
	bundle_file *files;   /* the bundle's files the page links, in name
				 order, published next to the page */
	size_t nfiles;
	char *website;        /* http(s) URL or NULL */
	char *email;          /* or NULL */
	char *joined;         /* "YYYY-MM-DD" or NULL */
	char *body_html;      /* rendered Markdown (safe), never NULL */
	srcpos pos;           /* start of the front matter */
	srcpos pos_country, pos_location;
	srcpos pos_name;      /* its name's value (line 0: none read) */
	unsigned fallback;    /* in a language view (load.h, site_in_language):
				 PM_FALLBACK_* bits of the texts shown in the
				 default language; 0 in the loaded model */
	/* filled by locate: index into the basemap's features, or -1 */
	int feature;
	/* SHA-256 (FIPS 180-4) of the record file's bytes as read, and of
	 * its front matter alone (every byte before the body, fences
	 * included), set by the loader: pages kept from the last build
	 * compare them (publish/reuse.h), the second for pages that show no
	 * body. All zero for an institution made in memory. */
	unsigned char digest_file[32], digest_head[32];
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
	srcpos pos_name;      /* its name's value (line 0: none read) */
	unsigned fallback;    /* as institution.fallback */
	int stand_in;         /* its file had errors: kept with stand-in values
				 (its slug for a name it lacks), so that the
				 records naming it get no second error */
	int unread;           /* a stand-in for a file not read at all, for
				 its name or its place (told there) */
} network;

typedef struct page {
	char *slug, *path;
	char *title;
	int menu;             /* menu order; pages sort by (menu, slug) */
	int has_menu;
	char *body_html;
	srcpos pos;
	unsigned fallback;    /* as institution.fallback */
} page;

/* Which texts of a record a language view shows in the default language,
 * because its translation file leaves them out (or there is none). */
#define PM_FALLBACK_NAME 1u  /* name (a page's title) */
#define PM_FALLBACK_BODY 2u  /* the Markdown body */
#define PM_FALLBACK_DESCRIPTION 4u /* a network's description */


/* A translation file: the texts of one record in one of site.yml's other
 * languages, from <slug>.<lang>.md beside the record (index.<lang>.md in
 * a page bundle). Each text is NULL when the file leaves it out: the
 * default-language record's text is shown instead. */
/* A body's link to a file beside its page, by a bare name (decoded), and
 * where the body's text names it; or, when broken is set, a link relative
 * to the page that no file the build writes can answer: name is then its
 * address as written, and broken why, as a sentence tail for "the body
 * links to '<name>', ..." (offers.h, offers_linked_files). Both owned. */
typedef struct linked_file {
	char *name;
	char *broken;
	int line, col;
	int held;     /* a translation's: the page bundle it is in holds a
			 file of that name (load sets it), else 0 */
	int remote;   /* a picture from another site (name: its address,
			 http:, https: or //host, without query or
			 fragment), not a file: told by offers_remote_image */
	size_t more;  /* the body's further links to the same name, after
			 this one (the first): told with it, not each */
} linked_file;

typedef struct translation {
	record_kind kind;
	char *slug;           /* the record it translates */
	char *lang;           /* a tag of site_config.languages, not the first */
	char *path;           /* "content/pages/about.fr.md" */
	char *name;           /* name, or a page's title */
	char *city;           /* institutions only */
	char *description;    /* networks only: one line of plain text */
	char *body_html;      /* rendered Markdown (safe); NULL for an empty
				 body */
	linked_file *links;   /* institutions: its body's links to files
				 beside the page, checked against the
				 record's files once all is read */
	size_t nlinks;
	srcpos pos;
} translation;

typedef struct map_config {
	char *basemap;        /* path to the .shp, relative to the site folder */
	char *iso_field;      /* DBF field with the ISO alpha-3 code ("iso_a3") */
	char *name_field;     /* DBF field with the country name ("name") */
	char *projection;     /* "equal-earth" | "robinson" | ... | PROJ string */
	srcpos projection_at; /* its value in site.yml, or site.yml 1:1 */
	int projection_text_col; /* the column of its text's first character
				    when written as it is (fm_node.text_col),
				    else 0 */
	double simplify;      /* share of vertices (by weight) to keep, 0..1 */
	int graticule;        /* draw the 30-degree graticule */
	char *points;         /* optional point shapefile with locations */
	char *points_slug_field;
	/* where site.yml names basemap and points (line 0: it does not; the
	 * basemap is then the default) */
	srcpos basemap_at, points_at;
} map_config;

/* One discipline of site.yml's disciplines: vocabulary. */
typedef struct discipline {
	char *slug;           /* "internal-medicine" */
	char *name;           /* "Internal medicine" */
} discipline;

/* The default bundle file size above which a build warns (large-file). */
#define PM_DEFAULT_MAX_FILE_SIZE (5ul << 20)

/* site.yml's page_size: how many institutions one page of a network,
 * country or elective listing shows (render/paging.c); a longer list is
 * split into numbered pages. */
#define PM_DEFAULT_PAGE_SIZE 100
#define PM_MIN_PAGE_SIZE 10
#define PM_MAX_PAGE_SIZE 1000

/* The theme that comes with partnermap (installed under its data folder),
 * site.yml's theme: when it names none. */
#define PM_THEME_DEFAULT "default"

typedef struct site_config {
	char *title;
	char *base_url;       /* ends with "/" */
	char *language;       /* "en": the default language, the first of
				 languages */
	srcpos language_at;   /* its value in site.yml, or site.yml 1:1 */
	srcpos *languages_at; /* where site.yml writes each of languages
				 (its entries' order), or NULL without
				 languages: */
	/* Every language the site is built in, the default first: site.yml's
	 * languages:, else just language. Never empty once loaded. A
	 * language view (load.h) shares the loaded model's list. */
	strlist languages;
	char *theme;          /* "default" */
	srcpos theme_at;      /* its value in site.yml, or site.yml 1:1 */
	char *description;
	char *intro;          /* optional intro sentence for the home page */
	char *sample_note;    /* optional banner, e.g. "sample data" */
	map_config map;
	/* disciplines: the vocabulary offers draw from; the built-in one
	 * (load/offers.c) when site.yml gives none */
	discipline *disciplines;
	size_t ndisciplines;
	int disciplines_builtin; /* 1 when they are the built-in list, whose
				    names pages show in their language */
	size_t max_file_size; /* bytes: a larger bundle file is a warning */
	size_t page_size;     /* institutions per listing page; 0 before
				 the defaults are filled in */
	site_country *countries; /* site.yml's countries:, in its order */
	size_t ncountries;
	/* checks: what to do with each named warning (util/diag.h); the
	 * build adds --strict */
	diag_policy checks;
	unsigned fallback;    /* in a language view: PM_SITE_* of the texts
				 shown in the default language; else 0 */
	int unread;           /* site.yml could not be read or parsed (that
				 was reported): its settings are unknown, so
				 checks that depend on them are left out */
	int shared_failed;    /* a setting that the content's checks, the
				 map or the theme read (languages, theme,
				 map, countries, disciplines, checks,
				 max_file_size) gave an error: unread too */
} site_config;

/* site.yml's texts in another of the site's languages, from
 * site.<lang>.yml beside it (load/config.c, site_texts_load). Each text is
 * NULL when the file leaves it out: the default language's is shown, and
 * a language view marks it in site_config.fallback. */
typedef struct site_texts {
	char *lang;           /* a tag of site_config.languages, not the first */
	char *path;           /* "site.fr.yml" */
	char *title, *description, *intro, *sample_note;
} site_texts;

void site_texts_free(site_texts *t);

/* Which of site.yml's texts a language view (site_in_language) shows in
 * the default language, for want of one in site.<lang>.yml: pages mark
 * them lang="<default>". Only texts site.yml gives are marked. */
enum {
	PM_SITE_TITLE = 1u,
	PM_SITE_DESCRIPTION = 2u,
	PM_SITE_INTRO = 4u,
	PM_SITE_SAMPLE_NOTE = 8u,
};

/* A record left out of the build for its errors (an institution, a free
 * page or a translation), whose Markdown's links to the site's own pages
 * are checked all the same (load.h, links_check): an editor is told every
 * problem of the file in one run, not the links once the rest is fixed. */
typedef struct refused_page {
	char *path;  /* the record's file, relative to the site folder */
	char *dir;   /* the folder its page would have in the output, its
			links' base: "institutions/x/", "fr/about/" */
	int values;  /* an institution's own record: its housing: and
			electives' requirements: are Markdown too */
	int translation; /* a translation: its page is still written, in
			    the default language's words */
	char *lang;  /* a translation into a language site.yml does not
			list: that language (its links climb to its folder,
			as to a language's), owned; else NULL */
} refused_page;

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
	translation *tr;      /* translation files, in the order read */
	size_t ntr;
	/* while the load runs: tr by kind, slug and language, an open
	 * addressing table of 1 + an index of tr per used slot (tr_cap a
	 * power of two, 0 when there is none); freed when the load ends */
	size_t *tr_slot;
	size_t tr_cap;
	site_texts *stx;      /* site.<lang>.yml files, in the order read */
	size_t nstx;
	/* set by the load, so that one run reports every problem it can and
	 * nothing untrue: settings_failed when site.yml could not be read or
	 * a setting the content, the map or the theme read gave an error
	 * (site_config.shared_failed, or the countries: table): the content
	 * is not loaded, and nothing after it runs, as each would be checked
	 * against settings site.yml does not have; inst_refused when an
	 * institution record (or a file that may be one) was left out for
	 * its errors, so who belongs to a network is not fully known */
	int settings_failed;
	int inst_refused;
	/* map.points named a point file that gave an error: the records
	 * waiting for a point are not told they have none */
	int points_failed;
	/* content/networks could not be listed (said): which networks exist
	 * is not known, so no record's network is called unknown */
	int nets_unlisted;
	/* the slugs of the institution records the load left out (drafts,
	 * and records refused for their errors), sorted: a point file's
	 * point for one names a record that exists */
	strlist inst_left_out;
	/* the records refused for their errors, in load order */
	refused_page *refused;
	size_t nrefused;
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
void translation_free(translation *t);
/* The folder of t's page in the output, below its language's: a fresh
 * "fr/institutions/x/", "fr/networks/x/" or "fr/about/" (render/routes.h). */
char *translation_dir(const translation *t);
void strlist_free(strlist *l);
/* Make *l (freed first) the list of copies of words[0..n), in order. */
void strlist_pack(strlist *l, const char *const *words, size_t n);
/* strlist_pack, then free words[0..n) and the array words. */
void strlist_take(strlist *l, char **words, size_t n);
/* Add a copy of word at the end of *l (the list is made anew: for short
 * lists). */
void strlist_append(strlist *l, const char *word);
/* The items joined by single spaces ("undergraduate postgraduate"), as a
 * fresh string; "" for an empty list. */
char *strlist_join(const strlist *l);

void offer_free(offer *o);
/* The discipline called slug in cfg's vocabulary, or NULL. */
const discipline *site_discipline(const site_config *cfg, const char *slug);
/* Whether slug is an institution the load left out (site.inst_left_out:
 * a draft, or a record refused for its errors). */
int site_left_out(const site *s, const char *slug);
/* Note the record at path, refused for its errors, whose page's folder
 * would be dir (site.refused; both copied). */
void site_refused_page(site *s, const char *path, const char *dir,
		       int values, int of_translation);
/* The bundle file called name in in, or NULL. */
const bundle_file *inst_file(const institution *in, const char *name);

/* Lookups (hash or binary search, never linear over records). */
const country *country_by_alpha2(const country_table *t, const char *a2);
const country *country_by_alpha3(const country_table *t, const char *a3);
const network *site_network(const site *s, const char *slug);
const institution *site_institution(const site *s, const char *slug);

#endif
