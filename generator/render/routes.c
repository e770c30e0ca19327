/* routes.c - every page's path, file, URL and links (routes.h). */
#include "routes.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"


static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void route_country_code(char out[3], const char *alpha2)
{
	size_t i = 0;
	for (; i < 2 && alpha2[i]; i++)
		out[i] = ascii_lower(alpha2[i]);
	out[i] = '\0';
}

/* The folder a page of this kind lives in, or NULL for the top. */
static const char *kind_folder(route_kind kind)
{
	switch (kind) {
	case ROUTE_INSTITUTION:
		return "institutions";
	case ROUTE_NETWORK:
		return "networks";
	case ROUTE_COUNTRY:
		return "countries";
	case ROUTE_ELECTIVE:
		return "electives";
	default:
		return NULL;
	}
}

/* The page's path as if it were the first of its listing, into b. */
static void put_first_path(buf_t *b, route r)
{
	const char *folder = kind_folder(r.kind);
	char code[3];
	switch (r.kind) {
	case ROUTE_HOME:
		return;
	case ROUTE_NOT_FOUND:
		buf_puts(b, ROUTE_404);
		return;
	case ROUTE_PAGE:
		buf_puts(b, r.key);
		break;
	case ROUTE_COUNTRY:
		route_country_code(code, r.key);
		buf_puts(b, folder);
		buf_putc(b, '/');
		buf_puts(b, code);
		break;
	default:
		buf_puts(b, folder);
		buf_putc(b, '/');
		buf_puts(b, r.key);
		break;
	}
	buf_putc(b, '/');
}

/* route_path into b, made by buffer appends rather than
 * printf, since every link of every page comes through here. */
static void put_path(buf_t *b, route r)
{
	put_first_path(b, r);
	if (r.page <= 1 || (r.kind != ROUTE_NETWORK && r.kind != ROUTE_COUNTRY &&
			    r.kind != ROUTE_ELECTIVE))
		return;
	buf_puts(b, ROUTE_PAGED "/");
	buf_put_uint(b, (unsigned)r.page);
	buf_putc(b, '/');
}

/* route_file into b: the path, and the folder's index when the path is
 * in folder form (it ends with "/", or is empty). */
static void put_file(buf_t *b, route r)
{
	size_t from = b->len;
	put_path(b, r);
	if (b->len == from || b->ptr[b->len - 1] == '/')
		buf_puts(b, ROUTE_INDEX);
}

/* What put_* wrote into a fresh buffer, as a heap string. */
static char *made(void (*put)(buf_t *, route), const char *lead, route r)
{
	buf_t b = BUF_INIT;
	buf_put(&b, "", 0); /* "" when nothing follows: the home page */
	if (lead)
		buf_puts(&b, lead);
	put(&b, r);
	return buf_detach(&b);
}

char *route_path(route r)
{
	return made(put_path, NULL, r);
}

char *route_file(route r)
{
	return made(put_file, NULL, r);
}

char *route_url(const char *base_url, route r)
{
	return made(put_path, base_url, r);
}

/* The path of an absolute URL: from the first "/" after "scheme://",
 * "/" when there is none. */
static const char *url_path(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : NULL;
	return p ? p : "/";
}

/* The "../" that lead from page r to the root, into b. */
static void put_root(buf_t *b, route r)
{
	buf_t path = BUF_INIT;
	put_path(&path, r);
	for (size_t i = 0; i < path.len; i++)
		if (path.ptr[i] == '/')
			buf_puts(b, "../");
	buf_free(&path);
}

char *route_root(const char *base_url, route r)
{
	if (r.kind == ROUTE_NOT_FOUND)
		return xstrdup(url_path(base_url));
	buf_t up = BUF_INIT;
	put_root(&up, r);
	return buf_detach(&up);
}

char *route_link(const char *base_url, route from, route to)
{
	if (from.kind == ROUTE_NOT_FOUND)
		return made(put_file, url_path(base_url), to);
	buf_t link = BUF_INIT;
	put_root(&link, from);
	put_file(&link, to);
	return buf_detach(&link);
}

int route_reserved(const char *slug)
{
	static const route_kind folders[] = {ROUTE_INSTITUTION, ROUTE_NETWORK,
					     ROUTE_COUNTRY, ROUTE_ELECTIVE};
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
		if (!strcmp(slug, kind_folder(folders[i])))
			return 1;
	return !strcmp(slug, ROUTE_ASSETS);
}
