/* diag.h - collected diagnostics: every problem is kept, then printed as
 * "path:line:col: error: message", followed by a one-line count.
 *
 * Every warning has a name (diag_names.h), shown after its message as
 * "[name]"; a policy (site.yml's checks:, --strict) may turn named
 * warnings into errors or leave them out before the build decides whether
 * to write anything (diags_apply). */
#ifndef PM_DIAG_H
#define PM_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "diag_names.h"

typedef enum { DIAG_WARNING, DIAG_ERROR, DIAG_FATAL } diag_level;

typedef struct diag {
	diag_level level; /* FATAL: an I/O or internal failure (exit 3) */
	check_id check;   /* a warning's name, kept when a policy made it an
			     error; CHECK_NONE for an error that always is */
	char *path;       /* relative to the site folder; NULL for a problem
			     that is in no file (the environment) */
	int line, col;    /* 1-based; 1:1 for a file or folder as a whole;
			     0 only when path is NULL */
	char *msg;
} diag_t;

typedef struct diags {
	diag_t *v;
	size_t n, cap;
	size_t errors, warnings, fatals;
} diags_t;

#define DIAGS_INIT {NULL, 0, 0, 0, 0, 0}

/* Add one diagnostic. Controls, line breaks and bidi controls in path or
 * message (util/chars.h) are kept as a visible <U+XXXX>, and a byte that
 * is not part of valid UTF-8 as <0xXX>, never as they are: a message is
 * one line of UTF-8 and cannot drive the terminal. A path with
 * no line (line < 1) is about the whole file, and is kept at 1:1. A
 * warning must have a name (check is not CHECK_NONE): use diag_warning. */
