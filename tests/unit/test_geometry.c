/* test_geometry.c - hostile and odd shapefiles: many rings and holes,
 * limits on size, coordinates out of range, corrupt files of every kind,
 * code pages and control characters, repeated slugs in a point file.
 *
 * The files are written here byte by byte (not with shapelib, which would
 * refuse to write most of them) into a fresh temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo/geo.h"
#include "fixture.h"
#include "seen.h"
#include "render/text.h"
#include "util/buf.h"
#include "util/fs.h"

typedef fixture_dir fixture;

FIXTURE_DIR_HOOKS("pm-geom")


static void write_file(const fixture *f, const char *name, const char *ext,
		       const void *data, size_t n)
{
	char *p = fixture_dir_path(f, name, ext);
	assert_int_equal(fs_write(p, data, n), 0);
	free(p);
}


static const char WGS84_PRJ[] = FIXTURE_WGS84_PRJ;

/* ---- writing shapefiles byte by byte ------------------------------------ */

static void put_be32(buf_t *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	buf_put(b, c, 4);
}

static void put_le32(buf_t *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
	buf_put(b, c, 4);
}

static void put_le16(buf_t *b, uint32_t v)
{
	unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_put(b, c, 2);
}

static void put_double(buf_t *b, double v)
{
	uint64_t u;
	memcpy(&u, &v, 8);
	put_le32(b, (uint32_t)u);
	put_le32(b, (uint32_t)(u >> 32));
}

static void set_le32(buf_t *b, size_t at, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		b->ptr[at + (size_t)k] = (char)(v >> (8 * k));
}

static void set_be32(buf_t *b, size_t at, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		b->ptr[at + (size_t)k] = (char)(v >> (24 - 8 * k));
}

/* The records of a .shp and the entries of its .shx, headers added by
 * raw_write. */
typedef struct rawshp {
	buf_t shp, shx;
	int type;
} rawshp;

static void raw_init(rawshp *w, int type)
{
	buf_init(&w->shp);
	buf_init(&w->shx);
	w->type = type;
}

static void raw_free(rawshp *w)
{
	buf_free(&w->shp);
	buf_free(&w->shx);
}

static void raw_record(rawshp *w, const buf_t *content)
{
	size_t at = 100 + w->shp.len;
	put_be32(&w->shx, (uint32_t)(at / 2));
	put_be32(&w->shx, (uint32_t)(content->len / 2));
	put_be32(&w->shp, (uint32_t)(w->shx.len / 8));
	put_be32(&w->shp, (uint32_t)(content->len / 2));
	buf_put(&w->shp, content->ptr, content->len);
}

/* A polygon record: nparts parts starting at starts[], npts points xy[]. */
static void raw_polygon(rawshp *w, uint32_t nparts, const uint32_t *starts,
			uint32_t npts, const double *xy)
{
	buf_t c = BUF_INIT;
	put_le32(&c, 5);
	for (int k = 0; k < 4; k++)
		put_double(&c, 0);
	put_le32(&c, nparts);
	put_le32(&c, npts);
	for (uint32_t i = 0; i < nparts; i++)
		put_le32(&c, starts[i]);
	for (uint32_t i = 0; i < 2 * npts; i++)
		put_double(&c, xy[i]);
	raw_record(w, &c);
	buf_free(&c);
}

/* One closed ring as a polygon record. */
static void raw_ring(rawshp *w, const double *xy, uint32_t npts)
{
	uint32_t start = 0;
	raw_polygon(w, 1, &start, npts, xy);
}

static void raw_point(rawshp *w, double x, double y)
{
	buf_t c = BUF_INIT;
	put_le32(&c, 1);
	put_double(&c, x);
	put_double(&c, y);
	raw_record(w, &c);
	buf_free(&c);
}

static void raw_header(buf_t *b, size_t len, int type)
{
	put_be32(b, 9994);
	for (int k = 0; k < 5; k++)
		put_be32(b, 0);
	put_be32(b, (uint32_t)(len / 2));
	put_le32(b, 1000);
	put_le32(b, (uint32_t)type);
	for (int k = 0; k < 8; k++)
		put_double(b, 0);
}

static void raw_write(const rawshp *w, const fixture *f, const char *name)
{
	buf_t shp = BUF_INIT, shx = BUF_INIT;
	raw_header(&shp, 100 + w->shp.len, w->type);
	buf_put(&shp, w->shp.ptr, w->shp.len);
	raw_header(&shx, 100 + w->shx.len, w->type);
	buf_put(&shx, w->shx.ptr, w->shx.len);
	write_file(f, name, "shp", shp.ptr, shp.len);
	write_file(f, name, "shx", shx.ptr, shx.len);
	buf_free(&shp);
	buf_free(&shx);
}

/* A .dbf with one character field of the given width; values[i] are the
 * raw bytes of record i. */
static void write_dbf(const fixture *f, const char *name, const char *field,
		      int width, const char *const *values, int n)
{
	buf_t b = BUF_INIT;
	buf_putc(&b, 3);
	buf_put(&b, "\x7e\x01\x01", 3);
	put_le32(&b, (uint32_t)n);
	put_le16(&b, 32 + 32 + 1);
	put_le16(&b, (uint32_t)(1 + width));
	for (int k = 0; k < 20; k++)
		buf_putc(&b, 0);
	char desc[32] = {0};
	snprintf(desc, 11, "%s", field);
	desc[11] = 'C';
	desc[16] = (char)width;
	buf_put(&b, desc, 32);
	buf_putc(&b, 0x0d);
	for (int i = 0; i < n; i++) {
		buf_putc(&b, ' ');
		size_t len = strlen(values[i]);
		for (int k = 0; k < width; k++)
			buf_putc(&b, (size_t)k < len ? values[i][k] : ' ');
	}
	buf_putc(&b, 0x1a);
	write_file(f, name, "dbf", b.ptr, b.len);
	buf_free(&b);
}

