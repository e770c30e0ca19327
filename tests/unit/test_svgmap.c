/* test_svgmap.c - the SVG map as themes/README.md promises it: well-formed,
 * one path per country and one link per marker with its data attributes,
 * within the size budgets, and with borders that neighbours share vertex
 * for vertex. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basemap.h"
#include "svgfix.h"
#include "check.h"
#include "gzsize.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "geo/map.h"
#include "geo/shapes.h"

#define NMARKERS 64

/* ---- fixtures ----------------------------------------------------------------- */

typedef struct fixture {
	geo_map *map; /* first: svgfix.h loads and frees it */
	geo_marker mk[NMARKERS];
	char slug[NMARKERS][32], href[NMARKERS][64], label[NMARKERS][128];
} fixture;

static const char *const first_words[] = {
	"Makerere", "Mbarara", "Chulalongkorn", "Mahidol", "Gadjah Mada",
	"Airlangga", "Nairobi", "Muhimbili", "Lund", "Karolinska", "Kobe",
	"Monash", "McGill", "Dalhousie", "Sao Paulo", "Cape Town"};
static const char *const kinds[] = {
	"University College of Health Sciences", "Faculty of Medicine",
	"School of Medicine", "Medical University", "Institute of Health"};
static const char *const networks[] = {
	"global", "africa global", "sea global", "africa", "sea", "global sea"};

/* 64 partners: some share a city (every fourth sits where the one before
 * it does), spread over the inhabited latitudes. A small LCG keeps them
 * the same on every run. */
static void make_markers(fixture *fx)
{
	uint32_t seed = 20240501;
	double lat = 0, lon = 0;
	for (int i = 0; i < NMARKERS; i++) {
		seed = seed * 1664525u + 1013904223u;
		if (i % 4 != 3) {
			lat = -38 + (double)(seed >> 8 & 0xffff) / 65535.0 * 96;
			seed = seed * 1664525u + 1013904223u;
			lon = -125 + (double)(seed >> 8 & 0xffff) / 65535.0 * 280;
		}
		snprintf(fx->slug[i], sizeof fx->slug[i], "partner-%02d", i);
		snprintf(fx->href[i], sizeof fx->href[i],
			 "institutions/partner-%02d/", i);
		snprintf(fx->label[i], sizeof fx->label[i], "%s %s, City %d, Country %d",
			 first_words[i % 16], kinds[i % 5], i / 2, i / 3);
		fx->mk[i] = (geo_marker){
			.slug = fx->slug[i], .href = fx->href[i],
			.label = fx->label[i], .networks = networks[i % 6],
			.exchanges = i % 3 ? "undergraduate postgraduate"
					   : "postgraduate",
			.colour = i % 2 ? "#1f77b4" : "#d62728",
			.shape = i % (int)geo_shape_count(),
			.at = {.lon = lon, .lat = lat}};
	}
}

static int setup(void **state)
{
	fixture *fx;
	int rc = svgfix_setup(state, sizeof *fx, 0);
	if (rc || !(fx = *state))
		return rc;
	make_markers(fx);
	return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

/* The gzip size of p[0..n), which zlib must manage. */
static size_t gzipped(const char *p, size_t n)
{
	size_t size = gzip_size(p, n);
	assert_int_not_equal(size, 0);
	return size;
}

static geo_svg_options world_opts(void)
{
	return (geo_svg_options){
		.title = "Partner institutions of the exchange network",
		.desc = "A world map with one marker for each partner institution.",
		.id_prefix = "", .standalone = 1, .focus = -1};
}

static char *prop(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, BAD_CAST name);
}

static int is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static int has_class(xmlNodePtr n, const char *cls)
{
	char *c = prop(n, "class");
	int found = 0;
	size_t len = strlen(cls);
	for (const char *s = c; s && *s;) {
		const char *e = strchr(s, ' ');
		size_t k = e ? (size_t)(e - s) : strlen(s);
		if (k == len && !strncmp(s, cls, len))
			found = 1;
		s = e ? e + 1 : s + k;
	}
	xmlFree(c);
	return found;
}

