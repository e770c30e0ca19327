/* load.h - the load and check stages: site.yml, iso-codes, and the
 * Markdown records under content/ into the site model (site.h).
 *
 *   frontmatter.c  split a file, YAML front matter into an fm_node tree
 *   fmjson.c       JSON front matter into the same tree
 *   fields.c       typed values, "did you mean" hints, URL/e-mail/date shapes
 *   keys.c         the tables of keys of every kind of document (keys.h):
 *                  finding a key, hints for unknown ones, required keys
 *   config.c       site.yml
 *   iso.c          ISO 3166-1 countries from iso-codes' JSON
 *   records.c      institutions, networks, pages
 *   markdown.c     CommonMark to safe HTML (cmark)
 *   check.c        checks across records
 *
 * Every message names a path relative to the site folder, with the line
 * and column of the value it is about. */
#ifndef PM_LOAD_H
#define PM_LOAD_H

#include <stddef.h>

#include "../site.h"
#include "../util/diag.h"

/* Where Debian's iso-codes package keeps the table; the environment
 * variable PARTNERMAP_ISO_CODES names another file. */
#define PM_ISO_CODES_PATH "/usr/share/iso-codes/json/iso_3166-1.json"
#define PM_ISO_CODES_ENV "PARTNERMAP_ISO_CODES"

/* Load site.yml, iso-codes, and content/{networks,pages,institutions}/<slug>.md
 * in sorted order into s (freshly site_init'ed). Collects every problem
 * into d (never stops at the first). Returns 0 when nothing of level
 * ERROR/FATAL was added, else -1. Draft records are skipped.
 *
 * Networks load before institutions so that each network slug an
 * institution names is checked here, where its line and column are still
 * known ("unknown network", with a hint). A record with an error is left
 * out of the model; the model never holds a half-read institution. */
int site_load(site *s, const char *dir, diags_t *d);

/* What a cache (load_cache) noted of one file when replay could not give
 * it, for the store of that file: the file's state as replay saw it (its
 * stat, in the cache's own terms), so that a change made while the file
 * was read is seen at the next load. The loader keeps one per file and
 * hands it back untouched. */
typedef struct load_ticket {
	int ok;                   /* replay could tell the file's state */
	unsigned long long id[5]; /* that state */
	long slot;                /* the cache's own use */
} load_ticket;

/* Institution records a caller keeps between loads of the same site
 * (partnermap serve, serve/records.h; partnermap build, load/reccache.h),
 * so that a file that did not change is neither read nor parsed again.
 * Only content/institutions/<slug>.md goes through it: page bundles,
 * translations, networks and pages are always read. All calls come from
 * the thread that called site_load_jobs:
 *   replay(ctx, s, path, t, d), for each such file in file-name order
 *     (path relative to s->dir): 1 when the cache holds the file as it
 *     is now: it has appended to s->inst what reading it would add
 *     (nothing for a draft or a record with an error) and to d the very
 *     messages reading it would give; else 0, having filled *t, and the
 *     file is read (on any of the load's threads);
 *   store(ctx, s, path, t, ninst, d, ndiag), once those reads are done,
 *     in file-name order, for each file replay declined that could be
 *     read: s->inst[ninst..] and d->v[ndiag..] are what it added, and t
 *     is what replay filled for it. */
typedef struct load_cache {
	int (*replay)(void *ctx, site *s, const char *path, load_ticket *t,
		      diags_t *d);
	void (*store)(void *ctx, const site *s, const char *path,
		      const load_ticket *t, size_t ninst, const diags_t *d,
		      size_t ndiag);
	void *ctx;
	/* Optional (NULL: none): called once, from the thread that called
	 * site_load_jobs, before the first replay, with the n paths replay
	 * will then be asked for, in that order, and the load's threads.
	 * The cache may do there, on those threads, what replay would do of
	 * each (look at the file, decode what it holds), so that each
	 * replay only takes it. paths stays valid until the last replay. */
	void (*prefetch)(void *ctx, const site *s, char *const *paths,
			 size_t n, int threads);
} load_cache;

/* Append a copy of *in (its strings and tables shared, not copied) to
 * s->inst, as site_load adds a record: for load_cache.replay. */
void site_add_institution(site *s, const institution *in);

/* site_load, taking institution records from cache (NULL: none). */
int site_load_cached(site *s, const char *dir, const load_cache *cache,
		     diags_t *d);

