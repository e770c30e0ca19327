/* update.c - replace and remove files of an output folder in place,
 * through open folders only, never following a link. */
#define _GNU_SOURCE /* O_DIRECTORY, O_NOFOLLOW, fstatat flags */
#include "update.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "../util/buf.h"
#include "../util/fs.h"

upd_ident upd_ident_of(const struct stat *sb)
{
	return (upd_ident){(long long)sb->st_size, sb->st_mtim, sb->st_ctim,
			   (unsigned long long)sb->st_ino,
			   (unsigned)(sb->st_mode & S_IFMT)};
}

void upd_ident_stat(const upd_ident *id, struct stat *sb)
{
	memset(sb, 0, sizeof *sb);
	sb->st_size = (off_t)id->size;
	sb->st_mtim = id->mtime;
	sb->st_ctim = id->ctime;
	sb->st_ino = (ino_t)id->ino;
	sb->st_mode = (mode_t)id->mode;
}

int upd_rel_ok(const char *rel)
{
	if (!rel || !*rel)
		return 0;
	for (const char *p = rel;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!slash)
			return 1;
		p = slash + 1;
	}
}

int upd_acl(int fd, int which)
{
	static const char *const names[] = {"system.posix_acl_access",
					     "system.posix_acl_default"};
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	for (int k = 0; fd >= 0 && k < 2; k++) {
		if (!(which & (1 << k)))
			continue;
		ssize_t got = fgetxattr(fd, names[k], NULL, 0);
		if (got < 0 && errno == EBADF) /* O_PATH */
			got = getxattr(proc, names[k], NULL, 0);
		if (got >= 0)
			return 1;
	}
	return 0;
}

/* The folder name in the folder dirfd, when it is a folder (no link
 * followed) with an ACL-free mode other than dir_mode (setgid aside):
 * given dir_mode, keeping its setgid bit, its stat then in *sb (when sb
 * is not NULL); owner: only when its owner may not list, enter or change
 * it. Through the folder opened with O_PATH, which needs no permission
 * on it (fs_chmod_opened), never a name. A folder with an ACL (acl(5))
 * is left: its bits show the ACL's mask, which a chmod would change. */
static void give_bits(int dirfd, const char *name, mode_t dir_mode, int owner,
		      struct stat *sb)
{
	struct stat now;
	int fd = fs_open_own_dir(dirfd, name, sb, &now);
	if (fd < 0)
		return;
	if ((now.st_mode & 01777) != dir_mode &&
	    (!owner || (now.st_mode & 0700) != 0700) &&
	    !upd_acl(fd, UPD_ACL_ANY) &&
	    fs_chmod_opened(fd, dir_mode | (now.st_mode & S_ISGID)) == 0 &&
	    fstat(fd, &now) == 0 && sb)
		*sb = now;
	close(fd);
}

/* The folder holding rel's last name, opened from root one name at a time
 * (never through a link), and that last name in *base. With create, a
 * missing folder is made and anything else where one should be (a file, a
 * link) is removed first. A descriptor the caller closes (a duplicate of
 * root when rel has no '/'), or -1. With fix
 * (not 0), each folder on the way is first given it (give_bits, when
 * its owner cannot use it). */
static int open_parent_fixing(int root, const char *rel, int create,
			      mode_t fix, const char **base)
{
	if (!upd_rel_ok(rel)) {
		errno = EINVAL;
		return -1;
	}
	int fd = dup(root);
	const char *p = rel;
	for (const char *slash; fd >= 0 && (slash = strchr(p, '/')); p = slash + 1) {
		char *name = xstrndup(p, (size_t)(slash - p));
		if (fix)
			give_bits(fd, name, fix, 1, NULL);
		int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				  O_CLOEXEC);
		if (next < 0 && create && (errno == ENOTDIR || errno == ELOOP ||
					   errno == ENOENT)) {
			if (errno != ENOENT)
				unlinkat(fd, name, 0);
			if (mkdirat(fd, name, 0755) == 0 || errno == EEXIST)
				next = openat(fd, name, O_RDONLY | O_DIRECTORY |
					      O_NOFOLLOW | O_CLOEXEC);
		}
		int e = errno;
		free(name);
		close(fd);
		fd = next;
		errno = e;
	}
	*base = p;
	return fd;
}

static int open_parent(int root, const char *rel, int create,
		       const char **base)
{
	return open_parent_fixing(root, rel, create, 0, base);
}

