/* test_stage.c - the staging folder and the atomic swap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "publish/assets.h"
#include "publish/stage.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/pairs.h"

typedef struct fixture {
	char dir[256];
	char *out;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (fixture_tmpdir(f->dir, sizeof f->dir, "pm-stage") < 0)
		return -1;
	f->out = fs_join(f->dir, "output");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fs_remove_tree(f->dir);
	free(f->out);
	free(f);
	return 0;
}

/* d holds one problem of the output folder as a whole, msg: without a
 * path or a position, since a folder has no line to point at. */
static void assert_out_fatal(const diags_t *d, const char *msg)
{
	assert_int_equal(d->n, 1);
	assert_int_equal(d->v[0].level, DIAG_FATAL);
	assert_null(d->v[0].path);
	assert_int_equal(d->v[0].line, 0);
	assert_int_equal(d->v[0].col, 0);
	assert_string_equal(d->v[0].msg, msg);
}

/* stage_open on out, named "output", must fail with exactly msg. */
static void assert_refused(const char *out, const char *msg)
{
	diags_t d = DIAGS_INIT;
	stage_options o = {.shown = "output"};
	stage st;
	assert_int_equal(stage_open(&st, out, &o, &d), -1);
	stage_close(&st);
	assert_out_fatal(&d, msg);
	diags_free(&d);
}

static void write_site(const char *out, const char *body, diags_t *d, int commit)
{
	stage st;
	assert_int_equal(stage_open(&st, out, NULL, d), 0);
	assert_int_equal(stage_write(&st, "index.html", body, strlen(body), d), 0);
	assert_int_equal(stage_write(&st, "institutions/a/index.html", "a", 1, d), 0);
	if (commit)
		assert_int_equal(stage_commit(&st, d), 0);
	stage_close(&st);
}

static void test_first_build_creates_output(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	write_site(f->out, "one", &d, 1);
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "one");
	assert_string_equal_free(fixture_slurp(f->out, "institutions/a/index.html"), "a");
	char *marker = fs_join(f->out, STAGE_MARKER);
	assert_exists(marker);
	free(marker);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

/* The staging folder is the build's alone (0700) until the swap, so that
 * no one reads a site not yet published, nor opens a folder of it to
 * read later; the site then gets the mode the folder was made with (0755
 * less the umask) on a first build, the old folder's on a rebuild. */
