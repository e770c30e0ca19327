/* main.c - the command line: partnermap build | check | serve | new | init. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define PM_LEAK_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PM_LEAK_CHECK 1
#endif
#endif
#ifdef PM_LEAK_CHECK
#include <sanitizer/lsan_interface.h>
#endif

#include "build.h"
#include "load/fields.h"
#include "load/reccache.h"
#include "publish/mapcache.h"
#include "publish/reuse.h"
#include "publish/stage.h"
#include "scaffold/scaffold.h"
#include "scaffold/schema.h"
#include "serve/serve.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/heap.h"
#include "util/report.h"

#ifndef PM_VERSION
#define PM_VERSION "0.0.0"
#endif
#ifndef PM_DATADIR
#define PM_DATADIR "/usr/local/share/partnermap"
#endif

static const char usage_main[] =
	"Usage: partnermap <command> [options]\n"
	"\n"
	"Build a static partner-network website with an interactive map from a\n"
	"folder of Markdown records.\n"
	"\n"
	"Commands:\n"
	"  build    build the site into SITE_DIR/output (or -o OUT_DIR)\n"
	"  check    load and validate everything, write nothing\n"
	"  serve    preview the site while you edit it: serve [-C SITE_DIR]\n"
	"  new      start a record: new institution|network|page NAME\n"
	"  init     start a site in a new folder: init DIR\n"
	"  schema   the keys of each document: JSON Schema, or --markdown\n"
	"\n"
	"Options:\n"
	"  -h, --help       show this help (also: partnermap build --help,\n"
	"                   serve --help, new --help, init --help,\n"
	"                   schema --help)\n"
	"  -V, --version    show the version\n"
	"\n"
	"Exit status: 0 built, 1 the content has errors (nothing written),\n"
	"2 bad command line, 3 I/O or internal failure (previous output kept,\n"
	"unless the last line says the output holds part of the new site).\n";

static const char usage_build[] =
	"Usage: partnermap build [-C SITE_DIR] [-o OUT_DIR] [-j N] [--clean]\n"
	"                        [--strict]\n"
	"                        [--format F [--report FILE]]\n"
	"\n"
	"Build the site in SITE_DIR (default: the current folder) into OUT_DIR\n"
	"(default: SITE_DIR/output). What is written goes into a staging folder\n"
	"beside OUT_DIR and is put in place only when all the site was rendered;\n"
	"on any error, or when interrupted (Ctrl-C, SIGTERM), the previous output\n"
	"is left as it was. OUT_DIR must be missing, empty, or a folder partnermap\n"
	"wrote, without hidden entries it did not write (.git, .env...); it may\n"
	"not be a link, the site folder, a folder that holds it, or in content/.\n"
	"\n"
	"Options:\n"
	"  -C, --site DIR     the site folder (holds site.yml and content/)\n"
	"  -o, --output DIR   where to write the site\n"
	"      --clean        write every file afresh and swap the whole site in;\n"
	"                     without it, a folder partnermap wrote is updated in\n"
	"                     place: only changed files are replaced (each in one\n"
	"                     rename, once the whole site was rendered) and files\n"
	"                     the site no longer has are removed\n"
	"  -j, --jobs N       render on N threads, 1 to " PM_STR(PM_JOBS_MAX) "\n"
	"                     (default: one per processor, at most "
	PM_STR(PM_JOBS_DEFAULT_MAX) ")\n"
	"  -q, --quiet        print nothing but problems\n"
	"  -h, --help         show this help\n";

/* The options build and check share: warnings and reports for CI. */
static const char usage_ci[] =
	"      --strict       every warning is an error: nothing is written\n"
	"      --format F     how problems are given: text (the default),\n"
	"                     github (GitHub Actions annotations on stdout),\n"
	"                     gitlab (a GitLab Code Quality report in --report\n"
	"                     FILE) or json (a JSON array on stdout); the text\n"
	"                     is on stderr with each of them\n"
	"      --report FILE  where --format=gitlab writes its report\n"
	"\n"
	"Every warning has a name, shown as [name]; site.yml's checks: makes\n"
	"one an error or ignores it (partnermap check --list-checks).\n";

