/* shapefile.c - the basemap: .shp geometry, .dbf attributes, .prj CRS and
 * .cpg encoding, read into a lon/lat layer.
 *
 * Shapefiles come from contributors and are not trusted. Each part is read
 * through util/safefs.h (inside the site, a regular file, within a size
 * limit for its kind). shapelib trusts the files it reads, and a truncated
 * or corrupt file can make it read out of bounds. So the .shp, .shx and
 * .dbf are first checked against the format (sizes, offsets, counts) and
 * against the limits in geo.h, and only files that pass are handed to
 * shapelib: from memory, the very bytes that were checked (see "shapelib
 * reads from memory").
 * Every coordinate must then be a longitude/latitude in range, and every
 * text field is made UTF-8 without control characters.
 *
 * Rings: shapefile parts are rings, outer rings clockwise and holes
 * counter-clockwise. Each hole goes behind the smallest outer ring that
 * contains it (rings.c); rings come out as outer, its holes, next outer...
 *
 * Messages: a problem with a whole file is reported at line 1, column 1 of
 * that file; a problem with one record names the record, counted from 1 as
 * GIS tools number them. A corrupt file is an I/O failure (DIAG_FATAL); a
 * file past a limit or with coordinates out of range is a content error.
 */
#include "geo.h"

#include "../util/chars.h"
#include "../util/safefs.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <libgen.h>
#include <math.h>
#include <proj.h>
#include <shapefil.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define SHP_HEADER 100
#define SHP_MAGIC 9994
#define DBF_HEADER 32
#define LONLAT_EPS 1e-7 /* degrees a coordinate may stray past its range */
#define MAX_SAME 20     /* messages of one kind per file, then a count */

/* The five files of a shapefile: relative to the root they are read from,
 * and as messages show them. */
typedef struct shp_names {
	char *shp, *shx, *dbf, *prj, *cpg;
	char *shown_shp, *shown_shx, *shown_dbf, *shown_prj, *shown_cpg;
} shp_names;

/* lon/lat from the file's CRS: to_wgs84 NULL and scale 0 when it is WGS 84
 * already. For a geographic CRS PROJ finds no way from, scale and pm turn
 * its units and prime meridian into degrees from Greenwich. */
typedef struct crs_fix {
	PJ_CONTEXT *ctx;
	PJ *to_wgs84;
	double scale, pm; /* degrees per unit; prime meridian in degrees */
	char *log;
	int has_prj;
} crs_fix;

/* Attribute strings to UTF-8. */
typedef struct text_codec {
	iconv_t cd;     /* from the .cpg's encoding; (iconv_t)-1: none */
	iconv_t latin1; /* for strings that turn out not to be UTF-8 */
	int declared;   /* a .cpg named an encoding iconv knows */
} text_codec;

/* ---- names -------------------------------------------------------------- */

static char *with_ext(const char *base, size_t n, const char *ext, int upper)
{
	char *s = xmalloc(n + 5);
	memcpy(s, base, n);
	s[n] = '.';
	for (int i = 0; i < 3; i++)
		s[n + 1 + i] = upper ? (char)toupper((unsigned char)ext[i]) : ext[i];
	s[n + 4] = '\0';
	return s;
}

/* Without its extension, if it has .shp (any case). */
static size_t base_len(const char *path, int *upper)
{
	size_t n = strlen(path);
	*upper = 0;
	if (n > 4 && path[n - 4] == '.' && !strcasecmp(path + n - 3, "shp")) {
		*upper = !strcmp(path + n - 3, "SHP");
		return n - 4;
	}
	return n;
}

static void names_init(shp_names *nm, const char *path, const char *shown)
{
	int up, shown_up;
	size_t n = base_len(path, &up);
	size_t sn = base_len(shown, &shown_up);
	nm->shp = with_ext(path, n, "shp", up);
	nm->shx = with_ext(path, n, "shx", up);
	nm->dbf = with_ext(path, n, "dbf", up);
	nm->prj = with_ext(path, n, "prj", up);
	nm->cpg = with_ext(path, n, "cpg", up);
	nm->shown_shp = with_ext(shown, sn, "shp", shown_up);
	nm->shown_shx = with_ext(shown, sn, "shx", shown_up);
	nm->shown_dbf = with_ext(shown, sn, "dbf", shown_up);
	nm->shown_prj = with_ext(shown, sn, "prj", shown_up);
	nm->shown_cpg = with_ext(shown, sn, "cpg", shown_up);
}

static void names_free(shp_names *nm)
{
	FREE_ALL(nm->shp, nm->shx, nm->dbf, nm->prj, nm->cpg, nm->shown_shp,
		 nm->shown_shx, nm->shown_dbf, nm->shown_prj, nm->shown_cpg);
}

/* ---- checking the files before shapelib sees them --------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

/* The whole of part rel under root, through util/safefs.h: a regular
 * file inside root, no larger than the limit of its kind, so a hostile
 * file cannot make partnermap allocate gigabytes. 0; -1 with an error (the
 * file was refused) or a fatal naming it (it cannot be read). */
static int read_part(const sfs_root *root, const char *rel, const char *shown,
		     sfs_kind kind, buf_t *b, diags_t *d)
{
	int rc = sfs_read(root, rel, shown, kind, b, d);
	int e = errno;
	/* a file the site lacks is the site's to fix (an error: exit 1),
	 * not a failure to read one */
	if (rc == SFS_IO && e == ENOENT && kind == SFS_SHP)
		/* most often a basemap not fetched yet (a name site.yml gives
		 * is checked before: build.c): say where it is named */
		diags_add(d, DIAG_ERROR, CHECK_NONE, shown, 1, 1,
			  "cannot open: %s; map.basemap and map.points in "
			  "site.yml name the shapefiles (in partnermap's own "
			  "repository, make basemap makes the example's)",
			  strerror(e));
	else if (rc == SFS_IO && e == ENOENT)
		diags_add(d, DIAG_ERROR, CHECK_NONE, shown, 1, 1,
			  "cannot open: %s; a shapefile is its .shp with the "
			  ".shx and .dbf of the same name beside it: export "
			  "the layer again, with all its files", strerror(e));
	else if (rc == SFS_IO)
		diags_add(d, DIAG_FATAL, CHECK_NONE, shown, 1, 1, "cannot open: %s",
			  strerror(e));
	return rc == SFS_OK ? 0 : -1;
}

