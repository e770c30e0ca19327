/* exports.c - open data and machine-read files: partners.geojson (RFC 7946),
 * partners.csv (RFC 4180), sitemap.xml and an Atom feed. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "../util/arena.h"
#include "../util/chars.h"
#include "text.h"

static cJSON *string_array(const strlist *l)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

static void add_opt(cJSON *o, const char *key, const char *val)
{
	if (val)
		cJSON_AddStringToObject(o, key, val);
	else
		cJSON_AddNullToObject(o, key);
}

/* The absolute URL of a page (routes.h), as sitemap, feed and open data
 * name it. */
static char *page_url(const render_ctx *r, route_kind kind, const char *key)
{
	return route_url(r->s->cfg.base_url, (route){kind, key, 0});
}

/* GeoJSON wants [longitude, latitude]; six decimals are ~0.1 m. */
static cJSON *point(double lat, double lon)
{
	cJSON *g = cJSON_CreateObject();
	cJSON_AddStringToObject(g, "type", "Point");
	cJSON *c = cJSON_AddArrayToObject(g, "coordinates");
	cJSON_AddItemToArray(c, cJSON_CreateNumber(lon));
	cJSON_AddItemToArray(c, cJSON_CreateNumber(lat));
	return g;
}

/* One institution as a GeoJSON Feature. */
static cJSON *geojson_feature(const render_ctx *r, const institution *in)
{
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "type", "Feature");
	cJSON_AddStringToObject(f, "id", in->slug);
	cJSON_AddItemToObject(f, "geometry", point(in->lat, in->lon));
	cJSON *p = cJSON_AddObjectToObject(f, "properties");
	cJSON_AddStringToObject(p, "slug", in->slug);
	cJSON_AddStringToObject(p, "name", in->name);
	cJSON_AddStringToObject(p, "city", in->city);
	cJSON_AddStringToObject(p, "country", in->country);
	add_opt(p, "country_name", c ? c->name : NULL);
	cJSON_AddItemToObject(p, "networks", string_array(&in->networks));
	cJSON_AddItemToObject(p, "exchanges", string_array(&in->exchanges));
	cJSON_AddItemToObject(p, "electives", string_array(&in->electives));
	add_opt(p, "website", in->website);
	add_opt(p, "email", in->email);
	add_opt(p, "joined", in->joined);
	char *url = page_url(r, ROUTE_INSTITUTION, in->slug);
	cJSON_AddStringToObject(p, "url", url);
	cJSON *offers = cJSON_AddArrayToObject(p, "offers");
	for (size_t k = 0; k < in->noffers; k++)
		cJSON_AddItemToArray(offers, export_offer(in, &in->offers[k], url));
	free(url);
	cJSON_AddItemToObject(p, "professions", string_array(&in->professions));
	cJSON_AddItemToObject(p, "languages_of_instruction",
			      string_array(&in->languages_of_instruction));
	add_opt(p, "updated", in->updated);
	add_opt(p, "local_name", in->local_name);
	return f;
}

/* The FeatureCollection as cJSON prints it unformatted, one feature at a
 * time: the file is as large as the site, and a tree of it all would be
 * several times larger. */
int export_geojson_each(const render_ctx *r, buf_t *out, export_flush flush,
			void *arg)
{
	render_splice *sp = render_splice_of(flush, arg);
	buf_puts(out, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (size_t i = 0; i < r->s->ninst; i++) {
		int took = splice_take(sp, i, i > 0, out);
		if (took < 0)
			return -1;
		if (!took) {
			size_t from = out->len;
			arena_begin(); /* the feature's tree and text (util/arena.h) */
			cJSON *f = geojson_feature(r, &r->s->inst[i]);
			char *json = cJSON_PrintUnformatted(f);
			cJSON_Delete(f);
			if (json) {
				if (i)
					buf_putc(out, ',');
				buf_puts(out, json);
				cJSON_free(json);
			}
			arena_end();
			if (!json)
				return -1;
			splice_made(sp, i, i > 0, from, out);
		}
		if (flush && out->len >= EXPORT_PIECE && flush(arg, out) < 0)
			return -1;
	}
	if (splice_put(sp, out) < 0)
		return -1;
	buf_puts(out, "]}\n");
	return flush ? flush(arg, out) : 0;
}

int export_geojson(const render_ctx *r, buf_t *out)
{
	return export_geojson_each(r, out, NULL, NULL);
}

/* Does a spreadsheet read a cell starting at s as a formula? OWASP's
 * "CSV Injection" names =, +, -, @, tab and carriage return; the
 * full-width =, +, - and @ (U+FF1D, U+FF0B, U+FF0D, U+FF20) are read so
 * by some spreadsheets too. */
static int formula_lead(const char *s)
{
	if (*s && strchr("=+-@\t\r", *s))
		return 1;
	return !strncmp(s, "\xEF\xBC\x9D", 3) || !strncmp(s, "\xEF\xBC\x8B", 3) ||
	       !strncmp(s, "\xEF\xBC\x8D", 3) || !strncmp(s, "\xEF\xBC\xA0", 3);
}

/* One CSV field of text: quoted when it holds a comma, quote, CR or LF,
 * quotes doubled (RFC 4180). Text a spreadsheet would run as a formula
 * (=HYPERLINK(...)) gets a ' in front, inside quotes, as OWASP advises:
 * the cell then shows the text as written. NULL is an empty field. */
static void csv_field(buf_t *out, const char *s, int last)
{
	int neutral = s && formula_lead(s);
	if (s && (neutral || strpbrk(s, ",\"\r\n"))) {
		buf_putc(out, '"');
		if (neutral)
			buf_putc(out, '\'');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				buf_putc(out, '"');
			buf_putc(out, *p);
		}
		buf_putc(out, '"');
	} else if (s)
		buf_puts(out, s);
	buf_puts(out, last ? "\r\n" : ",");
}

