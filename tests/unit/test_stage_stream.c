/* test_stage_stream.c - a file of the site written in pieces
 * (stage_stream_*): the same file, limit and in-place comparison as one
 * stage_write of all its bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "publish/stage.h"
#include "publish/update.h"
#include "util/buf.h"
#include "util/fs.h"

FIXTURE_DIR_HOOKS("pm-stream")

/* Whether a staging folder stands beside f's output folder. */
static int staged_any(const fixture_dir *f)
{
	char **names;
	size_t n;
	assert_int_equal(fs_list_all(f->dir, &names, &n), 0);
	int any = 0;
	for (size_t k = 0; k < n; k++)
		any |= !strncmp(names[k], "output.staging-", 15);
	fs_free_list(names);
	return any;
}

/* What a build writes into data.json: stage_stream_write calls on w. */
typedef void (*writer)(stage_stream *w, const void *ctx, diags_t *d);

/* One build of f's folder/output holding data.json, written by put, in
 * place or whole; committed. Returns how many files the build wrote
 * (stage.written); *staged (when not NULL): whether a staging folder
 * stood beside the output folder before the commit. */
static size_t build_with(const fixture_dir *f, int incremental, writer put,
			 const void *ctx, int *staged)
{
	char *out = fs_join(f->dir, "output");
	diags_t d = DIAGS_INIT;
	stage_options o = {.shown = "output", .incremental = incremental};
	stage st;
	assert_int_equal(stage_open(&st, out, &o, &d), 0);
	stage_stream w;
	assert_int_equal(stage_stream_open(&st, "data/data.json", &w, &d), 0);
	put(&w, ctx, &d);
	assert_int_equal(stage_stream_close(&w, &d), 0);
	assert_null(w.rel);
	if (staged)
		*staged = staged_any(f);
	assert_int_equal(stage_commit(&st, &d), 0);
	size_t written = st.written;
	stage_close(&st);
	assert_int_equal(d.n, 0);
	assert_false(staged_any(f));
	diags_free(&d);
	free(out);
	return written;
}

static void put_list(stage_stream *w, const void *ctx, diags_t *d)
{
	const char *const *pieces = ctx;
	for (size_t k = 0; pieces[k]; k++)
		assert_int_equal(stage_stream_write(w, pieces[k], strlen(pieces[k]), d), 0);
}

/* build_with the pieces of the NULL-ended list. */
static size_t build(const fixture_dir *f, int incremental,
		    const char *const *pieces)
{
	return build_with(f, incremental, put_list, pieces, NULL);
}

/* The last build's data.json holds want. */
static void assert_data(const fixture_dir *f, const char *want)
{
	char *out = fs_join(f->dir, "output");
	assert_string_equal_free(fixture_slurp(out, "data/data.json"), want);
	free(out);
}

static ino_t inode_of(const fixture_dir *f)
{
	char *path = fs_join(f->dir, "output/data/data.json");
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	free(path);
	return sb.st_ino;
}

static void pieces_make_one_file(void **state)
{
	fixture_dir *f = *state;
	static const char *const pieces[] = {"[1,", "", "2,3]\n", NULL};
	assert_int_equal(build(f, 0, pieces), 1);
	assert_data(f, "[1,2,3]\n");
}

/* In place, the same bytes in other pieces leave the file as it was (its
 * inode); other bytes of the same size, or another size, replace it. */
static void in_place_the_same_bytes_are_not_written(void **state)
{
	fixture_dir *f = *state;
	static const char *const first[] = {"[1,2,3]", NULL};
	static const char *const same[] = {"[1", ",2,", "3]", NULL};
	static const char *const other[] = {"[1,2,4]", NULL};
	static const char *const longer[] = {"[1,2,4]", "\n", NULL};
	assert_int_equal(build(f, 1, first), 1);
	ino_t was = inode_of(f);
	assert_int_equal(build(f, 1, same), 0);
	assert_int_equal(inode_of(f), was);
	assert_int_equal(build(f, 1, other), 1);
	assert_int_equal(build(f, 1, longer), 1);
	assert_data(f, "[1,2,4]\n");
}

/* n bytes at data, written in pieces of `piece` bytes. */
typedef struct chunks {
	const char *data;
	size_t n, piece;
} chunks;