/* n records named "r1", "r2"... */
static void write_names(const fixture *f, const char *name, int n)
{
	char **v = xcalloc((size_t)n + 1, sizeof *v);
	for (int i = 0; i < n; i++)
		v[i] = xasprintf("r%d", i + 1);
	write_dbf(f, name, "name", 10, (const char *const *)v, n);
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int read_layer(const fixture *f, const char *name, geo_layer *l, diags_t *d)
{
	char *p = fixture_dir_path(f, name, "shp");
	int rc = geo_read_polygons(p, "geodata/t.shp", NULL, "name", l, d);
	free(p);
	return rc;
}

/* The one diagnostic of d: at path, line 1 col 1, at level lv, saying msg. */
static void assert_only_diag(const diags_t *d, diag_level lv, const char *path,
			     const char *msg)
{
	if (d->n != 1 || d->v[0].level != lv || strcmp(d->v[0].msg, msg) ||
	    strcmp(d->v[0].path, path)) {
		for (size_t i = 0; i < d->n; i++)
			print_message("got %s:%d:%d: [%d] %s\n", d->v[i].path,
				      d->v[i].line, d->v[i].col, d->v[i].level,
				      d->v[i].msg);
		fail_msg("expected one diagnostic %s: [%d] %s", path, lv, msg);
	}
	assert_int_equal(d->v[0].line, 1);
	assert_int_equal(d->v[0].col, 1);
}

/* Squares: clockwise (outer) or counter-clockwise (hole), closed. */
static void square(double *xy, double x0, double y0, double s, int hole)
{
	double cw[] = {x0, y0, x0, y0 + s, x0 + s, y0 + s, x0 + s, y0, x0, y0};
	for (int i = 0; i < 5; i++) {
		int k = hole ? 4 - i : i;
		xy[2 * i] = cw[2 * k];
		xy[2 * i + 1] = cw[2 * k + 1];
	}
}

static void ring_box(const geo_ring *r, double *b)
{
	b[0] = b[1] = INFINITY;
	b[2] = b[3] = -INFINITY;
	for (size_t i = 0; i < r->n; i++) {
		b[0] = fmin(b[0], r->p[i].x);
		b[1] = fmin(b[1], r->p[i].y);
		b[2] = fmax(b[2], r->p[i].x);
		b[3] = fmax(b[3], r->p[i].y);
	}
}

/* ---- many rings and holes ---------------------------------------------------- */

/* 45,000 islands, then 45,000 lakes, one in each island, in one record:
 * each lake must come right after its own island. Matching every lake
 * against every island took minutes; see bench_map for the time now. */
static void test_geometry_many_holes_is_n_log_n(void **state)
{
	fixture *f = *state;
	const uint32_t k = 45000, side = 213; /* 213 * 213 > 45,000 */
	const double step = 150.0 / side;
	uint32_t *starts = xmalloc(2 * k * sizeof *starts);
	double *xy = xmalloc(2 * k * 10 * sizeof *xy);
	for (uint32_t i = 0; i < 2 * k; i++) {
		uint32_t c = i % k;
		double x0 = -75 + (c % side) * step, y0 = -75 + (c / side) * step;
		starts[i] = 5 * i;
		if (i < k)
			square(xy + 10 * i, x0, y0, step * 0.9, 0);
		else
			square(xy + 10 * i, x0 + step * 0.3, y0 + step * 0.3, step * 0.3, 1);
	}
	rawshp w;
	raw_init(&w, 5);
	raw_polygon(&w, 2 * k, starts, 10 * k, xy);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 1);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.f[0].nrings, 2 * k);
	for (uint32_t i = 0; i < k; i++) {
		const geo_ring *o = &l.f[0].rings[2 * i], *h = &l.f[0].rings[2 * i + 1];
		double ob[4], hb[4];
		ring_box(o, ob);
		ring_box(h, hb);
		if (o->hole || !h->hole || hb[0] < ob[0] || hb[1] < ob[1] ||
		    hb[2] > ob[2] || hb[3] > ob[3])
			fail_msg("ring %u: island (hole %d) [%g %g] not followed by its "
				 "lake (hole %d) [%g %g]", 2 * i, o->hole, ob[0], ob[1],
				 h->hole, hb[0], hb[1]);
		/* the islands keep their order */
		uint32_t c = i;
		assert_true(ob[0] == -75 + (c % side) * step);
		assert_true(ob[1] == -75 + (c / side) * step);
	}
	geo_layer_free(&l);
	diags_free(&d);
	free(starts);
	free(xy);
}

/* 2,000 squares one inside the other and 2,000 lakes in the middle: every
 * lake's box is inside every square's, and each lake belongs to the
 * innermost square. */
static void test_geometry_nested_squares_share_one_owner(void **state)
{
	fixture *f = *state;
	const uint32_t k = 2000;
	uint32_t *starts = xmalloc(2 * k * sizeof *starts);
	double *xy = xmalloc(2 * k * 10 * sizeof *xy);
	double d = 80.0 / (k + 1);
	for (uint32_t i = 0; i < 2 * k; i++) {
		starts[i] = 5 * i;
		if (i < k)
			square(xy + 10 * i, -80 + i * d, -80 + i * d, 160 - 2 * i * d, 0);
		else
			square(xy + 10 * i, -d / 4 + (i % 7) * d / 100, -d / 4, d / 1000, 1);
	}
	rawshp w;
	raw_init(&w, 5);
	raw_polygon(&w, 2 * k, starts, 10 * k, xy);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 1);
	geo_layer l;
	diags_t d0 = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d0), 0);
	const geo_feature *g = &l.f[0];
	assert_int_equal(g->nrings, 2 * k);
	for (uint32_t i = 0; i < 2 * k; i++)
		if (g->rings[i].hole != (i >= k))
			fail_msg("ring %u: hole %d", i, g->rings[i].hole);
	double b[4];
	ring_box(&g->rings[k - 1], b);
	assert_true(b[0] == -80 + (k - 1) * d);
	geo_layer_free(&l);
	diags_free(&d0);
	free(starts);
	free(xy);
}

/* An island in a lake on an island: each lake belongs to the smallest
 * island around it. */
static void test_geometry_nested_rings_take_the_smallest_owner(void **state)
{
	fixture *f = *state;
	double xy[4 * 10];
	square(xy, 10, 10, 60, 0);       /* island in the lake */
	square(xy + 10, 30, 30, 20, 1);  /* pond on that island */
	square(xy + 20, 5, 5, 70, 1);    /* the lake */
	square(xy + 30, 0, 0, 80, 0);    /* the big island */
	uint32_t starts[] = {0, 5, 10, 15};
	rawshp w;
	raw_init(&w, 5);
	raw_polygon(&w, 4, starts, 20, xy);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 1);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	const geo_feature *g = &l.f[0];
	assert_int_equal(g->nrings, 4);
	double b[4];
	/* island in the lake, its pond, the big island, the lake */
	static const double want[4][2] = {{10, 0}, {30, 1}, {0, 0}, {5, 1}};
	for (int i = 0; i < 4; i++) {
		ring_box(&g->rings[i], b);
		assert_true(b[0] == want[i][0]);
		assert_int_equal(g->rings[i].hole, (int)want[i][1]);
	}
	geo_layer_free(&l);
	diags_free(&d);
}

/* A hole touching its outer ring at a corner still belongs to it; a hole
 * inside no outer ring becomes an outer ring (turned clockwise). */
