/* mapcache.c - the basemap's simplification kept between builds
 * (mapcache.h). */
#include "mapcache.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/fs.h"

#define KEY_LEN SHA256_DIGEST_SIZE
#define HEAD_LEN (sizeof MAPCACHE_MAGIC - 1)

struct mapcache {
	char *path;
	char *version;
	buf_t anchor;
	geo_drawn_store store;
	/* the file's key and bytes, when it was read and whole */
	int has;
	unsigned char key[KEY_LEN];
	buf_t bytes;
	/* what this build's load made, to write */
	int made;
	unsigned char made_key[KEY_LEN];
	buf_t made_bytes;
	int taken, refused, damaged;
};

static void put_u64(unsigned char *p, unsigned long long v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The file's key for the load's key: the program, its libraries, its
 * version and the basemap's files' identity with it. */
static void full_key(const mapcache *c, const unsigned char *key,
		     unsigned char *out)
{
	struct sha256_ctx h;
	sha256_init(&h);
	const char *parts[] = {MAPCACHE_MAGIC, c->version ? c->version : "",
			       fs_program_digest(), fs_libraries_digest()};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		/* each with its NUL: "ab" + "c" is not "a" + "bc" */
		sha256_update(&h, strlen(parts[i]) + 1, (const uint8_t *)parts[i]);
	unsigned char len[8];
	put_u64(len, c->anchor.len);
	sha256_update(&h, sizeof len, len);
	sha256_update(&h, c->anchor.len, (const uint8_t *)c->anchor.ptr);
	sha256_update(&h, GEO_DRAWN_KEY, key);
	sha256_digest(&h, KEY_LEN, out);
}

static unsigned long long get_u64(const unsigned char *p)
{
	unsigned long long v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Take the file's bytes when they are one whole: 1; 0 when another
 * version's (passed over); -1 when damaged. */
static int parse(mapcache *c, const unsigned char *p, size_t n)
{
	if (n < HEAD_LEN || memcmp(p, MAPCACHE_MAGIC, HEAD_LEN))
		return fs_magic_other(p, n, MAPCACHE_MAGIC) ? 0 : -1;
	size_t fixed = HEAD_LEN + KEY_LEN + 8 + KEY_LEN;
	if (n < fixed)
		return -1;
	unsigned long long len = get_u64(p + HEAD_LEN + KEY_LEN);
	if (len != n - fixed)
		return -1;
	unsigned char sum[KEY_LEN];
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, n - KEY_LEN, p);
	sha256_digest(&h, KEY_LEN, sum);
	if (memcmp(sum, p + n - KEY_LEN, KEY_LEN))
		return -1;
	memcpy(c->key, p + HEAD_LEN, KEY_LEN);
	buf_put(&c->bytes, p + HEAD_LEN + KEY_LEN + 8, (size_t)len);
	c->has = 1;
	return 1;
}

static int get(void *ctx, const unsigned char *key, buf_t *out)
{
	mapcache *c = ctx;
	unsigned char k[KEY_LEN];
	if (!c->has)
		return -1;
	full_key(c, key, k);
	if (memcmp(k, c->key, KEY_LEN))
		return -1;
	buf_put(out, c->bytes.ptr, c->bytes.len);
	c->taken = 1;
	return 0;
}

static void put(void *ctx, const unsigned char *key, const void *bytes,
		size_t n)
{
	mapcache *c = ctx;
	full_key(c, key, c->made_key);
	buf_reset(&c->made_bytes);
	buf_put(&c->made_bytes, bytes, n);
	c->made = 1;
}

static void refused(void *ctx)
{
	mapcache *c = ctx;
	c->damaged = 1;
	c->taken = 0;
}

mapcache *mapcache_open(const char *path, const char *version, int fresh)
{
	mapcache *c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	c->version = version ? xstrdup(version) : NULL;
	c->store = (geo_drawn_store){get, put, refused, c};
	if (fresh)
		return c;
	buf_t b = BUF_INIT;
	if (fs_read_plain(path, MAPCACHE_MAX_BYTES, &b) == 0) {
		if (parse(c, (const unsigned char *)b.ptr, b.len) < 0)
			c->damaged = 1;
	} else if (fs_plain_refusal(errno)) {
		c->refused = errno;
	}
	buf_free(&b);
	return c;
}

const geo_drawn_store *mapcache_store(mapcache *c)
{
	return &c->store;
}

void mapcache_anchor(mapcache *c, const void *bytes, size_t n)
{
	buf_reset(&c->anchor);
	buf_put(&c->anchor, bytes, n);
}

int mapcache_save(mapcache *c)
{
	if (!c || !c->made)
		return 0;
	size_t n = HEAD_LEN + KEY_LEN + 8 + c->made_bytes.len + KEY_LEN;
	if (n > MAPCACHE_MAX_BYTES) {
		/* none rather than a stale one */
		(void)unlink(c->path);
		errno = EFBIG;
		return -1;
	}
	buf_t b = BUF_INIT;
	buf_grow(&b, n);
	buf_put(&b, MAPCACHE_MAGIC, HEAD_LEN);
	buf_put(&b, c->made_key, KEY_LEN);
	unsigned char len[8];
	put_u64(len, c->made_bytes.len);
	buf_put(&b, len, sizeof len);
	buf_put(&b, c->made_bytes.ptr, c->made_bytes.len);
	unsigned char sum[KEY_LEN];
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, b.len, (const uint8_t *)b.ptr);
	sha256_digest(&h, KEY_LEN, sum);
	buf_put(&b, sum, KEY_LEN);
	/* the user's alone, as the record cache is (reccache.h) */
	fs_writer w;
	int rc = -1;
	if (fs_replace_open_mode(&w, c->path, 0600) == 0) {
		(void)fchmod(w.fd, 0600);
		fs_writer_put(&w, b.ptr, b.len);
		rc = fs_replace_close(&w, 1);
	}
	int err = errno ? errno : EIO;
	buf_free(&b);
	if (rc < 0) {
		(void)unlink(c->path);
		errno = err;
	}
	return rc;
}

int mapcache_refused(const mapcache *c)
{
	return c ? c->refused : 0;
}

int mapcache_damaged(const mapcache *c)
{
	return c && c->damaged;
}

int mapcache_taken(const mapcache *c)
{
	return c && c->taken;
}

void mapcache_free(mapcache *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->version);
	buf_free(&c->anchor);
	buf_free(&c->bytes);
	buf_free(&c->made_bytes);
	free(c);
}
