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

int scaffold_write_file(const char *what, const char *path, const char *text)
{
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
	case EPERM:
		hint = "its folder does not let you change this entry (another "
		       "user's file in a folder with the sticky bit, as /tmp, "
		       "or an immutable or append-only folder): give another path";
		break;
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
