/* digest.h - SHA-256 (FIPS 180-4) and MD5 (RFC 1321) by Nettle.
 *
 * Nettle is Debian's libnettle, which GnuTLS uses; on x86-64 it picks at
 * run time the code for the CPU's SHA extensions where the CPU has them
 * (some five times the rate of portable C here). Its contexts are plain
 * structs: a copy of one carries the bytes given so far, which is how a
 * digest of a prefix and of the whole are taken in one pass.
 *
 * The functions below only write hex: hashing is sha256_init,
 * sha256_update and sha256_digest of <nettle/sha2.h> (sha256_digest
 * writes the digest and starts the context again). */
#ifndef PM_DIGEST_H
#define PM_DIGEST_H

#include <nettle/md5.h>
#include <nettle/sha2.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of the lower-case hex of a SHA-256 digest with its NUL. */
#define DIGEST_SHA256_HEX (2 * SHA256_DIGEST_SIZE + 1)
/* Bytes of the lower-case hex of an MD5 digest with its NUL. */
#define DIGEST_MD5_HEX (2 * MD5_DIGEST_SIZE + 1)

/* The n bytes of d as 2n lower-case hex digits and a NUL into hex (2n + 1
 * bytes, the caller's). Returns hex. */
char *digest_hex(const uint8_t *d, size_t n, char *hex);

/* The SHA-256 of the n bytes at p (p may be NULL when n is 0), in hex,
 * into hex (DIGEST_SHA256_HEX bytes, the caller's). Returns hex. */
char *digest_sha256_hex(const void *p, size_t n, char *hex);

/* The SHA-256 digest of ctx in hex into hex (DIGEST_SHA256_HEX bytes);
 * ctx starts again (sha256_digest). Returns hex. */
char *digest_sha256_end(struct sha256_ctx *ctx, char *hex);

#endif
