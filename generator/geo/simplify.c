/* simplify.c - Visvalingam-Whyatt thresholds on arcs, small-ring
 * protection and crossing repair.
 *
 * Each interior vertex of an arc gets the area of the triangle it makes
 * with its neighbours, taken away smallest first (a heap) while the
 * neighbours' triangles are recomputed; the area at which a vertex goes
 * is its threshold. One global threshold then keeps the same vertices of
 * a border for both countries, because the border is one arc. */
#include "topo.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Areas of sharp corners count for less, so spikes go before the
 * rounded shapes around them: weight 1 - K cos(angle) runs from 1 - K
 * for a spike folding back on itself to 1 + K for a straight run. */
#define SPIKE_K 0.7

/* The largest ring of every feature keeps at least this much area, in
 * world-map viewBox units squared (960 units wide; 2 x 2 units is about
 * 3 px across at a 1400 px wide display). */
#define MIN_VISIBLE_AREA 4.0
/* ... or this share of its own area, when it is smaller than that. */
#define MIN_AREA_SHARE 0.6

/* With the default share, detail under this weighted area (world-map
 * units squared, about 2 px squared at 1400 px) goes whatever the share:
 * a densely sampled basemap then draws about as heavy as a sparse one.
 * An explicit share is taken as given. */
#define MIN_DETAIL_AREA 1.0

static double weighted_area(geo_pt a, geo_pt b, geo_pt c)
{
	double ux = a.x - b.x, uy = a.y - b.y, vx = c.x - b.x, vy = c.y - b.y;
	double area = fabs(ux * vy - uy * vx) / 2;
	double lu = hypot(ux, uy), lv = hypot(vx, vy);
	if (area == 0 || lu == 0 || lv == 0)
		return area;
	double cosine = (ux * vx + uy * vy) / (lu * lv);
	return area * (1 - SPIKE_K * cosine);
}

/* ---- a min-heap of vertices by area, with positions for updates -------- */

typedef struct vheap {
	size_t *slot;   /* heap order: vertex indices */
	size_t *pos;    /* vertex -> its slot */
	double *key;    /* vertex -> its current area */
	size_t n;
} vheap;

static void heap_swap(vheap *h, size_t i, size_t j)
{
	size_t a = h->slot[i], b = h->slot[j];
	h->slot[i] = b;
	h->slot[j] = a;
	h->pos[b] = i;
	h->pos[a] = j;
}

static void heap_up(vheap *h, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (h->key[h->slot[parent]] <= h->key[h->slot[i]])
			break;
		heap_swap(h, i, parent);
		i = parent;
	}
}

static void heap_down(vheap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && h->key[h->slot[l]] < h->key[h->slot[m]])
			m = l;
		if (r < h->n && h->key[h->slot[r]] < h->key[h->slot[m]])
			m = r;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static size_t heap_pop(vheap *h)
{
	size_t top = h->slot[0];
	heap_swap(h, 0, --h->n);
	heap_down(h, 0);
	return top;
}

static void heap_rekey(vheap *h, size_t v, double key)
{
	double old = h->key[v];
	h->key[v] = key;
	if (key < old)
		heap_up(h, h->pos[v]);
	else
		heap_down(h, h->pos[v]);
}

void topo_visvalingam(const geo_pt *p, size_t n, double *thr)
{
	if (n == 0)
		return;
	thr[0] = thr[n - 1] = INFINITY;
	if (n < 3)
		return;
	size_t *mem = xmalloc(4 * n * sizeof *mem);
	size_t *prev = mem, *next = mem + n;
	vheap h = {mem + 2 * n, mem + 3 * n, xmalloc(n * sizeof(double)), 0};
	for (size_t i = 1; i + 1 < n; i++) {
		prev[i] = i - 1;
		next[i] = i + 1;
		h.key[i] = weighted_area(p[i - 1], p[i], p[i + 1]);
		h.slot[h.n] = i;
		h.pos[i] = h.n++;
		heap_up(&h, h.n - 1);
	}
	double last = 0;
	while (h.n) {
		size_t i = heap_pop(&h), a = prev[i], b = next[i];
		/* a vertex never goes before one removed earlier: its
		 * triangle may have shrunk when a neighbour went */
		last = h.key[i] > last ? h.key[i] : last;
		thr[i] = last;
		next[a] = b;
		prev[b] = a;
		if (a > 0)
			heap_rekey(&h, a, weighted_area(p[prev[a]], p[a], p[b]));
		if (b < n - 1)
			heap_rekey(&h, b, weighted_area(p[a], p[b], p[next[b]]));
	}
	free(h.key);
	free(mem);
}

