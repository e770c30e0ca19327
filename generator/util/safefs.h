/* safefs.h - reading the files of a folder nobody vouches for.
 *
 * A site folder usually comes from a pull request, and what a build reads
 * from it ends up published. So every file a build reads from the site
 * goes through here, confined to a root folder (the site folder, or the
 * installed theme's folder when the theme comes from the install prefix):
 *
 *   - its real path, with every symbolic link resolved, lies inside the
 *     root. A link whose target stays inside keeps working; one that leads
 *     out (to /etc/passwd, /proc/self/environ, a folder linked to /etc) is
 *     refused, naming the link;
 *   - it is a regular file: a named pipe would block the build, a device
 *     (/dev/zero, /dev/urandom) never ends;
 *   - it is no larger than the limit for its kind, and never more than
 *     limit + 1 bytes are read even if it grows meanwhile.
 *
 * The checks hold for what is opened, not only for its name: the path is
 * resolved (realpath), the result stat'ed (so a special file is refused
 * before it is opened), then opened without following a last link
 * (O_NOFOLLOW) and without blocking (O_NONBLOCK); the open descriptor must
 * be the same inode, a regular file, and (where /proc is mounted) the
 * kernel's own name for it must still be the resolved path. A file named
 * by a listing (sfs_read_entry) is opened from the listed folder's own
 * descriptor with O_NOFOLLOW instead, which pins it to that folder. A tree
 * that changes while it is read is refused rather than followed.
 *
 * Refusals are content errors (DIAG_ERROR at line 1, column 1 of the path
 * as messages show it) that say what is wrong and how to fix it. Plain I/O
 * failures (a missing file, no permission) are left to the caller, which
 * knows whether a missing file matters: such calls return SFS_IO with
 * errno set and add nothing to the diagnostics.
 *
 * No global state: a root is a value the caller owns. */
#ifndef PM_SAFEFS_H
#define PM_SAFEFS_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

/* ---- limits: the most a build reads of each kind of file, in bytes ----- */

#define PM_MAX_CONTENT  (1ul << 20)   /* a record, network or page: 1 MiB */
#define PM_MAX_CONFIG   (1ul << 20)   /* site.yml: 1 MiB */
#define PM_MAX_TEMPLATE (1ul << 20)   /* a Mustache template: 1 MiB */
#define PM_MAX_ASSET    (16ul << 20)  /* a theme asset: 16 MiB */
#define PM_MAX_SHP      (256ul << 20) /* shapefile geometry: 256 MiB */
#define PM_MAX_SHX      (256ul << 20) /* shapefile index: 256 MiB */
#define PM_MAX_DBF      (256ul << 20) /* shapefile attributes: 256 MiB */
#define PM_MAX_PRJ      (64ul << 10)  /* a CRS in WKT: 64 KiB */
#define PM_MAX_CPG      (4ul << 10)   /* an encoding's name: 4 KiB */
#define PM_MAX_BUNDLE_FILE (64ul << 20) /* a file of a page bundle: 64 MiB */
#define PM_MAX_I18N     (1ul << 20)   /* a translation file: 1 MiB */
#define PM_MAX_ARCHETYPE (1ul << 20)  /* an archetype: 1 MiB */

/* What is being read: picks the limit and the words of the messages. */
typedef enum sfs_kind {
	SFS_CONTENT,  /* content/institutions/<slug>.md (or <slug>/index.md) */
	SFS_CONFIG,   /* site.yml */
	SFS_TEMPLATE, /* a .mustache file of a theme */
	SFS_ASSET,    /* themes/<name>/assets/<file> */
	SFS_SHP,
	SFS_SHX,
	SFS_DBF,
	SFS_PRJ,
	SFS_CPG,
	SFS_BUNDLE,   /* a file beside content/institutions/<slug>/index.md */
	SFS_NETWORK,  /* content/networks/<slug>.md */
	SFS_PAGE,     /* content/pages/<slug>.md */
	SFS_I18N,     /* i18n/<lang>.yml, of the site or of a theme */
	SFS_ARCHETYPE, /* archetypes/<kind>.md, of the site or of a theme */
} sfs_kind;

/* The limit of a kind, in bytes (one of PM_MAX_*). */
size_t sfs_limit(sfs_kind kind);

/* 1 when rel is a relative path whose ".." never climbs above where it
 * starts ("geodata/x.shp", "a/../b"); 0 for an absolute path or one such
 * as "../x" or "a/../../x". Only the text is looked at: links are checked
 * when the file is read. */
int sfs_rel_stays_inside(const char *rel);

