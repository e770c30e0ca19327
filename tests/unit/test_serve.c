/* test_serve.c - the pure parts of partnermap serve (serve/serve.h,
 * serve/watch.h): request paths to files and the ones refused, content
 * types, the script tag in pages, the event format, the errors sent to
 * pages, the page shown before any good build, which names the watcher
 * ignores, the debouncing of bursts, and the watcher itself on a
 * temporary folder (new folders inside it included). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "serve/serve.h"
#include "serve/server.h"
#include "serve/watch.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/media.h"
#include "util/pairs.h"

/* ---- request paths ------------------------------------------------------ */

static const struct {
	const char *raw, *rel;
	int folder;
} good_paths[] = {
	{"/", "", 1},
	{"/index.html", "index.html", 0},
	{"/institutions/makerere/", "institutions/makerere", 1},
	{"/institutions/makerere", "institutions/makerere", 0},
	{"/assets/map.31cb2b1b02.css", "assets/map.31cb2b1b02.css", 0},
	{"/caf%C3%A9/", "caf\xc3\xa9", 1},           /* UTF-8, encoded */
	{"/a%20b.html", "a b.html", 0},
	{"/100%25.html", "100%.html", 0},
	{"/a../b..", "a../b..", 0},                  /* dots, not dot segments */
};

/* The banner names the site folder as typed, its control characters
 * written out, as every message does: a name is never a terminal escape. */
static void the_banner_writes_out_control_characters(void **state)
{
	(void)state;
	const char *url = "http://127.0.0.1:1313/";
	assert_string_equal_free(server_banner("site/", url),
				 "Serving the site in site at http://127.0.0.1:1313/ "
				 "(Ctrl-C to stop)");
	assert_string_equal_free(server_banner("./", url),
				 "Serving the site in the current folder at "
				 "http://127.0.0.1:1313/ (Ctrl-C to stop)");
	assert_string_equal_free(server_banner("s\x1b[31mX\a", url),
				 "Serving the site in s<U+001B>[31mX<U+0007> at "
				 "http://127.0.0.1:1313/ (Ctrl-C to stop)");
}

static void request_paths_map_to_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good_paths / sizeof good_paths[0]; i++) {
		char *rel = (char *)"unset";
		int folder = -1;
		const char *why = "unset";
		serve_path_status st = serve_resolve(good_paths[i].raw, &rel,
						     &folder, &why);
		if (st != SERVE_PATH_OK)
			print_error("refused: %s\n", good_paths[i].raw);
		assert_int_equal(st, SERVE_PATH_OK);
		assert_string_equal(rel, good_paths[i].rel);
		assert_int_equal(folder, good_paths[i].folder);
		assert_null(why);
		free(rel);
	}
}

/* Every way out of the output folder, and what decoding would hide, with
 * the start of the line that says what is wrong: "..", "." and "//",
 * "%2F", backslashes, control characters, bad escapes. */
#define NOT_PATH "Bad request: what it asks for is neither a path"
#define DOTDOT "Bad request: the path has a \"..\" segment"
#define DOT "Bad request: the path has a \".\" segment or an empty one"
#define SLASH "Bad request: the path has an encoded slash (%2F)"
#define BACKSLASH "Bad request: the path has a backslash"
#define CONTROL "Bad request: the path has a control character or NUL"
#define ESCAPE "Bad request: the path has a % that is not followed"
static const str_pair bad_paths[] = {
	{"", NOT_PATH}, {"index.html", NOT_PATH}, {"http://example.org/", NOT_PATH},
	{"*", NOT_PATH},
	{"/..", DOTDOT}, {"/../etc/passwd", DOTDOT}, {"/a/../../b", DOTDOT},
	{"/a/..", DOTDOT}, {"/./a", DOT}, {"/a/./", DOT},
	{"/%2e%2e/etc/passwd", DOTDOT}, {"/%2E%2E/", DOTDOT}, {"/.%2e/x", DOTDOT},
	{"/%2e/x", DOT}, {"/.git/../..", DOTDOT},
	{"/a%2Fb", SLASH}, {"/a%2f..%2f..%2fb", SLASH}, {"/%2F", SLASH},
	{"//etc/passwd", DOT}, {"/a//b", DOT},
	{"/a\\b", BACKSLASH}, {"/..\\x", BACKSLASH}, {"/a%5Cb", BACKSLASH},
	{"/a%5c..%5cb", BACKSLASH}, {"/.git%5c", BACKSLASH},
	{"/a%00.html", CONTROL}, {"/%00", CONTROL}, {"/a%0d%0aSet-Cookie:x", CONTROL},
	{"/a\tb", CONTROL}, {"/a%7F", CONTROL}, {"/.env%00", CONTROL},
	{"/a%", ESCAPE}, {"/a%2", ESCAPE}, {"/a%zz", ESCAPE}, {"/a%2g", ESCAPE},
};