static xmlNodePtr child_g(xmlNodePtr parent, const char *cls)
{
	for (xmlNodePtr n = parent->children; n; n = n->next)
		if (is(n, "g") && has_class(n, cls))
			return n;
	return NULL;
}

static char *title_of(xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (is(c, "title"))
			return (char *)xmlNodeGetContent(c);
	return NULL;
}

/* Element n has attribute name with the value want; prints what it has
 * when not. */
#define assert_attr(n, name, want) \
	check_attr((n), (name), (want), __FILE__, __LINE__)

static void check_attr(xmlNodePtr n, const char *name, const char *want,
		       const char *file, int line)
{
	char *v = prop(n, name);
	int ok = v && !strcmp(v, want);
	if (!ok)
		print_error("<%s> has %s=\"%s\", expected \"%s\"\n", n->name,
			    name, v ? v : "(none)", want);
	xmlFree(v);
	if (!ok)
		_fail(file, line);
}

/* Element n has cls among its classes; prints its classes when not. */
#define assert_class(n, cls) check_class((n), (cls), __FILE__, __LINE__)

static void check_class(xmlNodePtr n, const char *cls, const char *file,
			int line)
{
	if (has_class(n, cls))
		return;
	char *c = prop(n, "class");
	print_error("<%s class=\"%s\"> lacks the class %s\n", n->name,
		    c ? c : "", cls);
	xmlFree(c);
	_fail(file, line);
}

/* ---- path data ---------------------------------------------------------------- */

typedef struct qpt {
	long long x, y; /* tenths of a unit */
} qpt;

typedef struct rings {
	qpt *p;
	size_t n, cap;
	size_t *start; /* ring k is p[start[k] .. start[k+1]) */
	size_t nr;
} rings;

static void rings_push(rings *r, long long x, long long y)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->p = realloc(r->p, r->cap * sizeof *r->p);
	}
	r->p[r->n++] = (qpt){x, y};
}

/* A number of the path, in tenths; it must have at most one decimal. */
static long long tenths(const char **s)
{
	const char *p = *s;
	int neg = *p == '-';
	long long whole = 0, frac = 0;
	p += neg;
	if (!(*p >= '0' && *p <= '9') && *p != '.')
		fail_msg("bad number in path data at \"%.12s\"", *s);
	while (*p >= '0' && *p <= '9')
		whole = whole * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			fail_msg("bad decimal at \"%.12s\"", *s);
		frac = *p++ - '0';
		if (*p >= '0' && *p <= '9')
			fail_msg("more than one decimal at \"%.12s\"", *s);
	}
	*s = p;
	return (neg ? -1 : 1) * (whole * 10 + frac);
}

static void skip_sep(const char **s)
{
	while (**s == ' ' || **s == ',')
		(*s)++;
}

/* Decode M/m/l/h/v/z path data into absolute rings, checking that no
 * step is zero-length. */
static void decode_path(const char *d, rings *r)
{
	long long x = 0, y = 0, sx = 0, sy = 0;
	char cmd = 0;
	memset(r, 0, sizeof *r);
	r->start = malloc(sizeof *r->start);
	r->start[0] = 0;
	for (const char *s = d; *s;) {
		skip_sep(&s);
		if (!*s)
			break;
		if (strchr("MmLlHhVvZz", *s)) {
			cmd = *s++;
			if (cmd == 'z' || cmd == 'Z') {
				x = sx;
				y = sy;
				r->start = realloc(r->start, (r->nr + 2) * sizeof *r->start);
				r->start[++r->nr] = r->n;
			}
			continue;
		}
		long long a = tenths(&s), b = 0;
		if (cmd != 'h' && cmd != 'v' && cmd != 'H' && cmd != 'V') {
			skip_sep(&s);
			b = tenths(&s);
		}
		switch (cmd) {
		case 'M': x = a; y = b; sx = x; sy = y; cmd = 'L'; break;
		case 'm': x += a; y += b; sx = x; sy = y; cmd = 'l'; break;
		case 'L': x = a; y = b; break;
		case 'l':
			if (!a && !b)
				fail_msg("zero-length step in path data");
			x += a;
			y += b;
			break;
		case 'h': x += a; break;
		case 'v': y += a; break;
		default: fail_msg("unexpected path command %c", cmd);
		}
		rings_push(r, x, y);
	}
}

