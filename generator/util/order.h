/* order.h - sorting items by a name when qsort can pass no context: the
 * caller sorts (name, index) pairs and reads its items back through them. */
#ifndef PM_ORDER_H
#define PM_ORDER_H

#include <stddef.h>

typedef struct named_at {
	const char *name; /* not owned; never NULL */
	size_t at;        /* the item's index in the caller's array */
} named_at;

/* Sort v[0..n) by name, then by index, so that items of equal names keep
 * the order they came in (qsort alone is not stable). fold = 0 compares
 * bytes (strcmp); fold = 1 ignores the case of ASCII letters (strcasecmp,
 * POSIX). */
void named_at_sort(named_at *v, size_t n, int fold);

#endif
