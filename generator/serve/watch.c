/* watch.c - the site's folders through inotify, and the debouncing of
 * bursts of changes. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publish/stage.h"
#include "util/buf.h"
#include "util/fs.h"

/* Whatever can change what a build reads: contents, names, times. */
#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | \
		    IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR | \
		    IN_DONT_FOLLOW)

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

int watch_ignored(const char *name)
{
	static const char *const endings[] = {"~", ".swp", ".swo", ".swx"};
	size_t n = strlen(name);
	if (n == 0 || name[0] == '.' || !strcmp(name, "4913"))
		return 1;
	if (n > 1 && name[0] == '#' && name[n - 1] == '#')
		return 1;
	/* "#<inode>": what inotify names a file opened with O_TMPFILE
	 * (a build's probe beside its output), which has no name */
	if (n > 1 && name[0] == '#' && strspn(name + 1, "0123456789") == n - 1)
		return 1;
	for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++)
		if (ends_with(name, endings[i]))
			return 1;
	return 0;
}

/* Whether name, in the site folder itself, is output/ or a folder a
 * build of output/ makes beside it (its staging folder, the previous site
 * during a swap): what a build writes, never what it reads. */
static int output_name(const char *name)
{
	return !strcmp(name, "output") || stage_aside_name(name, "output");
}

typedef struct watched {
	int wd;
	char *rel; /* the folder from the site folder; "" for itself */
} watched;

struct watch {
	int fd;
	char *dir;
	watched *v;
	size_t n, cap;
	watch_change_fn changed; /* told each change of interest */
	void *ctx;
	/* the burst since watch_burst_clear (watch_settled) */
	char *one;   /* the one file it named so far */
	int several; /* it named more than one, a folder, or lost events */
	int removed; /* a file was removed or renamed away */
	int closed;  /* the file's last event ended a write */
};

static watched *find_wd(watch *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].wd == wd)
			return &w->v[i];
	return NULL;
}

static void remember(watch *w, int wd, const char *rel)
{
	watched *old = find_wd(w, wd);
	if (old) { /* the same folder again, or one moved into its place */
		free(old->rel);
		old->rel = xstrdup(rel);
		return;
	}
	w->v = xgrow(w->v, &w->cap, w->n + 1, sizeof *w->v, 16);
	w->v[w->n++] = (watched){wd, xstrdup(rel)};
}

static char *child(const char *rel, const char *name)
{
	return *rel ? fs_join(rel, name) : xstrdup(name);
}

/* Watch rel and every folder below it. Returns -1 when rel itself cannot
 * be watched. */
static int add_tree(watch *w, const char *rel)
{
	char *path = *rel ? fs_join(w->dir, rel) : xstrdup(w->dir);
	int wd = inotify_add_watch(w->fd, path, WATCH_MASK);
	DIR *dir = wd >= 0 ? opendir(path) : NULL;
	if (wd >= 0)
		remember(w, wd, rel);
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		if (watch_ignored(e->d_name) || (!*rel && output_name(e->d_name)))
			continue;
		int is_dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			char *full = fs_join(path, e->d_name);
			is_dir = lstat(full, &st) == 0 && S_ISDIR(st.st_mode);
			free(full);
		}
		if (is_dir) {
			char *sub = child(rel, e->d_name);
			add_tree(w, sub);
			free(sub);
		}
	}
	if (dir)
		closedir(dir);
	free(path);
	return wd >= 0 ? 0 : -1;
}

/* Stop watching rel and the folders below it (it was moved away). */
static void drop_tree(watch *w, const char *rel)
{
	size_t m = strlen(rel);
	for (size_t i = 0; i < w->n;) {
		const char *r = w->v[i].rel;
		if (!strncmp(r, rel, m) && (r[m] == '\0' || r[m] == '/')) {
			inotify_rm_watch(w->fd, w->v[i].wd);
			free(w->v[i].rel);
			w->v[i] = w->v[--w->n];
		} else {
			i++;
		}
	}
}

