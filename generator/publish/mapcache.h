/* mapcache.h - the basemap's simplification a build keeps for the next
 * one (geo_drawn_store, geo/map.h), in the hidden file
 * .<OUT_DIR's name>.partnermap-map beside the output folder (as the
 * record cache is: for -o /srv/site, /srv/.site.partnermap-map), so that
 * a build that moves no partner does not simplify the basemap and keep
 * each partner inside its country again (some 25 ms of a 10,000-record
 * build's 300).
 *
 * The file (every integer little-endian):
 *
 *   MAPCACHE_MAGIC   "partnermap-map-cache 1\n" (versioned)
 *   32 bytes         the key: SHA-256 (FIPS 180-4) of the program's
 *                    version, its bytes (util/fs.h, fs_program_digest),
 *                    its libraries (fs_libraries_digest), the basemap's
 *                    files' identity (mapcache_anchor) and the load's
 *                    own key (geo_drawn_store)
 *   u64 n, n bytes   what the load made (map.c checks their shape)
 *   32 bytes         SHA-256 of every byte before: damage, not forgery
 *
 * It holds one simplification, the last build's. The file is untrusted:
 * read whole (at most MAPCACHE_MAX_BYTES), never through a link, only
 * when it is the user's own and no one else may write it (util/fs.h,
 * fs_read_plain); anything else about it makes it ignored, and the map
 * is simplified afresh. It is written only after a build succeeded
 * (mapcache_save), atomically (fs_replace), and only when the load made
 * a new simplification. Single-threaded. */
#ifndef PM_MAPCACHE_H
#define PM_MAPCACHE_H

#include <stddef.h>

#include "../geo/map.h"

/* The suffix of the file's name beside OUT_DIR (publish/stage.h,
 * stage_beside). */
#define MAPCACHE_SUFFIX ".partnermap-map"
#define MAPCACHE_MAGIC "partnermap-map-cache 1\n"
/* A file larger than this is neither read nor written: Natural Earth's
 * 1:10m basemap with 100,000 partners makes some 5 MB. */
#define MAPCACHE_MAX_BYTES ((size_t)256 << 20)

typedef struct mapcache mapcache;

/* Read the file at path (unless fresh: --clean reads none, but writes
 * one). version is partnermap's, or NULL. Never fails: a file that
 * cannot be read is none. */
mapcache *mapcache_open(const char *path, const char *version, int fresh);
/* The store a load asks (geo_options.drawn): valid while c is. */
const geo_drawn_store *mapcache_store(mapcache *c);
/* What else the key holds, before the load asks: the identity of the
 * basemap's files on this machine (util/fs.h, fs_folder_identity), as
 * the record cache holds each record file's. The load's own key is of
 * contents alone, which anyone may know: with the files' inodes and
 * change times, a file restored from another machine's cache, or
 * committed to the site, is never taken. The n bytes are copied. */
void mapcache_anchor(mapcache *c, const void *bytes, size_t n);
/* After the build succeeded: write what the load made, when it made
 * something (a load that took the file's bytes leaves the file as it
 * is). 0; or -1 with errno after a failure, which removes the file: the
 * site is in place, so the caller only says so. */
int mapcache_save(mapcache *c);
/* When a file was there but not read (util/fs.h, fs_read_plain): the
 * errno of the refusal (fs_plain_refusal tells why), or 0. */
int mapcache_refused(const mapcache *c);
/* 1 when the file there began as one but was damaged (cut short, its
 * digest wrong, or bytes under this build's key that the load refused:
 * geo_drawn_store.refused) and was not used. */
int mapcache_damaged(const mapcache *c);
/* 1 when a load took the file's bytes (for tests and measurements). */
int mapcache_taken(const mapcache *c);
void mapcache_free(mapcache *c);

#endif
