/* yamlerr.c - libyaml's syntax errors in plain words (see yamlerr.h).
 *
 * Each rule looks at libyaml's problem and at the lines around its mark,
 * and claims the error only when the text shows the mistake it knows;
 * anything else keeps libyaml's own words. */
#include "yamlerr.h"
#include "keys.h"
#include "../util/diag.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

/* ---- lines and columns -------------------------------------------------- */

typedef struct yline {
	const char *s; /* its first byte */
	size_t n;      /* its length, without the line break */
	int no;        /* 1-based; 0 for no line */
} yline;

static const yline no_line = {NULL, 0, 0};

/* Line no of text; a line ends at "\n", "\r\n" or a lone "\r". */
static yline line_at(const char *text, size_t len, int no)
{
	size_t i = 0;
	if (no < 1)
		return no_line;
	for (int k = 1; k < no; k++) {
		while (i < len && text[i] != '\n' && text[i] != '\r')
			i++;
		if (i >= len)
			return no_line;
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		i++;
	}
	size_t e = i;
	while (e < len && text[e] != '\n' && text[e] != '\r')
		e++;
	return (yline){text + i, e - i, no};
}

static int is_cont(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* The byte offset of column col (code points, 1-based) in l. */
static size_t byte_of_col(const yline *l, int col)
{
	size_t i = 0;
	for (int c = 1; c < col && i < l->n; c++) {
		i++;
		while (i < l->n && is_cont(l->s[i]))
			i++;
	}
	return i;
}

/* The column (1-based) of byte offset b of l. */
static int col_of(const yline *l, size_t b)
{
	int c = 1;
	for (size_t i = 0; i < b && i < l->n; i++)
		c += !is_cont(l->s[i]);
	return c;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Bytes of blanks at the start of l. */
static size_t indent_of(const yline *l)
{
	size_t i = 0;
	while (i < l->n && is_blank(l->s[i]))
		i++;
	return i;
}

/* A line with something on it but a comment? */
static int has_content(const yline *l)
{
	size_t i = indent_of(l);
	return l->no && i < l->n && l->s[i] != '#';
}

/* The line before l in text (l a line of text), or no_line. Walking up
 * a line at a time costs the lines walked, not the text above them. */
static yline line_before(const char *text, const yline *l)
{
	if (l->no <= 1)
		return no_line;
	size_t e = (size_t)(l->s - text); /* just after the line break */
	e -= e >= 2 && text[e - 2] == '\r' && text[e - 1] == '\n' ? 2 : 1;
	size_t i = e;
	while (i > 0 && text[i - 1] != '\n' && text[i - 1] != '\r')
		i--;
	return (yline){text + i, e - i, l->no - 1};
}

/* The nearest line above line no with content, or no_line. */
static yline content_above(const char *text, size_t len, int no)
{
	yline l = line_at(text, len, no);
	if (!l.no) /* no is past the end: from the last line */
		return no_line;
	for (l = line_before(text, &l); l.no; l = line_before(text, &l))
		if (has_content(&l))
			return l;
	return no_line;
}

/* A list item: "- " (or a lone "-") after the indentation? */
static int is_item(const yline *l)
{
	size_t i = indent_of(l);
	return i < l->n && l->s[i] == '-' && (i + 1 == l->n || is_blank(l->s[i + 1]));
}

/* Where the key of l starts: after the indentation and a "- ". */
static size_t key_start(const yline *l)
{
	size_t i = indent_of(l);
	if (is_item(l)) {
		i++;
		while (i < l->n && is_blank(l->s[i]))
			i++;
	}
	return i;
}

/* The colon that ends a key ("key: value", or "key:" at the end of the
 * line) at or after byte from; -1 when there is none. */
static long key_colon(const yline *l, size_t from)
{
	for (size_t i = from; i < l->n; i++)
		if (l->s[i] == ':' && (i + 1 == l->n || is_blank(l->s[i + 1])))
			return (long)i;
	return -1;
}

static int is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* "city:Kampala": a key glued to its value by a colon with no space
 * after it, on a line with no proper "key: " at all. The colon's offset,
 * or -1. */
static long glued_colon(const yline *l)
{
	size_t i = key_start(l), start = i;
	if (key_colon(l, start) >= 0)
		return -1;
	while (i < l->n && is_key_char(l->s[i]))
		i++;
	return i > start && i + 1 < l->n && l->s[i] == ':' ? (long)i : -1;
}

/* The value of l from byte from: blanks skipped at both ends, and a
 * comment (" #...") left out when cut_comment. */
static void value_span(const yline *l, size_t from, int cut_comment,
		       size_t *start, size_t *end)
{
	size_t i = from, e = l->n;
	while (i < e && is_blank(l->s[i]))
		i++;
	if (cut_comment)
		for (size_t k = i; k < e; k++)
			if (l->s[k] == '#' && k > i && is_blank(l->s[k - 1])) {
				e = k;
				break;
			}
	while (e > i && is_blank(l->s[e - 1]))
		e--;
	*start = i;
	*end = e;
}

/* The end of l's text from byte from, blanks and a CR dropped. */
static size_t value_end(const yline *l, size_t from)
{
	size_t e = l->n;
	while (e > from && strchr(" \t\r", l->s[e - 1]))
		e--;
	return e;
}

/* s[0..n) as a YAML double-quoted value: a control character as its
 * escape (YAML 1.2, 5.7), which a message shows as typed, where the
 * character itself would be shown as <U+0009>. */
static void put_dquoted(buf_t *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n' || ch == '\t' || ch == '\r') {
			buf_puts(b, ch == '\n' ? "\\n" : ch == '\t' ? "\\t" : "\\r");
			continue;
		}
		if (ch < 0x20 || ch == 0x7f) {
			buf_printf(b, "\\x%02X", ch);
			continue;
		}
		if (s[i] == '"' || s[i] == '\\')
			buf_putc(b, '\\');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

/* s[0..n) as a YAML single-quoted value. */
static void put_squoted(buf_t *b, const char *s, size_t n)
{
	buf_putc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			buf_putc(b, '\'');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '\'');
}

/* Whether s[0..n) holds a control character (C0 or DEL). */
static int has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

void yaml_put_quoted(buf_t *b, const char *s, size_t n)
{
	if (memchr(s, '"', n) && !memchr(s, '\'', n) && !has_control(s, n))
		put_squoted(b, s, n);
	else
		put_dquoted(b, s, n);
}

void yaml_put_item(buf_t *b, const char *s, size_t n)
{
	static const char *const words[] = {"null", "~", "true", "false", NULL};
	int quote = !n || strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) != NULL ||
		    has_control(s, n);
	for (size_t i = 0; i < n && !quote; i++)
		quote = strchr("[]{},", s[i]) ||
			(i + 1 < n && s[i] == ':' && is_blank(s[i + 1])) ||
			(i + 1 < n && is_blank(s[i]) && s[i + 1] == '#');
	for (size_t k = 0; words[k] && !quote; k++)
		quote = strlen(words[k]) == n && !strncasecmp(s, words[k], n);
	if (quote)
		yaml_put_quoted(b, s, n);
	else
		buf_put(b, s, n);
}

/* put_key with kc >= 0; else "- ", for a list item's value. */
static void put_key_or_dash(buf_t *b, const yline *l, long kc);

/* The key of l (from key_start to its colon at c) and ": ". */
static void put_key(buf_t *b, const yline *l, size_t c)
{
	size_t k = key_start(l);
	buf_put(b, l->s + k, c > k ? c - k : 0);
	buf_puts(b, ": ");
}

static void put_key_or_dash(buf_t *b, const yline *l, long kc)
{
	if (kc >= 0)
		put_key(b, l, (size_t)kc);
	else
		buf_puts(b, "- ");
}

typedef struct ctx {
	const char *text;
	size_t len;
	const yaml_problem *p;
	int line, col; /* where the mistake is */
	buf_t *msg;
} ctx;

static int has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

/* The mistake is at line (of the text), col. */
static int claim(ctx *c, int line, int col)
{
	c->line = c->p->line0 + line;
	c->col = col;
	return 1;
}

/* ---- the rules ---------------------------------------------------------- */

/* The fix for a value that starts with an indicator (below). */
static void put_fix(ctx *c, const yline *l, size_t vs);

/* When libyaml's problem says `words` and its mark is on a line of the
 * text: that line in *l, the byte of the mark's column in *at, and 1;
 * otherwise 0. */
static int problem_line(ctx *c, const char *words, yline *l, size_t *at)
{
	if (!has(c->p->problem, words))
		return 0;
	*l = line_at(c->text, c->len, c->p->line);
	if (!l->no)
		return 0;
	*at = byte_of_col(l, c->p->col);
	return 1;
}

/* A tab among the blanks that indent the line. */
static int tab_indent(ctx *c)
{
	yline l = line_at(c->text, c->len, c->p->line);
	size_t ind = indent_of(&l);
	const char *tab = l.no ? memchr(l.s, '\t', ind) : NULL;
	if (!tab)
		return 0;
	buf_puts(c->msg, "YAML does not allow tabs for indentation: indent "
		 "with spaces");
	return claim(c, l.no, col_of(&l, (size_t)(tab - l.s)));
}

/* "city:Kampala": the colon needs a space after it. */
static int missing_space(ctx *c, const yline *l, long at)
{
	size_t vs, ve;
	value_span(l, (size_t)at + 1, 0, &vs, &ve);
	buf_puts(c->msg, "put a space after the colon: ");
	put_key(c->msg, l, (size_t)at);
	buf_put(c->msg, l->s + vs, ve - vs);
	return claim(c, l->no, col_of(l, (size_t)at));
}

/* The nearest line above line no, with content, indented less than ind
 * bytes and holding a key: the key the lines from no on belong under;
 * no_line when there is none. */
static yline owner_above(const char *text, size_t len, int no, size_t ind)
{
	yline a = line_at(text, len, no);
	for (a = a.no ? line_before(text, &a) : no_line; a.no;
	     a = line_before(text, &a))
		if (has_content(&a) && indent_of(&a) < ind &&
		    key_colon(&a, key_start(&a)) >= 0)
			return a;
	return no_line;
}

/* "- global" and under it a key indented more: the item holds one value,
 * not keys. */
static yline line_after(const char *text, size_t len, const yline *l);
static size_t comment_at(const yline *l, size_t at);
static int key_like(const yline *l, size_t ks, size_t kc);
static void put_text_lines(ctx *c, yline m, size_t ks, int cut_comment,
			   int blank, buf_t *v);
static size_t note_of_words(const yline *l, size_t after, size_t from,
			    size_t to, size_t *end);