static const char usage_check[] =
	"Usage: partnermap check [-C SITE_DIR] [--strict]\n"
	"                        [--format F [--report FILE]]\n"
	"       partnermap check --list-checks\n"
	"\n"
	"Load and validate site.yml, every record, the basemap and the theme,\n"
	"print every problem as path:line:col, and write nothing.\n"
	"\n"
	"Options:\n"
	"  -C, --site DIR     the site folder (holds site.yml and content/)\n"
	"  -q, --quiet        print nothing but problems\n"
	"      --list-checks  list the name of every warning, and what it means\n"
	"  -h, --help         show this help\n";

static int usage_error(const char *fmt, const char *arg, const char *cmd)
{
	fputs("partnermap: ", stderr);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'partnermap %s--help'.\n", cmd);
	return EXIT_USAGE;
}

/* The value of an option given as "-C DIR", "-CDIR" (attached, as
 * getopt reads a short option), "--site DIR" or "--site=DIR". */
static const char *option_value(int argc, char **argv, int *i, const char *arg,
				const char *longname, int *bad)
{
	size_t n = strlen(longname);
	if (arg[0] == '-' && arg[1] != '-' && arg[1] != '\0' && arg[2] != '\0')
		return arg + 2;
	if (!strncmp(arg, longname, n) && arg[n] == '=')
		return arg + n + 1;
	if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

/* Installed data (the default theme) lives in <prefix>/share/partnermap;
 * the prefix is found from where this binary is, so an install moved to
 * another prefix still finds its theme; a binary of a checkout, built and
 * not installed, takes the theme and basemap beside it; else the
 * configured prefix. */
static char *data_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char *dir = xasprintf("%s/../share/partnermap", exe);
			if (fs_is_dir(dir))
				return dir;
			free(dir);
			/* ./partnermap of a checkout, built and not installed:
			 * the theme and the basemap beside it, or the script
			 * that fetches the basemap (make basemap) when it is
			 * not there yet: init then says to fetch it, not to
			 * install partnermap */
			char *theme = xasprintf("%s/themes/default/templates", exe);
			char *shp = xasprintf("%s/geodata/naturalearth_lowres.shp", exe);
			char *fetch = xasprintf("%s/" PM_BASEMAP_FETCH, exe);
			int checkout = fs_is_dir(theme) &&
				       (fs_exists(shp) || fs_exists(fetch));
			free(theme);
			free(shp);
			free(fetch);
			if (checkout)
				return xstrdup(exe);
		}
	}
	return xstrdup(PM_DATADIR);
}

/* ---- interruption: SIGINT, SIGTERM, SIGHUP -------------------------------
 * The handler only stores the signal's number in a lock-free atomic (all a
 * handler may touch, C11 7.14.1.1 and POSIX async-signal-safety); the
 * pipeline polls it between stages and before every file it writes, on
 * any thread, then removes its staging folder. A second signal, of any
 * of the three, ends the process at once. This is the one piece of process-wide
 * state, and it belongs to the command line, not to pm_build. */
static atomic_int interrupted;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
	       "a signal handler may only store into a lock-free atomic");

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
/* which of caught[] have on_signal, and the default action, both set
 * before the first handler is installed */
static int handled[sizeof caught / sizeof caught[0]];
static struct sigaction default_action;

static void on_signal(int sig)
{
	atomic_store(&interrupted, sig);
	/* a second signal ends the process at once, of whichever kind: SIGINT
	 * then SIGTERM too, not only the one SA_RESETHAND reset (sigaction
	 * is async-signal-safe, POSIX.1-2017 2.4.3) */
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		if (handled[i])
			sigaction(caught[i], &default_action, NULL);
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	/* the others wait while it runs: two pending at once (a ppoll that
	 * lets them through) would each get a handler, nested, before the
	 * first could reset the second */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		sigaddset(&sa.sa_mask, caught[i]);
	sa.sa_flags = SA_RESTART | SA_RESETHAND;
	default_action.sa_handler = SIG_DFL;
	sigemptyset(&default_action.sa_mask);
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
		struct sigaction was;
		/* a signal ignored by whoever started us (nohup, a background
		 * job) stays ignored */
		handled[i] = !(sigaction(caught[i], NULL, &was) == 0 &&
			       was.sa_handler == SIG_IGN);
	}
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		if (handled[i])
			sigaction(caught[i], &sa, NULL);
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

/* Die of the signal that interrupted us, so a shell or CI runner sees what
 * happened (a status of 128 + sig where the signal cannot be re-raised). */
