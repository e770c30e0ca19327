/* safefs.c - confined, bounded reads of an untrusted folder (safefs.h). */
#include "safefs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHAPEFILE_FIX \
	"use a smaller or more generalised shapefile (a world map needs no " \
	"more detail than Natural Earth's 1:50m)"

/* The limit of each kind, what messages call such a file, and what to do
 * about one that is too large. */
static const struct kind_info {
	size_t limit;
	const char *noun;
	const char *fix;
} kinds[] = {
	[SFS_CONTENT] = {PM_MAX_CONTENT, "a record", "shorten it"},
	[SFS_NETWORK] = {PM_MAX_CONTENT, "a network", "shorten it"},
	[SFS_PAGE] = {PM_MAX_CONTENT, "a page", "shorten it"},
	[SFS_I18N] = {PM_MAX_I18N, "a translation file",
		      "shorten it: it needs only the texts of the theme"},
	[SFS_ARCHETYPE] = {PM_MAX_ARCHETYPE, "an archetype",
			   "shorten it: it is only the start of a new file"},
	[SFS_CONFIG] = {PM_MAX_CONFIG, "site.yml", "shorten it"},
	[SFS_TEMPLATE] = {PM_MAX_TEMPLATE, "a template",
			  "split it into partials"},
	[SFS_ASSET] = {PM_MAX_ASSET, "a theme asset",
		       "make it smaller (compress the image, minify the script)"},
	[SFS_SHP] = {PM_MAX_SHP, "a .shp file", SHAPEFILE_FIX},
	[SFS_SHX] = {PM_MAX_SHX, "a .shx file", SHAPEFILE_FIX},
	[SFS_DBF] = {PM_MAX_DBF, "a .dbf file", SHAPEFILE_FIX},
	[SFS_PRJ] = {PM_MAX_PRJ, "a .prj file",
		     "it should hold one coordinate reference system as WKT"},
	[SFS_CPG] = {PM_MAX_CPG, "a .cpg file",
		     "it should hold only the name of an encoding, such as UTF-8"},
	[SFS_BUNDLE] = {PM_MAX_BUNDLE_FILE, "a file of a page bundle",
			"make it smaller, or link to it on the institution's "
			"own website"},
};

size_t sfs_limit(sfs_kind kind)
{
	return kinds[kind].limit;
}

/* ---- roots --------------------------------------------------------------- */

int sfs_root_init(sfs_root *r, const char *dir, const char *what)
{
	memset(r, 0, sizeof *r);
	r->what = what;
	r->real = realpath(dir, NULL);
	if (!r->real) {
		r->err = errno;
		return -1;
	}
	r->len = strlen(r->real);
	return 0;
}

void sfs_root_free(sfs_root *r)
{
	free(r->real);
	memset(r, 0, sizeof *r);
}

/* Is the real path p the root or below it? */
static int inside(const sfs_root *r, const char *p)
{
	if (r->len == 1) /* the root is "/" */
		return p[0] == '/';
	return !strncmp(p, r->real, r->len) &&
	       (p[r->len] == '/' || p[r->len] == '\0');
}

static char *under(const sfs_root *r, const char *rel)
{
	return r->len == 1 ? xasprintf("/%s", rel)
			   : xasprintf("%s/%s", r->real, rel);
}

