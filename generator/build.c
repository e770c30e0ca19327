/* build.c - the pipeline: each stage reads the model and hands it on. */
#include "build.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "geo/geo.h"
#include "geo/map.h"
#include "load/fields.h"
#include "load/load.h"
#include "load/reccache.h"
#include "publish/assets.h"
#include "publish/mapcache.h"
#include "publish/reuse.h"
#include "publish/stage.h"
#include "render/i18n.h"
#include "render/mustache.h"
#include "render/render.h"
#include "site.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/safefs.h"

/* Threads for reading records and rendering: as asked, else one per
 * processor, at most PM_JOBS_DEFAULT_MAX. */
static int render_jobs(int asked)
{
	if (asked > 0)
		return asked;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > PM_JOBS_DEFAULT_MAX ? PM_JOBS_DEFAULT_MAX : (int)n;
}

static int cancelled(const build_options *o)
{
	return o->cancel && atomic_load(o->cancel) != 0;
}

/* Whether the next stage runs: nothing went wrong and no one asked to stop. */
static int go_on(const build_options *o, const diags_t *d)
{
	return !d->errors && !d->fatals && !cancelled(o);
}

/* Whether the stages after the load (the checks across records, the map,
 * the theme) can still run and add what they find to the same report: a
 * record's error, or a file that cannot be read, leaves that record out,
 * which they can do without, and a basemap that cannot be read stops only
 * the locate; an error in a setting they read (site.settings_failed)
 * stops them. go_on decides whether anything is written. */
static int can_check_on(const build_options *o, const site *s)
{
	return !s->settings_failed && !cancelled(o);
}

/* site.yml's checks: and --strict, applied to the messages given so far
 * (diags_apply acts on warnings alone, so again and again is the same as
 * once at the end): a warning they make an error counts as one where a
 * stage decides what follows from the errors so far. */
static void apply_checks(const build_options *o, const site *s, diags_t *d)
{
	diag_policy policy = s->cfg.checks;
	policy.strict = o->strict;
	diags_apply(d, &policy);
}

static int exit_code(const diags_t *d)
{
	if (d->fatals)
		return EXIT_FAILURE_IO;
	return d->errors ? EXIT_CONTENT : EXIT_BUILT;
}

/* ---- points from a shapefile (map.points) ------------------------------ */

typedef struct points_ctx {
	site *s;
	const char *shown;
	diags_t *d;
} points_ctx;


/* A point naming no institution: a translation's name for the record it
 * translates, or a slug no record has. A record the load left out (a
 * draft, or one refused for its errors, which said so) is no mistake of
 * the point's. */
static void unknown_point(points_ctx *p, const char *slug, int record)
{
	if (site_left_out(p->s, slug))
		return;
	char *base = translation_slug(slug);
	if (base && (site_institution(p->s, base) || site_left_out(p->s, base)))
		diag_warning(p->d, POINTS_UNKNOWN_SLUG, p->shown, 1, 1,
			     "record %d: '%s' names a translation of institution "
			     "'%s', not an institution: write its slug, %s",
			     record, slug, base, base);
	else
		diag_warning(p->d, POINTS_UNKNOWN_SLUG, p->shown, 1, 1,
			     "record %d: no institution with slug '%s'", record, slug);
	free(base);
}

static void apply_point(void *ctx, const char *slug, double lat, double lon,
			int record)
{
	points_ctx *p = ctx;
	institution *in = (institution *)site_institution(p->s, slug);
	if (!in) {
		unknown_point(p, slug, record);
		return;
	}
	/* A record's own location stays the default; the point file fills in
	 * the records that have none. */
	if (in->has_location)
		return;
	in->lat = lat;
	in->lon = lon;
	in->has_location = 1;
}

/* A point without coordinates for slug (warned): its record, waiting for
 * a location, is told that its point is empty. */
static void empty_point(void *ctx, const char *slug, int record)
{
	points_ctx *p = ctx;
	institution *in = (institution *)site_institution(p->s, slug);
	if (in && !in->has_location && !in->point_empty)
		in->point_empty = record;
}

/* Whether name ends in ".shp", in any case. */
static int shp_name(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && !strcasecmp(name + n - 4, ".shp");
}

/* Whether the file name in rel's folder (rel[0 .. dir)) is other (the
 * other map file: the basemap is not the points' fix, nor they its). */
static int is_other(const char *other, const char *rel, int dir, const char *name)
{
	return other && !strncmp(other, rel, (size_t)dir) &&
	       !strcmp(other + dir, name);
}

/* map.<key> naming rel (at its value in site.yml), a file the site
 * folder does not have: an error there, with the closest .shp its folder
 * has, or the one it has. A misspelt name is the editor's to fix (exit 1,
 * at the line that names it), not a file that failed to read. 1 when
 * told. other is the other map file (the basemap for the points), never
 * offered. The default basemap, which site.yml does not name, is told as it
 * is read (geo/shapefile.c: make basemap makes the example's). */
