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
	const char *fail_move; /* stage_options.fail_move (tests) */
	size_t max_site_bytes; /* 0: stage_max_bytes (publish/stage.h); tests */
} build_options;

typedef struct build_stats {
	size_t institutions, networks, pages, countries;
	size_t files, bytes;   /* the whole site */
	size_t written;        /* files written: in place, the changed ones */
	size_t removed;        /* in place: old entries removed */
	size_t kept;           /* in place: pages kept from the last build,
				  not rendered (publish/reuse.h) */
	int partial;           /* in place: the commit failed after it began
				  to change the output folder, which holds
				  part of the new site (every file whole; 1),
				  or all of it and files of the last one it
				  no longer has (2) */
	/* why a successful build could not write the file it keeps beside
	 * the output folder for the next one (an errno), or 0: the
	 * manifest (the next build renders every page), the record
	 * cache (it reads every record), the pieces' tables (it makes
	 * every piece of the open data and search files) and the basemap's
	 * simplification (it simplifies the basemap again) */
	int manifest_errno, cache_errno, pieces_errno, map_errno;
	/* the manifest, the record cache, the pieces' tables and the
	 * simplification found beside the output folder were not read: the
	 * errno of each refusal (util/fs.h, fs_plain_refusal), or 0 */
	int manifest_refused, cache_refused, pieces_refused, map_refused;
	/* ... were there, began as files of their kind, but were cut
	 * short or changed since a build wrote them, and were not used */
	int manifest_damaged, cache_damaged, pieces_damaged, map_damaged;
	/* the load took the basemap's simplification from the file beside
	 * the output folder (publish/mapcache.h), for tests */
	int map_taken;
	/* in place: the lock file beside the output folder was another
	 * user's, or others could open it, and was not used (stage.h) */
	int lock_refused;
	char lock_why[256]; /* then why (stage.h, stage.lock_why) */
	/* the new site could not be given the output folder's group
	 * (stage.h, group_lost): that group's id */
	int group_lost;
	unsigned long group_wanted;
	/* a folder below the output of another user's kept bits a clean
	 * build's folders do not have (stage.h, bits_kept): it, as shown,
	 * its owner and mode; "" when none */
	char bits_kept[4096];
	unsigned long bits_kept_uid;
	unsigned bits_kept_mode;
	/* an entry below the output folder that the new site does not have
	 * and this user may not remove (stage.h, left): the first one, as
	 * shown, its errno, and how many; "" when none */
	char left[4096];
	int left_errno;
	size_t left_count;
	/* a site left beside the output folder could not be removed
	 * (stage.h, old_left): this build's previous site, swapped out, or
	 * one an earlier build left; the folder, and why (an errno) */
	char old_left[4096];
	int old_errno;
	char old_stuck[4096]; /* then the entry in it that would not go (a
				 path), or "" */
} build_stats;

/* Run the pipeline. Every problem goes into d; returns an EXIT_* code.

 * A build cancelled before the new site was in place returns
 * EXIT_FAILURE_IO (the previous output kept), possibly with no diagnostic.
 * Warnings are all given before render, where site.yml's checks: and
 * o->strict settle which of them are errors (util/diag.h). */
int pm_build(const build_options *o, diags_t *d, build_stats *stats);

/* ---- the pipeline in parts, for partnermap serve -------------------------
 *
 * pm_build is pm_ready_make, then rendering every file of every language
 * into the output, then pm_ready_free. serve makes the same model but
 * renders each file when it is asked for (render.h, render_job), and
 * keeps what did not change from one build to the next (pm_keep). */

struct site;
struct geo_map;
struct mapcache;
struct institution;
struct load_cache;
struct render_ctx;
struct stage;
struct asset_list;
struct str_memo;

/* What a build may take from the previous ones instead of reading it
 * again; every member may be NULL. */
typedef struct pm_keep {
	/* institution records (load.h, site_load_cached) */
	const struct load_cache *records;
	/* called once the records are loaded, before anything else */
	void (*loaded)(void *ctx, const struct site *s);
	/* the basemap for model s (read its locations, site.yml, its
	 * files), lent for the life of the build, or NULL to load it; a map
	 * loaded is handed to map_put, which keeps it (the build only borrows
	 * it then) */
	struct geo_map *(*map_get)(void *ctx, const struct site *s);
	void (*map_put)(void *ctx, const struct site *s, struct geo_map *map);
	/* the modification time (whole seconds, as stat's st_mtime) of the
	 * record at path (relative to the site folder) as records met it in
	 * this load, for the feed's date: 0, or -1 to stat the file */
	int (*mtime)(void *ctx, const char *path, long long *sec);
	void *ctx;
	/* where an institution lands on map (in->feature) and the warnings
	 * locating it gave, as remembered from a build with the same record
	 * and the same map: 1 with in->feature set and the warnings added
	 * to d, or 0 to locate it; after which locate_put is told the result
	 * (in->feature, and d's messages from index first on). Either may be
	 * NULL. */
	/* where the basemap's load looks for its simplification first and
	 * keeps the one it makes (publish/mapcache.h), or NULL */
	struct mapcache *drawn;
	int (*locate_get)(void *ctx, const struct geo_map *map,
			  struct institution *in, diags_t *d);
	void (*locate_put)(void *ctx, const struct geo_map *map,
			   const struct institution *in, const diags_t *d,
			   size_t first);
} pm_keep;

/* The model loaded, checked and located, with the theme's templates,
 * texts and map rules: everything a build reads before it renders. */
typedef struct pm_ready pm_ready;

/* Load, check and locate the site of o (o->out_dir is not used), then
 * read the theme, as pm_build does: every message goes into d (site.yml's
 * checks: and o->strict applied). Never NULL: when d has errors the model
 * may be partial and must not be rendered. o and keep's caches must
 * outlive it. */
pm_ready *pm_ready_make(const build_options *o, const pm_keep *keep,
			diags_t *d, build_stats *stats);
/* Free p. borrowed: per institution of the model, non-zero when it came
 * from keep->records and is not to be freed (serve/records.h), or NULL. */
void pm_ready_free(pm_ready *p, const unsigned char *borrowed);
const struct site *pm_ready_site(const pm_ready *p);
/* The basemap p located its records on and renders with (borrowed: the
 * keeper's or p's own); NULL when it has none (the load stopped). */
const struct geo_map *pm_ready_map(const pm_ready *p);
/* The languages of the site (site.yml's languages, the default first);
 * 0 when the theme was not read (an error in site.yml's settings). */
size_t pm_ready_languages(const pm_ready *p);
/* The theme's assets, fingerprinted, written to st, named in *assets
 * (publish/assets.h). 0 or -1 after a diagnostic. */
int pm_ready_assets(const pm_ready *p, struct stage *st,
		    struct asset_list *assets, diags_t *d);
/* The render context of language k (< pm_ready_languages), ready for
 * render_site or render_job, writing to st and reporting to d; for k > 0
 * its model is *view, the site in that language (load.h). Close with
 * pm_render_close (view: NULL for k = 0). memo: render_ctx.memo (NULL:
 * none). p, st, assets and memo outlive it. */
void pm_render_open(const pm_ready *p, size_t k, struct stage *st,
		    const struct asset_list *assets, struct str_memo *memo,
		    diags_t *d, struct render_ctx *r, struct site *view);
void pm_render_close(struct render_ctx *r, struct site *view);

#endif
