/* test_mapcache.c - the basemap's simplification kept beside the output
 * folder: written after a build and read back under the same key, never
 * under another; a file cut short, changed, of another version, linked,
 * writable by others or read with --clean is not taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "publish/mapcache.h"
#include "util/buf.h"
#include "util/fs.h"

FIXTURE_DIR_HOOKS("pm-mapcache")

static const unsigned char KEY_A[GEO_DRAWN_KEY] = {1, 2, 3};
static const unsigned char KEY_B[GEO_DRAWN_KEY] = {1, 2, 4};
static const char BYTES[] = "what a load made\0with a NUL inside";

static char *cache_path(const fixture_dir *f)
{
	return xasprintf("%s/.output" MAPCACHE_SUFFIX, f->dir);
}

/* A cache at path holding BYTES under KEY_A, as a build leaves it. */
static void write_cache(const char *path, const char *version)
{
	mapcache *c = mapcache_open(path, version, 0);
	const geo_drawn_store *s = mapcache_store(c);
	s->put(s->ctx, KEY_A, BYTES, sizeof BYTES);
	assert_int_equal(mapcache_save(c), 0);
	mapcache_free(c);
}

/* What the cache at path gives for key: its bytes (the caller frees) or
 * NULL; *refused and *damaged as mapcache says. */
static buf_t *read_cache(const char *path, const char *version, int fresh,
			 const unsigned char *key, int *refused, int *damaged)
{
	mapcache *c = mapcache_open(path, version, fresh);
	const geo_drawn_store *s = mapcache_store(c);
	buf_t *b = xcalloc(1, sizeof *b);
	int got = s->get(s->ctx, key, b);
	assert_int_equal(mapcache_taken(c), got == 0);
	*refused = mapcache_refused(c);
	*damaged = mapcache_damaged(c);
	mapcache_free(c);
	if (got < 0) {
		buf_free(b);
		free(b);
		return NULL;
	}
	return b;
}

static void test_kept_and_read_back_under_its_key(void **state)
{
	char *path = cache_path(*state);
	int refused, damaged;
	/* none yet: nothing, and no complaint */
	assert_null(read_cache(path, "1.0", 0, KEY_A, &refused, &damaged));
	assert_int_equal(refused, 0);
	assert_int_equal(damaged, 0);
	write_cache(path, "1.0");
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	buf_t *b = read_cache(path, "1.0", 0, KEY_A, &refused, &damaged);
	assert_non_null(b);
	assert_int_equal(b->len, sizeof BYTES);
	assert_memory_equal(b->ptr, BYTES, sizeof BYTES);
	buf_free(b);
	free(b);
	/* another key, another version, --clean: not taken */
	assert_null(read_cache(path, "1.0", 0, KEY_B, &refused, &damaged));
	assert_null(read_cache(path, "1.1", 0, KEY_A, &refused, &damaged));
	assert_null(read_cache(path, "1.0", 1, KEY_A, &refused, &damaged));
	assert_int_equal(damaged, 0);
	free(path);
}

/* A load that took the file's bytes made nothing: the file is left as
 * it is (its inode and times); one that made something replaces it. */
