/* pairs.c - see pairs.h. */
#include "pairs.h"

#include <string.h>
#include <strings.h>

const char *str_pair_find(const str_pair *t, size_t n, const char *key,
			  int fold)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(fold ? strcasecmp(key, t[i].key) : strcmp(key, t[i].key)))
			return t[i].value;
	return NULL;
}
