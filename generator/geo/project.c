/* project.c - lon/lat layers into map coordinates with PROJ.
 *
 * Everything happens in a frame rotated so that the central meridian is at
 * longitude 0: lon' = wrap(lon - lon_0). The map's edge (the antimeridian,
 * lon_0 + 180) is then at lon' = +-180 exactly, where it is easy to cut. The
 * PROJ object is built with +lon_0=0 and fed lon', which is the same map as
 * the user's +lon_0 (the rotation about the axis is all lon_0 does) without
 * PROJ wrapping a point on the edge over to the other side.
 *
 * A ring is cut where an edge jumps more than 180 degrees in lon' (the short
 * way round crosses the edge of the map). Its pieces are then stitched into
 * closed rings along the cut line; a ring that winds around a pole
 * (Antarctica) is closed along the pole line as well. The stages:
 *
 *   rotate -> cut into pieces -> stitch along the cut -> regroup holes
 *          -> project -> drop repeated points
 */
#include "geo.h"
#include "util/pairs.h"

#include <ctype.h>
#include <math.h>
#include <proj.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DENSIFY_DEG 2.0   /* step along cut lines, pole lines, graticule */
#define MERCATOR_LAT 85.0 /* where a map with poles at infinity stops */
#define POLE_EPS 1e-9
#define EDGE_EPS 1e-9 /* degrees: this close to the map's edge is on it */

struct geo_proj {
	PJ_CONTEXT *ctx;
	PJ *pj;          /* the projection with lon_0 = 0, fed lon' */
	double lon_0;    /* central meridian, degrees; the cut is lon_0 + 180 */
	double lat_max;  /* 90, or 85 where a pole is out of reach */
	int pole_line;   /* the map's top and bottom are lines, not points */
	int degrees_out; /* the output is angular (longlat): give degrees */
	char *log;       /* PROJ's last log message, for diagnostics */
};

/* A growable array of points. */
typedef struct ptvec {
	geo_pt *p;
	size_t n, cap;
} ptvec;

static void pv_push(ptvec *v, double x, double y)
{
	v->p = xgrow(v->p, &v->cap, v->n + 1, sizeof *v->p, 16);
	v->p[v->n].x = x;
	v->p[v->n].y = y;
	v->n++;
}

/* Append unless it repeats the last point. */
static void pv_add(ptvec *v, double x, double y)
{
	if (v->n && v->p[v->n - 1].x == x && v->p[v->n - 1].y == y)
		return;
	pv_push(v, x, y);
}

/* ---- the PROJ object ---------------------------------------------------- */

void geo_proj_keep_log(void *app, int level, const char *msg)
{
	char **log = app;
	if (level > PJ_LOG_ERROR || !msg)
		return;
	free(*log);
	*log = xstrdup(msg);
}