static int shapefile_missing(const sfs_root *root, const char *key,
			     const char *rel, srcpos at, const char *other,
			     diags_t *d)
{
	char *folder;
	const char *dot = rel ? strrchr(rel, '.') : NULL;
	const char *part = dot && !strchr(dot, '/') ? dot + 1 : NULL;
	static const char *const parts[] = {"shx", "dbf", "prj", "cpg", NULL};
	int sibling = part && field_word_index(part, parts) >= 0;
	/* a folder, or another part of the shapefile: its .shp is what a
	 * build reads (a name without .shp stands for it, as in shapelib) */
	if (rel && *rel && at.line && !shp_name(rel) &&
	    (sibling || rel[strlen(rel) - 1] == '/' || sfs_is_folder(root, rel))) {
		if (sibling)
			diag_error(d, at.path, at.line, at.col, "map.%s must name a "
				   "shapefile's .shp, not its .%s: write %.*s.shp",
				   key, part, dot - rel > DIAG_QUOTE_MAX ?
				   DIAG_QUOTE_MAX : (int)(dot - rel), rel);
		else
			diag_error(d, at.path, at.line, at.col, "map.%s must name a "
				   "shapefile's .shp file, not '%.*s%s': write the "
				   "path of the .shp, such as %s", key, DIAG_QUOTE(rel),
				   !strcmp(key, "points") ? "geodata/partners.shp" :
				   "geodata/naturalearth_lowres.shp");
		return 1;
	}
	if (!rel || !at.line)
		return 0;
	/* "geodata/world" stands for geodata/world.shp, as any name that
	 * does not end in .shp does for the reader (geo/shapefile.c) */
	char *shp = shp_name(rel) ? xstrdup(rel) : xconcat(rel, ".shp");
	int missing = sfs_missing(root, shp, &folder);
	free(shp);
	if (!missing)
		return 0;
	/* a file that is there, but no shapefile (points.csv, world.geojson,
	 * site.yml): not a missing one */
	if (!shp_name(rel) && !sfs_missing(root, rel, NULL)) {
		diag_error(d, at.path, at.line, at.col, "map.%s must name a "
			   "shapefile's .shp, not '%.*s%s', which is not one: "
			   "partnermap reads map data from shapefiles (a .shp "
			   "with its .shx and .dbf beside it); write the path of "
			   "one, such as %s", key, DIAG_QUOTE(rel),
			   !strcmp(key, "points") ? "geodata/partners.shp" :
			   "geodata/naturalearth_lowres.shp");
		free(folder);
		return 1;
	}
	const char *slash = strrchr(rel, '/');
	int dir = slash ? (int)(slash + 1 - rel) : 0;
	char **names = NULL;
	size_t n = 0, shps = 0;
	const char *only = NULL;
	hint_t h;
	hint_init(&h, rel + dir);
	if (folder && fs_list_all(folder, &names, &n) == 0)
		for (size_t k = 0; k < n; k++)
			if (shp_name(names[k]) && !is_other(other, rel, dir, names[k])) {
				hint_offer(&h, names[k]);
				only = names[k];
				shps++;
			}
	buf_t m = BUF_INIT;
	buf_printf(&m, "map.%s names '%.*s%s', which the site folder does not have",
		   key, DIAG_QUOTE(rel));
	const char *fix = h.best ? h.best : shps == 1 ? only : NULL;
	if (fix)
		buf_printf(&m, "; did you mean '%.*s%.*s%s'?", dir > DIAG_QUOTE_MAX ?
			   DIAG_QUOTE_MAX : dir, rel, DIAG_QUOTE(fix));
	char *up = dir ? xstrndup(rel, (size_t)dir - 1) : NULL;
	if (!fix && !folder && up)
		buf_printf(&m, "; it has no folder '%.*s%s' either", DIAG_QUOTE(up));
	free(up);
	buf_puts(&m, fix ? "" : "; name the .shp of a shapefile in the site "
				"folder, with its .shx and .dbf beside it");
	diag_error(d, at.path, at.line, at.col, "%s", buf_cstr(&m));
	buf_free(&m);
	if (names)
		fs_free_list(names);
	free(folder);
	return 1;
}

static int load_points(site *s, const sfs_root *root, diags_t *d)
{
	const map_config *m = &s->cfg.map;
	if (!m->points || shapefile_missing(root, "points", m->points,
					    m->points_at, m->basemap, d))
		return 0;
	points_ctx ctx = {s, m->points, d};
	return geo_read_points_in(root, m->points, m->points,
				  m->points_slug_field ? m->points_slug_field : "slug",
				  apply_point, empty_point, &ctx, d);
}

/* ---- locate ------------------------------------------------------------- */

#define SEA_TOLERANCE_KM 50.0

/* Where a point lands against where its record says it is. Only a country
 * the basemap has can be checked (Singapore is not in the 1:110m data). */
static void locate_one(const site *s, const geo_map *map, institution *in,
		       int found, diags_t *d)
{
	const country *c = country_by_alpha2(&s->countries, in->country);
	int want = c ? geo_map_find(map, c->alpha3) : -1;
	geo_lonlat where = {.lon = in->lon, .lat = in->lat};
	int got = found != GEO_UNFOUND ? found : geo_map_locate(map, where);
	in->feature = got;
	if (want < 0 || got == want)
		return;
	const srcpos *at = in->pos_location.line ? &in->pos_location : &in->pos;
	/* Written [longitude, latitude]? Then the other order lands home. */
	geo_lonlat flipped = {.lon = in->lat, .lat = in->lon};
	int swapped = in->lon >= -PM_LAT_MAX && in->lon <= PM_LAT_MAX &&
		      geo_map_locate(map, flipped) == want;
	buf_t msg = BUF_INIT;
	if (got >= 0)
		buf_printf(&msg, "location falls in %s, not %s", geo_map_name(map, got),
			   c->name);
	else {
		double km = geo_map_distance_km(map, want, where);
		if (km <= SEA_TOLERANCE_KM) {
			buf_free(&msg);
			return;
		}
		buf_printf(&msg, "location is %.0f km from %s, outside any country",
			   km, c->name);
	}
	if (swapped)
		buf_printf(&msg, " (latitude and longitude look swapped: try [%g, %g]?)",
			   in->lon, in->lat);
	if (got >= 0)
		diag_warning(d, LOCATION_OUTSIDE_COUNTRY, at->path, at->line,
			     at->col, "%s", buf_cstr(&msg));
	else
		diag_warning(d, LOCATION_AT_SEA, at->path, at->line, at->col,
			     "%s", buf_cstr(&msg));
	buf_free(&msg);
}

/* A map that stops short of the poles (Mercator, at 85 degrees) draws a
 * partner beyond that on its edge: say so where the location is written.
 * (A projection that cannot place the whole world is refused: project.c,
 * whole_world.) */
static void beyond_edge(const geo_map *map, const institution *in, diags_t *d)
{
	double top = geo_map_lat_max(map);
	if (!(fabs(in->lat) > top))
		return;
	const srcpos *at = in->pos_location.line ? &in->pos_location : &in->pos;
	diag_warning(d, LOCATION_BEYOND_MAP, at->path, at->line, at->col,
		     "latitude %g is beyond the %g degrees this projection can show: "
		     "the marker is drawn at %g, on the map's edge (the data keep "
		     "%g); to show it where it is, choose a projection that reaches "
		     "the poles, such as equal-earth",
		     in->lat, top, copysign(top, in->lat), in->lat);
}

/* locate_one and beyond_edge for in, or what keep remembers of them.
 * found: where the map's load found in's location (geo_options.
 * keep_found), or GEO_UNFOUND. */
