/* model.c - serve's model in memory and the files rendered on request
 * (model.h). */
#define _GNU_SOURCE /* pthread_rwlockattr_setkind_np */
#include "serve/model.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "geo/map.h"
#include "load/load.h"
#include "publish/assets.h"
#include "publish/stage.h"
#include "render/render.h"
#include "serve/records.h"
#include "site.h"
#include "util/fs.h"
#include "util/memo.h"

/* ---- the files of one model ------------------------------------------- */

#define FILE_BUCKETS 4096 /* a power of two */

typedef struct live_file {
	char *rel;
	char *data;
	size_t n;
	struct live_file *next;
} live_file;

enum { JOB_TODO, JOB_RUNNING, JOB_DONE, JOB_FAILED };

/* One language's render context, made when a file of it is first asked. */
typedef struct gen_lang {
	int ready;
	render_ctx r;
	site view;
	unsigned char *state[RENDER_JOB_KINDS]; /* per job: JOB_* */
	size_t count[RENDER_JOB_KINDS];
} gen_lang;

/* A good model and the files rendered from it so far. */
typedef struct gen {
	pm_ready *ready;
	unsigned char *borrowed;  /* its institutions the record cache owns */
	stage st;                 /* in memory: hands files to keep_file */
	asset_list assets;
	size_t nlang;
	gen_lang *lang;
	pthread_mutex_t mu;       /* files, lang[].ready and job states */
	pthread_cond_t cv;        /* a job ended */
	live_file *files[FILE_BUCKETS];
	diags_t failed;           /* what the jobs that failed said */
	str_memo *memo;           /* the model's (live_model.memo), lent */
} gen;

static size_t bucket(const char *rel)
{
	size_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & (FILE_BUCKETS - 1);
}

static live_file *find_file(gen *g, const char *rel)
{
	for (live_file *f = g->files[bucket(rel)]; f; f = f->next)
		if (!strcmp(f->rel, rel))
			return f;
	return NULL;
}

/* stage_sink: a file a job wrote. A job writes each of its files once. */
static int keep_file(void *ctx, const char *rel, const void *data, size_t n,
		     diags_t *d)
{
	gen *g = ctx;
	live_file *f = xcalloc(1, sizeof *f);
	f->rel = xstrdup(rel);
	f->data = xmalloc(n ? n : 1);
	memcpy(f->data, data, n);
	f->n = n;
	pthread_mutex_lock(&g->mu);
	size_t b = bucket(rel);
	f->next = g->files[b];
	g->files[b] = f;
	pthread_mutex_unlock(&g->mu);
	return 0;
}

