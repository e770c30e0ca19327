/* mustache.c - compile Mustache templates into node trees, render them.
 *
 * Compiling takes three passes over a template's source:
 *
 *   lex     find every tag (following set-delimiter tags as they come) and
 *           note, for each, whether only blanks stand before and after it
 *           on its line: that decides the spec's "standalone" rules;
 *   match   pair each section, parent and block with its close tag;
 *   build   walk the tags again, cut the text between them (dropping
 *           standalone lines, and a block's intrinsic indentation) and
 *           grow the node tree.
 *
 * Rendering walks the tree. Indentation (standalone partials, parents and
 * blocks) is applied while rendering: each expansion pushes its indent and
 * every line of template text that starts at the beginning of an output
 * line gets the whole indent first. Text that comes from the view is never
 * indented, as the spec requires. */
#include "mustache.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/chars.h"


/* ---- the compiled form ------------------------------------------------ */

typedef enum {
	N_TEXT,     /* literal template text */
	N_VAR,      /* {{x}}: escaped */
	N_RAW,      /* {{{x}}} or {{&x}} */
	N_SECTION,  /* {{#x}}...{{/x}} */
	N_INVERTED, /* {{^x}}...{{/x}} */
	N_PARTIAL,  /* {{>x}} */
	N_PARENT,   /* {{<x}}...{{/x}}: its kids hold the argument blocks */
	N_BLOCK     /* {{$x}}...{{/x}} */
} node_kind;

typedef struct node node_t;

typedef struct nodes {
	node_t *v;
	size_t n, cap;
} nodes_t;

struct node {
	node_kind kind;
	char *text;      /* N_TEXT: the bytes; other kinds: the tag's name */
	size_t len;      /* length of text */
	char **path;     /* the dotted name split at dots; NULL for "." */
	unsigned *phash; /* name_hash of each part of path */
	size_t npath;
	unsigned hash;   /* name_hash of text, for partials and parents */
	nodes_t kids;    /* body, arguments, or a block's content */
	char *indent;    /* added to every line an expansion renders */
	unsigned first_line : 1;     /* indent the first line too */
	unsigned indent_default : 1; /* N_BLOCK: the default content also */
	int line, col;   /* where the tag starts, for diagnostics */
};

typedef struct tmpl {
	char *name;
	unsigned hash;   /* name_hash of name */
	char *path;      /* for diagnostics */
	nodes_t root;
	/* a template whose tags do not pair (an unclosed section): an empty
	 * root, and here the partials and parents its tags name, which
	 * mst_set_check checks as it does a root's */
	nodes_t refs;
	int broken;      /* refs, not root: it does not compile */
} tmpl_t;

struct mst_set {
	tmpl_t **v;      /* sorted by name, for binary search */
	size_t n, cap;
	/* the same templates by name_hash, for partials rendered on every
	 * page (a page includes a hundred texts of the translation file):
	 * open addressing, 1 + an index of v in each used slot, 0 in a free
	 * one; nslot is a power of two, at least twice n */
	size_t *slot;
	size_t nslot;
};

/* FNV-1a (32 bits) of s: the key of a template in its set's slots. */
static unsigned name_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void nodes_free(nodes_t *ns);

static void node_free(node_t *n)
{
	free(n->text);
	for (size_t i = 0; i < n->npath; i++)
		free(n->path[i]);
	free(n->path);
	free(n->phash);
	free(n->indent);
	nodes_free(&n->kids);
}

