/* svg.c - the SVG map and locator maps, written with libxml2's
 * xmlTextWriter in the markup themes/README.md promises ("The map
 * markup"): sphere, graticule, one path per country, one link per marker.
 * It names what it draws by class and paints nothing: colours and strokes
 * are the theme's (assets/map.css), apart from each marker's fill, which
 * is its network's colour from the content.
 *
 * Geometry flows through small stages, d3-geo style: the kept vertices
 * of a ring (topology) -> the view transform (fit, flip y) -> a clip to
 * the frame (locator maps only) -> quantisation to a grid of 0.5 units ->
 * relative path commands between the quantised points. Every number is
 * written by fmt_tenths, never by printf, so the output does not depend
 * on the locale. */
#include "topo.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/chars.h"
#include "../util/order.h"
#include "cluster.h"
#include "shapes.h"

#define WORLD_W GEO_WORLD_UNITS /* the world map's viewBox width */
#define WORLD_PAD 1.0   /* room for the sphere's stroke */
#define LOCATOR_W 320.0 /* a locator map's viewBox width */
/* The faint graticule may be drawn coarser than coasts and borders. */
#define GRATICULE_COARSER 4.0

/* Markers. Sizes are viewBox units, assuming a viewBox shown at least as
 * many CSS px wide as it has units (the world map's 960 at >= 960 px, a
 * locator's 320 at >= 320 px): the hit circle is then >= 24 px across. */
#define HIT_R 12.0
#define NEAR 6.0       /* markers closer than this share one spot */
#define SPREAD_GAP 24.0 /* centre-to-centre gap of spread markers */

/* Locator framing, as shares of the world's projected width. */
#define MIN_SPAN 0.06   /* ~20 degrees: tiny countries show neighbours */
#define MARGIN 0.08     /* of the focus box's width (height), each side */
#define MAX_ASPECT 4.0  /* frames between 4:1 and 1:1 */
/* Context countries smaller than this (viewBox units, their larger side)
 * are left out of a locator map: under two pixels, they would cost bytes
 * (an id, a title) and show nothing. The focus country is always drawn. */
#define MIN_CONTEXT 1.5
/* A locator map must stay within this many bytes of markup. When one is
 * over (a big country framed with many neighbours), it is written again
 * with the context thinned harder, then without the context countries'
 * titles, then with the context as one path; only then is the focus
 * country thinned too. With the 1:110m data every country's locator map
 * fits with its context titles (Russia, the largest, in 7.7 KB). */
#define LOCATOR_BUDGET 8000
static const struct attempt {
	double coarser;     /* context threshold over the focus threshold */
	double focus;       /* focus threshold over its usual */
	int context_titles; /* context paths get a <title> */
	int merge_context;  /* all context countries in one path */
} attempts[] = {
	{4, 1, 1, 0}, {16, 1, 1, 0}, {16, 1, 0, 0}, {64, 1, 0, 0},
	{64, 1, 0, 1}, {256, 4, 0, 1}, {1024, 16, 0, 1},
};
#define NATTEMPTS (sizeof attempts / sizeof attempts[0])

/* ---- numbers --------------------------------------------------------------- */

/* q tenths as the shortest decimal: 15 "1.5", -3 "-.3" (or "-0.3" with
 * lead_zero, for attributes), 20 "2". Returns the length. */
static size_t fmt_tenths(char *s, long long q, int lead_zero)
{
	char digits[24];
	size_t len = 0, n = 0;
	unsigned long long u = q < 0 ? 0ULL - (unsigned long long)q
				     : (unsigned long long)q;
	unsigned long long whole = u / 10, tenth = u % 10;
	if (q < 0)
		s[len++] = '-';
	do
		digits[n++] = (char)('0' + whole % 10);
	while (whole /= 10);
	if (n > 1 || digits[0] != '0' || !tenth || lead_zero)
		while (n)
			s[len++] = digits[--n];
	if (tenth) {
		s[len++] = '.';
		s[len++] = (char)('0' + tenth);
	}
	s[len] = '\0';
	return len;
}

static long long quantise(double v)
{
	return geo_round(v * 10);
}

/* Path vertices snap to a coarser grid: PATH_GRID tenths of a unit. On
 * the grid of half units a vertex moves a quarter unit at most, under half
 * a pixel on a 1600 px wide world map, and the numbers are short ("2.5",
 * "-3"): the paths gzip 20% smaller than on a grid of tenths, which pays
 * for a quarter more vertices within the same budget. */
#define PATH_GRID 5

static long long quantise_path(double v)
{
	return geo_round(v * 10 / PATH_GRID) * PATH_GRID;
}

/* ---- the view: projected units to viewBox units --------------------------- */

typedef struct view {
	double x0, y1;  /* projected left and top edges */
	double s;       /* viewBox units per projected unit */
	double w, h;    /* viewBox size */
	int clip;       /* clip rings to the view (locator maps) */
} view;

static geo_pt to_view(const view *v, geo_pt p)
{
	return (geo_pt){(p.x - v->x0) * v->s, (v->y1 - p.y) * v->s};
}

/* The world's outline fills the width; y is flipped (SVG's y is down). */
static void world_view(const struct geo_map *m, view *v)
{
	double w = geo_box_width(&m->sbox), h = geo_box_height(&m->sbox);
	v->s = (WORLD_W - 2 * WORLD_PAD) / w;
	v->w = WORLD_W;
	v->h = ceil(h * v->s + 2 * WORLD_PAD);
	v->x0 = m->sbox.xmin - WORLD_PAD / v->s;
	v->y1 = m->sbox.ymax + (v->h - h * v->s) / 2 / v->s;
	v->clip = 0;
}

geo_pt svg_world_point(const struct geo_map *m, geo_pt p)
{
	view v;
	world_view(m, &v);
	return to_view(&v, p);
}

void svg_world_snap(const struct geo_map *m, topo_snap *snap)
{
	view v;
	world_view(m, &v);
	snap->x0 = v.x0;
	snap->y1 = v.y1;
	snap->s = v.s;
	snap->step = PATH_GRID / 10.0;
}

/* ---- scratch space, one per call (nothing shared between threads) ------ */

typedef struct scratch {
	geo_pt *pts, *v, *a, *b;  /* ring points; in view units; clipping */
	size_t pcap, vcap, acap, bcap;
	long long *q;             /* quantised coordinates */
	size_t qcap;
	buf_t d;                  /* path data */
} scratch;

