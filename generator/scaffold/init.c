/* init.c - partnermap init DIR: a site folder that builds at once.
 *
 * Every file the site needs is inside it: the basemap is copied from the
 * installed one, since a site may not name files outside its folder. The
 * theme is the installed default one, found the way build finds it. */
#include "scaffold.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../build.h"
#include "../util/fs.h"
#include "schema.h"

static const char usage_init[] =
	"Usage: partnermap init DIR [-q]\n"
	"\n"
	"Start a site in DIR, a new or empty folder: site.yml, a sample network,\n"
	"institution and page, the basemap (copied from the installed one), a\n"
	".gitignore, a GitHub Actions workflow that checks pull requests and\n"
	"publishes main to GitHub Pages, and frontmatter.json, the record kinds\n"
	"for the Front Matter CMS editor. The site builds at once with the\n"
	"installed default theme: cd DIR && partnermap build.\n"
	"\n"
	"Options:\n"
	"  -q, --quiet        print nothing but problems\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 written, 1 DIR is not empty (nothing written),\n"
	"2 bad command line, 3 I/O failure or partnermap not fully installed\n"
	"(nothing left behind).\n";

static const char site_yml[] =
	"# The site's settings: see partnermap(1) for every key.\n"
	"title: Partner Network\n"
	"description: A map and directory of the institutions that exchange students with us.\n"
	"base_url: https://example.org/partners/   # where output/ will be published\n"
	"language: en\n"
	"theme: default   # the installed theme, or your own in themes/<name>/\n"
	"intro: Find a partner institution on the map, or search the directory.\n"
	"sample_note: Sample data. Replace the example records with your own.\n"
	"map:\n"
	"  basemap: geodata/naturalearth_lowres.shp\n"
	"  iso_field: iso_a3\n"
	"  name_field: name\n"
	"  projection: equal-earth\n"
	"  graticule: true\n";

static const char network_md[] =
	"---\n"
	"name: Example Network\n"
	"kind: global\n"
	"colour: \"#0072b2\"\n"
	"description: Every partner institution of this sample site.\n"
	"---\n"
	"A sample network. Rename it, or start others with\n"
	"`partnermap new network \"Name\"`.\n";

static const char institution_md[] =
	"---\n"
	"# Sample data: replace it with a real partner, or delete this file once\n"
	"# there are others (partnermap new institution \"Name\" starts one).\n"
	"name: Example Medical School\n"
	"country: KE\n"
	"city: Nairobi\n"
	"location: [-1.2921, 36.8219]\n"
	"networks: [example-network]\n"
	"exchanges: [undergraduate, postgraduate]\n"
	"electives: [clinical, research]\n"
	"website: https://example.org/\n"
	"email: electives@example.org\n"
	"---\n"
	"A sample record. Describe the institution for visiting students: what\n"
	"it teaches, the electives it offers and how to apply.\n";

static const char page_md[] =
	"---\n"
	"title: About\n"
	"menu: 1\n"
	"---\n"
	"This site shows the institutions that exchange students with us. It is\n"
	"sample text: write your own, in Markdown.\n";

static const char gitignore[] =
	"# partnermap build writes output/ (through output.staging-*/)\n"
	"/output/\n"
	"/output.staging-*/\n"
	"/output.old-*/\n"
	"# and beside it what it keeps for the next build: the manifest, the\n"
	"# record cache, the pieces' tables, the lock\n"
	"/.output.partnermap-*\n";

/* examples/ci/github-pages.yml, the recipe shipped for GitHub: the
 * Makefile makes each of its lines a C string (build/gen). */
static const char workflow_yml[] =
#include "github_pages.h"
	;

/* The files init writes, by path inside DIR. */
static const struct {
	const char *path, *text;
} site_files[] = {
	{"site.yml", site_yml},
	{"content/networks/example-network.md", network_md},
	{"content/institutions/example-medical-school.md", institution_md},
	{"content/pages/about.md", page_md},
	{".gitignore", gitignore},
	{".github/workflows/partnermap.yml", workflow_yml},
};

/* Front Matter CMS's settings, made from the tables of keys (schema.h). */
#define CMS_FILE "frontmatter.json"

/* What init puts at the top of DIR: all of it is removed on failure. */
static const char *const top_entries[] = {
	"site.yml", "content", "geodata", ".gitignore", ".github", CMS_FILE,
	NULL};

