/* test_topology.c - shared-border topology and simplification: borders
 * stay identical on both sides, holes and small islands survive, and on
 * the real 1:110m basemap no two simplified arcs cross. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basemap.h"
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo/geo.h"
#include "geo/topo.h"
#include "util/buf.h"


/* ---- building layers by hand ---------------------------------------------- */

static void add_ring(geo_feature *f, const geo_pt *p, size_t n, int hole)
{
	f->rings = realloc(f->rings, (f->nrings + 1) * sizeof *f->rings);
	geo_ring *r = &f->rings[f->nrings++];
	r->p = malloc(n * sizeof *r->p);
	memcpy(r->p, p, n * sizeof *p);
	r->n = n;
	r->hole = hole;
}

static geo_feature *add_feature(geo_layer *l, const char *code)
{
	l->f = realloc(l->f, (l->n + 1) * sizeof *l->f);
	geo_feature *f = &l->f[l->n++];
	memset(f, 0, sizeof *f);
	f->code = code ? strdup(code) : NULL;
	f->name = strdup(code ? code : "none");
	return f;
}

/* A ring of n points on a circle, counter-clockwise (clockwise when cw),
 * its radius wobbling so every vertex carries some area. */
static void circle(geo_pt *p, size_t n, double cx, double cy, double r,
		   double wobble, int cw)
{
	for (size_t i = 0; i < n; i++) {
		double a = 2 * M_PI * (double)i / (double)n * (cw ? -1 : 1);
		double rr = r * (1 + wobble * ((double)(i % 3) - 1));
		p[i].x = cx + rr * cos(a);
		p[i].y = cy + rr * sin(a);
	}
}

/* The kept points of every ring of feature f, with counts. */
static size_t kept_ring(const topo *t, size_t ring, geo_pt **pts, size_t *cap)
{
	topo_level lv = {t->threshold, NULL};
	return topo_ring_points(t, ring, &lv, pts, cap);
}

static int same(geo_pt a, geo_pt b)
{
	return a.x == b.x && a.y == b.y;
}

/* a and b are the same point; prints both when they are not. */
#define assert_same_pt(a, b) do { \
	geo_pt a_ = (a), b_ = (b); \
	if (!same(a_, b_)) \
		fail_msg("%s is (%.17g, %.17g) but %s is (%.17g, %.17g)", #a, \
			 a_.x, a_.y, #b, b_.x, b_.y); \
} while (0)

/* ---- two squares with one wiggly shared border ---------------------------- */

#define BORDER 41

static void border_point(size_t i, geo_pt *p)
{
	/* from (2, 0) up to (2, 8), wiggling in x */
	p->x = i == 0 || i == BORDER - 1 ? 2 : 2 + 0.3 * sin((double)i * 1.7) +
						   0.1 * (double)(i % 4);
	p->y = 8.0 * (double)i / (BORDER - 1);
}

static void two_squares(geo_layer *l)
{
	geo_pt a[BORDER + 2], b[BORDER + 2];
	size_t na = 0, nb = 0;
	/* A, counter-clockwise: (0,0), the border up, (0,8) */
	a[na++] = (geo_pt){0, 0};
	for (size_t i = 0; i < BORDER; i++)
		border_point(i, &a[na++]);
	a[na++] = (geo_pt){0, 8};
	/* B, counter-clockwise: (4,0), (4,8), the border down */
	b[nb++] = (geo_pt){4, 0};
	b[nb++] = (geo_pt){4, 8};
	for (size_t i = BORDER; i-- > 0;)
		border_point(i, &b[nb++]);
	add_ring(add_feature(l, "AAA"), a, na, 0);
	add_ring(add_feature(l, "BBB"), b, nb, 0);
}

/* The run of ring points from `from` to `to` (inclusive), walking on. */
static size_t run_between(const geo_pt *p, size_t n, geo_pt from, geo_pt to,
			  geo_pt *out)
{
	size_t start = n, k = 0;
	for (size_t i = 0; i < n; i++)
		if (same(p[i], from))
			start = i;
	assert_lt(start, n);
	for (size_t i = 0; i < n; i++) {
		out[k++] = p[(start + i) % n];
		if (same(out[k - 1], to))
			return k;
	}
	fail_msg("end of the shared border not found");
	return 0;
}

