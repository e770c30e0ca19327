/* schema.c - partnermap schema: the tables of keys as a JSON Schema, as
 * Markdown, and as Front Matter CMS content types. */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../build.h"
#include "../load/fields.h"
#include "../util/buf.h"
#include "../util/fs.h"
#include "scaffold.h"

/* ---- examples: YAML text to JSON values -------------------------------- */

static cJSON *node_json(const fm_node *v)
{
	switch (v->type) {
	case FM_NULL:
		return cJSON_CreateNull();
	case FM_BOOL:
		return cJSON_CreateBool(v->truth);
	case FM_NUMBER:
		return cJSON_CreateNumber(v->num);
	case FM_STRING:
		return cJSON_CreateString(v->text);
	case FM_SEQ: {
		cJSON *a = cJSON_CreateArray();
		for (size_t i = 0; i < v->n; i++)
			cJSON_AddItemToArray(a, node_json(&v->kids[i]));
		return a;
	}
	case FM_MAP: {
		cJSON *o = cJSON_CreateObject();
		for (size_t i = 0; i < v->n; i++)
			cJSON_AddItemToObject(o, v->kids[i].key,
					      node_json(&v->kids[i]));
		return o;
	}
	}
	return cJSON_CreateNull();
}

/* A row's example (or default), written as YAML, as the JSON value the
 * loader reads it as: "2019-04-01" stays text, "[0.3, 32.5]" is numbers. */
static cJSON *yaml_value(const char *yaml)
{
	char *text = xasprintf("v: %s\n", yaml);
	fm_node root = {0};
	diags_t d = DIAGS_INIT;
	cJSON *out = NULL;
	if (fm_parse_yaml(text, strlen(text), "(example)", &root, &d) == 0 &&
	    root.n == 1)
		out = node_json(&root.kids[0]);
	fm_node_free(&root);
	diags_free(&d);
	free(text);
	return out ? out : cJSON_CreateString(yaml);
}

/* ---- JSON Schema -------------------------------------------------------- */

static const char slug_pattern[] = "^[a-z0-9]+(-[a-z0-9]+)*$";

/* "type": name, or [name, "null"] when an empty value is allowed. */
static void add_type(cJSON *p, const char *name, int null_ok)
{
	if (!null_ok) {
		cJSON_AddStringToObject(p, "type", name);
		return;
	}
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateString(name));
	cJSON_AddItemToArray(a, cJSON_CreateString("null"));
	cJSON_AddItemToObject(p, "type", a);
}

static cJSON *string_array(const char *const *words)
{
	cJSON *a = cJSON_CreateArray();
	for (; words && *words; words++)
		cJSON_AddItemToArray(a, cJSON_CreateString(*words));
	return a;
}

static cJSON *coordinate(const char *what, double limit)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "description", what);
	cJSON_AddStringToObject(c, "type", "number");
	cJSON_AddNumberToObject(c, "minimum", -limit);
	cJSON_AddNumberToObject(c, "maximum", limit);
	return c;
}

/* Two numbers, each in its range (prefixItems). No "items": false after
 * them: maxItems already allows no third, and editors that read schemas
 * as draft-07 (VS Code's YAML extension) ignore prefixItems and would
 * take "items": false as "no items at all"; for them, "items" says each
 * is a number. */
static void add_location(cJSON *p)
{
	cJSON_AddStringToObject(p, "type", "array");
	cJSON *items = cJSON_CreateArray();
	cJSON_AddItemToArray(items, coordinate("latitude, degrees north", 90));
	cJSON_AddItemToArray(items, coordinate("longitude, degrees east", 180));
	cJSON_AddItemToObject(p, "prefixItems", items);
	cJSON *each = cJSON_CreateObject();
	cJSON_AddStringToObject(each, "type", "number");
	cJSON_AddItemToObject(p, "items", each);
	cJSON_AddNumberToObject(p, "minItems", 2);
	cJSON_AddNumberToObject(p, "maxItems", 2);
}

