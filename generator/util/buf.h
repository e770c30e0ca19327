/* buf.h - a growable byte buffer, the one string type used everywhere.
 * The contents are always NUL-terminated so ptr can be passed as a C string. */
#ifndef PM_BUF_H
#define PM_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *ptr;  /* NUL-terminated contents; NULL until the first write */
	size_t len; /* bytes used, without the terminator */
	size_t cap; /* bytes allocated */
} buf_t;

#define BUF_INIT {NULL, 0, 0}

/* A macro's value as a string literal, so that a message states the
 * number a constant holds: with #define N 64, PM_STR(N) is "64". */
#define PM_STR(x) PM_STR_(x)
#define PM_STR_(x) #x

void buf_init(buf_t *b);
void buf_free(buf_t *b);
void buf_reset(buf_t *b);                 /* len = 0, keeps the allocation */
void buf_grow(buf_t *b, size_t extra);    /* ensure room for extra more bytes */
void buf_put(buf_t *b, const void *data, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, int c);
void buf_printf(buf_t *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* The decimal digits of v (no sign, no separator, whatever the locale):
 * what printf's "%llu" writes, without going through printf, which is
 * slow for the numbers of every page. uint_text writes them and a NUL
 * into out (UINT_TEXT_SIZE bytes: 2^64 has 20 digits) and returns their
 * count; buf_put_uint appends them to b. */
#define UINT_TEXT_SIZE 21
size_t uint_text(char *out, unsigned long long v);
void buf_put_uint(buf_t *b, unsigned long long v);
const char *buf_cstr(buf_t *b);           /* never NULL */
char *buf_detach(buf_t *b);               /* caller frees; b is reset */

/* HTML-escape s (& < > " ') into b, leaving out the characters no page
 * may hold: controls and bidi controls (see util/chars.h). */
void buf_put_html(buf_t *b, const char *s, size_t n);
void buf_puts_html(buf_t *b, const char *s);

/* strdup that aborts on allocation failure; NULL in gives NULL out. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/* free() every pointer of p[0..n) (NULL ones too, as free does). Through
 * FREE_ALL(a, b, ...), one statement frees the members a struct owns;
 * each argument is a pointer to non-const data, evaluated once. */
void free_each(void *const *p, size_t n);
#define FREE_ALL(...) \
	free_each((void *[]){__VA_ARGS__}, \
		  sizeof((void *[]){__VA_ARGS__}) / sizeof(void *))

/* Checked size arithmetic: store a * b (or a + b) in *out and return 1, or
 * return 0 and leave *out alone when the result does not fit in size_t. */
int size_mul_ok(size_t a, size_t b, size_t *out);
int size_add_ok(size_t a, size_t b, size_t *out);
/* a * b and a + b in bytes or elements; abort with "partnermap: size
 * overflow" on stderr when the result would wrap, as an allocation
 * failure does. */
size_t xmul(size_t a, size_t b);
size_t xadd(size_t a, size_t b);
/* Resize p to n elements of size bytes each (as BSD reallocarray), aborting
 * when n * size overflows or the memory is not there. */
void *xreallocarray(void *p, size_t n, size_t size);
/* Room for at least need elements of size bytes in v, whose capacity in
 * elements is *cap: when need > *cap the capacity starts at first (when
 * it is 0) and doubles until need fits, and v is reallocated; *cap is
 * updated. Returns the (possibly moved) array; it owns the old one.
 * Aborts on overflow or allocation failure. */
void *xgrow(void *v, size_t *cap, size_t need, size_t size, size_t first);
/* a then b in a fresh heap string (neither may be NULL): xasprintf's
 * "%s%s" without the format's two passes, for paths and links made per
 * page */
char *xconcat(const char *a, const char *b);
/* printf into a fresh heap string */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
