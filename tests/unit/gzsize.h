/* gzsize.h - how many bytes a text takes gzipped at level 9, as a web
 * server would send it: for the tests and benchmarks that hold the map to
 * a size budget. Needs zlib. */
#ifndef PM_TEST_GZSIZE_H
#define PM_TEST_GZSIZE_H

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The gzip size of p[0..n) in bytes; 0 when zlib fails (no memory). */
static inline size_t gzip_size(const char *p, size_t n)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	size_t cap = deflateBound(&z, n);
	unsigned char *out = malloc(cap);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	size_t size = out && deflate(&z, Z_FINISH) == Z_STREAM_END ? z.total_out : 0;
	deflateEnd(&z);
	free(out);
	return size;
}

#endif