static void test_shared_border_identical(void **state)
{
	(void)state;
	geo_layer l = {NULL, 0};
	topo t;
	two_squares(&l);
	assert_int_equal(topo_build(&l, &t), 0);
	assert_int_equal(t.narc, 3);
	assert_int_equal(topo_shared_arcs(&t), 1);

	/* heavy: keep under a third of what can go (13 of 43 vertices) */
	assert_int_equal(topo_simplify(&t, 0.3, 0.01), 0);
	geo_pt *pa = NULL, *pb = NULL, ra[BORDER + 4], rb[BORDER + 4];
	size_t ca = 0, cb = 0;
	size_t na = kept_ring(&t, 0, &pa, &ca), nb = kept_ring(&t, 1, &pb, &cb);
	geo_pt lo = {2, 0}, hi = {2, 8};
	size_t ka = run_between(pa, na, lo, hi, ra);
	size_t kb = run_between(pb, nb, hi, lo, rb);
	printf("shared border: %d vertices, %zu kept on each side\n", BORDER, ka);
	assert_gt(ka, 2);      /* something of the wiggle is left */
	assert_lt(ka, BORDER); /* and something went */
	assert_int_equal(ka, kb);
	for (size_t i = 0; i < ka; i++)
		assert_same_pt(ra[i], rb[ka - 1 - i]);
	free(pa);
	free(pb);
	topo_free(&t);
	geo_layer_free(&l);
}

/* One topo_outlines kept across many probes of both squares gives, call
 * for call, what topo_feature_contains at full detail and
 * topo_keep_inside_within give afresh each time: the same answers, the
 * same vertices back, in the same order. The probes sit along the shared
 * border on both sides, so a vertex one side brings back changes the
 * other side's outline, which the outlines must then make again. */
static void test_outlines_match_afresh(void **state)
{
	(void)state;
	geo_layer l = {NULL, 0};
	topo a, b;
	two_squares(&l);
	assert_int_equal(topo_build(&l, &a), 0);
	assert_int_equal(topo_build(&l, &b), 0);
	assert_int_equal(topo_simplify(&a, 0.05, 0.01), 0);
	assert_int_equal(topo_simplify(&b, 0.05, 0.01), 0);
	topo_outlines *o = topo_outlines_new(&a, a.threshold, NULL);
	geo_pt *pts = NULL;
	size_t cap = 0, added = 0;
	unsigned long long wa = 0, wb = 0;
	for (int step = 0; step < 40; step++) {
		int f = step % 2;
		/* A is left of x = 2, B right of it */
		geo_pt p = {f ? 2.03 : 1.97, 0.1 + 0.19 * step};
		int in = topo_outlines_contains(o, f, p);
		assert_int_equal(in, topo_feature_contains(&b, f, p, 0, NULL, &pts, &cap));
		if (!in)
			continue;
		size_t ka = topo_outlines_keep_inside(o, f, &p, 1, 0.05, &wa);
		size_t kb = topo_keep_inside_within(&b, f, &p, 1, b.threshold, 0.05,
						    NULL, &wb);
		assert_int_equal(ka, kb);
		assert_true(wa == wb);
		added += ka;
	}
	assert_gt(added, 1); /* both sides brought vertices back */
	assert_int_equal(a.npt, b.npt);
	for (size_t v = 0; v < a.npt; v++)
		assert_true(a.thr[v] == b.thr[v] ||
			    (isinf(a.thr[v]) && isinf(b.thr[v])));
	topo_outlines_free(o);
	free(pts);
	topo_free(&a);
	topo_free(&b);
	geo_layer_free(&l);
}

/* A partner near a border that simplification straightened: keep.c
 * brings back vertices until its point is inside its own country again,
 * and the neighbour gets the same vertices (the border stays shared). */
