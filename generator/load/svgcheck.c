/* svgcheck.c - whether an SVG file could run script (svgcheck.h). */
#define _GNU_SOURCE /* memmem */
#include "svgcheck.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../util/buf.h"
#include "../util/chars.h"
#include "frontmatter.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"

/* The state of a scan: the bytes, where the last element was met in
 * them (document order is the text's order), the position of an offset
 * kept so that each is counted from the last, and what was found. */
typedef struct scan {
	const char *data;
	size_t len;
	xmlDoc *doc;
	size_t at;       /* the offset of the element being checked */
	size_t next;     /* where the search for the next one starts */
	size_t pos_off;  /* pos is the position of this offset */
	fm_pos pos;
	svg_problem *out;
	size_t max, n;
} scan;

/* The line and column of offset off, counted on from the last asked. */
static void position(scan *s, size_t off, int *line, int *col)
{
	if (off < s->pos_off) {
		fm_pos_init(&s->pos);
		s->pos_off = 0;
	}
	for (; s->pos_off < off && s->pos_off < s->len; s->pos_off++)
		fm_pos_step(&s->pos, (unsigned char)s->data[s->pos_off]);
	*line = s->pos.line;
	*col = s->pos.col;
}

/* One problem, at offset off: what, with the prefixed name it concerns. */
static void found(scan *s, int kind, size_t off, const char *what,
		  const xmlChar *prefix, const xmlChar *name)
{
	if (s->n++ >= s->max)
		return;
	svg_problem *p = &s->out[s->n - 1];
	p->kind = kind;
	position(s, off, &p->line, &p->col);
	if (prefix && name)
		snprintf(p->what, sizeof p->what, "%s (%s:%s)", what, prefix, name);
	else if (name)
		snprintf(p->what, sizeof p->what, "%s (%s)", what, name);
	else
		snprintf(p->what, sizeof p->what, "%s", what);
}

static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' ||
	       c == ':' || (unsigned char)c >= 0x80;
}

/* The offset of text (ending in a name, which a character no name holds
 * ends), from offset from on; from itself when it is not there. */
static size_t find_from(const scan *s, size_t from, const char *text)
{
	size_t n = strlen(text);
	const char *end = s->data + s->len;
	for (const char *p = s->data + from; p + n <= end; p++) {
		p = memmem(p, (size_t)(end - p), text, n);
		if (!p)
			break;
		if (p + n == end || !is_name_char(p[n]))
			return (size_t)(p - s->data);
	}
	return from;
}

/* The prefixed name of a node or attribute ("x:script"), into buf. */
static const char *qname(const xmlChar *prefix, const xmlChar *name,
			 char *buf, size_t cap)
{
	if (prefix)
		snprintf(buf, cap, "%s:%s", prefix, name);
	else
		snprintf(buf, cap, "%s", name);
	return buf;
}

/* Where the attribute a of the element being checked is written: its
 * name after a blank, in the element's start tag. */
static size_t attribute_at(const scan *s, const xmlAttr *a)
{
	char name[256];
	qname(a->ns ? a->ns->prefix : NULL, a->name, name, sizeof name);
	size_t n = strlen(name);
	for (size_t i = s->at + 1; i + n < s->len && s->data[i] != '>'; i++)
		if ((s->data[i - 1] == ' ' || s->data[i - 1] == '\t' ||
		     s->data[i - 1] == '\n' || s->data[i - 1] == '\r') &&
		    !memcmp(s->data + i, name, n) && !is_name_char(s->data[i + n]))
			return i;
	return s->at;
}

/* An element that runs script or embeds a document, by its local name in
 * any case. */
static int active_element(const xmlChar *name)
{
	static const char *const names[] = {"script", "handler", "listener",
					    "foreignObject", "iframe", "embed",
					    "object", NULL};
	for (size_t i = 0; names[i]; i++)
		if (!strcasecmp((const char *)name, names[i]))
			return 1;
	return 0;
}

/* s, lower-cased, without blanks and controls (as a URL or CSS parser
 * passes them over). Fresh. */
static char *squeezed(const xmlChar *value)
{
	char *s = xmalloc(strlen((const char *)value) + 1), *o = s;
	for (const xmlChar *p = value; *p; p++)
		if (*p > 0x20)
			*o++ = (char)tolower(*p);
	*o = '\0';
	return s;
}

/* Whether a squeezed address leads out of the file to another server or
 * the machine: http:, https:, ftp:, file: or scheme-relative (//host).
 * A browser reads a '\\' as a '/' in such an address (the WHATWG URL
 * Standard), so \\host, /\host and \/host are scheme-relative too. */
