/* keys.c - what works on any table of keys: finding a row, hints for an
 * unknown key, required keys. The tables are beside their readers. */
#include "keys.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/chars.h"
#include "load.h"

const key_table *const keys_documents[] = {
	&keys_site, &keys_institution, &keys_network, &keys_page, NULL};

const key_table *keys_table(const char *kind)
{
	for (size_t i = 0; keys_documents[i]; i++)
		if (!strcmp(keys_documents[i]->kind, kind))
			return keys_documents[i];
	return !strcmp(kind, keys_map.kind) ? &keys_map : NULL;
}

const key_spec *keys_find(const key_table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->keys[i].key, key))
			return &t->keys[i];
	return NULL;
}

/* Every table of a document or of what it nests. */
static const key_table *const all_tables[] = {
	&keys_site, &keys_map, &keys_checks, &keys_country,
	&keys_country_basemap, &keys_institution, &keys_network,
	&keys_page, &keys_offer, &keys_fee, &keys_contact, &keys_form,
	&keys_photo, &keys_discipline, NULL};

int keys_text_anywhere(const char *key)
{
	int known = 0;
	for (const key_table *const *t = all_tables; *t; t++) {
		const key_spec *k = keys_find(*t, key);
		if (!k)
			continue;
		known = 1;
		if (k->type == KT_TEXT || k->type == KT_TEXTS ||
		    k->type == KT_MARKDOWN)
			return 1;
	}
	return !known;
}

int keys_one_text(const char *key)
{
	for (const key_table *const *t = all_tables; *t; t++) {
		const key_spec *k = keys_find(*t, key);
		if (k && (k->type == KT_TEXT || k->type == KT_MARKDOWN))
			return 1;
	}
	return 0;
}

int keys_known_anywhere(const char *key, size_t n)
{
	for (const key_table *const *t = all_tables; *t; t++)
		for (size_t i = 0; i < (*t)->n; i++) {
			const key_spec *k = &(*t)->keys[i];
			if (strlen(k->key) == n && !memcmp(k->key, key, n))
				return 1;
			for (const char *const *a = k->aliases; a && *a; a++)
				if (strlen(*a) == n && !memcmp(*a, key, n))
					return 1;
		}
	return 0;
}

const key_spec *keys_alias_of(const key_table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		for (const char *const *a = t->keys[i].aliases; a && *a; a++)
			if (!strcasecmp(*a, key))
				return &t->keys[i];
	return NULL;
}

/* Whether key is one of the keys of some key of t (unknown to t). */
static int keys_find_in_subs(const key_table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->keys[i].sub && keys_find(t->keys[i].sub, key))
			return 1;
	return 0;
}

void keys_unknown(field_ctx *c, const fm_node *v, const key_table *t)
{
	if (v->said) /* a key with a NUL, or written twice: told */
		return;
	/* "{name: Dr A, role:Coordinator}": in { }, a key and its value
	 * with no space after the colon are one key with no value, and the
	 * value is lost: an error, as the same line outside { } is */
	const char *colon = v->type == FM_NULL ? strchr(v->key, ':') : NULL;
	if (colon && colon > v->key && colon[1] && colon[1] != ' ') {
		char *known = xstrndup(v->key, (size_t)(colon - v->key));
		int is_key = keys_find(t, known) != NULL;
		if (is_key && strlen(v->key) <= DIAG_QUOTE_MAX)
			diag_error(c->d, c->path, v->key_line, v->key_col,
				   "put a space after the colon: %s: %s", known,
				   colon + 1);
		else if (is_key)
			diag_error(c->d, c->path, v->key_line, v->key_col,
				   "put a space after the colon of '%s'", known);
		free(known);
		if (is_key)
			return;
	}
	/* "hou<SHY>sing": a known key but for unseen characters in it */
	buf_t bare = BUF_INIT;
	const char *unseen = NULL;
	unsigned ucp = 0;
	for (size_t i = 0, n = strlen(v->key), k; i < n;) {
		unsigned cp;
		const char *o = chars_unseen_space(v->key + i, n - i, &k, &cp);
		if (o && !unseen) {
			unseen = o;
			ucp = cp;
		}
		if (!o)
			buf_put(&bare, v->key + i, k);
		i += k ? k : 1;
	}
	if (unseen && bare.len && keys_find(t, buf_cstr(&bare))) {
		diag_error(c->d, c->path, v->key_line, v->key_col, "the key "
			   "'%s' holds %s%s (U+%04X), unseen, which makes it no "
			   "key partnermap reads: delete it", buf_cstr(&bare),
			   diag_article(unseen), unseen, ucp);
		buf_free(&bare);
		return;
	}
	buf_free(&bare);
	hint_t h;
	hint_init(&h, v->key);
	for (size_t i = 0; i < t->n; i++)
		hint_offer(&h, t->keys[i].key);
	const key_spec *alias = h.best ? NULL : keys_alias_of(t, v->key);
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "unknown key '%.*s%s' (ignored)", DIAG_QUOTE(v->key));
	hint_put(&h, &msg);
	if (alias)
		buf_printf(&msg, "; did you mean %s?", alias->key);
	diag_warning(c->d, UNKNOWN_KEY, c->path, v->key_line, v->key_col, "%s",
		     buf_cstr(&msg));
	buf_free(&msg);
}

