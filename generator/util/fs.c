/* fs.c - small file-system helpers over POSIX. */
#define _GNU_SOURCE /* statx */
#include "fs.h"

#include "diag.h"
#include "digest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Close fd after a failed read or write and return -1, errno still saying
 * why the read or write failed. */
static int close_failed(int fd)
{
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* While out has 4 KiB of free room or more, reads go straight into it, so
 * a file whose size was reserved (fs_read_plain) is read with no copy and
 * no growth; otherwise through a chunk on the stack. */
int fs_read_fd(int fd, buf_t *out)
{
	char chunk[65536];
	for (;;) {
		/* the room after len, but the terminator's byte */
		size_t room = out->cap > out->len ? out->cap - out->len - 1 : 0;
		int direct = room >= 4096;
		ssize_t r = direct ? read(fd, out->ptr + out->len, room) :
			read(fd, chunk, sizeof chunk);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (out->ptr)
				out->ptr[out->len] = '\0';
			return close_failed(fd);
		}
		if (r == 0)
			break;
		if (direct) {
			out->len += (size_t)r;
			out->ptr[out->len] = '\0';
		} else {
			buf_put(out, chunk, (size_t)r);
		}
	}
	close(fd);
	if (!out->ptr)
		buf_put(out, "", 0);
	return 0;
}

int fs_read(const char *path, buf_t *out)
{
	int fd = open(path, O_RDONLY);
	return fd < 0 ? -1 : fs_read_fd(fd, out);
}

int fs_read_regular(const char *path, size_t max, buf_t *out)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > max) {
		int e = fstat(fd, &sb) < 0 ? errno : S_ISREG(sb.st_mode) ? EFBIG : EINVAL;
		close(fd);
		errno = e;
		return -1;
	}
	return fs_read_fd(fd, out);
}

int fs_open_plain(const char *path, size_t max, size_t *size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0)
		return close_failed(fd);
	if (!S_ISREG(sb.st_mode) || (unsigned long long)sb.st_size > max ||
	    sb.st_uid != geteuid() || (sb.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		errno = !S_ISREG(sb.st_mode) ? EINVAL :
			(unsigned long long)sb.st_size > max ? EFBIG : EPERM;
		return -1;
	}
	if (size)
		*size = (size_t)sb.st_size;
	return fd;
}

const char *fs_plain_refusal(int err)
{
	switch (err) {
	case EPERM:
		return "another user owns it, or its group or others may write it";
	case ELOOP:
		return "it is a symbolic link, which a build never follows";
	case EINVAL:
		return "it is not a regular file";
	case EACCES:
		return "you may not read it";
	case EFBIG:
		return "it is larger than a build reads";
	default:
		return NULL;
	}
}

int fs_magic_other(const void *data, size_t n, const char *magic)
{
	const char *p = data, *sp = strrchr(magic, ' ');
	if (!sp)
		return 0;
	size_t words = (size_t)(sp - magic) + 1, len = strlen(magic);
	if (n < words || memcmp(p, magic, words))
		return 0;
	size_t k = words;
	while (k < n && k - words < 20 && p[k] >= '0' && p[k] <= '9')
		k++;
	return k > words && k < n && p[k] == '\n' &&
	       !(k + 1 == len && !memcmp(p, magic, len));
}

int fs_lock_open(const char *path, mode_t *was)
{
	if (was)
		*was = 0;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
			    O_CLOEXEC, 0600);
	struct stat sb;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0)
		return close_failed(fd);
	if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid()) {
		close(fd);
		errno = S_ISREG(sb.st_mode) ? EPERM : EINVAL;
		return -1;
	}
	mode_t shared = sb.st_mode & (S_IRWXG | S_IRWXO);
	if (!shared)
		return fd;
	struct stat now;
	int took = fchmod(fd, 0600) == 0 && fstat(fd, &now) == 0 &&
		   !(now.st_mode & (S_IRWXG | S_IRWXO));
	if (!took)
		return fd; /* no modes kept here: the mount's bits */
	close(fd);
	if (was)
		*was = sb.st_mode & 07777;
	errno = EPERM;
	return -1;
}