/* A list whose items are item (taken over). The tool also reads a lone
 * item as a list of one ("networks: africa"): a string must then match
 * pattern, the item's own, which only strings heed, as "items",
 * "minItems" and "uniqueItems" only apply to arrays. */
static void add_list(cJSON *p, cJSON *item, const char *pattern,
		     const key_spec *k, int null_ok)
{
	cJSON *types = cJSON_CreateArray();
	cJSON_AddItemToArray(types, cJSON_CreateString("array"));
	cJSON_AddItemToArray(types, cJSON_CreateString("string"));
	if (null_ok)
		cJSON_AddItemToArray(types, cJSON_CreateString("null"));
	cJSON_AddItemToObject(p, "type", types);
	cJSON_AddItemToObject(p, "items", item);
	cJSON_AddStringToObject(p, "pattern", pattern);
	if (k->flags & KEY_REQUIRED)
		cJSON_AddNumberToObject(p, "minItems", 1);
	cJSON_AddTrueToObject(p, "uniqueItems");
}

/* ^(a|b|c)$ for the words of a list. */
static char *words_pattern(const char *const *words)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "^(");
	for (size_t i = 0; words[i]; i++)
		buf_printf(&b, "%s%s", i ? "|" : "", words[i]);
	buf_puts(&b, ")$");
	return buf_detach(&b);
}

static void add_string(cJSON *p, int null_ok, const char *format,
		       const char *pattern)
{
	add_type(p, "string", null_ok);
	if (format)
		cJSON_AddStringToObject(p, "format", format);
	if (pattern)
		cJSON_AddStringToObject(p, "pattern", pattern);
}

static cJSON *object_schema(const key_table *t, int null_ok);
static void add_shape(cJSON *p, const key_spec *k);

static const char language_pattern[] = "^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$";
static const char weeks_pattern[] =
	"^[0-9]+( *- *[0-9]+)?( [Ww][Ee][Ee][Kk][Ss])?$";
static const char month_pattern[] = "^[A-Za-z]{3,9}\\.?$";
static const char deadline_pattern[] =
	"^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]+ [Ww][Ee][Ee][Kk][Ss]?)$";
static const char size_pattern[] =
	"^[0-9]+(\\.[0-9]+)? *([Bb]|[KkMm][Ii]?[Bb])?$";

static cJSON *two(cJSON *a, cJSON *b)
{
	cJSON *arr = cJSON_CreateArray();
	cJSON_AddItemToArray(arr, a);
	cJSON_AddItemToArray(arr, b);
	return arr;
}

static cJSON *bounded(const char *type, double min, double max)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", type);
	cJSON_AddNumberToObject(o, "minimum", min);
	cJSON_AddNumberToObject(o, "maximum", max);
	return o;
}

static cJSON *pattern_string(const char *pattern)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "string");
	cJSON_AddStringToObject(o, "pattern", pattern);
	return o;
}

/* "anyOf": [a, b], and null when an empty value is allowed. */
static void add_any_of(cJSON *p, cJSON *a, cJSON *b, int null_ok)
{
	cJSON *arr = two(a, b);
	if (null_ok) {
		cJSON *n = cJSON_CreateObject();
		cJSON_AddStringToObject(n, "type", "null");
		cJSON_AddItemToArray(arr, n);
	}
	cJSON_AddItemToObject(p, "anyOf", arr);
}

/* What a scalar written for a mapping or a list item may be: one of the
 * row's words, or the value of the sub-table's first key. */
static cJSON *short_form(const key_spec *k)
{
	cJSON *o = cJSON_CreateObject();
	if (k->values) {
		cJSON_AddStringToObject(o, "type", "string");
		cJSON_AddItemToObject(o, "enum", string_array(k->values));
	} else {
		add_shape(o, &k->sub->keys[0]);
	}
	return o;
}

