/* topology.c - cut a layer's rings into arcs that neighbours share.
 *
 * The classic recipe (TopoJSON, mapshaper): give every distinct point an
 * id by hashing its exact coordinates; a point is a junction when the
 * rings passing through it do not all run through the same two
 * neighbours; rings are cut at junctions into arcs, and an arc met a
 * second time, forwards or backwards, is stored once and referenced
 * twice. Input borders must match vertex for vertex, as Natural Earth's
 * do; nothing here snaps near-misses together. */
#include "topo.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

static uint64_t mix64(uint64_t z)
{
	/* splitmix64's finaliser: every input bit reaches every output bit */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t pt_hash(geo_pt p)
{
	double x = p.x + 0.0, y = p.y + 0.0; /* -0.0 and 0.0 hash alike */
	uint64_t a, b;
	memcpy(&a, &x, sizeof a);
	memcpy(&b, &y, sizeof b);
	return mix64(a ^ mix64(b + 0x9e3779b97f4a7c15ULL));
}

static size_t pow2_above(size_t n)
{
	size_t c = 16;
	while (c < n)
		c <<= 1;
	return c;
}

/* ---- distinct points ------------------------------------------------------ */

typedef struct ptab {
	size_t *slot;   /* point id + 1; 0 is empty */
	size_t mask;
	geo_pt *pt;     /* id -> coordinates */
	size_t n;
} ptab;

static void ptab_init(ptab *h, size_t most)
{
	size_t cap = pow2_above(most * 2);
	h->slot = xcalloc(cap, sizeof *h->slot);
	h->mask = cap - 1;
	h->pt = xmalloc(most * sizeof *h->pt);
	h->n = 0;
}

static size_t ptab_id(ptab *h, geo_pt p)
{
	size_t i = (size_t)pt_hash(p) & h->mask;
	for (;; i = (i + 1) & h->mask) {
		size_t s = h->slot[i];
		if (!s) {
			h->pt[h->n] = p;
			h->slot[i] = ++h->n;
			return h->n - 1;
		}
		if (h->pt[s - 1].x == p.x && h->pt[s - 1].y == p.y)
			return s - 1;
	}
}

static void ptab_free(ptab *h)
{
	free(h->slot);
	free(h->pt);
}

/* ---- the input rings as point ids ---------------------------------------- */

typedef struct idrings {
	size_t *id;     /* every ring's point ids, ring after ring */
	size_t *start;  /* ring k is id[start[k] .. start[k + 1]) */
	int *feat;
	int *hole;
	size_t n;
} idrings;

/* Append one ring's ids, dropping repeated points; undo it when fewer
 * than 3 remain (a ring that encloses nothing). */
static void add_ring(idrings *rs, ptab *h, const geo_ring *g, int feat,
		     size_t *used)
{
	size_t begin = *used, k = begin;
	for (size_t i = 0; i < g->n; i++) {
		size_t id = ptab_id(h, g->p[i]);
		if (k > begin && rs->id[k - 1] == id)
			continue;
		rs->id[k++] = id;
	}
	while (k - begin > 1 && rs->id[k - 1] == rs->id[begin])
		k--;
	if (k - begin < 3)
		return;
	rs->start[rs->n] = begin;
	rs->feat[rs->n] = feat;
	rs->hole[rs->n] = g->hole;
	rs->n++;
	*used = k;
	rs->start[rs->n] = k;
}

static void idrings_load(idrings *rs, ptab *h, const geo_layer *l)
{
	size_t npts = 0, nrings = 0, used = 0;
	for (size_t f = 0; f < l->n; f++) {
		nrings += l->f[f].nrings;
		for (size_t r = 0; r < l->f[f].nrings; r++)
			npts += l->f[f].rings[r].n;
	}
	rs->id = xmalloc(npts * sizeof *rs->id);
	rs->start = xmalloc((nrings + 1) * sizeof *rs->start);
	rs->feat = xmalloc(nrings * sizeof *rs->feat);
	rs->hole = xmalloc(nrings * sizeof *rs->hole);
	rs->n = 0;
	rs->start[0] = 0;
	ptab_init(h, npts);
	for (size_t f = 0; f < l->n; f++)
		for (size_t r = 0; r < l->f[f].nrings; r++)
			add_ring(rs, h, &l->f[f].rings[r], (int)f, &used);
}

static void idrings_free(idrings *rs)
{
	free(rs->id);
	free(rs->start);
	free(rs->feat);
	free(rs->hole);
}

/* ---- junctions ------------------------------------------------------------ */

/* A point is a junction when two passes through it have different
 * neighbour pairs: there some border starts or ends. */
static unsigned char *find_junctions(const idrings *rs, size_t npoints)
{
	unsigned char *junc = xcalloc(npoints, 1);
	size_t *pair = xmalloc(2 * npoints * sizeof *pair);
	for (size_t i = 0; i < 2 * npoints; i++)
		pair[i] = NONE;
	for (size_t r = 0; r < rs->n; r++) {
		const size_t *id = rs->id + rs->start[r];
		size_t m = rs->start[r + 1] - rs->start[r];
		for (size_t k = 0; k < m; k++) {
			size_t a = id[(k + m - 1) % m], b = id[(k + 1) % m];
			size_t lo = a < b ? a : b, hi = a < b ? b : a, v = id[k];
			if (pair[2 * v] == NONE) {
				pair[2 * v] = lo;
				pair[2 * v + 1] = hi;
			} else if (pair[2 * v] != lo || pair[2 * v + 1] != hi) {
				junc[v] = 1;
			}
		}
	}
	free(pair);
	return junc;
}

/* A ring without junctions runs on its own (an island), or together with
 * rings that are the very same cycle (an enclave and the hole it fills).
 * Starting each at its lowest point makes those copies cut alike. */
static void start_free_rings(const idrings *rs, const ptab *h,
			     unsigned char *junc)
{
	for (size_t r = 0; r < rs->n; r++) {
		const size_t *id = rs->id + rs->start[r];
		size_t m = rs->start[r + 1] - rs->start[r], low = 0;
		int has = 0;
		for (size_t k = 0; k < m && !has; k++)
			has = junc[id[k]];
		if (has)
			continue;
		for (size_t k = 1; k < m; k++) {
			geo_pt a = h->pt[id[k]], b = h->pt[id[low]];
			if (a.x < b.x || (a.x == b.x && a.y < b.y))
				low = k;
		}
		junc[id[low]] = 1;
	}
}

/* ---- arcs ----------------------------------------------------------------- */

typedef struct arctab {
	size_t *slot;   /* arc index + 1; 0 is empty */
	size_t mask;
	size_t *id;     /* point ids of the stored arcs, parallel to topo.pt */
} arctab;

/* The same for an arc and its reverse. */
static uint64_t arc_hash(const size_t *s, size_t n)
{
	size_t a = s[0], b = s[n - 1], c = s[1], d = s[n - 2];
	uint64_t ends = mix64((a < b ? a : b) * 31 + (a < b ? b : a));
	uint64_t next = mix64((c < d ? c : d) * 31 + (c < d ? d : c) + n);
	return ends ^ (next * 0x9e3779b97f4a7c15ULL);
}

/* 1 if arc a is s forwards, -1 if backwards, 0 if neither. */
static int arc_match(const topo *t, const arctab *at, size_t a,
		     const size_t *s, size_t n)
{
	const topo_arc *arc = &t->arc[a];
	const size_t *id = at->id + arc->first;
	if (arc->n != n)
		return 0;
	if (!memcmp(id, s, n * sizeof *s))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (id[i] != s[n - 1 - i])
			return 0;
	return -1;
}

static void note_feature(topo_arc *arc, int f)
{
	if (arc->feat[0] == f || (arc->nfeat > 1 && arc->feat[1] == f))
		return;
	if (arc->nfeat < 2)
		arc->feat[arc->nfeat] = f;
	arc->nfeat++;
}

/* The reference to arc s (point ids), storing it if it is new. */
static int arc_ref(topo *t, arctab *at, const ptab *h, const size_t *s,
		   size_t n, int feat)
{
	size_t i = (size_t)arc_hash(s, n) & at->mask;
	for (;; i = (i + 1) & at->mask) {
		size_t slot = at->slot[i];
		if (!slot)
			break;
		int dir = arc_match(t, at, slot - 1, s, n);
		if (dir) {
			note_feature(&t->arc[slot - 1], feat);
			return dir > 0 ? (int)(slot - 1) : ~(int)(slot - 1);
		}
	}
	topo_arc *arc = &t->arc[t->narc];
	arc->first = t->npt;
	arc->n = n;
	arc->nfeat = 1;
	arc->feat[0] = feat;
	arc->feat[1] = -1;
	for (size_t k = 0; k < n; k++) {
		at->id[t->npt] = s[k];
		t->pt[t->npt++] = h->pt[s[k]];
	}
	at->slot[i] = ++t->narc;
	return (int)(t->narc - 1);
}

/* Cut ring r at its junctions; append its arc references. */
static void cut_ring(topo *t, arctab *at, const ptab *h, const idrings *rs,
		     size_t r, const unsigned char *junc, size_t *seq)
{
	const size_t *id = rs->id + rs->start[r];
	size_t m = rs->start[r + 1] - rs->start[r], j0 = 0, len;
	while (!junc[id[j0]])
		j0++;
	seq[0] = id[j0];
	len = 1;
	for (size_t i = 1; i <= m; i++) {
		size_t v = id[(j0 + i) % m];
		seq[len++] = v;
		if (!junc[v])
			continue;
		t->ref[t->nref++] = arc_ref(t, at, h, seq, len, rs->feat[r]);
		seq[0] = v;
		len = 1;
	}
}

static size_t count_cuts(const idrings *rs, const unsigned char *junc)
{
	size_t cuts = 0;
	for (size_t k = 0; k < rs->start[rs->n]; k++)
		cuts += junc[rs->id[k]];
	return cuts;
}

/* Rings were loaded feature by feature, so each feature's rings are one
 * run of topo.ring. */
static void index_features(topo *t, const idrings *rs, size_t nfeat)
{
	t->nfeat = nfeat;
	t->feat = xcalloc(nfeat ? nfeat : 1, sizeof *t->feat);
	for (size_t r = rs->n; r-- > 0;) {
		topo_feature *f = &t->feat[rs->feat[r]];
		f->first = r;
		f->n++;
	}
}

int topo_build(const geo_layer *l, topo *t)
{
	idrings rs;
	ptab h;
	memset(t, 0, sizeof *t);
	if (l->n > INT_MAX)
		return -1;
	idrings_load(&rs, &h, l);
	unsigned char *junc = find_junctions(&rs, h.n);
	start_free_rings(&rs, &h, junc);

	/* each cut ends one arc, so cuts bound arcs and references; stored
	 * points are at most every ring point plus one per arc */
	size_t cuts = count_cuts(&rs, junc), npos = rs.start[rs.n];
	if (cuts > (size_t)INT_MAX) {
		free(junc);
		idrings_free(&rs);
		ptab_free(&h);
		return -1;
	}
	arctab at;
	size_t cap = pow2_above(cuts * 2);
	at.slot = xcalloc(cap, sizeof *at.slot);
	at.mask = cap - 1;
	at.id = xmalloc((npos + cuts + 1) * sizeof *at.id);
	t->pt = xmalloc((npos + cuts + 1) * sizeof *t->pt);
	t->arc = xmalloc((cuts + 1) * sizeof *t->arc);
	t->ref = xmalloc((cuts + 1) * sizeof *t->ref);
	t->ring = xmalloc((rs.n + 1) * sizeof *t->ring);
	size_t *seq = xmalloc((npos + 1) * sizeof *seq);

	for (size_t r = 0; r < rs.n; r++) {
		topo_ring *ring = &t->ring[t->nring++];
		ring->first = t->nref;
		ring->hole = rs.hole[r];
		cut_ring(t, &at, &h, &rs, r, junc, seq);
		ring->n = t->nref - ring->first;
	}
	index_features(t, &rs, l->n);

	t->pt = xreallocarray(t->pt, xadd(t->npt, 1), sizeof *t->pt);
	t->arc = xreallocarray(t->arc, xadd(t->narc, 1), sizeof *t->arc);
	free(seq);
	free(at.slot);
	free(at.id);
	free(junc);
	idrings_free(&rs);
	ptab_free(&h);
	return 0;
}

void topo_free(topo *t)
{
	FREE_ALL(t->pt, t->arc, t->ref, t->ring, t->feat, t->thr);
	memset(t, 0, sizeof *t);
}

size_t topo_shared_arcs(const topo *t)
{
	size_t n = 0;
	for (size_t a = 0; a < t->narc; a++)
		n += t->arc[a].nfeat > 1;
	return n;
}

size_t topo_ring_points(const topo *t, size_t r, const topo_level *lv,
			geo_pt **pts, size_t *cap)
{
	const topo_ring *ring = &t->ring[r];
	size_t n = 0;
	for (size_t k = 0; k < ring->n; k++) {
		int ref = t->ref[ring->first + k];
		size_t a = TOPO_ARC(ref);
		const topo_arc *arc = &t->arc[a];
		double level = !lv ? 0 : lv->per_arc ? lv->per_arc[a] : lv->all;
		/* every arc but its last point, which starts the next arc */
		for (size_t i = 0; i + 1 < arc->n; i++) {
			size_t v = arc->first + (ref < 0 ? arc->n - 1 - i : i);
			if (lv && t->thr && t->thr[v] < level)
				continue;
			*pts = xgrow(*pts, cap, n + 1, sizeof **pts, 256);
			(*pts)[n++] = t->pt[v];
		}
	}
	return n;
}

double topo_area(const geo_pt *p, size_t n)
{
	double sum = 0;
	if (n < 3)
		return 0;
	/* relative to the first point: big projected numbers lose less */
	for (size_t i = 1; i + 1 < n; i++)
		sum += (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) -
		       (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
	return sum / 2;
}

/* ---- ring directions for compression -------------------------------------- */

/* Arcs that exactly two different rings use, with how each uses it. */
typedef struct border {
	size_t ring[2];
	int back[2];     /* 1: the ring runs along it backwards */
	size_t weight;   /* its kept vertices */
} border;

/* Matched weight of ring r's borders, if r were written flipped (or not). */
static size_t ring_gain(const border *b, const size_t *inc, size_t from,
			size_t to, size_t r, int flip, const unsigned char *flips,
			const unsigned char *decided)
{
	size_t gain = 0;
	for (size_t k = from; k < to; k++) {
		const border *e = &b[inc[k]];
		int me = e->ring[0] == r ? 0 : 1, other = !me;
		if (!decided[e->ring[other]])
			continue;
		if ((e->back[me] ^ flip) == (e->back[other] ^ flips[e->ring[other]]))
			gain += e->weight;
	}
	return gain;
}

typedef struct ring_weight {
	size_t ring, weight;
} ring_weight;

static int heavier_first(const void *a, const void *b)
{
	const ring_weight *p = a, *q = b;
	if (p->weight != q->weight)
		return p->weight < q->weight ? 1 : -1;
	return p->ring < q->ring ? -1 : p->ring > q->ring;
}

static size_t collect_borders(const topo *t, double T, border **out)
{
	size_t *uses = xcalloc(t->narc + 1, sizeof *uses), n = 0;
	border *b = xcalloc(t->narc + 1, sizeof *b);
	for (size_t r = 0; r < t->nring; r++) {
		for (size_t k = 0; k < t->ring[r].n; k++) {
			int ref = t->ref[t->ring[r].first + k];
			size_t a = TOPO_ARC(ref);
			if (uses[a] < 2) {
				b[a].ring[uses[a]] = r;
				b[a].back[uses[a]] = ref < 0;
			}
			uses[a]++;
		}
	}
	for (size_t a = 0; a < t->narc; a++) {
		if (uses[a] != 2 || b[a].ring[0] == b[a].ring[1])
			continue;
		b[n] = b[a];
		b[n].weight = 0;
		for (size_t i = 0; i < t->arc[a].n; i++)
			b[n].weight += !t->thr || t->thr[t->arc[a].first + i] >= T;
		n++;
	}
	free(uses);
	*out = b;
	return n;
}

unsigned char *topo_ring_flips(const topo *t, double T)
{
	border *b;
	size_t nb = collect_borders(t, T, &b), nr = t->nring;
	/* each ring's borders, as one array sliced by ring */
	size_t *start = xcalloc(nr + 2, sizeof *start);
	size_t *inc = xmalloc((2 * nb + 1) * sizeof *inc);
	ring_weight *order = xcalloc(nr + 1, sizeof *order);
	for (size_t e = 0; e < nb; e++)
		for (int s = 0; s < 2; s++) {
			start[b[e].ring[s] + 2]++;
			order[b[e].ring[s]].weight += b[e].weight;
		}
	for (size_t r = 0; r < nr; r++) {
		start[r + 2] += start[r + 1];
		order[r].ring = r;
	}
	for (size_t e = 0; e < nb; e++)
		for (int s = 0; s < 2; s++)
			inc[start[b[e].ring[s] + 1]++] = e;
	/* now ring r's borders are inc[start[r] .. start[r + 1]) */

	unsigned char *flips = xcalloc(nr + 1, 1), *decided = xcalloc(nr + 1, 1);
	qsort(order, nr, sizeof *order, heavier_first);
	for (size_t i = 0; i < nr; i++) {
		size_t r = order[i].ring;
		size_t keep = ring_gain(b, inc, start[r], start[r + 1], r, 0, flips, decided);
		size_t flip = ring_gain(b, inc, start[r], start[r + 1], r, 1, flips, decided);
		flips[r] = flip > keep;
		decided[r] = 1;
	}
	/* then flip single rings while that matches more */
	for (int pass = 0, changed = 1; changed && pass < 16; pass++) {
		changed = 0;
		for (size_t r = 0; r < nr; r++) {
			size_t now = ring_gain(b, inc, start[r], start[r + 1], r,
					       flips[r], flips, decided);
			size_t other = ring_gain(b, inc, start[r], start[r + 1], r,
						 !flips[r], flips, decided);
			if (other > now) {
				flips[r] = !flips[r];
				changed = 1;
			}
		}
	}
	free(decided);
	free(order);
	free(inc);
	free(start);
	free(b);
	return flips;
}
