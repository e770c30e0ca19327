/* reccache.c - parsed institution records kept between builds (reccache.h). */
#define _GNU_SOURCE /* O_TMPFILE, open(2) */
#include "reccache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <unicode/uversion.h>
#include <utf8proc.h>
#include <yaml.h>
#include <zlib.h>

#include "../util/digest.h"
#include "../util/fs.h"
#include "../util/safefs.h"
#include "../util/par.h"
#include "reccodec.h"

/* Where an entry of the next cache file is: an entry of the old file
 * (from >= 0, its index), bytes this load encoded (FROM_FRESH), or none
 * yet: a file replay declined, kept in its place until store tells what
 * it gave (FROM_WAITING; left out when store is never called for it). */
enum { FROM_FRESH = -1, FROM_WAITING = -2 };
typedef struct piece {
	long from;
	size_t at, len;       /* in rcache.spill (or .fresh), when FROM_FRESH */
} piece;

/* A record file's modification time as replay found it (rcache_mtime). */
typedef struct rc_met {
	char *path;
	long long sec;
} rc_met;

/* Where an entry of the old file is in it: from at - 4 (its u32 length
 * first), len bytes after the length. */
typedef struct old_span {
	unsigned long long at;
	size_t len;
} old_span;

struct rcache {
	char *path;
	rc_reader rd;         /* the old file's entries read back: never
				 the whole file in memory */
	int old_fd;           /* the old file, open (or -1): replay reads
				 the entries it takes from it, and
				 rcache_save copies the ones it keeps */
	rc_file old;          /* its entries, sorted by path; empty when
				 not trusted */
	old_span *spans;      /* once the load is done (rcache_loaded): where
				 each of old's entries is, by index */
	size_t nspans;
	int old_sorted_as_read;
	char *key;            /* the inputs, but the networks */
	char *full_key;       /* ... and with them, once a load met them */
	size_t next;          /* where find looks first */
	piece *v;             /* the next file's entries, in load order */
	size_t n, cap;
	buf_t fresh;          /* entries encoded by this load, where no
				 spill file could be made */
	int spill;            /* or an unnamed file (O_TMPFILE) beside the
				 cache holding them, -1 for none: a
				 hundred thousand records encode to some
				 120 MB, which the build need not hold */
	size_t spilled;       /* its length */
	int broken;           /* a write to it failed (its errno): save no
				 cache */
	buf_t one;            /* one entry, on its way to the spill file */
	rc_met *met;          /* each file replay looked at, in load order */
	size_t nmet, capmet;
	int met_unsorted;     /* the load's order was not by path */
	size_t replayed, parsed;
	int refused;          /* errno of the refusal when the old file was
				 there but not read (fs_plain_refusal),
				 or 0 */
	int damaged;          /* the old file began as a cache file but was
				 cut short or changed (rc_file_scan's -2) */
	/* what prefetch made of the files the load will replay, in order:
	 * entry k (pre_at) for pre_paths[k], taken by the replays one after
	 * another; kept in chunks of PRE_CHUNK entries, each mapped apart
	 * and given back to the system once the replays are past it */
	struct pre_entry **pre;
	size_t npre_chunks;
	char *const *pre_paths;
	size_t npre, pre_next;
};

/* What replay would make of one file (prefetch): the file is gone or
 * not a regular file (PRE_GONE); it is there, with identity id, but the
 * old file has no entry for it as it is now, or a bad one (PRE_STALE);
 * or the entry old.v[index] gave has (in, if has) and said. */
enum { PRE_GONE, PRE_STALE, PRE_TAKEN };
typedef struct pre_entry {
	int state;
	rc_ident id;
	long long mtime_sec;
	long index;
	institution in;
	int has;
	diags_t said;
} pre_entry;

/* Entries of a prefetch chunk: some 1 MB. The chunks are mapped apart
 * (mmap), not taken from the heap, so that each one's memory goes back
 * to the system when the replays have taken its records into the model:
 * held all at once beside the model's array of institutions, they made
 * the load's peak (50 MB more at 100,000 records). */
#define PRE_CHUNK 2048

