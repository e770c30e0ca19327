/* stage.c - staging folder, atomic swap, and clean-up after killed builds. */
#define _GNU_SOURCE /* renameat2 */
#include "stage.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/par.h"
#include "update.h"

/* ---- paths -------------------------------------------------------------- */

/* The folder above dir, whatever slashes end dir or repeat in it
 * ("a//b/" gives "a"): a fresh string; "." or "/" at the top. */
static char *folder_above(const char *dir)
{
	char *d = xstrdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	char *up = fs_folder_of(d, ".");
	free(d);
	n = strlen(up);
	while (n > 1 && up[n - 1] == '/')
		up[--n] = '\0';
	return up;
}

/* The first folder on the way to dir that is a symbolic link to nothing
 * (mkdir -p then fails with "File exists"): said, with where it leads.
 * 1 when one was found. */
static int dangling_on_the_way(const stage *st, const char *dir, diags_t *d)
{
	char *path = xstrdup(dir);
	int found = 0;
	for (char *p = path; !found && p;) {
		char *slash = strchr(p + 1, '/');
		if (slash)
			*slash = '\0';
		struct stat sb;
		char to[PATH_MAX];
		ssize_t n;
		if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) &&
		    stat(path, &sb) < 0 && errno == ENOENT &&
		    (n = readlink(path, to, sizeof to - 1)) >= 0) {
			to[n] = '\0';
			/* without a position, as out_fatal (below) says */
			diags_add(d, DIAG_FATAL, CHECK_NONE, NULL, 0, 0,
				  "cannot create the folder '%s' goes in: '%s' "
				  "is a symbolic link to '%s', which does not "
				  "exist; create that folder, or choose another "
				  "with -o", st->shown, path, to);
			found = 1;
		}
		if (slash)
			*slash = '/';
		p = slash;
	}
	free(path);
	return found;
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The absolute form of path without links, "." or "..", where the last
 * components need not exist yet (they are taken as the folders fs_mkdirs
 * would make). NULL with errno when a part that exists cannot be read. */
static char *resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r || (errno != ENOENT && errno != ENOTDIR))
		return r;
	char *parent = fs_folder_of(path, ".");
	if (!strcmp(parent, path)) { /* "." or "/" itself is missing */
		free(parent);
		return NULL;
	}
	char *up = resolve(parent);
	free(parent);
	const char *base = base_of(path);
	if (!up || !*base || !strcmp(base, "."))
		return up;
	if (!strcmp(base, "..")) {
		char *slash = strrchr(up, '/');
		if (slash && slash != up)
			*slash = '\0';
		else
			strcpy(up, "/");
		return up;
	}
	r = fs_join(up, base);
	free(up);
	return r;
}

/* 1 when path lies strictly inside dir (both absolute, without links). */
static int inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return path[0] == '/' && path[1] != '\0';
	return !strncmp(path, dir, n) && path[n] == '/';
}

/* ---- the marker and the entries of a folder ----------------------------- */

static int in_shared_folder(const char *path);
static char *io_hint(int e, const char *where);

static int marker_of(const char *dir, int own);

/* 1 when dir/STAGE_MARKER is a regular file (not a link, not a folder)
 * holding STAGE_MARKER_TEXT. */
static int has_marker(const char *dir)
{
	return marker_of(dir, 0);
}

/* 1 when dir holds the marker and this user owns it: a folder this
 * user's builds wrote. Another user's marker, which anyone may put in
 * /tmp, is not. */
static int holds_own_marker(const char *dir)
{
	return marker_of(dir, 1);
}

char *stage_output_around(const char *path)
{
	char *d = xstrdup(path);
	for (;;) {
		if (holds_own_marker(d))
			return d;
		char *slash = strrchr(d, '/');
		if (!slash || slash == d) {
			free(d);
			return NULL;
		}
		*slash = '\0';
	}
}

/* has_marker, and when own is set, the marker this user's. */
static int marker_of(const char *dir, int own)
{
	char *path = fs_join(dir, STAGE_MARKER);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return 0;
	struct stat sb;
	char text[sizeof STAGE_MARKER_TEXT + 1];
	ssize_t n = 0;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (!own || sb.st_uid == geteuid()))
		n = read(fd, text, sizeof text);
	close(fd);
	return n == (ssize_t)strlen(STAGE_MARKER_TEXT) &&
	       !memcmp(text, STAGE_MARKER_TEXT, (size_t)n);
}

int stage_is_output(const char *dir)
{
	struct stat sb;
	return lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	       (sb.st_uid == geteuid() || !in_shared_folder(dir)) &&
	       has_marker(dir);
}

/* What a removal shares out among threads: paths to remove whole. */
typedef struct pieces {
	char **v;
	size_t n, cap;
	atomic_int failed;
} pieces;

static void add_piece(pieces *p, char *path)
{
	p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v, 256);
	p->v[p->n++] = path;
}

static void remove_piece(void *arg, size_t i)
{
	pieces *p = arg;
	if (fs_remove_tree(p->v[i]) < 0)
		atomic_store(&p->failed, 1);
}

/* Remove every entry of the folders at path/names[k] (a site's
 * institutions/ holds one folder per record) on `threads` threads; the
 * folders themselves are left, emptied. */
static void empty_on_threads(const char *path, char **names, int threads)
{
	pieces p = {NULL, 0, 0, 0};
	atomic_init(&p.failed, 0);
	for (size_t i = 0; names[i]; i++) {
		char *sub = fs_join(path, names[i]);
		char **below;
		size_t n;
		struct stat sb;
		if (strcmp(names[i], STAGE_MARKER) && lstat(sub, &sb) == 0 &&
		    S_ISDIR(sb.st_mode) && fs_list_all(sub, &below, &n) == 0) {
			for (size_t k = 0; k < n; k++)
				add_piece(&p, fs_join(sub, below[k]));
			fs_free_list(below);
		}
		free(sub);
	}
	par_for(p.n, threads, remove_piece, &p);
	for (size_t k = 0; k < p.n; k++)
		free(p.v[k]);
	free(p.v);
}

/* Remove a folder partnermap made: everything but the marker, then the
 * marker, then the folder, so a kill midway leaves a folder the next build
 * still knows as its own. Never follows a link; anything but a folder at
 * path is left alone. The folders at its top are emptied on `threads`
 * threads first: a site of 50,000 pages is 50,000 folders to remove.
 * When it fails and stuck is not NULL, *stuck is the path of the first
 * entry that would not go, the deepest (fresh; NULL when none is known),
 * with errno as that failure left it. */
static int remove_marked(const char *path, int threads, char **stuck)
{
	if (stuck)
		*stuck = NULL;
	struct stat sb;
	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return -1;
	char **names;
	size_t count;
	if (fs_list_all(path, &names, &count) < 0)
		return -1;
	if (threads > 1)
		empty_on_threads(path, names, threads);
	int rc = 0, e = 0;
	for (size_t i = 0; i < count; i++) {
		if (!strcmp(names[i], STAGE_MARKER))
			continue;
		char *sub = fs_join(path, names[i]), *at;
		if (fs_remove_below(AT_FDCWD, sub, &at, NULL) < 0 && rc == 0) {
			rc = -1;
			e = errno;
			if (stuck)
				*stuck = at ? at : xstrdup(sub);
			else
				free(at);
		} else {
			free(at);
		}
		free(sub);
	}
	fs_free_list(names);
	if (rc < 0) {
		errno = e;
		return -1;
	}
	char *marker = fs_join(path, STAGE_MARKER);
	rc = unlink(marker) < 0 && errno != ENOENT ? -1 : 0;
	free(marker);
	return rc == 0 ? rmdir(path) : -1;
}

static const char *kind_of(mode_t m)
{
	if (S_ISREG(m))
		return "a file";
	if (S_ISFIFO(m))
		return "a named pipe";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a folder";
}

/* What dir/STAGE_MARKER is, when it is not the file partnermap writes: a
 * clause for a message (static text). */
static const char *marker_wrong(const char *dir)
{
	char *path = fs_join(dir, STAGE_MARKER);
	struct stat sb;
	const char *what = "it could not be read";
	if (lstat(path, &sb) == 0) {
		if (S_ISLNK(sb.st_mode))
			what = "it is a symbolic link";
		else if (S_ISDIR(sb.st_mode))
			what = "it is a folder";
		else if (!S_ISREG(sb.st_mode))
			what = S_ISFIFO(sb.st_mode) ? "it is a named pipe" :
			       S_ISSOCK(sb.st_mode) ? "it is a socket" :
			       "it is a device";
		else if (sb.st_size == 0)
			what = "it is empty";
		else
			what = "it holds other text than 'partnermap' and a "
			       "line end";
	}
	free(path);
	return what;
}

/* Why a folder with these entries may not be replaced, or NULL. */
static char *foreign_entries(const char *dir, char **names, size_t count)
{
	const char *dot = NULL, *other = NULL;
	size_t ndot = 0, nmarker = 0;
	for (size_t i = 0; i < count; i++) {
		if (!strcmp(names[i], STAGE_MARKER))
			nmarker++;
		else if (names[i][0] == '.') {
			if (!dot)
				dot = names[i];
			ndot++;
		} else if (!other)
			other = names[i];
	}
	if (nmarker && !has_marker(dir))
		return xasprintf("its %s is not the file partnermap writes (%s), "
				 "so partnermap did not write this folder; empty "
				 "it, or choose another folder with -o",
				 STAGE_MARKER, marker_wrong(dir));
	if (dot) {
		char *more = ndot == 1 ? xstrdup("")
			: ndot == 2 ? xstrdup(" and 1 other hidden entry")
			: xasprintf(" and %zu other hidden entries", ndot - 1);
		char *why = xasprintf(
			"it holds '%s'%s, which partnermap did not write and a "
			"build would delete with the folder; move %s out, or build "
			"into a folder of its own and copy the site in, which "
			"leaves hidden entries alone (rsync -a --delete "
			"--exclude='.*' BUILT/ THIS/)",
			dot, more, ndot == 1 ? "it" : "them");
		free(more);
		return why;
	}
	if (!nmarker && other)
		return xasprintf("it is not empty ('%s' is in it) and partnermap "
				 "did not write it (there is no %s in it); empty "
				 "it, or choose another folder with -o",
				 other, STAGE_MARKER);
	return NULL;
}

/* Whether the folder path is in lets others create entries (S_IWOTH:
 * /tmp, a shared upload folder), where anyone may plant a folder. */
static int in_shared_folder(const char *path)
{
	char *parent = fs_folder_of(path, ".");
	struct stat pb;
	int shared = stat(parent, &pb) == 0 && (pb.st_mode & S_IWOTH);
	free(parent);
	return shared;
}

/* Whether uid may own a folder or link on the way to OUT_DIR below a
 * shared folder: the user building, or root (who can change anything). */
static int trusted_owner(uid_t uid)
{
	return uid == geteuid() || uid == 0;
}

/* Why the entry pre on the way cannot be trusted, or NULL
 * (stage_open_way): lsb is its own stat (a link's, not its target's);
 * shared the folder anyone may write it lies in, or NULL; dir the stat
 * of the folder it is, or NULL when it is none. */
