/* serve.h - partnermap serve: a live preview of a site for its editors.
 *
 * The site's model is made in memory (serve/model.h: what did not change
 * is kept from the last time), served over HTTP through libmicrohttpd,
 * each file rendered when it is first asked for, and made again whenever a
 * file of the site changes (watch.h). Every HTML page served gets one script
 * tag before its </body>, which opens an event stream (Server-Sent
 * Events, WHATWG HTML "Server-sent events") and reloads the page after
 * each good build, or shows the errors of a failed one over the page.
 * Nothing of this reaches the output of `partnermap build`.
 *
 * Besides cmd_serve, the functions below are pure (no I/O, no locks), so
 * that unit tests can reach them; serve.c (the command and its loop),
 * server.h (HTTP) and watch.h (inotify) hold the rest. */
#ifndef PM_SERVE_H
#define PM_SERVE_H

#include <stdatomic.h>
#include <stddef.h>

#include "build.h"
#include "util/buf.h"
#include "util/diag.h"

/* The URL path under which serve answers for itself (the event stream and
 * the script); a built site has no folder of that name. */
#define SERVE_PREFIX "/_partnermap/"
#define SERVE_EVENTS SERVE_PREFIX "events"
#define SERVE_SCRIPT SERVE_PREFIX "live.js"
#define SERVE_DEFAULT_PORT 1313

/* `partnermap serve [-C SITE_DIR] [--port N] [--bind ADDR]`: argv[0] is
 * "serve". Every build is made with base's options (version, installed
 * data, SOURCE_DATE_EPOCH...), as `partnermap build` would, but for the
 * site folder. stop is set non-zero by the caller's handler
 * of SIGINT, SIGTERM and SIGHUP; serve blocks those signals but while it
 * waits for a change (ppoll) and while it builds, so a signal ends the
 * wait at once, or the build at its next safe point (build.h's cancel). Returns an EXIT_* code of build.h:
 * 0 once stopped by a signal, 2 for a bad command line, 3 when the
 * server cannot start. Nothing is written on disk. */
int cmd_serve(int argc, char **argv, const build_options *base,
	      const atomic_int *stop);

/* ---- mapping a request to a file of the built site -------------------- */

typedef enum {
	SERVE_PATH_OK = 0,      /* *rel holds the file or folder to look up */
	SERVE_PATH_BAD = 400,   /* refused: the path is malformed, or could
				   leave the output or name a file twice */
	SERVE_PATH_HIDDEN = 404 /* a hidden entry: never published */
} serve_path_status;

/* The file a request path names, as a path relative to the output folder:
 * raw is the request target's path exactly as the client sent it (not yet
 * percent-decoded, without the query). It must start with "/"; each %XX
 * is decoded (RFC 3986 section 2.1). Refused (SERVE_PATH_BAD, *rel NULL):
 * a malformed %-escape; a "." or ".." segment, written plainly or
 * encoded (RFC 3986 section 5.2.4 would resolve them away); an empty
 * segment ("//"); an encoded "/" (%2F), which would join two segments; a
 * backslash, plain or encoded; any control character, NUL (%00)
 * included. Otherwise, a segment naming a hidden entry (".git",
 * ".partnermap-output", ".well-known": a name starting with ".", which
 * no page links to) gives SERVE_PATH_HIDDEN, to be answered as a
 * file the site does not have (404), never looked up. *why is then a
 * static line saying what is wrong and what to ask for instead (400,
 * "Bad request: ...\n") or why nothing is served (404, "the path names a
 * hidden entry ...\n"); NULL with SERVE_PATH_OK. "/" gives "",
 * "/a/b/" gives "a/b" with *folder set to 1 (the path ended with "/").
 * *rel is a fresh string. */
serve_path_status serve_resolve(const char *raw, char **rel, int *folder,
				const char **why);

/* Whether a request's Host header may be answered: an IP address (IPv6
 * in brackets) or "localhost" (or a name ending in ".localhost", RFC
 * 6761 section 6.3), also fully qualified with a final "." ("localhost.",
 * as curl sends for http://localhost.:1313/), with or without ":port";
 * NULL (no header, as
 * HTTP/1.0 may send) too. Any other name is refused: a web page that
 * points its own name at 127.0.0.1 (DNS rebinding) must not read the
 * drafts a preview shows. */
int serve_host_allowed(const char *host);

/* What the names of a request's header fields say, as serve_fields_add
 * finds them one by one among those libmicrohttpd parsed. libmicrohttpd
 * (0.9) keeps a space before the colon in the name ("Host "), and joins
 * a line folded onto the next (obs-fold, RFC 9112 section 5.2) to the
 * field's name ("Host:\r\n 127.0.0.1" becomes a field "Host127.0.0.1"
 * with an empty value), so only the names can tell. Zero it first. */
typedef struct serve_fields {
	int hosts;       /* fields named Host, in any letter case */
	int folded_host; /* a name "Host" with more after it but "-": a
			    Host field broken as above */
	int bad_name;    /* a name that is no token (RFC 9110, section
			    5.6.2): empty, or with a space, ":", ... */
} serve_fields;
void serve_fields_add(serve_fields *f, const char *name);