static int key_under_plain_item(ctx *c, const yline *l, const yline *above)
{
	if (!is_item(above) || indent_of(l) <= indent_of(above) ||
	    key_colon(above, key_start(above)) >= 0)
		return 0;
	size_t vs, ve;
	value_span(above, key_start(above), 1, &vs, &ve);
	yline owner = owner_above(c->text, c->len, above->no,
				  indent_of(above) + 1);
	if (vs == ve || !owner.no)
		return 0;
	size_t ks = key_start(&owner);
	long oc = key_colon(&owner, ks);
	size_t lk = key_start(l);
	long lc = key_colon(l, lk);
	if (lc >= 0 && !(key_like(l, lk, (size_t)lc) &&
			 keys_known_anywhere(l->s + lk, (size_t)lc - lk))) {
		/* "- Royal Test", "    Hospital: Nairobi": no key of any
		 * document, the item's own text */
		buf_t v = BUF_INIT;
		size_t ms, me;
		buf_put(&v, above->s + vs, ve - vs);
		/* "#1" after it is text; a note of words, after the quotes */
		value_span(l, indent_of(l), 0, &ms, &me);
		size_t note = note_of_words(l, ms, ms, me, &me);
		size_t note_end = value_end(l, note);
		buf_putc(&v, ' ');
		buf_put(&v, l->s + ms, me - ms);
		if (note == l->n)
			put_text_lines(c, line_after(c->text, c->len, l),
				       indent_of(above), 1, 0, &v);
		buf_printf(c->msg, "this line goes on the list item on line %d, "
			   "and its colon and space make YAML read a key: put "
			   "the whole item in quotes", c->p->line0 + above->no);
		if (v.len <= DIAG_QUOTE_MAX) {
			buf_puts(c->msg, ": - ");
			put_dquoted(c->msg, v.ptr, v.len);
			if (note < note_end && note_end - note <= DIAG_QUOTE_MAX)
				buf_printf(c->msg, " %.*s", (int)(note_end - note),
					   l->s + note);
		}
		buf_printf(c->msg, "; if '%.*s' is a key of its own, start it "
			   "in column %d, like '%.*s'", (int)((size_t)lc - lk),
			   l->s + lk, col_of(&owner, ks), (int)((size_t)oc - ks),
			   owner.s + ks);
		buf_free(&v);
		return claim(c, l->no, col_of(l, indent_of(l)));
	}
	buf_printf(c->msg, "this key is indented under the list item on line "
		   "%d, which holds one value (%.*s), not keys: start it in "
		   "column %d, like '%.*s', or give the item keys, each 'key: "
		   "value', the first after its dash", c->p->line0 + above->no,
		   (int)(ve - vs), above->s + vs, col_of(&owner, ks),
		   (int)((size_t)oc - ks), owner.s + ks);
	return claim(c, l->no, col_of(l, indent_of(l)));
}


/* Whether l[ks..kc) could be a record's key: lower-case letters, digits,
 * '_' and '-' (site.yml's and the records' keys are). */
static int key_like(const yline *l, size_t ks, size_t kc)
{
	for (size_t i = ks; i < kc; i++)
		if (!islower((unsigned char)l->s[i]) && !isdigit((unsigned char)l->s[i]) &&
		    l->s[i] != '_' && l->s[i] != '-')
			return 0;
	return kc > ks;
}

/* The line of the key whose plain value the text line l (no key, no
 * dash) goes on, over the text lines between them, each indented more
 * than that key: 1 with it in *owner; else 0. With item, the line of a
 * list item's plain value instead ("- rooms in the", "  hostel"), no key
 * in it. At most 4096 lines up: a bound on the walk whatever the text
 * (front matter is at most FM_MAX_BYTES); a value longer than that is
 * told by its first lines. */
static int value_goes_on(const ctx *c, const yline *l, yline *owner,
			 int item)
{
	size_t least = indent_of(l);
	yline m = *l;
	for (int up = 0; up < 4096; up++) {
		do
			m = line_before(c->text, &m);
		while (m.no && !has_content(&m));
		if (!m.no)
			return 0;
		int keyed = key_colon(&m, key_start(&m)) >= 0;
		if (is_item(&m) ? item : keyed && !item) {
			*owner = m;
			return indent_of(&m) < least && (!item || !keyed);
		}
		if (is_item(&m) || keyed)
			return 0;
		if (indent_of(&m) < least)
			least = indent_of(&m);
	}
	return 0;
}

/* "name: Royal Test" and, below it, "  Hospital: Nairobi campus": the
 * line l, indented under a key whose plain value (above[vs..ve), its
 * colon at akc) it goes on, maybe over lines between, holds ": ", which
 * YAML reads as a key's. When what stands before that colon is no key a
 * record has (a capital, a blank), the lines from the key's to the first
 * blank line or line not indented more than it after l are the value's
 * text: told so, with the whole value in quotes first, and the key's
 * column second. 1 when told; 0 when l may be a key, or the value is
 * quoted, in brackets, a block or has a comment. */
static int text_goes_on(ctx *c, const yline *above, size_t akc, size_t vs,
			size_t ve, const yline *l)
{
	size_t lk = key_start(l);
	long lc = key_colon(l, lk);
	if (lc < 0 || (key_like(l, lk, (size_t)lc) &&
		       keys_known_anywhere(l->s + lk, (size_t)lc - lk)) ||
	    is_item(l) ||
	    strchr("\"'[{|>&*!%@`#", above->s[vs]))
		return 0;
	buf_t text = BUF_INIT;
	buf_put(&text, above->s + vs, ve - vs);
	size_t deeper = indent_of(above);
	/* a note after the value's last line ("# the main one") stays a
	 * note, after the quotes; one on a line before it, in the way. One
	 * on the key's line ("name: Royal Test # the main one") is the
	 * note too, with no other; one of a digit there ("#1") is text. */
	const char *note = NULL;
	size_t note_n = 0;
	size_t h0 = comment_at(above, vs);
	if (h0 < above->n) {
		size_t e0 = value_end(above, h0);
		if (h0 + 1 < e0 && isdigit((unsigned char)above->s[h0 + 1])) {
			buf_putc(&text, ' ');
			buf_put(&text, above->s + h0, e0 - h0);
		} else {
			note = above->s + h0;
			note_n = e0 - h0;
		}
	}
	int first_note = note != NULL;
	/* blank lines between the value's lines are line breaks in it, as
	 * YAML folds a plain value (YAML 1.2, 6.5), written \n in the fix */
	int blank = 0;
	for (yline m = line_after(c->text, c->len, above);
	     m.no && (!has_content(&m) || indent_of(&m) > deeper);
	     m = line_after(c->text, c->len, &m)) {
		size_t ms, me;
		/* a comment line of a digit below l, as deep: text too */
		size_t d = indent_of(&m);
		int digits = m.no > l->no && d > deeper && d + 1 < m.n &&
			     m.s[d] == '#' && isdigit((unsigned char)m.s[d + 1]);
		if (!has_content(&m) && !digits && m.no > l->no)
			break; /* a blank line below: the value ends */
		if (!has_content(&m) && !digits) {
			blank++;
			continue;
		}
		size_t h = comment_at(&m, indent_of(&m));
		if ((note && !first_note) || (h < m.n && (m.no < l->no ||
							 first_note))) {
			buf_free(&text);
			return 0;
		}
		if (digits) /* the comment alone: its text is the note's */
			ms = me = 0;
		else
			value_span(&m, indent_of(&m), h < m.n, &ms, &me);
		if (ms < me) { /* not a line of a comment alone */
			for (buf_putc(&text, blank ? '\n' : ' '); blank > 1;
			     blank--)
				buf_putc(&text, '\n');
			blank = 0;
			buf_put(&text, m.s + ms, me - ms);
		}
		if (h < m.n) {
			note = m.s + h;
			note_n = m.n - h;
			while (note_n && strchr(" \t\r", note[note_n - 1]))
				note_n--;
		}
		if (note && note_n > 1 && isdigit((unsigned char)note[1])) {
			/* "#3": the value's text, as comment-in-value takes
			 * it, and the value goes on after it */
			for (buf_putc(&text, blank ? '\n' : ' '); blank > 1;
			     blank--)
				buf_putc(&text, '\n');
			blank = 0;
			buf_put(&text, note, note_n);
			note = NULL;
			note_n = 0;
		}
	}
	size_t ks = key_start(above);
	buf_printf(c->msg, "this line goes on the value of '%.*s' on line %d, "
		   "and its colon and space make YAML read a key: put the whole "
		   "value in quotes", (int)(akc - ks), above->s + ks,
		   c->p->line0 + above->no);
	if (text.len <= DIAG_QUOTE_MAX) {
		buf_puts(c->msg, ": ");
		put_key(c->msg, above, akc);
		put_dquoted(c->msg, text.ptr, text.len);
		if (note_n && note_n <= DIAG_QUOTE_MAX)
			buf_printf(c->msg, " %.*s", (int)note_n, note);
	}
	buf_printf(c->msg, "; if '%.*s' is a key of its own, start it in "
		   "column %d, like '%.*s'", (int)((size_t)lc - lk), l->s + lk,
		   col_of(above, ks), (int)(akc - ks), above->s + ks);
	buf_free(&text);
	return 1;
}

/* A value holding ": " makes a second key; or the line above lacks the
 * space after its colon; or this key is indented under a value. */
static int mapping_values(ctx *c)
{
	yline l;
	size_t at;
	if (!problem_line(c, "mapping values are not allowed", &l, &at))
		return 0;
	long kc = key_colon(&l, key_start(&l));
	if (kc >= 0 && (size_t)kc < at) {
		size_t vs, ve;
		value_span(&l, (size_t)kc + 1, 1, &vs, &ve);
		buf_puts(c->msg, "a colon and a space inside a value make YAML "
			 "read a second key: put the value in quotes: ");
		put_key(c->msg, &l, (size_t)kc);
		put_dquoted(c->msg, l.s + vs, ve - vs);
		return claim(c, c->p->line, c->p->col);
	}
	yline above = content_above(c->text, c->len, l.no);
	if (!above.no)
		return 0;
	long glued = glued_colon(&above);
	if (glued >= 0)
		return missing_space(c, &above, glued);
	long akc = key_colon(&above, key_start(&above));
	yline owner;
	if (akc < 0 && !is_item(&above) && value_goes_on(c, &above, &owner, 0) &&
	    indent_of(&l) > indent_of(&owner)) {
		/* "housing: Rooms near", "  the gate", "  see: the office":
		 * the key is under housing's value, not a line without one */
		above = owner;
		akc = key_colon(&above, key_start(&above));
	}
	if (akc < 0 && !is_item(&above) && indent_of(&l) == indent_of(&above)) {
		buf_puts(c->msg, "this line has no colon: write it as 'key: "
			 "value' (or '- value' for an item of a list)");
		return claim(c, above.no, col_of(&above, indent_of(&above)));
	}
	if (key_under_plain_item(c, &l, &above))
		return 1;
	if (akc >= 0 && indent_of(&l) > indent_of(&above)) {
		size_t vs, ve;
		value_span(&above, (size_t)akc + 1, 1, &vs, &ve);
		if (vs == ve)
			return 0;
		size_t ks = key_start(&above);
		if (text_goes_on(c, &above, (size_t)akc, vs, ve, &l))
			return claim(c, l.no, col_of(&l, indent_of(&l)));
		buf_printf(c->msg, "this key is indented more than '%.*s' on line "
			   "%d, which already has a value: start it in column %d, "
			   "like '%.*s'", (int)((size_t)akc - ks), above.s + ks,
			   c->p->line0 + above.no, col_of(&above, ks),
			   (int)((size_t)akc - ks),
			   above.s + ks);
		return claim(c, l.no, col_of(&l, indent_of(&l)));
	}
	return 0;
}

