/* test_exports.c - the open-data and machine-read files, made from a small
 * model built in memory: the CSV a spreadsheet opens, and the feed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "site.h"
#include "util/buf.h"

/* A site of institutions named as given (NULL-ended), each in Uganda at
 * (lat, lon) = (-0.5 * i, -32.25). */
static void make_site(site *s, const char *const *names)
{
	site_init(s);
	s->cfg.title = xstrdup("Test");
	s->cfg.base_url = xstrdup("https://example.org/");
	size_t n = 0;
	while (names[n])
		n++;
	s->inst = xcalloc(n, sizeof *s->inst);
	s->ninst = n;
	for (size_t i = 0; i < n; i++) {
		institution *in = &s->inst[i];
		in->slug = xasprintf("s%zu", i);
		in->path = xasprintf("content/institutions/s%zu.md", i);
		in->name = xstrdup(names[i]);
		in->city = xstrdup(names[i]);
		in->country = xstrdup("UG");
		in->lat = -0.5 * (double)i;
		in->lon = -32.25;
		in->body_html = xstrdup("");
		in->feature = -1;
	}
}

/* The i-th line (0 = the header) of out, without its CRLF. */
static char *csv_line(const buf_t *out, size_t i)
{
	const char *p = out->ptr;
	for (; i; i--) {
		p = strstr(p, "\r\n");
		assert_non_null(p);
		p += 2;
	}
	const char *e = strstr(p, "\r\n");
	assert_non_null(e);
	return xstrndup(p, (size_t)(e - p));
}

static void unsafe_output_csv_formula_cells_are_neutralised(void **state)
{
	(void)state;
	/* OWASP's six leading characters, and the full-width four */
	static const char *const names[] = {
		"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
		"\xef\xbc\x9d" "1", "\xef\xbc\x8b" "1", "\xef\xbc\x8d" "1",
		"\xef\xbc\xa0" "A", "Plain, \"quoted\"", "a=1", NULL};
	static const char *const cells[] = {
		"\"'=1+1\"", "\"'+1\"", "\"'-1\"", "\"'@SUM(A1)\"", "\"'\t=1\"",
		"\"'\r=1\"", "\"'\xef\xbc\x9d" "1\"", "\"'\xef\xbc\x8b" "1\"",
		"\"'\xef\xbc\x8d" "1\"", "\"'\xef\xbc\xa0" "A\"",
		"\"Plain, \"\"quoted\"\"\"", "a=1"};
	/* numbers the tool writes keep their minus: they are numbers */
	static const char *const lats[] = {
		"0", "-0.5", "-1", "-1.5", "-2", "-2.5", "-3", "-3.5", "-4",
		"-4.5", "-5", "-5.5"};
	site s;
	make_site(&s, names);
	render_ctx r = {.s = &s};
	buf_t out = BUF_INIT;
	assert_int_equal(export_csv(&r, &out), 0);
	for (size_t i = 0; names[i]; i++) {
		char *line = csv_line(&out, i + 1);
		/* slug, name, city, country, country_name, latitude, longitude,
		 * ..., url, then the offers' disciplines, languages, months,
		 * updated and local_name, all empty */
		char *want = xasprintf("s%zu,%s,%s,UG,,%s,-32.25,,,,,,,"
				       "https://example.org/institutions/s%zu/,,,,,",
				       i, cells[i], cells[i], lats[i], i);
		assert_string_equal(line, want);
		free(line);
		free(want);
	}
	buf_free(&out);
	site_free(&s);
}

/* local_name is the last column of partners.csv and a property of
 * partners.geojson (null when the record has none); a name that looks
 * like a formula is neutralised there as in every text cell. */