static void test_keep_point_inside(void **state)
{
	(void)state;
	geo_layer l = {NULL, 0};
	topo t;
	two_squares(&l);
	assert_int_equal(topo_build(&l, &t), 0);
	assert_int_equal(topo_simplify(&t, 0.05, 0.01), 0);
	geo_pt *pts = NULL;
	size_t cap = 0;
	/* a point just inside A, at a border vertex that went */
	geo_pt probe = {0, 0};
	int found = 0;
	for (size_t v = 0; v < t.npt && !found; v++) {
		if (t.thr[v] >= t.threshold || t.pt[v].x <= 2)
			continue;
		geo_pt p = {t.pt[v].x - 0.02, t.pt[v].y};
		if (topo_feature_contains(&t, 0, p, 0, NULL, &pts, &cap) &&
		    !topo_feature_contains(&t, 0, p, t.threshold, NULL, &pts, &cap)) {
			probe = p;
			found = 1;
		}
	}
	if (!found)
		fail_msg("no vertex that went has a point of A just inside it");
	size_t added = topo_keep_inside(&t, 0, &probe, 1, t.threshold, 0, NULL);
	assert_gt(added, 0);
	assert_int_equal(topo_feature_contains(&t, 0, probe, t.threshold, NULL,
					       &pts, &cap), 1);
	/* the point is not B's, and both sides still draw one border */
	assert_int_equal(topo_feature_contains(&t, 1, probe, t.threshold, NULL,
					       &pts, &cap), 0);
	geo_pt *pb = NULL, ra[BORDER + 4], rb[BORDER + 4];
	size_t cb = 0;
	size_t na = kept_ring(&t, 0, &pts, &cap), nb = kept_ring(&t, 1, &pb, &cb);
	geo_pt lo = {2, 0}, hi = {2, 8};
	size_t ka = run_between(pts, na, lo, hi, ra);
	size_t kb = run_between(pb, nb, hi, lo, rb);
	assert_int_equal(ka, kb);
	for (size_t i = 0; i < ka; i++)
		assert_same_pt(ra[i], rb[ka - 1 - i]);
	free(pts);
	free(pb);
	topo_free(&t);
	geo_layer_free(&l);
}

/* An enclave fills its neighbour's hole exactly: one closed arc, shared,
 * with no junction anywhere on it. */
static void test_enclave_shares_closed_arc(void **state)
{
	(void)state;
	geo_layer l = {NULL, 0};
	geo_pt outer[64], inner[16], hole[16];
	topo t;
	circle(outer, 64, 0, 0, 10, 0.05, 0);
	circle(inner, 16, 1, 1, 3, 0.1, 0);
	for (size_t i = 0; i < 16; i++) /* the hole runs the other way */
		hole[i] = inner[(16 - i + 5) % 16];
	geo_feature *f = add_feature(&l, "OUT");
	add_ring(f, outer, 64, 0);
	add_ring(f, hole, 16, 1);
	add_ring(add_feature(&l, "ENC"), inner, 16, 0);
	assert_int_equal(topo_build(&l, &t), 0);
	assert_int_equal(t.narc, 2);
	assert_int_equal(topo_shared_arcs(&t), 1);
	assert_int_equal(t.ring[1].n, 1);
	assert_int_equal(t.ring[2].n, 1);
	int a = t.ref[t.ring[1].first], b = t.ref[t.ring[2].first];
	assert_int_equal(TOPO_ARC(a), TOPO_ARC(b));
	if ((a < 0) == (b < 0)) /* one of them backwards */
		fail_msg("both rings run their arc the same way: refs %d and %d",
			 a, b);
	topo_free(&t);
	geo_layer_free(&l);
}

static void test_hole_kept(void **state)
{
	(void)state;
	geo_layer l = {NULL, 0};
	geo_pt outer[80], hole[24];
	topo t;
	circle(outer, 80, 0, 0, 100, 0.05, 0);
	circle(hole, 24, 10, 0, 20, 0.1, 1);
	geo_feature *f = add_feature(&l, "HOL");
	add_ring(f, outer, 80, 0);
	add_ring(f, hole, 24, 1);
	assert_int_equal(topo_build(&l, &t), 0);
	assert_int_equal(topo_simplify(&t, 0.02, 1), 0);
	assert_int_equal(t.feat[0].n, 2);
	assert_int_equal(t.ring[1].hole, 1);
	geo_pt *p = NULL;
	size_t cap = 0, n = kept_ring(&t, 1, &p, &cap);
	assert_ge(n, 3);
	double a = topo_area(p, n);
	assert_lt(a, 0);                    /* still clockwise */
	assert_gt(fabs(a), 0.3 * M_PI * 400); /* and not a sliver */
	free(p);
	topo_free(&t);
	geo_layer_free(&l);
}

static void test_triangle_island(void **state)
{
	(void)state;
	geo_layer l = {NULL, 0};
	geo_pt big[200], tri[3] = {{300, 0}, {301, 0}, {300.5, 0.8}};
	topo t;
	circle(big, 200, 0, 0, 100, 0.05, 0);
	add_ring(add_feature(&l, "BIG"), big, 200, 0);
	add_ring(add_feature(&l, "TRI"), tri, 3, 0);
	assert_int_equal(topo_build(&l, &t), 0);
	assert_int_equal(topo_simplify(&t, 0.01, 1), 0);
	geo_pt *p = NULL;
	size_t cap = 0, n = kept_ring(&t, 1, &p, &cap);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < 3; i++)
		if (!same(p[i], tri[0]) && !same(p[i], tri[1]) &&
		    !same(p[i], tri[2]))
			fail_msg("kept vertex %zu (%g, %g) is not a corner of the "
				 "triangle", i, p[i].x, p[i].y);
	free(p);
	topo_free(&t);
	geo_layer_free(&l);
}