/* A list of mappings of k's sub-table or short forms; one alone too. */
static void add_items(cJSON *p, const key_spec *k, int null_ok)
{
	cJSON *list = cJSON_CreateObject();
	cJSON_AddStringToObject(list, "type", "array");
	cJSON *item = cJSON_CreateObject();
	cJSON_AddItemToObject(item, "anyOf", two(object_schema(k->sub, 0),
						 short_form(k)));
	cJSON_AddItemToObject(list, "items", item);
	cJSON *any = two(list, object_schema(k->sub, 0));
	cJSON_AddItemToArray(any, short_form(k));
	if (null_ok) {
		cJSON *n = cJSON_CreateObject();
		cJSON_AddStringToObject(n, "type", "null");
		cJSON_AddItemToArray(any, n);
	}
	cJSON_AddItemToObject(p, "anyOf", any);
}

/* A list of strings matching pattern, or one such string. */
static void add_pattern_list(cJSON *p, const key_spec *k,
			     const char *pattern, int null_ok)
{
	add_list(p, pattern_string(pattern), pattern, k, null_ok);
}

/* A list of months, or one month (a number or a name). */
static void add_month_list(cJSON *p, cJSON *item, int null_ok)
{
	cJSON *list = cJSON_CreateObject();
	cJSON_AddStringToObject(list, "type", "array");
	cJSON_AddItemToObject(list, "items", item);
	cJSON *any = two(list, cJSON_Duplicate(item, 1));
	if (null_ok) {
		cJSON *n = cJSON_CreateObject();
		cJSON_AddStringToObject(n, "type", "null");
		cJSON_AddItemToArray(any, n);
	}
	cJSON_AddItemToObject(p, "anyOf", any);
}

/* Every member of the object from, moved to the end of to; from is
 * freed. */
static void move_members(cJSON *from, cJSON *to)
{
	while (from->child) {
		cJSON *kid = cJSON_DetachItemViaPointer(from, from->child);
		cJSON_AddItemToObject(to, kid->string, kid);
	}
	cJSON_Delete(from);
}

/* The types whose value is one string of a fixed shape: the JSON Schema
 * format it has (NULL for none) and the pattern it matches (NULL for
 * any). */
