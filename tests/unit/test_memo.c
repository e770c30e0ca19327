/* test_memo.c - strings kept by key: found again as they were put, a
 * second put replaces, and thousands of keys (the table grows) all stay
 * findable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/memo.h"

static void a_value_is_found_by_its_key_and_replaced(void **state)
{
	str_memo *m = str_memo_new();
	assert_null(str_memo_get(m, "c\x1f" "en\x1f" "Kampala"));
	const char *kept = str_memo_put(m, "c\x1f" "en\x1f" "Kampala", "key-1");
	assert_string_equal(kept, "key-1");
	assert_string_equal(str_memo_get(m, "c\x1f" "en\x1f" "Kampala"), "key-1");
	/* another language is another key */
	assert_null(str_memo_get(m, "c\x1f" "fr\x1f" "Kampala"));
	str_memo_put(m, "c\x1f" "en\x1f" "Kampala", "key-2");
	assert_string_equal(str_memo_get(m, "c\x1f" "en\x1f" "Kampala"), "key-2");
	assert_int_equal(str_memo_count(m), 1);
	str_memo_free(m);
}

static void thousands_of_keys_stay_findable(void **state)
{
	str_memo *m = str_memo_new();
	char key[32], value[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "school %d", i);
		snprintf(value, sizeof value, "value %d", i * 7);
		str_memo_put(m, key, value);
	}
	assert_int_equal(str_memo_count(m), 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "school %d", i);
		snprintf(value, sizeof value, "value %d", i * 7);
		assert_string_equal(str_memo_get(m, key), value);
	}
	assert_null(str_memo_get(m, "school 5000"));
	str_memo_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_value_is_found_by_its_key_and_replaced),
		cmocka_unit_test(thousands_of_keys_stay_findable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