static void nodes_free(nodes_t *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		node_free(&ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

static void tmpl_free(tmpl_t *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->path);
	nodes_free(&t->root);
	nodes_free(&t->refs);
	free(t);
}

/* ---- pass 1: lex -------------------------------------------------------- */

typedef struct tok {
	char type;          /* ! = { & # ^ / > < $, or 'v' for a variable */
	size_t start, end;  /* the whole tag, delimiters included */
	size_t name, nlen;  /* its trimmed content */
	int line, col;      /* of start */
	size_t line_start;  /* where the tag's line begins (when first) */
	size_t after_line;  /* past the blanks and line end after it */
	unsigned first : 1; /* only blanks before it on its line */
	unsigned last : 1;  /* only blanks after it on its line */
	size_t match;       /* the index of its close tag, or of its open tag */
} tok_t;

typedef struct lexer {
	const char *src;
	size_t len;
	const char *path;   /* for diagnostics */
	diags_t *d;
	const char *open, *close; /* current delimiters */
	size_t olen, clen;
	size_t at;          /* line/column tracking: offset reached so far, */
	int line, col;      /* and its line and column */
	tok_t *tok;
	size_t ntok, cap;
} lexer_t;

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Line and column of offset `to`, which never moves backwards: tags are
 * met in order, so the whole template is scanned once. Columns count
 * characters, not bytes (UTF-8 continuation bytes are skipped). */
static void track(lexer_t *lx, size_t to, int *line, int *col)
{
	for (; lx->at < to; lx->at++) {
		unsigned char c = (unsigned char)lx->src[lx->at];
		if (c == '\n') {
			lx->line++;
			lx->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			lx->col++;
		}
	}
	*line = lx->line;
	*col = lx->col;
}

/* First occurrence of lead (when not 0) immediately followed by pat. */
static const char *find_tail(const char *s, size_t n, char lead,
			     const char *pat, size_t m)
{
	size_t need = m + (lead ? 1 : 0);
	if (need > n)
		return NULL;
	const char *stop = s + n - need + 1; /* candidates start before this */
	char first = lead ? lead : pat[0];
	for (const char *p = s; p < stop; p++) {
		p = memchr(p, first, (size_t)(stop - p));
		if (!p)
			return NULL;
		if (!memcmp(p + (lead ? 1 : 0), pat, m))
			return p;
	}
	return NULL;
}


/* A name for variables, sections, partials, parents and blocks: not empty,
 * no blanks inside; with dots (for lookups) no empty part unless it is
 * the lone "." of the implicit iterator. */
static int name_ok(const char *s, size_t n, int dotted)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (is_space(s[i]))
			return 0;
	if (!dotted || (n == 1 && s[0] == '.'))
		return 1;
	if (s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

/* {{=<% %>=}}: the trimmed content must be exactly two blank-free
 * delimiters, neither containing '='. */
static int set_delims(lexer_t *lx, const tok_t *t)
{
	const char *s = lx->src + t->name, *end = s + t->nlen;
	const char *a = s, *ae = a;
	while (ae < end && !is_space(*ae))
		ae++;
	const char *b = ae;
	while (b < end && is_space(*b))
		b++;
	const char *be = b;
	while (be < end && !is_space(*be))
		be++;
	if (ae == a || be == b || be != end || memchr(a, '=', ae - a) ||
	    memchr(b, '=', be - b)) {
		diag_error(lx->d, lx->path, t->line, t->col,
			   "bad delimiters '%.*s': a set-delimiter tag takes "
			   "two delimiters without '=' or blanks, as in "
			   "{{=<%% %%>=}}", (int)t->nlen, s);
		return -1;
	}
	lx->open = a;
	lx->olen = (size_t)(ae - a);
	lx->close = b;
	lx->clen = (size_t)(be - b);
	return 0;
}

static const char *tag_kind_word(char type)
{
	switch (type) {
	case '#': return "section";
	case '^': return "inverted section";
	case '<': return "parent";
	case '$': return "block";
	case '>': return "partial";
	default: return "tag";
	}
}

/* Read the tag whose open delimiter is at p; return the offset past it,
 * or 0 after reporting an error. */
static size_t lex_tag(lexer_t *lx, size_t p)
{
	tok_t t;
	memset(&t, 0, sizeof t);
	t.start = p;
	track(lx, p, &t.line, &t.col);
	size_t q = p + lx->olen;
	char c = q < lx->len ? lx->src[q] : '\0';
	t.type = (c && strchr("!=#^/><$&{", c)) ? c : 'v';
	if (t.type != 'v')
		q++;
	/* {{{x}}} ends with "}" and {{=a b=}} with "=" before the close */
	char lead = t.type == '{' ? '}' : t.type == '=' ? '=' : '\0';
	const char *f = find_tail(lx->src + q, lx->len - q, lead, lx->close,
				  lx->clen);
	if (!f) {
		diag_error(lx->d, lx->path, t.line, t.col,
			   "unclosed tag: no '%s%.*s' closes this '%.*s'",
			   lead == '}' ? "}" : lead == '=' ? "=" : "",
			   (int)lx->clen, lx->close, (int)lx->olen, lx->open);
		return 0;
	}
	size_t content_end = (size_t)(f - lx->src);
	t.end = content_end + (lead ? 1 : 0) + lx->clen;
	size_t a = q, b = content_end;
	while (a < b && is_space(lx->src[a]))
		a++;
	while (b > a && is_space(lx->src[b - 1]))
		b--;
	t.name = a;
	t.nlen = b - a;
	if (t.type == '=') {
		if (set_delims(lx, &t) < 0)
			return 0;
	} else if (t.type != '!') {
		int dotted = strchr("v{&#^", t.type) != NULL;
		if (!name_ok(lx->src + a, t.nlen, dotted)) {
			if (t.nlen)
				diag_error(lx->d, lx->path, t.line, t.col,
					   "bad name '%.*s' in tag: names have "
					   "no blanks or empty parts",
					   (int)t.nlen, lx->src + a);
			else
				diag_error(lx->d, lx->path, t.line, t.col,
					   "empty tag: a name is missing");
			return 0;
		}
	}
	lx->tok = xgrow(lx->tok, &lx->cap, lx->ntok + 1, sizeof *lx->tok,
			32);
	lx->tok[lx->ntok++] = t;
	return t.end;
}

static int lex(lexer_t *lx)
{
	size_t p = 0;
	while (p < lx->len) {
		const char *f = find_tail(lx->src + p, lx->len - p, '\0',
					  lx->open, lx->olen);
		if (!f)
			break;
		p = lex_tag(lx, (size_t)(f - lx->src));
		if (!p)
			return -1;
	}
	return 0;
}

/* Note for each tag whether only blanks stand between it and the start
 * and the end of its line (another tag on the line counts as content). */
static void mark_lines(const char *src, size_t len, tok_t *tok, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tok_t *t = &tok[i];
		size_t lo = i ? tok[i - 1].end : 0;
		size_t k = t->start;
		while (k > lo && is_blank(src[k - 1]))
			k--;
		t->first = k == 0 || (k > lo && src[k - 1] == '\n');
		t->line_start = k;

		size_t hi = i + 1 < n ? tok[i + 1].start : len;
		size_t e = t->end;
		while (e < hi && is_blank(src[e]))
			e++;
		if (e == len) {
			t->last = 1;
		} else if (e < hi && src[e] == '\n') {
			t->last = 1;
			e += 1;
		} else if (e + 1 < hi && src[e] == '\r' && src[e + 1] == '\n') {
			t->last = 1;
			e += 2;
		} else {
			t->last = 0;
		}
		t->after_line = e;
	}
}

static int opens(char type)
{
	return type == '#' || type == '^' || type == '<' || type == '$';
}

/* Pair open and close tags; report the first mismatch. */
static int match(lexer_t *lx)
{
	size_t *stack = xmalloc((lx->ntok + 1) * sizeof *stack);
	size_t sp = 0;
	int rc = 0;
	for (size_t i = 0; i < lx->ntok && rc == 0; i++) {
		tok_t *t = &lx->tok[i];
		const char *name = lx->src + t->name;
		if (opens(t->type)) {
			if (sp == MST_MAX_NEST) {
				diag_error(lx->d, lx->path, t->line, t->col,
					   "sections nested more than %d deep; "
					   "nest them less",
					   MST_MAX_NEST);
				rc = -1;
			}
			stack[sp++] = i;
		} else if (t->type == '/') {
			if (sp == 0) {
				diag_error(lx->d, lx->path, t->line, t->col,
					   "close tag {{/%.*s}} has no "
					   "open tag", (int)t->nlen, name);
				rc = -1;
				break;
			}
			tok_t *o = &lx->tok[stack[--sp]];
			if (o->nlen != t->nlen ||
			    memcmp(lx->src + o->name, name, t->nlen)) {
				diag_error(lx->d, lx->path, t->line, t->col,
					   "mismatched close tag {{/%.*s}}: "
					   "the %s {{%c%.*s}} opened at "
					   "%d:%d is still open",
					   (int)t->nlen, name,
					   tag_kind_word(o->type), o->type,
					   (int)o->nlen, lx->src + o->name,
					   o->line, o->col);
				rc = -1;
				break;
			}
			o->match = i;
			t->match = (size_t)(o - lx->tok);
		}
	}
	if (rc == 0 && sp > 0) {
		const tok_t *o = &lx->tok[stack[sp - 1]];
		diag_error(lx->d, lx->path, o->line, o->col,
			   "unclosed %s {{%c%.*s}}: no {{/%.*s}} follows",
			   tag_kind_word(o->type), o->type, (int)o->nlen,
			   lx->src + o->name, (int)o->nlen, lx->src + o->name);
		rc = -1;
	}
	free(stack);
	return rc;
}

/* ---- pass 3: build ---------------------------------------------------- */

/* Intrinsic indentation of an open block: removed from the start of every
 * line inside it (points into the source). */
typedef struct strip {
	const char *s;
	size_t n;
} strip_t;

typedef struct builder {
	const char *src;
	size_t len;
	const tok_t *tok;
	nodes_t *open[MST_MAX_NEST + 1];   /* containers being filled */
	node_kind owner[MST_MAX_NEST + 1]; /* the kind of node that owns each */
	size_t depth;
	strip_t strip[MST_MAX_NEST + 1];   /* one per open block */
	size_t nstrip;
} builder_t;

static node_t *add_node(builder_t *b, node_kind kind, const tok_t *t)
{
	nodes_t *ns = b->open[b->depth];
	ns->v = xgrow(ns->v, &ns->cap, ns->n + 1, sizeof *ns->v, 8);
	node_t *n = &ns->v[ns->n++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	if (t) {
		n->text = xstrndup(b->src + t->name, t->nlen);
		n->len = t->nlen;
		if (kind == N_PARTIAL || kind == N_PARENT)
			n->hash = name_hash(n->text);
		n->line = t->line;
		n->col = t->col;
	}
	return n;
}

/* Split a dotted name once, at compile time. */
static void split_path(node_t *n)
{
	if (n->len == 1 && n->text[0] == '.')
		return;
	size_t parts = 1;
	for (size_t i = 0; i < n->len; i++)
		parts += n->text[i] == '.';
	n->path = xmalloc(parts * sizeof *n->path);
	n->phash = xmalloc(parts * sizeof *n->phash);
	const char *s = n->text, *end = n->text + n->len;
	while (n->npath < parts) {
		const char *dot = memchr(s, '.', (size_t)(end - s));
		const char *stop = dot ? dot : end;
		n->path[n->npath] = xstrndup(s, (size_t)(stop - s));
		n->phash[n->npath] = name_hash(n->path[n->npath]);
		n->npath++;
		s = stop + 1;
	}
}

static void add_text(builder_t *b, const char *s, size_t n)
{
	/* text directly inside a parent tag pair is ignored by the spec */
	if (n == 0 || b->owner[b->depth] == N_PARENT)
		return;
	nodes_t *ns = b->open[b->depth];
	node_t *last = ns->n ? &ns->v[ns->n - 1] : NULL;
	if (!last || last->kind != N_TEXT) {
		last = add_node(b, N_TEXT, NULL);
		last->text = xstrndup(s, n);
		last->len = n;
		return;
	}
	last->text = xrealloc(last->text, xadd(xadd(last->len, n), 1));
	memcpy(last->text + last->len, s, n);
	last->len += n;
	last->text[last->len] = '\0';
}

/* Bytes of the open blocks' intrinsic indentation found at line start p
 * (outermost block first, each one only where it is all there). */
static size_t strip_len(const builder_t *b, size_t p, size_t to)
{
	size_t k = p;
	for (size_t i = 0; i < b->nstrip; i++) {
		const strip_t *s = &b->strip[i];
		if (s->n && k + s->n <= to && !memcmp(b->src + k, s->s, s->n))
			k += s->n;
	}
	return k - p;
}

/* Add the source text [from, to) with intrinsic indentation removed. */
static void emit_src(builder_t *b, size_t from, size_t to)
{
	size_t p = from;
	while (p < to) {
		if (b->nstrip && (p == 0 || b->src[p - 1] == '\n'))
			p += strip_len(b, p, to);
		if (p >= to)
			break;
		const char *nl = memchr(b->src + p, '\n', to - p);
		size_t q = nl ? (size_t)(nl - b->src) + 1 : to;
		add_text(b, b->src + p, q - p);
		p = q;
	}
}

/* The blanks before tag t on its line, less intrinsic indentation. */
static char *lead_blanks(const builder_t *b, const tok_t *t)
{
	size_t from = t->line_start;
	from += strip_len(b, from, t->start);
	return xstrndup(b->src + from, t->start - from);
}

/* A node for tag t that includes another template (a partial or a
 * parent); when the tag stands alone on its line (indented != 0), the
 * included text is indented by the blanks before the tag, from its first
 * line on (Mustache spec, partials.yml and inheritance.yml). */
static node_t *add_included(builder_t *b, node_kind kind, const tok_t *t,
			    int indented)
{
	node_t *n = add_node(b, kind, t);
	if (indented) {
		n->indent = lead_blanks(b, t);
		n->first_line = 1;
	}
	return n;
}

/* The blanks that open the line after tag t, less the intrinsic
 * indentation of the blocks around it: the intrinsic indentation of a
 * block whose open tag ends its line. */
static strip_t next_line_blanks(const builder_t *b, const tok_t *t)
{
	size_t from = t->after_line, end = from;
	while (end < b->len && is_blank(b->src[end]))
		end++;
	from += strip_len(b, from, end);
	strip_t s = {b->src + from, end - from};
	return s;
}

static void push(builder_t *b, node_t *n)
{
	b->depth++;
	b->open[b->depth] = &n->kids;
	b->owner[b->depth] = n->kind;
}

static void push_strip(builder_t *b, strip_t s)
{
	b->strip[b->nstrip++] = s;
}

/* {{$name}}: an argument when directly inside a parent, else a parameter
 * with default content. Decides how its content is indented (see the
 * spec's ~inheritance module, "Block reindentation" and around). */
static void open_block(builder_t *b, const tok_t *t)
{
	int is_arg = b->owner[b->depth] == N_PARENT;
	const tok_t *close = &b->tok[t->match];
	int pair_standalone = t->first && close->last;
	strip_t none = {NULL, 0};
	strip_t intrinsic = none;
	node_t *n = add_node(b, N_BLOCK, t);
	if (is_arg) {
		/* content starts on the next line when the tag ends its line */
		if (t->last)
			intrinsic = next_line_blanks(b, t);
	} else if (pair_standalone && t->last) {
		/* the content's own indentation is added back where the
		 * block (or what overrides it) is expanded */
		intrinsic = next_line_blanks(b, t);
		n->indent = xstrndup(intrinsic.s, intrinsic.n);
		n->first_line = 1;
		n->indent_default = 1;
	} else if (pair_standalone) {
		/* `  {{$b}}...{{/b}}`: the blanks stay as text; an override
		 * gets them on each of its lines after the first */
		n->indent = lead_blanks(b, t);
	}
	push(b, n);
	push_strip(b, intrinsic);
}

/* Build the tree of template text src from its matched tags. */
static void build(builder_t *b, size_t ntok, nodes_t *root)
{
	const tok_t *tok = b->tok;
	b->depth = 0;
	b->open[0] = root;
	b->owner[0] = N_TEXT;
	b->nstrip = 0;
	size_t pos = 0;
	for (size_t i = 0; i < ntok; i++) {
		const tok_t *t = &tok[i];
		int standalone = t->first && t->last && !strchr("v{&", t->type);
		int pair_standalone = 0; /* parent tag pairs only */
		if (t->type == '<')
			pair_standalone = t->first && tok[t->match].last;
		else if (t->type == '/' && tok[t->match].type == '<')
			pair_standalone = tok[t->match].first && t->last;
		int cut_lead = standalone ||
			       (t->type == '<' && pair_standalone);
		emit_src(b, pos, cut_lead ? t->line_start : t->start);
		pos = (standalone || pair_standalone) ? t->after_line : t->end;

		node_t *n;
		switch (t->type) {
		case '!':
		case '=':
			break;
		case 'v':
		case '{':
		case '&':
			n = add_node(b, t->type == 'v' ? N_VAR : N_RAW, t);
			split_path(n);
			break;
		case '#':
		case '^':
			n = add_node(b, t->type == '#' ? N_SECTION : N_INVERTED,
				     t);
			split_path(n);
			push(b, n);
			break;
		case '>':
			add_included(b, N_PARTIAL, t, standalone);
			break;
		case '<':
			push(b, add_included(b, N_PARENT, t, cut_lead));
			break;
		case '$':
			/* an argument's content starts past the line end */
			if (b->owner[b->depth] == N_PARENT && t->last)
				pos = t->after_line;
			open_block(b, t);
			break;
		case '/':
			if (b->owner[b->depth] == N_BLOCK)
				b->nstrip--;
			b->depth--;
			break;
		}
	}
	emit_src(b, pos, b->len);
}

/* A template is the page's markup: a control character there breaks the
 * HTML, a bidi control reorders the page after it (util/chars.h). Report
 * the first, at its line and column; 0 when there is none. */
static int check_chars(lexer_t *lx)
{
	unsigned cp;
	size_t at = chars_find(lx->src, lx->len, chars_is_unsafe, &cp);
	if (at == lx->len)
		return 0;
	int line, col;
	char name[48];
	track(lx, at, &line, &col);
	if (chars_is_control(cp))
		diag_error(lx->d, lx->path, line, col,
			   "the template contains %s (U+%04X); remove it (it "
			   "would break every page made from it)",
			   chars_control_what(cp), cp);
	else
		diag_error(lx->d, lx->path, line, col,
			   "the template contains %s, which reorders the page "
			   "shown after it; remove it",
			   chars_name(cp, name, sizeof name));
	return -1;
}

static tmpl_t *compile(const char *name, const char *path, const char *src,
		       size_t len, diags_t *d)
{
	lexer_t lx;
	memset(&lx, 0, sizeof lx);
	lx.src = src ? src : "";
	lx.len = src ? len : 0;
	lx.path = path ? path : name;
	lx.d = d;
	lx.open = "{{";
	lx.close = "}}";
	lx.olen = lx.clen = 2;
	lx.line = lx.col = 1;
	tmpl_t *t = NULL;
	if (check_chars(&lx) < 0)
		return NULL;
	if (lex(&lx) == 0) {
		mark_lines(lx.src, lx.len, lx.tok, lx.ntok);
		int paired = match(&lx) == 0;
		t = xcalloc(1, sizeof *t);
		t->name = xstrdup(name);
		t->hash = name_hash(name);
		t->path = xstrdup(lx.path);
		builder_t *b = xmalloc(sizeof *b);
		b->src = lx.src;
		b->len = lx.len;
		b->tok = lx.tok;
		b->depth = 0;
		if (paired) {
			build(b, lx.ntok, &t->root);
		} else {
			/* its tags are known: a missing partial is said beside
			 * the unclosed section, not once that is fixed */
			b->open[0] = &t->refs;
			for (size_t i = 0; i < lx.ntok; i++)
				if (lx.tok[i].type == '>' || lx.tok[i].type == '<')
					add_node(b, lx.tok[i].type == '>' ?
						 N_PARTIAL : N_PARENT, &lx.tok[i]);
			t->broken = 1;
		}
		free(b);
	}
	free(lx.tok);
	return t;
}

/* ---- the set ---------------------------------------------------------- */

static void place_nodes(nodes_t *ns, int line, int col)
{
	for (size_t i = 0; i < ns->n; i++) {
		ns->v[i].line = line;
		ns->v[i].col = col;
		place_nodes(&ns->v[i].kids, line, col);
	}
}

mst_set *mst_set_new(void)
{
	return xcalloc(1, sizeof(mst_set));
}

void mst_set_free(mst_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		tmpl_free(s->v[i]);
	free(s->v);
	free(s->slot);
	free(s);
}

/* Index of name, or of where it would go (and *found = 0). */
static size_t find_slot(const mst_set *s, const char *name, int *found)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid]->name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/* ---- what a set may show where (mst_set_shows_inside) ------------------- */

typedef struct shows_walk {
	const mst_set *s;
	const char *const *sections;
	const char *name;
	unsigned char *inside_done; /* by index of s->v: walked inside */
	int found;
} shows_walk;

static int part_is(const node_t *n, const char *const *words, int last_only)
{
	for (size_t k = last_only && n->npath ? n->npath - 1 : 0; k < n->npath; k++)
		for (size_t w = 0; words[w]; w++)
			if (!strcmp(n->path[k], words[w]))
				return 1;
	return 0;
}

static void shows_nodes(shows_walk *w, const nodes_t *ns, int inside);

/* Template name, included inside such a section: walked once so. */
static void shows_included(shows_walk *w, const char *name)
{
	int found;
	size_t i = find_slot(w->s, name, &found);
	if (!found || w->inside_done[i]) /* a missing one renders "" */
		return;
	w->inside_done[i] = 1;
	if (w->s->v[i]->broken)
		w->found = 1;
	else
		shows_nodes(w, &w->s->v[i]->root, 1);
}

static void shows_nodes(shows_walk *w, const nodes_t *ns, int inside)
{
	const char *const name[] = {w->name, NULL};
	for (size_t i = 0; i < ns->n && !w->found; i++) {
		const node_t *n = &ns->v[i];
		int named = n->kind != N_TEXT && n->kind != N_PARTIAL &&
			    n->kind != N_PARENT && n->kind != N_BLOCK &&
			    part_is(n, name, 1);
		if (named && (inside || (n->npath > 1 && part_is(n, w->sections, 0)))) {
			w->found = 1;
			return;
		}
		switch (n->kind) {
		case N_SECTION:
		case N_INVERTED:
			shows_nodes(w, &n->kids, inside || part_is(n, w->sections, 0));
			break;
		case N_PARTIAL:
			if (inside)
				shows_included(w, n->text);
			break;
		case N_PARENT:
			if (inside)
				shows_included(w, n->text);
			shows_nodes(w, &n->kids, inside);
			break;
		case N_BLOCK:
			/* an argument from elsewhere may take its place */
			if (inside)
				w->found = 1;
			else
				shows_nodes(w, &n->kids, inside);
			break;
		default:
			break;
		}
	}
}

int mst_set_shows_inside(const mst_set *s, const char *const *sections,
			 const char *name)
{
	shows_walk w = {s, sections, name, xcalloc(s->n + 1, 1), 0};
	for (size_t i = 0; i < s->n && !w.found; i++) {
		if (s->v[i]->broken)
			w.found = 1;
		else
			shows_nodes(&w, &s->v[i]->root, 0);
	}
	free(w.inside_done);
	return w.found;
}

static const tmpl_t *find_tmpl(const mst_set *s, const char *name)
{
	int found;
	size_t i = find_slot(s, name, &found);
	return found ? s->v[i] : NULL;
}

/* Fill the slots afresh from v: after every add, since an insertion
 * moves the indices after it. Adding is rare (once per template and
 * text, before rendering); finding is what every page does. */
static void index_slots(mst_set *s)
{
	size_t want = 16;
	while (want < s->n * 2)
		want = xmul(want, 2);
	if (want != s->nslot) {
		free(s->slot);
		s->slot = xcalloc(want, sizeof *s->slot);
		s->nslot = want;
	} else {
		memset(s->slot, 0, want * sizeof *s->slot);
	}
	for (size_t i = 0; i < s->n; i++) {
		size_t k = s->v[i]->hash & (s->nslot - 1);
		while (s->slot[k])
			k = (k + 1) & (s->nslot - 1);
		s->slot[k] = i + 1;
	}
}

/* The template called name, whose name_hash is h, through the slots. */
static const tmpl_t *find_hashed(const mst_set *s, const char *name,
				 unsigned h)
{
	if (!s->nslot)
		return NULL;
	for (size_t k = h & (s->nslot - 1); s->slot[k];
	     k = (k + 1) & (s->nslot - 1)) {
		const tmpl_t *t = s->v[s->slot[k] - 1];
		if (t->hash == h && !strcmp(t->name, name))
			return t;
	}
	return NULL;
}

int mst_set_has(const mst_set *s, const char *name)
{
	return s && name && find_tmpl(s, name) != NULL;
}

void mst_set_place(mst_set *s, const char *name, int line, int col)
{
	int found;
	size_t i = find_slot(s, name, &found);
	if (found) {
		place_nodes(&s->v[i]->root, line, col);
		place_nodes(&s->v[i]->refs, line, col);
	}
}

int mst_set_add(mst_set *s, const char *name, const char *path,
		const char *src, size_t len, diags_t *d)
{
	if (!s || !name)
		return -1;
	tmpl_t *t = compile(name, path, src, len, d);
	if (!t)
		return -1;
	int broken = t->broken;
	int found;
	size_t i = find_slot(s, name, &found);
	if (found) {
		tmpl_free(s->v[i]);
		s->v[i] = t;
		return broken ? -1 : 0;
	}
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v, 16);
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof *s->v);
	s->v[i] = t;
	s->n++;
	index_slots(s);
	return broken ? -1 : 0;
}

