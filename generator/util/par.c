/* par.c - par_for: items handed out one at a time from a shared counter. */
#include "par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "buf.h"
#include "heap.h"

typedef struct par_job {
	size_t n;
	atomic_size_t next; /* the next index to hand out */
	void (*fn)(void *arg, size_t i);
	void *arg;
} par_job;

static void *par_work(void *p)
{
	par_job *job = p;
	for (size_t i; (i = atomic_fetch_add(&job->next, 1)) < job->n;)
		job->fn(job->arg, i);
	return NULL;
}

/* A thread of par_for's: its heap on huge pages too (util/heap.h). */
static void *par_thread(void *p)
{
	heap_thread_huge_pages();
	return par_work(p);
}

void par_for(size_t n, int threads, void (*fn)(void *arg, size_t i),
	     void *arg)
{
	par_job job = {.n = n, .fn = fn, .arg = arg};
	atomic_init(&job.next, 0);
	size_t want = threads > 1 ? (size_t)threads : 1;
	if (want > n)
		want = n ? n : 1;
	pthread_t *t = want > 1 ? xcalloc(want - 1, sizeof *t) : NULL;
	size_t started = 0;
	while (started + 1 < want &&
	       pthread_create(&t[started], NULL, par_thread, &job) == 0)
		started++;
	par_work(&job);
	for (size_t k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	free(t);
}
