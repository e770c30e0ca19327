/* reuse.c - fingerprints of each page's inputs, and the manifest that
 * keeps them from one build to the next (reuse.h). */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC */
#include "reuse.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "../util/buf.h"
#include "../util/digest.h"
#include "../util/fs.h"
#include "../util/safefs.h"
#include "../util/par.h"
#include "update.h"

#define FP_LEN SHA256_DIGEST_SIZE
#define MANIFEST_HEAD "partnermap-manifest 2\n"
#define MANIFEST_END "end\n"
/* The line before MANIFEST_END: "crc " and the CRC-32 (zlib's, ISO 3309)
 * of every byte before it, in 8 lower-case hex digits, so that a manifest
 * cut short or changed anywhere is known as damaged (not only one whose
 * lines no longer parse). */
#define MANIFEST_CRC_LEN (4 + 8 + 1)

/* fs_writer.seen: the CRC-32 of the bytes written, in *ctx. */
static void crc_seen(void *ctx, const void *p, size_t n)
{
	uLong *crc = ctx;
	while (n) {
		uInt k = n > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uInt)n;
		*crc = crc32(*crc, p, k);
		p = (const unsigned char *)p + k;
		n -= k;
	}
}

/* Whether the n bytes at b end with the CRC-32 of those before it, as
 * `tail` bytes: "crc %08lx\n" (text) or a uint32_t in the machine's order
 * (binary). */
static int crc_sealed(const char *b, size_t n, int text)
{
	size_t tail = text ? MANIFEST_CRC_LEN : sizeof(uint32_t);
	if (n < tail)
		return 0;
	uLong want = 0, got = crc32(0, NULL, 0);
	crc_seen(&got, b, n - tail);
	if (text) {
		char hex[9];
		if (memcmp(b + n - tail, "crc ", 4) || b[n - 1] != '\n')
			return 0;
		memcpy(hex, b + n - tail + 4, 8);
		hex[8] = '\0';
		char *end;
		want = strtoul(hex, &end, 16);
		if (end != hex + 8)
			return 0;
	} else {
		uint32_t v;
		memcpy(&v, b + n - tail, sizeof v);
		want = v;
	}
	return want == got;
}
/* The endings of the units of a listing's map (reuse.h), after its first
 * page's file: "networks/global/index.html#in". */
#define MAP_INPUTS "#in"
#define MAP_DRAWN "#map"
/* A manifest larger than this is not read (100,000 institutions take
 * some 15 MB). */
#define MANIFEST_MAX ((off_t)1 << 30)
/* Folders of the theme and i18n deeper than this are not digested. */
#define TREE_DEPTH 16

typedef struct unit {
	char *prefix;               /* its key (reuse.h): "institutions/<slug>/" */
	unsigned char fp[FP_LEN];
} unit;

/* The two digests of an institution (reuse.h, "members"). */
typedef struct member_fp {
	unsigned char full[FP_LEN]; /* with its body: for its own page */
	unsigned char head[FP_LEN]; /* without: for the pages listing it */
} member_fp;

/* A file of the output as the last build left it. */
typedef struct out_file {
	char *rel;
	long long size, mtime_s, mtime_ns, ctime_s, ctime_ns;
	unsigned long long ino;
} out_file;

/* The pieces of a file of one piece per institution (render/splice.h),
 * as a build wrote them: the file's identity then, and what the pieces
 * were made of besides their institutions (pieces_context). */
typedef struct piece_table {
	out_file file;              /* its rel and identity */
	unsigned char context[FP_LEN];
	splice_was *was;            /* sorted by splice_was_cmp */
	size_t n;
} piece_table;

/* The pieces of a file this build wrote (splice_close). */
typedef struct new_table {
	char *rel;
	unsigned char context[FP_LEN];
	splice_now *now;
	size_t n;
} new_table;

struct reuse {
	char *manifest;             /* its path, beside OUT_DIR */
	char *pieces;               /* the piece tables' file, beside it */
	char *out;                  /* OUT_DIR */
	unsigned char shared[FP_LEN];
	unit *old_units;            /* from the manifest, sorted by prefix */
	size_t nold_units;
	out_file *old_files;        /* from the manifest, sorted by rel */
	size_t nold_files;
	out_file *old_dirs;         /* from the manifest: settled folders
				       (stage.h, found_dirs), sorted by rel */
	size_t nold_dirs;
	/* what this build found at old_dirs[i] when a kept page below it
	 * first needed it (DIR_*), and its identity when a folder; under
	 * lock */
	unsigned char *dir_state;
	upd_ident *dir_now;
	size_t cap_units, cap_files, cap_dirs;
	unit *units;                /* this build's, sorted by prefix */
	size_t nunits;
	render_reuse hook;
	pthread_mutex_t lock;
	/* the splices (render/splice.h): every institution's digests and the
	 * shared and summary digests, from reuse_prepare; the last build's
	 * pieces (read at the first splice_open or at the save), and the
	 * tables of the files this build wrote through a splice; under lock */
	member_fp *member;
	size_t nmember;
	struct sha256_ctx base;
	int fresh;
	/* a kept file's and folder's permission bits (stage.h): others, and
	 * it is not kept; looked at when modes_kept, set by reuse_prepare */
	mode_t file_mode, dir_mode;
	int modes_kept;
	int pieces_read;
	int pieces_refused;         /* errno of its refusal (fs_plain_refusal)
				       when it was there but not read, or 0 */
	int pieces_errno;           /* reuse_save could not write it */
	piece_table *old_tables;
	size_t nold_tables;
	new_table *new_tables;
	size_t nnew_tables;
	size_t kept;
	int loaded;                 /* the last build's manifest was read */
	int refused;                /* the same of the manifest */
	int damaged;                /* it began as a manifest of this
				       format but was cut short or changed */
	int pieces_damaged;         /* the same of the pieces' tables */
};

/* ---- digests ------------------------------------------------------------ */

static void h_bytes(struct sha256_ctx *h, const void *p, size_t n)
{
	uint64_t len = n;
	sha256_update(h, sizeof len, (const uint8_t *)&len);
	sha256_update(h, n, p);
}

/* A string, told apart from NULL and from its neighbours. */
static void h_str(struct sha256_ctx *h, const char *s)
{
	if (!s)
		sha256_update(h, 1, (const uint8_t *)"\xff");
	else
		h_bytes(h, s, strlen(s));
}

static void h_num(struct sha256_ctx *h, long long v)
{
	sha256_update(h, sizeof v, (const uint8_t *)&v);
}

static void h_double(struct sha256_ctx *h, double v)
{
	sha256_update(h, sizeof v, (const uint8_t *)&v);
}

/* The identity of a file as stat gives it: a change of its bytes shows. */
static void h_stat(struct sha256_ctx *h, const struct stat *sb)
{
	long long v[] = {sb->st_mode, sb->st_size, sb->st_mtim.tv_sec,
			 sb->st_mtim.tv_nsec, sb->st_ctim.tv_sec,
			 sb->st_ctim.tv_nsec, (long long)sb->st_ino};
	for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
		h_num(h, v[k]);
}

/* Every file below path, by name and bytes; with stats_only, by name and
 * stat instead of bytes, one level only (a basemap's folder). Links are
 * followed, as the build follows them (themes/ may be one), at most
 * TREE_DEPTH folders deep. */
static void h_tree(struct sha256_ctx *h, const char *path, int stats_only, int depth)
{
	struct stat sb;
	if (stat(path, &sb) < 0) {
		h_str(h, "missing");
		return;
	}
	h_num(h, sb.st_mode & S_IFMT);
	if (S_ISREG(sb.st_mode) && stats_only) {
		h_stat(h, &sb);
	} else if (S_ISREG(sb.st_mode)) {
		buf_t b = BUF_INIT;
		/* the site's files are untrusted: a file too large for the
		 * build to read is known by its stat, and one swapped for a
		 * pipe since the stat is not waited on */
		if (fs_read_regular(path, PM_MAX_BUNDLE_FILE, &b) < 0)
			h_stat(h, &sb);
		else
			h_bytes(h, b.ptr, b.len);
		buf_free(&b);
	} else if (S_ISDIR(sb.st_mode) && depth < TREE_DEPTH) {
		char **names;
		size_t count;
		if (fs_list_all(path, &names, &count) < 0) {
			h_stat(h, &sb);
			return;
		}
		for (size_t i = 0; i < count; i++) {
			char *sub = fs_join(path, names[i]);
			h_str(h, names[i]);
			if (!stats_only || depth == 0)
				h_tree(h, sub, stats_only, depth + 1);
			free(sub);
		}
		fs_free_list(names);
	}
}

