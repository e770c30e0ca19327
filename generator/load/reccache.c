/* reccache.c - parsed institution records kept between builds (reccache.h). */
#define _GNU_SOURCE /* O_TMPFILE, open(2) */
#include "reccache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <cmark.h>
#include <sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <unicode/uversion.h>
#include <utf8proc.h>
#include <yaml.h>
#include <zlib.h>

#include "../util/fs.h"
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

struct rcache {
	char *path;
	buf_t data;           /* the old file's bytes */
	rc_file old;          /* its entries, sorted by path; empty when
				 not trusted */
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
	int broken;           /* a write to it failed: save no cache */
	buf_t one;            /* one entry, on its way to the spill file */
	rc_met *met;          /* each file replay looked at, in load order */
	size_t nmet, capmet;
	int met_unsorted;     /* the load's order was not by path */
	size_t replayed, parsed;
};

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
 * made to the program or the table (a package manager's, a test's)
 * changes that, not the file; writing or replacing it changes the rest. */
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
	key_file(&b, "program", "/proc/self/exe");
	UVersionInfo icu;
	char icu_s[U_MAX_VERSION_STRING_LENGTH];
	u_getVersion(icu);
	u_versionToString(icu, icu_s);
	buf_printf(&b, "libraries cmark %s yaml %s cjson %s utf8proc %s icu %s\n",
		   cmark_version_string(), yaml_get_version_string(),
		   cJSON_Version(), utf8proc_version(), icu_s);
	char *yml = fs_join(in->site_dir ? in->site_dir : ".", "site.yml");
	buf_t text = BUF_INIT;
	char hex[SHA256_DIGEST_STRING_LENGTH];
	buf_printf(&b, "site.yml %s\n", fs_read(yml, &text) == 0 ?
		   SHA256Data((const uint8_t *)text.ptr, text.len, hex) : "-");
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
	if (!in->fresh && fs_read_plain(c->path, RC_MAX_BYTES, &c->data) == 0 &&
	    rc_file_parse((const unsigned char *)c->data.ptr, c->data.len,
			  &c->old) == 0)
		sort_old(c);
	return c;
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
static int replay(void *ctx, site *s, const char *path, load_ticket *t,
		  diags_t *d)
{
	rcache *c = ctx;
	settle_key(c, s);
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
	int ok = e && !memcmp(&e->id, &id, sizeof e->id) &&
		 rc_entry_decode(e, &in, &has, &said) == 0;
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
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) :
		xstrdup(".");
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
		c->broken = 1;
	c->v[t->slot] = (piece){FROM_FRESH, c->spilled, c->one.len};
	c->spilled += c->one.len;
}

void rcache_hooks(rcache *c, load_cache *hooks)
{
	c->next = 0;
	*hooks = (load_cache){replay, store, c};
}

/* Whether the file read holds just what the next one would. */
static int same_as_read(const rcache *c)
{
	if (!c->full_key || !c->old_sorted_as_read || c->n != c->old.n)
		return 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].from != (long)i)
			return 0;
	return 1;
}

/* The next cache file, written as it is made: through buffer b (flushed
 * to fd each MiB), its CRC taken on the way. */
typedef struct writer {
	int fd;
	buf_t b;
	unsigned long crc;
	int bad;
} writer;

static void w_flush(writer *w)
{
	if (w->b.len && !w->bad) {
		w->crc = crc32(w->crc, (const unsigned char *)w->b.ptr,
			       (uInt)w->b.len);
		if (fs_write_fd(w->fd, w->b.ptr, w->b.len) < 0)
			w->bad = 1;
	}
	buf_reset(&w->b);
}

static void w_put(writer *w, const void *p, size_t n)
{
	buf_put(&w->b, p, n);
	if (w->b.len >= ((size_t)1 << 20))
		w_flush(w);
}

/* n bytes of the spill file from at, into w. */
static void w_spilled(writer *w, int spill, size_t at, size_t n)
{
	char chunk[65536];
	while (n && !w->bad) {
		ssize_t r = pread(spill, chunk, n < sizeof chunk ? n : sizeof chunk,
				  (off_t)at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			w->bad = 1;
			break;
		}
		w_put(w, chunk, (size_t)r);
		at += (size_t)r;
		n -= (size_t)r;
	}
}

void rcache_save(rcache *c)
{
	if (same_as_read(c))
		return;
	size_t n = 0, bytes = 0;
	for (size_t i = 0; i < c->n; i++) {
		const piece *p = &c->v[i];
		n += p->from != FROM_WAITING;
		bytes += p->from >= 0 ? c->old.v[p->from].len + 4 :
			 p->from == FROM_FRESH ? p->len : 0;
	}
	char *tmp = xasprintf("%s.%ld.tmp", c->path, (long)getpid());
	writer w = {.fd = -1, .b = BUF_INIT};
	if (!c->broken && bytes <= RC_MAX_BYTES)
		w.fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				 O_CLOEXEC, 0644);
	if (w.fd < 0) {
		unlink(c->path); /* the next build parses every record */
		free(tmp);
		return;
	}
	buf_t head = BUF_INIT;
	rc_file_begin(&head, c->full_key ? c->full_key : c->key, n);
	w_put(&w, head.ptr, head.len);
	buf_free(&head);
	for (size_t i = 0; i < c->n && !w.bad; i++) {
		const piece *p = &c->v[i];
		if (p->from >= 0)
			w_put(&w, c->old.v[p->from].at - 4,
			      c->old.v[p->from].len + 4);
		else if (p->from == FROM_FRESH && c->spill >= 0)
			w_spilled(&w, c->spill, p->at, p->len);
		else if (p->from == FROM_FRESH)
			w_put(&w, c->fresh.ptr + p->at, p->len);
	}
	w_flush(&w);
	buf_t tail = BUF_INIT;
	rc_file_end_crc(&tail, w.crc);
	if (!w.bad && fs_write_fd(w.fd, tail.ptr, tail.len) < 0)
		w.bad = 1;
	buf_free(&tail);
	buf_free(&w.b);
	if (close(w.fd) < 0)
		w.bad = 1;
	if (w.bad || rename(tmp, c->path) < 0) {
		unlink(tmp);
		unlink(c->path);
	}
	free(tmp);
}

size_t rcache_held(const rcache *c)
{
	return c->fresh.len;
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
	rc_file_free(&c->old);
	for (size_t i = 0; i < c->nmet; i++)
		free(c->met[i].path);
	free(c->met);
	buf_free(&c->data);
	buf_free(&c->fresh);
	buf_free(&c->one);
	if (c->spill >= 0)
		close(c->spill);
	free(c->v);
	FREE_ALL(c->path, c->key, c->full_key);
	free(c);
}
