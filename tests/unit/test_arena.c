/* test_arena.c - regions for cJSON (util/arena.h): inside one, cJSON's
 * nodes come from its blocks, aligned as malloc's, and are let go of by
 * arena_end; what was malloc'd elsewhere and handed to a node, or made
 * outside the region, is still freed (LeakSanitizer, on in this build,
 * fails the test on a leak); a region is the thread's own; regions do not
 * nest; and under AddressSanitizer the bytes past an allocation stay
 * poisoned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/arena.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

static int setup(void **state)
{
	arena_install();
	return 0;
}

static int aligned(const void *p)
{
	return (uintptr_t)p % _Alignof(max_align_t) == 0;
}

static void nodes_come_from_the_region_and_go_with_it(void **state)
{
	assert_int_equal(arena_bytes(), 0);
	arena_begin();
	assert_int_equal(arena_bytes(), 0); /* no block until one is needed */
	cJSON *o = cJSON_CreateObject();
	assert_non_null(o);
	assert_true(aligned(o));
	assert_int_equal(arena_bytes(), ARENA_BLOCK);
	for (int i = 0; i < 2000; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		cJSON *s = cJSON_AddStringToObject(o, key, "a value of some length");
		assert_non_null(s);
		assert_true(aligned(s));
		assert_true(aligned(s->valuestring));
	}
	/* the blocks grew, each twice the last */
	size_t bytes = arena_bytes();
	assert_true(bytes > ARENA_BLOCK);
	assert_int_equal(bytes % ARENA_BLOCK, 0);
	assert_string_equal(cJSON_GetObjectItem(o, "k1999")->valuestring,
			    "a value of some length");
	char *text = cJSON_PrintUnformatted(o);
	assert_non_null(text);
	assert_true(strstr(text, "\"k1999\":\"a value of some length\"") != NULL);
	cJSON_free(text);
	cJSON_Delete(o);
	arena_end();
	assert_int_equal(arena_bytes(), 0);
}

static void one_allocation_larger_than_a_block_fits(void **state)
{
	arena_begin();
	size_t big = 5 * ARENA_BLOCK + 3;
	char *s = malloc(big + 1);
	assert_non_null(s);
	memset(s, 'x', big);
	s[big] = '\0';
	cJSON *node = cJSON_CreateString(s); /* cJSON copies it */
	free(s);
	assert_non_null(node);
	assert_int_equal(strlen(node->valuestring), big);
	assert_true(arena_bytes() >= big);
	cJSON_Delete(node);
	arena_end();
}

/* A node made outside, deleted inside; a string malloc'd and given to a
 * node to own (as render.h's owned_item does): both go back to free(3). */
static void memory_from_outside_is_freed(void **state)
{
	cJSON *before = cJSON_CreateString("made before the region");
	arena_begin();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "before", before);
	char *owned = strdup("owned by the node");
	cJSON *item = cJSON_CreateStringReference(owned);
	item->type &= ~cJSON_IsReference;
	cJSON_AddItemToObject(o, "owned", item);
	cJSON_Delete(o); /* frees `before` and `owned`, or LSan tells */
	arena_end();
	/* after the region, cJSON is malloc's again */
	cJSON *after = cJSON_CreateString("made after it");
	assert_int_equal(arena_bytes(), 0);
	cJSON_Delete(after);
}

static void *other_thread(void *arg)
{
	/* no region here: this thread's nodes are malloc'd and freed */
	size_t *seen = arg;
	*seen = arena_bytes();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "k", "v");
	cJSON_Delete(o);
	return NULL;
}

static void a_region_is_its_threads_own(void **state)
{
	arena_begin();
	cJSON *o = cJSON_CreateString("in the main thread's region");
	assert_true(arena_bytes() > 0);
	size_t seen = 1;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, other_thread, &seen), 0);
	pthread_join(t, NULL);
	assert_int_equal(seen, 0);
	cJSON_Delete(o);
	arena_end();
}

static void regions_do_not_nest(void **state)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(2); /* the message is not the test's */
		arena_begin();
		arena_begin();
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	/* and an end without a begin does nothing */
	arena_end();
	assert_int_equal(arena_bytes(), 0);
}

static void bytes_past_an_allocation_are_poisoned(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
	arena_begin();
	cJSON *a = cJSON_CreateString("abc");
	cJSON *b = cJSON_CreateString("d");
	char *v = a->valuestring; /* 4 bytes, then b's node */
	assert_true((char *)b > v);
	assert_false(__asan_address_is_poisoned(v + 3));
	assert_true(__asan_address_is_poisoned(v + 4));
	/* the gap between them, past the 16 bytes that round v up */
	assert_true(__asan_address_is_poisoned(v + 16));
	assert_true(__asan_address_is_poisoned((char *)b - 1));
	assert_false(__asan_address_is_poisoned((char *)b));
	/* the rest of the block, not yet handed out */
	assert_true(__asan_address_is_poisoned(b->valuestring + 64));
	cJSON_Delete(a);
	cJSON_Delete(b);
	arena_end();
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nodes_come_from_the_region_and_go_with_it),
		cmocka_unit_test(one_allocation_larger_than_a_block_fits),
		cmocka_unit_test(memory_from_outside_is_freed),
		cmocka_unit_test(a_region_is_its_threads_own),
		cmocka_unit_test(regions_do_not_nest),
		cmocka_unit_test(bytes_past_an_allocation_are_poisoned),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
