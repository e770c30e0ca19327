/* pages.c - what the site is made of: one function per page kind, each
 * building a view and rendering it through the theme. */
#include "render.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../load/names.h"
#include "../util/arena.h"
#include "../util/digest.h"
#include "../util/memo.h"
#include "../util/par.h"
#include "../util/text_unicode.h"
#include "text.h"

/* ---- derived data, computed once ---------------------------------------- */

/* Lists follow the site language's collation (util/text_unicode.h): sort
 * keys made once, compared as bytes; ties fall back to the code or slug
 * so that the order never depends on qsort. */
typedef struct sort_key {
	const char *country; /* collation key of the country name */
	char *own_country;   /* ... when it is this key's own (a country
				the table lacks), else NULL */
	const char *code;    /* its alpha-2: equal names stay apart */
	char *name;          /* collation key of the institution name */
	size_t index;        /* into s->inst, which is in slug order */
} sort_key;

static int cmp_key(const void *a, const void *b)
{
	const sort_key *x = a, *y = b;
	int c = strcmp(x->country, y->country);
	if (c == 0)
		c = strcmp(x->code, y->code);
	if (c == 0)
		c = strcmp(x->name, y->name);
	if (c == 0)
		c = (x->index > y->index) - (x->index < y->index);
	return c;
}

/* make(arg, text), a fresh string or NULL, kept in r->memo (render.h)
 * under kind, the language and text when there is one. */
static char *remembered(const render_ctx *r, char kind, const char *text,
			char *(*make)(const void *arg, const char *text),
			const void *arg)
{
	if (!r->memo || !text)
		return make(arg, text);
	char *key = xasprintf("%c\x1f%s\x1f%s", kind, r->s->cfg.language, text);
	const char *had = str_memo_get(r->memo, key);
	char *made = had ? xstrdup(had) : make(arg, text);
	if (!had && made)
		str_memo_put(r->memo, key, made);
	free(key);
	return made;
}

static char *make_sort_key(const void *col, const char *text)
{
	return text_sort_key(col, text);
}

static char *make_folded(const void *unused, const char *words)
{
	buf_t b = BUF_INIT;
	text_fold(&b, words);
	buf_cstr(&b);
	return buf_detach(&b);
}

/* Threads for the work render_prepare does once per institution: the
 * build's, but one when a memo is kept (memo.h: one thread at a time). */
static int prepare_threads(const render_ctx *r)
{
	return r->memo ? 1 : r->jobs;
}

/* Institutions per share of the sort keys: each share makes its own
 * collator (ICU's are not for several threads at once). */
#define KEYS_SHARE 2048

typedef struct key_shares {
	const render_ctx *r;
	sort_key *keys;
	char *const *country_keys; /* per entry of s->countries, or NULL */
} key_shares;

/* The sort keys of share k of the institutions. */
static void share_keys(void *arg, size_t k)
{
	const key_shares *b = arg;
	const render_ctx *r = b->r;
	const site *s = r->s;
	text_collator *col = text_collator_new(s->cfg.language);
	size_t end = (k + 1) * KEYS_SHARE < s->ninst ? (k + 1) * KEYS_SHARE : s->ninst;
	for (size_t i = k * KEYS_SHARE; i < end; i++) {
		const country *c = country_by_alpha2(&s->countries, s->inst[i].country);
		sort_key *key = &b->keys[i];
		key->country = c ? b->country_keys[c - s->countries.v] : NULL;
		if (!key->country)
			key->country = key->own_country =
				remembered(r, 'c', s->inst[i].country,
					   make_sort_key, col);
		key->code = s->inst[i].country;
		key->name = remembered(r, 'c', s->inst[i].name, make_sort_key, col);
		key->index = i;
	}
	text_collator_free(col);
}

/* The institutions in list order, with their keys (free each one's
 * name and own_country, then the array, then *country_keys with
 * free_country_keys). A country's key is made once, not once per
 * institution in it: some 60 keys for 10,000 institutions. */
static sort_key *institution_keys(const render_ctx *r, char ***country_keys)
{
	const site *s = r->s;
	char **ck = xcalloc(s->countries.n + 1, sizeof *ck);
	text_collator *col = text_collator_new(s->cfg.language);
	for (size_t i = 0; i < s->ninst; i++) {
		const country *c = country_by_alpha2(&s->countries, s->inst[i].country);
		if (c && !ck[c - s->countries.v])
			ck[c - s->countries.v] = remembered(r, 'c',
				render_country_name(r, c), make_sort_key, col);
	}
	text_collator_free(col);
	key_shares b = {r, xcalloc(s->ninst ? s->ninst : 1, sizeof *b.keys), ck};
	par_for((s->ninst + KEYS_SHARE - 1) / KEYS_SHARE, prepare_threads(r),
		share_keys, &b);
	qsort(b.keys, s->ninst, sizeof *b.keys, cmp_key);
	*country_keys = ck;
	return b.keys;
}

static void free_country_keys(const site *s, char **ck)
{
	for (size_t i = 0; i < s->countries.n; i++)
		free(ck[i]);
	free(ck);
}

static void group_by_country(render_ctx *r)
{
	const site *s = r->s;
	char **country_keys;
	sort_key *keys = institution_keys(r, &country_keys);
	r->by_country = xcalloc(s->ninst, sizeof *r->by_country);
	r->groups = xcalloc(s->ninst, sizeof *r->groups);
	r->ngroups = 0;
	for (size_t k = 0; k < s->ninst; k++) {
		size_t i = keys[k].index;
		r->by_country[k] = i;
		const country *c = country_by_alpha2(&s->countries, s->inst[i].country);
		country_group *g = r->ngroups ? &r->groups[r->ngroups - 1] : NULL;
		if (!g || g->c != c) {
			g = &r->groups[r->ngroups++];
			g->c = c;
			g->first = k;
			g->count = 0;
		}
		g->count++;
		free(keys[k].own_country);
		free(keys[k].name);
	}
	free(keys);
	free_country_keys(s, country_keys);
}

/* Display order: global networks first, then by name, then slug. */
typedef struct net_key {
	int regional;
	char *name;          /* collation key */
	size_t index;        /* into s->net, which is in slug order */
} net_key;

