/* frontmatter.c - split a content file into front matter and body; read
 * YAML front matter through libyaml's event API into fm_node trees.
 *
 * Why events and not libyaml's document API: the document loader expands
 * aliases into shared nodes, which is what makes the "billion laughs"
 * document explode. With events we see the first alias and stop. */
#include "frontmatter.h"
#include "keys.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../util/buf.h"
#include "../util/chars.h"
#include "../util/order.h"
#include "../util/text_unicode.h"
#include "yamlerr.h"

/* ---- positions and UTF-8 ---------------------------------------------- */

void fm_pos_init(fm_pos *p)
{
	p->line = 1;
	p->col = 1;
	p->prev = 0;
}

void fm_pos_step(fm_pos *p, unsigned char c)
{
	if (c == '\n') {
		if (p->prev != '\r') { /* "\r\n" was counted at the '\r' */
			p->line++;
			p->col = 1;
		}
	} else if (c == '\r') {
		p->line++;
		p->col = 1;
	} else if ((c & 0xC0) != 0x80) { /* not a continuation byte */
		p->col++;
	}
	p->prev = c;
}

int fm_col_at(const fm_node *v, size_t off)
{
	if (!v->text_col || !v->text || off > strlen(v->text))
		return v->col;
	int col = v->text_col;
	for (size_t i = 0; i < off; i++)
		col += ((unsigned char)v->text[i] & 0xC0) != 0x80;
	return col;
}

void fm_pos_at(const char *s, size_t off, int *line, int *col)
{
	fm_pos p;
	fm_pos_init(&p);
	for (size_t i = 0; i < off; i++)
		fm_pos_step(&p, (unsigned char)s[i]);
	*line = p.line;
	*col = p.col;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 (RFC 3629 table). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	unsigned lo = 0x80, hi = 0xBF;
	size_t len;
	if (c < 0x80)
		return c ? 1 : 0;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

size_t fm_utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t len = utf8_seq_len(u + i, n - i);
		if (!len)
			return i;
		i += len;
	}
	return n;
}

/* Report a file that is not clean UTF-8; 0 when it is. */
static int check_utf8(const char *s, size_t n, const char *path, diags_t *d)
{
	size_t bad = fm_utf8_invalid_at(s, n);
	if (bad == n)
		return 0;
	int line, col;
	fm_pos_at(s, bad, &line, &col);
	if (s[bad] == '\0')
		diag_error(d, path, line, col, "file contains a NUL byte, so "
			   "it is no text file: save it as plain text (UTF-8)");
	else
		diag_error(d, path, line, col,
			   "file is not valid UTF-8 (byte 0x%02X); save it as UTF-8",
			   (unsigned)(unsigned char)s[bad]);
	return -1;
}

static size_t skip_bom(const char *s, size_t n)
{
	return n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* ---- the value tree --------------------------------------------------- */

fm_node *fm_push(fm_node *parent)
{
	parent->kids = xgrow(parent->kids, &parent->cap, parent->n + 1,
			     sizeof *parent->kids, 4);
	fm_node *kid = &parent->kids[parent->n++];
	memset(kid, 0, sizeof *kid);
	return kid;
}

void fm_node_free(fm_node *n)
{
	for (size_t i = 0; i < n->n; i++)
		fm_node_free(&n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n->took_in);
	free(n->key);
	memset(n, 0, sizeof *n);
}

void fm_doc_free(fm_doc *doc)
{
	fm_node_free(&doc->root);
	doc->body = NULL;
	doc->body_len = 0;
}

/* Messages about one body's characters, at most: a file full of them
 * needs one fix, not a screenful. */
#define BODY_REPORTS 10

int fm_check_body(const fm_doc *doc, const char *path, diags_t *d)
{
	fm_pos p = {doc->body_line, doc->body_col, 0};
	size_t i = 0, found = 0;
	for (;;) {
		unsigned cp;
		size_t at = i + chars_find(doc->body + i, doc->body_len - i,
					   chars_is_unsafe, &cp);
		if (at == doc->body_len)
			break;
		for (; i < at; i++)
			fm_pos_step(&p, (unsigned char)doc->body[i]);
		i += chars_decode(doc->body + at, doc->body_len - at, &cp);
		p.col++;
		if (++found > BODY_REPORTS)
			continue;
		char name[48];
		if (chars_is_control(cp))
			diag_error(d, path, p.line, p.col - 1,
				   "the text contains %s (U+%04X); remove it (it "
				   "would make the page unreadable)",
				   chars_control_what(cp), cp);
		else
			diag_error(d, path, p.line, p.col - 1,
				   "the text contains %s, which reorders the "
				   "text shown after it; remove it (right-to-left "
				   "text needs no such character)",
				   chars_name(cp, name, sizeof name));
	}
	if (found > BODY_REPORTS)
		diag_error(d, path, doc->body_line, doc->body_col,
			   "the text holds %zu more such characters",
			   found - BODY_REPORTS);
	return found ? -1 : 0;
}

const fm_node *fm_get(const fm_node *map, const char *key)
{
	if (map->type != FM_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->kids[i].key, key))
			return &map->kids[i];
	return NULL;
}

const char *fm_type_name(fm_type t)
{
	switch (t) {
	case FM_NULL: return "empty";
	case FM_BOOL: return "a true/false value";
	case FM_NUMBER: return "a number";
	case FM_STRING: return "text";
	case FM_SEQ: return "a list";
	case FM_MAP: return "a mapping";
	}
	return "a value";
}

int fm_is_scalar(const fm_node *n)
{
	return n->type != FM_SEQ && n->type != FM_MAP;
}

/* ---- duplicate keys: sort (key, index) pairs, so big maps stay cheap -- */

/* (repeat, first) pairs, sorted by repeat so messages come in file order */
static int cmp_repeat(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Repeated keys told one by one, at most, in one mapping. */
#define DUPLICATE_REPORTS 10

int fm_check_duplicates(fm_node *map, const char *path, diags_t *d)
{
	if (map->n < 2)
		return 0;
	named_at *refs = xmalloc(map->n * sizeof *refs);
	for (size_t i = 0; i < map->n; i++)
		refs[i] = (named_at){map->kids[i].key, i};
	named_at_sort(refs, map->n, 0);
	size_t (*rep)[2] = xmalloc(map->n * sizeof *rep);
	size_t nrep = 0, first = 0;
	for (size_t i = 1; i < map->n; i++) {
		if (strcmp(refs[i].name, refs[first].name)) {
			first = i;
			continue;
		}
		rep[nrep][0] = refs[i].at;
		rep[nrep][1] = refs[first].at;
		nrep++;
	}
	qsort(rep, nrep, sizeof *rep, cmp_repeat);
	for (size_t i = 0; i < nrep; i++) {
		fm_node *again = &map->kids[rep[i][0]];
		const fm_node *orig = &map->kids[rep[i][1]];
		again->said = 1;
		/* a file of pasted lines needs one fix, not a screenful */
		/* on one line ({a: 1, a: 2}) the line alone does not say
		 * which: the column does */
		if (i < DUPLICATE_REPORTS && again->key_line == orig->key_line)
			diag_error(d, path, again->key_line, again->key_col,
				   "duplicate key '%s' (first at column %d of "
				   "this line): keep one of the two", again->key,
				   orig->key_col);
		else if (i < DUPLICATE_REPORTS)
			diag_error(d, path, again->key_line, again->key_col,
				   "duplicate key '%s' (first at line %d): keep "
				   "one of the two lines", again->key,
				   orig->key_line);
	}
	if (nrep > DUPLICATE_REPORTS) {
		const fm_node *next = &map->kids[rep[DUPLICATE_REPORTS][0]];
		diag_error(d, path, next->key_line, next->key_col,
			   "and %zu more keys repeated from here on: keep one "
			   "line of each", nrep - DUPLICATE_REPORTS);
	}
	free(rep);
	free(refs);
	return nrep ? -1 : 0;
}

/* ---- YAML -------------------------------------------------------------- */

typedef struct ybuild {
	yaml_parser_t parser;
	const char *text;  /* the YAML handed to libyaml */
	size_t len;
	int line0;         /* file line of the YAML's first line, minus 1 */
	const char *path;
	diags_t *d;
	int flawed;        /* errors in values, each marked said (FM_FLAWED) */
	int marks;         /* values marked said so far, less the bad items
					    of plain lists (skipped alone) */
	const char *field; /* the nearest key being read, for messages
			      about values inside it; NULL at the top */
	/* the aliases met, told once when the parse ends: where the first
	 * is and what it names */
	int aliases, alias_line, alias_col;
	char *alias_anchor;
	/* the file line of a syntax error told as a value that starts with
	 * '*' and needs quotes ("name: *Royal Hall"), or 0 */
	int alias_quoted;
	/* runaway-quote warnings, given only when the parse ends well: a
	 * syntax error after such a value is told where the value opens */
	diags_t quotes;
	size_t nquotes; /* such values found: the first RUNAWAY_REPORTS told */
	int more_line, more_col; /* where the first one not told opens */
	int flow;       /* flow collections ([...], {...}) the parse is in */
	diags_t anchors; /* anchored values, told if no alias is met */
	/* a place in the text, to find the next mark's byte from: libyaml's
	 * marks count characters, and come in order */
	size_t mark_chars, mark_byte;
} ybuild;

static void y_mark(const ybuild *b, yaml_mark_t m, int *line, int *col)
{
	*line = (int)m.line + 1 + b->line0;
	*col = (int)m.column + 1;
}

static void y_report(ybuild *b)
{
	yaml_parser_t *p = &b->parser;
	int line, col;
	if (p->error == YAML_MEMORY_ERROR) {
		diag_fatal(b->d, b->path, "out of memory while reading YAML");
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		fm_pos_at(b->text, p->problem_offset, &line, &col);
		line += b->line0;
	} else {
		y_mark(b, p->problem_mark, &line, &col);
	}
	/* the common mistakes, in plain words and where they are */
	yaml_problem yp = {p->problem, p->context,
			   (int)p->problem_mark.line + 1,
			   (int)p->problem_mark.column + 1,
			   (int)p->context_mark.line + 1,
			   (int)p->context_mark.column + 1, b->line0};
	buf_t plain = BUF_INIT;
	if (p->error != YAML_READER_ERROR &&
	    yaml_explain(b->text, b->len, &yp, &line, &col, &plain)) {
		/* the alias told as a value to quote (yamlerr.c) */
		if (strstr(buf_cstr(&plain), "cannot start with *"))
			b->alias_quoted = line;
		diag_error(b->d, b->path, line, col, "%s",
			   buf_cstr(&plain));
		buf_free(&plain);
		return;
	}
	buf_free(&plain);
	const char *problem = p->problem ? p->problem : "YAML syntax error";
	if (p->context) {
		int cline, ccol;
		y_mark(b, p->context_mark, &cline, &ccol);
		diag_error(b->d, b->path, line, col, "%s (%s at line %d)",
			   problem, p->context, cline);
	} else {
		diag_error(b->d, b->path, line, col, "%s", problem);
	}
}

static int y_next(ybuild *b, yaml_event_t *ev)
{
	if (yaml_parser_parse(&b->parser, ev))
		return 0;
	y_report(b);
	return -1;
}

static int word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return 1;
	return 0;
}

/* A decimal number as YAML and JSON write it: sign, digits, an optional
 * fraction and exponent. Rejects hex, "inf", "nan" and "1_000". */
static int is_decimal(const char *s)
{
	int digits = 0;
	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (!digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* The type of a plain (unquoted) YAML scalar. Dates such as 2019-04-01
 * stay text: nothing here turns them into numbers. */
static void resolve_plain(fm_node *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL",
					    NULL};
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
					  "YES", NULL};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No",
					 "NO", NULL};
	if (word_in(n->text, nulls)) {
		n->type = FM_NULL;
	} else if (word_in(n->text, yes) || word_in(n->text, no)) {
		n->type = FM_BOOL;
		n->truth = word_in(n->text, yes);
	} else if (is_decimal(n->text)) {
		n->type = FM_NUMBER;
		n->num = strtod(n->text, NULL);
	} else {
		n->type = FM_STRING;
	}
}

/* The byte offset in b's text of mark m. libyaml's mark.index counts
 * characters (code points, each of a "\r\n" too), not bytes; the walk
 * goes on from the last mark asked for, so marks asked in order cost
 * the text once. */