static void locate_kept(const site *s, const geo_map *map, const pm_keep *keep,
			institution *in, int found, diags_t *d)
{
	if (keep && keep->locate_get && keep->locate_get(keep->ctx, map, in, d))
		return;
	size_t first = d->n;
	locate_one(s, map, in, found, d);
	beyond_edge(map, in, d);
	if (keep && keep->locate_put)
		keep->locate_put(keep->ctx, map, in, d, first);
}

/* ---- theme -------------------------------------------------------------- */

/* Where the theme is read from: the site's own themes/<name>, confined to
 * the site folder; else the installed one, confined to its own folder. */
typedef struct theme_src {
	const sfs_root *root; /* the site's, or &installed */
	sfs_root installed;
	char *rel;            /* the theme folder under root ("" for itself) */
	char *shown;          /* "themes/<name>" */
	int found;            /* the site or the install has the theme */
	int refused;          /* the site's theme folder may not be read (told) */
	char *looked;         /* the installed theme's folder looked for, or
				 NULL without an install (build_options.
				 datadir) */
} theme_src;

static void theme_open(theme_src *t, const site *s, const sfs_root *site_root,
		       const build_options *o, diags_t *d)
{
	memset(t, 0, sizeof *t);
	t->shown = xasprintf("themes/%s", s->cfg.theme);
	char *local = fs_join(s->dir, t->shown);
	char *installed = o->datadir ? fs_join(o->datadir, t->shown) : NULL;
	/* a link to nothing at themes/<name> (or at themes) is the site's
	 * theme, told as such when it is read: not a reason to take the
	 * installed one without a word */
	struct stat sb;
	int here = fs_is_dir(local) ||
		   (lstat(local, &sb) == 0 && S_ISLNK(sb.st_mode));
	if (!here) {
		char *themes = fs_join(s->dir, "themes");
		here = lstat(themes, &sb) == 0 && S_ISLNK(sb.st_mode) &&
		       !fs_is_dir(themes);
		free(themes);
	}
	t->found = here || (installed && fs_is_dir(installed));
	t->looked = installed ? xstrdup(installed) : NULL;
	if (here || !installed || !fs_is_dir(installed)) {
		t->root = site_root;
		t->rel = xstrdup(t->shown);
	} else {
		sfs_root_init(&t->installed, installed, "installed theme's folder");
		t->root = &t->installed;
		t->rel = xstrdup("");
	}
	/* a theme folder linked away is told once, at the folder, not again
	 * for each of its templates, texts and assets */
	if (t->found && t->root == site_root)
		t->refused = sfs_folder_refused(t->root, t->rel, t->shown, d);
	free(local);
	free(installed);
}

static void theme_close(theme_src *t)
{
	sfs_root_free(&t->installed);
	free(t->looked);
	free(t->rel);
	free(t->shown);
}

/* A file or folder of the theme: its path under the theme's root, and as
 * messages show it. */
