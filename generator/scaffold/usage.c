/* usage.c - the message for a bad command line, shared by the commands of
 * scaffold.h. */
#include "scaffold.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>
#include <sys/stat.h>

#include "../build.h"
#include "../publish/stage.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/fs.h"

int scaffold_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("partnermap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'partnermap %s --help'.\n", cmd);
	return EXIT_USAGE;
}

int scaffold_path_usable(const char *cmd, const char *opt, const char *path)
{
	char *why = path ? fs_dotdot_problem(path, opt) : NULL;
	if (!why)
		return 0;
	char *shown = diag_visible(path);
	scaffold_usage_error(cmd, "%s '%s': %s", opt, shown, why);
	free(shown);
	free(why);
	return EXIT_USAGE;
}

/* The first folder of the relative path that is a symbolic link, as a
 * fresh string; NULL when none is (its last name is not looked at). */
static char *link_on_the_way(const char *path)
{
	if (path[0] == '/')
		return NULL;
	for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		char *pre = xstrndup(path, (size_t)(p - path));
		struct stat sb;
		if (lstat(pre, &sb) == 0 && S_ISLNK(sb.st_mode))
			return pre;
		free(pre);
	}
	return NULL;
}

int scaffold_file_usable(const char *cmd, const char *opt, const char *path)
{
	int rc = scaffold_path_usable(cmd, opt, path);
	/* absolute or not: another user's folder or link in /tmp */
	char *planted = rc || !path ? NULL : stage_planted_way(path, opt, "file");
	if (planted) {
		char *shown = diag_visible(path), *why = diag_visible(planted);
		scaffold_usage_error(cmd, "%s '%s': %s", opt, shown, why);
		FREE_ALL(shown, why, planted);
		return EXIT_USAGE;
	}
	char *link = rc || !path ? NULL : link_on_the_way(path);
	if (!link)
		return rc;
	char *shown = diag_visible(path), *at = diag_visible(link);
	scaffold_usage_error(cmd, "%s '%s': '%s' on the way is a symbolic link, "
			     "which may lead out of this folder (a checkout can "
			     "hold one); give the real folder, or an absolute "
			     "path", opt, shown, at);
	FREE_ALL(shown, at, link);
	return EXIT_USAGE;
}

/* The real path of the folder path is in (its last name left off), with
 * that name in *name (a pointer into path); NULL when it cannot be
 * resolved. A folder not made yet: the real path of the nearest that is
 * there, and the names below it as given (none may be "." or ".."). */
static char *real_folder_of(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup(".");
	char *real = realpath(dir, NULL);
	for (size_t n = strlen(dir); !real && n > 0;) {
		while (n > 0 && dir[n - 1] == '/')
			n--;
		size_t end = n;
		while (n > 0 && dir[n - 1] != '/')
			n--;
		const char *last = dir + n;
		size_t len = end - n;
		if (!len || (len == 1 && last[0] == '.') ||
		    (len == 2 && last[0] == '.' && last[1] == '.'))
			break;
		char *up = n ? xstrndup(dir, n) : xstrdup(".");
		char *base = realpath(up, NULL);
		free(up);
		if (base) {
			real = xasprintf("%s%s%s", base, strcmp(base, "/") ? "/" : "",
					 dir + n);
			free(base);
			for (size_t k = strlen(real); k > 1 && real[k - 1] == '/';)
				real[--k] = '\0';
		}
	}
	free(dir);
	return real;
}

/* path without the trailing "/" and "/." that name the same folder
 * ("out/./" is "out"): fresh. */
static char *trim_folder(const char *path)
{
	char *t = xstrdup(path);
	for (size_t n = strlen(t); n > 1;) {
		if (t[n - 1] == '/')
			t[--n] = '\0';
		else if (n > 2 && t[n - 1] == '.' && t[n - 2] == '/')
			t[n -= 2] = '\0';
		else
			break;
	}
	return t;
}

/* The real path of the folder path names, made or not: fresh, or NULL. */
static char *real_folder(const char *path)
{
	char *t = trim_folder(path);
	char *real = realpath(t, NULL);
	if (!real) {
		const char *name;
		char *dir = real_folder_of(t, &name);
		if (dir && *name && strcmp(name, ".") && strcmp(name, ".."))
			real = fs_join(dir, name);
		free(dir);
	}
	free(t);
	return real;
}

