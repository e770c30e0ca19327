/* test_par.c - work shared by threads: par_for runs every index once,
 * whatever the threads, and in order on the caller's alone; the records
 * of a site read on 1, 2, 3 or 8 threads give the same model and the same
 * messages in the same order, and a record cache is called in file-name
 * order from the calling thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "sitefix.h"
#include "util/buf.h"
#include "util/par.h"

/* ---- par_for ----------------------------------------------------------- */

typedef struct visits {
	atomic_int *count;  /* per index: how many times it was run */
	size_t *order;      /* the indexes in the order they were run */
	atomic_size_t ran;
	pthread_t caller;
	atomic_int elsewhere; /* runs on another thread than the caller */
} visits;

static void visit(void *arg, size_t i)
{
	visits *v = arg;
	atomic_fetch_add(&v->count[i], 1);
	v->order[atomic_fetch_add(&v->ran, 1)] = i;
	if (!pthread_equal(pthread_self(), v->caller))
		atomic_store(&v->elsewhere, 1);
}

/* par_for(n, threads) on a fresh visits: every index ran exactly once. */
static void run_all(size_t n, int threads, visits *v)
{
	v->count = calloc(n ? n : 1, sizeof *v->count);
	v->order = calloc(n ? n : 1, sizeof *v->order);
	atomic_init(&v->ran, 0);
	atomic_init(&v->elsewhere, 0);
	v->caller = pthread_self();
	par_for(n, threads, visit, v);
	assert_int_equal(atomic_load(&v->ran), n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(atomic_load(&v->count[i]), 1);
}

static void visits_free(visits *v)
{
	free(v->count);
	free(v->order);
}

static void every_index_runs_once_whatever_the_threads(void **state)
{
	static const int threads[] = {1, 2, 3, 8, 64};
	static const size_t sizes[] = {0, 1, 2, 7, 1000};
	for (size_t t = 0; t < sizeof threads / sizeof *threads; t++)
		for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
			visits v;
			run_all(sizes[k], threads[t], &v);
			visits_free(&v);
		}
}

static void one_thread_is_the_caller_in_order(void **state)
{
	static const int threads[] = {-3, 0, 1};
	for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
		visits v;
		run_all(100, threads[t], &v);
		assert_int_equal(atomic_load(&v.elsewhere), 0);
		for (size_t i = 0; i < 100; i++)
			assert_int_equal(v.order[i], i);
		visits_free(&v);
	}
	/* one item needs no second thread, however many are allowed */
	visits v;
	run_all(1, 8, &v);
	assert_int_equal(atomic_load(&v.elsewhere), 0);
	visits_free(&v);
}

/* ---- records read on threads ------------------------------------------- */

static const char site_yml[] =
	"title: Test\nbase_url: https://example.org/\nlanguages: [en, fr]\n";
static const char global_md[] =
	"---\nname: Global Network\nkind: global\n---\n";

/* Record k of the site: most are good, some have an error or a warning
 * (so that messages come from many files), some are page bundles. */
static void put_numbered_record(site_fixture *f, int k)
{
	char *rel = k % 9 == 4 ?
		xasprintf("content/institutions/school-%03d/index.md", k) :
		xasprintf("content/institutions/school-%03d.md", k);
	char *text = xasprintf(
		"---\nname: School %d\ncountry: %s\ncity: Kampala\n"
		"location: [0.31, %s]\nnetworks: [%s]\nexchanges: [undergraduate]\n"
		"%s---\nBody %d.\n",
		k, k % 7 == 3 ? "UGX" : "UG", k % 11 == 5 ? "932.5" : "32.58",
		k % 13 == 6 ? "globl" : "global",
		k % 5 == 2 ? "netwrks: [global]\n" : "", k);
	site_put(f, rel, text);
	free(text);
	free(rel);
}

