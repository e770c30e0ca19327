/* buf.c - growable byte buffer and checked allocation. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("partnermap: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

static void overflow(void)
{
	fputs("partnermap: size overflow\n", stderr);
	abort();
}

int size_mul_ok(size_t a, size_t b, size_t *out)
{
	if (a && b > SIZE_MAX / a)
		return 0;
	*out = a * b;
	return 1;
}

int size_add_ok(size_t a, size_t b, size_t *out)
{
	if (b > SIZE_MAX - a)
		return 0;
	*out = a + b;
	return 1;
}

size_t xmul(size_t a, size_t b)
{
	size_t r;
	if (!size_mul_ok(a, b, &r))
		overflow();
	return r;
}

size_t xadd(size_t a, size_t b)
{
	size_t r;
	if (!size_add_ok(a, b, &r))
		overflow();
	return r;
}

void free_each(void *const *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	return xrealloc(p, xmul(n, size));
}

void *xgrow(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
	if (need <= *cap)
		return v;
	size_t c = *cap ? *cap : (first ? first : 1);
	while (c < need)
		c = xmul(c, 2);
	v = xreallocarray(v, c, size);
	*cap = c;
	return v;
}

char *xstrndup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = xmalloc(xadd(n, 1));
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xconcat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = xmalloc(xadd(xadd(na, nb), 1));
	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	/* sized to fit, not to a buffer's growth steps: a build keeps
	 * several such strings per record (links, keys of kept pages) */
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *p = xmalloc((size_t)n + 1);
	p[0] = '\0';
	if (n)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void buf_init(buf_t *b)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void buf_free(buf_t *b)
{
	free(b->ptr);
	buf_init(b);
}

void buf_reset(buf_t *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void buf_grow(buf_t *b, size_t extra)
{
	size_t need = xadd(xadd(b->len, extra), 1);
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = xadd(cap, cap / 2 + 64);
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

void buf_put(buf_t *b, const void *data, size_t n)
{
	/* room for n bytes and the NUL is n < cap - len: most puts fit,
	 * and skip buf_grow's checked sums */
	if (b->cap <= b->len || n >= b->cap - b->len)
		buf_grow(b, n);
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void buf_puts(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(buf_t *b, int c)
{
	char ch = (char)c;
	buf_put(b, &ch, 1);
}

size_t uint_text(char *out, unsigned long long v)
{
	char digits[UINT_TEXT_SIZE];
	size_t i = sizeof digits;
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	size_t n = sizeof digits - i;
	memcpy(out, digits + i, n);
	out[n] = '\0';
	return n;
}

void buf_put_uint(buf_t *b, unsigned long long v)
{
	char digits[UINT_TEXT_SIZE];
	buf_put(b, digits, uint_text(digits, v));
}

void buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *buf_cstr(buf_t *b)
{
	return b->ptr ? b->ptr : "";
}

char *buf_detach(buf_t *b)
{
	char *p = b->ptr ? b->ptr : xstrdup("");
	/* a string kept for the whole build (a record's body, its search
	 * text, a marker's networks) should not keep the room buf_grow left
	 * at its end too: a third of it on average, and at least 64 bytes
	 * of a short string, megabytes at 100,000 records. Less than 32
	 * bytes could not be given back (the C library's smallest block). */
	if (b->ptr && b->cap - b->len > 32)
		p = xrealloc(p, b->len + 1);
	buf_init(b);
	return p;
}

/* Length of the unsafe character (util/chars.h) that starts at s[i], or
 * 0. Byte tests, as the HTML escape runs over every page's text. */
static size_t unsafe_at(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s + i;
	size_t left = n - i;
	if (u[0] < 0x20)
		return u[0] == '\t' || u[0] == '\n' || u[0] == '\r' ? 0 : 1;
	if (u[0] == 0x7F)
		return 1;
	if (u[0] == 0xC2 && left >= 2 && u[1] >= 0x80 && u[1] <= 0x9F)
		return 2; /* C1 */
	if (u[0] == 0xE2 && left >= 3 &&
	    ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
	     (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)))
		return 3; /* U+202A-U+202E, U+2066-U+2069 */
	return 0;
}

/* The bytes buf_put_html must look at: the five it escapes, the controls
 * but tab and line ends, and the lead bytes of the unsafe characters
 * unsafe_at knows (C1 controls, bidi controls). Every other byte is
 * copied as it is, so the scan tests one table entry per byte. */
static const unsigned char html_stop[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1,
	[0x05] = 1, [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x0B] = 1,
	[0x0C] = 1, [0x0E] = 1, [0x0F] = 1, [0x10] = 1, [0x11] = 1,
	[0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1,
	[0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1,
	[0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1, [0x7F] = 1,
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
	[0xC2] = 1, [0xE2] = 1,
};

void buf_put_html(buf_t *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (!html_stop[u[i]])
			continue;
		const char *rep;
		size_t skip = 1;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			skip = unsafe_at(s, n, i);
			if (!skip)
				continue;
			rep = "";
		}
		buf_put(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + skip;
		i += skip - 1;
	}
	buf_put(b, s + start, n - start);
}

void buf_puts_html(buf_t *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}