/* A fatal "truncated or corrupt" naming what is wrong. */
static int corrupt(diags_t *d, const char *shown, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int corrupt(diags_t *d, const char *shown, const char *fmt, ...)
{
	buf_t m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	diags_add(d, DIAG_FATAL, CHECK_NONE, shown, 1, 1,
		  "truncated or corrupt shapefile: %s; export the layer again "
		  "(its .shp, .shx and .dbf together)", buf_cstr(&m));
	buf_free(&m);
	return -1;
}

/* Why a check failed: a corrupt file or a limit passed, and the words. */
typedef struct why {
	int limit; /* 1: a limit of geo.h, 0: corrupt */
	char text[200];
} why;

static int fail(why *w, int limit, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(why *w, int limit, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof w->text, fmt, ap);
	va_end(ap);
	w->limit = limit;
	return -1;
}

static int report(diags_t *d, const char *shown, const why *w)
{
	if (!w->limit)
		return corrupt(d, shown, "%s", w->text);
	diags_add(d, DIAG_ERROR, CHECK_NONE, shown, 1, 1, "%s", w->text);
	return -1;
}

/* The main-file or index header: magic, version, declared length; got
 * bytes of it were read, of a file of size bytes. */
static int check_header(const unsigned char *h, size_t got, uint64_t size,
			int index, why *w)
{
	if (got < SHP_HEADER)
		return fail(w, 0, "the file is %llu bytes, shorter than its "
			    "100-byte header", (unsigned long long)size);
	if (be32(h) != SHP_MAGIC || le32(h + 28) != 1000)
		return fail(w, 0, "the header does not start like a shapefile's");
	uint64_t declared = (uint64_t)be32(h + 24) * 2;
	if (declared < SHP_HEADER || declared > size)
		return fail(w, 0, "the header says the file is %llu bytes, "
			    "but it is %llu", (unsigned long long)declared,
			    (unsigned long long)size);
	if (index && (declared - SHP_HEADER) % 8)
		return fail(w, 0, "the index is %llu bytes, not a 100-byte header "
			    "and 8 bytes per record", (unsigned long long)declared);
	if (index && (declared - SHP_HEADER) / 8 > GEO_MAX_RECORDS)
		return fail(w, 1, "%llu records, more than the %u a shapefile may "
			    "have: split the layer",
			    (unsigned long long)(declared - SHP_HEADER) / 8,
			    GEO_MAX_RECORDS);
	if (!index && declared > GEO_MAX_SHP_BYTES)
		return fail(w, 1, "the file is %llu MB; partnermap reads shapefiles "
			    "of up to %lu MB: simplify the layer (for example "
			    "mapshaper -simplify 10%%) or use a coarser scale",
			    (unsigned long long)(declared >> 20), (unsigned long)(GEO_MAX_SHP_BYTES >> 20));
	return 0;
}

static int polygon_family(int t)
{
	return t == SHPT_POLYGON || t == SHPT_POLYGONZ || t == SHPT_POLYGONM;
}

static int point_family(int t)
{
	return t == SHPT_POINT || t == SHPT_POINTZ || t == SHPT_POINTM;
}

static const char *type_name(int t)
{
	const char *s = SHPTypeName(t);
	return s ? s : "unknown";
}

/* Part starts: the first at 0, each after the one before, all within the
 * record's npoints vertices (as shapelib insists too). */
static int check_parts(const unsigned char *c, uint32_t nparts,
		       uint32_t npoints, int rec, why *w)
{
	uint32_t prev = 0;
	for (uint32_t i = 0; i < nparts; i++) {
		uint32_t s = le32(c + 44 + 4 * (uint64_t)i);
		if (i == 0 && s != 0)
			return fail(w, 0, "record %d: its first part starts at "
				    "vertex %u, not 0", rec, s);
		if (s >= npoints)
			return fail(w, 0, "record %d: part %u starts at vertex %u, "
				    "beyond its %u vertices", rec, i + 1, s, npoints);
		if (i > 0 && s <= prev)
			return fail(w, 0, "record %d: part %u starts at vertex %u, "
				    "not after part %u (vertex %u)", rec, i + 1, s,
				    i, prev);
		prev = s;
	}
	return 0;
}

/* One record's content (after its 8-byte header) of len bytes, record
 * number rec (from 1): the parts and points must fit, in order, within the
 * limits. *npoints gets its vertex count. */
static int check_content(const unsigned char *c, uint64_t len, int type,
			 int rec, uint32_t *npoints, why *w)
{
	*npoints = 0;
	if (len < 4)
		return fail(w, 0, "record %d is %llu bytes, too short to hold a "
			    "shape type", rec, (unsigned long long)len);
	int t = (int)le32(c);
	if (t == SHPT_NULL)
		return 0;
	if (t != type)
		return fail(w, 0, "record %d holds a %s shape in a file of %s shapes",
			    rec, type_name(t), type_name(type));
	if (point_family(t)) {
		*npoints = 1;
		if (len >= (t == SHPT_POINT ? 20u : 28u))
			return 0;
		return fail(w, 0, "record %d is %llu bytes, too short for a point",
			    rec, (unsigned long long)len);
	}
	if (len < 44)
		return fail(w, 0, "record %d is %llu bytes, too short for a polygon",
			    rec, (unsigned long long)len);
	uint32_t nparts = le32(c + 36), n = le32(c + 40);
	if (nparts > INT32_MAX || n > INT32_MAX)
		return fail(w, 0, "record %d says it has %d parts and %d vertices",
			    rec, (int32_t)nparts, (int32_t)n);
	uint64_t need = 44 + (uint64_t)nparts * 4 + (uint64_t)n * 16;
	if (t == SHPT_POLYGONZ)
		need += 16 + (uint64_t)n * 8;
	if (need > len)
		return fail(w, 0, "record %d has %u parts and %u vertices, which take "
			    "%llu bytes, but the record is %llu bytes", rec, nparts,
			    n, (unsigned long long)need, (unsigned long long)len);
	if (nparts > GEO_MAX_RECORD_PARTS)
		return fail(w, 1, "record %d has %u parts (rings), more than the %u "
			    "a record may have: simplify or split it", rec, nparts,
			    GEO_MAX_RECORD_PARTS);
	if (n > GEO_MAX_RECORD_VERTICES)
		return fail(w, 1, "record %d has %u vertices, more than the %u a "
			    "record may have: simplify it (for example mapshaper "
			    "-simplify 10%%)", rec, n, GEO_MAX_RECORD_VERTICES);
	if ((nparts == 0) != (n == 0))
		return fail(w, 0, "record %d has %u parts but %u vertices", rec,
			    nparts, n);
	*npoints = n;
	return check_parts(c, nparts, n, rec, w);
}

/* Every index entry against the main file. */
static int check_records(const unsigned char *s, uint64_t limit,
			 const unsigned char *x, uint64_t n, int type,
			 const shp_names *nm, diags_t *d)
{
	uint64_t total = 0;
	why w;
	for (uint64_t i = 0; i < n; i++) {
		const unsigned char *e = x + SHP_HEADER + 8 * i;
		uint64_t off = (uint64_t)be32(e) * 2, len = (uint64_t)be32(e + 4) * 2;
		int rec = (int)i + 1;
		if (off < SHP_HEADER || off + 8 + len > limit)
			return corrupt(d, nm->shown_shx, "record %d is said to be at "
				       "bytes %llu to %llu of the .shp, which has %llu",
				       rec, (unsigned long long)off,
				       (unsigned long long)(off + 8 + len),
				       (unsigned long long)limit);
		uint64_t own = (uint64_t)be32(s + off + 4) * 2;
		if (own != len)
			return corrupt(d, nm->shown_shx, "record %d is %llu bytes by "
				       "the index but %llu by the .shp", rec,
				       (unsigned long long)len, (unsigned long long)own);
		uint32_t npoints;
		if (check_content(s + off + 8, len, type, rec, &npoints, &w) < 0)
			return report(d, nm->shown_shp, &w);
		total += npoints;
		if (total > GEO_MAX_TOTAL_VERTICES) {
			w.limit = 1;
			snprintf(w.text, sizeof w.text, "more than %u vertices in "
				 "all (by record %d): simplify the layer (for example "
				 "mapshaper -simplify 10%%) or use a coarser scale",
				 GEO_MAX_TOTAL_VERTICES, rec);
			return report(d, nm->shown_shp, &w);
		}
	}
	return 0;
}

/* A main file or index as read: its header checked, then cut to the length
 * the header gives (what lies beyond is not part of the shapefile). */
static int check_shape_file(buf_t *b, const char *shown, int index, diags_t *d)
{
	why w;
	if (check_header((const unsigned char *)b->ptr, b->len, b->len, index,
			 &w) < 0)
		return report(d, shown, &w);
	size_t declared = (size_t)be32((const unsigned char *)b->ptr + 24) * 2;
	if (b->len < declared)
		return corrupt(d, shown, "the file is %zu bytes, not %zu", b->len,
			       declared);
	b->len = declared;
	return 0;
}

/* Check the .shp and .shx as read; *nrec gets the number of records,
 * *type the shape type of the file. */
static int check_shp_shx(const shp_names *nm, buf_t *shp, buf_t *shx,
			 int *nrec, int *type, diags_t *d)
{
	if (check_shape_file(shp, nm->shown_shp, 0, d) < 0 ||
	    check_shape_file(shx, nm->shown_shx, 1, d) < 0)
		return -1;
	const unsigned char *s = (const unsigned char *)shp->ptr;
	const unsigned char *x = (const unsigned char *)shx->ptr;
	uint64_t n = (shx->len - SHP_HEADER) / 8;
	*type = (int)le32(s + 32);
	if (check_records(s, shp->len, x, n, *type, nm, d) < 0)
		return -1;
	*nrec = (int)n;
	return 0;
}

/* Check the .dbf as read: its header, its field descriptors and that nrec
 * records are there. */
static int check_dbf(const shp_names *nm, const buf_t *dbf, int nrec,
		     diags_t *d)
{
	uint64_t size = dbf->len;
	const unsigned char *b = (const unsigned char *)dbf->ptr;
	int rc = -1;
	if (dbf->len < DBF_HEADER) {
		corrupt(d, nm->shown_dbf, "the .dbf is %llu bytes, shorter than its "
			"32-byte header", (unsigned long long)size);
		goto out;
	}
	uint64_t records = le32(b + 4) & 0x7fffffffu;
	uint32_t head = le16(b + 8), reclen = le16(b + 10);
	uint64_t need = head + records * reclen;
	if (head < DBF_HEADER + 1 || reclen == 0 || head > dbf->len) {
		corrupt(d, nm->shown_dbf, "the .dbf's header gives a %u-byte header "
			"and %u-byte records", head, reclen);
		goto out;
	}
	if (records < (uint64_t)nrec) {
		corrupt(d, nm->shown_dbf, "the .dbf has %llu records for the %d "
			"shapes of the .shp", (unsigned long long)records, nrec);
		goto out;
	}
	if (need > size) {
		corrupt(d, nm->shown_dbf, "the .dbf should hold %llu records of %u "
			"bytes after its %u-byte header (%llu bytes), but it is %llu "
			"bytes", (unsigned long long)records, reclen, head,
			(unsigned long long)need, (unsigned long long)size);
		goto out;
	}
	uint64_t width = 1; /* the deletion flag */
	for (uint32_t f = DBF_HEADER; f + 32 <= head && b[f] != 0x0D; f += 32)
		width += b[f + 16];
	if (width > reclen) {
		corrupt(d, nm->shown_dbf, "the .dbf's fields take %llu bytes, more "
			"than its %u-byte records", (unsigned long long)width, reclen);
		goto out;
	}
	rc = 0;
out:
	return rc;
}

/* ---- encodings ---------------------------------------------------------- */

static int valid_utf8(const unsigned char *s)
{
	while (*s) {
		int n = *s < 0x80 ? 0 : (*s >> 5) == 6 ? 1 : (*s >> 4) == 14 ? 2
		      : (*s >> 3) == 30 ? 3 : -1;
		if (n < 0)
			return 0;
		uint32_t cp = n ? *s & (0x3f >> n) : *s;
		for (int i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		/* no overlong forms, surrogates or beyond U+10FFFF */
		static const uint32_t least[] = {0, 0x80, 0x800, 0x10000};
		if (cp < least[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		s += n + 1;
	}
	return 1;
}

/* Code pages by number, as a .cpg may give them ("1252", "ANSI 1252",
 * "CP1252", "65001", "28591"); the rest are CP<number> to iconv. */
static const struct {
	long number;
	const char *iconv;
} CODE_PAGES[] = {
	{65001, NULL}, /* UTF-8 */
	{20127, "ASCII"},
	{20866, "KOI8-R"},
	{21866, "KOI8-U"},
	{28591, "ISO-8859-1"},  {28592, "ISO-8859-2"},  {28593, "ISO-8859-3"},
	{28594, "ISO-8859-4"},  {28595, "ISO-8859-5"},  {28596, "ISO-8859-6"},
	{28597, "ISO-8859-7"},  {28598, "ISO-8859-8"},  {28599, "ISO-8859-9"},
	{28603, "ISO-8859-13"}, {28605, "ISO-8859-15"},
};

/* Words a number may follow in a code-page name, after the reduction in
 * encoding_name: "ANSI1252", "WINDOWS1252", "CP437", "OEM850"... */
static const char *const CODE_PAGE_PREFIXES[] = {
	"ANSI", "WINDOWS", "WIN", "CP", "MS", "IBM", "OEM", "DOS",
};

static char *code_page(long n)
{
	for (size_t i = 0; i < sizeof CODE_PAGES / sizeof *CODE_PAGES; i++)
		if (CODE_PAGES[i].number == n)
			return CODE_PAGES[i].iconv ? xstrdup(CODE_PAGES[i].iconv) : NULL;
	return xasprintf("CP%ld", n);
}

static int all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 9;
}

/* The iconv name for what a .cpg says, in the spellings ArcGIS, QGIS and
 * GDAL write: "UTF-8", "65001", "ANSI 1252", "1252", "Windows-1252",
 * "88591", "8859-1", "ISO 8859-1", "LATIN1", "Shift_JIS"... The first line
 * is reduced to upper-case letters and digits, then matched; what matches
 * nothing goes to iconv as written. NULL for UTF-8 (or nothing). Caller
 * frees. */
static char *encoding_name(const char *cpg)
{
	char line[64], key[64];
	size_t n = 0, k = 0;
	const char *s = cpg;
	if (!strncmp(s, "\xef\xbb\xbf", 3)) /* a byte-order mark */
		s += 3;
	while (isspace((unsigned char)*s))
		s++;
	for (; *s && *s != '\n' && *s != '\r' && n + 1 < sizeof line; s++) {
		line[n++] = *s;
		if (isalnum((unsigned char)*s))
			key[k++] = (char)toupper((unsigned char)*s);
	}
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	line[n] = key[k] = '\0';
	if (!k || !strcmp(key, "UTF8"))
		return NULL;
	const char *p = key;
	if (!strncmp(p, "ISO", 3))
		p += 3;
	if (!strncmp(p, "8859", 4) && all_digits(p + 4))
		return xasprintf("ISO-8859-%s", p + 4);
	for (size_t i = 0; i < sizeof CODE_PAGE_PREFIXES / sizeof *CODE_PAGE_PREFIXES; i++) {
		size_t len = strlen(CODE_PAGE_PREFIXES[i]);
		if (!strncmp(key, CODE_PAGE_PREFIXES[i], len) && all_digits(key + len))
			return code_page(strtol(key + len, NULL, 10));
	}
	if (all_digits(key))
		return code_page(strtol(key, NULL, 10));
	return xstrdup(line);
}

/* Set up from the .cpg; without one (or one that cannot be read), strings
 * are UTF-8 when valid and ISO-8859-1 otherwise. -1 when the .cpg was
 * refused (reported). */
static int codec_init(text_codec *tc, const sfs_root *root,
		      const shp_names *nm, diags_t *d)
{
	tc->cd = (iconv_t)-1;
	tc->declared = 0;
	tc->latin1 = iconv_open("UTF-8", "ISO-8859-1");
	buf_t cpg = BUF_INIT;
	int got = sfs_read(root, nm->cpg, nm->shown_cpg, SFS_CPG, &cpg, d);
	if (got != SFS_OK) { /* the first line will do */
		buf_free(&cpg);
		return got == SFS_REFUSED ? -1 : 0;
	}
	char *enc = encoding_name(buf_cstr(&cpg));
	tc->declared = 1;
	if (enc) {
		tc->cd = iconv_open("UTF-8", enc);
		if (tc->cd == (iconv_t)-1) {
			tc->declared = 0;
			diag_warning(d, BASEMAP_ENCODING, nm->shown_cpg, 1, 1,
				     "unknown encoding \"%s\": reading text as UTF-8, or "
				     "ISO-8859-1 where it is not valid UTF-8; write the "
				     "code page there, such as UTF-8 or 1252", enc);
		}
	}
	free(enc);
	buf_free(&cpg);
	return 0;
}

static void codec_free(text_codec *tc)
{
	if (tc->cd != (iconv_t)-1)
		iconv_close(tc->cd);
	if (tc->latin1 != (iconv_t)-1)
		iconv_close(tc->latin1);
}

/* s converted by cd into a fresh string; NULL if it does not convert. */
static char *convert(iconv_t cd, const char *s)
{
	if (cd == (iconv_t)-1)
		return NULL;
	size_t inlen = strlen(s), outcap = inlen * 4 + 1, outlen = outcap;
	char *in = xstrdup(s), *out = xmalloc(outcap);
	char *ip = in, *op = out;
	iconv(cd, NULL, NULL, NULL, NULL);
	size_t r = iconv(cd, &ip, &inlen, &op, &outlen);
	if (r != (size_t)-1)
		r = iconv(cd, NULL, NULL, &op, &outlen);
	free(in);
	if (r == (size_t)-1 || outlen == 0) {
		free(out);
		return NULL;
	}
	*op = '\0';
	return out;
}

/* What strip_controls found. */
enum { CTRL_C0 = 1, CTRL_C1 = 2, CTRL_BIDI = 4 };

/* Remove control characters from the UTF-8 string s in place: tab, line
 * and page breaks become spaces, every other C0 character, DEL and the C1
 * characters (U+0080 to U+009F) go, and so do the bidi controls
 * (util/chars.h), which would reorder the text after a name. They have no
 * place in a name, and C1 characters are what Windows-1252 text read as
 * ISO-8859-1 turns into.
 * Then trims spaces at either end. Returns CTRL_* flags. */
static int strip_controls(char *s)
{
	int found = 0;
	unsigned char *r = (unsigned char *)s, *w = r;
	while (*r) {
		if (*r < 0x20 || *r == 0x7f) {
			found |= CTRL_C0;
			if (*r >= '\t' && *r <= '\r')
				*w++ = ' ';
			r++;
		} else if (r[0] == 0xc2 && r[1] >= 0x80 && r[1] <= 0x9f) {
			found |= CTRL_C1;
			r += 2;
		} else {
			unsigned cp;
			size_t len = chars_decode((const char *)r,
						  strlen((const char *)r), &cp);
			if (chars_is_bidi_control(cp)) {
				found |= CTRL_BIDI;
				r += len;
				continue;
			}
			while (len--)
				*w++ = *r++;
		}
	}
	*w = '\0';
	unsigned char *start = (unsigned char *)s;
	while (*start == ' ')
		start++;
	size_t n = strlen((char *)start);
	while (n && start[n - 1] == ' ')
		n--;
	memmove(s, start, n);
	s[n] = '\0';
	return found;
}

/* A string from the .dbf, trimmed and in UTF-8, without control
 * characters; *controls gets strip_controls' flags. */
static char *to_utf8(text_codec *tc, const char *raw, int *controls)
{
	while (*raw == ' ')
		raw++;
	size_t n = strlen(raw);
	while (n && raw[n - 1] == ' ')
		n--;
	char *s = xstrndup(raw, n);
	char *u = convert(tc->cd, s);
	if (!u && !valid_utf8((const unsigned char *)s))
		u = convert(tc->latin1, s);
	if (u) {
		free(s);
		s = u;
	} else if (!valid_utf8((const unsigned char *)s)) {
		/* no latin1 converter at all: keep the ASCII, replace the rest */
		for (char *p = s; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
	}
	*controls = strip_controls(s);
	return s;
}

/* ---- the CRS ------------------------------------------------------------- */

static void crs_free(crs_fix *c)
{
	if (c->to_wgs84)
		proj_destroy(c->to_wgs84);
	if (c->ctx)
		proj_context_destroy(c->ctx);
	free(c->log);
	memset(c, 0, sizeof *c);
}

/* WGS 84 longitude/latitude as a CRS, written out so that no database is
 * needed to build it. */
static const char WGS84_WKT[] =
	"GEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\","
	"ELLIPSOID[\"WGS 84\",6378137,298.257223563,LENGTHUNIT[\"metre\",1]]],"
	"PRIMEM[\"Greenwich\",0,ANGLEUNIT[\"degree\",0.0174532925199433]],"
	"CS[ellipsoidal,2],"
	"AXIS[\"longitude\",east,ORDER[1],ANGLEUNIT[\"degree\",0.0174532925199433]],"
	"AXIS[\"latitude\",north,ORDER[2],ANGLEUNIT[\"degree\",0.0174532925199433]]]";

static int wgs84_datum_name(const char *name)
{
	if (!name)
		return 0;
	return (strstr(name, "WGS") && strstr(name, "84")) ||
	       strstr(name, "World Geodetic System 1984");
}

/* The datum, ellipsoid, prime meridian and unit of geographic WGS 84
 * degrees, in whatever axis order (a shapefile stores x = longitude
 * anyway)? Checked piece by piece rather than against EPSG:4326, which
 * would need PROJ's database. */
static int is_wgs84_lonlat(PJ_CONTEXT *ctx, PJ *crs)
{
	PJ_TYPE t = proj_get_type(crs);
	if (t != PJ_TYPE_GEOGRAPHIC_2D_CRS && t != PJ_TYPE_GEOGRAPHIC_3D_CRS)
		return 0;
	PJ *datum = proj_crs_get_datum_forced(ctx, crs);
	PJ *ellps = proj_get_ellipsoid(ctx, crs);
	PJ *pm = proj_get_prime_meridian(ctx, crs);
	PJ *cs = proj_crs_get_coordinate_system(ctx, crs);
	double a = 0, b = 0, invf = 0, pm_lon = 1, pm_unit = 0, unit = 0;
	int computed = 0;
	int ok = datum && ellps && pm && cs && wgs84_datum_name(proj_get_name(datum)) &&
		 proj_ellipsoid_get_parameters(ctx, ellps, &a, &b, &computed, &invf) &&
		 proj_prime_meridian_get_parameters(ctx, pm, &pm_lon, &pm_unit, NULL) &&
		 proj_cs_get_axis_info(ctx, cs, 0, NULL, NULL, NULL, &unit, NULL, NULL, NULL);
	ok = ok && fabs(a - 6378137.0) < 1e-3 && fabs(invf - 298.257223563) < 1e-6 &&
	     pm_lon == 0 && fabs(unit - M_PI / 180) < 1e-12;
	PJ *parts[] = {datum, ellps, pm, cs};
	for (size_t i = 0; i < 4; i++)
		if (parts[i])
			proj_destroy(parts[i]);
	return ok;
}

/* A geographic CRS PROJ cannot relate to WGS 84 (it gives up on some ESRI
 * datums): keep its datum, which at world-map scale moves nothing a reader
 * could see, and convert only its angle unit and prime meridian. */
static int geographic_fallback(crs_fix *c, PJ *crs)
{
	PJ_TYPE t = proj_get_type(crs);
	if (t != PJ_TYPE_GEOGRAPHIC_2D_CRS && t != PJ_TYPE_GEOGRAPHIC_3D_CRS)
		return -1;
	PJ *pm = proj_get_prime_meridian(c->ctx, crs);
	PJ *cs = proj_crs_get_coordinate_system(c->ctx, crs);
	double unit = 0, pm_lon = 0, pm_unit = 0;
	int ok = pm && cs &&
		 proj_prime_meridian_get_parameters(c->ctx, pm, &pm_lon, &pm_unit, NULL) &&
		 proj_cs_get_axis_info(c->ctx, cs, 0, NULL, NULL, NULL, &unit, NULL, NULL, NULL) &&
		 unit > 0 && isfinite(unit) && isfinite(pm_lon * pm_unit);
	if (pm)
		proj_destroy(pm);
	if (cs)
		proj_destroy(cs);
	if (!ok)
		return -1;
	c->scale = unit * 180 / M_PI;
	c->pm = pm_lon * pm_unit * 180 / M_PI;
	return 0;
}

static int crs_transform(crs_fix *c, PJ *crs)
{
	PJ *wgs84 = proj_create(c->ctx, WGS84_WKT);
	PJ *op = wgs84 ? proj_create_crs_to_crs_from_pj(c->ctx, crs, wgs84, NULL, NULL)
		       : NULL;
	if (op) {
		c->to_wgs84 = proj_normalize_for_visualization(c->ctx, op);
		proj_destroy(op);
	}
	if (wgs84)
		proj_destroy(wgs84);
	return c->to_wgs84 ? 0 : -1;
}

/* WGS 84 longitude/latitude as GIS tools write it in a .prj: ESRI's WKT
 * (GDAL and QGIS write it so; Natural Earth's basemaps carry it), then
 * OGC WKT 1 of EPSG:4326, without and with its axes. */
static const char *const wgs84_wkts[] = {
	"GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\","
	"6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
	"UNIT[\"Degree\",0.0174532925199433]]",
	"GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,"
	"298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],"
	"PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
	"UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
	"AUTHORITY[\"EPSG\",\"4326\"]]",
	"GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,"
	"298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],"
	"PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
	"UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
	"AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],"
	"AUTHORITY[\"EPSG\",\"4326\"]]",
};

const char *geo_wgs84_wkt(size_t i)
{
	return i < sizeof wgs84_wkts / sizeof wgs84_wkts[0] ? wgs84_wkts[i] : NULL;
}

static int wkt_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int geo_wkt_is_known_wgs84(const char *wkt, size_t n)
{
	if (!wkt)
		return 0;
	if (n >= 3 && !memcmp(wkt, "\xEF\xBB\xBF", 3)) {
		wkt += 3;
		n -= 3;
	}
	while (n && wkt_blank(*wkt)) {
		wkt++;
		n--;
	}
	while (n && wkt_blank(wkt[n - 1]))
		n--;
	const char *k;
	for (size_t i = 0; (k = geo_wgs84_wkt(i)) != NULL; i++)
		if (strlen(k) == n && !memcmp(k, wkt, n))
			return 1;
	return 0;
}

/* Read the .prj through root. Missing: a warning and WGS 84. Refused (a
 * link out, too large: util/safefs.h), unreadable or not a CRS: an error. */
static int crs_init(crs_fix *c, const sfs_root *root, const shp_names *nm,
		    diags_t *d)
{
	memset(c, 0, sizeof *c);
	buf_t wkt = BUF_INIT;
	int got = sfs_read(root, nm->prj, nm->shown_prj, SFS_PRJ, &wkt, d);
	if (got == SFS_REFUSED) {
		buf_free(&wkt);
		return -1;
	}
	if (got != SFS_OK) {
		int err = errno;
		buf_free(&wkt);
		if (err == ENOENT) {
			diag_warning(d, BASEMAP_NO_PRJ, nm->shown_shp, 1, 1,
				     "no .prj: assuming WGS 84 longitude/latitude");
			return 0;
		}
		diags_add(d, DIAG_FATAL, CHECK_NONE, nm->shown_prj, 1, 1, "cannot read: %s",
			  strerror(err));
		return -1;
	}
	size_t depth = geo_proj_depth(buf_cstr(&wkt));
	if (depth > GEO_PROJ_MAX_DEPTH) {
		diag_error(d, nm->shown_prj, 1, 1,
			   "this CRS's brackets are nested %zu deep; a CRS needs "
			   "at most %d, and PROJ's reading of deeper ones takes "
			   "time and memory without bound: write the .prj again "
			   "from a GIS", depth, GEO_PROJ_MAX_DEPTH);
		buf_free(&wkt);
		return -1;
	}
	size_t n;
	const char *ref = geo_proj_file_reference(buf_cstr(&wkt), &n);
	if (ref) {
		/* each at itself, up to ten: its line, and its column in code
		 * points after a byte order mark */
		const char *text = buf_cstr(&wkt), *p = text;
		if (!strncmp(p, "\xEF\xBB\xBF", 3))
			p += 3;
		int line = 1, col = 1;
		for (int told = 0; ref && told < 10; told++) {
			for (; p < ref; p++)
				if (*p == '\n') {
					line++;
					col = 1;
				} else if (((unsigned char)*p & 0xC0) != 0x80) {
					col++;
				}
			diag_error(d, nm->shown_prj, line, col,
				   "this CRS makes PROJ read files (%.*s); "
				   "partnermap reads nothing outside the site: use "
				   "a projection without grids or init files",
				   (int)(n > 200 ? 200 : n), ref);
			ref = geo_proj_file_reference(ref + (n ? n : 1), &n);
		}
		buf_free(&wkt);
		return -1;
	}
	c->has_prj = 1;
	if (geo_wkt_is_known_wgs84(wkt.ptr, wkt.len)) {
		/* as is_wgs84_lonlat would find it, without PROJ */
		buf_free(&wkt);
		return 0;
	}
	/* a byte order mark (Windows tools write one) is no part of the WKT,
	 * which PROJ would refuse with it */
	const char *text = buf_cstr(&wkt);
	if (!strncmp(text, "\xEF\xBB\xBF", 3))
		text += 3;
	if (!text[strspn(text, " \t\r\n")]) {
		diag_error(d, nm->shown_prj, 1, 1, "the .prj is empty: write the "
			   "basemap's coordinate reference system in it as WKT (the "
			   "GIS that made the shapefile can), or remove the file to "
			   "take the basemap as WGS 84 longitude/latitude");
		buf_free(&wkt);
		return -1;
	}
	c->ctx = geo_proj_context_new(&c->log, 1);
	PJ *crs = c->ctx ? proj_create(c->ctx, text) : NULL;
	int rc = 0;
	if (!crs || !proj_is_crs(crs)) {
		diag_error(d, nm->shown_prj, 1, 1, "not a coordinate reference system%s%s",
			   c->log ? ": " : "", c->log ? c->log : "");
		rc = -1;
	} else if (is_wgs84_lonlat(c->ctx, crs) || crs_transform(c, crs) == 0) {
		rc = 0;
	} else if (geographic_fallback(c, crs) == 0) {
		diag_warning(d, BASEMAP_DATUM, nm->shown_prj, 1, 1,
			     "no datum transformation to WGS 84 found; "
			     "converting the angle unit and prime meridian only");
	} else {
		diag_error(d, nm->shown_prj, 1, 1,
			   "cannot convert this CRS to WGS 84 longitude/latitude%s%s",
			   c->log ? ": " : "", c->log ? c->log : "");
		rc = -1;
	}
	if (crs)
		proj_destroy(crs);
	buf_free(&wkt);
	if (rc < 0)
		crs_free(c);
	return rc;
}

/* One point into lon/lat degrees in place; -1 if it cannot be converted.
 * Whether the result is in range is checked by the caller. */
static int crs_point(crs_fix *c, double *x, double *y)
{
	if (c->scale > 0) {
		*x = *x * c->scale + c->pm;
		*y *= c->scale;
		if (*x > 180 && *x <= 540)
			*x -= 360;
		else if (*x < -180 && *x >= -540)
			*x += 360;
		return isfinite(*x) && isfinite(*y) ? 0 : -1;
	}
	if (!c->to_wgs84)
		return 0;
	PJ_COORD p = proj_trans(c->to_wgs84, PJ_FWD, proj_coord(*x, *y, 0, 0));
	if (!isfinite(p.xy.x) || !isfinite(p.xy.y))
		return -1;
	*x = p.xy.x;
	*y = p.xy.y;
	return 0;
}

/* ---- opening ------------------------------------------------------------- */

/* shapelib reports trouble through this hook; the checks above have said
 * what the user needs to know, so its own messages are dropped. */
static void quiet_error(const char *message)
{
	(void)message;
}

/* ---- shapelib reads from memory -----------------------------------------
 *
 * shapelib gets the very bytes that were read safely and checked: its file
 * hooks serve them from memory, so it never opens a file itself, and
 * nothing put in their place after the checks can reach it. Its FOpen hook
 * gets no pointer of ours, only a name; so the name given to SHPOpenLL and
 * DBFOpenLL carries the address of the parts, printed with %p, which
 * reads back as the same pointer (C11 7.21.6.1 and 7.21.6.2). */

#define MEM_NAME "partnermap-memory:"

typedef struct mem_parts {
	buf_t shp, shx, dbf;
} mem_parts;

typedef struct mem_file {
	const buf_t *b;
	size_t pos;
} mem_file;

static SAFile mem_open(const char *name, const char *access)
{
	size_t n = strlen(MEM_NAME);
	void *ptr = NULL;
	char ext[4] = "";
	if (strncmp(name, MEM_NAME, n) || strpbrk(access, "wa+"))
		return NULL;
	if (sscanf(name + n, "%p.%3s", &ptr, ext) != 2 || !ptr)
		return NULL;
	const mem_parts *m = ptr;
	const buf_t *b = !strcmp(ext, "shp") ? &m->shp
		       : !strcmp(ext, "shx") ? &m->shx
		       : !strcmp(ext, "dbf") ? &m->dbf : NULL;
	if (!b) /* the .cpg: read on its own (codec_init) */
		return NULL;
	mem_file *f = xmalloc(sizeof *f);
	f->b = b;
	f->pos = 0;
	return (SAFile)(void *)f;
}

static SAOffset mem_read(void *p, SAOffset size, SAOffset nmemb, SAFile file)
{
	mem_file *f = (mem_file *)(void *)file;
	size_t left = f->pos < f->b->len ? f->b->len - f->pos : 0;
	if (size == 0)
		return 0;
	SAOffset n = nmemb < left / size ? nmemb : left / size;
	if (n)
		memcpy(p, f->b->ptr + f->pos, n * size);
	f->pos += n * size;
	return n;
}

static SAOffset mem_write(void *p, SAOffset size, SAOffset nmemb, SAFile file)
{
	return 0;
}

static SAOffset mem_seek(SAFile file, SAOffset offset, int whence)
{
	mem_file *f = (mem_file *)(void *)file;
	if (whence == SEEK_SET)
		f->pos = offset;
	else if (whence == SEEK_CUR)
		f->pos += offset;
	else if (whence == SEEK_END)
		f->pos = f->b->len + offset;
	else
		return (SAOffset)-1;
	return 0;
}

static SAOffset mem_tell(SAFile file)
{
	return ((mem_file *)(void *)file)->pos;
}

static int mem_flush(SAFile file)
{
	return 0;
}

static int mem_close(SAFile file)
{
	free(file);
	return 0;
}

static int mem_remove(const char *name)
{
	return -1;
}

static void mem_hooks(SAHooks *h)
{
	SASetupDefaultHooks(h);
	h->FOpen = mem_open;
	h->FRead = mem_read;
	h->FWrite = mem_write;
	h->FSeek = mem_seek;
	h->FTell = mem_tell;
	h->FFlush = mem_flush;
	h->FClose = mem_close;
	h->Remove = mem_remove;
	h->Error = quiet_error;
}

/* Everything one read needs, opened and checked. */
/* Problems that may repeat on every record: each kind is reported for the
 * first MAX_SAME records, then counted. */
typedef struct repeats {
	size_t null_shape, controls, range, duplicate;
} repeats;

/* Everything one read needs, opened and checked. */
typedef struct shp_reader {
	shp_names nm;
	mem_parts parts; /* what shapelib reads */
	SHPHandle shp;
	DBFHandle dbf;
	int nrec, type;
	crs_fix crs;
	text_codec tc;
	repeats seen;
	int points; /* a point file (map.points), not a basemap */
} shp_reader;

static void reader_close(shp_reader *r)
{
	if (r->shp)
		SHPClose(r->shp);
	if (r->dbf)
		DBFClose(r->dbf);
	buf_free(&r->parts.shp);
	buf_free(&r->parts.shx);
	buf_free(&r->parts.dbf);
	crs_free(&r->crs);
	codec_free(&r->tc);
	names_free(&r->nm);
}

/* 1 if this occurrence of a repeating problem is to be reported. */
static int first_few(size_t *count)
{
	return ++*count <= MAX_SAME;
}

static void say_more(diags_t *d, diag_level lv, check_id check,
		     const char *shown, size_t count, const char *what)
{
	if (count > MAX_SAME)
		diags_add(d, lv, check, shown, 1, 1, "%zu more records %s",
			  count - MAX_SAME, what);
}

/* The counts of problems past the first few of each kind. */
static void reader_summary(shp_reader *r, diags_t *d)
{
	say_more(d, DIAG_WARNING, r->points ? CHECK_POINTS_EMPTY_RECORD :
		 CHECK_BASEMAP_EMPTY_SHAPE, r->nm.shown_shp, r->seen.null_shape,
		 "have no shape and were skipped");
	say_more(d, DIAG_WARNING, CHECK_BASEMAP_NAME_CONTROLS, r->nm.shown_dbf,
		 r->seen.controls,
		 "had control characters removed");
	say_more(d, DIAG_ERROR, CHECK_NONE, r->nm.shown_shp, r->seen.range,
		 "have coordinates out of range");
	say_more(d, DIAG_WARNING, CHECK_POINTS_DUPLICATE_SLUG, r->nm.shown_shp,
		 r->seen.duplicate,
		 "repeat a slug of an earlier record and were ignored");
}

static int type_error(shp_reader *r, int want_polygons, diags_t *d)
{
	diag_error(d, r->nm.shown_shp, 1, 1, "holds %s shapes; %s shapes expected",
		   type_name(r->type), want_polygons ? "polygon" : "point");
	return -1;
}

/* Read rel's parts under root, check them and open them in shapelib. */
static int reader_open(shp_reader *r, const sfs_root *root, const char *rel,
		       const char *shown, int want_polygons, diags_t *d)
{
	memset(r, 0, sizeof *r);
	r->tc.cd = r->tc.latin1 = (iconv_t)-1;
	names_init(&r->nm, rel, shown ? shown : rel);
	r->points = !want_polygons;
	const shp_names *nm = &r->nm;
	mem_parts *p = &r->parts;
	if (read_part(root, nm->shp, nm->shown_shp, SFS_SHP, &p->shp, d) < 0 ||
	    read_part(root, nm->shx, nm->shown_shx, SFS_SHX, &p->shx, d) < 0 ||
	    check_shp_shx(nm, &p->shp, &p->shx, &r->nrec, &r->type, d) < 0)
		return -1;
	if (want_polygons ? !polygon_family(r->type) : !point_family(r->type))
		return type_error(r, want_polygons, d);
	if (read_part(root, nm->dbf, nm->shown_dbf, SFS_DBF, &p->dbf, d) < 0 ||
	    check_dbf(nm, &p->dbf, r->nrec, d) < 0)
		return -1;
	SAHooks hooks;
	mem_hooks(&hooks);
	char name[64];
	snprintf(name, sizeof name, MEM_NAME "%p.shp", (void *)p);
	r->shp = SHPOpenLL(name, "rb", &hooks);
	if (!r->shp)
		return corrupt(d, nm->shown_shp, "shapelib cannot open it");
	snprintf(name, sizeof name, MEM_NAME "%p.dbf", (void *)p);
	r->dbf = DBFOpenLL(name, "rb", &hooks);
	if (!r->dbf)
		return corrupt(d, nm->shown_dbf, "shapelib cannot open it");
	/* both read, so that one run tells the problems of each */
	int crs = crs_init(&r->crs, root, nm, d);
	int codec = codec_init(&r->tc, root, nm, d);
	return crs < 0 || codec < 0 ? -1 : 0;
}

/* The column named name (any case), or -1 with an error listing them. */
/* "pop_est, name, iso_a3" (or "(none)"): the .dbf's fields, into list. */
static void field_names(shp_reader *r, buf_t *list)
{
	int n = DBFGetFieldCount(r->dbf);
	for (int f = 0; f < n; f++) {
		char fname[XBASE_FLDNAME_LEN_READ + 1] = "";
		DBFGetFieldInfo(r->dbf, f, fname, NULL, NULL);
		strip_controls(fname);
		buf_printf(list, "%s%s", f ? ", " : "", fname);
	}
	if (n <= 0)
		buf_puts(list, "(none)");
}

static int find_field(shp_reader *r, const char *name, diags_t *d)
{
	int i = DBFGetFieldIndex(r->dbf, name);
	if (i >= 0)
		return i;
	buf_t list = BUF_INIT;
	field_names(r, &list);
	diag_error(d, r->nm.shown_dbf, 1, 1,
		   "no field \"%s\"; the fields are: %s (name the one to "
		   "read in site.yml's map settings)", name, buf_cstr(&list));
	buf_free(&list);
	return -1;
}

/* Field f of record rec (from 0) in UTF-8, without control characters (a
 * warning says when some were removed); NULL if the .dbf cannot be read
 * there. */
static char *read_text(shp_reader *r, int rec, int f, diags_t *d)
{
	const char *raw = DBFReadStringAttribute(r->dbf, rec, f);
	if (!raw)
		return NULL;
	int controls = 0;
	char *s = to_utf8(&r->tc, raw, &controls); /* a copy: shapelib reuses raw */
	if (controls && first_few(&r->seen.controls)) {
		char field[XBASE_FLDNAME_LEN_READ + 1] = "";
		DBFGetFieldInfo(r->dbf, f, field, NULL, NULL);
		strip_controls(field);
		const char *fix = (controls & CTRL_C1) && !r->tc.declared
			? "the text looks like Windows-1252: put 1252 in a .cpg "
			  "file beside the .dbf"
			: "remove them in a GIS";
		diag_warning(d, BASEMAP_NAME_CONTROLS, r->nm.shown_dbf, 1, 1,
			  "record %d: %s characters in field \"%s\" were "
			  "removed, giving \"%s\"; %s", rec + 1,
			  controls == CTRL_BIDI ? "bidi control"
			  : controls & CTRL_BIDI ? "control and bidi control"
			  : "control", field, s, fix);
	}
	return s;
}

/* ---- coordinates ---------------------------------------------------------- */

/* ", vertex 5" when a record has more than one. */
static void vertex_label(char *out, size_t cap, int i, int n)
{
	if (n > 1)
		snprintf(out, cap, ", vertex %d", i + 1);
	else
		out[0] = '\0';
}

static int out_of_range(shp_reader *r, int rec, const char *at, const char *what,
			double v, double limit, diags_t *d)
{
	const char *hint = r->crs.to_wgs84 || r->crs.scale > 0
		? "check that the .prj describes this data"
		: r->crs.has_prj
		? "the .prj says WGS 84 longitude/latitude in degrees: if the data "
		  "is in another coordinate system, the .prj must say which"
		: "without a .prj, coordinates are read as WGS 84 "
		  "longitude/latitude in degrees: add the .prj that describes the data";
	diag_error(d, r->nm.shown_shp, 1, 1,
		   "record %d%s: %s %g is out of range [%g, %g]; %s", rec, at, what,
		   v, -limit, limit, hint);
	return -1;
}

/* Convert n points of record rec (from 1) in place into lon/lat degrees,
 * and check each is a finite longitude in [-180, 180] and latitude in
 * [-90, 90] (give or take LONLAT_EPS). 0, or -1 with an error naming the
 * record and the first bad vertex. */
static int lonlat_points(shp_reader *r, double *x, double *y, int n, int rec,
			 diags_t *d)
{
	char at[32];
	for (int i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i])) {
			vertex_label(at, sizeof at, i, n);
			diag_error(d, r->nm.shown_shp, 1, 1,
				   "record %d%s: coordinate %g is not a finite number; "
				   "fix or delete the shape in a GIS", rec, at,
				   isfinite(x[i]) ? y[i] : x[i]);
			return -1;
		}
		double x0 = x[i], y0 = y[i];
		if (crs_point(&r->crs, &x[i], &y[i]) < 0) {
			vertex_label(at, sizeof at, i, n);
			diag_error(d, r->nm.shown_shp, 1, 1,
				   "record %d%s: (%g, %g) cannot be converted to "
				   "longitude/latitude; check that the .prj describes "
				   "this data", rec, at, x0, y0);
			return -1;
		}
		if (fabs(x[i]) <= 180 + LONLAT_EPS && fabs(y[i]) <= 90 + LONLAT_EPS)
			continue;
		vertex_label(at, sizeof at, i, n);
		if (!(fabs(x[i]) <= 180 + LONLAT_EPS))
			return out_of_range(r, rec, at, "longitude", x[i], 180, d);
		return out_of_range(r, rec, at, "latitude", y[i], 90, d);
	}
	return 0;
}

/* ---- polygons ----------------------------------------------------------- */

static double ring_area2(const geo_ring *g)
{
	double s = 0;
	for (size_t i = 0, j = g->n - 1; i < g->n; j = i++)
		s += g->p[j].x * g->p[i].y - g->p[i].x * g->p[j].y;
	return s;
}

static void reverse_ring(geo_ring *g)
{
	for (size_t i = 0, j = g->n - 1; i < j; i++, j--) {
		geo_pt t = g->p[i];
		g->p[i] = g->p[j];
		g->p[j] = t;
	}
}

/* The part's points without the closing repeat or repeated vertices. */
static geo_ring part_ring(const SHPObject *o, int part)
{
	int start = o->panPartStart[part];
	int end = part + 1 < o->nParts ? o->panPartStart[part + 1] : o->nVertices;
	geo_ring g = {xmalloc((size_t)(end - start + 1) * sizeof(geo_pt)), 0, 0};
	for (int i = start; i < end; i++) {
		geo_pt pt = {o->padfX[i], o->padfY[i]};
		if (g.n && g.p[g.n - 1].x == pt.x && g.p[g.n - 1].y == pt.y)
			continue;
		g.p[g.n++] = pt;
	}
	while (g.n > 1 && g.p[g.n - 1].x == g.p[0].x && g.p[g.n - 1].y == g.p[0].y)
		g.n--;
	return g;
}

/* Orient, then order rings as outer, its holes, next outer... A hole that
 * no outer ring holds becomes an outer ring itself. */
static void group_rings(geo_feature *f)
{
	size_t n = f->nrings;
	long *owner = xmalloc((n + 1) * sizeof *owner);
	for (size_t i = 0; i < n; i++)
		f->rings[i].hole = ring_area2(&f->rings[i]) > 0; /* counter-clockwise */
	geo_hole_owners(f->rings, n, 0, owner);
	for (size_t i = 0; i < n; i++) {
		if (f->rings[i].hole && owner[i] < 0) {
			reverse_ring(&f->rings[i]);
			f->rings[i].hole = 0;
		}
	}
	geo_rings_order(f->rings, n, owner);
	free(owner);
}

/* The rings of one shape, record rec (from 1), in lon/lat. 0, or -1 with
 * an error if its points are not longitudes and latitudes. */
static int shape_rings(shp_reader *r, SHPObject *o, int rec, geo_feature *f,
		       diags_t *d)
{
	if (lonlat_points(r, o->padfX, o->padfY, o->nVertices, rec, d) < 0)
		return -1;
	f->rings = xmalloc((size_t)o->nParts * sizeof *f->rings);
	f->nrings = 0;
	for (int p = 0; p < o->nParts; p++) {
		geo_ring g = part_ring(o, p);
		if (g.n >= 3 && ring_area2(&g) != 0)
			f->rings[f->nrings++] = g;
		else
			free(g.p);
	}
	group_rings(f);
	geo_feature_bbox(f);
	return 0;
}

/* "-99" and "" mean no code. */
static char *code_value(char *s)
{
	if (s && (!*s || !strcmp(s, "-99"))) {
		free(s);
		return NULL;
	}
	return s;
}

static int read_feature(shp_reader *r, int rec, int code_f, int name_f,
			geo_layer *out, diags_t *d)
{
	SHPObject *o = SHPReadObject(r->shp, rec);
	if (!o)
		return corrupt(d, r->nm.shown_shp, "record %d cannot be read", rec + 1);
	if (o->nSHPType == SHPT_NULL || o->nVertices == 0 || o->nParts == 0) {
		if (first_few(&r->seen.null_shape))
			diag_warning(d, BASEMAP_EMPTY_SHAPE, r->nm.shown_shp, 1, 1,
				     "record %d has no shape; skipped", rec + 1);
		SHPDestroyObject(o);
		return 0;
	}
	geo_feature f = {0};
	int rc = shape_rings(r, o, rec + 1, &f, d);
	SHPDestroyObject(o);
	if (rc < 0) {
		free(f.rings);
		return -1;
	}
	char *code = code_f >= 0 ? read_text(r, rec, code_f, d) : NULL;
	char *name = name_f >= 0 ? read_text(r, rec, name_f, d) : xstrdup("");
	if ((code_f >= 0 && !code) || !name) {
		free(code);
		free(name);
		out->f[out->n++] = f; /* freed with the layer */
		return corrupt(d, r->nm.shown_dbf, "record %d cannot be read", rec + 1);
	}
	f.code = code_value(code);
	f.name = name;
	if (!f.nrings)
		diag_warning(d, BASEMAP_EMPTY_SHAPE, r->nm.shown_shp, 1, 1,
			     "record %d (%s) has no ring with an area", rec + 1, name);
	out->f[out->n++] = f;
	return 0;
}

/* A trusted path (tests, tools): the root is the .shp's own folder, rel
 * the file's name in it. */
typedef struct own_folder {
	sfs_root root;
	char *rel;
} own_folder;

static void own_open(own_folder *o, const char *shp_path)
{
	char *dir = xstrdup(shp_path), *base = xstrdup(shp_path);
	sfs_root_init(&o->root, dirname(dir), "shapefile's folder");
	o->rel = xstrdup(basename(base));
	free(dir);
	free(base);
}

/* Frees o and passes on rc, the result of the read made in it. */
static int own_close(own_folder *o, int rc)
{
	free(o->rel);
	sfs_root_free(&o->root);
	return rc;
}

int geo_read_polygons(const char *shp_path, const char *shown,
		      const char *code_field, const char *name_field,
		      geo_layer *out, diags_t *d)
{
	own_folder o;
	own_open(&o, shp_path);
	return own_close(&o, geo_read_polygons_in(&o.root, o.rel,
						  shown ? shown : shp_path,
						  code_field, name_field, NULL, out, d));
}

/* The .dbf column of each rule of m (-1: the name field), or NULL after
 * an error at a rule whose field the file lacks. Caller frees. */
static int *match_fields(shp_reader *r, const geo_matches *m, diags_t *d)
{
	int *idx = xcalloc(m->n + 1, sizeof *idx);
	int bad = 0;
	for (size_t i = 0; i < m->n; i++) {
		const geo_match *g = &m->v[i];
		idx[i] = g->field ? DBFGetFieldIndex(r->dbf, g->field) : -1;
		if (g->field && idx[i] < 0) {
			buf_t list = BUF_INIT;
			field_names(r, &list);
			diag_error(d, g->path, g->line, g->col,
				   "the basemap %s has no field \"%s\" to find "
				   "\"%s\" in; its fields are: %s (name one of "
				   "them as field:)", r->nm.shown_dbf, g->field,
				   g->value, buf_cstr(&list));
			buf_free(&list);
			bad = 1;
		}
	}
	if (bad) {
		free(idx);
		return NULL;
	}
	return idx;
}

static int cmp_match_value(const void *a, const void *b)
{
	return strcasecmp(((const geo_match *)a)->value,
			  ((const geo_match *)b)->value);
}

void geo_matches_sort_names(geo_matches *m)
{
	if (m->nname)
		qsort(m->by_name, m->nname, sizeof *m->by_name, cmp_match_value);
}

/* Give feature f of record rec the code of the first rule of m that it
 * meets; idx from match_fields. */
static void match_feature(shp_reader *r, int rec, const geo_matches *m,
			  const int *idx, geo_feature *f)
{
	const char *code = NULL;
	for (size_t i = 0; i < m->n && !code; i++) {
		char *own = NULL;
		const char *v = f->name;
		if (idx[i] >= 0) {
			int controls = 0;
			const char *raw = DBFReadStringAttribute(r->dbf, rec, idx[i]);
			v = own = raw ? to_utf8(&r->tc, raw, &controls) : NULL;
		}
		if (v && !strcasecmp(v, m->v[i].value))
			code = m->v[i].code;
		free(own);
	}
	if (!code && !f->code && m->nname && f->name) {
		geo_match key = {.value = f->name};
		const geo_match *hit = bsearch(&key, m->by_name, m->nname,
					       sizeof key, cmp_match_value);
		code = hit ? hit->code : NULL;
	}
	if (code) {
		free(f->code);
		f->code = xstrdup(code);
	}
}

int geo_read_polygons_in(const sfs_root *root, const char *rel,
			 const char *shown, const char *code_field,
			 const char *name_field, const geo_matches *match,
			 geo_layer *out, diags_t *d)
{
	out->f = NULL;
	out->n = 0;
	shp_reader r;
	int rc = reader_open(&r, root, rel, shown, 1, d);
	int code_f = -1, name_f = -1, *match_f = NULL;
	if (rc == 0 && code_field && (code_f = find_field(&r, code_field, d)) < 0)
		rc = -1;
	if (rc == 0 && name_field && (name_f = find_field(&r, name_field, d)) < 0)
		rc = -1;
	if (rc == 0 && match && !(match_f = match_fields(&r, match, d)))
		rc = -1;
	if (rc == 0) {
		out->f = xcalloc((size_t)r.nrec + 1, sizeof *out->f);
		for (int i = 0; i < r.nrec && rc == 0; i++) {
			size_t before = out->n;
			rc = read_feature(&r, i, code_f, name_f, out, d);
			if (rc == 0 && match_f && out->n > before)
				match_feature(&r, i, match, match_f, &out->f[out->n - 1]);
		}
	}
	free(match_f);
	reader_summary(&r, d);
	reader_close(&r);
	if (rc < 0)
		geo_layer_free(out);
	return rc;
}

/* ---- points --------------------------------------------------------------- */

/* Slugs seen so far and the record that gave each: an open-addressing hash
 * table (FNV-1a), kept at most half full. */
typedef struct slug_table {
	char **slug;
	int *rec;
	size_t cap, n;
} slug_table;

static size_t slug_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static void slugs_grow(slug_table *t)
{
	slug_table g = {NULL, NULL, t->cap ? t->cap * 2 : 64, t->n};
	g.slug = xcalloc(g.cap, sizeof *g.slug);
	g.rec = xcalloc(g.cap, sizeof *g.rec);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slug[i])
			continue;
		size_t k = slug_hash(t->slug[i]) & (g.cap - 1);
		while (g.slug[k])
			k = (k + 1) & (g.cap - 1);
		g.slug[k] = t->slug[i];
		g.rec[k] = t->rec[i];
	}
	free(t->slug);
	free(t->rec);
	*t = g;
}

