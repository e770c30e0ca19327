/* paths.c - from a request path to a file of the built site, and the
 * Content-Type of that file. Pure: no I/O. */
#include "serve.h"
#include "util/media.h"

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

/* Why a path is refused: static lines, each saying what is wrong with it
 * and what to ask for instead. */
static const char
	why_not_path[] = "Bad request: what it asks for is neither a path "
		"starting with / nor an http:// URL; ask for a path such as "
		"/institutions/\n",
	why_dotdot[] = "Bad request: the path has a \"..\" segment (plain or "
		"as %2e%2e), which would climb out of the site; ask for a "
		"path inside it, such as /institutions/\n",
	why_dot[] = "Bad request: the path has a \".\" segment or an empty "
		"one (\"//\"), which name one file in several ways; write the "
		"path without them\n",
	why_slash[] = "Bad request: the path has an encoded slash (%2F), "
		"which would join two segments into one; write the slash "
		"itself\n",
	why_backslash[] = "Bad request: the path has a backslash (\\ or "
		"%5C), which some systems read as a folder separator; write / "
		"instead\n",
	why_control[] = "Bad request: the path has a control character or "
		"NUL (such as %00 or %0A), which no file of the site has in its "
		"name; leave it out\n",
	why_escape[] = "Bad request: the path has a % that is not followed "
		"by two hexadecimal digits; write a percent sign as %25\n",
	why_hidden[] = "the path names a hidden entry (a name "
		"starting with \".\"), which no page of the site links to, "
		"so serve never serves it\n";

/* Why the segment seg[0..n) is refused, NULL when it is not: "." and
 * ".." (and "" but at the end) are refused as they would be resolved
 * away, another name starting with "." is hidden. */
static const char *segment_problem(const char *seg, size_t n, int last)
{
	if (n == 2 && seg[0] == '.' && seg[1] == '.')
		return why_dotdot;
	if ((n == 1 && seg[0] == '.') || (n == 0 && !last))
		return why_dot;
	return n > 0 && seg[0] == '.' ? why_hidden : NULL;
}

/* Why the byte c, decoded from %XX when escaped, may not be in a
 * path; NULL when it may. */
static const char *byte_problem(int c, int escaped)
{
	if (c == '/' && escaped)
		return why_slash;
	if (c == '\\')
		return why_backslash;
	return c < 0x20 || c == 0x7f ? why_control : NULL;
}

serve_path_status serve_resolve(const char *raw, char **rel, int *folder,
				const char **why)
{
	*rel = NULL;
	*folder = 0;
	*why = why_not_path;
	if (!raw || raw[0] != '/')
		return SERVE_PATH_BAD;
	buf_t out = BUF_INIT;
	buf_puts(&out, "");
	size_t seg = 0; /* where the current segment starts in out */
	/* a hidden entry is answered 404 only once nothing else is wrong */
	const char *hidden = NULL;
	for (const char *p = raw + 1;; p++) {
		int c = (unsigned char)*p;
		if (c == '/' || c == '\0') {
			const char *w = segment_problem(out.ptr + seg,
							out.len - seg, c == '\0');
			if (w == why_hidden)
				hidden = w;
			else if (w && (*why = w))
				goto bad;
			if (c == '\0') {
				*folder = out.len == seg && out.len > 0;
				break;
			}
			buf_putc(&out, '/');
			seg = out.len;
			continue;
		}
		int escaped = c == '%';
		if (escaped) {
			int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
			if (lo < 0 && (*why = why_escape))
				goto bad;
			c = hi * 16 + lo;
			p += 2;
		}
		if ((*why = byte_problem(c, escaped)))
			goto bad;
		buf_putc(&out, c);
	}
	if (hidden && (*why = hidden)) {
		buf_free(&out);
		*folder = 0;
		return SERVE_PATH_HIDDEN;
	}
	*why = NULL;
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
	if (is_address(AF_INET, host, n))
		return 1;
	/* "localhost." is the same name, written fully qualified (RFC 1034,
	 * section 3.1) */
	if (n > 1 && host[n - 1] == '.')
		n--;
	size_t m = sizeof sub - 1;
	return (n == sizeof local - 1 && !strncasecmp(host, local, n)) ||
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
	folded_host[] = "Bad request: its Host header is not on one line "
		"(a line folded onto the next, obs-fold, which RFC 9112 "
		"section 5.2 refuses) or has a space before its colon "
		"(section 5.1); send it on one line, such as Host: "
		"127.0.0.1:1313\n",
	bad_name[] = "Bad request: the name of one of its headers holds a "
		"space or a character a name may not have (RFC 9110, section "
		"5.6.2), as a space before the colon or a line folded onto "
		"the next leaves it (RFC 9112, sections 5.1 and 5.2); send each "
		"header on one line, as Name: value\n",
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

/* A character of a token (RFC 9110, section 5.6.2), which a field name
 * is. */
static int is_tchar(int c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

void serve_fields_add(serve_fields *f, const char *name)
{
	size_t n = strlen(name);
	if (!strcasecmp(name, "host")) {
		f->hosts++;
		return;
	}
	if (n > 4 && !strncasecmp(name, "host", 4) && name[4] != '-')
		f->folded_host = 1;
	for (size_t i = 0; i < n; i++)
		if (!is_tchar((unsigned char)name[i]))
			f->bad_name = 1;
	if (!n)
		f->bad_name = 1;
}

/* OWS (RFC 9110, section 5.6.3): spaces and tabs. */
static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Why a request's headers are refused, before its target is looked at:
 * a static line, NULL when they are fine. host is the value trimmed. */
static const char *fields_problem(const char *version, const char *host,
				  const serve_fields *f)
{
	if (f->hosts > 1)
		return many_hosts;
	if (!host && f->folded_host)
		return folded_host;
	if (f->bad_name)
		return bad_name;
	if (!host && version && strcmp(version, "HTTP/1.0"))
		return no_host;
	if (host && !*host)
		return empty_host;
	if (host && has_more_than_host(host, strlen(host)))
		return bad_host;
	return NULL;
}

serve_target_status serve_target(const char *version, const char *target,
				 const char *host_field, const serve_fields *f,
				 const char **path, const char **why)
{
	*path = NULL;
	/* the whitespace around a field's value is not part of it (RFC
	 * 9110, section 5.5) */
	char *host = NULL;
	if (host_field) {
		const char *b = host_field, *e = b + strlen(b);
		while (is_ows(*b))
			b++;
		while (e > b && is_ows(e[-1]))
			e--;
		host = xstrndup(b, (size_t)(e - b));
	}
	*why = fields_problem(version, host, f);
	if (!*why && !target)
		*why = why_not_path;
	if (*why) {
		free(host);
		return SERVE_TARGET_BAD;
	}
	char *url_host = NULL;
	if (target[0] == '/') {
		*path = target;
	} else if (split_url(target, &url_host, path) < 0) {
		/* neither a path nor an http:// URL: a scheme's "x:" */
		*why = strchr(target, ':') ? bad_url : why_not_path;
		free(host);
		return SERVE_TARGET_BAD;
	}
	int allowed = serve_host_allowed(url_host ? url_host : host);
	free(url_host);
	free(host);
	if (!allowed) {
		*path = NULL;
		*why = foreign_host;
		return SERVE_TARGET_FORBIDDEN;
	}
	return SERVE_TARGET_OK;
}

const char *serve_content_type(const char *name)
{
	const char *type = media_type(name);
	return type ? type : "application/octet-stream";
}