static int die_of(int sig)
{
#ifdef PM_LEAK_CHECK
	__lsan_do_leak_check(); /* the sanitizer build checks this path too */
#endif
	signal(sig, SIG_DFL);
	raise(sig);
	return 128 + sig;
}

/* The ending of an English plural: "" for one, "s" for any other count. */
static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* What a failed or interrupted build left at out, the output folder: a
 * site partnermap wrote stays as it was, unless an in-place commit failed
 * half way (st->partial); anything else (no folder, a folder it refused)
 * got nothing, since only the staging folder beside it, removed since,
 * was written. */
static const char *after_failure(const char *out, const build_stats *st)
{
	if (st->partial == 2)
		return "the output folder holds the whole new site, and may hold "
		       "files of the last one that it does not have; build again "
		       "to remove them";
	if (st->partial)
		return "the output folder holds part of the new site, every "
		       "file whole; build again to complete it";
	return stage_is_output(out) ? "the previous output was kept"
				    : "nothing was written";
}

/* How to clear what kept a file beside the output folder from being
 * written (errno e). */
static const char *unsaved_hint(int e)
{
	switch (e) {
	case EISDIR:
	case EEXIST:
	case ENOTDIR:
	case ENOTEMPTY:
		return "remove what is in its place";
	case EPERM:
	case EACCES:
	case EROFS:
		return "the folder it goes in is not writable, or another user "
		       "owns it or a file there: build into a folder of your own "
		       "with -o";
	case ENAMETOOLONG:
		return "choose a shorter output folder name with -o";
	case ENOSPC:
	case EDQUOT:
		return "free some space";
	default:
		return "check the folder the output folder is in";
	}
}

/* Why the entry at path (a path from here) could not be removed, errno e:
 * a clause naming the folder that holds it when that is the cause (another
 * user's; with the sticky bit, which lets only an entry's owner remove it
 * (chmod(2), S_ISVTX); append-only or immutable) and what to do. Fresh. */
/* Which flag keeps path from being removed or replaced: its own, or its
 * folder dir's (shown: dir as said). 1 with *why set (a fresh clause
 * ending in "clear the flag (chattr -x)" and then, when not NULL), or 0
 * when neither has one. */
static int flag_of(const char *path, const char *dir, const char *shown,
		   const char *then, char **why)
{
	fs_entry it, in;
	fs_flag_words w;
	const char *sep = then ? ", " : "";
	then = then ? then : "";
	if (fs_entry_at(AT_FDCWD, path, &it) == 0 && fs_flag_words_of(&it, &w)) {
		*why = xasprintf("it is %s (%s): clear the flag (%s)%s%s",
				 w.name, w.shown, w.clear, sep, then);
		return 1;
	}
	if (fs_entry_at(AT_FDCWD, dir, &in) == 0 && fs_flag_words_of(&in, &w)) {
		*why = xasprintf("the folder '%s' is %s (%s), where nothing may "
				 "be %s: clear the flag (%s)%s%s", shown, w.name,
				 w.shown, in.immutable ? "made or removed" :
				 "removed", w.clear, sep, then);
		return 1;
	}
	return 0;
}

static char *why_not_removed(const char *path, int e)
{
	char *dir = fs_folder_of(path, "."), *shown = diag_visible(dir), *why;
	struct stat sb, entry;
	int have = lstat(path, &entry) == 0;
	if (lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    sb.st_uid != geteuid() && (e == EACCES || e == EPERM))
		why = sb.st_mode & S_ISVTX ?
			xasprintf("the folder '%s' belongs to another user (uid "
				  "%lu) and has the sticky bit (mode %04o), which "
				  "lets only an entry's owner remove it (this one's "
				  "is uid %lu): have that owner or root remove it",
				  shown, (unsigned long)sb.st_uid,
				  (unsigned)(sb.st_mode & 07777),
				  (unsigned long)(have ? entry.st_uid : sb.st_uid)) :
			xasprintf("the folder '%s' belongs to another user (uid "
				  "%lu), and you may not write in it (mode %04o): "
				  "have that user or root remove it", shown,
				  (unsigned long)sb.st_uid,
				  (unsigned)(sb.st_mode & 07777));
	/* in a folder of this user's: the entry itself is a folder of
	 * another user's it may not open or empty */
	else if (have && S_ISDIR(entry.st_mode) && entry.st_uid != geteuid() &&
		 (e == EACCES || e == EPERM))
		why = xasprintf("it is a folder of another user's (uid %lu), which "
				"you may not empty (mode %04o): have that user or "
				"root remove it", (unsigned long)entry.st_uid,
				(unsigned)(entry.st_mode & 07777));
	else if (e == EPERM && flag_of(path, dir, shown, "then remove it", &why))
		; /* the flag read: named */
	else if (e == EPERM)
		why = xasprintf("it or the folder '%s' is append-only or immutable "
				"(lsattr -d shows an a or an i): clear the flag "
				"(chattr -a -i), then remove it", shown);
	else
		why = xasprintf("%s; remove it yourself", strerror(e));
	FREE_ALL(dir, shown);
	return why;
}