/* The longest implicit key YAML reads, in characters (YAML 1.2, section
 * 7.4.2). */
#define YAML_KEY_MAX 1024

/* A line that is neither "key: value" nor "- item". */
static int no_colon(ctx *c)
{
	if (!has(c->p->problem, "could not find expected ':'"))
		return 0;
	yline l = line_at(c->text, c->len, c->p->ctx_line);
	if (!has_content(&l))
		return 0;
	long glued = glued_colon(&l);
	if (glued >= 0)
		return missing_space(c, &l, glued);
	yline above = content_above(c->text, c->len, l.no);
	size_t ind = indent_of(&l);
	size_t vs, ve;
	value_span(&l, ind, 1, &vs, &ve);
	long kc = key_colon(&l, key_start(&l));
	size_t key_chars = 0; /* libyaml counts characters, not bytes */
	for (size_t i = key_start(&l); kc >= 0 && i < (size_t)kc; i++)
		key_chars += ((unsigned char)l.s[i] & 0xC0) != 0x80;
	if (key_chars > YAML_KEY_MAX) {
		/* YAML 1.2, 7.4.2: an implicit key is at most 1024 characters,
		 * past which libyaml looks for its colon no further */
		buf_printf(c->msg, "this key is longer than %d characters, the "
			   "most YAML reads as a key: shorten it (a field's "
			   "name is a word or two)", YAML_KEY_MAX);
	} else if (above.no && is_item(&above) && indent_of(&above) == ind) {
		buf_puts(c->msg, "this line is not an item of the list above it: "
			 "start it with a dash and a space: - ");
		buf_put(c->msg, l.s + vs, ve - vs);
	} else {
		buf_puts(c->msg, "this line has no colon: write it as 'key: "
			 "value' (or '- value' for an item of a list)");
	}
	return claim(c, l.no, col_of(&l, ind));
}

/* How to end the value that a quote opens at byte q of l and that is
 * not closed on its line, onto c->msg: with that quote; or, when it
 * reads as an apostrophe of an elided word ('s-Hertogenbosch, 't Zand),
 * which a closing quote would drop from the text, first the value in
 * double quotes. */
/* Whether the quote at byte q of l, after its key, reads as the
 * apostrophe of an elided word: a letter or two, then a hyphen or a
 * space ('s-, 't, 'n), as Dutch and Afrikaans names begin. */
static int elided_word(const yline *l, size_t q)
{
	long kc = key_colon(l, key_start(l));
	size_t w = q + 1;
	while (w < l->n && w - q <= 3 && isalpha((unsigned char)l->s[w]))
		w++;
	return l->s[q] == '\'' && w - q - 1 >= 1 && w - q - 1 <= 2 && w < l->n &&
	       (l->s[w] == '-' || l->s[w] == ' ') && kc >= 0 && (size_t)kc < q;
}

static void apostrophe_or_close(ctx *c, const yline *l, size_t q)
{
	char ch = l->s[q];
	long kc = key_colon(l, key_start(l));
	if (elided_word(l, q)) {
		size_t vs, ve;
		value_span(l, q, 1, &vs, &ve);
		buf_puts(c->msg, "if it is an apostrophe of the text, put the "
			 "value in double quotes: ");
		put_key(c->msg, l, (size_t)kc);
		put_dquoted(c->msg, l->s + vs, ve - vs);
		buf_puts(c->msg, "; else ");
	}
	buf_printf(c->msg, "end the value with %c", ch);
}

/* A quoted value whose closing quote never comes. */
static int unclosed_quote(ctx *c)
{
	if (!has(c->p->problem, "end of stream") ||
	    !has(c->p->context, "quoted scalar"))
		return 0;
	yline l = line_at(c->text, c->len, c->p->ctx_line);
	size_t at = byte_of_col(&l, c->p->ctx_col);
	if (!l.no || at >= l.n || (l.s[at] != '"' && l.s[at] != '\''))
		return 0;
	buf_printf(c->msg, "the quote (%c) that opens this value is never "
		   "closed: ", l.s[at]);
	apostrophe_or_close(c, &l, at);
	return claim(c, c->p->ctx_line, c->p->ctx_col);
}

/* A backslash YAML does not know, inside double quotes. */
static int bad_escape(ctx *c)
{
	if (!has(c->p->problem, "unknown escape character") &&
	    !has(c->p->problem, "expected hexdecimal number"))
		return 0;
	yline l = line_at(c->text, c->len, c->p->line);
	size_t at = byte_of_col(&l, c->p->col);
	/* the mark is at the backslash, or at a bad digit of \x \u \U */
	for (size_t k = 0; at < l.n && l.s[at] != '\\' && k < 10 && at > 0; k++)
		at--;
	if (!l.no || at >= l.n || l.s[at] != '\\')
		return 0;
	buf_puts(c->msg, "inside double quotes a backslash starts an escape "
		 "such as \\n or \\\", and ");
	char e = at + 1 < l.n ? l.s[at + 1] : 0;
	if ((unsigned char)e > 0x20 && (unsigned char)e < 0x7f)
		buf_printf(c->msg, "\\%c here is not one: ", e);
	else
		buf_puts(c->msg, "this one is not: ");
	buf_puts(c->msg, "write \\\\ for a backslash, or put the value in "
		 "single quotes");
	return claim(c, l.no, col_of(&l, at));
}

/* Whether a [ { " ' at byte i of l, inside a [list] or {mapping},
 * starts a collection or a quoted value: after '[', '{', ',', ':' or
 * '?' and blanks. Inside a plain value ("a[b") it is text. */
static int starts_flow_value(const yline *l, size_t i)
{
	while (i > 0 && is_blank(l->s[i - 1]))
		i--;
	return i == 0 || (l->s[i - 1] && strchr(":,[{?", l->s[i - 1]));
}

/* Whether byte i of l is an indicator followed by a blank or the end of
 * the line ("- ", "? ", ": "), as YAML 1.2 (7.3.3) requires of them in
 * block context. */
static int is_indicator(const yline *l, size_t i, char ch)
{
	return l->s[i] == ch && (i + 1 == l->n || is_blank(l->s[i + 1]));
}

/* A [ or { of the text. */
typedef struct opener {
	int line, col;
	char ch;
} opener;

enum { MAX_OPEN = 64 };

/* A quoted value that spans lines: its opening quote (line, col, ch) and
 * the line of its closing one. */
typedef struct quoted {
	opener at;
	int end;
} quoted;

/* Read the text up to line, col (1-based, of the text) as YAML's flow
 * brackets go, quotes and comments passed over: the brackets still open
 * there, outermost first, into open[] (at most MAX_OPEN). Their count;
 * -1 when a quote is open too, or there are more than MAX_OPEN.
 *
 * A quote or bracket opens only where a value may start (YAML 1.2,
 * 7.3.3 and 8.2): outside brackets, at the start of a line's content or
 * after a "- ", "? " or ": " indicator; inside them, after '[', '{', ','
 * or ':'. In a plain value ("Bosch, 's-Hertogenbosch"), the lines of a
 * block scalar (| or >) and the lines that go on a plain value, both
 * indented more than its key or dash, it is text.
 *
 * When multi is not NULL, the last quoted value that closed on a later
 * line than it opened goes there (multi->end 0: none). When inside is
 * not NULL (line + 1 bytes), inside[no] is set to 1 for each line no up
 * to line that starts within a value's text (a quoted value that spans
 * lines, a block scalar, a plain value's later lines), 0 for others. */
static int still_open(const ctx *c, int line, int col, opener *open,
		      quoted *multi, unsigned char *inside)
{
	int depth = 0;
	char quote = 0;
	opener q = {0, 0, 0}; /* where the open quote opened */
	long text_over = -1;  /* lines indented more are a value's text */
	if (multi)
		*multi = (quoted){{0, 0, 0}, 0};
	if (inside)
		memset(inside, 0, (size_t)line + 1);
	size_t from = 0; /* where line no starts: one pass over the text */
	for (int no = 1; no <= line && from <= c->len; no++) {
		size_t e = from;
		while (e < c->len && c->text[e] != '\n' && c->text[e] != '\r')
			e++;
		yline l = {c->text + from, e - from, no};
		from = e + (e + 1 < c->len && c->text[e] == '\r' &&
			    c->text[e + 1] == '\n' ? 2 : 1);
		size_t ind = indent_of(&l);
		int text = quote != 0;
		if (!quote && !depth && text_over >= 0) {
			if (ind == l.n || (long)ind > text_over)
				text = 1; /* a line of a block or plain value */
			else
				text_over = -1;
		}
		if (inside)
			inside[no] = (unsigned char)text;
		if (text && !quote)
			continue;
		size_t end = no == line ? byte_of_col(&l, col) : l.n;
		/* outside brackets: a plain value from plain_at on (a key
		 * until its ": "), after an indicator (value) or not; owner:
		 * where the key or dash the value belongs to starts */
		int plain = 0, value = 0, plain_value = 0;
		size_t plain_at = 0, owner = ind;
		for (size_t i = 0; i < end; i++) {
			char ch = l.s[i];
			int closes = 0, opens = 0;
			if (quote == '"') {
				if (ch == '\\')
					i++;
				else if (ch == '"')
					closes = 1;
			} else if (quote == '\'') {
				if (ch == '\'' && i + 1 < l.n && l.s[i + 1] == '\'')
					i++;
				else if (ch == '\'')
					closes = 1;
			} else if (ch == '#' && (i == 0 || is_blank(l.s[i - 1]) ||
						 (depth && strchr("[{,", l.s[i - 1])))) {
				/* a comment, to the end of the line; in [ ] or
				 * { }, libyaml starts one right after a bracket
				 * or a comma too */
				break;
			} else if (depth) {
				if (ch == ']' || ch == '}')
					depth--;
				else
					opens = ch == '[' || ch == '{' ||
						((ch == '"' || ch == '\'') &&
						 starts_flow_value(&l, i));
			} else if (plain) {
				if (is_indicator(&l, i, ':')) { /* it was a key */
					plain = 0;
					value = 1;
					owner = plain_at;
				}
			} else if (is_blank(ch)) {
				continue;
			} else if (is_indicator(&l, i, '-') || is_indicator(&l, i, '?')) {
				value = 1;
				owner = i;
			} else if (is_indicator(&l, i, ':')) {
				value = 1;
			} else if (ch && strchr("\"'[{", ch)) {
				opens = 1;
			} else if ((ch == '|' || ch == '>') && value) {
				text_over = (long)owner; /* a block scalar's lines */
				break;
			} else if (ch != ']' && ch != '}') {
				plain = 1;
				plain_value = value;
				plain_at = i;
			}
			if (opens && (ch == '"' || ch == '\'')) {
				quote = ch;
				q = (opener){no, col_of(&l, i), ch};
			} else if (opens) {
				if (depth < MAX_OPEN)
					open[depth] = (opener){no, col_of(&l, i), ch};
				depth++;
			}
			if (closes) {
				quote = 0;
				if (multi && q.line < no)
					*multi = (quoted){q, no};
			}
		}
		/* a plain value goes on at the lines indented more than its
		 * key or dash; a line of plain text alone, at its own */
		if (plain && !depth && !quote && end == l.n)
			text_over = plain_value ? (long)owner : (long)ind - 1;
	}
	return quote || depth > MAX_OPEN ? -1 : depth;
}

