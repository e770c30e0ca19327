/* build.c - the pipeline: each stage reads the model and hands it on. */
#include "build.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo/geo.h"
#include "geo/map.h"
#include "load/load.h"
#include "publish/assets.h"
#include "publish/stage.h"
#include "render/mustache.h"
#include "render/render.h"
#include "site.h"
#include "util/buf.h"
#include "util/fs.h"

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

static void apply_point(void *ctx, const char *slug, double lat, double lon,
			int record)
{
	points_ctx *p = ctx;
	institution *in = (institution *)site_institution(p->s, slug);
	if (!in) {
		diag_warning(p->d, p->shown, 0, 0,
			     "record %d: no institution with slug '%s'", record, slug);
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

static int load_points(site *s, diags_t *d)
{
	const map_config *m = &s->cfg.map;
	if (!m->points)
		return 0;
	char *path = fs_join(s->dir, m->points);
	points_ctx ctx = {s, m->points, d};
	int rc = geo_read_points(path, m->points,
				 m->points_slug_field ? m->points_slug_field : "slug",
				 apply_point, &ctx, d);
	free(path);
	return rc;
}

/* ---- locate ------------------------------------------------------------- */

#define SEA_TOLERANCE_KM 50.0

/* Where a point lands against where its record says it is. Only a country
 * the basemap has can be checked (Singapore is not in the 1:110m data). */
static void locate_one(const site *s, const geo_map *map, institution *in,
		       diags_t *d)
{
	const country *c = country_by_alpha2(&s->countries, in->country);
	int want = c ? geo_map_find(map, c->alpha3) : -1;
	int got = geo_map_locate(map, in->lat, in->lon);
	in->feature = got;
	if (want < 0 || got == want)
		return;
	const srcpos *at = in->pos_location.line ? &in->pos_location : &in->pos;
	/* Written [longitude, latitude]? Then the other order lands home. */
	int swapped = in->lon >= -90 && in->lon <= 90 &&
		      geo_map_locate(map, in->lon, in->lat) == want;
	buf_t msg = BUF_INIT;
	if (got >= 0)
		buf_printf(&msg, "location falls in %s, not %s", geo_map_name(map, got),
			   c->name);
	else {
		double km = geo_map_distance_km(map, want, in->lat, in->lon);
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
	diag_warning(d, at->path, at->line, at->col, "%s", buf_cstr(&msg));
	buf_free(&msg);
}

/* A map that stops short of the poles (Mercator, at 85 degrees) draws a
 * partner beyond that on its edge: say so where the location is written. */
static void beyond_edge(const geo_map *map, const institution *in, diags_t *d)
{
	double top = geo_map_lat_max(map);
	if (!(fabs(in->lat) > top))
		return;
	const srcpos *at = in->pos_location.line ? &in->pos_location : &in->pos;
	diag_warning(d, at->path, at->line, at->col,
		     "latitude %g is beyond the %g degrees this projection can show: "
		     "the marker is drawn at %g, on the map's edge (the data keep "
		     "%g); to show it where it is, choose a projection that reaches "
		     "the poles, such as equal-earth",
		     in->lat, top, copysign(top, in->lat), in->lat);
}

/* ---- theme -------------------------------------------------------------- */

/* The theme folder: the site's own themes/<name>, else the installed one. */
static char *theme_dir(const site *s, const build_options *o, char **shown)
{
	*shown = xasprintf("themes/%s", s->cfg.theme);
	char *local = fs_join(s->dir, *shown);
	if (fs_is_dir(local) || !o->datadir)
		return local;
	char *installed = xasprintf("%s/%s", o->datadir, *shown);
	if (fs_is_dir(installed)) {
		free(local);
		return installed;
	}
	free(installed);
	return local;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static int load_templates(const char *dir, const char *shown, mst_set *set,
			  diags_t *d)
{
	char *tdir = fs_join(dir, "templates");
	char *tshown = fs_join(shown, "templates");
	char **names;
	size_t count;
	int rc = 0;
	if (fs_list(tdir, &names, &count) < 0) {
		diag_error(d, tshown, 0, 0, "cannot read the theme's templates: %s",
			   strerror(errno));
		free(tdir);
		free(tshown);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		if (!ends_with(names[i], ".mustache"))
			continue;
		char *path = fs_join(tdir, names[i]);
		char *rel = fs_join(tshown, names[i]);
		buf_t src = BUF_INIT;
		if (fs_read(path, &src) < 0) {
			diag_fatal(d, rel, "cannot read: %s", strerror(errno));
			rc = -1;
		} else {
			char *name = xstrndup(names[i], strlen(names[i]) - 9);
			if (mst_set_add(set, name, rel, src.ptr, src.len, d) < 0)
				rc = -1;
			free(name);
		}
		buf_free(&src);
		free(path);
		free(rel);
	}
	fs_free_list(names);
	static const char *const needed[] = {
		"home", "institution", "network", "country", "page", "404"};
	for (size_t k = 0; k < sizeof needed / sizeof needed[0]; k++)
		if (!mst_set_has(set, needed[k])) {
			diag_error(d, tshown, 0, 0, "the theme has no %s.mustache",
				   needed[k]);
			rc = -1;
		}
	if (mst_set_check(set, d) > 0)
		rc = -1;
	free(tdir);
	free(tshown);
	return rc;
}

/* ---- render and publish ------------------------------------------------ */

/* Threads for rendering: as asked, else one per processor, at most 8. */
static int render_jobs(int asked)
{
	if (asked > 0)
		return asked;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static int publish(const site *s, const geo_map *map, const mst_set *tpl,
		   const char *theme, const char *theme_shown,
		   const build_options *o, diags_t *d, build_stats *stats)
{
	char *out = o->out_dir ? xstrdup(o->out_dir) : fs_join(s->dir, "output");
	stage st;
	asset_list assets = {NULL, 0};
	int rc = stage_open(&st, out, d);
	if (rc == 0) {
		char *adir = fs_join(theme, "assets");
		char *ashown = fs_join(theme_shown, "assets");
		rc = assets_publish(adir, ashown, &st, &assets, d);
		free(adir);
		free(ashown);
	}
	if (rc == 0) {
		render_ctx r = {
			.s = s, .map = map, .tpl = tpl, .st = &st,
			.assets = &assets, .d = d, .version = o->version,
			.jobs = render_jobs(o->jobs),
		};
		rc = render_prepare(&r);
		if (rc == 0)
			rc = render_site(&r);
		stats->countries = r.ngroups;
		render_release(&r);
	}
	if (rc == 0)
		rc = stage_commit(&st, d);
	stats->files = st.files;
	stats->bytes = st.bytes;
	stage_close(&st);
	assets_free(&assets);
	free(out);
	return rc;
}

static geo_map *load_map(const site *s, diags_t *d)
{
	const map_config *m = &s->cfg.map;
	char *path = fs_join(s->dir, m->basemap);
	double (*keep)[2] = xcalloc(s->ninst ? s->ninst : 1, sizeof *keep);
	for (size_t i = 0; i < s->ninst; i++) {
		keep[i][0] = s->inst[i].lat;
		keep[i][1] = s->inst[i].lon;
	}
	geo_options go = {
		.basemap = path, .basemap_shown = m->basemap,
		.iso_field = m->iso_field, .name_field = m->name_field,
		.projection = m->projection, .simplify = m->simplify,
		.graticule = m->graticule,
		.keep = (const double (*)[2])keep, .nkeep = s->ninst,
	};
	geo_map *map = geo_map_load(&go, d);
	free(keep);
	free(path);
	return map;
}

int pm_build(const build_options *o, diags_t *d, build_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	site s;
	site_init(&s);
	const char *dir = o->site_dir ? o->site_dir : ".";
	geo_map *map = NULL;
	mst_set *tpl = NULL;
	char *theme = NULL, *theme_shown = NULL;

	/* load + check */
	site_load(&s, dir, d);
	if (!d->errors && !d->fatals) {
		load_points(&s, d);
		site_check(&s, d);
	}
	stats->institutions = s.ninst;
	stats->networks = s.nnet;
	stats->pages = s.npages;

	/* locate */
	if (!d->errors && !d->fatals) {
		map = load_map(&s, d);
		for (size_t i = 0; map && i < s.ninst; i++) {
			locate_one(&s, map, &s.inst[i], d);
			beyond_edge(map, &s.inst[i], d);
		}
	}

	/* the theme is content too: a broken template is an error to fix */
	if (!d->errors && !d->fatals) {
		theme = theme_dir(&s, o, &theme_shown);
		tpl = mst_set_new();
		load_templates(theme, theme_shown, tpl, d);
	}

	/* render + publish */
	if (!o->check_only && !d->errors && !d->fatals)
		publish(&s, map, tpl, theme, theme_shown, o, d, stats);

	if (tpl)
		mst_set_free(tpl);
	if (map)
		geo_map_free(map);
	free(theme);
	free(theme_shown);
	site_free(&s);
	return exit_code(d);
}
