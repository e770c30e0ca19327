/* test_text_unicode_browser.c - the build's search fold and the browser's
 * agree: every code point of the example site's records and of broad
 * samples of many scripts, alone, and every line of those records, folded
 * by text_fold here and by the fold of the default theme's app.js in node
 * (tests/unit/fold_browser.js). Code points unassigned in utf8proc's
 * Unicode are left out here; those unassigned in node's are skipped there.
 * Without node the test is skipped. Run from the repository's top. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <utf8proc.h>

#include "fixture.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/text_unicode.h"

#define RECORDS "content/institutions"
#define APP_JS "themes/default/assets/app.js"

/* Code point ranges, first and last: Latin (with IPA and the extended
 * blocks), combining marks, Greek, Cyrillic, Hebrew, Arabic, Devanagari,
 * Bengali, Thai, Ethiopic, Hangul jamo and a run of syllables, kana, CJK,
 * punctuation, letterlike and enclosed forms, ligatures, full- and
 * half-width forms, mathematical letters. */
static const utf8proc_int32_t samples[][2] = {
	{0x0000, 0x036F}, {0x0370, 0x03FF}, {0x0400, 0x052F},
	{0x0590, 0x05FF}, {0x0600, 0x06FF}, {0x0750, 0x077F},
	{0x0900, 0x097F}, {0x0980, 0x09FF}, {0x0E00, 0x0E7F},
	{0x1100, 0x11FF}, {0x1200, 0x139F}, {0x1D00, 0x1FFF},
	{0x2000, 0x214F}, {0x2460, 0x24FF}, {0x2C60, 0x2C7F},
	{0x3000, 0x30FF}, {0x4E00, 0x4FFF}, {0xA720, 0xA7FF},
	{0xAB30, 0xAB6F}, {0xAC00, 0xAFFF}, {0xFB00, 0xFDFF},
	{0xFE70, 0xFEFF}, {0xFF00, 0xFFEF}, {0x1D400, 0x1D7FF},
};

static int assigned(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c != UTF8PROC_CATEGORY_CN && c != UTF8PROC_CATEGORY_CS &&
	       c != UTF8PROC_CATEGORY_CO;
}

/* 1 when every code point of the UTF-8 text s is assigned here. */
static int all_assigned(const char *s)
{
	utf8proc_int32_t cp;
	for (utf8proc_ssize_t i = 0, n; s[i]; i += n) {
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, -1, &cp);
		if (n <= 0 || !assigned(cp))
			return 0;
	}
	return 1;
}

static void add_case(cJSON *cases, const char *text)
{
	if (!all_assigned(text))
		return;
	buf_t b = BUF_INIT;
	text_fold(&b, text);
	cJSON *pair = cJSON_CreateArray();
	cJSON_AddItemToArray(pair, cJSON_CreateString(text));
	cJSON_AddItemToArray(pair, cJSON_CreateString(buf_cstr(&b)));
	cJSON_AddItemToArray(cases, pair);
	buf_free(&b);
}

static void add_code_point(cJSON *cases, utf8proc_int32_t cp)
{
	utf8proc_uint8_t enc[5] = {0};
	if (cp == 0 || !utf8proc_codepoint_valid(cp))
		return;
	utf8proc_encode_char(cp, enc);
	add_case(cases, (const char *)enc);
}

/* Every line of every record, and each code point in it, alone. */
static size_t add_records(cJSON *cases)
{
	char **names;
	size_t n, lines = 0;
	assert_int_equal(fs_list(RECORDS, &names, &n), 0);
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(RECORDS, names[i]);
		struct stat sb;
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			/* a page bundle: its record is index.md */
			char *index = fs_join(path, "index.md");
			free(path);
			path = index;
		}
		buf_t text = BUF_INIT;
		assert_int_equal(fs_read(path, &text), 0);
		char *save = NULL;
		for (char *line = strtok_r(text.ptr, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save), lines++) {
			add_case(cases, line);
			utf8proc_int32_t cp;
			for (utf8proc_ssize_t k = 0, m; line[k]; k += m) {
				m = utf8proc_iterate((const utf8proc_uint8_t *)line + k, -1, &cp);
				assert_true(m > 0);
				add_code_point(cases, cp);
			}
		}
		buf_free(&text);
		free(path);
	}
	fs_free_list(names);
	return lines;
}

static void test_browser_fold_agrees(void **state)
{
	(void)state;
	if (system("node --version >/dev/null 2>&1") != 0)
		skip();
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "pairs", text_fold_pairs());
	cJSON *cases = cJSON_AddArrayToObject(doc, "cases");
	assert_true(add_records(cases) > 77 * 10);
	for (size_t r = 0; r < sizeof samples / sizeof *samples; r++)
		for (utf8proc_int32_t cp = samples[r][0]; cp <= samples[r][1]; cp++)
			add_code_point(cases, cp);
	/* mixed cases whose parts interact: marks across a case change,
	 * runs of punctuation, a table letter beside a mark */
	add_case(cases, "  ΣΊΣΥΦΟΣ — İİ ĐẠI, học;; Øe\xcc\x88 ß\xcc\x81 ");
	add_case(cases, "ﬃ Ⅻ ㈱ ℡ ½ ¹ ｶﾞ ㋐ 𝔄𝔟");
	assert_true(cJSON_GetArraySize(cases) > 20000);

	char dir[256];
	assert_int_equal(fixture_tmpdir(dir, sizeof dir, "pm-fold"), 0);
	char *json = cJSON_PrintUnformatted(doc);
	fixture_put(dir, "cases.json", json, strlen(json));
	char *cmd = xasprintf("node tests/unit/fold_browser.js '%s/cases.json' %s",
			      dir, APP_JS);
	int rc = system(cmd);
	free(cmd);
	free(json);
	cJSON_Delete(doc);
	fs_remove_tree(dir);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_browser_fold_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
