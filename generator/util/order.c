/* order.c - see order.h. */
#include "order.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int by_index(const named_at *p, const named_at *q)
{
	return p->at < q->at ? -1 : p->at > q->at;
}

static int by_name(const void *a, const void *b)
{
	int c = strcmp(((const named_at *)a)->name, ((const named_at *)b)->name);
	return c ? c : by_index(a, b);
}

static int by_name_folded(const void *a, const void *b)
{
	int c = strcasecmp(((const named_at *)a)->name,
			   ((const named_at *)b)->name);
	return c ? c : by_index(a, b);
}

void named_at_sort(named_at *v, size_t n, int fold)
{
	if (n > 1)
		qsort(v, n, sizeof *v, fold ? by_name_folded : by_name);
}