static char *way_distrust(const char *pre, const struct stat *lsb,
			  const char *shared, const struct stat *dir,
			  const char *what, const char *opt)
{
	int site = !strcmp(what, "site");
	uid_t dir_uid = dir ? dir->st_uid : (uid_t)-1;
	if (shared && !trusted_owner(lsb->st_uid))
		return S_ISLNK(lsb->st_mode) ? xasprintf(
			"'%s' on the way to it is a symbolic link another user "
			"(uid %lu) owns, in '%s', where anyone may make one, so it "
			"may have been planted to send the %s elsewhere; give the "
			"real folder with %s", pre, (unsigned long)lsb->st_uid,
			shared, what, opt) : xasprintf(
			"'%s' on the way to it belongs to another user (uid %lu) "
			"and lies in '%s', where anyone may make one, so it may have "
			"been planted to choose where the %s goes; %s a folder of "
			"your own with %s", pre, (unsigned long)lsb->st_uid, shared,
			what, site ? "build into" : "give", opt);
	/* root writing below a folder a user owns: that user can move the
	 * folders below between root's steps, and have root write or change
	 * mode elsewhere */
	if (dir_uid != (uid_t)-1 && geteuid() == 0 && dir_uid != 0)
		return xasprintf("'%s' on the way to it belongs to another user "
				 "(uid %lu), who can move or replace the folders "
				 "below it while root writes there; run as that "
				 "user, or %s a folder of root's with %s", pre,
				 (unsigned long)dir_uid,
				 site ? "build into" : "give", opt);
	/* a folder others may change, without the sticky bit that keeps
	 * them from renaming what is not theirs: anyone who may write it
	 * can swap the folders below it (the staging folder for the site)
	 * between the build's steps */
	if (dir && !(dir->st_mode & S_ISVTX) &&
	    ((dir->st_mode & S_IWOTH) ||
	     (geteuid() == 0 && (dir->st_mode & S_IWGRP) && dir->st_gid != 0)))
		return xasprintf("'%s' on the way to it may be changed by %s "
				 "(mode %04o, without the sticky bit), who could "
				 "swap the folders below it while the %s is "
				 "written; %s a folder only you may change with %s",
				 pre, (dir->st_mode & S_IWOTH) ? "anyone" :
				 "its group",
				 (unsigned)(dir->st_mode & 07777), what,
				 site ? "build into" : "give", opt);
	return NULL;
}

/* stage.h. (Below a folder anyone may write, in a folder of another
 * user's, everything is refused at that folder already.) */
char *stage_planted_way(const char *path, const char *opt, const char *what)
{
	char *abs;
	if (path[0] == '/')
		abs = xstrdup(path);
	else {
		char *cwd = getcwd(NULL, 0);
		if (!cwd)
			return NULL; /* the build fails on its own */
		abs = fs_join(cwd, path);
		free(cwd);
	}
	/* the folders on the way, not path's last name; a part not there
	 * yet ends the walk (it will be made, this user's) */
	char *slash = strrchr(abs, '/');
	slash[slash == abs] = '\0';
	char *why = NULL;
	int fd = stage_open_way(abs, opt, what, &why);
	if (fd >= 0)
		close(fd);
	free(abs);
	return why;
}

int stage_open_way(const char *dir, const char *opt, const char *what,
		   char **why)
{
	*why = NULL;
	/* the names still to walk, and the way walked so far as a path */
	buf_t todo = BUF_INIT, way = BUF_INIT;
	buf_puts(&todo, dir);
	int cur = open(dir[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	buf_puts(&way, dir[0] == '/' ? "" : ".");
	int hops = 0;
	size_t at = 0;
	while (cur >= 0 && !*why) {
		const char *t = buf_cstr(&todo);
		while (t[at] == '/')
			at++;
		if (!t[at])
			break;
		size_t k = strcspn(t + at, "/");
		char *name = xstrndup(t + at, k);
		at += k;
		if (!strcmp(name, ".")) {
			free(name);
			continue;
		}
		struct stat here, sb;
		int shared = fstat(cur, &here) == 0 && (here.st_mode & S_IWOTH);
		int fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		size_t was = way.len;
		buf_printf(&way, "/%s", name);
		free(name);
		if (fd < 0 || fstatat(fd, "", &sb, AT_EMPTY_PATH) < 0) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			close(cur);
			cur = -1;
			errno = e;
			break;
		}
		const char *pre = buf_cstr(&way);
		char *in = was ? xstrndup(pre, was) : xstrdup("/");
		*why = way_distrust(pre, &sb, shared ? in : NULL,
				    S_ISDIR(sb.st_mode) ? &sb : NULL, what, opt);
		free(in);
		if (*why) {
			close(fd);
			break;
		}
		if (S_ISLNK(sb.st_mode)) {
			/* its target, read from the link opened and checked,
			 * then the rest of the way */
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof target - 1);
			close(fd);
			if (n <= 0 || ++hops > 40) {
				close(cur);
				cur = -1;
				errno = n <= 0 ? EINVAL : ELOOP;
				break;
			}
			target[n] = '\0';
			char *rest = xasprintf("%s/%s", target, buf_cstr(&todo) + at);
			buf_reset(&todo);
			buf_puts(&todo, rest);
			free(rest);
			at = 0;
			way.len = was; /* the folder the link is in */
			if (target[0] == '/') {
				close(cur);
				cur = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
				buf_reset(&way);
			}
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			close(fd);
			close(cur);
			cur = -1;
			errno = ENOTDIR;
			break;
		}
		close(cur);
		cur = fd;
	}
	buf_free(&todo);
	buf_free(&way);
	if (*why && cur >= 0) {
		close(cur);
		cur = -1;
	}
	return cur;
}

/* Why the way to OUT_DIR may be another user's to change (path itself
 * is left to stage_replaceable's other checks), or NULL. */
static char *planted_on_the_way(const char *path)
{
	return stage_planted_way(path, "-o", "site");
}

int stage_replaceable(const char *path, char **why)
{
	char *w = planted_on_the_way(path);
	struct stat sb;
	if (w) {
		/* said as is */
	} else if (lstat(path, &sb) < 0) {
		int e = errno;
		if (e == ENOENT)
			return 1;
		char *hint = e == EACCES ? xstrdup("check the permissions of "
						   "the folders above it") :
			     io_hint(e, "the folders above it");
		w = xasprintf("cannot examine it: %s; %s", strerror(e), hint);
		free(hint);
	} else if (S_ISLNK(sb.st_mode)) {
		w = xasprintf("it is a symbolic link, and partnermap replaces the "
			      "output folder itself, never through a link; give "
			      "the real folder with -o");
	} else if (!S_ISDIR(sb.st_mode)) {
		w = xasprintf("it is %s, not a folder; move it away, or choose "
			      "another folder with -o", kind_of(sb.st_mode));
	} else if (sb.st_uid != geteuid() && in_shared_folder(path)) {
		w = xasprintf("it belongs to another user (uid %lu), in a folder "
			      "where anyone may create one, so it may have been "
			      "planted to be built into; remove it, or choose a "
			      "folder of your own with -o",
			      (unsigned long)sb.st_uid);
	} else {
		char **names;
		size_t count;
		if (fs_list_all(path, &names, &count) < 0)
			w = xasprintf("cannot list it: %s; check its permissions",
				      strerror(errno));
		else {
			w = foreign_entries(path, names, count);
			fs_free_list(names);
		}
	}
	if (why)
		*why = w;
	else
		free(w);
	return w == NULL;
}

/* ---- the processes that made a staging folder --------------------------- */

/* Field 22 of /proc/<pid>/stat (the start time, in clock ticks since boot)
 * and the program name (field 2). 0, or -1 with errno. */
static int proc_stat(long pid, unsigned long long *start, char *comm,
		     size_t ncomm)
{
	char path[64];
	if (pid > 0)
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	else
		snprintf(path, sizeof path, "/proc/self/stat");
	buf_t b = BUF_INIT;
	if (fs_read(path, &b) < 0) {
		int e = errno;
		buf_free(&b);
		errno = e;
		return -1;
	}
	/* "pid (comm) state ppid ...": comm may hold spaces and ')' */
	const char *lp = strchr(b.ptr, '('), *rp = strrchr(b.ptr, ')');
	int rc = -1;
	if (lp && rp && rp > lp) {
		size_t n = (size_t)(rp - lp - 1);
		if (n >= ncomm)
			n = ncomm - 1;
		memcpy(comm, lp + 1, n);
		comm[n] = '\0';
		const char *p = rp + 1; /* the space before field 3 */
		for (int field = 3; field < 22 && p; field++)
			p = strchr(p + 1, ' ');
		char *end = NULL;
		if (p)
			*start = strtoull(p + 1, &end, 10);
		if (end && end != p + 1)
			rc = 0;
	}
	buf_free(&b);
	if (rc < 0)
		errno = EINVAL;
	return rc;
}

int stage_owner_alive(long pid, unsigned long long start)
{
	if (pid <= 0)
		return 0;
	unsigned long long got = 0;
	char comm[64];
	if (proc_stat(pid, &got, comm, sizeof comm) == 0)
		return start ? got == start : !strcmp(comm, "partnermap");
	/* No /proc, or one that hides other users' processes */
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* "<base>.<kind>-<pid>-<start>-<8 hex digits>", as stage_name makes it:
 * 1 and the numbers, else 0. The random part is not kept. Nothing else
 * is a build's: not "site.old-2024" nor "site.staging-1", which a user
 * may have named a copy (nor the shorter names of earlier versions,
 * which are left for their owner to remove). */
static int parse_name(const char *name, const char *base, const char *kind,
		      long *pid, unsigned long long *start)
{
	size_t nb = strlen(base), nk = strlen(kind);
	if (strncmp(name, base, nb) || name[nb] != '.' ||
	    strncmp(name + nb + 1, kind, nk) || name[nb + 1 + nk] != '-')
		return 0;
	const char *p = name + nb + nk + 2;
	char *end;
	if (*p < '1' || *p > '9')
		return 0;
	errno = 0;
	*pid = strtol(p, &end, 10);
	if (errno || *pid <= 0 || *end != '-' || end[1] < '0' || end[1] > '9')
		return 0;
	*start = strtoull(end + 1, &end, 10);
	if (errno || *end != '-' || strspn(end + 1, "0123456789abcdef") != 8)
		return 0;
	return end[9] == '\0';
}

int stage_aside_name(const char *name, const char *base)
{
	long pid;
	unsigned long long start;
	return parse_name(name, base, "staging", &pid, &start) ||
	       parse_name(name, base, "old", &pid, &start);
}

/* After builds that were killed: remove their staging folders and what
 * they left of the files kept beside OUT_DIR, and move an old site back
 * to OUT_DIR if a kill came between the two renames of a swap. Only real
 * folders of this user with the marker whose process is gone; an empty
 * one without the marker (a kill before the marker was written) goes
 * too, since rmdir removes nothing else. */
/* Whether path is a real folder of this user's holding its own marker:
 * a link there, whatever it leads to, is not (it is never the output). */
static int own_output_at(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	       sb.st_uid == geteuid() && holds_own_marker(path);
}

/* 1 when name is a temporary file fs_replace makes for one of the hidden
 * files ".OUT<suffix>" the caller keeps beside OUT_DIR (stage_options.
 * beside), else 0. */
static int is_side_tmp(const stage *st, const char *name, const char *base)
{
	for (size_t k = 0; st->beside && st->beside[k]; k++) {
		char *hidden = xasprintf(".%s%s", base, st->beside[k]);
		int yes = fs_is_tmp_of(name, hidden);
		free(hidden);
		if (yes)
			return 1;
	}
	return 0;
}

static void recover(stage *st, const char *parent)
{
	char **names;
	size_t count;
	if (fs_list_all(parent, &names, &count) < 0)
		return;
	const char *base = base_of(st->final);
	for (size_t i = 0; i < count; i++) {
		long pid;
		unsigned long long start;
		/* a side file's write that a kill cut short: under the lock
		 * no other build is writing one (each writes them before it
		 * lets go of it); this user's regular files alone */
		if (st->lockfd >= 0 && is_side_tmp(st, names[i], base)) {
			char *path = fs_join(parent, names[i]);
			struct stat sb;
			if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
			    sb.st_uid == geteuid())
				unlink(path);
			free(path);
			continue;
		}
		int old = parse_name(names[i], base, "old", &pid, &start);
		if (!old && !parse_name(names[i], base, "staging", &pid, &start))
			continue;
		if (stage_owner_alive(pid, start))
			continue;
		/* named as the output folder is: "out.staging-…", not
		 * "./out.staging-…", for an output folder named "out" */
		char *path = strcmp(parent, ".") ? fs_join(parent, names[i]) :
			     xstrdup(names[i]);
		struct stat sb;
		/* only this user's: another's, beside a shared folder, may have
		 * been planted to be moved into OUT_DIR's place */
		/* a previous site beside something else at OUT_DIR, put
		 * there between the two renames (in a shared folder, another
		 * user's folder), is the only copy: kept for when OUT_DIR is
		 * free again, never removed */
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) &&
		    sb.st_uid == geteuid()) {
			struct stat fb;
			char *stuck = NULL;
			if (!has_marker(path))
				rmdir(path);
			else if (old && lstat(st->final, &fb) < 0 && errno == ENOENT)
				rename(path, st->final);
			else if (!(old && !own_output_at(st->final)) &&
				 remove_marked(path, 1, &stuck) < 0 && !st->old_left) {
				/* said by every build until it goes (build.h) */
				st->old_errno = errno ? errno : EIO;
				st->old_left = xstrdup(path);
				st->old_stuck = stuck;
				stuck = NULL;
			}
			free(stuck);
		}
		free(path);
	}
	fs_free_list(names);
}