#define BASEMAP "naturalearth_lowres"
/* The basemap's parts: the first three are needed, the others copied
 * when installed. */
static const char *const basemap_parts[] = {"shp", "shx", "dbf", "prj", "cpg",
					    NULL};

#define usage_error(...) scaffold_usage_error("init", __VA_ARGS__)

/* 1 when dir, trailing slashes aside, is a symbolic link, after an error
 * in d: init would write the site where the link points, which the user
 * did not name, or make a folder there (a dangling link). */
static int is_link(const char *dir, diags_t *d)
{
	char *name = xstrdup(dir);
	for (size_t n = strlen(name); n > 1 && name[n - 1] == '/'; n--)
		name[n - 1] = '\0';
	char to[4096];
	ssize_t n = readlink(name, to, sizeof to - 1);
	if (n < 0) {
		free(name);
		return 0;
	}
	to[n] = '\0';
	/* a relative link is read from the folder that holds it */
	const char *slash = strrchr(name, '/');
	char *where = to[0] == '/' || !slash ? xstrdup(to) :
		      xasprintf("%.*s/%s", (int)(slash - name), name, to);
	diag_error(d, dir, 1, 1,
		   "this is a symbolic link (to %s), and partnermap init writes "
		   "only into the folder it is given: give the folder itself "
		   "(partnermap init %s), or the name of a new folder", to,
		   where);
	free(where);
	free(name);
	return 1;
}

/* 1 when dir does not exist, 0 when it is an empty folder; otherwise an
 * error in d and -1. */
