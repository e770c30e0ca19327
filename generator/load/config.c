/* config.c - site.yml: the site's title, address and map settings. */
#include "load.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/safefs.h"
#include "../util/text_unicode.h"
#include "fields.h"
#include "offers.h"
#include "keys.h"
#include "offers.h"

static void default_text(char **field, const char *value)
{
	if (!*field)
		*field = xstrdup(value);
}

/* Fill what site.yml left out. graticule's default (on) is applied when
 * parsing starts, since 0 is a value an editor can choose. */
static void fill_defaults(site_config *cfg)
{
	default_text(&cfg->language, "en");
	default_text(&cfg->theme, PM_THEME_DEFAULT);
	default_text(&cfg->map.basemap, "geodata/naturalearth_lowres.shp");
	default_text(&cfg->map.iso_field, "iso_a3");
	default_text(&cfg->map.name_field, "name");
	default_text(&cfg->map.projection, "equal-earth");
	default_text(&cfg->map.points_slug_field, "slug");
	if (!cfg->page_size)
		cfg->page_size = PM_DEFAULT_PAGE_SIZE;
	offers_defaults(cfg);
}

/* base_url: http(s) with a host, no query or fragment, ending in "/". */
static void read_base_url(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (field_required_text(c, v, &cfg->base_url) < 0)
		return;
	const char *why = NULL;
	if (check_http_url(cfg->base_url, &why) < 0)
		field_bad_url(c, v, cfg->base_url, why, "");
	else if (strpbrk(cfg->base_url, "?#"))
		diag_error(c->d, c->path, v->line, v->col,
			   "base_url must not have a query (?) or fragment (#): "
			   "remove everything from the ? or # on");
	else {
		char *url = url_normalise(cfg->base_url);
		free(cfg->base_url);
		cfg->base_url = url;
		if (url[strlen(url) - 1] != '/') {
			cfg->base_url = xasprintf("%s/", url);
			free(url);
		}
	}
}

/* A language tag such as "en" or "pt-BR": it lands in <html lang>, in
 * RFC 5646's case (language_tag_case: "PT-br" is pt-BR). */
static void read_language(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (field_text(c, v, &cfg->language) < 0 || !cfg->language)
		return;
	cfg->language_at = (srcpos){c->path, v->line, v->col};
	const char *why = NULL;
	char *meant = offers_language_tag_for(cfg->language, &why);
	/* en_US, as locales are written: the tag is en-US */
	char dashed[64];
	if (meant)
		diag_error(c->d, c->path, v->line, v->col,
			   "language must be a language tag such as en or pt-BR; "
			   "'%s' %s: write %s", cfg->language, why, meant);
	else if (language_tag_of_locale(cfg->language, dashed, sizeof dashed) == 0)
		diag_error(c->d, c->path, v->line, v->col,
			   "language must be a language tag such as en or pt-BR, "
			   "written with a dash: write %s", dashed);
	else if (check_language_tag(cfg->language) < 0)
		diag_error(c->d, c->path, v->line, v->col,
			   "language must be a language tag such as en or pt-BR");
	else if (language_is_none(cfg->language))
		diag_error(c->d, c->path, v->line, v->col,
			   "language '%s' is ISO 639's code for %s, which no page "
			   "is written in: write the tag of the site's language, "
			   "such as en, fr or pt-BR", cfg->language,
			   language_is_none(cfg->language));
	else if (!text_language_known(cfg->language))
		diag_error(c->d, c->path, v->line, v->col,
			   "'%s' is not a language CLDR (the Unicode locale "
			   "data) knows: write its tag, such as en, fr or pt-BR",
			   cfg->language);
	else
		language_tag_case(cfg->language);
	free(meant);
}

/* languages: [en, fr]: the languages the site is built in, the default
 * first. Each a language tag, kept in RFC 5646's case (language_tag_case:
 * FR is fr, the folder of its pages and their lang), each once (FR after
 * fr is listed twice); the first is the default language, which language:
 * (when also given) must name. Left empty, it is as if not given: the
 * site is in language: alone. */
