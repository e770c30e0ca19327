/* fs.h - small file-system helpers. Every function returns 0 on success and
 * -1 on failure with errno set, so callers can report strerror(errno). */
#ifndef PM_FS_H
#define PM_FS_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/stat.h>

#include "buf.h"

/* Read a whole file into out (appending). */
int fs_read(const char *path, buf_t *out);
/* fs_read of a file of the site, which is untrusted: only a regular file
 * (links followed) of at most max bytes, opened without waiting (a named
 * pipe is refused, never waited on). 0, or -1 with errno (EINVAL: not a
 * regular file; EFBIG: larger than max). */
int fs_read_regular(const char *path, size_t max, buf_t *out);
/* Read the rest of the open file fd into out (appending), and close fd
 * whatever happens: 0, or -1 with errno (out then holds what was read).
 * Reserve the file's size in out first (buf_grow) and it is read with no
 * copy. */
int fs_read_fd(int fd, buf_t *out);
/* Read the whole of the regular file at path into out (appending), never
 * through a symbolic link there, at most max bytes, and only when the
 * file is the effective user's own and no one else may write it: 0, or
 * -1 with errno (ELOOP for a link, EINVAL for anything but a regular
 * file, EFBIG when larger, EPERM when another user owns it or it is
 * writable by its group or others). For files a build left beside the
 * output folder for the next one (the record cache, the manifest), in a
 * folder others may write to (-o /tmp/site): one planted there by
 * someone else is not taken, as OpenSSH refuses a configuration file
 * others can write. */
int fs_read_plain(const char *path, size_t max, buf_t *out);
/* The regular file at path opened for reading as fs_read_plain opens it
 * (never through a link, at most max bytes, the same errors): its file
 * descriptor (close-on-exec, the caller's to close), with its size in
 * bytes in *size when size is not NULL; or -1 with errno. */
int fs_open_plain(const char *path, size_t max, size_t *size);
/* Why fs_open_plain or fs_read_plain refused a file that is there, as a
 * clause for a message ("it is a symbolic link, ..."), for their errno
 * err; NULL for any other errno (ENOENT: nothing there, EIO: a failed
 * read), which is no refusal. Static text. */
const char *fs_plain_refusal(int err);
/* 1 when the n bytes at data begin with the first line of a file of
 * another version of the format whose first line is magic: magic's words
 * up to its last space, then a version of digits other than magic's, then
 * '\n' ("partnermap-manifest 1\n" for "partnermap-manifest 2\n"); else 0.
 * A file a build left beside the output that fails its checks was
 * damaged unless it begins so: one of another version is passed over,
 * as a new program reads no old one's, but a flipped bit in the version
 * line is damage like any other. */
int fs_magic_other(const void *data, size_t n, const char *magic);
/* A lock file for flock(2) that only the effective user can open, at path:
 * created empty (mode 0600) when missing, never through a symbolic link.
 * Its file descriptor (close-on-exec, the caller's to close), or -1 with
 * errno: ELOOP for a link, EINVAL for anything but a regular file, EPERM
 * when another user owns it or its group or others may read or write it
 * (whoever can open a file can hold a lock on it, and so stall the
 * process that waits for it), and open(2)'s errors. flock(2) locks are
 * advisory: they keep out only those who ask for them.
 *
 * One of this user's own that others may open is made this user's alone
 * (fchmod 0600, through the file opened) and still refused this time
 * (EPERM), as one who opened it before may hold it: *was (may be NULL)
 * then gets its old permission bits, else 0. On a file system that keeps
 * no modes (FAT, exFAT: chmod fails, or does not take), the bits shown are
 * the mount's (its umask, fmask), which no chmod changes: such a file is
 * used as it is, as refusing it would only let two processes in at once. */
int fs_lock_open(const char *path, mode_t *was);
/* Exactly n bytes of the open file fd from offset at into p: 0, or -1
 * with errno (EIO when the file ends first). The file's offset is not
 * moved (pread(2)). */
int fs_pread_all(int fd, void *p, size_t n, unsigned long long at);
/* Write data as the file path in one step: into a temporary file beside
 * it (created afresh, never through a link), then renamed over path, so a
 * reader sees the old file or the new one, and a link planted at path is
 * replaced, never written through. 0, or -1 with errno (path untouched).
 * The temporary file is "<name>.<16 random hex digits>.tmp" for a hidden
 * name (".out.partnermap-cache": a process killed while writing it leaves
 * a file known for that one's, fs_is_tmp_of), else, or when that would
 * be longer than NAME_MAX bytes, ".partnermap-<16 hex digits>.tmp". */