static int check_nodes(const mst_set *s, const tmpl_t *t, const nodes_t *ns,
		       diags_t *d)
{
	int missing = 0;
	for (size_t i = 0; i < ns->n; i++) {
		const node_t *n = &ns->v[i];
		if ((n->kind == N_PARTIAL || n->kind == N_PARENT) &&
		    !find_tmpl(s, n->text)) {
			diag_error(d, t->path, n->line, n->col,
				   "%s {{%c%s}} names no template: there is "
				   "no template '%s'",
				   n->kind == N_PARTIAL ? "partial" : "parent",
				   n->kind == N_PARTIAL ? '>' : '<', n->text,
				   n->text);
			missing++;
		}
		missing += check_nodes(s, t, &n->kids, d);
	}
	return missing;
}

/* A template that reaches itself through partials and parents none of
 * which is inside a section or an inverted section renders itself again
 * whatever the view holds, so without end (the render stops at
 * MST_MAX_DEPTH, after check said nothing). Such a cycle is found here,
 * before any page is rendered; only one that surely renders is said, as
 * an error here fails the build. An inclusion inside a section depends on
 * the data and may end: it is not followed. Blocks are resolved as the
 * render resolves them (render_block): through the chain of parents being
 * expanded, the outermost caller's argument winning over the default. A
 * cycle is a template reached again with every block resolved as when it
 * was reached before: it then renders the same again, without end. One
 * reached with its blocks resolved otherwise is walked again. Templates
 * walked outside any parent's expansion are marked done. */
