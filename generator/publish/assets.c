/* assets.c - fingerprinted theme assets. */
#include "assets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/fs.h"

uint64_t hash_fnv1a(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* "style.css" + hash -> "style.<hash>.css" */
static char *fingerprinted(const char *name, uint64_t h)
{
	const char *dot = strrchr(name, '.');
	char hex[11];
	snprintf(hex, sizeof hex, "%010llx",
		 (unsigned long long)(h & 0xffffffffffull));
	if (!dot || dot == name)
		return xasprintf("%s.%s", name, hex);
	return xasprintf("%.*s.%s%s", (int)(dot - name), name, hex, dot);
}

static char *view_key(const char *name)
{
	char *k = xstrdup(name);
	for (char *p = k; *p; p++)
		if (*p == '.' || *p == '-')
			*p = '_';
	return k;
}

int assets_publish(const char *dir, const char *shown, stage *st,
		   asset_list *out, diags_t *d)
{
	out->v = NULL;
	out->n = 0;
	if (!fs_is_dir(dir))
		return 0;
	char **names;
	size_t count;
	if (fs_list(dir, &names, &count) < 0) {
		diag_fatal(d, shown, "cannot list: %s", strerror(errno));
		return -1;
	}
	out->v = xcalloc(count, sizeof *out->v);
	int rc = 0;
	for (size_t i = 0; i < count && rc == 0; i++) {
		char *path = fs_join(dir, names[i]);
		if (fs_is_dir(path)) {
			free(path);
			continue;
		}
		buf_t data = BUF_INIT;
		if (fs_read(path, &data) < 0) {
			char *rel = fs_join(shown, names[i]);
			diag_fatal(d, rel, "cannot read: %s", strerror(errno));
			free(rel);
			rc = -1;
		} else {
			asset *a = &out->v[out->n++];
			a->name = xstrdup(names[i]);
			a->key = view_key(names[i]);
			char *file = fingerprinted(names[i],
						   hash_fnv1a(data.ptr, data.len));
			a->href = xasprintf("assets/%s", file);
			free(file);
			rc = stage_write(st, a->href, data.ptr, data.len, d);
		}
		buf_free(&data);
		free(path);
	}
	fs_free_list(names);
	return rc;
}

const asset *assets_find(const asset_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

void assets_free(asset_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].key);
		free(l->v[i].href);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
