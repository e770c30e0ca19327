/* test_serve_records.c - serve's cache of institution records: a file that
 * did not change is replayed (same model, same messages), one whose size,
 * modification time or inode changed is read again, a file gone is
 * dropped, a new one is read, a change of the networks reads every
 * record again, and once the watcher says what changed, only those files
 * are looked at (all of them after it lost track); where a record was
 * located on a map is remembered while the record and the map stay; the
 * entries that only failed updates' models used are freed at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "serve/records.h"
#include "sitefix.h"
#include "util/buf.h"

static const char site_yml[] = "title: Test\nbase_url: https://example.org/\n";
static const char net_md[] = "---\nname: Global Network\nkind: global\n---\n";

/* A record with a warning (an unknown key), so that replayed messages
 * can be compared with read ones. */
static const char *record(const char *name)
{
	static char text[512];
	snprintf(text, sizeof text,
		 "---\nname: %s\ncountry: UG\ncity: Kampala\n"
		 "location: [0.33, 32.57]\nnetworks: [global]\n"
		 "exchanges: [undergraduate]\nwebsite: https://example.org/\n"
		 "colour: blue\n---\nBody.\n", name);
	return text;
}

typedef struct loaded {
	size_t reads, ninst;
	char names[512];   /* the institutions' names, joined by "|" */
	char messages[2048];
	/* per institution, "name=feature warning|" when its place on the
	 * map was remembered, "name*|" when it had to be located */
	char located[512];
} loaded;

/* Locate each institution of s on map as a build does through c: the
 * remembered place, or a made-up one (its index + 10) with a warning,
 * which c is told. What happened goes to *out. */
static void locate_all(rec_cache *c, unsigned map, site *s, buf_t *out)
{
	for (size_t i = 0; i < s->ninst; i++) {
		institution *in = &s->inst[i];
		diags_t d = DIAGS_INIT;
		in->feature = -1;
		if (rec_cache_located(c, map, in, &d)) {
			buf_printf(out, "%s=%d %s|", in->name, in->feature,
				   d.n ? d.v[0].msg : "");
		} else {
			diag_warning(&d, LOCATION_AT_SEA, in->path, 1, 1,
				     "at sea %zu", i);
			in->feature = (int)i + 10;
			rec_cache_locate_put(c, map, in, &d, 0);
			buf_printf(out, "%s*|", in->name);
		}
		diags_free(&d);
	}
}

/* Load f's site through c into a fresh model, note what it holds, locate
 * it on map (when not 0), free it as serve does. */
/* One load of f's site through c into *s, as serve makes it: what it
 * said into *d, and which institutions it borrows from c (a fresh array,
 * rec_cache_borrowed). */
static unsigned char *load_into(site_fixture *f, rec_cache *c, site *s,
				diags_t *d)
{
	load_cache hooks;
	site_init(s);
	rec_cache_begin(c, f->dir, &hooks);
	site_load_cached(s, f->dir, &hooks, d);
	rec_cache_end(c);
	return rec_cache_borrowed(c, s);
}

static loaded load_on(site_fixture *f, rec_cache *c, unsigned map)
{
	site s;
	diags_t d = DIAGS_INIT;
	unsigned char *borrowed = load_into(f, c, &s, &d);
	loaded l = {rec_cache_reads(c), s.ninst, "", "", ""};
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < s.ninst; i++)
		buf_printf(&b, "%s|", s.inst[i].name);
	snprintf(l.names, sizeof l.names, "%s", buf_cstr(&b));
	buf_reset(&b);
	for (size_t i = 0; i < d.n; i++)
		buf_printf(&b, "%s:%d:%d: %s\n", d.v[i].path, d.v[i].line,
			   d.v[i].col, d.v[i].msg);
	snprintf(l.messages, sizeof l.messages, "%s", buf_cstr(&b));
	buf_reset(&b);
	if (map)
		locate_all(c, map, &s, &b);
	snprintf(l.located, sizeof l.located, "%s", buf_cstr(&b));
	buf_free(&b);
	rec_cache_site_free(&s, borrowed);
	free(borrowed);
	rec_cache_collect(c);
	diags_free(&d);
	return l;
}

static loaded load(site_fixture *f, rec_cache *c)
{
	return load_on(f, c, 0);
}

/* Load again: it read `reads` files, the cache holds `held` and the model
 * the institutions `names`. */
static void expect(site_fixture *f, rec_cache *c, size_t reads, size_t held,
		   const char *names)
{
	loaded l = load(f, c);
	assert_int_equal(l.reads, reads);
	assert_int_equal(rec_cache_size(c), held);
	assert_string_equal(l.names, names);
}

