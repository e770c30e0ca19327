/* stage.h - write the site into a staging folder beside the output folder,
 * then swap it into place in one rename, so a failed build leaves the
 * previous output exactly as it was and a reader never sees half a site.
 *
 * Folders beside OUT_DIR that partnermap makes, named after it and after
 * the process that made them (its pid and its start time, field 22 of
 * /proc/<pid>/stat, so a reused pid is told apart), and 32 random bits
 * (8 hex digits), so that no one can make the name first where others
 * may write:
 *
 *   OUT_DIR.staging-<pid>-<start>-<rnd>   the site being written
 *   OUT_DIR.old-<pid>-<start>-<rnd>       the previous site, only for the
 *                                   moment between the two renames of a
 *                                   swap on a file system without
 *                                   RENAME_EXCHANGE
 *
 * Nothing else is taken for a build's: not "OUT_DIR.old-2024", which may
 * be a user's copy, nor the shorter names earlier versions used (left
 * for their owner to remove).
 *
 * Each holds STAGE_MARKER from its first instant to its last (the marker is
 * written first and removed last). A process killed at any point leaves
 * either folder behind; the next stage_open of the same OUT_DIR removes
 * those whose process is gone, and moves an old site back to OUT_DIR when
 * OUT_DIR is missing. A folder without the marker, or whose process still
 * runs, is never touched. */
#ifndef PM_STAGE_H
#define PM_STAGE_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#include "../util/buf.h"
#include "../util/diag.h"
#include "update.h"

/* Written into every output folder; an existing non-empty folder without it
 * is never replaced (a mistyped -o must not delete someone's files). Only a
 * regular file holding STAGE_MARKER_TEXT counts: not a link, not a folder. */
#define STAGE_MARKER ".partnermap-output"
#define STAGE_MARKER_TEXT "partnermap\n"

/* The most a build may write in all (bytes, every file of the site
 * together): past it the build stops with a content error and publishes
 * nothing. Each page is already held to MST_MAX_OUTPUT (render/mustache.h);
 * this bounds templates that fan a large body out across many pages. */
#ifndef PM_MAX_SITE_BYTES
#define PM_MAX_SITE_BYTES ((size_t)4 << 30)
#endif

/* What a build may write on top of PM_MAX_SITE_BYTES for each record
 * (institution, network or page) in each language: a site's pages grow
 * with its records (about 24 KB an institution in the default theme), so
 * a fixed cap would stop a large site (200,000 institutions write some
 * 5 GB) that repeats nothing. */
#define PM_SITE_BYTES_PER_RECORD ((size_t)64 << 10)

/* The most a build of `records` records in `languages` languages may
 * write, in bytes: PM_MAX_SITE_BYTES plus PM_SITE_BYTES_PER_RECORD for
 * each record in each language; SIZE_MAX when that does not fit in a
 * size_t. For stage_options.max_bytes. */
size_t stage_max_bytes(size_t records, size_t languages);

typedef struct stage_options {
	/* OUT_DIR as the user named it, for messages (NULL: out_dir). */
	const char *shown;
	/* The site folder (NULL: not checked). OUT_DIR may not be it, hold
	 * it, or be or lie inside a folder of it that a build reads
	 * (content/, i18n/, themes/, archetypes/, geodata/, and inputs): a
	 * build replaces OUT_DIR whole. */
	const char *site_dir;
	/* More folders the build reads, relative to site_dir, NULL-terminated
	 * (the basemap's folder, for one); NULL: none. Borrowed. A folder
	 * that is the site folder itself adds nothing. */
	const char *const *inputs;
	/* Set non-zero (by a signal handler) to stop: every later stage_write
	 * fails, with no diagnostic, and stage_commit does nothing. NULL:
	 * never. */
	const atomic_int *cancel;
	/* Swap with two renames, as on a file system without RENAME_EXCHANGE
	 * (for tests of that path). */
	int no_exchange;
	/* The output path (relative) whose move an in-place commit fails
	 * with EIO, after the moves before it: a failure found half way,
	 * which nothing found beforehand can (for tests). NULL: none. */
	const char *fail_move;
	/* The most the whole site may hold, in bytes (0: PM_MAX_SITE_BYTES;
	 * a build gives stage_max_bytes, tests something smaller). */
	size_t max_bytes;
	/* Threads that remove the previous site once a new one is swapped
	 * in (values below 2: the calling thread alone). */
	int threads;
	/* Update an output folder partnermap wrote in place instead of
	 * swapping a whole new site in: see "Updating in place" below. When
	 * OUT_DIR is missing or empty, the site is written whole as usual. */
	int incremental;
	/* Where to say that the build waits for another build's lock on
	 * OUT_DIR (NULL: nowhere). See "Updating in place". */
	FILE *say;
	/* The suffixes of the hidden files the caller writes beside OUT_DIR
	 * under the lock (stage_beside: ".partnermap-manifest", ...),
	 * NULL-terminated; NULL: none. Borrowed. A temporary file a killed
	 * write of one left (util/fs.h, fs_is_tmp_of) is removed. */
	const char *const *beside;
} stage_options;

