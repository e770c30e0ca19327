/* test_safefs.c - reading a site folder nobody vouches for: every file
 * stays inside the site (or the installed theme), is a regular file and
 * keeps within its size limit. Each test builds hostile trees in a fresh
 * temporary folder: links to /etc/passwd and /proc/self/environ, a folder
 * linked to /etc, link chains and loops, named pipes, devices, files over
 * the limit; and links inside the site, which must keep working. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basemap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "geo/geo.h"
#include "check.h"
#include "fixture.h"
#include "load/load.h"
#include "publish/assets.h"
#include "publish/stage.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/safefs.h"

/* What a file outside the site holds: it must never show up. */
#define SECRET "PM-SECRET-7f3a9c"

typedef struct fixture {
	char dir[256];  /* the temporary folder */
	char *site;     /* dir/site: the root */
	char *outside;  /* dir/outside: holds secret.txt */
	sfs_root root;
	diags_t d;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (fixture_tmpdir(f->dir, sizeof f->dir, "pm-safefs") < 0) {
		free(f);
		return -1;
	}
	f->site = fs_join(f->dir, "site");
	f->outside = fs_join(f->dir, "outside");
	char *secret = fs_join(f->outside, "secret.txt");
	if (fs_mkdirs(f->site) < 0 || fs_mkdirs(f->outside) < 0 ||
	    fs_write(secret, SECRET "\n", strlen(SECRET) + 1) < 0 ||
	    sfs_root_init(&f->root, f->site, "site folder") < 0)
		return -1;
	free(secret);
	/* a read that blocks fails the test instead of hanging it */
	alarm(30);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	alarm(0);
	sfs_root_free(&f->root);
	diags_free(&f->d);
	fs_remove_tree(f->dir);
	free(f->site);
	free(f->outside);
	free(f);
	return 0;
}

/* ---- helpers ----------------------------------------------------------- */

/* site/rel with text, its folders made as needed. */
static void put(fixture *f, const char *rel, const char *text, size_t n)
{
	fixture_put(f->site, rel, text, n);
}

static void puts_site(fixture *f, const char *rel, const char *text)
{
	put(f, rel, text, strlen(text));
}

/* site/rel as a symbolic link to target (written as given). */
static void link_site(fixture *f, const char *rel, const char *target)
{
	char *path = fs_join(f->site, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	assert_int_equal(fs_mkdirs(path), 0);
	*slash = '/';
	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static void fifo_site(fixture *f, const char *rel)
{
	char *path = fs_join(f->site, rel);
	assert_int_equal(mkfifo(path, 0644), 0);
	free(path);
}

/* The one diagnostic there is: an error at path:1:1 saying exactly msg. */
static void assert_only_error(const diags_t *d, const char *path,
			      const char *msg)
{
	if (d->n != 1 || d->errors != 1) {
		diags_print(d, stderr);
		fail_msg("expected one error, got %zu diagnostics", d->n);
	}
	assert_int_equal(d->v[0].level, DIAG_ERROR);
	assert_string_equal(d->v[0].path, path);
	assert_int_equal(d->v[0].line, 1);
	assert_int_equal(d->v[0].col, 1);
	assert_string_equal(d->v[0].msg, msg);
}

/* A diagnostic at path saying exactly msg, among others. */
static void assert_has_error(const diags_t *d, const char *path, int line,
			     int col, const char *msg)
{
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		if (x->level == DIAG_ERROR && x->path && !strcmp(x->path, path) &&
		    x->line == line && x->col == col && !strcmp(x->msg, msg))
			return;
	}
	diags_print(d, stderr);
	fail_msg("no error %s:%d:%d: %s", path, line, col, msg);
}

/* No message carries the secret. */
static void assert_no_secret(const diags_t *d)
{
	for (size_t i = 0; i < d->n; i++)
		assert_null(strstr(d->v[i].msg, SECRET));
}

/* Read rel, expecting a refusal that leaves out as it was. */
static void assert_refused(fixture *f, const char *rel, sfs_kind kind,
			   const char *msg)
{
	buf_t out = BUF_INIT;
	buf_puts(&out, "kept");
	assert_int_equal(sfs_read(&f->root, rel, rel, kind, &out, &f->d),
			 SFS_REFUSED);
	assert_string_equal(buf_cstr(&out), "kept");
	assert_only_error(&f->d, rel, msg);
	buf_free(&out);
}

static char *read_ok(fixture *f, const char *rel)
{
	buf_t out = BUF_INIT;
	int rc = sfs_read(&f->root, rel, rel, SFS_CONTENT, &out, &f->d);
	if (rc != SFS_OK) {
		diags_print(&f->d, stderr);
		fail_msg("%s: %d", rel, rc);
	}
	assert_int_equal(f->d.n, 0);
	return buf_detach(&out);
}

/* ---- reading inside the site ------------------------------------------- */

static void test_reads_files_inside_the_site(void **state)
{
	fixture *f = *state;
	puts_site(f, "content/institutions/a.md", "---\nname: A\n---\n");
	puts_site(f, "empty.md", "");
	assert_string_equal_free(read_ok(f, "content/institutions/a.md"), "---\nname: A\n---\n");
	assert_string_equal_free(read_ok(f, "empty.md"), "");
	assert_int_equal(sfs_limit(SFS_CONTENT), PM_MAX_CONTENT);
	assert_int_equal(sfs_limit(SFS_SHP), PM_MAX_SHP);
}

static void test_links_inside_the_site_keep_working(void **state)
{
	fixture *f = *state;
	puts_site(f, "real/a.md", "A");
	puts_site(f, "real/sub/b.md", "B");
	link_site(f, "rel.md", "real/a.md");          /* relative */
	char *abs = xasprintf("%s/real/a.md", f->site); /* absolute, inside */
	link_site(f, "abs.md", abs);
	free(abs);
	link_site(f, "hop1.md", "hop2.md");           /* a chain */
	link_site(f, "hop2.md", "real/../real/a.md");
	link_site(f, "content/alias", "../real");     /* a folder */
	const char *inside[] = {"rel.md", "abs.md", "hop1.md",
				"content/alias/a.md", "content/alias/sub/b.md"};
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal_free(read_ok(f, inside[i]), i == 4 ? "B" : "A");
	}
	sfs_listing l;
	assert_int_equal(sfs_list(&f->root, "content/alias", "content/alias", &l,
				  &f->d), SFS_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "a.md");
	assert_false(l.v[0].is_dir);
	assert_string_equal(l.v[1].name, "sub");
	assert_true(l.v[1].is_dir);
	sfs_list_free(&l);
	assert_int_equal(f->d.n, 0);
}

