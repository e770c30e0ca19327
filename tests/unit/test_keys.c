/* test_keys.c - the tables of keys (load/keys.h) and what is made from
 * them: every example is read without a message, empty values are taken
 * as the tables say, required keys are asked for, unknown keys get their
 * hint, the built-in archetypes hold every key, and the JSON Schema, the
 * Markdown reference and the Front Matter CMS content types list every
 * key with what it holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "fixture.h"
#include "load/keys.h"
#include "load/load.h"
#include "scaffold/scaffold.h"
#include "scaffold/schema.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

typedef fixture_dir fixture;

static void put(const char *dir, const char *rel, const char *text)
{
	fixture_put(dir, rel, text, strlen(text));
}

static int setup(void **state)
{
	fixture *f = fixture_dir_new("pm-keys");
	if (!f)
		return -1;
	put(f->dir, "site.yml", "title: T\nbase_url: https://example.org/\n");
	put(f->dir, "content/networks/global.md",
	    "---\nname: Global\nkind: global\n---\n");
	put(f->dir, "content/networks/africa.md",
	    "---\nname: Africa\nkind: regional\n---\n");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_dir_free(*state);
	return 0;
}

/* A document of t's kind: its required keys with their examples (the
 * institution's networks name both networks of the fixture), key set to
 * value (left out when value is NULL), front matter only. */
static char *document(const key_table *t, const char *key, const char *value)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < t->n; i++) {
		const key_spec *k = &t->keys[i];
		if (strcmp(k->key, key) && (k->flags & KEY_REQUIRED))
			buf_printf(&b, "%s: %s\n", k->key, k->example);
	}
	if (value)
		buf_printf(&b, "%s:%s%s\n", key, *value ? " " : "", value);
	return buf_detach(&b);
}

/* The files the examples name (photo.jpg, application.pdf), and their
 * bytes: each of its extension's kind, the photo a whole JPEG (its start,
 * a frame header of 40 x 30 pixels, its end). */
static const char *const example_files[] = {"photo.jpg", "application.pdf",
					    NULL};
static const struct {
	const char *bytes;
	size_t len;
} example_bytes[] = {
	{"\xFF\xD8\xFF\xC0\x00\x11\x08\x00\x1E\x00\x28\x03\x01\x22\x00"
	 "\x02\x11\x01\x03\x11\x01\xFF\xD9", 23},
	{"%PDF-1.7\n", 9},
};

/* Load a record of t's kind whose front matter is fm, in the fixture's
 * site, as content/<folder>/x.md; d gets the messages. A record that
 * names one of example_files is written as a page bundle,
 * content/<folder>/x/index.md, holding them. */
static void load_record(fixture *f, const key_table *t, const char *fm,
			diags_t *d)
{
	int bundle = 0;
	for (size_t i = 0; example_files[i]; i++)
		bundle |= strstr(fm, example_files[i]) != NULL;
	char *text = xasprintf("---\n%s---\nBody.\n", fm);
	char *rel = xasprintf(bundle ? "%s/x/index.md" : "%s/x.md", t->folder);
	put(f->dir, rel, text);
	for (size_t i = 0; bundle && example_files[i]; i++) {
		char *file = xasprintf("%s/x/%s", t->folder, example_files[i]);
		fixture_put(f->dir, file, example_bytes[i].bytes, example_bytes[i].len);
		free(file);
	}
	site s;
	site_init(&s);
	site_load(&s, f->dir, d);
	site_free(&s);
	char *path = fs_join(f->dir, rel);
	if (bundle)
		*strrchr(path, '/') = '\0';
	fs_remove_tree(path);
	free(path);
	free(rel);
	free(text);
}

/* Where a nested table's mapping is written, as a format for the
 * table's key (institution or site.yml) and the mapping in flow style. */
static const struct nested {
	const key_table *t;
	const key_table *in; /* keys_institution or keys_site */
	const char *fmt;
} nested[] = {
	{&keys_offer, &keys_institution, "electives: [%s]"},
	{&keys_fee, &keys_institution, "electives: [{type: clinical, fee: %s}]"},
	{&keys_contact, &keys_institution,
	 "electives: [{type: clinical, contact: %s}]"},
	{&keys_form, &keys_institution,
	 "electives: [{type: clinical, forms: [%s]}]"},
	{&keys_photo, &keys_institution, "photo: %s"},
	{&keys_discipline, &keys_site, "disciplines: [%s]"},
};