static size_t y_byte_of(ybuild *b, yaml_mark_t m)
{
	if (m.index < b->mark_chars)
		b->mark_chars = b->mark_byte = 0;
	while (b->mark_chars < m.index && b->mark_byte < b->len) {
		b->mark_byte++;
		while (b->mark_byte < b->len &&
		       ((unsigned char)b->text[b->mark_byte] & 0xC0) == 0x80)
			b->mark_byte++;
		b->mark_chars++;
	}
	return b->mark_byte;
}

/* Where, in the double-quoted scalar between marks from and to, the
 * first escape that makes a NUL is (\0, \x00, \u0000, \U00000000): its
 * line and column into *line, *col, and the escape as written; NULL when
 * there is none. */
static const char *y_nul_escape(ybuild *b, yaml_mark_t from,
				yaml_mark_t to, int *line, int *col)
{
	static const char *const nul[] = {"\\0", "\\x00", "\\u0000",
					  "\\U00000000", NULL};
	size_t i = y_byte_of(b, from), end = y_byte_of(b, to);
	for (; i < end; i++) {
		if (b->text[i] != '\\')
			continue;
		for (size_t k = 0; nul[k]; k++) {
			size_t n = strlen(nul[k]);
			if (end - i >= n && !memcmp(b->text + i, nul[k], n)) {
				fm_pos_at(b->text, i, line, col);
				*line += b->line0;
				return nul[k];
			}
		}
		i++; /* past the escaped character (\\ among them) */
	}
	return NULL;
}

/* A "\0" escape decodes to a NUL byte, where a C string ends: the value
 * would be cut short without a word. Reported at the escape (or, failing
 * that, the value) instead: -1, and the value's node is to be marked
 * said. */
static int y_no_nul(ybuild *b, const yaml_event_t *ev, const char *what)
{
	if (!memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
		return 0;
	int line, col;
	const char *esc = y_nul_escape(b, ev->start_mark, ev->end_mark, &line,
				       &col);
	if (!esc)
		y_mark(b, ev->start_mark, &line, &col);
	if (esc)
		diag_error(b->d, b->path, line, col,
			   "%s contains a NUL character (the escape %s), which "
			   "would cut it short; remove it", what, esc);
	else
		diag_error(b->d, b->path, line, col,
			   "%s contains a NUL character (an escape such as \\0, "
			   "\\x00 or \\u0000), which would cut it short; remove "
			   "it", what);
	b->flawed++;
	return -1;
}

/* The byte offset where the line after the one holding byte i of b's
 * text starts, or len. */
static size_t y_next_line(const ybuild *b, size_t i)
{
	for (; i < b->len; i++)
		if (b->text[i] == '\n' ||
		    (b->text[i] == '\r' && (i + 1 == b->len || b->text[i + 1] != '\n')))
			return i + 1;
	return b->len;
}

/* The byte offset where the line holding mark m starts. */
static size_t y_line_start(ybuild *b, yaml_mark_t m)
{
	size_t i = y_byte_of(b, m);
	while (i > 0 && b->text[i - 1] != '\n' && b->text[i - 1] != '\r')
		i--;
	return i;
}

/* A plain value over several lines, one of which starts with a dash:
 * YAML reads "- nursing" as more of the value's text, where the editor
 * meant an item of a list. An error at the dash (-1), or 0. */
static int y_folded_item(ybuild *b, const yaml_event_t *ev, const fm_node *out)
{
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    ev->start_mark.line == ev->end_mark.line)
		return 0;
	size_t first = y_line_start(b, ev->start_mark), at = first;
	for (size_t no = ev->start_mark.line + 1; no <= ev->end_mark.line; no++) {
		at = y_next_line(b, at);
		size_t i = at;
		while (i < b->len && (b->text[i] == ' ' || b->text[i] == '\t'))
			i++;
		if (i >= b->len || b->text[i] != '-' ||
		    (i + 1 < b->len && b->text[i + 1] != ' ' && b->text[i + 1] != '\t' &&
		     b->text[i + 1] != '\n' && b->text[i + 1] != '\r'))
			continue;
		/* the value's own line: "key: value", or "- value" of a list */
		size_t f = first;
		while (f < b->len && (b->text[f] == ' ' || b->text[f] == '\t'))
			f++;
		int line = b->line0 + (int)no + 1, col = (int)(i - at) + 1;
		int vline = b->line0 + (int)ev->start_mark.line + 1;
		if (b->text[f] == '-' && !out->key) {
			diag_error(b->d, b->path, line, col,
				   "this list item is indented more than the one "
				   "on line %d, and YAML reads it as more of that "
				   "item's text: start its dash in column %d, like "
				   "line %d", vline, (int)(f - first) + 1, vline);
		} else if (out->key && keys_one_text(out->key)) {
			/* "housing: Rooms in the hostel", "  - 10 minutes
			 * away": a field of one text, which no list fits */
			buf_t fix = BUF_INIT;
			if (ev->data.scalar.length <= DIAG_QUOTE_MAX) {
				buf_printf(&fix, ": %s: ", out->key);
				yaml_put_quoted(&fix, (const char *)ev->data.scalar.value,
						ev->data.scalar.length);
			}
			diag_error(b->d, b->path, line, col,
				   "this line starts with a dash, and YAML reads it "
				   "as more of the text of '%s' on line %d, which "
				   "holds one text, not a list: if the dash is part "
				   "of the text, put the whole value in quotes%s",
				   out->key, vline, buf_cstr(&fix));
			buf_free(&fix);
		} else
			diag_error(b->d, b->path, line, col,
				   "this list item follows '%s' on line %d, which "
				   "already has a value, and YAML reads it as more "
				   "of that value's text: a list goes on the lines "
				   "below its key written alone (%s:), or in "
				   "brackets after it ([a, b])",
				   out->key ? out->key : "the key", vline,
				   out->key ? out->key : "key");
		b->flawed++;
		return -1;
	}
	return 0;
}

/* Runaway quoted values told one by one, at most, in one file: a file
 * of pasted lines needs one fix, not a screenful. */
#define RUNAWAY_REPORTS 10

/* A quoted value over several lines, one of which reads as a key or a
 * list item no deeper than the value's own key ("country: UG" under
 * 'city: "Kampala', "- nursing" under '- "medicine'): YAML reads on to
 * the next quote, so a closing quote left out takes in the keys or items
 * below as the value's text, with no syntax error. A warning at the
 * opening quote (its line and column in *out), for the first
 * RUNAWAY_REPORTS such values; then one for the rest. */
static void y_runaway_quote(ybuild *b, const yaml_event_t *ev, fm_node *out)
{
	yaml_scalar_style_t st = ev->data.scalar.style;
	if ((st != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
	     st != YAML_DOUBLE_QUOTED_SCALAR_STYLE) ||
	    ev->start_mark.line == ev->end_mark.line)
		return;
	size_t first = y_line_start(b, ev->start_mark), at = first;
	/* the column of the value's key, which may be on a line above; of
	 * an item, the column of its quote: after blanks and any "- " */
	size_t ind = 0;
	if (out->key && out->key_col > 0) {
		/* key_col counts characters; a key's indentation is blanks */
		ind = (size_t)out->key_col - 1;
	} else for (;;) {
		while (first + ind < b->len && (b->text[first + ind] == ' ' ||
						b->text[first + ind] == '\t'))
			ind++;
		if (first + ind + 1 >= b->len || b->text[first + ind] != '-' ||
		    (b->text[first + ind + 1] != ' ' && b->text[first + ind + 1] != '\t'))
			break;
		ind++;
	}
	char q = st == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? '"' : '\'';
	size_t told_at = 0, told_len = 0; /* the first line taken in */
	int told_item = 0, told_no = 0;
	buf_t keys = BUF_INIT; /* keys lined up with the value's own */
	for (size_t no = ev->start_mark.line + 1; no <= ev->end_mark.line; no++) {
		at = y_next_line(b, at);
		size_t i = at, k;
		while (i < b->len && (b->text[i] == ' ' || b->text[i] == '\t'))
			i++;
		if (i - at > ind)
			continue;
		/* a list item ("- "), or a key ("name:") */
		int item = i + 1 < b->len && b->text[i] == '-' &&
			   strchr(" \t\r\n", b->text[i + 1]);
		for (k = i; !item && k < b->len &&
		     (isalnum((unsigned char)b->text[k]) || b->text[k] == '_' ||
		      b->text[k] == '-'); k++)
			;
		if (!item && (k == i || k >= b->len || b->text[k] != ':' ||
			      (k + 1 < b->len && !strchr(" \t\r\n", b->text[k + 1]))))
			continue;
		if (!item && out->key && i - at == ind) {
			buf_put(&keys, b->text + i, k - i);
			buf_putc(&keys, '\n');
		}
		if (told_no)
			continue;
		if (item) /* the item as written, to its line's end, the quote
			     that closes the value, or 30 bytes */
			for (k = i; k < b->len && k - i < 30 && b->text[k] != q &&
			     !strchr("\r\n", b->text[k]); k++)
				;
		else
			k++; /* the colon too */
		told_at = i;
		told_len = k - i;
		told_item = item;
		told_no = b->line0 + (int)no + 1;
	}
	if (keys.len) {
		free(out->took_in);
		out->took_in = xstrndup(keys.ptr, keys.len);
	}
	buf_free(&keys);
	if (!told_no)
		return;
	if (b->nquotes == RUNAWAY_REPORTS) {
		b->more_line = out->line;
		b->more_col = out->col;
	}
	if (b->nquotes++ < RUNAWAY_REPORTS)
		diag_warning(&b->quotes, RUNAWAY_QUOTE, b->path, out->line,
			     out->col, "this quoted value runs on to line %d and "
			     "takes in %s'%.*s' on line %d as its text: if the "
			     "quote (%c) that opens it is not closed on this line "
			     "by mistake, end the value with %c here; if those "
			     "lines are its text, indent them more than %s",
			     b->line0 + (int)ev->end_mark.line + 1,
			     told_item ? "the list item " : "", (int)told_len,
			     b->text + told_at, told_no, q, q,
			     out->key ? "its key" : "its opening quote");
}

/* What writes out's value as text[0..n) in quotes: after its key, or as
 * a list item ("- " in a block list; the item alone in a [list]). */
static void put_fix_quoted(const ybuild *b, buf_t *fix, const fm_node *out,
			   const char *text, size_t n)
{
	if (out->key)
		buf_printf(fix, "%s: ", out->key);
	else if (!b->flow)
		buf_puts(fix, "- ");
	yaml_put_quoted(fix, text, n);
}

/* The fix for a value a comment cut: a[0..na) and z[0..nz), joined by a
 * blank (none when a is empty), in quotes after the value's key or dash
 * (put_fix_quoted); a line of pasted text is named (whole), not repeated. */
static void put_joined_fix(const ybuild *b, buf_t *fix, const fm_node *out,
			   const char *a, size_t na, const char *z, size_t nz,
			   const char *whole)
{
	buf_t text = BUF_INIT;
	buf_put(&text, a, na);
	if (na)
		buf_putc(&text, ' ');
	buf_put(&text, z, nz);
	if (text.len <= DIAG_QUOTE_MAX)
		put_fix_quoted(b, fix, out, text.ptr, text.len);
	else
		buf_puts(fix, whole);
	buf_free(&text);
}

/* Where a comment that starts with a digit after the value ending at
 * byte end begins ("RCSI #1": the '#'), and in *stop where its text
 * ends (the line's end; in a [list] or {mapping}, a comma or closing
 * bracket before it), blanks trimmed; 0 when none follows. */
