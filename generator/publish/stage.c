/* stage.c - staging folder and atomic swap. */
#define _GNU_SOURCE /* renameat2 */
#include "stage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/fs.h"

/* The parent folder of path ("." when it has none). */
static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int stage_open(stage *st, const char *out_dir, diags_t *d)
{
	memset(st, 0, sizeof *st);
	pthread_mutex_init(&st->lock, NULL);
	size_t n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	st->final = xstrndup(out_dir, n);
	char *parent = parent_of(st->final);
	if (fs_mkdirs(parent) < 0) {
		diag_fatal(d, parent, "cannot create folder: %s", strerror(errno));
		free(parent);
		return -1;
	}
	free(parent);
	st->tmp = xasprintf("%s.staging-%ld", st->final, (long)getpid());
	fs_remove_tree(st->tmp);
	if (fs_mkdirs(st->tmp) < 0) {
		diag_fatal(d, st->tmp, "cannot create staging folder: %s",
			   strerror(errno));
		return -1;
	}
	return stage_write(st, STAGE_MARKER, "partnermap\n", 11, d);
}

int stage_write(stage *st, const char *rel, const void *data, size_t n,
		diags_t *d)
{
	char *path = fs_join(st->tmp, rel);
	char *dir = parent_of(path);
	int rc = fs_mkdirs(dir);
	if (rc == 0)
		rc = fs_write(path, data, n);
	if (rc < 0)
		diag_fatal(d, rel, "cannot write: %s", strerror(errno));
	else {
		pthread_mutex_lock(&st->lock);
		st->files++;
		st->bytes += n;
		pthread_mutex_unlock(&st->lock);
	}
	free(dir);
	free(path);
	return rc;
}

/* An existing output folder may be replaced when it is empty or was made by
 * partnermap. */
static int replaceable(const char *dir)
{
	char **names;
	size_t count;
	if (fs_list(dir, &names, &count) < 0)
		return 0;
	fs_free_list(names);
	if (count == 0)
		return 1;
	char *marker = fs_join(dir, STAGE_MARKER);
	int ok = fs_exists(marker);
	free(marker);
	return ok;
}

int stage_commit(stage *st, diags_t *d)
{
	if (!fs_exists(st->final)) {
		if (rename(st->tmp, st->final) < 0) {
			diag_fatal(d, st->final, "cannot move the new site into place: %s",
				   strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!fs_is_dir(st->final) || !replaceable(st->final)) {
		diag_fatal(d, st->final,
			   "refusing to replace this folder: it is not empty and was not "
			   "written by partnermap (no %s in it)", STAGE_MARKER);
		return -1;
	}
	/* Swap both names in one step; the old site ends up at tmp. */
	if (renameat2(AT_FDCWD, st->tmp, AT_FDCWD, st->final, RENAME_EXCHANGE) < 0) {
		/* File systems without RENAME_EXCHANGE: two renames, with the
		 * old site kept aside until the new one is in place. */
		char *old = xasprintf("%s.old-%ld", st->final, (long)getpid());
		int rc = rename(st->final, old);
		if (rc == 0 && rename(st->tmp, st->final) < 0) {
			rc = -1;
			rename(old, st->final);
		}
		if (rc < 0) {
			diag_fatal(d, st->final, "cannot move the new site into place: %s",
				   strerror(errno));
			free(old);
			return -1;
		}
		fs_remove_tree(old);
		free(old);
		return 0;
	}
	fs_remove_tree(st->tmp);
	return 0;
}

void stage_close(stage *st)
{
	if (st->tmp)
		fs_remove_tree(st->tmp);
	free(st->tmp);
	free(st->final);
	pthread_mutex_destroy(&st->lock);
	memset(st, 0, sizeof *st);
}