/* Return values of sfs_read and sfs_list. */
enum {
	SFS_OK = 0,
	SFS_IO = -1,      /* could not be read; errno says why; nothing reported */
	SFS_REFUSED = -2  /* refused; a DIAG_ERROR was added */
};

/* A folder reads are confined to. */
typedef struct sfs_root {
	char *real;       /* its real path; NULL when it could not be resolved */
	size_t len;       /* strlen(real) */
	int err;          /* errno from resolving it, when real is NULL */
	const char *what; /* how messages name it: "site folder" (not owned) */
} sfs_root;

/* Resolve dir (trusted: it comes from the command line or the install
 * prefix) as a root. what names it in messages and must outlive the root.
 * Returns 0, or -1 with errno set; either way r must be freed with
 * sfs_root_free, and reads from a root that failed return SFS_IO with
 * that errno. */
int sfs_root_init(sfs_root *r, const char *dir, const char *what);
void sfs_root_free(sfs_root *r);

/* 1 when rel names nothing under r: no file, folder or link at that
 * name, in a folder that lies inside the root, so a reader can be told
 * "not there" at the place that named it (a misspelt name) rather than
 * when it is read. *folder (when folder is not NULL) is then the real
 * path of the folder rel names it in, when that folder exists (inside
 * the root), else NULL; the caller frees it. 0 otherwise: there, a link
 * to anywhere (a read tells what is wrong with it), an absolute path or
 * one climbing out, or a folder on the way that leads out of the root
 * (nothing is told of what lies outside). Looks only: opens nothing. */
int sfs_missing(const sfs_root *r, const char *rel, char **folder);
/* 1 when rel names a folder inside r (through links that stay inside),
 * else 0. Looks only. */
int sfs_is_folder(const sfs_root *r, const char *rel);

/* Append the whole file rel (a path relative to r, such as
 * "content/institutions/oxford.md") to out. shown is the path as messages
 * print it (relative to the site folder; usually rel itself). An absolute
 * rel, or one whose ".." climbs out of the root, is refused as well.
 * On success out holds the bytes plus a NUL terminator (never NULL). */
int sfs_read(const sfs_root *r, const char *rel, const char *shown,
	     sfs_kind kind, buf_t *out, diags_t *d);

/* One name in a folder listing. */
typedef struct sfs_entry {
	char *name;  /* owned */
	int is_dir;  /* 1 for a folder (or a link to one inside the root) */
	int is_link; /* 1 for a symbolic link (whose target stays inside) */
} sfs_entry;

typedef struct sfs_listing {
	sfs_entry *v; /* sorted bytewise by name; owned */
	size_t n;
	/* the names refused (told as errors), sorted bytewise; owned: a
	 * file that is there, though it may not be read */
	char **refused;
	size_t nrefused;
	int fd;       /* the folder, kept open for sfs_read_entry; or -1 */
	int nonascii; /* 1 when a name of v holds a byte past 0x7F */
} sfs_listing;

/* The entries of folder rel under r, without "." and ".." or hidden
 * names. The folder itself must lie inside the root. Entries that cannot
 * be read safely (a symbolic link out of the root, a named pipe, device or
 * socket) are reported as errors, with shown + "/" + name as their path,
 * and left out. Returns SFS_OK; SFS_REFUSED when the folder or any entry
 * was refused (out still holds the entries that may be read, so that their
 * problems are reported too); SFS_IO with errno (ENOENT for a missing
 * folder, ENOTDIR for a file in its place). out is always initialised;
 * free it with sfs_list_free. */
int sfs_list(const sfs_root *r, const char *rel, const char *shown,
	     sfs_listing *out, diags_t *d);

/* Read entry i of l, whose path under r is rel (the listed folder + "/" +
 * its name), exactly as sfs_read would; but a name that is not a link is
 * opened straight from the folder sfs_list checked (openat, O_NOFOLLOW),
 * without resolving the whole path again. */
int sfs_read_entry(const sfs_root *r, const sfs_listing *l, size_t i,
		   const char *rel, const char *shown, sfs_kind kind,
		   buf_t *out, diags_t *d);

/* Whether name is one of l's entries that sfs_list refused: there, and
 * told, so that a file naming it (a translation of it) is told nothing
 * more. */
int sfs_list_refused(const sfs_listing *l, const char *name);

/* Frees the names and closes the folder. */
void sfs_list_free(sfs_listing *l);

/* Whether the folder rel itself may not be read (a link out of the root,
 * or to nothing): 1 after reporting that once, at shown, so that its
 * readers need not each say it again; 0 (nothing reported) when it may be
 * read, is missing, or only some of its entries are refused (told when
 * they are read). */
int sfs_folder_refused(const sfs_root *r, const char *rel, const char *shown,
		       diags_t *d);

#endif