static void theme_path(const theme_src *t, const char *sub, char **rel,
		       char **shown)
{
	*rel = *t->rel ? fs_join(t->rel, sub) : xstrdup(sub);
	*shown = fs_join(t->shown, sub);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* theme_at: where site.yml names the theme, which an unknown one points
 * at. A site of ninst institutions past RENDER_CLUSTER_ABOVE needs
 * home_list too (render/clusters.c: its home page loads each country's
 * list as a script), told here rather than when the first script is
 * written, so that check tells it. */
static int load_templates(const theme_src *t, const srcpos *theme_at,
			  const char *theme, size_t ninst, mst_set *set,
			  diags_t *d)
{
	char *trel, *tshown;
	theme_path(t, "templates", &trel, &tshown);
	sfs_listing l;
	int rc = sfs_list(t->root, trel, tshown, &l, d);
	if (rc == SFS_IO && !t->found && !strcmp(theme, PM_THEME_DEFAULT))
		/* the program was copied away from its data, or installed
		 * without it: the site asks for nothing wrong */
		diag_error(d, theme_at->path, theme_at->line, theme_at->col,
			   "theme '%s' is partnermap's own, but it is not "
			   "installed (no folder %s): install partnermap with "
			   "make install and run the installed one, or the one "
			   "built in its checkout; or put a theme of your own in "
			   "themes/%s/", theme,
			   t->looked ? t->looked : "themes/default beside it",
			   theme);
	else if (rc == SFS_IO && !t->found)
		diag_error(d, theme_at->path, theme_at->line, theme_at->col,
			   "unknown theme '%s': there is no folder themes/%s in "
			   "the site, nor an installed theme of that name; write "
			   "theme: default, or put your theme in themes/%s/",
			   theme, theme, theme);
	else if (rc == SFS_IO)
		diag_error(d, tshown, 1, 1, "cannot read the theme's templates: %s",
			   strerror(errno));
	if (rc != SFS_OK) {
		sfs_list_free(&l);
		free(trel);
		free(tshown);
		return -1;
	}
	for (size_t i = 0; i < l.n; i++) {
		const char *file = l.v[i].name;
		if (!ends_with(file, ".mustache"))
			continue;
		char *rel = fs_join(trel, file);
		char *shown = fs_join(tshown, file);
		buf_t src = BUF_INIT;
		int got = sfs_read_entry(t->root, &l, i, rel, shown, SFS_TEMPLATE,
					 &src, d);
		if (got == SFS_IO)
			diag_fatal(d, shown, "cannot read: %s", strerror(errno));
		/* A template that is refused or unreadable, or does not
		 * compile (each reported), is kept as an empty stand-in: "the
		 * theme has no page.mustache" or "{{>page}} names no template"
		 * would be a second, misleading message about the same fault. */
		char *name = xstrndup(file, strlen(file) - 9);
		if (got != SFS_OK ||
		    mst_set_add(set, name, shown, src.ptr, src.len, d) < 0) {
			/* one whose tags do not pair is in the set already,
			 * empty, naming the partials it includes */
			if (got != SFS_OK || !mst_set_has(set, name))
				mst_set_add(set, name, shown, "", 0, d);
			rc = -1;
		}
		free(name);
		buf_free(&src);
		free(rel);
		free(shown);
	}
	sfs_list_free(&l);
	static const char *const needed[] = {
		"home", "institution", "network", "country", "page", "404"};
	for (size_t k = 0; k < sizeof needed / sizeof needed[0]; k++)
		if (!mst_set_has(set, needed[k])) {
			diag_error(d, tshown, 1, 1,
				   "the theme has no %s.mustache: copy it from "
				   "themes/default/templates/", needed[k]);
			rc = -1;
		}
	if (ninst > RENDER_CLUSTER_ABOVE && !mst_set_has(set, "home_list")) {
		diag_error(d, tshown, 1, 1,
			   "the theme has no home_list.mustache, which a site of "
			   "more than %d institutions needs (this one has %zu): "
			   "copy it from themes/default/templates/",
			   RENDER_CLUSTER_ABOVE, ninst);
		rc = -1;
	}
	free(trel);
	free(tshown);
	return rc;
}

/* The templates and the texts of language k of site.yml's languages, as
 * one set: the site's i18n/ files from root, the theme's from
 * theme_words (each NULL when its i18n folder was refused: told once, at
 * the folder). A problem of the templates is the same in every
 * language: it is reported once, for the default. */
static void load_language(const theme_src *theme, const site *s,
			  const sfs_root *root, const sfs_root *theme_words,
			  size_t k, mst_set **tpl, i18n **words, diags_t *d)
{
	diags_t again = DIAGS_INIT;
	diags_t *td = k ? &again : d;
	*tpl = mst_set_new();
	load_templates(theme, &s->cfg.theme_at, s->cfg.theme, s->ninst, *tpl, td);
	i18n_source is = {
		.theme_root = theme_words, .theme_rel = theme->rel,
		.theme_shown = theme->shown, .site_root = root,
		.lang = s->cfg.languages.v[k],
		.lang_at = s->cfg.languages_at ? s->cfg.languages_at[k] :
			   s->cfg.language_at,
		.in_list = s->cfg.languages_at != NULL,
		.words_refused = !root || !theme_words,
	};
	*words = i18n_load(&is, *tpl, td);
	/* the texts are templates too ({{>i18n.home}}): check the
	 * references once they are in. Another language's load and check
	 * say again what the default's said of the templates and of the
	 * default texts it falls back to; what they say of its own texts is
	 * new. */
	mst_set_check(*tpl, td);
	for (size_t i = 0; i < again.n; i++) {
		const diag_t *g = &again.v[i];
		size_t j = 0;
		while (j < d->n && !(d->v[j].line == g->line &&
				     d->v[j].col == g->col &&
				     !strcmp(d->v[j].msg, g->msg) &&
				     !strcmp(d->v[j].path ? d->v[j].path : "",
					     g->path ? g->path : "")))
			j++;
		if (j == d->n)
			diags_add(d, g->level, g->check, g->path, g->line,
				  g->col, "%s", g->msg);
	}
	diags_free(&again);
}

/* ---- the source date ----------------------------------------------------- */

/* Latest year an RFC 3339 date can name: 9999-12-31T23:59:59Z. */
#define LAST_SECOND 253402300799LL

/* The newest modification time of site.yml and of every record the model
 * holds (drafts are not in it, so editing one changes nothing). */
static time_t newest_mtime(const site *s, const pm_keep *keep)
{
	time_t newest = 0;
	size_t n = 1 + s->ninst + s->nnet + s->npages;
	for (size_t k = 0; k < n; k++) {
		const char *rel = k == 0 ? "site.yml" :
			k <= s->ninst ? s->inst[k - 1].path :
			k <= s->ninst + s->nnet ? s->net[k - 1 - s->ninst].path :
			s->pages[k - 1 - s->ninst - s->nnet].path;
		long long known;
		if (keep && keep->mtime && keep->mtime(keep->ctx, rel, &known) == 0) {
			if (known > (long long)newest)
				newest = (time_t)known;
			continue;
		}
		char *path = fs_join(s->dir, rel);
		struct stat st;
		if (stat(path, &st) == 0 && st.st_mtime > newest)
			newest = st.st_mtime;
		free(path);
	}
	return newest;
}

/* The date the feed gives when no institution has a joined date, as
 * "YYYY-MM-DDTHH:MM:SSZ": SOURCE_DATE_EPOCH when set (the convention of
 * reproducible-builds.org), else the newest modification time of the
 * content. Never the clock: two builds of the same files are the same
 * bytes. NULL after reporting a malformed SOURCE_DATE_EPOCH. */
static char *source_date(const site *s, const char *epoch,
			 const pm_keep *keep, diags_t *d)
{
	time_t t;
	if (epoch) {
		char *end = NULL;
		errno = 0;
		long long v = strtoll(epoch, &end, 10);
		if (!*epoch || *end || errno || v < 0 || v > LAST_SECOND ||
		    epoch[0] < '0' || epoch[0] > '9') {
			diag_error(d, NULL, 0, 0,
				   "SOURCE_DATE_EPOCH is '%s': it must be a whole "
				   "number of seconds since 1970-01-01 00:00 UTC, "
				   "such as 1714560000 (or unset, to date the feed "
				   "by the content files)", epoch);
			return NULL;
		}
		t = (time_t)v;
	} else {
		t = newest_mtime(s, keep);
	}
	struct tm tm;
	char out[32];
	if (!gmtime_r(&t, &tm) ||
	    !strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return xstrdup(RENDER_EPOCH);
	return xstrdup(out);
}

/* ---- render and publish ------------------------------------------------ */

/* The folder of a site-relative file path ("." for none); NULL for NULL. */
static char *folder_of(const char *path)
{
	if (!path)
		return NULL;
	return fs_folder_of(path, ".");
}

/* The site's languages as the pages name them: tag, name, folder and
 * address of each (render.h). */
static render_lang *languages_of(const site *s, i18n *const *words)
{
	const strlist *l = &s->cfg.languages;
	render_lang *v = xcalloc(l->n, sizeof *v);
	for (size_t k = 0; k < l->n; k++) {
		v[k].tag = l->v[k];
		/* a language the theme has no texts for shows English
		 * ones: it is named in itself, as CLDR writes it */
		size_t a = strcspn(l->v[k], "-_"), b = strcspn(i18n_lang(words[k]), "-_");
		int own = a == b && !strncasecmp(l->v[k], i18n_lang(words[k]), a);
		v[k].name = own ? i18n_text(words[k], "language_name", NULL) :
			i18n_language_autonym(l->v[k]);
		v[k].dir = k ? xasprintf("%s/", l->v[k]) : xstrdup("");
		v[k].base_url = xasprintf("%s%s", s->cfg.base_url, v[k].dir);
		/* and written in its own direction (עברית) */
		v[k].rtl = own ? i18n_rtl(words[k]) : i18n_tag_rtl(l->v[k]);
	}
	return v;
}

static void languages_free(render_lang *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		FREE_ALL(v[k].name, v[k].dir, v[k].base_url);
	free(v);
}

/* Everything a build reads before it renders (build.h, pm_ready). */
struct pm_ready {
	site s;
	sfs_root root;
	geo_map *map;
	int map_kept;          /* map is the keeper's (pm_keep), not ours */
	mst_set **tpl;         /* one set per language: templates and texts */
	i18n **words;
	size_t nlang;
	render_lang *langs;
	char *map_css, *updated;
	theme_src theme;
	const build_options *o;
};

/* Render *pp's site and put it in place. *pp is freed (and NULL) once
 * the pages are rendered: the commit and the manifest need memory of
 * their own, and the model is most of the build's (some 150 MB of the
 * peak at 100,000 records, with the old manifest and the files found
 * held beside it). The record cache (records, may be NULL) is saved
 * after the manifest, under the output's lock as every file kept beside
 * it is: the next build into it removes what a kill left of their
 * writes (publish/stage.h). */
static int publish(pm_ready **pp, const build_options *o, rcache *records,
		   mapcache *drawn, diags_t *d, build_stats *stats)
{
	pm_ready *p = *pp;
	const site *s = &p->s;
	char *out = o->out_dir ? xstrdup(o->out_dir) : fs_join(s->dir, "output");
	/* the folders of the basemap and the points, which a build reads */
	char *base_dir = folder_of(s->cfg.map.basemap);
	char *points_dir = folder_of(s->cfg.map.points);
	const char *inputs[] = {base_dir, points_dir, NULL};
	/* what this build writes beside the output, under its lock */
	static const char *const beside[] = {REUSE_MANIFEST_SUFFIX,
		REUSE_PIECES_SUFFIX, RCACHE_SUFFIX, MAPCACHE_SUFFIX, NULL};
	stage_options so = {
		.shown = o->out_dir ? o->out_dir : "output", .site_dir = s->dir,
		.inputs = inputs,
		.cancel = o->cancel, .no_exchange = o->no_exchange,
		.fail_move = o->fail_move,
		.threads = render_jobs(o->jobs),
		.max_bytes = o->max_site_bytes ? o->max_site_bytes :
			stage_max_bytes(s->ninst + s->nnet + s->npages,
					s->cfg.languages.n),
		.incremental = !o->clean, .say = stderr, .beside = beside,
	};
	stage st;
	asset_list assets = {NULL, 0};
	reuse_inputs ri = {
		.site_dir = s->dir, .version = o->version,
		.theme_dir = p->theme.installed.real, .basemap = s->cfg.map.basemap,
		.points = s->cfg.map.points, .fresh = o->clean,
	};
	reuse *keep = NULL;
	int rc = stage_open(&st, out, &so, d);
	if (rc == 0)
		rc = pm_ready_assets(p, &st, &assets, d);
	if (rc == 0) {
		/* the folder stage_open resolved: every spelling of one folder
		 * ("out/", "out/.", "./out", ".") names one manifest beside it */
		ri.out_dir = st.final;
		keep = reuse_open(&ri);
		stage_reserve(&st, reuse_old_files(keep) + 64);
	}
	for (size_t k = 0; rc == 0 && k < p->nlang; k++) {
		render_ctx r;
		site view;
		pm_render_open(p, k, &st, &assets, NULL, d, &r, &view);
		/* pages kept from the last build are the default language's:
		 * the manifest's units are its routes (publish/reuse.h) */
		if (k == 0 && keep)
			reuse_prepare(keep, &r);
		rc = render_site(&r);
		if (k == 0)
			stats->countries = r.ngroups;
		pm_render_close(&r, k ? &view : NULL);
	}
	/* s is gone from here on */
	pm_ready_free(p, NULL);
	*pp = NULL;
	if (rc == 0)
		rc = stage_commit(&st, d);
	if (rc == 0 && keep && reuse_save(keep, &st) < 0)
		stats->manifest_errno = errno ? errno : EIO;
	if (rc == 0 && records && rcache_save(records) < 0)
		stats->cache_errno = errno ? errno : EIO;
	if (rc == 0 && drawn && mapcache_save(drawn) < 0)
		stats->map_errno = errno ? errno : EIO;
	stats->partial = st.partial;
	stats->lock_refused = st.lock_refused;
	_Static_assert(sizeof stats->lock_why == sizeof st.lock_why,
		       "build_stats holds stage's lock_why");
	memcpy(stats->lock_why, st.lock_why, sizeof st.lock_why);
	stats->group_lost = st.group_lost;
	if (rc == 0 && st.bits_kept[0]) {
		_Static_assert(sizeof stats->bits_kept == sizeof st.bits_kept,
			       "build_stats holds stage's bits_kept");
		memcpy(stats->bits_kept, st.bits_kept, sizeof st.bits_kept);
		stats->bits_kept_uid = st.bits_kept_uid;
		stats->bits_kept_mode = st.bits_kept_mode;
	}
	if (rc == 0 && st.left[0]) {
		_Static_assert(sizeof stats->left == sizeof st.left,
			       "build_stats holds stage's left");
		memcpy(stats->left, st.left, sizeof st.left);
		stats->left_errno = st.left_errno;
		stats->left_count = st.left_count;
	}
	if (st.old_left) {
		snprintf(stats->old_left, sizeof stats->old_left, "%s",
			 st.old_left);
		stats->old_errno = st.old_errno;
		if (st.old_stuck)
			snprintf(stats->old_stuck, sizeof stats->old_stuck, "%s",
				 st.old_stuck);
	}
	stats->group_wanted = (unsigned long)st.group_wanted;
	stats->kept = keep ? reuse_kept(keep) : 0;
	stats->manifest_refused = keep ? reuse_refused(keep) : 0;
	stats->pieces_refused = keep ? reuse_pieces_refused(keep) : 0;
	stats->manifest_damaged = keep && reuse_damaged(keep);
	stats->pieces_damaged = keep && reuse_pieces_damaged(keep);
	stats->pieces_errno = keep ? reuse_pieces_errno(keep) : 0;
	reuse_free(keep);
	stats->files = st.files;
	stats->bytes = st.bytes;
	stats->written = st.written;
	stats->removed = st.removed;
	stage_close(&st);
	assets_free(&assets);
	free(points_dir);
	free(base_dir);
	free(out);
	return rc;
}

/* How the basemap's features get the codes of the model's countries
 * (geo.h, geo_matches): first what site.yml's countries: say, then, for a
 * feature whose code field is empty or -99, the country of its name
 * (Kosovo; France and Norway in some Natural Earth editions). Free
 * m->v and m->by_name. */
static void basemap_matches(const country_table *t, geo_matches *m)
{
	geo_match *v = xcalloc(t->n + 1, sizeof *v);
	m->by_name = xcalloc(2 * t->n + 1, sizeof *m->by_name);
	m->n = m->nname = 0;
	for (size_t i = 0; i < t->n; i++) {
		const country *c = &t->v[i];
		if (c->basemap_value)
			v[m->n++] = (geo_match){c->basemap_field, c->basemap_value,
						c->alpha3, c->basemap_at.path,
						c->basemap_at.line, c->basemap_at.col};
		const char *names[] = {c->name, c->official};
		for (size_t k = 0; k < 2; k++)
			if (names[k])
				m->by_name[m->nname++] = (geo_match){
					.value = names[k], .code = c->alpha3};
	}
	m->v = v;
	geo_matches_sort_names(m);
}

/* found: s->ninst entries, geo_options.keep_found. */
static geo_map *load_map(const site *s, const sfs_root *root, int *found,
			 mapcache *drawn, diags_t *d)
{
	const map_config *m = &s->cfg.map;
	if (shapefile_missing(root, "basemap", m->basemap, m->basemap_at,
			      m->points, d))
		return NULL;
	/* the located records' points, keep[k] that of record which[k] */
	geo_lonlat *keep = xcalloc(s->ninst ? s->ninst : 1, sizeof *keep);
	size_t *which = xcalloc(s->ninst ? s->ninst : 1, sizeof *which);
	int *kept_found = xcalloc(s->ninst ? s->ninst : 1, sizeof *kept_found);
	size_t nkeep = 0;
	for (size_t i = 0; i < s->ninst; i++) {
		if (!s->inst[i].has_location)
			continue;
		which[nkeep] = i;
		keep[nkeep++] = (geo_lonlat){.lon = s->inst[i].lon,
					     .lat = s->inst[i].lat};
	}
	geo_where proj_at = {m->projection_at.path, m->projection_at.line,
			     m->projection_at.col, m->projection_text_col};
	geo_options go = {
		.root = root, .basemap = m->basemap, .basemap_shown = m->basemap,
		.iso_field = m->iso_field, .name_field = m->name_field,
		.projection = m->projection, .projection_at = &proj_at,
		.simplify = m->simplify,
		.graticule = m->graticule,
		.keep = keep, .nkeep = nkeep, .keep_found = kept_found,
		.drawn = drawn ? mapcache_store(drawn) : NULL,
	};
	if (drawn) {
		/* the basemap's files as this machine has them */
		char *folder = fs_folder_of(m->basemap ? m->basemap : "", ".");
		char *dir = fs_join(s->dir, folder);
		buf_t id = BUF_INIT;
		fs_folder_identity(dir, &id);
		mapcache_anchor(drawn, id.ptr, id.len);
		FREE_ALL(folder, dir);
		buf_free(&id);
	}
	basemap_matches(&s->countries, &go.match);
	geo_map *map = geo_map_load(&go, d);
	for (size_t k = 0; map && k < nkeep; k++)
		found[which[k]] = kept_found[k];
	free((geo_match *)go.match.v);
	free(go.match.by_name);
	FREE_ALL(keep, which, kept_found);
	return map;
}

/* The basemap for s: the keeper's when it has one for this model, else
 * loaded (and handed to the keeper, which keeps it for the next build). */
static void get_map(pm_ready *p, const pm_keep *keep, int *found, diags_t *d)
{
	if (keep && keep->map_get && (p->map = keep->map_get(keep->ctx, &p->s))) {
		p->map_kept = 1;
		return;
	}
	p->map = load_map(&p->s, &p->root, found, keep ? keep->drawn : NULL, d);
	if (p->map && keep && keep->map_put) {
		keep->map_put(keep->ctx, &p->s, p->map);
		p->map_kept = 1;
	}
}

pm_ready *pm_ready_make(const build_options *o, const pm_keep *keep,
			diags_t *d, build_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	pm_ready *p = xcalloc(1, sizeof *p);
	p->o = o;
	site *s = &p->s;
	site_init(s);
	const char *dir = o->site_dir ? o->site_dir : ".";
	/* Every file read from the site stays inside it (util/safefs.h). */
	sfs_root_init(&p->root, dir, "site folder");

	/* load + check */
	site_load_jobs(s, dir, keep ? keep->records : NULL, render_jobs(o->jobs),
		       d);
	if (keep && keep->loaded)
		keep->loaded(keep->ctx, s);
	if (can_check_on(o, s)) {
		/* the point file's own errors, warnings that checks: makes
		 * errors among them; not the load's */
		apply_checks(o, s, d);
		size_t said = d->errors + d->fatals;
		load_points(s, &p->root, d);
		apply_checks(o, s, d);
		s->points_failed = d->errors + d->fatals > said;
		site_check(s, d);
		links_check(s, &p->root, d);
	}
	if (can_check_on(o, s))
		p->updated = source_date(s, o->source_date_epoch, keep, d);
	stats->institutions = s->ninst;
	stats->networks = s->nnet;
	stats->pages = s->npages;

	/* locate */
	if (can_check_on(o, s)) {
		/* where the map's load found each partner, when it loads */
		int *found = xcalloc(s->ninst + 1, sizeof *found);
		for (size_t i = 0; i < s->ninst; i++)
			found[i] = GEO_UNFOUND;
		size_t said = d->errors + d->fatals;
		get_map(p, keep, found, d);
		/* publish needs the map: a load that failed without saying
		 * why must still stop the build */
		if (!p->map && d->errors + d->fatals == said && !cancelled(o))
			diag_fatal(d, s->cfg.map.basemap ? s->cfg.map.basemap
							 : "site.yml",
				   "the basemap could not be loaded; check that "
				   "map.basemap in site.yml names a readable "
				   "shapefile");
		/* a record without a location was told so (or waits for its
		 * point file's fix): it is nowhere, not at 0, 0 */
		for (size_t i = 0; p->map && i < s->ninst; i++)
			if (s->inst[i].has_location)
				locate_kept(s, p->map, keep, &s->inst[i],
					    found[i], d);
		free(found);
	}

	/* the theme is content too: a broken template is an error to fix */
	if (can_check_on(o, s)) {
		theme_open(&p->theme, s, &p->root, o, d);
		if (p->theme.refused) {
			/* told once, at the folder */
		} else if (!p->theme.found) {
			/* an unknown theme is one error, at site.yml's theme:
			 * (not also each of its texts and its map.css missing) */
			mst_set *none = mst_set_new();
			load_templates(&p->theme, &s->cfg.theme_at, s->cfg.theme,
				       0, none, d);
			mst_set_free(none);
		} else {
			p->nlang = s->cfg.languages.n;
			p->tpl = xcalloc(p->nlang, sizeof *p->tpl);
			p->words = xcalloc(p->nlang, sizeof *p->words);
			/* an i18n folder linked away: told once, at itself,
			 * not at each language's file */
			char *irel, *ishown;
			theme_path(&p->theme, "i18n", &irel, &ishown);
			const sfs_root *theme_words =
				sfs_folder_refused(p->theme.root, irel, ishown, d) ?
				NULL : p->theme.root;
			free(irel);
			free(ishown);
			const sfs_root *site_words =
				sfs_folder_refused(&p->root, "i18n", "i18n", d) ?
				NULL : &p->root;
			for (size_t k = 0; k < p->nlang; k++)
				load_language(&p->theme, s, site_words,
					      theme_words, k, &p->tpl[k],
					      &p->words[k], d);
			p->langs = languages_of(s, p->words);
			char *arel, *ashown;
			theme_path(&p->theme, "assets", &arel, &ashown);
			/* assets/ linked away: told once, not also at map.css */
			int away = sfs_folder_refused(p->theme.root, arel, ashown,
						      d);
			if (!away)
				map_style_load(p->theme.root, arel, ashown,
					       &p->map_css, d);
			/* check refuses the assets build would refuse, and so
			 * does a build that, after an error, will not publish
			 * them */
			apply_checks(o, s, d);
			if (!away && (o->check_only || !go_on(o, d)))
				assets_check(p->theme.root, arel, ashown, d);
			free(arel);
			free(ashown);
		}
	}

	/* site.yml's checks: and --strict decide, warning by warning, whether
	 * it stops the build (every warning is given by now) */
	apply_checks(o, s, d);
	/* a file's problems from the top, though its parser and its checks
	 * tell them at different times */
	diags_sort_runs(d);
	return p;
}

const site *pm_ready_site(const pm_ready *p)
{
	return &p->s;
}

const geo_map *pm_ready_map(const pm_ready *p)
{
	return p->map;
}

size_t pm_ready_languages(const pm_ready *p)
{
	return p->nlang;
}

int pm_ready_assets(const pm_ready *p, stage *st, asset_list *assets,
		    diags_t *d)
{
	char *arel, *ashown;
	theme_path(&p->theme, "assets", &arel, &ashown);
	int rc = assets_publish(p->theme.root, arel, ashown, st, assets, d);
	free(arel);
	free(ashown);
	return rc;
}

void pm_render_open(const pm_ready *p, size_t k, stage *st,
		    const asset_list *assets, struct str_memo *memo,
		    diags_t *d, render_ctx *r, site *view)
{
	const site *shown = &p->s;
	if (k) {
		site_in_language(&p->s, p->s.cfg.languages.v[k], view);
		shown = view;
	}
	*r = (render_ctx){
		.s = shown, .map = p->map, .tpl = p->tpl[k], .st = st,
		.assets = assets, .d = d, .version = p->o->version,
		.jobs = render_jobs(p->o->jobs), .map_css = p->map_css,
		.updated = p->updated, .i18n = p->words[k], .langs = p->langs,
		.nlangs = p->nlang, .lang = k, .memo = memo,
	};
	render_prepare(r);
}

void pm_render_close(render_ctx *r, site *view)
{
	render_release(r);
	if (view)
		site_view_free(view);
}

void pm_ready_free(pm_ready *p, const unsigned char *borrowed)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->nlang; k++) {
		i18n_free(p->words[k]);
		mst_set_free(p->tpl[k]);
	}
	if (p->langs)
		languages_free(p->langs, p->nlang);
	free(p->words);
	free(p->tpl);
	if (p->map && !p->map_kept)
		geo_map_free(p->map);
	theme_close(&p->theme);
	sfs_root_free(&p->root);
	free(p->map_css);
	free(p->updated);
	/* the institutions the caller's record cache holds stay its own */
	for (size_t i = 0; borrowed && i < p->s.ninst; i++)
		if (borrowed[i])
			memset(&p->s.inst[i], 0, sizeof p->s.inst[i]);
	site_free(&p->s);
	free(p);
}