static const char *named_projection(const char *spec)
{
	static const str_pair names[] = {
		{"equal-earth", "+proj=eqearth"},
		{"robinson", "+proj=robin"},
		{"natural-earth", "+proj=natearth"},
		{"mercator", "+proj=merc"},
		{"equirectangular", "+proj=eqc"},
	};
	if (!spec || !*spec)
		return names[0].value;
	return str_pair_find(names, STR_PAIRS_N(names), spec, 0);
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of the token starting at t: up to a blank, a quote, a bracket or
 * the end. */
static size_t token_length(const char *t)
{
	size_t n = 0;
	while (t[n] && !isspace((unsigned char)t[n]) && !strchr("\"'[]()", t[n]))
		n++;
	return n;
}

/* A parameter at t (optionally after '+') followed by '=' whose name is
 * init, file or model, or ends in grid or grids (grids, nadgrids,
 * geoidgrids, xy_grids, z_grids: every grid PROJ's operations read); or
 * a PARAMETERFILE[ of WKT 2. */
static int reads_file_at(const char *t)
{
	static const char *keys[] = {"init", "file", "model"};
	const char *k = *t == '+' ? t + 1 : t;
	size_t n = 0;
	while (word_char(k[n]))
		n++;
	const char *e = k + n;
	while (*e == ' ' || *e == '\t')
		e++;
	if (n && *e == '=') {
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (n == strlen(keys[i]) && !strncasecmp(k, keys[i], n))
				return 1;
		if ((n >= 4 && !strncasecmp(k + n - 4, "grid", 4)) ||
		    (n >= 5 && !strncasecmp(k + n - 5, "grids", 5)))
			return 1;
	}
	return !strncasecmp(k, "parameterfile", 13) && k[13] == '[';
}

/* At t, PROJJSON's "value" : "text": the length to the closing quote;
 * else 0. A parameter's value in text names a file (a grid); every other
 * parameter's value is a number. */
/* p past any blanks and line ends. */
static const char *blanks_past(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* Past the WKT string at p ("..."), or NULL when none starts there. */
static const char *quoted_past(const char *p)
{
	if (*p != '"')
		return NULL;
	const char *end = strchr(p + 1, '"');
	return end ? end + 1 : NULL;
}

/* The JSON string at t (at its opening quote) decoded into out (cap
 * bytes with its NUL; \uXXXX of ASCII and the one-letter escapes read):
 * the byte past its closing quote, or NULL (no string, or longer). */
static const char *json_key(const char *t, char *out, size_t cap)
{
	if (*t != '"')
		return NULL;
	size_t n = 0;
	for (t++; *t && *t != '"'; t++) {
		char c = *t;
		if (c == '\\') {
			t++;
			if (*t == 'u' && isxdigit((unsigned char)t[1]) &&
			    isxdigit((unsigned char)t[2]) &&
			    isxdigit((unsigned char)t[3]) &&
			    isxdigit((unsigned char)t[4])) {
				char hex[5] = {t[1], t[2], t[3], t[4], '\0'};
				long v = strtol(hex, NULL, 16);
				c = v < 0x80 ? (char)v : '?';
				t += 4;
			} else if (*t) {
				c = *t;
			} else {
				return NULL;
			}
		}
		if (n + 1 >= cap)
			return NULL;
		out[n++] = c;
	}
	out[n] = '\0';
	return *t == '"' ? t + 1 : NULL;
}

/* At t, WKT 2's PARAMETER["name", "text"]: a parameter whose value is
 * text, a file's name (every other value is a number). Its length to
 * the value's closing quote, or 0. */
static size_t wkt_file_parameter(const char *t)
{
	if (strncasecmp(t, "PARAMETER", 9))
		return 0;
	const char *p = t + 9;
	p = blanks_past(p);
	if (*p != '[' && *p != '(')
		return 0;
	p++;
	p = blanks_past(p);
	p = quoted_past(p);
	if (!p || *(p = blanks_past(p)) != ',')
		return 0;
	p = quoted_past(blanks_past(p + 1));
	return p ? (size_t)(p - t) : 0;
}

static size_t projjson_file_value(const char *t)
{
	char key[16];
	const char *p = json_key(t, key, sizeof key);
	if (!p || strcmp(key, "value"))
		return 0;
	p = blanks_past(p);
	if (*p++ != ':')
		return 0;
	p = blanks_past(p);
	if (*p != '"')
		return 0;
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? (size_t)(p + 1 - t) : 0;
}

const char *geo_proj_file_reference(const char *text, size_t *len)
{
	if (!text)
		return NULL;
	for (const char *t = text; *t; t++) {
		size_t json = projjson_file_value(t);
		if (!json && (t == text || !word_char(t[-1])))
			json = wkt_file_parameter(t);
		if (json) {
			*len = json;
			return t;
		}
		if (t > text && (word_char(t[-1]) || t[-1] == '+'))
			continue;
		if (*t == '@' || reads_file_at(t)) {
			*len = token_length(t);
			return t;
		}
	}
	return NULL;
}

size_t geo_proj_depth(const char *text)
{
	size_t depth = 0, most = 0;
	for (const char *t = text; t && *t; t++) {
		if (*t == '[' || *t == '{' || *t == '(') {
			if (++depth > most)
				most = depth;
		} else if ((*t == ']' || *t == '}' || *t == ')') && depth) {
			depth--;
		}
	}
	return most;
}

/* Refuse spec when it makes PROJ read files: an error at at, -1. */
static int refuse_file_reference(const char *spec, const geo_where *at,
				 diags_t *d)
{
	size_t n;
	const char *t = geo_proj_file_reference(spec, &n);
	if (!t)
		return 0;
	/* each of them, up to ten: one run tells them all */
	for (int told = 0; t && told < 10; told++) {
		int col = at->col;
		if (at->text_col) {
			col = at->text_col;
			for (const char *p = spec; p < t; p++)
				col += ((unsigned char)*p & 0xC0) != 0x80;
		}
		diag_error(d, at->path, at->line, col,
			   "projection \"%s\" makes PROJ read files (%.*s); "
			   "partnermap reads nothing outside the site: use a "
			   "projection without grids or init files", spec,
			   (int)(n > 200 ? 200 : n), t);
		t = geo_proj_file_reference(t + (n ? n : 1), &n);
	}
	return -1;
}

/* The message to show for a failed PROJ call. */
static const char *proj_message(geo_proj *p)
{
	const char *m = p->log;
	if (m && !strncmp(m, "proj_create: ", 13))
		m += 13;
	if (m && *m)
		return m;
	int err = proj_context_errno(p->ctx);
	m = err ? proj_context_errno_string(p->ctx, err) : NULL;
	return m ? m : "not a usable projection";
}

/* A CRS ("EPSG:3857", WKT) given instead of a PROJ string: its PROJ.4 form,
 * which names the projection and its parameters. NULL if not a CRS. */
static char *crs_as_proj_string(geo_proj *p, const char *spec)
{
	if (strstr(spec, "proj="))
		return NULL;
	PJ *crs = proj_create(p->ctx, spec);
	if (!crs)
		return NULL;
	char *def = NULL;
	if (proj_is_crs(crs)) {
		const char *s = proj_as_proj_string(p->ctx, crs, PJ_PROJ_4, NULL);
		def = xstrdup(s);
	}
	proj_destroy(crs);
	return def;
}

/* Tokens that make a CRS of an operation or need grids; the map needs
 * neither. */
static int dropped_token(const char *key, size_t n)
{
	static const char *drop[] = {"type", "no_defs", "wktext", "nadgrids"};
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
		if (strlen(drop[i]) == n && !strncmp(key, drop[i], n))
			return 1;
	return 0;
}

/* Copy def into out without its lon_0 (kept in *lon_0, degrees) and the
 * tokens above, then add +lon_0=0. -1 if lon_0 is not an angle. */
static int rewrite_definition(const char *def, buf_t *out, double *lon_0)
{
	*lon_0 = 0;
	const char *s = def;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		const char *tok = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
		if (s == tok)
			break;
		const char *key = *tok == '+' ? tok + 1 : tok;
		size_t keylen = strcspn(key, "= \t\n");
		if (keylen == 5 && !strncmp(key, "lon_0", 5) && key[5] == '=') {
			char *val = xstrndup(key + 6, (size_t)(s - key - 6));
			char *end = NULL;
			double rad = proj_dmstor(val, &end);
			int ok = end && end != val && !*end && isfinite(rad);
			free(val);
			if (!ok)
				return -1;
			*lon_0 = proj_todeg(rad);
			continue;
		}
		if (dropped_token(key, keylen))
			continue;
		buf_put(out, tok, (size_t)(s - tok));
		buf_putc(out, ' ');
	}
	buf_puts(out, "+lon_0=0");
	return 0;
}

/* Project (lon', lat) in the rotated frame. */
static int project_rotated(geo_proj *p, double x, double lat, geo_pt *out)
{
	PJ_COORD c = proj_coord(proj_torad(x), proj_torad(lat), 0, 0);
	proj_errno_reset(p->pj);
	c = proj_trans(p->pj, PJ_FWD, c);
	if (proj_errno(p->pj) || !isfinite(c.xy.x) || !isfinite(c.xy.y) ||
	    fabs(c.xy.x) > 1e30 || fabs(c.xy.y) > 1e30) {
		proj_errno_reset(p->pj);
		return -1;
	}
	out->x = p->degrees_out ? proj_todeg(c.xy.x) : c.xy.x;
	out->y = p->degrees_out ? proj_todeg(c.xy.y) : c.xy.y;
	return 0;
}

/* Where the map stops northwards and southwards: the poles, unless the
 * projection cannot reach them (Mercator sends them to infinity, or PROJ
 * gives a number absurdly far out), then 85 degrees. */
static double reachable_latitude(geo_proj *p, int mercator)
{
	geo_pt n, s, e;
	if (mercator || project_rotated(p, 0, 90, &n) < 0 ||
	    project_rotated(p, 0, -90, &s) < 0 ||
	    project_rotated(p, 180, 0, &e) < 0)
		return MERCATOR_LAT;
	double tall = fmax(fabs(n.y), fabs(s.y)), wide = fabs(e.x);
	return wide > 0 && tall > 4 * wide ? MERCATOR_LAT : 90;
}

/* Is the top of the map a line (Equal Earth, Robinson) or a point
 * (Mollweide: PROJ spreads it over a few hundred metres)? Only lines are
 * worth drawing point by point. */
static int pole_is_line(geo_proj *p)
{
	geo_pt w, e, mid;
	if (project_rotated(p, -180, p->lat_max, &w) < 0 ||
	    project_rotated(p, 180, p->lat_max, &e) < 0 ||
	    project_rotated(p, 180, 0, &mid) < 0)
		return 1;
	return fabs(e.x - w.x) + fabs(e.y - w.y) > 1e-4 * fabs(mid.x);
}

static int setup_projection(geo_proj *p, const char *spec,
			    const geo_where *at, diags_t *d)
{
	const char *def = named_projection(spec);
	char *from_crs = def ? NULL : crs_as_proj_string(p, spec);
	if (!def)
		def = from_crs ? from_crs : spec;
	buf_t full = BUF_INIT;
	int rc = rewrite_definition(def, &full, &p->lon_0);
	if (rc < 0) {
		diag_error(d, at->path, at->line, at->col,
			   "projection \"%s\": lon_0 is not an angle; write it "
			   "in degrees, such as +lon_0=150", spec);
	} else {
		p->pj = proj_create(p->ctx, buf_cstr(&full));
		if (!p->pj || proj_is_crs(p->pj) ||
		    !proj_angular_input(p->pj, PJ_FWD)) {
			diag_error(d, at->path, at->line, at->col,
				   "projection \"%s\": %s; use equal-earth, "
				   "robinson, natural-earth, mercator, "
				   "equirectangular or a PROJ string such as "
				   "\"+proj=robin +lon_0=10\"", spec,
				   p->pj ? "not a projection of longitude/latitude"
					 : proj_message(p));
			rc = -1;
		}
	}
	if (rc == 0) {
		p->degrees_out = proj_angular_output(p->pj, PJ_FWD);
		geo_pt o;
		if (project_rotated(p, 0, 0, &o) < 0) {
			diag_error(d, at->path, at->line, at->col,
				   "projection \"%s\": cannot project the centre of the map: %s; choose another projection",
				   spec, proj_message(p));
			rc = -1;
		}
	}
	if (rc == 0) {
		p->lat_max = reachable_latitude(p, strstr(def, "proj=merc") != NULL);
		p->pole_line = pole_is_line(p);
	}
	buf_free(&full);
	free(from_crs);
	return rc;
}

geo_proj *geo_proj_new(const char *spec, diags_t *d)
{
	static const geo_where start = {"site.yml", 1, 1, 0};
	return geo_proj_new_at(spec, &start, d);
}

/* ---- a PROJ that opens no file ----------------------------------------- */

static atomic_ulong files_refused;

static PROJ_FILE_HANDLE *refuse_open(PJ_CONTEXT *ctx, const char *name,
				     PROJ_OPEN_ACCESS access, void *user)
{
	(void)ctx, (void)name, (void)access, (void)user;
	atomic_fetch_add(&files_refused, 1);
	return NULL;
}

/* Never called: no file is ever open. */
static size_t no_read(PJ_CONTEXT *ctx, PROJ_FILE_HANDLE *f, void *b, size_t n,
		      void *user)
{
	(void)ctx, (void)f, (void)b, (void)n, (void)user;
	return 0;
}

static size_t no_write(PJ_CONTEXT *ctx, PROJ_FILE_HANDLE *f, const void *b,
		       size_t n, void *user)
{
	(void)ctx, (void)f, (void)b, (void)n, (void)user;
	return 0;
}

static int no_seek(PJ_CONTEXT *ctx, PROJ_FILE_HANDLE *f, long long off,
		   int whence, void *user)
{
	(void)ctx, (void)f, (void)off, (void)whence, (void)user;
	return 0;
}

static unsigned long long no_tell(PJ_CONTEXT *ctx, PROJ_FILE_HANDLE *f,
				  void *user)
{
	(void)ctx, (void)f, (void)user;
	return 0;
}

static void no_close(PJ_CONTEXT *ctx, PROJ_FILE_HANDLE *f, void *user)
{
	(void)ctx, (void)f, (void)user;
}

static int no_file(PJ_CONTEXT *ctx, const char *name, void *user)
{
	(void)ctx, (void)name, (void)user;
	return 0;
}

static int no_rename(PJ_CONTEXT *ctx, const char *from, const char *to,
		     void *user)
{
	(void)ctx, (void)from, (void)to, (void)user;
	return 0;
}

unsigned long geo_proj_files_refused(void)
{
	return atomic_load(&files_refused);
}

static void drop_log(void *app, int level, const char *msg)
{
	(void)app, (void)level, (void)msg;
}

/* PROJ's database, found once as PROJ finds it (its data folders): an
 * absolute path, or NULL. A relative one is PROJ's last resort, proj.db
 * in the working folder, which may be the site's: never taken. */
static char *database;
static pthread_once_t database_once = PTHREAD_ONCE_INIT;

static void find_database(void)
{
	PJ_CONTEXT *ctx = proj_context_create();
	if (!ctx)
		return;
	proj_log_func(ctx, NULL, drop_log);
	proj_context_set_enable_network(ctx, 0);
	const char *path = proj_context_get_database_path(ctx);
	if (path && path[0] == '/')
		database = xstrdup(path);
	proj_context_destroy(ctx);
}

static atomic_size_t contexts_made, databases_named;

size_t geo_proj_contexts_made(void)
{
	return atomic_load(&contexts_made);
}

size_t geo_proj_databases_named(void)
{
	return atomic_load(&databases_named);
}

PJ_CONTEXT *geo_proj_context_new(char **log, int with_database)
{
	if (with_database)
		pthread_once(&database_once, find_database);
	static const PROJ_FILE_API none = {
		.version = 1, .open_cbk = refuse_open, .read_cbk = no_read,
		.write_cbk = no_write, .seek_cbk = no_seek, .tell_cbk = no_tell,
		.close_cbk = no_close, .exists_cbk = no_file,
		.mkdir_cbk = no_file, .unlink_cbk = no_file,
		.rename_cbk = no_rename,
	};
	PJ_CONTEXT *ctx = proj_context_create();
	if (!ctx)
		return NULL;
	/* Messages go to *log, not to stderr; nothing from the network. */
	proj_log_func(ctx, log, geo_proj_keep_log);
	proj_log_level(ctx, PJ_LOG_ERROR);
	proj_context_set_enable_network(ctx, 0);
	/* PROJ looks for proj.db through the file API: it is named first,
	 * and SQLite opens it */
	if (!proj_context_set_fileapi(ctx, &none, NULL) ||
	    (with_database && database &&
	     !proj_context_set_database_path(ctx, database, NULL, NULL))) {
		proj_context_destroy(ctx);
		return NULL;
	}
	atomic_fetch_add(&contexts_made, 1);
	if (with_database && database)
		atomic_fetch_add(&databases_named, 1);
	return ctx;
}

/* A world map needs a projection of the whole world: one that places
 * every point of a 10-degree grid of the globe (up to the latitude it
 * stops at). An orthographic or other one-sided view does not, and
 * drew a map whose markers fell outside its picture. 0, or -1 after an
 * error at the projection's place. */
static int whole_world(geo_proj *p, const geo_where *at, diags_t *d)
{
	double top = geo_proj_lat_max(p);
	for (int i = 0; i <= 36; i++)
		for (int j = 0; j <= 18; j++) {
			double lon = -180 + 10 * i, lat = fmax(-top, fmin(top, -90 + 10 * j));
			geo_pt xy;
			if (geo_proj_point(p, lon, lat, &xy) == 0 && isfinite(xy.x) &&
			    isfinite(xy.y))
				continue;
			diag_error(d, at->path, at->line, at->col,
				   "projection: it cannot place longitude %g, latitude "
				   "%g, so it shows no whole world (an orthographic "
				   "view shows one side of the globe); partnermap draws "
				   "a world map: choose equal-earth, robinson, "
				   "natural-earth, mercator or equirectangular, or a "
				   "PROJ string of a projection of the whole world",
				   lon, lat);
			return -1;
		}
	return 0;
}

geo_proj *geo_proj_new_at(const char *spec, const geo_where *at, diags_t *d)
{
	geo_proj *p = xcalloc(1, sizeof *p);
	/* a projection by name is a PROJ string of ours, which needs no
	 * database; a CRS ("EPSG:3857", WKT) or a string of the user's may */
	p->ctx = geo_proj_context_new(&p->log, !named_projection(spec));
	if (!p->ctx) {
		diag_fatal(d, at->path, "projection: cannot start PROJ");
		free(p);
		return NULL;
	}
	size_t depth = geo_proj_depth(spec);
	if (depth > GEO_PROJ_MAX_DEPTH) {
		diag_error(d, at->path, at->line, at->col,
			   "projection: its brackets are nested %zu deep; a "
			   "projection or CRS needs at most %d, and PROJ's "
			   "reading of deeper ones takes time and memory without "
			   "bound: use a projection name or a PROJ string", depth,
			   GEO_PROJ_MAX_DEPTH);
		geo_proj_free(p);
		return NULL;
	}
	if (refuse_file_reference(spec, at, d) < 0 ||
	    setup_projection(p, spec, at, d) < 0 || whole_world(p, at, d) < 0) {
		geo_proj_free(p);
		return NULL;
	}
	return p;
}

void geo_proj_free(geo_proj *p)
{
	if (!p)
		return;
	if (p->pj)
		proj_destroy(p->pj);
	proj_context_destroy(p->ctx);
	free(p->log);
	free(p);
}

/* lon - lon_0 into [-180, 180], keeping +180 and -180 apart: a vertex on the
 * edge stays on the side where the data put it, even a hair beyond it
 * (Natural Earth has 180.00000000000006). */
static double rotate_lon(const geo_proj *p, double lon)
{
	double x = lon - p->lon_0;
	if (x > 180 + EDGE_EPS || x < -180 - EDGE_EPS) {
		x = fmod(x, 360);
		if (x > 180)
			x -= 360;
		else if (x < -180)
			x += 360;
	}
	return fmax(-180, fmin(180, x));
}

double geo_proj_lat_max(const geo_proj *p)
{
	return p ? p->lat_max : 90;
}

/* A point beyond the latitude the map stops at (Mercator's 85) is off the
 * map: -1, like a point PROJ cannot place. */
int geo_proj_point(geo_proj *p, double lon, double lat, geo_pt *out)
{
	if (!p || !isfinite(lon) || !isfinite(lat) || fabs(lat) > p->lat_max)
		return -1;
	return project_rotated(p, rotate_lon(p, lon), lat, out);
}

/* ---- cutting rings at the edge of the map ------------------------------ */

/* One stretch of a cut ring, from the cut line back to the cut line (or a
 * whole closed ring when nothing is cut). side: +1 for lon' = 180, -1 for
 * lon' = -180. */
typedef struct piece {
	ptvec v;
	int start_side, end_side;
	double start_lat, end_lat;
	int next; /* the piece that follows along the cut, -1 none yet */
} piece;

typedef struct pieces {
	piece *v;
	size_t n, cap;
} pieces;

static piece *piece_new(pieces *ps, int side, double lat)
{
	ps->v = xgrow(ps->v, &ps->cap, ps->n + 1, sizeof *ps->v, 8);
	piece *pc = &ps->v[ps->n++];
	memset(pc, 0, sizeof *pc);
	pc->start_side = side;
	pc->start_lat = lat;
	pc->next = -1;
	pv_add(&pc->v, side * 180.0, lat);
	return pc;
}

static void pieces_free(pieces *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].v.p);
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