/* Updating in place. The staging folder then receives only the files whose
 * bytes differ from OUT_DIR's (each file is compared with the one there:
 * no index or cache is trusted), and is made only when the first of them
 * comes, so a build that changes nothing writes nothing; stage_commit moves each of them over its
 * old version with one rename (update.h), then removes what the new site no
 * longer has. Until stage_commit, OUT_DIR is not touched, so a failed or
 * cancelled build leaves it exactly as it was; during it, every file a
 * reader opens is whole, old or new. Unchanged files keep their inode and
 * modification time.
 *
 * Builds into one folder run one after the other: from stage_open to
 * stage_close each holds an flock(2) on STAGE_LOCK_SUFFIX beside OUT_DIR,
 * a file only this user may open (util/fs.h, fs_lock_open), so no other
 * user can stall it. It covers the comparisons with OUT_DIR, the commit
 * and what the caller writes beside OUT_DIR after it (the manifest, the
 * pieces' tables, the record cache: ".OUT.partnermap-<word>"): another
 * build's commit between them would mix two sites, and leave a manifest
 * naming one build's inputs for the other's files. And since no other
 * build writes those then, stage_open removes the temporary files a
 * killed build left of them (stage_options.beside). While another
 * build holds it, stage_open says so once (stage_options.say) and waits;
 * a cancel stops it there. A lock file that is not this user's own is not
 * used (lock_refused): the build goes on without it. */
#define STAGE_LOCK_SUFFIX ".partnermap-lock"
/* Room for stage.lock_why, its NUL included. */
#define STAGE_LOCK_WHY 256

/* The longest last name OUT_DIR may have, in bytes: the staging folder
 * beside it is named "NAME.staging-PID-START-RND", 9 + 7 + 1 + 20 + 1 + 8
 * = 46 bytes more at most (a pid has at most 7 digits on Linux,
 * PID_MAX_LIMIT being 4,194,304; a start time at most 20), and a name may
 * have NAME_MAX (255) bytes on Linux. A longer one is refused by
 * stage_open, whatever numbers this build would have. */
#define STAGE_NAME_MAX (NAME_MAX - 50)

typedef struct stage_entry {
	char *rel;   /* a file of the new site */
	int changed; /* written to the staging folder, to move into OUT_DIR */
	int known;   /* not changed, and id is OUT_DIR's file as this build
			compared or kept it (so the commit need not stat it) */
	upd_ident id;
} stage_entry;

/* A file or folder of OUT_DIR after stage_commit: its rel and the
 * identity its stat gave (not through a link), as the last walk of an
 * in-place commit found it, or, after a swap, as the build left a file
 * once written (the swap moves the folder, never touching the files'
 * inodes or times). */
typedef struct stage_file {
	char *rel;
	upd_ident id;
} stage_file;

/* A growing list of them (v stays NULL until the first is added). */
typedef struct stage_files {
	stage_file *v;
	size_t n, cap;
} stage_files;

/* Where a stage opened by stage_open_memory hands each file: rel and its
 * n bytes (copy them: data is the caller's). 0, or -1 after adding a
 * diagnostic to d. Called from several threads at once. */
typedef int (*stage_sink)(void *ctx, const char *rel, const void *data,
			  size_t n, diags_t *d);