static pre_entry *pre_at(const rcache *c, size_t k)
{
	return &c->pre[k / PRE_CHUNK][k % PRE_CHUNK];
}

static size_t pre_chunk_bytes(void)
{
	return PRE_CHUNK * sizeof(pre_entry);
}

/* Chunk i of the prefetch: the records it holds that no replay took are
 * freed, then its memory unmapped. */
static void pre_chunk_free(rcache *c, size_t i)
{
	if (!c->pre[i])
		return;
	size_t from = i * PRE_CHUNK, to = from + PRE_CHUNK;
	for (size_t k = from; k < to && k < c->npre; k++) {
		pre_entry *p = pre_at(c, k);
		if (p->has)
			institution_free(&p->in);
		diags_free(&p->said);
	}
	munmap(c->pre[i], pre_chunk_bytes());
	c->pre[i] = NULL;
}

static rc_ident ident_of(const struct stat *sb)
{
	return (rc_ident){
		(unsigned long long)sb->st_size,
		(unsigned long long)sb->st_mtim.tv_sec * 1000000000ull +
			(unsigned long long)sb->st_mtim.tv_nsec,
		(unsigned long long)sb->st_ctim.tv_sec * 1000000000ull +
			(unsigned long long)sb->st_ctim.tv_nsec,
		(unsigned long long)sb->st_ino, (unsigned long long)sb->st_dev};
}

/* "name size mtime inode device" of the file at path (followed), or
 * "name -" when it cannot be looked at. Not its change time: a hard link
 * made to the table (a package manager's, a test's) changes that, not
 * the file; writing or replacing it changes the rest. */
static void key_file(buf_t *b, const char *name, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0) {
		buf_printf(b, "%s -\n", name);
		return;
	}
	rc_ident id = ident_of(&sb);
	buf_printf(b, "%s %llu %llu %llu %llu\n", name, id.size, id.mtime_ns,
		   id.ino, id.dev);
}

/* What a record's reading depends on, but the networks (reccache.h). */
static char *inputs_key(const rcache_inputs *in)
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "version %s\n", in->version ? in->version : "");
	buf_printf(&b, "program %s\n", fs_program_digest());
	UVersionInfo icu;
	char icu_s[U_MAX_VERSION_STRING_LENGTH];
	u_getVersion(icu);
	u_versionToString(icu, icu_s);
	buf_printf(&b, "libraries cmark %s yaml %s cjson %s utf8proc %s icu %s\n",
		   cmark_version_string(), yaml_get_version_string(),
		   cJSON_Version(), utf8proc_version(), icu_s);
	/* and by their files: a fix keeps the version (util/fs.h) */
	buf_printf(&b, "library files %s\n", fs_libraries_digest());
	char *yml = fs_join(in->site_dir ? in->site_dir : ".", "site.yml");
	buf_t text = BUF_INIT;
	char hex[DIGEST_SHA256_HEX];
	buf_printf(&b, "site.yml %s\n", fs_read_regular(yml, PM_MAX_CONFIG, &text) == 0 ?
		   digest_sha256_hex(text.ptr, text.len, hex) : "-");
	buf_free(&text);
	free(yml);
	const char *iso = getenv(PM_ISO_CODES_ENV);
	key_file(&b, "iso-codes", iso && *iso ? iso : PM_ISO_CODES_PATH);
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;
	char day[16];
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	buf_printf(&b, "day %s %s\n", day, epoch ? epoch : "-");
	return buf_detach(&b);
}

/* The old file let go: its read window freed, the file closed. */
static void let_go(rcache *c)
{
	rc_reader_free(&c->rd);
	if (c->old_fd >= 0)
		close(c->old_fd);
	c->old_fd = -1;
}

static int cmp_slot(const void *a, const void *b)
{
	return strcmp(((const rc_slot *)a)->path, ((const rc_slot *)b)->path);
}

/* Sort the old entries by path, noting whether they were already (then
 * an entry's index is its place in the file, as rcache_save assumes when
 * it leaves the file as it is). */