static void test_tiny_island_survives(void **state)
{
	(void)state;
	geo_layer l = {NULL, 0};
	geo_pt big[400], tiny[30];
	topo t;
	circle(big, 400, 0, 0, 100, 0.02, 0);
	circle(tiny, 30, 104, 0, 0.5, 0.05, 0);
	add_ring(add_feature(&l, "BIG"), big, 400, 0);
	add_ring(add_feature(&l, "ISL"), tiny, 30, 0);
	assert_int_equal(topo_build(&l, &t), 0);
	/* at this share the island's own vertices would all go */
	assert_int_equal(topo_simplify(&t, 0.02, 1), 0);
	geo_pt *p = NULL;
	size_t cap = 0, n = kept_ring(&t, 1, &p, &cap);
	double full = fabs(topo_area(tiny, 30)), kept = fabs(topo_area(p, n));
	printf("tiny island: %zu of 30 vertices, area %.3f of %.3f\n", n, kept,
	       full);
	assert_ge(n, 3);
	assert_ge(kept, 0.6 * full);
	free(p);
	topo_free(&t);
	geo_layer_free(&l);
}

static void test_visvalingam_thresholds(void **state)
{
	(void)state;
	geo_pt p[6] = {{0, 0}, {1, 0}, {2, 0}, {3, 1}, {4, 0}, {5, 0}};
	double thr[6];
	topo_visvalingam(p, 6, thr);
	assert_double_eq(thr[0], INFINITY);
	assert_double_eq(thr[5], INFINITY);
	assert_double_eq(thr[1], 0); /* on a straight line: goes first */
	assert_gt(thr[3], thr[2]);   /* the peak outlasts its foot */
	assert_gt(thr[3], thr[4]);
	for (size_t i = 1; i < 5; i++) {
		assert_ge(thr[i], 0);
		assert_finite(thr[i]);
	}

	/* a thin spike (triangle area 0.2) goes before a blunt bump (0.15) */
	geo_pt q[8] = {{0, 0}, {1, 0}, {1.05, 4}, {1.1, 0},
		       {3, 0}, {3.5, 0.3}, {4, 0}, {5, 0}};
	double t8[8];
	topo_visvalingam(q, 8, t8);
	assert_lt(t8[2], t8[5]);
}

static void test_segments_cross(void **state)
{
	(void)state;
	geo_pt a = {0, 0}, b = {2, 2}, c = {0, 2}, d = {2, 0}, e = {3, 3};
	assert_int_equal(topo_segments_cross(a, b, c, d), 1); /* an X */
	assert_int_equal(topo_segments_cross(a, b, b, d), 0); /* joined at b */
	assert_int_equal(topo_segments_cross(a, b, b, a), 1); /* the same twice */
	assert_int_equal(topo_segments_cross(a, e, a, b), 1); /* overlapping */
	assert_int_equal(topo_segments_cross(a, c, d, e), 0); /* apart */
	geo_pt m = {1, 1}, f = {1, 5};
	assert_int_equal(topo_segments_cross(a, b, m, f), 1); /* touching */
}

/* ---- the real basemap ------------------------------------------------------ */

static int load_world(geo_layer *xy, double *unit)
{
	diags_t d = DIAGS_INIT;
	geo_layer ll = {NULL, 0};
	if (geo_read_polygons(BASEMAP, BASEMAP, "iso_a3", "name", &ll, &d) < 0) {
		diags_print(&d, stderr);
		diags_free(&d);
		return -1;
	}
	geo_proj *pj = geo_proj_new("equal-earth", &d);
	assert_non_null(pj);
	assert_int_equal(geo_proj_layer(pj, &ll, xy), 0);
	*unit = proj_width(pj) / 960;
	geo_proj_free(pj);
	geo_layer_free(&ll);
	diags_free(&d);
	return 0;
}

/* The squared distance from p to segment ab, by keep.c's rule (the
 * nearest point's parameter along ab, clamped), written again here: the
 * skipping of far edges must leave this value, bit for bit. */