static const struct {
	key_type type;
	const char *format, *pattern;
} string_shapes[] = {
	{KT_URL, "uri",
	 "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#@\\\\]+([/?#]\\S*)?$"},
	{KT_EMAIL, "email",
	 "^[A-Za-z0-9!#$'*+/=^_`{|}~-]+(\\.[A-Za-z0-9!#$'*+/=^_`{|}~-]+)*"
	 "@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$"},
	{KT_DATE, "date", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
	/* the tool reads "ug" as UG */
	{KT_COUNTRY, NULL, "^[A-Za-z]{2}$"},
	{KT_COLOUR, NULL, "^#[0-9A-Fa-f]{6}$"},
	{KT_LANGUAGE, NULL, language_pattern},
	{KT_FOLDER, NULL, "^[A-Za-z0-9_-][A-Za-z0-9._-]*$"},
	/* relative, and never climbing out with .. */
	{KT_PATH, NULL, "^(?!/)(?!(.*/)?\\.\\.(/|$))"},
	{KT_MARKDOWN, NULL, NULL},
	{KT_DEADLINE, NULL, deadline_pattern},
	{KT_CURRENCY, NULL, "^[A-Za-z]{3}$"},
	{KT_FILE, NULL, "^[^./\\\\][^/\\\\]*$"},
};

/* What k's values may be, by its type. */
static void add_shape(cJSON *p, const key_spec *k)
{
	int null_ok = key_accepts_null(k);
	cJSON *item;
	for (size_t i = 0; i < sizeof string_shapes / sizeof *string_shapes; i++)
		if (string_shapes[i].type == k->type) {
			add_string(p, null_ok, string_shapes[i].format,
				   string_shapes[i].pattern);
			return;
		}
	switch (k->type) {
	case KT_TEXT:
		/* a required text must hold more than blanks */
		add_string(p, null_ok, NULL,
			   k->flags & KEY_REQUIRED ? "\\S" : NULL);
		break;
	case KT_LOCATION:
		add_location(p);
		break;
	case KT_SLUGS:
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "type", "string");
		cJSON_AddStringToObject(item, "pattern", slug_pattern);
		add_list(p, item, slug_pattern, k, null_ok);
		break;
	case KT_WORDS: {
		char *one = words_pattern(k->values);
		item = cJSON_CreateObject();
		cJSON_AddItemToObject(item, "enum", string_array(k->values));
		add_list(p, item, one, k, null_ok);
		free(one);
		break;
	}
	case KT_WORD:
		add_type(p, "string", null_ok);
		cJSON_AddItemToObject(p, "enum", string_array(k->values));
		break;
	case KT_BOOL:
		add_type(p, "boolean", null_ok);
		break;
	case KT_INT:
	case KT_NUMBER:
		add_type(p, k->type == KT_INT ? "integer" : "number", null_ok);
		cJSON_AddNumberToObject(p, k->flags & KEY_MIN_EXCLUSIVE ?
					"exclusiveMinimum" : "minimum", k->min);
		cJSON_AddNumberToObject(p, "maximum", k->max);
		break;
	case KT_MAPPING:
		if (k->values)
			add_any_of(p, object_schema(k->sub, 0), short_form(k),
				   null_ok);
		else
			move_members(object_schema(k->sub, null_ok), p);
		break;
	case KT_ITEMS:
		add_items(p, k, null_ok);
		break;
	case KT_TEXTS:
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "type", "string");
		add_list(p, item, "\\S", k, null_ok);
		break;
	case KT_LANGUAGES:
		add_pattern_list(p, k, language_pattern, null_ok);
		break;
	case KT_TERMS:
		add_pattern_list(p, k, slug_pattern, null_ok);
		break;
	case KT_WEEKS:
		add_any_of(p, bounded("integer", k->min, k->max),
			   pattern_string(weeks_pattern), null_ok);
		break;
	case KT_MONTHS:
		item = cJSON_CreateObject();
		cJSON_AddItemToObject(item, "anyOf", two(bounded("integer", 1, 12),
			pattern_string(month_pattern)));
		add_month_list(p, item, null_ok);
		break;
	case KT_SIZE:
		add_any_of(p, bounded("number", 1, 64.0 * 1048576),
			   pattern_string(size_pattern), null_ok);
		break;
	case KT_LIST:
		add_type(p, "array", null_ok);
		cJSON_AddItemToObject(p, "items", object_schema(k->sub, 0));
		break;
	default: /* one of string_shapes, done above */
		break;
	}
}

/* What the schema says of k in words: its help, and what else matters. */
static char *description(const key_spec *k)
{
	buf_t b = BUF_INIT;
	buf_putc(&b, toupper((unsigned char)k->help[0]));
	buf_puts(&b, k->help + 1);
	if (k->values) {
		buf_puts(&b, k->type == KT_WORDS ? ": any of " : ": ");
		for (size_t i = 0; k->values[i]; i++)
			buf_printf(&b, "%s%s", i == 0 ? "" : k->values[i + 1] ||
				   k->type == KT_WORDS ? ", " : " or ",
				   k->values[i]);
	}
	if (k->flags & KEY_UNLESS_POINTS)
		buf_puts(&b, "; required unless site.yml's map.points gives "
			 "locations");
	buf_puts(&b, ".");
	return buf_detach(&b);
}

static cJSON *property(const key_spec *k)
{
	cJSON *p = cJSON_CreateObject();
	char *text = description(k);
	cJSON_AddStringToObject(p, "description", text);
	free(text);
	add_shape(p, k);
	cJSON *ex = cJSON_CreateArray();
	cJSON_AddItemToArray(ex, yaml_value(k->example));
	cJSON_AddItemToObject(p, "examples", ex);
	if (k->dflt)
		cJSON_AddItemToObject(p, "default", yaml_value(k->dflt));
	return p;
}

