/* reuse.h - skip rendering the pages whose inputs did not change since the
 * last build into the same output folder.
 *
 * A page's inputs are summed up in a fingerprint (SHA-256, libmd):
 *
 *   shared   site.yml, every file of the site's themes/ and i18n/ folders
 *            and of the installed theme, the name, size, times and inode
 *            of every file in the basemap's and the point file's folders,
 *            the partnermap program itself (its size, times and inode)
 *            and its version;
 *   summary  what every page shows of the whole site, from the model once
 *            render_prepare made it: counts, the networks (every field,
 *            their order, counts and shapes), the menu's pages, the assets'
 *            fingerprinted names, which basemap countries have partners and
 *            their names;
 *   members  per institution: the bytes of its record, its bundle's files,
 *            its location, basemap feature, country and marker network.
 *
 * A unit is the folder of a page (routes.h): institutions/<slug>/,
 * countries/<code>/, networks/<slug>/, with every file below it. Its
 * fingerprint is shared + summary + the unit + the members it lists (the
 * institution itself; a country's or a network's institutions, in page
 * order). Every other page (home, map.svg, exports, free pages, elective
 * pages, 404) lists everyone or is cheap, and is always rendered.
 *
 * The manifest, the hidden file .<OUT_DIR's name>.partnermap-manifest
 * beside OUT_DIR (never in it: it is not published, and serve never serves
 * it), holds each unit's fingerprint and every file of the output with its
 * size, modification and change times and inode, as the last successful
 * build left them. A unit is kept, not rendered, only when its
 * fingerprint is the one in the manifest AND each file the manifest lists
 * below it is still, in OUT_DIR, a regular file reached without a link,
 * with the same size, times and inode. So a file someone changed since
 * (even with the same size and a forged modification time: the change
 * time cannot be set) is rendered again, and a manifest copied from
 * elsewhere matches nothing. A missing, unreadable, truncated or malformed
 * manifest, a link in its place, or --clean: every page is rendered. The
 * manifest is written after a build succeeded, and only then. */
#ifndef PM_REUSE_H
#define PM_REUSE_H

#include "../render/render.h"

/* The suffix of the manifest's name beside OUT_DIR: ".output" +
 * REUSE_MANIFEST_SUFFIX. */
#define REUSE_MANIFEST_SUFFIX ".partnermap-manifest"

typedef struct reuse_inputs {
	const char *site_dir;   /* the site folder */
	const char *out_dir;    /* OUT_DIR as stage_open resolved it
				   (stage.final): its last part a name, never
				   "." or "..", so the manifest is beside it */
	const char *theme_dir;  /* the installed theme's folder, or NULL */
	const char *basemap;    /* site.yml's map.basemap, relative to site_dir */
	const char *points;     /* site.yml's map.points, or NULL */
	const char *version;
	int fresh;              /* --clean: do not read the last manifest */
} reuse_inputs;

typedef struct reuse reuse;

/* Read the last manifest (unless in->fresh) and digest the shared inputs.
 * Never fails: whatever cannot be read makes every page render. Free with
 * reuse_free. */
reuse *reuse_open(const reuse_inputs *in);

/* Fingerprint every unit, from r after render_prepare. Sets r->reuse so
 * that the pages ask reuse_keep. */
void reuse_prepare(reuse *u, render_ctx *r);

/* After stage_commit succeeded: write the manifest for what OUT_DIR now
 * holds. A failure removes the manifest (the next build renders every
 * page) and is not reported: the site itself is in place. */
void reuse_save(reuse *u);

/* The number of units kept by the build (for tests and measurements). */
size_t reuse_kept(const reuse *u);

void reuse_free(reuse *u);

#endif