/* The hidden file with suffix beside o's output folder (stage_beside),
 * as a fresh string. */
static char *beside_out(const build_options *o, const char *suffix)
{
	const char *dir = o->site_dir ? o->site_dir : ".";
	char *out = o->out_dir ? xstrdup(o->out_dir) : fs_join(dir, "output");
	char *path = stage_beside(out, suffix);
	free(out);
	return path;
}

/* The parsed records kept beside the output folder (load/reccache.h), for
 * a build that writes: none for a check. */
static rcache *records_open(const build_options *o)
{
	if (o->check_only)
		return NULL;
	char *path = beside_out(o, RCACHE_SUFFIX);
	rcache_inputs in = {.path = path,
			    .site_dir = o->site_dir ? o->site_dir : ".",
			    .version = o->version, .fresh = o->clean};
	rcache *c = rcache_open(&in);
	free(path);
	return c;
}

/* The basemap's simplification kept beside the output folder
 * (publish/mapcache.h), for a build that writes: none for a check. */
static mapcache *drawn_open(const build_options *o)
{
	if (o->check_only)
		return NULL;
	char *path = beside_out(o, MAPCACHE_SUFFIX);
	mapcache *c = mapcache_open(path, o->version, o->clean);
	free(path);
	return c;
}

/* stage_sink of check's render: the pages are made, never kept. */
static int discard(void *ctx, const char *rel, const void *data, size_t n,
		   diags_t *d)
{
	(void)ctx, (void)rel, (void)data, (void)n, (void)d;
	return 0;
}