static void grow_pts(geo_pt **p, size_t *cap, size_t n)
{
	if (n <= *cap)
		return;
	*cap = xmul(n, 2);
	*p = xreallocarray(*p, *cap, sizeof **p);
}

static void scratch_free(scratch *s)
{
	FREE_ALL(s->pts, s->v, s->a, s->b, s->q);
	buf_free(&s->d);
}

/* ---- clipping (Sutherland-Hodgman against the view plus a margin) ----- */

static size_t clip_edge(const geo_pt *in, size_t n, geo_pt *out, int axis,
			double lim, int below)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		geo_pt p = in[(i + n - 1) % n], c = in[i];
		double pc = axis ? p.y : p.x, cc = axis ? c.y : c.x;
		int pin = below ? pc <= lim : pc >= lim;
		int cin = below ? cc <= lim : cc >= lim;
		if (pin != cin) {
			double t = (lim - pc) / (cc - pc);
			geo_pt x = {p.x + t * (c.x - p.x), p.y + t * (c.y - p.y)};
			if (axis)
				x.y = lim;
			else
				x.x = lim;
			out[k++] = x;
		}
		if (cin)
			out[k++] = c;
	}
	return k;
}

/* Clip ring p (view units) to the view; returns the points (in a scratch
 * buffer or p itself) and their count in *n. */
static const geo_pt *clip_ring(scratch *s, const view *v, geo_pt *p,
			       size_t *n)
{
	const double m = 2; /* clipped edges stay outside the visible frame */
	const geo_box frame = {-m, -m, v->w + m, v->h + m};
	geo_box box = geo_box_empty();
	geo_box_extend_pts(&box, p, *n);
	if (geo_box_holds(&frame, &box))
		return p;
	if (!geo_box_meets(&box, &frame)) {
		*n = 0;
		return p;
	}
	/* each edge can add at most one point per point it is given */
	grow_pts(&s->a, &s->acap, 2 * *n + 8);
	grow_pts(&s->b, &s->bcap, 4 * *n + 16);
	size_t k = clip_edge(p, *n, s->a, 0, -m, 0);
	grow_pts(&s->b, &s->bcap, 2 * k + 8);
	k = clip_edge(s->a, k, s->b, 0, v->w + m, 1);
	grow_pts(&s->a, &s->acap, 2 * k + 8);
	k = clip_edge(s->b, k, s->a, 1, -m, 0);
	grow_pts(&s->b, &s->bcap, 2 * k + 8);
	k = clip_edge(s->a, k, s->b, 1, v->h + m, 1);
	*n = k;
	return s->b;
}

/* ---- path data --------------------------------------------------------------- */

typedef struct pathw {
	buf_t *d;
	long long cx, cy;  /* the current point, tenths */
	int started;
} pathw;

/* A number after another needs a space unless it starts with a minus. */
static void put_num(pathw *w, long long q, int sep)
{
	char s[32];
	size_t n = fmt_tenths(s, q, 0);
	if (sep && s[0] != '-')
		buf_putc(w->d, ' ');
	buf_put(w->d, s, n);
}

/* Quantise, drop repeated points; returns how many distinct remain. */
static size_t quantise_points(scratch *s, const geo_pt *p, size_t n,
			      int closed)
{
	size_t m = 0;
	if (s->qcap < xadd(xmul(n, 2), 2)) {
		s->qcap = xadd(xmul(n, 4), 4);
		s->q = xreallocarray(s->q, s->qcap, sizeof *s->q);
	}
	for (size_t i = 0; i < n; i++) {
		long long x = quantise_path(p[i].x), y = quantise_path(p[i].y);
		if (m && s->q[2 * m - 2] == x && s->q[2 * m - 1] == y)
			continue;
		s->q[2 * m] = x;
		s->q[2 * m + 1] = y;
		m++;
	}
	while (closed && m > 1 && s->q[2 * m - 2] == s->q[0] &&
	       s->q[2 * m - 1] == s->q[1])
		m--;
	return m;
}

/* Append one ring (closed) or line to the path: a move (absolute for the
 * first, relative after), then relative line steps between quantised
 * points, so the deltas add up exactly. 1 if anything was written. */
static int path_add(pathw *w, scratch *s, const geo_pt *p, size_t n,
		    int closed)
{
	size_t m = quantise_points(s, p, n, closed);
	const long long *q = s->q;
	if (m < (closed ? 3u : 2u))
		return 0;
	if (!w->started) {
		buf_putc(w->d, 'M');
		put_num(w, q[0], 0);
		put_num(w, q[1], 1);
		buf_putc(w->d, 'l');
	} else {
		/* after m, further pairs are relative line steps */
		buf_putc(w->d, 'm');
		put_num(w, q[0] - w->cx, 0);
		put_num(w, q[1] - w->cy, 1);
	}
	for (size_t i = 1; i < m; i++) {
		put_num(w, q[2 * i] - q[2 * i - 2], w->started || i > 1);
		put_num(w, q[2 * i + 1] - q[2 * i - 1], 1);
	}
	if (closed) {
		buf_putc(w->d, 'z');
		w->cx = q[0];
		w->cy = q[1];
	} else {
		w->cx = q[2 * m - 2];
		w->cy = q[2 * m - 1];
	}
	w->started = 1;
	return 1;
}

/* A ring or line in projected units through view, clip and path. */
static int path_add_projected(pathw *w, scratch *s, const view *v,
			      const geo_pt *p, size_t n, int closed)
{
	grow_pts(&s->v, &s->vcap, n + 1);
	for (size_t i = 0; i < n; i++)
		s->v[i] = to_view(v, p[i]);
	size_t k = n;
	const geo_pt *c = v->clip && closed ? clip_ring(s, v, s->v, &k) : s->v;
	return path_add(w, s, c, k, closed);
}

/* A densified line (sphere, graticule) thinned at threshold T, given its
 * points' thresholds (map.c computes them once). */
static size_t thin_line(const geo_pt *p, const double *thr, size_t n,
			double T, geo_pt *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (thr[i] >= T)
			out[k++] = p[i];
	return k;
}

/* ---- the XML writer, with its first error remembered ------------------- */

typedef struct xw {
	xmlTextWriterPtr w;
	int failed;
} xw;