int upd_open_way(int root, const char *rel, mode_t dir_mode)
{
	const char *base;
	int fd = open_parent_fixing(root, rel, 0, dir_mode, &base);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Read fd to its end, comparing with the n bytes at data: 1 when they are
 * the same bytes, 0 otherwise. */
static int read_equals(int fd, const char *data, size_t n)
{
	char chunk[65536];
	size_t at = 0;
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 0;
		if (r == 0)
			return at == n;
		if ((size_t)r > n - at || memcmp(chunk, data + at, (size_t)r))
			return 0;
		at += (size_t)r;
	}
}

int upd_open(int root, const char *rel, struct stat *sb)
{
	const char *base;
	int dir = open_parent(root, rel, 0, &base);
	if (dir < 0)
		return -1;
	struct stat was;
	int fd = -1;
	if (fstatat(dir, base, &was, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(was.st_mode))
		fd = openat(dir, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dir);
	if (fd < 0)
		return -1;
	/* checked again on what was opened: it may have been swapped */
	if (fstat(fd, sb) == 0 && S_ISREG(sb->st_mode))
		return fd;
	close(fd);
	return -1;
}

/* root/rel opened for reading when it is a regular file of n bytes
 * reached without a link, else -1; its stat (of what was opened) in *got. */
static int open_same_size(int root, const char *rel, size_t n, struct stat *got)
{
	int fd = upd_open(root, rel, got);
	if (fd >= 0 && (size_t)got->st_size != n) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int upd_same_stat(int root, const char *rel, const void *data, size_t n,
		  struct stat *sb)
{
	int fd = open_same_size(root, rel, n, sb);
	if (fd < 0)
		return 0;
	int same = read_equals(fd, data, n);
	close(fd);
	return same;
}

int upd_same(int root, const char *rel, const void *data, size_t n)
{
	struct stat sb;
	return upd_same_stat(root, rel, data, n, &sb);
}

/* The n bytes of fd at offset at into out, reading again after EINTR
 * and short reads: 1 when all n came, 0 otherwise. */
static int pread_full(int fd, char *out, size_t n, off_t at)
{
	while (n) {
		ssize_t r = pread(fd, out, n, at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		out += r;
		n -= (size_t)r;
		at += r;
	}
	return 1;
}

int upd_same_fd(int root, const char *rel, int src, size_t n)
{
	struct stat sb;
	int fd = open_same_size(root, rel, n, &sb);
	if (fd < 0)
		return 0;
	enum { CHUNK = 65536 };
	char *a = xmalloc(2 * CHUNK), *b = a + CHUNK, end;
	int same = 1;
	for (size_t at = 0; same && at < n; at += CHUNK) {
		size_t want = n - at < CHUNK ? n - at : CHUNK;
		same = pread_full(src, a, want, (off_t)at) &&
		       pread_full(fd, b, want, (off_t)at) && !memcmp(a, b, want);
	}
	/* and not grown since it was opened */
	same = same && !pread_full(fd, &end, 1, (off_t)n);
	free(a);
	close(fd);
	return same;
}

/* upd_stat in one call where the kernel has openat2 (Linux 5.6): rel
 * opened as a path only, refusing a link anywhere on the way, its last
 * name included, and any step out of root. 0, or -1 (then upd_stat walks
 * rel one name at a time, which also tells a link at its end). */
static int stat_beneath(int root, const char *rel, struct stat *sb)
{
#ifdef SYS_openat2
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
			   RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, root, rel, &how, sizeof how);
	if (fd < 0)
		return -1;
	int rc = fstat(fd, sb);
	close(fd);
	return rc;
#else
	(void)root, (void)rel, (void)sb;
	return -1;
#endif
}

int upd_stat(int root, const char *rel, struct stat *sb)
{
	if (upd_rel_ok(rel) && stat_beneath(root, rel, sb) == 0)
		return 0;
	const char *base;
	int dir = open_parent(root, rel, 0, &base);
	if (dir < 0)
		return -1;
	int rc = fstatat(dir, base, sb, AT_SYMLINK_NOFOLLOW);
	int e = errno;
	close(dir);
	errno = e;
	return rc;
}



int upd_move(int from, int to, const char *rel)
{
	const char *src_base, *dst_base;
	int src = open_parent(from, rel, 0, &src_base);
	if (src < 0)
		return -1;
	int dst = open_parent(to, rel, 1, &dst_base);
	int rc = dst < 0 ? -1 : renameat(src, src_base, dst, dst_base);
	if (rc < 0 && dst >= 0 && (errno == EISDIR || errno == ENOTEMPTY ||
				   errno == EEXIST)) {
		rc = fs_remove_at(dst, dst_base);
		if (rc == 0)
			rc = renameat(src, src_base, dst, dst_base);
	}
	int e = errno;
	close(src);
	if (dst >= 0)
		close(dst);
	errno = e;
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index of the file rel in keep, or -1. */
static long kept_index(const char *rel, char *const *keep, size_t n)
{
	char *const *at = bsearch(&rel, keep, n, sizeof *keep, cmp_str);
	return at ? (long)(at - keep) : -1;
}

/* Whether some rel in keep lies below the folder dir ("a/b": "a/b/..."). */
static int kept_below(const char *dir, char *const *keep, size_t n)
{
	size_t len = strlen(dir);
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the first rel not before dir */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(keep[mid], dir) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n && !strncmp(keep[i], dir, len); i++)
		if (keep[i][len] == '/')
			return 1;
	return 0;
}

/* A folder met on the walk, opened only once something in it must be
 * examined or removed. */
typedef struct folder {
	struct folder *up; /* the folder holding it; NULL for the root */
	const char *name;  /* its name in up */
	int fd;            /* -1 until opened; the root's is borrowed */
} folder;

static int folder_fd(folder *f)
{
	if (f->fd < 0 && f->up && folder_fd(f->up) >= 0)
		f->fd = openat(f->up->fd, f->name, O_RDONLY | O_DIRECTORY |
			       O_NOFOLLOW | O_CLOEXEC);
	return f->fd;
}

static int before(const struct timespec *a, time_t sec, long nsec)
{
	return a->tv_sec < sec || (a->tv_sec == sec && a->tv_nsec < nsec);
}

int upd_settled(const struct stat *sb, const struct timespec *began)
{
	time_t limit = began->tv_sec - UPD_SETTLE_S;
	return before(&sb->st_mtim, limit, began->tv_nsec) &&
	       before(&sb->st_ctim, limit, began->tv_nsec);
}

/* The walk's state: what it was told, when it began, and the place in
 * w->keep after the last file found there: the walk meets the files
 * mostly in keep's order, so the next one is tried first. */
typedef struct prune_ctx {
	const upd_walk *w;
	struct timespec began;
	size_t next;
} prune_ctx;

/* kept_index, trying p->next first. */
static long kept_next(prune_ctx *p, const char *rel)
{
	const upd_walk *w = p->w;
	long k = p->next < w->n && !strcmp(w->keep[p->next], rel) ?
		(long)p->next : kept_index(rel, w->keep, w->n);
	if (k >= 0)
		p->next = (size_t)k + 1;
	return k;
}

/* kept_below, answered by p->next when the file there is below dir. */
static int kept_below_next(const prune_ctx *p, const char *dir)
{
	const upd_walk *w = p->w;
	size_t len = strlen(dir);
	if (p->next < w->n && !strncmp(w->keep[p->next], dir, len) &&
	    w->keep[p->next][len] == '/')
		return 1;
	return kept_below(dir, w->keep, w->n);
}

static long prune_in(folder *f, const char *prefix, const struct stat *self,
		     prune_ctx *p);


/* The entry name of f (rel: prefix/name) as it should be: left and told
 * when a kept file, walked into when a folder on the way to one, removed
 * otherwise (then *here is set). trusted: f's listing came from
 * w->listed. The number of entries removed, or -1. */
static long prune_entry(folder *f, const char *name, const char *rel,
			int trusted, prune_ctx *p, int *here)
{
	const upd_walk *w = p->w;
	long k = kept_next(p, rel);
	const upd_ident *took = k >= 0 && w->known ? w->known[k] : NULL;
	const upd_ident *known = trusted ? took : NULL;
	struct stat sb;
	int looked = 0; /* sb is a stat of its own, with its mode */
	if (known)
		upd_ident_stat(known, &sb);
	else if (trusted && k < 0 && w->folder_stat &&
		 w->folder_stat(w->ctx, rel, &sb) == 1 && S_ISDIR(sb.st_mode))
		; /* a folder this build looked at */
	else if (folder_fd(f) < 0)
		return -1;
	else if (fstatat(f->fd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	else
		looked = 1;
	if (S_ISDIR(sb.st_mode) && kept_below_next(p, rel)) {
		folder sub = {f, name, -1};
		/* a folder chmod made 0777 (or 0700, or 0) is made as mkdir
		 * makes it again, before it is read: when the walk took its
		 * stat itself (an identity it was told keeps no permission
		 * bits), and the folder opened is that one */
		if (w->dir_mode && looked && (sb.st_mode & 01777) != w->dir_mode &&
		    folder_fd(f) >= 0) {
			give_bits(f->fd, name, w->dir_mode, 0, &sb);
			if ((sb.st_mode & 01777) != w->dir_mode &&
			    sb.st_uid != geteuid() && w->bits_kept)
				w->bits_kept(w->ctx, rel, &sb);
		}
		long got = prune_in(&sub, rel, &sb, p);
		if (sub.fd >= 0)
			close(sub.fd);
		return got;
	}
	if (S_ISREG(sb.st_mode) && k >= 0) {
		/* a page of the new site, told by the identity this build
		 * took when it compared or moved it, if it did: a change made
		 * since (a hand edit during the commit) then shows as another
		 * file to the next build, where this stat would hide it */
		struct stat was;
		if (took)
			upd_ident_stat(took, &was);
		if (w->seen)
			w->seen(w->ctx, rel, took ? &was : &sb);
		return 0;
	}
	*here = 1;
	char *below = NULL;
	size_t count = 1; /* rel itself, when its folder cannot be opened */
	if (folder_fd(f) >= 0 && fs_remove_below(f->fd, name, &below, &count) == 0)
		return 1;
	int e = errno;
	/* the entry that would not go: rel, or one below it */
	char *at = below ? xasprintf("%.*s%s", (int)(strlen(rel) - strlen(name)),
				     rel, below) : xstrdup(rel);
	free(below);
	if (w->left && (e == EACCES || e == EPERM)) {
		w->left(w->ctx, at, e, count ? count : 1);
		free(at);
		return 0;
	}
	if (w->failed && !*w->failed)
		*w->failed = at;
	else
		free(at);
	errno = e;
	return -1;
}

/* prefix/name, fresh (as xasprintf would make it, without its cost for
 * each of a large site's files). */
static char *join_rel(const char *prefix, const char *name)
{
	size_t a = strlen(prefix), b = strlen(name);
	char *rel = xmalloc(xadd(xadd(a, b), 2));
	memcpy(rel, prefix, a);
	rel[a] = '/';
	memcpy(rel + a + 1, name, b + 1);
	return rel;
}

/* upd_prune_walk in the folder f, whose rel is prefix ("" at the top) and
 * whose stat, taken before it was read, is self (NULL at the top). */
static long prune_in(folder *f, const char *prefix, const struct stat *self,
		     prune_ctx *p)
{
	const upd_walk *w = p->w;
	char **names;
	size_t count;
	int trusted = self && w->listed &&
		      w->listed(w->ctx, prefix, self, &names, &count) == 1;
	if (!trusted && (folder_fd(f) < 0 ||
			 fs_list_at(f->fd, ".", &names, &count) < 0))
		return -1;
	long removed = 0;
	int here = 0; /* an entry of f itself removed: f is not as found */
	for (size_t i = 0; i < count && removed >= 0; i++) {
		const char *name = names[i];
		if (!*prefix && w->spare && !strcmp(name, w->spare))
			continue;
		char *rel = *prefix ? join_rel(prefix, name) : xstrdup(name);
		long got = prune_entry(f, name, rel, trusted, p, &here);
		free(rel);
		removed = got < 0 ? -1 : removed + got;
	}
	fs_free_list(names);
	if (removed >= 0 && !here && self && w->folder && upd_settled(self, &p->began))
		w->folder(w->ctx, prefix, self);
	return removed;
}

long upd_prune_walk(int root, const upd_walk *w)
{
	prune_ctx p = {w, {0, 0}, 0};
	if (w->began)
		p.began = *w->began;
	else
		clock_gettime(CLOCK_REALTIME, &p.began);
	folder top = {NULL, NULL, root};
	return prune_in(&top, "", NULL, &p);
}

long upd_prune_seen(int root, char *const *keep, size_t n, const char *spare,
		    upd_seen seen, void *ctx)
{
	upd_walk w = {keep, n, NULL, spare, seen, NULL, NULL, ctx, NULL, NULL, 0, NULL, NULL, NULL};
	return upd_prune_walk(root, &w);
}

long upd_prune(int root, char *const *keep, size_t n, const char *spare)
{
	return upd_prune_seen(root, keep, n, spare, NULL, NULL);
}