static int side_of(double x)
{
	return x > 0 ? 1 : -1;
}

/* An edge whose short way round crosses lon' = +-180. */
static int crosses(geo_pt a, geo_pt b)
{
	return fabs(b.x - a.x) > 180;
}

/* The latitude where a -> b meets the cut, interpolated along the short
 * way round. */
static double crossing_lat(geo_pt a, geo_pt b)
{
	double edge = side_of(a.x) * 180.0;
	double bx = b.x + 360.0 * side_of(a.x); /* b on a's side, unwrapped */
	double span = bx - a.x;
	double t = span != 0 ? (edge - a.x) / span : 0;
	return a.y + t * (b.y - a.y);
}

/* Vertices exactly on the cut take the side of the last vertex off it
 * before them, so that a ring touching the edge is not taken for one
 * crossing it. One pass, starting from a vertex off the cut. */
static void settle_edge_vertices(geo_pt *q, size_t n)
{
	size_t off = 0;
	while (off < n && fabs(q[off].x) == 180)
		off++;
	if (off == n)
		return; /* all on the cut: nothing to go by */
	int side = side_of(q[off].x);
	for (size_t k = 1; k < n; k++) {
		geo_pt *v = &q[(off + k) % n];
		if (fabs(v->x) == 180)
			v->x = 180.0 * side;
		else
			side = side_of(v->x);
	}
}

