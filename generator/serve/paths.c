/* paths.c - from a request path to a file of the built site, and the
 * Content-Type of that file. Pure: no I/O. */
#include "serve.h"
#include "util/pairs.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A segment that names the folder itself, its parent, or a hidden entry
 * (".partnermap-output"): a build publishes no hidden file, so none is
 * served. */
static int dot_segment(const char *seg, size_t n)
{
	return n > 0 && seg[0] == '.';
}

serve_path_status serve_resolve(const char *raw, char **rel, int *folder)
{
	*rel = NULL;
	*folder = 0;
	if (!raw || raw[0] != '/')
		return SERVE_PATH_BAD;
	buf_t out = BUF_INIT;
	buf_puts(&out, "");
	size_t seg = 0; /* where the current segment starts in out */
	for (const char *p = raw + 1;; p++) {
		int c = (unsigned char)*p;
		if (c == '/' || c == '\0') {
			size_t n = out.len - seg;
			if ((n == 0 && c == '/') || dot_segment(out.ptr + seg, n))
				goto bad;
			if (c == '\0') {
				*folder = n == 0 && out.len > 0;
				break;
			}
			buf_putc(&out, '/');
			seg = out.len;
			continue;
		}
		if (c == '%') {
			int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
			if (lo < 0)
				goto bad;
			c = hi * 16 + lo;
			p += 2;
			if (c == '/')
				goto bad;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			goto bad;
		buf_putc(&out, c);
	}
	/* "/a/b/" leaves "a/b/": the folder without its last slash */
	if (*folder)
		out.ptr[--out.len] = '\0';
	else if (raw[1] == '\0')
		*folder = 1;
	*rel = buf_detach(&out);
	return SERVE_PATH_OK;
bad:
	buf_free(&out);
	*folder = 0;
	return SERVE_PATH_BAD;
}

/* s[0..n) is a port: one to five digits. */
static int is_port(const char *s, size_t n)
{
	if (n < 1 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* name (n bytes, not NUL-terminated) is an address of family af. */
static int is_address(int af, const char *name, size_t n)
{
	char copy[64];
	unsigned char addr[16];
	if (n >= sizeof copy)
		return 0;
	memcpy(copy, name, n);
	copy[n] = '\0';
	return inet_pton(af, copy, addr) == 1;
}

int serve_host_allowed(const char *host)
{
	static const char local[] = "localhost", sub[] = ".localhost";
	if (!host)
		return 1;
	size_t n = strlen(host);
	if (host[0] == '[') {
		const char *end = strchr(host, ']');
		if (!end || (end[1] && (end[1] != ':' ||
					!is_port(end + 2, strlen(end + 2)))))
			return 0;
		return is_address(AF_INET6, host + 1, (size_t)(end - host - 1));
	}
	const char *colon = strchr(host, ':');
	if (colon) {
		if (!is_port(colon + 1, strlen(colon + 1)))
			return 0;
		n = (size_t)(colon - host);
	}
	size_t m = sizeof sub - 1;
	return is_address(AF_INET, host, n) ||
	       (n == sizeof local - 1 && !strncasecmp(host, local, n)) ||
	       (n > m && !strncasecmp(host + n - m, sub, m));
}

/* By extension; the text types say their charset. */
static const str_pair types[] = {
	{"html", "text/html; charset=utf-8"},
	{"htm", "text/html; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"}, /* RFC 9239 */
	{"mjs", "text/javascript; charset=utf-8"},
	{"json", "application/json; charset=utf-8"},
	{"geojson", "application/geo+json; charset=utf-8"}, /* RFC 7946 */
	{"webmanifest", "application/manifest+json; charset=utf-8"},
	{"xml", "application/xml; charset=utf-8"},
	{"svg", "image/svg+xml; charset=utf-8"},
	{"csv", "text/csv; charset=utf-8"}, /* RFC 4180 */
	{"txt", "text/plain; charset=utf-8"},
	{"md", "text/markdown; charset=utf-8"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"webp", "image/webp"},
	{"avif", "image/avif"},
	{"ico", "image/vnd.microsoft.icon"},
	{"pdf", "application/pdf"},
	{"woff2", "font/woff2"},
	{"woff", "font/woff"},
	{"ttf", "font/ttf"},
	{"otf", "font/otf"},
	{"gz", "application/gzip"},
	{"zip", "application/zip"},
};

const char *serve_content_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	const char *type =
		dot ? str_pair_find(types, STR_PAIRS_N(types), dot + 1, 1) : NULL;
	return type ? type : "application/octet-stream";
}