static void rings_free(rings *r)
{
	free(r->p);
	free(r->start);
}

static int qsame(qpt a, qpt b)
{
	return a.x == b.x && a.y == b.y;
}

static int in_rings(const rings *r, qpt p)
{
	for (size_t i = 0; i < r->n; i++)
		if (qsame(r->p[i], p))
			return 1;
	return 0;
}

/* The longest run of consecutive vertices of ring set a (within one ring,
 * cyclically) that are all vertices of b; its length, copied to run. */
static size_t shared_run(const rings *a, const rings *b, qpt *run)
{
	size_t best = 0;
	for (size_t k = 0; k < a->nr; k++) {
		size_t s = a->start[k], n = a->start[k + 1] - s;
		for (size_t i = 0; i < n; i++) {
			if (!in_rings(b, a->p[s + i]) ||
			    in_rings(b, a->p[s + (i + n - 1) % n]))
				continue; /* start only where a run begins */
			size_t len = 0;
			while (len < n && in_rings(b, a->p[s + (i + len) % n]))
				len++;
			if (len > best) {
				best = len;
				for (size_t j = 0; j < len; j++)
					run[j] = a->p[s + (i + j) % n];
			}
		}
	}
	return best;
}

/* Does ring set b hold run as consecutive vertices, one way round or the
 * other? (Rings may be written either way: the map fills evenodd.) */
static int has_run(const rings *b, const qpt *run, size_t len)
{
	for (size_t k = 0; k < b->nr; k++) {
		size_t s = b->start[k], n = b->start[k + 1] - s;
		for (size_t i = 0; i < n; i++) {
			size_t fw = 0, bw = 0;
			while (fw < len && qsame(b->p[s + (i + fw) % n], run[fw]))
				fw++;
			while (bw < len && qsame(b->p[s + (i + bw) % n], run[len - 1 - bw]))
				bw++;
			if (fw == len || bw == len)
				return 1;
		}
	}
	return 0;
}

static char *path_d(xmlDocPtr doc, const char *id)
{
	xmlNodePtr g = child_g(xmlDocGetRootElement(doc), "countries");
	assert_non_null(g);
	for (xmlNodePtr n = g->children; n; n = n->next) {
		char *v = prop(n, "id");
		int hit = v && !strcmp(v, id);
		xmlFree(v);
		if (hit)
			return prop(n, "d");
	}
	fail_msg("no path with id %s", id);
	return NULL;
}

/* The border of two neighbours, decoded from their paths: at least
 * `least` vertices of one, consecutive, are consecutive in the other. */