static const struct nested *nested_of(const key_table *t)
{
	for (size_t i = 0; i < sizeof nested / sizeof *nested; i++)
		if (nested[i].t == t)
			return &nested[i];
	return NULL;
}

/* key: value in a mapping of the nested table n, with n's other required
 * keys at their examples, as one line of its parent document. */
static char *nested_line(const struct nested *n, const char *key,
			 const char *value)
{
	buf_t map = BUF_INIT;
	buf_putc(&map, '{');
	for (size_t i = 0; i < n->t->n; i++) {
		const key_spec *k = &n->t->keys[i];
		if (strcmp(k->key, key) && (k->flags & KEY_REQUIRED))
			buf_printf(&map, "%s: %s, ", k->key, k->example);
	}
	buf_printf(&map, "%s: %s}", key, value);
	buf_t line = BUF_INIT;
	buf_printf(&line, n->fmt, buf_cstr(&map));
	buf_putc(&line, '\n');
	buf_free(&map);
	return buf_detach(&line);
}

/* Read key: value in a document of t's kind (t may be the map table). */
static void read_key(fixture *f, const key_table *t, const char *key,
		     const char *value, diags_t *d)
{
	const struct nested *n = nested_of(t);
	if (n) {
		char *line = nested_line(n, key, value);
		char *top = document(n->in, "", NULL);
		char *fm = xasprintf("%s%s", top, line);
		if (n->in == &keys_site) {
			site_config cfg = {0};
			config_parse(&cfg, fm, strlen(fm), "site.yml", d);
			config_free(&cfg);
		} else
			load_record(f, n->in, fm, d);
		free(fm);
		free(top);
		free(line);
		return;
	}
	if (t == &keys_site || t == &keys_map) {
		char *yml;
		if (t == &keys_site)
			yml = document(&keys_site, key, value);
		else {
			char *top = document(&keys_site, "", NULL);
			yml = xasprintf("%smap:\n  %s:%s%s\n", top, key,
					*value ? " " : "", value);
			free(top);
		}
		site_config cfg = {0};
		config_parse(&cfg, yml, strlen(yml), "site.yml", d);
		config_free(&cfg);
		free(yml);
		return;
	}
	char *fm = document(t, key, value);
	load_record(f, t, fm, d);
	free(fm);
}

static const key_table *const all_tables[] = {
	&keys_site, &keys_map, &keys_institution, &keys_network, &keys_page,
	&keys_offer, &keys_fee, &keys_contact, &keys_form, &keys_photo,
	&keys_discipline, NULL};

static void fail_with(const diags_t *d, const char *what, const char *kind,
		      const char *key)
{
	diags_print(d, stderr);
	fail_msg("%s: %s.%s", what, kind, key);
}

/* ---- the tables ---------------------------------------------------------- */

static void test_tables_are_well_formed(void **state)
{
	(void)state;
	for (size_t t = 0; all_tables[t]; t++) {
		const key_table *tab = all_tables[t];
		assert_true(tab->n > 0);
		assert_non_null(tab->about);
		assert_true(!strcmp(tab->noun, "field") || !strcmp(tab->noun, "key"));
		for (size_t i = 0; i < tab->n; i++) {
			const key_spec *k = &tab->keys[i];
			size_t hl = strlen(k->help);
			if (!hl || !islower((unsigned char)k->help[0]) ||
			    k->help[hl - 1] == '.' || !k->example || !*k->example)
				fail_msg("%s.%s: help must be one lower-case line "
					 "without a final stop, with an example",
					 tab->kind, k->key);
			assert_int_equal(keys_find(tab, k->key) == k, 1);
			if (k->type == KT_WORD || k->type == KT_WORDS)
				assert_non_null(k->values);
			assert_int_equal(k->type == KT_MAPPING || k->type == KT_ITEMS ||
					 k->type == KT_LIST,
					 k->sub != NULL);
			if (k->flags & KEY_UNLESS_POINTS)
				assert_true(k->flags & KEY_REQUIRED);
			/* an alias is never a key, and names one key only */
			for (const char *const *a = k->aliases; a && *a; a++) {
				if (keys_find(tab, *a))
					fail_msg("%s.%s: alias '%s' is a key",
						 tab->kind, k->key, *a);
				assert_ptr_equal(keys_alias_of(tab, *a), k);
			}
		}
	}
	assert_ptr_equal(keys_table("institution"), &keys_institution);
	assert_ptr_equal(keys_table("map"), &keys_map);
	assert_null(keys_table("institutions"));
}