/* Whether real path a is b or lies below it. */
static int at_or_below(const char *a, const char *b)
{
	size_t n = strlen(b);
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/' || !strcmp(b, "/"));
}

/* The nearest folder from dir up that holds the marker of a folder
 * partnermap wrote (publish/stage.h, STAGE_MARKER): fresh, or NULL. */
static char *output_holding(const char *dir)
{
	char *d = xstrdup(dir);
	for (;;) {
		char *marker = fs_join(d, STAGE_MARKER);
		struct stat sb;
		int found = lstat(marker, &sb) == 0 && S_ISREG(sb.st_mode);
		free(marker);
		if (found)
			return d;
		char *slash = strrchr(d, '/');
		if (!slash || slash == d) {
			free(d);
			return NULL;
		}
		*slash = '\0';
	}
}

int scaffold_file_outside_output(const char *cmd, const char *opt,
				 const char *path, const char *out)
{
	const char *name;
	char *dir = real_folder_of(path, &name);
	char *o = out ? real_folder(out) : NULL;
	char *whole = dir && *name ? fs_join(dir, name) : NULL;
	char *held = dir ? output_holding(dir) : NULL;
	char *shown = diag_visible(path);
	int bad = 1;
	if (*name == '.' && strstr(name, ".partnermap-"))
		scaffold_usage_error(cmd, "%s '%s' is named as the files partnermap "
				     "keeps beside an output folder (.OUT.partnermap-"
				     "...); give it another name", opt, shown);
	else if (o && whole && !strcmp(whole, o))
		scaffold_usage_error(cmd, "%s '%s' is the output folder itself; name "
				     "a file beside the site (such as %s)", opt, shown,
				     !strcmp(opt, "--report") ?
				     "gl-code-quality-report.json" : "schema.json");
	else if ((o && dir && at_or_below(dir, o)) || held) {
		char *in = diag_visible(o && dir && at_or_below(dir, o) ? out : held);
		scaffold_usage_error(cmd, "%s '%s' is inside the output folder '%s', "
				     "whose next build removes what it did not write; "
				     "write it beside the site (such as %s)", opt, shown,
				     in, !strcmp(opt, "--report") ?
				     "--report gl-code-quality-report.json" :
				     "-o schema.json");
		free(in);
	} else
		bad = 0;
	FREE_ALL(dir, o, whole, held, shown);
	return bad ? EXIT_USAGE : 0;
}

int scaffold_write_file(const char *what, const char *opt, const char *path,
			const char *text)
{
	/* checked again as it is written: a folder on the way that was not
	 * there when the command began may have been made since, by another
	 * user, in a folder anyone may write */
	char *planted = stage_planted_way(path, opt, "file");
	if (planted) {
		char *shown = diag_visible(path), *why = diag_visible(planted);
		fprintf(stderr, "partnermap: error: cannot write %s '%s': %s\n",
			what, shown, why);
		FREE_ALL(shown, why, planted);
		return EXIT_FAILURE_IO;
	}
	if (fs_replace(path, text, strlen(text)) == 0)
		return 0;
	int e = errno;
	char *shown = diag_visible(path);
	const char *hint;
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		hint = "free some disk space and run it again";
		break;
	case EACCES:
		hint = "you may not write in its folder: make it writable for "
		       "you, or give another path";
		break;
	case EPERM: {
		const char *end = strrchr(path, '/');
		char *dir = end ? xstrndup(path, (size_t)(end - path + 1)) : xstrdup(".");
		hint = fs_append_only(dir) ?
			"its folder is append-only (chattr +a): a file can be "
			"made there but not put in place of another; give "
			"another path" :
			"its folder does not let you change this entry (another "
			"user's file in a folder with the sticky bit, as /tmp, "
			"or an immutable folder): give another path";
		free(dir);
		break;
	}
	case EROFS:
		hint = "its folder is on a read-only file system: give another path";
		break;
	default:
		hint = "check that its folder exists and is writable";
	}
	fprintf(stderr, "partnermap: error: cannot write %s '%s': %s; %s\n",
		what, shown, strerror(e), hint);
	free(shown);
	return EXIT_FAILURE_IO;
}