static void test_a_file_taken_is_left_as_it_is(void **state)
{
	char *path = cache_path(*state);
	write_cache(path, "1.0");
	struct stat before, after;
	assert_int_equal(lstat(path, &before), 0);
	mapcache *c = mapcache_open(path, "1.0", 0);
	const geo_drawn_store *s = mapcache_store(c);
	buf_t b = BUF_INIT;
	assert_int_equal(s->get(s->ctx, KEY_A, &b), 0);
	assert_int_equal(mapcache_save(c), 0);
	mapcache_free(c);
	buf_free(&b);
	assert_int_equal(lstat(path, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	c = mapcache_open(path, "1.0", 0);
	s = mapcache_store(c);
	s->put(s->ctx, KEY_B, "new", 3);
	assert_int_equal(mapcache_save(c), 0);
	mapcache_free(c);
	assert_int_equal(lstat(path, &after), 0);
	assert_true(after.st_ino != before.st_ino);
	int refused, damaged;
	assert_null(read_cache(path, "1.0", 0, KEY_A, &refused, &damaged));
	buf_t *got = read_cache(path, "1.0", 0, KEY_B, &refused, &damaged);
	assert_non_null(got);
	assert_int_equal(got->len, 3);
	assert_memory_equal(got->ptr, "new", 3);
	buf_free(got);
	free(got);
	free(path);
}

/* Every byte changed, and the file cut at every length: damaged (or, cut
 * inside its first line, another version's), never taken. */
static void test_a_changed_or_cut_file_is_not_taken(void **state)
{
	char *path = cache_path(*state);
	write_cache(path, "1.0");
	buf_t good = BUF_INIT;
	assert_int_equal(fs_read(path, &good), 0);
	int refused, damaged;
	for (size_t i = 0; i < good.len; i++) {
		buf_t b = BUF_INIT;
		buf_put(&b, good.ptr, good.len);
		b.ptr[i] ^= 0x20;
		assert_int_equal(fs_write(path, b.ptr, b.len), 0);
		(void)chmod(path, 0600);
		if (read_cache(path, "1.0", 0, KEY_A, &refused, &damaged))
			fail_msg("byte %zu changed, and taken", i);
		assert_int_equal(damaged, 1);
		buf_free(&b);
	}
	for (size_t n = 0; n < good.len; n++) {
		assert_int_equal(fs_write(path, good.ptr, n), 0);
		if (read_cache(path, "1.0", 0, KEY_A, &refused, &damaged))
			fail_msg("cut to %zu bytes, and taken", n);
		/* "partnermap-map-cache " alone could begin another version */
		if (n > strlen(MAPCACHE_MAGIC))
			assert_int_equal(damaged, 1);
	}
	/* another version's file is passed over, not damaged */
	static const char other[] = "partnermap-map-cache 2\nwhatever";
	assert_int_equal(fs_write(path, other, sizeof other - 1), 0);
	assert_null(read_cache(path, "1.0", 0, KEY_A, &refused, &damaged));
	assert_int_equal(damaged, 0);
	buf_free(&good);
	free(path);
}

/* A link in its place, or a file others may write, is refused with the
 * errno fs_read_plain gives; a build then writes its own in its place. */
static void test_a_link_or_a_shared_file_is_refused(void **state)
{
	fixture_dir *f = *state;
	char *path = cache_path(f);
	char *real = xasprintf("%s/real", f->dir);
	write_cache(real, "1.0");
	assert_int_equal(symlink(real, path), 0);
	int refused, damaged;
	assert_null(read_cache(path, "1.0", 0, KEY_A, &refused, &damaged));
	assert_int_equal(refused, ELOOP);
	assert_non_null(fs_plain_refusal(refused));
	/* the save replaces the link, and leaves its target alone */
	write_cache(path, "1.0");
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(chmod(path, 0620), 0);
	assert_null(read_cache(path, "1.0", 0, KEY_A, &refused, &damaged));
	assert_int_equal(refused, EPERM);
	assert_int_equal(chmod(path, 0600), 0);
	buf_t *b = read_cache(path, "1.0", 0, KEY_A, &refused, &damaged);
	assert_non_null(b);
	buf_free(b);
	free(b);
	free(real);
	free(path);
}

/* A save that cannot write (its folder gone) fails with errno and leaves
 * no file. */
static void test_a_failed_save_says_why(void **state)
{
	fixture_dir *f = *state;
	char *path = xasprintf("%s/gone/.output" MAPCACHE_SUFFIX, f->dir);
	mapcache *c = mapcache_open(path, "1.0", 0);
	const geo_drawn_store *s = mapcache_store(c);
	s->put(s->ctx, KEY_A, BYTES, sizeof BYTES);
	errno = 0;
	assert_int_equal(mapcache_save(c), -1);
	assert_int_equal(errno, ENOENT);
	mapcache_free(c);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
}

/* The anchor (the basemap's files as this machine has them) is part of
 * the key: a file written under one is not taken under another, as in
 * another checkout of the site. */
static void test_another_anchor_is_another_key(void **state)
{
	char *path = cache_path(*state);
	mapcache *c = mapcache_open(path, "1.0", 0);
	mapcache_anchor(c, "a.shp 10 1.1 2.2 3\n", 19);
	const geo_drawn_store *s = mapcache_store(c);
	s->put(s->ctx, KEY_A, BYTES, sizeof BYTES);
	assert_int_equal(mapcache_save(c), 0);
	mapcache_free(c);
	static const char *const anchors[] = {"a.shp 10 1.1 2.2 3\n",
		"a.shp 10 1.1 2.2 4\n", ""};
	for (size_t i = 0; i < 3; i++) {
		c = mapcache_open(path, "1.0", 0);
		mapcache_anchor(c, anchors[i], strlen(anchors[i]));
		s = mapcache_store(c);
		buf_t b = BUF_INIT;
		assert_int_equal(s->get(s->ctx, KEY_A, &b), i == 0 ? 0 : -1);
		assert_int_equal(mapcache_taken(c), i == 0);
		buf_free(&b);
		mapcache_free(c);
	}
	free(path);
}

/* Bytes under the right key that the load refused (geo_drawn_store's
 * refused) make the file damaged, not taken. */
static void test_bytes_the_load_refused_are_damage(void **state)
{
	char *path = cache_path(*state);
	write_cache(path, "1.0");
	mapcache *c = mapcache_open(path, "1.0", 0);
	const geo_drawn_store *s = mapcache_store(c);
	buf_t b = BUF_INIT;
	assert_int_equal(s->get(s->ctx, KEY_A, &b), 0);
	assert_non_null(s->refused);
	s->refused(s->ctx);
	assert_int_equal(mapcache_damaged(c), 1);
	assert_int_equal(mapcache_taken(c), 0);
	buf_free(&b);
	mapcache_free(c);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kept_and_read_back_under_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_file_taken_is_left_as_it_is, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_changed_or_cut_file_is_not_taken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_link_or_a_shared_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_failed_save_says_why, setup, teardown),
		cmocka_unit_test_setup_teardown(test_another_anchor_is_another_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bytes_the_load_refused_are_damage, setup, teardown),
	};
	return cmocka_run_group_tests_name("mapcache", tests, NULL, NULL);
}