static void x_start(xw *x, const char *name)
{
	if (!x->failed && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->failed = 1;
}

static void x_end(xw *x)
{
	if (!x->failed && xmlTextWriterEndElement(x->w) < 0)
		x->failed = 1;
}

/* Text from the basemap's .dbf or the records may hold characters XML
 * 1.0 forbids even escaped (util/chars.h): they are left out, so the map
 * stays well-formed whatever it is given. */
static void x_attr(xw *x, const char *name, const char *value)
{
	char *clean = chars_strip_unsafe(value);
	if (!x->failed &&
	    xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
					BAD_CAST(clean ? clean : value)) < 0)
		x->failed = 1;
	free(clean);
}

/* <path class="cls" d="d"/>: a path that needs no other attribute. */
static void write_path(xw *x, const char *cls, buf_t *d)
{
	x_start(x, "path");
	x_attr(x, "class", cls);
	x_attr(x, "d", buf_cstr(d));
	x_end(x);
}

static void x_attr_num(xw *x, const char *name, long long tenths)
{
	char s[32];
	fmt_tenths(s, tenths, 1);
	x_attr(x, name, s);
}

static void x_text_element(xw *x, const char *name, const char *id,
			   const char *text)
{
	x_start(x, name);
	if (id)
		x_attr(x, "id", id);
	char *clean = text ? chars_strip_unsafe(text) : NULL;
	if (!x->failed &&
	    xmlTextWriterWriteString(x->w, BAD_CAST(clean ? clean : text ? text : "")) < 0)
		x->failed = 1;
	free(clean);
	x_end(x);
}

/* ---- what a drawing keeps --------------------------------------------------- */

typedef struct frame {
	view v;
	int focus;            /* feature drawn as the focus, or -1 */
	topo_level level;     /* which vertices each arc keeps */
	double *arc_level;    /* per arc, for locator maps */
	double fine;          /* the focus country's threshold */
	int context_titles;   /* context paths get a <title> */
	int merge_context;    /* all context countries in one path */
	double line_level;    /* sphere and graticule */
	geo_box box;          /* projected frame (locator maps) */
} frame;

/* ---- the pieces of the map ----------------------------------------------- */

static void write_sphere(xw *x, const struct geo_map *m, const frame *fr,
			 scratch *s)
{
	pathw w = {&s->d, 0, 0, 0};
	geo_pt *kept = xmalloc((m->sphere.n + 1) * sizeof *kept);
	size_t n = thin_line(m->sphere.p, m->sphere_thr, m->sphere.n,
			     fr->line_level, kept);
	buf_reset(&s->d);
	path_add_projected(&w, s, &fr->v, kept, n, 1);
	free(kept);
	write_path(x, "sphere", &s->d);
}

static void write_graticule(xw *x, const struct geo_map *m, const frame *fr,
			    scratch *s)
{
	pathw w = {&s->d, 0, 0, 0};
	buf_reset(&s->d);
	for (size_t i = 0; i < m->ngrat; i++) {
		geo_pt *kept = xmalloc((m->grat[i].n + 1) * sizeof *kept);
		size_t n = thin_line(m->grat[i].p, m->grat_thr[i], m->grat[i].n,
				     fr->line_level * GRATICULE_COARSER, kept);
		path_add_projected(&w, s, &fr->v, kept, n, 0);
		free(kept);
	}
	write_path(x, "graticule", &s->d);
}

static void reverse_pts(geo_pt *p, size_t n)
{
	for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
		geo_pt tmp = p[i];
		p[i] = p[j - 1];
		p[j - 1] = tmp;
	}
}

/* Append feature f's rings to the path; 1 if any ring was drawn. Some
 * rings run backwards (m->flips), so that neighbours write their borders
 * alike; the evenodd fill rule makes that safe. */
static int feature_path(const struct geo_map *m, const frame *fr, size_t f,
			pathw *w, scratch *s)
{
	const topo *t = &m->topo;
	const topo_feature *feat = &t->feat[f];
	int any = 0;
	for (size_t r = feat->first; r < feat->first + feat->n; r++) {
		size_t n = topo_ring_points(t, r, &fr->level, &s->pts, &s->pcap);
		if (m->flips && m->flips[r])
			reverse_pts(s->pts, n);
		any |= path_add_projected(w, s, &fr->v, s->pts, n, 1);
	}
	return any;
}

/* A locator map's context: the countries other than the focus whose box
 * meets the frame and which are big enough to see. */
static int is_context(const struct geo_map *m, const frame *fr, size_t f)
{
	const geo_box *b = &m->fbox[f];
	return (int)f != fr->focus && geo_box_meets(b, &fr->box) &&
	       fmax(geo_box_width(b), geo_box_height(b)) * fr->v.s >= MIN_CONTEXT;
}

static void write_country(xw *x, const struct geo_map *m, const frame *fr,
			  const geo_svg_options *o, size_t f, scratch *s)
{
	const char *prefix = o->id_prefix ? o->id_prefix : "";
	const char *code = m->lonlat.f[f].code;
	int locator = fr->v.clip, focus = (int)f == fr->focus;
	pathw w = {&s->d, 0, 0, 0};
	buf_reset(&s->d);
	if (!feature_path(m, fr, f, &w, s) && locator && !focus)
		return; /* clipped away */
	char *id = code ? xasprintf("%scountry-%s", prefix, code)
			: xasprintf("%scountry-%zu", prefix, f);
	char *cls = xasprintf("country%s%s",
			      o->has_partners && o->has_partners[f] ? " has-partners" : "",
			      !locator ? "" : focus ? " focus" : " context");
	x_start(x, "path");
	x_attr(x, "id", id);
	x_attr(x, "class", cls);
	x_attr(x, "d", buf_cstr(&s->d));
	if (!locator || focus || fr->context_titles)
		x_text_element(x, "title", NULL,
			       o->names && o->names[f] ? o->names[f] :
			       m->lonlat.f[f].name);
	x_end(x);
	free(cls);
	free(id);
}

/* Every context country in one path: the last resort of a locator map
 * over budget. It looks the same (each ring is filled and outlined) but
 * names no country. */
static void write_merged_context(xw *x, const struct geo_map *m,
				 const frame *fr, scratch *s)
{
	pathw w = {&s->d, 0, 0, 0};
	buf_reset(&s->d);
	for (size_t f = 0; f < m->topo.nfeat; f++)
		if (is_context(m, fr, f))
			feature_path(m, fr, f, &w, s);
	if (!w.started)
		return;
	write_path(x, "country context", &s->d);
}

/* Countries in layer order; on a locator map the focus comes last, so
 * that its outline is drawn over its neighbours'. */