static void test_geometry_touching_and_orphan_holes(void **state)
{
	fixture *f = *state;
	double xy[3 * 10];
	square(xy, 0, 0, 10, 0);
	square(xy + 10, 0, 0, 4, 1);   /* shares the corner (0, 0) */
	square(xy + 20, 50, 50, 5, 1); /* in nothing */
	uint32_t starts[] = {0, 5, 10};
	rawshp w;
	raw_init(&w, 5);
	raw_polygon(&w, 3, starts, 15, xy);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 1);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	const geo_feature *g = &l.f[0];
	assert_int_equal(g->nrings, 3);
	double b[4];
	ring_box(&g->rings[1], b);
	assert_int_equal(g->rings[1].hole, 1);
	assert_true(b[2] == 4);
	ring_box(&g->rings[2], b);
	assert_int_equal(g->rings[2].hole, 0);
	assert_true(b[0] == 50);
	/* the orphan now runs clockwise: x grows along its top edge */
	const geo_ring *o = &g->rings[2];
	double s = 0;
	for (size_t i = 0, j = o->n - 1; i < o->n; j = i++)
		s += o->p[j].x * o->p[i].y - o->p[i].x * o->p[j].y;
	assert_true(s < 0);
	geo_layer_free(&l);
	diags_free(&d);
}

/* Found by fuzz_shapefile: a hole outside every ring, met before any hole
 * with a candidate, sorted an empty, never allocated list (qsort on NULL,
 * which UBSan reports). It becomes an outer ring; the next hole still
 * finds its owner. */
static void test_geometry_first_hole_outside_every_ring(void **state)
{
	fixture *f = *state;
	double xy[3 * 10];
	square(xy, 0, 0, 10, 0);
	square(xy + 10, 50, 50, 5, 1);
	square(xy + 20, 2, 2, 3, 1);
	uint32_t starts[] = {0, 5, 10};
	rawshp w;
	raw_init(&w, 5);
	raw_polygon(&w, 3, starts, 15, xy);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 1);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	const geo_feature *g = &l.f[0];
	assert_int_equal(g->nrings, 3);
	double b[4];
	static const double want[3][2] = {{0, 0}, {2, 1}, {50, 0}};
	for (int i = 0; i < 3; i++) {
		ring_box(&g->rings[i], b);
		assert_true(b[0] == want[i][0]);
		assert_int_equal(g->rings[i].hole, (int)want[i][1]);
	}
	geo_layer_free(&l);
	diags_free(&d);
}

/* Rings cut at the antimeridian are regrouped: each hole after the piece
 * of the outer ring it is in. */
static void test_geometry_holes_regrouped_after_the_cut(void **state)
{
	(void)state;
	static const double outer[] = {170, -20, 170, 20, 190, 20, 190, -20};
	static const double west[] = {172, -5, 176, -5, 176, 5, 172, 5};
	static const double east[] = {184, -5, 188, -5, 188, 5, 184, 5};
	const double *src[] = {outer, east, west};
	geo_layer l = {xcalloc(1, sizeof(geo_feature)), 1};
	geo_feature *g = &l.f[0];
	g->code = xstrdup("TST");
	g->name = xstrdup("Test");
	g->rings = xcalloc(3, sizeof *g->rings);
	g->nrings = 3;
	for (int r = 0; r < 3; r++) {
		g->rings[r].p = xmalloc(4 * sizeof(geo_pt));
		g->rings[r].n = 4;
		g->rings[r].hole = r > 0;
		for (int i = 0; i < 4; i++) {
			double x = src[r][2 * i];
			g->rings[r].p[i] = (geo_pt){x > 180 ? x - 360 : x, src[r][2 * i + 1]};
		}
	}
	geo_feature_bbox(g);
	diags_t d = DIAGS_INIT;
	geo_proj *p = geo_proj_new("equirectangular", &d);
	assert_non_null(p);
	geo_layer xy;
	assert_int_equal(geo_proj_layer(p, &l, &xy), 0);
	const geo_feature *c = &xy.f[0];
	assert_int_equal(c->nrings, 4);
	for (int k = 0; k < 2; k++) {
		double ob[4], hb[4];
		assert_int_equal(c->rings[2 * k].hole, 0);
		assert_int_equal(c->rings[2 * k + 1].hole, 1);
		ring_box(&c->rings[2 * k], ob);
		ring_box(&c->rings[2 * k + 1], hb);
		assert_true(hb[0] > ob[0] && hb[2] < ob[2]);
	}
	geo_layer_free(&xy);
	geo_layer_free(&l);
	geo_proj_free(p);
	diags_free(&d);
}

/* ---- limits ------------------------------------------------------------------- */

/* A closed clockwise ring of n points (the last repeats the first) round
 * (0, 0). */
static double *circle(uint32_t n, double r)
{
	double *xy = xmalloc(2 * (size_t)n * sizeof *xy);
	for (uint32_t i = 0; i + 1 < n; i++) {
		double a = -2 * M_PI * i / (n - 1);
		xy[2 * i] = r * cos(a);
		xy[2 * i + 1] = r * sin(a);
	}
	xy[2 * (n - 1)] = xy[0];
	xy[2 * (n - 1) + 1] = xy[1];
	return xy;
}

static void expect_limit(fixture *f, const char *path, const char *msg)
{
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_only_diag(&d, DIAG_ERROR, path, msg);
	assert_int_equal(l.n, 0);
	diags_free(&d);
}

static void test_geometry_record_past_the_vertex_limit(void **state)
{
	fixture *f = *state;
	uint32_t n = GEO_MAX_RECORD_VERTICES + 1;
	double *xy = circle(n, 10);
	rawshp w;
	raw_init(&w, 5);
	raw_ring(&w, xy, n);
	raw_write(&w, f, "t");
	raw_free(&w);
	free(xy);
	write_names(f, "t", 1);
	expect_limit(f, "geodata/t.shp",
		     "record 1 has 1000001 vertices, more than the 1000000 a "
		     "record may have: simplify it (for example mapshaper "
		     "-simplify 10%)");
}

static void test_geometry_record_past_the_parts_limit(void **state)
{
	fixture *f = *state;
	uint32_t nparts = GEO_MAX_RECORD_PARTS + 1;
	uint32_t *starts = xmalloc(nparts * sizeof *starts);
	double *xy = xcalloc(4 * (size_t)nparts, 2 * sizeof *xy);
	for (uint32_t i = 0; i < nparts; i++) {
		starts[i] = 4 * i;
		double t[] = {0, 0, 0, 1, 1, 0, 0, 0};
		memcpy(xy + 8 * (size_t)i, t, sizeof t);
	}
	rawshp w;
	raw_init(&w, 5);
	raw_polygon(&w, nparts, starts, 4 * nparts, xy);
	raw_write(&w, f, "t");
	raw_free(&w);
	free(xy);
	free(starts);
	write_names(f, "t", 1);
	expect_limit(f, "geodata/t.shp",
		     "record 1 has 250001 parts (rings), more than the 250000 a "
		     "record may have: simplify or split it");
}

/* Five index entries for one big record: 4,500,000 vertices in all. */
static void test_geometry_file_past_the_total_limit(void **state)
{
	fixture *f = *state;
	uint32_t n = 900000;
	double *xy = circle(n, 10);
	rawshp w;
	raw_init(&w, 5);
	raw_ring(&w, xy, n);
	free(xy);
	char entry[8];
	memcpy(entry, w.shx.ptr, 8);
	for (int k = 1; k < 5; k++)
		buf_put(&w.shx, entry, 8);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 5);
	expect_limit(f, "geodata/t.shp",
		     "more than 4000000 vertices in all (by record 5): simplify "
		     "the layer (for example mapshaper -simplify 10%) or use a "
		     "coarser scale");
}