int fs_read_plain(const char *path, size_t max, buf_t *out)
{
	size_t size;
	int fd = fs_open_plain(path, max, &size);
	if (fd < 0)
		return -1;
	buf_grow(out, size);
	return fs_read_fd(fd, out);
}

int fs_pread_all(int fd, void *p, size_t n, unsigned long long at)
{
	char *to = p;
	while (n) {
		ssize_t r = pread(fd, to, n, (off_t)at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		to += r;
		at += (unsigned long long)r;
		n -= (size_t)r;
	}
	return 0;
}

int fs_is_tmp_of(const char *entry, const char *hidden)
{
	size_t n = strlen(hidden);
	if (strncmp(entry, hidden, n) || entry[n] != '.')
		return 0;
	const char *hex = entry + n + 1;
	for (int k = 0; k < 16; k++)
		if (!((hex[k] >= '0' && hex[k] <= '9') ||
		      (hex[k] >= 'a' && hex[k] <= 'f')))
			return 0;
	return !strcmp(hex + 16, ".tmp");
}

int fs_replace(const char *path, const void *data, size_t n)
{
	fs_writer w;
	if (fs_replace_open(&w, path) < 0)
		return -1;
	fs_writer_put(&w, data, n);
	return fs_replace_close(&w, 1);
}

/* The statx(2) attributes (STATX_ATTR_*) of path relative to at ("": at
 * itself) that the file system reports and path has, its link not
 * followed when nofollow; 0 when it cannot be asked. statx asks without
 * opening: a folder that may not be read (mode 0333) is asked too. */
/* fs_entry_at, through a link at path when follow is set. */
static int entry_at(int at, const char *path, int follow, fs_entry *e)
{
	struct statx sx;
	int flags = (follow ? 0 : AT_SYMLINK_NOFOLLOW) |
		    (*path ? 0 : AT_EMPTY_PATH);
	if (statx(at, path, flags, STATX_TYPE | STATX_MODE | STATX_UID, &sx) < 0)
		return -1;
	unsigned long long a = sx.stx_attributes & sx.stx_attributes_mask;
	*e = (fs_entry){sx.stx_mode, sx.stx_uid,
			(a & STATX_ATTR_IMMUTABLE) != 0,
			(a & STATX_ATTR_APPEND) != 0};
	return 0;
}

int fs_entry_at(int at, const char *path, fs_entry *e)
{
	return entry_at(at, path, 0, e);
}

int fs_append_only_at(int at, const char *dir)
{
	fs_entry e;
	return entry_at(at, dir, 1, &e) == 0 && e.append_only;
}

int fs_append_only(const char *dir)
{
	return fs_append_only_at(AT_FDCWD, dir);
}

int fs_immutable(const char *path)
{
	fs_entry e;
	return entry_at(AT_FDCWD, path, 1, &e) == 0 && e.immutable;
}

int fs_flag_words_of(const fs_entry *e, fs_flag_words *w)
{
	int folder = S_ISDIR(e->mode);
	if (e->immutable)
		*w = (fs_flag_words){"immutable", folder ? "lsattr -d shows an i" :
				     "lsattr shows an i", "chattr -i", 'i'};
	else if (e->append_only)
		*w = (fs_flag_words){"append-only", folder ? "lsattr -d shows an a" :
				     "lsattr shows an a", "chattr -a", 'a'};
	return e->immutable || e->append_only;
}

char *fs_folder_of(const char *path, const char *none)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(none);
	return slash == path ? xstrdup("/") :
	       xstrndup(path, (size_t)(slash - path));
}

