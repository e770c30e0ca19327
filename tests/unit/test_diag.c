/* test_diag.c - the names of warnings, what site.yml's checks: and
 * --strict do to them, and the forms problems take for CI: the text,
 * GitHub workflow commands, the GitLab Code Quality report and the JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/report.h"

/* What diags_print writes, as a fresh string. */
static char *printed(const diags_t *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	diags_print(d, f);
	fclose(f);
	return text;
}

/* One warning, one error, one warning at the file level, one problem in
 * no file: the four shapes a diagnostic takes. */
static void four(diags_t *d)
{
	diag_warning(d, LOCATION_OUTSIDE_COUNTRY, "content/institutions/x.md",
		     5, 11, "location falls in %s, not %s", "Algeria", "Uganda");
	diag_error(d, "content/institutions/y.md", 4, 12,
		   "latitude 95.2 is out of range [-90, 90]");
	diag_warning(d, BASEMAP_NO_PRJ, "geodata/world.shp", 0, 0,
		     "no .prj: assuming WGS 84 longitude/latitude");
	diag_error(d, NULL, 0, 0, "SOURCE_DATE_EPOCH is 'x'");
}

/* ---- names -------------------------------------------------------------- */

static void every_check_has_a_distinct_name_and_a_description(void **state)
{
	(void)state;
	assert_null(diag_check_name(CHECK_NONE));
	assert_null(diag_check_name(CHECK_COUNT));
	for (int i = CHECK_NONE + 1; i < CHECK_COUNT; i++) {
		const char *name = diag_check_name((check_id)i);
		assert_non_null(name);
		/* lower-case words joined by dashes, as compilers' -W names */
		for (const char *p = name; *p; p++)
			assert_true(islower((unsigned char)*p) || *p == '-');
		assert_true(name[0] != '-' && name[strlen(name) - 1] != '-');
		assert_true(strlen(diag_check_what((check_id)i)) > 10);
		assert_int_equal(diag_check_by_name(name), i);
		for (int k = CHECK_NONE + 1; k < i; k++)
			assert_string_not_equal(diag_check_name((check_id)k), name);
	}
	assert_int_equal(diag_check_by_name("no-such-check"), CHECK_NONE);
	assert_int_equal(diag_check_by_name(NULL), CHECK_NONE);
	assert_string_equal(diag_check_name(CHECK_UNKNOWN_KEY), "unknown-key");
	assert_string_equal(diag_check_name(CHECK_LOCATION_OUTSIDE_COUNTRY),
			    "location-outside-country");
}

static void the_list_of_checks_has_one_line_each(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diags_print_checks(f);
	fclose(f);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	assert_int_equal(lines, CHECK_COUNT - 1);
	assert_contains(text, "\nlocation-outside-country  a location falls in "
			"another country than the record's country\n");
	free(text);
}

static void policy_words(void **state)
{
	(void)state;
	assert_int_equal(policy_action_from("error"), POLICY_ERROR);
	assert_int_equal(policy_action_from("warning"), POLICY_WARN);
	assert_int_equal(policy_action_from("ignore"), POLICY_IGNORE);
	assert_int_equal(policy_action_from("Error"), -1);
	assert_int_equal(policy_action_from("off"), -1);
	assert_int_equal(policy_action_from(NULL), -1);
}

/* ---- text --------------------------------------------------------------- */

static void text_names_each_warning_and_every_file_has_a_position(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	four(&d);
	char *text = printed(&d);
	assert_string_equal(text,
		"content/institutions/x.md:5:11: warning: location falls in "
		"Algeria, not Uganda [location-outside-country]\n"
		"content/institutions/y.md:4:12: error: latitude 95.2 is out of "
		"range [-90, 90]\n"
		"geodata/world.shp:1:1: warning: no .prj: assuming WGS 84 "
		"longitude/latitude [basemap-no-prj]\n"
		"partnermap: error: SOURCE_DATE_EPOCH is 'x'\n"
		"2 errors, 2 warnings\n");
	free(text);
	diags_free(&d);
}