typedef struct stage {
	char *final; /* the output folder, without trailing slashes; a
		      * last part "." or ".." is resolved to the real folder */
	char *shown; /* the output folder as named in messages */
	char *tmp;   /* the staging folder beside it (in place: NULL until
		      * a file differs) */
	char *old;   /* the name the previous site takes in a two-rename swap */
	dev_t tmp_dev; /* the staging folder as made: what its name must */
	ino_t tmp_ino; /* still be when the swap gives it OUT_DIR's owner */
	/* the permission bits of a file and of a folder the build makes
	 * (0644 and 0755 less the umask): a file of OUT_DIR with others is
	 * not the file the build would write, and is written again; a
	 * folder's are set again by the commit (update.h, dir_mode) */
	mode_t file_mode, dir_mode;
	/* OUT_DIR keeps the bits chmod gives (not so on FAT, or a share
	 * mounted with fixed modes, where every file would seem changed)
	 * and has no default ACL, which gives new files their bits in the
	 * umask's place: only then are they checked */
	int modes_kept;
	mode_t tmp_mode; /* the staging folder's mode as made (0755 less the
			    umask, setgid as taken from OUT_DIR): what a
			    first build's site gets at the swap; until
			    then it is 0700, so that no one else reads a
			    site not yet published, or opens a folder
			    in it to read later */
	const atomic_int *cancel;
	int no_exchange;
	const char *fail_move; /* see stage_options.fail_move */
	int threads;      /* see stage_options.threads */
	size_t max_bytes; /* see stage_options.max_bytes */
	int over;         /* a write was refused for max_bytes */
	size_t files, bytes;
	size_t written;   /* files written (in place: the changed ones) */
	size_t removed;   /* in place: entries of OUT_DIR removed by commit */
	int outfd;        /* in place: OUT_DIR, open; -1 otherwise */
	int lockfd;       /* the lock file, locked; -1 when none */
	stage_entry *ents; /* in place: every file of the new site */
	size_t nents, cap;
	/* once stage_commit succeeded (found.v set): every regular file
	 * OUT_DIR holds but the marker, sorted by rel: in place, from the
	 * walk that removed what the new site no longer has; after a swap,
	 * as each file was written (v NULL when a stat failed); so that no
	 * one walks OUT_DIR again for their stat (publish/reuse.c) */
	stage_files found;
	int found_lost;   /* after a swap: a file written is not in found */
	int staging_failed; /* in place: making the staging folder failed */
	int partial;      /* an in-place commit failed after it began to
			     change OUT_DIR: it holds part of the new site
			     (1), or all of it and some of the files of the
			     last one that it no longer has (2: the walk
			     that removes them failed) */
	FILE *say;        /* stage_options.say */
	const char *const *beside; /* stage_options.beside */
	int lock_refused; /* the lock file beside OUT_DIR was there but not
			     this user's own (another's, open to others, a
			     link, a folder) and was not used */
	int lock_made;    /* this build made the lock file it holds:
			     stage_close removes it unless the build was
			     committed, leaving no trace of a failed one */
	int committed;    /* stage_commit put the new site (or, partial,
			     part of it) in OUT_DIR */
	char *made_top;   /* the highest folder above OUT_DIR that stage_open
			     made (mkdir -p); a build that fails removes
			     those it made, if still empty; NULL for none */
	char *old_left;   /* a site left beside OUT_DIR that could not be
			     removed (something in it append-only or
			     immutable): the previous one after this swap,
			     else one an earlier build left; NULL when
			     none; owned */
	int old_errno;    /* then why */
	char *old_stuck;  /* then the entry in it that would not go, the
			     first met and deepest (a path); owned */
	int prev_stuck;   /* old_left is this swap's previous site, at
			     st->tmp or st->old */
	int group_lost;   /* the site swapped in could not be given the
			     group OUT_DIR had (group_wanted): it gives
			     its own group no access */
	gid_t group_wanted;
	/* in place: a folder below OUT_DIR of another user's whose bits are
	 * not a clean build's folders' and could not be given them (the
	 * first the commit's walk met; "" when none), its owner and mode */
	char bits_kept[4096];
	uid_t bits_kept_uid;
	mode_t bits_kept_mode;
	/* in place: an entry below OUT_DIR the new site does not have and
	 * the commit's walk may not remove (upd_walk.left): the first met,
	 * as shown, and its errno; "" when none; how many there were */
	char left[4096];
	int left_errno;
	size_t left_count;
	char lock_why[STAGE_LOCK_WHY]; /* then why, as a clause: "another
			     user (uid 1) owns it, ..." */
	/* in place, the folders below OUT_DIR that walk left as it found them and
	 * that are settled (update.h, upd_walk.folder), sorted by rel, each
	 * with its stat taken before it was read */
	stage_files found_dirs;
	/* What the last build left in OUT_DIR: the listing of an unchanged
	 * folder, so the commit need not read it again (update.h; set by
	 * publish/reuse.c from its manifest). NULL: read every folder. */
	upd_listed listed;
	/* The stat of a folder of OUT_DIR that this build took as it kept
	 * pages below it (update.h; set by publish/reuse.c), or NULL. The
	 * commit asks it only of folders it moved nothing into. */
	upd_folder_stat folder_stat;
	/* The files the last build wrote, from its manifest: the rel of the
	 * i-th, sorted bytewise, or NULL past the last (set by
	 * publish/reuse.c; may be NULL: none known). The commit looks, before
	 * anything moves, at the folders it will remove them from. */
	const char *(*old_file)(void *ctx, size_t i);
	void *listed_ctx; /* for listed, folder_stat and old_file */
	pthread_mutex_t lock; /* stage_write may be called from several threads */
	stage_sink sink;  /* stage_open_memory's, or NULL */
	void *sink_ctx;
} stage;