static int at_pole(double lat)
{
	return fabs(lat) >= 90 - POLE_EPS;
}

/* How many times the ring goes round the pole eastwards (negative:
 * westwards). Edges along a pole line say nothing and are skipped. */
static int winding(const geo_pt *q, const geo_pt *orig, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = (i + 1) % n;
		if (at_pole(orig[i].y) && at_pole(orig[j].y))
			continue;
		double dx = q[j].x - q[i].x;
		if (dx > 180)
			dx -= 360;
		else if (dx < -180)
			dx += 360;
		sum += dx;
	}
	return (int)lround(sum / 360);
}

/* Twice the signed area (positive: counter-clockwise with y up). */
static double signed_area2(const geo_pt *q, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = (i + 1) % n;
		s += q[i].x * q[j].y - q[j].x * q[i].y;
	}
	return s;
}

/* Walk the ring from just after its first crossing, starting a new piece at
 * every crossing. */
static void cut_ring(const geo_pt *q, size_t n, size_t first, pieces *ps)
{
	geo_pt a = q[first], b = q[(first + 1) % n];
	double lat = crossing_lat(a, b);
	piece *pc = piece_new(ps, side_of(b.x), lat);
	for (size_t k = 1; k <= n; k++) {
		a = q[(first + k) % n];
		b = q[(first + k + 1) % n];
		pv_add(&pc->v, a.x, a.y);
		if (!crosses(a, b))
			continue;
		lat = crossing_lat(a, b);
		pv_add(&pc->v, side_of(a.x) * 180.0, lat);
		pc->end_side = side_of(a.x);
		pc->end_lat = lat;
		if (k < n)
			pc = piece_new(ps, side_of(b.x), lat);
	}
}