static void test_every_example_is_read_quietly(void **state)
{
	fixture *f = *state;
	for (size_t t = 0; all_tables[t]; t++)
		for (size_t i = 0; i < all_tables[t]->n; i++) {
			const key_spec *k = &all_tables[t]->keys[i];
			diags_t d = DIAGS_INIT;
			read_key(f, all_tables[t], k->key, k->example, &d);
			if (d.n)
				fail_with(&d, "the example makes a message",
					  all_tables[t]->kind, k->key);
			diags_free(&d);
		}
}

/* "key:" with nothing after it: read as left out exactly when
 * key_accepts_null says so, which is what the schema allows. */
static void test_empty_values_as_the_tables_say(void **state)
{
	fixture *f = *state;
	for (size_t t = 0; all_tables[t]; t++)
		for (size_t i = 0; i < all_tables[t]->n; i++) {
			const key_spec *k = &all_tables[t]->keys[i];
			diags_t d = DIAGS_INIT;
			read_key(f, all_tables[t], k->key, "", &d);
			if ((d.n == 0) != key_accepts_null(k))
				fail_with(&d, key_accepts_null(k) ?
					  "an empty value makes a message" :
					  "an empty value is taken quietly",
					  all_tables[t]->kind, k->key);
			diags_free(&d);
		}
}

static void test_missing_required_keys(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	site_config cfg = {0};
	const char *yml = "language: en\n";
	assert_int_equal(config_parse(&cfg, yml, strlen(yml), "site.yml", &d), -1);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].msg,
		"missing required key 'title' (the site's name, at the top of "
		"every page and in the feed); add a line such as title: Health "
		"Professions Exchange Network");
	assert_string_equal(d.v[1].msg,
		"missing required key 'base_url' (the address the site is "
		"published at); add a line such as base_url: "
		"https://example.org/partners/");
	assert_int_equal(d.v[1].line, 1);
	assert_int_equal(d.v[1].col, 1);
	config_free(&cfg);
	diags_free(&d);

	/* a record: at the opening of its front matter, in table order */
	load_record(f, &keys_institution,
		    "name: N\ncountry: UG\nlocation: [0.3, 32.5]\n"
		    "networks: [global]\n", &d);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].path, "content/institutions/x.md");
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 1);
	assert_string_equal(d.v[0].msg,
		"missing required field 'city' (the city, as visitors would "
		"write it); add a line such as city: Kampala");
	assert_string_equal(d.v[1].msg,
		"missing required field 'exchanges' (the levels of student it "
		"exchanges); add a line such as exchanges: [undergraduate, "
		"postgraduate]");
	diags_free(&d);
	load_record(f, &keys_institution,
		    "name: N\ncountry: UG\ncity: C\nnetworks: [global]\n"
		    "exchanges: [postgraduate]\n", &d);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg,
		"missing required field 'location' (latitude and longitude in "
		"degrees (WGS 84)); add a line such as location: [0.3383, 32.5761]");
	diags_free(&d);
	/* taken in by a quoted value whose closing quote is left out: that
	 * value named as the cause, after the warning at it */
	load_record(f, &keys_institution,
		    "name: \"N\ncountry: UG\ncity: C\"\nnetworks: [global]\n"
		    "location: [0.3, 32.5]\nexchanges: [postgraduate]\n", &d);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].level, DIAG_WARNING);
	assert_string_equal(d.v[1].msg,
		"missing required field 'country': the quoted value of 'name' on "
		"line 2 runs on and takes in 'country:' as its text; is its "
		"closing quote left out?");
	assert_string_equal(d.v[2].msg,
		"missing required field 'city': the quoted value of 'name' on "
		"line 2 runs on and takes in 'city:' as its text; is its closing "
		"quote left out?");
	diags_free(&d);
}

