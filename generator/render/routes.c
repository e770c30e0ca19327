/* routes.c - every page's path, file, URL and links (routes.h). */
#include "routes.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

/* The file a folder-form page is written to inside its folder. */
#define ROUTE_INDEX "index.html"
#define ROUTE_404 "404.html"

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

/* The page's path as if it were the first of its listing. */
static char *first_page_path(route r)
{
	const char *folder = kind_folder(r.kind);
	char code[3];
	switch (r.kind) {
	case ROUTE_HOME:
		return xstrdup("");
	case ROUTE_NOT_FOUND:
		return xstrdup(ROUTE_404);
	case ROUTE_PAGE:
		return xasprintf("%s/", r.key);
	case ROUTE_COUNTRY:
		route_country_code(code, r.key);
		return xasprintf("%s/%s/", folder, code);
	default:
		return xasprintf("%s/%s/", folder, r.key);
	}
}

char *route_path(route r)
{
	char *path = first_page_path(r);
	if (r.page <= 1 || (r.kind != ROUTE_NETWORK && r.kind != ROUTE_COUNTRY &&
			    r.kind != ROUTE_ELECTIVE))
		return path;
	char *paged = xasprintf("%s" ROUTE_PAGED "/%d/", path, r.page);
	free(path);
	return paged;
}

/* A path in folder form ends with "/": its page is the folder's index. */
static int folder_form(const char *path)
{
	size_t n = strlen(path);
	return n == 0 || path[n - 1] == '/';
}

char *route_file(route r)
{
	char *path = route_path(r);
	if (!folder_form(path))
		return path;
	char *file = xasprintf("%s%s", path, ROUTE_INDEX);
	free(path);
	return file;
}

char *route_url(const char *base_url, route r)
{
	char *path = route_path(r);
	char *url = xasprintf("%s%s", base_url, path);
	free(path);
	return url;
}

/* The path of an absolute URL: from the first "/" after "scheme://",
 * "/" when there is none. */
static const char *url_path(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : NULL;
	return p ? p : "/";
}

char *route_root(const char *base_url, route r)
{
	if (r.kind == ROUTE_NOT_FOUND)
		return xstrdup(url_path(base_url));
	char *path = route_path(r);
	buf_t up = BUF_INIT;
	for (const char *p = path; *p; p++)
		if (*p == '/')
			buf_puts(&up, "../");
	free(path);
	return buf_detach(&up);
}

char *route_link(const char *base_url, route from, route to)
{
	char *root = route_root(base_url, from);
	char *file = route_file(to);
	char *link = xasprintf("%s%s", root, file);
	free(root);
	free(file);
	return link;
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