/* The folder holding rel, below dir. */
static char *folder_of(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	return path;
}

static void digest_shared(reuse *u, const reuse_inputs *in)
{
	struct sha256_ctx h;
	sha256_init(&h);
	h_str(&h, in->version);
	/* the program by its bytes (util/fs.h), as the record cache keys it */
	const char *program = fs_program_digest();
	h_bytes(&h, program, strlen(program));
	/* and the libraries, by their files: an update of cmark, libxml2,
	 * ICU or PROJ may change what a page renders to (util/fs.h) */
	const char *libraries = fs_libraries_digest();
	h_bytes(&h, libraries, strlen(libraries));
	static const char *const trees[] = {"site.yml", "themes", "i18n"};
	for (size_t k = 0; k < sizeof trees / sizeof trees[0]; k++) {
		char *p = fs_join(in->site_dir, trees[k]);
		h_tree(&h, p, 0, 0);
		free(p);
	}
	if (in->theme_dir)
		h_tree(&h, in->theme_dir, 0, 0);
	const char *maps[] = {in->basemap, in->points};
	for (size_t k = 0; k < 2; k++) {
		char *dir = maps[k] ? folder_of(in->site_dir, maps[k]) : NULL;
		if (dir)
			h_tree(&h, dir, 1, 0);
		free(dir);
	}
	sha256_digest(&h, FP_LEN, u->shared);
}

static void h_put(void *h, const void *p, size_t n)
{
	h_bytes(h, p, n);
}

/* The view keys whose objects are networks with their body_html, on
 * pages other than that network's own: the site-wide list, and a
 * country page's (render/views.c, render/pages.c). */
static const char *const network_lists[] = {"networks", "country_networks",
					    NULL};

/* What every page shows of the whole site (reuse.h, "summary"). A
 * network's body is in it only when a template may show it on other
 * pages than the network's own (mst_set_shows_inside): else only its
 * own listing's pages hold it (add_listing_units), and an edit of it
 * renders those alone. */
static void h_summary(struct sha256_ctx *h, const render_ctx *r,
		      int bodies_shown)
{
	const site *s = r->s;
	long long counts[] = {s->ninst, r->ngroups, s->nnet, s->npages,
			      r->level_count[0], r->level_count[1],
			      r->elective_count[0], r->elective_count[1],
			      r->elective_count[2], r->assets->n};
	for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
		h_num(h, counts[k]);
	for (size_t k = 0; k < s->nnet; k++) {
		const network *n = &s->net[k];
		const char *f[] = {n->slug, n->name, n->kind, n->colour,
				   n->description,
				   bodies_shown ? n->body_html : ""};
		for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
			h_str(h, f[j]);
		h_num(h, (long long)r->net_order[k]);
		h_num(h, r->net_rank[k]);
		h_num(h, (long long)r->net_count[k]);
		h_num(h, (long long)r->net_countries[k]);
	}
	for (size_t k = 0; k < s->npages; k++) {
		h_str(h, s->pages[k].slug);
		h_str(h, s->pages[k].title);
		h_num(h, s->pages[k].has_menu);
	}
	for (size_t k = 0; k < r->assets->n; k++) {
		h_str(h, r->assets->v[k].key);
		h_str(h, r->assets->v[k].href);
	}
	for (size_t g = 0; g < r->ngroups; g++)
		h_str(h, r->groups[g].c->alpha2);
	size_t nf = geo_map_count(r->map);
	h_bytes(h, r->has_partners, nf);
	for (size_t f = 0; f < nf; f++)
		h_str(h, r->feature_name ? r->feature_name[f] : NULL);
	/* the outlines as simplified around every partner's location */
	geo_map_drawn(r->map, h_put, h);
}

/* Institution i's inputs (reuse.h, "members"): what both its digests
 * hold, then the record's bytes (the loader's digests, site.h) and its
 * bundle's into out->full, the front matter's alone into out->head. */
static void digest_member(const render_ctx *r, size_t i, member_fp *out)
{
	const institution *in = &r->s->inst[i];
	struct sha256_ctx h;
	sha256_init(&h);
	h_str(&h, in->slug);
	h_str(&h, in->path);
	h_str(&h, in->country);
	h_double(&h, in->lat);
	h_double(&h, in->lon);
	h_num(&h, r->inst_feature[i]);
	h_num(&h, r->inst_marker_net[i]);
	for (size_t k = 0; k < in->nfiles; k++) {
		h_str(&h, in->files[k].name);
		h_num(&h, (long long)in->files[k].size);
	}
	struct sha256_ctx head = h;
	sha256_update(&head, FP_LEN, in->digest_head);
	sha256_digest(&head, FP_LEN, out->head);
	sha256_update(&h, FP_LEN, in->digest_file);
	for (size_t k = 0; k < in->nfiles; k++)
		h_bytes(&h, in->files[k].data, in->files[k].size);
	sha256_digest(&h, FP_LEN, out->full);
}

/* ---- units ---------------------------------------------------------------- */

static int cmp_unit(const void *a, const void *b)
{
	return strcmp(((const unit *)a)->prefix, ((const unit *)b)->prefix);
}

static const unit *find_unit(const unit *v, size_t n, const char *prefix)
{
	unit key = {(char *)prefix, {0}};
	return n ? bsearch(&key, v, n, sizeof *v, cmp_unit) : NULL;
}

/* What a unit's fingerprint sums up besides the shared digest and the
 * summary: the digests of its members, with their body (full) or
 * without, and the text of one more input (NULL: none). */
typedef struct unit_inputs {
	const member_fp *member;
	int full;
	const size_t *which;  /* the members' indices, in page order */
	size_t n;
	size_t total;         /* a listing page's: the listing's members */
	const char *extra;
} unit_inputs;

/* A unit named key (taken), whose fingerprint is base (the shared and
 * summary digests), the key and its inputs. */
static void fill_unit(unit *x, const struct sha256_ctx *base, char *key,
		      const unit_inputs *in)
{
	struct sha256_ctx h = *base;
	x->prefix = key;
	h_str(&h, key);
	for (size_t k = 0; k < in->n; k++) {
		const member_fp *m = &in->member[in->which[k]];
		sha256_update(&h, FP_LEN, in->full ? m->full : m->head);
	}
	h_num(&h, (long long)in->total);
	h_str(&h, in->extra);
	sha256_digest(&h, FP_LEN, x->fp);
}

static void add_unit(reuse *u, const struct sha256_ctx *base, char *key,
		     const unit_inputs *in)
{
	fill_unit(&u->units[u->nunits++], base, key, in);
}

/* The units of a listing's pages (reuse.h: one per page, named by its
 * file), the listing being the n institutions of which in page order:
 * each page's fingerprint holds the members it shows, and how many the
 * listing has (its pagination and counts). What every page shows of
 * all the members (a map) joins it as the page is rendered
 * (render_reuse's shown). */
static void add_listing_units(reuse *u, const render_ctx *r,
			      const struct sha256_ctx *base, route first,
			      const member_fp *member, const size_t *which,
			      size_t n, const char *extra)
{
	size_t pages = paging_pages(r, n), size = paging_size(r);
	for (size_t p = 1; p <= pages; p++) {
		size_t from = paging_first(r, (int)p);
		unit_inputs in = {member, 0, which + from,
				  n - from < size ? n - from : size, n, extra};
		add_unit(u, base, route_file((route){first.kind, first.key, (int)p}), &in);
	}
	/* its map's, set as the listing is rendered (remember) */
	char *file = route_file(first);
	u->units[u->nunits++] = (unit){xconcat(file, MAP_INPUTS), {0}};
	u->units[u->nunits++] = (unit){xconcat(file, MAP_DRAWN), {0}};
	free(file);
}

/* How many units add_listing_units makes for n members. */
static size_t listing_units(const render_ctx *r, size_t n)
{
	return paging_pages(r, n) + 2;
}

/* The institutions that keep(in, arg) holds, in page order, into which:
 * their count. */
static size_t members_where(const render_ctx *r,
			    int (*keep)(const institution *, const char *),
			    const char *arg, size_t *which)
{
	size_t count = 0;
	for (size_t k = 0; k < r->s->ninst; k++) {
		size_t i = r->by_country[k];
		if (keep(&r->s->inst[i], arg))
			which[count++] = i;
	}
	return count;
}