/* The text shows at most DIAG_PRINT_PER_FILE problems of one file, its
 * errors first: a file of 5,000 slips is not 5,000 lines to scroll
 * through. The rest of that file's are counted, by level, in one note
 * after its last shown, at the place of the first not shown; other
 * files, and problems of no file, are all shown; the count line counts
 * every problem. */
static void text_shows_a_files_first_problems_and_counts_the_rest(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	int over = 5;
	for (int i = 0; i < DIAG_PRINT_PER_FILE + over; i++)
		if (i % 2)
			diag_warning(&d, UNKNOWN_KEY, "a.md", i + 2, 1,
				     "unknown key 'k%d' (ignored)", i);
		else
			diag_error(&d, "a.md", i + 2, 1, "bad %d", i);
	for (int i = 0; i < 3; i++)
		diag_error(&d, "b.md", i + 2, 1, "bad b%d", i);
	diag_error(&d, NULL, 0, 0, "SOURCE_DATE_EPOCH is 'x'");
	char *text = printed(&d);
	buf_t want = BUF_INIT;
	/* every error (the even ones), then the first warnings */
	int errors = (DIAG_PRINT_PER_FILE + over + 1) / 2,
	    warnings_shown = DIAG_PRINT_PER_FILE - errors;
	for (int i = 0; i < DIAG_PRINT_PER_FILE + over; i++)
		if (i % 2 == 0)
			buf_printf(&want, "a.md:%d:1: error: bad %d\n", i + 2, i);
		else if (i / 2 < warnings_shown)
			buf_printf(&want, "a.md:%d:1: warning: unknown key 'k%d' "
				   "(ignored) [unknown-key]\n", i + 2, i);
	buf_printf(&want, "a.md:%d:1: note: 5 more problems of this file are "
		   "not shown (5 warnings): fix the ones above first; "
		   "partnermap check --format json lists them all\n",
		   2 * warnings_shown + 1 + 2);
	buf_puts(&want, "b.md:2:1: error: bad b0\nb.md:3:1: error: bad b1\n"
		 "b.md:4:1: error: bad b2\n"
		 "partnermap: error: SOURCE_DATE_EPOCH is 'x'\n");
	buf_printf(&want, "%d errors, %d warnings\n", errors + 4,
		   (DIAG_PRINT_PER_FILE + over) / 2);
	assert_string_equal(text, buf_cstr(&want));
	free(text);
	buf_free(&want);
	/* one over: told as one problem, of its level; errors hidden too
	 * when there are more than DIAG_PRINT_PER_FILE */
	diags_free(&d);
	for (int i = 0; i < DIAG_PRINT_PER_FILE + 2; i++)
		diag_error(&d, "a.md", i + 2, 1, "bad");
	diag_warning(&d, UNKNOWN_KEY, "a.md", 1, 1, "unknown");
	text = printed(&d);
	assert_null(strstr(text, "[unknown-key]"));
	char *errs = xasprintf("a.md:%d:1: error: bad\na.md:%d:1: note: 3 more "
			       "problems of this file are not shown (2 errors, "
			       "1 warning): ", DIAG_PRINT_PER_FILE + 1,
			       DIAG_PRINT_PER_FILE + 2);
	assert_non_null(strstr(text, errs));
	free(errs);
	free(text);
	/* a flood of one kind hides no warning of another */
	diags_free(&d);
	for (int i = 0; i < DIAG_PRINT_PER_FILE + 10; i++)
		diag_warning(&d, MISSING_TRANSLATION, "eo.yml", 1, 1, "no %d", i);
	diag_warning(&d, UNKNOWN_KEY, "eo.yml", 3, 5, "unknown key 'x'");
	text = printed(&d);
	assert_non_null(strstr(text, "no 28 [missing-translation]\neo.yml:3:5: "
			       "warning: unknown key 'x' [unknown-key]\neo.yml:1:1: "
			       "note: 11 more problems of this file are not shown "
			       "(11 warnings)"));
	assert_null(strstr(text, "no 29 "));
	free(text);
	diags_free(&d);
	for (int i = 0; i < DIAG_PRINT_PER_FILE + 1; i++)
		diag_warning(&d, UNKNOWN_KEY, "a.md", i + 2, 1, "unknown");
	text = printed(&d);
	char *note = xasprintf("a.md:%d:1: note: 1 more problem of this file is "
			       "not shown (1 warning): fix the ones above first; "
			       "partnermap check --format json lists them all\n",
			       DIAG_PRINT_PER_FILE + 2);
	assert_non_null(strstr(text, note));
	free(note);
	free(text);
	diags_free(&d);
}