static size_t y_digit_comment(const ybuild *b, size_t end, size_t *stop)
{
	const char *t = b->text;
	size_t i = end;
	while (i < b->len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i + 1 >= b->len || t[i] != '#' || i == end ||
	    !text_starts_with_digit(t + i + 1, b->len - i - 1))
		return 0;
	size_t e = i;
	while (e < b->len && t[e] != '\n' && t[e] != '\r' &&
	       !(b->flow && strchr(",]}", t[e])))
		e++;
	while (e > i && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	*stop = e;
	return i;
}

/* The least indentation a line of out's value has below its first: past
 * its key's (the key's column less one), or an item's text's. */
static long y_text_indent(const fm_node *out)
{
	return out->key ? out->key_col - 1 : out->col - 3;
}

/* Whether the line from byte ls (its end at *le) is a comment of a digit
 * alone, indented more than least: the '#' in *hash, its text's end,
 * blanks trimmed, in *le. */
static int y_digit_line(const ybuild *b, size_t ls, long least, size_t *hash,
			size_t *le)
{
	const char *t = b->text;
	size_t i = ls, e;
	while (i < b->len && t[i] == ' ')
		i++;
	if ((long)(i - ls) <= least || i + 1 >= b->len || t[i] != '#' ||
	    !text_starts_with_digit(t + i + 1, b->len - i - 1))
		return 0;
	for (e = i; e < b->len && t[e] != '\n' && t[e] != '\r'; e++)
		;
	while (e > i && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	*hash = i;
	*le = e;
	return 1;
}

/* stop, the end of a comment of a digit that cut out's value, moved on
 * over the lines below that are comments of a digit too, indented as the
 * value's text, blank lines between ("#1 in Dublin", "#2 campus"): each
 * hid words of the value as the first did. */
static size_t y_more_digit_lines(const ybuild *b, const fm_node *out,
				 size_t stop)
{
	if (b->flow)
		return stop;
	for (size_t ls = y_next_line(b, stop); ls < b->len;) {
		size_t h, le, k = ls;
		while (k < b->len && strchr(" \t\r", b->text[k]))
			k++;
		if (k < b->len && b->text[k] == '\n') { /* a blank line */
			ls = k + 1;
			continue;
		}
		if (!y_digit_line(b, ls, y_text_indent(out), &h, &le))
			break;
		stop = le;
		ls = y_next_line(b, le);
	}
	return stop;
}

/* To out, the text s[0..n) of a comment over lines as one: each line's
 * text trimmed, joined by a blank; a blank line between is a line break,
 * as YAML folds a value's lines (YAML 1.2, 6.5). */
static void y_join_lines(buf_t *out, const char *s, size_t n)
{
	int blank = 0, first = 1;
	for (size_t i = 0; i < n;) {
		size_t e = i;
		while (e < n && s[e] != '\n' && s[e] != '\r')
			e++;
		size_t a = i, z = e;
		while (a < z && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t'))
			z--;
		if (a == z) {
			blank += !first;
		} else {
			if (!first)
				for (buf_putc(out, blank ? '\n' : ' '); blank > 1;
				     blank--)
					buf_putc(out, '\n');
			blank = 0;
			first = 0;
			buf_put(out, s + a, z - a);
		}
		i = e;
		if (i < n)
			i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
	}
}

/* A comment that starts with a digit on the line below the value that
 * ends at byte end ("name: Royal College", "  #1 in Dublin"), indented
 * as the value's text goes on (more than its key, or as its list item):
 * the '#', with *stop as y_digit_comment gives it; 0 when there is none,
 * or a comment ends the value's own line (a note of words there is the
 * note, and one of a digit is told at it). */
static size_t y_digit_comment_below(const ybuild *b, const fm_node *out,
				    size_t end, size_t *stop)
{
	const char *t = b->text;
	size_t i = end;
	if (b->flow)
		return 0;
	while (i < b->len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i >= b->len || (t[i] != '\n' && t[i] != '\r'))
		return 0;
	/* the next line with something on it: a blank line does not end
	 * a plain value */
	for (i = y_next_line(b, i); i < b->len;) {
		size_t k = i;
		while (k < b->len && strchr(" \t\r", t[k]))
			k++;
		if (k >= b->len || t[k] != '\n')
			break;
		i = k + 1;
	}
	size_t h, le;
	if (!y_digit_line(b, i, y_text_indent(out), &h, &le))
		return 0;
	*stop = le;
	return h;
}

/* Whether the value being read may be text a comment cut: its field is
 * text to some table, or unknown ("country: KE #1", "type: clinical #1",
 * an item of languages_of_instruction: no text goes on after a '#',
 * which starts a note). Looked up only where a comment of a digit was
 * found: the tables are walked key by key. */
static int y_text_field(const ybuild *b)
{
	return !b->field || keys_text_anywhere(b->field);
}

/* In a [list] over lines, "#2 fr," alone on its line or after a comma:
 * YAML takes it all for a comment (YAML 1.2, 6.6), so the list leaves the
 * item bytes i..e out with no error. A comment-in-value warning at the
 * '#', with the item in quotes. */
static void y_comment_item_lost(ybuild *b, size_t i, size_t e)
{
	int line, col;
	fm_pos_at(b->text, i, &line, &col);
	const char *more = e - i > DIAG_QUOTE_MAX ? "..." : "";
	buf_t fix = BUF_INIT;
	if (!*more)
		yaml_put_quoted(&fix, b->text + i, e - i);
	else
		buf_puts(&fix, "the item, from the '#'");
	if (*more)
		e = i + DIAG_QUOTE_MAX;
	diag_warning(&b->quotes, COMMENT_IN_VALUE, b->path, b->line0 + line,
		     col, "'%.*s%s' starts a YAML comment here, so the list "
		     "leaves out the rest of this line: if it is an item, put "
		     "it in quotes: %s",
		     (int)(e - i), b->text + i, more, buf_cstr(&fix));
	buf_free(&fix);
}

static void y_hidden_items(ybuild *b, size_t ls, int item_below);

/* In a [list] over lines, "[medicine" and "  #2 of adults" below, with
 * only the closing bracket after: the comment (bytes h..e) was meant to
 * go on the item at bytes f..p, which no comma ends. A comment-in-value
 * warning at the '#', with the item and it in quotes. */
static void y_comment_item_goes_on(ybuild *b, size_t f, size_t p, size_t h,
				   size_t e)
{
	int line, col;
	fm_pos_at(b->text, h, &line, &col);
	buf_t v = BUF_INIT, fix = BUF_INIT;
	buf_put(&v, b->text + f, p - f);
	buf_putc(&v, ' ');
	buf_put(&v, b->text + h, e - h);
	if (v.len <= DIAG_QUOTE_MAX)
		yaml_put_quoted(&fix, v.ptr, v.len);
	else
		buf_puts(&fix, "the item, from its first character");
	int shown = p - f <= DIAG_QUOTE_MAX && e - h <= DIAG_QUOTE_MAX;
	diag_warning(&b->quotes, COMMENT_IN_VALUE, b->path, b->line0 + line,
		     col, "'%.*s' starts a YAML comment here, so the item%s%.*s%s "
		     "ends before it: if it is part of the item, put the item "
		     "in quotes: %s", shown ? (int)(e - h) : 1, b->text + h,
		     shown ? " '" : "", shown ? (int)(p - f) : 0, b->text + f,
		     shown ? "'" : "", buf_cstr(&fix));
	buf_free(&v);
	buf_free(&fix);
}


/* "housing: #2 rooms in the" and "  hostel" on the line below: the
 * comment after the key is not the value, which is what follows on the
 * next lines ("hostel"). So with the comment on a line of its own
 * between the key and the value ("housing:", "  #2 rooms in the",
 * "  hostel"), and after a list item's dash ("- #2 item", "    hostel"):
 * the comment's text, lost with no error, was the value's first words.
 * Told as y_comment_in_value tells a comment after a value, with the
 * comment's text first in the fix, and one after the value (which ends
 * at byte end; it starts at byte start) last. 1 when told. */
static int y_comment_before_value(ybuild *b, const yaml_event_t *ev,
				  const fm_node *out, size_t start, size_t end)
{
	const char *t = b->text;
	size_t ls = start;
	while (ls > 0 && (t[ls - 1] == ' ' || t[ls - 1] == '\t'))
		ls--;
	if (ls == 0 || (t[ls - 1] != '\n' && t[ls - 1] != '\r') ||
	    start > b->len)
		return 0;
	/* the line above with something on it (a blank line between is no
	 * end of the value), and its key's colon */
	size_t pe = ls - 1, ps = pe, k, e = 0;
	for (;;) {
		while (ps > 0 && t[ps - 1] != '\n' && t[ps - 1] != '\r')
			ps--;
		size_t q = ps;
		while (q < pe && strchr(" \t\r", t[q]))
			q++;
		if (q < pe || ps == 0)
			break;
		pe = ps - 1;
		ps = pe;
	}
	size_t lead = ps;
	while (lead < pe && (t[lead] == ' ' || t[lead] == '\t'))
		lead++;
	if (b->flow && y_text_field(b)) {
		/* the item starts its line: the items comments hid above */
		size_t line = ls;
		while (line > 0 && t[line - 1] != '\n' && t[line - 1] != '\r')
			line--;
		y_hidden_items(b, line, 1);
	}
	size_t i = 0;
	if (t[lead] == '#' && lead + 1 < pe &&
	    text_starts_with_digit(t + lead + 1, pe - lead - 1)) {
		/* a comment line between the key (above it) and the value:
		 * "housing:", "  #2 rooms in the", "  hostel"; and those of
		 * a digit above it, as deep ("  #1 beds"), from the first */
		i = lead;
		for (e = pe; e > i && strchr(" \t\r", t[e - 1]); e--)
			;
		for (size_t up = ps, h, le; up > 0 && !b->flow;) {
			size_t as = up - 1;
			while (as > 0 && t[as - 1] != '\n' && t[as - 1] != '\r')
				as--;
			size_t c = as;
			while (c < up - 1 && strchr(" \t\r", t[c]))
				c++;
			if (c < up - 1 && !y_digit_line(b, as, y_text_indent(out),
							&h, &le))
				break;
			if (c < up - 1)
				i = h;
			up = as;
		}
	} else if (b->flow) {
		/* "[med, #2 item" and "  nursing]" below: the comment right
		 * after a comma or an opening bracket began the item */
		size_t h = ps;
		while (h < pe && !(t[h] == '#' && h > ps &&
				   (t[h - 1] == ' ' || t[h - 1] == '\t')))
			h++;
		while (h < pe && h > ps && (t[h - 1] == ' ' || t[h - 1] == '\t'))
			h--;
		if (h < pe && h > ps && strchr(",[{", t[h - 1]))
			i = y_digit_comment(b, h, &e);
	} else if (t[lead] == '-' && (t[lead + 1] == ' ' || t[lead + 1] == '\t')) {
		/* a list item's: "- #2 item in the", "    hostel" */
		i = y_digit_comment(b, lead + 1, &e);
	} else {
		for (k = ps; k < pe; k++)
			if (t[k] == ':' && (t[k + 1] == ' ' || t[k + 1] == '\t'))
				break;
		i = k < pe ? y_digit_comment(b, k + 1, &e) : 0;
	}
	/* in [ ]: a comment that a comma ends ("#2 fr,") hid an item of
	 * its own, not the start of the one below: told as the item it
	 * was, lost from the list */
	if (b->flow && i && i < pe) {
		size_t c = i;
		while (c < pe && !strchr(",]}", t[c]))
			c++;
		e = c;
		while (e > i && strchr(" \t\r", t[e - 1]))
			e--;
		if (c < pe)
			return 0; /* told by y_hidden_items */
	}
	if (!i || i >= pe || !y_text_field(b))
		return 0;
	int line, col;
	fm_pos_at(t, i, &line, &col);
	/* the value, and a comment after it too ("hostel #3 x") */
	buf_t fix = BUF_INIT, value = BUF_INIT;
	buf_put(&value, ev->data.scalar.value, ev->data.scalar.length);
	size_t e2 = 0, i2 = y_digit_comment(b, end, &e2);
	if (i2) {
		buf_putc(&value, ' ');
		buf_put(&value, t + i2, e2 - i2);
	}
	buf_t cut = BUF_INIT;
	y_join_lines(&cut, t + i, e - i);
	put_joined_fix(b, &fix, out, cut.ptr ? cut.ptr : "", cut.len, value.ptr,
		       value.len, "the whole value, from the '#'");
	buf_free(&value);
	/* the message quotes the first line of it */
	size_t e1 = i;
	while (e1 < e && t[e1] != '\n' && t[e1] != '\r')
		e1++;
	while (e1 > i && (t[e1 - 1] == ' ' || t[e1 - 1] == '\t'))
		e1--;
	e = e1;
	buf_free(&cut);
	const char *more = e - i > DIAG_QUOTE_MAX ? "..." : "";
	if (*more)
		e = i + DIAG_QUOTE_MAX;
	diag_warning(&b->quotes, COMMENT_IN_VALUE, b->path, b->line0 + line,
		     col, "'%.*s%s' starts a YAML comment here, so the value is "
		     "what the lines below it hold%s%s%s: if the comment is part "
		     "of the value, put the value in quotes: %s", (int)(e - i),
		     t + i, more,
		     ev->data.scalar.length <= DIAG_QUOTE_MAX ? ", '" : "",
		     ev->data.scalar.length <= DIAG_QUOTE_MAX ?
		     (const char *)ev->data.scalar.value : "",
		     ev->data.scalar.length <= DIAG_QUOTE_MAX ? "'" : "",
		     buf_cstr(&fix));
	buf_free(&fix);
	return 1;
}

/* A plain text value followed on its line, or alone on the line below
 * (y_digit_comment_below), by " #" and a digit ("name: RCSI #1",
 * "housing: #2 rooms", "- Room #4"): YAML takes the '#' after a
 * blank for the start of a comment (YAML 1.2, section 6.6), so the value
 * ends before it, cut short with no error. A warning at the '#', with the
 * fix: the value as YAML read it and the comment's text, in quotes. A
 * comment that starts with a word ("country: KE #Kenya") or a blank is
 * taken for one, as is any after a number, a date's or a boolean's
 * value; so is an empty colour's, which empty-colour tells. In a [list]
 * or {mapping} over several lines, the comment's text up to a comma or
 * a closing bracket is the item's. */
static void y_comment_in_value(ybuild *b, const yaml_event_t *ev,
			       const fm_node *out)
{
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (out->type != FM_STRING && out->type != FM_NULL))
		return;
	const char *t = b->text;
	/* the marks in order: y_byte_of walks on from the last */
	size_t start = y_byte_of(b, ev->start_mark);
	size_t end = y_byte_of(b, ev->end_mark), e = 0;
	if (ev->data.scalar.length &&
	    y_comment_before_value(b, ev, out, start, end))
		return;
	/* an empty value's marks are at the comment: from its key's colon */
	if (!ev->data.scalar.length)
		while (end > 0 && (t[end - 1] == ' ' || t[end - 1] == '\t'))
			end--;
	size_t i = y_digit_comment(b, end, &e);
	if (!i) /* "housing:" or "-", and "  #2 rooms" below */
		i = y_digit_comment_below(b, out, end, &e);
	if (!i || (!ev->data.scalar.length && out->key &&
		   !strcmp(out->key, "colour")) || !y_text_field(b))
		return;
	/* a date or another value of digits, or an address, that the
	 * comment follows: no text of a name goes on after them; a value of
	 * words that ends in an address ("See https://…/a #2 for rooms")
	 * is text that goes on */
	const char *v = (const char *)ev->data.scalar.value;
	int letters = 0;
	for (size_t k = 0; k < ev->data.scalar.length; k++)
		letters += isalpha((unsigned char)v[k]) || (v[k] & 0x80);
	if ((ev->data.scalar.length && !letters) ||
	    (strstr(v, "://") && !strpbrk(v, " \t")))
		return;
	int line, col;
	fm_pos_at(t, i, &line, &col);
	/* comment lines of a digit below it hid the value's words too: in
	 * the fix, joined; the message quotes the first */
	size_t all = y_more_digit_lines(b, out, e);
	buf_t cut = BUF_INIT, fix = BUF_INIT;
	y_join_lines(&cut, t + i, all - i);
	put_joined_fix(b, &fix, out, (const char *)ev->data.scalar.value,
		       ev->data.scalar.length, cut.ptr ? cut.ptr : "", cut.len,
		       "the whole value, from its first character");
	buf_free(&cut);
	const char *more = e - i > DIAG_QUOTE_MAX ? "..." : "";
	if (*more)
		e = i + DIAG_QUOTE_MAX;
	int shown = ev->data.scalar.length <= DIAG_QUOTE_MAX;
	if (ev->data.scalar.length)
		diag_warning(&b->quotes, COMMENT_IN_VALUE, b->path,
			     b->line0 + line, col, "'%.*s%s' starts a YAML comment "
			     "here, so the value ends before it%s%s%s: if it is "
			     "part of the value, put the value in quotes: %s",
			     (int)(e - i), t + i, more, shown ? " and reads '" : "",
			     shown ? (const char *)ev->data.scalar.value : "",
			     shown ? "'" : "", buf_cstr(&fix));
	else
		diag_warning(&b->quotes, COMMENT_IN_VALUE, b->path,
			     b->line0 + line, col, "'%.*s%s' starts a YAML comment "
			     "here, so the value is empty: if it is the value, "
			     "put it in quotes: %s", (int)(e - i), t + i, more,
			     buf_cstr(&fix));
	buf_free(&fix);
}

/* A literal block scalar's lines (YAML 1.2 section 8.1.2): each is the
 * file's line after the indicator's, less the block's indentation
 * (spaces: the first line with text shows it, unless an indentation
 * indicator gives it). Into out->block_line and block_indent, when
 * every line of the text so matches the file's; else left 0. */
static void literal_lines(ybuild *b, const yaml_event_t *ev, fm_node *out)
{
	size_t at = y_byte_of(b, ev->start_mark);
	size_t end = y_byte_of(b, ev->end_mark);
	if (at >= b->len || end > b->len)
		return;
	const char *s = b->text;
	/* the indicator's line: "|", chomping, an indentation digit */
	int given = 0;
	while (at < end && s[at] != '\n') {
		if (s[at] >= '1' && s[at] <= '9' && !given)
			given = s[at] - '0';
		if (s[at] == '#')
			break;
		at++;
	}
	while (at < end && s[at] != '\n')
		at++;
	if (at >= end)
		return;
	at++; /* the first line of the block */
	/* an indentation indicator counts from the parent's indentation,
	 * which is not known here: such a block is told at its value */
	if (given)
		return;
	int indent = 0;
	for (size_t p = at; p < end && !indent;) {
		size_t k = 0;
		while (p + k < end && s[p + k] == ' ')
			k++;
		if (p + k < end && s[p + k] != '\n')
			indent = (int)k;
		while (p < end && s[p] != '\n')
			p++;
		p++;
	}
	if (!indent)
		return;
	/* each line of the text is its file line from the indentation on */
	const char *t = (const char *)ev->data.scalar.value;
	size_t tn = ev->data.scalar.length, ti = 0, p = at;
	while (ti < tn && p < end) {
		size_t tl = 0;
		while (ti + tl < tn && t[ti + tl] != '\n')
			tl++;
		size_t fl = 0;
		while (p + fl < end && s[p + fl] != '\n')
			fl++;
		int blank = tl == 0;
		if (!blank && (fl < (size_t)indent + tl ||
			       memcmp(s + p + indent, t + ti, tl)))
			return;
		ti += tl + 1;
		p += fl + 1;
	}
	int line, col;
	y_mark(b, ev->start_mark, &line, &col);
	out->block_line = line + 1;
	out->block_indent = indent;
}

/* A value that starts with an anchor ("&Royal Hall") or a tag other than
 * YAML's own ("! Royal", "!Royal"): YAML takes "&Royal" or "!Royal" for
 * a property of the value, not its text (YAML 1.2, 6.9), and drops it
 * with no syntax error. Front matter has no use for either, so it is an
 * error at the value, with the fix: the value in quotes as typed. A tag's
 * is told at once: -1, and the value is to be marked said. An anchor's
 * goes to b->anchors, told when the parse ends only if the file has no
 * alias: one written with aliases meant its anchors as such, and the
 * alias's error says to write the values out. */
static int y_property(ybuild *b, const yaml_event_t *ev, const fm_node *out)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	int tagged = tag && tag[0] == '!';
	if (!ev->data.scalar.anchor && !tagged)
		return 0;
	const char *t = b->text;
	size_t from = y_byte_of(b, ev->start_mark);
	size_t end = y_byte_of(b, ev->end_mark), stop = 0;
	/* on its line: a value over several lines is rare enough here */
	size_t eol = y_next_line(b, from);
	if (end > eol || end <= from)
		end = eol;
	while (end > from && strchr(" \t\r\n", t[end - 1]))
		end--;
	if (y_digit_comment(b, end, &stop))
		end = stop; /* "&Royal Hall #1": the comment is told with it */
	buf_t fix = BUF_INIT;
	put_fix_quoted(b, &fix, out, t + from, end - from);
	diag_error(tagged ? b->d : &b->anchors, b->path, out->line, out->col,
		   "a value cannot start with %c unless it is in quotes: %s",
		   t[from], buf_cstr(&fix));
	buf_free(&fix);
	if (!tagged)
		return 1;
	b->flawed++;
	return -1;
}

static int y_scalar(ybuild *b, const yaml_event_t *ev, fm_node *out)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	y_mark(b, ev->start_mark, &out->line, &out->col);
	/* an item names the field it is in: two items of networks with a
	 * NUL each are not both "this value" */
	char *what = out->key ? xstrdup(out->key) :
		     b->field ? xasprintf("an item of %s", b->field) :
		     xstrdup("this value");
	int told = y_property(b, ev, out);
	if (told < 0 || y_no_nul(b, ev, what) < 0 ||
	    y_folded_item(b, ev, out) < 0) {
		out->said = 1; /* the rest of the file is still read */
		b->marks++;
	}
	free(what);
	y_runaway_quote(b, ev, out);
	out->text = xstrndup((const char *)ev->data.scalar.value,
			     ev->data.scalar.length);
	out->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	/* written as it is: on one line, as many characters as the text
	 * (libyaml's marks count characters) and its quotes */
	int quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		     ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	size_t chars = 0;
	for (size_t i = 0; i < ev->data.scalar.length; i++)
		chars += (ev->data.scalar.value[i] & 0xC0) != 0x80;
	if (ev->start_mark.line == ev->end_mark.line &&
	    (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE || quoted) &&
	    ev->end_mark.index - ev->start_mark.index == chars + 2 * (size_t)quoted)
		out->text_col = out->col + quoted;
	if (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE)
		literal_lines(b, ev, out);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag && !strcmp(tag, YAML_STR_TAG)))
		out->type = FM_STRING;
	else
		resolve_plain(out);
	if (!told)
		y_comment_in_value(b, ev, out);
	return 0;
}