static void sort_old(rcache *c)
{
	c->old_sorted_as_read = 1;
	for (size_t i = 1; i < c->old.n; i++)
		if (strcmp(c->old.v[i - 1].path, c->old.v[i].path) >= 0)
			c->old_sorted_as_read = 0;
	if (!c->old_sorted_as_read)
		qsort(c->old.v, c->old.n, sizeof *c->old.v, cmp_slot);
}

rcache *rcache_open(const rcache_inputs *in)
{
	rcache *c = xcalloc(1, sizeof *c);
	c->path = xstrdup(in->path);
	c->key = inputs_key(in);
	c->spill = -2; /* not tried yet */
	c->old_fd = -1;
	size_t size;
	int fd = in->fresh ? -1 : fs_open_plain(c->path, RC_MAX_BYTES, &size);
	if (fd < 0) {
		c->refused = !in->fresh && fs_plain_refusal(errno) ? errno : 0;
		return c;
	}
	c->old_fd = fd;
	int scan = rc_file_scan(fd, size, &c->old);
	if (scan == 0) {
		sort_old(c);
		c->rd = (rc_reader){.fd = fd, .end = size - 4};
	}
	c->damaged = scan == -2;
	if (!c->old.n) /* nothing to take or copy from it */
		let_go(c);
	return c;
}

static void prefetch_free(rcache *c);

void rcache_loaded(void *ctx, const site *s)
{
	rcache *c = ctx;
	(void)s;
	if (c)
		prefetch_free(c);
	if (!c || c->spans)
		return;
	c->nspans = c->old.n;
	c->spans = xcalloc(c->nspans + 1, sizeof *c->spans);
	for (size_t i = 0; i < c->nspans; i++)
		c->spans[i] = (old_span){c->old.v[i].off, c->old.v[i].len};
	rc_file_free(&c->old);
	rc_reader_free(&c->rd);
}

/* The key with s's networks; the first time, the old entries are
 * dropped unless the old file has this very key. */
static void settle_key(rcache *c, const site *s)
{
	if (c->full_key)
		return;
	buf_t b = BUF_INIT;
	buf_puts(&b, c->key);
	for (size_t i = 0; i < s->nnet; i++)
		buf_printf(&b, "network %s %s\n", s->net[i].slug,
			   s->net[i].name ? s->net[i].name : "");
	c->full_key = buf_detach(&b);
	size_t n = strlen(c->full_key);
	if (c->old.keylen != n || memcmp(c->old.key, c->full_key, n))
		rc_file_free(&c->old);
}

/* The old entry of path; NULL when there is none. A load meets the files
 * in the order of their paths, so the one after the last found is tried
 * first. */
static const rc_slot *find(rcache *c, const char *path)
{
	if (!c->old.n)
		return NULL;
	if (c->next < c->old.n && !strcmp(c->old.v[c->next].path, path))
		return &c->old.v[c->next++];
	rc_slot key = {.path = (char *)path};
	const rc_slot *e = bsearch(&key, c->old.v, c->old.n, sizeof *c->old.v,
				   cmp_slot);
	if (e)
		c->next = (size_t)(e - c->old.v) + 1;
	return e;
}

static void add_piece(rcache *c, long from, size_t at, size_t len)
{
	c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v, 256);
	c->v[c->n++] = (piece){from, at, len};
}

static void note_met(rcache *c, const char *path, long long sec)
{
	c->met = xgrow(c->met, &c->capmet, c->nmet + 1, sizeof *c->met, 256);
	if (c->nmet && strcmp(c->met[c->nmet - 1].path, path) >= 0)
		c->met_unsorted = 1;
	c->met[c->nmet++] = (rc_met){xstrdup(path), sec};
}

static int cmp_met(const void *a, const void *b)
{
	return strcmp(((const rc_met *)a)->path, ((const rc_met *)b)->path);
}

int rcache_mtime(void *ctx, const char *path, long long *sec)
{
	rcache *c = ctx;
	if (c->met_unsorted) {
		qsort(c->met, c->nmet, sizeof *c->met, cmp_met);
		c->met_unsorted = 0;
	}
	rc_met key = {.path = (char *)path};
	const rc_met *m = c->nmet ? bsearch(&key, c->met, c->nmet,
					    sizeof *c->met, cmp_met) : NULL;
	if (!m)
		return -1;
	*sec = m->sec;
	return 0;
}