static void fatal_is_at_the_start_of_its_file(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	diag_fatal(&d, "geodata/world.shp", "truncated or corrupt shapefile");
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 1);
	assert_int_equal(d.fatals, 1);
	diags_free(&d);
}

/* A file's parser tells its problems before the field checks do: the
 * editor gets them from the top, line then column, ties in the order
 * told, a problem of the whole file first (1:1, its top); files stay
 * in the order first told, a file's problems told apart join the first,
 * a problem told twice at one place is kept once, and a problem of no
 * file stays where it is. */
static void a_files_problems_come_from_the_top(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	diag_error(&d, "b.md", 11, 28, "nul");
	diag_error(&d, "b.md", 12, 14, "comma");
	diag_error(&d, "b.md", 3, 10, "country");
	diag_error(&d, "b.md", 11, 5, "earlier on 11");
	diag_warning(&d, UNKNOWN_KEY, "b.md", 3, 10, "tie, told later");
	diag_error(&d, "b.md", 0, 0, "the file");
	diag_error(&d, NULL, 0, 0, "no file");
	diag_error(&d, "a.md", 9, 1, "a nine");
	diag_error(&d, "a.md", 2, 1, "a two");
	diag_error(&d, "b.md", 1, 5, "b again, apart");
	/* told again at its place by a later check: kept once */
	diag_error(&d, "b.md", 12, 14, "comma");
	diag_warning(&d, UNKNOWN_KEY, "a.md", 2, 1, "a two");
	diags_sort_runs(&d);
	/* the file as a whole (1:1) first, at its top; a file's problems
	 * told later (a check across files) join the first told of it */
	const char *want[] = {"the file", "b again, apart", "country",
			      "tie, told later", "earlier on 11", "nul", "comma",
			      "no file", "a two", "a two", "a nine"};
	assert_int_equal(d.n, 11);
	for (size_t i = 0; i < d.n; i++)
		assert_string_equal(d.v[i].msg, want[i]);
	/* the same words as a warning are another problem */
	assert_int_equal(d.v[9].level, DIAG_WARNING);
	assert_int_equal(d.errors, 9);
	assert_int_equal(d.warnings, 2);
	/* in order already: left as it is */
	diags_sort_runs(&d);
	for (size_t i = 0; i < d.n; i++)
		assert_string_equal(d.v[i].msg, want[i]);
	diags_free(&d);
}

/* ---- policy --------------------------------------------------------------- */

/* A file name from another encoding: every byte not part of valid UTF-8
 * is kept as <0xXX>, so each report format stays UTF-8; valid characters,
 * U+FFFD itself among them, are kept as they are. */
static void bytes_not_utf8_are_shown_as_hex(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	diag_error(&d, "content/pages/\xc3.md", 0, 0,
		   "'%s' is not \xe9t\xc3\xa9 \xef\xbf\xbd \xed\xa0\x80", "\xc3");
	assert_string_equal(d.v[0].path, "content/pages/<0xC3>.md");
	assert_string_equal(d.v[0].msg, "'<0xC3>' is not <0xE9>t\xc3\xa9 "
					"\xef\xbf\xbd <0xED><0xA0><0x80>");
	diags_free(&d);
}

/* *d: the four diagnostics of four() with policy p applied. */
static void four_under(diags_t *d, const diag_policy *p)
{
	*d = (diags_t)DIAGS_INIT;
	four(d);
	diags_apply(d, p);
}

/* d holds n diagnostics, errors of them errors and warnings warnings. */
static void assert_counts(const diags_t *d, size_t n, size_t errors,
			  size_t warnings)
{
	assert_int_equal(d->n, n);
	assert_int_equal(d->errors, errors);
	assert_int_equal(d->warnings, warnings);
}

