/* report.h - the diagnostics of a build or check for machines: GitHub
 * Actions workflow commands (annotations on a pull request), a GitLab Code
 * Quality report, and partnermap's own JSON. The text form for people is
 * diags_print (diag.h); these never replace it.
 *
 * Paths: a diagnostic names its file relative to the site folder. CI
 * wants it relative to the repository's top folder, and a site may be a
 * sub-folder of the repository, so the GitHub and GitLab forms put the
 * site folder's place in the repository (report_where) in front. */
#ifndef PM_REPORT_H
#define PM_REPORT_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef enum {
	REPORT_TEXT,   /* path:line:col: error: message [name] (diag.h) */
	REPORT_GITHUB, /* ::error file=...,line=...::message */
	REPORT_GITLAB, /* GitLab Code Quality JSON */
	REPORT_JSON    /* partnermap's JSON array */
} report_format;

/* "text", "github", "gitlab" or "json"; -1 for anything else. */
int report_format_from(const char *word);

/* ---- where the site is in the repository ------------------------------ */

typedef struct report_where {
	char *root;   /* the repository's top folder, a real path; NULL when
			 the site folder cannot be resolved */
	char *prefix; /* the site folder from root, "" or "sites/partners/" */
} report_where;

/* Find the repository holding site_dir: workspace (the value of
 * GITHUB_WORKSPACE or CI_PROJECT_DIR, or NULL) when the site folder lies
 * inside it; else the nearest folder at or above the site folder with a
 * .git in it (a folder, or the file of a linked work tree); else the
 * site folder itself. Never runs git. Free w with report_where_free. */
void report_where_find(report_where *w, const char *site_dir,
		       const char *workspace);
void report_where_free(report_where *w);
/* path (as a diagnostic names it) from the repository's top folder: a
 * relative path gets w->prefix in front; an absolute one inside root
 * loses root; one outside stays as it is. NULL for NULL. Fresh string. */
char *report_path(const report_where *w, const char *path);

/* ---- GitHub Actions --------------------------------------------------- */

/* GitHub shows this many annotations of each kind (error, warning) for
 * one step, and drops the rest. */
#define REPORT_GITHUB_SHOWN 10

/* s escaped for the message of a workflow command: % as %25, CR as %0D,
 * LF as %0A (GitHub's toolkit, command.ts escapeData). */
void report_github_escape_data(buf_t *out, const char *s);
/* s escaped for a property value: as above, and : as %3A, , as %2C
 * (escapeProperty). */
void report_github_escape_property(buf_t *out, const char *s);
/* One workflow command per diagnostic, in order:
 *   ::error file=PATH,line=L,col=C,title=NAME::MESSAGE
 *   ::warning file=PATH,line=L,col=C,title=NAME::MESSAGE
 * (file, line and col left out for a problem in no file; the title of
 * an error with no name is partnermap). When there are more errors or warnings than
 * GitHub shows, a last ::notice:: says how many there are and that the
 * step's log lists them all. Appended to out. */
void report_github(const diags_t *d, const report_where *w, buf_t *out);

/* ---- GitLab Code Quality ---------------------------------------------- */

/* The MD5 of data (RFC 1321) as 32 lower-case hex digits into hex[33]. */
void report_md5_hex(const void *data, size_t len, char hex[33]);

/* The Code Quality report (GitLab's subset of the Code Climate issue
 * format): a JSON array with one object per diagnostic,
 *   {"type": "issue", "description": MESSAGE, "check_name": NAME,
 *    "fingerprint": MD5, "severity": SEVERITY,
 *    "location": {"path": PATH, "lines": {"begin": LINE}}}
 * NAME is the check's name, or "error" for an error with none. SEVERITY:
 * a warning "minor", an error "major", an I/O failure "critical". The
 * fingerprint is the MD5 of path, name and message (and, for the second
 * and later diagnostics with all three the same, their count), so a
 * problem keeps it when lines move above it, and no two share one. PATH
 * is from the repository's top folder; a problem in no file names the
 * site folder. A fresh string ending in a newline. */
char *report_gitlab(const diags_t *d, const report_where *w);

/* ---- partnermap's JSON ------------------------------------------------ */

/* A JSON array, one object per diagnostic in order, always with the same
 * keys:
 *   {"severity": "error" | "warning", "check": NAME | null,
 *    "path": PATH | null, "line": N | null, "column": N | null,
 *    "message": MESSAGE}
 * path is relative to the site folder, as in the text form; line and
 * column are 1-based (1 and 1 for a file as a whole) and null with a
 * null path. An I/O failure is an "error" (the exit status, 3, tells it
 * apart). A fresh string ending in a newline. */
char *report_json(const diags_t *d);

#endif