static int outside(const char *s)
{
	int slashes = (s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\');
	return !strncmp(s, "http:", 5) || !strncmp(s, "https:", 6) ||
	       !strncmp(s, "ftp:", 4) || !strncmp(s, "file:", 5) || slashes;
}

/* Whether a squeezed address is a data: address a browser may open as a
 * document, which may run script: any one followed as a link (link set;
 * an <a>), and any one the picture loads itself but a raster image (PNG,
 * JPEG, GIF, WebP, AVIF: an SVG or HTML document may script). The media
 * type ends at ';' or ',' (RFC 2397). */
static int data_document(const char *s, int link)
{
	static const char *const raster[] = {"png", "jpeg", "gif", "webp", "avif",
					     NULL};
	if (strncmp(s, "data:", 5))
		return 0;
	if (link)
		return 1;
	const char *type = s + 5;
	if (strncmp(type, "image/", 6))
		return 1;
	for (size_t i = 0; raster[i]; i++) {
		size_t n = strlen(raster[i]);
		if (!strncmp(type + 6, raster[i], n) &&
		    (type[6 + n] == ';' || type[6 + n] == ','))
			return 0;
	}
	return 1;
}

/* data_document for any part of an animation's value (parts apart by
 * ';'), which sets an address on the element it animates: taken as a
 * link's, as the element may be an <a>. */
static int animates_data(const xmlChar *value)
{
	char *s = squeezed(value);
	int bad = data_document(s, 1);
	for (const char *p = strchr(s, ';'); p && !bad; p = strchr(p + 1, ';'))
		bad = data_document(p + 1, 1);
	free(s);
	return bad;
}

/* Whether CSS text (a style attribute or element, or any attribute's
 * value: fill="url(...)") may fetch from outside the file. Strict, as CSS
 * has many spellings: in CSS (css set), an escape (\\72 for r) or
 * @import; anywhere, any image-set() or image(), and a url() of anything
 * but a reference inside the file (#id). */
static int css_fetches(const xmlChar *text, int css)
{
	char *s = squeezed(text);
	int bad = (css && (strchr(s, '\\') || strstr(s, "@import"))) ||
		  strstr(s, "image-set(") || strstr(s, "image(");
	for (const char *u = strstr(s, "url("); u && !bad; u = strstr(u + 4, "url(")) {
		const char *a = u + 4;
		if (*a == '"' || *a == '\'')
			a++;
		bad = *a != '#';
	}
	free(s);
	return bad;
}

/* Whether an animation's value (to, from, by, values: parts apart by
 * ';') sets an address leading out of the file. */
static int animates_outside(const xmlChar *value)
{
	char *s = squeezed(value);
	int bad = outside(s);
	for (const char *p = strchr(s, ';'); p && !bad; p = strchr(p + 1, ';'))
		bad = outside(p + 1);
	free(s);
	return bad;
}

/* A value that a browser takes for a script address: javascript: or
 * vbscript:, once blanks and controls (which URL parsing strips or
 * ignores) are left out, in any case. */
static int script_address(const xmlChar *value)
{
	char *s = squeezed(value);
	int bad = strstr(s, "javascript:") || strstr(s, "vbscript:");
	free(s);
	return bad;
}

/* An event handler's name: "on" and a word, in any case. The shortest
 * names a browser knows are of five letters (oncut, onend), so a name of
 * three or four ("one", "only") is no handler. */
static int starts_on(const xmlChar *s)
{
	return s && (s[0] == 'o' || s[0] == 'O') && (s[1] == 'n' || s[1] == 'N') &&
	       strlen((const char *)s) >= 5;
}

/* The places in a <style> element's text (the element being checked,
 * qname its name) that may fetch from elsewhere, as written: a url() of
 * anything but an #id, @import, image-set() or image(), or a CSS escape;
 * each a problem at itself, quoting it. Their count (0 when the text
 * hides them otherwise, as with character references). */
static size_t style_spots(scan *s, const char *qname)
{
	const char *open = memchr(s->data + s->at, '>', s->len - s->at);
	if (!open)
		return 0;
	char close[264];
	snprintf(close, sizeof close, "</%s", qname);
	const char *from = open + 1, *end = memmem(from, (size_t)(s->data + s->len - from),
						     close, strlen(close));
	if (!end)
		return 0;
	size_t told = 0;
	for (const char *p = from; p < end; p++) {
		size_t left = (size_t)(end - p), n = 0;
		if (left >= 4 && !strncasecmp(p, "url(", 4)) {
			const char *a = p + 4;
			while (a < end && (*a == ' ' || *a == '\t' || *a == '"' ||
					   *a == '\''))
				a++;
			if (a < end && *a == '#')
				continue;
			const char *e = memchr(p, ')', left);
			n = e ? (size_t)(e - p) + 1 : 4;
		} else if ((left >= 7 && !strncasecmp(p, "@import", 7)) ||
			   (left >= 10 && !strncasecmp(p, "image-set(", 10)) ||
			   (left >= 6 && !strncasecmp(p, "image(", 6))) {
			n = strcspn(p, ";\n");
			if (n > left)
				n = left;
		} else if (*p == '\\') {
			/* the escape: up to six hexadecimal digits, or one
			 * character */
			n = 1;
			while (n < left && n <= 6 && isxdigit((unsigned char)p[n]))
				n++;
			if (n == 1 && left >= 2)
				n = 2;
		} else {
			continue;
		}
		char what[120];
		snprintf(what, sizeof what, "a style that may fetch from elsewhere "
			 "(%.*s)", (int)(n > 60 ? 60 : n), p);
		found(s, SVG_ACTIVE, (size_t)(p - s->data), what, NULL, NULL);
		told++;
		p += n ? n - 1 : 0;
	}
	return told;
}

#define DATA_DOCUMENT "a data: address that opens a document"

static void check_attributes(scan *s, xmlNode *el)
{
	for (xmlAttr *a = el->properties; a; a = a->next) {
		const xmlChar *prefix = a->ns ? a->ns->prefix : NULL;
		const char *name = (const char *)a->name;
		const char *what = NULL;
		const xmlChar *shown = a->name;
		xmlChar *v = starts_on(a->name) ? NULL :
			     xmlNodeListGetString(s->doc, a->children, 1);
		if (starts_on(a->name)) {
			what = "an event attribute";
		} else if (!v) {
			/* an empty value holds nothing */
		} else if (script_address(v)) {
			what = "a javascript: address";
		} else if (!strcasecmp(name, "attributeName") && starts_on(v)) {
			what = "an animated event attribute";
			shown = v;
			prefix = NULL;
		} else if (!strcasecmp(name, "href") || !strcasecmp(name, "src")) {
			/* what the picture loads by itself as it is shown (a
			 * link, <a>, loads only when followed) */
			int link = !strcasecmp((const char *)el->name, "a");
			char *q = squeezed(v);
			if (data_document(q, link))
				what = DATA_DOCUMENT;
			else if (!link && outside(q))
				what = "a reference to a file elsewhere";
			free(q);
		} else if (css_fetches(v, !strcasecmp(name, "style"))) {
			what = "a style that may fetch from elsewhere";
		} else if ((!strcasecmp(name, "to") || !strcasecmp(name, "from") ||
			    !strcasecmp(name, "by") || !strcasecmp(name, "values")) &&
			   animates_outside(v)) {
			what = "an animation to an address elsewhere";
		} else if ((!strcasecmp(name, "to") || !strcasecmp(name, "from") ||
			    !strcasecmp(name, "by") || !strcasecmp(name, "values")) &&
			   animates_data(v)) {
			what = DATA_DOCUMENT;
		}
		if (what)
			found(s, SVG_ACTIVE, attribute_at(s, a), what, prefix,
			      shown);
		xmlFree(v);
	}
}

/* Every node below (and with) top, without recursion: the depth of the
 * tree is the file's to choose. */
static void check_tree(scan *s, xmlNode *top)
{
	xmlNode *n = top;
	while (n) {
		char name[256];
		if (n->type == XML_PI_NODE &&
		    !strcasecmp((const char *)n->name, "xml-stylesheet")) {
			size_t at = find_from(s, s->next, "<?xml-stylesheet");
			s->next = at + 1;
			found(s, SVG_ACTIVE, at, "a stylesheet instruction "
			      "(xml-stylesheet)", NULL, NULL);
		}
		if (n->type == XML_ENTITY_REF_NODE) {
			snprintf(name, sizeof name, "&%s", n->name);
			found(s, SVG_ACTIVE, find_from(s, s->next, name),
			      "an entity", NULL, n->name);
		}
		if (n->type == XML_ELEMENT_NODE) {
			const xmlChar *prefix = n->ns ? n->ns->prefix : NULL;
			char tag[260];
			snprintf(tag, sizeof tag, "<%s",
				 qname(prefix, n->name, name, sizeof name));
			s->at = find_from(s, s->next, tag);
			s->next = s->at + 1;
			if (active_element(n->name))
				found(s, SVG_ACTIVE, s->at, "a script or embedded "
				      "document element", prefix, n->name);
			else if (n->ns && n->ns->href &&
				 !strcmp((const char *)n->ns->href, XHTML_NS))
				found(s, SVG_ACTIVE, s->at, "an XHTML element",
				      prefix, n->name);
			check_attributes(s, n);
			if (!strcasecmp((const char *)n->name, "style")) {
				xmlChar *css = xmlNodeGetContent(n);
				if (css && css_fetches(css, 1) &&
				    !style_spots(s, name))
					found(s, SVG_ACTIVE, s->at, "a style that "
					      "may fetch from elsewhere", prefix,
					      n->name);
				xmlFree(css);
			}
		}
		/* depth first: down, else along, else up and along */
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && n != top && !n->next)
			n = n->parent;
		if (!n || n == top)
			break;
		n = n->next;
	}
}