static void read_languages(field_ctx *c, const fm_node *v, site_config *cfg)
{
	const fm_node *items;
	size_t n;
	strlist_free(&cfg->languages);
	free(cfg->languages_at);
	cfg->languages_at = NULL;
	if (field_list(c, v, &items, &n) < 0)
		return;
	cfg->languages_at = xcalloc(n + 1, sizeof *cfg->languages_at);
	for (size_t i = 0; i < n; i++) {
		char *tag = NULL;
		if (field_required_text(c, &items[i], &tag) < 0)
			continue;
		const char *why = NULL;
		char *meant = offers_language_tag_for(tag, &why);
		char dashed[64];
		if (meant)
			diag_error(c->d, c->path, items[i].line, items[i].col,
				   "'%s' %s: write %s", tag, why, meant);
		else if (language_tag_of_locale(tag, dashed, sizeof dashed) == 0)
			diag_error(c->d, c->path, items[i].line, items[i].col,
				   "'%s' is written as a locale, with an "
				   "underscore: write %s", tag, dashed);
		else if (check_language_tag(tag) < 0)
			diag_error(c->d, c->path, items[i].line, items[i].col,
				   "'%s' is not a language tag: write a BCP 47 tag "
				   "such as en, fr or pt-BR", tag);
		if (meant || check_language_tag(tag) < 0) {
			free(meant);
			free(tag);
			continue;
		}
		if (!text_language_known(tag) || language_is_none(tag)) {
			/* pages in English under its folder, marked as it */
			if (language_is_none(tag))
				diag_error(c->d, c->path, items[i].line,
					   items[i].col, "'%s' is ISO 639's code "
					   "for %s, which no page is written in: "
					   "write a language's tag, such as en, fr "
					   "or pt-BR", tag, language_is_none(tag));
			else
				diag_error(c->d, c->path, items[i].line,
					   items[i].col, "'%s' is not a language "
					   "CLDR (the Unicode locale data) knows: "
					   "write its tag, such as en, fr or pt-BR",
					   tag);
			free(tag);
			continue;
		}
		char *written = xstrdup(tag);
		language_tag_case(tag);
		size_t k = 0;
		while (k < cfg->languages.n && strcmp(cfg->languages.v[k], tag))
			k++;
		if (k < cfg->languages.n) {
			/* "FR" after "fr": say why they are the same */
			int other_case = strcmp(written, tag) != 0;
			diag_error(c->d, c->path, items[i].line, items[i].col,
				   "'%s' is listed twice in languages%s%s%s: "
				   "list each language once", written,
				   other_case ? " (a tag's case does not count: "
						"it is " : "",
				   other_case ? tag : "", other_case ? ")" : "");
			free(tag);
			tag = NULL;
		}
		free(written);
		if (!tag)
			continue;
		cfg->languages_at[cfg->languages.n] =
			(srcpos){c->path, items[i].line, items[i].col};
		strlist_append(&cfg->languages, tag);
		free(tag);
	}
}

/* The site in one language, language:. */
static void one_language(site_config *cfg)
{
	strlist_free(&cfg->languages);
	free(cfg->languages_at);
	cfg->languages_at = NULL;
	strlist_append(&cfg->languages, cfg->language);
}

/* language: and languages: together must agree on the default, which
 * languages: lists first; without languages:, the site has one. */
static void settle_languages(field_ctx *c, const fm_node *root,
			     site_config *cfg)
{
	const fm_node *v = fm_get(root, "languages");
	if (!cfg->languages.n) {
		one_language(cfg);
		return;
	}
	const char *first = cfg->languages.v[0];
	if (fm_get(root, "language") && v && strcmp(cfg->language, first))
		diag_error(c->d, c->path, v->line, v->col,
			   "language is %s but languages starts with %s: the "
			   "first of languages is the default language; remove "
			   "language, or put %s first", cfg->language, first,
			   cfg->language);
	free(cfg->language);
	cfg->language = xstrdup(first);
	if (v)
		cfg->language_at = (srcpos){c->path, v->line, v->col};
}