const char *fs_why_unreplaceable_at(int at, const char *path)
{
	char *dir = fs_folder_of(path, ".");
	/* the folder, opened once as a path only: its file system, its
	 * mode and owner, and its real path, /dev found by that (a tmpfs,
	 * so not by its magic number: /dev/stdout is a link root would
	 * replace with a file) */
	int kernel = 0, devices = 0, have_folder = 0;
	struct stat folder;
	int dfd = openat(at, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd >= 0) {
		struct statfs fs;
		kernel = fstatfs(dfd, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC ||
						    fs.f_type == SYSFS_MAGIC);
		have_folder = fstat(dfd, &folder) == 0;
		char proc[64], real[PATH_MAX];
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", dfd);
		ssize_t n = readlink(proc, real, sizeof real - 1);
		if (n > 0) {
			real[n] = '\0';
			devices = !strcmp(real, "/dev") || !strncmp(real, "/dev/", 5);
		}
		close(dfd);
	}
	if (kernel)
		return "its folder is in /proc or /sys, the kernel's, where no "
		       "file can be written; give another path";
	const char *in_dev = devices ? "its folder is in /dev, the system's "
				       "devices, where partnermap writes "
				       "nothing; give another path" : NULL;
	fs_entry e;
	if (fs_entry_at(at, path, &e) < 0)
		return in_dev; /* not there: made afresh, but not in /dev */
	mode_t type = e.mode & S_IFMT;
	if (type == S_IFCHR || type == S_IFBLK)
		return "it is a device, which partnermap never replaces; give "
		       "the path of a file";
	if (type == S_IFIFO)
		return "it is a named pipe, which partnermap never replaces; "
		       "give the path of a file";
	if (type == S_IFSOCK)
		return "it is a socket, which partnermap never replaces; give "
		       "the path of a file";
	if (type != S_IFREG && type != S_IFLNK)
		return "it is not a file; give the path of a file";
	struct stat to;
	if (type == S_IFLNK && fstatat(at, path, &to, 0) == 0 &&
	    !S_ISREG(to.st_mode))
		return "it is a symbolic link to something that is not a file "
		       "(a device, a pipe, a folder: /dev/stdout, say), which "
		       "partnermap would replace with a file; give the path "
		       "of a file";
	if (in_dev)
		return in_dev;
	if (e.immutable || e.append_only)
		return e.immutable ?
		       "it is immutable (lsattr shows an i): it cannot be "
		       "replaced; clear the flag (chattr -i) or give another "
		       "path" :
		       "it is append-only (lsattr shows an a): it cannot be "
		       "replaced; clear the flag (chattr -a) or give another "
		       "path";
	if (have_folder && (folder.st_mode & S_ISVTX) && geteuid() != 0 &&
	    e.uid != geteuid() && folder.st_uid != geteuid())
		return "another user owns it, in a folder with the sticky bit "
		       "(as /tmp), where only its owner may replace it; give "
		       "another path";
	return NULL;
}

static int replace_open(fs_writer *w, int at, const char *name, mode_t mode);

int fs_replace_open_at(fs_writer *w, int at, const char *name)
{
	return replace_open(w, at, name, 0644);
}

int fs_replace_open_mode(fs_writer *w, const char *path, mode_t mode)
{
	return replace_open(w, AT_FDCWD, path, mode);
}

static int replace_open(fs_writer *w, int at, const char *name, mode_t mode)
{
	*w = (fs_writer){.fd = -1, .b = BUF_INIT, .dir = at};
	/* the temporary file could be neither renamed nor removed there */
	const char *end = strrchr(name, '/');
	char *dir = fs_folder_of(name, at == AT_FDCWD ? "." : "");
	int append_only = fs_append_only_at(at, dir);
	free(dir);
	if (append_only) {
		errno = EPERM;
		return -1;
	}
	/* a name no one can guess and plant first: 64 random bits
	 * (getrandom(2)), tried again on the rare name taken. A hidden
	 * file's is its own name and those bits, so that one a killed
	 * process left is known for its (stage.c removes the build's);
	 * any other's, or one too long for a name (the output folder's
	 * own name may take most of the 255 bytes a name may have), is
	 * short */
	const char *last = end ? end + 1 : name;
	size_t dir_len = (size_t)(last - name), last_len = strlen(last);
	int own = last[0] == '.' && last_len + FS_TMP_TAIL <= NAME_MAX;
	char *tmp = NULL;
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		unsigned long long r = 0;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r ^= (unsigned long long)getpid() << 32 ^ (unsigned)tries;
		free(tmp);
		tmp = own ? xasprintf("%s.%016llx.tmp", name, r)
			  : xasprintf("%.*s.partnermap-%016llx.tmp",
				      (int)dir_len, name, r);
		fd = openat(at, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;
		free(tmp);
		errno = e;
		return -1;
	}
	w->fd = fd;
	w->tmp = tmp;
	w->path = xstrdup(name);
	return 0;
}