static void test_missing_files_are_left_to_the_caller(void **state)
{
	fixture *f = *state;
	buf_t out = BUF_INIT;
	errno = 0;
	assert_int_equal(sfs_read(&f->root, "nope.md", "nope.md", SFS_CONTENT,
				  &out, &f->d), SFS_IO);
	assert_int_equal(errno, ENOENT);
	sfs_listing l;
	assert_int_equal(sfs_list(&f->root, "content/nope", "content/nope", &l,
				  &f->d), SFS_IO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(l.n, 0);
	puts_site(f, "file", "x");
	assert_int_equal(sfs_list(&f->root, "file", "file", &l, &f->d), SFS_IO);
	assert_int_equal(errno, ENOTDIR);
	assert_int_equal(f->d.n, 0);
	/* a root that does not exist reads nothing */
	sfs_root none;
	char *gone = fs_join(f->dir, "gone");
	assert_int_equal(sfs_root_init(&none, gone, "site folder"), -1);
	assert_int_equal(sfs_read(&none, "site.yml", "site.yml", SFS_CONFIG, &out,
				  &f->d), SFS_IO);
	assert_int_equal(errno, ENOENT);
	sfs_root_free(&none);
	free(gone);
	buf_free(&out);
}

static void test_missing_names_are_told_inside_the_site_alone(void **state)
{
	fixture *f = *state;
	puts_site(f, "geodata/world.shp", "x");
	char *folder = (char *)"unset";
	/* there: not missing */
	assert_int_equal(sfs_missing(&f->root, "geodata/world.shp", &folder), 0);
	assert_null(folder);
	/* missing in a folder that is there: that folder, for hints */
	assert_int_equal(sfs_missing(&f->root, "geodata/wrold.shp", &folder), 1);
	char *want = fs_join(f->root.real, "geodata");
	assert_string_equal(folder, want);
	free(want);
	free(folder);
	/* missing with its folder */
	assert_int_equal(sfs_missing(&f->root, "maps/world.shp", &folder), 1);
	assert_null(folder);
	assert_int_equal(sfs_missing(&f->root, "geodata/world.shp/x", NULL), 1);
	/* beyond a link out of the site nothing is told, there or not */
	link_site(f, "probe", f->outside);
	assert_int_equal(sfs_missing(&f->root, "probe/secret.txt", &folder), 0);
	assert_int_equal(sfs_missing(&f->root, "probe/none.shp", &folder), 0);
	assert_null(folder);
	/* nor of a path that climbs out, or a link to nothing (a read tells) */
	assert_int_equal(sfs_missing(&f->root, "../outside/none", NULL), 0);
	assert_int_equal(sfs_missing(&f->root, "/etc/none", NULL), 0);
	link_site(f, "dangling.shp", "nowhere.shp");
	assert_int_equal(sfs_missing(&f->root, "dangling.shp", NULL), 0);
	/* nor below a folder that is a link to nothing */
	link_site(f, "maps", "old-maps");
	assert_int_equal(sfs_missing(&f->root, "maps/world.shp", &folder), 0);
	assert_null(folder);
	assert_int_equal(f->d.n, 0);
}

static void test_missing_files_beyond_a_link_out_are_refused(void **state)
{
	fixture *f = *state;
	/* missing or not out there, a read says the same: the link is
	 * refused, so a site cannot probe the machine */
	link_site(f, "probe", f->outside);
	const char *names[] = {"probe/secret.txt", "probe/none.txt", "probe/a/b"};
	for (size_t k = 0; k < 3; k++) {
		buf_t out = BUF_INIT;
		assert_int_equal(sfs_read(&f->root, names[k], names[k], SFS_CONTENT,
					  &out, &f->d), SFS_REFUSED);
		assert_only_error(&f->d, names[k],
				  "probe is a symbolic link to a folder outside the "
				  "site folder: copy the folder into the site folder "
				  "instead");
		diags_free(&f->d);
		buf_free(&out);
	}
}

static void test_nothing_out_there_is_told(void **state)
{
	fixture *f = *state;
	/* a link out of the site is told the same whether what it names is
	 * there or not, and as a file or a folder by its part in the path,
	 * not by what lies out there: a site cannot probe the machine */
	char *none = fs_join(f->outside, "none");
	char *secret = fs_join(f->outside, "secret.txt");
	const char *targets[] = {secret, none, f->outside, "/etc",
				 "../../outside/none", "../../outside/secret.txt"};
	for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
		link_site(f, "geodata/l.shp", targets[k]);
		link_site(f, "ext", targets[k]);
		buf_t out = BUF_INIT;
		assert_int_equal(sfs_read(&f->root, "geodata/l.shp", "geodata/l.shp",
					  SFS_SHP, &out, &f->d), SFS_REFUSED);
		assert_only_error(&f->d, "geodata/l.shp", "geodata/l.shp is a "
				  "symbolic link to a file outside the site folder: "
				  "copy the file into the site folder instead");
		diags_free(&f->d);
		assert_int_equal(sfs_read(&f->root, "ext/x.shp", "ext/x.shp", SFS_SHP,
					  &out, &f->d), SFS_REFUSED);
		assert_only_error(&f->d, "ext/x.shp", "ext is a symbolic link to a "
				  "folder outside the site folder: copy the folder "
				  "into the site folder instead");
		diags_free(&f->d);
		assert_int_equal(sfs_missing(&f->root, "ext/x.shp", NULL), 0);
		buf_free(&out);
		char *a = fs_join(f->site, "geodata/l.shp"), *b = fs_join(f->site, "ext");
		assert_int_equal(unlink(a), 0);
		assert_int_equal(unlink(b), 0);
		free(a);
		free(b);
	}
	/* a link to nothing inside the site is still told for what it is */
	link_site(f, "geodata/l.shp", "old.shp");
	buf_t out = BUF_INIT;
	assert_int_equal(sfs_read(&f->root, "geodata/l.shp", "geodata/l.shp",
				  SFS_SHP, &out, &f->d), SFS_REFUSED);
	assert_only_error(&f->d, "geodata/l.shp", "geodata/l.shp is a symbolic "
			  "link that leads to nothing (it names 'old.shp'): remove "
			  "it, or point it at what it stands for inside the site "
			  "folder");
	buf_free(&out);
	free(none);
	free(secret);
}