static void local_name_ends_the_csv_and_is_in_the_geojson(void **state)
{
	(void)state;
	static const char *const names[] = {"Hanoi Medical University",
					    "Other", NULL};
	site s;
	make_site(&s, names);
	s.inst[0].local_name = xstrdup("Trường Đại học Y Hà Nội");
	s.inst[1].local_name = xstrdup("=1+1");
	render_ctx r = {.s = &s};
	buf_t out = BUF_INIT;
	assert_int_equal(export_csv(&r, &out), 0);
	char *head = csv_line(&out, 0);
	assert_string_equal(head + strlen(head) - 19, ",updated,local_name");
	free(head);
	static const char *const ends[] = {",Trường Đại học Y Hà Nội",
					   ",\"'=1+1\""};
	for (size_t i = 0; i < 2; i++) {
		char *line = csv_line(&out, i + 1);
		size_t n = strlen(line), m = strlen(ends[i]);
		assert_true(n > m);
		assert_string_equal(line + n - m, ends[i]);
		free(line);
	}
	buf_reset(&out);
	assert_int_equal(export_geojson(&r, &out), 0);
	assert_non_null(strstr(buf_cstr(&out), "\"updated\":null,"
			       "\"local_name\":\"Trường Đại học Y Hà Nội\"}"));
	buf_free(&out);
	site_free(&s);
}

static void feed_without_joined_dates_uses_the_source_date(void **state)
{
	(void)state;
	static const char *const names[] = {"A\x01 School\xe2\x80\xae", NULL};
	site s;
	make_site(&s, names);
	s.cfg.description = xstrdup("Sub\x0btitle");
	render_ctx r = {.s = &s, .updated = "2024-05-01T10:40:00Z"};
	buf_t out = BUF_INIT;
	assert_int_equal(export_feed(&r, &out), 0);
	/* the feed's own date, with no entry to take one from */
	assert_non_null(strstr(buf_cstr(&out),
			       "<updated>2024-05-01T10:40:00Z</updated>"));
	assert_null(strstr(buf_cstr(&out), "1970"));
	/* no character XML 1.0 forbids, even in the text it was given */
	assert_non_null(strstr(buf_cstr(&out), "<subtitle>Subtitle</subtitle>"));
	buf_reset(&out);
	/* with a joined date, the newest one dates the feed */
	s.inst[0].joined = xstrdup("2019-04-01");
	assert_int_equal(export_feed(&r, &out), 0);
	assert_non_null(strstr(buf_cstr(&out),
			       "<updated>2019-04-01T00:00:00Z</updated>"));
	assert_non_null(strstr(buf_cstr(&out), "<title>A School</title>"));
	buf_free(&out);
	site_free(&s);
}

/* What a streamed export handed out: its pieces in order, the smallest
 * of all but the last, and a flush that fails once `fail_at` pieces were
 * taken (0: never). */
typedef struct pieces {
	buf_t all;
	size_t n, smallest, last, fail_at;
} pieces;

static int take_piece(void *arg, buf_t *out)
{
	pieces *p = arg;
	if (p->fail_at && p->n == p->fail_at)
		return -1;
	if (p->n == 1 || (p->n > 1 && p->last < p->smallest))
		p->smallest = p->last;
	p->last = out->len;
	p->n++;
	buf_put(&p->all, out->ptr, out->len);
	buf_reset(out);
	return 0;
}

/* An elective's CSV: the institutions whose name ends in an even digit
 * (a filter as inst_offers is one), whole or in pieces. */
static int even_name(const institution *in, const char *arg)
{
	(void)arg;
	return (in->name[strlen(in->name) - 1] - '0') % 2 == 0;
}

static int csv_even(const render_ctx *r, buf_t *out)
{
	return export_csv_where(r, (inst_filter){even_name, NULL}, out, NULL, NULL);
}

static int csv_even_each(const render_ctx *r, buf_t *out, export_flush flush,
			 void *arg)
{
	return export_csv_where(r, (inst_filter){even_name, NULL}, out, flush,
				arg);
}

/* partners.csv, an elective's CSV and sitemap.xml written in pieces are the very bytes of
 * the whole file; every piece but the last is EXPORT_PIECE or more, and a
 * failed write stops the export. */
