/* update.h - bring an output folder up to date in place, file by file:
 * the incremental half of the publish stage (stage.h decides when it is
 * used).
 *
 * Every path here is relative ("rel"): '/'-separated names below a folder
 * given as an open descriptor, none of them empty, "." or "..", and no
 * leading '/'. Every step goes through open folders, one name at a time,
 * and never follows a symbolic link: a link found in the output folder,
 * wherever it points, is an entry to replace or remove, never a way out.
 * Functions return -1 with errno set on failure (EINVAL for a rel that
 * breaks the rules above). */
#ifndef PM_UPDATE_H
#define PM_UPDATE_H

#include <stddef.h>
#include <sys/stat.h>

/* 1 when rel follows the rules above, else 0. */
int upd_rel_ok(const char *rel);

/* 1 when root/rel is a regular file, reached without a link, that holds
 * exactly the n bytes at data; 0 otherwise (missing, a link, a folder,
 * another size or other bytes, unreadable: every doubt means "write it"). */
int upd_same(int root, const char *rel, const void *data, size_t n);
/* upd_same with the n bytes the open file src holds from its start
 * (read with pread, in pieces: for files too large to hold in memory). */
int upd_same_fd(int root, const char *rel, int src, size_t n);

/* stat of root/rel itself (a link is not followed, in rel's last name nor
 * on the way to it) into *sb: 0, or -1. */
int upd_stat(int root, const char *rel, struct stat *sb);

/* Move from/rel to to/rel, both on one file system, in one rename: a reader
 * of to/rel sees the old file or the new one, never part of either. The
 * folders on the way in `to` are made as needed; anything else in their
 * place (a file, a link) is removed first, and whatever is at to/rel (a
 * folder with all it holds, a link) is replaced. 0 or -1. */
int upd_move(int from, int to, const char *rel);

/* Remove from root every entry that is not a file named in keep (n rels
 * sorted bytewise, as strcmp orders them) or a folder on the way to one;
 * the top-level entry named spare (may be NULL) stays. Links are removed,
 * never followed. The number of entries removed (a folder with all it
 * holds counts once), or -1 after the first failure. */
long upd_prune(int root, char *const *keep, size_t n, const char *spare);

/* Called by upd_prune_seen for each file of keep that it leaves in place:
 * its rel and its stat (not through a link), taken as it went by. */
typedef void (*upd_seen)(void *ctx, const char *rel, const struct stat *sb);

/* upd_prune, telling seen(ctx, ...) every file it leaves (a regular file
 * named in keep), so that a caller needing their stat (the manifest of
 * publish/reuse.h) does not walk the folder again. seen may be NULL. */
long upd_prune_seen(int root, char *const *keep, size_t n, const char *spare,
		    upd_seen seen, void *ctx);

#endif