static int y_node(ybuild *b, yaml_event_t *ev, fm_node *out, int depth);

int fm_marks_only_items(const fm_node *v, int marks)
{
	if (!marks)
		return 1;
	if (v->type != FM_SEQ && v->type != FM_MAP)
		return 0;
	int items = 0;
	for (size_t i = 0; i < v->n; i++)
		items += v->kids[i].said && fm_is_scalar(&v->kids[i]);
	return items == marks;
}

/* The rest of a number after a thousands comma: three digits, and a
 * fraction after the last group ("000", "500.25"); with words, a key of
 * a mapping may go on with a blank and a word ("000 GBP" of "{fee: 1,000
 * GBP}"). */
static int is_digit_group(const char *s, int words)
{
	for (int i = 0; i < 3; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[3] == '\0' || (s[3] == '.' && is_decimal(s + 3)))
		return 1;
	size_t n = 3 + (s[3] == '.' ? strspn(s + 4, "0123456789") + 1 : 0);
	/* a currency's code, name or sign ("GBP", "euros", "\u20ac", "$"),
	 * not a line of text */
	unsigned char w = s[n] ? (unsigned char)s[n + 1] : 0; /* "000." ends there */
	if (words && (s[3] != '.' || n > 4) && (unsigned char)s[n] >= 0x80 &&
	    strlen(s + n) <= 24)
		return 1; /* a sign right after: "000\u20ac" */
	return words && (s[3] != '.' || n > 4) && s[n] == ' ' &&
	       (isalpha(w) || w >= 0x80 || w == '$') && strlen(s + n) <= 24;
}

/* The text of kid i of coll as written where it ends: in a mapping its
 * value, or (key) its key; in a list the item. NULL for a collection. */
static const char *written(const fm_node *coll, size_t i, int key, int *line,
			   int *col)
{
	const fm_node *k = &coll->kids[i];
	*line = key ? k->key_line : k->line;
	*col = key ? k->key_col : k->col;
	return key ? k->key : fm_is_scalar(k) ? k->text : NULL;
}

/* The group of digits written right after kid i of coll (its value, or
 * with key its key) and a comma, on its line: in a mapping the next key,
 * in a list the next item. NULL when there is none. */