/* ---- open, write, commit, close ----------------------------------------- */

static int cancelled(const stage *st)
{
	return st->cancel && atomic_load(st->cancel) != 0;
}

int stage_cancelled(const stage *st)
{
	return st && cancelled(st);
}

/* A hint for a failed write or rename, by errno e: a fresh string. where
 * names the folder whose entries were being made, changed or removed, as
 * said in a message ("'output'", "the folder 'output' is in"). */
static char *io_hint(int e, const char *where)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return xstrdup("free some disk space and build again");
	case EACCES:
		return xasprintf("you may not write in %s: make it writable for "
				 "you, or choose another folder with -o", where);
	case EPERM:
		return xasprintf("%s does not let you change this entry: another "
				 "user owns it in a folder with the sticky bit, as "
				 "/tmp (choose a folder of your own with -o), or it "
				 "or its folder is immutable or append-only (lsattr "
				 "-d shows an i or an a; clear it with chattr -i or "
				 "chattr -a)", where);
	case EROFS:
		return xasprintf("%s is on a read-only file system: choose "
				 "another folder with -o", where);
	case ENOTDIR:
	case EEXIST:
		return xstrdup("a file is where a folder should be: move it away, "
			       "or choose another folder with -o");
	case EBUSY:
	case EXDEV:
		return xstrdup("the output folder may be a mount point, which "
			       "cannot be swapped: choose a folder inside it with -o");
	case ENAMETOOLONG:
		return xstrdup("the path is longer than the file system allows: "
			       "choose an output folder with a shorter path with -o");
	case ELOOP:
		return xstrdup("a symbolic link on the way loops: give the real "
			       "folder with -o");
	case EIO:
		return xstrdup("the disk reported an error: check it, then build "
			       "again");
	default:
		return xasprintf("check %s, then build again", where);
	}
}

/* "the folder 'SHOWN' is in", for io_hint: a fresh string. */
static char *around(const stage *st)
{
	return xasprintf("the folder '%s' is in", st->shown);
}

/* A problem of the output folder as a whole has no file nor line to
 * point at: it is said without a position, "partnermap: error: ...", and
 * names the folder as given (st->shown) in the message. */
#define out_fatal(d, ...) \
	diags_add((d), DIAG_FATAL, CHECK_NONE, NULL, 0, 0, __VA_ARGS__)

static void refuse(const stage *st, char *why, diags_t *d)
{
	out_fatal(d, "refusing to build into '%s': %s", st->shown, why);
	free(why);
}

/* The folders of a site a build reads from, below the site folder: OUT_DIR
 * may be none of them nor lie inside one (stage_options.inputs adds the
 * folders the site's settings name). */
static const char *const site_inputs[] = {
	"content", "i18n", "themes", "archetypes", "geodata",
};

/* The first input folder that OUT_DIR (real path out) is or lies in, as
 * named (a fixed one, else one of extra); NULL when none. */
static const char *input_holding(const char *site, const char *out,
				 const char *const *extra)
{
	size_t nfixed = sizeof site_inputs / sizeof site_inputs[0];
	for (size_t i = 0; i < nfixed || (extra && extra[i - nfixed]); i++) {
		const char *rel = i < nfixed ? site_inputs[i] : extra[i - nfixed];
		char *joined = fs_join(site, rel);
		char *dir = resolve(joined);
		int hit = dir && strcmp(dir, site) && inside(dir, site) &&
			  (!strcmp(out, dir) || inside(out, dir));
		free(dir);
		free(joined);
		if (hit)
			return rel;
	}
	return NULL;
}

/* Whether out (a real path) is the input folder rel of site itself. */
static int is_input(const char *site, const char *out, const char *rel)
{
	char *joined = fs_join(site, rel);
	char *dir = resolve(joined);
	int same = dir && !strcmp(dir, out);
	free(dir);
	free(joined);
	return same;
}

/* OUT_DIR may not be the site folder, hold it, or be in a folder the build
 * reads. */
static int guard_site(const stage *st, const stage_options *opt, diags_t *d)
{
	char *site = realpath(opt->site_dir, NULL);
	char *out = site ? resolve(st->final) : NULL;
	if (!out) {
		free(site);
		return 0; /* nothing to compare; the folders fail on their own */
	}
	char *what = NULL;
	const char *input;
	if (!strcmp(out, site))
		what = xstrdup("it is the site folder itself");
	else if (inside(site, out))
		what = xstrdup("it holds the site folder");
	else if ((input = input_holding(site, out, opt->inputs)))
		what = xasprintf("it is %sthe site's %s folder, which the "
				 "build reads", is_input(site, out, input) ?
				 "" : "inside ", input);
	if (what)
		out_fatal(d, "refusing to build into '%s': %s, and a build "
			  "replaces the whole output folder; choose a folder of "
			  "its own with -o (the default is output/ in the site "
			  "folder)", st->shown, what);
	int refused = what != NULL;
	free(what);
	free(out);
	free(site);
	return refused ? -1 : 0;
}

/* OUT_DIR may not lie inside a folder partnermap wrote (one holding the
 * marker): that folder's next build removes what it did not write, this
 * site with it, and the marker of this one would make that build refuse
 * its own folder. */
static int guard_outputs(const stage *st, diags_t *d)
{
	char *out = resolve(st->final);
	char *above = out ? fs_folder_of(out, ".") : NULL;
	char *holder = above && strcmp(above, out) ? stage_output_around(above) : NULL;
	if (holder)
		out_fatal(d, "refusing to build into '%s': it lies inside '%s', "
			  "an output folder partnermap wrote, whose next build "
			  "would remove it; choose a folder outside it with -o",
			  st->shown, holder);
	int refused = holder != NULL;
	FREE_ALL(out, above, holder);
	return refused ? -1 : 0;
}

/* st->final: out_dir without trailing slashes; its real path when it ends
 * in "." or "..", since the staging folder is named after it. */
static char *final_of(const char *out_dir)
{
	size_t n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	char *final = xstrndup(out_dir, n);
	const char *base = base_of(final);
	if (*base && strcmp(base, ".") && strcmp(base, ".."))
		return final;
	char *real = resolve(final);
	if (real) {
		free(final);
		final = real;
	}
	return final;
}

static void set_final(stage *st, const char *out_dir)
{
	st->final = final_of(out_dir);
}

char *stage_beside(const char *out_dir, const char *suffix)
{
	char *final = final_of(out_dir);
	const char *base = base_of(final);
	char *path = xasprintf("%.*s.%s%s", (int)(base - final), final, base,
			       suffix);
	free(final);
	return path;
}

static int put(stage *st, const char *rel, const void *data, size_t n,
	       int listed, diags_t *d);
static void write_failed(const stage *st, const char *rel, diags_t *d);
static int reserve_bytes(stage *st, const char *rel, size_t n, diags_t *d);

/* The staging folder tmp could not be made, or its marker written (errno
 * e): a DIAG_FATAL. */
static void staging_failed(const stage *st, const char *tmp, int e, diags_t *d)
{
	char *where = around(st), *hint = NULL;
	/* EPERM: the flag of the folder it is made in, when one is set */
	char *dir = fs_folder_of(st->final, ".");
	fs_entry in;
	fs_flag_words w;
	if (e == EPERM && fs_entry_at(AT_FDCWD, dir, &in) == 0 &&
	    fs_flag_words_of(&in, &w)) {
		char *shown = fs_folder_of(st->shown, ".");
		hint = xasprintf("the folder it is made in, '%s', is %s (%s), "
				 "where nothing may be %s: clear the flag (%s) "
				 "or choose another folder with -o", shown,
				 w.name, w.shown, in.immutable ? "made" :
				 "renamed or removed", w.clear);
		free(shown);
	}
	free(dir);
	if (!hint)
		hint = io_hint(e, where);
	out_fatal(d, "cannot create the staging folder %s beside '%s': %s; %s",
		  base_of(tmp), st->shown, strerror(e), hint);
	FREE_ALL(where, hint);
}

/* Create the staging folder, which must not exist yet, and its marker:
 * counted as a file of the site (put) when count is set; else written
 * plainly, its bytes counted already (in place, where stage_open counts
 * the marker OUT_DIR holds and the staging folder is made only once a file
 * differs). */
static void take_group(int fd, const struct stat *sb);

/* This process's umask, as /proc/self/status says (Linux 4.7): asked
 * without umask(2), which sets it while it answers, and would give the
 * files other threads make meanwhile the wrong mode. 022 when it cannot
 * be read. */
static mode_t process_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	mode_t mask = 022;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "Umask:", 6)) {
			mask = (mode_t)strtoul(line + 6, NULL, 8) & 0777;
			break;
		}
	if (f)
		fclose(f);
	return mask;
}

/* "OUT_DIR.<kind>-<pid>-<start>-<random>": the process, for recover() to
 * tell whether it still runs, and 32 random bits (getrandom(2)), so that
 * no one beside a folder anyone may write (/tmp) can make the name first
 * and stop the build. Fresh. */
static char *stage_name(const stage *st, const char *kind)
{
	unsigned long long start = 0;
	char comm[64];
	proc_stat(0, &start, comm, sizeof comm);
	unsigned r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		r = (unsigned)now.tv_nsec ^ (unsigned)start;
	}
	return xasprintf("%s.%s-%ld-%llu-%08x", st->final, kind,
			 (long)getpid(), start, r);
}

