/* frontmatter.h - split a content file into front matter and body, and
 * parse the front matter (YAML or JSON) into one small value tree.
 *
 * Both syntaxes end up in the same tree of fm_node values, so the record
 * readers see one form; every node knows the line and column where it was
 * written in the FILE (not in the front matter), so any message about a
 * value can point at it. Columns count characters (code points), the way
 * libyaml counts them. */
#ifndef PM_FRONTMATTER_H
#define PM_FRONTMATTER_H

#include <stddef.h>

#include "../util/diag.h"

/* Limits that keep hostile input cheap: front matter is a few fields. */
#define FM_MAX_BYTES (64 * 1024)
/* The error for front matter (YAML or JSON) past FM_MAX_BYTES, with
 * FM_MAX_BYTES / 1024 for its %d. */
#define FM_TOO_LARGE "front matter is larger than %d KiB, the most a " \
	"file's fields may take; move long text into the body, after the " \
	"front matter"
#define FM_MAX_DEPTH 32

typedef enum {
	FM_NULL,   /* YAML "", "~", "null"; JSON null */
	FM_BOOL,   /* YAML plain true/false/yes/no; JSON true/false */
	FM_NUMBER, /* YAML plain decimal number; JSON number */
	FM_STRING, /* anything else, and every quoted scalar */
	FM_SEQ,
	FM_MAP
} fm_type;

typedef struct fm_node {
	fm_type type;
	int line, col;         /* where the value starts, 1-based */
	int text_col;          /* scalars: the column of text[0] when the
				  text is written as it is on the value's
				  line (no escape, no fold), after its
				  quote if any; else 0 (fm_col_at) */
	char *text;            /* scalars: the text (quoted ones decoded,
				  numbers and booleans as written) */
	int plain;             /* a scalar written without quotes or a
				  block indicator (YAML's plain style);
				  0 in JSON */
	int block_line, block_indent; /* a literal block scalar (|): the
				  file line of text's first line, and the
				  columns of indentation taken off each of
				  its lines, so that text's line i is the
				  file's block_line + i; else 0 */
	double num;            /* FM_NUMBER */
	int truth;             /* FM_BOOL */
	struct fm_node *kids;  /* FM_SEQ items, FM_MAP values, in file order */
	size_t n, cap;
	char *took_in;         /* a quoted value that ran on over keys lined
				  up with its own (runaway-quote): their
				  names, each ended by '\n'; else NULL */
	char *key;             /* a map's value: its key ... */
	int key_line, key_col; /* ... and where the key was written */
	/* an error was reported in this value, or in one inside it, while
	 * the tree was built (a NUL, a repeated key, an alias, a number
	 * with a thousands comma): readers skip it, saying nothing more */
	int said;
} fm_node;

typedef struct fm_doc {
	fm_node root;          /* always an FM_MAP (empty when parsing failed) */
	const char *body;      /* points into the text given to fm_parse */
	size_t body_len;
	int body_line, body_col; /* where the body starts in the file */
	int body_indent;       /* columns before each line of the body after
				  its first in the file (a literal block
				  value's indentation); 0 for a record's */
	int line, col;         /* where the front matter opens ("---" or "{") */
	/* errors reported in values as the tree was built, each value
	 * marked said; the rest of the tree is whole (FM_FLAWED) */
	int flawed;
	int json;              /* the front matter is JSON ("{"), not YAML */
} fm_doc;

/* fm_parse's result for a file whose front matter was read whole, with
 * errors in some of its values (fm_node.said): a record's other fields
 * can still be checked, so that one run reports all of its errors, and
 * the record is then refused. */
#define FM_FLAWED 1

/* Split a whole content file and parse its front matter. Problems are
 * reported to d as errors at path:line:col. Returns 0 on success,
 * FM_FLAWED when errors were found in values of front matter otherwise
 * read whole (doc->flawed of them), -1 when the file has no usable front
 * matter (doc->root is then an empty map; doc->body is what follows the
 * closing "---" of YAML that could not be read, so that its links can
 * still be checked, and empty when the file could not be split). Always
 * call fm_doc_free afterwards. */
