/* arena.c - regions for cJSON's allocations (see arena.h). */
#include "arena.h"

#include <cjson/cJSON.h>

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define ARENA_GAP 16 /* poisoned bytes after each allocation */
#else
#define ASAN_POISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ARENA_GAP 0
#endif

/* Every allocation starts on a multiple of this, as malloc's do. */
#define ARENA_ALIGN alignof(max_align_t)

typedef struct block {
	struct block *prev; /* the block taken before, or NULL */
	char *end;          /* one past its last byte */
	alignas(max_align_t) char data[];
} block;

typedef struct region {
	block *top;     /* the newest block, or NULL */
	char *next;     /* its first byte free */
	size_t next_size; /* the size of the block to take next */
	size_t bytes;   /* the blocks' bytes in all */
	int open;
} region;

static _Thread_local region here;

static size_t round_up(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

/* A new block of at least `need` bytes of data on top of the region. */
static void take_block(region *g, size_t need)
{
	size_t size = g->next_size;
	while (size < need)
		size *= 2;
	block *b = xmalloc(sizeof *b + size);
	b->prev = g->top;
	b->end = b->data + size;
	ASAN_POISON_MEMORY_REGION(b->data, size);
	g->top = b;
	g->next = b->data;
	g->bytes += size;
	if (g->next_size < 256 * ARENA_BLOCK)
		g->next_size *= 2;
}

static void *arena_malloc(size_t n)
{
	region *g = &here;
	if (!g->open)
		return malloc(n);
	size_t step = round_up(n ? n : 1) + ARENA_GAP;
	if (step < n) /* n near SIZE_MAX: as malloc would */
		return NULL;
	if (!g->top || (size_t)(g->top->end - g->next) < step)
		take_block(g, step);
	char *p = g->next;
	g->next += step;
	ASAN_UNPOISON_MEMORY_REGION(p, n);
	return p;
}

/* Whether p lies in one of g's blocks. */
static int in_region(const region *g, const void *p)
{
	const char *c = p;
	for (const block *b = g->top; b; b = b->prev)
		if (c >= b->data && c < b->end)
			return 1;
	return 0;
}

static void arena_free(void *p)
{
	region *g = &here;
	if (!p || (g->open && in_region(g, p)))
		return;
	free(p);
}

static void install_hooks(void)
{
	cJSON_Hooks hooks = {arena_malloc, arena_free};
	cJSON_InitHooks(&hooks);
}

void arena_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install_hooks);
}

void arena_begin(void)
{
	region *g = &here;
	if (g->open) {
		fputs("partnermap: arena_begin inside a region\n", stderr);
		abort();
	}
	*g = (region){NULL, NULL, ARENA_BLOCK, 0, 1};
}

void arena_end(void)
{
	region *g = &here;
	block *b = g->top;
	while (b) {
		block *prev = b->prev;
		ASAN_UNPOISON_MEMORY_REGION(b->data, (size_t)(b->end - b->data));
		free(b);
		b = prev;
	}
	*g = (region){0};
}

size_t arena_bytes(void)
{
	return here.open ? here.bytes : 0;
}