static size_t check_border(xmlDocPtr doc, const char *id_a, const char *id_b,
			   size_t least)
{
	char *da = path_d(doc, id_a), *db = path_d(doc, id_b);
	rings a, b;
	decode_path(da, &a);
	decode_path(db, &b);
	qpt *run = malloc((a.n + 1) * sizeof *run);
	size_t len = shared_run(&a, &b, run);
	printf("%s / %s: %zu shared border vertices\n", id_a, id_b, len);
	assert_ge(len, least);
	if (!has_run(&b, run, len))
		fail_msg("%s's %zu border vertices do not follow each other in %s",
			 id_a, len, id_b);
	free(run);
	rings_free(&a);
	rings_free(&b);
	xmlFree(da);
	xmlFree(db);
	return len;
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_world_countries(void **state)
{
	FIXTURE(state);
	geo_svg_options o = world_opts();
	size_t n = geo_map_count(fx->map);
	unsigned char *partners = calloc(n, 1);
	int uga = geo_map_find(fx->map, "UGA");
	assert_ge(uga, 0);
	partners[uga] = 1;
	o.has_partners = partners;
	buf_t b = BUF_INIT;
	assert_int_equal(geo_map_svg(fx->map, NULL, 0, &o, &b), 0);
	size_t gz = gzipped(b.ptr, b.len);
	printf("world map, countries only: %zu bytes, %zu gzipped\n", b.len, gz);
	assert_le(gz, 12 * 1000);
	assert_starts_with(b.ptr, "<?xml");

	xmlDocPtr doc = svgfix_parse(&b);
	xmlNodePtr svg = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)svg->name, "svg");
	assert_class(svg, "pm-map");
	assert_attr(svg, "role", "graphics-document");
	assert_attr(svg, "aria-labelledby", "map-title map-desc");
	assert_non_null(svg->ns);
	assert_string_equal((const char *)svg->ns->href,
			    "http://www.w3.org/2000/svg");
	char *vb = prop(svg, "viewBox");
	assert_starts_with(vb, "0 0 960 ");
	xmlFree(vb);

	/* every feature once, with its id, class and title */
	unsigned *seen = calloc(n, sizeof *seen);
	xmlNodePtr g = child_g(svg, "countries");
	assert_non_null(g);
	size_t paths = 0;
	for (xmlNodePtr p = g->children; p; p = p->next) {
		if (!is(p, "path"))
			continue;
		paths++;
		char *id = prop(p, "id");
		for (size_t f = 0; f < n; f++) {
			const char *code = geo_map_code(fx->map, f);
			char want[64];
			if (code)
				snprintf(want, sizeof want, "country-%s", code);
			else
				snprintf(want, sizeof want, "country-%zu", f);
			if (strcmp(id, want))
				continue;
			seen[f]++;
			char *d = prop(p, "d");
			rings r;
			size_t most = 0;
			decode_path(d, &r);
			for (size_t k = 0; k < r.nr; k++)
				if (r.start[k + 1] - r.start[k] > most)
					most = r.start[k + 1] - r.start[k];
			if (most < 3)
				fail_msg("%s is drawn without a ring", want);
			rings_free(&r);
			xmlFree(d);
			char *t = title_of(p);
			assert_string_equal(t, geo_map_name(fx->map, f));
			xmlFree(t);
			assert_class(p, "country");
			assert_int_equal(has_class(p, "has-partners"), (int)f == uga);
		}
		xmlFree(id);
	}
	assert_int_equal(paths, n);
	for (size_t f = 0; f < n; f++)
		if (seen[f] != 1)
			fail_msg("feature %zu (%s) appears %u times", f,
				 geo_map_name(fx->map, f), seen[f]);
	printf("world map: %zu country paths, one per feature\n", paths);

	/* neighbours share their border vertex for vertex */
	check_border(doc, "country-UGA", "country-KEN", 3);
	check_border(doc, "country-RUS", "country-KAZ", 8);
	check_border(doc, "country-USA", "country-MEX", 5);
	xmlFreeDoc(doc);
	free(seen);
	free(partners);
	buf_free(&b);
}