static void put_chunks(stage_stream *w, const void *ctx, diags_t *d)
{
	const chunks *c = ctx;
	for (size_t at = 0; at < c->n; at += c->piece)
		assert_int_equal(stage_stream_write(w, c->data + at, c->n - at < c->piece
						    ? c->n - at : c->piece, d), 0);
}

/* One in-place build of data.json from the n bytes at data, written in
 * pieces of `piece` bytes (see build_with). */
static size_t build_pieces(const fixture_dir *f, const char *data, size_t n,
			   size_t piece, int *staged)
{
	chunks c = {data, n, piece};
	return build_with(f, 1, put_chunks, &c, staged);
}

/* In place, nothing is written, not even the staging folder, while the
 * bytes match OUT_DIR's file (a build that changes nothing writes nothing,
 * on a full disk too); from the first byte that differs the file is
 * staged whole, its matching start copied from OUT_DIR's: a change in the
 * middle, past 64 KiB pieces, at the end, a shorter and a longer file. */
static void in_place_nothing_is_staged_while_the_bytes_match(void **state)
{
	fixture_dir *f = *state;
	size_t n = 200000;
	char *a = malloc(n + 2);
	for (size_t k = 0; k < n; k++)
		a[k] = (char)('a' + k % 23);
	static const char *const first[] = {"x", NULL};
	assert_int_equal(build(f, 1, first), 1);
	int staged;
	assert_int_equal(build_pieces(f, a, n, 70000, &staged), 1);
	assert_true(staged);
	ino_t was = inode_of(f);
	static const size_t pieces[] = {1, 4096, 65536, 70000, 200000};
	for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++) {
		assert_int_equal(build_pieces(f, a, n, pieces[k], &staged), 0);
		assert_false(staged);
		assert_int_equal(inode_of(f), was);
	}
	char *path = fs_join(f->dir, "output/data/data.json");
	static const size_t changed_at[] = {150000, 0, 65535, 65536, 199999};
	for (size_t k = 0; k < sizeof changed_at / sizeof *changed_at; k++) {
		a[changed_at[k]] = '#';
		assert_int_equal(build_pieces(f, a, n, 70000, &staged), 1);
		assert_true(staged);
		buf_t got = BUF_INIT;
		assert_int_equal(fs_read(path, &got), 0);
		assert_int_equal(got.len, n);
		assert_memory_equal(got.ptr, a, n);
		buf_free(&got);
	}
	/* shorter: a start of the old file; longer: the old file and more */
	const size_t sizes[] = {n - 1, 10, n + 2};
	a[n] = '+';
	a[n + 1] = '-';
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		assert_int_equal(build_pieces(f, a, sizes[k], 4096, &staged), 1);
		buf_t got = BUF_INIT;
		assert_int_equal(fs_read(path, &got), 0);
		assert_int_equal(got.len, sizes[k]);
		assert_memory_equal(got.ptr, a, sizes[k]);
		buf_free(&got);
	}
	free(path);
	free(a);
}

/* A file growing past the site's limit stops there; its close gives
 * stage_write's error, and nothing of it stays in the staging folder. */
static void a_file_past_the_limit_is_refused(void **state)
{
	fixture_dir *f = *state;
	char *out = fs_join(f->dir, "output");
	diags_t d = DIAGS_INIT;
	/* the marker (11 bytes) counts too */
	stage_options o = {.shown = "output", .max_bytes = 31};
	stage st;
	assert_int_equal(stage_open(&st, out, &o, &d), 0);
	stage_stream w;
	assert_int_equal(stage_stream_open(&st, "big.json", &w, &d), 0);
	assert_int_equal(stage_stream_write(&w, "0123456789", 10, &d), 0);
	assert_int_equal(stage_stream_write(&w, "0123456789", 10, &d), 0);
	assert_int_equal(stage_stream_write(&w, "x", 1, &d), -1);
	assert_int_equal(d.n, 0);
	assert_int_equal(stage_stream_close(&w, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.errors, 1);
	assert_null(d.v[0].path); /* no file: which one depends on -j */
	assert_string_equal(d.v[0].msg,
		"the site would be larger than 31 bytes, the most a build writes: "
		"a template that copies a large value many times (such as "
		"{{{body_html}}} in a partial or section), or a record on "
		"thousands of pages (one in thousands of networks), makes it "
		"so; make them write less");
	char *staged = fs_join(st.tmp, "big.json");
	struct stat sb;
	assert_int_equal(stat(staged, &sb), -1);
	free(staged);
	stage_close(&st);
	diags_free(&d);
	free(out);
}

/* A file that cannot be created is a fatal error at its path. */
static void a_file_that_cannot_be_made_is_fatal(void **state)
{
	fixture_dir *f = *state;
	char *out = fs_join(f->dir, "output");
	diags_t d = DIAGS_INIT;
	stage_options o = {.shown = "output"};
	stage st;
	assert_int_equal(stage_open(&st, out, &o, &d), 0);
	/* a file stands where its folder should be */
	assert_int_equal(stage_write(&st, "data", "x", 1, &d), 0);
	stage_stream w;
	assert_int_equal(stage_stream_open(&st, "data/data.json", &w, &d), -1);
	assert_null(w.rel);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.fatals, 1);
	/* an output file has no line to point at: said without a position,
	 * naming the file */
	assert_null(d.v[0].path);
	assert_int_equal(d.v[0].line, 0);
	assert_string_equal(d.v[0].msg, "cannot write 'output/data/data.json': "
			    "File exists; a file is where a folder should be: "
			    "move it away, or choose another folder with -o");
	stage_close(&st);
	diags_free(&d);
	free(out);
}

