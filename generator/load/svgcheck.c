/* svgcheck.c - whether an SVG file could run script (svgcheck.h). */
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

/* A value that a browser takes for a script address: javascript: or
 * vbscript:, once blanks and controls (which URL parsing strips or
 * ignores) are left out, in any case. */
static int script_address(const xmlChar *value)
{
	size_t n = strlen((const char *)value);
	char *s = xmalloc(n + 1), *o = s;
	for (const xmlChar *p = value; *p; p++)
		if (*p > 0x20)
			*o++ = (char)tolower(*p);
	*o = '\0';
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

int svg_active_content(const char *data, size_t len, char *why, size_t whylen)
{
	if (len > (size_t)INT_MAX) {
		found(why, whylen, "more than libxml2 reads", NULL, NULL);
		return SVG_ILL_FORMED;
	}
	xmlDoc *doc = xmlReadMemory(data, (int)len, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	if (!doc) {
		found(why, whylen, "XML that is not well-formed", NULL, NULL);
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