/* A number the tool wrote itself from a double (text_put_fixed: digits,
 * one dot, perhaps a leading minus): never text from a record, so its
 * minus stays a minus and the cell stays a number. */
static void csv_number(buf_t *out, double v, int last)
{
	text_put_fixed(out, v, 6);
	buf_puts(out, last ? "\r\n" : ",");
}

enum offer_part { OFFER_DISCIPLINES, OFFER_LANGUAGES, OFFER_MONTHS };

/* What in's offers give, all of them together, each once, joined by
 * ";": disciplines and languages in first-seen order, months as numbers
 * 1-12 in calendar order. "" when none gives any. */
static char *offers_union(const institution *in, enum offer_part part)
{
	strlist seen = {0};
	unsigned months = 0;
	seen.v = xcalloc(1, sizeof *seen.v);
	for (size_t i = 0; i < in->noffers; i++) {
		const offer *o = &in->offers[i];
		const strlist *l = part == OFFER_DISCIPLINES ? &o->disciplines :
			&o->languages;
		months |= o->months;
		for (size_t k = 0; part != OFFER_MONTHS && k < l->n; k++) {
			size_t j = 0;
			while (j < seen.n && strcmp(seen.v[j], l->v[k]))
				j++;
			if (j < seen.n)
				continue;
			seen.v = xreallocarray(seen.v, seen.n + 1, sizeof *seen.v);
			seen.v[seen.n++] = l->v[k];
		}
	}
	buf_t b = BUF_INIT;
	for (size_t j = 0; j < seen.n; j++)
		buf_printf(&b, "%s%s", j ? ";" : "", seen.v[j]);
	for (int m = 0; part == OFFER_MONTHS && m < 12; m++)
		if ((months >> m) & 1u)
			buf_printf(&b, "%s%d", b.len ? ";" : "", m + 1);
	free(seen.v);
	buf_cstr(&b);
	return buf_detach(&b);
}

/* partners.csv: one row per institution. Every column but latitude and
 * longitude is text and goes through csv_field; those two are numbers. */
static const char *const csv_head[] = {
	"slug", "name", "city", "country", "country_name", "latitude",
	"longitude", "networks", "exchanges", "electives", "website",
	"email", "joined", "url", "disciplines", "languages", "months",
	"updated", "local_name"};
enum { CSV_LAT = 5, CSV_LON = 6,
       CSV_COLS = sizeof csv_head / sizeof csv_head[0] };

static void export_csv_head(buf_t *out)
{
	for (size_t k = 0; k < CSV_COLS; k++)
		csv_field(out, csv_head[k], k + 1 == CSV_COLS);
}

static void export_csv_row(const render_ctx *r, size_t i, buf_t *out)
{
	const institution *in = &r->s->inst[i];
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	char *nets = strlist_join(&in->networks);
	char *ex = strlist_join(&in->exchanges);
	char *el = strlist_join(&in->electives);
	char *url = page_url(r, ROUTE_INSTITUTION, in->slug);
	char *dis = offers_union(in, OFFER_DISCIPLINES);
	char *lang = offers_union(in, OFFER_LANGUAGES);
	char *months = offers_union(in, OFFER_MONTHS);
	const char *row[] = {
		in->slug, in->name, in->city, in->country, c ? c->name : "",
		NULL, NULL, nets, ex, el, in->website, in->email,
		in->joined, url, dis, lang, months, in->updated, in->local_name};
	for (size_t k = 0; k < CSV_COLS; k++) {
		if (k == CSV_LAT || k == CSV_LON)
			csv_number(out, k == CSV_LAT ? in->lat : in->lon,
				   k + 1 == CSV_COLS);
		else
			csv_field(out, row[k], k + 1 == CSV_COLS);
	}
	free(nets);
	free(ex);
	free(el);
	free(url);
	free(dis);
	free(lang);
	free(months);
}