/* ---- the global threshold -------------------------------------------------- */

/* The k-th smallest of v[0..n) (k < n); v is reordered. */
static double select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double a = v[lo], b = v[(lo + hi) / 2], c = v[hi];
		double pivot = a < b ? (b < c ? b : (a < c ? c : a))
				     : (a < c ? a : (b < c ? c : b));
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double tmp = v[i];
				v[i] = v[j];
				v[j] = tmp;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/* The threshold keeping `share` of the removable vertices. */
static double share_threshold(topo *t, double share)
{
	double *v = xmalloc((t->npt + 1) * sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < t->npt; i++)
		if (isfinite(t->thr[i]))
			v[m++] = t->thr[i];
	t->removable = m;
	size_t keep = (size_t)(share * (double)m + 0.5);
	double T = keep >= m ? 0 : keep == 0 ? INFINITY
					     : select_kth(v, m, m - keep);
	free(v);
	return T;
}

/* ---- protection of small rings -------------------------------------------- */

static size_t ring_kept(const topo *t, const topo_ring *ring, double T)
{
	size_t kept = 0;
	for (size_t k = 0; k < ring->n; k++) {
		const topo_arc *arc = &t->arc[TOPO_ARC(t->ref[ring->first + k])];
		for (size_t i = 0; i + 1 < arc->n; i++)
			kept += t->thr[arc->first + i] >= T;
	}
	return kept;
}

/* The ring's dropped vertices, most important first. */
static size_t ring_dropped(const topo *t, const topo_ring *ring, double T,
			   size_t **out, size_t *cap)
{
	size_t n = 0;
	for (size_t k = 0; k < ring->n; k++) {
		const topo_arc *arc = &t->arc[TOPO_ARC(t->ref[ring->first + k])];
		for (size_t i = 1; i + 1 < arc->n; i++) {
			size_t v = arc->first + i;
			if (t->thr[v] >= T)
				continue;
			*out = xgrow(*out, cap, n + 1, sizeof **out, 64);
			(*out)[n++] = v;
		}
	}
	return n;
}

/* Vertices sorted by threshold, largest first. */
typedef struct vkey {
	double thr;
	size_t v;
} vkey;

static int vkey_desc(const void *a, const void *b)
{
	double x = ((const vkey *)a)->thr, y = ((const vkey *)b)->thr;
	return x < y ? 1 : x > y ? -1 : 0;
}

static void sort_by_thr(const topo *t, size_t *v, size_t n)
{
	vkey *k = xmalloc((n + 1) * sizeof *k);
	for (size_t i = 0; i < n; i++) {
		k[i].thr = t->thr[v[i]];
		k[i].v = v[i];
	}
	qsort(k, n, sizeof *k, vkey_desc);
	for (size_t i = 0; i < n; i++)
		v[i] = k[i].v;
	free(k);
}

/* Every ring keeps three vertices: an island kept as only its arc's end
 * point would vanish, and a sliver of two would draw nothing. */
static void keep_three(topo *t, double T, size_t **drop, size_t *cap)
{
	for (size_t r = 0; r < t->nring; r++) {
		const topo_ring *ring = &t->ring[r];
		size_t kept = ring_kept(t, ring, T);
		if (kept >= 3)
			continue;
		size_t n = ring_dropped(t, ring, T, drop, cap);
		sort_by_thr(t, *drop, n);
		for (size_t i = 0; i < n && kept < 3; i++, kept++) {
			t->thr[(*drop)[i]] = INFINITY;
			t->rescued++;
		}
	}
}

/* The outer ring of feature f with the largest area at full detail, or
 * NONE; its area goes to *area (signed, as the ring runs). */
static size_t largest_ring(const topo *t, size_t f, double *area,
			   geo_pt **pts, size_t *cap)
{
	const topo_feature *feat = &t->feat[f];
	size_t best = (size_t)-1;
	double best_abs = -1;
	for (size_t r = feat->first; r < feat->first + feat->n; r++) {
		if (t->ring[r].hole)
			continue;
		size_t n = topo_ring_points(t, r, NULL, pts, cap);
		double a = topo_area(*pts, n);
		if (fabs(a) > best_abs) {
			best_abs = fabs(a);
			best = r;
			*area = a;
		}
	}
	return best;
}

static double kept_area(const topo *t, size_t r, double T, geo_pt **pts,
			size_t *cap)
{
	topo_level lv = {T, NULL};
	size_t n = topo_ring_points(t, r, &lv, pts, cap);
	return topo_area(*pts, n);
}