static void test_world_markers(void **state)
{
	FIXTURE(state);
	geo_svg_options o = world_opts();
	buf_t b = BUF_INIT;
	assert_int_equal(geo_map_svg(fx->map, fx->mk, NMARKERS, &o, &b), 0);
	size_t gz = gzipped(b.ptr, b.len);
	printf("world map with %d markers: %zu bytes, %zu gzipped\n", NMARKERS,
	       b.len, gz);
	assert_le(gz, 16 * 1000);

	xmlDocPtr doc = svgfix_parse(&b);
	xmlNodePtr g = child_g(xmlDocGetRootElement(doc), "markers");
	assert_non_null(g);
	unsigned seen[NMARKERS] = {0};
	size_t spread = 0;
	for (xmlNodePtr a = g->children; a; a = a->next) {
		if (!is(a, "a"))
			continue;
		char *id = prop(a, "id");
		int i = -1;
		for (int k = 0; k < NMARKERS; k++) {
			char want[64];
			snprintf(want, sizeof want, "marker-%s", fx->slug[k]);
			if (!strcmp(id, want))
				i = k;
		}
		xmlFree(id);
		assert_ge(i, 0);
		seen[i]++;
		const geo_marker *m = &fx->mk[i];
		char cls[64];
		snprintf(cls, sizeof cls, "net-%.*s",
			 (int)strcspn(m->networks, " "), m->networks);
		assert_class(a, "marker");
		assert_class(a, cls);
		assert_attr(a, "href", m->href);
		assert_attr(a, "data-slug", m->slug);
		assert_attr(a, "data-networks", m->networks);
		assert_attr(a, "data-exchanges", m->exchanges);
		assert_attr(a, "aria-label", m->label);
		char *t = title_of(a);
		assert_string_equal(t, m->label);
		xmlFree(t);
		char *dx = prop(a, "data-x"), *dy = prop(a, "data-y");
		double x = atof(dx), y = atof(dy);
		assert_gt(x, 0);
		assert_lt(x, 960);
		assert_gt(y, 0);
		assert_lt(y, 480);

		/* marker-pos at data-x/y; body with hit circle and shape */
		xmlNodePtr pos = child_g(a, "marker-pos");
		assert_non_null(pos);
		char want[80];
		snprintf(want, sizeof want, "translate(%s %s)", dx, dy);
		assert_attr(pos, "transform", want);
		xmlFree(dx);
		xmlFree(dy);
		xmlNodePtr body = child_g(pos, "marker-body");
		assert_non_null(body);
		int hit = 0, shape = 0, leader = 0;
		for (xmlNodePtr c = body->children; c; c = c->next) {
			if (is(c, "circle") && has_class(c, "marker-hit")) {
				char *r = prop(c, "r");
				assert_ge(atof(r), 12); /* 24 px at 960 px */
				xmlFree(r);
				hit++;
			}
			if (is(c, "path") && has_class(c, "marker-shape")) {
				/* the table's shape: its class, its outline */
				const geo_shape *sh = geo_shape_pick(m->shape);
				char want_cls[40];
				snprintf(want_cls, sizeof want_cls, "shape-%s", sh->name);
				assert_class(c, want_cls);
				char *d = prop(c, "d");
				size_t dn = strlen(d), rn = strlen(sh->rest);
				assert_true(dn > rn && !strcmp(d + dn - rn, sh->rest));
				xmlFree(d);
				assert_attr(c, "fill", m->colour);
				shape++;
			}
			leader += is(c, "line") && has_class(c, "marker-leader");
		}
		assert_int_equal(hit, 1);
		assert_int_equal(shape, 1);
		spread += leader;
	}
	for (int k = 0; k < NMARKERS; k++)
		if (seen[k] != 1)
			fail_msg("marker %s appears %u times", fx->slug[k], seen[k]);
	/* every fourth partner shares its city: those pairs are spread */
	printf("markers: %d, %zu spread around a shared spot\n", NMARKERS, spread);
	assert_ge(spread, NMARKERS / 4 * 2);
	xmlFreeDoc(doc);
	buf_free(&b);
}

/* Same-place markers are spread apart, in slug order, whatever order
 * they come in. */