/* v, holding n items of size bytes, with room for one more: its
 * capacity *cap doubles as needed. */
static void *grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 1024;
	return xreallocarray(v, *cap, size);
}

/* ---- keeping a unit --------------------------------------------------------- */

static int cmp_file_rel(const void *key, const void *elem)
{
	return strcmp(key, ((const out_file *)elem)->rel);
}

/* The first old file whose rel is not before prefix. */
static size_t first_file(const reuse *u, const char *prefix)
{
	size_t lo = 0, hi = u->nold_files;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_file_rel(prefix, &u->old_files[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether sb is the identity the manifest recorded in f: inode, times
 * and, for a file, size. */
static int same_identity(const struct stat *sb, const out_file *f)
{
	return (S_ISDIR(sb->st_mode) || sb->st_size == f->size) &&
	       sb->st_mtim.tv_sec == f->mtime_s && sb->st_mtim.tv_nsec == f->mtime_ns &&
	       sb->st_ctim.tv_sec == f->ctime_s && sb->st_ctim.tv_nsec == f->ctime_ns &&
	       (unsigned long long)sb->st_ino == f->ino;
}

enum { DIR_UNSEEN, DIR_FOLDER, DIR_OTHER };

/* Whether the folder rel of OUT_DIR has an ACL (acl(5)), looked at on
 * the folder opened, not through a link. */
static int acl_at(int outfd, const char *rel)
{
	int fd = openat(outfd, rel, O_PATH | O_DIRECTORY | O_NOFOLLOW |
				     O_CLOEXEC);
	int has = upd_acl(fd, UPD_ACL_ANY);
	if (fd >= 0)
		close(fd);
	return has;
}

/* Whether the settled folder rel of the manifest is, in OUT_DIR, a folder
 * (not a link to one): looked at once per build, its folders on the way
 * being known to be folders already. 1 a folder, 0 not, -1 not one of the
 * manifest's settled folders (nothing known of it). */
static int folder_there(reuse *u, int outfd, const char *rel)
{
	const out_file *d = bsearch(rel, u->old_dirs, u->nold_dirs,
				    sizeof *u->old_dirs, cmp_file_rel);
	if (!d)
		return -1;
	size_t i = (size_t)(d - u->old_dirs);
	pthread_mutex_lock(&u->lock);
	int state = u->dir_state[i];
	pthread_mutex_unlock(&u->lock);
	if (state == DIR_UNSEEN) {
		struct stat sb;
		/* one chmod changed is not the folder a build makes: the
		 * commit's walk looks at it, and sets its bits again; one
		 * with an ACL, whose bits show its mask, is left as it is */
		int folder = fstatat(outfd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
			     S_ISDIR(sb.st_mode) && (!u->modes_kept ||
			     (sb.st_mode & 01777) == u->dir_mode ||
			     acl_at(outfd, rel));
		pthread_mutex_lock(&u->lock);
		if (u->dir_state[i] == DIR_UNSEEN) { /* another thread's first */
			u->dir_state[i] = folder ? DIR_FOLDER : DIR_OTHER;
			if (folder)
				u->dir_now[i] = upd_ident_of(&sb);
		}
		state = u->dir_state[i];
		pthread_mutex_unlock(&u->lock);
	}
	return state == DIR_FOLDER;
}

/* upd_stat of OUT_DIR's file rel, in one call when each folder on its way
 * is a settled folder of the manifest, which folder_there looks at once
 * for all the files below it (an institution's page and its folder: two
 * calls where upd_stat takes three, and the commit asks folder_stat for
 * the folder's). A folder that is no longer one (a link put there) is
 * not gone through: the file is then not as the manifest says. */
static int stat_out(reuse *u, int outfd, const char *rel, struct stat *sb)
{
	if (!u->dir_state || !upd_rel_ok(rel))
		return upd_stat(outfd, rel, sb);
	char *path = xstrdup(rel);
	int there = 1;
	for (char *cut = strchr(path, '/'); there == 1 && cut;
	     cut = strchr(cut + 1, '/')) {
		*cut = '\0';
		there = folder_there(u, outfd, path);
		*cut = '/';
	}
	free(path);
	if (there < 0)
		return upd_stat(outfd, rel, sb);
	if (!there) {
		errno = ENOTDIR;
		return -1;
	}
	return fstatat(outfd, rel, sb, AT_SYMLINK_NOFOLLOW);
}

/* upd_folder_stat (update.h): the folder's stat folder_there took. */
static int folder_stat(void *ctx, const char *rel, struct stat *sb)
{
	reuse *u = ctx;
	const out_file *d = bsearch(rel, u->old_dirs, u->nold_dirs,
				    sizeof *u->old_dirs, cmp_file_rel);
	if (!d || !u->dir_state)
		return 0;
	size_t i = (size_t)(d - u->old_dirs);
	pthread_mutex_lock(&u->lock);
	int folder = u->dir_state[i] == DIR_FOLDER;
	if (folder)
		upd_ident_stat(&u->dir_now[i], sb);
	pthread_mutex_unlock(&u->lock);
	return folder;
}

/* Whether OUT_DIR's file is still as the manifest says, with the bits a
 * file the build writes gets (a umask changed since, or a chmod); its
 * stat in *sb. */
static int unchanged(reuse *u, int outfd, const out_file *f, struct stat *sb)
{
	return stat_out(u, outfd, f->rel, sb) == 0 && S_ISREG(sb->st_mode) &&
	       (!u->modes_kept || (sb->st_mode & 07777) == u->file_mode) &&
	       same_identity(sb, f);
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && !strcmp(s + n - m, end);
}

/* Whether the file rel of the last build belongs to unit key (reuse.h):
 * a folder's key ("x/") owns every file below it, except the scripts
 * right in it when they have their unit (with_scripts: "x/"
 * RENDER_UNIT_SCRIPTS is one), which owns those alone; any other key
 * names one file. dir is the length of key's folder or file name. */
static int owns(const char *key, size_t dir, int with_scripts, const char *rel)
{
	if (strncmp(rel, key, dir))
		return 0;
	if (key[dir] == '\0' && key[dir - 1] != '/')
		return rel[dir] == '\0';
	int script = !strchr(rel + dir, '/') && ends_with(rel, ".js");
	return key[dir] ? script : !(with_scripts && script);
}

/* The files of the last build that unit key owns, as old_files[k] for k
 * in [*lo, *hi) where own[k - *lo] is set: a fresh array. */
static unsigned char *owned_files(const reuse *u, const char *key,
				  size_t *lo, size_t *hi)
{
	size_t dir = ends_with(key, RENDER_UNIT_SCRIPTS) ?
		strlen(key) - strlen(RENDER_UNIT_SCRIPTS) : strlen(key);
	char *folder = xstrndup(key, dir);
	char *scripts = xasprintf("%s" RENDER_UNIT_SCRIPTS, folder);
	int with_scripts = key[dir] == '\0' && key[dir - 1] == '/' &&
			   find_unit(u->units, u->nunits, scripts);
	*lo = first_file(u, folder);
	*hi = *lo;
	while (*hi < u->nold_files && !strncmp(u->old_files[*hi].rel, folder, dir))
		(*hi)++;
	unsigned char *own = xcalloc(*hi - *lo + 1, 1);
	for (size_t k = *lo; k < *hi; k++)
		own[k - *lo] = (unsigned char)owns(key, dir, with_scripts,
						   u->old_files[k].rel);
	free(scripts);
	free(folder);
	return own;
}

/* Whether every file unit key owns is still the very file the last build
 * left (and there is one): then each is kept (stage_keep). 1 kept, 0 not,
 * -1 after a diagnostic. */
static int keep_files(reuse *u, const render_ctx *r, const char *key)
{
	size_t lo, hi, n = 0;
	unsigned char *own = owned_files(u, key, &lo, &hi);
	struct stat *sb = xcalloc(hi - lo + 1, sizeof *sb);
	int rc = 1;
	for (size_t k = lo; rc == 1 && k < hi; k++)
		if (own[k - lo] && (++n, !unchanged(u, r->st->outfd, &u->old_files[k],
						    &sb[k - lo])))
			rc = 0;
	if (!n)
		rc = 0;
	for (size_t k = lo; rc == 1 && k < hi; k++)
		if (own[k - lo] && stage_keep(r->st, u->old_files[k].rel,
					      (size_t)u->old_files[k].size,
					      &sb[k - lo], r->d) < 0)
			rc = -1;
	free(sb);
	free(own);
	return rc;
}

/* render_reuse.keep: 1 when every file of unit key is kept as it is.
 * What the unit shows beside its inputs (shown) joins its fingerprint
 * first, kept or not, so that the manifest holds it. */
static int keep_unit(void *ctx, const render_ctx *r, const char *key,
		     const void *shown, size_t n)
{
	reuse *u = ctx;
	unit *now = (unit *)find_unit(u->units, u->nunits, key);
	if (now && shown) {
		/* the unit is this job's alone: no lock */
		struct sha256_ctx h;
		sha256_init(&h);
		sha256_update(&h, FP_LEN, now->fp);
		h_bytes(&h, shown, n);
		sha256_digest(&h, FP_LEN, now->fp);
	}
	if (r->st->outfd < 0 || !u->nold_units)
		return 0;
	const unit *was = find_unit(u->old_units, u->nold_units, key);
	if (!now || !was || memcmp(now->fp, was->fp, FP_LEN))
		return 0;
	int kept = keep_files(u, r, key);
	if (kept <= 0)
		return kept;
	pthread_mutex_lock(&u->lock);
	u->kept++;
	pthread_mutex_unlock(&u->lock);
	return 1;
}

/* upd_listed (update.h) from the manifest: when folder rel is still the
 * one the last build recorded (a settled folder it left as it found it),
 * the names of its entries, which its files below show. */
static int dir_listing(void *ctx, const char *rel, const struct stat *sb,
		       char ***names, size_t *count)
{
	const reuse *u = ctx;
	const out_file *d = bsearch(rel, u->old_dirs, u->nold_dirs,
				    sizeof *u->old_dirs, cmp_file_rel);
	if (!d || !S_ISDIR(sb->st_mode) || !same_identity(sb, d))
		return 0;
	char *prefix = xasprintf("%s/", rel);
	size_t len = strlen(prefix), n = 0, cap = 0;
	char **v = NULL;
	for (size_t k = first_file(u, prefix);
	     k < u->nold_files && !strncmp(u->old_files[k].rel, prefix, len); k++) {
		const char *name = u->old_files[k].rel + len;
		size_t nl = strcspn(name, "/");
		if (n && !strncmp(v[n - 1], name, nl) && v[n - 1][nl] == '\0')
			continue; /* a folder's next file: sorted, they follow */
		v = grow(v, n + 1, &cap, sizeof *v);
		v[n++] = xstrndup(name, nl);
	}
	v = grow(v, n, &cap, sizeof *v);
	v[n] = NULL;
	free(prefix);
	*names = v;
	*count = n;
	return 1;
}

/* stage.old_file (stage.h): the manifest's i-th file. */
static const char *old_file(void *ctx, size_t i)
{
	const reuse *u = ctx;
	return i < u->nold_files ? u->old_files[i].rel : NULL;
}

/* The build's date when the feed shows it: only when no record has a
 * joined date (render/exports.c, export_feed), else NULL. */
static const char *feed_date(const render_ctx *r)
{
	for (size_t i = 0; i < r->s->ninst; i++)
		if (r->s->inst[i].joined)
			return NULL;
	return r->updated ? r->updated : RENDER_EPOCH;
}

/* The units of the files that list every institution (reuse.h, "site
 * files"), each with every member's front matter digest in page order. */
static void add_site_units(reuse *u, const render_ctx *r, const struct sha256_ctx *base,
			   const member_fp *member)
{
	static const char *const files[] = {
		"index.html", ROUTE_MAP_SVG, ROUTE_FEED, ROUTE_GEOJSON, ROUTE_CSV,
		ROUTE_SITEMAP, "404.html", "countries/" RENDER_UNIT_SCRIPTS,
	};
	size_t nfiles = sizeof files / sizeof files[0];
	if (!render_clustered(r))
		nfiles--; /* no countries/ scripts */
	for (size_t k = 0; k < nfiles; k++) {
		int is_404 = !strcmp(files[k], "404.html");
		int is_feed = !strcmp(files[k], ROUTE_FEED);
		unit_inputs in = {member, 0, r->by_country,
				  is_404 ? 0 : r->s->ninst, 0,
				  is_feed ? feed_date(r) : NULL};
		add_unit(u, base, xstrdup(files[k]), &in);
	}
	for (size_t g = 0; render_clustered(r) && g < r->ngroups; g++) {
		char *path = route_path((route){ROUTE_COUNTRY, r->groups[g].c->alpha2, 0});
		unit_inputs in = {member, 0, r->by_country + r->groups[g].first,
				  r->groups[g].count, 0, NULL};
		add_unit(u, base, xasprintf("%s" RENDER_UNIT_SCRIPTS, path), &in);
		free(path);
	}
}

/* ---- a listing's map ---------------------------------------------------- */

/* The digest of what the map of listing (its first page's file) is drawn
 * from, with the shared and summary digests: the fingerprint of its unit
 * MAP_INPUTS. */
static void map_inputs_fp(const reuse *u, const char *listing,
			  const unsigned char *inputs, unsigned char out[FP_LEN])
{
	struct sha256_ctx h = u->base;
	h_str(&h, "map inputs");
	h_str(&h, listing);
	sha256_update(&h, FP_LEN, inputs);
	sha256_digest(&h, FP_LEN, out);
}

/* The units of listing's map (MAP_INPUTS, MAP_DRAWN) among v. */
static void map_units(const unit *v, size_t n, const char *listing,
		      const unit **in, const unit **drawn)
{
	char *a = xconcat(listing, MAP_INPUTS), *b = xconcat(listing, MAP_DRAWN);
	*in = find_unit(v, n, a);
	*drawn = find_unit(v, n, b);
	free(a);
	free(b);
}

/* render_reuse.recall: the last build's MAP_DRAWN, when its MAP_INPUTS
 * is this build's. */
static int recall(void *ctx, const char *listing,
		  const unsigned char *inputs, unsigned char *drawn)
{
	reuse *u = ctx;
	const unit *in, *map;
	map_units(u->old_units, u->nold_units, listing, &in, &map);
	unsigned char fp[FP_LEN];
	map_inputs_fp(u, listing, inputs, fp);
	if (!in || !map || memcmp(in->fp, fp, FP_LEN))
		return 0;
	memcpy(drawn, map->fp, FP_LEN);
	return 1;
}

/* render_reuse.remember: this build's, into the listing's map units (its
 * job's alone: no lock). */
static void remember(void *ctx, const char *listing,
		     const unsigned char *inputs, const unsigned char *drawn)
{
	reuse *u = ctx;
	const unit *in, *map;
	map_units(u->units, u->nunits, listing, &in, &map);
	if (in)
		map_inputs_fp(u, listing, inputs, ((unit *)in)->fp);
	if (map)
		memcpy(((unit *)map)->fp, drawn, FP_LEN);
}

/* ---- pieces (render/splice.h) ---------------------------------------------- */

/* The piece tables are a binary file beside the manifest, written with it
 * when a build wrote a file through a splice, in the machine's own byte
 * order (it is read only where it was written):
 *   PIECES_MAGIC, then per table:
 *   u32 length of rel, rel, FP_LEN bytes of context, i64 size, mtime s,
 *   mtime ns, ctime s, ctime ns, u64 inode, u64 n, and n pieces of
 *   SPLICE_ID bytes of id, u64 offset, u32 length, u8 lead, sorted by
 *   splice_was_cmp;
 *   u32 CRC-32 of every byte before it (crc_sealed: one piece's length
 *   changed would have the last build's file copied cut or run over);
 *   PIECES_END.
 * A table is followed only for the file its identity names, as the
 * manifest's files are: a file changed since has another. */
#define PIECES_MAGIC "partnermap-pieces 2\n"
#define PIECES_END "end\n"
#define PIECE_BYTES (SPLICE_ID + 8 + 4 + 1)
/* No more tables than this are read (there are RENDER_ELECTIVES + 3). */
#define PIECES_TABLES 64

/* What the pieces of file rel are made of besides their institutions:
 * the shared and summary digests and rel. */
static void pieces_context(const reuse *u, const char *rel,
			   unsigned char out[FP_LEN])
{
	struct sha256_ctx h = u->base;
	h_str(&h, "pieces");
	h_str(&h, rel);
	sha256_digest(&h, FP_LEN, out);
}

static void forget_tables(reuse *u)
{
	for (size_t k = 0; k < u->nold_tables; k++) {
		free(u->old_tables[k].file.rel);
		free(u->old_tables[k].was);
	}
	free(u->old_tables);
	u->old_tables = NULL;
	u->nold_tables = 0;
	for (size_t k = 0; k < u->nnew_tables; k++) {
		free(u->new_tables[k].rel);
		free(u->new_tables[k].now);
	}
	free(u->new_tables);
	u->new_tables = NULL;
	u->nnew_tables = 0;
}

/* n bytes at *p of the text that ends at end into out (NULL: skipped). */
static int take_bytes(const unsigned char **p, const unsigned char *end,
		      void *out, size_t n)
{
	if ((size_t)(end - *p) < n)
		return -1;
	if (out)
		memcpy(out, *p, n);
	*p += n;
	return 0;
}

static int by_offset(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;
	return x < y ? -1 : x > y;
}

/* Whether the n pieces of was lie apart in their file, none over
 * another: as a build writes them (a table made by hand that puts two on
 * one place is not followed). */
static int pieces_apart(const splice_was *was, size_t n)
{
	unsigned long long (*span)[2] = xcalloc(n + 1, sizeof *span);
	for (size_t k = 0; k < n; k++) {
		span[k][0] = was[k].off;
		span[k][1] = was[k].off + was[k].len;
	}
	qsort(span, n, sizeof *span, by_offset);
	int ok = 1;
	for (size_t k = 1; k < n && ok; k++)
		ok = span[k][0] >= span[k - 1][1];
	free(span);
	return ok;
}

/* One table at *p into t: 0, or -1 when malformed (t is then empty). */
static int parse_table(const unsigned char **p, const unsigned char *end,
		       piece_table *t)
{
	uint32_t len;
	int64_t f[5];
	uint64_t ino, n;
	memset(t, 0, sizeof *t);
	if (take_bytes(p, end, &len, sizeof len) < 0 || len == 0 ||
	    len > PATH_MAX || (size_t)(end - *p) < len)
		return -1;
	t->file.rel = xstrndup((const char *)*p, len);
	*p += len;
	if (strlen(t->file.rel) != len ||
	    take_bytes(p, end, t->context, FP_LEN) < 0 ||
	    take_bytes(p, end, f, sizeof f) < 0 ||
	    take_bytes(p, end, &ino, sizeof ino) < 0 ||
	    take_bytes(p, end, &n, sizeof n) < 0 || f[0] < 0 ||
	    n > (uint64_t)(end - *p) / PIECE_BYTES)
		goto bad;
	t->file.size = f[0];
	t->file.mtime_s = f[1];
	t->file.mtime_ns = f[2];
	t->file.ctime_s = f[3];
	t->file.ctime_ns = f[4];
	t->file.ino = ino;
	t->n = (size_t)n;
	t->was = xcalloc(t->n + 1, sizeof *t->was);
	for (size_t k = 0; k < t->n; k++) {
		splice_was *w = &t->was[k];
		uint64_t off = 0;
		uint32_t plen = 0;
		take_bytes(p, end, w->id, SPLICE_ID);
		take_bytes(p, end, &off, sizeof off);
		take_bytes(p, end, &plen, sizeof plen);
		take_bytes(p, end, &w->lead, 1);
		w->off = off;
		w->len = plen;
		/* inside the file, and in order: bsearch finds them */
		if (w->lead > 1 || plen == 0 || off > (uint64_t)f[0] ||
		    plen > (uint64_t)f[0] - off ||
		    (k && splice_was_cmp(&t->was[k - 1], w) >= 0))
			goto bad;
	}
	if (!pieces_apart(t->was, t->n))
		goto bad;
	return 0;
bad:
	free(t->file.rel);
	free(t->was);
	memset(t, 0, sizeof *t);
	return -1;
}

/* The last build's piece tables, once (under lock): none when the file
 * is missing, not the user's own, or malformed in any part. */
static void read_pieces(reuse *u)
{
	if (u->pieces_read)
		return;
	u->pieces_read = 1;
	if (u->fresh)
		return;
	buf_t b = BUF_INIT;
	size_t head = strlen(PIECES_MAGIC), tail = strlen(PIECES_END);
	int rc = fs_read_plain(u->pieces, MANIFEST_MAX, &b);
	u->pieces_refused = rc < 0 && fs_plain_refusal(errno) ? errno : 0;
	int ours = rc == 0 && b.len >= head && !memcmp(b.ptr, PIECES_MAGIC, head);
	if (!ours || b.len < head + sizeof(uint32_t) + tail ||
	    memcmp(b.ptr + b.len - tail, PIECES_END, tail) ||
	    !crc_sealed(b.ptr, b.len - tail, 0)) {
		u->pieces_damaged = rc == 0 &&
			!fs_magic_other(b.ptr, b.len, PIECES_MAGIC);
		buf_free(&b);
		return;
	}
	const unsigned char *p = (const unsigned char *)b.ptr + head;
	const unsigned char *end = (const unsigned char *)b.ptr + b.len - tail -
				   sizeof(uint32_t);
	piece_table *v = xcalloc(PIECES_TABLES, sizeof *v);
	size_t n = 0;
	int ok = 1;
	while (ok && p < end)
		ok = n < PIECES_TABLES && parse_table(&p, end, &v[n++]) == 0;
	u->old_tables = v;
	u->nold_tables = n;
	if (!ok)
		forget_tables(u);
	u->pieces_damaged = !ok;
	buf_free(&b);
}

static piece_table *old_table(const reuse *u, const char *rel)
{
	for (size_t k = 0; k < u->nold_tables; k++)
		if (!strcmp(u->old_tables[k].file.rel, rel))
			return &u->old_tables[k];
	return NULL;
}

/* render_reuse.splice_open: the last build's file rel, when it is still
 * the very file its table describes and the table's pieces were made of
 * what this build's would be. */
static render_splice *splice_open(void *ctx, const render_ctx *r,
				  const char *rel)
{
	reuse *u = ctx;
	if (!u->member)
		return NULL;
	render_splice *sp = xcalloc(1, sizeof *sp);
	*sp = (render_splice){.fd = -1, .ids = u->member[0].head,
			      .stride = sizeof *u->member,
			      .members = u->nmember};
	unsigned char context[FP_LEN];
	pieces_context(u, rel, context);
	pthread_mutex_lock(&u->lock);
	read_pieces(u);
	const piece_table *t = old_table(u, rel);
	pthread_mutex_unlock(&u->lock);
	struct stat sb;
	int fd = t && !memcmp(t->context, context, FP_LEN) && r->st->outfd >= 0 ?
		upd_open(r->st->outfd, rel, &sb) : -1;
	/* one name: not a file someone linked in from elsewhere */
	if (fd >= 0 && same_identity(&sb, &t->file) && sb.st_nlink == 1) {
		sp->fd = fd;
		sp->was = t->was;
		sp->nwas = t->n;
	} else if (fd >= 0) {
		close(fd);
	}
	return sp;
}

/* render_reuse.splice_close: the pieces of rel as written, for the save. */
static void splice_close(void *ctx, const char *rel, render_splice *sp, int ok)
{
	reuse *u = ctx;
	if (sp->fd >= 0)
		close(sp->fd);
	if (ok) {
		new_table t = {xstrdup(rel), {0}, sp->now, sp->nnow};
		pieces_context(u, rel, t.context);
		sp->now = NULL;
		pthread_mutex_lock(&u->lock);
		u->new_tables = xreallocarray(u->new_tables, u->nnew_tables + 1,
					      sizeof *u->new_tables);
		u->new_tables[u->nnew_tables++] = t;
		pthread_mutex_unlock(&u->lock);
	}
	splice_release(sp);
	free(sp);
}

static void put_table_head(buf_t *b, const out_file *f,
			   const unsigned char *context, uint64_t n)
{
	uint32_t len = (uint32_t)strlen(f->rel);
	int64_t fields[5] = {f->size, f->mtime_s, f->mtime_ns, f->ctime_s,
			     f->ctime_ns};
	uint64_t ino = f->ino;
	buf_put(b, &len, sizeof len);
	buf_put(b, f->rel, len);
	buf_put(b, context, FP_LEN);
	buf_put(b, fields, sizeof fields);
	buf_put(b, &ino, sizeof ino);
	buf_put(b, &n, sizeof n);
}

static void put_piece(buf_t *b, const splice_was *w)
{
	uint64_t off = w->off;
	uint32_t len = w->len;
	buf_put(b, w->id, SPLICE_ID);
	buf_put(b, &off, sizeof off);
	buf_put(b, &len, sizeof len);
	buf_put(b, &w->lead, 1);
}

/* The pieces of t, sorted as splice_open looks them up. */
static splice_was *sorted_pieces(const reuse *u, const new_table *t)
{
	splice_was *v = xcalloc(t->n + 1, sizeof *v);
	for (size_t k = 0; k < t->n; k++) {
		const splice_now *p = &t->now[k];
		size_t i = p->member & ~SPLICE_LEAD;
		memcpy(v[k].id, u->member[i].head, SPLICE_ID);
		v[k].off = p->off;
		v[k].len = p->len;
		v[k].lead = (p->member & SPLICE_LEAD) != 0;
	}
	qsort(v, t->n, sizeof *v, splice_was_cmp);
	return v;
}

typedef struct member_job {
	const render_ctx *r;
	const struct sha256_ctx *base;
	member_fp *member;
	unit *units;
} member_job;

/* Institution i's digests, and its page's unit (reuse.h: its own "full"
 * digest) as units[i]. Writes only those two. */
static void member_unit(void *arg, size_t i)
{
	const member_job *j = arg;
	digest_member(j->r, i, &j->member[i]);
	unit_inputs in = {j->member, 1, &i, 1, 0, NULL};
	fill_unit(&j->units[i], j->base,
		  route_path((route){ROUTE_INSTITUTION, j->r->s->inst[i].slug, 0}),
		  &in);
}

void reuse_prepare(reuse *u, render_ctx *r)
{
	const site *s = r->s;
	u->file_mode = r->st->file_mode;
	u->dir_mode = r->st->dir_mode;
	u->modes_kept = r->st->modes_kept;
	struct sha256_ctx base;
	sha256_init(&base);
	sha256_update(&base, FP_LEN, u->shared);
	h_summary(&base, r, mst_set_shows_inside(r->tpl, network_lists,
						 "body_html"));
	member_fp *member = xcalloc(s->ninst + 1, sizeof *member);
	size_t *which = xcalloc(s->ninst + 1, sizeof *which);
	/* the listings' pages, counted first */
	size_t nunits = s->ninst + r->ngroups + 2 * RENDER_ELECTIVES + 16;
	for (size_t g = 0; g < r->ngroups; g++)
		nunits += listing_units(r, r->groups[g].count);
	for (size_t n = 0; n < s->nnet; n++)
		nunits += listing_units(r, r->net_count[n]);
	for (size_t e = 0; e < RENDER_ELECTIVES; e++)
		nunits += listing_units(r, members_where(r, inst_offers,
							 render_electives[e], which));
	u->units = xcalloc(nunits, sizeof *u->units);
	/* each institution's digests and page unit, units[0 .. ninst), on
	 * the build's threads */
	member_job job = {r, &base, member, u->units};
	par_for(s->ninst, r->jobs, member_unit, &job);
	u->nunits = s->ninst;
	for (size_t g = 0; g < r->ngroups; g++)
		add_listing_units(u, r, &base, (route){ROUTE_COUNTRY, r->groups[g].c->alpha2, 1},
				  member, r->by_country + r->groups[g].first,
				  r->groups[g].count, NULL);
	for (size_t n = 0; n < s->nnet; n++)
		/* its own body, which the summary may leave out */
		add_listing_units(u, r, &base, (route){ROUTE_NETWORK, s->net[n].slug, 1},
				  member, which, members_where(r, inst_in_network,
							       s->net[n].slug, which),
				  s->net[n].body_html);
	for (size_t e = 0; e < RENDER_ELECTIVES; e++) {
		route at = {ROUTE_ELECTIVE, render_electives[e], 1};
		size_t n = members_where(r, inst_offers, render_electives[e], which);
		add_listing_units(u, r, &base, at, member, which, n, NULL);
		/* the CSV beside its first page lists them all */
		char *path = route_path(at);
		unit_inputs in = {member, 0, which, n, n, NULL};
		add_unit(u, &base, xconcat(path, ROUTE_ELECTIVE_CSV), &in);
		free(path);
	}
	add_site_units(u, r, &base, member);
	qsort(u->units, u->nunits, sizeof *u->units, cmp_unit);
	free(which);
	u->member = member;
	u->nmember = s->ninst;
	u->base = base;
	u->hook = (render_reuse){keep_unit, splice_open, splice_close, recall,
				 remember, u};
	r->reuse = &u->hook;
	if (u->nold_files) {
		r->st->old_file = old_file;
		r->st->listed_ctx = u;
	}
	if (u->nold_dirs) {
		u->dir_state = xcalloc(u->nold_dirs, 1);
		u->dir_now = xcalloc(u->nold_dirs, sizeof *u->dir_now);
		r->st->listed = dir_listing;
		r->st->folder_stat = folder_stat;
		r->st->listed_ctx = u;
	}
}

/* ---- the manifest ----------------------------------------------------------- */

/* The manifest is text, one line per unit, file or folder, written and
 * read without printf or scanf (10,000 institutions make 30,000 lines):
 *   u <64 hex digits of the fingerprint> <key>
 *   f <size> <mtime s> <mtime ns> <ctime s> <ctime ns> <inode> <rel>
 *   d <mtime s> <mtime ns> <ctime s> <ctime ns> <inode> <rel>
 * each kind sorted by its last field, every number in decimal. */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int hex_digest(const char *p, unsigned char *out)
{
	for (size_t k = 0; k < FP_LEN; k++) {
		int hi = hex_value(p[2 * k]), lo = hi < 0 ? -1 : hex_value(p[2 * k + 1]);
		if (lo < 0)
			return -1;
		out[k] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* The decimal number after one space at *p, with a '-' first when neg_ok,
 * *p moved past it: 0, or -1 when there is none or it overflows. */
static int take_num(const char **p, int neg_ok, unsigned long long *mag,
		    int *neg)
{
	const char *s = *p;
	if (*s++ != ' ')
		return -1;
	*neg = neg_ok && *s == '-';
	s += *neg;
	if (*s < '0' || *s > '9')
		return -1;
	unsigned long long v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*mag = v;
	*p = s;
	return 0;
}

static int take_ll(const char **p, long long *v)
{
	unsigned long long mag;
	int neg;
	if (take_num(p, 1, &mag, &neg) < 0 || mag > (unsigned long long)LLONG_MAX)
		return -1;
	*v = neg ? -(long long)mag : (long long)mag;
	return 0;
}

/* A file's or a folder's fields (a folder's have no size), in the order
 * of a line. */
#define ENTRY_FIELDS(f) {&(f)->size, &(f)->mtime_s, &(f)->mtime_ns, \
			 &(f)->ctime_s, &(f)->ctime_ns}

/* A line "f ..." or "d ..." into *f: 0, or -1 when malformed. */
static int parse_entry(const char *line, out_file *f)
{
	int dir = line[0] == 'd', neg;
	long long *fields[] = ENTRY_FIELDS(f);
	const char *p = line + 1;
	for (size_t k = (size_t)dir; k < sizeof fields / sizeof fields[0]; k++)
		if (take_ll(&p, fields[k]) < 0)
			return -1;
	if (take_num(&p, 0, &f->ino, &neg) < 0 || *p != ' ' || !upd_rel_ok(p + 1))
		return -1;
	f->rel = (char *)p + 1;
	return 0;
}

/* One line of the manifest (without its '\n') into u; -1 when malformed
 * or out of order. */
static int parse_line(reuse *u, char *line)
{
	if (line[0] == 'u' && line[1] == ' ' && strlen(line) > 3 + 2 * FP_LEN &&
	    line[2 + 2 * FP_LEN] == ' ') {
		unit x = {line + 3 + 2 * FP_LEN, {0}};
		if (hex_digest(line + 2, x.fp) < 0 || (u->nold_units &&
		    strcmp(u->old_units[u->nold_units - 1].prefix, x.prefix) >= 0))
			return -1;
		u->old_units = grow(u->old_units, u->nold_units, &u->cap_units,
				    sizeof *u->old_units);
		x.prefix = xstrdup(x.prefix);
		u->old_units[u->nold_units++] = x;
		return 0;
	}
	int dir = line[0] == 'd';
	out_file **v = dir ? &u->old_dirs : &u->old_files;
	size_t *n = dir ? &u->nold_dirs : &u->nold_files;
	out_file f = {NULL, 0, 0, 0, 0, 0, 0};
	if ((!dir && line[0] != 'f') || parse_entry(line, &f) < 0 ||
	    (*n && strcmp((*v)[*n - 1].rel, f.rel) >= 0))
		return -1;
	f.rel = xstrdup(f.rel);
	*v = grow(*v, *n, dir ? &u->cap_dirs : &u->cap_files, sizeof **v);
	(*v)[(*n)++] = f;
	return 0;
}

static void forget_old(reuse *u)
{
	for (size_t k = 0; k < u->nold_units; k++)
		free(u->old_units[k].prefix);
	for (size_t k = 0; k < u->nold_files; k++)
		free(u->old_files[k].rel);
	for (size_t k = 0; k < u->nold_dirs; k++)
		free(u->old_dirs[k].rel);
	free(u->old_units);
	free(u->old_files);
	free(u->old_dirs);
	u->old_units = NULL;
	u->old_files = u->old_dirs = NULL;
	u->nold_units = u->nold_files = u->nold_dirs = 0;
	u->cap_units = u->cap_files = u->cap_dirs = 0;
}

/* Read the whole of the regular file at path as fs_read_plain does (not
 * through a link, the user's own, at most MANIFEST_MAX bytes): 0, or -1.
 * No lock is taken: the manifest is only ever replaced whole, by a rename
 * (write_manifest), so a read sees one version or the other; and a lock
 * anyone who can read the file could hold would let them stall the build. */
static int read_regular(const char *path, buf_t *out)
{
	return fs_read_plain(path, MANIFEST_MAX, out);
}

/* Room for every unit, file and folder line of the manifest text
 * (NUL-ended), counted first: grown by doubling instead, the arrays held
 * up to twice their size (some 8 MB more at 100,000 records) while the
 * pages rendered. */
static void reserve_lines(reuse *u, const char *text)
{
	size_t n[3] = {0, 0, 0};
	for (const char *line = text; *line;) {
		n[line[0] == 'u' ? 0 : line[0] == 'd' ? 1 : 2]++;
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	u->cap_units = n[0];
	u->old_units = xcalloc(n[0] + 1, sizeof *u->old_units);
	u->cap_dirs = n[1];
	u->old_dirs = xcalloc(n[1] + 1, sizeof *u->old_dirs);
	u->cap_files = n[2];
	u->old_files = xcalloc(n[2] + 1, sizeof *u->old_files);
}

static void load_manifest(reuse *u)
{
	buf_t b = BUF_INIT;
	size_t head = strlen(MANIFEST_HEAD), end = strlen(MANIFEST_END);
	int rc = read_regular(u->manifest, &b);
	u->refused = rc < 0 && fs_plain_refusal(errno) ? errno : 0;
	int ok = rc == 0 && b.len >= head + MANIFEST_CRC_LEN + end &&
		 !memcmp(b.ptr, MANIFEST_HEAD, head) &&
		 !memcmp(b.ptr + b.len - end, MANIFEST_END, end) &&
		 !memchr(b.ptr, '\0', b.len) &&
		 crc_sealed(b.ptr, b.len - end, 1);
	if (ok) {
		b.ptr[b.len - end - MANIFEST_CRC_LEN] = '\0';
		reserve_lines(u, b.ptr + head);
		for (char *line = b.ptr + head, *nl; ok && *line; line = nl + 1) {
			nl = strchr(line, '\n');
			ok = nl != NULL;
			if (ok) {
				*nl = '\0';
				ok = parse_line(u, line) == 0;
			}
		}
	}
	if (!ok)
		forget_old(u);
	u->loaded = ok;
	u->damaged = !ok && rc == 0 &&
		     !fs_magic_other(b.ptr, b.len, MANIFEST_HEAD);
	buf_free(&b);
}

reuse *reuse_open(const reuse_inputs *in)
{
	reuse *u = xcalloc(1, sizeof *u);
	pthread_mutex_init(&u->lock, NULL);
	u->out = xstrdup(in->out_dir);
	for (size_t n = strlen(u->out); n > 1 && u->out[n - 1] == '/'; n--)
		u->out[n - 1] = '\0'; /* "out/" */
	const char *slash = strrchr(u->out, '/');
	const char *base = slash ? slash + 1 : u->out;
	u->manifest = xasprintf("%.*s.%s%s", (int)(base - u->out), u->out, base,
				REUSE_MANIFEST_SUFFIX);
	u->pieces = xasprintf("%.*s.%s%s", (int)(base - u->out), u->out, base,
			      REUSE_PIECES_SUFFIX);
	u->fresh = in->fresh;
	if (!in->fresh)
		load_manifest(u);
	digest_shared(u, in);
	return u;
}

/* ---- writing the manifest ----------------------------------------------------- */

typedef struct file_list {
	out_file *v;
	size_t n, cap;
	int borrowed;  /* the rels are another's (found_files) */
} file_list;

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const out_file *)a)->rel, ((const out_file *)b)->rel);
}

/* The file rel (taken) as sb gives it. */
static out_file file_as(char *rel, const struct stat *sb)
{
	return (out_file){rel, sb->st_size, sb->st_mtim.tv_sec,
			  sb->st_mtim.tv_nsec, sb->st_ctim.tv_sec,
			  sb->st_ctim.tv_nsec, (unsigned long long)sb->st_ino};
}

/* A walk of OUT_DIR for the manifest after a build that swapped a whole
 * site in: its files, and its settled folders (update.h). */
typedef struct listing {
	file_list files, dirs;
	struct timespec began;
} listing;

/* Every regular file below the open folder fd, whose rel is prefix, into
 * l->files, and each settled folder (sb: its stat, taken before it was
 * read; NULL at the top) into l->dirs; -1 when a folder cannot be listed
 * or a name cannot stand in a line. */
static int list_files(int fd, const char *prefix, const struct stat *self,
		      listing *l, int depth)
{
	char **names;
	size_t count;
	if (depth > 64 || fs_list_at(fd, ".", &names, &count) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < count && rc == 0; i++) {
		const char *name = names[i];
		if (!*prefix && !strcmp(name, STAGE_MARKER))
			continue;
		char *rel = *prefix ? xasprintf("%s/%s", prefix, name) : xstrdup(name);
		struct stat sb;
		if (strpbrk(rel, "\n\r") || fstatat(fd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
			rc = sub < 0 ? -1 : list_files(sub, rel, &sb, l, depth + 1);
			if (sub >= 0)
				close(sub);
		} else if (S_ISREG(sb.st_mode)) {
			file_list *f = &l->files;
			f->v = grow(f->v, f->n, &f->cap, sizeof *f->v);
			f->v[f->n++] = file_as(rel, &sb);
			rel = NULL;
		}
		free(rel);
	}
	fs_free_list(names);
	if (rc == 0 && self && upd_settled(self, &l->began)) {
		file_list *d = &l->dirs;
		d->v = grow(d->v, d->n, &d->cap, sizeof *d->v);
		d->v[d->n++] = file_as(xstrdup(prefix), self);
	}
	return rc;
}

/* " <number>" into out, with a '-' when neg. */
static void put_num(buf_t *out, unsigned long long mag, int neg)
{
	char tmp[24], *p = tmp + sizeof tmp;
	do
		*--p = (char)('0' + mag % 10);
	while (mag /= 10);
	if (neg)
		*--p = '-';
	*--p = ' ';
	buf_put(out, p, (size_t)(tmp + sizeof tmp - p));
}

/* The line of f into out: kind 'f' a file, 'd' a folder. */
static void put_entry(buf_t *out, char kind, out_file *f)
{
	long long *fields[] = ENTRY_FIELDS(f);
	buf_putc(out, kind);
	for (size_t k = kind == 'd'; k < sizeof fields / sizeof fields[0]; k++)
		put_num(out, *fields[k] < 0 ? 0ULL - (unsigned long long)*fields[k]
			: (unsigned long long)*fields[k], *fields[k] < 0);
	put_num(out, f->ino, 0);
	buf_putc(out, ' ');
	buf_puts(out, f->rel);
	buf_putc(out, '\n');
}

/* Write the manifest of u's units and the files and folders l and dirs
 * as the file u->manifest, in one step (fs_replace_open): a name planted
 * there (a symbolic or a hard link to another file) is replaced, never
 * written through. Written as it is made, through a 1 MiB buffer: the
 * text of 100,000 pages is some 20 MB. 0 or -1. */
static int write_manifest(const reuse *u, const file_list *l,
			  const file_list *dirs)
{
	fs_writer w;
	/* the list of the output's files: the user's alone, as the
	 * output folder may be kept from others (made so, and so whatever
	 * the umask) */
	if (fs_replace_open_mode(&w, u->manifest, 0600) < 0)
		return -1;
	(void)fchmod(w.fd, 0600);
	uLong crc = crc32(0, NULL, 0);
	w.seen = crc_seen;
	w.ctx = &crc;
	buf_puts(&w.b, MANIFEST_HEAD);
	for (size_t k = 0; k < u->nunits; k++) {
		char line[3 + 2 * FP_LEN] = "u ";
		digest_hex(u->units[k].fp, FP_LEN, line + 2);
		line[2 + 2 * FP_LEN] = ' ';
		buf_put(&w.b, line, sizeof line);
		buf_puts(&w.b, u->units[k].prefix);
		buf_putc(&w.b, '\n');
		fs_writer_more(&w);
	}
	for (size_t k = 0; k < l->n; k++) {
		put_entry(&w.b, 'f', &l->v[k]);
		fs_writer_more(&w);
	}
	for (size_t k = 0; k < dirs->n; k++) {
		put_entry(&w.b, 'd', &dirs->v[k]);
		fs_writer_more(&w);
	}
	fs_writer_flush(&w); /* every byte before the CRC is seen */
	w.seen = NULL;
	buf_printf(&w.b, "crc %08lx\n", (unsigned long)crc);
	buf_puts(&w.b, MANIFEST_END);
	return fs_replace_close(&w, 1);
}

/* The files or folders stage_commit found in OUT_DIR (stage.h), into l:
 * 0, or -1 when a name cannot stand in a line. */
static int found_files(const stage_files *found, file_list *l)
{
	l->v = xcalloc(found->n + 1, sizeof *l->v);
	l->borrowed = 1;
	for (size_t k = 0; k < found->n; k++) {
		if (strpbrk(found->v[k].rel, "\n\r"))
			return -1;
		const upd_ident *id = &found->v[k].id;
		l->v[l->n++] = (out_file){found->v[k].rel, id->size,
					  id->mtime.tv_sec, id->mtime.tv_nsec,
					  id->ctime.tv_sec, id->ctime.tv_nsec,
					  id->ino};
	}
	return 0;
}

static void free_list(file_list *l)
{
	for (size_t k = 0; !l->borrowed && k < l->n; k++)
		free(l->v[k].rel);
	free(l->v);
}

/* After the manifest of the files l (sorted by rel) was written: the
 * tables of the files this build wrote through a splice, each with the
 * identity l gives its file, and the last build's tables of the others
 * that l still has as they were, as u->pieces (the user's alone, as the
 * manifest). 0 or -1. */
static int write_pieces(reuse *u, const file_list *l)
{
	read_pieces(u);
	fs_writer w;
	if (fs_replace_open_mode(&w, u->pieces, 0600) < 0)
		return -1;
	(void)fchmod(w.fd, 0600);
	uLong crc = crc32(0, NULL, 0);
	w.seen = crc_seen;
	w.ctx = &crc;
	buf_puts(&w.b, PIECES_MAGIC);
	size_t tables = 0;
	for (size_t k = 0; k < u->nnew_tables && tables < PIECES_TABLES; k++) {
		const new_table *t = &u->new_tables[k];
		const out_file *f = bsearch(t->rel, l->v, l->n, sizeof *l->v,
					    cmp_file_rel);
		if (!f)
			continue; /* not in the output after all */
		splice_was *v = sorted_pieces(u, t);
		put_table_head(&w.b, f, t->context, t->n);
		for (size_t i = 0; i < t->n; i++) {
			put_piece(&w.b, &v[i]);
			fs_writer_more(&w);
		}
		free(v);
		tables++;
	}
	for (size_t k = 0; k < u->nold_tables && tables < PIECES_TABLES; k++) {
		const piece_table *t = &u->old_tables[k];
		int written = 0;
		for (size_t j = 0; j < u->nnew_tables && !written; j++)
			written = !strcmp(u->new_tables[j].rel, t->file.rel);
		/* kept: still the very file of the output; a table of a file
		 * gone or changed would never be followed again */
		const out_file *f = written ? NULL :
			bsearch(t->file.rel, l->v, l->n, sizeof *l->v, cmp_file_rel);
		if (!f || f->size != t->file.size || f->ino != t->file.ino ||
		    f->mtime_s != t->file.mtime_s || f->mtime_ns != t->file.mtime_ns ||
		    f->ctime_s != t->file.ctime_s || f->ctime_ns != t->file.ctime_ns)
			continue;
		put_table_head(&w.b, &t->file, t->context, t->n);
		for (size_t i = 0; i < t->n; i++) {
			put_piece(&w.b, &t->was[i]);
			fs_writer_more(&w);
		}
		tables++;
	}
	fs_writer_flush(&w); /* every byte before the CRC is seen */
	w.seen = NULL;
	uint32_t sum = (uint32_t)crc;
	buf_put(&w.b, &sum, sizeof sum);
	buf_puts(&w.b, PIECES_END);
	return fs_replace_close(&w, 1);
}

int reuse_save(reuse *u, const stage *st)
{
	listing w = {.began = {0, 0}};
	file_list *l = &w.files;
	int rc = -1;
	errno = EINVAL; /* a name that cannot stand in a line */
	if (u->units && st->found.v) {
		rc = found_files(&st->found, l);
		if (rc == 0)
			rc = found_files(&st->found_dirs, &w.dirs);
	} else if (u->units) {
		int fd = open(u->out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		clock_gettime(CLOCK_REALTIME, &w.began);
		rc = fd < 0 ? -1 : list_files(fd, "", NULL, &w, 0);
		if (fd >= 0)
			close(fd);
	} else {
		rc = 0; /* nothing to keep: no manifest */
		unlink(u->manifest);
	}
	if (rc == 0 && u->units) {
		file_list *lists[] = {l, &w.dirs};
		for (size_t k = 0; k < 2; k++)
			if (lists[k]->n)
				qsort(lists[k]->v, lists[k]->n, sizeof *lists[k]->v, cmp_file);
		rc = write_manifest(u, l, &w.dirs);
		/* the pieces' tables are only ever followed for the very
		 * files they name: a failure to write them loses copies
		 * alone, and the last ones stay true of their files */
		if (rc == 0 && u->nnew_tables && write_pieces(u, l) < 0)
			u->pieces_errno = errno ? errno : EIO;
		/* nor written after a manifest that was not: one refused
		 * is then still there, not replaced ("wrote its own") */
		else if (rc < 0 && u->pieces_refused)
			u->pieces_errno = errno ? errno : EIO;
	}
	int e = errno;
	/* A build that changed nothing in OUT_DIR leaves the last manifest
	 * true: each file it names is still the very file that was written
	 * for the inputs it records. Kept when the new one cannot be written
	 * (a full disk), as the build itself wrote nothing. */
	int unchanged = u->loaded && st->outfd >= 0 && st->written == 0 &&
			st->removed == 0;
	if (rc < 0 && unchanged)
		rc = 0;
	else if (rc < 0)
		unlink(u->manifest);
	free_list(l);
	free_list(&w.dirs);
	errno = e;
	return rc;
}

int reuse_refused(const reuse *u)
{
	return u->refused;
}

int reuse_pieces_refused(const reuse *u)
{
	return u->pieces_refused;
}

int reuse_damaged(const reuse *u)
{
	return u->damaged;
}

int reuse_pieces_damaged(const reuse *u)
{
	return u->pieces_damaged;
}

int reuse_pieces_errno(const reuse *u)
{
	return u->pieces_errno;
}

size_t reuse_old_files(const reuse *u)
{
	return u ? u->nold_files : 0;
}

size_t reuse_kept(const reuse *u)
{
	return u->kept;
}

void reuse_free(reuse *u)
{
	if (!u)
		return;
	forget_old(u);
	for (size_t k = 0; k < u->nunits; k++)
		free(u->units[k].prefix);
	free(u->units);
	free(u->dir_state);
	free(u->dir_now);
	free(u->member);
	forget_tables(u);
	free(u->pieces);
	free(u->manifest);
	free(u->out);
	pthread_mutex_destroy(&u->lock);
	free(u);
}
