/* memo.c - strings kept by key (memo.h): chained hashing, the table
 * doubling when it holds as many keys as buckets. */
#include "util/memo.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

typedef struct memo_entry {
	char *key, *value;
	struct memo_entry *next;
} memo_entry;

struct str_memo {
	memo_entry **b;
	size_t nb, n;   /* buckets (a power of two), keys */
};

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037ull; /* FNV-1a, 64 bits */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

str_memo *str_memo_new(void)
{
	str_memo *m = xcalloc(1, sizeof *m);
	m->nb = 1024;
	m->b = xcalloc(m->nb, sizeof *m->b);
	return m;
}

void str_memo_free(str_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nb; i++)
		for (memo_entry *e = m->b[i], *next; e; e = next) {
			next = e->next;
			free(e->key);
			free(e->value);
			free(e);
		}
	free(m->b);
	free(m);
}

static memo_entry *find(const str_memo *m, const char *key)
{
	for (memo_entry *e = m->b[hash(key) & (m->nb - 1)]; e; e = e->next)
		if (!strcmp(e->key, key))
			return e;
	return NULL;
}

const char *str_memo_get(const str_memo *m, const char *key)
{
	const memo_entry *e = find(m, key);
	return e ? e->value : NULL;
}

static void grow(str_memo *m)
{
	size_t nb = m->nb * 2;
	memo_entry **b = xcalloc(nb, sizeof *b);
	for (size_t i = 0; i < m->nb; i++)
		for (memo_entry *e = m->b[i], *next; e; e = next) {
			next = e->next;
			size_t k = hash(e->key) & (nb - 1);
			e->next = b[k];
			b[k] = e;
		}
	free(m->b);
	m->b = b;
	m->nb = nb;
}

const char *str_memo_put(str_memo *m, const char *key, const char *value)
{
	memo_entry *e = find(m, key);
	if (e) {
		free(e->value);
		e->value = xstrdup(value);
		return e->value;
	}
	if (m->n >= m->nb)
		grow(m);
	e = xcalloc(1, sizeof *e);
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	size_t k = hash(key) & (m->nb - 1);
	e->next = m->b[k];
	m->b[k] = e;
	m->n++;
	return e->value;
}

size_t str_memo_count(const str_memo *m)
{
	return m->n;
}