/* After a successful build, what it could not keep for the next one
 * (build.h, build_stats): the site is in place, the next build only
 * does more work. */
static void say_unsaved(const build_stats *st, const char *typed)
{
	/* every path said names the folder as typed, control characters
	 * written out */
	char *out = diag_visible(typed);
	if (st->group_lost)
		fprintf(stderr, "partnermap: could not give '%s' the group of the "
			"folder it replaced (gid %lu), which you are not in: its "
			"group now gives no access; build as a member of that "
			"group to keep it\n", out, st->group_wanted);
	if (st->bits_kept[0]) {
		char *shown = diag_visible(st->bits_kept);
		fprintf(stderr, "partnermap: '%s' belongs to another user (uid "
			"%lu) and keeps its mode %04o, which %s: have that user "
			"or root remove it, then build again\n", shown,
			st->bits_kept_uid, st->bits_kept_mode,
			st->bits_kept_mode & 022 ? "lets others change what it "
						   "holds" :
						   "a clean build's folders do "
						   "not have");
		free(shown);
	}
	if (st->left[0]) {
		char *shown = diag_visible(st->left);
		char *why = why_not_removed(st->left, st->left_errno);
		fprintf(stderr, "partnermap: could not remove '%s', which the new "
			"site does not have: %s", shown, why);
		if (st->left_count > 1)
			fprintf(stderr, " (%zu more such entr%s left)",
				st->left_count - 1, st->left_count == 2 ? "y" : "ies");
		fputc('\n', stderr);
		FREE_ALL(shown, why);
	}
	if (st->old_left[0]) {
		char *shown = diag_visible(st->old_left);
		int e = st->old_errno;
		if (st->old_stuck[0]) {
			char *at = diag_visible(st->old_stuck);
			char *why = why_not_removed(st->old_stuck, e);
			fprintf(stderr, "partnermap: could not remove '%s', a site "
				"left beside the output folder: '%s' in it would not "
				"go: %s\n", shown, at, why);
			FREE_ALL(at, why);
		} else {
			fprintf(stderr, "partnermap: could not remove '%s', a site "
				"left beside the output folder: %s; remove it "
				"yourself\n", shown, strerror(e));
		}
		free(shown);
	}
	if (st->lock_refused) {
		char *path = stage_beside(out, STAGE_LOCK_SUFFIX);
		fprintf(stderr, "partnermap: did not use '%s': %s; this build "
			"ran without it\n", path, st->lock_why);
		free(path);
	}
	static const struct {
		const char *suffix, *what, *cost;
	} kept[] = {
		{REUSE_MANIFEST_SUFFIX, "the list of pages", "render every page"},
		{RCACHE_SUFFIX, "the parsed records", "read every record"},
		{REUSE_PIECES_SUFFIX, "where each record's piece of the open "
		 "data lies", "make every piece"},
		{MAPCACHE_SUFFIX, "the simplified basemap",
		 "simplify the basemap"},
	};
	const int err[] = {st->manifest_errno, st->cache_errno, st->pieces_errno,
			   st->map_errno};
	const int refused[] = {st->manifest_refused, st->cache_refused,
			       st->pieces_refused, st->map_refused};
	const int damaged[] = {st->manifest_damaged, st->cache_damaged,
			       st->pieces_damaged, st->map_damaged};
	for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++) {
		if (damaged[k] && !err[k]) {
			char *path = stage_beside(out, kept[k].suffix);
			fprintf(stderr, "partnermap: did not use '%s': it was "
				"cut short or changed since a build wrote it; "
				"this build had to %s, and wrote a new one\n",
				path, kept[k].cost);
			free(path);
		}
		if (refused[k] && !err[k]) {
			char *path = stage_beside(out, kept[k].suffix);
			fprintf(stderr, "partnermap: did not use '%s': %s; "
				"this build wrote its own\n", path,
				fs_plain_refusal(refused[k]));
			free(path);
		}
		if (!err[k])
			continue;
		char *path = stage_beside(out, kept[k].suffix), *flag = NULL;
		char *dir = fs_folder_of(path, ".");
		if (err[k] == EPERM)
			flag_of(path, dir, dir, NULL, &flag);
		fprintf(stderr, "partnermap: could not keep %s in '%s' (%s): %s; "
			"the next build may %s again\n", kept[k].what, path,
			strerror(err[k]), flag ? flag : unsaved_hint(err[k]),
			kept[k].cost);
		FREE_ALL(path, dir, flag);
	}
	free(out);
}