/* "type": "object" with t's keys: properties, required, nothing else. */
static cJSON *object_schema(const key_table *t, int null_ok)
{
	cJSON *o = cJSON_CreateObject();
	add_type(o, "object", null_ok);
	cJSON *props = cJSON_CreateObject();
	cJSON *req = cJSON_CreateArray();
	for (size_t i = 0; i < t->n; i++) {
		const key_spec *k = &t->keys[i];
		cJSON_AddItemToObject(props, k->key, property(k));
		if (k->flags & KEY_REQUIRED)
			cJSON_AddItemToArray(req, cJSON_CreateString(k->key));
	}
	cJSON_AddItemToObject(o, "properties", props);
	if (cJSON_GetArraySize(req))
		cJSON_AddItemToObject(o, "required", req);
	else
		cJSON_Delete(req);
	cJSON_AddFalseToObject(o, "additionalProperties");
	return o;
}

/* t's schema with a title and a description, and "$schema" when it is
 * a whole schema (not one of $defs). */
static cJSON *kind_schema(const key_table *t, int root)
{
	cJSON *s = cJSON_CreateObject();
	if (root)
		cJSON_AddStringToObject(s, "$schema", SCHEMA_DIALECT);
	char *title = t->folder ? xasprintf("partnermap %s front matter", t->kind) :
		xasprintf("partnermap %s", t->where);
	cJSON_AddStringToObject(s, "title", title);
	free(title);
	char *about = xasprintf("%s Written in %s.", t->about, t->where);
	cJSON_AddStringToObject(s, "description", about);
	free(about);
	move_members(object_schema(t, 0), s);
	return s;
}

cJSON *schema_of(const key_table *t)
{
	return kind_schema(t, 1);
}

cJSON *schema_all(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "$schema", SCHEMA_DIALECT);
	cJSON_AddStringToObject(s, "title", "partnermap documents");
	cJSON_AddStringToObject(s, "description",
		"site.yml and the front matter of every kind of record, one "
		"definition per kind under $defs; a document is valid when it "
		"is valid as one kind. For an editor, use one kind's schema "
		"(partnermap schema institution): its messages are clearer.");
	cJSON *one = cJSON_CreateArray();
	cJSON *defs = cJSON_CreateObject();
	for (size_t i = 0; keys_documents[i]; i++) {
		const key_table *t = keys_documents[i];
		cJSON *ref = cJSON_CreateObject();
		char *at = xasprintf("#/$defs/%s", t->kind);
		cJSON_AddStringToObject(ref, "$ref", at);
		free(at);
		cJSON_AddItemToArray(one, ref);
		cJSON_AddItemToObject(defs, t->kind, kind_schema(t, 0));
	}
	cJSON_AddItemToObject(s, "oneOf", one);
	cJSON_AddItemToObject(s, "$defs", defs);
	return s;
}

/* ---- the field reference in Markdown ----------------------------------- */

/* s in a Markdown table cell: a '|' would end the cell, and outside a
 * code span (code = 0) a '<' could start an HTML tag ("<slug>"). */
