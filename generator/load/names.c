/* names.c - lookups in the compiled-in country names (names.h). */
#include "names.h"

#include <stdlib.h>
#include <string.h>

static int cmp_alpha2(const void *key, const void *entry)
{
	return strcmp(key, ((const country_name *)entry)->alpha2);
}

const char *country_name_in(const char *lang, const char *alpha2)
{
	if (!lang || !alpha2)
		return NULL;
	size_t primary = strcspn(lang, "-_");
	for (size_t k = 0; k < country_names_count; k++) {
		const country_names *t = &country_names_table[k];
		if (strlen(t->lang) != primary || strncmp(t->lang, lang, primary))
			continue;
		const country_name *c = bsearch(alpha2, t->v, t->n, sizeof *t->v,
						cmp_alpha2);
		return c ? c->name : NULL;
	}
	return NULL;
}