typedef struct walk_chain {
	const node_t *parent;      /* its kids are the arguments */
	const tmpl_t *owner;       /* the template the parent tag is in */
	const struct walk_chain *outer;
} walk_chain;

typedef struct walk_step {
	const tmpl_t *t;
	const walk_chain *chain;   /* the expansion it was reached in */
} walk_step;

typedef struct cycle_walk {
	const mst_set *s;
	unsigned char *done;       /* by index of s->v: walked outside any
				      expansion, all said */
	unsigned char *reached;    /* by index of s->v: walked at all */
	walk_step path[MST_MAX_DEPTH + 1];
	size_t depth;
	long steps;                /* nodes and arguments looked at: a
				      template walked again inside each
				      expansion could take exponential
				      time in a hostile theme */
	const char **blocks;       /* the names of the set's blocks that
				      render (not a parent's arguments),
				      sorted: only their resolution counts */
	size_t nblocks;
	diags_t *d;
	int found;
} cycle_walk;

/* Nodes and arguments a walk looks at, at most: real themes stay far
 * below, and a hostile one costs a fraction of a second. */
#define CYCLE_STEPS 1000000L

static size_t tmpl_index(const mst_set *s, const tmpl_t *t)
{
	int found;
	return find_slot(s, t->name, &found);
}

