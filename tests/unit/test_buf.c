/* test_buf.c - checked size arithmetic and growth (util/buf.h): products
 * and sums that would wrap are refused, arrays grow by doubling from their
 * first capacity, and the byte buffer keeps what was put in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static void mul_fits_or_is_refused(void **state)
{
	(void)state;
	size_t r = 7;
	assert_int_equal(size_mul_ok(0, SIZE_MAX, &r), 1);
	assert_int_equal(r, 0);
	assert_int_equal(size_mul_ok(SIZE_MAX, 1, &r), 1);
	assert_true(r == SIZE_MAX);
	assert_int_equal(size_mul_ok(SIZE_MAX / 2, 2, &r), 1);
	assert_true(r == SIZE_MAX - 1);
	/* the first product that wraps, and r is left alone */
	r = 7;
	assert_int_equal(size_mul_ok(SIZE_MAX / 2 + 1, 2, &r), 0);
	assert_int_equal(size_mul_ok(SIZE_MAX, SIZE_MAX, &r), 0);
	assert_int_equal(size_mul_ok((size_t)1 << (sizeof(size_t) * 4),
				     (size_t)1 << (sizeof(size_t) * 4), &r), 0);
	assert_int_equal(r, 7);
}

static void add_fits_or_is_refused(void **state)
{
	(void)state;
	size_t r = 7;
	assert_int_equal(size_add_ok(SIZE_MAX - 1, 1, &r), 1);
	assert_true(r == SIZE_MAX);
	assert_int_equal(size_add_ok(0, 0, &r), 1);
	assert_int_equal(r, 0);
	r = 7;
	assert_int_equal(size_add_ok(SIZE_MAX, 1, &r), 0);
	assert_int_equal(size_add_ok(1, SIZE_MAX, &r), 0);
	assert_int_equal(size_add_ok(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1, &r),
			 0);
	assert_int_equal(r, 7);
}

static void grow_doubles_from_first_capacity(void **state)
{
	(void)state;
	int *v = NULL;
	size_t cap = 0;
	for (int i = 0; i < 100; i++) {
		v = xgrow(v, &cap, (size_t)i + 1, sizeof *v, 4);
		v[i] = i * 3;
		/* 4, 8, 16, 32, 64, 128: the smallest that holds i + 1 */
		size_t want = 4;
		while (want < (size_t)i + 1)
			want *= 2;
		assert_int_equal(cap, want);
	}
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i * 3);
	/* room already there: nothing moves, the capacity stays */
	int *same = xgrow(v, &cap, 10, sizeof *v, 4);
	assert_ptr_equal(same, v);
	assert_int_equal(cap, 128);
	/* a jump well past the capacity is met at once */
	v = xgrow(v, &cap, 1000, sizeof *v, 4);
	assert_int_equal(cap, 1024);
	assert_int_equal(v[99], 297);
	free(v);
}

static void reallocarray_keeps_contents(void **state)
{
	(void)state;
	double *d = xreallocarray(NULL, 3, sizeof *d);
	d[0] = 1.5, d[1] = -2, d[2] = 1e300;
	d = xreallocarray(d, 3000, sizeof *d);
	assert_true(d[0] == 1.5 && d[1] == -2 && d[2] == 1e300);
	free(d);
	assert_int_equal(xmul(6, 7), 42);
	assert_int_equal(xadd(40, 2), 42);
}

static void buffer_grows_past_many_doublings(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_putc(&b, 'a' + i % 26);
	assert_int_equal(b.len, 5000);
	assert_true(b.cap > b.len);
	assert_int_equal(strlen(buf_cstr(&b)), 5000);
	assert_int_equal(b.ptr[4999], 'a' + 4999 % 26);
	buf_printf(&b, "%s-%d", "end", 42);
	assert_string_equal(b.ptr + 5000, "end-42");
	char *s = buf_detach(&b);
	assert_int_equal(strlen(s), 5006);
	assert_null(b.ptr);
	free(s);
}

/* xasprintf's string is exactly as long as its text (malloc_usable_size
 * may round up, never to buf_grow's 64 bytes for a short one), and a
 * detached buffer gives back what it had grown beyond its text. */
