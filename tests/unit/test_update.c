/* test_update.c - updating an output folder in place: which paths are
 * accepted, comparing with the file there, moving a new file over the old
 * one, removing what the new site no longer has; and the stage using them
 * (publish/stage.h, "Updating in place"). The output folder is treated as
 * untrusted: links and folders found in it must never lead a write out. */
#define _GNU_SOURCE /* O_PATH */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "publish/stage.h"
#include "publish/update.h"
#include "util/buf.h"
#include "util/fs.h"

typedef struct fixture {
	char dir[256];
	char *out, *src, *away; /* output/, staging/, a folder outside both */
	int outfd, srcfd;
} fixture;

static int open_dir(const char *path)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (fixture_tmpdir(f->dir, sizeof f->dir, "pm-update") < 0)
		return -1;
	f->out = fs_join(f->dir, "output");
	f->src = fs_join(f->dir, "staging");
	f->away = fs_join(f->dir, "away");
	if (mkdir(f->out, 0755) < 0 || mkdir(f->src, 0755) < 0 ||
	    mkdir(f->away, 0755) < 0)
		return -1;
	f->outfd = open_dir(f->out);
	f->srcfd = open_dir(f->src);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	close(f->outfd);
	close(f->srcfd);
	fs_remove_tree(f->dir);
	free(f->out);
	free(f->src);
	free(f->away);
	free(f);
	return 0;
}