static void walk_nodes(cycle_walk *w, const tmpl_t *t, const nodes_t *ns,
		       const walk_chain *chain);

/* The argument that overrides block name: the outermost one, as the
 * render takes it (find_override); *owner gets its template. */
static const node_t *walk_override(cycle_walk *w, const walk_chain *chain,
				   const char *name, const tmpl_t **owner)
{
	const node_t *found = NULL;
	for (; chain; chain = chain->outer) {
		const nodes_t *args = &chain->parent->kids;
		for (size_t i = 0; i < args->n; i++) {
			w->steps++;
			if (args->v[i].kind == N_BLOCK &&
			    !strcmp(args->v[i].text, name)) {
				found = &args->v[i];
				if (owner)
					*owner = chain->owner;
				break;
			}
		}
	}
	return found;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the blocks among ns that render, into w->blocks: every
 * block but a parent's arguments (whose own blocks do). */
static void gather_blocks(cycle_walk *w, const nodes_t *ns, size_t *cap,
			  int arguments)
{
	for (size_t i = 0; i < ns->n; i++) {
		const node_t *n = &ns->v[i];
		if (n->kind == N_BLOCK && !arguments) {
			w->blocks = xgrow(w->blocks, cap, w->nblocks + 1,
					  sizeof *w->blocks, 16);
			w->blocks[w->nblocks++] = n->text;
		}
		gather_blocks(w, &n->kids, cap, n->kind == N_PARENT);
	}
}

/* Whether a block called name renders anywhere: an argument for no such
 * block never does, and how it is resolved does not count. */
static int renders_block(const cycle_walk *w, const char *name)
{
	return w->nblocks && bsearch(&name, w->blocks, w->nblocks,
				     sizeof *w->blocks, cmp_name) != NULL;
}

/* Whether every block name an argument of a names is resolved alike in
 * chain b. */
static int resolved_alike_one_way(cycle_walk *w, const walk_chain *a,
				  const walk_chain *b)
{
	for (const walk_chain *c = a; c; c = c->outer)
		for (size_t i = 0; i < c->parent->kids.n; i++) {
			const node_t *arg = &c->parent->kids.v[i];
			if (arg->kind == N_BLOCK && renders_block(w, arg->text) &&
			    walk_override(w, a, arg->text, NULL) !=
			    walk_override(w, b, arg->text, NULL))
				return 0;
		}
	return 1;
}

static int resolved_alike(cycle_walk *w, const walk_chain *a,
			  const walk_chain *b)
{
	return a == b || (resolved_alike_one_way(w, a, b) &&
			  resolved_alike_one_way(w, b, a));
}

/* Say the cycle that tag n of t closes by reaching path[from] again;
 * once, however many walks reach it. */
static void say_cycle(cycle_walk *w, const tmpl_t *t, const node_t *n,
		      size_t from)
{
	const tmpl_t *to = w->path[from].t;
	buf_t chain = BUF_INIT;
	for (size_t k = from; k < w->depth; k++) {
		buf_puts(&chain, w->path[k].t->name);
		buf_puts(&chain, " -> ");
	}
	buf_puts(&chain, to->name);
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "{{%c%s}} includes '%s' again whatever the data "
		   "(%s), so the page would never end: put the inclusion "
		   "inside a section over data that ends, or remove it",
		   n->kind == N_PARTIAL ? '>' : '<', n->text, to->name,
		   buf_cstr(&chain));
	buf_free(&chain);
	int said = 0;
	for (size_t k = 0; k < w->d->n && !said; k++) {
		const diag_t *o = &w->d->v[k];
		said = o->line == n->line && o->col == n->col && o->path &&
		       t->path && !strcmp(o->path, t->path) &&
		       !strcmp(o->msg, buf_cstr(&msg));
	}
	if (!said) {
		diag_error(w->d, t->path, n->line, n->col, "%s", buf_cstr(&msg));
		w->found++;
	}
	buf_free(&msg);
}

/* Template to, reached by tag n of t in the expansion chain: a cycle when
 * it is on the path resolved alike, else walked (and marked done when
 * outside any expansion). */
static void walk_to(cycle_walk *w, const tmpl_t *t, const node_t *n,
		    const tmpl_t *to, const walk_chain *chain)
{
	for (size_t k = w->depth; k-- > 0;)
		if (w->path[k].t == to && resolved_alike(w, w->path[k].chain, chain)) {
			say_cycle(w, t, n, k);
			return;
		}
	size_t i = tmpl_index(w->s, to);
	w->reached[i] = 1;
	if ((!chain && w->done[i]) || w->depth > MST_MAX_DEPTH)
		return; /* said already; or the render's depth limit says it */
	w->path[w->depth++] = (walk_step){to, chain};
	walk_nodes(w, to, &to->root, chain);
	w->depth--;
	if (!chain)
		w->done[i] = 1;
}

/* The inclusions of template t among ns that surely render, inside the
 * expansion chain (NULL: none). */
static void walk_nodes(cycle_walk *w, const tmpl_t *t, const nodes_t *ns,
		       const walk_chain *chain)
{
	for (size_t i = 0; i < ns->n && w->steps < CYCLE_STEPS; i++) {
		const node_t *n = &ns->v[i];
		w->steps++;
		if (n->kind == N_BLOCK) {
			const tmpl_t *owner = t;
			const node_t *arg = walk_override(w, chain, n->text, &owner);
			walk_nodes(w, owner, arg ? &arg->kids : &n->kids, chain);
			continue;
		}
		if (n->kind != N_PARTIAL && n->kind != N_PARENT)
			continue;
		const tmpl_t *to = find_tmpl(w->s, n->text);
		if (!to)
			continue; /* check_nodes says so */
		if (n->kind == N_PARENT) {
			walk_chain link = {n, t, chain};
			walk_to(w, t, n, to, &link);
		} else {
			walk_to(w, t, n, to, chain); /* a partial keeps it */
		}
	}
}