/* A line written with its CRLF, as a string without it. */
static char *csv_line(buf_t *b)
{
	b->len -= 2;
	b->ptr[b->len] = '\0';
	return buf_detach(b);
}

char *export_csv_head_line(void)
{
	buf_t b = BUF_INIT;
	export_csv_head(&b);
	return csv_line(&b);
}

char *export_csv_row_line(const render_ctx *r, size_t i)
{
	buf_t b = BUF_INIT;
	export_csv_row(r, i, &b);
	return csv_line(&b);
}

static int export_csv_part(const render_ctx *r, inst_filter only, buf_t *out,
			   export_flush flush, void *arg)
{
	render_splice *sp = render_splice_of(flush, arg);
	export_csv_head(out);
	for (size_t i = 0; i < r->s->ninst; i++) {
		if (!inst_filter_keeps(only, &r->s->inst[i]))
			continue;
		int took = splice_take(sp, i, 0, out);
		if (took < 0)
			return -1;
		if (!took) {
			size_t from = out->len;
			export_csv_row(r, i, out);
			splice_made(sp, i, 0, from, out);
		}
		if (flush && out->len >= EXPORT_PIECE && flush(arg, out) < 0)
			return -1;
	}
	return flush ? flush(arg, out) : 0;
}

int export_csv_where(const render_ctx *r, inst_filter only, buf_t *out,
		     export_flush flush, void *arg)
{
	return export_csv_part(r, only, out, flush, arg);
}

int export_csv_each(const render_ctx *r, buf_t *out, export_flush flush,
		    void *arg)
{
	return export_csv_part(r, INST_ALL, out, flush, arg);
}

int export_csv(const render_ctx *r, buf_t *out)
{
	return export_csv_part(r, INST_ALL, out, NULL, NULL);
}

/* ---- XML: sitemap and feed, through xmlTextWriter ----------------------- */

typedef struct xml_out {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	/* where a file written in pieces goes (xml_drain); flush NULL: the
	 * whole file stays in buf until xml_close */
	buf_t *out;
	export_flush flush;
	void *arg;
} xml_out;

static int xml_open(xml_out *x)
{
	*x = (xml_out){0};
	x->buf = xmlBufferCreate();
	x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
	if (!x->w) {
		if (x->buf)
			xmlBufferFree(x->buf);
		return -1;
	}
	xmlTextWriterSetIndent(x->w, 1);
	xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
	return xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0 ? -1 : 0;
}

/* Move what the writer made into x->out (emptying x->buf), and hand
 * it to x->flush once it holds EXPORT_PIECE bytes, or always when last
 * is set. 0, or -1 when a write failed. */
static int xml_drain(xml_out *x, int last)
{
	if (!x->flush && !last)
		return 0;
	if (xmlTextWriterFlush(x->w) < 0)
		return -1;
	buf_put(x->out, xmlBufferContent(x->buf), (size_t)xmlBufferLength(x->buf));
	xmlBufferEmpty(x->buf);
	if (!x->flush || (!last && x->out->len < EXPORT_PIECE))
		return 0;
	return x->flush(x->arg, x->out);
}

static int xml_close(xml_out *x, buf_t *out, int ok)
{
	x->out = out;
	if (ok && xmlTextWriterEndDocument(x->w) < 0)
		ok = 0;
	if (ok && xml_drain(x, 1) < 0)
		ok = 0;
	xmlFreeTextWriter(x->w);
	xmlBufferFree(x->buf);
	return ok ? 0 : -1;
}

/* Element text and attribute values leave out what XML 1.0 forbids even
 * escaped (util/chars.h): the loader refuses those characters, this keeps
 * the file well-formed whatever reached the model. */
static int write_clean(xmlTextWriterPtr w,
		       int (*write)(xmlTextWriterPtr, const xmlChar *,
				    const xmlChar *),
		       const char *name, const char *text)
{
	char *clean = chars_strip_unsafe(text);
	int rc = write(w, BAD_CAST name, BAD_CAST(clean ? clean : text));
	free(clean);
	return rc;
}

