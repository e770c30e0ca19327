/* test_fs.c - fs_mkdirs (util/fs.h): the folder and the missing ones above
 * it are made; an existing folder is fine; a file in the way is refused
 * with the errno mkdir gives for it. fs_read and fs_read_plain append
 * every byte of a file of any size, NUL-terminated. A file written
 * through fs_replace_open appears whole or not at all, never through a
 * link; fs_pread_all reads exactly what it is asked or fails. */
#define _GNU_SOURCE /* O_PATH */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "util/fs.h"

/* fs_mkdirs(dir/rel): its result and errno (0 on success). */
static int mkdirs_errno(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	errno = 0;
	int rc = fs_mkdirs(path);
	int e = rc < 0 ? errno : 0;
	if (rc == 0)
		assert_true(fs_is_dir(path));
	free(path);
	return e;
}

static void mkdirs_makes_what_is_missing(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	static const struct {
		const char *rel;
		int err;
	} cases[] = {
		{"a/b/c/d", 0},      /* four missing folders */
		{"a/b/c/d", 0},      /* all there already */
		{"a/b/e/", 0},       /* a trailing slash */
		{"a//f//g", 0},      /* doubled slashes */
		{"a/file", EEXIST},  /* a file where the folder should be */
		{"a/file/x/y", ENOTDIR}, /* a file on the way */
	};
	fixture_put(dir, "a/file", "x", 1);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		assert_int_equal(mkdirs_errno(dir, cases[k].rel), cases[k].err);
	fs_remove_tree(dir);
}

/* ".." after a folder that is missing: found, named, and the path meant
 * given as written without it; nothing is made on the way. */
static void dotdot_after_a_missing_folder(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	fixture_put(dir, "a/file", "x", 1);
	static const struct {
		const char *rel, *missing, *lexical;
	} cases[] = {
		{"x/../out", "x", "out"},
		{"y/z/../../out", "y/z", "out"},
		{"a/x/../out", "a/x", "a/out"},
		{"a/../out", NULL, "out"},          /* a is there */
		{"a/file/../out", "a/file", "a/out"}, /* a file is no folder */
		{"a//./x/..//out/.", "a//./x", "a/out"},
		{"out", NULL, "out"},
		{"../out", NULL, "../out"},
		{"x/../../out", "x", "../out"},
		{"x/..", "x", "."},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char *path = fs_join(dir, cases[k].rel);
		char *missing = fs_dotdot_missing(path);
		char *want = cases[k].missing ? fs_join(dir, cases[k].missing) :
			     NULL;
		if (want)
			assert_string_equal(missing, want);
		else
			assert_null(missing);
		char *lexical = fs_lexical(cases[k].rel);
		assert_string_equal(lexical, cases[k].lexical);
		free(lexical);
		free(want);
		free(missing);
		free(path);
	}
	char *lexical = fs_lexical("/x/../../out/.");
	assert_string_equal(lexical, "/out");
	free(lexical);
	char *why = fs_dotdot_problem("x/../out", "-o");
	assert_string_equal(why, "there is no folder 'x', so 'x/..' leads "
			    "nowhere: write -o out, or create x first");
	free(why);
	assert_null(fs_dotdot_problem("out", "-o"));
	/* a name's control characters written out, never raw */
	why = fs_dotdot_problem("x\x1b[31m/../o\aut", "-o");
	assert_string_equal(why, "there is no folder 'x<U+001B>[31m', so "
			    "'x<U+001B>[31m/..' leads nowhere: write -o "
			    "o<U+0007>ut, or create x<U+001B>[31m first");
	free(why);
	/* nothing made: the folder holds a/ alone */
	char **names;
	size_t n;
	assert_int_equal(fs_list_all(dir, &names, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "a");
	fs_free_list(names);
	fs_remove_tree(dir);
}

/* Files of sizes around the reader's room (4 KiB) and chunk (64 KiB),
 * read after what the buffer held, into a buffer with no room left and
 * one with some: each ends as that text then the file's bytes, and a
 * NUL. */
static void reads_append_every_byte(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 65535, 65536,
				       65537, 200003};
	char *path = fs_join(dir, "f");
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		size_t n = sizes[k];
		unsigned char *want = malloc(n + 1);
		for (size_t i = 0; i < n; i++) /* no NUL: strlen would see a cut */
			want[i] = (unsigned char)(1 + (i * 131 + k) % 251);
		assert_int_equal(fs_write(path, want, n), 0);
		for (int how = 0; how < 4; how++) {
			buf_t b = BUF_INIT;
			buf_puts(&b, "pre:");
			if (how & 2)
				buf_grow(&b, 10000); /* room to read into */
			int rc = how & 1 ? fs_read_plain(path, n, &b) :
				fs_read(path, &b);
			assert_int_equal(rc, 0);
			assert_int_equal(b.len, 4 + n);
			assert_memory_equal(b.ptr, "pre:", 4);
			if (n)
				assert_memory_equal(b.ptr + 4, want, n);
			assert_int_equal(b.ptr[b.len], '\0');
			assert_true(b.cap > b.len);
			buf_free(&b);
		}
		/* a byte more than max is refused, nothing appended */
		if (n) {
			buf_t b = BUF_INIT;
			errno = 0;
			assert_int_equal(fs_read_plain(path, n - 1, &b), -1);
			assert_int_equal(errno, EFBIG);
			assert_int_equal(b.len, 0);
			buf_free(&b);
		}
		free(want);
	}
	free(path);
	fs_remove_tree(dir);
}