static void write_countries(xw *x, const struct geo_map *m, const frame *fr,
			    const geo_svg_options *o, scratch *s)
{
	int locator = fr->v.clip;
	x_start(x, "g");
	x_attr(x, "class", "countries");
	/* geometry, not style: some rings run backwards (feature_path) */
	x_attr(x, "fill-rule", "evenodd");
	if (locator && fr->merge_context)
		write_merged_context(x, m, fr, s);
	for (size_t f = 0; f < m->topo.nfeat && !x->failed; f++)
		if (!locator || (!fr->merge_context && is_context(m, fr, f)))
			write_country(x, m, fr, o, f, s);
	if (locator && fr->focus >= 0)
		write_country(x, m, fr, o, (size_t)fr->focus, s);
	x_end(x);
}

/* ---- markers ------------------------------------------------------------------ */

typedef struct mpos {
	double x, y;        /* true point, view units */
	long long cx, cy;   /* its NEAR-sized grid cell */
	size_t i;           /* marker index */
	size_t at;          /* its own index among the placed markers */
} mpos;

/* ---- grouping: markers that share a spot -------------------------------- */

/* Anchors (the first marker of each group) by grid cell: an open hash
 * from a cell to the newest anchor in it; older ones follow `next`. */
typedef struct anchors {
	long long *cell;  /* 2 per slot: cx, cy */
	size_t *head;     /* per slot: anchor + 1, 0 = empty slot */
	size_t *next;     /* per marker: the next anchor in its cell, + 1 */
	size_t mask;
} anchors;

static size_t cell_slot(const anchors *an, long long cx, long long cy)
{
	uint64_t h = (uint64_t)cx * 0x9e3779b97f4a7c15ULL ^
		     (uint64_t)cy * 0xc2b2ae3d27d4eb4fULL;
	size_t i = (size_t)(h ^ (h >> 29)) & an->mask;
	while (an->head[i] && (an->cell[2 * i] != cx || an->cell[2 * i + 1] != cy))
		i = (i + 1) & an->mask;
	return i;
}

/* The anchor nearest to p within NEAR, or SIZE_MAX. */
static size_t near_anchor(const anchors *an, const mpos *pos, const mpos *p)
{
	size_t best = SIZE_MAX;
	double best_d = NEAR * NEAR;
	for (long long dx = -1; dx <= 1; dx++) {
		for (long long dy = -1; dy <= 1; dy++) {
			size_t i = cell_slot(an, p->cx + dx, p->cy + dy);
			for (size_t a = an->head[i]; a; a = an->next[a - 1]) {
				double ex = pos[a - 1].x - p->x, ey = pos[a - 1].y - p->y;
				double d = ex * ex + ey * ey;
				if (d <= best_d) {
					best_d = d;
					best = a - 1;
				}
			}
		}
	}
	return best;
}


/* group[k] = the anchor of placed marker k. In slug order, each marker
 * joins the group whose anchor lies within NEAR of it, or anchors a new
 * one. Measuring from anchors, not from any member, keeps a dense region
 * from chaining into one big group. */
static void group_markers(const geo_marker *mk, const mpos *pos, size_t n,
			  size_t *group)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap <<= 1;
	anchors an = {xmalloc(2 * cap * sizeof(long long)),
		      xcalloc(cap, sizeof(size_t)),
		      xmalloc((n + 1) * sizeof(size_t)), cap - 1};
	named_at *order = xmalloc((n + 1) * sizeof *order);
	for (size_t k = 0; k < n; k++) {
		order[k].name = mk[pos[k].i].slug ? mk[pos[k].i].slug : "";
		order[k].at = k;
	}
	named_at_sort(order, n, 0);
	for (size_t j = 0; j < n; j++) {
		size_t k = order[j].at, a = near_anchor(&an, pos, &pos[k]);
		if (a != SIZE_MAX) {
			group[k] = a;
			continue;
		}
		group[k] = k;
		size_t i = cell_slot(&an, pos[k].cx, pos[k].cy);
		an.cell[2 * i] = pos[k].cx;
		an.cell[2 * i + 1] = pos[k].cy;
		an.next[k] = an.head[i];
		an.head[i] = k + 1;
	}
	free(order);
	free(an.cell);
	free(an.head);
	free(an.next);
}

typedef struct slot {
	const char *slug;
	size_t i;           /* its index among the placed markers */
	size_t root;        /* its group */
} slot;

static int slot_cmp(const void *a, const void *b)
{
	const slot *p = a, *q = b;
	if (p->root != q->root)
		return p->root < q->root ? -1 : 1;
	int c = strcmp(p->slug, q->slug);
	return c ? c : (p->i < q->i ? -1 : p->i > q->i);
}

/* Where marker k of a group of n sits, around the group's centre: one
 * circle for up to 12 (gap SPREAD_GAP between neighbours), then a
 * sunflower spiral of the same spacing. */
static void spread_offset(size_t k, size_t n, double *dx, double *dy)
{
	const double pi = M_PI;
	double r, a;
	if (n <= 12) {
		r = SPREAD_GAP / (2 * sin(pi / (double)n));
		a = -pi / 2 + 2 * pi * (double)k / (double)n;
	} else {
		r = 13.5 * sqrt((double)k + 0.5);
		a = (double)k * 2.39996322972865332;
	}
	*dx = r * cos(a);
	*dy = r * sin(a);
}

/* Each marker's body offset from its true point (tenths), spreading
 * groups around their mean point, members in slug order. */
static void spread_markers(const geo_marker *mk, const mpos *pos, size_t n,
			   long long *off)
{
	size_t *group = xmalloc((n + 1) * sizeof *group);
	slot *sl = xmalloc((n + 1) * sizeof *sl);
	group_markers(mk, pos, n, group);
	for (size_t k = 0; k < n; k++) {
		sl[k].i = k;
		sl[k].slug = mk[pos[k].i].slug ? mk[pos[k].i].slug : "";
		sl[k].root = group[k];
	}
	qsort(sl, n, sizeof *sl, slot_cmp);
	for (size_t a = 0, b; a < n; a = b) {
		double cx = 0, cy = 0;
		for (b = a; b < n && sl[b].root == sl[a].root; b++) {
			cx += pos[sl[b].i].x;
			cy += pos[sl[b].i].y;
		}
		size_t size = b - a;
		cx /= (double)size;
		cy /= (double)size;
		for (size_t k = a; k < b; k++) {
			size_t i = sl[k].i;
			double dx = 0, dy = 0;
			if (size > 1)
				spread_offset(k - a, size, &dx, &dy);
			off[2 * i] = size > 1 ? quantise(cx + dx - pos[i].x) : 0;
			off[2 * i + 1] = size > 1 ? quantise(cy + dy - pos[i].y) : 0;
		}
	}
	free(sl);
	free(group);
}

