/* test_pairs.c - looking up constant string-to-string tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/pairs.h"

static const str_pair table[] = {
	{"html", "text/html"},
	{"css", "text/css"},
	{"HTML", "second html"},
};

static void finds_by_bytes_or_folded_case(void **state)
{
	(void)state;
	static const struct {
		const char *key;
		int fold;
		const char *want;
	} cases[] = {
		{"css", 0, "text/css"},
		{"HTML", 0, "second html"}, /* bytes: only the exact key */
		{"HTML", 1, "text/html"},   /* folded: the first that matches */
		{"Css", 1, "text/css"},
		{"Css", 0, NULL},
		{"js", 1, NULL},
		{"", 0, NULL},
		{NULL, 0, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = str_pair_find(table, STR_PAIRS_N(table),
						cases[i].key, cases[i].fold);
		if (cases[i].want)
			assert_string_equal(got, cases[i].want);
		else
			assert_null(got);
	}
}

static void an_empty_table_finds_nothing(void **state)
{
	(void)state;
	assert_null(str_pair_find(table, 0, "html", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_by_bytes_or_folded_case),
		cmocka_unit_test(an_empty_table_finds_nothing),
	};
	return cmocka_run_group_tests_name("pairs", tests, NULL, NULL);
}