int fs_replace_open(fs_writer *w, const char *path)
{
	return fs_replace_open_at(w, AT_FDCWD, path);
}

int fs_replace_at(int at, const char *name, const void *data, size_t n)
{
	fs_writer w;
	if (fs_replace_open_at(&w, at, name) < 0)
		return -1;
	fs_writer_put(&w, data, n);
	return fs_replace_close(&w, 1);
}

int fs_writer_flush(fs_writer *w)
{
	if (w->b.len && !w->bad && w->fd >= 0) {
		if (w->seen)
			w->seen(w->ctx, w->b.ptr, w->b.len);
		if (fs_write_fd(w->fd, w->b.ptr, w->b.len) < 0)
			w->bad = errno ? errno : EIO;
	}
	buf_reset(&w->b);
	return w->bad ? -1 : 0;
}

void fs_writer_more(fs_writer *w)
{
	if (w->b.len >= FS_WRITER_CHUNK)
		fs_writer_flush(w);
}

void fs_writer_put(fs_writer *w, const void *p, size_t n)
{
	if (n >= FS_WRITER_CHUNK) { /* large: no copy through the buffer */
		fs_writer_flush(w);
		if (!w->bad && w->fd >= 0) {
			if (w->seen)
				w->seen(w->ctx, p, n);
			if (fs_write_fd(w->fd, p, n) < 0)
				w->bad = errno ? errno : EIO;
		}
		return;
	}
	buf_put(&w->b, p, n);
	fs_writer_more(w);
}

int fs_replace_close(fs_writer *w, int keep)
{
	int rc = -1;
	if (w->fd >= 0) {
		rc = fs_writer_flush(w);
		if (close(w->fd) < 0)
			rc = -1;
		else if (rc < 0)
			errno = w->bad; /* the write that failed */
		if (rc == 0 && keep && renameat(w->dir, w->tmp, w->dir, w->path) == 0)
			rc = 0;
		else {
			int e = errno;
			unlinkat(w->dir, w->tmp, 0);
			errno = e;
			rc = -1;
		}
	}
	buf_free(&w->b);
	free(w->tmp);
	free(w->path);
	*w = (fs_writer){.fd = -1, .b = BUF_INIT, .dir = AT_FDCWD};
	return rc;
}

int fs_write_fd(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fs_write(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		      0644);
	if (fd < 0)
		return -1;
	if (fs_write_fd(fd, data, n) < 0)
		return close_failed(fd);
	return close(fd);
}

/* The folder itself first: on a site's thousands of pages its parents
 * exist, and one mkdir is all it costs (a mkdir of every folder from the
 * root, each failing with EEXIST, took the parents' locks for nothing). */
int fs_mkdirs(const char *path)
{
	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST) {
		if (fs_is_dir(path))
			return 0;
		errno = EEXIST;
		return -1;
	}
	if (errno != ENOENT)
		return -1;
	/* a folder above it is missing: make that, then this one */
	char *parent = xstrdup(path);
	size_t n = strlen(parent);
	while (n > 1 && parent[n - 1] == '/')
		n--;
	while (n > 0 && parent[n - 1] != '/')
		n--;
	while (n > 1 && parent[n - 1] == '/')
		n--;
	parent[n] = '\0';
	int rc = -1, e = ENOENT;
	if (n > 0 && strcmp(parent, "/")) {
		rc = fs_mkdirs(parent);
		e = errno;
	}
	free(parent);
	if (rc < 0) {
		errno = e;
		return -1;
	}
	if (mkdir(path, 0755) == 0 || (errno == EEXIST && fs_is_dir(path)))
		return 0;
	return -1;
}