static void checks_turn_a_warning_into_an_error_or_leave_it_out(void **state)
{
	(void)state;
	diag_policy p = {{0}, 0};
	p.action[CHECK_LOCATION_OUTSIDE_COUNTRY] = POLICY_ERROR;
	p.action[CHECK_BASEMAP_NO_PRJ] = POLICY_IGNORE;
	diags_t d;
	four_under(&d, &p);
	assert_counts(&d, 3, 3, 0);
	char *text = printed(&d);
	assert_string_equal(text,
		"content/institutions/x.md:5:11: error: location falls in "
		"Algeria, not Uganda [location-outside-country]\n"
		"content/institutions/y.md:4:12: error: latitude 95.2 is out of "
		"range [-90, 90]\n"
		"partnermap: error: SOURCE_DATE_EPOCH is 'x'\n"
		"3 errors, 0 warnings\n");
	free(text);
	/* the same policy again changes nothing */
	diags_apply(&d, &p);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.errors, 3);
	diags_free(&d);
}

static void strict_makes_every_warning_not_ignored_an_error(void **state)
{
	(void)state;
	diag_policy p = {{0}, 1};
	p.action[CHECK_BASEMAP_NO_PRJ] = POLICY_IGNORE;
	diags_t d;
	four_under(&d, &p);
	assert_counts(&d, 3, 3, 0);
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_int_equal(d.v[0].check, CHECK_LOCATION_OUTSIDE_COUNTRY);
	diags_free(&d);

	/* the default policy keeps warnings as they are */
	diags_t w = DIAGS_INIT;
	four(&w);
	diag_policy none = {{0}, 0};
	diags_apply(&w, &none);
	assert_int_equal(w.n, 4);
	assert_int_equal(w.warnings, 2);
	assert_int_equal(w.errors, 2);
	diags_free(&w);
}

/* ---- where the site is in the repository ---------------------------------- */

static void mkdirs(const char *base, const char *rel)
{
	char *path = fs_join(base, rel);
	assert_int_equal(fs_mkdirs(path), 0);
	free(path);
}

static void the_site_folder_is_found_in_its_repository(void **state)
{
	(void)state;
	char dir[] = "/tmp/pm-diag-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *real = realpath(dir, NULL);
	mkdirs(dir, "repo/.git");
	mkdirs(dir, "repo/sites/partners/content");
	char *site = fs_join(dir, "repo/sites/partners");
	report_where w;

	/* walked up to the folder with .git in it */
	report_where_find(&w, site, NULL);
	char *root = fs_join(real, "repo");
	assert_string_equal(w.root, root);
	assert_string_equal(w.prefix, "sites/partners/");
	char *p = report_path(&w, "content/institutions/x.md");
	assert_string_equal(p, "sites/partners/content/institutions/x.md");
	free(p);
	/* an absolute path inside the repository is made relative */
	char *abs = fs_join(root, "out/index.html");
	p = report_path(&w, abs);
	assert_string_equal(p, "out/index.html");
	free(p);
	p = report_path(&w, "/usr/share/iso-codes/json/iso_3166-1.json");
	assert_string_equal(p, "/usr/share/iso-codes/json/iso_3166-1.json");
	free(p);
	assert_null(report_path(&w, NULL));
	free(abs);
	report_where_free(&w);

	/* GITHUB_WORKSPACE (or CI_PROJECT_DIR) wins when the site is in it */
	char *ws = fs_join(dir, "repo/sites");
	report_where_find(&w, site, ws);
	assert_string_equal(w.prefix, "partners/");
	report_where_free(&w);
	/* ... and is passed over when it is not */
	char *elsewhere = fs_join(dir, "elsewhere");
	mkdirs(dir, "elsewhere");
	report_where_find(&w, site, elsewhere);
	assert_string_equal(w.prefix, "sites/partners/");
	report_where_free(&w);

	/* a linked work tree has a .git file, not a folder */
	mkdirs(dir, "wt/site");
	char *gitfile = fs_join(dir, "wt/.git");
	FILE *f = fopen(gitfile, "w");
	fputs("gitdir: ../repo/.git/worktrees/wt\n", f);
	fclose(f);
	char *wtsite = fs_join(dir, "wt/site");
	report_where_find(&w, wtsite, NULL);
	assert_string_equal(w.prefix, "site/");
	report_where_free(&w);

	/* the site at the top of its repository: no prefix */
	report_where_find(&w, root, NULL);
	assert_string_equal(w.prefix, "");
	report_where_free(&w);

	/* a folder that does not exist: paths as they are */
	char *none = fs_join(dir, "none");
	report_where_find(&w, none, NULL);
	assert_null(w.root);
	assert_string_equal(w.prefix, "");
	report_where_free(&w);

	free(none);
	free(wtsite);
	free(gitfile);
	free(elsewhere);
	free(ws);
	free(root);
	free(site);
	fs_remove_tree(dir);
	free(real);
}

