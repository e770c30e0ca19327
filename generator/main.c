/* main.c - the command line: partnermap build | check | new | init. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "build.h"
#include "scaffold/scaffold.h"
#include "scaffold/schema.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

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
	"  new      start a record: new institution|network|page NAME\n"
	"  init     start a site in a new folder: init DIR\n"
	"  schema   the keys of each document: JSON Schema, or --markdown\n"
	"\n"
	"Options:\n"
	"  -h, --help       show this help (also: partnermap build --help,\n"
	"                   new --help, init --help, schema --help)\n"
	"  -V, --version    show the version\n"
	"\n"
	"Exit status: 0 built, 1 the content has errors (nothing written),\n"
	"2 bad command line, 3 I/O or internal failure (previous output kept).\n";

static const char usage_build[] =
	"Usage: partnermap build [-C SITE_DIR] [-o OUT_DIR] [-j N]\n"
	"\n"
	"Build the site in SITE_DIR (default: the current folder) into OUT_DIR\n"
	"(default: SITE_DIR/output). The site is written into a staging folder\n"
	"beside OUT_DIR and swapped into place only when all of it was written;\n"
	"on any error the previous output is left as it was.\n"
	"\n"
	"Options:\n"
	"  -C, --site DIR     the site folder (holds site.yml and content/)\n"
	"  -o, --output DIR   where to write the site\n"
	"  -j, --jobs N       render on N threads (default: one per processor)\n"
	"  -q, --quiet        print nothing but problems\n"
	"  -h, --help         show this help\n";

static const char usage_check[] =
	"Usage: partnermap check [-C SITE_DIR]\n"
	"\n"
	"Load and validate site.yml, every record, the basemap and the theme,\n"
	"print every problem as path:line:col, and write nothing.\n"
	"\n"
	"Options:\n"
	"  -C, --site DIR     the site folder (holds site.yml and content/)\n"
	"  -q, --quiet        print nothing but problems\n"
	"  -h, --help         show this help\n";

static int usage_error(const char *fmt, const char *arg, const char *cmd)
{
	fputs("partnermap: ", stderr);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'partnermap %s--help'.\n", cmd);
	return EXIT_USAGE;
}

/* The value of an option given as "-C DIR", "--site DIR" or "--site=DIR". */
static const char *option_value(int argc, char **argv, int *i, const char *arg,
				const char *longname, int *bad)
{
	size_t n = strlen(longname);
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
 * another prefix still finds its theme; else the configured one. */
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
		}
	}
	return xstrdup(PM_DATADIR);
}

static int run(int argc, char **argv, int check_only)
{
	const char *cmd = check_only ? "check " : "build ";
	build_options o = {.site_dir = ".", .check_only = check_only,
			   .version = PM_VERSION};
	int quiet = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int bad = 0;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(check_only ? usage_check : usage_build, stdout);
			return EXIT_BUILT;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (!strcmp(a, "-C") || !strncmp(a, "--site", 6)) {
			if (a[1] == '-' && a[6] != '\0' && a[6] != '=')
				return usage_error("unknown option '%s'", a, cmd);
			o.site_dir = option_value(argc, argv, &i, a, "--site", &bad);
		} else if (!check_only && (!strcmp(a, "-o") || !strncmp(a, "--output", 8))) {
			if (a[1] == '-' && a[8] != '\0' && a[8] != '=')
				return usage_error("unknown option '%s'", a, cmd);
			o.out_dir = option_value(argc, argv, &i, a, "--output", &bad);
		} else if (!check_only && (!strcmp(a, "-j") || !strncmp(a, "--jobs", 6))) {
			if (a[1] == '-' && a[6] != '\0' && a[6] != '=')
				return usage_error("unknown option '%s'", a, cmd);
			const char *v = option_value(argc, argv, &i, a, "--jobs", &bad);
			char *end = NULL;
			long n = v ? strtol(v, &end, 10) : 0;
			if (!bad && (!end || *end || n < 1 || n > 64))
				return usage_error("'%s' wants a number of threads from 1 to 64", a, cmd);
			o.jobs = (int)n;
		} else if (a[0] == '-') {
			return usage_error("unknown option '%s'", a, cmd);
		} else {
			return usage_error("unexpected argument '%s'", a, cmd);
		}
		if (bad)
			return usage_error("option '%s' needs a value", a, cmd);
	}

	diags_t d = DIAGS_INIT;
	build_stats st;
	char *datadir = data_dir();
	o.datadir = datadir;
	o.source_date_epoch = getenv("SOURCE_DATE_EPOCH");
	int rc = pm_build(&o, &d, &st);
	free(datadir);
	diags_print(&d, stderr);
	diags_free(&d);
	if (quiet)
		return rc;
	if (rc == EXIT_BUILT && check_only)
		printf("partnermap: checked %zu institutions, %zu networks, %zu pages: ok\n",
		       st.institutions, st.networks, st.pages);
	else if (rc == EXIT_BUILT)
		printf("partnermap: built %zu institutions in %zu countries, %zu networks, "
		       "%zu pages: %zu files, %zu KB in %s\n",
		       st.institutions, st.countries, st.networks, st.pages, st.files,
		       (st.bytes + 1023) / 1024,
		       o.out_dir ? o.out_dir : (strcmp(o.site_dir, ".") ? "SITE_DIR/output" : "output/"));
	else if (rc == EXIT_CONTENT)
		fprintf(stderr, "partnermap: nothing was written; fix the errors above\n");
	else
		fprintf(stderr, "partnermap: the build failed; the previous output was kept\n");
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing command (build, check, new, init or schema)", "");
	const char *cmd = argv[1];
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
	if (!strcmp(cmd, "new") || !strcmp(cmd, "init")) {
		char *datadir = data_dir();
		int rc = cmd[0] == 'n' ? cmd_new(argc - 1, argv + 1, datadir) :
			 cmd_init(argc - 1, argv + 1, datadir);
		free(datadir);
		return rc;
	}
	if (!strcmp(cmd, "schema"))
		return cmd_schema(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", cmd, "");
}
