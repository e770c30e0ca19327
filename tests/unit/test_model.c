/* test_model.c - the model partnermap serve keeps between saves
 * (serve/model.h): what it holds on to while the site has errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "fixture.h"
#include "serve/model.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

/* The minimal site of tests/fixtures/site-min, with the example's
 * basemap and theme copied in (a build reads nothing outside its site). */
static void make_site(const char *dir)
{
	char *cmd = xasprintf(
		"cp -r tests/fixtures/site-min/. '%s'/ && mkdir -p '%s/geodata' && "
		"cp geodata/naturalearth_lowres.* '%s/geodata/' && "
		"cp -r themes '%s/'", dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Record slug of the site in dir, with its line starting with key
 * replaced by line. */
static void set_field(const char *dir, const char *slug, const char *key,
		      const char *line)
{
	char *path = xasprintf("%s/content/institutions/%s.md", dir, slug);
	buf_t text = BUF_INIT, out = BUF_INIT;
	assert_int_equal(fs_read(path, &text), 0);
	const char *p = buf_cstr(&text);
	size_t klen = strlen(key);
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
		if (!strncmp(p, key, klen) && p[klen] == ':')
			buf_printf(&out, "%s\n", line);
		else
			buf_put(&out, p, n);
		p += n;
	}
	assert_int_equal(fs_replace(path, out.ptr, out.len), 0);
	buf_free(&text);
	buf_free(&out);
	free(path);
}

static int update(live_model *m)
{
	diags_t d = DIAGS_INIT;
	build_stats st;
	int rc = live_model_update(m, &d, &st);
	diags_free(&d);
	return rc;
}

/* A record with an error no longer stops the map from loading (so that
 * every problem is reported), and each save that moves a location loads
 * another basemap: the updates that fail must not keep them all until a
 * build succeeds. */
static void failed_updates_keep_no_more_basemaps(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-model"), 0);
	make_site(dir);
	build_options o = {.site_dir = dir, .version = "test", .jobs = 1};
	live_model *m = live_model_new(&o);
	assert_int_equal(update(m), EXIT_BUILT);
	assert_int_equal(live_model_maps(m), 1);

	set_field(dir, "makerere", "country", "country: XX");
	for (int k = 0; k < 6; k++) {
		char *loc = xasprintf("location: [3.%d, 11.5]", k + 1);
		set_field(dir, "yaounde", "location", loc);
		free(loc);
		assert_int_equal(update(m), EXIT_CONTENT);
		/* the map the served site renders with, and the last loaded */
		assert_in_range(live_model_maps(m), 1, 2);
	}
	/* the served site is still the first one */
	buf_t page = BUF_INIT;
	assert_int_equal(live_model_get(m, "institutions/makerere/index.html",
					&page), LIVE_FOUND);
	buf_free(&page);

	set_field(dir, "makerere", "country", "country: UG");
	assert_int_equal(update(m), EXIT_BUILT);
	assert_int_equal(live_model_maps(m), 1);
	live_model_free(m);
	fs_remove_tree(dir);
}

/* An update that a signal cancels (Ctrl-C while serve rebuilds) stops
 * loading at once, with no error to tell: the model it leaves is not
 * whole, and making pages from it read a NULL (serve died of SIGSEGV).
 * It is dropped, and the site served before is kept. */
static void a_cancelled_update_keeps_the_site_served(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-model"), 0);
	make_site(dir);
	atomic_int cancel = 0;
	build_options o = {.site_dir = dir, .version = "test", .jobs = 1,
			   .cancel = &cancel};
	live_model *m = live_model_new(&o);
	assert_int_equal(update(m), EXIT_BUILT);
	set_field(dir, "makerere", "city", "city: Entebbe");
	atomic_store(&cancel, 1);
	assert_int_equal(update(m), EXIT_FAILURE_IO);
	buf_t page = BUF_INIT;
	assert_int_equal(live_model_get(m, "institutions/makerere/index.html",
					&page), LIVE_FOUND);
	assert_non_null(strstr(buf_cstr(&page), "Kampala"));
	assert_null(strstr(buf_cstr(&page), "Entebbe"));
	buf_free(&page);
	atomic_store(&cancel, 0);
	assert_int_equal(update(m), EXIT_BUILT);
	assert_int_equal(live_model_get(m, "institutions/makerere/index.html",
					&page), LIVE_FOUND);
	assert_non_null(strstr(buf_cstr(&page), "Entebbe"));
	buf_free(&page);
	live_model_free(m);
	fs_remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_updates_keep_no_more_basemaps),
		cmocka_unit_test(a_cancelled_update_keeps_the_site_served),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
