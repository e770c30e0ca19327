/* config.c - site.yml: the site's title, address and map settings. */
#include "load.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/safefs.h"
#include "fields.h"

static const char *const top_keys[] = {
	"title", "base_url", "language", "theme", "description", "intro",
	"sample_note", "map", "checks", NULL};
static const char *const map_keys[] = {
	"basemap", "iso_field", "name_field", "projection", "simplify",
	"graticule", "points", "points_slug_field", NULL};

void config_free(site_config *cfg)
{
	free(cfg->title);
	free(cfg->base_url);
	free(cfg->language);
	free(cfg->theme);
	free(cfg->description);
	free(cfg->intro);
	free(cfg->sample_note);
	free(cfg->map.basemap);
	free(cfg->map.iso_field);
	free(cfg->map.name_field);
	free(cfg->map.projection);
	free(cfg->map.points);
	free(cfg->map.points_slug_field);
	memset(cfg, 0, sizeof *cfg);
}

static void default_text(char **field, const char *value)
{
	if (!*field)
		*field = xstrdup(value);
}

/* Fill what site.yml left out. graticule's default (on) is applied when
 * parsing starts, since 0 is a value an editor can choose. */
static void fill_defaults(site_config *cfg)
{
	default_text(&cfg->language, "en");
	default_text(&cfg->theme, "default");
	default_text(&cfg->map.basemap, "geodata/naturalearth_lowres.shp");
	default_text(&cfg->map.iso_field, "iso_a3");
	default_text(&cfg->map.name_field, "name");
	default_text(&cfg->map.projection, "equal-earth");
	default_text(&cfg->map.points_slug_field, "slug");
}

/* base_url: http(s) with a host, no query or fragment, ending in "/". */
static void read_base_url(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (field_required_text(c, v, &cfg->base_url) < 0)
		return;
	const char *why = NULL;
	if (check_http_url(cfg->base_url, &why) < 0)
		diag_error(c->d, c->path, v->line, v->col,
			   "base_url must be an http(s) URL (%s)", why);
	else if (strpbrk(cfg->base_url, "?#"))
		diag_error(c->d, c->path, v->line, v->col,
			   "base_url must not have a query (?) or fragment (#)");
	else {
		char *url = url_normalise(cfg->base_url);
		free(cfg->base_url);
		cfg->base_url = url;
		if (url[strlen(url) - 1] != '/') {
			cfg->base_url = xasprintf("%s/", url);
			free(url);
		}
	}
}

/* A language tag such as "en" or "pt-BR": it lands in <html lang>. */
static void read_language(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (field_text(c, v, &cfg->language) < 0 || !cfg->language)
		return;
	const char *s = cfg->language;
	size_t primary = 0;
	while (isalpha((unsigned char)s[primary]))
		primary++;
	int ok = primary >= 2 && primary <= 3;
	for (const char *p = s + primary; ok && *p; p++)
		ok = isalnum((unsigned char)*p) ||
		     (*p == '-' && isalnum((unsigned char)p[1]));
	if (!ok)
		diag_error(c->d, c->path, v->line, v->col,
			   "language must be a language tag such as en or pt-BR");
}

