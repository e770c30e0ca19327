/* svgcheck.h - whether an SVG file of a page bundle could run script.
 *
 * A bundle's SVG is published beside the institution's page, on the
 * site's own address: opened on its own (not through <img>), a browser
 * runs what it holds as part of the site. So a picture is refused when it
 * holds, anywhere, in any namespace or prefix (x:script is a script):
 *   - an element named script, handler or listener (SVG Tiny 1.2), or one
 *     that embeds a document: foreignObject, iframe, embed, object;
 *   - any element of XHTML's namespace (an XHTML script runs in an SVG);
 *   - an attribute whose name starts with "on" (an event handler), or an
 *     animation of one (attributeName="onclick");
 *   - an attribute value that is a javascript: or vbscript: address, as a
 *     browser reads it (case, blanks and controls ignored);
 *   - an xml-stylesheet processing instruction (XSLT may write HTML);
 *   - what the picture would load by itself from another server or the
 *     machine, which tells whoever runs it who opened the page: an href
 *     or src (but a link's, <a>) to an http:, https:, ftp:, file: or
 *     //host address; CSS with an escape or @import; image-set(), or a
 *     url() of anything but an #id, in any attribute; an animation's
 *     value leading out;
 *   - an entity declaration (a browser expands it into markup this check
 *     would not see; an external DTD, which browsers do not load, is
 *     left alone);
 *   - or XML that is not well-formed, which browsers render up to the
 *     fault; or bytes that are not UTF-8, or declare another encoding
 *     (a browser and libxml2 may decode them apart: UTF-7's +ADw- is '<'
 *     to one and text to the other). UTF-8 bytes are parsed as UTF-8,
 *     whatever they declare.
 * It errs on the side of refusing: the fix is always to give the picture
 * as PNG or JPEG, or to export the SVG plain. The rules follow what
 * browsers run in an SVG document (SVG 2, section 15 "Scripting"; the
 * HTML standard's event handler attributes).
 *
 * The bytes are parsed by libxml2 without the network, without loading
 * any DTD and without expanding entities. Thread-safe once libxml2 is set
 * up (xmlInitParser, which site_load_jobs calls). */
#ifndef PM_SVGCHECK_H
#define PM_SVGCHECK_H

#include <stddef.h>

enum { SVG_PLAIN, SVG_ACTIVE, SVG_ILL_FORMED };

/* One thing found in an SVG: SVG_ACTIVE, what it holds ("a script or
 * embedded document element (x:script)"), or SVG_ILL_FORMED, a predicate
 * ("is not well-formed XML (libxml2: ...)", "declares the encoding UTF-7,
 * not UTF-8"); and where, line and column from 1 (a column is a code
 * point, as in the site's other messages). */
typedef struct svg_problem {
	int kind;
	int line, col;
	char what[200];
} svg_problem;

/* The problems of the len bytes at data (see above), in the file's order:
 * the first max into out (the caller's), and their count, which may be
 * more than max; 0 for a plain picture. A file that is not UTF-8,
 * declares another encoding or is not well-formed XML (or is more than
 * libxml2 reads, 2 GiB) has that one problem alone, as nothing more can
 * be read of it. */
size_t svg_problems(const char *data, size_t len, svg_problem *out,
		    size_t max);

#endif
