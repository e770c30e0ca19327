/* fuzz_shapefile.c - libFuzzer target: any bytes as a shapefile, read by
 * the real reader (geo_read_polygons or geo_read_points) from files in a
 * temporary folder. Whatever the input, reading must return, report
 * through diagnostics, stay within the limits of geo.h, give only
 * longitudes and latitudes, and free everything (ASan + UBSan).
 *
 * The first byte chooses how the rest is laid out:
 *   bit 0 clear: [u32 shp length][u32 shx length][.shp][.shx][.dbf], all
 *                three files as given (little-endian lengths);
 *   bit 0 set:   the rest is the .shp (its header's length made to fit);
 *                a matching .shx is made by walking its record headers,
 *                and a .dbf with enough records, so that mutations reach
 *                the records' contents;
 *   bit 1:       read points (field "slug") rather than polygons;
 *   bit 2:       add a .cpg naming a code page taken from the next byte.
 * tests/fuzz/shapefile_seeds.py writes seeds in this layout. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo/geo.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The folder the files go into: made once per fuzzing process, removed at
 * exit; in memory (/dev/shm) unless TMPDIR says otherwise, since every
 * input is written out. */
static char folder[256];

static void remove_folder(void)
{
	fs_remove_tree(folder);
}

static const char *work_folder(void)
{
	if (!folder[0]) {
		const char *tmp = getenv("TMPDIR");
		if (!tmp || !*tmp)
			tmp = fs_is_dir("/dev/shm") ? "/dev/shm" : "/tmp";
		snprintf(folder, sizeof folder, "%s/pm-fuzz-shp-XXXXXX", tmp);
		if (!mkdtemp(folder))
			abort();
		atexit(remove_folder);
	}
	return folder;
}

static void put(const char *ext, const void *p, size_t n)
{
	char *path = xasprintf("%s/f.%s", work_folder(), ext);
	if (fs_write(path, p, n) < 0)
		abort();
	free(path);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[0] << 24;
}

static void put_be32(buf_t *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	buf_put(b, c, 4);
}

/* An index for the .shp's records, as far as their headers chain. */
static size_t make_index(const uint8_t *shp, size_t n)
{
	buf_t x = BUF_INIT;
	size_t records = 0;
	buf_put(&x, shp, n < 100 ? n : 100);
	for (size_t at = 100; at + 8 <= n && records < 4096; records++) {
		uint64_t len = (uint64_t)be32(shp + at + 4) * 2;
		if (at + 8 + len > n)
			break;
		put_be32(&x, (uint32_t)(at / 2));
		put_be32(&x, (uint32_t)(len / 2));
		at += 8 + (size_t)len;
	}
	if (x.len >= 100) { /* the index's own length */
		uint32_t words = (uint32_t)(x.len / 2);
		for (int k = 0; k < 4; k++)
			x.ptr[24 + k] = (char)(words >> (24 - 8 * k));
	}
	put("shx", x.ptr ? x.ptr : "", x.len);
	buf_free(&x);
	return records;
}

/* A .dbf with fields iso_a3, name and slug and records rows. */
static void make_dbf(size_t records)
{
	buf_t b = BUF_INIT;
	unsigned char head[32] = {3, 126, 1, 1};
	head[4] = (unsigned char)records;
	head[5] = (unsigned char)(records >> 8);
	head[8] = 32 + 3 * 32 + 1;
	head[10] = 1 + 3 + 10 + 10;
	buf_put(&b, head, 32);
	static const struct {
		const char *name;
		unsigned char width;
	} fields[] = {{"iso_a3", 3}, {"name", 10}, {"slug", 10}};
	for (int f = 0; f < 3; f++) {
		unsigned char d[32] = {0};
		memcpy(d, fields[f].name, strlen(fields[f].name));
		d[11] = 'C';
		d[16] = fields[f].width;
		buf_put(&b, d, 32);
	}
	buf_putc(&b, 0x0d);
	for (size_t r = 0; r < records; r++)
		buf_printf(&b, " X%02zu%-10zu%-10zu", r % 100, r, r);
	buf_putc(&b, 0x1a);
	put("dbf", b.ptr, b.len);
	buf_free(&b);
}

static const char *const CODE_PAGES[] = {
	"UTF-8", "ANSI 1252", "88591", "1251", "932", "System", "65001",
	"ISO 8859-15", "LATIN1", "",
};

static int in_range(const geo_layer *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (size_t r = 0; r < l->f[i].nrings; r++)
			for (size_t k = 0; k < l->f[i].rings[r].n; k++) {
				geo_pt p = l->f[i].rings[r].p[k];
				if (!(p.x >= -181 && p.x <= 181 && p.y >= -91 && p.y <= 91))
					return 0;
			}
	return 1;
}

static void point_seen(void *ctx, const char *slug, double lat, double lon,
		       int record)
{
	(void)ctx;
	(void)record;
	if (!slug || !(lat >= -91 && lat <= 91 && lon >= -181 && lon <= 181))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	data++;
	size--;
	char *cpg = xasprintf("%s/f.cpg", work_folder());
	unlink(cpg);
	if ((mode & 4) && size >= 1) {
		const char *name = CODE_PAGES[data[0] % (sizeof CODE_PAGES / sizeof *CODE_PAGES)];
		put("cpg", name, strlen(name));
		data++;
		size--;
	}
	free(cpg);
	if (mode & 1) {
		/* the header's length is made to match too */
		uint8_t *shp = xmalloc(size + 1);
		memcpy(shp, data, size);
		for (int k = 0; size >= 100 && k < 4; k++)
			shp[24 + k] = (uint8_t)((size / 2) >> (24 - 8 * k));
		put("shp", shp, size);
		make_dbf(make_index(shp, size));
		free(shp);
	} else {
		if (size < 8)
			return 0;
		size_t a = le32(data), b = le32(data + 4);
		data += 8;
		size -= 8;
		a = a < size ? a : size;
		b = b < size - a ? b : size - a;
		put("shp", data, a);
		put("shx", data + a, b);
		put("dbf", data + a + b, size - a - b);
	}
	char *shp = xasprintf("%s/f.shp", work_folder());
	diags_t d = DIAGS_INIT;
	if (mode & 2) {
		geo_read_points(shp, "geodata/f.shp", "slug", point_seen, NULL, &d);
	} else {
		geo_layer l;
		if (geo_read_polygons(shp, "geodata/f.shp", "iso_a3", "name", &l, &d) == 0 &&
		    !in_range(&l))
			abort();
		geo_layer_free(&l);
	}
	/* every message names one of the files, at line 1 */
	for (size_t i = 0; i < d.n; i++)
		if (!d.v[i].path || strncmp(d.v[i].path, "geodata/f.", 10) ||
		    d.v[i].line != 1)
			abort();
	diags_free(&d);
	free(shp);
	return 0;
}
