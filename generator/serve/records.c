/* records.c - serve's cache of institution records (records.h). */
#include "serve/records.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/fs.h"

/* What says that a file is still the one read: stat's fields that any
 * write, rename or replacement changes. */
typedef struct file_key {
	long long size, mtime_ns, ctime_ns; /* size LINK_SIZE: a link */
	unsigned long long ino, dev;
} file_key;

/* The size of the key of a record whose file is a symbolic link: its
 * own times say nothing of the file it names, which may change, appear
 * or go (no event for the link's path says so), so it is read again at
 * every update, as a build reads it. */
#define LINK_SIZE (-1LL)

typedef struct rec_entry {
	char *path;          /* relative to the site folder */
	int moved;           /* replayed into the next list, which owns it */
	file_key key;
	char *netsig;        /* the networks it was read against */
	int has_rec;
	institution rec;
	diags_t diags;       /* what reading it said */
	unsigned map;        /* the map it was located on (0: none yet), */
	int feature;         /* where it landed */
	diags_t located;     /* and what locating it said */
	unsigned long born;  /* the load that read it (rec_cache.loads) */
	/* the file has other names (hard links): an edit through one the
	 * watcher does not name, or does not see, changes it all the same,
	 * so its stat is looked at at every update, as a build does */
	int linked;
} rec_entry;

typedef struct entry_list {
	rec_entry **v;
	size_t n, cap;
} entry_list;

struct rec_cache {
	entry_list old;      /* by path: the last load's entries */
	entry_list cur;      /* the load under way, in load order */
	entry_list dead;     /* dropped, freed by rec_cache_collect */
	const char *dir;     /* the site folder of the load under way */
	char *netsig;        /* this load's networks, once known */
	size_t next;         /* where replay looks first in old (find) */
	size_t next_mtime;   /* ... and rec_cache_mtime */
	size_t next_locate;  /* ... and entry_of */
	size_t reads;
	size_t kept;         /* institutions replayed by the load under way */
	unsigned long loads;  /* loads begun: the one under way or last */
	unsigned long served; /* the load whose model is in use (0: none) */
	/* what changed since the last load ended (rec_cache_changed) */
	int watched;         /* every change is said (rec_cache_watched) */
	int unknown;         /* anything may have: stat every file */
	char **changed;      /* else these paths, sorted at the load's start */
	size_t nchanged, capchanged;
};

/* More changed paths than this are not kept: every file is looked at. */
#define MAX_CHANGED 4096

static void push(entry_list *l, rec_entry *e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = e;
}

static void entry_free(rec_entry *e)
{
	if (e->has_rec)
		institution_free(&e->rec);
	diags_free(&e->diags);
	diags_free(&e->located);
	free(e->path);
	free(e->netsig);
	free(e);
}

static void list_free(entry_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i]->moved)
			entry_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

rec_cache *rec_cache_new(void)
{
	rec_cache *c = xcalloc(1, sizeof(rec_cache));
	c->unknown = 1; /* nothing was seen before the first load */
	return c;
}

static void forget_changes(rec_cache *c, int unknown)
{
	for (size_t i = 0; i < c->nchanged; i++)
		free(c->changed[i]);
	c->nchanged = 0;
	c->unknown = unknown;
}

void rec_cache_free(rec_cache *c)
{
	if (!c)
		return;
	list_free(&c->old);
	list_free(&c->cur);
	list_free(&c->dead);
	forget_changes(c, 1);
	free(c->changed);
	free(c->netsig);
	free(c);
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp((*(rec_entry *const *)a)->path,
		      (*(rec_entry *const *)b)->path);
}

/* The entry of path in l (sorted by path); NULL when there is none.
 * *next is where to look first, and is left just after the entry found:
 * a load meets the files in the order of their paths, so each is found
 * with one comparison instead of a binary search. */