/* Of the n pages of kind (a network's, a country's or an elective's
 * listing), the one that lists the fewest institutions: the same
 * templates as the others, in the least time. 0 for another kind. */
static size_t smallest_listing(const render_ctx *r, render_job_kind kind,
			       size_t n)
{
	size_t best = 0, fewest = (size_t)-1;
	for (size_t k = 0; k < n; k++) {
		size_t count = kind == RENDER_JOB_NETWORK ? r->net_count[k] :
			       kind == RENDER_JOB_COUNTRY ? r->groups[k].count :
			       kind == RENDER_JOB_ELECTIVE ? r->elective_count[k] :
			       0;
		if (count < fewest) {
			fewest = count;
			best = k;
		}
	}
	return best;
}

/* The institution whose page shows the most of what a record may hold
 * (a photo, offers, files, housing, a body, the optional fields), the
 * first of those that show as much: a template's sections over those
 * parts render for it. 0 when there is none. */
static size_t richest_institution(const site *s)
{
	size_t best = 0;
	int most = -1;
	for (size_t i = 0; i < s->ninst; i++) {
		const institution *in = &s->inst[i];
		int got = (in->photo.file != NULL) + (in->noffers > 0) +
			  (in->nfiles > 0) + (in->housing_html != NULL) +
			  (in->body_html && *in->body_html) +
			  (in->local_name != NULL) + (in->website != NULL) +
			  (in->email != NULL) + (in->joined != NULL) +
			  (in->updated != NULL) + (in->professions.n > 0) +
			  (in->languages_of_instruction.n > 0) +
			  (in->electives.n > 0);
		if (got > most) {
			most = got;
			best = i;
		}
	}
	return best;
}