static int elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	return write_clean(w, xmlTextWriterWriteElement, name, text);
}

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return write_clean(w, xmlTextWriterWriteAttribute, name, value);
}

/* <xhtml:link rel="alternate" hreflang=".." href=".."/>: the page in
 * one language (Google's sitemap extension for localised pages). */
static int sitemap_alternate(xmlTextWriterPtr w, const char *lang,
			     const char *base_url, route at)
{
	char *u = route_url(base_url, at);
	int rc = xmlTextWriterStartElement(w, BAD_CAST "xhtml:link");
	if (rc >= 0) rc = attr(w, "rel", "alternate");
	if (rc >= 0) rc = attr(w, "hreflang", lang);
	if (rc >= 0) rc = attr(w, "href", u);
	if (rc >= 0) rc = xmlTextWriterEndElement(w);
	free(u);
	return rc < 0 ? -1 : 0;
}

/* One <url> of page `at` in language k of r->langs (the site's own
 * base_url when there is one language), with its alternates in every
 * language and x-default (the default language) when there are more. */
static int sitemap_url(const render_ctx *r, xml_out *x, route at, size_t k)
{
	xmlTextWriterPtr w = x->w;
	const char *base = r->nlangs > 1 ? r->langs[k].base_url :
		r->s->cfg.base_url;
	char *loc = route_url(base, at);
	int rc = xmlTextWriterStartElement(w, BAD_CAST "url");
	if (rc >= 0)
		rc = elem(w, "loc", loc);
	for (size_t m = 0; rc >= 0 && r->nlangs > 1 && m <= r->nlangs; m++)
		rc = sitemap_alternate(w, m < r->nlangs ? r->langs[m].tag :
				       "x-default", r->langs[m % r->nlangs].base_url,
				       at);
	if (rc >= 0)
		rc = xmlTextWriterEndElement(w);
	free(loc);
	return rc < 0 ? -1 : xml_drain(x, 0);
}

/* Every page of a listing of `members` institutions (paging.c): its
 * first page, and the numbered ones when it has more. */
static int sitemap_listing(const render_ctx *r, xml_out *x,
			   route_kind kind, const char *key, size_t members)
{
	size_t pages = paging_pages(r, members);
	int rc = 0;
	size_t langs = r->nlangs > 1 ? r->nlangs : 1;
	for (size_t p = 1; rc == 0 && p <= pages; p++)
		for (size_t k = 0; rc == 0 && k < langs; k++)
			rc = sitemap_url(r, x, (route){kind, key, (int)p}, k);
	return rc;
}

static int sitemap_page(const render_ctx *r, xml_out *x,
			route_kind kind, const char *key)
{
	return sitemap_listing(r, x, kind, key, 0);
}

int export_sitemap(const render_ctx *r, buf_t *out)
{
	return export_sitemap_each(r, out, NULL, NULL);
}