/* The line after l in text, or no_line. */
static yline line_after(const char *text, size_t len, const yline *l)
{
	size_t i = (size_t)(l->s - text) + l->n;
	if (i >= len)
		return no_line;
	i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
	size_t e = i;
	while (e < len && text[e] != '\n' && text[e] != '\r')
		e++;
	return (yline){text + i, e - i, l->no + 1};
}

/* The end of bytes from..to of l less a comment (" #...") that starts
 * after byte after (past a closing quote: a # inside quotes is text). */
static size_t before_comment(const yline *l, size_t after, size_t from,
			     size_t to)
{
	for (size_t i = after > from ? after : from; i < to; i++)
		if (l->s[i] == '#' && i > 0 && is_blank(l->s[i - 1])) {
			while (i > from && is_blank(l->s[i - 1]))
				i--;
			return i;
		}
	return to;
}

/* Where a note of words (" # ask", not " #2": comment-in-value takes a
 * '#' and a digit for text) starts in bytes from..to of l, after byte
 * after; *end: the value's end before it, blanks dropped. to when none. */
static size_t note_of_words(const yline *l, size_t after, size_t from,
			    size_t to, size_t *end)
{
	*end = to;
	for (size_t i = after > from ? after : from; i < to; i++) {
		if (l->s[i] != '#' || i == 0 || !is_blank(l->s[i - 1]) ||
		    (i + 1 < to && isdigit((unsigned char)l->s[i + 1])))
			continue;
		size_t e = i;
		while (e > from && is_blank(l->s[e - 1]))
			e--;
		*end = e;
		return i;
	}
	return to;
}

/* More text after a value's closing quote: the value holds quotes. The
 * value may span lines, from its key's line to this one (l): its lines
 * are then joined with a space, as YAML folds them (YAML 1.2, 7.3). */
static int after_quote(ctx *c, const yline *l, size_t at)
{
	size_t k = at;
	while (k > 0 && is_blank(l->s[k - 1]))
		k--;
	if (k == 0 || (l->s[k - 1] != '"' && l->s[k - 1] != '\''))
		return 0;
	/* the value opens on this line after its key, or on a line above
	 * (a quoted value that spans lines): after its key there, or first
	 * on its line under a key written alone */
	yline key = *l, first = *l;
	size_t from;
	opener open[MAX_OPEN];
	quoted m;
	still_open(c, l->no, col_of(l, k), open, &m, NULL);
	long kc;
	if (m.end == l->no) {
		first = line_at(c->text, c->len, m.at.line);
		from = byte_of_col(&first, m.at.col);
		key = first;
		kc = key_colon(&first, key_start(&first));
		if (kc < 0 && from == indent_of(&first)) {
			key = content_above(c->text, c->len, first.no);
			kc = key.no ? key_colon(&key, key_start(&key)) : -1;
			size_t vs, ve;
			if (kc >= 0)
				value_span(&key, (size_t)kc + 1, 1, &vs, &ve);
			if (kc < 0 || vs != ve) /* the key above has a value */
				return 0;
		} else if (kc < 0 || (size_t)kc >= from) {
			return 0;
		}
	} else {
		kc = key_colon(l, key_start(l));
		if (kc < 0 || (size_t)kc >= k)
			return 0;
		from = (size_t)kc + 1;
	}
	buf_t v = BUF_INIT;
	size_t vs, ve;
	value_span(&first, from, 0, &vs, &ve);
	/* a note of words after the text stays after the quotes */
	size_t note = l->n, note_end = l->n;
	if (first.no == l->no) {
		note = note_of_words(l, k, vs, ve, &ve);
		note_end = value_end(l, note);
	}
	buf_put(&v, first.s + vs, ve - vs);
	/* folded as YAML folds a quoted value's lines (YAML 1.2, 7.3.1): a
	 * line break is a space, unless blank lines follow it, each of
	 * which is a line break */
	int breaks = 0, blank = 0;
	for (yline a = first; a.no && a.no < l->no;) {
		a = line_after(c->text, c->len, &a);
		size_t ts, te;
		value_span(&a, 0, 0, &ts, &te);
		if (a.no == l->no) {
			note = note_of_words(l, k, ts, te, &te);
			note_end = value_end(l, note);
		}
		if (ts == te && a.no < l->no) {
			blank++;
			continue;
		}
		breaks |= blank > 0;
		for (buf_putc(&v, blank ? '\n' : ' '); blank > 1; blank--)
			buf_putc(&v, '\n');
		blank = 0;
		buf_put(&v, a.s + ts, te - ts);
	}
	const char *s = v.ptr ? v.ptr : "";
	size_t n = v.len;
	char q = n ? s[0] : 0;
	if (q != '"' && q != '\'') {
		buf_free(&v);
		return 0;
	}
	if (n >= 2 && s[n - 1] == q) { /* "A "B" C": drop the outer pair */
		s++;
		n -= 2;
	}
	buf_puts(c->msg, "text follows the closing quote of this value: a "
		 "value that holds quotes goes in the other kind of quotes");
	if (breaks) /* single quotes cannot write a line break on one line */
		buf_puts(c->msg, ", or in double quotes with \\\" for each "
			 "quote and \\n for each line break");
	buf_puts(c->msg, ": ");
	put_key(c->msg, &key, (size_t)kc);
	if (q == '"' && !breaks)
		put_squoted(c->msg, s, n);
	else
		put_dquoted(c->msg, s, n);
	if (note < note_end && note_end - note <= DIAG_QUOTE_MAX)
		buf_printf(c->msg, " %.*s", (int)(note_end - note), l->s + note);
	buf_free(&v);
	return claim(c, c->p->line, c->p->col);
}

/* "exchanges: [a, b]" and under it "- x": a list item after a key that
 * has its value, with no item above to line up with. */
static int item_after_value(ctx *c, const yline *l)
{
	yline above = content_above(c->text, c->len, l->no);
	if (!is_item(l) || !above.no || is_item(&above))
		return 0;
	size_t ks = key_start(&above);
	long kc = key_colon(&above, ks);
	size_t vs, ve;
	if (kc < 0)
		return 0;
	value_span(&above, (size_t)kc + 1, 1, &vs, &ve);
	if (vs == ve)
		return 0;
	int n = (int)((size_t)kc - ks);
	buf_printf(c->msg, "this list item follows '%.*s' on line %d, which "
		   "already has a value: a list goes on the lines below its key "
		   "written alone (%.*s:), or in brackets after it ([a, b])", n,
		   above.s + ks, c->p->line0 + above.no, n, above.s + ks);
	return claim(c, l->no, col_of(l, indent_of(l)));
}

/* Whether l is text alone: no key, no dash, no comment line. */
static int text_alone(const yline *l)
{
	size_t i = indent_of(l);
	return has_content(l) && !is_item(l) && l->s[i] != '#' &&
	       key_colon(l, i) < 0;
}

/* The byte of l that closes the quoted value opening at byte q (a " or
 * ', with \" and '' inside it), or SIZE_MAX when it does not close on l. */
static size_t quote_end(const yline *l, size_t q)
{
	char ch = l->s[q];
	for (size_t i = q + 1; i < l->n; i++) {
		if (ch == '"' && l->s[i] == '\\')
			i++;
		else if (l->s[i] == ch && ch == '\'' && i + 1 < l->n &&
			 l->s[i + 1] == '\'')
			i++;
		else if (l->s[i] == ch)
			return i;
	}
	return SIZE_MAX;
}

/* Where a comment (" #") starts on l from byte at, outside quotes; l.n
 * when none does, or a quote does not close on l. */
static size_t comment_at(const yline *l, size_t at)
{
	/* the last byte that is no blank before i, and whether a blank
	 * came after it: a quote opens a value only where one starts
	 * (after a bracket, a comma or a key's ": "): "women's" is text */
	char last = 0;
	int blank = 0;
	for (size_t i = at; i < l->n; i++) {
		char ch = l->s[i];
		int starts = !last || strchr("[{,", last) || (last == ':' && blank);
		if ((ch == '"' || ch == '\'') && starts) {
			/* a # inside quotes is text */
			size_t q = quote_end(l, i);
			if (q == SIZE_MAX)
				return l->n;
			i = q;
			ch = l->s[q];
		} else if (ch == '#' && i > 0 && is_blank(l->s[i - 1]))
			return i;
		if (is_blank(ch))
			blank = 1;
		else {
			last = ch;
			blank = 0;
		}
	}
	return l->n;
}

/* The line above text line l, when it holds a key and a value, or a
 * list item's value, that l goes on (indented more than the key or the
 * dash): 1 with that line in *first, where its key or dash starts, its
 * key's colon (-1 for an item) and the value's span on it (blanks
 * trimmed, a comment kept); else 0. */
static int value_above(ctx *c, const yline *l, yline *first, size_t *ks,
		       long *kc, size_t *vs, size_t *ve)
{
	*first = content_above(c->text, c->len, l->no);
	if (!first->no || !text_alone(l))
		return 0;
	*ks = key_start(first);
	*kc = key_colon(first, *ks);
	size_t from = *kc >= 0 ? (size_t)*kc + 1 : *ks;
	if (*kc < 0 && is_item(first))
		*ks = indent_of(first); /* "- value": below it, past its dash */
	else if (*kc < 0)
		return 0;
	if (indent_of(l) <= *ks)
		return 0;
	value_span(first, from, 0, vs, ve);
	return *vs < *ve;
}

/* To v, the text of each line from m on that is text alone and indented
 * more than byte ks (a value's lines below its key), its comment left out
 * with cut_comment, each after a blank; or, after blank lines (blank of
 * them before m), a line break for each, as YAML folds a plain value
 * (YAML 1.2, 6.5): blank lines do not end it. */
static void put_text_lines(ctx *c, yline m, size_t ks, int cut_comment,
			   int blank, buf_t *v)
{
	for (; m.no; m = line_after(c->text, c->len, &m)) {
		if (!has_content(&m)) {
			blank++;
			continue;
		}
		if (!text_alone(&m) || indent_of(&m) <= ks)
			break;
		size_t ms, me;
		value_span(&m, indent_of(&m), cut_comment, &ms, &me);
		for (buf_putc(v, blank ? '\n' : ' '); blank > 1; blank--)
			buf_putc(v, '\n');
		blank = 0;
		buf_put(v, m.s + ms, me - ms);
	}
}

/* "housing:" alone, and the value on the line below it, first, which the
 * text line l goes on: 1 with owner the key's line (ks, kc as
 * value_above gives them) and the value's span on first; else 0. */