/* The pole line from one side of the map to the other, as a piece of its
 * own, so stitching can treat it like any other. */
static void add_pole_piece(const geo_proj *p, pieces *ps, int from_side,
			   double pole_lat)
{
	piece *pc = piece_new(ps, from_side, pole_lat);
	double steps = p->pole_line ? ceil(360 / DENSIFY_DEG) : 1;
	for (double k = 1; k <= steps; k++)
		pv_add(&pc->v, from_side * (180 - 360 * k / steps), pole_lat);
	pc->end_side = -from_side;
	pc->end_lat = pole_lat;
}

/* A point where a piece meets the cut line, for sorting along it. */
typedef struct cut_point {
	double key; /* latitude; pole-piece ends beyond +-90 to sort outermost */
	int piece;
	int is_start;
} cut_point;

static int cmp_cut_point(const void *a, const void *b)
{
	const cut_point *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->piece != y->piece)
		return x->piece - y->piece;
	return x->is_start - y->is_start;
}

/* Along one side of the cut, the stretches inside the polygon lie between
 * the 1st and 2nd meeting points counted from the south, the 3rd and 4th,
 * and so on. Each joins the end of one piece to the start of the next.
 * -1 if the pieces disagree (a self-crossing ring). */
static int link_side(pieces *ps, int side, size_t pole_piece)
{
	cut_point *cp = xmalloc(2 * ps->n * sizeof *cp);
	size_t m = 0;
	for (size_t i = 0; i < ps->n; i++) {
		const piece *pc = &ps->v[i];
		double bump = i == pole_piece ? 1 : 0;
		if (pc->start_side == side)
			cp[m++] = (cut_point){pc->start_lat + copysign(bump, pc->start_lat),
					      (int)i, 1};
		if (pc->end_side == side)
			cp[m++] = (cut_point){pc->end_lat + copysign(bump, pc->end_lat),
					      (int)i, 0};
	}
	qsort(cp, m, sizeof *cp, cmp_cut_point);
	int rc = m % 2 ? -1 : 0;
	for (size_t k = 0; rc == 0 && k + 1 < m; k += 2) {
		if (cp[k].is_start == cp[k + 1].is_start) {
			rc = -1;
			break;
		}
		const cut_point *end = cp[k].is_start ? &cp[k + 1] : &cp[k];
		const cut_point *start = cp[k].is_start ? &cp[k] : &cp[k + 1];
		ps->v[end->piece].next = start->piece;
	}
	free(cp);
	return rc;
}