static void strings_kept_are_sized_to_fit(void **state)
{
	(void)state;
	char *s = xasprintf("%s-%d", "ab", 7);
	assert_string_equal(s, "ab-7");
	assert_true(malloc_usable_size(s) < 32);
	free(s);
	s = xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
	buf_t b = BUF_INIT;
	buf_puts(&b, "clinical research");
	assert_true(b.cap >= 64);
	s = buf_detach(&b);
	assert_string_equal(s, "clinical research");
	assert_true(malloc_usable_size(s) < 32);
	free(s);
}

/* Whole numbers without printf: the digits "%llu" writes, at the ends of
 * the range and where a digit is added. */
static void unsigned_digits_as_printf_writes_them(void **state)
{
	(void)state;
	static const unsigned long long v[] = {
		0, 1, 9, 10, 99, 100, 4294967295ULL, 4294967296ULL,
		999999999999999ULL, 18446744073709551615ULL};
	buf_t b = BUF_INIT, want = BUF_INIT;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[UINT_TEXT_SIZE], ref[32];
		snprintf(ref, sizeof ref, "%llu", v[i]);
		assert_int_equal(uint_text(out, v[i]), strlen(ref));
		assert_string_equal(out, ref);
		buf_put_uint(&b, v[i]);
		buf_putc(&b, ' ');
		buf_printf(&want, "%s ", ref);
	}
	assert_string_equal(buf_cstr(&b), buf_cstr(&want));
	buf_free(&b);
	buf_free(&want);
	char *c = xconcat("networks/", "index.html");
	assert_string_equal(c, "networks/index.html");
	free(c);
	c = xconcat("", "");
	assert_string_equal(c, "");
	free(c);
}

/* What buf_put_html must give, byte by byte as util/chars.h defines the
 * unsafe characters: the reference the table-driven escape is held to. */
static void html_reference(buf_t *b, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		size_t left = n - i;
		const char *rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" :
			c == '>' ? "&gt;" : c == '"' ? "&quot;" :
			c == '\'' ? "&#39;" : NULL;
		if (rep)
			buf_puts(b, rep);
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			 c == 0x7F)
			continue;
		else if (c == 0xC2 && left >= 2 && s[i + 1] >= 0x80 &&
			 s[i + 1] <= 0x9F)
			i++;
		else if (c == 0xE2 && left >= 3 &&
			 ((s[i + 1] == 0x80 && s[i + 2] >= 0xAA &&
			   s[i + 2] <= 0xAE) ||
			  (s[i + 1] == 0x81 && s[i + 2] >= 0xA6 &&
			   s[i + 2] <= 0xA9)))
			i += 2;
		else
			buf_putc(b, (int)c);
	}
}

/* Every pair of bytes, and every third byte after E2 80 and E2 81, in
 * the middle and at the end of a text, escapes as the reference does. */
static void html_escape_matches_reference_on_every_byte(void **state)
{
	(void)state;
	buf_t got = BUF_INIT, want = BUF_INIT;
	for (unsigned a = 0; a < 256; a++) {
		for (unsigned c = 0; c < 256; c++) {
			unsigned char third = a == 0xE2 ? 0x80 + c % 2 : 'x';
			unsigned char s[4] = {(unsigned char)a,
					      a == 0xE2 ? third : (unsigned char)c,
					      a == 0xE2 ? (unsigned char)c : 'y', 'z'};
			for (size_t n = 1; n <= 4; n++) {
				buf_reset(&got);
				buf_reset(&want);
				buf_put_html(&got, (const char *)s, n);
				html_reference(&want, s, n);
				assert_int_equal(got.len, want.len);
				assert_memory_equal(buf_cstr(&got), buf_cstr(&want),
						    want.len);
			}
		}
	}
	buf_free(&got);
	buf_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mul_fits_or_is_refused),
		cmocka_unit_test(add_fits_or_is_refused),
		cmocka_unit_test(grow_doubles_from_first_capacity),
		cmocka_unit_test(reallocarray_keeps_contents),
		cmocka_unit_test(buffer_grows_past_many_doublings),
		cmocka_unit_test(strings_kept_are_sized_to_fit),
		cmocka_unit_test(unsigned_digits_as_printf_writes_them),
		cmocka_unit_test(html_escape_matches_reference_on_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