static int make_staging(stage *st, int count, diags_t *d)
{
	/* another name is tried on the rare one taken */
	char *tmp = NULL;
	int e = EEXIST;
	for (int tries = 0; e == EEXIST && tries < 8; tries++) {
		free(tmp);
		tmp = stage_name(st, "staging");
		/* the build's own from its first instant: made 0755 and
		 * changed after, another user watching the folder could
		 * open it in between, and list it later */
		e = mkdir(tmp, 0700) < 0 ? errno : 0;
	}
	if (e) {
		if (e == EEXIST)
			out_fatal(d, "cannot create the staging folder %s "
				  "beside '%s': something partnermap did not make "
				  "is in the way; remove it and build again",
				  base_of(tmp), st->shown);
		else
			staging_failed(st, tmp, e, d);
		free(tmp);
		return -1;
	}
	st->tmp = tmp;
	/* the folder just made, and no other: one put in its place (the
	 * folder it is in may let another user) is neither this user's own
	 * nor empty */
	int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat made, was;
	char **names = NULL;
	size_t entries = 1;
	if (fd < 0 || fstat(fd, &made) < 0 || made.st_uid != geteuid() ||
	    fs_list_at(fd, ".", &names, &entries) < 0 || entries) {
		if (names)
			fs_free_list(names);
		if (fd >= 0)
			close(fd);
		out_fatal(d, "the staging folder %s beside '%s' was replaced as it "
			  "was made: someone else can change the folder '%s' is in; "
			  "build into a folder only you may change, with -o",
			  base_of(tmp), st->shown, st->shown);
		st->tmp = NULL; /* not ours to remove */
		free(tmp);
		return -1;
	}
	fs_free_list(names);
	st->tmp_dev = made.st_dev;
	st->tmp_ino = made.st_ino;
	if (lstat(st->final, &was) == 0 && S_ISDIR(was.st_mode))
		take_group(fd, &was);
	/* the build's own until the swap, the folders it makes below out
	 * of others' reach whatever their modes; then what mkdir would
	 * have made it, and the setgid bit take_group gave */
	int gid_bit = fstat(fd, &made) == 0 && (made.st_mode & S_ISGID);
	st->tmp_mode = (0755 & ~process_umask()) | (gid_bit ? S_ISGID : 0);
	close(fd);
	if (count)
		return put(st, STAGE_MARKER, STAGE_MARKER_TEXT,
			   strlen(STAGE_MARKER_TEXT), 0, d);
	char *marker = fs_join(tmp, STAGE_MARKER);
	int rc = fs_write(marker, STAGE_MARKER_TEXT, strlen(STAGE_MARKER_TEXT));
	free(marker);
	if (rc < 0) /* stage_close removes the folder */
		staging_failed(st, tmp, errno ? errno : EIO, d);
	return rc;
}

/* In place, the staging folder made the first time a file of the new site
 * differs from OUT_DIR's, so that a build that changes nothing writes
 * nothing (on a full disk too). 0, or -1 with a DIAG_FATAL from the one
 * call that tried (the others fail without one). Thread-safe. */