/* ---- GitHub --------------------------------------------------------------- */

static void github_escapes_as_the_runner_reads_it(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	report_github_escape_data(&b, "50% done: a,b\r\nnext");
	assert_string_equal(buf_cstr(&b), "50%25 done: a,b%0D%0Anext");
	buf_reset(&b);
	report_github_escape_property(&b, "C:\\sites,old/x%.md\n");
	assert_string_equal(buf_cstr(&b), "C%3A\\sites%2Cold/x%25.md%0A");
	buf_free(&b);
}

static void github_gives_one_command_per_problem(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	four(&d);
	diag_error(&d, "content/a,b.md", 2, 3, "100%% wrong: here");
	report_where w = {NULL, "site/"};
	buf_t b = BUF_INIT;
	report_github(&d, &w, &b);
	assert_string_equal(buf_cstr(&b),
		"::warning file=site/content/institutions/x.md,line=5,col=11,"
		"title=location-outside-country::location falls in Algeria, not "
		"Uganda\n"
		"::error file=site/content/institutions/y.md,line=4,col=12,"
		"title=partnermap::latitude 95.2 is out of range [-90, 90]\n"
		"::warning file=site/geodata/world.shp,line=1,col=1,"
		"title=basemap-no-prj::no .prj: assuming WGS 84 "
		"longitude/latitude\n"
		"::error title=partnermap::SOURCE_DATE_EPOCH is 'x'\n"
		"::error file=site/content/a%2Cb.md,line=2,col=3,title=partnermap::"
		"100%25 wrong: "
		"here\n");
	buf_free(&b);
	diags_free(&d);
}

/* A problem of a file the repository does not hold (site.yml missing) or
 * of a folder (init's, content/) was an annotation on a file GitHub
 * cannot show: it goes to the step's summary, its path in its message. */
static void github_annotates_only_files_the_repository_holds(void **state)
{
	(void)state;
	char dir[] = "/tmp/pm-report-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *sub = xasprintf("%s/site/content", dir), *file =
		xasprintf("%s/x.md", sub);
	assert_int_equal(fs_mkdirs(sub), 0);
	FILE *fp = fopen(file, "w");
	assert_non_null(fp);
	fclose(fp);
	diags_t d = DIAGS_INIT;
	diag_error(&d, "content/x.md", 2, 3, "here");
	diag_error(&d, "site.yml", 0, 0, "missing");
	diag_error(&d, "content", 0, 0, "a folder");
	report_where w = {dir, "site/"};
	buf_t b = BUF_INIT;
	report_github(&d, &w, &b);
	assert_string_equal(buf_cstr(&b),
		"::error file=site/content/x.md,line=2,col=3,title=partnermap::here\n"
		"::error title=partnermap::site/site.yml: missing\n"
		"::error title=partnermap::site/content: a folder\n");
	buf_free(&b);
	diags_free(&d);
	fs_remove_tree(dir);
	free(sub);
	free(file);
}

static void github_says_when_it_shows_only_some(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	for (int i = 0; i < REPORT_GITHUB_SHOWN + 1; i++)
		diag_warning(&d, UNKNOWN_KEY, "site.yml", i + 1, 1,
			     "unknown key 'k%d' (ignored)", i);
	report_where w = {NULL, ""};
	buf_t b = BUF_INIT;
	report_github(&d, &w, &b);
	const char *last = strstr(buf_cstr(&b), "::notice");
	assert_non_null(last);
	assert_string_equal(last,
		"::notice title=partnermap::0 errors and 11 warnings: GitHub "
		"shows the first 10 of each here; this step's log lists them "
		"all\n");
	/* ten of each kind: no notice */
	buf_reset(&b);
	diags_free(&d);
	for (int i = 0; i < REPORT_GITHUB_SHOWN; i++)
		diag_error(&d, "site.yml", i + 1, 1, "e%d", i);
	report_github(&d, &w, &b);
	assert_not_contains(buf_cstr(&b), "::notice");
	buf_free(&b);
	diags_free(&d);
}