static void test_spread_deterministic(void **state)
{
	FIXTURE(state);
	geo_marker m[3];
	const char *slugs[3] = {"c-three", "a-one", "b-two"};
	for (int i = 0; i < 3; i++)
		m[i] = (geo_marker){.slug = slugs[i], .href = "x/", .label = slugs[i],
				    .networks = "global", .exchanges = "",
				    .colour = "#000000", .shape = 0,
				    .at = {.lon = 32.5825, .lat = 0.3476}};
	geo_svg_options o = world_opts();
	o.standalone = 0;
	buf_t one = BUF_INIT, two = BUF_INIT;
	assert_int_equal(geo_map_svg(fx->map, m, 3, &o, &one), 0);
	geo_marker r[3] = {m[2], m[0], m[1]};
	assert_int_equal(geo_map_svg(fx->map, r, 3, &o, &two), 0);
	/* the same body offsets for each slug either way */
	for (int i = 0; i < 3; i++) {
		char key[64];
		snprintf(key, sizeof key, "id=\"marker-%s\"", slugs[i]);
		const char *p1 = strstr(one.ptr, key), *p2 = strstr(two.ptr, key);
		assert_non_null(p1);
		assert_non_null(p2);
		const char *c1 = strstr(p1, "marker-hit"), *c2 = strstr(p2, "marker-hit");
		assert_non_null(c1);
		assert_non_null(c2);
		char *s1 = strndup(c1, 60), *s2 = strndup(c2, 60);
		assert_string_equal(s1, s2);
		free(s1);
		free(s2);
	}
	/* three distinct spots */
	assert_contains(one.ptr, "marker-leader");
	assert_not_contains(one.ptr, "<?xml");
	assert_contains(one.ptr, "xmlns=\"http://www.w3.org/2000/svg\"");
	buf_free(&one);
	buf_free(&two);
}

static void test_locators(void **state)
{
	FIXTURE(state);
	static const char *const codes[] = {"RUS", "CAN", "USA", "BRA", "FRA",
					    "UGA", "FJI", NULL};
	for (int k = 0; k < 8; k++) {
		geo_svg_options o = {
			.title = "Location of the institution on a map",
			.desc = "A map of the country and its neighbours with a "
				"marker where the institution is.",
			.id_prefix = "loc-", .standalone = 0, .focus = -1};
		geo_marker m = fx->mk[0];
		if (codes[k]) {
			o.focus = geo_map_find(fx->map, codes[k]);
			assert_ge(o.focus, 0);
		} else {
			/* Singapore: not in the 1:110m data, framed by its point */
			o.use_point = 1;
			o.focus_lat = 1.2966;
			o.focus_lon = 103.7764;
			m.at = (geo_lonlat){.lon = o.focus_lon,
					    .lat = o.focus_lat};
		}
		buf_t b = BUF_INIT;
		assert_int_equal(geo_map_svg(fx->map, &m, 1, &o, &b), 0);
		printf("locator map %s: %zu bytes\n", codes[k] ? codes[k] : "SGP (point)",
		       b.len);
		assert_le(b.len, 8 * 1000);
		assert_not_contains(b.ptr, "class=\"graticule\"");
		assert_not_contains(b.ptr, "<?xml");

		xmlDocPtr doc = svgfix_parse(&b);
		xmlNodePtr svg = xmlDocGetRootElement(doc);
		assert_attr(svg, "aria-labelledby", "loc-map-title loc-map-desc");
		xmlNodePtr g = child_g(svg, "countries");
		size_t focus = 0, context = 0;
		for (xmlNodePtr p = g->children; p; p = p->next) {
			if (!is(p, "path"))
				continue;
			char *id = prop(p, "id");
			assert_starts_with(id, "loc-country-");
			if (has_class(p, "focus")) {
				focus++;
				assert_string_equal(id + 12, codes[k]);
			} else {
				assert_class(p, "context");
				context++;
			}
			xmlFree(id);
		}
		assert_int_equal(focus, codes[k] ? 1 : 0);
		assert_ge(context, codes[k] && !strcmp(codes[k], "FJI") ? 0 : 2);
		char want[64];
		snprintf(want, sizeof want, "loc-marker-%s", m.slug);
		assert_contains(b.ptr, want);
		if (codes[k] && !strcmp(codes[k], "UGA"))
			check_border(doc, "loc-country-UGA", "loc-country-KEN", 5);
		xmlFreeDoc(doc);
		buf_free(&b);
	}
}

/* Draw a locator map framed on feature f with n markers through cache
 * (may be NULL) with the id prefix given. */