static void put_cell(buf_t *b, const char *s, int code)
{
	for (; *s; s++) {
		if (*s == '|' || (*s == '<' && !code))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

/* "`a`, `b` or `c`" (and: "`a`, `b` and `c`"). */
static void put_words(buf_t *b, const char *const *words, const char *last)
{
	for (size_t i = 0; words[i]; i++)
		buf_printf(b, "%s`%s`", i == 0 ? "" : words[i + 1] ? ", " : last,
			   words[i]);
}

static void put_type(buf_t *b, const key_spec *k)
{
	switch (k->type) {
	case KT_WORD:
		buf_puts(b, "one of ");
		put_words(b, k->values, " or ");
		break;
	case KT_WORDS:
		buf_puts(b, "list of ");
		put_words(b, k->values, ", ");
		break;
	case KT_NUMBER:
		buf_printf(b, "number, %g %s x ≤ %g", k->min,
			   k->flags & KEY_MIN_EXCLUSIVE ? "<" : "≤", k->max);
		break;
	default:
		buf_puts(b, key_type_name(k->type));
	}
}

static void put_required(buf_t *b, const key_spec *k)
{
	if (!(k->flags & KEY_REQUIRED))
		buf_puts(b, "no");
	else if (k->flags & KEY_UNLESS_POINTS)
		buf_puts(b, "yes, unless `map.points` gives it");
	else
		buf_puts(b, "yes");
}

static void put_table(buf_t *b, const key_table *t)
{
	if (t->folder)
		buf_printf(b, "#### %s: `%s`\n\n", t->title, t->where);
	else if (t == &keys_map)
		buf_puts(b, "#### site.yml: `map:`\n\n");
	else
		buf_printf(b, "#### `%s`\n\n", t->where);
	put_cell(b, t->about, 0);
	buf_puts(b, "\n\n");
	buf_puts(b, "| Key | Type | Required | Meaning | Example |\n"
		    "|-----|------|----------|---------|---------|\n");
	for (size_t i = 0; i < t->n; i++) {
		const key_spec *k = &t->keys[i];
		buf_printf(b, "| `%s` | ", k->key);
		put_type(b, k);
		buf_puts(b, " | ");
		put_required(b, k);
		buf_puts(b, " | ");
		put_cell(b, k->help, 0);
		if (k->dflt) {
			buf_puts(b, " (default `");
			put_cell(b, k->dflt, 1);
			buf_puts(b, "`)");
		}
		buf_puts(b, " | ");
		if (k->sub)
			buf_puts(b, "see below");
		else {
			buf_puts(b, "`");
			put_cell(b, k->example, 1);
			buf_puts(b, "`");
		}
		buf_puts(b, " |\n");
	}
}

/* t, then the table of each key that has one, and theirs. */
static void put_tables(buf_t *b, const key_table *t)
{
	put_table(b, t);
	for (size_t k = 0; k < t->n; k++)
		if (t->keys[k].sub) {
			buf_puts(b, "\n");
			put_tables(b, t->keys[k].sub);
		}
}

char *schema_markdown(const key_table *only)
{
	buf_t b = BUF_INIT;
	if (!only)
		buf_puts(&b, "Every key partnermap reads, by document. `partnermap "
			 "schema --markdown`\nprints this reference, `partnermap "
			 "schema` a JSON Schema of it; a key\nthat is not listed "
			 "is a warning.\n\n");
	int first = 1;
	for (size_t i = 0; keys_documents[i]; i++) {
		const key_table *t = keys_documents[i];
		if (only && only != t)
			continue;
		if (!first)
			buf_puts(&b, "\n");
		first = 0;
		put_tables(&b, t);
	}
	return buf_detach(&b);
}

/* ---- Front Matter CMS --------------------------------------------------- */

static void add_number_options(cJSON *f, const key_spec *k)
{
	cJSON *o = cJSON_CreateObject();
	if (k->type == KT_NUMBER)
		cJSON_AddTrueToObject(o, "isDecimal");
	else
		cJSON_AddNumberToObject(o, "step", 1);
	cJSON_AddNumberToObject(o, "min", k->min);
	cJSON_AddNumberToObject(o, "max", k->max);
	cJSON_AddItemToObject(f, "numberOptions", o);
}

/* The field's type and its options. Front Matter has no field for a
 * pair of numbers (its list field holds text, which location must not
 * be): location is kept out of the panel and written in the file. */
static void add_cms_type(cJSON *f, const key_spec *k)
{
	switch (k->type) {
	case KT_DATE:
		cJSON_AddStringToObject(f, "type", "datetime");
		cJSON_AddStringToObject(f, "dateFormat", "yyyy-MM-dd");
		break;
	case KT_BOOL:
		cJSON_AddStringToObject(f, "type",
					strcmp(k->key, "draft") ? "boolean" : "draft");
		break;
	case KT_INT:
	case KT_NUMBER:
		cJSON_AddStringToObject(f, "type", "number");
		add_number_options(f, k);
		break;
	case KT_WORD:
	case KT_WORDS:
		cJSON_AddStringToObject(f, "type", "choice");
		cJSON_AddItemToObject(f, "choices", string_array(k->values));
		if (k->type == KT_WORDS)
			cJSON_AddTrueToObject(f, "multiple");
		break;
	case KT_SLUGS:
		cJSON_AddStringToObject(f, "type", "list");
		break;
	case KT_LOCATION:
		cJSON_AddStringToObject(f, "type", "string");
		cJSON_AddTrueToObject(f, "hidden");
		break;
	default:
		cJSON_AddStringToObject(f, "type", "string");
		cJSON_AddTrueToObject(f, "single");
	}
}

static cJSON *cms_field(const key_spec *k)
{
	cJSON *f = cJSON_CreateObject();
	char *title = label_of_name(k->key, '_');
	cJSON_AddStringToObject(f, "title", title);
	free(title);
	cJSON_AddStringToObject(f, "name", k->key);
	add_cms_type(f, k);
	char *text = description(k);
	if (k->type == KT_LOCATION) {
		char *more = xasprintf("%s Write it in the file: %s: %s", text,
				       k->key, k->example);
		free(text);
		text = more;
	}
	cJSON_AddStringToObject(f, "description", text);
	free(text);
	if (k->flags & KEY_REQUIRED)
		cJSON_AddTrueToObject(f, "required");
	return f;
}

char *schema_frontmatter_cms(void)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "$schema",
				"https://frontmatter.codes/frontmatter.schema.json");
	cJSON *types = cJSON_CreateArray();
	cJSON *folders = cJSON_CreateArray();
	for (size_t i = 0; keys_documents[i]; i++) {
		const key_table *t = keys_documents[i];
		if (!t->folder)
			continue;
		cJSON *ct = cJSON_CreateObject();
		cJSON_AddStringToObject(ct, "name", t->kind);
		cJSON_AddFalseToObject(ct, "pageBundle");
		cJSON_AddNullToObject(ct, "previewPath");
		cJSON *fields = cJSON_CreateArray();
		for (size_t k = 0; k < t->n; k++)
			cJSON_AddItemToArray(fields, cms_field(&t->keys[k]));
		cJSON_AddItemToObject(ct, "fields", fields);
		cJSON_AddItemToArray(types, ct);

		cJSON *f = cJSON_CreateObject();
		char *title = xasprintf("%ss", t->title);
		cJSON_AddStringToObject(f, "title", title);
		free(title);
		char *path = xasprintf("[[workspace]]/%s", t->folder);
		cJSON_AddStringToObject(f, "path", path);
		free(path);
		cJSON_AddStringToObject(f, "filePrefix", "");
		cJSON *only = cJSON_CreateArray();
		cJSON_AddItemToArray(only, cJSON_CreateString(t->kind));
		cJSON_AddItemToObject(f, "contentTypes", only);
		cJSON_AddItemToArray(folders, f);
	}
	cJSON_AddItemToObject(root, "frontMatter.taxonomy.contentTypes", types);
	cJSON_AddItemToObject(root, "frontMatter.content.pageFolders", folders);
	char *json = cJSON_Print(root);
	cJSON_Delete(root);
	char *out = xasprintf("%s\n", json);
	cJSON_free(json);
	return out;
}