static const char *next_group(const fm_node *coll, size_t i, int key)
{
	int line, col, at_line, at_col;
	const char *text = written(coll, i, key, &line, &col);
	if (i + 1 >= coll->n || !text)
		return NULL;
	int is_map = coll->type == FM_MAP;
	const char *next = written(coll, i + 1, is_map, &at_line, &at_col);
	/* libyaml's columns count characters: "\u00a31" is two */
	int chars = 0;
	for (const char *p = text; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (!next || (!is_map && coll->kids[i + 1].type != FM_NUMBER) ||
	    !is_digit_group(next, is_map) || at_line != line ||
	    at_col != col + chars + 1)
		return NULL;
	return next;
}

/* A number written with thousands separators inside { } or [ ] reaches
 * here as two values: "{amount: 1,000}" as 1 and a key '000', "[1,000]"
 * as 1 and 000 (a comma separates the values of a flow collection, YAML
 * 1.2 section 7.4). A plain whole number of one to three digits followed,
 * right after the comma, by three digits is reported at the number, with
 * the number it was meant to be, and the values it became are marked
 * said. A fee's amount and currency so split ("{fee: 1,000 GBP}") is
 * given back its text, as typed, and the keys its groups became are
 * taken out: the fee's check tells it with the whole fix. */
/* Whether text ends in one to three digits that start its number
 * ("1", "GBP 1", "\u00a31", "-1"): the first group of an amount. */
static int ends_first_group(const char *text)
{
	size_t n = strlen(text), d = 0;
	while (d < n && isdigit((unsigned char)text[n - 1 - d]))
		d++;
	return d >= 1 && d <= 3 && (d == n || !strchr(".,", text[n - 1 - d]));
}

static void y_thousands(ybuild *b, fm_node *coll)
{
	int is_map = coll->type == FM_MAP;
	for (size_t i = 0; i < coll->n; i++) {
		const fm_node *v = &coll->kids[i];
		size_t len = v->type == FM_NUMBER ? strlen(v->text) : 0;
		const char *group = next_group(coll, i, 0);
		/* a fee's currency may come first: "{fee: GBP 1,000}" */
		int fee = is_map && v->key && !strcmp(v->key, "fee") &&
			  fm_is_scalar(v) && v->text && ends_first_group(v->text);
		if (!group || (!fee && (len < 1 || len > 3 ||
			       strspn(v->text, "0123456789") != len)))
			continue;
		buf_t meant = BUF_INIT, as_written = BUF_INIT;
		buf_puts(&meant, v->text);
		buf_puts(&as_written, v->text);
		size_t k = i;
		for (; (group = next_group(coll, k, k > i && is_map)); k++) {
			buf_puts(&meant, group);
			buf_printf(&as_written, ",%s", group);
		}
		if (fee && strspn(buf_cstr(&meant), "0123456789.-") !=
			   strlen(buf_cstr(&meant))) {
			/* "{fee: 1,000 GBP}": a fee written as text, the
			 * fee's check tells with its fix; the keys its
			 * groups became go */
			fm_node *typed = &coll->kids[i];
			free(typed->text);
			typed->text = buf_detach(&as_written);
			typed->type = FM_STRING;
			for (size_t j = i + 1; j <= k; j++)
				fm_node_free(&coll->kids[j]);
			memmove(&coll->kids[i + 1], &coll->kids[k + 1],
				(coll->n - k - 1) * sizeof *coll->kids);
			coll->n -= k - i;
			buf_free(&meant);
			continue;
		}
		if (coll->key && !strcmp(coll->key, "months"))
			/* no month has thousands: a comma without its space */
			diag_error(b->d, b->path, v->line, v->col,
				   "'%s' reads as two numbers, %s and '%s': "
				   "inside [ ] a comma separates values, and a "
				   "month is a number from 1 to 12 or its name; "
				   "write the months apart, such as [6, 7, 8]",
				   buf_cstr(&as_written), v->text,
				   next_group(coll, i, 0));
		else if (coll->key && !strcmp(coll->key, "location"))
			/* degrees have no thousands: a decimal comma, most
			 * likely ([0,3136, 32,5811]) */
			diag_error(b->d, b->path, v->line, v->col,
				   "'%s' reads as two numbers, %s and '%s': "
				   "inside [ ] a comma separates values; a "
				   "location is [latitude, longitude] in degrees, "
				   "with a point for decimals, such as [0.3136, "
				   "32.5811]", buf_cstr(&as_written), v->text,
				   next_group(coll, i, 0));
		else
		diag_error(b->d, b->path, v->line, v->col,
			   "'%s' reads as %s%s and %s'%s': inside { } or [ ] a "
			   "comma separates values; write %s, without the "
			   "comma%s", buf_cstr(&as_written),
			   is_map ? "" : "two numbers, ", v->text,
			   is_map ? "a key " : "", next_group(coll, i, 0),
			   buf_cstr(&meant),
			   is_map ? "" : ", or put a space after the comma for "
			   "two numbers");
		buf_free(&meant);
		buf_free(&as_written);
		b->flawed++;
		for (size_t j = i; j <= k; j++) {
			coll->kids[j].said = 1;
			b->marks++;
		}
		i = k; /* the groups are told: on after them */
	}
}

/* The next event inside a collection into ev: 1 when there is one, 0 at
 * the collection's end (an event of type end, deleted), -1 on error. */
static int y_next_in(ybuild *b, yaml_event_t *ev, yaml_event_type_t end)
{
	if (y_next(b, ev) < 0)
		return -1;
	if (ev->type != end)
		return 1;
	yaml_event_delete(ev);
	return 0;
}

/* The bytes of the line of t that holds byte i: [*ls, *le). */
static void y_line_around(const ybuild *b, size_t i, size_t *ls, size_t *le)
{
	const char *t = b->text;
	size_t s = i, e = i;
	while (s > 0 && t[s - 1] != '\n' && t[s - 1] != '\r')
		s--;
	while (e < b->len && t[e] != '\n' && t[e] != '\r')
		e++;
	*ls = s;
	*le = e;
}

/* Where the comment on bytes ls..le of a line in a [list] starts (a '#'
 * first on the line or after a blank, outside quotes), or le. */
static size_t y_flow_comment(const ybuild *b, size_t ls, size_t le)
{
	const char *t = b->text;
	for (size_t i = ls; i < le; i++) {
		if (t[i] == '"' || t[i] == '\'') {
			char q = t[i];
			for (i++; i < le && t[i] != q; i++)
				if (q == '"' && t[i] == '\\')
					i++;
			continue;
		}
		if (t[i] == '#' && (i == ls || t[i - 1] == ' ' || t[i - 1] == '\t'))
			return i;
	}
	return le;
}

/* A [list]'s closing bracket at byte close, on a line below its last
 * item: the comments of a digit between them that are items of their own
 * ("[med,", "  #2 nursing", "]"; "[med, #2 nursing", "]"), lost with no
 * error, each told as y_comment_item_lost tells one before an item. */
static void y_items_before_close(ybuild *b, size_t close)
{
	const char *t = b->text;
	if (close >= b->len || t[close] != ']')
		return;
	size_t ls, le;
	y_line_around(b, close, &ls, &le);
	for (size_t q = ls; q < close; q++)
		if (t[q] != ' ' && t[q] != '\t')
			return; /* the last item is on the bracket's line */
	if (y_text_field(b))
		y_hidden_items(b, ls, 0);
}

/* The lines above the one that starts at byte ls, in a [list] over lines,
 * up to the first with an item on it: each comment of a digit that is an
 * item of its own ("  #2 nursing,", or "[med, #2 nursing" on that first
 * line), lost with no error, told as y_comment_item_lost tells one. A
 * comment line of words is passed over. With item_below, the line below
 * holds an item, which a comment right above it with no comma began. */
static void y_hidden_items(ybuild *b, size_t ls, int item_below)
{
	const char *t = b->text;
	size_t le;
	/* found walking up, told top down: the order of the file */
	size_t at[64][2], n = 0;
	for (int first = 1; ls > 0 && n < 64; first = 0) {
		y_line_around(b, ls - 1, &ls, &le);
		size_t h = y_flow_comment(b, ls, le), p = h;
		while (p > ls && (t[p - 1] == ' ' || t[p - 1] == '\t'))
			p--;
		int alone = p == ls;
		if (h < le && (alone || strchr(",[", t[p - 1])) && h + 1 < le &&
		    text_starts_with_digit(t + h + 1, le - h - 1)) {
			size_t e = h;
			while (e < le && !strchr(",]}", t[e]))
				e++;
			size_t end = e;
			while (e > h && strchr(" \t\r", t[e - 1]))
				e--;
			/* one no comma ends right above an item began it:
			 * y_comment_before_value's */
			if (!(item_below && first && (end == le || t[end] != ','))) {
				at[n][0] = h;
				at[n++][1] = e;
			}
		}
		if (!alone) {
			/* "[medicine", "  #2 of adults", "]": no comma ends
			 * the item above, which the first comment goes on */
			if (!item_below && n && !strchr(",[{", t[p - 1])) {
				size_t f = p;
				while (f > ls && !strchr(",[{", t[f - 1]))
					f--;
				while (f < p && (t[f] == ' ' || t[f] == '\t'))
					f++;
				n--;
				y_comment_item_goes_on(b, f, p, at[n][0], at[n][1]);
			}
			break; /* the last item's line: above it, told before
				* that item */
		}
	}
	while (n--)
		y_comment_item_lost(b, at[n][0], at[n][1]);
}

static int y_seq(ybuild *b, fm_node *out, int depth)
{
	yaml_event_t ev;
	for (;;) {
		if (y_next(b, &ev) < 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			if (b->flow)
				y_items_before_close(b, y_byte_of(b, ev.start_mark));
			yaml_event_delete(&ev);
			break;
		}
		if (y_node(b, &ev, fm_push(out), depth + 1) < 0)
			return -1;
	}
	/* location: [10,100] is a latitude and a longitude, two numbers,
	 * as YAML reads it: no thousands to suspect. A location with more
	 * is told once, at its comma, not again for its length. */
	int location = out->key && !strcmp(out->key, "location");
	int marks = b->marks;
	if (!(location && out->n == 2))
		y_thousands(b, out);
	if (location && b->marks > marks)
		out->said = 1;
	return 0;
}

/* Read past the rest of a collection whose start event was taken: 0, or
 * -1 after a syntax error (told). */
static int y_skip_collection(ybuild *b)
{
	for (int open = 1; open;) {
		yaml_event_t ev;
		if (y_next(b, &ev) < 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT)
			open++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT ||
			 ev.type == YAML_MAPPING_END_EVENT)
			open--;
		yaml_event_delete(&ev);
	}
	return 0;
}

static int y_map(ybuild *b, fm_node *out, int depth)
{
	yaml_event_t ev;
	int rc;
	while ((rc = y_next_in(b, &ev, YAML_MAPPING_END_EVENT)) > 0) {
		int line, col;
		y_mark(b, ev.start_mark, &line, &col);
		if (ev.type != YAML_SCALAR_EVENT) {
			/* the key told (an alias as an alias), the pair is read
			 * past and left out, and the rest is read on */
			fm_node lost = {0};
			int ok;
			if (ev.type == YAML_ALIAS_EVENT) {
				ok = y_node(b, &ev, &lost, depth + 1) == 0;
			} else {
				diag_error(b->d, b->path, line, col,
					   "a key must be plain text, not a list or mapping");
				b->flawed++;
				b->marks++;
				yaml_event_delete(&ev);
				ok = y_skip_collection(b) == 0;
			}
			fm_node_free(&lost);
			fm_node value = {0};
			ok = ok && y_next(b, &ev) == 0 &&
			     y_node(b, &ev, &value, depth + 1) == 0;
			fm_node_free(&value);
			if (!ok)
				return -1;
			continue;
		}
		int marks = b->marks;
		int bad_key = y_no_nul(b, &ev, "a key") < 0;
		fm_node *kid = fm_push(out);
		kid->key = xstrndup((const char *)ev.data.scalar.value,
				    ev.data.scalar.length);
		kid->key_line = line;
		kid->key_col = col;
		yaml_event_delete(&ev);
		const char *outer = b->field;
		b->field = kid->key; /* the nearest key names an item */
		int got = y_next(b, &ev) < 0 ? -1 : y_node(b, &ev, kid, depth + 1);
		b->field = outer;
		if (got < 0)
			return -1;
		/* a value with an error in it is skipped whole by its reader,
		 * but for the bad items alone of a list (fm_marks_only_items) */
		kid = &out->kids[out->n - 1];
		int fresh = b->marks - marks;
		/* its own mistake (a NUL in it) marked a plain value, which
		 * its readers skip: the map around it is read */
		int alone = fresh == 1 && kid->said && fm_is_scalar(kid);
		if (bad_key || !(alone || fm_marks_only_items(kid, fresh))) {
			kid->said = 1;
			b->marks++;
		} else {
			/* its bad items alone are skipped: the values around it
			 * (an offer holding disciplines:) are read too */
			b->marks = marks;
		}
	}
	if (rc < 0)
		return -1;
	y_thousands(b, out);
	if (fm_check_duplicates(out, b->path, b->d) < 0) {
		b->flawed++;
		b->marks++;
	}
	return 0;
}