/* For check: render one page of each kind the theme's templates make,
 * in memory, in each language, so that what stops a build only as it
 * renders (a template including itself over data that never ends, a page
 * past the output limit: render/mustache.h) stops check too, when it
 * fails on such a page. The page of the institution that shows the most
 * (richest_institution), the first page of the network, country and
 * elective listings of the fewest partners (smallest_listing), every
 * free page (few, each its own template's and text's), the home page and
 * 404.html; not map.svg, the exports and the scripts, which no template
 * makes. A template that fails only for another record, or only on a
 * longer list, is found by the build alone. Stops at the first page that
 * fails: the same template would fail again in every language. */
static void check_render(const pm_ready *p, diags_t *d)
{
	static const render_job_kind kinds[] = {
		RENDER_JOB_HOME, RENDER_JOB_INSTITUTION, RENDER_JOB_NETWORK,
		RENDER_JOB_COUNTRY, RENDER_JOB_ELECTIVE, RENDER_JOB_PAGE,
		RENDER_JOB_404};
	stage st;
	asset_list assets = {NULL, 0};
	/* the assets' problems were told by assets_check already */
	diags_t quiet = DIAGS_INIT;
	stage_open_memory(&st, discard, NULL);
	int rc = pm_ready_assets(p, &st, &assets, &quiet);
	diags_free(&quiet);
	for (size_t k = 0; rc == 0 && k < p->nlang; k++) {
		render_ctx r;
		site view;
		pm_render_open(p, k, &st, &assets, NULL, d, &r, &view);
		r.first_pages = 1;
		for (size_t i = 0; rc == 0 && i < sizeof kinds / sizeof *kinds; i++) {
			size_t n = render_job_count(&r, kinds[i]);
			if (kinds[i] == RENDER_JOB_PAGE)
				for (size_t j = 0; rc == 0 && j < n; j++)
					rc = render_job(&r, kinds[i], j);
			else if (kinds[i] == RENDER_JOB_INSTITUTION && n)
				rc = render_job(&r, kinds[i],
						richest_institution(r.s));
			else if (n)
				rc = render_job(&r, kinds[i],
						smallest_listing(&r, kinds[i], n));
		}
		pm_render_close(&r, k ? &view : NULL);
	}
	stage_close(&st);
	assets_free(&assets);
}