static void first_word(buf_t *b, const char *s)
{
	const char *e;
	if (!s)
		return;
	while (*s == ' ')
		s++;
	for (e = s; *e && *e != ' '; e++)
		;
	buf_put(b, s, (size_t)(e - s));
}

/* Open the group that places a marker's body at (qx, qy), in tenths. */
static void start_pos(xw *x, long long qx, long long qy, scratch *s)
{
	char a[32], b[32];
	fmt_tenths(a, qx, 1);
	fmt_tenths(b, qy, 1);
	buf_reset(&s->d);
	buf_printf(&s->d, "translate(%s %s)", a, b);
	x_start(x, "g");
	x_attr(x, "class", "marker-pos");
	x_attr(x, "transform", buf_cstr(&s->d));
}

/* A marker's class into s->d: base, then net-<its first network>. */
static const char *marker_class(scratch *s, const char *base,
				const char *networks)
{
	buf_reset(&s->d);
	buf_puts(&s->d, base);
	if (networks && *networks) {
		buf_puts(&s->d, " net-");
		first_word(&s->d, networks);
	}
	return buf_cstr(&s->d);
}

/* Open <g class="marker-pos" transform="translate(x y)"> and the
 * <g class="marker-body"> in it, at (qx, qy) tenths: two x_end close them. */
/* Marker i of mk as drawn: mk[i] itself, or (o->marker_texts) a copy in
 * *tmp given its texts, which marker_put frees. */
static const geo_marker *marker_get(const geo_svg_options *o,
				    const geo_marker *mk, size_t i,
				    geo_marker *tmp)
{
	if (!o->marker_texts)
		return &mk[i];
	*tmp = mk[i];
	o->marker_texts(o->texts_arg, tmp);
	return tmp;
}

static void marker_put(const geo_svg_options *o, geo_marker *tmp)
{
	if (!o->marker_texts)
		return;
	FREE_ALL((char *)tmp->href, (char *)tmp->label,
		 (char *)tmp->networks, (char *)tmp->exchanges);
}

static void start_marker_body(xw *x, long long qx, long long qy, scratch *s)
{
	start_pos(x, qx, qy, s);
	x_start(x, "g");
	x_attr(x, "class", "marker-body");
}

static void write_marker(xw *x, const geo_marker *mk, const mpos *p,
			 const long long *off, const char *prefix,
			 scratch *s)
{
	long long qx = quantise(p->x), qy = quantise(p->y);
	long long dx = off[0], dy = off[1];
	const geo_shape *sh = geo_shape_pick(mk->shape);
	const char *slug = mk->slug ? mk->slug : "";
	const char *label = mk->label ? mk->label : slug;
	char *id = xasprintf("%smarker-%s", prefix, slug);
	x_start(x, "a");
	x_attr(x, "class", marker_class(s, "marker", mk->networks));
	x_attr(x, "id", id);
	if (mk->href)
		x_attr(x, "href", mk->href);
	x_attr(x, "data-slug", slug);
	x_attr(x, "data-networks", mk->networks ? mk->networks : "");
	x_attr(x, "data-exchanges", mk->exchanges ? mk->exchanges : "");
	x_attr_num(x, "data-x", qx);
	x_attr_num(x, "data-y", qy);
	x_attr(x, "aria-label", label);
	free(id);
	x_text_element(x, "title", NULL, label);

	start_marker_body(x, qx, qy, s);
	if (dx || dy) {
		x_start(x, "line");
		x_attr(x, "class", "marker-leader");
		x_attr(x, "x1", "0");
		x_attr(x, "y1", "0");
		x_attr_num(x, "x2", dx);
		x_attr_num(x, "y2", dy);
		x_end(x);
	}
	x_start(x, "circle");
	x_attr(x, "class", "marker-hit");
	if (dx || dy) {
		x_attr_num(x, "cx", dx);
		x_attr_num(x, "cy", dy);
	}
	x_attr_num(x, "r", (long long)(HIT_R * 10));
	x_end(x);

	buf_reset(&s->d);
	buf_printf(&s->d, "marker-shape shape-%s", sh->name);
	x_start(x, "path");
	x_attr(x, "class", buf_cstr(&s->d));
	/* The network's colour is content, not theme: a presentation
	 * attribute, which any CSS rule for fill overrides. */
	if (mk->colour && *mk->colour)
		x_attr(x, "fill", mk->colour);
	pathw w = {&s->d, 0, 0, 0};
	buf_reset(&s->d);
	buf_putc(&s->d, 'M');
	put_num(&w, dx + sh->x, 0);
	put_num(&w, dy + sh->y, 1);
	buf_puts(&s->d, sh->rest);
	x_attr(x, "d", buf_cstr(&s->d));
	x_end(x);
	x_end(x); /* marker-body */
	x_end(x); /* marker-pos */
	x_end(x); /* a */
}

/* A cluster's disc grows with the digits of its count: 12 units for up
 * to 9 partners, 3 more per power of ten (27 for 100,000). Tenths. */
static long long cluster_radius(size_t count)
{
	long long r = (long long)(HIT_R * 10);
	for (size_t c = count; c >= 10; c /= 10)
		r += 30;
	return r;
}

/* The disc and the number on it that every gathered marker draws: a
 * circle of class disc_class and radius r (tenths of a unit, as
 * x_attr_num takes it), filled with fill when that is set and not empty,
 * and the text count centred on it. A painted count (painted != 0) sets
 * its own size, weight and colours as presentation attributes (the
 * theme's CSS overrides them, .cluster-count); an unpainted one is
 * hidden from assistive technology, which reads the marker's label. */
