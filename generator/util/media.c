/* media.c - media types by file extension (media.h). */
#include "media.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

/* Text types say their charset: partnermap writes and checks UTF-8. */
const media_kind media_kinds[] = {
	/* the site's own files */
	{"html", "text/html; charset=utf-8", 0},
	{"htm", "text/html; charset=utf-8", 0},
	{"css", "text/css; charset=utf-8", 0},
	{"js", "text/javascript; charset=utf-8", 0}, /* RFC 9239 */
	{"mjs", "text/javascript; charset=utf-8", 0},
	{"json", "application/json; charset=utf-8", 0},
	{"geojson", "application/geo+json; charset=utf-8", 0}, /* RFC 7946 */
	{"webmanifest", "application/manifest+json; charset=utf-8", 0},
	{"xml", "application/xml; charset=utf-8", 0},
	{"md", "text/markdown; charset=utf-8", 0},
	{"ico", "image/vnd.microsoft.icon", 0},
	{"woff2", "font/woff2", 0},
	{"woff", "font/woff", 0},
	{"ttf", "font/ttf", 0},
	{"otf", "font/otf", 0},
	{"gz", "application/gzip", 0},
	/* documents */
	{"pdf", "application/pdf", 1},
	{"doc", "application/msword", 1},
	{"docx", "application/vnd.openxmlformats-officedocument."
		 "wordprocessingml.document", 1},
	{"odt", "application/vnd.oasis.opendocument.text", 1},
	{"rtf", "application/rtf", 1},
	{"txt", "text/plain; charset=utf-8", 1},
	{"csv", "text/csv; charset=utf-8", 1}, /* RFC 4180 */
	{"xls", "application/vnd.ms-excel", 1},
	{"xlsx", "application/vnd.openxmlformats-officedocument."
		 "spreadsheetml.sheet", 1},
	{"ods", "application/vnd.oasis.opendocument.spreadsheet", 1},
	{"ppt", "application/vnd.ms-powerpoint", 1},
	{"pptx", "application/vnd.openxmlformats-officedocument."
		 "presentationml.presentation", 1},
	{"odp", "application/vnd.oasis.opendocument.presentation", 1},
	{"epub", "application/epub+zip", 1},
	{"ics", "text/calendar; charset=utf-8", 1}, /* RFC 5545 */
	{"vcf", "text/vcard; charset=utf-8", 1},    /* RFC 6350 */
	/* images */
	{"png", "image/png", 1},
	{"jpg", "image/jpeg", 1},
	{"jpeg", "image/jpeg", 1},
	{"gif", "image/gif", 1},
	{"webp", "image/webp", 1},
	{"avif", "image/avif", 1},
	{"svg", "image/svg+xml; charset=utf-8", 1},
	/* sound */
	{"mp3", "audio/mpeg", 1},
	{"m4a", "audio/mp4", 1},
	{"aac", "audio/aac", 1},
	{"flac", "audio/flac", 1},
	{"oga", "audio/ogg", 1},
	{"ogg", "audio/ogg", 1},
	{"opus", "audio/ogg", 1}, /* Opus in Ogg (RFC 7845) */
	{"wav", "audio/wav", 1},
	/* video */
	{"mp4", "video/mp4", 1},
	{"m4v", "video/mp4", 1},
	{"ogv", "video/ogg", 1},
	{"webm", "video/webm", 1},
	/* archives */
	{"zip", "application/zip", 1},
	{NULL, NULL, 0},
};

static const media_kind *kind_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	for (size_t i = 0; dot && media_kinds[i].ext; i++)
		if (!strcasecmp(dot + 1, media_kinds[i].ext))
			return &media_kinds[i];
	return NULL;
}

const char *media_type(const char *name)
{
	const media_kind *k = kind_of(name);
	return k ? k->type : NULL;
}

int media_bundle_kind(const char *name)
{
	const media_kind *k = kind_of(name);
	return k && k->bundle;
}

static char extensions[512];
static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

static void list_extensions(void)
{
	size_t at = 0;
	for (size_t i = 0; media_kinds[i].ext; i++) {
		size_t n = strlen(media_kinds[i].ext);
		if (!media_kinds[i].bundle || at + n + 3 > sizeof extensions)
			continue;
		if (at)
			extensions[at++] = ' ';
		extensions[at++] = '.';
		memcpy(extensions + at, media_kinds[i].ext, n);
		at += n;
	}
	extensions[at] = '\0';
}

const char *media_bundle_extensions(void)
{
	pthread_once(&extensions_once, list_extensions);
	return extensions;
}