/* 1 when name is a folder a build of an OUT_DIR whose last name is base
 * makes beside it ("<base>.staging-<pid>-<start>-<8 hex digits>", or
 * ".old-..." for the previous site during a swap), else 0. For a watcher
 * of the folder that holds OUT_DIR (partnermap serve), which a build
 * there must not wake. */
int stage_aside_name(const char *name, const char *base);

/* A stage that writes nothing on disk: stage_write hands every file to
 * sink (partnermap serve keeps the pages it renders in memory); no limit
 * of size applies but each page's (render/mustache.h). stage_keep and
 * stage_commit are not for it; stage_close frees it. */
void stage_open_memory(stage *st, stage_sink sink, void *ctx);

/* Check OUT_DIR (see stage_options.site_dir and stage_replaceable), clean up
 * after killed builds (see above), then create the staging folder with the
 * marker in it (in place, that waits for the first file that differs).
 * opt may be NULL. 0, or -1 with a DIAG_FATAL without a
 * position (a folder has no line) whose message names <shown>;
 * stage_close st either way. */
int stage_open(stage *st, const char *out_dir, const stage_options *opt,
	       diags_t *d);
/* Write rel (a path below the output root, '/'-separated), creating the
 * folders it needs. 0, or -1 with a DIAG_FATAL; -1 with a DIAG_ERROR at
 * "<shown>/<rel>:1:1" when the site would pass max_bytes (nothing written);
 * -1 without one once the build is cancelled. Safe to call from several threads at once, each with
 * its own d. */
int stage_write(stage *st, const char *rel, const void *data, size_t n,
		diags_t *d);
/* A file written in pieces, for those as large as the site (the GeoJSON
 * of 100,000 institutions): the same as one stage_write of all its bytes,
 * without holding them. stage_stream_open creates rel in the staging
 * folder (0, or -1 with a DIAG_FATAL, or none once cancelled);
 * stage_stream_write appends n bytes (0, or -1: a DIAG_FATAL, or none when
 * the file alone passed max_bytes or the build was cancelled, which
 * stage_stream_close then reports); stage_stream_close checks the limit
 * and, in place, compares the file with OUT_DIR's (stage_write's rules),
 * returning what stage_write would. After a failed write, close it all
 * the same (it fails too) or call stage_stream_abort, which removes the
 * staged file. Every call frees what open made; w is the caller's. In
 * place, the bytes are compared with OUT_DIR's file as they come and
 * nothing is written while they match: the file is staged, the matching
 * start copied from OUT_DIR's, only once they differ. */
typedef struct stage_stream {
	stage *st;
	char *rel, *path; /* path: in the staging folder; NULL in memory and
			     until the file is staged */
	int fd;           /* the staged file, open; -1 until staged, or once
			     closed */
	int old;          /* in place: OUT_DIR's file while every byte so far
			     is what it holds at the same offset (nothing is
			     staged then); -1 once one differs */
	struct stat old_sb; /* old's stat, taken on the open file */
	size_t n;         /* bytes written so far */
	buf_t mem;        /* a memory stage's (stage_open_memory): the bytes,
			     handed to its sink whole at close */
} stage_stream;
int stage_stream_open(stage *st, const char *rel, stage_stream *w, diags_t *d);
int stage_stream_write(stage_stream *w, const void *data, size_t n, diags_t *d);
int stage_stream_close(stage_stream *w, diags_t *d);
void stage_stream_abort(stage_stream *w);

/* Room for `files` entries in st's list of the new site's files (in
 * place: the last build's count, reuse_old_files), so that the list is
 * not grown by doubling while the pages render: at 100,000 records that
 * held some 4 MB more at the build's peak. A hint: more are taken as
 * they come. */
