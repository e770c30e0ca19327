/* test_digest.c - SHA-256 by Nettle and its hex (util/digest.h), against
 * the examples of FIPS 180-2 (appendix B; public domain), including the
 * message of a million 'a' given in pieces of odd sizes; a copied context
 * gives the digest of the prefix while the original goes on; a digest
 * starts the context again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/digest.h"

static void sha256_matches_fips_180_2(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	char hex[DIGEST_SHA256_HEX];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(hex, 'x', sizeof hex);
		assert_ptr_equal(digest_sha256_hex(cases[i][0], strlen(cases[i][0]), hex), hex);
		assert_string_equal(hex, cases[i][1]);
	}
	/* no bytes at no address */
	assert_string_equal(digest_sha256_hex(NULL, 0, hex), cases[1][1]);
}

static void million_a_in_odd_pieces(void **state)
{
	(void)state;
	static uint8_t a[1100];  /* the largest piece is 1,059 bytes */
	memset(a, 'a', sizeof a);
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	size_t left = 1000000, piece = 1;
	while (left) {
		size_t n = piece < left ? piece : left;
		sha256_update(&ctx, n, a);
		left -= n;
		piece = piece % 997 + 63;  /* sizes across the 64-byte blocks */
	}
	char hex[DIGEST_SHA256_HEX];
	assert_string_equal(digest_sha256_end(&ctx, hex),
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* the digest started the context again: now it is the empty one */
	assert_string_equal(digest_sha256_end(&ctx, hex),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void copied_context_digests_the_prefix(void **state)
{
	(void)state;
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	struct sha256_ctx whole;
	sha256_init(&whole);
	sha256_update(&whole, 3, (const uint8_t *)msg);
	struct sha256_ctx prefix = whole;
	sha256_update(&whole, strlen(msg) - 3, (const uint8_t *)msg + 3);
	char hex[DIGEST_SHA256_HEX];
	assert_string_equal(digest_sha256_end(&prefix, hex),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(digest_sha256_end(&whole, hex),
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void hex_of_every_byte(void **state)
{
	(void)state;
	uint8_t all[256];
	for (int k = 0; k < 256; k++)
		all[k] = (uint8_t)k;
	char hex[2 * 256 + 1];
	memset(hex, 'x', sizeof hex);
	assert_ptr_equal(digest_hex(all, sizeof all, hex), hex);
	assert_int_equal(strlen(hex), 512);
	static const char digit[] = "0123456789abcdef";
	for (int k = 0; k < 256; k++) {
		assert_int_equal(hex[2 * k], digit[k / 16]);
		assert_int_equal(hex[2 * k + 1], digit[k % 16]);
	}
	/* nothing: the NUL alone */
	assert_string_equal(digest_hex(all, 0, hex), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_matches_fips_180_2),
		cmocka_unit_test(million_a_in_odd_pieces),
		cmocka_unit_test(copied_context_digests_the_prefix),
		cmocka_unit_test(hex_of_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