static int need_staging(stage *st, diags_t *d)
{
	pthread_mutex_lock(&st->lock);
	int rc = 0;
	if (st->staging_failed)
		rc = -1;
	else if (!st->tmp && make_staging(st, 0, d) < 0) {
		st->staging_failed = 1;
		rc = -1;
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Whether the lock file open as fd is still the one at path: one removed
 * (and made again) while this build waited locks out no one. */
static int still_there(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && lstat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Why the lock file sb describes is of no use (fs_lock_open), as a
 * clause, into why (cap bytes). */
static void lock_refusal(const char *path, const struct stat *sb, char *why,
			 size_t cap)
{
	const char *cannot = ", which cannot be locked; remove it";
	fs_entry e;
	fs_flag_words w;
	int flagged = S_ISREG(sb->st_mode) && fs_entry_at(AT_FDCWD, path, &e) == 0 &&
		      fs_flag_words_of(&e, &w);
	if (S_ISLNK(sb->st_mode))
		snprintf(why, cap, "it is a symbolic link, which could lead "
			 "the lock to another file; remove it");
	else if (S_ISDIR(sb->st_mode))
		snprintf(why, cap, "it is a folder%s", cannot);
	else if (S_ISFIFO(sb->st_mode))
		snprintf(why, cap, "it is a named pipe%s", cannot);
	else if (!S_ISREG(sb->st_mode))
		snprintf(why, cap, "it is not a regular file%s", cannot);
	else if (sb->st_uid != geteuid())
		snprintf(why, cap, "another user (uid %lu) owns it, who could "
			 "hold it to stall every build; remove it, or build "
			 "into a folder of your own with -o",
			 (unsigned long)sb->st_uid);
	else if (flagged) /* the open to write fails with EPERM */
		snprintf(why, cap, "it is %s (%s), so it cannot be opened to "
			 "write; clear the flag (%s)", w.name, w.shown, w.clear);
	else
		snprintf(why, cap, "you may not open it to read and write (mode "
			 "%04o); give yourself both (chmod 600)",
			 (unsigned)(sb->st_mode & 07777));
}

/* take_lock on the lock file at path. */
static int lock_path(stage *st, const char *path)
{
	struct stat sb;
	int existed = lstat(path, &sb) == 0;
	mode_t was = 0;
	int fd = fs_lock_open(path, &was);
	if (fd < 0) {
		/* one there that is no use (another's, a link, a folder, a
		 * pipe) is said; none that could not be made (a read-only or
		 * full file system) is not */
		st->lock_refused = lstat(path, &sb) == 0;
		if (st->lock_refused && was)
			snprintf(st->lock_why, sizeof st->lock_why, "others "
				 "could open it (mode %04o), and one who opened "
				 "it could hold it still to stall this build; it "
				 "is now yours alone (mode 0600), and the next "
				 "build uses it", (unsigned)was);
		else if (st->lock_refused)
			lock_refusal(path, &sb, st->lock_why, sizeof st->lock_why);
		return -1;
	}
	for (int told = 0;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (still_there(fd, path)) {
				st->lock_made = !existed;
				return fd;
			}
			/* removed or replaced while this build waited: the
			 * one there now is the one the others take */
			close(fd);
			return lock_path(st, path);
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return -1;
		}
		if (cancelled(st)) {
			close(fd);
			return -2;
		}
		if (!told && st->say) {
			/* beside "output": ".output...", not "./.output..." */
			char *out = diag_visible(st->shown),
			     *at = diag_visible(strncmp(path, "./", 2) ? path :
						path + 2);
			fprintf(st->say, "partnermap: waiting for another build "
				"into '%s' to finish (it holds '%s')\n", out, at);
			fflush(st->say);
			FREE_ALL(out, at);
			told = 1;
		}
		struct timespec pause = {0, 20 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
}

/* The lock builds into OUT_DIR take in turn, from stage_open to
 * stage_close (see "Updating in place" in stage.h): its file descriptor,
 * holding the lock; -1 when there is none to take (a lock file could not
 * be made, or one was there that is not this user's own: lock_refused;
 * the build goes on alone); -2 when cancelled while waiting for it. */
static int take_lock(stage *st)
{
	char *path = stage_beside(st->final, STAGE_LOCK_SUFFIX);
	int fd = lock_path(st, path);
	free(path);
	return fd;
}

/* In place (stage_options.incremental): OUT_DIR when it is a folder
 * partnermap wrote, open; -1 when it is missing or empty. */
static int open_in_place(const stage *st)
{
	if (!has_marker(st->final))
		return -1;
	return open(st->final, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* OUT_DIR's marker given st->file_mode, as a clean build writes it, when
 * chmod or an earlier umask gave it others; through the file opened,
 * never its name. Whether it then has them tells whether OUT_DIR keeps
 * the bits chmod gives (st->modes_kept). Not when OUT_DIR has a default
 * ACL. */
static void marker_mode(stage *st)
{
	/* a default ACL (acl(5)), not the umask, gives what is made in it
	 * its bits: they are the ACL's to set, and a chmod would change
	 * the ACL's mask (what a web server's group may read) */
	if (upd_acl(st->outfd, UPD_ACL_DEFAULT))
		return;
	int fd = openat(st->outfd, STAGE_MARKER,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (sb.st_mode & 07777) != st->file_mode)
		(void)fchmod(fd, st->file_mode);
	st->modes_kept = fstat(fd, &sb) == 0 &&
			 (sb.st_mode & 07777) == st->file_mode;
	close(fd);
}

int stage_open(stage *st, const char *out_dir, const stage_options *opt,
	       diags_t *d)
{
	memset(st, 0, sizeof *st);
	st->outfd = st->lockfd = -1;
	pthread_mutex_init(&st->lock, NULL);
	stage_options none = {0};
	if (!opt)
		opt = &none;
	st->cancel = opt->cancel;
	st->no_exchange = opt->no_exchange;
	st->fail_move = opt->fail_move;
	st->threads = opt->threads;
	st->say = opt->say;
	st->beside = opt->beside;
	st->max_bytes = opt->max_bytes ? opt->max_bytes : PM_MAX_SITE_BYTES;
	st->shown = xstrdup(opt->shown ? opt->shown : out_dir);
	mode_t mask = process_umask();
	st->file_mode = 0644 & ~mask;
	st->dir_mode = 0755 & ~mask;
	set_final(st, out_dir);
	if (cancelled(st))
		return -1;
	if ((opt->site_dir && guard_site(st, opt, d) < 0) ||
	    guard_outputs(st, d) < 0)
		return -1;
	if (!strcmp(st->final, "/")) {
		out_fatal(d, "refusing to build into '%s': it is the root "
			  "folder; choose a folder of its own with -o",
			  st->shown);
		return -1;
	}
	/* "x/../out" without x: mkdir -p would make x, outside OUT_DIR */
	char *lost = fs_dotdot_problem(out_dir, "-o");
	if (lost) {
		out_fatal(d, "%s", lost);
		free(lost);
		return -1;
	}
	char *why = planted_on_the_way(st->final);
	if (why) { /* before fs_mkdirs makes a folder in such a place */
		refuse(st, why, d);
		return -1;
	}
	size_t nbase = strlen(base_of(st->final));
	if (nbase > STAGE_NAME_MAX) {
		out_fatal(d, "refusing to build into '%s': its name is %zu bytes "
			  "long, and the folders a build makes beside it are named "
			  "after it with up to %d bytes more, past the %d bytes a "
			  "name may have; choose a name of at most %d bytes with -o",
			  st->shown, nbase, NAME_MAX - STAGE_NAME_MAX, NAME_MAX,
			  STAGE_NAME_MAX);
		return -1;
	}
	char *parent = fs_folder_of(st->final, ".");
	/* the folders mkdir -p is about to make: the highest is kept */
	struct stat sb;
	char *dir = folder_above(st->final);
	while (dir && lstat(dir, &sb) < 0 && errno == ENOENT) {
		char *up = folder_above(dir);
		free(st->made_top);
		st->made_top = dir;
		dir = strcmp(up, dir) ? up : NULL; /* "." and "/" end it */
		if (!dir)
			free(up);
	}
	free(dir);
	if (fs_mkdirs(parent) < 0) {
		int e = errno;
		if (e == EEXIST && dangling_on_the_way(st, parent, d)) {
			free(parent);
			return -1;
		}
		char *hint = io_hint(e, "the folders above it");
		out_fatal(d, "cannot create the folder '%s' goes in: %s; %s",
			  st->shown, strerror(e), hint);
		free(hint);
		free(parent);
		return -1;
	}
	/* where entries can be made but not renamed or removed, a build
	 * would leave its staging folder, or half a commit, behind */
	const char *stuck = fs_append_only(parent) ? "the folder it is in" :
			    fs_append_only(st->final) ? "it" : NULL;
	if (stuck) {
		out_fatal(d, "refusing to build into '%s': %s is append-only "
			  "(lsattr -d shows an a), where a build could not "
			  "rename or remove what it writes; clear the flag "
			  "(chattr -a) or choose another folder with -o",
			  st->shown, stuck);
		free(parent);
		return -1;
	}
	/* one build at a time from here to stage_close: another's commit
	 * between this one's comparisons and its own would mix the two */
	st->lockfd = take_lock(st);
	if (st->lockfd == -2) {
		free(parent);
		return -1;
	}
	recover(st, parent);
	free(parent);
	if (!stage_replaceable(st->final, &why)) {
		refuse(st, why, d);
		return -1;
	}
	if (opt->incremental)
		st->outfd = open_in_place(st);
	if (st->outfd < 0)
		return make_staging(st, 1, d);
	/* in place: OUT_DIR holds the marker, with the bits a clean build
	 * gives it; the staging folder waits for the first file that
	 * differs (need_staging) */
	marker_mode(st);
	return reserve_bytes(st, STAGE_MARKER, strlen(STAGE_MARKER_TEXT), d);
}

size_t stage_max_bytes(size_t records, size_t languages)
{
	size_t per, more, all;
	if (!size_mul_ok(records, languages, &per) ||
	    !size_mul_ok(per, PM_SITE_BYTES_PER_RECORD, &more) ||
	    !size_add_ok(PM_MAX_SITE_BYTES, more, &all))
		return SIZE_MAX;
	return all;
}

/* n bytes as the largest whole unit: "4 GiB", "64 KiB", "1000 bytes". */
static void format_size(char *out, size_t cap, size_t n)
{
	static const char *unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;
	while (u + 1 < sizeof unit / sizeof unit[0] && n && n % 1024 == 0) {
		n /= 1024;
		u++;
	}
	snprintf(out, cap, "%zu %s", n, unit[u]);
}

/* Count n more bytes against st->max_bytes: 0, or -1 with a DIAG_ERROR
 * when the site would pass it (the bytes are not counted); -1 without one
 * for every write after that. */
static int reserve_bytes(stage *st, const char *rel, size_t n, diags_t *d)
{
	pthread_mutex_lock(&st->lock);
	int was_over = st->over;
	st->over = st->over || n > st->max_bytes || st->bytes > st->max_bytes - n;
	if (!st->over) {
		st->files++;
		st->bytes += n;
	}
	int over = st->over;
	pthread_mutex_unlock(&st->lock);
	if (!over)
		return 0;
	if (was_over) /* told once: the first page past the limit */
		return -1;
	/* about the whole site, at no file: which file passes the limit
	 * depends on the order the -j threads write in, and an annotation
	 * at an output file names none the repository holds */
	(void)rel;
	char lim[32];
	format_size(lim, sizeof lim, st->max_bytes);
	diag_error(d, NULL, 0, 0,
		   "the site would be larger than %s, the most a build writes: "
		   "a template that copies a large value many times (such as "
		   "{{{body_html}}} in a partial or section), or a record on "
		   "thousands of pages (one in thousands of networks), makes it "
		   "so; make them write less", lim);
	return -1;
}

void stage_reserve(stage *st, size_t files)
{
	pthread_mutex_lock(&st->lock);
	if (files > st->cap) {
		st->cap = files;
		st->ents = xreallocarray(st->ents, st->cap, sizeof *st->ents);
	}
	pthread_mutex_unlock(&st->lock);
}

/* Note rel as a file of the new site (in place); changed: it goes into the
 * staging folder; sb: OUT_DIR's file as just checked, or NULL. */
static void list_entry(stage *st, const char *rel, int changed,
		       const struct stat *sb)
{
	pthread_mutex_lock(&st->lock);
	if (st->nents == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 256;
		st->ents = xreallocarray(st->ents, st->cap, sizeof *st->ents);
	}
	stage_entry *e = &st->ents[st->nents++];
	*e = (stage_entry){xstrdup(rel), changed, !changed && sb, {0}};
	if (e->known)
		e->id = upd_ident_of(sb);
	st->written += changed != 0;
	pthread_mutex_unlock(&st->lock);
}

static void add_found(stage_files *l, const char *rel, const struct stat *sb)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = (stage_file){xstrdup(rel), upd_ident_of(sb)};
}

/* upd_seen: a file left in OUT_DIR, noted in st->found. */
static void found_file(void *ctx, const char *rel, const struct stat *sb)
{
	add_found(&((stage *)ctx)->found, rel, sb);
}

/* upd_seen: a settled folder left as it was, noted in st->found_dirs. */
static void found_dir(void *ctx, const char *rel, const struct stat *sb)
{
	add_found(&((stage *)ctx)->found_dirs, rel, sb);
}

/* upd_walk.bits_kept: the first such folder, as OUT_DIR/rel. */
static void found_bits_kept(void *ctx, const char *rel, const struct stat *sb)
{
	stage *st = ctx;
	if (st->bits_kept[0])
		return;
	char *shown = fs_join(st->shown, rel);
	snprintf(st->bits_kept, sizeof st->bits_kept, "%s", shown);
	free(shown);
	st->bits_kept_uid = sb->st_uid;
	st->bits_kept_mode = sb->st_mode & 07777;
}

/* upd_walk.left: the first such entry, as OUT_DIR/rel, and the count. */
static void found_left(void *ctx, const char *rel, int e, size_t count)
{
	stage *st = ctx;
	size_t was = st->left_count;
	st->left_count += count;
	if (!was) {
		char *shown = fs_join(st->shown, rel);
		snprintf(st->left, sizeof st->left, "%s", shown);
		free(shown);
		st->left_errno = e;
	}
}

static int cmp_found(const void *a, const void *b)
{
	return strcmp(((const stage_file *)a)->rel, ((const stage_file *)b)->rel);
}

static void forget_files(stage_files *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].rel);
	free(l->v);
	*l = (stage_files){NULL, 0, 0};
}

static void forget_found(stage *st)
{
	forget_files(&st->found);
	forget_files(&st->found_dirs);
}

/* The list sorted, and set (v not NULL) even when empty. */
static void sort_found(stage_files *l)
{
	if (!l->v)
		l->v = xcalloc(1, sizeof *l->v);
	qsort(l->v, l->n, sizeof *l->v, cmp_found);
}

/* Whether a file this build changed lies below folder rel ("a/b":
 * "a/b/..."): it was moved in, so rel is not as it was before the commit.
 * st->ents sorted by rel. */
static int changed_below(const stage *st, const char *rel)
{
	size_t len = strlen(rel), lo = 0, hi = st->nents;
	while (lo < hi) { /* the first entry not before rel */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(st->ents[mid].rel, rel) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < st->nents && !strncmp(st->ents[i].rel, rel, len); i++)
		if (st->ents[i].rel[len] == '/' && st->ents[i].changed)
			return 1;
	return 0;
}

/* upd_folder_stat: what st->folder_stat says of a folder the commit moved
 * nothing into (the stat it took then is still the folder's). */
static int folder_stat_before(void *ctx, const char *rel, struct stat *sb)
{
	const stage *st = ctx;
	return !changed_below(st, rel) &&
	       st->folder_stat(st->listed_ctx, rel, sb) == 1;
}

/* upd_listed: what st->listed says, for the walk's context (the stage). */
static int listed_before(void *ctx, const char *rel, const struct stat *sb,
			 char ***names, size_t *count)
{
	const stage *st = ctx;
	return st->listed(st->listed_ctx, rel, sb, names, count);
}

/* A file of the new site written whole into the staging folder, which
 * the swap puts in place as it is (same inode and times): its stat,
 * taken after its last byte (sb; NULL when that stat failed), is the
 * one stage_commit hands on in st->found, so no one walks the new site
 * for it. Called from several threads at once. */
static void note_written(stage *st, const char *rel, const struct stat *sb)
{
	pthread_mutex_lock(&st->lock);
	if (sb)
		add_found(&st->found, rel, sb);
	else
		st->found_lost = 1;
	pthread_mutex_unlock(&st->lock);
}

/* After a swap: the files the build wrote, with their stat, sorted by
 * rel in st->found; NULL when one was not noted or was written twice
 * (whoever needs them walks the folder then). */
static void found_written(stage *st)
{
	sort_found(&st->found);
	for (size_t i = 1; i < st->found.n && !st->found_lost; i++)
		st->found_lost = !strcmp(st->found.v[i - 1].rel,
					 st->found.v[i].rel);
	if (st->found_lost)
		forget_found(st);
}

/* A DIAG_FATAL for a write of rel that failed with errno. */
static void write_failed(const stage *st, const char *rel, diags_t *d)
{
	int e = errno;
	char *shown = fs_join(st->shown, rel), *folder = fs_folder_of(shown, ".");
	char *where = xasprintf("'%s'", folder), *hint = io_hint(e, where);
	out_fatal(d, "cannot write '%s': %s; %s", shown, strerror(e), hint);
	FREE_ALL(shown, folder, where, hint);
}

static int put(stage *st, const char *rel, const void *data, size_t n,
	       int listed, diags_t *d)
{
	if (st->sink)
		return st->sink(st->sink_ctx, rel, data, n, d);
	if (cancelled(st))
		return -1;
	if (reserve_bytes(st, rel, n, d) < 0)
		return -1;
	if (listed && st->outfd >= 0) {
		struct stat sb;
		int same = upd_same_stat(st->outfd, rel, data, n, &sb) &&
			   (!st->modes_kept ||
			    (sb.st_mode & 07777) == st->file_mode);
		list_entry(st, rel, !same, &sb);
		if (same)
			return 0;
		if (need_staging(st, d) < 0)
			return -1;
	} else if (listed) {
		pthread_mutex_lock(&st->lock);
		st->written++;
		pthread_mutex_unlock(&st->lock);
	}
	char *path = fs_join(st->tmp, rel);
	char *dir = fs_folder_of(path, ".");
	int rc = fs_mkdirs(dir);
	if (rc == 0)
		rc = fs_write(path, data, n);
	if (rc < 0)
		write_failed(st, rel, d);
	struct stat sb;
	if (rc == 0 && listed && st->outfd < 0)
		note_written(st, rel, lstat(path, &sb) == 0 ? &sb : NULL);
	free(dir);
	free(path);
	return rc;
}

/* Create w's file in the staging folder (making that folder in place):
 * 0, or -1 with a DIAG_FATAL. */
static int open_staged(stage_stream *w, diags_t *d)
{
	stage *st = w->st;
	if (st->outfd >= 0 && need_staging(st, d) < 0)
		return -1;
	w->path = fs_join(st->tmp, w->rel);
	char *dir = fs_folder_of(w->path, ".");
	if (fs_mkdirs(dir) == 0)
		w->fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
			     O_CLOEXEC, 0644);
	free(dir);
	if (w->fd >= 0)
		return 0;
	write_failed(st, w->rel, d);
	return -1;
}

enum { STREAM_CHUNK = 65536 };

/* Whether the n bytes at data are what w->old holds at offset w->n. On
 * the stack, in pieces: it runs for every piece of every export. */
static int old_matches(const stage_stream *w, const void *data, size_t n)
{
	if ((unsigned long long)w->old_sb.st_size < w->n + (unsigned long long)n)
		return 0;
	char buf[16384];
	const char *p = data;
	int same = 1;
	for (size_t at = 0; same && at < n; at += sizeof buf) {
		size_t k = n - at < sizeof buf ? n - at : sizeof buf;
		same = fs_pread_all(w->old, buf, k, w->n + at) == 0 &&
		       !memcmp(buf, p + at, k);
	}
	return same;
}

/* The new file differs from OUT_DIR's after its first w->n bytes, which
 * are OUT_DIR's: stage it, those bytes copied from w->old, and let the
 * old file go. 0, or -1 with a DIAG_FATAL. */
static int diverge(stage_stream *w, diags_t *d)
{
	int rc = open_staged(w, d);
	char *buf = rc == 0 && w->n ? xmalloc(STREAM_CHUNK) : NULL;
	for (size_t at = 0; rc == 0 && at < w->n; at += STREAM_CHUNK) {
		size_t k = w->n - at < STREAM_CHUNK ? w->n - at : STREAM_CHUNK;
		if (fs_pread_all(w->old, buf, k, at) < 0 ||
		    fs_write_fd(w->fd, buf, k) < 0) {
			write_failed(w->st, w->rel, d);
			rc = -1;
		}
	}
	free(buf);
	close(w->old);
	w->old = -1;
	return rc;
}

int stage_stream_open(stage *st, const char *rel, stage_stream *w, diags_t *d)
{
	*w = (stage_stream){st, xstrdup(rel), NULL, -1, -1, {0}, 0, BUF_INIT};
	if (st->sink) /* no folder: the bytes are kept for the sink */
		return 0;
	if (cancelled(st)) {
		stage_stream_abort(w);
		return -1;
	}
	/* in place: compared with OUT_DIR's file as the bytes come, and
	 * staged only from where they differ */
	if (st->outfd >= 0 && (w->old = upd_open(st->outfd, rel, &w->old_sb)) >= 0) {
		if (!st->modes_kept ||
		    (w->old_sb.st_mode & 07777) == st->file_mode)
			return 0;
		/* chmod'ed: written again, as a new file gets its bits */
		close(w->old);
		w->old = -1;
	}
	if (open_staged(w, d) == 0)
		return 0;
	stage_stream_abort(w);
	return -1;
}

int stage_stream_write(stage_stream *w, const void *data, size_t n, diags_t *d)
{
	/* the limit is checked as the file grows, so a runaway one stops */
	stage *st = w->st;
	if (st->sink) {
		buf_put(&w->mem, data, n);
		w->n += n;
		return 0;
	}
	pthread_mutex_lock(&st->lock);
	size_t room = st->max_bytes - st->bytes; /* bytes <= max_bytes */
	pthread_mutex_unlock(&st->lock);
	if (cancelled(st) || w->n > room || n > room - w->n) {
		/* past the limit with the marker's bytes counted:
		 * stage_stream_close reports it */
		w->n = st->max_bytes;
		return -1;
	}
	if (w->old >= 0 && old_matches(w, data, n)) {
		w->n += n;
		return 0;
	}
	if (w->old >= 0 && diverge(w, d) < 0)
		return -1;
	if (fs_write_fd(w->fd, data, n) < 0) {
		write_failed(st, w->rel, d);
		return -1;
	}
	w->n += n;
	return 0;
}

void stage_stream_abort(stage_stream *w)
{
	if (w->fd >= 0) {
		close(w->fd);
		unlink(w->path);
	}
	if (w->old >= 0)
		close(w->old);
	free(w->rel);
	free(w->path);
	buf_free(&w->mem);
	*w = (stage_stream){NULL, NULL, NULL, -1, -1, {0}, 0, BUF_INIT};
}

int stage_stream_close(stage_stream *w, diags_t *d)
{
	stage *st = w->st;
	if (st->sink) {
		int done = st->sink(st->sink_ctx, w->rel, w->mem.ptr ? w->mem.ptr
				    : "", w->mem.len, d);
		stage_stream_abort(w);
		return done;
	}
	int rc = cancelled(st) ? -1 : reserve_bytes(st, w->rel, w->n, d);
	if (rc == 0 && w->old >= 0) {
		/* every byte matched: the same file, unless OUT_DIR's is longer */
		char end;
		if ((unsigned long long)w->old_sb.st_size == w->n &&
		    fs_pread_all(w->old, &end, 1, w->n) < 0) {
			list_entry(st, w->rel, 0, &w->old_sb);
			stage_stream_abort(w); /* OUT_DIR holds it already */
			return 0;
		}
		rc = diverge(w, d);
	}
	if (rc == 0 && st->outfd >= 0) {
		list_entry(st, w->rel, 1, NULL);
	} else if (rc == 0) {
		pthread_mutex_lock(&st->lock);
		st->written++;
		pthread_mutex_unlock(&st->lock);
		struct stat sb;
		note_written(st, w->rel, fstat(w->fd, &sb) == 0 ? &sb : NULL);
	}
	if (rc == 0 && close(w->fd) < 0) {
		w->fd = -1;
		write_failed(st, w->rel, d);
		rc = -1;
	} else if (rc == 0) {
		w->fd = -1; /* kept: the staging folder holds it now */
	}
	stage_stream_abort(w);
	return rc;
}

int stage_write(stage *st, const char *rel, const void *data, size_t n,
		diags_t *d)
{
	return put(st, rel, data, n, 1, d);
}

int stage_keep(stage *st, const char *rel, size_t n, const struct stat *sb,
	       diags_t *d)
{
	if (cancelled(st) || st->outfd < 0 || reserve_bytes(st, rel, n, d) < 0)
		return -1;
	list_entry(st, rel, 0, sb);
	return 0;
}

static int swap_failed(const stage *st, const char *doing, int e, diags_t *d)
{
	char *where = around(st), *hint = io_hint(e, where);
	out_fatal(d, "cannot %s ('%s'): %s; %s", doing, st->shown,
		  strerror(e), hint);
	FREE_ALL(where, hint);
	return -1;
}

/* Without RENAME_EXCHANGE: the previous site steps aside to st->old, the
 * new one takes its name, the previous one goes. A kill between the two
 * renames leaves no OUT_DIR but a marked st->old, which the next build
 * moves back (recover). */
static int swap_by_renames(stage *st, diags_t *d)
{
	/* a name made now, with random bits of its own: one derived from
	 * the staging folder's, which anyone may list, could be made first
	 * by another user beside a shared folder, stopping the swap */
	int e = EEXIST;
	for (int tries = 0; e && tries < 8; tries++) {
		free(st->old);
		st->old = stage_name(st, "old");
		e = rename(st->final, st->old) < 0 ? errno : 0;
		if (e != EEXIST && e != ENOTEMPTY)
			break;
	}
	if (e)
		return swap_failed(st, "move the previous site aside", e, d);
	if (rename(st->tmp, st->final) < 0) {
		e = errno;
		if (rename(st->old, st->final) < 0)
			out_fatal(d, "cannot move the new site into place "
				  "at '%s' (%s), nor the previous site back from "
				  "%s: the next build moves it back once nothing "
				  "else is at '%s', or rename it yourself",
				  st->shown, strerror(e), base_of(st->old),
				  st->shown);
		else
			swap_failed(st, "move the new site into place", e, d);
		return -1;
	}
	free(st->tmp);
	st->tmp = NULL;
	return 0; /* stage_commit removes the previous site, at st->old */
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const stage_entry *)a)->rel, ((const stage_entry *)b)->rel);
}

