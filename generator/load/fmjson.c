/* fmjson.c - JSON front matter: a JSON object at the top of the file.
 *
 * cJSON parses and validates the object but keeps no positions, so after
 * a successful parse we walk the same text again with a small scanner, in
 * step with cJSON's tree (both list members in file order), noting where
 * each key and value starts. The result is the same fm_node tree the YAML
 * reader builds. */
#include "frontmatter.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "../util/buf.h"

/* Offset just past the '}' that closes the object opening at s[open], or
 * 0 when there is none. Braces inside strings do not count. */
static size_t object_end(const char *s, size_t n, size_t open)
{
	size_t depth = 0;
	int in_string = 0;
	for (size_t i = open; i < n; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{') {
			depth++;
		} else if (c == '}' && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

/* Offset of the '{' or '[' that opens a value nested more than
 * FM_MAX_DEPTH deep in s[open..end) (the object at open is level 1, as in
 * the YAML reader), or 0. Checked before cJSON, whose own limit is far
 * deeper and fails as a bare syntax error. */
static size_t too_deep_at(const char *s, size_t open, size_t end)
{
	size_t depth = 0;
	int in_string = 0;
	for (size_t i = open; i < end; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > FM_MAX_DEPTH)
				return i;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return 0;
}

/* A cursor over text cJSON has already accepted. */
typedef struct jscan {
	const char *s;
	size_t i, n;
	fm_pos pos;
	const char *path;
	diags_t *d;
} jscan;

static void js_advance(jscan *c, size_t count)
{
	for (; count && c->i < c->n; count--)
		fm_pos_step(&c->pos, (unsigned char)c->s[c->i++]);
}

/* cJSON skips every byte up to and including space as white space. */
static void js_skip_ws(jscan *c)
{
	while (c->i < c->n && (unsigned char)c->s[c->i] <= ' ')
		js_advance(c, 1);
}

/* Past a string; -1 after reporting a \u0000 escape in it: cJSON decodes
 * it to a NUL byte, where the C string would end without a word. */
static int js_skip_string(jscan *c, const char *what)
{
	js_advance(c, 1); /* opening quote */
	while (c->i < c->n && c->s[c->i] != '"') {
		if (c->s[c->i] == '\\' && c->i + 6 <= c->n &&
		    !memcmp(c->s + c->i + 1, "u0000", 5)) {
			diag_error(c->d, c->path, c->pos.line, c->pos.col,
				   "%s contains a NUL character (the escape "
				   "\\u0000), which would cut it short; remove it",
				   what);
			return -1;
		}
		js_advance(c, c->s[c->i] == '\\' ? 2 : 1);
	}
	js_advance(c, 1);
	return 0;
}

static size_t js_number_len(const jscan *c)
{
	size_t k = c->i;
	while (k < c->n && strchr("+-0123456789.eE", c->s[k]) && c->s[k])
		k++;
	return k - c->i;
}

static int js_node(jscan *c, const cJSON *item, fm_node *out, int depth);

static int js_members(jscan *c, const cJSON *item, fm_node *out, int depth)
{
	int is_object = cJSON_IsObject(item);
	js_advance(c, 1); /* '{' or '[' */
	for (const cJSON *kid = item->child; kid; kid = kid->next) {
		fm_node *slot = fm_push(out);
		js_skip_ws(c);
		if (is_object) {
			slot->key = xstrdup(kid->string ? kid->string : "");
			slot->key_line = c->pos.line;
			slot->key_col = c->pos.col;
			if (js_skip_string(c, "a key") < 0)
				return -1;
			js_skip_ws(c);
			js_advance(c, 1); /* ':' */
		}
		if (js_node(c, kid, slot, depth + 1) < 0)
			return -1;
		js_skip_ws(c);
		if (kid->next)
			js_advance(c, 1); /* ',' */
	}
	js_skip_ws(c);
	js_advance(c, 1); /* '}' or ']' */
	return is_object ? fm_check_duplicates(out, c->path, c->d) : 0;
}

static int js_node(jscan *c, const cJSON *item, fm_node *out, int depth)
{
	js_skip_ws(c);
	out->line = c->pos.line;
	out->col = c->pos.col;
	if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
		out->type = cJSON_IsObject(item) ? FM_MAP : FM_SEQ;
		if (depth > FM_MAX_DEPTH) {
			diag_error(c->d, c->path, out->line, out->col,
				   "values are nested more than %d levels deep (the limit for front matter); flatten them",
				   FM_MAX_DEPTH);
			return -1;
		}
		return js_members(c, item, out, depth);
	}
	if (cJSON_IsString(item)) {
		out->type = FM_STRING;
		out->text = xstrdup(item->valuestring ? item->valuestring : "");
		if (js_skip_string(c, out->key ? out->key : "this value") < 0)
			return -1;
	} else if (cJSON_IsNumber(item)) {
		size_t len = js_number_len(c);
		out->type = FM_NUMBER;
		out->text = xstrndup(c->s + c->i, len);
		out->num = item->valuedouble;
		js_advance(c, len);
	} else if (cJSON_IsBool(item)) {
		out->type = FM_BOOL;
		out->truth = cJSON_IsTrue(item);
		out->text = xstrdup(out->truth ? "true" : "false");
		js_advance(c, out->truth ? 4 : 5);
	} else {
		out->type = FM_NULL;
		out->text = xstrdup("null");
		js_advance(c, 4);
	}
	return 0;
}

int fm_parse_json(const char *s, size_t n, size_t open, const char *path,
		  fm_doc *doc, size_t *body_at, diags_t *d)
{
	size_t end = object_end(s, n, open);
	if (!end) {
		diag_error(d, path, doc->line, doc->col,
			   "unterminated JSON front matter (no closing })");
		return -1;
	}
	if (end - open > FM_MAX_BYTES) {
		diag_error(d, path, doc->line, doc->col,
			   "front matter is larger than %d KiB",
			   FM_MAX_BYTES / 1024);
		return -1;
	}
	size_t deep = too_deep_at(s, open, end);
	if (deep) {
		int line, col;
		fm_pos_at(s, deep, &line, &col);
		diag_error(d, path, line, col,
			   "values are nested more than %d levels deep (the "
			   "limit for front matter); flatten them",
			   FM_MAX_DEPTH);
		return -1;
	}
	/* the parse end pointer, not cJSON_GetErrorPtr(): that one is a
	 * global, and builds may run on several threads */
	const char *stop = NULL;
	cJSON *json = cJSON_ParseWithLengthOpts(s + open, end - open, &stop, 0);
	if (!json) {
		size_t at = stop && stop >= s + open && stop <= s + end ?
			(size_t)(stop - s) : open;
		int line, col;
		fm_pos_at(s, at, &line, &col);
		diag_error(d, path, line, col, "JSON syntax error");
		return -1;
	}
	jscan c = {.s = s, .i = 0, .n = end, .path = path, .d = d};
	fm_pos_init(&c.pos);
	js_advance(&c, open);
	fm_node root = {0};
	int rc = js_node(&c, json, &root, 1);
	cJSON_Delete(json);
	if (rc < 0) {
		fm_node_free(&root);
		return -1;
	}
	fm_node_free(&doc->root);
	doc->root = root;
	*body_at = end;
	return 0;
}