void keys_unknown_in(field_ctx *c, const fm_node *map, const fm_node *v,
		     const key_table *t)
{
	size_t i = map && v >= map->kids && v < map->kids + map->n ?
		(size_t)(v - map->kids) : 0;
	/* the nearest key above v written with no value: keys in between
	 * that are its keys too were lined up under it the same way */
	for (size_t k = i; k-- > 0;) {
		const fm_node *up = &map->kids[k];
		const key_spec *spec = keys_find(t, up->key);
		if (up->type != FM_NULL) {
			if (spec || !keys_find_in_subs(t, up->key))
				break;
			continue;
		}
		if (!spec || !spec->sub || !keys_find(spec->sub, v->key))
			break;
		if (v->said)
			return;
		/* an error, whatever checks: says of unknown keys: the
		 * editor's photo, fee or projection would be lost */
		diag_error(c->d, c->path, v->key_line, v->key_col,
			   "'%s' is a key of %s, on line %d, which has no value: "
			   "indent it under %s", v->key, up->key, up->key_line,
			   up->key);
		return;
	}
	keys_unknown(c, v, t);
}

/* The value of map that a closing quote left out made take in the key
 * (fm_node.took_in), or NULL. */
static const fm_node *taken_in_by(const fm_node *map, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; map && i < map->n; i++)
		for (const char *s = map->kids[i].took_in; s && *s;
		     s = strchr(s, '\n') + 1)
			if (!strncmp(s, key, n) && s[n] == '\n')
				return &map->kids[i];
	return NULL;
}

void keys_missing(field_ctx *c, const fm_node *map, const key_table *t,
		  const key_spec *k, int line, int col)
{
	const fm_node *by = taken_in_by(map, k->key);
	if (by)
		diag_error(c->d, c->path, line, col,
			   "missing required %s '%s': the quoted value of '%s' "
			   "on line %d runs on and takes in '%s:' as its text; "
			   "is its closing quote left out?", t->noun, k->key,
			   by->key, by->line, k->key);
	else
		diag_error(c->d, c->path, line, col,
			   "missing required %s '%s' (%s); add a line such as "
			   "%s: %s", t->noun, k->key, k->help, k->key,
			   k->example);
}

void keys_require(field_ctx *c, const fm_node *map, const key_table *t,
		  int line, int col)
{
	for (size_t i = 0; i < t->n; i++) {
		const key_spec *k = &t->keys[i];
		if ((k->flags & KEY_REQUIRED) && !(k->flags & KEY_UNLESS_POINTS) &&
		    !fm_get(map, k->key))
			keys_missing(c, map, t, k, line, col);
	}
}

int keys_store(field_ctx *c, const fm_node *v, const key_spec *k, void *into)
{
	char *member = (char *)into + k->at;
	char **text = (char **)(void *)member;
	char *md = NULL;
	switch (k->store) {
	case KS_NONE:
		return 0;
	case KS_TEXT:
		if (k->flags & KEY_REQUIRED)
			field_required_text(c, v, text);
		else
			field_text(c, v, text);
		break;
	case KS_EMAIL:
		field_email(c, v, text);
		break;
	case KS_BOOL:
		field_bool(c, v, (int *)(void *)member);
		break;
	case KS_MARKDOWN:
		if (field_text(c, v, &md) == 0 && md)
			*text = markdown_to_html(md, strlen(md));
		free(md);
		break;
	}
	return 1;
}

int key_accepts_null(const key_spec *k)
{
	return !(k->flags & KEY_REQUIRED) && k->type != KT_BOOL &&
	       k->type != KT_COLOUR;
}

const char *key_type_name(key_type t)
{
	switch (t) {
	case KT_TEXT: return "text";
	case KT_URL: return "URL";
	case KT_EMAIL: return "e-mail address";
	case KT_DATE: return "date";
	case KT_COUNTRY: return "country code";
	case KT_LOCATION: return "[lat, lon]";
	case KT_SLUGS: return "list of network slugs";
	case KT_WORDS: return "list of words";
	case KT_WORD: return "word";
	case KT_BOOL: return "bool";
	case KT_INT: return "whole number";
	case KT_NUMBER: return "number";
	case KT_COLOUR: return "colour";
	case KT_LANGUAGE: return "language tag";
	case KT_FOLDER: return "folder name";
	case KT_PATH: return "path";
	case KT_MAPPING: return "mapping";
	case KT_ITEMS: return "list of mappings or names";
	case KT_TEXTS: return "list of text";
	case KT_LANGUAGES: return "list of language tags";
	case KT_TERMS: return "list of discipline slugs";
	case KT_MARKDOWN: return "Markdown";
	case KT_WEEKS: return "weeks, n or n-m";
	case KT_MONTHS: return "list of months";
	case KT_DEADLINE: return "date or N weeks";
	case KT_CURRENCY: return "ISO 4217 code";
	case KT_FILE: return "file of the bundle";
	case KT_SIZE: return "size";
	case KT_LIST: return "list of mappings";
	}
	return "value";
}