/* ---- GitLab --------------------------------------------------------------- */

static void md5_matches_rfc_1321(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"", "d41d8cd98f00b204e9800998ecf8427e"},
		{"a", "0cc175b9c0f1b6a831c399e269772661"},
		{"abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		 "d174ab98d277d9f5a5611c2c9f419d9f"},
		{"1234567890123456789012345678901234567890123456789012345678901234"
		 "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char hex[33];
		report_md5_hex(cases[i][0], strlen(cases[i][0]), hex);
		assert_string_equal(hex, cases[i][1]);
	}
	/* 55, 56 and 64 bytes: the padding spills into a second block */
	static const size_t sizes[] = {55, 56, 63, 64, 65};
	static const char *const want[] = {
		"ef1772b6dff9a122358552954ad0df65",
		"3b0c8ac703f828b04c6c197006d17218",
		"b06521f39153d618550606be297466d5",
		"014842d480b571495a4a0363793f7367",
		"c743a45e0d2e6a95cb859adae0248435"};
	char a[65];
	memset(a, 'a', sizeof a);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char hex[33];
		report_md5_hex(a, sizes[i], hex);
		assert_string_equal(hex, want[i]);
	}
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void gitlab_report_has_the_code_quality_fields(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	four(&d);
	diag_fatal(&d, "geodata/world.shp", "truncated or corrupt shapefile");
	/* the same problem twice in one file: two fingerprints */
	diag_warning(&d, LISTED_TWICE, "content/institutions/x.md", 7, 3,
		     "network 'africa' is listed twice");
	diag_warning(&d, LISTED_TWICE, "content/institutions/x.md", 7, 20,
		     "network 'africa' is listed twice");
	report_where w = {NULL, "site/"};
	char *text = report_gitlab(&d, &w);
	cJSON *all = cJSON_Parse(text);
	assert_non_null(all);
	assert_int_equal(cJSON_GetArraySize(all), 7);

	const cJSON *o = cJSON_GetArrayItem(all, 0);
	assert_string_equal(str(o, "type"), "issue");
	assert_string_equal(str(o, "description"),
			    "location falls in Algeria, not Uganda");
	assert_string_equal(str(o, "check_name"), "location-outside-country");
	assert_string_equal(str(o, "severity"), "minor");
	const cJSON *loc = cJSON_GetObjectItemCaseSensitive(o, "location");
	assert_string_equal(str(loc, "path"), "site/content/institutions/x.md");
	const cJSON *lines = cJSON_GetObjectItemCaseSensitive(loc, "lines");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(lines, "begin")->valueint, 5);
	/* the fingerprint: MD5 of path, name and message, not of the line */
	const char *key = "site/content/institutions/x.md\n"
			  "location-outside-country\n"
			  "location falls in Algeria, not Uganda";
	char hex[33];
	report_md5_hex(key, strlen(key), hex);
	assert_string_equal(str(o, "fingerprint"), hex);

	o = cJSON_GetArrayItem(all, 1);
	assert_string_equal(str(o, "check_name"), "error");
	assert_string_equal(str(o, "severity"), "major");
	o = cJSON_GetArrayItem(all, 3); /* in no file: the site folder */
	loc = cJSON_GetObjectItemCaseSensitive(o, "location");
	assert_string_equal(str(loc, "path"), "site");
	o = cJSON_GetArrayItem(all, 4);
	assert_string_equal(str(o, "severity"), "critical");

	/* every fingerprint differs, the twins' too */
	for (int i = 0; i < 7; i++)
		for (int k = 0; k < i; k++)
			assert_string_not_equal(
				str(cJSON_GetArrayItem(all, i), "fingerprint"),
				str(cJSON_GetArrayItem(all, k), "fingerprint"));
	/* and a second run gives the same ones */
	char *again = report_gitlab(&d, &w);
	assert_string_equal(again, text);
	free(again);
	cJSON_Delete(all);
	free(text);

	/* no problem: an empty array, which GitLab reads as "all clear" */
	diags_t none = DIAGS_INIT;
	text = report_gitlab(&none, &w);
	assert_string_equal(text, "[]\n");
	free(text);
	diags_free(&d);
}