static double seg_d2(geo_pt p, geo_pt a, geo_pt b)
{
	double dx = b.x - a.x, dy = b.y - a.y;
	double len2 = dx * dx + dy * dy;
	double u = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	double ex = a.x + u * dx - p.x, ey = a.y + u * dy - p.y;
	return ex * ex + ey * ey;
}

/* Every edge of feature f at full detail: the least seg_d2, square-rooted. */
static double dist_every_edge(const topo *t, int f, geo_pt p, geo_pt **pts,
			      size_t *cap)
{
	double best = INFINITY;
	const topo_feature *feat = &t->feat[f];
	for (size_t r = feat->first; r < feat->first + feat->n; r++) {
		size_t n = topo_ring_points(t, r, NULL, pts, cap);
		for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
			double d = seg_d2(p, (*pts)[j], (*pts)[i]);
			if (d < best)
				best = d;
		}
	}
	return sqrt(best);
}

/* On the real basemap, the outlines' inside test and distance, which
 * skip the runs of edges their boxes rule out, answer as testing every
 * edge does, exactly: at every vertex, on every edge's middle, a hair to
 * either side of both, on a grid over each country's box and far off. */
static void test_outlines_skip_nothing_that_counts(void **state)
{
	(void)state;
	if (basemap_missing()) {
		skip();
		return;
	}
	geo_layer xy = {NULL, 0};
	double unit = 0;
	topo t;
	assert_int_equal(load_world(&xy, &unit), 0);
	assert_int_equal(topo_build(&xy, &t), 0);
	assert_int_equal(topo_simplify(&t, 0, unit), 0);
	topo_outlines *o = topo_outlines_new(&t, t.threshold, NULL);
	geo_pt *pts = NULL, *probe = NULL;
	size_t cap = 0, nprobe = 0, pcap = 0, checked = 0, inside = 0;
	for (size_t f = 0; f < t.nfeat; f++) {
		const topo_feature *feat = &t.feat[f];
		nprobe = 0;
		double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
		for (size_t r = feat->first; r < feat->first + feat->n; r++) {
			size_t n = topo_ring_points(&t, r, NULL, &pts, &cap);
			for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
				geo_pt a = pts[j], b = pts[i];
				geo_pt mid = {(a.x + b.x) / 2, (a.y + b.y) / 2};
				double h = 1e-3 * unit;
				geo_pt add[] = {b, mid, {b.x + h, b.y}, {b.x, b.y - h},
						{mid.x - h, mid.y}, {mid.x, mid.y + h},
						{nextafter(mid.x, INFINITY), mid.y}};
				probe = xgrow(probe, &pcap, nprobe + 8, sizeof *probe, 64);
				for (size_t k = 0; k < sizeof add / sizeof add[0]; k++)
					probe[nprobe++] = add[k];
				x0 = fmin(x0, b.x), x1 = fmax(x1, b.x);
				y0 = fmin(y0, b.y), y1 = fmax(y1, b.y);
			}
		}
		probe = xgrow(probe, &pcap, nprobe + 124, sizeof *probe, 64);
		for (int gy = 0; gy <= 10; gy++)
			for (int gx = 0; gx <= 10; gx++)
				probe[nprobe++] = (geo_pt){x0 + (x1 - x0) * gx / 10,
							   y0 + (y1 - y0) * gy / 10};
		probe[nprobe++] = (geo_pt){x0 - 1000 * unit, y1 + 1000 * unit};
		for (size_t k = 0; k < nprobe; k++) {
			geo_pt p = probe[k];
			int in = topo_outlines_contains(o, (int)f, p);
			assert_int_equal(in, topo_feature_contains(&t, (int)f, p, 0, NULL,
								   &pts, &cap));
			double want = dist_every_edge(&t, (int)f, p, &pts, &cap);
			double got = topo_outlines_distance(o, (int)f, p);
			if (got != want)
				fail_msg("feature %zu, probe (%.17g, %.17g): %.17g, "
					 "every edge: %.17g", f, p.x, p.y, got, want);
			checked++;
			inside += in;
		}
	}
	printf("outlines: %zu probes of %zu features, %zu inside\n", checked,
	       t.nfeat, inside);
	assert_gt(checked, 50000);
	assert_gt(inside, checked / 10); /* both answers were met */
	assert_true(inside < checked - checked / 10);
	topo_outlines_free(o);
	free(pts);
	free(probe);
	topo_free(&t);
	geo_layer_free(&xy);
}

