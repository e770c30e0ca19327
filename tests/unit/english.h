/* english.h - the English words (render/i18n.h) for a render_ctx a test
 * builds by hand: the built-in en.yml, in a template set of its own.
 * Include after cmocka.h. */
#ifndef PM_TEST_ENGLISH_H
#define PM_TEST_ENGLISH_H

#include <string.h>

#include "render/i18n.h"
#include "render/mustache.h"
#include "util/diag.h"
#include "util/safefs.h"

typedef struct english {
	sfs_root none;  /* a theme and a site without translations */
	mst_set *set;
	i18n *t;
	diags_t d;
} english;

static inline void english_init(english *e)
{
	memset(e, 0, sizeof *e);
	sfs_root_init(&e->none, "tests/unit/no-such-theme", "theme folder");
	e->set = mst_set_new();
	i18n_source src = {
		.theme_root = &e->none, .theme_rel = "", .theme_shown = "themes/default",
		.site_root = &e->none, .lang = "en",
	};
	e->t = i18n_load(&src, e->set, &e->d);
	assert_int_equal(e->d.n, 0);
}

static inline void english_free(english *e)
{
	i18n_free(e->t);
	mst_set_free(e->set);
	diags_free(&e->d);
	sfs_root_free(&e->none);
}

#endif
