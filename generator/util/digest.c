/* digest.c - hex of Nettle's digests (digest.h). */
#include "digest.h"

char *digest_hex(const uint8_t *d, size_t n, char *hex)
{
	static const char digit[] = "0123456789abcdef";
	for (size_t k = 0; k < n; k++) {
		hex[2 * k] = digit[d[k] >> 4];
		hex[2 * k + 1] = digit[d[k] & 15];
	}
	hex[2 * n] = '\0';
	return hex;
}

char *digest_sha256_end(struct sha256_ctx *ctx, char *hex)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(ctx, sizeof d, d);
	return digest_hex(d, sizeof d, hex);
}

char *digest_sha256_hex(const void *p, size_t n, char *hex)
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	if (n)
		sha256_update(&ctx, n, p);
	return digest_sha256_end(&ctx, hex);
}