int pm_build(const build_options *o, diags_t *d, build_stats *stats)
{
	rcache *records = records_open(o);
	mapcache *drawn = drawn_open(o);
	load_cache hooks;
	pm_keep keep = {.records = &hooks, .loaded = rcache_loaded,
			.mtime = rcache_mtime, .ctx = records,
			.drawn = drawn};
	if (records)
		rcache_hooks(records, &hooks);
	pm_ready *p = pm_ready_make(o, records ? &keep : NULL, d, stats);
	stats->cache_refused = rcache_refused(records);
	stats->cache_damaged = rcache_damaged(records);
	stats->map_refused = mapcache_refused(drawn);
	stats->map_damaged = mapcache_damaged(drawn);
	stats->map_taken = mapcache_taken(drawn);
	int published = 0;
	if (o->check_only && go_on(o, d) && p->tpl && p->map)
		check_render(p, d);
	if (!o->check_only && go_on(o, d)) {
		published = publish(&p, o, records, drawn, d, stats) == 0;
		if (!published && !cancelled(o) && exit_code(d) == EXIT_BUILT)
			/* every failure says why; one that did not is ours */
			diag_error(d, NULL, 0, 0,
				   "the site was not written and no step said why; "
				   "this is a bug in partnermap: run it again with "
				   "-j 1 and report what it says");
	}
	pm_ready_free(p, NULL);
	rcache_free(records);
	mapcache_free(drawn);
	diags_sort_runs(d);
	if (cancelled(o) && !published)
		return EXIT_FAILURE_IO;
	return exit_code(d);
}
