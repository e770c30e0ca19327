/* report.c - diagnostics as GitHub workflow commands, a GitLab Code
 * Quality report and partnermap's JSON. */
#include "report.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

int report_format_from(const char *word)
{
	static const char *const words[] = {
		[REPORT_TEXT] = "text", [REPORT_GITHUB] = "github",
		[REPORT_GITLAB] = "gitlab", [REPORT_JSON] = "json"};
	for (int i = 0; word && i < (int)(sizeof words / sizeof words[0]); i++)
		if (!strcmp(words[i], word))
			return i;
	return -1;
}

/* ---- where the site is in the repository ------------------------------ */

/* Is path root itself or below it? Both are real paths. */
static int is_under(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return !strncmp(path, root, n) && (path[n] == '/' || path[n] == '\0');
}

/* The nearest folder at or above dir (a real path) holding a .git, or
 * NULL. */
static char *git_top(const char *dir)
{
	char *at = xstrdup(dir);
	for (;;) {
		char *git = xasprintf("%s/.git", strcmp(at, "/") ? at : "");
		int found = access(git, F_OK) == 0;
		free(git);
		if (found)
			return at;
		char *slash = strrchr(at, '/');
		if (!slash || !strcmp(at, "/")) {
			free(at);
			return NULL;
		}
		slash[slash == at ? 1 : 0] = '\0';
	}
}

void report_where_find(report_where *w, const char *site_dir,
		       const char *workspace)
{
	w->root = NULL;
	w->prefix = xstrdup("");
	char *site = realpath(site_dir, NULL);
	if (!site)
		return;
	char *root = workspace && *workspace ? realpath(workspace, NULL) : NULL;
	if (root && !is_under(site, root)) {
		free(root);
		root = NULL;
	}
	if (!root)
		root = git_top(site);
	if (!root)
		root = xstrdup(site);
	const char *rest = site + strlen(root);
	while (*rest == '/')
		rest++;
	if (*rest) {
		free(w->prefix);
		w->prefix = xasprintf("%s/", rest);
	}
	w->root = root;
	free(site);
}

void report_where_free(report_where *w)
{
	free(w->root);
	free(w->prefix);
	w->root = w->prefix = NULL;
}

char *report_path(const report_where *w, const char *path)
{
	if (!path)
		return NULL;
	if (path[0] != '/')
		return xasprintf("%s%s", w->prefix ? w->prefix : "", path);
	if (w->root && is_under(path, w->root) && strcmp(w->root, "/")) {
		const char *rest = path + strlen(w->root);
		while (*rest == '/')
			rest++;
		return xstrdup(*rest ? rest : ".");
	}
	return xstrdup(path);
}

/* ---- GitHub Actions --------------------------------------------------- */

static void escape(buf_t *out, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			buf_puts(out, "%25");
		else if (*s == '\r')
			buf_puts(out, "%0D");
		else if (*s == '\n')
			buf_puts(out, "%0A");
		else if (property && *s == ':')
			buf_puts(out, "%3A");
		else if (property && *s == ',')
			buf_puts(out, "%2C");
		else
			buf_putc(out, *s);
	}
}

void report_github_escape_data(buf_t *out, const char *s)
{
	escape(out, s, 0);
}

void report_github_escape_property(buf_t *out, const char *s)
{
	escape(out, s, 1);
}

static void github_one(const diag_t *x, const report_where *w, buf_t *out)
{
	const char *name = diag_check_name(x->check);
	char *path = report_path(w, x->path);
	int props = 0;
	buf_puts(out, x->level == DIAG_WARNING ? "::warning" : "::error");
	if (path) {
		buf_puts(out, " file=");
		report_github_escape_property(out, path);
		buf_printf(out, ",line=%d,col=%d", x->line, x->col);
		props = 1;
	}
	if (name) {
		buf_puts(out, props ? ",title=" : " title=");
		report_github_escape_property(out, name);
	}
	buf_puts(out, "::");
	report_github_escape_data(out, x->msg);
	buf_putc(out, '\n');
	free(path);
}

void report_github(const diags_t *d, const report_where *w, buf_t *out)
{
	for (size_t i = 0; i < d->n; i++)
		github_one(&d->v[i], w, out);
	size_t errs = d->errors + d->fatals;
	if (errs > REPORT_GITHUB_SHOWN || d->warnings > REPORT_GITHUB_SHOWN)
		buf_printf(out,
			   "::notice title=partnermap::%zu error%s and %zu "
			   "warning%s: GitHub shows the first %d of each here; "
			   "this step's log lists them all\n",
			   errs, errs == 1 ? "" : "s", d->warnings,
			   d->warnings == 1 ? "" : "s", REPORT_GITHUB_SHOWN);
}

/* ---- MD5 (RFC 1321) ---------------------------------------------------- */

typedef struct md5 {
	uint32_t h[4];
	unsigned char block[64];
	size_t used;    /* bytes in block */
	uint64_t bytes; /* message length so far */
} md5;