/* The last line of a run: what was built and where (on says), or what
 * went wrong (on stderr). */
static void say_done(int rc, int check_only, const build_stats *st,
		   const char *out, FILE *says)
{
	/* the folder as typed, its control characters written out */
	char *shown = diag_visible(out);
	if (rc == EXIT_BUILT && check_only)
		fprintf(says, "partnermap: checked %zu institution%s, %zu network%s, %zu page%s: ok\n",
		       st->institutions, plural(st->institutions), st->networks,
		       plural(st->networks), st->pages, plural(st->pages));
	else if (rc == EXIT_BUILT) {
		fprintf(says, "partnermap: built %zu institution%s in %zu countr%s, %zu network%s, "
		       "%zu page%s: %zu file%s, %zu KB in %s",
		       st->institutions, plural(st->institutions), st->countries,
		       st->countries == 1 ? "y" : "ies", st->networks,
		       plural(st->networks), st->pages, plural(st->pages),
		       st->files, plural(st->files), (st->bytes + 1023) / 1024, shown);
		/* pages whose inputs did not change (publish/reuse.h), in the
		 * words serve uses */
		if (st->kept)
			fprintf(says, " (%zu page%s kept from the last build)",
				st->kept, plural(st->kept));
		fputc('\n', says);
	} else if (check_only) /* nothing to write: no build failed */
		fprintf(stderr, "partnermap: fix the errors above\n");
	else if (rc == EXIT_CONTENT)
		fprintf(stderr, "partnermap: nothing was written; fix the errors above\n");
	else
		fprintf(stderr, "partnermap: the build failed; %s\n",
			after_failure(out, st));
	free(shown);
}

/* Is a "--name", "--name=VALUE" or (with a short form) "-x"? */
static int is_option(const char *a, const char *shortname, const char *longname)
{
	size_t n = strlen(longname);
	if (shortname && !strcmp(a, shortname))
		return 1;
	return !strncmp(a, longname, n) && (a[n] == '\0' || a[n] == '=');
}

/* The problems of a build or check in the chosen form, after pm_build.
 * The text always goes to stderr; github and json add their own on
 * stdout, gitlab writes its report. Returns rc, or EXIT_FAILURE_IO when
 * the report cannot be written. */
static int give_problems(const diags_t *d, int format, const char *report,
			 const char *site_dir, int rc)
{
	char *text = NULL;
	if (format == REPORT_GITHUB || format == REPORT_GITLAB) {
		/* paths from the repository's top folder */
		report_where w;
		report_where_find(&w, site_dir, getenv(format == REPORT_GITHUB ?
					"GITHUB_WORKSPACE" : "CI_PROJECT_DIR"));
		if (format == REPORT_GITHUB) {
			buf_t b = BUF_INIT;
			report_github(d, &w, &b);
			text = buf_detach(&b);
		} else {
			text = report_gitlab(d, &w);
		}
		report_where_free(&w);
	} else if (format == REPORT_JSON) {
		text = report_json(d);
	}
	if (text && format != REPORT_GITLAB) {
		fputs(text, stdout);
		fflush(stdout);
	}
	diags_print(d, stderr);
	if (text && format == REPORT_GITLAB) {
		if (scaffold_write_file("the report", "--report", report, text))
			rc = EXIT_FAILURE_IO;
	}
	free(text);
	return rc;
}