/* Build out from the event ev (consumed) and, for a collection, the
 * events up to its end. -1 stops the whole parse: libyaml cannot go on
 * after a syntax error, nor this reader past a structure it refuses. An
 * error in a value (a NUL in it, an alias) marks it said and the parse
 * goes on, so that the file's other values are checked too. */
static int y_node(ybuild *b, yaml_event_t *ev, fm_node *out, int depth)
{
	y_mark(b, ev->start_mark, &out->line, &out->col);
	yaml_event_type_t type = ev->type;
	int flow = (type == YAML_SEQUENCE_START_EVENT &&
		    ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE) ||
		   (type == YAML_MAPPING_START_EVENT &&
		    ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
	int bad_scalar = 0;
	if (type == YAML_SCALAR_EVENT)
		bad_scalar = y_scalar(b, ev, out) < 0;
	else if (type == YAML_ALIAS_EVENT) {
		/* told once, at the first (y_aliases_told): a file written
		 * with aliases has them all through */
		if (!b->aliases++) {
			b->alias_line = out->line;
			b->alias_col = out->col;
			b->alias_anchor = xstrdup((const char *)ev->data.alias.anchor);
			b->flawed++;
		}
		out->said = 1;
		b->marks++;
		out->type = FM_NULL;
	}
	else if ((type == YAML_SEQUENCE_START_EVENT ||
		  type == YAML_MAPPING_START_EVENT) && depth > FM_MAX_DEPTH)
		diag_error(b->d, b->path, out->line, out->col,
			   "values are nested more than %d levels deep (the limit for front matter); flatten them",
			   FM_MAX_DEPTH);
	else if (type != YAML_SEQUENCE_START_EVENT &&
		 type != YAML_MAPPING_START_EVENT)
		diag_error(b->d, b->path, out->line, out->col,
			   "unexpected YAML structure");
	yaml_event_delete(ev);
	switch (type) {
	case YAML_SCALAR_EVENT:
		return bad_scalar ? -1 : 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		out->type = type == YAML_SEQUENCE_START_EVENT ? FM_SEQ : FM_MAP;
		if (depth > FM_MAX_DEPTH)
			return -1;
		b->flow += flow;
		int rc = type == YAML_SEQUENCE_START_EVENT ?
			 y_seq(b, out, depth) : y_map(b, out, depth);
		b->flow -= flow;
		return rc;
	}
	case YAML_ALIAS_EVENT:
		return 0; /* said: the parse goes on */
	default:
		return -1;
	}
}

/* Expect an event of the given type and drop it. */
static int y_expect(ybuild *b, yaml_event_type_t type)
{
	yaml_event_t ev;
	if (y_next(b, &ev) < 0)
		return -1;
	int ok = ev.type == type;
	if (!ok) {
		int line, col;
		y_mark(b, ev.start_mark, &line, &col);
		diag_error(b->d, b->path, line, col,
			   "only one YAML document is allowed here: remove the "
			   "'---' or '...' line that starts another");
	}
	yaml_event_delete(&ev);
	return ok ? 0 : -1;
}

/* The single document of a YAML stream into root. An empty stream (only
 * comments, or nothing) gives an empty map at (first_line, 1). */