static int records_setup(void **state)
{
	static const char *const files[] = {
		"site.yml", site_yml, "content/networks/global.md", global_md,
		/* entries read at the merge: translations (the second of one
		 * language an error naming the first), names refused */
		"content/institutions/school-001.fr.md", "---\nname: École 1\n---\n",
		"content/institutions/school-001.FR.md", "---\nname: École un\n---\n",
		"content/institutions/school-004/index.fr.md",
		"---\nname: École 4\ncountry: FR\n---\n",
		"content/institutions/school-002.de.md", "---\nname: Schule\n---\n",
		"content/institutions/Bad Name.md", "---\nname: X\n---\n",
		"content/institutions/notes.txt", "not a record\n",
		"content/institutions/school-010.md",
		"---\nname: [unclosed\n---\n",
		"content/institutions/school-011.md",
		"---\ndraft: true\nname: Draft\n---\n",
		NULL};
	if (site_fixture_setup(state, "pm-par", files) < 0)
		return -1;
	for (int k = 0; k < 120; k++)
		if (k != 10 && k != 11)
			put_numbered_record(*state, k);
	return 0;
}

/* Everything loading said and made, as one text: each message, then
 * each record's slug, name and digests. */
static char *load_text(const char *dir, const load_cache *cache, int threads)
{
	site s;
	diags_t d = DIAGS_INIT;
	site_init(&s);
	site_load_jobs(&s, dir, cache, threads, &d);
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < d.n; i++)
		buf_printf(&b, "%d %s:%d:%d %s\n", d.v[i].level,
			   d.v[i].path ? d.v[i].path : "-", d.v[i].line,
			   d.v[i].col, d.v[i].msg);
	for (size_t i = 0; i < s.ninst; i++) {
		buf_printf(&b, "%s %s ", s.inst[i].slug, s.inst[i].name);
		for (size_t k = 0; k < 32; k++)
			buf_printf(&b, "%02x%02x", s.inst[i].digest_file[k],
				   s.inst[i].digest_head[k]);
		buf_putc(&b, '\n');
	}
	buf_printf(&b, "%zu translations\n", s.ntr);
	buf_cstr(&b);
	site_free(&s);
	diags_free(&d);
	return buf_detach(&b);
}

static void records_are_the_same_on_any_threads(void **state)
{
	site_fixture *f = *state;
	char *one = load_text(f->dir, NULL, 1);
	/* what the site holds: each kind of message, in file-name order */
	const char *want[] = {
		"1 content/institutions/Bad Name.md:1:1 'Bad Name' cannot be a "
		"slug (the file name is the record's address: lower-case letters, "
		"digits and single dashes); rename the file bad-name.md\n",
		"1 content/institutions/notes.txt:1:1 'notes.txt' is not read: a "
		"record's file name ends in .md, in lower case; rename it to "
		"notes.md\n",
		"1 content/institutions/school-001.FR.md:1:1 this file and "
		"content/institutions/school-001.fr.md both translate 'school-001' "
		"into fr: keep content/institutions/school-001.fr.md",
		"1 content/institutions/school-002.de.md:1:1 this file translates "
		"'school-002' into de, which site.yml's languages does not list",
		"0 content/institutions/school-002.md:8:1 unknown key 'netwrks' "
		"(ignored); did you mean networks?\n",
		"1 content/institutions/school-003.md:3:10 unknown country code "
		"'UGX' (expected an ISO 3166-1 alpha-2 code such as UG)\n",
		"1 content/institutions/school-004/index.fr.md:3:1 country cannot "
		"be translated",
		"1 content/institutions/school-005.md:5:18 longitude 932.5 is out "
		"of range [-180, 180]\n",
		"1 content/institutions/school-006.md:6:12 unknown network 'globl' "
		"(did you mean 'global'? networks: global)\n",
		"1 content/institutions/school-010.md:2:7 the list opened here "
		"with [ is not closed: end it with ]\n",
		"0 content/institutions/school-022/index.md:8:1 unknown key",
		"1 content/institutions/school-110.md:6:12 unknown network",
		"school-000 School 0 ",
		"school-119 School 119 ",
		"1 translations\n",
	};
	const char *at = one;
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		const char *found = strstr(at, want[k]);
		if (!found)
			fail_msg("'%s' missing or out of order in:\n%s", want[k], one);
		at = found;
	}
	assert_null(strstr(one, "School 11 "));
	static const int threads[] = {2, 3, 8};
	for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
		char *other = load_text(f->dir, NULL, threads[t]);
		assert_string_equal(other, one);
		free(other);
	}
	free(one);
}