/* Hidden entries, never published: answered as a file the site lacks. */
static const char *const hidden_paths[] = {
	"/.partnermap-output", "/%2Epartnermap-output", "/a/.git/config",
	"/.env", "/.well-known", "/.well-known/security.txt", "/.git/",
	"/..a", "/.%2e%2e",
};

/* serve_resolve refuses raw with want, leaving no path: the line why. */
static const char *refused_as(const char *raw, serve_path_status want)
{
	char *rel = (char *)"unset";
	int folder = -1;
	const char *why = NULL;
	serve_path_status st = serve_resolve(raw, &rel, &folder, &why);
	if (st != want)
		print_error("\"%s\": %d %s\n", raw, (int)st, why ? why : "(null)");
	assert_int_equal(st, want);
	assert_null(rel);
	assert_int_equal(folder, 0);
	assert_non_null(why);
	/* one line, which says what to do instead */
	assert_string_equal(strchr(why, '\n'), "\n");
	return why;
}

static void paths_that_leave_the_output_are_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_paths / sizeof bad_paths[0]; i++) {
		const char *why = refused_as(bad_paths[i].key, SERVE_PATH_BAD);
		if (strncmp(why, bad_paths[i].value, strlen(bad_paths[i].value)))
			print_error("\"%s\": %s\n", bad_paths[i].key, why);
		assert_true(!strncmp(why, bad_paths[i].value,
				     strlen(bad_paths[i].value)));
	}
	refused_as(NULL, SERVE_PATH_BAD);
}

static void hidden_entries_are_not_found(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hidden_paths / sizeof hidden_paths[0]; i++)
		assert_string_equal(refused_as(hidden_paths[i], SERVE_PATH_HIDDEN),
				    "the path names a hidden entry (a name "
				    "starting with \".\"), which no page of "
				    "the site links to, so serve never "
				    "serves it\n");
}

static void only_addresses_and_localhost_are_answered(void **state)
{
	(void)state;
	static const char *const allowed[] = {
		NULL, "127.0.0.1", "127.0.0.1:1313", "localhost", "LOCALHOST:80",
		"preview.localhost:1313", "[::1]", "[::1]:1313", "192.168.1.20:8080",
		"0.0.0.0", "localhost.", "LocalHost.:1313", "a.localhost.:80"};
	static const char *const refused[] = {
		"", "evil.example", "evil.example:1313", "127.0.0.1.evil.example",
		"localhost.evil.example", "notlocalhost", "[::1", "[::1]x",
		"[::1]:", "127.0.0.1:", "127.0.0.1:123456", "127.0.0.1:12a",
		"[evil.example]:80", "::1", "localhost:1:2", "localhost..",
		"127.0.0.1.", ".", "evil.example.", "localhost.evil.example."};
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		if (!serve_host_allowed(allowed[i]))
			print_error("refused: %s\n", allowed[i] ? allowed[i] : "(none)");
		assert_true(serve_host_allowed(allowed[i]));
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		if (serve_host_allowed(refused[i]))
			print_error("allowed: \"%s\"\n", refused[i]);
		assert_false(serve_host_allowed(refused[i]));
	}
}

/* A request's version, target, Host header and count of them, and what
 * serve_target makes of it: the status, then the path served or the
 * start of the body. */
