/* build.h - the whole pipeline as one re-entrant call:
 * load -> check -> locate -> render -> publish. */
#ifndef PM_BUILD_H
#define PM_BUILD_H

#include <stdatomic.h>
#include <stddef.h>

#include "util/diag.h"

enum {
	EXIT_BUILT = 0,     /* built (or checked) */
	EXIT_CONTENT = 1,   /* the content has errors; nothing written */
	EXIT_USAGE = 2,     /* bad command line */
	EXIT_FAILURE_IO = 3 /* I/O or internal failure; previous output kept */
};

/* Render threads: -j N takes N from 1 to PM_JOBS_MAX; without it, one per
 * processor but at most PM_JOBS_DEFAULT_MAX (more rarely pays: pages share
 * one map and the disk). main.c's help and messages, the README and the
 * man page state these numbers. */
#define PM_JOBS_MAX 64
#define PM_JOBS_DEFAULT_MAX 8

typedef struct build_options {
	const char *site_dir;  /* default "." */
	const char *out_dir;   /* default <site_dir>/output */
	int check_only;        /* load, check and locate; write nothing */
	const char *version;
	const char *datadir;   /* installed data: <datadir>/themes/<name> */
	int jobs;              /* render threads, 1..PM_JOBS_MAX; 0 = one per
				  processor, at most PM_JOBS_DEFAULT_MAX */
	/* --strict: every warning is an error (nothing is written), after
	 * site.yml's checks: left out the ones it ignores */
	int strict;
	/* The value of SOURCE_DATE_EPOCH (reproducible-builds.org), or NULL:
	 * seconds since 1970-01-01 00:00 UTC that date the feed when no
	 * record has a joined date. A value that is not a whole number of
	 * seconds is an error. */
	const char *source_date_epoch;
	/* Non-zero (set by a signal handler) asks the build to stop at its
	 * next safe point: between stages and before every file written. No
	 * staging folder is left and the output folder is not touched; NULL:
	 * never. */
	const atomic_int *cancel;
	/* --clean: write the whole site afresh and swap it in, instead of
	 * updating a folder partnermap wrote in place (publish/stage.h,
	 * "Updating in place"). Both give the same bytes. */
	int clean;
	int no_exchange;       /* swap the site in with two renames (tests) */
	size_t max_site_bytes; /* 0: PM_MAX_SITE_BYTES (publish/stage.h); tests */
} build_options;

typedef struct build_stats {
	size_t institutions, networks, pages, countries;
	size_t files, bytes;   /* the whole site */
	size_t written;        /* files written: in place, the changed ones */
	size_t removed;        /* in place: old entries removed */
	size_t kept;           /* in place: pages kept from the last build,
				  not rendered (publish/reuse.h) */
} build_stats;

/* Run the pipeline. Every problem goes into d; returns an EXIT_* code.

 * A build cancelled before the new site was in place returns
 * EXIT_FAILURE_IO (the previous output kept), possibly with no diagnostic.
 * Warnings are all given before render, where site.yml's checks: and
 * o->strict settle which of them are errors (util/diag.h). */
int pm_build(const build_options *o, diags_t *d, build_stats *stats);

#endif