static int setup(void **state)
{
	static const char *const files[] = {
		"site.yml", site_yml, "content/networks/global.md", net_md, NULL};
	if (site_fixture_setup(state, "pm-serve-records", files) < 0)
		return -1;
	site_fixture *f = *state;
	site_put(f, "content/institutions/alpha.md", record("Alpha"));
	site_put(f, "content/institutions/beta.md", record("Beta"));
	return 0;
}

static void set_mtime(site_fixture *f, const char *rel, long sec)
{
	char *path = fs_join(f->dir, rel);
	struct timespec t[2] = {{sec, 0}, {sec, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	free(path);
}

/* The fixture of state and a cache that has loaded it once. */
static rec_cache *loaded_once(void **state, site_fixture **f)
{
	*f = *state;
	rec_cache *c = rec_cache_new();
	load(*f, c);
	return c;
}

static void unchanged_files_are_replayed_with_their_messages(void **state)
{
	site_fixture *f = *state;
	rec_cache *c = rec_cache_new();
	loaded first = load(f, c);
	assert_int_equal(first.reads, 2);
	assert_string_equal(first.names, "Alpha|Beta|");
	assert_non_null(strstr(first.messages,
		"content/institutions/alpha.md:9:1: unknown key 'colour'"));
	loaded again = load(f, c);
	assert_int_equal(again.reads, 0);
	assert_int_equal(rec_cache_size(c), 2);
	assert_string_equal(again.names, first.names);
	assert_string_equal(again.messages, first.messages);
	rec_cache_free(c);
}

static void a_change_of_size_time_or_inode_reads_the_file_again(void **state)
{
	site_fixture *f;
	rec_cache *c = loaded_once(state, &f);
	/* another size */
	site_put(f, "content/institutions/alpha.md", record("Alpha Two"));
	expect(f, c, 1, 2, "Alpha Two|Beta|");
	/* same size, another modification time */
	site_put(f, "content/institutions/alpha.md", record("Alpha One"));
	set_mtime(f, "content/institutions/alpha.md", 1000000000);
	load(f, c);
	set_mtime(f, "content/institutions/alpha.md", 1000000001);
	expect(f, c, 1, 2, "Alpha One|Beta|");
	/* same size and time, written beside and renamed over: another inode */
	site_put(f, "content/institutions/alpha.tmp", record("Alpha Six"));
	set_mtime(f, "content/institutions/alpha.tmp", 1000000001);
	char *from = fs_join(f->dir, "content/institutions/alpha.tmp");
	char *to = fs_join(f->dir, "content/institutions/alpha.md");
	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);
	expect(f, c, 1, 2, "Alpha Six|Beta|");
	rec_cache_free(c);
}

static void a_file_gone_is_dropped_and_a_new_one_read(void **state)
{
	site_fixture *f;
	rec_cache *c = loaded_once(state, &f);
	char *beta = fs_join(f->dir, "content/institutions/beta.md");
	assert_int_equal(unlink(beta), 0);
	free(beta);
	expect(f, c, 0, 1, "Alpha|");
	site_put(f, "content/institutions/gamma.md", record("Gamma"));
	expect(f, c, 1, 2, "Alpha|Gamma|");
	rec_cache_free(c);
}

static void a_change_of_the_networks_reads_every_record(void **state)
{
	site_fixture *f;
	rec_cache *c = loaded_once(state, &f);
	/* the network the records name is renamed: each is read again */
	site_put(f, "content/networks/global.md",
		 "---\nname: Worldwide\nkind: global\n---\n");
	expect(f, c, 2, 2, "Alpha|Beta|");
	rec_cache_clear(c);
	assert_int_equal(rec_cache_size(c), 0);
	expect(f, c, 2, 2, "Alpha|Beta|");
	rec_cache_free(c);
}

/* Alpha written anew, without telling c: only a stat of it can see it. */
static void change_alpha_silently(site_fixture *f, const char *name)
{
	site_put(f, "content/institutions/alpha.md", record(name));
}

/* The fixture of state and a cache told every change, loaded once. */
static rec_cache *watched_once(void **state, site_fixture **f)
{
	*f = *state;
	rec_cache *c = rec_cache_new();
	rec_cache_watched(c);
	/* the first load looks at every file */
	assert_int_equal(load(*f, c).reads, 2);
	return c;
}

static void only_the_files_said_changed_are_looked_at(void **state)
{
	site_fixture *f;
	rec_cache *c = watched_once(state, &f);
	/* told beta changed (it is looked at: the same, so replayed), not
	 * alpha: alpha is trusted without a stat */
	rec_cache_changed(c, "content/institutions/beta.md");
	rec_cache_changed(c, "content/institutions/beta.md");
	change_alpha_silently(f, "Alpha Two");
	expect(f, c, 0, 2, "Alpha|Beta|");
	/* told alpha changed: it alone is read */
	rec_cache_changed(c, "content/institutions/alpha.md");
	expect(f, c, 1, 2, "Alpha Two|Beta|");
	/* nothing said: nothing read */
	expect(f, c, 0, 2, "Alpha Two|Beta|");
	rec_cache_free(c);
}

static void anything_may_have_changed_looks_at_every_file(void **state)
{
	site_fixture *f;
	rec_cache *c = watched_once(state, &f);
	/* events were lost (NULL), even after a path was said */
	rec_cache_changed(c, "content/institutions/beta.md");
	rec_cache_changed(c, NULL);
	rec_cache_changed(c, "content/institutions/beta.md");
	change_alpha_silently(f, "Alpha Two");
	expect(f, c, 1, 2, "Alpha Two|Beta|");
	/* too many paths said to keep: every file is looked at */
	for (int i = 0; i <= 4096; i++) {
		char path[64];
		snprintf(path, sizeof path, "content/institutions/n%d.md", i);
		rec_cache_changed(c, path);
	}
	change_alpha_silently(f, "Alpha Six");
	expect(f, c, 1, 2, "Alpha Six|Beta|");
	rec_cache_free(c);
}

static void a_place_on_the_map_is_kept_with_its_record(void **state)
{
	site_fixture *f = *state;
	rec_cache *c = rec_cache_new();
	assert_string_equal(load_on(f, c, 1).located, "Alpha*|Beta*|");
	assert_string_equal(load_on(f, c, 1).located,
			    "Alpha=10 at sea 0|Beta=11 at sea 1|");
	/* a record written again is located again, the other is kept */
	site_put(f, "content/institutions/alpha.md", record("Alpha Two"));
	assert_string_equal(load_on(f, c, 1).located,
			    "Alpha Two*|Beta=11 at sea 1|");
	/* another map: every record again; no map: nothing remembered */
	assert_string_equal(load_on(f, c, 2).located, "Alpha Two*|Beta*|");
	assert_string_equal(load_on(f, c, 0).located, "");
	rec_cache_free(c);
}

/* One update as serve makes it through c: load f's site, free the model
 * (a failed update's) or keep it served until the next one (when ok),
 * then free what no model in use borrows. *served is the served model,
 * freed when a later update is served. */
static void update(site_fixture *f, rec_cache *c, int ok, site *served,
		   unsigned char **served_borrowed)
{
	site s;
	diags_t d = DIAGS_INIT;
	unsigned char *borrowed = load_into(f, c, &s, &d);
	diags_free(&d);
	if (!ok) {
		rec_cache_site_free(&s, borrowed);
		free(borrowed);
		rec_cache_collect_failed(c);
		return;
	}
	if (*served_borrowed)
		rec_cache_site_free(served, *served_borrowed);
	free(*served_borrowed);
	*served = s;
	*served_borrowed = borrowed;
	rec_cache_served(c);
	rec_cache_collect(c);
}

static void failed_updates_keep_only_what_the_served_model_borrows(void **state)
{
	site_fixture *f = *state;
	rec_cache *c = rec_cache_new();
	site served;
	unsigned char *borrowed = NULL;
	update(f, c, 1, &served, &borrowed);
	assert_int_equal(rec_cache_dropped(c), 0);
	/* Alpha saved again and again while the site does not build: the
	 * served model still shows the first Alpha, whose entry stays; each
	 * later one is dropped at the next save, used by no model then */
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof name, "Alpha %d", i);
		site_put(f, "content/institutions/alpha.md", record(name));
		update(f, c, 0, &served, &borrowed);
		assert_int_equal(rec_cache_dropped(c), 1);
	}
	assert_string_equal(served.inst[0].name, "Alpha");
	/* a save that builds: nothing older is in use any more */
	site_put(f, "content/institutions/alpha.md", record("Alpha Good"));
	update(f, c, 1, &served, &borrowed);
	assert_int_equal(rec_cache_dropped(c), 0);
	assert_string_equal(served.inst[0].name, "Alpha Good");
	/* site.yml changed (every entry dropped) and the update failed: the
	 * served model's entries stay, and go once another is served */
	rec_cache_clear(c);
	update(f, c, 0, &served, &borrowed);
	assert_int_equal(rec_cache_dropped(c), 2);
	assert_string_equal(served.inst[1].name, "Beta");
	update(f, c, 1, &served, &borrowed);
	assert_int_equal(rec_cache_dropped(c), 0);
	rec_cache_site_free(&served, borrowed);
	free(borrowed);
	rec_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			unchanged_files_are_replayed_with_their_messages, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			a_change_of_size_time_or_inode_reads_the_file_again, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			a_file_gone_is_dropped_and_a_new_one_read, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			a_change_of_the_networks_reads_every_record, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			only_the_files_said_changed_are_looked_at, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			anything_may_have_changed_looks_at_every_file, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			a_place_on_the_map_is_kept_with_its_record, setup,
			site_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			failed_updates_keep_only_what_the_served_model_borrows,
			setup, site_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