/* An absolute path, or one whose ".." climbs above where it starts. */
static int climbs_out(const char *rel)
{
	if (rel[0] == '/')
		return 1;
	long depth = 0;
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

int sfs_rel_stays_inside(const char *rel)
{
	return !climbs_out(rel);
}

int sfs_is_folder(const sfs_root *r, const char *rel)
{
	if (!r->real || climbs_out(rel))
		return 0;
	char *full = under(r, rel);
	char *real = realpath(full, NULL);
	struct stat st;
	int yes = real && inside(r, real) && stat(real, &st) == 0 &&
		  S_ISDIR(st.st_mode);
	free(real);
	free(full);
	return yes;
}

int sfs_missing(const sfs_root *r, const char *rel, char **folder)
{
	if (folder)
		*folder = NULL;
	if (!r->real || !*rel || climbs_out(rel))
		return 0;
	char *full = under(r, rel);
	struct stat st;
	if (lstat(full, &st) == 0 || (errno != ENOENT && errno != ENOTDIR)) {
		free(full);
		return 0;
	}
	/* the deepest folder on the way that exists: inside the root, or
	 * nothing is said */
	size_t n = strlen(full);
	char *real = NULL;
	int depth = 0;
	while (!real && n > r->len) {
		while (n > r->len && full[n - 1] != '/')
			n--;
		while (n > r->len && full[n - 1] == '/')
			n--;
		full[n] = '\0';
		real = realpath(full, NULL);
		depth++;
		if (!real && n > r->len && lstat(full, &st) == 0) {
			/* there, but not resolved: a link to nothing on the
			 * way, which a read tells as such */
			free(full);
			return 0;
		}
	}
	if (!real && n <= r->len)
		real = xstrdup(r->real);
	int missing = inside(r, real);
	if (missing && folder && depth == 1)
		*folder = real;
	else
		free(real);
	free(full);
	return missing;
}

/* ---- why a path is refused ------------------------------------------------ */

typedef enum why_kind {
	W_LEXICAL, /* absolute, or ".." out of the root */
	W_LINK,    /* a symbolic link (rel[0..link_len)) leads out of the root */
	W_LOOP,    /* symbolic links that never end */
	W_TYPE,    /* a folder, named pipe, device or socket */
	W_SIZE,    /* larger than the limit */
	W_GREW,    /* grew past the limit while it was read */
	W_CHANGED, /* replaced between resolving and opening */
	W_HIDDEN,  /* a hidden file, or inside a hidden folder, of the root */
	W_DANGLING /* a symbolic link (rel[0..link_len)) to nothing */
} why_kind;

typedef struct why {
	why_kind k;
	size_t link_len;          /* W_LINK, W_DANGLING */
	int target_dir;           /* W_LINK: the link names a folder */
	mode_t mode;              /* W_TYPE */
	unsigned long long size;  /* W_SIZE */
	char hidden[256];         /* W_HIDDEN: the hidden name (".git") */
	int hidden_dir;           /* W_HIDDEN: it is a folder */
	char target[256];         /* W_DANGLING: what the link says */
} why;

/* The first component of path p (relative, "/"-separated) whose name
 * starts with '.', other than "." and "..": 1 with its name and whether
 * more follows it (then it is a folder) in *w, or 0. */
static int hidden_in(const char *p, why *w)
{
	while (*p) {
		size_t n = strcspn(p, "/");
		int dots = (n == 1 && p[0] == '.') ||
			   (n == 2 && p[0] == '.' && p[1] == '.');
		if (n && p[0] == '.' && !dots) {
			w->k = W_HIDDEN;
			snprintf(w->hidden, sizeof w->hidden, "%.*s",
				 (int)(n < 255 ? n : 255), p);
			const char *rest = p + n;
			while (*rest == '/')
				rest++;
			w->hidden_dir = *rest != '\0';
			return 1;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

/* Does the real path p, inside r, lead into a hidden file or folder of r
 * (such as .git/config of a checkout, where CI keeps its token)? */
static int hidden_real(const sfs_root *r, const char *p, why *w)
{
	const char *tail = r->len == 1 ? p + 1 : p + r->len;
	while (*tail == '/')
		tail++;
	if (!hidden_in(tail, w))
		return 0;
	struct stat st;
	if (!w->hidden_dir && stat(p, &st) == 0 && S_ISDIR(st.st_mode))
		w->hidden_dir = 1;
	return 1;
}

/* Which symbolic link on rel's way leads out of the root: the first
 * prefix of rel that is a link whose resolved target lies outside.
 * 1 when one was found (w filled in). Whether it is told as a link to a
 * folder or to a file is its part in rel (a folder when more of rel
 * follows it; else want_dir), never what lies out there: a site may not
 * learn what the machine holds from its messages. */
static int blame(const sfs_root *r, const char *rel, int want_dir, why *w)
{
	if (!*rel)
		return 0;
	char *full = under(r, rel);
	size_t base = strlen(full) - strlen(rel);
	int found = 0;
	for (size_t i = base + 1; !found; i++) {
		char c = full[i];
		if (c != '/' && c != '\0')
			continue;
		full[i] = '\0';
		struct stat st;
		if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode)) {
			char *target = realpath(full, NULL);
			if (target && !inside(r, target)) {
				found = 1;
				w->k = W_LINK;
				w->link_len = i - base;
				w->target_dir = c != '\0' || want_dir;
			}
			free(target);
		}
		full[i] = c;
		if (c == '\0')
			break;
	}
	free(full);
	return found;
}

/* The first link_len bytes of rel as messages show them: shown is rel
 * with a prefix (the installed theme is shown as themes/<name>/...). */
static char *shown_prefix(const char *rel, const char *shown, size_t link_len)
{
	size_t nr = strlen(rel), ns = strlen(shown);
	if (ns >= nr && !strcmp(shown + ns - nr, rel))
		return xstrndup(shown, ns - nr + link_len);
	return xstrndup(rel, link_len);
}

static const char *type_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISFIFO(m))
		return "a named pipe (FIFO)";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "a special file";
}