/* The seen hook: a copy of every byte written, in order. */
static void sum_seen(void *ctx, const void *p, size_t n)
{
	buf_put(ctx, p, n);
}

/* Several chunks' worth, put in small and large pieces: the file holds
 * exactly those bytes once closed with keep, the hook saw them all in
 * order, and before the close the final name does not exist. Closed
 * without keep, or over a name that is a link, nothing is written
 * through the link and the temporary is gone. */
static void replace_writes_whole_or_nothing(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	char *path = fs_join(dir, "m");
	buf_t want = BUF_INIT, seen = BUF_INIT, got = BUF_INIT;
	fs_writer w;
	assert_int_equal(fs_replace_open(&w, path), 0);
	w.seen = sum_seen;
	w.ctx = &seen;
	for (size_t i = 0; i < 3 * FS_WRITER_CHUNK / 7; i++) {
		char c[8];
		for (size_t j = 0; j < 7; j++)
			c[j] = (char)('a' + (i * 7 + j) % 26);
		buf_put(&w.b, c, 7);
		buf_put(&want, c, 7);
		fs_writer_more(&w);
	}
	char *big = xmalloc(FS_WRITER_CHUNK + 3);
	memset(big, 'Z', FS_WRITER_CHUNK + 3);
	fs_writer_put(&w, big, FS_WRITER_CHUNK + 3);
	buf_put(&want, big, FS_WRITER_CHUNK + 3);
	fs_writer_put(&w, "end", 3);
	buf_put(&want, "end", 3);
	free(big);
	assert_false(fs_exists(path));
	assert_int_equal(fs_replace_close(&w, 1), 0);
	assert_int_equal(fs_read(path, &got), 0);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.ptr, want.ptr, want.len);
	assert_int_equal(seen.len, want.len);
	assert_memory_equal(seen.ptr, want.ptr, want.len);

	/* not kept: the old file stays, no temporary is left */
	assert_int_equal(fs_replace_open(&w, path), 0);
	fs_writer_put(&w, "new", 3);
	assert_int_equal(fs_replace_close(&w, 0), -1);
	buf_reset(&got);
	assert_int_equal(fs_read(path, &got), 0);
	assert_int_equal(got.len, want.len);

	/* a link at the name is replaced, its target untouched */
	char *target = fs_join(dir, "target");
	fixture_put(dir, "target", "keep", 4);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(fs_replace(path, "x", 1), 0);
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	buf_reset(&got);
	assert_int_equal(fs_read(target, &got), 0);
	assert_string_equal(buf_cstr(&got), "keep");

	char **names;
	size_t n;
	assert_int_equal(fs_list(dir, &names, &n), 0);
	assert_int_equal(n, 2); /* m and target: no temporary left */
	fs_free_list(names);

	/* temporaries at names one could guess (the process id and a count)
	 * are not in the way: the name is random, and none is left */
	for (int k = 0; k < 64; k++) {
		char name[64];
		snprintf(name, sizeof name, ".partnermap-%ld-%d.tmp",
			 (long)getpid(), k);
		fixture_put(dir, name, "planted", 7);
	}
	assert_int_equal(fs_replace(path, "again", 5), 0);
	buf_reset(&got);
	assert_int_equal(fs_read(path, &got), 0);
	assert_string_equal(buf_cstr(&got), "again");
	assert_int_equal(fs_list_all(dir, &names, &n), 0);
	assert_int_equal(n, 2 + 64);
	fs_free_list(names);

	/* a name of 250 bytes, near the 255 a name may have: the temporary
	 * beside it is short, so it can be written */
	char longname[251];
	memset(longname, 'n', 250);
	longname[250] = '\0';
	char *longpath = fs_join(dir, longname);
	assert_int_equal(fs_replace(longpath, "long", 4), 0);
	buf_reset(&got);
	assert_int_equal(fs_read(longpath, &got), 0);
	assert_string_equal(buf_cstr(&got), "long");
	unlink(longpath);
	free(longpath);
	FREE_ALL(path, target);
	buf_free(&want);
	buf_free(&seen);
	buf_free(&got);
	fs_remove_tree(dir);
}

/* fs_open_plain refuses links, anything but a regular file, and a file
 * someone else owns or may write, and says the size; fs_pread_all reads from an offset, and fails with EIO when
 * the file ends first. */
/* fs_replace_at writes into the folder it was given open, every step of
 * it: a link put where the folder's path was, after it was opened, is
 * never followed, and nothing is left in either place but the file. */