/* A theme is a folder name under themes/: no paths. */
static void read_theme(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (field_text(c, v, &cfg->theme) < 0 || !cfg->theme)
		return;
	cfg->theme_at = (srcpos){c->path, v->line, v->col};
	const char *s = cfg->theme;
	int ok = s[0] != '.';
	for (; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || strchr("._-", *s);
	if (!ok)
		diag_error(c->d, c->path, v->line, v->col,
			   "theme must be the name of a folder in themes/");
}

/* A whole number of institutions per page, within the bounds of site.h:
 * fewer would make thousands of pages, more a page too heavy for a
 * phone. */
static int fits_page_size(const char *s)
{
	double n = strtod(s, NULL);
	return field_is_whole(s, 0) && n >= PM_MIN_PAGE_SIZE &&
	       n <= PM_MAX_PAGE_SIZE;
}

static void read_page_size(field_ctx *c, const fm_node *v, site_config *cfg)
{
	char rule[64];
	snprintf(rule, sizeof rule, "a whole number from %d to %d",
		 PM_MIN_PAGE_SIZE, PM_MAX_PAGE_SIZE);
	if (v->type == FM_NULL ||
	    field_number_quoted(c, v, "page_size", fits_page_size, rule) < 0 ||
	    field_number_fits(c, v, "page_size", fits_page_size) < 0)
		return;
	if (v->type != FM_NUMBER || !fits_page_size(v->text)) {
		/* the nearest size there is: 20 for 20.0, 10 for 5, 1000
		 * for 2000; else the default */
		double n = v->type == FM_NUMBER ? v->num : NAN;
		long meant = !isfinite(n) ? PM_DEFAULT_PAGE_SIZE :
			     n < PM_MIN_PAGE_SIZE ? PM_MIN_PAGE_SIZE :
			     n > PM_MAX_PAGE_SIZE ? PM_MAX_PAGE_SIZE :
			     n == floor(n) ? (long)n : PM_DEFAULT_PAGE_SIZE;
		diag_error(c->d, c->path, v->line, v->col,
			   "page_size must be a whole number from %d to %d, "
			   "the institutions one network, country or elective "
			   "page lists, not '%s': write page_size: %ld, or leave "
			   "it out for %d", PM_MIN_PAGE_SIZE, PM_MAX_PAGE_SIZE,
			   fm_is_scalar(v) ? v->text : fm_type_name(v->type),
			   meant, PM_DEFAULT_PAGE_SIZE);
	} else
		cfg->page_size = (size_t)v->num;
}

/* The share of border detail kept: more than 0, at most 1. */
static int fits_simplify(const char *s)
{
	char *end;
	double share = strtod(s, &end);
	return !*end && share > 0 && share <= 1;
}

static void read_simplify(field_ctx *c, const fm_node *v, map_config *map)
{
	double share;
	if (v->type == FM_NULL ||
	    field_number_quoted(c, v, "simplify", fits_simplify,
				"a number greater than 0 and at most 1") < 0 ||
	    field_number_fits(c, v, "simplify", fits_simplify) < 0 ||
	    field_number(c, v, &share) < 0)
		return;
	if (!(share > 0 && share <= 1))
		diag_error(c->d, c->path, v->line, v->col,
			   "simplify must be a number greater than 0 and at most "
			   "1, not %s: write the share of border detail to "
			   "keep, such as 0.5, or leave it out", v->text);
	else
		map->simplify = share;
}

/* map.basemap and map.points name files of the site: relative to the
 * site folder and inside it. Symbolic links are followed only as far as
 * they stay inside, which is checked when the files are read (safefs.h). */
static void read_site_path(field_ctx *c, const fm_node *v, char **out,
			   const char *example)
{
	if (field_text(c, v, out) < 0 || !*out)
		return;
	if ((*out)[0] == '/')
		diag_error(c->d, c->path, v->line, v->col,
			   "map.%s must be a path relative to the site folder "
			   "(such as %s), not an absolute path: copy the files "
			   "into the site folder and name them from there",
			   v->key, example);
	else if (!sfs_rel_stays_inside(*out))
		diag_error(c->d, c->path, v->line, v->col,
			   "map.%s climbs out of the site folder with '..': copy "
			   "the files into the site folder and name them from "
			   "there (such as %s)", v->key, example);
}

static void read_basemap(field_ctx *c, const fm_node *v, map_config *map)
{
	read_site_path(c, v, &map->basemap, "geodata/naturalearth_lowres.shp");
	map->basemap_at = (srcpos){c->path, v->line, v->col};
}

static void read_points(field_ctx *c, const fm_node *v, map_config *map)
{
	read_site_path(c, v, &map->points, "geodata/partners.shp");
	map->points_at = (srcpos){c->path, v->line, v->col};
}

static void read_projection(field_ctx *c, const fm_node *v, map_config *map)
{
	field_text(c, v, &map->projection);
	map->projection_at = (srcpos){c->path, v->line, v->col};
	map->projection_text_col = v->text_col;
}

/* site.yml's map: mapping. The defaults are those of fill_defaults. */
static const key_spec map_keys[] = {
	{.key = "basemap", .type = KT_PATH, .read.map = read_basemap,
	 .help = "the world basemap: a shapefile (.shp with its .shx and .dbf) "
		 "inside the site folder",
	 .example = "geodata/naturalearth_lowres.shp",
	 .dflt = "geodata/naturalearth_lowres.shp"},
	{.key = "iso_field", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, map_config, iso_field),
	 .help = "the basemap's DBF field holding each country's ISO 3166-1 "
		 "alpha-3 code",
	 .example = "iso_a3", .dflt = "iso_a3"},
	{.key = "name_field", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, map_config, name_field),
	 .help = "the basemap's DBF field holding each country's name",
	 .example = "name", .dflt = "name"},
	{.key = "projection", .type = KT_TEXT, .read.map = read_projection,
	 .help = "equal-earth, robinson, natural-earth, mercator, "
		 "equirectangular, or a PROJ string",
	 .example = "equal-earth", .dflt = "equal-earth"},
	{.key = "simplify", .type = KT_NUMBER, .flags = KEY_MIN_EXCLUSIVE,
	 .read.map = read_simplify, .min = 0, .max = 1,
	 .help = "the share of border detail kept, more than 0 and at most 1; "
		 "left out, the map stage chooses",
	 .example = "0.5"},
	{.key = "graticule", .type = KT_BOOL,
	 KEY_MEMBER(KS_BOOL, map_config, graticule),
	 .help = "draw a 30-degree graticule behind the countries",
	 .example = "true", .dflt = "true"},
	{.key = "points", .type = KT_PATH, .read.map = read_points,
	 .help = "a point shapefile giving institutions their locations, for "
		 "records without location",
	 .example = "geodata/partners.shp"},
	{.key = "points_slug_field", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, map_config, points_slug_field),
	 .help = "the field of the points' DBF holding each institution's slug",
	 .example = "slug", .dflt = "slug"},
};