static void test_geometry_file_past_the_record_limit(void **state)
{
	fixture *f = *state;
	rawshp w;
	raw_init(&w, 5);
	double xy[10];
	square(xy, 0, 0, 1, 0);
	raw_ring(&w, xy, 5);
	size_t n = GEO_MAX_RECORDS + 1;
	char entry[8];
	memcpy(entry, w.shx.ptr, 8);
	for (size_t k = 1; k < n; k++)
		buf_put(&w.shx, entry, 8);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 1);
	expect_limit(f, "geodata/t.shx",
		     "1000001 records, more than the 1000000 a shapefile may "
		     "have: split the layer");
}

/* A 300 MB .shp (sparse: nothing is written but its header) is refused
 * from its header alone. */
static void test_geometry_file_past_the_size_limit(void **state)
{
	fixture *f = *state;
	rawshp w;
	raw_init(&w, 5);
	double xy[10];
	square(xy, 0, 0, 1, 0);
	raw_ring(&w, xy, 5);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 1);
	char *p = fixture_dir_path(f, "t", "shp");
	buf_t b = BUF_INIT;
	assert_int_equal(fs_read(p, &b), 0);
	set_be32(&b, 24, 300u << 19);
	assert_int_equal(fs_write(p, b.ptr, b.len), 0);
	assert_int_equal(truncate(p, 300l << 20), 0);
	buf_free(&b);
	free(p);
	/* refused before it is read (util/safefs.h): the one .shp limit */
	expect_limit(f, "geodata/t.shp",
		     "geodata/t.shp is 300.0 MiB; a .shp file may be at most "
		     "256 MiB: use a smaller or more generalised shapefile (a "
		     "world map needs no more detail than Natural Earth's 1:50m)");
}

/* ---- coordinates out of range ---------------------------------------------------- */

static const char RANGE_HINT[] =
	"the .prj says WGS 84 longitude/latitude in degrees: if the data is in "
	"another coordinate system, the .prj must say which";

/* A square whose third vertex is (x, y), as record 2 of 2. */
static void write_bad_vertex(fixture *f, double x, double y)
{
	double good[10], bad[10];
	square(good, 0, 0, 10, 0);
	square(bad, 20, 20, 10, 0);
	bad[4] = x;
	bad[5] = y;
	rawshp w;
	raw_init(&w, 5);
	raw_ring(&w, good, 5);
	raw_ring(&w, bad, 5);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 2);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
}

static void test_geometry_basemap_coordinates_out_of_range(void **state)
{
	fixture *f = *state;
	static const struct {
		double x, y;
		const char *msg;
	} cases[] = {
		{20, 95, "record 2, vertex 3: latitude 95 is out of range [-90, 90]; "},
		{400, 30, "record 2, vertex 3: longitude 400 is out of range [-180, 180]; "},
		{1e308, 30, "record 2, vertex 3: longitude 1e+308 is out of range [-180, 180]; "},
		{20, -1e308, "record 2, vertex 3: latitude -1e+308 is out of range [-90, 90]; "},
		{20, -90.001, "record 2, vertex 3: latitude -90.001 is out of range [-90, 90]; "},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		write_bad_vertex(f, cases[i].x, cases[i].y);
		char *msg = xasprintf("%s%s", cases[i].msg, RANGE_HINT);
		expect_limit(f, "geodata/t.shp", msg);
		free(msg);
	}
	const double nan = NAN, inf = INFINITY;
	write_bad_vertex(f, nan, 30);
	expect_limit(f, "geodata/t.shp", "record 2, vertex 3: coordinate nan is not "
		     "a finite number; fix or delete the shape in a GIS");
	write_bad_vertex(f, 20, -inf);
	expect_limit(f, "geodata/t.shp", "record 2, vertex 3: coordinate -inf is not "
		     "a finite number; fix or delete the shape in a GIS");
	/* a hair past the antimeridian, as Natural Earth has it, is fine */
	write_bad_vertex(f, 180.00000000000006, 30);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), 0);
	assert_int_equal(d.n, 0);
	geo_layer_free(&l);
	/* without a .prj the hint says what is assumed */
	write_bad_vertex(f, 2e6, 5e6);
	char *prj = fixture_dir_path(f, "t", "prj");
	unlink(prj);
	free(prj);
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_int_equal(d.errors, 1);
	assert_true(diags_has(&d, DIAG_ERROR,
			      "record 2, vertex 3: longitude 2e+06 is out of range "
			      "[-180, 180]; without a .prj, coordinates are read as "
			      "WGS 84 longitude/latitude in degrees: add the .prj "
			      "that describes the data"));
	diags_free(&d);
}

/* ---- points ------------------------------------------------------------------------ */

static void write_points(fixture *f, const double (*lonlat)[2],
			 const char *const *slugs, int n)
{
	rawshp w;
	raw_init(&w, 1);
	for (int i = 0; i < n; i++)
		raw_point(&w, lonlat[i][0], lonlat[i][1]);
	raw_write(&w, f, "pts");
	raw_free(&w);
	write_dbf(f, "pts", "slug", 20, slugs, n);
	fixture_dir_text(f, "pts", "prj", WGS84_PRJ);
}

static int read_points(fixture *f, seen *s, diags_t *d)
{
	char *p = fixture_dir_path(f, "pts", "shp");
	int rc = geo_read_points(p, "points/p.shp", "slug", collect, s, d);
	free(p);
	return rc;
}

/* Each bad point is an error naming its record; the good ones still
 * arrive, the bad ones never do (a latitude of 1e308 used to reach the
 * GeoJSON and overflow in the CSV). */
static void test_geometry_point_coordinates_out_of_range(void **state)
{
	fixture *f = *state;
	const double lonlat[][2] = {
		{32.58, 0.35}, {10, 95}, {400, 10}, {10, 1e308},
		{NAN, 10}, {10, -INFINITY}, {-0.13, 51.51},
	};
	const char *slugs[] = {"a", "b", "c", "d", "e", "f", "g"};
	write_points(f, lonlat, slugs, 7);
	seen s = {0};
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_points(f, &s, &d), -1);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.slug[0], "a");
	assert_string_equal(s.slug[1], "g");
	assert_int_equal(s.record[1], 7);
	static const char *want[] = {
		"record 2: latitude 95 is out of range [-90, 90]; ",
		"record 3: longitude 400 is out of range [-180, 180]; ",
		"record 4: latitude 1e+308 is out of range [-90, 90]; ",
		"record 5: coordinate nan is not a finite number; fix or delete the shape in a GIS",
		"record 6: coordinate -inf is not a finite number; fix or delete the shape in a GIS",
	};
	assert_int_equal(d.n, 5);
	assert_int_equal(d.errors, 5);
	for (int i = 0; i < 5; i++) {
		char *msg = i < 3 ? xasprintf("%s%s", want[i], RANGE_HINT) : xstrdup(want[i]);
		assert_string_equal(d.v[i].msg, msg);
		assert_string_equal(d.v[i].path, "points/p.shp");
		assert_int_equal(d.v[i].line, 1);
		free(msg);
	}
	diags_free(&d);
}