static int cmp_net_display(const void *a, const void *b)
{
	const net_key *x = a, *y = b;
	if (x->regional != y->regional)
		return x->regional - y->regional;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void order_networks(render_ctx *r, const text_collator *col)
{
	const site *s = r->s;
	net_key *v = xcalloc(s->nnet ? s->nnet : 1, sizeof *v);
	for (size_t n = 0; n < s->nnet; n++) {
		v[n].regional = strcmp(s->net[n].kind, "global") != 0;
		v[n].name = text_sort_key(col, s->net[n].name);
		v[n].index = n;
	}
	qsort(v, s->nnet, sizeof *v, cmp_net_display);
	r->net_order = xcalloc(s->nnet, sizeof *r->net_order);
	r->net_rank = xcalloc(s->nnet, sizeof *r->net_rank);
	for (size_t k = 0; k < s->nnet; k++) {
		size_t n = v[k].index;
		r->net_order[k] = n;
		r->net_rank[n] = (int)k;
		free(v[k].name);
	}
	free(v);
}

/* Counts per network: members and the countries they are in. */
static void count_networks(render_ctx *r)
{
	const site *s = r->s;
	r->net_count = xcalloc(s->nnet, sizeof *r->net_count);
	r->net_countries = xcalloc(s->nnet, sizeof *r->net_countries);
	unsigned char *seen = xcalloc(s->nnet, 1);
	for (size_t g = 0; g < r->ngroups; g++) {
		memset(seen, 0, s->nnet);
		for (size_t k = 0; k < r->groups[g].count; k++) {
			const institution *in = &s->inst[r->by_country[r->groups[g].first + k]];
			for (size_t j = 0; j < in->networks.n; j++) {
				const network *net = site_network(s, in->networks.v[j]);
				if (!net)
					continue;
				size_t n = (size_t)(net - s->net);
				r->net_count[n]++;
				if (!seen[n]++)
					r->net_countries[n]++;
			}
		}
	}
	free(seen);
}

/* The network that styles an institution's marker: its first regional
 * network in display order (regional membership is what the map shows
 * best), else its first network. */
static int marker_network(const render_ctx *r, size_t i)
{
	size_t n;
	const size_t *rank = render_inst_ranks(r, i, &n); /* ascending */
	for (size_t k = 0; k < n; k++)
		if (strcmp(r->s->net[r->net_order[rank[k]]].kind, "global"))
			return (int)r->net_order[rank[k]];
	return n ? (int)r->net_order[rank[0]] : -1;
}

const char *const render_levels[RENDER_LEVELS] = {"undergraduate", "postgraduate"};
const char *const render_electives[RENDER_ELECTIVES] = {"clinical", "research",
							 "observership"};

static int has_word(const strlist *l, const char *w)
{
	for (size_t j = 0; j < l->n; j++)
		if (!strcmp(l->v[j], w))
			return 1;
	return 0;
}

int inst_in_network(const institution *in, const char *slug)
{
	return has_word(&in->networks, slug);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

void render_rank_memberships(render_ctx *r)
{
	const site *s = r->s;
	size_t all = 0;
	for (size_t i = 0; i < s->ninst; i++)
		all += s->inst[i].networks.n;
	r->inst_net_at = xcalloc(s->ninst + 1, sizeof *r->inst_net_at);
	r->inst_net_ranks = xcalloc(all ? all : 1, sizeof *r->inst_net_ranks);
	size_t at = 0;
	for (size_t i = 0; i < s->ninst; i++) {
		const strlist *l = &s->inst[i].networks;
		size_t *v = r->inst_net_ranks + at, n = 0;
		for (size_t j = 0; j < l->n; j++) {
			const network *net = site_network(s, l->v[j]);
			if (net)
				v[n++] = (size_t)r->net_rank[net - s->net];
		}
		qsort(v, n, sizeof *v, cmp_size);
		size_t kept = 0;
		for (size_t j = 0; j < n; j++)
			if (!kept || v[j] != v[kept - 1])
				v[kept++] = v[j];
		r->inst_net_at[i] = at;
		at += kept;
	}
	r->inst_net_at[s->ninst] = at;
}

const size_t *render_inst_ranks(const render_ctx *r, size_t i, size_t *n)
{
	*n = r->inst_net_at[i + 1] - r->inst_net_at[i];
	return r->inst_net_ranks + r->inst_net_at[i];
}

int inst_offers(const institution *in, const char *type)
{
	return has_word(&in->electives, type);
}

int inst_filter_keeps(inst_filter f, const institution *in)
{
	return !f.keep || f.keep(in, f.arg);
}

/* How many institutions hold each of words[0..n) in their list `field`
 * (an offset into institution), into count[]. */
static void count_words(const render_ctx *r, size_t field,
			const char *const *words, size_t n, size_t *count)
{
	for (size_t w = 0; w < n; w++) {
		count[w] = 0;
		for (size_t i = 0; i < r->s->ninst; i++) {
			const char *in = (const char *)&r->s->inst[i];
			count[w] += has_word((const strlist *)(in + field), words[w]);
		}
	}
}

/* Country names and dates in the language, once: pages only look them up
 * (and the formatters are shared by the threads). */
static void prepare_words(render_ctx *r)
{
	const site *s = r->s;
	const char *lang = i18n_lang(r->i18n);
	r->country_name = xcalloc(s->countries.n ? s->countries.n : 1,
				  sizeof *r->country_name);
	size_t nf = geo_map_count(r->map);
	r->feature_name = xcalloc(nf ? nf : 1, sizeof *r->feature_name);
	for (size_t k = 0; k < s->countries.n; k++) {
		const char *local = country_name_in(lang, s->countries.v[k].alpha2);
		r->country_name[k] = local ? local : s->countries.v[k].name;
		int f = local ? geo_map_find(r->map, s->countries.v[k].alpha3) : -1;
		if (f >= 0)
			r->feature_name[f] = local;
	}
	/* records share their joined dates (a month's intake): each date is
	 * formatted once, ICU's formatting being the cost. Never from
	 * r->memo, which outlives the language's texts that say how. */
	r->joined_label = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->joined_label);
	str_memo *dates = str_memo_new();
	for (size_t i = 0; i < s->ninst; i++) {
		const char *iso = s->inst[i].joined;
		const char *had = iso ? str_memo_get(dates, iso) : NULL;
		r->joined_label[i] = had ? xstrdup(had) : i18n_date(r->i18n, iso);
		if (!had && iso && r->joined_label[i])
			str_memo_put(dates, iso, r->joined_label[i]);
	}
	str_memo_free(dates);
	/* after the country names, which the search text holds; without a
	 * memo, each is made when first shown (render_search) */
	r->search = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->search);
	for (size_t i = 0; r->memo && i < s->ninst; i++) {
		char *words = view_search_words(r, i);
		atomic_init(&r->search[i], remembered(r, 's', words, make_folded, NULL));
		free(words);
	}
}

const char *render_search(const render_ctx *r, size_t i)
{
	char *had = atomic_load(&r->search[i]);
	if (had)
		return had;
	char *made = view_search_text(r, i);
	if (atomic_compare_exchange_strong(&r->search[i], &had, made))
		return made;
	free(made); /* another thread made it first */
	return had;
}

int render_prepare(render_ctx *r)
{
	const site *s = r->s;
	prepare_words(r);
	count_words(r, offsetof(institution, exchanges), render_levels,
		    RENDER_LEVELS, r->level_count);
	count_words(r, offsetof(institution, electives), render_electives,
		    RENDER_ELECTIVES, r->elective_count);
	group_by_country(r);
	text_collator *col = text_collator_new(s->cfg.language);
	order_networks(r, col);
	text_collator_free(col);
	count_networks(r);
	render_rank_memberships(r);
	size_t nf = geo_map_count(r->map);
	r->has_partners = xcalloc(nf ? nf : 1, 1);
	r->inst_feature = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->inst_feature);
	r->inst_marker_net = xcalloc(s->ninst ? s->ninst : 1, sizeof *r->inst_marker_net);
	for (size_t i = 0; i < s->ninst; i++) {
		const country *c = country_by_alpha2(&s->countries, s->inst[i].country);
		int f = c ? geo_map_find(r->map, c->alpha3) : -1;
		r->inst_feature[i] = f;
		if (f >= 0)
			r->has_partners[f] = 1;
		r->inst_marker_net[i] = marker_network(r, i);
	}
	r->locators = geo_svg_cache_new(r->map);
	view_prepare(r);
	return 0;
}

void render_release(render_ctx *r)
{
	for (size_t i = 0; r->joined_label && i < r->s->ninst; i++)
		free(r->joined_label[i]);
	for (size_t i = 0; r->search && i < r->s->ninst; i++)
		free(atomic_load(&r->search[i]));
	FREE_ALL(r->joined_label, r->search, r->country_name, r->feature_name,
		 r->by_country, r->groups, r->net_order, r->net_rank,
		 r->net_count, r->net_countries, r->has_partners,
		 r->inst_feature, r->inst_marker_net, r->inst_net_at,
		 r->inst_net_ranks);
	geo_svg_cache_free(r->locators);
	r->locators = NULL;
	view_release(r);
}

/* ---- maps ------------------------------------------------------------- */

typedef struct marker_set {
	geo_marker *v;
	size_t n;
	char **owned; /* strings to free: MARKER_STRINGS per marker; NULL
			 when the map makes them as it draws (marker_texts) */
	const render_ctx *r;
	route on;     /* the page that shows the map */
} marker_set;

#define MARKER_STRINGS 4

/* The texts of institution i's marker, shown in page `on`, into own[]
 * (fresh strings) and g: its link to the institution's page, its
 * label, its networks (the one that styles it first: the SVG writer
 * names the marker's class after the first slug) and exchanges. */