void stage_reserve(stage *st, size_t files);

/* In place (st->outfd >= 0): rel, n bytes, is a file of the new site that
 * OUT_DIR already holds as it should be (publish/reuse.h decided so without
 * rendering it): it is counted and kept, neither compared nor written.
 * sb: its stat as the caller just checked it (not through a link), which
 * the commit then takes instead of its own; NULL: the commit takes it.
 * 0, or -1 as stage_write when the site would pass max_bytes or the build
 * is cancelled. */
int stage_keep(stage *st, const char *rel, size_t n, const struct stat *sb,
	       diags_t *d);
/* Put the staged site in place of the output folder, after checking OUT_DIR
 * again. 0, or -1 (a DIAG_FATAL, or none when cancelled). In place, a
 * failure after the first rename (a disk error) leaves OUT_DIR holding part
 * of the new site, each file whole, which the next build completes; the
 * fatal message says so. */
int stage_commit(stage *st, diags_t *d);
/* Remove the staging folder (after a failure) and free st. Safe after
 * commit and after a failed stage_open. */
void stage_close(stage *st);
/* 1 when st's build was cancelled (stage_options.cancel set): its writes
 * fail from then on without a message of their own, so a failure is no
 * fault to tell. 0 for a NULL st. */
int stage_cancelled(const stage *st);

/* The hidden file beside the output folder out_dir (as stage_open names
 * it: trailing slashes dropped, a last "." or ".." resolved) called
 * "." + its last name + suffix: for "/srv/site/" and ".partnermap-manifest",
 * "/srv/.site.partnermap-manifest". A fresh string. */
char *stage_beside(const char *out_dir, const char *suffix);

/* Why the way to path may be another user's to change, as a fresh
 * sentence for a message, or NULL. In a folder anyone may write
 * (S_IWOTH: /tmp, /dev/shm), every folder and link on the way must be
 * this user's or root's: another user may have planted one there, and can
 * move what lies below it, or point it elsewhere, between the check and
 * the write. The folders on the way (not path's last name) are walked
 * as stage_open_way walks them, the links on it followed as it follows
 * them; parts that do not exist yet end the walk (they will be made,
 * this user's). A folder others may write without the sticky bit, and
 * for root one a user owns or a group other than root's may write, is
 * refused too. opt is the
 * option that named path ("-o", "--report") and what says what is
 * written there ("site", "file"), for the sentence. */
char *stage_planted_way(const char *path, const char *opt, const char *what);

/* The folder dir opened (O_PATH) by a walk of its names, one at a time,
 * each opened without following it and checked as stage_planted_way
 * checks it before it is used: a link is followed by reading the link
 * opened, so nothing another user changes on the way between the check
 * and the use is ever followed. Its descriptor; or -1, with *why a fresh
 * sentence when the way was refused, else errno set. ".." is taken as
 * the folder's own. */
int stage_open_way(const char *dir, const char *opt, const char *what,
		   char **why);

/* Whether the existing entry at path may be replaced by a new site: 1 when
 * there is nothing there, or an empty folder, or a folder holding the
 * marker and no other name beginning with '.' (partnermap writes none, so
 * a .git, .env or .nojekyll there is someone else's). 0 otherwise, with
 * why in *why (a fresh string naming the entry and how to fix it, or NULL
 * if why is NULL). Links are never followed: a link at path is refused. */
int stage_replaceable(const char *path, char **why);

/* Whether the folder dir holds STAGE_MARKER as partnermap writes it (a
 * regular file, not a link, holding STAGE_MARKER_TEXT): a site a build
 * wrote, which a failed build leaves as it was. 0 for anything else,
 * dir missing included. */
int stage_is_output(const char *dir);

/* The nearest folder from path up, path included, that holds the marker
 * (STAGE_MARKER, a regular file holding STAGE_MARKER_TEXT) owned by this
 * user: an output folder this user's builds wrote, which the next build
 * empties of what it did not write. Another user's marker, which anyone
 * may put in /tmp, does not count. path is a real path; the result is
 * fresh, or NULL when there is none. */
char *stage_output_around(const char *path);

/* 1 when the process pid runs and is the one that started at start (clock
 * ticks since boot, field 22 of /proc/<pid>/stat), or, when start is 0,
 * when it runs a program named partnermap; 0 otherwise. Where /proc cannot
 * tell, a pid that exists counts as running. */
int stage_owner_alive(long pid, unsigned long long start);

#endif