static void test_unknown_keys_get_hints(void **state)
{
	fixture *f = *state;
	static const struct {
		const key_table *t;
		const char *key, *msg;
	} cases[] = {
		{&keys_institution, "websit", "unknown key 'websit' (ignored); did you mean website?"},
		{&keys_institution, "homepage", "unknown key 'homepage' (ignored); did you mean website?"},
		{&keys_institution, "E-Mail", "unknown key 'E-Mail' (ignored); did you mean email?"},
		{&keys_institution, "since", "unknown key 'since' (ignored); did you mean joined?"},
		{&keys_institution, "fax", "unknown key 'fax' (ignored)"},
		{&keys_network, "color", "unknown key 'color' (ignored); did you mean colour?"},
		{&keys_network, "type", "unknown key 'type' (ignored); did you mean kind?"},
		{&keys_page, "weight", "unknown key 'weight' (ignored); did you mean menu?"},
		{&keys_site, "lang", "unknown key 'lang' (ignored); did you mean language?"},
		{&keys_map, "projecton", "unknown key 'projecton' (ignored); did you mean projection?"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		diags_t d = DIAGS_INIT;
		read_key(f, cases[i].t, cases[i].key, "x", &d);
		if (d.n != 1 || d.v[0].level != DIAG_WARNING ||
		    strcmp(d.v[0].msg, cases[i].msg))
			fail_with(&d, cases[i].msg, cases[i].t->kind, cases[i].key);
		diags_free(&d);
	}
}

/* The built-in archetypes name every key of their kind, and nothing else. */
static void test_archetypes_hold_every_key(void **state)
{
	(void)state;
	for (int kind = 0; kind < RECORD_KINDS; kind++) {
		const key_table *t = keys_table(record_kind_name((record_kind)kind));
		const char *text = archetype_builtin((record_kind)kind);
		for (size_t i = 0; i < t->n; i++) {
			char *line = xasprintf("\n%s:", t->keys[i].key);
			char *commented = xasprintf("\n# %s:", t->keys[i].key);
			if (!strstr(text, line) && !strstr(text, commented))
				fail_msg("the %s archetype has no line for %s",
					 t->kind, t->keys[i].key);
			free(line);
			free(commented);
		}
		char *filled = archetype_fill(text, "N");
		fm_doc doc = {0};
		diags_t d = DIAGS_INIT;
		assert_int_equal(fm_parse(filled, strlen(filled), "a.md", &doc, &d), 0);
		for (size_t i = 0; i < doc.root.n; i++)
			if (!keys_find(t, doc.root.kids[i].key))
				fail_msg("the %s archetype has a key %s its table lacks",
					 t->kind, doc.root.kids[i].key);
		fm_doc_free(&doc);
		diags_free(&d);
		free(filled);
	}
}

/* ---- the JSON Schema ---------------------------------------------------- */

static const cJSON *get(const cJSON *o, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	for (char *part = strtok_r(copy, "/", &save); part && o;
	     part = strtok_r(NULL, "/", &save))
		o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(part)) :
			cJSON_GetObjectItemCaseSensitive(o, part);
	free(copy);
	return o;
}

static void assert_json(const cJSON *o, const char *path, const char *json)
{
	const cJSON *at = get(o, path);
	char *got = at ? cJSON_PrintUnformatted(at) : NULL;
	if (!got || strcmp(got, json)) {
		print_error("%s is %s, not %s\n", path, got ? got : "(absent)", json);
		cJSON_free(got);
		fail();
	}
	cJSON_free(got);
}