int export_sitemap_each(const render_ctx *r, buf_t *out, export_flush flush,
			void *arg)
{
	xml_out x;
	if (xml_open(&x) < 0)
		return -1;
	x.out = out;
	x.flush = flush;
	x.arg = arg;
	int rc = xmlTextWriterStartElement(x.w, BAD_CAST "urlset");
	if (rc >= 0)
		rc = xmlTextWriterWriteAttribute(x.w, BAD_CAST "xmlns",
			BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
	if (rc >= 0 && r->nlangs > 1)
		rc = xmlTextWriterWriteAttribute(x.w, BAD_CAST "xmlns:xhtml",
			BAD_CAST "http://www.w3.org/1999/xhtml");
	rc = rc < 0 ? -1 : sitemap_page(r, &x, ROUTE_HOME, NULL);
	for (size_t p = 0; rc == 0 && p < r->s->npages; p++)
		rc = sitemap_page(r, &x, ROUTE_PAGE, r->s->pages[p].slug);
	for (size_t n = 0; rc == 0 && n < r->s->nnet; n++)
		rc = sitemap_listing(r, &x, ROUTE_NETWORK, r->s->net[n].slug,
				     r->net_count[n]);
	for (size_t g = 0; rc == 0 && g < r->ngroups; g++)
		rc = sitemap_listing(r, &x, ROUTE_COUNTRY, r->groups[g].c->alpha2,
				     r->groups[g].count);
	for (size_t i = 0; rc == 0 && i < r->s->ninst; i++)
		rc = sitemap_page(r, &x, ROUTE_INSTITUTION, r->s->inst[i].slug);
	for (size_t e = 0; rc == 0 && e < RENDER_ELECTIVES; e++)
		rc = sitemap_listing(r, &x, ROUTE_ELECTIVE, render_electives[e],
				     r->elective_count[e]);
	if (rc == 0 && xmlTextWriterEndElement(x.w) < 0)
		rc = -1;
	return xml_close(&x, out, rc == 0);
}

/* Feed entries: institutions with a joined date, newest first (slug breaks
 * ties so the order never depends on the file system). */
typedef struct dated {
	const char *joined, *slug;
	size_t index;
} dated;

static int cmp_newest(const void *a, const void *b)
{
	const dated *x = a, *y = b;
	int c = strcmp(y->joined, x->joined);
	return c ? c : strcmp(x->slug, y->slug);
}

#define FEED_ENTRIES 100

/* A joined date, "2019-04-01", as the RFC 3339 time Atom wants: the
 * start of that day in UTC. A fresh string. */
static char *feed_time(const char *date)
{
	return xasprintf("%sT00:00:00Z", date);
}

static int feed_entry(const render_ctx *r, xmlTextWriterPtr w, const institution *in)
{
	const country *c = country_by_alpha2(&r->s->countries, in->country);
	char *url = page_url(r, ROUTE_INSTITUTION, in->slug);
	char *updated = feed_time(in->joined);
	char *summary = xasprintf("%s, %s joined the network.", in->city,
				  c ? c->name : in->country);
	int rc = xmlTextWriterStartElement(w, BAD_CAST "entry");
	if (rc >= 0) rc = elem(w, "title", in->name);
	if (rc >= 0) rc = xmlTextWriterStartElement(w, BAD_CAST "link");
	if (rc >= 0) rc = attr(w, "href", url);
	if (rc >= 0) rc = xmlTextWriterEndElement(w);
	if (rc >= 0) rc = elem(w, "id", url);
	if (rc >= 0) rc = elem(w, "updated", updated);
	if (rc >= 0) rc = elem(w, "summary", summary);
	if (rc >= 0) rc = xmlTextWriterEndElement(w);
	free(url);
	free(updated);
	free(summary);
	return rc < 0 ? -1 : 0;
}

static int feed_link(xmlTextWriterPtr w, const char *rel, const char *href)
{
	int rc = xmlTextWriterStartElement(w, BAD_CAST "link");
	if (rc >= 0 && rel)
		rc = attr(w, "rel", rel);
	if (rc >= 0)
		rc = attr(w, "href", href);
	if (rc >= 0)
		rc = xmlTextWriterEndElement(w);
	return rc;
}

int export_feed(const render_ctx *r, buf_t *out)
{
	const site *s = r->s;
	dated *v = xcalloc(s->ninst ? s->ninst : 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < s->ninst; i++)
		if (s->inst[i].joined)
			v[n++] = (dated){s->inst[i].joined, s->inst[i].slug, i};
	qsort(v, n, sizeof *v, cmp_newest);

	xml_out x;
	if (xml_open(&x) < 0) {
		free(v);
		return -1;
	}
	char *self = xconcat(s->cfg.base_url, ROUTE_FEED);
	/* With no dated entry the feed still needs an updated date: the
	 * build's source date (r->updated), never the clock. */
	char *updated = n ? feed_time(v[0].joined) :
		xstrdup(r->updated ? r->updated : RENDER_EPOCH);
	int rc = xmlTextWriterStartElement(x.w, BAD_CAST "feed");
	if (rc >= 0) rc = xmlTextWriterWriteAttribute(x.w, BAD_CAST "xmlns",
					BAD_CAST "http://www.w3.org/2005/Atom");
	if (rc >= 0) rc = elem(x.w, "title", s->cfg.title);
	if (rc >= 0 && s->cfg.description) rc = elem(x.w, "subtitle", s->cfg.description);
	if (rc >= 0) rc = feed_link(x.w, "self", self);
	if (rc >= 0) rc = feed_link(x.w, NULL, s->cfg.base_url);
	if (rc >= 0) rc = elem(x.w, "id", s->cfg.base_url);
	if (rc >= 0) rc = elem(x.w, "updated", updated);
	if (rc >= 0) rc = xmlTextWriterStartElement(x.w, BAD_CAST "author");
	if (rc >= 0) rc = elem(x.w, "name", s->cfg.title);
	if (rc >= 0) rc = xmlTextWriterEndElement(x.w);
	for (size_t k = 0; rc >= 0 && k < n && k < FEED_ENTRIES; k++)
		rc = feed_entry(r, x.w, &s->inst[v[k].index]);
	if (rc >= 0)
		rc = xmlTextWriterEndElement(x.w);
	free(self);
	free(updated);
	free(v);
	return xml_close(&x, out, rc >= 0);
}