/* Whether a decoded record is the one its file gives: its path that
 * file's, its slug the file's name without ".md" (records.c makes it so).
 * The cache is untrusted: an entry naming another slug ("../../x") would
 * put its page outside the output folder. */
static int names_its_file(const institution *in, const char *path)
{
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	size_t n = strlen(name);
	return !strcmp(in->path, path) && n > 3 &&
	       !strcmp(name + n - 3, ".md") && strlen(in->slug) == n - 3 &&
	       !strncmp(in->slug, name, n - 3);
}

/* The ticket (load.h) says the file's identity, rc_ident's five fields
 * in id[], and in slot the piece that waits for it. */
/* The prefetch of the next file, when it is path's; else NULL. */
static pre_entry *prefetched(rcache *c, const char *path)
{
	if (!c->pre || c->pre_next >= c->npre ||
	    strcmp(c->pre_paths[c->pre_next], path))
		return NULL;
	/* the chunk before this one is all taken by now */
	size_t k = c->pre_next++;
	if (k % PRE_CHUNK == 0 && k)
		pre_chunk_free(c, k / PRE_CHUNK - 1);
	return pre_at(c, k);
}

/* replay, from what prefetch made of path (p), in the load's order. */
static int replay_prefetched(rcache *c, site *s, const char *path,
			     load_ticket *t, diags_t *d, pre_entry *p)
{
	t->ok = p->state != PRE_GONE;
	if (!t->ok)
		return 0;
	note_met(c, path, p->mtime_sec);
	_Static_assert(sizeof p->id == sizeof t->id, "rc_ident fits a ticket");
	memcpy(t->id, &p->id, sizeof p->id);
	if (p->state != PRE_TAKEN) {
		t->slot = (long)c->n;
		add_piece(c, FROM_WAITING, 0, 0);
		return 0;
	}
	diags_move(d, &p->said);
	diags_free(&p->said);
	if (p->has)
		site_add_institution(s, &p->in);
	p->has = 0; /* the site's now */
	add_piece(c, p->index, 0, 0);
	c->replayed++;
	return 1;
}

static int replay(void *ctx, site *s, const char *path, load_ticket *t,
		  diags_t *d)
{
	rcache *c = ctx;
	settle_key(c, s);
	pre_entry *p = prefetched(c, path);
	if (p)
		return replay_prefetched(c, s, path, t, d, p);
	char *full = fs_join(s->dir, path);
	struct stat sb;
	t->ok = lstat(full, &sb) == 0 && S_ISREG(sb.st_mode);
	free(full);
	if (!t->ok)
		return 0; /* a link, or gone: read again next time */
	note_met(c, path, (long long)sb.st_mtime);
	rc_ident id = ident_of(&sb);
	_Static_assert(sizeof id == sizeof t->id, "rc_ident fits a ticket");
	memcpy(t->id, &id, sizeof id);
	const rc_slot *e = find(c, path);
	institution in;
	int has = 0;
	diags_t said = DIAGS_INIT;
	rc_slot got = e ? *e : (rc_slot){0};
	int ok = e && !memcmp(&e->id, &id, sizeof e->id) &&
		 rc_reader_get(&c->rd, &got) == 0 &&
		 rc_entry_decode(&got, &in, &has, &said) == 0;
	if (ok && has && !names_its_file(&in, path)) {
		institution_free(&in); /* forged: read the file instead */
		ok = 0;
	}
	if (!ok) {
		diags_free(&said);
		t->slot = (long)c->n;
		add_piece(c, FROM_WAITING, 0, 0);
		return 0;
	}
	diags_move(d, &said);
	diags_free(&said);
	if (has)
		site_add_institution(s, &in);
	add_piece(c, (long)(e - c->old.v), 0, 0);
	c->replayed++;
	return 1;
}

/* An unnamed file in the cache's folder (O_TMPFILE, open(2)): gone with
 * the process whatever happens, never seen by anyone. -1 where the file
 * system or kernel has none. */