static const struct {
	const char *version, *target, *host;
	int hosts;
	serve_target_status want;
	const char *said;
} targets[] = {
	{"HTTP/1.1", "/a/", "127.0.0.1:1313", 1, SERVE_TARGET_OK, "/a/"},
	{"HTTP/1.0", "/a/", NULL, 0, SERVE_TARGET_OK, "/a/"},
	{"HTTP/1.1", "/", NULL, 0, SERVE_TARGET_BAD,
	 "Bad request: an HTTP/1.1 request must have a Host header"},
	{"HTTP/1.1", "/", "127.0.0.1", 2, SERVE_TARGET_BAD,
	 "Bad request: it has more than one Host header"},
	{"HTTP/1.0", "/", "", 1, SERVE_TARGET_BAD,
	 "Bad request: its Host header is empty"},
	{"HTTP/1.1", "/", "u@127.0.0.1", 1, SERVE_TARGET_BAD,
	 "Bad request: its Host header holds more"},
	{"HTTP/1.1", "/", "127.0.0.1/x", 1, SERVE_TARGET_BAD,
	 "Bad request: its Host header holds more"},
	{"HTTP/1.1", "/", "127.0.0.1 x", 1, SERVE_TARGET_BAD,
	 "Bad request: its Host header holds more"},
	{"HTTP/1.1", "/", "evil.example", 1, SERVE_TARGET_FORBIDDEN,
	 "Forbidden: "},
	{"HTTP/1.1", "/", "localhost:9999", 1, SERVE_TARGET_OK, "/"},
	{"HTTP/1.1", "http://127.0.0.1:1313/a/b", "evil.example", 1,
	 SERVE_TARGET_OK, "/a/b"},
	{"HTTP/1.1", "HTTP://localhost", "127.0.0.1", 1, SERVE_TARGET_OK, "/"},
	{"HTTP/1.1", "http://evil.example/", "127.0.0.1", 1,
	 SERVE_TARGET_FORBIDDEN, "Forbidden: "},
	{"HTTP/1.1", "http://u@127.0.0.1/", "127.0.0.1", 1, SERVE_TARGET_BAD,
	 "Bad request: the URL it asks for"},
	{"HTTP/1.1", "http:///a", "127.0.0.1", 1, SERVE_TARGET_BAD,
	 "Bad request: the URL it asks for"},
	{"HTTP/1.1", "ftp://127.0.0.1/", "127.0.0.1", 1, SERVE_TARGET_BAD,
	 "Bad request: the URL it asks for"},
	{"HTTP/1.1", "site.yml", "127.0.0.1", 1, SERVE_TARGET_BAD,
	 "Bad request: what it asks for is neither a path starting with /"},
	/* the spaces and tabs around a value are not part of it */
	{"HTTP/1.1", "/a", " \t127.0.0.1:1313 \t", 1, SERVE_TARGET_OK, "/a"},
	{"HTTP/1.1", "/a", "localhost ", 1, SERVE_TARGET_OK, "/a"},
	{"HTTP/1.1", "/", " \t ", 1, SERVE_TARGET_BAD,
	 "Bad request: its Host header is empty"},
	{"HTTP/1.1", "/", " evil.example ", 1, SERVE_TARGET_FORBIDDEN,
	 "Forbidden: "},
	{"HTTP/1.1", "http://127.0.0.1/", NULL, 0, SERVE_TARGET_BAD,
	 "Bad request: an HTTP/1.1 request must have a Host header"},
};

static void hosts_follow_rfc_9112(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		const char *path, *why;
		serve_fields f = {.hosts = targets[i].hosts};
		serve_target_status got = serve_target(
			targets[i].version, targets[i].target, targets[i].host,
			&f, &path, &why);
		const char *said = got == SERVE_TARGET_OK ? path : why;
		if (got != targets[i].want || !said ||
		    strncmp(said, targets[i].said, strlen(targets[i].said)))
			print_error("%s %s Host %s: %d %s\n", targets[i].version,
				    targets[i].target, targets[i].host ? targets[i].host
				    : "(none)", (int)got, said ? said : "(null)");
		assert_int_equal(got, targets[i].want);
		assert_non_null(said);
		assert_true(!strncmp(said, targets[i].said, strlen(targets[i].said)));
		/* a refusal says what to send instead, on one line */
		if (got != SERVE_TARGET_OK)
			assert_string_equal(strchr(why, '\n'), "\n");
	}
}

/* The names of a request's fields as libmicrohttpd 0.9 hands them over,
 * the Host value it gives, and the start of serve_target's answer. */
static const struct {
	const char *names[3];
	const char *host;
	serve_target_status want;
	const char *said;
} fields[] = {
	/* "Host:\r\n 127.0.0.1": the folded line joins the name */
	{{"Host127.0.0.1", "Connection"}, NULL, SERVE_TARGET_BAD,
	 "Bad request: its Host header is not on one line"},
	/* "Host: 127.0.0.1\r\n :1313" */
	{{"Host:1313"}, NULL, SERVE_TARGET_BAD,
	 "Bad request: its Host header is not on one line"},
	/* "Host : 127.0.0.1": a space before the colon */
	{{"Host "}, NULL, SERVE_TARGET_BAD,
	 "Bad request: its Host header is not on one line"},
	{{"Host", "X-A b"}, "127.0.0.1", SERVE_TARGET_BAD,
	 "Bad request: the name of one of its headers holds a space"},
	{{"Host", ""}, "127.0.0.1", SERVE_TARGET_BAD,
	 "Bad request: the name of one of its headers holds a space"},
	{{"HOST", "host"}, "127.0.0.1", SERVE_TARGET_BAD,
	 "Bad request: it has more than one Host header"},
	/* names that only start like Host are other fields */
	{{"Host-Override", "Hostname", "host"}, "localhost", SERVE_TARGET_OK, "/"},
	{{"Hostname"}, NULL, SERVE_TARGET_BAD,
	 "Bad request: its Host header is not on one line"},
	{{"Host-Override"}, NULL, SERVE_TARGET_BAD,
	 "Bad request: an HTTP/1.1 request must have a Host header"},
};

static void broken_field_names_are_told_apart(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		serve_fields f = {0};
		for (size_t k = 0; k < 3 && fields[i].names[k]; k++)
			serve_fields_add(&f, fields[i].names[k]);
		const char *path, *why;
		serve_target_status got = serve_target("HTTP/1.1", "/",
						       fields[i].host, &f,
						       &path, &why);
		const char *said = got == SERVE_TARGET_OK ? path : why;
		if (got != fields[i].want ||
		    strncmp(said, fields[i].said, strlen(fields[i].said)))
			print_error("%s: %d %s\n", fields[i].names[0], (int)got,
				    said);
		assert_int_equal(got, fields[i].want);
		assert_true(!strncmp(said, fields[i].said, strlen(fields[i].said)));
	}
}

