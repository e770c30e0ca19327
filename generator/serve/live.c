/* live.c - what serve adds to a site: the script that reloads pages and
 * shows errors, its tag in every page, the events it listens to, and the
 * page shown while no build has succeeded. Pure: no I/O. */
#include "serve.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load/fields.h"
#include "util/pairs.h"
#include "util/report.h"

/* Reload on "reload"; on "errors", replace the overlay with one entry per
 * error (built with textContent, so no message can add markup), or take
 * it away when the list is empty. */
const char serve_live_js[] =
	"/* partnermap serve: reloads this page after each build and shows\n"
	"   the errors of a failed one. Only pages served by partnermap serve\n"
	"   load it. */\n"
	"(function () {\n"
	"  \"use strict\";\n"
	"  var me = document.currentScript;\n"
	"  var build = (me && new URL(me.src).searchParams.get(\"build\")) || \"0\";\n"
	"  var box = null;\n"
	"  function entry(e) {\n"
	"    var li = document.createElement(\"li\");\n"
	"    var where = e.path ? e.path + \":\" + e.line + \":\" + e.column : \"\";\n"
	"    var pos = document.createElement(e.url ? \"a\" : \"span\");\n"
	"    if (e.url) { pos.href = e.url; pos.style.color = \"inherit\"; }\n"
	"    pos.className = \"partnermap-where\";\n"
	"    pos.textContent = where;\n"
	"    li.appendChild(pos);\n"
	"    li.appendChild(document.createTextNode((where ? \": \" : \"\") +\n"
	"      (e.severity === \"note\" ? \"note: \" : \"error: \") + e.message));\n"
	"    return li;\n"
	"  }\n"
	"  function show(errors) {\n"
	"    if (box) { box.remove(); box = null; }\n"
	"    if (!errors.length) return;\n"
	"    box = document.createElement(\"div\");\n"
	"    box.id = \"partnermap-errors\";\n"
	"    box.setAttribute(\"role\", \"alert\");\n"
	"    box.style.cssText = \"position:fixed;left:0;right:0;bottom:0;\" +\n"
	"      \"max-height:50vh;overflow:auto;z-index:2147483647;margin:0;\" +\n"
	"      \"padding:1em;background:#fff4f4;color:#600;\" +\n"
	"      \"border-top:4px solid #b00;font:14px/1.5 monospace\";\n"
	"    var p = document.createElement(\"p\");\n"
	"    p.style.cssText = \"margin:0 0 .5em;font-weight:bold\";\n"
	"    var n = errors.reduce(function (n, e) {\n"
	"      return n + (e.severity === \"note\" ? e.more || 0 : 1);\n"
	"    }, 0);\n"
	"    p.textContent = (n === 1 ? \"1 error stops\" :\n"
	"      n + \" errors stop\") + \" the build; this is the \" +\n"
	"      \"last good one. Fix and save: the page updates by itself.\";\n"
	"    box.appendChild(p);\n"
	"    var ul = document.createElement(\"ul\");\n"
	"    ul.style.cssText = \"margin:0;padding:0 0 0 1.5em\";\n"
	"    errors.forEach(function (e) { ul.appendChild(entry(e)); });\n"
	"    box.appendChild(ul);\n"
	"    (document.body || document.documentElement).appendChild(box);\n"
	"  }\n"
	"  var es = new EventSource(\"" SERVE_EVENTS "?since=\" +\n"
	"    encodeURIComponent(build));\n"
	"  es.addEventListener(\"reload\", function () {\n"
	"    es.close();\n"
	"    location.reload();\n"
	"  });\n"
	"  es.addEventListener(\"errors\", function (ev) {\n"
	"    show(JSON.parse(ev.data));\n"
	"  });\n"
	"})();\n";

/* The last "</body>" of html[0..n), in any case; NULL when there is none. */
static const char *last_body_end(const char *html, size_t n)
{
	static const char tag[] = "</body>";
	size_t m = sizeof tag - 1;
	for (size_t i = n >= m ? n - m + 1 : 0; i-- > 0;)
		if (!strncasecmp(html + i, tag, m))
			return html + i;
	return NULL;
}

static void script_tag(buf_t *out, unsigned build)
{
	buf_printf(out, "<script src=\"" SERVE_SCRIPT "?build=%u\"></script>\n",
		   build);
}

void serve_inject(buf_t *out, const char *html, size_t n, unsigned build)
{
	const char *at = last_body_end(html, n);
	size_t before = at ? (size_t)(at - html) : n;
	buf_put(out, html, before);
	script_tag(out, build);
	buf_put(out, html + before, n - before);
}

