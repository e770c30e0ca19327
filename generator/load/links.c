/* links.c - a body's links to the site's own pages, checked against the
 * pages and files the build writes (load.h, links_check).
 *
 * A link is read as a browser reads it (RFC 3986 section 5.2: a rooted
 * path against the site's host, ../ against the page's folder), then
 * matched with the page table of render/routes.h: institutions/<slug>/,
 * networks/<slug>/, countries/<code>/, electives/<type>/, <page>/, the
 * files at the top, each below a language's folder as well. A full
 * address on base_url's host is read as its rooted path. Only what the
 * build decides is checked: a rooted link outside base_url's path, a file
 * at the top the build does not write, or anything in assets/ is left
 * alone, as another program may serve it. */
#include "load.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../render/routes.h"
#include "../util/buf.h"
#include "../util/safefs.h"
#include "../util/text_unicode.h"
#include "fields.h"
#include "frontmatter.h"
#include "offers.h"

/* The files every build writes at the top of the site, and those each
 * language's folder has too (render/routes.h). */
static const char *const top_files[] = {ROUTE_INDEX, ROUTE_404, ROUTE_MAP_SVG,
					ROUTE_GEOJSON, ROUTE_CSV, ROUTE_SITEMAP,
					ROUTE_FEED, NULL};
static const char *const language_files[] = {ROUTE_INDEX, ROUTE_404,
					     ROUTE_MAP_SVG, ROUTE_FEED, NULL};

/* What a check of links needs of the site, counted once per build: the
 * partners each country, network and elective type lists (its page is
 * written for one or more, paged by page_size). */
typedef struct link_ctx {
	const site *s;
	size_t *country;  /* by index in s->countries */
	size_t *network;  /* by index in s->net */
	size_t elective[8]; /* by index in offer_types */
	/* the page folders of the institutions and free pages refused for
	 * their errors ("institutions/x/", "about/"), sorted: a link to one
	 * is broken only because of that error, told at its record */
	char **refused;
	size_t nrefused;
	/* a language site.yml does not list whose folder the links checked
	 * now may name (those of a translation into it), or NULL */
	const char *also_lang;
} link_ctx;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void link_ctx_init(link_ctx *x, const site *s)
{
	memset(x, 0, sizeof *x);
	x->s = s;
	x->country = xcalloc(s->countries.n + 1, sizeof *x->country);
	x->network = xcalloc(s->nnet + 1, sizeof *x->network);
	x->refused = xcalloc(s->nrefused + 1, sizeof *x->refused);
	for (size_t i = 0; i < s->nrefused; i++)
		if (!s->refused[i].translation)
			x->refused[x->nrefused++] = s->refused[i].dir;
	qsort(x->refused, x->nrefused, sizeof *x->refused, cmp_str);
	for (size_t i = 0; i < s->ninst; i++) {
		const institution *in = &s->inst[i];
		const country *c = country_by_alpha2(&s->countries, in->country);
		if (c)
			x->country[c - s->countries.v]++;
		for (size_t k = 0; k < in->networks.n; k++) {
			const network *net = site_network(s, in->networks.v[k]);
			if (net)
				x->network[net - s->net]++;
		}
		for (size_t t = 0; offer_types[t] && t < 8; t++)
			for (size_t k = 0; k < in->electives.n; k++)
				if (!strcmp(in->electives.v[k], offer_types[t])) {
					x->elective[t]++;
					break;
				}
	}
}

/* Whether the page folder dir ("institutions/x/") is a record's that was
 * refused for its errors. */
static int refused_folder(const link_ctx *x, const char *dir)
{
	return x->nrefused && bsearch(&dir, x->refused, x->nrefused,
				      sizeof *x->refused, cmp_str) != NULL;
}

static void link_ctx_free(link_ctx *x)
{
	free(x->refused);
	free(x->country);
	free(x->network);
}

/* The path of base_url after its host: "/map/" for
 * https://partners.example.org/map; "/" when it has none. Fresh. */
static char *base_path(const char *base_url)
{
	const char *p = base_url ? strstr(base_url, "://") : NULL;
	p = p ? strchr(p + 3, '/') : NULL;
	if (!p)
		return xstrdup("/");
	size_t n = strcspn(p, "?#");
	return n && p[n - 1] == '/' ? xstrndup(p, n) : xasprintf("%.*s/", (int)n, p);
}