/* ---- content types ------------------------------------------------------ */

/* A file's name and the type it is served with. */
static const str_pair types[] = {
	{"index.html", "text/html; charset=utf-8"},
	{"about/INDEX.HTML", "text/html; charset=utf-8"},
	{"assets/style.4872d2b6fd.css", "text/css; charset=utf-8"},
	{"assets/map.0123456789.js", "text/javascript; charset=utf-8"},
	{"map.svg", "image/svg+xml; charset=utf-8"},
	{"feed.xml", "application/xml; charset=utf-8"},
	{"sitemap.xml", "application/xml; charset=utf-8"},
	{"data.json", "application/json; charset=utf-8"},
	{"partners.geojson", "application/geo+json; charset=utf-8"},
	{"partners.csv", "text/csv; charset=utf-8"},
	{"logo.png", "image/png"},
	{"photo.JPG", "image/jpeg"},
	{"photo.jpeg", "image/jpeg"},
	{"leaflet.pdf", "application/pdf"},
	{"font.woff2", "font/woff2"},
	{"font.woff", "font/woff"},
	{"favicon.ico", "image/vnd.microsoft.icon"},
	{"robots.txt", "text/plain; charset=utf-8"},
	{"README", "application/octet-stream"},
	{"archive.tar.xz", "application/octet-stream"},
	{"dir.html/file", "application/octet-stream"},
	{"trailing.", "application/octet-stream"},
};

static void content_types_go_by_extension(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		assert_string_equal(serve_content_type(types[i].key), types[i].value);
}

/* Every kind of file a page bundle publishes is served as its kind (the
 * server says nosniff: a sound sent as application/octet-stream would not
 * play in the preview), the media types IANA registers. */
static void every_bundle_kind_is_served_as_its_kind(void **state)
{
	(void)state;
	size_t n = 0;
	for (size_t i = 0; media_kinds[i].ext; i++) {
		if (!media_kinds[i].bundle)
			continue;
		n++;
		char name[32];
		snprintf(name, sizeof name, "FILE.%s", media_kinds[i].ext);
		if (!media_bundle_kind(name))
			fail_msg("%s is not published", name);
		if (!strcmp(serve_content_type(name), "application/octet-stream"))
			fail_msg("%s is served as application/octet-stream", name);
	}
	assert_true(n >= 30);
	static const str_pair want[] = {
		{"talk.mp3", "audio/mpeg"},
		{"talk.m4a", "audio/mp4"},
		{"talk.flac", "audio/flac"},
		{"talk.aac", "audio/aac"},
		{"talk.opus", "audio/ogg"},
		{"talk.wav", "audio/wav"},
		{"tour.mp4", "video/mp4"},
		{"tour.webm", "video/webm"},
		{"tour.ogv", "video/ogg"},
		{"form.docx", "application/vnd.openxmlformats-officedocument."
			      "wordprocessingml.document"},
		{"form.odt", "application/vnd.oasis.opendocument.text"},
		{"form.doc", "application/msword"},
		{"book.epub", "application/epub+zip"},
		{"dates.ics", "text/calendar; charset=utf-8"},
		{"card.vcf", "text/vcard; charset=utf-8"},
		{"form.rtf", "application/rtf"},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		assert_string_equal(serve_content_type(want[i].key), want[i].value);
}

/* ---- the script tag ------------------------------------------------------ */

#define TAG "<script src=\"/_partnermap/live.js?build=7\"></script>\n"

static const struct {
	const char *page, *want;
} injections[] = {
	{"<html><body><p>x</p></body></html>\n",
	 "<html><body><p>x</p>" TAG "</body></html>\n"},
	/* the last one: an earlier "</body>" may be text in a <pre> */
	{"<body><pre>&lt;/body></pre></BODY>\n",
	 "<body><pre>&lt;/body></pre>" TAG "</BODY>\n"},
	{"<body>a</body>b</body>", "<body>a</body>b" TAG "</body>"},
	{"<p>no body end", "<p>no body end" TAG},
	{"", TAG},
	{"</body>", TAG "</body>"},
};

static void the_script_goes_before_the_last_body_end(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof injections / sizeof injections[0]; i++) {
		buf_t out = BUF_INIT;
		const char *page = injections[i].page;
		serve_inject(&out, page, strlen(page), 7);
		assert_string_equal(buf_cstr(&out), injections[i].want);
		buf_free(&out);
	}
}

/* ---- events ------------------------------------------------------------- */