int fm_parse(const char *text, size_t len, const char *path, fm_doc *doc,
	     diags_t *d);
void fm_doc_free(fm_doc *doc);
/* Report, as errors at their line and column, the control and bidi
 * control characters (util/chars.h) in the body of doc (the first ten,
 * then how many more): a control would break the pages' HTML and the
 * map's XML, a bidi control reorder what the page shows after it. 0 when
 * there is none, else -1. */
int fm_check_body(const fm_doc *doc, const char *path, diags_t *d);

/* Parse a whole YAML file (site.yml) whose top level must be a mapping.
 * Same rules as YAML front matter, without the "---" lines. 0 or -1: a
 * mistake in a value (FM_FLAWED) is -1 here, with root an empty map. */
int fm_parse_yaml(const char *text, size_t len, const char *path,
		  fm_node *root, diags_t *d);
/* fm_parse_yaml, but FM_FLAWED keeps root, the values with a mistake
 * marked said, for a reader that can go on without them. */
int fm_parse_yaml_marked(const char *text, size_t len, const char *path,
			 fm_node *root, diags_t *d);

void fm_node_free(fm_node *n);
/* The value under key in a map, or NULL. */
const fm_node *fm_get(const fm_node *map, const char *key);
/* "a list", "a mapping", "a number" ... for messages. */
const char *fm_type_name(fm_type t);
/* A scalar (null, bool, number or string)? */
int fm_is_scalar(const fm_node *n);

/* The column of byte off of scalar v's text in the file: from
 * v->text_col, counting code points, when the text is written there as
 * it is; else the value's own column, v->col. */
int fm_col_at(const fm_node *v, size_t off);

/* ---- helpers shared with the JSON reader (fmjson.c) ----------------- */

/* Line and column tracking over UTF-8 text: "\n", "\r\n" and a lone "\r"
 * each end a line; a column is one code point. */
typedef struct fm_pos {
	int line, col;
	unsigned char prev;
} fm_pos;

void fm_pos_init(fm_pos *p);
void fm_pos_step(fm_pos *p, unsigned char c);
/* Position of byte offset off in s (which starts at line 1, column 1). */
void fm_pos_at(const char *s, size_t off, int *line, int *col);

/* Offset of the first byte that starts an invalid UTF-8 sequence (or is a
 * NUL byte), or n when all of s is valid. Overlong forms, surrogates and
 * code points above U+10FFFF are invalid. */
size_t fm_utf8_invalid_at(const char *s, size_t n);

/* Append a default-initialised node to a sequence or map, and return it. */
fm_node *fm_push(fm_node *parent);
/* Whether the marks (values marked said) made while v was read are all
 * on plain values inside v, items of a list or values of a mapping: then
 * v is read, and its readers skip those alone (a list of networks with
 * one bad item still has its other items checked, a fee whose amount has
 * a thousands comma its currency); any other mark makes the whole value
 * said. A plain value marked by its own mistake (a NUL) is skipped alone
 * too, and the mapping holding it is read. */
int fm_marks_only_items(const fm_node *v, int marks);

/* Report every repeated key of a map as an error, at the repeat, and mark
 * each repeat said (its readers take the first); -1 if there was one. */
int fm_check_duplicates(fm_node *map, const char *path, diags_t *d);

/* JSON front matter (fmjson.c): s is the file after any BOM (its first
 * byte is line 1, column 1) and s[open] is the '{'. On success fills
 * doc->root and sets *body_at to the offset just past the object. 0, -1,
 * or FM_FLAWED with doc->flawed set (see fm_parse). */
int fm_parse_json(const char *s, size_t n, size_t open, const char *path,
		  fm_doc *doc, size_t *body_at, diags_t *d);

#endif