static int key_alone_above(ctx *c, const yline *l, yline *first,
			   yline *owner, size_t *ks, long *kc, size_t *vs,
			   size_t *ve)
{
	*first = content_above(c->text, c->len, l->no);
	if (!first->no || !text_alone(first) || !text_alone(l))
		return 0;
	*owner = content_above(c->text, c->len, first->no);
	*ks = owner->no ? key_start(owner) : 0;
	*kc = owner->no ? key_colon(owner, *ks) : -1;
	size_t os, oe;
	if (*kc < 0 || indent_of(first) <= *ks || indent_of(l) <= *ks)
		return 0;
	value_span(owner, (size_t)*kc + 1, 1, &os, &oe);
	if (os != oe)
		return 0;
	value_span(first, indent_of(first), 0, vs, ve);
	return 1;
}

/* "housing: rooms in the", "  hostel near #3 campus", "  the gate": the
 * text line l goes on a value whose key's line (owner, first) is further
 * up, over text lines of which one holds the comment that ended it. 1
 * with the spans as key_alone_above gives them; else 0. */
static int key_far_above(ctx *c, const yline *l, yline *first, yline *owner,
			 size_t *ks, long *kc, size_t *vs, size_t *ve)
{
	yline above = content_above(c->text, c->len, l->no);
	if (!above.no || !text_alone(l) || !text_alone(&above))
		return 0;
	size_t from;
	if (value_goes_on(c, &above, owner, 0)) {
		*ks = key_start(owner);
		*kc = key_colon(owner, *ks);
		if (*kc < 0)
			return 0;
		from = (size_t)*kc + 1;
	} else if (value_goes_on(c, &above, owner, 1)) {
		/* "- rooms in the", "  hostel near #3 campus": a list
		 * item's value, after its dash */
		from = key_start(owner);
		*ks = indent_of(owner);
		*kc = -1;
	} else {
		return 0;
	}
	if (indent_of(l) <= *ks)
		return 0;
	int commented = 0;
	for (yline m = line_after(c->text, c->len, owner); m.no && m.no < l->no;
	     m = line_after(c->text, c->len, &m))
		commented |= comment_at(&m, indent_of(&m)) < m.n;
	value_span(owner, from, 0, vs, ve);
	*first = *owner;
	return commented && *vs < *ve;
}

/* "housing: Rooms #2 in the" and below it "  hostel": the value was meant
 * to go on over the lines below (l and those after, text alone, indented
 * more than its key or dash), but the " #" on its first line, or a line
 * below it that starts with "#", started a comment, which ends a plain
 * value there (YAML 1.2, 6.6). The value starts after its key's ": ", on
 * the line below a key written alone ("housing:"), or after an item's
 * "- ". Its fix: the whole value in quotes, after its key or dash; or,
 * when the # starts a note, the note moved above. */
static int comment_ended_value(ctx *c, const yline *l)
{
	/* first: the value's first line; owner: the line of its key or
	 * dash, where ks is; vs where the value starts on first */
	yline first, owner;
	size_t ks, vs, ve, vc;
	long kc;
	if (value_above(c, l, &first, &ks, &kc, &vs, &ve))
		owner = first;
	else if (!key_alone_above(c, l, &first, &owner, &ks, &kc, &vs, &ve) &&
		 !key_far_above(c, l, &first, &owner, &ks, &kc, &vs, &ve))
		return 0;
	vc = before_comment(&first, vs, vs, ve);
	if (vs == vc || strchr("\"'[{|>&*!%@`#", first.s[vs]))
		return 0;
	buf_t v = BUF_INIT;
	/* "housing:", "  #2 rooms", "  in the": a '#' and a digit between
	 * the key and the value's first line, indented as its text, begin
	 * it (comment-in-value's reading when nothing ends the value) */
	int before = 0; /* the line of the first such */
	for (yline m = owner.no < first.no ? line_after(c->text, c->len, &owner) :
		       no_line;
	     m.no && m.no < first.no; m = line_after(c->text, c->len, &m)) {
		size_t ms, me;
		value_span(&m, indent_of(&m), 0, &ms, &me);
		if (ms == me)
			continue;
		if (indent_of(&m) <= ks || m.s[ms] != '#' || ms + 1 >= me ||
		    !isdigit((unsigned char)m.s[ms + 1]))
			continue; /* a note of words above the value: a note */
		if (!before)
			before = m.no;
		buf_put(&v, m.s + ms, me - ms);
		buf_putc(&v, ' ');
	}
	buf_put(&v, first.s + vs, ve - vs);
	/* the lines of comment between, indented as the value's text is:
	 * its text too; one further left is a comment, in the way */
	int comments = 0, hash = before ? before : first.no; /* the first # */
	int blank = 0;
	yline m = line_after(c->text, c->len, &first);
	for (; m.no && m.no < l->no; m = line_after(c->text, c->len, &m)) {
		size_t ms, me;
		value_span(&m, indent_of(&m), 0, &ms, &me);
		if (ms == me) {
			blank++;
			continue;
		}
		if (indent_of(&m) <= ks) {
			buf_free(&v);
			buf_printf(c->msg, "this line goes on with the value on "
				   "line %d, but the comment on line %d ends the "
				   "value: move the comment above line %d",
				   c->p->line0 + first.no, c->p->line0 + m.no,
				   c->p->line0 + owner.no);
			return claim(c, l->no, col_of(l, indent_of(l)));
		}
		/* the first line below with a comment in it */
		if (vc == ve && !before && hash == first.no &&
		    comment_at(&m, indent_of(&m)) < m.n)
			hash = m.no;
		comments++;
		for (buf_putc(&v, blank ? '\n' : ' '); blank > 1; blank--)
			buf_putc(&v, '\n');
		blank = 0;
		buf_put(&v, m.s + ms, me - ms);
	}
	if (vc == ve && !comments) {
		buf_free(&v);
		return 0;
	}
	put_text_lines(c, m, ks, 0, blank, &v);
	buf_printf(c->msg, "this line goes on with the value on line %d, but "
		   "the # on line %d starts a YAML comment, which ends the "
		   "value: to keep the # and the lines below it in the value, "
		   "put it all in quotes", c->p->line0 + first.no,
		   c->p->line0 + hash);
	if (v.len <= DIAG_QUOTE_MAX) {
		buf_puts(c->msg, ": ");
		put_key_or_dash(c->msg, &owner, kc);
		yaml_put_quoted(c->msg, v.ptr, v.len);
	}
	buf_printf(c->msg, "; if the # starts a note, not text, move the note "
		   "above line %d", c->p->line0 + owner.no);
	buf_free(&v);
	return claim(c, l->no, col_of(l, indent_of(l)));
}

/* "name: *Royal" and below it "  Hall": an alias, which no text may
 * follow, for a value over lines that starts with '*'. Told at the '*',
 * with the whole value in quotes. */
static int alias_ended_value(ctx *c, const yline *l)
{
	yline first;
	size_t ks, vs, ve;
	long kc;
	if (!value_above(c, l, &first, &ks, &kc, &vs, &ve) ||
	    first.s[vs] != '*' || before_comment(&first, vs, vs, ve) != ve)
		return 0;
	buf_t v = BUF_INIT;
	buf_put(&v, first.s + vs, ve - vs);
	put_text_lines(c, *l, ks, 1, 0, &v);
	buf_puts(c->msg, "a value cannot start with * unless it is in quotes");
	if (v.len <= DIAG_QUOTE_MAX) {
		buf_puts(c->msg, ": ");
		put_key_or_dash(c->msg, &first, kc);
		yaml_put_quoted(c->msg, v.ptr, v.len);
	}
	buf_free(&v);
	return claim(c, first.no, col_of(&first, vs));
}

/* 'housing: "Rooms"' and below it "  hostel": a quoted value ends at its
 * closing quote, and text may not follow it on the next lines, as a plain
 * value's may. The fix: the text inside the quotes, with the lines below
 * (and a comment between, which may be text the # cut). */
static int quote_ended_value(ctx *c, const yline *l)
{
	yline first;
	size_t ks, vs, ve;
	long kc;
	if (!value_above(c, l, &first, &ks, &kc, &vs, &ve) ||
	    (first.s[vs] != '"' && first.s[vs] != '\''))
		return 0;
	size_t q = quote_end(&first, vs), hash = q == SIZE_MAX ? ve :
		comment_at(&first, q + 1);
	if (q == SIZE_MAX || (hash == first.n && q + 1 != ve))
		return 0;
	char ch = first.s[vs];
	buf_t v = BUF_INIT;
	buf_put(&v, first.s + vs + 1, q - vs - 1);
	if (hash < first.n) {
		buf_putc(&v, ' ');
		buf_put(&v, first.s + hash, ve - hash);
	}
	put_text_lines(c, *l, ks, 0, 0, &v);
	buf_printf(c->msg, "this line goes on with the value on line %d, which "
		   "ends at its closing quote: put all the value's text inside "
		   "the quotes", c->p->line0 + first.no);
	/* the text as typed, in its quotes, when that reads back as it:
	 * no escape or quote of that kind in it */
	if (v.len <= DIAG_QUOTE_MAX && !memchr(v.ptr, ch, v.len) &&
	    !(ch == '"' && memchr(v.ptr, '\\', v.len)) &&
	    !memchr(v.ptr, '\n', v.len)) {
		buf_puts(c->msg, ": ");
		put_key_or_dash(c->msg, &first, kc);
		buf_putc(c->msg, ch);
		buf_put(c->msg, v.ptr, v.len);
		buf_putc(c->msg, ch);
	} else if (v.len <= DIAG_QUOTE_MAX && memchr(v.ptr, '\n', v.len) &&
		   !(ch == '"' && memchr(v.ptr, '\\', v.len))) {
		/* a blank line in it: a line break, \n in double quotes */
		buf_puts(c->msg, ": ");
		put_key_or_dash(c->msg, &first, kc);
		put_dquoted(c->msg, v.ptr, v.len);
	}
	if (hash < first.n)
		buf_printf(c->msg, "; if the # starts a note, not text, move the "
			   "note above line %d", c->p->line0 + first.no);
	buf_free(&v);
	return claim(c, l->no, col_of(l, indent_of(l)));
}

/* A value over lines that a comment cut, that starts with an alias or
 * that a quote closed, told at its next line: libyaml expected a key
 * there, or a dash in a list. */
static int comment_cut(ctx *c)
{
	yline l;
	size_t at;
	if (!problem_line(c, "did not find expected key", &l, &at) &&
	    !problem_line(c, "did not find expected '-' indicator", &l, &at))
		return 0;
	return at == indent_of(&l) &&
	       (comment_ended_value(c, &l) || alias_ended_value(c, &l) ||
		quote_ended_value(c, &l));
}