static int run(int argc, char **argv, int check_only)
{
	const char *cmd = check_only ? "check " : "build ";
	build_options o = {.site_dir = ".", .check_only = check_only,
			   .version = PM_VERSION};
	int quiet = 0, format = REPORT_TEXT;
	const char *report = NULL;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int bad = 0;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(check_only ? usage_check : usage_build, stdout);
			fputs(usage_ci, stdout);
			return EXIT_BUILT;
		} else if (check_only && !strcmp(a, "--list-checks")) {
			diags_print_checks(stdout);
			return EXIT_BUILT;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (!check_only && !strcmp(a, "--clean")) {
			o.clean = 1;
		} else if (!strcmp(a, "--strict")) {
			o.strict = 1;
		} else if (is_option(a, NULL, "--format")) {
			const char *v = option_value(argc, argv, &i, a, "--format", &bad);
			if (!bad && (format = report_format_from(v)) < 0)
				return usage_error("'--format' wants text, github, gitlab or json, not '%s'",
						   v, cmd);
		} else if (is_option(a, NULL, "--report")) {
			report = option_value(argc, argv, &i, a, "--report", &bad);
		} else if (!strncmp(a, "-C", 2) || !strncmp(a, "--site", 6)) {
			if (a[1] == '-' && a[6] != '\0' && a[6] != '=')
				return usage_error("unknown option '%s'", a, cmd);
			o.site_dir = option_value(argc, argv, &i, a, "--site", &bad);
		} else if (!check_only && (!strncmp(a, "-o", 2) || !strncmp(a, "--output", 8))) {
			if (a[1] == '-' && a[8] != '\0' && a[8] != '=')
				return usage_error("unknown option '%s'", a, cmd);
			o.out_dir = option_value(argc, argv, &i, a, "--output", &bad);
		} else if (!check_only && (!strncmp(a, "-j", 2) || !strncmp(a, "--jobs", 6))) {
			if (a[1] == '-' && a[6] != '\0' && a[6] != '=')
				return usage_error("unknown option '%s'", a, cmd);
			const char *v = option_value(argc, argv, &i, a, "--jobs", &bad);
			char *end = NULL;
			long n = v ? strtol(v, &end, 10) : 0;
			if (!bad && (!end || *end || n < 1 || n > PM_JOBS_MAX))
				return usage_error("'%s' wants a number of threads from 1 to "
						   PM_STR(PM_JOBS_MAX), a, cmd);
			o.jobs = (int)n;
		} else if (a[0] == '-') {
			return usage_error("unknown option '%s'", a, cmd);
		} else {
			return usage_error("unexpected argument '%s'", a, cmd);
		}
		if (bad)
			return usage_error("option '%s' needs a value", a, cmd);
	}
	if (format == REPORT_GITLAB && !report)
		return usage_error("%s", "--format=gitlab needs --report FILE, "
				   "the Code Quality report to write (such as "
				   "--report gl-code-quality-report.json)", cmd);
	if (report && format != REPORT_GITLAB)
		return usage_error("%s", "--report is only for --format=gitlab", cmd);
	if (report && !strcmp(report, "-"))
		return usage_error("%s", "--report - would write a file called '-': "
				   "the report goes to a file (such as --report "
				   "gl-code-quality-report.json); --format=json "
				   "prints the problems on standard output", cmd);
	const char *paths[][2] = {{"-C", o.site_dir}, {"-o", o.out_dir},
				  {"--report", report}};
	int (*const usable[])(const char *, const char *, const char *) = {
		scaffold_path_usable, scaffold_folder_usable,
		scaffold_file_usable};
	for (size_t k = 0; k < sizeof paths / sizeof *paths; k++)
		if (usable[k](check_only ? "check" : "build", paths[k][0],
			      paths[k][1]))
			return EXIT_USAGE;

	diags_t d = DIAGS_INIT;
	build_stats st;
	char *datadir = data_dir();
	o.datadir = datadir;
	o.source_date_epoch = getenv("SOURCE_DATE_EPOCH");
	o.cancel = &interrupted;
	/* Forces the swap without RENAME_EXCHANGE, for its tests. */
	o.no_exchange = getenv("PARTNERMAP_TEST_NO_EXCHANGE") != NULL;
	/* A failure half way through an in-place commit, for its tests. */
	o.fail_move = getenv("PARTNERMAP_TEST_FAIL_MOVE");
	/* A smaller cap on the whole site's bytes, for its tests. */
	const char *cap = getenv("PARTNERMAP_TEST_MAX_SITE_BYTES");
	o.max_site_bytes = cap ? (size_t)strtoull(cap, NULL, 10) : 0;
	/* The output folder as the user would name it: as given, or the
	 * default inside the site folder. */
	char *out = o.out_dir ? xstrdup(o.out_dir)
		    : strcmp(o.site_dir, ".") ? fs_join(o.site_dir, "output")
		    : xstrdup("output");
	if (report && scaffold_file_outside_output(check_only ? "check" : "build",
						   "--report", report, out,
						   o.site_dir)) {
		free(out);
		free(datadir);
		return EXIT_USAGE;
	}
	if (!check_only)
		catch_signals();
	/* a build fills its model once and exits: its heap on huge pages
	 * (util/heap.h), 1 GiB of address space, taken only as touched */
	heap_use_huge_pages((size_t)1 << 30);
	/* what the build did, said by the last line; the exit status also
	 * counts the report, written after the site was in place */
	int built = pm_build(&o, &d, &st);
	free(datadir);
	int rc = give_problems(&d, format, report, o.site_dir, built);
	diags_free(&d);
	int sig = atomic_load(&interrupted);
	/* with json, stdout holds the JSON alone */
	FILE *says = format == REPORT_JSON ? stderr : stdout;
	if (sig)
		fprintf(stderr, "partnermap: interrupted by %s; %s\n", signal_name(sig),
			built == EXIT_BUILT ? "the new site was already in place"
					    : after_failure(out, &st));
	/* -q leaves out the line of a build that worked, not the one that
	 * says what a failed one left in OUT_DIR */
	else if (!quiet || built != EXIT_BUILT)
		say_done(built, check_only, &st, out, says);
	if (!sig && built == EXIT_BUILT && rc != EXIT_BUILT) {
		/* the report failed (said above): the last line says so, and
		 * what the site is, since the exit status is not 0 */
		fflush(says);
		fprintf(stderr, "partnermap: the report was not written; %s\n",
			check_only ? "the check itself passed" :
			"the site was built and is in place");
	}
	if (built == EXIT_BUILT && !check_only) {
		fflush(says); /* after the last line, on a pipe too */
		say_unsaved(&st, out);
	}
	free(out);
	if (sig) {
		fflush(stdout);
		return die_of(sig);
	}
	return rc;
}