/* ---- partnermap's JSON ------------------------------------------------------ */

static void json_has_the_same_keys_in_the_same_order_always(void **state)
{
	(void)state;
	diags_t d = DIAGS_INIT;
	four(&d);
	char *text = report_json(&d);
	cJSON *all = cJSON_Parse(text);
	assert_non_null(all);
	assert_int_equal(cJSON_GetArraySize(all), 4);
	static const char *const keys[] = {"severity", "check", "path", "line",
					   "column", "message"};
	const cJSON *o;
	cJSON_ArrayForEach(o, all) {
		const cJSON *kid = o->child;
		for (size_t k = 0; k < 6; k++, kid = kid->next) {
			assert_non_null(kid);
			assert_string_equal(kid->string, keys[k]);
		}
		assert_null(kid);
	}
	char *compact = cJSON_PrintUnformatted(all);
	assert_string_equal(compact,
		"[{\"severity\":\"warning\",\"check\":\"location-outside-country\","
		"\"path\":\"content/institutions/x.md\",\"line\":5,\"column\":11,"
		"\"message\":\"location falls in Algeria, not Uganda\"},"
		"{\"severity\":\"error\",\"check\":null,"
		"\"path\":\"content/institutions/y.md\",\"line\":4,\"column\":12,"
		"\"message\":\"latitude 95.2 is out of range [-90, 90]\"},"
		"{\"severity\":\"warning\",\"check\":\"basemap-no-prj\","
		"\"path\":\"geodata/world.shp\",\"line\":1,\"column\":1,"
		"\"message\":\"no .prj: assuming WGS 84 longitude/latitude\"},"
		"{\"severity\":\"error\",\"check\":null,\"path\":null,"
		"\"line\":null,\"column\":null,"
		"\"message\":\"SOURCE_DATE_EPOCH is 'x'\"}]");
	cJSON_free(compact);
	cJSON_Delete(all);
	free(text);
	/* a warning made an error keeps its name */
	diag_policy strict = {{0}, 1};
	diags_apply(&d, &strict);
	text = report_json(&d);
	assert_contains(text, "\"severity\":\t\"error\",\n\t\t\"check\":\t"
			"\"location-outside-country\"");
	free(text);
	diags_free(&d);
}

/* A user-written value quoted in a message (a link of a megabyte) is
 * kept to its first DIAG_QUOTE_MAX bytes, cut before a character that
 * would not fit whole, with "…" after it; a short one is quoted whole. */
static void quoted_values_are_bounded(void **state)
{
	(void)state;
	char line[64];
	snprintf(line, sizeof line, "'%.*s%s'", DIAG_QUOTE("form.pdf"));
	assert_string_equal(line, "'form.pdf'");
	/* exactly the bound: whole */
	char *s = malloc(4 * DIAG_QUOTE_MAX + 8);
	memset(s, 'a', DIAG_QUOTE_MAX);
	s[DIAG_QUOTE_MAX] = '\0';
	assert_int_equal(diag_quote_len(s), DIAG_QUOTE_MAX);
	assert_string_equal(diag_quote_more(s), "");
	/* one more byte: cut, with the ellipsis */
	strcpy(s + DIAG_QUOTE_MAX, "b");
	assert_int_equal(diag_quote_len(s), DIAG_QUOTE_MAX);
	assert_string_equal(diag_quote_more(s), "\u2026");
	/* a two-byte character across the bound is left out whole */
	memset(s, 'a', DIAG_QUOTE_MAX - 1);
	strcpy(s + DIAG_QUOTE_MAX - 1, "\u00e9zz");
	assert_int_equal(diag_quote_len(s), DIAG_QUOTE_MAX - 1);
	/* four-byte ones: cut at one's start */
	s[0] = '\0';
	for (int k = 0; k < DIAG_QUOTE_MAX; k++)
		strcat(s, "\U0001F600");
	assert_int_equal(diag_quote_len(s), DIAG_QUOTE_MAX / 4 * 4);
	assert_string_equal(diag_quote_more(s), "\u2026");
	/* in a message */
	diags_t d = DIAGS_INIT;
	memset(s, 'x', 4 * DIAG_QUOTE_MAX);
	s[4 * DIAG_QUOTE_MAX] = '\0';
	diag_error(&d, "a.md", 1, 1, "links to '%.*s%s'", DIAG_QUOTE(s));
	assert_int_equal(strlen(d.v[0].msg),
			 strlen("links to ''") + DIAG_QUOTE_MAX + strlen("\u2026"));
	diags_free(&d);
	free(s);
}