static void marker_texts_of(const render_ctx *r, size_t i, route on,
			    geo_marker *g, char **own)
{
	const institution *in = &r->s->inst[i];
	own[0] = route_link(r->s->cfg.base_url, on,
			    (route){ROUTE_INSTITUTION, in->slug, 0});
	own[1] = render_marker_label(r, i);
	int styled = r->inst_marker_net[i];
	buf_t nets = BUF_INIT;
	if (styled >= 0)
		buf_puts(&nets, r->s->net[styled].slug);
	size_t n;
	const size_t *rank = render_inst_ranks(r, i, &n);
	for (size_t k = 0; k < n; k++) {
		size_t net = r->net_order[rank[k]];
		if ((int)net == styled)
			continue;
		if (nets.len)
			buf_putc(&nets, ' ');
		buf_puts(&nets, r->s->net[net].slug);
	}
	own[2] = buf_detach(&nets);
	own[3] = strlist_join(&in->exchanges);
	g->href = own[0];
	g->label = own[1];
	g->networks = own[2];
	g->exchanges = own[3];
}

/* geo_svg_options.marker_texts: a marker's texts as the map draws it. */
static void marker_texts(void *arg, geo_marker *g)
{
	const marker_set *m = arg;
	const site *s = m->r->s;
	char *own[MARKER_STRINGS];
	marker_texts_of(m->r, (size_t)(site_institution(s, g->slug) - s->inst),
			m->on, g, own);
}

/* Marker of institution i on the map of m, linking to the institution's
 * page; its texts made now unless the map makes them. */
static void marker_add(marker_set *m, size_t i)
{
	const render_ctx *r = m->r;
	const institution *in = &r->s->inst[i];
	geo_marker *g = &m->v[m->n];
	if (m->owned)
		marker_texts_of(r, i, m->on, g,
				&m->owned[MARKER_STRINGS * m->n]);
	int styled = r->inst_marker_net[i];
	g->slug = in->slug;
	g->colour = styled >= 0 ? r->s->net[styled].colour : NULL; /* the theme's */
	g->shape = styled >= 0 ? r->net_rank[styled] : 0;
	g->at = (geo_lonlat){.lon = in->lon, .lat = in->lat};
	m->n++;
}

/* Room for cap markers of a map shown in page `on`; lazy: their texts
 * are made as the map draws them (geo_svg_options.marker_texts, set by
 * markers_options), not all held at once. */
static void markers_init(marker_set *m, const render_ctx *r, route on,
			 size_t cap, int lazy)
{
	m->v = xcalloc(cap ? cap : 1, sizeof *m->v);
	m->owned = lazy ? NULL :
		xcalloc(MARKER_STRINGS * (cap ? cap : 1), sizeof *m->owned);
	m->n = 0;
	m->r = r;
	m->on = on;
}

static void markers_options(marker_set *m, geo_svg_options *o)
{
	if (m->owned)
		return;
	o->marker_texts = marker_texts;
	o->texts_arg = m;
}

static void markers_free(marker_set *m)
{
	for (size_t k = 0; m->owned && k < MARKER_STRINGS * m->n; k++)
		free(m->owned[k]);
	free(m->owned);
	free(m->v);
}

/* A network's or a country's map draws its markers clustered when it has
 * more than this many (geo_svg_options): drawn one by one, 50,000
 * members would make a page of megabytes that no one can read. Cells
 * are as wide as a marker's hit circle. */
#define MAP_CLUSTER_OVER 150
#define MAP_CLUSTER_CELL 24.0

/* A count marker's label and count (geo_svg_options.cluster_text): how
 * many it stands for and the first of them by name. */
static void cluster_text(void *arg, const geo_marker *first, size_t n,
			 char **label, char **count)
{
	const render_ctx *r = arg;
	cJSON *fill = cJSON_CreateObject();
	cJSON_AddStringToObject(fill, "first", first->label);
	*label = i18n_plural(r->i18n, "count_marker_label", (double)n, fill);
	*count = i18n_number(r->i18n, (double)n);
	cJSON_Delete(fill);
}

/* Clustering for a map of a network's or a country's members. */
static void cluster_options(const render_ctx *r, geo_svg_options *o)
{
	o->cluster_over = MAP_CLUSTER_OVER;
	o->cluster_cell = MAP_CLUSTER_CELL;
	o->cluster_text = cluster_text;
	o->cluster_arg = (void *)r;
}

/* A marker per institution, or per member of network `only` (when set,
 * has[f] = 1 for each feature f holding one). */
static void each_marker(const render_ctx *r, marker_set *m,
			const network *only, unsigned char *has)
{
	for (size_t i = 0; i < r->s->ninst; i++) {
		if (only && !inst_in_network(&r->s->inst[i], only->slug))
			continue;
		marker_add(m, i);
		if (has && r->inst_feature[i] >= 0)
			has[r->inst_feature[i]] = 1;
	}
}

/* The clustered world map's markers (clusters.c): a cluster per crowded
 * cell of a country, an institution alone in its cell as itself. */
static void cluster_markers(const render_ctx *r, marker_set *m, route on)
{
	size_t n;
	map_item *items = render_map_items(r, &n);
	for (size_t k = 0; k < n; k++) {
		if (items[k].count == 1) {
			marker_add(m, items[k].inst);
			continue;
		}
		render_cluster_marker(r, &items[k], on, &m->v[m->n],
				      &m->owned[MARKER_STRINGS * m->n]);
		m->n++;
	}
	free(items);
}

/* Add a heap string to o and free it. */
static void add_text(cJSON *o, const char *key, char *val)
{
	cJSON_AddStringToObject(o, key, val);
	free(val);
}

/* How many institutions a world map marks: all, or the members of only. */
static size_t map_members(const render_ctx *r, const network *only)
{
	size_t n = 0;
	for (size_t i = 0; only && i < r->s->ninst; i++)
		n += (size_t)inst_in_network(&r->s->inst[i], only->slug);
	return only ? n : r->s->ninst;
}

/* The world map with every institution, or only the members of one
 * network (its page is the filtered view that works without scripts),
 * shown in page `on` (map.svg links as the home page does). */
static char *world_map(const render_ctx *r, route on, int standalone,
		       const network *only)
{
	size_t nf = geo_map_count(r->map);
	unsigned char *has = only ? xcalloc(nf ? nf : 1, 1) : NULL;
	size_t countries = only ? r->net_countries[only - r->s->net] : r->ngroups;
	marker_set m;
	/* a network's map (clustered past MAP_CLUSTER_OVER) makes its
	 * markers' texts as it draws them */
	markers_init(&m, r, on, map_members(r, only), only != NULL);
	if (!only && render_clustered(r))
		cluster_markers(r, &m, on);
	else
		each_marker(r, &m, only, has);
	cJSON *fill = cJSON_CreateObject();
	const i18n *t = r->i18n;
	add_text(fill, "members", i18n_plural(t, "member_count", (double)m.n, NULL));
	add_text(fill, "institutions", i18n_plural(t, "partner_institution_count",
						   (double)m.n, NULL));
	add_text(fill, "countries", i18n_plural(t, "country_count",
						(double)countries, NULL));
	if (only)
		cJSON_AddStringToObject(fill, "network", only->name);
	char *desc = i18n_text(t, only ? "network_map_description" :
				       "world_map_description", fill);
	cJSON_Delete(fill);
	geo_svg_options o = {
		.title = only ? only->name : r->s->cfg.title, .desc = desc,
		.id_prefix = "", .standalone = standalone, .focus = -1,
		.has_partners = has ? has : r->has_partners,
		.names = r->feature_name,
		/* alone, map.svg brings the theme's map rules; in a page, the
		 * page links them */
		.style = standalone ? r->map_css : NULL,
	};
	if (only)
		cluster_options(r, &o);
	markers_options(&m, &o);
	buf_t out = BUF_INIT;
	int rc = geo_map_svg(r->map, m.v, m.n, &o, &out);
	free(desc);
	free(has);
	markers_free(&m);
	if (rc < 0) {
		buf_free(&out);
		diag_fatal(r->d, only ? only->path : ROUTE_MAP_SVG, "cannot draw the map");
		return NULL;
	}
	return buf_detach(&out);
}

