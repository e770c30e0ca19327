/* test_strlist.c - a list of strings is one block (site.h): its pointers,
 * a NULL, then its words, so a record's lists cost a block each, not one
 * per word. Run under ASan, whose malloc_usable_size is the size asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"
#include "util/buf.h"

/* l holds exactly words[0..n), in one block of the size it needs. */
static void assert_packed(const strlist *l, const char *const *words, size_t n)
{
	size_t size = (n + 1) * sizeof *l->v;
	assert_int_equal(l->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(l->v[i], words[i]);
		assert_true(l->v[i] >= (char *)l->v &&
			    l->v[i] < (char *)l->v + malloc_usable_size(l->v));
		size += strlen(words[i]) + 1;
	}
	assert_null(l->v[n]);
	assert_int_equal(malloc_usable_size(l->v), size);
}

static void pack_copies_the_words_into_one_block(void **state)
{
	(void)state;
	static const char *const words[] = {"undergraduate", "postgraduate", ""};
	strlist l = {NULL, 0};
	strlist_pack(&l, words, 3);
	assert_packed(&l, words, 3);
	/* packing again frees what the list held (ASan: no leak) */
	strlist_pack(&l, words + 1, 1);
	assert_packed(&l, words + 1, 1);
	strlist_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	strlist_pack(&l, words, 0);
	assert_packed(&l, words, 0);
	strlist_free(&l);
}

static void append_and_take_keep_one_block(void **state)
{
	(void)state;
	static const char *const words[] = {"en", "fr", "pt-BR"};
	strlist l = {NULL, 0};
	for (size_t i = 0; i < 3; i++) {
		strlist_append(&l, words[i]);
		assert_packed(&l, words, i + 1);
	}
	/* a word of the list itself may be appended */
	strlist_append(&l, l.v[0]);
	static const char *const four[] = {"en", "fr", "pt-BR", "en"};
	assert_packed(&l, four, 4);
	char **owned = xcalloc(3, sizeof *owned);
	for (size_t i = 0; i < 3; i++)
		owned[i] = xstrdup(words[i]);
	strlist_take(&l, owned, 3); /* frees owned and its strings */
	assert_packed(&l, words, 3);
	strlist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pack_copies_the_words_into_one_block),
		cmocka_unit_test(append_and_take_keep_one_block),
	};
	return cmocka_run_group_tests_name("strlist", tests, NULL, NULL);
}