/* inotify said the watch is gone (its folder was deleted). */
static void forget(watch *w, int wd)
{
	watched *x = find_wd(w, wd);
	if (!x)
		return;
	free(x->rel);
	*x = w->v[--w->n];
}

watch *watch_open(const char *dir)
{
	watch *w = xcalloc(1, sizeof *w);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	/* the real path: a site folder given as a link is watched too */
	w->dir = realpath(dir, NULL);
	if (!w->dir)
		w->dir = xstrdup(dir);
	if (w->fd < 0 || add_tree(w, "") < 0) {
		int err = errno;
		watch_close(w);
		errno = err;
		return NULL;
	}
	return w;
}

void watch_close(watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].rel);
	free(w->v);
	free(w->dir);
	free(w->one);
	free(w);
}

int watch_fd(const watch *w)
{
	return w->fd;
}

void watch_on_change(watch *w, watch_change_fn fn, void *ctx)
{
	w->changed = fn;
	w->ctx = ctx;
}

static void tell(watch *w, const char *rel)
{
	if (w->changed)
		w->changed(w->ctx, rel);
}

/* Note an event of interest in the burst: rel the file it names, NULL
 * for a folder or lost events. */
static void note_burst(watch *w, const char *rel, unsigned mask)
{
	if (!rel || (w->one && strcmp(w->one, rel)))
		w->several = 1;
	else if (!w->one)
		w->one = xstrdup(rel);
	if (mask & (IN_DELETE | IN_MOVED_FROM))
		w->removed = 1;
	if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
		w->closed = 1;
	else if (mask & (IN_CREATE | IN_MODIFY))
		w->closed = 0;
}

int watch_settled(const watch *w)
{
	return w->one && !w->several && !w->removed && w->closed;
}

void watch_burst_clear(watch *w)
{
	free(w->one);
	w->one = NULL;
	w->several = w->removed = w->closed = 0;
}

/* One event: 1 if it is of interest. */
static int take(watch *w, const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		add_tree(w, "");
		note_burst(w, NULL, ev->mask);
		tell(w, NULL);
		return 1;
	}
	if (ev->mask & IN_IGNORED) {
		forget(w, ev->wd);
		return 0;
	}
	watched *x = find_wd(w, ev->wd);
	if (!x || !ev->len || watch_ignored(ev->name) ||
	    (!*x->rel && output_name(ev->name)))
		return 0;
	char *sub = child(x->rel, ev->name);
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			add_tree(w, sub);
		else if (ev->mask & IN_MOVED_FROM)
			drop_tree(w, sub);
	}
	/* a folder that came or went may hold files never said one by one */
	note_burst(w, ev->mask & IN_ISDIR ? NULL : sub, ev->mask);
	tell(w, ev->mask & IN_ISDIR ? NULL : sub);
	free(sub);
	return 1;
}

int watch_read(watch *w)
{
	/* aligned as struct inotify_event, as inotify(7) asks */
	char chunk[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int seen = 0;
	for (;;) {
		ssize_t n = read(w->fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return seen;
		if (n <= 0)
			return -1;
		for (char *p = chunk; p < chunk + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			seen += take(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
}

/* ---- debouncing ---------------------------------------------------------- */

void debounce_note(debounce *b, long long now, int settled)
{
	if (!b->pending)
		b->first = now;
	b->pending = 1;
	b->last = now;
	b->settled = settled;
}

int debounce_wait(const debounce *b, long long now)
{
	if (!b->pending)
		return -1;
	long long quiet = b->last + (b->settled ? b->settled_ms : b->quiet_ms) - now;
	long long cap = b->first + b->max_ms - now;
	long long wait = quiet < cap ? quiet : cap;
	return wait <= 0 ? 0 : (int)wait;
}

void debounce_clear(debounce *b)
{
	b->pending = 0;
}