/* Points strictly between two latitudes along the cut line. */
static void follow_cut(ptvec *v, int side, double from, double to)
{
	double steps = ceil(fabs(to - from) / DENSIFY_DEG);
	for (double k = 1; k < steps; k++)
		pv_add(v, side * 180.0, from + (to - from) * k / steps);
}

typedef struct ring_list {
	geo_ring *v;
	size_t n, cap;
} ring_list;

static void rings_push(ring_list *rl, ptvec *v, int hole)
{
	/* the walk may come back to where it began */
	if (v->n > 1 && v->p[0].x == v->p[v->n - 1].x &&
	    v->p[0].y == v->p[v->n - 1].y)
		v->n--;
	if (v->n < 3) {
		free(v->p);
	} else {
		rl->v = xgrow(rl->v, &rl->cap, rl->n + 1, sizeof *rl->v, 8);
		rl->v[rl->n++] = (geo_ring){v->p, v->n, hole};
	}
	memset(v, 0, sizeof *v);
}

/* Follow next links from piece to piece, adding the cut between them. */
static void assemble(pieces *ps, int hole, ring_list *out)
{
	unsigned char *used = xcalloc(ps->n, 1);
	for (size_t s = 0; s < ps->n; s++) {
		if (used[s])
			continue;
		ptvec v = {NULL, 0, 0};
		int i = (int)s;
		while (i >= 0 && !used[i]) {
			piece *pc = &ps->v[i];
			used[i] = 1;
			for (size_t k = 0; k < pc->v.n; k++)
				pv_add(&v, pc->v.p[k].x, pc->v.p[k].y);
			int nx = pc->next >= 0 ? pc->next : i;
			follow_cut(&v, pc->end_side, pc->end_lat, ps->v[nx].start_lat);
			i = pc->next;
		}
		rings_push(out, &v, hole);
	}
	free(used);
}