/* partnermap serve: builds as build does; a signal stops it (status 0). */
static int serve(int argc, char **argv)
{
	char *datadir = data_dir();
	build_options o = {.version = PM_VERSION, .datadir = datadir,
			   .source_date_epoch = getenv("SOURCE_DATE_EPOCH")};
	catch_signals();
	int rc = cmd_serve(argc - 1, argv + 1, &o, &interrupted);
	free(datadir);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing command (build, check, serve, new, init or schema)", "");
	const char *cmd = argv[1];
	/* cJSON's hooks are set once, before any thread (util/arena.h) */
	arena_install();
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return EXIT_BUILT;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("partnermap %s\n", PM_VERSION);
		return EXIT_BUILT;
	}
	if (!strcmp(cmd, "build"))
		return run(argc, argv, 0);
	if (!strcmp(cmd, "check"))
		return run(argc, argv, 1);
	if (!strcmp(cmd, "serve"))
		return serve(argc, argv);
	if (!strcmp(cmd, "new") || !strcmp(cmd, "init")) {
		char *datadir = data_dir();
		int rc = cmd[0] == 'n' ? cmd_new(argc - 1, argv + 1, datadir) :
			 cmd_init(argc - 1, argv + 1, datadir);
		free(datadir);
		return rc;
	}
	if (!strcmp(cmd, "schema"))
		return cmd_schema(argc - 1, argv + 1);
	static const char *const commands[] = {"build", "check", "serve", "new",
					       "init", "schema", NULL};
	static const char *const options[] = {"--help", "--version", NULL};
	/* --verison before any command is a mistyped option */
	int option = cmd[0] == '-';
	const char *meant = hint_from(cmd, option ? options : commands);
	const char *what = option ? "option" : "command";
	char *msg = meant ? xasprintf("unknown %s '%s'; did you mean '%s'?",
				      what, cmd, meant)
			  : xasprintf("unknown %s '%s'", what, cmd);
	int rc = usage_error("%s", msg, "");
	free(msg);
	return rc;
}