/* Does ab cross cd, not at an end they share? Written apart from
 * simplify.c's predicate on purpose: proper crossings, and one segment's
 * end lying inside the other. */
static double orient(geo_pt a, geo_pt b, geo_pt c)
{
	return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

static int inside_seg(geo_pt a, geo_pt b, geo_pt p)
{
	return orient(a, b, p) == 0 && !same(p, a) && !same(p, b) &&
	       fmin(a.x, b.x) <= p.x && p.x <= fmax(a.x, b.x) &&
	       fmin(a.y, b.y) <= p.y && p.y <= fmax(a.y, b.y);
}

static int crosses(geo_pt a, geo_pt b, geo_pt c, geo_pt d)
{
	double o1 = orient(a, b, c), o2 = orient(a, b, d);
	double o3 = orient(c, d, a), o4 = orient(c, d, b);
	if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) &&
	    ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
		return 1;
	return inside_seg(a, b, c) || inside_seg(a, b, d) ||
	       inside_seg(c, d, a) || inside_seg(c, d, b);
}

typedef struct kseg {
	geo_pt a, b;
	size_t arc, i; /* i: position along its arc */
} kseg;

static void test_world(void **state)
{
	(void)state;
	if (basemap_missing()) {
		skip();
		return;
	}
	geo_layer xy = {NULL, 0};
	double unit = 0;
	topo t;
	assert_int_equal(load_world(&xy, &unit), 0);
	assert_int_equal(topo_build(&xy, &t), 0);
	size_t shared = topo_shared_arcs(&t), npt = t.npt;
	assert_int_equal(topo_simplify(&t, 0, unit), 0);
	size_t kept = 0;
	for (size_t i = 0; i < t.npt; i++)
		kept += t.thr[i] >= t.threshold;
	printf("world: %zu features, %zu arcs, %zu shared by two features, "
	       "%zu arc vertices, %zu kept (%zu rescued for small rings, %zu re-added "
	       "against crossings)\n", t.nfeat, t.narc, shared, npt, kept,
	       t.rescued, t.repaired);
	assert_int_equal(t.nfeat, 177);
	assert_in_range(t.narc, 550, 700);
	assert_in_range(shared, 300, 360);
	assert_lt(kept, npt / 2);

	/* every feature keeps a ring of 3 vertices or more */
	geo_pt *p = NULL;
	size_t cap = 0;
	for (size_t f = 0; f < t.nfeat; f++) {
		size_t best = 0;
		for (size_t r = t.feat[f].first; r < t.feat[f].first + t.feat[f].n; r++) {
			size_t n = kept_ring(&t, r, &p, &cap);
			best = n > best ? n : best;
		}
		if (best < 3)
			fail_msg("feature %zu (%s) lost its rings", f, xy.f[f].name);
	}
	free(p);

	/* no two kept segments cross, all against all */
	kseg *s = malloc((kept + 1) * sizeof *s);
	size_t ns = 0;
	for (size_t a = 0; a < t.narc; a++) {
		size_t from = t.arc[a].first, k = 0;
		for (size_t v = from + 1; v < t.arc[a].first + t.arc[a].n; v++) {
			if (t.thr[v] < t.threshold)
				continue;
			s[ns++] = (kseg){t.pt[from], t.pt[v], a, k++};
			from = v;
		}
	}
	size_t crossings = 0;
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns; j++) {
			if (s[i].arc == s[j].arc && s[j].i == s[i].i + 1)
				continue; /* neighbours along one arc */
			if (crosses(s[i].a, s[i].b, s[j].a, s[j].b)) {
				if (crossings++ < 5)
					printf("crossing: arc %zu and arc %zu\n",
					       s[i].arc, s[j].arc);
			}
		}
	printf("world: %zu kept segments, %zu crossings\n", ns, crossings);
	assert_int_equal(crossings, 0);
	free(s);
	topo_free(&t);
	geo_layer_free(&xy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_border_identical),
		cmocka_unit_test(test_keep_point_inside),
		cmocka_unit_test(test_outlines_match_afresh),
		cmocka_unit_test(test_outlines_skip_nothing_that_counts),
		cmocka_unit_test(test_enclave_shares_closed_arc),
		cmocka_unit_test(test_hole_kept),
		cmocka_unit_test(test_triangle_island),
		cmocka_unit_test(test_tiny_island_survives),
		cmocka_unit_test(test_visvalingam_thresholds),
		cmocka_unit_test(test_segments_cross),
		cmocka_unit_test(test_world),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