void serve_event(buf_t *out, const char *name, const char *data)
{
	buf_printf(out, "event: %s\n", name);
	for (;;) {
		size_t n = strcspn(data, "\r\n");
		buf_puts(out, "data: ");
		buf_put(out, data, n);
		buf_putc(out, '\n');
		data += n;
		if (!*data)
			break;
		data += data[0] == '\r' && data[1] == '\n' ? 2 : 1;
	}
	buf_putc(out, '\n');
}

static const char *json_text(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int json_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* ---- errors ---------------------------------------------------------- */

static const char *json_text(const cJSON *o, const char *key);

/* The folders of the output that hold a record's page, by the folder of
 * content/ the record is in. */
static const str_pair record_pages[] = {
	{"content/institutions/", "institutions/"},
	{"content/networks/", "networks/"},
	{"content/pages/", ""},
};

static int slug_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Whether s[0..n) is a slug. */
static int is_slug(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!slug_char((unsigned char)s[k]))
			return 0;
	return n > 0;
}

/* Whether s[0..n) may be a language tag's folder ("fr", "pt-BR"). */
static int is_tag(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!isalnum((unsigned char)s[k]) && s[k] != '-')
			return 0;
	return n >= 2;
}

/* The output folder of the page of the record at path, or NULL: of
 * <slug>.md or a bundle's <slug>/index.md, and of a translation,
 * <slug>.<lang>.md or <slug>/index.<lang>.md, in the language's folder
 * (written as the site writes it, RFC 5646's case: pt-BR). */
static char *record_folder(const char *path)
{
	for (size_t i = 0; i < STR_PAIRS_N(record_pages); i++) {
		size_t m = strlen(record_pages[i].key);
		if (strncmp(path, record_pages[i].key, m))
			continue;
		const char *rest = path + m;
		size_t n = strlen(rest);
		if (n <= 3 || strcmp(rest + n - 3, ".md"))
			return NULL;
		n -= 3;
		const char *slash = memchr(rest, '/', n);
		size_t slug_len = slash ? (size_t)(slash - rest) : n;
		const char *tail = slash ? slash + 1 : rest + slug_len;
		size_t tail_len = n - (size_t)(tail - rest);
		const char *lang = NULL;
		size_t lang_len = 0;
		if (slash) { /* a bundle: index.md or index.<lang>.md */
			if (i != 0 || tail_len < 5 || strncmp(tail, "index", 5))
				return NULL;
			lang = tail_len > 5 && tail[5] == '.' ? tail + 6 : NULL;
			lang_len = lang ? tail_len - 6 : 0;
			if (!lang && tail_len != 5)
				return NULL;
		} else {
			const char *dot = memchr(rest, '.', n);
			if (dot) {
				slug_len = (size_t)(dot - rest);
				lang = dot + 1;
				lang_len = n - slug_len - 1;
			}
		}
		if (!is_slug(rest, slug_len) || (lang && !is_tag(lang, lang_len)))
			return NULL;
		if (!lang)
			return xasprintf("%s%.*s", record_pages[i].value,
					 (int)slug_len, rest);
		char *tag = xstrndup(lang, lang_len);
		language_tag_case(tag);
		char *folder = xasprintf("%s/%s%.*s", tag, record_pages[i].value,
					 (int)slug_len, rest);
		free(tag);
		return folder;
	}
	return NULL;
}

static void add_url(cJSON *o, const char *path,
		    int (*has_page)(void *ctx, const char *folder), void *ctx)
{
	char *folder = path && has_page ? record_folder(path) : NULL;
	if (folder && has_page(ctx, folder)) {
		char *url = xasprintf("/%s/", folder);
		cJSON_AddStringToObject(o, "url", url);
		free(url);
	} else {
		cJSON_AddNullToObject(o, "url");
	}
	free(folder);
}

/* Into all, the n entries v (taken), which are report_json's of the
 * errors e, as diags_print shows them: of one file's past the first
 * DIAG_PRINT_PER_FILE, one note after the file's last listed, at the
 * place of the first not listed. */