/* The text alternative of a locator map, saying what it shows: the
 * country framed with its neighbours (or, when the basemap lacks the
 * country, the area around the first institution) and the markers on it.
 * `one` is set on an institution's page, which marks that institution
 * alone; a country page marks all its partners. A fresh string. */
static char *locator_desc(const render_ctx *r, const country *c, int f,
			  const size_t *insts, size_t n, int one)
{
	const institution *first = n ? &r->s->inst[insts[0]] : NULL;
	cJSON *fill = cJSON_CreateObject();
	cJSON_AddStringToObject(fill, "country", c ? render_country_name(r, c) :
				first ? first->country : "");
	if (first) {
		cJSON_AddStringToObject(fill, "city", first->city);
		cJSON_AddStringToObject(fill, "name", first->name);
	}
	char *area = i18n_text(r->i18n, f >= 0 || !first ? "locator_area" :
			       "locator_area_point", fill);
	cJSON_AddStringToObject(fill, "area", area);
	free(area);
	char *desc = first && (one || n == 1) ?
		i18n_text(r->i18n, one ? "locator_marks_one" :
			  "locator_marks_only", fill) :
		i18n_plural(r->i18n, "locator_marks", (double)n, fill);
	cJSON_Delete(fill);
	return desc;
}

/* A locator map framed on one country, marking the institutions given,
 * shown in page `on`; `one` as for locator_desc. */
static char *locator_map(const render_ctx *r, const char *alpha2,
			 const size_t *insts, size_t n, route on,
			 const char *title, int one)
{
	const country *c = country_by_alpha2(&r->s->countries, alpha2);
	int f = c ? geo_map_find(r->map, c->alpha3) : -1;
	marker_set m;
	markers_init(&m, r, on, n, !one);
	for (size_t k = 0; k < n; k++)
		marker_add(&m, insts[k]);
	char *desc = locator_desc(r, c, f, insts, n, one);
	geo_svg_options o = {
		.title = title, .desc = desc, .id_prefix = "loc-", .focus = f,
		.use_point = f < 0 && n > 0,
		.focus_lat = n ? r->s->inst[insts[0]].lat : 0,
		.focus_lon = n ? r->s->inst[insts[0]].lon : 0,
		.has_partners = r->has_partners, .names = r->feature_name,
		.cache = r->locators,
	};
	if (!one)
		cluster_options(r, &o);
	markers_options(&m, &o);
	buf_t out = BUF_INIT;
	int rc = geo_map_svg(r->map, m.v, m.n, &o, &out);
	free(desc);
	markers_free(&m);
	if (rc < 0) {
		buf_free(&out);
		diag_fatal(r->d, alpha2, "cannot draw the locator map");
		return NULL;
	}
	return buf_detach(&out);
}

/* ---- pages ------------------------------------------------------------ */

int render_kept_showing(const render_ctx *r, const char *unit,
			const void *shown, size_t n)
{
	return r->reuse ? r->reuse->keep(r->reuse->ctx, r, unit, shown, n) : 0;
}

int render_kept(const render_ctx *r, const char *unit)
{
	return render_kept_showing(r, unit, NULL, 0);
}

/* 1 when the unit of page `at` is kept from the previous build, -1 after
 * a diagnostic, else 0: render it. The unit is named by unit_of(at): its
 * folder (route_path) for the pages of a folder, its file (route_file) for
 * a page that is one file at the top (index.html, 404.html). */
static int reused(const render_ctx *r, route at, char *(*unit_of)(route))
{
	if (!r->reuse)
		return 0;
	char *unit = unit_of(at);
	int kept = render_kept(r, unit);
	free(unit);
	return kept;
}

/* A file of the language rendered now: under its folder (render_lang). */
int render_write(const render_ctx *r, const char *rel, const void *data,
			size_t n)
{
	const char *dir = r->nlangs ? r->langs[r->lang].dir : "";
	if (!*dir)
		return stage_write(r->st, rel, data, n, r->d);
	char *path = xconcat(dir, rel);
	int rc = stage_write(r->st, path, data, n, r->d);
	free(path);
	return rc;
}

#define PAGE_RESERVE ((size_t)16 << 10)

static int write_page(const render_ctx *r, const char *tpl, const char *rel,
		      cJSON *view)
{
	buf_t html = BUF_INIT;
	/* most pages take 10 to 20 KB: one allocation, not a dozen */
	buf_grow(&html, PAGE_RESERVE);
	/* A render stopped at a limit is an error at the template's tag: the
	 * truncated page is never written, so the build stops. */
	/* lists of institutions hold placeholders: each item's view is made
	 * when the render reaches it, and freed after it */
	mst_lazy lazy = {view_make_item, (void *)r};
	char *shown = xasprintf("%s%s", r->langs ? r->langs[r->lang].dir : "",
				rel);
	mst_limits lim = {.lazy = &lazy, .page = shown};
	int rc = mst_render_limited(r->tpl, tpl, view, &html, &lim, r->d);
	free(shown);
	if (rc < 0)
		diag_fatal(r->d, rel, "the theme has no template '%s'", tpl);
	else if (rc > 0)
		rc = -1;
	else
		rc = render_write(r, rel, html.ptr, html.len);
	buf_free(&html);
	cJSON_Delete(view);
	return rc;
}

/* Page `at` into its file (routes.h: x/y/ is written to x/y/index.html).
 * Takes v, and svg when the page has a map (with_map): a NULL svg there
 * means drawing it failed (already reported), and nothing is written. */
static int write_route_page(const render_ctx *r, const char *tpl, route at,
			    cJSON *v, char *svg, int with_map)
{
	if (with_map && !svg) {
		cJSON_Delete(v);
		return -1;
	}
	/* the map, as large as the page on a large site, is not copied */
	if (svg)
		cJSON_AddItemToObjectCS(v, "map_svg", cJSON_CreateStringReference(svg));
	char *rel = route_file(at);
	int rc = write_page(r, tpl, rel, v);
	free(rel);
	free(svg);
	return rc;
}

static int page_home(const render_ctx *r)
{
	route home = {ROUTE_HOME, NULL, 0};
	int kept = reused(r, home, route_file);
	if (kept)
		return kept < 0 ? -1 : 0;
	cJSON *v = view_base(r, home);
	if (r->s->cfg.intro) {
		buf_t intro = BUF_INIT;
		buf_puts(&intro, "<p>");
		buf_puts_html(&intro, r->s->cfg.intro);
		buf_puts(&intro, "</p>");
		cJSON_AddStringToObject(v, "intro_html", buf_cstr(&intro));
		buf_free(&intro);
	}
	cJSON_AddItemToObject(v, "facets", view_facets(r));
	char *head = export_csv_head_line();
	cJSON_AddStringToObject(v, "csv_head", head);
	free(head);
	cJSON *groups = cJSON_AddArrayToObject(v, "countries");
	int compact = render_clustered(r);
	if (compact) {
		cJSON_AddStringToObject(v, "search_index", "countries/" RENDER_SEARCH_JS);
		cJSON_AddStringToObject(v, "facet_index", "countries/" RENDER_FACETS_JS);
		cJSON_AddNumberToObject(v, "list_chunk", RENDER_CHUNK);
	}
	for (size_t g = 0; g < r->ngroups; g++)
		cJSON_AddItemToArray(groups, compact ?
				     view_country_count(r, &r->groups[g]) :
				     view_country_group(r, &r->groups[g],
							INST_ALL, VIEW_CSV));
	char *svg = world_map(r, home, 0, NULL);
	return write_route_page(r, "home", home, v, svg, 1);
}

