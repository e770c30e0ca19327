/* records.h - the institution records partnermap serve keeps between
 * builds, so that a save reads and parses one file, not every record of
 * the site (load.h, load_cache).
 *
 * An entry is a file content/institutions/<slug>.md as one load read it:
 * what it added to the model (the institution, or nothing for a draft or
 * a record with an error) and the messages it gave. It is replayed while
 * the file has the same size, modification and change times (to the
 * nanosecond) and inode, and the site has the same networks (slugs and
 * names: a record's "unknown network" hint depends on them); otherwise the
 * file is read again. A file gone from the folder is dropped at the end of
 * the load that no longer saw it. A file that the watcher of the site
 * folder says did not change is not even looked at (rec_cache_changed),
 * unless it has other names (hard links), through which it may change
 * with no event naming it. A change of site.yml or of anything else a
 * record's reading depends on must empty the cache (rec_cache_clear).
 *
 * Ownership: the model's institutions that came through the cache share
 * their strings and tables with the entry (a bitwise copy). The cache
 * frees them, never the model: free such a model with rec_cache_site_free.
 * A dropped entry is kept aside until rec_cache_collect, which the caller
 * calls once no model made before the drop is in use. Single-threaded: one
 * thread loads and frees. */
#ifndef PM_SERVE_RECORDS_H
#define PM_SERVE_RECORDS_H

#include <stddef.h>

#include "load/load.h"

typedef struct rec_cache rec_cache;

rec_cache *rec_cache_new(void);
/* Frees every entry, kept or dropped: no model may borrow from c then. */
void rec_cache_free(rec_cache *c);

/* Start a load of the site in dir: *hooks, for site_load_cached, read and
 * fill c. End it with rec_cache_end. */
void rec_cache_begin(rec_cache *c, const char *dir, load_cache *hooks);
/* The load is over: the entries of files it did not meet are dropped. */
void rec_cache_end(rec_cache *c);

/* Whether each institution of s, loaded through c just now, shares its
 * data with c: a fresh array of s->ninst flags, for rec_cache_site_free. */
unsigned char *rec_cache_borrowed(const rec_cache *c, const site *s);
/* site_free for a model loaded through c, borrowed as rec_cache_borrowed
 * said then: the shared institutions are left to the cache. */
void rec_cache_site_free(site *s, const unsigned char *borrowed);

/* From now on, every change of the site folder is said through
 * rec_cache_changed (serve calls it once it watches, before its first
 * load). Without it, every file is looked at (stat) at every load. */
void rec_cache_watched(rec_cache *c);
/* What may have changed since the last load ended, as the one who
 * watches the site folder says it: path, a file relative to the site
 * folder ("content/institutions/x.md"), was written, made, renamed or
 * removed; NULL: anything may have changed (the watch lost events, or a
 * folder appeared, moved or went). Until a load ends after a NULL, and
 * before the first load, every file is looked at (stat). So is every
 * file after a change of a file with other names (hard links), which
 * may be another name of a record. Otherwise, once watched
 * (rec_cache_watched), the next load trusts the entries of the files not
 * named without looking at them. */
void rec_cache_changed(rec_cache *c, const char *path);

/* Drop every entry (site.yml or the networks' context changed). */
void rec_cache_clear(rec_cache *c);
/* The model of the load that ended last is the one in use: every model
 * of an earlier load is freed or about to be (then rec_cache_collect). */
void rec_cache_served(rec_cache *c);
/* Free the dropped entries. */
void rec_cache_collect(rec_cache *c);
/* After a load whose model was freed unused (an update that failed):
 * free the dropped entries read by a load later than the served one's
 * (rec_cache_served), which only such freed models borrowed. Those the
 * served model may borrow stay until rec_cache_collect. So an editor
 * saving a broken record again and again holds one copy of it, not one
 * per save. */
void rec_cache_collect_failed(rec_cache *c);
/* The dropped entries not yet freed (for tests). */
size_t rec_cache_dropped(const rec_cache *c);

/* The modification time, in whole seconds since 1970, that path (relative
 * to the site folder) had when the last load met it, as stat gives it: 0,
 * or -1 when c has no entry for path. Fastest when asked for the paths in
 * their order (strcmp), as a model's institutions are. */
int rec_cache_mtime(rec_cache *c, const char *path, long long *sec);

/* Where an institution of the last load lands on a map, remembered with
 * its record: map is a number that names the map (never reused for
 * another one; 0 for none, which nothing is remembered for).
 * rec_cache_located: 1 when in's entry was located on map, with
 * in->feature set and the warnings locating it gave added to d; 0 when it
 * must be located (a record read again, another map, a partner of a
 * point file). rec_cache_locate_put: in was just located on map, with the
 * messages d holds from index first on. The entry keeps them while it
 * is the file as read; a record whose file changes is read, and located,
 * again. */
int rec_cache_located(rec_cache *c, unsigned map, institution *in, diags_t *d);
void rec_cache_locate_put(rec_cache *c, unsigned map, const institution *in,
			  const diags_t *d, size_t first);

/* Files the last load read and parsed (the others were replayed), and
 * entries held: for tests and the timings serve prints. */
size_t rec_cache_reads(const rec_cache *c);
/* Institutions the last load took from the cache, unread: the others of
 * its model (site.ninst minus these) were read from disk, page bundles
 * included; drafts and records with errors are in neither. */
size_t rec_cache_kept(const rec_cache *c);
size_t rec_cache_size(const rec_cache *c);

#endif