/* Mark in included every template other than t that ns includes, as a
 * partial or a parent, in a section or not. */
static void mark_included(const mst_set *s, const tmpl_t *t, const nodes_t *ns,
			  unsigned char *included)
{
	for (size_t i = 0; i < ns->n; i++) {
		const node_t *n = &ns->v[i];
		const tmpl_t *to = n->kind == N_PARTIAL || n->kind == N_PARENT ?
				   find_tmpl(s, n->text) : NULL;
		if (to && to != t)
			included[tmpl_index(s, to)] = 1;
		mark_included(s, t, &n->kids, included);
	}
}

int mst_set_check(const mst_set *s, diags_t *d)
{
	int missing = 0;
	for (size_t i = 0; s && i < s->n; i++) {
		missing += check_nodes(s, s->v[i], &s->v[i]->root, d);
		missing += check_nodes(s, s->v[i], &s->v[i]->refs, d);
	}
	if (!s || !s->n)
		return missing;
	cycle_walk *w = xcalloc(1, sizeof *w);
	w->s = s;
	w->done = xcalloc(s->n, 1);
	w->d = d;
	size_t cap = 0;
	for (size_t i = 0; i < s->n; i++)
		gather_blocks(w, &s->v[i]->root, &cap, 0);
	if (w->nblocks)
		qsort(w->blocks, w->nblocks, sizeof *w->blocks, cmp_name);
	/* from the templates no other one includes, which the build renders
	 * as pages: the others are walked as they are reached, in the
	 * expansions they are reached in (one that loops only when rendered
	 * alone, and never is, is not said); then from any not reached, in
	 * name order (a cycle no page reaches, or one the pages reach
	 * through their names alone) */
	unsigned char *included = xcalloc(s->n, 1);
	for (size_t i = 0; i < s->n; i++)
		mark_included(s, s->v[i], &s->v[i]->root, included);
	w->reached = xcalloc(s->n, 1);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->n; i++)
			if (!w->reached[i] && (pass || !included[i])) {
				w->reached[i] = 1;
				w->path[w->depth++] = (walk_step){s->v[i], NULL};
				walk_nodes(w, s->v[i], &s->v[i]->root, NULL);
				w->depth--;
				w->done[i] = 1;
			}
	missing += w->found;
	free(included);
	free(w->reached);
	free(w->blocks);
	free(w->done);
	free(w);
	return missing;
}

/* ---- rendering -------------------------------------------------------- */

/* The context stack and the chain of parents being expanded live on the
 * C stack, one link per level: rendering writes nothing shared. */
typedef struct ctx {
	const cJSON *v;
	const struct ctx *up;
} ctx_t;

typedef struct chain {
	const node_t *parent;       /* its kids are the arguments */
	const tmpl_t *owner;        /* the template the parent tag is in */
	const struct chain *outer;  /* the parent that expanded this one */
} chain_t;

/* Name lookup in large objects. A page looks up a hundred names, most
 * of them in a few objects of thirty keys or more (the page's view, the
 * institution's), and a name not in the innermost object walks all its
 * keys before going up the context stack. So the first lookup in an
 * object of IX_MIN keys or more indexes its keys, for this render only:
 * the view is never changed while rendering, so an index stays right
 * until the object is freed, which only a lazy item is (render_section),
 * and that drops the indexes made since the item was. An index is found
 * by the object's first member (a reference to an object shares its
 * members, and its index), in a small table; a clash replaces the
 * older index. The slots of all indexes are one array, emptied when it
 * grows past IX_MAX_SLOTS. */
#define IX_MIN 12
#define IX_TABLE 64
#define IX_MAX_SLOTS 65536

typedef struct ix_slot {
	unsigned hash;      /* name_hash of the member's name */
	const cJSON *c;     /* the member, or NULL for a free slot */
} ix_slot;

typedef struct oindex {
	const cJSON *first; /* the object's first member; NULL: unused */
	unsigned long made; /* rstate.made when it was built */
	size_t at, mask;    /* its slots: slots[at .. at + mask] */
} oindex;

/* Which limit stopped a render. */
typedef enum {
	LIMIT_NONE, LIMIT_DEPTH, LIMIT_NEST, LIMIT_STEPS, LIMIT_OUTPUT
} limit_kind;

typedef struct rstate {
	const mst_set *set;
	buf_t *out;
	buf_t indent;  /* the indentation of the current expansion */
	int pending;   /* the output is at the start of a template line */
	int depth;     /* expansions (partials, parents, overrides) open */
	int nest;      /* render_nodes calls open */
	long steps;    /* nodes visited */
	size_t start;  /* out->len when the render began */
	mst_limits lim;
	/* where rendering is: the template whose nodes are being walked, and
	 * the innermost tag open (a section, partial ...) with its template */
	const tmpl_t *cur;
	const node_t *tag;
	const tmpl_t *tag_tmpl;
	/* the first limit reached, and where: rendering stops there */
	limit_kind stop;
	const tmpl_t *stop_tmpl;
	const node_t *stop_tag;
	/* indexes of the view's large objects (see find_member) */
	oindex ix[IX_TABLE];
	ix_slot *slots;
	size_t nslots, slotcap;
	unsigned long made;  /* lazy items made so far */
} rstate_t;

static void render_nodes(rstate_t *st, const nodes_t *ns, const ctx_t *ctx,
			 const chain_t *chain);

/* Stop at a limit, noting the tag: n (a node of the current template)
 * when it is a tag, else the innermost open tag. */
static void hit_limit(rstate_t *st, limit_kind why, const node_t *n)
{
	if (st->stop)
		return;
	st->stop = why;
	int here = n && n->line;
	st->stop_tmpl = here ? st->cur : st->tag_tmpl;
	st->stop_tag = here ? n : st->tag;
}

/* Make n, a tag of the current template, the innermost open one; *tag
 * and *tmpl get what close_tag restores. */
static void open_tag(rstate_t *st, const node_t *n, const node_t **tag,
		     const tmpl_t **tmpl)
{
	*tag = st->tag;
	*tmpl = st->tag_tmpl;
	st->tag = n;
	st->tag_tmpl = st->cur;
}

static void close_tag(rstate_t *st, const node_t *tag, const tmpl_t *tmpl)
{
	st->tag = tag;
	st->tag_tmpl = tmpl;
}

/* The first member of object o called name, as
 * cJSON_GetObjectItemCaseSensitive finds it, but comparing the first two
 * bytes before calling strcmp: a page looks names up in views of twenty
 * keys hundreds of times, and many keys share a first letter. A name is
 * never empty, so when the first bytes match both strings have a second
 * one (their terminator, perhaps). */
static const cJSON *member(const cJSON *o, const char *name)
{
	for (const cJSON *c = o->child; c; c = c->next)
		if (c->string && c->string[0] == name[0] &&
		    c->string[1] == name[1] && !strcmp(c->string, name))
			return c;
	return NULL;
}

/* cJSON's type tests without a call into the library: the low byte of
 * type is the kind, the bits above it are flags (cJSON_IsReference,
 * MST_LAZY ...). */
static int is_kind(const cJSON *v, int kind)
{
	return v && (v->type & 0xFF) == kind;
}

static size_t ix_pos(const cJSON *first)
{
	return ((size_t)(uintptr_t)first >> 6) % IX_TABLE;
}

/* The slot of name (hash h) in index x: its member, or a free slot. */
static const ix_slot *ix_probe(const rstate_t *st, const oindex *x,
			       const char *name, unsigned h)
{
	const ix_slot *sl = st->slots + x->at;
	size_t k = h & x->mask;
	while (sl[k].c && (sl[k].hash != h || strcmp(sl[k].c->string, name)))
		k = (k + 1) & x->mask;
	return &sl[k];
}