int fs_replace(const char *path, const void *data, size_t n);
/* Bytes a hidden name's temporary file adds to it: ".", 16 hex, ".tmp". */
#define FS_TMP_TAIL 21
/* 1 when entry is the name of a temporary file fs_replace makes for the
 * hidden file hidden (both single names, no '/'): hidden + "." + 16
 * lowercase hex digits + ".tmp"; else 0. */
int fs_is_tmp_of(const char *entry, const char *hidden);

/* A file written as it is made, through a buffer of FS_WRITER_CHUNK
 * bytes: put bytes in b with the buf_* functions and call fs_writer_more,
 * or call fs_writer_put; each full buffer is written to fd. After a write
 * fails, bad holds its errno and nothing more is written. seen, when set, is shown
 * each chunk just before it is written (a running checksum). The writer
 * owns b, tmp and path; fd is closed by fs_replace_close. */
#define FS_WRITER_CHUNK ((size_t)1 << 20)
typedef struct fs_writer {
	int fd;
	buf_t b;
	int bad;           /* the errno of the write that failed, or 0 */
	char *tmp, *path;  /* fs_replace_open's names, relative to dir */
	int dir;           /* AT_FDCWD, or fs_replace_open_at's folder */
	void (*seen)(void *ctx, const void *p, size_t n);
	void *ctx;
} fs_writer;

/* 1 when the folder dir is append-only (chattr +a; statx(2)'s
 * STATX_ATTR_APPEND, asked without opening it): new entries may be made
 * in it, but none removed or renamed, so a file written beside its final
 * name and renamed over it, or a staging folder, would be left there. 0
 * when it is not, or the file system does not say, or it cannot be
 * asked. */
int fs_append_only(const char *dir);
/* fs_append_only of dir relative to the folder at ("": at itself). */
int fs_append_only_at(int at, const char *dir);
/* 1 when path is immutable (chattr +i; statx(2)'s STATX_ATTR_IMMUTABLE):
 * nothing may be made, changed or removed in it, by root either. 0 when
 * not, or when it cannot be asked. */
int fs_immutable(const char *path);

/* What stops an entry being changed, as statx(2) tells without opening
 * it (a folder that may not be read too): the entry at path relative to
 * the folder at ("": at itself), its link not followed. */
typedef struct fs_entry {
	mode_t mode;  /* type and permission bits */
	uid_t uid;    /* owner */
	int immutable;   /* chattr +i (STATX_ATTR_IMMUTABLE): nothing in or of
			    it may be made, replaced or removed, by root too */
	int append_only; /* chattr +a (STATX_ATTR_APPEND): a folder takes
			    new entries, but none is replaced or removed; the
			    entry itself may not be replaced or removed */
} fs_entry;
/* 0 with *e filled; -1 with errno (ENOENT: not there). The flags read 0
 * when the file system does not keep them. */
int fs_entry_at(int at, const char *path, fs_entry *e);

/* How a message names the flag that keeps e from being changed, in the
 * words of chattr(1) and lsattr(1): static strings. */
typedef struct fs_flag_words {
	const char *name;   /* "immutable" or "append-only" */
	/* where it shows: "lsattr shows an i"; "lsattr -d shows an a" for
	 * a folder, whose own flags lsattr lists only with -d */
	const char *shown;
	const char *clear;  /* the command that clears it: "chattr -i" */
	char letter;        /* 'i' or 'a' */
} fs_flag_words;
/* 1 with *w set when e is immutable or append-only (immutable is named
 * when both are set: it is the one that forbids more), else 0. */
int fs_flag_words_of(const fs_entry *e, fs_flag_words *w);

/* The folder path is in, as a fresh string: what comes before its last
 * slash ("a/b" of "a/b/c"), "/" for an entry of the root ("/x"), and none
 * (copied: "." for a path from here, "" for one relative to a folder
 * given apart) when path has no slash. path's last name is taken as
 * written: "a/b/" gives "a/b". */
char *fs_folder_of(const char *path, const char *none);