static int spill_open(const char *path)
{
#ifdef O_TMPFILE
	char *dir = fs_folder_of(path, ".");
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	free(dir);
	return fd < 0 ? -1 : fd;
#else
	(void)path;
	return -1;
#endif
}

static void store(void *ctx, const site *s, const char *path,
		  const load_ticket *t, size_t ninst, const diags_t *d,
		  size_t ndiag)
{
	rcache *c = ctx;
	settle_key(c, s);
	c->parsed++;
	if (!t->ok || t->slot < 0 || (size_t)t->slot >= c->n ||
	    c->v[t->slot].from != FROM_WAITING)
		return;
	rc_ident id;
	memcpy(&id, t->id, sizeof id);
	const institution *in = s->ninst > ninst ? &s->inst[ninst] : NULL;
	if (c->spill == -2)
		c->spill = spill_open(c->path);
	if (c->spill < 0) {
		size_t at = c->fresh.len;
		rc_entry_encode(&c->fresh, path, &id, in, d, ndiag);
		c->v[t->slot] = (piece){FROM_FRESH, at, c->fresh.len - at};
		return;
	}
	buf_reset(&c->one);
	rc_entry_encode(&c->one, path, &id, in, d, ndiag);
	if (fs_write_fd(c->spill, c->one.ptr, c->one.len) < 0)
		c->broken = errno ? errno : EIO;
	c->v[t->slot] = (piece){FROM_FRESH, c->spilled, c->one.len};
	c->spilled += c->one.len;
}

/* Bytes of an entry prefetch_one reads into its own stack. */
#define PRE_STACK 8192

typedef struct prefetch_job {
	rcache *c;
	const char *dir;
	/* the folder of the first path (its length in the path, with the
	 * slash), opened once, or -1: a path in it is looked at by its
	 * last name alone, one step of the kernel's walk where the whole
	 * path through the site folder takes several */
	int folder_fd;
	size_t folder_len;
	const char *folder;
} prefetch_job;

/* lstat(2) of j->dir/path, through j->folder_fd when path is in it. */
static int prefetch_stat(const prefetch_job *j, const char *path,
			 struct stat *sb)
{
	if (j->folder_fd >= 0 && !strncmp(path, j->folder, j->folder_len) &&
	    !strchr(path + j->folder_len, '/'))
		return fstatat(j->folder_fd, path + j->folder_len, sb,
			       AT_SYMLINK_NOFOLLOW);
	char *full = fs_join(j->dir, path);
	int rc = lstat(full, sb);
	free(full);
	return rc;
}

/* One file of prefetch: what replay would do of it, up to the model. Only
 * reads c (old, old_fd: fixed by then) and writes pre[k]. */
static void prefetch_one(void *arg, size_t k)
{
	const prefetch_job *j = arg;
	rcache *c = j->c;
	pre_entry *p = pre_at(c, k);
	const char *path = c->pre_paths[k];
	struct stat sb;
	int there = prefetch_stat(j, path, &sb) == 0 && S_ISREG(sb.st_mode);
	p->state = PRE_GONE;
	p->said = (diags_t)DIAGS_INIT;
	if (!there)
		return;
	p->state = PRE_STALE;
	p->id = ident_of(&sb);
	p->mtime_sec = (long long)sb.st_mtime;
	rc_slot key = {.path = (char *)path};
	const rc_slot *e = c->old.n ? bsearch(&key, c->old.v, c->old.n,
					      sizeof *c->old.v, cmp_slot) : NULL;
	if (!e || memcmp(&e->id, &p->id, sizeof e->id))
		return;
	/* the entry alone, read for this thread: the shared reader is the
	 * calling thread's */
	rc_slot got = *e;
	/* most entries fit on the stack: a fresh allocation each, on the
	 * load's threads, cost a twentieth of a no-change build */
	unsigned char small[PRE_STACK];
	unsigned char *bytes = e->len <= sizeof small ? small :
		xmalloc(e->len);
	got.at = bytes;
	if (fs_pread_all(c->old_fd, bytes, e->len, (off_t)e->off) == 0 &&
	    rc_entry_decode(&got, &p->in, &p->has, &p->said) == 0) {
		if (!p->has || names_its_file(&p->in, path)) {
			p->state = PRE_TAKEN;
			p->index = (long)(e - c->old.v);
		} else { /* forged: read the file instead */
			institution_free(&p->in);
			p->has = 0;
			diags_free(&p->said);
		}
	} else {
		diags_free(&p->said);
	}
	if (bytes != small)
		free(bytes);
}

