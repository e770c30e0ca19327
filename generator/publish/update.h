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
#include <time.h>

/* What a build keeps of a file's stat(2) to know it again: its type
 * (st_mode & S_IFMT), size (bytes), modification and change times and
 * inode. 56 bytes where a struct stat is 144: a build of 100,000 pages
 * keeps one per page. */
typedef struct upd_ident {
	long long size;
	struct timespec mtime, ctime;
	unsigned long long ino;
	unsigned mode;
} upd_ident;

/* The identity of the file sb describes. */
upd_ident upd_ident_of(const struct stat *sb);
/* The struct stat of an identity: its fields set, every other 0. */
void upd_ident_stat(const upd_ident *id, struct stat *sb);

/* 1 when rel follows the rules above, else 0. */
int upd_rel_ok(const char *rel);

/* 1 when root/rel is a regular file, reached without a link, that holds
 * exactly the n bytes at data; 0 otherwise (missing, a link, a folder,
 * another size or other bytes, unreadable: every doubt means "write it"). */
int upd_same(int root, const char *rel, const void *data, size_t n);
/* upd_same with the n bytes the open file src holds from its start
 * (read with pread, in pieces: for files too large to hold in memory). */
int upd_same_fd(int root, const char *rel, int src, size_t n);

/* root/rel opened for reading when it is a regular file reached without a
 * link (never a device or a pipe someone left there): its descriptor
 * (close-on-exec, the caller's to close) with its stat, taken on the open
 * file, in *sb; or -1. For comparing a file with OUT_DIR's as it is
 * made, piece by piece (publish/stage.h, stage_stream). */
int upd_open(int root, const char *rel, struct stat *sb);

/* stat of root/rel itself (a link is not followed, in rel's last name nor
 * on the way to it) into *sb: 0, or -1. */
int upd_stat(int root, const char *rel, struct stat *sb);

/* Move from/rel to to/rel, both on one file system, in one rename: a reader
 * of to/rel sees the old file or the new one, never part of either. The
 * folders on the way in `to` are made as needed; anything else in their
 * place (a file, a link) is removed first, and whatever is at to/rel (a
 * folder with all it holds, a link) is replaced. 0 or -1. */
int upd_move(int from, int to, const char *rel);

/* Which ACLs (acl(5)) upd_acl looks for: a file's access ACL, a
 * folder's default ACL (which, in the umask's place, gives what is made
 * in it its bits), or either. */
enum { UPD_ACL_ACCESS = 1, UPD_ACL_DEFAULT = 2, UPD_ACL_ANY = 3 };

/* Whether the file open at fd has one of the ACLs `which` asks for. fd
 * may be an O_PATH descriptor, which takes no fgetxattr: its inode in
 * /proc is then asked, never a name. A file with an ACL has bits that
 * show the ACL's mask (what its group may do): a build leaves them as
 * they are, as a chmod would change the ACL. 0 when it cannot be told. */
int upd_acl(int fd, int which);

/* Give each folder on the way to root/rel (not root itself) that this
 * user owns, that has no ACL and that its owner may not list, enter or
 * change (chmod 0, 300, 500) the bits dir_mode, keeping its setgid bit,
 * as a clean build would have made it: through the folder opened
 * (O_PATH, no link followed), never a name. So that a build can move
 * its files in (upd_move) and walk it (upd_prune_walk). 0, or -1 with
 * errno when a folder on the way cannot be opened. */
int upd_open_way(int root, const char *rel, mode_t dir_mode);

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

/* A folder is "settled" when neither its modification nor its change time
 * is later than UPD_SETTLE_S seconds before the walk began: any entry added
 * to, removed from or renamed in it since then gives it a later change
 * time, even on a file system whose clock ticks coarsely (FAT's mtime keeps
 * 2 seconds) or runs on another machine. */
#define UPD_SETTLE_S 2

/* 1 when a folder whose stat is sb is settled for a walk that began at
 * began (the realtime clock), else 0. */
int upd_settled(const struct stat *sb, const struct timespec *began);

