/* pairs.h - small constant tables that map one string to another (a name
 * to a definition, an extension to a media type), and looking them up. */
#ifndef PM_PAIRS_H
#define PM_PAIRS_H

#include <stddef.h>

typedef struct str_pair {
	const char *key;   /* what is looked up; not owned, never NULL */
	const char *value; /* what it stands for; not owned */
} str_pair;

/* The number of entries of a str_pair array known at compile time. */
#define STR_PAIRS_N(t) (sizeof(t) / sizeof *(t))

/* The value of the first of t[0..n) whose key equals key, or NULL when
 * none does or key is NULL. fold = 0 compares bytes (strcmp); fold = 1
 * ignores the case of ASCII letters (strcasecmp, POSIX). The result
 * points into t and lives as long as t. */
const char *str_pair_find(const str_pair *t, size_t n, const char *key,
			  int fold);

#endif