static void events_put_each_line_in_its_own_data_field(void **state)
{
	(void)state;
	static const struct {
		const char *name, *data, *want;
	} events[] = {
		{"reload", "{}", "event: reload\ndata: {}\n\n"},
		{"errors", "[]", "event: errors\ndata: []\n\n"},
		{"errors", "a\nb\r\nc\rd", "event: errors\ndata: a\ndata: b\n"
					  "data: c\ndata: d\n\n"},
		{"x", "", "event: x\ndata: \n\n"},
		{"x", "end\n", "event: x\ndata: end\ndata: \n\n"},
	};
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
		buf_t out = BUF_INIT;
		serve_event(&out, events[i].name, events[i].data);
		assert_string_equal(buf_cstr(&out), events[i].want);
		buf_free(&out);
	}
}

/* ---- errors for the pages ------------------------------------------------- */

/* has_page: the last good build has these pages only. */
static int built(void *ctx, const char *folder)
{
	(void)ctx;
	return !strcmp(folder, "institutions/makerere") || !strcmp(folder, "about");
}

static void errors_name_their_place_and_the_page_to_look_at(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	diag_error(&d, "content/institutions/makerere.md", 4, 10,
		   "unknown network 'afrika': write one of africa, global");
	diag_warning(&d, UNKNOWN_KEY, "content/institutions/makerere.md", 5, 1,
		     "unknown key 'colour'");
	diag_error(&d, "content/institutions/new-school.md", 2, 7, "bad \"name\"");
	diag_error(&d, "content/pages/about.md", 1, 1, "no title");
	diag_error(&d, "content/institutions/Upper.md", 1, 1, "x");
	diag_fatal(&d, "geodata/world.shp", "cannot read: No such file");
	diag_error(&d, NULL, 0, 0, "SOURCE_DATE_EPOCH is 'x'");
	char *json = serve_errors_json(&d, built, NULL);
	assert_string_equal(json,
		"[{\"severity\":\"error\",\"check\":null,"
		"\"path\":\"content/institutions/makerere.md\",\"line\":4,"
		"\"column\":10,\"message\":\"unknown network 'afrika': write one "
		"of africa, global\",\"url\":\"/institutions/makerere/\"},"
		"{\"severity\":\"error\",\"check\":null,"
		"\"path\":\"content/institutions/new-school.md\",\"line\":2,"
		"\"column\":7,\"message\":\"bad \\\"name\\\"\",\"url\":null},"
		"{\"severity\":\"error\",\"check\":null,"
		"\"path\":\"content/pages/about.md\",\"line\":1,\"column\":1,"
		"\"message\":\"no title\",\"url\":\"/about/\"},"
		"{\"severity\":\"error\",\"check\":null,"
		"\"path\":\"content/institutions/Upper.md\",\"line\":1,"
		"\"column\":1,\"message\":\"x\",\"url\":null},"
		"{\"severity\":\"error\",\"check\":null,"
		"\"path\":\"geodata/world.shp\",\"line\":1,\"column\":1,"
		"\"message\":\"cannot read: No such file\",\"url\":null},"
		"{\"severity\":\"error\",\"check\":null,\"path\":null,"
		"\"line\":null,\"column\":null,"
		"\"message\":\"SOURCE_DATE_EPOCH is 'x'\",\"url\":null}]");
	free(json);
	diags_free(&d);

	diags_t none = DIAGS_INIT;
	diag_warning(&none, UNKNOWN_KEY, "site.yml", 1, 1, "unknown key 'x'");
	json = serve_errors_json(&none, NULL, NULL);
	assert_string_equal(json, "[]");
	free(json);
	diags_free(&none);
}

/* The overlay lists at most DIAG_PRINT_PER_FILE errors of one file, as
 * the terminal does: the rest are one note after them, at the first not
 * listed, with "more" their number (the script adds it to the count);
 * other files are listed whole. */