/* Index object o of count members into the table; the first of two
 * members of one name wins, as in member(). */
static const oindex *ix_build(rstate_t *st, const cJSON *o, size_t count)
{
	size_t size = 16;
	while (size < count * 2)
		size *= 2;
	if (st->nslots + size > IX_MAX_SLOTS) {
		memset(st->ix, 0, sizeof st->ix);
		st->nslots = 0;
	}
	st->slots = xgrow(st->slots, &st->slotcap, st->nslots + size,
			  sizeof *st->slots, 1024);
	oindex *x = &st->ix[ix_pos(o->child)];
	*x = (oindex){o->child, st->made, st->nslots, size - 1};
	memset(st->slots + x->at, 0, size * sizeof *st->slots);
	st->nslots += size;
	for (const cJSON *c = o->child; c; c = c->next) {
		if (!c->string)
			continue;
		unsigned h = name_hash(c->string);
		ix_slot *sl = (ix_slot *)ix_probe(st, x, c->string, h);
		if (!sl->c)
			*sl = (ix_slot){h, c};
	}
	return x;
}

/* A lazy item made at st->made == since was freed: its objects' indexes,
 * made since, must not be found again (its memory may hold new ones). */
static void ix_forget(rstate_t *st, unsigned long since)
{
	for (size_t k = 0; k < IX_TABLE; k++)
		if (st->ix[k].first && st->ix[k].made >= since)
			st->ix[k].first = NULL;
}

/* member(), through o's index when it has one or is worth one: a name
 * among the first IX_MIN members is found by walking them, as in an
 * object too small to index; past them, the object is indexed. */
static const cJSON *find_member(rstate_t *st, const cJSON *o,
				const char *name, unsigned h)
{
	const cJSON *c = o->child;
	if (!c)
		return NULL;
	const oindex *x = &st->ix[ix_pos(c)];
	if (x->first != c) {
		size_t count = 0;
		for (; c && count < IX_MIN; c = c->next, count++)
			if (c->string && c->string[0] == name[0] &&
			    !strcmp(c->string, name))
				return c;
		if (!c)
			return NULL;
		for (; c; c = c->next)
			count++;
		if (count > IX_MAX_SLOTS / 4)
			return member(o, name);
		x = ix_build(st, o, count);
	}
	return ix_probe(st, x, name, h)->c;
}

/* Name resolution as the spec says: the first part is looked up down the
 * context stack, the other parts only inside what it found. */
static const cJSON *lookup(rstate_t *st, const node_t *n, const ctx_t *ctx)
{
	if (!n->path)
		return ctx ? ctx->v : NULL;
	const cJSON *v = NULL;
	for (; ctx && !v; ctx = ctx->up)
		if (is_kind(ctx->v, cJSON_Object))
			v = find_member(st, ctx->v, n->path[0], n->phash[0]);
	for (size_t i = 1; v && i < n->npath; i++)
		v = is_kind(v, cJSON_Object) ?
			find_member(st, v, n->path[i], n->phash[i]) : NULL;
	return v;
}

/* JavaScript's !!value, as the spec's sections module suggests. */
static int truthy(const cJSON *v)
{
	switch (v ? v->type & 0xFF : cJSON_Invalid) {
	case cJSON_Invalid:
	case cJSON_NULL:
	case cJSON_False:
		return 0;
	case cJSON_Number:
		return v->valuedouble == v->valuedouble && v->valuedouble != 0;
	case cJSON_String:
		return v->valuestring && v->valuestring[0];
	case cJSON_Array:
		return v->child != NULL;
	default:
		return 1;
	}
}

/* Integers without decimals; other numbers in the fewest digits that read
 * back as the same double. */
static void format_number(double x, char *out, size_t size)
{
	if (x == 0) {
		snprintf(out, size, "0");
		return;
	}
	if (isfinite(x) && fabs(x) < 1e15 && x == floor(x)) {
		/* the digits "%.0f" gives, without printf: |x| < 10^15 is
		 * exact in a long long */
		long long k = (long long)x;
		if (k < 0)
			*out++ = '-';
		uint_text(out, k < 0 ? 0 - (unsigned long long)k
				     : (unsigned long long)k);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, size, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			return;
	}
}

static void put_indent(rstate_t *st)
{
	if (st->pending && st->indent.len)
		buf_put(st->out, st->indent.ptr, st->indent.len);
}

/* Template text: each line that starts an output line gets the indent,
 * except empty lines (no trailing blanks). */
static void render_text(rstate_t *st, const node_t *n)
{
	const char *s = n->text;
	size_t left = n->len;
	if (!st->indent.len) {
		buf_put(st->out, s, left);
		st->pending = s[left - 1] == '\n';
		return;
	}
	while (left) {
		const char *nl = memchr(s, '\n', left);
		size_t line = nl ? (size_t)(nl - s) + 1 : left;
		int empty = nl && (line == 1 || (line == 2 && s[0] == '\r'));
		if (!empty)
			put_indent(st);
		buf_put(st->out, s, line);
		st->pending = nl != NULL;
		s += line;
		left -= line;
	}
}

static void render_value(rstate_t *st, const cJSON *v, int escape)
{
	char num[40];
	const char *s = NULL;
	if (is_kind(v, cJSON_String) || is_kind(v, cJSON_Raw)) {
		s = v->valuestring;
	} else if (is_kind(v, cJSON_Number)) {
		format_number(v->valuedouble, num, sizeof num);
		s = num;
	} else if (is_kind(v, cJSON_True) || is_kind(v, cJSON_False)) {
		s = is_kind(v, cJSON_True) ? "true" : "false";
	}
	if (!s || !*s)
		return;
	put_indent(st);
	st->pending = 0;
	if (escape)
		buf_puts_html(st->out, s);
	else
		buf_puts(st->out, s);
}

/* Render ns as the body of tag n, which becomes the innermost open tag
 * (for messages) meanwhile. */
static void render_body(rstate_t *st, const node_t *n, const nodes_t *ns,
			const ctx_t *ctx, const chain_t *chain)
{
	const node_t *tag;
	const tmpl_t *tmpl;
	open_tag(st, n, &tag, &tmpl);
	render_nodes(st, ns, ctx, chain);
	close_tag(st, tag, tmpl);
}

static void render_section(rstate_t *st, const node_t *n, const ctx_t *ctx,
			   const chain_t *chain)
{
	const cJSON *v = lookup(st, n, ctx);
	if (n->kind == N_INVERTED) {
		if (!truthy(v))
			render_body(st, n, &n->kids, ctx, chain);
		return;
	}
	if (!truthy(v))
		return;
	if (is_kind(v, cJSON_Array)) {
		const mst_lazy *lazy = st->lim.lazy;
		for (const cJSON *item = v->child; item && !st->stop;
		     item = item->next) {
			unsigned long since = ++st->made;
			cJSON *made = lazy && (item->type & MST_LAZY)
				? lazy->make(lazy->arg, item->valuedouble) : NULL;
			ctx_t c = {made ? made : item, ctx};
			render_body(st, n, &n->kids, &c, chain);
			if (made) {
				cJSON_Delete(made);
				ix_forget(st, since);
			}
		}
		return;
	}
	ctx_t c = {v, ctx};
	render_body(st, n, &n->kids, &c, chain);
}

/* Start an expansion indented by `indent`; returns what leave() needs.
 * A standalone expansion (first_line) indents its first line as well: if
 * the output is not at a line start, its blanks go out right now. */
static size_t enter(rstate_t *st, const char *indent, int first_line)
{
	size_t mark = st->indent.len;
	if (indent && *indent) {
		if (first_line && !st->pending)
			buf_puts(st->out, indent);
		buf_puts(&st->indent, indent);
	}
	st->depth++;
	return mark;
}