static void write_disc_count(xw *x, const char *disc_class, const char *fill,
			     long long r, const char *count, int painted)
{
	x_start(x, "circle");
	x_attr(x, "class", disc_class);
	if (fill && *fill)
		x_attr(x, "fill", fill);
	x_attr_num(x, "r", r);
	x_end(x);
	size_t len = strlen(count);
	x_start(x, "text");
	x_attr(x, "class", "cluster-count");
	x_attr(x, "text-anchor", "middle");
	x_attr(x, "dy", ".35em");
	if (painted) {
		x_attr(x, "font-size",
		       len <= 2 ? "9" : len <= 3 ? "8" : "6.5");
		x_attr(x, "font-weight", "700");
		x_attr(x, "fill", "#fff");
		x_attr(x, "stroke", "#102a43");
		x_attr(x, "stroke-width", "2");
		x_attr(x, "paint-order", "stroke");
	} else {
		x_attr(x, "aria-hidden", "true");
	}
	if (!x->failed && xmlTextWriterWriteString(x->w, BAD_CAST count) < 0)
		x->failed = 1;
	x_end(x);
}

/* A cluster (mk->count > 1): a link to the page listing its partners,
 * a disc and the count on it. */
static void write_cluster(xw *x, const geo_marker *mk, const mpos *p,
			  const long long *off, const char *prefix,
			  scratch *s)
{
	long long qx = quantise(p->x), qy = quantise(p->y);
	const char *key = mk->slug ? mk->slug : "";
	char *id = xasprintf("%scluster-%s", prefix, key);
	x_start(x, "a");
	x_attr(x, "class", "cluster");
	x_attr(x, "id", id);
	free(id);
	if (mk->href)
		x_attr(x, "href", mk->href);
	x_attr(x, "data-key", key);
	char n[32];
	snprintf(n, sizeof n, "%zu", mk->count);
	x_attr(x, "data-count", n);
	x_attr_num(x, "data-x", qx);
	x_attr_num(x, "data-y", qy);
	x_attr(x, "aria-label", mk->label ? mk->label : key);
	x_text_element(x, "title", NULL, mk->label ? mk->label : key);
	start_marker_body(x, qx + off[0], qy + off[1], s);
	write_disc_count(x, "cluster-disc", NULL, cluster_radius(mk->count),
			 n, 0);
	x_end(x); /* marker-body */
	x_end(x); /* marker-pos */
	x_end(x); /* a */
}

/* A count marker: the disc of the first member's network, the number of
 * markers it stands for, and a label naming them (geo_svg_options). It
 * is no link: the page lists every member. The count's colours are
 * presentation attributes, which the theme's CSS overrides
 * (.cluster-count). */
static void write_count_marker(xw *x, const geo_marker *mk, const geo_cluster *c,
			  const size_t *members, const geo_svg_options *o,
			  scratch *s)
{
	geo_marker tmp;
	const geo_marker *first = marker_get(o, mk, members[0], &tmp);
	char *label = NULL, *count = NULL;
	o->cluster_text(o->cluster_arg, first, c->count, &label, &count);
	long long qx = quantise(c->x), qy = quantise(c->y);
	x_start(x, "g");
	x_attr(x, "class", marker_class(s, "marker-cluster", first->networks));
	x_attr(x, "role", "img");
	x_attr(x, "aria-label", label);
	x_attr_num(x, "data-count", (long long)c->count * 10);
	x_attr_num(x, "data-x", qx);
	x_attr_num(x, "data-y", qy);
	x_text_element(x, "title", NULL, label);
	start_pos(x, qx, qy, s);
	/* 8 units for two markers, growing with the count's digits, at
	 * most the hit circle's 12 */
	double r = fmin(HIT_R, 7.4 + 2 * log10((double)c->count));
	write_disc_count(x, "marker-shape cluster-disc", first->colour,
			 quantise(r), count, 1);
	x_end(x); /* marker-pos */
	x_end(x); /* g */
	free(label);
	free(count);
	marker_put(o, &tmp);
}

/* The placed markers pos[0..m) clustered by cell (geo_svg_options):
 * each cluster of one as its marker, the others as count markers. */
static void write_clustered(xw *x, const geo_marker *mk, const mpos *pos,
			    size_t m, const geo_svg_options *o,
			    const char *prefix, scratch *s)
{
	geo_pt *at = xmalloc((m + 1) * sizeof *at);
	for (size_t k = 0; k < m; k++)
		at[k] = (geo_pt){pos[k].x, pos[k].y};
	geo_clusters cl;
	geo_cluster_grid(at, m, o->cluster_cell, &cl);
	size_t *members = xmalloc((m + 1) * sizeof *members);
	static const long long still[2] = {0, 0};
	for (size_t c = 0; c < cl.n && !x->failed; c++) {
		const geo_cluster *g = &cl.v[c];
		for (size_t j = 0; j < g->count; j++)
			members[j] = pos[cl.members[g->first + j]].i;
		if (g->count == 1) {
			geo_marker tmp;
			write_marker(x, marker_get(o, mk, members[0], &tmp),
				     &pos[cl.members[g->first]], still, prefix, s);
			marker_put(o, &tmp);
		} else
			write_count_marker(x, mk, g, members, o, s);
	}
	free(members);
	geo_clusters_free(&cl);
	free(at);
}

static void write_markers(xw *x, const geo_marker *mk, const geo_pt *pts,
			  size_t n, const view *v, const geo_svg_options *o,
			  const char *prefix, scratch *s)
{
	mpos *pos = xmalloc((n + 1) * sizeof *pos);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(pts[i].x) || !isfinite(pts[i].y))
			continue; /* PROJ could not place it */
		geo_pt p = to_view(v, pts[i]);
		pos[m] = (mpos){p.x, p.y, geo_round(floor(p.x / NEAR)),
				geo_round(floor(p.y / NEAR)), i, m};
		m++;
	}
	x_start(x, "g");
	x_attr(x, "class", "markers");
	if (o->cluster_over && m > o->cluster_over && o->cluster_text) {
		write_clustered(x, mk, pos, m, o, prefix, s);
	} else {
		long long *off = xmalloc((2 * m + 2) * sizeof *off);
		spread_markers(mk, pos, m, off);
		for (size_t k = 0; k < m && !x->failed; k++) {
			geo_marker tmp;
			const geo_marker *g = marker_get(o, mk, pos[k].i, &tmp);
			(g->count > 1 ? write_cluster : write_marker)
				(x, g, &pos[k], off + 2 * k, prefix, s);
			marker_put(o, &tmp);
		}
		free(off);
	}
	x_end(x);
	free(pos);
}

/* ---- framing --------------------------------------------------------------- */

static void world_frame(const struct geo_map *m, frame *fr)
{
	world_view(m, &fr->v);
	fr->focus = -1;
	fr->context_titles = 1;
	fr->level = (topo_level){m->topo.threshold, NULL};
	fr->line_level = m->topo.threshold;
}

