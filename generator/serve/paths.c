/* paths.c - from a request path to a file of the built site, and the
 * Content-Type of that file. Pure: no I/O. */
#include "serve.h"
#include "util/pairs.h"

#include <arpa/inet.h>
#include <stdlib.h>
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

/* A host and optional port (RFC 9110, section 7.2) has neither a user
 * name nor a path: 0 when host[0..n) has none of their marks, nor a space
 * or a control character. */
static int has_more_than_host(const char *host, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)host[i];
		if (c <= ' ' || c == 0x7f || strchr("@/?#\\", c))
			return 1;
	}
	return 0;
}

static const char
	many_hosts[] = "Bad request: it has more than one Host header, so "
		"which site it asks for is unclear; send one\n",
	no_host[] = "Bad request: an HTTP/1.1 request must have a Host "
		"header (RFC 9112, section 3.2); send the host and port "
		"partnermap serve printed, such as Host: 127.0.0.1:1313\n",
	empty_host[] = "Bad request: its Host header is empty; send the "
		"host and port partnermap serve printed, such as Host: "
		"127.0.0.1:1313\n",
	bad_host[] = "Bad request: its Host header holds more than a host "
		"and port (a user name before \"@\", a path, a space); send "
		"only the host and port, such as Host: 127.0.0.1:1313\n",
	bad_url[] = "Bad request: the URL it asks for is not http://HOST/PATH "
		"(no user name before \"@\", no other scheme); ask for a path "
		"such as /institutions/ or a URL such as "
		"http://127.0.0.1:1313/institutions/\n",
	bad_target[] = "Bad request: the path leaves the site\n",
	foreign_host[] = "Forbidden: partnermap serve answers a request for "
		"its IP address or localhost only; open the address it "
		"printed\n";

/* The host of an absolute-form target "http://HOST[/PATH]": 0 with the
 * host in *name (fresh) and *path the rest, "/" when there is none; -1
 * when it is not such a URL. */
static int split_url(const char *target, char **name, const char **path)
{
	static const char scheme[] = "http://";
	size_t m = sizeof scheme - 1;
	if (strncasecmp(target, scheme, m))
		return -1;
	const char *auth = target + m;
	size_t n = strcspn(auth, "/");
	if (n == 0 || has_more_than_host(auth, n))
		return -1;
	*name = xstrndup(auth, n);
	*path = auth[n] ? auth + n : "/";
	return 0;
}

serve_target_status serve_target(const char *version, const char *target,
				 const char *host, int hosts,
				 const char **path, const char **why)
{
	*path = NULL;
	*why = NULL;
	if (hosts > 1)
		*why = many_hosts;
	else if (!host && version && strcmp(version, "HTTP/1.0"))
		*why = no_host;
	else if (host && !*host)
		*why = empty_host;
	else if (host && has_more_than_host(host, strlen(host)))
		*why = bad_host;
	else if (!target)
		*why = bad_target;
	if (*why)
		return SERVE_TARGET_BAD;
	char *url_host = NULL;
	if (target[0] == '/') {
		*path = target;
	} else if (split_url(target, &url_host, path) < 0) {
		/* neither a path nor an http:// URL: a scheme's "x:" */
		*why = strchr(target, ':') ? bad_url : bad_target;
		return SERVE_TARGET_BAD;
	}
	int allowed = serve_host_allowed(url_host ? url_host : host);
	free(url_host);
	if (!allowed) {
		*path = NULL;
		*why = foreign_host;
		return SERVE_TARGET_FORBIDDEN;
	}
	return SERVE_TARGET_OK;
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
