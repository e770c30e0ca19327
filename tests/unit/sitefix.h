/* sitefix.h - a group state for the unit tests that load a site from a
 * temporary folder. Include after cmocka.h.
 *
 * The folder is made by fixture_tmpdir (fixture.h); the test writes the
 * site's files into it, loads them into s and collects messages in d. */
#ifndef PM_TEST_SITEFIX_H
#define PM_TEST_SITEFIX_H

#include <stdlib.h>

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

#endif