void diags_add(diags_t *d, diag_level lv, check_id check, const char *path,
	       int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
#define diag_error(d, path, line, col, ...) \
	diags_add((d), DIAG_ERROR, CHECK_NONE, (path), (line), (col), __VA_ARGS__)
/* name is the check's id without CHECK_ (diag_names.h), as in
 * diag_warning(d, UNKNOWN_KEY, path, line, col, "unknown key ..."): a
 * warning without a name, or with one the table lacks, does not compile. */
#define diag_warning(d, name, path, line, col, ...) \
	diags_add((d), DIAG_WARNING, CHECK_##name, (path), (line), (col), \
		  __VA_ARGS__)
/* An I/O or internal failure about a whole file or folder (1:1). */
#define diag_fatal(d, path, ...) \
	diags_add((d), DIAG_FATAL, CHECK_NONE, (path), 1, 1, __VA_ARGS__)

/* A value an editor wrote (a link, a path), quoted in a message, is kept
 * to its first DIAG_QUOTE_MAX bytes: a link of a megabyte must not make
 * an error line of a megabyte. Quote one as "'%.*s%s'" with the three
 * arguments DIAG_QUOTE(s) gives (s is read three times): its first
 * diag_quote_len(s) bytes, then diag_quote_more(s). */
#define DIAG_QUOTE_MAX 100
/* And whatever a message quotes without DIAG_QUOTE: diags_add cuts each
 * run of more than DIAG_RUN_MAX bytes without a space in a message to
 * its first DIAG_QUOTE_MAX, "…", and the quote or bracket that closes it,
 * so that no field's message, however it quotes its value, makes a line
 * of kilobytes. The bound is above the length of a path a message names
 * in a deep checkout, which it keeps whole. */
#define DIAG_RUN_MAX 512
#define DIAG_QUOTE(s) diag_quote_len(s), (s), diag_quote_more(s)
/* How many bytes of s (UTF-8, NUL-ended) a message quotes: all of them
 * when there are at most DIAG_QUOTE_MAX, else at most DIAG_QUOTE_MAX,
 * cut before the first character that would not fit whole (a byte that
 * starts no valid sequence counts as a character of one byte). */
int diag_quote_len(const char *s);
/* "…" when diag_quote_len(s) leaves some of s out, else "" (static). */
const char *diag_quote_more(const char *s);
/* The English article for a message's noun: "an " before a vowel
 * ("an ideographic space"), else "a " (static). */
const char *diag_article(const char *noun);
/* s as a message quotes it: its first diag_quote_len(s) bytes, then
 * diag_quote_more(s); for a value a message names more than once. A
 * fresh string. */
char *diag_quote(const char *s);

/* ---- what to do with each named warning -------------------------------- */

typedef enum {
	POLICY_WARN = 0, /* a warning (the default) */
	POLICY_ERROR,    /* an error: nothing is written */
	POLICY_IGNORE    /* left out, not printed nor counted */
} policy_action;

/* Zeroed, every check is a warning. */
typedef struct diag_policy {
	unsigned char action[CHECK_COUNT]; /* policy_action, by check_id */
	int strict; /* --strict: every warning not ignored is an error */
} diag_policy;

/* "error", "warning" or "ignore" as a policy_action; -1 for anything else. */
int policy_action_from(const char *word);

/* Apply p to every warning of d: an ignored one is removed, one made an
 * error (by p->action or p->strict) becomes DIAG_ERROR and keeps its
 * name. The counts follow. Errors are never touched, and applying the
 * same policy again changes nothing. */
void diags_apply(diags_t *d, const diag_policy *p);

/* ---- output ------------------------------------------------------------ */

/* A copy of s (NULL: NULL) fit for a terminal and every report format:
 * each control character, line break and bidi control written as
 * <U+XXXX>, each byte outside valid UTF-8 as <0xXX>. For a name from the
 * command line or a site quoted in a message printed outside diags_print.
 * A fresh string. */
char *diag_visible(const char *s);
/* The most problems of one file diags_print shows. */
#define DIAG_PRINT_PER_FILE 30
/* Print the diagnostics in their order, as "path:line:col: error:
 * message" with " [name]" after a named one, then the count line
 * (nothing when there are none), which counts them all. Of one file's,
 * DIAG_PRINT_PER_FILE at most: its errors first, then its warnings of
 * the checks it has fewest of (a flood of one kind does not hide a
 * warning told once), each in d's order (diags_sort_runs makes it the
 * file's from the top), and shown in d's order; the rest are counted, by level, in one
 * "path:line:col: note: N more problems of this file are not shown",
 * at the place of the first of them, after the file's last shown: a
 * file of 5,000 slips (a value pasted into every record) is then a
 * screen, not 5,000 lines, and the counts say what waits. Problems of
 * no file are all shown; so are the machine formats' (report.h). */
void diags_print(const diags_t *d, FILE *out);
/* What diags_print shows of d, for another list that shows the same
 * (serve's overlay): shown[i] set for each diagnostic shown; of a file
 * with some not shown, at its last shown i, note[i] is 1 + the index of
 * its first not shown (where the note is told), and errs[i] and warns[i]
 * how many of its errors (fatals too) and warnings are not shown; all 0
 * elsewhere. Arrays of d->n, the caller's to free with diag_shown_free. */
typedef struct diag_shown {
	unsigned char *shown;
	size_t *note, *errs, *warns;
} diag_shown;
void diags_shown(const diags_t *d, diag_shown *s);
void diag_shown_free(diag_shown *s);
/* Every check, one per line: the name, padded, and what it means. */
void diags_print_checks(FILE *out);
/* Put every problem of one file together, where the first of them was
 * told, in the order of their places, line then column, keeping the
 * order they were told in for one place: a file's parser, its field
 * checks and the checks across files (links) report at different times,
 * and an editor reads a file from the top; a problem of the file as a
 * whole, at 1:1, comes first. Files stay in the order their first problem
 * was told, and problems of no file stay where they are. A problem told
 * twice at one place (the same level, check and message: two checks that
 * meet) is kept once, and the counts follow. */
void diags_sort_runs(diags_t *d);
/* Move all of src's diagnostics to the end of dst. */
void diags_move(diags_t *dst, diags_t *src);
/* 1 if any diagnostic's message contains needle (for tests). */
int diags_has(const diags_t *d, diag_level lv, const char *needle);
void diags_free(diags_t *d);

#endif