static void leave(rstate_t *st, size_t mark)
{
	st->depth--;
	st->indent.len = mark;
	if (st->indent.ptr)
		st->indent.ptr[mark] = '\0';
}

/* Expand the nodes ns of template t (a partial, a parent, or the content
 * of a block) for tag n, indented as n says. */
static void expand(rstate_t *st, const node_t *n, const tmpl_t *t,
		   const nodes_t *ns, const ctx_t *ctx, const chain_t *chain)
{
	if (st->depth >= st->lim.max_depth) {
		hit_limit(st, LIMIT_DEPTH, n);
		return;
	}
	size_t mark = enter(st, n->indent, n->first_line);
	const node_t *tag;
	const tmpl_t *tmpl, *outer = st->cur;
	open_tag(st, n, &tag, &tmpl);
	st->cur = t;
	render_nodes(st, ns, ctx, chain);
	st->cur = outer;
	close_tag(st, tag, tmpl);
	leave(st, mark);
}

/* A partial, or a parent when chain is the link for it. */
static void render_include(rstate_t *st, const node_t *n, const ctx_t *ctx,
			   const chain_t *chain)
{
	const tmpl_t *t = find_hashed(st->set, n->text, n->hash);
	if (t)
		expand(st, n, t, &t->root, ctx, chain);
}

/* The argument that overrides block `name`: the outermost one wins.
 * *owner gets the template it is written in. */
static const node_t *find_override(const chain_t *chain, const char *name,
				   const tmpl_t **owner)
{
	const node_t *found = NULL;
	for (; chain; chain = chain->outer) {
		const nodes_t *args = &chain->parent->kids;
		for (size_t i = 0; i < args->n; i++)
			if (args->v[i].kind == N_BLOCK &&
			    !strcmp(args->v[i].text, name)) {
				found = &args->v[i];
				*owner = chain->owner;
				break;
			}
	}
	return found;
}

static void render_block(rstate_t *st, const node_t *n, const ctx_t *ctx,
			 const chain_t *chain)
{
	const tmpl_t *owner = st->cur;
	const node_t *arg = find_override(chain, n->text, &owner);
	if (!arg && !n->indent_default) {
		render_body(st, n, &n->kids, ctx, chain);
		return;
	}
	/* an argument may hold a block of its own name: bound that too */
	expand(st, n, owner, arg ? &arg->kids : &n->kids, ctx, chain);
}

static void render_nodes(rstate_t *st, const nodes_t *ns, const ctx_t *ctx,
			 const chain_t *chain)
{
	if (st->nest >= MST_MAX_NEST) {
		hit_limit(st, LIMIT_NEST, NULL);
		return;
	}
	st->nest++;
	for (size_t i = 0; i < ns->n && !st->stop; i++) {
		const node_t *n = &ns->v[i];
		if (++st->steps > st->lim.max_steps) {
			hit_limit(st, LIMIT_STEPS, n);
			break;
		}
		if (st->out->len - st->start > st->lim.max_output) {
			hit_limit(st, LIMIT_OUTPUT, n);
			break;
		}
		switch (n->kind) {
		case N_TEXT:
			render_text(st, n);
			break;
		case N_VAR:
		case N_RAW:
			render_value(st, lookup(st, n, ctx), n->kind == N_VAR);
			break;
		case N_SECTION:
		case N_INVERTED:
			render_section(st, n, ctx, chain);
			break;
		case N_PARTIAL:
			render_include(st, n, ctx, chain);
			break;
		case N_PARENT: {
			chain_t link = {n, st->cur, chain};
			render_include(st, n, ctx, &link);
			break;
		}
		case N_BLOCK:
			render_block(st, n, ctx, chain);
			break;
		}
	}
	st->nest--;
}

/* The tag as written, for messages: "{{>row}}", "{{#items}}". */
static void tag_text(buf_t *b, const node_t *n)
{
	static const char sigil[] = {
		[N_VAR] = 0, [N_RAW] = '&', [N_SECTION] = '#',
		[N_INVERTED] = '^', [N_PARTIAL] = '>', [N_PARENT] = '<',
		[N_BLOCK] = '$'};
	char c = n->kind == N_TEXT ? 0 : sigil[n->kind];
	buf_printf(b, "{{%s%s}}", c ? (char[]){c, 0} : "", n->text);
}

static void report_limit(const rstate_t *st, const char *name, diags_t *d)
{
	const tmpl_t *t = st->stop_tmpl;
	const node_t *n = st->stop_tag;
	buf_t tag = BUF_INIT, msg = BUF_INIT;
	if (n)
		tag_text(&tag, n);
	else
		buf_printf(&tag, "template '%s'", name);
	switch (st->stop) {
	case LIMIT_DEPTH:
		buf_printf(&msg, "%s nests partials, parents or blocks more than "
			   "%d deep: does a template include itself without "
			   "end? Make the recursion stop with a section over "
			   "data that ends, or remove it",
			   buf_cstr(&tag), st->lim.max_depth);
		break;
	case LIMIT_NEST:
		buf_printf(&msg, "%s nests sections and partials more than %d "
			   "deep; nest them less", buf_cstr(&tag), MST_MAX_NEST);
		break;
	case LIMIT_STEPS:
		buf_printf(&msg, "rendering took more than %ld steps and stopped "
			   "at %s: a partial included more than once at each "
			   "level of a recursion, or sections over lists nested "
			   "in one another, grow exponentially; include it once, "
			   "nest fewer, or make the recursion end sooner",
			   st->lim.max_steps, buf_cstr(&tag));
		break;
	default:
		buf_printf(&msg, "the page grew past %zu bytes (the output "
			   "limit) at %s; a template repeats too much",
			   st->lim.max_output, buf_cstr(&tag));
		break;
	}
	if (st->lim.page)
		buf_printf(&msg, "; %s was not written", st->lim.page);
	else
		buf_puts(&msg, "; the page was not written");
	diag_error(d, t ? t->path : name, n ? n->line : 1, n ? n->col : 1,
		   "%s", buf_cstr(&msg));
	buf_free(&tag);
	buf_free(&msg);
}

int mst_render_limited(const mst_set *s, const char *name,
		       const cJSON *view, buf_t *out,
		       const mst_limits *limits, diags_t *d)
{
	const tmpl_t *t = s && name ? find_hashed(s, name, name_hash(name))
				    : NULL;
	if (!t)
		return -1;
	rstate_t st;
	memset(&st, 0, sizeof st);
	st.set = s;
	st.out = out;
	st.pending = 1;
	st.start = out->len;
	st.cur = t;
	st.tag_tmpl = t; /* no tag open: the template itself, at 1:1 */
	st.lim.max_depth = limits && limits->max_depth > 0 ?
		limits->max_depth : MST_MAX_DEPTH;
	st.lim.max_steps = limits && limits->max_steps > 0 ?
		limits->max_steps : MST_MAX_STEPS;
	st.lim.max_output = limits && limits->max_output > 0 ?
		limits->max_output : MST_MAX_OUTPUT;
	st.lim.lazy = limits ? limits->lazy : NULL;
	st.lim.page = limits ? limits->page : NULL;
	buf_init(&st.indent);
	ctx_t root = {view, NULL};
	render_nodes(&st, &t->root, &root, NULL);
	buf_free(&st.indent);
	free(st.slots);
	if (st.stop && d)
		report_limit(&st, name, d);
	return st.stop ? 1 : 0;
}

int mst_render(const mst_set *s, const char *name, const cJSON *view,
	       buf_t *out)
{
	return mst_render_limited(s, name, view, out, NULL, NULL);
}
