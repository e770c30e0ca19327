/* report.c - diagnostics as GitHub workflow commands, a GitLab Code
 * Quality report and partnermap's JSON. */
#include "report.h"

#include "digest.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

int report_format_from(const char *word)
{
	static const char *const words[] = {
		[REPORT_TEXT] = "text", [REPORT_GITHUB] = "github",
		[REPORT_GITLAB] = "gitlab", [REPORT_JSON] = "json"};
	for (int i = 0; word && i < (int)(sizeof words / sizeof words[0]); i++)
		if (!strcmp(words[i], word))
			return i;
	return -1;
}

/* ---- where the site is in the repository ------------------------------ */

/* Is path root itself or below it? Both are real paths. */
static int is_under(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return !strncmp(path, root, n) && (path[n] == '/' || path[n] == '\0');
}

/* The nearest folder at or above dir (a real path) holding a .git, or
 * NULL. */
static char *git_top(const char *dir)
{
	char *at = xstrdup(dir);
	for (;;) {
		char *git = xasprintf("%s/.git", strcmp(at, "/") ? at : "");
		int found = access(git, F_OK) == 0;
		free(git);
		if (found)
			return at;
		char *slash = strrchr(at, '/');
		if (!slash || !strcmp(at, "/")) {
			free(at);
			return NULL;
		}
		slash[slash == at ? 1 : 0] = '\0';
	}
}

void report_where_find(report_where *w, const char *site_dir,
		       const char *workspace)
{
	w->root = NULL;
	w->prefix = xstrdup("");
	char *site = realpath(site_dir, NULL);
	if (!site)
		return;
	char *root = workspace && *workspace ? realpath(workspace, NULL) : NULL;
	if (root && !is_under(site, root)) {
		free(root);
		root = NULL;
	}
	if (!root)
		root = git_top(site);
	if (!root)
		root = xstrdup(site);
	const char *rest = site + strlen(root);
	while (*rest == '/')
		rest++;
	if (*rest) {
		free(w->prefix);
		w->prefix = xasprintf("%s/", rest);
	}
	w->root = root;
	free(site);
}

void report_where_free(report_where *w)
{
	free(w->root);
	free(w->prefix);
	w->root = w->prefix = NULL;
}

char *report_path(const report_where *w, const char *path)
{
	if (!path)
		return NULL;
	if (path[0] != '/')
		return xasprintf("%s%s", w->prefix ? w->prefix : "", path);
	if (w->root && is_under(path, w->root) && strcmp(w->root, "/")) {
		const char *rest = path + strlen(w->root);
		while (*rest == '/')
			rest++;
		return xstrdup(*rest ? rest : ".");
	}
	return xstrdup(path);
}

/* ---- GitHub Actions --------------------------------------------------- */

static void escape(buf_t *out, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			buf_puts(out, "%25");
		else if (*s == '\r')
			buf_puts(out, "%0D");
		else if (*s == '\n')
			buf_puts(out, "%0A");
		else if (property && *s == ':')
			buf_puts(out, "%3A");
		else if (property && *s == ',')
			buf_puts(out, "%2C");
		else
			buf_putc(out, *s);
	}
}

void report_github_escape_data(buf_t *out, const char *s)
{
	escape(out, s, 0);
}

void report_github_escape_property(buf_t *out, const char *s)
{
	escape(out, s, 1);
}

/* Whether path (from the repository's top) names a file there: an
 * annotation on a file the pull request does not hold (site.yml missing,
 * a folder such as init's) is shown on no file, and is put in the
 * step's summary instead, its path in its message. Without the
 * repository's place, every path is taken for a file. */
static int annotates_a_file(const report_where *w, const char *path)
{
	if (!w->root || !path || path[0] == '/')
		return 1;
	char *full = xasprintf("%s/%s", w->root, path);
	struct stat st;
	int yes = lstat(full, &st) == 0 &&
		  (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode));
	free(full);
	return yes;
}

static void github_one(const diag_t *x, const report_where *w, buf_t *out)
{
	const char *name = diag_check_name(x->check);
	char *path = report_path(w, x->path);
	int props = 0;
	buf_puts(out, x->level == DIAG_WARNING ? "::warning" : "::error");
	if (path && !annotates_a_file(w, path)) {
		buf_puts(out, " title=");
		report_github_escape_property(out, name ? name : "partnermap");
		buf_puts(out, "::");
		report_github_escape_data(out, path);
		buf_puts(out, ": ");
		report_github_escape_data(out, x->msg);
		buf_putc(out, '\n');
		free(path);
		return;
	}
	if (path) {
		buf_puts(out, " file=");
		report_github_escape_property(out, path);
		buf_printf(out, ",line=%d,col=%d", x->line, x->col);
		props = 1;
	}
	/* an error with no name is still titled, so the annotation does
	 * not show a bare "Error" */
	buf_puts(out, props ? ",title=" : " title=");
	report_github_escape_property(out, name ? name : "partnermap");
	buf_puts(out, "::");
	report_github_escape_data(out, x->msg);
	buf_putc(out, '\n');
	free(path);
}