static void gen_free(gen *g)
{
	if (!g)
		return;
	for (size_t k = 0; k < g->nlang; k++) {
		gen_lang *l = &g->lang[k];
		if (l->ready)
			pm_render_close(&l->r, k ? &l->view : NULL);
		for (size_t t = 0; t < RENDER_JOB_KINDS; t++)
			free(l->state[t]);
	}
	free(g->lang);
	for (size_t b = 0; b < FILE_BUCKETS; b++)
		for (live_file *f = g->files[b], *next; f; f = next) {
			next = f->next;
			free(f->rel);
			free(f->data);
			free(f);
		}
	assets_free(&g->assets);
	stage_close(&g->st);
	pm_ready_free(g->ready, g->borrowed);
	free(g->borrowed);
	diags_free(&g->failed);
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

/* A model made good: its assets now (a few files), the rest on request. */
static gen *gen_new(pm_ready *p, unsigned char *borrowed, str_memo *memo,
		    diags_t *d)
{
	gen *g = xcalloc(1, sizeof *g);
	g->memo = memo;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->ready = p;
	g->borrowed = borrowed;
	g->nlang = pm_ready_languages(p);
	g->lang = xcalloc(g->nlang ? g->nlang : 1, sizeof *g->lang);
	stage_open_memory(&g->st, keep_file, g);
	if (pm_ready_assets(p, &g->st, &g->assets, d) < 0) {
		g->borrowed = NULL; /* the caller still owns p and borrowed */
		g->ready = NULL;
		gen_free(g);
		return NULL;
	}
	return g;
}

/* Language k's render context and job table, made once (under g->mu). */
static gen_lang *lang_of(gen *g, size_t k)
{
	gen_lang *l = &g->lang[k];
	if (l->ready)
		return l;
	pm_render_open(g->ready, k, &g->st, &g->assets, g->memo, NULL, &l->r,
		       &l->view);
	for (size_t t = 0; t < RENDER_JOB_KINDS; t++) {
		l->count[t] = render_job_count(&l->r, t);
		l->state[t] = xcalloc(l->count[t] ? l->count[t] : 1, 1);
	}
	l->ready = 1;
	return l;
}

/* ---- which job writes a file ------------------------------------------- */

typedef struct job_ref {
	size_t lang;
	render_job_kind kind;
	size_t k;
} job_ref;

/* The first segment of path (up to "/" or its end) is word. */
static int first_is(const char *path, const char *word, const char **rest)
{
	size_t n = strlen(word);
	if (strncmp(path, word, n) || (path[n] && path[n] != '/'))
		return 0;
	*rest = path[n] ? path + n + 1 : path + n;
	return 1;
}

/* The first segment of path, a fresh string. */
static char *segment(const char *path)
{
	const char *slash = strchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(path);
}

static long institution_job(const site *s, const char *key)
{
	const institution *in = site_institution(s, key);
	return in ? in - s->inst : -1;
}

static long network_job(const site *s, const char *key)
{
	const network *net = site_network(s, key);
	return net ? net - s->net : -1;
}

/* A country's folder is its code in lower case (routes.h). */
static long country_job(const render_ctx *r, const char *key)
{
	for (size_t k = 0; k < r->ngroups; k++) {
		char code[3];
		route_country_code(code, r->groups[k].c->alpha2);
		if (!strcmp(code, key))
			return (long)k;
	}
	return -1;
}

static long elective_job(const char *key)
{
	for (size_t k = 0; k < RENDER_ELECTIVES; k++)
		if (!strcmp(render_electives[k], key))
			return (long)k;
	return -1;
}

static long page_job(const site *s, const char *key)
{
	for (size_t k = 0; k < s->npages; k++)
		if (!strcmp(s->pages[k].slug, key))
			return (long)k;
	return -1;
}

/* countries/search.js and countries/<code>/list-<n>.js: the clustered
 * home page's data (render.h, render_lazy_data). */
static int is_lazy_data(const char *rest)
{
	if (!strcmp(rest, RENDER_SEARCH_JS))
		return 1;
	const char *slash = strchr(rest, '/');
	return slash && !strchr(slash + 1, '/') &&
	       !strncmp(slash + 1, "list-", 5);
}

/* The job of language l's file path (below the language's folder). */
static int job_in_language(const gen_lang *l, const char *path, job_ref *j)
{
	static const struct {
		const char *folder;
		render_job_kind kind;
	} folders[] = {
		{"institutions", RENDER_JOB_INSTITUTION},
		{"networks", RENDER_JOB_NETWORK},
		{"countries", RENDER_JOB_COUNTRY},
		{"electives", RENDER_JOB_ELECTIVE},
	};
	const render_ctx *r = &l->r;
	const char *rest;
	long k = -1;
	if (!strcmp(path, "index.html")) {
		j->kind = RENDER_JOB_HOME;
		k = 0;
	} else if (!strcmp(path, ROUTE_MAP_SVG) || !strcmp(path, "404.html")) {
		j->kind = *path == 'm' ? RENDER_JOB_MAP_SVG : RENDER_JOB_404;
		k = 0;
	} else if ((k = render_export_job(r, path)) >= 0) {
		j->kind = RENDER_JOB_EXPORT;
	} else if (first_is(path, "countries", &rest) && is_lazy_data(rest)) {
		j->kind = RENDER_JOB_LAZY_DATA;
		k = 0;
	} else {
		for (size_t f = 0; k < 0 && f < sizeof folders / sizeof folders[0];
		     f++) {
			if (!first_is(path, folders[f].folder, &rest))
				continue;
			char *key = segment(rest);
			j->kind = folders[f].kind;
			k = j->kind == RENDER_JOB_INSTITUTION ? institution_job(r->s, key) :
			    j->kind == RENDER_JOB_NETWORK ? network_job(r->s, key) :
			    j->kind == RENDER_JOB_COUNTRY ? country_job(r, key) :
			    elective_job(key);
			free(key);
			if (k < 0)
				return 0;
		}
		if (k < 0) {
			char *key = segment(path);
			j->kind = RENDER_JOB_PAGE;
			k = page_job(r->s, key);
			free(key);
		}
	}
	j->k = (size_t)k;
	return k >= 0 && (size_t)k < l->count[j->kind];
}

/* The job that writes rel; 0 when none does. Under g->mu. */
static int job_of(gen *g, const char *rel, job_ref *j)
{
	const site *s = pm_ready_site(g->ready);
	j->lang = 0;
	for (size_t k = 1; k < g->nlang; k++) {
		const char *rest;
		if (first_is(rel, s->cfg.languages.v[k], &rest)) {
			j->lang = k;
			rel = rest;
			break;
		}
	}
	return job_in_language(lang_of(g, j->lang), rel, j);
}

/* Run job j unless it ran or runs (then wait for it). Under g->mu, which
 * it lets go while the job runs. */
static void run_job(gen *g, const job_ref *j)
{
	gen_lang *l = &g->lang[j->lang];
	unsigned char *state = &l->state[j->kind][j->k];
	while (*state == JOB_RUNNING)
		pthread_cond_wait(&g->cv, &g->mu);
	if (*state != JOB_TODO)
		return;
	*state = JOB_RUNNING;
	render_ctx r = l->r;
	diags_t d = DIAGS_INIT;
	r.d = &d;
	pthread_mutex_unlock(&g->mu);
	int rc = render_job(&r, j->kind, j->k);
	diags_print(&d, stderr);
	pthread_mutex_lock(&g->mu);
	*state = rc < 0 ? JOB_FAILED : JOB_DONE;
	if (rc < 0)
		diags_move(&g->failed, &d);
	diags_free(&d);
	pthread_cond_broadcast(&g->cv);
}

/* ---- the basemap kept ------------------------------------------------------ */

/* What the basemap is made from, beyond the files it names in site.yml:
 * every file of its folder by stat, and the locations it keeps partners
 * inside their countries at (build.c, load_map). */
static void map_key(const site *s, const buf_t *config, buf_t *key)
{
	buf_reset(key);
	buf_put(key, config->ptr, config->len);
	const char *base = s->cfg.map.basemap;
	char *folder = fs_folder_of(base ? base : "", ".");
	char *dir = fs_join(s->dir, folder);
	fs_folder_identity(dir, key);
	free(dir);
	free(folder);
	for (size_t i = 0; i < s->ninst; i++) {
		double at[2] = {s->inst[i].lon, s->inst[i].lat};
		buf_put(key, at, sizeof at);
	}
}

/* ---- the model ----------------------------------------------------------- */

struct live_model {
	const build_options *o;
	pthread_rwlock_t lock;   /* cur: read by requests, swapped by updates */
	gen *cur;
	/* the update thread's alone */
	rec_cache *records;
	buf_t config;            /* site.yml's stat when the caches were made */
	geo_map *map;            /* the basemap kept, and what it was made of */
	unsigned map_number;     /* map's, for rec_cache_located: never reused */
	buf_t map_made;
	geo_map **old_maps;      /* replaced, freed with the model using them */
	size_t nold_maps;
	buf_t key;               /* scratch */
	/* collation keys and search texts, by the words they come from:
	 * true for any model, so never emptied (render.h, render_ctx.memo);
	 * used by one generation's render_prepare at a time */
	str_memo *memo;
};

static geo_map *map_get(void *ctx, const site *s)
{
	live_model *m = ctx;
	map_key(s, &m->config, &m->key);
	if (m->map && m->key.len == m->map_made.len &&
	    !memcmp(m->key.ptr, m->map_made.ptr, m->key.len))
		return m->map;
	return NULL;
}

/* The map kept goes; the model served may still draw with it. */
static void retire_map(live_model *m)
{
	if (!m->map)
		return;
	m->old_maps = xreallocarray(m->old_maps, m->nold_maps + 1,
				    sizeof *m->old_maps);
	m->old_maps[m->nold_maps++] = m->map;
	m->map = NULL;
}

static void map_put(void *ctx, const site *s, geo_map *map)
{
	live_model *m = ctx;
	retire_map(m);
	m->map = map;
	m->map_number++;
	buf_reset(&m->map_made);
	buf_put(&m->map_made, m->key.ptr, m->key.len);
}

static int known_mtime(void *ctx, const char *path, long long *sec)
{
	return rec_cache_mtime(((live_model *)ctx)->records, path, sec);
}

/* The number of map, the one kept; 0 for another (not remembered). */
static unsigned map_number(const live_model *m, const geo_map *map)
{
	return map && map == m->map ? m->map_number : 0;
}

static int locate_get(void *ctx, const geo_map *map, institution *in,
		      diags_t *d)
{
	live_model *m = ctx;
	return rec_cache_located(m->records, map_number(m, map), in, d);
}

static void locate_put(void *ctx, const geo_map *map, const institution *in,
		       const diags_t *d, size_t first)
{
	live_model *m = ctx;
	rec_cache_locate_put(m->records, map_number(m, map), in, d, first);
}

static void loaded(void *ctx, const site *s)
{
	rec_cache_end(((live_model *)ctx)->records);
}

/* Free what only models older than the one served used. */
static void collect(live_model *m)
{
	rec_cache_collect(m->records);
	for (size_t i = 0; i < m->nold_maps; i++)
		geo_map_free(m->old_maps[i]);
	free(m->old_maps);
	m->old_maps = NULL;
	m->nold_maps = 0;
}

/* After an update that failed: the retired basemaps but the one the
 * site being served renders with. A failed update still loads a basemap
 * when a location moved (so that every problem is reported), and each
 * such save would otherwise keep one more until a build succeeds. */
static void collect_failed(live_model *m)
{
	const geo_map *used = m->cur ? pm_ready_map(m->cur->ready) : NULL;
	size_t kept = 0;
	for (size_t i = 0; i < m->nold_maps; i++) {
		if (m->old_maps[i] == used)
			m->old_maps[kept++] = m->old_maps[i];
		else
			geo_map_free(m->old_maps[i]);
	}
	m->nold_maps = kept;
}

size_t live_model_maps(const live_model *m)
{
	return (m->map != NULL) + m->nold_maps;
}

live_model *live_model_new(const build_options *o)
{
	live_model *m = xcalloc(1, sizeof *m);
	m->o = o;
	pthread_rwlockattr_t a;
	pthread_rwlockattr_init(&a);
	/* a stream of requests must not hold an update back */
	pthread_rwlockattr_setkind_np(&a,
		PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&m->lock, &a);
	pthread_rwlockattr_destroy(&a);
	m->records = rec_cache_new();
	m->memo = str_memo_new();
	return m;
}

void live_model_free(live_model *m)
{
	if (!m)
		return;
	gen_free(m->cur);
	collect(m);
	if (m->map)
		geo_map_free(m->map);
	rec_cache_free(m->records);
	str_memo_free(m->memo);
	buf_free(&m->config);
	buf_free(&m->map_made);
	buf_free(&m->key);
	pthread_rwlock_destroy(&m->lock);
	free(m);
}

/* site.yml as stat sees it: when it changes, what was read under the old
 * one (records, the basemap) is read again. */
static void config_stamp(const char *dir, buf_t *out)
{
	char *path = fs_join(dir, "site.yml");
	struct stat st;
	buf_reset(out);
	if (lstat(path, &st) == 0)
		buf_printf(out, "%lld %lld.%ld %lld.%ld %llu\n",
			   (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			   st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
			   st.st_ctim.tv_nsec, (unsigned long long)st.st_ino);
	free(path);
}

/* How many countries have partners in s: each country code ("KE") is
 * two upper-case letters (site.h). */
static size_t partner_countries(const site *s)
{
	unsigned char seen[26 * 26] = {0};
	size_t n = 0;
	for (size_t i = 0; i < s->ninst; i++) {
		const char *a2 = s->inst[i].country;
		if (!a2 || a2[0] < 'A' || a2[0] > 'Z' || a2[1] < 'A' ||
		    a2[1] > 'Z')
			continue;
		unsigned char *k = &seen[(a2[0] - 'A') * 26 + (a2[1] - 'A')];
		n += !*k;
		*k = 1;
	}
	return n;
}

int live_model_update(live_model *m, diags_t *d, build_stats *stats)
{
	const char *dir = m->o->site_dir ? m->o->site_dir : ".";
	config_stamp(dir, &m->key);
	if (m->key.len != m->config.len ||
	    memcmp(m->key.ptr, m->config.ptr, m->key.len)) {
		rec_cache_clear(m->records);
		retire_map(m);
		buf_reset(&m->config);
		buf_put(&m->config, m->key.ptr, m->key.len);
	}
	load_cache hooks;
	rec_cache_begin(m->records, dir, &hooks);
	pm_keep keep = {.records = &hooks, .loaded = loaded, .map_get = map_get,
			.map_put = map_put, .mtime = known_mtime, .ctx = m,
			.locate_get = locate_get, .locate_put = locate_put};
	pm_ready *p = pm_ready_make(m->o, &keep, d, stats);
	unsigned char *borrowed = rec_cache_borrowed(m->records, pm_ready_site(p));
	gen *g = NULL;
	/* a cancelled load stops where it is, with nothing to tell: the
	 * model is not whole, and no page may be made from it */
	int cancelled = m->o->cancel && atomic_load(m->o->cancel);
	if (!d->errors && !d->fatals && !cancelled)
		g = gen_new(p, borrowed, m->memo, d);
	if (!g) {
		pm_ready_free(p, borrowed);
		free(borrowed);
		rec_cache_collect_failed(m->records);
		collect_failed(m);
		return d->fatals || cancelled ? EXIT_FAILURE_IO : EXIT_CONTENT;
	}
	stats->countries = partner_countries(pm_ready_site(p));
	pthread_rwlock_wrlock(&m->lock);
	gen *old = m->cur;
	m->cur = g;
	pthread_rwlock_unlock(&m->lock);
	gen_free(old);
	rec_cache_served(m->records);
	collect(m);
	return EXIT_BUILT;
}

/* What the jobs that failed said, as the terminal shows it. */
static void print_failed(const gen *g, buf_t *out)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (f) {
		diags_print(&g->failed, f);
		fclose(f);
		buf_put(out, text, n);
	}
	free(text);
}

/* How long the path of base_url is, without its first "/", when rel lies
 * under it ("partners/" of "https://example.org/partners/" for
 * "partners/assets/x.css"); 0 when it does not, or base_url has no path. */
static size_t under_base(const char *base_url, const char *rel)
{
	const char *host = base_url ? strstr(base_url, "://") : NULL;
	const char *path = host ? strchr(host + 3, '/') : NULL;
	if (!path || !path[1])
		return 0;
	size_t n = strlen(path + 1);
	return strncmp(rel, path + 1, n) ? 0 : n;
}

/* live_model_get once; *base (when not NULL) is under_base of rel. */
static live_status get_once(live_model *m, const char *rel, buf_t *out,
			    size_t *base)
{
	live_status rc = LIVE_MISSING;
	pthread_rwlock_rdlock(&m->lock);
	gen *g = m->cur;
	if (g && base)
		*base = under_base(pm_ready_site(g->ready)->cfg.base_url, rel);
	if (g) {
		pthread_mutex_lock(&g->mu);
		live_file *f = find_file(g, rel);
		job_ref j;
		if (!f && job_of(g, rel, &j)) {
			run_job(g, &j);
			f = find_file(g, rel);
			if (!f && g->lang[j.lang].state[j.kind][j.k] == JOB_FAILED) {
				print_failed(g, out);
				rc = LIVE_FAILED;
			}
		}
		if (f) {
			buf_put(out, f->data, f->n);
			rc = LIVE_FOUND;
		}
		pthread_mutex_unlock(&g->mu);
	}
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

live_status live_model_get(live_model *m, const char *rel, buf_t *out)
{
	size_t base = 0;
	live_status rc = get_once(m, rel, out, &base);
	/* the links of 404.html start from base_url's path, as it is served
	 * at any depth of the deployed site: the preview serves the site
	 * there too, so that its missing page keeps its styles and links */
	if (rc == LIVE_MISSING && base)
		rc = get_once(m, rel + base, out, NULL);
	return rc;
}

int live_model_has_page(live_model *m, const char *folder)
{
	int yes = 0;
	pthread_rwlock_rdlock(&m->lock);
	gen *g = m->cur;
	if (g) {
		char *rel = xasprintf("%s/index.html", folder);
		job_ref j;
		pthread_mutex_lock(&g->mu);
		yes = job_of(g, rel, &j);
		pthread_mutex_unlock(&g->mu);
		free(rel);
	}
	pthread_rwlock_unlock(&m->lock);
	return yes;
}

void live_model_watched(live_model *m)
{
	rec_cache_watched(m->records);
}

void live_model_changed(void *m, const char *path)
{
	rec_cache_changed(((live_model *)m)->records, path);
}

size_t live_model_kept(const live_model *m)
{
	return rec_cache_kept(m->records);
}