static void errors_of_one_file_are_listed_up_to_a_bound(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	int over = 7;
	for (int i = 0; i < DIAG_PRINT_PER_FILE + over; i++) {
		diag_error(&d, "content/institutions/makerere.md", i + 2, 1,
			   "bad %d", i);
		diag_warning(&d, UNKNOWN_KEY, "content/institutions/makerere.md",
			     i + 2, 9, "unknown");
	}
	diag_error(&d, "site.yml", 3, 1, "bad title");
	char *json = serve_errors_json(&d, built, NULL);
	cJSON *all = cJSON_Parse(json);
	assert_non_null(all);
	assert_int_equal(cJSON_GetArraySize(all), DIAG_PRINT_PER_FILE + 2);
	for (int i = 0; i < DIAG_PRINT_PER_FILE; i++) {
		const cJSON *e = cJSON_GetArrayItem(all, i);
		char *want = xasprintf("bad %d", i);
		assert_string_equal(cJSON_GetObjectItem(e, "message")->valuestring,
				    want);
		assert_null(cJSON_GetObjectItem(e, "more"));
		free(want);
	}
	const cJSON *note = cJSON_GetArrayItem(all, DIAG_PRINT_PER_FILE);
	assert_string_equal(cJSON_GetObjectItem(note, "severity")->valuestring,
			    "note");
	assert_string_equal(cJSON_GetObjectItem(note, "path")->valuestring,
			    "content/institutions/makerere.md");
	assert_int_equal(cJSON_GetObjectItem(note, "line")->valueint,
			 DIAG_PRINT_PER_FILE + 2);
	assert_int_equal(cJSON_GetObjectItem(note, "more")->valueint, over);
	assert_string_equal(cJSON_GetObjectItem(note, "url")->valuestring,
			    "/institutions/makerere/");
	assert_string_equal(cJSON_GetObjectItem(note, "message")->valuestring,
			    "7 more errors of this file are not listed: fix the "
			    "ones above and save");
	const cJSON *last = cJSON_GetArrayItem(all, DIAG_PRINT_PER_FILE + 1);
	assert_string_equal(cJSON_GetObjectItem(last, "path")->valuestring,
			    "site.yml");
	cJSON_Delete(all);
	char *page = serve_failed_page("site", json);
	char *li = xasprintf("<li>content/institutions/makerere.md:%d:1: note: "
			     "7 more errors of this file are not listed: fix "
			     "the ones above and save</li>",
			     DIAG_PRINT_PER_FILE + 2);
	assert_non_null(strstr(page, li));
	free(li);
	free(page);
	free(json);
	diags_free(&d);
}

/* has_page for the links of translations and bundles. */
static int built_in_two(void *ctx, const char *folder)
{
	(void)ctx;
	static const char *const have[] = {
		"institutions/mak", "fr/institutions/mak", "pt-BR/about",
		"fr/networks/africa", NULL};
	for (size_t i = 0; have[i]; i++)
		if (!strcmp(folder, have[i]))
			return 1;
	return 0;
}

/* An error in a translation file linked to no page, though the page in
 * its language was served; a bundle's record now links too. */
static void errors_of_translations_and_bundles_link_their_page(void **state)
{
	(void)state;
	static const struct {
		const char *path, *url;
	} cases[] = {
		{"content/institutions/mak/index.md", "/institutions/mak/"},
		{"content/institutions/mak/index.fr.md", "/fr/institutions/mak/"},
		{"content/institutions/mak.fr.md", "/fr/institutions/mak/"},
		{"content/pages/about.PT-br.md", "/pt-BR/about/"},
		{"content/networks/africa.fr.md", "/fr/networks/africa/"},
		{"content/institutions/mak.de.md", NULL},     /* no such page */
		{"content/institutions/mak/photo.md", NULL},  /* no record */
		{"content/pages/x/index.md", NULL},           /* no bundles */
		{"content/institutions/mak.f_r.md", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		diags_t d = DIAGS_INIT;
		diag_error(&d, cases[i].path, 1, 1, "x");
		char *json = serve_errors_json(&d, built_in_two, NULL);
		char *want = cases[i].url ?
			xasprintf("\"url\":\"%s\"", cases[i].url) :
			xstrdup("\"url\":null");
		if (!strstr(json, want))
			fail_msg("%s: %s, not %s", cases[i].path, json, want);
		free(want);
		free(json);
		diags_free(&d);
	}
}

static void the_failed_page_lists_the_errors_as_text(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	diag_error(&d, "content/institutions/x.md", 3, 5,
		   "bad <script>alert(1)</script> & more");
	char *json = serve_errors_json(&d, NULL, NULL);
	char *page = serve_failed_page("my <site>/", json);
	assert_contains(page, "<h1>The site in my &lt;site&gt; could not be "
			"built</h1>");
	assert_contains(page, "<li>content/institutions/x.md:3:5: error: bad "
			"&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</li>");
	assert_contains(page, "<script src=\"/_partnermap/live.js?build=0\">"
			"</script>\n</body>");
	assert_not_contains(page, "<script>alert");
	free(page);
	/* the folder serve was started in, as its first line names it
	 * (the page said ". could not be built") */
	page = serve_failed_page(".", json);
	assert_contains(page, "<h1>The site in the current folder could not be "
			"built</h1>");
	free(page);
	free(json);
	diags_free(&d);
}

static void the_script_listens_to_the_events_it_is_sent(void **state)
{
	(void)state;
	assert_contains(serve_live_js, "new EventSource(\"/_partnermap/events?since=\"");
	assert_contains(serve_live_js, "addEventListener(\"reload\"");
	assert_contains(serve_live_js, "addEventListener(\"errors\"");
	/* messages become text, never markup */
	assert_not_contains(serve_live_js, "innerHTML");
}

/* ---- the watcher ---------------------------------------------------------- */

static void editors_files_and_hidden_ones_are_ignored(void **state)
{
	(void)state;
	static const char *const ignored[] = {
		".git", ".x.md.swp", ".#x.md", "x.md.swp", "x.md.swo", "x.md.swx",
		"x.md~", "#x.md#", "4913", "", "#11010073"};
	static const char *const kept[] = {
		"x.md", "site.yml", "4914", "49130", "#x.md", "swp", "x.swp.md",
		"output", "x~y.md", "#12a", "#"};
	for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
		if (!watch_ignored(ignored[i]))
			print_error("not ignored: \"%s\"\n", ignored[i]);
		assert_true(watch_ignored(ignored[i]));
	}
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		if (watch_ignored(kept[i]))
			print_error("ignored: \"%s\"\n", kept[i]);
		assert_false(watch_ignored(kept[i]));
	}
}