static void locator_svg(const fixture *fx, int f, size_t n, const char *prefix,
			geo_svg_cache *cache, buf_t *out)
{
	geo_svg_options o = {.title = "A title", .desc = "A description",
			     .id_prefix = prefix, .focus = f, .cache = cache};
	buf_reset(out);
	assert_int_equal(geo_map_svg(fx->map, fx->mk, n, &o, out), 0);
}

static void assert_same_bytes(const buf_t *a, const buf_t *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->ptr, b->ptr, a->len);
}

/* A locator map drawn through the cache, when it draws the geography and
 * when it reuses it, is byte for byte the map drawn without it: for every
 * country, with one marker and with enough markers to go over the byte
 * budget (the geography is then drawn at several levels of detail). A
 * call with another id prefix is drawn afresh, and right. */
static void test_locator_cache(void **state)
{
	FIXTURE(state);
	geo_svg_cache *cache = geo_svg_cache_new(fx->map);
	buf_t plain = BUF_INIT, cached = BUF_INIT;
	size_t counts[] = {1, NMARKERS};
	for (size_t f = 0; f < geo_map_count(fx->map); f++)
		for (size_t k = 0; k < 2; k++) {
			locator_svg(fx, (int)f, counts[k], "loc-", NULL, &plain);
			for (int again = 0; again < 2; again++) {
				locator_svg(fx, (int)f, counts[k], "loc-", cache, &cached);
				assert_same_bytes(&plain, &cached);
			}
		}
	int rus = geo_map_find(fx->map, "RUS");
	locator_svg(fx, rus, 1, "other-", NULL, &plain);
	locator_svg(fx, rus, 1, "other-", cache, &cached);
	assert_same_bytes(&plain, &cached);
	assert_contains(cached.ptr, "id=\"other-country-RUS\"");
	buf_free(&plain);
	buf_free(&cached);
	geo_svg_cache_free(cache);
	geo_svg_cache_free(NULL);
}

static void test_find_and_locate(void **state)
{
	FIXTURE(state);
	int uga = geo_map_find(fx->map, "UGA");
	assert_ge(uga, 0);
	assert_int_equal(geo_map_find(fx->map, "uga"), uga);
	assert_int_equal(geo_map_find(fx->map, "XXX"), -1);
	assert_string_equal(geo_map_code(fx->map, (size_t)uga), "UGA");
	geo_lonlat kampala = {.lon = 32.5761, .lat = 0.3383};
	geo_lonlat atlantic = {.lon = -30, .lat = 0};
	geo_lonlat nairobi = {.lon = 36.8219, .lat = -1.2921};
	assert_int_equal(geo_map_locate(fx->map, kampala), uga);
	assert_int_equal(geo_map_locate(fx->map, atlantic), -1);
	/* the same place with its coordinates swapped is not in Uganda */
	geo_lonlat swapped = {.lon = kampala.lat, .lat = kampala.lon};
	assert_int_not_equal(geo_map_locate(fx->map, swapped), uga);
	assert_double_eq(geo_map_distance_km(fx->map, uga, kampala), 0);
	assert_gt(geo_map_distance_km(fx->map, uga, nairobi), 50);
	assert_int_equal(geo_map_count(fx->map), 177);
}

/* ---- several threads at once ---------------------------------------------- */

typedef struct job {
	const fixture *fx;
	int focus;
	buf_t out;
	int rc;
	geo_svg_cache *cache; /* shared by the threads, or NULL */
} job;

static void *render(void *arg)
{
	job *j = arg;
	geo_svg_options o = world_opts();
	o.focus = j->focus;
	o.id_prefix = j->focus >= 0 ? "loc-" : "";
	o.cache = j->cache;
	for (int k = 0; k < 5 && !j->rc; k++) {
		buf_reset(&j->out);
		j->rc = geo_map_svg(j->fx->map, j->fx->mk, NMARKERS, &o, &j->out);
	}
	return NULL;
}

/* A loaded map, and a locator cache, are shared by threads rendering
 * pages: the same bytes come out as from one thread alone without a
 * cache. */