static double unit_of(unsigned long long n, const char **name)
{
	if (n >= 1ull << 40) {
		*name = "TiB";
		return 1099511627776.0;
	}
	if (n >= 1ull << 30) {
		*name = "GiB";
		return 1073741824.0;
	}
	if (n >= 1ull << 20) {
		*name = "MiB";
		return 1048576.0;
	}
	*name = "KiB";
	return 1024.0;
}

/* "is 3.2 MiB; a record may be at most 1 MiB" (limits are whole KiB or
 * MiB; a size is given in KiB, MiB, GiB or TiB, "100.0 GiB"). When rounding would make the size look like the limit, the size
 * is given in bytes. With grew, size is the limit: "is more than 1 MiB". */
static void put_sizes(buf_t *m, unsigned long long size, int grew,
		      const struct kind_info *k)
{
	const char *su, *lu;
	double sdiv = unit_of(size, &su), ldiv = unit_of(k->limit, &lu);
	size_t whole = (size_t)(k->limit / ldiv);
	int blurred = !grew && !strcmp(su, lu) &&
		      floor((double)size / sdiv * 10 + 0.5) <= (double)whole * 10;
	if (grew)
		buf_printf(m, "more than %zu %s", whole, lu);
	else if (blurred)
		buf_printf(m, "%llu bytes", size);
	else
		buf_printf(m, "%.1f %s", (double)size / sdiv, su);
	buf_printf(m, "; %s may be at most %zu %s", k->noun, whole, lu);
	if (blurred)
		buf_printf(m, " (%zu bytes)", k->limit);
}