/* Each entity the internal subset declares. */
static void check_entities(scan *s, xmlDtd *dtd)
{
	size_t from = 0;
	for (xmlNode *n = dtd ? dtd->children : NULL; n; n = n->next)
		if (n->type == XML_ENTITY_DECL) {
			size_t at = find_from(s, from, "<!ENTITY");
			from = at + 1;
			found(s, SVG_ACTIVE, at, "an entity declaration", NULL,
			      n->name);
		}
}

/* The encoding the XML declaration at the start of data names (its
 * value, n bytes at *name), or 0 when it names none. */
static int declared_encoding(const char *data, size_t len, const char **name,
			     size_t *n)
{
	if (len < 5 || memcmp(data, "<?xml", 5))
		return 0;
	const char *end = memmem(data, len, "?>", 2);
	const char *at = end ? memmem(data, (size_t)(end - data), "encoding", 8)
			     : NULL;
	if (!at)
		return 0;
	at += 8;
	while (at < end && (*at == ' ' || *at == '\t' || *at == '\r' ||
			    *at == '\n' || *at == '='))
		at++;
	if (at >= end || (*at != '"' && *at != '\''))
		return 0;
	const char *q = memchr(at + 1, *at, (size_t)(end - at - 1));
	if (!q)
		return 0;
	*name = at + 1;
	*n = (size_t)(q - at - 1);
	return 1;
}