static void test_schema_of_an_institution(void **state)
{
	(void)state;
	cJSON *s = schema_of(&keys_institution);
	assert_json(s, "$schema", "\"https://json-schema.org/draft/2020-12/schema\"");
	assert_json(s, "type", "\"object\"");
	assert_json(s, "additionalProperties", "false");
	assert_json(s, "required",
		    "[\"name\",\"country\",\"city\",\"location\",\"networks\",\"exchanges\"]");
	assert_json(s, "properties/country",
		    "{\"description\":\"The ISO 3166-1 alpha-2 code of its country.\","
		    "\"type\":\"string\",\"pattern\":\"^[A-Za-z]{2}$\",\"examples\":[\"UG\"]}");
	assert_json(s, "properties/location/prefixItems/0/minimum", "-90");
	assert_json(s, "properties/location/prefixItems/1/maximum", "180");
	assert_json(s, "properties/location/items", "{\"type\":\"number\"}");
	assert_json(s, "properties/location/maxItems", "2");
	assert_json(s, "properties/location/examples", "[[0.3383,32.5761]]");
	assert_json(s, "properties/exchanges/items/enum",
		    "[\"undergraduate\",\"postgraduate\"]");
	assert_json(s, "properties/exchanges/minItems", "1");
	assert_json(s, "properties/electives/anyOf/0/type", "\"array\"");
	assert_json(s, "properties/electives/anyOf/0/items/anyOf/1/enum",
		    "[\"clinical\",\"research\",\"observership\"]");
	assert_json(s, "properties/electives/anyOf/1/required", "[\"type\"]");
	assert_json(s, "properties/electives/anyOf/1/properties/fee/anyOf/1/enum",
		    "[\"waived\"]");
	assert_json(s, "properties/electives/anyOf/1/properties/fee/anyOf/0/required",
		    "[\"amount\",\"currency\"]");
	assert_json(s, "properties/electives/anyOf/1/properties/duration/anyOf/0",
		    "{\"type\":\"integer\",\"minimum\":1,\"maximum\":104}");
	assert_json(s, "properties/electives/anyOf/3", "{\"type\":\"null\"}");
	assert_json(s, "properties/photo/required", "[\"file\",\"alt\"]");
	assert_json(s, "properties/updated/format", "\"date\"");
	assert_json(s, "properties/networks/type", "[\"array\",\"string\"]");
	assert_json(s, "properties/joined/format", "\"date\"");
	assert_json(s, "properties/joined/examples", "[\"2019-04-01\"]");
	assert_json(s, "properties/email/format", "\"email\"");
	assert_json(s, "properties/website/format", "\"uri\"");
	assert_json(s, "properties/networks/items/pattern", "\"^[a-z0-9]+(-[a-z0-9]+)*$\"");
	assert_json(s, "properties/draft/default", "false");
	/* every key: a description and an example */
	for (size_t i = 0; i < keys_institution.n; i++) {
		char *p = xasprintf("properties/%s", keys_institution.keys[i].key);
		assert_non_null(get(s, p));
		assert_true(cJSON_IsString(get(get(s, p), "description")));
		assert_int_equal(cJSON_GetArraySize(get(get(s, p), "examples")), 1);
		free(p);
	}
	assert_int_equal(cJSON_GetArraySize(get(s, "properties")),
			 (int)keys_institution.n);
	cJSON_Delete(s);

	s = schema_of(&keys_network);
	assert_json(s, "properties/colour/pattern", "\"^#[0-9A-Fa-f]{6}$\"");
	assert_json(s, "properties/colour/type", "\"string\"");
	assert_json(s, "properties/kind/enum", "[\"global\",\"regional\"]");
	assert_json(s, "properties/colour/examples", "[\"#0072b2\"]");
	cJSON_Delete(s);
}

static void test_schema_of_site_yml(void **state)
{
	(void)state;
	cJSON *s = schema_of(&keys_site);
	assert_json(s, "required", "[\"title\",\"base_url\"]");
	assert_json(s, "properties/language/default", "\"en\"");
	assert_json(s, "properties/map/type", "[\"object\",\"null\"]");
	assert_json(s, "properties/map/additionalProperties", "false");
	assert_json(s, "properties/map/properties/simplify/exclusiveMinimum", "0");
	assert_json(s, "properties/map/properties/simplify/maximum", "1");
	assert_json(s, "properties/map/properties/graticule/type", "\"boolean\"");
	assert_json(s, "properties/map/examples", "[{\"projection\":\"robinson\"}]");
	cJSON_Delete(s);
}

static void test_schema_of_every_kind(void **state)
{
	(void)state;
	cJSON *s = schema_all();
	assert_json(s, "$schema", "\"https://json-schema.org/draft/2020-12/schema\"");
	assert_json(s, "oneOf",
		    "[{\"$ref\":\"#/$defs/site\"},{\"$ref\":\"#/$defs/institution\"},"
		    "{\"$ref\":\"#/$defs/network\"},{\"$ref\":\"#/$defs/page\"}]");
	assert_json(s, "$defs/page/required", "[\"title\"]");
	assert_null(get(s, "$defs/page/$schema"));
	assert_json(s, "$defs/page/properties/menu/type", "[\"integer\",\"null\"]");
	cJSON_Delete(s);
}

/* ---- Markdown and Front Matter CMS --------------------------------------- */

