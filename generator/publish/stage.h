/* stage.h - write the site into a staging folder beside the output folder,
 * then swap it into place in one rename, so a failed build leaves the
 * previous output exactly as it was and a reader never sees half a site. */
#ifndef PM_STAGE_H
#define PM_STAGE_H

#include <pthread.h>
#include <stddef.h>

#include "../util/diag.h"

/* Written into every output folder; an existing non-empty folder without it
 * is never replaced (a mistyped -o must not delete someone's files). */
#define STAGE_MARKER ".partnermap-output"

typedef struct stage {
	char *final; /* the output folder */
	char *tmp;   /* the staging folder beside it */
	size_t files, bytes;
	pthread_mutex_t lock; /* stage_write may be called from several threads */
} stage;

/* Create the staging folder. 0, or -1 with a DIAG_FATAL. */
int stage_open(stage *st, const char *out_dir, diags_t *d);
/* Write rel (a path below the output root, '/'-separated), creating the
 * folders it needs. 0, or -1 with a DIAG_FATAL. Safe to call from several
 * threads at once, each with its own d. */
int stage_write(stage *st, const char *rel, const void *data, size_t n,
		diags_t *d);
/* Put the staged site in place of the output folder. 0 or -1 (FATAL). */
int stage_commit(stage *st, diags_t *d);
/* Remove the staging folder (after a failure) and free st. Safe after
 * commit. */
void stage_close(stage *st);

#endif
