/* reccodec.h - the bytes of the record cache (reccache.h): one institution
 * record file as a load read it, and the file that holds them all.
 *
 * The file (every integer little-endian, unsigned unless said):
 *
 *   RC_MAGIC                 "partnermap-record-cache 1\n" (versioned)
 *   u32 keylen, key          what the whole cache was read against (text)
 *   u32 count                entries, each: u32 len, then len bytes
 *   u32 crc                  zlib's CRC-32 of every byte before it
 *
 * An entry: str path, the file's identity (rc_ident: five u64), u8
 * has_rec, the institution when has_rec (every member of site.h's struct
 * institution that a load sets; its srcpos paths are in->path), u32 ndiags
 * and each message (u8 level, u32 check, str path, i32 line, col, str
 * msg). A str is u32 length then the bytes, no NUL; length 0xffffffff
 * stands for NULL. A double is its IEEE 754 bits as a u64.
 *
 * The bytes are untrusted (a file beside the output folder, which a
 * commit may plant): every length, count and value is checked against the
 * bytes left and the model's shapes; anything wrong refuses the entry or
 * the file, never reads out of bounds. The CRC only catches damage. */
#ifndef PM_RECCODEC_H
#define PM_RECCODEC_H

#include <stddef.h>

#include "../site.h"
#include "../util/buf.h"
#include "../util/diag.h"

#define RC_MAGIC "partnermap-record-cache 1\n"
/* A cache file larger than this is neither read nor written (a record
 * of the example site takes about 1.2 KB of it). */
#define RC_MAX_BYTES (1ul << 30)

/* What says a file is still the one read: stat's size, modification and
 * change times (nanoseconds since 1970), inode and device. A write,
 * rename or replacement changes one of them; no one can set the change
 * time back. */
typedef struct rc_ident {
	unsigned long long size, mtime_ns, ctime_ns, ino, dev;
} rc_ident;

/* One entry of a cache file as rc_file_scan found it: its path and
 * identity decoded, where its bytes are (off: in the file, after the
 * entry's u32 length), still to read (rc_reader_get) and decode
 * (rc_entry_decode). */
typedef struct rc_slot {
	char *path;               /* owned */
	rc_ident id;
	unsigned long long off;
	size_t len;               /* bytes, after the length */
	const unsigned char *at;  /* the bytes, once read: NULL from the scan */
} rc_slot;

typedef struct rc_file {
	char *key;                /* owned, keylen bytes (and a NUL) */
	size_t keylen;
	rc_slot *v;               /* in the file's order */
	size_t n;
} rc_file;

/* Append to b one entry, its u32 length first: the file at path with
 * identity id, what reading it added to the model (in, or NULL for a
 * draft or a record with an error) and d's messages from first on. */
void rc_entry_encode(buf_t *b, const char *path, const rc_ident *id,
		     const institution *in, const diags_t *d, size_t first);

/* Decode the entry of s (its bytes at s->at): *in gets a fresh
 * institution the caller owns (institution_free) and *has 1, or *has 0;
 * d gets its messages. 0; -1 when the bytes are malformed (nothing is
 * added to d then, and *in is left zeroed). */
int rc_entry_decode(const rc_slot *s, institution *in, int *has, diags_t *d);

/* Read the cache file open at fd, size bytes from its start, into f: the
 * key and each entry's path, identity and place, read in 1 MiB pieces
 * and never held whole (a hundred thousand records are some 120 MB). 0;
 * -1 (f empty) when it begins as a cache of another version
 * (util/fs.h, fs_magic_other) or a read fails; -2 (f empty) when anything
 * else is wrong with it, its first line, framing, counts or CRC: damaged,
 * cut short (to nothing, too) or changed. The file is untrusted: every
 * length is checked against what is left. Free with rc_file_free. */
int rc_file_scan(int fd, size_t size, rc_file *f);
void rc_file_free(rc_file *f);

/* Entries' bytes read back from a scanned file through a window of 1 MiB
 * or more, so that entries asked for in file order take one read per
 * MiB. end: where the entries end (the file's size less its CRC). */
typedef struct rc_reader {
	int fd;
	unsigned long long end;
	unsigned char *b;         /* the window: off .. off + len */
	size_t cap, len;
	unsigned long long off;
} rc_reader;
/* Set s->at to s's bytes, valid until the next call: 0, or -1 with errno
 * (the file was cut short since the scan). */
int rc_reader_get(rc_reader *r, rc_slot *s);
void rc_reader_free(rc_reader *r);

/* Start a cache file in out: the magic, the key and count, the number of
 * entries the caller appends next (each as rc_entry_encode writes it, or
 * an rc_slot's bytes from off - 4 in its file, length included). */
void rc_file_begin(buf_t *out, const char *key, size_t count);
/* End it: the CRC of everything in out. */
void rc_file_end(buf_t *out);
/* End a file written elsewhere in pieces: append to out the CRC the caller
 * took (zlib's crc32, started at 0) over every byte before it. */
void rc_file_end_crc(buf_t *out, unsigned long crc);

#endif