static void test_markdown_reference(void **state)
{
	(void)state;
	char *md = schema_markdown(NULL);
	assert_contains(md, "#### Institution: `content/institutions/<slug>.md`\n\n"
			"A partner institution: one Markdown file each, named by its slug.\n\n"
			"| Key | Type | Required | Meaning | Example |\n"
			"|-----|------|----------|---------|---------|\n"
			"| `name` | text | yes | the institution's name as it writes it, "
			"in any script | `Makerere University College of Health Sciences` |\n");
	assert_contains(md, "| `location` | [lat, lon] | yes, unless `map.points` "
			"gives it | latitude and longitude in degrees (WGS 84) | "
			"`[0.3383, 32.5761]` |\n");
	assert_contains(md, "| `exchanges` | list of `undergraduate`, `postgraduate` | yes |");
	assert_contains(md, "| `kind` | one of `global` or `regional` | yes |");
	assert_contains(md, "| `simplify` | number, 0 < x ≤ 1 | no |");
	assert_contains(md, "(default `en`)");
	/* a '<' outside code would start an HTML tag */
	assert_contains(md, "(content/networks/\\<slug>.md)");
	for (size_t t = 0; all_tables[t]; t++)
		for (size_t i = 0; i < all_tables[t]->n; i++) {
			char *row = xasprintf("\n| `%s` | ", all_tables[t]->keys[i].key);
			assert_contains(md, row);
			free(row);
		}
	char *one = schema_markdown(&keys_page);
	assert_starts_with(one, "#### Page: `content/pages/<slug>.md`\n");
	assert_not_contains(one, "Institution");
	free(one);
	one = schema_markdown(&keys_site);
	assert_contains(one, "#### site.yml: `map:`\n");
	free(one);
	free(md);
}

static void test_front_matter_cms(void **state)
{
	(void)state;
	char *text = schema_frontmatter_cms();
	cJSON *j = cJSON_Parse(text);
	assert_non_null(j);
	assert_json(j, "$schema", "\"https://frontmatter.codes/frontmatter.schema.json\"");
	const cJSON *types = get(j, "frontMatter.taxonomy.contentTypes");
	assert_int_equal(cJSON_GetArraySize(types), 3);
	for (int i = 0; i < 3; i++) {
		const cJSON *ct = cJSON_GetArrayItem(types, i);
		const char *kind = cJSON_GetStringValue(get(ct, "name"));
		const key_table *t = keys_table(kind);
		assert_non_null(t);
		const cJSON *fields = get(ct, "fields");
		assert_int_equal(cJSON_GetArraySize(fields), (int)t->n);
		for (size_t k = 0; k < t->n; k++) {
			const cJSON *fl = cJSON_GetArrayItem(fields, (int)k);
			assert_string_equal(cJSON_GetStringValue(get(fl, "name")),
					    t->keys[k].key);
			assert_int_equal(cJSON_IsTrue(get(fl, "required")),
					 !!(t->keys[k].flags & KEY_REQUIRED));
		}
	}
	assert_json(types, "0/fields/5",
		    "{\"title\":\"Exchanges\",\"name\":\"exchanges\",\"type\":\"choice\","
		    "\"choices\":[\"undergraduate\",\"postgraduate\"],\"multiple\":true,"
		    "\"description\":\"The levels of student it exchanges: any of "
		    "undergraduate, postgraduate.\",\"required\":true}");
	assert_json(types, "0/fields/9/dateFormat", "\"yyyy-MM-dd\"");
	assert_json(types, "0/fields/15/type", "\"draft\"");
	assert_json(types, "1/fields/1/choices", "[\"global\",\"regional\"]");
	assert_json(j, "frontMatter.content.pageFolders/0",
		    "{\"title\":\"Institutions\",\"path\":\"[[workspace]]/content/institutions\","
		    "\"filePrefix\":\"\",\"contentTypes\":[\"institution\"]}");
	cJSON_Delete(j);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_tables_are_well_formed),
		T(test_every_example_is_read_quietly),
		T(test_empty_values_as_the_tables_say),
		T(test_missing_required_keys),
		T(test_unknown_keys_get_hints),
		T(test_archetypes_hold_every_key),
		T(test_schema_of_an_institution),
		T(test_schema_of_site_yml),
		T(test_schema_of_every_kind),
		T(test_markdown_reference),
		T(test_front_matter_cms),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