static void replace_at_stays_in_the_folder_opened(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	char *folder = fs_join(dir, "reports"), *aside = fs_join(dir, "aside");
	char *elsewhere = fs_join(dir, "elsewhere");
	assert_int_equal(mkdir(folder, 0755), 0);
	assert_int_equal(mkdir(elsewhere, 0755), 0);
	int at = open(folder, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(at >= 0);
	/* the folder moved, a link to another in its place */
	assert_int_equal(rename(folder, aside), 0);
	assert_int_equal(symlink(elsewhere, folder), 0);
	assert_int_equal(fs_replace_at(at, "r.json", "[]\n", 3), 0);
	assert_string_equal_free(fixture_slurp(aside, "r.json"), "[]\n");
	char **names = NULL;
	size_t n = 9;
	assert_int_equal(fs_list(elsewhere, &names, &n), 0);
	assert_int_equal(n, 0);
	fs_free_list(names);
	assert_int_equal(fs_list(aside, &names, &n), 0);
	assert_int_equal(n, 1); /* no temporary file left */
	fs_free_list(names);
	/* the same for a name taken by a folder: fails, and leaves nothing */
	char *sub = fs_join(aside, "sub");
	assert_int_equal(mkdir(sub, 0755), 0);
	free(sub);
	assert_int_equal(fs_replace_at(at, "sub", "x", 1), -1);
	assert_int_equal(fs_list(aside, &names, &n), 0);
	assert_int_equal(n, 2);
	fs_free_list(names);
	close(at);
	fs_remove_tree(dir);
	FREE_ALL(folder, aside, elsewhere);
}

static mode_t current_umask(void)
{
	mode_t m = umask(0);
	umask(m);
	return m;
}

/* The temporary file of a hidden name is named after it, so that what a
 * killed process left is known for its; any other name's, or a hidden
 * one too long to take the tail, is the short one. */
static void replace_names_a_hidden_files_temporary_after_it(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	char *hidden = fs_join(dir, ".out.partnermap-cache");
	char *plain = fs_join(dir, "report.json");
	char long_name[NAME_MAX + 1];
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[0] = '.';
	long_name[NAME_MAX - FS_TMP_TAIL + 1] = '\0'; /* one byte too long */
	char *too_long = fs_join(dir, long_name);
	struct {
		const char *path, *name;
		int own;
	} cases[] = {{hidden, ".out.partnermap-cache", 1},
		     {plain, "report.json", 0}, {too_long, long_name, 0}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fs_writer w;
		assert_int_equal(fs_replace_open(&w, cases[i].path), 0);
		const char *tmp = strrchr(w.tmp, '/') + 1;
		assert_int_equal(fs_is_tmp_of(tmp, cases[i].name), cases[i].own);
		if (!cases[i].own) {
			assert_int_equal(strncmp(tmp, ".partnermap-", 12), 0);
			assert_int_equal(strlen(tmp), 12 + 16 + 4);
		}
		struct stat sb;
		assert_int_equal(lstat(w.tmp, &sb), 0);
		fs_writer_put(&w, "x", 1);
		assert_int_equal(fs_replace_close(&w, 1), 0);
		assert_int_equal(lstat(cases[i].path, &sb), 0);
	}
	char **names = NULL;
	size_t n = 0;
	assert_int_equal(fs_list_all(dir, &names, &n), 0);
	assert_int_equal(n, 3); /* no temporary left */
	fs_free_list(names);

	/* a private file's temporary is private from the first byte, not
	 * made 0644 and changed after */
	char *secret = fs_join(dir, ".out.partnermap-manifest");
	fs_writer w;
	assert_int_equal(fs_replace_open_mode(&w, secret, 0600), 0);
	struct stat sb;
	assert_int_equal(fstat(w.fd, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600 & ~current_umask());
	fs_writer_put(&w, "m", 1);
	assert_int_equal(fs_replace_close(&w, 1), 0);
	assert_int_equal(lstat(secret, &sb), 0);
	free(secret);

	/* the name's exact form, and nothing else */
	const char *h = ".o.partnermap-cache";
	assert_true(fs_is_tmp_of(".o.partnermap-cache.0123456789abcdef.tmp", h));
	const char *not[] = {
		".o.partnermap-cache.0123456789ABCDEF.tmp", /* upper case */
		".o.partnermap-cache.0123456789abcde.tmp",  /* 15 digits */
		".o.partnermap-cache.0123456789abcdef0.tmp", /* 17 */
		".o.partnermap-cache.0123456789abcdeg.tmp",
		".o.partnermap-cache.0123456789abcdef.tmp~",
		".o.partnermap-cache.0123456789abcdef.tm",
		".o.partnermap-cache0123456789abcdef.tmp",
		".o.partnermap-cache.tmp", ".o.partnermap-cache",
		".o.partnermap-cach.0123456789abcdef.tmp",
		".o.partnermap-caches.0123456789abcdef.tmp",
		".p.partnermap-cache.0123456789abcdef.tmp", ""};
	for (size_t i = 0; i < sizeof not / sizeof *not; i++)
		assert_false(fs_is_tmp_of(not[i], h));
	fs_remove_tree(dir);
	FREE_ALL(hidden, plain, too_long);
}

/* Each way fs_open_plain refuses a file that is there has its clause, and
 * the file found by each such way gets that clause; nothing there, or a
 * read that failed, is no refusal. */
static void plain_refusal_says_why(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	fixture_put(dir, "f", "0123456789", 10);
	char *f = fs_join(dir, "f"), *l = fs_join(dir, "l"), *p = fs_join(dir, "p"),
	     *none = fs_join(dir, "none");
	assert_int_equal(symlink(f, l), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	static const struct {
		int how; /* 0 the link, 1 the pipe, 2 the folder, 3 max 9 */
		const char *said;
	} cases[] = {
		{0, "it is a symbolic link, which a build never follows"},
		{1, "it is not a regular file"},
		{2, "it is not a regular file"},
		{3, "it is larger than a build reads"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const char *at[] = {l, p, dir, f};
		errno = 0;
		assert_int_equal(fs_open_plain(at[cases[k].how],
					       cases[k].how == 3 ? 9 : 100, NULL), -1);
		assert_string_equal(fs_plain_refusal(errno), cases[k].said);
	}
	assert_int_equal(chmod(f, 0666), 0);
	errno = 0;
	assert_int_equal(fs_open_plain(f, 100, NULL), -1);
	assert_string_equal(fs_plain_refusal(errno),
			    "another user owns it, or its group or others may "
			    "write it");
	assert_string_equal(fs_plain_refusal(EACCES), "you may not read it");
	errno = 0;
	assert_int_equal(fs_open_plain(none, 100, NULL), -1);
	assert_int_equal(errno, ENOENT);
	assert_null(fs_plain_refusal(errno));
	assert_null(fs_plain_refusal(EIO));
	assert_null(fs_plain_refusal(0));
	FREE_ALL(f, l, p, none);
	fs_remove_tree(dir);
}

/* Another version's first line is told from a damaged one. */
static void magic_of_another_version(void **state)
{
	(void)state;
	static const char magic[] = "partnermap-manifest 2\n";
	static const struct {
		const char *bytes;
		int other;
	} cases[] = {
		{"partnermap-manifest 1\nrest", 1},
		{"partnermap-manifest 10\n", 1},
		{"partnermap-manifest 2\nrest", 0}, /* its own */
		{"partnermap-manifest 3", 0},        /* no line end: cut short */
		{"partnermap-manifest x\n", 0},
		{"partnermap-manifest \n", 0},
		{"partnermap-manifest 2 \n", 0},
		{"partnermap-manifesu 1\n", 0},
		{"partnermap-pieces 1\n", 0},
		{"", 0},
		{"partnermap-manifest 123456789012345678901234\n", 0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		assert_int_equal(fs_magic_other(cases[k].bytes,
						strlen(cases[k].bytes), magic),
				 cases[k].other);
	assert_int_equal(fs_magic_other(NULL, 0, magic), 0);
	assert_int_equal(fs_magic_other("a 1\n", 4, "no-space"), 0);
}

static void open_plain_and_pread_all(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	fixture_put(dir, "f", "0123456789", 10);
	char *f = fs_join(dir, "f"), *l = fs_join(dir, "l");
	assert_int_equal(symlink(f, l), 0);
	size_t size = 0;
	int fd = fs_open_plain(f, 100, &size);
	assert_true(fd >= 0);
	assert_int_equal(size, 10);
	char got[4] = {0};
	assert_int_equal(fs_pread_all(fd, got, 3, 6), 0);
	assert_memory_equal(got, "678", 3);
	errno = 0;
	assert_int_equal(fs_pread_all(fd, got, 4, 8), -1);
	assert_int_equal(errno, EIO);
	close(fd);
	errno = 0;
	assert_int_equal(fs_open_plain(f, 9, NULL), -1);
	assert_int_equal(errno, EFBIG);
	errno = 0;
	assert_int_equal(fs_open_plain(l, 100, NULL), -1);
	assert_int_equal(errno, ELOOP);
	errno = 0;
	assert_int_equal(fs_open_plain(dir, 100, NULL), -1);
	assert_int_equal(errno, EINVAL);
	/* another may write it, or owns it: planted, not taken */
	static const mode_t writable[] = {0664, 0646, 0666};
	for (size_t k = 0; k < sizeof writable / sizeof writable[0]; k++) {
		assert_int_equal(chmod(f, writable[k]), 0);
		errno = 0;
		assert_int_equal(fs_open_plain(f, 100, NULL), -1);
		assert_int_equal(errno, EPERM);
	}
	assert_int_equal(chmod(f, 0600), 0);
	fd = fs_open_plain(f, 100, NULL);
	assert_true(fd >= 0);
	close(fd);
	if (geteuid() == 0) { /* only root can give a file away */
		assert_int_equal(chown(f, 1, 1), 0);
		errno = 0;
		assert_int_equal(fs_open_plain(f, 100, NULL), -1);
		assert_int_equal(errno, EPERM);
	}
	FREE_ALL(f, l);
	fs_remove_tree(dir);
}

/* fs_chmod_opened sets the bits through any descriptor, an O_PATH one
 * too, and changes the file opened: not the one its name has since. */
static void chmod_opened_changes_the_file_opened(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	char *a = fs_join(dir, "a"), *b = fs_join(dir, "b");
	assert_int_equal(mkdir(a, 0755), 0);
	assert_int_equal(mkdir(b, 0755), 0);
	struct stat sb;
	int flags[] = {O_RDONLY, O_PATH};
	mode_t want[] = {0700, 02750};
	for (int k = 0; k < 2; k++) {
		int fd = open(a, flags[k] | O_DIRECTORY | O_CLOEXEC);
		assert_true(fd >= 0);
		assert_int_equal(fs_chmod_opened(fd, want[k]), 0);
		assert_int_equal(stat(a, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, want[k]);
		close(fd);
	}
	/* a renamed away, b put in its place: a changes, b does not */
	int fd = open(a, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *gone = fs_join(dir, "gone");
	assert_int_equal(rename(a, gone), 0);
	assert_int_equal(rename(b, a), 0);
	assert_int_equal(fs_chmod_opened(fd, 0711), 0);
	assert_int_equal(stat(gone, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0711);
	assert_int_equal(stat(a, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0755);
	close(fd);
	errno = 0;
	assert_int_equal(fs_chmod_opened(-1, 0700), -1);
	assert_int_equal(errno, EBADF);
	/* a folder its owner may not enter is removed all the same */
	char *shut = fs_join(a, "shut"), *in = fs_join(shut, "in");
	assert_int_equal(mkdir(shut, 0755), 0);
	assert_int_equal(mkdir(in, 0755), 0);
	assert_int_equal(chmod(in, 0), 0);
	assert_int_equal(chmod(shut, 0500), 0);
	assert_int_equal(fs_remove_tree(dir), 0);
	assert_int_equal(access(dir, F_OK), -1);
	FREE_ALL(a, b, gone, shut, in);
}

/* fs_lock_open makes a lock file only its user may open, takes it again
 * when it is one, and refuses a link, a folder, and a file others may
 * open or another user owns (any of them could hold the lock forever). */
static void lock_open_is_private(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	char *f = fs_join(dir, "lock"), *l = fs_join(dir, "l"),
	     *target = fs_join(dir, "target");
	mode_t was = umask(0);
	mode_t had = 0777;
	int fd = fs_lock_open(f, &had);
	umask(was);
	assert_int_equal(had, 0);
	assert_true(fd >= 0);
	struct stat sb;
	assert_int_equal(fstat(fd, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	int again = fs_lock_open(f, NULL); /* one's own: opened, and locked out */
	assert_true(again >= 0);
	errno = 0;
	assert_int_equal(flock(again, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	close(again);
	close(fd);
	assert_int_equal(symlink(target, l), 0);
	errno = 0;
	assert_int_equal(fs_lock_open(l, NULL), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(access(target, F_OK), -1); /* not made through it */
	errno = 0;
	assert_int_equal(fs_lock_open(dir, NULL), -1);
	assert_true(errno == EISDIR || errno == EINVAL);
	static const mode_t open_to_others[] = {0640, 0604, 0620, 0602, 0660};
	for (size_t k = 0; k < sizeof open_to_others / sizeof *open_to_others; k++) {
		/* refused once (one may hold it still), made private, then
		 * used */
		assert_int_equal(chmod(f, open_to_others[k]), 0);
		errno = 0;
		assert_int_equal(fs_lock_open(f, &had), -1);
		assert_int_equal(errno, EPERM);
		assert_int_equal(had, open_to_others[k]);
		assert_int_equal(stat(f, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0600);
		fd = fs_lock_open(f, &had);
		assert_true(fd >= 0);
		assert_int_equal(had, 0);
		close(fd);
	}
	assert_int_equal(chmod(f, 0600), 0);
	if (geteuid() == 0) { /* only root can give a file away */
		assert_int_equal(chown(f, 1, 1), 0);
		errno = 0;
		assert_int_equal(fs_lock_open(f, &had), -1);
		assert_int_equal(errno, EPERM);
	}
	FREE_ALL(f, l, target);
	fs_remove_tree(dir);
}
static void open_own_dir_opens_only_this_users_folder_as_it_was(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	int at = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(at >= 0);
	assert_int_equal(mkdirat(at, "d", 0), 0);
	assert_int_equal(mkdirat(at, "e", 0755), 0);
	assert_int_equal(symlinkat("d", at, "link"), 0);
	int f = openat(at, "file", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(f >= 0);
	close(f);
	struct stat was, now;
	assert_int_equal(fstatat(at, "d", &was, 0), 0);
	/* a folder shut even to its owner opens: O_PATH needs no permission */
	int fd = fs_open_own_dir(at, "d", &was, &now);
	assert_true(fd >= 0);
	assert_int_equal(now.st_ino, was.st_ino);
	assert_int_equal(now.st_mode & 07777, 0);
	close(fd);
	fd = fs_open_own_dir(at, "d", NULL, &now);
	assert_true(fd >= 0);
	close(fd);
	/* another folder now in its place, a link, a file, nothing */
	assert_int_equal(renameat(at, "e", at, "d2"), 0);
	assert_int_equal(renameat(at, "d", at, "e"), 0);
	assert_int_equal(renameat(at, "d2", at, "d"), 0);
	errno = 0;
	assert_int_equal(fs_open_own_dir(at, "d", &was, &now), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(fs_open_own_dir(at, "link", NULL, &now), -1);
	assert_int_equal(fs_open_own_dir(at, "file", NULL, &now), -1);
	assert_int_equal(fs_open_own_dir(at, "none", NULL, &now), -1);
	assert_int_equal(errno, ENOENT);
	/* another user's folder: only root can make one to try */
	if (geteuid() == 0) {
		assert_int_equal(fchownat(at, "d", 65534, 65534, 0), 0);
		errno = 0;
		assert_int_equal(fs_open_own_dir(at, "d", NULL, &now), -1);
		assert_int_equal(errno, EPERM);
	}
	close(at);
	assert_int_equal(fs_remove_tree(dir), 0);
}


/* fs_remove_below removes all it can, and names the first entry it
 * could not remove, the deepest, with that failure's errno: here a file
 * in an immutable folder (root only: chattr), where the caller knew
 * only the top name. */
static void remove_below_names_the_entry_it_could_not_remove(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	int at = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(at >= 0);
	char *failed = (char *)"unset";
	size_t count = 9;
	assert_int_equal(fs_remove_below(at, "none", &failed, NULL), 0);
	assert_null(failed);
	assert_int_equal(mkdirat(at, "a", 0755), 0);
	assert_int_equal(mkdirat(at, "a/b", 0755), 0);
	fixture_put(dir, "a/b/c", "x", 1);
	fixture_put(dir, "a/x", "x", 1);
	fixture_put(dir, "a/z", "x", 1);
	char *cmd = xasprintf("chattr +i '%s/a/b' 2>/dev/null", dir);
	if (geteuid() == 0 && system(cmd) == 0) {
		errno = 0;
		assert_int_equal(fs_remove_below(at, "a", &failed, &count), -1);
		assert_int_equal(errno, EPERM);
		assert_string_equal(failed, "a/b/c");
		assert_int_equal(count, 1); /* c; b only for what it holds */
		free(failed);
		/* the rest went; what could not stays */
		assert_int_equal(faccessat(at, "a/x", F_OK, 0), -1);
		assert_int_equal(faccessat(at, "a/z", F_OK, 0), -1);
		assert_int_equal(faccessat(at, "a/b/c", F_OK, 0), 0);
		errno = 0;
		assert_int_equal(fs_remove_at(at, "a"), -1);
		assert_int_equal(errno, EPERM);
		free(cmd);
		cmd = xasprintf("chattr -i '%s/a/b'", dir);
		assert_int_equal(system(cmd), 0);
	}
	free(cmd);
	assert_int_equal(fs_remove_below(at, "a", &failed, &count), 0);
	assert_null(failed);
	assert_int_equal(count, 0);
	assert_int_equal(faccessat(at, "a", F_OK, 0), -1);
	close(at);
	assert_int_equal(fs_remove_tree(dir), 0);
}

/* fs_entry_at tells an entry's type, owner and flags without following
 * a link; the flags read only where chattr can set them (root). */
static void entry_at_tells_type_owner_and_flags(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	int at = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(at >= 0);
	fs_entry e;
	errno = 0;
	assert_int_equal(fs_entry_at(at, "none", &e), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(mkdirat(at, "d", 0700), 0);
	fixture_put(dir, "d/f", "x", 1);
	assert_int_equal(symlinkat("d", at, "l"), 0);
	assert_int_equal(fs_entry_at(at, "d/f", &e), 0);
	assert_true(S_ISREG(e.mode));
	assert_int_equal(e.uid, geteuid());
	assert_int_equal(e.immutable + e.append_only, 0);
	assert_int_equal(fs_entry_at(at, "l", &e), 0);
	assert_true(S_ISLNK(e.mode)); /* the link, not its folder */
	assert_int_equal(fs_entry_at(at, "", &e), 0);
	assert_true(S_ISDIR(e.mode));
	char *cmd = xasprintf("chattr +i '%s/d/f' && chattr +a '%s/d' 2>/dev/null",
			      dir, dir);
	if (geteuid() == 0 && system(cmd) == 0) {
		assert_int_equal(fs_entry_at(at, "d/f", &e), 0);
		assert_int_equal(e.immutable, 1);
		assert_int_equal(e.append_only, 0);
		assert_int_equal(fs_entry_at(at, "d", &e), 0);
		assert_int_equal(e.immutable, 0);
		assert_int_equal(e.append_only, 1);
		assert_true((e.mode & 07777) == 0700);
		/* the older helpers follow a link to the flagged folder */
		assert_int_equal(fs_append_only_at(at, "l"), 1);
		assert_int_equal(fs_append_only_at(at, "d/f"), 0);
		char *f = xasprintf("%s/d/f", dir);
		assert_int_equal(fs_immutable(f), 1);
		free(f);
		assert_int_equal(fs_entry_at(at, "l", &e), 0);
		assert_int_equal(e.append_only, 0);
	}
	free(cmd);
	cmd = xasprintf("chattr -i '%s/d/f' 2>/dev/null; chattr -a '%s/d' "
			"2>/dev/null; true", dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	close(at);
	assert_int_equal(fs_remove_tree(dir), 0);
}

/* The flag words follow chattr(1)'s letters and lsattr(1)'s -d for a
 * folder; immutable is named when both flags are set. */
static void flag_words_name_the_flag_and_how_to_see_it(void **state)
{
	(void)state;
	fs_flag_words w = {0};
	fs_entry e = {S_IFREG | 0644, 0, 0, 0};
	assert_int_equal(fs_flag_words_of(&e, &w), 0);
	e.immutable = 1;
	assert_int_equal(fs_flag_words_of(&e, &w), 1);
	assert_string_equal(w.name, "immutable");
	assert_string_equal(w.shown, "lsattr shows an i");
	assert_string_equal(w.clear, "chattr -i");
	assert_int_equal(w.letter, 'i');
	e.append_only = 1; /* both: the one that forbids more */
	assert_int_equal(fs_flag_words_of(&e, &w), 1);
	assert_string_equal(w.name, "immutable");
	e = (fs_entry){S_IFDIR | 0755, 0, 0, 1};
	assert_int_equal(fs_flag_words_of(&e, &w), 1);
	assert_string_equal(w.name, "append-only");
	assert_string_equal(w.shown, "lsattr -d shows an a");
	assert_string_equal(w.clear, "chattr -a");
	assert_int_equal(w.letter, 'a');
}

/* fs_folder_of: the part before the last slash, "/" for the root's
 * entries, the caller's word for a bare name. */
static void folder_of_cuts_the_last_name(void **state)
{
	(void)state;
	static const struct {
		const char *path, *none, *want;
	} cases[] = {
		{"a/b/c", ".", "a/b"},
		{"a/b/", ".", "a/b"},
		{"a", ".", "."},
		{"a", "", ""},
		{"", ".", "."},
		{"/x", ".", "/"},
		{"/", "", "/"},
		{"./out", ".", "."},
		{"../site/out", "", "../site"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = fs_folder_of(cases[i].path, cases[i].none);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* What a file renamed over an entry must never take the place of (a
 * device, a pipe, a socket), and what it cannot (an immutable file, in
 * /proc or /sys); a regular file, a link and nothing at all are fine. */
static void why_unreplaceable_names_each_kind(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	int at = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(at >= 0);
	assert_null(fs_why_unreplaceable_at(at, "missing.json"));
	assert_int_equal(mknodat(at, "file", S_IFREG | 0644, 0), 0);
	assert_null(fs_why_unreplaceable_at(at, "file"));
	/* a link goes, unless it leads to what is not a file */
	assert_int_equal(symlinkat("file", at, "link"), 0);
	assert_null(fs_why_unreplaceable_at(at, "link"));
	assert_int_equal(symlinkat("nowhere", at, "dangling"), 0);
	assert_null(fs_why_unreplaceable_at(at, "dangling"));
	assert_int_equal(symlinkat("/dev/null", at, "null"), 0);
	assert_string_equal(fs_why_unreplaceable_at(at, "null"),
			    "it is a symbolic link to something that is not a "
			    "file (a device, a pipe, a folder: /dev/stdout, "
			    "say), which partnermap would replace with a file; "
			    "give the path of a file");
	/* /dev/stdout leads where this test's output goes: said either way */
	assert_non_null(fs_why_unreplaceable_at(AT_FDCWD, "/dev/stdout"));
	assert_string_equal(fs_why_unreplaceable_at(AT_FDCWD, "/dev/report.json"),
			    "its folder is in /dev, the system's devices, where "
			    "partnermap writes nothing; give another path");
	assert_int_equal(mkfifoat(at, "fifo", 0644), 0);
	assert_string_equal(fs_why_unreplaceable_at(at, "fifo"),
			    "it is a named pipe, which partnermap never "
			    "replaces; give the path of a file");
	char *fifo = fs_join(dir, "fifo");
	assert_non_null(fs_why_unreplaceable_at(AT_FDCWD, fifo));
	free(fifo);
	assert_string_equal(fs_why_unreplaceable_at(AT_FDCWD, "/dev/null"),
			    "it is a device, which partnermap never replaces; "
			    "give the path of a file");
	assert_string_equal(fs_why_unreplaceable_at(AT_FDCWD, "/proc/x.json"),
			    "its folder is in /proc or /sys, the kernel's, where "
			    "no file can be written; give another path");
	assert_non_null(fs_why_unreplaceable_at(AT_FDCWD, "/sys/x.json"));
	if (geteuid() == 0 && system("command -v chattr >/dev/null") == 0) {
		char *cmd = xasprintf("chattr +i '%s/file' 2>/dev/null", dir);
		if (system(cmd) == 0) {
			assert_string_equal(
				fs_why_unreplaceable_at(at, "file"),
				"it is immutable (lsattr shows an i): it cannot "
				"be replaced; clear the flag (chattr -i) or give "
				"another path");
			free(cmd);
			cmd = xasprintf("chattr -i '%s/file'", dir);
			assert_int_equal(system(cmd), 0);
		}
		free(cmd);
	}
	close(at);
	fs_remove_tree(dir);
}

/* A line of a /proc/PID/maps for the file at path as it is now. */
static void map_line(buf_t *b, const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	buf_printf(b, "7f0000000000-7f0000001000 r--p 00000000 %02x:%02x %llu    %s\n",
		   major(sb.st_dev), minor(sb.st_dev), (unsigned long long)sb.st_ino, path);
}

/* fs_maps_digest knows each shared object by the file mapped: the same
 * maps give the same digest whatever their order and repeats; a file not
 * a shared object, and the program, do not count; a library renamed over
 * since it was mapped, or changed in place with its size and time kept
 * (cp -p over it), is another. fs_libraries_digest is one SHA-256 in hex,
 * the same on every call. */
static void maps_digest_knows_the_file_mapped(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fs"), 0);
	fixture_put(dir, "liba.so.1", "0123", 4);
	fixture_put(dir, "libb.so", "4567", 4);
	fixture_put(dir, "data.txt", "89", 2);
	char *a = fs_join(dir, "liba.so.1"), *b = fs_join(dir, "libb.so"),
	     *txt = fs_join(dir, "data.txt"), *fresh = fs_join(dir, "liba.so.1.new");
	buf_t ab = BUF_INIT, bab = BUF_INIT, more = BUF_INIT;
	map_line(&ab, a);
	map_line(&ab, b);
	map_line(&bab, b);
	map_line(&bab, a);
	map_line(&bab, b);
	map_line(&more, txt);
	map_line(&more, a);
	map_line(&more, b);
	char *was = fs_maps_digest(buf_cstr(&ab), 0, 0);
	assert_int_equal(strlen(was), 64);
	char *d = fs_maps_digest(buf_cstr(&bab), 0, 0);
	assert_string_equal(was, d);
	free(d);
	d = fs_maps_digest(buf_cstr(&more), 0, 0);
	assert_string_equal(was, d);
	free(d);
	struct stat sb;
	assert_int_equal(stat(b, &sb), 0);
	d = fs_maps_digest(buf_cstr(&ab), sb.st_dev, sb.st_ino); /* b: the program */
	assert_string_not_equal(was, d);
	free(d);
	/* renamed over: the same bytes and times, another file */
	assert_int_equal(stat(a, &sb), 0);
	fixture_put(dir, "liba.so.1.new", "0123", 4);
	struct timespec times[2] = {sb.st_atim, sb.st_mtim};
	assert_int_equal(utimensat(AT_FDCWD, fresh, times, 0), 0);
	assert_int_equal(rename(fresh, a), 0);
	char *replaced = fs_maps_digest(buf_cstr(&ab), 0, 0);
	assert_string_not_equal(was, replaced);
	/* changed in place, its size and modification time kept */
	buf_t now = BUF_INIT;
	map_line(&now, a);
	map_line(&now, b);
	char *before = fs_maps_digest(buf_cstr(&now), 0, 0);
	assert_int_equal(stat(a, &sb), 0);
	struct timespec pause = {0, 20 * 1000 * 1000};
	nanosleep(&pause, NULL);
	fixture_put(dir, "liba.so.1", "0124", 4);
	times[0] = sb.st_atim;
	times[1] = sb.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, a, times, 0), 0);
	char *after = fs_maps_digest(buf_cstr(&now), 0, 0);
	assert_string_not_equal(before, after);
	const char *lib = fs_libraries_digest();
	assert_int_equal(strspn(lib, "0123456789abcdef"), 64);
	assert_int_equal(strlen(lib), 64);
	assert_ptr_equal(fs_libraries_digest(), lib);
	buf_free(&ab);
	buf_free(&bab);
	buf_free(&more);
	buf_free(&now);
	FREE_ALL(a, b, txt, fresh, was, replaced, before, after);
	fs_remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mkdirs_makes_what_is_missing),
		cmocka_unit_test(dotdot_after_a_missing_folder),
		cmocka_unit_test(reads_append_every_byte),
		cmocka_unit_test(replace_writes_whole_or_nothing),
		cmocka_unit_test(replace_at_stays_in_the_folder_opened),
		cmocka_unit_test(replace_names_a_hidden_files_temporary_after_it),
		cmocka_unit_test(open_plain_and_pread_all),
		cmocka_unit_test(plain_refusal_says_why),
		cmocka_unit_test(magic_of_another_version),
		cmocka_unit_test(lock_open_is_private),
		cmocka_unit_test(chmod_opened_changes_the_file_opened),
		cmocka_unit_test(open_own_dir_opens_only_this_users_folder_as_it_was),
		cmocka_unit_test(remove_below_names_the_entry_it_could_not_remove),
		cmocka_unit_test(entry_at_tells_type_owner_and_flags),
		cmocka_unit_test(flag_words_name_the_flag_and_how_to_see_it),
		cmocka_unit_test(folder_of_cuts_the_last_name),
		cmocka_unit_test(why_unreplaceable_names_each_kind),
		cmocka_unit_test(maps_digest_knows_the_file_mapped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