/* Why the entry path (relative to the folder at, or AT_FDCWD) could not
 * be replaced by a file renamed over it, or must not be, as a clause for
 * a message ("it is a named pipe, ..."): a static string; NULL when it
 * can, or is not there. It must not be when it is not a regular file nor
 * a symbolic link to a regular file or to nothing (a device, a pipe, a
 * socket, or a link to one: as root, rename(2) would put a file in place
 * of /dev/null or /dev/stdout), or when its folder is in /dev. It cannot
 * be when it is append-only or immutable (statx(2) attributes), or when
 * another user owns it in a folder with the sticky bit that is not the
 * caller's (rename(2), EPERM), or when the folder is in /proc or /sys. */
const char *fs_why_unreplaceable_at(int at, const char *path);

/* Begin writing the file path as fs_replace does: into a temporary file
 * beside it (named as fs_replace says), created afresh with mode 0644
 * less the umask (O_EXCL; another name is tried when one is taken), never
 * through a link. 0, or -1 with errno: EPERM, with nothing made, in an
 * append-only folder (fs_append_only), where the file could be neither
 * renamed nor removed (w is then empty and fs_replace_close does nothing
 * but return -1). */
int fs_replace_open(fs_writer *w, const char *path);
/* fs_replace_open of name relative to the folder open at at (borrowed,
 * not closed): every step (the temporary file, the rename, its removal
 * after a failure) is taken there, wherever the folder's path leads by
 * then. */
int fs_replace_open_at(fs_writer *w, int at, const char *name);
/* fs_replace_open with the temporary file made with permission bits mode
 * (less the umask) from the first: 0600 for a file that no one else may
 * read, which made 0644 and changed after would be readable, through a
 * descriptor opened in between, for good. */
int fs_replace_open_mode(fs_writer *w, const char *path, mode_t mode);
/* fs_replace through fs_replace_open_at. */
int fs_replace_at(int at, const char *name, const void *data, size_t n);
void fs_writer_put(fs_writer *w, const void *p, size_t n);
/* Write b out when it holds FS_WRITER_CHUNK bytes or more. */
void fs_writer_more(fs_writer *w);
/* Write out what b holds now: 0, or -1 once any write failed. */
int fs_writer_flush(fs_writer *w);
/* End the file: write what waits and close it; then, when keep is set and
 * nothing failed, rename it over path (a reader sees the old file or the
 * whole new one), else remove it. 0 when renamed, -1 otherwise (errno set
 * when something failed). Frees what w owns. */
int fs_replace_close(fs_writer *w, int keep);
/* Write data to path, creating or truncating it; never through a symbolic
 * link at path (ELOOP). For files in a folder the caller made; a path a
 * user or a site names goes through fs_replace. */
int fs_write(const char *path, const void *data, size_t n);
/* The SHA-256 (FIPS 180-4) of the running program's file
 * (/proc/self/exe) in hex, read once per process: how the files a build
 * keeps for the next one know the program. Its stat could not: a hard
 * link made to it changes its change time, and a copy kept with its
 * modification time (cp -p) of a rebuilt program of the same size keeps
 * all but the inode. "" when the file cannot be read. Thread-safe; the
 * string is static. */
const char *fs_program_digest(void);
/* The SHA-256 (FIPS 180-4), in hex, of the shared objects that maps (the
 * text of a /proc/PID/maps, proc(5)) names, each once, by path, but the
 * file with device skip_dev and inode skip_ino (the program): for each,
 * its path and the device and inode of the file mapped, and, while the
 * path is still that file, its size and modification and change times;
 * "replaced" when it is not (renamed over after it was loaded). A fresh
 * string. */
char *fs_maps_digest(const char *maps, dev_t skip_dev, ino_t skip_ino);
/* fs_maps_digest of this process's own maps, computed once per process:
 * how the files a build keeps for the next one know the libraries it runs
 * with. A version string does not: a distribution's fix to libyaml or
 * cmark keeps it, and may change what a record reads as or a page renders
 * to. The file mapped is what runs, so a library replaced between the
 * load and this call is told apart; one changed in place (cp -p over it)
 * changes its change time. Hashing the libraries' bytes (ICU's data alone
 * is 30 MB) would cost each build more than it saves. "" when the maps
 * cannot be read. Thread-safe; the string is static. */
const char *fs_libraries_digest(void);
/* Write all n bytes at data to the open fd, again after EINTR. 0, or -1
 * with errno. */
int fs_write_fd(int fd, const void *data, size_t n);
/* mkdir -p: path and every folder above it that is missing, 0755. 0, or
 * -1 with errno (EEXIST when path or a folder above is not a folder). */
int fs_mkdirs(const char *path);
/* rm -rf; a missing path is success. Never follows a symbolic link: a link
 * at path or anywhere below it is removed, not what it points to. */