const key_table keys_map = {
	.kind = "map", .title = "site.yml map:", .where = "site.yml, under map:",
	.about = "The map's settings: the basemap, its fields, the projection.",
	.noun = "key", KEY_ROWS(map_keys)};

/* 1 when v is of type t; 0 when it is null (left empty) or, after an
 * error "<what>, not <its type>", of another type. */
static int of_type(field_ctx *c, const fm_node *v, fm_type t, const char *what)
{
	if (v->type == t)
		return 1;
	if (v->type != FM_NULL)
		diag_error(c->d, c->path, v->line, v->col, "%s, not %s", what,
			   fm_type_name(v->type));
	return 0;
}

static void read_map(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (!of_type(c, v, FM_MAP, "map must be a mapping of settings"))
		return;
	for (size_t i = 0; i < v->n; i++) {
		const fm_node *kid = &v->kids[i];
		const key_spec *k = keys_find(&keys_map, kid->key);
		if (!k)
			keys_unknown_in(c, v, kid, &keys_map);
		else if (!keys_store(c, kid, k, &cfg->map))
			k->read.map(c, kid, &cfg->map);
	}
}

/* One entry of checks: a check's name (util/diag_names.h) and what to do
 * with its warnings. An unknown name is itself a warning. */
static void read_check(field_ctx *c, const fm_node *v, diag_policy *p)
{
	check_id id = diag_check_by_name(v->key);
	if (id == CHECK_NONE) {
		const char *names[CHECK_COUNT];
		for (int i = 1; i < CHECK_COUNT; i++)
			names[i - 1] = diag_check_name((check_id)i);
		names[CHECK_COUNT - 1] = NULL;
		const char *best = hint_from(v->key, names);
		diag_warning(c->d, UNKNOWN_CHECK, c->path, v->key_line,
			     v->key_col,
			     "unknown check '%s' (ignored; partnermap check "
			     "--list-checks lists them)%s%s%s", v->key,
			     best ? "; did you mean " : "", best ? best : "",
			     best ? "?" : "");
	}
	char *word = NULL;
	if (field_text(c, v, &word) < 0)
		return;
	int act = policy_action_from(word);
	if (act < 0)
		diag_error(c->d, c->path, v->line, v->col,
			   "checks: %s must be error, warning or ignore, not '%s'",
			   v->key, word ? word : "");
	else if (id != CHECK_NONE)
		p->action[id] = (unsigned char)act;
	free(word);
}