/* Whether the folder OUT_DIR's rel is in is another user's (its stat in
 * *sb). */
static int folder_of_another(const stage *st, const char *rel, struct stat *sb)
{
	char *folder = fs_folder_of(rel, ".");
	int other = fstatat(st->outfd, folder, sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    sb->st_uid != geteuid();
	free(folder);
	return other;
}

/* A failure while updating OUT_DIR in place, at <shown>/<rel> (or at
 * <shown> when rel is NULL), having changed it as part says (stage.h,
 * partial: 0 not at all, 1 part of the new site in, 2 all of it in). */
static int update_failed(stage *st, const char *rel, int e, int part,
			 diags_t *d)
{
	st->partial = part;
	char *shown = rel ? fs_join(st->shown, rel) : xstrdup(st->shown);
	char *folder = rel ? fs_folder_of(shown, ".") : xstrdup(st->shown);
	char *where = xasprintf("'%s'", folder), *hint;
	struct stat sb;
	/* what denied it may be the entry itself: a folder of another
	 * user's there, which this user may not empty */
	if (e == EACCES && rel && st->outfd >= 0 &&
	    fstatat(st->outfd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(sb.st_mode) && sb.st_uid != geteuid())
		hint = xasprintf("'%s' is a folder of another user's (uid %lu), "
				 "which you may not empty: have that user or "
				 "root remove it, or choose another folder with -o",
				 shown, (unsigned long)sb.st_uid);
	else if (e == EACCES && rel && st->outfd >= 0 &&
		 folder_of_another(st, rel, &sb))
		hint = xasprintf("%s belongs to another user (uid %lu): have that "
				 "user or root remove it or give it to you (chown), "
				 "or choose another folder with -o", where,
				 (unsigned long)sb.st_uid);
	else
		hint = io_hint(e, where);
	out_fatal(d, "cannot update the output folder at '%s': %s; %s%s", shown,
		  strerror(e), hint, part == 2 ?
		  " (it holds the whole new site, and may hold files of the last "
		  "one that the new site does not have: the next build removes "
		  "them)" : part ? " (it may now hold part of the new site, "
		  "every file whole: the next build completes it)" : "");
	FREE_ALL(shown, folder, where, hint);
	return -1;
}

/* Whether this user may add and remove entries in OUT_DIR's folder rel
 * (rel "" is OUT_DIR itself, which stage_open checked): 0 when it may, or
 * when the folder is this user's and the commit gives it the bits it
 * lacks (upd_open_way); 0 too when there is no folder there (nothing to
 * write in). Otherwise the errno a change there would meet, with the
 * folder's stat in *sb (taken here unless have says it holds it). */
static int cannot_write_in(const stage *st, const char *rel, struct stat *sb,
			   int have)
{
	if (!*rel)
		return 0;
	if (!have && fstatat(st->outfd, rel, sb, AT_SYMLINK_NOFOLLOW) < 0)
		return 0; /* the folder above: looked at on its own */
	/* this user's with u+wx: no need to ask (a call per folder) */
	if (!S_ISDIR(sb->st_mode) ||
	    (sb->st_uid == geteuid() && (sb->st_mode & 0300) == 0300) ||
	    faccessat(st->outfd, rel, W_OK | X_OK, AT_EACCESS) == 0)
		return 0;
	int e = errno;
	if (e == EACCES && sb->st_uid == geteuid() && st->modes_kept)
		return 0;
	return e;
}

/* What stops the commit, found before anything moves: a folder this
 * user may not write in, as cannot_write_in says, at at (a fresh rel),
 * with its stat and the errno. */
typedef struct blocked {
	const stage *st;
	char *at;
	struct stat sb;
	int e;
	char *last; /* the last folder looked at, not looked at again */
	char *way;  /* the last folder every folder on whose way (itself
		       too) was found a folder */
	/* what stops a change of the entry at, when it is no permission
	 * bit: a flag of it or of its folder, or its folder's sticky bit */
	enum { NOT_FLAGGED, FOLDER_IMMUTABLE, ENTRY_FLAGGED, FOLDER_APPEND_ONLY,
	       STICKY } why;
	fs_entry ent, dir; /* the entry at, and the folder it is in */
	char *sdir;        /* the last folder looked at for flags, */
	int sdir_ok;       /* whether it was there, */
	fs_entry sdir_e;   /* and what it is */
} blocked;

/* Look at OUT_DIR's folder rel for b, unless it was the last one, with
 * its stat when sb is not NULL: 0, or -1 with b->at set. */
static int look_at_folder_as(blocked *b, const char *rel, const struct stat *sb)
{
	if (b->last && !strcmp(b->last, rel))
		return 0;
	free(b->last);
	b->last = xstrdup(rel);
	if (sb)
		b->sb = *sb;
	int e = cannot_write_in(b->st, rel, &b->sb, sb != NULL);
	if (!e)
		return 0;
	b->at = xstrdup(rel);
	b->e = e;
	return -1;
}

static int look_at_folder(blocked *b, const char *rel)
{
	return look_at_folder_as(b, rel, NULL);
}

/* How many bytes of rel's way b->way shares (a whole number of names:
 * "a/b" of "a/b/c" and "a/b/d/e", not "a/b" of "a/bc"): folders found
 * folders already, which need no look again. */
static size_t way_known(const blocked *b, const char *rel)
{
	if (!b->way)
		return 0;
	size_t n = 0;
	for (size_t i = 0;; i++) {
		char w = b->way[i], r = rel[i];
		if ((w == '\0' || w == '/') && r == '/')
			n = i; /* a name ends in both */
		if (w == '\0' || w != r)
			return n;
	}
}

/* What of OUT_DIR's folder dir stops a change in it, kept for the next
 * call, which is mostly for the same folder: 0, or -1 with b->at and
 * b->why set when it is immutable (nothing may be made in it). */
static int look_at_flags_of(blocked *b, const char *dir)
{
	if (!b->sdir || strcmp(b->sdir, dir)) {
		free(b->sdir);
		b->sdir = xstrdup(dir);
		b->sdir_ok = fs_entry_at(b->st->outfd, dir, &b->sdir_e) == 0 &&
			     S_ISDIR(b->sdir_e.mode);
	}
	if (!b->sdir_ok || !b->sdir_e.immutable)
		return 0;
	b->at = xstrdup(dir);
	b->e = EPERM;
	b->why = FOLDER_IMMUTABLE;
	b->ent = b->sdir_e;
	return -1;
}

/* OUT_DIR's entry rel is to be made, replaced or removed. Beyond the
 * permission bits (cannot_write_in), what stops that: an immutable
 * folder; where rel is there, rel itself immutable or append-only, its
 * folder append-only, or its folder with the sticky bit and another
 * user's, where only the entry's owner (or a privileged user) may
 * replace or remove it. rename(2) and unlink(2) fail with EPERM then
 * (Linux, chattr(1), inode(7)). 0, or -1 with b->at and b->why set;
 * *is_dir tells whether rel is a folder. */
static int look_at_entry(blocked *b, const char *rel, int *is_dir)
{
	char *dir = fs_folder_of(rel, "");
	int rc = look_at_flags_of(b, dir);
	free(dir);
	*is_dir = 0;
	fs_entry e;
	if (rc < 0 || fs_entry_at(b->st->outfd, rel, &e) < 0)
		return rc;
	*is_dir = S_ISDIR(e.mode);
	const fs_entry *d = b->sdir_ok ? &b->sdir_e : NULL;
	if (e.immutable || e.append_only)
		b->why = ENTRY_FLAGGED;
	else if (d && d->append_only)
		b->why = FOLDER_APPEND_ONLY;
	else if (d && (d->mode & S_ISVTX) && d->uid != geteuid() &&
		 e.uid != geteuid() && geteuid() != 0 /* CAP_FOWNER */)
		b->why = STICKY;
	else
		return 0;
	b->at = xstrdup(rel);
	b->e = EPERM;
	b->ent = e;
	b->dir = *d;
	return -1;
}

/* A folder no build made stands at rel, where a file goes: the move
 * empties and removes it first (upd_move), so everything below it must
 * let this user remove it (look_at_entry). Rare: a listing per folder.
 * 0, or -1 with b->at set. */
static int look_below(blocked *b, const char *rel, int depth)
{
	char **names;
	size_t n;
	if (depth > 64 || fs_list_at(b->st->outfd, rel, &names, &n) < 0)
		return 0; /* not to be read: cannot_write_in looked at it */
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *sub = fs_join(rel, names[i]);
		int is_dir;
		rc = look_at_entry(b, sub, &is_dir);
		if (rc == 0 && is_dir)
			rc = look_at_folder(b, sub);
		if (rc == 0 && is_dir)
			rc = look_below(b, sub, depth + 1);
		free(sub);
	}
	fs_free_list(names);
	return rc;
}

/* The file rel is to be moved into OUT_DIR: the deepest folder on its way
 * that is there (the one the move writes in, or makes a folder in) must
 * let this user write; and so must a folder standing at rel itself,
 * which the move empties first. */
static int look_at_way(blocked *b, const char *rel)
{
	char *path = xstrdup(rel), *deepest = xstrdup(""), *in_way = NULL;
	struct stat dsb = {0}; /* deepest's, as cannot_write_in reads it */
	fs_entry e;
	int whole = 1, have = 0; /* every folder on the way is there */
	size_t known = way_known(b, rel);
	for (char *cut = strchr(path + known + (known > 0), '/'); cut && whole;
	     cut = strchr(cut + 1, '/')) {
		*cut = '\0';
		int there = fs_entry_at(b->st->outfd, path, &e) == 0;
		whole = there && S_ISDIR(e.mode);
		if (there && !whole) /* a file where a folder goes */
			in_way = xstrdup(path);
		if (whole) {
			free(deepest);
			deepest = xstrdup(path);
			dsb.st_mode = e.mode;
			dsb.st_uid = e.uid;
			have = 1;
			/* its flags, for look_at_flags_of: no second look */
			free(b->sdir);
			b->sdir = xstrdup(path);
			b->sdir_ok = 1;
			b->sdir_e = e;
		}
		*cut = '/';
	}
	if (!have && known) { /* the way known, nothing found below it */
		free(deepest);
		deepest = xstrndup(rel, known);
	}
	if (whole && strchr(rel, '/')) {
		free(b->way);
		b->way = xstrdup(deepest);
	}
	int rc = look_at_folder_as(b, deepest, have ? &dsb : NULL), is_dir = 0;
	if (rc == 0 && whole)
		rc = look_at_entry(b, rel, &is_dir);
	else if (rc == 0 && in_way) /* removed for the folder made there */
		rc = look_at_entry(b, in_way, &is_dir);
	else if (rc == 0) /* a folder is made in deepest */
		rc = look_at_flags_of(b, deepest);
	if (rc == 0 && is_dir && whole)
		rc = look_at_folder(b, rel);
	if (rc == 0 && is_dir && whole)
		rc = look_below(b, rel, 0);
	FREE_ALL(path, deepest, in_way);
	return rc;
}

/* Whether a file of keep (n rels, sorted bytewise) lies below the folder
 * dir ("a/b": "a/b/..."). */
static int keeps_below(char *const *keep, size_t n, const char *dir)
{
	size_t len = strlen(dir), lo = 0, hi = n;
	while (lo < hi) { /* the first rel not before dir + "/" */
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(keep[mid], dir, len);
		if (c < 0 || (c == 0 && (unsigned char)keep[mid][len] < '/'))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strncmp(keep[lo], dir, len) && keep[lo][len] == '/';
}

/* The last build's file rel is not in the new site: the folder it goes
 * from must let this user remove it, and so, for each folder above it
 * that goes too (nothing of the new site below it), must the folder that
 * one goes from. */
static int look_at_removal(blocked *b, char *const *keep, size_t n,
			   const char *rel)
{
	char *path = xstrdup(rel);
	int is_dir;
	int rc = look_at_entry(b, path, &is_dir);
	for (char *slash; rc == 0 && (slash = strrchr(path, '/'));) {
		*slash = '\0';
		rc = look_at_folder(b, path);
		if (rc || keeps_below(keep, n, path))
			break;
		rc = look_at_entry(b, path, &is_dir); /* the folder goes too */
	}
	free(path);
	return rc;
}

/* Before anything moves: every folder the commit writes in (the changed
 * files' ways) or removes from (the last build's files the new site
 * does not have, as its manifest tells) must let this user do so. 0, or
 * -1 with b->at set. Files nobody built there are not known until the
 * commit's walk meets them. */
static int look_before_commit(blocked *b, char *const *keep, size_t n)
{
	const stage *st = b->st;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (st->ents[i].changed)
			rc = look_at_way(b, keep[i]);
	const char *rel;
	size_t k = 0;
	for (size_t i = 0; rc == 0 && st->old_file &&
	     (rel = st->old_file(st->listed_ctx, i)); i++) {
		while (k < n && strcmp(keep[k], rel) < 0)
			k++;
		if (k < n && !strcmp(keep[k], rel))
			continue;
		rc = look_at_removal(b, keep, n, rel);
	}
	return rc;
}

/* The fatal message for what b found, before anything moved: OUT_DIR is
 * as it was. */
static int blocked_fatal(const stage *st, const blocked *b, diags_t *d)
{
	char *shown = *b->at ? fs_join(st->shown, b->at) : xstrdup(st->shown);
	char *dir = fs_folder_of(b->at, "");
	char *in = *dir ? fs_join(st->shown, dir) : xstrdup(st->shown);
	free(dir);
	fs_flag_words w = {0};
	fs_flag_words_of(&b->ent, &w);
	if (b->why == FOLDER_IMMUTABLE) {
		out_fatal(d, "cannot update the output folder: the folder '%s' "
			  "is immutable (lsattr -d shows an i), so nothing in it "
			  "may be made, replaced or removed: clear the flag "
			  "(chattr -i) or choose another folder with -o", shown);
	} else if (b->why == ENTRY_FLAGGED) {
		out_fatal(d, "cannot update the output folder: '%s' is %s "
			  "(%s), so it may not be replaced or removed: clear "
			  "the flag (%s) or choose another folder with -o",
			  shown, w.name, w.shown, w.clear);
	} else if (b->why == FOLDER_APPEND_ONLY) {
		out_fatal(d, "cannot update the output folder: '%s' is in the "
			  "folder '%s', which is append-only (lsattr -d shows an "
			  "a): an entry may be made there, but not replaced or "
			  "removed: clear the flag (chattr -a) or choose another "
			  "folder with -o", shown, in);
	} else if (b->why == STICKY) {
		out_fatal(d, "cannot update the output folder: '%s' belongs to "
			  "another user (uid %lu), in the folder '%s', which "
			  "has the sticky bit and another user's (uid %lu, mode "
			  "%04o): only the entry's owner may replace or remove "
			  "it there: have that user or root remove it, or "
			  "choose another folder with -o", shown,
			  (unsigned long)b->ent.uid, in,
			  (unsigned long)b->dir.uid,
			  (unsigned)(b->dir.mode & 07777));
	} else if (b->sb.st_uid != geteuid()) {
		out_fatal(d, "cannot update the output folder: '%s' belongs to "
			  "another user (uid %lu), and you may not write in it "
			  "(mode %04o): have that user or root remove it or give "
			  "it to you (chown), or choose another folder with -o",
			  shown, (unsigned long)b->sb.st_uid,
			  (unsigned)(b->sb.st_mode & 07777));
	} else {
		char *where = xasprintf("'%s'", shown);
		char *hint = io_hint(b->e, where);
		out_fatal(d, "cannot update the output folder at '%s': %s; %s",
			  shown, strerror(b->e), hint);
		FREE_ALL(where, hint);
	}
	FREE_ALL(shown, in);
	return -1;
}

/* Move the changed files over OUT_DIR's, then remove what the new site no
 * longer has; under the lock stage_open took (take_lock). */
static int commit_in_place(stage *st, diags_t *d)
{
	struct stat now, was;
	if (lstat(st->final, &now) < 0 || fstat(st->outfd, &was) < 0 ||
	    now.st_dev != was.st_dev || now.st_ino != was.st_ino) {
		out_fatal(d, "the output folder '%s' was moved or replaced "
			  "during the build, so it was left as it is now; build "
			  "again", st->shown);
		return -1;
	}
	/* no staging folder: no file changed (need_staging) */
	int tmpfd = st->tmp ? open(st->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				   O_CLOEXEC) : -1;
	if (st->tmp && tmpfd < 0)
		return update_failed(st, NULL, errno, 0, d);
	qsort(st->ents, st->nents, sizeof *st->ents, cmp_entry);
	char **keep = xcalloc(st->nents + 1, sizeof *keep);
	const upd_ident **known = xcalloc(st->nents + 1, sizeof *known);
	for (size_t i = 0; i < st->nents; i++) {
		keep[i] = st->ents[i].rel;
		known[i] = st->ents[i].known ? &st->ents[i].id : NULL;
	}
	/* before anything moves: a folder the commit must write in and may
	 * not (another user's, say) stops it with OUT_DIR as it was, where
	 * found midway it would leave half of the new site */
	blocked b = {.st = st};
	int rc = look_before_commit(&b, keep, st->nents);
	if (rc < 0)
		blocked_fatal(st, &b, d);
	FREE_ALL(b.at, b.last, b.way, b.sdir);
	for (size_t i = 0; i < st->nents && rc == 0; i++) {
		if (!st->ents[i].changed)
			continue;
		struct stat sb;
		/* a folder on the way its owner cannot enter (chmod 0): made
		 * as a clean build makes it, and the move tried again */
		int moved;
		if (st->fail_move && !strcmp(st->fail_move, keep[i])) {
			moved = -1;
			errno = EIO;
		} else {
			moved = upd_move(tmpfd, st->outfd, keep[i]);
		}
		if (moved < 0 && errno == EACCES && st->modes_kept) {
			/* the first failure is the one to tell */
			if (upd_open_way(st->outfd, keep[i], st->dir_mode) == 0)
				moved = upd_move(tmpfd, st->outfd, keep[i]);
			else
				errno = EACCES;
		}
		if (moved < 0)
			rc = update_failed(st, keep[i], errno, 1, d);
		else if (upd_stat(st->outfd, keep[i], &sb) == 0 &&
			 S_ISREG(sb.st_mode)) {
			/* as moved in, so that the manifest records this file,
			 * not one put in its place later (upd_walk.known) */
			st->ents[i].id = upd_ident_of(&sb);
			known[i] = &st->ents[i].id;
		}
	}
	char *failed = NULL;
	upd_walk w = {keep, st->nents, known, STAGE_MARKER, found_file, found_dir,
		      st->listed ? listed_before : NULL, st, NULL,
		      st->folder_stat ? folder_stat_before : NULL,
		      st->modes_kept ? st->dir_mode : 0, found_bits_kept, &failed,
		      found_left};
	long removed = rc < 0 ? 0 : upd_prune_walk(st->outfd, &w);
	if (removed < 0) /* every file moved: the walk comes last */
		rc = update_failed(st, failed, errno, 2, d);
	else
		st->removed = (size_t)removed;
	free(failed);
	if (rc < 0) {
		forget_found(st);
	} else {
		sort_found(&st->found);
		sort_found(&st->found_dirs);
	}
	free(known);
	free(keep);
	if (tmpfd >= 0)
		close(tmpfd);
	return rc;
}

/* The staging folder st->tmp, opened without following a link and only
 * while it is still the folder make_staging made (the folder it is in
 * may be another user's, who could put something else under its name);
 * -1 otherwise. */
static int open_staging(const stage *st)
{
	int fd = open(st->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	if (fd >= 0 && (fstat(fd, &sb) < 0 || sb.st_dev != st->tmp_dev ||
			sb.st_ino != st->tmp_ino)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* What the staging folder (fd) takes of OUT_DIR (sb) as it is made: the
 * group, where this process may give it, and with it the setgid bit, so
 * that what the build writes below it gets that group (a folder made for
 * a web server's group, mode 2750, keeps a site that group may read).
 * Write bits for the group or others wait for the swap: one of them
 * could change what the build is writing. */
static void take_group(int fd, const struct stat *sb)
{
	struct stat now;
	if (fstat(fd, &now) < 0)
		return;
	if (sb->st_gid != now.st_gid && fchown(fd, (uid_t)-1, sb->st_gid) < 0)
		return;
	if (sb->st_mode & S_ISGID)
		(void)fchmod(fd, (now.st_mode & 07755) | S_ISGID);
}

/* The new site takes the place of the folder sb describes: it gets the
 * folder's owner where this process may give it (root), and its
 * permission bits, setgid and sticky included (chown may clear setgid),
 * on the folder opened as made (open_staging), never through a link. The
 * group came when the folder was made (take_group); where it could not,
 * the new folder gives its group nothing (the bits were for another
 * group) and st->group_lost says so. ACLs are not carried over. 0; -1
 * when the staging folder is not the one made. */
static int take_folder_attributes(stage *st, const struct stat *sb)
{
	int fd = open_staging(st);
	struct stat now;
	if (fd < 0)
		return -1;
	if (fstat(fd, &now) < 0) {
		close(fd);
		return -1;
	}
	if (sb->st_uid != now.st_uid)
		(void)fchown(fd, sb->st_uid, (uid_t)-1);
	mode_t mode = sb->st_mode & 07777;
	if (fstat(fd, &now) == 0 && now.st_gid != sb->st_gid) {
		/* the group's bits were for that group, not this one */
		mode &= ~(mode_t)(S_ISGID | S_IRWXG);
		st->group_lost = 1;
		st->group_wanted = sb->st_gid;
	}
	(void)fchmod(fd, mode);
	close(fd);
	return 0;
}

/* The fatal error of a swap whose staging folder is not the one made. */
static void not_the_staging(const stage *st, diags_t *d)
{
	out_fatal(d, "the staging folder %s beside '%s' is no longer the one "
		  "this build made: someone else can change the folder '%s' "
		  "is in; build into a folder only you may change, with -o",
		  base_of(st->tmp), st->shown, st->shown);
}

/* Put the staging folder in place of OUT_DIR (stage_commit). */
static int swap(stage *st, diags_t *d)
{
	struct stat sb;
	if (lstat(st->final, &sb) < 0) {
		int fd = open_staging(st);
		if (fd < 0) {
			not_the_staging(st, d);
			return -1;
		}
		(void)fchmod(fd, st->tmp_mode); /* as made: see make_staging */
		close(fd);
		if (rename(st->tmp, st->final) < 0)
			return swap_failed(st, "move the new site into place",
					   errno, d);
		free(st->tmp);
		st->tmp = NULL;
		return 0;
	}
	/* the staging folder must still be the one made: one removed and
	 * made again, or put in its place, is not what was written */
	if (S_ISDIR(sb.st_mode) && take_folder_attributes(st, &sb) < 0) {
		not_the_staging(st, d);
		return -1;
	}
	if (st->no_exchange)
		return swap_by_renames(st, d);
	/* Swap both names in one step; the old site ends up at tmp, and
	 * stage_close removes it. */
	if (renameat2(AT_FDCWD, st->tmp, AT_FDCWD, st->final, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
		return swap_by_renames(st, d);
	return swap_failed(st, "move the new site into place", errno, d);
}

/* After a swap: remove the previous site, at the staging folder's name
 * (swapped) or at st->old (two renames); nothing when there was none. One
 * that cannot be removed (a folder in it append-only or immutable, which
 * a build cannot tell before it swaps without reading every folder) is
 * left there, named in st->old_left for the build to say so. */
static void remove_previous(stage *st)
{
	const char *prev = st->tmp ? st->tmp : st->old;
	if (!prev)
		return; /* a first build: there was none */
	errno = 0;
	char *stuck;
	if (remove_marked(prev, st->threads, &stuck) == 0) {
		free(st->tmp);
		st->tmp = NULL;
		return;
	}
	st->prev_stuck = 1;
	st->old_errno = errno ? errno : EIO;
	free(st->old_left); /* this build's own, rather than an earlier one's */
	st->old_left = xstrdup(prev);
	free(st->old_stuck);
	st->old_stuck = stuck;
}

int stage_commit(stage *st, diags_t *d)
{
	if (cancelled(st))
		return -1;
	char *why;
	if (!stage_replaceable(st->final, &why)) {
		refuse(st, why, d);
		return -1;
	}
	int rc;
	if (st->outfd >= 0) {
		rc = commit_in_place(st, d);
	} else {
		rc = swap(st, d);
		if (rc == 0) {
			found_written(st);
			remove_previous(st);
		}
	}
	st->committed = rc == 0 || st->partial;
	return rc;
}

void stage_open_memory(stage *st, stage_sink sink, void *ctx)
{
	memset(st, 0, sizeof *st);
	st->outfd = st->lockfd = -1;
	pthread_mutex_init(&st->lock, NULL);
	st->sink = sink;
	st->sink_ctx = ctx;
}

void stage_close(stage *st)
{
	if (st->tmp && !st->prev_stuck)
		remove_marked(st->tmp, st->threads, NULL);
	if (st->outfd >= 0)
		close(st->outfd);
	/* a build that failed or was refused leaves nothing, not even the
	 * lock file it made; removed while still held, so no other build
	 * is inside; one waiting on it notices (still_there), and takes
	 * the next */
	if (st->lockfd >= 0 && st->lock_made && !st->committed && st->final) {
		char *lock = stage_beside(st->final, STAGE_LOCK_SUFFIX);
		unlink(lock);
		free(lock);
	}
	if (st->lockfd >= 0)
		close(st->lockfd); /* and with it the lock */
	/* nor the folders above OUT_DIR it made: each, from the lowest,
	 * while still empty (rmdir removes nothing else) */
	if (st->made_top && !st->committed && st->final) {
		char *dir = folder_above(st->final);
		while (rmdir(dir) == 0 && strcmp(dir, st->made_top)) {
			char *up = folder_above(dir);
			free(dir);
			dir = up;
		}
		free(dir);
	}
	for (size_t i = 0; i < st->nents; i++)
		free(st->ents[i].rel);
	forget_found(st);
	FREE_ALL(st->ents, st->tmp, st->old, st->final, st->shown, st->old_left,
		 st->old_stuck, st->made_top);
	pthread_mutex_destroy(&st->lock);
	memset(st, 0, sizeof *st);
	st->outfd = st->lockfd = -1;
}