/* ---- files outside the site ------------------------------------------- */
/* ---- files outside the site ------------------------------------------- */
/* ---- files outside the site ------------------------------------------- */

static void test_files_outside_the_site_are_refused_link_to_etc_passwd(void **state)
{
	fixture *f = *state;
	link_site(f, "content/institutions/x.md", "/etc/passwd");
	assert_refused(f, "content/institutions/x.md", SFS_CONTENT,
		       "content/institutions/x.md is a symbolic link to a file "
		       "outside the site folder: copy the file into the site "
		       "folder instead");
}

static void test_files_outside_the_site_are_refused_link_to_proc_environ(void **state)
{
	fixture *f = *state;
	link_site(f, "themes/t/assets/env.txt", "/proc/self/environ");
	assert_refused(f, "themes/t/assets/env.txt", SFS_ASSET,
		       "themes/t/assets/env.txt is a symbolic link to a file "
		       "outside the site folder: copy the file into the site "
		       "folder instead");
}

static void test_files_outside_the_site_are_refused_relative_link(void **state)
{
	fixture *f = *state;
	link_site(f, "content/pages/about.md", "../../../outside/secret.txt");
	assert_refused(f, "content/pages/about.md", SFS_CONTENT,
		       "content/pages/about.md is a symbolic link to a file "
		       "outside the site folder: copy the file into the site "
		       "folder instead");
	assert_no_secret(&f->d);
}

static void test_files_outside_the_site_are_refused_folder_linked_to_etc(void **state)
{
	fixture *f = *state;
	link_site(f, "content/institutions", "/etc");
	const char *msg = "content/institutions is a symbolic link to a folder "
			  "outside the site folder: copy the folder into the "
			  "site folder instead";
	sfs_listing l;
	assert_int_equal(sfs_list(&f->root, "content/institutions",
				  "content/institutions", &l, &f->d), SFS_REFUSED);
	assert_int_equal(l.n, 0);
	assert_only_error(&f->d, "content/institutions", msg);
	sfs_list_free(&l);
	diags_free(&f->d);
	/* a file under it names the link too */
	buf_t out = BUF_INIT;
	assert_int_equal(sfs_read(&f->root, "content/institutions/passwd",
				  "content/institutions/passwd", SFS_CONTENT,
				  &out, &f->d), SFS_REFUSED);
	assert_only_error(&f->d, "content/institutions/passwd", msg);
	buf_free(&out);
}

static void test_files_outside_the_site_are_refused_link_chain(void **state)
{
	fixture *f = *state;
	/* inside, inside, then out: the first link whose target is outside */
	link_site(f, "a.md", "b.md");
	link_site(f, "b.md", "sub/c.md");
	link_site(f, "sub/c.md", "/etc/passwd");
	assert_refused(f, "a.md", SFS_CONTENT,
		       "a.md is a symbolic link to a file outside the site "
		       "folder: copy the file into the site folder instead");
	diags_free(&f->d);
	/* a folder link inside the site leading to a folder link out */
	link_site(f, "geo", "geo2");
	link_site(f, "geo2", f->outside);
	assert_refused(f, "geo/secret.txt", SFS_SHP,
		       "geo is a symbolic link to a folder outside the site "
		       "folder: copy the folder into the site folder instead");
	assert_no_secret(&f->d);
}

static void test_files_outside_the_site_are_refused_link_loop(void **state)
{
	fixture *f = *state;
	link_site(f, "a.md", "b.md");
	link_site(f, "b.md", "a.md");
	assert_refused(f, "a.md", SFS_CONTENT,
		       "a.md leads through symbolic links that never end (a "
		       "loop): replace the links with the file itself");
}

/* A link to nothing is the site's own mistake, not an I/O failure: it
 * was reported as "cannot read: No such file or directory" and failed
 * the build as one (exit 3). Named at the link, file or folder on the
 * way, with what it names; a file simply missing is still the caller's. */