static void read_checks_into(field_ctx *c, const fm_node *v, diag_policy *p)
{
	if (!of_type(c, v, FM_MAP, "checks must be a mapping of check names "
		     "to error, warning or ignore (such as 'checks: "
		     "{unknown-key: error}')"))
		return;
	for (size_t i = 0; i < v->n; i++)
		read_check(c, &v->kids[i], p);
}

static void read_checks(field_ctx *c, const fm_node *v, site_config *cfg)
{
	read_checks_into(c, v, &cfg->checks);
}

/* site.yml's checks: mapping, one row per check (util/diag_names.h), so
 * the schema and the field reference list every name. */
static const char *const check_actions[] = {"error", "warning", "ignore", NULL};

static const key_spec check_keys[] = {
#define PM_CHECK_ROW(id, name, what)                                          \
	{.key = name, .type = KT_WORD, .values = check_actions, .help = what, \
	 .example = "error", .dflt = "warning"},
	PM_CHECKS(PM_CHECK_ROW)
#undef PM_CHECK_ROW
};

const key_table keys_checks = {
	.kind = "checks", .title = "site.yml checks:",
	.where = "site.yml, under checks:",
	.about = "What each warning does: error, warning (the default) or ignore.",
	.noun = "check", KEY_ROWS(check_keys)};

/* ---- countries: ----------------------------------------------------- */

static const key_spec country_basemap_keys[] = {
	{.key = "field", .type = KT_TEXT,
	 .help = "the basemap's field to look in (any case); left out, "
		 "map.name_field",
	 .example = "NAME"},
	{.key = "value", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 .help = "what that field holds for this country (any case)",
	 .example = "Kosovo"},
};

const key_table keys_country_basemap = {
	.kind = "country-basemap", .title = "site.yml countries: basemap:",
	.where = "site.yml, under countries: basemap:",
	.about = "How the basemap marks a country when its iso_field does not "
		 "(Natural Earth writes -99 there for Kosovo).",
	.noun = "key", KEY_ROWS(country_basemap_keys)};