static void a_burst_of_changes_is_one_rebuild(void **state)
{
	(void)state;
	debounce b = {.quiet_ms = 80, .max_ms = 1000};
	assert_int_equal(debounce_wait(&b, 0), -1);
	debounce_note(&b, 1000, 0);
	assert_int_equal(debounce_wait(&b, 1000), 80);
	assert_int_equal(debounce_wait(&b, 1050), 30);
	/* each change in the burst pushes the rebuild back */
	debounce_note(&b, 1060, 0);
	assert_int_equal(debounce_wait(&b, 1100), 40);
	assert_int_equal(debounce_wait(&b, 1140), 0);
	assert_int_equal(debounce_wait(&b, 5000), 0);
	debounce_clear(&b);
	assert_int_equal(debounce_wait(&b, 5000), -1);
	/* changes without a pause: built max_ms after the first */
	for (long long t = 10000; t < 10990; t += 10)
		debounce_note(&b, t, 0);
	assert_int_equal(debounce_wait(&b, 10985), 15);
	debounce_note(&b, 10995, 0);
	assert_int_equal(debounce_wait(&b, 10995), 5);
	assert_int_equal(debounce_wait(&b, 11000), 0);
}

static void a_finished_save_waits_the_shorter_quiet(void **state)
{
	(void)state;
	debounce b = {.quiet_ms = 50, .settled_ms = 10, .max_ms = 1000};
	/* being written: the long quiet; closed: the short one from then */
	debounce_note(&b, 1000, 0);
	assert_int_equal(debounce_wait(&b, 1000), 50);
	debounce_note(&b, 1002, 1);
	assert_int_equal(debounce_wait(&b, 1002), 10);
	assert_int_equal(debounce_wait(&b, 1012), 0);
	/* a change after it that is not a finished save: the long one */
	debounce_note(&b, 1005, 0);
	assert_int_equal(debounce_wait(&b, 1012), 43);
}

/* A fresh temporary folder dir (4096 bytes) with dir/site/rel in it,
 * *site that folder (fresh), and a watch on it. */
static watch *watched_site(char *dir, const char *rel, char **site)
{
	assert_int_equal(fixture_tmpdir(dir, 4096, "pm-watch"), 0);
	char *file = fs_join("site", rel);
	fixture_put(dir, file, "x", 1);
	free(file);
	*site = fs_join(dir, "site");
	watch *w = watch_open(*site);
	assert_non_null(w);
	return w;
}

/* The watcher's pending events, then whether they are one finished save;
 * the burst is cleared after. */
static void expect_settled(watch *w, int want)
{
	watch_read(w);
	assert_int_equal(watch_settled(w), want);
	watch_burst_clear(w);
}

static void the_watcher_tells_a_finished_save_from_a_burst(void **state)
{
	(void)state;
	char dir[4096], *site;
	watch *w = watched_site(dir, "content/a.md", &site);
	char *a = fs_join(site, "content/a.md");
	char *side = fs_join(site, "content/.a.md.tmp");
	expect_settled(w, 0); /* nothing yet */
	/* written in place and closed; renamed into place */
	fixture_put(dir, "site/content/a.md", "y", 1);
	expect_settled(w, 1);
	fixture_put(dir, "site/content/.a.md.tmp", "z", 1);
	assert_int_equal(rename(side, a), 0);
	expect_settled(w, 1);
	/* opened for writing, not closed yet */
	FILE *f = fopen(a, "w");
	assert_non_null(f);
	expect_settled(w, 0);
	assert_int_equal(fclose(f), 0);
	expect_settled(w, 1);
	/* removed then written again: the removal keeps the long quiet */
	assert_int_equal(unlink(a), 0);
	fixture_put(dir, "site/content/a.md", "w", 1);
	expect_settled(w, 0);
	/* two files, or a folder */
	fixture_put(dir, "site/content/a.md", "v", 1);
	fixture_put(dir, "site/content/b.md", "v", 1);
	expect_settled(w, 0);
	fixture_put(dir, "site/content/sub/c.md", "v", 1);
	expect_settled(w, 0);
	watch_close(w);
	assert_int_equal(fs_remove_tree(dir), 0);
	free(site);
	free(a);
	free(side);
}