static void test_geometry_point_slug_twice_warns(void **state)
{
	fixture *f = *state;
	double lonlat[10][2];
	const char *slugs[10] = {"a", "b", "x", "c", "d", "e", "f", "g", "x", "h"};
	for (int i = 0; i < 10; i++) {
		lonlat[i][0] = i;
		lonlat[i][1] = -i;
	}
	write_points(f, (const double (*)[2])lonlat, slugs, 10);
	seen s = {0};
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_points(f, &s, &d), 0);
	assert_only_diag(&d, DIAG_WARNING, "points/p.shp",
			 "record 3 and record 9 both give slug 'x'; the first is "
			 "used: correct or remove record 9");
	assert_int_equal(s.n, 9);
	assert_string_equal(s.slug[2], "x");
	assert_true(s.lon[2] == 2 && s.lat[2] == -2);
	for (int i = 0; i < s.n; i++)
		assert_int_not_equal(s.record[i], 9);
	diags_free(&d);
}

/* A hostile point file repeating a problem on every record gets a few
 * messages and a count, not one line per record. */
static void test_geometry_repeated_problems_are_counted(void **state)
{
	fixture *f = *state;
	enum { N = 1000 };
	double (*lonlat)[2] = xmalloc(N * sizeof *lonlat);
	const char **slugs = xmalloc(N * sizeof *slugs);
	for (int i = 0; i < N; i++) {
		lonlat[i][0] = i % 2 ? 1 : 500;
		lonlat[i][1] = 0;
		slugs[i] = "same";
	}
	write_points(f, (const double (*)[2])lonlat, slugs, N);
	seen s = {0};
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_points(f, &s, &d), -1);
	assert_int_equal(s.n, 1);
	assert_int_equal(d.errors, 21);
	assert_int_equal(d.warnings, 21);
	assert_true(diags_has(&d, DIAG_ERROR, "480 more records have coordinates out of range"));
	assert_true(diags_has(&d, DIAG_WARNING,
			      "479 more records repeat a slug of an earlier record and were ignored"));
	diags_free(&d);
	free(lonlat);
	free(slugs);
}

/* ---- corrupt files ------------------------------------------------------------------- */

/* Two squares, records 1 and 2, with names: 372-byte .shp, 116-byte .shx. */
static void write_two(fixture *f)
{
	double a[10], b[10];
	square(a, 0, 0, 10, 0);
	square(b, 10, 0, 10, 0);
	rawshp w;
	raw_init(&w, 5);
	raw_ring(&w, a, 5);
	raw_ring(&w, b, 5);
	raw_write(&w, f, "t");
	raw_free(&w);
	write_names(f, "t", 2);
}

static void patch(fixture *f, const char *ext, size_t at, uint32_t v, int big_endian)
{
	char *p = fixture_dir_path(f, "t", ext);
	buf_t b = BUF_INIT;
	assert_int_equal(fs_read(p, &b), 0);
	if (big_endian)
		set_be32(&b, at, v);
	else
		set_le32(&b, at, v);
	assert_int_equal(fs_write(p, b.ptr, b.len), 0);
	buf_free(&b);
	free(p);
}

static void patch16(fixture *f, size_t at, uint32_t v)
{
	char *p = fixture_dir_path(f, "t", "dbf");
	buf_t b = BUF_INIT;
	assert_int_equal(fs_read(p, &b), 0);
	b.ptr[at] = (char)v;
	b.ptr[at + 1] = (char)(v >> 8);
	assert_int_equal(fs_write(p, b.ptr, b.len), 0);
	buf_free(&b);
	free(p);
}

static void expect_corrupt(fixture *f, const char *ext, const char *what)
{
	char *path = xasprintf("geodata/t.%s", ext);
	char *msg = xasprintf("truncated or corrupt shapefile: %s; export the layer "
			      "again (its .shp, .shx and .dbf together)", what);
	geo_layer l;
	diags_t d = DIAGS_INIT;
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_only_diag(&d, DIAG_FATAL, path, msg);
	assert_int_equal(l.n, 0);
	assert_null(l.f);
	diags_free(&d);
	free(msg);
	free(path);
}

/* Offsets in the .shp of record 2 (record 1 is 8 + 128 bytes from 100). */
#define REC2 (100 + 136)
#define CONTENT2 (REC2 + 8)

static void test_geometry_corrupt_records(void **state)
{
	fixture *f = *state;
	/* part indices out of order, out of range, not from 0 */
	double xy[15 * 2];
	square(xy, 0, 0, 10, 0);
	square(xy + 10, 2, 2, 2, 1);
	square(xy + 20, 5, 5, 2, 1);
	uint32_t starts[3][3] = {{0, 10, 5}, {0, 5, 15}, {3, 5, 10}};
	const char *why[3] = {
		"record 1: part 3 starts at vertex 5, not after part 2 (vertex 10)",
		"record 1: part 3 starts at vertex 15, beyond its 15 vertices",
		"record 1: its first part starts at vertex 3, not 0",
	};
	for (int k = 0; k < 3; k++) {
		rawshp w;
		raw_init(&w, 5);
		raw_polygon(&w, 3, starts[k], 15, xy);
		raw_write(&w, f, "t");
		raw_free(&w);
		write_names(f, "t", 1);
		expect_corrupt(f, "shp", why[k]);
	}
	/* negative counts */
	write_two(f);
	patch(f, "shp", CONTENT2 + 36, (uint32_t)-5, 0);
	expect_corrupt(f, "shp", "record 2 says it has -5 parts and 5 vertices");
	write_two(f);
	patch(f, "shp", CONTENT2 + 40, (uint32_t)-1, 0);
	expect_corrupt(f, "shp", "record 2 says it has 1 parts and -1 vertices");
	/* more vertices than the record holds */
	write_two(f);
	patch(f, "shp", CONTENT2 + 40, 6, 0);
	expect_corrupt(f, "shp", "record 2 has 1 parts and 6 vertices, which take "
		       "144 bytes, but the record is 128 bytes");
	/* parts but no vertices */
	write_two(f);
	patch(f, "shp", CONTENT2 + 40, 0, 0);
	expect_corrupt(f, "shp", "record 2 has 1 parts but 0 vertices");
	/* a point among polygons */
	write_two(f);
	patch(f, "shp", CONTENT2, 1, 0);
	expect_corrupt(f, "shp", "record 2 holds a Point shape in a file of "
		       "Polygon shapes");
}