static const key_spec country_keys[] = {
	{.key = "code", .type = KT_COUNTRY, .flags = KEY_REQUIRED,
	 .help = "a two-letter code: a new one (such as a user-assigned X? "
		 "code) adds a country, a known one changes it",
	 .example = "XS"},
	{.key = "name", .type = KT_TEXT,
	 .help = "the country's name; required for a new code",
	 .example = "Somaliland"},
	{.key = "basemap", .type = KT_MAPPING,
	 .help = "where the basemap has it, when not by its code",
	 .example = "{field: NAME, value: Somaliland}",
	 .sub = &keys_country_basemap},
};

const key_table keys_country = {
	.kind = "country", .title = "site.yml countries:",
	.where = "site.yml, under countries:",
	.about = "A country ISO 3166-1 lacks, or how the basemap marks one.",
	.noun = "key", KEY_ROWS(country_keys)};

/* 1 when v, a mapping of t's keys, may be read: keys t lacks are warned
 * of, keys t requires are errors. */
static int read_mapping_of(field_ctx *c, const fm_node *v, const key_table *t,
			   const char *example)
{
	if (v->type != FM_MAP) {
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be a mapping such as %s, not %s", t->where,
			   example, fm_type_name(v->type));
		return 0;
	}
	for (size_t i = 0; i < v->n; i++)
		if (!keys_find(t, v->kids[i].key))
			keys_unknown_in(c, v, &v->kids[i], t);
	keys_require(c, v, t, v->line, v->col);
	return 1;
}

static void read_country_basemap(field_ctx *c, const fm_node *v,
				 site_country *sc)
{
	if (!read_mapping_of(c, v, &keys_country_basemap,
			     "{field: NAME, value: Kosovo}"))
		return;
	sc->basemap_at = (srcpos){c->path, v->line, v->col};
	const fm_node *f = fm_get(v, "field"), *val = fm_get(v, "value");
	if (f)
		field_text(c, f, &sc->basemap_field);
	if (val)
		field_text(c, val, &sc->basemap_value);
}

/* A code of two ASCII letters into sc (upper case); 0, or -1 reported. */
static int read_country_code(field_ctx *c, const fm_node *v, site_country *sc)
{
	char *code = NULL;
	if (field_required_text(c, v, &code) < 0)
		return -1;
	int ok = strlen(code) == 2 && isalpha((unsigned char)code[0]) &&
		 isalpha((unsigned char)code[1]) && !(code[0] & 0x80) &&
		 !(code[1] & 0x80);
	if (ok) {
		sc->alpha2[0] = (char)toupper((unsigned char)code[0]);
		sc->alpha2[1] = (char)toupper((unsigned char)code[1]);
	} else {
		diag_error(c->d, c->path, v->line, v->col,
			   "countries: code must be two letters, such as XK, "
			   "not '%s'", code);
	}
	free(code);
	return ok ? 0 : -1;
}

static void read_country_entry(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (!read_mapping_of(c, v, &keys_country,
			     "{code: XK, name: Kosovo}"))
		return;
	site_country sc = {.pos = {c->path, v->line, v->col}};
	const fm_node *code = fm_get(v, "code"), *name = fm_get(v, "name");
	const fm_node *map = fm_get(v, "basemap");
	if (name)
		sc.name_refused = field_text(c, name, &sc.name) < 0;
	if (map && map->type != FM_NULL)
		read_country_basemap(c, map, &sc);
	int ok = code && read_country_code(c, code, &sc) == 0;
	for (size_t i = 0; ok && i < cfg->ncountries; i++)
		if (!strcmp(cfg->countries[i].alpha2, sc.alpha2)) {
			diag_error(c->d, c->path, code->line, code->col,
				   "countries: %s is already listed at line %d; "
				   "list each country once", sc.alpha2,
				   cfg->countries[i].pos.line);
			ok = 0;
		}
	if (!ok) {
		free(sc.name);
		free(sc.basemap_field);
		free(sc.basemap_value);
		return;
	}
	cfg->countries = xreallocarray(cfg->countries, cfg->ncountries + 1,
				       sizeof *cfg->countries);
	cfg->countries[cfg->ncountries++] = sc;
}

