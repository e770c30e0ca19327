/* fuzz_reccache.c - libFuzzer target: any bytes as the record cache file
 * beside the output folder (load/reccodec.h). Whatever the input, the
 * file is split or refused, every entry decoded or refused, and all of it
 * freed, without a read out of bounds (run under ASan + UBSan). The CRC
 * is set right first, so the fuzzer gets past it to the entries. */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "load/reccodec.h"
#include "site.h"
#include "util/fs.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	if (size >= 4) {
		uLong crc = crc32(0L, copy, (uInt)(size - 4));
		for (int k = 0; k < 4; k++)
			copy[size - 4 + (size_t)k] = (unsigned char)(crc >> (8 * k));
	}
	/* the file as a build meets it: open, read in pieces */
	int fd = memfd_create("cache", MFD_CLOEXEC);
	if (fd < 0 || fs_write_fd(fd, copy, size) < 0)
		abort();
	rc_file f;
	if (rc_file_scan(fd, size, &f) == 0) {
		rc_reader r = {.fd = fd, .end = size - 4};
		for (size_t i = 0; i < f.n; i++) {
			institution in;
			int has;
			diags_t d = DIAGS_INIT;
			if (rc_reader_get(&r, &f.v[i]) < 0)
				abort(); /* the file did not change */
			if (rc_entry_decode(&f.v[i], &in, &has, &d) == 0)
				institution_free(&in);
			diags_free(&d);
		}
		rc_reader_free(&r);
		rc_file_free(&f);
	}
	close(fd);
	free(copy);
	return 0;
}
