/* assets.c - fingerprinted theme assets. */
#include "assets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../render/routes.h"
#include "../util/buf.h"
#include "../util/safefs.h"

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

int assets_publish(const sfs_root *root, const char *rel, const char *shown,
		   stage *st, asset_list *out, diags_t *d)
{
	out->v = NULL;
	out->n = 0;
	sfs_listing l;
	int listed = sfs_list(root, rel, shown, &l, d);
	if (listed == SFS_IO && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (listed == SFS_IO) {
		diag_fatal(d, shown, "cannot list: %s", strerror(errno));
		return -1;
	}
	int rc = listed == SFS_OK ? 0 : -1;
	out->v = xcalloc(l.n, sizeof *out->v);
	/* Every asset is read, to report every one that is refused; none
	 * is written once something went wrong. */
	for (size_t i = 0; i < l.n; i++) {
		const char *name = l.v[i].name;
		if (l.v[i].is_dir)
			continue;
		char *arel = xasprintf("%s/%s", rel, name);
		char *ashown = xasprintf("%s/%s", shown, name);
		buf_t data = BUF_INIT;
		int got = sfs_read_entry(root, &l, i, arel, ashown, SFS_ASSET,
					 &data, d);
		if (got == SFS_IO)
			diag_fatal(d, ashown, "cannot read: %s", strerror(errno));
		if (got != SFS_OK) {
			rc = -1;
		} else if (rc == 0) {
			asset *a = &out->v[out->n++];
			a->name = xstrdup(name);
			a->key = view_key(name);
			char *file = fingerprinted(name,
						   hash_fnv1a(data.ptr, data.len));
			a->href = xasprintf("%s/%s", ROUTE_ASSETS, file);
			free(file);
			if (st)
				rc = stage_write(st, a->href, data.ptr, data.len,
						 d);
		}
		buf_free(&data);
		free(arel);
		free(ashown);
		if (got == SFS_IO || (got == SFS_OK && rc < 0))
			break;
	}
	sfs_list_free(&l);
	return rc;
}

int assets_check(const sfs_root *root, const char *rel, const char *shown,
		 diags_t *d)
{
	asset_list l;
	int rc = assets_publish(root, rel, shown, NULL, &l, d);
	assets_free(&l);
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
