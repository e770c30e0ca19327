/* iso.c - ISO 3166-1 countries from Debian's iso-codes JSON, with an
 * open-addressing hash index over the alpha-2 and the alpha-3 codes so
 * that 100,000 records cost 100,000 constant-time lookups. */
#include "load.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/fs.h"

/* Upper-case copy of a code of exactly len ASCII letters into out, or -1. */
static int normalise_code(const char *code, size_t len, char *out)
{
	if (!code || strlen(code) != len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isalpha((unsigned char)code[i]) || (code[i] & 0x80))
			return -1;
		out[i] = (char)toupper((unsigned char)code[i]);
	}
	out[len] = '\0';
	return 0;
}

static size_t code_hash(const char *code)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *code; code++)
		h = (h ^ (unsigned char)*code) * 16777619u;
	return h;
}

static void index_code(int *slots, size_t nslots, const char *code, int at)
{
	size_t i = code_hash(code) & (nslots - 1);
	while (slots[i] >= 0)
		i = (i + 1) & (nslots - 1);
	slots[i] = at;
}

static void build_index(country_table *t)
{
	size_t nslots = 16;
	while (nslots < t->n * 2)
		nslots *= 2;
	t->nslots = nslots;
	t->by2 = xmalloc(nslots * sizeof *t->by2);
	t->by3 = xmalloc(nslots * sizeof *t->by3);
	for (size_t i = 0; i < nslots; i++)
		t->by2[i] = t->by3[i] = -1;
	for (size_t i = 0; i < t->n; i++) {
		index_code(t->by2, nslots, t->v[i].alpha2, (int)i);
		index_code(t->by3, nslots, t->v[i].alpha3, (int)i);
	}
}

static const country *lookup(const country_table *t, const int *slots,
			     const char *code, size_t len)
{
	char key[4];
	if (!t->nslots || normalise_code(code, len, key) < 0)
		return NULL;
	size_t i = code_hash(key) & (t->nslots - 1);
	for (; slots[i] >= 0; i = (i + 1) & (t->nslots - 1)) {
		const country *c = &t->v[slots[i]];
		if (!strcmp(len == 2 ? c->alpha2 : c->alpha3, key))
			return c;
	}
	return NULL;
}

const country *country_by_alpha2(const country_table *t, const char *a2)
{
	return lookup(t, t->by2, a2, 2);
}

const country *country_by_alpha3(const country_table *t, const char *a3)
{
	return lookup(t, t->by3, a3, 3);
}

const country *country_by_name(const country_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++) {
		const country *c = &t->v[i];
		if (!strcasecmp(c->name, name) ||
		    (c->official && !strcasecmp(c->official, name)))
			return c;
	}
	return NULL;
}

const country *country_by_alias(const country_table *t, const char *code)
{
	/* UK: reserved in ISO 3166-1 at the United Kingdom's request, whose
	 * code is GB; EL: Greece (GR) in the European Union's
	 * Interinstitutional Style Guide */
	static const char *const alias[][2] = {{"UK", "GB"}, {"EL", "GR"}};
	for (size_t i = 0; i < sizeof alias / sizeof *alias; i++)
		if (!strcasecmp(code, alias[i][0]))
			return country_by_alpha2(t, alias[i][1]);
	return NULL;
}

static const char *json_text(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One entry of the "3166-1" array; 0 when it was usable. */
static int add_country(country_table *t, const cJSON *entry)
{
	country c = {0};
	const char *name = json_text(entry, "common_name");
	if (!name)
		name = json_text(entry, "name");
	if (!name || normalise_code(json_text(entry, "alpha_2"), 2, c.alpha2) < 0 ||
	    normalise_code(json_text(entry, "alpha_3"), 3, c.alpha3) < 0)
		return -1;
	c.name = xstrdup(name);
	c.official = xstrdup(json_text(entry, "official_name"));
	t->v[t->n++] = c;
	return 0;
}

static int fill_table(country_table *t, const cJSON *list, const char *path,
		      diags_t *d)
{
	if (!cJSON_IsArray(list)) {
		diag_fatal(d, path, "no \"3166-1\" list: is this iso_3166-1.json?");
		return -1;
	}
	t->v = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *t->v);
	const cJSON *entry;
	cJSON_ArrayForEach(entry, list)
		add_country(t, entry);
	if (!t->n) {
		diag_fatal(d, path, "no usable country in the iso-codes table");
		return -1;
	}
	build_index(t);
	return 0;
}