/* Interior on the right of the direction of travel? Outer rings of a
 * shapefile go clockwise; trust the geometry when it says clearly. */
static int interior_on_right(const geo_pt *orig, size_t n, int hole)
{
	double a2 = signed_area2(orig, n);
	if (fabs(a2) > 1e-6)
		return a2 < 0;
	return !hole;
}

/* Cut q (rotated) into rings on either side of the cut, closed along it. */
static void split_ring(const geo_proj *p, geo_pt *q, const geo_pt *orig,
		       size_t n, int hole, ring_list *out)
{
	int turns = winding(q, orig, n);
	size_t m = n;
	if (turns) { /* round a pole: its vertices are the pole line, redrawn */
		m = 0;
		for (size_t i = 0; i < n; i++)
			if (!at_pole(orig[i].y))
				q[m++] = q[i];
		settle_edge_vertices(q, m);
	}
	size_t first = m;
	for (size_t i = 0; i < m && first == m; i++)
		if (crosses(q[i], q[(i + 1) % m]))
			first = i;
	if (first == m) { /* nothing crosses: keep as it is */
		ptvec v = {xmalloc(m * sizeof *q), m, m};
		memcpy(v.p, q, m * sizeof *q);
		rings_push(out, &v, hole);
		return;
	}
	pieces ps = {NULL, 0, 0};
	cut_ring(q, m, first, &ps);
	size_t pole_piece = ps.n;
	if (turns) {
		int south = (turns > 0) == interior_on_right(orig, n, hole);
		add_pole_piece(p, &ps, turns > 0 ? 1 : -1,
			       south ? -p->lat_max : p->lat_max);
	}
	if (link_side(&ps, 1, pole_piece) < 0 || link_side(&ps, -1, pole_piece) < 0)
		for (size_t i = 0; i < ps.n; i++) /* close each piece alone */
			ps.v[i].next = -1;
	assemble(&ps, hole, out);
	pieces_free(&ps);
}

/* ---- projecting features ------------------------------------------------ */

static void rotate_ring(const geo_proj *p, const geo_ring *r, geo_pt *q)
{
	for (size_t i = 0; i < r->n; i++) {
		q[i].x = rotate_lon(p, r->p[i].x);
		q[i].y = fmax(-p->lat_max, fmin(p->lat_max, r->p[i].y));
	}
	settle_edge_vertices(q, r->n);
}

static int ring_crosses(const geo_pt *q, const geo_pt *orig, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (crosses(q[i], q[(i + 1) % n]))
			return 1;
	return winding(q, orig, n) != 0;
}

/* After cutting, put each hole back behind the outer ring containing it:
 * outer, its holes, next outer... (rings.c; vertices on the cut line,
 * which a hole shares with its outer ring, do not count). */
static void regroup(ring_list *rl)
{
	long *owner = xmalloc((rl->n + 1) * sizeof *owner);
	geo_hole_owners(rl->v, rl->n, 1, owner);
	geo_rings_order(rl->v, rl->n, owner);
	free(owner);
}

/* Projected points closer than a micrometre (or a nano-degree) are one:
 * a pole that is a point comes out of PROJ as a scatter of such. */
static int same_spot(geo_pt a, geo_pt b)
{
	return fabs(a.x - b.x) < 1e-6 && fabs(a.y - b.y) < 1e-6;
}

/* Project a rotated ring in place, dropping points PROJ cannot place and
 * points that land on the one before. */
static void project_ring(geo_proj *p, geo_ring *r)
{
	size_t m = 0;
	for (size_t i = 0; i < r->n; i++) {
		geo_pt o;
		if (project_rotated(p, r->p[i].x, r->p[i].y, &o) < 0)
			continue;
		if (m && same_spot(r->p[m - 1], o))
			continue;
		r->p[m++] = o;
	}
	while (m > 1 && same_spot(r->p[m - 1], r->p[0]))
		m--;
	r->n = m;
}