/* The path of addr when it is a full address (offers_site_links gives
 * those on the site's host alone): "/map/x/" for https://<host>/map/x/
 * or //<host>/map/x/, "/" for the host alone; NULL for a rooted or a
 * climbing link. */
static const char *full_address_path(const char *addr)
{
	const char *p = addr;
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
	} else {
		size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (!k || strncmp(p + k, "://", 3))
			return NULL;
		p += k + 3;
	}
	const char *slash = strchr(p, '/');
	return slash ? slash : "/";
}

/* addr resolved against the page's folder dir ("institutions/makerere/",
 * "" at the top) or, rooted, against the site's path base: the path
 * below the site's root, with "." and ".." taken away ("networks/x/";
 * a folder keeps its '/'). NULL, with *outside set, for a rooted path
 * outside base; with *above set, for one that climbs above the root. */
static char *resolve(const char *dir, const char *addr, const char *base,
		     int *outside, int *above)
{
	*outside = *above = 0;
	const char *full = full_address_path(addr);
	if (full)
		addr = full; /* on the site's host: rooted */
	char *joined;
	if (addr[0] == '/') {
		size_t b = strlen(base);
		if (!strncmp(addr, base, b))
			joined = xstrdup(addr + b);
		else if (!strncmp(addr, base, b - 1) && !addr[b - 1])
			joined = xstrdup("");
		else {
			*outside = 1;
			return NULL;
		}
	} else {
		joined = xasprintf("%s%s", dir, addr);
	}
	/* segments, with "." and ".." done */
	buf_t out = BUF_INIT;
	size_t *starts = xcalloc(strlen(joined) + 2, sizeof *starts);
	size_t depth = 0;
	int folder = 0;
	for (char *seg = joined, *next; seg; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		folder = next != NULL || !strcmp(seg, ".") || !strcmp(seg, "..") ||
			 !*seg;
		if (!*seg || !strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			if (!depth) {
				*above = 1;
				break;
			}
			out.len = starts[--depth];
			continue;
		}
		starts[depth++] = out.len;
		buf_printf(&out, "%s/", seg);
	}
	free(starts);
	free(joined);
	if (*above) {
		buf_free(&out);
		return NULL;
	}
	if (!folder && out.len)
		out.len--; /* a file: no '/' after it */
	if (out.ptr) /* the length was set back by hand */
		out.ptr[out.len] = '\0';
	return buf_detach(&out);
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10);
}

/* rel with its %XX escapes read (a server decodes them before it looks
 * for the file), in NFC as the loader reads names; an escaped '/', '\\'
 * or NUL is kept as written, so that it names nothing. Fresh. */
static char *decoded(const char *rel)
{
	buf_t b = BUF_INIT;
	for (const char *p = rel; *p; p++) {
		if (p[0] == '%' && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2])) {
			char c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			if (c != '/' && c != '\\' && c != '\0') {
				buf_putc(&b, c);
				p += 2;
				continue;
			}
		}
		buf_putc(&b, *p);
	}
	char *raw = buf_detach(&b), *nfc = text_nfc(raw);
	free(raw);
	return nfc;
}

static int in_list(const char *const *v, const char *w)
{
	for (; *v; v++)
		if (!strcmp(*v, w))
			return 1;
	return 0;
}

/* How many partners the country of code has: 0 unless it is written in
 * lower case, as its page's folder is. */
static size_t country_partners(const link_ctx *x, const char *code)
{
	if (strlen(code) != 2 || !islower((unsigned char)code[0]) ||
	    !islower((unsigned char)code[1]))
		return 0;
	const country *c = country_by_alpha2(&x->s->countries, code);
	return c ? x->country[c - x->s->countries.v] : 0;
}

/* Whether below, what a link names below a listing's folder (a network,
 * country or elective page of count partners), is a page of it: "",
 * index.html, or page/<n>/ (2 <= n <= its pages) and its index.html;
 * files: extra (a name, or NULL) as well. */