/* The offset of the first byte of data that is no UTF-8, or len. */
static size_t not_utf8_at(const char *data, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c;
		size_t n = chars_decode(data + i, len - i, &c);
		if (c == 0xFFFD && n == 1)
			return i;
		i += n;
	}
	return len;
}

/* libxml2's first error in a document (a later one may only follow from
 * it: "Premature end of data" after a tag left open). */
typedef struct first_error {
	int seen, line, col;
	char message[160];
} first_error;

/* xmlStructuredErrorFunc for the parser context data, whose _private is
 * a first_error. */
static void on_parse_error(void *data, xmlErrorPtr e)
{
	first_error *f = ((xmlParserCtxt *)data)->_private;
	if (f->seen++ || !e)
		return;
	f->line = e->line;
	f->col = e->int2;
	snprintf(f->message, sizeof f->message, "%s", e->message ? e->message : "");
	f->message[strcspn(f->message, "\n")] = '\0';
}

/* A document libxml2 did not read: its first error's message and place. */
static void not_well_formed(scan *s, const first_error *e)
{
	char what[200];
	if (e->seen && *e->message)
		snprintf(what, sizeof what, "is not well-formed XML (libxml2: %.150s)",
			 e->message);
	else
		snprintf(what, sizeof what, "is not well-formed XML");
	found(s, SVG_ILL_FORMED, 0, what, NULL, NULL);
	if (e->seen && e->line > 0 && s->max) {
		s->out[0].line = e->line;
		s->out[0].col = e->col > 0 ? e->col : 1;
	}
}

/* The largest SVG read, in bytes: libxml2's tree of one takes some 30
 * times its size in memory, and the -j threads read several at once. */
#define SVG_MAX_BYTES ((size_t)8 << 20)

/* The most attributes an element may have: libxml2 compares each of an
 * element's attributes with those before it, so a file of one element
 * with 200,000 took over a minute to read. */
#define SVG_MAX_ATTRIBUTES 1000

