/* test_fs.c - fs_mkdirs (util/fs.h): the folder and the missing ones above
 * it are made; an existing folder is fine; a file in the way is refused
 * with the errno mkdir gives for it. fs_read and fs_read_plain append
 * every byte of a file of any size, NUL-terminated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mkdirs_makes_what_is_missing),
		cmocka_unit_test(dotdot_after_a_missing_folder),
		cmocka_unit_test(reads_append_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