/* Let go of what prefetch made and no replay took. */
static void prefetch_free(rcache *c)
{
	for (size_t i = 0; c->pre && i < c->npre_chunks; i++)
		pre_chunk_free(c, i);
	free(c->pre);
	c->pre = NULL;
	c->npre_chunks = 0;
	c->pre_paths = NULL;
	c->npre = c->pre_next = 0;
}

/* load_cache.prefetch: the files are looked at and their entries read
 * and decoded on the load's threads (each entry by one pread of its own),
 * in place of the replays' doing it one after another. */
static void prefetch(void *ctx, const site *s, char *const *paths, size_t n,
		     int threads)
{
	rcache *c = ctx;
	settle_key(c, s);
	prefetch_free(c);
	if (!n || !c->old.n || c->old_fd < 0 || threads < 2)
		return;
	size_t chunks = (n + PRE_CHUNK - 1) / PRE_CHUNK;
	pre_entry **pre = xcalloc(chunks, sizeof *pre);
	for (size_t i = 0; i < chunks; i++) {
		/* zero-filled, as calloc's would be, and populated in
		 * one call: the decoders fill all of it, and faulting its
		 * 4 KiB pages in one by one took some 2,000 faults at
		 * 10,000 records (util/heap.h) */
		void *m = mmap(NULL, pre_chunk_bytes(), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (m == MAP_FAILED) { /* without a prefetch: read in replay */
			while (i)
				munmap(pre[--i], pre_chunk_bytes());
			free(pre);
			return;
		}
		pre[i] = m;
	}
	c->pre = pre;
	c->npre_chunks = chunks;
	c->pre_paths = paths;
	c->npre = n;
	prefetch_job j = {c, s->dir, -1, 0, paths[0]};
	const char *slash = strrchr(paths[0], '/');
	if (slash) {
		j.folder_len = (size_t)(slash - paths[0]) + 1;
		char *rel = xstrndup(paths[0], j.folder_len);
		char *folder = fs_join(s->dir, rel);
		/* followed as lstat follows the folders on a path */
		j.folder_fd = open(folder, O_PATH | O_DIRECTORY | O_CLOEXEC);
		free(folder);
		free(rel);
	}
	par_for(n, threads, prefetch_one, &j);
	if (j.folder_fd >= 0)
		close(j.folder_fd);
}

void rcache_hooks(rcache *c, load_cache *hooks)
{
	c->next = 0;
	*hooks = (load_cache){replay, store, c, prefetch};
}

/* The number of the old file's entries still to be had. */
static size_t old_count(const rcache *c)
{
	return c->spans ? c->nspans : c->old.n;
}

/* Where the old file's entry i is: from at - 4, len bytes after its
 * length. */
static old_span old_entry(const rcache *c, size_t i)
{
	if (c->spans)
		return c->spans[i];
	return (old_span){c->old.v[i].off, c->old.v[i].len};
}

/* Whether the file read holds just what the next one would. */
static int same_as_read(const rcache *c)
{
	if (!c->full_key || !c->old_sorted_as_read || c->n != old_count(c))
		return 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].from != (long)i)
			return 0;
	return 1;
}

/* The seen hook of the writer (util/fs.h): the CRC of every byte. */
static void crc_seen(void *ctx, const void *p, size_t n)
{
	unsigned long *crc = ctx;
	*crc = crc32(*crc, p, (uInt)n);
}

/* n bytes of the open file fd from at, into w, read straight into its
 * buffer a chunk at a time. */
static void copy_from(fs_writer *w, int fd, unsigned long long at, size_t n)
{
	while (n && !w->bad) {
		size_t chunk = n < FS_WRITER_CHUNK ? n : FS_WRITER_CHUNK;
		buf_grow(&w->b, chunk);
		if (fs_pread_all(fd, w->b.ptr + w->b.len, chunk, at) < 0) {
			w->bad = errno ? errno : EIO;
			break;
		}
		w->b.len += chunk;
		fs_writer_more(w);
		at += chunk;
		n -= chunk;
	}
}