static void read_countries(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (!of_type(c, v, FM_SEQ, "countries must be a list such as "
		     "[{code: XK, name: Kosovo}]"))
		return;
	for (size_t i = 0; i < v->n; i++)
		read_country_entry(c, &v->kids[i], cfg);
}

static const key_spec site_keys[] = {
	{.key = "title", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 KEY_MEMBER(KS_TEXT, site_config, title),
	 .help = "the site's name, at the top of every page and in the feed",
	 .example = "Health Professions Exchange Network"},
	{.key = "description", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, site_config, description),
	 .help = "one sentence for search engines and the feed",
	 .example = "Medical schools that host each other's students."},
	{.key = "base_url", .type = KT_URL, .flags = KEY_REQUIRED,
	 .read.site = read_base_url,
	 .help = "the address the site is published at",
	 .example = "https://example.org/partners/",
	 .aliases = (const char *const[]){"url", "baseurl", "base", NULL}},
	{.key = "language", .type = KT_LANGUAGE, .read.site = read_language,
	 .help = "the language of the pages, as a tag such as en or pt-BR",
	 .example = "en", .dflt = "en",
	 .aliases = (const char *const[]){"lang", "locale", NULL}},
	{.key = "languages", .type = KT_LANGUAGES, .read.site = read_languages,
	 .help = "the languages the site is built in, the default first: "
		 "the default at /, each other one at /<tag>/",
	 .example = "[en, fr]",
	 .aliases = (const char *const[]){"langs", "locales", NULL}},
	{.key = "theme", .type = KT_FOLDER, .read.site = read_theme,
	 .help = "the theme: a folder in themes/, else the installed one",
	 .example = "default", .dflt = "default"},
	{.key = "intro", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, site_config, intro),
	 .help = "a sentence or two for the home page",
	 .example = "Find a partner school for your elective."},
	{.key = "sample_note", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, site_config, sample_note),
	 .help = "a note in every page's footer, such as that the data are samples",
	 .example = "Sample data, for illustration only."},
	{.key = "disciplines", .type = KT_ITEMS,
	 .read.site = offers_read_disciplines, .sub = &keys_discipline,
	 .help = "the disciplines elective offers draw from: slugs with "
		 "names; left out, a built-in list (internal-medicine, "
		 "paediatrics, surgery, nursing ...)",
	 .example = "[{slug: tropical-medicine, name: Tropical medicine}]"},
	{.key = "max_file_size", .type = KT_SIZE,
	 .read.site = offers_read_max_file_size,
	 .help = "a page bundle's file larger than this is a warning "
		 "(large-file)",
	 .example = "2 MB", .dflt = "5 MB"},
	{.key = "page_size", .type = KT_INT, .read.site = read_page_size,
	 .help = "how many institutions one page of a network, country or "
		 "elective list shows; a longer list gets numbered pages",
	 .example = "100", .dflt = "100",
	 .min = PM_MIN_PAGE_SIZE, .max = PM_MAX_PAGE_SIZE,
	 .aliases = (const char *const[]){"per_page", "paginate",
					  "pagesize", NULL}},
	{.key = "map", .type = KT_MAPPING, .read.site = read_map,
	 .help = "the map's settings, the keys of site.yml map: below",
	 .example = "{projection: robinson}", .sub = &keys_map},
	{.key = "countries", .type = KT_LIST, .read.site = read_countries,
	 .help = "countries to add to ISO 3166-1's, or how the basemap marks "
		 "one, each with code, name and basemap",
	 .example = "[{code: XS, name: Somaliland}]", .sub = &keys_country},
	{.key = "checks", .type = KT_MAPPING, .read.site = read_checks,
	 .help = "what each warning does: a name from partnermap check "
		 "--list-checks, then error, warning or ignore",
	 .example = "{location-outside-country: error}", .sub = &keys_checks},
};

