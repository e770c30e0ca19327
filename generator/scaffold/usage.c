/* usage.c - the message for a bad command line, shared by the commands of
 * scaffold.h. */
#define _GNU_SOURCE /* O_PATH */
#include "scaffold.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The usage error of a relative path through a symbolic link, if any;
 * else rc. */
static int no_link_on_the_way(const char *cmd, const char *opt,
			      const char *path, int rc)
{
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
	return no_link_on_the_way(cmd, opt, path, rc);
}

int scaffold_folder_usable(const char *cmd, const char *opt, const char *path)
{
	return no_link_on_the_way(cmd, opt, path,
				  scaffold_path_usable(cmd, opt, path));
}

/* The real path of path, whether it is there yet or not: the real path
 * of the nearest folder above that is there, and the names below it as
 * given, "." and empty ones left out ("a/./b", "a//b" are "a/b"); NULL
 * when it cannot be resolved, or a missing part is followed by "..".
 * Fresh. */
static char *real_path_of(const char *path)
{
	char *real = realpath(path, NULL);
	if (real)
		return real;
	size_t len = strlen(path);
	/* split off the names from the end, one by one, until what is
	 * left is there */
	for (size_t n = len; n > 0;) {
		while (n > 0 && path[n - 1] == '/')
			n--;
		size_t end = n;
		while (n > 0 && path[n - 1] != '/')
			n--;
		if (end == n)
			break;
		if (end - n == 2 && path[n] == '.' && path[n + 1] == '.')
			return NULL;
		char *up = n ? xstrndup(path, n) : xstrdup(".");
		char *base = realpath(up, NULL);
		free(up);
		if (!base)
			continue;
		buf_t b = BUF_INIT;
		buf_puts(&b, base);
		free(base);
		/* the names below, each once, without "." and "" */
		for (const char *p = path + n; *p;) {
			size_t k = strcspn(p, "/");
			if (k == 2 && p[0] == '.' && p[1] == '.') {
				buf_free(&b);
				return NULL;
			}
			if (k && !(k == 1 && p[0] == '.')) {
				if (b.len > 1 || buf_cstr(&b)[0] != '/')
					buf_puts(&b, "/");
				buf_put(&b, p, k);
			}
			p += k;
			while (*p == '/')
				p++;
		}
		return buf_detach(&b);
	}
	return NULL;
}

/* Whether real path a is b or lies below it. */
static int at_or_below(const char *a, const char *b)
{
	size_t n = strlen(b);
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/' || !strcmp(b, "/"));
}

/* Whether the folder path is to be written in is missing, not a folder,
 * or not ours to write in, or what is at path may not or cannot be
 * replaced (fs_why_unreplaceable_at), said as a usage error: found before
 * a build, not after it has published the site. The write checks its way
 * again (scaffold_write_file). */
static int folder_unwritable(const char *cmd, const char *opt,
			     const char *path)
{
	char *dir = fs_folder_of(path, ".");
	struct stat sb;
	const char *why = NULL;
	if (stat(dir, &sb) < 0)
		why = errno == ENOENT ? "does not exist: make it first, or name a "
					"file in a folder that does" :
		      errno == EACCES ? "cannot be reached: you may not enter a "
					"folder on the way" :
		      errno == ENOTDIR ? "is not a folder: a name on the way is "
					 "a file" :
					strerror(errno);
	else if (!S_ISDIR(sb.st_mode))
		why = S_ISREG(sb.st_mode) ? "is a file, not a folder" :
		      "is not a folder";
	/* what is at the path comes first: /dev/null is a device, whoever
	 * asks */
	const char *there = NULL;
	if (!why && !(there = fs_why_unreplaceable_at(AT_FDCWD, path))) {
		if (fs_immutable(dir))
			why = "is immutable (lsattr -d shows an i): nothing can "
			      "be made there, by root either; clear the flag "
			      "(chattr -i) or give another path";
		else if (access(dir, W_OK | X_OK) < 0)
			why = "is not yours to write in: make it writable for "
			      "you, or give another path";
		else if (fs_append_only(dir))
			why = "is append-only (lsattr -d shows an a): a file "
			      "can be made there but not put in place of "
			      "another; clear the flag (chattr -a) or give "
			      "another path";
	}
	if (there) {
		char *shown = diag_visible(path);
		scaffold_usage_error(cmd, "%s '%s': %s", opt, shown, there);
		free(shown);
	} else if (why) {
		char *shown = diag_visible(path), *in = diag_visible(dir);
		scaffold_usage_error(cmd, "%s '%s': its folder '%s' %s", opt, shown,
				     in, why);
		FREE_ALL(shown, in);
	}
	free(dir);
	return why || there;
}

/* Whether real path whole is a file the build of the site at site_dir
 * reads: site.yml, a site.<lang>.yml, or anything inside one of the
 * folders it reads, each by its real path (publish/stage.c guards
 * OUT_DIR from the same folders). */