/* Where the first start tag with more than SVG_MAX_ATTRIBUTES attributes
 * (its '=' outside quoted values) starts, or len when none: a scan of the
 * bytes before any parse. Comments, CDATA, processing instructions and
 * declarations are passed over. */
static size_t crowded_tag(const char *data, size_t len)
{
	static const struct {
		const char *open, *close;
	} skip[] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"},
		    {"<!", ">"}};
	for (size_t i = 0; i < len;) {
		if (data[i] != '<') {
			i++;
			continue;
		}
		size_t k = 0, left = len - i;
		while (k < sizeof skip / sizeof *skip &&
		       (left < strlen(skip[k].open) ||
			memcmp(data + i, skip[k].open, strlen(skip[k].open))))
			k++;
		if (k < sizeof skip / sizeof *skip) {
			const char *end = memmem(data + i, left, skip[k].close,
						  strlen(skip[k].close));
			if (!end)
				return len;
			i = (size_t)(end - data) + strlen(skip[k].close);
			continue;
		}
		size_t start = i, count = 0;
		char quote = 0;
		for (i++; i < len && (quote || data[i] != '>'); i++) {
			if (quote)
				quote = data[i] == quote ? 0 : quote;
			else if (data[i] == '"' || data[i] == '\'')
				quote = data[i];
			else if (data[i] == '=' && ++count > SVG_MAX_ATTRIBUTES)
				return start;
		}
	}
	return len;
}

size_t svg_problems(const char *data, size_t len, svg_problem *out,
		    size_t max)
{
	scan s = {.data = data, .len = len, .out = out, .max = max};
	fm_pos_init(&s.pos);
	if (len > SVG_MAX_BYTES) {
		found(&s, SVG_ILL_FORMED, 0, "is larger than 8 MiB, more than "
		      "partnermap reads of an SVG (reading one takes some 30 times "
		      "its size in memory)", NULL, NULL);
		return s.n;
	}
	/* Read as a browser reads it, or refused. A declared encoding the
	 * browser does not know (UTF-7) would make libxml2 and the browser
	 * see two documents: +ADw-!-- is a comment to one and text to the
	 * other. So the bytes must be UTF-8, say so or nothing, and are
	 * parsed as UTF-8 whatever they say. */
	size_t bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	const char *enc;
	size_t elen, bad = not_utf8_at(data, len);
	if (bad < len) {
		found(&s, SVG_ILL_FORMED, bad, "is not UTF-8 text", NULL, NULL);
		return s.n;
	}
	if (declared_encoding(data + bom, len - bom, &enc, &elen) &&
	    !(elen == 5 && !strncasecmp(enc, "UTF-8", 5)) &&
	    !(elen == 4 && !strncasecmp(enc, "UTF8", 4)) &&
	    !(elen == 8 && !strncasecmp(enc, "US-ASCII", 8))) {
		char what[80];
		snprintf(what, sizeof what, "declares the encoding %.*s, not UTF-8",
			 (int)(elen > 40 ? 40 : elen), enc);
		found(&s, SVG_ILL_FORMED, (size_t)(enc - data), what, NULL, NULL);
		return s.n;
	}
	size_t crowded = crowded_tag(data, len);
	if (crowded < len) {
		char what[120];
		snprintf(what, sizeof what, "has an element of more than %d "
			 "attributes, which no picture needs (and which takes "
			 "libxml2 long to read)", SVG_MAX_ATTRIBUTES);
		found(&s, SVG_ILL_FORMED, crowded, what, NULL, NULL);
		return s.n;
	}
	first_error e = {0};
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	if (ctxt) {
		ctxt->_private = &e;
		ctxt->sax->serror = on_parse_error;
	}
	xmlDoc *doc = ctxt ? xmlCtxtReadMemory(ctxt, data, (int)len, NULL, "UTF-8",
					       XML_PARSE_NONET | XML_PARSE_NOERROR |
					       XML_PARSE_NOWARNING |
					       XML_PARSE_IGNORE_ENC) : NULL;
	if (!doc)
		not_well_formed(&s, &e);
	xmlFreeParserCtxt(ctxt);
	if (!doc)
		return s.n;
	s.doc = doc;
	check_entities(&s, doc->intSubset);
	/* processing instructions and comments before and after the root
	 * are the document's children */
	for (xmlNode *n = doc->children; n; n = n->next)
		if (n->type != XML_DTD_NODE)
			check_tree(&s, n);
	xmlFreeDoc(doc);
	return s.n;
}
