/* markdown.c - CommonMark bodies to HTML through cmark.
 *
 * CMARK_OPT_DEFAULT is cmark's safe mode: raw HTML is replaced by a
 * comment and javascript:, vbscript:, file: and most data: links lose
 * their URL. Editors' Markdown can therefore go into pages unescaped. */
#include "load.h"

#include <cmark.h>

#include "../util/buf.h"

char *markdown_to_html(const char *text, size_t len)
{
	char *html = cmark_markdown_to_html(text, len, CMARK_OPT_DEFAULT);
	/* hand back our own copy: cmark's buffer belongs to its allocator */
	char *copy = xstrdup(html ? html : "");
	if (html)
		cmark_get_default_mem_allocator()->free(html);
	return copy;
}
