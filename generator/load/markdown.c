/* markdown.c - CommonMark bodies to HTML through cmark.
 *
 * CMARK_OPT_DEFAULT is cmark's safe mode: raw HTML is replaced by a
 * comment and javascript:, vbscript:, file: and most data: links lose
 * their URL. Editors' Markdown can therefore go into pages unescaped.
 * Such a link would still be a link to nowhere (href=""), which a
 * keyboard reaches and which reloads the page: it is made its text
 * before rendering, and such a picture its description. */
#include "load.h"

#include <cmark.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/chars.h"
#include "../util/text_unicode.h"

int markdown_unsafe_url(const char *url)
{
	static const char *const schemes[] = {"javascript:", "vbscript:",
					      "file:", NULL};
	static const char *const images[] = {"data:image/png", "data:image/gif",
					     "data:image/jpeg", "data:image/webp",
					     NULL};
	while (*url && (unsigned char)*url <= 0x20)
		url++;
	for (size_t i = 0; schemes[i]; i++)
		if (!strncasecmp(url, schemes[i], strlen(schemes[i])))
			return 1;
	if (strncasecmp(url, "data:", 5))
		return 0;
	for (size_t i = 0; images[i]; i++)
		if (!strncasecmp(url, images[i], strlen(images[i])))
			return 0;
	return 1;
}

/* Each link of doc to an address safe mode would empty is replaced by
 * its text (its children, moved out); each such picture by its
 * description, as text. Nodes are changed after the walk, which must not
 * see them moved. */
static void unlink_unsafe(cmark_node *doc)
{
	cmark_node **bad = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		const char *url = cmark_node_get_url(node);
		if (ev == CMARK_EVENT_ENTER &&
		    (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) && url &&
		    markdown_unsafe_url(url)) {
			bad = xgrow(bad, &cap, n + 1, sizeof *bad, 8);
			bad[n++] = node;
		}
	}
	cmark_iter_free(it);
	for (size_t i = n; i-- > 0;) {
		/* innermost first: a link inside a link is moved out before
		 * the outer one is dissolved */
		cmark_node *node = bad[i], *kid;
		while ((kid = cmark_node_first_child(node))) {
			cmark_node_unlink(kid);
			cmark_node_insert_before(node, kid);
		}
		cmark_node_free(node);
	}
	free(bad);
}

/* The offset in html of the first of href=" and src=" at or after
 * offset from, or SIZE_MAX; next[0] and next[1] hold the offsets of the
 * next of each found before (SIZE_MAX - 1 at first, SIZE_MAX for none),
 * so that each is looked for once per attribute of its kind, not once per
 * attribute of either (quadratic in a text of thousands of links). */
static size_t next_url_attr(const char *html, size_t from, size_t next[2])
{
	static const char *const attr[2] = {"href=\"", "src=\""};
	for (int k = 0; k < 2; k++)
		if (next[k] == SIZE_MAX - 1 || (next[k] != SIZE_MAX && next[k] < from)) {
			const char *at = strstr(html + from, attr[k]);
			next[k] = at ? (size_t)(at - html) : SIZE_MAX;
		}
	return next[0] < next[1] ? next[0] : next[1];
}

/* cmark writes each '[' and ']' of a URL as %5B and %5D, an IPv6 host's
 * too, and a browser takes http://%5B::1%5D/ for a host of that name: no
 * link. html (cmark's) with the brackets of each href's and src's host
 * given back when it is an IP-literal (RFC 3986, 3.2.2: after "//" and
 * any userinfo "@", "[" then hex digits, ":" and "." of IPv6 or IPvFuture,
 * or a zone such as %25eth0, then "]"); those elsewhere in the URL stay
 * escaped. Appended to b. */
static void put_ip_literals(buf_t *b, const char *html)
{
	const char *p = html;
	size_t next[2] = {SIZE_MAX - 1, SIZE_MAX - 1}, off;
	while ((off = next_url_attr(html, (size_t)(p - html), next)) != SIZE_MAX) {
		const char *url = strchr(html + off, '"') + 1;
		buf_put(b, p, (size_t)(url - p));
		p = url;
		size_t scheme = strspn(url, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
		if (!scheme || strncmp(url + scheme, "://", 3))
			continue;
		const char *auth = url + scheme + 3;
		const char *stop = auth + strcspn(auth, "/?#\"");
		const char *user = memchr(auth, '@', (size_t)(stop - auth));
		const char *host = user ? user + 1 : auth;
		if (stop - host < 6 || strncmp(host, "%5B", 3))
			continue;
		const char *inner = host + 3;
		size_t n = strspn(inner, "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:._~%-");
		/* the first %5D ends it, every character before it one of
		 * those n spans */
		const char *close = strstr(inner, "%5D");
		if (!close || close > inner + n || close + 3 > stop ||
		    close == inner)
			continue;
		buf_put(b, url, (size_t)(host - url));
		buf_putc(b, '[');
		buf_put(b, inner, (size_t)(close - inner));
		buf_putc(b, ']');
		p = close + 3;
	}
	buf_puts(b, p);
}

char *markdown_to_html(const char *text, size_t len)
{
	/* The source in NFC, as every other text of a record; not the HTML,
	 * where a tag's ">" could take a combining mark after it into "≯". */
	char *src = xstrndup(text, len);
	char *nfc = text_nfc(src);
	free(src);
	cmark_node *doc = cmark_parse_document(nfc, strlen(nfc),
					       CMARK_OPT_DEFAULT);
	free(nfc);
	char *html = NULL;
	if (doc) {
		unlink_unsafe(doc);
		html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
		cmark_node_free(doc);
	}
	/* hand back our own copy: cmark's buffer belongs to its allocator.
	 * The loader refused control and bidi control characters written as
	 * they are; a character reference (&#x202E;, &#1;) becomes one only
	 * here, and is left out. */
	buf_t hosts = BUF_INIT, b = BUF_INIT;
	put_ip_literals(&hosts, html ? html : "");
	chars_put_without(&b, hosts.ptr ? hosts.ptr : "", hosts.len, chars_is_unsafe);
	buf_free(&hosts);
	char *copy = buf_detach(&b);
	if (html)
		cmark_get_default_mem_allocator()->free(html);
	return copy;
}