/* Report a refusal of rel (shown as shown) as a content error. */
static int refuse(const sfs_root *r, const char *rel, const char *shown,
		  sfs_kind kind, const why *w, diags_t *d)
{
	buf_t m = BUF_INIT;
	const struct kind_info *k = &kinds[kind];
	switch (w->k) {
	case W_LEXICAL:
		buf_printf(&m, "%s is not inside the %s: name a file inside "
			   "the %s, by a path relative to it", shown, r->what,
			   r->what);
		break;
	case W_LINK: {
		char *link = shown_prefix(rel, shown, w->link_len);
		const char *t = w->target_dir ? "folder" : "file";
		buf_printf(&m, "%s is a symbolic link to a %s outside the %s: "
			   "copy the %s into the %s instead", link, t, r->what,
			   t, r->what);
		free(link);
		break;
	}
	case W_LOOP:
		buf_printf(&m, "%s leads through symbolic links that never end "
			   "(a loop): replace the links with the file itself",
			   shown);
		break;
	case W_TYPE:
		if (S_ISDIR(w->mode))
			buf_printf(&m, "%s is a folder, not a file: name a file "
				   "instead", shown);
		else
			buf_printf(&m, "%s is %s, not a regular file: replace it "
				   "with an ordinary file", shown,
				   type_name(w->mode));
		break;
	case W_SIZE:
	case W_GREW:
		buf_printf(&m, "%s is ", shown);
		put_sizes(&m, w->size, w->k == W_GREW, k);
		buf_printf(&m, ": %s", k->fix);
		break;
	case W_HIDDEN:
		buf_printf(&m, "%s leads into the hidden %s %s of the %s, "
			   "which is never read (hidden files such as .git/config "
			   "may hold secrets): copy the file into the %s under a "
			   "name that does not start with '.' instead", shown,
			   w->hidden_dir ? "folder" : "file", w->hidden, r->what,
			   r->what);
		break;
	case W_DANGLING: {
		char *link = shown_prefix(rel, shown, w->link_len);
		char *target = diag_visible(w->target);
		/* site.yml removed is no site: only the link can be fixed */
		buf_printf(&m, "%s is a symbolic link that leads to nothing "
			   "(it names '%s'): %s it at what it stands for inside "
			   "the %s", link, target,
			   kind == SFS_CONFIG ? "point" : "remove it, or point",
			   r->what);
		free(target);
		free(link);
		break;
	}
	case W_CHANGED:
		buf_printf(&m, "%s changed while it was being opened (a file or "
			   "folder on its way was replaced): build from a "
			   "checkout nothing else is changing", shown);
		break;
	}
	diag_error(d, shown, 1, 1, "%s", buf_cstr(&m));
	buf_free(&m);
	return SFS_REFUSED;
}

/* ---- opening ---------------------------------------------------------------- */

/* The kernel's own name for fd, where /proc tells it, is real: no folder
 * on the way was swapped for a link after realpath looked. 1 when it
 * matches or cannot be told. */
static int same_name(int fd, const char *real)
{
	char link[64], got[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, got, sizeof got - 1);
	if (n < 0 || (size_t)n >= sizeof got - 1)
		return 1;
	got[n] = '\0';
	return !strcmp(got, real);
}

/* Whether the symbolic link at full (a path under r's real path), read
 * as it is written, leads out of the root: its target taken from the
 * link's own folder, "." and ".." taken by their letters. */
