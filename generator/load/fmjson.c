/* fmjson.c - JSON front matter: a JSON object at the top of the file.
 *
 * cJSON parses and validates the object but keeps no positions, so after
 * a successful parse we walk the same text again with a small scanner, in
 * step with cJSON's tree (both list members in file order), noting where
 * each key and value starts. The result is the same fm_node tree the YAML
 * reader builds. */
#include "frontmatter.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/chars.h"

/* cJSON_ParseWithLengthOpts of the n bytes at text, *stop where it
 * stopped. cJSON notes where its last parse failed in a variable of its
 * own, shared by the whole process, written at every parse: records are
 * parsed on several threads at once (load.h, site_load_jobs), so parses
 * take turns. This lock guards the library's state, not the build's:
 * builds stay re-entrant. */
static cJSON *json_parse(const char *text, size_t n, const char **stop)
{
	static pthread_mutex_t one_parse = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&one_parse);
	cJSON *json = cJSON_ParseWithLengthOpts(text, n, stop, 0);
	pthread_mutex_unlock(&one_parse);
	return json;
}

/* One step of a scan over JSON text: the byte at s[*i] when it stands
 * outside a string (a quote opens one), or 0 inside a string, where a
 * backslash moves *i past the byte it escapes. */
static char outside_strings(const char *s, size_t *i, int *in_string)
{
	char c = s[*i];
	if (!*in_string) {
		*in_string = c == '"';
		return c;
	}
	if (c == '\\')
		++*i;
	else if (c == '"')
		*in_string = 0;
	return 0;
}

/* Offset just past the '}' that closes the object opening at s[open], or
 * 0 when there is none. Braces inside strings do not count. *deep gets
 * the offset of the first '{' or '[' that opens a value nested more than
 * FM_MAX_DEPTH deep (the object at open is level 1, as in the YAML
 * reader), or 0: checked before cJSON, whose own limit is far deeper and
 * fails as a bare syntax error. */
