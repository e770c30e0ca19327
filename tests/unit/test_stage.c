/* test_stage.c - the staging folder and the atomic swap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "publish/assets.h"
#include "publish/stage.h"
#include "util/buf.h"
#include "util/fs.h"

typedef struct fixture {
	char dir[64];
	char *out;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/pm-stage-XXXXXX");
	if (!mkdtemp(f->dir))
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

static char *slurp(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	buf_t b = BUF_INIT;
	int rc = fs_read(path, &b);
	free(path);
	if (rc < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void write_site(const char *out, const char *body, diags_t *d, int commit)
{
	stage st;
	assert_int_equal(stage_open(&st, out, d), 0);
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
	char *s = slurp(f->out, "index.html");
	assert_string_equal(s, "one");
	free(s);
	s = slurp(f->out, "institutions/a/index.html");
	assert_string_equal(s, "a");
	free(s);
	char *marker = fs_join(f->out, STAGE_MARKER);
	assert_exists(marker);
	free(marker);
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
	char *s = slurp(f->out, "index.html");
	assert_string_equal(s, "two");
	free(s);
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
	char *s = slurp(f->out, "index.html");
	assert_string_equal(s, "one");
	free(s);
	char **names;
	size_t n;
	assert_int_equal(fs_list(f->dir, &names, &n), 0);
	assert_int_equal(n, 1);
	fs_free_list(names);
	diags_free(&d);
}

static void test_foreign_folder_is_never_replaced(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	assert_int_equal(fs_mkdirs(f->out), 0);
	char *mine = fs_join(f->out, "notes.txt");
	fs_write(mine, "keep", 4);
	stage st;
	assert_int_equal(stage_open(&st, f->out, &d), 0);
	assert_int_equal(stage_write(&st, "index.html", "x", 1, &d), 0);
	assert_int_equal(stage_commit(&st, &d), -1);
	stage_close(&st);
	assert_int_equal(d.fatals, 1);
	assert_has_diag(&d, DIAG_FATAL, "refusing");
	char *s = slurp(f->out, "notes.txt");
	assert_string_equal(s, "keep");
	free(s);
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

static void test_unusable_parent_is_fatal(void **state)
{
	/* A file where the parent folder should be: even root cannot. */
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *file = fs_join(f->dir, "plain-file");
	fs_write(file, "x", 1);
	char *out = fs_join(file, "output");
	stage st;
	assert_int_equal(stage_open(&st, out, &d), -1);
	stage_close(&st);
	assert_int_equal(d.fatals, 1);
	assert_has_diag(&d, DIAG_FATAL, "cannot create");
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
	char *s = slurp(deep, "index.html");
	assert_string_equal(s, "deep");
	free(s);
	free(deep);
	diags_free(&d);
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
	assert_int_equal(stage_open(&st, f->out, &d), 0);
	assert_int_equal(assets_publish(&root, "assets", "themes/x/assets", &st, &l, &d), 0);
	assert_int_equal(stage_commit(&st, &d), 0);
	stage_close(&st);
	assert_int_equal(l.n, 2);
	const asset *a = assets_find(&l, "style.css");
	assert_non_null(a);
	assert_string_equal(a->key, "style_css");
	assert_starts_with(a->href, "assets/style.");
	assert_int_equal(strlen(a->href), strlen("assets/style.0123456789.css"));
	char *copy = slurp(f->out, a->href);
	assert_string_equal(copy, "body{}");
	free(copy);
	/* the name changes with the content */
	char *first = xstrdup(a->href);
	assets_free(&l);
	fs_write(css, "body{color:red}", 15);
	assert_int_equal(stage_open(&st, f->out, &d), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_build_creates_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_swaps_whole_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abandoned_stage_keeps_previous_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_folder_is_never_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_folder_may_be_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_parent_is_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_parent_is_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assets_get_content_hashes, setup, teardown),
	};
	return cmocka_run_group_tests_name("stage", tests, NULL, NULL);
}
