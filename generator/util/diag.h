/* diag.h - collected diagnostics: every problem is kept, then printed as
 * "path:line:col: error: message", followed by a one-line count. */
#ifndef PM_DIAG_H
#define PM_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_WARNING, DIAG_ERROR, DIAG_FATAL } diag_level;

typedef struct diag {
	diag_level level; /* FATAL: an I/O or internal failure (exit 3) */
	char *path;       /* relative to the site folder; may be NULL */
	int line, col;    /* 1-based; 0 when unknown */
	char *msg;
} diag_t;

typedef struct diags {
	diag_t *v;
	size_t n, cap;
	size_t errors, warnings, fatals;
} diags_t;

#define DIAGS_INIT {NULL, 0, 0, 0, 0, 0}

/* Add one diagnostic. Controls, line breaks and bidi controls in path or
 * message (util/chars.h) are kept as a visible <U+XXXX>, never as they
 * are: a message is one line and cannot drive the terminal. */
void diags_add(diags_t *d, diag_level lv, const char *path, int line, int col,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#define diag_error(d, path, line, col, ...) \
	diags_add((d), DIAG_ERROR, (path), (line), (col), __VA_ARGS__)
#define diag_warning(d, path, line, col, ...) \
	diags_add((d), DIAG_WARNING, (path), (line), (col), __VA_ARGS__)
#define diag_fatal(d, path, ...) \
	diags_add((d), DIAG_FATAL, (path), 0, 0, __VA_ARGS__)

/* Print every diagnostic in the order it was added, then the count line
 * (nothing when there are none). */
void diags_print(const diags_t *d, FILE *out);
/* Move all of src's diagnostics to the end of dst. */
void diags_move(diags_t *dst, diags_t *src);
/* 1 if any diagnostic's message contains needle (for tests). */
int diags_has(const diags_t *d, diag_level lv, const char *needle);
void diags_free(diags_t *d);

#endif