static void test_threads(void **state)
{
	FIXTURE(state);
	enum { N = 6 };
	const char *codes[N] = {"UGA", "RUS", NULL, "FRA", "UGA", "RUS"};
	job jobs[N];
	pthread_t th[N];
	geo_svg_cache *cache = geo_svg_cache_new(fx->map);
	for (int i = 0; i < N; i++) {
		jobs[i] = (job){fx, codes[i] ? geo_map_find(fx->map, codes[i]) : -1,
				BUF_INIT, 0, cache};
		assert_int_equal(pthread_create(&th[i], NULL, render, &jobs[i]), 0);
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < N; i++) {
		job alone = {fx, jobs[i].focus, BUF_INIT, 0, NULL};
		render(&alone);
		assert_int_equal(jobs[i].rc, 0);
		assert_int_equal(alone.rc, 0);
		assert_int_equal(jobs[i].out.len, alone.out.len);
		assert_memory_equal(jobs[i].out.ptr, alone.out.ptr, alone.out.len);
		buf_free(&alone.out);
		buf_free(&jobs[i].out);
	}
	geo_svg_cache_free(cache);
}

/* ---- texts made as markers are drawn ------------------------------------------ */

typedef struct texts_made {
	const fixture *fx;
	size_t calls;
} texts_made;

/* geo_svg_options.marker_texts: the fixture's texts of the marker with
 * that slug, as fresh strings. */
static void fixture_texts(void *arg, geo_marker *g)
{
	texts_made *t = arg;
	int i = atoi(g->slug + strlen("partner-"));
	const geo_marker *full = &t->fx->mk[i];
	g->href = xstrdup(full->href);
	g->label = xstrdup(full->label);
	g->networks = xstrdup(full->networks);
	g->exchanges = xstrdup(full->exchanges);
	t->calls++;
}

static void count_text(void *arg, const geo_marker *first, size_t n,
		       char **label, char **count)
{
	(void)arg;
	assert_non_null(first->label);
	*label = xasprintf("%zu near %s", n, first->label);
	*count = xasprintf("%zu", n);
}

/* A map whose markers' texts are made as it draws them is byte for byte
 * the map of markers that carry them, clustered or not; clustered, it
 * asks only for the markers it draws alone and the first of each count
 * marker, never for all of them. */
static void test_marker_texts_made_as_drawn(void **state)
{
	FIXTURE(state);
	geo_marker bare[NMARKERS];
	for (int i = 0; i < NMARKERS; i++) {
		bare[i] = fx->mk[i];
		bare[i].href = bare[i].label = NULL;
		bare[i].networks = bare[i].exchanges = NULL;
	}
	for (int clustered = 0; clustered < 2; clustered++) {
		geo_svg_options o = world_opts();
		if (clustered) {
			o.cluster_over = 8;
			o.cluster_cell = 200;
			o.cluster_text = count_text;
		}
		buf_t eager = BUF_INIT, lazy = BUF_INIT;
		assert_int_equal(geo_map_svg(fx->map, fx->mk, NMARKERS, &o, &eager), 0);
		texts_made t = {fx, 0};
		o.marker_texts = fixture_texts;
		o.texts_arg = &t;
		assert_int_equal(geo_map_svg(fx->map, bare, NMARKERS, &o, &lazy), 0);
		assert_int_equal(lazy.len, eager.len);
		assert_memory_equal(lazy.ptr, eager.ptr, eager.len);
		if (clustered) {
			assert_contains(eager.ptr, "class=\"marker-cluster");
			assert_true(t.calls > 0 && t.calls < NMARKERS);
		} else {
			assert_int_equal(t.calls, NMARKERS);
		}
		buf_free(&eager);
		buf_free(&lazy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_world_countries),
		cmocka_unit_test(test_world_markers),
		cmocka_unit_test(test_spread_deterministic),
		cmocka_unit_test(test_locators),
		cmocka_unit_test(test_locator_cache),
		cmocka_unit_test(test_marker_texts_made_as_drawn),
		cmocka_unit_test(test_find_and_locate),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, svgfix_teardown);
}
