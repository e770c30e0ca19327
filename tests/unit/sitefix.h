/* sitefix.h - a group state for the unit tests that load a site from a
 * temporary folder. Include after cmocka.h.
 *
 * The folder is made by fixture_tmpdir (fixture.h); the test writes the
 * site's files into it, loads them into s and collects messages in d. */
#ifndef PM_TEST_SITEFIX_H
#define PM_TEST_SITEFIX_H

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "load/load.h"
#include "util/diag.h"
#include "util/fs.h"

typedef struct site_fixture {
	char dir[256]; /* the temporary folder: the site's root */
	site s;        /* what a test loads, emptied by site_fixture_free */
	diags_t d;     /* the messages a test collects */
} site_fixture;

/* A fresh site_fixture: an empty folder named after prefix, an empty site
 * and no messages; NULL when the folder could not be made. Free with
 * site_fixture_free. */
static inline site_fixture *site_fixture_new(const char *prefix)
{
	site_fixture *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	if (fixture_tmpdir(f->dir, sizeof f->dir, prefix) < 0) {
		free(f);
		return NULL;
	}
	site_init(&f->s);
	return f;
}

/* Free f's site and messages, remove its folder with all it holds, and
 * free f. */
static inline void site_fixture_free(site_fixture *f)
{
	site_free(&f->s);
	diags_free(&f->d);
	fs_remove_tree(f->dir);
	free(f);
}

/* Write text, a NUL-ended string, as f's file rel, making its folders
 * (fixture_put: a failed write fails the test). */
static inline void site_put(site_fixture *f, const char *rel, const char *text)
{
	fixture_put(f->dir, rel, text, strlen(text));
}

/* A cmocka group setup: a site_fixture_new(prefix) in *state holding
 * files, NULL-ended pairs of a path in the site and its text. 0, or -1
 * when the folder could not be made. Undone by site_fixture_teardown. */
static inline int site_fixture_setup(void **state, const char *prefix,
				     const char *const *files)
{
	site_fixture *f = site_fixture_new(prefix);
	if (!f)
		return -1;
	for (; *files; files += 2)
		site_put(f, files[0], files[1]);
	*state = f;
	return 0;
}

/* A cmocka group teardown for site_fixture_setup. */
static inline int site_fixture_teardown(void **state)
{
	site_fixture_free(*state);
	return 0;
}

#endif