/* "- item" or "key:" that lines up with nothing above it. */
static int out_of_line(ctx *c)
{
	yline l;
	size_t at;
	if (!problem_line(c, "did not find expected key", &l, &at))
		return 0;
	if (after_quote(c, &l, at))
		return 1;
	if (at != indent_of(&l))
		return 0;
	int item = is_item(&l);
	/* "levels: a" and under it "- b", lined up with levels */
	yline prev = content_above(c->text, c->len, l.no);
	if (item && prev.no && !is_item(&prev) &&
	    indent_of(&prev) == indent_of(&l) && item_after_value(c, &l))
		return 1;
	/* the nearest line above of the same kind: an item, or a key; not
	 * a line of a quoted value that spans lines, which is its text */
	opener open[MAX_OPEN];
	unsigned char *inside = malloc((size_t)l.no + 1);
	if (inside)
		still_open(c, l.no, 1, open, NULL, inside);
	yline above = no_line;
	for (yline a = line_before(c->text, &l); a.no && !above.no;
	     a = line_before(c->text, &a))
		if (has_content(&a) && is_item(&a) == item &&
		    indent_of(&a) != indent_of(&l) && !(inside && inside[a.no]))
			above = a;
	free(inside);
	if (!above.no)
		return item_after_value(c, &l);
	/* "name: Royal Test #1" and below it "  Hospital: Nairobi": the
	 * comment ended the value, and the line that goes on it reads as a
	 * key, indented under it */
	long pkc = prev.no && !item ? key_colon(&prev, key_start(&prev)) : -1;
	if (pkc >= 0 && indent_of(&l) > indent_of(&prev) &&
	    comment_at(&prev, (size_t)pkc + 1) < prev.n) {
		size_t vs, ve;
		value_span(&prev, (size_t)pkc + 1, 1, &vs, &ve);
		if (vs < ve && text_goes_on(c, &prev, (size_t)pkc, vs, ve, &l))
			return claim(c, l.no, col_of(&l, indent_of(&l)));
	}
	int want = col_of(&above, indent_of(&above));
	if (item)
		buf_printf(c->msg, "this list item is not lined up with the one "
			   "on line %d: start its dash in column %d",
			   c->p->line0 + above.no, want);
	else
		buf_printf(c->msg, "this key is not lined up with the keys "
			   "above it: start it in column %d, like line %d",
			   want, c->p->line0 + above.no);
	return claim(c, l.no, col_of(&l, at));
}

/* The column (bytes of l) of the key or dash the value that opens at
 * byte q of l belongs to: the key before it on its line ("key: "q,
 * "- key: "q), the dash of a "- "q item, or, when the value starts its
 * line, the key of the nearest line above with content. The lines of a
 * value meant to span lines are indented more than that. */
static size_t owner_col(const ctx *c, const yline *l, size_t q)
{
	size_t i = indent_of(l), dash = 0;
	int item = 0;
	while (i < q && is_indicator(l, i, '-')) {
		dash = i;
		item = 1;
		for (i++; i < l->n && is_blank(l->s[i]); i++)
			;
	}
	if (i < q)
		return i; /* "key: "q */
	if (item)
		return dash;
	yline above = content_above(c->text, c->len, l->no);
	return above.no ? key_start(&above) : 0;
}

/* Whether a line that the quoted value m spans, after its first, reads
 * as YAML of its own: a comment, a list item or a key, no deeper than
 * the key or dash the value belongs to. A value meant to span lines has
 * its lines indented more, and holds text there. */
static int spans_yaml(const ctx *c, const quoted *m)
{
	yline a = line_at(c->text, c->len, m->at.line);
	size_t q = byte_of_col(&a, m->at.col), ind = owner_col(c, &a, q);
	/* in a [list] or {mapping} (one opened before it on its line), a
	 * value's lines are no text of a block: a comment reads as one at
	 * any indentation */
	int flow = 0;
	for (size_t i = 0; i < q; i++)
		flow += a.s[i] == '[' || a.s[i] == '{' ? 1 :
			a.s[i] == ']' || a.s[i] == '}' ? -1 : 0;
	while (a.no && a.no < m->end) {
		a = line_after(c->text, c->len, &a);
		size_t i = indent_of(&a);
		if (i < a.n && ((flow > 0 && a.s[i] == '#') ||
				(i <= ind && (a.s[i] == '#' || is_item(&a) ||
					      key_colon(&a, key_start(&a)) >= 0))))
			return 1;
	}
	return 0;
}

/* A quoted value whose closing quote is missing on its line: YAML reads
 * it on, across lines (comments and keys too), to the next such quote,
 * and stops at what follows that one. Told at the quote that opened it,
 * when the error is on the line where that value closed and the lines
 * it took in read as keys or comments. */
static int runaway_quote(ctx *c)
{
	opener open[MAX_OPEN];
	quoted m;
	if (c->p->line < 1 ||
	    still_open(c, c->p->line, c->p->col, open, &m, NULL) < 0 ||
	    m.end != c->p->line)
		return 0;
	yline l = line_at(c->text, c->len, m.at.line);
	size_t q = byte_of_col(&l, m.at.col);
	/* an apostrophe ('s-Hertogenbosch) opens no value meant to span
	 * lines, whatever the lines below read as */
	if (!spans_yaml(c, &m) && !elided_word(&l, q))
		return 0;
	buf_printf(c->msg, "the quote (%c) that opens this value is not "
		   "closed on its line, so the value runs on to the next %c, "
		   "on line %d: ", m.at.ch, m.at.ch, c->p->line0 + m.end);
	apostrophe_or_close(c, &l, q);
	buf_puts(c->msg, " on this line");
	return claim(c, m.at.line, m.at.col);
}

/* Where the item of a [list] or {mapping} opened with open (in a
 * mapping, the value after its key's ": ") that holds byte hash of l
 * starts, its blanks skipped: after the comma or bracket before hash, at
 * or after byte at. */
static size_t item_start(const yline *l, size_t at, size_t hash, char open)
{
	size_t from = hash;
	while (from > at && l->s[from - 1] != ',' && l->s[from - 1] != open)
		from--;
	for (size_t k = from; open == '{' && k + 1 < hash; k++)
		if (l->s[k] == ':' && is_blank(l->s[k + 1])) {
			from = k + 1;
			break;
		}
	while (from < hash && is_blank(l->s[from]))
		from++;
	return from;
}

/* comment_at in a [list] or {mapping} opened with open: l.n too when the
 * item the comment follows is in quotes, and so whole ("']' # ]"): the
 * comment is one. */
static size_t item_comment_at(const yline *l, size_t at, char open)
{
	size_t hash = comment_at(l, at);
	/* "[#2 nursing]", "[a,#2 b]": libyaml starts a comment right after
	 * a bracket or a comma, with no blank */
	for (size_t i = at; i < hash; i++) {
		char ch = l->s[i];
		if ((ch == '"' || ch == '\'') && i > 0) {
			size_t p = i;
			while (p > at && is_blank(l->s[p - 1]))
				p--;
			if (p == at || strchr("[{,:", l->s[p - 1])) {
				size_t q = quote_end(l, i);
				if (q == SIZE_MAX)
					break;
				i = q;
				continue;
			}
		}
		if (ch == '#' && (i == 0 || strchr("[{,", l->s[i - 1]))) {
			hash = i;
			break;
		}
	}
	size_t from = item_start(l, at, hash, open);
	return hash < l->n && (l->s[from] == '"' || l->s[from] == '\'') ?
	       l->n : hash;
}

/* To v, an item of a [list] or {mapping} that goes on over two lines:
 * a[from..end), a blank, and m's text from ms to the first comma or
 * closing bracket at or after to (before stop), blanks trimmed. */
static void join_item(buf_t *v, const yline *a, size_t from, size_t end,
		      const yline *m, size_t ms, size_t to, size_t stop)
{
	while (to < stop && !strchr(",]}", m->s[to]))
		to++;
	while (to > ms && is_blank(m->s[to - 1]))
		to--;
	buf_put(v, a->s + from, end - from);
	buf_putc(v, ' ');
	buf_put(v, m->s + ms, to - ms);
}

/* "[medicine,\n  nursing #2 and\n  midwifery]": in a [list] or {mapping}
 * over lines, a comment ends an item, whose text then goes on on the next
 * line with no comma before it: libyaml finds no ',' there. The item,
 * from its comma to the next, in quotes. 1 when told. */
static int comment_parts_item(ctx *c, const opener *o)
{
	int seq = o->ch == '[';
	char close = seq ? ']' : '}';
	for (yline l = line_at(c->text, c->len, o->line);
	     l.no && l.no < c->p->line && l.no <= o->line + 1000;
	     l = line_after(c->text, c->len, &l)) {
		size_t at = l.no == o->line ? byte_of_col(&l, o->col) + 1 : 0;
		size_t hash = item_comment_at(&l, at, o->ch);
		if (!l.no || hash == l.n || memchr(l.s + hash, close, l.n - hash) ||
		    memchr(l.s + hash, ',', l.n - hash))
			continue;
		yline m = line_after(c->text, c->len, &l);
		size_t ms, me;
		value_span(&m, 0, 1, &ms, &me);
		if (!m.no || ms == me || strchr(",]}#\"'", m.s[ms]))
			return 0;
		size_t from = item_start(&l, at, hash, o->ch);
		if (from == hash) /* "[a, # note": a comment after a comma */
			continue;
		size_t end = l.n;
		while (end > hash && is_blank(l.s[end - 1]))
			end--;
		buf_t v = BUF_INIT;
		join_item(&v, &l, from, end, &m, ms, ms, me);
		buf_printf(c->msg, "in the %s opened here with %c, the # on line "
			   "%d starts a YAML comment, which ends the %s there, and "
			   "line %d goes on without a comma before it: ",
			   seq ? "list" : "mapping", o->ch, c->p->line0 + l.no,
			   seq ? "item" : "value", c->p->line0 + m.no);
		/* "[medicine  # main", "  nursing]": a note of words, and a
		 * comma left out before it */
		size_t pre = hash;
		while (pre > from && is_blank(l.s[pre - 1]))
			pre--;
		if (hash + 1 < l.n && !isdigit((unsigned char)l.s[hash + 1]) &&
		    (size_t)(pre - from) <= DIAG_QUOTE_MAX)
			buf_printf(c->msg, "if the # starts a note, end the %s "
				   "with a comma before it (%.*s, #...); ",
				   seq ? "item" : "value", (int)(pre - from),
				   l.s + from);
		buf_printf(c->msg, "to keep the # and that text in the %s, put "
			   "it in quotes", seq ? "item" : "value");
		if (v.len <= DIAG_QUOTE_MAX) {
			buf_puts(c->msg, ": ");
			yaml_put_quoted(c->msg, v.ptr, v.len);
		}
		buf_free(&v);
		return claim(c, o->line, o->col);
	}
	return 0;
}

/* "{name: Dr A, role: Royal Test" and below it "  Hospital: x}": in a
 * [list] or {mapping} opened with o, the line where libyaml stopped goes
 * on the item of the line above (no comma ends it) and holds ": ", which
 * YAML reads as a key's. Told at that line, with the item in quotes. 1
 * when told. */
