/* markdown.c - CommonMark bodies to HTML through cmark.
 *
 * CMARK_OPT_DEFAULT is cmark's safe mode: raw HTML is replaced by a
 * comment and javascript:, vbscript:, file: and most data: links lose
 * their URL. Editors' Markdown can therefore go into pages unescaped. */
#include "load.h"

#include <cmark.h>

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/chars.h"
#include "../util/text_unicode.h"

char *markdown_to_html(const char *text, size_t len)
{
	/* The source in NFC, as every other text of a record; not the HTML,
	 * where a tag's ">" could take a combining mark after it into "≯". */
	char *src = xstrndup(text, len);
	char *nfc = text_nfc(src);
	free(src);
	char *html = cmark_markdown_to_html(nfc, strlen(nfc), CMARK_OPT_DEFAULT);
	free(nfc);
	/* hand back our own copy: cmark's buffer belongs to its allocator.
	 * The loader refused control and bidi control characters written as
	 * they are; a character reference (&#x202E;, &#1;) becomes one only
	 * here, and is left out. */
	buf_t b = BUF_INIT;
	const char *h = html ? html : "";
	chars_put_without(&b, h, strlen(h), chars_is_unsafe);
	char *copy = buf_detach(&b);
	if (html)
		cmark_get_default_mem_allocator()->free(html);
	return copy;
}