static void project_feature(geo_proj *p, const geo_feature *in,
			    geo_feature *out)
{
	ring_list rl = {NULL, 0, 0};
	int cut = 0;
	for (size_t r = 0; r < in->nrings; r++) {
		const geo_ring *src = &in->rings[r];
		if (src->n < 3)
			continue;
		geo_pt *q = xmalloc(src->n * sizeof *q);
		rotate_ring(p, src, q);
		if (ring_crosses(q, src->p, src->n)) {
			split_ring(p, q, src->p, src->n, src->hole, &rl);
			free(q);
			cut = 1;
		} else {
			ptvec v = {q, src->n, src->n};
			rings_push(&rl, &v, src->hole);
		}
	}
	if (cut)
		regroup(&rl);
	size_t kept = 0;
	for (size_t r = 0; r < rl.n; r++) {
		project_ring(p, &rl.v[r]);
		if (rl.v[r].n >= 3)
			rl.v[kept++] = rl.v[r];
		else
			free(rl.v[r].p);
	}
	out->code = xstrdup(in->code);
	out->name = xstrdup(in->name);
	out->rings = rl.v;
	out->nrings = kept;
	geo_feature_bbox(out);
}

int geo_proj_layer(geo_proj *p, const geo_layer *lonlat, geo_layer *out)
{
	out->f = NULL;
	out->n = 0;
	if (!p || !lonlat)
		return -1;
	out->f = xcalloc(lonlat->n ? lonlat->n : 1, sizeof *out->f);
	for (size_t i = 0; i < lonlat->n; i++)
		project_feature(p, &lonlat->f[i], &out->f[i]);
	out->n = lonlat->n;
	return 0;
}

/* ---- sphere outline and graticule --------------------------------------- */

/* Project the rotated points of v into a fresh array. */
static void project_into(geo_proj *p, const ptvec *v, ptvec *out)
{
	for (size_t i = 0; i < v->n; i++) {
		geo_pt o;
		if (project_rotated(p, v->p[i].x, v->p[i].y, &o) == 0 &&
		    !(out->n && same_spot(out->p[out->n - 1], o)))
			pv_push(out, o.x, o.y);
	}
}

/* From (x0, y0) to (x1, y1) in the rotated frame, every DENSIFY_DEG,
 * without the last point. */
static void densify(ptvec *v, double x0, double y0, double x1, double y1)
{
	double span = fmax(fabs(x1 - x0), fabs(y1 - y0));
	double steps = fmax(1, ceil(span / DENSIFY_DEG));
	for (double k = 0; k < steps; k++)
		pv_add(v, x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps);
}

int geo_proj_sphere(geo_proj *p, geo_ring *out)
{
	out->p = NULL;
	out->n = 0;
	out->hole = 0;
	if (!p)
		return -1;
	double t = p->lat_max;
	ptvec v = {NULL, 0, 0}, o = {NULL, 0, 0};
	/* clockwise: up the western edge, east along the north, down, back;
	 * where a pole is a point, its "line" is that one point */
	densify(&v, -180, -t, -180, t);
	if (p->pole_line)
		densify(&v, -180, t, 180, t);
	densify(&v, 180, t, 180, -t);
	if (p->pole_line)
		densify(&v, 180, -t, -180, -t);
	project_into(p, &v, &o);
	free(v.p);
	while (o.n > 1 && same_spot(o.p[o.n - 1], o.p[0]))
		o.n--;
	if (o.n < 3) {
		free(o.p);
		return -1;
	}
	out->p = o.p;
	out->n = o.n;
	return 0;
}

typedef struct line_list {
	geo_line *v;
	size_t n, cap;
} line_list;

static void line_add(geo_proj *p, line_list *ll, const ptvec *rot)
{
	ptvec o = {NULL, 0, 0};
	project_into(p, rot, &o);
	if (o.n < 2) {
		free(o.p);
		return;
	}
	ll->v = xgrow(ll->v, &ll->cap, ll->n + 1, sizeof *ll->v, 32);
	ll->v[ll->n++] = (geo_line){o.p, o.n};
}

/* A polyline from (x0, y0) to (x1, y1), ends included. */
static void straight_line(geo_proj *p, line_list *ll, double x0, double y0,
			  double x1, double y1)
{
	ptvec v = {NULL, 0, 0};
	densify(&v, x0, y0, x1, y1);
	pv_add(&v, x1, y1);
	line_add(p, ll, &v);
	free(v.p);
}

int geo_proj_graticule(geo_proj *p, double step, geo_line **lines, size_t *n)
{
	*lines = NULL;
	*n = 0;
	if (!p || !isfinite(step) || step < 0.1 || step > 180)
		return -1;
	line_list ll = {NULL, 0, 0};
	double t = p->lat_max;
	/* meridians at multiples of step in true longitude, but not the one on
	 * the cut: the sphere outline draws that */
	for (double k = ceil(-180 / step); k * step < 180; k++) {
		double x = rotate_lon(p, k * step);
		if (fabs(fabs(x) - 180) > EDGE_EPS)
			straight_line(p, &ll, x, -t, x, t);
	}
	for (double k = ceil(-90 / step); k * step < 90; k++) {
		double lat = k * step;
		if (lat > -90 && lat < 90 && fabs(lat) <= t)
			straight_line(p, &ll, -180, lat, 180, lat);
	}
	*lines = ll.v;
	*n = ll.n;
	return 0;
}