const key_table keys_site = {
	.kind = "site", .title = "site.yml", .where = "site.yml",
	.about = "The site's settings: its title, address, language, theme "
		 "and map.",
	.noun = "key", KEY_ROWS(site_keys)};

/* Whether site.yml's key is read beyond the page it renders: by the
 * checks of the records, the map or the theme (site_config.shared_failed). */
static int shared_key(const char *key)
{
	static const char *const shared[] = {
		"language", "languages", "theme", "map", "countries",
		"disciplines", "checks", "max_file_size"};
	for (size_t i = 0; i < sizeof shared / sizeof *shared; i++)
		if (!strcmp(key, shared[i]))
			return 1;
	return 0;
}

int config_parse(site_config *cfg, const char *text, size_t len,
		 const char *path, diags_t *d)
{
	size_t before = d->errors + d->fatals;
	field_ctx c = {path, d, 0};
	fm_node root = {0};
	cfg->map.graticule = 1;
	cfg->map.projection_at = cfg->theme_at = cfg->language_at =
		(srcpos){path, 1, 1};
	cfg->unread = fm_parse_yaml_marked(text, len, path, &root, d) < 0;
	if (!cfg->unread) {
		for (size_t i = 0; i < root.n; i++) {
			const fm_node *v = &root.kids[i];
			const key_spec *k = keys_find(&keys_site, v->key);
			size_t had = d->errors + d->fatals;
			/* a mistake in a value (a NUL, a key written twice),
			 * told: the setting is not read, and the content
			 * waits for it only when it reads that setting */
			if (v->said) {
				if (k && shared_key(k->key))
					cfg->shared_failed = 1;
				continue;
			}
			if (!k)
				keys_unknown_in(&c, &root, v, &keys_site);
			else if (!keys_store(&c, v, k, cfg))
				k->read.site(&c, v, cfg);
			if (k && shared_key(k->key) && d->errors + d->fatals > had)
				cfg->shared_failed = 1;
		}
		keys_require(&c, &root, &keys_site, 1, 1);
	}
	fill_defaults(cfg);
	size_t had = d->errors + d->fatals;
	settle_languages(&c, &root, cfg);
	if (d->errors + d->fatals > had)
		cfg->shared_failed = 1;
	fm_node_free(&root);
	return d->errors + d->fatals > before ? -1 : 0;
}

int config_load(site_config *cfg, const char *dir, diags_t *d)
{
	sfs_root root;
	sfs_root_init(&root, dir, "site folder");
	buf_t text = BUF_INIT;
	int rc = sfs_read(&root, "site.yml", "site.yml", SFS_CONFIG, &text, d);
	int missing = rc == SFS_IO && (errno == ENOENT || errno == ENOTDIR);
	if (missing && !strcmp(dir, "."))
		diag_error(d, "site.yml", 1, 1,
			   "no site.yml in the current folder: run partnermap "
			   "in a site folder or pass -C DIR (partnermap init "
			   "DIR starts a new site)");
	else if (missing)
		diag_error(d, "site.yml", 1, 1,
			   "no site.yml in '%s': run partnermap in a site "
			   "folder or pass -C DIR (partnermap init %s starts a "
			   "new site there)", dir, dir);
	else if (rc == SFS_IO)
		diag_error(d, "site.yml", 1, 1, "cannot read site.yml: %s",
			   strerror(errno));
	if (rc != SFS_OK) {
		cfg->map.graticule = 1;
		cfg->map.projection_at = cfg->theme_at = cfg->language_at =
			(srcpos){"site.yml", 1, 1};
		cfg->unread = 1;
		fill_defaults(cfg);
		one_language(cfg);
		rc = missing ? -2 : -1;
	} else {
		rc = config_parse(cfg, text.ptr, text.len, "site.yml", d);
	}
	buf_free(&text);
	sfs_root_free(&root);
	return rc;
}
