/* reccache.h - the parsed institution records a build keeps for the next
 * one, in a file beside the output folder (as the manifest of pages kept
 * is: for -o /srv/site, /srv/.site.partnermap-cache), so that an in-place
 * build after one edit reads and parses that one record file.
 *
 * It serves site_load_cached (load.h, load_cache): a file
 * content/institutions/<slug>.md is taken from the cache when its size,
 * modification and change times (to the nanosecond), inode and device are
 * those it had when it was read, and it is a regular file (not a link);
 * otherwise it is read and parsed, and the result kept for the next build.
 * Page bundles, translations, networks and pages are always read.
 *
 * The whole cache is keyed on everything else a record's reading depends
 * on: the program (its version, a digest of its bytes, the versions of the
 * libraries that parse and render records), site.yml's bytes (SHA-256),
 * the iso-codes table's path and identity, the build's day (the clock's
 * and SOURCE_DATE_EPOCH: "updated" may not be in the future) and the
 * networks' slugs and names (an "unknown network" hint names them). Any
 * difference: every record is read afresh.
 *
 * The file is untrusted (reccodec.h): read in pieces (at most
 * RC_MAX_BYTES in all), never through a link, only when it is the user's
 * own and no one else may write it; anything malformed makes it ignored. An entry
 * copied into the next file is checked again when that file is read. It is
 * written only after a build succeeded (rcache_save), atomically, from
 * the old file's entries and the new ones, which wait in an unnamed file
 * beside it (O_TMPFILE) rather than in memory; when
 * every record came from it unchanged, it is left as it is. Single
 * threaded: one load at a time. */
#ifndef PM_RECCACHE_H
#define PM_RECCACHE_H

#include <stddef.h>

#include "load.h"

/* The suffix of the cache's name beside OUT_DIR (publish/stage.h,
 * stage_beside). */
#define RCACHE_SUFFIX ".partnermap-cache"

typedef struct rcache_inputs {
	const char *path;      /* the cache file */
	const char *site_dir;  /* the site folder, for site.yml */
	const char *version;   /* partnermap's version, or NULL */
	int fresh;             /* --clean: read no cache (but write one) */
} rcache_inputs;

typedef struct rcache rcache;

/* Read the cache at in->path (unless in->fresh) and sum up the inputs.
 * Never fails: an unreadable cache is an empty one. */
rcache *rcache_open(const rcache_inputs *in);
/* The hooks for site_load_cached, reading and filling c. */
void rcache_hooks(rcache *c, load_cache *hooks);
/* Once the load is done (pm_keep.loaded, build.h; ctx is the rcache):
 * the index of the old file's entries is let go, but for where each is;
 * rcache_save copies the entries it keeps from the file itself, still
 * open. The old file is never held whole: a hundred thousand records are
 * some 120 MB. */
void rcache_loaded(void *ctx, const site *s);
/* After the build succeeded: write the cache for the records the load
 * met (nothing when the file holds just that already). 0; or -1 with
 * errno after a failure, which removes the cache (the next build parses
 * every record): the site is in place, so the caller only says so. */
int rcache_save(rcache *c);
/* The modification time (whole seconds, stat's st_mtime) of the record
 * file at path (relative to the site folder) as the last load found it
 * when it asked the cache (a file taken from it, or read): 0 with *sec
 * set, or -1 when the load did not ask for path (a page bundle, a link).
 * For pm_keep.mtime (build.h): the feed's date without a second stat of
 * every record. ctx is the rcache. */
int rcache_mtime(void *ctx, const char *path, long long *sec);
/* Bytes of newly parsed entries held in memory until rcache_save: 0
 * where the file system of the cache's folder gives unnamed files
 * (O_TMPFILE), which then hold them (some 1.2 KB a record). */
size_t rcache_held(const rcache *c);
/* Bytes of the old cache file held in memory: the window replay reads
 * its entries through (1 MiB, or its largest entry) until rcache_loaded,
 * 0 after (for tests and measurements). */
size_t rcache_old_held(const rcache *c);
/* Record files the load took from the cache, and read and parsed (for
 * tests and measurements). */
size_t rcache_replayed(const rcache *c);
/* When a cache file was there but not read (util/fs.h, fs_open_plain):
 * another user's or writable by its group or others, a symbolic link,
 * not a regular file or too large. The errno of the refusal
 * (fs_plain_refusal tells why), or 0. */
int rcache_refused(const rcache *c);
/* 1 when the cache file there began as one but was damaged (cut short,
 * or changed since a build wrote it: reccodec.h, rc_file_scan) and none
 * of it was used. */
int rcache_damaged(const rcache *c);
size_t rcache_parsed(const rcache *c);
void rcache_free(rcache *c);

#endif