static rec_entry *find(const entry_list *l, const char *path, size_t *next)
{
	if (*next < l->n && !strcmp(l->v[*next]->path, path))
		return l->v[(*next)++];
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->v[mid]->path, path);
		if (!c) {
			*next = mid + 1;
			return l->v[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The networks as a record's reading sees them: each slug and name. */
static const char *netsig(rec_cache *c, const site *s)
{
	if (c->netsig)
		return c->netsig;
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < s->nnet; i++)
		buf_printf(&b, "%s\n%s\n", s->net[i].slug,
			   s->net[i].name ? s->net[i].name : "");
	c->netsig = b.len ? buf_detach(&b) : xstrdup("");
	buf_free(&b);
	return c->netsig;
}

static int stat_key(const char *dir, const char *path, file_key *k)
{
	char *full = fs_join(dir, path);
	struct stat st;
	int rc = lstat(full, &st);
	free(full);
	if (rc < 0)
		return -1;
	*k = (file_key){
		S_ISLNK(st.st_mode) ? LINK_SIZE : (long long)st.st_size,
		(long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
		(long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec,
		(unsigned long long)st.st_ino, (unsigned long long)st.st_dev};
	return 0;
}

static void copy_diags(diags_t *to, const diags_t *from, size_t first)
{
	for (size_t i = first; i < from->n; i++) {
		const diag_t *x = &from->v[i];
		diags_add(to, x->level, x->check, x->path, x->line, x->col, "%s",
			  x->msg);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

_Static_assert(sizeof(file_key) == sizeof(((load_ticket *)0)->id),
	       "a file_key fits a ticket");

/* Whether e is the file as it is now: untouched since it was read by all
 * that was said of the folder, or else by its stat. The key it is known
 * by goes into t (load.h) either way, t->ok when there is one. */
static int still_same(rec_cache *c, const rec_entry *e, const char *path,
		      load_ticket *t)
{
	file_key k;
	if (e && e->key.size == LINK_SIZE) { /* never the same */
		t->ok = stat_key(c->dir, path, &k) == 0;
		if (t->ok)
			memcpy(t->id, &k, sizeof k);
		return 0;
	}
	if (e && !c->unknown && !e->linked &&
	    !(c->nchanged && bsearch(&path, c->changed, c->nchanged,
				     sizeof *c->changed, cmp_str))) {
		t->ok = 1;
		memcpy(t->id, &e->key, sizeof e->key);
		return 1;
	}
	t->ok = stat_key(c->dir, path, &k) == 0;
	if (t->ok)
		memcpy(t->id, &k, sizeof k);
	return t->ok && e && !memcmp(&e->key, &k, sizeof e->key);
}

static int replay(void *ctx, site *s, const char *path, load_ticket *t,
		  diags_t *d)
{
	rec_cache *c = ctx;
	rec_entry *e = find(&c->old, path, &c->next);
	if (!still_same(c, e, path, t) || strcmp(e->netsig, netsig(c, s)))
		return 0;
	if (e->has_rec) {
		site_add_institution(s, &e->rec);
		c->kept++;
	}
	copy_diags(d, &e->diags, 0);
	push(&c->cur, e);
	e->moved = 1;
	return 1;
}

/* Whether path, relative to the site folder, is a file with other names
 * (hard links): a record may be one of them, which no event names. */
static int other_names(const rec_cache *c, const char *path)
{
	if (!c->dir)
		return 0;
	char *full = fs_join(c->dir, path);
	struct stat st;
	int linked = lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		     st.st_nlink > 1;
	free(full);
	return linked;
}

static void store(void *ctx, const site *s, const char *path,
		  const load_ticket *t, size_t ninst, const diags_t *d,
		  size_t ndiag)
{
	rec_cache *c = ctx;
	c->reads++;
	if (!t->ok)
		return; /* no key to know it by: read again next time */
	rec_entry *e = xcalloc(1, sizeof *e);
	e->path = xstrdup(path);
	memcpy(&e->key, t->id, sizeof e->key);
	e->netsig = xstrdup(netsig(c, s));
	e->born = c->loads;
	e->linked = other_names(c, path);
	if (s->ninst > ninst) {
		e->has_rec = 1;
		e->rec = s->inst[ninst];
	}
	copy_diags(&e->diags, d, ndiag);
	push(&c->cur, e);
}

void rec_cache_begin(rec_cache *c, const char *dir, load_cache *hooks)
{
	c->dir = dir;
	c->loads++;
	c->reads = 0;
	c->kept = 0;
	c->next = 0;
	if (c->nchanged)
		qsort(c->changed, c->nchanged, sizeof *c->changed, cmp_str);
	free(c->netsig);
	c->netsig = NULL;
	*hooks = (load_cache){replay, store, c, NULL};
}

/* Whether l is sorted by path already, as a load that met the files in
 * that order leaves it (a sort would only compare). */
static int in_order(const entry_list *l)
{
	for (size_t i = 1; i < l->n; i++)
		if (strcmp(l->v[i - 1]->path, l->v[i]->path) > 0)
			return 0;
	return 1;
}

/* Move every entry of l still owned to the dropped ones. */
static void drop_all(rec_cache *c, entry_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i]->moved)
			push(&c->dead, l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void rec_cache_end(rec_cache *c)
{
	drop_all(c, &c->old);
	c->old = c->cur;
	memset(&c->cur, 0, sizeof c->cur);
	for (size_t i = 0; i < c->old.n; i++)
		c->old.v[i]->moved = 0;
	if (!in_order(&c->old))
		qsort(c->old.v, c->old.n, sizeof *c->old.v, cmp_path);
	c->next_mtime = c->next_locate = 0;
	c->dir = NULL;
	/* every file met was looked at or known the same: only what is
	 * said from now on may have changed */
	forget_changes(c, !c->watched);
}

void rec_cache_watched(rec_cache *c)
{
	c->watched = 1;
}

void rec_cache_changed(rec_cache *c, const char *path)
{
	if (c->unknown)
		return;
	if (c->nchanged && !strcmp(c->changed[c->nchanged - 1], path ? path : ""))
		return; /* a file written in pieces: one path */
	if (!path || c->nchanged == MAX_CHANGED || other_names(c, path)) {
		forget_changes(c, 1);
		return;
	}
	c->changed = xgrow(c->changed, &c->capchanged, c->nchanged + 1,
			   sizeof *c->changed, 16);
	c->changed[c->nchanged++] = xstrdup(path);
}

unsigned char *rec_cache_borrowed(const rec_cache *c, const site *s)
{
	unsigned char *b = xcalloc(s->ninst ? s->ninst : 1, 1);
	size_t next = 0;
	for (size_t i = 0; i < s->ninst; i++) {
		const rec_entry *e = find(&c->old, s->inst[i].path, &next);
		b[i] = e && e->has_rec && e->rec.slug == s->inst[i].slug;
	}
	return b;
}

void rec_cache_site_free(site *s, const unsigned char *borrowed)
{
	for (size_t i = 0; borrowed && i < s->ninst; i++)
		if (borrowed[i])
			memset(&s->inst[i], 0, sizeof s->inst[i]);
	site_free(s);
}

void rec_cache_clear(rec_cache *c)
{
	drop_all(c, &c->old);
}

void rec_cache_collect(rec_cache *c)
{
	list_free(&c->dead);
}

void rec_cache_served(rec_cache *c)
{
	c->served = c->loads;
}

void rec_cache_collect_failed(rec_cache *c)
{
	size_t kept = 0;
	for (size_t i = 0; i < c->dead.n; i++) {
		rec_entry *e = c->dead.v[i];
		if (e->born > c->served)
			entry_free(e);
		else
			c->dead.v[kept++] = e;
	}
	c->dead.n = kept;
}

size_t rec_cache_dropped(const rec_cache *c)
{
	return c->dead.n;
}

int rec_cache_mtime(rec_cache *c, const char *path, long long *sec)
{
	const rec_entry *e = find(&c->old, path, &c->next_mtime);
	if (!e)
		return -1;
	*sec = e->key.mtime_ns / 1000000000LL;
	return 0;
}

/* The entry that institution in of the last load came from; NULL when it
 * was not replayed nor stored (a point file's partner). */
static rec_entry *entry_of(rec_cache *c, const institution *in)
{
	rec_entry *e = find(&c->old, in->path, &c->next_locate);
	return e && e->has_rec && e->rec.slug == in->slug ? e : NULL;
}

int rec_cache_located(rec_cache *c, unsigned map, institution *in, diags_t *d)
{
	const rec_entry *e = map ? entry_of(c, in) : NULL;
	if (!e || e->map != map)
		return 0;
	in->feature = e->feature;
	copy_diags(d, &e->located, 0);
	return 1;
}

void rec_cache_locate_put(rec_cache *c, unsigned map, const institution *in,
			  const diags_t *d, size_t first)
{
	rec_entry *e = map ? entry_of(c, in) : NULL;
	if (!e)
		return;
	e->map = map;
	e->feature = in->feature;
	diags_free(&e->located);
	copy_diags(&e->located, d, first);
}

size_t rec_cache_reads(const rec_cache *c)
{
	return c->reads;
}

size_t rec_cache_kept(const rec_cache *c)
{
	return c->kept;
}

size_t rec_cache_size(const rec_cache *c)
{
	return c->old.n;
}
