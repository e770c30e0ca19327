/* fixture.h - temporary folders and files for the unit tests. Include
 * after cmocka.h.
 *
 * Paths are borrowed, never freed. A failed write fails the test at once
 * (cmocka's assert_*), so a helper never returns an error to check. */
#ifndef PM_TEST_FIXTURE_H
#define PM_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fs.h"

/* Make a fresh, empty folder $TMPDIR/<prefix>-XXXXXX (/tmp when TMPDIR is
 * unset or empty) and write its path into dir (size bytes). 0, or -1 when
 * the path does not fit or the folder could not be made; the caller
 * removes it with fs_remove_tree. */
static inline int fixture_tmpdir(char *dir, size_t size, const char *prefix)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(dir, size, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
			 prefix);
	if (n < 0 || (size_t)n >= size)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

/* dir/rel holding the n bytes at data, the folders on its way made as
 * needed; rel has at least one '/'-free last part. */
static inline void fixture_put(const char *dir, const char *rel,
			       const void *data, size_t n)
{
	char *path = fs_join(dir, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	assert_int_equal(fs_mkdirs(path), 0);
	*slash = '/';
	assert_int_equal(fs_write(path, data, n), 0);
	free(path);
}

/* dir/rel's bytes as a fresh string (the caller frees it), or NULL when
 * it cannot be read. */
static inline char *fixture_slurp(const char *dir, const char *rel)
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

/* A group state that is only a fresh temporary folder. */
typedef struct fixture_dir {
	char dir[256];
} fixture_dir;

/* A fixture_dir made with fixture_tmpdir(prefix), or NULL when it could
 * not be made. Free with fixture_dir_free. */
static inline fixture_dir *fixture_dir_new(const char *prefix)
{
	fixture_dir *f = calloc(1, sizeof *f);
	if (f && fixture_tmpdir(f->dir, sizeof f->dir, prefix) < 0) {
		free(f);
		f = NULL;
	}
	return f;
}

/* Remove f's folder with all it holds, and free f (NULL is fine). */
static inline void fixture_dir_free(fixture_dir *f)
{
	if (!f)
		return;
	fs_remove_tree(f->dir);
	free(f);
}

/* Defines the cmocka hooks setup (*state gets a fresh fixture_dir made
 * with prefix) and teardown (its folder removed, the fixture freed), for
 * a file whose tests need a folder and nothing else. */
#define FIXTURE_DIR_HOOKS(prefix)                       \
	static int setup(void **state)                  \
	{                                               \
		*state = fixture_dir_new(prefix);       \
		return *state ? 0 : -1;                 \
	}                                               \
	static int teardown(void **state)               \
	{                                               \
		fixture_dir_free(*state);               \
		return 0;                               \
	}

/* f's folder/name.ext, as a fresh string. */
static inline char *fixture_dir_path(const fixture_dir *f, const char *name,
				     const char *ext)
{
	return xasprintf("%s/%s.%s", f->dir, name, ext);
}

/* Write text as name.ext into f's folder; fails the test when it cannot. */
static inline void fixture_dir_text(const fixture_dir *f, const char *name,
				    const char *ext, const char *text)
{
	char *p = fixture_dir_path(f, name, ext);
	assert_int_equal(fs_write(p, text, strlen(text)), 0);
	free(p);
}

/* The .prj of WGS 84 longitude/latitude in degrees, as GIS tools write it. */
#define FIXTURE_WGS84_PRJ                                                     \
	"GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\"," \
	"6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"                 \
	"UNIT[\"Degree\",0.0174532925199433]]"

#endif