static int listing_page(const site *s, const char *below, size_t count,
			const char *extra)
{
	if (!below || !*below || !strcmp(below, "index.html") ||
	    (extra && !strcmp(below, extra)))
		return 1;
	if (strncmp(below, "page/", 5))
		return 0;
	const char *d = below + 5;
	char *end;
	if (!isdigit((unsigned char)*d) || *d == '0')
		return 0;
	unsigned long n = strtoul(d, &end, 10);
	/* page/2 without its '/' is the folder, as networks/x is */
	if ((*end && *end != '/') ||
	    (*end && end[1] && strcmp(end + 1, "index.html")))
		return 0;
	size_t size = s->cfg.page_size ? s->cfg.page_size : count + 1;
	size_t pages = count ? (count + size - 1) / size : 1;
	return n >= 2 && n <= pages;
}

static const page *site_page(const site *s, const char *slug)
{
	for (size_t i = 0; i < s->npages; i++)
		if (!strcmp(s->pages[i].slug, slug))
			return &s->pages[i];
	return NULL;
}

/* Words shorter than this are the start of too many names to hint one. */
#define HINT_PREFIX_MIN 4

/* "; did you mean <prefix>x<suffix>?" for the name x nearest to word
 * among n, each the char * at the start of v's elements of size bytes (v
 * NULL when n is 0: the caller never takes a member of an empty array):
 * within a small edit distance (hint_offer), else the one name that
 * starts with word (cairo-univ: cairo-university); nothing when none is
 * near or several start so. Into b. */
static void nearest(buf_t *b, const char *word, const void *v, size_t n,
		    size_t size, const char *prefix, const char *suffix)
{
	hint_t h;
	hint_init(&h, word);
	for (size_t i = 0; i < n; i++)
		hint_offer(&h, *(char *const *)((const char *)v + i * size));
	size_t len = strlen(word);
	for (size_t i = 0; !h.best && len >= HINT_PREFIX_MIN && i < n; i++) {
		const char *name = *(char *const *)((const char *)v + i * size);
		if (strncasecmp(name, word, len) || !name[len])
			continue;
		for (size_t j = i + 1; j < n; j++)
			if (!strncasecmp(*(char *const *)((const char *)v + j * size),
					 word, len))
				return; /* two start so: neither is the hint */
		h.best = name;
	}
	if (h.best)
		buf_printf(b, "; did you mean %s%s%s?", prefix, h.best, suffix);
}

/* Whether institution slug's record was refused for its errors. */
static int refused_institution_page(const link_ctx *x, const char *slug)
{
	char *dir = xasprintf("institutions/%s/", slug);
	int yes = refused_folder(x, dir);
	free(dir);
	return yes;
}

/* Whether free page slug's record was refused for its errors. */
static int refused_page_folder(const link_ctx *x, const char *slug)
{
	char *dir = xasprintf("%s/", slug);
	int yes = refused_folder(x, dir);
	free(dir);
	return yes;
}

/* Why the path rel (resolve's) names nothing the build writes, as a
 * sentence tail ("which names no ..."), or NULL when it names a page or
 * file of the site, or something the build leaves to others. The tail
 * quotes rel as the link names it, a language's folder included, and,
 * when hint is set, the name of the site nearest to the one it names
 * (a search of all the site's names). Fresh. */