static void test_geometry_lying_lengths_and_offsets(void **state)
{
	fixture *f = *state;
	/* the record's own header disagrees with the index */
	write_two(f);
	patch(f, "shp", REC2 + 4, 60, 1);
	expect_corrupt(f, "shx", "record 2 is 128 bytes by the index but 120 by "
		       "the .shp");
	/* both agree on a length too short for what the record says */
	write_two(f);
	patch(f, "shp", REC2 + 4, 50, 1);
	patch(f, "shx", 100 + 8 + 4, 50, 1);
	expect_corrupt(f, "shp", "record 2 has 1 parts and 5 vertices, which take "
		       "128 bytes, but the record is 100 bytes");
	/* an index entry past the end of the .shp, or inside its header */
	write_two(f);
	patch(f, "shx", 100 + 8, 5000, 1);
	expect_corrupt(f, "shx", "record 2 is said to be at bytes 10000 to 10136 "
		       "of the .shp, which has 372");
	write_two(f);
	patch(f, "shx", 100, 10, 1);
	expect_corrupt(f, "shx", "record 1 is said to be at bytes 20 to 156 of "
		       "the .shp, which has 372");
	/* a record length so large the sum would wrap in 32 bits */
	write_two(f);
	patch(f, "shx", 100 + 8 + 4, 0x7fffffffu, 1);
	expect_corrupt(f, "shx", "record 2 is said to be at bytes 236 to "
		       "4294967538 of the .shp, which has 372");
	/* headers that lie about the file's length */
	write_two(f);
	patch(f, "shp", 24, 500, 1);
	expect_corrupt(f, "shp", "the header says the file is 1000 bytes, but it is 372");
	write_two(f);
	patch(f, "shx", 24, 55, 1);
	expect_corrupt(f, "shx", "the index is 110 bytes, not a 100-byte header "
		       "and 8 bytes per record");
	write_two(f);
	patch(f, "shx", 0, 1234, 1);
	expect_corrupt(f, "shx", "the header does not start like a shapefile's");
}

static void test_geometry_lying_dbf_headers(void **state)
{
	fixture *f = *state;
	/* header 65 bytes, records 11 bytes: 2 records end at 87 (+ EOF) */
	write_two(f);
	patch(f, "dbf", 4, 1, 0);
	expect_corrupt(f, "dbf", "the .dbf has 1 records for the 2 shapes of the .shp");
	write_two(f);
	patch(f, "dbf", 4, 1000000, 0);
	expect_corrupt(f, "dbf", "the .dbf should hold 1000000 records of 11 bytes "
		       "after its 65-byte header (11000065 bytes), but it is 88 bytes");
	write_two(f);
	patch16(f, 8, 20);
	expect_corrupt(f, "dbf", "the .dbf's header gives a 20-byte header and "
		       "11-byte records");
	write_two(f);
	patch16(f, 10, 0);
	expect_corrupt(f, "dbf", "the .dbf's header gives a 65-byte header and "
		       "0-byte records");
	write_two(f);
	patch16(f, 8, 60000);
	expect_corrupt(f, "dbf", "the .dbf's header gives a 60000-byte header and "
		       "11-byte records");
	write_two(f);
	patch16(f, 10, 5);
	expect_corrupt(f, "dbf", "the .dbf's fields take 11 bytes, more than its "
		       "5-byte records");
}

/* Every cut of every file is an error naming that file. */
static void test_geometry_every_truncation_is_fatal(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *ext;
		size_t len; /* bytes that matter: the .dbf's EOF mark does not */
	} files[] = {{"shp", 372}, {"shx", 116}, {"dbf", 87}};
	for (int k = 0; k < 3; k++) {
		for (size_t cut = 0; cut < files[k].len; cut++) {
			write_two(f);
			char *p = fixture_dir_path(f, "t", files[k].ext);
			assert_int_equal(truncate(p, (off_t)cut), 0);
			free(p);
			geo_layer l;
			diags_t d = DIAGS_INIT;
			int rc = read_layer(f, "t", &l, &d);
			char *shown = xasprintf("geodata/t.%s", files[k].ext);
			if (rc != -1 || d.fatals != 1 || strcmp(d.v[d.n - 1].path, shown))
				fail_msg("%s cut to %zu bytes: rc %d, %zu fatal(s)",
					 files[k].ext, cut, rc, d.fatals);
			free(shown);
			diags_free(&d);
		}
	}
}

/* Any byte of any file set to any of a few values: read, or refused with
 * a message naming one of its files; never a crash (ASan watches), and
 * whatever is read is longitude/latitude. */
static void test_geometry_every_byte_changed(void **state)
{
	fixture *f = *state;
	static const char *exts[] = {"shp", "shx", "dbf"};
	static const size_t sizes[] = {372, 116, 88};
	static const unsigned char values[] = {0x00, 0xff, 0x80, 0x7f, 0x01};
	for (int k = 0; k < 3; k++) {
		for (size_t at = 0; at < sizes[k]; at++) {
			for (size_t v = 0; v < sizeof values; v++) {
				write_two(f);
				char *p = fixture_dir_path(f, "t", exts[k]);
				buf_t b = BUF_INIT;
				assert_int_equal(fs_read(p, &b), 0);
				assert_int_equal(b.len, sizes[k]);
				b.ptr[at] = (char)values[v];
				assert_int_equal(fs_write(p, b.ptr, b.len), 0);
				buf_free(&b);
				free(p);
				geo_layer l;
				diags_t d = DIAGS_INIT;
				int rc = read_layer(f, "t", &l, &d);
				if (rc < 0) {
					assert_true(d.errors + d.fatals > 0);
					assert_int_equal(strncmp(d.v[d.n - 1].path, "geodata/t.", 10), 0);
				}
				for (size_t i = 0; rc == 0 && i < l.n; i++) {
					const geo_box *bb = &l.f[i].bbox;
					if (l.f[i].nrings && !(bb->xmin >= -180 && bb->xmax <= 180 &&
							       bb->ymin >= -90 && bb->ymax <= 90))
						fail_msg("%s byte %zu = %#x: feature %zu out of range",
							 exts[k], at, values[v], i);
				}
				if (rc == 0)
					geo_layer_free(&l);
				diags_free(&d);
			}
		}
	}
}

/* ---- code pages and control characters ------------------------------------------------ */

/* The name read back from a one-record layer whose name field holds raw,
 * with the .cpg holding cpg (NULL: none). Diagnostics land in d. */
/* geodata/t.shp: one square whose field "name" holds raw. */
static void write_named_square(fixture *f, const char *raw)
{
	double a[10];
	square(a, 0, 0, 10, 0);
	rawshp w;
	raw_init(&w, 5);
	raw_ring(&w, a, 5);
	raw_write(&w, f, "t");
	raw_free(&w);
	const char *v[] = {raw};
	write_dbf(f, "t", "name", 40, v, 1);
}