int fs_remove_tree(const char *path);
/* As fs_remove_tree, for name in the open folder at (or AT_FDCWD). Every
 * step is relative to an open folder and a link is never followed, not
 * even one that replaces a folder while it is being removed: the link
 * itself goes. A folder of this user's that its owner may not list,
 * enter or change (chmod 0, 300, 500), which rm -rf stops at, is given
 * u+rwx first (fs_chmod_opened): it goes all the same. */
int fs_remove_at(int at, const char *name);
/* As fs_remove_at, going on past an entry it cannot remove (to remove
 * all it can), and when it fails setting *failed, when failed is not
 * NULL, to the path from at of the first entry whose removal failed, the
 * deepest ("name/a/b"; a fresh string the caller frees), with errno as
 * that failure left it: the place to name, where fs_remove_at's caller
 * knows only name. *count, when count is not NULL, gets how many entries
 * would not go (a folder left only because of what it holds is not
 * counted). 0, or -1. */
int fs_remove_below(int at, const char *name, char **failed, size_t *count);
/* Set the permission bits of the file open at fd to mode (07777 of it).
 * fd may be an O_PATH descriptor, which needs no permission on the file
 * but takes no fchmod: its inode in /proc/self/fd is changed then, never
 * a name, so a file renamed or replaced by a link meanwhile is not what
 * changes. 0, or -1 with errno. */
int fs_chmod_opened(int fd, mode_t mode);
/* The folder name in the folder at (or AT_FDCWD) opened with O_PATH, no
 * link followed, when it is a folder of this user's (effective uid) and,
 * when was is not NULL, still the inode *was names: the descriptor, which
 * the caller closes, and its stat in *now. -1 with errno otherwise (EPERM
 * for another folder or another user's). The way to change a folder
 * found by a stat without a race: chmod it through fs_chmod_opened. */
int fs_open_own_dir(int at, const char *name, const struct stat *was,
		    struct stat *now);
/* Where path cannot be followed as written: the part before a ".."
 * that does not name an existing folder ("x" of "x/../out" when there is
 * no folder x; "a/b" of "a/b/../../out"), as a fresh string; NULL when
 * every ".." of path comes after a folder that exists, or path has none.
 * The system resolves x/.. through x itself (POSIX.1-2017, XBD 4.13
 * Pathname Resolution), so such a path names nothing, and mkdir -p of it
 * would make x on the way. */
char *fs_dotdot_missing(const char *path);
/* path with "." and each ".." with the name before it taken out, as
 * written and without looking at the disk ("x/../out" is "out",
 * "a/./b/.." is "a", "x/.." is "."), as a fresh string. */
char *fs_lexical(const char *path);
/* What is wrong with path, named on the command line by opt ("-o",
 * "init"), when fs_dotdot_missing finds a part of it missing: "there is
 * no folder 'x', so 'x/..' leads nowhere: write -o out, or create x
 * first", as a fresh string; NULL when path can be followed. */
char *fs_dotdot_problem(const char *path, const char *opt);
int fs_copy(const char *from, const char *to);
int fs_is_dir(const char *path);
int fs_exists(const char *path);

/* The names in a folder (no "." or ".."; hidden files skipped), sorted
 * bytewise. *names is a NULL-terminated array; free with fs_free_list. */
int fs_list(const char *dir, char ***names, size_t *count);
/* Append to out a line per entry of the folder dir (hidden ones too), in
 * name order: its name, size, modification and change times (to the
 * nanosecond) and inode, or "-" after the name for one that cannot be
 * looked at (lstat). Nothing for a folder that cannot be listed. What
 * ties something made from a folder's files to those very files: a
 * write, a rename or a replacement changes a line, and no one can set a
 * change time, so a copy of the folder elsewhere (another checkout)
 * gives other lines. */
void fs_folder_identity(const char *dir, buf_t *out);
/* As fs_list, with hidden names too (still no "." or ".."). */
int fs_list_all(const char *dir, char ***names, size_t *count);
/* As fs_list_all, for the folder dir opened from the open folder at (or
 * AT_FDCWD); a link at dir is not followed (it fails with ELOOP or
 * ENOTDIR). */
int fs_list_at(int at, const char *dir, char ***names, size_t *count);
void fs_free_list(char **names);

/* dir + "/" + name, as a fresh string. */
char *fs_join(const char *dir, const char *name);

#endif
