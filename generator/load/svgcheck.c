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

#define XHTML_NS "http://www.w3.org/1999/xhtml"

static int found(char *why, size_t whylen, const char *what, const xmlChar *prefix,
		 const xmlChar *name)
{
	if (prefix && name)
		snprintf(why, whylen, "%s (%s:%s)", what, prefix, name);
	else if (name)
		snprintf(why, whylen, "%s (%s)", what, name);
	else
		snprintf(why, whylen, "%s", what);
	return SVG_ACTIVE;
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
 * the machine: http:, https:, ftp:, file: or scheme-relative (//host). */
static int outside(const char *s)
{
	return !strncmp(s, "http:", 5) || !strncmp(s, "https:", 6) ||
	       !strncmp(s, "ftp:", 4) || !strncmp(s, "file:", 5) ||
	       !strncmp(s, "//", 2);
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

static int starts_on(const xmlChar *s)
{
	return s && (s[0] == 'o' || s[0] == 'O') && (s[1] == 'n' || s[1] == 'N');
}

static int check_attributes(xmlDoc *doc, xmlNode *el, char *why, size_t whylen)
{
	for (xmlAttr *a = el->properties; a; a = a->next) {
		const xmlChar *prefix = a->ns ? a->ns->prefix : NULL;
		if (starts_on(a->name))
			return found(why, whylen, "an event attribute", prefix,
				     a->name);
		xmlChar *v = xmlNodeListGetString(doc, a->children, 1);
		int bad = 0;
		if (v && script_address(v))
			bad = prefix ? found(why, whylen, "a javascript: address",
					     prefix, a->name)
				     : found(why, whylen, "a javascript: address",
					     NULL, a->name);
		else if (v && !strcasecmp((const char *)a->name, "attributeName") &&
			 starts_on(v))
			bad = found(why, whylen, "an animated event attribute",
				    NULL, v);
		else if (v && strcasecmp((const char *)el->name, "a") &&
			 (!strcasecmp((const char *)a->name, "href") ||
			  !strcasecmp((const char *)a->name, "src"))) {
			/* what the picture loads by itself as it is shown (a
			 * link, <a>, loads only when followed) */
			char *q = squeezed(v);
			if (outside(q))
				bad = found(why, whylen, "a reference to a file "
					    "elsewhere", prefix, a->name);
			free(q);
		} else if (v && css_fetches(v, !strcasecmp((const char *)a->name,
							   "style"))) {
			bad = found(why, whylen, "a style that may fetch from "
				    "elsewhere", prefix, a->name);
		} else if (v && (!strcasecmp((const char *)a->name, "to") ||
				 !strcasecmp((const char *)a->name, "from") ||
				 !strcasecmp((const char *)a->name, "by") ||
				 !strcasecmp((const char *)a->name, "values")) &&
			   animates_outside(v)) {
			bad = found(why, whylen, "an animation to an address "
				    "elsewhere", prefix, a->name);
		}
		xmlFree(v);
		if (bad)
			return 1;
	}
	return 0;
}

/* Every node below (and with) top, without recursion: the depth of the
 * tree is the file's to choose. */
static int check_tree(xmlDoc *doc, xmlNode *top, char *why, size_t whylen)
{
	xmlNode *n = top;
	while (n) {
		if (n->type == XML_PI_NODE &&
		    !strcasecmp((const char *)n->name, "xml-stylesheet"))
			return found(why, whylen, "a stylesheet instruction "
				     "(xml-stylesheet)", NULL, NULL);
		if (n->type == XML_ENTITY_REF_NODE)
			return found(why, whylen, "an entity", NULL, n->name);
		if (n->type == XML_ELEMENT_NODE) {
			const xmlChar *prefix = n->ns ? n->ns->prefix : NULL;
			if (active_element(n->name))
				return found(why, whylen, "a script or embedded "
					     "document element", prefix, n->name);
			if (n->ns && n->ns->href &&
			    !strcmp((const char *)n->ns->href, XHTML_NS))
				return found(why, whylen, "an XHTML element",
					     prefix, n->name);
			if (check_attributes(doc, n, why, whylen))
				return 1;
			if (!strcasecmp((const char *)n->name, "style")) {
				xmlChar *css = xmlNodeGetContent(n);
				int bad = css && css_fetches(css, 1);
				xmlFree(css);
				if (bad)
					return found(why, whylen, "a style that "
						     "may fetch from elsewhere",
						     prefix, n->name);
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
	return 0;
}

static int declares_entities(xmlDtd *dtd)
{
	if (!dtd)
		return 0;
	for (xmlNode *n = dtd->children; n; n = n->next)
		if (n->type == XML_ENTITY_DECL)
			return 1;
	return 0;
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

int svg_active_content(const char *data, size_t len, char *why, size_t whylen)
{
	if (len > (size_t)INT_MAX) {
		found(why, whylen, "is more than libxml2 reads", NULL, NULL);
		return SVG_ILL_FORMED;
	}
	/* Read as a browser reads it, or refused. A declared encoding the
	 * browser does not know (UTF-7) would make libxml2 and the browser
	 * see two documents: +ADw-!-- is a comment to one and text to the
	 * other. So the bytes must be UTF-8, say so or nothing, and are
	 * parsed as UTF-8 whatever they say. */
	size_t bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	const char *enc;
	size_t elen;
	if (!chars_is_utf8(data + bom, len - bom)) {
		found(why, whylen, "is not UTF-8 text", NULL, NULL);
		return SVG_ILL_FORMED;
	}
	if (declared_encoding(data + bom, len - bom, &enc, &elen) &&
	    !(elen == 5 && !strncasecmp(enc, "UTF-8", 5)) &&
	    !(elen == 8 && !strncasecmp(enc, "US-ASCII", 8))) {
		snprintf(why, whylen, "declares the encoding %.*s, not UTF-8",
			 (int)(elen > 40 ? 40 : elen), enc);
		return SVG_ILL_FORMED;
	}
	xmlDoc *doc = xmlReadMemory(data, (int)len, NULL, "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC);
	if (!doc) {
		found(why, whylen, "is not well-formed XML", NULL, NULL);
		return SVG_ILL_FORMED;
	}
	int bad = 0;
	if (declares_entities(doc->intSubset))
		bad = found(why, whylen, "an entity declaration", NULL, NULL);
	/* processing instructions and comments before and after the root
	 * are the document's children */
	for (xmlNode *n = doc->children; n && !bad; n = n->next)
		if (n->type != XML_DTD_NODE)
			bad = check_tree(doc, n, why, whylen);
	xmlFreeDoc(doc);
	return bad;
}