char *fs_dotdot_missing(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2) && p > path) {
			/* the folder before: path up to p, without its slashes */
			size_t end = (size_t)(p - path);
			while (end > 1 && path[end - 1] == '/')
				end--;
			char *before = xstrndup(path, end);
			if (!fs_is_dir(before))
				return before;
			free(before);
		}
		p += n;
		p += strspn(p, "/");
	}
	return NULL;
}

/* 1 when the n bytes at p are the name "..". */
static int is_dotdot(const char *p, size_t n)
{
	return n == 2 && p[0] == '.' && p[1] == '.';
}

char *fs_lexical(const char *path)
{
	size_t max = strlen(path) / 2 + 1, top = 0, ups = 0;
	const char **name = xcalloc(max, sizeof *name);
	size_t *len = xcalloc(max, sizeof *len);
	int absolute = path[0] == '/';
	for (const char *p = path; *p;) {
		p += strspn(p, "/");
		size_t n = strcspn(p, "/");
		if (is_dotdot(p, n) && top > ups)
			top--; /* the name before goes with it */
		else if (is_dotdot(p, n) && !absolute)
			ups++, name[top] = p, len[top++] = n; /* "../x" stays */
		else if (n && !(n == 1 && p[0] == '.') && !is_dotdot(p, n))
			name[top] = p, len[top++] = n;
		p += n;
	}
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < top; i++)
		buf_printf(&b, "%s%.*s", i || absolute ? "/" : "", (int)len[i],
			   name[i]);
	if (!top)
		buf_puts(&b, absolute ? "/" : ".");
	free(name);
	free(len);
	return buf_detach(&b);
}

char *fs_dotdot_problem(const char *path, const char *opt)
{
	char *missing = fs_dotdot_missing(path);
	if (!missing)
		return NULL;
	char *meant = fs_lexical(path);
	/* control characters written out, as every message has them */
	char *m = diag_visible(missing), *w = diag_visible(meant);
	buf_t b = BUF_INIT;
	buf_printf(&b, "there is no folder '%s', so '%s/..' leads nowhere: "
		   "write %s %s, or create %s first", m, m, opt, w, m);
	FREE_ALL(meant, missing, m, w);
	return buf_detach(&b);
}

int fs_chmod_opened(int fd, mode_t mode)
{
	if (fchmod(fd, mode) == 0)
		return 0;
	if (fd < 0 || errno != EBADF) /* EBADF: an O_PATH descriptor */
		return -1;
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return chmod(proc, mode);
}

int fs_open_own_dir(int at, const char *name, const struct stat *was,
		    struct stat *now)
{
	int fd = openat(at, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, now) == 0 && S_ISDIR(now->st_mode) &&
	    now->st_uid == geteuid() &&
	    (!was || (now->st_ino == was->st_ino && now->st_dev == was->st_dev)))
		return fd;
	close(fd);
	errno = EPERM;
	return -1;
}

/* The folder name in at, which fstatat found as *st, given u+rwx when it
 * is this user's and lacks one of them, and only when it is still that
 * folder (fs_open_own_dir). */
static void let_owner_in(int at, const char *name, const struct stat *st)
{
	if (st->st_uid != geteuid() || (st->st_mode & 0700) == 0700)
		return;
	struct stat now;
	int fd = fs_open_own_dir(at, name, st, &now);
	if (fd < 0)
		return;
	(void)fs_chmod_opened(fd, (now.st_mode & 07777) | 0700);
	close(fd);
}

/* A name on the way down from fs_remove_below's folder: the chain up to
 * it, its path built only when something fails. */
typedef struct rm_way {
	const struct rm_way *up;
	const char *name;
} rm_way;