/* Whether a request may be answered, by its HTTP version, target and Host
 * headers, and which path it asks for (RFC 9112, section 3.2):
 *   version  as sent, "HTTP/1.0" or "HTTP/1.1";
 *   target   the request target as sent, without its query: a path
 *            ("/a/b", origin-form) or an http:// URL (absolute-form,
 *            "http://127.0.0.1:1313/a/b"), whose host then counts and
 *            the Host header is not looked at (section 3.2.2);
 *   host     the Host header's value, NULL when there is none; the
 *            spaces and tabs around it are not part of it (OWS, RFC
 *            9110 section 5.5), whether libmicrohttpd left them or not;
 *   fields   what the names of its header fields say (serve_fields).
 * SERVE_TARGET_OK with *path the path to serve (inside target, or a
 * static "/" for a URL without one). Otherwise the status to answer and
 * in *why the body, a static line saying what is wrong and what to send
 * instead: 400 for more than one Host header, a Host header not on one
 * line or with a space before its colon (and no good one), a field name
 * that is no token (RFC 9112, 5.1: a server must refuse a space before
 * the colon), no Host header in an HTTP/1.1
 * request, an empty one, one with a user name ("u@") or a path, a URL
 * with a user name, with no host or of another scheme than http, a
 * target that is neither a path nor a URL; 403 for a host that
 * serve_host_allowed refuses. The port is not compared with the one
 * served: a forwarded port (ssh -L, a container) is another one, and the
 * name alone is what a page pointing its own name at 127.0.0.1 cannot
 * fake. */
typedef enum {
	SERVE_TARGET_OK = 0,
	SERVE_TARGET_BAD = 400,
	SERVE_TARGET_FORBIDDEN = 403
} serve_target_status;
serve_target_status serve_target(const char *version, const char *target,
				 const char *host, const serve_fields *fields,
				 const char **path, const char **why);

/* The Content-Type of a file by its name's extension, case-insensitive:
 * "text/html; charset=utf-8" for .html, "image/svg+xml" for .svg,
 * "application/geo+json" for .geojson (RFC 7946) and so on; text types
 * carry "; charset=utf-8" (every text partnermap writes is UTF-8).
 * "application/octet-stream" for an extension it does not know. A
 * static string. */
const char *serve_content_type(const char *name);

/* ---- what is added to pages --------------------------------------------- */

/* The script every served page loads from SERVE_SCRIPT (ECMAScript, no
 * dependencies): it listens to SERVE_EVENTS, reloads the page on
 * "reload", and on "errors" shows the list over the page (an empty list
 * takes the overlay away). A static string. */
extern const char serve_live_js[];

/* Copy the HTML page html[0..n) into out with the script tag that loads
 * SERVE_SCRIPT inserted just before the last "</body>" (in any case of
 * letters), or at the end when there is none. build is the number of the
 * good build the page comes from: the script tells the server, which
 * sends "reload" at once if a newer build has been made since. */
void serve_inject(buf_t *out, const char *html, size_t n, unsigned build);

/* One Server-Sent Event appended to out: "event: NAME\n", then "data: "
 * and each line of data (a line break in data starts a new data: line,
 * as the format requires), then a blank line. */
void serve_event(buf_t *out, const char *name, const char *data);

/* The problems that stop a build, as the JSON array an "errors" event
 * carries: the objects of report_json (util/report.h) for every error and
 * I/O failure of d, warnings left out, each with one more key, "url":
 *   {"severity": "error", "check": NAME | null, "path": PATH | null,
 *    "line": N | null, "column": N | null, "message": TEXT,
 *    "url": URL | null}
 * url is the page of the record the path names, on the served site
 * (content/institutions/<slug>.md -> "/institutions/<slug>/",
 * content/networks/<slug>.md -> "/networks/<slug>/",
 * content/pages/<slug>.md -> "/<slug>/"), given only when has_page says
 * the last good build has that page: has_page(ctx, "institutions/<slug>")
 * is asked with the page's folder relative to the output (NULL: never).
 * As the terminal (diags_print), it lists DIAG_PRINT_PER_FILE errors of
 * one file at most: the rest are one note after them, at the place of
 * the first not listed, with their number in "more":
 *   {"severity": "note", "check": null, "path": PATH, "line": N,
 *    "column": N, "message": TEXT, "url": URL | null, "more": N}
 * A save that breaks every record is then a page of errors, not a
 * megabyte sent to each open page. A fresh string, "[]" when there is
 * no error. */
char *serve_errors_json(const diags_t *d,
			int (*has_page)(void *ctx, const char *folder),
			void *ctx);

/* The page served in place of every page while no build has succeeded
 * yet: the errors as a list (readable without scripts) and the script
 * tag, which reloads it once a build succeeds. site_name is the site
 * folder as given ("." is told as the current folder); errors_json as
 * serve_errors_json makes it. A fresh string. */
char *serve_failed_page(const char *site_name, const char *errors_json);

#endif