static int dir_state(const char *dir, diags_t *d)
{
	if (is_link(dir, d))
		return -1;
	DIR *h = opendir(dir);
	if (!h && errno == ENOENT)
		return 1;
	if (!h && errno == ENOTDIR) {
		diag_error(d, dir, 1, 1,
			   "this is a file, not a folder: give partnermap init the name of a new folder");
		return -1;
	}
	if (!h) {
		fatal_at(d, dir, "cannot read the folder: %s; check its permissions, or give another folder",
			 strerror(errno));
		return -1;
	}
	struct dirent *e;
	const char *first = NULL;
	while (!first && (e = readdir(h)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			first = e->d_name;
	if (first)
		diag_error(d, dir, 1, 1,
			   "the folder is not empty (it holds %s): partnermap init writes only into a new or empty folder, so that it never mixes a site with other files; give it another folder",
			   first);
	closedir(h);
	return first ? -1 : 0;
}

/* 1 when path (freed here) is there as there() says; else 0, with a fatal
 * error saying that what is not installed. */
static int is_installed(const char *what, char *path,
			int (*there)(const char *), diags_t *d)
{
	int ok = there(path);
	if (!ok)
		diag_fatal(d, NULL,
			   "%s is not installed (no %s): install partnermap with make install, then run partnermap init again",
			   what, path);
	free(path);
	return ok;
}

/* The installed theme and basemap must be there for the site to build.
 * The basemap is one thing to install: told once, at its first part
 * missing, not once per part. */
static int installed(const char *datadir, diags_t *d)
{
	int ok = is_installed("the default theme",
			      fs_join(datadir, "themes/default/templates"),
			      fs_is_dir, d);
	int part = 0;
	while (part < 3) {
		char *path = xasprintf("%s/geodata/" BASEMAP ".%s", datadir,
				       basemap_parts[part]);
		int there = fs_exists(path);
		free(path);
		if (!there)
			break;
		part++;
	}
	char *fetch = fs_join(datadir, PM_BASEMAP_FETCH);
	if (part < 3 && fs_exists(fetch)) {
		/* a checkout's own ./partnermap, before make site */
		diag_fatal(d, NULL, "the basemap is not fetched yet (no "
			   "%s/geodata/" BASEMAP ".%s): run make site in %s, "
			   "which fetches it, then run partnermap init again",
			   datadir, basemap_parts[part], datadir);
		ok = 0;
	} else if (part < 3)
		ok &= is_installed("the basemap",
				   xasprintf("%s/geodata/" BASEMAP ".%s", datadir,
					     basemap_parts[part]),
				   fs_exists, d);
	free(fetch);
	return ok;
}

/* mkdir -p the folder that holds rel inside dir. */
static int make_parent(const char *dir, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	if (!slash)
		return 0;
	char *sub = xstrndup(rel, (size_t)(slash - rel));
	char *path = fs_join(dir, sub);
	int rc = fs_mkdirs(path);
	free(sub);
	free(path);
	return rc;
}

static int write_files(const char *dir, const char *datadir, diags_t *d)
{
	for (size_t i = 0; i < sizeof site_files / sizeof *site_files; i++) {
		char *path = fs_join(dir, site_files[i].path);
		if (make_parent(dir, site_files[i].path) < 0 ||
		    fs_write(path, site_files[i].text, strlen(site_files[i].text)) < 0)
			fatal_at(d, site_files[i].path,
				 "cannot write: %s; check that the disk has room and the folder is writable (nothing was left behind)",
				 strerror(errno));
		free(path);
		if (d->fatals)
			return -1;
	}
	char *cms = schema_frontmatter_cms();
	char *cms_path = fs_join(dir, CMS_FILE);
	if (fs_write(cms_path, cms, strlen(cms)) < 0)
		fatal_at(d, CMS_FILE,
			 "cannot write: %s; check that the disk has room and the folder is writable (nothing was left behind)",
			 strerror(errno));
	free(cms_path);
	free(cms);
	if (d->fatals)
		return -1;
	char *geo = fs_join(dir, "geodata");
	if (fs_mkdirs(geo) < 0)
		fatal_at(d, "geodata",
			 "cannot create the folder: %s; check that the disk has room and the folder is writable (nothing was left behind)",
			 strerror(errno));
	for (int i = 0; basemap_parts[i] && !d->fatals; i++) {
		char *from = xasprintf("%s/geodata/" BASEMAP ".%s", datadir,
				       basemap_parts[i]);
		char *rel = xasprintf("geodata/" BASEMAP ".%s", basemap_parts[i]);
		char *to = fs_join(dir, rel);
		if ((i < 3 || fs_exists(from)) && fs_copy(from, to) < 0)
			fatal_at(d, rel,
				 "cannot copy the basemap from %s: %s; check that the disk has room and that the installed file is readable (nothing was left behind)",
				 from, strerror(errno));
		free(from);
		free(rel);
		free(to);
	}
	free(geo);
	return d->fatals ? -1 : 0;
}

/* Take back what a failed init wrote: the folder when init made it, else
 * only init's own entries. */
static void undo(const char *dir, int made)
{
	if (made) {
		fs_remove_tree(dir);
		return;
	}
	for (const char *const *e = top_entries; *e; e++) {
		char *path = fs_join(dir, *e);
		fs_remove_tree(path);
		free(path);
	}
}

static void tell_next(const char *dir)
{
	printf("partnermap: started a site in %s\n", dir);
	printf("  build it: cd %s && partnermap build   (then open output/index.html)\n",
	       dir);
	printf("  add partners: partnermap new institution \"Name\", then delete the sample one\n");
	printf("  to publish with GitHub Pages, set PARTNERMAP_GIT in .github/workflows/partnermap.yml\n");
}

static int init_site(const char *dir, const char *datadir, diags_t *d)
{
	int state = dir_state(dir, d);
	if (state < 0)
		return d->fatals ? EXIT_FAILURE_IO : EXIT_CONTENT;
	if (!installed(datadir, d))
		return EXIT_FAILURE_IO;
	if (fs_mkdirs(dir) < 0) {
		fatal_at(d, dir, "cannot create the folder: %s; check that its parent is a folder you may write to",
			 strerror(errno));
		return EXIT_FAILURE_IO;
	}
	if (write_files(dir, datadir, d) < 0) {
		undo(dir, state == 1);
		return EXIT_FAILURE_IO;
	}
	return EXIT_BUILT;
}

int cmd_init(int argc, char **argv, const char *datadir)
{
	const char *dir = NULL;
	int quiet = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_init, stdout);
			return EXIT_BUILT;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option '%s'", a);
		} else if (dir) {
			return usage_error("unexpected argument '%s': init makes one site folder", a);
		} else if (!a[0]) {
			return usage_error("the folder name is empty");
		} else {
			dir = a;
		}
	}
	if (!dir)
		return usage_error("missing folder: partnermap init DIR");
	int bad = scaffold_path_usable("init", "init", dir);
	if (bad)
		return bad;
	diags_t d = DIAGS_INIT;
	int rc = init_site(dir, datadir, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (rc == EXIT_BUILT && !quiet)
		tell_next(dir);
	return rc;
}