static char *name_read(fixture *f, const char *raw, const char *cpg, diags_t *d)
{
	write_named_square(f, raw);
	fixture_dir_text(f, "t", "prj", WGS84_PRJ);
	char *p = fixture_dir_path(f, "t", "cpg");
	unlink(p);
	free(p);
	if (cpg)
		fixture_dir_text(f, "t", "cpg", cpg);
	geo_layer l;
	assert_int_equal(read_layer(f, "t", &l, d), 0);
	char *name = xstrdup(l.f[0].name);
	geo_layer_free(&l);
	return name;
}

static void test_geometry_code_page_spellings(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *cpg, *raw, *utf8;
	} cases[] = {
		/* 0x92 is a right single quotation mark in Windows-1252 */
		{"ANSI 1252", "C\xf4te d\x92Ivoire", "C\xc3\xb4te d\xe2\x80\x99Ivoire"},
		{"1252", "C\xf4te d\x92Ivoire", "C\xc3\xb4te d\xe2\x80\x99Ivoire"},
		{"CP1252", "C\xf4te d\x92Ivoire", "C\xc3\xb4te d\xe2\x80\x99Ivoire"},
		{"Windows-1252\r\n", "C\xf4te d\x92Ivoire", "C\xc3\xb4te d\xe2\x80\x99Ivoire"},
		{"windows_1252", "C\xf4te d\x92Ivoire", "C\xc3\xb4te d\xe2\x80\x99Ivoire"},
		{"UTF-8", "C\xc3\xb4te", "C\xc3\xb4te"},
		{"UTF8\n", "C\xc3\xb4te", "C\xc3\xb4te"},
		{"utf-8", "C\xc3\xb4te", "C\xc3\xb4te"},
		{"65001", "C\xc3\xb4te", "C\xc3\xb4te"},
		{"\xef\xbb\xbfUTF-8", "C\xc3\xb4te", "C\xc3\xb4te"},
		{"88591", "C\xf4te", "C\xc3\xb4te"},
		{"8859-1", "C\xf4te", "C\xc3\xb4te"},
		{"ISO-8859-1", "C\xf4te", "C\xc3\xb4te"},
		{"ISO 8859-1", "C\xf4te", "C\xc3\xb4te"},
		{"LATIN1", "C\xf4te", "C\xc3\xb4te"},
		{"28591", "C\xf4te", "C\xc3\xb4te"},
		{"ISO-8859-15", "\xa4", "\xe2\x82\xac"},
		{"28605", "\xa4", "\xe2\x82\xac"},
		{"ANSI 1251", "\xcc\xee\xf1\xea\xe2\xe0", "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"},
		{"OEM 437", "C\x93te", "C\xc3\xb4te"},
		{"932", "\x93\x8c\x8b\x9e", "\xe6\x9d\xb1\xe4\xba\xac"},
		{"Shift_JIS", "\x93\x8c\x8b\x9e", "\xe6\x9d\xb1\xe4\xba\xac"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		diags_t d = DIAGS_INIT;
		char *name = name_read(f, cases[i].raw, cases[i].cpg, &d);
		if (strcmp(name, cases[i].utf8) || d.n)
			fail_msg(".cpg \"%s\": got \"%s\" with %zu diagnostic(s)%s%s",
				 cases[i].cpg, name, d.n, d.n ? ": " : "",
				 d.n ? d.v[0].msg : "");
		free(name);
		diags_free(&d);
	}
}

static void test_geometry_unknown_code_page_warns(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *name = name_read(f, "C\xf4te", "System", &d);
	assert_string_equal(name, "C\xc3\xb4te");
	assert_only_diag(&d, DIAG_WARNING, "geodata/t.cpg",
			 "unknown encoding \"System\": reading text as UTF-8, or "
			 "ISO-8859-1 where it is not valid UTF-8; write the code page "
			 "there, such as UTF-8 or 1252");
	free(name);
	diags_free(&d);
}

/* A .prj that is no CRS and a .cpg of no known encoding are both told in
 * one run: the .prj's error stopped the read before the .cpg was looked
 * at, so its warning came only once the .prj was mended. */
static void test_geometry_prj_and_cpg_told_together(void **state)
{
	fixture *f = *state;
	write_named_square(f, "Name");
	fixture_dir_text(f, "t", "prj", "GARBAGE");
	fixture_dir_text(f, "t", "cpg", "System");
	diags_t d = DIAGS_INIT;
	geo_layer l;
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].path, "geodata/t.prj");
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_string_equal(d.v[1].path, "geodata/t.cpg");
	assert_int_equal(d.v[1].level, DIAG_WARNING);
	diags_free(&d);
}

static void test_geometry_control_characters_are_removed(void **state)
{
	fixture *f = *state;
	diags_t d = DIAGS_INIT;
	char *name = name_read(f, "\x01" "Co\x1bte\td'Ivoire\x7f", "UTF-8", &d);
	assert_string_equal(name, "Cote d'Ivoire");
	assert_only_diag(&d, DIAG_WARNING, "geodata/t.dbf",
			 "record 1: control characters in field \"name\" were "
			 "removed, giving \"Cote d'Ivoire\"; remove them in a GIS");
	free(name);
	diags_free(&d);
	/* Windows-1252 without a .cpg: read as ISO-8859-1, 0x92 is a C1
	 * control character */
	name = name_read(f, "C\xf4te d\x92Ivoire", NULL, &d);
	assert_string_equal(name, "C\xc3\xb4te dIvoire");
	assert_only_diag(&d, DIAG_WARNING, "geodata/t.dbf",
			 "record 1: control characters in field \"name\" were "
			 "removed, giving \"C\xc3\xb4te dIvoire\"; the text looks like "
			 "Windows-1252: put 1252 in a .cpg file beside the .dbf");
	free(name);
	diags_free(&d);
	/* C1 characters written as UTF-8 go too */
	name = name_read(f, "A\xc2\x85" "B", "UTF-8", &d);
	assert_string_equal(name, "AB");
	assert_int_equal(d.warnings, 1);
	free(name);
	diags_free(&d);
	/* so do bidi controls, which would reorder what follows a name */
	name = name_read(f, "Invoice\xe2\x80\xaegnp.exe", "UTF-8", &d);
	assert_string_equal(name, "Invoicegnp.exe");
	assert_only_diag(&d, DIAG_WARNING, "geodata/t.dbf",
			 "record 1: bidi control characters in field \"name\" "
			 "were removed, giving \"Invoicegnp.exe\"; remove them in "
			 "a GIS");
	free(name);
	diags_free(&d);
}

/* A .prj or .cpg of megabytes is not read: each is refused at its limit
 * (util/safefs.h), with what it should hold. */