/* A fresh entry at the end of t (the index is rebuilt by the caller). */
static country *append_country(country_table *t, const char *a2,
			       const char *a3, const char *name)
{
	t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
	country *c = &t->v[t->n++];
	memset(c, 0, sizeof *c);
	normalise_code(a2, 2, c->alpha2);
	normalise_code(a3, 3, c->alpha3);
	c->name = xstrdup(name);
	return c;
}

static void rebuild_index(country_table *t)
{
	free(t->by2);
	free(t->by3);
	build_index(t);
}

/* Kosovo has no ISO 3166-1 code; XK is the one CLDR, the EU and most
 * basemaps use (XKX its alpha-3). Natural Earth gives it ISO_A3 -99, so
 * the basemap finds it by its name. */
static void add_kosovo(country_table *t)
{
	if (!country_by_alpha2(t, "XK")) {
		append_country(t, "XK", "XKX", "Kosovo");
		rebuild_index(t);
	}
}

int countries_add_site(country_table *t, const site_config *cfg, diags_t *d)
{
	int rc = 0;
	if (!t->n)
		return 0; /* no table: already reported */
	for (size_t i = 0; i < cfg->ncountries; i++) {
		const site_country *sc = &cfg->countries[i];
		country *c = (country *)country_by_alpha2(t, sc->alpha2);
		if (!c && !sc->name && !sc->name_refused) {
			rc = -1;
			diag_error(d, sc->pos.path, sc->pos.line, sc->pos.col,
				   "countries: %s is no ISO 3166-1 code, so it "
				   "needs a name: add name: followed by the "
				   "country's name", sc->alpha2);
			continue;
		}
		if (!c) {
			char a3[4] = {'X', sc->alpha2[0], sc->alpha2[1], '\0'};
			/* a refused name was reported where it is written;
			 * the code stays known, so records using it get no
			 * second error (the build stops anyway) */
			c = append_country(t, sc->alpha2, a3,
					   sc->name ? sc->name : sc->alpha2);
			rebuild_index(t);
		} else if (sc->name) {
			free(c->name);
			c->name = xstrdup(sc->name);
		}
		if (sc->basemap_value) {
			free(c->basemap_field);
			free(c->basemap_value);
			c->basemap_field = xstrdup(sc->basemap_field);
			c->basemap_value = xstrdup(sc->basemap_value);
			c->basemap_at = sc->basemap_at;
		}
	}
	return rc;
}

int countries_load(country_table *t, const char *path, diags_t *d)
{
	buf_t text = BUF_INIT;
	if (fs_read(path, &text) < 0) {
		diag_fatal(d, path,
			   "cannot read the iso-codes country table: %s (install Debian's iso-codes package or set %s)",
			   strerror(errno), PM_ISO_CODES_ENV);
		buf_free(&text);
		return -1;
	}
	cJSON *json = cJSON_ParseWithLength(text.ptr, text.len);
	buf_free(&text);
	if (!json) {
		diag_fatal(d, path, "the iso-codes country table is not valid JSON");
		return -1;
	}
	int rc = fill_table(t, cJSON_GetObjectItemCaseSensitive(json, "3166-1"),
			    path, d);
	cJSON_Delete(json);
	if (rc < 0)
		countries_free(t);
	else
		add_kosovo(t);
	return rc;
}
