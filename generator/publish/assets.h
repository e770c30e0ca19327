/* assets.h - theme assets, copied with a content hash in each file name so
 * they can be cached forever: style.css -> assets/style.3f9a1c2e07.css. */
#ifndef PM_ASSETS_H
#define PM_ASSETS_H

#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"
#include "../util/safefs.h"
#include "stage.h"

typedef struct asset {
	char *name;   /* "style.css" */
	char *key;    /* "style_css": its view key */
	char *href;   /* "assets/style.3f9a1c2e07.css", relative to the root */
} asset;

typedef struct asset_list {
	asset *v;
	size_t n;
} asset_list;

/* 64-bit FNV-1a of data. */
uint64_t hash_fnv1a(const void *data, size_t n);

/* Copy every file of folder rel under root (the theme's assets/) into the
 * stage under assets/, fingerprinted; sub-folders are left alone. Each is
 * read through util/safefs.h: inside root, a regular file, at most
 * PM_MAX_ASSET bytes. A missing folder is an empty list. -1 when an asset
 * was refused (DIAG_ERROR, every such asset reported) or on I/O error
 * (DIAG_FATAL); then nothing more is written. shown is rel as messages
 * print it. With st NULL nothing is written: the assets are only read
 * and checked. */
int assets_publish(const sfs_root *root, const char *rel, const char *shown,
		   stage *st, asset_list *out, diags_t *d);

/* What `check` does with the assets: read every one exactly as
 * assets_publish does, reporting the same errors, and write nothing.
 * 0, or -1 as assets_publish. */
int assets_check(const sfs_root *root, const char *rel, const char *shown,
		 diags_t *d);
const asset *assets_find(const asset_list *l, const char *name);
void assets_free(asset_list *l);

#endif