/* A theme is a folder name under themes/: no paths. */
static void read_theme(field_ctx *c, const fm_node *v, site_config *cfg)
{
	if (field_text(c, v, &cfg->theme) < 0 || !cfg->theme)
		return;
	cfg->theme_at = (srcpos){c->path, v->line, v->col};
	const char *s = cfg->theme;
	int ok = s[0] != '.';
	for (; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || strchr("._-", *s);
	if (!ok)
		diag_error(c->d, c->path, v->line, v->col,
			   "theme must be the name of a folder in themes/");
}

static void read_simplify(field_ctx *c, const fm_node *v, map_config *map)
{
	double share;
	if (v->type == FM_NULL || field_number(c, v, &share) < 0)
		return;
	if (!(share > 0 && share <= 1))
		diag_error(c->d, c->path, v->line, v->col,
			   "simplify must be a number greater than 0 and at most 1, not %s",
			   v->text);
	else
		map->simplify = share;
}

/* map.basemap and map.points name files of the site: relative to the
 * site folder and inside it. Symbolic links are followed only as far as
 * they stay inside, which is checked when the files are read (safefs.h). */
static void read_site_path(field_ctx *c, const fm_node *v, char **out,
			   const char *example)
{
	if (field_text(c, v, out) < 0 || !*out)
		return;
	if ((*out)[0] == '/')
		diag_error(c->d, c->path, v->line, v->col,
			   "map.%s must be a path relative to the site folder "
			   "(such as %s), not an absolute path: copy the files "
			   "into the site folder and name them from there",
			   v->key, example);
	else if (!sfs_rel_stays_inside(*out))
		diag_error(c->d, c->path, v->line, v->col,
			   "map.%s climbs out of the site folder with '..': copy "
			   "the files into the site folder and name them from "
			   "there (such as %s)", v->key, example);
}

static void read_map_key(field_ctx *c, const fm_node *v, map_config *map)
{
	const char *k = v->key;
	if (!strcmp(k, "basemap"))
		read_site_path(c, v, &map->basemap,
			       "geodata/naturalearth_lowres.shp");
	else if (!strcmp(k, "iso_field"))
		field_text(c, v, &map->iso_field);
	else if (!strcmp(k, "name_field"))
		field_text(c, v, &map->name_field);
	else if (!strcmp(k, "projection")) {
		field_text(c, v, &map->projection);
		map->projection_at = (srcpos){c->path, v->line, v->col};
	} else if (!strcmp(k, "simplify"))
		read_simplify(c, v, map);
	else if (!strcmp(k, "graticule"))
		field_bool(c, v, &map->graticule);
	else if (!strcmp(k, "points"))
		read_site_path(c, v, &map->points, "geodata/partners.shp");
	else if (!strcmp(k, "points_slug_field"))
		field_text(c, v, &map->points_slug_field);
	else
		field_unknown_key(c, v, map_keys);
}

static void read_map(field_ctx *c, const fm_node *v, map_config *map)
{
	if (v->type == FM_NULL)
		return;
	if (v->type != FM_MAP) {
		diag_error(c->d, c->path, v->line, v->col,
			   "map must be a mapping of settings, not %s",
			   fm_type_name(v->type));
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		read_map_key(c, &v->kids[i], map);
}

/* One entry of checks: a check's name (util/diag_names.h) and what to do
 * with its warnings. An unknown name is itself a warning. */
static void read_check(field_ctx *c, const fm_node *v, diag_policy *p)
{
	check_id id = diag_check_by_name(v->key);
	if (id == CHECK_NONE) {
		const char *names[CHECK_COUNT];
		for (int i = 1; i < CHECK_COUNT; i++)
			names[i - 1] = diag_check_name((check_id)i);
		names[CHECK_COUNT - 1] = NULL;
		const char *best = hint_from(v->key, names);
		diag_warning(c->d, UNKNOWN_CHECK, c->path, v->key_line,
			     v->key_col,
			     "unknown check '%s' (ignored; partnermap check "
			     "--list-checks lists them)%s%s%s", v->key,
			     best ? "; did you mean " : "", best ? best : "",
			     best ? "?" : "");
	}
	char *word = NULL;
	if (field_text(c, v, &word) < 0)
		return;
	int act = policy_action_from(word);
	if (act < 0)
		diag_error(c->d, c->path, v->line, v->col,
			   "checks: %s must be error, warning or ignore, not '%s'",
			   v->key, word ? word : "");
	else if (id != CHECK_NONE)
		p->action[id] = (unsigned char)act;
	free(word);
}

static void read_checks(field_ctx *c, const fm_node *v, diag_policy *p)
{
	if (v->type == FM_NULL)
		return;
	if (v->type != FM_MAP) {
		diag_error(c->d, c->path, v->line, v->col,
			   "checks must be a mapping of check names to error, "
			   "warning or ignore (such as 'checks: {unknown-key: "
			   "error}'), not %s", fm_type_name(v->type));
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		read_check(c, &v->kids[i], p);
}

static void read_top_key(field_ctx *c, const fm_node *v, site_config *cfg)
{
	const char *k = v->key;
	if (!strcmp(k, "title"))
		field_required_text(c, v, &cfg->title);
	else if (!strcmp(k, "base_url"))
		read_base_url(c, v, cfg);
	else if (!strcmp(k, "language"))
		read_language(c, v, cfg);
	else if (!strcmp(k, "theme"))
		read_theme(c, v, cfg);
	else if (!strcmp(k, "description"))
		field_text(c, v, &cfg->description);
	else if (!strcmp(k, "intro"))
		field_text(c, v, &cfg->intro);
	else if (!strcmp(k, "sample_note"))
		field_text(c, v, &cfg->sample_note);
	else if (!strcmp(k, "map"))
		read_map(c, v, &cfg->map);
	else if (!strcmp(k, "checks"))
		read_checks(c, v, &cfg->checks);
	else
		field_unknown_key(c, v, top_keys);
}

int config_parse(site_config *cfg, const char *text, size_t len,
		 const char *path, diags_t *d)
{
	size_t before = d->errors + d->fatals;
	field_ctx c = {path, d};
	fm_node root = {0};
	cfg->map.graticule = 1;
	cfg->map.projection_at = cfg->theme_at = (srcpos){path, 1, 1};
	cfg->unread = fm_parse_yaml(text, len, path, &root, d) < 0;
	if (!cfg->unread) {
		for (size_t i = 0; i < root.n; i++)
			read_top_key(&c, &root.kids[i], cfg);
		if (!fm_get(&root, "title"))
			diag_error(d, path, 1, 1, "missing required key 'title'");
		if (!fm_get(&root, "base_url"))
			diag_error(d, path, 1, 1,
				   "missing required key 'base_url' (the address the site is published at)");
	}
	fm_node_free(&root);
	fill_defaults(cfg);
	return d->errors + d->fatals > before ? -1 : 0;
}

int config_load(site_config *cfg, const char *dir, diags_t *d)
{
	sfs_root root;
	sfs_root_init(&root, dir, "site folder");
	buf_t text = BUF_INIT;
	int rc = sfs_read(&root, "site.yml", "site.yml", SFS_CONFIG, &text, d);
	int missing = rc == SFS_IO && (errno == ENOENT || errno == ENOTDIR);
	if (missing && !strcmp(dir, "."))
		diag_error(d, "site.yml", 1, 1,
			   "no site.yml in the current folder: run partnermap "
			   "in a site folder or pass -C DIR (partnermap init "
			   "DIR starts a new site)");
	else if (missing)
		diag_error(d, "site.yml", 1, 1,
			   "no site.yml in '%s': run partnermap in a site "
			   "folder or pass -C DIR (partnermap init %s starts a "
			   "new site there)", dir, dir);
	else if (rc == SFS_IO)
		diag_error(d, "site.yml", 1, 1, "cannot read site.yml: %s",
			   strerror(errno));
	if (rc != SFS_OK) {
		cfg->map.graticule = 1;
		cfg->map.projection_at = cfg->theme_at = (srcpos){"site.yml", 1, 1};
		cfg->unread = 1;
		fill_defaults(cfg);
		rc = missing ? -2 : -1;
	} else {
		rc = config_parse(cfg, text.ptr, text.len, "site.yml", d);
	}
	buf_free(&text);
	sfs_root_free(&root);
	return rc;
}