/* A record cache that keeps nothing: it notes each file it is asked
 * about and each one it is told of, and from which thread; each ticket
 * carries the number of the replay that filled it, which store checks. */
typedef struct cache_log {
	buf_t calls;
	pthread_t caller;
	int elsewhere;
	long asked;
	char *paths[256]; /* by replay number */
	int wrong_ticket;
} cache_log;

static int log_replay(void *ctx, site *s, const char *path, load_ticket *t,
		      diags_t *d)
{
	(void)s;
	(void)d;
	cache_log *c = ctx;
	buf_printf(&c->calls, "replay %s\n", path);
	c->elsewhere |= !pthread_equal(pthread_self(), c->caller);
	assert_true(c->asked < 256);
	c->paths[c->asked] = xstrdup(path);
	t->ok = 1;
	t->slot = c->asked++;
	return 0;
}

static void log_store(void *ctx, const site *s, const char *path,
		      const load_ticket *t, size_t ninst, const diags_t *d,
		      size_t ndiag)
{
	cache_log *c = ctx;
	buf_printf(&c->calls, "store %s %zu %zu\n", path, s->ninst - ninst,
		   d->n - ndiag);
	c->elsewhere |= !pthread_equal(pthread_self(), c->caller);
	c->wrong_ticket |= t->slot < 0 || t->slot >= c->asked ||
		strcmp(c->paths[t->slot], path);
}

static void a_cache_is_called_in_file_order_by_the_caller(void **state)
{
	site_fixture *f = *state;
	cache_log log = {.calls = BUF_INIT, .caller = pthread_self()};
	load_cache cache = {.replay = log_replay, .store = log_store,
			     .ctx = &log};
	char *cached = load_text(f->dir, &cache, 8);
	char *plain = load_text(f->dir, NULL, 1);
	assert_string_equal(cached, plain);
	free(cached);
	free(plain);
	assert_int_equal(log.elsewhere, 0);
	assert_int_equal(log.wrong_ticket, 0);
	/* a record's own files only: each asked, in name order, then (once
	 * read on the threads) each told, in name order with its own ticket;
	 * a good one made a record and said nothing, a bad one the reverse */
	const char *calls = buf_cstr(&log.calls);
	const char *first = strstr(calls, "replay content/institutions/school-000.md\n"
				   "replay content/institutions/school-001.md\n");
	assert_ptr_equal(first, calls);
	const char *stores = strstr(calls, "store content/institutions/school-000.md 1 0\n"
				    "store content/institutions/school-001.md ");
	assert_non_null(stores);
	assert_null(strstr(stores, "replay "));
	assert_non_null(strstr(stores, "store content/institutions/school-003.md 0 1\n"
			       "store content/institutions/school-005.md "));
	assert_null(strstr(calls, "index.md"));
	assert_null(strstr(calls, ".fr.md"));
	buf_free(&log.calls);
	for (long k = 0; k < log.asked; k++)
		free(log.paths[k]);
}

static int records_teardown(void **state)
{
	return site_fixture_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_index_runs_once_whatever_the_threads),
		cmocka_unit_test(one_thread_is_the_caller_in_order),
		cmocka_unit_test(records_are_the_same_on_any_threads),
		cmocka_unit_test(a_cache_is_called_in_file_order_by_the_caller),
	};
	return cmocka_run_group_tests(tests, records_setup, records_teardown);
}