static void test_a_link_to_nothing_is_refused(void **state)
{
	fixture *f = *state;
	/* a file; a folder on the way, naming a control character; a chain
	 * whose last link names nothing, blamed at the first */
	static const struct {
		const char *link, *target, *read;
		sfs_kind kind;
		const char *msg;
	} cases[] = {
		{"a.md", "gone.md", "a.md", SFS_CONTENT,
		 "a.md is a symbolic link that leads to nothing (it names "
		 "'gone.md'): remove it, or point it at what it stands for "
		 "inside the site folder"},
		{"geo", "old\x1bgeo", "geo/world.shp", SFS_SHP,
		 "geo is a symbolic link that leads to nothing (it names "
		 "'old<U+001B>geo'): remove it, or point it at what it stands "
		 "for inside the site folder"},
		{"c.md", "none.md", NULL, SFS_CONTENT, NULL},
		{"b.md", "c.md", "b.md", SFS_CONTENT,
		 "b.md is a symbolic link that leads to nothing (it names "
		 "'c.md'): remove it, or point it at what it stands for "
		 "inside the site folder"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		link_site(f, cases[i].link, cases[i].target);
		if (!cases[i].read)
			continue;
		assert_refused(f, cases[i].read, cases[i].kind, cases[i].msg);
		diags_free(&f->d);
	}
	/* missing, no link: SFS_IO and nothing said */
	buf_t out = BUF_INIT;
	assert_int_equal(sfs_read(&f->root, "missing.md", "missing.md",
				  SFS_CONTENT, &out, &f->d), SFS_IO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(sfs_read(&f->root, "nodir/x.md", "nodir/x.md",
				  SFS_CONTENT, &out, &f->d), SFS_IO);
	assert_int_equal(f->d.n, 0);
	buf_free(&out);
}

static void test_files_outside_the_site_are_refused_dot_dot_and_absolute(void **state)
{
	fixture *f = *state;
	assert_refused(f, "../outside/secret.txt", SFS_SHP,
		       "../outside/secret.txt is not inside the site folder: "
		       "name a file inside the site folder, by a path relative "
		       "to it");
	diags_free(&f->d);
	assert_refused(f, "geodata/../../outside/secret.txt", SFS_SHP,
		       "geodata/../../outside/secret.txt is not inside the site "
		       "folder: name a file inside the site folder, by a path "
		       "relative to it");
	diags_free(&f->d);
	char *abs = xasprintf("%s/secret.txt", f->outside);
	char *msg = xasprintf("%s is not inside the site folder: name a file "
			      "inside the site folder, by a path relative to it",
			      abs);
	assert_refused(f, abs, SFS_SHP, msg);
	assert_no_secret(&f->d);
	free(msg);
	free(abs);
	assert_true(sfs_rel_stays_inside("geodata/x.shp"));
	assert_true(sfs_rel_stays_inside("./a/../b/./c"));
	assert_true(sfs_rel_stays_inside("a/.."));
	assert_false(sfs_rel_stays_inside("/etc/passwd"));
	assert_false(sfs_rel_stays_inside(".."));
	assert_false(sfs_rel_stays_inside("a/../../b"));
	assert_false(sfs_rel_stays_inside("./../b"));
}

static void test_files_outside_the_site_are_refused_in_a_listing(void **state)
{
	fixture *f = *state;
	puts_site(f, "content/institutions/good.md", "G");
	puts_site(f, "content/institutions/.hidden", "H");
	puts_site(f, "content/institutions/sub/x.md", "X");
	link_site(f, "content/institutions/in.md", "good.md");
	link_site(f, "content/institutions/out.md", "/etc/passwd");
	link_site(f, "content/institutions/env.md", "/proc/self/environ");
	link_site(f, "content/institutions/etc", "/etc");
	fifo_site(f, "content/institutions/pipe.md");
	sfs_listing l;
	assert_int_equal(sfs_list(&f->root, "content/institutions",
				  "content/institutions", &l, &f->d), SFS_REFUSED);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "good.md");
	assert_string_equal(l.v[1].name, "in.md");
	assert_string_equal(l.v[2].name, "sub");
	assert_true(l.v[2].is_dir);
	sfs_list_free(&l);
	assert_int_equal(f->d.errors, 4);
	assert_has_error(&f->d, "content/institutions/out.md", 1, 1,
			 "content/institutions/out.md is a symbolic link to a "
			 "file outside the site folder: copy the file into the "
			 "site folder instead");
	assert_has_error(&f->d, "content/institutions/env.md", 1, 1,
			 "content/institutions/env.md is a symbolic link to a "
			 "file outside the site folder: copy the file into the "
			 "site folder instead");
	assert_has_error(&f->d, "content/institutions/etc", 1, 1,
			 "content/institutions/etc is a symbolic link to a "
			 "folder outside the site folder: copy the folder into "
			 "the site folder instead");
	assert_has_error(&f->d, "content/institutions/pipe.md", 1, 1,
			 "content/institutions/pipe.md is a named pipe (FIFO), "
			 "not a regular file: replace it with an ordinary file");
}

static void test_listed_entries_are_read_from_the_checked_folder(void **state)
{
	fixture *f = *state;
	puts_site(f, "c/a.md", "A");
	puts_site(f, "c/b.md", "B");
	puts_site(f, "c/d.md", "D");
	puts_site(f, "c/sub.md/x", "x");
	link_site(f, "c/in.md", "a.md");
	sfs_listing l;
	assert_int_equal(sfs_list(&f->root, "c", "c", &l, &f->d), SFS_OK);
	assert_int_equal(l.n, 5);
	const char *names[] = {"a.md", "b.md", "d.md", "in.md", "sub.md"};
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(l.v[i].name, names[i]);
	assert_true(l.v[3].is_link);
	assert_false(l.v[0].is_link);
	/* a link inside, read by its path; a plain file, from the folder */
	buf_t out = BUF_INIT;
	assert_int_equal(sfs_read_entry(&f->root, &l, 3, "c/in.md", "c/in.md",
					SFS_CONTENT, &out, &f->d), SFS_OK);
	assert_int_equal(sfs_read_entry(&f->root, &l, 2, "c/d.md", "c/d.md",
					SFS_CONTENT, &out, &f->d), SFS_OK);
	assert_string_equal(buf_cstr(&out), "AD");
	buf_reset(&out);
	assert_int_equal(sfs_read_entry(&f->root, &l, 4, "c/sub.md", "c/sub.md",
					SFS_CONTENT, &out, &f->d), SFS_REFUSED);
	assert_only_error(&f->d, "c/sub.md",
			  "c/sub.md is a folder, not a file: name a file instead");
	diags_free(&f->d);
	/* swapped after the listing: a link out is not followed ... */
	char *a = fs_join(f->site, "c/a.md");
	assert_int_equal(unlink(a), 0);
	assert_int_equal(symlink("/etc/passwd", a), 0);
	assert_int_equal(sfs_read_entry(&f->root, &l, 0, "c/a.md", "c/a.md",
					SFS_CONTENT, &out, &f->d), SFS_REFUSED);
	assert_only_error(&f->d, "c/a.md",
			  "c/a.md changed while it was being opened (a file or "
			  "folder on its way was replaced): build from a checkout "
			  "nothing else is changing");
	diags_free(&f->d);
	/* ... and a named pipe neither blocks nor is read */
	char *b = fs_join(f->site, "c/b.md");
	assert_int_equal(unlink(b), 0);
	assert_int_equal(mkfifo(b, 0644), 0);
	assert_int_equal(sfs_read_entry(&f->root, &l, 1, "c/b.md", "c/b.md",
					SFS_CONTENT, &out, &f->d), SFS_REFUSED);
	assert_only_error(&f->d, "c/b.md",
			  "c/b.md is a named pipe (FIFO), not a regular file: "
			  "replace it with an ordinary file");
	assert_int_equal(out.len, 0);
	sfs_list_free(&l);
	assert_int_equal(l.fd, -1);
	buf_free(&out);
	free(a);
	free(b);
}

static void test_files_outside_the_installed_theme_are_refused(void **state)
{
	fixture *f = *state;
	/* the installed theme is its own root; messages show themes/<name> */
	char *theme = fs_join(f->dir, "prefix-theme");
	char *tpl = fs_join(theme, "templates");
	assert_int_equal(fs_mkdirs(tpl), 0);
	char *x = fs_join(tpl, "x.mustache");
	assert_int_equal(symlink("/etc/passwd", x), 0);
	sfs_root root;
	assert_int_equal(sfs_root_init(&root, theme, "installed theme's folder"), 0);
	buf_t out = BUF_INIT;
	assert_int_equal(sfs_read(&root, "templates/x.mustache",
				  "themes/default/templates/x.mustache",
				  SFS_TEMPLATE, &out, &f->d), SFS_REFUSED);
	assert_only_error(&f->d, "themes/default/templates/x.mustache",
			  "themes/default/templates/x.mustache is a symbolic "
			  "link to a file outside the installed theme's folder: "
			  "copy the file into the installed theme's folder instead");
	buf_free(&out);
	sfs_root_free(&root);
	free(x);
	free(tpl);
	free(theme);
}

/* ---- unbounded reads ------------------------------------------------------ */

static void test_unbounded_reads_are_refused_fifo(void **state)
{
	fixture *f = *state;
	fifo_site(f, "site.yml");
	assert_refused(f, "site.yml", SFS_CONFIG,
		       "site.yml is a named pipe (FIFO), not a regular file: "
		       "replace it with an ordinary file");
	diags_free(&f->d);
	/* through a link that stays inside */
	link_site(f, "via.md", "site.yml");
	assert_refused(f, "via.md", SFS_CONTENT,
		       "via.md is a named pipe (FIFO), not a regular file: "
		       "replace it with an ordinary file");
}

static void test_unbounded_reads_are_refused_links_to_devices(void **state)
{
	fixture *f = *state;
	link_site(f, "geodata/w.cpg", "/dev/zero");
	assert_refused(f, "geodata/w.cpg", SFS_CPG,
		       "geodata/w.cpg is a symbolic link to a file outside the "
		       "site folder: copy the file into the site folder instead");
	diags_free(&f->d);
	link_site(f, "geodata/w.dbf", "/dev/urandom");
	assert_refused(f, "geodata/w.dbf", SFS_DBF,
		       "geodata/w.dbf is a symbolic link to a file outside the "
		       "site folder: copy the file into the site folder instead");
}

static void test_unbounded_reads_are_refused_devices_and_folders(void **state)
{
	fixture *f = *state;
	/* a device inside the root: here the root is "/" itself */
	sfs_root all;
	assert_int_equal(sfs_root_init(&all, "/", "site folder"), 0);
	buf_t out = BUF_INIT;
	assert_int_equal(sfs_read(&all, "dev/zero", "dev/zero", SFS_CONTENT, &out,
				  &f->d), SFS_REFUSED);
	assert_only_error(&f->d, "dev/zero", "dev/zero is a device, not a "
			  "regular file: replace it with an ordinary file");
	sfs_root_free(&all);
	diags_free(&f->d);
	puts_site(f, "content/institutions/dir.md/x", "x");
	assert_refused(f, "content/institutions/dir.md", SFS_CONTENT,
		       "content/institutions/dir.md is a folder, not a file: "
		       "name a file instead");
	buf_free(&out);
}

static void test_unbounded_reads_are_refused_over_the_limit(void **state)
{
	fixture *f = *state;
	size_t mib = 1u << 20;
	char *big = xmalloc(4 * mib);
	memset(big, 'x', 4 * mib);
	/* exactly the limit is fine */
	put(f, "at.md", big, mib);
	buf_t out = BUF_INIT;
	assert_int_equal(sfs_read(&f->root, "at.md", "at.md", SFS_CONTENT, &out,
				  &f->d), SFS_OK);
	assert_int_equal(out.len, mib);
	buf_free(&out);
	/* one byte more is not, and said in bytes */
	put(f, "over.md", big, mib + 1);
	assert_refused(f, "over.md", SFS_CONTENT,
		       "over.md is 1048577 bytes; a record may be at most 1 MiB "
		       "(1048576 bytes): shorten it");
	diags_free(&f->d);
	put(f, "huge.md", big, 3355443);
	assert_refused(f, "huge.md", SFS_CONTENT,
		       "huge.md is 3.2 MiB; a record may be at most 1 MiB: "
		       "shorten it");
	diags_free(&f->d);
	put(f, "w.cpg", big, 5000);
	assert_refused(f, "w.cpg", SFS_CPG,
		       "w.cpg is 4.9 KiB; a .cpg file may be at most 4 KiB: it "
		       "should hold only the name of an encoding, such as UTF-8");
	diags_free(&f->d);
	put(f, "style.css", big, 3 * mib); /* an asset may be 16 MiB */
	assert_int_equal(sfs_read(&f->root, "style.css", "style.css", SFS_ASSET,
				  &out, &f->d), SFS_OK);
	assert_int_equal(out.len, 3 * mib);
	buf_free(&out);
	put(f, "site.yml", big, 2 * mib);
	assert_refused(f, "site.yml", SFS_CONFIG,
		       "site.yml is 2.0 MiB; site.yml may be at most 1 MiB: "
		       "shorten it");
	free(big);
	diags_free(&f->d);
	/* sparse files: their size in the unit that reads (found by a
	 * review: "102400.0 MiB") */
	static const struct {
		off_t size;
		const char *said;
	} sparse[] = {
		{(off_t)100 << 30, "sparse.md is 100.0 GiB; a record may be at "
				   "most 1 MiB: shorten it"},
		{(off_t)3 << 40, "sparse.md is 3.0 TiB; a record may be at most "
				 "1 MiB: shorten it"},
	};
	for (size_t k = 0; k < sizeof sparse / sizeof *sparse; k++) {
		char *path = fs_join(f->site, "sparse.md");
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		assert_true(fd >= 0);
		int grown = ftruncate(fd, sparse[k].size) == 0;
		close(fd);
		if (grown) /* a file system that takes such a size */
			assert_refused(f, "sparse.md", SFS_CONTENT, sparse[k].said);
		diags_free(&f->d);
		unlink(path);
		free(path);
	}
}

/* ---- the stages that read the site ------------------------------------- */

static const char site_yml[] = "title: T\nbase_url: https://example.org/\n";

static void test_records_outside_the_site_are_refused(void **state)
{
	fixture *f = *state;
	puts_site(f, "site.yml", site_yml);
	puts_site(f, "content/networks/global.md",
		  "---\nname: Global\nkind: global\n---\n");
	char *secret_md = fs_join(f->outside, "x.md");
	const char *rec = "---\nname: " SECRET "\ncountry: UG\ncity: Kampala\n"
			  "location: [0.3, 32.5]\nnetworks: [global]\n"
			  "exchanges: [undergraduate]\n---\n";
	assert_int_equal(fs_write(secret_md, rec, strlen(rec)), 0);
	link_site(f, "content/institutions/x.md", secret_md);
	free(secret_md);
	site s;
	site_init(&s);
	assert_int_equal(site_load(&s, f->site, &f->d), -1);
	assert_int_equal(s.ninst, 0);
	assert_only_error(&f->d, "content/institutions/x.md",
			  "content/institutions/x.md is a symbolic link to a file "
			  "outside the site folder: copy the file into the site "
			  "folder instead");
	assert_no_secret(&f->d);
	site_free(&s);
}

static void test_institutions_folder_linked_to_etc_is_refused(void **state)
{
	fixture *f = *state;
	puts_site(f, "site.yml", site_yml);
	link_site(f, "content/institutions", "/etc");
	site s;
	site_init(&s);
	assert_int_equal(site_load(&s, f->site, &f->d), -1);
	assert_int_equal(s.ninst, 0);
	/* one message: not a line per file of /etc, nor "missing folder" */
	assert_only_error(&f->d, "content/institutions",
			  "content/institutions is a symbolic link to a folder "
			  "outside the site folder: copy the folder into the site "
			  "folder instead");
	site_free(&s);
}

static void test_site_yml_paths_stay_inside(void **state)
{
	fixture *f = *state;
	site s;
	site_init(&s);
	const char *yml = "title: T\nbase_url: https://example.org/\nmap:\n"
			  "  basemap: /usr/share/x.shp\n"
			  "  points: geodata/../../../x.shp\n";
	assert_int_equal(config_parse(&s.cfg, yml, strlen(yml), "site.yml", &f->d),
			 -1);
	assert_int_equal(f->d.errors, 2);
	assert_has_error(&f->d, "site.yml", 4, 12,
			 "map.basemap must be a path relative to the site folder "
			 "(such as geodata/naturalearth_lowres.shp), not an "
			 "absolute path: copy the files into the site folder and "
			 "name them from there");
	assert_has_error(&f->d, "site.yml", 5, 11,
			 "map.points climbs out of the site folder with '..': copy "
			 "the files into the site folder and name them from there "
			 "(such as geodata/partners.shp)");
	site_free(&s);
	diags_free(&f->d);
	/* a ".." that stays inside is a path like any other */
	site_init(&s);
	yml = "title: T\nbase_url: https://example.org/\nmap:\n"
	      "  basemap: other/../geodata/w.shp\n";
	assert_int_equal(config_parse(&s.cfg, yml, strlen(yml), "site.yml", &f->d),
			 0);
	assert_string_equal(s.cfg.map.basemap, "other/../geodata/w.shp");
	site_free(&s);
}

static void test_site_yml_outside_the_site_is_refused(void **state)
{
	fixture *f = *state;
	char *secret = fs_join(f->outside, "secret.txt");
	link_site(f, "site.yml", secret);
	free(secret);
	site s;
	site_init(&s);
	assert_int_equal(config_load(&s.cfg, f->site, &f->d), -1);
	assert_only_error(&f->d, "site.yml",
			  "site.yml is a symbolic link to a file outside the site "
			  "folder: copy the file into the site folder instead");
	assert_string_equal(s.cfg.theme, "default"); /* defaults even so */
	site_free(&s);
}

/* The real basemap's parts copied into site/geodata (or dir/name). */
static void copy_basemap(const char *to)
{
	static const char *const ext[] = {"shp", "shx", "dbf", "prj", "cpg"};
	assert_int_equal(fs_mkdirs(to), 0);
	for (size_t i = 0; i < 5; i++) {
		char *from = xasprintf("geodata/naturalearth_lowres.%s", ext[i]);
		char *dst = xasprintf("%s/naturalearth_lowres.%s", to, ext[i]);
		assert_int_equal(fs_copy(from, dst), 0);
		free(from);
		free(dst);
	}
}

static int read_basemap(fixture *f, geo_layer *l)
{
	const char *rel = "geodata/naturalearth_lowres.shp";
	return geo_read_polygons_in(&f->root, rel, rel, "iso_a3", "name", NULL, l,
				    &f->d);
}

/* Put a link to target (or, when target is NULL, a named pipe) in place
 * of one part of site/geodata's basemap. */
static void replace_part(fixture *f, const char *ext, const char *target)
{
	char *path = xasprintf("%s/geodata/naturalearth_lowres.%s", f->site, ext);
	assert_int_equal(unlink(path), 0);
	if (target)
		assert_int_equal(symlink(target, path), 0);
	else
		assert_int_equal(mkfifo(path, 0644), 0);
	free(path);
}

static void restore_part(fixture *f, const char *ext)
{
	char *path = xasprintf("%s/geodata/naturalearth_lowres.%s", f->site, ext);
	char *from = xasprintf("geodata/naturalearth_lowres.%s", ext);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(fs_copy(from, path), 0);
	free(from);
	free(path);
}

/* Replace one part, expect exactly msg about it, then put it back. */
static void assert_part_refused(fixture *f, const char *ext,
				const char *target, const char *msg)
{
	geo_layer l;
	char *shown = xasprintf("geodata/naturalearth_lowres.%s", ext);
	replace_part(f, ext, target);
	assert_int_equal(read_basemap(f, &l), -1);
	assert_only_error(&f->d, shown, msg);
	geo_layer_free(&l);
	diags_free(&f->d);
	restore_part(f, ext);
	free(shown);
}

static void test_basemap_parts_are_confined(void **state)
{
	fixture *f = *state;
	if (basemap_missing())
		return;
	char *geo = fs_join(f->site, "geodata");
	copy_basemap(geo);
	geo_layer l;
	/* as copied: fine */
	assert_int_equal(read_basemap(f, &l), 0);
	assert_int_equal(l.n, 177);
	geo_layer_free(&l);
	assert_part_refused(f, "prj", "/proc/self/environ",
			    "geodata/naturalearth_lowres.prj is a symbolic link "
			    "to a file outside the site folder: copy the file "
			    "into the site folder instead");
	assert_part_refused(f, "shp", "/etc/passwd",
			    "geodata/naturalearth_lowres.shp is a symbolic link "
			    "to a file outside the site folder: copy the file "
			    "into the site folder instead");
	/* special files: refused before they are opened, without blocking */
	assert_part_refused(f, "dbf", NULL,
			    "geodata/naturalearth_lowres.dbf is a named pipe "
			    "(FIFO), not a regular file: replace it with an "
			    "ordinary file");
	assert_part_refused(f, "cpg", "/dev/zero",
			    "geodata/naturalearth_lowres.cpg is a symbolic link "
			    "to a file outside the site folder: copy the file "
			    "into the site folder instead");
	assert_part_refused(f, "shx", "/dev/urandom",
			    "geodata/naturalearth_lowres.shx is a symbolic link "
			    "to a file outside the site folder: copy the file "
			    "into the site folder instead");
	fs_remove_tree(geo);
	/* geodata a link to a folder outside holding a good basemap */
	char *far = fs_join(f->outside, "geodata");
	copy_basemap(far);
	assert_int_equal(symlink(far, geo), 0);
	assert_int_equal(read_basemap(f, &l), -1);
	assert_only_error(&f->d, "geodata/naturalearth_lowres.shp",
			  "geodata is a symbolic link to a folder outside the site "
			  "folder: copy the folder into the site folder instead");
	geo_layer_free(&l);
	diags_free(&f->d);
	/* the same folder moved inside the site and linked: works */
	assert_int_equal(unlink(geo), 0);
	char *kept = fs_join(f->site, "shared");
	assert_int_equal(rename(f->outside, kept), 0);
	assert_int_equal(symlink("shared/geodata", geo), 0);
	assert_int_equal(read_basemap(f, &l), 0);
	assert_int_equal(l.n, 177);
	assert_int_equal(f->d.n, 0);
	geo_layer_free(&l);
	free(kept);
	free(far);
	free(geo);
}

static void test_theme_assets_outside_the_site_are_never_published(void **state)
{
	fixture *f = *state;
	puts_site(f, "themes/t/assets/style.css", "body{}");
	link_site(f, "themes/t/assets/env.txt", "/proc/self/environ");
	link_site(f, "themes/t/assets/passwd.txt", "/etc/passwd");
	char *out = fs_join(f->dir, "output");
	stage st;
	asset_list l;
	assert_int_equal(stage_open(&st, out, NULL, &f->d), 0);
	assert_int_equal(assets_publish(&f->root, "themes/t/assets",
					"themes/t/assets", &st, &l, &f->d), -1);
	assert_int_equal(f->d.errors, 2);
	assert_has_error(&f->d, "themes/t/assets/env.txt", 1, 1,
			 "themes/t/assets/env.txt is a symbolic link to a file "
			 "outside the site folder: copy the file into the site "
			 "folder instead");
	assert_has_error(&f->d, "themes/t/assets/passwd.txt", 1, 1,
			 "themes/t/assets/passwd.txt is a symbolic link to a file "
			 "outside the site folder: copy the file into the site "
			 "folder instead");
	/* nothing was staged but the marker: not even style.css */
	assert_int_equal(l.n, 0);
	assert_int_equal(st.files, 1);
	stage_close(&st);
	assets_free(&l);
	assert_false(fs_exists(out));
	free(out);
}

#define HIDDEN_MSG(path, kind, name) \
	path " leads into the hidden " kind " " name " of the site folder, " \
	"which is never read (hidden files such as .git/config may hold " \
	"secrets): copy the file into the site folder under a name that " \
	"does not start with '.' instead"

static void test_hidden_files_are_never_read_named_directly(void **state)
{
	fixture *f = *state;
	puts_site(f, ".git/config", "[http] extraheader = " SECRET "\n");
	puts_site(f, ".env", SECRET "\n");
	assert_refused(f, ".git/config", SFS_ASSET,
		       HIDDEN_MSG(".git/config", "folder", ".git"));
	diags_free(&f->d);
	assert_refused(f, ".env", SFS_ASSET, HIDDEN_MSG(".env", "file", ".env"));
	assert_no_secret(&f->d);
}

static void test_hidden_files_are_never_read_through_a_link(void **state)
{
	fixture *f = *state;
	puts_site(f, ".git/config", "[http] extraheader = " SECRET "\n");
	puts_site(f, "themes/t/assets/style.css", "body{}");
	link_site(f, "themes/t/assets/config", "../../../.git/config");
	link_site(f, "themes/t/assets/git", "../../../.git");
	assert_refused(f, "themes/t/assets/config", SFS_ASSET,
		       HIDDEN_MSG("themes/t/assets/config", "folder", ".git"));
	diags_free(&f->d);
	assert_refused(f, "themes/t/assets/git/config", SFS_ASSET,
		       HIDDEN_MSG("themes/t/assets/git/config", "folder", ".git"));
	diags_free(&f->d);
	/* a listing leaves both links out, reporting each */
	sfs_listing l;
	assert_int_equal(sfs_list(&f->root, "themes/t/assets", "themes/t/assets",
				  &l, &f->d), SFS_REFUSED);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "style.css");
	assert_int_equal(f->d.errors, 2);
	assert_has_error(&f->d, "themes/t/assets/config", 1, 1,
			 HIDDEN_MSG("themes/t/assets/config", "folder", ".git"));
	assert_has_error(&f->d, "themes/t/assets/git", 1, 1,
			 HIDDEN_MSG("themes/t/assets/git", "folder", ".git"));
	assert_no_secret(&f->d);
	sfs_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_reads_files_inside_the_site),
		T(test_links_inside_the_site_keep_working),
		T(test_missing_files_are_left_to_the_caller),
		T(test_missing_names_are_told_inside_the_site_alone),
		T(test_missing_files_beyond_a_link_out_are_refused),
		T(test_nothing_out_there_is_told),
		T(test_files_outside_the_site_are_refused_link_to_etc_passwd),
		T(test_files_outside_the_site_are_refused_link_to_proc_environ),
		T(test_files_outside_the_site_are_refused_relative_link),
		T(test_files_outside_the_site_are_refused_folder_linked_to_etc),
		T(test_files_outside_the_site_are_refused_link_chain),
		T(test_files_outside_the_site_are_refused_link_loop),
		T(test_a_link_to_nothing_is_refused),
		T(test_files_outside_the_site_are_refused_dot_dot_and_absolute),
		T(test_files_outside_the_site_are_refused_in_a_listing),
		T(test_listed_entries_are_read_from_the_checked_folder),
		T(test_files_outside_the_installed_theme_are_refused),
		T(test_unbounded_reads_are_refused_fifo),
		T(test_unbounded_reads_are_refused_links_to_devices),
		T(test_unbounded_reads_are_refused_devices_and_folders),
		T(test_unbounded_reads_are_refused_over_the_limit),
		T(test_records_outside_the_site_are_refused),
		T(test_institutions_folder_linked_to_etc_is_refused),
		T(test_site_yml_paths_stay_inside),
		T(test_site_yml_outside_the_site_is_refused),
		T(test_basemap_parts_are_confined),
		T(test_theme_assets_outside_the_site_are_never_published),
		T(test_hidden_files_are_never_read_named_directly),
		T(test_hidden_files_are_never_read_through_a_link),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