/* The centre of a span of width w moved to lie within [lo, hi] when the
 * span fits there. */
static double fit_span(double c, double w, double lo, double hi)
{
	if (w >= hi - lo)
		return (lo + hi) / 2;
	if (c - w / 2 < lo)
		return lo + w / 2;
	if (c + w / 2 > hi)
		return hi - w / 2;
	return c;
}

/* A locator map: the focus box with a margin, at least MIN_SPAN of the
 * world wide, between MAX_ASPECT:1 and 1:1; borders thinned for its
 * scale, those of the focus country finer than the others. */
static void locator_frame(const struct geo_map *m, const geo_box *focus_box,
			  int focus, frame *fr)
{
	double world_w = geo_box_width(&m->sbox);
	double w = geo_box_width(focus_box), h = geo_box_height(focus_box);
	double cx = (focus_box->xmin + focus_box->xmax) / 2;
	double cy = (focus_box->ymin + focus_box->ymax) / 2;
	w = fmax(w * (1 + 2 * MARGIN), MIN_SPAN * world_w);
	h = fmax(h * (1 + 2 * MARGIN), MIN_SPAN * world_w / 2);
	if (h > w)
		w = h;
	if (h < w / MAX_ASPECT)
		h = w / MAX_ASPECT;
	view world;
	world_view(m, &world);
	/* keep inside the world's box where it fits: no frame over the pole */
	cx = fit_span(cx, w, m->sbox.xmin, m->sbox.xmax);
	cy = fit_span(cy, h, m->sbox.ymin, m->sbox.ymax);
	fr->v.s = LOCATOR_W / w;
	fr->v.w = LOCATOR_W;
	fr->v.h = ceil(h * fr->v.s);
	h = fr->v.h / fr->v.s;
	fr->v.x0 = cx - w / 2;
	fr->v.y1 = cy + h / 2;
	fr->v.clip = 1;
	fr->box = (geo_box){cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
	fr->focus = focus;

	/* the same look per CSS px as the world map: areas scale with the
	 * square of the zoom */
	double zoom = fr->v.s / world.s;
	fr->fine = m->topo.threshold / (zoom * zoom);
	fr->line_level = fr->fine;
	fr->arc_level = xmalloc((m->topo.narc + 1) * sizeof *fr->arc_level);
}

/* Thresholds per arc: the focus country's borders at fr->fine, the rest
 * `coarser` times that. */
static void locator_levels(const struct geo_map *m, frame *fr,
			   const struct attempt *at)
{
	const topo *t = &m->topo;
	for (size_t a = 0; a < t->narc; a++) {
		int mine = fr->focus >= 0 && (t->arc[a].feat[0] == fr->focus ||
					      t->arc[a].feat[1] == fr->focus);
		/* Never coarser than the world map, whose vertices were
		 * chosen so that no two lines cross. */
		fr->arc_level[a] = fmin(fr->fine * (mine ? at->focus : at->coarser),
					t->threshold);
	}
	fr->level = (topo_level){fr->fine, fr->arc_level};
	fr->context_titles = at->context_titles;
	fr->merge_context = at->merge_context;
}

/* ---- the whole map ---------------------------------------------------------- */

static void write_root(xw *x, const frame *fr, const geo_svg_options *o,
		       const char *prefix)
{
	char w[32], h[32], *box, *ids, *tid, *did;
	fmt_tenths(w, quantise(fr->v.w), 1);
	fmt_tenths(h, quantise(fr->v.h), 1);
	box = xasprintf("0 0 %s %s", w, h);
	tid = xasprintf("%smap-title", prefix);
	did = xasprintf("%smap-desc", prefix);
	ids = xasprintf("%s %s", tid, did);
	x_start(x, "svg");
	x_attr(x, "xmlns", "http://www.w3.org/2000/svg");
	x_attr(x, "class", "pm-map");
	x_attr(x, "viewBox", box);
	x_attr(x, "role", "graphics-document");
	x_attr(x, "aria-labelledby", ids);
	x_text_element(x, "title", tid, o->title);
	x_text_element(x, "desc", did, o->desc);
	if (o->style && *o->style)
		x_text_element(x, "style", NULL, o->style);
	free(box);
	free(ids);
	free(tid);
	free(did);
}

/* What one map is drawn from: the pieces below write parts of it. */
typedef struct svg_job {
	const struct geo_map *m;
	const geo_marker *mk;
	const geo_pt *pts;
	size_t n;
	const geo_svg_options *o;
	const frame *fr;
	scratch *s;
} svg_job;

static const char *job_prefix(const svg_job *j)
{
	return j->o->id_prefix ? j->o->id_prefix : "";
}

/* The <svg> start tag with its title, description and style, left open. */
static void piece_head(xw *x, const svg_job *j)
{
	write_root(x, j->fr, j->o, job_prefix(j));
}

/* The geography: sphere, graticule (world maps) and countries. */
static void piece_body(xw *x, const svg_job *j)
{
	write_sphere(x, j->m, j->fr, j->s);
	if (!j->fr->v.clip && j->m->ngrat)
		write_graticule(x, j->m, j->fr, j->s);
	write_countries(x, j->m, j->fr, j->o, j->s);
}

static void piece_markers(xw *x, const svg_job *j)
{
	write_markers(x, j->mk, j->pts, j->n, &j->fr->v, j->o, job_prefix(j), j->s);
}

typedef void (*piece_fn)(xw *x, const svg_job *j);

static int writer_open(xw *x, xmlBufferPtr *xb)
{
	*xb = xmlBufferCreate();
	x->w = *xb ? xmlNewTextWriterMemory(*xb, 0) : NULL;
	x->failed = !x->w;
	return x->failed ? -1 : 0;
}

/* Flush the writer and append what it wrote to out; frees both. */
static int writer_close(xw *x, xmlBufferPtr xb, buf_t *out)
{
	if (!x->failed && xmlTextWriterFlush(x->w) < 0)
		x->failed = 1;
	if (!x->failed)
		buf_put(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	if (x->w)
		xmlFreeTextWriter(x->w);
	if (xb)
		xmlBufferFree(xb);
	return x->failed ? -1 : 0;
}

/* The markup of the given pieces, in order, written as one document
 * (with the XML declaration when standalone) and closed. */
static int write_svg(const svg_job *j, buf_t *out)
{
	static const piece_fn pieces[] = {piece_head, piece_body, piece_markers};
	xmlBufferPtr xb;
	xw x;
	writer_open(&x, &xb);
	if (!x.failed && j->o->standalone &&
	    xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL) < 0)
		x.failed = 1;
	for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++)
		pieces[k](&x, j);
	x_end(&x); /* svg */
	if (!x.failed && j->o->standalone && xmlTextWriterEndDocument(x.w) < 0)
		x.failed = 1;
	return writer_close(&x, xb, out);
}