static void streamed_exports_are_the_whole_file(void **state)
{
	(void)state;
	enum { N = 8000 };
	char **names = xcalloc(N + 1, sizeof *names);
	for (size_t i = 0; i < N; i++)
		names[i] = xasprintf("Universit\xc3\xa9 \"A&B\" <x> number %zu", i);
	site s;
	make_site(&s, (const char *const *)names);
	render_ctx r = {.s = &s, .updated = "2024-05-01T10:40:00Z"};
	static const struct {
		int (*whole)(const render_ctx *, buf_t *);
		int (*each)(const render_ctx *, buf_t *, export_flush, void *);
	} kinds[] = {
		{export_csv, export_csv_each},
		{csv_even, csv_even_each},
		{export_sitemap, export_sitemap_each},
		{export_geojson, export_geojson_each},
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		buf_t whole = BUF_INIT, out = BUF_INIT;
		pieces p = {BUF_INIT, 0, 0, 0, 0};
		assert_int_equal(kinds[k].whole(&r, &whole), 0);
		assert_int_equal(kinds[k].each(&r, &out, take_piece, &p), 0);
		assert_true(whole.len > 2 * EXPORT_PIECE);
		assert_int_equal(out.len, 0);
		assert_int_equal(p.all.len, whole.len);
		assert_memory_equal(p.all.ptr, whole.ptr, whole.len);
		assert_true(p.n >= 3);
		/* the last piece may be short; the others were held to size */
		assert_true(p.smallest >= EXPORT_PIECE);
		p.n = 0;
		buf_reset(&p.all);
		p.fail_at = 1;
		assert_int_equal(kinds[k].each(&r, &out, take_piece, &p), -1);
		assert_int_equal(p.n, 1);
		buf_free(&p.all);
		buf_free(&out);
		buf_free(&whole);
	}
	for (size_t i = 0; i < N; i++)
		free(names[i]);
	free(names);
	site_free(&s);
}

/* render_search from several threads at once. */
typedef struct search_asker {
	const render_ctx *r;
	const char *got[3];
} search_asker;

static void *ask_search(void *arg)
{
	search_asker *a = arg;
	for (size_t i = 0; i < 3; i++)
		a->got[i] = render_search(a->r, i);
	return NULL;
}

/* Each institution's search text is folded once, by whichever thread asks
 * first, and every thread gets that one text (render.h, r->search). */
static void search_text_is_made_once_whichever_thread_asks(void **state)
{
	(void)state;
	static const char *const names[] = {"\xc3\x89" "cole \xc3\x89" "LITE", "B", "C", NULL};
	site s;
	make_site(&s, names);
	render_ctx r = {.s = &s};
	r.search = xcalloc(3, sizeof *r.search);
	search_asker askers[4];
	pthread_t t[4];
	for (size_t k = 0; k < 4; k++) {
		askers[k].r = &r;
		assert_int_equal(pthread_create(&t[k], NULL, ask_search, &askers[k]), 0);
	}
	for (size_t k = 0; k < 4; k++)
		pthread_join(t[k], NULL);
	assert_string_equal(askers[0].got[0], "ecole elite ecole elite");
	for (size_t i = 0; i < 3; i++) {
		char *want = view_search_text(&r, i);
		for (size_t k = 0; k < 4; k++)
			assert_ptr_equal(askers[k].got[i], askers[0].got[i]);
		assert_string_equal(askers[0].got[i], want);
		assert_ptr_equal(render_search(&r, i), askers[0].got[i]);
		free(want);
		free(atomic_load(&r.search[i]));
	}
	free(r.search);
	site_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsafe_output_csv_formula_cells_are_neutralised),
		cmocka_unit_test(feed_without_joined_dates_uses_the_source_date),
		cmocka_unit_test(local_name_ends_the_csv_and_is_in_the_geojson),
		cmocka_unit_test(streamed_exports_are_the_whole_file),
		cmocka_unit_test(search_text_is_made_once_whichever_thread_asks),
	};
	return cmocka_run_group_tests_name("exports", tests, NULL, NULL);
}