/* ---- the command -------------------------------------------------------- */

static const char usage_schema[] =
	"Usage: partnermap schema [KIND] [--markdown | --front-matter-cms] [-o FILE]\n"
	"\n"
	"Print what partnermap reads from each kind of document, made from the\n"
	"tables the loader itself reads by. KIND is institution, network or\n"
	"page (a record's front matter) or site (site.yml); without KIND, all\n"
	"of them.\n"
	"\n"
	"The output is a JSON Schema (draft 2020-12) for editors and\n"
	"validators: unknown keys are not allowed, so a misspelt key is marked.\n"
	"Without KIND, each kind's schema is under \"$defs\" and a document must\n"
	"match one of them; give an editor one kind's schema for clearer\n"
	"messages.\n"
	"\n"
	"Options:\n"
	"      --markdown          the field reference, as Markdown tables\n"
	"      --front-matter-cms  Front Matter CMS content types for the record\n"
	"                          kinds (the frontmatter.json init writes)\n"
	"  -o, --output FILE       write to FILE instead of standard output\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 printed, 2 bad command line, 3 FILE could not be written.\n";

#define usage_error(...) scaffold_usage_error("schema", __VA_ARGS__)

enum schema_format { AS_JSON_SCHEMA, AS_MARKDOWN, AS_CMS };

