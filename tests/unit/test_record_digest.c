/* test_record_digest.c - the digests the loader keeps of each record
 * (site.h: digest_file, digest_head), from which the pages kept from the
 * last build are decided (publish/reuse.h): the body's bytes count in the
 * file's digest alone, every byte of the front matter in both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "sitefix.h"
#include "util/buf.h"
#include "util/fs.h"

typedef site_fixture fixture;

static const char site_yml[] = "title: Test\nbase_url: https://example.org/\n";
static const char global_md[] = "---\nname: Global Network\nkind: global\n---\n";

/* A record whose city and body are given. */
static char *record(const char *city, const char *body)
{
	return xasprintf("---\nname: Test Medical School\ncountry: UG\ncity: %s\n"
			 "location: [0.3136, 32.5811]\nnetworks: [global]\n"
			 "exchanges: [undergraduate]\n---\n%s", city, body);
}

typedef struct digests {
	unsigned char file[32], head[32];
} digests;

/* Write the record at rel (content/institutions/...), load the site, and
 * return its one institution's digests. */
static digests load_one(fixture *f, const char *rel, const char *city,
			const char *body)
{
	char *text = record(city, body);
	site_put(f, rel, text);
	free(text);
	site_free(&f->s);
	diags_free(&f->d);
	site_init(&f->s);
	site_load(&f->s, f->dir, &f->d);
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->s.ninst, 1);
	digests out;
	memcpy(out.file, f->s.inst[0].digest_file, 32);
	memcpy(out.head, f->s.inst[0].digest_head, 32);
	return out;
}

static int setup(void **state)
{
	static const char *const files[] = {
		"site.yml", site_yml, "content/networks/global.md", global_md, NULL};
	return site_fixture_setup(state, "pm-digest", files);
}

/* Whether b's digests are a's: file_same for the file's, head_same for
 * the front matter's. */
static void expect(const digests *a, const digests *b, int file_same,
		   int head_same)
{
	assert_int_equal(!memcmp(a->file, b->file, 32), file_same);
	assert_int_equal(!memcmp(a->head, b->head, 32), head_same);
}

static void check_record_at(fixture *f, const char *rel)
{
	static const unsigned char zero[32];
	digests a = load_one(f, rel, "Kampala", "Body.\n");
	assert_memory_not_equal(a.file, zero, 32);
	assert_memory_not_equal(a.head, a.file, 32);
	static const struct {
		const char *city, *body;
		int file_same, head_same;
	} cases[] = {
		{"Kampala", "Body.\n", 1, 1},  /* the same bytes again */
		/* the body alone changed: the front matter's digest stays */
		{"Kampala", "Body.\nOne more sentence.\n", 0, 1},
		{"Kampala", "", 0, 1},          /* the fence is the front matter's */
		{"Entebbe", "Body.\n", 0, 0},   /* a field the listings show */
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		digests b = load_one(f, rel, cases[k].city, cases[k].body);
		expect(&a, &b, cases[k].file_same, cases[k].head_same);
	}
}

static void test_record_file(void **state)
{
	check_record_at(*state, "content/institutions/makerere.md");
}

static void test_bundle_record(void **state)
{
	check_record_at(*state, "content/institutions/makerere/index.md");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_file, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_record, setup,
						site_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
