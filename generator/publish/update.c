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
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "../util/buf.h"
#include "../util/fs.h"

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

/* The folder holding rel's last name, opened from root one name at a time
 * (never through a link), and that last name in *base. With create, a
 * missing folder is made and anything else where one should be (a file, a
 * link) is removed first. A descriptor the caller closes (a duplicate of
 * root when rel has no '/'), or -1. */
static int open_parent(int root, const char *rel, int create,
		       const char **base)
{
	if (!upd_rel_ok(rel)) {
		errno = EINVAL;
		return -1;
	}
	int fd = dup(root);
	const char *p = rel;
	for (const char *slash; fd >= 0 && (slash = strchr(p, '/')); p = slash + 1) {
		char *name = xstrndup(p, (size_t)(slash - p));
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

/* root/rel opened for reading when it is a regular file of n bytes
 * reached without a link, else -1. */
static int open_same_size(int root, const char *rel, size_t n)
{
	const char *base;
	int dir = open_parent(root, rel, 0, &base);
	if (dir < 0)
		return -1;
	/* Only a regular file of the right size is opened: never a device
	 * or a pipe someone left in the output folder. */
	struct stat sb;
	int fd = -1;
	if (fstatat(dir, base, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode) && (size_t)sb.st_size == n)
		fd = openat(dir, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dir);
	if (fd < 0)
		return -1;
	/* checked again on what was opened: it may have been swapped */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == n)
		return fd;
	close(fd);
	return -1;
}

int upd_same(int root, const char *rel, const void *data, size_t n)
{
	int fd = open_same_size(root, rel, n);
	if (fd < 0)
		return 0;
	int same = read_equals(fd, data, n);
	close(fd);
	return same;
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
	int fd = open_same_size(root, rel, n);
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

/* Whether rel is a file in keep. */
static int kept_file(const char *rel, char *const *keep, size_t n)
{
	return bsearch(&rel, keep, n, sizeof *keep, cmp_str) != NULL;
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

/* What upd_prune_seen looks for, and whom it tells. */
typedef struct prune_ctx {
	char *const *keep;
	size_t n;
	const char *spare;
	upd_seen seen;
	void *ctx;
} prune_ctx;

/* upd_prune_seen in the folder fd, whose rel is prefix ("" at the top). */
static long prune_in(int fd, const char *prefix, const prune_ctx *p)
{
	char *const *keep = p->keep;
	size_t n = p->n;
	char **names;
	size_t count;
	if (fs_list_at(fd, ".", &names, &count) < 0)
		return -1;
	long removed = 0;
	for (size_t i = 0; i < count && removed >= 0; i++) {
		const char *name = names[i];
		if (!*prefix && p->spare && !strcmp(name, p->spare))
			continue;
		char *rel = *prefix ? xasprintf("%s/%s", prefix, name) : xstrdup(name);
		struct stat sb;
		if (fstatat(fd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				removed = -1;
		} else if (S_ISDIR(sb.st_mode) && kept_below(rel, keep, n)) {
			int sub = openat(fd, name, O_RDONLY | O_DIRECTORY |
					 O_NOFOLLOW | O_CLOEXEC);
			long got = sub < 0 ? -1 : prune_in(sub, rel, p);
			if (sub >= 0)
				close(sub);
			removed = got < 0 ? -1 : removed + got;
		} else if (S_ISREG(sb.st_mode) && kept_file(rel, keep, n)) {
			if (p->seen) /* a page of the new site */
				p->seen(p->ctx, rel, &sb);
		} else {
			removed = fs_remove_at(fd, name) < 0 ? -1 : removed + 1;
		}
		free(rel);
	}
	fs_free_list(names);
	return removed;
}

long upd_prune_seen(int root, char *const *keep, size_t n, const char *spare,
		    upd_seen seen, void *ctx)
{
	prune_ctx p = {keep, n, spare, seen, ctx};
	return prune_in(root, "", &p);
}

long upd_prune(int root, char *const *keep, size_t n, const char *spare)
{
	return upd_prune_seen(root, keep, n, spare, NULL, NULL);
}