static int flow_text_colon(ctx *c, const opener *o)
{
	int seq = o->ch == '[';
	yline m = line_at(c->text, c->len, c->p->line);
	yline ol = line_at(c->text, c->len, o->line);
	/* a line no deeper than the bracket's is the next key: the
	 * bracket is not closed */
	if (!m.no || m.no <= o->line || indent_of(&m) <= indent_of(&ol))
		return 0;
	size_t ms = indent_of(&m), kc = ms;
	while (kc < m.n && !strchr(",[]{}\"'#:", m.s[kc]))
		kc++;
	if (kc == ms || kc >= m.n || m.s[kc] != ':' ||
	    (kc + 1 < m.n && !is_blank(m.s[kc + 1])))
		return 0;
	yline a = content_above(c->text, c->len, m.no);
	if (!a.no || a.no < o->line)
		return 0;
	size_t at = a.no == o->line ? byte_of_col(&a, o->col) + 1 : 0;
	size_t end = item_comment_at(&a, at, o->ch);
	if (end < a.n)
		return 0; /* a comment ends it: comment_parts_item's */
	end = value_end(&a, at);
	if (end <= at || strchr(",[{", a.s[end - 1]))
		return 0;
	size_t from = item_start(&a, at, end, o->ch);
	if (from >= end || strchr("\"'[{", a.s[from]))
		return 0;
	if (!seq && key_like(&m, ms, kc) &&
	    keys_known_anywhere(m.s + ms, kc - ms)) {
		/* "{name: Dr A" and "  role: x}": a key of its own, with no
		 * comma before it */
		buf_printf(c->msg, "in the mapping opened with { on line %d, "
			   "line %d ends with no comma, so the key '%.*s' on this "
			   "line is read as part of the value before it: end line "
			   "%d with a comma", c->p->line0 + o->line,
			   c->p->line0 + a.no, (int)(kc - ms), m.s + ms,
			   c->p->line0 + a.no);
		return claim(c, m.no, col_of(&m, ms));
	}
	buf_t v = BUF_INIT;
	join_item(&v, &a, from, end, &m, ms, kc, value_end(&m, ms));
	buf_printf(c->msg, "in the %s opened with %c on line %d, this line "
		   "goes on the %s on line %d, and its colon and space make "
		   "YAML read a key: put the %s in quotes",
		   seq ? "list" : "mapping", o->ch, c->p->line0 + o->line,
		   seq ? "item" : "value", c->p->line0 + a.no,
		   seq ? "item" : "value");
	if (v.len <= DIAG_QUOTE_MAX) {
		buf_puts(c->msg, ": ");
		/* the key before the value, in a mapping */
		size_t k = from;
		while (!seq && k > at && is_blank(a.s[k - 1]))
			k--;
		if (!seq && k > at && a.s[k - 1] == ':') {
			size_t ke = k - 1, kb = ke;
			while (kb > at && !strchr(",{", a.s[kb - 1]))
				kb--;
			while (kb < ke && is_blank(a.s[kb]))
				kb++;
			buf_printf(c->msg, "%.*s: ", (int)(ke - kb), a.s + kb);
		}
		yaml_put_quoted(c->msg, v.ptr, v.len);
	}
	buf_free(&v);
	return claim(c, m.no, col_of(&m, ms));
}

/* "[medicine,", "  #2 nursing", "  , pharmacy]": the comma where
 * libyaml stopped has no item before it (a comma or the bracket comes
 * first, comments and blank lines between), in the [list] or {mapping}
 * opened with o. Told at the comma: a comment between hid the item, or
 * the comma is one too many. 1 when told. */
static int empty_item(ctx *c, const opener *o)
{
	int seq = o->ch == '[';
	yline m = line_at(c->text, c->len, c->p->line);
	size_t at = m.no ? byte_of_col(&m, c->p->col) : 0;
	if (!m.no || at >= m.n || m.s[at] != ',' || m.no < o->line)
		return 0;
	const char *hid = NULL;
	size_t hid_n = 0;
	int hid_line = 0;
	char prev = 0;
	for (yline a = m; a.no && a.no >= o->line && !prev;
	     a = line_before(c->text, &a)) {
		size_t from = a.no == o->line ? byte_of_col(&a, o->col) + 1 : 0;
		size_t to = a.no == m.no ? at : a.n;
		size_t h = a.no == m.no ? to : item_comment_at(&a, from, o->ch);
		if (h > to)
			h = to;
		size_t e = h;
		while (e > from && is_blank(a.s[e - 1]))
			e--;
		if (h < to) { /* the nearest comment above: the item it hid */
			size_t z = h;
			while (z < a.n && a.s[z] != ',')
				z++;
			z = z < a.n ? z : value_end(&a, h);
			while (z > h && is_blank(a.s[z - 1]))
				z--;
			if (!hid || hid_line > a.no) {
				hid = a.s + h;
				hid_n = z - h;
				hid_line = a.no;
			}
		}
		if (e > from)
			prev = a.s[e - 1];
		else if (a.no == o->line)
			prev = o->ch;
	}
	if (prev != ',' && prev != o->ch)
		return 0;
	if (hid && hid_n > 1 && hid_n <= DIAG_QUOTE_MAX) {
		buf_printf(c->msg, "in the %s opened with %c on line %d, this "
			   "comma has no %s before it: the # on line %d starts a "
			   "YAML comment, which hides '%.*s': if it is %s, put it "
			   "in quotes: ", seq ? "list" : "mapping", o->ch,
			   c->p->line0 + o->line, seq ? "item" : "key and value",
			   c->p->line0 + hid_line, (int)hid_n, hid,
			   seq ? "an item" : "one");
		yaml_put_quoted(c->msg, hid, hid_n);
	} else {
		buf_printf(c->msg, "in the %s opened with %c on line %d, this "
			   "comma has no %s before it: delete it",
			   seq ? "list" : "mapping", o->ch, c->p->line0 + o->line,
			   seq ? "item" : "key and value");
	}
	return claim(c, m.no, col_of(&m, at));
}

static int not_closed(ctx *c, const opener *o)
{
	int seq = o->ch == '[';
	char close = seq ? ']' : '}';
	if (comment_parts_item(c, o) || flow_text_colon(c, o) ||
	    empty_item(c, o))
		return 1;
	buf_printf(c->msg, "the %s opened here with %c is not closed: ",
		   seq ? "list" : "mapping", o->ch);
	/* closed, or its items parted, after a ' #', which YAML reads as
	 * a comment (YAML 1.2, 6.6): "[global #1]", "medicine #1," on a
	 * line of a list over several; the item that holds it, from the
	 * last comma, goes in quotes (a '#' in quotes is text) */
	yline l = no_line;
	size_t at = 0, hash = 0;
	const char *shut = NULL;
	/* line by line from the bracket's (line_after: not line_at, which
	 * counts from the top each time) */
	for (l = line_at(c->text, c->len, o->line); l.no;
	     l = line_after(c->text, c->len, &l)) {
		at = l.no == o->line ? byte_of_col(&l, o->col) + 1 : 0;
		hash = item_comment_at(&l, at, o->ch);
		for (size_t i = hash; i < l.n && !shut; i++)
			if (l.s[i] == close || l.s[i] == ',')
				shut = l.s + i;
		if (shut || l.no >= c->p->line || l.no >= o->line + 1000)
			break;
	}
	if (!shut) {
		buf_printf(c->msg, "end it with %c", close);
		return claim(c, o->line, o->col);
	}
	size_t from = item_start(&l, at, hash, o->ch), to = hash;
	while (to < (size_t)(shut - l.s) && l.s[to] != ',')
		to++;
	while (to > from && is_blank(l.s[to - 1]))
		to--;
	char where[32] = "this line";
	if (l.no != o->line)
		snprintf(where, sizeof where, "line %d", c->p->line0 + l.no);
	buf_printf(c->msg, "the %c after '#' on %s is read as part of a YAML "
		   "comment, which starts at %s: put the %s that holds the # "
		   "in quotes: ", *shut, where,
		   hash == 0 ? "the '#' that begins the line" :
		   is_blank(l.s[hash - 1]) ? "' #'" :
		   "the '#', after a bracket or a comma",
		   seq ? "item" : "value");
	yaml_put_quoted(c->msg, l.s + from, to - from);
	return claim(c, o->line, o->col);
}

/* A [list] or {mapping} still open where libyaml stopped looking for its
 * next value: at the end of the text (intro: [ on the last line), or at
 * a line its items cannot go on to. libyaml says it "did not find
 * expected node content" there, on the line after the bracket; the
 * bracket left open last is the mistake. */
static int unclosed_before_end(ctx *c)
{
	if (!has(c->p->problem, "did not find expected node content") ||
	    !has(c->p->context, "flow"))
		return 0;
	opener open[MAX_OPEN];
	int depth = still_open(c, c->p->line, c->p->col, open, NULL, NULL);
	return depth > 0 ? not_closed(c, &open[depth - 1]) : 0;
}

/* A [list] or {mapping} on one line that is not closed. */
static int unclosed_flow(ctx *c)
{
	int seq = has(c->p->context, "flow sequence");
	if (!has(c->p->problem, "did not find expected ','") ||
	    (!seq && !has(c->p->context, "flow mapping")))
		return 0;
	yline l = line_at(c->text, c->len, c->p->ctx_line);
	size_t at = byte_of_col(&l, c->p->ctx_col);
	char open = seq ? '[' : '{', close = seq ? ']' : '}';
	if (!l.no || at >= l.n || l.s[at] != open)
		return 0;
	/* closed on its line, as YAML reads it (a ] in quotes or a
	 * comment closes nothing): an item lacks its comma or quotes */
	opener o[MAX_OPEN];
	yline last = line_at(c->text, c->len, c->p->ctx_line);
	int depth = still_open(c, c->p->ctx_line, col_of(&last, last.n) + 1, o,
			       NULL, NULL);
	for (int k = 0; k < depth; k++)
		if (o[k].line == c->p->ctx_line && o[k].col == c->p->ctx_col)
			return not_closed(c, &o[k]);
	(void)close;
	/* "[*med icine, nursing]": an alias, then text, in the item where
	 * libyaml stopped */
	size_t stop = byte_of_col(&l, c->p->col), it = stop;
	while (it > at && !strchr(",[{", l.s[it - 1]))
		it--;
	while (it < stop && is_blank(l.s[it]))
		it++;
	if (c->p->line == c->p->ctx_line && it < stop && l.s[it] == '*') {
		buf_puts(c->msg, "a value cannot start with * unless it is in "
			 "quotes: ");
		put_fix(c, &l, it);
		return claim(c, l.no, col_of(&l, it));
	}
	buf_printf(c->msg, "in the %s opened here with %c, separate the "
		   "items with commas, and put an item that holds a comma, a "
		   "colon or a quote in quotes", seq ? "list" : "mapping", open);
	return claim(c, c->p->ctx_line, c->p->ctx_col);
}

/* "- type: clinical" and below it "capacity: 4" lined up with the dash,
 * not with type: a key meant for the item. */
static int key_at_dash(ctx *c)
{
	yline l;
	size_t at;
	if (!problem_line(c, "did not find expected '-' indicator", &l, &at))
		return 0;
	if (is_item(&l) || key_colon(&l, key_start(&l)) < 0)
		return 0;
	for (yline a = line_before(c->text, &l); a.no;
	     a = line_before(c->text, &a)) {
		if (!has_content(&a) || indent_of(&a) > indent_of(&l))
			continue;
		if (!is_item(&a))
			return 0;
		size_t ks = key_start(&a);
		long kc = key_colon(&a, ks);
		/* at the dash, or between it and the item's keys */
		if (kc < 0 || indent_of(&l) >= ks)
			return 0;
		buf_printf(c->msg, "this key is lined up with %s of the list item "
			   "on line %d: to give it to that item, start it in column "
			   "%d, like '%.*s'", indent_of(&a) == indent_of(&l) ?
			   "the dash" : "neither the dash nor the keys",
			   c->p->line0 + a.no, col_of(&a, ks),
			   (int)((size_t)kc - ks), a.s + ks);
		return claim(c, l.no, col_of(&l, indent_of(&l)));
	}
	return 0;
}