/* floor(|sin(i + 1)| * 2^32), RFC 1321 section 3.4 */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* the left rotations of each round's four steps */
static const unsigned char md5_r[4][4] = {
	{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void md5_block(md5 *m, const unsigned char *p)
{
	uint32_t x[16];
	for (int i = 0; i < 16; i++)
		x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	uint32_t a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g, round = i / 16;
		if (round == 0) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (round == 1) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (round == 2) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		uint32_t t = d;
		d = c;
		c = b;
		b += rotl(a + f + md5_k[i] + x[g], md5_r[round][i % 4]);
		a = t;
	}
	m->h[0] += a;
	m->h[1] += b;
	m->h[2] += c;
	m->h[3] += d;
}

static void md5_add(md5 *m, const unsigned char *p, size_t n)
{
	m->bytes += n;
	while (n) {
		size_t take = 64 - m->used < n ? 64 - m->used : n;
		memcpy(m->block + m->used, p, take);
		m->used += take;
		p += take;
		n -= take;
		if (m->used == 64) {
			md5_block(m, m->block);
			m->used = 0;
		}
	}
}

void report_md5_hex(const void *data, size_t len, char hex[33])
{
	md5 m = {{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, {0}, 0, 0};
	md5_add(&m, data, len);
	/* a 1 bit, zeros up to 56 bytes of a block, then the length in bits */
	uint64_t bits = m.bytes * 8;
	unsigned char pad[72] = {0x80};
	size_t npad = (m.used < 56 ? 56 : 120) - m.used;
	for (int i = 0; i < 8; i++)
		pad[npad + (size_t)i] = (unsigned char)(bits >> (8 * i));
	md5_add(&m, pad, npad + 8);
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		unsigned byte = (m.h[i / 4] >> (8 * (i % 4))) & 0xff;
		hex[2 * i] = digits[byte >> 4];
		hex[2 * i + 1] = digits[byte & 15];
	}
	hex[32] = '\0';
}

/* ---- GitLab Code Quality ---------------------------------------------- */

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* How many diagnostics before i have the same path, name and message. */
static size_t earlier_twins(const diags_t *d, size_t i)
{
	size_t n = 0;
	for (size_t k = 0; k < i; k++)
		n += d->v[k].check == d->v[i].check &&
		     same_str(d->v[k].path, d->v[i].path) &&
		     !strcmp(d->v[k].msg, d->v[i].msg);
	return n;
}

static char *print_json(cJSON *root)
{
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		abort(); /* out of memory: as xmalloc does */
	char *out = xasprintf("%s\n", text);
	cJSON_free(text);
	return out;
}

char *report_gitlab(const diags_t *d, const report_where *w)
{
	static const char *const severity[] = {
		[DIAG_WARNING] = "minor", [DIAG_ERROR] = "major",
		[DIAG_FATAL] = "critical"};
	cJSON *all = cJSON_CreateArray();
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		const char *name = diag_check_name(x->check);
		char *path = x->path ? report_path(w, x->path) :
			     *w->prefix ? xstrndup(w->prefix, strlen(w->prefix) - 1) :
			     xstrdup(".");
		buf_t key = BUF_INIT;
		buf_printf(&key, "%s\n%s\n%s", path, name ? name : "error", x->msg);
		size_t twins = earlier_twins(d, i);
		if (twins)
			buf_printf(&key, "\n%zu", twins);
		char hex[33];
		report_md5_hex(key.ptr, key.len, hex);
		buf_free(&key);

		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "issue");
		cJSON_AddStringToObject(o, "description", x->msg);
		cJSON_AddStringToObject(o, "check_name", name ? name : "error");
		cJSON_AddStringToObject(o, "fingerprint", hex);
		cJSON_AddStringToObject(o, "severity", severity[x->level]);
		cJSON *loc = cJSON_AddObjectToObject(o, "location");
		cJSON_AddStringToObject(loc, "path", path);
		cJSON *lines = cJSON_AddObjectToObject(loc, "lines");
		cJSON_AddNumberToObject(lines, "begin", x->line > 0 ? x->line : 1);
		cJSON_AddItemToArray(all, o);
		free(path);
	}
	return print_json(all);
}

/* ---- partnermap's JSON ------------------------------------------------ */

char *report_json(const diags_t *d)
{
	cJSON *all = cJSON_CreateArray();
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		const char *name = diag_check_name(x->check);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "severity",
					x->level == DIAG_WARNING ? "warning" : "error");
		if (name)
			cJSON_AddStringToObject(o, "check", name);
		else
			cJSON_AddNullToObject(o, "check");
		if (x->path) {
			cJSON_AddStringToObject(o, "path", x->path);
			cJSON_AddNumberToObject(o, "line", x->line);
			cJSON_AddNumberToObject(o, "column", x->col);
		} else {
			cJSON_AddNullToObject(o, "path");
			cJSON_AddNullToObject(o, "line");
			cJSON_AddNullToObject(o, "column");
		}
		cJSON_AddStringToObject(o, "message", x->msg);
		cJSON_AddItemToArray(all, o);
	}
	return print_json(all);
}