static void assert_holds(const char *dir, const char *rel, const char *want)
{
	char *got = fixture_slurp(dir, rel);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void put(const char *dir, const char *rel, const char *text)
{
	fixture_put(dir, rel, text, strlen(text));
}

/* A symbolic link at dir/rel to target. */
static void link_at(const char *dir, const char *rel, const char *target)
{
	char *path = fs_join(dir, rel);
	assert_int_equal(symlink(target, path), 0);
	free(path);
}

/* The kind of dir/rel without following a link: 'f', 'd', 'l', or 0 when
 * missing. */
static int kind_at(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	struct stat sb;
	int rc = lstat(path, &sb);
	free(path);
	if (rc < 0)
		return 0;
	return S_ISLNK(sb.st_mode) ? 'l' : S_ISDIR(sb.st_mode) ? 'd' : 'f';
}

/* Two links that lead out of f->out: page.html to f->away/page.html,
 * which holds text, and folder to f->away itself. */
static void links_out(const fixture *f, const char *text, const char *folder)
{
	put(f->away, "page.html", text);
	char *target = fs_join(f->away, "page.html");
	link_at(f->out, "page.html", target);
	link_at(f->out, folder, f->away);
	free(target);
}

static ino_t inode_at(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	free(path);
	return sb.st_ino;
}

/* ---- paths ------------------------------------------------------------- */

static void test_rel_rules(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "/etc/passwd", "../x", "a/../../x", "a/..", "..", ".", "./a",
		"a/./b", "a//b", "a/", "/",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(upd_rel_ok(bad[i]), 0);
	assert_int_equal(upd_rel_ok(NULL), 0);
	assert_int_equal(upd_rel_ok("index.html"), 1);
	assert_int_equal(upd_rel_ok("institutions/a/index.html"), 1);
	assert_int_equal(upd_rel_ok("..a/.b/c.."), 1);
}

static void test_hostile_paths_are_refused_everywhere(void **state)
{
	fixture *f = *state;
	put(f->dir, "secret", "s");
	put(f->src, "x", "new");
	static const char *const bad[] = {"../secret", "/x", "a/../../secret", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(upd_same(f->outfd, bad[i], "s", 1), 0);
		errno = 0;
		assert_int_equal(upd_move(f->srcfd, f->outfd, bad[i]), -1);
		assert_int_equal(errno, EINVAL);
	}
	assert_holds(f->dir, "secret", "s");
}

/* ---- comparing --------------------------------------------------------- */

static void test_same_compares_bytes(void **state)
{
	fixture *f = *state;
	put(f->out, "a/page.html", "hello");
	assert_int_equal(upd_same(f->outfd, "a/page.html", "hello", 5), 1);
	assert_int_equal(upd_same(f->outfd, "a/page.html", "hellO", 5), 0);
	assert_int_equal(upd_same(f->outfd, "a/page.html", "hell", 4), 0);
	assert_int_equal(upd_same(f->outfd, "a/page.html", "hello!", 6), 0);
	assert_int_equal(upd_same(f->outfd, "a/missing.html", "", 0), 0);
	assert_int_equal(upd_same(f->outfd, "a", "", 0), 0); /* a folder */
	put(f->out, "empty", "");
	assert_int_equal(upd_same(f->outfd, "empty", "", 0), 1);
}

static void test_same_never_trusts_a_link(void **state)
{
	fixture *f = *state;
	/* identical bytes, but reached through a link: rewrite it */
	links_out(f, "hello", "sub");
	assert_int_equal(upd_same(f->outfd, "page.html", "hello", 5), 0);
	assert_int_equal(upd_same(f->outfd, "sub/page.html", "hello", 5), 0);
	/* a named pipe is not opened for reading (it would hang) */
	char *fifo = fs_join(f->out, "pipe");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(upd_same(f->outfd, "pipe", "", 0), 0);
	free(fifo);
}

static void test_stat_never_follows_a_link(void **state)
{
	fixture *f = *state;
	put(f->out, "page.html", "hello");
	put(f->away, "page.html", "far away");
	link_at(f->out, "sub", f->away);
	char *target = fs_join(f->away, "page.html");
	link_at(f->out, "link.html", target);
	free(target);
	struct stat sb;
	assert_int_equal(upd_stat(f->outfd, "page.html", &sb), 0);
	assert_true(S_ISREG(sb.st_mode) && sb.st_size == 5);
	/* a link as the last name is the link itself, never what it names */
	assert_int_equal(upd_stat(f->outfd, "link.html", &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	/* and a link on the way is no way through */
	assert_int_equal(upd_stat(f->outfd, "sub/page.html", &sb), -1);
	/* below folders, as below the top */
	put(f->out, "a/b/page.html", "deep");
	link_at(f->out, "a/far", f->away);
	assert_int_equal(upd_stat(f->outfd, "a/b/page.html", &sb), 0);
	assert_true(S_ISREG(sb.st_mode) && sb.st_size == 4);
	assert_int_equal(upd_stat(f->outfd, "a/far/page.html", &sb), -1);
	assert_int_equal(upd_stat(f->outfd, "../output/page.html", &sb), -1);
	assert_int_equal(errno, EINVAL);
}

/* ---- moving ------------------------------------------------------------ */

/* Put text at f->src/rel and move it to f->out/rel: it must be there, and
 * gone from f->src (moved, not copied). */
static void move_new(const fixture *f, const char *rel, const char *text)
{
	put(f->src, rel, text);
	assert_int_equal(upd_move(f->srcfd, f->outfd, rel), 0);
	assert_holds(f->out, rel, text);
	assert_int_equal(kind_at(f->out, rel), 'f');
	assert_int_equal(kind_at(f->src, rel), 0);
}

static void test_move_makes_folders_and_replaces_in_one_rename(void **state)
{
	fixture *f = *state;
	put(f->out, "a/b/old.html", "old");
	put(f->out, "a/b/page.html", "old");
	move_new(f, "a/b/page.html", "new");
	move_new(f, "c/d/e.html", "deep");
	assert_holds(f->out, "a/b/old.html", "old");
	errno = 0;
	assert_int_equal(upd_move(f->srcfd, f->outfd, "a/b/page.html"), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_move_replaces_links_never_follows_them(void **state)
{
	fixture *f = *state;
	links_out(f, "keep", "folder"); /* a page and a folder that lead out */
	move_new(f, "page.html", "new");
	move_new(f, "folder/page.html", "new too");
	assert_int_equal(kind_at(f->out, "folder"), 'd');
	assert_holds(f->away, "page.html", "keep");
	assert_int_equal(kind_at(f->away, "folder"), 0);
}

static void test_move_replaces_files_and_folders_in_the_way(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *in_the_way, *text, *moved, *new_text;
	} cases[] = {
		{"404.html/inside/x", "a folder where a page goes", "404.html",
		 "not found"},
		{"about", "a file where a folder goes", "about/index.html", "about"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		put(f->out, cases[i].in_the_way, cases[i].text);
		move_new(f, cases[i].moved, cases[i].new_text);
	}
}

/* ---- pruning ----------------------------------------------------------- */

static void test_prune_removes_exactly_what_is_not_kept(void **state)
{
	fixture *f = *state;
	put(f->out, ".partnermap-output", "partnermap\n");
	put(f->out, "index.html", "i");
	put(f->out, "gone.html", "g");
	put(f->out, "institutions/a/index.html", "a");
	put(f->out, "institutions/b/index.html", "b");   /* a record deleted */
	put(f->out, "institutions/a/.hidden", "h");      /* never ours */
	put(f->out, "countries/th/index.html", "th");    /* a whole folder gone */
	put(f->out, "ab/index.html", "prefix of a kept folder name, not in it");
	put(f->away, "page.html", "keep");
	char *target = fs_join(f->away, "page.html");
	link_at(f->out, "institutions/link.html", target);
	link_at(f->out, "away", f->away);
	char *keep[] = {"a/index.html", "index.html", "institutions/a/index.html"};
	put(f->out, "a/index.html", "a");
	assert_int_equal(upd_prune(f->outfd, keep, 3, STAGE_MARKER), 7);
	assert_int_equal(kind_at(f->out, STAGE_MARKER), 'f');
	assert_int_equal(kind_at(f->out, "index.html"), 'f');
	assert_int_equal(kind_at(f->out, "a/index.html"), 'f');
	assert_int_equal(kind_at(f->out, "institutions/a/index.html"), 'f');
	static const char *const gone[] = {
		"gone.html", "institutions/b", "institutions/a/.hidden",
		"countries", "ab", "institutions/link.html", "away",
	};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		assert_int_equal(kind_at(f->out, gone[i]), 0);
	assert_holds(f->away, "page.html", "keep");
	free(target);
}

static void test_prune_removes_a_link_where_a_kept_file_is(void **state)
{
	fixture *f = *state;
	put(f->away, "index.html", "keep");
	link_at(f->out, "sub", f->away);
	char *keep[] = {"sub/index.html"};
	/* "sub" is a link, not a folder on the way to a kept file */
	assert_int_equal(upd_prune(f->outfd, keep, 1, NULL), 1);
	assert_int_equal(kind_at(f->out, "sub"), 0);
	assert_holds(f->away, "index.html", "keep");
}

/* upd_seen for the test below: "rel size" lines, checked against lstat. */
typedef struct seen_log {
	const char *dir;
	buf_t lines;
} seen_log;

static void log_seen(void *ctx, const char *rel, const struct stat *sb)
{
	seen_log *log = ctx;
	struct stat now;
	char *path = fs_join(log->dir, rel);
	assert_int_equal(lstat(path, &now), 0);
	assert_int_equal(now.st_ino, sb->st_ino);
	assert_int_equal(now.st_ctim.tv_nsec, sb->st_ctim.tv_nsec);
	buf_printf(&log->lines, "%s %lld\n", rel, (long long)sb->st_size);
	free(path);
}

static void test_prune_tells_each_file_it_leaves(void **state)
{
	fixture *f = *state;
	put(f->out, ".partnermap-output", "partnermap\n");
	put(f->out, "index.html", "home");
	put(f->out, "institutions/a/index.html", "a");
	put(f->out, "institutions/b/index.html", "gone");
	put(f->away, "page.html", "not ours");
	char *target = fs_join(f->away, "page.html");
	link_at(f->out, "map.svg", target); /* kept by name, but a link */
	char *keep[] = {"index.html", "institutions/a/index.html", "map.svg",
			"missing.html"};
	seen_log log = {f->out, BUF_INIT};
	assert_int_equal(upd_prune_seen(f->outfd, keep, 4, STAGE_MARKER,
					log_seen, &log), 2);
	/* neither the marker, nor a link, nor what was removed */
	assert_string_equal(buf_cstr(&log.lines),
			    "index.html 4\ninstitutions/a/index.html 1\n");
	buf_free(&log.lines);
	free(target);
}

/* upd_walk's callbacks for the tests below: the listing of one folder,
 * given when its inode is the one expected, and a log of what the walk
 * told. */
typedef struct walk_log {
	const char *listed_rel;
	ino_t listed_ino;
	const char *const *listing; /* NULL-terminated */
	buf_t files, folders;
} walk_log;

static int give_listing(void *ctx, const char *rel, const struct stat *sb,
			char ***names, size_t *count)
{
	walk_log *log = ctx;
	if (strcmp(rel, log->listed_rel) || sb->st_ino != log->listed_ino)
		return 0;
	size_t n = 0;
	while (log->listing[n])
		n++;
	char **v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(log->listing[i]);
	*names = v;
	*count = n;
	return 1;
}

static void log_file(void *ctx, const char *rel, const struct stat *sb)
{
	buf_printf(&((walk_log *)ctx)->files, "%s %lld\n", rel, (long long)sb->st_size);
}

static void log_folder(void *ctx, const char *rel, const struct stat *sb)
{
	buf_printf(&((walk_log *)ctx)->folders, "%s\n", rel);
}

/* An identity keeps what knowing a file again takes, and gives it back
 * as a stat: type, size, both times to the nanosecond, inode. */
static void test_ident_keeps_type_size_times_and_inode(void **state)
{
	fixture *f = *state;
	put(f->out, "a.html", "12345");
	struct stat sb;
	char *path = fs_join(f->out, "a.html");
	assert_int_equal(lstat(path, &sb), 0);
	free(path);
	upd_ident id = upd_ident_of(&sb);
	assert_int_equal(id.mode, S_IFREG);
	assert_int_equal(id.size, 5);
	struct stat back;
	memset(&back, 0xff, sizeof back);
	upd_ident_stat(&id, &back);
	assert_true(S_ISREG(back.st_mode));
	assert_int_equal(back.st_mode & 07777, 0);
	assert_int_equal(back.st_size, 5);
	assert_int_equal(back.st_ino, sb.st_ino);
	assert_int_equal(back.st_mtim.tv_sec, sb.st_mtim.tv_sec);
	assert_int_equal(back.st_mtim.tv_nsec, sb.st_mtim.tv_nsec);
	assert_int_equal(back.st_ctim.tv_sec, sb.st_ctim.tv_sec);
	assert_int_equal(back.st_ctim.tv_nsec, sb.st_ctim.tv_nsec);
	assert_int_equal(back.st_nlink, 0);
	assert_int_equal(back.st_uid, 0);
}

static void test_walk_takes_a_trusted_listing_instead_of_reading(void **state)
{
	fixture *f = *state;
	put(f->out, "institutions/a.html", "a");
	put(f->out, "institutions/c.html", "gone");
	put(f->out, "institutions/b/index.html", "not in the listing given");
	struct stat ins;
	char *path = fs_join(f->out, "institutions");
	assert_int_equal(lstat(path, &ins), 0);
	static const char *const listing[] = {"a.html", "c.html", NULL};
	walk_log log = {"institutions", ins.st_ino, listing, BUF_INIT, BUF_INIT};
	char *keep[] = {"institutions/a.html"};
	upd_ident earlier = {.mode = S_IFREG, .size = 12345};
	const upd_ident *known[] = {&earlier};
	upd_walk w = {keep, 1, known, NULL, log_file, NULL, give_listing, &log, NULL, NULL, 0, NULL, NULL, NULL};
	assert_int_equal(upd_prune_walk(f->outfd, &w), 1);
	assert_int_equal(kind_at(f->out, "institutions/c.html"), 0);
	/* never read, so never seen: the listing was the truth to trust */
	assert_int_equal(kind_at(f->out, "institutions/b"), 'd');
	/* the stat this build took before, not another */
	assert_string_equal(buf_cstr(&log.files), "institutions/a.html 12345\n");
	/* without a listing, the folder is read; the file is still told by
	 * the stat this build took, not the one found now (a hand edit
	 * since must look like another file to the next build) */
	w.listed = NULL;
	buf_free(&log.files);
	assert_int_equal(upd_prune_walk(f->outfd, &w), 1);
	assert_int_equal(kind_at(f->out, "institutions/b"), 0);
	assert_string_equal(buf_cstr(&log.files), "institutions/a.html 12345\n");
	buf_free(&log.files);
	/* and by the stat found when this build took none */
	known[0] = NULL;
	assert_int_equal(upd_prune_walk(f->outfd, &w), 0);
	assert_string_equal(buf_cstr(&log.files), "institutions/a.html 1\n");
	buf_free(&log.files);
	free(path);
}

/* The permission bits of OUT_DIR/rel. */
static mode_t bits_at(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	free(path);
	return sb.st_mode & 07777;
}

/* upd_walk.dir_mode: a folder below the root with other permission bits
 * (others may write it, or the sticky bit, or none but its owner may
 * read it) gets dir_mode, its setgid bit kept; the root keeps its own; a
 * folder the walk does not stat itself (its identity told) and the files
 * are left; dir_mode 0 leaves every folder. */
static void test_walk_gives_folders_their_bits(void **state)
{
	fixture *f = *state;
	put(f->out, "a/index.html", "a");
	put(f->out, "b/c/index.html", "c");
	put(f->out, "d/index.html", "d");
	char *keep[] = {"a/index.html", "b/c/index.html", "d/index.html"};
	char *a = fs_join(f->out, "a"), *b = fs_join(f->out, "b"),
	     *c = fs_join(f->out, "b/c"), *d = fs_join(f->out, "d"),
	     *page = fs_join(f->out, "d/index.html");
	assert_int_equal(chmod(f->out, 0711), 0);
	assert_int_equal(chmod(a, 0777), 0);
	assert_int_equal(chmod(b, 02775), 0);
	assert_int_equal(chmod(c, 0700), 0);
	assert_int_equal(chmod(d, 01755), 0);
	assert_int_equal(chmod(page, 0666), 0);
	upd_walk w = {keep, 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
	assert_int_equal(upd_prune_walk(f->outfd, &w), 0);
	assert_int_equal(bits_at(f->out, "a"), 0777); /* 0: left alone */
	w.dir_mode = 0755;
	assert_int_equal(upd_prune_walk(f->outfd, &w), 0);
	assert_int_equal(bits_at(f->out, "a"), 0755);
	assert_int_equal(bits_at(f->out, "b"), 02755);
	assert_int_equal(bits_at(f->out, "b/c"), 0755);
	assert_int_equal(bits_at(f->out, "d"), 0755);
	assert_int_equal(bits_at(f->out, "d/index.html"), 0666);
	assert_int_equal(bits_at(f->out, "."), 0711);
	assert_int_equal(chmod(f->out, 0755), 0);
	FREE_ALL(a, b, c, d, page);
}

/* The bytes of a system.posix_acl_* attribute (acl(5); the kernel's
 * format, version 2) of user::rwx group::r-x group:1:r-x mask::r-x
 * other::r-x, into out (44 bytes). */
static size_t acl_bytes(unsigned char *out)
{
	static const unsigned short tag[] = {0x01, 0x04, 0x08, 0x10, 0x20};
	static const unsigned short perm[] = {7, 5, 5, 5, 5};
	unsigned char *p = out;
	uint32_t v = 2;
	memcpy(p, &v, 4); /* little-endian, as this machine (x86, arm64) */
	p += 4;
	for (int k = 0; k < 5; k++) {
		uint32_t id = tag[k] == 0x08 ? 1 : 0xffffffffu;
		memcpy(p, &tag[k], 2);
		memcpy(p + 2, &perm[k], 2);
		memcpy(p + 4, &id, 4);
		p += 8;
	}
	return (size_t)(p - out);
}

static void test_acl_is_told_on_any_descriptor(void **state)
{
	fixture *f = *state;
	put(f->out, "a/index.html", "a");
	put(f->out, "b/index.html", "b");
	char *a = fs_join(f->out, "a"), *b = fs_join(f->out, "b");
	unsigned char acl[64];
	size_t n = acl_bytes(acl);
	if (setxattr(a, "system.posix_acl_default", acl, n, 0) < 0 ||
	    setxattr(b, "system.posix_acl_access", acl, n, 0) < 0) {
		FREE_ALL(a, b);
		skip(); /* a file system without ACLs */
	}
	int flags[] = {O_RDONLY, O_PATH};
	for (int k = 0; k < 2; k++) {
		int fa = open(a, flags[k] | O_DIRECTORY | O_CLOEXEC);
		int fb = open(b, flags[k] | O_DIRECTORY | O_CLOEXEC);
		int fo = open(f->away, flags[k] | O_DIRECTORY | O_CLOEXEC);
		assert_true(fa >= 0 && fb >= 0 && fo >= 0);
		assert_int_equal(upd_acl(fa, UPD_ACL_DEFAULT), 1);
		assert_int_equal(upd_acl(fa, UPD_ACL_ACCESS), 0);
		assert_int_equal(upd_acl(fa, UPD_ACL_ANY), 1);
		assert_int_equal(upd_acl(fb, UPD_ACL_DEFAULT), 0);
		assert_int_equal(upd_acl(fb, UPD_ACL_ACCESS), 1);
		assert_int_equal(upd_acl(fb, UPD_ACL_ANY), 1);
		assert_int_equal(upd_acl(fo, UPD_ACL_ANY), 0);
		close(fa);
		close(fb);
		close(fo);
	}
	assert_int_equal(upd_acl(-1, UPD_ACL_ANY), 0);
	/* the walk gives c its bits and leaves the folders with an ACL:
	 * b's bits show its mask */
	put(f->out, "c/index.html", "c");
	mode_t shown = bits_at(f->out, "b");
	char *keep[] = {"a/index.html", "b/index.html", "c/index.html"};
	upd_walk w = {keep, 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		      0700, NULL, NULL, NULL};
	assert_int_equal(upd_prune_walk(f->outfd, &w), 0);
	assert_int_equal(bits_at(f->out, "b"), shown);
	assert_int_equal(bits_at(f->out, "a"), 0755);
	assert_int_equal(bits_at(f->out, "c"), 0700);
	FREE_ALL(a, b);
}

static void test_walk_tells_the_settled_folders_it_left_as_found(void **state)
{
	fixture *f = *state;
	put(f->out, "institutions/a/index.html", "a");
	put(f->out, "institutions/b/index.html", "a record deleted");
	put(f->out, "countries/th/index.html", "th");
	char *keep[] = {"countries/th/index.html", "institutions/a/index.html"};
	struct timespec later;
	clock_gettime(CLOCK_REALTIME, &later);
	later.tv_sec += UPD_SETTLE_S + 10;
	walk_log log = {"", 0, NULL, BUF_INIT, BUF_INIT};
	upd_walk w = {keep, 2, NULL, NULL, NULL, log_folder, NULL, &log, &later, NULL, 0, NULL, NULL, NULL};
	static const struct {
		long removed;
		const char *told;
	} walks[] = {
		/* institutions lost an entry: not as it was found */
		{1, "countries/th\ncountries\ninstitutions/a\n"},
		{0, "countries/th\ncountries\ninstitutions/a\ninstitutions\n"},
		/* counted from now, each was made just now: none settled */
		{0, ""},
	};
	for (size_t i = 0; i < sizeof walks / sizeof walks[0]; i++) {
		w.began = i < 2 ? &later : NULL;
		assert_int_equal(upd_prune_walk(f->outfd, &w), walks[i].removed);
		assert_string_equal(buf_cstr(&log.folders), walks[i].told);
		buf_free(&log.folders);
	}
}

/* Listings of two folders, each given when the stat the walk holds of
 * it has the inode expected, and the folder stat given for "a/b": its
 * inode a made-up one, so that a listing given for it shows that the
 * walk took that stat instead of its own. */
typedef struct two_listings {
	ino_t top_ino;        /* "a"'s */
	int asked;            /* folder_stat's calls */
	buf_t folders;        /* the folders told as settled */
} two_listings;

#define MADE_UP_INO 424242

static int give_two(void *ctx, const char *rel, const struct stat *sb,
		    char ***names, size_t *count)
{
	const two_listings *t = ctx;
	const char *one;
	if (!strcmp(rel, "a") && sb->st_ino == t->top_ino)
		one = "b";
	else if (!strcmp(rel, "a/b") && sb->st_ino == MADE_UP_INO)
		one = "index.html";
	else
		return 0;
	char **v = xcalloc(2, sizeof *v);
	v[0] = xstrdup(one);
	*names = v;
	*count = 1;
	return 1;
}

static int made_up_folder(void *ctx, const char *rel, struct stat *sb)
{
	two_listings *t = ctx;
	t->asked++;
	if (strcmp(rel, "a/b"))
		return 0;
	memset(sb, 0, sizeof *sb);
	sb->st_mode = S_IFDIR;
	sb->st_ino = MADE_UP_INO;
	return 1;
}

static void log_two(void *ctx, const char *rel, const struct stat *sb)
{
	buf_printf(&((two_listings *)ctx)->folders, "%s %llu\n", rel,
		   (unsigned long long)sb->st_ino);
}

/* A folder whose stat this build took already (upd_walk.folder_stat) is
 * not stat'ed again: that stat decides whether its listing is trusted, and
 * is the one told as settled. Only a folder in a trusted listing is asked
 * of: one read from the disk is looked at as found. */
static void test_walk_takes_a_folder_stat_taken_before(void **state)
{
	fixture *f = *state;
	put(f->out, "a/b/index.html", "kept");
	put(f->out, "a/b/stale.html", "not in the listing: never seen");
	struct stat top;
	char *path = fs_join(f->out, "a");
	assert_int_equal(lstat(path, &top), 0);
	free(path);
	two_listings t = {top.st_ino, 0, BUF_INIT};
	char *keep[] = {"a/b/index.html"};
	struct timespec later;
	clock_gettime(CLOCK_REALTIME, &later);
	later.tv_sec += UPD_SETTLE_S + 10;
	upd_walk w = {keep, 1, NULL, NULL, NULL, log_two, give_two, &t, &later,
		      made_up_folder, 0, NULL, NULL, NULL};
	assert_int_equal(upd_prune_walk(f->outfd, &w), 0);
	assert_int_equal(kind_at(f->out, "a/b/stale.html"), 'f');
	assert_int_equal(t.asked, 1);
	char *want = xasprintf("a/b %d\na %llu\n", MADE_UP_INO,
			       (unsigned long long)top.st_ino);
	assert_string_equal(buf_cstr(&t.folders), want);
	free(want);
	buf_free(&t.folders);
	/* "a" read from the disk (its inode not the one listed): "a/b" is
	 * stat'ed as it is, so its listing is not given, and it is read */
	t.top_ino = 1;
	t.asked = 0;
	assert_int_equal(upd_prune_walk(f->outfd, &w), 1);
	assert_int_equal(kind_at(f->out, "a/b/stale.html"), 0);
	assert_int_equal(t.asked, 0);
	buf_free(&t.folders);
}

/* ---- the stage, in place ------------------------------------------------ */

/* Open the stage on f->out in place; write each "rel=text" of pages. */
/* upd_walk.left: each call, "rel e count" on a line. */
static void log_left(void *ctx, const char *rel, int e, size_t count)
{
	buf_printf(ctx, "%s %d %zu\n", rel, e, count);
}

/* An entry the walk may not remove (here in an immutable folder: root
 * only, chattr) is told by its deepest path, and the walk removes all
 * else; without left, the walk stops there and names that path. */
static void test_walk_tells_what_it_may_not_remove_and_goes_on(void **state)
{
	fixture *f = *state;
	put(f->out, "index.html", "i");
	put(f->out, "fr/networks/africa/index.html", "a");
	put(f->out, "fr/networks/africa/junk/f", "stray");
	put(f->out, "fr/networks/africa/junk/g", "stray");
	put(f->out, "fr/index.html", "f");
	put(f->out, "gone.html", "g");
	put(f->out, "zz/index.html", "z");
	char *cmd = xasprintf("chattr +i '%s/fr/networks/africa/junk' 2>/dev/null",
			      f->out);
	if (geteuid() != 0 || system(cmd) != 0) {
		free(cmd);
		skip();
	}
	char *keep[] = {"index.html"};
	buf_t log = BUF_INIT;
	upd_walk w = {keep, 1, NULL, NULL, NULL, NULL, NULL, &log, NULL, NULL,
		      0, NULL, NULL, log_left};
	long removed = upd_prune_walk(f->outfd, &w);
	buf_t want = BUF_INIT, or = BUF_INIT;
	/* two files would not go: the first the folder lists named (its
	 * order is the file system's), both counted */
	buf_printf(&want, "fr/networks/africa/junk/f %d 2\n", EPERM);
	buf_printf(&or, "fr/networks/africa/junk/g %d 2\n", EPERM);
	if (strcmp(buf_cstr(&log), buf_cstr(&or)))
		assert_string_equal(buf_cstr(&log), buf_cstr(&want));
	buf_free(&or);
	assert_int_equal(removed, 2); /* gone.html, zz */
	assert_int_equal(kind_at(f->out, "fr/networks/africa/junk/f"), 'f');
	assert_int_equal(kind_at(f->out, "fr/networks/africa/index.html"), 0);
	assert_int_equal(kind_at(f->out, "fr/index.html"), 0);
	assert_int_equal(kind_at(f->out, "gone.html"), 0);
	assert_int_equal(kind_at(f->out, "zz"), 0);
	assert_int_equal(kind_at(f->out, "index.html"), 'f');
	/* no left: the walk fails, naming the deepest entry */
	put(f->out, "gone.html", "g");
	char *failed = NULL;
	upd_walk stop = {keep, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
			 0, NULL, &failed, NULL};
	errno = 0;
	assert_int_equal(upd_prune_walk(f->outfd, &stop), -1);
	assert_int_equal(errno, EPERM);
	assert_string_equal(failed, "fr/networks/africa/junk/f");
	free(failed);
	free(cmd);
	cmd = xasprintf("chattr -i '%s/fr/networks/africa/junk'", f->out);
	assert_int_equal(system(cmd), 0);
	FREE_ALL(cmd);
	buf_free(&log);
	buf_free(&want);
}

static void stage_pages(const fixture *f, stage *st, const char *const *pages,
			size_t n, diags_t *d)
{
	stage_options o = {.shown = "output", .incremental = 1};
	assert_int_equal(stage_open(st, f->out, &o, d), 0);
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(pages[i], '=');
		char *rel = xstrndup(pages[i], (size_t)(eq - pages[i]));
		assert_int_equal(stage_write(st, rel, eq + 1, strlen(eq + 1), d), 0);
		free(rel);
	}
}

static void build_in_place(const fixture *f, const char *const *pages,
			   size_t n, size_t written, size_t removed)
{
	diags_t d = DIAGS_INIT;
	stage st;
	stage_pages(f, &st, pages, n, &d);
	assert_int_equal(stage_commit(&st, &d), 0);
	assert_int_equal(st.written, written);
	assert_int_equal(st.removed, removed);
	stage_close(&st);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

static void test_stage_in_place_writes_only_changes(void **state)
{
	fixture *f = *state;
	assert_int_equal(rmdir(f->out), 0);
	static const char *const one[] = {"index.html=1", "a/index.html=a",
					  "b/index.html=b"};
	static const char *const two[] = {"index.html=2", "a/index.html=a"};
	build_in_place(f, one, 3, 3, 0); /* missing: written whole */
	ino_t a = inode_at(f->out, "a/index.html");
	ino_t index = inode_at(f->out, "index.html");
	build_in_place(f, two, 2, 1, 1);
	assert_holds(f->out, "index.html", "2");
	assert_int_equal(inode_at(f->out, "a/index.html"), a);
	assert_true(inode_at(f->out, "index.html") != index);
	assert_int_equal(kind_at(f->out, "b"), 0);
	assert_int_equal(kind_at(f->out, STAGE_MARKER), 'f');
	build_in_place(f, two, 2, 0, 0);
	/* nothing left beside the output */
	char **names;
	size_t n;
	assert_int_equal(fs_list(f->dir, &names, &n), 0);
	assert_int_equal(n, 3); /* away, output, staging (the fixture's) */
	fs_free_list(names);
}

static void test_stage_keep_neither_compares_nor_writes(void **state)
{
	fixture *f = *state;
	assert_int_equal(rmdir(f->out), 0);
	diags_t d = DIAGS_INIT;
	stage st;
	/* a site written whole has nothing to keep */
	stage_pages(f, &st, NULL, 0, &d);
	assert_int_equal(stage_keep(&st, "index.html", 1, NULL, &d), -1);
	stage_close(&st);
	static const char *const one[] = {"index.html=1", "a/index.html=a",
					  "b/index.html=b"};
	build_in_place(f, one, 3, 3, 0);
	ino_t a = inode_at(f->out, "a/index.html");
	static const char *const two[] = {"index.html=2"};
	stage_pages(f, &st, two, 1, &d);
	assert_int_equal(stage_keep(&st, "a/index.html", 1, NULL, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	/* counted as files of the site: the marker, index.html and a's */
	assert_int_equal(st.files, 3);
	assert_int_equal(st.written, 1);
	assert_int_equal(st.removed, 1);
	stage_close(&st);
	assert_int_equal(inode_at(f->out, "a/index.html"), a);
	assert_holds(f->out, "index.html", "2");
	assert_int_equal(kind_at(f->out, "b"), 0);
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

/* stage.listed and stage.folder_stat for the test below: "x" listed as
 * holding a and b; each folder asked of logged, none known. */
static int list_x(void *ctx, const char *rel, const struct stat *sb,
		  char ***names, size_t *count)
{
	(void)ctx, (void)sb;
	if (strcmp(rel, "x"))
		return 0;
	char **v = xcalloc(3, sizeof *v);
	v[0] = xstrdup("a");
	v[1] = xstrdup("b");
	*names = v;
	*count = 2;
	return 1;
}

static int log_asked(void *ctx, const char *rel, struct stat *sb)
{
	(void)sb;
	buf_printf(ctx, "%s\n", rel);
	return 0;
}

/* The commit asks stage.folder_stat only of folders it moved nothing
 * into: the stat taken before of a folder that got a new file is not
 * its stat any more (its times changed), and trusting it would keep a
 * stale listing in the manifest. */
static void test_stage_asks_folder_stats_only_of_untouched_folders(void **state)
{
	fixture *f = *state;
	assert_int_equal(rmdir(f->out), 0);
	static const char *const one[] = {"x/a/index.html=a", "x/b/index.html=b"};
	static const char *const two[] = {"x/a/index.html=A", "x/b/index.html=b"};
	build_in_place(f, one, 2, 2, 0);
	buf_t asked = BUF_INIT;
	diags_t d = DIAGS_INIT;
	stage st;
	stage_pages(f, &st, two, 2, &d);
	st.listed = list_x;
	st.folder_stat = log_asked;
	st.listed_ctx = &asked;
	assert_int_equal(stage_commit(&st, &d), 0);
	assert_int_equal(st.written, 1);
	stage_close(&st);
	assert_string_equal(buf_cstr(&asked), "x/b\n");
	assert_holds(f->out, "x/a/index.html", "A");
	assert_int_equal(d.n, 0);
	buf_free(&asked);
	diags_free(&d);
}

static void test_stage_in_place_abandoned_leaves_output(void **state)
{
	fixture *f = *state;
	assert_int_equal(rmdir(f->out), 0);
	static const char *const one[] = {"index.html=1", "b/index.html=b"};
	static const char *const two[] = {"index.html=2"};
	build_in_place(f, one, 2, 2, 0);
	diags_t d = DIAGS_INIT;
	stage st;
	stage_pages(f, &st, two, 1, &d);
	stage_close(&st); /* a failed build: never committed */
	assert_holds(f->out, "index.html", "1");
	assert_holds(f->out, "b/index.html", "b");
	assert_int_equal(d.n, 0);
	diags_free(&d);
}

static void test_stage_in_place_output_replaced_meanwhile(void **state)
{
	fixture *f = *state;
	assert_int_equal(rmdir(f->out), 0);
	static const char *const one[] = {"index.html=1"};
	static const char *const two[] = {"index.html=2"};
	build_in_place(f, one, 1, 1, 0);
	diags_t d = DIAGS_INIT;
	stage st;
	stage_pages(f, &st, two, 1, &d);
	/* someone moves the site away and puts another in its place */
	char *moved = fs_join(f->dir, "moved");
	assert_int_equal(rename(f->out, moved), 0);
	assert_int_equal(mkdir(f->out, 0755), 0);
	put(f->out, STAGE_MARKER, STAGE_MARKER_TEXT);
	put(f->out, "index.html", "theirs");
	assert_int_equal(stage_commit(&st, &d), -1);
	stage_close(&st);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_FATAL);
	assert_null(d.v[0].path);
	assert_string_equal(d.v[0].msg, "the output folder 'output' was moved or "
		     "replaced during the build, so it was left as it is now; "
		     "build again");
	assert_holds(f->out, "index.html", "theirs");
	assert_holds(moved, "index.html", "1");
	free(moved);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rel_rules),
		cmocka_unit_test_setup_teardown(test_hostile_paths_are_refused_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_compares_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune_tells_each_file_it_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_takes_a_trusted_listing_instead_of_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_tells_the_settled_folders_it_left_as_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_gives_folders_their_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acl_is_told_on_any_descriptor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_takes_a_folder_stat_taken_before, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_tells_what_it_may_not_remove_and_goes_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_asks_folder_stats_only_of_untouched_folders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_never_trusts_a_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_makes_folders_and_replaces_in_one_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_replaces_links_never_follows_them, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_replaces_files_and_folders_in_the_way, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune_removes_exactly_what_is_not_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune_removes_a_link_where_a_kept_file_is, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_in_place_writes_only_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat_never_follows_a_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_keep_neither_compares_nor_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_in_place_abandoned_leaves_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_in_place_output_replaced_meanwhile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ident_keeps_type_size_times_and_inode, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