static void test_staging_folder_is_private_until_the_swap(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	mode_t mask = umask(022);
	stage st;
	struct stat sb;
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	assert_int_equal(stage_write(&st, "institutions/a/index.html", "a", 1, &d), 0);
	assert_int_equal(stat(st.tmp, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(stat(f->out, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0755);
	/* a rebuild: private while it runs, the old folder's mode after */
	assert_int_equal(chmod(f->out, 0750), 0);
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	assert_int_equal(stat(st.tmp, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(stat(f->out, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);
	/* another umask, another mode for a first build */
	char *other = fs_join(f->dir, "other");
	umask(027);
	assert_int_equal(stage_open(&st, other, NULL, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(stat(other, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);
	umask(mask);
	free(other);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

static void test_rebuild_swaps_whole_tree(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	write_site(f->out, "one", &d, 1);
	char *stale = fs_join(f->out, "stale.txt");
	fs_write(stale, "x", 1);
	write_site(f->out, "two", &d, 1);
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "two");
	assert_not_exists(stale);
	free(stale);
	/* nothing left beside the output */
	char **names;
	size_t n;
	assert_int_equal(fs_list(f->dir, &names, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "output");
	fs_free_list(names);
	diags_free(&d);
}

static void test_abandoned_stage_keeps_previous_output(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	write_site(f->out, "one", &d, 1);
	write_site(f->out, "two", &d, 0); /* a failed build: never committed */
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "one");
	char **names;
	size_t n;
	assert_int_equal(fs_list(f->dir, &names, &n), 0);
	assert_int_equal(n, 1);
	fs_free_list(names);
	diags_free(&d);
}

static int exists_at(const char *dir, const char *rel);

static void test_site_bytes_cap_refuses_the_write_past_it(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	stage st;
	/* the marker (11 bytes) counts too */
	stage_options o = {.shown = "output", .max_bytes = 31};
	assert_int_equal(stage_open(&st, f->out, &o, &d), 0);
	assert_int_equal(stage_write(&st, "a.html", "0123456789", 10, &d), 0);
	assert_int_equal(stage_write(&st, "b.html", "0123456789", 10, &d), 0);
	assert_int_equal(stage_write(&st, "c/d.html", "x", 1, &d), -1);
	assert_int_equal(stage_write(&st, "e.html", "x", 1, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.fatals, 0);
	assert_null(d.v[0].path); /* no file: which one depends on -j */
	assert_string_equal(d.v[0].msg,
		"the site would be larger than 31 bytes, the most a build writes: "
		"a template that copies a large value many times (such as "
		"{{{body_html}}} in a partial or section), or a record on "
		"thousands of pages (one in thousands of networks), makes it "
		"so; make them write less");
	assert_int_equal(exists_at(st.tmp, "c/d.html"), 0);
	assert_int_equal(st.bytes, 31);
	stage_close(&st);
	diags_free(&d);
}

/* The cap grows with the records a site has in each language, so a site
 * of 200,000 institutions (some 5 GB of pages) builds: 4 GiB would stop it. */
static void test_site_bytes_cap_grows_with_records_and_languages(void **state)
{
	(void)state;
	assert_true(stage_max_bytes(0, 1) == (size_t)4 << 30);
	assert_true(stage_max_bytes(1, 1) == ((size_t)4 << 30) + 65536);
	assert_true(stage_max_bytes(200000, 1) ==
		    ((size_t)4 << 30) + (size_t)200000 * 65536);
	assert_true(stage_max_bytes(200000, 2) ==
		    ((size_t)4 << 30) + (size_t)400000 * 65536);
	assert_true(stage_max_bytes(SIZE_MAX / 2, 3) == SIZE_MAX);
	assert_true(stage_max_bytes(SIZE_MAX / 65536, 1) == SIZE_MAX);
}

static void test_foreign_folder_is_never_replaced(void **state)
{
	fixture *f = *state;
	assert_int_equal(fs_mkdirs(f->out), 0);
	char *mine = fs_join(f->out, "notes.txt");
	fs_write(mine, "keep", 4);
	assert_refused(f->out, "refusing to build into 'output': it is not "
		       "empty ('notes.txt' is in it) and partnermap did not "
		       "write it (there is no .partnermap-output in it); empty "
		       "it, or choose another folder with -o");
	assert_string_equal_free(fixture_slurp(f->out, "notes.txt"), "keep");
	/* nothing was made beside it */
	char **names;
	size_t n;
	assert_int_equal(fs_list(f->dir, &names, &n), 0);
	assert_int_equal(n, 1);
	fs_free_list(names);
	free(mine);
}

/* A file that turns up in an empty output folder while the site is being
 * written is still seen when the site is swapped in. */
static void test_foreign_file_arriving_during_the_build_is_kept(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	assert_int_equal(fs_mkdirs(f->out), 0);
	stage st;
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	assert_int_equal(stage_write(&st, "index.html", "x", 1, &d), 0);
	char *mine = fs_join(f->out, "notes.txt");
	fs_write(mine, "keep", 4);
	assert_int_equal(stage_commit(&st, &d), -1);
	stage_close(&st);
	char *msg = xasprintf("refusing to build into '%s': it is not empty "
			      "('notes.txt' is in it) and partnermap did not "
			      "write it (there is no .partnermap-output in it); "
			      "empty it, or choose another folder with -o", f->out);
	assert_out_fatal(&d, msg);
	free(msg);
	assert_string_equal_free(fixture_slurp(f->out, "notes.txt"), "keep");
	free(mine);
	diags_free(&d);
}

static void test_empty_folder_may_be_replaced(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	assert_int_equal(fs_mkdirs(f->out), 0);
	write_site(f->out, "one", &d, 1);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

/* The new site takes an existing folder's mode at the swap, on the
 * staging folder as it was made: one that someone put a link in place of
 * meanwhile (the folder OUT_DIR is in may be another user's) is not
 * followed, and the file the link leads to keeps its mode. */
static void test_folder_mode_is_never_given_through_a_link(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	assert_int_equal(fs_mkdirs(f->out), 0);
	assert_int_equal(chmod(f->out, 0750), 0);
	char *victim = fs_join(f->dir, "victim");
	assert_int_equal(fs_write(victim, "keep", 4), 0);
	assert_int_equal(chmod(victim, 0600), 0);
	stage st;
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	assert_int_equal(stage_write(&st, "index.html", "one", 3, &d), 0);
	/* the staging folder moved aside, a link to the victim in its place */
	char *aside = fs_join(f->dir, "aside");
	assert_int_equal(rename(st.tmp, aside), 0);
	assert_int_equal(symlink(victim, st.tmp), 0);
	char *said = xasprintf("the staging folder %s beside '%s' is no "
			       "longer the one this build made: someone else can "
			       "change the folder '%s' is in; build into a "
			       "folder only you may change, with -o",
			       strrchr(st.tmp, '/') + 1, f->out, f->out);
	assert_int_equal(stage_commit(&st, &d), -1);
	struct stat sb;
	assert_int_equal(stat(victim, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_string_equal_free(fixture_slurp(f->dir, "victim"), "keep");
	/* nor is a folder put in its place published */
	assert_int_equal(unlink(st.tmp), 0);
	assert_int_equal(mkdir(st.tmp, 0755), 0);
	assert_int_equal(stage_commit(&st, &d), -1);
	assert_int_equal(lstat(f->out, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0750);
	char *page = fs_join(f->out, "index.html");
	assert_int_equal(fs_exists(page), 0);
	free(page);
	stage_close(&st);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].msg, said);
	assert_string_equal(d.v[1].msg, said);
	diags_free(&d);
	FREE_ALL(victim, aside, said);
}

/* stage_open_way opens a folder a name at a time: to the folder the
 * path names, through this user's links (relative and absolute), never
 * through a link another user planted in a folder anyone may write; a
 * loop or a missing name fails with its errno. */
static void test_open_way_walks_and_checks_each_name(void **state)
{
	fixture *f = *state;
	char *a = fs_join(f->dir, "a"), *b = fs_join(f->dir, "a/b");
	char *rel = fs_join(f->dir, "rel"), *abs = fs_join(f->dir, "abs");
	char *loop = fs_join(f->dir, "loop");
	assert_int_equal(fs_mkdirs(b), 0);
	assert_int_equal(symlink("a/b", rel), 0);
	assert_int_equal(symlink(b, abs), 0);
	assert_int_equal(symlink("loop", loop), 0);
	struct stat want, got;
	assert_int_equal(stat(b, &want), 0);
	const char *ways[] = {b, rel, abs, "", NULL};
	char *dotted = xasprintf("%s/./a//b/", f->dir);
	char *up = xasprintf("%s/a/b/../b", f->dir);
	ways[3] = dotted;
	for (size_t k = 0; ways[k]; k++) {
		char *why = NULL;
		int fd = stage_open_way(ways[k], "--report", "file", &why);
		assert_null(why);
		assert_true(fd >= 0);
		assert_int_equal(fstat(fd, &got), 0);
		assert_true(got.st_ino == want.st_ino && got.st_dev == want.st_dev);
		close(fd);
	}
	char *why = NULL;
	int fd = stage_open_way(up, "--report", "file", &why);
	assert_true(fd >= 0);
	close(fd);
	errno = 0;
	assert_int_equal(stage_open_way(loop, "--report", "file", &why), -1);
	assert_null(why);
	assert_int_equal(errno, ELOOP);
	char *missing = fs_join(f->dir, "a/none/deeper");
	assert_int_equal(stage_open_way(missing, "--report", "file", &why), -1);
	assert_int_equal(errno, ENOENT);
	if (geteuid() == 0) {
		/* in a folder anyone may write, another user's link */
		char *shared = fs_join(f->dir, "shared");
		char *planted = fs_join(f->dir, "shared/planted");
		assert_int_equal(mkdir(shared, 0777), 0);
		assert_int_equal(chmod(shared, 01777), 0);
		assert_int_equal(symlink(b, planted), 0);
		assert_int_equal(lchown(planted, 1, 1), 0);
		assert_int_equal(stage_open_way(planted, "--report", "file", &why), -1);
		assert_non_null(why);
		char *said = xasprintf("'%s' on the way to it is a symbolic link another "
				       "user (uid 1) owns, in '%s', where anyone may make "
				       "one, so it may have been planted to send the file "
				       "elsewhere; give the real folder with --report",
				       planted, shared);
		assert_string_equal(why, said);
		FREE_ALL(why, said, shared, planted);
	}
	FREE_ALL(a, b, rel, abs, loop, dotted, up, missing);
}

/* A first build, which renames the staging folder into place, stops too
 * when the folder there is not the one it made. */
static void test_first_build_swaps_only_its_own_staging_folder(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	stage st;
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	assert_int_equal(stage_write(&st, "index.html", "one", 3, &d), 0);
	char *aside = fs_join(f->dir, "aside");
	assert_int_equal(rename(st.tmp, aside), 0);
	assert_int_equal(mkdir(st.tmp, 0755), 0);
	assert_int_equal(stage_commit(&st, &d), -1);
	assert_int_equal(fs_exists(f->out), 0);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "is no longer the one this build made"));
	stage_close(&st);
	diags_free(&d);
	free(aside);
}

static void test_unusable_parent_is_fatal(void **state)
{
	/* A file where the parent folder should be: even root cannot. */
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *file = fs_join(f->dir, "plain-file");
	fs_write(file, "x", 1);
	char *out = fs_join(file, "output");
	stage st;
	assert_int_equal(stage_open(&st, out, NULL, &d), -1);
	stage_close(&st);
	char *msg = xasprintf("cannot create the folder '%s' goes in: File "
			      "exists; a file is where a folder should be: move "
			      "it away, or choose another folder with -o", out);
	assert_out_fatal(&d, msg);
	free(msg);
	free(out);
	free(file);
	diags_free(&d);
}

static void test_missing_parent_is_created(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *deep = fs_join(f->dir, "a/b/out");
	write_site(deep, "deep", &d, 1);
	assert_string_equal_free(fixture_slurp(deep, "index.html"), "deep");
	free(deep);
	diags_free(&d);
}

/* "x/../out" without x: refused, and x is not made on the way (mkdir -p
 * would make it) */
static void test_dotdot_after_a_missing_folder_is_refused(void **state)
{
	fixture *f = *state;
	char *out = fs_join(f->dir, "x/../out");
	char *x = fs_join(f->dir, "x");
	char *why = xasprintf("there is no folder '%s', so '%s/..' leads "
			      "nowhere: write -o %s/out, or create %s first",
			      x, x, f->dir, x);
	assert_refused(out, why);
	assert_int_equal(fs_exists(x), 0);
	assert_int_equal(fs_exists(f->out), 0);
	free(why);
	free(x);
	free(out);
}

static void test_assets_get_content_hashes(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *src = fs_join(f->dir, "assets");
	fs_mkdirs(src);
	char *css = fs_join(src, "style.css");
	fs_write(css, "body{}", 6);
	char *js = fs_join(src, "app.js");
	fs_write(js, "1;", 2);
	stage st;
	asset_list l;
	sfs_root root;
	assert_int_equal(sfs_root_init(&root, f->dir, "site folder"), 0);
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	assert_int_equal(assets_publish(&root, "assets", "themes/x/assets", &st, &l, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(l.n, 2);
	const asset *a = assets_find(&l, "style.css");
	assert_non_null(a);
	assert_string_equal(a->key, "style_css");
	assert_starts_with(a->href, "assets/style.");
	assert_int_equal(strlen(a->href), strlen("assets/style.0123456789.css"));
	assert_string_equal_free(fixture_slurp(f->out, a->href), "body{}");
	/* the name changes with the content */
	char *first = xstrdup(a->href);
	assets_free(&l);
	fs_write(css, "body{color:red}", 15);
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	assert_int_equal(assets_publish(&root, "assets", "themes/x/assets", &st, &l, &d), 0);
	stage_close(&st);
	sfs_root_free(&root);
	assert_string_not_equal(first, assets_find(&l, "style.css")->href);
	free(first);
	assets_free(&l);
	free(css);
	free(js);
	free(src);
	diags_free(&d);
}

/* ---- data loss through -o: what counts as someone else's folder ------- */

static const char hidden_one[] =
	"refusing to build into 'output': it holds '%s', which partnermap did "
	"not write and a build would delete with the folder; move it out, or "
	"build into a folder of its own and copy the site in, which leaves "
	"hidden entries alone (rsync -a --delete --exclude='.*' BUILT/ THIS/)";

static void put(const char *dir, const char *rel, const char *text)
{
	char *path = fs_join(dir, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	assert_int_equal(fs_mkdirs(path), 0);
	*slash = '/';
	assert_int_equal(fs_write(path, text, strlen(text)), 0);
	free(path);
}

static int exists_at(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	struct stat sb;
	int ok = lstat(path, &sb) == 0;
	free(path);
	return ok;
}

/* Entries beside the output folder, other than the output folder itself. */
static size_t leftovers(const fixture *f)
{
	char **names;
	size_t n, extra = 0;
	assert_int_equal(fs_list(f->dir, &names, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (strncmp(names[i], "output.", 7) == 0)
			extra++;
	fs_free_list(names);
	return extra;
}

/* A checkout of a gh-pages branch: nothing but hidden entries. */
static void test_output_folder_with_only_dotfiles_is_refused(void **state)
{
	fixture *f = *state;
	put(f->out, ".git/HEAD", "ref: refs/heads/gh-pages\n");
	put(f->out, ".nojekyll", "");
	put(f->out, ".env", "TOKEN=secret\n");
	assert_refused(f->out,
		       "refusing to build into 'output': it holds '.env' and 2 "
		       "other hidden entries, which partnermap did not write and "
		       "a build would delete with the folder; move them out, or "
		       "build into a folder of its own and copy the site in, "
		       "which leaves hidden entries alone (rsync -a --delete "
		       "--exclude='.*' BUILT/ THIS/)");
	assert_string_equal_free(fixture_slurp(f->out, ".git/HEAD"), "ref: refs/heads/gh-pages\n");
	assert_true(exists_at(f->out, ".nojekyll"));
	assert_true(exists_at(f->out, ".env"));
	assert_int_equal(leftovers(f), 0);
}

/* A folder partnermap wrote, where someone ran git init afterwards. */
static void test_hidden_entry_beside_the_marker_is_refused(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	write_site(f->out, "one", &d, 1);
	diags_free(&d);
	put(f->out, ".git/config", "[core]\n");
	char *msg = xasprintf(hidden_one, ".git");
	assert_refused(f->out, msg);
	free(msg);
	assert_string_equal_free(fixture_slurp(f->out, ".git/config"), "[core]\n");
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "one");
	assert_int_equal(leftovers(f), 0);
}

static int make_socket(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	if (fd < 0 || strlen(path) >= sizeof a.sun_path) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	strcpy(a.sun_path, path);
	int rc = bind(fd, (struct sockaddr *)&a, sizeof a);
	close(fd);
	return rc;
}

/* Any one entry of any kind makes a folder without the marker non-empty. */
static void test_every_kind_of_entry_makes_a_folder_non_empty(void **state)
{
	fixture *f = *state;
	static const char *const kinds[] = {
		"link", "socket", "fifo", "hidden folder", "folder", "file"};
	static const char *const names[] = {
		"data", "sock", "pipe", ".cache", "drafts", "notes.txt"};
	char *elsewhere = fs_join(f->dir, "elsewhere");
	put(elsewhere, "precious.txt", "keep");
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		assert_int_equal(fs_mkdirs(f->out), 0);
		char *path = fs_join(f->out, names[k]);
		int rc = 0;
		switch (k) {
		case 0: rc = symlink(elsewhere, path); break;
		case 1: rc = make_socket(path); break;
		case 2: rc = mkfifo(path, 0644); break;
		case 3: case 4: rc = mkdir(path, 0755); break;
		default: rc = fs_write(path, "x", 1); break;
		}
		assert_int_equal(rc, 0);
		char *msg = names[k][0] == '.'
			? xasprintf(hidden_one, names[k])
			: xasprintf("refusing to build into 'output': it is not "
				    "empty ('%s' is in it) and partnermap did not "
				    "write it (there is no .partnermap-output in "
				    "it); empty it, or choose another folder with "
				    "-o", names[k]);
		assert_refused(f->out, msg);
		free(msg);
		struct stat sb;
		assert_int_equal(lstat(path, &sb), 0);
		free(path);
		assert_int_equal(fs_remove_tree(f->out), 0);
	}
	assert_string_equal_free(fixture_slurp(elsewhere, "precious.txt"), "keep");
	free(elsewhere);
	assert_int_equal(leftovers(f), 0);
}

/* OUT_DIR that is a file, a pipe or a socket is never removed. */
static void test_output_path_that_is_not_a_folder_is_refused(void **state)
{
	fixture *f = *state;
	assert_int_equal(fs_write(f->out, "a thesis", 8), 0);
	assert_refused(f->out, "refusing to build into 'output': it is a file, "
		       "not a folder; move it away, or choose another folder "
		       "with -o");
	buf_t b = BUF_INIT;
	assert_int_equal(fs_read(f->out, &b), 0);
	assert_string_equal(b.ptr, "a thesis");
	buf_free(&b);
	unlink(f->out);
	assert_int_equal(mkfifo(f->out, 0644), 0);
	assert_refused(f->out, "refusing to build into 'output': it is a named "
		       "pipe, not a folder; move it away, or choose another "
		       "folder with -o");
	unlink(f->out);
	assert_int_equal(make_socket(f->out), 0);
	assert_refused(f->out, "refusing to build into 'output': it is a "
		       "socket, not a folder; move it away, or choose another "
		       "folder with -o");
	struct stat sb;
	assert_int_equal(lstat(f->out, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));
	assert_int_equal(leftovers(f), 0);
}

/* OUT_DIR a link, even to a folder partnermap wrote: refused, the link
 * and its target left alone. */
static void test_output_folder_that_is_a_link_is_refused(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *real = fs_join(f->dir, "real");
	write_site(real, "one", &d, 1);
	diags_free(&d);
	assert_int_equal(symlink(real, f->out), 0);
	assert_refused(f->out, "refusing to build into 'output': it is a "
		       "symbolic link, and partnermap replaces the output "
		       "folder itself, never through a link; give the real "
		       "folder with -o");
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "one");
	struct stat sb;
	assert_int_equal(lstat(f->out, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_int_equal(leftovers(f), 0);
	/* a dangling one too */
	unlink(f->out);
	assert_int_equal(symlink("nowhere", f->out), 0);
	assert_int_equal(stage_replaceable(f->out, NULL), 0);
	free(real);
}

/* Below a folder anyone may write, a folder another user owns on the way
 * to the output folder is refused, however deep, and nothing is made
 * inside it; the user's own folder there is used. Only root can give a
 * folder away. */
static void test_folder_another_user_owns_on_the_way_is_refused(void **state)
{
	fixture *f = *state;
	if (geteuid() != 0)
		skip();
	char *shared = fs_join(f->dir, "shared"), *theirs = fs_join(shared, "theirs"),
	     *out = fs_join(theirs, "deep/output"), *made = fs_join(theirs, "deep");
	assert_int_equal(mkdir(shared, 0755), 0);
	assert_int_equal(chmod(shared, 01777), 0);
	assert_int_equal(mkdir(theirs, 0755), 0);
	assert_int_equal(chown(theirs, 1, 1), 0);
	char *msg = xasprintf("refusing to build into 'output': '%s' on the way to "
			      "it belongs to another user (uid 1) and lies in '%s', "
			      "where anyone may make one, so it may have been planted "
			      "to choose where the site goes; build into a folder of "
			      "your own with -o", theirs, shared);
	assert_refused(out, msg);
	char *w = NULL;
	assert_int_equal(stage_replaceable(out, &w), 0);
	assert_non_null(strstr(w, "on the way to it belongs to another user"));
	free(w);
	assert_int_equal(access(made, F_OK), -1); /* fs_mkdirs never ran */
	/* the user's own: built into */
	assert_int_equal(chown(theirs, geteuid(), getegid()), 0);
	diags_t d = DIAGS_INIT;
	write_site(out, "mine", &d, 1);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	assert_string_equal_free(fixture_slurp(out, "index.html"), "mine");
	FREE_ALL(shared, theirs, out, made, msg);
}

/* The marker counts only as the regular file partnermap writes. */
static void test_marker_that_is_a_link_or_folder_does_not_count(void **state)
{
	fixture *f = *state;
#define MARKER_MSG(what) \
	"refusing to build into 'output': its .partnermap-output is not " \
	"the file partnermap writes (" what "), so partnermap did not " \
	"write this folder; empty it, or choose another folder with -o"
	static const char *const msg = MARKER_MSG("it is a symbolic link");
	char *real = fs_join(f->dir, "real-marker");
	fs_write(real, STAGE_MARKER_TEXT, strlen(STAGE_MARKER_TEXT));
	put(f->out, "thesis.tex", "keep");
	char *marker = fs_join(f->out, STAGE_MARKER);
	/* a link to a genuine marker */
	assert_int_equal(symlink(real, marker), 0);
	assert_refused(f->out, msg);
	/* a folder */
	unlink(marker);
	assert_int_equal(mkdir(marker, 0755), 0);
	assert_refused(f->out, MARKER_MSG("it is a folder"));
	/* a file with something else in it */
	rmdir(marker);
	fs_write(marker, "partnermap\nmore\n", 16);
	assert_refused(f->out, MARKER_MSG("it holds other text than "
					  "'partnermap' and a line end"));
#undef MARKER_MSG
	/* alone in the folder, it still does not count */
	unlink(marker);
	char *thesis = fs_join(f->out, "thesis.tex");
	unlink(thesis);
	assert_int_equal(symlink(real, marker), 0);
	assert_refused(f->out, msg);
	assert_true(exists_at(f->out, STAGE_MARKER));
	assert_int_equal(leftovers(f), 0);
	free(thesis);
	free(marker);
	free(real);
}

/* OUT_DIR may not be the site, hold it, or lie in a folder the build reads,
 * however it is spelt. */
static void test_output_folder_is_never_the_site_or_around_it(void **state)
{
	fixture *f = *state;
	char *site = fs_join(f->dir, "site");
	put(site, "site.yml", "title: x\n");
	put(site, "content/institutions/a.md", "---\n");
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(site), 0);
	/* an output folder and what is wrong with it */
	static const str_pair cases[] = {
		{".", "it is the site folder itself"},
		{"./", "it is the site folder itself"},
		{"content/..", "it is the site folder itself"},
		{"..", "it holds the site folder"},
		{"../..", "it holds the site folder"},
		{"/", "it holds the site folder"},
		{"content",
		 "it is the site's content folder, which the build reads"},
		{"content/institutions",
		 "it is inside the site's content folder, which the build reads"},
		{"content/new/out",
		 "it is inside the site's content folder, which the build reads"},
		{"nothing/../content",
		 "it is the site's content folder, which the build reads"},
		{"i18n",
		 "it is the site's i18n folder, which the build reads"},
		{"i18n/out",
		 "it is inside the site's i18n folder, which the build reads"},
		{"themes/default",
		 "it is inside the site's themes folder, which the build reads"},
		{"archetypes/out",
		 "it is inside the site's archetypes folder, which the build reads"},
		{"geodata",
		 "it is the site's geodata folder, which the build reads"},
		{"./geodata/../geodata/x",
		 "it is inside the site's geodata folder, which the build reads"},
		{"maps/world",
		 "it is the site's maps/world folder, which the build reads"},
		{"maps/world/out",
		 "it is inside the site's maps/world folder, which the build reads"},
	};
	/* a folder the site's settings name (the basemap's), and the site
	 * folder itself (a basemap at its top), which adds nothing */
	static const char *const inputs[] = {".", "maps/world", NULL};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		diags_t d = DIAGS_INIT;
		stage_options o = {.shown = cases[i].key, .site_dir = ".",
				   .inputs = inputs};
		stage st;
		assert_int_equal(stage_open(&st, cases[i].key, &o, &d), -1);
		stage_close(&st);
		char *msg = xasprintf("refusing to build into '%s': %s, and a "
				      "build replaces the whole output folder; "
				      "choose a folder of its own with -o (the "
				      "default is output/ in the site folder)",
				      cases[i].key, cases[i].value);
		assert_out_fatal(&d, msg);
		free(msg);
		diags_free(&d);
	}
	/* nothing was created on the way */
	assert_false(exists_at(site, "content/new"));
	assert_false(exists_at(site, "nothing"));
	/* the default, and a sibling of the site, are fine */
	diags_t d = DIAGS_INIT;
	stage_options o = {.site_dir = ".", .inputs = inputs};
	stage st;
	assert_int_equal(stage_open(&st, "output", &o, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(stage_open(&st, "maps/public", &o, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(stage_open(&st, "../public", &o, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(d.n, 0);
	assert_int_equal(chdir(cwd), 0);
	assert_true(exists_at(site, "content/institutions/a.md"));
	assert_true(exists_at(f->dir, "public/" STAGE_MARKER));
	free(site);
}

/* ---- the staging folder's name ---------------------------------------- */

/* Field 22 of /proc/<pid>/stat. */
static unsigned long long start_of(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	buf_t b = BUF_INIT;
	assert_int_equal(fs_read(path, &b), 0);
	const char *p = strrchr(b.ptr, ')') + 1; /* the space before field 3 */
	for (int field = 3; field < 22; field++)
		p = strchr(p + 1, ' ');
	unsigned long long v = strtoull(p + 1, NULL, 10);
	buf_free(&b);
	return v;
}

static char *own_name(const fixture *f, const char *kind)
{
	return xasprintf("%s.%s-%ld-%llu", f->out, kind, (long)getpid(),
			 start_of(getpid()));
}

/* The staging folder's name has 32 random bits after the process's
 * numbers: something planted where an earlier version put it (the
 * numbers alone, which another user can work out beside /tmp) no longer
 * stops the build, and is neither followed nor removed. */
static void test_staging_name_cannot_be_taken_first(void **state)
{
	fixture *f = *state;
	char *elsewhere = fs_join(f->dir, "elsewhere");
	assert_int_equal(fs_mkdirs(elsewhere), 0);
	char *tmp = own_name(f, "staging");
	assert_int_equal(symlink(elsewhere, tmp), 0);
	diags_t d = DIAGS_INIT;
	stage_options o = {.shown = "output"};
	stage st;
	assert_int_equal(stage_open(&st, f->out, &o, &d), 0);
	/* NAME.staging-PID-START-XXXXXXXX */
	size_t n = strlen(tmp);
	assert_int_equal(strncmp(st.tmp, tmp, n), 0);
	assert_int_equal(st.tmp[n], '-');
	assert_int_equal(strlen(st.tmp + n + 1), 8);
	assert_int_equal(strspn(st.tmp + n + 1, "0123456789abcdef"), 8);
	assert_int_equal(stage_write(&st, "index.html", "x", 1, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "x");
	char **names;
	assert_int_equal(fs_list(elsewhere, &names, &n), 0);
	assert_int_equal(n, 0);
	fs_free_list(names);
	struct stat sb;
	assert_int_equal(lstat(tmp, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	free(tmp);
	free(elsewhere);
}

/* ---- interrupted builds ----------------------------------------------- */

/* The pid of a process that has come and gone. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* A child that waits to be killed, named comm (NULL: unchanged). */
static pid_t sleeper(const char *comm)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* never outlive a failed test */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		alarm(60);
		if (comm)
			prctl(PR_SET_NAME, comm, 0, 0, 0);
		for (;;)
			pause();
	}
	if (comm) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%ld/comm", (long)pid);
		for (int tries = 0; tries < 1000; tries++) {
			buf_t b = BUF_INIT;
			int same = fs_read(path, &b) == 0 &&
				   !strncmp(b.ptr, comm, strlen(comm));
			buf_free(&b);
			if (same)
				break;
			usleep(1000);
		}
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A folder as a killed build leaves it: the marker and part of a site. */
static char *left_behind(const fixture *f, const char *kind, long pid,
			 unsigned long long start, int marker)
{
	/* named as stage_name names them; start 0 when the start time
	 * could not be read */
	char *path = xasprintf("%s.%s-%ld-%llu-0a1b2c3d", f->out, kind, pid, start);
	put(path, "institutions/a/index.html", "half");
	if (marker)
		put(path, STAGE_MARKER, STAGE_MARKER_TEXT);
	return path;
}

static void open_and_close(const fixture *f)
{
	diags_t d = DIAGS_INIT;
	stage st;
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	stage_close(&st);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

static void test_stale_staging_folder_of_a_dead_build_is_removed(void **state)
{
	fixture *f = *state;
	pid_t gone = dead_pid();
	char *a = left_behind(f, "staging", gone, 12345, 1);
	char *b = left_behind(f, "staging", gone, 0, 1); /* no start time */
	char *empty = xasprintf("%s.staging-%ld-1-00000000", f->out, (long)gone);
	assert_int_equal(mkdir(empty, 0755), 0); /* killed before the marker */
	/* a user's own copies, named like a build's folders but not as a
	 * build names them (nor as earlier versions did): never touched */
	static const char *const copies[] = {
		"old-2024", "staging-1", "staging-5-6", "old-7-8-abc",
		"old-7-8-0A1B2C3D", "old-7-8-0a1b2c3d9", "staging-x-1-0a1b2c3d",
	};
	size_t ncopies = sizeof copies / sizeof copies[0];
	char *copy[sizeof copies / sizeof copies[0]];
	for (size_t i = 0; i < ncopies; i++) {
		copy[i] = xasprintf("%s.%s", f->out, copies[i]);
		put(copy[i], "index.html", "a copy");
		put(copy[i], STAGE_MARKER, STAGE_MARKER_TEXT);
	}
	open_and_close(f);
	for (size_t i = 0; i < ncopies; i++) {
		assert_string_equal_free(fixture_slurp(copy[i], "index.html"), "a copy");
		assert_int_equal(fs_remove_tree(copy[i]), 0);
		free(copy[i]);
	}
	assert_int_equal(access(a, F_OK), -1);
	assert_int_equal(access(b, F_OK), -1);
	assert_int_equal(access(empty, F_OK), -1);
	assert_int_equal(leftovers(f), 0);
	free(a);
	free(b);
	free(empty);
}

/* Never delete a folder that lacks the marker. */
static void test_staging_folder_without_marker_is_kept(void **state)
{
	fixture *f = *state;
	pid_t gone = dead_pid();
	char *a = left_behind(f, "staging", gone, 12345, 0);
	char *b = left_behind(f, "old", gone, 0, 0);
	open_and_close(f);
	assert_string_equal_free(fixture_slurp(a, "institutions/a/index.html"), "half");
	assert_string_equal_free(fixture_slurp(b, "institutions/a/index.html"), "half");
	free(a);
	free(b);
}

/* A build still running keeps its folder; a reused pid does not. */
static void test_staging_folder_of_a_live_build_is_kept(void **state)
{
	fixture *f = *state;
	pid_t live = sleeper(NULL);
	unsigned long long start = start_of(live);
	char *mine = left_behind(f, "staging", live, start, 1);
	char *reused = left_behind(f, "staging", live, start + 1, 1);
	char *old = left_behind(f, "old", live, start, 1);
	/* pid only: kept while a partnermap runs with it */
	pid_t named = sleeper("partnermap");
	char *bare = left_behind(f, "staging", named, 0, 1);
	char *other = left_behind(f, "staging", live, 0, 1); /* not partnermap */
	/* with this version's random part; a part that is not one (upper
	 * case, too long) makes no name of a build: never removed */
	char *r = xasprintf("%s.staging-%ld-%llu-deadbee0", f->out, (long)live, start);
	char *notours = xasprintf("%s.staging-%ld-%llu-DEADBEEF", f->out, (long)live,
				  start + 1);
	put(r, STAGE_MARKER, STAGE_MARKER_TEXT);
	put(notours, STAGE_MARKER, STAGE_MARKER_TEXT);
	open_and_close(f);
	assert_int_equal(access(r, F_OK), 0);
	assert_int_equal(access(notours, F_OK), 0);
	assert_int_equal(access(mine, F_OK), 0);
	assert_int_equal(access(old, F_OK), 0);
	assert_int_equal(access(bare, F_OK), 0);
	assert_int_equal(access(reused, F_OK), -1);
	assert_int_equal(access(other, F_OK), -1);
	reap(live);
	reap(named);
	open_and_close(f);
	assert_int_equal(access(r, F_OK), -1);
	assert_int_equal(access(notours, F_OK), 0);
	assert_int_equal(fs_remove_tree(notours), 0);
	free(r);
	free(notours);
	assert_int_equal(access(mine, F_OK), -1);
	assert_int_equal(access(bare, F_OK), -1);
	/* the old site came back: there was no output folder */
	assert_int_equal(access(old, F_OK), -1);
	assert_string_equal_free(fixture_slurp(f->out, "institutions/a/index.html"), "half");
	assert_int_equal(leftovers(f), 0);
	free(mine);
	free(reused);
	free(old);
	free(bare);
	free(other);
}

static void test_owner_alive_tells_reused_pids_apart(void **state)
{
	(void)state;
	pid_t me = getpid();
	assert_int_equal(stage_owner_alive(me, start_of(me)), 1);
	assert_int_equal(stage_owner_alive(me, start_of(me) + 1), 0);
	assert_int_equal(stage_owner_alive(me, 0), 0); /* not named partnermap */
	assert_int_equal(stage_owner_alive(dead_pid(), 0), 0);
	assert_int_equal(stage_owner_alive(0, 0), 0);
	assert_int_equal(stage_owner_alive(-1, 0), 0);
}

/* A link named like a stale staging folder is not followed. */
static void test_link_named_like_a_staging_folder_is_not_followed(void **state)
{
	fixture *f = *state;
	char *elsewhere = fs_join(f->dir, "elsewhere");
	put(elsewhere, "precious.txt", "keep");
	put(elsewhere, STAGE_MARKER, STAGE_MARKER_TEXT);
	char *link = xasprintf("%s.staging-%ld-7", f->out, (long)dead_pid());
	assert_int_equal(symlink(elsewhere, link), 0);
	char *old = xasprintf("%s.old-%ld-7", f->out, (long)dead_pid());
	assert_int_equal(symlink(elsewhere, old), 0);
	open_and_close(f);
	assert_string_equal_free(fixture_slurp(elsewhere, "precious.txt"), "keep");
	struct stat sb;
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	/* the output folder was not made from the link either */
	assert_int_equal(lstat(f->out, &sb), -1);
	free(link);
	free(old);
	free(elsewhere);
}

/* The state a kill between the two renames of a swap without
 * RENAME_EXCHANGE leaves: no output folder, the previous site at
 * output.old-*, the new one at output.staging-*. The next build puts the
 * previous site back before anything else. */
static void test_kill_between_two_renames_is_repaired(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	write_site(f->out, "one", &d, 1);
	pid_t gone = dead_pid();
	char *old = xasprintf("%s.old-%ld-99-0a1b2c3d", f->out, (long)gone);
	assert_int_equal(rename(f->out, old), 0);
	char *tmp = left_behind(f, "staging", gone, 99, 1);
	stage st;
	assert_int_equal(stage_open(&st, f->out, NULL, &d), 0);
	char *s = fixture_slurp(f->out, "index.html");
	assert_string_equal(s, "one"); /* back before the new site is written */
	free(s);
	assert_int_equal(stage_write(&st, "index.html", "two", 3, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "two");
	assert_int_equal(leftovers(f), 0);
	assert_int_equal(d.n, 0);
	free(old);
	free(tmp);
	diags_free(&d);
}

/* A kill after the second rename leaves the previous site beside a
 * complete output folder: it goes, the output stays. */
static void test_old_site_beside_a_complete_output_is_removed(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	write_site(f->out, "two", &d, 1);
	char *old = left_behind(f, "old", dead_pid(), 5, 1);
	open_and_close(f);
	assert_int_equal(access(old, F_OK), -1);
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "two");
	assert_int_equal(leftovers(f), 0);
	free(old);
	diags_free(&d);
}

/* A kill, or another user, between the two renames of a swap in a shared
 * folder: something not this user's output now at OUT_DIR, the previous
 * site beside it. That site is the only copy: the next build, refused,
 * kept it; it removed it. */
static void test_old_site_beside_something_else_is_kept(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *old = left_behind(f, "old", dead_pid(), 5, 1);
	put(f->out, "theirs.txt", "someone else's folder");
	stage st;
	assert_int_equal(stage_open(&st, f->out, NULL, &d), -1);
	stage_close(&st);
	assert_int_equal(d.fatals, 1);
	assert_string_equal_free(fixture_slurp(old, "institutions/a/index.html"), "half");
	/* a link there, even to an output folder of this user's, is not
	 * the output: kept again */
	assert_int_equal(fs_remove_tree(f->out), 0);
	char *mine = fs_join(f->dir, "mine");
	write_site(mine, "mine", &d, 1);
	assert_int_equal(symlink(mine, f->out), 0);
	assert_int_equal(stage_open(&st, f->out, NULL, &d), -1);
	stage_close(&st);
	assert_string_equal_free(fixture_slurp(old, "institutions/a/index.html"), "half");
	assert_int_equal(unlink(f->out), 0);
	assert_int_equal(fs_remove_tree(mine), 0);
	free(mine);
	/* once OUT_DIR is free again, the next build moves it back */
	open_and_close(f);
	assert_int_equal(access(old, F_OK), -1);
	assert_string_equal_free(fixture_slurp(f->out, "institutions/a/index.html"), "half");
	free(old);
	diags_free(&d);
}

/* The swap by two renames, as on a file system without RENAME_EXCHANGE. */
static void test_swap_without_exchange_replaces_the_site(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	stage_options o = {.no_exchange = 1};
	for (int round = 0; round < 3; round++) {
		char body[32];
		snprintf(body, sizeof body, "site %d", round);
		stage st;
		assert_int_equal(stage_open(&st, f->out, &o, &d), 0);
		assert_int_equal(stage_write(&st, "index.html", body, strlen(body), &d), 0);
		if (round == 1)
			put(f->out, "stale.html", "gone after the swap");
		/* the previous site's name is made at the swap, with random
		 * bits of its own: one named after the staging folder's,
		 * which anyone may list and make first, is not in the way */
		char *planted = xasprintf("%s.old-%s", f->out,
					  strstr(st.tmp, ".staging-") + 9);
		put(planted, "x", "someone else's");
		assert_int_equal(stage_commit(&st, &d), 0);
		assert_string_equal_free(fixture_slurp(planted, "x"), "someone else's");
		assert_int_equal(fs_remove_tree(planted), 0);
		free(planted);
		stage_close(&st);
		assert_string_equal_free(fixture_slurp(f->out, "index.html"), body);
		assert_false(exists_at(f->out, "stale.html"));
		assert_true(exists_at(f->out, STAGE_MARKER));
		assert_int_equal(leftovers(f), 0);
	}
	/* a foreign folder is refused on this path too */
	put(f->out, ".git/HEAD", "x");
	stage st;
	assert_int_equal(stage_open(&st, f->out, &o, &d), -1);
	stage_close(&st);
	assert_true(exists_at(f->out, ".git/HEAD"));
	assert_int_equal(d.fatals, 1);
	diags_free(&d);
}

/* Once cancelled, nothing more is written, nothing is swapped in, and the
 * staging folder goes; no diagnostic (the caller knows why). */
static void test_cancelled_build_leaves_no_trace(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	write_site(f->out, "one", &d, 1);
	atomic_int cancel = 0;
	stage_options o = {.cancel = &cancel};
	stage st;
	assert_int_equal(stage_open(&st, f->out, &o, &d), 0);
	assert_int_equal(stage_write(&st, "index.html", "two", 3, &d), 0);
	assert_int_equal(leftovers(f), 1);
	atomic_store(&cancel, SIGTERM);
	assert_int_equal(stage_write(&st, "feed.xml", "x", 1, &d), -1);
	assert_int_equal(stage_commit(&st, &d), -1);
	stage_close(&st);
	assert_int_equal(d.n, 0);
	assert_string_equal_free(fixture_slurp(f->out, "index.html"), "one");
	assert_int_equal(leftovers(f), 0);
	/* cancelled before it began: nothing is made at all */
	assert_int_equal(stage_open(&st, f->out, &o, &d), -1);
	stage_close(&st);
	assert_int_equal(leftovers(f), 0);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

/* fs_remove_tree removes a link, never what it points to. */
static void test_remove_tree_never_follows_links(void **state)
{
	fixture *f = *state;
	char *elsewhere = fs_join(f->dir, "elsewhere");
	put(elsewhere, "precious.txt", "keep");
	char *tree = fs_join(f->dir, "tree");
	put(tree, "a/b/file", "x");
	char *l1 = fs_join(tree, "a/link-to-folder");
	char *l2 = fs_join(tree, "a/b/link-to-file");
	char *precious = fs_join(elsewhere, "precious.txt");
	assert_int_equal(symlink(elsewhere, l1), 0);
	assert_int_equal(symlink(precious, l2), 0);
	assert_int_equal(fs_remove_tree(tree), 0);
	assert_int_equal(access(tree, F_OK), -1);
	assert_string_equal_free(fixture_slurp(elsewhere, "precious.txt"), "keep");
	/* a link as the tree itself */
	assert_int_equal(symlink(elsewhere, tree), 0);
	assert_int_equal(fs_remove_tree(tree), 0);
	assert_true(exists_at(elsewhere, "precious.txt"));
	free(precious);
	free(l1);
	free(l2);
	free(tree);
	free(elsewhere);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_build_creates_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staging_folder_is_private_until_the_swap,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_swaps_whole_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_site_bytes_cap_refuses_the_write_past_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_abandoned_stage_keeps_previous_output, setup, teardown),
		cmocka_unit_test(test_site_bytes_cap_grows_with_records_and_languages),
		cmocka_unit_test_setup_teardown(test_foreign_folder_is_never_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_way_walks_and_checks_each_name,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_build_swaps_only_its_own_staging_folder,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_mode_is_never_given_through_a_link,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_folder_may_be_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_parent_is_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_another_user_owns_on_the_way_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_parent_is_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotdot_after_a_missing_folder_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assets_get_content_hashes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_file_arriving_during_the_build_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_folder_with_only_dotfiles_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hidden_entry_beside_the_marker_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_kind_of_entry_makes_a_folder_non_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_path_that_is_not_a_folder_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_folder_that_is_a_link_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marker_that_is_a_link_or_folder_does_not_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_folder_is_never_the_site_or_around_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staging_name_cannot_be_taken_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_staging_folder_of_a_dead_build_is_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staging_folder_without_marker_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staging_folder_of_a_live_build_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner_alive_tells_reused_pids_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_named_like_a_staging_folder_is_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_between_two_renames_is_repaired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_site_beside_a_complete_output_is_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_site_beside_something_else_is_kept,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_swap_without_exchange_replaces_the_site, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_build_leaves_no_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_tree_never_follows_links, setup, teardown),
	};
	return cmocka_run_group_tests_name("stage", tests, NULL, NULL);
}