/* A file whose folder is missing is not the same, and the comparison
 * closes nothing of the caller's: with standard input closed, as under
 * serve, descriptor 0 is a file another thread is writing. */
static void a_missing_folder_closes_no_one_elses_file(void **state)
{
	fixture_dir *f = *state;
	int saved = dup(0);
	assert_true(saved >= 0);
	close(0);
	char *path = fs_join(f->dir, "mine.txt");
	int mine = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	int root = open(f->dir, O_RDONLY | O_DIRECTORY);
	int same = upd_same(root, "missing/a.html", "x", 1);
	int same_fd = upd_same_fd(root, "missing/b.html", mine, 0);
	int still_open = fcntl(mine, F_GETFD) != -1;
	close(root);
	close(mine);
	dup2(saved, 0);
	close(saved);
	free(path);
	assert_int_equal(mine, 0);
	assert_int_equal(same, 0);
	assert_int_equal(same_fd, 0);
	assert_true(still_open);
}

/* A memory stage (partnermap serve's) hands a file written in pieces to
 * its sink whole, once, as it hands a file of one stage_write: it has no
 * staging folder to write into. */
static int keep_file(void *ctx, const char *rel, const void *data, size_t n,
		     diags_t *d)
{
	(void)d;
	buf_t *got = ctx;
	buf_printf(got, "%s:", rel);
	buf_put(got, data, n);
	buf_puts(got, ";");
	return 0;
}

static void a_memory_stage_gets_the_file_whole(void **state)
{
	(void)state;
	buf_t got = BUF_INIT;
	diags_t d = DIAGS_INIT;
	stage st;
	stage_open_memory(&st, keep_file, &got);
	stage_stream w;
	assert_int_equal(stage_stream_open(&st, "data/data.json", &w, &d), 0);
	static const char *const pieces[] = {"[1,", "", "2,3]\n"};
	for (size_t k = 0; k < 3; k++)
		assert_int_equal(stage_stream_write(&w, pieces[k], strlen(pieces[k]), &d), 0);
	assert_int_equal(stage_stream_close(&w, &d), 0);
	assert_null(w.rel);
	assert_string_equal(buf_cstr(&got), "data/data.json:[1,2,3]\n;");
	/* abandoned half-way, nothing reaches the sink */
	assert_int_equal(stage_stream_open(&st, "data/other.json", &w, &d), 0);
	assert_int_equal(stage_stream_write(&w, "[", 1, &d), 0);
	stage_stream_abort(&w);
	assert_string_equal(buf_cstr(&got), "data/data.json:[1,2,3]\n;");
	assert_int_equal(d.n, 0);
	stage_close(&st);
	buf_free(&got);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pieces_make_one_file, setup, teardown),
		cmocka_unit_test_setup_teardown(in_place_the_same_bytes_are_not_written, setup, teardown),
		cmocka_unit_test_setup_teardown(in_place_nothing_is_staged_while_the_bytes_match,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_file_past_the_limit_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_file_that_cannot_be_made_is_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(a_missing_folder_closes_no_one_elses_file, setup, teardown),
		cmocka_unit_test(a_memory_stage_gets_the_file_whole),
	};
	return cmocka_run_group_tests_name("stage_stream", tests, NULL, NULL);
}