void report_github(const diags_t *d, const report_where *w, buf_t *out)
{
	for (size_t i = 0; i < d->n; i++)
		github_one(&d->v[i], w, out);
	size_t errs = d->errors + d->fatals;
	if (errs > REPORT_GITHUB_SHOWN || d->warnings > REPORT_GITHUB_SHOWN)
		buf_printf(out,
			   "::notice title=partnermap::%zu error%s and %zu "
			   "warning%s: GitHub shows the first %d of each here; "
			   "this step's log lists them all\n",
			   errs, errs == 1 ? "" : "s", d->warnings,
			   d->warnings == 1 ? "" : "s", REPORT_GITHUB_SHOWN);
}

/* ---- MD5 (RFC 1321), by Nettle ----------------------------------------- */

void report_md5_hex(const void *data, size_t len, char hex[33])
{
	struct md5_ctx ctx;
	uint8_t d[MD5_DIGEST_SIZE];
	md5_init(&ctx);
	if (len)
		md5_update(&ctx, len, data);
	md5_digest(&ctx, sizeof d, d);
	digest_hex(d, sizeof d, hex);
}

/* ---- GitLab Code Quality ---------------------------------------------- */

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* How many diagnostics before i have the same path, name and message. */
static size_t earlier_twins(const diags_t *d, size_t i)
{
	size_t n = 0;
	for (size_t k = 0; k < i; k++)
		n += d->v[k].check == d->v[i].check &&
		     same_str(d->v[k].path, d->v[i].path) &&
		     !strcmp(d->v[k].msg, d->v[i].msg);
	return n;
}

static char *print_json(cJSON *root)
{
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		abort(); /* out of memory: as xmalloc does */
	char *out = xasprintf("%s\n", text);
	cJSON_free(text);
	return out;
}

char *report_gitlab(const diags_t *d, const report_where *w)
{
	static const char *const severity[] = {
		[DIAG_WARNING] = "minor", [DIAG_ERROR] = "major",
		[DIAG_FATAL] = "critical"};
	cJSON *all = cJSON_CreateArray();
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		const char *name = diag_check_name(x->check);
		char *path = x->path ? report_path(w, x->path) :
			     *w->prefix ? xstrndup(w->prefix, strlen(w->prefix) - 1) :
			     xstrdup(".");
		buf_t key = BUF_INIT;
		buf_printf(&key, "%s\n%s\n%s", path, name ? name : "error", x->msg);
		size_t twins = earlier_twins(d, i);
		if (twins)
			buf_printf(&key, "\n%zu", twins);
		char hex[33];
		report_md5_hex(key.ptr, key.len, hex);
		buf_free(&key);

		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "issue");
		cJSON_AddStringToObject(o, "description", x->msg);
		cJSON_AddStringToObject(o, "check_name", name ? name : "error");
		cJSON_AddStringToObject(o, "fingerprint", hex);
		cJSON_AddStringToObject(o, "severity", severity[x->level]);
		cJSON *loc = cJSON_AddObjectToObject(o, "location");
		cJSON_AddStringToObject(loc, "path", path);
		cJSON *lines = cJSON_AddObjectToObject(loc, "lines");
		cJSON_AddNumberToObject(lines, "begin", x->line > 0 ? x->line : 1);
		cJSON_AddItemToArray(all, o);
		free(path);
	}
	return print_json(all);
}

/* ---- partnermap's JSON ------------------------------------------------ */

char *report_json(const diags_t *d)
{
	cJSON *all = cJSON_CreateArray();
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		const char *name = diag_check_name(x->check);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "severity",
					x->level == DIAG_WARNING ? "warning" : "error");
		if (name)
			cJSON_AddStringToObject(o, "check", name);
		else
			cJSON_AddNullToObject(o, "check");
		if (x->path) {
			cJSON_AddStringToObject(o, "path", x->path);
			cJSON_AddNumberToObject(o, "line", x->line);
			cJSON_AddNumberToObject(o, "column", x->col);
		} else {
			cJSON_AddNullToObject(o, "path");
			cJSON_AddNullToObject(o, "line");
			cJSON_AddNullToObject(o, "column");
		}
		cJSON_AddStringToObject(o, "message", x->msg);
		cJSON_AddItemToArray(all, o);
	}
	return print_json(all);
}