/* The files of in's page bundle that its page links, beside the page. */
static int bundle_files(const render_ctx *r, const institution *in)
{
	char *folder = route_file((route){ROUTE_INSTITUTION, in->slug, 0});
	*(strrchr(folder, '/') + 1) = '\0';
	int rc = 0;
	for (size_t k = 0; k < in->nfiles && rc == 0; k++) {
		char *rel = xconcat(folder, in->files[k].name);
		rc = render_write(r, rel, in->files[k].data, in->files[k].size);
		free(rel);
	}
	free(folder);
	return rc;
}

/* The photo as the page's sharing image (Open Graph og:image): an
 * absolute URL, the page's canonical address followed by the photo's
 * file name, published beside the page. Nothing when the record has no
 * photo. The canonical address is absolute (site.yml's base_url). */
static void add_og_image(cJSON *v, const institution *in)
{
	const cJSON *canon = cJSON_GetObjectItemCaseSensitive(v, "canonical");
	if (!in->photo.file || !cJSON_IsString(canon))
		return;
	char *file = text_file_href(in->photo.file);
	add_owned(v, "og_image", xconcat(canon->valuestring, file + 2));
	free(file);
	add_str(v, "og_image_alt", in->photo.alt);
}

static int page_institution(const render_ctx *r, size_t i)
{
	const institution *in = &r->s->inst[i];
	route at = {ROUTE_INSTITUTION, in->slug, 0};
	int kept = reused(r, at, route_path);
	if (kept)
		return kept < 0 ? -1 : 0;
	if (bundle_files(r, in) < 0)
		return -1;
	/* the page's view in one region (util/arena.h), let go of at once */
	arena_begin();
	cJSON *v = view_base(r, at);
	cJSON_AddItemToObject(v, "institution", view_institution(r, i, VIEW_FULL));
	add_og_image(v, in);
	char *svg = locator_map(r, in->country, &i, 1, at, in->name, 1);
	int rc = write_route_page(r, "institution", at, v, svg, 1);
	arena_end();
	return rc;
}

/* One page of a listing: which of its institutions the page shows. */
typedef struct listing_page {
	route at;
	const size_t *pos;           /* their positions in by_country */
	size_t n;
	size_t total;                /* the whole listing's institutions */
	inst_filter only;            /* the listing's (struct listing) */
} listing_page;

/* A listing split over pages (paging.c): a network's members, a
 * country's partners or those offering an elective type. */
typedef struct listing {
	const char *tpl;
	route first;                 /* its first page */
	inst_filter only;            /* the institutions it lists */
	/* the page's own keys and list, added to its base view */
	void (*add)(const render_ctx *r, cJSON *v, const listing_page *pg,
		    const void *arg);
	/* its map drawn for page at (a fresh string, NULL when drawing
	 * failed), or NULL for a listing without one */
	char *(*map)(const render_ctx *r, route at, const void *arg);
	const void *arg;
	/* the country group the listing is (its members lie side by side in
	 * by_country), or NULL: only then are all institutions filtered */
	const country_group *group;
} listing;

/* The positions in by_country of l's institutions: *n of them, fresh. */
static size_t *listing_members(const render_ctx *r, const listing *l, size_t *n)
{
	if (!l->group)
		return paging_members(r, l->only, n);
	size_t *pos = xcalloc(l->group->count ? l->group->count : 1, sizeof *pos);
	for (*n = 0; *n < l->group->count; (*n)++)
		pos[*n] = l->group->first + *n;
	return pos;
}

/* How many of g's institutions each network has, by display rank (a
 * fresh array of s->nnet counts). Each member's ranks are looked at:
 * each network looked for in each member's list was networks times
 * members, per page of the country (105 s for 10,000 of each in one
 * country). */
static size_t *country_network_counts(const render_ctx *r, const country_group *g)
{
	size_t *count = xcalloc(r->s->nnet + 1, sizeof *count);
	for (size_t j = 0; j < g->count; j++) {
		size_t n;
		const size_t *rank = render_inst_ranks(r, r->by_country[g->first + j], &n);
		for (size_t k = 0; k < n; k++)
			count[rank[k]]++;
	}
	return count;
}

/* The map of page at, a copy for write_route_page to take. Links in a
 * map start from the page, so it is drawn once for the first page and
 * once for all that follow (maps[1]), which lie deeper alike. */
static char *paged_map(const render_ctx *r, char *maps[2], route at,
		       const listing *l)
{
	char **m = &maps[at.page > 1];
	if (!*m)
		*m = l->map(r, at, l->arg);
	return *m ? xstrdup(*m) : NULL;
}

/* A string into a digest: its length first, so that no two lists of
 * strings give the same bytes; NULL as no string. */
static void shown_str(struct sha256_ctx *h, const char *s)
{
	size_t n = s ? strlen(s) : (size_t)-1;
	sha256_update(h, sizeof n, (const uint8_t *)&n);
	if (s)
		sha256_update(h, n, (const uint8_t *)s);
}

/* The counts per network of l's country (a country's pages show them all,
 * whichever members a page lists) into h; nothing for another listing. */
static void listing_counts(const render_ctx *r, const listing *l,
			   struct sha256_ctx *h)
{
	if (!l->group)
		return;
	size_t *count = country_network_counts(r, l->group);
	sha256_update(h, r->s->nnet * sizeof *count, (const uint8_t *)count);
	free(count);
}

/* What listing l's map and counts are made from, over all its members
 * (those at pos[0 .. n) of by_country), as its SHA-256 into
 * out: what the map draws of each, which the map's marker
 * gives (where and how it is marked: the basemap feature, the marker's
 * network, its networks and exchanges, its name, city and country) and,
 * for a country, how many of its partners each network has. These are
 * the map's inputs, not the map: drawing the map of every listing that
 * is kept would cost a build more than the pages it keeps; they name the
 * map's digest (listing_drawn). Hashed as they are read, not gathered: a
 * network of 100,000 members would gather some 17 MB. */