/* Remove the cache (the next build parses every record) after a failure
 * e: -1 with errno e. */
static int save_failed(const rcache *c, int e)
{
	unlink(c->path);
	errno = e;
	return -1;
}

int rcache_save(rcache *c)
{
	if (same_as_read(c))
		return 0;
	size_t n = 0, bytes = 0;
	for (size_t i = 0; i < c->n; i++) {
		const piece *p = &c->v[i];
		n += p->from != FROM_WAITING;
		bytes += p->from >= 0 ? old_entry(c, (size_t)p->from).len + 4 :
			 p->from == FROM_FRESH ? p->len : 0;
	}
	fs_writer w;
	unsigned long crc = 0;
	if (c->broken)
		return save_failed(c, c->broken);
	if (bytes > RC_MAX_BYTES)
		return save_failed(c, EFBIG);
	/* it holds every record, drafts too: the user's alone, as the
	 * output folder may be kept from others (made so, and so whatever
	 * the umask) */
	if (fs_replace_open_mode(&w, c->path, 0600) < 0)
		return save_failed(c, errno);
	(void)fchmod(w.fd, 0600);
	w.seen = crc_seen;
	w.ctx = &crc;
	buf_t head = BUF_INIT;
	rc_file_begin(&head, c->full_key ? c->full_key : c->key, n);
	fs_writer_put(&w, head.ptr, head.len);
	buf_free(&head);
	/* entries kept from the old file, each with its 4-byte length, are
	 * copied a run at a time: the entries that lie one after the other
	 * there, most of them when few records changed */
	unsigned long long run_at = 0, run_len = 0;
	for (size_t i = 0; i < c->n && !w.bad; i++) {
		const piece *p = &c->v[i];
		if (p->from >= 0) {
			old_span e = old_entry(c, (size_t)p->from);
			if (run_len && run_at + run_len == e.at - 4) {
				run_len += e.len + 4;
				continue;
			}
			if (run_len)
				copy_from(&w, c->old_fd, run_at, (size_t)run_len);
			run_at = e.at - 4;
			run_len = e.len + 4;
			continue;
		}
		if (run_len)
			copy_from(&w, c->old_fd, run_at, (size_t)run_len);
		run_len = 0;
		if (p->from == FROM_FRESH && c->spill >= 0) {
			copy_from(&w, c->spill, p->at, p->len);
		} else if (p->from == FROM_FRESH) {
			fs_writer_put(&w, c->fresh.ptr + p->at, p->len);
		}
	}
	if (run_len)
		copy_from(&w, c->old_fd, run_at, (size_t)run_len);
	fs_writer_flush(&w);
	buf_t tail = BUF_INIT;
	rc_file_end_crc(&tail, crc);
	w.seen = NULL;
	fs_writer_put(&w, tail.ptr, tail.len);
	buf_free(&tail);
	if (fs_replace_close(&w, 1) < 0)
		return save_failed(c, errno ? errno : EIO);
	return 0;
}

size_t rcache_held(const rcache *c)
{
	return c->fresh.len;
}

size_t rcache_old_held(const rcache *c)
{
	return c->rd.cap;
}

int rcache_refused(const rcache *c)
{
	return c ? c->refused : 0;
}

int rcache_damaged(const rcache *c)
{
	return c ? c->damaged : 0;
}

size_t rcache_replayed(const rcache *c)
{
	return c->replayed;
}

size_t rcache_parsed(const rcache *c)
{
	return c->parsed;
}

void rcache_free(rcache *c)
{
	if (!c)
		return;
	prefetch_free(c);
	rc_file_free(&c->old);
	for (size_t i = 0; i < c->nmet; i++)
		free(c->met[i].path);
	free(c->met);
	let_go(c);
	free(c->spans);
	buf_free(&c->fresh);
	buf_free(&c->one);
	if (c->spill >= 0)
		close(c->spill);
	free(c->v);
	FREE_ALL(c->path, c->key, c->full_key);
	free(c);
}