/* Whether s[0..n) reads as the same one item inside [ ]: text with no
 * character a [list] gives a meaning to (, [ ] { } # and quotes), or
 * text in quotes of one kind that hold no other. "- a, b" would be two
 * items there, and '- "x' an unclosed quote still. */
static int flow_safe(const char *s, size_t n)
{
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		for (size_t i = 1; i + 1 < n; i++)
			if (s[i] == s[0] || (s[0] == '"' && s[i] == '\\'))
				return 0;
		return 1;
	}
	/* "- x", "? x", ": x": an indicator there too */
	if (n >= 2 && strchr("-?:", s[0]) && is_blank(s[1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strchr(",[]{}#\"'", s[i]) || !s[i])
			return 0;
	return n > 0;
}

/* s[0..n), a value flow_safe took, as a value or an item that reads back
 * as it: as it is when in quotes already, else yaml_put_item ("*Royal"
 * in quotes, or it would be an alias). */
static void put_as_typed(buf_t *b, const char *s, size_t n)
{
	if (n && (s[0] == '"' || s[0] == '\''))
		buf_put(b, s, n);
	else
		yaml_put_item(b, s, n);
}

/* "networks: - global": a block list on its key's line; or "name: -
 * Royal", a dash before one value. */
static int item_after_key(ctx *c)
{
	yline l;
	size_t at;
	if (!problem_line(c, "block sequence entries are not allowed", &l, &at))
		return 0;
	long kc = key_colon(&l, key_start(&l));
	if (kc < 0 || (size_t)kc > at || at >= l.n || l.s[at] != '-')
		return 0;
	size_t vs, ve;
	value_span(&l, at + 1, 1, &vs, &ve);
	const char *v = l.s + vs;
	size_t n = ve - vs;
	/* more items below ("  - africa"), or an item of keys ("- type:
	 * clinical"): one line rewritten would lose them */
	yline next = line_after(c->text, c->len, &l);
	while (next.no && !has_content(&next))
		next = line_after(c->text, c->len, &next);
	int keyed = (n && v[n - 1] == ':') || key_colon(&l, vs) >= 0;
	/* a comment after it ("- Royal #2"), or its text going on below
	 * ("  Hall"): text a rewrite of this line alone would lose */
	size_t full, end;
	value_span(&l, at + 1, 0, &full, &end);
	int more = end != ve || (next.no && (is_item(&next) ||
		   (text_alone(&next) && indent_of(&next) > key_start(&l))));
	buf_puts(c->msg, "a list cannot start on the line of its key: ");
	if (!flow_safe(v, n) || keyed || more || n > DIAG_QUOTE_MAX) {
		buf_puts(c->msg, "put each '- item' on a line of its own below");
		return claim(c, c->p->line, c->p->col);
	}
	/* the key may take a list or one value: both, each as typed */
	buf_puts(c->msg, "for a list, write ");
	put_key(c->msg, &l, (size_t)kc);
	buf_putc(c->msg, '[');
	put_as_typed(c->msg, v, n);
	buf_puts(c->msg, "] or put each '- item' on a line of its own below; "
		 "for one value, leave out the dash: ");
	put_key(c->msg, &l, (size_t)kc);
	put_as_typed(c->msg, v, n);
	return claim(c, c->p->line, c->p->col);
}


/* A plain value starting with a character YAML reserves. */
static int reserved_start(ctx *c)
{
	yline l;
	size_t at;
	if (!problem_line(c, "cannot start any token", &l, &at))
		return 0;
	if (at >= l.n || !strchr("@`%", l.s[at]))
		return 0;
	long kc = key_colon(&l, key_start(&l));
	buf_printf(c->msg, "a value cannot start with %c unless it is in "
		   "quotes", l.s[at]);
	if ((kc >= 0 && (size_t)kc < at) || is_item(&l)) {
		buf_puts(c->msg, ": ");
		put_fix(c, &l, at);
	}
	return claim(c, c->p->line, c->p->col);
}

/* The value of line no that starts at an indicator (YAML 1.2, 5.3):
 * after its key's ": " or its item's "- ". 1 with *l and the value's
 * span, else 0. */
static int indicated_value(ctx *c, int no, const char *indicators, yline *l,
			   size_t *vs, size_t *ve)
{
	*l = line_at(c->text, c->len, no);
	if (!l->no)
		return 0;
	long kc = key_colon(l, key_start(l));
	size_t from = kc >= 0 ? (size_t)kc + 1 : indent_of(l) + 1;
	if (kc < 0 && !is_item(l))
		return 0;
	value_span(l, from, 1, vs, ve);
	return *vs < *ve && strchr(indicators, l->s[*vs]) != NULL;
}

/* The value of l (from vs to ve) in quotes after its key or dash. */
static void put_value_quoted(ctx *c, const yline *l, size_t vs, size_t ve)
{
	if (ve - vs > DIAG_QUOTE_MAX) {
		/* a message quotes that much, and a fix cut short is none */
		buf_puts(c->msg, "write the whole value in quotes");
		return;
	}
	long kc = key_colon(l, key_start(l));
	if (kc >= 0 && (size_t)kc < vs)
		put_key(c->msg, l, (size_t)kc);
	else
		buf_puts(c->msg, "- ");
	yaml_put_quoted(c->msg, l->s + vs, ve - vs);
}

/* Whether byte at of l is inside a [list] or {mapping} opened on l: more
 * brackets opened than closed before it, outside quotes. */
static int in_flow(const yline *l, size_t at)
{
	int depth = 0;
	char q = 0;
	for (size_t i = 0; i < at && i < l->n; i++) {
		char ch = l->s[i];
		if (q)
			q = ch == q ? 0 : q;
		else if (ch == '"' || ch == '\'')
			q = ch;
		else if (ch == '[' || ch == '{')
			depth++;
		else if ((ch == ']' || ch == '}') && depth > 0)
			depth--;
	}
	return depth > 0;
}

/* The fix for the value of l that starts at vs with an indicator: that
 * value in quotes after its key or dash; in a [list] or {mapping}, the
 * line from its key with that item alone in quotes, up to a comma or a
 * closing bracket. */
static void put_fix(ctx *c, const yline *l, size_t vs)
{
	size_t a, ve;
	value_span(l, vs, 1, &a, &ve);
	if (!in_flow(l, vs)) {
		put_value_quoted(c, l, vs, ve);
		return;
	}
	if (ve - key_start(l) > DIAG_QUOTE_MAX) {
		buf_puts(c->msg, "write the item in quotes");
		return;
	}
	size_t ie = vs;
	while (ie < ve && !strchr(",]}", l->s[ie]))
		ie++;
	size_t ks = key_start(l), te = ie;
	while (te > vs && is_blank(l->s[te - 1]))
		te--;
	buf_put(c->msg, l->s + ks, vs - ks);
	yaml_put_quoted(c->msg, l->s + vs, te - vs);
	buf_put(c->msg, l->s + ie, ve - ie);
}

/* A plain value starting with an indicator that libyaml then stumbles
 * on: "* Royal" or "*Royal Hall" (an alias), "& Royal" (an anchor), "| Royal" or
 * "> Royal" (a block of text, whose lines go below), "[Provisional]
 * Royal College" (a list, then text). Its fix is quotes. */
static int indicator_start(ctx *c)
{
	yline l;
	size_t vs, ve;
	const char *ind = NULL;
	int no = c->p->ctx_line;
	if (has(c->p->problem, "did not find expected alphabetic or numeric") &&
	    (has(c->p->context, "scanning an alias") ||
	     has(c->p->context, "scanning an anchor")))
		ind = "*&";
	else if (has(c->p->problem, "did not find expected comment or line break") &&
		 has(c->p->context, "scanning a block scalar"))
		ind = "|>";
	else if (has(c->p->problem, "did not find expected key") ||
		 has(c->p->problem, "did not find expected '-' indicator")) {
		ind = "[{*"; /* "*Royal Hall": an alias, then text */
		no = c->p->line;
	} else if (has(c->p->problem, "mapping keys are not allowed") ||
		   (has(c->p->problem, "did not find expected node content") &&
		    has(c->p->context, "block node"))) {
		ind = "?,"; /* "? Royal", ", Royal": at the problem's mark */
	}
	if (!ind)
		return 0;
	if (ind[0] != '[') { /* the indicator is at the context's mark */
		int at_problem = ind[0] == '?';
		l = line_at(c->text, c->len, at_problem ? c->p->line : c->p->ctx_line);
		vs = l.no ? byte_of_col(&l, at_problem ? c->p->col : c->p->ctx_col) : 0;
		if (!l.no || vs >= l.n || !strchr(ind, l.s[vs]))
			return 0;
		ve = l.n;
	} else if (!indicated_value(c, no, ind, &l, &vs, &ve))
		return 0;
	char ch = l.s[vs];
	if (ch == '[' || ch == '{') {
		/* the text after the bracket that closes it, on this line */
		size_t at = byte_of_col(&l, c->p->col);
		if (at <= vs + 1 || at >= ve || (l.s[at - 1] != ']' &&
		    l.s[at - 1] != '}' && !is_blank(l.s[at - 1])) ||
		    strchr("[]{},:#\"'", l.s[at])) /* a bracket too many */
			return 0;
		buf_printf(c->msg, "a value that starts with %c is read as a %s, "
			   "which no text may follow: if it is text, put it in "
			   "quotes: ", ch, ch == '[' ? "list" : "mapping");
		put_value_quoted(c, &l, vs, ve);
		return claim(c, l.no, col_of(&l, at));
	}
	buf_printf(c->msg, "a value cannot start with %c unless it is in "
		   "quotes: ", ch);
	put_fix(c, &l, vs);
	if (ch == '|' || ch == '>')
		buf_printf(c->msg, "; for a block of text, write %c alone after "
			   "the key and the text on the lines below it, indented",
			   ch);
	return claim(c, l.no, col_of(&l, vs));
}

int yaml_explain(const char *text, size_t len, const yaml_problem *p,
		 int *line, int *col, buf_t *msg)
{
	static int (*const rules[])(ctx *) = {
		tab_indent, runaway_quote, mapping_values, no_colon,
		unclosed_quote, bad_escape, comment_cut, out_of_line, unclosed_flow,
		unclosed_before_end,
		item_after_key, reserved_start, key_at_dash, indicator_start,
	};
	buf_t out = BUF_INIT;
	ctx c = {text, len, p, 0, 0, &out};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (rules[i](&c)) {
			buf_put(msg, out.ptr, out.len);
			buf_free(&out);
			*line = c.line;
			*col = c.col;
			return 1;
		}
		buf_reset(&out);
	}
	buf_free(&out);
	return 0;
}
