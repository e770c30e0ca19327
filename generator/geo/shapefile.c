/* shapefile.c - the basemap: .shp geometry, .dbf attributes, .prj CRS and
 * .cpg encoding, read into a lon/lat layer.
 *
 * The files come from the site folder, which nobody vouches for: each is
 * read through util/safefs.h (inside the site, a regular file, within a
 * size limit for its kind).
 *
 * shapelib trusts the files it reads, and a truncated or corrupt file can
 * make it read out of bounds. So the .shp, .shx and .dbf are first read
 * whole and checked against the format (sizes, offsets, counts), and only
 * files that pass are handed to shapelib: from memory, the very bytes that
 * were checked (see "shapelib reads from memory").
 *
 * Rings: shapefile parts are rings, outer rings clockwise and holes
 * counter-clockwise. Each hole goes behind the smallest outer ring that
 * contains it; rings come out as outer, its holes, next outer...
 */
#include "geo.h"
#include "../util/chars.h"
#include "../util/fs.h"
#include "../util/safefs.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <libgen.h>
#include <math.h>
#include <proj.h>
#include <shapefil.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SHP_HEADER 100
#define SHP_MAGIC 9994
#define DBF_HEADER 32

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
} crs_fix;

/* Attribute strings to UTF-8. */
typedef struct text_codec {
	iconv_t cd;     /* from the .cpg's encoding; (iconv_t)-1: none */
	iconv_t latin1; /* for strings that turn out not to be UTF-8 */
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
	free(nm->shp);
	free(nm->shx);
	free(nm->dbf);
	free(nm->prj);
	free(nm->cpg);
	free(nm->shown_shp);
	free(nm->shown_shx);
	free(nm->shown_dbf);
	free(nm->shown_prj);
	free(nm->shown_cpg);
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

static int read_whole(const sfs_root *root, const char *rel, const char *shown,
		      sfs_kind kind, buf_t *b, diags_t *d)
{
	int rc = sfs_read(root, rel, shown, kind, b, d);
	if (rc == SFS_IO)
		diag_fatal(d, shown, "cannot open: %s", strerror(errno));
	return rc == SFS_OK ? 0 : -1;
}

static int corrupt(diags_t *d, const char *shown)
{
	diag_fatal(d, shown, "truncated or corrupt shapefile");
	return -1;
}

/* The main-file or index header: magic, version, declared length. */
static int check_header(const unsigned char *h, size_t size, int index,
			diags_t *d, const char *shown)
{
	if (size < SHP_HEADER || be32(h) != SHP_MAGIC || le32(h + 28) != 1000)
		return corrupt(d, shown);
	uint64_t declared = (uint64_t)be32(h + 24) * 2;
	if (declared < SHP_HEADER || declared > size)
		return corrupt(d, shown);
	if (index && (declared - SHP_HEADER) % 8)
		return corrupt(d, shown);
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

/* One record's content (after its 8-byte header) of len bytes: the parts
 * and points must fit and the part starts must be in order. */
static int check_content(const unsigned char *c, uint64_t len, int type)
{
	if (len < 4)
		return -1;
	int t = (int)le32(c);
	if (t == SHPT_NULL)
		return 0;
	if (t != type)
		return -1;
	if (point_family(t))
		return len >= (t == SHPT_POINT ? 20u : 28u) ? 0 : -1;
	if (len < 44)
		return -1;
	uint32_t nparts = le32(c + 36), npoints = le32(c + 40);
	uint64_t need = 44 + (uint64_t)nparts * 4 + (uint64_t)npoints * 16;
	if (t == SHPT_POLYGONZ)
		need += 16 + (uint64_t)npoints * 8;
	if (nparts > INT32_MAX || npoints > INT32_MAX || need > len)
		return -1;
	if (nparts == 0 || npoints == 0)
		return nparts == npoints ? 0 : -1;
	uint32_t prev = 0;
	for (uint32_t i = 0; i < nparts; i++) {
		uint32_t s = le32(c + 44 + 4 * (uint64_t)i);
		if ((i == 0 && s != 0) || s < prev || s >= npoints)
			return -1;
		prev = s;
	}
	return 0;
}

/* Check the .shp and .shx as read; *nrec gets the number of records,
 * *type the shape type of the file. */
static int check_shp_shx(const shp_names *nm, const buf_t *shp,
			 const buf_t *shx, int *nrec, int *type, diags_t *d)
{
	const unsigned char *s = (const unsigned char *)shp->ptr;
	const unsigned char *x = (const unsigned char *)shx->ptr;
	if (check_header(s, shp->len, 0, d, nm->shown_shp) < 0 ||
	    check_header(x, shx->len, 1, d, nm->shown_shx) < 0)
		return -1;
	uint64_t limit = (uint64_t)be32(s + 24) * 2;
	uint64_t n = ((uint64_t)be32(x + 24) * 2 - SHP_HEADER) / 8;
	if (n > INT32_MAX / 2)
		return corrupt(d, nm->shown_shx);
	*type = (int)le32(s + 32);
	for (uint64_t i = 0; i < n; i++) {
		const unsigned char *e = x + SHP_HEADER + 8 * i;
		uint64_t off = (uint64_t)be32(e) * 2, len = (uint64_t)be32(e + 4) * 2;
		if (off < SHP_HEADER || off + 8 + len > limit ||
		    (uint64_t)be32(s + off + 4) * 2 != len)
			return corrupt(d, nm->shown_shx);
		if (check_content(s + off + 8, len, *type) < 0)
			return corrupt(d, nm->shown_shp);
	}
	*nrec = (int)n;
	return 0;
}

/* Check the .dbf as read: its header, its field descriptors and that nrec
 * records are there. */
static int check_dbf(const shp_names *nm, const buf_t *dbf, int nrec,
		     diags_t *d)
{
	const unsigned char *b = (const unsigned char *)dbf->ptr;
	if (dbf->len < DBF_HEADER)
		return corrupt(d, nm->shown_dbf);
	uint64_t records = le32(b + 4) & 0x7fffffffu;
	uint32_t head = le16(b + 8), reclen = le16(b + 10);
	if (head < DBF_HEADER + 1 || reclen == 0 || records < (uint64_t)nrec ||
	    head + records * reclen > dbf->len)
		return corrupt(d, nm->shown_dbf);
	uint64_t width = 1; /* the deletion flag */
	for (uint32_t f = DBF_HEADER; f + 32 <= head && b[f] != 0x0D; f += 32)
		width += b[f + 16];
	if (width > reclen)
		return corrupt(d, nm->shown_dbf);
	return 0;
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

/* The iconv name for what a .cpg says ("88591", "1252", "UTF-8", ...);
 * NULL for UTF-8. Caller frees. */
static char *encoding_name(const char *cpg)
{
	char up[64];
	size_t n = 0;
	for (const char *s = cpg; *s && n + 1 < sizeof up; s++)
		if (!isspace((unsigned char)*s))
			up[n++] = (char)toupper((unsigned char)*s);
	up[n] = '\0';
	if (!strcmp(up, "UTF-8") || !strcmp(up, "UTF8") || !strcmp(up, "65001") || !n)
		return NULL;
	if (!strcmp(up, "LATIN1") || !strcmp(up, "LATIN-1"))
		return xstrdup("ISO-8859-1");
	const char *p = up;
	if (!strncmp(p, "ISO", 3))
		p += 3 + (p[3] == '-' || p[3] == '_');
	if (!strncmp(p, "8859", 4)) {
		p += 4 + (p[4] == '-' || p[4] == '_');
		return xasprintf("ISO-8859-%s", p);
	}
	if (!strncmp(up, "CP", 2) && isdigit((unsigned char)up[2]))
		p = up + 2;
	else if (!strncmp(up, "WINDOWS-", 8))
		p = up + 8;
	else
		p = up;
	if (*p && strspn(p, "0123456789") == strlen(p)) {
		long cp = strtol(p, NULL, 10);
		if (cp == 65001)
			return NULL;
		return cp >= 1250 && cp <= 1258 ? xasprintf("WINDOWS-%ld", cp)
						: xasprintf("CP%ld", cp);
	}
	return xstrdup(up);
}

/* Set up from the .cpg; without one (or one that cannot be read), strings
 * are UTF-8 when valid and ISO-8859-1 otherwise. -1 when the .cpg was
 * refused (reported). */
static int codec_init(text_codec *tc, const sfs_root *root,
		      const shp_names *nm, diags_t *d)
{
	tc->cd = (iconv_t)-1;
	tc->latin1 = iconv_open("UTF-8", "ISO-8859-1");
	buf_t cpg = BUF_INIT;
	int rc = sfs_read(root, nm->cpg, nm->shown_cpg, SFS_CPG, &cpg, d);
	if (rc != SFS_OK) {
		buf_free(&cpg);
		return rc == SFS_REFUSED ? -1 : 0;
	}
	char *enc = encoding_name(buf_cstr(&cpg));
	if (enc) {
		tc->cd = iconv_open("UTF-8", enc);
		if (tc->cd == (iconv_t)-1)
			diag_warning(d, BASEMAP_ENCODING, nm->shown_cpg, 1, 1,
				     "unknown encoding \"%s\": reading text as UTF-8, "
				     "or ISO-8859-1 where it is not valid UTF-8", enc);
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

/* A string from the .dbf, trimmed and in UTF-8. */
static char *to_utf8(text_codec *tc, const char *raw)
{
	while (*raw == ' ')
		raw++;
	size_t n = strlen(raw);
	while (n && raw[n - 1] == ' ')
		n--;
	char *s = xstrndup(raw, n);
	char *u = convert(tc->cd, s);
	if (!u && valid_utf8((const unsigned char *)s))
		return s;
	if (!u)
		u = convert(tc->latin1, s);
	if (u) {
		free(s);
		return u;
	}
	/* no latin1 converter at all: keep the ASCII, replace the rest */
	for (char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	return s;
}

/* ---- the CRS ------------------------------------------------------------- */

static void crs_log(void *app, int level, const char *msg)
{
	crs_fix *c = app;
	if (level > PJ_LOG_ERROR || !msg)
		return;
	free(c->log);
	c->log = xstrdup(msg);
}

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

/* Read the .prj. Missing: a warning and WGS 84. Unreadable or not a CRS:
 * an error. */
static int crs_init(crs_fix *c, const sfs_root *root, const shp_names *nm,
		    diags_t *d)
{
	memset(c, 0, sizeof *c);
	buf_t wkt = BUF_INIT;
	int got = sfs_read(root, nm->prj, nm->shown_prj, SFS_PRJ, &wkt, d);
	if (got != SFS_OK) {
		int err = errno;
		buf_free(&wkt);
		if (got == SFS_REFUSED)
			return -1;
		if (err == ENOENT) {
			diag_warning(d, BASEMAP_NO_PRJ, nm->shown_shp, 1, 1,
				     "no .prj: assuming WGS 84 longitude/latitude");
			return 0;
		}
		diag_fatal(d, nm->shown_prj, "cannot open: %s", strerror(err));
		return -1;
	}
	c->ctx = proj_context_create();
	proj_log_func(c->ctx, c, crs_log);
	PJ *crs = proj_create(c->ctx, buf_cstr(&wkt));
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

/* Into lon/lat degrees in place. -1 if a point cannot be converted. */
static int crs_apply(crs_fix *c, double *x, double *y, int n)
{
	for (int i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i]))
			return -1;
		if (c->scale > 0) {
			x[i] = x[i] * c->scale + c->pm;
			y[i] *= c->scale;
			if (x[i] > 180)
				x[i] -= 360;
			else if (x[i] < -180)
				x[i] += 360;
			if (fabs(y[i]) > 90 + 1e-9)
				return -1;
			continue;
		}
		if (!c->to_wgs84)
			continue;
		PJ_COORD p = proj_trans(c->to_wgs84, PJ_FWD,
					proj_coord(x[i], y[i], 0, 0));
		if (!isfinite(p.xy.x) || !isfinite(p.xy.y) || fabs(p.xy.y) > 90 + 1e-9)
			return -1;
		x[i] = p.xy.x;
		y[i] = p.xy.y;
	}
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
typedef struct shp_reader {
	shp_names nm;
	mem_parts parts; /* what shapelib reads */
	SHPHandle shp;
	DBFHandle dbf;
	int nrec, type;
	crs_fix crs;
	text_codec tc;
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

static int type_error(shp_reader *r, int want_polygons, diags_t *d)
{
	const char *type = SHPTypeName(r->type);
	diag_error(d, r->nm.shown_shp, 1, 1, "holds %s shapes; %s shapes expected",
		   type ? type : "unknown", want_polygons ? "polygon" : "point");
	return -1;
}

/* Read rel's parts under root, check them and open them in shapelib. */
static int reader_open(shp_reader *r, const sfs_root *root, const char *rel,
		       const char *shown, int want_polygons, diags_t *d)
{
	memset(r, 0, sizeof *r);
	r->tc.cd = r->tc.latin1 = (iconv_t)-1;
	names_init(&r->nm, rel, shown ? shown : rel);
	const shp_names *nm = &r->nm;
	mem_parts *p = &r->parts;
	if (read_whole(root, nm->shp, nm->shown_shp, SFS_SHP, &p->shp, d) < 0 ||
	    read_whole(root, nm->shx, nm->shown_shx, SFS_SHX, &p->shx, d) < 0 ||
	    check_shp_shx(nm, &p->shp, &p->shx, &r->nrec, &r->type, d) < 0)
		return -1;
	if (want_polygons ? !polygon_family(r->type) : !point_family(r->type))
		return type_error(r, want_polygons, d);
	if (read_whole(root, nm->dbf, nm->shown_dbf, SFS_DBF, &p->dbf, d) < 0 ||
	    check_dbf(nm, &p->dbf, r->nrec, d) < 0)
		return -1;
	SAHooks hooks;
	mem_hooks(&hooks);
	char name[64];
	snprintf(name, sizeof name, MEM_NAME "%p.shp", (void *)p);
	r->shp = SHPOpenLL(name, "rb", &hooks);
	if (!r->shp)
		return corrupt(d, nm->shown_shp);
	snprintf(name, sizeof name, MEM_NAME "%p.dbf", (void *)p);
	r->dbf = DBFOpenLL(name, "rb", &hooks);
	if (!r->dbf)
		return corrupt(d, nm->shown_dbf);
	if (crs_init(&r->crs, root, nm, d) < 0)
		return -1;
	return codec_init(&r->tc, root, nm, d);
}

/* The column named name (any case), or -1 with an error listing them. */
static int find_field(shp_reader *r, const char *name, diags_t *d)
{
	int i = DBFGetFieldIndex(r->dbf, name);
	if (i >= 0)
		return i;
	buf_t list = BUF_INIT;
	int n = DBFGetFieldCount(r->dbf);
	for (int f = 0; f < n; f++) {
		char fname[XBASE_FLDNAME_LEN_READ + 1] = "";
		DBFGetFieldInfo(r->dbf, f, fname, NULL, NULL);
		buf_printf(&list, "%s%s", f ? ", " : "", fname);
	}
	diag_error(d, r->nm.shown_dbf, 1, 1,
		   "no field \"%s\"; the fields are: %s (name the one to "
		   "read in site.yml's map settings)", name,
		   n ? buf_cstr(&list) : "(none)");
	buf_free(&list);
	return -1;
}

/* Field f of record rec in UTF-8; NULL if the .dbf cannot be read there. */
static char *read_text(shp_reader *r, int rec, int f)
{
	const char *raw = DBFReadStringAttribute(r->dbf, rec, f);
	return raw ? to_utf8(&r->tc, raw) : NULL; /* copy: shapelib reuses it */
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

static int ring_contains(const geo_ring *g, geo_pt t)
{
	int in = 0;
	for (size_t i = 0, j = g->n - 1; i < g->n; j = i++) {
		const geo_pt *a = &g->p[i], *b = &g->p[j];
		if ((a->y > t.y) != (b->y > t.y) &&
		    t.x < (b->x - a->x) * (t.y - a->y) / (b->y - a->y) + a->x)
			in = !in;
	}
	return in;
}

/* Most of the hole's vertices inside the outer ring: a hole may touch its
 * outer ring at a vertex, so no single vertex decides. */
static int ring_holds(const geo_ring *outer, const geo_ring *hole)
{
	size_t in = 0;
	for (size_t i = 0; i < hole->n; i++)
		in += (size_t)ring_contains(outer, hole->p[i]);
	return 2 * in > hole->n;
}

/* For each hole the smallest outer ring that holds it, or -1. */
static long hole_owner(const geo_ring *rings, const double *area, size_t n,
		       size_t h)
{
	long best = -1;
	for (size_t o = 0; o < n; o++) {
		if (rings[o].hole || !ring_holds(&rings[o], &rings[h]))
			continue;
		if (best < 0 || fabs(area[o]) < fabs(area[best]))
			best = (long)o;
	}
	return best;
}

/* Orient, then order rings as outer, its holes, next outer... A hole that
 * no outer ring holds becomes an outer ring itself. */
static void group_rings(geo_feature *f)
{
	size_t n = f->nrings;
	double *area = xmalloc(n * sizeof *area);
	long *owner = xmalloc(n * sizeof *owner);
	for (size_t i = 0; i < n; i++) {
		area[i] = ring_area2(&f->rings[i]);
		f->rings[i].hole = area[i] > 0; /* counter-clockwise */
	}
	for (size_t i = 0; i < n; i++) {
		owner[i] = f->rings[i].hole ? hole_owner(f->rings, area, n, i) : -1;
		if (f->rings[i].hole && owner[i] < 0) {
			reverse_ring(&f->rings[i]);
			f->rings[i].hole = 0;
		}
	}
	geo_ring *sorted = xmalloc(n * sizeof *sorted);
	size_t k = 0;
	for (size_t o = 0; o < n; o++) {
		if (f->rings[o].hole)
			continue;
		sorted[k++] = f->rings[o];
		for (size_t h = 0; h < n; h++)
			if (f->rings[h].hole && owner[h] == (long)o)
				sorted[k++] = f->rings[h];
	}
	free(f->rings);
	f->rings = sorted;
	free(area);
	free(owner);
}

/* The rings of one shape, in lon/lat. 0, or -1 if its points cannot be
 * converted to lon/lat. */
static int shape_rings(shp_reader *r, SHPObject *o, geo_feature *f)
{
	if (crs_apply(&r->crs, o->padfX, o->padfY, o->nVertices) < 0)
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
		return corrupt(d, r->nm.shown_shp);
	if (o->nSHPType == SHPT_NULL || o->nVertices == 0 || o->nParts == 0) {
		diag_warning(d, BASEMAP_EMPTY_SHAPE, r->nm.shown_shp, 1, 1,
			     "record %d has no shape; skipped", rec + 1);
		SHPDestroyObject(o);
		return 0;
	}
	geo_feature f = {0};
	int rc = shape_rings(r, o, &f);
	SHPDestroyObject(o);
	if (rc < 0) {
		diag_error(d, r->nm.shown_shp, 1, 1,
			   "record %d: coordinates cannot be read as longitude/latitude",
			   rec + 1);
		free(f.rings);
		return -1;
	}
	char *code = code_f >= 0 ? read_text(r, rec, code_f) : NULL;
	char *name = name_f >= 0 ? read_text(r, rec, name_f) : xstrdup("");
	if ((code_f >= 0 && !code) || !name) {
		free(code);
		free(name);
		out->f[out->n++] = f; /* freed with the layer */
		return corrupt(d, r->nm.shown_dbf);
	}
	/* a name lands in the map's XML and in messages: no control (XML 1.0
	 * forbids them) or bidi control characters (util/chars.h) */
	char *clean = chars_strip_unsafe(name);
	if (clean) {
		diag_warning(d, BASEMAP_NAME_CONTROLS, r->nm.shown_dbf, 1, 1,
			     "record %d: the country name holds control or "
			     "bidi control characters; they are left out (save "
			     "the name without them)", rec + 1);
		free(name);
		name = clean;
	}
	f.code = code_value(code);
	f.name = name;
	if (!f.nrings)
		diag_warning(d, BASEMAP_EMPTY_SHAPE, r->nm.shown_shp, 1, 1,
			     "record %d (%s) has no ring with an area", rec + 1, name);
	out->f[out->n++] = f;
	return 0;
}

/* A trusted path (tests, tools): read from the .shp's own folder. */
static void own_folder(sfs_root *root, const char *shp_path, char **rel)
{
	char *dir = xstrdup(shp_path), *base = xstrdup(shp_path);
	sfs_root_init(root, dirname(dir), "shapefile's folder");
	*rel = xstrdup(basename(base));
	free(dir);
	free(base);
}

int geo_read_polygons(const char *shp_path, const char *shown,
		      const char *code_field, const char *name_field,
		      geo_layer *out, diags_t *d)
{
	sfs_root root;
	char *rel;
	own_folder(&root, shp_path, &rel);
	int rc = geo_read_polygons_in(&root, rel, shown ? shown : shp_path,
				      code_field, name_field, out, d);
	free(rel);
	sfs_root_free(&root);
	return rc;
}

int geo_read_polygons_in(const sfs_root *root, const char *rel,
			 const char *shown, const char *code_field,
			 const char *name_field, geo_layer *out, diags_t *d)
{
	out->f = NULL;
	out->n = 0;
	shp_reader r;
	int rc = reader_open(&r, root, rel, shown, 1, d);
	int code_f = -1, name_f = -1;
	if (rc == 0 && code_field && (code_f = find_field(&r, code_field, d)) < 0)
		rc = -1;
	if (rc == 0 && name_field && (name_f = find_field(&r, name_field, d)) < 0)
		rc = -1;
	if (rc == 0) {
		out->f = xcalloc((size_t)r.nrec + 1, sizeof *out->f);
		for (int i = 0; i < r.nrec && rc == 0; i++)
			rc = read_feature(&r, i, code_f, name_f, out, d);
	}
	reader_close(&r);
	if (rc < 0)
		geo_layer_free(out);
	return rc;
}

/* ---- points --------------------------------------------------------------- */

int geo_read_points(const char *shp_path, const char *shown,
		    const char *slug_field, geo_point_fn fn, void *ctx,
		    diags_t *d)
{
	sfs_root root;
	char *rel;
	own_folder(&root, shp_path, &rel);
	int rc = geo_read_points_in(&root, rel, shown ? shown : shp_path,
				    slug_field, fn, ctx, d);
	free(rel);
	sfs_root_free(&root);
	return rc;
}

/* Record numbers passed to fn count from 1, as shapefiles number them. */
int geo_read_points_in(const sfs_root *root, const char *rel,
		       const char *shown, const char *slug_field,
		       geo_point_fn fn, void *ctx, diags_t *d)
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
	for (int i = 0; rc == 0 && i < r.nrec; i++) {
		SHPObject *o = SHPReadObject(r.shp, i);
		if (!o) {
			rc = corrupt(d, r.nm.shown_shp);
			break;
		}
		if (o->nSHPType == SHPT_NULL || o->nVertices < 1) {
			diag_warning(d, POINTS_EMPTY_RECORD, r.nm.shown_shp, 1, 1,
				     "record %d has no point; skipped", i + 1);
		} else if (crs_apply(&r.crs, o->padfX, o->padfY, 1) < 0) {
			diag_error(d, r.nm.shown_shp, 1, 1,
				   "record %d: coordinates cannot be read as longitude/latitude",
				   i + 1);
			rc = -1;
		} else {
			char *slug = read_text(&r, i, slug_f);
			if (slug)
				fn(ctx, slug, o->padfY[0], o->padfX[0], i + 1);
			else
				rc = corrupt(d, r.nm.shown_dbf);
			free(slug);
		}
		SHPDestroyObject(o);
	}
	reader_close(&r);
	return rc;
}