/* The path of w from the top ("a/b/c"): fresh. */
static char *rm_path(const rm_way *w)
{
	if (!w->up)
		return xstrdup(w->name);
	char *above = rm_path(w->up), *path = fs_join(above, w->name);
	free(above);
	return path;
}

/* What a removal failed on: the first failure's path (when asked for)
 * and errno, and how many entries would not go. */
typedef struct rm_fails {
	char **failed;
	int e;
	size_t n;
} rm_fails;

/* The failure of the step at w, with errno: counted, and the first kept.
 * -1. */
static int rm_failed(const rm_way *w, rm_fails *f)
{
	if (!f->n++) {
		f->e = errno;
		if (f->failed)
			*f->failed = rm_path(w);
	}
	return -1;
}

static int remove_in(int at, const rm_way *w, rm_fails *f)
{
	struct stat st;
	if (fstatat(at, w->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : rm_failed(w, f);
	if (!S_ISDIR(st.st_mode))
		return unlinkat(at, w->name, 0) < 0 && errno != ENOENT ?
			rm_failed(w, f) : 0;
	let_owner_in(at, w->name, &st);
	int fd = openat(at, w->name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return rm_failed(w, f);
	DIR *d = fdopendir(fd);
	if (!d) {
		rm_failed(w, f);
		close(fd);
		return -1;
	}
	struct dirent *ent;
	int rc = 0;
	while ((ent = readdir(d))) {
		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		rm_way sub = {w, ent->d_name};
		if (remove_in(fd, &sub, f) < 0)
			rc = -1;
	}
	closedir(d);
	if (rc == 0 && unlinkat(at, w->name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = rm_failed(w, f);
	return rc;
}

int fs_remove_below(int at, const char *name, char **failed, size_t *count)
{
	rm_way top = {NULL, name};
	rm_fails f = {failed, 0, 0};
	if (failed)
		*failed = NULL;
	int rc = remove_in(at, &top, &f);
	if (count)
		*count = f.n;
	if (rc < 0 && f.n)
		errno = f.e;
	return rc;
}

int fs_remove_at(int at, const char *name)
{
	char *failed;
	int rc = fs_remove_below(at, name, &failed, NULL);
	int e = errno;
	free(failed);
	errno = e;
	return rc;
}

int fs_remove_tree(const char *path)
{
	return fs_remove_at(AT_FDCWD, path);
}

int fs_copy(const char *from, const char *to)
{
	buf_t b = BUF_INIT;
	int rc = fs_read(from, &b);
	if (rc == 0)
		rc = fs_write(to, b.ptr, b.len);
	int e = errno;
	buf_free(&b);
	errno = e;
	return rc;
}

int fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the folder dir (opened from at, with open_flags added) but
 * "." and "..", sorted; hidden ones too when hidden is 1. */
static int list_names(int at, const char *dir, int open_flags, int hidden,
		      char ***names, size_t *count)
{
	*names = NULL;
	*count = 0;
	int fd = openat(at, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | open_flags);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close_failed(fd);
		return -1;
	}
	size_t n = 0, cap = 0;
	char **v = xgrow(NULL, &cap, 1, sizeof *v, 16);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (!hidden && e->d_name[0] == '.'))
			continue;
		v = xgrow(v, &cap, n + 2, sizeof *v, 16); /* and the NULL */
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_names);
	v[n] = NULL;
	*names = v;
	*count = n;
	return 0;
}

void fs_folder_identity(const char *dir, buf_t *out)
{
	char **names = NULL;
	size_t n = 0;
	if (fs_list_all(dir, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i]);
		struct stat st;
		if (lstat(path, &st) == 0)
			buf_printf(out, "%s %lld %lld.%09ld %lld.%09ld %llu\n",
				   names[i], (long long)st.st_size,
				   (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
				   (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
				   (unsigned long long)st.st_ino);
		else
			buf_printf(out, "%s -\n", names[i]);
		free(path);
	}
	fs_free_list(names);
}

int fs_list(const char *dir, char ***names, size_t *count)
{
	return list_names(AT_FDCWD, dir, 0, 0, names, count);
}

int fs_list_all(const char *dir, char ***names, size_t *count)
{
	return list_names(AT_FDCWD, dir, 0, 1, names, count);
}

int fs_list_at(int at, const char *dir, char ***names, size_t *count)
{
	return list_names(at, dir, O_NOFOLLOW, 1, names, count);
}

void fs_free_list(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

char *fs_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

static char program_hex[DIGEST_SHA256_HEX];

static void digest_program(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	struct sha256_ctx h;
	sha256_init(&h);
	unsigned char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			sha256_update(&h, (size_t)n, chunk);
	close(fd);
	if (n == 0)
		digest_sha256_end(&h, program_hex);
}

const char *fs_program_digest(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, digest_program);
	return program_hex;
}

/* One line of /proc/self/maps: the device and inode of the file mapped,
 * and its path, into the caller's; 1 when it maps a shared object (a
 * file whose name holds ".so"), else 0. */
static int mapped_object(const char *line, unsigned *maj, unsigned *min,
			 unsigned long long *ino, char *path, size_t cap)
{
	int at = 0;
	if (sscanf(line, "%*s %*s %*s %x:%x %llu %n", maj, min, ino, &at) != 3 ||
	    !at || line[at] != '/' || !*ino)
		return 0;
	size_t n = strcspn(line + at, "\n");
	if (n >= cap)
		return 0;
	memcpy(path, line + at, n);
	path[n] = '\0';
	const char *base = strrchr(path, '/') + 1;
	return strstr(base, ".so") != NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *fs_maps_digest(const char *maps, dev_t skip_dev, ino_t skip_ino)
{
	/* a line per mapping, in address order, which ASLR varies between
	 * runs: the objects' lines are sorted, each once */
	char **v = NULL, *path = xmalloc(PATH_MAX);
	size_t n = 0, cap = 0;
	for (const char *line = maps; line && *line;) {
		const char *nl = strchr(line, '\n');
		unsigned maj, min;
		unsigned long long ino;
		if (mapped_object(line, &maj, &min, &ino, path, PATH_MAX) &&
		    !(makedev(maj, min) == skip_dev && ino == skip_ino)) {
			/* what was mapped; the path's times only while it is
			 * still that file (not renamed over since) */
			struct stat sb;
			v = xgrow(v, &cap, n + 1, sizeof *v, 64);
			v[n++] = stat(path, &sb) == 0 && sb.st_ino == ino &&
					 sb.st_dev == makedev(maj, min) ?
				xasprintf("%s %x:%x %llu %lld %lld.%09ld %lld.%09ld\n",
					  path, maj, min, ino, (long long)sb.st_size,
					  (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
					  (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec) :
				xasprintf("%s %x:%x %llu replaced\n", path, maj, min, ino);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(path);
	if (n)
		qsort(v, n, sizeof *v, cmp_str);
	struct sha256_ctx h;
	sha256_init(&h);
	for (size_t k = 0; k < n; k++) {
		if (!k || strcmp(v[k], v[k - 1]))
			sha256_update(&h, strlen(v[k]), (const uint8_t *)v[k]);
		if (k)
			free(v[k - 1]);
	}
	if (n)
		free(v[n - 1]);
	free(v);
	char *hex = xmalloc(DIGEST_SHA256_HEX);
	return digest_sha256_end(&h, hex);
}

static char libraries_hex[DIGEST_SHA256_HEX];

static void digest_libraries(void)
{
	buf_t maps = BUF_INIT;
	struct stat exe = {0};
	stat("/proc/self/exe", &exe); /* the program: known by its bytes */
	if (fs_read("/proc/self/maps", &maps) == 0) {
		char *hex = fs_maps_digest(buf_cstr(&maps), exe.st_dev, exe.st_ino);
		memcpy(libraries_hex, hex, sizeof libraries_hex);
		free(hex);
	}
	buf_free(&maps);
}

const char *fs_libraries_digest(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, digest_libraries);
	return libraries_hex;
}
