/* mustache.h - a Mustache template engine over cJSON views.
 *
 * Templates are compiled once (mst_set_add) into a node tree and rendered
 * many times (mst_render). Supported: interpolation ({{x}} HTML-escaped,
 * {{{x}}} and {{&x}} raw), dotted names, the implicit iterator {{.}},
 * sections, inverted sections, comments, partials {{>name}}, set
 * delimiters {{=<% %>=}}, and inheritance: parents {{<base}}...{{/base}}
 * with blocks {{$name}}default{{/name}}. Standalone lines and indentation
 * follow the official spec, including the block reindentation rules of
 * its ~inheritance module. Lambdas and dynamic names are not supported
 * (a cJSON view holds no functions).
 *
 * Truthiness (sections and inverted sections), as the spec's `!!data`:
 * a missing name, null, false, 0, "" and [] are falsy; everything else,
 * including {}, is truthy. A list renders its section once per item; any
 * other truthy value is pushed on the context stack and renders it once.
 *
 * Interpolation: strings as they are, integers without decimals, other
 * numbers in the shortest form that reads back the same (1.210 -> "1.21"),
 * true and false as words, null, lists and objects as nothing.
 *
 * Rendering never modifies the set, so any number of threads may render
 * from one set at once (adding templates must not overlap rendering). */
#ifndef PM_MUSTACHE_H
#define PM_MUSTACHE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/diag.h"

/* Limits that keep a hostile template cheap. A partial, parent or
 * overriding block nested more deeply than MST_MAX_DEPTH stops the render:
 * a template that includes itself forever stops there. MST_MAX_STEPS
 * template nodes visited, or MST_MAX_OUTPUT bytes appended, stop it too:
 * a template that includes itself twice per level would otherwise run
 * for 2^MST_MAX_DEPTH steps. Real pages stay far below: 100,000 list
 * items of 30 nodes each take 3 of the 16.7 million steps, and the home
 * page of 100,000 institutions (the map and the directory) about 200 of
 * the 256 MiB. */
#ifndef MST_MAX_DEPTH
#define MST_MAX_DEPTH 100
#endif
/* Sections, parents and blocks nested in one template deeper than this
 * are a syntax error, and rendering stops (an error) when sections and
 * partials nest deeper, so a text of a translation file and a template
 * have the same limit; with MST_MAX_DEPTH it bounds recursion. */
#ifndef MST_MAX_NEST
#define MST_MAX_NEST 1000
#endif
#ifndef MST_MAX_STEPS
#define MST_MAX_STEPS (1L << 24)
#endif
#ifndef MST_MAX_OUTPUT
#define MST_MAX_OUTPUT ((size_t)1 << 28)
#endif

/* Lazy list items. A list in the view may hold placeholders in place of
 * its items: cJSON numbers whose type has MST_LAZY set, valuedouble being
 * the caller's key. When a section walks the list and reaches one, the
 * render asks make(arg, key) for the item, renders the section's body with
 * it, and frees it (cJSON_Delete) before the next: a page listing 100,000
 * institutions holds one institution's view at a time, not all of them.
 * make must return a new item (never NULL). Without a hook a placeholder
 * renders as the number it is. Placeholders are meant for list items
 * only: a name that finds one elsewhere sees the number. */
#define MST_LAZY (1 << 12) /* above cJSON's own type and flag bits */

typedef struct mst_lazy {
	cJSON *(*make)(void *arg, double key);
	void *arg;
} mst_lazy;

/* Other limits for one render; a field of 0 takes the default above.
 * lazy (NULL: none) makes the view's lazy list items, as above. */
typedef struct mst_limits {
	int max_depth;      /* nested partials, parents and blocks */
	long max_steps;     /* template nodes visited */
	size_t max_output;  /* bytes appended to the output */
	const mst_lazy *lazy;
	/* the file being made ("fr/institutions/x/index.html"), which a
	 * limit's message names as not written; NULL: "the page" */
	const char *page;
} mst_limits;

/* A set of named, compiled templates. */
typedef struct mst_set mst_set;

mst_set *mst_set_new(void);
void mst_set_free(mst_set *s);

/* Parse src (len bytes, need not be NUL-terminated) as template `name`.
 * Syntax errors (unclosed section, mismatched close tag, unclosed tag, bad
 * delimiter, bad tag name), and a control or bidi control character
 * anywhere in src (see util/chars.h), are reported into d as
 * `path:line:col: error: ...` using `path` (the name when path is NULL) and
 * the 1-based line and column (in characters) in src. Returns 0, or -1
 * after an error. After an error in the pairing of tags (an unclosed
 * section, a close tag that matches none) the set holds an empty stand-in
 * under name, which renders nothing and names the partials and parents
 * the source's tags name, for mst_set_check to check: a missing partial is
 * then said beside the syntax error. After any other error the set is
 * unchanged. It stays usable. Adding a name that is already in the set
 * replaces that template. */
int mst_set_add(mst_set *s, const char *name, const char *path,
		const char *src, size_t len, diags_t *d);

/* Put every tag of template `name` at line:col of its path, for what
 * mst_set_check and the render report about it: for a template that is
 * one value of a larger file (a text of a translation file), whose
 * positions inside the value do not map onto the file. Nothing when the
 * set has no such template. */
void mst_set_place(mst_set *s, const char *name, int line, int col);

/* Report, as errors at the referring template's path:line:col, every
 * partial or parent that names a template not in the set, and every
 * inclusion that closes a cycle of partials and parents outside any
 * section, inverted section or block: such a template renders itself
 * whatever the view, without end (the render would stop at
 * MST_MAX_DEPTH). Returns the number of problems reported. */
int mst_set_check(const mst_set *s, diags_t *d);

/* 1 if the set holds a template called name, else 0. */
int mst_set_has(const mst_set *s, const char *name);

/* Whether a tag named name (its last dotted part) may render inside a
 * section over one of sections (NULL-terminated names, any dotted part),
 * in any template: inside such a section as written, or in a partial or
 * parent included inside one. Conservative: a block ({{$x}}) inside such
 * a section, a dotted name holding one of sections and ending in name,
 * or a template that did not compile, count as such a tag. For a view
 * where the objects listed under sections are the only ones whose name
 * key a page should not show (a network's body_html in the site-wide
 * networks list), 0 tells that no page shows it. */
int mst_set_shows_inside(const mst_set *s, const char *const *sections,
			 const char *name);

/* Render template `name` with the view (which may be NULL) and append the
 * result to out. A missing partial or parent renders as "" (the spec
 * requires it). Returns 0; -1 only when `name` itself is unknown (out is
 * then unchanged); 1 when rendering stopped at a limit (see above): out
 * then holds a truncated page that must not be published. */
int mst_render(const mst_set *s, const char *name, const cJSON *view,
	       buf_t *out);

/* mst_render with other limits (NULL: the defaults), reporting a limit
 * reached as an error in d (when not NULL) at the tag where it happened:
 * `path:line:col` of the partial or block nested too deep, or of the tag
 * being rendered when the steps or the output ran out, with the
 * template's path as given to mst_set_add. */
int mst_render_limited(const mst_set *s, const char *name,
		       const cJSON *view, buf_t *out,
		       const mst_limits *limits, diags_t *d);

#endif