static char *why_broken(const link_ctx *x, const char *rel, int hint)
{
	const site *s = x->s;
	/* a language's folder holds the same pages: lang is "fr/", or "" */
	size_t first = strcspn(rel, "/");
	char lang[64] = "";
	for (size_t k = 1; rel[first] == '/' && k <= s->cfg.languages.n; k++) {
		const char *tag = k < s->cfg.languages.n ? s->cfg.languages.v[k] :
				  x->also_lang;
		if (tag && strlen(tag) == first && first < sizeof lang &&
		    !strncmp(rel, tag, first)) {
			snprintf(lang, sizeof lang, "%.*s", (int)first + 1, rel);
			rel += first + 1;
			first = strcspn(rel, "/");
			break;
		}
	}
	const char *shown = rel - strlen(lang); /* the path, lang's folder too */
	const char *const *files = *lang ? language_files : top_files;
	if (!*rel || in_list(files, rel))
		return NULL;
	if (rel[first] != '/') {
		/* a file at the top: the build's in another case, or one it
		 * writes only at the site's root, names nothing; another is
		 * not the build's */
		for (size_t i = 0; top_files[i]; i++) {
			if (strcasecmp(rel, top_files[i]))
				continue;
			if (strcmp(rel, top_files[i]))
				return xasprintf("which names no file of the site "
						 "(%.*s%s); did you mean %s?",
						 DIAG_QUOTE(shown), top_files[i]);
			return xasprintf("which names no file of the site (%.*s%s): it "
					 "is written only at the site's root",
					 DIAG_QUOTE(shown));
		}
		return NULL;
	}
	char *head = xstrndup(rel, first);
	const char *rest = rel + first + 1;
	size_t klen = strcspn(rest, "/");
	char *key = xstrndup(rest, klen);
	const char *below = rest[klen] == '/' ? rest + klen + 1 : NULL;
	int folder_only = !*rest;
	buf_t why = BUF_INIT;
	if (!strcmp(head, "assets")) {
		/* the theme's */
	} else if (!strcmp(head, "institutions")) {
		const institution *in = folder_only ? NULL : site_institution(s, key);
		if (folder_only) {
			buf_printf(&why, "which names no page of the site (%.*s%s): the site "
				   "has a page for each institution, below it",
				   DIAG_QUOTE(shown));
		} else if (!in && refused_institution_page(x, key)) {
			/* told at its record: fixed there, this link is right */
		} else if (!in && site_left_out(s, key)) {
			/* one refused for its errors was passed over above */
			buf_printf(&why, "which names institution %.*s%s, a draft "
				   "(draft: true in its record): its page is not "
				   "written", DIAG_QUOTE(key));
		} else if (!in) {
			buf_printf(&why, "which names no institution of the site "
				   "(%sinstitutions/%.*s%s/)", lang, DIAG_QUOTE(key));
			if (hint)
				nearest(&why, key, s->ninst ? &s->inst[0].slug : NULL,
					s->ninst, sizeof *s->inst, "", "");
		} else if (below && *below && strcmp(below, "index.html") &&
			   !inst_file(in, below)) {
			buf_printf(&why, "which names no file of institution %s (%.*s%s): a "
				   "page bundle publishes only the files its record "
				   "names or links by their name alone", key,
				   DIAG_QUOTE(shown));
		}
	} else if (!strcmp(head, "networks")) {
		if (folder_only) {
			buf_printf(&why, "which names no page of the site (%.*s%s): the site "
				   "has a page for each network, below it", DIAG_QUOTE(shown));
		} else if (!site_network(s, key)) {
			buf_printf(&why, "which names no network of the site "
				   "(%snetworks/%.*s%s/)", lang, DIAG_QUOTE(key));
			size_t before = why.len;
			if (hint)
				nearest(&why, key, s->nnet ? &s->net[0].slug : NULL,
					s->nnet, sizeof *s->net, "", "");
			/* none near: the list to choose from, cut to a line */
			if (hint && why.len == before) {
				for (size_t i = 0; i < s->nnet && i < FIELD_WORDS_LISTED; i++)
					buf_printf(&why, "%s%s", i ? ", " :
						   "; the networks are ", s->net[i].slug);
				if (s->nnet > FIELD_WORDS_LISTED)
					buf_printf(&why, " and %zu more",
						   s->nnet - FIELD_WORDS_LISTED);
			}
		} else if (!listing_page(s, below,
					 x->network[site_network(s, key) - s->net], NULL)) {
			buf_printf(&why, "which names no page of the site (%.*s%s): the "
				   "network's pages are %snetworks/%s/ and, when its "
				   "list is paged, page/2/ onwards below it",
				   DIAG_QUOTE(shown), lang, key);
		}
	} else if (!strcmp(head, "countries")) {
		int script = klen > 3 && !strcmp(key + klen - 3, ".js");
		if (folder_only) {
			buf_printf(&why, "which names no page of the site (%.*s%s): the site "
				   "has a page for each country with partners, below it",
				   DIAG_QUOTE(shown));
		} else if (!script && !country_partners(x, key)) {
			buf_printf(&why, "which names no country page (%scountries/%.*s%s/): "
				   "the site has one for each country with partners, "
				   "named by its code in lower case", lang, DIAG_QUOTE(key));
			/* countries/UG/: its page is countries/ug/ */
			char *lower = xstrdup(key);
			for (char *c = lower; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			/* countries/uk/: the United Kingdom's is countries/gb/;
			 * countries/gbr/ and countries/egypt/ name one too */
			const country *alias = country_by_alias(&s->countries, key);
			if (!alias)
				alias = country_by_alpha3(&s->countries, key);
			if (!alias) { /* united-kingdom: its name, as a slug */
				char *name = xstrdup(key);
				for (char *c = name; *c; c++)
					*c = *c == '-' ? ' ' : *c;
				alias = country_by_name(&s->countries, name);
				free(name);
			}
			char *iso = alias ? xstrdup(alias->alpha2) : NULL;
			for (char *c = iso; c && *c; c++)
				*c = (char)tolower((unsigned char)*c);
			if (strcmp(lower, key) && country_partners(x, lower))
				buf_printf(&why, "; did you mean %scountries/%s/?", lang,
					   lower);
			else if (iso && country_partners(x, iso))
				buf_printf(&why, "; did you mean %scountries/%s/?", lang,
					   iso);
			free(iso);
			free(lower);
		} else if (!script && !listing_page(s, below, country_partners(x, key),
						     NULL)) {
			buf_printf(&why, "which names no page of the site (%.*s%s): the "
				   "country's pages are %scountries/%s/ and, when its "
				   "list is paged, page/2/ onwards below it",
				   DIAG_QUOTE(shown), lang, key);
		}
	} else if (!strcmp(head, "electives")) {
		size_t t = 0;
		while (offer_types[t] && strcmp(offer_types[t], key))
			t++;
		if (folder_only || !offer_types[t])
			buf_printf(&why, "which names no elective page (%selectives/%.*s%s%s): "
				   "the types are clinical, research, observership",
				   lang, DIAG_QUOTE(key), folder_only ? "" : "/");
		else if (!listing_page(s, below, x->elective[t], ROUTE_ELECTIVE_CSV))
			buf_printf(&why, "which names no page or file of the site "
				   "(%.*s%s)", DIAG_QUOTE(shown));
	} else if (site_page(s, head)) {
		if (*rest && strcmp(rest, "index.html"))
			buf_printf(&why, "which names no page or file of the site "
				   "(%.*s%s): a page has no files", DIAG_QUOTE(shown));
	} else if (refused_page_folder(x, head)) {
		/* a free page refused for its errors, told at its file */
	} else {
		buf_printf(&why, "which names no page of the site (%s%.*s%s/)", lang,
			   DIAG_QUOTE(head));
		static const char *const sections[] = {"institutions", "networks",
						       "countries", "electives", NULL};
		size_t before = why.len;
		/* fr/fr/about/: a link below fr/ that names fr/ again (it is
		 * there already), or en/about/ for the first language's page,
		 * which is at the top */
		for (size_t k = 0; k <= s->cfg.languages.n && why.len == before; k++) {
			const char *tag = k < s->cfg.languages.n ?
					  s->cfg.languages.v[k] : x->also_lang;
			if (!tag || strcmp(head, tag))
				continue;
			char *to = k ? xasprintf("%s/%s", head, rest) : xstrdup(rest);
			/* en/ alone: the home page, which needs no hint */
			char *still = *to ? why_broken(x, to, 0) : NULL;
			if (*to && !still)
				buf_printf(&why, "; did you mean %.*s%s?", DIAG_QUOTE(to));
			free(still);
			free(to);
		}
		/* Networks/africa/: the site's folders are in lower case */
		for (size_t k = 0; sections[k] && why.len == before; k++)
			if (!strcasecmp(head, sections[k]))
				buf_printf(&why, "; did you mean %s%s/%.*s%s?", lang,
					   sections[k], DIAG_QUOTE(rest));
		if (hint && why.len == before)
			nearest(&why, head, s->npages ? &s->pages[0].slug : NULL,
				s->npages, sizeof *s->pages, "", "");
		if (hint && why.len == before) {
			char *section = xasprintf("%sinstitutions/", lang);
			nearest(&why, head, s->ninst ? &s->inst[0].slug : NULL,
				s->ninst, sizeof *s->inst, section, "/");
			free(section);
		}
	}
	free(head);
	free(key);
	return why.len ? buf_detach(&why) : (buf_free(&why), NULL);
}

/* Which Markdown of a record a check reads: its body (key NULL), or the
 * value of key (housing), or of key in item `item` of list `list`
 * (electives, requirements). */
typedef struct markdown_at {
	const char *who;  /* "the body", "housing", "requirements" */
	const char *list, *key;
	size_t item;
} markdown_at;

static const markdown_at the_body = {"the body", NULL, NULL, 0};

/* Where in the record's text doc the Markdown w is, as a body to place
 * links in, into *out; 0, or -1 when it is not found there. */
static int markdown_of(const fm_doc *doc, const markdown_at *w, fm_doc *out)
{
	if (!w->key) {
		*out = *doc;
		return 0;
	}
	const fm_node *v = &doc->root;
	if (w->list) {
		v = fm_get(v, w->list);
		if (!v || v->type != FM_SEQ || w->item >= v->n)
			return -1;
		v = &v->kids[w->item];
	}
	v = v->type == FM_MAP ? fm_get(v, w->key) : NULL;
	if (!v || !v->text)
		return -1;
	offers_value_doc(v, out);
	return 0;
}

/* One page's Markdown (w: its body, or a value of its record): its links
 * to the site checked from the page's folder dir; the broken ones are
 * errors at their place in its file path (read again to find them: a
 * broken link is rare, the record cache keeps no text). */
static void check_body(const link_ctx *x, const sfs_root *root, const char *base,
		       const char *dir, const char *html, const char *path,
		       srcpos at, const markdown_at *w, diags_t *d)
{
	char **addr;
	size_t n = html ? offers_site_links(html, x->s->cfg.base_url, &addr) : 0;
	if (!n)
		return;
	/* each address once: the further links to it are told with it */
	size_t *more = xcalloc(n + 1, sizeof *more);
	n = offers_distinct_links(addr, n, more);
	char **bad = xcalloc(n + 1, sizeof *bad), **why = xcalloc(n + 1, sizeof *why);
	size_t *bad_more = xcalloc(n + 1, sizeof *bad_more);
	size_t nbad = 0;
	for (size_t i = 0; i < n; i++) {
		int outside, above;
		char *rel = resolve(dir, addr[i], base, &outside, &above);
		char *plain = rel ? decoded(rel) : NULL;
		/* a backslash is told wherever the link leads: /\\evil.org/
		 * is outside the site's path but a link to another host; one
		 * outside the site's path is otherwise another program's */
		char *tail = offers_backslashed(addr[i]);
		if (!tail)
			tail = above ? xstrdup("which climbs above the site's root folder") :
			       plain ? why_broken(x, plain, nbad < FIELD_LINK_HINTS) : NULL;
		free(plain);
		free(rel);
		if (tail) {
			bad[nbad] = addr[i];
			bad_more[nbad] = more[i];
			why[nbad++] = tail;
		}
	}
	if (nbad) {
		int *line = xcalloc(nbad, sizeof *line), *col = xcalloc(nbad, sizeof *col);
		buf_t text = BUF_INIT;
		fm_doc doc = {0};
		diags_t scratch = DIAGS_INIT;
		fm_doc in;
		/* a body after YAML that could not be read is placed too */
		int placed = sfs_read(root, path, path, SFS_CONTENT, &text, &scratch) ==
				     SFS_OK &&
			     (fm_parse(text.ptr, text.len, path, &doc, &scratch) >= 0 ||
			      (!w->key && doc.body_len)) &&
			     markdown_of(&doc, w, &in) == 0;
		for (size_t i = 0; i < nbad; i++) {
			line[i] = at.line ? at.line : 1;
			col[i] = at.col ? at.col : 1;
		}
		if (placed)
			offers_place_links(&in, bad, nbad, line, col);
		for (size_t i = 0; i < nbad; i++)
			diag_error(d, path, line[i], col[i], "%s links to '%.*s%s', %s%s",
				   w->who, DIAG_QUOTE(bad[i]), why[i],
				   offers_more(bad_more[i], w->who));
		fm_doc_free(&doc);
		buf_free(&text);
		diags_free(&scratch);
		free(line);
		free(col);
	}
	for (size_t i = 0; i < nbad; i++)
		free(why[i]);
	free(why);
	free(bad);
	free(bad_more);
	free(more);
	for (size_t i = 0; i < n; i++)
		free(addr[i]);
	free(addr);
}

/* The Markdown of value v of a record (housing:, an elective's
 * requirements:) as a page shows it: a fresh string, or NULL when v is no
 * text. */
static char *value_html(const fm_node *v)
{
	return v && fm_is_scalar(v) && v->text ?
		markdown_to_html(v->text, strlen(v->text)) : NULL;
}

/* The links of a record refused for its errors (site.h, refused_page),
 * read again from its file: its body's, and when r->values its housing:
 * and electives' requirements:, as check_body checks a record's. A file
 * that cannot be read or parsed now (its own error, told) has none. */
static void check_refused(const link_ctx *all, const sfs_root *root,
			  const char *base, const refused_page *r, diags_t *d)
{
	link_ctx own = *all;
	own.also_lang = r->lang; /* a translation's into an unlisted language */
	const link_ctx *x = &own;
	buf_t text = BUF_INIT;
	fm_doc doc = {0};
	diags_t scratch = DIAGS_INIT;
	/* front matter whose YAML could not be read still has its body */
	if (sfs_read(root, r->path, r->path, SFS_CONTENT, &text, &scratch) ==
		    SFS_OK &&
	    (fm_parse(text.ptr, text.len, r->path, &doc, &scratch) >= 0 ||
	     doc.body_len)) {
		srcpos at = {r->path, doc.line, doc.col};
		char *html = markdown_to_html(doc.body, doc.body_len);
		check_body(x, root, base, r->dir, html, r->path, at, &the_body, d);
		free(html);
		const fm_node *housing = r->values ? fm_get(&doc.root, "housing") : NULL;
		html = value_html(housing);
		markdown_at w = {"housing", NULL, "housing", 0};
		check_body(x, root, base, r->dir, html, r->path, at, &w, d);
		free(html);
		const fm_node *list = r->values ? fm_get(&doc.root, "electives") : NULL;
		for (size_t k = 0; list && list->type == FM_SEQ && k < list->n; k++) {
			const fm_node *item = &list->kids[k];
			html = item->type == FM_MAP ?
				value_html(fm_get(item, "requirements")) : NULL;
			markdown_at req = {"requirements", "electives", "requirements", k};
			srcpos iat = {r->path, item->line, item->col};
			check_body(x, root, base, r->dir, html, r->path, iat, &req, d);
			free(html);
		}
	}
	fm_doc_free(&doc);
	buf_free(&text);
	diags_free(&scratch);
}

void links_check(const site *s, const sfs_root *root, diags_t *d)
{
	char *base = base_path(s->cfg.base_url);
	link_ctx x;
	link_ctx_init(&x, s);
	for (size_t i = 0; i < s->ninst; i++) {
		const institution *in = &s->inst[i];
		char *dir = xasprintf("institutions/%s/", in->slug);
		check_body(&x, root, base, dir, in->body_html, in->path, in->pos,
			   &the_body, d);
		markdown_at housing = {"housing", NULL, "housing", 0};
		check_body(&x, root, base, dir, in->housing_html, in->path, in->pos,
			   &housing, d);
		for (size_t k = 0; k < in->noffers; k++) {
			markdown_at req = {"requirements", "electives", "requirements", k};
			check_body(&x, root, base, dir, in->offers[k].requirements_html,
				   in->path, in->offers[k].pos, &req, d);
		}
		free(dir);
	}
	for (size_t i = 0; i < s->nnet; i++) {
		char *dir = xasprintf("networks/%s/", s->net[i].slug);
		check_body(&x, root, base, dir, s->net[i].body_html, s->net[i].path,
			   s->net[i].pos, &the_body, d);
		free(dir);
	}
	for (size_t i = 0; i < s->npages; i++) {
		char *dir = xasprintf("%s/", s->pages[i].slug);
		check_body(&x, root, base, dir, s->pages[i].body_html, s->pages[i].path,
			   s->pages[i].pos, &the_body, d);
		free(dir);
	}
	for (size_t i = 0; i < s->ntr; i++) {
		const translation *t = &s->tr[i];
		char *dir = translation_dir(t);
		check_body(&x, root, base, dir, t->body_html, t->path, t->pos,
			   &the_body, d);
		free(dir);
	}
	for (size_t i = 0; i < s->nrefused; i++)
		check_refused(&x, root, base, &s->refused[i], d);
	link_ctx_free(&x);
	free(base);
}