static void list_bounded(cJSON *all, cJSON **v, size_t n, const diags_t *e)
{
	diag_shown s;
	diags_shown(e, &s);
	for (size_t i = 0; i < n; i++) {
		if (!s.shown[i]) {
			cJSON_Delete(v[i]);
			continue;
		}
		cJSON_AddItemToArray(all, v[i]);
		if (!s.note[i])
			continue;
		const diag_t *first = &e->v[s.note[i] - 1];
		size_t more = s.errs[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "severity", "note");
		cJSON_AddNullToObject(o, "check");
		cJSON_AddStringToObject(o, "path", first->path);
		cJSON_AddNumberToObject(o, "line", first->line);
		cJSON_AddNumberToObject(o, "column", first->col);
		char *msg = xasprintf("%zu more error%s of this file %s not "
				      "listed: fix the ones above and save",
				      more, more == 1 ? "" : "s",
				      more == 1 ? "is" : "are");
		cJSON_AddStringToObject(o, "message", msg);
		free(msg);
		cJSON *url = cJSON_GetObjectItemCaseSensitive(v[i], "url");
		cJSON_AddItemToObject(o, "url", cJSON_Duplicate(url, 0));
		cJSON_AddNumberToObject(o, "more", (double)more);
		cJSON_AddItemToArray(all, o);
	}
	diag_shown_free(&s);
}

char *serve_errors_json(const diags_t *d,
			int (*has_page)(void *ctx, const char *folder),
			void *ctx)
{
	/* partnermap's JSON report, less the warnings, plus the urls */
	char *report = report_json(d);
	cJSON *all = cJSON_Parse(report);
	free(report);
	if (!all)
		abort(); /* out of memory: as xmalloc does */
	cJSON *e = all->child;
	while (e) {
		cJSON *next = e->next;
		const char *severity = json_text(e, "severity");
		if (severity && !strcmp(severity, "warning"))
			cJSON_Delete(cJSON_DetachItemViaPointer(all, e));
		else
			add_url(e, json_text(e, "path"), has_page, ctx);
		e = next;
	}
	/* the errors alone, as the entries are, for what is listed */
	diags_t errors = DIAGS_INIT;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level != DIAG_WARNING)
			diags_add(&errors, d->v[i].level, d->v[i].check,
				  d->v[i].path, d->v[i].line, d->v[i].col, "%s",
				  d->v[i].msg);
	size_t n = (size_t)cJSON_GetArraySize(all), k = 0;
	cJSON **v = xcalloc(n + 1, sizeof *v);
	while (all->child)
		v[k++] = cJSON_DetachItemViaPointer(all, all->child);
	if (k == errors.n)
		list_bounded(all, v, k, &errors);
	else /* not report_json's entries one for one: all of them */
		for (size_t i = 0; i < k; i++)
			cJSON_AddItemToArray(all, v[i]);
	diags_free(&errors);
	free(v);
	char *text = cJSON_PrintUnformatted(all);
	cJSON_Delete(all);
	if (!text)
		abort();
	char *out = xstrdup(text);
	cJSON_free(text);
	return out;
}

/* ---- the page shown before any build succeeded ------------------------- */

char *serve_failed_page(const char *site_name, const char *errors_json)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<title>The build failed - partnermap serve</title>\n"
		 "</head>\n<body>\n<h1>The site in ");
	/* the folder as the server's first line names it */
	size_t n = strlen(site_name);
	while (n > 1 && site_name[n - 1] == '/')
		n--;
	if (!n || (n == 1 && site_name[0] == '.')) {
		buf_puts(&b, "the current folder");
	} else {
		char *cut = xstrndup(site_name, n);
		buf_puts_html(&b, cut);
		free(cut);
	}
	buf_puts(&b, " could not be built</h1>\n"
		 "<p>Fix the errors below and save: this page reloads by itself "
		 "once the site builds.</p>\n<ul>\n");
	cJSON *all = cJSON_Parse(errors_json);
	const cJSON *e;
	cJSON_ArrayForEach(e, all) {
		const char *path = json_text(e, "path"), *msg = json_text(e, "message");
		buf_puts(&b, "<li>");
		if (path) {
			buf_puts_html(&b, path);
			buf_printf(&b, ":%d:%d: ", json_int(e, "line"),
				   json_int(e, "column"));
		}
		const char *severity = json_text(e, "severity");
		buf_puts(&b, severity && !strcmp(severity, "note") ? "note: " :
			 "error: ");
		buf_puts_html(&b, msg ? msg : "");
		buf_puts(&b, "</li>\n");
	}
	cJSON_Delete(all);
	buf_puts(&b, "</ul>\n");
	script_tag(&b, 0);
	buf_puts(&b, "</body>\n</html>\n");
	return buf_detach(&b);
}
