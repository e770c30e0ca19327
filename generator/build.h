/* build.h - the whole pipeline as one re-entrant call:
 * load -> check -> locate -> render -> publish. */
#ifndef PM_BUILD_H
#define PM_BUILD_H

#include <stddef.h>

#include "util/diag.h"

enum {
	EXIT_BUILT = 0,     /* built (or checked) */
	EXIT_CONTENT = 1,   /* the content has errors; nothing written */
	EXIT_USAGE = 2,     /* bad command line */
	EXIT_FAILURE_IO = 3 /* I/O or internal failure; previous output kept */
};

typedef struct build_options {
	const char *site_dir;  /* default "." */
	const char *out_dir;   /* default <site_dir>/output */
	int check_only;        /* load, check and locate; write nothing */
	const char *version;
	const char *datadir;   /* installed data: <datadir>/themes/<name> */
	int jobs;              /* render threads; 0 = one per processor */
	/* --strict: every warning is an error (nothing is written), after
	 * site.yml's checks: left out the ones it ignores */
	int strict;
	/* The value of SOURCE_DATE_EPOCH (reproducible-builds.org), or NULL:
	 * seconds since 1970-01-01 00:00 UTC that date the feed when no
	 * record has a joined date. A value that is not a whole number of
	 * seconds is an error. */
	const char *source_date_epoch;
} build_options;

typedef struct build_stats {
	size_t institutions, networks, pages, countries;
	size_t files, bytes;
} build_stats;

/* Run the pipeline. Every problem goes into d; returns an EXIT_* code.
 * Warnings are all given before render, where site.yml's checks: and
 * o->strict settle which of them are errors (util/diag.h). */
int pm_build(const build_options *o, diags_t *d, build_stats *stats);

#endif