/* The record that gave slug first, or 0 after noting that rec gives it. */
static int slugs_add(slug_table *t, const char *slug, int rec)
{
	if (2 * (t->n + 1) > t->cap)
		slugs_grow(t);
	size_t k = slug_hash(slug) & (t->cap - 1);
	for (; t->slug[k]; k = (k + 1) & (t->cap - 1))
		if (!strcmp(t->slug[k], slug))
			return t->rec[k];
	t->slug[k] = xstrdup(slug);
	t->rec[k] = rec;
	t->n++;
	return 0;
}

static void slugs_free(slug_table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slug[i]);
	free(t->slug);
	free(t->rec);
}

/* One point record (from 0): 0, or -1 after an error. */
static int read_point(shp_reader *r, int i, int slug_f, slug_table *seen,
		      geo_point_fn fn, geo_empty_point_fn empty, void *ctx,
		      diags_t *d)
{
	SHPObject *o = SHPReadObject(r->shp, i);
	if (!o)
		return corrupt(d, r->nm.shown_shp, "record %d cannot be read", i + 1);
	if (o->nSHPType == SHPT_NULL || o->nVertices < 1) {
		if (first_few(&r->seen.null_shape))
			diag_warning(d, POINTS_EMPTY_RECORD, r->nm.shown_shp, 1, 1,
				     "record %d has no point; skipped", i + 1);
		SHPDestroyObject(o);
		diags_t quiet = DIAGS_INIT; /* its slug unread: no more said */
		char *slug = empty ? read_text(r, i, slug_f, &quiet) : NULL;
		if (slug && *slug)
			empty(ctx, slug, i + 1);
		free(slug);
		diags_free(&quiet);
		return 0;
	}
	double lon = o->padfX[0], lat = o->padfY[0];
	SHPDestroyObject(o);
	diags_t quiet = DIAGS_INIT;
	if (lonlat_points(r, &lon, &lat, 1, i + 1, &quiet) < 0) {
		if (first_few(&r->seen.range))
			diags_move(d, &quiet);
		diags_free(&quiet);
		return -1;
	}
	char *slug = read_text(r, i, slug_f, d);
	if (!slug)
		return corrupt(d, r->nm.shown_dbf, "record %d cannot be read", i + 1);
	int first = *slug ? slugs_add(seen, slug, i + 1) : 0;
	if (first && first_few(&r->seen.duplicate))
		diag_warning(d, POINTS_DUPLICATE_SLUG, r->nm.shown_shp, 1, 1,
			     "record %d and record %d both give slug '%s'; the "
			     "first is used: correct or remove record %d",
			     first, i + 1, slug, i + 1);
	else if (!first)
		fn(ctx, slug, lat, lon, i + 1);
	free(slug);
	return 0;
}

