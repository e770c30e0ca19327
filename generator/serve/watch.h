/* watch.h - noticing that a site changed: every folder of the site is
 * watched through Linux inotify(7), new folders too, and a burst of
 * changes (a save, a `git checkout` of many files) is taken as one. */
#ifndef PM_WATCH_H
#define PM_WATCH_H

/* Whether a change to the file or folder called name (one path segment)
 * is of no interest to a build: hidden names (".git", ".#x.md"), editors'
 * swap and backup files ("x.md.swp", ".swo", ".swx", "x.md~", Emacs's
 * "#x.md#"), "4913", the file vim creates to test whether it may
 * write a folder, and "#<digits>", inotify's name for a file opened with
 * O_TMPFILE, which has none (a build's probe beside its output). 1 if
 * ignored. */
int watch_ignored(const char *name);

typedef struct watch watch;

/* Watch the folder dir and every folder below it, but not the hidden
 * ones nor the top-level "output" folder (where `partnermap build`
 * writes) and the folders a build makes beside it (stage_aside_name),
 * nor symbolic links. NULL with errno set when inotify cannot
 * start or dir cannot be watched; a sub-folder that cannot be watched
 * is skipped. Free with watch_close. */
watch *watch_open(const char *dir);
void watch_close(watch *w);
/* The file descriptor to poll for input (POLLIN) before watch_read. */
int watch_fd(const watch *w);
/* Take every pending event, start watching the folders that appeared
 * (and stop on those that went away); returns how many events were of
 * interest (0: none, only ignored names), or -1 with errno on a read
 * error. An overflowing queue counts as a change, and every folder is
 * looked at again. Never blocks. */
int watch_read(watch *w);

/* What watch_read tells of each change of interest, as it takes it:
 * rel, the file's path from the site folder ("content/institutions/x.md",
 * borrowed for the call), was made, written, renamed, removed or had its
 * attributes changed; rel NULL: anything may have changed (the kernel's
 * queue overflowed and events were lost, or a folder was made, moved,
 * removed or changed), so every file must be looked at again. */
typedef void (*watch_change_fn)(void *ctx, const char *rel);
/* Have fn (with ctx) told of each change from now on; NULL: no one. */
void watch_on_change(watch *w, watch_change_fn fn, void *ctx);

/* Whether the changes watch_read took since the last watch_burst_clear
 * (or watch_open) look like one finished save: they name one file, and
 * nothing else; its last event ended a write (closed after writing, or
 * renamed into place); and nothing was removed or renamed away, since an
 * editor that saves by removing the file (or renaming it to a backup)
 * writes the new one next. 0 too for folder events, lost events, or no
 * change at all. */
int watch_settled(const watch *w);
/* A rebuild began: the next burst starts empty. */
void watch_burst_clear(watch *w);

/* ---- taking a burst of changes as one --------------------------------- */

/* A rebuild waits until no change came for quiet_ms (settled_ms when the
 * burst so far is one finished save, watch_settled), but never longer than
 * max_ms after the first change of the burst (a file written without
 * pause still shows). Times are milliseconds of a monotonic clock. */
typedef struct debounce {
	int quiet_ms, settled_ms, max_ms;
	int pending;          /* a change is waiting for its rebuild */
	int settled;          /* the burst is one finished save so far */
	long long first, last; /* when the burst began, its latest change */
} debounce;

/* A change happened at now; settled: what watch_settled says of the burst
 * with it. */
void debounce_note(debounce *b, long long now, int settled);
/* -1: nothing is waiting; 0: rebuild now; else the milliseconds to wait
 * before asking again. */
int debounce_wait(const debounce *b, long long now);
/* The rebuild began: what came before it is taken care of. */
void debounce_clear(debounce *b);

#endif