/* No country may vanish: its largest ring keeps MIN_AREA_SHARE of its
 * area, or at least MIN_VISIBLE_AREA; dropped vertices come back, most
 * important first, in doubling batches (so a big ring costs O(n log n)). */
static void keep_largest(topo *t, double T, double min_area, size_t **drop,
			 size_t *cap)
{
	geo_pt *pts = NULL;
	size_t pcap = 0;
	for (size_t f = 0; f < t->nfeat; f++) {
		double full = 0;
		size_t r = largest_ring(t, f, &full, &pts, &pcap);
		if (r == (size_t)-1 || full == 0)
			continue;
		double target = fmin(MIN_AREA_SHARE * fabs(full), min_area);
		double sign = full > 0 ? 1 : -1;
		if (sign * kept_area(t, r, T, &pts, &pcap) >= target)
			continue;
		size_t n = ring_dropped(t, &t->ring[r], T, drop, cap), done = 0;
		sort_by_thr(t, *drop, n);
		for (size_t batch = 1; done < n; batch *= 2) {
			for (size_t end = done + batch; done < n && done < end; done++) {
				t->thr[(*drop)[done]] = INFINITY;
				t->rescued++;
			}
			if (sign * kept_area(t, r, T, &pts, &pcap) >= target)
				break;
		}
	}
	free(pts);
}

/* ---- crossing repair ------------------------------------------------------ */

typedef struct seg {
	size_t a, b; /* consecutive kept vertices of one arc (indices in pt) */
	size_t arc;
} seg;

static size_t kept_segments(const topo *t, double T, seg **out, size_t *cap)
{
	size_t n = 0;
	for (size_t a = 0; a < t->narc; a++) {
		const topo_arc *arc = &t->arc[a];
		size_t from = arc->first;
		for (size_t v = arc->first + 1; v < arc->first + arc->n; v++) {
			if (t->thr[v] < T)
				continue;
			*out = xgrow(*out, cap, n + 1, sizeof **out, 1024);
			(*out)[n++] = (seg){from, v, a};
			from = v;
		}
	}
	return n;
}

