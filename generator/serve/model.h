/* model.h - the site partnermap serve answers from: the model in memory,
 * each file rendered when it is first asked for.
 *
 * A change of the site makes the model again (build.h, pm_ready_make)
 * with what did not change kept from the last time: the institution
 * records whose files are as they were (records.h) and the basemap, while
 * site.yml, the basemap's folder and the locations it keeps partners at
 * are the same. The theme, its texts and the iso-codes table are read
 * every time (a few milliseconds). Once the model is checked, it replaces
 * the last one and nothing is rendered yet: a request for a file finds the
 * job that writes it (render.h, render_job: a page with its bundle's files,
 * a listing with all its numbered pages, an export), runs it into memory
 * and keeps its files until the next change. What a request gets is the
 * very bytes `partnermap build` writes for the same site.
 *
 * Threads: live_model_update from one thread (serve's loop), the others
 * from any number of the server's. */
#ifndef PM_SERVE_MODEL_H
#define PM_SERVE_MODEL_H

#include <stddef.h>

#include "build.h"
#include "util/buf.h"

typedef struct live_model live_model;

/* A model of the site o names (o->site_dir), which borrows o; nothing is
 * read before live_model_update. */
live_model *live_model_new(const build_options *o);
void live_model_free(live_model *m);

/* Make the model again after a change (or the first time): an EXIT_* code
 * of build.h and every message in d, as pm_build gives them for the same
 * site but for the render's (a page that fails to render says so when it
 * is asked for). EXIT_BUILT: the new model is served from now on; else
 * the last good one stays. stats gets the counts of pm_ready_make, and
 * its countries too (the countries that have partners, which a build
 * counts as it renders), so that serve's line says what build's says.
 * An update that o->cancel stops (a signal) returns EXIT_FAILURE_IO with
 * nothing said and keeps the last good model. */
int live_model_update(live_model *m, diags_t *d, build_stats *stats);

typedef enum {
	LIVE_FOUND = 0,   /* *out holds the file's bytes */
	LIVE_MISSING = -1,/* the site has no such file (or no good model yet) */
	LIVE_FAILED = -2  /* its page did not render: *out holds the messages,
			     one per line, as the terminal shows them */
} live_status;

/* The file rel of the site (a path relative to the output folder, as
 * serve_resolve gives it: "institutions/x/index.html"), rendered now if
 * it was not yet since the last change; appended to out. A path the
 * site lacks that starts with the path of site.yml's base_url
 * ("partners/assets/x.css" for "https://example.org/partners/") is
 * looked up without it, as 404.html links there. */
live_status live_model_get(live_model *m, const char *rel, buf_t *out);

/* Whether the model served has the page of folder ("institutions/x",
 * relative to the output), without rendering it. */
int live_model_has_page(live_model *m, const char *folder);

/* From now on, every change of the site folder is told through
 * live_model_changed: the updates look only at the record files told.
 * Call it once the folder is watched, before the first update. */
void live_model_watched(live_model *m);
/* Tell m (a live_model) that the file path, relative to the site folder,
 * changed, or with NULL that anything may have (watch.h, watch_change_fn,
 * whose shape it has): the next update looks at the records named and
 * replays the others without even a stat (records.h, rec_cache_changed).
 * From the update thread. */
void live_model_changed(void *m, const char *path);

/* How many institutions of the last update came from the cache, unread
 * (records.h, rec_cache_kept); the others were read from disk. For
 * serve's line after each change. */
size_t live_model_kept(const live_model *m);

/* How many basemaps m holds: the one kept for the next update and those
 * retired that a model still served may use (tests). */
size_t live_model_maps(const live_model *m);

#endif