/* site_load_cached, reading the institution records on up to `threads`
 * threads (the calling one among them; the cache is called from the
 * calling thread alone, in file-name order). Each record is read whole
 * by one thread (records.c, read_institution); the records are then added, and their messages
 * given, in file-name order: the model and the messages are the same
 * for any number of threads. */
int site_load_jobs(site *s, const char *dir, const load_cache *cache,
		   int threads, diags_t *d);

/* Checks across records, run after load (and after a point shapefile may
 * have supplied locations): institutions still without a location,
 * duplicate names, page slugs that would collide with generated folders,
 * networks without members (a warning, left out when a record was refused
 * for its errors). It reads site.yml's settings: the build runs it after
 * errors in records, not after errors in the settings (settings_failed).
 * 0 when no error was added. */
int site_check(site *s, diags_t *d);

struct sfs_root;
/* Each body's links to the site's own pages (links.c): a rooted one below
 * base_url's path (/map/networks/x/) or one that climbs (../<slug>/),
 * resolved from the page's folder (RFC 3986 section 5.2) in its language.
 * One that names no institution, network, country with partners,
 * elective type, free page or bundle file the build writes is an error
 * at the link in the record's file (read again from root to place it).
 * A rooted link outside base_url's path, a file at the top the build
 * does not write and anything in assets/ are left alone. */
void links_check(const site *s, const struct sfs_root *root, diags_t *d);

/* The site in lang, one of s->cfg.languages but the first, into *view: a
 * shallow copy of s (view borrows every string of s, and s must outlive
 * it) whose records show the texts of their translation files into lang
 * (s->tr), each text the file leaves out staying the default language's
 * and marked in the record's fallback (PM_FALLBACK_NAME,
 * PM_FALLBACK_BODY; a record with no translation file has both). Its
 * site.yml's title, description, intro and sample_note are those of
 * site.<lang>.yml (s->stx) where it gives them, else the default
 * language's, marked in cfg.fallback (PM_SITE_TITLE ...). Its
 * cfg.language is lang and its cfg.base_url base_url + lang + "/" (the
 * language's pages are published under <lang>/). Records keep their
 * order (by slug), so lookups work on the view. Free with site_view_free,
 * never site_free. */
void site_in_language(const site *s, const char *lang, site *view);
void site_view_free(site *view);

/* ---- the building blocks, for tests and tools ------------------------- */

/* site.yml in dir into cfg (zeroed, e.g. by site_init). A missing file is
 * an error; defaults are filled in either way. 0; -1 after an error; -2
 * when there is no site.yml (or no folder dir): dir is no site. */
int config_load(site_config *cfg, const char *dir, diags_t *d);
/* The text of a site.yml; path is how messages name it, and must outlive
 * cfg (the srcpos of theme and map.projection point at it). 0 or -1. */
int config_parse(site_config *cfg, const char *text, size_t len,
		 const char *path, diags_t *d);

/* The iso-codes JSON at path into t, with Kosovo (XK, XKX) added when
 * the table lacks it. 0, or -1 with a DIAG_FATAL. */
int countries_load(country_table *t, const char *path, diags_t *d);
/* Add site.yml's countries: to t: a code t lacks becomes a country
 * (alpha-3 "X" + its alpha-2; it must have a name, else an error at the
 * entry); a known one takes the entry's name and basemap match. Nothing
 * when t is empty (no iso-codes table). 0, or -1 after an error. */
int countries_add_site(country_table *t, const site_config *cfg, diags_t *d);
/* A country whose name or official name is name (ASCII case ignored), or
 * NULL. Linear: for hints in error messages only. */
const country *country_by_name(const country_table *t, const char *name);
/* The country that code, not an ISO 3166-1 alpha-2 code, is often
 * written for (ASCII case ignored): UK for GB, EL for GR; else NULL. For
 * hints in error messages. */
const country *country_by_alias(const country_table *t, const char *code);

/* CommonMark to HTML with cmark's safe defaults: raw HTML becomes a
 * comment and links with unsafe schemes (javascript:, data: ...) lose
 * their URL. Returns a string the caller frees with free(). */
char *markdown_to_html(const char *text, size_t len);
/* Whether url is one cmark's safe mode empties, which markdown_to_html
 * shows as its text alone: a javascript:, vbscript: or file: address, or
 * a data: one but for a PNG, GIF, JPEG or WebP picture (the rule of
 * cmark's scanners, _scan_dangerous_url), scheme in any case, after
 * leading blanks and controls. 1 or 0. */
int markdown_unsafe_url(const char *url);

#endif
