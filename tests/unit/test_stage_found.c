/* test_stage_found.c - after a build that swaps a whole site in, the
 * stage hands on the stat of every file as it was written (stage.h,
 * found), which is what the output folder then holds: the manifest of
 * pages kept (publish/reuse.c) is written from it, without walking the
 * new site. A file written twice gives none. The previous site, removed
 * on several threads, leaves nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "fixture.h"
#include "publish/stage.h"
#include "util/buf.h"
#include "util/fs.h"

FIXTURE_DIR_HOOKS("pm-found")

/* The files of one build, written whole or in pieces (stream). */
static const struct {
	const char *rel, *text;
	int stream;
} files[] = {
	{"index.html", "<p>home</p>", 0},
	{"partners.csv", "slug,name\n", 1},
	{"institutions/a/index.html", "<p>a</p>", 0},
	{"institutions/a/form.pdf", "%PDF", 0},
};
#define NFILES (sizeof files / sizeof files[0])

/* Stage files into f's folder/output (whole: a first build, or a
 * --clean one; no_exchange: the swap of two renames), the last `again`
 * of them twice, and commit. The stage is left open for the test. */
static void build(const fixture_dir *f, int no_exchange, size_t again,
		  stage *st)
{
	char *out = fs_join(f->dir, "output");
	diags_t d = DIAGS_INIT;
	stage_options o = {.shown = "output", .no_exchange = no_exchange,
			   .threads = 3};
	assert_int_equal(stage_open(st, out, &o, &d), 0);
	for (size_t k = 0; k < NFILES + again; k++) {
		size_t i = k < NFILES ? k : k - again;
		size_t n = strlen(files[i].text);
		if (!files[i].stream) {
			assert_int_equal(stage_write(st, files[i].rel, files[i].text,
						     n, &d), 0);
			continue;
		}
		stage_stream w;
		assert_int_equal(stage_stream_open(st, files[i].rel, &w, &d), 0);
		assert_int_equal(stage_stream_write(&w, files[i].text, n, &d), 0);
		assert_int_equal(stage_stream_close(&w, &d), 0);
	}
	assert_int_equal(stage_commit(st, &d), 0);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	free(out);
}

/* st->found is every file of files[], by rel, each with the stat the
 * output folder gives it now. */
static void assert_found_is_the_output(const fixture_dir *f, const stage *st)
{
	static const char *const by_rel[] = {
		"index.html", "institutions/a/form.pdf",
		"institutions/a/index.html", "partners.csv"};
	assert_non_null(st->found.v);
	assert_int_equal(st->found.n, NFILES);
	for (size_t k = 0; k < NFILES; k++) {
		const stage_file *s = &st->found.v[k];
		assert_string_equal(s->rel, by_rel[k]);
		char *path = xasprintf("%s/output/%s", f->dir, s->rel);
		struct stat now;
		assert_int_equal(lstat(path, &now), 0);
		free(path);
		assert_true(S_ISREG(s->id.mode));
		assert_int_equal(s->id.ino, now.st_ino);
		assert_int_equal(s->id.size, now.st_size);
		assert_int_equal(s->id.mtime.tv_sec, now.st_mtim.tv_sec);
		assert_int_equal(s->id.mtime.tv_nsec, now.st_mtim.tv_nsec);
		assert_int_equal(s->id.ctime.tv_sec, now.st_ctim.tv_sec);
		assert_int_equal(s->id.ctime.tv_nsec, now.st_ctim.tv_nsec);
	}
}

static void a_swapped_site_gives_the_stat_of_each_file(void **state)
{
	const fixture_dir *f = *state;
	/* the first build, then one over it by each kind of swap */
	for (int no_exchange = -1; no_exchange <= 1; no_exchange++) {
		stage st;
		build(f, no_exchange > 0, 0, &st);
		assert_found_is_the_output(f, &st);
		stage_close(&st);
	}
}

/* The names in f's folder, one per line, in order. */
static char *names_in(const char *dir)
{
	char **names;
	size_t n;
	assert_int_equal(fs_list_all(dir, &names, &n), 0);
	buf_t b = BUF_INIT;
	for (size_t k = 0; k < n; k++)
		buf_printf(&b, "%s\n", names[k]);
	fs_free_list(names);
	buf_cstr(&b);
	return buf_detach(&b);
}

static void the_site_replaced_on_threads_is_gone(void **state)
{
	const fixture_dir *f = *state;
	for (int no_exchange = 0; no_exchange <= 1; no_exchange++) {
		stage st;
		build(f, no_exchange, 0, &st);
		stage_close(&st);
		build(f, no_exchange, 0, &st);
		stage_close(&st);
		/* no staging folder, no old site: only the new one, and the
		 * lock builds into it take turns by */
		assert_string_equal_free(names_in(f->dir),
					 ".output.partnermap-lock\noutput\n");
		char *out = fs_join(f->dir, "output");
		assert_string_equal_free(names_in(out), ".partnermap-output\n"
					 "index.html\ninstitutions\npartners.csv\n");
		assert_string_equal_free(fixture_slurp(out, "institutions/a/index.html"),
					 "<p>a</p>");
		free(out);
	}
}

static void a_file_written_twice_gives_none(void **state)
{
	const fixture_dir *f = *state;
	stage st;
	build(f, 0, 1, &st);
	assert_null(st.found.v);
	assert_int_equal(st.found.n, 0);
	char *out = fs_join(f->dir, "output");
	assert_string_equal_free(fixture_slurp(out, "institutions/a/form.pdf"),
				 "%PDF");
	free(out);
	stage_close(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_swapped_site_gives_the_stat_of_each_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_file_written_twice_gives_none,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_site_replaced_on_threads_is_gone,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