static int read_by_the_build(const char *whole, const char *site_dir)
{
	static const char *const inputs[] = {
		"content", "i18n", "themes", "archetypes", "geodata",
	};
	char *site = site_dir ? realpath(site_dir, NULL) : NULL;
	if (!site)
		return 0;
	size_t n = strlen(site);
	const char *rel = !strncmp(whole, site, n) && whole[n] == '/' ?
			  whole + n + 1 : NULL;
	size_t k = rel ? strlen(rel) : 0;
	int hit = rel && !strchr(rel, '/') && !strncmp(rel, "site.", 5) &&
		  k >= 8 && !strcmp(rel + k - 4, ".yml");
	for (size_t i = 0; !hit && i < sizeof inputs / sizeof *inputs; i++) {
		char *joined = fs_join(site, inputs[i]);
		char *dir = real_path_of(joined);
		hit = dir && strcmp(whole, dir) && at_or_below(whole, dir);
		FREE_ALL(joined, dir);
	}
	free(site);
	return hit;
}

int scaffold_file_outside_output(const char *cmd, const char *opt,
				 const char *path, const char *out,
				 const char *site_dir)
{
	size_t len = strlen(path);
	char *shown = diag_visible(path);
	const char *example = !strcmp(opt, "--report") ?
		"--report gl-code-quality-report.json" : "-o schema.json";
	const char *last = strrchr(path, '/');
	last = last ? last + 1 : path;
	if ((len && path[len - 1] == '/') || !strcmp(last, ".") ||
	    !strcmp(last, "..")) {
		scaffold_usage_error(cmd, "%s '%s' names a folder; name a file in "
				     "it (such as %s)", opt, shown, example);
		free(shown);
		return EXIT_USAGE;
	}
	char *whole = real_path_of(path);
	char *o = out ? real_path_of(out) : NULL;
	const char *slash = whole ? strrchr(whole, '/') : NULL;
	const char *name = slash ? slash + 1 : "";
	char *dir = slash ? fs_folder_of(whole, ".") : NULL;
	char *held = whole ? stage_output_around(whole) : NULL;
	int bad = 1;
	if (*name == '.' && strstr(name, ".partnermap-"))
		scaffold_usage_error(cmd, "%s '%s' is named as the files partnermap "
				     "keeps beside an output folder (.OUT.partnermap-"
				     "...); give it another name", opt, shown);
	else if (whole && read_by_the_build(whole, site_dir))
		scaffold_usage_error(cmd, "%s '%s' is among the files the build "
				     "reads (site.yml, site.<lang>.yml, and content/, "
				     "i18n/, themes/, archetypes/ and geodata/), which "
				     "it would replace or add to; write it beside the "
				     "site (such as %s)", opt, shown, example);
	else if ((o && !strcmp(whole, o)) || (held && !strcmp(held, whole)))
		scaffold_usage_error(cmd, "%s '%s' is %s output folder itself; name "
				     "a file beside the site (such as %s)", opt, shown,
				     o && !strcmp(whole, o) ? "the" : "an", example);
	else if ((o && dir && at_or_below(dir, o)) || held) {
		int in_out = o && dir && at_or_below(dir, o);
		char *in = diag_visible(in_out ? out : held);
		scaffold_usage_error(cmd, "%s '%s' is inside the output folder '%s', "
				     "whose next build removes what it did not write; "
				     "write it beside the site (such as %s)", opt, shown,
				     in, example);
		free(in);
	} else {
		struct stat sb;
		bad = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
		if (bad)
			scaffold_usage_error(cmd, "%s '%s' names a folder; name a "
					     "file in it (such as %s)", opt, shown,
					     example);
		else
			bad = folder_unwritable(cmd, opt, path);
	}
	FREE_ALL(dir, o, whole, held, shown);
	return bad ? EXIT_USAGE : 0;
}

int scaffold_write_file(const char *what, const char *opt, const char *path,
			const char *text)
{
	/* checked again as it is written: a folder on the way that was not
	 * there when the command began may have been made since, by another
	 * user, in a folder anyone may write. The folder is opened one name
	 * at a time, each checked as it is opened (stage_open_way), and the
	 * file written there, whatever links someone puts on the way. */
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	char *dir = fs_folder_of(path, ".");
	char *planted = NULL;
	int at = stage_open_way(dir, opt, "file", &planted);
	int e = at < 0 ? errno : 0;
	free(dir);
	if (planted) {
		char *shown = diag_visible(path), *why = diag_visible(planted);
		fprintf(stderr, "partnermap: error: cannot write %s '%s': %s\n",
			what, shown, why);
		FREE_ALL(shown, why, planted);
		return EXIT_FAILURE_IO;
	}
	const char *there = at >= 0 ? fs_why_unreplaceable_at(at, name) : NULL;
	if (there) {
		char *shown = diag_visible(path);
		fprintf(stderr, "partnermap: error: cannot write %s '%s': %s\n",
			what, shown, there);
		free(shown);
		close(at);
		return EXIT_FAILURE_IO;
	}
	if (at >= 0) {
		int rc = fs_replace_at(at, name, text, strlen(text));
		e = errno;
		close(at);
		if (rc == 0)
			return 0;
	}
	errno = e;
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
	case ELOOP:
		hint = "a symbolic link on the way loops, or the links are too "
		       "many: give the real folder";
		break;
	case EPERM: {
		char *folder = fs_folder_of(path, ".");
		hint = fs_append_only(folder) ?
			"its folder is append-only (lsattr -d shows an a): a "
			"file can be made there but not put in place of "
			"another; clear the flag (chattr -a) or give another "
			"path" :
			"its folder does not let you change this entry (another "
			"user's file in a folder with the sticky bit, as /tmp, "
			"or an immutable folder): give another path";
		free(folder);
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