/* One piece alone, in a writer of its own: the same bytes it has inside
 * the whole map (no indentation, no declaration), so pieces can be
 * joined, and kept. An element the piece leaves open stays open. */
static int write_piece(const svg_job *j, piece_fn fn, buf_t *out)
{
	xmlBufferPtr xb;
	xw x;
	writer_open(&x, &xb);
	fn(&x, j);
	return writer_close(&x, xb, out);
}

/* ---- locator maps and their cache --------------------------------------- */

/* The geography of a locator map framed on one feature at one attempt
 * depends on nothing else but the id prefix and has_partners, which the
 * cache takes from its first use: a call with others draws afresh. */
typedef struct cache_entry {
	char *body;   /* piece_body's bytes, or NULL until drawn */
	size_t len;
} cache_entry;

struct geo_svg_cache {
	pthread_mutex_t lock;
	size_t nfeat;
	cache_entry *e;  /* nfeat * NATTEMPTS */
	int bound;       /* prefix and has_partners are set */
	char *prefix;
	const unsigned char *has_partners;
};

geo_svg_cache *geo_svg_cache_new(const struct geo_map *m)
{
	geo_svg_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->nfeat = m->topo.nfeat;
	c->e = xcalloc(xmul(c->nfeat ? c->nfeat : 1, NATTEMPTS), sizeof *c->e);
	return c;
}

void geo_svg_cache_free(geo_svg_cache *c)
{
	if (!c)
		return;
	for (size_t k = 0; k < c->nfeat * NATTEMPTS; k++)
		free(c->e[k].body);
	free(c->e);
	free(c->prefix);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The cache entry for this map, or NULL when the cache cannot serve it
 * (no cache, no focus feature, or another prefix or has_partners). */
static cache_entry *cache_slot(geo_svg_cache *c, const svg_job *j, size_t attempt)
{
	if (!c || j->fr->focus < 0 || (size_t)j->fr->focus >= c->nfeat)
		return NULL;
	const char *prefix = job_prefix(j);
	cache_entry *e = NULL;
	pthread_mutex_lock(&c->lock);
	if (!c->bound) {
		c->bound = 1;
		c->prefix = xstrdup(prefix);
		c->has_partners = j->o->has_partners;
	}
	if (!strcmp(c->prefix, prefix) && c->has_partners == j->o->has_partners)
		e = &c->e[(size_t)j->fr->focus * NATTEMPTS + attempt];
	pthread_mutex_unlock(&c->lock);
	return e;
}

/* Append the geography at attempt k to out: from the cache when it holds
 * it, else drawn (and kept). The thresholds are set only when drawing. */
static int locator_body(const svg_job *j, frame *fr, size_t k, buf_t *out)
{
	geo_svg_cache *c = j->o->cache;
	cache_entry *e = cache_slot(c, j, k);
	if (e) {
		pthread_mutex_lock(&c->lock);
		int hit = e->body != NULL;
		if (hit)
			buf_put(out, e->body, e->len);
		pthread_mutex_unlock(&c->lock);
		if (hit)
			return 0;
	}
	locator_levels(j->m, fr, &attempts[k]);
	size_t from = out->len;
	if (write_piece(j, piece_body, out) < 0)
		return -1;
	if (e) {
		pthread_mutex_lock(&c->lock);
		if (!e->body) { /* another thread may have drawn it meanwhile */
			e->len = out->len - from;
			e->body = xmalloc(e->len + 1);
			memcpy(e->body, out->ptr + from, e->len);
		}
		pthread_mutex_unlock(&c->lock);
	}
	return 0;
}

#define SVG_END "</svg>"

/* A locator map, its geography drawn again less detailed while the whole
 * is over budget. The head and the markers do not change between
 * attempts: each is written once, and the map is their join. */
static int write_locator(const svg_job *j, frame *fr, buf_t *out)
{
	buf_t head = BUF_INIT, marks = BUF_INIT, body = BUF_INIT;
	int rc = write_piece(j, piece_head, &head);
	if (rc == 0)
		rc = write_piece(j, piece_markers, &marks);
	for (size_t k = 0; rc == 0 && k < NATTEMPTS; k++) {
		buf_reset(&body);
		rc = locator_body(j, fr, k, &body);
		if (head.len + body.len + marks.len + strlen(SVG_END) <= LOCATOR_BUDGET)
			break;
	}
	if (rc == 0) {
		buf_put(out, head.ptr, head.len);
		buf_put(out, body.ptr, body.len);
		buf_put(out, marks.ptr, marks.len);
		buf_puts(out, SVG_END);
	}
	buf_free(&head);
	buf_free(&marks);
	buf_free(&body);
	return rc;
}

void svg_init(void)
{
	xmlInitParser();
}

int svg_write_map(const struct geo_map *m, const geo_marker *mk,
		  const geo_pt *pts, size_t n, const geo_svg_options *o,
		  const geo_pt *focus_pt, buf_t *out)
{
	frame fr;
	scratch s;
	int rc;
	memset(&fr, 0, sizeof fr);
	memset(&s, 0, sizeof s);
	if (o->focus >= 0 && (size_t)o->focus >= m->topo.nfeat)
		return -1;
	svg_job j = {m, mk, pts, n, o, &fr, &s};
	if (o->focus >= 0 && isfinite(m->fmain[o->focus].xmin)) {
		locator_frame(m, &m->fmain[o->focus], o->focus, &fr);
		rc = write_locator(&j, &fr, out);
	} else if (o->focus < 0 && o->use_point && focus_pt &&
		   isfinite(focus_pt->x) && isfinite(focus_pt->y)) {
		geo_box box = {focus_pt->x, focus_pt->y, focus_pt->x, focus_pt->y};
		locator_frame(m, &box, -1, &fr);
		rc = write_locator(&j, &fr, out);
	} else {
		world_frame(m, &fr);
		rc = write_svg(&j, out);
	}
	free(fr.arc_level);
	scratch_free(&s);
	return rc;
}
