/* routes.h - where every page of a built site lives, in one place: the
 * folder it is addressed by, the file it is written to, its absolute URL,
 * and the relative link from one page to another.
 *
 * A page of each kind (themes/README.md, "Page kinds and their templates"):
 *
 *   kind               path (folder form)      file (file form)
 *   ROUTE_HOME         ""                      index.html
 *   ROUTE_INSTITUTION  institutions/<slug>/    institutions/<slug>/index.html
 *   ROUTE_NETWORK      networks/<slug>/        networks/<slug>/index.html
 *   ROUTE_COUNTRY      countries/<code>/       countries/<code>/index.html
 *   ROUTE_PAGE         <slug>/                 <slug>/index.html
 *   ROUTE_ELECTIVE     electives/<type>/       electives/<type>/index.html
 *   ROUTE_NOT_FOUND    404.html                404.html
 *
 * A network, country or elective page whose list is split into pages
 * (render/paging.c) has its first page at the address above and page n
 * (n >= 2) below it: networks/<slug>/page/<n>/, written to
 * networks/<slug>/page/<n>/index.html.
 *
 * <code> is the ISO 3166-1 alpha-2 code in lower case ("UG" -> "ug").
 * Paths are what URLs end with (sitemap, feed, GeoJSON and CSV name the
 * folder); links between pages name the file, so that a site opened
 * from disk works too.
 *
 * Keys are used as they are: slugs passed the loader's check_slug
 * (lower-case letters, digits and single dashes) and country codes come
 * from iso-codes, so nothing in a route needs escaping. */
#ifndef PM_ROUTES_H
#define PM_ROUTES_H

typedef enum route_kind {
	ROUTE_HOME,
	ROUTE_INSTITUTION,
	ROUTE_NETWORK,
	ROUTE_COUNTRY,
	ROUTE_PAGE,
	ROUTE_NOT_FOUND,
	ROUTE_ELECTIVE  /* the partners offering one type of elective */
} route_kind;

/* One page: its kind and key (the slug; the alpha-2 code, in either case,
 * for a country; unused, may be NULL, for the home and 404 pages). The
 * key is borrowed. page is the number of a listing's page, counted from
 * 1; 0 and 1 both mean the first page, which lives at the kind's own
 * address, so (route){kind, key, 0} names it. */
typedef struct route {
	route_kind kind;
	const char *key;
	int page;
} route;

/* The folder below a listing's address that holds its pages after the
 * first: networks/<slug>/page/2/. */
#define ROUTE_PAGED "page"

/* The file a folder-form page is written to inside its folder, and the
 * page of misses. */
#define ROUTE_INDEX "index.html"
#define ROUTE_404 "404.html"

/* Files every build writes at the top of the output, beside the pages. */
#define ROUTE_MAP_SVG "map.svg"
#define ROUTE_GEOJSON "partners.geojson"
#define ROUTE_CSV "partners.csv"
#define ROUTE_SITEMAP "sitemap.xml"
#define ROUTE_FEED "feed.xml"
/* Beside each elective page: its institutions as partners.csv has them. */
#define ROUTE_ELECTIVE_CSV "partners.csv"
/* The folder the theme's assets are published in (publish/assets.c). */
#define ROUTE_ASSETS "assets"

/* The page's path below the site root, in folder form: "" for the home
 * page, "institutions/makerere/" (see the table above). A fresh string
 * the caller frees. */
char *route_path(route r);

/* The file the page is written to, relative to the output folder, and
 * the target of a link to it relative to the root:
 * "institutions/makerere/index.html". A fresh string the caller frees. */
char *route_file(route r);

/* The page's absolute URL: base_url (which ends with "/", as site.yml's
 * loader leaves it) followed by its path. A fresh string. */
char *route_url(const char *base_url, route r);

/* The way from the page back up to the site root, which every link a
 * page holds starts with: one "../" per folder of its path ("" for the
 * home page, "../" for a free page, "../../" for the others). The 404
 * page is the exception: a server shows it in place of any missing path,
 * at any depth, so its links start from base_url's path instead ("/" when
 * base_url has none, "/partners/" for "https://example.org/partners/").
 * A fresh string. */
char *route_root(const char *base_url, route r);

/* A link from page `from` to page `to`, as written in from:
 * route_root(from) then route_file(to). From "about/" to an institution:
 * "../institutions/makerere/index.html". A fresh string. */
char *route_link(const char *base_url, route from, route to);

/* Write an alpha-2 country code as its route names it, into out (room for
 * 3 bytes): the two characters in lower case, ASCII letters only
 * ("UG" -> "ug"). Any other byte stays as it is ("U1" -> "u1"), where
 * setting bit 0x20 would turn "@" into "`" and "[" into "{". The C
 * library's tolower is not used: in some locales it maps "I" to a byte
 * that is no ASCII letter. A code shorter than two bytes is copied up to
 * its end. */
void route_country_code(char out[3], const char *alpha2);

/* 1 when a free page may not take slug because the build writes a folder
 * of that name at the top of the output ("institutions", "networks",
 * "countries", "electives", "assets"); else 0. */
int route_reserved(const char *slug);

#endif