/* The names folder rel (below root, "" never asked) held when the last walk
 * saw it, given its identity now (sb: from fstatat, not through a link):
 * 1 and a fresh NULL-terminated list in *names (fs_free_list), sorted or
 * not, when sb is the identity that walk recorded, so the folder need not
 * be read; 0 otherwise (read it). The technique of git's untracked cache:
 * a folder's mtime and ctime change whenever an entry is added to it,
 * removed from it or renamed in it; an entry changed in place (a file
 * edited, a subfolder's own entries) does not show, so each is examined
 * all the same. */
typedef int (*upd_listed)(void *ctx, const char *rel, const struct stat *sb,
			  char ***names, size_t *count);

/* The stat of folder rel (below root), taken earlier in this build, not
 * through a link, and still true of it (nothing moved into it or out of
 * it since): 1 and *sb, or 0 when none was taken (stat it). It spares the
 * walk an fstatat per folder whose listing is trusted (upd_listed): a
 * build that looked at its kept pages' folders already knows them. */
typedef int (*upd_folder_stat)(void *ctx, const char *rel, struct stat *sb);

/* Everything upd_prune_walk is told and tells. */
typedef struct upd_walk {
	char *const *keep;  /* the files to leave, n rels sorted bytewise */
	size_t n;
	/* NULL, or n entries: keep[i]'s stat taken earlier in this build
	 * (not through a link), or NULL when none was. A known stat spares
	 * an fstatat in a folder whose listing is trusted (listed), and is
	 * the one seen is told, even when the walk finds another. */
	const upd_ident *const *known;
	const char *spare;  /* a top-level name to leave (may be NULL) */
	upd_seen seen;      /* each file left (may be NULL) */
	/* each folder below root that the walk left as it found it (nothing
	 * removed from it) and that is settled, with its identity taken
	 * before it was read: a later change of its entries shows as another
	 * identity (may be NULL) */
	upd_seen folder;
	upd_listed listed;  /* may be NULL: every folder is read */
	void *ctx;          /* for seen, folder and listed */
	/* the time "settled" counts back from: NULL, the clock as the walk
	 * begins (tests give another) */
	const struct timespec *began;
	upd_folder_stat folder_stat; /* may be NULL: every folder is stat'ed */
	/* the permission bits a folder of the new site gets (0755 less the
	 * umask): a folder below root the walk looks at (not one whose
	 * identity it was told) with others, or the sticky bit, is given
	 * these, keeping its setgid bit, as a clean build would make it;
	 * not one with an ACL, whose mask its bits show. 0: modes are left
	 * alone */
	mode_t dir_mode;
	/* each folder below root whose bits are not dir_mode and could not
	 * be given them (another user's, which a chmod may not change), with
	 * its stat; may be NULL */
	upd_seen bits_kept;
	/* NULL, or where the walk puts the rel of the entry it failed to
	 * remove (a fresh string the caller frees), for a message that names
	 * the place */
	char **failed;
	/* NULL, or told each entry the walk may not remove (EACCES, EPERM:
	 * a folder of another user's, or one with the sticky bit, or an
	 * immutable one, holds it) with the rel of the first entry below it
	 * that would not go, the deepest, that errno and how many entries would
 * not go there (fs_remove_below's count); the walk then
	 * removes all else it can and goes on, where without it such a
	 * failure ends the walk (-1) */
	void (*left)(void *ctx, const char *rel, int e, size_t count);
} upd_walk;

/* upd_prune_seen with the listings of unchanged folders taken from
 * w->listed instead of read (getdents) again, and a folder opened only
 * when something in it must be removed or examined. Removes and tells
 * the same as upd_prune_seen as long as listed tells the truth. */
long upd_prune_walk(int root, const upd_walk *w);

/* upd_same, and when it returns 1 the stat of the file it compared (taken
 * on the open file) into *sb. */
int upd_same_stat(int root, const char *rel, const void *data, size_t n,
		  struct stat *sb);

#endif