static void test_geometry_huge_prj_and_cpg(void **state)
{
	fixture *f = *state;
	size_t n = 4u << 20;
	char *big = xmalloc(n + 1);
	memset(big, 'x', n);
	memcpy(big, "1252\n", 5);
	big[n] = '\0';
	diags_t d = DIAGS_INIT;
	geo_layer l;
	char *name = name_read(f, "C\xf4te", "1252", &d); /* writes the layer */
	assert_string_equal(name, "C\xc3\xb4te");
	free(name);
	diags_free(&d);
	fixture_dir_text(f, "t", "cpg", big);
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_only_diag(&d, DIAG_ERROR, "geodata/t.cpg",
			 "geodata/t.cpg is 4.0 MiB; a .cpg file may be at most "
			 "4 KiB: it should hold only the name of an encoding, "
			 "such as UTF-8");
	diags_free(&d);
	fixture_dir_text(f, "t", "cpg", "1252\n");
	fixture_dir_text(f, "t", "prj", big);
	assert_int_equal(read_layer(f, "t", &l, &d), -1);
	assert_only_diag(&d, DIAG_ERROR, "geodata/t.prj",
			 "geodata/t.prj is 4.0 MiB; a .prj file may be at most "
			 "64 KiB: it should hold one coordinate reference system "
			 "as WKT");
	diags_free(&d);
	free(big);
}

/* ---- locating many points ------------------------------------------------------------ */

static uint32_t next_random(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static double uniform(uint32_t *s, double lo, double hi)
{
	return lo + (hi - lo) * (next_random(s) / 16777216.0);
}

/* The index answers as the scan does, for containment and for distance:
 * on the real basemap, and on a
 * spiky 4,000-vertex star with a spiky hole, whose edges span many bands,
 * at random points and at its vertices' own latitudes. */
static void test_geometry_locator_answers_as_the_scan(void **state)
{
	(void)state;
	geo_layer star = {xcalloc(2, sizeof(geo_feature)), 2};
	const size_t n = 4000;
	for (int h = 0; h < 2; h++) {
		geo_feature *g = &star.f[h];
		g->rings = xcalloc(1, sizeof *g->rings);
		g->nrings = 1;
		g->rings[0].p = xmalloc(n * sizeof(geo_pt));
		g->rings[0].n = n;
		for (size_t i = 0; i < n; i++) {
			double a = (h ? 2 : -2) * M_PI * (double)i / (double)n;
			double r = (h ? 20 : 60) * (i % 2 ? 1 : 0.3 + 0.7 * (double)(i % 7) / 7);
			g->rings[0].p[i] = (geo_pt){r * 2.5 * cos(a), r * 1.4 * sin(a)};
		}
		g->rings[0].hole = h;
	}
	/* the hole goes inside the star: one feature of two rings */
	geo_feature *f0 = &star.f[0];
	f0->rings = xrealloc(f0->rings, 2 * sizeof *f0->rings);
	f0->rings[1] = star.f[1].rings[0];
	f0->nrings = 2;
	free(star.f[1].rings);
	star.f[1].rings = NULL;
	star.f[1].nrings = 0;
	for (int h = 0; h < 2; h++)
		geo_feature_bbox(&star.f[h]);
	geo_layer real = {NULL, 0};
	diags_t d = DIAGS_INIT;
	int have_real = access("geodata/naturalearth_lowres.shp", R_OK) == 0 &&
			geo_read_polygons("geodata/naturalearth_lowres.shp", "b", "iso_a3",
					  "name", &real, &d) == 0;
	const geo_layer *layers[] = {&star, &real};
	for (int k = 0; k < 2; k++) {
		const geo_layer *l = layers[k];
		if (k == 1 && !have_real)
			break;
		geo_locator *x = geo_locator_new(l);
		uint32_t seed = 7;
		size_t inside = 0, biggest = 0, most = 0;
		for (size_t f = 0; f < l->n; f++) {
			size_t v = 0;
			for (size_t r = 0; r < l->f[f].nrings; r++)
				v += l->f[f].rings[r].n;
			if (v > most) {
				most = v;
				biggest = f;
			}
		}
		for (int i = 0; i < 20000; i++) {
			double lon = uniform(&seed, -190, 190), lat = uniform(&seed, -91, 91);
			if (i % 4 == 0 && k == 0) { /* exactly on a vertex's latitude */
				const geo_ring *g = &l->f[0].rings[next_random(&seed) % 2];
				lat = g->p[next_random(&seed) % g->n].y;
			}
			int want = geo_locate_point(l, lon, lat);
			int got = geo_locator_find(x, l, lon, lat);
			if (want != got)
				fail_msg("layer %d, (%.17g, %.17g): scan %d, index %d", k, lon,
					 lat, want, got);
			inside += want >= 0;
			/* and the distance to a feature, near or far */
			size_t f = i % 16 ? next_random(&seed) % l->n : biggest;
			if (i % 8 == 0 && l->f[f].nrings) {
				double a = geo_distance_km(&l->f[f], lon, lat);
				double b = geo_locator_distance_km(x, l, f, lon, lat);
				if (!(a == b))
					fail_msg("layer %d, feature %zu, (%.17g, %.17g): %.17g km "
						 "by the scan, %.17g by the index", k, f, lon,
						 lat, a, b);
			}
		}
		assert_true(inside > 500);
		geo_locator_free(x);
	}
	geo_layer_free(&real);
	geo_layer_free(&star);
	diags_free(&d);
}

/* ---- numbers bound for output ------------------------------------------------------------ */

static void test_geometry_rounding_never_overflows(void **state)
{
	(void)state;
	const long long big = 1ll << 52;
	assert_true(geo_round(2.5) == 3);
	assert_true(geo_round(-2.5) == -3);
	assert_true(geo_round(NAN) == 0);
	assert_true(geo_round(1e308) == big);
	assert_true(geo_round(-INFINITY) == -big);
	buf_t b = BUF_INIT;
	text_put_fixed(&b, 1e300, 6);
	char want[400];
	snprintf(want, sizeof want, "%.0f", 1e300);
	assert_string_equal(buf_cstr(&b), want);
	buf_reset(&b);
	text_put_fixed(&b, -12.3456789, 6);
	assert_string_equal(buf_cstr(&b), "-12.345679");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_geometry_many_holes_is_n_log_n, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_nested_rings_take_the_smallest_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_nested_squares_share_one_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_touching_and_orphan_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_first_hole_outside_every_ring, setup, teardown),
		cmocka_unit_test(test_geometry_holes_regrouped_after_the_cut),
		cmocka_unit_test_setup_teardown(test_geometry_record_past_the_vertex_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_record_past_the_parts_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_file_past_the_total_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_file_past_the_record_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_file_past_the_size_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_basemap_coordinates_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_point_coordinates_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_point_slug_twice_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_repeated_problems_are_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_corrupt_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_lying_lengths_and_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_lying_dbf_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_every_truncation_is_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_every_byte_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_code_page_spellings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_unknown_code_page_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_prj_and_cpg_told_together, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_control_characters_are_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_huge_prj_and_cpg, setup, teardown),
		cmocka_unit_test(test_geometry_locator_answers_as_the_scan),
		cmocka_unit_test(test_geometry_rounding_never_overflows),
	};
	return cmocka_run_group_tests_name("geometry", tests, NULL, NULL);
}