/* A message that quotes a value whole ('%s': capacity's, page_size's)
 * is cut by diags_add: a run of more than DIAG_RUN_MAX bytes without a
 * space keeps its first DIAG_QUOTE_MAX, "…" and what closes it; shorter
 * runs, and the words around, stay as they are. */
static void long_runs_in_a_message_are_cut(void **state)
{
	(void)state;
	char *a = malloc(3001), *x = malloc(DIAG_RUN_MAX + 1);
	memset(a, 'a', 3000);
	a[3000] = '\0';
	memset(x, 'x', DIAG_RUN_MAX);
	x[DIAG_RUN_MAX] = '\0';
	diags_t d = DIAGS_INIT;
	diag_error(&d, "a.md", 1, 1, "capacity must be a whole number, not '%s': "
		   "write one", a);
	diag_error(&d, "a.md", 2, 1, "keeps '%s', whole", x);
	diag_error(&d, "a.md", 3, 1, "(%s)", a);
	char *want = xasprintf("capacity must be a whole number, not '%.*s\u2026':"
			       " write one", DIAG_QUOTE_MAX, a);
	assert_string_equal(d.v[0].msg, want);
	free(want);
	want = xasprintf("keeps '%s', whole", x);
	assert_string_equal(d.v[1].msg, want);
	free(want);
	want = xasprintf("(%.*s\u2026)", DIAG_QUOTE_MAX, a);
	assert_string_equal(d.v[2].msg, want);
	free(want);
	diags_free(&d);
	free(a);
	free(x);
}

/* "an" before a vowel, "a" before anything else. */
static void test_article(void **state)
{
	(void)state;
	assert_string_equal(diag_article("ideographic space"), "an ");
	assert_string_equal(diag_article("no-break space"), "a ");
	assert_string_equal(diag_article(""), "a ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_check_has_a_distinct_name_and_a_description),
		cmocka_unit_test(the_list_of_checks_has_one_line_each),
		cmocka_unit_test(policy_words),
		cmocka_unit_test(text_names_each_warning_and_every_file_has_a_position),
		cmocka_unit_test(text_shows_a_files_first_problems_and_counts_the_rest),
		cmocka_unit_test(fatal_is_at_the_start_of_its_file),
		cmocka_unit_test(a_files_problems_come_from_the_top),
		cmocka_unit_test(bytes_not_utf8_are_shown_as_hex),
		cmocka_unit_test(checks_turn_a_warning_into_an_error_or_leave_it_out),
		cmocka_unit_test(strict_makes_every_warning_not_ignored_an_error),
		cmocka_unit_test(the_site_folder_is_found_in_its_repository),
		cmocka_unit_test(github_escapes_as_the_runner_reads_it),
		cmocka_unit_test(github_gives_one_command_per_problem),
		cmocka_unit_test(github_says_when_it_shows_only_some),
		cmocka_unit_test(github_annotates_only_files_the_repository_holds),
		cmocka_unit_test(quoted_values_are_bounded),
		cmocka_unit_test(long_runs_in_a_message_are_cut),
		cmocka_unit_test(md5_matches_rfc_1321),
		cmocka_unit_test(gitlab_report_has_the_code_quality_fields),
		cmocka_unit_test(json_has_the_same_keys_in_the_same_order_always),
		cmocka_unit_test(test_article),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