static int leads_out(const sfs_root *r, const char *full)
{
	char target[PATH_MAX];
	ssize_t k = readlink(full, target, sizeof target - 1);
	if (k <= 0)
		return 0;
	target[k] = '\0';
	char *dir = xstrdup(full);
	*strrchr(dir, '/') = '\0';
	char *real_dir = realpath(*dir ? dir : "/", NULL);
	free(dir);
	if (!real_dir)
		return 0;
	char *path = target[0] == '/' ? xstrdup(target) :
				      xasprintf("%s/%s", real_dir, target);
	free(real_dir);
	/* lexically: a stack of the names kept */
	char *out = xcalloc(strlen(path) + 2, 1);
	size_t len = 0;
	for (char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--;
		} else if (n && !(n == 1 && p[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	out[len] = '\0';
	int outside = !inside(r, len ? out : "/");
	free(out);
	free(path);
	return outside;
}

/* Whether a name on rel's way (rel itself included) is a symbolic link
 * to nothing, when rel cannot be resolved: then *w says which (W_DANGLING)
 * and what it names. A name simply missing is not: its caller knows
 * whether that matters. A link to nothing whose words lead out of the
 * root is told as a link out (W_LINK, its part in rel making it a
 * folder or a file: blame), as one to something there is: whether a
 * path exists out there is never told. */
static int dangling(const sfs_root *r, const char *rel, int want_dir, why *w)
{
	for (size_t i = 1;; i++) {
		if (rel[i] != '/' && rel[i] != '\0')
			continue;
		char *name = xstrndup(rel, i);
		char *full = under(r, name);
		free(name);
		struct stat ls, st;
		int there = lstat(full, &ls) == 0;
		int to_nothing = there && S_ISLNK(ls.st_mode) &&
				 stat(full, &st) < 0 &&
				 (errno == ENOENT || errno == ENOTDIR);
		if (to_nothing && leads_out(r, full)) {
			w->k = W_LINK;
			w->link_len = i;
			w->target_dir = rel[i] != '\0' || want_dir;
		} else if (to_nothing) {
			ssize_t k = readlink(full, w->target, sizeof w->target - 1);
			w->target[k > 0 ? k : 0] = '\0';
			w->k = W_DANGLING;
			w->link_len = i;
		}
		free(full);
		if (to_nothing || !there || !rel[i])
			return to_nothing;
	}
}

/* Resolve rel under r, check it, open it (a folder when want_dir). 0 with
 * *fd, *st and (if real_out) its real path; SFS_IO with errno; or
 * SFS_REFUSED with *w filled in and nothing reported yet. */
static int open_in(const sfs_root *r, const char *rel, int want_dir, int *fd,
		   struct stat *st, char **real_out, why *w)
{
	memset(w, 0, sizeof *w);
	if (!r->real) {
		errno = r->err;
		return SFS_IO;
	}
	if (climbs_out(rel)) {
		w->k = W_LEXICAL;
		return SFS_REFUSED;
	}
	char *full = under(r, rel);
	char *real = realpath(full, NULL);
	int e = errno;
	free(full);
	if (!real) {
		if (e == ELOOP) {
			w->k = W_LOOP;
			return SFS_REFUSED;
		}
		if ((e == ENOENT || e == ENOTDIR) && dangling(r, rel, want_dir, w))
			return SFS_REFUSED;
		/* missing beyond a link out of the root: refused as the link
		 * is, so that whether a file exists out there is never told
		 * (a pull request could probe the machine with it) */
		if ((e == ENOENT || e == ENOTDIR) && blame(r, rel, want_dir, w))
			return SFS_REFUSED;
		errno = e;
		return SFS_IO;
	}
	int rc = SFS_REFUSED;
	struct stat before;
	*fd = -1;
	if (!inside(r, real)) {
		if (!blame(r, rel, want_dir, w))
			w->k = W_CHANGED;
		goto out;
	}
	if (hidden_in(rel, w) || hidden_real(r, real, w))
		goto out;
	if (stat(real, &before) < 0) {
		rc = SFS_IO;
		goto out;
	}
	if (want_dir && !S_ISDIR(before.st_mode)) {
		errno = ENOTDIR;
		rc = SFS_IO;
		goto out;
	}
	if (!want_dir && !S_ISREG(before.st_mode)) {
		w->k = W_TYPE;
		w->mode = before.st_mode;
		goto out;
	}
	*fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
			 O_NOCTTY | (want_dir ? O_DIRECTORY : 0));
	if (*fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			w->k = W_CHANGED;
		else
			rc = SFS_IO;
		goto out;
	}
	if (fstat(*fd, st) < 0) {
		rc = SFS_IO;
		goto out;
	}
	if (st->st_dev != before.st_dev || st->st_ino != before.st_ino ||
	    (st->st_mode & S_IFMT) != (before.st_mode & S_IFMT) ||
	    !same_name(*fd, real)) {
		w->k = W_CHANGED;
		goto out;
	}
	rc = SFS_OK;
out:
	e = errno;
	if (rc != SFS_OK && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	if (rc == SFS_OK && real_out)
		*real_out = real;
	else
		free(real);
	errno = e;
	return rc;
}

/* ---- reading ---------------------------------------------------------------- */

/* Read fd to its end into out, but never more than limit + 1 bytes: 0,
 * 1 when there was more than limit, or -1 with errno. */
#define READ_CHUNK 65536 /* bytes the buffer grows by when a read fills it */

static int read_bounded(int fd, size_t limit, size_t expect, buf_t *out)
{
	size_t got = 0;
	buf_grow(out, expect < limit ? expect + 1 : limit + 1);
	while (got <= limit) {
		size_t room = out->cap - out->len - 1;
		if (room < READ_CHUNK) {
			buf_grow(out, READ_CHUNK);
			room = out->cap - out->len - 1;
		}
		if (room > limit + 1 - got)
			room = limit + 1 - got;
		ssize_t n = read(fd, out->ptr + out->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		out->len += (size_t)n;
		got += (size_t)n;
	}
	out->ptr[out->len] = '\0';
	return got > limit;
}

/* Read the open regular file fd (its fstat in st) into out within the
 * limit of kind, and close it. */
static int read_open(int fd, const struct stat *st, const sfs_root *r,
		     const char *rel, const char *shown, sfs_kind kind,
		     buf_t *out, diags_t *d)
{
	why w = {0};
	size_t limit = kinds[kind].limit, start = out->len;
	if ((unsigned long long)st->st_size > limit) {
		close(fd);
		w.k = W_SIZE;
		w.size = (unsigned long long)st->st_size;
		return refuse(r, rel, shown, kind, &w, d);
	}
	int more = read_bounded(fd, limit, (size_t)st->st_size, out);
	int e = errno;
	close(fd);
	if (more != 0) {
		out->len = start;
		out->ptr[start] = '\0';
	}
	if (more < 0) {
		errno = e;
		return SFS_IO;
	}
	if (more > 0) {
		w.k = W_GREW;
		w.size = limit;
		return refuse(r, rel, shown, kind, &w, d);
	}
	return SFS_OK;
}

int sfs_read(const sfs_root *r, const char *rel, const char *shown,
	     sfs_kind kind, buf_t *out, diags_t *d)
{
	int fd;
	struct stat st;
	why w;
	int rc = open_in(r, rel, 0, &fd, &st, NULL, &w);
	if (rc == SFS_REFUSED)
		return refuse(r, rel, shown, kind, &w, d);
	if (rc != SFS_OK)
		return rc;
	return read_open(fd, &st, r, rel, shown, kind, out, d);
}

/* The folder's descriptor pins the checked folder, and O_NOFOLLOW keeps
 * the name from being a link, so what opens is a child of a folder inside
 * the root. Opening before looking means a special file put there after
 * the listing would be opened (without blocking: O_NONBLOCK) before it is
 * refused; sfs_read looks first. */
int sfs_read_entry(const sfs_root *r, const sfs_listing *l, size_t i,
		   const char *rel, const char *shown, sfs_kind kind,
		   buf_t *out, diags_t *d)
{
	const sfs_entry *e = &l->v[i];
	if (l->fd < 0 || e->is_link)
		return sfs_read(r, rel, shown, kind, out, d);
	why w = {0};
	int fd = openat(l->fd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
					O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ELOOP) {
		w.k = W_CHANGED;
		return refuse(r, rel, shown, kind, &w, d);
	}
	if (fd < 0)
		return SFS_IO;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int err = errno;
		close(fd);
		errno = err;
		return SFS_IO;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		w.k = W_TYPE;
		w.mode = st.st_mode;
		return refuse(r, rel, shown, kind, &w, d);
	}
	return read_open(fd, &st, r, rel, shown, kind, out, d);
}

/* ---- listing ---------------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const sfs_entry *)a)->name, ((const sfs_entry *)b)->name);
}

/* What the entry name of folder real (rel under r; open as dfd) is: 0
 * with *is_dir, or -1 with *w saying why it may not be read. A link whose
 * target is missing counts as a file: reading it says so. */
static int classify(const sfs_root *r, int dfd, const char *real,
		    const char *erel, const struct dirent *e, int *is_dir,
		    int *is_link, why *w)
{
	mode_t mode;
	*is_dir = *is_link = 0;
	memset(w, 0, sizeof *w);
	switch (e->d_type) {
	case DT_REG: return 0;
	case DT_DIR: *is_dir = 1; return 0;
	case DT_FIFO: mode = S_IFIFO; break;
	case DT_CHR: mode = S_IFCHR; break;
	case DT_BLK: mode = S_IFBLK; break;
	case DT_SOCK: mode = S_IFSOCK; break;
	default: {
		struct stat st;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return 0;
		mode = st.st_mode;
		if (!S_ISLNK(mode))
			break;
		*is_link = 1;
		char *path = xasprintf("%s/%s", real, e->d_name);
		char *target = realpath(path, NULL);
		int err = errno;
		free(path);
		if (!target) {
			if (err != ELOOP)
				return 0;
			w->k = W_LOOP;
			return -1;
		}
		int in = inside(r, target), ok = stat(target, &st) == 0;
		int hid = in && hidden_real(r, target, w);
		free(target);
		if (hid)
			return -1;
		if (!in) {
			w->k = W_LINK;
			w->link_len = strlen(erel);
			w->target_dir = ok && S_ISDIR(st.st_mode);
			return -1;
		}
		if (!ok)
			return 0;
		mode = st.st_mode;
	}
	}
	if (S_ISREG(mode))
		return 0;
	if (S_ISDIR(mode)) {
		*is_dir = 1;
		return 0;
	}
	w->k = W_TYPE;
	w->mode = mode;
	return -1;
}

int sfs_list(const sfs_root *r, const char *rel, const char *shown,
	     sfs_listing *out, diags_t *d)
{
	out->v = NULL;
	out->n = 0;
	out->fd = -1;
	out->refused = NULL;
	out->nrefused = 0;
	out->nonascii = 0;
	int fd;
	struct stat st;
	char *real = NULL;
	why w;
	int rc = open_in(r, rel, 1, &fd, &st, &real, &w);
	if (rc == SFS_REFUSED)
		return refuse(r, rel, shown, SFS_CONTENT, &w, d);
	if (rc != SFS_OK)
		return rc;
	/* readdir gets its own descriptor; fd stays open for the reads */
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *dir = dup < 0 ? NULL : fdopendir(dup);
	if (!dir) {
		int e = errno;
		if (dup >= 0)
			close(dup);
		close(fd);
		free(real);
		errno = e;
		return SFS_IO;
	}
	out->fd = fd;
	size_t cap = 16;
	out->v = xreallocarray(NULL, cap, sizeof *out->v);
	struct dirent *e;
	rc = SFS_OK;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		char *erel = xasprintf("%s/%s", rel, e->d_name);
		int is_dir, is_link;
		if (classify(r, fd, real, erel, e, &is_dir, &is_link, &w) < 0) {
			char *eshown = xasprintf("%s/%s", shown, e->d_name);
			rc = refuse(r, erel, eshown, SFS_CONTENT, &w, d);
			free(eshown);
			out->refused = xreallocarray(out->refused,
						     out->nrefused + 1,
						     sizeof *out->refused);
			out->refused[out->nrefused++] = xstrdup(e->d_name);
		} else {
			out->v = xgrow(out->v, &cap, out->n + 1,
				       sizeof *out->v, 16);
			sfs_entry *x = &out->v[out->n++];
			x->name = xstrdup(e->d_name);
			x->is_dir = is_dir;
			x->is_link = is_link;
			for (const char *c = x->name; *c && !out->nonascii; c++)
				out->nonascii = (unsigned char)*c >= 0x80;
		}
		free(erel);
	}
	closedir(dir);
	free(real);
	qsort(out->v, out->n, sizeof *out->v, cmp_entries);
	if (out->nrefused)
		qsort(out->refused, out->nrefused, sizeof *out->refused, cmp_names);
	return rc;
}

int sfs_folder_refused(const sfs_root *r, const char *rel, const char *shown,
		       diags_t *d)
{
	diags_t said = DIAGS_INIT;
	sfs_listing l;
	int rc = sfs_list(r, rel, shown, &l, &said);
	int refused = rc == SFS_REFUSED && l.fd < 0;
	if (refused)
		diags_move(d, &said);
	sfs_list_free(&l);
	diags_free(&said);
	return refused;
}

int sfs_list_refused(const sfs_listing *l, const char *name)
{
	return l->nrefused && bsearch(&name, l->refused, l->nrefused,
				      sizeof *l->refused, cmp_names) != NULL;
}

void sfs_list_free(sfs_listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	for (size_t i = 0; i < l->nrefused; i++)
		free(l->refused[i]);
	free(l->refused);
	l->refused = NULL;
	l->nrefused = 0;
	if (l->fd >= 0)
		close(l->fd);
	l->v = NULL;
	l->n = 0;
	l->fd = -1;
}