typedef struct schema_args {
	const key_table *kind; /* NULL: every kind */
	enum schema_format format;
	const char *out;
} schema_args;

static int set_format(schema_args *a, enum schema_format f, const char *opt)
{
	if (a->format != AS_JSON_SCHEMA && a->format != f)
		return usage_error("'%s' cannot go with another output format: "
				   "choose --markdown or --front-matter-cms", opt);
	a->format = f;
	return 0;
}

static int set_kind(schema_args *a, const char *word)
{
	static const char *const kinds[] = {"institution", "network", "page",
					    "site", NULL};
	if (a->kind)
		return usage_error("unexpected argument '%s': give one KIND, or "
				   "none for every kind", word);
	for (size_t i = 0; kinds[i]; i++)
		if (!strcmp(word, kinds[i])) {
			a->kind = keys_table(word);
			return 0;
		}
	const char *best = hint_from(word, kinds);
	if (best)
		return usage_error("unknown kind '%s' (expected institution, "
				   "network, page or site); did you mean %s?",
				   word, best);
	return usage_error("unknown kind '%s' (expected institution, network, "
			   "page or site)", word);
}

/* 0, -1 after --help, or an EXIT_* code. */
static int parse_args(int argc, char **argv, schema_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		int rc = 0;
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(usage_schema, stdout);
			return -1;
		} else if (!strcmp(s, "--markdown")) {
			rc = set_format(a, AS_MARKDOWN, s);
		} else if (!strcmp(s, "--front-matter-cms")) {
			rc = set_format(a, AS_CMS, s);
		} else if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
			if (i + 1 >= argc || !argv[i + 1][0])
				return usage_error("option '%s' needs a value", s);
			a->out = argv[++i];
		} else if (!strncmp(s, "--output=", 9)) {
			if (!s[9])
				return usage_error("option '%s' needs a value", s);
			a->out = s + 9;
		} else if (s[0] == '-' && s[1]) {
			return usage_error("unknown option '%s'", s);
		} else {
			rc = set_kind(a, s);
		}
		if (rc)
			return rc;
	}
	if (a->format == AS_CMS && a->kind)
		return usage_error("--front-matter-cms describes every record kind "
				   "at once: give no KIND");
	int rc = scaffold_file_usable("schema", "-o", a->out);
	if (!rc && a->out && strcmp(a->out, "-"))
		rc = scaffold_file_outside_output("schema", "-o", a->out, NULL,
						  NULL);
	return rc;
}

static char *render(const schema_args *a)
{
	if (a->format == AS_MARKDOWN)
		return schema_markdown(a->kind);
	if (a->format == AS_CMS)
		return schema_frontmatter_cms();
	cJSON *s = a->kind ? schema_of(a->kind) : schema_all();
	char *json = cJSON_Print(s);
	cJSON_Delete(s);
	char *out = xasprintf("%s\n", json);
	cJSON_free(json);
	return out;
}

int cmd_schema(int argc, char **argv)
{
	schema_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc < 0)
		return EXIT_BUILT; /* --help */
	if (rc)
		return rc;
	char *text = render(&a);
	rc = EXIT_BUILT;
	if (!a.out || !strcmp(a.out, "-")) {
		fputs(text, stdout);
	} else {
		rc = scaffold_write_file("the schema to", "-o", a.out, text);
	}
	free(text);
	return rc;
}