/* watch_change_fn: each path told, then "|"; "*" for anything. */
static void note_change(void *ctx, const char *rel)
{
	buf_printf(ctx, "%s|", rel ? rel : "*");
}

/* What w tells of the changes pending, as note_change writes it. */
static void expect_told(watch *w, buf_t *told, const char *want)
{
	buf_reset(told);
	watch_read(w);
	assert_string_equal(buf_cstr(told), want);
}

static void the_watcher_tells_which_files_changed(void **state)
{
	(void)state;
	char dir[4096], *site;
	watch *w = watched_site(dir, "content/old.md", &site);
	buf_t told = BUF_INIT;
	watch_on_change(w, note_change, &told);
	/* a file written (made, written, closed), a swap file not told */
	fixture_put(dir, "site/content/.x.md.swp", "x", 1);
	expect_told(w, &told, "");
	fixture_put(dir, "site/content/x.md", "x", 1);
	expect_told(w, &told, "content/x.md|content/x.md|content/x.md|");
	/* renamed over another: both names */
	char *from = fs_join(site, "content/x.md");
	char *to = fs_join(site, "content/old.md");
	assert_int_equal(rename(from, to), 0);
	expect_told(w, &told, "content/x.md|content/old.md|");
	/* a folder made: anything may be in it */
	char *sub = fs_join(site, "content/new");
	assert_int_equal(fs_mkdirs(sub), 0);
	expect_told(w, &told, "*|");
	watch_close(w);
	assert_int_equal(fs_remove_tree(dir), 0);
	buf_free(&told);
	free(site);
	free(from);
	free(to);
	free(sub);
}

static void the_watcher_sees_new_folders_and_skips_ignored_names(void **state)
{
	(void)state;
	char dir[4096], *site;
	watch *w = watched_site(dir, "content/old.md", &site);
	fixture_put(dir, "site/output/index.html", "x", 1);
	assert_int_equal(watch_read(w), 0);

	fixture_put(dir, "site/content/x.md", "x", 1);
	assert_true(watch_read(w) > 0);
	/* a swap file, vim's test file, the build's output folder */
	fixture_put(dir, "site/content/.x.md.swp", "x", 1);
	fixture_put(dir, "site/content/4913", "x", 1);
	fixture_put(dir, "site/output/index.html", "y", 1);
	assert_int_equal(watch_read(w), 0);
	/* a new folder, then a record in a folder made inside it after */
	char *deep = fs_join(dir, "site/content/new/deeper");
	assert_int_equal(fs_mkdirs(deep), 0);
	assert_true(watch_read(w) > 0);
	fixture_put(dir, "site/content/new/deeper/y.md", "x", 1);
	assert_true(watch_read(w) > 0);
	/* a folder moved out of the site is a change, then no longer
	 * watched */
	char *away = fs_join(dir, "away");
	assert_int_equal(rename(deep, away), 0);
	assert_true(watch_read(w) > 0);
	fixture_put(dir, "away/z.md", "x", 1);
	assert_int_equal(watch_read(w), 0);

	watch_close(w);
	assert_null(watch_open("/nonexistent/pm-watch"));
	assert_int_equal(fs_remove_tree(dir), 0);
	free(site);
	free(deep);
	free(away);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_banner_writes_out_control_characters),
		cmocka_unit_test(request_paths_map_to_files),
		cmocka_unit_test(paths_that_leave_the_output_are_refused),
		cmocka_unit_test(hidden_entries_are_not_found),
		cmocka_unit_test(only_addresses_and_localhost_are_answered),
		cmocka_unit_test(hosts_follow_rfc_9112),
		cmocka_unit_test(broken_field_names_are_told_apart),
		cmocka_unit_test(content_types_go_by_extension),
		cmocka_unit_test(every_bundle_kind_is_served_as_its_kind),
		cmocka_unit_test(the_script_goes_before_the_last_body_end),
		cmocka_unit_test(events_put_each_line_in_its_own_data_field),
		cmocka_unit_test(errors_name_their_place_and_the_page_to_look_at),
		cmocka_unit_test(errors_of_translations_and_bundles_link_their_page),
		cmocka_unit_test(errors_of_one_file_are_listed_up_to_a_bound),
		cmocka_unit_test(the_failed_page_lists_the_errors_as_text),
		cmocka_unit_test(the_script_listens_to_the_events_it_is_sent),
		cmocka_unit_test(editors_files_and_hidden_ones_are_ignored),
		cmocka_unit_test(a_burst_of_changes_is_one_rebuild),
		cmocka_unit_test(a_finished_save_waits_the_shorter_quiet),
		cmocka_unit_test(the_watcher_tells_a_finished_save_from_a_burst),
		cmocka_unit_test(the_watcher_sees_new_folders_and_skips_ignored_names),
		cmocka_unit_test(the_watcher_tells_which_files_changed),
	};
	return cmocka_run_group_tests_name("serve", tests, NULL, NULL);
}