static int y_document(ybuild *b, fm_node *root)
{
	yaml_event_t ev;
	if (y_expect(b, YAML_STREAM_START_EVENT) < 0 || y_next(b, &ev) < 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START: the parser saw no error */
	if (y_next(b, &ev) < 0)
		return -1;
	fm_node tmp = {0};
	if (y_node(b, &ev, &tmp, 1) < 0) {
		fm_node_free(&tmp);
		return -1;
	}
	/* "city:Kampala" on the first line reads as text: what follows it
	 * may show the mistake, which y_report words better */
	if (tmp.type != FM_MAP && fm_is_scalar(&tmp) && y_next(b, &ev) < 0) {
		fm_node_free(&tmp);
		return -1;
	}
	if (tmp.type != FM_MAP && fm_is_scalar(&tmp))
		yaml_event_delete(&ev);
	if (tmp.type != FM_MAP) {
		diag_error(b->d, b->path, tmp.line, tmp.col,
			   "expected a mapping of 'key: value' lines, found %s",
			   fm_type_name(tmp.type));
		fm_node_free(&tmp);
		return -1;
	}
	fm_node_free(root);
	*root = tmp;
	if (y_expect(b, YAML_DOCUMENT_END_EVENT) < 0 ||
	    y_expect(b, YAML_STREAM_END_EVENT) < 0)
		return -1;
	return 0;
}

/* Parse YAML text whose first line is file line line0 + 1: 0 and
 * *flawed errors found in values (ybuild.flawed), or -1, root then left an
 * empty map. */
/* Line breaks told at their place, at most: then one count for the rest. */
#define LINE_BREAK_REPORTS 10

/* U+0085, U+2028 and U+2029 are line breaks to a YAML 1.1 parser (YAML
 * 1.1 section 5.4; libyaml reads 1.1; 1.2 made them text): in a value
 * pasted from a word processor or a PDF, one cuts the line in two, with
 * no sign of it, and the parser's error then names the line after (which
 * "has no colon"). Each is an error at its place in text[0..len) (the
 * file's lines from line0 + 1); with beside_marker, only one right
 * before or after a "---" (which it hid from the split). The count, or
 * 0. */
static size_t y_unicode_line_breaks(const char *text, size_t len, int line0,
				    const char *path, diags_t *d,
				    int beside_marker)
{
	/* most text has neither lead byte: two memchr, and no walk */
	if (!memchr(text, 0xC2, len) && !memchr(text, 0xE2, len))
		return 0;
	fm_pos p;
	fm_pos_init(&p);
	size_t found = 0;
	int more_line = 0, more_col = 0; /* where the untold start */
	for (size_t i = 0; i < len; fm_pos_step(&p, (unsigned char)text[i]), i++) {
		const unsigned char *u = (const unsigned char *)text + i;
		const char *what = NULL;
		unsigned cp = 0;
		if (u[0] == 0xC2 && i + 1 < len && u[1] == 0x85)
			what = "a next-line control character", cp = 0x85;
		else if (u[0] == 0xE2 && i + 2 < len && u[1] == 0x80 &&
			 (u[2] == 0xA8 || u[2] == 0xA9))
			what = u[2] == 0xA8 ? "a line separator" :
			       "a paragraph separator", cp = 0x2000u + u[2] - 0x80u;
		if (!what)
			continue;
		size_t cl = cp == 0x85 ? 2 : 3;
		if (beside_marker && !(i >= 3 && !memcmp(text + i - 3, "---", 3)) &&
		    !(i + cl + 3 <= len && !memcmp(text + i + cl, "---", 3)))
			continue;
		if (++found <= LINE_BREAK_REPORTS)
			diag_error(d, path, line0 + p.line, p.col, "%s (U+%04X) is "
				   "here, which a YAML parser reads as a line "
				   "break, cutting this line in two: put a space "
				   "in its place (it comes with text pasted from "
				   "a word processor or a PDF)", what, cp);
		else if (!more_line)
			more_line = line0 + p.line, more_col = p.col;
	}
	if (found > LINE_BREAK_REPORTS)
		diag_error(d, path, more_line, more_col, "and %zu more such line "
			   "breaks from here on: put a space in place of each",
			   found - LINE_BREAK_REPORTS);
	return found;
}


/* The first byte of s[0..n) from r on that is neither a blank nor what
 * chars_unseen_space names. */
static size_t y_past_spaces(const char *s, size_t n, size_t r)
{
	size_t m;
	unsigned cp;
	while (r < n) {
		if (s[r] == ' ' || s[r] == '\t')
			r++;
		else if (chars_unseen_space(s + r, n - r, &m, &cp))
			r += m;
		else
			break;
	}
	return r;
}

/* The column (1-based, in characters, as libyaml counts) of byte i of
 * the line s. */
static size_t col_in(const char *s, size_t i)
{
	size_t col = 1;
	for (size_t k = 0; k < i; k++)
		col += ((unsigned char)s[k] & 0xC0) != 0x80;
	return col;
}

/* Whether the line s[0..n) ends with a block scalar's indicator after a
 * key's colon or a dash ("note: |", "- >-"): its lines below are text. */
static int opens_block(const char *s, size_t n)
{
	while (n && strchr(" \t\r", s[n - 1]))
		n--;
	while (n && (isdigit((unsigned char)s[n - 1]) || s[n - 1] == '+' ||
		     s[n - 1] == '-'))
		n--;
	if (!n || (s[n - 1] != '|' && s[n - 1] != '>'))
		return 0;
	n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n && (s[n - 1] == ':' || s[n - 1] == '-');
}

/* "key:<NBSP>value" or "-<NBSP>item": the dash or colon at s[at] (of the
 * line s[0..n), with key from ks) followed by such a space, told with a
 * plain space in its place: "- item" or "key: value" when the rest then
 * reads back as typed (no indicator first, no ": " or " #" in it); none
 * with ks past at (a key inside { }). */
static void y_sachars_unseen_space(const ybuild *b, const char *s, size_t n,
			      size_t ks, size_t at, int line, int col)
{
	size_t k;
	unsigned cp = '\t';
	const char *name = s[at + 1] == '\t' ? "tab" :
			   chars_unseen_space(s + at + 1, n - at - 1, &k, &cp);
	size_t r = y_past_spaces(s, n, at + 1);
	size_t e = n;
	while (e > r && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
		e--;
	buf_t rest = BUF_INIT;
	buf_put(&rest, s + r, e - r);
	const char *t = buf_cstr(&rest);
	int reads_back = ks <= at && r < e && !strchr("[]{}\"'|>&*!%@`#,?:-", t[0]) &&
			 !strstr(t, ": ") && !strstr(t, " #") &&
			 e - ks <= DIAG_QUOTE_MAX;
	if (reads_back)
		diag_error(b->d, b->path, b->line0 + line, col, "the %s (U+%04X) "
			   "after the %s is no space to YAML: put a plain space "
			   "in its place: %s%.*s%s %s", name, cp,
			   s[at] == '-' ? "dash" : "colon",
			   s[at] == '-' ? "-" : "", s[at] == '-' ? 0 : (int)(at - ks),
			   s + ks, s[at] == '-' ? "" : ":", t);
	else
		diag_error(b->d, b->path, b->line0 + line, col, "the %s (U+%04X) "
			   "after the %s is no space to YAML: put a plain space "
			   "in its place", name, cp, s[at] == '-' ? "dash" : "colon");
	buf_free(&rest);
}

/* Back from byte c of the line s to byte ks, over blanks and what
 * chars_unseen_space names: where the text before them ends. The first (the
 * leftmost) of the latter in *at, its name and code point in *name and
 * *cp; *name NULL when there is none. */
static size_t y_unseen_back(const char *s, size_t ks, size_t c, size_t *at,
			    const char **name, unsigned *cp)
{
	size_t q = c, k;
	unsigned u;
	*at = c;
	*name = NULL;
	*cp = 0;
	while (q > ks) {
		if (s[q - 1] == ' ' || s[q - 1] == '\t') {
			q--;
			continue;
		}
		size_t p = q - 1;
		while (p > ks && ((unsigned char)s[p] & 0xC0) == 0x80)
			p--;
		const char *o = chars_unseen_space(s + p, q - p, &k, &u);
		if (!o || k != q - p)
			break;
		*name = o;
		*cp = u;
		*at = q = p;
	}
	return q;
}

/* The error for an unseen character (name, cp) at byte at of the line
 * s, the first of those at the end of what (a value, an item). */
static void y_say_unseen_end(const ybuild *b, const char *s, int line,
			     size_t at, const char *name, unsigned cp,
			     const char *what)
{
	diag_error(b->d, b->path, b->line0 + line, (int)col_in(s, at), "the %s "
		   "(U+%04X) at the end of %s is part of it to YAML, unseen: "
		   "delete it", name, cp, what);
}

/* "[global, africa<NBSP>]": an unseen character (what chars_unseen_space
 * names) at the end of an item of a [list] or {mapping}, before the
 * comma or bracket at c of the line s (its text from ks), blanks between
 * or not: YAML keeps it in the item. An error at it; 1 when told. */
static int y_unseen_before(const ybuild *b, const char *s, size_t c,
			   size_t ks, int line)
{
	size_t at;
	unsigned at_cp;
	const char *name;
	size_t q = y_unseen_back(s, ks, c, &at, &name, &at_cp);
	/* an item, not a bracket or a comma, before it */
	if (!name || q == ks || strchr(",[{", s[q - 1]))
		return 0;
	y_say_unseen_end(b, s, line, at, name, at_cp, "this item");
	return 1;
}

/* "name: <NBSP>Royal", "- <NBSP>medicine": the value after the key's
 * colon or the item's dash (of the line s[0..n), from byte i to byte c,
 * its text from byte v) starts with a Unicode space or an invisible
 * character, which YAML keeps as its text. An error at it, with the line
 * less those (s[i..c), sep, the text); 1 when told. */
static int y_value_starts_unseen(const ybuild *b, const char *s, size_t n,
				 size_t i, size_t c, size_t v, int line,
				 const char *sep)
{
	size_t k, r = y_past_spaces(s, n, v);
	unsigned cp;
	const char *name = chars_unseen_space(s + v, n - v, &k, &cp);
	if (!name)
		return 0;
	size_t e = n;
	while (e > r && strchr(" \t\r", s[e - 1]))
		e--;
	int fix = r < e && e - i <= DIAG_QUOTE_MAX;
	diag_error(b->d, b->path, b->line0 + line, (int)col_in(s, v), "the %s "
		   "(U+%04X) at the start of the value is part of it to YAML, "
		   "unseen: delete it%s%.*s%s%.*s", name, cp, fix ? ": " : "",
		   fix ? (int)(c - i) : 0, s + i, fix ? sep : "",
		   fix ? (int)(e - r) : 0, s + r);
	return 1;
}

/* "name: Royal<NBSP>", "- medicine<ZWSP>", or a line of such characters
 * alone: what chars_unseen_space names at the end of the line s[0..n) (its
 * text from byte i), which YAML keeps in the value, unseen. An error at
 * the first of them; not after a colon or a dash (told there), a
 * bracket or a comma (told at the item), nor on a line of a comment or a
 * quoted value. 1 when told. */
static size_t y_unseen_at_end(const ybuild *b, const char *s, size_t n,
			      size_t i, int line)
{
	size_t e = n, at;
	unsigned cp;
	const char *name;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
		e--;
	if (e == i || s[i] == '#' || s[i] == '"' || s[i] == '\'' ||
	    memchr(s + i, '#', e - i) || memchr(s + i, '"', e - i))
		return 0;
	size_t q = y_unseen_back(s, i, e, &at, &name, &cp);
	if (!name)
		return 0;
	if (q == i) {
		diag_error(b->d, b->path, b->line0 + line, (int)col_in(s, at),
			   "this line holds only %s%s (U+%04X) and blanks, which "
			   "YAML reads as text: delete it",
			   diag_article(name), name, cp);
		return 1;
	}
	if (strchr(":-,[{]}", s[q - 1]))
		return 0;
	y_say_unseen_end(b, s, line, at, name, cp, "the value");
	return 1;
}

/* "name: Royal<NBSP># the old name": a Unicode space before a '#' (on
 * the line s[0..n), its text from byte i) is no blank to YAML, so the
 * note is read as the value's text, published. An error at the space;
 * not in quotes (a value that starts with one is passed over), nor on a
 * line that is a comment, nor before a '#' and a digit, which is text to
 * comment-in-value too. 1 when told. */
static size_t y_space_before_note(const ybuild *b, const char *s, size_t n,
				  size_t i, int line)
{
	if (i >= n || s[i] == '#')
		return 0;
	/* the value, after "key: " or "- ": a quoted one is text */
	size_t v = i;
	if (s[v] == '-' && v + 1 < n && (s[v + 1] == ' ' || s[v + 1] == '\t'))
		v += 2;
	for (size_t c = v; c + 1 < n; c++)
		if (s[c] == ':' && (s[c + 1] == ' ' || s[c + 1] == '\t')) {
			v = c + 2;
			break;
		}
	while (v < n && (s[v] == ' ' || s[v] == '\t'))
		v++;
	if (v < n && (s[v] == '"' || s[v] == '\''))
		return 0;
	for (size_t p = i + 1; p < n; p++) {
		size_t k;
		unsigned cp;
		const char *name = (unsigned char)s[p] >= 0xC2 ?
			chars_unseen_space(s + p, n - p, &k, &cp) : NULL;
		/* "Royal<NBSP>#1": text, as comment-in-value reads it */
		if (!name || p + k >= n || s[p + k] != '#' ||
		    text_starts_with_digit(s + p + k + 1, n - p - k - 1))
			continue;
		diag_error(b->d, b->path, b->line0 + line, (int)col_in(s, p),
			   "the %s (U+%04X) before the # is no space to YAML, so "
			   "the note after it is read as text of the value: put "
			   "a plain space in its place", name, cp);
		return 1;
	}
	return 0;
}

/* A Unicode space where YAML needs a blank: in a line's indentation,
 * after a list item's dash, after the first key's colon of a line, or
 * after a key's colon inside { }. YAML reads it as text, so the dash or
 * the key becomes part of a value ("-\u00a0medicine", below it
 * "-\u00a0nursing": one profession of both lines), mostly with no error.
 * So with a tab right after a dash, which libyaml refuses with words of
 * its own, and a byte order mark (U+FEFF) anywhere: an invisible
 * character, or libyaml's "did not find expected key" at a line's
 * start. Each is an error at it; the count. */
static size_t y_unicode_blanks(const ybuild *b)
{
	const char *t = b->text;
	if (!memchr(t, 0xC2, b->len) && !memchr(t, 0xE2, b->len) &&
	    !memchr(t, 0xE3, b->len) && !memchr(t, 0xE1, b->len) &&
	    !memchr(t, 0xEF, b->len) && !memchr(t, '\t', b->len))
		return 0;
	size_t found = 0;
	int line = 1;
	long block = -1; /* a block scalar's key's indentation: its text below */
	for (size_t ls = 0; ls < b->len; line++) {
		size_t le = ls;
		while (le < b->len && t[le] != '\n' && t[le] != '\r')
			le++;
		const char *s = t + ls;
		size_t n = le - ls, i = 0, k;
		unsigned cp;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		const char *name = chars_unseen_space(s + i, n - i, &k, &cp);
		/* a byte order mark inside the file: files joined together */
		for (const char *bom = s;
		     (bom = memchr(bom, 0xEF, n - (size_t)(bom - s))); bom++) {
			if ((size_t)(bom - s) + 3 > n || memcmp(bom, "\xef\xbb\xbf", 3))
				continue;
			diag_error(b->d, b->path, b->line0 + line,
				   (int)col_in(s, (size_t)(bom - s)), "a byte "
				   "order mark (U+FEFF) is here, inside the file, "
				   "where it is an invisible character: delete it "
				   "(it comes with files joined together)");
			found++;
		}
		if (block >= 0 && (i == n || (long)i > block)) {
			/* a line of a block scalar's text */
		} else if (block = -1, name && i + k < n) {
			/* a zero-width one is no indentation, even unseen */
			int wide = !chars_zero_width(cp);
			diag_error(b->d, b->path, b->line0 + line,
				   (int)col_in(s, i), "the %s (U+%04X) %s is no "
				   "space to YAML: %s", name, cp,
				   wide ? "in this line's indentation" :
				   "before this line's text",
				   wide ? "indent with plain spaces" : "delete it");
			found++;
		} else if (i < n && s[i] != '#') {
			size_t ks = i;
			if (s[i] == '-' && i + 1 < n && (s[i + 1] == '\t' ||
			    chars_unseen_space(s + i + 1, n - i - 1, &k, &cp))) {
				y_sachars_unseen_space(b, s, n, i, i,
						  line, (int)col_in(s, i + 1));
				found++;
				ks = n;
			} else if (s[i] == '-' && i + 1 < n && (s[i + 1] == ' ' ||
								s[i + 1] == '\t')) {
				for (ks = i + 1; ks < n && (s[ks] == ' ' || s[ks] == '\t');)
					ks++;
				if (y_value_starts_unseen(b, s, n, i, i + 1, ks, line,
							  " ")) {
					found++;
					ks = n;
				}
			}
			/* the first key's colon; then, in { }, every key's */
			int flow = 0;
			for (size_t c = ks; c < n && !strchr("\"'#", s[ks]); c++) {
				if (c == ks && (s[c] == '{' || s[c] == '['))
					flow = 1;
				if (flow && (s[c] == '"' || s[c] == '\'')) {
					/* a quoted item's commas are text */
					char q = s[c];
					for (c++; c < n && s[c] != q; c++)
						if (q == '"' && s[c] == '\\')
							c++;
					continue;
				}
				if (flow && strchr(",]}", s[c]) &&
				    y_unseen_before(b, s, c, ks, line)) {
					found++;
					continue;
				}
				if (flow && strchr(",[{", s[c]) &&
				    (name = chars_unseen_space(s + c + 1, n - c - 1,
							  &k, &cp))) {
					/* "[med,<NBSP>nursing]": the item
					 * starts with an invisible character */
					diag_error(b->d, b->path, b->line0 + line,
						   (int)col_in(s, c + 1), "the %s "
						   "(U+%04X) after the %s is no space "
						   "to YAML, so the item begins with "
						   "it: put a plain space in its "
						   "place", name, cp, s[c] == ',' ?
						   "comma" : "bracket");
					found++;
					continue;
				}
				if (s[c] != ':')
					continue;
				/* back from the colon over blanks and Unicode
				 * spaces: the first of those, if any */
				size_t other;
				const char *before;
				unsigned bcp;
				size_t lead = y_unseen_back(s, ks, c, &other, &before,
							    &bcp);
				size_t after = y_past_spaces(s, n, c + 1);
				if (before && lead > ks &&
				    (after > c + 1 || c + 1 == n)) {
					/* "name<NBSP>: Royal": a key of its own,
					 * unknown, and the name missing */
					size_t e = n;
					while (e > after && strchr(" \t\r", s[e - 1]))
						e--;
					/* the line from its dash, if any, each
					 * such space left out */
					int fix = !flow && e - i <= DIAG_QUOTE_MAX;
					diag_error(b->d, b->path, b->line0 + line,
						   (int)col_in(s, other), "the %s "
						   "(U+%04X) before the colon is part of "
						   "the key to YAML: delete it%s%.*s%s%.*s",
						   before, bcp, fix ? ": " : "",
						   fix ? (int)(lead - i) : 0, s + i,
						   fix ? (e > after ? ": " : ":") : "",
						   fix ? (int)(e - after) : 0, s + after);
					found++;
					if (!flow)
						break;
					continue;
				}
				if (chars_unseen_space(s + c + 1, n - c - 1, &k, &cp)) {
					y_sachars_unseen_space(b, s, n, flow ? n : ks, c,
							  line, (int)col_in(s, c + 1));
					found++;
					if (!flow)
						break;
				} else if (!flow && (c + 1 == n || s[c + 1] == ' ' ||
						     s[c + 1] == '\t')) {
					/* the key's colon: the value is text,
					 * unless it opens { } or [ ] */
					size_t v = c + 1;
					while (v < n && (s[v] == ' ' || s[v] == '\t'))
						v++;
					if (y_value_starts_unseen(b, s, n, i, c, v, line,
								  ": "))
						found++;
					if (v == n || (s[v] != '{' && s[v] != '['))
						break;
					flow = 1;
				}
			}
		}
		if (!(block >= 0 && (i == n || (long)i > block)))
			found += y_space_before_note(b, s, n, i, line) +
				 y_unseen_at_end(b, s, n, i, line);
		if (block < 0 && opens_block(s, n))
			block = (long)i;
		ls = le;
		if (ls < b->len)
			ls += t[ls] == '\r' && ls + 1 < b->len && t[ls + 1] == '\n' ? 2 : 1;
	}
	return found;
}

static int yaml_tree(const char *text, size_t len, int line0,
		     const char *path, fm_node *root, int *flawed, diags_t *d)
{
	ybuild b = {.text = text, .len = len, .line0 = line0, .path = path,
		    .d = d};
	fm_node_free(root);
	root->type = FM_MAP;
	root->line = line0 + 1;
	root->col = 1;
	if (y_unicode_line_breaks(text, len, line0, path, d, 0) ||
	    y_unicode_blanks(&b))
		return -1;
	if (!yaml_parser_initialize(&b.parser)) {
		diag_fatal(d, path, "cannot start the YAML parser");
		return -1;
	}
	yaml_parser_set_encoding(&b.parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)text,
				     len);
	int rc = y_document(&b, root);
	yaml_parser_delete(&b.parser);
	/* "name: *Royal Hall": the one alias begins a value the syntax error
	 * on its line tells to quote, not one to write out */
	if (b.aliases == 1 && rc < 0 && b.alias_quoted == b.alias_line) {
		free(b.alias_anchor);
		b.aliases = 0;
		b.flawed--;
	}
	if (b.aliases) {
		if (b.aliases == 1)
			diag_error(d, path, b.alias_line, b.alias_col,
				   "YAML aliases (*%s) are not allowed; write "
				   "the value out", b.alias_anchor);
		else
			diag_error(d, path, b.alias_line, b.alias_col,
				   "YAML aliases (*%s) are not allowed; write "
				   "the value out (this is the first of %d "
				   "aliases here)", b.alias_anchor, b.aliases);
		free(b.alias_anchor);
	}
	if (!b.aliases) {
		b.flawed += (int)b.anchors.n;
		diags_move(d, &b.anchors);
	}
	diags_free(&b.anchors);
	*flawed = b.flawed;
	if (b.nquotes > RUNAWAY_REPORTS)
		diag_warning(&b.quotes, RUNAWAY_QUOTE, path, b.more_line,
			     b.more_col, "and %zu more quoted values from here "
			     "on run on to take in the keys or list items below "
			     "them: close each on its own line",
			     b.nquotes - RUNAWAY_REPORTS);
	if (rc < 0)
		diags_free(&b.quotes);
	else
		diags_move(d, &b.quotes);
	if (rc < 0) {
		fm_node_free(root);
		root->type = FM_MAP;
		root->line = line0 + 1;
		root->col = 1;
	}
	return rc;
}

int fm_parse_yaml_marked(const char *text, size_t len, const char *path,
			 fm_node *root, diags_t *d)
{
	size_t bom = skip_bom(text, len);
	fm_node_free(root);
	root->type = FM_MAP;
	root->line = root->col = 1;
	if (check_utf8(text + bom, len - bom, path, d) < 0)
		return -1;
	int flawed;
	if (yaml_tree(text + bom, len - bom, 0, path, root, &flawed, d) < 0)
		return -1;
	return flawed ? FM_FLAWED : 0;
}

int fm_parse_yaml(const char *text, size_t len, const char *path,
		  fm_node *root, diags_t *d)
{
	int rc = fm_parse_yaml_marked(text, len, path, root, d);
	if (rc == FM_FLAWED) { /* read whole or not at all */
		fm_node_free(root);
		root->type = FM_MAP;
		root->line = root->col = 1;
		return -1;
	}
	return rc;
}

/* ---- splitting --------------------------------------------------------- */

/* End of the line that starts at i (its line break, or n); *next is where
 * the following line starts. */
static size_t line_end(const char *s, size_t n, size_t i, size_t *next)
{
	while (i < n && s[i] != '\n' && s[i] != '\r')
		i++;
	size_t e = i;
	if (i < n && s[i] == '\r')
		i++;
	if (i < n && s[i] == '\n' && (i == e || s[i - 1] == '\r'))
		i++;
	*next = i;
	return e;
}

/* Is s[from..to) the marker followed by nothing but blanks? */
static int is_marker(const char *s, size_t from, size_t to, const char *marker)
{
	size_t m = strlen(marker);
	if (to - from < m || memcmp(s + from, marker, m))
		return 0;
	for (size_t i = from + m; i < to; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* The unseen character at s[j..e) (a byte order mark, or what
 * chars_unseen_space names): its name, length in *k and code point in *cp;
 * NULL when there is none there. */
static const char *unseen_at(const char *s, size_t j, size_t e, size_t *k,
			     unsigned *cp)
{
	if (j + 3 <= e && !memcmp(s + j, "\xEF\xBB\xBF", 3)) {
		*k = 3;
		*cp = 0xFEFF;
		return "byte order mark";
	}
	return chars_unseen_space(s + j, e - j, k, cp);
}

/* The first line of s[0..n) from byte from that would be a "---" line
 * but for blanks before it or unseen characters about it (" ---",
 * "---<NBSP>", "<BOM>---"): told at the first such character, as the
 * front matter's closing line it was meant to be, or with opens, its
 * opening line, when it is the line at from. 1 when told. */
static int marker_spoilt(const char *s, size_t n, size_t from, int opens,
			 const char *path, diags_t *d)
{
	const char *what = opens ? "open" : "close";
	for (size_t i = from, next; i < n && (!opens || i == from); i = next) {
		size_t e = line_end(s, n, i, &next), k, bad = e, dashes = 0;
		unsigned cp, bad_cp = 0;
		const char *name = NULL;
		for (size_t j = i; j < e && dashes <= 3;) {
			const char *o = unseen_at(s, j, e, &k, &cp);
			if (o || ((s[j] == ' ' || s[j] == '\t') && !dashes)) {
				if (bad == e) {
					bad = j;
					bad_cp = cp;
					name = o;
				}
				j += o ? k : 1;
			} else if (s[j] == ' ' || s[j] == '\t') {
				j++;
			} else if (s[j] == '-') {
				dashes++;
				j++;
			} else {
				dashes = 4; /* other text: no such line */
			}
		}
		if (dashes != 3 || bad == e)
			continue;
		int line, col;
		fm_pos_at(s, bad, &line, &col);
		if (!name)
			diag_error(d, path, line, col, "this line would %s the "
				   "front matter, but the '---' must start it: "
				   "delete the blanks before it", what);
		else
			diag_error(d, path, line, col, "this line would %s the "
				   "front matter, but the %s (U+%04X) on it makes "
				   "it no '---' line: delete it", what, name, bad_cp);
		return 1;
	}
	return 0;
}

static int split_yaml(const char *s, size_t n, const char *path, fm_doc *doc,
		      diags_t *d)
{
	size_t start, next, i;
	line_end(s, n, 0, &start);
	for (i = start; i < n; i = next) {
		size_t e = line_end(s, n, i, &next);
		if (is_marker(s, i, e, "---") || is_marker(s, i, e, "..."))
			break;
	}
	if (i >= n) {
		/* a closing "---" that a U+2028 beside it hides */
		if (y_unicode_line_breaks(s, n, 0, path, d, 1))
			return -1;
		if (marker_spoilt(s, n, start, 0, path, d))
			return -1;
		diag_error(d, path, 1, 1,
			   "unterminated front matter (no closing ---): end the "
			   "fields with a line of three dashes, ---, before "
			   "the text");
		return -1;
	}
	if (i - start > FM_MAX_BYTES) {
		diag_error(d, path, 1, 1, FM_TOO_LARGE,
			   FM_MAX_BYTES / 1024);
		return -1;
	}
	/* the body is known even when the YAML is not read: its links can
	 * still be checked (load/links.c) */
	doc->body = s + next;
	doc->body_len = n - next;
	fm_pos_at(s, next, &doc->body_line, &doc->body_col);
	if (yaml_tree(s + start, i - start, 1, path, &doc->root, &doc->flawed,
		      d) < 0)
		return -1;
	return doc->flawed ? FM_FLAWED : 0;
}

static int split_json(const char *s, size_t n, size_t open, const char *path,
		      fm_doc *doc, diags_t *d)
{
	size_t after;
	doc->json = 1;
	if (fm_parse_json(s, n, open, path, doc, &after, d) < 0)
		return -1;
	/* the rest of the closing brace's line belongs to the front matter
	 * when it is blank */
	size_t i = after;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '\n' || s[i] == '\r')
		line_end(s, n, i, &after);
	doc->body = s + after;
	doc->body_len = n - after;
	fm_pos_at(s, after, &doc->body_line, &doc->body_col);
	return doc->flawed ? FM_FLAWED : 0;
}

/* A "---" line that only blank lines, blanks or unseen characters (a
 * second byte order mark, a Unicode space) come before, in s[0..n) (the
 * file less a first byte order mark, bom bytes): front matter opens on
 * the file's first line, so the file has none. Told at the first unseen
 * character, or at the "---"; 1 when told. */
static int before_marker(const char *s, size_t n, size_t bom,
			 const char *path, diags_t *d)
{
	size_t j = 0, line_start = 0, seen = n, k;
	unsigned cp = 0, seen_cp = 0;
	const char *name = NULL;
	for (;;) {
		if (j < n && (s[j] == ' ' || s[j] == '\t')) {
			j++;
		} else if (j < n && (s[j] == '\n' || s[j] == '\r')) {
			line_end(s, n, j, &j);
			line_start = j;
		} else if (j + 3 <= n && !memcmp(s + j, "\xEF\xBB\xBF", 3)) {
			if (seen == n) {
				seen = j;
				seen_cp = 0xFEFF;
				name = bom || j ? "a second byte order mark" :
				       "a byte order mark";
			}
			j += 3;
		} else {
			const char *o = j < n ? chars_unseen_space(s + j, n - j, &k, &cp) :
					NULL;
			if (!o)
				break;
			if (seen == n) {
				seen = j;
				seen_cp = cp;
				name = o;
			}
			j += k;
		}
	}
	size_t next;
	if (j == n || !is_marker(s, j, line_end(s, n, j, &next), "---"))
		return 0;
	int line, col;
	if (seen < n) {
		fm_pos_at(s, seen, &line, &col);
		diag_error(d, path, line, col, "%s%s (U+%04X) comes before the "
			   "'---' that opens the front matter, which must be "
			   "the file's first characters: delete it",
			   seen_cp == 0xFEFF ? "" : diag_article(name), name,
			   seen_cp);
		return 1;
	}
	fm_pos_at(s, j, &line, &col);
	diag_error(d, path, line, col, "the '---' that opens the front matter "
		   "must be the file's first characters: delete the %s before "
		   "it", line_start == j && j ? "blank lines" :
		   line_start ? "blank lines and the blanks" : "blanks");
	return 1;
}

int fm_parse(const char *text, size_t len, const char *path, fm_doc *doc,
	     diags_t *d)
{
	memset(doc, 0, sizeof *doc);
	doc->root.type = FM_MAP;
	doc->root.line = doc->root.col = doc->line = doc->col = 1;
	doc->body = "";
	size_t bom = skip_bom(text, len);
	const char *s = text + bom;
	size_t n = len - bom;
	if (check_utf8(s, n, path, d) < 0)
		return -1;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			 s[i] == '\r'))
		i++;
	if (i == n) {
		diag_error(d, path, 1, 1, "empty file: expected front matter; "
			   "write the fields between two lines of three "
			   "dashes, ---, or remove the file");
		return -1;
	}
	size_t next;
	if (s[i] == '{') {
		fm_pos_at(s, i, &doc->line, &doc->col);
		return split_json(s, n, i, path, doc, d);
	}
	if (is_marker(s, 0, line_end(s, n, 0, &next), "---"))
		return split_yaml(s, n, path, doc, d);
	/* "---" and a U+2028: the line break is the mistake to tell */
	if (y_unicode_line_breaks(s, n, 0, path, d, 1))
		return -1;
	if (before_marker(s, n, bom, path, d) ||
	    marker_spoilt(s, n, 0, 1, path, d))
		return -1;
	/* "--- # the record of X": text after the opening "---" */
	size_t le = line_end(s, n, 0, &next), t = 3;
	if (le > 3 && !memcmp(s, "---", 3) && (s[3] == ' ' || s[3] == '\t')) {
		while (t < le && (s[t] == ' ' || s[t] == '\t'))
			t++;
		int line, col;
		fm_pos_at(s, t, &line, &col);
		diag_error(d, path, line, col, "the '---' that opens the front "
			   "matter must be alone on its line: move '%.*s' to a "
			   "line of its own below it", (int)(le - t > DIAG_QUOTE_MAX ?
			   DIAG_QUOTE_MAX : le - t), s + t);
		return -1;
	}
	diag_error(d, path, 1, 1,
		   "expected front matter: a first line '---' (YAML) or a JSON object");
	return -1;
}