static void listing_shown(const render_ctx *r, const listing *l, const size_t *pos,
			  size_t n, unsigned char out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx h;
	sha256_init(&h);
	for (size_t k = 0; l->map && k < n; k++) {
		size_t i = r->by_country[pos[k]];
		const institution *in = &r->s->inst[i];
		struct {
			int feature, marker;
			double lat, lon;
			size_t ranks, exchanges;
		} fixed;
		memset(&fixed, 0, sizeof fixed); /* no padding left unset */
		fixed.feature = r->inst_feature[i];
		fixed.marker = r->inst_marker_net[i];
		fixed.lat = in->lat;
		fixed.lon = in->lon;
		fixed.exchanges = in->exchanges.n;
		const size_t *rank = render_inst_ranks(r, i, &fixed.ranks);
		sha256_update(&h, sizeof fixed, (const uint8_t *)&fixed);
		sha256_update(&h, fixed.ranks * sizeof *rank, (const uint8_t *)rank);
		shown_str(&h, in->slug);
		shown_str(&h, in->name);
		shown_str(&h, in->city);
		shown_str(&h, in->country);
		for (size_t e = 0; e < in->exchanges.n; e++)
			shown_str(&h, in->exchanges.v[e]);
	}
	listing_counts(r, l, &h);
	sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

/* What every page of listing l (of `pages` pages) shows of all its
 * members, for each page's fingerprint (render_reuse's shown), into out:
 * its map as drawn (both drawings, the first page's and the others', as
 * their links differ) and a country's counts per network. An edit the
 * map does not show (a member inside a cluster of markers renamed)
 * then renders no page but the one that lists the member. Drawing the
 * map costs a page's rendering, so the last build's digest is taken
 * (render_reuse.recall) while the inputs of the map (listing_shown) are
 * the same; else the map is drawn into maps, which the pages then use. */
static void listing_drawn(const render_ctx *r, const listing *l,
			  const size_t *pos, size_t n, size_t pages,
			  char *maps[2], unsigned char out[SHA256_DIGEST_SIZE])
{
	const render_reuse *u = r->reuse;
	unsigned char inputs[SHA256_DIGEST_SIZE];
	listing_shown(r, l, pos, n, inputs);
	if (!l->map || !u->recall) {
		memcpy(out, inputs, sizeof inputs);
		return;
	}
	char *key = route_file(l->first);
	if (!u->recall(u->ctx, key, inputs, out)) {
		struct sha256_ctx h;
		sha256_init(&h);
		for (int p = 1; p <= (pages > 1 ? 2 : 1); p++) {
			char *svg = paged_map(r, maps, (route){l->first.kind,
							      l->first.key, p}, l);
			shown_str(&h, svg);
			free(svg);
		}
		listing_counts(r, l, &h);
		sha256_digest(&h, SHA256_DIGEST_SIZE, out);
	}
	u->remember(u->ctx, key, inputs, out);
	free(key);
}

/* Every page of listing l but those kept from the last build: each page
 * is a unit of its own (publish/reuse.h), so that an edit renders the
 * page that lists the record, not the hundreds beside it. */
static int write_listing(const render_ctx *r, const listing *l)
{
	size_t n, *pos = listing_members(r, l, &n);
	size_t pages = paging_pages(r, n), size = paging_size(r);
	size_t last = r->first_pages && pages > 1 ? 1 : pages;
	char *maps[2] = {NULL, NULL};
	/* hashed once for all the listing's pages (a network's hundreds
	 * would each hash its thousands of members again) */
	unsigned char shown[SHA256_DIGEST_SIZE] = {0};
	if (r->reuse)
		listing_drawn(r, l, pos, n, pages, maps, shown);
	int rc = 0;
	for (int p = 1; rc == 0 && (size_t)p <= last; p++) {
		size_t from = paging_first(r, p);
		listing_page pg = {{l->first.kind, l->first.key, p}, pos + from,
				   n - from < size ? n - from : size, n, l->only};
		char *unit = route_file(pg.at);
		int kept = render_kept_showing(r, unit, shown, sizeof shown);
		free(unit);
		if (kept) {
			rc = kept < 0 ? -1 : 0;
			continue;
		}
		arena_begin(); /* the page's view (util/arena.h) */
		cJSON *v = view_base(r, pg.at);
		l->add(r, v, &pg, l->arg);
		cJSON *paging = view_paging(r, pg.at, pages);
		if (paging)
			cJSON_AddItemToObject(v, "paging", paging);
		char *svg = l->map ? paged_map(r, maps, pg.at, l) : NULL;
		rc = write_route_page(r, l->tpl, pg.at, v, svg, l->map != NULL);
		arena_end();
	}
	free(maps[0]);
	free(maps[1]);
	free(pos);
	return rc;
}

static void network_keys(const render_ctx *r, cJSON *v, const listing_page *pg,
			 const void *arg)
{
	size_t n = *(const size_t *)arg;
	cJSON_AddItemToObject(v, "network", view_network(r, n));
	paging_add_groups(r, v, pg->pos, pg->n, pg->only);
}

static char *network_map(const render_ctx *r, route at, const void *arg)
{
	return world_map(r, at, 0, &r->s->net[*(const size_t *)arg]);
}

static int page_network(const render_ctx *r, size_t n)
{
	const network *net = &r->s->net[n];
	listing l = {"network", {ROUTE_NETWORK, net->slug, 1},
		     {inst_in_network, net->slug}, network_keys, network_map, &n,
		     NULL};
	return write_listing(r, &l);
}

static int inst_in_country(const institution *in, const char *alpha2)
{
	return !strcmp(in->country, alpha2);
}

static char *country_map(const render_ctx *r, route at, const void *arg)
{
	const country_group *g = arg;
	return locator_map(r, g->c->alpha2, r->by_country + g->first, g->count,
			   at, render_country_name(r, g->c), 0);
}

/* The networks g's institutions belong to, with how many each has. */
static cJSON *country_networks(const render_ctx *r, const country_group *g)
{
	cJSON *nets = cJSON_CreateArray();
	size_t *count = country_network_counts(r, g);
	for (size_t k = 0; k < r->s->nnet; k++) {
		if (!count[k])
			continue;
		cJSON *o = view_network(r, r->net_order[k]);
		char *here = i18n_number(r->i18n, (double)count[k]);
		cJSON_AddStringToObject(o, "count_here", here);
		free(here);
		cJSON_AddItemToArray(nets, o);
	}
	free(count);
	return nets;
}

/* A country's page lists the institutions of its page alone (a group's
 * members lie side by side in by_country), under the whole count. */
static void country_keys(const render_ctx *r, cJSON *v, const listing_page *pg,
			 const void *arg)
{
	const country_group *g = arg;
	country_group part = {g->c, pg->n ? pg->pos[0] : g->first, pg->n};
	cJSON *c = view_country_group(r, &part, INST_ALL, 0);
	if (pg->n != pg->total) {
		char *count = i18n_number(r->i18n, (double)pg->total);
		cJSON_ReplaceItemInObject(c, "count", cJSON_CreateString(count));
		free(count);
	}
	cJSON_AddItemToObject(v, "country", c);
	cJSON_AddItemReferenceToObject(v, "institutions",
				       cJSON_GetObjectItem(c, "institutions"));
	cJSON_AddItemToObject(v, "country_networks", country_networks(r, g));
}

static int page_country(const render_ctx *r, const country_group *g)
{
	listing l = {"country", {ROUTE_COUNTRY, g->c->alpha2, 1},
		     {inst_in_country, g->c->alpha2}, country_keys, country_map, g, g};
	return write_listing(r, &l);
}

static void elective_keys(const render_ctx *r, cJSON *v, const listing_page *pg,
			  const void *arg)
{
	size_t e = *(const size_t *)arg;
	const char *type = render_electives[e];
	cJSON *o = cJSON_AddObjectToObject(v, "elective");
	cJSON_AddStringToObject(o, "slug", type);
	char *label = i18n_text(r->i18n, type, NULL);
	cJSON_AddStringToObject(o, "label", label);
	free(label);
	cJSON_AddNumberToObject(o, "count", (double)r->elective_count[e]);
	/* the CSV lies beside the first page */
	if (pg->at.page > 1) {
		char *root = route_root(r->s->cfg.base_url, pg->at);
		char *path = route_path((route){ROUTE_ELECTIVE, type, 1});
		add_owned(o, "csv_href", xasprintf("%s%s%s", root, path,
						   ROUTE_ELECTIVE_CSV));
		free(root);
		free(path);
	} else {
		cJSON_AddStringToObject(o, "csv_href", ROUTE_ELECTIVE_CSV);
	}
	paging_add_groups(r, v, pg->pos, pg->n, pg->only);
}

/* electives/<type>/: the partners offering one type of elective, by
 * country, and the same list as CSV beside it: the home page's filter,
 * built for readers without JavaScript. */
static int page_elective(const render_ctx *r, size_t e)
{
	const char *type = render_electives[e];
	route at = {ROUTE_ELECTIVE, type, 1};
	inst_filter only = {inst_offers, type};
	char *path = route_path(at);
	char *rel = xconcat(path, ROUTE_ELECTIVE_CSV);
	int rc = r->first_pages ? 0 : render_kept(r, rel); /* a unit of its own */
	if (rc == 0 && !r->first_pages)
		rc = render_write_csv_streamed(r, rel, only);
	free(rel);
	free(path);
	if (rc < 0)
		return -1;
	listing l = {"elective", at, only, elective_keys, NULL, &e, NULL};
	return write_listing(r, &l);
}

static int page_freeform(const render_ctx *r, const page *p)
{
	route at = {ROUTE_PAGE, p->slug, 0};
	cJSON *v = view_base(r, at);
	cJSON *o = cJSON_AddObjectToObject(v, "page");
	cJSON_AddStringToObject(o, "slug", p->slug);
	cJSON_AddStringToObject(o, "title", p->title);
	cJSON_AddStringToObject(o, "body_html", p->body_html);
	view_fallback(r, o, p->fallback & PM_FALLBACK_BODY, p->body_html,
		      "body_lang");
	return write_route_page(r, "page", at, v, NULL, 0);
}

/* 404.html is served in place of any missing path, so its links cannot be
 * relative: they start from base_url's path (route_root). */
static int page_404(const render_ctx *r)
{
	route at = {ROUTE_NOT_FOUND, NULL, 0};
	int kept = reused(r, at, route_file);
	if (kept)
		return kept < 0 ? -1 : 0;
	return write_route_page(r, "404", at, view_base(r, at), NULL, 0);
}

static int write_buf(const render_ctx *r, const char *rel,
		     int (*fn)(const render_ctx *, buf_t *))
{
	buf_t b = BUF_INIT;
	int rc = fn(r, &b);
	if (rc == 0)
		rc = render_write(r, rel, b.ptr, b.len);
	else
		diag_fatal(r->d, rel, "cannot write");
	buf_free(&b);
	return rc;
}

static int same_diag(const diag_t *a, const diag_t *b)
{
	return a->level == b->level && a->line == b->line && a->col == b->col &&
	       !strcmp(a->msg, b->msg) &&
	       (a->path == b->path || (a->path && b->path && !strcmp(a->path, b->path)));
}

/* Move one page's diagnostics to d, leaving out an error d already holds
 * word for word: every page stops at the same template limit, and one
 * message says it. */
static void merge_diags(diags_t *d, diags_t *w)
{
	size_t had = d->n;
	for (size_t i = 0; i < w->n; i++) {
		const diag_t *x = &w->v[i];
		int dup = 0;
		for (size_t k = 0; x->level != DIAG_WARNING && !dup && k < had; k++)
			dup = same_diag(x, &d->v[k]);
		if (!dup)
			diags_add(d, x->level, x->check, x->path, x->line, x->col,
				  "%s", x->msg);
	}
	diags_free(w);
}

/* ---- every file of the site, on -j threads ------------------------------ */

/* Each file (or page with its bundle) is one job; a job reads the model,
 * the map and the templates, which nothing changes now, and writes its own
 * files. The kinds of job, in the order a one-thread build made them,
 * which is the order their diagnostics are given in whatever the threads. */

static int job_home(const render_ctx *r, size_t k)
{
	return page_home(r);
}

/* the clustered home page's data loaded on demand (clusters.c) */
static int job_lazy_data(const render_ctx *r, size_t k)
{
	return render_lazy_data(r);
}

/* map.svg sits at the top, as the home page does: its links match */
static int job_map_svg(const render_ctx *r, size_t k)
{
	int kept = render_kept(r, ROUTE_MAP_SVG);
	if (kept)
		return kept < 0 ? -1 : 0;
	char *svg = world_map(r, (route){ROUTE_HOME, NULL, 0}, 1, NULL);
	int rc = svg ? render_write(r, ROUTE_MAP_SVG, svg, strlen(svg)) : -1;
	free(svg);
	return rc;
}

static int job_institution(const render_ctx *r, size_t k)
{
	return page_institution(r, k);
}

static int job_country(const render_ctx *r, size_t k)
{
	return page_country(r, &r->groups[k]);
}

static int job_page(const render_ctx *r, size_t k)
{
	return page_freeform(r, &r->s->pages[k]);
}

static int job_404(const render_ctx *r, size_t k)
{
	return page_404(r);
}

/* One feed per language, first; the open data and the sitemap (which
 * lists every language's pages) once, in the default language. */
static const struct {
	const char *rel;
	int (*fn)(const render_ctx *, buf_t *);
	/* when set, the file is written in pieces as it is made */
	render_each each;
	/* each makes one piece per institution (render/splice.h) */
	int pieces;
} exports[] = {
	{ROUTE_FEED, export_feed, NULL, 0},
	{ROUTE_GEOJSON, export_geojson, export_geojson_each, 1},
	{ROUTE_CSV, export_csv, export_csv_each, 1},
	{ROUTE_SITEMAP, export_sitemap, export_sitemap_each, 0},
};
#define NEXPORTS (sizeof exports / sizeof exports[0])

/* A file written as it is made (export_flush into a stage_stream). */
typedef struct render_piece {
	const render_ctx *r;
	stage_stream w;
	int failed; /* a write failed (reported, or reported by the close) */
} render_piece;

static int write_piece_out(void *arg, buf_t *out)
{
	render_piece *p = arg;
	p->failed = stage_stream_write(&p->w, out->ptr, out->len, p->r->d) < 0;
	buf_reset(out);
	return p->failed ? -1 : 0;
}

/* An export written in pieces as it is made (partners.geojson, 160 MB at
 * 100,000 institutions, and partners.csv): held whole, the GeoJSON was the
 * build's peak of memory. */
/* What a streamed file is made by: each, or (each NULL) export_csv_where
 * with only. */
typedef struct stream_maker {
	render_each each;
	inst_filter only;
	int pieces; /* one piece per institution (render/splice.h) */
} stream_maker;

render_splice *render_splice_of(export_flush flush, void *arg)
{
	return flush == splice_flush ? arg : NULL;
}

static int write_streamed(const render_ctx *r, const char *rel,
			  const stream_maker *m)
{
	const char *dir = r->nlangs ? r->langs[r->lang].dir : "";
	char *path = xconcat(dir, rel);
	render_piece p = {r, {0}, 0};
	int rc = stage_stream_open(r->st, path, &p.w, r->d);
	if (rc < 0) {
		free(path);
		return -1;
	}
	/* the pieces the last build wrote of it, where they are still true */
	const render_reuse *u = r->reuse;
	render_splice *sp = m->pieces && u && u->splice_open ?
		u->splice_open(u->ctx, r, path) : NULL;
	export_flush flush = write_piece_out;
	void *arg = &p;
	if (sp) {
		sp->flush = write_piece_out;
		sp->arg = &p;
		flush = splice_flush;
		arg = sp;
	}
	buf_t b = BUF_INIT;
	rc = m->each ? m->each(r, &b, flush, arg) :
		export_csv_where(r, m->only, &b, flush, arg);
	buf_free(&b);
	if (rc < 0 && sp && sp->failed)
		diag_fatal(r->d, rel, "the last build's file changed while it "
			   "was read (%s); run the build again",
			   strerror(sp->failed));
	else if (rc < 0 && !p.failed)
		diag_fatal(r->d, rel, "cannot write");
	int closed = stage_stream_close(&p.w, r->d);
	if (sp)
		u->splice_close(u->ctx, path, sp, rc == 0 && closed == 0);
	free(path);
	return rc < 0 ? -1 : closed;
}

int render_write_streamed(const render_ctx *r, const char *rel,
			  render_each each, int pieces)
{
	stream_maker m = {.each = each, .pieces = pieces};
	return write_streamed(r, rel, &m);
}

int render_write_csv_streamed(const render_ctx *r, const char *rel,
			      inst_filter only)
{
	stream_maker m = {.only = only, .pieces = 1};
	return write_streamed(r, rel, &m);
}

static int job_export(const render_ctx *r, size_t k)
{
	int kept = render_kept(r, exports[k].rel);
	if (kept)
		return kept < 0 ? -1 : 0;
	if (exports[k].each)
		return render_write_streamed(r, exports[k].rel, exports[k].each,
					     exports[k].pieces);
	return write_buf(r, exports[k].rel, exports[k].fn);
}

enum { JOB_ONE, JOB_INSTITUTIONS, JOB_NETWORKS, JOB_COUNTRIES, JOB_ELECTIVES,
       JOB_PAGES, JOB_EXPORTS };

/* count: how many jobs of the kind (JOB_ONE: one); early: a kind of few
 * large files (a list or a map of many institutions), handed out before
 * the many small pages so that no thread is left with a large one last. */
static const struct job_kind {
	int (*run)(const render_ctx *r, size_t k);
	int count, early;
} job_kinds[] = {
	{job_home, JOB_ONE, 1},
	{job_lazy_data, JOB_ONE, 1},
	{job_map_svg, JOB_ONE, 1},
	{job_institution, JOB_INSTITUTIONS, 0},
	{page_network, JOB_NETWORKS, 1},
	{job_country, JOB_COUNTRIES, 1},
	{page_elective, JOB_ELECTIVES, 1},
	{job_page, JOB_PAGES, 0},
	{job_404, JOB_ONE, 0},
	{job_export, JOB_EXPORTS, 1},
};
#define NKINDS (sizeof job_kinds / sizeof job_kinds[0])
_Static_assert(NKINDS == RENDER_JOB_KINDS, "render.h's render_job_kind "
	       "follows job_kinds");

static size_t kind_count(const render_ctx *r, int count)
{
	switch (count) {
	case JOB_INSTITUTIONS: return r->s->ninst;
	case JOB_NETWORKS: return r->s->nnet;
	case JOB_COUNTRIES: return r->ngroups;
	case JOB_ELECTIVES: return RENDER_ELECTIVES;
	case JOB_PAGES: return r->s->npages;
	case JOB_EXPORTS: return r->lang == 0 ? NEXPORTS : 1;
	default: return 1;
	}
}

size_t render_job_count(const render_ctx *r, render_job_kind kind)
{
	return kind < NKINDS ? kind_count(r, job_kinds[kind].count) : 0;
}

int render_job(const render_ctx *r, render_job_kind kind, size_t k)
{
	if (k >= render_job_count(r, kind))
		return -1;
	return job_kinds[kind].run(r, k);
}

long render_export_job(const render_ctx *r, const char *rel)
{
	size_t n = render_job_count(r, RENDER_JOB_EXPORT);
	for (size_t k = 0; k < n; k++)
		if (!strcmp(exports[k].rel, rel))
			return (long)k;
	return -1;
}

/* The jobs of one build: job j of kind t is number base[t] + j in the
 * order above, and is handed out at turn sched[t] + j. */
typedef struct job_queue {
	size_t n, base[NKINDS], count[NKINDS], sched[NKINDS];
	size_t nearly;         /* turns [0, nearly) are the early kinds' */
	atomic_size_t next_early, next_late; /* the next turns to hand out */
	atomic_int early_busy; /* a thread runs an early job */
	/* the first turn, in a one-thread build's order, whose job failed
	 * (q->n while none has): the turns after it are not run, and those
	 * before it still are, so that the same jobs run, and say the same,
	 * whatever the number of threads */
	atomic_size_t failed_at;
	diags_t **diags;       /* per job number, what it reported, or NULL */
} job_queue;

static void queue_init(job_queue *q, const render_ctx *r)
{
	memset(q, 0, sizeof *q);
	for (size_t t = 0; t < NKINDS; t++) {
		q->base[t] = q->n;
		q->count[t] = kind_count(r, job_kinds[t].count);
		q->n += q->count[t];
	}
	size_t turn = 0;
	for (int early = 1; early >= 0; early--) {
		for (size_t t = 0; t < NKINDS; t++)
			if (job_kinds[t].early == early) {
				q->sched[t] = turn;
				turn += q->count[t];
			}
		if (early)
			q->nearly = turn;
	}
	atomic_init(&q->next_early, 0);
	atomic_init(&q->next_late, q->nearly);
	atomic_init(&q->early_busy, 0);
	atomic_init(&q->failed_at, q->n);
	q->diags = xcalloc(q->n ? q->n : 1, sizeof *q->diags);
}

typedef struct worker {
	render_ctx r;      /* a copy whose d is the worker's own */
	diags_t d;
	job_queue *q;
	pthread_t thread;
} worker;

/* Run the job at `turn`, keeping what it reported under its number. */
static void run_turn(worker *w, size_t turn)
{
	job_queue *q = w->q;
	size_t t = 0;
	while (turn < q->sched[t] || turn >= q->sched[t] + q->count[t])
		t++;
	size_t j = turn - q->sched[t];
	if (job_kinds[t].run(&w->r, j) < 0) {
		size_t was = atomic_load(&q->failed_at);
		while (turn < was &&
		       !atomic_compare_exchange_weak(&q->failed_at, &was, turn))
			;
	}
	if (w->d.n) {
		diags_t *kept = xcalloc(1, sizeof *kept);
		diags_move(kept, &w->d);
		q->diags[q->base[t] + j] = kept;
	}
}

/* The next turn for a thread, or q->n when none is left. Early jobs are
 * large: one thread at a time takes them while the others render the
 * many small pages, so that a build holds one large file at once, not one
 * per thread; once the small pages are all taken, any thread helps. */
static size_t next_turn(job_queue *q, int *holds)
{
	*holds = !atomic_exchange(&q->early_busy, 1);
	if (*holds) {
		size_t turn = atomic_fetch_add(&q->next_early, 1);
		if (turn < q->nearly)
			return turn; /* early_busy is released after the job */
		atomic_store(&q->early_busy, 0);
		*holds = 0;
	}
	size_t turn = atomic_fetch_add(&q->next_late, 1);
	if (turn < q->n)
		return turn;
	turn = atomic_fetch_add(&q->next_early, 1);
	return turn < q->nearly ? turn : q->n;
}

static void *work(void *arg)
{
	worker *w = arg;
	job_queue *q = w->q;
	for (;;) {
		int holds;
		size_t turn = next_turn(q, &holds);
		if (turn >= q->n)
			break;
		if (turn < atomic_load(&q->failed_at))
			run_turn(w, turn);
		if (holds)
			atomic_store(&q->early_busy, 0);
	}
	return NULL;
}

int render_site(render_ctx *r)
{
	arena_install(); /* before the threads (main.c installs it first) */
	job_queue q;
	queue_init(&q, r);
	size_t jobs = r->jobs > 0 ? (size_t)r->jobs : 1;
	if (jobs > q.n)
		jobs = q.n ? q.n : 1;
	worker *w = xcalloc(jobs, sizeof *w);
	size_t started = 0;
	for (size_t k = 0; k < jobs; k++) {
		w[k].r = *r;
		w[k].r.d = &w[k].d;
		w[k].q = &q;
		if (k == 0)
			continue; /* the calling thread is worker 0 */
		if (pthread_create(&w[k].thread, NULL, work, &w[k]) != 0)
			break;
		started = k;
	}
	work(&w[0]);
	for (size_t k = 1; k <= started; k++)
		pthread_join(w[k].thread, NULL);
	/* what the jobs up to the first that failed said, in job order; a
	 * later one that ran before the failure was known says nothing */
	size_t failed_at = atomic_load(&q.failed_at);
	size_t errors = r->d->errors + r->d->fatals;
	for (size_t t = 0; t < NKINDS; t++)
		for (size_t j = 0; j < q.count[t]; j++) {
			diags_t **said = &q.diags[q.base[t] + j];
			if (*said && q.sched[t] + j <= failed_at) {
				merge_diags(r->d, *said); /* frees **said */
				free(*said);
				*said = NULL;
			}
		}
	/* A job may fail without an error of its own when another told it
	 * first: the site's byte limit (publish/stage.h) is told once, by
	 * the write that passed it, and that write may be a later turn's
	 * than the first refused. The build then says the first error (in
	 * job order) that a later job told: a failed build is never silent. */
	int unexplained = failed_at < q.n && r->d->errors + r->d->fatals == errors;
	for (size_t t = 0; t < NKINDS; t++)
		for (size_t j = 0; j < q.count[t]; j++) {
			diags_t *said = q.diags[q.base[t] + j];
			if (said && unexplained && said->errors + said->fatals) {
				merge_diags(r->d, said);
				unexplained = 0;
			} else if (said)
				diags_free(said);
			free(said);
		}
	/* a cancel fails the writes without a word: no fault of ours */
	if (unexplained && stage_cancelled(r->st))
		unexplained = 0;
	if (unexplained) /* no job told why: a fault of partnermap's own */
		diag_error(r->d, NULL, 0, 0,
			   "the build failed without saying why; this is a bug in "
			   "partnermap: run it again with -j 1 and report what it says");
	for (size_t k = 0; k < jobs; k++)
		diags_free(&w[k].d);
	free(q.diags);
	free(w);
	return failed_at < q.n ? -1 : 0;
}