static size_t object_end(const char *s, size_t n, size_t open, size_t *deep)
{
	size_t braces = 0, nested = 0;
	int in_string = 0;
	*deep = 0;
	for (size_t i = open; i < n; i++) {
		char c = outside_strings(s, &i, &in_string);
		if (c == '{' || c == '[') {
			if (++nested > FM_MAX_DEPTH && !*deep)
				*deep = i;
		} else if ((c == '}' || c == ']') && nested) {
			nested--;
		}
		if (c == '{')
			braces++;
		else if (c == '}' && --braces == 0)
			return i + 1;
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
	int flawed; /* errors in values, each marked said (FM_FLAWED) */
	int marks;  /* values marked said so far */
	const char *field; /* the top-level key being read, or NULL */
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

/* Past a string; -1 after reporting a \u0000 escape in it (once): cJSON
 * decodes it to a NUL byte, where the C string would end without a word.
 * The caller marks the value said; the scan goes on. */
static int js_skip_string(jscan *c, const char *what)
{
	int bad = 0;
	js_advance(c, 1); /* opening quote */
	while (c->i < c->n && c->s[c->i] != '"') {
		if (!bad && c->s[c->i] == '\\' && c->i + 6 <= c->n &&
		    !memcmp(c->s + c->i + 1, "u0000", 5)) {
			diag_error(c->d, c->path, c->pos.line, c->pos.col,
				   "%s contains a NUL character (the escape "
				   "\\u0000), which would cut it short; remove it",
				   what);
			c->flawed++;
			bad = 1;
		}
		js_advance(c, c->s[c->i] == '\\' ? 2 : 1);
	}
	js_advance(c, 1);
	return bad ? -1 : 0;
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
		int marks = c->marks, bad_key = 0;
		js_skip_ws(c);
		if (is_object) {
			slot->key = xstrdup(kid->string ? kid->string : "");
			slot->key_line = c->pos.line;
			slot->key_col = c->pos.col;
			bad_key = js_skip_string(c, "a key") < 0;
			js_skip_ws(c);
			js_advance(c, 1); /* ':' */
		}
		const char *outer = c->field;
		if (is_object) /* the nearest key names an item */
			c->field = slot->key;
		int got = js_node(c, kid, slot, depth + 1);
		c->field = outer;
		if (got < 0)
			return -1;
		/* a value with an error in it is skipped whole by its reader,
		 * but for the bad items alone of a list (fm_marks_only_items) */
		slot = &out->kids[out->n - 1];
		int fresh = c->marks - marks;
		/* its own mistake (a NUL in it) marked a plain value, which
		 * its readers skip: the object around it is read */
		int alone = fresh == 1 && slot->said && fm_is_scalar(slot);
		if (bad_key || (is_object && !alone &&
				!fm_marks_only_items(slot, fresh))) {
			slot->said = 1;
			c->marks++;
		} else if (is_object) {
			/* its bad items alone are skipped: the values around it
			 * (an offer holding disciplines:) are read too */
			c->marks = marks;
		}
		js_skip_ws(c);
		if (kid->next)
			js_advance(c, 1); /* ',' */
	}
	js_skip_ws(c);
	js_advance(c, 1); /* '}' or ']' */
	if (is_object && fm_check_duplicates(out, c->path, c->d) < 0) {
		c->flawed++;
		c->marks++;
	}
	return 0;
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
		char *what = out->key ? xstrdup(out->key) :
			     c->field ? xasprintf("an item of %s", c->field) :
			     xstrdup("this value");
		size_t from = c->i;
		int bad = js_skip_string(c, what) < 0;
		free(what);
		/* written as it is: its quotes around the text, no escape */
		size_t len = strlen(out->text);
		if (!bad && c->i - from == len + 2 &&
		    !memcmp(c->s + from + 1, out->text, len))
			out->text_col = out->col + 1;
		if (bad) {
			out->said = 1;
			c->marks++;
		}
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

/* ---- what is wrong with JSON cJSON refused -------------------------------
 *
 * cJSON says only where it stopped. On failure the object is walked
 * again by the grammar cJSON reads (RFC 8259, with cJSON's leniencies:
 * every byte up to space is white space, a number is what strtod takes),
 * to say what was expected there and after which key. */

typedef struct jcheck {
	const char *s;
	size_t i, n; /* n: just past the object's closing brace */
	size_t at;   /* where the problem is */
	buf_t msg;
} jcheck;

static int jc_fail_at(jcheck *c, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int jc_fail_at(jcheck *c, size_t at, const char *fmt, ...)
{
	va_list ap;
	c->at = at;
	va_start(ap, fmt);
	buf_vprintf(&c->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static void jc_ws(jcheck *c)
{
	while (c->i < c->n && (unsigned char)c->s[c->i] <= ' ')
		c->i++;
}

static char jc_peek(const jcheck *c)
{
	return c->i < c->n ? c->s[c->i] : '\0';
}

static int is_hex4(const char *p, size_t room)
{
	if (room < 4)
		return 0;
	for (int k = 0; k < 4; k++)
		if (!isxdigit((unsigned char)p[k]))
			return 0;
	return 1;
}

/* A string at c->i (its opening quote); what names it in messages. */
static int jc_string(jcheck *c, const char *what)
{
	size_t open = c->i++;
	while (c->i < c->n && c->s[c->i] != '"') {
		if (c->s[c->i] != '\\') {
			c->i++;
			continue;
		}
		char e = c->i + 1 < c->n ? c->s[c->i + 1] : '\0';
		if (e == 'u') {
			if (!is_hex4(c->s + c->i + 2, c->n - c->i - 2))
				return jc_fail_at(c, c->i, "\\u in %s must be "
						  "followed by four hexadecimal digits", what);
			c->i += 6;
		} else if (e && strchr("\"\\/bfnrt", e)) {
			c->i += 2;
		} else {
			return jc_fail_at(c, c->i, "'\\%c' in %s is not an escape "
					  "JSON knows: write \\\\ for a backslash", e, what);
		}
	}
	if (c->i >= c->n)
		return jc_fail_at(c, open, "%s has no closing '\"'", what);
	c->i++;
	return 0;
}

/* A number at c->i, taken as cJSON takes it. */
/* The n bytes at s[at] start as a number but run on into letters or
 * '_' (0x10, 1_000, 10k): -1 after an error that says what to write. */
static int other_notation(jcheck *c, size_t at, size_t n, const char *what)
{
	char word[48];
	snprintf(word, sizeof word, "%.*s", (int)(n > 40 ? 40 : n), c->s + at);
	char *end;
	if ((word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) &&
	    isxdigit((unsigned char)word[2])) {
		unsigned long long v = strtoull(word + 2, &end, 16);
		if (!*end)
			return jc_fail_at(c, at, "%s, %s, is hexadecimal, which "
					  "JSON numbers are not: write %llu", what,
					  word, v);
	}
	if (strchr(word, '_')) {
		char plain[48];
		size_t k = 0;
		int digits = 1;
		for (const char *p = word; *p; p++)
			if (*p != '_') {
				plain[k++] = *p;
				digits &= isdigit((unsigned char)*p) || *p == '.' ||
					  *p == '-';
			}
		plain[k] = '\0';
		if (digits)
			return jc_fail_at(c, at, "%s, %s, is not a JSON number: "
					  "write the digits without '_' (%s)", what,
					  word, plain);
	}
	return jc_fail_at(c, at, "%s, %s, is not a JSON number: write a number "
			  "in digits alone, or text in double quotes (\"%s\")",
			  what, word, word);
}

static int jc_number(jcheck *c, const char *what)
{
	char digits[64];
	size_t k = 0;
	while (k < sizeof digits - 1 && c->i + k < c->n &&
	       strchr("0123456789+-.eE", c->s[c->i + k]) && c->s[c->i + k])
		k++;
	memcpy(digits, c->s + c->i, k);
	digits[k] = '\0';
	char *end = digits;
	strtod(digits, &end);
	if (end == digits)
		return jc_fail_at(c, c->i, "%s is not a number", what);
	/* a number run on into letters or '_': another notation */
	size_t at = c->i, more = (size_t)(end - digits);
	while (at + more < c->n && (isalnum((unsigned char)c->s[at + more]) ||
				    c->s[at + more] == '_'))
		more++;
	if (more > (size_t)(end - digits))
		return other_notation(c, at, more, what);
	c->i += (size_t)(end - digits);
	return 0;
}

/* The bare word at c->i (up to 40 bytes), for a message. */
static void put_word(buf_t *b, const jcheck *c)
{
	size_t k = 0;
	while (c->i + k < c->n && k < 40 &&
	       !strchr(",:[]{}\"\n\r", c->s[c->i + k]))
		k++;
	while (k && c->s[c->i + k - 1] == ' ')
		k--;
	buf_put(b, c->s + c->i, k);
}

static int jc_value(jcheck *c, const char *what);

/* Before a member or an item: the closing bracket close, after a comma
 * (at comma, following the value named last) or not. 1 when closed, 0
 * when a member or an item follows, -1 for a comma before the close. */
static int jc_before(jcheck *c, char close, size_t comma, const char *last)
{
	jc_ws(c);
	if (jc_peek(c) != close)
		return 0;
	if (comma)
		return jc_fail_at(c, comma, "remove the ',' after %s: JSON allows "
				  "no comma before '%c'", last, close);
	c->i++;
	return 1;
}

/* After the value named what: a comma (noted in *comma, what in *last)
 * or close. 1 when closed, 0 after a comma, -1 for anything else. */
static int jc_after(jcheck *c, char close, const char *what, size_t *comma,
		    char **last)
{
	jc_ws(c);
	char ch = jc_peek(c);
	if (ch == close) {
		c->i++;
		return 1;
	}
	/* "O"Brien": text right after a closing quote, the quote meant as
	 * part of the text */
	if (ch != ',' && ch != '"' && c->i > 0 && c->s[c->i - 1] == '"' &&
	    (isalnum((unsigned char)ch) || (unsigned char)ch >= 0x80))
		return jc_fail_at(c, c->i, "text follows the quote that ends %s: "
				  "a double quote inside the text is written \\\", "
				  "and each value ends with \" before its comma",
				  what);
	if (ch != ',')
		return jc_fail_at(c, c->i, "expected ',' or '%c' after %s%s", close,
				  what, ch == '"' ? " (is a comma missing?)" : "");
	*comma = c->i++;
	free(*last);
	*last = xstrdup(what);
	return 0;
}

/* A member's key and its ':'; the key (fresh), or NULL after an error.
 * top: the member is the front matter's own. */
static char *jc_key(jcheck *c, int top)
{
	char ch = jc_peek(c);
	if (ch == '\'') {
		jc_fail_at(c, c->i, "keys are written in double quotes in JSON, "
			   "not single quotes");
		return NULL;
	}
	if (ch != '"') {
		buf_t word = BUF_INIT;
		put_word(&word, c);
		if (isalpha((unsigned char)ch) || ch == '_')
			jc_fail_at(c, c->i, "the key %s must be in double quotes: "
				   "\"%s\": value", buf_cstr(&word), buf_cstr(&word));
		else
			jc_fail_at(c, c->i, "expected a key in double quotes "
				   "(\"key\": value)%s",
				   top ? " to start the front matter" : "");
		buf_free(&word);
		return NULL;
	}
	size_t at = c->i;
	if (jc_string(c, "this key") < 0)
		return NULL;
	char *key = xstrndup(c->s + at + 1, c->i - at - 2);
	jc_ws(c);
	if (jc_peek(c) != ':') {
		jc_fail_at(c, c->i, "expected ':' after the key '%s'", key);
		free(key);
		return NULL;
	}
	c->i++;
	return key;
}

/* An object at c->i; top: the front matter itself. */
static int jc_object(jcheck *c, int top)
{
	size_t comma = 0;
	char *last = NULL;
	int rc = 0;
	c->i++; /* '{' */
	while (rc == 0 && (rc = jc_before(c, '}', comma, last)) == 0) {
		char *key = jc_key(c, top);
		if (!key) {
			rc = -1;
			break;
		}
		char *what = xasprintf("the value of '%s'", key);
		rc = jc_value(c, what);
		if (rc == 0)
			rc = jc_after(c, '}', what, &comma, &last);
		free(what);
		free(key);
	}
	free(last);
	return rc < 0 ? -1 : 0;
}

/* A list at c->i; what names it ("the value of 'networks'"). */
static int jc_array(jcheck *c, const char *what)
{
	const char *of = !strncmp(what, "the value of ", 13) ? what + 13 : what;
	size_t comma = 0;
	char *last = NULL;
	int rc = 0;
	c->i++; /* '[' */
	for (size_t item = 1;
	     rc == 0 && (rc = jc_before(c, ']', comma, last)) == 0; item++) {
		char *name = xasprintf("item %zu of %s", item, of);
		rc = jc_value(c, name);
		if (rc == 0)
			rc = jc_after(c, ']', name, &comma, &last);
		free(name);
	}
	free(last);
	return rc < 0 ? -1 : 0;
}

static int jc_value(jcheck *c, const char *what)
{
	jc_ws(c);
	char ch = jc_peek(c);
	const char *rest = c->s + c->i;
	size_t room = c->n - c->i;
	if (ch == '"')
		return jc_string(c, what);
	if (ch == '{')
		return jc_object(c, 0);
	if (ch == '[')
		return jc_array(c, what);
	if (ch == '-' || isdigit((unsigned char)ch))
		return jc_number(c, what);
	static const char *const words[] = {"true", "false", "null"};
	for (size_t k = 0; k < 3; k++)
		if (room >= strlen(words[k]) && !strncmp(rest, words[k], strlen(words[k]))) {
			c->i += strlen(words[k]);
			return 0;
		}
	if (ch == ',' || ch == '}' || ch == ']' || !ch)
		return jc_fail_at(c, c->i, "%s is missing: write text in double "
				  "quotes, a number, true, false, null, a [list] or "
				  "an {object}", what);
	if (ch == '\'')
		return jc_fail_at(c, c->i, "%s is in single quotes: JSON writes "
				  "text in double quotes", what);
	/* a no-break or other Unicode space, or an unseen character,
	 * pasted for a blank: no white space to JSON (RFC 8259, 2) */
	size_t k;
	unsigned cp;
	const char *unseen = chars_unseen_space(rest, room, &k, &cp);
	if (!unseen && room >= 3 && !memcmp(rest, "\xEF\xBB\xBF", 3)) {
		unseen = "byte order mark";
		cp = 0xFEFF;
	}
	if (unseen)
		return jc_fail_at(c, c->i, "the %s (U+%04X) before %s is no "
				  "space to JSON: %s", unseen, cp, what,
				  chars_zero_width(cp) ? "delete it" :
				  "put a plain space in its place");
	buf_t word = BUF_INIT;
	put_word(&word, c);
	const char *w = buf_cstr(&word);
	/* +5 and .5: numbers JSON writes 5 and 0.5 */
	int rc = (w[0] == '+' || w[0] == '.') && isdigit((unsigned char)w[1]) ?
		jc_fail_at(c, c->i, "%s, %s, is not a JSON number: write %s%s%s",
			   what, w, w[0] == '.' ? "0" : "", w[0] == '.' ? w : w + 1,
			   " (or text in double quotes)") :
		jc_fail_at(c, c->i, "%s must be in double quotes: \"%s\"",
			   what, w);
	buf_free(&word);
	return rc;
}

/* Why cJSON refused the object at s[open..end): 0 with *at and msg set,
 * or -1 when this grammar finds nothing wrong. */
static int describe_json_error(const char *s, size_t open, size_t end,
			       size_t *at, buf_t *msg)
{
	jcheck c = {.s = s, .i = open, .n = end, .msg = BUF_INIT};
	int rc = jc_object(&c, 1);
	if (rc == 0) {
		buf_free(&c.msg);
		return -1;
	}
	*at = c.at;
	*msg = c.msg;
	return 0;
}

/* Whether the line holding s[at] has an odd number of double quotes
 * that no backslash escapes: one too many or too few, the mistake that
 * hides a closing } from object_end. */
static int odd_quotes(const char *s, size_t n, size_t at)
{
	size_t i = at, quotes = 0;
	while (i > 0 && s[i - 1] != '\n')
		i--;
	for (; i < n && s[i] != '\n'; i++)
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			quotes++;
	return quotes % 2 == 1;
}

int fm_parse_json(const char *s, size_t n, size_t open, const char *path,
		  fm_doc *doc, size_t *body_at, diags_t *d)
{
	size_t deep;
	size_t end = object_end(s, n, open, &deep);
	if (!end) {
		/* a quote too many ("O"Brien") hides a } that is there: told
		 * where the JSON goes wrong, when a line ends with } after that
		 * place; only with none is the } missing */
		size_t at, closing = 0;
		buf_t why = BUF_INIT;
		for (size_t i = open; i < n; i++)
			if (s[i] == '}') {
				size_t k = i + 1;
				while (k < n && (s[k] == ' ' || s[k] == '\t' ||
						 s[k] == '\r'))
					k++;
				if (k == n || s[k] == '\n')
					closing = i;
			}
		if (n - open <= FM_MAX_BYTES && closing &&
		    describe_json_error(s, open, closing + 1, &at, &why) == 0 &&
		    at < closing && odd_quotes(s, n, at)) {
			int line, col;
			fm_pos_at(s, at, &line, &col);
			diag_error(d, path, line, col, "%s", buf_cstr(&why));
		} else {
			diag_error(d, path, doc->line, doc->col,
				   "unterminated JSON front matter (no closing "
				   "}): end the object with } on a line before "
				   "the text");
		}
		buf_free(&why);
		return -1;
	}
	if (end - open > FM_MAX_BYTES) {
		diag_error(d, path, doc->line, doc->col,
			   FM_TOO_LARGE,
			   FM_MAX_BYTES / 1024);
		return -1;
	}
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
	cJSON *json = json_parse(s + open, end - open, &stop);
	if (!json) {
		size_t at = stop && stop >= s + open && stop <= s + end ?
			(size_t)(stop - s) : open;
		buf_t why = BUF_INIT;
		int line, col;
		if (describe_json_error(s, open, end, &at, &why) < 0)
			buf_puts(&why, "JSON syntax error");
		fm_pos_at(s, at, &line, &col);
		diag_error(d, path, line, col, "%s", buf_cstr(&why));
		buf_free(&why);
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
	doc->flawed = c.flawed;
	*body_at = end;
	return doc->flawed ? FM_FLAWED : 0;
}