static double orient(geo_pt a, geo_pt b, geo_pt c)
{
	return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

static int same_pt(geo_pt a, geo_pt b)
{
	return a.x == b.x && a.y == b.y;
}

/* p, collinear with ab, lies on it (ends included): in its box. */
static int within(geo_pt a, geo_pt b, geo_pt p)
{
	geo_box box = geo_box_empty();
	geo_box_extend(&box, a);
	geo_box_extend(&box, b);
	return geo_box_contains(&box, p);
}

static int opposite(double u, double v)
{
	return (u > 0 && v < 0) || (u < 0 && v > 0);
}

/* A shared end is where arcs join; overlapping along a line, or the same
 * segment twice (two arcs simplified to one line), counts as crossing. */
int topo_segments_cross(geo_pt a, geo_pt b, geo_pt c, geo_pt d)
{
	int ac = same_pt(a, c), ad = same_pt(a, d);
	int bc = same_pt(b, c), bd = same_pt(b, d);
	if ((ac && bd) || (ad && bc))
		return 1;
	if (ac || ad || bc || bd) {
		geo_pt o = ac || ad ? a : b;          /* the shared end */
		geo_pt p = ac || ad ? b : a;          /* ab's other end */
		geo_pt q = ac || bc ? d : c;          /* cd's other end */
		if (orient(o, p, q) != 0)
			return 0;
		return (p.x - o.x) * (q.x - o.x) + (p.y - o.y) * (q.y - o.y) > 0;
	}
	double o1 = orient(a, b, c), o2 = orient(a, b, d);
	double o3 = orient(c, d, a), o4 = orient(c, d, b);
	if (opposite(o1, o2) && opposite(o3, o4))
		return 1;
	return (o1 == 0 && within(a, b, c)) || (o2 == 0 && within(a, b, d)) ||
	       (o3 == 0 && within(c, d, a)) || (o4 == 0 && within(c, d, b));
}

/* A uniform grid over the segments' boxes: only segments sharing a cell
 * are compared, so the work grows with the segments, not their square.
 *
 * That holds for coastlines and borders, whose segments are short and
 * spread out; a hostile basemap may have neither. Two bounds keep any
 * basemap from making the check run away: a segment is entered in every
 * cell its box covers, and the grid is made coarser until that comes to
 * at most GRID_ENTRIES per segment; and one repair, all its rounds
 * together, compares at most MAX_PAIRS pairs of segments (thousands of
 * segments in one cell), past which it stops and keeps its best round
 * (TOO_DENSE). */
#define GRID_SIDE_MAX 1024 /* cells a side at most: about sqrt(n) */
#define GRID_ENTRIES 16
#define MAX_PAIRS 30000000ull
#define TOO_DENSE SIZE_MAX

typedef struct grid {
	double x0, y0, cw, ch;
	size_t nx, ny;
	size_t *start;  /* cell c holds entry[start[c] .. start[c + 1]) */
	size_t *entry;  /* segment indices */
} grid;

static void cell_span(const grid *g, double lo, double hi, int axis,
		      size_t *c0, size_t *c1)
{
	double o = axis ? g->y0 : g->x0, w = axis ? g->ch : g->cw;
	size_t n = axis ? g->ny : g->nx;
	double a = (lo - o) / w, b = (hi - o) / w;
	*c0 = a <= 0 ? 0 : a >= (double)(n - 1) ? n - 1 : (size_t)a;
	*c1 = b <= 0 ? 0 : b >= (double)(n - 1) ? n - 1 : (size_t)b;
}

/* The cells segment s's box covers: columns x[0..1], rows y[0..1]. */
static void seg_span(const grid *g, const topo *t, const seg *s, size_t *x,
		     size_t *y)
{
	geo_pt a = t->pt[s->a], b = t->pt[s->b];
	cell_span(g, fmin(a.x, b.x), fmax(a.x, b.x), 0, &x[0], &x[1]);
	cell_span(g, fmin(a.y, b.y), fmax(a.y, b.y), 1, &y[0], &y[1]);
}

/* Grid entries for every segment at the grid's present size. */
static size_t grid_entries(const grid *g, const topo *t, const seg *s, size_t n)
{
	size_t total = 0, x[2], y[2];
	for (size_t i = 0; i < n; i++) {
		seg_span(g, t, &s[i], x, y);
		total += (x[1] - x[0] + 1) * (y[1] - y[0] + 1);
	}
	return total;
}

static void grid_size(grid *g, size_t side)
{
	double x1 = g->x0 + g->cw * (double)g->nx, y1 = g->y0 + g->ch * (double)g->ny;
	g->nx = g->ny = side;
	g->cw = x1 > g->x0 ? (x1 - g->x0) / (double)side : 1;
	g->ch = y1 > g->y0 ? (y1 - g->y0) / (double)side : 1;
}

static void grid_build(grid *g, const topo *t, const seg *s, size_t n)
{
	geo_box box = geo_box_empty();
	for (size_t i = 0; i < n; i++)
		geo_box_extend(&box, t->pt[s[i].a]);
	size_t side = (size_t)sqrt((double)n) + 1;
	if (side > GRID_SIDE_MAX)
		side = GRID_SIDE_MAX;
	g->x0 = box.xmin;
	g->y0 = box.ymin;
	g->nx = g->ny = 1;
	g->cw = box.xmax > box.xmin ? geo_box_width(&box) : 1;
	g->ch = box.ymax > box.ymin ? geo_box_height(&box) : 1;
	grid_size(g, side);
	size_t total;
	while ((total = grid_entries(g, t, s, n)) > GRID_ENTRIES * n + 4096 && side > 1)
		grid_size(g, side /= 2);
	size_t ncells = side * side, x[2], y[2];
	g->start = xcalloc(ncells + 1, sizeof *g->start);
	for (size_t i = 0; i < n; i++) {
		seg_span(g, t, &s[i], x, y);
		for (size_t r = y[0]; r <= y[1]; r++)
			for (size_t c = x[0]; c <= x[1]; c++)
				g->start[r * side + c + 1]++;
	}
	for (size_t c = 0; c < ncells; c++)
		g->start[c + 1] += g->start[c];
	size_t *fill = xmalloc((ncells + 1) * sizeof *fill);
	memcpy(fill, g->start, (ncells + 1) * sizeof *fill);
	g->entry = xmalloc((total + 1) * sizeof *g->entry);
	for (size_t i = 0; i < n; i++) {
		seg_span(g, t, &s[i], x, y);
		for (size_t r = y[0]; r <= y[1]; r++)
			for (size_t c = x[0]; c <= x[1]; c++)
				g->entry[fill[r * side + c]++] = i;
	}
	free(fill);
}

static int adjacent(const seg *p, const seg *q)
{
	return p->arc == q->arc && (p->b == q->a || q->b == p->a);
}

/* Mark every segment that crosses another; returns how many, or
 * TOO_DENSE when *pairs, the comparisons of the repair so far, would pass
 * MAX_PAIRS. */
static size_t mark_crossings(const topo *t, const seg *s, size_t n,
			     unsigned char *bad, unsigned long long *pairs)
{
	grid g;
	size_t marked = 0;
	memset(bad, 0, n);
	if (n < 2)
		return 0;
	grid_build(&g, t, s, n);
	for (size_t c = 0; c < g.nx * g.ny; c++) {
		size_t k = g.start[c + 1] - g.start[c];
		*pairs += (unsigned long long)k * (k - (k > 0)) / 2;
		if (*pairs > MAX_PAIRS) {
			marked = TOO_DENSE;
			break;
		}
		for (size_t i = g.start[c]; i < g.start[c + 1]; i++) {
			const seg *p = &s[g.entry[i]];
			for (size_t j = i + 1; j < g.start[c + 1]; j++) {
				const seg *q = &s[g.entry[j]];
				if ((bad[g.entry[i]] && bad[g.entry[j]]) ||
				    adjacent(p, q))
					continue;
				if (!topo_segments_cross(t->pt[p->a], t->pt[p->b],
							 t->pt[q->a], t->pt[q->b]))
					continue;
				marked += !bad[g.entry[i]] + !bad[g.entry[j]];
				bad[g.entry[i]] = bad[g.entry[j]] = 1;
			}
		}
	}
	free(g.start);
	free(g.entry);
	return marked;
}

/* What the repair changed, so that rounds that made things worse can be
 * undone. */
typedef struct undo_log {
	size_t *v;
	double *old;
	size_t n, cap;
} undo_log;

/* Bring back the most important dropped vertex inside segment s. */
static int split_segment(topo *t, const seg *s, double T, undo_log *log)
{
	size_t best = 0;
	for (size_t v = s->a + 1; v < s->b; v++)
		if (!best || t->thr[v] > t->thr[best])
			best = v;
	if (!best)
		return 0;
	if (log->n == log->cap) {
		/* the two arrays share one capacity */
		size_t cap = log->cap;
		log->v = xgrow(log->v, &cap, log->n + 1, sizeof *log->v, 64);
		log->old = xreallocarray(log->old, cap, sizeof *log->old);
		log->cap = cap;
	}
	log->v[log->n] = best;
	log->old[log->n++] = t->thr[best];
	t->thr[best] = T;
	return 1;
}

/* Rounds without fewer crossings before the repair gives up. */
#define REPAIR_PATIENCE 3

/* Crossings the simplification made go away as vertices come back. Where
 * the data itself crosses (Natural Earth has a few such places) bringing
 * vertices back only shows the crossing in finer pieces: then the repair
 * stops and returns to the round with the fewest crossings. */
size_t topo_repair_crossings(topo *t, double T)
{
	seg *s = NULL;
	size_t cap = 0, best = SIZE_MAX, best_log = 0, stale = 0;
	unsigned char *bad = NULL;
	unsigned long long pairs = 0;
	undo_log log = {NULL, NULL, 0, 0};
	for (;;) {
		size_t n = kept_segments(t, T, &s, &cap), round = 0;
		bad = xrealloc(bad, xadd(n, 1));
		size_t marked = mark_crossings(t, s, n, bad, &pairs);
		if (marked == TOO_DENSE)
			break; /* keep the best round so far */
		if (marked < best) {
			best = marked;
			best_log = log.n;
			stale = 0;
		} else if (++stale >= REPAIR_PATIENCE) {
			break;
		}
		if (!marked)
			break;
		for (size_t i = 0; i < n; i++)
			if (bad[i])
				round += split_segment(t, &s[i], T, &log);
		if (!round)
			break; /* nothing left to bring back */
	}
	while (log.n > best_log) {
		log.n--;
		t->thr[log.v[log.n]] = log.old[log.n];
	}
	free(log.v);
	free(log.old);
	free(bad);
	free(s);
	return best_log;
}

int topo_simplify(topo *t, double share, double unit)
{
	int by_default = !(share > 0);
	if (by_default)
		share = TOPO_DEFAULT_SHARE;
	if (share > 1)
		share = 1;
	free(t->thr);
	t->thr = xmalloc((t->npt + 1) * sizeof *t->thr);
	t->rescued = t->repaired = 0;
	for (size_t a = 0; a < t->narc; a++)
		topo_visvalingam(t->pt + t->arc[a].first, t->arc[a].n,
				 t->thr + t->arc[a].first);
	double T = share_threshold(t, share);
	if (by_default)
		T = fmax(T, MIN_DETAIL_AREA * unit * unit);
	size_t *drop = NULL, cap = 0;
	keep_three(t, T, &drop, &cap);
	keep_largest(t, T, MIN_VISIBLE_AREA * unit * unit, &drop, &cap);
	free(drop);
	t->repaired = topo_repair_crossings(t, T);
	t->threshold = T;
	return 0;
}