int geo_read_points(const char *shp_path, const char *shown,
		    const char *slug_field, geo_point_fn fn, void *ctx,
		    diags_t *d)
{
	own_folder o;
	own_open(&o, shp_path);
	return own_close(&o, geo_read_points_in(&o.root, o.rel,
						shown ? shown : shp_path,
						slug_field, fn, NULL, ctx, d));
}

/* Record numbers passed to fn count from 1, as shapefiles number them. */
int geo_read_points_in(const sfs_root *root, const char *rel,
		       const char *shown, const char *slug_field,
		       geo_point_fn fn, geo_empty_point_fn empty, void *ctx,
		       diags_t *d)
{
	shp_reader r;
	int rc = reader_open(&r, root, rel, shown, 0, d);
	int slug_f = -1;
	if (rc == 0 && !slug_field) {
		diag_error(d, r.nm.shown_dbf, 1, 1, "no slug field given");
		rc = -1;
	} else if (rc == 0 && (slug_f = find_field(&r, slug_field, d)) < 0) {
		rc = -1;
	}
	slug_table seen = {NULL, NULL, 0, 0};
	int bad = 0;
	for (int i = 0; rc == 0 && i < r.nrec; i++) {
		size_t fatals = d->fatals;
		if (read_point(&r, i, slug_f, &seen, fn, empty, ctx, d) < 0) {
			bad = 1;
			if (d->fatals > fatals)
				rc = -1;
		}
	}
	slugs_free(&seen);
	reader_summary(&r, d);
	reader_close(&r);
	return rc < 0 || bad ? -1 : 0;
}
